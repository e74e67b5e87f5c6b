/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One packet to a guarded port, as the hook found it: its L3/L4 facts, and
 * the reads of its payload that everything after the hook shares (the
 * parse window, the transport checksum, one datagram of a GRO packet).
 *
 * The facts are plain data and the reads are all here, so framing.c, which
 * only ever reads a payload through these, builds in userspace as well:
 * there tools/unit supplies the reads over a flat buffer.
 */
#ifndef _SIPGUARD_PACKET_H
#define _SIPGUARD_PACKET_H

#include <linux/sipguard.h>

#include "sg_types.h"
#include "walk.h"

struct net_device;
struct sk_buff;

/* What the hook knows about a packet to a guarded port. */
struct sg_pkt {
	u8 family;		/* SG_AF_INET or SG_AF_INET6 */
	u8 l4proto;		/* IPPROTO_UDP or IPPROTO_TCP */
	bool tls;		/* to a TLS port */
	bool bad;		/* L4 header, or the IPv6 chain to it, unreadable */
	bool learned_port;	/* to a port guarded only by learning (learn.h) */
	bool syn;		/* TCP: a SYN without ACK, a connection's start */
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
 * How much of one message is parsed.  SIP over UDP should fit a datagram of
 * 1300 bytes (RFC 3261 18.1.1); a header section longer than this is not
 * SIP a phone needs from a stranger, and it is dropped, not passed.
 */
#define SG_PARSE_WINDOW SIPGUARD_PARSE_WINDOW

/*
 * Is @pk's UDP or TCP checksum right (or checked by the device)?  A packet
 * the stack will discard must not ban a source or teach learning.
 */
bool sg_csum_ok(struct sk_buff *skb, const struct sg_pkt *pk);

/* Fill @pk's L3/L4 facts from a walk that reached its transport header. */
static inline void sg_pkt_walked(struct sg_pkt *pk, const struct sg_walk *w,
				 enum sg_walk_end end)
{
	pk->family = w->family;
	pk->l4proto = w->l4proto;
	pk->bad = end != SG_WALK_TRANSPORT;
	pk->syn = w->syn;
	pk->sport = w->sport;
	pk->dport = w->dport;
	pk->saddr = w->saddr;
	pk->daddr = w->daddr;
	pk->thoff = w->thoff;
	pk->payoff = w->payoff;
	pk->paylen = w->paylen;
}

#ifdef __KERNEL__
#include <linux/percpu.h>
#include <linux/skbuff.h>

/* A copy of a nonlinear payload; bottom halves are off while in use. */
struct sg_scratch {
	u8 buf[SG_PARSE_WINDOW];
};
extern struct sg_scratch __percpu *sg_scratch;

/* Payload bytes [off, off + len): in place, or copied to @buf; NULL if short. */
static inline const u8 *sg_pkt_bytes(struct sk_buff *skb, const struct sg_pkt *pk,
				     unsigned int off, unsigned int len, void *buf)
{
	return skb_header_pointer(skb, pk->payoff + off, len, buf);
}

/*
 * Payload bytes [off, min(end, off + window)), in place or copied to this
 * CPU's scratch buffer (which the next window of any packet reuses).
 */
static inline const u8 *sg_pkt_window(struct sk_buff *skb, const struct sg_pkt *pk,
				      unsigned int off, unsigned int end,
				      unsigned int *len)
{
	*len = min_t(unsigned int, end - off, SG_PARSE_WINDOW);
	return skb_header_pointer(skb, pk->payoff + off, *len,
				  this_cpu_ptr(sg_scratch)->buf);
}

/*
 * Payload bytes in one datagram: a GRO packet (rx-udp-gro-forwarding:
 * SKB_GSO_UDP_L4, or a GRO list) holds several of one flow, gso_size
 * bytes each but the last.
 */
static inline unsigned int sg_pkt_datagram(struct sk_buff *skb, const struct sg_pkt *pk)
{
	if (skb_is_gso(skb) && skb_shinfo(skb)->gso_size &&
	    (skb_shinfo(skb)->gso_type & (SKB_GSO_UDP_L4 | SKB_GSO_FRAGLIST)))
		return skb_shinfo(skb)->gso_size;
	return pk->paylen;
}

int sg_packet_init(void);
void sg_packet_exit(void);
#else
const u8 *sg_pkt_bytes(struct sk_buff *skb, const struct sg_pkt *pk,
		       unsigned int off, unsigned int len, void *buf);
const u8 *sg_pkt_window(struct sk_buff *skb, const struct sg_pkt *pk,
			unsigned int off, unsigned int end, unsigned int *len);
unsigned int sg_pkt_datagram(struct sk_buff *skb, const struct sg_pkt *pk);
#endif /* __KERNEL__ */

/* The first bytes of @pk's payload, at most the parse window; NULL if none. */
static inline const u8 *sg_payload(struct sk_buff *skb, const struct sg_pkt *pk,
				   unsigned int *len)
{
	if (!pk->paylen) {
		*len = 0;
		return NULL;
	}
	return sg_pkt_window(skb, pk, 0, pk->paylen, len);
}

#endif /* _SIPGUARD_PACKET_H */
