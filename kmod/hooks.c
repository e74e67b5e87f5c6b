// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath: IPv4 and IPv6 PRE_ROUTING hooks in every network namespace.
 *
 * Priority: after defragmentation (-400), so a fragmented SIP message is seen
 * whole, and before raw (-300) and conntrack (-200), so a flood sipguard drops
 * never creates conntrack entries.
 *
 * This file finds the L3/L4 facts of a packet and counts; verdict.c decides.
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
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "sipguard.h"
#include "verdict.h"

#define SG_HOOK_PRIORITY (NF_IP_PRI_CONNTRACK_DEFRAG + 50)

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

	/* nf_hook_slow() holds rcu_read_lock() for us. */
	cfg = rcu_dereference(sgn->cfg);
	if (unlikely(!cfg) || cfg->p.mode == SIPGUARD_MODE_OFF)
		return NF_ACCEPT;

	/* Source and destination port open both the UDP and the TCP header. */
	ports = skb_header_pointer(skb, thoff, sizeof(_ports), _ports);
	if (!ports)
		return NF_ACCEPT;
	pk->dport = ntohs(ports[1]);
	pk->tls = test_bit(pk->dport, cfg->tls_ports);
	if (likely(!test_bit(pk->dport, cfg->sip_ports) && !pk->tls))
		return NF_ACCEPT;
	pk->sport = ntohs(ports[0]);
	pk->in = state->in;

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
	why = sg_decide(cfg, skb, pk, st);
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
