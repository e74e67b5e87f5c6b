// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for kmod/allowlist.c: boundary semantics, merging, ports,
 * validation, and a randomized differential test against two references
 * that share no code with the matcher:
 *  - ref_linear(): a linear scan comparing the masked address bytes of
 *    every entry (the definition of "inside a prefix"),
 *  - the exact-match reference: for every prefix length in use, mask the
 *    address and look (family, port, length, masked address) up in a hash
 *    set of the entries; fast enough for a million lookups under ASan.
 * Environment: SG_SEED (default fixed) and SG_LOOKUPS (default 1000000).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "allowlist.h"

/* ---------- helpers ---------- */

static struct sg_prefix P(const char *s, unsigned int plen, unsigned int port)
{
	struct sg_prefix p;

	memset(&p, 0, sizeof(p));
	if (strchr(s, ':')) {
		p.family = SG_AF_INET6;
		if (inet_pton(AF_INET6, s, p.addr) != 1)
			abort();
	} else {
		p.family = SG_AF_INET;
		if (inet_pton(AF_INET, s, p.addr) != 1)
			abort();
	}
	p.plen = (u8)plen;
	p.port = (u16)port;
	return p;
}

static struct sg_allowlist *build(const struct sg_prefix *p, u32 n)
{
	size_t size = sg_allowlist_size(p, n);
	void *mem;
	int err;

	if (!size)
		abort();
	/* Exactly the size asked for, so ASan catches any overrun. */
	mem = malloc(size);
	if (!mem)
		abort();
	err = sg_allowlist_build(mem, size, p, n);
	if (err) {
		tap_diag("sg_allowlist_build: %d", err);
		free(mem);
		return NULL;
	}
	return mem;
}

static bool prefix_contains(const struct sg_prefix *p, const u8 *addr)
{
	unsigned int full = p->plen / 8, rest = p->plen % 8;

	if (memcmp(p->addr, addr, full))
		return false;
	if (rest) {
		u8 mask = (u8)(0xff << (8 - rest));

		if ((p->addr[full] ^ addr[full]) & mask)
			return false;
	}
	return true;
}

static bool ref_linear(const struct sg_prefix *p, u32 n, u8 family,
		       const u8 *addr, u16 port)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (p[i].family != family)
			continue;
		if (p[i].port && p[i].port != port)
			continue;
		if (prefix_contains(&p[i], addr))
			return true;
	}
	return false;
}

/* Query by string; @want checked against both the matcher and ref_linear. */
static void expect(const struct sg_allowlist *al, const struct sg_prefix *p,
		   u32 n, const char *s, unsigned int port, bool want,
		   const char *what)
{
	struct sg_prefix q = P(s, 0, 0);
	bool got = sg_allowlist_match(al, q.family, q.addr, (u16)port);
	bool ref = ref_linear(p, n, q.family, q.addr, (u16)port);

	if (ref != want)
		tap_diag("test bug: reference says %d for %s port %u", ref, s,
			 port);
	tap_ok(got == want && ref == want, "%s: %s port %u %s", what, s, port,
	       want ? "matches" : "does not match");
}

/* ---------- deterministic tests ---------- */

static void test_empty(void)
{
	struct sg_allowlist *al = build(NULL, 0);
	u8 a[16] = { 192, 0, 2, 1 };

	tap_ok(al != NULL, "empty: builds");
	tap_ok(!sg_allowlist_match(al, 4, a, 5060), "empty: v4 no match");
	tap_ok(!sg_allowlist_match(al, 6, a, 5060), "empty: v6 no match");
	tap_ok(!sg_allowlist_match(al, 4, a, 0), "empty: port 0 no match");
	tap_ok(sg_allowlist_count(al, 4) == 0 && sg_allowlist_count(al, 6) == 0,
	       "empty: zero intervals");
	tap_ok(!sg_allowlist_match(NULL, 4, a, 5060),
	       "NULL allowlist: no match");
	free(al);
}

static void test_v4_boundaries(void)
{
	struct sg_prefix p[] = {
		P("198.51.100.0", 24, 0),
		P("203.0.113.7", 32, 0),
		P("192.0.2.128", 31, 0),
	};
	u32 n = 3;
	struct sg_allowlist *al = build(p, n);

	expect(al, p, n, "198.51.100.0", 5060, true, "/24 first");
	expect(al, p, n, "198.51.100.255", 5060, true, "/24 last");
	expect(al, p, n, "198.51.99.255", 5060, false, "/24 one before");
	expect(al, p, n, "198.51.101.0", 5060, false, "/24 one after");
	expect(al, p, n, "198.51.100.77", 0, true, "/24 any port, port 0");
	expect(al, p, n, "198.51.100.77", 65535, true, "/24 any port, 65535");
	expect(al, p, n, "203.0.113.7", 1, true, "/32 itself");
	expect(al, p, n, "203.0.113.6", 1, false, "/32 one before");
	expect(al, p, n, "203.0.113.8", 1, false, "/32 one after");
	expect(al, p, n, "192.0.2.128", 5060, true, "/31 first");
	expect(al, p, n, "192.0.2.129", 5060, true, "/31 last");
	expect(al, p, n, "192.0.2.127", 5060, false, "/31 one before");
	expect(al, p, n, "192.0.2.130", 5060, false, "/31 one after");
	expect(al, p, n, "0.0.0.0", 5060, false, "below everything");
	expect(al, p, n, "255.255.255.255", 5060, false, "above everything");
	tap_ok(sg_allowlist_count(al, 4) == 3, "three disjoint v4 intervals");
	free(al);
}

static void test_v4_zero_and_edges(void)
{
	struct sg_prefix p0[] = { P("0.0.0.0", 0, 0) };
	struct sg_prefix p1[] = {
		P("0.0.0.0", 32, 0),
		P("255.255.255.255", 32, 0),
		P("255.255.255.254", 32, 0),
		P("128.0.0.0", 1, 5060),
	};
	struct sg_allowlist *al = build(p0, 1);

	expect(al, p0, 1, "0.0.0.0", 5060, true, "v4 /0");
	expect(al, p0, 1, "255.255.255.255", 5060, true, "v4 /0");
	expect(al, p0, 1, "10.1.2.3", 0, true, "v4 /0");
	expect(al, p0, 1, "::", 5060, false, "v4 /0 vs v6");
	expect(al, p0, 1, "::ffff:10.1.2.3", 5060, false, "v4 /0 vs v4-mapped");
	free(al);

	al = build(p1, 4);
	expect(al, p1, 4, "0.0.0.0", 9, true, "bottom /32");
	expect(al, p1, 4, "0.0.0.1", 9, false, "after bottom /32");
	expect(al, p1, 4, "255.255.255.255", 9, true, "top /32");
	expect(al, p1, 4, "255.255.255.254", 9, true, "top-1 /32");
	expect(al, p1, 4, "255.255.255.253", 9, false, "below top pair");
	expect(al, p1, 4, "128.0.0.0", 5060, true, "/1 port 5060 first");
	expect(al, p1, 4, "200.1.1.1", 5060, true, "/1 port 5060 inside");
	expect(al, p1, 4, "127.255.255.255", 5060, false, "/1 one before");
	expect(al, p1, 4, "200.1.1.1", 5061, false, "/1 other port");
	tap_ok(sg_allowlist_count(al, 4) == 3,
	       "top pair merged at the end of the space (got %u)",
	       sg_allowlist_count(al, 4));
	free(al);
}

static void test_v6(void)
{
	struct sg_prefix p[] = {
		P("2001:db8:1::", 48, 0),
		P("2001:db8:2::", 64, 0),
		P("2001:db8:3::", 63, 0),
		P("2001:db8:4:0:8000::", 65, 0),
		P("2001:db8::5", 128, 0),
		P("2001:db8:6::", 128, 0),
	};
	u32 n = 6;
	struct sg_allowlist *al = build(p, n);

	expect(al, p, n, "2001:db8:1::", 5060, true, "/48 first");
	expect(al, p, n, "2001:db8:1:ffff:ffff:ffff:ffff:ffff", 5060, true,
	       "/48 last");
	expect(al, p, n, "2001:db8:0:ffff:ffff:ffff:ffff:ffff", 5060, false,
	       "/48 one before");
	expect(al, p, n, "2001:db8:2::", 5060, true, "/64 first");
	expect(al, p, n, "2001:db8:2:0:ffff:ffff:ffff:ffff", 5060, true,
	       "/64 last");
	expect(al, p, n, "2001:db8:2:1::", 5060, false,
	       "/64 one after (carry into high word)");
	expect(al, p, n, "2001:db8:1:ffff:ffff:ffff:ffff:ffff", 1, true,
	       "/48 last, port 1");
	expect(al, p, n, "2001:db8:3::", 5060, true, "/63 first");
	expect(al, p, n, "2001:db8:3:1:ffff:ffff:ffff:ffff", 5060, true,
	       "/63 last");
	expect(al, p, n, "2001:db8:3:2::", 5060, false, "/63 one after");
	expect(al, p, n, "2001:db8:2:ffff:ffff:ffff:ffff:ffff", 5060, false,
	       "/63 one before");
	expect(al, p, n, "2001:db8:4:0:8000::", 5060, true, "/65 first");
	expect(al, p, n, "2001:db8:4:0:ffff:ffff:ffff:ffff", 5060, true,
	       "/65 last");
	expect(al, p, n, "2001:db8:4:0:7fff:ffff:ffff:ffff", 5060, false,
	       "/65 one before");
	expect(al, p, n, "2001:db8:4:1::", 5060, false, "/65 one after");
	expect(al, p, n, "2001:db8::5", 5060, true, "/128 itself");
	expect(al, p, n, "2001:db8::4", 5060, false, "/128 one before");
	expect(al, p, n, "2001:db8::6", 5060, false, "/128 one after");
	expect(al, p, n, "2001:db8:6::", 5060, true, "/128 low word 0");
	expect(al, p, n, "2001:db8:5:ffff:ffff:ffff:ffff:ffff", 5060, false,
	       "/128 one before with borrow");
	expect(al, p, n, "::", 5060, false, "v6 bottom");
	expect(al, p, n, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 5060, false,
	       "v6 top");
	expect(al, p, n, "32.1.13.184", 5060, false,
	       "v4 with the same leading bytes");
	free(al);
}

static void test_v6_zero_and_edges(void)
{
	struct sg_prefix p0[] = { P("::", 0, 0) };
	struct sg_prefix p1[] = {
		P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, 0),
		P("ffff:ffff:ffff:ffff::", 64, 0),
		P("::", 128, 0),
	};
	struct sg_allowlist *al = build(p0, 1);

	expect(al, p0, 1, "::", 5060, true, "v6 /0");
	expect(al, p0, 1, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0, true,
	       "v6 /0");
	expect(al, p0, 1, "0.0.0.0", 5060, false, "v6 /0 vs v4");
	expect(al, p0, 1, "255.255.255.255", 5060, false, "v6 /0 vs v4");
	free(al);

	al = build(p1, 3);
	expect(al, p1, 3, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 7, true,
	       "v6 top /128 (nested in the /64)");
	expect(al, p1, 3, "ffff:ffff:ffff:ffff::", 7, true, "v6 top /64 first");
	expect(al, p1, 3, "ffff:ffff:ffff:fffe:ffff:ffff:ffff:ffff", 7, false,
	       "v6 top /64 one before");
	expect(al, p1, 3, "::", 7, true, "v6 ::/128");
	expect(al, p1, 3, "::1", 7, false, "v6 ::1");
	tap_ok(sg_allowlist_count(al, 6) == 2,
	       "v6 nested top /128 merged (got %u)", sg_allowlist_count(al, 6));
	free(al);
}

static void test_ports(void)
{
	struct sg_prefix p[] = {
		P("198.51.100.0", 24, 5060),
		P("198.51.100.0", 24, 5061),
		P("198.51.100.64", 26, 0),
		P("203.0.113.0", 24, 1),
		P("203.0.113.0", 24, 65535),
		P("192.0.2.0", 24, 5080),
		P("2001:db8::", 32, 5060),
		P("2001:db8:1::", 48, 0),
	};
	u32 n = 8;
	struct sg_allowlist *al = build(p, n);

	expect(al, p, n, "198.51.100.1", 5060, true, "port entry, its port");
	expect(al, p, n, "198.51.100.1", 5061, true, "second port entry");
	expect(al, p, n, "198.51.100.1", 5062, false, "port entry, other port");
	expect(al, p, n, "198.51.100.1", 5059, false, "port entry, other port");
	expect(al, p, n, "198.51.100.1", 0, false, "port entry, port 0");
	expect(al, p, n, "198.51.100.65", 12345, true, "any-port inside");
	expect(al, p, n, "198.51.100.128", 12345, false,
	       "after the any-port part");
	expect(al, p, n, "198.51.100.255", 5061, true, "port entry last");
	expect(al, p, n, "198.51.101.0", 5061, false, "port entry one after");
	expect(al, p, n, "203.0.113.9", 1, true, "port 1");
	expect(al, p, n, "203.0.113.9", 65535, true, "port 65535");
	expect(al, p, n, "203.0.113.9", 65534, false, "port 65534");
	expect(al, p, n, "203.0.113.9", 2, false, "port 2");
	expect(al, p, n, "192.0.2.1", 5080, true, "port 5080");
	expect(al, p, n, "192.0.2.1", 5060, false, "port 5060 elsewhere");
	expect(al, p, n, "2001:db8:ffff::1", 5060, true, "v6 port entry");
	expect(al, p, n, "2001:db8:ffff::1", 5061, false, "v6 other port");
	expect(al, p, n, "2001:db8:1::1", 5061, true, "v6 any-port");
	expect(al, p, n, "2001:db9::", 5060, false, "v6 port entry one after");
	expect(al, p, n, "32.1.13.184", 5060, false, "v4 vs v6 port entry");
	tap_ok(sg_allowlist_ports(al, 4) == 6,
	       "v4 groups: any + 5 ports (got %u)", sg_allowlist_ports(al, 4));
	tap_ok(sg_allowlist_ports(al, 6) == 2, "v6 groups: any + 5060 (got %u)",
	       sg_allowlist_ports(al, 6));
	free(al);
}

/* A ban's prefix against every entry, whatever its port. */
static void overlaps(const struct sg_allowlist *al, const char *s, unsigned int plen,
		     bool want, const char *what)
{
	struct sg_prefix q = P(s, 0, 0);

	tap_ok(sg_allowlist_overlaps(al, q.family, q.addr, (u8)plen) == want,
	       "overlaps %s/%u: %s", s, plen, what);
}

static void test_overlaps(void)
{
	struct sg_prefix p[] = {
		P("198.51.100.7", 32, 5060),
		P("198.51.100.64", 26, 0),
		P("192.0.2.0", 24, 5080),
		P("2001:db8:1::5", 128, 0),
		P("2001:db8:2::", 48, 5061),
	};
	struct sg_allowlist *al = build(p, 5);

	overlaps(al, "198.51.100.7", 32, true, "trusted on one port only");
	overlaps(al, "198.51.100.8", 32, false, "next to it");
	overlaps(al, "198.51.100.6", 32, false, "before it");
	overlaps(al, "198.51.100.0", 24, true, "a /24 holding both");
	overlaps(al, "198.51.100.127", 32, true, "any-port interval's last");
	overlaps(al, "198.51.100.128", 25, false, "the /25 after");
	overlaps(al, "192.0.2.200", 32, true, "inside a port entry's /24");
	overlaps(al, "0.0.0.0", 0, true, "everything");
	overlaps(al, "203.0.113.1", 32, false, "elsewhere");
	overlaps(al, "2001:db8:1::", 64, true, "the /64 of an allowlisted host");
	overlaps(al, "2001:db8:1:1::", 64, false, "the next /64");
	overlaps(al, "2001:db8:2:ff::", 64, true, "a /64 in a port entry's /48");
	overlaps(al, "2001:db8:3::", 64, false, "past it");
	overlaps(al, "2001:db8::", 32, true, "the /32 holding all");
	overlaps(NULL, "198.51.100.7", 32, false, "no allowlist");
	free(al);
	al = build(NULL, 0);
	overlaps(al, "198.51.100.7", 32, false, "empty allowlist");
	free(al);
}

static void test_merge(void)
{
	struct sg_prefix p[] = {
		P("10.0.0.0", 8, 0),		/* nested group */
		P("10.1.0.0", 16, 0),
		P("10.1.2.3", 32, 0),
		P("172.16.0.0", 25, 0),		/* adjacent halves */
		P("172.16.0.128", 25, 0),
		P("172.16.1.0", 24, 0),		/* adjacent to both */
		P("172.16.3.0", 24, 0),		/* gap before: own interval */
		P("192.0.2.0", 24, 0),		/* duplicates */
		P("192.0.2.0", 24, 0),
		P("192.0.2.0", 24, 0),
		P("11.0.0.0", 8, 0),		/* adjacent to 10/8 */
		P("12.0.0.1", 32, 0),		/* gap of one address */
	};
	u32 n = sizeof(p) / sizeof(p[0]);
	struct sg_allowlist *al = build(p, n);

	tap_ok(sg_allowlist_count(al, 4) == 5,
	       "merged to 5 intervals (got %u)", sg_allowlist_count(al, 4));
	expect(al, p, n, "10.0.0.0", 1, true, "nested /8 first");
	expect(al, p, n, "10.1.2.3", 1, true, "nested /32");
	expect(al, p, n, "11.255.255.255", 1, true, "10/8+11/8 last");
	expect(al, p, n, "12.0.0.0", 1, false, "the gap of one");
	expect(al, p, n, "12.0.0.1", 1, true, "after the gap");
	expect(al, p, n, "9.255.255.255", 1, false, "before 10/8");
	expect(al, p, n, "172.16.0.127", 1, true, "first /25 last");
	expect(al, p, n, "172.16.0.128", 1, true, "second /25 first");
	expect(al, p, n, "172.16.1.255", 1, true, "merged run last");
	expect(al, p, n, "172.16.2.0", 1, false, "gap between runs");
	expect(al, p, n, "172.16.3.0", 1, true, "after the gap");
	expect(al, p, n, "192.0.2.200", 1, true, "duplicate entry");
	expect(al, p, n, "192.0.3.0", 1, false, "after duplicate entry");
	free(al);
}

static void test_merge_ports_apart(void)
{
	/* Adjacent intervals on different ports must not merge. */
	struct sg_prefix p[] = {
		P("192.0.2.0", 25, 5060),
		P("192.0.2.128", 25, 5061),
		P("192.0.2.0", 25, 5060),
	};
	struct sg_allowlist *al = build(p, 3);

	expect(al, p, 3, "192.0.2.127", 5060, true, "lower half own port");
	expect(al, p, 3, "192.0.2.128", 5060, false, "upper half other port");
	expect(al, p, 3, "192.0.2.128", 5061, true, "upper half own port");
	expect(al, p, 3, "192.0.2.127", 5061, false, "lower half other port");
	tap_ok(sg_allowlist_count(al, 4) == 2, "two intervals (got %u)",
	       sg_allowlist_count(al, 4));
	free(al);
}

static void test_check(void)
{
	static const struct {
		struct sg_prefix p;
		const char *why;	/* NULL: valid */
		const char *name;
	} t[] = {
		{ { 4, 24, 0, { 192, 0, 2, 0 } }, NULL, "valid v4 /24" },
		{ { 4, 0, 0, { 0 } }, NULL, "valid v4 /0" },
		{ { 4, 32, 5060, { 255, 255, 255, 255 } }, NULL, "valid v4 /32" },
		{ { 6, 128, 0, { [15] = 1 } }, NULL, "valid v6 /128" },
		{ { 6, 65, 0, { 0x20, 1, [8] = 0x80 } }, NULL, "valid v6 /65" },
		{ { 6, 0, 0, { 0 } }, NULL, "valid v6 /0" },
		{ { 0, 24, 0, { 192, 0, 2, 0 } },
		  "address family must be 4 (IPv4) or 6 (IPv6)", "family 0" },
		{ { 10, 24, 0, { 192, 0, 2, 0 } },
		  "address family must be 4 (IPv4) or 6 (IPv6)", "family 10" },
		{ { 4, 33, 0, { 192, 0, 2, 0 } },
		  "IPv4 prefix length must be at most 32", "v4 /33" },
		{ { 6, 129, 0, { 0x20 } },
		  "IPv6 prefix length must be at most 128", "v6 /129" },
		{ { 4, 24, 0, { 192, 0, 2, 1 } },
		  "host bits set beyond the prefix length", "v4 host bit" },
		{ { 4, 0, 0, { 0, 0, 0, 1 } },
		  "host bits set beyond the prefix length", "v4 /0 host bit" },
		{ { 4, 31, 0, { 192, 0, 2, 1 } },
		  "host bits set beyond the prefix length", "v4 /31 host bit" },
		{ { 4, 32, 0, { 192, 0, 2, 1, [15] = 1 } },
		  "IPv4 address must leave bytes 4 to 15 zero", "v4 stray byte" },
		{ { 4, 32, 0, { 192, 0, 2, 1, 1 } },
		  "IPv4 address must leave bytes 4 to 15 zero", "v4 byte 4" },
		{ { 6, 64, 0, { 0x20, 1, [15] = 1 } },
		  "host bits set beyond the prefix length", "v6 /64 low bit" },
		{ { 6, 65, 0, { 0x20, 1, [8] = 0x40 } },
		  "host bits set beyond the prefix length", "v6 /65 bit 65" },
		{ { 6, 63, 0, { 0x20, 1, [7] = 1 } },
		  "host bits set beyond the prefix length", "v6 /63 bit 63" },
		{ { 6, 127, 0, { [15] = 1 } },
		  "host bits set beyond the prefix length", "v6 /127 last bit" },
		{ { 6, 0, 0, { 0x80 } },
		  "host bits set beyond the prefix length", "v6 /0 top bit" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *why = "untouched";
		int err = sg_prefix_check(&t[i].p, &why);

		if (!t[i].why)
			tap_ok(err == 0 && why == NULL, "check %s: accepted",
			       t[i].name);
		else
			tap_ok(err == -EINVAL && why && !strcmp(why, t[i].why),
			       "check %s: rejected (%d, \"%s\")", t[i].name,
			       err, why ? why : "(null)");
		tap_ok(sg_prefix_check(&t[i].p, NULL) == (t[i].why ? -EINVAL : 0),
		       "check %s: NULL why is fine", t[i].name);
	}
}

static void test_build_errors(void)
{
	struct sg_prefix p[] = {
		P("192.0.2.0", 24, 0),
		P("2001:db8::", 32, 0),
		{ 4, 24, 0, { 192, 0, 2, 1 } },		/* host bit */
	};
	size_t size = sg_allowlist_size(p, 2);
	u64 *mem = calloc(1, size + 16);
	struct sg_prefix a = P("192.0.2.0", 24, 0), b = a;

	tap_ok(size > 0 && size >= sg_allowlist_size(NULL, 0),
	       "size is an upper bound (%zu bytes for 2)", size);
	tap_ok(sg_allowlist_build(mem, size - 1, p, 2) == -ENOSPC,
	       "build: one byte short is -ENOSPC");
	tap_ok(sg_allowlist_build((u8 *)mem + 4, size, p, 2) == -EINVAL,
	       "build: misaligned buffer is -EINVAL");
	tap_ok(sg_allowlist_build(mem, size + 16, p, 3) == -EINVAL,
	       "build: invalid entry is -EINVAL");
	tap_ok(sg_allowlist_build(mem, size, p, 2) == 0, "build: exact size");
	tap_ok(sg_allowlist_match((void *)mem, 4, p[0].addr, 1) &&
	       sg_allowlist_match((void *)mem, 6, p[1].addr, 1),
	       "build: result works");
	tap_ok(!sg_allowlist_match((void *)mem, 0, p[0].addr, 1) &&
	       !sg_allowlist_match((void *)mem, 5, p[0].addr, 1),
	       "lookup with a bad family never matches");
	free(mem);

	tap_ok(sg_prefix_equal(&a, &b), "equal: same entry");
	b.port = 5060;
	tap_ok(!sg_prefix_equal(&a, &b), "equal: port differs");
	b = a;
	b.plen = 25;
	tap_ok(!sg_prefix_equal(&a, &b), "equal: length differs");
	b = a;
	b.addr[2] = 3;
	tap_ok(!sg_prefix_equal(&a, &b), "equal: address differs");
	b = a;
	b.family = 6;
	tap_ok(!sg_prefix_equal(&a, &b), "equal: family differs");
}

/* ---------- randomized differential test ---------- */

static u64 rng_state;

static u64 rnd(void)
{
	/* splitmix64 */
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 rnd_below(u32 n)
{
	return (u32)(rnd() % n);
}

static void rnd_bytes(u8 *b, unsigned int from, unsigned int to)
{
	unsigned int i;

	for (i = from; i < to; i++)
		b[i] = (u8)rnd();
}

static void mask_addr(u8 *a, unsigned int alen, unsigned int plen, bool ones)
{
	unsigned int i;

	for (i = 0; i < alen; i++) {
		unsigned int bit0 = i * 8;
		u8 keep;

		if (plen >= bit0 + 8)
			continue;
		keep = plen <= bit0 ? 0 : (u8)(0xff << (8 - (plen - bit0)));
		a[i] = ones ? (a[i] | (u8)~keep) : (a[i] & keep);
	}
}

/* Big-endian +1 / -1 over @alen bytes, wrapping. */
static void addr_step(u8 *a, unsigned int alen, int dir)
{
	int i;

	for (i = (int)alen - 1; i >= 0; i--) {
		if (dir > 0) {
			if (++a[i] != 0)
				return;
		} else {
			if (a[i]-- != 0)
				return;
		}
	}
}

static const u16 common_ports[] = { 5060, 5061, 5062, 5080, 1, 65535 };
#define NCOMMON (sizeof(common_ports) / sizeof(common_ports[0]))

static u16 rnd_port(void)
{
	u32 r = rnd_below(100);

	if (r < 70)
		return 0;
	if (r < 95)
		return common_ports[rnd_below(NCOMMON)];
	return (u16)(1 + rnd_below(65535));
}

#define NREGIONS 8
static u8 region4[NREGIONS][2];		/* /12 regions: byte 0 + top nibble */
static u8 region6[NREGIONS][4];		/* /32 regions */

static void make_regions(void)
{
	unsigned int i;

	for (i = 0; i < NREGIONS; i++) {
		rnd_bytes(region4[i], 0, 2);
		region4[i][1] &= 0xf0;
		rnd_bytes(region6[i], 0, 4);
	}
	/* The ends of the address space. */
	memset(region4[0], 0, 2);
	memset(region4[1], 0xff, 2);
	region4[1][1] = 0xf0;
	memset(region6[0], 0, 4);
	memset(region6[1], 0xff, 4);
}

static void rnd_in_region(u8 family, u8 *a)
{
	unsigned int r = rnd_below(NREGIONS);

	memset(a, 0, 16);
	if (family == SG_AF_INET) {
		rnd_bytes(a, 1, 4);
		a[0] = region4[r][0];
		a[1] = (u8)(region4[r][1] | (a[1] & 0x0f));
	} else {
		rnd_bytes(a, 4, 16);
		memcpy(a, region6[r], 4);
	}
}

static const u8 v6_plens[] = {
	48, 49, 56, 60, 62, 63, 64, 65, 66, 72, 80, 96, 111, 112, 120, 126, 127,
	128,
};

/*
 * Mostly long prefixes, so that the regions are far from fully covered;
 * prefixes as wide as a region or wider only for a port.
 */
static unsigned int rnd_plen(u8 family, u16 port)
{
	u32 r = rnd_below(100);

	if (family == SG_AF_INET) {
		if (port && r < 3)
			return 1 + rnd_below(19);
		if (r < 12)
			return 20 + rnd_below(4);
		return 24 + rnd_below(9);
	}
	if (port && r < 3)
		return 1 + rnd_below(47);
	return v6_plens[rnd_below(sizeof(v6_plens))];
}

static void gen_prefixes(struct sg_prefix *p, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		struct sg_prefix *e = &p[i];
		unsigned int alen;
		u32 r = rnd_below(100);

		memset(e, 0, sizeof(*e));
		if (i > 0 && r < 25) {
			/* Relative of an earlier entry: duplicate, sibling
			 * (adjacent), child (nested) or parent.
			 */
			const struct sg_prefix *o = &p[rnd_below(i)];
			unsigned int k = rnd_below(4);

			*e = *o;
			alen = e->family == SG_AF_INET ? 4 : 16;
			if (rnd_below(3) == 0)
				e->port = rnd_port();
			if (k == 1 && e->plen > 0) {
				unsigned int b = e->plen - 1u;

				e->addr[b / 8] ^= (u8)(0x80 >> (b % 8));
			} else if (k == 2 && e->plen < alen * 8) {
				e->plen = (u8)(e->plen + 1 +
					       rnd_below(alen * 8 - e->plen));
				rnd_bytes(e->addr, 0, alen);
				memcpy(e->addr, o->addr, o->plen / 8);
				if (o->plen % 8) {
					u8 m = (u8)(0xff << (8 - o->plen % 8));
					unsigned int j = o->plen / 8;

					e->addr[j] = (u8)((o->addr[j] & m) |
							  (e->addr[j] & ~m));
				}
				mask_addr(e->addr, alen, e->plen, false);
			} else if (k == 3 && e->plen > 8) {
				e->plen = (u8)(e->plen - 1 - rnd_below(4));
				mask_addr(e->addr, alen, e->plen, false);
			}
		} else {
			e->family = rnd_below(2) ? SG_AF_INET : SG_AF_INET6;
			e->port = rnd_port();
			e->plen = (u8)rnd_plen(e->family, e->port);
			rnd_in_region(e->family, e->addr);
			alen = e->family == SG_AF_INET ? 4 : 16;
			mask_addr(e->addr, alen, e->plen, false);
		}
		if (sg_prefix_check(e, NULL))
			abort();
	}
}

/* Exact-match reference: open-addressing hash set of the entries. */
struct ref_set {
	u32 mask;
	u32 *slot;		/* entry index + 1, 0 = empty */
	const struct sg_prefix *p;
	u8 plens[2][129];	/* [v6][i]: prefix lengths in use */
	unsigned int nplens[2];
};

static u32 ref_hash(u8 family, u16 port, u8 plen, const u8 *a)
{
	u64 h = 0xcbf29ce484222325ULL ^ family ^ (u64)port << 8 ^
		(u64)plen << 24;
	unsigned int i;

	for (i = 0; i < 16; i++)
		h = (h ^ a[i]) * 0x100000001b3ULL;
	return (u32)(h ^ (h >> 32));
}

static void ref_init(struct ref_set *s, const struct sg_prefix *p, u32 n)
{
	bool seen[2][129] = { { false } };
	u32 size = 1, i;
	unsigned int f, l;

	while (size < 2 * n + 2)
		size <<= 1;
	memset(s, 0, sizeof(*s));
	s->mask = size - 1;
	s->slot = calloc(size, sizeof(*s->slot));
	s->p = p;
	if (!s->slot)
		abort();
	for (i = 0; i < n; i++) {
		u32 h = ref_hash(p[i].family, p[i].port, p[i].plen, p[i].addr);

		while (s->slot[h & s->mask])
			h++;
		s->slot[h & s->mask] = i + 1;
		seen[p[i].family == SG_AF_INET6][p[i].plen] = true;
	}
	for (f = 0; f < 2; f++)
		for (l = 0; l <= 128; l++)
			if (seen[f][l])
				s->plens[f][s->nplens[f]++] = (u8)l;
}

static bool ref_has(const struct ref_set *s, u8 family, u16 port, u8 plen,
		    const u8 *a)
{
	u32 h = ref_hash(family, port, plen, a), k;

	while ((k = s->slot[h & s->mask])) {
		const struct sg_prefix *e = &s->p[k - 1];

		if (e->family == family && e->port == port &&
		    e->plen == plen && !memcmp(e->addr, a, 16))
			return true;
		h++;
	}
	return false;
}

static bool ref_exact(const struct ref_set *s, u8 family, const u8 *addr,
		      u16 port)
{
	unsigned int f = family == SG_AF_INET6, i;
	unsigned int alen = f ? 16 : 4;

	if (family != SG_AF_INET && family != SG_AF_INET6)
		return false;
	for (i = 0; i < s->nplens[f]; i++) {
		u8 m[16];

		memset(m, 0, sizeof(m));
		memcpy(m, addr, alen);
		mask_addr(m, alen, s->plens[f][i], false);
		if (ref_has(s, family, 0, s->plens[f][i], m))
			return true;
		if (port && ref_has(s, family, port, s->plens[f][i], m))
			return true;
	}
	return false;
}

struct query {
	u8 family;
	u16 port;
	u8 addr[16];
};

static void gen_query(const struct sg_prefix *p, u32 n, struct query *q)
{
	u32 r = rnd_below(100);

	memset(q, 0, sizeof(*q));
	if (r < 65) {
		/* First, last, one before or one after a random entry. */
		const struct sg_prefix *e = &p[rnd_below(n)];
		unsigned int alen = e->family == SG_AF_INET ? 4 : 16;
		unsigned int k = rnd_below(4);
		u32 pr = rnd_below(10);

		q->family = e->family;
		memcpy(q->addr, e->addr, 16);
		if (k >= 2)
			mask_addr(q->addr, alen, e->plen, true);
		if (k == 0)
			addr_step(q->addr, alen, -1);
		else if (k == 3)
			addr_step(q->addr, alen, +1);
		if (pr < 4)
			q->port = e->port;
		else if (pr < 6)
			q->port = 0;
		else if (pr < 8)
			q->port = common_ports[rnd_below(NCOMMON)];
		else if (pr < 9)
			q->port = (u16)(e->port + 1);
		else
			q->port = (u16)rnd();
	} else if (r < 80) {
		q->family = rnd_below(2) ? SG_AF_INET : SG_AF_INET6;
		rnd_in_region(q->family, q->addr);
		q->port = rnd_below(2) ? 0 : common_ports[rnd_below(NCOMMON)];
	} else if (r < 88) {
		q->family = rnd_below(2) ? SG_AF_INET : SG_AF_INET6;
		rnd_bytes(q->addr, 0, q->family == SG_AF_INET ? 4 : 16);
		q->port = (u16)rnd();
	} else if (r < 95) {
		/* The other family's bytes: must never cross-match. */
		const struct sg_prefix *e = &p[rnd_below(n)];

		q->family = e->family == SG_AF_INET ? SG_AF_INET6 : SG_AF_INET;
		memcpy(q->addr, e->addr, q->family == SG_AF_INET ? 4 : 16);
		q->port = e->port;
	} else {
		/* One bit flipped inside a random entry. */
		const struct sg_prefix *e = &p[rnd_below(n)];
		unsigned int bits = e->family == SG_AF_INET ? 32 : 128;
		unsigned int b = rnd_below(bits);

		q->family = e->family;
		memcpy(q->addr, e->addr, 16);
		q->addr[b / 8] ^= (u8)(0x80 >> (b % 8));
		q->port = e->port;
	}
}

/*
 * Many small allowlists over two 256-address domains, every address and
 * port checked against the linear scan: small sizes are where sorting and
 * merging go wrong.  The IPv6 domain straddles the 64-bit word boundary.
 */
#define NSMALL		600
static const u8 dom4[4] = { 192, 0, 2, 0 };
static const u8 dom6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
			     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80 };
static const u16 small_ports[] = { 0, 7, 8, 5060 };

static void dom_addr(u8 family, unsigned int k, u8 *a)
{
	unsigned int i;

	memset(a, 0, 16);
	if (family == SG_AF_INET) {
		memcpy(a, dom4, 4);
		a[3] = (u8)k;
		return;
	}
	memcpy(a, dom6, 16);
	for (i = 0; i < k; i++)
		addr_step(a, 16, +1);
}

static void test_small_exhaustive(void)
{
	unsigned long checks = 0, bad = 0;
	unsigned int it;

	for (it = 0; it < NSMALL; it++) {
		struct sg_prefix p[64];
		u32 n = 1 + rnd_below(64), i;
		struct sg_allowlist *al;
		unsigned int f, k, j;

		for (i = 0; i < n; i++) {
			u8 family = rnd_below(2) ? SG_AF_INET : SG_AF_INET6;
			unsigned int alen = family == SG_AF_INET ? 4 : 16;
			unsigned int plen = alen * 8 - rnd_below(8);

			memset(&p[i], 0, sizeof(p[i]));
			p[i].family = family;
			/* Now and then wider than the domain. */
			if (rnd_below(40) == 0)
				plen = rnd_below(alen * 8 - 7);
			p[i].plen = (u8)plen;
			p[i].port = small_ports[rnd_below(4)];
			dom_addr(family, rnd_below(256), p[i].addr);
			mask_addr(p[i].addr, alen, plen, false);
			if (i && rnd_below(8) == 0)
				p[i] = p[rnd_below(i)];
		}
		al = build(p, n);
		for (f = 0; f < 2; f++) {
			u8 family = f ? SG_AF_INET6 : SG_AF_INET;

			for (k = 0; k < 256; k++) {
				u8 a[16];

				dom_addr(family, k, a);
				for (j = 0; j < 5; j++) {
					u16 port = j < 4 ? small_ports[j] : 9;

					checks++;
					if (sg_allowlist_match(al, family, a, port) !=
					    ref_linear(p, n, family, a, port))
						bad++;
				}
			}
		}
		free(al);
	}
	tap_ok(bad == 0, "small: %u allowlists, %lu lookups agree with the "
	       "linear scan (%lu mismatches)", NSMALL, checks, bad);
}

/* unsigned long long: the default seed needs 48 bits, also on 32-bit. */
static unsigned long long env_ull(const char *name, unsigned long long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

#define NRAND		20000
#define LINEAR_EVERY	128

static void test_random(void)
{
	u64 seed = env_ull("SG_SEED", 0x5195a4d2019cULL);
	unsigned long nlook = (unsigned long)env_ull("SG_LOOKUPS", 1000000);
	struct sg_prefix *p = calloc(NRAND, sizeof(*p));
	struct sg_prefix *shuf = calloc(NRAND, sizeof(*p));
	struct sg_allowlist *al, *al2;
	unsigned long i, bad = 0, badlin = 0, badshuf = 0, nlin = 0;
	unsigned long hits = 0, hits_port = 0;
	struct ref_set rs;
	u32 j;

	if (!p || !shuf)
		abort();
	tap_diag("random: seed 0x%" PRIx64 " (set SG_SEED to repeat), "
		 "%u prefixes, %lu lookups", seed, NRAND, nlook);
	rng_state = seed;
	test_small_exhaustive();
	make_regions();
	gen_prefixes(p, NRAND);
	al = build(p, NRAND);
	tap_ok(al != NULL, "random: builds %u prefixes (%zu bytes)", NRAND,
	       sg_allowlist_size(p, NRAND));
	if (!al)
		goto out;
	tap_diag("random: v4 %u intervals in %u groups, v6 %u in %u",
		 sg_allowlist_count(al, 4), sg_allowlist_ports(al, 4),
		 sg_allowlist_count(al, 6), sg_allowlist_ports(al, 6));

	/* The same entries in another order must compile to the same set. */
	memcpy(shuf, p, NRAND * sizeof(*p));
	for (j = NRAND - 1; j > 0; j--) {
		u32 k = rnd_below(j + 1);
		struct sg_prefix t = shuf[j];

		shuf[j] = shuf[k];
		shuf[k] = t;
	}
	al2 = build(shuf, NRAND);
	tap_ok(al2 && sg_allowlist_count(al, 4) == sg_allowlist_count(al2, 4) &&
	       sg_allowlist_count(al, 6) == sg_allowlist_count(al2, 6),
	       "random: shuffled input gives the same interval counts");

	ref_init(&rs, p, NRAND);
	for (i = 0; i < nlook; i++) {
		struct query q;
		bool got, want;

		gen_query(p, NRAND, &q);
		got = sg_allowlist_match(al, q.family, q.addr, q.port);
		want = ref_exact(&rs, q.family, q.addr, q.port);
		if (got != want && bad++ < 5) {
			char s[INET6_ADDRSTRLEN];

			inet_ntop(q.family == SG_AF_INET ? AF_INET : AF_INET6,
				  q.addr, s, sizeof(s));
			tap_diag("mismatch: %s port %u: got %d, want %d", s,
				 q.port, got, want);
		}
		if (al2 && got != sg_allowlist_match(al2, q.family, q.addr,
						     q.port))
			badshuf++;
		if (i % LINEAR_EVERY == 0) {
			nlin++;
			if (want != ref_linear(p, NRAND, q.family, q.addr,
					       q.port))
				badlin++;
		}
		hits += want;
		if (want && !ref_exact(&rs, q.family, q.addr, 0))
			hits_port++;
	}
	tap_diag("random: %lu hits (%lu only through a port entry), %lu misses",
		 hits, hits_port, nlook - hits);
	tap_ok(bad == 0, "random: %lu lookups agree with the exact-match "
	       "reference (%lu mismatches)", nlook, bad);
	tap_ok(badlin == 0, "random: the two references agree on %lu lookups "
	       "(linear scan; %lu mismatches)", nlin, badlin);
	tap_ok(badshuf == 0, "random: shuffled build agrees (%lu mismatches)",
	       badshuf);
	tap_ok(hits > nlook / 10 && nlook - hits > nlook / 10 &&
	       hits_port > nlook / 100,
	       "random: the lookups exercise hits, port hits and misses");
	free(rs.slot);
	free(al2);
	free(al);
out:
	free(shuf);
	free(p);
}

/* ---------- prefix sets with expiry (the denylist) ---------- */

static struct sg_prefixset *ps_build(const struct sg_xprefix *e, u32 n, u64 now)
{
	size_t size = sg_prefixset_size(n);
	void *mem = malloc(size);

	if (!mem)
		abort();
	if (sg_prefixset_build(mem, size, e, n, now)) {
		free(mem);
		return NULL;
	}
	return mem;
}

static bool ps_ref(const struct sg_xprefix *e, u32 n, u8 family, const u8 *a, u64 now)
{
	for (u32 i = 0; i < n; i++)
		if (e[i].p.family == family && (!e[i].expires || e[i].expires > now) &&
		    prefix_contains(&e[i].p, a))
			return true;
	return false;
}

static bool ps_q(const struct sg_prefixset *s, const char *a, u64 now)
{
	struct sg_prefix q = P(a, 0, 0);

	return sg_prefixset_match(s, q.family, q.addr, now);
}

static void test_prefixset(void)
{
	struct sg_xprefix e[] = {
		{ P("192.0.2.0", 24, 0), 100 },		/* outer expires at 100 */
		{ P("192.0.2.128", 25, 0), 0 },		/* inner, permanent */
		{ P("192.0.2.64", 26, 0), 50 },		/* inner, expires earlier */
		{ P("198.51.100.7", 32, 0), 0 },
		{ P("2001:db8::", 32, 0), 30 },
		{ P("2001:db8:1::", 48, 0), 0 },
		{ P("192.0.2.0", 24, 0), 200 },		/* duplicate: later expiry wins */
	};
	struct sg_xprefix bad = { P("192.0.2.1", 24, 0), 0 };
	struct sg_xprefix port = { P("192.0.2.0", 24, 5060), 0 };
	struct sg_xprefix got;
	struct sg_prefixset *s = ps_build(e, 7, 10);
	size_t size = sg_prefixset_size(7);
	u8 *mem = malloc(size + 8);

	tap_ok(s != NULL, "prefixset: builds");
	tap_ok(sg_prefixset_count(s) == 6, "prefixset: a duplicate is one entry (%u)",
	       sg_prefixset_count(s));
	tap_ok(ps_q(s, "192.0.2.1", 150) && !ps_q(s, "192.0.2.1", 200),
	       "prefixset: the duplicate's later expiry counts, and ends at it");
	tap_ok(ps_q(s, "192.0.2.70", 150) && !ps_q(s, "192.0.2.70", 250),
	       "prefixset: an inner entry that expired is covered by its outer one until it expires");
	tap_ok(ps_q(s, "192.0.2.200", 1000000) && ps_q(s, "192.0.2.255", 1000000),
	       "prefixset: a permanent inner entry outlives its outer one");
	tap_ok(!ps_q(s, "192.0.2.127", 250) && !ps_q(s, "192.0.3.0", 0) &&
	       !ps_q(s, "192.0.1.255", 0), "prefixset: outside the entries");
	tap_ok(ps_q(s, "198.51.100.7", 5) && !ps_q(s, "198.51.100.8", 5) &&
	       !ps_q(s, "198.51.100.6", 5), "prefixset: host entry");
	tap_ok(ps_q(s, "2001:db8:5::1", 29) && !ps_q(s, "2001:db8:5::1", 30) &&
	       ps_q(s, "2001:db8:1::1", 30) && !ps_q(s, "2001:db9::", 0),
	       "prefixset: IPv6 nesting and expiry");
	tap_ok(sg_prefixset_next_expiry(s) == 30, "prefixset: next expiry %llu",
	       (unsigned long long)sg_prefixset_next_expiry(s));
	sg_prefixset_get(s, 0, &got);
	tap_ok(got.p.family == SG_AF_INET && got.p.plen == 24 && got.expires == 200 &&
	       !memcmp(got.p.addr, e[0].p.addr, 16), "prefixset: get returns the sorted first entry");
	sg_prefixset_get(s, 5, &got);
	tap_ok(got.p.family == SG_AF_INET6 && got.p.plen == 48 && got.expires == 0 &&
	       !memcmp(got.p.addr, e[5].p.addr, 16), "prefixset: get returns the last entry");
	free(s);
	s = ps_build(e, 7, 60);
	tap_ok(s && sg_prefixset_count(s) == 4, "prefixset: a build leaves out what expired (%u)",
	       sg_prefixset_count(s));
	free(s);
	tap_ok(ps_build(&bad, 1, 0) == NULL && ps_build(&port, 1, 0) == NULL,
	       "prefixset: host bits or a port are refused");
	tap_ok(sg_prefixset_build(mem, size - 1, e, 7, 0) == -ENOSPC &&
	       sg_prefixset_build(mem + 4, size, e, 7, 0) == -EINVAL,
	       "prefixset: short or misaligned buffer refused");
	tap_ok(!sg_prefixset_match(NULL, SG_AF_INET, e[0].p.addr, 0) &&
	       sg_prefixset_count(NULL) == 0, "prefixset: NULL is empty");
	s = ps_build(NULL, 0, 0);
	tap_ok(s && !ps_q(s, "192.0.2.1", 0) && !ps_q(s, "2001:db8::1", 0),
	       "prefixset: an empty set matches nothing");
	free(s);
	free(mem);
}

/* Random nested prefixes with random expiries against a linear scan. */
static void test_prefixset_random(void)
{
	enum { N = 3000, LOOK = 200000 };
	struct sg_xprefix *e = calloc(N, sizeof(*e));
	unsigned long bad = 0, hits = 0;
	struct sg_prefixset *s;
	u32 i;

	make_regions();
	for (i = 0; i < N; i++) {
		u8 family = rnd_below(2) ? SG_AF_INET : SG_AF_INET6;
		unsigned int alen = family == SG_AF_INET ? 4 : 16;
		unsigned int plen = rnd_plen(family, 0);

		e[i].p.family = family;
		e[i].p.plen = (u8)plen;
		rnd_in_region(family, e[i].p.addr);
		mask_addr(e[i].p.addr, alen, plen, false);
		e[i].expires = rnd_below(4) ? 1 + rnd_below(1000) : 0;
	}
	s = ps_build(e, N, 0);
	tap_ok(s != NULL, "prefixset random: builds %u entries", N);
	if (!s)
		return;
	for (i = 0; i < LOOK; i++) {
		u8 family = rnd_below(2) ? SG_AF_INET : SG_AF_INET6;
		u64 now = rnd_below(1100);
		u8 a[16];
		bool got, want;

		if (rnd_below(2)) {
			const struct sg_xprefix *x = &e[rnd_below(N)];

			family = x->p.family;
			memcpy(a, x->p.addr, 16);
			rnd_bytes(a, x->p.plen / 8 + 1, family == SG_AF_INET ? 4 : 16);
			mask_addr(a, family == SG_AF_INET ? 4 : 16, x->p.plen, rnd_below(2));
			if (rnd_below(4) == 0)
				addr_step(a, family == SG_AF_INET ? 4 : 16, rnd_below(2) ? 1 : -1);
		} else {
			rnd_in_region(family, a);
		}
		got = sg_prefixset_match(s, family, a, now);
		want = ps_ref(e, N, family, a, now);
		hits += want;
		if (got != want && bad++ < 5)
			tap_diag("prefixset mismatch at now %llu: got %d want %d",
				 (unsigned long long)now, got, want);
	}
	tap_ok(bad == 0 && hits > LOOK / 10 && hits < LOOK - LOOK / 10,
	       "prefixset random: %d lookups agree with a linear scan (%lu hits, %lu wrong)",
	       LOOK, hits, bad);
	free(s);
	free(e);
}

int main(void)
{
	tap_plan_start();
	test_empty();
	test_v4_boundaries();
	test_v4_zero_and_edges();
	test_v6();
	test_v6_zero_and_edges();
	test_ports();
	test_merge();
	test_merge_ports_apart();
	test_overlaps();
	test_check();
	test_build_errors();
	test_random();
	test_prefixset();
	test_prefixset_random();
	return tap_done();
}
