// SPDX-License-Identifier: GPL-2.0
/*
 * One allowlist entry on the wire (a SIPGUARD_A_PREFIX nest), both ways:
 * `allow` and `setconf` build them, `allow list` and `showconf` read a dump
 * of them.  One place, so the two commands cannot disagree on the format.
 */
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/sipguard.h>

#include "allow_nl.h"
#include "prefix.h"

void allow_nl_put(struct nlmsghdr *nlh, const struct prefix *p)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, SIPGUARD_A_PREFIX);

	mnl_attr_put(nlh, SIPGUARD_PREFIX_A_ADDR, p->len, p->addr);
	mnl_attr_put_u8(nlh, SIPGUARD_PREFIX_A_PLEN, p->plen);
	if (p->port)
		mnl_attr_put_u16(nlh, SIPGUARD_PREFIX_A_PORT, p->port);
	if (p->name)
		mnl_attr_put_strz(nlh, SIPGUARD_PREFIX_A_NAME, p->name);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * Attributes of a wrong size or type are ignored rather than trusted: a
 * newer kernel may add some, and an entry without a usable address is
 * reported as such (false) for the caller to skip or refuse.
 */
bool allow_nl_parse(const struct nlattr *nest, struct allow_wire *e)
{
	const struct nlattr *a;

	memset(e, 0, sizeof(*e));
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case SIPGUARD_PREFIX_A_ADDR:
			if (mnl_attr_get_payload_len(a) == 4 || mnl_attr_get_payload_len(a) == 16) {
				e->p.len = (int)mnl_attr_get_payload_len(a);
				memcpy(e->p.addr, mnl_attr_get_payload(a), e->p.len);
			}
			break;
		case SIPGUARD_PREFIX_A_PLEN:
			if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
				e->p.plen = mnl_attr_get_u8(a);
			break;
		case SIPGUARD_PREFIX_A_PORT:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				e->p.port = mnl_attr_get_u16(a);
			break;
		case SIPGUARD_PREFIX_A_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				e->p.name = (char *)mnl_attr_get_str(a);
			break;
		case SIPGUARD_PREFIX_A_LEARNED:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
				e->learned = true;
				e->left = mnl_attr_get_u32(a);
			}
			break;
		case SIPGUARD_PREFIX_A_PROVISIONAL:
			e->provisional = true;
			break;
		}
	}
	return e->p.len != 0;
}
