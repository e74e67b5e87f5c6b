#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The open policy's collector: an unbanned source idle for 30 s with a full
# bucket is forgotten; a banned one, and one that keeps sending, are kept.
# (The collector skips without a lock what cannot have expired; this says
# it still collects what has.)  Documentation addresses only:
#
#   sender 203.0.113.1 --- g0 gateway (sipguard, open policy)
#   spoofed sources 203.0.113.10 (idle), .11 (scanner, banned), .12 (busy)

source "$(dirname "$0")/lib.sh"
require_cmd cc nft

sg_flood_build || { fail "building sg_flood"; sg_exit; }

sg_module_load || { fail "module load"; sg_exit; }
setup_ns snd gw
veth_link "$snd" s0 "$gw" g0
ip -n "$snd" addr add 203.0.113.1/24 dev s0
ip -n "$gw" addr add 203.0.113.254/24 dev g0
ip netns exec "$gw" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.g0.rp_filter=0
ip netns exec "$gw" nft -f - <<NFT
table inet sink {
	chain pre { type filter hook prerouting priority raw; iifname "g0" notrack; }
	chain input { type filter hook input priority 0; udp dport 5060 drop; }
}
NFT
gw set mode enforce policy open rate 10 burst 40 ban 600 budget 0 ||
	{ fail "open policy"; sg_exit; }

# send SRC UA: one OPTIONS from SRC to the gateway.
send() {
	ip netns exec "$snd" "$flood_bin" -d 203.0.113.254 -s "$1" -n 1 -c 1 -u "$2" >/dev/null
}
has() { gw sources | grep -q "^$1[/ ]"; }

send 203.0.113.10 Linphone
send 203.0.113.11 friendly-scanner
send 203.0.113.12 Linphone
for a in 203.0.113.10 203.0.113.11 203.0.113.12; do
	has $a && pass "$a in the table" || fail "$a in the table"
done
gw sources banned | grep -q '^203.0.113.11/' && pass "the scanner is banned" ||
	fail "the scanner is banned"

# 36 s: the idle time (30 s) and the collector's period (1 s), with room for
# a busy VM.  .12 sends every 3 s meanwhile.
for i in $(seq 12); do
	sleep 3
	send 203.0.113.12 Linphone
done
has 203.0.113.10 && fail "the idle source was collected" || pass "the idle source was collected"
has 203.0.113.11 && pass "the banned source was kept" || fail "the banned source was kept"
has 203.0.113.12 && pass "the busy source was kept" || fail "the busy source was kept"
expect_eq "sources in the table" 2 "$(gw show | awk '$1 == "sources:" { print $2 }')"
sg_exit
