/* SPDX-License-Identifier: GPL-2.0 */
/* The names counters have in text and JSON output. */
#ifndef SIPGUARDCTL_NAMES_H
#define SIPGUARDCTL_NAMES_H

const char *stat_name(unsigned int id);

#endif
