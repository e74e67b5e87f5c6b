// SPDX-License-Identifier: GPL-2.0
/*
 * A provider's name to addresses, with libresolv: A and AAAA of the name,
 * and A and AAAA of the targets of its SIP SRV records.  Whole addresses,
 * any source port: a provider's servers send requests from other ports
 * than the one its SRV records name, and over TCP from ephemeral ones.
 *
 * res_nquery() rather than getaddrinfo(): it tells "this name has no such
 * record" (NXDOMAIN, NODATA) from "the lookup failed" (SERVFAIL, timeout),
 * and only the second must keep a name's old addresses.
 */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"

int dnsname_normalise(const char *in, char *out, char *why, size_t wl)
{
	size_t len = strlen(in), label = 0, i;
	int digits = 1;

	if (len && in[len - 1] == '.')
		len--;
	if (!len || len > SIPGUARD_NAME_MAXLEN) {
		snprintf(why, wl, "'%s' is not a DNS name: 1-%d characters", in, SIPGUARD_NAME_MAXLEN);
		return -1;
	}
	for (i = 0; i <= len; i++) {
		char c = i < len ? in[i] : '\0';

		if (!c || c == '.') {
			if (!label || label > 63) {
				snprintf(why, wl, "'%s' is not a DNS name: each label 1-63 characters", in);
				return -1;
			}
			if (in[i - 1] == '-' || in[i - label] == '-') {
				snprintf(why, wl, "'%s' is not a DNS name: a label cannot start or end with '-'", in);
				return -1;
			}
			out[i] = c;
			label = 0;
			digits = c ? 1 : digits;
			continue;
		}
		if (!isascii((unsigned char)c) || !(isalnum((unsigned char)c) || c == '-' || c == '_')) {
			snprintf(why, wl, "'%s' is not a DNS name: letters, digits, '-', '_' and '.' only", in);
			return -1;
		}
		digits &= !!isdigit((unsigned char)c);
		out[i] = (char)tolower((unsigned char)c);
		label++;
	}
	if (digits) {
		snprintf(why, wl, "'%s' is neither an address nor a DNS name", in);
		return -1;
	}
	return 0;
}

static int add_addr(struct resolved *r, int len, const unsigned char *addr,
		    char *why, size_t wl)
{
	struct prefix *p;

	for (unsigned int i = 0; i < r->n; i++)
		if (r->p[i].len == len && !memcmp(r->p[i].addr, addr, len))
			return 0;
	if (r->n == RESOLVE_MAX_ADDRS) {
		snprintf(why, wl, "more than %d addresses", RESOLVE_MAX_ADDRS);
		return -1;
	}
	p = &r->p[r->n++];
	memset(p, 0, sizeof(*p));
	p->len = len;
	p->plen = (uint8_t)(len * 8);
	memcpy(p->addr, addr, len);
	return 0;
}

int dns_answer_addrs(const unsigned char *msg, int len, struct resolved *r,
		     char *why, size_t wl)
{
	ns_msg m;
	ns_rr rr;

	if (ns_initparse(msg, len, &m) < 0)
		goto bad;
	for (int i = 0; i < ns_msg_count(m, ns_s_an); i++) {
		if (ns_parserr(&m, ns_s_an, i, &rr) < 0)
			goto bad;
		if (ns_rr_class(rr) != ns_c_in)
			continue;
		/* A CNAME chain comes with it: take the records at its end. */
		if ((ns_rr_type(rr) == ns_t_a && ns_rr_rdlen(rr) == 4) ||
		    (ns_rr_type(rr) == ns_t_aaaa && ns_rr_rdlen(rr) == 16)) {
			if (add_addr(r, ns_rr_rdlen(rr), ns_rr_rdata(rr), why, wl))
				return -1;
		} else if (ns_rr_type(rr) == ns_t_a || ns_rr_type(rr) == ns_t_aaaa) {
			goto bad;
		}
	}
	return 0;
bad:
	snprintf(why, wl, "a malformed DNS answer");
	return -1;
}

int dns_answer_srv(const unsigned char *msg, int len, char (*t)[RESOLVE_NAME_BYTES],
		   unsigned int *n, char *why, size_t wl)
{
	char name[RESOLVE_NAME_BYTES];
	unsigned int j;
	ns_msg m;
	ns_rr rr;

	if (ns_initparse(msg, len, &m) < 0)
		goto bad;
	for (int i = 0; i < ns_msg_count(m, ns_s_an); i++) {
		size_t nl;

		if (ns_parserr(&m, ns_s_an, i, &rr) < 0)
			goto bad;
		if (ns_rr_class(rr) != ns_c_in || ns_rr_type(rr) != ns_t_srv)
			continue;
		/* priority, weight, port: 2 bytes each; then the target */
		if (ns_rr_rdlen(rr) < 7 ||
		    ns_name_uncompress(ns_msg_base(m), ns_msg_end(m), ns_rr_rdata(rr) + 6,
				       name, sizeof(name)) < 0)
			goto bad;
		nl = strlen(name);
		if (nl && name[nl - 1] == '.')
			name[--nl] = '\0';
		if (!nl)
			continue;	/* "." : the service is not offered */
		for (size_t k = 0; k < nl; k++)
			name[k] = (char)tolower((unsigned char)name[k]);
		for (j = 0; j < *n && strcmp(t[j], name); j++)
			;
		if (j < *n)
			continue;
		if (*n == RESOLVE_MAX_TARGETS) {
			snprintf(why, wl, "more than %d SRV targets", RESOLVE_MAX_TARGETS);
			return -1;
		}
		memcpy(t[(*n)++], name, nl + 1);
	}
	return 0;
bad:
	snprintf(why, wl, "a malformed DNS answer");
	return -1;
}

/* What a failed res_nquery() means. */
enum { Q_ANSWER, Q_NONE, Q_NXDOMAIN };

static int query(res_state st, const char *name, int type, unsigned char *buf,
		 int *len, char *why, size_t wl)
{
	const char *tn = type == ns_t_a ? "A" : type == ns_t_aaaa ? "AAAA" : "SRV";

	*len = res_nquery(st, name, ns_c_in, type, buf, NS_MAXMSG);
	if (*len >= 0)
		return Q_ANSWER;
	switch (st->res_h_errno) {
	case HOST_NOT_FOUND:
		return Q_NXDOMAIN;
	case NO_DATA:
		return Q_NONE;
	case TRY_AGAIN:
		snprintf(why, wl, "%s %s: the DNS server failed (SERVFAIL) or did not answer", name, tn);
		return -1;
	default:
		snprintf(why, wl, "%s %s: no usable answer from the DNS server (refused?)", name, tn);
		return -1;
	}
}

static int cmp_prefix(const void *a, const void *b)
{
	const struct prefix *x = a, *y = b;

	return x->len != y->len ? x->len - y->len : memcmp(x->addr, y->addr, sizeof(x->addr));
}

/* A and AAAA of @name into @r; *nx set if the name does not exist. */
static int lookup_addrs(res_state st, const char *name, unsigned char *buf,
			struct resolved *r, int *nx, char *why, size_t wl)
{
	static const int types[] = { ns_t_a, ns_t_aaaa };
	char w[256];
	int len, q;

	for (int i = 0; i < 2; i++) {
		q = query(st, name, types[i], buf, &len, why, wl);
		if (q < 0)
			return -1;
		if (q == Q_NXDOMAIN && nx)
			*nx = 1;
		if (q == Q_ANSWER && dns_answer_addrs(buf, len, r, w, sizeof(w))) {
			snprintf(why, wl, "%s: %s", name, w);
			return -1;
		}
	}
	return 0;
}

int resolve_name(const char *name, struct resolved *r, char *why, size_t wl)
{
	static const char *const srv[] = { "_sip._udp", "_sip._tcp", "_sips._tcp" };
	char (*t)[RESOLVE_NAME_BYTES] = NULL, q[SIPGUARD_NAME_MAXLEN + 16], w[256];
	struct __res_state st;
	unsigned char *buf = NULL;
	unsigned int nt = 0;
	int ret = -1, nx = 0, len, rc;

	r->n = 0;
	memset(&st, 0, sizeof(st));
	if (res_ninit(&st) < 0) {
		snprintf(why, wl, "cannot read the resolver configuration");
		return -1;
	}
	buf = malloc(NS_MAXMSG);
	t = calloc(RESOLVE_MAX_TARGETS, sizeof(*t));
	if (!buf || !t) {
		snprintf(why, wl, "%s", strerror(ENOMEM));
		goto out;
	}
	if (lookup_addrs(&st, name, buf, r, &nx, why, wl))
		goto out;
	for (size_t i = 0; i < sizeof(srv) / sizeof(srv[0]); i++) {
		snprintf(q, sizeof(q), "%s.%s", srv[i], name);
		rc = query(&st, q, ns_t_srv, buf, &len, why, wl);
		if (rc < 0)
			goto out;
		if (rc == Q_ANSWER && dns_answer_srv(buf, len, t, &nt, w, sizeof(w))) {
			snprintf(why, wl, "%s SRV: %s", q, w);
			goto out;
		}
	}
	for (unsigned int i = 0; i < nt; i++)
		if (lookup_addrs(&st, t[i], buf, r, NULL, why, wl))
			goto out;
	if (!r->n) {
		if (nx && !nt)
			snprintf(why, wl, "%s does not exist (NXDOMAIN)", name);
		else
			snprintf(why, wl, "%s has no address (A, AAAA, or SIP SRV targets with one)", name);
		goto out;
	}
	qsort(r->p, r->n, sizeof(r->p[0]), cmp_prefix);
	ret = 0;
out:
	free(t);
	free(buf);
	res_nclose(&st);
	return ret;
}
