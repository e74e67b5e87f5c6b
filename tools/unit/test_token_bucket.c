// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests of kmod/token_bucket.c: setup limits and overflow checks, the
 * exact number of packets a bucket passes over time (burst + rate * t),
 * refill capping, clock going backwards, huge gaps, and clamping on a
 * configuration change.
 */
#include <errno.h>
#include <stdio.h>

#include "token_bucket.h"
#include "tap.h"

#define NS 1000000000ULL

/* Offer @pps packets per second, evenly spaced, for @secs; count passes. */
static u64 offer(struct sg_tb *b, const struct sg_tb_rate *r, u64 *now,
		 u64 pps, u64 secs)
{
	u64 i, n = pps * secs, gap = NS / pps, passed = 0;

	for (i = 0; i < n; i++) {
		*now += gap;
		passed += sg_tb_take(b, r, *now);
	}
	return passed;
}

static void test_setup(void)
{
	struct sg_tb_rate r;

	tap_ok(sg_tb_rate_set(&r, 0, 10) == -EINVAL, "rate 0 refused");
	tap_ok(sg_tb_rate_set(&r, 10, 0) == -EINVAL, "burst 0 refused");
	tap_ok(sg_tb_rate_set(&r, SG_TB_MAX_RATE + 1, 1) == -EINVAL, "rate above the maximum refused");
	tap_ok(sg_tb_rate_set(&r, 1, SG_TB_MAX_BURST + 1) == -EINVAL, "burst above the maximum refused");
	tap_ok(sg_tb_rate_set(&r, 1, SG_TB_MAX_BURST) == 0 &&
	       r.max == NS * SG_TB_MAX_BURST, "largest bucket: 1/s x %u fits", SG_TB_MAX_BURST);
	tap_ok(sg_tb_rate_set(&r, SG_TB_MAX_RATE, 1) == 0 && r.cost == 1000,
	       "fastest rate: 1000 ns per packet");
	tap_ok(sg_tb_rate_set(&r, 3, 7) == 0 && r.cost == 333333333ULL && r.max == 7 * 333333333ULL,
	       "rate 3: cost rounds down, max = cost x burst");
	tap_ok(sg_tb_rate_set(&r, 0xffffffffU, 0xffffffffU) == -EINVAL,
	       "u32 maxima refused, no overflow");
}

static void test_exact(u32 rate, u32 burst, u64 pps, u64 secs)
{
	struct sg_tb_rate r;
	struct sg_tb b;
	u64 now = 5 * NS, passed, want;

	sg_tb_rate_set(&r, rate, burst);
	sg_tb_init(&b, &r, now);
	passed = offer(&b, &r, &now, pps, secs);
	want = burst + (u64)rate * secs;
	/* The first packet comes one gap after the start: up to one more. */
	tap_ok(passed >= want - 1 && passed <= want + 1,
	       "rate %u burst %u offered %llu/s for %llus: %llu passed, burst + rate x t = %llu",
	       rate, burst, (unsigned long long)pps, (unsigned long long)secs,
	       (unsigned long long)passed, (unsigned long long)want);
}

static void test_behaviour(void)
{
	struct sg_tb_rate r;
	struct sg_tb b;
	u64 now = 1000;
	u32 i, n;

	sg_tb_rate_set(&r, 10, 20);
	sg_tb_init(&b, &r, now);
	tap_ok(sg_tb_avail(&b, &r, now) == 20 && sg_tb_full(&b, &r, now), "a new bucket is full");
	for (n = 0, i = 0; i < 100; i++)
		n += sg_tb_take(&b, &r, now);
	tap_ok(n == 20, "at one instant exactly the burst passes (%u)", n);
	tap_ok(!sg_tb_take(&b, &r, now + r.cost - 1), "one ns short of a token: refused");
	tap_ok(sg_tb_take(&b, &r, now + r.cost), "a token later: passed");
	tap_ok(!sg_tb_full(&b, &r, now + r.cost), "not full after use");

	/* Clock going backwards: no refill, no underflow, last not moved back. */
	tap_ok(!sg_tb_take(&b, &r, now) && b.last == now + r.cost,
	       "an earlier time refills nothing and keeps last");

	/* A gap of centuries: full, not wrapped. */
	tap_ok(sg_tb_avail(&b, &r, ~0ULL) == 20 && sg_tb_full(&b, &r, ~0ULL),
	       "a huge gap fills the bucket, no overflow");
	tap_ok(sg_tb_take(&b, &r, ~0ULL) && sg_tb_avail(&b, &r, ~0ULL) == 19,
	       "... and a take at the end of time works");

	/* Refill caps at the burst. */
	sg_tb_init(&b, &r, 0);
	for (i = 0; i < 20; i++)
		sg_tb_take(&b, &r, 0);
	tap_ok(sg_tb_avail(&b, &r, 2 * NS) == 20, "2 s at 10/s refills the 20-packet burst");
	tap_ok(sg_tb_avail(&b, &r, 100 * NS) == 20, "100 s later still only the burst");
	tap_ok(sg_tb_avail(&b, &r, NS / 2) == 5, "0.5 s refills 5 packets");

	/* A configuration change to a smaller bucket clamps the tokens. */
	sg_tb_init(&b, &r, 0);
	sg_tb_rate_set(&r, 10, 5);
	sg_tb_clamp(&b, &r);
	tap_ok(sg_tb_avail(&b, &r, 0) == 5 && b.tokens == r.max, "clamped to the new burst");

	/* An uninitialised rate (cost 0) never divides by zero. */
	r.cost = r.max = 0;
	tap_ok(sg_tb_avail(&b, &r, 0) == 0, "cost 0: no division by zero");
}

int main(void)
{
	tap_plan_start();
	test_setup();
	test_behaviour();
	test_exact(10, 20, 100, 10);
	test_exact(10, 20, 1000, 60);
	test_exact(1, 1, 50, 30);
	test_exact(3, 7, 100, 30);
	test_exact(1000, 100, 20000, 5);
	test_exact(SG_TB_MAX_RATE, 1000, 2000000, 2);
	test_exact(7, 1000, 1000, 3);
	return tap_done();
}
