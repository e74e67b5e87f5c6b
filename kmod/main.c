// SPDX-License-Identifier: GPL-2.0
/*
 * sipguard: keep SIP scanners away from the phones behind a Linux gateway.
 *
 * Module init and exit, and the per-network-namespace state: each namespace
 * gets its own counters and its own hooks, created when the namespace (or the
 * module) comes up and torn down in exact reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>

#include "sipguard.h"

unsigned int sg_net_id __read_mostly;

static int __net_init sg_net_init(struct net *net)
{
	struct sg_net *sgn = sg_pernet(net);
	int ret;

	sgn->net = net;
	mutex_init(&sgn->lock);

	ret = sg_stats_init(&sgn->stats);
	if (ret)
		goto err_stats;
	ret = sg_hooks_register(net);
	if (ret)
		goto err_hooks;
	return 0;

err_hooks:
	sg_stats_destroy(&sgn->stats);
err_stats:
	return ret;
}

static void __net_exit sg_net_exit(struct net *net)
{
	struct sg_net *sgn = sg_pernet(net);

	/* nf_unregister_net_hooks() waits for readers, so no packet still
	 * holds the counters when they are freed.
	 */
	sg_hooks_unregister(net);
	sg_stats_destroy(&sgn->stats);
	mutex_destroy(&sgn->lock);
}

static struct pernet_operations sg_net_ops = {
	.init	= sg_net_init,
	.exit	= sg_net_exit,
	.id	= &sg_net_id,
	.size	= sizeof(struct sg_net),
};

static int __init sipguard_init(void)
{
	int ret;

	ret = register_pernet_subsys(&sg_net_ops);
	if (ret)
		goto err_pernet;
	ret = sg_genl_init();
	if (ret)
		goto err_genl;

	pr_info("version " SIPGUARD_VERSION " loaded\n");
	return 0;

err_genl:
	unregister_pernet_subsys(&sg_net_ops);
err_pernet:
	return ret;
}

static void __exit sipguard_exit(void)
{
	sg_genl_exit();
	unregister_pernet_subsys(&sg_net_ops);
}

module_init(sipguard_init);
module_exit(sipguard_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Keep SIP scanners (ghost calls) away from VoIP phones");
MODULE_AUTHOR("sipguard developers");
MODULE_VERSION(SIPGUARD_VERSION);
MODULE_ALIAS_GENL_FAMILY(SIPGUARD_GENL_NAME);
