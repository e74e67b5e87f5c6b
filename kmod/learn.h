/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registrar learning: with `learn on`, the servers the phones register
 * with (seen as REGISTERs leaving through an interface that is not guarded)
 * are trusted for as long as a registration with them lasts.
 */
#ifndef _SIPGUARD_LEARN_H
#define _SIPGUARD_LEARN_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/sipguard.h>

struct sg_net;
struct sg_config;
struct sg_pkt;
struct sg_pcpu_stats;
struct sk_buff;

/*
 * A REGISTER's answer must come back before the registration is known to
 * exist: the server is trusted provisionally, for the SIP transaction
 * timeout (Timer F, 64 * T1 = 32 s), like a conntrack expectation; a 2xx
 * with the REGISTER's Call-ID and CSeq confirms it.
 */
#define SG_LEARN_PROVISIONAL_SECS	32
/* A confirmed registration is trusted for its lifetime plus half of it, at most this. */
#define SG_LEARN_MARGIN_SECS		30
/* Lifetime when neither the 2xx nor the REGISTER states one (RFC 3261 10.2.1.1). */
#define SG_LEARN_DEFAULT_SECS		3600
/* A longer grant is cut to this: a phone that is gone is forgotten within a day. */
#define SG_LEARN_MAX_LIFE_SECS		86400
/* learn-max counts servers; the registrations with them share this bound. */
#define SG_LEARN_MAX			256
#define SG_LEARN_DEFAULT_MAX		SIPGUARD_DEFAULT_LEARN_MAX
#define SG_LEARN_MAX_REGS		1024

/*
 * One registration: a phone (the REGISTER's source address and port)
 * binding an address-of-record (the To URI) at a server.  Under
 * sg_learn.lock only; readers see the servers (struct sg_learned).
 */
struct sg_learn_reg {
	struct list_head node;
	u8 family;		/* SG_AF_INET or SG_AF_INET6 */
	u16 server_port;	/* the REGISTER's destination: its answer comes from there */
	u16 phone_port;
	u8 server[16];		/* network order */
	u8 phone[16];
	u32 aor;		/* hash of the To URI */
	u32 contact;		/* hash of the phone's Contact host and port; 0: none */
	u64 learned_until;	/* ns (boottime); 0: not (yet) confirmed */
	u64 pending_until;	/* ns; 0: no REGISTER awaiting its answer */
	u32 callid_hash;	/* the pending REGISTER's Call-ID ... */
	u32 cseq;		/* ... and CSeq number */
	u32 want_expires;	/* its requested lifetime; U32_MAX: unstated */
};

/*
 * A server, trusted (any source port) while any registration with it is
 * confirmed or pending: the latest of their deadlines.
 */
struct sg_learned {
	u8 family;
	u16 pending_port;	/* where pending REGISTERs went; 0: to several ports */
	u8 addr[16];
	u64 learned_until;
	u64 pending_until;
	u32 n_regs;		/* registrations when published */
};

/* An immutable snapshot of the servers, replaced as a whole under sg_learn.lock. */
struct sg_learn_set {
	struct rcu_head rcu;
	u64 pending_until;	/* the latest of any server's */
	u32 n;
	struct sg_learned e[];
};

struct sg_learn {
	struct sg_learn_set __rcu *set;
	/* Registrations awaiting an answer: the hook's one test (READ_ONCE). */
	unsigned int pending;
	unsigned int n_regs;
	struct list_head regs;	/* struct sg_learn_reg */
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

/* Is @addr a learned (or provisional) server now?  RCU held; no side effects. */
bool sg_learn_trusts(struct sg_learn *l, u8 family, const u8 *addr);

/* Is any REGISTER awaiting its answer?  The hook asks before the call below. */
static inline bool sg_learn_awaiting(const struct sg_learn *l)
{
	return READ_ONCE(l->pending);
}

/*
 * A UDP packet to a port that is not guarded, while a REGISTER awaits its
 * answer: the answer goes to the phone's own port, whichever that is.  The
 * packet is never judged, only learned from.  RCU held.
 */
void sg_learn_unguarded(struct sg_net *sgn, struct sk_buff *skb,
			struct sg_pkt *pk, unsigned int thoff);

/* Netlink: copy out live servers; forget one with all its registrations. */
struct sg_learned_info {
	u8 family;
	u16 port;		/* always 0: a server is trusted on any port */
	u8 addr[16];
	u32 secs_left;
	bool confirmed;
};
int sg_learn_get(struct sg_learn *l, u32 idx, struct sg_learned_info *out);
int sg_learn_forget(struct sg_learn *l, u8 family, const u8 *addr, u16 port);
u32 sg_learn_count(struct sg_learn *l);

#endif /* _SIPGUARD_LEARN_H */
