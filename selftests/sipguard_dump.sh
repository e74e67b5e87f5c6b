#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The source table dump while the table changes under it.  A dump resumes
# "at the n-th entry of bucket b"; a flood of new sources into a full table
# inserts at bucket heads and evicts, which moves that cursor.  Every dump
# must either list each entry once or say it was interrupted
# (NLM_F_DUMP_INTR, which sipguardctl answers by reading again); a dump of a
# table at rest lists every entry once, uninterrupted.
#
#   a 2001:db8:1::2 -- wan0 2001:db8:1::1 gw (sipguard, open policy)

source "$(dirname "$0")/lib.sh"

require_cmd /usr/bin/python3 cc
here=$(cd "$(dirname "$0")" && pwd)
setup_ns gw a || exit $KSFT_FAIL
veth_link "$gw" wan0 "$a" eth0 &&
	ip -n "$gw" addr add 2001:db8:1::1/64 dev wan0 nodad &&
	ip -n "$a" addr add 2001:db8:1::2/64 dev eth0 nodad || exit $KSFT_FAIL
sg_module_load || exit $KSFT_FAIL
sg_flood_build || { fail "build sg_flood"; sg_exit; }
g() { ip netns exec "$gw" "$SIPGUARDCTL" "$@"; }
dump() { ip netns exec "$gw" /usr/bin/python3 "$here/sg_src_dump.py" "$@"; }

check "open policy, a table of 4096 sources" \
	g set guard all mode enforce policy open rate 20 burst 10 ban 0 budget 0 table-max 4096
# 60000 sources, each a /64 of its own, 2000 a second: the table is full
# within seconds, and from then on every packet evicts one entry for
# another somewhere in the table.
ip netns exec "$a" "$flood_bin" -d 2001:db8:1::1 -n 60000 -r 2000 -c 60000 >/dev/null &
flood=$!
sg_cleanup_hooks+=(flood_stop)
flood_stop() { sg_stop $flood; }
for _ in $(seq 100); do
	n=$(g -j show | grep -o "\"sources\":[0-9]*" | cut -d: -f2)
	[ "${n:-0}" -ge 4000 ] && break
	sleep 0.2
done
info "sources before the dumps: ${n:-?}"
silent=0 intr=0
for i in 1 2 3; do
	out=$(dump 0.05)
	info "dump $i under the flood: $out"
	set -- $out
	[ "$4" = 0 ] || [ "$6" = 1 ] || silent=$((silent + 1))
	[ "$6" = 0 ] || intr=$((intr + 1))
done
expect_eq "no dump under the flood repeated an entry without NLM_F_DUMP_INTR" 0 "$silent"
info "$intr of 3 dumps said they were interrupted"
flood_stop
sleep 0.5
out=$(dump 0.01)
set -- $out
info "at rest: $out"
check "at rest: a whole table, each entry once, not interrupted" \
	[ "$2" -ge 4000 ] && [ "$4" = 0 ] && [ "$6" = 0 ]
sg_exit
