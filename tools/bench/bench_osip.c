// SPDX-License-Identifier: GPL-2.0 OR MIT
/* libosip2 side of the parser benchmark: full message parse, then free. */
#include <osipparser2/osip_parser.h>

#include "bench_stacks.h"

int osip_bench_init(void)
{
	return parser_init();
}

unsigned long osip_bench_parse(const uint8_t *buf, size_t len)
{
	osip_message_t *sip;
	unsigned long r;

	if (osip_message_init(&sip))
		return 0;
	r = osip_message_parse(sip, (const char *)buf, len) ? 1 : 2;
	if (sip->call_id && sip->call_id->number)
		r += sip->call_id->number[0];
	osip_message_free(sip);
	return r;
}
