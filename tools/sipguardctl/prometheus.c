// SPDX-License-Identifier: GPL-2.0
/*
 * `sipguardctl stats prometheus`: the counters in the Prometheus text
 * exposition format, for node_exporter's textfile collector:
 *
 *	sipguardctl stats prometheus > sipguard.prom.tmp &&
 *		mv sipguard.prom.tmp /var/lib/prometheus/node-exporter/sipguard.prom
 *
 * Metric names are stable (sipguard(4) lists them): every counter KEY of
 * `sipguardctl stats` is sipguard_KEY_total; sipguard_info carries the
 * module's version, mode and policy as labels, sipguard_allowlist_entries
 * the size of the allowlist.  Counters a newer module has and this
 * sipguardctl does not know are left out rather than given a name that
 * would change once it learns theirs.  A counter without a HELP text
 * below gets its name as HELP.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/sipguard.h>

#include "config.h"
#include "ctl.h"
#include "genl.h"
#include "grammar.h"
#include "names.h"
#include "prometheus.h"

static const char *const stat_help[] = {
	[SIPGUARD_STAT_SIP_UDP]		= "UDP packets to a guarded port that were inspected.",
	[SIPGUARD_STAT_SIP_TCP]		= "TCP segments to a guarded port that were inspected.",
	[SIPGUARD_STAT_SIP_IPV4]	= "IPv4 packets to a guarded port that were inspected.",
	[SIPGUARD_STAT_SIP_IPV6]	= "IPv6 packets to a guarded port that were inspected.",
	[SIPGUARD_STAT_UNGUARDED_IFACE]	= "Packets passed: arrived on an interface that is not guarded.",
	[SIPGUARD_STAT_PASS_TRUSTED]	= "Packets passed: source on the allowlist.",
	[SIPGUARD_STAT_PASS_OPEN]	= "Packets passed: untrusted, open policy, parsed as SIP.",
	[SIPGUARD_STAT_DROP_UNTRUSTED]	= "Drop decisions: untrusted source, strict policy.",
	[SIPGUARD_STAT_DROP_TLS]	= "Drop decisions: untrusted source to a TLS port.",
	[SIPGUARD_STAT_DROP_MALFORMED]	= "Drop decisions: untrusted, open policy, not SIP.",
	[SIPGUARD_STAT_DROPPED]		= "Packets dropped (enforce mode).",
	[SIPGUARD_STAT_WOULD_DROP]	= "Packets that would have been dropped (monitor mode).",
	[SIPGUARD_STAT_METHOD_INVITE]	= "INVITE requests parsed (open policy).",
	[SIPGUARD_STAT_METHOD_ACK]	= "ACK requests parsed (open policy).",
	[SIPGUARD_STAT_METHOD_BYE]	= "BYE requests parsed (open policy).",
	[SIPGUARD_STAT_METHOD_CANCEL]	= "CANCEL requests parsed (open policy).",
	[SIPGUARD_STAT_METHOD_REGISTER]	= "REGISTER requests parsed (open policy).",
	[SIPGUARD_STAT_METHOD_OPTIONS]	= "OPTIONS requests parsed (open policy).",
	[SIPGUARD_STAT_METHOD_OTHER]	= "Requests of other methods parsed (open policy).",
	[SIPGUARD_STAT_RESPONSE]	= "Responses parsed (open policy).",
};

/* A label value: backslash, double quote and newline escaped. */
static void label(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			printf("\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
	putchar('"');
}

int print_prometheus(struct sg_nl *nl, const char *version, const uint64_t *v)
{
	const char *mode, *policy;
	struct sg_conf c;
	int ret;

	ret = get_config(nl, &c);
	if (ret)
		return report("reading the configuration", ret, nl);
	mode = conf_mode_name(c.mode);
	policy = conf_policy_name(c.policy);

	puts("# HELP sipguard_info The sipguard module's version, mode and policy.");
	puts("# TYPE sipguard_info gauge");
	fputs("sipguard_info{version=", stdout);
	label(version);
	fputs(",mode=", stdout);
	label(mode ? mode : "unknown");
	fputs(",policy=", stdout);
	label(policy ? policy : "unknown");
	puts("} 1");
	puts("# HELP sipguard_allowlist_entries Entries on the allowlist.");
	puts("# TYPE sipguard_allowlist_entries gauge");
	printf("sipguard_allowlist_entries %" PRIu32 "\n", c.allow_count);

	for (unsigned int id = SIPGUARD_STAT_PAD + 1; id <= SIPGUARD_STAT_MAX; id++) {
		const char *name = stat_name(id);
		const char *help = id < sizeof(stat_help) / sizeof(stat_help[0]) ? stat_help[id] : NULL;

		if (!name)
			continue;
		printf("# HELP sipguard_%s_total %s\n", name, help ? help : name);
		printf("# TYPE sipguard_%s_total counter\n", name);
		printf("sipguard_%s_total %" PRIu64 "\n", name, v[id]);
	}
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}
