// SPDX-License-Identifier: GPL-2.0
/*
 * sipguardctl built without the XDP tier (no libbpf-dev, clang or bpftool
 * at build time): xdp.h's interface, saying so.  The netfilter hooks guard
 * as always; only `xdp` commands and a configuration's `xdp` lines cannot
 * be done, and they fail rather than pass for done.
 */
#include <stdbool.h>
#include <stdio.h>

#include "ctl.h"
#include "grammar.h"
#include "xdp.h"

const bool xdp_built_in = false;

#define NOT_BUILT "this sipguardctl was built without XDP (libbpf-dev, clang, bpftool)"

int xdp_attached(struct xdp_list *x)
{
	/* Nothing this build could have attached. */
	x->n = 0;
	return 0;
}

int xdp_apply(const struct xdp_list *x, const char *path)
{
	if (!x->n)
		return EXIT_OK;
	fprintf(stderr, "sipguardctl: %s:%u: xdp %s: %s\n", path, x->v[0].line, x->v[0].dev,
		NOT_BUILT);
	return EXIT_FAIL;
}

int cmd_xdp(struct sg_nl *nl, int argc, char **argv)
{
	(void)nl;
	(void)argc;
	(void)argv;
	fprintf(stderr, "sipguardctl: xdp: %s\n", NOT_BUILT);
	return EXIT_FAIL;
}
