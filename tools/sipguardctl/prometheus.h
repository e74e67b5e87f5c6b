/* SPDX-License-Identifier: GPL-2.0 */
/* `sipguardctl stats prometheus`: the counters for node_exporter. */
#ifndef SIPGUARDCTL_PROMETHEUS_H
#define SIPGUARDCTL_PROMETHEUS_H

#include <stdint.h>

#include "genl.h"

/* `stats prometheus`; @v indexed by SIPGUARD_STAT_* */
int print_prometheus(struct sg_nl *nl, const char *version, const uint64_t *v);

#endif
