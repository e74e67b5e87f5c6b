#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stress.sh soak|faults [SECONDS]  (inside the VM; tools/vm/soak.sh runs it)
#
# Everything at once, in rounds, for SECONDS (default $SG_STRESS_SECONDS,
# else 120).  Each round loads the module, builds a gateway (namespace gw:
# lan0 to the phones' namespace pl, wan0 and wan1 to the internet's pw,
# IPv4 and IPv6, ECMP default routes), guards it (open policy, learning
# on), runs the workers below for up to SG_STRESS_ROUND seconds (default
# 120), stops them, checks the gateway still counts drops, removes the
# namespaces and unloads the module (rmmod must succeed):
#   flood4/flood6  spoofed OPTIONS floods from the internet, IPv4 and IPv6,
#                  to the gateway and through it to a phone
#   tcp            SIP over TCP connections to the gateway
#   frag           3,000-byte SIP datagrams over a 1,280-byte MTU (fragments)
#   learn          REGISTERs from 64 spoofed phones to a registrar that
#                  answers each (learning: registrations, confirmations)
#   config         set / allow replace, add, del / deny replace, add, del /
#                  signatures / ban, unban / showconf | setconf
#   ecmp           default routes replaced (one or two nexthops), a link
#                  flapped
#   rename         wan1 renamed away and back
#   xdp            the XDP tier attached to wan0 and detached
#   netns          namespaces created, configured, destroyed
#   userns         containers: unshare -Urn, their own guard and flood
# soak: the above; the kernel's reports are judged outside (soak.sh scans
# the console, debug-kernel.sh guest scans kmemleak).  Learning must
# confirm registrations (the registrar is not on the allowlist).
# faults: the module's own fault attribute (debugfs fail_sipguard) fails
# SG_FAULT_PERCENT (5) % of its allocations in every context, softirq
# included; failslab and fail_page_alloc, task-filtered (order-0 pages
# included), SG_FAULT_TASK_PERCENT (2) % of those of the commands that configure the module and create namespaces, which
# run from copies on tmpfs with make-it-fail set after loading (see
# faulty: the guest's 9p root must not meet the faults); the module is
# loaded by such an insmod under failslab (SG_FAULT_LOAD_PERCENT, 2 %),
# up to SG_FAULT_LOAD_TRIES (10) clean failures in a row.  Every command
# must succeed or fail with "Cannot allocate memory" (or ENOBUFS), the
# hook's failures must show in the nomem counter, and each of the three
# attributes must have injected faults (their `times` counts them down).
# Without fault injection in the kernel the workers run without it and the
# test is skipped.
set -u
mode=${1:-soak}
total=${2:-${SG_STRESS_SECONDS:-120}}
round_max=${SG_STRESS_ROUND:-120}
# shellcheck source=../../selftests/lib.sh
source "$(dirname "$0")/../../selftests/lib.sh"
require_cmd ip unshare timeout /usr/bin/python3
sg_flood_build || { fail "build sg_flood"; sg_exit; }
ctl=$SIPGUARDCTL
reg_py=$SG_TOP/selftests/sg_reg.py
work=$(mktemp -d)
chmod 0755 "$work"
dbg=/sys/kernel/debug
mountpoint -q $dbg || mount -t debugfs debugfs $dbg 2>/dev/null
stress_clean() {
	touch "$work/stop"
	wait 2>/dev/null
	faults_off
	rm -rf "$work"
}
sg_cleanup_hooks+=(stress_clean)

# --- fault injection -----------------------------------------------------------
# The guest's root is the host's over 9p under a tmpfs overlay: a task whose
# allocations fail while it execs, loads libraries or reads files there
# breaks 9p and the overlay for every task after it ("Invalid argument
# reading file caps", commands not found).  So the kernel-wide attributes
# (failslab, fail_page_alloc) are aimed by their task filter at the few
# commands that exercise the module (faulty), run from copies on tmpfs
# ($fbin: the binary, its libraries and the loader), with make-it-fail set
# by a preloaded constructor (sg_failme.c) once the loader is done; they
# fork nothing, and read only tmpfs, procfs and debugfs.  The module's own
# attribute (fail_sipguard) needs no filter: it fails the module's
# allocations only, in every context, softirq included.
faults=0
fa=$dbg/fail_sipguard fs=$dbg/failslab fp=$dbg/fail_page_alloc
fbin=$work/fbin
fault_times=1000000000
declare -A injected=([fail_sipguard]=0 [failslab]=0 [fail_page_alloc]=0) armed=()
# fault_arm DIR PERCENT TASK-FILTER: DIR fails PERCENT% of the allocations
# it is asked about (TASK-FILTER Y: only those of make-it-fail tasks).
fault_arm() {
	local d=$1 f
	[ -d "$d" ] || return 0
	# The module's, made by a load under failslab, may lack files.
	for f in probability task-filter verbose interval space times; do
		[ -w "$d/$f" ] || { info "$d has no $f (made under faults): not armed"; return 0; }
	done
	echo 0 > "$d/probability"
	# The filter before the probability: between the two, every task's
	# allocations could fail (the 9p root's among them).
	echo "$3" > "$d/task-filter"
	echo 0 > "$d/verbose"
	echo 1 > "$d/interval"
	echo 0 > "$d/space"
	echo $fault_times > "$d/times"
	[ ! -e "$d/ignore-gfp-wait" ] || echo N > "$d/ignore-gfp-wait"
	[ ! -e "$d/ignore-gfp-highmem" ] || echo N > "$d/ignore-gfp-highmem"
	# fail_page_alloc spares order-0 pages by default: most of them.
	[ ! -e "$d/min-order" ] || echo 0 > "$d/min-order"
	armed[$d]=1
	echo "$2" > "$d/probability"
}
# fault_disarm DIR: off; what it injected (times counts down per failure)
# is added to injected[name].
fault_disarm() {
	local d=$1 t
	[ -w "$d/probability" ] || return 0
	echo 0 > "$d/probability"
	[ -n "${armed[$d]:-}" ] || return 0
	unset "armed[$d]"
	t=$(cat "$d/times")
	injected[${d##*/}]=$((injected[${d##*/}] + fault_times - t))
}
faults_off() {
	local d
	for d in $fa $fs $fp; do fault_disarm "$d"; done
	return 0
}
# faults_on: ${SG_FAULT_PERCENT:-5}% of the module's allocations fail,
# anywhere, and ${SG_FAULT_TASK_PERCENT:-2}% of every allocation of the
# faulty commands (each makes hundreds: at 5% nearly all of them would fail
# before reaching the module).
faults_on() {
	[ "$faults" = 1 ] || return 0
	fault_arm $fs "${SG_FAULT_TASK_PERCENT:-2}" Y
	fault_arm $fp "${SG_FAULT_TASK_PERCENT:-2}" Y
	fault_arm $fa "${SG_FAULT_PERCENT:-5}" N
}
# faults_load_on: failslab alone on the loading insmod (the module's
# attribute does not exist yet; fail_page_alloc would fail the copy of the
# image into vmalloc'ed pages long before the module's init runs).
faults_load_on() {
	[ "$faults" = 1 ] || return 0
	fault_arm $fs "${SG_FAULT_LOAD_PERCENT:-2}" Y
}
# fault_toolbox: the faulty commands, their libraries and the loader on tmpfs.
fault_toolbox() {
	local b l so=$SG_TOP/build/sg_failme.so
	mkdir -p "$fbin/lib" || return 1
	if [ -f "$so" ] && [ ! "$SG_TOP/tools/vm/sg_failme.c" -nt "$so" ]; then
		cp "$so" "$fbin/" || return 1
	else
		cc -O2 -shared -fPIC -o "$fbin/sg_failme.so" "$SG_TOP/tools/vm/sg_failme.c" || return 1
	fi
	for b in "$ctl" "$(command -v ip)" "$(command -v insmod)"; do
		# insmod is kmod by another name: the copy keeps the name.
		cp -L "$b" "$fbin/" || return 1
		for l in $(ldd "$b" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }'); do
			case $l in
			*/ld-linux*) cp -L "$l" "$fbin/ld.so" ;;
			*) cp -L "$l" "$fbin/lib/" ;;
			esac || return 1
		done
	done
	cp "$SG_MODULE" "$fbin/sipguard.ko"
}
# faulty CMD...: CMD with failslab and fail_page_alloc aimed at it.
faulty() {
	if [ "$faults" = 1 ]; then
		local b=$fbin/${1##*/}
		[ -x "$b" ] || { echo "faulty: no $1 in $fbin" >&2; return 127; }
		shift
		LD_PRELOAD=$fbin/sg_failme.so "$fbin/ld.so" --library-path "$fbin/lib" "$b" "$@"
	else
		"$@"
	fi
}
# fault_load: the module loaded by a faulty insmod (its dependencies first,
# without faults): every namespace's init runs in that task.
fault_load() {
	local deps
	deps=$(modinfo -F depends "$SG_MODULE" | tr ',' ' ')
	[ -z "$deps" ] || modprobe -a $deps || return 1
	faults_load_on
	faulty insmod "$fbin/sipguard.ko"
	local rc=$?
	faults_off
	return $rc
}
# judged WHAT CMD...: run CMD (faulty); success, or a clean out-of-memory
# error, is fine; anything else is written to $work/bad.
judged() {
	local what=$1 out rc o=$work/out.$BASHPID
	shift
	# The output goes to pages allocated beforehand (written in place, not
	# truncated): a pipe's or a new page's allocation can fail under
	# fail_page_alloc, and the command's error message would be lost.
	rm -f "$o"
	fallocate -l 65536 "$o" 2>/dev/null || head -c 65536 /dev/zero > "$o"
	faulty "$@" 1<> "$o" 2>&1; rc=$?
	out=$(tr -d '\0' < "$o")
	[ $rc = 0 ] && { echo ok >> "$work/n.$what"; return 0; }
	# ENFILE too: the kernel's answer when a socket's inode cannot be
	# allocated (__sock_create).
	if grep -Eiq "cannot allocate memory|no buffer space available|out of memory|too many open files in system" <<< "$out"; then
		echo nomem >> "$work/n.$what"
	elif [ "$faults" = 1 ] || [ -n "${judged_strict:-}" ]; then
		echo "$what: exit $rc: $*: $(head -c 300 <<< "$out")" >> "$work/bad"
	fi
	return $rc
}
if [ "$mode" = faults ]; then
	if [ -n "${SG_MODULE:-}" ] && sg_module_load && [ -d $fa ] && [ -d $fs ] && [ -d $fp ]; then
		faults=1
		fault_toolbox || { fail "the faulty commands' toolbox on tmpfs"; sg_exit; }
	else
		info "this kernel has no fault injection for the module (CONFIG_FAULT_INJECTION_DEBUG_FS, FAILSLAB, FAIL_PAGE_ALLOC) or no SG_MODULE: the workers run without it"
	fi
	sg_module_unload
fi

running() { [ ! -e "$work/stop" ]; }

# --- the gateway -------------------------------------------------------------------
topology() {
	setup_ns gw pl pw || return 1
	veth_link "$gw" lan0 "$pl" eth0 && veth_link "$gw" wan0 "$pw" eth0 &&
		veth_link "$gw" wan1 "$pw" eth1 || return 1
	ip -n "$gw" addr add 192.0.2.1/25 dev lan0 &&
		ip -n "$gw" addr add 2001:db8:2::1/64 dev lan0 nodad &&
		ip -n "$gw" addr add 198.51.100.1/25 dev wan0 &&
		ip -n "$gw" addr add 2001:db8:1::1/64 dev wan0 nodad &&
		ip -n "$gw" addr add 198.51.100.129/25 dev wan1 &&
		ip -n "$gw" addr add 2001:db8:3::1/64 dev wan1 nodad || return 1
	ip -n "$pl" addr add 192.0.2.2/25 dev eth0 &&
		ip -n "$pl" addr add 2001:db8:2::2/64 dev eth0 nodad &&
		ip -n "$pl" route add default via 192.0.2.1 &&
		ip -n "$pl" -6 route add default via 2001:db8:2::1 || return 1
	ip -n "$pw" addr add 198.51.100.2/25 dev eth0 &&
		ip -n "$pw" addr add 2001:db8:1::2/64 dev eth0 nodad &&
		ip -n "$pw" addr add 198.51.100.130/25 dev eth1 &&
		ip -n "$pw" addr add 2001:db8:3::2/64 dev eth1 nodad &&
		ip -n "$pw" route add 192.0.2.0/25 via 198.51.100.1 &&
		ip -n "$pw" -6 route add 2001:db8:2::/64 via 2001:db8:1::1 || return 1
	# Fragments: the internet's side sends over a small MTU.
	ip -n "$pw" link set eth0 mtu 1280
	ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv6.conf.all.keep_addr_on_down=1 net.ipv4.fib_multipath_hash_policy=1
	ecmp_both
	ip netns exec "$gw" "$ctl" set guard wan0,wan1 mode enforce policy open rate 5 burst 10 \
		ban 2 learn on learn-max 32 >/dev/null
}
ecmp_both() {
	ip -n "$gw" route replace default nexthop via 198.51.100.2 dev wan0 \
		nexthop via 198.51.100.130 dev wan1 2>/dev/null
	ip -n "$gw" -6 route replace default nexthop via 2001:db8:1::2 dev wan0 \
		nexthop via 2001:db8:3::2 dev wan1 2>/dev/null
}

# --- the workers ---------------------------------------------------------------------
w_flood4() {
	while running; do
		ip netns exec "$pw" "$flood_bin" -d 198.51.100.1 -s 203.0.113.0 -n 250 -c 2000 -r 1000 >/dev/null 2>&1
		ip netns exec "$pw" "$flood_bin" -d 192.0.2.2 -s 198.51.100.140 -n 100 -c 1000 -r 1000 \
			-u friendly-scanner >/dev/null 2>&1
	done
}
w_flood6() {
	while running; do
		ip netns exec "$pw" "$flood_bin" -d 2001:db8:1::1 -n 2000 -c 2000 -r 1000 >/dev/null 2>&1
	done
}
w_tcp() {
	local opt='OPTIONS sip:100@198.51.100.1 SIP/2.0\r\nVia: SIP/2.0/TCP 198.51.100.2;branch=z9hG4bKt\r\nFrom: <sip:x@example.invalid>;tag=1\r\nTo: <sip:100@198.51.100.1>\r\nCall-ID: t@x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n'
	while running; do
		ip netns exec "$pw" timeout 2 bash -c "exec 3<>/dev/tcp/198.51.100.1/5060 && printf '$opt' >&3;
			exec 3<>/dev/tcp/2001:db8:1::1/5060 && printf '$opt' >&3" 2>/dev/null
		sleep 0.2
	done
}
w_frag() {
	local pad
	pad=$(printf '%03000d' 0)
	while running; do
		ip netns exec "$pw" bash -c "
			printf 'OPTIONS sip:100@198.51.100.1 SIP/2.0\r\nCall-ID: f@x\r\nX-Pad: $pad\r\nContent-Length: 0\r\n\r\n' > /dev/udp/198.51.100.1/5060
			printf 'OPTIONS sip:100@[2001:db8:1::1] SIP/2.0\r\nCall-ID: f@x\r\nX-Pad: $pad\r\nContent-Length: 0\r\n\r\n' > /dev/udp/2001:db8:1::1/5060" 2>/dev/null
		sleep 0.1
	done
}
w_learn() {
	mkfifo "$work/reg.ctl"
	ip netns exec "$pw" /usr/bin/python3 "$reg_py" registrar "$work/reg.ctl" "$work/reg.log" \
		198.51.100.2 >"$work/reg.err" 2>&1 &
	local reg=$!
	sleep 2
	while running; do
		ip netns exec "$pl" "$flood_bin" -d 198.51.100.2 -s 192.0.2.16 -n 64 -c 256 -r 200 \
			-M REGISTER >/dev/null 2>&1
	done
	kill $reg 2>/dev/null
	wait $reg 2>/dev/null
}
w_config() {
	local i=0
	while running; do
		i=$((i + 1))
		# Not the registrar (198.51.100.2): an allowlisted server's
		# answers pass as trusted before learning sees them.
		{ for k in $(seq $((i % 50 + 1))); do echo "198.51.100.$((k % 60 + 3))/32"; done
			echo "2001:db8:$i::/48"; } > "$work/allow"
		{ for k in $(seq $((i % 30 + 1))); do echo "203.0.113.$k/32"; done
			echo "2001:db8:ff$((i % 10))::/48"; } > "$work/deny"
		judged allow_replace "$ctl" -n "$gw" allow replace "$work/allow"
		judged deny_replace "$ctl" -n "$gw" deny replace --origin feed "$work/deny"
		judged set "$ctl" -n "$gw" set rate $((i % 10 + 1)) burst 10 table-max $((4096 << (i % 4)))
		judged set_policy "$ctl" -n "$gw" set policy $([ $((i % 5)) = 0 ] && echo strict || echo open)
		judged set_policy "$ctl" -n "$gw" set policy open
		judged allow_add "$ctl" -n "$gw" allow add 192.0.2.$((i % 100 + 2))/32 name n$((i % 7))
		judged allow_del "$ctl" -n "$gw" allow del n$((i % 7))
		# Each deletion takes what was just added: "not there" is no
		# out-of-memory answer, and a timeout can pass in a slow guest.
		judged deny_add "$ctl" -n "$gw" deny add 203.0.113.$((i % 200 + 50))/32 timeout 30 &&
			judged deny_del "$ctl" -n "$gw" deny del 203.0.113.$((i % 200 + 50))/32
		judged signature "$ctl" -n "$gw" signature add "scan$((i % 5))" &&
			judged signature "$ctl" -n "$gw" signature del "scan$((i % 5))"
		judged ban "$ctl" -n "$gw" ban 203.0.113.$((i % 250 + 1)) 30 &&
			judged unban "$ctl" -n "$gw" unban 203.0.113.$((i % 250 + 1))
		judged ban "$ctl" -n "$gw" ban 203.0.113.$(((i + 100) % 250 + 1)) 5
		if "$ctl" -n "$gw" showconf -o "$work/conf" 2>/dev/null; then
			judged setconf "$ctl" -n "$gw" setconf "$work/conf"
		fi
		"$ctl" -n "$gw" sources > /dev/null 2>&1
		"$ctl" -n "$gw" -j show > /dev/null 2>&1
	done
}
w_ecmp() {
	while running; do
		ecmp_both
		sleep 0.3
		ip -n "$gw" route replace default via 198.51.100.2 dev wan0 2>/dev/null
		ip -n "$gw" -6 route replace default via 2001:db8:1::2 dev wan0 2>/dev/null
		sleep 0.3
		ip -n "$gw" link set wan1 down 2>/dev/null
		ecmp_both
		ip -n "$gw" link set wan1 up 2>/dev/null
		ecmp_both
		sleep 0.3
	done
}
w_rename() {
	while running; do
		sleep 1
		ip -n "$gw" link set wan1 down 2>/dev/null &&
			ip -n "$gw" link set wan1 name wanx 2>/dev/null &&
			ip -n "$gw" link set wanx up 2>/dev/null
		sleep 0.5
		ip -n "$gw" link set wanx down 2>/dev/null &&
			ip -n "$gw" link set wanx name wan1 2>/dev/null
		ip -n "$gw" link set wan1 up 2>/dev/null
		ecmp_both
	done
}
w_xdp() {
	while running; do
		judged xdp_attach "$ctl" -n "$gw" xdp attach wan0 generic
		sleep 1
		"$ctl" -n "$gw" xdp detach wan0 >/dev/null 2>&1
		sleep 0.5
	done
}
w_netns() {
	local i=0 n
	while running; do
		i=$((i + 1))
		n=sg-churn-$i-$$
		if judged netns ip netns add "$n"; then
			ip -n "$n" link set lo up
			judged netns_set "$ctl" -n "$n" set guard all mode enforce policy open learn on
			ip link add "ch$i" netns "$n" type veth peer name eth0 netns "$pw" 2>/dev/null
			ip netns del "$n"
		fi
	done
}
w_userns() {
	while running; do
		timeout 60 unshare -Urn bash -c "ip link set lo up && ip addr add 192.0.2.1/32 dev lo &&
			$ctl set guard lo mode enforce policy open rate 100 burst 100 budget 100000 &&
			$flood_bin -d 192.0.2.1 -n 500 -c 1000 -r 1000 && $ctl stats" >/dev/null 2>&1
	done
}
workers=(flood4 flood6 tcp frag learn config ecmp rename xdp netns userns)

# stat_of NAME: one counter of the gateway, from $work/stats
stat_of() {
	awk -v k="$1" '{ sub(/^ +/, "") } $1 == k ":" { print $2; f = 1 } END { if (!f) print 0 }' "$work/stats"
}

# --- the rounds ---------------------------------------------------------------------
# The clock is the guest's wall clock, which qemu keeps on the host's (TCG
# included): a round that overruns (a slow unload) shortens the last one.
t0=$(date +%s)
t_end=$((t0 + total))
round=0 nomem_total=0 packets_total=0 confirmed_total=0
load_fails=0 load_tries=${SG_FAULT_LOAD_TRIES:-10} loads_failed=0 loads_faulted=0
info "$mode: $total s from $(date -u +%T) UTC, rounds of up to $round_max s; workers: ${workers[*]}"
while [ "$(date +%s)" -lt "$t_end" ]; do
	round=$((round + 1))
	left=$((t_end - $(date +%s)))
	secs=$((left < round_max ? left : round_max))
	[ $secs -ge 10 ] || secs=10
	rm -f "$work/stop"
	# The module loaded under failslab: the init of every existing
	# namespace may fail, and then the load must fail cleanly
	# (ENOMEM, nothing left behind: kmemleak judges at the end).  After
	# $load_tries clean failures in a row the round loads without faults.
	if [ "$faults" = 1 ] && [ "$load_fails" -lt "$load_tries" ]; then
		fault_load > "$work/load.out" 2>&1
		rc=$?
		out=$(head -c 300 "$work/load.out")
		if [ $rc != 0 ]; then
			if grep -q "Cannot allocate memory" <<< "$out" && [ ! -d /sys/module/sipguard ]; then
				load_fails=$((load_fails + 1)) loads_failed=$((loads_failed + 1))
				round=$((round - 1))
				continue
			fi
			fail "round $round: module load under faults: exit $rc: $out"
			break
		fi
		loads_faulted=$((loads_faulted + 1))
		# Its debugfs attribute may have lost files to the faults (the
		# module works without it): loaded again without faults.
		if [ ! -w $fa/probability ] || [ ! -w $fa/times ] || [ ! -w $fa/task-filter ]; then
			info "round $round: fail_sipguard incomplete after the faulted load: loaded again"
			sg_module_unload && sg_module_load || { fail "round $round: reload"; break; }
		fi
	elif ! out=$(sg_module_load 2>&1); then
		fail "round $round: module load: $out"
		break
	fi
	load_fails=0
	if ! topology; then
		fail "round $round: topology"
		cleanup_all_ns
		sg_module_unload
		break
	fi
	faults_on
	pids=()
	for w in "${workers[@]}"; do
		"w_$w" > "$work/log.$w" 2>&1 &
		pids+=($!)
	done
	sleep $secs
	touch "$work/stop"
	# A worker's command in flight ends within its own timeouts.
	for p in "${pids[@]}"; do
		for t in $(seq 120); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	faults_off
	"$ctl" -n "$gw" stats > "$work/stats" 2>/dev/null
	dropped=$(stat_of dropped) nomem=$(stat_of nomem) bans=$(stat_of bans)
	packets=$(($(stat_of sip_ipv4) + $(stat_of sip_ipv6)))
	registers=$(stat_of learn_register) learned=$(stat_of learn_confirmed) lfull=$(stat_of learn_full)
	nomem_total=$((nomem_total + nomem)) packets_total=$((packets_total + packets))
	confirmed_total=$((confirmed_total + learned))
	ops=
	for f in "$work"/n.*; do
		[ -e "$f" ] || continue
		ops="$ops ${f##*/n.}=$(grep -c ok "$f")/$(grep -c nomem "$f")"
	done
	rm -f "$work"/n.*
	for w in learn config; do
		[ ! -s "$work/log.$w" ] || tail -n 3 "$work/log.$w" | sed "s/^/# $w: /"
	done
	[ ! -s "$work/reg.log" ] || info "registrar: $(wc -l < "$work/reg.log") lines"
	[ ! -s "$work/reg.err" ] || tail -n 3 "$work/reg.err" | sed 's/^/# registrar: /'
	rm -f "$work/reg.log" "$work/reg.err" "$work/reg.ctl"
	info "round $round ($secs s): SIP packets $packets, dropped $dropped, bans $bans, learn_register $registers, learn_confirmed $learned, learn_full $lfull, nomem $nomem; ok/nomem:$ops"
	[ "$faults" = 0 ] || info "round $round: injected so far: fail_sipguard ${injected[fail_sipguard]}, failslab ${injected[failslab]}, fail_page_alloc ${injected[fail_page_alloc]}; loads failed cleanly $loads_failed, loaded under faults $loads_faulted"
	check "round $round: the gateway still drops (dropped $dropped)" test "${dropped:-0}" -gt 0
	cleanup_all_ns
	# Namespaces go in a work queue: the module's user count falls after.
	for t in $(seq 60); do sg_module_unload 2>/dev/null && break; sleep 1; done
	check "round $round: module unloaded" test ! -d /sys/module/sipguard
	# A module that stays is the end: the next round could not load it.
	[ -d /sys/module/sipguard ] && break
done
info "$mode: $round rounds in $(($(date +%s) - t0)) s (until $(date -u +%T) UTC): SIP packets $packets_total, learn_confirmed $confirmed_total, nomem $nomem_total"
[ "$faults" = 0 ] || info "$mode: injected fail_sipguard ${injected[fail_sipguard]}, failslab ${injected[failslab]}, fail_page_alloc ${injected[fail_page_alloc]}; module loads failed cleanly $loads_failed, loaded under faults $loads_faulted"
check "learning confirmed registrations (learn_confirmed $confirmed_total)" test "$confirmed_total" -gt 0
if [ -s "$work/bad" ]; then
	fail "$(wc -l < "$work/bad") commands failed otherwise than cleanly (first 20 below)"
	head -n 20 "$work/bad" | sed 's/^/# /'
else
	check "every command succeeded or failed cleanly" true
fi
if [ "$mode" = faults ]; then
	if [ "$faults" = 1 ]; then
		check "the hook's allocation failures are counted (nomem $nomem_total)" test "$nomem_total" -gt 0
		for f in fail_sipguard failslab fail_page_alloc; do
			check "$f injected faults (${injected[$f]})" test "${injected[$f]}" -gt 0
		done
	else
		echo "1..$sg_nchecks"
		info "SKIP: no fault injection in this kernel"
		exit $KSFT_SKIP
	fi
fi
sg_exit
