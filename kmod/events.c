// SPDX-License-Identifier: GPL-2.0
/*
 * Events for the "events" multicast group; see events.h for the rules and
 * uapi/linux/sipguard.h (SIPGUARD_CMD_EVENT) for what a message holds.
 */
#include <linux/in.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>

#include "config.h"
#include "events.h"
#include "learn.h"
#include "packet.h"
#include "sip_parser.h"
#include "sources.h"
#include "stats.h"

/* Longest method token and User-Agent an event carries (longer: cut). */
#define SG_EVENT_METHOD_MAX	31
#define SG_EVENT_UA_MAX		95
/* Room for the largest event: attributes above plus headers. */
#define SG_EVENT_SIZE		512

static struct sg_tb_rate sg_event_rate __ro_after_init;

int __init sg_events_module_init(unsigned int rate, unsigned int burst)
{
	return sg_tb_rate_set(&sg_event_rate, rate, burst);
}

void sg_events_init(struct sg_events *ev, struct net *net, struct sg_stats *stats)
{
	ev->net = net;
	ev->stats = stats;
	spin_lock_init(&ev->lock);
	sg_tb_init(&ev->tb, &sg_event_rate, ktime_get_coarse_boottime_ns());
	ev->seq = 0;
	ev->suppressed = 0;
}

/* Datapath callers have the counters open (@st); process context has not. */
static void sg_event_count(struct sg_events *ev, struct sg_pcpu_stats *st,
			   enum sipguard_stat s)
{
	if (st) {
		sg_stats_inc(st, s);
		return;
	}
	st = sg_stats_begin(ev->stats);
	sg_stats_inc(st, s);
	sg_stats_end(st);
}

typedef int (*sg_event_fill_t)(struct sk_buff *msg, const void *arg);

/*
 * Number the event, then send it if the bucket has a token.  Everything
 * under the lock, so numbers go out in order; BH off throughout, which
 * also lets process context open this CPU's counters.
 */
static void sg_event_emit(struct sg_events *ev, u8 type, sg_event_fill_t fill,
			  const void *arg, struct sg_pcpu_stats *st)
{
	struct sk_buff *msg = NULL;
	void *hdr;

	spin_lock_bh(&ev->lock);
	ev->seq++;
	if (!sg_tb_take(&ev->tb, &sg_event_rate, ktime_get_coarse_boottime_ns()))
		goto suppressed;
	msg = genlmsg_new(SG_EVENT_SIZE, GFP_ATOMIC | __GFP_NOWARN);
	if (!msg)
		goto suppressed;
	hdr = genlmsg_put(msg, 0, 0, &sg_genl_family, 0, SIPGUARD_CMD_EVENT);
	if (!hdr ||
	    nla_put_u8(msg, SIPGUARD_A_EVENT, type) ||
	    nla_put_u64_64bit(msg, SIPGUARD_A_SEQ, ev->seq, SIPGUARD_A_PAD) ||
	    nla_put_u64_64bit(msg, SIPGUARD_A_SUPPRESSED, ev->suppressed, SIPGUARD_A_PAD) ||
	    fill(msg, arg))
		goto suppressed;
	genlmsg_end(msg, hdr);
	/* Consumes @msg; a listener with a full socket sees ENOBUFS and a gap. */
	genlmsg_multicast_netns(&sg_genl_family, ev->net, msg, 0, SG_MCGRP_EVENTS,
				GFP_ATOMIC);
	sg_event_count(ev, st, SIPGUARD_STAT_EVENTS_SENT);
	spin_unlock_bh(&ev->lock);
	return;

suppressed:
	nlmsg_free(msg);
	ev->suppressed++;
	sg_event_count(ev, st, SIPGUARD_STAT_EVENTS_SUPPRESSED);
	spin_unlock_bh(&ev->lock);
}

/* Bytes from the network as printable ASCII: whitespace a space, others '?'. */
static int sg_put_text(struct sk_buff *msg, int type, const u8 *p,
		       unsigned int len, unsigned int max)
{
	char buf[SG_EVENT_UA_MAX + 1];
	unsigned int i;

	len = min3(len, max, (unsigned int)sizeof(buf) - 1);
	for (i = 0; i < len; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f)
			buf[i] = p[i];
		else
			buf[i] = p[i] == '\t' || p[i] == '\r' || p[i] == '\n' ? ' ' : '?';
	}
	buf[len] = '\0';
	return nla_put_string(msg, type, buf);
}

static int sg_put_addr(struct sk_buff *msg, u8 family, const u8 *addr)
{
	return nla_put(msg, SIPGUARD_A_ADDR, family == SG_AF_INET ? 4 : 16, addr);
}

struct sg_drop_event {
	struct sk_buff *skb;
	const struct sg_pkt *pk;
	u8 mode;
	u16 why;
};

/* The method and User-Agent, if the payload parses as a SIP message. */
static int sg_put_sip(struct sk_buff *msg, const struct sg_drop_event *d)
{
	const struct sg_pkt *pk = d->pk;
	struct sip_msg m;
	unsigned int len;
	const u8 *p;

	if (pk->bad || pk->tls || !pk->paylen)
		return 0;
	p = sg_payload(d->skb, pk, &len);
	if (!p || sip_parse(p, len, &m) != SIP_OK)
		return 0;
	if (m.is_request &&
	    sg_put_text(msg, SIPGUARD_A_METHOD, p + m.method_tok.off, m.method_tok.len,
			SG_EVENT_METHOD_MAX))
		return -EMSGSIZE;
	if (m.user_agent_state == SIP_F_FOUND &&
	    sg_put_text(msg, SIPGUARD_A_USER_AGENT, p + m.user_agent.off, m.user_agent.len,
			SG_EVENT_UA_MAX))
		return -EMSGSIZE;
	return 0;
}

static int sg_fill_drop(struct sk_buff *msg, const void *arg)
{
	const struct sg_drop_event *d = arg;
	const struct sg_pkt *pk = d->pk;

	if (sg_put_addr(msg, pk->family, pk->saddr) ||
	    nla_put_u16(msg, SIPGUARD_A_REASON, d->why) ||
	    nla_put_u8(msg, SIPGUARD_A_MODE, d->mode))
		return -EMSGSIZE;
	/* An IPv6 header chain that cannot be walked has no transport. */
	if (pk->l4proto &&
	    (nla_put_u8(msg, SIPGUARD_A_L4PROTO, pk->l4proto) ||
	     nla_put_u16(msg, SIPGUARD_A_PORT, pk->sport)))
		return -EMSGSIZE;
	return sg_put_sip(msg, d);
}

void sg_event_drop(struct sg_events *ev, const struct sg_config *cfg,
		   struct sk_buff *skb, const struct sg_pkt *pk,
		   enum sipguard_stat why, struct sg_pcpu_stats *st)
{
	struct sg_drop_event d = {
		.skb = skb, .pk = pk, .mode = cfg->p.mode, .why = why,
	};

	sg_event_emit(ev, SIPGUARD_EVENT_DROP, sg_fill_drop, &d, st);
}

struct sg_ban_event {
	const struct sg_src_info *src;
	u32 seconds;
	u32 trust;	/* SIPGUARD_F_ALLOWLISTED, SIPGUARD_F_REGISTRAR */
	u16 why;
};

static int sg_fill_ban(struct sk_buff *msg, const void *arg)
{
	const struct sg_ban_event *b = arg;

	if (sg_put_addr(msg, b->src->family, b->src->addr) ||
	    nla_put_u8(msg, SIPGUARD_A_PLEN, b->src->plen) ||
	    nla_put_u16(msg, SIPGUARD_A_REASON, b->why) ||
	    nla_put_u32(msg, SIPGUARD_A_BAN, b->seconds))
		return -EMSGSIZE;
	if (b->why == SIPGUARD_STAT_DROP_FAILURES &&
	    nla_put_u32(msg, SIPGUARD_A_FAILURES, b->src->failures))
		return -EMSGSIZE;
	if (b->trust && nla_put_u32(msg, SIPGUARD_A_FLAGS, b->trust))
		return -EMSGSIZE;
	return 0;
}

void sg_event_ban(struct sg_events *ev, const struct sg_src_info *src,
		  enum sipguard_stat why, u32 seconds, u32 trust,
		  struct sg_pcpu_stats *st)
{
	struct sg_ban_event b = {
		.src = src, .seconds = seconds, .why = why, .trust = trust,
	};

	sg_event_emit(ev, SIPGUARD_EVENT_BAN, sg_fill_ban, &b, st);
}

struct sg_unban_event {
	u8 family;
	u8 plen;
	const u8 *addr;
	u32 count;
	u32 pid;
	char comm[TASK_COMM_LEN];
};

static int sg_fill_unban(struct sk_buff *msg, const void *arg)
{
	const struct sg_unban_event *u = arg;

	if (u->addr ?
	    sg_put_addr(msg, u->family, u->addr) || nla_put_u8(msg, SIPGUARD_A_PLEN, u->plen) :
	    nla_put_u32(msg, SIPGUARD_A_FLAGS, SIPGUARD_F_EVERY_SOURCE))
		return -EMSGSIZE;
	if (nla_put_u32(msg, SIPGUARD_A_UNBANNED, u->count) ||
	    nla_put_u32(msg, SIPGUARD_A_PID, u->pid) ||
	    nla_put_string(msg, SIPGUARD_A_COMM, u->comm))
		return -EMSGSIZE;
	return 0;
}

void sg_event_unban(struct sg_events *ev, u8 family, const u8 *addr, u8 plen,
		    u32 count)
{
	struct sg_unban_event u = {
		.family = family, .plen = plen, .addr = addr, .count = count,
		/* As nf_tables names who changed a ruleset. */
		.pid = task_tgid_nr(current),
	};

	get_task_comm(u.comm, current);
	sg_event_emit(ev, SIPGUARD_EVENT_UNBAN, sg_fill_unban, &u, NULL);
}

struct sg_config_event {
	u64 generation;
	u32 pid;
	u8 cmd;
	char comm[TASK_COMM_LEN];
};

static int sg_fill_config(struct sk_buff *msg, const void *arg)
{
	const struct sg_config_event *c = arg;

	if (nla_put_u64_64bit(msg, SIPGUARD_A_GENERATION, c->generation, SIPGUARD_A_PAD) ||
	    nla_put_u8(msg, SIPGUARD_A_REQUEST, c->cmd) ||
	    nla_put_u32(msg, SIPGUARD_A_PID, c->pid) ||
	    nla_put_string(msg, SIPGUARD_A_COMM, c->comm))
		return -EMSGSIZE;
	return 0;
}

void sg_event_config(struct sg_events *ev, u64 generation, u8 cmd)
{
	struct sg_config_event c = {
		.generation = generation, .cmd = cmd,
		.pid = task_tgid_nr(current),
	};

	get_task_comm(c.comm, current);
	sg_event_emit(ev, SIPGUARD_EVENT_CONFIG, sg_fill_config, &c, NULL);
}

int sg_put_learn_port(struct sk_buff *msg, int type, const struct sg_learn_port *p,
		      u32 secs, bool answer)
{
	unsigned int alen = p->family == SG_AF_INET ? 4 : 16;
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put(msg, SIPGUARD_PP_A_ADDR, alen, p->addr) ||
	    nla_put_u16(msg, SIPGUARD_PP_A_PORT, p->port) ||
	    nla_put_u8(msg, SIPGUARD_PP_A_L4PROTO, p->l4proto) ||
	    nla_put(msg, SIPGUARD_PP_A_PHONE, alen, p->phone) ||
	    nla_put_u16(msg, SIPGUARD_PP_A_PHONE_PORT, p->phone_port) ||
	    nla_put_u32(msg, SIPGUARD_PP_A_SECS, secs) ||
	    (p->confirmed && nla_put_flag(msg, SIPGUARD_PP_A_CONFIRMED)) ||
	    (answer && nla_put_flag(msg, SIPGUARD_PP_A_ANSWER))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int sg_fill_learn_port(struct sk_buff *msg, const void *arg)
{
	const struct sg_learn_port *p = arg;
	u64 now = ktime_get_coarse_boottime_ns();
	u32 secs = now < p->until ? (u32)div_u64(p->until - now, NSEC_PER_SEC) : 0;

	return sg_put_learn_port(msg, SIPGUARD_A_LEARN_PORT, p, secs, false);
}

void sg_event_learn_port(struct sg_events *ev, const struct sg_learn_port *p,
			 bool guarded, struct sg_pcpu_stats *st)
{
	sg_event_emit(ev, guarded ? SIPGUARD_EVENT_PORT_GUARDED : SIPGUARD_EVENT_PORT_UNGUARDED,
		      sg_fill_learn_port, p, st);
}
