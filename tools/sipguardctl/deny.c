// SPDX-License-Identifier: GPL-2.0
/* `sipguardctl deny add|del|list|replace`: the denylist, by origin. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include <linux/sipguard.h>

#include "ctl.h"
#include "deny.h"
#include "genl.h"
#include "grammar.h"
#include "prefix.h"
#include "print.h"

static const struct cmd deny_cmd = {
	"deny", cmd_deny, DENY_USAGE, "the denylist",
};

/* Each entry costs at most 44 bytes of attributes. */
#define DENY_ENTRY_BYTES	48

void deny_nl_put(struct nlmsghdr *nlh, const struct deny_entry *e)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, SIPGUARD_A_DENY);

	mnl_attr_put(nlh, SIPGUARD_DENY_A_ADDR, e->p.len, e->p.addr);
	mnl_attr_put_u8(nlh, SIPGUARD_DENY_A_PLEN, e->p.plen);
	if (e->timeout)
		mnl_attr_put_u32(nlh, SIPGUARD_DENY_A_TIMEOUT, e->timeout);
	mnl_attr_nest_end(nlh, nest);
}

struct deny_state {
	bool entries;			/* print entries (list), or only origins (show) */
	bool in_entries;
	struct deny_origin o[SIPGUARD_DENY_ORIGINS];
	unsigned int n;
};

static void print_origin(const struct deny_origin *o)
{
	char note[160];

	print_obj_open(NULL);
	print_str("origin", o->name);
	print_u64("entries", o->count);
	print_u64("hits", o->hits);
	print_u64("ignored_allowlisted", o->trusted);
	print_u64("ignored_learned", o->learned);
	if (o->trusted || o->learned) {
		snprintf(note, sizeof(note),
			 "an entry was ignored %llu times: the source is %s",
			 (unsigned long long)(o->trusted + o->learned),
			 o->trusted && o->learned ? "allowlisted or a learned registrar" :
			 o->trusted ? "allowlisted" : "a learned registrar");
		print_str("note", note);
	}
	print_obj_close();
}

static void origins_done(struct deny_state *ds)
{
	if (ds->in_entries)
		return;
	ds->in_entries = true;
	print_arr_open("origins");
	for (unsigned int i = 0; i < ds->n; i++)
		print_origin(&ds->o[i]);
	print_arr_close();
	if (ds->entries)
		print_arr_open("entries");
}

static int cb_deny(const struct nlmsghdr *nlh, void *data)
{
	struct deny_state *ds = data;
	const struct nlattr *attr, *a;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		int type = mnl_attr_get_type(attr);

		if (type == SIPGUARD_A_DENY_ORIGIN && ds->n < SIPGUARD_DENY_ORIGINS) {
			struct deny_origin *o = &ds->o[ds->n++];

			memset(o, 0, sizeof(*o));
			mnl_attr_for_each_nested(a, attr) {
				switch (mnl_attr_get_type(a)) {
				case SIPGUARD_DENY_A_ORIGIN:
					if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
						snprintf(o->name, sizeof(o->name), "%s",
							 mnl_attr_get_str(a));
					break;
				case SIPGUARD_DENY_A_COUNT:
					if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
						o->count = mnl_attr_get_u32(a);
					break;
				case SIPGUARD_DENY_A_HITS:
					if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
						o->hits = mnl_attr_get_u64(a);
					break;
				case SIPGUARD_DENY_A_IGNORED_TRUSTED:
					if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
						o->trusted = mnl_attr_get_u64(a);
					break;
				case SIPGUARD_DENY_A_IGNORED_LEARNED:
					if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
						o->learned = mnl_attr_get_u64(a);
					break;
				}
			}
		} else if (type == SIPGUARD_A_DENY) {
			struct prefix p = { 0 };
			const char *origin = "";
			uint32_t left = 0;
			char buf[64];

			if (!ds->entries)
				continue;
			origins_done(ds);
			mnl_attr_for_each_nested(a, attr) {
				switch (mnl_attr_get_type(a)) {
				case SIPGUARD_DENY_A_ADDR:
					if (mnl_attr_get_payload_len(a) == 4 ||
					    mnl_attr_get_payload_len(a) == 16) {
						p.len = (int)mnl_attr_get_payload_len(a);
						memcpy(p.addr, mnl_attr_get_payload(a), p.len);
					}
					break;
				case SIPGUARD_DENY_A_PLEN:
					if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
						p.plen = mnl_attr_get_u8(a);
					break;
				case SIPGUARD_DENY_A_ORIGIN:
					if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
						origin = mnl_attr_get_str(a);
					break;
				case SIPGUARD_DENY_A_TIMEOUT:
					if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
						left = mnl_attr_get_u32(a);
					break;
				}
			}
			if (!p.len)
				continue;
			prefix_format(&p, buf, sizeof(buf));
			if (print_json) {
				print_obj_open(NULL);
				print_str("prefix", buf);
				print_str("origin", origin);
				if (left)
					print_u64("expires_in", left);
				print_obj_close();
			} else {
				printf("  %s origin %s", buf, origin);
				if (left)
					printf(" expires in %us", left);
				printf("\n");
			}
		}
	}
	return MNL_CB_OK;
}

/* The origins (and with @entries every entry) of the denylist. */
int print_deny(struct sg_nl *nl, bool entries, bool quiet_eperm)
{
	struct deny_state ds = { .entries = entries };
	int ret;

	ret = sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_DENY_GET, NLM_F_DUMP), cb_deny, &ds);
	if (ret && quiet_eperm && (ret == -EPERM || ret == -EOPNOTSUPP))
		return 0;
	if (ret)
		return ret;
	if (!entries && !ds.n)
		return 0;
	if (!entries)
		print_obj_open("deny");
	origins_done(&ds);
	if (entries)
		print_arr_close();
	else
		print_obj_close();
	return 0;
}

int read_deny_origins(struct sg_nl *nl, struct deny_origin o[SIPGUARD_DENY_ORIGINS],
		      unsigned int *n)
{
	/* The origins come before the entries: entries are not asked for. */
	struct deny_state *ds = calloc(1, sizeof(*ds));
	int ret;

	if (!ds)
		return -ENOMEM;
	ret = sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_DENY_GET, NLM_F_DUMP), cb_deny, ds);
	memcpy(o, ds->o, ds->n * sizeof(*o));
	*n = ret ? 0 : ds->n;
	free(ds);
	return ret;
}

static int cb_collect(const struct nlmsghdr *nlh, void *data)
{
	struct deny_vec *d = data;
	const struct nlattr *attr, *a;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		struct deny_entry e;

		if (mnl_attr_get_type(attr) != SIPGUARD_A_DENY)
			continue;
		memset(&e, 0, sizeof(e));
		mnl_attr_for_each_nested(a, attr) {
			switch (mnl_attr_get_type(a)) {
			case SIPGUARD_DENY_A_ADDR:
				if (mnl_attr_get_payload_len(a) == 4 || mnl_attr_get_payload_len(a) == 16) {
					e.p.len = (int)mnl_attr_get_payload_len(a);
					memcpy(e.p.addr, mnl_attr_get_payload(a), e.p.len);
				}
				break;
			case SIPGUARD_DENY_A_PLEN:
				if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
					e.p.plen = mnl_attr_get_u8(a);
				break;
			case SIPGUARD_DENY_A_ORIGIN:
				if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
					snprintf(e.origin, sizeof(e.origin), "%s", mnl_attr_get_str(a));
				break;
			case SIPGUARD_DENY_A_TIMEOUT:
				e.timeout = 1;	/* expires: state, not configuration */
				break;
			}
		}
		if (e.p.len && !e.timeout && e.origin[0] && deny_push(d, &e))
			return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int read_deny(struct sg_nl *nl, struct deny_vec *d)
{
	int ret = sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_DENY_GET, NLM_F_DUMP), cb_collect, d);

	return ret == -EPERM || ret == -EOPNOTSUPP ? 0 : ret;
}

static int deny_list(struct sg_nl *nl)
{
	int ret = ctl_connect(nl);

	if (ret)
		return ret;
	print_open();
	ret = print_deny(nl, true, false);
	print_close();
	return ret ? report("listing the denylist", ret, nl) : EXIT_OK;
}

/*
 * The replace file: one "PREFIX [timeout SECONDS]" per line; '#' starts a
 * comment, blank lines are skipped.  Any bad line refuses the whole file
 * before the kernel is asked.
 */
static int deny_read(FILE *in, const char *path, struct deny_entry **pv, size_t *pn)
{
	char line[1024], why[256];
	struct deny_entry *v = NULL;
	size_t n = 0, cap = 0;
	unsigned int lineno = 0;

	while (fgets(line, sizeof(line), in)) {
		char *words[8], *save = NULL, *w, *hash;
		int nw = 0;

		lineno++;
		if (!strchr(line, '\n') && !feof(in)) {
			fprintf(stderr, "sipguardctl: %s:%u: line too long\n", path, lineno);
			goto err;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		for (w = strtok_r(line, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
			if (nw == 8) {
				fprintf(stderr, "sipguardctl: %s:%u: too many words\n", path, lineno);
				goto err;
			}
			words[nw++] = w;
		}
		if (!nw)
			continue;
		if (n == cap) {
			struct deny_entry *nv;

			cap = cap ? cap * 2 : 1024;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				fprintf(stderr, "sipguardctl: %s: out of memory\n", path);
				goto err;
			}
			v = nv;
		}
		if (parse_deny_words(nw, words, &v[n], false, false, why, sizeof(why))) {
			fprintf(stderr, "sipguardctl: %s:%u: %s\n", path, lineno, why);
			goto err;
		}
		n++;
	}
	if (ferror(in)) {
		fprintf(stderr, "sipguardctl: %s: %s\n", path, strerror(errno));
		goto err;
	}
	*pv = v;
	*pn = n;
	return 0;
err:
	free(v);
	return -1;
}

static int deny_replace(struct sg_nl *nl, const char *origin, const char *path)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct deny_entry *v = NULL;
	struct nlmsghdr *nlh;
	char what[128];
	size_t n = 0;
	int ret;

	if (!in) {
		fprintf(stderr, "sipguardctl: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	ret = deny_read(in, path, &v, &n);
	if (in != stdin)
		fclose(in);
	if (ret)
		return EXIT_USAGE;
	ret = ctl_connect(nl);
	if (ret)
		goto out;
	ret = sg_nl_reserve(nl, 4096 + n * DENY_ENTRY_BYTES);
	if (ret) {
		ret = report("replace", ret, NULL);
		goto out;
	}
	nlh = sg_nl_new(nl, SIPGUARD_CMD_DENY_REPLACE, 0);
	mnl_attr_put_strz(nlh, SIPGUARD_A_ORIGIN, origin);
	for (size_t i = 0; i < n; i++)
		deny_nl_put(nlh, &v[i]);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	snprintf(what, sizeof(what), "replacing origin %s", origin);
	ret = ret ? report(what, ret, nl) : EXIT_OK;
out:
	free(v);
	return ret;
}

int cmd_deny(struct sg_nl *nl, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "list";
	const char *origin = NULL;
	struct deny_entry e;
	struct nlmsghdr *nlh;
	char why[300];
	bool del;
	int ret;

	if (!strcmp(sub, "list")) {
		if (argc > 2)
			return usage_error(&deny_cmd, "deny list takes no arguments");
		return deny_list(nl);
	}
	if (!strcmp(sub, "replace")) {
		if (argc != 5 || strcmp(argv[2], "--origin"))
			return usage_error(&deny_cmd, "deny replace needs --origin NAME and one FILE (or - for stdin)");
		if (!origin_valid(argv[3], why, sizeof(why)))
			return usage_error(&deny_cmd, "%s", why);
		return deny_replace(nl, argv[3], argv[4]);
	}
	if (strcmp(sub, "add") && strcmp(sub, "del"))
		return usage_error(&deny_cmd, "unknown deny command '%s'", sub);
	del = sub[0] == 'd';
	if (parse_deny_words(argc - 2, argv + 2, &e, true, del, why, sizeof(why)))
		return usage_error(&deny_cmd, "%s", why);
	origin = e.origin[0] ? e.origin : NULL;
	ret = ctl_connect(nl);
	if (ret)
		return ret;
	nlh = sg_nl_new(nl, del ? SIPGUARD_CMD_DENY_DEL : SIPGUARD_CMD_DENY_ADD, 0);
	if (origin)
		mnl_attr_put_strz(nlh, SIPGUARD_A_ORIGIN, origin);
	deny_nl_put(nlh, &e);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	if (ret) {
		snprintf(why, sizeof(why), "%s %s", del ? "deleting" : "adding", argv[2]);
		return report(why, ret, nl);
	}
	return EXIT_OK;
}
