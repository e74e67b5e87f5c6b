/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registrar learning: with `learn on`, the servers the phones register
 * with (seen as REGISTERs leaving through an interface that is not guarded)
 * are trusted for as long as a registration with them lasts, and the ports
 * the phones receive SIP on are guarded for as long.
 */
#ifndef _SIPGUARD_LEARN_H
#define _SIPGUARD_LEARN_H

#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/sipguard.h>

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
 * Guarded ports held at once (a registration brings one to three); one
 * more is not guarded, and counted (LEARN_FULL) and shown.
 */
#define SG_LEARN_MAX_PORTS		SIPGUARD_LEARN_MAX_PORTS
#define SG_LEARN_PORT_FILTER_BITS	256
/* Changes of the guarded ports one packet reports for events. */
#define SG_LEARN_NEWS			4

/*
 * One registration: a phone (the REGISTER's source address and port)
 * binding an address-of-record (the To URI) at a server.  Under
 * sg_learn.lock only; readers see the servers (struct sg_learned).
 */
struct sg_learn_reg {
	struct list_head node;
	u8 family;		/* SG_AF_INET or SG_AF_INET6 */
	u8 l4proto;		/* IPPROTO_UDP or IPPROTO_TCP */
	u16 server_port;	/* the REGISTER's destination: its answer comes from there */
	u16 phone_port;
	u16 contact_port;	/* the port the phone's Contact names */
	u16 answer_port;	/* where the 2xx arrived (before NAT); 0: none yet */
	u8 server[16];		/* network order */
	u8 phone[16];
	u8 answer_addr[16];	/* to which address: the WAN's under NAT */
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

/*
 * A port a phone receives SIP on, guarded while a registration using it
 * lives: the REGISTER's source port at the phone's address, the Contact's
 * port there, and the address and port the 2xx arrived at as the gateway
 * saw it before NAT (the WAN's, and the external port, behind masquerade
 * or a port forward).
 */
struct sg_learn_port {
	u8 family;
	u8 l4proto;
	u16 port;
	u16 phone_port;		/* the phone of the first registration using it */
	bool confirmed;		/* any registration using it confirmed */
	u8 addr[16];
	u8 phone[16];
	u64 until;		/* ns: the latest deadline of its registrations */
};

/* A change of the guarded ports, for an event the caller sends. */
struct sg_learn_news {
	u32 n;			/* may exceed SG_LEARN_NEWS: the rest untold */
	struct {
		bool guarded;	/* false: no longer guarded */
		struct sg_learn_port port;
	} e[SG_LEARN_NEWS];
};

/*
 * An immutable snapshot of the servers and guarded ports, replaced as a
 * whole under sg_learn.lock.  @ports points into the same allocation.
 */
struct sg_learn_set {
	struct rcu_head rcu;
	u64 pending_until;	/* the latest of any server's */
	u32 n;
	u32 n_ports;
	u32 ports_over;		/* registrations' ports not guarded: no room */
	struct sg_learn_port *ports;
	DECLARE_BITMAP(port_filter, SG_LEARN_PORT_FILTER_BITS);
	struct sg_learned e[];
};

/*
 * A phone seen registering, with learning off, from a port that is not
 * guarded: it is not protected, and `show` says how to change that.
 */
#define SG_LEARN_HINTS	8
struct sg_learn_hint {
	u8 family;		/* 0: unused */
	u8 l4proto;
	bool answer;		/* seen as the 2xx's destination, else the REGISTER's source */
	u16 port;
	u8 addr[16];
	u64 seen;		/* ns (boottime) */
};

/*
 * The writer's index of the set it builds (under sg_learn.lock): chains of
 * servers and of ports by hash, so that publishing costs one lookup per
 * registration and port, not a scan of the set for each (registrations x
 * servers per REGISTER, in softirq).
 */
#define SG_LEARN_INDEX_BITS	9
#define SG_LEARN_INDEX		(1U << SG_LEARN_INDEX_BITS)
#define SG_LEARN_INDEX_NONE	0xffff

struct sg_learn_index {
	u16 srv[SG_LEARN_INDEX];
	u16 port[SG_LEARN_INDEX];
	u16 srv_next[SG_LEARN_MAX];
	u16 port_next[SG_LEARN_MAX_PORTS];
};

struct sg_learn {
	struct sg_learn_set __rcu *set;
	struct sg_learn_index index;	/* under lock */
	struct sg_learn_hint hints[SG_LEARN_HINTS];	/* under lock */
	/* Registrations awaiting an answer: the hook's one test (READ_ONCE). */
	unsigned int pending;
	unsigned int n_regs;
	struct list_head regs;	/* struct sg_learn_reg */
	spinlock_t lock;	/* writers: packets (softirq) and netlink */
	struct obj_cgroup *objcg;	/* charged for what it allocates (not held) */
	u32 generation;		/* bumped by every new set: dumps notice */
};

void sg_learn_init(struct sg_learn *l, struct obj_cgroup *objcg);
void sg_learn_exit(struct sg_learn *l);
void sg_learn_flush(struct sg_learn *l);

/*
 * A SIP packet leaving through an unguarded interface (BH off, RCU).
 * Changes of the guarded ports are told in @news.
 */
void sg_learn_outbound(struct sg_learn *l, const struct sg_config *cfg,
		       struct sk_buff *skb, const struct sg_pkt *pk,
		       struct sg_pcpu_stats *st, struct sg_learn_news *news);

/* Is this inbound packet from a learned (or provisional) server? */
bool sg_learn_inbound(struct sg_learn *l, struct sk_buff *skb, const struct sg_pkt *pk,
		      struct sg_pcpu_stats *st, struct sg_learn_news *news);

static inline unsigned int sg_learn_port_hash(u16 port)
{
	return (port ^ (port >> 8)) % SG_LEARN_PORT_FILTER_BITS;
}

bool sg_learn_port_find(const struct sg_learn_set *s, u8 family, u8 l4proto,
			const u8 *addr, u16 port);

/*
 * Is @addr:@port (@l4proto) a port a registered phone receives SIP on?
 * The hook asks for every packet to a port not configured, while learning
 * is on: one bit of a filter answers most.  RCU held.
 */
static inline bool sg_learn_guards(struct sg_learn *l, u8 family, u8 l4proto,
				   const u8 *addr, u16 port)
{
	const struct sg_learn_set *s = rcu_dereference(l->set);

	return s && test_bit(sg_learn_port_hash(port), s->port_filter) &&
	       sg_learn_port_find(s, family, l4proto, addr, port);
}

/*
 * With learning off: is the SIP request @pk, leaving through an unguarded
 * interface from a port that is not guarded, a REGISTER?  Then remember
 * the phone and return true (the caller counts it).  BH off, RCU.
 */
bool sg_learn_hint_unguarded(struct sg_learn *l, struct sk_buff *skb,
			     const struct sg_pkt *pk);
/*
 * With learning off: is the UDP packet @pk, arriving to a port that is not
 * guarded, a 2xx to a REGISTER?  Then remember where it arrived (behind
 * NAT, the external port) and return true.  BH off, RCU.
 */
bool sg_learn_hint_answer(struct sg_learn *l, struct sk_buff *skb,
			  const struct sg_pkt *pk);
int sg_learn_get_hint(struct sg_learn *l, u32 idx, struct sg_learn_hint *out);

/* Is @addr a learned (or provisional) server now?  RCU held; no side effects. */
bool sg_learn_trusts(struct sg_learn *l, u8 family, const u8 *addr);

/*
 * Is a learned (or provisional) server inside @addr/@plen now?  For a
 * ban's prefix, which is not one to report to others then.  RCU held.
 */
bool sg_learn_within(struct sg_learn *l, u8 family, const u8 *addr, u8 plen);

/* Is any REGISTER awaiting its answer?  The hook asks before the call below. */
static inline bool sg_learn_awaiting(const struct sg_learn *l)
{
	return READ_ONCE(l->pending);
}

/*
 * A UDP or TCP packet to a port that is not guarded, while a REGISTER
 * awaits its answer: the first answer goes to the phone's own port,
 * whichever that is.  The packet is never judged, only learned from.
 * @pk is walked: its addresses and ports, and its payload unless bad.
 * BH off, RCU held.
 */
void sg_learn_unguarded(struct sg_learn *l, struct sk_buff *skb,
			const struct sg_pkt *pk,
			struct sg_pcpu_stats *st, struct sg_learn_news *news);

/* Netlink: copy out live servers; forget one with all its registrations. */
struct sg_learned_info {
	u8 family;
	u16 port;		/* always 0: a server is trusted on any port */
	u8 addr[16];
	u32 secs_left;
	bool confirmed;
};
int sg_learn_get(struct sg_learn *l, u32 idx, struct sg_learned_info *out);
/* The @idx-th guarded port that is live; @secs_left its time. */
int sg_learn_get_port(struct sg_learn *l, u32 idx, struct sg_learn_port *out,
		      u32 *secs_left);
u32 sg_learn_ports_over(struct sg_learn *l);
int sg_learn_forget(struct sg_learn *l, u8 family, const u8 *addr, u16 port);
u32 sg_learn_count(struct sg_learn *l);

#endif /* _SIPGUARD_LEARN_H */
