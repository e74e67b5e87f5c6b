/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Allowlist of trusted source prefixes (IPv4/IPv6, optional source port).
 *
 * The configuration is compiled in process context into one immutable,
 * self-contained buffer (no pointers, only offsets inside it) which the
 * module publishes with rcu_assign_pointer() and frees with a single kvfree()
 * after a grace period.  The datapath only ever calls sg_allowlist_match(),
 * which never allocates, never recurses and uses a small constant stack.
 *
 * Kernel-independent: this file and allowlist.c include only sg_types.h
 * (and errno), so the same code is unit tested and benchmarked in userspace.
 */
#ifndef _SIPGUARD_ALLOWLIST_H
#define _SIPGUARD_ALLOWLIST_H

#include "sg_types.h"

#define SG_AF_INET	4
#define SG_AF_INET6	6

/* One user-facing allowlist entry, as carried over netlink. */
struct sg_prefix {
	u8 family;		/* SG_AF_INET or SG_AF_INET6 */
	u8 plen;		/* <= 32 or <= 128 */
	u16 port;		/* source port, host order; 0 = any port */
	u8 addr[16];		/* network order; IPv4 in addr[0..3], rest 0 */
};

/* Opaque compiled allowlist; lives in the buffer given to the builder. */
struct sg_allowlist;

/* Required alignment of the buffer given to sg_allowlist_build(). */
#define SG_ALLOWLIST_ALIGN	8

/*
 * Validate one entry.  Returns 0, or -EINVAL with *why (if @why is not NULL)
 * pointing at a static message suitable for extack.  Host bits beyond the
 * prefix length are an error, never silently masked.
 */
int sg_prefix_check(const struct sg_prefix *p, const char **why);

/* Same family, prefix length, port and address (all 16 bytes compared). */
bool sg_prefix_equal(const struct sg_prefix *a, const struct sg_prefix *b);

/*
 * Upper bound of the bytes sg_allowlist_build() needs for these @n entries,
 * or 0 if that would overflow size_t.  Never 0 for a valid input, also not
 * for n == 0 (an empty allowlist is a valid object).
 */
size_t sg_allowlist_size(const struct sg_prefix *p, u32 n);

/*
 * Compile @n entries into @mem (@size bytes, SG_ALLOWLIST_ALIGN aligned).
 * Process context only: may take milliseconds for 100,000 entries, never
 * sleeps or allocates.  Duplicates and nested entries are fine.
 * Returns 0, -EINVAL (an entry fails sg_prefix_check(), or @mem misaligned)
 * or -ENOSPC (@size too small).  On error @mem holds no usable allowlist.
 */
int sg_allowlist_build(void *mem, size_t size, const struct sg_prefix *p,
		       u32 n);

/*
 * Is @addr (network order, 4 or 16 bytes by @family) with source @port
 * (host order) trusted?  An entry with port 0 matches every port, an entry
 * with port N only packets from port N.  A NULL @al is an empty allowlist.
 * Safe in any context (softirq, under RCU): read-only, O(log n).
 */
bool sg_allowlist_match(const struct sg_allowlist *al, u8 family,
			const u8 *addr, u16 port);

/*
 * Does any entry, of any port, share an address with @addr/@plen?  For a
 * ban's prefix: a source trusted on some port, or inside a banned /64, is
 * not one to report to others.  Read-only, O(groups * log n).
 */
bool sg_allowlist_overlaps(const struct sg_allowlist *al, u8 family,
			   const u8 *addr, u8 plen);

/* Statistics: merged address intervals / distinct ports held for @family. */
u32 sg_allowlist_count(const struct sg_allowlist *al, u8 family);
u32 sg_allowlist_ports(const struct sg_allowlist *al, u8 family);

/*
 * Prefix sets with expiry (the denylist, one set per origin).
 *
 * Unlike the allowlist, entries are not merged into intervals: each keeps
 * its own expiry and can be listed and removed again.  CIDR prefixes are
 * either nested or disjoint, so the compiled set is a forest sorted by
 * (family, first address, prefix length) where each entry knows its
 * innermost enclosing entry, and the latest expiry along that chain.
 * Times are opaque u64 ticks the caller chooses (jiffies64 in the kernel);
 * an expiry of 0 means never.  A match at @now counts entries whose expiry
 * is later than @now.
 */
struct sg_xprefix {
	struct sg_prefix p;	/* port must be 0 */
	u64 expires;		/* 0: never */
};

struct sg_prefixset;

#define SG_PREFIXSET_ALIGN	8

/* Bytes sg_prefixset_build() needs for @n entries; 0 on overflow. */
size_t sg_prefixset_size(u32 n);

/*
 * Compile @n entries into @mem; process context, no allocation.  Equal
 * prefixes become one entry with the later expiry (never beats any time).
 * Entries expired at @now are left out.  Returns 0, -EINVAL (a bad prefix,
 * a port, or misaligned @mem) or -ENOSPC (@size too small).
 */
int sg_prefixset_build(void *mem, size_t size, const struct sg_xprefix *e,
		       u32 n, u64 now);

/* Is @addr inside an entry that has not expired at @now?  NULL: empty. */
bool sg_prefixset_match(const struct sg_prefixset *s, u8 family,
			const u8 *addr, u64 now);

/* Entries held (expired ones too, until the next build). */
u32 sg_prefixset_count(const struct sg_prefixset *s);

/* Entry @i in sorted order, 0 <= i < count. */
void sg_prefixset_get(const struct sg_prefixset *s, u32 i, struct sg_xprefix *out);

/* The earliest expiry of any entry, 0 if every entry is permanent. */
u64 sg_prefixset_next_expiry(const struct sg_prefixset *s);

#endif /* _SIPGUARD_ALLOWLIST_H */
