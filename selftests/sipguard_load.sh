#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load and unload the module 20 times while network namespaces come and go,
# before, during and after it is loaded: every namespace must get its hooks
# and lose them cleanly (the VM runner fails the run on any kernel splat).
# Also: without the module, sipguardctl says so plainly and exits 3.

source "$(dirname "$0")/lib.sh"

sg_module_unload || { fail "cannot unload a module left loaded"; sg_exit; }

out=$(sipguardctl show 2>&1); rc=$?
expect_eq "sipguardctl without the module exits 3" 3 "$rc"
check "sipguardctl without the module says it is not loaded" \
	grep -q "module is not loaded" <<< "$out"

loops=20
ok=0
for i in $(seq $loops); do
	setup_ns before
	sg_module_load || { fail "load #$i"; break; }
	setup_ns during
	# A packet into a namespace created before and one created after load.
	veth_link "$before" va "$during" vb
	ip -n "$before" addr add 192.0.2.1/24 dev va
	ip -n "$during" addr add 192.0.2.2/24 dev vb
	udp_send "$before" 192.0.2.2 5060
	udp_send "$during" 192.0.2.1 5060
	n1=$(sg_stat "$before" sip_udp)
	n2=$(sg_stat "$during" sip_udp)
	# A namespace that dies with the module loaded, one after unload.
	cleanup_all_ns
	setup_ns after
	sg_module_unload || { fail "unload #$i"; break; }
	cleanup_all_ns
	[ "$n1" = 1 ] && [ "$n2" = 1 ] && ok=$((ok + 1))
done
expect_eq "load/unload cycles with a packet counted in old and new namespaces" $loops $ok
check "module is gone after the last unload" bash -c "! grep -q '^sipguard ' /proc/modules"

sg_exit
