/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Failure bans: an untrusted source that the PBX keeps turning away is
 * banned, from the PBX's own final answers, without logs.
 *
 * Requests: every untrusted request that passes under the open policy is
 * remembered in its source's entry (sources.c) as a hash of its Call-ID,
 * CSeq (number and method) and top Via branch, and whether it carried
 * credentials.  Answers: a final response with a SIP source port leaving
 * towards a source, either forwarded (it arrives on an interface that is
 * not guarded: the PBX behind a gateway) or sent by this host (LOCAL_OUT:
 * sipguard on the PBX itself), is matched against that source's requests.
 * Only an answer to a request the source sent counts, once:
 *   403, 404, 484            always (a scan for extensions, a forbidden call)
 *   401, 407                 if the request carried credentials (a password
 *                            that failed; a first challenge is normal SIP)
 * `failures` of them within `failure-window` seconds ban the source like a
 * rate offender (DROP_FAILURES).
 */
#ifndef _SIPGUARD_FAILURES_H
#define _SIPGUARD_FAILURES_H

#include <linux/bitops.h>
#include <linux/types.h>

#include "config.h"

struct sg_net;
struct sg_walk;
struct sip_msg;
struct sk_buff;

/* Is a packet from @sport a possible answer to watch?  One bit test. */
static inline bool sg_fail_watching(const struct sg_config *cfg, u16 sport)
{
	return cfg->p.failures && cfg->p.policy == SIPGUARD_POLICY_OPEN &&
	       test_bit(sport, cfg->sip_ports);
}

/*
 * Datapath: @msg, parsed from @p, is an untrusted request that passed.
 * Returns what its source's entry keeps of it (sg_src_after_message()),
 * or 0 when there is nothing to keep (failure bans off, an ACK, a request
 * whose answers could not be told apart).  Reads only.
 */
u32 sg_fail_request_rec(const struct sg_config *cfg, const u8 *p,
			const struct sip_msg *msg);

/*
 * Datapath, under RCU, any BH state: @skb, walked to its UDP or TCP payload
 * (@w: SG_WALK_TRANSPORT), leaves towards w->daddr from a watched port
 * (sg_fail_watching()): forwarded from the inside (PRE_ROUTING), or sent by
 * this host (@local: LOCAL_OUT).  Only looks: the packet is never dropped
 * for it.
 */
void sg_fail_answer(struct sg_net *sgn, const struct sg_config *cfg,
		    struct sk_buff *skb, const struct sg_walk *w, bool local);

#endif /* _SIPGUARD_FAILURES_H */
