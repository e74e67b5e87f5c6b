/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The XDP tier's kfunc: an XDP program (tools/xdp/sipguard.bpf.c) asks the
 * module about each UDP/TCP frame, so the module's configuration, allowlist
 * and learned registrars stay the one source of truth.
 */
#ifndef _SIPGUARD_XDP_KFUNCS_H
#define _SIPGUARD_XDP_KFUNCS_H

struct xdp_md;

/*
 * XDP_DROP if the netfilter hook would certainly drop this frame (counted
 * here, as XDP_DROP_*), else XDP_PASS: the hook then decides as always.
 */
int bpf_sipguard_xdp_verdict(struct xdp_md *ctx);

/*
 * Register the kfunc for XDP programs.  Never fails the module: without
 * module BTF (built without a base vmlinux BTF) it logs why and returns.
 */
void sg_xdp_kfuncs_init(void);

#endif /* _SIPGUARD_XDP_KFUNCS_H */
