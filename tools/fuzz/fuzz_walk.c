// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for kmod/walk.c, the L3/L4 walk.  The first byte picks
 * the family, skb or raw frame, and where an skb's linear head ends; the
 * rest is the packet.  Checked: every offset stays inside the packet (the
 * datagram, for a frame), and an skb walks alike however it is split
 * between head and copied rest (ASan sees a read past the head).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist.h"
#include "walk.h"

struct sk_buff {
	const u8 *all;
	unsigned int len;
};

int sg_bytes_copy(const struct sk_buff *skb, unsigned int off, void *buf,
		  unsigned int len)
{
	if (off > skb->len || len > skb->len - off)
		abort();	/* the walk checks its bounds first */
	memcpy(buf, skb->all + off, len);
	return 0;
}

static void check(const struct sg_walk *w, enum sg_walk_end end, unsigned int len)
{
	if (end > SG_WALK_BAD_IP)
		abort();
	if (end <= SG_WALK_BAD_CHAIN && !w->saddr)
		abort();
	if (end <= SG_WALK_BAD_TRANSPORT && (w->l4proto != 6 && w->l4proto != 17))
		abort();
	if (end == SG_WALK_TRANSPORT &&
	    (w->payoff < w->thoff + 8 || w->payoff > len || w->paylen > len - w->payoff))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_walk a, b;
	enum sg_walk_end ea, eb;
	struct sk_buff skb;
	struct sg_bytes by;
	unsigned int len, head;
	u8 family, sel, *h;

	if (size < 1 || size > 65536)
		return 0;
	sel = data[0];
	data++;
	len = size - 1;
	family = sel & 1 ? SG_AF_INET6 : SG_AF_INET;
	skb.all = data;
	skb.len = len;

	if (sel & 2) {
		by = (struct sg_bytes){ data, len, len, NULL };
		check(&a, sg_walk(&a, &by, 0, family), len);
		return 0;
	}
	by = (struct sg_bytes){ data, len, len, &skb };
	ea = sg_walk(&a, &by, 0, family);
	check(&a, ea, len);

	head = len ? (sel >> 2) * len / 63 : 0;
	h = malloc(head ?: 1);
	memcpy(h, data, head);
	by.data = h;
	by.headlen = head;
	eb = sg_walk(&b, &by, 0, family);
	if (eb != ea || a.l4proto != b.l4proto || a.frag != b.frag || a.ext != b.ext ||
	    a.syn != b.syn || a.sport != b.sport || a.dport != b.dport ||
	    a.thoff != b.thoff || a.payoff != b.payoff || a.paylen != b.paylen ||
	    !a.saddr != !b.saddr ||
	    (a.saddr && memcmp(a.saddr, b.saddr, family == SG_AF_INET ? 8 : 32)))
		abort();
	free(h);
	return 0;
}
