// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks: IPv4 and IPv6 PRE_ROUTING, registered in every
 * network namespace.
 *
 * Priority: after defragmentation (-400), so a fragmented SIP message is seen
 * whole, and before raw (-300) and conntrack (-200), so a flood sipguard drops
 * never creates conntrack entries.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
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

#define SG_HOOK_PRIORITY (NF_IP_PRI_CONNTRACK_DEFRAG + 50)

/*
 * The common part once L3 is understood: @thoff is the offset of the UDP or
 * TCP header, @l4proto its protocol.
 */
static unsigned int sg_inspect(struct sg_net *sgn, struct sk_buff *skb,
			       unsigned int thoff, u8 l4proto,
			       enum sipguard_stat l3stat)
{
	struct sg_pcpu_stats *st;
	__be16 _ports[2];
	const __be16 *ports;

	/* Source and destination port open both the UDP and the TCP header. */
	ports = skb_header_pointer(skb, thoff, sizeof(_ports), _ports);
	if (!ports || ports[1] != htons(SG_SIP_PORT))
		return NF_ACCEPT;

	st = sg_stats_begin(&sgn->stats);
	sg_stats_inc(st, l4proto == IPPROTO_UDP ? SIPGUARD_STAT_SIP_UDP :
						  SIPGUARD_STAT_SIP_TCP);
	sg_stats_inc(st, l3stat);
	sg_stats_end(st);
	return NF_ACCEPT;
}

static unsigned int sg_hook_ipv4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (iph->protocol != IPPROTO_UDP && iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	/* Only a first fragment carries ports; defrag normally left none. */
	if (iph->frag_off & htons(IP_OFFSET))
		return NF_ACCEPT;

	return sg_inspect(sg_pernet(state->net), skb,
			  skb_network_offset(skb) + ip_hdrlen(skb),
			  iph->protocol, SIPGUARD_STAT_SIP_IPV4);
}

static unsigned int sg_hook_ipv6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	__be16 frag_off;
	int thoff;

	thoff = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(struct ipv6hdr),
				 &nexthdr, &frag_off);
	if (thoff < 0 || (frag_off & htons(~0x7)))
		return NF_ACCEPT;
	if (nexthdr != IPPROTO_UDP && nexthdr != IPPROTO_TCP)
		return NF_ACCEPT;

	return sg_inspect(sg_pernet(state->net), skb, thoff, nexthdr,
			  SIPGUARD_STAT_SIP_IPV6);
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
