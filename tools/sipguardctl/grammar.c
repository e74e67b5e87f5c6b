// SPDX-License-Identifier: GPL-2.0
/*
 * The one grammar of settings, configuration files and `allow replace`
 * files (grammar.h; sipguardctl(8), CONFIGURATION FILE).
 *
 *	# a '#' at the start of a word comments out the rest of the line
 *	mode enforce
 *	ports 5060,5080,5160-5170
 *	guard wan0,ppp0
 *	learn on
 *	signatures default		# or none: the list the lines below extend
 *	signature "EvilScan"
 *	allow 198.51.100.10/32
 *	allow 203.0.113.5/32 port 5060 name sip.provider.example
 *	xdp wan0 native			# sipguardctl xdp attach wan0 native
 *	deny 203.0.113.0/24 origin scanners
 *
 * Every key of `sipguardctl set` is a line "KEY VALUE", at most once; a key
 * left out has the module's default (conf_defaults()).  Lists repeat their
 * key, one item per line.  showconf writes every key in the order of
 * conf_keys[], then the signatures, then the allowlist, each in the one
 * spelling these parsers read back (showconf then adds the xdp lines,
 * conf_format_xdp()): `showconf | setconf -` followed by
 * showconf gives the same bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "grammar.h"
#include "resolve.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum { KIND_MODE, KIND_POLICY, KIND_PORTS, KIND_GUARD, KIND_ONOFF, KIND_INVITE, KIND_NUM };

/* sipguard_docs.sh (tools/man/check.sh) reads the key names from here. */
const struct conf_key conf_keys[N_KEYS] = {
	[K_MODE]	= { "mode", SIPGUARD_A_MODE, KIND_MODE, 1, 0, 0, NULL },
	[K_POLICY]	= { "policy", SIPGUARD_A_POLICY, KIND_POLICY, 1, 0, 0, NULL },
	[K_PORTS]	= { "ports", SIPGUARD_A_SIP_PORTS, KIND_PORTS, 0, 0, 0, NULL },
	[K_TLS_PORTS]	= { "tls-ports", SIPGUARD_A_TLS_PORTS, KIND_PORTS, 0, 0, 0, NULL },
	[K_GUARD]	= { "guard", SIPGUARD_A_IFACES, KIND_GUARD, 0, 0, 0, NULL },
	[K_LEARN]	= { "learn", SIPGUARD_A_LEARN, KIND_ONOFF, 1, 0, 0, NULL },
	[K_LEARN_MAX]	= { "learn-max", SIPGUARD_A_LEARN_MAX, KIND_NUM, 0, 1, 256, "servers" },
	[K_RATE]	= { "rate", SIPGUARD_A_RATE, KIND_NUM, 0, 1, 1000000, "packets per second per source" },
	[K_BURST]	= { "burst", SIPGUARD_A_BURST, KIND_NUM, 0, 1, 1000000, "packets" },
	[K_BAN]		= { "ban", SIPGUARD_A_BAN, KIND_NUM, 0, 0, SIPGUARD_MAX_BAN, "seconds, 0: no bans" },
	[K_BUDGET]	= { "budget", SIPGUARD_A_BUDGET, KIND_NUM, 0, 0, 1000000, "packets per second, 0: no budget" },
	[K_PREFIX4]	= { "prefix4", SIPGUARD_A_PREFIX4, KIND_NUM, 1, 8, 32, "an IPv4 prefix length" },
	[K_PREFIX6]	= { "prefix6", SIPGUARD_A_PREFIX6, KIND_NUM, 1, 16, 128, "an IPv6 prefix length" },
	[K_TABLE_MAX]	= { "table-max", SIPGUARD_A_TABLE_MAX, KIND_NUM, 0, SIPGUARD_MIN_SOURCES, SIPGUARD_MAX_SOURCES, "entries" },
	[K_UNTRUSTED_INVITE] = { "untrusted-invite", SIPGUARD_A_REFUSE_INVITE, KIND_INVITE, 1, 0, 0, NULL },
	[K_FAILURES]	= { "failures", SIPGUARD_A_FAILURES, KIND_NUM, 0, 0, SIPGUARD_MAX_FAILURES, "failure answers, 0: no failure bans" },
	[K_FAILURE_WINDOW] = { "failure-window", SIPGUARD_A_FAILURE_WINDOW, KIND_NUM, 0, 1, SIPGUARD_MAX_FAILURE_WINDOW, "seconds" },
	[K_BAN_MAX]	= { "ban-max", SIPGUARD_A_BAN_MAX, KIND_NUM, 0, 0, SIPGUARD_MAX_BAN, "seconds, 0: bans do not grow" },
};

/*
 * The module's default signatures (kmod/signatures.c), in its order:
 * `signatures default` in a file.  sipguard_conf.sh checks that a fresh
 * namespace lists exactly these.
 */
const char *const default_sigs[] = {
	"friendly-scanner", "sipvicious", "sipcli", "pplsip", "sundayddr",
	"iWar", "VaxSIPUserAgent", "VaxIPUserAgent", "SIPScan", "sip-scan",
	"smap", "sivus", "PortSIP VoIP SDK", "siparmyknife", "Nsauditor",
	"Nmap NSE",
};
const unsigned int n_default_sigs = ARRAY_SIZE(default_sigs);

static const char *const mode_names[] = {
	[SIPGUARD_MODE_OFF]	= "off",
	[SIPGUARD_MODE_MONITOR]	= "monitor",
	[SIPGUARD_MODE_ENFORCE]	= "enforce",
};

static const char *const policy_names[] = {
	[SIPGUARD_POLICY_STRICT] = "strict",
	[SIPGUARD_POLICY_OPEN]	 = "open",
};

static int lookup(const char *const *names, unsigned int n, const char *s)
{
	for (unsigned int i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

const char *conf_mode_name(unsigned int mode)
{
	return mode < ARRAY_SIZE(mode_names) ? mode_names[mode] : NULL;
}

const char *conf_policy_name(unsigned int policy)
{
	return policy < ARRAY_SIZE(policy_names) ? policy_names[policy] : NULL;
}

int conf_mode_lookup(const char *s)
{
	return lookup(mode_names, ARRAY_SIZE(mode_names), s);
}

int conf_policy_lookup(const char *s)
{
	return lookup(policy_names, ARRAY_SIZE(policy_names), s);
}

int conf_key_lookup(const char *name)
{
	for (int k = 0; k < N_KEYS; k++)
		if (!strcmp(conf_keys[k].name, name))
			return k;
	return -1;
}

static uint32_t *num_field(int k, struct sg_conf *c)
{
	switch (k) {
	case K_LEARN_MAX: return &c->learn_max;
	case K_RATE: return &c->rate;
	case K_BURST: return &c->burst;
	case K_BAN: return &c->ban;
	case K_BUDGET: return &c->budget;
	case K_PREFIX4: return &c->prefix4;
	case K_PREFIX6: return &c->prefix6;
	case K_TABLE_MAX: return &c->table_max;
	case K_FAILURES: return &c->failures;
	case K_FAILURE_WINDOW: return &c->failure_window;
	case K_BAN_MAX: return &c->ban_max;
	}
	return NULL;
}

/* A decimal number in [min, max]; returns 0 or -1. */
static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long x;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x < min || x > max)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* "5060,5080,5160-5170" or "none": no empty item, at most 64 ranges. */
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
			snprintf(why, wl, "'%s': more than %d port ranges", s, SIPGUARD_MAX_PORT_RANGES);
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
	snprintf(why, wl, "'%s' is not a port list like 5060,5080,5160-5170 (ports 1-65535) or none", s);
	return -1;
}

/* A name the file can carry back: no separator, blank or quote in it. */
static bool iface_writable(const char *n)
{
	return *n && n[0] != '#' && n[0] != '"' && strcmp(n, "all") &&
	       !strpbrk(n, ", \t\r\n\v\f");
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
		if (!iface_writable(c->ifaces[c->n_ifaces])) {
			snprintf(why, wl, "'%s' is not an interface name", c->ifaces[c->n_ifaces]);
			return -1;
		}
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

int conf_key_parse(int k, const char *s, struct sg_conf *c, char *why, size_t wl)
{
	const struct conf_key *key = &conf_keys[k];
	int v;

	switch (key->kind) {
	case KIND_MODE:
		v = conf_mode_lookup(s);
		if (v < 0)
			break;
		c->mode = (unsigned int)v;
		return 0;
	case KIND_POLICY:
		v = conf_policy_lookup(s);
		if (v < 0)
			break;
		c->policy = (unsigned int)v;
		return 0;
	case KIND_PORTS:
		return parse_port_list(s, k == K_PORTS ? &c->sip : &c->tls, why, wl);
	case KIND_GUARD:
		return parse_guard(s, c, why, wl);
	case KIND_ONOFF:
		if (strcmp(s, "on") && strcmp(s, "off"))
			break;
		c->learn = !strcmp(s, "on");
		return 0;
	case KIND_INVITE:
		if (strcmp(s, "accept") && strcmp(s, "refuse"))
			break;
		c->refuse_invite = !strcmp(s, "refuse");
		return 0;
	case KIND_NUM:
		if (parse_u32(s, key->min, key->max, num_field(k, c)))
			break;
		return 0;
	}
	switch (key->kind) {
	case KIND_MODE:
		snprintf(why, wl, "mode must be off, monitor or enforce, not '%s'", s);
		break;
	case KIND_POLICY:
		snprintf(why, wl, "policy must be strict or open, not '%s'", s);
		break;
	case KIND_ONOFF:
		snprintf(why, wl, "%s must be on or off, not '%s'", key->name, s);
		break;
	case KIND_INVITE:
		snprintf(why, wl, "%s must be accept or refuse, not '%s'", key->name, s);
		break;
	default:
		snprintf(why, wl, "%s: '%s' is not %u-%u (%s)", key->name, s, key->min, key->max,
			 key->what);
	}
	return -1;
}

void format_ports(const struct port_list *pl, char *buf, size_t len)
{
	size_t off = 0;

	snprintf(buf, len, "none");
	for (unsigned int i = 0; i < pl->n && off < len; i++) {
		if (pl->r[i].min == pl->r[i].max)
			off += snprintf(buf + off, len - off, "%s%u", i ? "," : "", pl->r[i].min);
		else
			off += snprintf(buf + off, len - off, "%s%u-%u", i ? "," : "",
					pl->r[i].min, pl->r[i].max);
	}
}

int conf_key_format(int k, const struct sg_conf *c, char *buf, size_t len)
{
	const struct conf_key *key = &conf_keys[k];
	const char *s = NULL;
	size_t off = 0;

	switch (key->kind) {
	case KIND_MODE:
		s = conf_mode_name(c->mode);
		break;
	case KIND_POLICY:
		s = conf_policy_name(c->policy);
		break;
	case KIND_ONOFF:
		s = c->learn > 1 ? NULL : c->learn ? "on" : "off";
		break;
	case KIND_INVITE:
		s = c->refuse_invite > 1 ? NULL : c->refuse_invite ? "refuse" : "accept";
		break;
	case KIND_PORTS:
		/* 64 ranges of 11 characters */
		if (len < 64 * 12)
			return -1;
		format_ports(k == K_PORTS ? &c->sip : &c->tls, buf, len);
		return 0;
	case KIND_NUM: {
		uint32_t v = *num_field(k, (struct sg_conf *)c);

		if (v < key->min || v > key->max)
			return -1;
		snprintf(buf, len, "%u", v);
		return 0;
	}
	case KIND_GUARD:
		/*
		 * The kernel stores any name it is given; one the file cannot
		 * carry is refused rather than written to read back as
		 * something else.
		 */
		snprintf(buf, len, "all");
		for (unsigned int i = 0; i < c->n_ifaces; i++) {
			if (!iface_writable(c->ifaces[i]))
				return -1;
			off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
					i ? "," : "", c->ifaces[i]);
		}
		return off < len ? 0 : -1;
	}
	if (!s)
		return -1;
	snprintf(buf, len, "%s", s);
	return 0;
}

/* A parameter file of the module: its first line, without the newline. */
static int read_param(const char *dir, const char *name, char *buf, size_t len)
{
	char path[512];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, (int)len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ret = 0;
	}
	fclose(f);
	return ret;
}

unsigned int conf_defaults(struct sg_conf *c, const char *sysdir)
{
	static const struct { int key; const char *param; } params[] = {
		{ K_MODE, "mode" }, { K_POLICY, "policy" }, { K_PORTS, "ports" },
		{ K_TLS_PORTS, "tls_ports" }, { K_TABLE_MAX, "table_max" },
	};
	unsigned int from_sys = 0;
	char buf[1024], why[256];

	memset(c, 0, sizeof(*c));
	/* The module's built-in values: one definition, in the uapi header. */
	c->mode = SIPGUARD_MODE_MONITOR;
	c->policy = SIPGUARD_POLICY_STRICT;
	c->sip.n = 1;
	c->sip.r[0].min = c->sip.r[0].max = 5060;
	c->tls.n = 1;
	c->tls.r[0].min = c->tls.r[0].max = 5061;
	c->learn = 0;
	c->learn_max = SIPGUARD_DEFAULT_LEARN_MAX;
	c->rate = SIPGUARD_DEFAULT_RATE;
	c->burst = SIPGUARD_DEFAULT_BURST;
	c->ban = SIPGUARD_DEFAULT_BAN;
	c->budget = SIPGUARD_DEFAULT_BUDGET;
	c->prefix4 = SIPGUARD_DEFAULT_PREFIX4;
	c->prefix6 = SIPGUARD_DEFAULT_PREFIX6;
	c->table_max = SIPGUARD_DEFAULT_TABLE_MAX;
	c->refuse_invite = 0;
	c->failures = SIPGUARD_DEFAULT_FAILURES;
	c->failure_window = SIPGUARD_DEFAULT_FAILURE_WINDOW;
	c->ban_max = SIPGUARD_DEFAULT_BAN_MAX;
	/* What modprobe.d may have changed; the module refuses to load with a bad one. */
	for (size_t i = 0; sysdir && i < ARRAY_SIZE(params); i++) {
		struct sg_conf t = *c;

		if (read_param(sysdir, params[i].param, buf, sizeof(buf)))
			continue;
		if (conf_key_parse(params[i].key, buf, &t, why, sizeof(why)))
			continue;
		*c = t;
		from_sys |= 1U << params[i].key;
	}
	return from_sys;
}

bool sig_valid(const char *s, char *why, size_t wl)
{
	size_t len = strlen(s);

	if (!len || len > SIPGUARD_SIG_MAXLEN) {
		snprintf(why, wl, "a signature is 1-%d characters", SIPGUARD_SIG_MAXLEN);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e) {
			snprintf(why, wl, "a signature is printable ASCII characters only");
			return false;
		}
	}
	return true;
}

/* The allowlist vector. */

void allow_clear(struct allow_vec *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].p.name);
	a->n = 0;
}

void allow_free(struct allow_vec *a)
{
	allow_clear(a);
	free(a->v);
	a->v = NULL;
	a->cap = 0;
}

int allow_push(struct allow_vec *a, const struct prefix *p, unsigned int line)
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

int parse_allow_words(int argc, char **argv, struct prefix *p, char *name,
		      char *why, size_t wl)
{
	int i = 1;

	if (argc < 1) {
		snprintf(why, wl, "a prefix is missing");
		return -1;
	}
	if (prefix_parse(argv[0], p, why, wl))
		return -1;
	if (i < argc && !strcmp(argv[i], "port")) {
		if (i + 1 >= argc || port_parse(argv[i + 1], &p->port)) {
			snprintf(why, wl, "port must be 1-65535%s%s%s", i + 1 < argc ? ", not '" : "",
				 i + 1 < argc ? argv[i + 1] : "", i + 1 < argc ? "'" : "");
			return -1;
		}
		i += 2;
	}
	if (i < argc && !strcmp(argv[i], "name")) {
		if (i + 1 >= argc) {
			snprintf(why, wl, "name needs a DNS name");
			return -1;
		}
		if (dnsname_normalise(argv[i + 1], name, why, wl))
			return -1;
		p->name = name;
		i += 2;
	}
	if (i != argc) {
		snprintf(why, wl, "unexpected '%s': expected PREFIX [port N] [name NAME]", argv[i]);
		return -1;
	}
	return 0;
}

void format_allow(const struct prefix *p, char *buf, size_t len)
{
	char pfx[64], port[16] = "";

	prefix_format(p, pfx, sizeof(pfx));
	if (p->port)
		snprintf(port, sizeof(port), " port %u", p->port);
	snprintf(buf, len, "%s%s%s%s", pfx, port, p->name ? " name " : "",
		 p->name ? p->name : "");
}

int split_words(char *line, char **w, int max, char *why, size_t wl)
{
	char *p = line, *out;
	int n = 0;

	while (1) {
		p += strspn(p, " \t\r\n\v\f");
		if (!*p || *p == '#')
			return n;
		if (n == max)
			return max + 1;
		if (*p != '"') {
			w[n++] = p;
			p += strcspn(p, " \t\r\n\v\f");
			if (*p)
				*p++ = '\0';
			continue;
		}
		/* A quoted word, unquoted in place. */
		w[n++] = out = p++;
		while (*p != '"') {
			if (!*p || *p == '\n') {
				snprintf(why, wl, "a quote is not closed");
				return -1;
			}
			if (*p == '\\') {
				p++;
				if (*p != '"' && *p != '\\') {
					snprintf(why, wl, "only \\\" and \\\\ are escapes in quotes");
					return -1;
				}
			}
			*out++ = *p++;
		}
		p++;
		if (*p && !strchr(" \t\r\n\v\f", *p)) {
			snprintf(why, wl, "a blank must follow a closing quote");
			return -1;
		}
		if (*p)
			p++;
		*out = '\0';
	}
}

/* The drop-in overall line @line is in, or NULL for the main file. */
static const struct conf_source *source_of(const struct conf_file *f, unsigned int line)
{
	for (unsigned int i = f->n_src; i-- > 0; )
		if (line >= f->src[i].first)
			return &f->src[i];
	return NULL;
}

void conf_file_where(const struct conf_file *f, unsigned int line, char *buf, size_t len)
{
	const struct conf_source *s = source_of(f, line);

	snprintf(buf, len, "%s:%u", s ? s->path : f->path, s ? line - s->first + 1 : line);
}

/* Line @there, for a message about line @here: "line N" in the same file, else "FILE:N". */
static const char *other_line(const struct conf_file *f, unsigned int here, unsigned int there,
			      char *buf, size_t len)
{
	const struct conf_source *s = source_of(f, there);

	if (s == source_of(f, here))
		snprintf(buf, len, "line %u", s ? there - s->first + 1 : there);
	else
		conf_file_where(f, there, buf, len);
	return buf;
}

/*
 * Errors: each "FILE:LINE: message" (or "FILE: message") a line of f->err,
 * the first CONF_MAX_ERRORS of them; all are counted in f->n_err.
 */
static int verr(struct conf_file *f, const char *where, const char *fmt, va_list ap)
{
	size_t used = strlen(f->err), room;
	char *p = f->err + used;
	int off;

	if (++f->n_err > CONF_MAX_ERRORS)
		return -1;
	if (used) {
		*p++ = '\n';
		used++;
	}
	room = sizeof(f->err) - used;
	if (room > CONF_ERR_LEN - 1)
		room = CONF_ERR_LEN - 1;
	off = snprintf(p, room, "%s: ", where);
	if (off >= 0 && (size_t)off < room)
		vsnprintf(p + off, room - off, fmt, ap);
	return -1;
}

static int perr(struct conf_file *f, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct conf_file *f, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(f, path, fmt, ap);
	va_end(ap);
	return -1;
}

/* An error at overall line @line, or (0) of the file being read. */
static int ferr(struct conf_file *f, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int ferr(struct conf_file *f, unsigned int line, const char *fmt, ...)
{
	char where[512];
	va_list ap;

	if (line) {
		conf_file_where(f, line, where, sizeof(where));
	} else {
		const struct conf_source *s = f->n_src ? &f->src[f->n_src - 1] : NULL;

		snprintf(where, sizeof(where), "%s", s ? s->path : f->path);
	}
	va_start(ap, fmt);
	verr(f, where, fmt, ap);
	va_end(ap);
	return -1;
}

void conf_file_print_errors(const struct conf_file *f, FILE *out)
{
	const char *p = f->err, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		fprintf(out, "sipguardctl: %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		if (!nl)
			break;
		p = nl + 1;
	}
	if (f->n_err > CONF_MAX_ERRORS)
		fprintf(out, "sipguardctl: %s: %u more errors\n", f->path,
			f->n_err - CONF_MAX_ERRORS);
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
	return d;
}

static int cmp_entry_line(const void *a, const void *b)
{
	const struct allow_entry *x = a, *y = b;
	int d = cmp_entry(a, b);

	return d ? d : x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_name(const void *a, const void *b)
{
	const struct allow_entry *x = a, *y = b;

	return strcmp(x->p.name ? x->p.name : "", y->p.name ? y->p.name : "");
}

struct dup {
	unsigned int line, first;
	size_t i;		/* in f->allow */
};

static int cmp_dup(const void *a, const void *b)
{
	const struct dup *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * What the kernel refuses about a whole allowlist, found here first: every
 * line that repeats an entry (named with its first line), too many
 * entries, too many names.
 */
static void check_allow(struct conf_file *f)
{
	struct allow_entry *s;
	struct dup *d;
	unsigned int names = 0, name_line = 0, n_dup = 0;
	char buf[512], where[512];
	size_t n = f->allow.n;

	if (n > SIPGUARD_MAX_ALLOW)
		ferr(f, f->allow.v[SIPGUARD_MAX_ALLOW].line,
		     "%zu allow entries, at most %d fit", n, SIPGUARD_MAX_ALLOW);
	if (n < 2)
		return;
	s = malloc(n * sizeof(*s));
	d = malloc(n * sizeof(*d));
	if (!s || !d) {
		free(s);
		free(d);
		ferr(f, 0, "%s", strerror(ENOMEM));
		return;
	}
	memcpy(s, f->allow.v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_entry_line);
	/* Equal entries sort together, by line: the first of each run is the original. */
	for (size_t i = 1, first = 0; i < n; i++) {
		if (cmp_entry(&s[first], &s[i])) {
			first = i;
			continue;
		}
		d[n_dup].line = s[i].line;
		d[n_dup].first = s[first].line;
		d[n_dup++].i = i;
	}
	qsort(d, n_dup, sizeof(*d), cmp_dup);
	for (unsigned int i = 0; i < n_dup; i++) {
		format_allow(&s[d[i].i].p, buf, sizeof(buf));
		ferr(f, d[i].line, "'allow %s' is already on %s", buf,
		     other_line(f, d[i].line, d[i].first, where, sizeof(where)));
	}
	free(d);
	/* Distinct names: the line that brings the one too many. */
	qsort(s, n, sizeof(*s), cmp_name);
	for (size_t i = 0; i < n; i++) {
		if (!s[i].p.name || (i && s[i - 1].p.name && !strcmp(s[i - 1].p.name, s[i].p.name)))
			continue;
		names++;
	}
	free(s);
	if (names > SIPGUARD_MAX_NAMES) {
		/* In file order, the first line of the (MAX_NAMES + 1)th name. */
		unsigned int seen = 0;

		for (size_t i = 0; i < n && !name_line; i++) {
			bool before = false;

			if (!f->allow.v[i].p.name)
				continue;
			for (size_t j = 0; j < i && !before; j++)
				before = f->allow.v[j].p.name &&
					 !strcmp(f->allow.v[j].p.name, f->allow.v[i].p.name);
			if (!before && ++seen > SIPGUARD_MAX_NAMES)
				name_line = f->allow.v[i].line;
		}
		ferr(f, name_line, "%u distinct names, at most %d fit", names, SIPGUARD_MAX_NAMES);
	}
}

/*
 * A word that is a host name, not an address: letters, digits, '-' and
 * at least one '.', a letter in its last label.
 */
static bool looks_like_name(const char *s)
{
	const char *last = strrchr(s, '.');

	if (!last || s[0] == '.' || s[0] == '-' || s[strspn(s, "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")])
		return false;
	return strpbrk(last, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL;
}

static int allow_line(struct conf_file *f, unsigned int lineno, int n, char **w)
{
	char why[512], name[SIPGUARD_NAME_MAXLEN + 1];
	struct prefix p;

	if (n < 1 || n > 5 || parse_allow_words(n, w, &p, name, why, sizeof(why))) {
		if (n < 1 || n > 5)
			snprintf(why, sizeof(why), "expected 'allow PREFIX [port N] [name NAME]'");
		else if (looks_like_name(w[0]))
			/* A file holds addresses: names are resolved by allow add and refresh. */
			return ferr(f, lineno, "'%s' is a name, not an address: a file lists its addresses"
				    " as 'allow ADDRESS name %s'; `sipguardctl allow add %s` resolves"
				    " it (showconf then writes those lines, allow refresh updates them)",
				    w[0], w[0], w[0]);
		return ferr(f, lineno, "%s", why);
	}
	if (allow_push(&f->allow, &p, lineno))
		return ferr(f, lineno, "%s", strerror(ENOMEM));
	return 0;
}

static const char *const xdp_mode_names[] = {
	[XDP_MODE_NATIVE]	= "native",
	[XDP_MODE_GENERIC]	= "generic",
};

const char *xdp_mode_name(unsigned int mode)
{
	return mode < ARRAY_SIZE(xdp_mode_names) ? xdp_mode_names[mode] : NULL;
}

int xdp_list_add(struct xdp_list *x, const char *dev, const char *mode,
		 unsigned int line, char *why, size_t wl)
{
	int m = XDP_MODE_ANY;

	if (strlen(dev) >= IFNAMSIZ || !iface_writable(dev)) {
		snprintf(why, wl, "'%s' is not an interface name (at most %d characters)",
			 dev, IFNAMSIZ - 1);
		return -1;
	}
	if (mode && (m = lookup(xdp_mode_names, ARRAY_SIZE(xdp_mode_names), mode)) < 0) {
		snprintf(why, wl, "xdp mode must be native or generic, not '%s'", mode);
		return -1;
	}
	for (unsigned int i = 0; i < x->n; i++) {
		if (!strcmp(x->v[i].dev, dev)) {
			if (x->v[i].line)
				snprintf(why, wl, "'xdp %s' is already on line %u", dev, x->v[i].line);
			else
				snprintf(why, wl, "interface '%s' is listed twice", dev);
			return -1;
		}
	}
	if (x->n == XDP_MAX_DEVS) {
		snprintf(why, wl, "more than %d xdp interfaces", XDP_MAX_DEVS);
		return -1;
	}
	snprintf(x->v[x->n].dev, sizeof(x->v[0].dev), "%s", dev);
	x->v[x->n].mode = (unsigned int)m;
	x->v[x->n++].line = line;
	return 0;
}

static int xdp_line(struct conf_file *f, unsigned int lineno, int n, char **w)
{
	char why[512];

	if (n < 1 || n > 2)
		return ferr(f, lineno, "expected 'xdp DEV [native|generic]'");
	for (unsigned int i = 0; i < f->xdp.n; i++)
		if (!strcmp(f->xdp.v[i].dev, w[0]))
			return ferr(f, lineno, "'xdp %s' is already on %s", w[0],
				    other_line(f, lineno, f->xdp.v[i].line, why, sizeof(why)));
	if (xdp_list_add(&f->xdp, w[0], n == 2 ? w[1] : NULL, lineno, why, sizeof(why)))
		return ferr(f, lineno, "%s", why);
	return 0;
}

void deny_free(struct deny_vec *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

int deny_push(struct deny_vec *d, const struct deny_entry *e)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct deny_entry *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return -1;
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = *e;
	return 0;
}

bool origin_valid(const char *s, char *why, size_t wl)
{
	size_t n = strlen(s);

	if (!n || n > SIPGUARD_ORIGIN_MAXLEN) {
		snprintf(why, wl, "origin '%s': 1-%d characters", s, SIPGUARD_ORIGIN_MAXLEN);
		return false;
	}
	if (strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != n) {
		snprintf(why, wl, "origin '%s': only a-z, 0-9, '-', '_' and '.'", s);
		return false;
	}
	return true;
}

int parse_deny_words(int argc, char **argv, struct deny_entry *e, bool with_origin,
		     bool del, char *why, size_t wl)
{
	memset(e, 0, sizeof(*e));
	if (argc < 1) {
		snprintf(why, wl, "a prefix is required");
		return -1;
	}
	if (prefix_parse(argv[0], &e->p, why, wl))
		return -1;
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc) {
			snprintf(why, wl, "'%s' needs a value", argv[i]);
			return -1;
		}
		if (!strcmp(argv[i], "timeout") && !del && !e->timeout) {
			if (parse_u32(argv[++i], 1, SIPGUARD_MAX_DENY_TIMEOUT, &e->timeout)) {
				snprintf(why, wl, "timeout '%s': seconds, 1-%d", argv[i],
					 SIPGUARD_MAX_DENY_TIMEOUT);
				return -1;
			}
		} else if (!strcmp(argv[i], "origin") && with_origin && !e->origin[0]) {
			if (!origin_valid(argv[++i], why, wl))
				return -1;
			snprintf(e->origin, sizeof(e->origin), "%s", argv[i]);
		} else {
			snprintf(why, wl, "unexpected '%s'", argv[i]);
			return -1;
		}
	}
	return 0;
}

void format_deny(const struct deny_entry *e, char *buf, size_t len)
{
	char pfx[64], t[32] = "";

	prefix_format(&e->p, pfx, sizeof(pfx));
	if (e->timeout)
		snprintf(t, sizeof(t), " timeout %u", e->timeout);
	snprintf(buf, len, "%s%s%s%s", pfx, t,
		 e->origin[0] && strcmp(e->origin, SIPGUARD_DENY_ORIGIN_DEFAULT) ? " origin " : "",
		 e->origin[0] && strcmp(e->origin, SIPGUARD_DENY_ORIGIN_DEFAULT) ? e->origin : "");
}

static int deny_line(struct conf_file *f, unsigned int lineno, int n, char **w)
{
	struct deny_entry e;
	bool have = false;
	char why[512];
	size_t i, o;

	if (parse_deny_words(n, w, &e, true, false, why, sizeof(why)))
		return ferr(f, lineno, "%s (expected 'deny PREFIX [timeout SECONDS] [origin NAME]')", why);
	if (!e.origin[0])
		snprintf(e.origin, sizeof(e.origin), "%s", SIPGUARD_DENY_ORIGIN_DEFAULT);
	e.line = lineno;
	/* The kernel holds at most SIPGUARD_DENY_ORIGINS origins. */
	for (i = 0, o = 0; i < f->deny.n; i++) {
		size_t j;

		for (j = 0; j < i && strcmp(f->deny.v[j].origin, f->deny.v[i].origin); j++)
			;
		o += j == i;
		have |= !strcmp(f->deny.v[i].origin, e.origin);
	}
	if (!have && o >= SIPGUARD_DENY_ORIGINS)
		return ferr(f, lineno, "more than %d deny origins", SIPGUARD_DENY_ORIGINS);
	if (deny_push(&f->deny, &e))
		return ferr(f, lineno, "%s", strerror(ENOMEM));
	return 0;
}

static int sig_find(const struct sig_list *l, const char *s)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (!strcasecmp(l->s[i], s))
			return (int)i;
	return -1;
}

static int parse_line(struct conf_file *f, unsigned int lineno, char *line)
{
	bool *sig_seen = &f->sig_seen;
	char *w[8], why[512];
	int n = split_words(line, w, 7, why, sizeof(why)), k;

	if (n < 0)
		return ferr(f, lineno, "%s", why);
	if (n == 0)
		return 0;
	if (!strcmp(w[0], "allow"))
		return allow_line(f, lineno, n - 1, w + 1);
	if (!strcmp(w[0], "xdp"))
		return xdp_line(f, lineno, n - 1, w + 1);
	if (!strcmp(w[0], "deny"))
		return deny_line(f, lineno, n - 1, w + 1);
	if (!strcmp(w[0], "signatures")) {
		if (n != 2 || (strcmp(w[1], "default") && strcmp(w[1], "none")))
			return ferr(f, lineno, "expected 'signatures default' or 'signatures none'");
		if (f->sigs_line)
			return ferr(f, lineno, "'signatures' is set twice (also on %s)",
				    other_line(f, lineno, f->sigs_line, why, sizeof(why)));
		if (*sig_seen)
			return ferr(f, lineno, "'signatures' must come before the signature lines");
		f->sigs_line = lineno;
		f->sigs_none = !strcmp(w[1], "none");
		return 0;
	}
	if (!strcmp(w[0], "signature")) {
		if (n != 2)
			return ferr(f, lineno, "expected 'signature STRING' (quote it if it has blanks)");
		if (!*sig_seen) {
			*sig_seen = true;
			f->sigs.n = 0;
			for (unsigned int i = 0; !f->sigs_none && i < n_default_sigs; i++) {
				snprintf(f->sigs.s[f->sigs.n], sizeof(f->sigs.s[0]), "%s", default_sigs[i]);
				f->sig_line[f->sigs.n++] = 0;
			}
		}
		if (!sig_valid(w[1], why, sizeof(why)))
			return ferr(f, lineno, "%s", why);
		k = sig_find(&f->sigs, w[1]);
		if (k >= 0) {
			if (f->sig_line[k])
				return ferr(f, lineno, "signature \"%s\" is already on %s (signatures match in any case)",
					    w[1], other_line(f, lineno, f->sig_line[k], why, sizeof(why)));
			return ferr(f, lineno, "signature \"%s\" is a default one (signatures default)", w[1]);
		}
		if (f->sigs.n == SIPGUARD_MAX_SIGNATURES)
			return ferr(f, lineno, "more than %d signatures", SIPGUARD_MAX_SIGNATURES);
		snprintf(f->sigs.s[f->sigs.n], sizeof(f->sigs.s[0]), "%s", w[1]);
		f->sig_line[f->sigs.n++] = lineno;
		return 0;
	}
	k = conf_key_lookup(w[0]);
	if (k < 0)
		return ferr(f, lineno, "unknown key '%s'", w[0]);
	if (n != 2)
		return ferr(f, lineno, "'%s' takes one value", w[0]);
	if (f->line[k])
		return ferr(f, lineno, "'%s' is set twice (also on %s)", w[0],
			    other_line(f, lineno, f->line[k], why, sizeof(why)));
	if (conf_key_parse(k, w[1], &f->set, why, sizeof(why)))
		return ferr(f, lineno, "%s", why);
	f->line[k] = lineno;
	return 0;
}

unsigned int ports_overlap(const struct sg_conf *c)
{
	const struct port_list *sip = &c->sip, *tls = &c->tls;

	for (unsigned int i = 0; i < sip->n; i++)
		for (unsigned int j = 0; j < tls->n; j++)
			if (sip->r[i].min <= tls->r[j].max && tls->r[j].min <= sip->r[i].max)
				return sip->r[i].min > tls->r[j].min ? sip->r[i].min : tls->r[j].min;
	return 0;
}

/* A port both SIP and TLS: the kernel refuses it. */
static void check_ports(struct conf_file *f)
{
	unsigned int line = f->line[K_PORTS] > f->line[K_TLS_PORTS] ?
			    f->line[K_PORTS] : f->line[K_TLS_PORTS];
	unsigned int port = ports_overlap(&f->set);

	if (port)
		ferr(f, line, "port %u would be both a SIP port%s and a TLS port%s",
		     port, f->line[K_PORTS] ? "" : " (default ports)",
		     f->line[K_TLS_PORTS] ? "" : " (default tls-ports)");
}

/*
 * One file's lines, numbered on from the files before it; every bad line
 * is an error and reading goes on.  A UTF-8 byte order mark (editors on
 * other systems write one) starts the first line unseen.
 */
static void read_stream(struct conf_file *f, FILE *in, bool allow_only)
{
	char *line = NULL, *p;
	size_t cap = 0;
	bool first = true;

	while (getline(&line, &cap, in) >= 0) {
		unsigned int lineno = ++f->lines;

		p = line;
		if (first && !strncmp(p, "\xef\xbb\xbf", 3))
			p += 3;
		first = false;
		if (allow_only) {
			char *words[8], why[512];
			int n = split_words(p, words, 7, why, sizeof(why));

			if (n < 0)
				ferr(f, lineno, "%s", why);
			else if (n > 0)
				allow_line(f, lineno, n, words);
		} else {
			parse_line(f, lineno, p);
		}
	}
	free(line);
	if (ferror(in))
		ferr(f, 0, "%s", strerror(errno));
}

/* What the whole configuration must be, once every file is read. */
static int finish(struct conf_file *f, bool allow_only)
{
	unsigned int line_errors = f->n_err;

	if (!allow_only && !f->sig_seen) {
		/* No signature line: `signatures default` or `none` alone. */
		f->sigs.n = 0;
		for (unsigned int i = 0; !f->sigs_none && i < n_default_sigs; i++)
			snprintf(f->sigs.s[f->sigs.n++], sizeof(f->sigs.s[0]), "%s", default_sigs[i]);
	}
	check_allow(f);
	/* A bad ports line leaves the default: an overlap then says nothing new. */
	if (!allow_only && !line_errors)
		check_ports(f);
	return f->n_err ? -1 : 0;
}

int conf_file_read(struct conf_file *f, FILE *in, const struct sg_conf *defaults)
{
	f->set = *defaults;
	read_stream(f, in, false);
	return finish(f, false);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int conf_dropins(const char *dir, char ***names)
{
	char **v = NULL, **nv, *path;
	size_t n = 0, len;
	struct dirent *d;
	struct stat st;
	DIR *dh;
	int err;

	*names = NULL;
	dh = opendir(dir);
	if (!dh)
		return errno == ENOENT ? 0 : -errno;
	while ((errno = 0, d = readdir(dh))) {
		len = strlen(d->d_name);
		if (d->d_name[0] == '.' || len <= 5 || strcmp(d->d_name + len - 5, ".conf"))
			continue;
		if (asprintf(&path, "%s/%s", dir, d->d_name) < 0)
			goto nomem;
		/* Not a directory or a device; a broken link is kept, for its error. */
		if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv) {
			free(path);
			goto nomem;
		}
		v = nv;
		v[n++] = path;
	}
	err = errno;
	closedir(dh);
	if (err) {
		while (n)
			free(v[--n]);
		free(v);
		return -err;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	*names = v;
	return (int)n;
nomem:
	closedir(dh);
	while (n)
		free(v[--n]);
	free(v);
	return -ENOMEM;
}

int conf_file_read_all(struct conf_file *f, FILE *in, const char *dir,
		       const struct sg_conf *defaults)
{
	char **names = NULL;
	int n;

	f->set = *defaults;
	read_stream(f, in, false);
	n = dir ? conf_dropins(dir, &names) : 0;
	if (n < 0) {
		perr(f, dir, "%s", strerror(-n));
		return finish(f, false);
	}
	for (int i = 0; i < n; i++) {
		struct conf_source *s = realloc(f->src, (f->n_src + 1) * sizeof(*s));
		FILE *fp;

		if (!s) {
			perr(f, names[i], "%s", strerror(ENOMEM));
			free(names[i]);
			continue;
		}
		f->src = s;
		f->src[f->n_src].path = names[i];
		f->src[f->n_src++].first = f->lines + 1;
		fp = fopen(names[i], "r");
		if (!fp) {
			perr(f, names[i], "%s", strerror(errno));
			continue;
		}
		read_stream(f, fp, false);
		fclose(fp);
	}
	free(names);
	return finish(f, false);
}

int allow_file_read(struct conf_file *f, FILE *in)
{
	read_stream(f, in, true);
	return finish(f, true);
}

void conf_file_free(struct conf_file *f)
{
	allow_free(&f->allow);
	deny_free(&f->deny);
	for (unsigned int i = 0; i < f->n_src; i++)
		free(f->src[i].path);
	free(f->src);
	f->src = NULL;
	f->n_src = 0;
}

/* A growing string. */
struct sbuf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		size_t cap = (b->cap + n + 1) * 2;
		char *s = realloc(b->s, cap);

		if (!s) {
			b->failed = true;
			return;
		}
		b->s = s;
		b->cap = cap;
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += n;
}

/* Always quoted: a signature may hold blanks, '#' and quotes. */
static void sb_quoted(struct sbuf *b, const char *s)
{
	sb_printf(b, "\"");
	for (; *s; s++)
		sb_printf(b, "%s%c", *s == '"' || *s == '\\' ? "\\" : "", *s);
	sb_printf(b, "\"");
}

char *conf_format(const struct sg_conf *c, const struct sig_list *sigs,
		  const struct allow_vec *a, char *why, size_t wl)
{
	struct sbuf b = { .cap = 4096 };
	char buf[1024];
	unsigned int first = 0;

	b.s = malloc(b.cap);
	if (!b.s)
		goto nomem;
	b.s[0] = '\0';
	for (int k = 0; k < N_KEYS; k++) {
		if (conf_key_format(k, c, buf, sizeof(buf))) {
			snprintf(why, wl, "the kernel's %s cannot be written as a configuration file",
				 conf_keys[k].name);
			free(b.s);
			return NULL;
		}
		sb_printf(&b, "%s %s\n", conf_keys[k].name, buf);
	}
	/* The default list, if the list starts with it, in its order. */
	if (sigs->n >= n_default_sigs) {
		while (first < n_default_sigs && !strcmp(sigs->s[first], default_sigs[first]))
			first++;
		if (first < n_default_sigs)
			first = 0;
	}
	sb_printf(&b, "signatures %s\n", first ? "default" : "none");
	for (unsigned int i = first; i < sigs->n; i++) {
		if (!sig_valid(sigs->s[i], buf, sizeof(buf))) {
			snprintf(why, wl, "the kernel's signature '%s' cannot be written: %s",
				 sigs->s[i], buf);
			free(b.s);
			return NULL;
		}
		sb_printf(&b, "signature ");
		sb_quoted(&b, sigs->s[i]);
		sb_printf(&b, "\n");
	}
	for (size_t i = 0; i < a->n; i++) {
		format_allow(&a->v[i].p, buf, sizeof(buf));
		sb_printf(&b, "allow %s\n", buf);
	}
	if (!b.failed)
		return b.s;
	free(b.s);
nomem:
	snprintf(why, wl, "%s", strerror(ENOMEM));
	return NULL;
}

char *conf_format_xdp(const struct xdp_list *x, char *why, size_t wl)
{
	struct sbuf b = { .cap = 256 };

	b.s = malloc(b.cap);
	if (!b.s)
		goto nomem;
	b.s[0] = '\0';
	for (unsigned int i = 0; i < x->n; i++) {
		const char *mode = xdp_mode_name(x->v[i].mode);

		if (!iface_writable(x->v[i].dev)) {
			snprintf(why, wl, "the interface name '%s' cannot be written as a configuration file",
				 x->v[i].dev);
			free(b.s);
			return NULL;
		}
		sb_printf(&b, "xdp %s%s%s\n", x->v[i].dev, mode ? " " : "", mode ? mode : "");
	}
	if (!b.failed)
		return b.s;
	free(b.s);
nomem:
	snprintf(why, wl, "%s", strerror(ENOMEM));
	return NULL;
}
