// SPDX-License-Identifier: GPL-2.0
/*
 * The "sipguard" generic netlink family.  Every request acts on the network
 * namespace of the socket that sent it; see uapi/linux/sipguard.h for the
 * attribute tree of each command and who may call it.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "sipguard.h"

static const struct nla_policy sg_policy[SIPGUARD_A_MAX + 1] = {
	[SIPGUARD_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, __SIPGUARD_F_ALL),
};

static struct genl_family sg_genl_family;

static int sg_put_stats(struct sk_buff *msg, const u64 *v)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(msg, SIPGUARD_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = SIPGUARD_STAT_PAD + 1; i < SG_NSTATS; i++) {
		if (nla_put_u64_64bit(msg, i, v[i], SIPGUARD_STAT_PAD)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int sg_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct sg_net *sgn = sg_pernet(net);
	u64 v[SG_NSTATS];
	struct sk_buff *msg;
	bool reset = false;
	void *hdr;
	int ret;

	if (info->attrs[SIPGUARD_A_FLAGS])
		reset = nla_get_u32(info->attrs[SIPGUARD_A_FLAGS]) & SIPGUARD_F_RESET;
	if (reset && !netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SIPGUARD_A_FLAGS],
				    "resetting counters needs CAP_NET_ADMIN");
		return -EPERM;
	}

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sg_genl_family, 0,
				SIPGUARD_CMD_GET_STATS);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}

	mutex_lock(&sgn->lock);
	sg_stats_fetch(&sgn->stats, v, reset);
	mutex_unlock(&sgn->lock);

	ret = nla_put_string(msg, SIPGUARD_A_VERSION, SIPGUARD_VERSION);
	if (ret)
		goto err_free;
	ret = sg_put_stats(msg, v);
	if (ret)
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

static const struct genl_small_ops sg_genl_ops[] = {
	{
		.cmd	= SIPGUARD_CMD_GET_STATS,
		.doit	= sg_nl_get_stats,
	},
};

static struct genl_family sg_genl_family __ro_after_init = {
	.name		= SIPGUARD_GENL_NAME,
	.version	= SIPGUARD_GENL_VERSION,
	.maxattr	= SIPGUARD_A_MAX,
	.policy		= sg_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.small_ops	= sg_genl_ops,
	.n_small_ops	= ARRAY_SIZE(sg_genl_ops),
	/* Strict validation (no trailing data, no unknown attributes) for all. */
	.resv_start_op	= SIPGUARD_CMD_MAX + 1,
};

int __init sg_genl_init(void)
{
	return genl_register_family(&sg_genl_family);
}

void sg_genl_exit(void)
{
	genl_unregister_family(&sg_genl_family);
}
