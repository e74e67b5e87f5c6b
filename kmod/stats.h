/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counters.  The datapath only ever touches its own CPU's copy, so
 * counting costs no shared cache line; readers sum over CPUs.  Resets move a
 * per-namespace baseline instead of writing other CPUs' counters, so an
 * increment racing with a reset is never lost.
 *
 * A packet's decision is one increment: of its outcome, the decision with
 * the facts it is counted under (transport, family, mode).  The counters
 * that aggregate outcomes (SIP_UDP/TCP, SIP_IPV4/6, each decision's,
 * DROPPED, WOULD_DROP) are summed from them by the reader, so the datapath
 * writes one counter per packet where it used to write four.
 */
#ifndef _SIPGUARD_STATS_H
#define _SIPGUARD_STATS_H

#include <linux/in.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/bottom_half.h>
#include <linux/sipguard.h>

#define SG_NSTATS __SIPGUARD_STAT_LAST

/* The decision counters, and which of them are drops (1). */
#define SG_DECISIONS(X)							\
	X(UNGUARDED_IFACE, 0) X(PASS_TRUSTED, 0) X(PASS_OPEN, 0)		\
	X(PASS_LEARNED, 0) X(PASS_NOT_SIP, 0) X(KEEPALIVE, 0)		\
	X(TCP_CONTINUATION, 0) X(DROP_UNTRUSTED, 1) X(DROP_TLS, 1)		\
	X(DROP_MALFORMED, 1) X(BAD_L4, 1) X(DROP_BANNED, 1) X(DROP_RATE, 1)	\
	X(DROP_BUDGET, 1) X(DROP_SIGNATURE, 1) X(DROP_INVITE, 1)		\
	X(DROP_DENY, 1) X(DROP_FALLBACK, 1) X(XDP_DROP_UNTRUSTED, 1)	\
	X(XDP_DROP_TLS, 1) X(XDP_DROP_BANNED, 1)

#define SG_DECISION_INDEX(name, drop) SG_DEC_##name,
enum { SG_DECISIONS(SG_DECISION_INDEX) SG_NDECISIONS };
#undef SG_DECISION_INDEX

/*
 * An outcome: decision x enforced (2) x IPv6 (2) x transport (none, UDP,
 * TCP), in that order of significance: sg_outcome() encodes it,
 * sg_stats_expand() takes it apart.
 */
#define SG_OUT_L4	3
#define SG_OUT_PER_DEC	(2 * 2 * SG_OUT_L4)
#define SG_NOUTCOMES	(SG_NDECISIONS * SG_OUT_PER_DEC)

/* Transport @l4proto as an outcome has it: 0 unknown, 1 UDP, 2 TCP. */
static inline unsigned int sg_out_l4(u8 l4proto)
{
	return l4proto == IPPROTO_UDP ? 1 : l4proto ? 2 : 0;
}

static inline unsigned int sg_outcome(unsigned int dec, bool enforce, bool ipv6, u8 l4proto)
{
	return ((dec * 2 + enforce) * 2 + ipv6) * SG_OUT_L4 + sg_out_l4(l4proto);
}

struct sg_pcpu_stats {
	u64_stats_t cnt[SG_NSTATS];
	u64_stats_t out[SG_NOUTCOMES];
	struct u64_stats_sync syncp;
};

/* Per counter: 0, or for a decision, 1 + its index; SG_DECISION_DROP if a drop. */
#define SG_DECISION_DROP	0x80
extern const u8 sg_decision[SG_NSTATS];

/* Is decision @s a drop (a would-drop in monitor mode)? */
static inline bool sg_is_drop(enum sipguard_stat s)
{
	return sg_decision[s] & SG_DECISION_DROP;
}

struct sg_stats {
	struct sg_pcpu_stats __percpu *pcpu;
	/* Sums at the last reset; written under the namespace's config lock. */
	u64 base[SG_NSTATS];
	/* One CPU's counters and outcomes as read: the fetch's, under that lock. */
	u64 snap[SG_NSTATS + SG_NOUTCOMES];
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

void sg_stats_decision_slow(struct sg_pcpu_stats *p, enum sipguard_stat why,
			    u8 l4proto, bool ipv6, bool enforce);

/*
 * Count a packet's decision @why: of transport @l4proto (0 if unknown),
 * IPv6 or IPv4, dropped or (not @enforce) only would have been if a drop.
 */
static inline void sg_stats_decision(struct sg_pcpu_stats *p, enum sipguard_stat why,
				     u8 l4proto, bool ipv6, bool enforce)
{
	unsigned int d = sg_decision[why] & ~SG_DECISION_DROP;

	if (unlikely(!d)) {
		sg_stats_decision_slow(p, why, l4proto, ipv6, enforce);
		return;
	}
	u64_stats_inc(&p->out[sg_outcome(d - 1, enforce, ipv6, l4proto)]);
}

static inline void sg_stats_end(struct sg_pcpu_stats *p)
{
	u64_stats_update_end(&p->syncp);
}

#endif /* _SIPGUARD_STATS_H */
