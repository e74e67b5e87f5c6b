// SPDX-License-Identifier: GPL-2.0
/* `sipguardctl set ...` and the configuration part of `show`. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include <linux/sipguard.h>

#include "prefix.h"
#include "print.h"
#include "sipguardctl.h"

static const char *const mode_names[] = {
	[SIPGUARD_MODE_OFF]	= "off",
	[SIPGUARD_MODE_MONITOR]	= "monitor",
	[SIPGUARD_MODE_ENFORCE]	= "enforce",
};

static const char *const policy_names[] = {
	[SIPGUARD_POLICY_STRICT] = "strict",
	[SIPGUARD_POLICY_OPEN]	 = "open",
};

#define NNAMES(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, unsigned int n, unsigned int v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

static int lookup(const char *const *names, unsigned int n, const char *s)
{
	for (unsigned int i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

/* The words for modes and policies, shared by set, show and the conf file. */
const char *conf_mode_name(unsigned int mode)
{
	return mode < NNAMES(mode_names) ? mode_names[mode] : NULL;
}

const char *conf_policy_name(unsigned int policy)
{
	return policy < NNAMES(policy_names) ? policy_names[policy] : NULL;
}

int conf_mode_lookup(const char *s)
{
	return lookup(mode_names, NNAMES(mode_names), s);
}

int conf_policy_lookup(const char *s)
{
	return lookup(policy_names, NNAMES(policy_names), s);
}

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

static void cb_u8(const struct nlattr *attr, unsigned int *v)
{
	if (mnl_attr_validate(attr, MNL_TYPE_U8) == 0)
		*v = mnl_attr_get_u8(attr);
}

static int cb_config(const struct nlmsghdr *nlh, void *data)
{
	struct sg_conf *c = data;
	const struct nlattr *attr, *item;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case SIPGUARD_A_MODE:
			if (mnl_attr_validate(attr, MNL_TYPE_U8) == 0)
				c->mode = mnl_attr_get_u8(attr);
			break;
		case SIPGUARD_A_POLICY:
			if (mnl_attr_validate(attr, MNL_TYPE_U8) == 0)
				c->policy = mnl_attr_get_u8(attr);
			break;
		case SIPGUARD_A_SIP_PORTS:
			cb_ranges(attr, &c->sip);
			break;
		case SIPGUARD_A_TLS_PORTS:
			cb_ranges(attr, &c->tls);
			break;
		case SIPGUARD_A_ALLOW_COUNT:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				c->allow_count = mnl_attr_get_u32(attr);
			break;
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
		case SIPGUARD_A_GENERATION:
			if (mnl_attr_validate(attr, MNL_TYPE_U64) == 0)
				c->generation = mnl_attr_get_u64(attr);
			break;
		case SIPGUARD_A_WAN: cb_u8(attr, &c->wan); break;
		case SIPGUARD_A_WAN_IFACES:
			c->n_wan = 0;
			mnl_attr_for_each_nested(item, attr) {
				if (mnl_attr_validate(item, MNL_TYPE_NUL_STRING) < 0 ||
				    c->n_wan >= SIPGUARD_MAX_IFACES)
					continue;
				snprintf(c->wan_ifaces[c->n_wan++], IFNAMSIZ, "%s",
					 mnl_attr_get_str(item));
			}
			break;
		case SIPGUARD_A_IFACES:
			c->n_ifaces = 0;
			mnl_attr_for_each_nested(item, attr) {
				if (mnl_attr_validate(item, MNL_TYPE_NUL_STRING) < 0 ||
				    c->n_ifaces >= SIPGUARD_MAX_IFACES)
					continue;
				snprintf(c->ifaces[c->n_ifaces++], IFNAMSIZ, "%s",
					 mnl_attr_get_str(item));
			}
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

void format_ports(const struct port_list *pl, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	if (!pl->n)
		snprintf(buf, len, "none");
	for (unsigned int i = 0; i < pl->n && off < len; i++) {
		if (pl->r[i].min == pl->r[i].max)
			off += snprintf(buf + off, len - off, "%s%u", i ? "," : "", pl->r[i].min);
		else
			off += snprintf(buf + off, len - off, "%s%u-%u", i ? "," : "",
					pl->r[i].min, pl->r[i].max);
	}
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

	print_str("mode", name_of(mode_names, 3, c->mode));
	print_str("policy", name_of(policy_names, 2, c->policy));
	format_ports(&c->sip, buf, sizeof(buf));
	print_str("ports", buf);
	format_ports(&c->tls, buf, sizeof(buf));
	print_str("tls_ports", buf);
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
		print_str("state", c->wan < NNAMES(wan_names) ? wan_names[c->wan] : "unknown");
		print_arr_open("interfaces");
		for (unsigned int i = 0; i < c->n_wan; i++)
			print_str(NULL, c->wan_ifaces[i]);
		print_arr_close();
		print_obj_close();
	}
	print_u64("allowlist_entries", c->allow_count);
	print_str("learn", c->learn ? "on" : "off");
	print_u64("learn_max", c->learn_max);
	print_u64("learned", c->learn_count);
	print_u64("generation", c->generation);
	print_obj_open("open_policy");
	print_u64("rate", c->rate);
	print_u64("burst", c->burst);
	print_u64("ban", c->ban);
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

/* A decimal number in [min, max]; returns 0 or -1. */
static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long x;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x < min || x > max)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* The open policy's numeric settings: key, attribute, width, range. */
static const struct {
	const char *key;
	uint16_t attr;
	uint8_t u8;
	uint32_t min, max;
	const char *what;
} num_keys[] = {
	{ "rate", SIPGUARD_A_RATE, 0, 1, 1000000, "packets per second per source" },
	{ "burst", SIPGUARD_A_BURST, 0, 1, 1000000, "packets" },
	{ "ban", SIPGUARD_A_BAN, 0, 0, SIPGUARD_MAX_BAN, "seconds (0: no bans)" },
	{ "budget", SIPGUARD_A_BUDGET, 0, 0, 1000000, "packets per second (0: no budget)" },
	{ "prefix4", SIPGUARD_A_PREFIX4, 1, 8, 32, "an IPv4 prefix length" },
	{ "prefix6", SIPGUARD_A_PREFIX6, 1, 16, 128, "an IPv6 prefix length" },
	{ "table-max", SIPGUARD_A_TABLE_MAX, 0, SIPGUARD_MIN_SOURCES, SIPGUARD_MAX_SOURCES, "entries" },
	{ "learn-max", SIPGUARD_A_LEARN_MAX, 0, 1, 256, "servers" },
};

/* "5060,5080,5160-5170" or "none". */
static int parse_ports(const char *s, struct port_list *pl)
{
	char *copy, *tok, *save = NULL, *dash;
	int ret = 0;

	pl->n = 0;
	if (!strcmp(s, "none"))
		return 0;
	copy = strdup(s);
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (pl->n == SIPGUARD_MAX_PORT_RANGES) {
			ret = -1;
			break;
		}
		dash = strchr(tok, '-');
		if (dash)
			*dash = '\0';
		if (port_parse(tok, &pl->r[pl->n].min) ||
		    port_parse(dash ? dash + 1 : tok, &pl->r[pl->n].max) ||
		    pl->r[pl->n].max < pl->r[pl->n].min) {
			ret = -1;
			break;
		}
		pl->n++;
	}
	free(copy);
	return ret;
}

void put_port_list(struct nlmsghdr *nlh, int type, const struct port_list *pl)
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

int cmd_set(struct sg_nl *nl, int argc, char **argv)
{
	struct nlmsghdr *nlh = sg_nl_new(nl, SIPGUARD_CMD_SET_CONFIG, 0);
	struct port_list pl;
	int i, v, ret;

	if (argc < 2)
		return usage_error(NULL, "set needs at least one setting");
	for (i = 1; i < argc; i += 2) {
		const char *key = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val)
			return usage_error(NULL, "'%s' needs a value", key);
		if (!strcmp(key, "mode")) {
			v = conf_mode_lookup(val);
			if (v < 0)
				return usage_error(NULL, "mode must be off, monitor or enforce, not '%s'", val);
			mnl_attr_put_u8(nlh, SIPGUARD_A_MODE, (uint8_t)v);
		} else if (!strcmp(key, "policy")) {
			v = conf_policy_lookup(val);
			if (v < 0)
				return usage_error(NULL, "policy must be strict or open, not '%s'", val);
			mnl_attr_put_u8(nlh, SIPGUARD_A_POLICY, (uint8_t)v);
		} else if (!strcmp(key, "ports") || !strcmp(key, "tls-ports")) {
			if (parse_ports(val, &pl))
				return usage_error(NULL, "%s: '%s' is not a list like 5060,5080,5160-5170 (at most %d ranges) or none",
						   key, val, SIPGUARD_MAX_PORT_RANGES);
			put_port_list(nlh, key[0] == 'p' ? SIPGUARD_A_SIP_PORTS : SIPGUARD_A_TLS_PORTS, &pl);
		} else if (!strcmp(key, "guard")) {
			struct nlattr *list = mnl_attr_nest_start(nlh, SIPGUARD_A_IFACES);
			char *copy = strdup(val), *tok, *save = NULL;
			int n = 0;

			if (!copy)
				return report("set", -ENOMEM, NULL);
			if (strcmp(val, "all")) {
				for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
					if (strlen(tok) >= IFNAMSIZ || ++n > SIPGUARD_MAX_IFACES) {
						free(copy);
						return usage_error(NULL, "guard: '%s' is not a list of at most %d interface names, or all",
								   val, SIPGUARD_MAX_IFACES);
					}
					mnl_attr_put_strz(nlh, SIPGUARD_A_IFNAME, tok);
				}
			}
			free(copy);
			mnl_attr_nest_end(nlh, list);
		} else if (!strcmp(key, "learn")) {
			if (strcmp(val, "on") && strcmp(val, "off"))
				return usage_error(NULL, "learn must be on or off, not '%s'", val);
			mnl_attr_put_u8(nlh, SIPGUARD_A_LEARN, !strcmp(val, "on"));
		} else if (!strcmp(key, "untrusted-invite")) {
			if (strcmp(val, "accept") && strcmp(val, "refuse"))
				return usage_error(NULL, "untrusted-invite must be accept or refuse, not '%s'", val);
			mnl_attr_put_u8(nlh, SIPGUARD_A_REFUSE_INVITE, val[0] == 'r');
		} else {
			size_t k, nk = sizeof(num_keys) / sizeof(num_keys[0]);
			uint32_t x;

			for (k = 0; k < nk && strcmp(key, num_keys[k].key); k++)
				;
			if (k == nk)
				return usage_error(NULL, "unknown setting '%s'", key);
			if (parse_u32(val, num_keys[k].min, num_keys[k].max, &x))
				return usage_error(NULL, "%s: '%s' is not %u-%u (%s)", key, val,
						   num_keys[k].min, num_keys[k].max, num_keys[k].what);
			if (num_keys[k].u8)
				mnl_attr_put_u8(nlh, num_keys[k].attr, (uint8_t)x);
			else
				mnl_attr_put_u32(nlh, num_keys[k].attr, x);
		}
	}
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	return ret ? report("set", ret, nl) : EXIT_OK;
}
