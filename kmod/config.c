// SPDX-License-Identifier: GPL-2.0
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "config.h"
#include "learn.h"

#define SG_PORT_BITMAP_BYTES	BITS_TO_BYTES(65536)

static int cmp_range(const void *a, const void *b)
{
	const struct sg_port_range *x = a, *y = b;

	return (int)x->min - (int)y->min;
}

int sg_ranges_normalise(struct sg_port_range *r, u8 *n,
			struct netlink_ext_ack *extack)
{
	u8 i, out = 0;

	for (i = 0; i < *n; i++) {
		if (!r[i].min || r[i].min > r[i].max) {
			NL_SET_ERR_MSG(extack, "a port range must be 1-65535 with min <= max");
			return -EINVAL;
		}
	}
	sort(r, *n, sizeof(*r), cmp_range, NULL);
	/* Overlapping or touching ranges become one. */
	for (i = 0; i < *n; i++) {
		if (out && r[i].min <= (u32)r[out - 1].max + 1) {
			r[out - 1].max = max(r[out - 1].max, r[i].max);
			continue;
		}
		r[out++] = r[i];
	}
	*n = out;
	return 0;
}

int sg_parse_ports(const char *s, struct sg_port_range *r, u8 *n)
{
	unsigned long lo, hi;
	char *end;

	*n = 0;
	while (*s) {
		if (*n == SIPGUARD_MAX_PORT_RANGES)
			return -E2BIG;
		lo = simple_strtoul(s, &end, 10);
		if (end == s || lo > 65535)
			return -EINVAL;
		hi = lo;
		s = end;
		if (*s == '-') {
			hi = simple_strtoul(++s, &end, 10);
			if (end == s || hi > 65535)
				return -EINVAL;
			s = end;
		}
		r[*n].min = lo;
		r[*n].max = hi;
		(*n)++;
		if (*s == ',')
			s++;
		else if (*s)
			return -EINVAL;
	}
	return sg_ranges_normalise(r, n, NULL);
}

int sg_params_defaults(struct sg_params *p, const char *mode,
		       const char *policy, const char *ports,
		       const char *tls_ports)
{
	int ret;

	memset(p, 0, sizeof(*p));
	p->rate = SG_DEFAULT_RATE;
	p->burst = SG_DEFAULT_BURST;
	p->ban = SG_DEFAULT_BAN;
	p->budget = SG_DEFAULT_BUDGET;
	p->table_max = SG_DEFAULT_TABLE_MAX;
	p->prefix4 = SG_DEFAULT_PREFIX4;
	p->prefix6 = SG_DEFAULT_PREFIX6;
	p->learn_max = SG_LEARN_DEFAULT_MAX;
	if (sysfs_streq(mode, "off"))
		p->mode = SIPGUARD_MODE_OFF;
	else if (sysfs_streq(mode, "monitor"))
		p->mode = SIPGUARD_MODE_MONITOR;
	else if (sysfs_streq(mode, "enforce"))
		p->mode = SIPGUARD_MODE_ENFORCE;
	else
		return -EINVAL;

	if (sysfs_streq(policy, "strict"))
		p->policy = SIPGUARD_POLICY_STRICT;
	else if (sysfs_streq(policy, "open"))
		p->policy = SIPGUARD_POLICY_OPEN;
	else
		return -EINVAL;

	ret = sg_parse_ports(ports, p->sip, &p->n_sip);
	if (ret)
		return ret;
	return sg_parse_ports(tls_ports, p->tls, &p->n_tls);
}

static void fill_bitmap(unsigned long *map, const struct sg_port_range *r, u8 n)
{
	u8 i;

	for (i = 0; i < n; i++)
		bitmap_set(map, r[i].min, r[i].max - r[i].min + 1);
}

struct sg_config *sg_config_build(const struct sg_params *p,
				  const struct sg_prefix *a, u32 na,
				  const struct sg_prefix *b, u32 nb,
				  u64 generation,
				  struct netlink_ext_ack *extack)
{
	size_t allow_off, al_off, al_size, total;
	unsigned long *sip, *tls;
	struct sg_tb_rate src_rate, budget_rate = { 0 };
	struct sg_prefix *allow;
	struct sg_config *cfg;
	u32 n = na + nb;
	int ret;

	if (n < na || n > SIPGUARD_MAX_ALLOW) {
		NL_SET_ERR_MSG(extack, "allowlist is full");
		return ERR_PTR(-ENOSPC);
	}
	/* The netlink policy bounds each value; this catches the rest. */
	if (sg_tb_rate_set(&src_rate, p->rate, p->burst)) {
		NL_SET_ERR_MSG(extack, "rate and burst must be 1-1000000");
		return ERR_PTR(-EINVAL);
	}
	if (p->budget && sg_tb_rate_set(&budget_rate, p->budget, p->budget)) {
		NL_SET_ERR_MSG(extack, "budget must be 0-1000000");
		return ERR_PTR(-EINVAL);
	}

	/* One allocation: header, two port bitmaps, entries, compiled list. */
	allow_off = sizeof(*cfg) + 2 * SG_PORT_BITMAP_BYTES;
	al_off = ALIGN(allow_off + array_size(n, sizeof(*allow)), SG_ALLOWLIST_ALIGN);
	/*
	 * The compiled size is a sum of aligned per-entry arrays plus a fixed
	 * header, so the bounds of the two spans add up to a bound of the
	 * whole; a zero from either means overflow.
	 */
	al_size = sg_allowlist_size(a, na);
	if (nb)
		al_size = al_size ? size_add(al_size, sg_allowlist_size(b, nb)) : 0;
	total = size_add(al_off, al_size);
	if (!al_size || total == SIZE_MAX)
		return ERR_PTR(-ENOMEM);

	cfg = kvzalloc(total, GFP_KERNEL_ACCOUNT);
	if (!cfg)
		return ERR_PTR(-ENOMEM);

	cfg->generation = generation;
	cfg->p = *p;
	cfg->src_rate = src_rate;
	cfg->budget_rate = budget_rate;
	sip = (unsigned long *)(cfg + 1);
	tls = (unsigned long *)((u8 *)sip + SG_PORT_BITMAP_BYTES);
	fill_bitmap(sip, p->sip, p->n_sip);
	fill_bitmap(tls, p->tls, p->n_tls);
	cfg->sip_ports = sip;
	cfg->tls_ports = tls;

	allow = (struct sg_prefix *)((u8 *)cfg + allow_off);
	if (na)
		memcpy(allow, a, array_size(na, sizeof(*a)));
	if (nb)
		memcpy(allow + na, b, array_size(nb, sizeof(*b)));
	cfg->allow = allow;
	cfg->n_allow = n;

	ret = sg_allowlist_build((u8 *)cfg + al_off, al_size, allow, n);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot compile the allowlist");
		kvfree(cfg);
		return ERR_PTR(ret);
	}
	cfg->al = (const struct sg_allowlist *)((u8 *)cfg + al_off);
	return cfg;
}

void sg_config_free(struct sg_config *cfg)
{
	kvfree(cfg);
}

void sg_config_free_rcu(struct sg_config *cfg)
{
	if (cfg)
		kvfree_rcu(cfg, rcu);
}

int sg_config_find_prefix(const struct sg_config *cfg,
			  const struct sg_prefix *x)
{
	u32 i;

	for (i = 0; i < cfg->n_allow; i++)
		if (sg_prefix_equal(&cfg->allow[i], x))
			return i;
	return -1;
}
