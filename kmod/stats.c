// SPDX-License-Identifier: GPL-2.0
#include "alloc.h"
#include "stats.h"

int sg_stats_init(struct sg_stats *st)
{
	int cpu;

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
		u64 v[SG_NSTATS];

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			for (i = 0; i < SG_NSTATS; i++)
				v[i] = u64_stats_read(&p->cnt[i]);
		} while (u64_stats_fetch_retry(&p->syncp, start));

		for (i = 0; i < SG_NSTATS; i++)
			out[i] += v[i];
	}

	for (i = 0; i < SG_NSTATS; i++) {
		u64 sum = out[i];

		out[i] = sum - st->base[i];
		if (reset)
			st->base[i] = sum;
	}
}
