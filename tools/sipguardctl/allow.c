// SPDX-License-Identifier: GPL-2.0
/* `sipguardctl allow add|del|refresh|list|flush|replace`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include <linux/sipguard.h>

#include "allow.h"
#include "allow_nl.h"
#include "ctl.h"
#include "genl.h"
#include "grammar.h"
#include "prefix.h"
#include "print.h"
#include "resolve.h"

static const struct cmd allow_cmd = {
	"allow", cmd_allow, ALLOW_USAGE, "the allowlist of trusted sources",
};

/* Does @s read as a name rather than a (perhaps mistyped) address? */
static bool looks_like_name(const char *s)
{
	return !strpbrk(s, ":/") && strspn(s, "0123456789.") != strlen(s);
}

/* The distinct names on the allowlist, in the order first seen. */
struct name_list {
	char **v;
	size_t n, cap;
};

static int names_add(struct name_list *nl, const char *name)
{
	for (size_t i = 0; i < nl->n; i++)
		if (!strcmp(nl->v[i], name))
			return 0;
	if (nl->n == nl->cap) {
		size_t cap = nl->cap ? nl->cap * 2 : 16;
		char **v = realloc(nl->v, cap * sizeof(*v));

		if (!v)
			return -1;
		nl->v = v;
		nl->cap = cap;
	}
	nl->v[nl->n] = strdup(name);
	return nl->v[nl->n] ? (nl->n++, 0) : -1;
}

static void names_free(struct name_list *nl)
{
	for (size_t i = 0; i < nl->n; i++)
		free(nl->v[i]);
	free(nl->v);
}

struct list_state {
	unsigned int n;
	struct name_list *names;	/* collect names instead of printing */
};

static int cb_entry(const struct nlmsghdr *nlh, void *data)
{
	struct list_state *ls = data;
	const struct nlattr *attr;
	struct allow_wire e;
	char buf[64];

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != SIPGUARD_A_PREFIX)
			continue;
		if (!allow_nl_parse(attr, &e))
			continue;
		prefix_format(&e.p, buf, sizeof(buf));
		ls->n++;
		if (ls->names) {
			if (e.p.name && names_add(ls->names, e.p.name))
				return MNL_CB_ERROR;
			continue;
		}
		if (print_json) {
			print_obj_open(NULL);
			print_str("prefix", buf);
			print_u64("port", e.p.port);
			if (e.p.name)
				print_str("name", e.p.name);
			if (e.learned) {
				print_bool("learned", true);
				print_bool("provisional", e.provisional);
				print_u64("expires_in", e.left);
			}
			print_obj_close();
		} else {
			printf("%s", buf);
			if (e.p.port)
				printf(" port %u", e.p.port);
			if (e.p.name)
				printf(" name %s", e.p.name);
			if (e.learned)
				printf(" learned%s %us", e.provisional ? " provisional" : "", e.left);
			printf("\n");
		}
	}
	return MNL_CB_OK;
}

static int allow_list(struct sg_nl *nl)
{
	struct list_state ls = { 0 };
	int ret;

	ret = ctl_connect(nl);
	if (ret)
		return ret;
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
 * The replace file: one "PREFIX [port N] [name NAME]" per line, read as the
 * allow lines of a configuration file are (grammar.c).  Any bad line refuses
 * the whole file before the kernel is asked.
 */
static int allow_replace(struct sg_nl *nl, const char *path)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct conf_file f = { .path = path };
	struct nlmsghdr *nlh;
	int ret;

	if (!in) {
		fprintf(stderr, "sipguardctl: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	ret = allow_file_read(&f, in);
	if (in != stdin)
		fclose(in);
	if (ret) {
		conf_file_print_errors(&f, stderr);
		ret = EXIT_USAGE;
		goto out;
	}
	ret = ctl_connect(nl);
	if (ret)
		goto out;
	/* Each entry costs at most 40 bytes of attributes, and its name. */
	ret = sg_nl_reserve(nl, 4096 + f.allow.n * (40 + SIPGUARD_NAME_MAXLEN + 5));
	if (ret) {
		ret = report("replace", ret, NULL);
		goto out;
	}
	nlh = sg_nl_new(nl, SIPGUARD_CMD_ALLOW_REPLACE, 0);
	for (size_t i = 0; i < f.allow.n; i++)
		allow_nl_put(nlh, &f.allow.v[i].p);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	ret = ret ? report("replacing the allowlist", ret, nl) : EXIT_OK;
out:
	conf_file_free(&f);
	return ret;
}

/* One name's addresses as a refresh request; @create for `allow add`. */
static int send_name(struct sg_nl *nl, const char *name, const struct resolved *r, bool create)
{
	struct nlmsghdr *nlh;

	nlh = sg_nl_new(nl, SIPGUARD_CMD_ALLOW_REFRESH, 0);
	mnl_attr_put_strz(nlh, SIPGUARD_A_NAME, name);
	if (create)
		mnl_attr_put_u32(nlh, SIPGUARD_A_FLAGS, SIPGUARD_F_CREATE | SIPGUARD_F_EXCL);
	for (unsigned int i = 0; i < r->n; i++)
		allow_nl_put(nlh, &r->p[i]);
	return sg_nl_talk(nl, nlh, NULL, NULL);
}

static int allow_add_name(struct sg_nl *nl, const char *name)
{
	struct resolved r;
	char why[1024];
	int ret;

	if (resolve_name(name, &r, why, sizeof(why))) {
		fprintf(stderr, "sipguardctl: adding %s: %s; nothing added\n", name, why);
		return EXIT_FAIL;
	}
	ret = send_name(nl, name, &r, true);
	if (ret == -EEXIST) {
		snprintf(why, sizeof(why), "adding %s (allow refresh %s resolves it again)", name, name);
		return report(why, ret, nl);
	}
	if (ret) {
		snprintf(why, sizeof(why), "adding %s", name);
		return report(why, ret, nl);
	}
	return EXIT_OK;
}

static int allow_del_name(struct sg_nl *nl, const char *name)
{
	struct nlmsghdr *nlh = sg_nl_new(nl, SIPGUARD_CMD_ALLOW_DEL, 0);
	char what[300];
	int ret;

	mnl_attr_put_strz(nlh, SIPGUARD_A_NAME, name);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	if (ret) {
		snprintf(what, sizeof(what), "deleting %s", name);
		return report(what, ret, nl);
	}
	return EXIT_OK;
}

/*
 * Resolve each name again and replace its entries.  A name whose lookup
 * fails keeps its entries and makes the exit status 1; the others go on.
 */
static int allow_refresh(struct sg_nl *nl, int argc, char **argv)
{
	struct name_list names = { 0 };
	struct list_state ls = { .names = &names };
	char name[SIPGUARD_NAME_MAXLEN + 1], why[1024];
	int ret = EXIT_OK, r;

	for (int i = 0; i < argc; i++) {
		if (dnsname_normalise(argv[i], name, why, sizeof(why))) {
			names_free(&names);
			return usage_error(&allow_cmd, "%s", why);
		}
		if (names_add(&names, name)) {
			names_free(&names);
			return report("refresh", -ENOMEM, NULL);
		}
	}
	r = ctl_connect(nl);
	if (r) {
		names_free(&names);
		return r;
	}
	if (!argc) {
		r = sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_ALLOW_GET, NLM_F_DUMP), cb_entry, &ls);
		if (r) {
			names_free(&names);
			return report("listing the allowlist", r, nl);
		}
	}
	for (size_t i = 0; i < names.n; i++) {
		struct resolved res;

		if (resolve_name(names.v[i], &res, why, sizeof(why))) {
			fprintf(stderr, "sipguardctl: refreshing %s: %s; its addresses are kept\n",
				names.v[i], why);
			ret = EXIT_FAIL;
			continue;
		}
		r = send_name(nl, names.v[i], &res, false);
		if (r) {
			snprintf(why, sizeof(why), "refreshing %s", names.v[i]);
			ret = report(why, r, nl);
		}
	}
	names_free(&names);
	return ret;
}

int cmd_allow(struct sg_nl *nl, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "list";
	char why[1024], name[SIPGUARD_NAME_MAXLEN + 1];
	struct nlmsghdr *nlh;
	struct prefix p;
	int ret;

	if (!strcmp(sub, "list")) {
		if (argc > 2)
			return usage_error(&allow_cmd, "allow list takes no arguments");
		return allow_list(nl);
	}
	if (!strcmp(sub, "flush")) {
		if (argc > 2)
			return usage_error(&allow_cmd, "allow flush takes no arguments");
		ret = ctl_connect(nl);
		if (ret)
			return ret;
		ret = sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_ALLOW_FLUSH, 0), NULL, NULL);
		return ret ? report("flushing the allowlist", ret, nl) : EXIT_OK;
	}
	if (!strcmp(sub, "replace")) {
		if (argc != 3)
			return usage_error(&allow_cmd, "allow replace needs one FILE (or - for stdin)");
		return allow_replace(nl, argv[2]);
	}
	if (!strcmp(sub, "refresh"))
		return allow_refresh(nl, argc - 2, argv + 2);
	if (strcmp(sub, "add") && strcmp(sub, "del"))
		return usage_error(&allow_cmd, "unknown allow command '%s'", sub);

	/* A provider by name: every address it resolves to, remembered by name. */
	if (argc >= 3 && prefix_parse(argv[2], &p, why, sizeof(why)) && looks_like_name(argv[2])) {
		if (dnsname_normalise(argv[2], name, why, sizeof(why)))
			return usage_error(&allow_cmd, "%s", why);
		if (argc > 3)
			return usage_error(&allow_cmd, "a name takes no port or other argument: its entries are whole addresses, any port");
		ret = ctl_connect(nl);
		if (ret)
			return ret;
		return sub[0] == 'a' ? allow_add_name(nl, name) : allow_del_name(nl, name);
	}
	if (parse_allow_words(argc - 2, argv + 2, &p, name, why, sizeof(why)))
		return usage_error(&allow_cmd, "%s", why);
	ret = ctl_connect(nl);
	if (ret)
		return ret;
	nlh = sg_nl_new(nl, sub[0] == 'a' ? SIPGUARD_CMD_ALLOW_ADD : SIPGUARD_CMD_ALLOW_DEL, 0);
	allow_nl_put(nlh, &p);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	if (ret) {
		snprintf(why, sizeof(why), "%s %s", sub[0] == 'a' ? "adding" : "deleting", argv[2]);
		return report(why, ret, nl);
	}
	return EXIT_OK;
}
