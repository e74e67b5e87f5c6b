/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Minimal TAP 13 producer for the userspace unit tests.  Every check is one
 * numbered TAP line, so `make check` can count them and `prove` can read them.
 */
#ifndef _SIPGUARD_TAP_H
#define _SIPGUARD_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned int tap_n, tap_failed;

static inline void tap_plan_start(void)
{
	printf("TAP version 13\n");
}

static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Record one result; returns @ok so callers can add diagnostics. */
static inline int tap_ok(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		tap_failed++;
	return ok;
}

/* Print the plan and return the process exit status. */
static inline int tap_done(void)
{
	printf("1..%u\n", tap_n);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif /* _SIPGUARD_TAP_H */
