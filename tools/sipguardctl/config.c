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

static const char *name_of(const char *const *names, unsigned int n, unsigned int v)
{
	return v < n && names[v] ? names[v] : "unknown";
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
		print_str("guard", c->n_ifaces ? buf : "all (but lo)");
	}
	print_u64("allowlist_entries", c->allow_count);
}

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

static void put_ports(struct nlmsghdr *nlh, int type, const struct port_list *pl)
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

static int lookup(const char *const *names, unsigned int n, const char *s)
{
	for (unsigned int i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
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
			v = lookup(mode_names, 3, val);
			if (v < 0)
				return usage_error(NULL, "mode must be off, monitor or enforce, not '%s'", val);
			mnl_attr_put_u8(nlh, SIPGUARD_A_MODE, (uint8_t)v);
		} else if (!strcmp(key, "policy")) {
			v = lookup(policy_names, 2, val);
			if (v < 0)
				return usage_error(NULL, "policy must be strict or open, not '%s'", val);
			mnl_attr_put_u8(nlh, SIPGUARD_A_POLICY, (uint8_t)v);
		} else if (!strcmp(key, "ports") || !strcmp(key, "tls-ports")) {
			if (parse_ports(val, &pl))
				return usage_error(NULL, "%s: '%s' is not a list like 5060,5080,5160-5170 (at most %d ranges) or none",
						   key, val, SIPGUARD_MAX_PORT_RANGES);
			put_ports(nlh, key[0] == 'p' ? SIPGUARD_A_SIP_PORTS : SIPGUARD_A_TLS_PORTS, &pl);
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
		} else {
			return usage_error(NULL, "unknown setting '%s'", key);
		}
	}
	ret = sg_nl_talk(nl, nlh, NULL, NULL);
	return ret ? report("set", ret, nl) : EXIT_OK;
}
