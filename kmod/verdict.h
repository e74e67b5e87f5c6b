/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdict for one SIP packet, once hooks.c has found its L3/L4 facts:
 * the one place that asks the units (allowlist, denylist, learning,
 * sources, signatures), each with its own state, and that counts and
 * announces what their answers come to.
 */
#ifndef _SIPGUARD_VERDICT_H
#define _SIPGUARD_VERDICT_H

#include <linux/skbuff.h>

#include "config.h"
#include "packet.h"
#include "stats.h"

struct sg_net;

/*
 * Decide about @pk, which arrived in @sgn, count the decision once and
 * announce what it caused (a ban, learning's news, a sampled drop):
 * NF_DROP for a drop in enforce mode, else NF_ACCEPT.  Softirq, under RCU.
 */
unsigned int sg_verdict(struct sg_net *sgn, const struct sg_config *cfg,
			struct sk_buff *skb, const struct sg_pkt *pk);

/*
 * A registrar's first answer to a phone whose port is not guarded yet
 * (learning on, a REGISTER awaiting its answer): learned from, never
 * judged.  Softirq or LOCAL_OUT, under RCU.
 */
void sg_verdict_learn_answer(struct sg_net *sgn, struct sk_buff *skb,
			     const struct sg_pkt *pk);

/*
 * Under the namespace's lock: the BAN request, as the datapath bans, with
 * its counters and event (sg_src_ban_manual()).
 */
int sg_verdict_ban_manual(struct sg_net *sgn, const struct sg_config *cfg,
			  u8 family, const u8 *addr, u32 secs);

#endif /* _SIPGUARD_VERDICT_H */
