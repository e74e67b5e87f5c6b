/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's allocations: whose memory cgroup pays for them, and a fault
 * attribute of its own that fails them on purpose.
 *
 * Memory the hook allocates in softirq (source entries, learning) would be
 * charged to whatever task the softirq interrupted, or to nobody; it is
 * charged instead to the cgroup of whoever created the namespace or
 * configured the table, through an obj_cgroup reference.  Unlike a
 * reference to the mem_cgroup itself, an obj_cgroup one does not keep a
 * removed cgroup alive: the kernel moves the obj_cgroup to the parent when
 * the cgroup goes offline, and its charges with it, as it does for every
 * kmem object that outlives its cgroup.
 *
 * Every allocation goes through sg_alloc_fail() first, so that fault
 * injection (/sys/kernel/debug/fail_sipguard, on kernels built with
 * CONFIG_FAULT_INJECTION_DEBUG_FS) can aim at the module's own allocations
 * in any context, softirq included, where failslab's task filter cannot
 * (and x86-64 has no stack-trace filter).
 */
#ifndef _SG_ALLOC_H
#define _SG_ALLOC_H

#include <linux/memcontrol.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#ifdef CONFIG_FAULT_INJECTION
bool sg_alloc_fail(size_t size);
#else
static inline bool sg_alloc_fail(size_t size)
{
	return false;
}
#endif

int sg_alloc_module_init(void);
void sg_alloc_module_exit(void);

#define sg_kmalloc(size, gfp) \
	(sg_alloc_fail(size) ? NULL : kmalloc(size, gfp))
#define sg_kzalloc(size, gfp) \
	(sg_alloc_fail(size) ? NULL : kzalloc(size, gfp))
#define sg_kcalloc(n, size, gfp) \
	(sg_alloc_fail((n) * (size)) ? NULL : kcalloc(n, size, gfp))
#define sg_kstrdup(s, gfp) \
	(sg_alloc_fail(strlen(s) + 1) ? NULL : kstrdup(s, gfp))
#define sg_kvmalloc(size, gfp) \
	(sg_alloc_fail(size) ? NULL : kvmalloc(size, gfp))
#define sg_kvzalloc(size, gfp) \
	(sg_alloc_fail(size) ? NULL : kvzalloc(size, gfp))
#define sg_kvmalloc_array(n, size, gfp) \
	(sg_alloc_fail((n) * (size)) ? NULL : kvmalloc_array(n, size, gfp))
#define sg_kvcalloc(n, size, gfp) \
	(sg_alloc_fail((n) * (size)) ? NULL : kvcalloc(n, size, gfp))
#define sg_kmem_cache_alloc(c, gfp) \
	(sg_alloc_fail(kmem_cache_size(c)) ? NULL : kmem_cache_alloc(c, gfp))
#define sg_alloc_percpu_gfp(type, gfp) \
	(sg_alloc_fail(sizeof(type)) ? NULL : alloc_percpu_gfp(type, gfp))
#define sg_alloc_percpu(type) \
	(sg_alloc_fail(sizeof(type)) ? NULL : alloc_percpu(type))

/*
 * The calling task's cgroup, as an obj_cgroup reference (NULL: none to
 * charge, as for kernel threads or without the memory controller).
 * Process context.
 */
struct obj_cgroup *sg_objcg_current(void);

static inline void sg_objcg_put(struct obj_cgroup *objcg)
{
#ifdef CONFIG_MEMCG
	if (objcg)
		obj_cgroup_put(objcg);
#endif
}

/*
 * Charge what is allocated (with __GFP_ACCOUNT) between sg_charge_begin()
 * and sg_charge_end() to @objcg's cgroup, or to its nearest living
 * ancestor.  No sleeping in between: the cgroup is held by RCU alone.
 */
static inline struct mem_cgroup *sg_charge_begin(struct obj_cgroup *objcg)
{
#ifdef CONFIG_MEMCG
	rcu_read_lock();
	return set_active_memcg(objcg ? obj_cgroup_memcg(objcg) : NULL);
#else
	return NULL;
#endif
}

static inline void sg_charge_end(struct mem_cgroup *old)
{
#ifdef CONFIG_MEMCG
	set_active_memcg(old);
	rcu_read_unlock();
#endif
}

/*
 * The same for a section that may sleep: holds @objcg's cgroup for it.
 * sg_charge_sleepable_end() takes what sg_charge_sleepable_begin() put in
 * @held.
 */
static inline struct mem_cgroup *sg_charge_sleepable_begin(struct obj_cgroup *objcg,
							   struct mem_cgroup **held)
{
#ifdef CONFIG_MEMCG
	*held = objcg ? get_mem_cgroup_from_objcg(objcg) : NULL;
	return set_active_memcg(*held);
#else
	*held = NULL;
	return NULL;
#endif
}

static inline void sg_charge_sleepable_end(struct mem_cgroup *old, struct mem_cgroup *held)
{
#ifdef CONFIG_MEMCG
	set_active_memcg(old);
	mem_cgroup_put(held);
#endif
}

#endif /* _SG_ALLOC_H */
