// SPDX-License-Identifier: GPL-2.0
/*
 * Reads of a packet's payload that the hook, learning, framing and events
 * share: see packet.h.
 */
#include <linux/in.h>
#include <linux/netfilter.h>
#include <linux/udp.h>

#include "allowlist.h"
#include "packet.h"

struct sg_scratch __percpu *sg_scratch;

/*
 * The transport checksum, unless the device or GRO checked it already.  An
 * IPv4 UDP checksum of zero means none was sent (RFC 768).
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
	} else {
		l4len = skb->len - pk->thoff;
	}
	if (pk->thoff + l4len == skb->len)
		return !nf_checksum(skb, NF_INET_PRE_ROUTING, pk->thoff,
				    pk->l4proto, nfpf);
	return !nf_checksum_partial(skb, NF_INET_PRE_ROUTING, pk->thoff, l4len,
				    pk->l4proto, nfpf);
}

int __init sg_packet_init(void)
{
	sg_scratch = alloc_percpu(struct sg_scratch);
	return sg_scratch ? 0 : -ENOMEM;
}

void sg_packet_exit(void)
{
	free_percpu(sg_scratch);
}
