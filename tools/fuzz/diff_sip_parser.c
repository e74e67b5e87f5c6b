// SPDX-License-Identifier: GPL-2.0
/*
 * Differential fuzzing: the same bytes to sipguard's parser and to two real
 * SIP parsers, libosip2 and sofia-sip.  Where a real parser takes the bytes
 * as a request and sipguard parses them too (SIP_OK), sipguard must see the
 * same thing the policy acts on:
 *  - the method: the same token, and INVITE for sipguard whenever the real
 *    parser's token is "INVITE" in any case;
 *  - the Request-URI user, the To tag, the User-Agent (trimmed), present in
 *    both or neither, and equal.
 * A difference there traps (libFuzzer keeps the input).  Where a real parser
 * accepts a request and sipguard does not (not SIP, malformed, truncated),
 * sipguard fails closed: the message is dropped from untrusted sources.  That
 * is counted and printed at exit (SG_DIFF_VERBOSE=1 prints each), not
 * trapped: both real parsers accept much that RFC 3261 does not (osip takes
 * almost any first line), and a guard that "agrees" there would pass junk.
 *
 * Built with libFuzzer (fuzz target) or, with -DSG_DIFF_MAIN, as a runner
 * over files (the RFC 4475/5118 corpora and scanner probes as seeds).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff_stacks.h"
#include "sip_parser.h"

#define CHECK(x, what) do { if (!(x)) disagree(what, data, size); } while (0)

static unsigned long n_runs, n_osip_req, n_sofia_req, n_closed;

static const char *theirs;

static void disagree(const char *what, const uint8_t *data, size_t size)
{
	fprintf(stderr, "DISAGREE: %s (theirs: \"%s\")\n%.*s\n", what,
		theirs ? theirs : "(none)", (int)(size > 600 ? 600 : size),
		(const char *)data);
	__builtin_trap();
}

/* A C string (possibly NULL) against a sipguard field. */
static int same(const uint8_t *b, const struct sip_field *f, const char *s)
{
	if (!s || !*s)
		return !f->len;
	return f->len == strlen(s) && !memcmp(b + f->off, s, f->len);
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * @n bytes of @in with each %HH (two hex digits) decoded, anything else
 * as it is, up to a NUL (decoded or not): the one normal form both a raw
 * user and sofia-sip's (raw, escapes re-cased) reach.  @out holds n + 1.
 */
static void decode_strict(const uint8_t *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n && in[i]; i++) {
		int h, l;

		if (in[i] == '%' && i + 2 < n && (h = hexval(in[i + 1])) >= 0 &&
		    (l = hexval(in[i + 2])) >= 0) {
			out[o++] = (char)(h << 4 | l);
			i += 2;
		} else {
			out[o++] = (char)in[i];
		}
	}
	out[o] = 0;
}

/*
 * A URI user: sipguard keeps it raw, the real parsers hand it out in their
 * own ways (both are one user to a registrar, RFC 3261 19.1.4):
 *  - osip decoded, by its own __osip_uri_unescape() (which also takes one
 *    hex digit, and stops at a '%' it cannot read), cut at an escaped NUL:
 *    ours goes through that same function and must come out equal;
 *  - sofia-sip raw, with its escapes' hex in upper case: both sides
 *    decoded strictly must be equal.
 * Never decode twice what a parser decoded once: "%25=u" is "%=u" to osip,
 * and decoding that again compared strings neither side had.
 */
static int same_user(const char *who, const uint8_t *b, const struct sip_field *f,
		     const char *s)
{
	char ours[SIP_MAX_WINDOW + 1], theirs_dec[SIP_MAX_WINDOW + 1];
	size_t n = f->len < SIP_MAX_WINDOW ? f->len : SIP_MAX_WINDOW;

	if (!s)
		return !f->len;
	if (!strcmp(who, "osip")) {
		memcpy(ours, b + f->off, n);
		ours[n] = 0;
		diff_osip_unescape(ours);
		return !strcmp(ours, s);
	}
	if (!*s)
		return !f->len;
	decode_strict(b + f->off, n, ours);
	decode_strict((const uint8_t *)s, strnlen(s, SIP_MAX_WINDOW), theirs_dec);
	return !strcmp(ours, theirs_dec) || same(b, f, s);
}

/* Both sides with every run of SP, HT, CR, LF as one SP (folds unfolded). */
static size_t squeeze(const char *in, size_t n, char *out)
{
	size_t i, o = 0;
	int ws = 0;

	for (i = 0; i < n; i++) {
		char c = in[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			ws = 1;
			continue;
		}
		if (ws && o)
			out[o++] = ' ';
		ws = 0;
		out[o++] = c;
	}
	out[o] = 0;
	return o;
}

static int same_trimmed(const uint8_t *b, const struct sip_field *f, const char *s)
{
	static char x[SIP_MAX_WINDOW + 1], y[SIP_MAX_WINDOW + 1];

	if (s && f->len) {
		size_t nx = squeeze((const char *)b + f->off, f->len, x);
		size_t ny = squeeze(s, strlen(s), y);

		if (nx == ny && !memcmp(x, y, nx))
			return 1;
	}
	size_t n;

	if (!s)
		return !f->len;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		     s[n - 1] == '\n'))
		n--;
	if (!n)
		return !f->len;
	return f->len == n && !memcmp(b + f->off, s, n);
}

static void closed(const char *who, const struct sip_msg *m, const uint8_t *data,
		   size_t size)
{
	n_closed++;
	if (getenv("SG_DIFF_VERBOSE"))
		fprintf(stderr, "closed (%s accepts, sipguard: %s): %.*s\n", who,
			sip_error_str(m->error), (int)(size > 80 ? 80 : size), data);
}

static void compare(const char *who, const uint8_t *data, size_t size,
		    const struct sip_msg *m, enum sip_status st,
		    const struct diff_req *r)
{
	char what[64];

	if (st != SIP_OK || !m->is_request) {
		closed(who, m, data, size);
		return;
	}
	theirs = r->method;
	snprintf(what, sizeof(what), "%s: method token", who);
	CHECK(same(data, &m->method_tok, r->method), what);
	snprintf(what, sizeof(what), "%s: an INVITE sipguard does not call INVITE", who);
	CHECK(strcasecmp(r->method, "INVITE") || m->method == SIP_METHOD_INVITE, what);
	if (r->ruri_sip && (m->uri.scheme_id == SIP_SCHEME_SIP ||
			    m->uri.scheme_id == SIP_SCHEME_SIPS)) {
		snprintf(what, sizeof(what), "%s: Request-URI user", who);
		theirs = r->ruri_user;
		CHECK(same_user(who, data, &m->uri.user, r->ruri_user), what);
	}
	if (r->has_to && m->to.state == SIP_F_FOUND) {
		snprintf(what, sizeof(what), "%s: To tag", who);
		theirs = r->to_tag;
		CHECK(same(data, &m->to.tag, r->to_tag), what);
	}
	if (m->user_agent_state == SIP_F_FOUND) {
		snprintf(what, sizeof(what), "%s: User-Agent", who);
		theirs = r->ua;
		CHECK(r->has_ua && same_trimmed(data, &m->user_agent, r->ua), what);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void report(void)
{
	fprintf(stderr, "diff: %lu inputs, requests by osip %lu, by sofia-sip %lu, "
		"failed closed (accepted by a real parser, not by sipguard) %lu, "
		"disagreements 0\n", n_runs, n_osip_req, n_sofia_req, n_closed);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	diff_osip_init();
	atexit(report);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sip_msg m;
	enum sip_status st;
	struct diff_req r;

	if (size > 8192)
		return 0;
	n_runs++;
	st = sip_parse(data, size, &m);
	memset(&r, 0, sizeof(r));
	if (diff_osip(data, size, &r)) {
		n_osip_req++;
		compare("osip", data, size, &m, st, &r);
	}
	memset(&r, 0, sizeof(r));
	if (diff_sofia(data, size, &r)) {
		n_sofia_req++;
		compare("sofia-sip", data, size, &m, st, &r);
	}
	return 0;
}

#ifdef SG_DIFF_MAIN
int main(int argc, char **argv)
{
	static uint8_t buf[65536];
	int i;

	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	return 0;
}
#endif
