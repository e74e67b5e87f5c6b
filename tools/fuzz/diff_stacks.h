/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a real SIP parser made of a request, in plain C strings, so that the
 * differential fuzzer's units never include two parsers' headers at once
 * (their names clash: SIP_OK, SIP_METHOD_INVITE ...).  NULL = absent.
 */
#ifndef _SG_DIFF_STACKS_H
#define _SG_DIFF_STACKS_H

#include <stddef.h>
#include <stdint.h>

struct diff_req {
	const char *method;
	const char *ruri_user;	/* sip:/sips: Request-URI only */
	int ruri_sip;
	int has_to;
	const char *to_tag;
	int has_ua;
	const char *ua;
};

void diff_osip_init(void);
/* 1 if libosip2 parses @data as a request, *r filled until the next call */
int diff_osip(const uint8_t *data, size_t size, struct diff_req *r);
/* libosip2's own unescaping of a URI user, in place (__osip_uri_unescape) */
void diff_osip_unescape(char *s);
int diff_sofia(const uint8_t *data, size_t size, struct diff_req *r);

#endif
