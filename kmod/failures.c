// SPDX-License-Identifier: GPL-2.0
/*
 * Failure bans (see failures.h): requests remembered, answers matched and
 * judged.
 *
 * Why Call-ID, CSeq and branch: a UAS copies all three into every answer
 * (RFC 3261 8.2.6.2), and a scanner cannot make a third party's PBX answer
 * a request that third party never sent; an answer that matches nothing
 * counts nothing (FAILURES_UNMATCHED).  Someone who could forge these
 * answers could as well forge the requests, and a forged scanner
 * User-Agent bans at once: this is no easier to abuse than signatures.
 */
#include <linux/siphash.h>
#include <linux/skbuff.h>

#include "failures.h"
#include "packet.h"
#include "sip_parser.h"
#include "sipguard.h"
#include "walk.h"

static siphash_key_t sg_fail_key __read_mostly;

/* The remembered form of a request, or of the request an answer is to. */
static u32 sg_fail_rec(const u8 *p, const struct sip_msg *msg)
{
	const struct sip_field *f;
	u64 id, branch, method;
	u32 rec;

	net_get_random_once(&sg_fail_key, sizeof(sg_fail_key));
	f = &msg->call_id;
	id = siphash(p + f->off, f->len, &sg_fail_key);
	f = &msg->via.branch;
	branch = siphash(p + f->off, f->len, &sg_fail_key);
	f = &msg->cseq.method_tok;
	method = siphash(p + f->off, f->len, &sg_fail_key);
	rec = (u32)siphash_4u64(id, branch, method, msg->cseq.num, &sg_fail_key);
	rec &= ~SG_REQ_CREDENTIALS;
	return rec ?: 2;
}

/* Can an answer be told from others by Call-ID and CSeq at all? */
static bool sg_fail_matchable(const struct sip_msg *msg)
{
	return msg->call_id_state == SIP_F_FOUND && msg->cseq.state == SIP_F_FOUND;
}

u32 sg_fail_request_rec(const struct sg_config *cfg, const u8 *p,
			const struct sip_msg *msg)
{
	/* An ACK gets no answer. */
	if (!cfg->p.failures || msg->method == SIP_METHOD_ACK || !sg_fail_matchable(msg))
		return 0;
	return sg_fail_rec(p, msg) | (msg->credentials ? SG_REQ_CREDENTIALS : 0);
}

static enum sg_answer sg_fail_kind(u16 status)
{
	switch (status) {
	case 403:	/* Forbidden: a bad password (Asterisk), a barred call */
	case 404:	/* Not Found: svwar's unknown extension */
	case 484:	/* Address Incomplete: the other answer to a scan */
		return SG_ANSWER_FAILURE;
	case 401:
	case 407:
		return SG_ANSWER_CHALLENGE;
	}
	return SG_ANSWER_OTHER;
}

/*
 * @local: built by this host (LOCAL_OUT).  Its checksum is the stack's own
 * work, often still to be done by the device (CHECKSUM_PARTIAL): not ours
 * to verify, and an skb on its way out is not ours to modify either.
 */
void sg_fail_answer(struct sg_net *sgn, const struct sg_config *cfg,
		    struct sk_buff *skb, const struct sg_walk *w, bool local)
{
	enum sg_answer_result res;
	struct sg_pcpu_stats *st;
	struct sg_src_info ban;
	enum sg_answer kind;
	struct sip_msg msg;
	struct sg_pkt pk = {};
	unsigned int len;
	u8 _start[8];
	const u8 *p;

	/* Several datagrams in one (UDP GSO): a PBX does not send those. */
	if (skb_is_gso(skb))
		return;
	sg_pkt_walked(&pk, w, SG_WALK_TRANSPORT);
	/*
	 * The phones' own requests leave from SIP ports too: only answers.
	 * Over TCP: an answer that starts its segment.
	 */
	p = skb_header_pointer(skb, pk.payoff, sizeof(_start), _start);
	if (pk.paylen < sizeof(_start) || !p || strncasecmp((const char *)p, "SIP/2.0 ", 8))
		return;

	/* The parse window is per CPU: LOCAL_OUT runs with BHs on. */
	local_bh_disable();
	p = sg_payload(skb, &pk, &len);
	if (!p || sip_parse(p, len, &msg) != SIP_OK || msg.is_request ||
	    msg.status_code < 200 || !sg_fail_matchable(&msg) ||
	    (!local && !sg_csum_ok(skb, &pk)))
		goto out;
	kind = sg_fail_kind(msg.status_code);
	st = sg_stats_begin(&sgn->stats);
	res = sg_src_answer(&sgn->sources, cfg, pk.family, pk.daddr, sg_fail_rec(p, &msg), kind, &ban);
	switch (res) {
	case SG_ANSWER_UNMATCHED:
		if (kind != SG_ANSWER_OTHER)
			sg_stats_inc(st, SIPGUARD_STAT_FAILURES_UNMATCHED);
		break;
	case SG_ANSWER_BANNED:
		sg_ban_told(sgn, cfg, &ban, SIPGUARD_STAT_DROP_FAILURES,
			    ban.ban_ms / MSEC_PER_SEC, st);
		sg_stats_inc(st, SIPGUARD_STAT_DROP_FAILURES);
		fallthrough;
	case SG_ANSWER_COUNTED:
		sg_stats_inc(st, SIPGUARD_STAT_FAILURES);
		break;
	case SG_ANSWER_MATCHED:
		break;
	}
	sg_stats_end(st);
out:
	local_bh_enable();
}
