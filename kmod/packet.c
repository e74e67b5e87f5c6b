// SPDX-License-Identifier: GPL-2.0
/*
 * Reads of a packet's payload that the hook, learning, framing and events
 * share: see packet.h.
 */
#include <linux/in.h>
#include <linux/netfilter.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

#include "alloc.h"
#include "allowlist.h"
#include "packet.h"

struct sg_scratch __percpu *sg_scratch;

/*
 * A UDP datagram shorter than its IP payload (trailing bytes, which
 * udp_rcv() trims and accepts): its checksum covers the UDP length, and so
 * does its pseudo-header.  nf_checksum_partial() puts the IP payload's
 * length in the pseudo-header and resets skb->ip_summed: summed here
 * instead, on a copy of nothing, leaving the skb as the stack will see it.
 */
static bool sg_csum_udp_short_ok(struct sk_buff *skb, const struct sg_pkt *pk,
				 unsigned int l4len)
{
	__wsum csum = skb_checksum(skb, pk->thoff, l4len, 0);

	if (pk->family == SG_AF_INET) {
		__be32 saddr, daddr;

		memcpy(&saddr, pk->saddr, sizeof(saddr));
		memcpy(&daddr, pk->daddr, sizeof(daddr));
		return !csum_tcpudp_magic(saddr, daddr, l4len, IPPROTO_UDP, csum);
	}
#if IS_ENABLED(CONFIG_IPV6)
	return !csum_ipv6_magic((const struct in6_addr *)pk->saddr,
				(const struct in6_addr *)pk->daddr, l4len,
				IPPROTO_UDP, csum);
#else
	return false;
#endif
}

/*
 * The transport checksum, unless the device or GRO checked it already.  An
 * IPv4 UDP checksum of zero means none was sent (RFC 768).  For packets
 * that arrive (PRE_ROUTING): a locally built one is not checked here.
 */
bool sg_csum_ok(struct sk_buff *skb, const struct sg_pkt *pk)
{
	u8 nfpf = pk->family == SG_AF_INET ? NFPROTO_IPV4 : NFPROTO_IPV6;
	unsigned int l4len;
	__sum16 _check;
	const __sum16 *check;

	if (skb_csum_unnecessary(skb))
		return true;
	if (pk->l4proto == IPPROTO_UDP) {
		l4len = pk->paylen + sizeof(struct udphdr);
		if (pk->family == SG_AF_INET) {
			check = skb_header_pointer(skb, pk->thoff +
						   offsetof(struct udphdr, check),
						   sizeof(_check), &_check);
			if (!check)
				return false;
			if (!*check)
				return true;
		}
		if (pk->thoff + l4len < skb->len)
			return sg_csum_udp_short_ok(skb, pk, l4len);
	}
	/* The whole payload: as conntrack checks it, the result kept. */
	return !nf_checksum(skb, NF_INET_PRE_ROUTING, pk->thoff, pk->l4proto, nfpf);
}

int __init sg_packet_init(void)
{
	sg_scratch = sg_alloc_percpu(struct sg_scratch);
	return sg_scratch ? 0 : -ENOMEM;
}

void sg_packet_exit(void)
{
	free_percpu(sg_scratch);
}
