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

#include "config.h"
#include "deny.h"
#include "events.h"
#include "iface.h"
#include "learn.h"
#include "signatures.h"
#include "sources.h"
#include "stats.h"

/* Everything sipguard keeps about one network namespace. */
struct sg_net {
	struct net *net;
	struct sg_config __rcu *cfg;
	struct sg_stats stats;
	/* Bumped on every change; lets a dump notice it was interrupted. */
	u64 generation;
	/* Serialises configuration changes and counter resets. */
	struct mutex lock;
	/* Open policy: source table, budget, scanner signatures. */
	struct sg_sources sources;
	struct sg_signatures sigs;
	/* Registrars learned from the phones' own registrations. */
	struct sg_learn learn;
	/* The events group: rate limit and sequence numbers. */
	struct sg_events events;
	/* The interfaces the default routes leave by (iface.c). */
	struct sg_wan wan;
	/* Prefixes dropped before parsing, by origin (deny.c). */
	struct sg_deny deny;
};

/* Defaults for new namespaces (module parameters, checked at load). */
extern struct sg_params sg_default_params;

static inline struct sg_config *sg_config_locked(struct sg_net *sgn)
{
	return rcu_dereference_protected(sgn->cfg, lockdep_is_held(&sgn->lock));
}

/* Publish @cfg (built from the current one) and retire the old one. */
void sg_config_publish(struct sg_net *sgn, struct sg_config *cfg);

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
