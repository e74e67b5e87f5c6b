// SPDX-License-Identifier: GPL-2.0
/*
 * The L3/L4 walk (see walk.h).  Headers are read as bytes at their RFC
 * offsets, so the file needs no kernel or libc header for them and reads
 * the same on either byte order.
 */
#include "allowlist.h"
#include "walk.h"

/* Next-header values (IANA protocol numbers) the walk knows. */
enum {
	SG_NH_HOP	= 0,
	SG_NH_TCP	= 6,
	SG_NH_UDP	= 17,
	SG_NH_ROUTING	= 43,
	SG_NH_FRAGMENT	= 44,
	SG_NH_AUTH	= 51,
	SG_NH_NONE	= 59,
	SG_NH_DEST	= 60,
};

#define SG_IPV4_HLEN	20
#define SG_IPV6_HLEN	40
#define SG_UDP_HLEN	8
#define SG_TCP_HLEN	20
#define SG_IP_MF	0x2000
#define SG_IP_OFFSET	0x1fff
#define SG_TCP_SYN	0x02
#define SG_TCP_ACK	0x10

static inline u16 sg_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

/*
 * Bytes [off, off + len) below @end: in place, or copied to @buf; NULL if
 * any lies beyond @end.  As skb_header_pointer().
 */
static const u8 *sg_bytes_at(const struct sg_bytes *b, unsigned int end,
			     unsigned int off, unsigned int len, void *buf)
{
	if (off > end || len > end - off)
		return NULL;
	if (len <= b->headlen && off <= b->headlen - len)
		return b->data + off;
	if (!b->skb || sg_bytes_copy(b->skb, off, buf, len))
		return NULL;
	return buf;
}

/* The extension headers ipv6_find_hdr() walks; "no next header" among them. */
static bool sg_ipv6_ext(u8 nh)
{
	return nh == SG_NH_HOP || nh == SG_NH_ROUTING || nh == SG_NH_FRAGMENT ||
	       nh == SG_NH_AUTH || nh == SG_NH_NONE || nh == SG_NH_DEST;
}

/*
 * The UDP or TCP header at w->thoff of a datagram ending at @end.  Ports
 * that can be read are reported even when the rest contradicts itself:
 * the hook counts that as BAD_L4 on a guarded port.
 */
static enum sg_walk_end sg_walk_l4(struct sg_walk *w, const struct sg_bytes *b,
				   unsigned int end)
{
	unsigned int l4len = end > w->thoff ? end - w->thoff : 0;
	unsigned int hlen, ulen, doff;
	u8 _h[SG_TCP_HLEN];
	const u8 *h;

	h = sg_bytes_at(b, end, w->thoff, 4, _h);
	if (!h)
		return SG_WALK_SHORT;
	w->sport = sg_be16(h);
	w->dport = sg_be16(h + 2);
	hlen = w->l4proto == SG_NH_UDP ? SG_UDP_HLEN : SG_TCP_HLEN;
	h = sg_bytes_at(b, end, w->thoff, hlen, _h);
	if (!h)
		return SG_WALK_BAD_TRANSPORT;
	if (w->l4proto == SG_NH_UDP) {
		/* Shorter than the IP payload is allowed (udp_rcv() trims). */
		ulen = sg_be16(h + 4);
		if (ulen < SG_UDP_HLEN || ulen > l4len)
			return SG_WALK_BAD_TRANSPORT;
		w->payoff = w->thoff + SG_UDP_HLEN;
		w->paylen = ulen - SG_UDP_HLEN;
	} else {
		doff = (h[12] >> 4) * 4;
		if (doff < SG_TCP_HLEN || doff > l4len)
			return SG_WALK_BAD_TRANSPORT;
		w->syn = (h[13] & (SG_TCP_SYN | SG_TCP_ACK)) == SG_TCP_SYN;
		w->payoff = w->thoff + doff;
		w->paylen = l4len - doff;
	}
	return SG_WALK_TRANSPORT;
}

/* The fixed IP header at @nhoff: in place, or copied into the walk. */
static const u8 *sg_walk_ip(struct sg_walk *w, const struct sg_bytes *b,
			    unsigned int nhoff, unsigned int hlen)
{
	return sg_bytes_at(b, b->len, nhoff, hlen, w->ip);
}

static enum sg_walk_end sg_walk_ipv4(struct sg_walk *w, const struct sg_bytes *b,
				     unsigned int nhoff, unsigned int *end)
{
	unsigned int ihl, tot;
	const u8 *iph;
	u16 frag;

	iph = sg_walk_ip(w, b, nhoff, SG_IPV4_HLEN);
	if (!iph || iph[0] >> 4 != 4)
		return SG_WALK_BAD_IP;
	ihl = (iph[0] & 0xf) * 4;
	if (ihl < SG_IPV4_HLEN || ihl > b->len - nhoff)
		return SG_WALK_BAD_IP;
	if (!b->skb) {
		tot = sg_be16(iph + 2);
		if (tot < ihl || tot > b->len - nhoff)
			return SG_WALK_BAD_IP;
		*end = nhoff + tot;
	}
	w->saddr = iph + 12;
	w->daddr = iph + 16;
	w->l4proto = iph[9];
	w->thoff = nhoff + ihl;
	frag = sg_be16(iph + 6);
	if (frag & SG_IP_OFFSET) {
		w->frag = SG_FRAG_LATER;
		return SG_WALK_FRAGMENT;
	}
	if (frag & SG_IP_MF)
		w->frag = SG_FRAG_FIRST;
	return SG_WALK_TRANSPORT;
}

/*
 * As ipv6_find_hdr(skb, &thoff, -1, &frag_off, &flags): an extension
 * header is whole or the chain is bad, except that a fragment at an offset
 * ends the walk as soon as its offset is read.
 */
static enum sg_walk_end sg_walk_ipv6(struct sg_walk *w, const struct sg_bytes *b,
				     unsigned int nhoff, unsigned int *end)
{
	unsigned int start = nhoff + SG_IPV6_HLEN, hdrlen, plen;
	const u8 *ip6, *hp;
	u8 _hp[4], nh;
	u16 frag;

	ip6 = sg_walk_ip(w, b, nhoff, SG_IPV6_HLEN);
	if (!ip6 || ip6[0] >> 4 != 6)
		return SG_WALK_BAD_IP;
	if (!b->skb) {
		/* 0: a jumbogram, its length in a hop-by-hop option. */
		plen = sg_be16(ip6 + 4);
		if (!plen || plen > b->len - start)
			return SG_WALK_BAD_IP;
		*end = start + plen;
	}
	w->saddr = ip6 + 8;
	w->daddr = ip6 + 24;
	nh = ip6[6];
	while (sg_ipv6_ext(nh) && nh != SG_NH_NONE) {
		w->ext = true;
		/* Routing: its segments-left byte too; fragment: its offset. */
		hp = sg_bytes_at(b, *end, start, nh == SG_NH_ROUTING ||
				 nh == SG_NH_FRAGMENT ? 4 : 2, _hp);
		if (!hp)
			return SG_WALK_BAD_CHAIN;
		if (nh == SG_NH_FRAGMENT) {
			frag = sg_be16(hp + 2);
			if (frag & ~7) {
				w->frag = SG_FRAG_LATER;
				w->l4proto = hp[0];
				return SG_WALK_FRAGMENT;
			}
			if (frag & 1)
				w->frag = SG_FRAG_FIRST;
			hdrlen = 8;
		} else if (nh == SG_NH_AUTH) {
			hdrlen = (hp[1] + 2) << 2;
		} else {
			hdrlen = (hp[1] + 1) << 3;
		}
		if (*end - start < hdrlen)
			return SG_WALK_BAD_CHAIN;
		nh = hp[0];
		start += hdrlen;
	}
	w->l4proto = nh;
	w->thoff = start;
	return SG_WALK_TRANSPORT;
}

enum sg_walk_end sg_walk(struct sg_walk *w, const struct sg_bytes *b,
			 unsigned int nhoff, u8 family)
{
	unsigned int end = b->len;
	enum sg_walk_end ret;

	w->family = family;
	w->l4proto = 0;
	w->frag = SG_FRAG_NONE;
	w->ext = false;
	w->syn = false;
	w->sport = 0;
	w->dport = 0;
	w->saddr = NULL;
	w->daddr = NULL;
	w->thoff = 0;
	w->payoff = 0;
	w->paylen = 0;
	if (nhoff > b->len)
		return SG_WALK_BAD_IP;
	if (family == SG_AF_INET)
		ret = sg_walk_ipv4(w, b, nhoff, &end);
	else
		ret = sg_walk_ipv6(w, b, nhoff, &end);
	if (ret != SG_WALK_TRANSPORT)
		return ret;
	if (w->l4proto != SG_NH_UDP && w->l4proto != SG_NH_TCP)
		return SG_WALK_OTHER;
	return sg_walk_l4(w, b, end);
}
