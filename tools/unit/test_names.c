// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for tools/sipguardctl/names.c, the one table of the kernel's
 * counters: every counter of uapi/linux/sipguard.h has a key and a real
 * HELP text (a counter appended to the header without its row fails
 * here), keys are distinct and fit Prometheus' metric names, HELP texts
 * need no escaping, and the labelled families (sipguard_drops_total,
 * sipguard_requests_total) have distinct label values.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/sipguard.h>

#include "tap.h"
#include "names.h"

static bool key_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* One sentence: a capital first, a full stop last, nothing to escape. */
static bool help_ok(const struct stat_info *s)
{
	size_t n = s->help ? strlen(s->help) : 0;

	return n > 10 && isupper((unsigned char)s->help[0]) && s->help[n - 1] == '.' &&
	       !strpbrk(s->help, "\\\n") &&
	       strcasecmp(s->help, s->name) && strncasecmp(s->help, s->name, n - 1);
}

int main(void)
{
	unsigned int id, bad = 0, fam_bad = 0, dup = 0, n = 0;

	tap_plan_start();
	for (id = SIPGUARD_STAT_PAD + 1; id <= SIPGUARD_STAT_MAX; id++) {
		const struct stat_info *s = stat_info(id);

		n++;
		if (!s || !key_ok(s->name) || !help_ok(s)) {
			bad++;
			tap_diag("counter %u (%s): %s", id, s ? s->name : "no row",
				 !s ? "no key, no HELP" : !key_ok(s->name) ? "bad key" : "no real HELP");
			continue;
		}
		if (s->family != FAM_NONE && (!s->label || !*s->label || s->family > FAM_REQUESTS)) {
			fam_bad++;
			tap_diag("counter %s: a family without a label", s->name);
		}
		for (unsigned int j = SIPGUARD_STAT_PAD + 1; j < id; j++) {
			const struct stat_info *t = stat_info(j);
			bool same_fam = t && (s->family == FAM_NONE ? false : t->family == s->family);

			if (t && (!strcmp(t->name, s->name) ||
				  (same_fam && !strcmp(t->label, s->label)))) {
				dup++;
				tap_diag("counters %s and %s share a key or a label", t->name, s->name);
			}
		}
	}
	tap_ok(n == SIPGUARD_STAT_MAX - SIPGUARD_STAT_PAD, "%u counters in uapi/linux/sipguard.h", n);
	tap_ok(!bad, "every counter has a key and a HELP text of its own (%u without)", bad);
	tap_ok(!fam_bad, "every counter in a labelled family has its label (%u without)", fam_bad);
	tap_ok(!dup, "keys and labels are distinct (%u shared)", dup);
	tap_ok(!stat_info(SIPGUARD_STAT_PAD) && !stat_info(SIPGUARD_STAT_UNSPEC) &&
	       !stat_info(SIPGUARD_STAT_MAX + 1) && !stat_name(SIPGUARD_STAT_MAX + 1),
	       "no row for UNSPEC, PAD, or a counter of a newer module");
	tap_ok(stat_info(SIPGUARD_STAT_DROP_RATE)->family == FAM_DROPS &&
	       !strcmp(stat_info(SIPGUARD_STAT_DROP_RATE)->label, "rate") &&
	       stat_info(SIPGUARD_STAT_XDP_DROP_BANNED)->family == FAM_XDP_DROPS &&
	       stat_info(SIPGUARD_STAT_METHOD_INVITE)->family == FAM_REQUESTS &&
	       !strcmp(stat_info(SIPGUARD_STAT_METHOD_INVITE)->label, "INVITE"),
	       "drop_rate is drops{reason=\"rate\"}, xdp_drop_banned an XDP drop, method_invite requests{method=\"INVITE\"}");
	return tap_done();
}
