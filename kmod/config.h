/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-namespace configuration: mode, policy, guarded ports and
 * interfaces, and the allowlist with its compiled lookup structure.
 *
 * A configuration is immutable once published.  Every change builds a
 * complete new one in process context (one kvmalloc holding everything,
 * including the port bitmaps and the compiled allowlist), publishes it with
 * rcu_assign_pointer() and frees the old one after a grace period.  The
 * datapath reads it under RCU and never waits for a writer.
 */
#ifndef _SIPGUARD_CONFIG_H
#define _SIPGUARD_CONFIG_H

#include <linux/if.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/sipguard.h>

#include "allowlist.h"
#include "token_bucket.h"

struct netlink_ext_ack;

struct sg_port_range {
	u16 min;
	u16 max;
};

/* The scalar part, copied from the old configuration on every change. */
struct sg_params {
	u8 mode;			/* enum sipguard_mode */
	u8 policy;			/* enum sipguard_policy */
	u8 n_sip;
	u8 n_tls;
	u8 n_ifaces;
	struct sg_port_range sip[SIPGUARD_MAX_PORT_RANGES];
	struct sg_port_range tls[SIPGUARD_MAX_PORT_RANGES];
	/* Zero-padded, so a name compares as IFNAMSIZ bytes. */
	char ifaces[SIPGUARD_MAX_IFACES][IFNAMSIZ] __aligned(8);
	/* Open policy; uapi/linux/sipguard.h says what each one means. */
	u32 rate;			/* per source, packets/s */
	u32 burst;			/* per source, packets */
	u32 ban;			/* seconds, 0 = no bans */
	u32 budget;			/* packets/s for all untrusted, 0 = none */
	u32 table_max;			/* source table entries */
	u8 prefix4;			/* source key prefix lengths */
	u8 prefix6;
	u8 refuse_invite;		/* drop out-of-dialog INVITEs */
	u8 learn;			/* learn registrars (learn.c) */
	u16 learn_max;			/* servers that may be learned */
	u32 failures;			/* failure answers that ban, 0 = off */
	u32 failure_window;		/* seconds they are counted over */
	u32 ban_max;			/* seconds repeated bans grow to */
};

/* Boot-time defaults of the open policy (sipguard(4), OPEN POLICY). */
#define SG_DEFAULT_RATE	SIPGUARD_DEFAULT_RATE
#define SG_DEFAULT_BURST	SIPGUARD_DEFAULT_BURST
#define SG_DEFAULT_BAN	SIPGUARD_DEFAULT_BAN
#define SG_DEFAULT_BUDGET	SIPGUARD_DEFAULT_BUDGET
#define SG_DEFAULT_TABLE_MAX	SIPGUARD_DEFAULT_TABLE_MAX
#define SG_DEFAULT_PREFIX4	SIPGUARD_DEFAULT_PREFIX4
#define SG_DEFAULT_PREFIX6	SIPGUARD_DEFAULT_PREFIX6

/*
 * The scalar settings, one row each: attribute (SIPGUARD_A_*), field of
 * struct sg_params, netlink type, smallest and largest value a request may
 * set, and what a new namespace starts with.  The SET_CONFIG policy, a
 * request applied, the GET_CONFIG reply and the defaults expand this list;
 * the order is the reply's.  mode and policy start as the module parameters
 * say (sg_params_defaults() overrides their 0).
 */
#define SG_SETTINGS(X)								\
	X(RATE,		  rate,		  u32, 1, SG_TB_MAX_RATE, SG_DEFAULT_RATE)	\
	X(BURST,	  burst,	  u32, 1, SG_TB_MAX_BURST, SG_DEFAULT_BURST)	\
	X(BAN,		  ban,		  u32, 0, SIPGUARD_MAX_BAN, SG_DEFAULT_BAN)	\
	X(BUDGET,	  budget,	  u32, 0, SG_TB_MAX_RATE, SG_DEFAULT_BUDGET)	\
	X(PREFIX4,	  prefix4,	  u8,  8, 32, SG_DEFAULT_PREFIX4)		\
	X(PREFIX6,	  prefix6,	  u8,  16, 128, SG_DEFAULT_PREFIX6)		\
	X(TABLE_MAX,	  table_max,	  u32, SIPGUARD_MIN_SOURCES,		\
	  SIPGUARD_MAX_SOURCES, SG_DEFAULT_TABLE_MAX)				\
	X(REFUSE_INVITE,  refuse_invite,  u8,  0, 1, 0)				\
	X(LEARN,	  learn,	  u8,  0, 1, 0)				\
	X(LEARN_MAX,	  learn_max,	  u32, 1, SG_LEARN_MAX,			\
	  SIPGUARD_DEFAULT_LEARN_MAX)						\
	X(FAILURES,	  failures,	  u32, 0, SIPGUARD_MAX_FAILURES,		\
	  SIPGUARD_DEFAULT_FAILURES)						\
	X(FAILURE_WINDOW, failure_window, u32, 1, SIPGUARD_MAX_FAILURE_WINDOW,	\
	  SIPGUARD_DEFAULT_FAILURE_WINDOW)					\
	X(BAN_MAX,	  ban_max,	  u32, 0, SIPGUARD_MAX_BAN,		\
	  SIPGUARD_DEFAULT_BAN_MAX)						\
	X(MODE,		  mode,		  u8,  0, SIPGUARD_MODE_MAX, 0)		\
	X(POLICY,	  policy,	  u8,  0, SIPGUARD_POLICY_MAX, 0)

struct sg_config {
	struct rcu_head rcu;
	u64 generation;
	struct sg_params p;
	/* Both point into this same allocation. */
	const unsigned long *sip_ports;	/* bitmap of 65536 */
	const unsigned long *tls_ports;
	u32 n_allow;
	const struct sg_prefix *allow;	/* in the order added */
	/*
	 * The names entries carry (a provider's DNS name, for `allow
	 * refresh`): entry i is named names + name_off[i], unnamed if
	 * name_off[i] is 0.  Each distinct name is stored once; the datapath
	 * never looks at them.
	 */
	const u32 *name_off;
	const char *names;
	const struct sg_allowlist *al;	/* compiled for lookups */
	/* From p.rate/burst and p.budget; budget_rate.cost 0 = no budget. */
	struct sg_tb_rate src_rate;
	struct sg_tb_rate budget_rate;
};

/* Boot-time defaults for every namespace, from the module parameters. */
int sg_params_defaults(struct sg_params *p, const char *mode,
		       const char *policy, const char *ports,
		       const char *tls_ports);

/* Parse "5060,5080,5160-5170" into sorted, merged ranges (kstrtou16). */
int sg_parse_ports(const char *s, struct sg_port_range *r, u8 *n);

/* Is a port both a SIP and a TLS port? */
bool sg_ports_overlap(const struct sg_params *p);

/* Sort and merge @n ranges in place; -EINVAL for a range with min > max. */
int sg_ranges_normalise(struct sg_port_range *r, u8 *n,
			struct netlink_ext_ack *extack);

/*
 * A run of allowlist entries for sg_config_build(): x[0..n).  The name of
 * x[i] is the one it has in @cfg when @cfg is set (x then points into
 * cfg->allow), else names[i] when @names is set, else @name; NULL is none.
 * Entries named @except (if set) are left out.
 */
struct sg_run {
	const struct sg_prefix *x;
	u32 n;
	const struct sg_config *cfg;
	const char *const *names;
	const char *name;
	const char *except;
};

/*
 * Build a configuration from @p and the allowlist made of @runs[0..nruns)
 * one after the other.  Process context.  Returns the new configuration or
 * an ERR_PTR; extack says what is wrong with the input.
 */
struct sg_config *sg_config_build(const struct sg_params *p,
				  const struct sg_run *runs, unsigned int nruns,
				  u64 generation,
				  struct netlink_ext_ack *extack);

/* The name of entry @i, or NULL. */
static inline const char *sg_config_name(const struct sg_config *cfg, u32 i)
{
	return cfg->name_off[i] ? cfg->names + cfg->name_off[i] : NULL;
}

/* Entries named @name. */
u32 sg_config_count_name(const struct sg_config *cfg, const char *name);

/*
 * Is @s a name an entry may carry: a DNS name in lower case, 1-253
 * characters, labels of 1-63 letters, digits, '-' (not first or last) or
 * '_', no trailing dot, and a last label that is not all digits (so it
 * never reads as an address)?  Returns 0 or -EINVAL with *why a static
 * message.
 */
int sg_name_check(const char *s, const char **why);

void sg_config_free(struct sg_config *cfg);

/* Free after every reader that may still see it is done. */
void sg_config_free_rcu(struct sg_config *cfg);

/* The index of an entry equal to @x with the name @name (NULL: none), or -1. */
int sg_config_find_prefix(const struct sg_config *cfg,
			  const struct sg_prefix *x, const char *name);

#endif /* _SIPGUARD_CONFIG_H */
