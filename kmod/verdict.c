// SPDX-License-Identifier: GPL-2.0
/*
 * Decisions: interface, allowlist, policy, and for untrusted SIP under the
 * open policy, the source's ban and limits (sources.c), then the parser,
 * the scanner signatures (signatures.c) and the INVITE policy.  Trusted sources are never parsed: the cheapest
 * path is also the one the provider's traffic takes.
 */
#include <linux/skbuff.h>
#include <linux/in.h>
#include <net/ip_fib.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>

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
 * Does a default route (IPv4 or IPv6) of @in's namespace leave by @in?  That
 * is the WAN side of a gateway: with learning on and no interface list,
 * only it is guarded, so the phones' own REGISTERs from the LAN teach.
 */
static bool sg_iface_is_wan(const struct net_device *in)
{
	struct net *net = dev_net(in);
	struct flowi4 fl4 = {};
	struct fib_result res;
	bool wan = false;

	if (!fib_lookup(net, &fl4, &res, 0) && !res.prefixlen &&
	    FIB_RES_DEV(res) == in)
		return true;
#if IS_ENABLED(CONFIG_IPV6)
	{
		/* 2000::/3 is where the global unicast addresses are. */
		static const struct in6_addr global = { { { 0x20 } } };
		struct rt6_info *rt;

		rt = rt6_lookup(net, &global, NULL, 0, NULL, 0);
		if (rt) {
			wan = rt->dst.dev == in && !rt->rt6i_dst.plen;
			ip6_rt_put(rt);
		}
	}
#endif
	return wan;
}

static bool sg_iface_guarded(const struct sg_config *cfg,
			     const struct net_device *in)
{
	u8 i;

	if (!in)
		return false;
	if (!cfg->p.n_ifaces) {
		if (in->flags & IFF_LOOPBACK)
			return false;
		return cfg->p.learn ? sg_iface_is_wan(in) : true;
	}
	/* By name, so a guarded interface deleted and re-created stays so. */
	for (i = 0; i < cfg->p.n_ifaces; i++)
		if (!memcmp(cfg->p.ifaces[i], in->name, IFNAMSIZ))
			return true;
	return false;
}

/*
 * One untrusted SIP message under the open policy.  Returns the decision
 * counter; @st gets the per-method count.
 */
enum sipguard_stat sg_judge_message(const struct sg_config *cfg,
				    const struct sg_pkt *pk,
				    const u8 *p, unsigned int len,
				    const struct sip_msg *msg,
				    struct sg_pcpu_stats *st)
{
	struct sg_net *sgn = pk->sgn;

	/* Signatures catch the careless scanners; limits catch the rest. */
	if (msg->user_agent_state == SIP_F_FOUND &&
	    sg_sigs_match(&sgn->sigs, p, &msg->user_agent)) {
		sg_src_ban(sgn, cfg, pk, st);
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

	if (!msg->is_request)
		sg_stats_inc(st, SIPGUARD_STAT_RESPONSE);
	else if (msg->method < __SIP_METHOD_MAX && method_stat[msg->method])
		sg_stats_inc(st, method_stat[msg->method]);
	else
		sg_stats_inc(st, SIPGUARD_STAT_METHOD_OTHER);
	return SIPGUARD_STAT_PASS_OPEN;
}

enum sipguard_stat sg_decide(const struct sg_config *cfg, struct sk_buff *skb,
			     const struct sg_pkt *pk, struct sg_pcpu_stats *st)
{
	if (!sg_iface_guarded(cfg, pk->in)) {
		/* The inside: where the phones' REGISTERs teach us. */
		if (cfg->p.learn && pk->l4proto == IPPROTO_UDP && !pk->tls)
			sg_learn_outbound(pk->sgn, cfg, skb, pk, st);
		return SIPGUARD_STAT_UNGUARDED_IFACE;
	}
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
	return sg_judge_payload(cfg, skb, pk, st);
}
