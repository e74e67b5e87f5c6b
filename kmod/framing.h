/* SPDX-License-Identifier: GPL-2.0 */
/* Framing: the SIP messages in an untrusted payload (see framing.c). */
#ifndef _SIPGUARD_FRAMING_H
#define _SIPGUARD_FRAMING_H

#include <linux/sipguard.h>

struct sg_config;
struct sg_pkt;
struct sg_pcpu_stats;
struct sk_buff;

/* Split the payload of @pk into messages and judge each. */
enum sipguard_stat sg_judge_payload(const struct sg_config *cfg,
				    struct sk_buff *skb, const struct sg_pkt *pk,
				    struct sg_pcpu_stats *st);

int sg_framing_init(void);
void sg_framing_exit(void);

#endif /* _SIPGUARD_FRAMING_H */
