/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The L3/L4 walk: from the IP header to the UDP or TCP payload, written
 * once for the hooks (hooks.c), the failure answers (failures.c) and the
 * XDP kfunc (xdp_kfuncs.c).
 *
 * It reads an skb, whose IP header the stack has already checked and whose
 * length it has trimmed to the IP datagram's (the IP header's own lengths
 * are not read again: GRO and BIG TCP set them to 0), or a raw frame (XDP),
 * whose IP header says where the datagram ends.  The IPv6 extension header
 * chain is walked as ipv6_find_hdr() walks it, outcome for outcome.
 *
 * Plain C with no kernel headers of its own (sg_types.h), so the same file
 * builds into tools/unit and tools/fuzz; there the test supplies the copy
 * out of a nonlinear "skb".
 */
#ifndef _SIPGUARD_WALK_H
#define _SIPGUARD_WALK_H

#include "sg_types.h"

struct sk_buff;

/*
 * Bytes [0, len) of a packet, the first @headlen of them at @data.  @skb
 * NULL: a raw frame, all of it at @data, the datagram's end read from the
 * IP header.  Otherwise an skb: the rest copied out with skb_copy_bits().
 */
struct sg_bytes {
	const u8 *data;
	unsigned int headlen;
	unsigned int len;
	const struct sk_buff *skb;
};

/* How far the walk got; only SG_WALK_TRANSPORT fills in the payload. */
enum sg_walk_end {
	SG_WALK_TRANSPORT,	/* UDP or TCP, its header whole and consistent */
	SG_WALK_BAD_TRANSPORT,	/* UDP or TCP, ports read, header contradicts the packet */
	SG_WALK_SHORT,		/* UDP or TCP without room for its ports */
	SG_WALK_OTHER,		/* another protocol, or no next header */
	SG_WALK_FRAGMENT,	/* a fragment after the first: no transport header */
	SG_WALK_BAD_CHAIN,	/* IPv6: extension headers that cannot be walked */
	SG_WALK_BAD_IP,		/* the IP header itself: nothing is known */
};

enum sg_frag {
	SG_FRAG_NONE,		/* a whole datagram (or an atomic IPv6 fragment) */
	SG_FRAG_FIRST,		/* the first fragment, more to follow */
	SG_FRAG_LATER,		/* a fragment at an offset */
};

/*
 * What the walk found.  The addresses point into the packet, or into @ip
 * when its header was not linear: a walk is not to be copied.
 */
struct sg_walk {
	u8 family;		/* SG_AF_INET or SG_AF_INET6 */
	u8 l4proto;		/* the last next-header value read */
	u8 frag;		/* enum sg_frag */
	bool ext;		/* IPv6 extension headers before the transport */
	bool syn;		/* TCP: SYN without ACK */
	u16 sport;		/* TRANSPORT and BAD_TRANSPORT */
	u16 dport;
	const u8 *saddr;	/* network order; all but BAD_IP */
	const u8 *daddr;
	unsigned int thoff;	/* transport header offset */
	unsigned int payoff;	/* TRANSPORT: payload offset and length */
	unsigned int paylen;
	u32 ip[10];		/* the fixed IP header, if copied */
};

/* Walk @b from the IP header at @nhoff, of @family (SG_AF_INET/6). */
enum sg_walk_end sg_walk(struct sg_walk *w, const struct sg_bytes *b,
			 unsigned int nhoff, u8 family);

#ifdef __KERNEL__
#include <linux/skbuff.h>

static inline void sg_bytes_skb(struct sg_bytes *b, const struct sk_buff *skb)
{
	b->data = skb->data;
	b->headlen = skb_headlen(skb);
	b->len = skb->len;
	b->skb = skb;
}

static inline int sg_bytes_copy(const struct sk_buff *skb, unsigned int off,
				void *buf, unsigned int len)
{
	return skb_copy_bits(skb, off, buf, len);
}

/* The walk of an skb in a netfilter hook. */
static inline enum sg_walk_end sg_walk_skb(struct sg_walk *w, const struct sk_buff *skb,
					   u8 family)
{
	struct sg_bytes b;

	sg_bytes_skb(&b, skb);
	return sg_walk(w, &b, skb_network_offset(skb), family);
}
#else
/* tools/unit and tools/fuzz: the copy out of their stand-in for an skb. */
int sg_bytes_copy(const struct sk_buff *skb, unsigned int off, void *buf,
		  unsigned int len);
#endif /* __KERNEL__ */

#endif /* _SIPGUARD_WALK_H */
