// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Allowlist matcher: prefixes compiled into sorted, merged address intervals.
 *
 * A prefix is an interval [first, last] of the address space, so "is this
 * address inside one of n prefixes" becomes a binary search over the sorted
 * interval starts followed by one compare with that interval's end, once the
 * overlapping, nested and adjacent intervals have been merged.  Entries that
 * name a source port are kept in their own group per port; the groups are
 * sorted by port so a lookup costs at most two or three binary searches:
 * the any-port group, the port table, and that port's group.
 *
 * Compiled object, one buffer, offsets only (so it can be copied or freed
 * as a whole), for each family F in { v6, v4 }:
 *
 *   struct sg_allowlist   header: per family counts and byte offsets
 *   F.start[nF]           interval starts (struct sg_u128 or u32), sorted
 *                         by (port, start); the first nint are in use
 *   F.end[nF]             interval ends, parallel to start[]
 *   F.bound[nF + 1]       u32: group g owns intervals [bound[g], bound[g+1])
 *   F.port[nF]            u16: port of group g, ascending; port 0 (= any)
 *                         is group 0 if present.  One slot per entry because
 *                         the builder uses it for the per-interval port key
 *                         while sorting; the groups are compacted into it.
 *
 * ordered by alignment (16-byte items, then u32, then u16) so that every
 * array is naturally aligned when the buffer is 8-byte aligned.  Bytes per
 * entry: IPv4 4+4+4+2 = 14, IPv6 16+16+4+2 = 38, plus the fixed header.
 *
 * Addresses are turned into host-order integers with explicit byte shifts,
 * which read the same in the kernel and in userspace on any endianness.
 */

#include "sg_types.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#endif

#include "allowlist.h"

#define SG_SIZE_MAX	((size_t)-1)

struct sg_u128 {
	u64 hi, lo;
};

struct sg_al_fam {
	u32 nint;		/* merged intervals in use, all groups */
	u32 ngrp;		/* port groups */
	size_t start, end, bound, port;	/* byte offsets from the header */
};

struct sg_allowlist {
	struct sg_al_fam f4, f6;
};

static inline u32 sg_load32(const u8 *a)
{
	return (u32)a[0] << 24 | (u32)a[1] << 16 | (u32)a[2] << 8 | a[3];
}

static inline u64 sg_load64(const u8 *a)
{
	return (u64)sg_load32(a) << 32 | sg_load32(a + 4);
}

static inline struct sg_u128 sg_load128(const u8 *a)
{
	struct sg_u128 v = { .hi = sg_load64(a), .lo = sg_load64(a + 8) };

	return v;
}

/* Host-part masks; a shift by the full width would be undefined. */
static inline u32 sg_hostmask32(unsigned int plen)
{
	return plen >= 32 ? 0 : ~(u32)0 >> plen;
}

static inline u64 sg_hostmask64(unsigned int plen)
{
	return plen >= 64 ? 0 : ~(u64)0 >> plen;
}

static inline struct sg_u128 sg_hostmask128(unsigned int plen)
{
	struct sg_u128 m = {
		.hi = sg_hostmask64(plen),
		.lo = sg_hostmask64(plen > 64 ? plen - 64 : 0),
	};

	return m;
}

/* Bitwise, not short-circuit: lets the search steps use a cmov. */
static inline bool sg_le128(struct sg_u128 a, struct sg_u128 b)
{
	return (a.hi < b.hi) | ((a.hi == b.hi) & (a.lo <= b.lo));
}

int sg_prefix_check(const struct sg_prefix *p, const char **why)
{
	const char *msg = NULL;
	unsigned int i;

	if (p->family == SG_AF_INET) {
		if (p->plen > 32) {
			msg = "IPv4 prefix length must be at most 32";
		} else if (sg_load32(p->addr) & sg_hostmask32(p->plen)) {
			msg = "host bits set beyond the prefix length";
		} else {
			for (i = 4; i < sizeof(p->addr); i++) {
				if (p->addr[i]) {
					msg = "IPv4 address must leave bytes 4 to 15 zero";
					break;
				}
			}
		}
	} else if (p->family == SG_AF_INET6) {
		if (p->plen > 128) {
			msg = "IPv6 prefix length must be at most 128";
		} else {
			struct sg_u128 a = sg_load128(p->addr);
			struct sg_u128 m = sg_hostmask128(p->plen);

			if ((a.hi & m.hi) | (a.lo & m.lo))
				msg = "host bits set beyond the prefix length";
		}
	} else {
		msg = "address family must be 4 (IPv4) or 6 (IPv6)";
	}
	if (why)
		*why = msg;
	return msg ? -EINVAL : 0;
}

bool sg_prefix_equal(const struct sg_prefix *a, const struct sg_prefix *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       a->port == b->port && !memcmp(a->addr, b->addr, sizeof(a->addr));
}

/* *off += count * elem, or false if that leaves size_t. */
static bool sg_grow(size_t *off, size_t count, size_t elem)
{
	if (count && elem > (SG_SIZE_MAX - *off) / count)
		return false;
	*off += count * elem;
	return true;
}

/*
 * Place the arrays for @n4 IPv4 and @n6 IPv6 entries; fills @al if not NULL.
 * Returns the bytes needed, or 0 on overflow.
 */
static size_t sg_al_layout(struct sg_allowlist *al, u32 n4, u32 n6)
{
	struct sg_al_fam f4 = { 0 }, f6 = { 0 };
	size_t off = sizeof(*al);

	off = (off + SG_ALLOWLIST_ALIGN - 1) & ~(size_t)(SG_ALLOWLIST_ALIGN - 1);
	f6.start = off;
	if (!sg_grow(&off, n6, sizeof(struct sg_u128)))
		return 0;
	f6.end = off;
	if (!sg_grow(&off, n6, sizeof(struct sg_u128)))
		return 0;
	f4.start = off;
	if (!sg_grow(&off, n4, sizeof(u32)))
		return 0;
	f4.end = off;
	if (!sg_grow(&off, n4, sizeof(u32)))
		return 0;
	f6.bound = off;
	if (!sg_grow(&off, n6, sizeof(u32)) || !sg_grow(&off, 1, sizeof(u32)))
		return 0;
	f4.bound = off;
	if (!sg_grow(&off, n4, sizeof(u32)) || !sg_grow(&off, 1, sizeof(u32)))
		return 0;
	f6.port = off;
	if (!sg_grow(&off, n6, sizeof(u16)))
		return 0;
	f4.port = off;
	if (!sg_grow(&off, n4, sizeof(u16)))
		return 0;
	if (al) {
		al->f4 = f4;
		al->f6 = f6;
	}
	return off;
}

static void sg_al_counts(const struct sg_prefix *p, u32 n, u32 *n4, u32 *n6)
{
	u32 i;

	*n4 = 0;
	*n6 = 0;
	for (i = 0; i < n; i++) {
		if (p[i].family == SG_AF_INET)
			(*n4)++;
		else
			(*n6)++;	/* also invalid ones: an upper bound */
	}
}

size_t sg_allowlist_size(const struct sg_prefix *p, u32 n)
{
	u32 n4, n6;

	sg_al_counts(p, n, &n4, &n6);
	return sg_al_layout(NULL, n4, n6);
}

static inline void *sg_al_at(struct sg_allowlist *al, size_t off)
{
	return (u8 *)al + off;
}

static inline const void *sg_al_cat(const struct sg_allowlist *al, size_t off)
{
	return (const u8 *)al + off;
}

/*
 * One family's arrays while building: sorted by (port, start) with an
 * in-place heapsort (no recursion, no allocation, O(n log n) worst case).
 */
struct sg_al_work {
	u16 *port;
	u32 *s4, *e4;
	struct sg_u128 *s6, *e6;
};

static bool sg_work_less(const struct sg_al_work *w, u32 i, u32 j)
{
	if (w->port[i] != w->port[j])
		return w->port[i] < w->port[j];
	if (w->s4)
		return w->s4[i] < w->s4[j];
	return !sg_le128(w->s6[j], w->s6[i]);
}

static void sg_work_swap(struct sg_al_work *w, u32 i, u32 j)
{
	u16 p = w->port[i];

	w->port[i] = w->port[j];
	w->port[j] = p;
	if (w->s4) {
		u32 s = w->s4[i], e = w->e4[i];

		w->s4[i] = w->s4[j];
		w->e4[i] = w->e4[j];
		w->s4[j] = s;
		w->e4[j] = e;
	} else {
		struct sg_u128 s = w->s6[i], e = w->e6[i];

		w->s6[i] = w->s6[j];
		w->e6[i] = w->e6[j];
		w->s6[j] = s;
		w->e6[j] = e;
	}
}

static void sg_work_sift(struct sg_al_work *w, u32 root, u32 n)
{
	/* root < n / 2 guarantees 2 * root + 1 < n: no u32 overflow. */
	while (root < n / 2) {
		u32 child = 2 * root + 1;

		if (child + 1 < n && sg_work_less(w, child, child + 1))
			child++;
		if (!sg_work_less(w, root, child))
			break;
		sg_work_swap(w, root, child);
		root = child;
	}
}

static void sg_work_sort(struct sg_al_work *w, u32 n)
{
	u32 i;

	for (i = n / 2; i-- > 0; )
		sg_work_sift(w, i, n);
	for (i = n; i-- > 1; ) {
		sg_work_swap(w, 0, i);
		sg_work_sift(w, 0, i);
	}
}

/*
 * Merge overlapping and adjacent intervals of the same port, compacting the
 * arrays in place; returns the number of intervals left.
 */
static u32 sg_work_merge(struct sg_al_work *w, u32 n)
{
	u32 i, m = 0;

	for (i = 0; i < n; i++) {
		if (m && w->port[m - 1] == w->port[i]) {
			if (w->s4) {
				/* Sorted: s4[i] >= s4[m - 1]; adjacent if it
				 * starts right after e4[m - 1] (no wrap: an
				 * end of ~0 swallows everything after it).
				 */
				if (w->e4[m - 1] == ~(u32)0 ||
				    w->s4[i] <= w->e4[m - 1] + 1) {
					if (w->e4[i] > w->e4[m - 1])
						w->e4[m - 1] = w->e4[i];
					continue;
				}
			} else {
				struct sg_u128 next = w->e6[m - 1];

				if (next.hi == ~(u64)0 && next.lo == ~(u64)0)
					continue;
				if (++next.lo == 0)
					next.hi++;
				if (sg_le128(w->s6[i], next)) {
					if (!sg_le128(w->e6[i], w->e6[m - 1]))
						w->e6[m - 1] = w->e6[i];
					continue;
				}
			}
		}
		w->port[m] = w->port[i];
		if (w->s4) {
			w->s4[m] = w->s4[i];
			w->e4[m] = w->e4[i];
		} else {
			w->s6[m] = w->s6[i];
			w->e6[m] = w->e6[i];
		}
		m++;
	}
	return m;
}

/* Turn the per-interval ports into the group table, in place. */
static u32 sg_work_group(struct sg_al_work *w, u32 *bound, u32 m)
{
	u32 i, g = 0;

	for (i = 0; i < m; i++) {
		/* g <= i: port[g] is written only after port[i] is read. */
		if (g && w->port[g - 1] == w->port[i])
			continue;
		w->port[g] = w->port[i];
		bound[g++] = i;
	}
	bound[g] = m;
	return g;
}

static void sg_al_finish(struct sg_allowlist *al, struct sg_al_fam *f,
			 struct sg_al_work *w, u32 n)
{
	sg_work_sort(w, n);
	f->nint = sg_work_merge(w, n);
	f->ngrp = sg_work_group(w, sg_al_at(al, f->bound), f->nint);
}

int sg_allowlist_build(void *mem, size_t size, const struct sg_prefix *p,
		       u32 n)
{
	struct sg_allowlist *al = mem;
	struct sg_al_work w4, w6;
	u32 i, n4, n6, k4 = 0, k6 = 0;
	size_t need;

	if ((uintptr_t)mem & (SG_ALLOWLIST_ALIGN - 1))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (sg_prefix_check(&p[i], NULL))
			return -EINVAL;
	}
	sg_al_counts(p, n, &n4, &n6);
	need = sg_al_layout(NULL, n4, n6);
	if (!need || size < need)
		return -ENOSPC;
	sg_al_layout(al, n4, n6);

	w4 = (struct sg_al_work) {
		.port = sg_al_at(al, al->f4.port),
		.s4 = sg_al_at(al, al->f4.start),
		.e4 = sg_al_at(al, al->f4.end),
	};
	w6 = (struct sg_al_work) {
		.port = sg_al_at(al, al->f6.port),
		.s6 = sg_al_at(al, al->f6.start),
		.e6 = sg_al_at(al, al->f6.end),
	};
	for (i = 0; i < n; i++) {
		if (p[i].family == SG_AF_INET) {
			u32 a = sg_load32(p[i].addr);

			w4.port[k4] = p[i].port;
			w4.s4[k4] = a;
			w4.e4[k4] = a | sg_hostmask32(p[i].plen);
			k4++;
		} else {
			struct sg_u128 a = sg_load128(p[i].addr);
			struct sg_u128 m = sg_hostmask128(p[i].plen);

			w6.port[k6] = p[i].port;
			w6.s6[k6] = a;
			w6.e6[k6].hi = a.hi | m.hi;
			w6.e6[k6].lo = a.lo | m.lo;
			k6++;
		}
	}
	sg_al_finish(al, &al->f4, &w4, n4);
	sg_al_finish(al, &al->f6, &w6, n6);
	return 0;
}

/*
 * Is @x inside one of @n disjoint sorted intervals?  Find the last start
 * <= x, then compare with its end.  Fixed trip count (ceil(log2 n)), a
 * conditional move per step rather than an unpredictable branch.
 */
static inline bool sg_in4(const u32 *start, const u32 *end, u32 n, u32 x)
{
	const u32 *base = start;

	if (!n || x < start[0])
		return false;
	while (n > 1) {
		u32 half = n / 2;

		base = base[half] <= x ? base + half : base;
		n -= half;
	}
	return x <= end[base - start];
}

static inline bool sg_in6(const struct sg_u128 *start,
			  const struct sg_u128 *end, u32 n, struct sg_u128 x)
{
	u32 i = 0;

	if (!n || !sg_le128(start[0], x))
		return false;
	/* Mask arithmetic: gcc turns a ?: on the 128-bit compare into a
	 * branch, which mispredicts half the time on random addresses.
	 */
	while (n > 1) {
		u32 half = n / 2;

		i += half & (0 - (u32)sg_le128(start[i + half], x));
		n -= half;
	}
	return sg_le128(x, end[i]);
}

/* Group index of @port, or @n if there is none. */
static inline u32 sg_find_port(const u16 *ports, u32 n, u16 port)
{
	const u16 *base = ports;
	u32 len = n;

	if (!len)
		return n;
	while (len > 1) {
		u32 half = len / 2;

		base = base[half] <= port ? base + half : base;
		len -= half;
	}
	return *base == port ? (u32)(base - ports) : n;
}

bool sg_allowlist_match(const struct sg_allowlist *al, u8 family,
			const u8 *addr, u16 port)
{
	const struct sg_al_fam *f;
	const u32 *bound;
	const u16 *ports;
	u32 g;

	if (unlikely(!al))
		return false;
	if (family == SG_AF_INET)
		f = &al->f4;
	else if (family == SG_AF_INET6)
		f = &al->f6;
	else
		return false;
	if (!f->ngrp)
		return false;
	ports = sg_al_cat(al, f->port);
	bound = sg_al_cat(al, f->bound);

	if (family == SG_AF_INET) {
		const u32 *start = sg_al_cat(al, f->start);
		const u32 *end = sg_al_cat(al, f->end);
		u32 x = sg_load32(addr);

		if (ports[0] == 0 && sg_in4(start, end, bound[1], x))
			return true;
		if (!port)
			return false;
		g = sg_find_port(ports, f->ngrp, port);
		return g < f->ngrp &&
		       sg_in4(start + bound[g], end + bound[g],
			      bound[g + 1] - bound[g], x);
	} else {
		const struct sg_u128 *start = sg_al_cat(al, f->start);
		const struct sg_u128 *end = sg_al_cat(al, f->end);
		struct sg_u128 x = sg_load128(addr);

		if (ports[0] == 0 && sg_in6(start, end, bound[1], x))
			return true;
		if (!port)
			return false;
		g = sg_find_port(ports, f->ngrp, port);
		return g < f->ngrp &&
		       sg_in6(start + bound[g], end + bound[g],
			      bound[g + 1] - bound[g], x);
	}
}

/*
 * Does any of @n disjoint sorted intervals meet [@a, @b]?  The last one
 * starting at or before @b has the greatest end of those that could.
 */
static bool sg_meets4(const u32 *start, const u32 *end, u32 n, u32 a, u32 b)
{
	u32 lo = 0, hi = n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (start[mid] <= b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && end[lo - 1] >= a;
}

static bool sg_meets6(const struct sg_u128 *start, const struct sg_u128 *end,
		      u32 n, struct sg_u128 a, struct sg_u128 b)
{
	u32 lo = 0, hi = n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (sg_le128(start[mid], b))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && sg_le128(a, end[lo - 1]);
}

bool sg_allowlist_overlaps(const struct sg_allowlist *al, u8 family,
			   const u8 *addr, u8 plen)
{
	const struct sg_al_fam *f;
	const u32 *bound;
	u32 g;

	if (!al)
		return false;
	f = family == SG_AF_INET ? &al->f4 : family == SG_AF_INET6 ? &al->f6 : NULL;
	if (!f || !f->ngrp)
		return false;
	bound = sg_al_cat(al, f->bound);
	for (g = 0; g < f->ngrp; g++) {
		u32 n = bound[g + 1] - bound[g];

		if (family == SG_AF_INET) {
			const u32 *start = sg_al_cat(al, f->start);
			const u32 *end = sg_al_cat(al, f->end);
			u32 a = sg_load32(addr) & ~sg_hostmask32(plen);

			if (sg_meets4(start + bound[g], end + bound[g], n,
				      a, a | sg_hostmask32(plen)))
				return true;
		} else {
			const struct sg_u128 *start = sg_al_cat(al, f->start);
			const struct sg_u128 *end = sg_al_cat(al, f->end);
			struct sg_u128 m = sg_hostmask128(plen);
			struct sg_u128 a = sg_load128(addr), b;

			a.hi &= ~m.hi;
			a.lo &= ~m.lo;
			b.hi = a.hi | m.hi;
			b.lo = a.lo | m.lo;
			if (sg_meets6(start + bound[g], end + bound[g], n, a, b))
				return true;
		}
	}
	return false;
}

static const struct sg_al_fam *sg_al_fam(const struct sg_allowlist *al,
					 u8 family)
{
	if (!al)
		return NULL;
	if (family == SG_AF_INET)
		return &al->f4;
	if (family == SG_AF_INET6)
		return &al->f6;
	return NULL;
}

u32 sg_allowlist_count(const struct sg_allowlist *al, u8 family)
{
	const struct sg_al_fam *f = sg_al_fam(al, family);

	return f ? f->nint : 0;
}

u32 sg_allowlist_ports(const struct sg_allowlist *al, u8 family)
{
	const struct sg_al_fam *f = sg_al_fam(al, family);

	return f ? f->ngrp : 0;
}

/*
 * Prefix sets with expiry.  Sorted by (family, first, plen), an enclosing
 * prefix comes before everything inside it, so for an address x the last
 * entry starting at or before x is inside the innermost entry holding x,
 * if any: walking up the parent links from it finds that entry within at
 * most 33 (IPv4) or 129 (IPv6) steps.  "until" carries the latest expiry
 * along the chain, so the entry found answers for all its ancestors.
 */
#define SG_PS_NONE	((u32)~0U)
#define SG_PS_NEVER	(~(u64)0)

struct sg_ps_node {
	struct sg_u128 first, last;
	u64 expires;		/* SG_PS_NEVER: permanent */
	u64 until;		/* max(expires) over self and ancestors */
	u32 parent;
	u8 family, plen;
};

struct sg_prefixset {
	u32 n, n4;		/* IPv4 nodes are [0, n4), IPv6 [n4, n) */
	u64 next;		/* earliest expiry, SG_PS_NEVER if none */
	struct sg_ps_node node[];
};

size_t sg_prefixset_size(u32 n)
{
	size_t off = sizeof(struct sg_prefixset);

	if (!sg_grow(&off, n, sizeof(struct sg_ps_node)))
		return 0;
	return off;
}

static bool sg_ps_less(const struct sg_ps_node *a, const struct sg_ps_node *b)
{
	if (a->family != b->family)
		return a->family < b->family;	/* SG_AF_INET (4) first */
	if (a->first.hi != b->first.hi || a->first.lo != b->first.lo)
		return !sg_le128(b->first, a->first);
	return a->plen < b->plen;
}

static void sg_ps_swap(struct sg_ps_node *a, struct sg_ps_node *b)
{
	struct sg_ps_node t = *a;

	*a = *b;
	*b = t;
}

static void sg_ps_sift(struct sg_ps_node *v, u32 root, u32 n)
{
	while (root < n / 2) {
		u32 child = 2 * root + 1;

		if (child + 1 < n && sg_ps_less(&v[child], &v[child + 1]))
			child++;
		if (!sg_ps_less(&v[root], &v[child]))
			break;
		sg_ps_swap(&v[root], &v[child]);
		root = child;
	}
}

static inline bool sg_ps_holds(const struct sg_ps_node *a, const struct sg_ps_node *b)
{
	return a->family == b->family && sg_le128(a->first, b->first) &&
	       sg_le128(b->last, a->last);
}

int sg_prefixset_build(void *mem, size_t size, const struct sg_xprefix *e,
		       u32 n, u64 now)
{
	struct sg_prefixset *s = mem;
	struct sg_ps_node *v;
	u32 i, m = 0;
	size_t need;

	if ((uintptr_t)mem & (SG_PREFIXSET_ALIGN - 1))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (sg_prefix_check(&e[i].p, NULL) || e[i].p.port)
			return -EINVAL;
	need = sg_prefixset_size(n);
	if (!need || size < need)
		return -ENOSPC;
	v = s->node;
	for (i = 0; i < n; i++) {
		const struct sg_prefix *p = &e[i].p;
		struct sg_ps_node *x;

		if (e[i].expires && e[i].expires <= now)
			continue;
		x = &v[m++];
		x->family = p->family;
		x->plen = p->plen;
		x->expires = e[i].expires ?: SG_PS_NEVER;
		if (p->family == SG_AF_INET) {
			u32 a = sg_load32(p->addr);

			x->first = (struct sg_u128){ 0, a };
			x->last = (struct sg_u128){ 0, a | sg_hostmask32(p->plen) };
		} else {
			struct sg_u128 mk = sg_hostmask128(p->plen);

			x->first = sg_load128(p->addr);
			x->last.hi = x->first.hi | mk.hi;
			x->last.lo = x->first.lo | mk.lo;
		}
	}
	for (i = m / 2; i-- > 0; )
		sg_ps_sift(v, i, m);
	for (i = m; i-- > 1; ) {
		sg_ps_swap(&v[0], &v[i]);
		sg_ps_sift(v, 0, i);
	}
	/* Equal prefixes: one entry, the later expiry. */
	n = m;
	m = 0;
	for (i = 0; i < n; i++) {
		if (m && v[m - 1].family == v[i].family && v[m - 1].plen == v[i].plen &&
		    v[m - 1].first.hi == v[i].first.hi && v[m - 1].first.lo == v[i].first.lo) {
			if (v[i].expires > v[m - 1].expires)
				v[m - 1].expires = v[i].expires;
			continue;
		}
		v[m++] = v[i];
	}
	s->n = m;
	s->n4 = 0;
	s->next = SG_PS_NEVER;
	for (i = 0; i < m; i++) {
		/* The enclosing entry is the previous one or one of its ancestors. */
		u32 j = i ? i - 1 : SG_PS_NONE;

		while (j != SG_PS_NONE && !sg_ps_holds(&v[j], &v[i]))
			j = v[j].parent;
		v[i].parent = j;
		v[i].until = v[i].expires;
		if (j != SG_PS_NONE && v[j].until > v[i].until)
			v[i].until = v[j].until;
		if (v[i].family == SG_AF_INET)
			s->n4 = i + 1;
		if (v[i].expires < s->next)
			s->next = v[i].expires;
	}
	return 0;
}

bool sg_prefixset_match(const struct sg_prefixset *s, u8 family,
			const u8 *addr, u64 now)
{
	const struct sg_ps_node *v;
	struct sg_u128 x;
	u32 base, n, i;

	if (!s)
		return false;
	if (family == SG_AF_INET) {
		base = 0;
		n = s->n4;
		x = (struct sg_u128){ 0, sg_load32(addr) };
	} else if (family == SG_AF_INET6) {
		base = s->n4;
		n = s->n - s->n4;
		x = sg_load128(addr);
	} else {
		return false;
	}
	v = s->node + base;
	if (!n || !sg_le128(v[0].first, x))
		return false;
	i = 0;
	while (n > 1) {
		u32 half = n / 2;

		i += half & (0 - (u32)sg_le128(v[i + half].first, x));
		n -= half;
	}
	/* Parents are absolute indexes; the walk is bounded by the nesting depth. */
	i += base;
	while (i != SG_PS_NONE && !sg_le128(x, s->node[i].last))
		i = s->node[i].parent;
	return i != SG_PS_NONE && s->node[i].until > now;
}

u32 sg_prefixset_count(const struct sg_prefixset *s)
{
	return s ? s->n : 0;
}

static void sg_store32(u8 *a, u32 v)
{
	a[0] = v >> 24;
	a[1] = v >> 16;
	a[2] = v >> 8;
	a[3] = v;
}

void sg_prefixset_get(const struct sg_prefixset *s, u32 i, struct sg_xprefix *out)
{
	const struct sg_ps_node *x = &s->node[i];

	memset(out, 0, sizeof(*out));
	out->p.family = x->family;
	out->p.plen = x->plen;
	out->expires = x->expires == SG_PS_NEVER ? 0 : x->expires;
	if (x->family == SG_AF_INET) {
		sg_store32(out->p.addr, (u32)x->first.lo);
	} else {
		sg_store32(out->p.addr, x->first.hi >> 32);
		sg_store32(out->p.addr + 4, (u32)x->first.hi);
		sg_store32(out->p.addr + 8, x->first.lo >> 32);
		sg_store32(out->p.addr + 12, (u32)x->first.lo);
	}
}

u64 sg_prefixset_next_expiry(const struct sg_prefixset *s)
{
	return !s || s->next == SG_PS_NEVER ? 0 : s->next;
}
