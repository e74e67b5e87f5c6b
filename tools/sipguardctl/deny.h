/* SPDX-License-Identifier: GPL-2.0 */
/* The denylist: `sipguardctl deny add|del|list|replace`, by origin. */
#ifndef SIPGUARDCTL_DENY_H
#define SIPGUARDCTL_DENY_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/sipguard.h>

#include "genl.h"
#include "grammar.h"

#define DENY_USAGE "add PREFIX [timeout SECONDS] [origin NAME] | del PREFIX [origin NAME]\n" \
		   "          | list | replace --origin NAME FILE|-"
int cmd_deny(struct sg_nl *nl, int argc, char **argv);
/* One SIPGUARD_A_DENY nest (its origin goes in SIPGUARD_A_ORIGIN, once). */
void deny_nl_put(struct nlmsghdr *nlh, const struct deny_entry *e);
/* The permanent entries of every origin, for showconf (quietly none without the right to read them). */
int read_deny(struct sg_nl *nl, struct deny_vec *d);
struct deny_origin {
	char name[SIPGUARD_ORIGIN_MAXLEN + 1];
	uint32_t count;
	uint64_t hits, trusted, learned;
};

/* The origins of the denylist and their counters, without printing. */
int read_deny_origins(struct sg_nl *nl, struct deny_origin o[SIPGUARD_DENY_ORIGINS],
		      unsigned int *n);
/* The origins with their counters (show), or also every entry (list). */
int print_deny(struct sg_nl *nl, bool entries, bool quiet_eperm);

#endif
