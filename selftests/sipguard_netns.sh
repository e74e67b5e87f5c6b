#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every network namespace has its own counters: traffic in one never shows
# in another, and a reset in one leaves the other alone.
#
#   ns a (192.0.2.1) ---veth--- ns b (192.0.2.2)

source "$(dirname "$0")/lib.sh"
require_cmd python3

sg_module_load || { fail "module load"; sg_exit; }
setup_ns a b
veth_link "$a" va "$b" vb
ip -n "$a" addr add 192.0.2.1/24 dev va
ip -n "$b" addr add 192.0.2.2/24 dev vb

for i in 1 2 3; do udp_send "$a" 192.0.2.2 5060; done
udp_send "$b" 192.0.2.1 5060

expect_eq "b counted the 3 datagrams a sent it" 3 "$(sg_stat "$b" sip_udp)"
expect_eq "a counted only the 1 datagram b sent" 1 "$(sg_stat "$a" sip_udp)"
expect_eq "the initial namespace saw none of it" 0 "$(sg_stat "" sip_udp)"

out=$(ip netns exec "$b" "$SIPGUARDCTL" stats reset | awk '$1 == "sip_udp:" { print $2 }')
expect_eq "stats reset returns the counts it clears" 3 "$out"
expect_eq "b reads zero after its reset" 0 "$(sg_stat "$b" sip_udp)"
expect_eq "a is untouched by b's reset" 1 "$(sg_stat "$a" sip_udp)"

json=$(ip netns exec "$a" "$SIPGUARDCTL" -j show)
check "show -j is JSON with the version and counters" \
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["family_version"] == 1 and d["counters"]["sip_udp"] == 1 and d["version"]' "$json"

sg_exit
