// SPDX-License-Identifier: GPL-2.0
/*
 * `sipguardctl stats prometheus`: the counters and the sizes of the
 * namespace's tables in the Prometheus text exposition format, for
 * node_exporter's textfile collector (tools/systemd/sipguard-prometheus.*
 * writes it every minute, atomically).
 *
 * Every metric carries the label netns (ctl_netns_name()), so that the
 * files of several namespaces can sit side by side.  The families:
 *   sipguard_info{version,mode,policy}		gauge, 1
 *   sipguard_allowlist_entries, sipguard_signatures, sipguard_source_table_entries,
 *   sipguard_source_table_limit, sipguard_banned_sources,
 *   sipguard_learned_registrars		gauges
 *   sipguard_deny_entries{origin}		gauge, per origin of the denylist
 *   sipguard_deny_hits_total{origin}		counter, per origin
 *   sipguard_drops_total{reason,stage}		the drop decisions (names.h)
 *   sipguard_requests_total{method}		the parsed requests
 *   sipguard_KEY_total				every counter KEY, as before the
 *						labelled families came (kept:
 *						sipguard(4) promised stable names)
 * Names and HELP texts come from names.c's table; a counter of a newer
 * module that this sipguardctl does not know is left out rather than given
 * a name that would change once it learns it.  Banned sources and the
 * denylist need CAP_NET_ADMIN: without it those families are left out.
 * Everything is read before anything is printed: an error prints nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/sipguard.h>

#include "config.h"
#include "ctl.h"
#include "deny.h"
#include "genl.h"
#include "grammar.h"
#include "names.h"
#include "prometheus.h"
#include "sources.h"

struct prom {
	char netns[256];
	struct sg_conf c;
	bool have_banned, have_deny;
	unsigned int banned;
	unsigned int n_origins;
	struct deny_origin origins[SIPGUARD_DENY_ORIGINS];
};

/* A label value, quoted: backslash, double quote and newline escaped. */
static void quoted(const char *s)
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

static void label(const char *name, const char *s)
{
	printf(",%s=", name);
	quoted(s);
}

static void header(const char *metric, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", metric, help, metric, type);
}

/* metric{netns="NS" : the caller adds labels, value() closes it. */
static void sample(const struct prom *p, const char *metric)
{
	printf("%s{netns=", metric);
	quoted(p->netns);
}

static void value(uint64_t v)
{
	printf("} %" PRIu64 "\n", v);
}

static void gauge(const struct prom *p, const char *metric, const char *help, uint64_t v)
{
	header(metric, "gauge", help);
	sample(p, metric);
	value(v);
}

/* The labelled family @fam of the counters, if any counter is in it. */
static void family(const struct prom *p, const uint64_t *v, unsigned int fam,
		   const char *metric, const char *help)
{
	bool first = true;

	for (unsigned int id = SIPGUARD_STAT_PAD + 1; id <= SIPGUARD_STAT_MAX; id++) {
		const struct stat_info *s = stat_info(id);
		bool xdp;

		if (!s || !s->help)
			continue;
		xdp = s->family == FAM_XDP_DROPS;
		if (fam == FAM_DROPS ? s->family != FAM_DROPS && !xdp : s->family != fam)
			continue;
		if (first)
			header(metric, "counter", help);
		first = false;
		sample(p, metric);
		label(fam == FAM_REQUESTS ? "method" : "reason", s->label);
		if (fam == FAM_DROPS)
			label("stage", xdp ? "xdp" : "hook");
		value(v[id]);
	}
}

/* Banned sources: a dump the table's changes may cut short, tried again. */
static int read_banned(struct sg_nl *nl, struct prom *p)
{
	int ret = -EINTR;

	for (int tries = 0; tries < 5 && ret == -EINTR; tries++)
		ret = count_sources(nl, true, &p->banned);
	if (ret == -EPERM)
		return 0;
	p->have_banned = !ret;
	return ret;
}

static int read_origins(struct sg_nl *nl, struct prom *p)
{
	int ret = -EINTR;

	for (int tries = 0; tries < 5 && ret == -EINTR; tries++)
		ret = read_deny_origins(nl, p->origins, &p->n_origins);
	if (ret == -EPERM || ret == -EOPNOTSUPP)
		return 0;
	p->have_deny = !ret;
	return ret;
}

int print_prometheus(struct sg_nl *nl, const char *version, const uint64_t *v)
{
	const char *mode, *policy;
	struct prom p = { 0 };
	int ret;

	ctl_netns_name(p.netns, sizeof(p.netns));
	ret = get_config(nl, &p.c);
	if (ret)
		return report("reading the configuration", ret, nl);
	ret = read_banned(nl, &p);
	if (ret)
		return report("counting the banned sources", ret, nl);
	ret = read_origins(nl, &p);
	if (ret)
		return report("reading the denylist", ret, nl);
	mode = conf_mode_name(p.c.mode);
	policy = conf_policy_name(p.c.policy);

	header("sipguard_info", "gauge", "The sipguard module's version, mode and policy (always 1).");
	sample(&p, "sipguard_info");
	label("version", version);
	label("mode", mode ? mode : "unknown");
	label("policy", policy ? policy : "unknown");
	value(1);
	gauge(&p, "sipguard_allowlist_entries", "Entries on the allowlist (the configured ones; learned registrars are counted apart).",
	      p.c.allow_count);
	gauge(&p, "sipguard_signatures", "Scanner User-Agent signatures listed.", p.c.sig_count);
	gauge(&p, "sipguard_source_table_entries", "Untrusted sources in the source table now (open policy).",
	      p.c.source_count);
	gauge(&p, "sipguard_source_table_limit", "Entries the source table may hold (table-max).",
	      p.c.table_max);
	if (p.have_banned)
		gauge(&p, "sipguard_banned_sources", "Sources of the source table banned now.", p.banned);
	gauge(&p, "sipguard_learned_registrars", "Registrar servers learned and trusted now.",
	      p.c.learn_count);
	if (p.have_deny && p.n_origins) {
		header("sipguard_deny_entries", "gauge", "Entries on the denylist, by origin.");
		for (unsigned int i = 0; i < p.n_origins; i++) {
			sample(&p, "sipguard_deny_entries");
			label("origin", p.origins[i].name);
			value(p.origins[i].count);
		}
		header("sipguard_deny_hits_total", "counter",
		       "Packets dropped (or counted, strict policy) for a denylist entry, by origin.");
		for (unsigned int i = 0; i < p.n_origins; i++) {
			sample(&p, "sipguard_deny_hits_total");
			label("origin", p.origins[i].name);
			value(p.origins[i].hits);
		}
	}
	family(&p, v, FAM_DROPS, "sipguard_drops_total",
	       "Drop decisions by reason, at the netfilter hook or the XDP tier: packets dropped"
	       " (enforce mode) or that would have been (monitor mode).");
	family(&p, v, FAM_REQUESTS, "sipguard_requests_total",
	       "Requests parsed from untrusted sources (open policy), by method.");

	for (unsigned int id = SIPGUARD_STAT_PAD + 1; id <= SIPGUARD_STAT_MAX; id++) {
		const struct stat_info *s = stat_info(id);
		char metric[64];

		if (!s || !s->help)
			continue;
		snprintf(metric, sizeof(metric), "sipguard_%s_total", s->name);
		header(metric, "counter", s->help);
		sample(&p, metric);
		value(v[id]);
	}
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}
