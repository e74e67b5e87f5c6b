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
#endif /* __KERNEL__ */

#endif /* _SIPGUARD_SG_TYPES_H */
