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

#include "failures.h"
#include "hooks.h"
#include "sipguard.h"
#include "verdict.h"

#define SG_HOOK_PRIORITY (NF_IP_PRI_CONNTRACK_DEFRAG + 50)

/*
 * Learning off, a UDP packet from a SIP port to a port that is not guarded,
 * arriving from outside: a registrar's 2xx shows where a phone is reached
 * that nothing guards (behind NAT, the external port).  Counted, shown.
 */
static void sg_hint_answer(struct sg_net *sgn, const struct sg_config *cfg,
			   struct sk_buff *skb, const struct nf_hook_state *state,
			   struct sg_pkt *pk, unsigned int thoff)
{
	struct sg_pcpu_stats *st;

	if (pk->l4proto != IPPROTO_UDP || !sg_iface_guarded(cfg, &sgn->wan, state->in) ||
	    !sg_pkt_transport(skb, pk, thoff))
		return;
	local_bh_disable();
	if (sg_learn_hint_answer(&sgn->learn, skb, pk)) {
		st = sg_stats_begin(&sgn->stats);
		sg_stats_inc(st, SIPGUARD_STAT_REGISTER_UNGUARDED);
		sg_stats_end(st);
	}
	local_bh_enable();
}

/*
 * The transport header at @thoff, for a packet whose L3 said UDP or TCP.
 * Not to a guarded port: accepted untouched.  To a guarded port but with a
 * UDP or TCP header that contradicts itself or the packet: BAD_L4 (the
 * stack would discard it too, but only after conntrack saw it).
 */
static unsigned int sg_inspect(struct net *net, struct sk_buff *skb,
			       const struct nf_hook_state *state,
			       struct sg_pkt *pk, unsigned int thoff)
{
	struct sg_net *sgn = sg_pernet(net);
	const struct sg_config *cfg;
	__be16 _ports[2];
	const __be16 *ports;

	/* nf_hook_slow() holds rcu_read_lock() for us. */
	cfg = rcu_dereference(sgn->cfg);
	if (unlikely(!cfg) || cfg->p.mode == SIPGUARD_MODE_OFF)
		return NF_ACCEPT;

	/* Source and destination port open both the UDP and the TCP header. */
	ports = skb_header_pointer(skb, thoff, sizeof(_ports), _ports);
	if (!ports)
		return NF_ACCEPT;	/* no port: not ours to judge */
	/* The PBX inside answering a source outside (failures.c). */
	if (unlikely(sg_fail_watching(cfg, ntohs(ports[0]))) &&
	    !sg_iface_guarded(cfg, &sgn->wan, state->in))
		sg_fail_answer(sgn, cfg, skb, pk->family, pk->l4proto, pk->daddr, thoff);
	pk->sport = ntohs(ports[0]);
	pk->dport = ntohs(ports[1]);
	pk->tls = test_bit(pk->dport, cfg->tls_ports);
	pk->learned_port = false;
	if (likely(!test_bit(pk->dport, cfg->sip_ports) && !pk->tls)) {
		if (likely(!cfg->p.learn)) {
			if (unlikely(test_bit(pk->sport, cfg->sip_ports)))
				sg_hint_answer(sgn, cfg, skb, state, pk, thoff);
			return NF_ACCEPT;
		}
		/* A port a registered phone receives SIP on is guarded too. */
		if (!sg_learn_guards(&sgn->learn, pk->family, pk->l4proto,
				     pk->daddr, pk->dport)) {
			/* The registrar's answer to a phone not guarded yet. */
			if (unlikely(sg_learn_awaiting(&sgn->learn)))
				sg_verdict_learn_answer(sgn, skb, pk, thoff);
			return NF_ACCEPT;
		}
		pk->learned_port = true;
	}
	pk->in = state->in;
	pk->bad = !sg_pkt_transport(skb, pk, thoff);
	return sg_verdict(sgn, cfg, skb, pk);
}

static unsigned int sg_hook_ipv4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct sg_pkt pk;

	if (iph->protocol != IPPROTO_UDP && iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	/*
	 * Defragmentation runs before us, so this is a whole datagram; a
	 * later fragment (defrag off for some reason) carries no ports.
	 */
	if (iph->frag_off & htons(IP_OFFSET))
		return NF_ACCEPT;

	pk.family = SG_AF_INET;
	pk.bad = false;
	pk.syn = false;
	pk.l4proto = iph->protocol;
	pk.saddr = (const u8 *)&iph->saddr;
	pk.daddr = (const u8 *)&iph->daddr;
	return sg_inspect(state->net, skb, state, &pk,
			  skb_network_offset(skb) + ip_hdrlen(skb));
}

/*
 * IPv6: walk the extension headers (hop-by-hop, routing, destination
 * options, fragment, AH) to the transport header.  A chain that cannot be
 * walked cannot be classified: with a guarded configuration it is BAD_L4,
 * never waved through as "not SIP".  "No next header" is not an error.
 */
static unsigned int sg_hook_ipv6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	unsigned int thoff = 0;
	unsigned short frag_off;
	struct sg_pkt pk;
	int proto, flags = 0;

	pk.family = SG_AF_INET6;
	pk.bad = false;
	pk.syn = false;
	pk.learned_port = false;
	pk.saddr = ipv6_hdr(skb)->saddr.s6_addr;
	pk.daddr = ipv6_hdr(skb)->daddr.s6_addr;
	proto = ipv6_find_hdr(skb, &thoff, -1, &frag_off, &flags);
	if (proto == -ENOENT)
		return NF_ACCEPT;
	if (proto < 0) {
		struct sg_net *sgn = sg_pernet(state->net);
		const struct sg_config *cfg = rcu_dereference(sgn->cfg);

		if (!cfg || cfg->p.mode == SIPGUARD_MODE_OFF)
			return NF_ACCEPT;
		/* Not even the transport protocol is known. */
		pk.l4proto = 0;
		pk.bad = true;
		pk.in = state->in;
		return sg_verdict(sgn, cfg, skb, &pk);
	}
	/* As for IPv4: only a first fragment would carry ports. */
	if ((flags & IP6_FH_F_FRAG) && frag_off)
		return NF_ACCEPT;
	if (proto != IPPROTO_UDP && proto != IPPROTO_TCP)
		return NF_ACCEPT;

	pk.l4proto = proto;
	return sg_inspect(state->net, skb, state, &pk, thoff);
}

/* IPv4 first: without IPv6 only the first one is registered. */
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
/*
 * A kernel booted with ipv6.disable=1 has the IPv6 code but never set it
 * up: nothing of IPv6 is touched there, and no IPv6 packet ever arrives.
 */
static bool sg_ipv6(void)
{
	return IS_ENABLED(CONFIG_IPV6) && ipv6_mod_enabled();
}

static unsigned int sg_nhooks(void)
{
	return sg_ipv6() ? ARRAY_SIZE(sg_hook_ops) : 1;
}

int sg_hooks_register(struct net *net)
{
	int ret;

	ret = nf_defrag_ipv4_enable(net);
	if (ret)
		goto err_defrag4;
	if (sg_ipv6()) {
		ret = nf_defrag_ipv6_enable(net);
		if (ret)
			goto err_defrag6;
	}
	ret = nf_register_net_hooks(net, sg_hook_ops, sg_nhooks());
	if (ret)
		goto err_hooks;
	ret = sg_fail_hooks_register(net);
	if (ret)
		goto err_fail_hooks;
	return 0;

err_fail_hooks:
	nf_unregister_net_hooks(net, sg_hook_ops, sg_nhooks());
err_hooks:
	if (sg_ipv6())
		nf_defrag_ipv6_disable(net);
err_defrag6:
	nf_defrag_ipv4_disable(net);
err_defrag4:
	return ret;
}

void sg_hooks_unregister(struct net *net)
{
	sg_fail_hooks_unregister(net);
	nf_unregister_net_hooks(net, sg_hook_ops, sg_nhooks());
	if (sg_ipv6())
		nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}
