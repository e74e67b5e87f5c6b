/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Type shim for the kernel-independent parts of sipguard (SIP parser,
 * allowlist matching, token-bucket arithmetic).  Those files include only
 * this header, so the very same source builds into sipguard.ko and into the
 * userspace unit tests, fuzzers and benchmarks under tools/.
 */
#ifndef _SIPGUARD_SG_TYPES_H
#define _SIPGUARD_SG_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/compiler.h>
#include <linux/math64.h>

/*
 * 64-bit divisions go through these: a 32-bit kernel has no libgcc to do a
 * plain u64 '/' (the module would not link: __udivdi3, __aeabi_uldivmod).
 */
#define sg_div_u64(n, d)	div_u64(n, d)		/* u64 / u32 */
#define sg_div64_u64(n, d)	div64_u64(n, d)		/* u64 / u64 */
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

static inline u64 sg_div_u64(u64 n, u32 d)
{
	return n / d;
}

static inline u64 sg_div64_u64(u64 n, u64 d)
{
	return n / d;
}
#endif /* __KERNEL__ */

#endif /* _SIPGUARD_SG_TYPES_H */
