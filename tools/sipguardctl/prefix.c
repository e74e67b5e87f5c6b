// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefix.h"

int port_parse(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int prefix_parse(const char *s, struct prefix *p, char *why, size_t whylen)
{
	char addr[INET6_ADDRSTRLEN + 1], fixed[64];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long plen;
	char *end;
	int bits, i;

	memset(p, 0, sizeof(*p));
	if (alen == 0 || alen >= sizeof(addr)) {
		snprintf(why, whylen, "'%s' is not an IPv4 or IPv6 address or prefix", s);
		return -1;
	}
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, p->addr) == 1) {
		p->len = 4;
	} else if (inet_pton(AF_INET6, addr, p->addr) == 1) {
		p->len = 16;
	} else {
		snprintf(why, whylen, "'%s' is not an IPv4 or IPv6 address", addr);
		return -1;
	}
	bits = p->len * 8;
	plen = bits;
	if (slash) {
		errno = 0;
		plen = strtoul(slash + 1, &end, 10);
		if (errno || !slash[1] || *end || slash[1] == '-' || plen > (unsigned long)bits) {
			snprintf(why, whylen, "'%s': prefix length must be 0-%d", s, bits);
			return -1;
		}
	}
	p->plen = (uint8_t)plen;
	/* Like `ip route`, refuse 192.0.2.1/24 rather than guess. */
	for (i = 0; i < p->len; i++) {
		int keep = (int)plen - i * 8;
		uint8_t mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));

		if (p->addr[i] & ~mask) {
			struct prefix q = *p;

			for (int j = 0; j < q.len; j++) {
				keep = (int)plen - j * 8;
				q.addr[j] &= keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
			}
			prefix_format(&q, fixed, sizeof(fixed));
			snprintf(why, whylen, "'%s' has host bits set beyond /%lu (did you mean %s?)",
				 s, plen, fixed);
			return -1;
		}
	}
	return 0;
}

void prefix_format(const struct prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(p->len == 4 ? AF_INET : AF_INET6, p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->plen);
}
