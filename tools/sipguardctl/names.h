/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's counters as sipguardctl knows them: the key text and JSON
 * print, the HELP text Prometheus prints, and the labelled family the
 * counter also belongs to there.  One table (names.c), so that a counter
 * appended to uapi/linux/sipguard.h is named and described in one place;
 * tools/unit/test_names.c fails while one of them lacks either.
 */
#ifndef SIPGUARDCTL_NAMES_H
#define SIPGUARDCTL_NAMES_H

#include <stdint.h>

/* The labelled Prometheus families a counter is also part of. */
enum stat_family {
	FAM_NONE,
	FAM_DROPS,	/* sipguard_drops_total{reason=LABEL,stage="hook"} */
	FAM_XDP_DROPS,	/* sipguard_drops_total{reason=LABEL,stage="xdp"} */
	FAM_REQUESTS,	/* sipguard_requests_total{method=LABEL} */
};

struct stat_info {
	const char *name;	/* the key: [a-z0-9_], stable (sipguardctl(8)) */
	const char *help;	/* one sentence, for Prometheus' HELP */
	uint8_t family;		/* enum stat_family */
	const char *label;	/* the label's value in that family */
};

/* NULL for a counter this sipguardctl does not know (a newer module). */
const struct stat_info *stat_info(unsigned int id);
/* stat_info(id)->name, or NULL */
const char *stat_name(unsigned int id);

#endif
