// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Allowlist lookup benchmark: ns per lookup (wall clock, best of several
 * runs) and instructions per lookup (callgrind, counting only inside
 * sg_allowlist_match) for 10, 1,000, 10,000 and 100,000 prefixes; every row
 * is also given as a ratio to the 10-prefix row of the same run, to show
 * the cost grows with log(n).  Informational only, never pass/fail.
 *
 *   gcc -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
 *       -Wmissing-prototypes -Ikmod -o build/bench/bench_allowlist \
 *       tools/bench/bench_allowlist.c kmod/allowlist.c -lm
 *   build/bench/bench_allowlist            # ns, and Ir if valgrind exists
 *   build/bench/bench_allowlist -n         # ns only
 *
 * For the Ir columns the program re-runs itself under
 * valgrind --tool=callgrind --toggle-collect=sg_allowlist_match (internal
 * option --child N) and reads the totals from the callgrind output file.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "allowlist.h"

#define NQ		(1u << 16)	/* queries per family, cycled */
#define NS_LOOKUPS	(1u << 22)	/* lookups per timed run */
#define NS_RUNS		7		/* best of */
#define CG_LOOKUPS	(1u << 17)	/* lookups per family under callgrind */
#define SEED		0x5195a4d2019cULL

static const u32 sizes[] = { 10, 1000, 10000, 100000 };
#define NSIZES	(sizeof(sizes) / sizeof(sizes[0]))

struct query {
	u8 addr[16];
	u16 port;
};

static u64 rng_state;

static u64 rnd(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void mask_host(u8 *a, unsigned int alen, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < alen; i++) {
		if (plen >= (i + 1) * 8)
			continue;
		a[i] &= plen <= i * 8 ? 0 : (u8)(0xff << (8 - (plen - i * 8)));
	}
}

/*
 * Half IPv4 (/20 to /32 anywhere), half IPv6 (/40 to /64 in 2000::/3),
 * one in ten for a port: mostly disjoint, so n prefixes give about n
 * intervals and the searches are as deep as the size says.
 */
static struct sg_prefix *gen(u32 n)
{
	struct sg_prefix *p = calloc(n, sizeof(*p));
	u32 i;

	if (!p)
		exit(1);
	for (i = 0; i < n; i++) {
		u64 r = rnd(), a = rnd(), b = rnd();

		p[i].port = r % 10 ? 0 : (u16)(5060 + (r >> 8) % 4);
		if (i % 2) {
			p[i].family = SG_AF_INET;
			p[i].plen = (u8)(20 + (r >> 16) % 13);
			memcpy(p[i].addr, &a, 4);
			mask_host(p[i].addr, 4, p[i].plen);
		} else {
			p[i].family = SG_AF_INET6;
			p[i].plen = (u8)(40 + (r >> 16) % 25);
			memcpy(p[i].addr, &a, 8);
			memcpy(p[i].addr + 8, &b, 8);
			p[i].addr[0] = (u8)(0x20 | (p[i].addr[0] & 0x1f));
			mask_host(p[i].addr, 16, p[i].plen);
		}
	}
	return p;
}

/* Half inside a random entry of @family, half random (mostly misses). */
static struct query *gen_queries(const struct sg_prefix *p, u32 n, u8 family)
{
	struct query *q = calloc(NQ, sizeof(*q));
	unsigned int alen = family == SG_AF_INET ? 4 : 16;
	u32 i;

	if (!q)
		exit(1);
	for (i = 0; i < NQ; i++) {
		const struct sg_prefix *e;
		u64 a = rnd(), b = rnd();
		unsigned int k;

		memcpy(q[i].addr, &a, 8);
		memcpy(q[i].addr + 8, &b, 8);
		if (family == SG_AF_INET6)
			q[i].addr[0] = (u8)(0x20 | (q[i].addr[0] & 0x1f));
		else
			memset(q[i].addr + 4, 0, 12);
		q[i].port = 5060;
		if (rnd() % 2)
			continue;
		do {
			e = &p[rnd() % n];
		} while (e->family != family);
		for (k = 0; k < alen; k++) {
			unsigned int bits = e->plen > k * 8 ? e->plen - k * 8 : 0;
			u8 m = bits >= 8 ? 0xff : (u8)(0xff << (8 - bits));

			q[i].addr[k] = (u8)((e->addr[k] & m) | (q[i].addr[k] & ~m));
		}
		q[i].port = e->port ? e->port : 5060;
	}
	return q;
}

static struct sg_allowlist *build(const struct sg_prefix *p, u32 n)
{
	size_t size = sg_allowlist_size(p, n);
	void *mem = size ? malloc(size) : NULL;

	if (!mem || sg_allowlist_build(mem, size, p, n)) {
		fprintf(stderr, "build failed\n");
		exit(1);
	}
	return mem;
}

/* Not inlined, result consumed: the lookups cannot be optimised away. */
static __attribute__((noinline)) u64
run(const struct sg_allowlist *al, u8 family, const struct query *q,
    u32 lookups)
{
	u64 hits = 0;
	u32 i;

	for (i = 0; i < lookups; i++) {
		const struct query *x = &q[i & (NQ - 1)];

		hits += sg_allowlist_match(al, family, x->addr, x->port);
		__asm__ volatile("" : "+r"(hits) : : "memory");
	}
	return hits;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double time_lookups(const struct sg_allowlist *al, u8 family,
			   const struct query *q, u64 *hits)
{
	double best = 0;
	int r;

	run(al, family, q, NQ);		/* warm the caches */
	for (r = 0; r < NS_RUNS; r++) {
		double t0 = now_ns(), t;

		*hits = run(al, family, q, NS_LOOKUPS);
		t = (now_ns() - t0) / NS_LOOKUPS;
		if (!r || t < best)
			best = t;
	}
	return best;
}

/* Best of three builds (sort + merge), in ms. */
static double time_build(const struct sg_prefix *p, u32 n)
{
	double best = 0;
	int r;

	for (r = 0; r < 3; r++) {
		double t0 = now_ns(), t;

		free(build(p, n));
		t = (now_ns() - t0) / 1e6;
		if (!r || t < best)
			best = t;
	}
	return best;
}

struct row {
	u32 n, int4, int6;
	size_t bytes;
	double ns4, ns6;
	u64 hit4, hit6;
	double ir4, ir6;	/* < 0: not measured */
	double build_ms;
};

static void setup(u32 n, struct sg_allowlist **al, struct query **q4,
		  struct query **q6, struct sg_prefix **p)
{
	rng_state = SEED ^ n;
	*p = gen(n);
	*al = build(*p, n);
	*q4 = gen_queries(*p, n, SG_AF_INET);
	*q6 = gen_queries(*p, n, SG_AF_INET6);
}

/* Under callgrind: lookups only, v4 then v6 in two runs of the parent. */
static int child(u32 n, u8 family)
{
	struct sg_allowlist *al;
	struct query *q4, *q6;
	struct sg_prefix *p;
	u64 hits;

	setup(n, &al, &q4, &q6, &p);
	hits = run(al, family, family == SG_AF_INET ? q4 : q6, CG_LOOKUPS);
	printf("%" PRIu64 "\n", hits);
	free(al);
	free(q4);
	free(q6);
	free(p);
	return 0;
}

/* Instructions per lookup of sg_allowlist_match, or -1. */
static double callgrind_ir(u32 n, u8 family)
{
	char out[64], nbuf[16], fbuf[4], exe[4096], line[256];
	double ir = -1;
	ssize_t len;
	FILE *f;
	pid_t pid;
	int st;

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0)
		return -1;
	exe[len] = 0;
	snprintf(out, sizeof(out), "/tmp/sg_bench_al.%d.cg", (int)getpid());
	snprintf(nbuf, sizeof(nbuf), "%u", n);
	snprintf(fbuf, sizeof(fbuf), "%u", family);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		char cgout[96];

		snprintf(cgout, sizeof(cgout), "--callgrind-out-file=%s", out);
		if (!freopen("/dev/null", "w", stdout) ||
		    !freopen("/dev/null", "w", stderr))
			_exit(127);
		execlp("valgrind", "valgrind", "--tool=callgrind",
		       "--toggle-collect=sg_allowlist_match", cgout, exe,
		       "--child", nbuf, fbuf, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	f = fopen(out, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (sscanf(line, "totals: %llu", &v) == 1 ||
		    sscanf(line, "summary: %llu", &v) == 1)
			ir = (double)v / CG_LOOKUPS;
	}
	fclose(f);
	unlink(out);
	return ir;
}

static void ratio(char *buf, size_t len, double v, double base)
{
	if (v < 0 || base <= 0)
		snprintf(buf, len, "%s", "-");
	else
		snprintf(buf, len, "%.2fx", v / base);
}

static void fmt_ir(char *buf, size_t len, double v)
{
	if (v < 0)
		snprintf(buf, len, "%s", "-");
	else
		snprintf(buf, len, "%.1f", v);
}

int main(int argc, char **argv)
{
	struct row rows[NSIZES];
	bool cg = true;
	unsigned int i;

	if (argc == 4 && !strcmp(argv[1], "--child"))
		return child((u32)strtoul(argv[2], NULL, 0),
			     (u8)strtoul(argv[3], NULL, 0));
	if (argc == 2 && !strcmp(argv[1], "-n"))
		cg = false;
	else if (argc != 1) {
		fprintf(stderr, "usage: %s [-n]   (-n: no callgrind)\n",
			argv[0]);
		return 2;
	}
	if (cg && system("valgrind --version >/dev/null 2>&1")) {
		fprintf(stderr, "valgrind not found: no Ir columns\n");
		cg = false;
	}

	for (i = 0; i < NSIZES; i++) {
		struct row *r = &rows[i];
		struct sg_allowlist *al;
		struct query *q4, *q6;
		struct sg_prefix *p;

		r->n = sizes[i];
		setup(r->n, &al, &q4, &q6, &p);
		r->build_ms = time_build(p, r->n);
		r->bytes = sg_allowlist_size(p, r->n);
		r->int4 = sg_allowlist_count(al, SG_AF_INET);
		r->int6 = sg_allowlist_count(al, SG_AF_INET6);
		r->ns4 = time_lookups(al, SG_AF_INET, q4, &r->hit4);
		r->ns6 = time_lookups(al, SG_AF_INET6, q6, &r->hit6);
		r->ir4 = cg ? callgrind_ir(r->n, SG_AF_INET) : -1;
		r->ir6 = cg ? callgrind_ir(r->n, SG_AF_INET6) : -1;
		free(al);
		free(q4);
		free(q6);
		free(p);
	}

	printf("sg_allowlist_match: half IPv4, half IPv6 prefixes, 10%% port-"
	       "specific; queries half inside an entry, half random\n");
	printf("ns: best of %d runs of %u lookups; Ir: callgrind, inside "
	       "sg_allowlist_match, %u lookups\n\n", NS_RUNS, NS_LOOKUPS,
	       CG_LOOKUPS);
	printf("%8s %7s %7s %9s %8s | %7s %6s %7s %6s | %7s %6s %7s %6s | %6s | %5s %5s\n",
	       "prefixes", "int v4", "int v6", "bytes", "build ms", "v4 ns", "ratio",
	       "v6 ns", "ratio", "v4 Ir", "ratio", "v6 Ir", "ratio",
	       "log2n", "hit4", "hit6");
	for (i = 0; i < NSIZES; i++) {
		const struct row *r = &rows[i], *b = &rows[0];
		char r1[16], r2[16], r3[16], r4[16], ir4[16], ir6[16];

		ratio(r1, sizeof(r1), r->ns4, b->ns4);
		ratio(r2, sizeof(r2), r->ns6, b->ns6);
		ratio(r3, sizeof(r3), r->ir4, b->ir4);
		ratio(r4, sizeof(r4), r->ir6, b->ir6);
		fmt_ir(ir4, sizeof(ir4), r->ir4);
		fmt_ir(ir6, sizeof(ir6), r->ir6);
		printf("%8u %7u %7u %9zu %8.2f | %7.1f %6s %7.1f %6s | %7s %6s %7s %6s | %6.1f | %4.0f%% %4.0f%%\n",
		       r->n, r->int4, r->int6, r->bytes, r->build_ms, r->ns4,
		       r1, r->ns6,
		       r2, ir4, r3, ir6, r4, log2(r->n),
		       100.0 * r->hit4 / NS_LOOKUPS,
		       100.0 * r->hit6 / NS_LOOKUPS);
	}
	return 0;
}
