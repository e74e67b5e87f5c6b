// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for tools/sipguardctl/resolve.c without a DNS server: name
 * normalisation, and the A/AAAA and SRV answers of hand-built DNS messages
 * (compression pointers, CNAME chains, "." targets, duplicates, limits,
 * truncated and malformed records).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "resolve.h"

/* A DNS message under construction. */
struct msg {
	unsigned char b[4096];
	int len;
	int an;
};

static void put(struct msg *m, const void *p, int n)
{
	if (m->len + n > (int)sizeof(m->b))
		abort();
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void put16(struct msg *m, unsigned int v)
{
	unsigned char x[2] = { (unsigned char)(v >> 8), (unsigned char)v };

	put(m, x, 2);
}

/* "a.b.c" as labels, ending in the root (or in a pointer to @ptr > 0). */
static void put_name(struct msg *m, const char *s, int ptr)
{
	while (*s) {
		size_t l = strcspn(s, ".");
		unsigned char c = (unsigned char)l;

		put(m, &c, 1);
		put(m, s, (int)l);
		s += l;
		if (*s)
			s++;
	}
	if (ptr) {
		put16(m, 0xc000 | (unsigned int)ptr);
	} else {
		unsigned char z = 0;

		put(m, &z, 1);
	}
}

/* Header and one question for @qname (at offset 12). */
static void start(struct msg *m, const char *qname, unsigned int qtype)
{
	memset(m, 0, sizeof(*m));
	put16(m, 0x1234);
	put16(m, 0x8180);	/* response, RD, RA, NOERROR */
	put16(m, 1);
	put16(m, 0);		/* answers: patched by finish() */
	put16(m, 0);
	put16(m, 0);
	put_name(m, qname, 0);
	put16(m, qtype);
	put16(m, 1);
}

static void rr_head(struct msg *m, const char *owner, unsigned int type, unsigned int rdlen)
{
	if (owner)
		put_name(m, owner, 0);
	else
		put16(m, 0xc00c);	/* the question's name */
	put16(m, type);
	put16(m, 1);
	put16(m, 0);
	put16(m, 300);
	put16(m, rdlen);
	m->an++;
}

static void rr_a(struct msg *m, const char *owner, const char *addr)
{
	unsigned char a[16];
	int v6 = strchr(addr, ':') != NULL;

	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, a) != 1)
		abort();
	rr_head(m, owner, v6 ? 28 : 1, v6 ? 16 : 4);
	put(m, a, v6 ? 16 : 4);
}

/* SRV to @target, its last label a pointer to @ptr if > 0. */
static void rr_srv(struct msg *m, const char *target, int ptr)
{
	struct msg t = { 0 };

	put_name(&t, target, ptr);
	rr_head(m, NULL, 33, 6 + t.len);
	put16(m, 10);
	put16(m, 50);
	put16(m, 5060);
	put(m, t.b, t.len);
}

static void finish(struct msg *m)
{
	m->b[6] = (unsigned char)(m->an >> 8);
	m->b[7] = (unsigned char)m->an;
}

static char why[512];

static int addrs(struct msg *m, struct resolved *r)
{
	finish(m);
	return dns_answer_addrs(m->b, m->len, r, why, sizeof(why));
}

static const char *fmt(const struct prefix *p)
{
	static char buf[64];

	prefix_format(p, buf, sizeof(buf));
	return buf;
}

/* prefix.c is not linked in: a copy of what it prints. */
void prefix_format(const struct prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(p->len == 4 ? AF_INET : AF_INET6, p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->plen);
}

static void test_names(void)
{
	static const struct { const char *in, *out; } good[] = {
		{ "sip.provider.example", "sip.provider.example" },
		{ "SIP.Provider.Example.", "sip.provider.example" },
		{ "a-b_c.example", "a-b_c.example" },
		{ "x", "x" },
		{ "1.2.3.example", "1.2.3.example" },
	};
	static const char *const bad[] = {
		"", ".", "a..b", ".a", "a.b..", "-a.example", "a-.example",
		"a b.example", "a!.example", "1.2.3.4", "example.123", "é.example",
	};
	char out[SIPGUARD_NAME_MAXLEN + 1], big[400];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int ret = dnsname_normalise(good[i].in, out, why, sizeof(why));

		tap_ok(!ret && !strcmp(out, good[i].out), "name '%s' is '%s' (%s)", good[i].in,
		       good[i].out, ret ? why : out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_ok(dnsname_normalise(bad[i], out, why, sizeof(why)) == -1 && why[0],
		       "name '%s' refused: %s", bad[i], why);

	/* 63-character labels pass, 64 do not; 253 characters pass, 254 do not. */
	memset(big, 'a', 63);
	strcpy(big + 63, ".example");
	tap_ok(!dnsname_normalise(big, out, why, sizeof(why)), "a 63-character label");
	memset(big, 'a', 64);
	strcpy(big + 64, ".example");
	tap_ok(dnsname_normalise(big, out, why, sizeof(why)) == -1, "a 64-character label refused");
	for (int i = 0; i < 4; i++) {
		memset(big + i * 62, 'a', 61);
		big[i * 62 + 61] = '.';
	}
	big[248] = 'x';
	big[249] = 'y';
	big[250] = 'z';
	big[251] = 'w';
	big[252] = 'v';
	big[253] = '\0';
	tap_ok(strlen(big) == 253 && !dnsname_normalise(big, out, why, sizeof(why)),
	       "a 253-character name (%s)", why);
	strcat(big, "u");
	tap_ok(dnsname_normalise(big, out, why, sizeof(why)) == -1, "a 254-character name refused");
	strcpy(big + 253, ".");
	tap_ok(!dnsname_normalise(big, out, why, sizeof(why)) && strlen(out) == 253,
	       "253 characters and a trailing dot");
}

static void test_addrs(void)
{
	struct resolved r = { 0 };
	struct msg m;
	int ret;

	start(&m, "sip.provider.example", 1);
	rr_a(&m, NULL, "198.51.100.10");
	rr_a(&m, NULL, "198.51.100.11");
	rr_a(&m, NULL, "198.51.100.10");
	ret = addrs(&m, &r);
	tap_ok(!ret && r.n == 2, "two A records, one of them twice: two addresses (%u)", r.n);
	tap_ok(r.n == 2 && !strcmp(fmt(&r.p[0]), "198.51.100.10/32") && r.p[0].port == 0 &&
	       !r.p[0].name, "whole addresses, any port, no name (%s)", fmt(&r.p[0]));

	start(&m, "sip.provider.example", 28);
	rr_a(&m, NULL, "2001:db8:10::10");
	rr_a(&m, NULL, "198.51.100.11");	/* already there */
	ret = addrs(&m, &r);
	tap_ok(!ret && r.n == 3 && !strcmp(fmt(&r.p[2]), "2001:db8:10::10/128"),
	       "AAAA added as /128, duplicates across answers dropped (%u)", r.n);

	/* A CNAME chain: the CNAME is skipped, the A at its end taken. */
	start(&m, "alias.provider.example", 1);
	rr_head(&m, NULL, 5, 0);
	m.len -= 2;
	put16(&m, 22);
	put_name(&m, "sip.provider.example", 0);
	rr_a(&m, "sip.provider.example", "198.51.100.12");
	r.n = 0;
	ret = addrs(&m, &r);
	tap_ok(!ret && r.n == 1 && !strcmp(fmt(&r.p[0]), "198.51.100.12/32"),
	       "CNAME then A: the A (%s)", ret ? why : fmt(&r.p[0]));

	/* An A record of 5 bytes is malformed, not cut short. */
	start(&m, "sip.provider.example", 1);
	rr_head(&m, NULL, 1, 5);
	put(&m, "\xc6\x33\x64\x0a\x00", 5);
	r.n = 0;
	tap_ok(addrs(&m, &r) == -1 && strstr(why, "malformed"), "an A record of 5 bytes: %s", why);

	/* Truncated: the answer count says 1, the bytes end early. */
	start(&m, "sip.provider.example", 1);
	rr_a(&m, NULL, "198.51.100.10");
	m.len -= 3;
	r.n = 0;
	tap_ok(addrs(&m, &r) == -1, "a truncated answer is refused: %s", why);
	tap_ok(dns_answer_addrs(m.b, 5, &r, why, sizeof(why)) == -1, "5 bytes are no DNS message");

	/* At most RESOLVE_MAX_ADDRS addresses: the next one is an error. */
	start(&m, "big.provider.example", 1);
	for (int i = 0; i <= RESOLVE_MAX_ADDRS; i++) {
		char a[32];

		snprintf(a, sizeof(a), "198.51.100.%d", i + 1);
		rr_a(&m, NULL, a);
	}
	r.n = 0;
	ret = addrs(&m, &r);
	tap_ok(ret == -1 && r.n == RESOLVE_MAX_ADDRS && strstr(why, "more than 64"),
	       "%d addresses: refused (%s)", RESOLVE_MAX_ADDRS + 1, why);
}

static void test_srv(void)
{
	char (*t)[RESOLVE_NAME_BYTES] = calloc(RESOLVE_MAX_TARGETS, sizeof(*t));
	unsigned int n = 0;
	struct msg m;
	int ret;

	if (!t)
		abort();
	start(&m, "_sip._udp.sip.provider.example", 33);
	/* "sip1" + a pointer to "provider.example" inside the question */
	rr_srv(&m, "SIP1", 12 + 1 + 4 + 1 + 4 + 1 + 3);
	rr_srv(&m, "sip2.provider.example", 0);
	rr_srv(&m, "", 0);			/* "." : no service */
	rr_srv(&m, "sip1.provider.example", 0);	/* again */
	rr_a(&m, "sip2.provider.example", "198.51.100.12");	/* not SRV: skipped */
	finish(&m);
	ret = dns_answer_srv(m.b, m.len, t, &n, why, sizeof(why));
	tap_ok(!ret && n == 2, "SRV targets: two, '.' and a duplicate left out (%u%s%s)", n,
	       ret ? ": " : "", ret ? why : "");
	tap_ok(n == 2 && !strcmp(t[0], "sip1.provider.example"),
	       "a compressed target, in lower case (%s)", t[0]);
	tap_ok(n == 2 && !strcmp(t[1], "sip2.provider.example"), "a plain target (%s)", t[1]);

	/* A second answer adds only what is new. */
	start(&m, "_sips._tcp.sip.provider.example", 33);
	rr_srv(&m, "sip2.provider.example", 0);
	rr_srv(&m, "sip3.provider.example", 0);
	finish(&m);
	ret = dns_answer_srv(m.b, m.len, t, &n, why, sizeof(why));
	tap_ok(!ret && n == 3 && !strcmp(t[2], "sip3.provider.example"),
	       "targets accumulate across answers (%u)", n);

	/* An SRV record too short for its fixed part. */
	start(&m, "_sip._tcp.sip.provider.example", 33);
	rr_head(&m, NULL, 33, 4);
	put(&m, "\0\1\0\1", 4);
	finish(&m);
	tap_ok(dns_answer_srv(m.b, m.len, t, &n, why, sizeof(why)) == -1,
	       "an SRV record of 4 bytes is refused: %s", why);

	/* A target whose pointer points past the message. */
	start(&m, "_sip._tcp.sip.provider.example", 33);
	rr_srv(&m, "x", 4000);
	finish(&m);
	tap_ok(dns_answer_srv(m.b, m.len, t, &n, why, sizeof(why)) == -1,
	       "a target pointing past the message is refused: %s", why);

	/* At most RESOLVE_MAX_TARGETS targets. */
	start(&m, "_sip._udp.many.provider.example", 33);
	for (int i = 0; i < RESOLVE_MAX_TARGETS; i++) {
		char name[64];

		snprintf(name, sizeof(name), "s%d.provider.example", i);
		rr_srv(&m, name, 0);
	}
	finish(&m);
	ret = dns_answer_srv(m.b, m.len, t, &n, why, sizeof(why));
	tap_ok(ret == -1 && n == RESOLVE_MAX_TARGETS && strstr(why, "SRV targets"),
	       "more than %d targets: refused (%s)", RESOLVE_MAX_TARGETS, why);
	free(t);
}

int main(void)
{
	tap_plan_start();
	test_names();
	test_addrs();
	test_srv();
	return tap_done();
}
