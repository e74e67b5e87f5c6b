// SPDX-License-Identifier: GPL-2.0
/* `sipguardctl allow add|del|list|flush|replace`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include <linux/sipguard.h>

#include "prefix.h"
#include "print.h"
#include "sipguardctl.h"

static const struct cmd allow_cmd = {
	"allow", cmd_allow,
	"add|del PREFIX [port N] | list | flush | replace FILE|-",
	"the allowlist of trusted sources",
};

static void put_prefix(struct nlmsghdr *nlh, const struct prefix *p)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, SIPGUARD_A_PREFIX);

	mnl_attr_put(nlh, SIPGUARD_PREFIX_A_ADDR, p->len, p->addr);
	mnl_attr_put_u8(nlh, SIPGUARD_PREFIX_A_PLEN, p->plen);
	if (p->port)
		mnl_attr_put_u16(nlh, SIPGUARD_PREFIX_A_PORT, p->port);
	mnl_attr_nest_end(nlh, nest);
}

/* PREFIX [port N] from @argv; returns the number of words used or -1. */
static int parse_entry(int argc, char **argv, struct prefix *p, char *why, size_t wl)
{
	if (argc < 1) {
		snprintf(why, wl, "a prefix is missing");
		return -1;
	}
	if (prefix_parse(argv[0], p, why, wl))
		return -1;
	if (argc >= 2 && !strcmp(argv[1], "port")) {
		if (argc < 3 || port_parse(argv[2], &p->port)) {
			snprintf(why, wl, "port must be 1-65535");
			return -1;
		}
		return 3;
	}
	return 1;
}

struct list_state {
	unsigned int n;
};

static int cb_entry(const struct nlmsghdr *nlh, void *data)
{
	struct list_state *ls = data;
	const struct nlattr *attr, *a;
	bool learned, provisional;
	struct prefix p;
	uint32_t left;
	char buf[64];

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != SIPGUARD_A_PREFIX)
			continue;
		memset(&p, 0, sizeof(p));
		learned = provisional = false;
		left = 0;
		mnl_attr_for_each_nested(a, attr) {
			switch (mnl_attr_get_type(a)) {
			case SIPGUARD_PREFIX_A_ADDR:
				if (mnl_attr_get_payload_len(a) == 4 || mnl_attr_get_payload_len(a) == 16) {
					p.len = (int)mnl_attr_get_payload_len(a);
					memcpy(p.addr, mnl_attr_get_payload(a), p.len);
				}
				break;
			case SIPGUARD_PREFIX_A_PLEN:
				if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
					p.plen = mnl_attr_get_u8(a);
				break;
			case SIPGUARD_PREFIX_A_PORT:
				if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
					p.port = mnl_attr_get_u16(a);
				break;
			case SIPGUARD_PREFIX_A_LEARNED:
				if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
					learned = true;
					left = mnl_attr_get_u32(a);
				}
				break;
			case SIPGUARD_PREFIX_A_PROVISIONAL:
				provisional = true;
				break;
			}
		}
		if (!p.len)
			continue;
		prefix_format(&p, buf, sizeof(buf));
		ls->n++;
		if (print_json) {
			print_obj_open(NULL);
			print_str("prefix", buf);
			print_u64("port", p.port);
			if (learned) {
				print_bool("learned", true);
				print_bool("provisional", provisional);
				print_u64("expires_in", left);
			}
			print_obj_close();
		} else {
			printf("%s", buf);
			if (p.port)
				printf(" port %u", p.port);
			if (learned)
				printf(" learned%s %us", provisional ? " provisional" : "", left);
			printf("\n");
		}
	}
	return MNL_CB_OK;
}

static int allow_list(struct sg_nl *nl)
{
	struct list_state ls = { 0 };
	int ret;

	if (print_json) {
		print_open();
		print_arr_open("allowlist");
	}
	ret = sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_ALLOW_GET, NLM_F_DUMP), cb_entry, &ls);
	if (print_json) {
		print_arr_close();
		print_close();
	}
	return ret ? report("listing the allowlist", ret, nl) : EXIT_OK;
}

/*
 * The replace file: one entry per line, "PREFIX [port N]", blank lines and
 * '#' comments ignored.  Any bad line refuses the whole file.
 */
static int allow_replace(struct sg_nl *nl, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct prefix *v = NULL, *nv;
	size_t n = 0, cap = 0, lineno = 0;
	char line[512], why[256];
	struct nlmsghdr *nlh;
	int ret = EXIT_OK;

	if (!f) {
		fprintf(stderr, "sipguardctl: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	while (fgets(line, sizeof(line), f)) {
		char *words[4], *save = NULL, *w;
		int nw = 0, used;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			fprintf(stderr, "sipguardctl: %s:%zu: line too long\n", path, lineno);
			ret = EXIT_USAGE;
			goto out;
		}
		*strchrnul(line, '#') = '\0';
		for (w = strtok_r(line, " \t\r\n", &save); w && nw < 4; w = strtok_r(NULL, " \t\r\n", &save))
			words[nw++] = w;
		if (!nw)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				ret = report("replace", -ENOMEM, NULL);
				goto out;
			}
			v = nv;
		}
		used = nw == 4 ? -1 : parse_entry(nw, words, &v[n], why, sizeof(why));
		if (used != nw) {
			if (used >= 0 || nw == 4)
				snprintf(why, sizeof(why), "expected PREFIX [port N]");
			fprintf(stderr, "sipguardctl: %s:%zu: %s\n", path, lineno, why);
			ret = EXIT_USAGE;
			goto out;
		}
		n++;
	}
	if (n > SIPGUARD_MAX_ALLOW) {
		fprintf(stderr, "sipguardctl: %s: %zu entries, at most %d fit\n", path, n,
			SIPGUARD_MAX_ALLOW);
		ret = EXIT_USAGE;
		goto out;
	}
	/* Each entry costs at most 40 bytes of attributes. */
	ret = sg_nl_reserve(nl, 4096 + n * 40);
	if (ret) {
		ret = report("replace", ret, NULL);
		goto out;
	}
	nlh = sg_nl_new(nl, SIPGUARD_CMD_ALLOW_REPLACE, 0);
	for (size_t i = 0; i < n; i++)
		put_prefix(nlh, &v[i]);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	ret = ret ? report("replacing the allowlist", ret, nl) : EXIT_OK;
out:
	if (f != stdin)
		fclose(f);
	free(v);
	return ret;
}

int cmd_allow(struct sg_nl *nl, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "list";
	struct nlmsghdr *nlh;
	struct prefix p;
	char why[256];
	int ret, used;

	if (!strcmp(sub, "list")) {
		if (argc > 2)
			return usage_error(&allow_cmd, "allow list takes no arguments");
		return allow_list(nl);
	}
	if (!strcmp(sub, "flush")) {
		if (argc > 2)
			return usage_error(&allow_cmd, "allow flush takes no arguments");
		ret = sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_ALLOW_FLUSH, 0), NULL, NULL);
		return ret ? report("flushing the allowlist", ret, nl) : EXIT_OK;
	}
	if (!strcmp(sub, "replace")) {
		if (argc != 3)
			return usage_error(&allow_cmd, "allow replace needs one FILE (or - for stdin)");
		return allow_replace(nl, argv[2]);
	}
	if (strcmp(sub, "add") && strcmp(sub, "del"))
		return usage_error(&allow_cmd, "unknown allow command '%s'", sub);

	used = parse_entry(argc - 2, argv + 2, &p, why, sizeof(why));
	if (used < 0)
		return usage_error(&allow_cmd, "%s", why);
	if (used != argc - 2)
		return usage_error(&allow_cmd, "unexpected '%s'", argv[2 + used]);
	nlh = sg_nl_new(nl, sub[0] == 'a' ? SIPGUARD_CMD_ALLOW_ADD : SIPGUARD_CMD_ALLOW_DEL, 0);
	put_prefix(nlh, &p);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	if (ret) {
		snprintf(why, sizeof(why), "%s %s", sub[0] == 'a' ? "adding" : "deleting", argv[2]);
		return report(why, ret, nl);
	}
	return EXIT_OK;
}
