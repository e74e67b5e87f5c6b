// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath: IPv4 and IPv6 PRE_ROUTING hooks in every network namespace.
 *
 * Priority: after defragmentation (-400), so a fragmented SIP message is seen
 * whole, and before raw (-300) and conntrack (-200), so a flood sipguard drops
 * never creates conntrack entries.
 *
 * Cost model: a packet that is not UDP/TCP to a guarded port costs one RCU
 * dereference and one bit test.  Untrusted SIP under the strict policy is
 * dropped on the allowlist lookup alone, never parsed.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "sip_parser.h"
#include "sipguard.h"

#define SG_HOOK_PRIORITY (NF_IP_PRI_CONNTRACK_DEFRAG + 50)

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

/* What the hook knows about the packet once L3 and L4 are read. */
struct sg_pkt {
	u8 family;		/* SG_AF_INET or SG_AF_INET6 */
	u8 l4proto;
	u16 sport;
	const u8 *saddr;	/* in the IP header, network order */
	unsigned int payoff;	/* SIP payload offset in the skb */
	unsigned int paylen;
};

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
 * Untrusted UDP under the open policy: it must at least be SIP.  Returns
 * the decision counter; @st gets the per-method count.
 */
static enum sipguard_stat sg_judge_open_udp(struct sk_buff *skb,
					    const struct sg_pkt *pk,
					    struct sg_pcpu_stats *st)
{
	unsigned int len = min_t(unsigned int, pk->paylen, SG_PARSE_WINDOW);
	struct sip_msg msg;
	const u8 *p;

	p = skb_header_pointer(skb, pk->payoff, len, this_cpu_ptr(sg_scratch)->buf);
	if (!p)
		return SIPGUARD_STAT_DROP_MALFORMED;
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

static enum sipguard_stat sg_decide(const struct sg_config *cfg,
				    struct sk_buff *skb,
				    const struct nf_hook_state *state,
				    const struct sg_pkt *pk, bool tls,
				    struct sg_pcpu_stats *st)
{
	if (!sg_iface_guarded(cfg, state->in))
		return SIPGUARD_STAT_UNGUARDED_IFACE;
	if (sg_allowlist_match(cfg->al, pk->family, pk->saddr, pk->sport))
		return SIPGUARD_STAT_PASS_TRUSTED;
	if (tls)
		return SIPGUARD_STAT_DROP_TLS;
	if (cfg->p.policy == SIPGUARD_POLICY_STRICT)
		return SIPGUARD_STAT_DROP_UNTRUSTED;
	/* Open policy.  TCP payload inspection needs message framing
	 * across segments; until then TCP passes here unparsed.
	 */
	if (pk->l4proto == IPPROTO_TCP)
		return SIPGUARD_STAT_PASS_OPEN;
	return sg_judge_open_udp(skb, pk, st);
}

static bool sg_is_drop(enum sipguard_stat s)
{
	return s == SIPGUARD_STAT_DROP_UNTRUSTED || s == SIPGUARD_STAT_DROP_TLS ||
	       s == SIPGUARD_STAT_DROP_MALFORMED;
}

/* The common part once L3 is understood; @pk->payoff holds the L4 offset. */
static unsigned int sg_inspect(struct net *net, struct sk_buff *skb,
			       const struct nf_hook_state *state,
			       struct sg_pkt *pk)
{
	struct sg_net *sgn = sg_pernet(net);
	const struct sg_config *cfg;
	struct sg_pcpu_stats *st;
	enum sipguard_stat why;
	unsigned int verdict = NF_ACCEPT;
	unsigned int thoff = pk->payoff;
	__be16 _ports[2];
	const __be16 *ports;
	u16 dport;
	bool tls;

	/* nf_hook_slow() holds rcu_read_lock() for us. */
	cfg = rcu_dereference(sgn->cfg);
	if (unlikely(!cfg) || cfg->p.mode == SIPGUARD_MODE_OFF)
		return NF_ACCEPT;

	/* Source and destination port open both the UDP and the TCP header. */
	ports = skb_header_pointer(skb, thoff, sizeof(_ports), _ports);
	if (!ports)
		return NF_ACCEPT;
	dport = ntohs(ports[1]);
	tls = test_bit(dport, cfg->tls_ports);
	if (likely(!test_bit(dport, cfg->sip_ports) && !tls))
		return NF_ACCEPT;
	pk->sport = ntohs(ports[0]);

	if (pk->l4proto == IPPROTO_UDP) {
		pk->payoff = thoff + sizeof(struct udphdr);
	} else {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
		/* A TCP header we cannot read is junk to a guarded port. */
		pk->payoff = th ? thoff + th->doff * 4 : skb->len;
	}
	pk->paylen = skb->len > pk->payoff ? skb->len - pk->payoff : 0;

	local_bh_disable();
	st = sg_stats_begin(&sgn->stats);
	sg_stats_inc(st, pk->l4proto == IPPROTO_UDP ? SIPGUARD_STAT_SIP_UDP :
						      SIPGUARD_STAT_SIP_TCP);
	sg_stats_inc(st, pk->family == SG_AF_INET ? SIPGUARD_STAT_SIP_IPV4 :
						    SIPGUARD_STAT_SIP_IPV6);
	why = sg_decide(cfg, skb, state, pk, tls, st);
	sg_stats_inc(st, why);
	if (sg_is_drop(why)) {
		if (cfg->p.mode == SIPGUARD_MODE_ENFORCE) {
			sg_stats_inc(st, SIPGUARD_STAT_DROPPED);
			verdict = NF_DROP;
		} else {
			sg_stats_inc(st, SIPGUARD_STAT_WOULD_DROP);
		}
	}
	sg_stats_end(st);
	local_bh_enable();
	return verdict;
}

static unsigned int sg_hook_ipv4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct sg_pkt pk;

	if (iph->protocol != IPPROTO_UDP && iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	/* Only a first fragment carries ports; defrag normally left none. */
	if (iph->frag_off & htons(IP_OFFSET))
		return NF_ACCEPT;

	pk.family = SG_AF_INET;
	pk.l4proto = iph->protocol;
	pk.saddr = (const u8 *)&iph->saddr;
	pk.payoff = skb_network_offset(skb) + ip_hdrlen(skb);
	return sg_inspect(state->net, skb, state, &pk);
}

static unsigned int sg_hook_ipv6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	u8 nexthdr = ip6h->nexthdr;
	struct sg_pkt pk;
	__be16 frag_off;
	int thoff;

	thoff = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(*ip6h),
				 &nexthdr, &frag_off);
	if (thoff < 0 || (frag_off & htons(~0x7)))
		return NF_ACCEPT;
	if (nexthdr != IPPROTO_UDP && nexthdr != IPPROTO_TCP)
		return NF_ACCEPT;

	pk.family = SG_AF_INET6;
	pk.l4proto = nexthdr;
	pk.saddr = ip6h->saddr.s6_addr;
	pk.payoff = thoff;
	return sg_inspect(state->net, skb, state, &pk);
}

static const struct nf_hook_ops sg_hook_ops[] = {
	{
		.hook		= sg_hook_ipv4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= SG_HOOK_PRIORITY,
	},
	{
		.hook		= sg_hook_ipv6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= SG_HOOK_PRIORITY,
	},
};

/*
 * Ask for defragmentation in this namespace first: the defrag hooks run at
 * -400, before ours, only in namespaces where someone enabled them.
 */
int sg_hooks_register(struct net *net)
{
	int ret;

	ret = nf_defrag_ipv4_enable(net);
	if (ret)
		goto err_defrag4;
	ret = nf_defrag_ipv6_enable(net);
	if (ret)
		goto err_defrag6;
	ret = nf_register_net_hooks(net, sg_hook_ops, ARRAY_SIZE(sg_hook_ops));
	if (ret)
		goto err_hooks;
	return 0;

err_hooks:
	nf_defrag_ipv6_disable(net);
err_defrag6:
	nf_defrag_ipv4_disable(net);
err_defrag4:
	return ret;
}

void sg_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, sg_hook_ops, ARRAY_SIZE(sg_hook_ops));
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}

int __init sg_hooks_init(void)
{
	sg_scratch = alloc_percpu(struct sg_scratch);
	return sg_scratch ? 0 : -ENOMEM;
}

void sg_hooks_exit(void)
{
	free_percpu(sg_scratch);
}
