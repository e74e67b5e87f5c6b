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

/* Statistics: merged address intervals / distinct ports held for @family. */
u32 sg_allowlist_count(const struct sg_allowlist *al, u8 family);
u32 sg_allowlist_ports(const struct sg_allowlist *al, u8 family);

#endif /* _SIPGUARD_ALLOWLIST_H */
