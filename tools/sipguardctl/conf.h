/* SPDX-License-Identifier: GPL-2.0 */
/* `sipguardctl showconf` and `sipguardctl setconf [--check] FILE|-`. */
#ifndef SIPGUARDCTL_CONF_H
#define SIPGUARDCTL_CONF_H

#include "genl.h"

int cmd_showconf(struct sg_nl *nl, int argc, char **argv);
int cmd_setconf(struct sg_nl *nl, int argc, char **argv);

#endif
