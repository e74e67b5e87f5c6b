// SPDX-License-Identifier: GPL-2.0
/*
 * `sipguardctl showconf` and `sipguardctl setconf FILE|-`: the whole
 * configuration of a namespace as a file, in the manner of `wg showconf`.
 *
 * The format (sipguardctl(8), CONFIGURATION FILE):
 *
 *	# comment: a '#' at the start of a word runs to the end of the line
 *	mode enforce
 *	policy strict
 *	ports 5060,5080
 *	tls-ports 5061
 *	guard wan0
 *	allow 198.51.100.10/32
 *	allow 2001:db8::/32 port 5060
 *	allow 203.0.113.5/32 name sip.provider.example
 *
 * A setting is one line "KEY VALUE" with the vocabulary of `sipguardctl
 * set`, at most once per file; a list entry repeats its key, one per line.
 * showconf writes every setting, in the order of conf_keys[], then the
 * allowlist in the kernel's order, in the one spelling setconf reads back,
 * so `showconf | setconf -` followed by showconf gives the same bytes.
 *
 * setconf reads and checks the whole file before it sends anything: any
 * error is "FILE:LINE: message", exit 2, and nothing changed.  Then it
 * sends the file as one request, which the kernel applies as one new
 * configuration (allowlist and settings together) or refuses whole.  A setting
 * the file does not name keeps its current value (a file written by an
 * older sipguardctl leaves newer settings alone); the allowlist becomes
 * exactly the file's allow lines.
 *
 * New settings (the open policy's rate, burst, ban, budget, prefix4,
 * prefix6, table-max) are new rows of conf_keys[]; a new list (signature)
 * is a new line key like allow.
 */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include <linux/sipguard.h>

#include "prefix.h"
#include "resolve.h"
#include "sipguardctl.h"

static const struct cmd showconf_cmd = {
	"showconf", cmd_showconf, "", "",
};
static const struct cmd setconf_cmd = {
	"setconf", cmd_setconf, "FILE|-", "",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Settings: parse a value, write it back in the one canonical spelling. */

static int parse_mode(const char *s, struct sg_conf *c, char *why, size_t wl)
{
	int v = conf_mode_lookup(s);

	if (v < 0) {
		snprintf(why, wl, "mode must be off, monitor or enforce, not '%s'", s);
		return -1;
	}
	c->mode = (unsigned int)v;
	return 0;
}

static int parse_policy(const char *s, struct sg_conf *c, char *why, size_t wl)
{
	int v = conf_policy_lookup(s);

	if (v < 0) {
		snprintf(why, wl, "policy must be strict or open, not '%s'", s);
		return -1;
	}
	c->policy = (unsigned int)v;
	return 0;
}

/* "5060,5080,5160-5170" or "none", as `set ports` takes it. */
static int parse_port_list(const char *s, struct port_list *pl, char *why, size_t wl)
{
	const char *p = s;

	pl->n = 0;
	if (!strcmp(s, "none"))
		return 0;
	while (1) {
		char tok[16], *dash;
		size_t len = strcspn(p, ",");

		if (pl->n == SIPGUARD_MAX_PORT_RANGES) {
			snprintf(why, wl, "more than %d port ranges", SIPGUARD_MAX_PORT_RANGES);
			return -1;
		}
		if (len == 0 || len >= sizeof(tok))
			goto bad;
		memcpy(tok, p, len);
		tok[len] = '\0';
		dash = strchr(tok, '-');
		if (dash)
			*dash = '\0';
		if (port_parse(tok, &pl->r[pl->n].min) ||
		    port_parse(dash ? dash + 1 : tok, &pl->r[pl->n].max) ||
		    pl->r[pl->n].max < pl->r[pl->n].min)
			goto bad;
		pl->n++;
		p += len;
		if (!*p)
			return 0;
		p++;
	}
bad:
	snprintf(why, wl, "'%s' is not a port list like 5060,5080,5160-5170 or none", s);
	return -1;
}

static int parse_ports(const char *s, struct sg_conf *c, char *why, size_t wl)
{
	return parse_port_list(s, &c->sip, why, wl);
}

static int parse_tls_ports(const char *s, struct sg_conf *c, char *why, size_t wl)
{
	return parse_port_list(s, &c->tls, why, wl);
}

static int parse_guard(const char *s, struct sg_conf *c, char *why, size_t wl)
{
	const char *p = s;

	c->n_ifaces = 0;
	if (!strcmp(s, "all"))
		return 0;
	while (1) {
		size_t len = strcspn(p, ",");

		if (len == 0 || len >= IFNAMSIZ) {
			snprintf(why, wl, "'%s' is not a list of interface names (at most %d characters each) or all",
				 s, IFNAMSIZ - 1);
			return -1;
		}
		if (c->n_ifaces == SIPGUARD_MAX_IFACES) {
			snprintf(why, wl, "more than %d interfaces", SIPGUARD_MAX_IFACES);
			return -1;
		}
		memcpy(c->ifaces[c->n_ifaces], p, len);
		c->ifaces[c->n_ifaces][len] = '\0';
		for (unsigned int i = 0; i < c->n_ifaces; i++) {
			if (!strcmp(c->ifaces[i], c->ifaces[c->n_ifaces])) {
				snprintf(why, wl, "interface '%s' is listed twice", c->ifaces[i]);
				return -1;
			}
		}
		c->n_ifaces++;
		p += len;
		if (!*p)
			return 0;
		p++;
	}
}

static int format_mode(const struct sg_conf *c, char *buf, size_t len)
{
	const char *s = conf_mode_name(c->mode);

	return s ? (snprintf(buf, len, "%s", s), 0) : -1;
}

static int format_policy(const struct sg_conf *c, char *buf, size_t len)
{
	const char *s = conf_policy_name(c->policy);

	return s ? (snprintf(buf, len, "%s", s), 0) : -1;
}

static int format_sip(const struct sg_conf *c, char *buf, size_t len)
{
	format_ports(&c->sip, buf, len);
	return 0;
}

static int format_tls(const struct sg_conf *c, char *buf, size_t len)
{
	format_ports(&c->tls, buf, len);
	return 0;
}

/*
 * The kernel stores any name it is given; one that the file format cannot
 * carry (empty, a separator inside, a leading '#') is refused rather than
 * written so that it reads back as something else.
 */
static int format_guard(const struct sg_conf *c, char *buf, size_t len)
{
	size_t off = 0;

	snprintf(buf, len, "all");
	for (unsigned int i = 0; i < c->n_ifaces; i++) {
		const char *n = c->ifaces[i];

		if (!*n || n[0] == '#' || strpbrk(n, ", \t\r\n\v\f"))
			return -1;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s", i ? "," : "", n);
	}
	return off < len ? 0 : -1;
}

static void put_mode(struct nlmsghdr *nlh, const struct sg_conf *c)
{
	mnl_attr_put_u8(nlh, SIPGUARD_A_MODE, (uint8_t)c->mode);
}

static void put_policy(struct nlmsghdr *nlh, const struct sg_conf *c)
{
	mnl_attr_put_u8(nlh, SIPGUARD_A_POLICY, (uint8_t)c->policy);
}

static void put_sip(struct nlmsghdr *nlh, const struct sg_conf *c)
{
	put_port_list(nlh, SIPGUARD_A_SIP_PORTS, &c->sip);
}

static void put_tls(struct nlmsghdr *nlh, const struct sg_conf *c)
{
	put_port_list(nlh, SIPGUARD_A_TLS_PORTS, &c->tls);
}

static void put_guard(struct nlmsghdr *nlh, const struct sg_conf *c)
{
	struct nlattr *list = mnl_attr_nest_start(nlh, SIPGUARD_A_IFACES);

	for (unsigned int i = 0; i < c->n_ifaces; i++)
		mnl_attr_put_strz(nlh, SIPGUARD_A_IFNAME, c->ifaces[i]);
	mnl_attr_nest_end(nlh, list);
}

enum { K_MODE, K_POLICY, K_PORTS, K_TLS_PORTS, K_GUARD, N_KEYS };

static const struct conf_key {
	const char *name;
	int (*parse)(const char *s, struct sg_conf *c, char *why, size_t wl);
	int (*format)(const struct sg_conf *c, char *buf, size_t len);
	void (*put)(struct nlmsghdr *nlh, const struct sg_conf *c);
} conf_keys[N_KEYS] = {
	[K_MODE]	= { "mode", parse_mode, format_mode, put_mode },
	[K_POLICY]	= { "policy", parse_policy, format_policy, put_policy },
	[K_PORTS]	= { "ports", parse_ports, format_sip, put_sip },
	[K_TLS_PORTS]	= { "tls-ports", parse_tls_ports, format_tls, put_tls },
	[K_GUARD]	= { "guard", parse_guard, format_guard, put_guard },
};

/* The allowlist, as read from the kernel or from a file. */

struct allow_entry {
	struct prefix p;
	unsigned int line;	/* in the file; 0 when read from the kernel */
};

struct allow_vec {
	struct allow_entry *v;
	size_t n, cap;
};

/* Forget the entries (and their names), keep the room. */
static void allow_clear(struct allow_vec *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].p.name);
	a->n = 0;
}

static void allow_free(struct allow_vec *a)
{
	allow_clear(a);
	free(a->v);
	a->v = NULL;
}

/* Add a copy of @p, its name too. */
static int allow_push(struct allow_vec *a, const struct prefix *p, unsigned int line)
{
	char *name = NULL;

	if (p->name && !(name = strdup(p->name)))
		return -ENOMEM;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		struct allow_entry *v = realloc(a->v, cap * sizeof(*v));

		if (!v) {
			free(name);
			return -ENOMEM;
		}
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n].p = *p;
	a->v[a->n].p.name = name;
	a->v[a->n++].line = line;
	return 0;
}

static int cb_allow(const struct nlmsghdr *nlh, void *data)
{
	struct allow_vec *a = data;
	const struct nlattr *attr;
	struct allow_wire e;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != SIPGUARD_A_PREFIX)
			continue;
		if (!allow_nl_parse(attr, &e))
			return MNL_CB_ERROR;
		/* A learned registrar is state, not configuration: written
		 * out, setconf would make it a permanent entry. */
		if (e.learned)
			continue;
		if (allow_push(a, &e.p, 0))
			return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* The same file would be written for both (live counts ignored). */
static bool same_conf(const struct sg_conf *a, const struct sg_conf *b)
{
	char x[1024], y[1024];

	if (a->allow_count != b->allow_count)
		return false;
	for (int k = 0; k < N_KEYS; k++) {
		int fa = conf_keys[k].format(a, x, sizeof(x));
		int fb = conf_keys[k].format(b, y, sizeof(y));

		if (fa != fb || (!fa && strcmp(x, y)))
			return false;
	}
	return true;
}

/*
 * The configuration and the allowlist come from two requests: read the
 * configuration again after the dump and retry until nothing changed in
 * between, so showconf never writes a mix of two states.  (A dump that a
 * change cut into is flagged NLM_F_DUMP_INTR: libmnl returns EINTR.)
 */
static int read_state(struct sg_nl *nl, struct sg_conf *c, struct allow_vec *a)
{
	struct sg_conf again;
	int ret = 0;

	for (int tries = 0; tries < 10; tries++) {
		allow_clear(a);
		ret = get_config(nl, c);
		if (ret)
			return ret;
		ret = sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_ALLOW_GET, NLM_F_DUMP), cb_allow, a);
		if (ret == -EINTR)
			continue;
		if (ret)
			return ret;
		ret = get_config(nl, &again);
		if (ret)
			return ret;
		if (same_conf(c, &again) && a->n == c->allow_count)
			return 0;
		ret = -EAGAIN;
	}
	return ret;
}

static void format_allow(const struct prefix *p, char *buf, size_t len)
{
	char pfx[64], port[16] = "";

	prefix_format(p, pfx, sizeof(pfx));
	if (p->port)
		snprintf(port, sizeof(port), " port %u", p->port);
	snprintf(buf, len, "allow %s%s%s%s", pfx, port, p->name ? " name " : "",
		 p->name ? p->name : "");
}

int cmd_showconf(struct sg_nl *nl, int argc, char **argv)
{
	struct allow_vec a = { 0 };
	struct sg_conf c;
	char buf[1024];
	int ret;

	(void)argv;
	if (argc > 1)
		return usage_error(&showconf_cmd, "showconf takes no arguments");
	ret = read_state(nl, &c, &a);
	if (ret) {
		allow_free(&a);
		return report("reading the configuration", ret, nl);
	}
	for (int k = 0; k < N_KEYS; k++) {
		if (conf_keys[k].format(&c, buf, sizeof(buf))) {
			fprintf(stderr, "sipguardctl: the kernel's %s cannot be written as a configuration file\n",
				conf_keys[k].name);
			allow_free(&a);
			return EXIT_FAIL;
		}
		printf("%s %s\n", conf_keys[k].name, buf);
	}
	for (size_t i = 0; i < a.n; i++) {
		format_allow(&a.v[i].p, buf, sizeof(buf));
		puts(buf);
	}
	allow_free(&a);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "sipguardctl: writing the configuration: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* A parsed file: the settings it names and its allowlist. */
struct conf_file {
	const char *path;
	struct sg_conf set;
	unsigned int line[N_KEYS];	/* where each setting is; 0 = absent */
	struct allow_vec allow;
};

static int file_error(const struct conf_file *f, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int file_error(const struct conf_file *f, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	if (line)
		fprintf(stderr, "sipguardctl: %s:%u: ", f->path, line);
	else
		fprintf(stderr, "sipguardctl: %s: ", f->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* Split @line into words; a word starting with '#' ends the line. */
static int split(char *line, char **w, int max)
{
	char *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(line, " \t\r\n\v\f", &save); t; t = strtok_r(NULL, " \t\r\n\v\f", &save)) {
		if (t[0] == '#')
			break;
		if (n == max)
			return max + 1;
		w[n++] = t;
	}
	return n;
}

static int parse_line(struct conf_file *f, unsigned int lineno, char *line)
{
	char *w[6], why[512], name[SIPGUARD_NAME_MAXLEN + 1];
	struct prefix p;
	int n = split(line, w, 6), i = 2;

	if (n == 0)
		return 0;
	if (!strcmp(w[0], "allow")) {
		if (n < 2 || n > 6)
			return file_error(f, lineno, "expected 'allow PREFIX [port N] [name NAME]'");
		if (prefix_parse(w[1], &p, why, sizeof(why)))
			return file_error(f, lineno, "%s", why);
		if (i + 1 < n && !strcmp(w[i], "port")) {
			if (port_parse(w[i + 1], &p.port))
				return file_error(f, lineno, "port must be 1-65535, not '%s'", w[i + 1]);
			i += 2;
		}
		if (i + 1 < n && !strcmp(w[i], "name")) {
			if (dnsname_normalise(w[i + 1], name, why, sizeof(why)))
				return file_error(f, lineno, "%s", why);
			/* The one spelling the kernel keeps, or showconf would differ. */
			if (strcmp(name, w[i + 1]))
				return file_error(f, lineno, "write the name as %s", name);
			p.name = name;
			i += 2;
		}
		if (i != n)
			return file_error(f, lineno, "expected 'allow PREFIX [port N] [name NAME]'");
		if (allow_push(&f->allow, &p, lineno))
			return file_error(f, lineno, "%s", strerror(ENOMEM));
		return 0;
	}
	for (int k = 0; k < N_KEYS; k++) {
		if (strcmp(w[0], conf_keys[k].name))
			continue;
		if (n != 2)
			return file_error(f, lineno, "'%s' takes one value", w[0]);
		if (f->line[k])
			return file_error(f, lineno, "'%s' is set twice (also on line %u)",
					  w[0], f->line[k]);
		if (conf_keys[k].parse(w[1], &f->set, why, sizeof(why)))
			return file_error(f, lineno, "%s", why);
		f->line[k] = lineno;
		return 0;
	}
	return file_error(f, lineno, "unknown key '%s'", w[0]);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct allow_entry *x = a, *y = b;
	int d = x->p.len - y->p.len;

	if (!d)
		d = memcmp(x->p.addr, y->p.addr, sizeof(x->p.addr));
	if (!d)
		d = x->p.plen - y->p.plen;
	if (!d)
		d = x->p.port - y->p.port;
	if (!d)
		d = strcmp(x->p.name ? x->p.name : "", y->p.name ? y->p.name : "");
	if (!d)
		d = x->line < y->line ? -1 : x->line > y->line;
	return d;
}

static int read_file(struct conf_file *f, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0;
	int ret = 0;

	while (getline(&line, &cap, in) >= 0) {
		lineno++;
		ret = parse_line(f, lineno, line);
		if (ret)
			break;
	}
	free(line);
	if (!ret && ferror(in))
		ret = file_error(f, 0, "%s", strerror(errno));
	if (ret)
		return ret;
	if (f->allow.n > SIPGUARD_MAX_ALLOW)
		return file_error(f, 0, "%zu allow entries, at most %d fit", f->allow.n,
				  SIPGUARD_MAX_ALLOW);

	/* The kernel refuses a duplicate; name both lines instead. */
	if (f->allow.n > 1) {
		struct allow_entry *s = malloc(f->allow.n * sizeof(*s));
		unsigned int first = 0, dup = 0;
		char buf[512];

		if (!s)
			return file_error(f, 0, "%s", strerror(ENOMEM));
		memcpy(s, f->allow.v, f->allow.n * sizeof(*s));
		qsort(s, f->allow.n, sizeof(*s), cmp_entry);
		for (size_t i = 1; i < f->allow.n; i++) {
			struct allow_entry x = s[i - 1], y = s[i];

			x.line = y.line = 0;
			if (!cmp_entry(&x, &y) && (!dup || s[i].line < dup)) {
				first = s[i - 1].line;
				dup = s[i].line;
				format_allow(&s[i].p, buf, sizeof(buf));
			}
		}
		free(s);
		if (dup)
			return file_error(f, dup, "'%s' is already on line %u", buf, first);
	}
	return 0;
}

/*
 * What the kernel would refuse about the file only together with the
 * current settings: a port both SIP and TLS.  @cur is the current
 * configuration; the file's settings override it.
 */
static int check_merged(const struct conf_file *f, const struct sg_conf *cur)
{
	const struct port_list *sip = f->line[K_PORTS] ? &f->set.sip : &cur->sip;
	const struct port_list *tls = f->line[K_TLS_PORTS] ? &f->set.tls : &cur->tls;
	unsigned int line = f->line[K_PORTS] > f->line[K_TLS_PORTS] ?
			    f->line[K_PORTS] : f->line[K_TLS_PORTS];

	for (unsigned int i = 0; i < sip->n; i++) {
		for (unsigned int j = 0; j < tls->n; j++) {
			if (sip->r[i].min <= tls->r[j].max && tls->r[j].min <= sip->r[i].max) {
				unsigned int port = sip->r[i].min > tls->r[j].min ?
						    sip->r[i].min : tls->r[j].min;

				return file_error(f, line, "port %u would be both a SIP port%s and a TLS port%s",
						  port, f->line[K_PORTS] ? "" : " (current ports)",
						  f->line[K_TLS_PORTS] ? "" : " (current tls-ports)");
			}
		}
	}
	return 0;
}

/*
 * The whole file in one request: ALLOW_REPLACE with the complete allowlist
 * and every setting the file has.  The kernel builds one new configuration
 * from them and publishes it in one step, or refuses it all: packets never
 * see the new allowlist with the old settings or the other way round.
 * Signatures are not part of the file.
 */
static int apply(struct sg_nl *nl, const struct conf_file *f)
{
	struct allow_vec old = { 0 };
	struct sg_conf cur;
	struct nlmsghdr *nlh;
	char what[512];
	int ret, k;

	ret = read_state(nl, &cur, &old);
	allow_free(&old);
	if (ret)
		return report("reading the current configuration", ret, nl);
	ret = check_merged(f, &cur);
	if (ret)
		return ret;

	/* Each entry costs at most 40 bytes of attributes, and its name;
	 * the settings less than 4 KiB. */
	ret = sg_nl_reserve(nl, 8192 + f->allow.n * (40 + SIPGUARD_NAME_MAXLEN + 5));
	if (ret)
		return report(f->path, ret, NULL);
	nlh = sg_nl_new(nl, SIPGUARD_CMD_ALLOW_REPLACE, 0);
	for (k = 0; k < N_KEYS; k++)
		if (f->line[k])
			conf_keys[k].put(nlh, &f->set);
	for (size_t i = 0; i < f->allow.n; i++)
		allow_nl_put(nlh, &f->allow.v[i].p);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	if (ret) {
		snprintf(what, sizeof(what), "%s: applying the file (nothing changed)", f->path);
		return report(what, ret, nl);
	}
	return EXIT_OK;
}

int cmd_setconf(struct sg_nl *nl, int argc, char **argv)
{
	struct conf_file f = { 0 };
	FILE *in;
	int ret;

	if (argc != 2)
		return usage_error(&setconf_cmd, "setconf needs one FILE (or - for stdin)");
	f.path = argv[1];
	in = strcmp(f.path, "-") ? fopen(f.path, "r") : stdin;
	if (!in) {
		fprintf(stderr, "sipguardctl: %s: %s\n", f.path, strerror(errno));
		return EXIT_USAGE;
	}
	ret = read_file(&f, in);
	if (in != stdin)
		fclose(in);
	if (!ret)
		ret = apply(nl, &f);
	allow_free(&f.allow);
	return ret;
}
