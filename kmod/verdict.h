/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decision for one SIP packet, once hooks.c has found its L3/L4 facts:
 * which counter it lands in, and whether that is a drop.
 */
#ifndef _SIPGUARD_VERDICT_H
#define _SIPGUARD_VERDICT_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "config.h"
#include "packet.h"
#include "stats.h"

struct sg_src_info;

/*
 * Decide about @pk: returns the decision counter (SIPGUARD_STAT_PASS_* or
 * _DROP_*, or UNGUARDED_IFACE); per-method counters go to @st directly.
 * If deciding banned the packet's source (DROP_RATE or DROP_SIGNATURE),
 * @ban describes it (its family no longer 0, which the caller sets), for
 * the caller to count and announce; likewise @news, the ports learning
 * began or ceased to guard.  Softirq, under RCU, bottom halves off.
 */
enum sipguard_stat sg_decide(const struct sg_config *cfg, struct sk_buff *skb,
			     const struct sg_pkt *pk, struct sg_pcpu_stats *st,
			     struct sg_src_info *ban, struct sg_learn_news *news);

#endif /* _SIPGUARD_VERDICT_H */
