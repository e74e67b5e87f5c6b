// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the reply handling of tools/sipguardctl/genl.c
 * (sg_nl_process), on hand-built netlink messages:
 *  - the rest of a dump given up earlier (another sequence number) is
 *    skipped, not taken for an error ("Protocol error" before);
 *  - an interrupted dump (NLM_F_DUMP_INTR) is read to its NLMSG_DONE and
 *    thrown away, ends in -EINTR, and the next request reads its own replies;
 *  - a callback's error stops the callbacks but not the reading;
 *  - an error carries its extack message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "tap.h"
#include "genl.h"

#define PORTID 4242

struct buf {
	char b[8192] __attribute__((aligned(4)));
	size_t len;
};

static struct nlmsghdr *put(struct buf *b, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(b->b + b->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

static void end(struct buf *b, struct nlmsghdr *nlh)
{
	b->len += nlh->nlmsg_len;
}

/* A data message of a dump: one u32 attribute, @v. */
static void data(struct buf *b, uint32_t seq, uint32_t v, uint16_t flags)
{
	struct nlmsghdr *nlh = put(b, 0x20, NLM_F_MULTI | flags, seq);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = 1;
	mnl_attr_put_u32(nlh, 1, v);
	end(b, nlh);
}

static void done(struct buf *b, uint32_t seq, int error, uint16_t flags)
{
	struct nlmsghdr *nlh = put(b, NLMSG_DONE, NLM_F_MULTI | flags, seq);
	int *e = mnl_nlmsg_put_extra_header(nlh, sizeof(int));

	*e = error;
	end(b, nlh);
}

static void ack(struct buf *b, uint32_t seq, int error, const char *msg)
{
	struct nlmsghdr *nlh = put(b, NLMSG_ERROR, msg ? NLM_F_CAPPED | NLM_F_ACK_TLVS : NLM_F_CAPPED, seq);
	struct nlmsgerr *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

	err->error = error;
	err->msg.nlmsg_len = sizeof(err->msg);
	err->msg.nlmsg_seq = seq;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	end(b, nlh);
}

struct seen {
	unsigned int n;
	uint32_t v[16];
	int fail_at;		/* fail the callback at this value, 0 = never */
};

static int cb(const struct nlmsghdr *nlh, void *d)
{
	struct seen *s = d;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (s->fail_at && mnl_attr_get_u32(a) == (uint32_t)s->fail_at) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		if (s->n < 16)
			s->v[s->n++] = mnl_attr_get_u32(a);
	}
	return MNL_CB_OK;
}

int main(void)
{
	struct sg_nl nl;
	struct sg_talk t;
	struct seen s;
	struct buf b;
	int ret;

	tap_plan_start();
	memset(&nl, 0, sizeof(nl));
	nl.portid = PORTID;

	/* The rest of an earlier dump (seq 5), then this request's (seq 6). */
	memset(&b, 0, sizeof(b));
	memset(&s, 0, sizeof(s));
	data(&b, 5, 50, 0);
	data(&b, 5, 51, 0);
	done(&b, 5, 0, 0);
	data(&b, 6, 60, 0);
	done(&b, 6, 0, 0);
	t = (struct sg_talk){ .seq = 6, .cb = cb, .data = &s };
	ret = sg_nl_process(&nl, &t, b.b, b.len);
	tap_ok(ret == 0 && t.done && s.n == 1 && s.v[0] == 60,
	       "the rest of an earlier request is skipped (ret %d, %u seen)", ret, s.n);

	/* An interrupted dump over two reads, then the retry. */
	memset(&b, 0, sizeof(b));
	memset(&s, 0, sizeof(s));
	data(&b, 7, 70, 0);
	data(&b, 7, 71, NLM_F_DUMP_INTR);
	data(&b, 7, 72, 0);
	t = (struct sg_talk){ .seq = 7, .cb = cb, .data = &s };
	ret = sg_nl_process(&nl, &t, b.b, b.len);
	tap_ok(ret == 0 && !t.done && t.err == -EINTR && s.n == 1,
	       "NLM_F_DUMP_INTR: -EINTR, the dump is read on (done %d, %u seen)", t.done, s.n);
	memset(&b, 0, sizeof(b));
	data(&b, 7, 73, 0);
	done(&b, 7, 0, NLM_F_DUMP_INTR);
	ret = sg_nl_process(&nl, &t, b.b, b.len);
	tap_ok(ret == -EINTR && t.done && s.n == 1,
	       "... to its NLMSG_DONE, nothing more given to the callback (ret %d)", ret);
	memset(&b, 0, sizeof(b));
	memset(&s, 0, sizeof(s));
	data(&b, 8, 80, 0);
	data(&b, 8, 81, 0);
	done(&b, 8, 0, 0);
	t = (struct sg_talk){ .seq = 8, .cb = cb, .data = &s };
	ret = sg_nl_process(&nl, &t, b.b, b.len);
	tap_ok(ret == 0 && t.done && s.n == 2 && s.v[1] == 81, "the retry reads its own dump whole");

	/* A dump whose DONE alone is flagged (the change came at its end). */
	memset(&b, 0, sizeof(b));
	memset(&s, 0, sizeof(s));
	data(&b, 9, 90, 0);
	done(&b, 9, 0, NLM_F_DUMP_INTR);
	t = (struct sg_talk){ .seq = 9, .cb = cb, .data = &s };
	ret = sg_nl_process(&nl, &t, b.b, b.len);
	tap_ok(ret == -EINTR && t.done, "a flagged NLMSG_DONE is -EINTR too");

	/* A callback fails: no more callbacks, read to the end. */
	memset(&b, 0, sizeof(b));
	memset(&s, 0, sizeof(s));
	s.fail_at = 101;
	data(&b, 10, 100, 0);
	data(&b, 10, 101, 0);
	data(&b, 10, 102, 0);
	done(&b, 10, 0, 0);
	t = (struct sg_talk){ .seq = 10, .cb = cb, .data = &s };
	ret = sg_nl_process(&nl, &t, b.b, b.len);
	tap_ok(ret == -ENOMEM && t.done && s.n == 1, "a callback's error: %d, the rest read", ret);

	/* The kernel's error, with its explanation. */
	memset(&b, 0, sizeof(b));
	ack(&b, 11, -EINVAL, "mode is out of range");
	t = (struct sg_talk){ .seq = 11 };
	nl.extack[0] = '\0';
	ret = sg_nl_process(&nl, &t, b.b, b.len);
	tap_ok(ret == -EINVAL && t.done && !strcmp(nl.extack, "mode is out of range"),
	       "an error keeps its extack message ('%s')", nl.extack);

	/* An ack after a reply to a plain request. */
	memset(&b, 0, sizeof(b));
	memset(&s, 0, sizeof(s));
	data(&b, 12, 120, 0);
	t = (struct sg_talk){ .seq = 12, .cb = cb, .data = &s };
	ret = sg_nl_process(&nl, &t, b.b, b.len);
	tap_ok(!ret && !t.done && s.n == 1, "a reply: not done until its ack");
	memset(&b, 0, sizeof(b));
	ack(&b, 12, 0, NULL);
	ret = sg_nl_process(&nl, &t, b.b, b.len);
	tap_ok(!ret && t.done, "... the ack ends it");

	/* A message cut short is not read past. */
	memset(&b, 0, sizeof(b));
	data(&b, 13, 130, 0);
	t = (struct sg_talk){ .seq = 13, .cb = cb, .data = &s };
	ret = sg_nl_process(&nl, &t, b.b, b.len - 2);
	tap_ok(!ret && !t.done, "a truncated message is not read");
	return tap_done();
}
