/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Token buckets with nanosecond tokens, for the per-source limits and the
 * global budget of the open policy.
 *
 * A bucket holds time: elapsed nanoseconds accrue as tokens, one packet
 * costs NSEC_PER_SEC / rate of them, and the bucket holds at most burst
 * packets' worth.  So a source that has been quiet for burst/rate seconds
 * may send burst packets at once, then rate per second.  Integer division
 * makes the cost up to 1 ns short; with rate <= SG_TB_MAX_RATE (cost >=
 * 1000 ns) the effective rate is high by less than 0.1%.
 *
 * No locking here: the caller serialises updates of one bucket (a per-entry
 * spinlock in the source table, one spinlock for the budget).  Times are
 * from one monotonic clock; a time before the bucket's last update counts as
 * no time passed, never as negative.
 *
 * Kernel-independent: includes only sg_types.h, so the same file is unit
 * tested in userspace (tools/unit/test_token_bucket.c).
 */
#ifndef _SIPGUARD_TOKEN_BUCKET_H
#define _SIPGUARD_TOKEN_BUCKET_H

#include "sg_types.h"

#define SG_TB_NSEC_PER_SEC	1000000000ULL
#define SG_TB_MAX_RATE		1000000U	/* packets per second */
#define SG_TB_MAX_BURST		1000000U	/* packets */

/* A rate, set up once per configuration. */
struct sg_tb_rate {
	u64 cost;	/* ns of tokens per packet */
	u64 max;	/* cost * burst: a full bucket */
};

/* One bucket: 16 bytes. */
struct sg_tb {
	u64 tokens;	/* ns */
	u64 last;	/* time of the last update, ns */
};

/*
 * Set up @r for @rate packets per second and bursts of @burst packets.
 * Returns 0, or -EINVAL for a zero or too large rate or burst, or -ERANGE
 * if cost * burst would overflow (it cannot within the limits above; the
 * check keeps it so if they change).
 */
int sg_tb_rate_set(struct sg_tb_rate *r, u32 rate, u32 burst);

/* A full bucket at time @now. */
void sg_tb_init(struct sg_tb *b, const struct sg_tb_rate *r, u64 now);

/* Refill up to @now and take one packet's tokens; false if too few. */
bool sg_tb_take(struct sg_tb *b, const struct sg_tb_rate *r, u64 now);

/* Whole packets' worth of tokens the bucket would hold at @now. */
u32 sg_tb_avail(const struct sg_tb *b, const struct sg_tb_rate *r, u64 now);

/* Would the bucket be full at @now (it carries no state then)? */
bool sg_tb_full(const struct sg_tb *b, const struct sg_tb_rate *r, u64 now);

/* After a configuration change: keep the tokens, but no more than @r holds. */
void sg_tb_clamp(struct sg_tb *b, const struct sg_tb_rate *r);

#endif /* _SIPGUARD_TOKEN_BUCKET_H */
