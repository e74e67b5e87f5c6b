// SPDX-License-Identifier: GPL-2.0
/*
 * Registrar learning (see learn.h).
 *
 * The gateway sees the phone's REGISTER go out, so it knows which server
 * the phone trusts.  That server (address and port) is then trusted:
 *   REGISTER out  -> provisional trust for SG_LEARN_PROVISIONAL_SECS, so
 *                    that its answer (401 challenge, 2xx) gets back in;
 *   2xx in, same Call-ID and CSeq, from that very server and port
 *                 -> trusted for the granted lifetime + margin;
 *                    lifetime 0 (an unregister) -> forgotten at once.
 * A forged 2xx teaches nothing: it would have to come from the server the
 * REGISTER went to and carry that REGISTER's Call-ID and CSeq.
 *
 * The table is small (learn-max, default 16 servers) and changes once per
 * registration, while every untrusted packet reads it: readers scan an RCU
 * snapshot without locks; writers build a new snapshot (GFP_ATOMIC, in
 * softirq) under a spinlock and free the old one after a grace period.
 */
#include <linux/in.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "learn.h"
#include "sip_parser.h"
#include "sipguard.h"
#include "verdict.h"

static inline u64 sg_learn_now(void)
{
	return ktime_get_coarse_boottime_ns();
}

void sg_learn_init(struct sg_learn *l)
{
	RCU_INIT_POINTER(l->set, NULL);
	spin_lock_init(&l->lock);
	l->generation = 1;
}

void sg_learn_exit(struct sg_learn *l)
{
	/* The hooks are gone and readers done: no grace period needed. */
	kfree(rcu_dereference_protected(l->set, true));
}

static bool sg_learn_live(const struct sg_learned *e, u64 now)
{
	return now < e->learned_until || now < e->pending_until;
}

static bool sg_learn_same(const struct sg_learned *e, u8 family,
			  const u8 *addr, u16 port)
{
	return e->family == family && e->port == port &&
	       !memcmp(e->addr, addr, family == SG_AF_INET ? 4 : 16);
}

/*
 * Under l->lock: a copy of the live entries of the current set with room
 * for one more, or NULL without memory.
 */
static struct sg_learn_set *sg_learn_copy(struct sg_learn *l, u64 now)
{
	struct sg_learn_set *old = rcu_dereference_protected(l->set, lockdep_is_held(&l->lock));
	struct sg_learn_set *s;
	u32 i, n = old ? old->n : 0;

	s = kmalloc(struct_size(s, e, n + 1), GFP_ATOMIC);
	if (!s)
		return NULL;
	s->n = 0;
	for (i = 0; i < n; i++)
		if (sg_learn_live(&old->e[i], now))
			s->e[s->n++] = old->e[i];
	return s;
}

static void sg_learn_publish(struct sg_learn *l, struct sg_learn_set *s)
{
	struct sg_learn_set *old = rcu_dereference_protected(l->set, lockdep_is_held(&l->lock));

	rcu_assign_pointer(l->set, s);
	WRITE_ONCE(l->generation, l->generation + 1);
	if (old)
		kfree_rcu(old, rcu);
}

static u32 sg_learn_hash(const u8 *buf, const struct sip_field *f)
{
	return jhash(buf + f->off, f->len, 0);
}

/*
 * The REGISTER's requested lifetime: Contact's expires, else Expires, else
 * "unstated" (the registrar's default then applies).
 */
static u32 sg_learn_lifetime(const struct sip_msg *m)
{
	if (m->contact_expires_found)
		return m->contact_expires;
	if (m->expires_state == SIP_F_FOUND)
		return m->expires;
	return U32_MAX;
}

void sg_learn_outbound(struct sg_net *sgn, const struct sg_config *cfg,
		       struct sk_buff *skb, const struct sg_pkt *pk,
		       struct sg_pcpu_stats *st)
{
	struct sg_learn *l = &sgn->learn;
	struct sg_learn_set *s;
	struct sg_learned *e = NULL;
	struct sip_msg msg;
	unsigned int len;
	const u8 *p;
	u64 now;
	u32 i;

	p = sg_payload(skb, pk, &len);
	if (!p || sip_parse(p, len, &msg) != SIP_OK || !msg.is_request ||
	    msg.method != SIP_METHOD_REGISTER || msg.cseq.state != SIP_F_FOUND)
		return;
	sg_stats_inc(st, SIPGUARD_STAT_LEARN_REGISTER);

	now = sg_learn_now();
	spin_lock(&l->lock);
	s = sg_learn_copy(l, now);
	if (!s)
		goto out;
	for (i = 0; i < s->n; i++) {
		if (sg_learn_same(&s->e[i], pk->family, pk->daddr, pk->dport)) {
			e = &s->e[i];
			break;
		}
	}
	if (!e) {
		if (s->n >= cfg->p.learn_max) {
			sg_stats_inc(st, SIPGUARD_STAT_LEARN_FULL);
			kfree(s);
			goto out;
		}
		e = &s->e[s->n++];
		memset(e, 0, sizeof(*e));
		e->family = pk->family;
		e->port = pk->dport;
		memcpy(e->addr, pk->daddr, pk->family == SG_AF_INET ? 4 : 16);
	}
	e->pending_until = now + SG_LEARN_PROVISIONAL_SECS * NSEC_PER_SEC;
	e->callid_hash = sg_learn_hash(p, &msg.call_id);
	e->cseq = msg.cseq.num;
	e->want_expires = sg_learn_lifetime(&msg);
	sg_learn_publish(l, s);
out:
	spin_unlock(&l->lock);
}

/* A 2xx from @addr/@port: if it answers that server's pending REGISTER, learn or forget. */
static void sg_learn_confirm(struct sg_learn *l, u8 family, const u8 *addr,
			     u16 port, const u8 *p, const struct sip_msg *msg,
			     struct sg_pcpu_stats *st)
{
	struct sg_learn_set *s;
	struct sg_learned *e;
	u64 now = sg_learn_now();
	u32 i, life;

	spin_lock(&l->lock);
	s = sg_learn_copy(l, now);
	if (!s)
		goto out;
	for (i = 0; i < s->n; i++) {
		e = &s->e[i];
		if (!sg_learn_same(e, family, addr, port) || now >= e->pending_until ||
		    e->cseq != msg->cseq.num ||
		    e->callid_hash != sg_learn_hash(p, &msg->call_id))
			continue;
		/* The registrar's answer is authoritative over the request. */
		life = sg_learn_lifetime(msg);
		if (life == U32_MAX)
			life = e->want_expires;
		if (life == U32_MAX)
			life = SG_LEARN_DEFAULT_SECS;
		e->pending_until = 0;
		if (life) {
			/* A phone re-registers before it lapses; allow it some slack. */
			e->learned_until = now + ((u64)life + min_t(u32, life / 2, SG_LEARN_MARGIN_SECS)) *
						 NSEC_PER_SEC;
			sg_stats_inc(st, SIPGUARD_STAT_LEARN_CONFIRMED);
		} else {
			/* Unregistered: the copy below drops the dead entry. */
			e->learned_until = 0;
			sg_stats_inc(st, SIPGUARD_STAT_LEARN_FORGOTTEN);
		}
		/* A dead entry is skipped by readers, dropped by the next copy. */
		sg_learn_publish(l, s);
		goto out;
	}
	kfree(s);
out:
	spin_unlock(&l->lock);
}

bool sg_learn_inbound(struct sg_net *sgn, const struct sg_config *cfg,
		      struct sk_buff *skb, const struct sg_pkt *pk,
		      struct sg_pcpu_stats *st)
{
	struct sg_learn_set *s = rcu_dereference(sgn->learn.set);
	bool pending = false, found = false;
	struct sip_msg msg;
	unsigned int len;
	const u8 *p;
	u64 now;
	u32 i;

	if (!s)
		return false;
	now = sg_learn_now();
	for (i = 0; i < s->n; i++) {
		const struct sg_learned *e = &s->e[i];

		if (!sg_learn_same(e, pk->family, pk->saddr, pk->sport) ||
		    !sg_learn_live(e, now))
			continue;
		found = true;
		pending = now < e->pending_until;
		break;
	}
	if (!found)
		return false;
	/* Only a REGISTER awaiting its answer makes the answer worth parsing. */
	if (pending && pk->l4proto == IPPROTO_UDP) {
		p = sg_payload(skb, pk, &len);
		if (p && sip_parse(p, len, &msg) == SIP_OK && !msg.is_request &&
		    msg.status_code >= 200 && msg.status_code < 300 &&
		    msg.cseq.state == SIP_F_FOUND &&
		    msg.cseq.method == SIP_METHOD_REGISTER)
			sg_learn_confirm(&sgn->learn, pk->family, pk->saddr, pk->sport,
					 p, &msg, st);
	}
	return true;
}

void sg_learn_flush(struct sg_learn *l)
{
	struct sg_learn_set *old;

	spin_lock_bh(&l->lock);
	old = rcu_dereference_protected(l->set, lockdep_is_held(&l->lock));
	RCU_INIT_POINTER(l->set, NULL);
	WRITE_ONCE(l->generation, l->generation + 1);
	spin_unlock_bh(&l->lock);
	if (old)
		kfree_rcu(old, rcu);
}

int sg_learn_get(struct sg_learn *l, u32 idx, struct sg_learned_info *out)
{
	struct sg_learn_set *s;
	u64 now = sg_learn_now(), until;
	u32 i, live = 0;
	int ret = -ENOENT;

	rcu_read_lock();
	s = rcu_dereference(l->set);
	for (i = 0; s && i < s->n; i++) {
		const struct sg_learned *e = &s->e[i];

		if (!sg_learn_live(e, now) || live++ != idx)
			continue;
		out->family = e->family;
		out->port = e->port;
		memcpy(out->addr, e->addr, 16);
		out->confirmed = now < e->learned_until;
		until = max(out->confirmed ? e->learned_until : 0, e->pending_until);
		out->secs_left = (u32)div_u64(until - now + NSEC_PER_SEC - 1, NSEC_PER_SEC);
		ret = 0;
		break;
	}
	rcu_read_unlock();
	return ret;
}

u32 sg_learn_count(struct sg_learn *l)
{
	struct sg_learn_set *s;
	u64 now = sg_learn_now();
	u32 i, n = 0;

	rcu_read_lock();
	s = rcu_dereference(l->set);
	for (i = 0; s && i < s->n; i++)
		n += sg_learn_live(&s->e[i], now);
	rcu_read_unlock();
	return n;
}

int sg_learn_forget(struct sg_learn *l, u8 family, const u8 *addr, u16 port)
{
	struct sg_learn_set *s, *old;
	u64 now = sg_learn_now();
	int ret = -ENOENT;
	u32 i, j;

	spin_lock_bh(&l->lock);
	old = rcu_dereference_protected(l->set, lockdep_is_held(&l->lock));
	for (i = 0; old && i < old->n; i++) {
		if (!sg_learn_live(&old->e[i], now) ||
		    !sg_learn_same(&old->e[i], family, addr, port))
			continue;
		s = kmalloc(struct_size(s, e, old->n), GFP_ATOMIC);
		if (!s) {
			ret = -ENOMEM;
			break;
		}
		s->n = 0;
		for (j = 0; j < old->n; j++)
			if (j != i && sg_learn_live(&old->e[j], now))
				s->e[s->n++] = old->e[j];
		sg_learn_publish(l, s);
		ret = 0;
		break;
	}
	spin_unlock_bh(&l->lock);
	return ret;
}
