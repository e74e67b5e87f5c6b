// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/sipguard.h>

#include "genl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

struct nlmsghdr *sg_nl_new(struct sg_nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = SIPGUARD_GENL_VERSION;
	return nlh;
}

/* What the callbacks of one request share. */
struct talk {
	struct sg_nl *nl;
	mnl_cb_t cb;
	void *data;
};

static void take_extack(struct sg_nl *nl, const struct nlattr *attr)
{
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(nl->extack, sizeof(nl->extack), "%s", mnl_attr_get_str(attr));
}

/* An error or ack: keep NLMSGERR_ATTR_MSG for the user to read. */
static int cb_error(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t len = mnl_nlmsg_get_payload_len(nlh), off;

	if (len < sizeof(*err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* With NETLINK_CAP_ACK only the request's header is echoed. */
		off = sizeof(*err);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += err->msg.nlmsg_len - sizeof(err->msg);
		if (off <= len)
			mnl_attr_for_each_payload((const void *)((const char *)err + off), len - off)
				take_extack(t->nl, attr);
	}
	if (err->error) {
		errno = -err->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/* The end of a dump, which may carry the error that cut it short. */
static int cb_done(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	const struct nlattr *attr;
	int error;

	if (len < sizeof(error))
		return MNL_CB_STOP;
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_for_each_payload((const void *)((const char *)mnl_nlmsg_get_payload(nlh) + sizeof(error)),
					  len - sizeof(error))
			take_extack(t->nl, attr);
	if (error < 0) {
		errno = -error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int cb_data(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = cb_error,
	[NLMSG_DONE] = cb_done,
};

int sg_nl_reserve(struct sg_nl *nl, size_t size)
{
	int sndbuf = (int)size + 4096;
	char *b;

	if (size > 64 << 20)
		return -EMSGSIZE;
	if (size > nl->bufsize) {
		b = realloc(nl->buf, size);
		if (!b)
			return -ENOMEM;
		nl->buf = b;
		nl->bufsize = size;
	}
	/*
	 * A request larger than the default socket send buffer (a big
	 * allowlist) needs a bigger one; FORCE works for CAP_NET_ADMIN, which
	 * such a request needs anyway, the plain one up to wmem_max.
	 */
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_SNDBUFFORCE,
		       &sndbuf, sizeof(sndbuf)) < 0)
		setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_SNDBUF,
			   &sndbuf, sizeof(sndbuf));
	return 0;
}

int sg_nl_talk(struct sg_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct talk t = { .nl = nl, .cb = cb, .data = data };
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	nl->extack[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, nl->bufsize);
		if (n < 0)
			return -errno;
		ret = mnl_cb_run2(nl->buf, n, seq, nl->portid, cb_data, &t,
				  ctl_cbs, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR)
			return -errno;
	} while (ret != MNL_CB_STOP);
	return 0;
}

/* The family's multicast groups: keep the id of the events group. */
static void cb_mcgrps(struct sg_nl *nl, const struct nlattr *list)
{
	const struct nlattr *grp, *a;

	mnl_attr_for_each_nested(grp, list) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(a, grp) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
				 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				id = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, SIPGUARD_MCGRP_EVENTS))
			nl->mcgrp_events = id;
	}
}

static int cb_family(const struct nlmsghdr *nlh, void *data)
{
	struct sg_nl *nl = data;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
				nl->family = mnl_attr_get_u16(attr);
			break;
		case CTRL_ATTR_VERSION:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				nl->version = mnl_attr_get_u32(attr);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			cb_mcgrps(nl, attr);
			break;
		}
	}
	return MNL_CB_OK;
}

int sg_nl_open(struct sg_nl *nl)
{
	struct nlmsghdr *nlh;
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	/* Large enough for any dump batch the kernel sends (32 KiB). */
	nl->bufsize = 65536;
	nl->buf = malloc(nl->bufsize);
	if (!nl->buf)
		return -ENOMEM;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		goto err;
	/* Both are best effort: old kernels simply give no extack text. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);

	nl->family = GENL_ID_CTRL;
	nlh = sg_nl_new(nl, CTRL_CMD_GETFAMILY, 0);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SIPGUARD_GENL_NAME);
	nl->family = 0;
	ret = sg_nl_talk(nl, nlh, cb_family, nl);
	if (ret)
		goto err_ret;
	if (!nl->family) {
		ret = -EPROTO;
		goto err_ret;
	}
	return 0;

err:
	ret = -errno;
err_ret:
	sg_nl_close(nl);
	return ret;
}

void sg_nl_close(struct sg_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	nl->sock = NULL;
	nl->buf = NULL;
}
