#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every selftest declares the tools it runs that a minimal system may lack
# (require_cmd in the test, or in sg_learn_lib.sh which it sources), so that
# kselftest's runner reports a SKIP (exit 4) where one is missing, not a
# failure of the topology.  Statically: each test's own command lines (not
# comments) against its require_cmd lines.  Tools of Debian's essential set
# (coreutils, util-linux, iproute2 is the tests' own subject) are not
# listed here.

source "$(dirname "$0")/../../selftests/lib.sh"
st=$SG_TOP/selftests
[ -f "$st/lib.sh" ] || skip "not in a sipguard tree"

# What a minimal system (debootstrap --variant=minbase) does not have.
tools="ping nft sipp jq cc bpftool tcpdump conntrack socat kamailio objcopy python3"

# declared FILE: the tools its require_cmd lines name (basenames).
# A test that only may use a tool says so with `command -v TOOL` first.
declared() {
	awk '$1 == "require_cmd" { for (i = 2; i <= NF; i++) { n = split($i, p, "/"); print p[n] } }
	     { for (i = 1; i < NF - 1; i++) if ($i == "command" && $(i + 1) == "-v") {
		n = split($(i + 2), p, "/"); print p[n] } }' "$@"
}
# uses FILE TOOL: FILE runs TOOL as a command (outside comments and quotes
# that only print).
uses() {
	grep -vE '^\s*#|^\s*(info|pass|fail|skip|echo) ' "$1" |
		grep -qE "(^|[[:space:];&|(\`]|exec |/usr/bin/)$2([[:space:]]|\$|\))"
}

for t in "$st"/sipguard_*.sh; do
	name=$(basename "$t")
	have=$(declared "$t"; grep -q 'sg_learn_lib.sh' "$t" && declared "$st/sg_learn_lib.sh")
	missing=
	for tool in $tools; do
		uses "$t" "$tool" || continue
		grep -qx "$tool" <<< "$have" || missing="$missing $tool"
	done
	if [ -z "$missing" ]; then
		pass "$name declares what it runs"
	else
		fail "$name runs without declaring it:$missing"
	fi
done
# The library's own helpers declare theirs where they run them.
for fn in sg_gateway_topology; do
	body=$(sed -n "/^$fn() {/,/^}/p" "$st/lib.sh")
	if grep -q ' nft ' <<< "$body"; then
		check "lib.sh: $fn declares nft" grep -q 'require_cmd.*nft' <<< "$body"
	fi
done
sg_exit
