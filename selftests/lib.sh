#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the sipguard selftests: kselftest exit codes, network
# namespaces with random names that are always cleaned up, module loading,
# counters, and PASS/FAIL reporting.  Sourced by every test.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

SG_TOP=${SG_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
if [ -z "${SIPGUARDCTL:-}" ]; then
	if [ -x "$SG_TOP/tools/sipguardctl/sipguardctl" ]; then
		SIPGUARDCTL=$SG_TOP/tools/sipguardctl/sipguardctl
	else
		SIPGUARDCTL=sipguardctl
	fi
fi

# The test's result: any failed check makes it fail, but it goes on so one
# run shows every broken behaviour.  Output is KTAP: one "ok N" or "not ok
# N" line per check, comments behind "# ", and the plan at the end, where
# the number of checks is known (sg_exit).  The runner (kselftest's
# run_kselftest.sh, or run_tests.sh) nests it behind "# ".
sg_ret=$KSFT_PASS
sg_nchecks=0
# (Not for the demo and the benchmarks, which use the scene, not the checks.)
[ -n "${SG_NO_TAP:-}" ] || echo "TAP version 13"

pass() { sg_nchecks=$((sg_nchecks + 1)); echo "ok $sg_nchecks $*"; }
fail() { sg_nchecks=$((sg_nchecks + 1)); echo "not ok $sg_nchecks $*"; sg_ret=$KSFT_FAIL; }
info() { echo "# $*"; }

# check DESCRIPTION COMMAND...: pass if COMMAND succeeds.  Returns the
# verdict, so a test can add what it knows to a failure.
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; return 1; fi
}

# check_fails DESCRIPTION COMMAND...: pass if COMMAND fails.
check_fails() {
	local what=$1
	shift
	if "$@"; then fail "$what"; return 1; else pass "$what"; fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1 ($3)"
	else
		fail "$1: expected $2, got $3"
		return 1
	fi
}

skip() {
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c not installed"
	done
}

[ "$(id -u)" = 0 ] || skip "needs root"

# Namespaces: setup_ns VAR... creates one namespace per VAR with a random
# name, stores the name in VAR and remembers it for cleanup.
sg_all_ns=()
setup_ns() {
	local var name
	for var in "$@"; do
		name="sg-$var-$(mktemp -u XXXXXX)"
		ip netns add "$name" || return 1
		# No duplicate address detection: links are usable at once.
		# One process per namespace: under TCG every exec counts.
		# (None of that on a kernel booted with ipv6.disable=1.)
		ip netns exec "$name" sh -c 'ip link set lo up && { [ ! -d /proc/sys/net/ipv6 ] ||
			sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0; }' || return 1
		sg_all_ns+=("$name")
		eval "$var=$name"
	done
}

cleanup_all_ns() {
	local ns
	for ns in ${sg_all_ns[@]+"${sg_all_ns[@]}"}; do
		ip netns del "$ns" 2>/dev/null
	done
	sg_all_ns=()
}

sg_cleanup_hooks=()
sg_cleanup() {
	local h
	for h in ${sg_cleanup_hooks[@]+"${sg_cleanup_hooks[@]}"}; do
		$h
	done
	cleanup_all_ns
}
trap sg_cleanup EXIT

# sg_stop PID...: end background helpers and reap them, whatever state they
# are in: TERM, then KILL what still runs 5 s later (a sipp starved of CPU on
# a debug kernel may not reach its handler), so a test never waits unbounded.
sg_stop() {
	local i
	kill "$@" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$@" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$@" 2>/dev/null
	wait "$@" 2>/dev/null
	return 0
}

# sg_udp_listening NS ADDR PORT [SECONDS]: true once something in NS listens
# on UDP ADDR:PORT (an IPv6 ADDR in brackets), waiting at most SECONDS
# (default 10): a datagram sent before that is refused, and a slow guest may
# take a while.
sg_udp_listening() {
	local ns=$1 want=$2:$3 i
	for ((i = 0; i < ${4:-10} * 10; i++)); do
		ip netns exec "$ns" ss -Hlun "sport = :$3" | awk -v w="$want" '
			$4 == w { ok = 1 } END { exit !ok }' && return 0
		sleep 0.1
	done
	return 1
}

# ns_batch NS < COMMANDS: ip commands (without "ip") run in NS by one process.
ns_batch() {
	ip -n "$1" -batch -
}

# veth_link NS_A IF_A NS_B IF_B: a veth pair between two namespaces.
veth_link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" &&
		ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# Load the module under test: $SG_MODULE (a .ko path) when set, with the
# dependencies modinfo names, else whatever modprobe finds.
sg_module_load() {
	grep -q '^sipguard ' /proc/modules && return 0
	if [ -n "${SG_MODULE:-}" ]; then
		local deps
		deps=$(modinfo -F depends "$SG_MODULE" | tr ',' ' ')
		[ -z "$deps" ] || modprobe -a $deps || return 1
		insmod "$SG_MODULE" "$@"
	else
		modprobe sipguard "$@"
	fi
}

sg_module_unload() {
	grep -q '^sipguard ' /proc/modules || return 0
	rmmod sipguard
}

sipguardctl() { "$SIPGUARDCTL" "$@"; }

# sg_flood_build: sets $flood_bin to the packet generator (sg_flood.c): the
# one `make` built beside the tests, or a fresh build in a temporary
# directory (removed on exit) when that is missing or older than its source.
sg_flood_dir=
sg_flood_build() {
	local here
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	flood_bin=$here/sg_flood
	[ -x "$flood_bin" ] && [ ! "$here/sg_flood.c" -nt "$flood_bin" ] && return 0
	sg_flood_dir=$(mktemp -d) || return 1
	sg_cleanup_hooks+=(sg_flood_clean)
	flood_bin=$sg_flood_dir/sg_flood
	cc -O2 -o "$flood_bin" "$here/sg_flood.c"
}
sg_flood_clean() { [ -z "$sg_flood_dir" ] || rm -rf "$sg_flood_dir"; }

# sg_stat NS NAME: one counter of namespace NS ("" = this one).
sg_stat() {
	local ns=$1 name=$2 out
	if [ -n "$ns" ]; then
		out=$(ip netns exec "$ns" "$SIPGUARDCTL" stats) || return 1
	else
		out=$("$SIPGUARDCTL" stats) || return 1
	fi
	awk -v k="$name" '{ sub(/^ +/, "") } $1 == k ":" { print $2; found = 1 }
		END { if (!found) print "missing" }' <<< "$out"
}

# Send one UDP datagram from NS to ADDR PORT (bash's /dev/udp, no helpers).
udp_send() {
	ip netns exec "$1" bash -c "echo sipguard-test > /dev/udp/$2/$3"
}

# udp_send_msg NS ADDR PORT [SPORT] < MESSAGE: stdin as one datagram.
udp_send_msg() {
	ip netns exec "$1" /usr/bin/python3 -c '
import socket, sys
addr, port, sport = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", sport))
s.sendto(sys.stdin.buffer.read(), (addr, port))' "$2" "$3" "${4:-0}"
}

# Open (attempt) a TCP connection from NS to ADDR PORT; result ignored.
tcp_try() {
	ip netns exec "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null || true
}

# The end of every test: the plan, and the result.  A test that checked
# nothing proves nothing: it fails.
sg_exit() {
	if [ "$sg_nchecks" = 0 ]; then
		fail "the test ran no check"
	fi
	echo "1..$sg_nchecks"
	exit $sg_ret
}

# The ghost-call scene, shared by the guard tests and the demo:
#
#   attacker 203.0.113.66          registrar 198.51.100.10
#   2001:db8:66::66                2001:db8:10::10
#          \ a0                      / r0
#           +------- inet (router) -+
#                        | i2
#                        | wan0 192.0.2.1/25, 2001:db8:1::1    gateway
#                        |      (sipguard; port 5060 of 192.0.2.1
#                        |       is forwarded to the phone)
#                        | lan0 192.0.2.129/25, 2001:db8:100::1
#                        |
#                      phone 192.0.2.130, 2001:db8:100::130
#
# Creates the namespaces $attacker $registrar $inet $gw $phone.  In the phone,
# nft counts what arrives on 5060: sip_in (everything), invites (INVITE
# requests: each one is a ring), per source attacker_in/registrar_in, and
# attacker_invites (the ghost calls).
SG_ATTACKER4=203.0.113.66 SG_ATTACKER6=2001:db8:66::66
SG_REGISTRAR4=198.51.100.10 SG_REGISTRAR6=2001:db8:10::10
SG_WAN4=192.0.2.1 SG_WAN6=2001:db8:1::1
SG_PHONE4=192.0.2.130 SG_PHONE6=2001:db8:100::130

sg_gateway_topology() {
	# Its nft counters: without nft the scene cannot be built (a SKIP).
	require_cmd nft
	setup_ns attacker registrar inet gw phone || return 1
	ip -batch - <<-EOF || return 1
	link add a0 netns $attacker type veth peer name i0 netns $inet
	link add r0 netns $registrar type veth peer name i1 netns $inet
	link add i2 netns $inet type veth peer name wan0 netns $gw
	link add lan0 netns $gw type veth peer name p0 netns $phone
	EOF
	ns_batch "$attacker" <<-EOF || return 1
	link set a0 up
	addr add $SG_ATTACKER4/24 dev a0
	addr add $SG_ATTACKER6/64 dev a0 nodad
	route add default via 203.0.113.254
	route add default via 2001:db8:66::fe
	EOF
	ns_batch "$registrar" <<-EOF || return 1
	link set r0 up
	addr add $SG_REGISTRAR4/24 dev r0
	addr add $SG_REGISTRAR6/64 dev r0 nodad
	route add default via 198.51.100.254
	route add default via 2001:db8:10::fe
	EOF
	# The phone's network is routed (a "loose" home network), as well as
	# reachable through the gateway's port forward.
	ns_batch "$inet" <<-EOF || return 1
	link set i0 up
	link set i1 up
	link set i2 up
	addr add 203.0.113.254/24 dev i0
	addr add 2001:db8:66::fe/64 dev i0 nodad
	addr add 198.51.100.254/24 dev i1
	addr add 2001:db8:10::fe/64 dev i1 nodad
	addr add 192.0.2.126/25 dev i2
	addr add 2001:db8:1::fe/64 dev i2 nodad
	route add 192.0.2.128/25 via $SG_WAN4
	route add 2001:db8:100::/64 via $SG_WAN6
	EOF
	ns_batch "$gw" <<-EOF || return 1
	link set wan0 up
	link set lan0 up
	addr add $SG_WAN4/25 dev wan0
	addr add $SG_WAN6/64 dev wan0 nodad
	addr add 192.0.2.129/25 dev lan0
	addr add 2001:db8:100::1/64 dev lan0 nodad
	route add default via 192.0.2.126
	route add default via 2001:db8:1::fe
	EOF
	ns_batch "$phone" <<-EOF || return 1
	link set p0 up
	addr add $SG_PHONE4/25 dev p0
	addr add $SG_PHONE6/64 dev p0 nodad
	route add default via 192.0.2.129
	route add default via 2001:db8:100::1
	EOF
	local ns
	for ns in $inet $gw; do
		ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	done

	# The port forward (what a UPnP mapping does): UDP and TCP 5060.
	ip netns exec "$gw" nft -f - <<-NFT || return 1
	table ip nat {
		chain prerouting {
			type nat hook prerouting priority dstnat;
			ip daddr $SG_WAN4 udp dport 5060 dnat to $SG_PHONE4
			ip daddr $SG_WAN4 tcp dport 5060 dnat to $SG_PHONE4
		}
	}
	NFT
	ip netns exec "$phone" nft -f - <<-NFT || return 1
	table inet phone {
		counter sip_in {}
		counter invites {}
		counter attacker_in {}
		counter registrar_in {}
		counter attacker_invites {}
		chain input {
			type filter hook input priority 0;
			udp dport 5060 counter name sip_in
			udp dport 5060 @ih,0,48 0x494e56495445 counter name invites
			ip saddr $SG_ATTACKER4 udp dport 5060 @ih,0,48 0x494e56495445 counter name attacker_invites
			ip6 saddr $SG_ATTACKER6 udp dport 5060 @ih,0,48 0x494e56495445 counter name attacker_invites
			ip saddr $SG_ATTACKER4 udp dport 5060 counter name attacker_in
			ip6 saddr $SG_ATTACKER6 udp dport 5060 counter name attacker_in
			ip saddr $SG_REGISTRAR4 udp dport 5060 counter name registrar_in
			ip6 saddr $SG_REGISTRAR6 udp dport 5060 counter name registrar_in
		}
	}
	NFT
	ip netns exec "$attacker" nft -f - <<-NFT || return 1
	table inet attacker {
		counter sent {}
		chain output {
			type filter hook output priority 0;
			udp dport 5060 counter name sent
		}
	}
	NFT
	# Resolve neighbours now so that no test packet waits for it.
	ip netns exec "$attacker" ping -qc1 -W2 $SG_PHONE4 >/dev/null &&
	ip netns exec "$attacker" ping -qc1 -W2 $SG_PHONE6 >/dev/null &&
	ip netns exec "$registrar" ping -qc1 -W2 $SG_PHONE4 >/dev/null &&
	ip netns exec "$registrar" ping -qc1 -W2 $SG_PHONE6 >/dev/null
}

# nft_count NS TABLE COUNTER: packets counted by a named nft counter.
# NFT_FAMILY (default inet) for a table of another family.
nft_count() {
	ip netns exec "$1" nft list counter "${NFT_FAMILY:-inet}" "$2" "$3" |
		awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

nft_reset() {
	ip netns exec "$1" nft reset counters table inet "$2" >/dev/null
}

# The phone: a sipp UAS answering calls on both addresses (background).
sg_phone_start() {
	local a
	for a in $SG_PHONE4 $SG_PHONE6; do
		ip netns exec "$phone" sipp -sn uas -i "$a" -p 5060 -bg -nostdin \
			-trace_err -error_file "/tmp/sipp-phone-$a.err" >/dev/null 2>&1
	done
}

sg_phone_stop() {
	ip netns pids "$phone" 2>/dev/null | xargs -r kill 2>/dev/null
}

# sg_scene [phone]: the module loaded and the gateway topology up (else the
# test ends with a FAIL); with "phone", the phone's UAS answering as well.
sg_scene() {
	sg_module_load || { fail "module load"; sg_exit; }
	sg_gateway_topology || { fail "topology"; sg_exit; }
	sg_cleanup_hooks+=(sg_phone_stop)
	[ "${1:-}" != phone ] || sg_phone_start
}

# gw ARGS: sipguardctl in the gateway's namespace (a test may redefine it).
gw() { ip netns exec "$gw" "$SIPGUARDCTL" "$@"; }

# sg_call FROM_NS FROM_ADDR TO_ADDR N [LOG]: N calls from a sipp UAC; true if
# all completed (INVITE, 180/200, ACK, BYE, 200).  With LOG, sipp's final
# statistics screen and its exit status go there, and its errors (the
# messages of failed calls) to LOG.err, for a test to show on failure.
# A call fails when an answer takes SG_CALL_WAIT seconds (default 5); a
# test that keeps the guest's one vCPU busy under TCG allows more.
sg_call() {
	local ns=$1 from=$2 to=$3 n=$4 log=${5:-/dev/null} rc w=${SG_CALL_WAIT:-5}
	local err=(-trace_err -error_file "$log.err")
	[ "$log" = /dev/null ] && err=()
	case $to in *:*) to="[$to]" ;; esac
	ip netns exec "$ns" timeout $((w * 12)) sipp -sn uac -i "$from" -m "$n" -r 10 -nostdin \
		-timeout $((w * 6))s -timeout_error -recv_timeout "${w}s" "${err[@]}" "$to:5060" >"$log" 2>&1
	rc=$?
	[ "$log" = /dev/null ] || echo "sipp exit status $rc" >> "$log"
	return $rc
}
