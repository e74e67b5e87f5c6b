// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's counters as sipguardctl prints them (names.h): the key, the
 * same in text and JSON and in the Prometheus names sipguard_KEY_total,
 * documented in sipguardctl(8) and sipguard(4); the HELP text; the
 * labelled family.  A counter appended to uapi/linux/sipguard.h gets its
 * row here: test_names fails while it has none.
 */
#include <stddef.h>
#include <linux/sipguard.h>

#include "names.h"

static const struct stat_info stats[] = {
	[SIPGUARD_STAT_SIP_UDP] = { "sip_udp",
		"UDP packets to a guarded SIP or TLS port." },
	[SIPGUARD_STAT_SIP_TCP] = { "sip_tcp",
		"TCP segments to a guarded SIP or TLS port." },
	[SIPGUARD_STAT_SIP_IPV4] = { "sip_ipv4",
		"IPv4 packets to a guarded SIP or TLS port." },
	[SIPGUARD_STAT_SIP_IPV6] = { "sip_ipv6",
		"IPv6 packets to a guarded SIP or TLS port (or whose header chain cannot be walked)." },
	[SIPGUARD_STAT_UNGUARDED_IFACE] = { "unguarded_iface",
		"Decision: arrived on an interface that is not guarded; passed." },
	[SIPGUARD_STAT_PASS_TRUSTED] = { "pass_trusted",
		"Decision: source on the allowlist; passed." },
	[SIPGUARD_STAT_PASS_OPEN] = { "pass_open",
		"Decision: untrusted source, open policy, parsed as SIP and within its limits; passed." },
	[SIPGUARD_STAT_DROP_UNTRUSTED] = { "drop_untrusted",
		"Decision: untrusted source under the strict policy; dropped.",
		FAM_DROPS, "untrusted" },
	[SIPGUARD_STAT_DROP_TLS] = { "drop_tls",
		"Decision: untrusted source to a TLS port; dropped.",
		FAM_DROPS, "tls" },
	[SIPGUARD_STAT_DROP_MALFORMED] = { "drop_malformed",
		"Decision: untrusted source, open policy, not SIP; dropped.",
		FAM_DROPS, "malformed" },
	[SIPGUARD_STAT_DROPPED] = { "dropped",
		"Packets dropped (enforce mode), by the hook or the XDP tier." },
	[SIPGUARD_STAT_WOULD_DROP] = { "would_drop",
		"Packets that would have been dropped (monitor mode); passed." },
	[SIPGUARD_STAT_METHOD_INVITE] = { "method_invite",
		"INVITE requests parsed from untrusted sources (open policy).",
		FAM_REQUESTS, "INVITE" },
	[SIPGUARD_STAT_METHOD_ACK] = { "method_ack",
		"ACK requests parsed from untrusted sources (open policy).",
		FAM_REQUESTS, "ACK" },
	[SIPGUARD_STAT_METHOD_BYE] = { "method_bye",
		"BYE requests parsed from untrusted sources (open policy).",
		FAM_REQUESTS, "BYE" },
	[SIPGUARD_STAT_METHOD_CANCEL] = { "method_cancel",
		"CANCEL requests parsed from untrusted sources (open policy).",
		FAM_REQUESTS, "CANCEL" },
	[SIPGUARD_STAT_METHOD_REGISTER] = { "method_register",
		"REGISTER requests parsed from untrusted sources (open policy).",
		FAM_REQUESTS, "REGISTER" },
	[SIPGUARD_STAT_METHOD_OPTIONS] = { "method_options",
		"OPTIONS requests parsed from untrusted sources (open policy).",
		FAM_REQUESTS, "OPTIONS" },
	[SIPGUARD_STAT_METHOD_OTHER] = { "method_other",
		"Requests of other methods parsed from untrusted sources (open policy).",
		FAM_REQUESTS, "other" },
	[SIPGUARD_STAT_RESPONSE] = { "response",
		"Responses parsed from untrusted sources (open policy)." },
	[SIPGUARD_STAT_KEEPALIVE] = { "keepalive",
		"Decision: untrusted source, open policy, a keepalive (CRLF, STUN or empty); passed." },
	[SIPGUARD_STAT_TCP_CONTINUATION] = { "tcp_continuation",
		"Decision: untrusted source, open policy, TCP data that starts no message; passed." },
	[SIPGUARD_STAT_BAD_L4] = { "bad_l4",
		"Decision: the transport header (or the IPv6 header chain) cannot be read; dropped.",
		FAM_DROPS, "bad_l4" },
	[SIPGUARD_STAT_DROP_BANNED] = { "drop_banned",
		"Decision: the source is banned; dropped unparsed.",
		FAM_DROPS, "banned" },
	[SIPGUARD_STAT_DROP_RATE] = { "drop_rate",
		"Decision: the source is over its rate; dropped.",
		FAM_DROPS, "rate" },
	[SIPGUARD_STAT_DROP_BUDGET] = { "drop_budget",
		"Decision: the namespace's budget for untrusted SIP is spent; dropped.",
		FAM_DROPS, "budget" },
	[SIPGUARD_STAT_DROP_SIGNATURE] = { "drop_signature",
		"Decision: the User-Agent matches a scanner signature; dropped, the source banned.",
		FAM_DROPS, "signature" },
	[SIPGUARD_STAT_DROP_INVITE] = { "drop_invite",
		"Decision: an out-of-dialog INVITE from an untrusted source, refused; dropped.",
		FAM_DROPS, "invite" },
	[SIPGUARD_STAT_BANS] = { "bans",
		"Sources banned, for any reason." },
	[SIPGUARD_STAT_SRC_EVICTED] = { "src_evicted",
		"Entries evicted from a full source table." },
	[SIPGUARD_STAT_SRC_NOROOM] = { "src_noroom",
		"New sources not remembered (table chain full, or no memory); judged without an entry." },
	[SIPGUARD_STAT_PASS_LEARNED] = { "pass_learned",
		"Decision: from a learned registrar; passed." },
	[SIPGUARD_STAT_LEARN_REGISTER] = { "learn_register",
		"Outbound REGISTER requests seen by registrar learning." },
	[SIPGUARD_STAT_LEARN_CONFIRMED] = { "learn_confirmed",
		"Registrations confirmed by a 2xx answer: their registrar trusted." },
	[SIPGUARD_STAT_LEARN_FORGOTTEN] = { "learn_forgotten",
		"Unregistrations confirmed: that registration forgotten." },
	[SIPGUARD_STAT_LEARN_FULL] = { "learn_full",
		"REGISTERs not learned: learn-max servers (or 1024 registrations) already known." },
	[SIPGUARD_STAT_EVENTS_SENT] = { "events_sent",
		"Messages sent to the events multicast group." },
	[SIPGUARD_STAT_EVENTS_SUPPRESSED] = { "events_suppressed",
		"Events held back by the rate limit or for lack of memory." },
	[SIPGUARD_STAT_XDP_DROP_UNTRUSTED] = { "xdp_drop_untrusted",
		"Decision of the XDP tier: untrusted source under the strict policy; dropped at the driver.",
		FAM_XDP_DROPS, "untrusted" },
	[SIPGUARD_STAT_XDP_DROP_TLS] = { "xdp_drop_tls",
		"Decision of the XDP tier: untrusted source to a TLS port; dropped at the driver.",
		FAM_XDP_DROPS, "tls" },
	[SIPGUARD_STAT_XDP_DROP_BANNED] = { "xdp_drop_banned",
		"Decision of the XDP tier: the source is banned; dropped at the driver.",
		FAM_XDP_DROPS, "banned" },
	[SIPGUARD_STAT_DROP_FAILURES] = { "drop_failures",
		"Sources banned for failure answers of the PBX (their packets then count as banned)." },
	[SIPGUARD_STAT_FAILURES] = { "failures",
		"Failure answers to a request their destination sent, counted towards its ban." },
	[SIPGUARD_STAT_FAILURES_UNMATCHED] = { "failures_unmatched",
		"Failure answers to no request that was seen; ignored." },
	[SIPGUARD_STAT_BANS_MANUAL] = { "bans_manual",
		"Sources banned by sipguardctl ban." },
	[SIPGUARD_STAT_DROP_DENY] = { "drop_deny",
		"Decision: the source is on the denylist (open policy); dropped unparsed.",
		FAM_DROPS, "deny" },
};

const struct stat_info *stat_info(unsigned int id)
{
	if (id >= sizeof(stats) / sizeof(stats[0]) || !stats[id].name)
		return NULL;
	return &stats[id];
}

const char *stat_name(unsigned int id)
{
	const struct stat_info *s = stat_info(id);

	return s ? s->name : NULL;
}
