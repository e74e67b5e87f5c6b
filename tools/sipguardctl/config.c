// SPDX-License-Identifier: GPL-2.0
/* `sipguardctl set ...` and the configuration part of `show`. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include <linux/sipguard.h>

#include "config.h"
#include "ctl.h"
#include "genl.h"
#include "grammar.h"
#include "print.h"

static int cb_ranges(const struct nlattr *list, struct port_list *pl)
{
	const struct nlattr *item, *a;

	pl->n = 0;
	mnl_attr_for_each_nested(item, list) {
		if (mnl_attr_get_type(item) != SIPGUARD_A_PORT_RANGE || pl->n >= SIPGUARD_MAX_PORT_RANGES)
			continue;
		pl->r[pl->n].min = pl->r[pl->n].max = 0;
		mnl_attr_for_each_nested(a, item) {
			if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
				continue;
			if (mnl_attr_get_type(a) == SIPGUARD_RANGE_A_MIN)
				pl->r[pl->n].min = mnl_attr_get_u16(a);
			else if (mnl_attr_get_type(a) == SIPGUARD_RANGE_A_MAX)
				pl->r[pl->n].max = mnl_attr_get_u16(a);
		}
		pl->n++;
	}
	return 0;
}

static void cb_u32(const struct nlattr *attr, uint32_t *v)
{
	if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		*v = mnl_attr_get_u32(attr);
}

/* A list of SIPGUARD_A_IFNAME (guarded interfaces, the WAN's). */
static void cb_ifnames(const struct nlattr *list, char names[][IFNAMSIZ], unsigned int *n)
{
	const struct nlattr *item;

	*n = 0;
	mnl_attr_for_each_nested(item, list) {
		if (mnl_attr_validate(item, MNL_TYPE_NUL_STRING) < 0 || *n >= SIPGUARD_MAX_IFACES)
			continue;
		snprintf(names[(*n)++], IFNAMSIZ, "%s", mnl_attr_get_str(item));
	}
}

static void cb_u8(const struct nlattr *attr, unsigned int *v)
{
	if (mnl_attr_validate(attr, MNL_TYPE_U8) == 0)
		*v = mnl_attr_get_u8(attr);
}

static int cb_config(const struct nlmsghdr *nlh, void *data)
{
	struct sg_conf *c = data;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case SIPGUARD_A_MODE: cb_u8(attr, &c->mode); break;
		case SIPGUARD_A_POLICY: cb_u8(attr, &c->policy); break;
		case SIPGUARD_A_SIP_PORTS:
			cb_ranges(attr, &c->sip);
			break;
		case SIPGUARD_A_TLS_PORTS:
			cb_ranges(attr, &c->tls);
			break;
		case SIPGUARD_A_ALLOW_COUNT: cb_u32(attr, &c->allow_count); break;
		case SIPGUARD_A_RATE: cb_u32(attr, &c->rate); break;
		case SIPGUARD_A_BURST: cb_u32(attr, &c->burst); break;
		case SIPGUARD_A_BAN: cb_u32(attr, &c->ban); break;
		case SIPGUARD_A_BUDGET: cb_u32(attr, &c->budget); break;
		case SIPGUARD_A_TABLE_MAX: cb_u32(attr, &c->table_max); break;
		case SIPGUARD_A_SOURCE_COUNT: cb_u32(attr, &c->source_count); break;
		case SIPGUARD_A_SOURCE_BYTES: cb_u32(attr, &c->source_bytes); break;
		case SIPGUARD_A_SIG_COUNT: cb_u32(attr, &c->sig_count); break;
		case SIPGUARD_A_SHARE_OWNER: cb_u32(attr, &c->share_owner); c->guest = true; break;
		case SIPGUARD_A_SHARE_MAX: cb_u32(attr, &c->share_max); break;
		case SIPGUARD_A_SHARE_USED: cb_u32(attr, &c->share_used); break;
		case SIPGUARD_A_BANS_LISTED: cb_u32(attr, &c->bans_listed); break;
		case SIPGUARD_A_PREFIX4: cb_u8(attr, &c->prefix4); break;
		case SIPGUARD_A_PREFIX6: cb_u8(attr, &c->prefix6); break;
		case SIPGUARD_A_REFUSE_INVITE: cb_u8(attr, &c->refuse_invite); break;
		case SIPGUARD_A_LEARN: cb_u8(attr, &c->learn); break;
		case SIPGUARD_A_LEARN_MAX: cb_u32(attr, &c->learn_max); break;
		case SIPGUARD_A_LEARN_COUNT: cb_u32(attr, &c->learn_count); break;
		case SIPGUARD_A_FAILURES: cb_u32(attr, &c->failures); break;
		case SIPGUARD_A_FAILURE_WINDOW: cb_u32(attr, &c->failure_window); break;
		case SIPGUARD_A_BAN_MAX: cb_u32(attr, &c->ban_max); break;
		case SIPGUARD_A_GENERATION:
			if (mnl_attr_validate(attr, MNL_TYPE_U64) == 0)
				c->generation = mnl_attr_get_u64(attr);
			break;
		case SIPGUARD_A_WAN: cb_u8(attr, &c->wan); break;
		case SIPGUARD_A_WAN_IFACES:
			cb_ifnames(attr, c->wan_ifaces, &c->n_wan);
			break;
		case SIPGUARD_A_IFACES:
			cb_ifnames(attr, c->ifaces, &c->n_ifaces);
			break;
		}
	}
	return MNL_CB_OK;
}

int get_config(struct sg_nl *nl, struct sg_conf *c)
{
	memset(c, 0, sizeof(*c));
	return sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_GET_CONFIG, 0), cb_config, c);
}

/* A port list: "5060,5080" in text, [{"min":5060,"max":5060},...] in JSON. */
static void print_ports(const char *key, const struct port_list *pl)
{
	char buf[1024];

	if (!print_json) {
		format_ports(pl, buf, sizeof(buf));
		print_str(key, buf);
		return;
	}
	print_arr_open(key);
	for (unsigned int i = 0; i < pl->n; i++) {
		print_obj_open(NULL);
		print_u64("min", pl->r[i].min);
		print_u64("max", pl->r[i].max);
		print_obj_close();
	}
	print_arr_close();
}

static const char *name_or_unknown(const char *s)
{
	return s ? s : "unknown";
}

static const char *const wan_names[] = {
	[SIPGUARD_WAN_UNKNOWN]	= "unknown",
	[SIPGUARD_WAN_NONE]	= "none",
	[SIPGUARD_WAN_FOUND]	= "found",
};

/* `guard` with learning and no list: the WAN, or why every interface is. */
static const char *guard_auto(const struct sg_conf *c)
{
	static char buf[64 + SIPGUARD_MAX_IFACES * IFNAMSIZ];
	size_t off;

	if (c->wan == SIPGUARD_WAN_NONE)
		return "all (but lo): learning, but no default route tells the WAN";
	if (c->wan != SIPGUARD_WAN_FOUND)
		return "all (but lo): learning, but the WAN cannot be told";
	off = (size_t)snprintf(buf, sizeof(buf), "the default routes' interfaces (learning):");
	for (unsigned int i = 0; i < c->n_wan && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? "," : " ",
					c->wan_ifaces[i]);
	return buf;
}

void print_config(const struct sg_conf *c)
{
	char buf[1024];

	print_str("mode", name_or_unknown(conf_mode_name(c->mode)));
	print_str("policy", name_or_unknown(conf_policy_name(c->policy)));
	print_ports("ports", &c->sip);
	print_ports("tls_ports", &c->tls);
	if (print_json) {
		print_arr_open("guard");
		for (unsigned int i = 0; i < c->n_ifaces; i++)
			print_str(NULL, c->ifaces[i]);
		print_arr_close();
	} else {
		buf[0] = '\0';
		for (unsigned int i = 0; i < c->n_ifaces; i++)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
				 i ? "," : "", c->ifaces[i]);
		print_str("guard", c->n_ifaces ? buf : c->learn ? guard_auto(c) : "all (but lo)");
	}
	if (print_json) {
		print_obj_open("wan");
		print_str("state", c->wan < sizeof(wan_names) / sizeof(wan_names[0]) ? wan_names[c->wan] : "unknown");
		print_arr_open("interfaces");
		for (unsigned int i = 0; i < c->n_wan; i++)
			print_str(NULL, c->wan_ifaces[i]);
		print_arr_close();
		print_obj_close();
	}
	print_u64("allowlist_entries", c->allow_count);
	print_onoff("learn", c->learn);
	print_u64("learn_max", c->learn_max);
	print_u64("learned", c->learn_count);
	print_u64("generation", c->generation);
	print_obj_open("open_policy");
	print_u64("rate", c->rate);
	print_u64("burst", c->burst);
	print_u64("ban", c->ban);
	print_u64("ban_max", c->ban_max);
	print_u64("failures", c->failures);
	print_u64("failure_window", c->failure_window);
	print_u64("budget", c->budget);
	print_u64("prefix4", c->prefix4);
	print_u64("prefix6", c->prefix6);
	print_str("untrusted_invite", c->refuse_invite ? "refuse" : "accept");
	print_u64("table_max", c->table_max);
	print_u64("sources", c->source_count);
	print_u64("source_bytes", c->source_bytes);
	print_u64("table_max_bytes", (uint64_t)c->table_max * c->source_bytes);
	/*
	 * Whose share of sources_max the table spends: the host's (all of it,
	 * its reserve included) or a user's; once spent, new sources are
	 * judged together by the fallback bucket.
	 */
	if (print_json) {
		print_str("share", c->guest ? "user" : "host");
		if (c->guest)
			print_u64("share_owner", c->share_owner);
	} else {
		snprintf(buf, sizeof(buf), "user %u", c->share_owner);
		print_str("share", c->guest ? buf : "host");
	}
	print_u64("share_max", c->share_max);
	print_u64("share_used", c->share_used);
	print_str("new_sources", c->share_used >= c->share_max ? "fallback" : "remembered");
	print_u64("bans_listed", c->bans_listed);
	print_u64("signatures", c->sig_count);
	print_obj_close();
}

static void put_port_list(struct nlmsghdr *nlh, int type, const struct port_list *pl)
{
	struct nlattr *list = mnl_attr_nest_start(nlh, type), *item;

	for (unsigned int i = 0; i < pl->n; i++) {
		item = mnl_attr_nest_start(nlh, SIPGUARD_A_PORT_RANGE);
		mnl_attr_put_u16(nlh, SIPGUARD_RANGE_A_MIN, pl->r[i].min);
		mnl_attr_put_u16(nlh, SIPGUARD_RANGE_A_MAX, pl->r[i].max);
		mnl_attr_nest_end(nlh, item);
	}
	mnl_attr_nest_end(nlh, list);
}

void put_key(struct nlmsghdr *nlh, int k, const struct sg_conf *c)
{
	const struct conf_key *key = &conf_keys[k];
	uint32_t v = 0;

	switch (k) {
	case K_PORTS:
		put_port_list(nlh, key->attr, &c->sip);
		return;
	case K_TLS_PORTS:
		put_port_list(nlh, key->attr, &c->tls);
		return;
	case K_GUARD: {
		struct nlattr *list = mnl_attr_nest_start(nlh, key->attr);

		for (unsigned int i = 0; i < c->n_ifaces; i++)
			mnl_attr_put_strz(nlh, SIPGUARD_A_IFNAME, c->ifaces[i]);
		mnl_attr_nest_end(nlh, list);
		return;
	}
	case K_MODE: v = c->mode; break;
	case K_POLICY: v = c->policy; break;
	case K_LEARN: v = c->learn; break;
	case K_UNTRUSTED_INVITE: v = c->refuse_invite; break;
	case K_LEARN_MAX: v = c->learn_max; break;
	case K_RATE: v = c->rate; break;
	case K_BURST: v = c->burst; break;
	case K_BAN: v = c->ban; break;
	case K_BUDGET: v = c->budget; break;
	case K_PREFIX4: v = c->prefix4; break;
	case K_PREFIX6: v = c->prefix6; break;
	case K_TABLE_MAX: v = c->table_max; break;
	case K_FAILURES: v = c->failures; break;
	case K_FAILURE_WINDOW: v = c->failure_window; break;
	case K_BAN_MAX: v = c->ban_max; break;
	}
	if (key->u8)
		mnl_attr_put_u8(nlh, key->attr, (uint8_t)v);
	else
		mnl_attr_put_u32(nlh, key->attr, v);
}

/* KEY VALUE pairs, read as a configuration file's lines are. */
int cmd_set(struct sg_nl *nl, int argc, char **argv)
{
	bool given[N_KEYS] = { false };
	struct nlmsghdr *nlh;
	struct sg_conf c;
	char why[512];
	int i, k, ret;

	if (argc < 2)
		return usage_error(NULL, "set needs at least one setting");
	memset(&c, 0, sizeof(c));
	for (i = 1; i < argc; i += 2) {
		k = conf_key_lookup(argv[i]);
		if (k < 0)
			return usage_error(NULL, "unknown setting '%s'", argv[i]);
		if (i + 1 >= argc)
			return usage_error(NULL, "'%s' needs a value", argv[i]);
		if (given[k])
			return usage_error(NULL, "'%s' is given twice", argv[i]);
		if (conf_key_parse(k, argv[i + 1], &c, why, sizeof(why)))
			return usage_error(NULL, "%s", why);
		given[k] = true;
	}
	/* Both lists given: the kernel's refusal found here (one alone
	 * meets the current other one there). */
	if (given[K_PORTS] && given[K_TLS_PORTS] && ports_overlap(&c))
		return usage_error(NULL, "port %u would be both a SIP port and a TLS port",
				   ports_overlap(&c));
	ret = ctl_connect(nl);
	if (ret)
		return ret;
	nlh = sg_nl_new(nl, SIPGUARD_CMD_SET_CONFIG, 0);
	for (k = 0; k < N_KEYS; k++)
		if (given[k])
			put_key(nlh, k, &c);
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	return ret ? report("set", ret, nl) : EXIT_OK;
}
