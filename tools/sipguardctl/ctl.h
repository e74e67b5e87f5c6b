/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every command shares: the exit codes, the command table's entries,
 * the error reports and the socket to the module (in the namespace of -n).
 * main() (sipguardctl.c) sets the namespace and the current command here.
 */
#ifndef SIPGUARDCTL_CTL_H
#define SIPGUARDCTL_CTL_H

#include <stddef.h>

#include "genl.h"

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

/* The network namespace of -n (a name under /run/netns, or a path), or NULL. */
void ctl_set_netns(const char *name);
/*
 * The namespace's name for labels: -n's (its last component, if a path),
 * else the name under /run/netns of the namespace we run in, else "".
 */
void ctl_netns_name(char *buf, size_t len);
/* -n's name as given (a name under /run/netns, or a path), or NULL. */
const char *ctl_netns(void);
/* The command being run: usage_error(NULL, ...) prints its usage. */
void ctl_set_cmd(const struct cmd *c);

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

#endif
