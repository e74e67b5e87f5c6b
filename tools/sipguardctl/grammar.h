/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one grammar of sipguardctl's settings: `set KEY VALUE...`, the lines of
 * a configuration file (showconf/setconf) and the lines of `allow replace`
 * are read by the functions here and nowhere else, and showconf writes with
 * them.  Nothing here talks to the kernel: `sipguardctl -c FILE` and the unit
 * tests (tools/unit/test_grammar.c) use it without the module.
 */
#ifndef SIPGUARDCTL_GRAMMAR_H
#define SIPGUARDCTL_GRAMMAR_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <linux/sipguard.h>

#include "prefix.h"

struct port_list {
	unsigned int n;
	struct { uint16_t min, max; } r[SIPGUARD_MAX_PORT_RANGES];
};

struct sg_conf {
	unsigned int mode, policy;
	struct port_list sip, tls;
	unsigned int n_ifaces;
	char ifaces[SIPGUARD_MAX_IFACES][IFNAMSIZ];
	/* What the default routes say of the WAN (reply only, not a setting). */
	unsigned int wan;
	unsigned int n_wan;
	char wan_ifaces[SIPGUARD_MAX_IFACES][IFNAMSIZ];
	uint32_t allow_count;
	/* open policy */
	uint32_t rate, burst, ban, budget, table_max;
	unsigned int prefix4, prefix6, refuse_invite;
	uint32_t source_count, source_bytes, sig_count;
	/* registrar learning */
	unsigned int learn;
	uint32_t learn_max, learn_count;
	/* failure bans, repeat bans */
	uint32_t failures, failure_window, ban_max;
	uint64_t generation;	/* one more for every change */
};

/* The settings, in the order showconf writes them. */
enum conf_key_id {
	K_MODE, K_POLICY, K_PORTS, K_TLS_PORTS, K_GUARD, K_LEARN, K_LEARN_MAX,
	K_RATE, K_BURST, K_BAN, K_BUDGET, K_PREFIX4, K_PREFIX6, K_TABLE_MAX,
	K_UNTRUSTED_INVITE, K_FAILURES, K_FAILURE_WINDOW, K_BAN_MAX, N_KEYS
};

struct conf_key {
	const char *name;
	uint16_t attr;		/* SIPGUARD_A_* */
	uint8_t kind;		/* KIND_* in grammar.c */
	uint8_t u8;		/* numbers: an NLA_U8 attribute */
	uint32_t min, max;	/* numbers */
	const char *what;	/* numbers: the unit, for messages */
};

extern const struct conf_key conf_keys[N_KEYS];

/* The key called @name, or -1. */
int conf_key_lookup(const char *name);
/* Parse @s as the value of key @k into @c; 0, or -1 with a message in @why. */
int conf_key_parse(int k, const char *s, struct sg_conf *c, char *why, size_t wl);
/* Write key @k's value of @c as the file spells it; 0, or -1 if it cannot be. */
int conf_key_format(int k, const struct sg_conf *c, char *buf, size_t len);

/* "enforce", "strict", ...; NULL for a value this sipguardctl does not know */
const char *conf_mode_name(unsigned int mode);
const char *conf_policy_name(unsigned int policy);
int conf_mode_lookup(const char *s);		/* -1 if unknown */
int conf_policy_lookup(const char *s);
/* "5060,5080,5160-5170" or "none", in @buf (at least 16 bytes) */
void format_ports(const struct port_list *pl, char *buf, size_t len);

/*
 * The module's defaults, which a configuration file's missing keys get:
 * mode, policy, ports, tls-ports and table-max from @sysdir (the module's
 * parameters, normally /sys/module/sipguard/parameters) where readable,
 * the built-in values otherwise and for the rest.  Returns a bit mask of
 * the keys read from @sysdir.
 */
#define SYSFS_PARAMS "/sys/module/sipguard/parameters"
unsigned int conf_defaults(struct sg_conf *c, const char *sysdir);

/* A port both in c->sip and c->tls (the first), or 0. */
unsigned int ports_overlap(const struct sg_conf *c);

/* The module's default signature list, in its order. */
extern const char *const default_sigs[];
extern const unsigned int n_default_sigs;

struct sig_list {
	unsigned int n;
	char s[SIPGUARD_MAX_SIGNATURES][SIPGUARD_SIG_MAXLEN + 1];
};

/* A signature the kernel takes: 1-63 printable ASCII characters. */
bool sig_valid(const char *s, char *why, size_t wl);

/* The allowlist, as read from the kernel or from a file. */
struct allow_entry {
	struct prefix p;	/* p.name is owned (malloc) */
	unsigned int line;	/* in the file; 0 when read from the kernel */
};

struct allow_vec {
	struct allow_entry *v;
	size_t n, cap;
};

void allow_clear(struct allow_vec *a);
void allow_free(struct allow_vec *a);
int allow_push(struct allow_vec *a, const struct prefix *p, unsigned int line);

/*
 * PREFIX [port N] [name NAME] from @argv (all of it), the name normalised
 * into @name (SIPGUARD_NAME_MAXLEN + 1 bytes).  0, or -1 with @why.
 */
int parse_allow_words(int argc, char **argv, struct prefix *p, char *name,
		      char *why, size_t wl);
/* "PREFIX[ port N][ name NAME]" */
void format_allow(const struct prefix *p, char *buf, size_t len);

/* A denylist entry, as `deny add`, replace files and configuration files write it. */
struct deny_entry {
	struct prefix p;
	uint32_t timeout;			/* seconds; 0: permanent */
	char origin[SIPGUARD_ORIGIN_MAXLEN + 1];	/* "" in a replace file */
	unsigned int line;
};

struct deny_vec {
	struct deny_entry *v;
	size_t n, cap;
};

void deny_free(struct deny_vec *d);
int deny_push(struct deny_vec *d, const struct deny_entry *e);
/* An origin name the kernel takes: 1-31 of a-z, 0-9, '-', '_', '.'. */
bool origin_valid(const char *s, char *why, size_t wl);
/*
 * PREFIX [timeout SECONDS] (unless @del) [origin NAME] (if @with_origin)
 * from @argv (all of it).  0, or -1 with @why.
 */
int parse_deny_words(int argc, char **argv, struct deny_entry *e, bool with_origin,
		     bool del, char *why, size_t wl);
/* "PREFIX[ timeout N][ origin NAME]", the default origin left out */
void format_deny(const struct deny_entry *e, char *buf, size_t len);

/*
 * Split @line into words in place: blanks separate, a word starting with
 * '#' ends the line, a word in double quotes may hold blanks, \" and \\.
 * Returns the number of words (more than @max: @max + 1), or -1 with @why.
 */
int split_words(char *line, char **w, int max, char *why, size_t wl);

/*
 * `xdp DEV [native|generic]` lines: sipguard's XDP program (`sipguardctl
 * xdp attach`) on DEV, in that mode (none: the driver's native mode if it
 * has one, else generic).  Not a setting of the module but of the
 * namespace's devices: setconf attaches and detaches, showconf lists what
 * is attached, in the mode it runs in.
 */
#define XDP_MAX_DEVS SIPGUARD_MAX_IFACES
enum xdp_mode { XDP_MODE_ANY, XDP_MODE_NATIVE, XDP_MODE_GENERIC };

struct xdp_dev {
	char dev[IFNAMSIZ];
	unsigned int mode;	/* enum xdp_mode */
	unsigned int line;	/* in the file; 0 when read from the system */
};

struct xdp_list {
	unsigned int n;
	struct xdp_dev v[XDP_MAX_DEVS];
};

/* "native", "generic"; NULL for XDP_MODE_ANY or an unknown mode */
const char *xdp_mode_name(unsigned int mode);
/*
 * Add DEV (and the mode @mode, NULL for none) to @x; 0, or -1 with @why: a
 * name the file cannot carry, a device listed twice, too many.
 */
int xdp_list_add(struct xdp_list *x, const char *dev, const char *mode,
		 unsigned int line, char *why, size_t wl);
/*
 * The lines "xdp DEV[ MODE]" of @x, malloc'd ("" for none), or NULL with
 * @why (a name that cannot be written, or no memory).
 */
char *conf_format_xdp(const struct xdp_list *x, char *why, size_t wl);

/*
 * A parsed configuration: a main file and its drop-ins, read as one (a
 * key at most once in all of them, lists adding up, in file order).  Line
 * numbers below run on across the files: the second file's first line is
 * one more than the first file's last (conf_file_where() names the file).
 */
#define CONF_MAX_ERRORS	20	/* reported; more are counted */
#define CONF_ERR_LEN	640	/* at most, per message */

struct conf_source {
	char *path;		/* a drop-in's, malloc'd */
	unsigned int first;	/* its line 1 is this overall line */
};

struct conf_file {
	const char *path;		/* the main file, for messages */
	struct sg_conf set;		/* every key: the file's or the default */
	unsigned int line[N_KEYS];	/* where each key is; 0 = default */
	struct allow_vec allow;
	struct deny_vec deny;		/* `deny` lines, origin filled in */
	bool sigs_none;			/* `signatures none` */
	unsigned int sigs_line;		/* the `signatures` line, 0 = none */
	struct sig_list sigs;		/* the whole list, default ones too */
	unsigned int sig_line[SIPGUARD_MAX_SIGNATURES];	/* 0 = default */
	struct xdp_list xdp;		/* the `xdp` lines */
	/* the drop-ins read so far (the main file's lines come first), and
	 * the overall lines */
	struct conf_source *src;
	unsigned int n_src, lines;
	bool sig_seen;			/* a `signature` line came */
	/* "FILE:LINE: message" lines, the first CONF_MAX_ERRORS of n_err */
	unsigned int n_err;
	char err[(CONF_MAX_ERRORS + 1) * CONF_ERR_LEN];
};

/*
 * Read and check a whole file against @defaults (see conf_defaults()).
 * 0, or -1 with f->err: every error found (at most CONF_MAX_ERRORS, then
 * how many more), one per line.  conf_file_free() either way.
 */
int conf_file_read(struct conf_file *f, FILE *in, const struct sg_conf *defaults);
/*
 * The same for the main file @in (f->path) and then its drop-ins: the
 * regular files named *.conf in @dir, not hidden, in the byte order of
 * their names (strcmp: 10-a.conf before 50-local.conf before a.conf).  A
 * @dir that does not exist has none.
 */
int conf_file_read_all(struct conf_file *f, FILE *in, const char *dir,
		       const struct sg_conf *defaults);
/* The drop-ins of @dir as above, malloc'd paths in @names; their number or -errno. */
int conf_dropins(const char *dir, char ***names);
/* "FILE:N" of overall line @line. */
void conf_file_where(const struct conf_file *f, unsigned int line, char *buf, size_t len);
/* f->err to @out, each line after "sipguardctl: ". */
void conf_file_print_errors(const struct conf_file *f, FILE *out);
void conf_file_free(struct conf_file *f);

/*
 * The lines of `allow replace FILE`: "PREFIX [port N] [name NAME]", '#'
 * comments, checked as the configuration file's allow lines.
 */
int allow_file_read(struct conf_file *f, FILE *in);

/*
 * The configuration as a file: every key, the signatures, the allowlist
 * (showconf adds conf_format_xdp()'s lines after it).
 * Returns a malloc'd string, or NULL with @why (a value that cannot be
 * written, or no memory).
 */
char *conf_format(const struct sg_conf *c, const struct sig_list *sigs,
		  const struct allow_vec *a, char *why, size_t wl);

#endif
