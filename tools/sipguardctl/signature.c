// SPDX-License-Identifier: GPL-2.0
/* `sipguardctl signature add|del STRING | list`: scanner User-Agents. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>

#include <linux/sipguard.h>

#include "ctl.h"
#include "genl.h"
#include "grammar.h"
#include "print.h"
#include "signature.h"

static const struct cmd sig_cmd = {
	"signature", cmd_signature, "add|del STRING | list",
	"scanner User-Agent substrings",
};

static int cb_sig(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr;
	const char *s = NULL;
	uint64_t hits = 0;

	(void)data;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == SIPGUARD_A_SIGNATURE &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			s = mnl_attr_get_str(attr);
		else if (mnl_attr_get_type(attr) == SIPGUARD_A_SIG_HITS &&
			 mnl_attr_validate(attr, MNL_TYPE_U64) == 0)
			hits = mnl_attr_get_u64(attr);
	}
	if (!s)
		return MNL_CB_OK;
	if (print_json) {
		print_obj_open(NULL);
		print_str("signature", s);
		print_u64("hits", hits);
		print_obj_close();
	} else {
		/* Quoted: signatures may hold spaces. */
		printf("%12llu  \"%s\"\n", (unsigned long long)hits, s);
	}
	return MNL_CB_OK;
}

int cmd_signature(struct sg_nl *nl, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "list";
	struct nlmsghdr *nlh;
	char what[128];
	int ret;

	if (!strcmp(sub, "list")) {
		if (argc > 2)
			return usage_error(&sig_cmd, "signature list takes no arguments");
		ret = ctl_connect(nl);
		if (ret)
			return ret;
		if (print_json) {
			print_open();
			print_arr_open("signatures");
		} else {
			printf("%12s  %s\n", "hits", "signature");
		}
		ret = sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_SIG_GET, NLM_F_DUMP), cb_sig, NULL);
		if (print_json) {
			print_arr_close();
			print_close();
		}
		return ret ? report("listing the signatures", ret, nl) : EXIT_OK;
	}
	if (strcmp(sub, "add") && strcmp(sub, "del"))
		return usage_error(&sig_cmd, "unknown signature command '%s'", sub);
	if (argc != 3)
		return usage_error(&sig_cmd, "signature %s needs one STRING (quote it if it has spaces)", sub);
	if (!sig_valid(argv[2], what, sizeof(what)))
		return usage_error(&sig_cmd, "%s", what);
	ret = ctl_connect(nl);
	if (ret)
		return ret;
	nlh = sg_nl_new(nl, sub[0] == 'a' ? SIPGUARD_CMD_SIG_ADD : SIPGUARD_CMD_SIG_DEL, 0);
	mnl_attr_put_strz(nlh, SIPGUARD_A_SIGNATURE, argv[2]);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	if (ret) {
		snprintf(what, sizeof(what), "%s signature '%.63s'",
			 sub[0] == 'a' ? "adding" : "deleting", argv[2]);
		return report(what, ret, nl);
	}
	return EXIT_OK;
}
