/* SPDX-License-Identifier: GPL-2.0 */
/* `sipguardctl xdp`, and the `xdp` lines of setconf and showconf. */
#ifndef SIPGUARDCTL_XDP_H
#define SIPGUARDCTL_XDP_H

#include <stdbool.h>

#include "genl.h"

/* Whether this build has the XDP tier (xdp.c) or not (xdp_none.c). */
extern const bool xdp_built_in;

int cmd_xdp(struct sg_nl *nl, int argc, char **argv);
struct xdp_list;
/* The devices of this namespace with sipguard's XDP program; 0 or -errno. */
int xdp_attached(struct xdp_list *x);
/*
 * Attach sipguard's XDP program as @x lists (from the file @path), detach
 * it from every other device; EXIT_OK, or EXIT_FAIL (said why) with the
 * rest still done.
 */
int xdp_apply(const struct xdp_list *x, const char *path);

#endif
