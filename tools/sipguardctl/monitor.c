// SPDX-License-Identifier: GPL-2.0
/*
 * `sipguardctl monitor`: the events group of this namespace, one line per
 * event until interrupted.  Text is "EVENT key value ..." with the JSON
 * keys; -j prints one JSON object per line (sipguardctl(8), MONITOR).
 *
 * Every event carries the namespace's sequence number and its count of
 * events kept back so far.  A gap means this listener missed events: the
 * kernel's rate limit kept some back (the difference of the counts) and
 * the rest were lost on this socket (ENOBUFS).  One "missed N events" line
 * says so before the event that revealed the gap.
 *
 * --log prints bans, unbans and their expiry in the event log's stable
 * format instead (evlog.c), for journald, fail2ban and CrowdSec.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/sipguard.h>

#include "ctl.h"
#include "evlog.h"
#include "genl.h"
#include "config.h"
#include "grammar.h"
#include "monitor.h"
#include "names.h"
#include "prefix.h"
#include "print.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct event {
	uint8_t type;
	uint64_t seq;
	uint64_t suppressed;	/* the namespace's, so far */
	struct prefix src;	/* len 0: none */
	bool has_plen, has_port, every;
	uint16_t port, reason;
	uint8_t proto, mode;
	bool has_mode, has_ban, has_unbanned, has_pid, has_generation, has_failures;
	uint32_t failures, flags;
	uint64_t generation;
	uint8_t request;
	uint32_t seconds, unbanned, pid;
	char method[32], user_agent[128], comm[32];
	struct phone_port lport;	/* family 0: none */
};

struct monitor {
	uint16_t family;
	bool have_seq;		/* seen an event yet */
	uint64_t last_seq;
	uint64_t last_suppressed;
	bool log;		/* --log: the event log's lines (evlog.c) */
};

static const char *event_name(uint8_t t)
{
	switch (t) {
	case SIPGUARD_EVENT_BAN: return "ban";
	case SIPGUARD_EVENT_UNBAN: return "unban";
	case SIPGUARD_EVENT_DROP: return "drop";
	case SIPGUARD_EVENT_CONFIG: return "config";
	case SIPGUARD_EVENT_PORT_GUARDED: return "port_guarded";
	case SIPGUARD_EVENT_PORT_UNGUARDED: return "port_unguarded";
	}
	return NULL;
}

/* The request a config event names, as the YNL spec spells it. */
static const char *request_name(uint8_t cmd)
{
	switch (cmd) {
	case SIPGUARD_CMD_SET_CONFIG: return "set-config";
	case SIPGUARD_CMD_ALLOW_ADD: return "allow-add";
	case SIPGUARD_CMD_ALLOW_DEL: return "allow-del";
	case SIPGUARD_CMD_ALLOW_FLUSH: return "allow-flush";
	case SIPGUARD_CMD_ALLOW_REPLACE: return "allow-replace";
	case SIPGUARD_CMD_ALLOW_REFRESH: return "allow-refresh";
	case SIPGUARD_CMD_SIG_ADD: return "sig-add";
	case SIPGUARD_CMD_SIG_DEL: return "sig-del";
	case SIPGUARD_CMD_DENY_ADD: return "deny-add";
	case SIPGUARD_CMD_DENY_DEL: return "deny-del";
	case SIPGUARD_CMD_DENY_REPLACE: return "deny-replace";
	}
	return NULL;
}

static const char *proto_name(uint8_t p)
{
	return p == IPPROTO_UDP ? "udp" : p == IPPROTO_TCP ? "tcp" : "other";
}

static void copy_str(char *dst, size_t len, const struct nlattr *a)
{
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		snprintf(dst, len, "%s", mnl_attr_get_str(a));
}

static void parse_event(const struct nlmsghdr *nlh, struct event *e)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case SIPGUARD_A_EVENT:
			if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
				e->type = mnl_attr_get_u8(a);
			break;
		case SIPGUARD_A_SEQ:
			if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
				e->seq = mnl_attr_get_u64(a);
			break;
		case SIPGUARD_A_LEARN_PORT:
			parse_phone_port(a, &e->lport);
			break;
		case SIPGUARD_A_SUPPRESSED:
			if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
				e->suppressed = mnl_attr_get_u64(a);
			break;
		case SIPGUARD_A_ADDR:
			if (mnl_attr_get_payload_len(a) == 4 || mnl_attr_get_payload_len(a) == 16) {
				e->src.len = (int)mnl_attr_get_payload_len(a);
				memcpy(e->src.addr, mnl_attr_get_payload(a), e->src.len);
				e->src.plen = e->src.len * 8;
			}
			break;
		case SIPGUARD_A_PLEN:
			if (mnl_attr_validate(a, MNL_TYPE_U8) == 0) {
				e->src.plen = mnl_attr_get_u8(a);
				e->has_plen = true;
			}
			break;
		case SIPGUARD_A_FLAGS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				e->flags = mnl_attr_get_u32(a);
			e->every = e->flags & SIPGUARD_F_EVERY_SOURCE;
			break;
		case SIPGUARD_A_PORT:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0) {
				e->port = mnl_attr_get_u16(a);
				e->has_port = true;
			}
			break;
		case SIPGUARD_A_L4PROTO:
			if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
				e->proto = mnl_attr_get_u8(a);
			break;
		case SIPGUARD_A_REASON:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				e->reason = mnl_attr_get_u16(a);
			break;
		case SIPGUARD_A_MODE:
			if (mnl_attr_validate(a, MNL_TYPE_U8) == 0) {
				e->mode = mnl_attr_get_u8(a);
				e->has_mode = true;
			}
			break;
		case SIPGUARD_A_BAN:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
				e->seconds = mnl_attr_get_u32(a);
				e->has_ban = true;
			}
			break;
		case SIPGUARD_A_FAILURES:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
				e->failures = mnl_attr_get_u32(a);
				e->has_failures = true;
			}
			break;
		case SIPGUARD_A_UNBANNED:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
				e->unbanned = mnl_attr_get_u32(a);
				e->has_unbanned = true;
			}
			break;
		case SIPGUARD_A_PID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
				e->pid = mnl_attr_get_u32(a);
				e->has_pid = true;
			}
			break;
		case SIPGUARD_A_GENERATION:
			if (mnl_attr_validate(a, MNL_TYPE_U64) == 0) {
				e->generation = mnl_attr_get_u64(a);
				e->has_generation = true;
			}
			break;
		case SIPGUARD_A_REQUEST:
			if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
				e->request = mnl_attr_get_u8(a);
			break;
		case SIPGUARD_A_METHOD:
			copy_str(e->method, sizeof(e->method), a);
			break;
		case SIPGUARD_A_USER_AGENT:
			copy_str(e->user_agent, sizeof(e->user_agent), a);
			break;
		case SIPGUARD_A_COMM:
			copy_str(e->comm, sizeof(e->comm), a);
			break;
		}
	}
}

/* Text: one line, "key value" pairs; a value with a space or quote quoted. */
static void text_pair(const char *key, const char *v)
{
	printf(" %s ", key);
	if (*v && !strpbrk(v, " \t\"\\")) {
		fputs(v, stdout);
		return;
	}
	putchar('"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			putchar('\\');
		putchar(*v);
	}
	putchar('"');
}

static void out_str(const char *key, const char *v)
{
	if (print_json)
		print_str(key, v);
	else
		text_pair(key, v);
}

static void out_u64(const char *key, uint64_t v)
{
	char buf[24];

	if (print_json) {
		print_u64(key, v);
	} else {
		snprintf(buf, sizeof(buf), "%" PRIu64, v);
		text_pair(key, buf);
	}
}

static void line_open(const char *what)
{
	if (print_json) {
		print_open();
		print_str("event", what);
	} else {
		fputs(what, stdout);
	}
}

static void line_close(void)
{
	if (print_json) {
		print_close();
	} else {
		putchar('\n');
		fflush(stdout);
	}
}

static void print_missed(uint64_t missed, uint64_t suppressed)
{
	uint64_t lost = missed - suppressed;

	if (print_json) {
		print_open();
		print_str("event", "missed");
		print_u64("missed", missed);
		print_u64("suppressed", suppressed);
		print_u64("lost", lost);
		print_close();
		return;
	}
	printf("missed %" PRIu64 " events (%" PRIu64 " suppressed by the rate limit", missed,
	       suppressed);
	if (lost)
		printf(", %" PRIu64 " lost: receive buffer full", lost);
	puts(")");
	fflush(stdout);
}

static void print_event(const struct event *e)
{
	const char *name = event_name(e->type), *reason;
	char buf[64];

	if (!name)
		return;		/* a newer module's event: nothing to say about it */
	line_open(name);
	if (e->src.len) {
		prefix_format(&e->src, buf, sizeof(buf));
		if (!e->has_plen)
			*strchrnul(buf, '/') = '\0';
		out_str("source", buf);
	} else if (e->every) {
		out_str("source", "all");
	}
	if (e->has_port) {
		out_u64("port", e->port);
		out_str("proto", proto_name(e->proto));
	}
	if (e->reason) {
		reason = stat_name(e->reason);
		if (reason)
			out_str("reason", reason);
		else
			out_u64("reason", e->reason);
	}
	if (e->has_mode) {
		const char *m = conf_mode_name(e->mode);

		if (m)
			out_str("mode", m);
	}
	if (e->method[0])
		out_str("method", e->method);
	if (e->user_agent[0])
		out_str("user_agent", e->user_agent);
	if (e->has_ban)
		out_u64("seconds", e->seconds);
	if (e->has_failures)
		out_u64("failures", e->failures);
	if (e->type == SIPGUARD_EVENT_BAN && evlog_trusted(e->flags))
		out_str("trusted", evlog_trusted(e->flags));
	if (e->has_unbanned)
		out_u64("unbanned", e->unbanned);
	if (e->has_generation) {
		const char *r = request_name(e->request);

		out_u64("generation", e->generation);
		if (r)
			out_str("request", r);
		else
			out_u64("request", e->request);
	}
	if (e->has_pid) {
		out_u64("pid", e->pid);
		out_str("comm", e->comm);
	}
	if (e->lport.family) {
		format_endpoint(buf, sizeof(buf), e->lport.family, e->lport.addr, e->lport.port);
		out_str("address", buf);
		out_str("proto", proto_name(e->lport.l4proto));
		format_endpoint(buf, sizeof(buf), e->lport.family, e->lport.phone,
				e->lport.phone_port);
		out_str("phone", buf);
		out_u64("secs_left", e->lport.secs);
	}
	out_u64("seq", e->seq);
	line_close();
}

static int cb_event(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct event e = { 0 };

	if (nlh->nlmsg_type != m->family ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*g) || g->cmd != SIPGUARD_CMD_EVENT)
		return MNL_CB_OK;
	parse_event(nlh, &e);
	if (m->have_seq && e.seq > m->last_seq + 1) {
		uint64_t missed = e.seq - m->last_seq - 1, supp = 0;

		if (e.suppressed > m->last_suppressed)
			supp = e.suppressed - m->last_suppressed;
		if (m->log)
			evlog_missed(missed, supp < missed ? supp : missed);
		else
			print_missed(missed, supp < missed ? supp : missed);
	}
	if (!m->have_seq || e.seq > m->last_seq) {
		m->last_seq = e.seq;
		m->last_suppressed = e.suppressed;
	}
	m->have_seq = true;
	if (!m->log)
		print_event(&e);
	else if (e.type == SIPGUARD_EVENT_BAN && e.src.len)
		evlog_ban(&e.src, e.reason, e.seconds, e.has_failures, e.failures, e.flags);
	else if (e.type == SIPGUARD_EVENT_UNBAN)
		evlog_unban(e.src.len ? &e.src : NULL, e.unbanned, e.pid, e.comm);
	return MNL_CB_OK;
}

int cmd_monitor(struct sg_nl *nl, int argc, char **argv)
{
	struct monitor m;
	struct pollfd pfd;
	bool log = false;
	unsigned int grp;
	ssize_t n;
	int fd, ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			print_json = true;
		else if (!strcmp(argv[i], "--log"))
			log = true;
		else
			return usage_error(NULL, "unknown argument '%s'", argv[i]);
	}
	if (log && print_json)
		return usage_error(NULL, "--log has one format: it takes no -j");
	ret = ctl_connect(nl);
	if (ret)
		return ret;
	memset(&m, 0, sizeof(m));
	m.family = nl->family;
	m.log = log;
	if (log)
		evlog_init(ctl_netns());
	fd = mnl_socket_get_fd(nl->sock);
	grp = nl->mcgrp_events;
	if (!grp) {
		fprintf(stderr, "sipguardctl: this sipguard module has no events group (too old)\n");
		return EXIT_FAIL;
	}
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0) {
		if (errno == EPERM) {
			fprintf(stderr, "sipguardctl: monitor: %s: listening to events needs CAP_NET_ADMIN\n",
				strerror(errno));
			return EXIT_FAIL;
		}
		return report("joining the events group", -errno, NULL);
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		/* Without --log nothing is pending: poll() waits for events. */
		if (poll(&pfd, 1, log ? evlog_expire() : -1) < 0 && errno != EINTR)
			return report("waiting for events", -errno, NULL);
		/* POLLERR alone: the socket overflowed (ENOBUFS from recv). */
		if (!(pfd.revents & (POLLIN | POLLERR)))
			continue;
		n = recv(fd, nl->buf, nl->bufsize, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			/* Events lost: the next one's number tells how many. */
			if (errno == ENOBUFS)
				continue;
			return report("reading events", -errno, NULL);
		}
		if (mnl_cb_run(nl->buf, (size_t)n, 0, 0, cb_event, &m) == MNL_CB_ERROR)
			return report("reading events", -errno, NULL);
	}
}
