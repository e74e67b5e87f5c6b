/* SPDX-License-Identifier: GPL-2.0 */
/* `sipguardctl set ...` and the configuration part of `show`. */
#ifndef SIPGUARDCTL_CONFIG_H
#define SIPGUARDCTL_CONFIG_H

#include "genl.h"
#include "grammar.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * The ports learning guards (the phone each was learned for), or without
 * learning, the phones seen registering from a port nothing guards.
 */
struct phone_port {
	uint8_t family;		/* 4 or 6 */
	uint8_t l4proto;
	uint16_t port, phone_port;
	uint8_t addr[16], phone[16];
	uint32_t secs;		/* left (learned), ago (unguarded) */
	bool confirmed;
	bool answer;		/* unguarded: seen as a 2xx's destination */
};

struct learn_ports {
	bool learned;		/* the list is LEARN_PORTS, else UNGUARDED_PHONES */
	uint32_t over;		/* ports not guarded for lack of room */
	unsigned int n;
	struct phone_port p[SIPGUARD_LEARN_MAX_PORTS];
};

/* One SIPGUARD_A_PHONE_PORT (or SIPGUARD_A_LEARN_PORT) nest into @pp. */
void parse_phone_port(const struct nlattr *item, struct phone_port *pp);
/* 192.0.2.50:5062 or [2001:db8::50]:5062 */
void format_endpoint(char *buf, size_t len, uint8_t family, const uint8_t *addr,
		     uint16_t port);

int get_config(struct sg_nl *nl, struct sg_conf *c);
/* The same, with the learned ports or unguarded phones in @lp. */
int get_config_ports(struct sg_nl *nl, struct sg_conf *c, struct learn_ports *lp);
void print_config(const struct sg_conf *c);
void print_learn_ports(const struct sg_conf *c, const struct learn_ports *lp);
int cmd_set(struct sg_nl *nl, int argc, char **argv);

/* one setting of @c as its attribute */
void put_key(struct nlmsghdr *nlh, int k, const struct sg_conf *c);

#endif
