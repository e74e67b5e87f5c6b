// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/walk.c, the L3/L4 walk of the hooks, the failure
 * answers and the XDP kfunc: each outcome the hook, failures.c and the XDP
 * kfunc act on (transport, bad transport header, no ports, other protocol,
 * later fragment, unwalkable IPv6 chain, bad IP header), the IPv6 chain as
 * ipv6_find_hdr() walks it, the lengths of an skb (as the stack trimmed
 * it) against a raw frame's (from its IP header).  Every skb case is also
 * walked with its bytes split at every point between a linear head and a
 * copied rest: the outcome must not depend on where the split falls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist.h"
#include "tap.h"
#include "walk.h"

/* The stand-in for an skb: the whole packet, copied out as skb_copy_bits(). */
struct sk_buff {
	const u8 *all;
	unsigned int len;
};

int sg_bytes_copy(const struct sk_buff *skb, unsigned int off, void *buf,
		  unsigned int len)
{
	if (off > skb->len || len > skb->len - off)
		return -1;
	memcpy(buf, skb->all + off, len);
	return 0;
}

enum { V4 = SG_AF_INET, V6 = SG_AF_INET6 };
enum { SKB, FRAME };

static u8 pkt[512];
static unsigned int n;		/* bytes of pkt built so far */

static void put(const void *p, unsigned int len)
{
	memcpy(pkt + n, p, len);
	n += len;
}

static void put16(u16 v)
{
	u8 b[2] = { v >> 8, v & 0xff };

	put(b, 2);
}

static void zeros(unsigned int len)
{
	memset(pkt + n, 0, len);
	n += len;
}

/* IPv4 header; tot 0: the length of what follows, filled in by end4(). */
static unsigned int ip4(u8 ihl, u8 proto, u16 frag)
{
	unsigned int at = n;
	u8 h[20] = { 0x40 | ihl, 0, 0, 0, 0, 1, frag >> 8, frag & 0xff, 64, proto,
		     0, 0, 203, 0, 113, 66, 192, 0, 2, 1 };

	put(h, sizeof(h));
	if (ihl > 5)
		zeros((ihl - 5) * 4);
	return at;
}

static void set16(unsigned int at, u16 v)
{
	pkt[at] = v >> 8;
	pkt[at + 1] = v & 0xff;
}

static unsigned int ip6(u8 nh)
{
	unsigned int at = n;
	u8 h[40] = { 0x60, 0, 0, 0, 0, 0, nh, 64,
		     0x20, 0x01, 0x0d, 0xb8, [23] = 0x66,
		     0x20, 0x01, 0x0d, 0xb8, [39] = 0x01 };

	put(h, sizeof(h));
	return at;
}

/* An extension header of @len bytes (hdrlen as its type counts it). */
static void ext(u8 nh, u8 hdrlen, unsigned int len)
{
	u8 h[2] = { nh, hdrlen };

	put(h, 2);
	zeros(len - 2);
}

static void frag6(u8 nh, u16 off, bool more)
{
	u8 h[2] = { nh, 0 };

	put(h, 2);
	put16(off << 3 | more);
	zeros(4);
}

static void udp(u16 ulen, unsigned int paylen)
{
	put16(5062);
	put16(5060);
	put16(ulen);
	put16(0);
	zeros(paylen);
}

static void tcp(u8 doff, u8 flags, unsigned int paylen)
{
	put16(5062);
	put16(5060);
	zeros(8);
	pkt[n++] = doff << 4;
	pkt[n++] = flags;
	zeros(6);
	if (doff > 5)
		zeros((doff - 5) * 4);
	zeros(paylen);
}

/* The IP lengths of what was built from @at on. */
static void len4(unsigned int at)
{
	set16(at + 2, n - at);
}

static void len6(unsigned int at)
{
	set16(at + 4, n - at - 40);
}

static bool same(const struct sg_walk *a, const struct sg_walk *b)
{
	return a->family == b->family && a->l4proto == b->l4proto &&
	       a->frag == b->frag && a->ext == b->ext && a->syn == b->syn &&
	       a->sport == b->sport && a->dport == b->dport &&
	       a->thoff == b->thoff && a->payoff == b->payoff &&
	       a->paylen == b->paylen && !a->saddr == !b->saddr &&
	       (!a->saddr || (!memcmp(a->saddr, b->saddr, a->family == V4 ? 4 : 16) &&
			      !memcmp(a->daddr, b->daddr, a->family == V4 ? 4 : 16)));
}

static struct sg_walk w;

/*
 * Walk pkt[0, len) from @nhoff.  An skb is walked at every split of head
 * and copied rest; all must agree (w: the wholly linear walk).
 */
static enum sg_walk_end walk_len(int mode, u8 family, unsigned int nhoff, unsigned int len)
{
	struct sk_buff skb = { pkt, len };
	struct sg_bytes b = { pkt, len, len, mode == SKB ? &skb : NULL };
	enum sg_walk_end end = sg_walk(&w, &b, nhoff, family), e;
	struct sg_walk v;
	unsigned int head;

	/* A head of its own size: ASan sees any read past it. */
	for (head = 0; mode == SKB && head < len; head++) {
		u8 *h = malloc(head ?: 1);
		bool ok;

		memcpy(h, pkt, head);
		b.data = h;
		b.headlen = head;
		e = sg_walk(&v, &b, nhoff, family);
		ok = e == end && same(&v, &w);
		free(h);
		if (!ok) {
			tap_diag("head %u of %u: end %d, not %d", head, len, e, end);
			return -1;
		}
	}
	return end;
}

static enum sg_walk_end walk(int mode, u8 family)
{
	return walk_len(mode, family, 0, n);
}

static void test_ipv4(void)
{
	unsigned int at;

	n = 0;
	at = ip4(5, 17, 0);
	udp(18, 10);
	len4(at);
	tap_ok(walk(SKB, V4) == SG_WALK_TRANSPORT && w.sport == 5062 && w.dport == 5060 &&
	       w.l4proto == 17 && w.thoff == 20 && w.payoff == 28 && w.paylen == 10 &&
	       w.frag == SG_FRAG_NONE && !w.ext && w.saddr[0] == 203 && w.daddr[0] == 192,
	       "IPv4 UDP: ports, addresses, payload at 28, 10 bytes");
	tap_ok(walk(FRAME, V4) == SG_WALK_TRANSPORT && w.paylen == 10, "... as a frame too");

	n = 0;
	at = ip4(5, 17, 0);
	udp(18, 22);
	len4(at);
	tap_ok(walk(SKB, V4) == SG_WALK_TRANSPORT && w.paylen == 10,
	       "UDP shorter than its IP payload: the UDP length counts");

	n = 0;
	ip4(5, 17, 0);
	udp(7, 10);
	tap_ok(walk(SKB, V4) == SG_WALK_BAD_TRANSPORT && w.dport == 5060,
	       "UDP length below its header: bad transport, ports read");
	n = 0;
	ip4(5, 17, 0);
	udp(19, 10);
	tap_ok(walk(SKB, V4) == SG_WALK_BAD_TRANSPORT, "UDP length beyond the packet: bad transport");
	n = 0;
	ip4(5, 17, 0);
	udp(8, 0);
	n -= 2;
	tap_ok(walk(SKB, V4) == SG_WALK_BAD_TRANSPORT && w.dport == 5060,
	       "6 bytes of UDP header: bad transport, ports read");
	n = 0;
	ip4(5, 17, 0);
	udp(8, 0);
	n -= 5;
	tap_ok(walk(SKB, V4) == SG_WALK_SHORT, "3 bytes of UDP: no ports");
	n = 0;
	ip4(5, 17, 0);
	tap_ok(walk(SKB, V4) == SG_WALK_SHORT, "no transport bytes at all: no ports");

	n = 0;
	ip4(5, 6, 0);
	tcp(5, 0x02, 7);
	tap_ok(walk(SKB, V4) == SG_WALK_TRANSPORT && w.syn && w.payoff == 40 && w.paylen == 7,
	       "TCP SYN: syn, payload at 40, 7 bytes");
	n = 0;
	ip4(5, 6, 0);
	tcp(8, 0x12, 3);
	tap_ok(walk(SKB, V4) == SG_WALK_TRANSPORT && !w.syn && w.payoff == 52 && w.paylen == 3,
	       "TCP SYN-ACK with options: no syn, payload after the options");
	n = 0;
	ip4(5, 6, 0);
	tcp(4, 0x10, 10);
	tap_ok(walk(SKB, V4) == SG_WALK_BAD_TRANSPORT, "TCP data offset below 5: bad transport");
	n = 0;
	ip4(5, 6, 0);
	tcp(5, 0x10, 0);
	pkt[20 + 12] = 6 << 4;
	tap_ok(walk(SKB, V4) == SG_WALK_BAD_TRANSPORT, "TCP data offset beyond the packet: bad transport");
	n = 0;
	ip4(5, 6, 0);
	tcp(5, 0x10, 0);
	n -= 1;
	tap_ok(walk(SKB, V4) == SG_WALK_BAD_TRANSPORT, "19 bytes of TCP header: bad transport");

	n = 0;
	ip4(5, 1, 0);
	zeros(8);
	tap_ok(walk(SKB, V4) == SG_WALK_OTHER && w.l4proto == 1, "ICMP: another protocol");

	n = 0;
	ip4(5, 17, 185);
	zeros(40);
	tap_ok(walk(SKB, V4) == SG_WALK_FRAGMENT && w.frag == SG_FRAG_LATER,
	       "a fragment at an offset: no transport header");
	n = 0;
	ip4(5, 1, 185);
	zeros(40);
	tap_ok(walk(SKB, V4) == SG_WALK_FRAGMENT, "... whatever its protocol");
	n = 0;
	at = ip4(5, 17, 0x2000);
	udp(3000, 100);
	len4(at);
	tap_ok(walk(SKB, V4) == SG_WALK_BAD_TRANSPORT && w.frag == SG_FRAG_FIRST,
	       "a first fragment: walked, its UDP length beyond it (bad transport)");
	tap_ok(walk(FRAME, V4) == SG_WALK_BAD_TRANSPORT && w.frag == SG_FRAG_FIRST,
	       "... as a frame too");

	n = 0;
	ip4(7, 17, 0);
	udp(8, 0);
	tap_ok(walk(SKB, V4) == SG_WALK_TRANSPORT && w.thoff == 28, "IPv4 options: transport at 28");

	n = 0;
	ip4(4, 17, 0);
	udp(8, 0);
	tap_ok(walk(SKB, V4) == SG_WALK_BAD_IP && !w.saddr, "IHL 4: bad IP header");
	n = 0;
	ip4(15, 17, 0);
	n = 40;
	tap_ok(walk(SKB, V4) == SG_WALK_BAD_IP, "IHL 15 in 40 bytes: bad IP header");
	n = 0;
	ip4(5, 17, 0);
	pkt[0] = 0x65;
	udp(8, 0);
	tap_ok(walk(SKB, V4) == SG_WALK_BAD_IP, "version 6 in an IPv4 packet: bad IP header");
	n = 0;
	ip4(5, 17, 0);
	n = 19;
	tap_ok(walk(SKB, V4) == SG_WALK_BAD_IP, "19 bytes: bad IP header");
	tap_ok(walk_len(SKB, V4, 20, 19) == SG_WALK_BAD_IP, "a network header beyond the packet");

	/* 14 bytes of MAC header before the IP header. */
	n = 0;
	zeros(14);
	at = ip4(5, 17, 0);
	udp(12, 4);
	len4(at);
	tap_ok(walk_len(SKB, V4, 14, n) == SG_WALK_TRANSPORT && w.thoff == 34 && w.payoff == 42 &&
	       w.paylen == 4, "IP header at 14: offsets from the packet's start");
}

/* What a raw frame's IP lengths decide, and what an skb's do not. */
static void test_lengths(void)
{
	unsigned int at;

	n = 0;
	at = ip4(5, 6, 0);
	tcp(5, 0x10, 10);
	len4(at);
	zeros(6);
	tap_ok(walk(FRAME, V4) == SG_WALK_TRANSPORT && w.paylen == 10,
	       "frame: Ethernet padding after the datagram is not payload");
	set16(at + 2, 0);
	tap_ok(walk(SKB, V4) == SG_WALK_TRANSPORT && w.paylen == 16,
	       "skb: its length counts, not the IP total length (0 under BIG TCP)");
	tap_ok(walk(FRAME, V4) == SG_WALK_BAD_IP, "frame: total length 0: bad IP header");
	set16(at + 2, n + 1);
	tap_ok(walk(FRAME, V4) == SG_WALK_BAD_IP, "frame: total length beyond the frame: bad IP header");
	set16(at + 2, 19);
	tap_ok(walk(FRAME, V4) == SG_WALK_BAD_IP, "frame: total length inside the header: bad IP header");
	set16(at + 2, 20 + 6);
	tap_ok(walk(FRAME, V4) == SG_WALK_BAD_TRANSPORT,
	       "frame: a TCP header beyond the total length: bad transport");

	n = 0;
	at = ip6(17);
	udp(12, 4);
	len6(at);
	zeros(6);
	tap_ok(walk(FRAME, V6) == SG_WALK_TRANSPORT && w.paylen == 4,
	       "frame: IPv6 payload length ends the datagram");
	set16(at + 4, 0);
	tap_ok(walk(FRAME, V6) == SG_WALK_BAD_IP, "frame: IPv6 jumbogram (length 0): bad IP header");
	tap_ok(walk(SKB, V6) == SG_WALK_TRANSPORT, "skb: IPv6 payload length 0 is the stack's business");
	set16(at + 4, n - 40 + 1);
	tap_ok(walk(FRAME, V6) == SG_WALK_BAD_IP, "frame: IPv6 payload beyond the frame: bad IP header");
	set16(at + 4, 3);
	tap_ok(walk(FRAME, V6) == SG_WALK_SHORT, "frame: 3 bytes of IPv6 payload: no ports");
}

static void test_ipv6(void)
{
	unsigned int at;

	n = 0;
	at = ip6(17);
	udp(18, 10);
	len6(at);
	tap_ok(walk(SKB, V6) == SG_WALK_TRANSPORT && w.thoff == 40 && w.payoff == 48 &&
	       w.paylen == 10 && !w.ext && w.saddr[15] == 0x66 && w.daddr[15] == 1,
	       "IPv6 UDP: transport at 40, addresses");
	tap_ok(walk(FRAME, V6) == SG_WALK_TRANSPORT, "... as a frame too");

	/* What sg_send.py exthdr6 sends. */
	n = 0;
	at = ip6(0);
	ext(60, 0, 8);
	ext(43, 0, 8);
	ext(44, 0, 8);
	frag6(17, 0, false);
	udp(18, 10);
	len6(at);
	tap_ok(walk(SKB, V6) == SG_WALK_TRANSPORT && w.ext && w.thoff == 72 &&
	       w.frag == SG_FRAG_NONE && w.l4proto == 17,
	       "hop-by-hop, destination, routing, atomic fragment: UDP at 72");
	tap_ok(walk(FRAME, V6) == SG_WALK_TRANSPORT && w.ext, "... as a frame too, marked ext");

	n = 0;
	ip6(51);
	ext(17, 4, 24);
	udp(8, 0);
	tap_ok(walk(SKB, V6) == SG_WALK_TRANSPORT && w.thoff == 64,
	       "AH: its length in 4-byte words, plus 2");
	n = 0;
	ip6(60);
	ext(6, 2, 24);
	tcp(5, 0, 0);
	tap_ok(walk(SKB, V6) == SG_WALK_TRANSPORT && w.thoff == 64 && w.l4proto == 6,
	       "destination options of 24 bytes, then TCP");

	/* What sg_send.py badext6 sends. */
	n = 0;
	ip6(60);
	ext(17, 20, 8);
	tap_ok(walk(SKB, V6) == SG_WALK_BAD_CHAIN && w.saddr && w.saddr[15] == 0x66 &&
	       w.l4proto == 0, "destination options running past the packet: bad chain, addresses read");
	n = 0;
	ip6(0);
	pkt[n++] = 17;
	tap_ok(walk(SKB, V6) == SG_WALK_BAD_CHAIN, "1 byte of hop-by-hop header: bad chain");
	n = 0;
	ip6(43);
	ext(17, 0, 8);
	n -= 5;
	tap_ok(walk(SKB, V6) == SG_WALK_BAD_CHAIN, "3 bytes of routing header: bad chain");
	n = 0;
	ip6(43);
	ext(17, 0, 8);
	n -= 4;
	tap_ok(walk(SKB, V6) == SG_WALK_BAD_CHAIN, "4 bytes of an 8-byte routing header: bad chain");
	n = 0;
	ip6(60);
	ext(17, 0, 8);
	tap_ok(walk(SKB, V6) == SG_WALK_SHORT, "a whole header, then nothing: no ports");

	n = 0;
	ip6(44);
	frag6(17, 185, false);
	zeros(16);
	tap_ok(walk(SKB, V6) == SG_WALK_FRAGMENT && w.frag == SG_FRAG_LATER && w.l4proto == 17,
	       "a fragment at an offset: no transport header");
	n = 0;
	ip6(44);
	frag6(60, 185, true);
	zeros(16);
	tap_ok(walk(SKB, V6) == SG_WALK_FRAGMENT, "... followed by an extension header");
	n = 0;
	ip6(44);
	frag6(17, 185, true);
	n -= 4;
	tap_ok(walk(SKB, V6) == SG_WALK_FRAGMENT, "... of which only the offset is there");
	n = 0;
	ip6(44);
	frag6(17, 185, true);
	n -= 5;
	tap_ok(walk(SKB, V6) == SG_WALK_BAD_CHAIN, "a fragment header without its offset: bad chain");
	n = 0;
	ip6(44);
	frag6(17, 0, true);
	n -= 2;
	tap_ok(walk(SKB, V6) == SG_WALK_BAD_CHAIN, "6 bytes of a first fragment's header: bad chain");
	n = 0;
	at = ip6(44);
	frag6(17, 0, true);
	udp(3000, 100);
	len6(at);
	tap_ok(walk(SKB, V6) == SG_WALK_BAD_TRANSPORT && w.frag == SG_FRAG_FIRST && w.ext,
	       "a first fragment: walked, its UDP length beyond it (bad transport)");

	n = 0;
	ip6(59);
	zeros(8);
	tap_ok(walk(SKB, V6) == SG_WALK_OTHER && w.l4proto == 59, "no next header: another protocol");
	n = 0;
	ip6(60);
	ext(59, 0, 8);
	tap_ok(walk(SKB, V6) == SG_WALK_OTHER, "... after destination options");
	n = 0;
	ip6(50);
	zeros(16);
	tap_ok(walk(SKB, V6) == SG_WALK_OTHER && w.l4proto == 50, "ESP: another protocol");
	n = 0;
	ip6(58);
	zeros(8);
	tap_ok(walk(SKB, V6) == SG_WALK_OTHER, "ICMPv6: another protocol");

	n = 0;
	ip6(17);
	pkt[0] = 0x45;
	udp(8, 0);
	tap_ok(walk(SKB, V6) == SG_WALK_BAD_IP && !w.saddr, "version 4 in an IPv6 packet: bad IP header");
	n = 39;
	tap_ok(walk(SKB, V6) == SG_WALK_BAD_IP, "39 bytes: bad IP header");
}

/* A long chain: every header walked, the offset summed. */
static void test_chain(void)
{
	unsigned int i;

	n = 0;
	ip6(60);
	for (i = 0; i < 40; i++)
		ext(i < 39 ? 60 : 17, 0, 8);
	udp(8, 0);
	tap_ok(walk(SKB, V6) == SG_WALK_TRANSPORT && w.thoff == 40 + 40 * 8,
	       "40 destination options headers: UDP at 360");
}

int main(void)
{
	tap_plan_start();
	test_ipv4();
	test_lengths();
	test_ipv6();
	test_chain();
	return tap_done();
}
