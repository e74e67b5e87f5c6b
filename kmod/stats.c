// SPDX-License-Identifier: GPL-2.0
#include "alloc.h"
#include "stats.h"

#define SG_DECISION_ENTRY(name, drop)						\
	[SIPGUARD_STAT_##name] = (SG_DEC_##name + 1) | ((drop) ? SG_DECISION_DROP : 0),
const u8 sg_decision[SG_NSTATS] = { SG_DECISIONS(SG_DECISION_ENTRY) };
#undef SG_DECISION_ENTRY

#define SG_DECISION_STAT(name, drop) SIPGUARD_STAT_##name,
static const u8 sg_decision_stat[SG_NDECISIONS] = { SG_DECISIONS(SG_DECISION_STAT) };
#undef SG_DECISION_STAT

/* The counters that aggregate one packet's decision: at most this many. */
#define SG_SUMS_MAX	4

/*
 * The counters one packet decided @why adds to: its transport's (@l4 as
 * sg_out_l4() has it, none when unknown), its family's, @why's, and for a
 * drop DROPPED or WOULD_DROP.  Returns how many it wrote to @c.
 */
static unsigned int sg_stats_sums(u8 why, unsigned int l4, bool ipv6, bool enforce,
				  u8 c[SG_SUMS_MAX])
{
	static const u8 l4_stat[SG_OUT_L4] = {
		0, SIPGUARD_STAT_SIP_UDP, SIPGUARD_STAT_SIP_TCP,
	};
	unsigned int n = 0;

	if (l4)
		c[n++] = l4_stat[l4];
	c[n++] = ipv6 ? SIPGUARD_STAT_SIP_IPV6 : SIPGUARD_STAT_SIP_IPV4;
	c[n++] = why;
	if (sg_is_drop(why))
		c[n++] = enforce ? SIPGUARD_STAT_DROPPED : SIPGUARD_STAT_WOULD_DROP;
	return n;
}

/* What is not a decision (UNSPEC: nothing decided) is counted as it says. */
void sg_stats_decision_slow(struct sg_pcpu_stats *p, enum sipguard_stat why,
			    u8 l4proto, bool ipv6, bool enforce)
{
	u8 c[SG_SUMS_MAX];
	unsigned int i, n = sg_stats_sums(why, sg_out_l4(l4proto), ipv6, enforce, c);

	for (i = 0; i < n; i++)
		u64_stats_inc(&p->cnt[c[i]]);
}

/* Add outcome @o's count @n to every counter that aggregates it. */
static void sg_stats_expand(u64 *out, unsigned int o, u64 n)
{
	u8 c[SG_SUMS_MAX];
	unsigned int i, k;

	if (!n)
		return;
	k = sg_stats_sums(sg_decision_stat[o / SG_OUT_PER_DEC], o % SG_OUT_L4,
			  o / SG_OUT_L4 % 2, o / (2 * SG_OUT_L4) % 2, c);
	for (i = 0; i < k; i++)
		out[c[i]] += n;
}

int sg_stats_init(struct sg_stats *st)
{
	int cpu;

	BUILD_BUG_ON(SG_NDECISIONS + 1 >= SG_DECISION_DROP);
	st->pcpu = sg_alloc_percpu(struct sg_pcpu_stats);
	if (!st->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(st->pcpu, cpu)->syncp);
	memset(st->base, 0, sizeof(st->base));
	return 0;
}

void sg_stats_destroy(struct sg_stats *st)
{
	free_percpu(st->pcpu);
	st->pcpu = NULL;
}

/*
 * Sum the counters over all CPUs into @out (SG_NSTATS entries), relative
 * to the last reset.
 * With @reset, the sums just read become the new zero: whatever is counted
 * after the read is reported by the next fetch, so nothing is lost.
 * Callers serialise fetches with the namespace's config lock.
 */
void sg_stats_fetch(struct sg_stats *st, u64 *out, bool reset)
{
	unsigned int start;
	int cpu, i;

	memset(out, 0, SG_NSTATS * sizeof(*out));

	for_each_possible_cpu(cpu) {
		const struct sg_pcpu_stats *p = per_cpu_ptr(st->pcpu, cpu);
		u64 *v = st->snap, *o = st->snap + SG_NSTATS;

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			for (i = 0; i < SG_NSTATS; i++)
				v[i] = u64_stats_read(&p->cnt[i]);
			for (i = 0; i < SG_NOUTCOMES; i++)
				o[i] = u64_stats_read(&p->out[i]);
		} while (u64_stats_fetch_retry(&p->syncp, start));

		for (i = 0; i < SG_NSTATS; i++)
			out[i] += v[i];
		for (i = 0; i < SG_NOUTCOMES; i++)
			sg_stats_expand(out, i, o[i]);
	}

	for (i = 0; i < SG_NSTATS; i++) {
		u64 sum = out[i];

		out[i] = sum - st->base[i];
		if (reset)
			st->base[i] = sum;
	}
}
