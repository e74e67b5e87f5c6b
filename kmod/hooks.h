/* SPDX-License-Identifier: GPL-2.0 */
/* Every netfilter hook of one network namespace (PRE_ROUTING, LOCAL_OUT). */
#ifndef _SIPGUARD_HOOKS_H
#define _SIPGUARD_HOOKS_H

struct net;

int sg_hooks_register(struct net *net);
void sg_hooks_unregister(struct net *net);

#endif /* _SIPGUARD_HOOKS_H */
