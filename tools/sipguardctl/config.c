// SPDX-License-Identifier: GPL-2.0
/* `sipguardctl set ...` and the configuration part of `show`. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
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

void parse_phone_port(const struct nlattr *item, struct phone_port *pp)
{
	const struct nlattr *a;

	memset(pp, 0, sizeof(*pp));
	mnl_attr_for_each_nested(a, item) {
		uint16_t len = mnl_attr_get_payload_len(a);

		switch (mnl_attr_get_type(a)) {
		case SIPGUARD_PP_A_ADDR:
		case SIPGUARD_PP_A_PHONE:
			if (len != 4 && len != 16)
				break;
			pp->family = len == 4 ? 4 : 6;
			memcpy(mnl_attr_get_type(a) == SIPGUARD_PP_A_ADDR ? pp->addr : pp->phone,
			       mnl_attr_get_payload(a), len);
			break;
		case SIPGUARD_PP_A_PORT:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				pp->port = mnl_attr_get_u16(a);
			break;
		case SIPGUARD_PP_A_PHONE_PORT:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				pp->phone_port = mnl_attr_get_u16(a);
			break;
		case SIPGUARD_PP_A_L4PROTO:
			if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
				pp->l4proto = mnl_attr_get_u8(a);
			break;
		case SIPGUARD_PP_A_SECS:
			cb_u32(a, &pp->secs);
			break;
		case SIPGUARD_PP_A_CONFIRMED:
			pp->confirmed = true;
			break;
		case SIPGUARD_PP_A_ANSWER:
			pp->answer = true;
			break;
		}
	}
}

static void cb_learn_ports(const struct nlattr *list, struct learn_ports *lp, bool learned)
{
	const struct nlattr *item;

	lp->learned = learned;
	lp->n = 0;
	mnl_attr_for_each_nested(item, list) {
		if (mnl_attr_get_type(item) != SIPGUARD_A_PHONE_PORT ||
		    lp->n >= SIPGUARD_LEARN_MAX_PORTS)
			continue;
		parse_phone_port(item, &lp->p[lp->n]);
		if (lp->p[lp->n].family)
			lp->n++;
	}
}

struct config_reply {
	struct sg_conf *c;
	struct learn_ports *lp;	/* NULL: not wanted */
};

static int cb_config(const struct nlmsghdr *nlh, void *data)
{
	struct config_reply *r = data;
	struct sg_conf *c = r->c;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case SIPGUARD_A_LEARN_PORTS:
		case SIPGUARD_A_UNGUARDED_PHONES:
			if (r->lp)
				cb_learn_ports(attr, r->lp,
					       mnl_attr_get_type(attr) == SIPGUARD_A_LEARN_PORTS);
			break;
		case SIPGUARD_A_LEARN_PORTS_OVER:
			if (r->lp)
				cb_u32(attr, &r->lp->over);
			break;
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

int get_config_ports(struct sg_nl *nl, struct sg_conf *c, struct learn_ports *lp)
{
	struct config_reply r = { .c = c, .lp = lp };

	memset(c, 0, sizeof(*c));
	if (lp)
		memset(lp, 0, sizeof(*lp));
	return sg_nl_talk(nl, sg_nl_new(nl, SIPGUARD_CMD_GET_CONFIG, 0), cb_config, &r);
}

int get_config(struct sg_nl *nl, struct sg_conf *c)
{
	return get_config_ports(nl, c, NULL);
}

static const char *l4_name(uint8_t l4proto)
{
	return l4proto == IPPROTO_TCP ? "tcp" : "udp";
}

/* 192.0.2.50:5062 or [2001:db8::50]:5062 */
void format_endpoint(char *buf, size_t len, uint8_t family, const uint8_t *addr,
			    uint16_t port)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(family == 4 ? AF_INET : AF_INET6, addr, a, sizeof(a));
	snprintf(buf, len, family == 4 ? "%s:%u" : "[%s]:%u", a, port);
}

/* `set ports` with @port added to the configured ports. */
static void ports_with(const struct port_list *pl, uint16_t port, char *buf, size_t len)
{
	struct port_list with = *pl;

	if (with.n < SIPGUARD_MAX_PORT_RANGES) {
		with.r[with.n].min = with.r[with.n].max = port;
		with.n++;
	}
	format_ports(&with, buf, len);
}

void print_learn_ports(const struct sg_conf *c, const struct learn_ports *lp)
{
	char a[INET6_ADDRSTRLEN], at[INET6_ADDRSTRLEN + 8], ph[INET6_ADDRSTRLEN + 8];
	char line[1280], ports[1024];

	if (lp->learned) {
		print_u64("learned_ports_over", lp->over);
		print_arr_open("learned_ports");
	} else {
		print_arr_open("unguarded_phones");
	}
	for (unsigned int i = 0; i < lp->n; i++) {
		const struct phone_port *p = &lp->p[i];

		if (print_json) {
			print_obj_open(NULL);
			print_str("proto", l4_name(p->l4proto));
			inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, a, sizeof(a));
			print_str("addr", a);
			print_u64("port", p->port);
			if (lp->learned) {
				inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->phone, a, sizeof(a));
				print_str("phone", a);
				print_u64("phone_port", p->phone_port);
				print_bool("confirmed", p->confirmed);
				print_u64("secs_left", p->secs);
			} else {
				print_str("seen_as", p->answer ? "answer" : "register");
				print_u64("secs_ago", p->secs);
			}
			print_obj_close();
			continue;
		}
		format_endpoint(at, sizeof(at), p->family, p->addr, p->port);
		if (lp->learned) {
			format_endpoint(ph, sizeof(ph), p->family, p->phone, p->phone_port);
			snprintf(line, sizeof(line), "%s %s for phone %s, %s, %u s left",
				 l4_name(p->l4proto), at, ph,
				 p->confirmed ? "confirmed" : "pending", p->secs);
		} else {
			ports_with(&c->sip, p->port, ports, sizeof(ports));
			snprintf(line, sizeof(line),
				 p->answer ?
				 "a registrar's 2xx reaches a phone at %s/%s, an unguarded port: "
				 "sipguardctl set ports %s (or: set learn on)" :
				 "phone %s/%s registers from an unguarded port: "
				 "sipguardctl set ports %s (or: set learn on)",
				 at, l4_name(p->l4proto), ports);
		}
		print_str(NULL, line);
	}
	print_arr_close();
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
