// SPDX-License-Identifier: GPL-2.0
/*
 * Guarded interfaces (see iface.h).
 *
 * The WAN is what the default routes leave by, in every routing table (so
 * policy routing is covered: wg-quick's table 51820, one table per uplink
 * as mwan builds them), every nexthop of a multipath route (ECMP), IPv4 and
 * IPv6.  A route counts as a default route if it covers the probe address
 * with a prefix of at most /1 for IPv4 (0.0.0.0/0, and the 0/1 + 128/1
 * pair that OpenVPN's def1 installs) and at most /3 for IPv6 (::/0, and
 * 2000::/3 that some providers route).  Unicast routes only: a blackhole or
 * unreachable default is not an uplink.
 *
 * It is computed in process context, never per packet: whenever a device
 * appears, goes, changes name or state (netdevice notifier), whenever a
 * route or rule changes (FIB notifier), and every SG_WAN_REFRESH_SECS as a
 * safety net.  The notifiers only queue the work, so they are cheap even
 * when called in atomic context (IPv6 route changes are).  Between a route
 * change and the end of the work that follows it, the previous set is in
 * force.
 */
#include <linux/inetdevice.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <net/fib_notifier.h>
#include <net/ip_fib.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/nexthop.h>

#include "alloc.h"
#include "config.h"
#include "iface.h"

#define SG_WAN_REFRESH_SECS	60

bool sg_iface_guarded_slow(const struct sg_config *cfg, const struct sg_wan *w,
			   const struct net_device *in)
{
	const struct sg_wan_set *s;
	u8 i;

	/* PRE_ROUTING always has one; without it nothing can be told. */
	if (unlikely(!in))
		return true;
	if (cfg->p.n_ifaces) {
		/*
		 * The current name, up to its NUL: a rename leaves stale
		 * bytes after it in dev->name.
		 */
		for (i = 0; i < cfg->p.n_ifaces; i++)
			if (!strncmp(cfg->p.ifaces[i], in->name, IFNAMSIZ))
				return true;
		return false;
	}
	if (in->flags & IFF_LOOPBACK)
		return false;
	if (!cfg->p.learn)
		return true;
	s = rcu_dereference(w->set);
	if (!s || s->state != SG_WAN_FOUND)
		return true;
	for (i = 0; i < s->n; i++)
		if (s->ifindex[i] == in->ifindex)
			return true;
	return false;
}

/* The set being computed. */
struct sg_wan_acc {
	struct sg_wan_set *s;
	bool found;		/* some default route */
	bool unsure;		/* one whose devices cannot all be named */
};

static void sg_wan_add(struct sg_wan_acc *a, const struct net_device *dev)
{
	struct sg_wan_set *s = a->s;
	u8 i;

	a->found = true;
	if (!dev) {
		a->unsure = true;
		return;
	}
	for (i = 0; i < s->n; i++)
		if (s->ifindex[i] == dev->ifindex)
			return;
	if (s->n == SG_WAN_MAX) {
		a->unsure = true;
		return;
	}
	s->ifindex[s->n++] = dev->ifindex;
}

/* Under rcu_read_lock(). */
static void sg_wan_v4(struct net *net, struct sg_wan_acc *a)
{
	static const u32 probes[] = { 0x00000000, 0x80000000 };
	struct fib_table *tb;
	unsigned int h, i, k;

	for (h = 0; h < FIB_TABLE_HASHSZ; h++) {
		hlist_for_each_entry_rcu(tb, &net->ipv4.fib_table_hash[h], tb_hlist) {
			if (tb->tb_id == RT_TABLE_LOCAL)
				continue;
			for (k = 0; k < ARRAY_SIZE(probes); k++) {
				struct flowi4 fl4 = { .daddr = cpu_to_be32(probes[k]) };
				struct fib_result res = {};

				if (fib_table_lookup(tb, &fl4, &res, FIB_LOOKUP_NOREF) ||
				    res.prefixlen > 1 || res.type != RTN_UNICAST || !res.fi)
					continue;
				for (i = 0; i < fib_info_num_path(res.fi); i++) {
					struct fib_nh_common *nhc = fib_info_nhc(res.fi, i);

					sg_wan_add(a, nhc ? nhc->nhc_dev : NULL);
				}
			}
		}
	}
}

#if IS_ENABLED(CONFIG_IPV6)
static int sg_wan_fib6_nh(struct fib6_nh *nh, void *arg)
{
	sg_wan_add(arg, nh->fib_nh_dev);
	return 0;
}

/* Under rcu_read_lock(); only if IPv6 is up on this kernel. */
static void sg_wan_v6(struct net *net, struct sg_wan_acc *a)
{
	struct fib6_table *tb;
	unsigned int h;

	for (h = 0; h < FIB6_TABLE_HASHSZ; h++) {
		hlist_for_each_entry_rcu(tb, &net->ipv6.fib_table_hash[h], tb6_hlist) {
			/* 2000::/3: where the global unicast addresses are. */
			struct flowi6 fl6 = { .daddr = { { { 0x20 } } } };
			struct fib6_info *from, *sib;
			struct rt6_info *rt;

			if (tb->tb6_id == RT6_TABLE_LOCAL)
				continue;
			rt = ip6_pol_route(net, tb, 0, &fl6, NULL, 0);
			if (!rt)
				continue;
			from = rcu_dereference(rt->from);
			if (rt->dst.error || !from || from->fib6_dst.plen > 3 ||
			    from->fib6_type != RTN_UNICAST ||
			    (from->fib6_flags & RTF_REJECT)) {
				ip6_rt_put(rt);
				continue;
			}
			if (from->nh) {
				nexthop_for_each_fib6_nh(from->nh, sg_wan_fib6_nh, a);
			} else {
				/*
				 * @from was looked up without the table lock:
				 * it may have left its multipath route since.
				 * Stable kernels unlink a sibling with
				 * list_del_rcu(), which leaves its own next
				 * pointer in the ring, so a walk started from
				 * it never comes back to its head.  Removal
				 * zeroes fib6_nsiblings under tb6_lock (as
				 * fib6_del_route() does): read it under the
				 * lock, and walk only a route still linked.
				 * The siblings we miss are a later route
				 * change away, and that change recomputes.
				 */
				spin_lock_bh(&tb->tb6_lock);
				sg_wan_add(a, from->fib6_nh->fib_nh_dev);
				if (from->fib6_nsiblings)
					list_for_each_entry(sib, &from->fib6_siblings,
							    fib6_siblings)
						sg_wan_add(a, sib->fib6_nh->fib_nh_dev);
				spin_unlock_bh(&tb->tb6_lock);
			}
			ip6_rt_put(rt);
		}
	}
}
#endif

/* Only the work item (and init, before it can run) writes w->set. */
static void sg_wan_publish(struct sg_wan *w, struct sg_wan_set *s)
{
	struct sg_wan_set *old = rcu_replace_pointer(w->set, s, true);

	if (old)
		kfree_rcu(old, rcu);
}

static void sg_wan_compute(struct sg_wan *w)
{
	struct sg_wan_acc a = {};

	a.s = sg_kzalloc(sizeof(*a.s), GFP_KERNEL);
	if (!a.s) {
		/* NULL reads as "unknown": every interface is guarded. */
		sg_wan_publish(w, NULL);
		return;
	}
	rcu_read_lock();
	sg_wan_v4(w->net, &a);
#if IS_ENABLED(CONFIG_IPV6)
	if (ipv6_mod_enabled())
		sg_wan_v6(w->net, &a);
#endif
	rcu_read_unlock();
	if (a.unsure)
		a.s->state = SG_WAN_UNKNOWN;
	else
		a.s->state = a.found ? SG_WAN_FOUND : SG_WAN_NONE;
	sg_wan_publish(w, a.s);
}

static void sg_wan_work(struct work_struct *work)
{
	struct sg_wan *w = container_of(to_delayed_work(work), struct sg_wan, work);

	sg_wan_compute(w);
	queue_delayed_work(system_power_efficient_wq, &w->work,
			   SG_WAN_REFRESH_SECS * HZ);
}

/* Now, in place of a pending periodic refresh.  Any context. */
static void sg_wan_kick(struct sg_wan *w)
{
	mod_delayed_work(system_power_efficient_wq, &w->work, 0);
}

static int sg_wan_netdev_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	switch (event) {
	case NETDEV_REGISTER:
	case NETDEV_UNREGISTER:
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
	case NETDEV_CHANGENAME:
		sg_wan_kick(container_of(nb, struct sg_wan, netdev_nb));
		break;
	}
	return NOTIFY_DONE;
}

static int sg_wan_fib_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	sg_wan_kick(container_of(nb, struct sg_wan, fib_nb));
	return NOTIFY_DONE;
}

/* The dump at registration was interrupted: recompute all the same. */
static void sg_wan_fib_flush(struct notifier_block *nb)
{
	sg_wan_kick(container_of(nb, struct sg_wan, fib_nb));
}

int sg_wan_init(struct sg_wan *w, struct net *net)
{
	int ret;

	w->net = net;
	RCU_INIT_POINTER(w->set, NULL);
	INIT_DELAYED_WORK(&w->work, sg_wan_work);
	sg_wan_compute(w);

	w->netdev_nb.notifier_call = sg_wan_netdev_event;
	ret = register_netdevice_notifier_net(net, &w->netdev_nb);
	if (ret)
		goto err;
	/*
	 * Route changes come through here.  Should it fail (it gives up when
	 * routes keep changing during its initial dump), device events and
	 * the periodic refresh still keep the set current.
	 */
	w->fib_nb.notifier_call = sg_wan_fib_event;
	w->fib_nb_registered = !register_fib_notifier(net, &w->fib_nb,
						      sg_wan_fib_flush, NULL);
	if (!w->fib_nb_registered)
		pr_warn_ratelimited("sipguard: no route notifications, the WAN is refreshed every %d s\n",
				    SG_WAN_REFRESH_SECS);
	queue_delayed_work(system_power_efficient_wq, &w->work,
			   SG_WAN_REFRESH_SECS * HZ);
	return 0;
err:
	/*
	 * A failed registration has replayed (and rolled back) the existing
	 * devices' events through sg_wan_netdev_event(), which queued the
	 * work: it must not run on what the caller frees next.
	 */
	cancel_delayed_work_sync(&w->work);
	kfree(rcu_dereference_protected(w->set, true));
	return ret;
}

void sg_wan_stop(struct sg_wan *w)
{
	if (w->fib_nb_registered)
		unregister_fib_notifier(w->net, &w->fib_nb);
	w->fib_nb_registered = false;
	unregister_netdevice_notifier_net(w->net, &w->netdev_nb);
	/* The work re-arms itself: this waits for it and stops that too. */
	cancel_delayed_work_sync(&w->work);
}

void sg_wan_exit(struct sg_wan *w)
{
	/* After a grace period (pernet .exit): no reader is left. */
	kfree(rcu_dereference_protected(w->set, true));
}

enum sg_wan_state sg_wan_get(const struct sg_wan *w, int *ifindex, u8 *n)
{
	const struct sg_wan_set *s;
	enum sg_wan_state state = SG_WAN_UNKNOWN;

	*n = 0;
	rcu_read_lock();
	s = rcu_dereference(w->set);
	if (s) {
		state = s->state;
		*n = s->n;
		memcpy(ifindex, s->ifindex, s->n * sizeof(*ifindex));
	}
	rcu_read_unlock();
	return state;
}
