/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module-wide declarations: the per-network-namespace state and the entry
 * points each part of the module offers the others.
 */
#ifndef _SIPGUARD_H
#define _SIPGUARD_H

#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "stats.h"

/* Until the port set is configurable, the one port every SIP UA uses. */
#define SG_SIP_PORT	5060

/* Everything sipguard keeps about one network namespace. */
struct sg_net {
	struct net *net;
	struct sg_stats stats;
	/* Serialises configuration changes and counter resets. */
	struct mutex lock;
};

extern unsigned int sg_net_id;

static inline struct sg_net *sg_pernet(const struct net *net)
{
	return net_generic(net, sg_net_id);
}

/* hooks.c */
int sg_hooks_register(struct net *net);
void sg_hooks_unregister(struct net *net);

/* netlink.c */
int sg_genl_init(void);
void sg_genl_exit(void);

#endif /* _SIPGUARD_H */
