// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input to the sipguard generic netlink family, table-driven:
 * every command the family announces, crossed with every defect below
 * (unknown, reserved and out-of-range attribute types, lengths below the
 * header and beyond the message, trailing bytes, every attribute type at
 * sizes no policy accepts, oversized attributes up to 64 KiB, a nest flag
 * where none belongs, defects inside nests, a valid attribute followed by
 * a broken duplicate), then a loop of random bytes.  Each request must be
 * refused with an extack message and leave the configuration, allowlist
 * and signatures byte for byte as they were; each defect with the exact
 * errno (ERANGE for a value out of range, EINVAL for the rest) and the
 * offset of the attribute the kernel blames (NLMSGERR_ATTR_OFFS), or none
 * for bytes left over (expected()).  A dump changed between two parts is
 * flagged NLM_F_DUMP_INTR.  Then the same family without
 * CAP_NET_ADMIN (an unprivileged user; root of a user namespace that does
 * not own the network namespace): every change refused with EPERM, and the
 * source table (third parties' addresses); every other read allowed, as
 * uapi/linux/sipguard.h documents.  NL_HOSTILE_TRACE=1 prints every answer.
 *
 * Runs in a network namespace of its own (unshare), so it changes nothing
 * outside.  Needs root and the module (skips without).
 * NL_HOSTILE_SEED and NL_HOSTILE_RANDOM set the random loop's seed and
 * length (default 1 and 3000).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_tun.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/sipguard.h>

#include "kselftest_harness.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define BUFSZ (1 << 17)

struct nl {
	int fd;
	uint16_t family;
	uint32_t seq;
	/* From CTRL_CMD_GETFAMILY: flags of each op, 0 = no such op. */
	uint32_t op_flags[256];
};

struct reply {
	int err;		/* 0 or a negative errno */
	long offs;		/* NLMSGERR_ATTR_OFFS, -1 if none */
	char extack[256];
	uint8_t data[BUFSZ];	/* genl payloads of the replies, concatenated */
	size_t len;
};

static uint8_t *put_attr(uint8_t *p, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)p;

	a->nla_len = NLA_HDRLEN + len;
	a->nla_type = type;
	if (len)
		memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return p + NLA_HDRLEN + NLA_ALIGN(len);
}

static uint8_t *put_u8(uint8_t *p, uint16_t t, uint8_t v) { return put_attr(p, t, &v, 1); }
static uint8_t *put_u32(uint8_t *p, uint16_t t, uint32_t v) { return put_attr(p, t, &v, 4); }
static uint8_t *put_str(uint8_t *p, uint16_t t, const char *s) { return put_attr(p, t, s, strlen(s) + 1); }

/* An allowlist prefix nest: addr (4 bytes), plen. */
static uint8_t *put_prefix4(uint8_t *p, uint8_t a, uint8_t b, uint8_t c, uint8_t plen)
{
	uint8_t *start = p, addr[4] = { a, b, c, 0 };

	p = put_attr(p, SIPGUARD_A_PREFIX | NLA_F_NESTED, NULL, 0);
	p = put_attr(p, SIPGUARD_PREFIX_A_ADDR, addr, 4);
	p = put_u8(p, SIPGUARD_PREFIX_A_PLEN, plen);
	((struct nlattr *)start)->nla_len = p - start;
	return p;
}

static uint8_t *put_deny4(uint8_t *p, uint8_t a, uint8_t b, uint8_t c, uint8_t plen)
{
	uint8_t *start = p, addr[4] = { a, b, c, 0 };

	p = put_attr(p, SIPGUARD_A_DENY | NLA_F_NESTED, NULL, 0);
	p = put_attr(p, SIPGUARD_DENY_A_ADDR, addr, 4);
	p = put_u8(p, SIPGUARD_DENY_A_PLEN, plen);
	((struct nlattr *)start)->nla_len = p - start;
	return p;
}

static void walk_attrs(const uint8_t *p, size_t len,
		       void (*fn)(uint16_t, const uint8_t *, size_t, void *), void *arg)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return;
		fn(a->nla_type & NLA_TYPE_MASK, p + NLA_HDRLEN, a->nla_len - NLA_HDRLEN, arg);
		if (NLA_ALIGN(a->nla_len) >= len)
			return;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
}

/*
 * Send one request (a raw attribute area, any bytes) and read until its
 * ACK, error or DONE.  `genl_len` < GENL_HDRLEN truncates the genl header.
 */
static int nl_talk_raw(struct nl *nl, int family, uint8_t cmd, uint16_t flags,
		       const void *attrs, size_t alen, size_t genl_len, struct reply *r)
{
	static uint8_t buf[BUFSZ];
	struct nlmsghdr *nlh = (void *)buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	uint32_t seq = ++nl->seq;
	ssize_t n;

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = seq;
	g->cmd = cmd;
	g->version = SIPGUARD_GENL_VERSION;
	memcpy((uint8_t *)g + genl_len, attrs, alen);
	nlh->nlmsg_len = NLMSG_HDRLEN + genl_len + alen;
	r->err = 0;
	r->offs = -1;
	r->extack[0] = 0;
	r->len = 0;
	if (send(nl->fd, buf, nlh->nlmsg_len, 0) < 0)
		return -errno;

	for (;;) {
		uint8_t *p = buf;

		n = recv(nl->fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		while (n >= (ssize_t)NLMSG_HDRLEN) {
			struct nlmsghdr *m = (void *)p;

			if (m->nlmsg_len < NLMSG_HDRLEN || m->nlmsg_len > (size_t)n)
				return -EPROTO;
			if (m->nlmsg_seq != seq)
				goto next;
			if (m->nlmsg_type == NLMSG_ERROR || m->nlmsg_type == NLMSG_DONE) {
				struct nlmsgerr *e = NLMSG_DATA(m);
				size_t off;

				if (m->nlmsg_type == NLMSG_DONE) {
					r->err = *(int *)NLMSG_DATA(m);
					if (!(m->nlmsg_flags & NLM_F_ACK_TLVS))
						return 0;
					off = NLMSG_HDRLEN + sizeof(int);
				} else {
					r->err = e->error;
					off = NLMSG_HDRLEN + sizeof(*e);
					if (!(m->nlmsg_flags & NLM_F_CAPPED))
						off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
				}
				if (m->nlmsg_flags & NLM_F_ACK_TLVS) {
					const uint8_t *t = p + off;
					size_t tl = m->nlmsg_len > off ? m->nlmsg_len - off : 0;

					while (tl >= NLA_HDRLEN) {
						const struct nlattr *a = (const void *)t;

						if (a->nla_len < NLA_HDRLEN || a->nla_len > tl)
							break;
						if (a->nla_type == NLMSGERR_ATTR_MSG)
							snprintf(r->extack, sizeof(r->extack), "%.*s",
								 (int)(a->nla_len - NLA_HDRLEN),
								 (const char *)t + NLA_HDRLEN);
						if (a->nla_type == NLMSGERR_ATTR_OFFS &&
						    a->nla_len >= NLA_HDRLEN + 4)
							r->offs = *(const uint32_t *)(t + NLA_HDRLEN);
						if (NLA_ALIGN(a->nla_len) >= tl)
							break;
						tl -= NLA_ALIGN(a->nla_len);
						t += NLA_ALIGN(a->nla_len);
					}
				}
				/* A dump ends with DONE (and no ACK after it). */
				if (m->nlmsg_type == NLMSG_DONE || !(flags & NLM_F_DUMP) || r->err)
					return 0;
				goto next;
			}
			if (m->nlmsg_len > NLMSG_HDRLEN + GENL_HDRLEN &&
			    r->len + m->nlmsg_len < sizeof(r->data)) {
				size_t l = m->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

				memcpy(r->data + r->len, p + NLMSG_HDRLEN + GENL_HDRLEN, l);
				r->len += l;
			}
next:
			n -= NLMSG_ALIGN(m->nlmsg_len);
			p += NLMSG_ALIGN(m->nlmsg_len);
		}
	}
}

static int nl_talk(struct nl *nl, uint8_t cmd, const void *attrs, size_t alen, struct reply *r)
{
	uint16_t flags = (nl->op_flags[cmd] & GENL_CMD_CAP_DO) ? 0 : NLM_F_DUMP;

	return nl_talk_raw(nl, nl->family, cmd, flags, attrs, alen, GENL_HDRLEN, r);
}

struct family_scan {
	struct nl *nl;
	uint32_t op_id, op_flags;
};

static void scan_op(uint16_t t, const uint8_t *d, size_t l, void *arg)
{
	struct family_scan *s = arg;

	if (t == CTRL_ATTR_OP_ID && l >= 4)
		memcpy(&s->op_id, d, 4);
	if (t == CTRL_ATTR_OP_FLAGS && l >= 4)
		memcpy(&s->op_flags, d, 4);
}

static void scan_ops(uint16_t t, const uint8_t *d, size_t l, void *arg)
{
	struct family_scan *s = arg;

	(void)t;
	s->op_id = 0;
	s->op_flags = 0;
	walk_attrs(d, l, scan_op, s);
	if (s->op_id && s->op_id < 256)
		s->nl->op_flags[s->op_id] = s->op_flags | 0x80000000u;
}

static void scan_family(uint16_t t, const uint8_t *d, size_t l, void *arg)
{
	struct family_scan *s = arg;

	if (t == CTRL_ATTR_FAMILY_ID && l >= 2)
		memcpy(&s->nl->family, d, 2);
	if (t == CTRL_ATTR_OPS)
		walk_attrs(d, l, scan_ops, s);
}

/* 0 on success, -ENOENT without the family, another -errno on failure. */
static int nl_open(struct nl *nl, struct reply *r)
{
	struct family_scan s = { .nl = nl };
	uint8_t a[64], *p;
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	p = put_str(a, CTRL_ATTR_FAMILY_NAME, SIPGUARD_GENL_NAME);
	err = nl_talk_raw(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, a, p - a, GENL_HDRLEN, r);
	if (err)
		return err;
	if (r->err)
		return r->err;
	walk_attrs(r->data, r->len, scan_family, &s);
	return nl->family ? 0 : -ENOENT;
}

/*
 * The state a refused request must not change: configuration, allowlist
 * and signatures as the kernel reports them.
 */
static size_t snapshot(struct nl *nl, uint8_t *out, size_t max, struct reply *r)
{
	static const uint8_t cmds[] = { SIPGUARD_CMD_GET_CONFIG, SIPGUARD_CMD_ALLOW_GET,
					SIPGUARD_CMD_SIG_GET };
	size_t len = 0, i;

	for (i = 0; i < sizeof(cmds); i++) {
		if (!nl->op_flags[cmds[i]])
			continue;
		if (nl_talk(nl, cmds[i], NULL, 0, r) || r->err || len + r->len > max)
			return 0;
		memcpy(out + len, r->data, r->len);
		len += r->len;
	}
	return len;
}

/* The request each command accepts (used for duplicates and permissions);
 * each would change something if it were allowed to succeed. */
static size_t valid_request(uint8_t cmd, uint8_t *a, uint16_t *first_type)
{
	uint8_t *p = a;

	*first_type = 0;
	switch (cmd) {
	case SIPGUARD_CMD_GET_STATS:
		p = put_u32(p, SIPGUARD_A_FLAGS, SIPGUARD_F_RESET);
		*first_type = SIPGUARD_A_FLAGS;
		break;
	case SIPGUARD_CMD_SET_CONFIG:
		p = put_u8(p, SIPGUARD_A_MODE, SIPGUARD_MODE_OFF);
		*first_type = SIPGUARD_A_MODE;
		break;
	case SIPGUARD_CMD_ALLOW_ADD:
	case SIPGUARD_CMD_ALLOW_REPLACE:
		p = put_prefix4(p, 203, 0, 113, 24);
		*first_type = SIPGUARD_A_PREFIX | NLA_F_NESTED;
		break;
	case SIPGUARD_CMD_ALLOW_DEL:
		p = put_prefix4(p, 192, 0, 2, 24);
		*first_type = SIPGUARD_A_PREFIX | NLA_F_NESTED;
		break;
	case SIPGUARD_CMD_UNBAN:
		p = put_u32(p, SIPGUARD_A_FLAGS, SIPGUARD_F_EVERY_SOURCE);
		*first_type = SIPGUARD_A_FLAGS;
		break;
	case SIPGUARD_CMD_SOURCES_GET:
		p = put_u32(p, SIPGUARD_A_FLAGS, SIPGUARD_F_BANNED_ONLY);
		*first_type = SIPGUARD_A_FLAGS;
		break;
	case SIPGUARD_CMD_SIG_ADD:
		p = put_str(p, SIPGUARD_A_SIGNATURE, "nl-hostile-new");
		*first_type = SIPGUARD_A_SIGNATURE;
		break;
	case SIPGUARD_CMD_SIG_DEL:
		p = put_str(p, SIPGUARD_A_SIGNATURE, "nl-hostile");
		*first_type = SIPGUARD_A_SIGNATURE;
		break;
	case SIPGUARD_CMD_ALLOW_REFRESH:
		p = put_str(p, SIPGUARD_A_NAME, "nl-hostile.example");
		p = put_prefix4(p, 203, 0, 113, 24);
		*first_type = SIPGUARD_A_NAME;
		break;
	case SIPGUARD_CMD_BAN: {
		static const uint8_t addr[4] = { 203, 0, 113, 9 };

		/* A u32 first: a duplicate of 5 bytes breaks its policy. */
		p = put_u32(p, SIPGUARD_A_BAN, 30);
		p = put_attr(p, SIPGUARD_A_ADDR, addr, sizeof(addr));
		*first_type = SIPGUARD_A_BAN;
		break;
	}
	case SIPGUARD_CMD_DENY_ADD:
	case SIPGUARD_CMD_DENY_REPLACE:
		p = put_str(p, SIPGUARD_A_ORIGIN, "nl-hostile");
		p = put_deny4(p, 203, 0, 113, 24);
		*first_type = SIPGUARD_A_ORIGIN;
		break;
	case SIPGUARD_CMD_DENY_DEL:
		p = put_deny4(p, 192, 0, 2, 24);
		*first_type = SIPGUARD_A_DENY | NLA_F_NESTED;
		break;
	}
	return p - a;
}

/* Commands that change state: uapi/linux/sipguard.h's list. */
static int mutating(uint8_t cmd)
{
	switch (cmd) {
	case SIPGUARD_CMD_SET_CONFIG:
	case SIPGUARD_CMD_ALLOW_ADD:
	case SIPGUARD_CMD_ALLOW_DEL:
	case SIPGUARD_CMD_ALLOW_FLUSH:
	case SIPGUARD_CMD_ALLOW_REPLACE:
	case SIPGUARD_CMD_UNBAN:
	case SIPGUARD_CMD_SIG_ADD:
	case SIPGUARD_CMD_SIG_DEL:
	case SIPGUARD_CMD_ALLOW_REFRESH:
	case SIPGUARD_CMD_BAN:
	case SIPGUARD_CMD_DENY_ADD:
	case SIPGUARD_CMD_DENY_DEL:
	case SIPGUARD_CMD_DENY_REPLACE:
		return 1;
	}
	return 0;
}

/* Reads that need CAP_NET_ADMIN all the same: third parties' addresses. */
static int privileged_read(uint8_t cmd)
{
	return cmd == SIPGUARD_CMD_SOURCES_GET || cmd == SIPGUARD_CMD_DENY_GET;
}

/* Sent by the kernel to the events group, never a request: no op for it. */
static int notification(uint8_t cmd)
{
	return cmd == SIPGUARD_CMD_EVENT;
}

static const char *cmd_name(uint8_t cmd)
{
	static const char *names[] = {
		[SIPGUARD_CMD_GET_STATS] = "GET_STATS", [SIPGUARD_CMD_GET_CONFIG] = "GET_CONFIG",
		[SIPGUARD_CMD_SET_CONFIG] = "SET_CONFIG", [SIPGUARD_CMD_ALLOW_GET] = "ALLOW_GET",
		[SIPGUARD_CMD_ALLOW_ADD] = "ALLOW_ADD", [SIPGUARD_CMD_ALLOW_DEL] = "ALLOW_DEL",
		[SIPGUARD_CMD_ALLOW_FLUSH] = "ALLOW_FLUSH",
		[SIPGUARD_CMD_ALLOW_REPLACE] = "ALLOW_REPLACE",
		[SIPGUARD_CMD_SOURCES_GET] = "SOURCES_GET", [SIPGUARD_CMD_UNBAN] = "UNBAN",
		[SIPGUARD_CMD_SIG_GET] = "SIG_GET", [SIPGUARD_CMD_SIG_ADD] = "SIG_ADD",
		[SIPGUARD_CMD_SIG_DEL] = "SIG_DEL", [SIPGUARD_CMD_ALLOW_REFRESH] = "ALLOW_REFRESH",
		[SIPGUARD_CMD_EVENT] = "EVENT", [SIPGUARD_CMD_BAN] = "BAN",
		[SIPGUARD_CMD_DENY_GET] = "DENY_GET",
		[SIPGUARD_CMD_DENY_ADD] = "DENY_ADD", [SIPGUARD_CMD_DENY_DEL] = "DENY_DEL",
		[SIPGUARD_CMD_DENY_REPLACE] = "DENY_REPLACE",
	};

	return cmd < sizeof(names) / sizeof(names[0]) && names[cmd] ? names[cmd] : "new-op";
}

/* ---- the defects ------------------------------------------------------ */

/*
 * One defect builds the attribute area of a request for a command; `arg`
 * selects an attribute type or size where the defect has several.  Returns
 * the length, or -1 when the defect does not apply.
 */
struct defect {
	const char *name;
	int nargs;
	long (*build)(uint8_t cmd, int arg, uint8_t *a);
};

static long d_unknown_type(uint8_t cmd, int arg, uint8_t *a)
{
	static const uint16_t types[] = { SIPGUARD_A_MAX + 1, SIPGUARD_A_MAX + 100, 0x3fff, 0 };

	(void)cmd;
	return put_u32(a, types[arg], 1) - a;
}

static long d_len_below_header(uint8_t cmd, int arg, uint8_t *a)
{
	(void)cmd;
	a[0] = arg;	/* nla_len 0..3 */
	a[1] = 0;
	a[2] = SIPGUARD_A_MODE;
	a[3] = 0;
	a[4] = a[5] = a[6] = a[7] = 1;
	return 8;
}

static long d_len_beyond_message(uint8_t cmd, int arg, uint8_t *a)
{
	static const uint16_t lens[] = { 9, 12, 64, 0xffff };
	uint8_t *p;

	(void)cmd;
	p = put_u32(a, SIPGUARD_A_FLAGS, 0);
	((struct nlattr *)a)->nla_len = lens[arg];
	return p - a;
}

static long d_trailing(uint8_t cmd, int arg, uint8_t *a)
{
	uint16_t t;
	size_t len = valid_request(cmd, a, &t);

	memset(a + len, 0, 3);
	return len + 1 + arg;	/* 1..3 stray bytes */
}

/* Sizes no policy of this family accepts for any type, all 0xff, so a u8
 * that happens to fit is still out of range and a nest holds no header. */
static const uint16_t bad_sizes[] = { 1, 3, 5, 9, 17, 4096, 65000 };
#define NSIZES (int)(sizeof(bad_sizes) / sizeof(bad_sizes[0]))

static long d_wrong_size(uint8_t cmd, int arg, uint8_t *a)
{
	uint16_t type = 1 + arg / NSIZES, size = bad_sizes[arg % NSIZES];

	(void)cmd;
	memset(a + NLA_HDRLEN, 0xff, size);
	return put_attr(a, type, a + NLA_HDRLEN, size) - a;
}

static long d_nested_flag(uint8_t cmd, int arg, uint8_t *a)
{
	uint8_t junk[4] = { 0xff, 0xff, 0xff, 0xff };

	(void)cmd;
	return put_attr(a, (1 + arg) | NLA_F_NESTED, junk, 4) - a;
}

/* Defects inside the nests a request may carry. */
static long d_bad_nest(uint8_t cmd, int arg, uint8_t *a)
{
	uint8_t *p = a, *n, *r;
	uint8_t v4[4] = { 192, 0, 2, 0 }, ff[5] = { 0xff, 0xff, 0xff, 0xff, 0xff };
	uint16_t port0 = 0;

	(void)cmd;
	n = p;
	switch (arg) {
	case 0:	/* prefix: unknown nested type */
		p = put_attr(p, SIPGUARD_A_PREFIX | NLA_F_NESTED, NULL, 0);
		p = put_attr(p, SIPGUARD_PREFIX_A_ADDR, v4, 4);
		p = put_u8(p, SIPGUARD_PREFIX_A_PLEN, 24);
		p = put_u8(p, SIPGUARD_PREFIX_A_MAX + 1, 1);
		break;
	case 1:	/* prefix: address of 5 bytes */
		p = put_attr(p, SIPGUARD_A_PREFIX | NLA_F_NESTED, NULL, 0);
		p = put_attr(p, SIPGUARD_PREFIX_A_ADDR, ff, 5);
		p = put_u8(p, SIPGUARD_PREFIX_A_PLEN, 24);
		break;
	case 2:	/* prefix: no length */
		p = put_attr(p, SIPGUARD_A_PREFIX | NLA_F_NESTED, NULL, 0);
		p = put_attr(p, SIPGUARD_PREFIX_A_ADDR, v4, 4);
		break;
	case 3:	/* prefix: truncated inner attribute */
		p = put_attr(p, SIPGUARD_A_PREFIX | NLA_F_NESTED, NULL, 0);
		p = put_attr(p, SIPGUARD_PREFIX_A_ADDR, v4, 4);
		((struct nlattr *)(n + NLA_HDRLEN))->nla_len = 40;
		break;
	case 4:	/* port list: a range with port 0 */
		p = put_attr(p, SIPGUARD_A_SIP_PORTS | NLA_F_NESTED, NULL, 0);
		r = p;
		p = put_attr(p, SIPGUARD_A_PORT_RANGE | NLA_F_NESTED, NULL, 0);
		p = put_attr(p, SIPGUARD_RANGE_A_MIN, &port0, 2);
		((struct nlattr *)r)->nla_len = p - r;
		break;
	case 5:	/* interface list: a name without NUL, too long */
		p = put_attr(p, SIPGUARD_A_IFACES | NLA_F_NESTED, NULL, 0);
		memset(p + NLA_HDRLEN, 'a', 40);
		p = put_attr(p, SIPGUARD_A_IFNAME, p + NLA_HDRLEN, 40);
		break;
	case 6:	/* port list: nest without NLA_F_NESTED */
		p = put_attr(p, SIPGUARD_A_TLS_PORTS, NULL, 0);
		p = put_attr(p, SIPGUARD_A_PORT_RANGE, ff, 4);
		break;
	case 7:	/* interface list: a name no device can have (dev_valid_name) */
		p = put_attr(p, SIPGUARD_A_IFACES | NLA_F_NESTED, NULL, 0);
		p = put_str(p, SIPGUARD_A_IFNAME, "wan/0");
		break;
	case 8:
		p = put_attr(p, SIPGUARD_A_IFACES | NLA_F_NESTED, NULL, 0);
		p = put_str(p, SIPGUARD_A_IFNAME, "..");
		break;
	default:
		return -1;
	}
	((struct nlattr *)n)->nla_len = p - n;
	return p - a;
}

/* A valid attribute followed by the same type broken: the first must not
 * be applied either. */
static long d_duplicate(uint8_t cmd, int arg, uint8_t *a)
{
	uint16_t t;
	size_t len = valid_request(cmd, a, &t);
	uint8_t *p = a + len, junk[5] = { 0xff, 0xff, 0xff, 0xff, 0xff };

	if (!t)
		return -1;
	if (arg == 0)
		p = put_attr(p, t & NLA_TYPE_MASK, junk, 5);
	else	/* the broken one first */
		memmove(a + 12, a, len), put_attr(a, t & NLA_TYPE_MASK, junk, 5), p = a + 12 + len;
	return p - a;
}

/* ---- what the kernel must answer ------------------------------------------ */

/*
 * The top-level attributes each command accepts and how they are validated,
 * as uapi/linux/sipguard.h documents them (sipguard_netlink.sh ties the
 * policies nlctrl reports to tools/ynl/sipguard-policy.json; this ties the
 * answers to them).
 */
enum kind { K_NONE, K_U8_RANGE, K_U32, K_NEST, K_BINARY16, K_STRING };

static enum kind attr_kind(uint8_t cmd, uint16_t type)
{
	int settings = cmd == SIPGUARD_CMD_SET_CONFIG || cmd == SIPGUARD_CMD_ALLOW_REPLACE;

	switch (type) {
	case SIPGUARD_A_FLAGS:
		return cmd == SIPGUARD_CMD_GET_STATS || cmd == SIPGUARD_CMD_SOURCES_GET ||
		       cmd == SIPGUARD_CMD_UNBAN || cmd == SIPGUARD_CMD_ALLOW_REFRESH ? K_U32 : K_NONE;
	case SIPGUARD_A_MODE: case SIPGUARD_A_POLICY: case SIPGUARD_A_PREFIX4:
	case SIPGUARD_A_PREFIX6: case SIPGUARD_A_REFUSE_INVITE: case SIPGUARD_A_LEARN:
		return settings ? K_U8_RANGE : K_NONE;
	case SIPGUARD_A_BAN:
		return settings || cmd == SIPGUARD_CMD_BAN ? K_U32 : K_NONE;
	case SIPGUARD_A_RATE: case SIPGUARD_A_BURST: case SIPGUARD_A_FAILURES:
	case SIPGUARD_A_BUDGET: case SIPGUARD_A_TABLE_MAX: case SIPGUARD_A_LEARN_MAX:
	case SIPGUARD_A_FAILURE_WINDOW: case SIPGUARD_A_BAN_MAX:
		return settings ? K_U32 : K_NONE;
	case SIPGUARD_A_SIP_PORTS: case SIPGUARD_A_TLS_PORTS: case SIPGUARD_A_IFACES:
		return settings ? K_NEST : K_NONE;
	case SIPGUARD_A_PREFIX:
		return cmd == SIPGUARD_CMD_ALLOW_ADD || cmd == SIPGUARD_CMD_ALLOW_DEL ||
		       cmd == SIPGUARD_CMD_ALLOW_REPLACE || cmd == SIPGUARD_CMD_ALLOW_REFRESH ?
		       K_NEST : K_NONE;
	case SIPGUARD_A_ADDR:
		return cmd == SIPGUARD_CMD_UNBAN || cmd == SIPGUARD_CMD_BAN ? K_BINARY16 : K_NONE;
	case SIPGUARD_A_SIGNATURE:
		return cmd == SIPGUARD_CMD_SIG_ADD || cmd == SIPGUARD_CMD_SIG_DEL ? K_STRING : K_NONE;
	case SIPGUARD_A_NAME:
		return cmd == SIPGUARD_CMD_ALLOW_DEL || cmd == SIPGUARD_CMD_ALLOW_REFRESH ?
		       K_STRING : K_NONE;
	case SIPGUARD_A_DENY:
	case SIPGUARD_A_ORIGIN:
		if (cmd != SIPGUARD_CMD_DENY_ADD && cmd != SIPGUARD_CMD_DENY_DEL &&
		    cmd != SIPGUARD_CMD_DENY_REPLACE)
			return K_NONE;
		return type == SIPGUARD_A_DENY ? K_NEST : K_STRING;
	}
	return K_NONE;
}

/* Expected answer: errno, and the offset of the attribute blamed (from the
 * start of the attributes; -1: none, as for bytes left over). */
struct expect {
	int err;
	long off;
};

/* The value checks a wrong size of @kind meets: ERANGE for a value out of a
 * range of the right size, EINVAL for everything else. */
static int wrong_size_errno(enum kind k, uint16_t size)
{
	if (k == K_U8_RANGE && size == 1)
		return -ERANGE;		/* 0xff: out of range */
	if (k == K_BINARY16 && size > 16)
		return -ERANGE;		/* longer than the policy allows */
	return -EINVAL;
}

static struct expect expected(uint8_t cmd, const char *defect, int arg, const uint8_t *a, long len)
{
	struct expect e = { -EINVAL, 0 };

	if (!strcmp(defect, "len-below-header") || !strcmp(defect, "len-beyond-message") ||
	    !strcmp(defect, "trailing-bytes")) {
		e.off = -1;		/* "bytes leftover": no attribute to blame */
	} else if (!strcmp(defect, "wrong-size")) {
		e.err = wrong_size_errno(attr_kind(cmd, 1 + arg / NSIZES), bad_sizes[arg % NSIZES]);
	} else if (!strcmp(defect, "nested-flag-on-anything")) {
		/* A real nest: its 0xff bytes are left over inside it. */
		if (attr_kind(cmd, 1 + arg) == K_NEST)
			e.off = -1;
	} else if (!strcmp(defect, "bad-nest")) {
		uint16_t outer = ((const struct nlattr *)a)->nla_type & NLA_TYPE_MASK;
		/* Offsets of the attribute each case breaks, inside the nest. */
		static const long inner[] = { 20, 4, 0, -1, 8, 4, 0, 4, 4 };

		if (attr_kind(cmd, outer) != K_NEST)
			return e;	/* refused as such: blamed itself */
		e.off = inner[arg];
		if (arg == 4)
			e.err = -ERANGE;	/* port 0 */
		/* Found by the handler, which wants a name first. */
		if (cmd == SIPGUARD_CMD_ALLOW_REFRESH && (arg == 1 || arg == 2))
			e.off = -1;
	} else if (!strcmp(defect, "duplicate")) {
		/* The broken one: after the valid request, or first. */
		e.off = arg == 0 ? len - 12 : 0;
	}
	return e;
}

static const struct defect defects[] = {
	{ "unknown-type", 4, d_unknown_type },
	{ "len-below-header", 4, d_len_below_header },
	{ "len-beyond-message", 4, d_len_beyond_message },
	{ "trailing-bytes", 3, d_trailing },
	{ "wrong-size", SIPGUARD_A_MAX * NSIZES, d_wrong_size },
	{ "nested-flag-on-anything", SIPGUARD_A_MAX, d_nested_flag },
	{ "bad-nest", 9, d_bad_nest },
	{ "duplicate", 2, d_duplicate },
};

/* ---- fixture ------------------------------------------------------------ */

static uint8_t before[BUFSZ], after[BUFSZ];

FIXTURE(genl) {
	struct nl nl;
	struct reply *r;
	size_t before_len;
};

FIXTURE_SETUP(genl)
{
	uint8_t a[256], *p;
	int err;

	/* A network namespace of our own: the module's defaults, plus one
	 * allowlist entry and one signature, so DEL has something to hit. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->r = calloc(1, sizeof(*self->r));
	/* Not ASSERT_NE(NULL, ...): 6.1's harness casts both sides to
	 * uintmax_t, which warns for a pointer on 32-bit. */
	ASSERT_TRUE(self->r != NULL);
	err = nl_open(&self->nl, self->r);
	if (err == -ENOENT)
		SKIP(return, "sipguard family not registered (module not loaded)");
	ASSERT_EQ(0, err);
	p = put_prefix4(a, 192, 0, 2, 24);
	ASSERT_EQ(0, nl_talk(&self->nl, SIPGUARD_CMD_ALLOW_ADD, a, p - a, self->r));
	ASSERT_EQ(0, self->r->err);
	if (self->nl.op_flags[SIPGUARD_CMD_SIG_ADD]) {
		p = put_str(a, SIPGUARD_A_SIGNATURE, "nl-hostile");
		ASSERT_EQ(0, nl_talk(&self->nl, SIPGUARD_CMD_SIG_ADD, a, p - a, self->r));
		ASSERT_EQ(0, self->r->err);
	}
	p = put_u8(a, SIPGUARD_A_MODE, SIPGUARD_MODE_ENFORCE);
	ASSERT_EQ(0, nl_talk(&self->nl, SIPGUARD_CMD_SET_CONFIG, a, p - a, self->r));
	ASSERT_EQ(0, self->r->err);
	self->before_len = snapshot(&self->nl, before, sizeof(before), self->r);
	ASSERT_NE(0, self->before_len);
}

FIXTURE_TEARDOWN(genl)
{
	if (self->nl.fd > 0)
		close(self->nl.fd);
	free(self->r);
}

static int unchanged(struct __test_metadata *_metadata, FIXTURE_DATA(genl) *self)
{
	size_t len = snapshot(&self->nl, after, sizeof(after), self->r);

	(void)_metadata;
	return len == self->before_len && !memcmp(before, after, len);
}

/* The family announces exactly the commands of the uapi header, each with
 * the permission flag the header documents. */
TEST_F(genl, ops_match_uapi)
{
	int cmd;

	for (cmd = 1; cmd <= SIPGUARD_CMD_MAX; cmd++) {
		uint32_t f = self->nl.op_flags[cmd];

		if (notification(cmd)) {
			EXPECT_EQ(0, f) TH_LOG("%s registered as a request", cmd_name(cmd));
			continue;
		}
		EXPECT_NE(0, f) TH_LOG("%s not registered", cmd_name(cmd));
		EXPECT_EQ(mutating(cmd) || privileged_read(cmd),
			  !!(f & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM)))
			TH_LOG("%s: permission flags 0x%x", cmd_name(cmd), f);
		EXPECT_NE(0, f & GENL_CMD_CAP_HASPOL) TH_LOG("%s has no policy", cmd_name(cmd));
	}
	for (cmd = SIPGUARD_CMD_MAX + 1; cmd < 256; cmd++)
		EXPECT_EQ(0, self->nl.op_flags[cmd]) TH_LOG("unknown op %d registered", cmd);
}

/* Every command x every defect: an error with an extack message, and
 * nothing changed. */
TEST_F(genl, every_command_every_defect)
{
	static uint8_t a[BUFSZ];
	unsigned int d, sent = 0, refused = 0, exact = 0;
	int cmd, arg;

	for (cmd = 1; cmd < 256; cmd++) {
		if (!self->nl.op_flags[cmd])
			continue;
		for (d = 0; d < sizeof(defects) / sizeof(defects[0]); d++) {
			for (arg = 0; arg < defects[d].nargs; arg++) {
				long len = defects[d].build(cmd, arg, a);

				if (len < 0)
					continue;
				ASSERT_EQ(0, nl_talk(&self->nl, cmd, a, len, self->r));
				sent++;
				if (getenv("NL_HOSTILE_TRACE"))
					fprintf(stderr, "# trace %s %s[%d] len %ld: %d offs %ld %s\n",
						cmd_name(cmd), defects[d].name, arg, len,
						self->r->err, self->r->offs, self->r->extack);
				if (self->r->err && self->r->extack[0]) {
					struct expect e = expected(cmd, defects[d].name, arg, a, len);
					long off = e.off < 0 ? -1 : NLMSG_HDRLEN + GENL_HDRLEN + e.off;

					refused++;
					exact += self->r->err == e.err && self->r->offs == off;
					EXPECT_EQ(e.err, self->r->err)
						TH_LOG("%s %s[%d]: %s (%s), expected %s", cmd_name(cmd),
						       defects[d].name, arg, strerror(-self->r->err),
						       self->r->extack, strerror(-e.err));
					EXPECT_EQ(off, self->r->offs)
						TH_LOG("%s %s[%d]: offset %ld blamed (%s), expected %ld",
						       cmd_name(cmd), defects[d].name, arg, self->r->offs,
						       self->r->extack, off);
					continue;
				}
				/* A defect in an attribute the command ignores
				 * (policy NLA_UNSPEC) must still be refused. */
				EXPECT_NE(0, self->r->err)
					TH_LOG("%s %s[%d] (%ld bytes) accepted", cmd_name(cmd),
					       defects[d].name, arg, len);
				EXPECT_NE(0, self->r->extack[0])
					TH_LOG("%s %s[%d]: %s without an extack message",
					       cmd_name(cmd), defects[d].name, arg,
					       strerror(-self->r->err));
			}
			EXPECT_TRUE(unchanged(_metadata, self))
				TH_LOG("%s %s changed the state", cmd_name(cmd), defects[d].name);
		}
	}
	fprintf(stderr, "# %u malformed requests, %u refused with an extack message, "
		"%u with the exact errno and blamed attribute\n", sent, refused, exact);
	EXPECT_EQ(sent, refused);
	EXPECT_EQ(sent, exact);
}

/* Requests the generic netlink core refuses before the family sees them. */
TEST_F(genl, unknown_commands_and_short_headers)
{
	static const uint8_t unknown[] = { 0, SIPGUARD_CMD_EVENT, SIPGUARD_CMD_MAX + 1, 100, 255 };
	unsigned int i;
	int cmd;

	for (i = 0; i < sizeof(unknown); i++) {
		ASSERT_EQ(0, nl_talk_raw(&self->nl, self->nl.family, unknown[i], 0, NULL, 0,
					 GENL_HDRLEN, self->r));
		EXPECT_EQ(-EOPNOTSUPP, self->r->err) TH_LOG("command %d", unknown[i]);
	}
	for (cmd = 1; cmd <= SIPGUARD_CMD_MAX; cmd++) {
		for (i = 0; i < GENL_HDRLEN; i++) {
			ASSERT_EQ(0, nl_talk_raw(&self->nl, self->nl.family, cmd, 0, NULL, 0,
						 i, self->r));
			EXPECT_NE(0, self->r->err) TH_LOG("%s with a %u-byte genl header",
							  cmd_name(cmd), i);
		}
	}
	EXPECT_TRUE(unchanged(_metadata, self));
}

/* Random bytes as attributes of random commands.  Refused each time: a
 * random area that happens to be valid would be reported with its bytes. */
TEST_F(genl, random_bytes)
{
	const char *s = getenv("NL_HOSTILE_SEED"), *n = getenv("NL_HOSTILE_RANDOM");
	unsigned int seed = s ? atoi(s) : 1, loops = n ? atoi(n) : 3000, i, j, refused = 0;
	uint8_t a[1024], ops[256];
	unsigned int nops = 0;

	for (i = 1; i < 256; i++)
		if (self->nl.op_flags[i])
			ops[nops++] = i;
	ASSERT_NE(0, nops);
	srandom(seed);
	for (i = 0; i < loops; i++) {
		uint8_t cmd = ops[random() % nops];
		size_t len = 1 + random() % sizeof(a);

		for (j = 0; j < len; j++)
			a[j] = random();
		/* Half of them start like an attribute of a known type. */
		if ((i & 1) && len >= 4) {
			a[2] = random() % (SIPGUARD_A_MAX + 1);
			a[3] &= 0x80;
		}
		ASSERT_EQ(0, nl_talk(&self->nl, cmd, a, len, self->r));
		if (self->r->err && self->r->extack[0]) {
			refused++;
			continue;
		}
		EXPECT_NE(0, self->r->err) TH_LOG("seed %u #%u: %s accepted %zu random bytes",
						 seed, i, cmd_name(cmd), len);
		EXPECT_NE(0, self->r->extack[0]) TH_LOG("seed %u #%u: %s: %s without extack",
						       seed, i, cmd_name(cmd),
						       strerror(-self->r->err));
	}
	fprintf(stderr, "# %u random requests (seed %u), %u refused with an extack message\n",
	       loops, seed, refused);
	EXPECT_EQ(loops, refused);
	EXPECT_TRUE(unchanged(_metadata, self));
}

/* ---- multi-part dumps ---------------------------------------------------- */

/*
 * Start a dump of `cmd` (request flags `flags` in SIPGUARD_A_FLAGS if not 0)
 * on a fresh socket, whose small reads make the kernel build small parts;
 * call change() once the first part is queued (the request itself queues
 * it, the next one is built when it is read: a change now falls between
 * the two); read the dump to its end.  Counts its parts, messages and the
 * messages flagged NLM_F_DUMP_INTR.
 */
struct dump_count {
	unsigned int parts, msgs, intr;
};

static void dump_across_change(struct __test_metadata *_metadata, FIXTURE_DATA(genl) *self,
			       uint8_t cmd, uint32_t flags,
			       void (*change)(struct __test_metadata *, FIXTURE_DATA(genl) *),
			       struct dump_count *c)
{
	static uint8_t buf[BUFSZ];
	struct nlmsghdr *nlh = (void *)buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	uint8_t *p;
	int fd, done = 0;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	ASSERT_LE(0, fd);
	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	p = buf + NLMSG_HDRLEN + GENL_HDRLEN;
	if (flags)
		p = put_u32(p, SIPGUARD_A_FLAGS, flags);
	nlh->nlmsg_len = p - buf;
	nlh->nlmsg_type = self->nl.family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	g->cmd = cmd;
	g->version = SIPGUARD_GENL_VERSION;
	ASSERT_EQ((ssize_t)nlh->nlmsg_len, send(fd, buf, nlh->nlmsg_len, 0));
	change(_metadata, self);
	while (!done) {
		uint8_t *q = buf;

		n = recv(fd, buf, 32768, 0);
		ASSERT_LT(0, n) TH_LOG("recv: %s", strerror(errno));
		c->parts++;
		while (n >= (ssize_t)NLMSG_HDRLEN) {
			struct nlmsghdr *m = (void *)q;

			ASSERT_LE(NLMSG_HDRLEN, m->nlmsg_len);
			ASSERT_GE(n, (ssize_t)m->nlmsg_len);
			c->intr += !!(m->nlmsg_flags & NLM_F_DUMP_INTR);
			ASSERT_NE(NLMSG_ERROR, m->nlmsg_type);
			if (m->nlmsg_type == NLMSG_DONE)
				done = 1;
			else
				c->msgs++;
			n -= NLMSG_ALIGN(m->nlmsg_len);
			q += NLMSG_ALIGN(m->nlmsg_len);
		}
	}
	close(fd);
	fprintf(stderr, "# %s: %u messages in %u parts, %u flagged NLM_F_DUMP_INTR\n",
		cmd_name(cmd), c->msgs, c->parts, c->intr);
	ASSERT_LT(1, c->parts) TH_LOG("the dump fit in one part: nothing to interrupt");
}

static void add_signature(struct __test_metadata *_metadata, FIXTURE_DATA(genl) *self)
{
	uint8_t a[256], *p = put_str(a, SIPGUARD_A_SIGNATURE, "nl-hostile-dump-change");

	ASSERT_EQ(0, nl_talk(&self->nl, SIPGUARD_CMD_SIG_ADD, a, p - a, self->r));
	ASSERT_EQ(0, self->r->err) TH_LOG("SIG_ADD during the dump: %s", self->r->extack);
}

/*
 * A change between two parts of a dump is flagged NLM_F_DUMP_INTR, from the
 * first change of the namespace's life on.  Signatures: 60-character ones
 * up to the limit need two parts or more; one is added after the first
 * part was read.
 */
TEST_F(genl, dump_interrupted_is_flagged)
{
	struct dump_count c;
	uint8_t a[256], *p;
	int i;

	if (!self->nl.op_flags[SIPGUARD_CMD_SIG_ADD])
		SKIP(return, "no signatures");
	for (i = 0; i < SIPGUARD_MAX_SIGNATURES; i++) {
		char sig[64];

		snprintf(sig, sizeof(sig), "nl-hostile-dump-%02d-%043d", i, 0);
		p = put_str(a, SIPGUARD_A_SIGNATURE, sig);
		ASSERT_EQ(0, nl_talk(&self->nl, SIPGUARD_CMD_SIG_ADD, a, p - a, self->r));
		if (self->r->err == -ENOSPC)
			break;
		ASSERT_EQ(0, self->r->err) TH_LOG("SIG_ADD: %s", self->r->extack);
	}
	/* Room for one more, added during the dump. */
	p = put_str(a, SIPGUARD_A_SIGNATURE, "nl-hostile-dump-00-0000000000000000000000000000000000000000000");
	ASSERT_EQ(0, nl_talk(&self->nl, SIPGUARD_CMD_SIG_DEL, a, p - a, self->r));
	ASSERT_EQ(0, self->r->err);
	dump_across_change(_metadata, self, SIPGUARD_CMD_SIG_GET, 0, add_signature, &c);
	EXPECT_LT(0, c.intr) TH_LOG("a signature added between two parts was not flagged");
}

static void add_allow(struct __test_metadata *_metadata, FIXTURE_DATA(genl) *self)
{
	uint8_t a[256], *p = put_prefix4(a, 198, 51, 100, 24);

	ASSERT_EQ(0, nl_talk(&self->nl, SIPGUARD_CMD_ALLOW_ADD, a, p - a, self->r));
	ASSERT_EQ(0, self->r->err) TH_LOG("ALLOW_ADD during the dump: %s", self->r->extack);
}

/* The allowlist: 600 entries need several parts; one is added between. */
TEST_F(genl, allow_dump_interrupted_is_flagged)
{
	struct dump_count c;
	uint8_t a[256], *p;
	int i;

	for (i = 0; i < 600; i++) {
		p = put_prefix4(a, 10, i >> 8, i & 0xff, 24);
		ASSERT_EQ(0, nl_talk(&self->nl, SIPGUARD_CMD_ALLOW_ADD, a, p - a, self->r));
		ASSERT_EQ(0, self->r->err) TH_LOG("ALLOW_ADD #%d: %s", i, self->r->extack);
	}
	dump_across_change(_metadata, self, SIPGUARD_CMD_ALLOW_GET, 0, add_allow, &c);
	EXPECT_LE(601, c.msgs);
	EXPECT_LT(0, c.intr) TH_LOG("an allowlist entry added between two parts was not flagged");
}

/*
 * The source table: filled by packets from 761 sources written to
 * a TUN device of the test's namespace (guarded: no default route, so every
 * interface but lo is), open policy, so each source gets an entry: more
 * than one part's worth.  A new table (TABLE_MAX changed) between two parts
 * is flagged (the parts after it list the new, empty table).
 */
static int tun_open(const char *name, uint32_t addr)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int fd, s;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr))
		goto err;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		goto err;
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
	if (ioctl(s, SIOCSIFADDR, &ifr)) {
		close(s);
		goto err;
	}
	ifr.ifr_flags = IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr)) {
		close(s);
		goto err;
	}
	close(s);
	return fd;
err:
	close(fd);
	return -1;
}

static uint16_t ip_csum(const void *p, size_t len)
{
	const uint16_t *w = p;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *w++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* One UDP datagram (checksum 0: none, as IPv4 allows) from src to dst:5060. */
static int tun_send_sip(int fd, uint32_t src, uint32_t dst)
{
	static const char sip[] = "OPTIONS sip:100@192.0.2.1 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-1\r\n"
		"From: <sip:nl@203.0.113.1>;tag=1\r\nTo: <sip:100@192.0.2.1>\r\n"
		"Call-ID: nl-hostile\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
	uint8_t pkt[512] = { 0 };
	struct iphdr *ip = (void *)pkt;
	struct udphdr *udp = (void *)(pkt + sizeof(*ip));
	size_t len = sizeof(*ip) + sizeof(*udp) + sizeof(sip) - 1;

	memcpy(udp + 1, sip, sizeof(sip) - 1);
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(len);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = htonl(src);
	ip->daddr = htonl(dst);
	ip->check = ip_csum(ip, sizeof(*ip));
	udp->source = htons(5060);
	udp->dest = htons(5060);
	udp->len = htons(len - sizeof(*ip));
	return write(fd, pkt, len) == (ssize_t)len ? 0 : -1;
}

static void new_table(struct __test_metadata *_metadata, FIXTURE_DATA(genl) *self)
{
	uint8_t a[64], *p = put_u32(a, SIPGUARD_A_TABLE_MAX, 8192);

	ASSERT_EQ(0, nl_talk(&self->nl, SIPGUARD_CMD_SET_CONFIG, a, p - a, self->r));
	ASSERT_EQ(0, self->r->err) TH_LOG("TABLE_MAX during the dump: %s", self->r->extack);
}

TEST_F(genl, sources_dump_interrupted_is_flagged)
{
	const uint32_t dst = 0xc0000201;	/* 192.0.2.1 */
	struct dump_count c;
	uint8_t a[64], *p;
	int fd, i;

	p = put_u8(a, SIPGUARD_A_POLICY, SIPGUARD_POLICY_OPEN);
	ASSERT_EQ(0, nl_talk(&self->nl, SIPGUARD_CMD_SET_CONFIG, a, p - a, self->r));
	ASSERT_EQ(0, self->r->err) TH_LOG("policy open: %s", self->r->extack);
	fd = tun_open("sgtun0", dst);
	if (fd < 0)
		SKIP(return, "no TUN device: %s", strerror(errno));
	/* Documentation ranges only: 192.0.2.2-254, 198.51.100.1-254, 203.0.113.1-254. */
	for (i = 2; i < 255; i++)
		ASSERT_EQ(0, tun_send_sip(fd, 0xc0000200 + i, dst));
	for (i = 1; i < 255; i++) {
		ASSERT_EQ(0, tun_send_sip(fd, 0xc6336400 + i, dst));
		ASSERT_EQ(0, tun_send_sip(fd, 0xcb007100 + i, dst));
	}
	dump_across_change(_metadata, self, SIPGUARD_CMD_SOURCES_GET, 0, new_table, &c);
	close(fd);
	EXPECT_LT(0, c.intr) TH_LOG("a new source table between two parts was not flagged");
}

/* ---- without CAP_NET_ADMIN ---------------------------------------------- */

/*
 * In a child: drop CAP_NET_ADMIN (0: setresuid to nobody; 1: a user
 * namespace, whose root has no power over our network namespace), send
 * each command's valid request, report what the kernel said.
 */
static int unprivileged(struct nl *nl, int how, int results[256])
{
	int fds[2], cmd;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		static struct reply r;
		uint8_t a[512];
		uint16_t t;

		close(fds[0]);
		if (how == 0) {
			if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
			    setresuid(65534, 65534, 65534))
				_exit(2);
		} else if (unshare(CLONE_NEWUSER)) {
			_exit(3);
		}
		/* The socket keeps the credentials of its opener. */
		close(nl->fd);
		nl->fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
		if (nl->fd < 0)
			_exit(4);
		for (cmd = 1; cmd <= SIPGUARD_CMD_MAX; cmd++) {
			size_t len = valid_request(cmd, a, &t);
			int res = nl_talk(nl, cmd, a, len, &r) ? 1000 : r.err;

			if (write(fds[1], &res, sizeof(res)) != sizeof(res))
				_exit(5);
			/* GET_STATS without the reset flag is a read. */
			if (cmd == SIPGUARD_CMD_GET_STATS) {
				res = nl_talk(nl, cmd, NULL, 0, &r) ? 1000 : r.err;
				if (write(fds[1], &res, sizeof(res)) != sizeof(res))
					_exit(5);
			}
		}
		_exit(0);
	}
	close(fds[1]);
	for (cmd = 1; cmd <= SIPGUARD_CMD_MAX + 1; cmd++)
		if (read(fds[0], &results[cmd], sizeof(int)) != sizeof(int))
			results[cmd] = 2000;
	close(fds[0]);
	waitpid(pid, &cmd, 0);
	return WIFEXITED(cmd) ? WEXITSTATUS(cmd) : -1;
}

static void check_unprivileged(struct __test_metadata *_metadata, FIXTURE_DATA(genl) *self,
			       int how)
{
	int res[256] = { 0 }, cmd, i = 1;

	ASSERT_EQ(0, unprivileged(&self->nl, how, res));
	for (cmd = 1; cmd <= SIPGUARD_CMD_MAX; cmd++, i++) {
		if (cmd == SIPGUARD_CMD_GET_STATS) {
			EXPECT_EQ(-EPERM, res[i]) TH_LOG("GET_STATS with reset: %d", res[i]);
			i++;
			EXPECT_EQ(0, res[i]) TH_LOG("GET_STATS (read): %d", res[i]);
		} else if (notification(cmd)) {
			EXPECT_EQ(-EOPNOTSUPP, res[i]) TH_LOG("%s as a request: %d", cmd_name(cmd), res[i]);
		} else if (mutating(cmd) || privileged_read(cmd)) {
			EXPECT_EQ(-EPERM, res[i]) TH_LOG("%s: %d", cmd_name(cmd), res[i]);
		} else {
			EXPECT_EQ(0, res[i]) TH_LOG("%s (read): %d", cmd_name(cmd), res[i]);
		}
	}
	EXPECT_TRUE(unchanged(_metadata, self));
}

TEST_F(genl, unprivileged_user)
{
	check_unprivileged(_metadata, self, 0);
}

TEST_F(genl, user_namespace_root)
{
	check_unprivileged(_metadata, self, 1);
}

TEST_HARNESS_MAIN
