#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The WAN computed while multipath default routes churn.  The IPv6 walk of
# a multipath route's siblings starts from a route looked up without the
# table's lock; a sibling unlinked in between (list_del_rcu() on stable
# kernels) used to send that walk round the ring for ever, under tb6_lock
# with bottom halves off: a soft lockup, then every CPU that wants the lock
# spins too.  Here IPv6 and IPv4 ECMP defaults gain and lose nexthops from
# two processes on two CPUs (each kicks the WAN work on its own CPU) while
# a link flaps, for SG_ECMP_SECONDS (default 20).  Needs 2 CPUs.  Before
# the fix, a 2-vCPU 6.12 guest locked up within the first 40 s (soft
# lockups of the WAN work and of `ip`, RCU stalls).
#
#   gw wan0 192.0.2.1  2001:db8:1::1 -- p0 192.0.2.2  2001:db8:1::2
#      wan1 192.0.2.5  2001:db8:2::1 -- p1 192.0.2.6  2001:db8:2::2
#      wan2 192.0.2.9  2001:db8:3::1 -- p2 192.0.2.10 2001:db8:3::2
#      lan0 192.0.2.129              -- pl 192.0.2.130

source "$(dirname "$0")/lib.sh"

require_cmd taskset timeout
secs=${SG_ECMP_SECONDS:-20}
ncpu=$(nproc)
# One CPU cannot run a walk and an unlink at once (the walk does not sleep
# or yield between its lookup and the lock).
[ "$ncpu" -ge 2 ] || skip "needs 2 CPUs (make check runs it in a 2-vCPU guest)"

setup_ns gw p0 p1 p2 pl || exit $KSFT_FAIL
for i in 0 1 2; do
	veth_link "$gw" wan$i "$(eval echo \$p$i)" eth0 || exit $KSFT_FAIL
	ip -n "$gw" addr add 192.0.2.$((4 * i + 1))/30 dev wan$i &&
		ip -n "$gw" addr add 2001:db8:$((i + 1))::1/64 dev wan$i nodad || exit $KSFT_FAIL
done
veth_link "$gw" lan0 "$pl" eth0 && ip -n "$gw" addr add 192.0.2.129/25 dev lan0 || exit $KSFT_FAIL
ip netns exec "$gw" sysctl -qw net.ipv6.conf.all.keep_addr_on_down=1 \
	net.ipv6.conf.wan2.keep_addr_on_down=1 net.ipv4.fib_multipath_hash_policy=1 \
	net.ipv6.fib_multipath_hash_policy=1 2>/dev/null
sg_module_load || exit $KSFT_FAIL
g() { ip netns exec "$gw" "$SIPGUARDCTL" "$@"; }
check "learn on, the WAN from the default routes" g set guard all learn on

nh6() { echo "nexthop via 2001:db8:$(($1 + 1))::2 dev wan$1"; }
nh4() { echo "nexthop via 192.0.2.$((4 * $1 + 2)) dev wan$1"; }
ip -n "$gw" -6 route add default $(nh6 0) $(nh6 1) $(nh6 2) &&
	ip -n "$gw" -4 route add default $(nh4 0) $(nh4 1) $(nh4 2) ||
	{ fail "ECMP default routes over wan0, wan1, wan2"; sg_exit; }

# churn6 CPU: one process on CPU that takes each nexthop of the IPv6
# default out and puts it back (at its end), as fast as ip can, so the
# route a walk starts from is sometimes the one going.  -force: a flapped
# link has taken a route away meanwhile, and the batch goes on.
churn6() {
	local k i
	for ((k = 0; k < 100; k++)); do
		for i in 0 1 2; do
			echo "route del default via 2001:db8:$((i + 1))::2 dev wan$i"
			echo "route append default via 2001:db8:$((i + 1))::2 dev wan$i"
		done
	done > "$tmp/batch6"
	while [ ! -e "$tmp/stop" ]; do
		ip netns exec "$gw" taskset -c "$(($1 % ncpu))" ip -6 -force -batch "$tmp/batch6" >/dev/null 2>&1
	done
}
# kick4 CPU: IPv4 changes on CPU, each a FIB event that queues the WAN work
# on that CPU (it runs where it was kicked): the walks the other CPU's
# unlinks meet.  The IPv4 default loses and regains a nexthop too.
kick4() {
	local k
	for ((k = 0; k < 100; k++)); do
		echo "route add 198.51.100.77/32 dev lan0"
		echo "route del 198.51.100.77/32 dev lan0"
		echo "route add 198.51.100.78/32 dev lan0"
		echo "route del 198.51.100.78/32 dev lan0"
	done > "$tmp/batch4"
	echo "route replace default $(nh4 0) $(nh4 1)" >> "$tmp/batch4"
	echo "route replace default $(nh4 0) $(nh4 1) $(nh4 2)" >> "$tmp/batch4"
	while [ ! -e "$tmp/stop" ]; do
		ip netns exec "$gw" taskset -c "$(($1 % ncpu))" ip -4 -force -batch "$tmp/batch4" >/dev/null 2>&1
	done
}
flap() {
	while [ ! -e "$tmp/stop" ]; do
		ip -n "$gw" link set wan2 down
		sleep 0.5
		ip -n "$gw" link set wan2 up
		sleep 1
	done
}
tmp=$(mktemp -d) || exit $KSFT_FAIL
sg_cleanup_hooks+=(churn_clean)
churn_clean() { touch "$tmp/stop"; sg_stop ${pids[@]+"${pids[@]}"}; rm -rf "$tmp"; }
pids=()
kick4 0 & pids+=($!)
churn6 1 & pids+=($!)
flap & pids+=($!)

# While it churns, the datapath and the control plane must keep answering.
end=$((SECONDS + secs)) stuck=0 shows=0
while [ $SECONDS -lt $end ]; do
	if timeout 10 ip netns exec "$gw" "$SIPGUARDCTL" -j show >/dev/null; then
		shows=$((shows + 1))
	else
		stuck=1
		break
	fi
	sleep 0.5
done
touch "$tmp/stop"
sg_stop "${pids[@]}"
pids=()
expect_eq "show answered throughout ${secs} s of churn" 0 "$stuck"
info "$shows shows during the churn"
check "the routing table still answers" timeout 10 ip -n "$gw" -6 route show default

# Settled: the WAN is what the routes now say.
ip -n "$gw" link set wan2 up
ip -n "$gw" -6 route replace default $(nh6 0) $(nh6 1) $(nh6 2) &&
	ip -n "$gw" -4 route replace default $(nh4 0) $(nh4 1) || fail "restore the routes"
ok=0
for i in $(seq 50); do
	g show | grep -q "learning): wan0,wan1,wan2$" && { ok=1; break; }
	sleep 0.1
done
check "after the churn the WAN is wan0 wan1 wan2" [ $ok = 1 ] ||
	info "$(g show | grep guard)"
sg_exit
