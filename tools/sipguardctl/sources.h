/* SPDX-License-Identifier: GPL-2.0 */
/* The open policy's source table: `sipguardctl sources`, `ban`, `unban`. */
#ifndef SIPGUARDCTL_SOURCES_H
#define SIPGUARDCTL_SOURCES_H

#include "genl.h"

int cmd_sources(struct sg_nl *nl, int argc, char **argv);
int cmd_ban(struct sg_nl *nl, int argc, char **argv);
int cmd_unban(struct sg_nl *nl, int argc, char **argv);

#endif
