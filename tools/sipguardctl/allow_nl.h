/* SPDX-License-Identifier: GPL-2.0 */
/* One allowlist entry (SIPGUARD_A_PREFIX nest) on the wire. */
#ifndef SIPGUARDCTL_ALLOW_NL_H
#define SIPGUARDCTL_ALLOW_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "prefix.h"

struct allow_wire {
	struct prefix p;	/* p.name points into the message */
	bool learned;		/* learned from a REGISTER, for @left seconds */
	bool provisional;	/* learned, the 2xx not seen yet */
	uint32_t left;
};
void allow_nl_put(struct nlmsghdr *nlh, const struct prefix *p);
/* false when the entry carries no usable address */
bool allow_nl_parse(const struct nlattr *nest, struct allow_wire *e);

#endif
