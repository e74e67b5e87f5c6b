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
 * Off until configured (probability 0): through debugfs, or the
 * fail_sipguard= module parameter in the kernel's interval,probability,
 * space,times format.
 */
static DECLARE_FAULT_ATTR(sg_fail_attr);
static char *fail_sipguard;
module_param(fail_sipguard, charp, 0444);
MODULE_PARM_DESC(fail_sipguard, "Fault injection into the module's allocations: interval,probability,space,times (kernels with CONFIG_FAULT_INJECTION)");

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
	if (fail_sipguard && !setup_fault_attr(&sg_fail_attr, fail_sipguard)) {
		pr_err("fail_sipguard=%s: interval,probability,space,times\n", fail_sipguard);
		return -EINVAL;
	}
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
