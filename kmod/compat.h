/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included into every sipguard object (see Kbuild).  Differences
 * between the kernels sipguard supports are absorbed here, so the other
 * files read like upstream code.  Supported: Debian's 6.1 and 6.12 series.
 */
#ifndef _SIPGUARD_COMPAT_H
#define _SIPGUARD_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "sipguard needs Linux 6.1 or newer"
#endif

#endif /* _SIPGUARD_COMPAT_H */
