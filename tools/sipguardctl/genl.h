/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to the sipguard generic netlink family with libmnl: resolving the
 * family, sending a request and running the replies through a callback, and
 * keeping the kernel's extack message for the error report.
 */
#ifndef SIPGUARDCTL_GENL_H
#define SIPGUARDCTL_GENL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct sg_nl {
	struct mnl_socket *sock;
	uint16_t family;	/* generic netlink family id */
	uint32_t version;	/* family version the kernel speaks */
	uint32_t portid;
	uint32_t mcgrp_events;	/* the events group's id; 0 = none */
	uint32_t seq;
	char *buf;
	size_t bufsize;
	/* The last error's extack text, or "" when the kernel gave none. */
	char extack[512];
};

/* The buffer requests are built in; before anything else. */
int sg_nl_init(struct sg_nl *nl);

/*
 * Open a socket and resolve the family (after sg_nl_init()).  Returns 0, -ENOENT when the module
 * is not loaded, or another negative errno.
 */
int sg_nl_open(struct sg_nl *nl);
/* Close the socket (if open) and free the buffer. */
void sg_nl_close(struct sg_nl *nl);

/*
 * Make room for a request of @size bytes (call before sg_nl_new(): it may
 * move nl->buf) and a socket send buffer that takes it.
 */
int sg_nl_reserve(struct sg_nl *nl, size_t size);

/* Start a request for @cmd in nl->buf. */
struct nlmsghdr *sg_nl_new(struct sg_nl *nl, uint8_t cmd, uint16_t flags);

/*
 * Send @nlh and feed every reply to @cb (may be NULL for plain acks).
 * Returns 0 or a negative errno; on error nl->extack holds the kernel's
 * explanation if it gave one.
 */
int sg_nl_talk(struct sg_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/*
 * One request's replies, for sg_nl_process(): fed the datagrams read from
 * the socket, it calls @cb for each data message of sequence @seq and sets
 * @done at the NLMSG_ERROR or NLMSG_DONE that ends them, @err to the first
 * error (-EINTR for an interrupted dump).  Returns @err once done, else 0.
 */
struct sg_talk {
	uint32_t seq;
	mnl_cb_t cb;
	void *data;
	bool done, stopped;
	int err;
};
int sg_nl_process(struct sg_nl *nl, struct sg_talk *t, const void *buf, size_t len);

#endif
