/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Framing: where the SIP messages in an untrusted payload are (see
 * framing.c), as an iterator that verdict.c drives.  Each step says what
 * the caller does next:
 *
 *   SG_FRAME_IDLE     bytes no SIP stack acts on (none, CRLFs, STUN): only
 *                     a ban of the source stops them; they cost no token;
 *   SG_FRAME_SIP      SIP bytes: the source pays one token for them;
 *   SG_FRAME_MESSAGE  a message that parsed: @p/@n is its window and @msg
 *                     its parse; the caller judges it, and stores a result
 *                     that is not a drop in @res;
 *   SG_FRAME_DONE     nothing more: @res is the payload's result.
 *
 * A drop at any step ends the payload: the caller stops asking.  Kernel
 * independent: the payload is read through packet.h only, so tools/unit
 * tests it as it tests the parser.
 */
#ifndef _SIPGUARD_FRAMING_H
#define _SIPGUARD_FRAMING_H

#include <linux/sipguard.h>

#include "packet.h"
#include "sip_parser.h"

enum sg_frame {
	SG_FRAME_DONE,
	SG_FRAME_IDLE,
	SG_FRAME_SIP,
	SG_FRAME_MESSAGE,
};

struct sg_frames {
	struct sk_buff *skb;
	const struct sg_pkt *pk;
	u8 state;		/* private to framing.c */
	bool csum_checked;	/* UDP: once per packet */
	bool charged;		/* TCP: the segment's token pays this message */
	unsigned int off;	/* the next message's payload offset */
	unsigned int end;	/* UDP: the end of the datagram at @off */
	unsigned int seg;	/* UDP: bytes per datagram */
	enum sipguard_stat res;
	const u8 *p;		/* SG_FRAME_MESSAGE: the message's window, */
	unsigned int n;
	struct sip_msg msg;	/* and its parse */
};

void sg_frames_start(struct sg_frames *f, struct sk_buff *skb,
		     const struct sg_pkt *pk);
enum sg_frame sg_frames_next(struct sg_frames *f);

/* Could a SIP stack act on anything in @pk?  (Learned ports, see learn.h.) */
bool sg_frames_any_sip(struct sk_buff *skb, const struct sg_pkt *pk);

#endif /* _SIPGUARD_FRAMING_H */
