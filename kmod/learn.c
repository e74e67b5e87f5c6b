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
 * The ports the phones receive SIP on are guarded while their registrations
 * live (struct sg_learn_port): a phone is reached on the port its REGISTER
 * left from, on its Contact's port, and from the internet on the address
 * and port its registrar's answers arrive at.  The hook sees that answer
 * before NAT, so behind masquerade, a port forward or a UPnP mapping it is
 * the WAN's address and the external port, whatever the Via said (rport).
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

#include "alloc.h"
#include "config.h"
#include "learn.h"
#include "packet.h"
#include "sip_parser.h"
#include "stats.h"

static inline u64 sg_learn_now(void)
{
	return ktime_get_coarse_boottime_ns();
}

static inline unsigned int sg_alen(u8 family)
{
	return family == SG_AF_INET ? 4 : 16;
}

void sg_learn_init(struct sg_learn *l, struct obj_cgroup *objcg)
{
	l->objcg = objcg;
	RCU_INIT_POINTER(l->set, NULL);
	memset(l->hints, 0, sizeof(l->hints));
	INIT_LIST_HEAD(&l->regs);
	l->n_regs = 0;
	l->pending = 0;
	spin_lock_init(&l->lock);
	l->generation = 1;
}

static u64 sg_learn_deadline(const struct sg_learn_reg *r)
{
	return max(r->learned_until, r->pending_until);
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
 * Learning allocates in softirq, charged to the namespace's creator
 * (alloc.h).  GFP_NOWAIT, not GFP_ATOMIC: an atomic charge may go past the
 * cgroup's limit, this one fails at it, and what is not learned stays
 * untrusted (counted in NOMEM).
 */
#define SG_LEARN_GFP	(GFP_NOWAIT | __GFP_NOWARN | __GFP_ACCOUNT)

/*
 * Under l->lock: room for the servers of every registration plus one more,
 * allocated before anything changes, so that a failure changes nothing.
 */
static struct sg_learn_set *sg_learn_alloc(struct sg_learn *l)
{
	u32 n = min_t(u32, l->n_regs + 1, SG_LEARN_MAX);
	u32 m = min_t(u32, 3 * (l->n_regs + 1), SG_LEARN_MAX_PORTS);
	size_t head = struct_size_t(struct sg_learn_set, e, n);
	struct mem_cgroup *old_memcg;
	struct sg_learn_set *s;

	old_memcg = sg_charge_begin(l->objcg);
	s = sg_kmalloc(head + m * sizeof(struct sg_learn_port), SG_LEARN_GFP);
	sg_charge_end(old_memcg);
	if (s) {
		/* Capacities, until sg_learn_publish() fills them. */
		s->n = n;
		s->n_ports = m;
		s->ports = (struct sg_learn_port *)((u8 *)s + head);
	}
	return s;
}

static struct sg_learn_port *sg_learn_port_in(struct sg_learn_port *ports, u32 n,
					      u8 family, u8 l4proto,
					      const u8 *addr, u16 port)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (ports[i].port == port && ports[i].family == family &&
		    ports[i].l4proto == l4proto &&
		    !memcmp(ports[i].addr, addr, sg_alen(family)))
			return &ports[i];
	return NULL;
}

bool sg_learn_port_find(const struct sg_learn_set *s, u8 family, u8 l4proto,
			const u8 *addr, u16 port)
{
	const struct sg_learn_port *p;

	p = sg_learn_port_in(s->ports, s->n_ports, family, l4proto, addr, port);
	return p && sg_learn_now() < p->until;
}

static u32 sg_learn_srv_slot(u8 family, const u8 *addr)
{
	return jhash(addr, sg_alen(family), family) & (SG_LEARN_INDEX - 1);
}

static u32 sg_learn_port_slot(u8 family, u8 l4proto, const u8 *addr, u16 port)
{
	return jhash(addr, sg_alen(family), (u32)family << 24 | (u32)l4proto << 16 | port) &
	       (SG_LEARN_INDEX - 1);
}

/* Under l->lock: the port of @s (indexed in @x) at @addr, or NULL. */
static struct sg_learn_port *sg_learn_port_indexed(const struct sg_learn_index *x,
						   struct sg_learn_set *s, u8 family,
						   u8 l4proto, const u8 *addr, u16 port)
{
	u16 i;

	for (i = x->port[sg_learn_port_slot(family, l4proto, addr, port)];
	     i != SG_LEARN_INDEX_NONE; i = x->port_next[i]) {
		struct sg_learn_port *p = &s->ports[i];

		if (p->port == port && p->family == family && p->l4proto == l4proto &&
		    !memcmp(p->addr, addr, sg_alen(family)))
			return p;
	}
	return NULL;
}

/* Under l->lock: @r's port at @addr joins @s, or is counted as over. */
static void sg_learn_add_port(struct sg_learn_index *x, struct sg_learn_set *s, u32 cap,
			      const struct sg_learn_reg *r, u64 now,
			      const u8 *addr, u16 port)
{
	struct sg_learn_port *p;
	u32 slot;

	if (!port)
		return;
	p = sg_learn_port_indexed(x, s, r->family, r->l4proto, addr, port);
	if (!p) {
		if (s->n_ports >= cap) {
			s->ports_over++;
			return;
		}
		slot = sg_learn_port_slot(r->family, r->l4proto, addr, port);
		x->port_next[s->n_ports] = x->port[slot];
		x->port[slot] = s->n_ports;
		p = &s->ports[s->n_ports++];
		memset(p, 0, sizeof(*p));
		p->family = r->family;
		p->l4proto = r->l4proto;
		p->port = port;
		memcpy(p->addr, addr, 16);
		memcpy(p->phone, r->phone, 16);
		p->phone_port = r->phone_port;
		__set_bit(sg_learn_port_hash(port), s->port_filter);
	}
	p->until = max(p->until, sg_learn_deadline(r));
	p->confirmed |= now < r->learned_until;
}

static void sg_learn_tell(struct sg_learn_news *news, bool guarded,
			  const struct sg_learn_port *p)
{
	if (news->n < SG_LEARN_NEWS) {
		news->e[news->n].guarded = guarded;
		news->e[news->n].port = *p;
	}
	news->n++;
}

/*
 * What @s (indexed in @x) guards and @old did not, then what @old guarded
 * and @s does not, into @news: one indexed lookup per port of @old.
 */
static void sg_learn_diff(const struct sg_learn_index *x, const struct sg_learn_set *old,
			  struct sg_learn_set *s, struct sg_learn_news *news)
{
	DECLARE_BITMAP(kept, SG_LEARN_MAX_PORTS);
	DECLARE_BITMAP(gone, SG_LEARN_MAX_PORTS);
	u32 i;

	if (!news)
		return;
	bitmap_zero(kept, SG_LEARN_MAX_PORTS);
	bitmap_zero(gone, SG_LEARN_MAX_PORTS);
	for (i = 0; old && i < min_t(u32, old->n_ports, SG_LEARN_MAX_PORTS); i++) {
		const struct sg_learn_port *p = &old->ports[i];
		struct sg_learn_port *q;

		q = sg_learn_port_indexed(x, s, p->family, p->l4proto, p->addr, p->port);
		if (q)
			__set_bit(q - s->ports, kept);
		else
			__set_bit(i, gone);
	}
	for (i = 0; i < s->n_ports; i++)
		if (!test_bit(i, kept))
			sg_learn_tell(news, true, &s->ports[i]);
	for_each_set_bit(i, gone, SG_LEARN_MAX_PORTS)
		sg_learn_tell(news, false, &old->ports[i]);
}

/*
 * Under l->lock: drop what has lapsed, gather the registrations into
 * their servers in @s (from sg_learn_alloc()), publish it.
 */
static void sg_learn_publish(struct sg_learn *l, struct sg_learn_set *s, u64 now,
			     struct sg_learn_news *news)
{
	struct sg_learn_set *old = rcu_dereference_protected(l->set, lockdep_is_held(&l->lock));
	struct sg_learn_index *x = &l->index;
	struct sg_learn_reg *r, *tmp;
	unsigned int pending = 0;
	u32 cap = s->n, port_cap = s->n_ports, slot;
	u16 i;

	memset(x->srv, 0xff, sizeof(x->srv));
	memset(x->port, 0xff, sizeof(x->port));
	s->n = 0;
	s->n_ports = 0;
	s->ports_over = 0;
	bitmap_zero(s->port_filter, SG_LEARN_PORT_FILTER_BITS);
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
		slot = sg_learn_srv_slot(r->family, r->server);
		for (i = x->srv[slot]; i != SG_LEARN_INDEX_NONE; i = x->srv_next[i]) {
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
			x->srv_next[s->n] = x->srv[slot];
			x->srv[slot] = s->n;
			e = &s->e[s->n++];
			memset(e, 0, sizeof(*e));
			e->family = r->family;
			memcpy(e->addr, r->server, 16);
		}
		sg_learn_add_port(x, s, port_cap, r, now, r->phone, r->phone_port);
		sg_learn_add_port(x, s, port_cap, r, now, r->phone, r->contact_port);
		sg_learn_add_port(x, s, port_cap, r, now, r->answer_addr, r->answer_port);
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
	sg_learn_diff(x, old, s, news);
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
 * "*"), *@contact_port the port it names (0 for "*"), *@want the lifetime asked (Contact's expires over Expires, RFC 3261
 * 10.2.1.1; U32_MAX: unstated).  False without Contact: that REGISTER only
 * asks for the bindings (RFC 3261 10.2.3) and changes nothing.
 */
static bool sg_learn_request(const u8 *p, const struct sip_msg *m,
			     u32 *contact, u16 *contact_port, u32 *want)
{
	struct sip_contact_iter it = {};
	struct sip_contact c;

	if (!sip_contact_next(p, m, &it, &c))
		return false;
	*contact = c.star ? 0 : sg_learn_uri_hash(p, &c.uri, false);
	/* Where the phone listens: sip:100@host has it on the scheme's port. */
	*contact_port = c.star ? 0 : c.uri.port ?:
			(c.uri.scheme_id == SIP_SCHEME_SIPS ? 5061 : 5060);
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

void sg_learn_outbound(struct sg_learn *l, const struct sg_config *cfg,
		       struct sk_buff *skb, const struct sg_pkt *pk,
		       struct sg_pcpu_stats *st, struct sg_learn_news *news)
{
	struct sg_learn_reg *r, *reg = NULL;
	const struct sg_learn_set *cur;
	const struct sg_learned *e;
	struct sg_learn_set *s;
	u32 aor, contact, want, i, servers = 0;
	u16 contact_port;
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
	    !sg_learn_request(p, &msg, &contact, &contact_port, &want))
		return;
	aor = sg_learn_uri_hash(p, &msg.to.uri, true);

	now = sg_learn_now();
	spin_lock(&l->lock);
	list_for_each_entry(r, &l->regs, node) {
		if (r->family == pk->family && r->l4proto == pk->l4proto &&
		    r->phone_port == pk->sport && r->aor == aor &&
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
	if (!s) {
		sg_stats_inc(st, SIPGUARD_STAT_NOMEM);
		goto out;
	}
	if (!reg) {
		struct mem_cgroup *old_memcg = sg_charge_begin(l->objcg);

		reg = sg_kzalloc(sizeof(*reg), SG_LEARN_GFP);
		sg_charge_end(old_memcg);
		if (!reg) {
			kfree(s);
			sg_stats_inc(st, SIPGUARD_STAT_NOMEM);
			goto out;
		}
		reg->family = pk->family;
		reg->l4proto = pk->l4proto;
		reg->phone_port = pk->sport;
		reg->aor = aor;
		memcpy(reg->server, pk->daddr, sg_alen(pk->family));
		memcpy(reg->phone, pk->saddr, sg_alen(pk->family));
		list_add_tail(&reg->node, &l->regs);
		l->n_regs++;
	}
	reg->server_port = pk->dport;
	reg->contact = contact;
	reg->contact_port = contact_port;
	reg->want_expires = want;
	reg->pending_until = now + (u64)SG_LEARN_PROVISIONAL_SECS * NSEC_PER_SEC;
	reg->callid_hash = sg_learn_hash(p, &msg.call_id);
	reg->cseq = msg.cseq.num;
	sg_learn_publish(l, s, now, news);
out:
	spin_unlock(&l->lock);
}

/*
 * A 2xx @pk: if it answers a pending REGISTER, learn or forget; where it
 * arrived is the phone's port as the internet reaches it.
 */
static void sg_learn_confirm(struct sg_learn *l, const struct sg_pkt *pk,
			     const u8 *p, const struct sip_msg *msg,
			     struct sg_pcpu_stats *st, struct sg_learn_news *news)
{
	u32 callid = sg_learn_hash(p, &msg->call_id), life;
	struct sg_learn_reg *r;
	struct sg_learn_set *s;
	u64 now = sg_learn_now();

	spin_lock(&l->lock);
	list_for_each_entry(r, &l->regs, node) {
		if (r->family != pk->family || r->l4proto != pk->l4proto ||
		    r->server_port != pk->sport ||
		    now >= r->pending_until || r->cseq != msg->cseq.num ||
		    r->callid_hash != callid ||
		    memcmp(r->server, pk->saddr, sg_alen(pk->family)))
			continue;
		s = sg_learn_alloc(l);
		if (!s) {
			/* The REGISTER's next retransmission's answer may. */
			sg_stats_inc(st, SIPGUARD_STAT_NOMEM);
			break;
		}
		life = sg_learn_granted(p, msg, r);
		if (life == U32_MAX)
			life = SG_LEARN_DEFAULT_SECS;
		life = min_t(u32, life, SG_LEARN_MAX_LIFE_SECS);
		r->pending_until = 0;
		memcpy(r->answer_addr, pk->daddr, sg_alen(pk->family));
		r->answer_port = pk->dport;
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
		sg_learn_publish(l, s, now, news);
		break;
	}
	spin_unlock(&l->lock);
}

/* Parse @pk's payload; a 2xx to a REGISTER goes to sg_learn_confirm(). */
static void sg_learn_answer(struct sg_learn *l, struct sk_buff *skb,
			    const struct sg_pkt *pk, struct sg_pcpu_stats *st,
			    struct sg_learn_news *news)
{
	struct sip_msg msg;
	unsigned int len;
	const u8 *p;

	p = sg_payload(skb, pk, &len);
	if (p && sip_parse(p, len, &msg) == SIP_OK && !msg.is_request &&
	    msg.status_code >= 200 && msg.status_code < 300 &&
	    msg.cseq.state == SIP_F_FOUND && msg.call_id_state == SIP_F_FOUND &&
	    msg.cseq.method == SIP_METHOD_REGISTER && sg_csum_ok(skb, pk))
		sg_learn_confirm(l, pk, p, &msg, st, news);
}

/* Is @e awaiting an answer from @port? */
static bool sg_learn_awaits(const struct sg_learned *e, u16 port, u64 now)
{
	return now < e->pending_until && (!e->pending_port || e->pending_port == port);
}

bool sg_learn_inbound(struct sg_learn *l, struct sk_buff *skb, const struct sg_pkt *pk,
		      struct sg_pcpu_stats *st, struct sg_learn_news *news)
{
	const struct sg_learn_set *s = rcu_dereference(l->set);
	const struct sg_learned *e;
	u64 now;

	if (!s)
		return false;
	e = sg_learn_server(s, pk->family, pk->saddr);
	now = sg_learn_now();
	if (!e || !sg_learn_live(e, now))
		return false;
	/* Only a REGISTER awaiting its answer makes the answer worth parsing. */
	if (!pk->tls && sg_learn_awaits(e, pk->sport, now))
		sg_learn_answer(l, skb, pk, st, news);
	return true;
}

bool sg_learn_trusts(struct sg_learn *l, u8 family, const u8 *addr)
{
	const struct sg_learned *e = sg_learn_server(rcu_dereference(l->set), family, addr);

	return e && sg_learn_live(e, sg_learn_now());
}

bool sg_learn_within(struct sg_learn *l, u8 family, const u8 *addr, u8 plen)
{
	const struct sg_learn_set *s = rcu_dereference(l->set);
	u64 now = sg_learn_now();
	u32 i, full = plen / 8, rest = plen % 8;

	for (i = 0; s && i < s->n; i++) {
		const struct sg_learned *e = &s->e[i];

		if (e->family != family || !sg_learn_live(e, now) ||
		    memcmp(e->addr, addr, full) ||
		    (rest && ((e->addr[full] ^ addr[full]) & (0xff00 >> rest) & 0xff)))
			continue;
		return true;
	}
	return false;
}

void sg_learn_unguarded(struct sg_learn *l, struct sk_buff *skb,
			const struct sg_pkt *pk,
			struct sg_pcpu_stats *st, struct sg_learn_news *news)
{
	const struct sg_learn_set *s = rcu_dereference(l->set);
	const struct sg_learned *e;
	u64 now = sg_learn_now();

	if (!s)
		return;
	if (now >= s->pending_until) {
		if (spin_trylock(&l->lock)) {
			struct sg_learn_set *n = sg_learn_alloc(l);

			if (n)
				sg_learn_publish(l, n, now, news);
			else
				sg_stats_inc(st, SIPGUARD_STAT_NOMEM);
			spin_unlock(&l->lock);
		}
		return;
	}
	e = sg_learn_server(s, pk->family, pk->saddr);
	if (!e || !sg_learn_awaits(e, pk->sport, now))
		return;
	if (!pk->bad)
		sg_learn_answer(l, skb, pk, st, news);
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
	sg_learn_publish(l, s, now, NULL);
	ret = 0;
out:
	spin_unlock_bh(&l->lock);
	return ret;
}

int sg_learn_get_port(struct sg_learn *l, u32 idx, struct sg_learn_port *out,
		      u32 *secs_left)
{
	const struct sg_learn_set *s;
	u64 now = sg_learn_now();
	u32 i, live = 0;
	int ret = -ENOENT;

	rcu_read_lock();
	s = rcu_dereference(l->set);
	for (i = 0; s && i < s->n_ports; i++) {
		const struct sg_learn_port *p = &s->ports[i];

		if (now >= p->until || live++ != idx)
			continue;
		*out = *p;
		*secs_left = (u32)div_u64(p->until - now + NSEC_PER_SEC - 1, NSEC_PER_SEC);
		ret = 0;
		break;
	}
	rcu_read_unlock();
	return ret;
}

u32 sg_learn_ports_over(struct sg_learn *l)
{
	const struct sg_learn_set *s;
	u32 n;

	rcu_read_lock();
	s = rcu_dereference(l->set);
	n = s ? s->ports_over : 0;
	rcu_read_unlock();
	return n;
}

/* "REGISTER" and a space, in any case, as lenient stacks take methods. */
static bool sg_learn_is_register(const u8 *p, unsigned int len)
{
	static const char m[] = "register ";

	return len >= sizeof(m) - 1 && !strncasecmp((const char *)p, m, sizeof(m) - 1);
}

/* Under no lock: remember the phone at @addr:@port, or refresh it. */
static void sg_learn_hint_note(struct sg_learn *l, u8 family, u8 l4proto,
			       const u8 *addr, u16 port, bool answer)
{
	struct sg_learn_hint *h, *slot = NULL;
	u32 i;

	spin_lock(&l->lock);
	for (i = 0; i < SG_LEARN_HINTS; i++) {
		h = &l->hints[i];
		if (h->family == family && h->l4proto == l4proto && h->port == port &&
		    !memcmp(h->addr, addr, sg_alen(family))) {
			/* A routed phone's 2xx arrives where its REGISTER left: say that. */
			answer &= h->answer;
			slot = h;
			break;
		}
		/* Else the free slot, or the one seen longest ago. */
		if (!slot || (slot->family && (!h->family || h->seen < slot->seen)))
			slot = h;
	}
	slot->family = family;
	slot->l4proto = l4proto;
	slot->answer = answer;
	slot->port = port;
	memset(slot->addr, 0, sizeof(slot->addr));
	memcpy(slot->addr, addr, sg_alen(family));
	slot->seen = sg_learn_now();
	spin_unlock(&l->lock);
}

bool sg_learn_hint_unguarded(struct sg_learn *l, struct sk_buff *skb,
			     const struct sg_pkt *pk)
{
	u8 _b[9];
	const u8 *b;

	b = pk->paylen >= sizeof(_b) ? sg_pkt_bytes(skb, pk, 0, sizeof(_b), _b) : NULL;
	if (!b || !sg_learn_is_register(b, sizeof(_b)))
		return false;
	sg_learn_hint_note(l, pk->family, pk->l4proto, pk->saddr, pk->sport, false);
	return true;
}

bool sg_learn_hint_answer(struct sg_learn *l, struct sk_buff *skb,
			  const struct sg_pkt *pk)
{
	static const char status[] = "SIP/2.0 2";
	struct sip_msg msg;
	unsigned int len;
	u8 _b[sizeof(status) - 1];
	const u8 *b, *p;

	b = pk->paylen >= sizeof(_b) ? sg_pkt_bytes(skb, pk, 0, sizeof(_b), _b) : NULL;
	if (!b || strncasecmp((const char *)b, status, sizeof(_b)))
		return false;
	p = sg_payload(skb, pk, &len);
	if (!p || sip_parse(p, len, &msg) != SIP_OK || msg.is_request ||
	    msg.cseq.state != SIP_F_FOUND || msg.cseq.method != SIP_METHOD_REGISTER)
		return false;
	sg_learn_hint_note(l, pk->family, pk->l4proto, pk->daddr, pk->dport, true);
	return true;
}

int sg_learn_get_hint(struct sg_learn *l, u32 idx, struct sg_learn_hint *out)
{
	u32 i, n = 0;
	int ret = -ENOENT;

	spin_lock_bh(&l->lock);
	for (i = 0; i < SG_LEARN_HINTS; i++) {
		if (!l->hints[i].family || n++ != idx)
			continue;
		*out = l->hints[i];
		out->seen = div_u64(sg_learn_now() - out->seen, NSEC_PER_SEC);
		ret = 0;
		break;
	}
	spin_unlock_bh(&l->lock);
	return ret;
}
