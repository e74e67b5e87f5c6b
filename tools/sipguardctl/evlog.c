// SPDX-License-Identifier: GPL-2.0
/*
 * The event log of `sipguardctl monitor --log`: one line per ban, unban and
 * expiry, in a format that stays (sipguardctl(8), EVENT LOG), for journald
 * to keep and fail2ban or CrowdSec to read:
 *
 *   ban source=ADDR/PLEN reason=R duration=SECONDS netns=NS[ failures=N][ trusted=T]
 *   unban source=ADDR/PLEN|all count=N by=COMM[PID] netns=NS
 *   expire source=ADDR/PLEN netns=NS
 *   missed events=N suppressed=N netns=NS
 *
 * Keys come in this order and are always there; later versions may only
 * append keys.  No value has a space, so no quoting.  trusted= marks a ban
 * whose prefix holds an allowlisted address or a learned registrar (the
 * module says so in the event): every ban is in the log, and the readers
 * that pass bans on to other hosts (the fail2ban filter, the CrowdSec
 * parser) skip those.
 *
 * The module has no expiry event (a ban ends by the clock, and the
 * collector frees its entry only after an idle time), so the expiry is
 * reckoned here from the ban's duration: a later ban of the same source
 * extends it, an unban cancels it.  Bans from before this listener started
 * and sources forgotten with a new table are not known here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <linux/sipguard.h>

#include "evlog.h"
#include "names.h"

/* Bans whose expiry is pending; past this many, the oldest ends unsaid. */
#define EVLOG_MAX_PENDING 65536

struct pending {
	struct prefix src;
	uint64_t until_ms;	/* CLOCK_BOOTTIME, as the module's ban times */
};

static struct pending *pending;
static size_t npending, cap;
static char ns[64];

void evlog_init(const char *netns)
{
	struct stat st;

	if (netns) {
		/* A path's last component: `ip netns` names are file names. */
		const char *slash = strrchr(netns, '/');

		snprintf(ns, sizeof(ns), "%s", slash ? slash + 1 : netns);
	} else if (stat("/proc/self/ns/net", &st) == 0) {
		snprintf(ns, sizeof(ns), "%" PRIu64, (uint64_t)st.st_ino);
	} else {
		snprintf(ns, sizeof(ns), "-");
	}
	/* A name is a file name: it may have spaces; the format has none. */
	for (char *p = ns; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			*p = '_';
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void line_end(void)
{
	printf(" netns=%s", ns);
}

static const char *reason_name(uint16_t reason, char *buf, size_t len)
{
	const char *n;

	switch (reason) {
	case SIPGUARD_STAT_DROP_RATE: return "rate";
	case SIPGUARD_STAT_DROP_SIGNATURE: return "signature";
	case SIPGUARD_STAT_DROP_FAILURES: return "failures";
	case SIPGUARD_STAT_BANS_MANUAL: return "manual";
	}
	/* A newer module's reason: its counter's name, or its number. */
	n = stat_name(reason);
	if (n)
		return n;
	snprintf(buf, len, "%u", reason);
	return buf;
}

static struct pending *find(const struct prefix *src)
{
	for (size_t i = 0; i < npending; i++)
		if (pending[i].src.len == src->len && pending[i].src.plen == src->plen &&
		    !memcmp(pending[i].src.addr, src->addr, (size_t)src->len))
			return &pending[i];
	return NULL;
}

static void forget(struct pending *p)
{
	*p = pending[--npending];
}

static void track(const struct prefix *src, uint32_t seconds)
{
	uint64_t until = now_ms() + (uint64_t)seconds * 1000;
	struct pending *p = find(src);

	if (p) {
		/* The module keeps the longer of two bans. */
		if (p->until_ms < until)
			p->until_ms = until;
		return;
	}
	if (npending == cap) {
		size_t ncap = cap ? cap * 2 : 64;
		struct pending *n;

		if (ncap > EVLOG_MAX_PENDING)
			ncap = EVLOG_MAX_PENDING;
		n = ncap > cap ? realloc(pending, ncap * sizeof(*n)) : NULL;
		if (!n) {
			/* Full: make room by forgetting the ban that ends first. */
			size_t first = 0;

			if (!npending)
				return;
			for (size_t i = 1; i < npending; i++)
				if (pending[i].until_ms < pending[first].until_ms)
					first = i;
			forget(&pending[first]);
		} else {
			pending = n;
			cap = ncap;
		}
	}
	pending[npending].src = *src;
	pending[npending].src.name = NULL;
	pending[npending].until_ms = until;
	npending++;
}

const char *evlog_trusted(uint32_t flags)
{
	switch (flags & (SIPGUARD_F_ALLOWLISTED | SIPGUARD_F_REGISTRAR)) {
	case SIPGUARD_F_ALLOWLISTED: return "allowlist";
	case SIPGUARD_F_REGISTRAR: return "registrar";
	case SIPGUARD_F_ALLOWLISTED | SIPGUARD_F_REGISTRAR: return "allowlist,registrar";
	}
	return NULL;
}

void evlog_ban(const struct prefix *src, uint16_t reason, uint32_t seconds,
	       bool has_failures, uint32_t failures, uint32_t flags)
{
	const char *trusted = evlog_trusted(flags);
	char buf[64], rbuf[16];

	prefix_format(src, buf, sizeof(buf));
	printf("ban source=%s reason=%s duration=%" PRIu32, buf,
	       reason_name(reason, rbuf, sizeof(rbuf)), seconds);
	line_end();
	if (has_failures)
		printf(" failures=%" PRIu32, failures);
	if (trusted)
		printf(" trusted=%s", trusted);
	putchar('\n');
	fflush(stdout);
	if (seconds)
		track(src, seconds);
}

void evlog_unban(const struct prefix *src, uint32_t count, uint32_t pid, const char *comm)
{
	char buf[64], who[48];
	struct pending *p;

	/* comm is the kernel's, at most 15 bytes; keep it one token. */
	snprintf(who, sizeof(who), "%s[%" PRIu32 "]", *comm ? comm : "?", pid);
	for (char *c = who; *c; c++)
		if (*c <= ' ' || *c == 0x7f)
			*c = '_';
	if (src) {
		prefix_format(src, buf, sizeof(buf));
		p = find(src);
		if (p)
			forget(p);
	} else {
		snprintf(buf, sizeof(buf), "all");
		npending = 0;
	}
	printf("unban source=%s count=%" PRIu32 " by=%s", buf, count, who);
	line_end();
	putchar('\n');
	fflush(stdout);
}

void evlog_missed(uint64_t missed, uint64_t suppressed)
{
	printf("missed events=%" PRIu64 " suppressed=%" PRIu64, missed, suppressed);
	line_end();
	putchar('\n');
	fflush(stdout);
}

int evlog_expire(void)
{
	uint64_t now = now_ms(), next = UINT64_MAX;
	char buf[64];

	for (size_t i = 0; i < npending;) {
		if (pending[i].until_ms > now) {
			if (pending[i].until_ms < next)
				next = pending[i].until_ms;
			i++;
			continue;
		}
		prefix_format(&pending[i].src, buf, sizeof(buf));
		printf("expire source=%s", buf);
		line_end();
		putchar('\n');
		forget(&pending[i]);	/* brings the last one to i */
	}
	fflush(stdout);
	if (next == UINT64_MAX)
		return -1;
	/* Round up: waking a moment early would only wait again. */
	return next - now > 3600000 ? 3600000 : (int)(next - now + 1);
}
