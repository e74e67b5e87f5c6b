// SPDX-License-Identifier: GPL-2.0
/*
 * Registrar learning (see learn.h).
 *
 * The gateway sees the phones' REGISTERs go out, so it knows which servers
 * the phones trust.  Each registration (phone address and port, To URI,
 * server) is kept on its own:
 *   REGISTER out  -> the registration is pending for SG_LEARN_PROVISIONAL_SECS,
 *                    so that its answer (401 challenge, 2xx) gets back in;
 *   2xx in, same Call-ID and CSeq, from the server and port the REGISTER
 *   went to, to whatever port of the phone
 *                 -> confirmed for the lifetime granted to this phone's
 *                    Contact (the 2xx lists every binding of the AOR),
 *                    capped at a day, plus a margin;
 *                    lifetime 0 (an unregister) -> this registration goes.
 * A server is trusted while any registration with it is pending or
 * confirmed, so one phone's unregister leaves the others' calls alone.
 * A forged 2xx teaches nothing: it would have to come from the server the
 * REGISTER went to and carry that REGISTER's Call-ID and CSeq.
 *
 * A server is its address, not its address and port: a registrar that
 * takes REGISTERs on 5080 commonly sends its INVITEs from 5060 (several
 * listening sockets, a proxy in front of a registrar on one host), and a
 * port adds nothing against a spoofer, who forges the port as easily as the
 * address.  The port still picks which answer confirms a REGISTER.
 *
 * Every untrusted packet reads the servers (at most learn-max), none reads
 * the registrations: readers scan an RCU snapshot of the servers without
 * locks; writers change the registrations under a spinlock and publish a
 * new snapshot (GFP_ATOMIC, in softirq), freeing the old one after a grace
 * period.  Registrations change once per REGISTER.
 */
#include <linux/ctype.h>
#include <linux/in.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/udp.h>

#include "learn.h"
#include "packet.h"
#include "sip_parser.h"
#include "sipguard.h"

static inline u64 sg_learn_now(void)
{
	return ktime_get_coarse_boottime_ns();
}

static inline unsigned int sg_alen(u8 family)
{
	return family == SG_AF_INET ? 4 : 16;
}

void sg_learn_init(struct sg_learn *l)
{
	RCU_INIT_POINTER(l->set, NULL);
	INIT_LIST_HEAD(&l->regs);
	l->n_regs = 0;
	l->pending = 0;
	spin_lock_init(&l->lock);
	l->generation = 1;
}

static void sg_learn_free_regs(struct sg_learn *l)
{
	struct sg_learn_reg *r, *tmp;

	list_for_each_entry_safe(r, tmp, &l->regs, node) {
		list_del(&r->node);
		kfree(r);
	}
	l->n_regs = 0;
	WRITE_ONCE(l->pending, 0);
}

void sg_learn_exit(struct sg_learn *l)
{
	/* The hooks are gone and readers done: no grace period needed. */
	sg_learn_free_regs(l);
	kfree(rcu_dereference_protected(l->set, true));
}

static bool sg_learn_live(const struct sg_learned *e, u64 now)
{
	return now < e->learned_until || now < e->pending_until;
}

static const struct sg_learned *sg_learn_server(const struct sg_learn_set *s, u8 family,
						const u8 *addr)
{
	u32 i;

	for (i = 0; s && i < s->n; i++)
		if (s->e[i].family == family && !memcmp(s->e[i].addr, addr, sg_alen(family)))
			return &s->e[i];
	return NULL;
}

/*
 * Under l->lock: room for the servers of every registration plus one more,
 * allocated before anything changes, so that a failure changes nothing.
 */
static struct sg_learn_set *sg_learn_alloc(struct sg_learn *l)
{
	u32 n = min_t(u32, l->n_regs + 1, SG_LEARN_MAX);
	struct sg_learn_set *s = kmalloc(struct_size(s, e, n), GFP_ATOMIC | __GFP_NOWARN);

	if (s)
		s->n = n;	/* capacity, until sg_learn_publish() fills it */
	return s;
}

/*
 * Under l->lock: drop what has lapsed, gather the registrations into
 * their servers in @s (from sg_learn_alloc()), publish it.
 */
static void sg_learn_publish(struct sg_learn *l, struct sg_learn_set *s, u64 now)
{
	struct sg_learn_set *old = rcu_dereference_protected(l->set, lockdep_is_held(&l->lock));
	struct sg_learn_reg *r, *tmp;
	unsigned int pending = 0;
	u32 cap = s->n, i;

	s->n = 0;
	s->pending_until = 0;
	list_for_each_entry_safe(r, tmp, &l->regs, node) {
		struct sg_learned *e = NULL;

		if (now >= r->pending_until)
			r->pending_until = 0;
		if (!r->pending_until && now >= r->learned_until) {
			list_del(&r->node);
			kfree(r);
			l->n_regs--;
			continue;
		}
		for (i = 0; i < s->n; i++) {
			if (s->e[i].family == r->family &&
			    !memcmp(s->e[i].addr, r->server, sg_alen(r->family))) {
				e = &s->e[i];
				break;
			}
		}
		if (!e) {
			/* Cannot happen: servers <= min(registrations, SG_LEARN_MAX). */
			if (WARN_ON_ONCE(s->n >= cap))
				continue;
			e = &s->e[s->n++];
			memset(e, 0, sizeof(*e));
			e->family = r->family;
			memcpy(e->addr, r->server, 16);
		}
		e->n_regs++;
		e->learned_until = max(e->learned_until, r->learned_until);
		if (r->pending_until) {
			pending++;
			if (!e->pending_until)
				e->pending_port = r->server_port;
			else if (e->pending_port != r->server_port)
				e->pending_port = 0;
			e->pending_until = max(e->pending_until, r->pending_until);
			s->pending_until = max(s->pending_until, r->pending_until);
		}
	}
	rcu_assign_pointer(l->set, s);
	WRITE_ONCE(l->generation, l->generation + 1);
	WRITE_ONCE(l->pending, pending);
	if (old)
		kfree_rcu(old, rcu);
}

/* FNV-1a, optionally ASCII case-insensitive (host names are). */
static u32 sg_learn_fnv(const u8 *p, u32 len, u32 h, bool ci)
{
	while (len--) {
		u8 c = *p++;

		h = (h ^ (ci ? tolower(c) : c)) * 16777619;
	}
	return h;
}

static u32 sg_learn_uri_hash(const u8 *buf, const struct sip_uri *u, bool user)
{
	u16 port = u->port;
	u32 h = 2166136261u;

	if (user)
		h = sg_learn_fnv(buf + u->user.off, u->user.len, h, false);
	h = sg_learn_fnv((const u8 *)"@", 1, h, false);
	h = sg_learn_fnv(buf + u->host.off, u->host.len, h, true);
	/* sip:host and sip:host:5060 are the same binding. */
	if (!port)
		port = u->scheme_id == SIP_SCHEME_SIPS ? 5061 : 5060;
	h = sg_learn_fnv((const u8 *)&port, sizeof(port), h, false);
	return h ?: 1;
}

/*
 * A REGISTER's own binding, its first Contact: *@contact its hash (0 for
 * "*"), *@want the lifetime asked (Contact's expires over Expires, RFC 3261
 * 10.2.1.1; U32_MAX: unstated).  False without Contact: that REGISTER only
 * asks for the bindings (RFC 3261 10.2.3) and changes nothing.
 */
static bool sg_learn_request(const u8 *p, const struct sip_msg *m,
			     u32 *contact, u32 *want)
{
	struct sip_contact_iter it = {};
	struct sip_contact c;

	if (!sip_contact_next(p, m, &it, &c))
		return false;
	*contact = c.star ? 0 : sg_learn_uri_hash(p, &c.uri, false);
	if (c.expires_found)
		*want = c.expires;
	else if (m->expires_state == SIP_F_FOUND)
		*want = m->expires;
	else
		*want = U32_MAX;
	return true;
}

/*
 * The lifetime a 2xx grants @r: the expires of the Contact that is the
 * phone's (the longest, if listed twice), else the Expires header, else
 * what the REGISTER asked (U32_MAX: unstated).  A 2xx to an unregister
 * lists the bindings left, without this one: the REGISTER's 0 applies.
 */
static u32 sg_learn_granted(const u8 *p, const struct sip_msg *m,
			    const struct sg_learn_reg *r)
{
	struct sip_contact_iter it = {};
	struct sip_contact c;
	bool found = false;
	u32 life = 0;

	while (r->contact && sip_contact_next(p, m, &it, &c)) {
		if (c.star || !c.expires_found ||
		    sg_learn_uri_hash(p, &c.uri, false) != r->contact)
			continue;
		life = found ? max(life, c.expires) : c.expires;
		found = true;
	}
	if (found)
		return life;
	if (m->expires_state == SIP_F_FOUND)
		return m->expires;
	return r->want_expires;
}

static u32 sg_learn_hash(const u8 *buf, const struct sip_field *f)
{
	return jhash(buf + f->off, f->len, 0);
}

void sg_learn_outbound(struct sg_net *sgn, const struct sg_config *cfg,
		       struct sk_buff *skb, const struct sg_pkt *pk,
		       struct sg_pcpu_stats *st)
{
	struct sg_learn *l = &sgn->learn;
	struct sg_learn_reg *r, *reg = NULL;
	const struct sg_learn_set *cur;
	const struct sg_learned *e;
	struct sg_learn_set *s;
	u32 aor, contact, want, i, servers = 0;
	struct sip_msg msg;
	unsigned int len;
	const u8 *p;
	u64 now;

	p = sg_payload(skb, pk, &len);
	if (!p || sip_parse(p, len, &msg) != SIP_OK || !msg.is_request ||
	    msg.method != SIP_METHOD_REGISTER || msg.cseq.state != SIP_F_FOUND)
		return;
	/* One the stack drops (bad checksum) never reaches the registrar. */
	if (!sg_csum_ok(skb, pk))
		return;
	sg_stats_inc(st, SIPGUARD_STAT_LEARN_REGISTER);
	if (msg.to.state != SIP_F_FOUND || msg.call_id_state != SIP_F_FOUND ||
	    !sg_learn_request(p, &msg, &contact, &want))
		return;
	aor = sg_learn_uri_hash(p, &msg.to.uri, true);

	now = sg_learn_now();
	spin_lock(&l->lock);
	list_for_each_entry(r, &l->regs, node) {
		if (r->family == pk->family && r->phone_port == pk->sport && r->aor == aor &&
		    !memcmp(r->server, pk->daddr, sg_alen(pk->family)) &&
		    !memcmp(r->phone, pk->saddr, sg_alen(pk->family))) {
			reg = r;
			break;
		}
	}
	/* learn-max bounds the servers; a known one takes more registrations. */
	cur = rcu_dereference_protected(l->set, lockdep_is_held(&l->lock));
	e = sg_learn_server(cur, pk->family, pk->daddr);
	for (i = 0; cur && i < cur->n; i++)
		servers += sg_learn_live(&cur->e[i], now);
	if ((!reg && l->n_regs >= SG_LEARN_MAX_REGS) ||
	    ((!e || !sg_learn_live(e, now)) && servers >= cfg->p.learn_max)) {
		sg_stats_inc(st, SIPGUARD_STAT_LEARN_FULL);
		goto out;
	}
	s = sg_learn_alloc(l);
	if (!s)
		goto out;
	if (!reg) {
		reg = kzalloc(sizeof(*reg), GFP_ATOMIC | __GFP_NOWARN);
		if (!reg) {
			kfree(s);
			goto out;
		}
		reg->family = pk->family;
		reg->phone_port = pk->sport;
		reg->aor = aor;
		memcpy(reg->server, pk->daddr, sg_alen(pk->family));
		memcpy(reg->phone, pk->saddr, sg_alen(pk->family));
		list_add_tail(&reg->node, &l->regs);
		l->n_regs++;
	}
	reg->server_port = pk->dport;
	reg->contact = contact;
	reg->want_expires = want;
	reg->pending_until = now + (u64)SG_LEARN_PROVISIONAL_SECS * NSEC_PER_SEC;
	reg->callid_hash = sg_learn_hash(p, &msg.call_id);
	reg->cseq = msg.cseq.num;
	sg_learn_publish(l, s, now);
out:
	spin_unlock(&l->lock);
}

/* A 2xx from @addr/@port: if it answers a pending REGISTER, learn or forget. */
static void sg_learn_confirm(struct sg_learn *l, u8 family, const u8 *addr,
			     u16 port, const u8 *p, const struct sip_msg *msg,
			     struct sg_pcpu_stats *st)
{
	u32 callid = sg_learn_hash(p, &msg->call_id), life;
	struct sg_learn_reg *r;
	struct sg_learn_set *s;
	u64 now = sg_learn_now();

	spin_lock(&l->lock);
	list_for_each_entry(r, &l->regs, node) {
		if (r->family != family || r->server_port != port ||
		    now >= r->pending_until || r->cseq != msg->cseq.num ||
		    r->callid_hash != callid ||
		    memcmp(r->server, addr, sg_alen(family)))
			continue;
		s = sg_learn_alloc(l);
		if (!s)
			break;
		life = sg_learn_granted(p, msg, r);
		if (life == U32_MAX)
			life = SG_LEARN_DEFAULT_SECS;
		life = min_t(u32, life, SG_LEARN_MAX_LIFE_SECS);
		r->pending_until = 0;
		if (life) {
			/* A phone re-registers before it lapses; allow it some slack. */
			r->learned_until = now + ((u64)life + min_t(u32, life / 2, SG_LEARN_MARGIN_SECS)) *
						 NSEC_PER_SEC;
			sg_stats_inc(st, SIPGUARD_STAT_LEARN_CONFIRMED);
		} else {
			/* Unregistered: publishing drops it; others with the server stay. */
			r->learned_until = 0;
			sg_stats_inc(st, SIPGUARD_STAT_LEARN_FORGOTTEN);
		}
		sg_learn_publish(l, s, now);
		break;
	}
	spin_unlock(&l->lock);
}

/* Parse @pk's payload; a 2xx to a REGISTER goes to sg_learn_confirm(). */
static void sg_learn_answer(struct sg_learn *l, struct sk_buff *skb,
			    const struct sg_pkt *pk, struct sg_pcpu_stats *st)
{
	struct sip_msg msg;
	unsigned int len;
	const u8 *p;

	p = sg_payload(skb, pk, &len);
	if (p && sip_parse(p, len, &msg) == SIP_OK && !msg.is_request &&
	    msg.status_code >= 200 && msg.status_code < 300 &&
	    msg.cseq.state == SIP_F_FOUND && msg.call_id_state == SIP_F_FOUND &&
	    msg.cseq.method == SIP_METHOD_REGISTER && sg_csum_ok(skb, pk))
		sg_learn_confirm(l, pk->family, pk->saddr, pk->sport, p, &msg, st);
}

/* Is @e awaiting an answer from @port? */
static bool sg_learn_awaits(const struct sg_learned *e, u16 port, u64 now)
{
	return now < e->pending_until && (!e->pending_port || e->pending_port == port);
}

bool sg_learn_inbound(struct sg_net *sgn, const struct sg_config *cfg,
		      struct sk_buff *skb, const struct sg_pkt *pk,
		      struct sg_pcpu_stats *st)
{
	const struct sg_learn_set *s = rcu_dereference(sgn->learn.set);
	const struct sg_learned *e;
	u64 now;

	if (!s)
		return false;
	e = sg_learn_server(s, pk->family, pk->saddr);
	now = sg_learn_now();
	if (!e || !sg_learn_live(e, now))
		return false;
	/* Only a REGISTER awaiting its answer makes the answer worth parsing. */
	if (pk->l4proto == IPPROTO_UDP && sg_learn_awaits(e, pk->sport, now))
		sg_learn_answer(&sgn->learn, skb, pk, st);
	return true;
}

bool sg_learn_trusts(struct sg_learn *l, u8 family, const u8 *addr)
{
	const struct sg_learned *e = sg_learn_server(rcu_dereference(l->set), family, addr);

	return e && sg_learn_live(e, sg_learn_now());
}

/* Under l->lock: answers that never came are dropped, so the hook's test reads 0 again. */
static void sg_learn_sweep(struct sg_learn *l, u64 now)
{
	struct sg_learn_set *s = sg_learn_alloc(l);

	if (s)
		sg_learn_publish(l, s, now);
}

void sg_learn_unguarded(struct sg_net *sgn, struct sk_buff *skb,
			struct sg_pkt *pk, unsigned int thoff)
{
	const struct sg_learn_set *s = rcu_dereference(sgn->learn.set);
	struct sg_learn *l = &sgn->learn;
	const struct sg_learned *e;
	struct sg_pcpu_stats *st;
	struct udphdr _uh;
	const struct udphdr *uh;
	unsigned int ulen;
	u64 now = sg_learn_now();

	if (!s)
		return;
	if (now >= s->pending_until) {
		local_bh_disable();
		if (spin_trylock(&l->lock)) {
			sg_learn_sweep(l, now);
			spin_unlock(&l->lock);
		}
		local_bh_enable();
		return;
	}
	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh)
		return;
	pk->sport = ntohs(uh->source);
	e = sg_learn_server(s, pk->family, pk->saddr);
	if (!e || !sg_learn_awaits(e, pk->sport, now))
		return;
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > skb->len - thoff)
		return;
	pk->thoff = thoff;
	pk->payoff = thoff + sizeof(*uh);
	pk->paylen = ulen - sizeof(*uh);

	local_bh_disable();
	st = sg_stats_begin(&sgn->stats);
	sg_learn_answer(l, skb, pk, st);
	sg_stats_end(st);
	local_bh_enable();
}

void sg_learn_flush(struct sg_learn *l)
{
	struct sg_learn_set *old;

	spin_lock_bh(&l->lock);
	sg_learn_free_regs(l);
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
		out->port = 0;
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

/*
 * Forget the server at @addr with every registration with it.  @port (0:
 * any) must be one its REGISTERs went to, so that `allow del ADDR port P`
 * of the listing before servers were trusted on any port still works.
 */
int sg_learn_forget(struct sg_learn *l, u8 family, const u8 *addr, u16 port)
{
	struct sg_learn_reg *r;
	struct sg_learn_set *s;
	u64 now = sg_learn_now();
	bool found = false;
	int ret = -ENOENT;

	spin_lock_bh(&l->lock);
	list_for_each_entry(r, &l->regs, node) {
		if (r->family == family && !memcmp(r->server, addr, sg_alen(family)) &&
		    (!port || r->server_port == port) &&
		    (now < r->pending_until || now < r->learned_until)) {
			found = true;
			break;
		}
	}
	if (!found)
		goto out;
	ret = -ENOMEM;
	s = sg_learn_alloc(l);
	if (!s)
		goto out;
	list_for_each_entry(r, &l->regs, node) {
		if (r->family == family && !memcmp(r->server, addr, sg_alen(family)))
			r->pending_until = r->learned_until = 0;
	}
	sg_learn_publish(l, s, now);
	ret = 0;
out:
	spin_unlock_bh(&l->lock);
	return ret;
}
