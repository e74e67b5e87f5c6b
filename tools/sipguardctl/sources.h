/* SPDX-License-Identifier: GPL-2.0 */
/* The open policy's source table: `sipguardctl sources`, `ban`, `unban`. */
#ifndef SIPGUARDCTL_SOURCES_H
#define SIPGUARDCTL_SOURCES_H

#include <stdbool.h>

#include "genl.h"

int cmd_sources(struct sg_nl *nl, int argc, char **argv);
int cmd_ban(struct sg_nl *nl, int argc, char **argv);
/*
 * The entries of the source table (only the banned ones: @banned_only), in
 * @n; 0 or -errno (-EINTR: the table changed during the dump, @n may be
 * short).  Needs CAP_NET_ADMIN.
 */
int count_sources(struct sg_nl *nl, bool banned_only, unsigned int *n);
int cmd_unban(struct sg_nl *nl, int argc, char **argv);

#endif
