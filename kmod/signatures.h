/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scanner signatures: User-Agent substrings, matched case-insensitively
 * against untrusted requests and responses under the open policy.  A match
 * drops the message and bans its source.  One layer only: SIPVicious in
 * compact mode sends no User-Agent, and any scanner can claim to be a phone;
 * the per-source limits are what stops those.
 *
 * The list is an immutable array published with RCU and replaced whole on
 * every change (process context, the namespace's lock).  Each signature has
 * a slot 0..SIPGUARD_MAX_SIGNATURES-1 for its per-CPU hit counter; a slot is
 * reused only after a grace period, from a new baseline.
 */
#ifndef _SIPGUARD_SIGNATURES_H
#define _SIPGUARD_SIGNATURES_H

#include <linux/bitops.h>
#include <linux/rcupdate.h>
#include <linux/sipguard.h>

struct netlink_ext_ack;
struct sip_field;

struct sg_sig {
	u8 len;
	u8 slot;
	char s[SIPGUARD_SIG_MAXLEN + 1];
};

struct sg_sigset {
	struct rcu_head rcu;
	u32 n;
	struct sg_sig sig[];
};

struct sg_sig_hits {
	u64 v[SIPGUARD_MAX_SIGNATURES];
};

struct sg_signatures {
	struct sg_sigset __rcu *set;
	struct sg_sig_hits __percpu *hits;
	/* Per slot: the sum of hits when the slot was taken. */
	u64 base[SIPGUARD_MAX_SIGNATURES];
	DECLARE_BITMAP(used, SIPGUARD_MAX_SIGNATURES);
	/* Bumped by every change (from 1): a dump notices. */
	u32 generation;
};

/* Create with the default list. */
int sg_sigs_init(struct sg_signatures *sigs);
void sg_sigs_exit(struct sg_signatures *sigs);

/*
 * Datapath, BH off, under RCU: does the field @f of @buf contain a
 * signature?  Counts the hit.
 */
bool sg_sigs_match(struct sg_signatures *sigs, const u8 *buf,
		   const struct sip_field *f);

/* Under the namespace's lock. */
int sg_sigs_add(struct sg_signatures *sigs, const char *s,
		struct netlink_ext_ack *extack);
int sg_sigs_del(struct sg_signatures *sigs, const char *s,
		struct netlink_ext_ack *extack);

/* Hits of the signature in @slot since it was added. */
u64 sg_sigs_hits(struct sg_signatures *sigs, u8 slot);

u32 sg_sigs_count(struct sg_signatures *sigs);

#endif /* _SIPGUARD_SIGNATURES_H */
