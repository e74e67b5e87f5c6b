// SPDX-License-Identifier: GPL-2.0 OR MIT
/* libre (baresip's stack) side of the parser benchmark. */
#include <re.h>

#include "bench_stacks.h"

void *re_bench_prepare(const uint8_t *buf, size_t len)
{
	struct mbuf *mb = mbuf_alloc(len);

	if (mb && mbuf_write_mem(mb, buf, len)) {
		mem_deref(mb);
		return NULL;
	}
	return mb;
}

unsigned long re_bench_parse(void *p)
{
	struct mbuf *mb = p;
	struct sip_msg *msg;
	unsigned long r;

	mb->pos = 0;
	if (sip_msg_decode(&msg, mb))
		return 1;
	r = 2 + msg->callid.l;
	mem_deref(msg);
	return r;
}
