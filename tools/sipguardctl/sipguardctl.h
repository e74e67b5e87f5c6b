/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPGUARDCTL_H
#define SIPGUARDCTL_H

#include <net/if.h>
#include <stdbool.h>
#include <linux/sipguard.h>

#include "genl.h"
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
/* Report a command-line error; returns 2. */
int usage_error(const struct cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct port_list {
	unsigned int n;
	struct { uint16_t min, max; } r[SIPGUARD_MAX_PORT_RANGES];
};

struct sg_conf {
	unsigned int mode, policy;
	struct port_list sip, tls;
	unsigned int n_ifaces;
	char ifaces[SIPGUARD_MAX_IFACES][IFNAMSIZ];
	/* What the default routes say of the WAN (reply only). */
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
	uint64_t generation;	/* one more for every change */
};

/* xdp.c */
int cmd_xdp(struct sg_nl *nl, int argc, char **argv);

/* config.c */
int get_config(struct sg_nl *nl, struct sg_conf *c);
void print_config(const struct sg_conf *c);
void format_ports(const struct port_list *pl, char *buf, size_t len);
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

/* sources.c: the open policy's source table */
int cmd_sources(struct sg_nl *nl, int argc, char **argv);
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

/* config.c: the words of modes and policies, and a port list's nest */
/* "enforce", "strict", ...; NULL for a value this sipguardctl does not know */
const char *conf_mode_name(unsigned int mode);
const char *conf_policy_name(unsigned int policy);
int conf_mode_lookup(const char *s);		/* -1 if unknown */
int conf_policy_lookup(const char *s);
void put_port_list(struct nlmsghdr *nlh, int type, const struct port_list *pl);

/* prometheus.c: `stats prometheus`; @v indexed by SIPGUARD_STAT_* */
int print_prometheus(struct sg_nl *nl, const char *version, const uint64_t *v);

/* names.c: the names counters have in text and JSON output */
const char *stat_name(unsigned int id);

#endif
