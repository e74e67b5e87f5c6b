/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPGUARDCTL_H
#define SIPGUARDCTL_H

#include <net/if.h>
#include <stdbool.h>
#include <linux/sipguard.h>

#include "genl.h"
#include "grammar.h"
#include "prefix.h"

/*
 * Exit codes scripts can rely on (also in sipguardctl(8)):
 *   0  success
 *   1  the kernel (or the system) refused or failed the request
 *   2  usage error: bad command line or bad input file
 *   3  the sipguard module is not loaded
 */
enum {
	EXIT_OK		= 0,
	EXIT_FAIL	= 1,
	EXIT_USAGE	= 2,
	EXIT_NOMODULE	= 3,
};

struct cmd {
	const char *name;
	int (*fn)(struct sg_nl *nl, int argc, char **argv);
	const char *usage;	/* arguments after the command name */
	const char *help;	/* one line */
};

/* Report a failed request with the kernel's own explanation; returns 1. */
int report(const char *what, int err, const struct sg_nl *nl);
/*
 * Open the socket to the module, in the namespace of -n if given: commands
 * call it once their arguments are checked, so that a usage error is found
 * without the module.  0, or the exit status (3: not loaded) after saying why.
 */
int ctl_connect(struct sg_nl *nl);
/* Report a command-line error; returns 2. */
int usage_error(const struct cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* xdp.c */
int cmd_xdp(struct sg_nl *nl, int argc, char **argv);
struct xdp_list;
/* The devices of this namespace with sipguard's XDP program; 0 or -errno. */
int xdp_attached(struct xdp_list *x);
/*
 * Attach sipguard's XDP program as @x lists (from the file @path), detach
 * it from every other device; EXIT_OK, or EXIT_FAIL (said why) with the
 * rest still done.
 */
int xdp_apply(const struct xdp_list *x, const char *path);

/* config.c */
int get_config(struct sg_nl *nl, struct sg_conf *c);
void print_config(const struct sg_conf *c);
int cmd_set(struct sg_nl *nl, int argc, char **argv);

/* allow.c */
#define ALLOW_USAGE "add|del PREFIX [port N] [name NAME] | add|del NAME | refresh [NAME...]\n" \
		    "          | list | flush | replace FILE|-"
int cmd_allow(struct sg_nl *nl, int argc, char **argv);

/* allow_nl.c: one allowlist entry (SIPGUARD_A_PREFIX nest) on the wire */
struct allow_wire {
	struct prefix p;	/* p.name points into the message */
	bool learned;		/* learned from a REGISTER, for @left seconds */
	bool provisional;	/* learned, the 2xx not seen yet */
	uint32_t left;
};
void allow_nl_put(struct nlmsghdr *nlh, const struct prefix *p);
/* false when the entry carries no usable address */
bool allow_nl_parse(const struct nlattr *nest, struct allow_wire *e);

/* deny.c: the denylist */
#define DENY_USAGE "add PREFIX [timeout SECONDS] [origin NAME] | del PREFIX [origin NAME]\n" \
		   "          | list | replace --origin NAME FILE|-"
int cmd_deny(struct sg_nl *nl, int argc, char **argv);
/* One SIPGUARD_A_DENY nest (its origin goes in SIPGUARD_A_ORIGIN, once). */
void deny_nl_put(struct nlmsghdr *nlh, const struct deny_entry *e);
/* The permanent entries of every origin, for showconf (quietly none without the right to read them). */
int read_deny(struct sg_nl *nl, struct deny_vec *d);
/* The origins with their counters (show), or also every entry (list). */
int print_deny(struct sg_nl *nl, bool entries, bool quiet_eperm);

/* sources.c: the open policy's source table */
int cmd_sources(struct sg_nl *nl, int argc, char **argv);
int cmd_ban(struct sg_nl *nl, int argc, char **argv);
int cmd_unban(struct sg_nl *nl, int argc, char **argv);

/* signature.c */
int cmd_signature(struct sg_nl *nl, int argc, char **argv);

/* monitor.c: the events group */
int cmd_monitor(struct sg_nl *nl, int argc, char **argv);

/* show.c */
int cmd_show(struct sg_nl *nl, int argc, char **argv);
int cmd_stats(struct sg_nl *nl, int argc, char **argv);

/* conf.c: showconf/setconf */
int cmd_showconf(struct sg_nl *nl, int argc, char **argv);
int cmd_setconf(struct sg_nl *nl, int argc, char **argv);

/* config.c: one setting of @c as its attribute */
void put_key(struct nlmsghdr *nlh, int k, const struct sg_conf *c);

/* prometheus.c: `stats prometheus`; @v indexed by SIPGUARD_STAT_* */
int print_prometheus(struct sg_nl *nl, const char *version, const uint64_t *v);

/* names.c: the names counters have in text and JSON output */
const char *stat_name(unsigned int id);

#endif
