/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Providers known by name: a DNS name to the addresses its SIP servers
 * send from, for `allow add NAME` and `allow refresh`.
 */
#ifndef SIPGUARDCTL_RESOLVE_H
#define SIPGUARDCTL_RESOLVE_H

#include <stddef.h>
#include <linux/sipguard.h>

#include "prefix.h"

/* Addresses one name may bring; more is refused, not cut short. */
#define RESOLVE_MAX_ADDRS	64
/* Distinct SRV targets one name may point at. */
#define RESOLVE_MAX_TARGETS	16

struct resolved {
	unsigned int n;
	struct prefix p[RESOLVE_MAX_ADDRS];	/* /32 and /128, any port, sorted */
};

/*
 * @in as the kernel keeps names: lower case, without a trailing dot,
 * 1-253 characters, labels of 1-63 letters, digits, '-' or '_', a last
 * label not all digits.  Writes @out (SIPGUARD_NAME_MAXLEN + 1 bytes).
 * Returns 0, or -1 with a message in @why.
 */
int dnsname_normalise(const char *in, char *out, char *why, size_t wl);

/*
 * The addresses of @name: its A and AAAA records and those of the
 * targets of its SRV records _sip._udp, _sip._tcp and _sips._tcp,
 * without duplicates.  Any lookup that fails (SERVFAIL, timeout, refused)
 * fails the whole; a name with no address at all (NXDOMAIN included) is
 * an error too.  Returns 0, or -1 with a message in @why.
 */
int resolve_name(const char *name, struct resolved *r, char *why, size_t wl);

/*
 * The pieces, for the unit tests.  dns_answer_addrs() adds the A and AAAA
 * records of a DNS answer's answer section to @r, without duplicates;
 * dns_answer_srv() adds the targets of its SRV records to @t[0..*n)
 * (lower case, no trailing dot, each once; "." means "no service" and is
 * left out).  Both return 0, or -1 with @why when the message is
 * malformed or a limit is reached.
 */
#define RESOLVE_NAME_BYTES	1025	/* NS_MAXDNAME */
int dns_answer_addrs(const unsigned char *msg, int len, struct resolved *r,
		     char *why, size_t wl);
int dns_answer_srv(const unsigned char *msg, int len, char (*t)[RESOLVE_NAME_BYTES],
		   unsigned int *n, char *why, size_t wl);

#endif
