// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

/*
 * The module's allocations (see alloc.h).
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/sched.h>

#include "alloc.h"

#ifdef CONFIG_FAULT_INJECTION
/*
 * Off until configured through debugfs (probability 0).  At load, before
 * it exists, failslab's task filter reaches the module's allocations:
 * namespace init runs in the loading task.
 */
static DECLARE_FAULT_ATTR(sg_fail_attr);

bool sg_alloc_fail(size_t size)
{
	return should_fail(&sg_fail_attr, size);
}
#endif

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
static struct dentry *sg_fail_dir;
#endif

int sg_alloc_module_init(void)
{
#ifdef CONFIG_FAULT_INJECTION
	/* Quiet (no stack per failure) unless asked through debugfs. */
	sg_fail_attr.verbose = 0;
#endif
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	/* Debugging aid: the module works without it. */
	sg_fail_dir = fault_create_debugfs_attr("fail_sipguard", NULL, &sg_fail_attr);
	if (IS_ERR(sg_fail_dir))
		sg_fail_dir = NULL;
#endif
	return 0;
}

void sg_alloc_module_exit(void)
{
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	debugfs_remove_recursive(sg_fail_dir);
#endif
}

struct obj_cgroup *sg_objcg_current(void)
{
#ifdef CONFIG_MEMCG
	struct obj_cgroup *objcg = NULL;
	struct mem_cgroup *memcg;

	if (mem_cgroup_disabled() || !current->mm || (current->flags & PF_KTHREAD))
		return NULL;
	/* As the kernel's own __get_obj_cgroup_from_memcg(): the first that lives. */
	rcu_read_lock();
	for (memcg = mem_cgroup_from_task(current); memcg; memcg = parent_mem_cgroup(memcg)) {
		objcg = rcu_dereference(memcg->objcg);
		if (objcg && obj_cgroup_tryget(objcg))
			break;
		objcg = NULL;
	}
	rcu_read_unlock();
	return objcg;
#else
	return NULL;
#endif
}
