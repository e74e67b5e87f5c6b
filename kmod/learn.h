/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registrar learning: with `learn on`, the servers the phones register
 * with (seen as REGISTERs leaving through an interface that is not guarded)
 * are trusted for as long as the registration lasts.
 */
#ifndef _SIPGUARD_LEARN_H
#define _SIPGUARD_LEARN_H

#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct sg_net;
struct sg_config;
struct sg_pkt;
struct sg_pcpu_stats;
struct sip_msg;
struct sk_buff;

/*
 * A REGISTER's answer must come back through the guarded side before the
 * registration is known to exist: the server is trusted provisionally, for
 * the SIP transaction timeout (Timer F, 64 * T1 = 32 s), like a conntrack
 * expectation; a 2xx with the REGISTER's Call-ID and CSeq confirms it.
 */
#define SG_LEARN_PROVISIONAL_SECS	32
/* A confirmed registration is trusted for its lifetime plus half of it, at most this. */
#define SG_LEARN_MARGIN_SECS		30
/* Lifetime when neither the 2xx nor the REGISTER states one (RFC 3261 10.2.1.1). */
#define SG_LEARN_DEFAULT_SECS		3600
#define SG_LEARN_MAX			256
#define SG_LEARN_DEFAULT_MAX		16

struct sg_learned {
	u8 family;		/* SG_AF_INET or SG_AF_INET6 */
	u16 port;		/* the server's port, host order */
	u8 addr[16];		/* the server's address, network order */
	u64 learned_until;	/* ns (boottime); 0: not (yet) learned */
	u64 pending_until;	/* ns; 0: no REGISTER awaiting its answer */
	u32 callid_hash;	/* the pending REGISTER's Call-ID ... */
	u32 cseq;		/* ... and CSeq number */
	u32 want_expires;	/* its requested lifetime; U32_MAX: unstated */
};

/* An immutable snapshot, replaced as a whole under sg_learn.lock. */
struct sg_learn_set {
	struct rcu_head rcu;
	u32 n;
	struct sg_learned e[];
};

struct sg_learn {
	struct sg_learn_set __rcu *set;
	spinlock_t lock;	/* writers: packets (softirq) and netlink */
	u32 generation;		/* bumped by every new set: dumps notice */
};

void sg_learn_init(struct sg_learn *l);
void sg_learn_exit(struct sg_learn *l);
void sg_learn_flush(struct sg_learn *l);

/* A SIP packet leaving through an unguarded interface (BH off, RCU). */
void sg_learn_outbound(struct sg_net *sgn, const struct sg_config *cfg,
		       struct sk_buff *skb, const struct sg_pkt *pk,
		       struct sg_pcpu_stats *st);

/* Is this inbound packet from a learned (or provisional) server? */
bool sg_learn_inbound(struct sg_net *sgn, const struct sg_config *cfg,
		      struct sk_buff *skb, const struct sg_pkt *pk,
		      struct sg_pcpu_stats *st);

/* Netlink: copy out live entries; forget one. */
struct sg_learned_info {
	u8 family;
	u16 port;
	u8 addr[16];
	u32 secs_left;
	bool confirmed;
};
int sg_learn_get(struct sg_learn *l, u32 idx, struct sg_learned_info *out);
int sg_learn_forget(struct sg_learn *l, u8 family, const u8 *addr, u16 port);
u32 sg_learn_count(struct sg_learn *l);

#endif /* _SIPGUARD_LEARN_H */
