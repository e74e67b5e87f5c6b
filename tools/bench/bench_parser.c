// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Parser benchmark: sipguard's sip_parse() against libosip2, libre and a
 * memchr floor, over the same messages (the .sip files of tools/bench/corpus) and the
 * same number of passes for each.
 *
 *   bench_parser DIR [PASSES]		wall-clock table (best of 5 rounds)
 *   bench_parser DIR PASSES NAME	run only NAME's loop, for callgrind:
 *	valgrind --tool=callgrind --toggle-collect=loop_NAME ...
 *	counts the instructions of that loop and nothing else (no file
 *	loading, no mbuf set-up).
 *
 * The floor is what any header parser must at least do: find each line end
 * with memchr until the empty line.  Every loop folds a value taken from
 * each result into a volatile sink, so the compiler cannot drop the work.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip_parser.h"
#include "bench_stacks.h"

#define MAX_MSGS 64

static struct {
	u8 *buf;
	u32 len;
	void *re_mb;
} msgs[MAX_MSGS];
static unsigned int nmsgs;
static volatile unsigned long sink;

static u32 floor_scan(const u8 *b, u32 len)
{
	u32 p = 0, e;
	const u8 *nl;

	for (;;) {
		nl = memchr(b + p, '\n', len - p);
		if (!nl)
			return len;
		e = (u32)(nl - b);
		if (e == p || (e == p + 1 && b[p] == '\r'))
			return e + 1;
		p = e + 1;
	}
}

#define LOOP(name, expr)						\
static __attribute__((noinline)) void loop_##name(unsigned int passes)	\
{									\
	unsigned long acc = 0;						\
	unsigned int i, k;						\
									\
	for (k = 0; k < passes; k++)					\
		for (i = 0; i < nmsgs; i++)				\
			acc += (expr);					\
	sink += acc;							\
}

static unsigned long ours(unsigned int i)
{
	struct sip_msg m;

	sip_parse(msgs[i].buf, msgs[i].len, &m);
	return m.hdr_end + m.call_id.len + m.via.branch.len;
}

LOOP(sipguard, ours(i))
LOOP(libosip2, osip_bench_parse(msgs[i].buf, msgs[i].len))
LOOP(libre, re_bench_parse(msgs[i].re_mb))
LOOP(memchr, floor_scan(msgs[i].buf, msgs[i].len))

static const struct {
	const char *name;
	void (*loop)(unsigned int passes);
} parsers[] = {
	{ "sipguard", loop_sipguard },
	{ "libosip2", loop_libosip2 },
	{ "libre", loop_libre },
	{ "memchr", loop_memchr },
};
#define NPARSERS (sizeof(parsers) / sizeof(parsers[0]))

static int load(const char *dir)
{
	struct dirent **ent;
	char path[1024];
	int n, i;

	n = scandir(dir, &ent, NULL, alphasort);
	if (n < 0) {
		perror(dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		FILE *f;
		long len;

		if (!strstr(ent[i]->d_name, ".sip") || nmsgs == MAX_MSGS)
			goto next;
		snprintf(path, sizeof(path), "%s/%s", dir, ent[i]->d_name);
		f = fopen(path, "rb");
		if (!f)
			goto next;
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		msgs[nmsgs].buf = malloc(len);
		if (fread(msgs[nmsgs].buf, 1, len, f) == (size_t)len) {
			msgs[nmsgs].len = len;
			msgs[nmsgs].re_mb = re_bench_prepare(msgs[nmsgs].buf,
							     len);
			nmsgs++;
		}
		fclose(f);
next:
		free(ent[i]);
	}
	free(ent);
	return nmsgs ? 0 : -1;
}

/* Every stack must accept every message, or the comparison is void. */
static int sanity(void)
{
	unsigned int i;
	struct sip_msg m;
	int rc = 0;

	for (i = 0; i < nmsgs; i++) {
		if (sip_parse(msgs[i].buf, msgs[i].len, &m) != SIP_OK ||
		    !sip_has_mandatory(&m)) {
			fprintf(stderr, "sipguard rejects message %u\n", i);
			rc = -1;
		}
		if (osip_bench_parse(msgs[i].buf, msgs[i].len) < 2) {
			fprintf(stderr, "libosip2 rejects message %u\n", i);
			rc = -1;
		}
		if (!msgs[i].re_mb || re_bench_parse(msgs[i].re_mb) < 2) {
			fprintf(stderr, "libre rejects message %u\n", i);
			rc = -1;
		}
	}
	return rc;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	unsigned int passes = argc > 2 ? strtoul(argv[2], NULL, 0) : 20000;
	double best[NPARSERS], t;
	unsigned long bytes = 0, hdr = 0;
	unsigned int i, r;

	if (argc < 2 || load(argv[1]) || osip_bench_init() || sanity())
		return 1;

	if (argc > 3) {
		for (i = 0; i < NPARSERS; i++)
			if (!strcmp(argv[3], parsers[i].name)) {
				parsers[i].loop(passes);
				return 0;
			}
		fprintf(stderr, "unknown parser %s\n", argv[3]);
		return 1;
	}

	for (i = 0; i < nmsgs; i++) {
		bytes += msgs[i].len;
		hdr += floor_scan(msgs[i].buf, msgs[i].len);
	}
	printf("# %u messages, %lu bytes (%lu of them headers), %u passes "
	       "each, best of 5 rounds\n", nmsgs, bytes, hdr, passes);
	for (i = 0; i < NPARSERS; i++)
		best[i] = 1e30;
	for (r = 0; r < 5; r++) {
		for (i = 0; i < NPARSERS; i++) {
			t = now();
			parsers[i].loop(passes);
			t = now() - t;
			if (t < best[i])
				best[i] = t;
		}
	}
	printf("%-10s %14s %10s %14s\n", "parser", "messages/s", "ns/msg",
	       "x sipguard");
	for (i = 0; i < NPARSERS; i++) {
		double n = (double)passes * nmsgs;

		printf("%-10s %14.0f %10.1f %14.2f\n", parsers[i].name,
		       n / best[i], best[i] * 1e9 / n, best[i] / best[0]);
	}
	return 0;
}
