// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath's netfilter hooks, all of them, in every network namespace:
 * PRE_ROUTING judges what arrives; LOCAL_OUT only watches the answers of a
 * PBX on this host (failures.c) and always accepts.
 *
 * This file walks a packet to its L3/L4 facts (walk.c) and counts;
 * verdict.c decides.  Cost model: a packet that is not UDP/TCP to a guarded
 * port costs its header walk, one RCU dereference and one bit test.
 * Untrusted SIP under the strict policy is dropped on the allowlist lookup
 * alone, never parsed.
 */
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "failures.h"
#include "hooks.h"
#include "sipguard.h"
#include "verdict.h"
#include "walk.h"

/*
 * Every hook, both families, both directions, runs at this priority:
 *  - after defragmentation (-400): ports and payload are the whole
 *    datagram's, and a fragment at an offset never reaches the judging;
 *  - before raw (-300) and conntrack (-200): a dropped flood creates no
 *    conntrack entries, and notrack rules do not hide packets from us;
 *  - before mangle (-150), destination NAT (-100) and filter (0): the port
 *    judged is the one the sender wrote, whatever a port forward makes of
 *    it, and on LOCAL_OUT an answer is still addressed as the PBX wrote it.
 */
#define SG_HOOK_PRIORITY (NF_IP_PRI_CONNTRACK_DEFRAG + 50)
static_assert((int)NF_IP6_PRI_CONNTRACK_DEFRAG == (int)NF_IP_PRI_CONNTRACK_DEFRAG &&
	      SG_HOOK_PRIORITY < (int)NF_IP_PRI_RAW && SG_HOOK_PRIORITY < (int)NF_IP6_PRI_RAW);

/*
 * Learning off, a UDP packet from a SIP port to a port that is not guarded,
 * arriving from outside: a registrar's 2xx shows where a phone is reached
 * that nothing guards (behind NAT, the external port).  Counted, shown.
 */
static void sg_hint_answer(struct sg_net *sgn, const struct sg_config *cfg,
			   struct sk_buff *skb, const struct nf_hook_state *state,
			   struct sg_pkt *pk)
{
	struct sg_pcpu_stats *st;

	if (pk->l4proto != IPPROTO_UDP || pk->bad ||
	    !sg_iface_guarded(cfg, &sgn->wan, state->in))
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
 * UDP or TCP, its ports read (@end: whether the rest of its header agrees
 * with the packet).  Not to a guarded port: accepted untouched.  To a
 * guarded port but with a header that contradicts itself or the packet:
 * BAD_L4 (the stack would discard it too, but only after conntrack saw it).
 */
static unsigned int sg_inspect(struct sk_buff *skb, const struct nf_hook_state *state,
			       const struct sg_walk *w, enum sg_walk_end end)
{
	struct sg_net *sgn = sg_pernet(state->net);
	const struct sg_config *cfg;
	struct sg_pkt pk;

	/* nf_hook_slow() holds rcu_read_lock() for us. */
	cfg = rcu_dereference(sgn->cfg);
	if (unlikely(!cfg) || cfg->p.mode == SIPGUARD_MODE_OFF)
		return NF_ACCEPT;

	/* The PBX inside answering a source outside (failures.c). */
	if (unlikely(sg_fail_watching(cfg, w->sport)) && end == SG_WALK_TRANSPORT &&
	    !sg_iface_guarded(cfg, &sgn->wan, state->in))
		sg_fail_answer(sgn, cfg, skb, w, false);
	sg_pkt_walked(&pk, w, end);
	pk.tls = test_bit(pk.dport, cfg->tls_ports);
	pk.learned_port = false;
	if (likely(!test_bit(pk.dport, cfg->sip_ports) && !pk.tls)) {
		if (likely(!cfg->p.learn)) {
			if (unlikely(test_bit(pk.sport, cfg->sip_ports)))
				sg_hint_answer(sgn, cfg, skb, state, &pk);
			return NF_ACCEPT;
		}
		/* A port a registered phone receives SIP on is guarded too. */
		if (!sg_learn_guards(&sgn->learn, pk.family, pk.l4proto,
				     pk.daddr, pk.dport)) {
			/* The registrar's answer to a phone not guarded yet. */
			if (unlikely(sg_learn_awaiting(&sgn->learn)))
				sg_verdict_learn_answer(sgn, skb, &pk);
			return NF_ACCEPT;
		}
		pk.learned_port = true;
	}
	pk.in = state->in;
	return sg_verdict(sgn, cfg, skb, &pk);
}

/*
 * An IPv6 extension header chain that cannot be walked: not even the
 * transport protocol is known, so with a guarded configuration it is
 * BAD_L4, never waved through as "not SIP".
 */
static unsigned int sg_unwalkable(struct sk_buff *skb, const struct nf_hook_state *state,
				  const struct sg_walk *w)
{
	struct sg_net *sgn = sg_pernet(state->net);
	const struct sg_config *cfg = rcu_dereference(sgn->cfg);
	struct sg_pkt pk;

	if (!cfg || cfg->p.mode == SIPGUARD_MODE_OFF)
		return NF_ACCEPT;
	sg_pkt_walked(&pk, w, SG_WALK_BAD_CHAIN);
	pk.tls = false;
	pk.learned_port = false;
	pk.in = state->in;
	return sg_verdict(sgn, cfg, skb, &pk);
}

static u8 sg_hook_family(const struct nf_hook_state *state)
{
	return state->pf == NFPROTO_IPV4 ? SG_AF_INET : SG_AF_INET6;
}

static unsigned int sg_hook_in(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct sg_walk w;
	enum sg_walk_end end = sg_walk_skb(&w, skb, sg_hook_family(state));

	switch (end) {
	case SG_WALK_TRANSPORT:
	case SG_WALK_BAD_TRANSPORT:
		return sg_inspect(skb, state, &w, end);
	case SG_WALK_BAD_CHAIN:
		return sg_unwalkable(skb, state, &w);
	default:
		/*
		 * Not UDP or TCP; no room for ports; a fragment at an offset
		 * (defragmentation runs first: only where it did not, as for
		 * packets looped back); an IP header the stack has already
		 * checked.  Nothing here to judge.
		 */
		return NF_ACCEPT;
	}
}

/* A packet this host sends: the answers of a PBX running here. */
static unsigned int sg_hook_out(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct sg_net *sgn = sg_pernet(state->net);
	const struct sg_config *cfg = rcu_dereference(sgn->cfg);
	struct sg_walk w;

	if (!cfg || cfg->p.mode == SIPGUARD_MODE_OFF || !cfg->p.failures)
		return NF_ACCEPT;
	if (sg_walk_skb(&w, skb, sg_hook_family(state)) == SG_WALK_TRANSPORT &&
	    sg_fail_watching(cfg, w.sport))
		sg_fail_answer(sgn, cfg, skb, &w, true);
	return NF_ACCEPT;
}

/* One table per namespace; the IPv4 hooks first (SG_HOOKS_IPV4). */
static const struct nf_hook_ops sg_hook_ops[] = {
	{
		.hook		= sg_hook_in,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= SG_HOOK_PRIORITY,
	},
	{
		.hook		= sg_hook_out,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= SG_HOOK_PRIORITY,
	},
	{
		.hook		= sg_hook_in,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= SG_HOOK_PRIORITY,
	},
	{
		.hook		= sg_hook_out,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= SG_HOOK_PRIORITY,
	},
};
#define SG_HOOKS_IPV4 2

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
	return sg_ipv6() ? ARRAY_SIZE(sg_hook_ops) : SG_HOOKS_IPV4;
}

/*
 * Defragmentation first: the defrag hooks run before ours only in the
 * namespaces where someone asked for them.
 */
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
	return 0;

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
	nf_unregister_net_hooks(net, sg_hook_ops, sg_nhooks());
	if (sg_ipv6())
		nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}
