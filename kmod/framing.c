// SPDX-License-Identifier: GPL-2.0
/*
 * Framing: where the SIP messages in an untrusted payload are, under the
 * open policy (strict never gets here: it drops without looking).
 *
 * UDP: a datagram is one message (RFC 3261 18.1.1).  Empty datagrams, CRLF
 * keepalives and STUN binding traffic (RFC 5626 3.5.1 keepalives) are not
 * messages: they pass, counted as KEEPALIVE.  Anything else must parse as a
 * whole SIP message.
 *
 * TCP: no stream reassembly and no per-flow state.  A segment without
 * payload (handshake, ACK, FIN) passes.  A segment whose first line carries
 * "SIP/2.0" starts a message: it is split into messages by Content-Length,
 * and every message that starts in it must have its whole header section in
 * it, else the segment is malformed.  So the headers a server acts on are
 * always judged; what follows a message's headers in later segments is its
 * body (TCP_CONTINUATION: passed).  The gap this leaves: a peer may send
 * bytes that are not SIP as a "continuation"; they reach a SIP stack that
 * must reject them anyway, and the peer has completed a handshake, so it is
 * a real address that per-source limits apply to.  Strict policy (no
 * untrusted TCP at all) has no such gap.
 */
#include <linux/in.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/string.h>

#include "sip_parser.h"
#include "verdict.h"

/*
 * How much of an untrusted payload is parsed.  SIP over UDP should fit a
 * datagram of 1300 bytes (RFC 3261 18.1.1); a header section longer than
 * this is not SIP a phone needs from a stranger.  Messages of a (GRO-merged)
 * TCP super-segment that start beyond it count as continuation.
 */
#define SG_PARSE_WINDOW 8192

/* A copy of a nonlinear payload; bottom halves are off while in use. */
struct sg_scratch {
	u8 buf[SG_PARSE_WINDOW];
};
static struct sg_scratch __percpu *sg_scratch;

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

/*
 * Does the segment start a message: is its first line (within 256 bytes) a
 * status line ("SIP/2.0 ...") or a request line ("... SIP/2.0")?
 */
static bool sg_starts_message(const u8 *p, unsigned int len)
{
	unsigned int n = min_t(unsigned int, len, 256);
	const u8 *nl = memchr(p, '\n', n);

	if (!nl)
		return false;
	n = nl - p;
	if (n && p[n - 1] == '\r')
		n--;
	return n >= 8 && (!memcmp(p, "SIP/2.0 ", 8) || !memcmp(p + n - 8, " SIP/2.0", 8));
}

static enum sipguard_stat sg_judge_udp(const struct sg_config *cfg,
				       const struct sg_pkt *pk,
				       const u8 *p, unsigned int len,
				       struct sg_pcpu_stats *st)
{
	struct sip_msg msg;

	if (!len || sg_is_crlf(p, len) || sg_is_stun(p, len))
		return SIPGUARD_STAT_KEEPALIVE;
	/* A datagram is one whole message: headers cut short are not SIP. */
	if (sip_parse(p, len, &msg) != SIP_OK)
		return SIPGUARD_STAT_DROP_MALFORMED;
	return sg_judge_message(cfg, pk, p, len, &msg, st);
}

static enum sipguard_stat sg_judge_tcp(const struct sg_config *cfg,
				       const struct sg_pkt *pk,
				       const u8 *p, unsigned int len,
				       struct sg_pcpu_stats *st)
{
	enum sipguard_stat why = SIPGUARD_STAT_PASS_OPEN;
	struct sip_msg msg;
	unsigned int off = 0;
	u64 next;

	if (!len)
		return SIPGUARD_STAT_PASS_OPEN;
	if (sg_is_crlf(p, len))
		return SIPGUARD_STAT_KEEPALIVE;
	if (!sg_starts_message(p, len))
		return SIPGUARD_STAT_TCP_CONTINUATION;

	/* Each iteration consumes at least one header section: it ends. */
	while (off < len) {
		if (sg_is_crlf(p + off, len - off))
			break;
		if (sip_parse(p + off, len - off, &msg) != SIP_OK)
			return SIPGUARD_STAT_DROP_MALFORMED;
		why = sg_judge_message(cfg, pk, p + off, len - off, &msg, st);
		if (sg_is_drop(why))
			return why;
		/* Content-Length is mandatory over TCP (RFC 3261 20.14). */
		next = (u64)off + msg.hdr_end + msg.content_length;
		if (next >= len)
			break;
		off = next;
	}
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
	unsigned int len;
	const u8 *p = sg_payload(skb, pk, &len);

	if (len && !p)
		return SIPGUARD_STAT_BAD_L4;
	if (pk->l4proto == IPPROTO_TCP)
		return sg_judge_tcp(cfg, pk, p, len, st);
	return sg_judge_udp(cfg, pk, p, len, st);
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
