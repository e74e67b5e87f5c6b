/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * sipguard: generic netlink interface between the sipguard module and
 * sipguardctl (or any other client, e.g. the kernel's generic ynl CLI).
 *
 * Family name SIPGUARD_GENL_NAME, version SIPGUARD_GENL_VERSION.  All state
 * is per network namespace: a request acts on the namespace of the socket
 * that sent it.  Commands that change state need CAP_NET_ADMIN in the user
 * namespace that owns the network namespace; reads are open to everyone in
 * the namespace (the counters and the configuration are not secrets, just
 * as `nft list ruleset` output is not to root in the same netns).
 *
 * SIPGUARD_CMD_GET_STATS
 * ----------------------
 *
 *   Request: no attributes, or
 *     SIPGUARD_A_FLAGS: NLA_U32, SIPGUARD_F_RESET: return the counters and
 *                       reset them to zero in one step (needs CAP_NET_ADMIN).
 *
 *   Reply:
 *     SIPGUARD_A_VERSION: NLA_NUL_STRING, the module's version string
 *     SIPGUARD_A_STATS: NLA_NESTED
 *       SIPGUARD_STAT_*: NLA_U64, one attribute per counter (see below);
 *                        counters a client does not know must be ignored.
 *
 * Counters are summed over all CPUs.  A reset snapshots the sums as the new
 * zero, so an increment that races with a reset is never lost: it shows up
 * either in the reply of the reset or in the next read.
 */

#ifndef _UAPI_LINUX_SIPGUARD_H
#define _UAPI_LINUX_SIPGUARD_H

#define SIPGUARD_GENL_NAME	"sipguard"
#define SIPGUARD_GENL_VERSION	1

enum sipguard_cmd {
	SIPGUARD_CMD_UNSPEC,
	SIPGUARD_CMD_GET_STATS,
	__SIPGUARD_CMD_MAX
};
#define SIPGUARD_CMD_MAX (__SIPGUARD_CMD_MAX - 1)

enum sipguard_attr {
	SIPGUARD_A_UNSPEC,
	SIPGUARD_A_PAD,
	SIPGUARD_A_VERSION,
	SIPGUARD_A_FLAGS,
	SIPGUARD_A_STATS,
	__SIPGUARD_A_LAST
};
#define SIPGUARD_A_MAX (__SIPGUARD_A_LAST - 1)

enum sipguard_flags {
	SIPGUARD_F_RESET = 1U << 0,
	__SIPGUARD_F_ALL = SIPGUARD_F_RESET
};

/*
 * Counters, nested in SIPGUARD_A_STATS.  Numbering is ABI: new counters are
 * only ever appended.
 */
enum sipguard_stat {
	SIPGUARD_STAT_UNSPEC,
	SIPGUARD_STAT_PAD,
	/* Packets to a guarded SIP port that reached the hook, by L4 and L3. */
	SIPGUARD_STAT_SIP_UDP,
	SIPGUARD_STAT_SIP_TCP,
	SIPGUARD_STAT_SIP_IPV4,
	SIPGUARD_STAT_SIP_IPV6,
	__SIPGUARD_STAT_LAST
};
#define SIPGUARD_STAT_MAX (__SIPGUARD_STAT_LAST - 1)

#endif /* _UAPI_LINUX_SIPGUARD_H */
