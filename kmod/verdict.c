// SPDX-License-Identifier: GPL-2.0
/*
 * Decisions: interface, allowlist, policy, and for untrusted SIP under the
 * open policy, the messages framing.c finds, each charged to its source's
 * ban and limits (sources.c), then the scanner signatures (signatures.c)
 * and the INVITE policy.  Trusted sources are never parsed: the cheapest
 * path is also the one the provider's traffic takes.  The units asked
 * return answers; what follows from them (counters, a ban's event) is done
 * by the hook, with none of their locks held.
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
 * One untrusted SIP message under the open policy, found and parsed by
 * framing.c (a UDP datagram, or one message of a TCP segment): @p/@len is
 * the window the message starts at, @msg its parse.  Returns the decision
 * counter; @st gets the per-method count.
 */
static enum sipguard_stat sg_judge_message(const struct sg_config *cfg,
					   const struct sg_pkt *pk,
					   const u8 *p, unsigned int len,
					   const struct sip_msg *msg,
					   struct sg_pcpu_stats *st,
					   struct sg_src_info *ban)
{
	struct sg_net *sgn = pk->sgn;

	/* Signatures catch the careless scanners; limits catch the rest. */
	if (msg->user_agent_state == SIP_F_FOUND &&
	    sg_sigs_match(&sgn->sigs, p, &msg->user_agent)) {
		sg_src_ban(sgn, cfg, pk, ban);
		return SIPGUARD_STAT_DROP_SIGNATURE;
	}
	/*
	 * "No direct IP calls": a new call from a stranger has no To tag.  A
	 * method we have no name for may be one a lenient stack reads as
	 * INVITE (pjsip takes "INVIT", any prefix of it, as INVITE): refused
	 * alike, so no spelling of INVITE gets past.
	 */
	if (cfg->p.refuse_invite && msg->is_request &&
	    (msg->method == SIP_METHOD_INVITE || msg->method == SIP_METHOD_UNKNOWN) &&
	    (msg->to.state != SIP_F_FOUND || !msg->to.tag.len))
		return SIPGUARD_STAT_DROP_INVITE;

	if (msg->is_request)
		sg_fail_request(cfg, pk, p, msg);
	if (!msg->is_request)
		sg_stats_inc(st, SIPGUARD_STAT_RESPONSE);
	else if (msg->method < __SIP_METHOD_MAX && method_stat[msg->method])
		sg_stats_inc(st, method_stat[msg->method]);
	else
		sg_stats_inc(st, SIPGUARD_STAT_METHOD_OTHER);
	return SIPGUARD_STAT_PASS_OPEN;
}

/*
 * The payload of untrusted SIP under the open policy, message by message
 * as framing.c finds them: each is charged to its source before it is
 * judged, and the first drop is the packet's.
 */
static enum sipguard_stat sg_judge_payload(const struct sg_config *cfg,
					   struct sk_buff *skb,
					   const struct sg_pkt *pk,
					   struct sg_pcpu_stats *st,
					   struct sg_src_info *ban)
{
	enum sipguard_stat why;
	struct sg_frames f;

	sg_frames_start(&f, skb, pk);
	for (;;) {
		switch (sg_frames_next(&f)) {
		case SG_FRAME_IDLE:
			why = sg_src_judge(pk->sgn, cfg, pk, false, st, ban);
			if (why)
				return why;
			break;
		case SG_FRAME_SIP:
			why = sg_src_judge(pk->sgn, cfg, pk, true, st, ban);
			if (why)
				return why;
			break;
		case SG_FRAME_MESSAGE:
			why = sg_judge_message(cfg, pk, f.p, f.n, &f.msg, st, ban);
			if (sg_is_drop(why))
				return why;
			f.res = why;
			break;
		default:
			return f.res;
		}
	}
}

enum sipguard_stat sg_decide(const struct sg_config *cfg, struct sk_buff *skb,
			     const struct sg_pkt *pk, struct sg_pcpu_stats *st,
			     struct sg_src_info *ban)
{
	enum sipguard_stat why;

	if (!sg_iface_guarded(cfg, &pk->sgn->wan, pk->in)) {
		/* The inside: where the phones' REGISTERs teach us. */
		if (cfg->p.learn && !pk->bad && pk->l4proto == IPPROTO_UDP && !pk->tls)
			sg_learn_outbound(pk->sgn, cfg, skb, pk, st);
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
	/* Before any parsing; the allowlist and learned registrars still win. */
	why = sg_deny_judge(cfg, pk);
	if (why)
		return why;
	if (sg_allowlist_match(cfg->al, pk->family, pk->saddr, pk->sport))
		return SIPGUARD_STAT_PASS_TRUSTED;
	if (cfg->p.learn &&
	    sg_learn_inbound(pk->sgn, cfg, skb, pk, st))
		return SIPGUARD_STAT_PASS_LEARNED;
	if (pk->tls)
		return SIPGUARD_STAT_DROP_TLS;
	if (cfg->p.policy == SIPGUARD_POLICY_STRICT)
		return SIPGUARD_STAT_DROP_UNTRUSTED;
	/* Framing charges the source per message, before parsing it. */
	return sg_judge_payload(cfg, skb, pk, st, ban);
}
