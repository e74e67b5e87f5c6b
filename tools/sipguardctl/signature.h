/* SPDX-License-Identifier: GPL-2.0 */
/* `sipguardctl signature add|del STRING | list`: scanner User-Agents. */
#ifndef SIPGUARDCTL_SIGNATURE_H
#define SIPGUARDCTL_SIGNATURE_H

#include "genl.h"

int cmd_signature(struct sg_nl *nl, int argc, char **argv);

#endif
