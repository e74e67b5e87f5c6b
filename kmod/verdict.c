// SPDX-License-Identifier: GPL-2.0
/*
 * Decisions: interface, allowlist, policy, and for untrusted SIP under the
 * open policy, the messages framing.c finds, each charged to its source's
 * ban and limits (sources.c), then the scanner signatures (signatures.c)
 * and the INVITE policy.  Trusted sources are never parsed: the cheapest
 * path is also the one the provider's traffic takes.  verdict.c drives the
 * units, handing each its own state only, and they only answer (none
 * calls back, none sends an event): what follows from the answers (the
 * decision's count, a ban's, the events) is done here once, with none of
 * their locks held.
 */
#include <linux/in.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>

#include "events.h"
#include "failures.h"
#include "framing.h"
#include "iface.h"
#include "sip_parser.h"
#include "sipguard.h"
#include "verdict.h"

/* One packet's verdict: the namespace, and what deciding found. */
struct sg_verdict {
	struct sg_net *sgn;
	const struct sg_config *cfg;
	struct sg_pcpu_stats *st;
	struct sg_src_info ban;		/* a ban this packet caused: family not 0 */
	struct sg_learn_news news;	/* ports learning began or ceased to guard */
};

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
static enum sipguard_stat sg_judge_payload(struct sg_verdict *v, struct sk_buff *skb,
					   const struct sg_pkt *pk)
{
	struct sg_sources *sources = &v->sgn->sources;
	const struct sg_config *cfg = v->cfg;
	struct sg_src_ref src = {};
	enum sipguard_stat why;
	struct sg_frames f;
	enum sg_frame step;
	bool scanner;
	u32 rec;

	sg_frames_start(&f, skb, pk);
	while ((step = sg_frames_next(&f)) != SG_FRAME_DONE) {
		if (step != SG_FRAME_MESSAGE) {
			why = sg_src_judge(sources, cfg, pk, step == SG_FRAME_SIP,
					   v->st, &v->ban, &src);
			if (why)
				return why;
			continue;
		}
		scanner = f.msg.user_agent_state == SIP_F_FOUND &&
			  sg_sigs_match(&v->sgn->sigs, f.p, &f.msg.user_agent);
		if (scanner)
			why = SIPGUARD_STAT_DROP_SIGNATURE;
		else if (cfg->p.refuse_invite && sg_new_call(&f.msg))
			why = SIPGUARD_STAT_DROP_INVITE;
		else
			why = SIPGUARD_STAT_PASS_OPEN;
		rec = why == SIPGUARD_STAT_PASS_OPEN && f.msg.is_request ?
		      sg_fail_request_rec(cfg, f.p, &f.msg) : 0;
		sg_src_after_message(&src, cfg, scanner, rec, &v->ban);
		if (why != SIPGUARD_STAT_PASS_OPEN)
			return why;
		sg_count_message(v->st, &f.msg);
		f.res = why;
	}
	return f.res;
}

/*
 * A source on one of the denylist's origins: dropped unless the user
 * trusts it (the allowlist, or learning), which wins over any list and is
 * counted as such; under the strict policy the hit only counts.
 */
static enum sipguard_stat sg_judge_deny(struct sg_verdict *v, const struct sg_pkt *pk)
{
	struct sg_deny *d = &v->sgn->deny;
	const struct sg_config *cfg = v->cfg;
	enum sg_deny_count what;
	int slot;

	slot = sg_deny_match(d, pk->family, pk->saddr);
	if (slot < 0)
		return SIPGUARD_STAT_UNSPEC;
	if (sg_allowlist_match(cfg->al, pk->family, pk->saddr, pk->sport))
		what = SG_DENY_IGN_TRUSTED;
	else if (cfg->p.learn && sg_learn_trusts(&v->sgn->learn, pk->family, pk->saddr))
		what = SG_DENY_IGN_LEARNED;
	else
		what = SG_DENY_HITS;
	sg_deny_count(d, slot, what);
	if (what != SG_DENY_HITS || cfg->p.policy == SIPGUARD_POLICY_STRICT)
		return SIPGUARD_STAT_UNSPEC;
	return SIPGUARD_STAT_DROP_DENY;
}

/*
 * The decision counter (SIPGUARD_STAT_PASS_* or _DROP_*, or
 * UNGUARDED_IFACE) for @pk; per-method counters go to v->st directly, a
 * ban the packet caused to v->ban, learning's news to v->news.
 */
static enum sipguard_stat sg_decide(struct sg_verdict *v, struct sk_buff *skb,
				    const struct sg_pkt *pk)
{
	const struct sg_config *cfg = v->cfg;
	struct sg_net *sgn = v->sgn;
	enum sipguard_stat why;

	if (!sg_iface_guarded(cfg, &sgn->wan, pk->in)) {
		/* The inside: where the phones' REGISTERs teach us. */
		if (!pk->bad && !pk->tls) {
			if (cfg->p.learn)
				sg_learn_outbound(&sgn->learn, cfg, skb, pk, v->st, &v->news);
			else if (!test_bit(pk->sport, cfg->sip_ports) &&
				 sg_learn_hint_unguarded(&sgn->learn, skb, pk))
				sg_stats_inc(v->st, SIPGUARD_STAT_REGISTER_UNGUARDED);
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
	if (unlikely(sg_deny_live(&sgn->deny))) {
		why = sg_judge_deny(v, pk);
		if (why)
			return why;
	}
	if (sg_allowlist_match(cfg->al, pk->family, pk->saddr, pk->sport))
		return SIPGUARD_STAT_PASS_TRUSTED;
	if (cfg->p.learn &&
	    sg_learn_inbound(&sgn->learn, skb, pk, v->st, &v->news))
		return SIPGUARD_STAT_PASS_LEARNED;
	if (pk->tls)
		return SIPGUARD_STAT_DROP_TLS;
	if (cfg->p.policy == SIPGUARD_POLICY_STRICT)
		return SIPGUARD_STAT_DROP_UNTRUSTED;
	/* Framing charges the source per message, before parsing it. */
	return sg_judge_payload(v, skb, pk);
}

/* Count and announce what learning changed of the guarded ports. */
static void sg_learn_told(struct sg_net *sgn, const struct sg_learn_news *news,
			  struct sg_pcpu_stats *st)
{
	u32 i, n = min_t(u32, news->n, SG_LEARN_NEWS);
	bool tell = sg_events_wanted(sgn->net);

	for (i = 0; i < n; i++) {
		if (news->e[i].guarded)
			sg_stats_inc(st, SIPGUARD_STAT_LEARN_PORT_GUARDED);
		if (tell)
			sg_event_learn_port(&sgn->events, &news->e[i].port,
					    news->e[i].guarded, st);
	}
}

int sg_verdict_ban_manual(struct sg_net *sgn, const struct sg_config *cfg,
			  u8 family, const u8 *addr, u32 secs)
{
	struct sg_pcpu_stats *st;
	struct sg_src_info ban;
	int ret;

	/* As the datapath does it, with its counters. */
	rcu_read_lock();
	local_bh_disable();
	st = sg_stats_begin(&sgn->stats);
	ret = sg_src_ban_manual(&sgn->sources, cfg, family, addr, &secs, &ban, st);
	if (!ret) {
		sg_stats_inc(st, SIPGUARD_STAT_BANS_MANUAL);
		sg_ban_told(sgn, cfg, &ban, SIPGUARD_STAT_BANS_MANUAL, secs, st);
	}
	sg_stats_end(st);
	local_bh_enable();
	rcu_read_unlock();
	return ret;
}

void sg_verdict_learn_answer(struct sg_net *sgn, struct sk_buff *skb,
			     const struct sg_pkt *pk)
{
	struct sg_learn_news news;
	struct sg_pcpu_stats *st;

	news.n = 0;
	local_bh_disable();
	st = sg_stats_begin(&sgn->stats);
	sg_learn_unguarded(&sgn->learn, skb, pk, st, &news);
	if (unlikely(news.n))
		sg_learn_told(sgn, &news, st);
	sg_stats_end(st);
	local_bh_enable();
}

unsigned int sg_verdict(struct sg_net *sgn, const struct sg_config *cfg,
			struct sk_buff *skb, const struct sg_pkt *pk)
{
	bool enforce = cfg->p.mode == SIPGUARD_MODE_ENFORCE;
	unsigned int verdict = NF_ACCEPT;
	struct sg_verdict v;
	enum sipguard_stat why;

	local_bh_disable();
	v.sgn = sgn;
	v.cfg = cfg;
	v.st = sg_stats_begin(&sgn->stats);
	v.ban.family = 0;
	v.news.n = 0;
	why = sg_decide(&v, skb, pk);
	/* Transport, family, decision and DROPPED or WOULD_DROP: one count. */
	sg_stats_decision(v.st, why, pk->l4proto, pk->family != SG_AF_INET, enforce);
	if (sg_is_drop(why) && enforce)
		verdict = NF_DROP;
	/* The source was banned for this packet: @why says what for. */
	if (unlikely(v.ban.family))
		sg_ban_told(sgn, cfg, &v.ban, why, v.ban.ban_ms / MSEC_PER_SEC, v.st);
	if (unlikely(v.news.n))
		sg_learn_told(sgn, &v.news, v.st);
	/* Sampled drops for `sipguardctl monitor`, only if anyone listens. */
	if (sg_is_drop(why) && unlikely(sg_events_wanted(sgn->net)))
		sg_event_drop(&sgn->events, cfg, skb, pk, why, v.st);
	sg_stats_end(v.st);
	local_bh_enable();
	return verdict;
}
