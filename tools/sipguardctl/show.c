// SPDX-License-Identifier: GPL-2.0
/* `sipguardctl show` and `sipguardctl stats [reset]`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>

#include <linux/sipguard.h>

#include "config.h"
#include "ctl.h"
#include "deny.h"
#include "genl.h"
#include "grammar.h"
#include "names.h"
#include "out.h"
#include "print.h"
#include "prometheus.h"
#include "show.h"
#include "xdp.h"

struct stats_reply {
	char version[64];
	uint64_t v[SIPGUARD_STAT_MAX + 1];
	/* Counters of a newer module, printed by number. */
	struct { unsigned int id; uint64_t v; } extra[64];
	unsigned int n_extra;
};

static int cb_stats(const struct nlmsghdr *nlh, void *data)
{
	struct stats_reply *r = data;
	const struct nlattr *attr, *s;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case SIPGUARD_A_VERSION:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				snprintf(r->version, sizeof(r->version), "%s",
					 mnl_attr_get_str(attr));
			break;
		case SIPGUARD_A_STATS:
			mnl_attr_for_each_nested(s, attr) {
				unsigned int id = mnl_attr_get_type(s);

				if (mnl_attr_validate(s, MNL_TYPE_U64) < 0)
					continue;
				if (id <= SIPGUARD_STAT_MAX)
					r->v[id] = mnl_attr_get_u64(s);
				else if (r->n_extra < 64) {
					r->extra[r->n_extra].id = id;
					r->extra[r->n_extra++].v = mnl_attr_get_u64(s);
				}
			}
			break;
		}
	}
	return MNL_CB_OK;
}

static int get_stats(struct sg_nl *nl, struct stats_reply *r, bool reset)
{
	struct nlmsghdr *nlh = sg_nl_new(nl, SIPGUARD_CMD_GET_STATS, 0);

	memset(r, 0, sizeof(*r));
	if (reset)
		mnl_attr_put_u32(nlh, SIPGUARD_A_FLAGS, SIPGUARD_F_RESET);
	return sg_nl_talk(nl, nlh, cb_stats, r);
}

static void print_counters(const struct stats_reply *r)
{
	char name[32];

	print_obj_open("counters");
	for (unsigned int id = SIPGUARD_STAT_PAD + 1; id <= SIPGUARD_STAT_MAX; id++)
		if (stat_name(id))
			print_u64(stat_name(id), r->v[id]);
	for (unsigned int i = 0; i < r->n_extra; i++) {
		snprintf(name, sizeof(name), "counter_%u", r->extra[i].id);
		print_u64(name, r->extra[i].v);
	}
	print_obj_close();
}

int cmd_show(struct sg_nl *nl, int argc, char **argv)
{
	static struct learn_ports lp;
	struct stats_reply r;
	struct sg_conf c;
	int ret;

	(void)argv;
	if (argc > 1)
		return usage_error(NULL, "show takes no arguments");
	ret = ctl_connect(nl);
	if (ret)
		return ret;
	ret = get_stats(nl, &r, false);
	if (!ret)
		ret = get_config_ports(nl, &c, &lp);
	if (ret)
		return report("reading the state", ret, nl);

	print_open();
	print_str("version", r.version);
	print_u64("family_version", nl->version);
	/* A build without libbpf cannot attach the XDP tier: say so. */
	print_bool("xdp_built_in", xdp_built_in);
	print_config(&c);
	print_learn_ports(&c, &lp);
	/* The origins' counters; reading them needs CAP_NET_ADMIN. */
	ret = print_deny(nl, false, true);
	if (ret) {
		print_close();
		return report("reading the denylist", ret, nl);
	}
	print_counters(&r);
	print_close();
	return EXIT_OK;
}

int cmd_stats(struct sg_nl *nl, int argc, char **argv)
{
	struct stats_reply r;
	bool reset = false, prometheus = false;
	const char *out = NULL;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "reset") && !reset)
			reset = true;
		else if (!strcmp(argv[i], "prometheus") && !prometheus)
			prometheus = true;
		else if (!strcmp(argv[i], "-o") && !out && i + 1 < argc && argv[i + 1][0])
			out = argv[++i];
		else
			return usage_error(NULL, "unknown argument '%s' (stats [reset] [prometheus] [-o FILE])",
					   argv[i]);
	}

	ret = ctl_connect(nl);
	if (ret)
		return ret;
	ret = get_stats(nl, &r, reset);
	if (ret)
		return report(reset ? "resetting the counters" : "reading the counters",
			      ret, nl);
	/* After the reset: a file that cannot be made must not lose them. */
	if (out) {
		ret = out_open(out);
		if (ret) {
			if (reset)
				fprintf(stderr, "sipguardctl: the counters were reset\n");
			return ret;
		}
	}
	if (prometheus)
		return out_close(print_prometheus(nl, r.version, r.v));
	print_open();
	print_counters(&r);
	print_close();
	return out_close(EXIT_OK);
}
