/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `sipguardctl monitor --log`: bans, unbans and expiries as one stable
 * line each, for the journal and the tools that read it (fail2ban,
 * CrowdSec).  The format is in sipguardctl(8), EVENT LOG.
 */
#ifndef SIPGUARDCTL_EVLOG_H
#define SIPGUARDCTL_EVLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "prefix.h"

/* Name the namespace in every line: -n's argument, else its inode. */
void evlog_init(const char *netns);
/* A ban of @src (masked, @src->plen set) for @seconds, by counter @reason. */
void evlog_ban(const struct prefix *src, uint16_t reason, uint32_t seconds,
	       bool has_failures, uint32_t failures, uint32_t flags);
/*
 * What a ban event's SIPGUARD_A_FLAGS say trusts its prefix: "allowlist",
 * "registrar", "allowlist,registrar", or NULL for nothing.
 */
const char *evlog_trusted(uint32_t flags);
/* An UNBAN request: @src, or every source (@src NULL); by @pid (@comm). */
void evlog_unban(const struct prefix *src, uint32_t count, uint32_t pid, const char *comm);
/* Events missed by this listener: @suppressed by the kernel's rate limit. */
void evlog_missed(uint64_t missed, uint64_t suppressed);
/*
 * Print the expiry of every ban whose time is up; returns the milliseconds
 * until the next one, or -1 when none is pending (poll()'s timeout).
 */
int evlog_expire(void);

#endif
