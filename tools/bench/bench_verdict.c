// SPDX-License-Identifier: GPL-2.0
/*
 * The whole open-policy verdict of the datapath, in userspace: for each
 * message of corpus/ (*.sip), an allowlist lookup that misses (1,000 prefixes),
 * the source's token bucket, and the parse, exactly as the module's shared
 * code does them (kmod/allowlist.c, token_bucket.c, sip_parser.c).  Prints
 * ns per packet (wall clock, best of 5) and, run under
 * `valgrind --tool=callgrind --toggle-collect=verdict_loop`, instructions
 * per packet.  The strict path (lookup only) is measured the same way, as
 * the baseline of the same run.
 *
 *   bench_verdict CORPUS_DIR PASSES [strict|open]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "allowlist.h"
#include "sip_parser.h"
#include "token_bucket.h"

#define MAXMSG 64

static struct { u8 *buf; u32 len; } msgs[MAXMSG];
static unsigned int nmsgs;
static volatile u64 sink;

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void load(const char *dir)
{
	char path[512];
	struct dirent *d;
	DIR *dp = opendir(dir);
	FILE *f;

	if (!dp) {
		perror(dir);
		exit(1);
	}
	while ((d = readdir(dp)) && nmsgs < MAXMSG) {
		if (!strstr(d->d_name, ".sip"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		msgs[nmsgs].buf = malloc(65536);
		msgs[nmsgs].len = fread(msgs[nmsgs].buf, 1, 65536, f);
		fclose(f);
		nmsgs++;
	}
	closedir(dp);
}

/* Kept out of line so callgrind can count exactly this loop. */
__attribute__((noinline))
u64 verdict_loop(const struct sg_allowlist *al, struct sg_tb *tb,
		 const struct sg_tb_rate *rate, unsigned int passes, int open);
u64 verdict_loop(const struct sg_allowlist *al, struct sg_tb *tb,
		 const struct sg_tb_rate *rate, unsigned int passes, int open)
{
	static const u8 src[4] = { 203, 0, 113, 66 };
	struct sip_msg m;
	u64 acc = 0, t = 1;
	unsigned int p, i;

	for (p = 0; p < passes; p++) {
		for (i = 0; i < nmsgs; i++) {
			acc += sg_allowlist_match(al, SG_AF_INET, src, 5060);
			if (!open)
				continue;
			t += 1000000;	/* 1 ms apart: the bucket never runs dry */
			acc += sg_tb_take(tb, rate, t);
			acc += sip_parse(msgs[i].buf, msgs[i].len, &m) + m.hdr_end;
		}
	}
	return acc;
}

int main(int argc, char **argv)
{
	static struct sg_prefix pfx[1000];
	unsigned int passes, i, r;
	struct sg_tb_rate rate;
	struct sg_allowlist *al;
	struct sg_tb tb;
	const char *only;
	size_t size;
	double best[2] = { 1e30, 1e30 };

	if (argc < 3) {
		fprintf(stderr, "usage: bench_verdict CORPUS_DIR PASSES [strict|open]\n");
		return 2;
	}
	load(argv[1]);
	passes = atoi(argv[2]);
	only = argc > 3 ? argv[3] : NULL;
	/* 1,000 /24s of 198.51.100.0/24's neighbours in 10.x: all miss 203.0.113.66. */
	for (i = 0; i < 1000; i++) {
		pfx[i].family = SG_AF_INET;
		pfx[i].plen = 24;
		pfx[i].addr[0] = 10;
		pfx[i].addr[1] = i >> 8;
		pfx[i].addr[2] = i & 0xff;
	}
	size = sg_allowlist_size(pfx, 1000);
	al = aligned_alloc(SG_ALLOWLIST_ALIGN, (size + 7) & ~7UL);
	if (!al || sg_allowlist_build(al, size, pfx, 1000) || sg_tb_rate_set(&rate, 2000, 2000))
		return 1;
	sg_tb_init(&tb, &rate, 0);

	if (only) {
		sink = verdict_loop(al, &tb, &rate, passes, !strcmp(only, "open"));
		return 0;
	}
	for (r = 0; r < 5; r++) {
		for (i = 0; i < 2; i++) {
			u64 t0 = now_ns();

			sink = verdict_loop(al, &tb, &rate, passes, i);
			double ns = (double)(now_ns() - t0) / ((double)passes * nmsgs);
			if (ns < best[i])
				best[i] = ns;
		}
	}
	printf("# %u messages x %u passes, best of 5; allowlist of 1,000 prefixes (miss)\n",
	       nmsgs, passes);
	printf("%-40s %10s %10s\n", "path", "ns/packet", "x strict");
	printf("%-40s %10.1f %10.2f\n", "strict: allowlist lookup", best[0], 1.0);
	printf("%-40s %10.1f %10.2f\n", "open: lookup + token bucket + parse", best[1],
	       best[1] / best[0]);
	return 0;
}
