// SPDX-License-Identifier: GPL-2.0
/*
 * The denylist (deny.h): per origin, one immutable prefix set, swapped
 * whole.  A change copies the origin's live entries, applies the request,
 * compiles a new set and publishes it; any error leaves the old one.
 */
#include <linux/bitops.h>
#include <linux/bsearch.h>
#include <linux/jiffies.h>
#include <linux/memcontrol.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/netlink.h>

#include "alloc.h"
#include "deny.h"

unsigned int sg_deny_max __read_mostly = SG_DENY_DEFAULT_MAX;

static int sg_param_set_deny_max(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	if (v > SIPGUARD_MAX_DENY)
		return -ERANGE;
	WRITE_ONCE(sg_deny_max, v);
	return 0;
}

static const struct kernel_param_ops sg_deny_max_ops = {
	.set	= sg_param_set_deny_max,
	.get	= param_get_uint,
};
module_param_cb(deny_max, &sg_deny_max_ops, &sg_deny_max, 0644);
MODULE_PARM_DESC(deny_max, "Denylist entries per namespace, all origins together, 0-4194304 (default 262144); root of the initial namespace only");

static inline const struct sg_prefixset *sg_deny_ps(const struct sg_deny_set *s)
{
	return (const struct sg_prefixset *)s->mem;
}

static void sg_deny_sums(struct sg_deny *d, u32 slot, u64 *out)
{
	unsigned int cpu, k;

	memset(out, 0, sizeof(u64) * SG_DENY_NCOUNT);
	for_each_possible_cpu(cpu) {
		const struct sg_deny_pcpu *p = per_cpu_ptr(d->pcpu, cpu);
		u64 v[SG_DENY_NCOUNT];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			for (k = 0; k < SG_DENY_NCOUNT; k++)
				v[k] = u64_stats_read(&p->cnt[slot][k]);
		} while (u64_stats_fetch_retry(&p->syncp, start));
		for (k = 0; k < SG_DENY_NCOUNT; k++)
			out[k] += v[k];
	}
}

int sg_deny_match(const struct sg_deny *d, u8 family, const u8 *addr)
{
	unsigned long live = READ_ONCE(d->live);
	const struct sg_deny_set *s;
	unsigned int i;
	u64 now;

	if (likely(!live))
		return -1;
	now = get_jiffies_64();
	for_each_set_bit(i, &live, SG_DENY_ORIGINS) {
		s = rcu_dereference(d->set[i]);
		if (s && sg_prefixset_match(sg_deny_ps(s), family, addr, now))
			return i;
	}
	return -1;
}

void sg_deny_count(struct sg_deny *d, int slot, enum sg_deny_count what)
{
	struct sg_deny_pcpu *p = this_cpu_ptr(d->pcpu);

	u64_stats_update_begin(&p->syncp);
	u64_stats_inc(&p->cnt[slot][what]);
	u64_stats_update_end(&p->syncp);
}

int sg_deny_origin_check(const char *name, const char **why)
{
	size_t i, len = strlen(name);

	*why = NULL;
	if (!len || len > SIPGUARD_ORIGIN_MAXLEN) {
		*why = "an origin name is 1-31 characters long";
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.')) {
			*why = "an origin name has only a-z, 0-9, '-', '_' and '.'";
			return -EINVAL;
		}
	}
	return 0;
}

static struct sg_deny_set *sg_deny_locked(struct sg_deny *d, u32 slot)
{
	return rcu_dereference_protected(d->set[slot], lockdep_is_held(&d->lock));
}

static int sg_deny_find(struct sg_deny *d, const char *name)
{
	u32 i;

	for (i = 0; i < SG_DENY_ORIGINS; i++) {
		struct sg_deny_set *s = sg_deny_locked(d, i);

		if (s && !strcmp(s->name, name))
			return i;
	}
	return -1;
}

/* The live entries of @s appended to @out; returns how many. */
static u32 sg_deny_collect(const struct sg_deny_set *s, struct sg_xprefix *out, u64 now)
{
	u32 i, n = 0, count = s ? sg_prefixset_count(sg_deny_ps(s)) : 0;

	for (i = 0; i < count; i++) {
		sg_prefixset_get(sg_deny_ps(s), i, &out[n]);
		if (!out[n].expires || out[n].expires > now)
			n++;
	}
	return n;
}

static struct sg_deny_set *sg_deny_build(const char *name, const struct sg_xprefix *e,
					 u32 n, u64 now)
{
	size_t size = sg_prefixset_size(n);
	struct sg_deny_set *s;
	int ret;

	if (!size || size > SIZE_MAX - sizeof(*s))
		return ERR_PTR(-ENOMEM);
	s = sg_kvmalloc(sizeof(*s) + size, GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	strscpy(s->name, name, sizeof(s->name));
	ret = sg_prefixset_build(s->mem, size, e, n, now);
	if (ret) {
		kvfree(s);
		return ERR_PTR(ret);
	}
	return s;
}

/* Publish @s (NULL: the origin is gone) in @slot; the old set goes after a grace period. */
static void sg_deny_publish(struct sg_deny *d, u32 slot, struct sg_deny_set *s)
{
	struct sg_deny_set *old = sg_deny_locked(d, slot);

	if (s && !sg_prefixset_count(sg_deny_ps(s))) {
		kvfree(s);
		s = NULL;
	}
	if (!old && s)
		/* A new origin starts its counters from zero. */
		sg_deny_sums(d, slot, d->base[slot]);
	d->total -= old ? sg_prefixset_count(sg_deny_ps(old)) : 0;
	d->total += s ? sg_prefixset_count(sg_deny_ps(s)) : 0;
	rcu_assign_pointer(d->set[slot], s);
	if (s)
		WRITE_ONCE(d->live, d->live | BIT(slot));
	else
		WRITE_ONCE(d->live, d->live & ~BIT(slot));
	d->generation++;
	if (old)
		kvfree_rcu(old, rcu);
}

/* Arm the reaper for the earliest expiry of any origin. */
static void sg_deny_arm(struct sg_deny *d)
{
	u64 next = 0, now = get_jiffies_64();
	u32 i;

	for (i = 0; i < SG_DENY_ORIGINS; i++) {
		struct sg_deny_set *s = sg_deny_locked(d, i);
		u64 t = s ? sg_prefixset_next_expiry(sg_deny_ps(s)) : 0;

		if (t && (!next || t < next))
			next = t;
	}
	if (next)
		mod_delayed_work(system_wq, &d->reap,
				 next > now ? min_t(u64, next - now, MAX_JIFFY_OFFSET) : 0);
}

static int cmp_prefix(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct sg_prefix));
}

/* Entries of @e not named in @del (sorted); returns how many are left. */
static u32 sg_deny_drop(struct sg_xprefix *e, u32 n, const struct sg_prefix *del,
			u32 ndel, bool *found)
{
	u32 i, m = 0;

	for (i = 0; i < n; i++) {
		struct sg_prefix *hit = bsearch(&e[i].p, del, ndel, sizeof(*del), cmp_prefix);

		if (hit) {
			found[hit - del] = true;
			continue;
		}
		e[m++] = e[i];
	}
	return m;
}

static int sg_deny_del(struct sg_deny *d, int only, const struct sg_deny_req *v,
		       u32 n, struct netlink_ext_ack *extack)
{
	struct sg_deny_set *news[SG_DENY_ORIGINS] = {};
	struct sg_xprefix *e = NULL;
	struct sg_prefix *del;
	u64 now = get_jiffies_64();
	bool *found;
	int ret = 0;
	u32 i, k;

	del = sg_kvmalloc_array(n, sizeof(*del), GFP_KERNEL_ACCOUNT);
	found = sg_kvcalloc(n, sizeof(*found), GFP_KERNEL_ACCOUNT);
	if (!del || !found) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		del[i] = v[i].p;
	sort(del, n, sizeof(*del), cmp_prefix, NULL);
	for (i = 0; i < SG_DENY_ORIGINS; i++) {
		struct sg_deny_set *s = sg_deny_locked(d, i);
		u32 have, left;

		if (!s || (only >= 0 && i != only))
			continue;
		have = sg_prefixset_count(sg_deny_ps(s));
		kvfree(e);
		e = sg_kvmalloc_array(max(have, 1U), sizeof(*e), GFP_KERNEL_ACCOUNT);
		if (!e) {
			ret = -ENOMEM;
			goto out;
		}
		have = sg_deny_collect(s, e, now);
		left = sg_deny_drop(e, have, del, n, found);
		if (left == sg_prefixset_count(sg_deny_ps(s)))
			continue;
		news[i] = sg_deny_build(s->name, e, left, now);
		if (IS_ERR(news[i])) {
			ret = PTR_ERR(news[i]);
			news[i] = NULL;
			goto out;
		}
	}
	for (k = 0; k < n; k++) {
		if (!found[k]) {
			if (only >= 0)
				NL_SET_ERR_MSG(extack, "that origin has no such entry");
			else
				NL_SET_ERR_MSG(extack, "no origin has such an entry");
			ret = -ENOENT;
			goto out;
		}
	}
	for (i = 0; i < SG_DENY_ORIGINS; i++) {
		if (news[i]) {
			sg_deny_publish(d, i, news[i]);
			news[i] = NULL;
		}
	}
out:
	for (i = 0; i < SG_DENY_ORIGINS; i++)
		kvfree(news[i]);
	kvfree(e);
	kvfree(found);
	kvfree(del);
	return ret;
}

int sg_deny_change(struct sg_deny *d, enum sg_deny_op op, const char *origin,
		   const struct sg_deny_req *v, u32 n, struct netlink_ext_ack *extack)
{
	u32 max = READ_ONCE(sg_deny_max), i, have = 0, count, others;
	struct sg_deny_set *old = NULL, *s;
	struct sg_xprefix *e;
	u64 now;
	int slot, ret = 0;

	mutex_lock(&d->lock);
	now = get_jiffies_64();
	slot = origin ? sg_deny_find(d, origin) : -1;
	if (op == SG_DENY_DEL) {
		if (origin && slot < 0) {
			NL_SET_ERR_MSG(extack, "no entry has that origin");
			ret = -ENOENT;
		} else {
			ret = sg_deny_del(d, slot, v, n, extack);
		}
		goto out;
	}
	if (slot >= 0) {
		old = sg_deny_locked(d, slot);
	} else if (n) {
		for (i = 0; i < SG_DENY_ORIGINS && sg_deny_locked(d, i); i++)
			;
		if (i == SG_DENY_ORIGINS) {
			NL_SET_ERR_MSG(extack, "the denylist has 16 origins already");
			ret = -ENOSPC;
			goto out;
		}
		slot = i;
	} else {
		goto out;	/* replacing nothing with nothing */
	}
	if (old && op == SG_DENY_ADD)
		have = sg_prefixset_count(sg_deny_ps(old));
	others = d->total - (old ? sg_prefixset_count(sg_deny_ps(old)) : 0);
	/* Before allocating; the exact count (duplicates merged) is checked below. */
	if (n > max)
		goto full;
	e = sg_kvmalloc_array(max(have + n, 1U), sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e) {
		ret = -ENOMEM;
		goto out;
	}
	have = op == SG_DENY_ADD ? sg_deny_collect(old, e, now) : 0;
	for (i = 0; i < n; i++) {
		e[have + i].p = v[i].p;
		e[have + i].expires = v[i].timeout ? now + (u64)v[i].timeout * HZ : 0;
	}
	s = sg_deny_build(origin, e, have + n, now);
	kvfree(e);
	if (IS_ERR(s)) {
		ret = PTR_ERR(s);
		goto out;
	}
	count = sg_prefixset_count(sg_deny_ps(s));
	if (count > max || others > max - count) {
		kvfree(s);
		goto full;
	}
	sg_deny_publish(d, slot, s);
	goto out;
full:
	NL_SET_ERR_MSG(extack, "the denylist would hold more entries than deny_max allows");
	ret = -ENOSPC;
out:
	if (!ret)
		sg_deny_arm(d);
	mutex_unlock(&d->lock);
	return ret;
}

/* Drop what expired, in process context, charged to the namespace's creator. */
static void sg_deny_reap(struct work_struct *work)
{
	struct sg_deny *d = container_of(to_delayed_work(work), struct sg_deny, reap);
	struct mem_cgroup *old_memcg, *memcg;
	u64 now;
	u32 i;

	mutex_lock(&d->lock);
	old_memcg = sg_charge_sleepable_begin(d->objcg, &memcg);
	now = get_jiffies_64();
	for (i = 0; i < SG_DENY_ORIGINS; i++) {
		struct sg_deny_set *s = sg_deny_locked(d, i), *ns;
		u64 t = s ? sg_prefixset_next_expiry(sg_deny_ps(s)) : 0;
		struct sg_xprefix *e;
		u32 n;

		if (!t || t > now)
			continue;
		e = sg_kvmalloc_array(sg_prefixset_count(sg_deny_ps(s)), sizeof(*e),
				   GFP_KERNEL_ACCOUNT);
		if (!e)
			continue;	/* expired entries match nothing; try again later */
		n = sg_deny_collect(s, e, now);
		ns = sg_deny_build(s->name, e, n, now);
		kvfree(e);
		if (!IS_ERR(ns))
			sg_deny_publish(d, i, ns);
	}
	sg_charge_sleepable_end(old_memcg, memcg);
	sg_deny_arm(d);
	/* Retry a failed allocation in a second rather than at once. */
	if (!delayed_work_pending(&d->reap))
		for (i = 0; i < SG_DENY_ORIGINS; i++) {
			struct sg_deny_set *s = sg_deny_locked(d, i);

			if (s && sg_prefixset_next_expiry(sg_deny_ps(s)) &&
			    sg_prefixset_next_expiry(sg_deny_ps(s)) <= now) {
				mod_delayed_work(system_wq, &d->reap, HZ);
				break;
			}
		}
	mutex_unlock(&d->lock);
}

bool sg_deny_origin_get(struct sg_deny *d, u32 slot, struct sg_deny_origin_info *out)
{
	const struct sg_deny_set *s;
	unsigned int k;

	if (slot >= SG_DENY_ORIGINS)
		return false;
	s = rcu_dereference(d->set[slot]);
	if (!s)
		return false;
	out->name = s->name;
	out->count = sg_prefixset_count(sg_deny_ps(s));
	sg_deny_sums(d, slot, out->cnt);
	for (k = 0; k < SG_DENY_NCOUNT; k++)
		out->cnt[k] -= READ_ONCE(d->base[slot][k]);
	return true;
}

bool sg_deny_entry_get(struct sg_deny *d, u32 slot, u32 idx, struct sg_prefix *p,
		       u32 *left, bool *expired)
{
	const struct sg_deny_set *s;
	struct sg_xprefix x;
	u64 now;

	if (slot >= SG_DENY_ORIGINS)
		return false;
	s = rcu_dereference(d->set[slot]);
	if (!s || idx >= sg_prefixset_count(sg_deny_ps(s)))
		return false;
	sg_prefixset_get(sg_deny_ps(s), idx, &x);
	now = get_jiffies_64();
	*p = x.p;
	*expired = x.expires && x.expires <= now;
	*left = 0;
	if (x.expires && !*expired)
		*left = max_t(u64, 1, min_t(u64, DIV_ROUND_UP_ULL(x.expires - now, HZ), U32_MAX));
	return true;
}

int sg_deny_init(struct sg_deny *d, struct obj_cgroup *objcg)
{
	memset(d, 0, sizeof(*d));
	mutex_init(&d->lock);
	INIT_DELAYED_WORK(&d->reap, sg_deny_reap);
	d->pcpu = sg_alloc_percpu_gfp(struct sg_deny_pcpu, GFP_KERNEL_ACCOUNT);
	if (!d->pcpu)
		return -ENOMEM;
	d->objcg = objcg;
	return 0;
}

/* After the hooks are gone and a grace period has passed (net exit). */
void sg_deny_exit(struct sg_deny *d)
{
	u32 i;

	cancel_delayed_work_sync(&d->reap);
	for (i = 0; i < SG_DENY_ORIGINS; i++)
		kvfree(rcu_dereference_protected(d->set[i], true));
	/* Sets retired by kvfree_rcu() may still be queued. */
	free_percpu(d->pcpu);
	mutex_destroy(&d->lock);
}
