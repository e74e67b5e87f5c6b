// SPDX-License-Identifier: GPL-2.0
/*
 * Decisions: interface, allowlist, policy, and for untrusted SIP under the
 * open policy, the messages framing.c finds, each charged to its source's
 * ban and limits (sources.c), then the scanner signatures (signatures.c)
 * and the INVITE policy.  Trusted sources are never parsed: the cheapest
 * path is also the one the provider's traffic takes.  verdict.c drives the
 * units and they only answer (none calls back); what follows from the
 * answers (counters, a ban's event) is done by the hook, with none of their
 * locks held.
 */
#include <linux/skbuff.h>
#include <linux/in.h>

#include "framing.h"
#include "failures.h"
#include "iface.h"
#include "sip_parser.h"
#include "sipguard.h"
#include "verdict.h"

static const enum sipguard_stat method_stat[__SIP_METHOD_MAX] = {
	[SIP_METHOD_INVITE]	= SIPGUARD_STAT_METHOD_INVITE,
	[SIP_METHOD_ACK]	= SIPGUARD_STAT_METHOD_ACK,
	[SIP_METHOD_BYE]	= SIPGUARD_STAT_METHOD_BYE,
	[SIP_METHOD_CANCEL]	= SIPGUARD_STAT_METHOD_CANCEL,
	[SIP_METHOD_REGISTER]	= SIPGUARD_STAT_METHOD_REGISTER,
	[SIP_METHOD_OPTIONS]	= SIPGUARD_STAT_METHOD_OPTIONS,
};

/*
 * "No direct IP calls": a new call from a stranger has no To tag.  A method
 * we have no name for may be one a lenient stack reads as INVITE (pjsip
 * takes "INVIT", any prefix of it, as INVITE): refused alike, so no
 * spelling of INVITE gets past.
 */
static bool sg_new_call(const struct sip_msg *msg)
{
	return msg->is_request &&
	       (msg->method == SIP_METHOD_INVITE || msg->method == SIP_METHOD_UNKNOWN) &&
	       (msg->to.state != SIP_F_FOUND || !msg->to.tag.len);
}

static void sg_count_message(struct sg_pcpu_stats *st, const struct sip_msg *msg)
{
	if (!msg->is_request)
		sg_stats_inc(st, SIPGUARD_STAT_RESPONSE);
	else if (msg->method < __SIP_METHOD_MAX && method_stat[msg->method])
		sg_stats_inc(st, method_stat[msg->method]);
	else
		sg_stats_inc(st, SIPGUARD_STAT_METHOD_OTHER);
}

/*
 * The payload of untrusted SIP under the open policy, step by step as
 * framing.c finds it: the source is charged for the bytes (sources.c)
 * before a message of them is parsed and judged, and the first drop is the
 * packet's.  A message is judged by what it says (signatures first: they
 * catch the careless scanners; the limits catch the rest), and what that
 * makes of its source is told to sources.c once, on the entry the charge
 * found: a ban, or a request to match answers against (failures.c).
 */
static enum sipguard_stat sg_judge_payload(const struct sg_config *cfg,
					   struct sk_buff *skb,
					   const struct sg_pkt *pk,
					   struct sg_pcpu_stats *st,
					   struct sg_src_info *ban)
{
	struct sg_src_ref src = {};
	enum sipguard_stat why;
	struct sg_frames f;
	enum sg_frame step;
	bool scanner;
	u32 rec;

	sg_frames_start(&f, skb, pk);
	while ((step = sg_frames_next(&f)) != SG_FRAME_DONE) {
		if (step != SG_FRAME_MESSAGE) {
			why = sg_src_judge(pk->sgn, cfg, pk, step == SG_FRAME_SIP, st, ban, &src);
			if (why)
				return why;
			continue;
		}
		scanner = f.msg.user_agent_state == SIP_F_FOUND &&
			  sg_sigs_match(&pk->sgn->sigs, f.p, &f.msg.user_agent);
		if (scanner)
			why = SIPGUARD_STAT_DROP_SIGNATURE;
		else if (cfg->p.refuse_invite && sg_new_call(&f.msg))
			why = SIPGUARD_STAT_DROP_INVITE;
		else
			why = SIPGUARD_STAT_PASS_OPEN;
		rec = why == SIPGUARD_STAT_PASS_OPEN && f.msg.is_request ?
		      sg_fail_request_rec(cfg, f.p, &f.msg) : 0;
		sg_src_after_message(&src, cfg, scanner, rec, ban);
		if (why != SIPGUARD_STAT_PASS_OPEN)
			return why;
		sg_count_message(st, &f.msg);
		f.res = why;
	}
	return f.res;
}

enum sipguard_stat sg_decide(const struct sg_config *cfg, struct sk_buff *skb,
			     const struct sg_pkt *pk, struct sg_pcpu_stats *st,
			     struct sg_src_info *ban, struct sg_learn_news *news)
{
	enum sipguard_stat why;

	if (!sg_iface_guarded(cfg, &pk->sgn->wan, pk->in)) {
		/* The inside: where the phones' REGISTERs teach us. */
		if (!pk->bad && !pk->tls) {
			if (cfg->p.learn)
				sg_learn_outbound(pk->sgn, cfg, skb, pk, st, news);
			else if (!test_bit(pk->sport, cfg->sip_ports) &&
				 sg_learn_hint_unguarded(&pk->sgn->learn, skb, pk))
				sg_stats_inc(st, SIPGUARD_STAT_REGISTER_UNGUARDED);
		}
		return SIPGUARD_STAT_UNGUARDED_IFACE;
	}
	/*
	 * A transport header that contradicts itself, or an IPv6 chain that
	 * cannot be walked to one: nothing about it can be judged, so on a
	 * guarded interface it goes, whoever sent it (the stack would discard
	 * it too, but only after conntrack saw it).
	 */
	if (pk->bad)
		return SIPGUARD_STAT_BAD_L4;
	if (pk->learned_port && !sg_frames_any_sip(skb, pk))
		return SIPGUARD_STAT_PASS_NOT_SIP;
	/* Before any parsing; the allowlist and learned registrars still win. */
	if (unlikely(sg_deny_live(&pk->sgn->deny))) {
		why = sg_deny_judge(cfg, pk);
		if (why)
			return why;
	}
	if (sg_allowlist_match(cfg->al, pk->family, pk->saddr, pk->sport))
		return SIPGUARD_STAT_PASS_TRUSTED;
	if (cfg->p.learn &&
	    sg_learn_inbound(pk->sgn, cfg, skb, pk, st, news))
		return SIPGUARD_STAT_PASS_LEARNED;
	if (pk->tls)
		return SIPGUARD_STAT_DROP_TLS;
	if (cfg->p.policy == SIPGUARD_POLICY_STRICT)
		return SIPGUARD_STAT_DROP_UNTRUSTED;
	/* Framing charges the source per message, before parsing it. */
	return sg_judge_payload(cfg, skb, pk, st, ban);
}
