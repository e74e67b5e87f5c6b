// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Nanosecond token buckets; see token_bucket.h. */
#include "sg_types.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#endif

#include "token_bucket.h"

int sg_tb_rate_set(struct sg_tb_rate *r, u32 rate, u32 burst)
{
	u64 cost;

	if (!rate || rate > SG_TB_MAX_RATE || !burst || burst > SG_TB_MAX_BURST)
		return -EINVAL;
	cost = sg_div_u64(SG_TB_NSEC_PER_SEC, rate);
	if (cost > sg_div_u64(~0ULL, burst))
		return -ERANGE;
	r->cost = cost;
	r->max = cost * burst;
	return 0;
}

void sg_tb_init(struct sg_tb *b, const struct sg_tb_rate *r, u64 now)
{
	b->tokens = r->max;
	b->last = now;
}

/* The tokens at @now, never above r->max and without overflow. */
static u64 sg_tb_refill(const struct sg_tb *b, const struct sg_tb_rate *r,
			u64 now)
{
	u64 elapsed = now > b->last ? now - b->last : 0;

	if (b->tokens >= r->max || elapsed >= r->max - b->tokens)
		return r->max;
	return b->tokens + elapsed;
}

bool sg_tb_take(struct sg_tb *b, const struct sg_tb_rate *r, u64 now)
{
	u64 tokens = sg_tb_refill(b, r, now);

	if (now > b->last)
		b->last = now;
	if (tokens < r->cost) {
		b->tokens = tokens;
		return false;
	}
	b->tokens = tokens - r->cost;
	return true;
}

u32 sg_tb_avail(const struct sg_tb *b, const struct sg_tb_rate *r, u64 now)
{
	return r->cost ? (u32)sg_div64_u64(sg_tb_refill(b, r, now), r->cost) : 0;
}

bool sg_tb_full(const struct sg_tb *b, const struct sg_tb_rate *r, u64 now)
{
	return sg_tb_refill(b, r, now) == r->max;
}

void sg_tb_clamp(struct sg_tb *b, const struct sg_tb_rate *r)
{
	if (b->tokens > r->max)
		b->tokens = r->max;
}
