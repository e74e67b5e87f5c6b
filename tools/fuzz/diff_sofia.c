// SPDX-License-Identifier: GPL-2.0
/* sofia-sip side of the differential fuzzer. */
#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>

#include "diff_stacks.h"

static msg_t *last;

int diff_sofia(const uint8_t *data, size_t size, struct diff_req *r)
{
	sip_t *sip;

	if (last)
		msg_destroy(last);
	last = msg_make(sip_default_mclass(), 0, data, size);
	if (!last)
		return 0;
	sip = sip_object(last);
	if (!sip || !sip->sip_request || !sip->sip_request->rq_method_name ||
	    sip->sip_error || msg_has_error(last))
		return 0;
	r->method = sip->sip_request->rq_method_name;
	r->ruri_sip = (sip->sip_request->rq_url->url_type == url_sip ||
		       sip->sip_request->rq_url->url_type == url_sips);
	r->ruri_user = r->ruri_sip ? sip->sip_request->rq_url->url_user : NULL;
	r->has_to = sip->sip_to != NULL;
	r->to_tag = sip->sip_to ? sip->sip_to->a_tag : NULL;
	r->has_ua = sip->sip_user_agent != NULL;
	r->ua = sip->sip_user_agent ? sip->sip_user_agent->g_string : NULL;
	return 1;
}
