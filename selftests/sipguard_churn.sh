#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Churn under traffic (phases 1-2 here, 3-4 in sipguard_churn_config.sh).
# In the ghost-call scene (lib.sh), a scanner floods
# the phone with INVITEs (IPv4, IPv6 and the port forward) for the whole
# test, the phone answers registrar calls, and meanwhile:
#  1. the module is loaded, configured and unloaded SG_CHURN_LOADS times;
#  2. SG_CHURN_NETNS pairs of namespaces are created, guarded, sent SIP and
#     destroyed, with the module loaded;
#  3. the gateway's allowlist is replaced SG_CHURN_REPLACES times (always
#     the registrar and the LAN, never the scanner) under strict + enforce:
#     no scanner packet reaches the phone, every registrar call completes;
#  4. SG_CHURN_FLIPS changes of mode, policy, ports, TLS ports and guarded
#     interfaces that all keep the scanner out (none may reach the phone),
#     then as many through every mode and policy (the scanner may pass; the
#     registrar's calls must not fail), then back to strict + enforce;
#  5. under the open policy with bans, the scanner (a signature match) is
#     unbanned SG_CHURN_BANS times (all, or its address) and banned again
#     by its next packet: none reaches the phone, every call completes.
# Each phase checks that every packet of the registrar's calls went through
# the gateway both ways (counters ahead of and after every netfilter hook).
# The VM runner fails the run on any
# kernel splat; under the debug kernel (make check-debug) kmemleak checks
# for leaks after the suite.

source "$(dirname "$0")/lib.sh"
require_cmd sipp nft /usr/bin/python3

# The phases this run does: sipguard_churn_config.sh runs "replace flip
# ban" and this one "load netns", each test within its timeout (settings).
phases=${SG_CHURN_PHASES:-load netns}
phase() { [[ " $phases " == *" $1 "* ]]; }
loads=${SG_CHURN_LOADS:-100}
netns=${SG_CHURN_NETNS:-100}
replaces=${SG_CHURN_REPLACES:-1000}
flips=${SG_CHURN_FLIPS:-200}
bans=${SG_CHURN_BANS:-200}
# Seconds a phase may take (SG_CHURN_BUDGET=100000 for the full counts):
# under TCG on a busy machine it stops early and
# says how many iterations it did (the checks count those).
budget=${SG_CHURN_BUDGET:-60}
over() {
	local b=$budget
	# The two flip phases share one budget, the bans have half of one.
	phase replace && [ "$cur" = flip ] && b=$((budget / 2))
	phase replace && [ "$cur" = ban ] && b=$((budget / 2))
	[ $(($(date +%s) - t0)) -ge "$b" ]
}
cur=

sg_scene phone
sg_cleanup_hooks+=(flood_stop)
elapsed() { echo $(($(date +%s) - $1)); }

# The trusted side of every configuration below.
trusted="$SG_REGISTRAR4 $SG_REGISTRAR6 192.0.2.128/25 2001:db8:100::/64"
guard_gateway() {
	gw set mode enforce policy strict ports 5060 tls-ports 5061 guard all &&
	printf '%s\n' $trusted | gw allow replace -
}

flood_pid=
flood_start() {
	ip netns exec "$attacker" /usr/bin/python3 -c '
import socket, sys, time
msg = (b"INVITE sip:100@%s SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.66:5070;branch=z9hG4bK-1\r\n"
       b"From: \"100\" <sip:100@203.0.113.66>;tag=1\r\nTo: <sip:100@phone>\r\n"
       b"Call-ID: ghost\r\nCSeq: 1 INVITE\r\nUser-Agent: friendly-scanner\r\n"
       b"Content-Length: 0\r\n\r\n")
socks = {socket.AF_INET: socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
         socket.AF_INET6: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)}
targets = [(socket.AF_INET, a) for a in sys.argv[1:3]] + [(socket.AF_INET6, sys.argv[3])]
n = 0
while True:
    for fam, a in targets:
        try:
            socks[fam].sendto(msg, (a, 5060))
        except OSError:
            pass
        n += 1
    # A scanner pace (~300 packets/s), not a CPU hog: under TCG a
    # tighter loop starves the guest and every phase stalls.
    time.sleep(0.01)
' "$SG_PHONE4" "$SG_WAN4" "$SG_PHONE6" &
	flood_pid=$!
}
flood_stop() {
	[ -z "$flood_pid" ] || kill "$flood_pid" 2>/dev/null
	wait "$flood_pid" 2>/dev/null
	flood_pid=
}

# Registrar calls in the background: sg_call's status lands in a file.
# The configuration churn keeps the guest's vCPU busy: an answer may take
# longer than sg_call's default 5 s without any packet being lost (the
# counters below check that), so a call fails only after 15 s of silence.
export SG_CALL_WAIT=15
calls_pids=()
calls_start() {
	local n=$1
	nft_reset "$phone" phone
	gw_reset
	( sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 "$n" "$2.v4.log"; echo $? > "$2.v4" ) &
	calls_pids+=($!)
	( sg_call "$registrar" $SG_REGISTRAR6 $SG_PHONE6 "$n" "$2.v6.log"; echo $? > "$2.v6" ) &
	calls_pids+=($!)
}
calls_wait() { wait "${calls_pids[@]}"; calls_pids=(); }

# A call's packets both ways through the gateway: what arrived (ingress
# counters on wan0 and lan0, ahead of every netfilter hook) against what
# reached the phone, or left the gateway towards the registrar (postrouting,
# after every hook).  The guard lost a packet of a call exactly when a pair
# differs.
ip netns exec "$gw" nft -f - <<NFT || { fail "gateway counters"; sg_exit; }
table netdev gw_in {
	counter from_registrar {}
	counter from_phone {}
	chain wan0 {
		type filter hook ingress device wan0 priority 0;
		ip saddr $SG_REGISTRAR4 udp dport 5060 counter name from_registrar
		ip6 saddr $SG_REGISTRAR6 udp dport 5060 counter name from_registrar
	}
	chain lan0 {
		type filter hook ingress device lan0 priority 0;
		ip daddr $SG_REGISTRAR4 udp sport 5060 counter name from_phone
		ip6 daddr $SG_REGISTRAR6 udp sport 5060 counter name from_phone
	}
}
table inet gw_out {
	counter to_registrar {}
	counter to_phone {}
	chain postrouting {
		type filter hook postrouting priority 500;
		ip daddr $SG_REGISTRAR4 udp sport 5060 counter name to_registrar
		ip6 daddr $SG_REGISTRAR6 udp sport 5060 counter name to_registrar
		ip saddr $SG_REGISTRAR4 udp dport 5060 counter name to_phone
		ip6 saddr $SG_REGISTRAR6 udp dport 5060 counter name to_phone
	}
}
NFT
gw_reset() {
	ip netns exec "$gw" nft reset counters table netdev gw_in >/dev/null
	nft_reset "$gw" gw_out
}
gw_count() { NFT_FAMILY=$1 nft_count "$gw" "$2" "$3"; }
# Calls sipp counted as failed in LOG (the last "Failed call" total).
calls_failed() {
	awk -F'|' '/Failed call/ { gsub(/ /, "", $3); n = $3 } END { print n + 0 }' "$1" 2>/dev/null
}
# calls_check WHAT FILE: every packet of the registrar's calls got through
# the gateway both ways, and the calls completed.  The guard's part is the
# first two checks, exact.  Seen in a full-count run under TCG: once in 40,
# the phone's sipp (the UAS) never sent an answer although every packet of
# the call had reached it, and the gateway had passed every answer it was
# given.  So a call may fail at an endpoint only when the counters prove
# the gateway lost nothing, and at most $calls_endpoint_max of the 40.
# Where the configuration let the scanner's flood reach the phone (mode off
# or monitor, the module unloaded), its sipp answers the flood's INVITEs
# too and falls behind: seen in make check, 4 of 40 calls failed in the
# mode/policy flips with every packet of them passed both ways.  There the
# phone's own nft counter shows the flood, and up to half the calls may fail
# at it; the gateway's counters must still match exactly.
calls_endpoint_max=2
calls_check() {
	local f lost=0 failed flooded
	flooded=$(nft_count "$phone" phone attacker_in)
	expect_eq "$1: every registrar packet went through the gateway" \
		"$(gw_count netdev gw_in from_registrar)" "$(gw_count inet gw_out to_phone)" || lost=1
	expect_eq "$1: every answer of the phone went through the gateway" \
		"$(gw_count netdev gw_in from_phone)" "$(gw_count inet gw_out to_registrar)" || lost=1
	info "$1: $(gw_count inet gw_out to_phone) registrar packets left the gateway, $(nft_count "$phone" phone registrar_in) reached the phone, $(gw_count netdev gw_in from_phone) answers came back"
	if calls_ok "$2"; then
		pass "$1: all 40 registrar calls completed (v4 and v6)"
		return 0
	fi
	for f in "$2".v4 "$2".v6; do
		info "$f: $(tail -n 1 "$f.log" 2>/dev/null)"
		grep -E 'Successful call|Failed call|Retransmissions|Dead call' "$f.log" 2>/dev/null |
			head -n 8 | while read -r l; do info "  $l"; done
		grep -o 'receive timeout on message [^(]*' "$f.log.err" 2>/dev/null |
			head -n 4 | while read -r l; do info "  $l"; done
	done
	failed=$(($(calls_failed "$2.v4.log") + $(calls_failed "$2.v6.log")))
	if [ $lost = 0 ] && [ "$failed" -ge 1 ] && [ "$failed" -le $calls_endpoint_max ]; then
		pass "$1: $((40 - failed)) of 40 registrar calls completed; the $failed failed at an endpoint (the gateway passed every packet of the calls both ways)"
		return 0
	fi
	if [ $lost = 0 ] && [ "$failed" -ge 1 ] && [ "$failed" -le 20 ] && [ "${flooded:-0}" -gt 0 ]; then
		pass "$1: $((40 - failed)) of 40 registrar calls completed; the $failed failed at the phone, which $flooded scanner packets reached while the configuration let them (the gateway passed every packet of the calls both ways)"
		return 0
	fi
	fail "$1: $failed of 40 registrar calls failed"
	return 1
}

# Delete the namespaces $c and $s (and forget them), the scene stays.
drop_pair() {
	local keep=() n
	for n in "${sg_all_ns[@]}"; do
		[ "$n" = "$c" ] || [ "$n" = "$s" ] || keep+=("$n")
	done
	sg_all_ns=("${keep[@]}")
	ip netns del "$c"
	ip netns del "$s"
}
calls_ok() { [ "$(cat "$1.v4" 2>/dev/null)" = 0 ] && [ "$(cat "$1.v6" 2>/dev/null)" = 0 ]; }

scratch=$(mktemp -d)
sg_cleanup_hooks+=(scratch_rm)
scratch_rm() { rm -rf "$scratch"; }

flood_start
for i in $(seq 100); do
	[ "$(nft_count "$attacker" attacker sent)" -gt 10 ] && break
	sleep 0.2
done
check "the scanner floods the phone" test "$(nft_count "$attacker" attacker sent)" -gt 10

# --- 1. load, configure, unload, with the flood running ------------------
if phase load; then
t0=$(date +%s)
ok=0
for i in $(seq "$loads"); do
	over && { i=$((i - 1)); info "load/unload: time budget reached"; break; }
	sg_module_unload || { fail "unload #$i"; break; }
	sg_module_load || { fail "load #$i"; break; }
	guard_gateway >/dev/null || { fail "configure after load #$i"; break; }
	ok=$((ok + 1))
done
expect_eq "unload/load/configure cycles under the flood (target $loads)" "$i" $ok
info "load/unload: $ok cycles in $(elapsed $t0)s"
guard_gateway >/dev/null
nft_reset "$phone" phone
sleep 1
expect_eq "after the cycles: no scanner packet reaches the phone" 0 "$(nft_count "$phone" phone attacker_in)"
check "after the cycles: the guard drops the flood" test "$(sg_stat "$gw" dropped)" -gt 0
fi

# --- 2. namespaces that each configure the guard and die under traffic ---
if phase netns; then
t0=$(date +%s)
ok=0
for i in $(seq "$netns"); do
	over && { i=$((i - 1)); info "namespaces: time budget reached"; break; }
	setup_ns c s || { fail "netns #$i"; break; }
	veth_link "$c" vc "$s" vs
	ip -n "$c" addr add 192.0.2.1/24 dev vc
	ip -n "$s" addr add 192.0.2.2/24 dev vs
	ip netns exec "$s" "$SIPGUARDCTL" set mode enforce policy strict ports 5060,5080 &&
	printf '198.51.100.%d\n2001:db8:%x::/48\n' $((i % 250)) "$i" |
		ip netns exec "$s" "$SIPGUARDCTL" allow replace - &&
	ip netns exec "$s" "$SIPGUARDCTL" allow add 192.0.2.1 port 5070 &&
	udp_send "$c" 192.0.2.2 5060 &&
	udp_send "$c" 192.0.2.2 5080 &&
	[ "$(sg_stat "$s" drop_untrusted)" = 2 ] && ok=$((ok + 1))
	# Packets still in flight while the namespaces go.
	ip netns exec "$c" bash -c 'for p in 1 2 3 4 5 6 7 8; do echo x > /dev/udp/192.0.2.2/5060; done' \
		2>/dev/null &
	drop_pair
	wait $!
done
info "namespaces: $ok of $netns in $(elapsed $t0)s"
expect_eq "namespace pairs guarded (2 drops each) and destroyed (target $netns)" "$i" $ok
fi

# --- 3. 1,000 allowlist replaces under strict + enforce ------------------
if phase replace; then
guard_gateway >/dev/null
nft_reset "$phone" phone
calls_start 20 "$scratch/replace"
t0=$(date +%s)
ok=0
for i in $(seq "$replaces"); do
	over && { i=$((i - 1)); info "replaces: time budget reached"; break; }
	{
		printf '%s\n' $trusted
		# A varying tail of prefixes that never covers the scanner.
		for j in $(seq $((i % 40))); do
			printf '10.%d.%d.0/24\n' $((i % 200)) "$j"
		done
		[ $((i % 3)) = 0 ] && printf '2001:db8:%x:%x::/64 port 5060\n' $((i % 4096)) $((i % 7))
	} | gw allow replace - >/dev/null && ok=$((ok + 1))
done
info "allowlist replaces: $ok of $replaces in $(elapsed $t0)s"
calls_wait
expect_eq "allowlist replaces accepted (target $replaces)" "$i" $ok
expect_eq "replaces: no scanner packet reached the phone" 0 "$(nft_count "$phone" phone attacker_in)"
calls_check replaces "$scratch/replace"
expect_eq "replaces: the allowlist is the last one written" \
	"$((4 + i % 40 + (i % 3 == 0)))" "$(gw allow list | grep -c .)"
fi

# --- 4. mode and policy flips -------------------------------------------
if phase flip; then
cur=flip
# a) configurations that all keep the scanner out of the phone.
guard_gateway >/dev/null
blocking=(
	"set mode enforce policy strict"
	"set ports 5060,5080-5090"
	"set tls-ports 5061,5161"
	"set guard wan0"
	"set guard wan0,lan0"
	"set ports 5060"
	"set tls-ports 5061"
	"set guard all"
)
nft_reset "$phone" phone
calls_start 20 "$scratch/flip"
t0=$(date +%s)
ok=0
for i in $(seq "$flips"); do
	over && { i=$((i - 1)); info "blocking flips: time budget reached"; break; }
	gw ${blocking[$((i % ${#blocking[@]}))]} >/dev/null && ok=$((ok + 1))
done
info "blocking flips: $ok of $flips in $(elapsed $t0)s"
calls_wait
expect_eq "blocking configuration changes accepted (target $flips)" "$i" $ok
expect_eq "blocking flips: no scanner packet reached the phone" 0 "$(nft_count "$phone" phone attacker_in)"
calls_check "blocking flips" "$scratch/flip"

# b) every mode and policy: the scanner may pass, the registrar must.
calls_start 20 "$scratch/any"
t0=$(date +%s)
ok=0
modes=(off monitor enforce)
policies=(strict open)
for i in $(seq "$flips"); do
	over && { i=$((i - 1)); info "mode/policy flips: time budget reached"; break; }
	gw set mode "${modes[$((i % 3))]}" policy "${policies[$((i / 3 % 2))]}" >/dev/null &&
		ok=$((ok + 1))
done
info "mode/policy flips: $ok of $flips in $(elapsed $t0)s"
calls_wait
expect_eq "mode/policy changes accepted (target $flips)" "$i" $ok
calls_check "mode/policy flips" "$scratch/any"

# c) back to strict + enforce: the door shuts at once.
guard_gateway >/dev/null
sleep 0.2
nft_reset "$phone" phone
sleep 1
expect_eq "strict + enforce again: no scanner packet reaches the phone" 0 \
	"$(nft_count "$phone" phone attacker_in)"
fi

# --- 5. ban and unban under the open policy ------------------------------
if phase ban; then
cur=ban
# The scanner's user-agent matches a default signature: every packet of
# it is dropped and bans it; each unban is followed by a new ban.
guard_gateway >/dev/null
gw set policy open rate 20 burst 10 ban 600 >/dev/null || fail "set open policy with bans"
sleep 1
bans0=$(sg_stat "$gw" bans)
calls_start 20 "$scratch/ban"
t0=$(date +%s)
ok=0 one=0
for i in $(seq "$bans"); do
	over && { i=$((i - 1)); info "ban/unban: time budget reached"; break; }
	if [ $((i % 2)) = 0 ]; then
		gw unban all >/dev/null && ok=$((ok + 1))
	else
		# A single address may be unbanned already (its ban not yet
		# renewed): that is an error, and counted apart.
		gw unban "$SG_ATTACKER4" >/dev/null 2>&1 && one=$((one + 1))
		ok=$((ok + 1))
	fi
done
info "ban/unban: $ok of $bans in $(elapsed $t0)s ($one single unbans found the scanner banned)"
calls_wait
expect_eq "unbans accepted (target $bans)" "$i" $ok
expect_eq "ban/unban: no scanner packet reached the phone" 0 "$(nft_count "$phone" phone attacker_in)"
calls_check "ban/unban" "$scratch/ban"
sleep 1
check "ban/unban: the scanner was banned again after the unbans ($(($(sg_stat "$gw" bans) - bans0)) bans)" \
	test $(($(sg_stat "$gw" bans) - bans0)) -gt $((i / 4))
check "ban/unban: the scanner is banned at the end" \
	eval "gw sources banned | grep -qE '^$SG_ATTACKER4(/32)? '"
guard_gateway >/dev/null
fi

flood_stop
info "the scanner sent $(nft_count "$attacker" attacker sent) packets during the test"
sg_exit
