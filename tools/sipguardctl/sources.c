// SPDX-License-Identifier: GPL-2.0
/*
 * `sipguardctl sources [banned]`, `sipguardctl ban ADDR [SECONDS]` and
 * `sipguardctl unban ADDR|all`: the open
 * policy's table of untrusted sources.  Text is one line per source under a
 * header whose column names are the JSON keys.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include <linux/sipguard.h>

#include "ctl.h"
#include "genl.h"
#include "prefix.h"
#include "print.h"
#include "sources.h"

struct src_row {
	struct prefix p;
	uint64_t packets, drops;
	uint32_t tokens, ban_ms, idle_ms, failures, bans;
};

struct src_list {
	unsigned int n;
	bool count_only;	/* count_sources(): no rows printed */
};

static void print_row(const struct src_row *r)
{
	char buf[64];

	prefix_format(&r->p, buf, sizeof(buf));
	if (print_json) {
		print_obj_open(NULL);
		print_str("source", buf);
		print_u64("packets", r->packets);
		print_u64("drops", r->drops);
		print_u64("tokens", r->tokens);
		print_u64("ban_left_ms", r->ban_ms);
		print_u64("idle_ms", r->idle_ms);
		print_u64("failures", r->failures);
		print_u64("bans", r->bans);
		print_obj_close();
	} else {
		printf("%-44s %12llu %12llu %8u %12u %10u %8u %6u\n", buf,
		       (unsigned long long)r->packets, (unsigned long long)r->drops,
		       r->tokens, r->ban_ms, r->idle_ms, r->failures, r->bans);
	}
}

static int cb_source(const struct nlmsghdr *nlh, void *data)
{
	struct src_list *l = data;
	const struct nlattr *attr, *a;
	struct src_row r;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != SIPGUARD_A_SOURCE)
			continue;
		memset(&r, 0, sizeof(r));
		mnl_attr_for_each_nested(a, attr) {
			switch (mnl_attr_get_type(a)) {
			case SIPGUARD_SOURCE_A_ADDR:
				if (mnl_attr_get_payload_len(a) == 4 || mnl_attr_get_payload_len(a) == 16) {
					r.p.len = (int)mnl_attr_get_payload_len(a);
					memcpy(r.p.addr, mnl_attr_get_payload(a), r.p.len);
				}
				break;
			case SIPGUARD_SOURCE_A_PLEN:
				if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
					r.p.plen = mnl_attr_get_u8(a);
				break;
			case SIPGUARD_SOURCE_A_PACKETS:
				if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
					r.packets = mnl_attr_get_u64(a);
				break;
			case SIPGUARD_SOURCE_A_DROPS:
				if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
					r.drops = mnl_attr_get_u64(a);
				break;
			case SIPGUARD_SOURCE_A_TOKENS:
				if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
					r.tokens = mnl_attr_get_u32(a);
				break;
			case SIPGUARD_SOURCE_A_BAN_MS:
				if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
					r.ban_ms = mnl_attr_get_u32(a);
				break;
			case SIPGUARD_SOURCE_A_IDLE_MS:
				if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
					r.idle_ms = mnl_attr_get_u32(a);
				break;
			case SIPGUARD_SOURCE_A_FAILURES:
				if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
					r.failures = mnl_attr_get_u32(a);
				break;
			case SIPGUARD_SOURCE_A_BANS:
				if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
					r.bans = mnl_attr_get_u32(a);
				break;
			}
		}
		if (!r.p.len)
			continue;
		l->n++;
		if (!l->count_only)
			print_row(&r);
	}
	return MNL_CB_OK;
}

int count_sources(struct sg_nl *nl, bool banned_only, unsigned int *n)
{
	struct src_list l = { .count_only = true };
	struct nlmsghdr *nlh = sg_nl_new(nl, SIPGUARD_CMD_SOURCES_GET, NLM_F_DUMP);
	int ret;

	if (banned_only)
		mnl_attr_put_u32(nlh, SIPGUARD_A_FLAGS, SIPGUARD_F_BANNED_ONLY);
	ret = sg_nl_talk(nl, nlh, cb_source, &l);
	*n = l.n;
	return ret;
}

int cmd_sources(struct sg_nl *nl, int argc, char **argv)
{
	struct src_list l = { 0 };
	struct nlmsghdr *nlh;
	bool banned = false;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "banned"))
			banned = true;
		else if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			print_json = true;
		else
			return usage_error(NULL, "unknown argument '%s' (sources [banned])", argv[i]);
	}
	ret = ctl_connect(nl);
	if (ret)
		return ret;
	nlh = sg_nl_new(nl, SIPGUARD_CMD_SOURCES_GET, NLM_F_DUMP);
	if (banned)
		mnl_attr_put_u32(nlh, SIPGUARD_A_FLAGS, SIPGUARD_F_BANNED_ONLY);
	if (print_json) {
		print_open();
		print_arr_open("sources");
	} else {
		printf("%-44s %12s %12s %8s %12s %10s %8s %6s\n", "source", "packets", "drops",
		       "tokens", "ban_left_ms", "idle_ms", "failures", "bans");
	}
	ret = sg_nl_talk(nl, nlh, cb_source, &l);
	if (print_json) {
		print_arr_close();
		print_close();
	}
	if (ret == -EINTR)
		fprintf(stderr, "sipguardctl: the table changed during the listing; it may be incomplete\n");
	return ret && ret != -EINTR ? report("listing the sources", ret, nl) : EXIT_OK;
}

int cmd_unban(struct sg_nl *nl, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct prefix p;
	char why[256];
	int ret;

	if (argc != 2)
		return usage_error(NULL, "unban needs one address, or all");
	if (strcmp(argv[1], "all") && prefix_parse(argv[1], &p, why, sizeof(why)))
		return usage_error(NULL, "%s", why);
	ret = ctl_connect(nl);
	if (ret)
		return ret;
	nlh = sg_nl_new(nl, SIPGUARD_CMD_UNBAN, 0);
	if (!strcmp(argv[1], "all"))
		mnl_attr_put_u32(nlh, SIPGUARD_A_FLAGS, SIPGUARD_F_EVERY_SOURCE);
	else
		mnl_attr_put(nlh, SIPGUARD_A_ADDR, p.len, p.addr);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	if (ret) {
		snprintf(why, sizeof(why), "unbanning %s", argv[1]);
		return report(why, ret, nl);
	}
	return EXIT_OK;
}

int cmd_ban(struct sg_nl *nl, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	unsigned long secs = 0;
	struct prefix p;
	char why[256], *end;
	int ret;

	if (argc != 2 && argc != 3)
		return usage_error(NULL, "ban needs one address, and may take SECONDS");
	if (prefix_parse(argv[1], &p, why, sizeof(why)))
		return usage_error(NULL, "%s", why);
	if (argc == 3) {
		errno = 0;
		secs = strtoul(argv[2], &end, 10);
		if (argv[2][0] < '0' || argv[2][0] > '9' || *end || errno ||
		    secs < 1 || secs > SIPGUARD_MAX_BAN)
			return usage_error(NULL, "ban SECONDS must be 1-%u, not '%s'",
					   SIPGUARD_MAX_BAN, argv[2]);
	}
	ret = ctl_connect(nl);
	if (ret)
		return ret;
	nlh = sg_nl_new(nl, SIPGUARD_CMD_BAN, 0);
	mnl_attr_put(nlh, SIPGUARD_A_ADDR, p.len, p.addr);
	if (secs)
		mnl_attr_put_u32(nlh, SIPGUARD_A_BAN, (uint32_t)secs);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	if (ret) {
		snprintf(why, sizeof(why), "banning %s", argv[1]);
		return report(why, ret, nl);
	}
	return EXIT_OK;
}
