// SPDX-License-Identifier: GPL-2.0
/*
 * sipguard's XDP tier.  It holds no policy of its own: for an IPv4 or IPv6
 * frame whose next header is UDP or TCP it asks the module
 * (bpf_sipguard_xdp_verdict(), kmod/xdp_kfuncs.c), which answers from its
 * live configuration, allowlist and learned registrars and counts its own
 * drops.  Everything else passes untouched to the stack, where the
 * netfilter hook stays the complete guard.
 *
 * Built by clang -target bpf, embedded into sipguardctl by
 * `bpftool gen skeleton`, attached by `sipguardctl xdp attach DEV`.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

extern int bpf_sipguard_xdp_verdict(struct xdp_md *ctx) __ksym;

SEC("xdp")
int sipguard_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 proto;

	if ((void *)(eth + 1) > end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = (void *)(eth + 1);

		if ((void *)(iph + 1) > end)
			return XDP_PASS;
		proto = iph->protocol;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > end)
			return XDP_PASS;
		proto = ip6->nexthdr;
	} else {
		return XDP_PASS;
	}
	if (proto != IPPROTO_UDP && proto != IPPROTO_TCP)
		return XDP_PASS;
	return bpf_sipguard_xdp_verdict(ctx) == XDP_DROP ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
