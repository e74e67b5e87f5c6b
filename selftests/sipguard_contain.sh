#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Containment: a container's root (root of a user namespace that an
# unprivileged user created, owning its own network namespace) cannot take
# the host's memory, and nobody reads third parties' addresses:
#  - it cannot raise table-max above the module's table_max nor switch the
#    budget off (EPERM, with the reason), while it may lower its table;
#  - it cannot change the host-wide cap (sources_max);
#  - 10 such containers of one user flooding 10,000 spoofed sources each
#    hold no more source entries together than that user's share
#    (sources_user_max, within sources_max less sources_reserve), and the
#    refusals are counted, while another user's container still gets its
#    entries (sipguard_share.sh: what the host keeps);
#  - a container's entries are charged to its memory cgroup (memory.current
#    grows by about entries x entry size while the flood comes from outside
#    the cgroup);
#  - SOURCES_GET needs CAP_NET_ADMIN over the namespace: refused to nobody
#    and to root of a user namespace that does not own the namespace,
#    allowed to the container's root in its own;
#  - module parameters: ports parsed strictly (no overflow, no trailing
#    comma), a port both SIP and TLS refused at load.

source "$(dirname "$0")/lib.sh"
require_cmd unshare nsenter setpriv /usr/bin/python3

sg_module_load || { fail "module load"; sg_exit; }
sg_flood_build || { fail "build sg_flood"; sg_exit; }
param=/sys/module/sipguard/parameters/sources_max
ctl=$SIPGUARDCTL
tmp=$(mktemp -d)
chmod 0777 "$tmp"
pids=()
cg=
contain_clean() {
	local p
	for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -z "$cg" ] || rmdir "$cg" 2>/dev/null
	rm -rf "$tmp"
}
sg_cleanup_hooks+=(contain_clean)

# An unprivileged user's container: a user namespace mapping its root to
# nobody, owning a new network namespace.
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
container=("${nobody[@]}" unshare --user --map-root-user --net bash -c)
container() { "${container[@]}" "$1"; }
# counter NAME: one line of `stats` on stdin
counter() { awk -v k="$1" '{ sub(/^ +/, "") } $1 == k ":" { print $2; f = 1 } END { if (!f) print -1 }'; }
sources_of() { nsenter -t "$1" -n "$ctl" show | awk '{ sub(/^ +/, "") } $1 == "sources:" { print $2 }'; }

[ -w "$param" ] || fail "sources_max is not a writable module parameter"
info "sources_max=$(cat "$param" 2>/dev/null) table_max=$(cat /sys/module/sipguard/parameters/table_max)"

# --- a container's root: its share, no budget 0 --------------------------------
out=$(container "$ctl set policy open table-max 4194304" 2>&1); rc=$?
check "container: table-max 4194304 refused" test $rc -ne 0
check "container: ... with EPERM" grep -q "Operation not permitted" <<< "$out"
check "container: ... saying why" grep -q "cannot raise table-max" <<< "$out"
out=$(container "$ctl set budget 0" 2>&1); rc=$?
check "container: budget 0 refused" test $rc -ne 0
check "container: ... saying why" grep -q "cannot switch the budget off" <<< "$out"
out=$(container "$ctl set policy open table-max 16384 budget 1000 && $ctl set table-max 1024 && $ctl show" 2>&1)
check "container: its share and lower are accepted" grep -Eq "table.max:? +1024" <<< "$out" ||
	info "$out"
out=$(container "$ctl set budget 0 table-max 4194304; $ctl show" 2>&1)
check "container: a refused change changed nothing" grep -Eq "table.max:? +16384" <<< "$out"
out=$(container "echo 1 > $param" 2>&1)
check "container: cannot write sources_max" test "$(cat "$param")" != 1
setup_ns host
check "initial namespace's root: table-max 4194304 budget 0 accepted" \
	ip netns exec "$host" "$ctl" set policy open table-max 4194304 budget 0

# --- SOURCES_GET: CAP_NET_ADMIN over the namespace -------------------------------
check "root lists the sources" ip netns exec "$host" "$ctl" sources
out=$(ip netns exec "$host" "${nobody[@]}" "$ctl" sources 2>&1)
check "nobody: sources refused" grep -q "Operation not permitted" <<< "$out"
out=$(ip netns exec "$host" unshare --user --map-root-user "$ctl" sources 2>&1)
check "root of a user namespace not owning it: sources refused" grep -q "Operation not permitted" <<< "$out"
check "container root: sources of its own namespace allowed" container "$ctl sources"

# --- the host-wide cap over 10 containers --------------------------------------
# A scanner's User-Agent: every source remembered is banned for 600 s, so
# that no entry is collected idle (30 s) while the others flood.
cap=30000 reserve=6000 share=20000 nns=10 nsrc=10000
old_cap=$(cat "$param")
old_reserve=$(cat "${param%/*}/sources_reserve") old_user_max=$(cat "${param%/*}/sources_user_max")
echo $cap > "$param" || fail "set sources_max=$cap"
echo $reserve > "${param%/*}/sources_reserve" || fail "set sources_reserve=$reserve"
echo $share > "${param%/*}/sources_user_max" || fail "set sources_user_max=$share"
for i in $(seq $nns); do
	# Not through the function: $! must be the container's own PID.
	"${container[@]}" "ip link set lo up && ip addr add 192.0.2.1/32 dev lo &&
		$ctl set guard lo mode enforce policy open rate 1000 burst 1000 ban 600 budget 1000000 &&
		$flood_bin -d 192.0.2.1 -n $nsrc -c $nsrc -r 20000 -u friendly-scanner > $tmp/flood.$i &&
		touch $tmp/ready.$i && exec sleep 1000" > "$tmp/log.$i" 2>&1 &
	pids+=($!)
	for t in $(seq 300); do [ -e "$tmp/ready.$i" ] || ! kill -0 "${pids[-1]}" 2>/dev/null && break; sleep 0.2; done
	[ -e "$tmp/ready.$i" ] || { fail "container $i: $(cat "$tmp/log.$i")"; break; }
done
total=0 noroom=0 first=
for i in $(seq ${#pids[@]}); do
	n=$(sources_of "${pids[$((i - 1))]}")
	r=$(nsenter -t "${pids[$((i - 1))]}" -n "$ctl" stats | counter src_noroom)
	info "container $i: $n sources, src_noroom $r ($(cat "$tmp/flood.$i" 2>/dev/null))"
	[ -n "$first" ] || first=$n
	total=$((total + n)) noroom=$((noroom + r))
done
info "$((nns * nsrc)) spoofed sources in $nns containers: $total entries, $noroom refused (cap $cap, reserve $reserve, user's share $share)"
check "the entries of all containers stay under the user's share ($total <= $share)" test "$total" -le $share
check "the first container got its $nsrc entries ($first)" test "$first" = $nsrc
check "the share was reached, not missed ($total >= $((share * 9 / 10)))" test "$total" -ge $((share * 9 / 10))
check "the refused sources are counted ($noroom >= $((nns * nsrc - share - nns * nsrc / 10)))" \
	test "$noroom" -ge $((nns * nsrc - share - nns * nsrc / 10))
# Another user's container has a share of its own: nobody's full one is not it.
other=(setpriv --reuid=65533 --regid=65533 --clear-groups --inh-caps=-all
	unshare --user --map-root-user --net bash -c)
"${other[@]}" "ip link set lo up && ip addr add 192.0.2.1/32 dev lo &&
	$ctl set guard lo mode enforce policy open rate 1000 burst 1000 ban 600 budget 1000000 &&
	$flood_bin -d 192.0.2.1 -n 1000 -c 1000 -r 20000 -u friendly-scanner > $tmp/flood.other &&
	touch $tmp/ready.other && exec sleep 1000" > "$tmp/log.other" 2>&1 &
pids+=($!)
for t in $(seq 300); do [ -e "$tmp/ready.other" ] || ! kill -0 "${pids[-1]}" 2>/dev/null && break; sleep 0.2; done
n=$(sources_of "${pids[-1]}")
check "another user's container gets its 1000 entries while nobody's share is full ($n)" test "$n" = 1000
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
pids=()
echo "$old_cap" > "$param"
echo "$old_reserve" > "${param%/*}/sources_reserve"
echo "$old_user_max" > "${param%/*}/sources_user_max"

# --- memory cgroup ----------------------------------------------------------------
cgroot=/sys/fs/cgroup
if ! grep -q "^cgroup2 $cgroot " /proc/mounts; then
	mount -t cgroup2 none $cgroot || skip "no cgroup2"
fi
if grep -qw memory $cgroot/cgroup.controllers; then
	echo +memory > $cgroot/cgroup.subtree_control
	cg=$cgroot/sipguard-contain-$$
	mkdir "$cg"
	"${container[@]}" "touch $tmp/c.started; while [ ! -e $tmp/c.go ]; do sleep 0.1; done;
		ip link set lo up && ip addr add 192.0.2.1/32 dev lo &&
		$ctl set guard lo mode enforce policy open rate 1000 burst 1000 ban 0 budget 1000000 &&
		touch $tmp/c.ready && exec sleep 1000" > "$tmp/log.c" 2>&1 &
	pids+=($!)
	for t in $(seq 100); do [ -e "$tmp/c.started" ] && break; sleep 0.1; done
	echo "${pids[0]}" > "$cg/cgroup.procs" || fail "move the container into $cg"
	touch "$tmp/c.go"
	for t in $(seq 300); do [ -e "$tmp/c.ready" ] && break; sleep 0.2; done
	if [ -e "$tmp/c.ready" ]; then
		bytes=$(nsenter -t "${pids[0]}" -n "$ctl" -j show |
			/usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin).get("source_bytes", 0))' 2>/dev/null)
		before=$(cat "$cg/memory.current")
		# From outside the cgroup: root of the initial namespace sends.
		nsenter -t "${pids[0]}" -n "$flood_bin" -d 192.0.2.1 -n $nsrc -c $nsrc -r 20000 >/dev/null
		n=$(sources_of "${pids[0]}")
		after=$(cat "$cg/memory.current")
		info "memcg: memory.current $before -> $after (+$((after - before)) bytes) for $n entries ($((n ? (after - before) / n : 0)) bytes each; entry_bytes ${bytes:-?})"
		check "memcg: the container's cgroup is charged for its entries (+$((after - before)) >= $n x 64)" \
			test $((after - before)) -ge $((n * 64))
		check "memcg: all $nsrc sources were remembered ($n)" test "$n" = $nsrc
	else
		fail "memcg container: $(cat "$tmp/log.c")"
	fi
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	pids=()

	# The module loaded from a cgroup (every namespace's state is made
	# then) and a table configured from it must not keep that cgroup
	# alive once it is removed: their memory goes to the parent, as the
	# kernel's own objects' does.  (Not a namespace created there: its
	# kernel sockets hold their cgroup, with or without sipguard.)  Page
	# cache read first from inside would be charged to it and keep it too:
	# drop it while waiting.
	dying_cg=$cgroot/sipguard-dying-$$
	dying() { awk '$1 == "nr_dying_descendants" { print $2 }' $cgroot/cgroup.stat; }
	setup_ns dyn
	nsenter --net=/run/netns/"$dyn" "$ctl" show >/dev/null
	cleanup_all_ns
	sg_module_unload || fail "unload"
	sleep 1; echo 3 > /proc/sys/vm/drop_caches
	dying0=$(dying)
	mkdir "$dying_cg"
	( echo $BASHPID > "$dying_cg/cgroup.procs" && sg_module_load ) || fail "load from $dying_cg"
	setup_ns dyn
	( echo $BASHPID > "$dying_cg/cgroup.procs" &&
		exec nsenter --net=/run/netns/"$dyn" "$ctl" set guard lo mode enforce policy open ) ||
		fail "configure $dyn from $dying_cg"
	rmdir "$dying_cg" || fail "rmdir $dying_cg"
	for t in $(seq 40); do
		[ "$(dying)" -le "$dying0" ] && break
		echo 3 > /proc/sys/vm/drop_caches; sleep 0.5
	done
	info "dying cgroups: $dying0 before, $(dying) with the module loaded and a table configured from the removed one"
	check "memcg: a removed cgroup is freed while what was made from it lives" \
		test "$(dying)" -le "$dying0"
else
	info "no memory controller: memcg checks skipped"
fi

# --- module parameters, parsed as the kernel parses them --------------------------
cleanup_all_ns
sg_module_unload || fail "unload"
check_fails "load: a port both SIP and TLS refused" sg_module_load ports=5061 tls_ports=5061
sg_module_unload
check_fails "load: a port that overflows refused" sg_module_load ports=18446744073709551617
sg_module_unload
check_fails "load: a trailing comma refused" sg_module_load ports=5060,
sg_module_unload
check "load: ports=5060,5080-5090 tls_ports=5061 accepted" sg_module_load ports=5060,5080-5090 tls_ports=5061
sg_module_unload

sg_exit
