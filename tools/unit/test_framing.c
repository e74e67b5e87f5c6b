// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/framing.c, the iterator verdict.c drives over an
 * untrusted payload: which steps it asks for (charge without a token,
 * charge a token, judge a message) and in which order, and the payload's
 * result.  The payload is a flat buffer; packet.h's reads are supplied here,
 * and every window is copied to one scratch buffer that the next window
 * overwrites, as a nonlinear skb's is in the module.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "framing.h"
#include "tap.h"

struct sk_buff {
	const u8 *data;
	unsigned int seg;	/* GRO: bytes per datagram, 0 = one datagram */
	bool csum_bad;
};

static u8 scratch[SG_PARSE_WINDOW];

const u8 *sg_pkt_bytes(struct sk_buff *skb, const struct sg_pkt *pk,
		       unsigned int off, unsigned int len, void *buf)
{
	if (off > pk->paylen || len > pk->paylen - off)
		return NULL;
	memcpy(buf, skb->data + off, len);
	return buf;
}

const u8 *sg_pkt_window(struct sk_buff *skb, const struct sg_pkt *pk,
			unsigned int off, unsigned int end, unsigned int *len)
{
	*len = end - off < SG_PARSE_WINDOW ? end - off : SG_PARSE_WINDOW;
	memset(scratch, 0xa5, sizeof(scratch));
	return sg_pkt_bytes(skb, pk, off, *len, scratch);
}

unsigned int sg_pkt_datagram(struct sk_buff *skb, const struct sg_pkt *pk)
{
	return skb->seg ? skb->seg : pk->paylen;
}

bool sg_csum_ok(struct sk_buff *skb, const struct sg_pkt *pk)
{
	(void)pk;
	return !skb->csum_bad;
}

/*
 * verdict.c's loop, writing each step down: "i" a charge without a token,
 * "s" a token, "m" followed by the method's first letter a judged message.
 * The source has @tokens tokens; a message whose method starts with 'B'
 * ("BYE") is judged a drop (DROP_SIGNATURE), others PASS_OPEN.
 */
static enum sipguard_stat drive(u8 l4proto, const char *payload, unsigned int len,
				unsigned int seg, bool csum_bad, int tokens,
				char *trace)
{
	struct sk_buff skb = { .data = (const u8 *)payload, .seg = seg, .csum_bad = csum_bad };
	struct sg_pkt pk = { .l4proto = l4proto, .paylen = len };
	enum sipguard_stat why;
	struct sg_frames f;
	char *t = trace;

	sg_frames_start(&f, &skb, &pk);
	for (;;) {
		switch (sg_frames_next(&f)) {
		case SG_FRAME_IDLE:
			*t++ = 'i';
			break;
		case SG_FRAME_SIP:
			*t++ = 's';
			if (tokens-- <= 0) {
				*t = 0;
				return SIPGUARD_STAT_DROP_RATE;
			}
			break;
		case SG_FRAME_MESSAGE:
			*t++ = 'm';
			*t++ = f.msg.is_request ? (char)f.p[f.msg.method_tok.off] : 'r';
			why = *(t - 1) == 'B' ? SIPGUARD_STAT_DROP_SIGNATURE : SIPGUARD_STAT_PASS_OPEN;
			if (why != SIPGUARD_STAT_PASS_OPEN) {
				*t = 0;
				return why;
			}
			f.res = why;
			break;
		default:
			*t = 0;
			return f.res;
		}
	}
}

static void check(const char *name, u8 l4proto, const char *payload, unsigned int len,
		  unsigned int seg, bool csum_bad, int tokens,
		  const char *want_trace, enum sipguard_stat want)
{
	char trace[256];
	enum sipguard_stat got = drive(l4proto, payload, len, seg, csum_bad, tokens, trace);

	if (!tap_ok(got == want && !strcmp(trace, want_trace), "%s", name))
		tap_diag("got %d \"%s\", want %d \"%s\"", got, trace, want, want_trace);
}

#define UDP(name, p, tokens, trace, want) \
	check(name, IPPROTO_UDP, p, sizeof(p) - 1, 0, false, tokens, trace, want)
#define TCP(name, p, tokens, trace, want) \
	check(name, IPPROTO_TCP, p, sizeof(p) - 1, 0, false, tokens, trace, want)

#define OPTIONS \
	"OPTIONS sip:100@192.0.2.1 SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK1\r\n" \
	"From: <sip:a@203.0.113.5>;tag=1\r\n" \
	"To: <sip:100@192.0.2.1>\r\n" \
	"Call-ID: c1\r\n" \
	"CSeq: 1 OPTIONS\r\n" \
	"Content-Length: 0\r\n\r\n"
#define BYE \
	"BYE sip:100@192.0.2.1 SIP/2.0\r\n" \
	"Via: SIP/2.0/TCP 203.0.113.5:5060;branch=z9hG4bK2\r\n" \
	"From: <sip:a@203.0.113.5>;tag=1\r\n" \
	"To: <sip:100@192.0.2.1>;tag=2\r\n" \
	"Call-ID: c1\r\n" \
	"CSeq: 2 BYE\r\n" \
	"Content-Length: 0\r\n\r\n"
#define WITH_BODY(body_len) \
	"MESSAGE sip:100@192.0.2.1 SIP/2.0\r\n" \
	"Via: SIP/2.0/TCP 203.0.113.5:5060;branch=z9hG4bK3\r\n" \
	"From: <sip:a@203.0.113.5>;tag=1\r\n" \
	"To: <sip:100@192.0.2.1>\r\n" \
	"Call-ID: c2\r\n" \
	"CSeq: 3 MESSAGE\r\n" \
	"Content-Length: " body_len "\r\n\r\n"
#define STUN "\x00\x01\x00\x00\x21\x12\xa4\x42" "abcdefghijkl"

static void test_udp(void)
{
	unsigned int one = sizeof(OPTIONS) - 1;
	char gro[3 * sizeof(OPTIONS)];

	/* Three datagrams of @one bytes: a message, CRLFs, a message. */
	memcpy(gro, OPTIONS, one);
	memset(gro + one, '\n', one);
	memcpy(gro + 2 * one, OPTIONS, one);
	gro[3 * one] = 0;

	UDP("udp: empty datagram costs no token", "", 1, "i", SIPGUARD_STAT_KEEPALIVE);
	UDP("udp: CRLF keepalive costs no token", "\r\n\r\n", 1, "i", SIPGUARD_STAT_KEEPALIVE);
	UDP("udp: STUN binding costs no token", STUN, 1, "i", SIPGUARD_STAT_KEEPALIVE);
	UDP("udp: a message: a token, then judged", OPTIONS, 1, "smO", SIPGUARD_STAT_PASS_OPEN);
	UDP("udp: charged before it is parsed", "junk\r\n\r\n", 0, "s", SIPGUARD_STAT_DROP_RATE);
	UDP("udp: what does not parse is malformed", "junk\r\n\r\n", 1, "s",
	    SIPGUARD_STAT_DROP_MALFORMED);
	UDP("udp: headers cut short are malformed", "OPTIONS sip:1@192.0.2.1 SIP/2.0\r\nVia: x", 1,
	    "s", SIPGUARD_STAT_DROP_MALFORMED);
	UDP("udp: the message's drop is the packet's", BYE, 1, "smB", SIPGUARD_STAT_DROP_SIGNATURE);
	check("udp: bad checksum: BAD_L4 before any token", IPPROTO_UDP, OPTIONS, one, 0, true, 1,
	      "", SIPGUARD_STAT_BAD_L4);
	check("udp: bad checksum of a keepalive is not read", IPPROTO_UDP, "\r\n", 2, 0, true, 1,
	      "i", SIPGUARD_STAT_KEEPALIVE);
	check("udp: GRO: each datagram charged and judged", IPPROTO_UDP, gro, 3 * one,
	      one, false, 2, "smOismO", SIPGUARD_STAT_PASS_OPEN);
	check("udp: GRO: the second message out of tokens", IPPROTO_UDP, gro, 3 * one,
	      one, false, 1, "smOis", SIPGUARD_STAT_DROP_RATE);
	check("udp: GRO: a bad datagram drops all", IPPROTO_UDP, OPTIONS "junk\r\n\r\n",
	      one + 8, one, false, 5, "smOs", SIPGUARD_STAT_DROP_MALFORMED);
}

static void test_tcp(void)
{
	TCP("tcp: no payload (handshake, ACK)", "", 1, "i", SIPGUARD_STAT_PASS_OPEN);
	TCP("tcp: CRLF keepalive", "\r\n\r\n", 1, "i", SIPGUARD_STAT_KEEPALIVE);
	TCP("tcp: one message", OPTIONS, 1, "smO", SIPGUARD_STAT_PASS_OPEN);
	TCP("tcp: leading CRLFs skipped", "\r\n" OPTIONS, 1, "smO", SIPGUARD_STAT_PASS_OPEN);
	TCP("tcp: a message and its body", WITH_BODY("5") "hello", 1, "smM",
	    SIPGUARD_STAT_PASS_OPEN);
	TCP("tcp: pipelined: a token more for the second", OPTIONS OPTIONS, 2, "smOsmO",
	    SIPGUARD_STAT_PASS_OPEN);
	TCP("tcp: pipelined: the second out of tokens", OPTIONS OPTIONS, 1, "smOs",
	    SIPGUARD_STAT_DROP_RATE);
	TCP("tcp: a drop ends the segment", BYE OPTIONS, 5, "smB", SIPGUARD_STAT_DROP_SIGNATURE);
	TCP("tcp: a short Content-Length makes the rest a message", WITH_BODY("0") OPTIONS, 2,
	    "smMsmO", SIPGUARD_STAT_PASS_OPEN);
	TCP("tcp: a continuation (body bytes) costs the segment's token", "v=0\r\no=- 1 1 IN IP4 x\r\n",
	    1, "s", SIPGUARD_STAT_TCP_CONTINUATION);
	TCP("tcp: a continuation out of tokens", "v=0\r\n", 0, "s", SIPGUARD_STAT_DROP_RATE);
	TCP("tcp: a request line in a body is malformed",
	    WITH_BODY("34") "INVITE sip:100@192.0.2.1 SIP/2.0\r\n", 1, "smM",
	    SIPGUARD_STAT_DROP_MALFORMED);
	TCP("tcp: a request line in a continuation is malformed",
	    "x\r\nINVITE sip:100@192.0.2.1 SIP/2.0\r\n", 1, "s", SIPGUARD_STAT_DROP_MALFORMED);
	TCP("tcp: a request line split across segments is malformed",
	    "x\r\nINVITE sip:100@192.0.2.1 SIP/2", 1, "s", SIPGUARD_STAT_DROP_MALFORMED);
	TCP("tcp: a status line that does not parse is malformed", "SIP/2.0 abc\r\n\r\n", 1, "s",
	    SIPGUARD_STAT_DROP_MALFORMED);
	TCP("tcp: headers cut short by the segment cannot be judged: malformed",
	    "OPTIONS sip:1@192.0.2.1 SIP/2.0\r\nVia: x", 1, "s", SIPGUARD_STAT_DROP_MALFORMED);
	check("tcp: bad checksum: BAD_L4 before any token", IPPROTO_TCP, OPTIONS,
	      sizeof(OPTIONS) - 1, 0, true, 1, "", SIPGUARD_STAT_BAD_L4);
}

int main(void)
{
	tap_plan_start();
	test_udp();
	test_tcp();
	return tap_done();
}
