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

/*
 * The replies of one request, message by message.  Messages of another
 * sequence number or port are not ours (the rest of a request given up
 * earlier) and are skipped.  After a failure in a dump (NLM_F_DUMP_INTR, a
 * callback's error) the rest of the dump is still read, up to its
 * NLMSG_DONE, and thrown away, so that the socket is clean for the next
 * request: a retry after an interrupted dump reads its own replies.
 */
static void take_extack(struct sg_nl *nl, const struct nlattr *attr)
{
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0 && !nl->extack[0])
		snprintf(nl->extack, sizeof(nl->extack), "%s", mnl_attr_get_str(attr));
}

/* An error or ack: keep NLMSGERR_ATTR_MSG for the user to read. */
static int msg_error(struct sg_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t len = mnl_nlmsg_get_payload_len(nlh), off;

	if (len < sizeof(*err))
		return -EBADMSG;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* With NETLINK_CAP_ACK only the request's header is echoed. */
		off = sizeof(*err);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += err->msg.nlmsg_len - sizeof(err->msg);
		if (off <= len)
			mnl_attr_for_each_payload((const void *)((const char *)err + off), len - off)
				take_extack(nl, attr);
	}
	return err->error > 0 ? -EPROTO : err->error;
}

/* The end of a dump, which may carry the error that cut it short. */
static int msg_done(struct sg_nl *nl, const struct nlmsghdr *nlh)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	const struct nlattr *attr;
	int error;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		return -EINTR;
	if (len < sizeof(error))
		return 0;
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_for_each_payload((const void *)((const char *)mnl_nlmsg_get_payload(nlh) + sizeof(error)),
					  len - sizeof(error))
			take_extack(nl, attr);
	return error > 0 ? -EPROTO : error;
}

int sg_nl_process(struct sg_nl *nl, struct sg_talk *t, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int n = (int)len, ret;

	while (mnl_nlmsg_ok(nlh, n)) {
		if (nlh->nlmsg_seq != t->seq || (nlh->nlmsg_pid && nlh->nlmsg_pid != nl->portid))
			goto next;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
		case NLMSG_OVERRUN:
			break;
		case NLMSG_ERROR:
		case NLMSG_DONE:
			ret = nlh->nlmsg_type == NLMSG_ERROR ? msg_error(nl, nlh) : msg_done(nl, nlh);
			if (!t->err)
				t->err = ret;
			t->done = true;
			return t->err;
		default:
			if (t->err)
				break;		/* draining the rest of a failed dump */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
				t->err = -EINTR;
				break;
			}
			if (t->cb) {
				errno = 0;
				ret = t->cb(nlh, t->data);
				if (ret == MNL_CB_ERROR)
					t->err = errno ? -errno : -EIO;
				else if (ret == MNL_CB_STOP)
					t->stopped = true;
			}
			/* A reply to a request without a dump: its ack follows. */
			break;
		}
next:
		nlh = mnl_nlmsg_next(nlh, &n);
	}
	return 0;
}

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
	struct sg_talk t = { .seq = nlh->nlmsg_seq, .cb = cb, .data = data };
	ssize_t n;

	nl->extack[0] = '\0';
	if (!nl->sock)
		return -ENOTCONN;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while (!t.done) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, nl->bufsize);
		if (n < 0)
			return -errno;
		sg_nl_process(nl, &t, nl->buf, (size_t)n);
	}
	return t.err;
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

int sg_nl_init(struct sg_nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	/* Large enough for any dump batch the kernel sends (32 KiB). */
	nl->bufsize = 65536;
	nl->buf = malloc(nl->bufsize);
	return nl->buf ? 0 : -ENOMEM;
}

int sg_nl_open(struct sg_nl *nl)
{
	struct nlmsghdr *nlh;
	int one = 1, ret;

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
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
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
