// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Differential fuzzing of kmod/sip_parser.c against ref_sip_parser.c, the
 * parser before its rewrite for speed: the same bytes to both, and every
 * output must be the same, byte for byte.  Compared: sip_parse()'s status
 * and the whole struct sip_msg (both memset it first, so padding compares
 * too), sip_has_mandatory(), every value sip_contact_next() yields, and
 * the exported helpers on the same bytes (sip_header_id, sip_method_id on
 * each prefix of the first line's first token, sip_version_ends_line and
 * sip_ends_in_version_prefix at every offset of the first line, the field
 * comparisons on some reported fields).  The window is parsed whole and
 * cut at a few lengths, since a cut window is what TCP reassembly hands
 * over.  A difference traps: libFuzzer
 * keeps the input.
 *
 * Built with libFuzzer, or with -DSG_DIFF_MAIN as a runner over files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip_parser.h"

enum sip_status ref_sip_parse(const u8 *buf, u32 len, struct sip_msg *m);
enum sip_hdr ref_sip_header_id(const u8 *name, u32 len);
enum sip_method ref_sip_method_id(const u8 *tok, u32 len);
bool ref_sip_version_ends_line(const u8 *b, u32 len);
bool ref_sip_ends_in_version_prefix(const u8 *b, u32 len);
bool ref_sip_has_mandatory(const struct sip_msg *m);
bool ref_sip_field_eq_ci(const u8 *buf, const struct sip_field *f,
			 const char *s, u32 slen);
bool ref_sip_field_contains_ci(const u8 *buf, const struct sip_field *f,
			       const char *needle, u32 nlen);
bool ref_sip_contact_next(const u8 *buf, const struct sip_msg *m,
			  struct sip_contact_iter *it, struct sip_contact *c);

static const uint8_t *cur;
static size_t cur_size;

static void differ(const char *what, u32 len)
{
	fprintf(stderr, "DIFFER: %s (window %u of %zu bytes)\n%.*s\n", what,
		len, cur_size, (int)(cur_size > 600 ? 600 : cur_size),
		(const char *)cur);
	__builtin_trap();
}

#define SAME(x, what, len) do { if (!(x)) differ(what, len); } while (0)

static void contacts(const u8 *b, const struct sip_msg *m, u32 len)
{
	struct sip_contact_iter ia = {}, ib = {};
	struct sip_contact ca, cb;
	unsigned int n;
	bool ra, rb;

	for (n = 0; n < 1024; n++) {
		memset(&ca, 0xa5, sizeof(ca));
		memset(&cb, 0xa5, sizeof(cb));
		ra = sip_contact_next(b, m, &ia, &ca);
		rb = ref_sip_contact_next(b, m, &ib, &cb);
		SAME(ra == rb, "sip_contact_next result", len);
		SAME(!memcmp(&ia, &ib, sizeof(ia)), "sip_contact_next iterator", len);
		if (!ra)
			return;
		SAME(!memcmp(&ca, &cb, sizeof(ca)), "sip_contact_next value", len);
	}
}

static void fields(const u8 *b, const struct sip_field *f, u32 len)
{
	static const char *const lits[] = { "INVITE", "friendly-scanner",
					    "sip", "a", "" };
	unsigned int i;

	for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
		u32 n = (u32)strlen(lits[i]);

		SAME(sip_field_eq_ci(b, f, lits[i], n) ==
		     ref_sip_field_eq_ci(b, f, lits[i], n), "sip_field_eq_ci", len);
		SAME(sip_field_contains_ci(b, f, lits[i], n) ==
		     ref_sip_field_contains_ci(b, f, lits[i], n),
		     "sip_field_contains_ci", len);
	}
}

static void one(const u8 *b, u32 len)
{
	struct sip_msg ma, mb;
	enum sip_status sa, sb;

	memset(&ma, 0x5a, sizeof(ma));
	memset(&mb, 0x5a, sizeof(mb));
	sa = sip_parse(b, len, &ma);
	sb = ref_sip_parse(b, len, &mb);
	SAME(sa == sb, "sip_parse status", len);
	SAME(!memcmp(&ma, &mb, sizeof(ma)), "struct sip_msg", len);
	SAME(sip_has_mandatory(&ma) == ref_sip_has_mandatory(&mb),
	     "sip_has_mandatory", len);
	if (sa == SIP_OK)
		contacts(b, &ma, len);
	fields(b, &ma.user_agent, len);
	fields(b, &ma.method_tok, len);
	fields(b, &ma.to.tag, len);
}

/* The helpers on the first line's bytes. */
static void helpers(const u8 *b, u32 len)
{
	u32 i, n, eol;

	for (eol = 0; eol < len && b[eol] != '\n'; eol++)
		;
	for (n = 0; n <= eol && n < 32; n++) {
		SAME(sip_header_id(b, n) == ref_sip_header_id(b, n),
		     "sip_header_id", n);
		SAME(sip_method_id(b, n) == ref_sip_method_id(b, n),
		     "sip_method_id", n);
	}
	for (i = 0; i <= eol && i < len; i++) {
		SAME(sip_version_ends_line(b + i, len - i) ==
		     ref_sip_version_ends_line(b + i, len - i),
		     "sip_version_ends_line", i);
		SAME(sip_ends_in_version_prefix(b, i) ==
		     ref_sip_ends_in_version_prefix(b, i),
		     "sip_ends_in_version_prefix", i);
	}
}

static void check(const uint8_t *data, size_t size)
{
	u32 len = size > 0xffffffffU ? 0xffffffffU : (u32)size;
	u32 i;

	cur = data;
	cur_size = size;
	one(data, len);
	helpers(data, len);
	/*
	 * Cut windows (libFuzzer shortens inputs too, but rarely just so):
	 * halfway, and at, after and before the last line end.
	 */
	one(data, len / 2);
	for (i = len; i > 0 && data[i - 1] != '\n'; i--)
		;
	if (i) {
		one(data, i);
		one(data, i - 1);
		if (i > 1)
			one(data, i - 2);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size);
	return 0;
}

#ifdef SG_DIFF_MAIN
int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		static uint8_t buf[70000];
		size_t n;

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		/* its own heap block of exactly n bytes, as libFuzzer does */
		uint8_t *copy = malloc(n ? n : 1);

		memcpy(copy, buf, n);
		check(copy, n);
		free(copy);
	}
	printf("%d files: old and new parser agree on every output\n", argc - 1);
	return 0;
}
#endif
