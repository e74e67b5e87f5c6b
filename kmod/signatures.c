// SPDX-License-Identifier: GPL-2.0
/*
 * Scanner signatures: see signatures.h.
 *
 * Matching is a naive case-insensitive substring search of each signature
 * in the User-Agent value: at most SIPGUARD_MAX_SIGNATURES x the header's
 * length first-byte compares, and it runs only for untrusted messages under
 * the open policy that passed their source's limit, so the limit bounds its
 * cost too.  A list of 16 against a 40-byte User-Agent is ~640 compares.
 */
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "alloc.h"
#include "sip_parser.h"
#include "signatures.h"

/*
 * The default list, from the User-Agents that public blocklists and
 * SIP-server hardening guides (Kamailio and Asterisk/fail2ban examples,
 * iptables string rules) name as scanners, fuzzers and toll-fraud tools:
 * SIPVicious (friendly-scanner, sipvicious), sipcli, SIPPTS (pplsip),
 * sundayddr, iWar, VaxSIPUserAgent and VaxIPUserAgent (a VoIP SDK brute
 * forcers are built on), SIPScan/sip-scan, smap, SiVuS, PortSIP VoIP SDK
 * (the UA of a widespread INVITE-fraud bot), SIP Army Knife (a fuzzer),
 * Nsauditor, and Nmap NSE (nmap's sip library).  sipsak is left out: it is
 * also the usual monitoring probe.
 */
static const char *const sg_default_sigs[] = {
	"friendly-scanner", "sipvicious", "sipcli", "pplsip", "sundayddr",
	"iWar", "VaxSIPUserAgent", "VaxIPUserAgent", "SIPScan", "sip-scan",
	"smap", "sivus", "PortSIP VoIP SDK", "siparmyknife", "Nsauditor",
	"Nmap NSE",
};

static struct sg_sigset *sg_sigset_alloc(u32 n)
{
	struct sg_sigset *set = sg_kzalloc(struct_size(set, sig, n), GFP_KERNEL_ACCOUNT);

	if (set)
		set->n = n;
	return set;
}

static struct sg_sigset *sg_sigs_locked(struct sg_signatures *sigs)
{
	/* The namespace's lock serialises writers; see netlink.c. */
	return rcu_dereference_protected(sigs->set, true);
}

static u64 sg_sigs_sum(struct sg_signatures *sigs, u8 slot)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(sigs->hits, cpu)->v[slot]);
	return sum;
}

/* Take a free slot, its counter starting from zero. */
static int sg_sigs_slot(struct sg_signatures *sigs)
{
	unsigned long slot = find_first_zero_bit(sigs->used, SIPGUARD_MAX_SIGNATURES);

	if (slot >= SIPGUARD_MAX_SIGNATURES)
		return -ENOSPC;
	__set_bit(slot, sigs->used);
	WRITE_ONCE(sigs->base[slot], sg_sigs_sum(sigs, slot));
	return slot;
}

static bool sg_sig_valid(const char *s, size_t len)
{
	size_t i;

	if (!len || len > SIPGUARD_SIG_MAXLEN)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

static int sg_sigs_find(const struct sg_sigset *set, const char *s, size_t len)
{
	u32 i;

	for (i = 0; i < set->n; i++)
		if (set->sig[i].len == len && !strncasecmp(set->sig[i].s, s, len))
			return i;
	return -1;
}

int sg_sigs_init(struct sg_signatures *sigs)
{
	struct sg_sigset *set;
	u32 i;

	memset(sigs->base, 0, sizeof(sigs->base));
	bitmap_zero(sigs->used, SIPGUARD_MAX_SIGNATURES);
	sigs->hits = sg_alloc_percpu(struct sg_sig_hits);
	if (!sigs->hits)
		return -ENOMEM;
	set = sg_sigset_alloc(ARRAY_SIZE(sg_default_sigs));
	if (!set) {
		free_percpu(sigs->hits);
		return -ENOMEM;
	}
	for (i = 0; i < set->n; i++) {
		set->sig[i].len = strscpy(set->sig[i].s, sg_default_sigs[i],
					  sizeof(set->sig[i].s));
		set->sig[i].slot = sg_sigs_slot(sigs);
	}
	RCU_INIT_POINTER(sigs->set, set);
	sigs->generation = 1;
	return 0;
}

void sg_sigs_exit(struct sg_signatures *sigs)
{
	kfree(rcu_dereference_protected(sigs->set, true));
	free_percpu(sigs->hits);
}

bool sg_sigs_match(struct sg_signatures *sigs, const u8 *buf,
		   const struct sip_field *f)
{
	const struct sg_sigset *set = rcu_dereference(sigs->set);
	u32 i;

	if (!set || !f->len)
		return false;
	for (i = 0; i < set->n; i++) {
		const struct sg_sig *g = &set->sig[i];

		if (sip_field_contains_ci(buf, f, g->s, g->len)) {
			this_cpu_inc(sigs->hits->v[g->slot]);
			return true;
		}
	}
	return false;
}

int sg_sigs_add(struct sg_signatures *sigs, const char *s,
		struct netlink_ext_ack *extack)
{
	struct sg_sigset *old = sg_sigs_locked(sigs), *set;
	size_t len = strlen(s);
	int slot;

	if (!sg_sig_valid(s, len)) {
		NL_SET_ERR_MSG(extack, "a signature is 1-63 printable ASCII characters");
		return -EINVAL;
	}
	if (sg_sigs_find(old, s, len) >= 0) {
		NL_SET_ERR_MSG(extack, "signature already listed (they match case-insensitively)");
		return -EEXIST;
	}
	if (old->n >= SIPGUARD_MAX_SIGNATURES) {
		NL_SET_ERR_MSG(extack, "the signature list is full");
		return -ENOSPC;
	}
	set = sg_sigset_alloc(old->n + 1);
	if (!set)
		return -ENOMEM;
	slot = sg_sigs_slot(sigs);
	if (slot < 0) {
		kfree(set);
		NL_SET_ERR_MSG(extack, "the signature list is full");
		return slot;
	}
	memcpy(set->sig, old->sig, array_size(old->n, sizeof(old->sig[0])));
	memcpy(set->sig[old->n].s, s, len + 1);
	set->sig[old->n].len = len;
	set->sig[old->n].slot = slot;
	rcu_assign_pointer(sigs->set, set);
	WRITE_ONCE(sigs->generation, sigs->generation + 1);
	kfree_rcu(old, rcu);
	return 0;
}

int sg_sigs_del(struct sg_signatures *sigs, const char *s,
		struct netlink_ext_ack *extack)
{
	struct sg_sigset *old = sg_sigs_locked(sigs), *set;
	int i = sg_sigs_find(old, s, strlen(s));
	u8 slot;

	if (i < 0) {
		NL_SET_ERR_MSG(extack, "no such signature");
		return -ENOENT;
	}
	set = sg_sigset_alloc(old->n - 1);
	if (!set)
		return -ENOMEM;
	slot = old->sig[i].slot;
	memcpy(set->sig, old->sig, array_size(i, sizeof(old->sig[0])));
	memcpy(set->sig + i, old->sig + i + 1,
	       array_size(old->n - i - 1, sizeof(old->sig[0])));
	rcu_assign_pointer(sigs->set, set);
	WRITE_ONCE(sigs->generation, sigs->generation + 1);
	/* No packet may still count in the slot when it is handed out again. */
	synchronize_rcu();
	kfree(old);
	__clear_bit(slot, sigs->used);
	return 0;
}

u64 sg_sigs_hits(struct sg_signatures *sigs, u8 slot)
{
	return sg_sigs_sum(sigs, slot) - READ_ONCE(sigs->base[slot]);
}

u32 sg_sigs_count(struct sg_signatures *sigs)
{
	const struct sg_sigset *set;
	u32 n;

	rcu_read_lock();
	set = rcu_dereference(sigs->set);
	n = set ? set->n : 0;
	rcu_read_unlock();
	return n;
}
