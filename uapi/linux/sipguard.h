/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * sipguard: generic netlink interface between the sipguard module and
 * sipguardctl (or any other client).
 *
 * Family name SIPGUARD_GENL_NAME, version SIPGUARD_GENL_VERSION.  All state
 * is per network namespace: a request acts on the namespace of the socket
 * that sent it.  Commands that change state (SET_*, ALLOW_ADD/DEL/FLUSH/
 * REPLACE, a GET_STATS with SIPGUARD_F_RESET) need CAP_NET_ADMIN in the user
 * namespace that owns the network namespace.  Reads are open to every
 * process in the namespace: the configuration and counters are not secret
 * (as `nft list ruleset` is not, to root in the same namespace).
 *
 * Validation is strict: unknown attributes, trailing bytes, wrong lengths
 * and out-of-range values are refused with an extack message saying which
 * attribute and why.  A refused request changes nothing.
 *
 * SIPGUARD_CMD_GET_STATS
 * ----------------------
 *   Request:
 *     SIPGUARD_A_FLAGS: NLA_U32, optional; SIPGUARD_F_RESET returns the
 *                       counters and zeroes them in one step.
 *   Reply:
 *     SIPGUARD_A_VERSION: NLA_NUL_STRING, the module's version
 *     SIPGUARD_A_STATS: NLA_NESTED
 *       SIPGUARD_STAT_*: NLA_U64, one per counter; ignore unknown ones.
 *   Counters are per-CPU and summed on read.  A reset snapshots the sums as
 *   the new zero: an increment racing with a reset shows up either in the
 *   reset's reply or in the next read, never nowhere.
 *
 * SIPGUARD_CMD_GET_CONFIG
 * -----------------------
 *   Request: no attributes.
 *   Reply:
 *     SIPGUARD_A_MODE: NLA_U8, enum sipguard_mode
 *     SIPGUARD_A_POLICY: NLA_U8, enum sipguard_policy
 *     SIPGUARD_A_SIP_PORTS: NLA_NESTED, guarded SIP ports (UDP and TCP)
 *       SIPGUARD_A_PORT_RANGE: NLA_NESTED, one per range, ascending
 *         SIPGUARD_RANGE_A_MIN: NLA_U16
 *         SIPGUARD_RANGE_A_MAX: NLA_U16
 *     SIPGUARD_A_TLS_PORTS: NLA_NESTED, SIP-over-TLS ports: allowlist only,
 *                           never parsed; same layout as SIP_PORTS
 *     SIPGUARD_A_IFACES: NLA_NESTED, guarded ingress interfaces by name;
 *                        empty means every interface but loopback
 *       SIPGUARD_A_IFNAME: NLA_NUL_STRING, one per interface
 *     SIPGUARD_A_ALLOW_COUNT: NLA_U32, allowlist entries
 *
 * SIPGUARD_CMD_SET_CONFIG
 * -----------------------
 *   Request: any of MODE, POLICY, SIP_PORTS, TLS_PORTS, IFACES as in the
 *   GET_CONFIG reply; what is absent stays as it is; a list attribute
 *   present replaces the whole list (an empty nest empties it).  Applied
 *   atomically: packets see either the old or the new configuration whole.
 *   Limits: SIPGUARD_MAX_PORT_RANGES ranges per list, SIPGUARD_MAX_IFACES
 *   interfaces; a port may not be both a SIP and a TLS port.
 *
 * SIPGUARD_CMD_ALLOW_GET (dump)
 * ----------------------
 *   Request: no attributes.  Reply: one message per entry, in the order
 *   they were added:
 *     SIPGUARD_A_PREFIX: NLA_NESTED
 *       SIPGUARD_PREFIX_A_ADDR: NLA_BINARY, 4 (IPv4) or 16 (IPv6) bytes,
 *                               network order
 *       SIPGUARD_PREFIX_A_PLEN: NLA_U8
 *       SIPGUARD_PREFIX_A_PORT: NLA_U16, source port; absent = any port
 *   A dump interrupted by a change is flagged NLM_F_DUMP_INTR.
 *
 * SIPGUARD_CMD_ALLOW_ADD / SIPGUARD_CMD_ALLOW_DEL
 * -----------------------------------------------
 *   Request: SIPGUARD_A_PREFIX as above (PORT 0 or absent = any port).
 *   ADD refuses an entry already present (-EEXIST) or with host bits set
 *   beyond PLEN (-EINVAL); DEL refuses one not present (-ENOENT).
 *   At most SIPGUARD_MAX_ALLOW entries per namespace (-ENOSPC).
 *
 * SIPGUARD_CMD_ALLOW_FLUSH
 * ------------------------
 *   Request: no attributes.  Removes every entry.
 *
 * SIPGUARD_CMD_ALLOW_REPLACE
 * --------------------------
 *   Request:
 *     SIPGUARD_A_PREFIX: NLA_NESTED, as above, zero or more times at the top
 *                        level (a nest could hold only 64 KiB of them): the
 *                        complete new allowlist
 *   The old list is replaced by the new one in one atomic step; one bad or
 *   duplicate entry refuses the whole request and keeps the old list.
 *   Large lists need a large socket send buffer (sipguardctl sets it).
 */

#ifndef _UAPI_LINUX_SIPGUARD_H
#define _UAPI_LINUX_SIPGUARD_H

#define SIPGUARD_GENL_NAME	"sipguard"
#define SIPGUARD_GENL_VERSION	1

#define SIPGUARD_MAX_PORT_RANGES	64
#define SIPGUARD_MAX_IFACES		32
#define SIPGUARD_MAX_ALLOW		100000

enum sipguard_cmd {
	SIPGUARD_CMD_UNSPEC,
	SIPGUARD_CMD_GET_STATS,
	SIPGUARD_CMD_GET_CONFIG,
	SIPGUARD_CMD_SET_CONFIG,
	SIPGUARD_CMD_ALLOW_GET,
	SIPGUARD_CMD_ALLOW_ADD,
	SIPGUARD_CMD_ALLOW_DEL,
	SIPGUARD_CMD_ALLOW_FLUSH,
	SIPGUARD_CMD_ALLOW_REPLACE,
	__SIPGUARD_CMD_MAX
};
#define SIPGUARD_CMD_MAX (__SIPGUARD_CMD_MAX - 1)

enum sipguard_attr {
	SIPGUARD_A_UNSPEC,
	SIPGUARD_A_PAD,
	SIPGUARD_A_VERSION,
	SIPGUARD_A_FLAGS,
	SIPGUARD_A_STATS,
	SIPGUARD_A_MODE,
	SIPGUARD_A_POLICY,
	SIPGUARD_A_SIP_PORTS,
	SIPGUARD_A_TLS_PORTS,
	SIPGUARD_A_IFACES,
	SIPGUARD_A_ALLOW_COUNT,
	SIPGUARD_A_PREFIX,
	__SIPGUARD_A_LAST
};
#define SIPGUARD_A_MAX (__SIPGUARD_A_LAST - 1)

/* Items of the list attributes SIP_PORTS/TLS_PORTS and IFACES. */
enum sipguard_list_attr {
	SIPGUARD_A_LIST_UNSPEC,
	SIPGUARD_A_PORT_RANGE,
	SIPGUARD_A_IFNAME,
	__SIPGUARD_A_LIST_LAST
};
#define SIPGUARD_A_LIST_MAX (__SIPGUARD_A_LIST_LAST - 1)

enum sipguard_range_attr {
	SIPGUARD_RANGE_A_UNSPEC,
	SIPGUARD_RANGE_A_MIN,
	SIPGUARD_RANGE_A_MAX,
	__SIPGUARD_RANGE_A_LAST
};
#define SIPGUARD_RANGE_A_MAX_ID (__SIPGUARD_RANGE_A_LAST - 1)

enum sipguard_prefix_attr {
	SIPGUARD_PREFIX_A_UNSPEC,
	SIPGUARD_PREFIX_A_ADDR,
	SIPGUARD_PREFIX_A_PLEN,
	SIPGUARD_PREFIX_A_PORT,
	__SIPGUARD_PREFIX_A_LAST
};
#define SIPGUARD_PREFIX_A_MAX (__SIPGUARD_PREFIX_A_LAST - 1)

enum sipguard_flags {
	SIPGUARD_F_RESET = 1U << 0,
	__SIPGUARD_F_ALL = SIPGUARD_F_RESET
};

/*
 * off: no packet is inspected or counted.  monitor: every decision is made
 * and counted, nothing is dropped (would-be drops count as WOULD_DROP).
 * enforce: drops are real.
 */
enum sipguard_mode {
	SIPGUARD_MODE_OFF,
	SIPGUARD_MODE_MONITOR,
	SIPGUARD_MODE_ENFORCE,
	__SIPGUARD_MODE_LAST
};
#define SIPGUARD_MODE_MAX (__SIPGUARD_MODE_LAST - 1)

/*
 * What happens to SIP from sources not on the allowlist.  strict: dropped
 * unparsed (TCP: every segment, so no connection forms).  open: passed if
 * it parses as SIP (rate limits and signatures come on top of this).
 */
enum sipguard_policy {
	SIPGUARD_POLICY_STRICT,
	SIPGUARD_POLICY_OPEN,
	__SIPGUARD_POLICY_LAST
};
#define SIPGUARD_POLICY_MAX (__SIPGUARD_POLICY_LAST - 1)

/*
 * Counters, nested in SIPGUARD_A_STATS.  Numbering is ABI: new counters are
 * only ever appended.  Every packet to a guarded port counts once in
 * SIP_UDP or SIP_TCP, once in SIP_IPV4 or SIP_IPV6, and once in exactly one
 * of the decision counters UNGUARDED_IFACE .. DROP_MALFORMED; a drop then
 * counts once in DROPPED (enforce) or WOULD_DROP (monitor).  METHOD_* count
 * the messages that were parsed (untrusted, open policy), RESPONSE the
 * parsed responses.
 */
enum sipguard_stat {
	SIPGUARD_STAT_UNSPEC,
	SIPGUARD_STAT_PAD,
	SIPGUARD_STAT_SIP_UDP,
	SIPGUARD_STAT_SIP_TCP,
	SIPGUARD_STAT_SIP_IPV4,
	SIPGUARD_STAT_SIP_IPV6,
	/* decisions */
	SIPGUARD_STAT_UNGUARDED_IFACE,	/* arrived on an interface not guarded */
	SIPGUARD_STAT_PASS_TRUSTED,	/* source on the allowlist */
	SIPGUARD_STAT_PASS_OPEN,	/* untrusted, open policy, parsed fine */
	SIPGUARD_STAT_DROP_UNTRUSTED,	/* untrusted, strict policy */
	SIPGUARD_STAT_DROP_TLS,		/* untrusted, to a TLS port */
	SIPGUARD_STAT_DROP_MALFORMED,	/* untrusted, open policy, not SIP */
	/* verdicts */
	SIPGUARD_STAT_DROPPED,
	SIPGUARD_STAT_WOULD_DROP,
	/* parsed messages */
	SIPGUARD_STAT_METHOD_INVITE,
	SIPGUARD_STAT_METHOD_ACK,
	SIPGUARD_STAT_METHOD_BYE,
	SIPGUARD_STAT_METHOD_CANCEL,
	SIPGUARD_STAT_METHOD_REGISTER,
	SIPGUARD_STAT_METHOD_OPTIONS,
	SIPGUARD_STAT_METHOD_OTHER,
	SIPGUARD_STAT_RESPONSE,
	__SIPGUARD_STAT_LAST
};
#define SIPGUARD_STAT_MAX (__SIPGUARD_STAT_LAST - 1)

#endif /* _UAPI_LINUX_SIPGUARD_H */
