/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The open policy's memory of untrusted sources: a per-namespace table of
 * token buckets and bans keyed by source address (IPv4 masked to prefix4,
 * IPv6 to prefix6), and the namespace's global budget for untrusted SIP.
 *
 * Table: a power-of-two array of hash buckets (half the power of two at or
 * above the maximum number of entries: chains of 1-2 in a full table), each
 * an RCU hlist, writers serialised by one of SG_SRC_LOCKS spinlocks; the
 * bucket is siphash(address) under a key drawn per table, so nobody outside
 * can aim packets at one chain.  Lookups walk a chain under RCU without a
 * lock; a hit takes only its entry's spinlock.  Inserts take the bucket's
 * lock, allocate without sleeping (charged to the memory cgroup of whoever
 * configured the table), and never let the number of entries pass the
 * maximum: at the maximum, the bucket's least recently seen entry (an
 * unbanned one if there is one) is evicted and freed after a grace period.
 * Deferrable work collects idle entries: each entry is filed in a timer
 * wheel's slot of when it may next expire (its ban's end, SG_SRC_IDLE_NS of
 * idleness), and a run looks only at the slots due, so a table's collector
 * costs what expires, not what the table holds (sources.c).
 *
 * Shares: no namespace may spend another's.  Every entry is charged to the
 * host-wide cap sg_sources_max; an entry of a namespace outside the initial
 * user namespace (a guest) also to the guests' part (sources_max less
 * sg_sources_reserve, which only the initial user namespace's namespaces
 * may use) and to its user's share (sg_sources_user_max: one per user who
 * made a top-level user namespace, however many namespaces that user
 * makes).  A namespace whose share is spent replaces an unbanned entry of
 * its own among the chains a full table evicts from (sources.c), or does
 * not remember the source: such sources are limited all together by one
 * fallback bucket of the per-source rate and burst,
 * never passed unlimited.  A ban never needs room: one that no entry can
 * hold is kept in a small list of the table's own (SG_SRC_BAN_SLOTS).
 *
 * A new source must first get a token from the global budget before it is
 * remembered, so a flood of spoofed sources creates (and evicts) at most
 * budget entries per second: it cannot flush the table's bans and buckets
 * faster than that.
 */
#ifndef _SIPGUARD_SOURCES_H
#define _SIPGUARD_SOURCES_H

#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/sipguard.h>

#include "token_bucket.h"

struct mutex;
struct net;
struct sg_config;
struct sg_params;
struct sg_pkt;
struct sg_pcpu_stats;
struct sg_src;
struct sg_src_table;
struct sg_share;

struct sg_sources {
	struct sg_src_table __rcu *table;	/* NULL until the open policy */
	struct delayed_work gc;
	/* Bumped by unban and table replacement: a dump notices. */
	u32 generation;
	/*
	 * The global budget for untrusted SIP, and its reserve: as much again,
	 * for sources already in the table only, so a flood of new (spoofed)
	 * sources that empties the budget cannot starve the known ones.
	 */
	spinlock_t budget_lock;
	struct sg_tb budget;
	struct sg_tb reserve;
	/* Sources not remembered, together: the per-source rate and burst. */
	struct sg_tb fallback;
	/* Whose share of sources_max the table spends (NULL: the host's). */
	struct sg_share *share;
	/*
	 * The namespace's configuration, which the collector and dumps read
	 * (RCU), and the lock that serialises its changes and ours.
	 */
	struct sg_config __rcu **cfg;
	struct mutex *lock;
};

/* A snapshot of one entry, for dumps. */
struct sg_src_info {
	u8 family;		/* SG_AF_INET or SG_AF_INET6 */
	u8 plen;
	u8 addr[16];
	u64 packets;
	u64 drops;
	u32 tokens;		/* whole packets */
	u32 ban_ms;		/* ban time left, 0 = not banned */
	u32 idle_ms;		/* since the last packet */
	u32 failures;		/* failure answers in the current window */
	u32 bans;		/* times banned while remembered */
};

/* Bytes one entry costs: its slab object plus its share of the buckets. */
size_t sg_src_entry_bytes(void);

int sg_sources_module_init(void);
void sg_sources_module_exit(void);

/* Process context: @net's share of the entries; -ENOMEM. */
int sg_sources_init(struct sg_sources *s, struct net *net,
		    struct sg_config __rcu **cfg, struct mutex *lock);
/* After the hooks are gone: stop the collector, free every entry. */
void sg_sources_exit(struct sg_sources *s);

/*
 * Process context, under the namespace's lock, after @cfg was published:
 * create or replace the table when the open policy needs one of a
 * different size or prefix lengths (a new table starts empty), and clamp
 * the budget to the new rate.
 */
int sg_sources_configure(struct sg_sources *s, const struct sg_config *cfg);

/* The packet's source as sg_src_judge() found it, for sg_src_after_message(). */
struct sg_src_ref {
	struct sg_src_table *t;
	struct sg_src *e;	/* NULL: not remembered */
	/* With e NULL and family not 0: the source's key, for a ban. */
	u8 family;
	u8 key[16];
};

/*
 * Datapath, BH off, under RCU: the per-source limit, ban and budget for one
 * untrusted message under the open policy (verdict.c asks once per step of
 * framing.c: per datagram, per segment of a GRO packet, per TCP segment
 * that carries SIP).  Without @charge (no payload, keepalives) only a ban
 * applies: no token is spent and no entry is made.  Returns
 * SIPGUARD_STAT_UNSPEC to go on, or the drop (DROP_BANNED, DROP_RATE,
 * DROP_BUDGET, DROP_FALLBACK).  A DROP_RATE that banned the source fills @ban (its
 * family no longer 0, which the caller sets): the caller counts the ban
 * and sends its event, once no lock of ours is held.  @src gets the
 * source's entry, valid for the rest of the RCU read section.  (@st only
 * counts what the table did: SRC_NOROOM, SRC_EVICTED.)
 */
enum sipguard_stat sg_src_judge(struct sg_sources *s, const struct sg_config *cfg,
				const struct sg_pkt *pk, bool charge,
				struct sg_pcpu_stats *st, struct sg_src_info *ban,
				struct sg_src_ref *src);

/*
 * Datapath, same section: what the source's message turned out to be.  A
 * @scanner (a signature matched) is banned, filling @ban as sg_src_judge()
 * does; a request that passed, recorded as @rec (not 0, see failures.h),
 * is kept among its last SG_SRC_REQS, a retransmission once.
 */
void sg_src_after_message(const struct sg_src_ref *src, const struct sg_config *cfg,
			  bool scanner, u32 rec, struct sg_src_info *ban);

/*
 * The XDP tier (xdp_kfuncs.c), under RCU: is the source @addr (not masked)
 * banned now?  Reads only: no entry is made, no token spent, nothing counted
 * in the entry (lock-free, as sg_src_judge() reads a ban without @charge).
 */
bool sg_src_banned(struct sg_sources *s, u8 family, const u8 *addr);

/*
 * Failure bans (failures.c decides what a request and an answer are).  A
 * source keeps the last SG_SRC_REQS requests it sent that passed, each as
 * a 32-bit hash of Call-ID, CSeq and top Via branch with bit 0 set if the
 * request carried credentials (SG_REQ_CREDENTIALS); 0 is an empty slot.
 */
#define SG_SRC_REQS		8
#define SG_REQ_CREDENTIALS	1U

/* What a final answer is, for the source it answers. */
enum sg_answer {
	SG_ANSWER_OTHER,	/* success or a failure of no interest */
	SG_ANSWER_FAILURE,	/* 403, 404, 484: always counted */
	SG_ANSWER_CHALLENGE,	/* 401, 407: counted if the request had credentials */
};

/* sg_src_answer(): what became of an answer. */
enum sg_answer_result {
	SG_ANSWER_UNMATCHED,	/* answers no request this source sent */
	SG_ANSWER_MATCHED,	/* its request is forgotten; not counted */
	SG_ANSWER_COUNTED,	/* a failure of the source's */
	SG_ANSWER_BANNED,	/* ... that banned it */
};

/*
 * Datapath, BH off, under RCU: a final answer going to @addr, for the
 * request recorded as @rec (bit 0 clear), of kind @kind.  A matching
 * request is forgotten (a retransmitted answer counts once); a failure is
 * counted in the source's window and may ban it: SG_ANSWER_BANNED, @ban
 * filled for the caller to count and announce.
 */
enum sg_answer_result sg_src_answer(struct sg_sources *s, const struct sg_config *cfg,
				    u8 family, const u8 *addr, u32 rec,
				    enum sg_answer kind, struct sg_src_info *ban);

/*
 * Under the namespace's lock and RCU, BH off, @st open: ban @addr for
 * *@secs (0: the configured ban, escalated, which *@secs then gets),
 * remembering it if needed, in the ban list if no entry can hold it.  @ban
 * describes it for the caller to count and announce.  -ENOENT without a
 * table.
 */
int sg_src_ban_manual(struct sg_sources *s, const struct sg_config *cfg, u8 family,
		      const u8 *addr, u32 *secs, struct sg_src_info *ban,
		      struct sg_pcpu_stats *st);

/*
 * Dump: call @fn for each entry (only banned ones with @banned_only) from
 * the cursor (@pos[0] bucket, @pos[1] entries of it already done, @pos[4]
 * their digest, @pos[5] changes seen; @pos[2] and @pos[3] are the
 * caller's), at most SG_SRC_WALK_CHUNK buckets in one RCU read section;
 * stops at the first non-zero return of @fn (returned) and leaves the
 * cursor at that entry.  Returns 1 once past the last bucket, 0 with
 * buckets left.  @gen, set before @fn is first called: a number that
 * changes whenever the dump may have repeated or missed an entry (the
 * table's generation, plus the cursor's bucket changing under it).
 */
int sg_src_walk(struct sg_sources *s, long *pos, bool banned_only, u32 *gen,
		int (*fn)(void *arg, const struct sg_src_info *info), void *arg);

/*
 * Under the namespace's lock.  Unban one address (-ENOENT if not banned);
 * @key and @plen get the source's key (the address masked) for the event.
 */
int sg_src_unban(struct sg_sources *s, u8 family, const u8 *addr, u8 *key, u8 *plen);
/* Unban every source; returns how many were banned. */
u32 sg_src_unban_all(struct sg_sources *s);

/* Entries now (0 without a table). */
u32 sg_src_count(struct sg_sources *s);

/*
 * The host-wide cap on entries over every namespace (module parameter
 * sources_max, set by the initial namespace's root only) and the entries
 * charged against it now.
 */
#define SG_DEFAULT_SOURCES_MAX	1048576
#define SG_SOURCES_MAX_LIMIT	(1U << 30)
extern unsigned int sg_sources_max;
u32 sg_src_total_count(void);

/*
 * Of sources_max, what only the initial user namespace's namespaces may
 * use (sources_reserve), and what all the namespaces of one user may hold
 * (sources_user_max, within sources_max less the reserve).  Module
 * parameters, root of the initial namespace only.
 */
#define SG_DEFAULT_SOURCES_RESERVE	(SG_DEFAULT_SOURCES_MAX / 8)
#define SG_DEFAULT_SOURCES_USER_MAX	(SG_DEFAULT_SOURCES_MAX / 4)
extern unsigned int sg_sources_reserve;
extern unsigned int sg_sources_user_max;

/* Which share a namespace spends, for GET_CONFIG. */
struct sg_share_info {
	bool guest;		/* not the initial user namespace's */
	u32 owner;		/* guest: the user (initial user namespace) */
	u32 max;		/* entries the share may hold */
	u32 used;		/* entries it holds now */
	u32 listed;		/* bans of this namespace held without an entry */
};
void sg_src_share_info(struct sg_sources *s, struct sg_share_info *si);

#endif /* _SIPGUARD_SOURCES_H */
