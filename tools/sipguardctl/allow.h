/* SPDX-License-Identifier: GPL-2.0 */
/* `sipguardctl allow add|del|refresh|list|flush|replace`. */
#ifndef SIPGUARDCTL_ALLOW_H
#define SIPGUARDCTL_ALLOW_H

#include "genl.h"

#define ALLOW_USAGE "add|del PREFIX [port N] [name NAME] | add|del NAME | refresh [NAME...]\n" \
		    "          | list | flush | replace FILE|-"
int cmd_allow(struct sg_nl *nl, int argc, char **argv);

#endif
