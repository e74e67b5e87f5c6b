// SPDX-License-Identifier: GPL-2.0
/*
 * Decisions: interface, allowlist, policy, and for untrusted SIP under the
 * open policy, the parser.  Trusted sources are never parsed: the cheapest
 * path is also the one the provider's traffic takes.
 */
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/in.h>

#include "sip_parser.h"
#include "verdict.h"

/*
 * How much of an untrusted message the parser may see.  SIP over UDP should
 * fit a datagram of 1300 bytes (RFC 3261 18.1.1); header sections longer
 * than this are not SIP a phone needs from a stranger.
 */
#define SG_PARSE_WINDOW 8192

/* A copy of a nonlinear payload; BH is off while it is in use. */
struct sg_scratch {
	u8 buf[SG_PARSE_WINDOW];
};
static struct sg_scratch __percpu *sg_scratch;

static const enum sipguard_stat method_stat[__SIP_METHOD_MAX] = {
	[SIP_METHOD_INVITE]	= SIPGUARD_STAT_METHOD_INVITE,
	[SIP_METHOD_ACK]	= SIPGUARD_STAT_METHOD_ACK,
	[SIP_METHOD_BYE]	= SIPGUARD_STAT_METHOD_BYE,
	[SIP_METHOD_CANCEL]	= SIPGUARD_STAT_METHOD_CANCEL,
	[SIP_METHOD_REGISTER]	= SIPGUARD_STAT_METHOD_REGISTER,
	[SIP_METHOD_OPTIONS]	= SIPGUARD_STAT_METHOD_OPTIONS,
};

static bool sg_iface_guarded(const struct sg_config *cfg,
			     const struct net_device *in)
{
	u8 i;

	if (!in)
		return false;
	if (!cfg->p.n_ifaces)
		return !(in->flags & IFF_LOOPBACK);
	/* By name, so a guarded interface deleted and re-created stays so. */
	for (i = 0; i < cfg->p.n_ifaces; i++)
		if (!memcmp(cfg->p.ifaces[i], in->name, IFNAMSIZ))
			return true;
	return false;
}

/* CR/LF only: the NAT keepalive of RFC 5626 3.5.1 and many phones. */
static bool sg_is_keepalive(const u8 *p, unsigned int len)
{
	unsigned int i;

	if (!len || len > 4)
		return false;
	for (i = 0; i < len; i++)
		if (p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

/*
 * One untrusted SIP message under the open policy: it must at least be SIP.
 * Returns the decision counter; @st gets the per-method count.
 */
static enum sipguard_stat sg_judge_message(const struct sg_config *cfg,
					   const struct sg_pkt *pk,
					   const u8 *p, unsigned int len,
					   struct sg_pcpu_stats *st)
{
	struct sip_msg msg;

	if (sg_is_keepalive(p, len))
		return SIPGUARD_STAT_PASS_OPEN;
	/* A datagram is one whole message: headers cut short are not SIP. */
	if (sip_parse(p, len, &msg) != SIP_OK)
		return SIPGUARD_STAT_DROP_MALFORMED;

	if (!msg.is_request)
		sg_stats_inc(st, SIPGUARD_STAT_RESPONSE);
	else if (msg.method < __SIP_METHOD_MAX && method_stat[msg.method])
		sg_stats_inc(st, method_stat[msg.method]);
	else
		sg_stats_inc(st, SIPGUARD_STAT_METHOD_OTHER);
	return SIPGUARD_STAT_PASS_OPEN;
}

enum sipguard_stat sg_decide(const struct sg_config *cfg, struct sk_buff *skb,
			     const struct sg_pkt *pk, struct sg_pcpu_stats *st)
{
	unsigned int len;
	const u8 *p;

	if (!sg_iface_guarded(cfg, pk->in))
		return SIPGUARD_STAT_UNGUARDED_IFACE;
	if (sg_allowlist_match(cfg->al, pk->family, pk->saddr, pk->sport))
		return SIPGUARD_STAT_PASS_TRUSTED;
	if (pk->tls)
		return SIPGUARD_STAT_DROP_TLS;
	if (cfg->p.policy == SIPGUARD_POLICY_STRICT)
		return SIPGUARD_STAT_DROP_UNTRUSTED;
	/* Open policy.  TCP payload inspection needs message framing
	 * across segments; until then TCP passes here unparsed.
	 */
	if (pk->l4proto == IPPROTO_TCP)
		return SIPGUARD_STAT_PASS_OPEN;

	len = min_t(unsigned int, pk->paylen, SG_PARSE_WINDOW);
	p = skb_header_pointer(skb, pk->payoff, len, this_cpu_ptr(sg_scratch)->buf);
	if (!p)
		return SIPGUARD_STAT_DROP_MALFORMED;
	return sg_judge_message(cfg, pk, p, len, st);
}

int __init sg_verdict_init(void)
{
	sg_scratch = alloc_percpu(struct sg_scratch);
	return sg_scratch ? 0 : -ENOMEM;
}

void sg_verdict_exit(void)
{
	free_percpu(sg_scratch);
}
