// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP tier: one kfunc, bpf_sipguard_xdp_verdict(), that an XDP program
 * calls for a UDP or TCP frame.  It answers from the namespace's live
 * configuration, allowlist and learned registrars (one source of truth, no
 * second copy in BPF maps that could drift), as nf_conntrack_bpf.c answers
 * bpf_xdp_ct_lookup() from conntrack.
 *
 * It only says "drop" for what the netfilter hook would certainly drop:
 * untrusted UDP/TCP to a guarded port on a guarded interface, enforce mode,
 * under the strict policy (DROP_UNTRUSTED) or to a TLS port (DROP_TLS), and
 * under the open policy from a source the source table has banned now
 * (DROP_BANNED: the hook drops every packet of a banned source unparsed,
 * or as BAD_L4 when its checksum is wrong).
 * Everything else passes to the hook, which stays the complete guard:
 * devices that are not Ethernet (tun, WireGuard, ipip: no MAC header),
 * fragments, VLAN tags, IPv6 extension headers, L4 headers that do not add
 * up (the hook counts BAD_L4), frames to another host, devices under a
 * bridge or bond or with VLANs on them (the hook sees the upper device), a
 * source on a learned registrar's address (the hook may need to parse its
 * answer), the open policy for a source that is not banned (rates,
 * budget, signatures and the INVITE policy need the parser), monitor mode.
 * The allowlist and the learned registrars come before the ban, as in the
 * hook: a trusted source is never dropped here, banned or not.
 *
 * A kfunc needs the module's BTF; Debian's headers have no vmlinux, so the
 * build adds it afterwards (tools/xdp/module-btf.sh).  Without it the
 * registration fails and the module runs as before, without an XDP tier.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <net/xdp.h>

#include "allowlist.h"
#include "sipguard.h"
#include "walk.h"
#include "xdp_kfuncs.h"

/* 6.1 has neither __bpf_kfunc nor BTF_KFUNCS_START. */
#ifndef __bpf_kfunc
#define __bpf_kfunc __used noinline
#endif
#ifndef BTF_KFUNCS_START
#define BTF_KFUNCS_START(name) BTF_SET8_START(name)
#define BTF_KFUNCS_END(name) BTF_SET8_END(name)
#endif

/*
 * Is @saddr the address of a registrar learned (or being learned), live or
 * not, whatever its port?  A superset of what the hook trusts: such a
 * frame always goes to the hook, which may have to parse it (a 2xx that
 * confirms a registration).
 */
static bool sg_xdp_learned(struct sg_net *sgn, const struct sg_walk *pk)
{
	const struct sg_learn_set *s = rcu_dereference(sgn->learn.set);
	u32 i;

	if (!s)
		return false;
	for (i = 0; i < s->n; i++)
		if (s->e[i].family == pk->family &&
		    !memcmp(s->e[i].addr, pk->saddr, pk->family == SG_AF_INET ? 4 : 16))
			return true;
	return false;
}

/* The counter of a certain drop, or 0 to leave it to the hook. */
static enum sipguard_stat sg_xdp_decide(struct sg_net *sgn, const struct sg_config *cfg,
					const struct net_device *dev,
					const struct sg_walk *pk)
{
	bool tls;

	if (cfg->p.mode != SIPGUARD_MODE_ENFORCE)
		return 0;
	tls = test_bit(pk->dport, cfg->tls_ports);
	if (!tls && !test_bit(pk->dport, cfg->sip_ports))
		return 0;
	if (tls && cfg->p.policy != SIPGUARD_POLICY_STRICT)
		return 0;
	/* Under a bridge, bond, macvlan ...: PRE_ROUTING sees another device. */
	if (rcu_access_pointer(dev->rx_handler))
		return 0;
#if IS_ENABLED(CONFIG_VLAN_8021Q)
	/*
	 * With VLANs on it, a tag the NIC stripped is not in the frame we
	 * see, and PRE_ROUTING sees the VLAN device.
	 */
	if (rcu_access_pointer(dev->vlan_info))
		return 0;
#endif
	if (!sg_iface_guarded(cfg, &sgn->wan, dev))
		return 0;
	if (sg_allowlist_match(cfg->al, pk->family, pk->saddr, pk->sport))
		return 0;
	if (cfg->p.learn && sg_xdp_learned(sgn, pk))
		return 0;
	if (tls)
		return SIPGUARD_STAT_XDP_DROP_TLS;
	if (cfg->p.policy == SIPGUARD_POLICY_STRICT)
		return SIPGUARD_STAT_XDP_DROP_UNTRUSTED;
	/* Open: only a ban running now is certain; it is read, never made. */
	if (sg_src_banned(&sgn->sources, pk->family, pk->saddr))
		return SIPGUARD_STAT_XDP_DROP_BANNED;
	return 0;
}

/* Walk the frame; false for anything the hook has to judge. */
static bool sg_xdp_parse(struct sg_walk *pk, const struct net_device *dev,
			 const u8 *data, const u8 *end)
{
	const struct ethhdr *eth = (const struct ethhdr *)data;
	struct sg_bytes b = { .data = data, .headlen = end - data, .len = end - data };
	u8 family;

	/*
	 * Only a frame that starts with an Ethernet header.  Generic XDP on a
	 * tun, WireGuard or ipip device hands us the IP header itself: read
	 * as a MAC header, its addresses and "EtherType" are the IP header's
	 * bytes.  Such devices are the hook's alone (sipguardctl refuses to
	 * attach there; any other program that calls us gets "pass").
	 */
	if (dev->type != ARPHRD_ETHER || dev->hard_header_len != ETH_HLEN)
		return false;
	if (b.len < sizeof(*eth))
		return false;
	/* Not for this host: the stack drops it before PRE_ROUTING. */
	if (!is_multicast_ether_addr(eth->h_dest) &&
	    !ether_addr_equal(eth->h_dest, dev->dev_addr))
		return false;

	if (eth->h_proto == htons(ETH_P_IP))
		family = SG_AF_INET;
	else if (eth->h_proto == htons(ETH_P_IPV6))
		family = SG_AF_INET6;
	else
		return false;
	/*
	 * Any fragment: the hook sees the reassembled datagram.  IPv6
	 * extension headers: the input path parses a hop-by-hop header
	 * before PRE_ROUTING, and may drop the packet there.
	 */
	return sg_walk(pk, &b, sizeof(*eth), family) == SG_WALK_TRANSPORT &&
	       pk->frag == SG_FRAG_NONE && !pk->ext;
}

__bpf_kfunc int bpf_sipguard_xdp_verdict(struct xdp_md *ctx)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	const struct net_device *dev = xdp->rxq->dev;
	const struct sg_config *cfg;
	struct sg_pcpu_stats *st;
	enum sipguard_stat why = 0;
	struct sg_walk pk;
	struct sg_net *sgn;

	if (!sg_xdp_parse(&pk, dev, xdp->data, xdp->data_end))
		return XDP_PASS;

	rcu_read_lock();
	sgn = sg_pernet(dev_net(dev));
	cfg = rcu_dereference(sgn->cfg);
	if (cfg)
		why = sg_xdp_decide(sgn, cfg, dev, &pk);
	if (why) {
		/* Generic XDP may run with bottom halves on. */
		local_bh_disable();
		st = sg_stats_begin(&sgn->stats);
		sg_stats_decision(st, why, pk.l4proto, pk.family != SG_AF_INET, true);
		sg_stats_end(st);
		local_bh_enable();
	}
	rcu_read_unlock();
	return why ? XDP_DROP : XDP_PASS;
}

BTF_KFUNCS_START(sg_xdp_kfunc_ids)
BTF_ID_FLAGS(func, bpf_sipguard_xdp_verdict)
BTF_KFUNCS_END(sg_xdp_kfunc_ids)

static const struct btf_kfunc_id_set sg_xdp_kfunc_set = {
	.owner	= THIS_MODULE,
	.set	= &sg_xdp_kfunc_ids,
};

void sg_xdp_kfuncs_init(void)
{
	int ret;

	if (!IS_ENABLED(CONFIG_DEBUG_INFO_BTF_MODULES)) {
		pr_info("XDP tier unavailable: kernel without module BTF\n");
		return;
	}
#ifdef CONFIG_DEBUG_INFO_BTF_MODULES
	/*
	 * 6.12 registers nothing and returns 0 for a module without BTF; the
	 * loader has just read our .BTF section, if there is one.
	 */
	if (!THIS_MODULE->btf_data_size) {
		pr_info("XDP tier unavailable: module built without BTF (see tools/xdp/module-btf.sh)\n");
		return;
	}
#endif
	ret = register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP, &sg_xdp_kfunc_set);
	if (ret)
		pr_info("XDP tier unavailable: kfunc registration failed (%d)\n", ret);
}
