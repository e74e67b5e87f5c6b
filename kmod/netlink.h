/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "sipguard" generic netlink family: configuration requests, dumps and
 * the events group (events.h names the family for its multicasts).
 */
#ifndef _SIPGUARD_NETLINK_H
#define _SIPGUARD_NETLINK_H

int sg_genl_init(void);
void sg_genl_exit(void);

#endif /* _SIPGUARD_NETLINK_H */
