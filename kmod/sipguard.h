/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-network-namespace state, which main.c creates and tears down for
 * each namespace, and how the other parts find it.  (main.c's header: the
 * parts it starts have headers of their own.)
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
	/*
	 * The cgroup of whoever created the namespace (or loaded the module):
	 * it pays for what the namespace allocates in softirq and in work
	 * (learning, the denylist's reaper).  See alloc.h.
	 */
	struct obj_cgroup *objcg;
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

/*
 * @ban (a unit's snapshot, its lock released) was banned for @secs, under
 * @cfg, for @why: counted, and announced if anyone listens.  The datapath's
 * bans, the failure answers' and the BAN request's all end here.  BH off,
 * under RCU, @st open.
 */
static inline void sg_ban_told(struct sg_net *sgn, const struct sg_config *cfg,
			       const struct sg_src_info *ban, enum sipguard_stat why,
			       u32 secs, struct sg_pcpu_stats *st)
{
	u32 trust = 0;

	sg_stats_inc(st, SIPGUARD_STAT_BANS);
	if (likely(!sg_events_wanted(sgn->net)))
		return;
	/*
	 * The datapath bans no packet the allowlist or learning trusts, but a
	 * manual ban, an entry trusted on some source ports only, or a /64
	 * holding a trusted host can still be one: the event says so, for
	 * whoever passes bans on (the event log's readers) to leave it out.
	 */
	if (sg_allowlist_overlaps(cfg->al, ban->family, ban->addr, ban->plen))
		trust |= SIPGUARD_F_ALLOWLISTED;
	if (sg_learn_within(&sgn->learn, ban->family, ban->addr, ban->plen))
		trust |= SIPGUARD_F_REGISTRAR;
	sg_event_ban(&sgn->events, ban, why, secs, trust, st);
}

extern unsigned int sg_net_id;

static inline struct sg_net *sg_pernet(const struct net *net)
{
	return net_generic(net, sg_net_id);
}

#endif /* _SIPGUARD_H */
