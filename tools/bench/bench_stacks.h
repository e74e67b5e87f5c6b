/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The interface between bench_parser.c and the wrappers around other SIP
 * stacks.  libre's <re.h> declares its own struct sip_msg, so each stack is
 * in a translation unit of its own and only these functions cross over.
 * Each parse function parses one message and returns a value derived from
 * the result, which the caller folds into a sink so no work can be elided.
 */
#ifndef _SIPGUARD_BENCH_STACKS_H
#define _SIPGUARD_BENCH_STACKS_H

#include <stddef.h>
#include <stdint.h>

int osip_bench_init(void);
unsigned long osip_bench_parse(const uint8_t *buf, size_t len);

/* libre decodes from an mbuf: one per message, made once, rewound per run */
void *re_bench_prepare(const uint8_t *buf, size_t len);
unsigned long re_bench_parse(void *mb);

#endif
