// SPDX-License-Identifier: GPL-2.0
/*
 * sg_hookbench: what the IPv4 PRE_ROUTING hooks of a network namespace cost
 * per packet, timed in the guest without the emulator's packet rates in the
 * way (they vary several times over between runs under TCG).  Never loaded
 * except by the benchmark (tools/bench/netbench.sh, sections hookcost and
 * srctable), which prints its rows.
 *
 * At load it takes the namespaces of the processes it is given, builds one
 * UDP datagram to port 5060 per source address, and runs it through a
 * namespace's hook entries, as nf_hook_slow() does, @iters times per block,
 * timed with ktime_get_ns(), bottom halves off and under RCU.  Each pass
 * takes a clone of a prebuilt skb (src0 and src take theirs in turn) and
 * ends as nf_hook_slow() would: a verdict other than NF_ACCEPT stops it,
 * NF_DROP frees the clone (nf_tables frees it itself since 6.4, and says
 * NF_STOLEN), and an accepted clone is freed too (the stack would go on with
 * it): so every variant, the base too, pays one clone and one free per
 * packet, and a row minus the base is what the hooks themselves cost.
 * Variants, one block each, interleaved, @reps rounds:
 *   base     @sg_pid's namespace, its hooks without sipguard's (defrag)
 *   strict   the same with sipguard's: strict policy, untrusted (drop)
 *   trusted  the same, from the allowlisted @trusted address (pass)
 *   nft      @nft_pid's namespace without sipguard's hook: an nft drop rule
 *   open     @open_pid's namespace with sipguard's, open policy, limits
 *            that never run dry: the OPTIONS from the untrusted source is
 *            charged, parsed, judged and recorded for failure bans (pass)
 *   meter    @meter_pid's namespace without sipguard's hook: an nft meter,
 *            a per-source limit that never runs dry either (pass)
 *   parse    the base's hooks, then sipguard's parser (sip_parser.c, built
 *            in here) over the datagram's payload: parse minus base is
 *            what parsing the OPTIONS costs, without charging or judging
 *   src0     @src0_pid's namespace with sipguard's, open policy, whose
 *            source table holds only the @nsrc sources of 203.0.113.0/24
 *            the passes take in turn, each banned: a lookup and a ban
 *            check (drop)
 *   src      the same in @src_pid's namespace, whose table (as large)
 *            holds many other sources too (netbench.sh fills 1M)
 * A variant whose process is not given (0) is left out (parse with the
 * base's @sg_pid); the base runs in @sg_pid's namespace, or @src0_pid's
 * without it.  netbench.sh's section hookcost gives @sg_pid, @nft_pid,
 * @open_pid and @meter_pid (base to parse), section srctable @src0_pid and
 * @src_pid (base, src0, src).
 * Under TCG on a shared host, the guest's clock runs on while the host
 * runs something else: that noise only ever adds time.  So blocks are short
 * (@iters passes, well under a host time slice) and many (@reps rounds),
 * and a variant's figure is its fastest block: the rounds are cut into
 * @groups consecutive groups, each group's fastest block of a variant is
 * divided by the base's fastest of the same group (the emulator's drift
 * between groups cancels), and the row gives the median of those ratios
 * and their spread, (max - min) / median; the ns columns give the fastest,
 * the median and the slowest block of the run.  sipguard's entries are
 * told by their hook function's module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inet.h>
#include <linux/ip.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/net_namespace.h>

#include "sip_parser.h"

static int sg_pid;
module_param(sg_pid, int, 0444);
MODULE_PARM_DESC(sg_pid, "a process in the namespace with sipguard (strict, enforce)");
static int nft_pid;
module_param(nft_pid, int, 0444);
MODULE_PARM_DESC(nft_pid, "a process in the namespace with the nft drop rule");
static int open_pid;
module_param(open_pid, int, 0444);
MODULE_PARM_DESC(open_pid, "a process in the namespace with sipguard (open, enforce)");
static int meter_pid;
module_param(meter_pid, int, 0444);
MODULE_PARM_DESC(meter_pid, "a process in the namespace with the nft meter");
static int src0_pid;
module_param(src0_pid, int, 0444);
MODULE_PARM_DESC(src0_pid, "a process in the namespace whose source table holds only the banned sources");
static int src_pid;
module_param(src_pid, int, 0444);
MODULE_PARM_DESC(src_pid, "a process in the namespace whose source table holds many more");
static unsigned int nsrc = 256;
module_param(nsrc, uint, 0444);
MODULE_PARM_DESC(nsrc, "sources of 203.0.113.0/24 the src variants take in turn (1-256)");
static char *dev = "hb0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "the input device, in every namespace");
static char *trusted = "198.51.100.10";
module_param(trusted, charp, 0444);
static char *untrusted = "203.0.113.7";
module_param(untrusted, charp, 0444);
static unsigned int iters = 256;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "passes per block");
static unsigned int reps = 1000;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "rounds of blocks");
static unsigned int groups = 5;
module_param(groups, uint, 0444);
MODULE_PARM_DESC(groups, "groups of rounds, one ratio each");

#define HB_MAX_HOOKS	16
#define HB_MAX_REPS	100000
#define HB_MAX_GROUPS	101

enum { V_BASE, V_STRICT, V_TRUSTED, V_NFT, V_OPEN, V_METER, V_PARSE, V_SRC0, V_SRC, NV };

static const char *const v_name[NV] = {
	"base", "strict", "trusted", "nft", "open", "meter", "parse", "src0", "src"
};

#define HB_MAX_SKBS	256

struct hb_variant {
	struct net *net;		/* NULL: left out */
	struct net_device *dev;
	struct sk_buff *skb[HB_MAX_SKBS];	/* taken in turn */
	unsigned int nskb;
	bool with_sg;			/* run sipguard's entries too */
	bool drop;			/* a pass must end in a drop */
	struct sip_msg *msg;		/* parse: sip_parse()'s output */
	u64 *ps;			/* picoseconds per packet, per round */
};

/* The datagram: IPv4 + UDP 5060 -> 5060 + an OPTIONS request. */
static struct sk_buff *hb_skb(struct net_device *d, __be32 saddr)
{
	static const char msg[] =
		"OPTIONS sip:100@192.0.2.1 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK-1\r\n"
		"From: <sip:bench@203.0.113.7>;tag=1\r\nTo: <sip:100@192.0.2.1>\r\n"
		"Call-ID: 1@bench\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
		"User-Agent: bench\r\nContent-Length: 0\r\n\r\n";
	unsigned int len = sizeof(struct iphdr) + sizeof(struct udphdr) + sizeof(msg) - 1;
	struct sk_buff *skb = alloc_skb(LL_MAX_HEADER + len, GFP_KERNEL);
	struct udphdr *uh;
	struct iphdr *iph;

	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(len);
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = saddr;
	iph->daddr = htonl(0xc0000201);	/* 192.0.2.1 */
	ip_send_check(iph);
	skb_set_transport_header(skb, sizeof(*iph));
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->source = htons(5060);
	uh->dest = htons(5060);
	uh->len = htons(len - sizeof(*iph));
	skb_put_data(skb, msg, sizeof(msg) - 1);
	skb->protocol = htons(ETH_P_IP);
	skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->dev = d;
	return skb;
}

static bool hb_is_sipguard(const struct nf_hook_ops *ops)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, (unsigned long)ops->hook);
	return strstr(sym, "[sipguard]");
}

/* Under RCU: the entries a pass of @v runs; their number, or -E2BIG. */
static int hb_entries(const struct hb_variant *v, struct nf_hook_entry *out, bool log)
{
	const struct nf_hook_entries *e;
	struct nf_hook_ops **ops;
	unsigned int i;
	int n = 0;

	e = rcu_dereference(v->net->nf.hooks_ipv4[NF_INET_PRE_ROUTING]);
	if (!e)
		return 0;
	ops = nf_hook_entries_get_hook_ops(e);
	for (i = 0; i < e->num_hook_entries; i++) {
		bool sg = hb_is_sipguard(ops[i]);

		if (log)
			pr_info("  hook %d %ps%s\n", ops[i]->priority, ops[i]->hook,
				sg && !v->with_sg ? " (left out)" : "");
		if (sg && !v->with_sg)
			continue;
		if (n == HB_MAX_HOOKS)
			return -E2BIG;
		out[n++] = e->hooks[i];
	}
	return n;
}

static unsigned int hb_pass(const struct nf_hook_entry *h, int n, struct sk_buff *skb,
			    struct nf_hook_state *st)
{
	unsigned int verdict = NF_ACCEPT;
	int i;

	for (i = 0; i < n; i++) {
		verdict = h[i].hook(h[i].priv, skb, st);
		if ((verdict & NF_VERDICT_MASK) != NF_ACCEPT)
			break;
	}
	return verdict & NF_VERDICT_MASK;
}

/* One pass of a clone of @skb: 1 dropped, 0 accepted, -ENOMEM, -EPROTO. */
static int hb_one(const struct hb_variant *v, const struct nf_hook_entry *h, int n,
		  struct sk_buff *skb, struct nf_hook_state *st)
{
	struct sk_buff *c = skb_clone(skb, GFP_ATOMIC);
	unsigned int verdict, off = sizeof(struct iphdr) + sizeof(struct udphdr);

	if (!c)
		return -ENOMEM;
	verdict = hb_pass(h, n, c, st);
	/* The payload as sipguard's hook would read it: linear, after UDP. */
	if (v->msg && verdict == NF_ACCEPT &&
	    sip_parse(c->data + off, c->len - off, v->msg) != SIP_OK) {
		consume_skb(c);
		return -EPROTO;
	}
	switch (verdict) {
	case NF_STOLEN:		/* nf_tables: freed, a drop */
		return 1;
	case NF_DROP:
		kfree_skb(c);
		return 1;
	default:
		consume_skb(c);
		return 0;
	}
}

/* One block of @v: picoseconds per packet, or 0 with a wrong verdict. */
static u64 hb_block(struct hb_variant *v, bool log)
{
	struct nf_hook_entry h[HB_MAX_HOOKS];
	struct nf_hook_state st;
	unsigned int i;
	int n, res = 0;
	u64 t0, t1;

	nf_hook_state_init(&st, NF_INET_PRE_ROUTING, NFPROTO_IPV4, v->dev, NULL, NULL,
			   v->net, NULL);
	local_bh_disable();
	rcu_read_lock();
	n = hb_entries(v, h, log);
	t0 = ktime_get_ns();
	for (i = 0; n >= 0 && res >= 0 && i < iters; i++)
		res = hb_one(v, h, n, v->skb[i % v->nskb], &st);
	t1 = ktime_get_ns();
	rcu_read_unlock();
	local_bh_enable();
	if (n < 0 || res != v->drop)
		return 0;
	return div_u64((t1 - t0) * 1000, iters);
}

static int hb_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Sorted copy of @n values: min, median, max. */
static u64 *hb_sorted, hb_ratio[HB_MAX_GROUPS];

/* Of the @n values at @val: min, median, max. */
static void hb_stats(const u64 *val, unsigned int n, u64 *min, u64 *med, u64 *max)
{
	u64 *s = hb_sorted;

	memcpy(s, val, n * sizeof(*s));
	sort(s, n, sizeof(*s), hb_cmp, NULL);
	*min = s[0];
	*max = s[n - 1];
	*med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static struct hb_variant *hb_v;

static void hb_free(void)
{
	unsigned int i, j;

	for (i = 0; hb_v && i < NV; i++) {
		kvfree(hb_v[i].ps);
		kfree(hb_v[i].msg);
		for (j = 0; j < hb_v[i].nskb; j++)
			kfree_skb(hb_v[i].skb[j]);
		dev_put(hb_v[i].dev);
		if (hb_v[i].net)
			put_net(hb_v[i].net);
	}
	kfree(hb_v);
	hb_v = NULL;
	kvfree(hb_sorted);
	hb_sorted = NULL;
}

/*
 * @v in @pid's namespace (none: left out), @n datagrams: from @src, or with
 * @src NULL from 203.0.113.0 to .(n - 1).
 */
static int hb_setup(struct hb_variant *v, int pid, const char *src, unsigned int n,
		    bool with_sg, bool drop, bool parse)
{
	__be32 saddr = 0;
	unsigned int i;

	if (!pid)
		return 0;
	if (src && !in4_pton(src, -1, (u8 *)&saddr, -1, NULL))
		return -EINVAL;
	v->net = get_net_ns_by_pid(pid);
	if (IS_ERR(v->net)) {
		int ret = PTR_ERR(v->net);

		v->net = NULL;
		return ret;
	}
	v->dev = dev_get_by_name(v->net, dev);
	if (!v->dev)
		return -ENODEV;
	for (i = 0; i < n; i++) {
		if (!src)
			saddr = htonl(0xcb007100 | i);	/* 203.0.113.i */
		v->skb[i] = hb_skb(v->dev, saddr);
		if (!v->skb[i])
			return -ENOMEM;
		v->nskb++;
	}
	v->ps = kvcalloc(reps, sizeof(*v->ps), GFP_KERNEL);
	if (!v->ps)
		return -ENOMEM;
	v->with_sg = with_sg;
	v->drop = drop;
	if (parse) {
		v->msg = kzalloc(sizeof(*v->msg), GFP_KERNEL);
		if (!v->msg)
			return -ENOMEM;
	}
	return 0;
}

/* The fastest of rounds [from, to) of @v. */
static u64 hb_group_min(const struct hb_variant *v, unsigned int from, unsigned int to)
{
	u64 m = U64_MAX;

	for (; from < to; from++)
		m = min(m, v->ps[from]);
	return m;
}

/* Per group, @v's fastest block over @b's: the median, min, max (x 10^4). */
static void hb_ratios(const struct hb_variant *v, const struct hb_variant *b,
		      u64 *rmin, u64 *rmed, u64 *rmax)
{
	unsigned int g, per = reps / groups;

	for (g = 0; g < groups; g++)
		hb_ratio[g] = div64_u64(hb_group_min(v, g * per, (g + 1) * per) * 10000,
					hb_group_min(b, g * per, (g + 1) * per));
	hb_stats(hb_ratio, groups, rmin, rmed, rmax);
}

#define HB_NS(ps)	(ps) / 1000, (ps) % 1000 / 100
#define HB_X(r)		(r) / 10000, (r) % 10000

/* The row of variant @a's time over @b's, if both ran. */
static void hb_pair(unsigned int a, unsigned int b)
{
	u64 rmin, rmed, rmax;

	if (!hb_v[a].net || !hb_v[b].net)
		return;
	hb_ratios(&hb_v[a], &hb_v[b], &rmin, &rmed, &rmax);
	pr_info("row %s/%s - - - %llu.%04llu %llu.%04llu %llu.%04llu\n", v_name[a], v_name[b],
		HB_X(rmed), HB_X(rmin), HB_X(rmax));
}

static int __init hb_init(void)
{
	u64 min, med, max, rmin, rmed, rmax;
	unsigned int r, i;
	int ret;

	if (!(sg_pid || src0_pid) || !iters || groups < 3 || groups >= HB_MAX_GROUPS ||
	    reps < groups || reps > HB_MAX_REPS || !nsrc || nsrc > HB_MAX_SKBS)
		return -EINVAL;
	hb_v = kcalloc(NV, sizeof(*hb_v), GFP_KERNEL);
	hb_sorted = kvcalloc(reps, sizeof(*hb_sorted), GFP_KERNEL);
	if (!hb_v || !hb_sorted) {
		ret = -ENOMEM;
		goto out;
	}
	ret = hb_setup(&hb_v[V_BASE], sg_pid ?: src0_pid, untrusted, 1, false, false, false) ?:
	      hb_setup(&hb_v[V_STRICT], sg_pid, untrusted, 1, true, true, false) ?:
	      hb_setup(&hb_v[V_TRUSTED], sg_pid, trusted, 1, true, false, false) ?:
	      hb_setup(&hb_v[V_NFT], nft_pid, untrusted, 1, false, true, false) ?:
	      hb_setup(&hb_v[V_OPEN], open_pid, untrusted, 1, true, false, false) ?:
	      hb_setup(&hb_v[V_METER], meter_pid, untrusted, 1, false, false, false) ?:
	      hb_setup(&hb_v[V_PARSE], sg_pid, untrusted, 1, false, false, true) ?:
	      hb_setup(&hb_v[V_SRC0], src0_pid, NULL, nsrc, true, true, false) ?:
	      hb_setup(&hb_v[V_SRC], src_pid, NULL, nsrc, true, true, false);
	if (ret)
		goto out;

	for (r = 0; r < reps; r++) {
		for (i = 0; i < NV; i++) {
			if (!hb_v[i].net)
				continue;
			/* Round 0 lists each chain once. */
			if (!r)
				pr_info("%s: the namespace's PRE_ROUTING hooks:\n", v_name[i]);
			hb_v[i].ps[r] = hb_block(&hb_v[i], !r);
			if (!hb_v[i].ps[r]) {
				pr_err("%s: a pass did not end in the expected verdict (%s)%s\n",
				       v_name[i], hb_v[i].drop ? "drop" : "accept",
				       hb_v[i].msg ? " or did not parse" : "");
				ret = -EPROTO;
				goto out;
			}
		}
		cond_resched();
	}
	pr_info("%u rounds of %u passes per variant, interleaved, in %u groups\n",
		reps, iters, groups);
	for (i = 0; i < NV; i++) {
		if (!hb_v[i].net)
			continue;
		hb_stats(hb_v[i].ps, reps, &min, &med, &max);
		hb_ratios(&hb_v[i], &hb_v[V_BASE], &rmin, &rmed, &rmax);
		/* Machine-read by netbench.sh: name, ns min/median/max, ratio median/min/max. */
		pr_info("row %s %llu.%llu %llu.%llu %llu.%llu %llu.%04llu %llu.%04llu %llu.%04llu\n",
			v_name[i], HB_NS(min), HB_NS(med), HB_NS(max), HB_X(rmed), HB_X(rmin),
			HB_X(rmax));
	}
	hb_pair(V_STRICT, V_NFT);
	hb_pair(V_TRUSTED, V_STRICT);
	hb_pair(V_OPEN, V_METER);
	/*
	 * src0's time over src's, i.e. src's packet rate over src0's: below 1
	 * when the full table's lookup is slower.
	 */
	hb_pair(V_SRC0, V_SRC);
out:
	hb_free();
	return ret;
}

static void __exit hb_exit(void)
{
}

module_init(hb_init);
module_exit(hb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sipguard benchmark: per-packet cost of the PRE_ROUTING hooks");
