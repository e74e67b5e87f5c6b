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

#include "alloc.h"
#include "hooks.h"
#include "netlink.h"
#include "packet.h"
#include "sipguard.h"
#include "xdp_kfuncs.h"

unsigned int sg_net_id __read_mostly;
struct sg_params sg_default_params __read_mostly;

/*
 * Boot-time defaults for every namespace.  Monitor mode by default: loading
 * the module must never cut a working phone line; an operator switches to
 * enforce once the allowlist is right and the counters agree.
 */
static char *mode = "monitor";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "Initial mode of every namespace: off, monitor (default) or enforce");
static char *policy = "strict";
module_param(policy, charp, 0444);
MODULE_PARM_DESC(policy, "Initial policy for untrusted sources: strict (default) or open");
static char *ports = "5060";
module_param(ports, charp, 0444);
MODULE_PARM_DESC(ports, "Guarded SIP ports, UDP and TCP, e.g. 5060,5080,5160-5170 (default 5060)");
static char *tls_ports = "5061";
module_param(tls_ports, charp, 0444);
MODULE_PARM_DESC(tls_ports, "SIP-over-TLS ports, allowlist only (default 5061)");
static unsigned int table_max = SG_DEFAULT_TABLE_MAX;
module_param(table_max, uint, 0444);
MODULE_PARM_DESC(table_max, "Initial maximum of the open policy's source table per namespace (default 16384)");

/*
 * The host-wide cap on source entries over every namespace, as
 * nf_conntrack_max is for connections.  Writable at run time through
 * /sys/module/sipguard/parameters/sources_max, which only the initial
 * namespace's root can write (sysfs checks the global uid 0 and
 * capabilities over the initial user namespace).  Lowering it below the
 * entries held now forgets nothing: new sources are refused until the
 * tables shrink below it.
 */
static int sg_param_set_sources(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	if (v > SG_SOURCES_MAX_LIMIT)
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops sg_sources_param_ops = {
	.set	= sg_param_set_sources,
	.get	= param_get_uint,
};
module_param_cb(sources_max, &sg_sources_param_ops, &sg_sources_max, 0644);
MODULE_PARM_DESC(sources_max, "Source entries of all namespaces together, 0-1073741824 (default 1048576); root of the initial namespace only");
/*
 * No namespace may spend another's share of sources_max (sources.h): the
 * reserve is the initial user namespace's alone, and each user's
 * namespaces together hold at most sources_user_max of the rest, however
 * many user namespaces the user makes.  Same writers and rules as
 * sources_max; a namespace past its share keeps its entries.
 */
module_param_cb(sources_reserve, &sg_sources_param_ops, &sg_sources_reserve, 0644);
MODULE_PARM_DESC(sources_reserve, "Of sources_max, entries only namespaces of the initial user namespace may use (default 131072)");
module_param_cb(sources_user_max, &sg_sources_param_ops, &sg_sources_user_max, 0644);
MODULE_PARM_DESC(sources_user_max, "Entries the namespaces of one user (outside the initial user namespace) may hold together (default 262144)");
/*
 * What a listener of the events group gets at most, per namespace: a flood
 * of drops must not become a flood of messages (events.h).
 */
static unsigned int event_rate = 20;
module_param(event_rate, uint, 0444);
MODULE_PARM_DESC(event_rate, "Events per second the monitor group gets per namespace, 1-1000000 (default 20)");
static unsigned int event_burst = 50;
module_param(event_burst, uint, 0444);
MODULE_PARM_DESC(event_burst, "Events the monitor group may get at once per namespace, 1-1000000 (default 50)");

static int __net_init sg_net_init(struct net *net)
{
	struct sg_net *sgn = sg_pernet(net);
	struct sg_config *cfg;
	int ret;

	sgn->net = net;
	mutex_init(&sgn->lock);
	/* Process context: whoever creates the namespace, or loads the module. */
	sgn->objcg = sg_objcg_current();

	/* Generations start at 1: a dump's first part sees a change as one. */
	sgn->generation = 1;
	cfg = sg_config_build(&sg_default_params, NULL, 0, sgn->generation, NULL);
	if (IS_ERR(cfg)) {
		ret = PTR_ERR(cfg);
		goto err_config;
	}
	RCU_INIT_POINTER(sgn->cfg, cfg);
	ret = sg_stats_init(&sgn->stats);
	if (ret)
		goto err_stats;
	sg_learn_init(&sgn->learn, sgn->objcg);
	sg_events_init(&sgn->events, net, &sgn->stats);
	ret = sg_sigs_init(&sgn->sigs);
	if (ret)
		goto err_sigs;
	ret = sg_sources_init(&sgn->sources, net, &sgn->cfg, &sgn->lock);
	if (ret)
		goto err_share;
	/* Nobody else sees the namespace yet; lockdep wants the lock all the same. */
	mutex_lock(&sgn->lock);
	ret = sg_sources_configure(&sgn->sources, cfg);
	mutex_unlock(&sgn->lock);
	if (ret)
		goto err_sources;
	ret = sg_deny_init(&sgn->deny, sgn->objcg);
	if (ret)
		goto err_deny;
	ret = sg_wan_init(&sgn->wan, net);
	if (ret)
		goto err_wan;
	ret = sg_hooks_register(net);
	if (ret)
		goto err_hooks;
	return 0;

err_hooks:
	/*
	 * sg_hooks_register() may have had the first hooks of its table in
	 * and taken them out again (a later one failed): packets of a
	 * namespace that already carries traffic (module load) can still be
	 * inside them, reading what is freed below.  Unregistering does not
	 * wait for them; a grace period does.
	 */
	synchronize_net();
	sg_wan_stop(&sgn->wan);
	sg_wan_exit(&sgn->wan);
err_wan:
	sg_deny_exit(&sgn->deny);
err_deny:
err_sources:
	sg_sources_exit(&sgn->sources);
err_share:
	sg_sigs_exit(&sgn->sigs);
err_sigs:
	sg_stats_destroy(&sgn->stats);
err_stats:
	sg_config_free(cfg);
err_config:
	sg_objcg_put(sgn->objcg);
	return ret;
}

/*
 * Unhook first, free later.  nf_unregister_net_hooks() does not wait for
 * the packets already inside the hook on other CPUs (it frees the old hook
 * blob by call_rcu), so freeing the configuration right after it was a
 * use-after-free: KASAN caught one in check-debug, a packet of the flood
 * reading cfg->p.mode while rmmod freed it.  The core runs every pre_exit,
 * then synchronize_rcu(), then every exit (module unload and namespace
 * teardown alike), and the hook runs under rcu_read_lock(): by .exit no
 * packet can still be reading what it frees.  One grace period per batch.
 */
static void __net_exit sg_net_pre_exit(struct net *net)
{
	sg_hooks_unregister(net);
	sg_wan_stop(&sg_pernet(net)->wan);
}

static void __net_exit sg_net_exit(struct net *net)
{
	struct sg_net *sgn = sg_pernet(net);

	sg_wan_exit(&sgn->wan);
	sg_deny_exit(&sgn->deny);
	sg_sources_exit(&sgn->sources);
	sg_sigs_exit(&sgn->sigs);
	sg_learn_exit(&sgn->learn);
	sg_stats_destroy(&sgn->stats);
	sg_config_free(rcu_dereference_protected(sgn->cfg, true));
	sg_objcg_put(sgn->objcg);
	mutex_destroy(&sgn->lock);
}

static struct pernet_operations sg_net_ops = {
	.init	= sg_net_init,
	.pre_exit = sg_net_pre_exit,
	.exit	= sg_net_exit,
	.id	= &sg_net_id,
	.size	= sizeof(struct sg_net),
};

static int __init sipguard_init(void)
{
	int ret;

	ret = sg_params_defaults(&sg_default_params, mode, policy, ports, tls_ports);
	if (ret) {
		/* Parsing the ports copies them: out of memory is no bad parameter. */
		if (ret != -ENOMEM)
			pr_err("invalid module parameter (mode=%s policy=%s ports=%s tls_ports=%s)\n",
			       mode, policy, ports, tls_ports);
		return ret;
	}
	if (table_max < SIPGUARD_MIN_SOURCES || table_max > SIPGUARD_MAX_SOURCES) {
		pr_err("table_max=%u: must be %u-%u\n", table_max, SIPGUARD_MIN_SOURCES,
		       SIPGUARD_MAX_SOURCES);
		return -EINVAL;
	}
	sg_default_params.table_max = table_max;
	ret = sg_events_module_init(event_rate, event_burst);
	if (ret) {
		pr_err("event_rate=%u event_burst=%u: each must be 1-%u\n", event_rate,
		       event_burst, SG_TB_MAX_RATE);
		return ret;
	}
	ret = sg_alloc_module_init();
	if (ret)
		return ret;
	ret = sg_packet_init();
	if (ret)
		goto err_packet;
	ret = sg_sources_module_init();
	if (ret)
		goto err_sources;
	ret = register_pernet_subsys(&sg_net_ops);
	if (ret)
		goto err_pernet;
	ret = sg_genl_init();
	if (ret)
		goto err_genl;

	sg_xdp_kfuncs_init();
	pr_info("version " SIPGUARD_VERSION " loaded\n");
	return 0;

err_genl:
	unregister_pernet_subsys(&sg_net_ops);
err_pernet:
	sg_sources_module_exit();
err_sources:
	sg_packet_exit();
err_packet:
	sg_alloc_module_exit();
	return ret;
}

static void __exit sipguard_exit(void)
{
	sg_genl_exit();
	/* Every namespace: unhooked (pre_exit), a grace period, then freed. */
	unregister_pernet_subsys(&sg_net_ops);
	sg_sources_module_exit();
	sg_packet_exit();
	sg_alloc_module_exit();
}

module_init(sipguard_init);
module_exit(sipguard_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Keep SIP scanners (ghost calls) away from VoIP phones");
MODULE_AUTHOR("sipguard developers");
MODULE_VERSION(SIPGUARD_VERSION);
MODULE_ALIAS_GENL_FAMILY(SIPGUARD_GENL_NAME);
