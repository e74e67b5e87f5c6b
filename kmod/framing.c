// SPDX-License-Identifier: GPL-2.0
/*
 * Framing: where the SIP messages in an untrusted payload are, under the
 * open policy (strict never gets here: it drops without looking), and what
 * each costs its source.
 *
 * The rule: whatever a SIP stack behind the guard could act on as a request
 * is judged as that request; what cannot be judged does not pass
 * (DROP_MALFORMED).  A message costs its source one token (sources.c);
 * packets that carry no SIP (no payload, CRLF keepalives, STUN) cost none,
 * only a ban stops them.
 *
 * UDP: a datagram is one message (RFC 3261 18.1.1).  Empty datagrams, CRLF
 * keepalives and STUN binding traffic (RFC 5626 3.5.1) pass as KEEPALIVE;
 * anything else must parse, whole header section within the parse window.
 * A GRO packet (rx-udp-gro-forwarding: SKB_GSO_UDP_L4, or a GRO list) holds
 * several datagrams of one flow, gso_size payload bytes each but the last:
 * each is judged and charged on its own.  A netfilter verdict is for the
 * whole skb, so one drop drops them all; GRO only merges datagrams of one
 * 5-tuple, so they are all the same source's.
 *
 * TCP: no reassembly and no per-flow state; we judge every place in a
 * segment where a SIP stack could find a request line.  A stack frames a
 * stream by Content-Length, so a sender can choose where its messages start
 * (a short Content-Length makes the rest of a "body" a new message), and a
 * start line may begin anywhere.  But every request a stack acts on carries
 * "SIP/2.0" (any case) at the end of its request line.  So for a segment:
 *  - from its first byte past CRLFs, every message that parses (start line
 *    and whole header section within the segment and the parse window) is
 *    judged like a datagram, and the next one is looked for after its body;
 *  - every other byte of the segment (bodies, a tail that does not parse, a
 *    segment that continues an earlier message) must not hold "SIP/2.0"
 *    followed by optional blanks and a line end or the segment's end, and
 *    the segment must not end in blank + a prefix of "SIP/2.0" (a request
 *    line split across segments): else it is DROP_MALFORMED.
 * Why this and not per-flow boundary tracking: a tracker must know where
 * the receiver thinks a message starts, which it learns from segments the
 * receiver may throw away (bad checksum, no ACK flag, out of window, PAWS),
 * and a table of flows is one more thing a spoofed flood fills.  The scan
 * is stateless and does not depend on whose framing is right: a body,
 * pipelined messages and a message spread over segments pass (nothing in an
 * SDP or sipfrag body ends a line in SIP/2.0), and no request line reaches
 * the stack unjudged.  What it costs: a message whose header section does
 * not fit one segment cannot be judged and is dropped (fail closed; headers
 * are well under one MSS in practice), as is a body that quotes a request
 * line.  What it does not cover: a sender that overlaps its own segments
 * with different bytes, so that the receiver keeps the first copy and
 * splices the second into it; closing that needs reassembly.  Strict
 * policy (no untrusted TCP at all) has no such gap.
 *
 * Checksums: a segment or datagram whose transport checksum is wrong (and
 * not already verified by the NIC) is dropped as BAD_L4 before it is
 * charged or judged, so forged junk never bans a source.
 */
#include <linux/in.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/udp.h>

#include "framing.h"
#include "sip_parser.h"
#include "sipguard.h"
#include "verdict.h"

/*
 * How much of one message is parsed.  SIP over UDP should fit a datagram of
 * 1300 bytes (RFC 3261 18.1.1); a header section longer than this is not
 * SIP a phone needs from a stranger, and it is dropped, not passed.
 */
#define SG_PARSE_WINDOW 8192

/* A copy of a nonlinear payload; bottom halves are off while in use. */
struct sg_scratch {
	u8 buf[SG_PARSE_WINDOW];
};
static struct sg_scratch __percpu *sg_scratch;

/* Payload bytes [off, min(end, off + window)), in place or copied. */
static const u8 *sg_window(struct sk_buff *skb, const struct sg_pkt *pk,
			   unsigned int off, unsigned int end, unsigned int *len)
{
	*len = min_t(unsigned int, end - off, SG_PARSE_WINDOW);
	return skb_header_pointer(skb, pk->payoff + off, *len,
				  this_cpu_ptr(sg_scratch)->buf);
}

static bool sg_is_crlf(const u8 *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

/* A STUN message (RFC 5389 6): 00 in the top bits, magic cookie, length. */
static bool sg_is_stun(const u8 *p, unsigned int len)
{
	static const u8 cookie[4] = { 0x21, 0x12, 0xa4, 0x42 };

	return len >= 20 && !(p[0] & 0xc0) && !memcmp(p + 4, cookie, 4) &&
	       ((p[2] << 8) | p[3]) + 20 == len;
}

/* The first payload offset in [off, end) that is not CR or LF, else end. */
static unsigned int sg_skip_crlf(struct sk_buff *skb, const struct sg_pkt *pk,
				 unsigned int off, unsigned int end)
{
	unsigned int i, n;
	const u8 *p;

	while (off < end) {
		p = sg_window(skb, pk, off, end, &n);
		if (!p)
			return end;
		for (i = 0; i < n && (p[i] == '\r' || p[i] == '\n'); i++)
			;
		off += i;
		if (i < n)
			break;
	}
	return off;
}

/*
 * The transport checksum, unless the device or GRO checked it already.  An
 * IPv4 UDP checksum of zero means none was sent (RFC 768).
 */
bool sg_csum_ok(struct sk_buff *skb, const struct sg_pkt *pk)
{
	u8 nfpf = pk->family == SG_AF_INET ? NFPROTO_IPV4 : NFPROTO_IPV6;
	unsigned int l4len;
	__sum16 _check;
	const __sum16 *check;

	if (skb_csum_unnecessary(skb))
		return true;
	if (pk->l4proto == IPPROTO_UDP) {
		l4len = pk->paylen + sizeof(struct udphdr);
		if (pk->family == SG_AF_INET) {
			check = skb_header_pointer(skb, pk->thoff +
						   offsetof(struct udphdr, check),
						   sizeof(_check), &_check);
			if (!check)
				return false;
			if (!*check)
				return true;
		}
	} else {
		l4len = skb->len - pk->thoff;
	}
	if (pk->thoff + l4len == skb->len)
		return !nf_checksum(skb, NF_INET_PRE_ROUTING, pk->thoff,
				    pk->l4proto, nfpf);
	return !nf_checksum_partial(skb, NF_INET_PRE_ROUTING, pk->thoff, l4len,
				    pk->l4proto, nfpf);
}

/*
 * Does a request line end at payload offset @at?  See
 * sip_version_ends_line(); 32 bytes are enough to tell.
 */
static bool sg_version_ends_line(struct sk_buff *skb, const struct sg_pkt *pk,
				 unsigned int at)
{
	unsigned int n = min_t(unsigned int, pk->paylen - at, 32);
	u8 _buf[32];
	const u8 *p;

	p = skb_header_pointer(skb, pk->payoff + at, n, _buf);
	if (!p)
		return true;
	return sip_version_ends_line(p, n);
}

/*
 * Could a SIP stack find a request line in payload bytes [from, to), bytes
 * that no judged start line covers?  See the comment at the top.
 */
static bool sg_tcp_tainted(struct sk_buff *skb, const struct sg_pkt *pk,
			   unsigned int from, unsigned int to)
{
	unsigned int off, n, i;
	u8 _tail[SIP_VERSION_SPLIT_MAX];
	const u8 *p;

	for (off = from; off < to; off += n) {
		p = sg_window(skb, pk, off, to, &n);
		if (!p)
			return true;
		for (i = 0; i < n; i++) {
			if ((p[i] | 0x20) != 's' || (i + 3 < n && p[i + 3] != '/'))
				continue;
			if (sg_version_ends_line(skb, pk, off + i))
				return true;
		}
	}
	if (to != pk->paylen || to == from)
		return false;
	/* A blank and the first bytes of "SIP/2.0" end the segment. */
	n = min_t(unsigned int, to - from, SIP_VERSION_SPLIT_MAX);
	p = skb_header_pointer(skb, pk->payoff + to - n, n, _tail);
	return !p || sip_ends_in_version_prefix(p, n);
}

static enum sipguard_stat sg_judge_udp(const struct sg_config *cfg,
				       struct sk_buff *skb,
				       const struct sg_pkt *pk,
				       struct sg_pcpu_stats *st)
{
	enum sipguard_stat why, res = SIPGUARD_STAT_KEEPALIVE;
	unsigned int seg = pk->paylen, off = 0, end, n;
	bool csum_checked = false;
	struct sip_msg msg;
	const u8 *p;

	if (skb_is_gso(skb) && skb_shinfo(skb)->gso_size &&
	    (skb_shinfo(skb)->gso_type & (SKB_GSO_UDP_L4 | SKB_GSO_FRAGLIST)))
		seg = skb_shinfo(skb)->gso_size;

	/* Each iteration takes one datagram: seg > 0 unless paylen is 0. */
	do {
		end = min_t(unsigned int, pk->paylen - off, seg) + off;
		p = sg_window(skb, pk, off, end, &n);
		if (n && !p)
			return SIPGUARD_STAT_BAD_L4;
		if (!n || sg_is_crlf(p, n) || sg_is_stun(p, n)) {
			why = sg_src_judge(pk->sgn, cfg, pk, false, st);
			if (why)
				return why;
			off = end;
			continue;
		}
		if (!csum_checked) {
			if (!sg_csum_ok(skb, pk))
				return SIPGUARD_STAT_BAD_L4;
			csum_checked = true;
		}
		why = sg_src_judge(pk->sgn, cfg, pk, true, st);
		if (why)
			return why;
		/* A datagram is one whole message: headers cut short are not SIP. */
		if (sip_parse(p, n, &msg) != SIP_OK)
			return SIPGUARD_STAT_DROP_MALFORMED;
		why = sg_judge_message(cfg, pk, p, n, &msg, st);
		if (sg_is_drop(why))
			return why;
		res = why;
		off = end;
	} while (off < pk->paylen);
	return res;
}

/* Offset just past the start line of @msg in @p (it parsed: there is a LF). */
static unsigned int sg_start_line_end(const u8 *p, unsigned int n,
				      const struct sip_msg *msg)
{
	const u8 *nl = memchr(p + msg->start_off, '\n', n - msg->start_off);

	return nl ? nl - p + 1 : n;
}

static enum sipguard_stat sg_judge_tcp(const struct sg_config *cfg,
				       struct sk_buff *skb,
				       const struct sg_pkt *pk,
				       struct sg_pcpu_stats *st)
{
	enum sipguard_stat why = SIPGUARD_STAT_TCP_CONTINUATION;
	unsigned int len = pk->paylen, off, n, sl;
	bool charged = true;
	struct sip_msg msg;
	const u8 *p;
	u64 next;

	off = sg_skip_crlf(skb, pk, 0, len);
	if (off >= len) {
		/* Handshake, ACK, FIN or a CRLF keepalive: no SIP in it. */
		why = sg_src_judge(pk->sgn, cfg, pk, false, st);
		if (why)
			return why;
		return len ? SIPGUARD_STAT_KEEPALIVE : SIPGUARD_STAT_PASS_OPEN;
	}
	if (!sg_csum_ok(skb, pk))
		return SIPGUARD_STAT_BAD_L4;
	/* One token for the segment, one more for every further message. */
	why = sg_src_judge(pk->sgn, cfg, pk, true, st);
	if (why)
		return why;
	why = SIPGUARD_STAT_TCP_CONTINUATION;

	/* Each iteration consumes at least one start line: it ends. */
	for (;;) {
		p = sg_window(skb, pk, off, len, &n);
		if (!p)
			return SIPGUARD_STAT_BAD_L4;
		if (sip_parse(p, n, &msg) != SIP_OK)
			break;
		if (!charged) {
			enum sipguard_stat w = sg_src_judge(pk->sgn, cfg, pk, true, st);

			if (w)
				return w;
		}
		charged = false;
		sl = sg_start_line_end(p, n, &msg);
		why = sg_judge_message(cfg, pk, p, n, &msg, st);
		if (sg_is_drop(why))
			return why;
		/* Content-Length is mandatory over TCP (RFC 3261 20.14). */
		next = (u64)off + msg.hdr_end + msg.content_length;
		if (sg_tcp_tainted(skb, pk, off + sl, min_t(u64, next, len)))
			return SIPGUARD_STAT_DROP_MALFORMED;
		if (next >= len)
			return why;
		off = sg_skip_crlf(skb, pk, next, len);
		if (off >= len)
			return why;
	}
	/*
	 * [off, len) starts no message we can judge: a body, or bytes no stack
	 * runs.  A status line we could not parse is a response we cannot
	 * judge; a request line anywhere is caught by the scan.
	 */
	if ((n >= 8 && !strncasecmp((const char *)p, "sip/2.0 ", 8)) ||
	    sg_tcp_tainted(skb, pk, off, len))
		return SIPGUARD_STAT_DROP_MALFORMED;
	return why;
}

const u8 *sg_payload(struct sk_buff *skb, const struct sg_pkt *pk,
		     unsigned int *len)
{
	*len = min_t(unsigned int, pk->paylen, SG_PARSE_WINDOW);
	if (!*len)
		return NULL;
	return skb_header_pointer(skb, pk->payoff, *len, this_cpu_ptr(sg_scratch)->buf);
}

enum sipguard_stat sg_judge_payload(const struct sg_config *cfg,
				    struct sk_buff *skb, const struct sg_pkt *pk,
				    struct sg_pcpu_stats *st)
{
	if (pk->l4proto == IPPROTO_TCP)
		return sg_judge_tcp(cfg, skb, pk, st);
	return sg_judge_udp(cfg, skb, pk, st);
}

int __init sg_framing_init(void)
{
	sg_scratch = alloc_percpu(struct sg_scratch);
	return sg_scratch ? 0 : -ENOMEM;
}

void sg_framing_exit(void)
{
	free_percpu(sg_scratch);
}
