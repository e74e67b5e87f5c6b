/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decision for one SIP packet, once hooks.c has found its L3/L4 facts:
 * which counter it lands in, and whether that is a drop.
 */
#ifndef _SIPGUARD_VERDICT_H
#define _SIPGUARD_VERDICT_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "config.h"
#include "stats.h"

struct sg_net;

/* What the hook knows about a packet to a guarded port. */
struct sg_pkt {
	struct sg_net *sgn;	/* the namespace it arrived in */
	u8 family;		/* SG_AF_INET or SG_AF_INET6 */
	u8 l4proto;		/* IPPROTO_UDP or IPPROTO_TCP */
	bool tls;		/* to a TLS port */
	bool bad;		/* L4 header, or the IPv6 chain to it, unreadable */
	u16 sport;
	u16 dport;
	const u8 *saddr;	/* in the IP header, network order */
	const u8 *daddr;
	const struct net_device *in;
	unsigned int thoff;	/* transport header offset in the skb */
	unsigned int payoff;	/* SIP payload offset in the skb */
	unsigned int paylen;
};

/*
 * Decide about @pk: returns the decision counter (SIPGUARD_STAT_PASS_* or
 * _DROP_*, or UNGUARDED_IFACE); per-method counters go to @st directly.
 * Softirq, under RCU, bottom halves off.
 */
enum sipguard_stat sg_decide(const struct sg_config *cfg, struct sk_buff *skb,
			     const struct sg_pkt *pk, struct sg_pcpu_stats *st);

struct sip_msg;

/*
 * One untrusted SIP message under the open policy, found and parsed by
 * framing.c (a UDP datagram, or one message of a TCP segment): @p/@len is
 * the window the message starts at, @msg its parse (SIP_OK).
 */
enum sipguard_stat sg_judge_message(const struct sg_config *cfg,
				    const struct sg_pkt *pk,
				    const u8 *p, unsigned int len,
				    const struct sip_msg *msg,
				    struct sg_pcpu_stats *st);

/*
 * framing.c: the first bytes of @pk's payload (at most the parse window),
 * in place or copied to this CPU's scratch buffer; NULL if unreadable.
 */
const u8 *sg_payload(struct sk_buff *skb, const struct sg_pkt *pk,
		     unsigned int *len);

/*
 * framing.c: is @pk's UDP or TCP checksum right (or checked by the device)?
 * A packet the stack will discard must not ban a source or teach learning.
 */
bool sg_csum_ok(struct sk_buff *skb, const struct sg_pkt *pk);

/* framing.c: split the payload of @pk into messages and judge each. */
enum sipguard_stat sg_judge_payload(const struct sg_config *cfg,
				    struct sk_buff *skb, const struct sg_pkt *pk,
				    struct sg_pcpu_stats *st);

static inline bool sg_is_drop(enum sipguard_stat s)
{
	return s == SIPGUARD_STAT_DROP_UNTRUSTED || s == SIPGUARD_STAT_DROP_TLS ||
	       s == SIPGUARD_STAT_DROP_MALFORMED || s == SIPGUARD_STAT_BAD_L4 ||
	       (s >= SIPGUARD_STAT_DROP_BANNED && s <= SIPGUARD_STAT_DROP_INVITE) ||
	       s == SIPGUARD_STAT_DROP_DENY;
}

int sg_framing_init(void);
void sg_framing_exit(void);

#endif /* _SIPGUARD_VERDICT_H */
