/* SPDX-License-Identifier: GPL-2.0 */
/* Allowlist entries as users write them: "192.0.2.0/24", "2001:db8::1". */
#ifndef SIPGUARDCTL_PREFIX_H
#define SIPGUARDCTL_PREFIX_H

#include <stddef.h>
#include <stdint.h>

struct prefix {
	int len;		/* address bytes: 4 or 16 */
	uint8_t addr[16];
	uint8_t plen;
	uint16_t port;		/* 0 = any */
	char *name;		/* the DNS name it came from, or NULL */
};

/*
 * Parse ADDR[/PLEN]; a bare address is a host (/32, /128).  Host bits beyond
 * PLEN are refused here already, with the corrected prefix in @why.
 * Returns 0 or -1 with a message in @why.
 */
int prefix_parse(const char *s, struct prefix *p, char *why, size_t whylen);

/* "ADDR/PLEN" */
void prefix_format(const struct prefix *p, char *buf, size_t len);

/* Parse a port 1-65535; returns 0 or -1. */
int port_parse(const char *s, uint16_t *port);

#endif
