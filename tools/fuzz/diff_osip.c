// SPDX-License-Identifier: GPL-2.0
/* libosip2 side of the differential fuzzer. */
#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>
#include <osipparser2/osip_uri.h>
#include <stdio.h>

#include "diff_stacks.h"

static osip_message_t *last;

void diff_osip_init(void)
{
	int level;

	/* osip logs every parse error; the fuzzer makes millions */
	osip_trace_initialize(TRACE_LEVEL0, fopen("/dev/null", "w"));
	for (level = 0; level < END_TRACE_LEVEL; level++)
		osip_trace_disable_level(level);
	parser_init();
}

int diff_osip(const uint8_t *data, size_t size, struct diff_req *r)
{
	osip_generic_param_t *tag = NULL;
	osip_header_t *ua = NULL;

	if (last)
		osip_message_free(last);
	last = NULL;
	if (osip_message_init(&last))
		return 0;
	if (osip_message_parse(last, (const char *)data, size) || !MSG_IS_REQUEST(last) ||
	    !last->sip_method || !last->req_uri)
		return 0;
	r->method = last->sip_method;
	r->ruri_sip = last->req_uri->scheme &&
		      (!osip_strcasecmp(last->req_uri->scheme, "sip") ||
		       !osip_strcasecmp(last->req_uri->scheme, "sips"));
	r->ruri_user = last->req_uri->username;
	r->has_to = last->to != NULL;
	if (last->to)
		osip_to_get_tag(last->to, &tag);
	r->to_tag = tag ? tag->gvalue : NULL;
	osip_message_get_user_agent(last, 0, &ua);
	r->has_ua = ua != NULL;
	r->ua = ua ? ua->hvalue : NULL;
	return 1;
}

void diff_osip_unescape(char *s)
{
	__osip_uri_unescape(s);
}
