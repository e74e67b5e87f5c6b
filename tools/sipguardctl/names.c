// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the kernel's counters as sipguardctl prints them, in text and in
 * JSON alike: stable keys, documented in sipguardctl(8).
 */
#include <stddef.h>
#include <linux/sipguard.h>

#include "names.h"

static const char *const stat_names[] = {
	[SIPGUARD_STAT_SIP_UDP]		= "sip_udp",
	[SIPGUARD_STAT_SIP_TCP]		= "sip_tcp",
	[SIPGUARD_STAT_SIP_IPV4]	= "sip_ipv4",
	[SIPGUARD_STAT_SIP_IPV6]	= "sip_ipv6",
	[SIPGUARD_STAT_UNGUARDED_IFACE]	= "unguarded_iface",
	[SIPGUARD_STAT_PASS_TRUSTED]	= "pass_trusted",
	[SIPGUARD_STAT_PASS_OPEN]	= "pass_open",
	[SIPGUARD_STAT_DROP_UNTRUSTED]	= "drop_untrusted",
	[SIPGUARD_STAT_DROP_TLS]	= "drop_tls",
	[SIPGUARD_STAT_DROP_MALFORMED]	= "drop_malformed",
	[SIPGUARD_STAT_DROPPED]		= "dropped",
	[SIPGUARD_STAT_WOULD_DROP]	= "would_drop",
	[SIPGUARD_STAT_METHOD_INVITE]	= "method_invite",
	[SIPGUARD_STAT_METHOD_ACK]	= "method_ack",
	[SIPGUARD_STAT_METHOD_BYE]	= "method_bye",
	[SIPGUARD_STAT_METHOD_CANCEL]	= "method_cancel",
	[SIPGUARD_STAT_METHOD_REGISTER]	= "method_register",
	[SIPGUARD_STAT_METHOD_OPTIONS]	= "method_options",
	[SIPGUARD_STAT_METHOD_OTHER]	= "method_other",
	[SIPGUARD_STAT_RESPONSE]	= "response",
	[SIPGUARD_STAT_KEEPALIVE]	= "keepalive",
	[SIPGUARD_STAT_TCP_CONTINUATION] = "tcp_continuation",
	[SIPGUARD_STAT_BAD_L4]		= "bad_l4",
	[SIPGUARD_STAT_DROP_BANNED]	= "drop_banned",
	[SIPGUARD_STAT_DROP_RATE]	= "drop_rate",
	[SIPGUARD_STAT_DROP_BUDGET]	= "drop_budget",
	[SIPGUARD_STAT_DROP_SIGNATURE]	= "drop_signature",
	[SIPGUARD_STAT_DROP_INVITE]	= "drop_invite",
	[SIPGUARD_STAT_BANS]		= "bans",
	[SIPGUARD_STAT_SRC_EVICTED]	= "src_evicted",
	[SIPGUARD_STAT_SRC_NOROOM]	= "src_noroom",
	[SIPGUARD_STAT_PASS_LEARNED]	= "pass_learned",
	[SIPGUARD_STAT_LEARN_REGISTER]	= "learn_register",
	[SIPGUARD_STAT_LEARN_CONFIRMED]	= "learn_confirmed",
	[SIPGUARD_STAT_LEARN_FORGOTTEN]	= "learn_forgotten",
	[SIPGUARD_STAT_LEARN_FULL]	= "learn_full",
	[SIPGUARD_STAT_EVENTS_SENT]	= "events_sent",
	[SIPGUARD_STAT_EVENTS_SUPPRESSED] = "events_suppressed",
	[SIPGUARD_STAT_XDP_DROP_UNTRUSTED] = "xdp_drop_untrusted",
	[SIPGUARD_STAT_XDP_DROP_TLS]	= "xdp_drop_tls",
	[SIPGUARD_STAT_XDP_DROP_BANNED]	= "xdp_drop_banned",
	[SIPGUARD_STAT_DROP_FAILURES]	= "drop_failures",
	[SIPGUARD_STAT_FAILURES]	= "failures",
	[SIPGUARD_STAT_FAILURES_UNMATCHED] = "failures_unmatched",
	[SIPGUARD_STAT_BANS_MANUAL]	= "bans_manual",
	[SIPGUARD_STAT_DROP_DENY]	= "drop_deny",
	[SIPGUARD_STAT_PASS_NOT_SIP]	= "pass_not_sip",
	[SIPGUARD_STAT_LEARN_PORT_GUARDED] = "learn_port_guarded",
	[SIPGUARD_STAT_REGISTER_UNGUARDED] = "register_unguarded",
};

/* NULL for a counter this sipguardctl does not know (a newer module). */
const char *stat_name(unsigned int id)
{
	if (id >= sizeof(stat_names) / sizeof(stat_names[0]))
		return NULL;
	return stat_names[id];
}
