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

#include "alloc.h"
#include "config.h"

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

/* "5060" or "5160-5170": one range of a port list, 1-65535 each. */
static int sg_parse_range(char *s, struct sg_port_range *r)
{
	char *hi = strchr(s, '-');
	int ret;

	if (hi)
		*hi++ = '\0';
	ret = kstrtou16(s, 10, &r->min);
	if (!ret)
		ret = hi ? kstrtou16(hi, 10, &r->max) : 0;
	if (ret)
		return -EINVAL;
	if (!hi)
		r->max = r->min;
	return 0;
}

int sg_parse_ports(const char *s, struct sg_port_range *r, u8 *n)
{
	char *buf, *cur, *tok;
	int ret = 0;

	*n = 0;
	buf = sg_kstrdup(s, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	/* kstrto* take one trailing newline, as a sysfs write would carry. */
	cur = strim(buf);
	if (!*cur)
		cur = NULL;	/* no port at all */
	while ((tok = strsep(&cur, ","))) {
		if (*n == SIPGUARD_MAX_PORT_RANGES) {
			ret = -E2BIG;
			break;
		}
		ret = sg_parse_range(tok, &r[*n]);
		if (ret)
			break;
		(*n)++;
		if (cur && !*cur) {
			ret = -EINVAL;	/* a trailing comma */
			break;
		}
	}
	kfree(buf);
	return ret ?: sg_ranges_normalise(r, n, NULL);
}

bool sg_ports_overlap(const struct sg_params *p)
{
	u8 i, j;

	for (i = 0; i < p->n_sip; i++)
		for (j = 0; j < p->n_tls; j++)
			if (p->sip[i].min <= p->tls[j].max && p->tls[j].min <= p->sip[i].max)
				return true;
	return false;
}

int sg_params_defaults(struct sg_params *p, const char *mode,
		       const char *policy, const char *ports,
		       const char *tls_ports)
{
	int ret;

	memset(p, 0, sizeof(*p));
#define SG_DEFAULT(attr, field, type, min, max, def) p->field = (def);
	SG_SETTINGS(SG_DEFAULT)
#undef SG_DEFAULT
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
	ret = sg_parse_ports(tls_ports, p->tls, &p->n_tls);
	if (ret)
		return ret;
	/* As SET_CONFIG refuses it: a port is SIP or TLS, not both. */
	return sg_ports_overlap(p) ? -EINVAL : 0;
}

static void fill_bitmap(unsigned long *map, const struct sg_port_range *r, u8 n)
{
	u8 i;

	for (i = 0; i < n; i++)
		bitmap_set(map, r[i].min, r[i].max - r[i].min + 1);
}

static const char *sg_run_name(const struct sg_run *r, u32 i)
{
	if (r->cfg)
		return sg_config_name(r->cfg, r->x - r->cfg->allow + i);
	return r->names ? r->names[i] : r->name;
}

static bool sg_run_skips(const struct sg_run *r, u32 i)
{
	const char *name;

	if (!r->except)
		return false;
	name = sg_run_name(r, i);
	return name && !strcmp(name, r->except);
}

/* A named entry of the new list, while the string table is laid out. */
struct sg_named {
	const char *name;
	u32 i;
};

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const struct sg_named *)a)->name,
		      ((const struct sg_named *)b)->name);
}

struct sg_config *sg_config_build(const struct sg_params *p,
				  const struct sg_run *runs, unsigned int nruns,
				  u64 generation,
				  struct netlink_ext_ack *extack)
{
	size_t allow_off, off_off, names_off, names_size = 1, al_off, al_size = 0, total;
	struct sg_tb_rate src_rate, budget_rate = { 0 };
	struct sg_named *named = NULL;
	u32 n = 0, n_named = 0, n_names = 0, i, k, cur;
	struct sg_config *cfg = NULL;
	unsigned long *sip, *tls;
	struct sg_prefix *allow;
	unsigned int r;
	char *names;
	u32 *name_off;
	int ret;

	for (r = 0; r < nruns; r++) {
		for (i = 0; i < runs[r].n; i++) {
			if (sg_run_skips(&runs[r], i))
				continue;
			if (n == SIPGUARD_MAX_ALLOW) {
				NL_SET_ERR_MSG(extack, "allowlist is full");
				return ERR_PTR(-ENOSPC);
			}
			n++;
			n_named += !!sg_run_name(&runs[r], i);
		}
		/* The bound of each run bounds its part, left-outs and all. */
		al_size = r ? size_add(al_size, sg_allowlist_size(runs[r].x, runs[r].n)) :
			      sg_allowlist_size(runs[r].x, runs[r].n);
	}
	if (!nruns)
		al_size = sg_allowlist_size(NULL, 0);
	/* The netlink policy bounds each value; this catches the rest. */
	if (sg_tb_rate_set(&src_rate, p->rate, p->burst)) {
		NL_SET_ERR_MSG(extack, "rate and burst must be 1-1000000");
		return ERR_PTR(-EINVAL);
	}
	if (p->budget && sg_tb_rate_set(&budget_rate, p->budget, p->budget)) {
		NL_SET_ERR_MSG(extack, "budget must be 0-1000000");
		return ERR_PTR(-EINVAL);
	}

	/*
	 * The string table: each distinct name once, found by sorting the
	 * named entries (a name has a few addresses, a list many names).
	 */
	if (n_named) {
		named = sg_kvmalloc_array(n_named, sizeof(*named), GFP_KERNEL_ACCOUNT);
		if (!named)
			return ERR_PTR(-ENOMEM);
		k = 0;
		n = 0;
		for (r = 0; r < nruns; r++) {
			for (i = 0; i < runs[r].n; i++) {
				const char *name;

				if (sg_run_skips(&runs[r], i))
					continue;
				name = sg_run_name(&runs[r], i);
				if (name) {
					named[k].name = name;
					named[k++].i = n;
				}
				n++;
			}
		}
		sort(named, n_named, sizeof(*named), cmp_named, NULL);
		for (k = 0; k < n_named; k++) {
			if (k && !strcmp(named[k - 1].name, named[k].name))
				continue;
			if (++n_names > SIPGUARD_MAX_NAMES) {
				NL_SET_ERR_MSG(extack, "more distinct names than an allowlist holds");
				ret = -ENOSPC;
				goto err;
			}
			names_size += strlen(named[k].name) + 1;
		}
	}

	/*
	 * One allocation: header, two port bitmaps, entries, their name
	 * offsets, the string table, the compiled list.  The compiled size is
	 * a sum of aligned per-entry arrays plus a fixed header, so the bounds
	 * of the runs add up to a bound of the whole; a zero from any means
	 * overflow.
	 */
	allow_off = sizeof(*cfg) + 2 * SG_PORT_BITMAP_BYTES;
	off_off = allow_off + array_size(n, sizeof(*allow));
	names_off = off_off + array_size(n, sizeof(*name_off));
	al_off = ALIGN(names_off + names_size, SG_ALLOWLIST_ALIGN);
	total = size_add(al_off, al_size);
	ret = -ENOMEM;
	if (!al_size || total == SIZE_MAX)
		goto err;

	cfg = sg_kvzalloc(total, GFP_KERNEL_ACCOUNT);
	if (!cfg)
		goto err;

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
	n = 0;
	for (r = 0; r < nruns; r++) {
		if (!runs[r].except) {
			if (runs[r].n)
				memcpy(allow + n, runs[r].x, array_size(runs[r].n, sizeof(*allow)));
			n += runs[r].n;
			continue;
		}
		for (i = 0; i < runs[r].n; i++)
			if (!sg_run_skips(&runs[r], i))
				allow[n++] = runs[r].x[i];
	}
	cfg->allow = allow;
	cfg->n_allow = n;

	/* Offset 0 is the empty string: unnamed (kvzalloc zeroed both). */
	name_off = (u32 *)((u8 *)cfg + off_off);
	names = (char *)cfg + names_off;
	for (k = 0, total = 1, cur = 0; k < n_named; k++) {
		if (!k || strcmp(named[k - 1].name, named[k].name)) {
			size_t len = strlen(named[k].name) + 1;

			cur = total;
			memcpy(names + total, named[k].name, len);
			total += len;
		}
		name_off[named[k].i] = cur;
	}
	cfg->name_off = name_off;
	cfg->names = names;
	kvfree(named);
	named = NULL;

	ret = sg_allowlist_build((u8 *)cfg + al_off, al_size, allow, n);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot compile the allowlist");
		goto err;
	}
	cfg->al = (const struct sg_allowlist *)((u8 *)cfg + al_off);
	return cfg;
err:
	kvfree(named);
	kvfree(cfg);
	return ERR_PTR(ret);
}

u32 sg_config_count_name(const struct sg_config *cfg, const char *name)
{
	const char *x;
	u32 i, n = 0;

	for (i = 0; i < cfg->n_allow; i++) {
		x = sg_config_name(cfg, i);
		n += x && !strcmp(x, name);
	}
	return n;
}

int sg_name_check(const char *s, const char **why)
{
	size_t len = strlen(s), label = 0;
	bool digits = true;
	const char *c;

	*why = "a name must be 1-253 characters";
	if (!len || len > SIPGUARD_NAME_MAXLEN)
		return -EINVAL;
	for (c = s; ; c++) {
		if (!*c || *c == '.') {
			*why = "a name's labels must be 1-63 characters (no empty label, no trailing dot)";
			if (!label || label > 63)
				return -EINVAL;
			*why = "a name's labels cannot start or end with '-'";
			if (c[-1] == '-' || c[-label] == '-')
				return -EINVAL;
			if (!*c)
				break;
			label = 0;
			digits = true;
			continue;
		}
		*why = "a name may hold only lower-case letters, digits, '-', '_' and '.'";
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return -EINVAL;
		digits &= *c >= '0' && *c <= '9';
		label++;
	}
	*why = "a name's last label cannot be all digits (that is an address)";
	return digits ? -EINVAL : 0;
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
			  const struct sg_prefix *x, const char *name)
{
	const char *y;
	u32 i;

	for (i = 0; i < cfg->n_allow; i++) {
		if (!sg_prefix_equal(&cfg->allow[i], x))
			continue;
		y = sg_config_name(cfg, i);
		if (!y == !name && (!name || !strcmp(y, name)))
			return i;
	}
	return -1;
}
