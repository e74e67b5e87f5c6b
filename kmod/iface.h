/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which interfaces are guarded.
 *
 * By name when the operator lists them (`guard wan0 ppp0`): the list is
 * compared with the arriving device's name, NUL-terminated, so a device
 * renamed, or deleted and re-created, is guarded exactly when its current
 * name is listed.
 *
 * Without a list and with learning on, the WAN: the interfaces the
 * namespace's default routes leave by, found in process context (iface.c)
 * whenever devices, routes or rules change, and published under RCU as a
 * small set of ifindexes.  The datapath only reads that set.  When the WAN
 * cannot be told (no default route, more WAN devices than the set holds,
 * no memory), every interface but loopback is guarded: fail closed.
 */
#ifndef _SIPGUARD_IFACE_H
#define _SIPGUARD_IFACE_H

#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "config.h"


/* A gateway with more uplinks than this is guarded everywhere. */
#define SG_WAN_MAX	16

enum sg_wan_state {
	SG_WAN_UNKNOWN,		/* not computed yet, or it failed: guard all */
	SG_WAN_NONE,		/* no default route at all: guard all */
	SG_WAN_FOUND,		/* guard the interfaces in the set */
};

/* One computation of the WAN, immutable once published. */
struct sg_wan_set {
	struct rcu_head rcu;
	u8 state;		/* enum sg_wan_state */
	u8 n;
	int ifindex[SG_WAN_MAX];
};

struct sg_wan {
	struct net *net;
	struct sg_wan_set __rcu *set;
	struct delayed_work work;
	struct notifier_block netdev_nb;
	struct notifier_block fib_nb;
	bool fib_nb_registered;
};

/* Per namespace, process context; the first computation is synchronous. */
int sg_wan_init(struct sg_wan *w, struct net *net);
/* Stop recomputing (pre_exit); free (exit, after a grace period). */
void sg_wan_stop(struct sg_wan *w);
void sg_wan_exit(struct sg_wan *w);

bool sg_iface_guarded_slow(const struct sg_config *cfg, const struct sg_wan *w,
			   const struct net_device *in);

/*
 * Is @in guarded under @cfg?  Softirq, under RCU.  Without an interface
 * list or learning (the default), every interface but loopback is: decided
 * here, without a call, on every packet's path.
 */
static inline bool sg_iface_guarded(const struct sg_config *cfg, const struct sg_wan *w,
				    const struct net_device *in)
{
	if (likely(in && !cfg->p.n_ifaces && !cfg->p.learn))
		return !(in->flags & IFF_LOOPBACK);
	return sg_iface_guarded_slow(cfg, w, in);
}

/*
 * For `show`: the state and up to SG_WAN_MAX ifindexes of the WAN as last
 * computed.  Returns the state; *n the number copied.
 */
enum sg_wan_state sg_wan_get(const struct sg_wan *w, int *ifindex, u8 *n);

#endif /* _SIPGUARD_IFACE_H */
