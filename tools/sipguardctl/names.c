// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the kernel's counters as sipguardctl prints them, in text and in
 * JSON alike: stable keys, documented in sipguardctl(8).
 */
#include <stddef.h>
#include <linux/sipguard.h>

#include "sipguardctl.h"

static const char *const stat_names[] = {
	[SIPGUARD_STAT_SIP_UDP]		= "sip_udp",
	[SIPGUARD_STAT_SIP_TCP]		= "sip_tcp",
	[SIPGUARD_STAT_SIP_IPV4]	= "sip_ipv4",
	[SIPGUARD_STAT_SIP_IPV6]	= "sip_ipv6",
};

/* NULL for a counter this sipguardctl does not know (a newer module). */
const char *stat_name(unsigned int id)
{
	if (id >= sizeof(stat_names) / sizeof(stat_names[0]))
		return NULL;
	return stat_names[id];
}
