// SPDX-License-Identifier: GPL-2.0
/*
 * Framing: where the SIP messages in an untrusted payload are, under the
 * open policy (strict never gets here: it drops without looking), and what
 * each costs its source.  verdict.c drives it one step at a time (see
 * framing.h) and does what each step asks: charge the source, judge a
 * message; this file only reads the payload, through packet.h.
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
 * A GRO packet holds several datagrams of one flow (sg_pkt_datagram()):
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
#ifdef __KERNEL__
#include <linux/in.h>
#else
#include <netinet/in.h>
#include <strings.h>
#endif

#include "framing.h"

enum {
	SG_F_UDP_NEXT,		/* a datagram starts at off */
	SG_F_UDP_PARSE,		/* it was charged: parse it */
	SG_F_TCP_START,
	SG_F_TCP_MSG,		/* a message may start at off */
	SG_F_TCP_JUDGE,		/* it parsed and was charged: judge it */
	SG_F_TCP_AFTER,		/* it was judged: check its body, find the next */
	SG_F_END,
};

static inline unsigned int sg_min(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
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
	       (unsigned int)((p[2] << 8) | p[3]) + 20 == len;
}

/* The first payload offset in [off, end) that is not CR or LF, else end. */
static unsigned int sg_skip_crlf(struct sk_buff *skb, const struct sg_pkt *pk,
				 unsigned int off, unsigned int end)
{
	unsigned int i, n;
	const u8 *p;

	while (off < end) {
		p = sg_pkt_window(skb, pk, off, end, &n);
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
 * Does a request line end at payload offset @at?  See
 * sip_version_ends_line(); 32 bytes are enough to tell.
 */
static bool sg_version_ends_line(struct sk_buff *skb, const struct sg_pkt *pk,
				 unsigned int at)
{
	unsigned int n = sg_min(pk->paylen - at, 32);
	u8 _buf[32];
	const u8 *p;

	p = sg_pkt_bytes(skb, pk, at, n, _buf);
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
		p = sg_pkt_window(skb, pk, off, to, &n);
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
	n = sg_min(to - from, SIP_VERSION_SPLIT_MAX);
	p = sg_pkt_bytes(skb, pk, to - n, n, _tail);
	return !p || sip_ends_in_version_prefix(p, n);
}

/* Offset just past the start line of @msg in @p (it parsed: there is a LF). */
static unsigned int sg_start_line_end(const u8 *p, unsigned int n,
				      const struct sip_msg *msg)
{
	const u8 *nl = memchr(p + msg->start_off, '\n', n - msg->start_off);

	return nl ? (unsigned int)(nl - p) + 1 : n;
}

/* The payload's result is @res: no more steps. */
static enum sg_frame sg_frames_done(struct sg_frames *f, enum sipguard_stat res)
{
	f->res = res;
	f->state = SG_F_END;
	return SG_FRAME_DONE;
}

void sg_frames_start(struct sg_frames *f, struct sk_buff *skb,
		     const struct sg_pkt *pk)
{
	f->skb = skb;
	f->pk = pk;
	f->csum_checked = false;
	f->off = 0;
	if (pk->l4proto == IPPROTO_TCP) {
		f->state = SG_F_TCP_START;
		f->res = SIPGUARD_STAT_TCP_CONTINUATION;
	} else {
		f->state = SG_F_UDP_NEXT;
		f->res = SIPGUARD_STAT_KEEPALIVE;
		f->seg = sg_pkt_datagram(skb, pk);
	}
}

/* UDP: each datagram is one step (IDLE), or two (SIP, then MESSAGE). */
static enum sg_frame sg_frames_udp(struct sg_frames *f)
{
	const struct sg_pkt *pk = f->pk;

	if (f->state == SG_F_UDP_PARSE) {
		/* A datagram is one whole message: headers cut short are not SIP. */
		if (sip_parse(f->p, f->n, &f->msg) != SIP_OK)
			return sg_frames_done(f, SIPGUARD_STAT_DROP_MALFORMED);
		f->off = f->end;
		f->state = f->off < pk->paylen ? SG_F_UDP_NEXT : SG_F_END;
		return SG_FRAME_MESSAGE;
	}
	/* Each datagram moves off: seg > 0 unless paylen is 0. */
	f->end = sg_min(pk->paylen - f->off, f->seg) + f->off;
	f->p = sg_pkt_window(f->skb, pk, f->off, f->end, &f->n);
	if (f->n && !f->p)
		return sg_frames_done(f, SIPGUARD_STAT_BAD_L4);
	if (!f->n || sg_is_crlf(f->p, f->n) || sg_is_stun(f->p, f->n)) {
		f->off = f->end;
		f->state = f->off < pk->paylen ? SG_F_UDP_NEXT : SG_F_END;
		return SG_FRAME_IDLE;
	}
	if (!f->csum_checked) {
		if (!sg_csum_ok(f->skb, pk))
			return sg_frames_done(f, SIPGUARD_STAT_BAD_L4);
		f->csum_checked = true;
	}
	f->state = SG_F_UDP_PARSE;
	return SG_FRAME_SIP;
}

/*
 * TCP: the segment's first message costs the token the segment paid for,
 * every further one a token more, charged once it parsed.
 */
static enum sg_frame sg_frames_tcp(struct sg_frames *f)
{
	const struct sg_pkt *pk = f->pk;
	unsigned int len = pk->paylen, sl;
	u64 next;

	switch (f->state) {
	case SG_F_TCP_START:
		f->off = sg_skip_crlf(f->skb, pk, 0, len);
		if (f->off >= len) {
			/* Handshake, ACK, FIN or a CRLF keepalive: no SIP in it. */
			f->res = len ? SIPGUARD_STAT_KEEPALIVE : SIPGUARD_STAT_PASS_OPEN;
			f->state = SG_F_END;
			return SG_FRAME_IDLE;
		}
		if (!sg_csum_ok(f->skb, pk))
			return sg_frames_done(f, SIPGUARD_STAT_BAD_L4);
		/* The token for the segment pays for its first message. */
		f->charged = true;
		f->state = SG_F_TCP_MSG;
		return SG_FRAME_SIP;
	case SG_F_TCP_JUDGE:
		f->state = SG_F_TCP_AFTER;
		return SG_FRAME_MESSAGE;
	case SG_F_TCP_AFTER:
		sl = sg_start_line_end(f->p, f->n, &f->msg);
		/* Content-Length is mandatory over TCP (RFC 3261 20.14). */
		next = (u64)f->off + f->msg.hdr_end + f->msg.content_length;
		if (sg_tcp_tainted(f->skb, pk, f->off + sl, next < len ? (unsigned int)next : len))
			return sg_frames_done(f, SIPGUARD_STAT_DROP_MALFORMED);
		if (next >= len)
			return sg_frames_done(f, f->res);
		f->off = sg_skip_crlf(f->skb, pk, next, len);
		if (f->off >= len)
			return sg_frames_done(f, f->res);
		break;
	}
	/* SG_F_TCP_MSG: each message consumes at least its start line: it ends. */
	f->p = sg_pkt_window(f->skb, pk, f->off, len, &f->n);
	if (!f->p)
		return sg_frames_done(f, SIPGUARD_STAT_BAD_L4);
	if (sip_parse(f->p, f->n, &f->msg) != SIP_OK) {
		/*
		 * [off, len) starts no message we can judge: a body, or bytes no
		 * stack runs.  A status line we could not parse is a response we
		 * cannot judge; a request line anywhere is caught by the scan.
		 */
		if ((f->n >= 8 && !strncasecmp((const char *)f->p, "sip/2.0 ", 8)) ||
		    sg_tcp_tainted(f->skb, pk, f->off, len))
			return sg_frames_done(f, SIPGUARD_STAT_DROP_MALFORMED);
		return sg_frames_done(f, f->res);
	}
	if (f->charged) {
		f->charged = false;
		f->state = SG_F_TCP_AFTER;
		return SG_FRAME_MESSAGE;
	}
	f->state = SG_F_TCP_JUDGE;
	return SG_FRAME_SIP;
}

enum sg_frame sg_frames_next(struct sg_frames *f)
{
	if (f->state == SG_F_END)
		return SG_FRAME_DONE;
	if (f->state <= SG_F_UDP_PARSE)
		return sg_frames_udp(f);
	return sg_frames_tcp(f);
}

/*
 * A port guarded only by learning may be one NAT also gave another host's
 * flow.  Every SIP message carries "SIP/" in some case (its start line's
 * version, its Via), so a payload without it is nothing a SIP stack acts
 * on.  A bare SYN starts a connection SIP may follow; what is not read
 * whole (past the window, several datagrams) counts as SIP: fail closed.
 */
bool sg_frames_any_sip(struct sk_buff *skb, const struct sg_pkt *pk)
{
	unsigned int n, i;
	const u8 *p;

	if (pk->syn)
		return true;
	if (!pk->paylen)
		return false;
	if (pk->paylen > SG_PARSE_WINDOW ||
	    (pk->l4proto == IPPROTO_UDP && sg_pkt_datagram(skb, pk) < pk->paylen))
		return true;
	p = sg_payload(skb, pk, &n);
	if (!p)
		return true;
	for (i = 3; i < n; i++)
		if (p[i] == '/' && (p[i - 1] | 0x20) == 'p' &&
		    (p[i - 2] | 0x20) == 'i' && (p[i - 3] | 0x20) == 's')
			return true;
	return false;
}
