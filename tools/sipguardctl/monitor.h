/* SPDX-License-Identifier: GPL-2.0 */
/* `sipguardctl monitor`: the events group. */
#ifndef SIPGUARDCTL_MONITOR_H
#define SIPGUARDCTL_MONITOR_H

#include "genl.h"

int cmd_monitor(struct sg_nl *nl, int argc, char **argv);

#endif
