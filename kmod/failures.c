// SPDX-License-Identifier: GPL-2.0
/*
 * Failure bans (see failures.h): requests remembered, answers matched and
 * judged, and the LOCAL_OUT hooks that see the answers of a PBX running on
 * this host.
 *
 * Why Call-ID, CSeq and branch: a UAS copies all three into every answer
 * (RFC 3261 8.2.6.2), and a scanner cannot make a third party's PBX answer
 * a request that third party never sent; an answer that matches nothing
 * counts nothing (FAILURES_UNMATCHED).  Someone who could forge these
 * answers could as well forge the requests, and a forged scanner
 * User-Agent bans at once: this is no easier to abuse than signatures.
 */
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "failures.h"
#include "packet.h"
#include "sip_parser.h"
#include "sipguard.h"

static siphash_key_t sg_fail_key __read_mostly;

/* The remembered form of a request, or of the request an answer is to. */
static u32 sg_fail_rec(const u8 *p, const struct sip_msg *msg)
{
	const struct sip_field *f;
	u64 id, branch, method;
	u32 rec;

	net_get_random_once(&sg_fail_key, sizeof(sg_fail_key));
	f = &msg->call_id;
	id = siphash(p + f->off, f->len, &sg_fail_key);
	f = &msg->via.branch;
	branch = siphash(p + f->off, f->len, &sg_fail_key);
	f = &msg->cseq.method_tok;
	method = siphash(p + f->off, f->len, &sg_fail_key);
	rec = (u32)siphash_4u64(id, branch, method, msg->cseq.num, &sg_fail_key);
	rec &= ~SG_REQ_CREDENTIALS;
	return rec ?: 2;
}

/* Can an answer be told from others by Call-ID and CSeq at all? */
static bool sg_fail_matchable(const struct sip_msg *msg)
{
	return msg->call_id_state == SIP_F_FOUND && msg->cseq.state == SIP_F_FOUND;
}

u32 sg_fail_request_rec(const struct sg_config *cfg, const u8 *p,
			const struct sip_msg *msg)
{
	/* An ACK gets no answer. */
	if (!cfg->p.failures || msg->method == SIP_METHOD_ACK || !sg_fail_matchable(msg))
		return 0;
	return sg_fail_rec(p, msg) | (msg->credentials ? SG_REQ_CREDENTIALS : 0);
}

static enum sg_answer sg_fail_kind(u16 status)
{
	switch (status) {
	case 403:	/* Forbidden: a bad password (Asterisk), a barred call */
	case 404:	/* Not Found: svwar's unknown extension */
	case 484:	/* Address Incomplete: the other answer to a scan */
		return SG_ANSWER_FAILURE;
	case 401:
	case 407:
		return SG_ANSWER_CHALLENGE;
	}
	return SG_ANSWER_OTHER;
}

/*
 * @local: built by this host (LOCAL_OUT).  Its checksum is the stack's own
 * work, often still to be done by the device (CHECKSUM_PARTIAL): not ours
 * to verify, and an skb on its way out is not ours to modify either.
 */
static void __sg_fail_answer(struct sg_net *sgn, const struct sg_config *cfg,
			     struct sk_buff *skb, u8 family, u8 l4proto,
			     const u8 *daddr, unsigned int thoff, bool local)
{
	unsigned int l4len = skb->len > thoff ? skb->len - thoff : 0;
	enum sg_answer_result res;
	struct sg_pcpu_stats *st;
	struct sg_src_info ban;
	struct sg_pkt pk = {
		.family = family, .l4proto = l4proto,
		.daddr = daddr, .thoff = thoff,
		.saddr = family == SG_AF_INET ? (const u8 *)&ip_hdr(skb)->saddr :
						ipv6_hdr(skb)->saddr.s6_addr,
	};
	enum sg_answer kind;
	struct sip_msg msg;
	unsigned int len;
	u8 _start[8];
	const u8 *p;

	/* Several datagrams in one (UDP GSO): a PBX does not send those. */
	if (skb_is_gso(skb))
		return;
	if (l4proto == IPPROTO_UDP) {
		struct udphdr _uh;
		const struct udphdr *uh;

		uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
		if (!uh || ntohs(uh->len) < sizeof(*uh) || ntohs(uh->len) > l4len)
			return;
		pk.payoff = thoff + sizeof(*uh);
		pk.paylen = ntohs(uh->len) - sizeof(*uh);
	} else {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
		if (!th || th->doff * 4 < sizeof(*th) || th->doff * 4 > l4len)
			return;
		/* Over TCP: an answer that starts its segment. */
		pk.payoff = thoff + th->doff * 4;
		pk.paylen = l4len - th->doff * 4;
	}
	/* The phones' own requests leave from SIP ports too: only answers. */
	p = skb_header_pointer(skb, pk.payoff, sizeof(_start), _start);
	if (pk.paylen < sizeof(_start) || !p || strncasecmp((const char *)p, "SIP/2.0 ", 8))
		return;

	/* The parse window is per CPU: LOCAL_OUT runs with BHs on. */
	local_bh_disable();
	p = sg_payload(skb, &pk, &len);
	if (!p || sip_parse(p, len, &msg) != SIP_OK || msg.is_request ||
	    msg.status_code < 200 || !sg_fail_matchable(&msg) ||
	    (!local && !sg_csum_ok(skb, &pk)))
		goto out;
	kind = sg_fail_kind(msg.status_code);
	st = sg_stats_begin(&sgn->stats);
	res = sg_src_answer(&sgn->sources, cfg, family, daddr, sg_fail_rec(p, &msg), kind, &ban);
	switch (res) {
	case SG_ANSWER_UNMATCHED:
		if (kind != SG_ANSWER_OTHER)
			sg_stats_inc(st, SIPGUARD_STAT_FAILURES_UNMATCHED);
		break;
	case SG_ANSWER_BANNED:
		sg_ban_told(sgn, cfg, &ban, SIPGUARD_STAT_DROP_FAILURES,
			    ban.ban_ms / MSEC_PER_SEC, st);
		sg_stats_inc(st, SIPGUARD_STAT_DROP_FAILURES);
		fallthrough;
	case SG_ANSWER_COUNTED:
		sg_stats_inc(st, SIPGUARD_STAT_FAILURES);
		break;
	case SG_ANSWER_MATCHED:
		break;
	}
	sg_stats_end(st);
out:
	local_bh_enable();
}

/* An answer forwarded from the PBX inside (the main hooks). */
void sg_fail_answer(struct sg_net *sgn, const struct sg_config *cfg,
		    struct sk_buff *skb, u8 family, u8 l4proto,
		    const u8 *daddr, unsigned int thoff)
{
	__sg_fail_answer(sgn, cfg, skb, family, l4proto, daddr, thoff, false);
}

/* A packet this host sends: the answers of a PBX running here. */
static void sg_fail_local(struct net *net, struct sk_buff *skb, u8 family,
			  u8 l4proto, const u8 *daddr, unsigned int thoff)
{
	struct sg_net *sgn = sg_pernet(net);
	const struct sg_config *cfg = rcu_dereference(sgn->cfg);
	__be16 _sport;
	const __be16 *sport;

	if (!cfg || cfg->p.mode == SIPGUARD_MODE_OFF || !cfg->p.failures)
		return;
	sport = skb_header_pointer(skb, thoff, sizeof(_sport), &_sport);
	if (sport && sg_fail_watching(cfg, ntohs(*sport)))
		__sg_fail_answer(sgn, cfg, skb, family, l4proto, daddr, thoff, true);
}

static unsigned int sg_fail_out4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);

	if ((iph->protocol == IPPROTO_UDP || iph->protocol == IPPROTO_TCP) &&
	    !(iph->frag_off & htons(IP_OFFSET)))
		sg_fail_local(state->net, skb, SG_AF_INET, iph->protocol,
			      (const u8 *)&iph->daddr,
			      skb_network_offset(skb) + ip_hdrlen(skb));
	return NF_ACCEPT;
}

static unsigned int sg_fail_out6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	unsigned int thoff = 0;
	unsigned short frag_off;
	int proto, flags = 0;

	proto = ipv6_find_hdr(skb, &thoff, -1, &frag_off, &flags);
	if ((proto == IPPROTO_UDP || proto == IPPROTO_TCP) &&
	    !((flags & IP6_FH_F_FRAG) && frag_off))
		sg_fail_local(state->net, skb, SG_AF_INET6, proto,
			      ipv6_hdr(skb)->daddr.s6_addr, thoff);
	return NF_ACCEPT;
}

/*
 * Before conntrack and NAT (a local answer is then still addressed as the
 * PBX wrote it); only ever NF_ACCEPT.
 */
static const struct nf_hook_ops sg_fail_ops[] = {
	{
		.hook		= sg_fail_out4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_CONNTRACK_DEFRAG + 50,
	},
	{
		.hook		= sg_fail_out6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP6_PRI_CONNTRACK_DEFRAG + 50,
	},
};

/* As hooks.c: without IPv6 at boot, only the IPv4 hook. */
static unsigned int sg_fail_nhooks(void)
{
	return IS_ENABLED(CONFIG_IPV6) && ipv6_mod_enabled() ? ARRAY_SIZE(sg_fail_ops) : 1;
}

int sg_fail_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, sg_fail_ops, sg_fail_nhooks());
}

void sg_fail_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, sg_fail_ops, sg_fail_nhooks());
}
