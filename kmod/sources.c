// SPDX-License-Identifier: GPL-2.0
/*
 * Per-source token buckets and bans, and the global budget, for untrusted
 * SIP under the open policy.  Layout and reasoning in sources.h.
 */
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/sched/mm.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "packet.h"
#include "sipguard.h"
#include "sources.h"

/* An unbanned entry with a full bucket is collected after this idle time. */
#define SG_SRC_IDLE_NS		(30 * SG_TB_NSEC_PER_SEC)
#define SG_SRC_GC_PERIOD	HZ
/* Buckets the collector handles between two reschedule points. */
#define SG_SRC_GC_CHUNK		256
/* Buckets a dump walks in one RCU read section. */
#define SG_SRC_WALK_CHUNK	1024
/*
 * The collector's pace.  A walk over every bucket each second cost about
 * 30% of a (TCG) vCPU at 1M entries with no traffic at all, so one run
 * visits 1/SG_SRC_GC_SPREAD of the buckets, but at least
 * SG_SRC_GC_MIN_BUCKETS: a table of up to 8 x that many entries (64k) is
 * still swept every second, a bigger one every SG_SRC_GC_SPREAD seconds at
 * most.  An idle source of a big table is forgotten up to that much later
 * than SG_SRC_IDLE_NS; nothing waits for the collector to find room, a full
 * table evicts (sg_src_insert).
 */
#define SG_SRC_GC_SPREAD	8
#define SG_SRC_GC_MIN_BUCKETS	8192

struct sg_src {
	struct hlist_node node;
	struct rcu_head rcu;
	spinlock_t lock;		/* everything below but family and addr */
	u8 family;
	u8 req_next;			/* the slot of reqs[] written next */
	u16 failures;			/* failure answers since fail_since */
	u32 bans;			/* times banned: repeat bans grow */
	struct sg_tb tb;		/* tb.last: when last seen */
	u64 ban_until;			/* ns; banned while now < ban_until */
	u64 packets;
	u64 drops;
	u64 fail_since;			/* ns; start of the failure window */
	u32 reqs[SG_SRC_REQS];		/* recent requests (sources.h) */
	u8 addr[16];			/* masked to the table's prefix */
};

struct sg_src_bucket {
	struct hlist_head head;
	spinlock_t lock;		/* writers of head */
};

struct sg_src_table {
	u32 max;			/* entries */
	u32 mask;			/* buckets - 1 */
	u8 plen4, plen6;
	atomic_t count;
	siphash_key_t key;
	/* Whose memory the entries are: who configured the table (or NULL). */
	struct mem_cgroup *memcg;
	u32 gc_next;			/* collector's cursor */
	struct sg_src_bucket buckets[];
};

static struct kmem_cache *sg_src_cache __read_mostly;

/*
 * Entries of every table of every namespace, against the host-wide cap
 * (module parameter sources_max).  Charged when an entry is allocated,
 * released when it is freed.
 */
static atomic_t sg_src_total = ATOMIC_INIT(0);
unsigned int sg_sources_max __read_mostly = SG_DEFAULT_SOURCES_MAX;

u32 sg_src_total_count(void)
{
	return atomic_read(&sg_src_total);
}

/*
 * @v + 1 if that stays within @limit; false, and @v untouched, if not.  An
 * increment undone after the fact would let a reader on another CPU (show,
 * a dump) see a count above its limit.
 */
static bool sg_count_take(atomic_t *v, int limit)
{
	int c = atomic_read(v);

	do {
		if (c >= limit)
			return false;
	} while (!atomic_try_cmpxchg(v, &c, c + 1));
	return true;
}

/* One entry of the host-wide cap; false if it is spent. */
static bool sg_src_charge(void)
{
	return sg_count_take(&sg_src_total, (int)READ_ONCE(sg_sources_max));
}

static void sg_src_free(struct sg_src *e)
{
	kmem_cache_free(sg_src_cache, e);
	atomic_dec(&sg_src_total);
}

size_t sg_src_entry_bytes(void)
{
	/* One bucket (head + lock) per 8 entries. */
	return kmem_cache_size(sg_src_cache) +
	       DIV_ROUND_UP(sizeof(struct sg_src_bucket), 8);
}

static inline u64 sg_now(void)
{
	return ktime_get_coarse_boottime_ns();
}

/* The table key of @addr: the address masked to the prefix length. */
static void sg_src_key(const struct sg_src_table *t, u8 family, const u8 *addr,
		       u8 *key)
{
	unsigned int plen = family == SG_AF_INET ? t->plen4 : t->plen6;
	unsigned int len = family == SG_AF_INET ? 4 : 16;
	unsigned int i;

	memset(key, 0, 16);
	for (i = 0; i < len && plen; i++) {
		unsigned int bits = min(plen, 8U);

		key[i] = addr[i] & (u8)(0xff00 >> bits);
		plen -= bits;
	}
}

static struct sg_src_bucket *sg_src_bucket(struct sg_src_table *t, u8 family,
					   const u8 *key)
{
	u64 a, b;

	memcpy(&a, key, 8);
	memcpy(&b, key + 8, 8);
	return &t->buckets[siphash_3u64(a, b, family, &t->key) & t->mask];
}

static struct sg_src *sg_src_find(struct sg_src_bucket *b, u8 family,
				  const u8 *key)
{
	struct sg_src *e;

	hlist_for_each_entry_rcu(e, &b->head, node)
		if (e->family == family && !memcmp(e->addr, key, 16))
			return e;
	return NULL;
}

static void sg_src_free_rcu(struct rcu_head *rcu)
{
	sg_src_free(container_of(rcu, struct sg_src, rcu));
}

/* Under the bucket's lock. */
static void sg_src_unlink(struct sg_src_table *t, struct sg_src *e)
{
	hlist_del_rcu(&e->node);
	call_rcu(&e->rcu, sg_src_free_rcu);
}

/*
 * Whom to evict from a full table: the entry of @b seen least recently,
 * an unbanned one before any banned one.  Fields are read without the
 * entries' locks: a stale value only makes a less perfect choice.
 */
static struct sg_src *sg_src_victim(struct sg_src_bucket *b, u64 now)
{
	struct sg_src *e, *best = NULL;
	bool best_banned = true;
	u64 best_last = U64_MAX;

	hlist_for_each_entry(e, &b->head, node) {
		bool banned = now < data_race(READ_ONCE(e->ban_until));
		u64 last = data_race(READ_ONCE(e->tb.last));

		if ((best_banned && !banned) ||
		    (banned == best_banned && last < best_last)) {
			best = e;
			best_banned = banned;
			best_last = last;
		}
	}
	return best;
}

/*
 * A new source: remember it, evicting if the table is full.  BH off.
 * Returns the entry (perhaps one another CPU inserted just now), or NULL
 * when there is no room or no memory: the packet then goes on without state.
 */
static struct sg_src *sg_src_insert(struct sg_src_table *t,
				    struct sg_src_bucket *b, u8 family,
				    const u8 *key, const struct sg_config *cfg,
				    u64 now, struct sg_pcpu_stats *st)
{
	struct sg_src *e, *n, *victim = NULL;
	struct mem_cgroup *old_memcg;

	if (!sg_src_charge()) {
		/* The host-wide cap: nothing is evicted for it. */
		sg_stats_inc(st, SIPGUARD_STAT_SRC_NOROOM);
		return NULL;
	}
	/*
	 * Charged to the memory cgroup of whoever configured the table, not to
	 * the task this softirq interrupted.  GFP_NOWAIT, not GFP_ATOMIC: an
	 * atomic (__GFP_HIGH) charge may go past the cgroup's limit, this one
	 * fails at it, and the packet goes on without state.
	 */
	old_memcg = set_active_memcg(t->memcg);
	n = kmem_cache_alloc(sg_src_cache, GFP_NOWAIT | __GFP_NOWARN);
	set_active_memcg(old_memcg);
	if (!n) {
		atomic_dec(&sg_src_total);
		sg_stats_inc(st, SIPGUARD_STAT_SRC_NOROOM);
		return NULL;
	}
	spin_lock_init(&n->lock);
	n->family = family;
	memcpy(n->addr, key, 16);
	sg_tb_init(&n->tb, &cfg->src_rate, now);
	n->ban_until = 0;
	n->packets = 0;
	n->drops = 0;
	n->req_next = 0;
	n->failures = 0;
	n->bans = 0;
	n->fail_since = 0;
	memset(n->reqs, 0, sizeof(n->reqs));

	spin_lock(&b->lock);
	e = sg_src_find(b, family, key);
	if (unlikely(e))
		goto out_free;
	if (!sg_count_take(&t->count, (int)t->max)) {
		victim = sg_src_victim(b, now);
		if (!victim) {
			/* Full, and this chain is empty: rare (e^-8). */
			sg_stats_inc(st, SIPGUARD_STAT_SRC_NOROOM);
			goto out_free;
		}
		/* The new entry takes the victim's place in the count. */
		sg_src_unlink(t, victim);
		sg_stats_inc(st, SIPGUARD_STAT_SRC_EVICTED);
	}
	hlist_add_head_rcu(&n->node, &b->head);
	spin_unlock(&b->lock);
	return n;

out_free:
	spin_unlock(&b->lock);
	sg_src_free(n);
	return e;
}

/* Under e->lock: do e->failures still count? */
static bool sg_src_failure_window_open(const struct sg_src *e,
				       const struct sg_config *cfg, u64 now)
{
	return e->failures && now >= e->fail_since &&
	       now - e->fail_since < (u64)cfg->p.failure_window * NSEC_PER_SEC;
}

static void sg_src_snapshot(const struct sg_src_table *t, const struct sg_src *e,
			    const struct sg_config *cfg, u64 now,
			    struct sg_src_info *info)
{
	info->family = e->family;
	info->plen = e->family == SG_AF_INET ? t->plen4 : t->plen6;
	memcpy(info->addr, e->addr, 16);
	info->packets = e->packets;
	info->drops = e->drops;
	info->tokens = sg_tb_avail(&e->tb, &cfg->src_rate, now);
	info->ban_ms = now < e->ban_until ?
		       (u32)min_t(u64, div_u64(e->ban_until - now + NSEC_PER_MSEC - 1,
					       NSEC_PER_MSEC), U32_MAX) : 0;
	info->idle_ms = now > e->tb.last ?
			(u32)min_t(u64, div_u64(now - e->tb.last, NSEC_PER_MSEC), U32_MAX) : 0;
	info->failures = sg_src_failure_window_open(e, cfg, now) ? e->failures : 0;
	info->bans = e->bans;
}

/*
 * How long the next ban of a source banned @bans times before lasts: the
 * configured ban, doubled for every earlier ban up to ban-max (fail2ban's
 * bantime.increment).  Without a ban-max above the ban, always the ban.
 */
static u32 sg_src_ban_secs(const struct sg_config *cfg, u32 bans)
{
	u64 secs = cfg->p.ban;

	if (cfg->p.ban_max <= cfg->p.ban || !secs)
		return secs;
	/* ban_max < 2^20: 20 doublings of 1 s reach it. */
	secs <<= min(bans, 20U);
	return min_t(u64, secs, cfg->p.ban_max);
}

/* Under e->lock: ban @e for @secs from @now (the caller counts BANS). */
static void sg_src_ban_for(struct sg_src *e, u64 now, u32 secs)
{
	u64 until = now + (u64)secs * NSEC_PER_SEC;

	/* ban_until only grows (sg_src_may_expire() relies on it). */
	if (until > e->ban_until)
		e->ban_until = until;
	if (e->bans < U32_MAX)
		e->bans++;
	e->failures = 0;
}

/*
 * Under e->lock: ban @e, and note what the caller's ban event says of it
 * (who, for how long), to send once the lock is released.  Only that: no
 * token or idle arithmetic for an event nobody may be listening to.
 */
static void sg_src_ban_locked(const struct sg_src_table *t, struct sg_src *e,
			      const struct sg_config *cfg, u64 now,
			      struct sg_src_info *ban)
{
	u32 secs = sg_src_ban_secs(cfg, e->bans);

	sg_src_ban_for(e, now, secs);
	ban->family = e->family;
	ban->plen = e->family == SG_AF_INET ? t->plen4 : t->plen6;
	memcpy(ban->addr, e->addr, 16);
	ban->ban_ms = secs * MSEC_PER_SEC;
	ban->failures = 0;
	ban->bans = e->bans;
}

/*
 * One token from the global budget; true if there was one (or no budget).
 * A source the table knew before this packet (@known) may fall back on the
 * reserve.
 */
static bool sg_budget_take(struct sg_net *sgn, const struct sg_config *cfg,
			   u64 now, bool known)
{
	struct sg_sources *s = &sgn->sources;
	bool ok;

	if (!cfg->budget_rate.cost)
		return true;
	spin_lock(&s->budget_lock);
	ok = sg_tb_take(&s->budget, &cfg->budget_rate, now) ||
	     (known && sg_tb_take(&s->reserve, &cfg->budget_rate, now));
	spin_unlock(&s->budget_lock);
	return ok;
}

static void sg_src_kick_gc(struct sg_net *sgn)
{
	if (!delayed_work_pending(&sgn->sources.gc))
		queue_delayed_work(system_power_efficient_wq, &sgn->sources.gc,
				   SG_SRC_GC_PERIOD);
}

enum sipguard_stat sg_src_judge(struct sg_net *sgn, const struct sg_config *cfg,
				const struct sg_pkt *pk, bool charge,
				struct sg_pcpu_stats *st, struct sg_src_info *ban,
				struct sg_src_ref *src)
{
	struct sg_src_table *t = rcu_dereference(sgn->sources.table);
	enum sipguard_stat why = SIPGUARD_STAT_UNSPEC;
	struct sg_src_bucket *b = NULL;
	struct sg_src *e = NULL;
	u64 now = sg_now();
	u8 key[16];

	if (likely(t)) {
		sg_src_key(t, pk->family, pk->saddr, key);
		b = sg_src_bucket(t, pk->family, key);
		e = sg_src_find(b, pk->family, key);
	}
	src->t = t;
	src->e = e;
	if (!charge) {
		/* Nothing a SIP stack acts on: only a ban stops it. */
		if (e && now < data_race(READ_ONCE(e->ban_until)))
			return SIPGUARD_STAT_DROP_BANNED;
		return why;
	}
	if (!e) {
		/* Only sources that get a budget token are remembered. */
		if (!sg_budget_take(sgn, cfg, now, false))
			return SIPGUARD_STAT_DROP_BUDGET;
		if (unlikely(!t))
			return why;
		src->e = e = sg_src_insert(t, b, pk->family, key, cfg, now, st);
		if (!e)
			return why;
		sg_src_kick_gc(sgn);
		spin_lock(&e->lock);
		e->packets++;
		if (!sg_tb_take(&e->tb, &cfg->src_rate, now)) {
			/* Raced with another CPU's insert and emptied. */
			e->drops++;
			why = SIPGUARD_STAT_DROP_RATE;
		}
		spin_unlock(&e->lock);
		return why;
	}

	spin_lock(&e->lock);
	e->packets++;
	if (now < e->ban_until) {
		why = SIPGUARD_STAT_DROP_BANNED;
	} else if (!sg_tb_take(&e->tb, &cfg->src_rate, now)) {
		why = SIPGUARD_STAT_DROP_RATE;
		if (cfg->p.ban)
			sg_src_ban_locked(t, e, cfg, now, ban);
	}
	if (why)
		e->drops++;
	spin_unlock(&e->lock);
	if (!why && !sg_budget_take(sgn, cfg, now, true))
		why = SIPGUARD_STAT_DROP_BUDGET;
	return why;
}

void sg_src_after_message(const struct sg_src_ref *src, const struct sg_config *cfg,
			  bool scanner, u32 rec, struct sg_src_info *ban)
{
	struct sg_src *e = src->e;
	unsigned int i;
	u64 now;

	if (!e || (scanner ? !cfg->p.ban : !rec))
		return;
	now = sg_now();
	spin_lock(&e->lock);
	if (scanner) {
		if (now >= e->ban_until)
			sg_src_ban_locked(src->t, e, cfg, now, ban);
	} else {
		for (i = 0; i < SG_SRC_REQS; i++)
			if (e->reqs[i] == rec)
				break;
		/* A retransmission keeps its one slot: its answer counts once. */
		if (i == SG_SRC_REQS) {
			e->reqs[e->req_next] = rec;
			e->req_next = (e->req_next + 1) % SG_SRC_REQS;
		}
	}
	spin_unlock(&e->lock);
}

/* Under RCU, BH off: the entry of @addr, if the table has one. */
static struct sg_src *sg_src_lookup(struct sg_src_table *t, u8 family,
				    const u8 *addr)
{
	u8 key[16];

	sg_src_key(t, family, addr, key);
	return sg_src_find(sg_src_bucket(t, family, key), family, key);
}

bool sg_src_banned(struct sg_net *sgn, u8 family, const u8 *addr)
{
	struct sg_src_table *t = rcu_dereference(sgn->sources.table);
	struct sg_src *e;

	if (!t)
		return false;
	e = sg_src_lookup(t, family, addr);
	return e && sg_now() < data_race(READ_ONCE(e->ban_until));
}

enum sg_answer_result sg_src_answer(struct sg_net *sgn, const struct sg_config *cfg,
				    u8 family, const u8 *addr, u32 rec,
				    enum sg_answer kind, struct sg_pcpu_stats *st)
{
	struct sg_src_table *t = rcu_dereference(sgn->sources.table);
	enum sg_answer_result res = SG_ANSWER_UNMATCHED;
	struct sg_src_info info;
	struct sg_src *e;
	u64 now = sg_now();
	unsigned int i;
	u32 secs = 0;

	if (!t)
		return res;
	e = sg_src_lookup(t, family, addr);
	if (!e)
		return res;
	spin_lock(&e->lock);
	for (i = 0; i < SG_SRC_REQS; i++)
		if (e->reqs[i] && (e->reqs[i] & ~SG_REQ_CREDENTIALS) == rec)
			break;
	if (i == SG_SRC_REQS)
		goto out;
	res = SG_ANSWER_MATCHED;
	/* A first challenge is how digest authentication starts. */
	if (kind == SG_ANSWER_FAILURE ||
	    (kind == SG_ANSWER_CHALLENGE && (e->reqs[i] & SG_REQ_CREDENTIALS))) {
		res = SG_ANSWER_COUNTED;
		if (!sg_src_failure_window_open(e, cfg, now)) {
			e->failures = 0;
			e->fail_since = now;
		}
		if (e->failures < U16_MAX)
			e->failures++;
		if (e->failures >= cfg->p.failures && cfg->p.ban && now >= e->ban_until) {
			secs = sg_src_ban_secs(cfg, e->bans);
			sg_src_snapshot(t, e, cfg, now, &info);
			info.failures = e->failures;
			sg_src_ban_for(e, now, secs);
			info.ban_ms = secs * MSEC_PER_SEC;
			info.bans = e->bans;
			res = SG_ANSWER_BANNED;
		}
	}
	/* Answered: a retransmitted answer finds nothing. */
	e->reqs[i] = 0;
out:
	spin_unlock(&e->lock);
	if (res == SG_ANSWER_BANNED) {
		sg_stats_inc(st, SIPGUARD_STAT_BANS);
		if (unlikely(sg_events_wanted(sgn->net)))
			sg_event_ban(sgn, &info, SIPGUARD_STAT_DROP_FAILURES, secs, st);
	}
	return res;
}

int sg_src_ban_manual(struct sg_net *sgn, const struct sg_config *cfg, u8 family,
		      const u8 *addr, u32 secs, u8 *key, u8 *plen)
{
	struct sg_src_table *t;
	struct sg_pcpu_stats *st;
	struct sg_src_info info;
	struct sg_src_bucket *b;
	struct sg_src *e;
	u64 now = sg_now();

	t = rcu_dereference_protected(sgn->sources.table, lockdep_is_held(&sgn->lock));
	if (!t)
		return -ENOENT;
	sg_src_key(t, family, addr, key);
	*plen = family == SG_AF_INET ? t->plen4 : t->plen6;
	b = sg_src_bucket(t, family, key);

	/* As the datapath does it, with its counters. */
	rcu_read_lock();
	local_bh_disable();
	st = sg_stats_begin(&sgn->stats);
	e = sg_src_find(b, family, key);
	if (!e)
		e = sg_src_insert(t, b, family, key, cfg, now, st);
	if (e) {
		spin_lock(&e->lock);
		if (!secs)
			secs = sg_src_ban_secs(cfg, e->bans);
		sg_src_ban_for(e, now, secs);
		sg_src_snapshot(t, e, cfg, now, &info);
		spin_unlock(&e->lock);
		sg_stats_inc(st, SIPGUARD_STAT_BANS);
		sg_stats_inc(st, SIPGUARD_STAT_BANS_MANUAL);
		if (sg_events_wanted(sgn->net))
			sg_event_ban(sgn, &info, SIPGUARD_STAT_BANS_MANUAL, secs, st);
		sgn->sources.generation++;
	}
	sg_stats_end(st);
	local_bh_enable();
	rcu_read_unlock();
	if (!e)
		return -ENOMEM;
	sg_src_kick_gc(sgn);
	return 0;
}

/*
 * How long an idle entry is kept: a source banned before, while bans grow
 * (ban-max), for ban-max, so that it comes back to a longer ban; others for
 * SG_SRC_IDLE_NS.  Full tables still evict such entries before banned ones.
 */
static u64 sg_src_idle_ns(const struct sg_config *cfg, u32 bans)
{
	if (bans && cfg && cfg->p.ban_max > cfg->p.ban)
		return max_t(u64, SG_SRC_IDLE_NS, (u64)cfg->p.ban_max * NSEC_PER_SEC);
	return SG_SRC_IDLE_NS;
}

/*
 * Idle and carrying nothing worth keeping: ban over, bucket full.  @now was
 * read before the bucket's lock: another CPU may have stamped a later time
 * since (a source just inserted has a full bucket and last > now), which is
 * not idle at all, never a huge unsigned difference.
 */
static bool sg_src_expired(struct sg_src *e, const struct sg_config *cfg,
			   u64 now)
{
	bool expired;

	spin_lock_bh(&e->lock);
	expired = now >= e->ban_until && now >= e->tb.last &&
		  now - e->tb.last >= sg_src_idle_ns(cfg, e->bans) &&
		  sg_tb_full(&e->tb, &cfg->src_rate, now);
	spin_unlock_bh(&e->lock);
	return expired;
}

/*
 * Whether @e may be expired, read without its lock: the collector's filter,
 * so that a pass over a big table takes no lock for the entries it keeps
 * (banned or seen lately: nearly all of them under a flood).  tb.last only
 * grows, and a ban never moves ban_until back (sg_src_ban_for()), so ban_until
 * only grows too: a stale value makes an entry look more expired, never
 * less.  sg_src_expired() decides, under the entry's lock.
 */
static bool sg_src_may_expire(const struct sg_src *e, const struct sg_config *cfg,
			      u64 now)
{
	u64 ban_until = data_race(READ_ONCE(e->ban_until));
	u64 last = data_race(READ_ONCE(e->tb.last));
	u32 bans = data_race(READ_ONCE(e->bans));

	return now >= ban_until && now >= last &&
	       now - last >= sg_src_idle_ns(cfg, bans);
}

/* Under RCU: whether any entry of @b may be expired. */
static bool sg_src_bucket_may_expire(struct sg_src_bucket *b,
				     const struct sg_config *cfg, u64 now)
{
	struct sg_src *e;

	hlist_for_each_entry_rcu(e, &b->head, node)
		if (sg_src_may_expire(e, cfg, now))
			return true;
	return false;
}

static void sg_src_gc(struct work_struct *work)
{
	struct sg_sources *s = container_of(to_delayed_work(work), struct sg_sources, gc);
	struct sg_net *sgn = container_of(s, struct sg_net, sources);
	const struct sg_config *cfg;
	struct sg_src_table *t;
	struct hlist_node *tmp;
	struct sg_src *e;
	u32 i, nbuckets, left;
	bool again;

	/* This run's share of the buckets, from where the last one stopped,
	 * a chunk per RCU read section. */
	rcu_read_lock();
	t = rcu_dereference(s->table);
	nbuckets = t ? t->mask + 1 : 0;
	rcu_read_unlock();
	left = min(nbuckets, max(nbuckets / SG_SRC_GC_SPREAD, (u32)SG_SRC_GC_MIN_BUCKETS));
	while (left) {
		u64 now = sg_now();

		rcu_read_lock();
		t = rcu_dereference(s->table);
		cfg = rcu_dereference(sgn->cfg);
		if (!t || t->mask + 1 != nbuckets) {
			rcu_read_unlock();
			break;
		}
		for (i = 0; i < SG_SRC_GC_CHUNK && left; i++, left--) {
			struct sg_src_bucket *b = &t->buckets[t->gc_next++ & t->mask];

			if (!sg_src_bucket_may_expire(b, cfg, now))
				continue;
			spin_lock_bh(&b->lock);
			hlist_for_each_entry_safe(e, tmp, &b->head, node) {
				if (sg_src_may_expire(e, cfg, now) &&
				    sg_src_expired(e, cfg, now)) {
					sg_src_unlink(t, e);
					atomic_dec(&t->count);
				}
			}
			spin_unlock_bh(&b->lock);
		}
		rcu_read_unlock();
		cond_resched();
	}

	rcu_read_lock();
	t = rcu_dereference(s->table);
	again = t && atomic_read(&t->count);
	rcu_read_unlock();
	if (again)
		queue_delayed_work(system_power_efficient_wq, &s->gc, SG_SRC_GC_PERIOD);
}

static struct sg_src_table *sg_src_table_new(u32 max, u8 plen4, u8 plen6)
{
	u32 nbuckets = roundup_pow_of_two(max(DIV_ROUND_UP(max, 8), 16U));
	struct sg_src_table *t;
	u32 i;

	t = kvzalloc(struct_size(t, buckets, nbuckets), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->max = max;
	t->mask = nbuckets - 1;
	t->plen4 = plen4;
	t->plen6 = plen6;
	atomic_set(&t->count, 0);
	get_random_bytes(&t->key, sizeof(t->key));
	/* Process context: the configuring task's cgroup (NULL without memcg). */
	t->memcg = current->mm ? get_mem_cgroup_from_mm(current->mm) : NULL;
	for (i = 0; i < nbuckets; i++) {
		INIT_HLIST_HEAD(&t->buckets[i].head);
		spin_lock_init(&t->buckets[i].lock);
	}
	return t;
}

/* No reader can see @t any more: free it and everything in it. */
static void sg_src_table_free(struct sg_src_table *t)
{
	struct hlist_node *tmp;
	struct sg_src *e;
	u32 i;

	if (!t)
		return;
	for (i = 0; i <= t->mask; i++)
		hlist_for_each_entry_safe(e, tmp, &t->buckets[i].head, node)
			sg_src_free(e);
	/* Entries still charged keep their own reference (obj_cgroup). */
	mem_cgroup_put(t->memcg);
	kvfree(t);
}

int sg_sources_configure(struct sg_net *sgn, const struct sg_config *cfg)
{
	struct sg_sources *s = &sgn->sources;
	const struct sg_params *p = &cfg->p;
	struct sg_src_table *old, *t;

	spin_lock_bh(&s->budget_lock);
	if (cfg->budget_rate.cost) {
		sg_tb_clamp(&s->budget, &cfg->budget_rate);
		sg_tb_clamp(&s->reserve, &cfg->budget_rate);
	}
	spin_unlock_bh(&s->budget_lock);

	old = rcu_dereference_protected(s->table, lockdep_is_held(&sgn->lock));
	if (p->policy != SIPGUARD_POLICY_OPEN && !old)
		return 0;
	if (old && old->max == p->table_max && old->plen4 == p->prefix4 &&
	    old->plen6 == p->prefix6)
		return 0;
	t = sg_src_table_new(p->table_max, p->prefix4, p->prefix6);
	if (!t)
		return -ENOMEM;
	rcu_assign_pointer(s->table, t);
	s->generation++;
	if (old) {
		/* Waits for every packet and dump that may still use it. */
		synchronize_rcu();
		sg_src_table_free(old);
	}
	return 0;
}

/*
 * The dump's cursor is "the n-th entry of a bucket".  Entries join a bucket
 * at its head and leave it anywhere, so the cursor still points at the
 * first entry not yet emitted only if the n before it are the same ones,
 * in the same order.  A digest of their keys, taken when a part stops
 * inside a bucket and checked when the next one resumes, says whether
 * they are: a change restarts the bucket (some entries come twice, none
 * is lost) and counts in pos[5], which makes the dump's sequence number
 * differ (NLM_F_DUMP_INTR).  Nothing on the datapath pays for it.
 */
static u32 sg_src_digest(u32 d, const struct sg_src *e)
{
	return jhash(e->addr, sizeof(e->addr), d ^ e->family);
}

int sg_src_walk(struct sg_net *sgn, long *pos, bool banned_only, u32 *gen,
		int (*fn)(void *arg, const struct sg_src_info *info), void *arg)
{
	const struct sg_config *cfg;
	struct sg_src_table *t;
	struct sg_src_info info;
	struct sg_src *e;
	u64 now = sg_now();
	unsigned int left = SG_SRC_WALK_CHUNK;
	int ret = 0;
	long skip;
	u32 d;

	rcu_read_lock();
	t = rcu_dereference(sgn->sources.table);
	cfg = rcu_dereference(sgn->cfg);
	if (t && pos[1] && pos[0] <= t->mask) {
		d = 0;
		skip = pos[1];
		hlist_for_each_entry_rcu(e, &t->buckets[pos[0]].head, node) {
			if (skip-- <= 0)
				break;
			d = sg_src_digest(d, e);
		}
		if (skip > 0 || d != (u32)pos[4]) {
			pos[1] = 0;
			pos[5]++;
		}
	}
	*gen = READ_ONCE(sgn->sources.generation) + (u32)pos[5];
	for (; t && pos[0] <= t->mask && left; pos[0]++, pos[1] = 0, left--) {
		skip = pos[1];
		d = 0;
		hlist_for_each_entry_rcu(e, &t->buckets[pos[0]].head, node) {
			if (skip-- > 0) {
				d = sg_src_digest(d, e);
				continue;
			}
			spin_lock_bh(&e->lock);
			sg_src_snapshot(t, e, cfg, now, &info);
			spin_unlock_bh(&e->lock);
			if (!banned_only || info.ban_ms) {
				ret = fn(arg, &info);
				if (ret) {
					/* Resumes here: remember what came before. */
					pos[4] = d;
					goto out;
				}
			}
			d = sg_src_digest(d, e);
			pos[1]++;
		}
	}
	/* Past the last bucket (or no table): the walk is over. */
	ret = !t || pos[0] > t->mask;
out:
	rcu_read_unlock();
	return ret;
}

/* Under the namespace's lock: end @e's ban by forgetting it altogether. */
static bool sg_src_unban_one(struct sg_src_table *t, struct sg_src_bucket *b,
			     struct sg_src *e, u64 now)
{
	bool banned;

	spin_lock(&e->lock);
	banned = now < e->ban_until;
	spin_unlock(&e->lock);
	if (banned) {
		sg_src_unlink(t, e);
		atomic_dec(&t->count);
	}
	return banned;
}

int sg_src_unban(struct sg_net *sgn, u8 family, const u8 *addr, u8 *key, u8 *plen)
{
	struct sg_src_table *t;
	struct sg_src_bucket *b;
	struct sg_src *e;
	int ret = -ENOENT;

	t = rcu_dereference_protected(sgn->sources.table, lockdep_is_held(&sgn->lock));
	if (!t)
		return ret;
	sg_src_key(t, family, addr, key);
	*plen = family == SG_AF_INET ? t->plen4 : t->plen6;
	b = sg_src_bucket(t, family, key);
	spin_lock_bh(&b->lock);
	e = sg_src_find(b, family, key);
	if (e && sg_src_unban_one(t, b, e, sg_now())) {
		sgn->sources.generation++;
		ret = 0;
	}
	spin_unlock_bh(&b->lock);
	return ret;
}

u32 sg_src_unban_all(struct sg_net *sgn)
{
	struct sg_src_table *t;
	struct hlist_node *tmp;
	struct sg_src *e;
	u64 now = sg_now();
	u32 i, n = 0;

	t = rcu_dereference_protected(sgn->sources.table, lockdep_is_held(&sgn->lock));
	if (!t)
		return 0;
	for (i = 0; i <= t->mask; i++) {
		struct sg_src_bucket *b = &t->buckets[i];

		spin_lock_bh(&b->lock);
		hlist_for_each_entry_safe(e, tmp, &b->head, node)
			n += sg_src_unban_one(t, b, e, now);
		spin_unlock_bh(&b->lock);
		if (!(i % SG_SRC_GC_CHUNK))
			cond_resched();
	}
	sgn->sources.generation++;
	return n;
}

u32 sg_src_count(struct sg_net *sgn)
{
	struct sg_src_table *t;
	u32 n;

	rcu_read_lock();
	t = rcu_dereference(sgn->sources.table);
	n = t ? atomic_read(&t->count) : 0;
	rcu_read_unlock();
	return n;
}

void sg_sources_init(struct sg_net *sgn)
{
	struct sg_sources *s = &sgn->sources;

	RCU_INIT_POINTER(s->table, NULL);
	INIT_DEFERRABLE_WORK(&s->gc, sg_src_gc);
	/* Not 0: a dump's first part must see a change as one (NLM_F_DUMP_INTR). */
	s->generation = 1;
	spin_lock_init(&s->budget_lock);
	/* A full budget; sg_tb_take() clamps it to the configured one. */
	s->budget.tokens = U64_MAX;
	s->budget.last = sg_now();
	s->reserve = s->budget;
}

void sg_sources_exit(struct sg_net *sgn)
{
	struct sg_sources *s = &sgn->sources;

	cancel_delayed_work_sync(&s->gc);
	sg_src_table_free(rcu_dereference_protected(s->table, true));
	RCU_INIT_POINTER(s->table, NULL);
}

int __init sg_sources_module_init(void)
{
	/*
	 * Entries are allocated in softirq and charged to the table's memory
	 * cgroup (sg_src_insert); the table's maximum and the host-wide cap
	 * bound them whatever the cgroup allows.
	 */
	sg_src_cache = kmem_cache_create("sipguard_src", sizeof(struct sg_src), 0,
					 SLAB_ACCOUNT, NULL);
	return sg_src_cache ? 0 : -ENOMEM;
}

void sg_sources_module_exit(void)
{
	/* Entries evicted or collected are freed by call_rcu callbacks. */
	rcu_barrier();
	kmem_cache_destroy(sg_src_cache);
}
