/* SPDX-License-Identifier: GPL-2.0 */
/* `sipguardctl set ...` and the configuration part of `show`. */
#ifndef SIPGUARDCTL_CONFIG_H
#define SIPGUARDCTL_CONFIG_H

#include "genl.h"
#include "grammar.h"

int get_config(struct sg_nl *nl, struct sg_conf *c);
void print_config(const struct sg_conf *c);
int cmd_set(struct sg_nl *nl, int argc, char **argv);

/* one setting of @c as its attribute */
void put_key(struct nlmsghdr *nlh, int k, const struct sg_conf *c);

#endif
