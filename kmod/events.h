/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events for `sipguardctl monitor`: bans, unbans and dropped packets, sent
 * to the "events" multicast group of the sipguard family in the namespace
 * where they happen.
 *
 * Nothing is built, counted or locked unless someone listens: every entry
 * point is behind sg_events_wanted(), a read of the group's listener bit.
 * With a listener, each event takes the namespace's event lock, gets the
 * next sequence number and needs a token of the namespace's event bucket
 * (module parameters event_rate and event_burst); without one it is only
 * counted (EVENTS_SUPPRESSED).  So a flood costs a listener at most
 * event_rate messages a second, and the sequence numbers show what it
 * missed, whether suppressed here or lost on a full socket.  A message is
 * built and multicast under the lock (GFP_ATOMIC), so sequence numbers
 * reach a listener in order.
 */
#ifndef _SIPGUARD_EVENTS_H
#define _SIPGUARD_EVENTS_H

#include <linux/spinlock.h>
#include <net/genetlink.h>
#include <linux/sipguard.h>

#include "token_bucket.h"

struct net;
struct sg_stats;
struct sg_config;
struct sg_pkt;
struct sg_pcpu_stats;
struct sg_src_info;
struct sg_learn_port;
struct sk_buff;

struct sg_events {
	spinlock_t lock;
	struct sg_tb tb;
	u64 seq;		/* of the last event, sent or not */
	u64 suppressed;		/* events not sent, ever */
	struct net *net;	/* the namespace they are sent in */
	struct sg_stats *stats;	/* its counters, for process context */
};

/* netlink.c: the family, and the index of its events group. */
extern struct genl_family sg_genl_family;
#define SG_MCGRP_EVENTS	0

/* Module parameters: checked once at load. */
int sg_events_module_init(unsigned int rate, unsigned int burst);
void sg_events_init(struct sg_events *ev, struct net *net, struct sg_stats *stats);

/* Does anyone listen?  No write to anything shared. */
static inline bool sg_events_wanted(const struct net *net)
{
	return genl_has_listeners(&sg_genl_family, (struct net *)net,
				  SG_MCGRP_EVENTS) > 0;
}

/*
 * Datapath (BH off, under RCU, @st open): @pk was judged @why, a drop
 * (would-drop in monitor mode).  Parses the payload for the method and
 * User-Agent only when the event will be sent.
 */
void sg_event_drop(struct sg_events *ev, const struct sg_config *cfg,
		   struct sk_buff *skb, const struct sg_pkt *pk,
		   enum sipguard_stat why, struct sg_pcpu_stats *st);

/*
 * Datapath or process context, BH off, under RCU, @st open: @src was banned
 * for @seconds (@src is a snapshot: callers may have dropped the source's
 * lock); @trust, SIPGUARD_F_ALLOWLISTED and _REGISTRAR, says whom the user
 * trusts inside its prefix.
 */
void sg_event_ban(struct sg_events *ev, const struct sg_src_info *src,
		  enum sipguard_stat why, u32 seconds, u32 trust,
		  struct sg_pcpu_stats *st);

/*
 * Process context, by the UNBAN request of the current task: one source
 * (@addr masked to @plen) or, with @addr NULL, all (@count of them).
 */
void sg_event_unban(struct sg_events *ev, u8 family, const u8 *addr, u8 plen,
		    u32 count);

/*
 * Process context, by a request of the current task (command @cmd) that
 * changed the configuration, the allowlist or the signatures; the
 * configuration's generation is now @generation.
 */
void sg_event_config(struct sg_events *ev, u64 generation, u8 cmd);

/* Datapath, BH off, @st open: learning began or ceased to guard @p. */
void sg_event_learn_port(struct sg_events *ev, const struct sg_learn_port *p,
			 bool guarded, struct sg_pcpu_stats *st);

/*
 * A nest @type of SIPGUARD_PP_A_* for @p (@secs: left, or ago), as
 * GET_CONFIG and the events carry it; @answer: an unguarded phone seen by
 * its registrar's 2xx.
 */
int sg_put_learn_port(struct sk_buff *msg, int type, const struct sg_learn_port *p,
		      u32 secs, bool answer);

#endif /* _SIPGUARD_EVENTS_H */
