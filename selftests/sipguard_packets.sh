#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile packets to the guarded ports, under the strict and the open
# policy (enforce): truncated, bogus-length, zero-length and maximum-size
# UDP and TCP, random bytes as payloads and as transport headers, the RFC
# 4475/5118 torture messages, every prefix of a valid INVITE
# (sg_hostile_pkts.py, scapy at layer 2).  Each packet whose destination
# port can be read and is guarded gets exactly one counted verdict, as
# uapi/linux/sipguard.h defines the counters; nothing crashes (the VM
# runner fails the run on any splat).
#
#   src 203.0.113.66, 2001:db8:66::66  --s0 (MTU 65535) d0--  dst (sipguard)
#                                                             203.0.113.1, 2001:db8:66::1

source "$(dirname "$0")/lib.sh"
require_cmd /usr/bin/python3
py=/usr/bin/python3
$py -c 'import scapy' 2>/dev/null || skip "python3-scapy not installed"
corpus=${SG_CORPUS:-$(cd "$(dirname "$0")" && pwd)/corpus}
[ -d "$corpus/rfc4475" ] || skip "no SIP torture corpus at $corpus"

sg_module_load || { fail "module load"; sg_exit; }
setup_ns src dst
veth_link "$src" s0 "$dst" d0
ip -n "$src" link set s0 mtu 65535
ip -n "$dst" link set d0 mtu 65535
ip -n "$src" addr add 203.0.113.66/24 dev s0
ip -n "$src" addr add 2001:db8:66::66/64 dev s0 nodad
ip -n "$dst" addr add 203.0.113.1/24 dev d0
ip -n "$dst" addr add 2001:db8:66::1/64 dev d0 nodad
dst_mac=$(ip -n "$dst" -br link show d0 | awk '{ print $3 }')
gw() { ip netns exec "$dst" "$SIPGUARDCTL" "$@"; }

# stats_sum KEY...: the sum of these counters of dst.
stats_json() { gw -j stats; }
stats_sum() {
	$py -c '
import json, sys
d = json.load(sys.stdin)
c = d.get("counters", d)
print(sum(int(c.get(k, 0)) for k in sys.argv[1:]))' "$@"
}
decisions="unguarded_iface pass_trusted pass_open drop_untrusted drop_tls drop_malformed
	keepalive tcp_continuation bad_l4 drop_banned drop_rate drop_budget drop_signature drop_invite"

for policy in strict open; do
	gw set mode enforce policy "$policy" ports 5060 tls-ports 5061 >/dev/null ||
		{ fail "$policy: configure"; continue; }
	# Open: no rate, ban or budget in the way, so the parser sees each one.
	[ "$policy" = open ] && { gw set rate 1000000 burst 1000000 ban 0 budget 0 >/dev/null ||
		fail "open: lift the limits"; }
	gw stats reset >/dev/null
	t0=$(date +%s)
	out=$(ip netns exec "$src" env SG_PEER_MAC="$dst_mac" $py "$(dirname "$0")/sg_hostile_pkts.py" \
		s0 203.0.113.66 203.0.113.1 2001:db8:66::66 2001:db8:66::1 "$corpus" 4475 2>&1)
	rc=$?
	expect_eq "$policy: the packet generator ran" 0 $rc
	[ $rc = 0 ] || { echo "$out" | sed 's/^/# /' | tail -n 20; continue; }
	read -r _ sent hooked <<< "$(grep '^total ' <<< "$out")"
	info "$policy: $sent packets in $(($(date +%s) - t0))s, $hooked to a readable guarded port:"
	echo "$out" | grep -v '^total ' | column -t | sed 's/^/#   /'
	sleep 1
	j=$(stats_json)
	l3=$(stats_sum sip_ipv4 sip_ipv6 <<< "$j")
	l4=$(stats_sum sip_udp sip_tcp <<< "$j")
	dec=$(stats_sum $decisions <<< "$j")
	verdicts=$(stats_sum dropped would_drop <<< "$j")
	drops=$(stats_sum drop_untrusted drop_tls drop_malformed bad_l4 drop_banned drop_rate \
		drop_budget drop_signature drop_invite <<< "$j")
	expect_eq "$policy: one sip_ipv4/sip_ipv6 count per packet to a guarded port" "$hooked" "$l3"
	expect_eq "$policy: one decision per packet to a guarded port" "$hooked" "$dec"
	expect_eq "$policy: one sip_udp/sip_tcp count per packet to a guarded port (uapi)" "$hooked" "$l4"
	expect_eq "$policy: every drop decision counted as dropped (enforce)" "$drops" "$verdicts"
	[ "$policy" = strict ] &&
		expect_eq "strict: nothing untrusted passed" 0 "$(stats_sum pass_open pass_trusted keepalive tcp_continuation <<< "$j")"
	[ "$policy" = open ] &&
		check "open: the parser judged them (malformed ones dropped, none unparsed)" \
			test "$(stats_sum drop_malformed <<< "$j")" -gt 0 -a "$(stats_sum drop_untrusted <<< "$j")" = 0
	[ $sg_ret = 0 ] || { info "$policy: counters:"; gw stats | sed 's/^/#   /'; }
done

check "the guard still answers" eval 'gw show >/dev/null'
sg_exit
