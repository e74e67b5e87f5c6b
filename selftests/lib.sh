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
# run shows every broken behaviour.
sg_ret=$KSFT_PASS
sg_nchecks=0

pass() { sg_nchecks=$((sg_nchecks + 1)); echo "# PASS: $*"; }
fail() { sg_nchecks=$((sg_nchecks + 1)); echo "# FAIL: $*"; sg_ret=$KSFT_FAIL; }
info() { echo "# $*"; }

# check DESCRIPTION COMMAND...: pass if COMMAND succeeds.
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1 ($3)"
	else
		fail "$1: expected $2, got $3"
	fi
}

skip() {
	echo "# SKIP: $*"
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
		ip -n "$name" link set lo up
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

# Open (attempt) a TCP connection from NS to ADDR PORT; result ignored.
tcp_try() {
	ip netns exec "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null || true
}

sg_exit() {
	info "$sg_nchecks checks"
	exit $sg_ret
}
