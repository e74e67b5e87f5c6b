/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counters.  The datapath only ever touches its own CPU's copy, so
 * counting costs no shared cache line; readers sum over CPUs.  Resets move a
 * per-namespace baseline instead of writing other CPUs' counters, so an
 * increment racing with a reset is never lost.
 */
#ifndef _SIPGUARD_STATS_H
#define _SIPGUARD_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/bottom_half.h>
#include <linux/sipguard.h>

#define SG_NSTATS __SIPGUARD_STAT_LAST

struct sg_pcpu_stats {
	u64_stats_t cnt[SG_NSTATS];
	struct u64_stats_sync syncp;
};

struct sg_stats {
	struct sg_pcpu_stats __percpu *pcpu;
	/* Sums at the last reset; written under the namespace's config lock. */
	u64 base[SG_NSTATS];
};

int sg_stats_init(struct sg_stats *st);
void sg_stats_destroy(struct sg_stats *st);
void sg_stats_fetch(struct sg_stats *st, u64 *out, bool reset);

/*
 * Open this CPU's counters for one packet's worth of increments.  The
 * caller has bottom halves disabled (the hook does), so nothing else on
 * this CPU writes them meanwhile.
 */
static inline struct sg_pcpu_stats *sg_stats_begin(struct sg_stats *st)
{
	struct sg_pcpu_stats *p = this_cpu_ptr(st->pcpu);

	u64_stats_update_begin(&p->syncp);
	return p;
}

static inline void sg_stats_inc(struct sg_pcpu_stats *p, enum sipguard_stat s)
{
	u64_stats_inc(&p->cnt[s]);
}

static inline void sg_stats_end(struct sg_pcpu_stats *p)
{
	u64_stats_update_end(&p->syncp);
}

#endif /* _SIPGUARD_STATS_H */
