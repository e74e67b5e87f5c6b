// SPDX-License-Identifier: GPL-2.0
/*
 * `sipguardctl showconf`, `sipguardctl setconf [--check] FILE|-` and
 * `sipguardctl -c FILE`: the whole configuration of a namespace as a file,
 * in the manner of `wg showconf` / `wg setconf`.  The grammar is grammar.c's.
 *
 * showconf reads the settings, the allowlist and the signatures, checks by
 * the generation number that nothing changed in between (else reads again),
 * builds the whole file in memory and only then prints it: never half a
 * file.  Learned registrars and bans are state, not configuration: left out.
 * The devices with sipguard's XDP program come last, as `xdp DEV MODE`.
 *
 * setconf reads and checks the whole file, and then its drop-ins
 * FILE.d/NAME.conf in the byte order of their names, as one file, before it
 * contacts the kernel (every error: "FILE:LINE: message", up to 20, exit
 * 2, nothing changed), with every setting the files leave out at the
 * module's default.  Then:
 *  1. one ALLOW_REPLACE request with every setting and the whole allowlist,
 *     which the kernel applies as one new configuration or refuses whole;
 *  2. the signatures, which have no replace request: the current list's
 *     tail that differs from the file's is deleted (SIG_DEL) and the file's
 *     tail added (SIG_ADD), in order.  This step is not atomic: while it
 *     runs, a signature being replaced is briefly absent;
 *  3. the XDP tier (xdp.c): sipguard's program attached to each `xdp` line's
 *     device, detached from every other device of the namespace (another
 *     program is never touched).  A device that is missing, or an attach
 *     that fails, is an error (exit 1) once the rest is done: the hook
 *     guards without XDP all the same.
 *  4. the denylist: each origin the file names, and "manual" always,
 *     replaced by the file's entries (DENY_REPLACE each, atomic per
 *     origin); other origins (the feeds') are left alone.  showconf
 *     writes the permanent entries; timed ones are state.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include <linux/sipguard.h>

#include "allow_nl.h"
#include "conf.h"
#include "config.h"
#include "ctl.h"
#include "deny.h"
#include "genl.h"
#include "grammar.h"
#include "out.h"
#include "xdp.h"

static const struct cmd showconf_cmd = {
	"showconf", cmd_showconf, "[-o FILE]", "",
};
static const struct cmd setconf_cmd = {
	"setconf", cmd_setconf, "[--check] FILE|-", "",
};

static int cb_allow(const struct nlmsghdr *nlh, void *data)
{
	struct allow_vec *a = data;
	const struct nlattr *attr;
	struct allow_wire e;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != SIPGUARD_A_PREFIX)
			continue;
		if (!allow_nl_parse(attr, &e)) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
		/* A learned registrar is state, not configuration: written
		 * out, setconf would make it a permanent entry. */
		if (e.learned)
			continue;
		if (allow_push(a, &e.p, 0)) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_OK;
}

static int cb_sigs(const struct nlmsghdr *nlh, void *data)
{
	struct sig_list *l = data;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != SIPGUARD_A_SIGNATURE ||
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			continue;
		if (l->n == SIPGUARD_MAX_SIGNATURES ||
		    strlen(mnl_attr_get_str(attr)) > SIPGUARD_SIG_MAXLEN) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
		snprintf(l->s[l->n++], sizeof(l->s[0]), "%s", mnl_attr_get_str(attr));
	}
	return MNL_CB_OK;
}

static int read_sigs(struct sg_nl *nl, struct sig_list *l)
{
	l->n = 0;
	return sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_SIG_GET, NLM_F_DUMP), cb_sigs, l);
}

/*
 * The settings, the allowlist and the signatures come from several
 * requests: the generation number read before and after tells whether a
 * change came in between (then everything is read again).  A dump that a
 * change cut into ends in -EINTR, its rest read and dropped (genl.c).
 */
static int read_state(struct sg_nl *nl, struct sg_conf *c, struct allow_vec *a,
		      struct sig_list *sigs)
{
	struct sg_conf again;
	int ret = 0;

	for (int tries = 0; tries < 20; tries++) {
		allow_clear(a);
		ret = get_config(nl, c);
		if (ret)
			return ret;
		ret = sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_ALLOW_GET, NLM_F_DUMP), cb_allow, a);
		if (ret == -EINTR)
			continue;
		if (ret)
			return ret;
		ret = read_sigs(nl, sigs);
		if (ret == -EINTR)
			continue;
		if (ret)
			return ret;
		ret = get_config(nl, &again);
		if (ret)
			return ret;
		if (again.generation == c->generation && a->n == c->allow_count &&
		    again.sig_count == sigs->n)
			return 0;
		ret = -EAGAIN;
	}
	return ret;
}

int cmd_showconf(struct sg_nl *nl, int argc, char **argv)
{
	struct allow_vec a = { 0 };
	struct deny_vec d = { 0 };
	struct sig_list *sigs;
	struct xdp_list *xdp;
	struct sg_conf c;
	char why[512], *text, *xdp_text;
	const char *out = NULL;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "-o") && argv[2][0])
		out = argv[2];
	else if (argc > 1)
		return usage_error(&showconf_cmd, "showconf takes no arguments but -o FILE");
	ret = ctl_connect(nl);
	if (ret)
		return ret;
	sigs = calloc(1, sizeof(*sigs));
	if (!sigs)
		return report("showconf", -ENOMEM, NULL);
	ret = read_state(nl, &c, &a, sigs);
	if (ret) {
		free(sigs);
		allow_free(&a);
		if (ret == -EAGAIN)
			fprintf(stderr, "sipguardctl: the configuration kept changing while it was read; try again\n");
		return ret == -EAGAIN ? EXIT_FAIL : report("reading the configuration", ret, nl);
	}
	text = conf_format(&c, sigs, &a, why, sizeof(why));
	free(sigs);
	allow_free(&a);
	if (!text) {
		fprintf(stderr, "sipguardctl: %s\n", why);
		return EXIT_FAIL;
	}
	/* The denylist's permanent entries: timed ones are state, as bans are. */
	ret = read_deny(nl, &d);
	if (ret) {
		free(text);
		deny_free(&d);
		return report("reading the denylist", ret, nl);
	}
	xdp = calloc(1, sizeof(*xdp));
	ret = xdp ? xdp_attached(xdp) : -ENOMEM;
	xdp_text = ret ? NULL : conf_format_xdp(xdp, why, sizeof(why));
	free(xdp);
	if (!xdp_text) {
		free(text);
		deny_free(&d);
		if (ret)
			return report("xdp: reading the attached devices", ret, NULL);
		fprintf(stderr, "sipguardctl: %s\n", why);
		return EXIT_FAIL;
	}
	/* Only now, with the whole file in hand: a failure leaves FILE alone. */
	ret = out ? out_open(out) : EXIT_OK;
	if (ret) {
		free(text);
		free(xdp_text);
		deny_free(&d);
		return ret;
	}
	fputs(text, stdout);
	for (size_t i = 0; i < d.n; i++) {
		format_deny(&d.v[i], why, sizeof(why));
		printf("deny %s\n", why);
	}
	deny_free(&d);
	fputs(xdp_text, stdout);
	free(text);
	free(xdp_text);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "sipguardctl: writing the configuration: %s\n", strerror(errno));
		return out_close(EXIT_FAIL);
	}
	return out_close(EXIT_OK);
}

/* Step 2: the signatures become the file's list, in its order. */
static int apply_sigs(struct sg_nl *nl, const struct conf_file *f)
{
	struct sig_list *cur = calloc(1, sizeof(*cur));
	unsigned int same = 0, i;
	struct nlmsghdr *nlh;
	char what[512];
	int ret;

	if (!cur)
		return -ENOMEM;
	ret = read_sigs(nl, cur);
	if (ret) {
		snprintf(what, sizeof(what), "%s: reading the signatures", f->path);
		goto out;
	}
	while (same < cur->n && same < f->sigs.n && !strcmp(cur->s[same], f->sigs.s[same]))
		same++;
	/* Deleted from the end, so that the list stays a prefix of the old. */
	for (i = cur->n; !ret && i-- > same; ) {
		nlh = sg_nl_new(nl, SIPGUARD_CMD_SIG_DEL, 0);
		mnl_attr_put_strz(nlh, SIPGUARD_A_SIGNATURE, cur->s[i]);
		ret = sg_nl_talk(nl, nlh, NULL, NULL);
		snprintf(what, sizeof(what), "%s: deleting signature \"%s\"", f->path, cur->s[i]);
	}
	for (i = same; !ret && i < f->sigs.n; i++) {
		nlh = sg_nl_new(nl, SIPGUARD_CMD_SIG_ADD, 0);
		mnl_attr_put_strz(nlh, SIPGUARD_A_SIGNATURE, f->sigs.s[i]);
		ret = sg_nl_talk(nl, nlh, NULL, NULL);
		snprintf(what, sizeof(what), "%s: adding signature \"%s\"", f->path, f->sigs.s[i]);
	}
out:
	free(cur);
	if (ret) {
		report(what, ret, nl);
		fprintf(stderr, "sipguardctl: %s: the settings and the allowlist are applied, the signatures only in part\n",
			f->path);
	}
	return ret ? EXIT_FAIL : EXIT_OK;
}

/*
 * Step 3: each origin the file names, and the default one always, gets
 * exactly the file's entries (DENY_REPLACE, one atomic step per origin);
 * origins the file does not name (the feeds') are left alone.
 */
static int apply_deny(struct sg_nl *nl, const struct conf_file *f)
{
	const char *origins[SIPGUARD_DENY_ORIGINS + 1] = { SIPGUARD_DENY_ORIGIN_DEFAULT };
	unsigned int n = 1, o;
	char what[512];
	int ret;

	for (size_t i = 0; i < f->deny.n; i++) {
		for (o = 0; o < n && strcmp(origins[o], f->deny.v[i].origin); o++)
			;
		if (o == n && n <= SIPGUARD_DENY_ORIGINS)
			origins[n++] = f->deny.v[i].origin;
	}
	ret = sg_nl_reserve(nl, 4096 + f->deny.n * 48);
	if (ret)
		return report(f->path, ret, NULL);
	for (o = 0; o < n; o++) {
		struct nlmsghdr *nlh = sg_nl_new(nl, SIPGUARD_CMD_DENY_REPLACE, 0);

		mnl_attr_put_strz(nlh, SIPGUARD_A_ORIGIN, origins[o]);
		for (size_t i = 0; i < f->deny.n; i++)
			if (!strcmp(f->deny.v[i].origin, origins[o]))
				deny_nl_put(nlh, &f->deny.v[i]);
		ret = sg_nl_talk(nl, nlh, NULL, NULL);
		if (ret) {
			snprintf(what, sizeof(what), "%s: the denylist's origin %s", f->path, origins[o]);
			report(what, ret, nl);
			fprintf(stderr, "sipguardctl: %s: the settings, the allowlist and the signatures are applied, the denylist only in part\n",
				f->path);
			return EXIT_FAIL;
		}
	}
	return EXIT_OK;
}

static int apply(struct sg_nl *nl, const struct conf_file *f)
{
	struct nlmsghdr *nlh;
	char what[512];
	int ret, xret;

	/* Each entry costs at most 40 bytes of attributes, and its name;
	 * the settings less than 4 KiB. */
	ret = sg_nl_reserve(nl, 8192 + f->allow.n * (40 + SIPGUARD_NAME_MAXLEN + 5));
	if (ret)
		return report(f->path, ret, NULL);
	nlh = sg_nl_new(nl, SIPGUARD_CMD_ALLOW_REPLACE, 0);
	for (int k = 0; k < N_KEYS; k++)
		put_key(nlh, k, &f->set);
	for (size_t i = 0; i < f->allow.n; i++)
		allow_nl_put(nlh, &f->allow.v[i].p);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	if (ret) {
		snprintf(what, sizeof(what), "%s: applying the file (nothing changed)", f->path);
		return report(what, ret, nl);
	}
	ret = apply_sigs(nl, f);
	if (!ret)
		ret = apply_deny(nl, f);
	xret = xdp_apply(&f->xdp, f->path);
	return ret ? ret : xret;
}

int cmd_setconf(struct sg_nl *nl, int argc, char **argv)
{
	struct conf_file *f;
	struct sg_conf defaults;
	bool check = false;
	char *dropins = NULL;
	const char *path;
	FILE *in;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "--check")) {
		check = true;
		argv++;
		argc--;
	}
	if (argc != 2)
		return usage_error(&setconf_cmd, "setconf needs one FILE (or - for stdin)");
	path = argv[1];
	in = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!in) {
		fprintf(stderr, "sipguardctl: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		if (in != stdin)
			fclose(in);
		return report(path, -ENOMEM, NULL);
	}
	f->path = path;
	conf_defaults(&defaults, SYSFS_PARAMS);
	/* FILE's drop-ins: FILE.d/NAME.conf (standard input has none). */
	if (in != stdin && asprintf(&dropins, "%s.d", path) < 0)
		dropins = NULL;
	ret = conf_file_read_all(f, in, dropins, &defaults);
	free(dropins);
	if (in != stdin)
		fclose(in);
	if (ret) {
		conf_file_print_errors(f, stderr);
		ret = EXIT_USAGE;
	} else if (!check) {
		ret = ctl_connect(nl);
		if (!ret)
			ret = apply(nl, f);
	}
	conf_file_free(f);
	free(f);
	return ret;
}
