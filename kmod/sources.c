// SPDX-License-Identifier: GPL-2.0
/*
 * Per-source token buckets and bans, and the global budget, for untrusted
 * SIP under the open policy.  Layout and reasoning in sources.h.
 */
#include <linux/hashtable.h>
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
#include <linux/user_namespace.h>

#include <net/net_namespace.h>

#include "alloc.h"
#include "config.h"
#include "packet.h"
#include "sources.h"
#include "stats.h"

/* An unbanned entry with a full bucket is collected after this idle time. */
#define SG_SRC_IDLE_NS		(30 * SG_TB_NSEC_PER_SEC)
#define SG_SRC_GC_PERIOD	HZ
/*
 * The collector's expiry wheel.  A walk over the table cost CPU in
 * proportion to its size with no traffic at all (about 30% of a TCG vCPU
 * at 1M entries every second; 5% paced to an eighth of the buckets), and
 * nearly every entry it read was banned or busy, nothing to collect.  So
 * each entry is filed instead in the wheel's slot of the tick (2^30 ns,
 * about a second) from which it may be forgotten: when its ban ends, it
 * has been idle for SG_SRC_IDLE_NS and its bucket is full again.  Each run
 * takes the slots of the ticks gone by and looks only at their entries:
 * one whose packets or ban moved its time on is filed again, in a later
 * slot (a datapath that sends it packets never touches the wheel; a ban
 * moves it at once, since a ban is long).  A time beyond the wheel's reach
 * (SG_SRC_WHEEL_SLOTS ticks, about 18 minutes: the default ban fits) is
 * filed at the far end and looked at again from there.  So a run's cost is
 * the entries due, not the entries held.
 */
#define SG_SRC_TICK_SHIFT	30
#define SG_SRC_WHEEL_SLOTS	1024
/* Entries (or slots) the collector handles in one RCU read section. */
#define SG_SRC_GC_CHUNK		64
/* Buckets freed, or unbanned, between two reschedule points. */
#define SG_SRC_FREE_CHUNK	256
/* Buckets a dump walks in one RCU read section. */
#define SG_SRC_WALK_CHUNK	1024
/*
 * Locks of the table's buckets: lock i guards every bucket h with h % locks
 * == i, locks = buckets / SG_SRC_VICTIM_CHAINS up to SG_SRC_LOCKS.  A full
 * table evicts from any of SG_SRC_VICTIM_CHAINS chains of one lock (the new
 * source's and the next ones of its lock): about 8 entries to choose from
 * however short the chains, as when a chain held 8, and an empty chain is
 * no reason to refuse a new source.
 */
#define SG_SRC_LOCKS		256
#define SG_SRC_VICTIM_CHAINS	8
/*
 * Bans held outside the entries, per table: for a source banned while
 * neither the namespace's share nor its table has room for an entry.  A
 * ban is the last thing to lose, so it never waits for a free slot; when
 * all of these are taken, the one that ends first gives way.
 */
#define SG_SRC_BAN_SLOTS	64

/*
 * One source.  A lookup compares node, addr and family of every entry of
 * the chain, and a banned source's packet then reads ban_until and counts
 * packets and drops: all in the first 64 bytes.  lock guards everything
 * but node, addr, family and wnode (the table's wheel_lock).
 */
struct sg_src {
	struct hlist_node node;
	u8 addr[16];			/* masked to the table's prefix */
	u8 family;
	u8 req_next;			/* the slot of reqs[] written next */
	u16 failures;			/* failure answers since fail_since */
	spinlock_t lock;
	u64 ban_until;			/* ns; banned while now < ban_until */
	u64 packets;
	u64 drops;
	struct sg_tb tb;		/* tb.last: when last seen */
	u32 bans;			/* times banned: repeat bans grow */
	u64 fail_since;			/* ns; start of the failure window */
	u32 reqs[SG_SRC_REQS];		/* recent requests (sources.h) */
	union {
		/* In the wheel's slot of when it may expire; unhashed: off it. */
		struct hlist_node wnode;
		/*
		 * Once unlinked: node unhashed, then off the wheel, both before
		 * call_rcu() writes this (sg_src_unlink()), so nobody who tests
		 * node under the wheel's lock reads this as wnode.
		 */
		struct rcu_head rcu;
	};
};

/* A ban without an entry; family 0: a free slot. */
struct sg_src_ban {
	u8 family;
	u8 addr[16];			/* masked to the table's prefix */
	u64 until;			/* ns */
};

/*
 * A user's share of sources_max: every namespace whose user namespace
 * descends from a user namespace that user (uid in the initial user
 * namespace) created spends the same share, however many user and
 * network namespaces the user makes, as the kernel's ucounts count user
 * namespaces per user (/proc/sys/user/max_user_namespaces).  Namespaces of
 * the initial user namespace have no share (NULL): they spend sources_max
 * itself, of which sources_reserve is theirs alone.
 */
struct sg_share {
	struct hlist_node node;		/* in sg_shares, under sg_shares_lock */
	kuid_t owner;
	unsigned int nets;		/* namespaces using it, under sg_shares_lock */
	atomic_t entries;
};

struct sg_src_table {
	u32 max;			/* entries */
	u32 mask;			/* buckets - 1 */
	u8 plen4, plen6;
	atomic_t count;
	siphash_key_t key;
	/*
	 * Whose memory the entries are: who configured the table (or NULL);
	 * a removed cgroup's nearest living ancestor (alloc.h).
	 */
	struct obj_cgroup *objcg;
	/* Whose share of sources_max they are (NULL: the host's). */
	struct sg_share *share;
	/* Slots of bans[] taken (perhaps expired): readers skip the lock at 0. */
	atomic_t listed;
	spinlock_t ban_lock;		/* bans[], BH off */
	struct sg_src_ban bans[SG_SRC_BAN_SLOTS];
	/*
	 * The expiry wheel, under wheel_lock (BH off; taken inside a bucket's
	 * lock or an entry's, never the other way): the next tick the
	 * collector takes (its slot holds the ticks from there on that map to
	 * it), and the entries it took and has not looked at yet.
	 */
	spinlock_t wheel_lock;
	u64 gc_tick;
	struct hlist_head gc_list;
	struct hlist_head wheel[SG_SRC_WHEEL_SLOTS];
	u32 lock_mask;			/* locks in use - 1 */
	spinlock_t locks[SG_SRC_LOCKS];	/* writers of the buckets */
	struct hlist_head buckets[];
};

static struct kmem_cache *sg_src_cache __read_mostly;

/*
 * Entries of every table of every namespace, against the host-wide cap
 * (module parameter sources_max); those of namespaces outside the initial
 * user namespace (guests), against sources_max less sources_reserve; and
 * each user's, against sources_user_max within that.  Charged when an
 * entry is linked into a table, released when it is unlinked: an entry
 * waiting for its grace period is memory of its cgroup, but no longer
 * anybody's share, so no guest's evictions can hold the host's reserve.
 */
static atomic_t sg_src_total = ATOMIC_INIT(0);
static atomic_t sg_src_guests = ATOMIC_INIT(0);
unsigned int sg_sources_max __read_mostly = SG_DEFAULT_SOURCES_MAX;
unsigned int sg_sources_reserve __read_mostly = SG_DEFAULT_SOURCES_RESERVE;
unsigned int sg_sources_user_max __read_mostly = SG_DEFAULT_SOURCES_USER_MAX;

static DEFINE_MUTEX(sg_shares_lock);
static DEFINE_HASHTABLE(sg_shares, 6);

u32 sg_src_total_count(void)
{
	return atomic_read(&sg_src_total);
}

/* What guests may hold together: sources_max less the host's reserve. */
static u32 sg_guests_max(u32 max)
{
	return max - min(READ_ONCE(sg_sources_reserve), max);
}

/* Entries @sh (NULL: the host) may hold. */
static u32 sg_share_max(const struct sg_share *sh)
{
	u32 max = READ_ONCE(sg_sources_max);

	if (!sh)
		return max;
	return min(READ_ONCE(sg_sources_user_max), sg_guests_max(max));
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

/*
 * One entry of @sh's share (NULL: the host's), of the guests' part and of
 * the host-wide cap; false, and nothing charged, if one of them is spent.
 */
static bool sg_src_charge(struct sg_share *sh)
{
	u32 max = READ_ONCE(sg_sources_max);

	if (sh) {
		u32 guests = sg_guests_max(max);

		if (!sg_count_take(&sh->entries,
				   (int)min(READ_ONCE(sg_sources_user_max), guests)))
			return false;
		if (!sg_count_take(&sg_src_guests, (int)guests))
			goto undo_share;
	}
	if (sg_count_take(&sg_src_total, (int)max))
		return true;
	if (sh)
		atomic_dec(&sg_src_guests);
undo_share:
	if (sh)
		atomic_dec(&sh->entries);
	return false;
}

static void sg_src_uncharge_n(struct sg_share *sh, u32 n)
{
	atomic_sub(n, &sg_src_total);
	if (sh) {
		atomic_sub(n, &sg_src_guests);
		atomic_sub(n, &sh->entries);
	}
}

static void sg_src_uncharge(struct sg_share *sh)
{
	sg_src_uncharge_n(sh, 1);
}

static void sg_src_free(struct sg_src *e)
{
	kmem_cache_free(sg_src_cache, e);
}

size_t sg_src_entry_bytes(void)
{
	/* At most one bucket per entry (sg_src_table_new). */
	return kmem_cache_size(sg_src_cache) + sizeof(struct hlist_head);
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

/* The bucket of @key: an index of t->buckets. */
static u32 sg_src_hash(const struct sg_src_table *t, u8 family, const u8 *key)
{
	u64 a, b;

	memcpy(&a, key, 8);
	memcpy(&b, key + 8, 8);
	return siphash_3u64(a, b, family, &t->key) & t->mask;
}

/* The lock of bucket @h. */
static spinlock_t *sg_src_lock(struct sg_src_table *t, u32 h)
{
	return &t->locks[h & t->lock_mask];
}

static struct sg_src *sg_src_find(struct hlist_head *b, u8 family,
				  const u8 *key)
{
	struct sg_src *e;

	hlist_for_each_entry_rcu(e, b, node)
		if (e->family == family && !memcmp(e->addr, key, 16))
			return e;
	return NULL;
}

static void sg_src_free_rcu(struct rcu_head *rcu)
{
	sg_src_free(container_of(rcu, struct sg_src, rcu));
}

/*
 * Under t->wheel_lock: file @e (off the wheel) in the slot of the first
 * tick after @due, but not before the collector's next tick nor past the
 * wheel's reach (it is looked at early then, and filed again).
 */
static void sg_src_wheel_add(struct sg_src_table *t, struct sg_src *e, u64 due)
{
	u64 tick = (due >> SG_SRC_TICK_SHIFT) + 1;

	tick = clamp(tick, t->gc_tick, t->gc_tick + SG_SRC_WHEEL_SLOTS - 1);
	hlist_add_head(&e->wnode, &t->wheel[tick % SG_SRC_WHEEL_SLOTS]);
}

/*
 * Under e->lock, BH off: @e was banned until @until; file it for then, if
 * it is on the wheel (if the collector holds it, the collector files it,
 * perhaps too early: it looks again then).  A ban is long, and rare next
 * to packets: the collector need not look at a banned entry before.  An
 * entry unlinked meanwhile (found under RCU) is left alone: node first.
 */
static void sg_src_wheel_move(struct sg_src_table *t, struct sg_src *e, u64 until)
{
	spin_lock(&t->wheel_lock);
	if (!hlist_unhashed_lockless(&e->node) && !hlist_unhashed(&e->wnode)) {
		hlist_del(&e->wnode);
		sg_src_wheel_add(t, e, until);
	}
	spin_unlock(&t->wheel_lock);
}

/*
 * Under the bucket's lock: unlink @e (its share's charge given back with
 * @uncharge), take it off the wheel, free it after a grace period.  The
 * collector tells an unlinked entry it holds by its unhashed node.
 */
static void sg_src_unlink(struct sg_src_table *t, struct sg_src *e, bool uncharge)
{
	/* Seen by anyone who takes the wheel's lock after us (wheel_move). */
	hlist_del_init_rcu(&e->node);
	spin_lock(&t->wheel_lock);
	if (!hlist_unhashed(&e->wnode))
		hlist_del_init(&e->wnode);
	spin_unlock(&t->wheel_lock);
	if (uncharge)
		sg_src_uncharge(t->share);
	call_rcu(&e->rcu, sg_src_free_rcu);
}

/*
 * Whom to evict from a full table for a source of bucket @h: of the
 * SG_SRC_VICTIM_CHAINS chains from @h on that share its lock, the entry
 * seen least recently, an unbanned one before any banned one (only
 * unbanned ones with @unbanned_only).  Under RCU or that lock.  Fields are
 * read without the entries' locks: a stale value only makes a less
 * perfect choice.
 */
static struct sg_src *sg_src_victim(struct sg_src_table *t, u32 h, u64 now,
				    bool unbanned_only)
{
	struct sg_src *e, *best = NULL;
	bool best_banned = true;
	u64 best_last = U64_MAX;
	unsigned int i;

	for (i = 0; i < SG_SRC_VICTIM_CHAINS; i++) {
		struct hlist_head *b = &t->buckets[(h + i * (t->lock_mask + 1)) & t->mask];

		hlist_for_each_entry_rcu(e, b, node) {
			bool banned = now < data_race(READ_ONCE(e->ban_until));
			u64 last = data_race(READ_ONCE(e->tb.last));

			if (banned && unbanned_only)
				continue;
			if ((best_banned && !banned) ||
			    (banned == best_banned && last < best_last)) {
				best = e;
				best_banned = banned;
				best_last = last;
			}
		}
	}
	return best;
}

/*
 * A new source: remember it, evicting if the table is full.  BH off.
 * Without room in the namespace's share, the new source may take the place
 * of an unbanned entry of its chains (sg_src_victim(); the namespace spends its own
 * entries, never another's share, and never a ban for a stranger).
 * Returns the entry (perhaps one another CPU inserted just now), or NULL
 * when there is no room or no memory: the source is then judged by the
 * fallback bucket (sg_src_judge).
 */
static struct sg_src *sg_src_insert(struct sg_src_table *t, u32 h, u8 family,
				    const u8 *key, const struct sg_config *cfg,
				    u64 now, struct sg_pcpu_stats *st)
{
	struct hlist_head *b = &t->buckets[h];
	spinlock_t *lock = sg_src_lock(t, h);
	struct sg_src *e, *n, *victim = NULL;
	struct mem_cgroup *old_memcg;
	bool charged = sg_src_charge(t->share);

	if (!charged && !sg_src_victim(t, h, now, true)) {
		/* Spent, and nothing of its own to replace: no allocation for it. */
		sg_stats_inc(st, SIPGUARD_STAT_SRC_NOROOM);
		return NULL;
	}
	/*
	 * Charged to the memory cgroup of whoever configured the table, not to
	 * the task this softirq interrupted.  GFP_NOWAIT, not GFP_ATOMIC: an
	 * atomic (__GFP_HIGH) charge may go past the cgroup's limit, this one
	 * fails at it, and the packet goes on without state.
	 */
	old_memcg = sg_charge_begin(t->objcg);
	n = sg_kmem_cache_alloc(sg_src_cache, GFP_NOWAIT | __GFP_NOWARN);
	sg_charge_end(old_memcg);
	if (!n) {
		if (charged)
			sg_src_uncharge(t->share);
		sg_stats_inc(st, SIPGUARD_STAT_SRC_NOROOM);
		sg_stats_inc(st, SIPGUARD_STAT_NOMEM);
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

	spin_lock(lock);
	e = sg_src_find(b, family, key);
	if (unlikely(e))
		goto out_free;
	if (!charged) {
		/* The share is spent: only one of the namespace's own goes. */
		victim = sg_src_victim(t, h, now, true);
		if (!victim) {
			sg_stats_inc(st, SIPGUARD_STAT_SRC_NOROOM);
			goto out_free;
		}
		/* The new entry takes the victim's charge and place in the count. */
		sg_src_unlink(t, victim, false);
		sg_stats_inc(st, SIPGUARD_STAT_SRC_EVICTED);
	} else if (!sg_count_take(&t->count, (int)t->max)) {
		victim = sg_src_victim(t, h, now, false);
		if (!victim) {
			/* Full, and these chains are empty: rare (e^-8). */
			sg_stats_inc(st, SIPGUARD_STAT_SRC_NOROOM);
			goto out_free;
		}
		/* The new entry takes the victim's place in the count. */
		sg_src_unlink(t, victim, true);
		sg_stats_inc(st, SIPGUARD_STAT_SRC_EVICTED);
	}
	hlist_add_head_rcu(&n->node, b);
	/* Idle from now on, it may go in SG_SRC_IDLE_NS; the collector looks then. */
	spin_lock(&t->wheel_lock);
	sg_src_wheel_add(t, n, now + SG_SRC_IDLE_NS);
	spin_unlock(&t->wheel_lock);
	spin_unlock(lock);
	return n;

out_free:
	spin_unlock(lock);
	if (charged)
		sg_src_uncharge(t->share);
	sg_src_free(n);
	return e;
}

/*
 * Bans without an entry (bans[]).  BH off.  Is @key banned there now?
 * Callers look only when the table has no entry for it.
 */
static bool sg_src_listed(struct sg_src_table *t, u8 family, const u8 *key,
			  u64 now)
{
	bool banned = false;
	unsigned int i;

	if (likely(!atomic_read(&t->listed)))
		return false;
	spin_lock(&t->ban_lock);
	for (i = 0; i < SG_SRC_BAN_SLOTS; i++) {
		struct sg_src_ban *x = &t->bans[i];

		if (x->family == family && now < x->until && !memcmp(x->addr, key, 16)) {
			banned = true;
			break;
		}
	}
	spin_unlock(&t->ban_lock);
	return banned;
}

/*
 * BH off: ban @key for @secs without an entry: its own slot if it has one,
 * else a free or expired one, else the slot whose ban ends first.
 */
static void sg_src_list_ban(struct sg_src_table *t, u8 family, const u8 *key,
			    u64 now, u32 secs)
{
	u64 until = now + (u64)secs * NSEC_PER_SEC;
	struct sg_src_ban *x, *slot = NULL;
	unsigned int i;

	spin_lock(&t->ban_lock);
	for (i = 0; i < SG_SRC_BAN_SLOTS; i++) {
		x = &t->bans[i];
		if (x->family == family && !memcmp(x->addr, key, 16)) {
			slot = x;
			break;
		}
		if (!slot || (slot->family && (!x->family || x->until < slot->until)))
			slot = x;
	}
	if (!slot->family)
		atomic_inc(&t->listed);
	if (slot->family != family || memcmp(slot->addr, key, 16) || slot->until < until)
		slot->until = until;
	slot->family = family;
	memcpy(slot->addr, key, 16);
	spin_unlock(&t->ban_lock);
}

/*
 * BH off: end the list's ban of @key (every listed ban with @all).
 * Returns how many bans in force ended; expired slots are freed as well
 * (@all, or the collector's @expired_only pass).
 */
static u32 sg_src_list_clear(struct sg_src_table *t, u8 family, const u8 *key,
			     bool all, bool expired_only, u64 now)
{
	unsigned int i;
	u32 n = 0;

	if (!atomic_read(&t->listed))
		return 0;
	spin_lock(&t->ban_lock);
	for (i = 0; i < SG_SRC_BAN_SLOTS; i++) {
		struct sg_src_ban *x = &t->bans[i];
		bool live = now < x->until;

		if (!x->family)
			continue;
		if (expired_only ? live :
		    !all && (x->family != family || memcmp(x->addr, key, 16)))
			continue;
		n += live;
		x->family = 0;
		atomic_dec(&t->listed);
	}
	spin_unlock(&t->ban_lock);
	return n;
}

/* Bans in force in the list. */
static u32 sg_src_list_count(struct sg_src_table *t, u64 now)
{
	unsigned int i;
	u32 n = 0;

	if (!atomic_read(&t->listed))
		return 0;
	spin_lock_bh(&t->ban_lock);
	for (i = 0; i < SG_SRC_BAN_SLOTS; i++)
		n += t->bans[i].family && now < t->bans[i].until;
	spin_unlock_bh(&t->ban_lock);
	return n;
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

/* Under e->lock, BH off: ban @e for @secs from @now (the caller counts BANS). */
static void sg_src_ban_for(struct sg_src_table *t, struct sg_src *e, u64 now,
			   u32 secs)
{
	u64 until = now + (u64)secs * NSEC_PER_SEC;

	/* ban_until only grows: the wheel need not move for a shorter ban. */
	if (until > e->ban_until) {
		e->ban_until = until;
		sg_src_wheel_move(t, e, until);
	}
	if (e->bans < U32_MAX)
		e->bans++;
	e->failures = 0;
}

/*
 * Under e->lock: ban @e, and note what the caller's ban event says of it
 * (who, for how long), to send once the lock is released.  Only that: no
 * token or idle arithmetic for an event nobody may be listening to.
 */
static void sg_src_ban_locked(struct sg_src_table *t, struct sg_src *e,
			      const struct sg_config *cfg, u64 now,
			      struct sg_src_info *ban)
{
	u32 secs = sg_src_ban_secs(cfg, e->bans);

	sg_src_ban_for(t, e, now, secs);
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
static bool sg_budget_take(struct sg_sources *s, const struct sg_config *cfg,
			   u64 now, bool known)
{
	bool ok;

	if (!cfg->budget_rate.cost)
		return true;
	spin_lock(&s->budget_lock);
	ok = sg_tb_take(&s->budget, &cfg->budget_rate, now) ||
	     (known && sg_tb_take(&s->reserve, &cfg->budget_rate, now));
	spin_unlock(&s->budget_lock);
	return ok;
}

/*
 * A token of the fallback bucket: the per-source rate and burst, shared by
 * every source the namespace has no room to remember.  A full table or a
 * spent share never lets a stranger pass unlimited: together they are
 * limited as one source is.
 */
static bool sg_fallback_take(struct sg_sources *s, const struct sg_config *cfg,
			     u64 now)
{
	bool ok;

	spin_lock(&s->budget_lock);
	ok = sg_tb_take(&s->fallback, &cfg->src_rate, now);
	spin_unlock(&s->budget_lock);
	return ok;
}

static void sg_src_kick_gc(struct sg_sources *s)
{
	if (!delayed_work_pending(&s->gc))
		queue_delayed_work(system_power_efficient_wq, &s->gc,
				   SG_SRC_GC_PERIOD);
}

enum sipguard_stat sg_src_judge(struct sg_sources *s, const struct sg_config *cfg,
				const struct sg_pkt *pk, bool charge,
				struct sg_pcpu_stats *st, struct sg_src_info *ban,
				struct sg_src_ref *src)
{
	struct sg_src_table *t = rcu_dereference(s->table);
	enum sipguard_stat why = SIPGUARD_STAT_UNSPEC;
	struct sg_src *e = NULL;
	u64 now = sg_now();
	u32 h = 0;
	u8 key[16];

	src->t = t;
	src->e = NULL;
	src->family = 0;
	if (likely(t)) {
		sg_src_key(t, pk->family, pk->saddr, key);
		h = sg_src_hash(t, pk->family, key);
		e = sg_src_find(&t->buckets[h], pk->family, key);
		/* Banned where no entry could hold the ban. */
		if (!e && sg_src_listed(t, pk->family, key, now))
			return SIPGUARD_STAT_DROP_BANNED;
	}
	src->e = e;
	if (!charge) {
		/* Nothing a SIP stack acts on: only a ban stops it. */
		if (e && now < data_race(READ_ONCE(e->ban_until)))
			return SIPGUARD_STAT_DROP_BANNED;
		return why;
	}
	if (!e) {
		/* Only sources that get a budget token are remembered. */
		if (!sg_budget_take(s, cfg, now, false))
			return SIPGUARD_STAT_DROP_BUDGET;
		if (likely(t))
			src->e = e = sg_src_insert(t, h, pk->family, key, cfg, now, st);
		if (!e) {
			/* No room: judged with every other stranger without one. */
			if (t) {
				src->family = pk->family;
				memcpy(src->key, key, 16);
			}
			sg_stats_inc(st, SIPGUARD_STAT_SRC_FALLBACK);
			if (!sg_fallback_take(s, cfg, now))
				return SIPGUARD_STAT_DROP_FALLBACK;
			return why;
		}
		sg_src_kick_gc(s);
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
	if (!why && !sg_budget_take(s, cfg, now, true))
		why = SIPGUARD_STAT_DROP_BUDGET;
	return why;
}

void sg_src_after_message(const struct sg_src_ref *src, const struct sg_config *cfg,
			  bool scanner, u32 rec, struct sg_src_info *ban)
{
	struct sg_src *e = src->e;
	unsigned int i;
	u64 now;

	if (scanner ? !cfg->p.ban : !rec)
		return;
	now = sg_now();
	if (!e) {
		/* A scanner with no room for an entry: its ban is kept all the same. */
		if (scanner && src->family) {
			u32 secs = sg_src_ban_secs(cfg, 0);

			sg_src_list_ban(src->t, src->family, src->key, now, secs);
			ban->family = src->family;
			ban->plen = src->family == SG_AF_INET ? src->t->plen4 : src->t->plen6;
			memcpy(ban->addr, src->key, 16);
			ban->ban_ms = secs * MSEC_PER_SEC;
			ban->failures = 0;
			ban->bans = 1;
		}
		return;
	}
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
	return sg_src_find(&t->buckets[sg_src_hash(t, family, key)], family, key);
}

bool sg_src_banned(struct sg_sources *s, u8 family, const u8 *addr)
{
	struct sg_src_table *t = rcu_dereference(s->table);
	struct sg_src *e;

	u64 now = sg_now();
	u8 key[16];

	if (!t)
		return false;
	e = sg_src_lookup(t, family, addr);
	if (!e) {
		sg_src_key(t, family, addr, key);
		return sg_src_listed(t, family, key, now);
	}
	return now < data_race(READ_ONCE(e->ban_until));
}

enum sg_answer_result sg_src_answer(struct sg_sources *s, const struct sg_config *cfg,
				    u8 family, const u8 *addr, u32 rec,
				    enum sg_answer kind, struct sg_src_info *ban)
{
	struct sg_src_table *t = rcu_dereference(s->table);
	enum sg_answer_result res = SG_ANSWER_UNMATCHED;
	struct sg_src *e;
	u64 now = sg_now();
	unsigned int i;
	u32 secs;

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
			sg_src_snapshot(t, e, cfg, now, ban);
			ban->failures = e->failures;
			sg_src_ban_for(t, e, now, secs);
			ban->ban_ms = secs * MSEC_PER_SEC;
			ban->bans = e->bans;
			res = SG_ANSWER_BANNED;
		}
	}
	/* Answered: a retransmitted answer finds nothing. */
	e->reqs[i] = 0;
out:
	spin_unlock(&e->lock);
	return res;
}

int sg_src_ban_manual(struct sg_sources *s, const struct sg_config *cfg, u8 family,
		      const u8 *addr, u32 *secs, struct sg_src_info *ban,
		      struct sg_pcpu_stats *st)
{
	struct sg_src_table *t;
	struct sg_src *e;
	u64 now = sg_now();
	u8 key[16];
	u32 h;

	t = rcu_dereference_protected(s->table, lockdep_is_held(s->lock));
	if (!t)
		return -ENOENT;
	sg_src_key(t, family, addr, key);
	h = sg_src_hash(t, family, key);

	e = sg_src_find(&t->buckets[h], family, key);
	if (!e)
		e = sg_src_insert(t, h, family, key, cfg, now, st);
	if (e) {
		spin_lock(&e->lock);
		if (!*secs)
			*secs = sg_src_ban_secs(cfg, e->bans);
		sg_src_ban_for(t, e, now, *secs);
		sg_src_snapshot(t, e, cfg, now, ban);
		spin_unlock(&e->lock);
	} else {
		/* No room for an entry: the ban is kept without one. */
		if (!*secs)
			*secs = sg_src_ban_secs(cfg, 0);
		sg_src_list_ban(t, family, key, now, *secs);
		memset(ban, 0, sizeof(*ban));
		ban->family = family;
		ban->plen = family == SG_AF_INET ? t->plen4 : t->plen6;
		memcpy(ban->addr, key, 16);
		ban->ban_ms = *secs * MSEC_PER_SEC;
		ban->bans = 1;
	}
	s->generation++;
	sg_src_kick_gc(s);
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
 * Under e->lock: from when @e carries nothing worth keeping: its ban over,
 * idle for long enough (sg_src_idle_ns()), its bucket full again.  tb.last
 * may be later than the collector's clock (another CPU stamped it since):
 * then the entry is not idle at all, and this time is later still.
 */
static u64 sg_src_due(const struct sg_src *e, const struct sg_config *cfg)
{
	u64 due = max(e->ban_until, e->tb.last + sg_src_idle_ns(cfg, e->bans));

	if (e->tb.tokens < cfg->src_rate.max)
		due = max(due, e->tb.last + (cfg->src_rate.max - e->tb.tokens));
	return due;
}

/*
 * Under RCU, BH off: @e, just taken off the wheel by the collector.
 * Forget it if it is due, else file it for when it will be.  An entry
 * unlinked meanwhile (evicted, unbanned) waits for this grace period to be
 * freed: its unhashed node says so.
 */
static void sg_src_gc_one(struct sg_src_table *t, const struct sg_config *cfg,
			  struct sg_src *e, u64 now)
{
	spinlock_t *lock = sg_src_lock(t, sg_src_hash(t, e->family, e->addr));
	u64 due;

	spin_lock(lock);
	if (hlist_unhashed(&e->node))
		goto out;
	spin_lock(&e->lock);
	due = sg_src_due(e, cfg);
	spin_unlock(&e->lock);
	if (now >= due) {
		sg_src_unlink(t, e, true);
		atomic_dec(&t->count);
	} else {
		spin_lock(&t->wheel_lock);
		sg_src_wheel_add(t, e, due);
		spin_unlock(&t->wheel_lock);
	}
out:
	spin_unlock(lock);
}

/*
 * Under RCU, BH off: up to SG_SRC_GC_CHUNK entries or slots of the ticks
 * up to @tick (@now's).  Returns true once every slot due is done.  A
 * collector late by more than the wheel's reach takes every slot once.
 */
static bool sg_src_gc_chunk(struct sg_src_table *t, const struct sg_config *cfg,
			    u64 now, u64 tick)
{
	unsigned int n;
	struct sg_src *e;

	for (n = 0; n < SG_SRC_GC_CHUNK; n++) {
		spin_lock(&t->wheel_lock);
		if (hlist_empty(&t->gc_list)) {
			if (t->gc_tick > tick) {
				spin_unlock(&t->wheel_lock);
				return true;
			}
			if (tick - t->gc_tick >= SG_SRC_WHEEL_SLOTS)
				t->gc_tick = tick + 1 - SG_SRC_WHEEL_SLOTS;
			hlist_move_list(&t->wheel[t->gc_tick % SG_SRC_WHEEL_SLOTS], &t->gc_list);
			t->gc_tick++;
			spin_unlock(&t->wheel_lock);
			continue;
		}
		e = hlist_entry(t->gc_list.first, struct sg_src, wnode);
		hlist_del_init(&e->wnode);
		spin_unlock(&t->wheel_lock);
		sg_src_gc_one(t, cfg, e, now);
	}
	return false;
}

static void sg_src_gc(struct work_struct *work)
{
	struct sg_sources *s = container_of(to_delayed_work(work), struct sg_sources, gc);
	const struct sg_config *cfg;
	struct sg_src_table *t;
	u64 now = sg_now();
	bool done = false, again;

	/*
	 * The ticks gone by, a chunk per RCU read section.  All the
	 * collector's state is in the table: one replaced meanwhile is
	 * simply the one the next chunk works on.
	 */
	while (!done) {
		rcu_read_lock();
		t = rcu_dereference(s->table);
		cfg = rcu_dereference(*s->cfg);
		local_bh_disable();
		done = !t || sg_src_gc_chunk(t, cfg, now, now >> SG_SRC_TICK_SHIFT);
		local_bh_enable();
		rcu_read_unlock();
		cond_resched();
	}

	rcu_read_lock();
	t = rcu_dereference(s->table);
	if (t) {
		local_bh_disable();
		sg_src_list_clear(t, 0, NULL, false, true, now);
		local_bh_enable();
	}
	again = t && (atomic_read(&t->count) || atomic_read(&t->listed));
	rcu_read_unlock();
	if (again)
		queue_delayed_work(system_power_efficient_wq, &s->gc, SG_SRC_GC_PERIOD);
}

/*
 * Half as many buckets as the power of two at or above @max: chains of 1-2
 * entries in a full table (a lookup reads one cache line per entry it
 * passes), for 4-8 bytes a source: the entries themselves take 144.  (One
 * bucket per 8 entries, as xt_hashlimit sizes it, made the lookup of a
 * table holding 1M sources read 4 entries' lines on average.)
 */
static struct sg_src_table *sg_src_table_new(u32 max, u8 plen4, u8 plen6,
					     struct sg_share *share)
{
	u32 nbuckets = max(roundup_pow_of_two(max) / 2, 16UL);
	struct sg_src_table *t;
	u32 i;

	t = sg_kvzalloc(struct_size(t, buckets, nbuckets), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->max = max;
	t->mask = nbuckets - 1;
	t->plen4 = plen4;
	t->plen6 = plen6;
	atomic_set(&t->count, 0);
	t->share = share;
	atomic_set(&t->listed, 0);
	spin_lock_init(&t->ban_lock);
	get_random_bytes(&t->key, sizeof(t->key));
	/* Process context: the configuring task's cgroup (NULL: none). */
	t->objcg = sg_objcg_current();
	spin_lock_init(&t->wheel_lock);
	t->gc_tick = sg_now() >> SG_SRC_TICK_SHIFT;
	t->lock_mask = min(nbuckets / SG_SRC_VICTIM_CHAINS, (u32)SG_SRC_LOCKS) - 1;
	for (i = 0; i <= t->lock_mask; i++)
		spin_lock_init(&t->locks[i]);
	/* Buckets and the wheel's slots start empty (zeroed): NULL heads. */
	return t;
}

/*
 * Process context, no reader can see @t any more: free it and everything
 * in it, up to 4M entries (SIPGUARD_MAX_SOURCES), with a reschedule point
 * every SG_SRC_FREE_CHUNK buckets: on a kernel without preemption a
 * namespace's exit or a table's replacement must not hold the CPU for the
 * whole table.  Charges go back a chunk at a time.
 */
static void sg_src_table_free(struct sg_src_table *t)
{
	struct hlist_node *tmp;
	struct sg_src *e;
	u32 i, n = 0;

	if (!t)
		return;
	for (i = 0; i <= t->mask; i++) {
		hlist_for_each_entry_safe(e, tmp, &t->buckets[i], node) {
			sg_src_free(e);
			n++;
		}
		if (i % SG_SRC_FREE_CHUNK == SG_SRC_FREE_CHUNK - 1 || i == t->mask) {
			sg_src_uncharge_n(t->share, n);
			n = 0;
			cond_resched();
		}
	}
	/* Entries still charged keep their own reference. */
	sg_objcg_put(t->objcg);
	kvfree(t);
}

int sg_sources_configure(struct sg_sources *s, const struct sg_config *cfg)
{
	const struct sg_params *p = &cfg->p;
	struct sg_src_table *old, *t;

	spin_lock_bh(&s->budget_lock);
	if (cfg->budget_rate.cost) {
		sg_tb_clamp(&s->budget, &cfg->budget_rate);
		sg_tb_clamp(&s->reserve, &cfg->budget_rate);
	}
	sg_tb_clamp(&s->fallback, &cfg->src_rate);
	spin_unlock_bh(&s->budget_lock);

	old = rcu_dereference_protected(s->table, lockdep_is_held(s->lock));
	if (p->policy != SIPGUARD_POLICY_OPEN && !old)
		return 0;
	if (old && old->max == p->table_max && old->plen4 == p->prefix4 &&
	    old->plen6 == p->prefix6)
		return 0;
	t = sg_src_table_new(p->table_max, p->prefix4, p->prefix6, s->share);
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

int sg_src_walk(struct sg_sources *s, long *pos, bool banned_only, u32 *gen,
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
	t = rcu_dereference(s->table);
	cfg = rcu_dereference(*s->cfg);
	if (t && pos[1] && pos[0] <= t->mask) {
		d = 0;
		skip = pos[1];
		hlist_for_each_entry_rcu(e, &t->buckets[pos[0]], node) {
			if (skip-- <= 0)
				break;
			d = sg_src_digest(d, e);
		}
		if (skip > 0 || d != (u32)pos[4]) {
			pos[1] = 0;
			pos[5]++;
		}
	}
	*gen = READ_ONCE(s->generation) + (u32)pos[5];
	for (; t && pos[0] <= t->mask && left; pos[0]++, pos[1] = 0, left--) {
		skip = pos[1];
		d = 0;
		hlist_for_each_entry_rcu(e, &t->buckets[pos[0]], node) {
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

/*
 * Under the namespace's lock and the bucket's: end @e's ban by forgetting
 * it altogether.
 */
static bool sg_src_unban_one(struct sg_src_table *t, struct sg_src *e, u64 now)
{
	bool banned;

	spin_lock(&e->lock);
	banned = now < e->ban_until;
	spin_unlock(&e->lock);
	if (banned) {
		sg_src_unlink(t, e, true);
		atomic_dec(&t->count);
	}
	return banned;
}

int sg_src_unban(struct sg_sources *s, u8 family, const u8 *addr, u8 *key, u8 *plen)
{
	struct sg_src_table *t;
	struct sg_src *e;
	int ret = -ENOENT;
	u32 h;

	t = rcu_dereference_protected(s->table, lockdep_is_held(s->lock));
	if (!t)
		return ret;
	sg_src_key(t, family, addr, key);
	*plen = family == SG_AF_INET ? t->plen4 : t->plen6;
	h = sg_src_hash(t, family, key);
	spin_lock_bh(sg_src_lock(t, h));
	e = sg_src_find(&t->buckets[h], family, key);
	if (e && sg_src_unban_one(t, e, sg_now()))
		ret = 0;
	spin_unlock_bh(sg_src_lock(t, h));
	local_bh_disable();
	if (sg_src_list_clear(t, family, key, false, false, sg_now()))
		ret = 0;
	local_bh_enable();
	if (!ret)
		s->generation++;
	return ret;
}

u32 sg_src_unban_all(struct sg_sources *s)
{
	struct sg_src_table *t;
	struct hlist_node *tmp;
	struct sg_src *e;
	u64 now = sg_now();
	u32 i, n = 0;

	t = rcu_dereference_protected(s->table, lockdep_is_held(s->lock));
	if (!t)
		return 0;
	for (i = 0; i <= t->mask; i++) {
		spin_lock_bh(sg_src_lock(t, i));
		hlist_for_each_entry_safe(e, tmp, &t->buckets[i], node)
			n += sg_src_unban_one(t, e, now);
		spin_unlock_bh(sg_src_lock(t, i));
		if (i % SG_SRC_FREE_CHUNK == SG_SRC_FREE_CHUNK - 1)
			cond_resched();
	}
	local_bh_disable();
	n += sg_src_list_clear(t, 0, NULL, true, false, now);
	local_bh_enable();
	s->generation++;
	return n;
}

u32 sg_src_count(struct sg_sources *s)
{
	struct sg_src_table *t;
	u32 n;

	rcu_read_lock();
	t = rcu_dereference(s->table);
	n = t ? atomic_read(&t->count) : 0;
	rcu_read_unlock();
	return n;
}

/*
 * The share of the user who made the user namespace that owns @net's
 * (through any number of nested ones), taken; NULL for the initial user
 * namespace's namespaces.
 */
static struct sg_share *sg_share_get(const struct user_namespace *ns)
{
	struct sg_share *sh;
	kuid_t owner;

	if (ns == &init_user_ns)
		return NULL;
	while (ns->parent != &init_user_ns)
		ns = ns->parent;
	owner = ns->owner;
	mutex_lock(&sg_shares_lock);
	hash_for_each_possible(sg_shares, sh, node, __kuid_val(owner))
		if (uid_eq(sh->owner, owner))
			goto found;
	sh = sg_kzalloc(sizeof(*sh), GFP_KERNEL);
	if (!sh) {
		sh = ERR_PTR(-ENOMEM);
		goto out;
	}
	sh->owner = owner;
	atomic_set(&sh->entries, 0);
	hash_add(sg_shares, &sh->node, __kuid_val(owner));
found:
	sh->nets++;
out:
	mutex_unlock(&sg_shares_lock);
	return sh;
}

/* After the namespace's table and every entry of it are gone. */
static void sg_share_put(struct sg_share *sh)
{
	if (!sh)
		return;
	mutex_lock(&sg_shares_lock);
	if (!--sh->nets) {
		WARN_ON_ONCE(atomic_read(&sh->entries));
		hash_del(&sh->node);
		kfree(sh);
	}
	mutex_unlock(&sg_shares_lock);
}

void sg_src_share_info(struct sg_sources *s, struct sg_share_info *si)
{
	struct sg_share *sh = s->share;
	struct sg_src_table *t;

	si->guest = sh;
	si->owner = sh ? from_kuid_munged(&init_user_ns, sh->owner) : 0;
	si->max = sg_share_max(sh);
	si->used = sh ? atomic_read(&sh->entries) : atomic_read(&sg_src_total);
	rcu_read_lock();
	t = rcu_dereference(s->table);
	si->listed = t ? sg_src_list_count(t, sg_now()) : 0;
	rcu_read_unlock();
}

int sg_sources_init(struct sg_sources *s, struct net *net,
		    struct sg_config __rcu **cfg, struct mutex *lock)
{
	s->cfg = cfg;
	s->lock = lock;
	s->share = sg_share_get(net->user_ns);
	if (IS_ERR(s->share))
		return PTR_ERR(s->share);
	RCU_INIT_POINTER(s->table, NULL);
	INIT_DEFERRABLE_WORK(&s->gc, sg_src_gc);
	/* Not 0: a dump's first part must see a change as one (NLM_F_DUMP_INTR). */
	s->generation = 1;
	spin_lock_init(&s->budget_lock);
	/* A full budget; sg_tb_take() clamps it to the configured one. */
	s->budget.tokens = U64_MAX;
	s->budget.last = sg_now();
	s->reserve = s->budget;
	s->fallback = s->budget;
	return 0;
}

void sg_sources_exit(struct sg_sources *s)
{

	cancel_delayed_work_sync(&s->gc);
	sg_src_table_free(rcu_dereference_protected(s->table, true));
	RCU_INIT_POINTER(s->table, NULL);
	/* Every entry was uncharged when it was unlinked or freed above. */
	sg_share_put(s->share);
	s->share = NULL;
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
