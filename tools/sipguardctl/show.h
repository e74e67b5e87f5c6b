/* SPDX-License-Identifier: GPL-2.0 */
/* `sipguardctl show` and `sipguardctl stats [reset]`. */
#ifndef SIPGUARDCTL_SHOW_H
#define SIPGUARDCTL_SHOW_H

#include "genl.h"

int cmd_show(struct sg_nl *nl, int argc, char **argv);
int cmd_stats(struct sg_nl *nl, int argc, char **argv);

#endif
