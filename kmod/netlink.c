// SPDX-License-Identifier: GPL-2.0
/*
 * The "sipguard" generic netlink family.  Every request acts on the network
 * namespace of the socket that sent it; uapi/linux/sipguard.h draws the
 * attribute tree of each command and says who may call it.
 *
 * Every change follows one pattern: under the namespace's mutex, copy the
 * current configuration's parameters, apply the request, build a complete
 * new configuration and publish it.  Any error leaves the old one in place.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "alloc.h"
#include "netlink.h"
#include "sipguard.h"
#include "verdict.h"

static const struct nla_policy sg_range_policy[SIPGUARD_RANGE_A_MAX_ID + 1] = {
	[SIPGUARD_RANGE_A_MIN]	= NLA_POLICY_MIN(NLA_U16, 1),
	[SIPGUARD_RANGE_A_MAX]	= NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy sg_list_policy[SIPGUARD_A_LIST_MAX + 1] = {
	[SIPGUARD_A_PORT_RANGE]	= NLA_POLICY_NESTED(sg_range_policy),
	[SIPGUARD_A_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static const struct nla_policy sg_prefix_policy[SIPGUARD_PREFIX_A_MAX + 1] = {
	[SIPGUARD_PREFIX_A_ADDR] = { .type = NLA_BINARY, .len = 16 },
	[SIPGUARD_PREFIX_A_PLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[SIPGUARD_PREFIX_A_PORT] = { .type = NLA_U16 },
	[SIPGUARD_PREFIX_A_NAME] = { .type = NLA_NUL_STRING, .len = SIPGUARD_NAME_MAXLEN },
};

/* Each command accepts exactly the attributes its uapi comment lists. */
static const struct nla_policy sg_stats_policy[SIPGUARD_A_MAX + 1] = {
	[SIPGUARD_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, SIPGUARD_F_RESET),
};

static const struct nla_policy sg_sources_policy[SIPGUARD_A_MAX + 1] = {
	[SIPGUARD_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, SIPGUARD_F_BANNED_ONLY),
};

static const struct nla_policy sg_unban_policy[SIPGUARD_A_MAX + 1] = {
	[SIPGUARD_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, SIPGUARD_F_EVERY_SOURCE),
	[SIPGUARD_A_ADDR]	= { .type = NLA_BINARY, .len = 16 },
};

static const struct nla_policy sg_sig_policy[SIPGUARD_A_MAX + 1] = {
	[SIPGUARD_A_SIGNATURE]	= { .type = NLA_NUL_STRING, .len = SIPGUARD_SIG_MAXLEN },
};

/*
 * NLA_POLICY_RANGE holds only s16 bounds; 6.1 wants these non-const.  One
 * range per setting (SG_SETTINGS), and the BAN command's own.
 */
#define SG_RANGE(attr, field, type, lo, hi, def)				\
	static struct netlink_range_validation sg_##field##_range __ro_after_init = { \
		.min = (lo), .max = (hi),					\
	};
SG_SETTINGS(SG_RANGE)
#undef SG_RANGE

static struct netlink_range_validation sg_manual_ban_range __ro_after_init = {
	.min = 1, .max = SIPGUARD_MAX_BAN,
};

static const struct nla_policy sg_ban_policy[SIPGUARD_A_MAX + 1] = {
	[SIPGUARD_A_ADDR]	= { .type = NLA_BINARY, .len = 16 },
	[SIPGUARD_A_BAN]	= NLA_POLICY_FULL_RANGE(NLA_U32, &sg_manual_ban_range),
};

/*
 * The settings SET_CONFIG takes; ALLOW_REPLACE takes them too, so that a
 * new allowlist and new settings land in one atomic swap.  One list, so the
 * two commands cannot drift apart.
 */
#define SG_NLA_u8	NLA_U8
#define SG_NLA_u32	NLA_U32
#define SG_POLICY(attr, field, type, lo, hi, def)				\
	[SIPGUARD_A_##attr] = NLA_POLICY_FULL_RANGE(SG_NLA_##type, &sg_##field##_range),
#define SG_SETTINGS_POLICY \
	SG_SETTINGS(SG_POLICY) \
	[SIPGUARD_A_SIP_PORTS]	= NLA_POLICY_NESTED(sg_list_policy), \
	[SIPGUARD_A_TLS_PORTS]	= NLA_POLICY_NESTED(sg_list_policy), \
	[SIPGUARD_A_IFACES]	= NLA_POLICY_NESTED(sg_list_policy),

static const struct nla_policy sg_set_policy[SIPGUARD_A_MAX + 1] = {
	SG_SETTINGS_POLICY
};

/* For commands that take no attributes: strict validation refuses any. */
static const struct nla_policy sg_none_policy[SIPGUARD_A_MAX + 1] = {};

static const struct nla_policy sg_prefix_cmd_policy[SIPGUARD_A_MAX + 1] = {
	[SIPGUARD_A_PREFIX]	= NLA_POLICY_NESTED(sg_prefix_policy),
};

/* ALLOW_DEL: an entry, or every entry of one name. */
static const struct nla_policy sg_named_cmd_policy[SIPGUARD_A_MAX + 1] = {
	[SIPGUARD_A_PREFIX]	= NLA_POLICY_NESTED(sg_prefix_policy),
	[SIPGUARD_A_NAME]	= { .type = NLA_NUL_STRING, .len = SIPGUARD_NAME_MAXLEN },
};

/* ALLOW_REFRESH: ALLOW_DEL's attributes and the create/exclusive flags. */
static const struct nla_policy sg_refresh_policy[SIPGUARD_A_MAX + 1] = {
	[SIPGUARD_A_PREFIX]	= NLA_POLICY_NESTED(sg_prefix_policy),
	[SIPGUARD_A_NAME]	= { .type = NLA_NUL_STRING, .len = SIPGUARD_NAME_MAXLEN },
	[SIPGUARD_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, SIPGUARD_F_CREATE | SIPGUARD_F_EXCL),
};

/* ALLOW_REPLACE: the new allowlist and SET_CONFIG's settings (sg_set_policy). */
static const struct nla_policy sg_replace_policy[SIPGUARD_A_MAX + 1] = {
	[SIPGUARD_A_PREFIX]	= NLA_POLICY_NESTED(sg_prefix_policy),
	SG_SETTINGS_POLICY
};

/* The denylist: an entry, and the commands that take entries. */
static struct netlink_range_validation sg_deny_timeout_range __ro_after_init = {
	.min = 1, .max = SIPGUARD_MAX_DENY_TIMEOUT,
};

static const struct nla_policy sg_deny_policy[SIPGUARD_DENY_A_MAX + 1] = {
	[SIPGUARD_DENY_A_ADDR]	= { .type = NLA_BINARY, .len = 16 },
	[SIPGUARD_DENY_A_PLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[SIPGUARD_DENY_A_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &sg_deny_timeout_range),
};

/* The name is checked by sg_deny_origin_check(), which says what is wrong. */
static const struct nla_policy sg_deny_cmd_policy[SIPGUARD_A_MAX + 1] = {
	[SIPGUARD_A_DENY]	= NLA_POLICY_NESTED(sg_deny_policy),
	[SIPGUARD_A_ORIGIN]	= { .type = NLA_NUL_STRING, .len = 255 },
};

/* Reply helpers. */

static struct sk_buff *sg_reply_new_size(struct genl_info *info, u8 cmd, void **hdr,
					 size_t size)
{
	struct sk_buff *msg = genlmsg_new(size, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &sg_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static struct sk_buff *sg_reply_new(struct genl_info *info, u8 cmd, void **hdr)
{
	return sg_reply_new_size(info, cmd, hdr, NLMSG_DEFAULT_SIZE);
}

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

static int sg_put_ranges(struct sk_buff *msg, int type,
			 const struct sg_port_range *r, u8 n)
{
	struct nlattr *list, *item;
	u8 i;

	list = nla_nest_start(msg, type);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		item = nla_nest_start(msg, SIPGUARD_A_PORT_RANGE);
		if (!item || nla_put_u16(msg, SIPGUARD_RANGE_A_MIN, r[i].min) ||
		    nla_put_u16(msg, SIPGUARD_RANGE_A_MAX, r[i].max))
			goto err;
		nla_nest_end(msg, item);
	}
	nla_nest_end(msg, list);
	return 0;
err:
	nla_nest_cancel(msg, list);
	return -EMSGSIZE;
}

/* What the default routes say of the WAN (iface.c), with its names now. */
static int sg_put_wan(struct sk_buff *msg, struct sg_net *sgn)
{
	int ifindex[SG_WAN_MAX];
	enum sg_wan_state state;
	struct net_device *dev;
	struct nlattr *list;
	int ret = 0;
	u8 i, n;

	BUILD_BUG_ON((int)SG_WAN_FOUND != SIPGUARD_WAN_FOUND ||
		     (int)SG_WAN_NONE != SIPGUARD_WAN_NONE);
	state = sg_wan_get(&sgn->wan, ifindex, &n);
	if (nla_put_u8(msg, SIPGUARD_A_WAN, state))
		return -EMSGSIZE;
	if (state != SG_WAN_FOUND)
		return 0;
	list = nla_nest_start(msg, SIPGUARD_A_WAN_IFACES);
	if (!list)
		return -EMSGSIZE;
	rcu_read_lock();
	for (i = 0; i < n && !ret; i++) {
		dev = dev_get_by_index_rcu(sgn->net, ifindex[i]);
		if (dev && nla_put_string(msg, SIPGUARD_A_IFNAME, dev->name))
			ret = -EMSGSIZE;
	}
	rcu_read_unlock();
	if (ret)
		return ret;
	nla_nest_end(msg, list);
	return 0;
}

/* Room for every port learning may guard, and the phones it would. */
#define SG_LEARN_PORT_BYTES	96
#define SG_CONFIG_REPLY_SIZE	(NLMSG_DEFAULT_SIZE + \
				 (SIPGUARD_LEARN_MAX_PORTS + SG_LEARN_HINTS) * SG_LEARN_PORT_BYTES)

/*
 * With learning: the ports it guards now.  Without: the phones seen
 * registering from a port not guarded, which nothing protects.
 */
static int sg_put_learn_ports(struct sk_buff *msg, struct sg_net *sgn, bool learn)
{
	struct sg_learn_hint h;
	struct sg_learn_port p;
	struct nlattr *list;
	u32 i, secs;

	if (learn && nla_put_u32(msg, SIPGUARD_A_LEARN_PORTS_OVER,
				 sg_learn_ports_over(&sgn->learn)))
		return -EMSGSIZE;
	list = nla_nest_start(msg, learn ? SIPGUARD_A_LEARN_PORTS : SIPGUARD_A_UNGUARDED_PHONES);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; learn && !sg_learn_get_port(&sgn->learn, i, &p, &secs); i++)
		if (sg_put_learn_port(msg, SIPGUARD_A_PHONE_PORT, &p, secs, false))
			return -EMSGSIZE;
	for (i = 0; !learn && !sg_learn_get_hint(&sgn->learn, i, &h); i++) {
		memset(&p, 0, sizeof(p));
		p.family = h.family;
		p.l4proto = h.l4proto;
		p.port = p.phone_port = h.port;
		memcpy(p.addr, h.addr, 16);
		memcpy(p.phone, h.addr, 16);
		if (sg_put_learn_port(msg, SIPGUARD_A_PHONE_PORT, &p, (u32)h.seen, h.answer))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, list);
	return 0;
}

static int sg_put_config(struct sk_buff *msg, struct sg_net *sgn,
			 const struct sg_config *cfg)
{
	const struct sg_params *p = &cfg->p;
	struct sg_share_info si;
	struct nlattr *list;
	u8 i;

	sg_src_share_info(&sgn->sources, &si);
	if ((si.guest && nla_put_u32(msg, SIPGUARD_A_SHARE_OWNER, si.owner)) ||
	    nla_put_u32(msg, SIPGUARD_A_SHARE_MAX, si.max) ||
	    nla_put_u32(msg, SIPGUARD_A_SHARE_USED, si.used) ||
	    nla_put_u32(msg, SIPGUARD_A_BANS_LISTED, si.listed))
		return -EMSGSIZE;
#define SG_PUT(attr, field, type, lo, hi, def)				\
	if (nla_put_##type(msg, SIPGUARD_A_##attr, p->field))			\
		return -EMSGSIZE;
	SG_SETTINGS(SG_PUT)
#undef SG_PUT
	if (nla_put_u32(msg, SIPGUARD_A_LEARN_COUNT, sg_learn_count(&sgn->learn)) ||
	    nla_put_u32(msg, SIPGUARD_A_SOURCE_COUNT, sg_src_count(&sgn->sources)) ||
	    nla_put_u32(msg, SIPGUARD_A_SOURCE_BYTES, sg_src_entry_bytes()) ||
	    nla_put_u32(msg, SIPGUARD_A_SIG_COUNT, sg_sigs_count(&sgn->sigs)) ||
	    nla_put_u64_64bit(msg, SIPGUARD_A_GENERATION, cfg->generation, SIPGUARD_A_PAD))
		return -EMSGSIZE;
	if (sg_put_ranges(msg, SIPGUARD_A_SIP_PORTS, p->sip, p->n_sip) ||
	    sg_put_ranges(msg, SIPGUARD_A_TLS_PORTS, p->tls, p->n_tls) ||
	    nla_put_u32(msg, SIPGUARD_A_ALLOW_COUNT, cfg->n_allow))
		return -EMSGSIZE;
	list = nla_nest_start(msg, SIPGUARD_A_IFACES);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < p->n_ifaces; i++)
		if (nla_put_string(msg, SIPGUARD_A_IFNAME, p->ifaces[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, list);
	if (sg_put_learn_ports(msg, sgn, p->learn))
		return -EMSGSIZE;
	return sg_put_wan(msg, sgn);
}

/*
 * An allowlist entry with its @name (may be NULL); @li (may be NULL) says
 * it is a learned server.
 */
static int sg_put_prefix(struct sk_buff *msg, const struct sg_prefix *x,
			 const char *name, const struct sg_learned_info *li)
{
	struct nlattr *nest = nla_nest_start(msg, SIPGUARD_A_PREFIX);

	if (!nest ||
	    nla_put(msg, SIPGUARD_PREFIX_A_ADDR, x->family == SG_AF_INET ? 4 : 16, x->addr) ||
	    nla_put_u8(msg, SIPGUARD_PREFIX_A_PLEN, x->plen) ||
	    (x->port && nla_put_u16(msg, SIPGUARD_PREFIX_A_PORT, x->port)) ||
	    (name && nla_put_string(msg, SIPGUARD_PREFIX_A_NAME, name)) ||
	    (li && nla_put_u32(msg, SIPGUARD_PREFIX_A_LEARNED, li->secs_left)) ||
	    (li && !li->confirmed && nla_put_flag(msg, SIPGUARD_PREFIX_A_PROVISIONAL)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Request parsing. */

/* A name attribute (top level or in a prefix) that sg_name_check() likes. */
static int sg_parse_name(const struct nlattr *attr, const char **name,
			 struct netlink_ext_ack *extack)
{
	const char *why;

	*name = nla_data(attr);
	if (sg_name_check(*name, &why)) {
		/* @why is a static string: safe to hand to extack as is. */
		if (extack) {
			extack->_msg = why;
			extack->bad_attr = attr;
		}
		return -EINVAL;
	}
	return 0;
}

/* An address attribute (4 or 16 bytes) and a prefix length into @x. */
static int sg_read_addr_plen(const struct nlattr *addr, const struct nlattr *plen,
			     struct sg_prefix *x, struct netlink_ext_ack *extack)
{
	int len = nla_len(addr);

	if (len != 4 && len != 16) {
		NL_SET_ERR_MSG_ATTR(extack, addr, "address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	x->family = len == 4 ? SG_AF_INET : SG_AF_INET6;
	memcpy(x->addr, nla_data(addr), len);
	x->plen = nla_get_u8(plen);
	return 0;
}

/* sg_prefix_check() of @x, blaming @nest. */
static int sg_prefix_valid(const struct sg_prefix *x, const struct nlattr *nest,
			   struct netlink_ext_ack *extack)
{
	const char *why;

	if (sg_prefix_check(x, &why)) {
		/* @why is a static string: safe to hand to extack as is. */
		if (extack) {
			extack->_msg = why;
			extack->bad_attr = nest;
		}
		return -EINVAL;
	}
	return 0;
}

/* An entry; *@name (if @name is not NULL) is its name or NULL. */
static int sg_parse_prefix(const struct nlattr *nest, struct sg_prefix *x,
			   const char **name, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SIPGUARD_PREFIX_A_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, SIPGUARD_PREFIX_A_MAX, nest, sg_prefix_policy, extack);
	if (ret)
		return ret;
	if (!tb[SIPGUARD_PREFIX_A_ADDR] || !tb[SIPGUARD_PREFIX_A_PLEN]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a prefix needs an address and a prefix length");
		return -EINVAL;
	}
	memset(x, 0, sizeof(*x));
	ret = sg_read_addr_plen(tb[SIPGUARD_PREFIX_A_ADDR], tb[SIPGUARD_PREFIX_A_PLEN], x, extack);
	if (ret)
		return ret;
	if (tb[SIPGUARD_PREFIX_A_PORT])
		x->port = nla_get_u16(tb[SIPGUARD_PREFIX_A_PORT]);
	if (name) {
		*name = NULL;
		if (tb[SIPGUARD_PREFIX_A_NAME]) {
			ret = sg_parse_name(tb[SIPGUARD_PREFIX_A_NAME], name, extack);
			if (ret)
				return ret;
		}
	}
	return sg_prefix_valid(x, nest, extack);
}

static int sg_parse_ranges(const struct nlattr *list, struct sg_port_range *r,
			   u8 *n, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SIPGUARD_RANGE_A_MAX_ID + 1];
	const struct nlattr *item;
	int rem, ret;

	*n = 0;
	nla_for_each_nested(item, list, rem) {
		if (nla_type(item) != SIPGUARD_A_PORT_RANGE) {
			NL_SET_ERR_MSG_ATTR(extack, item, "a port list holds only port ranges");
			return -EINVAL;
		}
		if (*n == SIPGUARD_MAX_PORT_RANGES) {
			NL_SET_ERR_MSG_ATTR(extack, item, "too many port ranges");
			return -E2BIG;
		}
		ret = nla_parse_nested(tb, SIPGUARD_RANGE_A_MAX_ID, item, sg_range_policy, extack);
		if (ret)
			return ret;
		if (!tb[SIPGUARD_RANGE_A_MIN]) {
			NL_SET_ERR_MSG_ATTR(extack, item, "a port range needs a minimum");
			return -EINVAL;
		}
		r[*n].min = nla_get_u16(tb[SIPGUARD_RANGE_A_MIN]);
		r[*n].max = tb[SIPGUARD_RANGE_A_MAX] ?
			    nla_get_u16(tb[SIPGUARD_RANGE_A_MAX]) : r[*n].min;
		if (r[*n].max < r[*n].min) {
			NL_SET_ERR_MSG_ATTR(extack, item, "port range maximum below its minimum");
			return -EINVAL;
		}
		(*n)++;
	}
	return sg_ranges_normalise(r, n, extack);
}

static int sg_parse_ifaces(const struct nlattr *list, struct sg_params *p,
			   struct netlink_ext_ack *extack)
{
	const struct nlattr *item;
	int rem;
	u8 i;

	p->n_ifaces = 0;
	memset(p->ifaces, 0, sizeof(p->ifaces));
	nla_for_each_nested(item, list, rem) {
		if (nla_type(item) != SIPGUARD_A_IFNAME || nla_len(item) < 2) {
			NL_SET_ERR_MSG_ATTR(extack, item, "an interface list holds only interface names");
			return -EINVAL;
		}
		if (p->n_ifaces == SIPGUARD_MAX_IFACES) {
			NL_SET_ERR_MSG_ATTR(extack, item, "too many interfaces");
			return -E2BIG;
		}
		nla_strscpy(p->ifaces[p->n_ifaces], item, IFNAMSIZ);
		/* What the kernel would accept as a device's name. */
		if (!dev_valid_name(p->ifaces[p->n_ifaces])) {
			NL_SET_ERR_MSG_ATTR(extack, item,
					    "not a valid interface name (empty, \".\", \"..\", or has '/', ':' or a space)");
			return -EINVAL;
		}
		for (i = 0; i < p->n_ifaces; i++) {
			if (!memcmp(p->ifaces[i], p->ifaces[p->n_ifaces], IFNAMSIZ)) {
				NL_SET_ERR_MSG_ATTR(extack, item, "interface listed twice");
				return -EINVAL;
			}
		}
		p->n_ifaces++;
	}
	return 0;
}

/*
 * A required attribute is missing: say so with a message for people and the
 * missing type for tools.  A macro because extack wants a string literal.
 */
#define sg_missing(info, type, msg) ({					\
	bool __miss = !(info)->attrs[type];				\
	if (__miss) {							\
		NL_SET_ERR_ATTR_MISS((info)->extack, NULL, type);	\
		NL_SET_ERR_MSG((info)->extack, msg);			\
	}								\
	__miss;								\
})

/* Publish @cfg (built from the current one) and retire the old one. */
static void sg_config_publish(struct sg_net *sgn, struct sg_config *cfg)
{
	struct sg_config *old = sg_config_locked(sgn);

	rcu_assign_pointer(sgn->cfg, cfg);
	sg_config_free_rcu(old);
}

/* Publish a freshly built configuration, or pass its error on. */
static int sg_commit(struct sg_net *sgn, struct sg_config *cfg)
{
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	sgn->generation = cfg->generation;
	sg_config_publish(sgn, cfg);
	return 0;
}

/*
 * A request that changed something is announced to the events group with
 * the generation it made and who asked, as nft monitor names every change.
 */
static int sg_announce(struct sg_net *sgn, struct genl_info *info, int ret)
{
	u64 gen;

	if (ret || !sg_events_wanted(sgn->net))
		return ret;
	/*
	 * Not sgn->generation: with parallel_ops another request may be
	 * writing it under sgn->lock, and a u64 load tears on 32-bit.  The
	 * published configuration is immutable and carries the same number.
	 */
	rcu_read_lock();
	gen = rcu_dereference(sgn->cfg)->generation;
	rcu_read_unlock();
	sg_event_config(&sgn->events, gen, info->genlhdr->cmd);
	return ret;
}

/* Command handlers. */

static int sg_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct sg_net *sgn = sg_pernet(net);
	struct sk_buff *msg;
	bool reset = false;
	void *hdr;
	u64 *v;
	int ret;

	if (info->attrs[SIPGUARD_A_FLAGS])
		reset = nla_get_u32(info->attrs[SIPGUARD_A_FLAGS]) & SIPGUARD_F_RESET;
	if (reset && !netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SIPGUARD_A_FLAGS],
				    "resetting counters needs CAP_NET_ADMIN");
		return -EPERM;
	}

	v = sg_kcalloc(SG_NSTATS, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	msg = sg_reply_new(info, SIPGUARD_CMD_GET_STATS, &hdr);
	ret = -ENOMEM;
	if (!msg)
		goto out;

	mutex_lock(&sgn->lock);
	sg_stats_fetch(&sgn->stats, v, reset);
	mutex_unlock(&sgn->lock);

	ret = nla_put_string(msg, SIPGUARD_A_VERSION, SIPGUARD_VERSION) ?: sg_put_stats(msg, v);
	if (ret) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out:
	kfree(v);
	return ret;
}

static int sg_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sgn = sg_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = sg_reply_new_size(info, SIPGUARD_CMD_GET_CONFIG, &hdr, SG_CONFIG_REPLY_SIZE);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	ret = sg_put_config(msg, sgn, rcu_dereference(sgn->cfg));
	rcu_read_unlock();
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * A namespace whose user namespace is not the initial one (a container)
 * lives on the host's memory: its root may lower its source table and set
 * any budget, but not raise the table above its share (the larger of
 * what it has and the module's table_max) nor switch the budget off, which
 * would let a flood of spoofed sources fill the table at line rate.  Its
 * entries spend its user's share of sources_max, never the host's reserve
 * nor another user's share (sources.h).
 */
static int sg_contained(const struct net *net, const struct sg_params *p,
			struct nlattr **a, struct netlink_ext_ack *extack)
{
	if (net->user_ns == &init_user_ns)
		return 0;
	if (a[SIPGUARD_A_TABLE_MAX]) {
		u32 v = nla_get_u32(a[SIPGUARD_A_TABLE_MAX]);

		if (v > p->table_max && v > sg_default_params.table_max) {
			NL_SET_ERR_MSG_ATTR(extack, a[SIPGUARD_A_TABLE_MAX],
					    "a namespace of another user namespace cannot raise table-max above the module's table_max");
			return -EPERM;
		}
	}
	if (a[SIPGUARD_A_BUDGET] && !nla_get_u32(a[SIPGUARD_A_BUDGET]) && p->budget) {
		NL_SET_ERR_MSG_ATTR(extack, a[SIPGUARD_A_BUDGET],
				    "a namespace of another user namespace cannot switch the budget off");
		return -EPERM;
	}
	return 0;
}

/*
 * The SET_CONFIG attributes of a request (SET_CONFIG, ALLOW_REPLACE) onto
 * @p, a copy of the current parameters.
 */
static int sg_apply_settings(const struct net *net, struct sg_params *p,
			     struct nlattr **a, struct netlink_ext_ack *extack)
{
	int ret;

	ret = sg_contained(net, p, a, extack);
	if (ret)
		return ret;
#define SG_APPLY(attr, field, type, lo, hi, def)				\
	if (a[SIPGUARD_A_##attr])						\
		p->field = nla_get_##type(a[SIPGUARD_A_##attr]);
	SG_SETTINGS(SG_APPLY)
#undef SG_APPLY
	if (a[SIPGUARD_A_SIP_PORTS])
		ret = sg_parse_ranges(a[SIPGUARD_A_SIP_PORTS], p->sip, &p->n_sip, extack);
	if (!ret && a[SIPGUARD_A_TLS_PORTS])
		ret = sg_parse_ranges(a[SIPGUARD_A_TLS_PORTS], p->tls, &p->n_tls, extack);
	if (!ret && a[SIPGUARD_A_IFACES])
		ret = sg_parse_ifaces(a[SIPGUARD_A_IFACES], p, extack);
	if (!ret && sg_ports_overlap(p)) {
		NL_SET_ERR_MSG(extack, "a port cannot be both a SIP and a TLS port");
		ret = -EINVAL;
	}
	return ret;
}

/*
 * Under the namespace's lock: one new configuration from @p and the
 * allowlist @runs, the source table made to fit it, published.
 */
static int sg_apply(struct sg_net *sgn, const struct sg_params *p,
		    const struct sg_run *runs, unsigned int nruns,
		    struct netlink_ext_ack *extack)
{
	struct sg_config *cfg = sg_config_build(p, runs, nruns, sgn->generation + 1, extack);
	int ret;

	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	/* The source table first: a failure leaves everything as it was. */
	ret = sg_sources_configure(&sgn->sources, cfg);
	if (ret) {
		NL_SET_ERR_MSG(extack, "no memory for the source table");
		sg_config_free(cfg);
		return ret;
	}
	ret = sg_commit(sgn, cfg);
	/* Learning switched off forgets what it learned. */
	if (!ret && !p->learn)
		sg_learn_flush(&sgn->learn);
	return ret;
}

static int sg_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sgn = sg_pernet(genl_info_net(info));
	const struct sg_config *old;
	struct sg_params *p;
	int ret;

	/* Too big for a kernel stack frame. */
	p = sg_kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;

	mutex_lock(&sgn->lock);
	old = sg_config_locked(sgn);
	*p = old->p;
	ret = sg_apply_settings(genl_info_net(info), p, info->attrs, info->extack);
	if (!ret) {
		struct sg_run keep = { .x = old->allow, .n = old->n_allow, .cfg = old };

		ret = sg_apply(sgn, p, &keep, 1, info->extack);
	}
	mutex_unlock(&sgn->lock);
	kfree(p);
	return sg_announce(sgn, info, ret);
}

static int sg_nl_allow_add(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sgn = sg_pernet(genl_info_net(info));
	struct nlattr *nest = info->attrs[SIPGUARD_A_PREFIX];
	const struct sg_config *old;
	const char *name;
	struct sg_prefix x;
	int ret;

	if (sg_missing(info, SIPGUARD_A_PREFIX, "a prefix to add is required"))
		return -EINVAL;
	ret = sg_parse_prefix(nest, &x, &name, info->extack);
	if (ret)
		return ret;

	mutex_lock(&sgn->lock);
	old = sg_config_locked(sgn);
	if (sg_config_find_prefix(old, &x, name) >= 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "already on the allowlist");
		ret = -EEXIST;
	} else {
		struct sg_run runs[] = {
			{ .x = old->allow, .n = old->n_allow, .cfg = old },
			{ .x = &x, .n = 1, .name = name },
		};

		ret = sg_commit(sgn, sg_config_build(&old->p, runs, ARRAY_SIZE(runs),
						     sgn->generation + 1, info->extack));
	}
	mutex_unlock(&sgn->lock);
	return sg_announce(sgn, info, ret);
}

/* ALLOW_DEL of a name: every entry carrying it goes, in one step. */
static int sg_allow_del_name(struct sg_net *sgn, const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	const struct sg_config *old;
	const char *name;
	int ret;

	ret = sg_parse_name(attr, &name, extack);
	if (ret)
		return ret;
	mutex_lock(&sgn->lock);
	old = sg_config_locked(sgn);
	if (!sg_config_count_name(old, name)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no entry carries that name");
		ret = -ENOENT;
	} else {
		struct sg_run keep = { .x = old->allow, .n = old->n_allow, .cfg = old,
				       .except = name };

		ret = sg_commit(sgn, sg_config_build(&old->p, &keep, 1, sgn->generation + 1,
						     extack));
	}
	mutex_unlock(&sgn->lock);
	return ret;
}

static int sg_nl_allow_del(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sgn = sg_pernet(genl_info_net(info));
	struct nlattr *nest = info->attrs[SIPGUARD_A_PREFIX];
	struct nlattr *byname = info->attrs[SIPGUARD_A_NAME];
	const struct sg_config *old;
	const char *name;
	struct sg_prefix x;
	int ret, i;

	if (nest && byname) {
		NL_SET_ERR_MSG_ATTR(info->extack, byname,
				    "delete either one entry or every entry of a name, not both");
		return -EINVAL;
	}
	if (byname)
		return sg_announce(sgn, info, sg_allow_del_name(sgn, byname, info->extack));
	if (sg_missing(info, SIPGUARD_A_PREFIX, "a prefix (or a name) to delete is required"))
		return -EINVAL;
	ret = sg_parse_prefix(nest, &x, &name, info->extack);
	if (ret)
		return ret;

	mutex_lock(&sgn->lock);
	old = sg_config_locked(sgn);
	i = sg_config_find_prefix(old, &x, name);
	if (i < 0 && !name && x.plen == (x.family == SG_AF_INET ? 32 : 128) &&
	    !sg_learn_forget(&sgn->learn, x.family, x.addr, x.port)) {
		ret = 0;	/* a learned server, forgotten */
	} else if (i < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "not on the allowlist");
		ret = -ENOENT;
	} else {
		struct sg_run runs[] = {
			{ .x = old->allow, .n = i, .cfg = old },
			{ .x = old->allow + i + 1, .n = old->n_allow - i - 1, .cfg = old },
		};

		ret = sg_commit(sgn, sg_config_build(&old->p, runs, ARRAY_SIZE(runs),
						     sgn->generation + 1, info->extack));
	}
	mutex_unlock(&sgn->lock);
	return sg_announce(sgn, info, ret);
}

static int sg_nl_allow_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sgn = sg_pernet(genl_info_net(info));
	const struct sg_config *old;
	int ret;

	mutex_lock(&sgn->lock);
	old = sg_config_locked(sgn);
	ret = sg_commit(sgn, sg_config_build(&old->p, NULL, 0, sgn->generation + 1,
					     info->extack));
	if (!ret)
		sg_learn_flush(&sgn->learn);
	mutex_unlock(&sgn->lock);
	return sg_announce(sgn, info, ret);
}

/* An entry of a request, for finding duplicates by sorting. */
struct sg_req_entry {
	struct sg_prefix x;
	const char *name;
};

static int cmp_req_entry(const void *a, const void *b)
{
	const struct sg_req_entry *x = a, *y = b;
	int d = memcmp(&x->x, &y->x, sizeof(x->x));

	return d ?: strcmp(x->name ?: "", y->name ?: "");
}

/*
 * The SIPGUARD_A_PREFIX attributes at the top level of a request, parsed
 * into @v (and their names into @names), refusing duplicates as ALLOW_ADD
 * refuses them.  Other top-level attributes are skipped.  With @only, every
 * entry is named @only, and one naming another name is refused.
 */
static int sg_parse_entries(struct genl_info *info, const char *only,
			    struct sg_prefix **pv, const char ***pnames, u32 *pn)
{
	struct sg_req_entry *sorted = NULL;
	const struct nlattr *item;
	const char **names = NULL;
	struct sg_prefix *v;
	u32 n = 0, i;
	int rem, ret;

	nla_for_each_attr(item, genlmsg_data(info->genlhdr), genlmsg_len(info->genlhdr), rem)
		n += nla_type(item) == SIPGUARD_A_PREFIX;
	if (n > SIPGUARD_MAX_ALLOW) {
		NL_SET_ERR_MSG(info->extack, "more entries than an allowlist holds");
		return -ENOSPC;
	}
	v = sg_kvcalloc(max(n, 1U), sizeof(*v), GFP_KERNEL_ACCOUNT);
	names = sg_kvcalloc(max(n, 1U), sizeof(*names), GFP_KERNEL_ACCOUNT);
	sorted = sg_kvmalloc_array(max(n, 1U), sizeof(*sorted), GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!v || !names || !sorted)
		goto err;
	i = 0;
	nla_for_each_attr(item, genlmsg_data(info->genlhdr), genlmsg_len(info->genlhdr), rem) {
		if (nla_type(item) != SIPGUARD_A_PREFIX)
			continue;
		ret = sg_parse_prefix(item, &v[i], &names[i], info->extack);
		if (ret)
			goto err;
		if (only && names[i] && strcmp(names[i], only)) {
			NL_SET_ERR_MSG_ATTR(info->extack, item,
					    "an entry carries a name other than the refreshed one");
			ret = -EINVAL;
			goto err;
		}
		if (only)
			names[i] = only;
		sorted[i].x = v[i];
		sorted[i].name = names[i];
		i++;
	}
	sort(sorted, n, sizeof(*sorted), cmp_req_entry, NULL);
	for (i = 1; i < n; i++) {
		if (!cmp_req_entry(&sorted[i - 1], &sorted[i])) {
			NL_SET_ERR_MSG(info->extack, "an entry appears twice");
			ret = -EEXIST;
			goto err;
		}
	}
	kvfree(sorted);
	*pv = v;
	*pnames = names;
	*pn = n;
	return 0;
err:
	kvfree(sorted);
	kvfree(names);
	kvfree(v);
	return ret;
}

/*
 * The complete allowlist (the top-level PREFIX attributes) and any
 * settings, as one new configuration: `sipguardctl setconf`.
 */
static int sg_nl_allow_replace(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sgn = sg_pernet(genl_info_net(info));
	const struct sg_config *old;
	struct sg_params *p;
	const char **names;
	struct sg_prefix *v;
	struct sg_run run;
	u32 n;
	int ret;

	/* The core validated every top-level attribute against the policy. */
	ret = sg_parse_entries(info, NULL, &v, &names, &n);
	if (ret)
		return ret;
	p = sg_kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		ret = -ENOMEM;
		goto out;
	}
	run = (struct sg_run){ .x = v, .n = n, .names = names };
	mutex_lock(&sgn->lock);
	old = sg_config_locked(sgn);
	*p = old->p;
	ret = sg_apply_settings(genl_info_net(info), p, info->attrs, info->extack);
	if (!ret)
		ret = sg_apply(sgn, p, &run, 1, info->extack);
	mutex_unlock(&sgn->lock);
	kfree(p);
out:
	kvfree(names);
	kvfree(v);
	return sg_announce(sgn, info, ret);
}

/*
 * The entries of one name become the request's, in one step that leaves
 * every other entry alone: `allow refresh` after a new DNS answer.  The
 * name's entries stay together at the end of the list.
 */
static int sg_nl_allow_refresh(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sgn = sg_pernet(genl_info_net(info));
	struct nlattr *attr = info->attrs[SIPGUARD_A_NAME];
	u32 flags = info->attrs[SIPGUARD_A_FLAGS] ?
		    nla_get_u32(info->attrs[SIPGUARD_A_FLAGS]) : 0;
	const struct sg_config *old;
	const char *name, **names;
	struct sg_prefix *v;
	u32 n, have;
	int ret;

	if (sg_missing(info, SIPGUARD_A_NAME, "a name to refresh is required"))
		return -EINVAL;
	ret = sg_parse_name(attr, &name, info->extack);
	if (ret)
		return ret;
	ret = sg_parse_entries(info, name, &v, &names, &n);
	if (ret)
		return ret;
	if (!n) {
		NL_SET_ERR_MSG(info->extack,
			       "a refresh needs at least one entry (ALLOW_DEL with a name removes it)");
		ret = -EINVAL;
		goto out;
	}

	mutex_lock(&sgn->lock);
	old = sg_config_locked(sgn);
	have = sg_config_count_name(old, name);
	if (have && (flags & SIPGUARD_F_EXCL)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "that name is already on the allowlist");
		ret = -EEXIST;
	} else if (!have && !(flags & SIPGUARD_F_CREATE)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no entry carries that name");
		ret = -ENOENT;
	} else {
		struct sg_run runs[] = {
			{ .x = old->allow, .n = old->n_allow, .cfg = old, .except = name },
			{ .x = v, .n = n, .name = name },
		};

		ret = sg_commit(sgn, sg_config_build(&old->p, runs, ARRAY_SIZE(runs),
						     sgn->generation + 1, info->extack));
	}
	mutex_unlock(&sgn->lock);
out:
	kvfree(names);
	kvfree(v);
	return sg_announce(sgn, info, ret);
}

/* Dump cursor: cb->args[0] is the index of the next entry to send. */
static int sg_nl_allow_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sg_net *sgn = sg_pernet(sock_net(skb->sk));
	const struct sg_config *cfg;
	u32 i = cb->args[0];
	void *hdr;
	int ret = 0;

	rcu_read_lock();
	cfg = rcu_dereference(sgn->cfg);
	/*
	 * A change between two parts of the dump sets NLM_F_DUMP_INTR: of the
	 * configuration or of the learned servers listed after it.
	 */
	cb->seq = (unsigned int)cfg->generation + READ_ONCE(sgn->learn.generation);
	for (; i < cfg->n_allow; i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &sg_genl_family, NLM_F_MULTI, SIPGUARD_CMD_ALLOW_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (sg_put_prefix(skb, &cfg->allow[i], sg_config_name(cfg, i), NULL)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	/* Then the learned servers, indexed after the static entries. */
	if (i >= cfg->n_allow) {
		struct sg_learned_info li;

		while (!sg_learn_get(&sgn->learn, i - cfg->n_allow, &li)) {
			struct sg_prefix x = { .family = li.family, .port = li.port,
					       .plen = li.family == SG_AF_INET ? 32 : 128 };
			memcpy(x.addr, li.addr, 16);
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
					  &sg_genl_family, NLM_F_MULTI, SIPGUARD_CMD_ALLOW_GET);
			if (!hdr)
				break;
			genl_dump_check_consistent(cb, hdr);
			if (sg_put_prefix(skb, &x, NULL, &li)) {
				genlmsg_cancel(skb, hdr);
				break;
			}
			genlmsg_end(skb, hdr);
			i++;
		}
	}
	rcu_read_unlock();
	cb->args[0] = i;
	if (!ret)
		ret = skb->len;
	return ret;
}

/* Denylist requests. */

static int sg_parse_deny(const struct nlattr *nest, struct sg_deny_req *r, bool del,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SIPGUARD_DENY_A_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, SIPGUARD_DENY_A_MAX, nest, sg_deny_policy, extack);
	if (ret)
		return ret;
	if (!tb[SIPGUARD_DENY_A_ADDR] || !tb[SIPGUARD_DENY_A_PLEN]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a prefix needs an address and a prefix length");
		return -EINVAL;
	}
	if (del && tb[SIPGUARD_DENY_A_TIMEOUT]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SIPGUARD_DENY_A_TIMEOUT],
				    "a deletion takes no timeout");
		return -EINVAL;
	}
	memset(r, 0, sizeof(*r));
	ret = sg_read_addr_plen(tb[SIPGUARD_DENY_A_ADDR], tb[SIPGUARD_DENY_A_PLEN], &r->p, extack);
	if (ret)
		return ret;
	if (tb[SIPGUARD_DENY_A_TIMEOUT])
		r->timeout = nla_get_u32(tb[SIPGUARD_DENY_A_TIMEOUT]);
	return sg_prefix_valid(&r->p, nest, extack);
}

static int sg_nl_deny_change(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sgn = sg_pernet(genl_info_net(info));
	struct nlattr *oattr = info->attrs[SIPGUARD_A_ORIGIN];
	u8 cmd = info->genlhdr->cmd;
	const char *origin = NULL, *why;
	const struct nlattr *item;
	struct sg_deny_req *v;
	enum sg_deny_op op;
	u32 n = 0, i = 0;
	int rem, ret;

	op = cmd == SIPGUARD_CMD_DENY_ADD ? SG_DENY_ADD :
	     cmd == SIPGUARD_CMD_DENY_DEL ? SG_DENY_DEL : SG_DENY_REPLACE;
	if (op == SG_DENY_REPLACE &&
	    sg_missing(info, SIPGUARD_A_ORIGIN, "a replace needs the origin it replaces"))
		return -EINVAL;
	if (oattr) {
		origin = nla_data(oattr);
		if (sg_deny_origin_check(origin, &why)) {
			/* @why is a static string: safe to hand to extack as is. */
			info->extack->_msg = why;
			info->extack->bad_attr = oattr;
			return -EINVAL;
		}
	} else if (op == SG_DENY_ADD) {
		origin = SIPGUARD_DENY_ORIGIN_DEFAULT;
	}
	nla_for_each_attr(item, genlmsg_data(info->genlhdr), genlmsg_len(info->genlhdr), rem)
		n += nla_type(item) == SIPGUARD_A_DENY;
	if (!n && op != SG_DENY_REPLACE) {
		NL_SET_ERR_MSG(info->extack, "no prefix given");
		return -EINVAL;
	}
	if (n > READ_ONCE(sg_deny_max)) {
		NL_SET_ERR_MSG(info->extack, "more entries than deny_max allows");
		return -ENOSPC;
	}
	v = sg_kvmalloc_array(max(n, 1U), sizeof(*v), GFP_KERNEL_ACCOUNT);
	if (!v)
		return -ENOMEM;
	nla_for_each_attr(item, genlmsg_data(info->genlhdr), genlmsg_len(info->genlhdr), rem) {
		if (nla_type(item) != SIPGUARD_A_DENY)
			continue;
		ret = sg_parse_deny(item, &v[i++], op == SG_DENY_DEL, info->extack);
		if (ret)
			goto out;
	}
	ret = sg_deny_change(&sgn->deny, op, origin, v, n, info->extack);
out:
	kvfree(v);
	/* The denylist has a generation of its own: the event carries the configuration's. */
	return sg_announce(sgn, info, ret);
}

/*
 * Denylist dump: cb->args[0] is the origin slot, [1] the entry within it,
 * [2] set once the origins are done.
 */
static int sg_nl_deny_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sg_deny *d = &sg_pernet(sock_net(skb->sk))->deny;
	u32 slot = cb->args[0], idx = cb->args[1];
	struct sg_deny_origin_info oi;
	struct nlattr *nest;
	void *hdr;

	rcu_read_lock();
	cb->seq = READ_ONCE(d->generation);
	for (; !cb->args[2] && slot < SG_DENY_ORIGINS; slot++) {
		if (!sg_deny_origin_get(d, slot, &oi))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &sg_genl_family, NLM_F_MULTI, SIPGUARD_CMD_DENY_GET);
		if (!hdr)
			goto out;
		genl_dump_check_consistent(cb, hdr);
		nest = nla_nest_start(skb, SIPGUARD_A_DENY_ORIGIN);
		if (!nest ||
		    nla_put_string(skb, SIPGUARD_DENY_A_ORIGIN, oi.name) ||
		    nla_put_u32(skb, SIPGUARD_DENY_A_COUNT, oi.count) ||
		    nla_put_u64_64bit(skb, SIPGUARD_DENY_A_HITS, oi.cnt[SG_DENY_HITS],
				      SIPGUARD_DENY_A_PAD) ||
		    nla_put_u64_64bit(skb, SIPGUARD_DENY_A_IGNORED_TRUSTED,
				      oi.cnt[SG_DENY_IGN_TRUSTED], SIPGUARD_DENY_A_PAD) ||
		    nla_put_u64_64bit(skb, SIPGUARD_DENY_A_IGNORED_LEARNED,
				      oi.cnt[SG_DENY_IGN_LEARNED], SIPGUARD_DENY_A_PAD)) {
			genlmsg_cancel(skb, hdr);
			goto out;
		}
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
	}
	if (!cb->args[2]) {
		cb->args[2] = 1;
		slot = 0;
		idx = 0;
	}
	for (; slot < SG_DENY_ORIGINS; slot++, idx = 0) {
		struct sg_prefix x;
		bool expired;
		u32 left;

		if (!sg_deny_origin_get(d, slot, &oi))
			continue;
		for (; sg_deny_entry_get(d, slot, idx, &x, &left, &expired); idx++) {
			if (expired)
				continue;
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
					  &sg_genl_family, NLM_F_MULTI, SIPGUARD_CMD_DENY_GET);
			if (!hdr)
				goto out;
			genl_dump_check_consistent(cb, hdr);
			nest = nla_nest_start(skb, SIPGUARD_A_DENY);
			if (!nest ||
			    nla_put(skb, SIPGUARD_DENY_A_ADDR, x.family == SG_AF_INET ? 4 : 16,
				    x.addr) ||
			    nla_put_u8(skb, SIPGUARD_DENY_A_PLEN, x.plen) ||
			    nla_put_string(skb, SIPGUARD_DENY_A_ORIGIN, oi.name) ||
			    (left && nla_put_u32(skb, SIPGUARD_DENY_A_TIMEOUT, left))) {
				genlmsg_cancel(skb, hdr);
				goto out;
			}
			nla_nest_end(skb, nest);
			genlmsg_end(skb, hdr);
		}
	}
out:
	rcu_read_unlock();
	cb->args[0] = slot;
	cb->args[1] = idx;
	return skb->len;
}

/*
 * Source table dump: cb->args[0] bucket, [1] entries of it done, [2] the
 * request's flags, [3] set once they are read.
 */
struct sg_src_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const u32 *gen;		/* the walk's, current from its start */
};

static int sg_put_source(void *arg, const struct sg_src_info *x)
{
	struct sg_src_dump *d = arg;
	struct sk_buff *skb = d->skb;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(d->cb->skb).portid, d->cb->nlh->nlmsg_seq,
			  &sg_genl_family, NLM_F_MULTI, SIPGUARD_CMD_SOURCES_GET);
	if (!hdr)
		return -EMSGSIZE;
	d->cb->seq = *d->gen;
	genl_dump_check_consistent(d->cb, hdr);
	nest = nla_nest_start(skb, SIPGUARD_A_SOURCE);
	if (!nest ||
	    nla_put(skb, SIPGUARD_SOURCE_A_ADDR, x->family == SG_AF_INET ? 4 : 16, x->addr) ||
	    nla_put_u8(skb, SIPGUARD_SOURCE_A_PLEN, x->plen) ||
	    nla_put_u64_64bit(skb, SIPGUARD_SOURCE_A_PACKETS, x->packets, SIPGUARD_SOURCE_A_PAD) ||
	    nla_put_u64_64bit(skb, SIPGUARD_SOURCE_A_DROPS, x->drops, SIPGUARD_SOURCE_A_PAD) ||
	    nla_put_u32(skb, SIPGUARD_SOURCE_A_TOKENS, x->tokens) ||
	    nla_put_u32(skb, SIPGUARD_SOURCE_A_BAN_MS, x->ban_ms) ||
	    nla_put_u32(skb, SIPGUARD_SOURCE_A_IDLE_MS, x->idle_ms) ||
	    nla_put_u32(skb, SIPGUARD_SOURCE_A_FAILURES, x->failures) ||
	    nla_put_u32(skb, SIPGUARD_SOURCE_A_BANS, x->bans)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

static int sg_nl_sources_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sg_net *sgn = sg_pernet(sock_net(skb->sk));
	u32 gen = 0;
	struct sg_src_dump d = { .skb = skb, .cb = cb, .gen = &gen };
	int ret;

	if (!cb->args[3]) {
		/* The core validated the request against sg_sources_policy. */
		const struct nlattr *f = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, SIPGUARD_A_FLAGS);

		cb->args[2] = f ? nla_get_u32(f) : 0;
		cb->args[3] = 1;
	}
	/*
	 * A bounded number of buckets per RCU read section, a reschedule
	 * point between two: a table of millions of entries (mostly empty
	 * buckets with --banned) is never walked under one read section.
	 * An unban, a new table, or the cursor's bucket changed between two
	 * parts sets NLM_F_DUMP_INTR (sg_src_walk()).
	 */
	do {
		ret = sg_src_walk(&sgn->sources, (long *)cb->args, cb->args[2] & SIPGUARD_F_BANNED_ONLY,
				  &gen, sg_put_source, &d);
		cb->seq = gen;
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
		else if (!ret)
			cond_resched();
	} while (!ret);
	if (ret < 0 && !skb->len)
		return ret;
	return skb->len;
}

static int sg_nl_unban(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sgn = sg_pernet(genl_info_net(info));
	struct nlattr *addr = info->attrs[SIPGUARD_A_ADDR];
	u32 flags = info->attrs[SIPGUARD_A_FLAGS] ?
		    nla_get_u32(info->attrs[SIPGUARD_A_FLAGS]) : 0;
	int ret = 0;

	if (!!addr == !!(flags & SIPGUARD_F_EVERY_SOURCE)) {
		NL_SET_ERR_MSG(info->extack, "unban needs either an address or the every-source flag");
		return -EINVAL;
	}
	if (addr && nla_len(addr) != 4 && nla_len(addr) != 16) {
		NL_SET_ERR_MSG_ATTR(info->extack, addr, "address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	mutex_lock(&sgn->lock);
	if (addr) {
		u8 family = nla_len(addr) == 4 ? SG_AF_INET : SG_AF_INET6;
		u8 key[16], plen;

		ret = sg_src_unban(&sgn->sources, family, nla_data(addr), key, &plen);
		if (ret)
			NL_SET_ERR_MSG_ATTR(info->extack, addr, "that source is not banned");
		else if (sg_events_wanted(sgn->net))
			sg_event_unban(&sgn->events, family, key, plen, 1);
	} else {
		u32 n = sg_src_unban_all(&sgn->sources);

		if (sg_events_wanted(sgn->net))
			sg_event_unban(&sgn->events, 0, NULL, 0, n);
	}
	mutex_unlock(&sgn->lock);
	return ret;
}

static int sg_nl_ban(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sgn = sg_pernet(genl_info_net(info));
	struct nlattr *addr = info->attrs[SIPGUARD_A_ADDR];
	u32 secs = info->attrs[SIPGUARD_A_BAN] ?
		   nla_get_u32(info->attrs[SIPGUARD_A_BAN]) : 0;
	int ret;

	if (!addr || (nla_len(addr) != 4 && nla_len(addr) != 16)) {
		NL_SET_ERR_MSG_ATTR(info->extack, addr,
				    "ban needs an address of 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	mutex_lock(&sgn->lock);
	if (!secs && !sg_config_locked(sgn)->p.ban) {
		mutex_unlock(&sgn->lock);
		NL_SET_ERR_MSG(info->extack, "bans are off (ban 0): give the seconds");
		return -EINVAL;
	}
	ret = sg_verdict_ban_manual(sgn, sg_config_locked(sgn),
				    nla_len(addr) == 4 ? SG_AF_INET : SG_AF_INET6,
				    nla_data(addr), secs);
	mutex_unlock(&sgn->lock);
	/* Without room for an entry the ban is kept all the same (sources.h). */
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no source table: bans need the open policy");
	return ret;
}

/* Signature dump: cb->args[0] is the index of the next signature. */
static int sg_nl_sig_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sg_net *sgn = sg_pernet(sock_net(skb->sk));
	const struct sg_sigset *set;
	u32 i = cb->args[0];
	void *hdr;

	rcu_read_lock();
	set = rcu_dereference(sgn->sigs.set);
	/* A change between two parts of the dump sets NLM_F_DUMP_INTR. */
	cb->seq = READ_ONCE(sgn->sigs.generation);
	for (; set && i < set->n; i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &sg_genl_family, NLM_F_MULTI, SIPGUARD_CMD_SIG_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_string(skb, SIPGUARD_A_SIGNATURE, set->sig[i].s) ||
		    nla_put_u64_64bit(skb, SIPGUARD_A_SIG_HITS,
				      sg_sigs_hits(&sgn->sigs, set->sig[i].slot), SIPGUARD_A_PAD)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

static int sg_nl_sig_change(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sgn = sg_pernet(genl_info_net(info));
	const char *s;
	int ret;

	if (sg_missing(info, SIPGUARD_A_SIGNATURE, "a signature is required"))
		return -EINVAL;
	s = nla_data(info->attrs[SIPGUARD_A_SIGNATURE]);
	mutex_lock(&sgn->lock);
	if (info->genlhdr->cmd == SIPGUARD_CMD_SIG_ADD)
		ret = sg_sigs_add(&sgn->sigs, s, info->extack);
	else
		ret = sg_sigs_del(&sgn->sigs, s, info->extack);
	mutex_unlock(&sgn->lock);
	return sg_announce(sgn, info, ret);
}

static const struct genl_ops sg_genl_ops[] = {
	{
		.cmd	= SIPGUARD_CMD_GET_STATS,
		.doit	= sg_nl_get_stats,
		.policy	= sg_stats_policy,
		.maxattr = SIPGUARD_A_MAX,
	},
	{
		.cmd	= SIPGUARD_CMD_GET_CONFIG,
		.doit	= sg_nl_get_config,
		.policy	= sg_none_policy,
		.maxattr = SIPGUARD_A_MAX,
	},
	{
		.cmd	= SIPGUARD_CMD_SET_CONFIG,
		.doit	= sg_nl_set_config,
		.policy	= sg_set_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_ALLOW_GET,
		.dumpit	= sg_nl_allow_dump,
		.policy	= sg_none_policy,
		.maxattr = SIPGUARD_A_MAX,
	},
	{
		.cmd	= SIPGUARD_CMD_ALLOW_ADD,
		.doit	= sg_nl_allow_add,
		.policy	= sg_prefix_cmd_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_ALLOW_DEL,
		.doit	= sg_nl_allow_del,
		.policy	= sg_named_cmd_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_ALLOW_FLUSH,
		.doit	= sg_nl_allow_flush,
		.policy	= sg_none_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_ALLOW_REPLACE,
		.doit	= sg_nl_allow_replace,
		.policy	= sg_replace_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_SOURCES_GET,
		.dumpit	= sg_nl_sources_dump,
		.policy	= sg_sources_policy,
		.maxattr = SIPGUARD_A_MAX,
		/* Third parties' addresses, like the events. */
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_UNBAN,
		.doit	= sg_nl_unban,
		.policy	= sg_unban_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_BAN,
		.doit	= sg_nl_ban,
		.policy	= sg_ban_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_SIG_GET,
		.dumpit	= sg_nl_sig_dump,
		.policy	= sg_none_policy,
		.maxattr = SIPGUARD_A_MAX,
	},
	{
		.cmd	= SIPGUARD_CMD_SIG_ADD,
		.doit	= sg_nl_sig_change,
		.policy	= sg_sig_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_SIG_DEL,
		.doit	= sg_nl_sig_change,
		.policy	= sg_sig_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_ALLOW_REFRESH,
		.doit	= sg_nl_allow_refresh,
		.policy	= sg_refresh_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_DENY_GET,
		.dumpit	= sg_nl_deny_dump,
		.policy	= sg_none_policy,
		.maxattr = SIPGUARD_A_MAX,
		/* Third parties' addresses, like SOURCES_GET. */
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_DENY_ADD,
		.doit	= sg_nl_deny_change,
		.policy	= sg_deny_cmd_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_DENY_DEL,
		.doit	= sg_nl_deny_change,
		.policy	= sg_deny_cmd_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPGUARD_CMD_DENY_REPLACE,
		.doit	= sg_nl_deny_change,
		.policy	= sg_deny_cmd_policy,
		.maxattr = SIPGUARD_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

/*
 * Events (events.c).  Joining needs CAP_NET_ADMIN: events name third
 * parties' addresses and User-Agents, which reads of the state do not.
 */
static const struct genl_multicast_group sg_mcgrps[] = {
	[SG_MCGRP_EVENTS] = {
		.name	= SIPGUARD_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

struct genl_family sg_genl_family __ro_after_init = {
	.name		= SIPGUARD_GENL_NAME,
	.version	= SIPGUARD_GENL_VERSION,
	.maxattr	= SIPGUARD_A_MAX,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= sg_genl_ops,
	.n_ops		= ARRAY_SIZE(sg_genl_ops),
	.mcgrps		= sg_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(sg_mcgrps),
	/*
	 * .resv_start_op left at 0, as for any new family: every command gets
	 * strict validation (no trailing data, no unknown attributes), a
	 * reserved genl header byte that must be 0, and no NLM_F_* flags the
	 * core cannot give a meaning to (ALLOW_REFRESH takes its create and
	 * exclusive semantics in SIPGUARD_A_FLAGS).
	 */
};

int __init sg_genl_init(void)
{
	return genl_register_family(&sg_genl_family);
}

void sg_genl_exit(void)
{
	genl_unregister_family(&sg_genl_family);
}
