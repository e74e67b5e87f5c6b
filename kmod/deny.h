/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The denylist: prefixes whose packets to a guarded port are dropped before
 * they are parsed (open policy) or only counted (strict), grouped by origin
 * (a feed, or "manual"), each entry with an optional expiry.
 *
 * One immutable prefix set (allowlist.c) per origin, replaced whole under
 * the mutex and read under RCU; expired entries stop matching at once and
 * are removed by a delayed work in process context.
 */
#ifndef _SIPGUARD_DENY_H
#define _SIPGUARD_DENY_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/sipguard.h>

#include "allowlist.h"

struct netlink_ext_ack;
struct obj_cgroup;

#define SG_DENY_ORIGINS		SIPGUARD_DENY_ORIGINS
#define SG_DENY_DEFAULT_MAX	262144

/* Entries of all origins of one namespace together: module parameter deny_max. */
extern unsigned int sg_deny_max;

enum sg_deny_count {
	SG_DENY_HITS,
	SG_DENY_IGN_TRUSTED,
	SG_DENY_IGN_LEARNED,
	SG_DENY_NCOUNT
};

/* One origin's entries: immutable once published. */
struct sg_deny_set {
	struct rcu_head rcu;
	char name[SIPGUARD_ORIGIN_MAXLEN + 1];
	/* struct sg_prefixset, SG_PREFIXSET_ALIGN aligned */
	u64 mem[];
};

struct sg_deny_pcpu {
	u64_stats_t cnt[SG_DENY_ORIGINS][SG_DENY_NCOUNT];
	struct u64_stats_sync syncp;
};

struct sg_deny {
	struct sg_deny_set __rcu *set[SG_DENY_ORIGINS];
	unsigned long live;		/* bit per origin in use: the datapath's first test */
	u32 total;			/* entries of all origins */
	u32 generation;			/* bumped by every change: dumps notice */
	struct mutex lock;		/* writers */
	struct delayed_work reap;
	struct sg_deny_pcpu __percpu *pcpu;
	u64 base[SG_DENY_ORIGINS][SG_DENY_NCOUNT];	/* sums when the slot was taken */
	struct obj_cgroup *objcg;	/* charged for the sets the reaper builds (not held) */
};

int sg_deny_init(struct sg_deny *d, struct obj_cgroup *objcg);
void sg_deny_exit(struct sg_deny *d);

/*
 * Datapath, before anything is parsed (BH off, RCU): the origin whose set
 * holds @addr, or -1.  The caller, which knows whom the user trusts, tells
 * sg_deny_count() what the hit came to.
 */
int sg_deny_match(const struct sg_deny *d, u8 family, const u8 *addr);
void sg_deny_count(struct sg_deny *d, int slot, enum sg_deny_count what);

/* Is any origin in use?  The datapath calls sg_deny_match() only then. */
static inline bool sg_deny_live(const struct sg_deny *d)
{
	return READ_ONCE(d->live);
}

/* An entry of a request: seconds 0 = permanent. */
struct sg_deny_req {
	struct sg_prefix p;
	u32 timeout;
};

enum sg_deny_op {
	SG_DENY_ADD,
	SG_DENY_DEL,
	SG_DENY_REPLACE,
};

/* Is @name a valid origin name?  *@why gets a static message if not. */
int sg_deny_origin_check(const char *name, const char **why);

/*
 * Apply @op with @n entries to @origin (NULL for DEL: every origin).
 * Process context; all or nothing.
 */
int sg_deny_change(struct sg_deny *d, enum sg_deny_op op, const char *origin,
		   const struct sg_deny_req *v, u32 n, struct netlink_ext_ack *extack);

/* For dumps, under rcu_read_lock(). */
struct sg_deny_origin_info {
	const char *name;
	u32 count;
	u64 cnt[SG_DENY_NCOUNT];
};
/* Origin slot @slot, if in use. */
bool sg_deny_origin_get(struct sg_deny *d, u32 slot, struct sg_deny_origin_info *out);
/* Entry @idx of slot @slot: false past the end; *@left seconds, 0 permanent. */
bool sg_deny_entry_get(struct sg_deny *d, u32 slot, u32 idx, struct sg_prefix *p,
		       u32 *left, bool *expired);

#endif /* _SIPGUARD_DENY_H */
