#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The open policy: per-source token buckets, bans, the global budget, the
# bounded source table and scanner signatures.  The ghost-call scene of
# lib.sh plus a flooder wired straight into the gateway:
#
#   attacker 203.0.113.66     registrar 198.51.100.10 (trusted)
#          \                   /
#           +---- inet -------+
#                  |
#                wan0   gateway (sipguard, open policy)   wan1 100.64.0.1
#                lan0                                       |
#                  |                                 flood 100.64.0.2, sends
#                phone 192.0.2.130                   from spoofed 198.18.0.0/15
#                                                    and 198.19.0.0/16
#
#  - one source at 10x its rate: passed == burst + rate x t (within 5% + 2),
#    then with ban > 0 it is banned, the ban ends on time, unban works;
#  - 120,000 spoofed sources (one packet each, the table at 4096): the table never holds more than table-max,
#    slab memory stays bounded, the budget holds, registrar calls complete;
#  - every default signature drops and bans; a trusted source with a
#    scanner's User-Agent passes; refusing out-of-dialog INVITEs;
#  - monitor mode counts the same decisions and drops nothing.

source "$(dirname "$0")/lib.sh"
require_cmd sipp nft cc python3

here=$(cd "$(dirname "$0")" && pwd)
flood_bin=$here/sg_flood
if [ ! -x "$flood_bin" ] || [ "$here/sg_flood.c" -nt "$flood_bin" ]; then
	tmpd=$(mktemp -d)
	flood_bin=$tmpd/sg_flood
	cc -O2 -o "$flood_bin" "$here/sg_flood.c" || { fail "building sg_flood"; sg_exit; }
fi

sg_module_load || { fail "module load"; sg_exit; }
sg_gateway_topology || { fail "topology"; sg_exit; }
setup_ns flood
veth_link "$flood" f0 "$gw" wan1
ip -n "$gw" addr add 100.64.0.1/30 dev wan1
ip -n "$flood" addr add 100.64.0.2/30 dev f0
ip -n "$flood" route add default via 100.64.0.1
ip netns exec "$flood" ping -qc1 -W2 100.64.0.1 >/dev/null
ip netns exec "$phone" nft -f - <<NFT
table inet phone {
	counter probe_in {}
	chain input {
		ip saddr 198.19.0.0/16 udp dport 5060 counter name probe_in
	}
}
NFT
# The flood goes to the gateway itself (100.64.0.1:5060, no listener): what
# sipguard passes is counted here and dies without a conntrack entry, so
# slab growth is sipguard's own.
ip netns exec "$gw" nft -f - <<NFT
table inet flood {
	counter flood_in {}
	chain raw {
		type filter hook prerouting priority raw;
		ip saddr 198.18.0.0/15 notrack
	}
	chain input {
		type filter hook input priority 0;
		ip saddr 198.18.0.0/15 udp dport 5060 counter name flood_in
	}
}
NFT
sg_cleanup_hooks+=(sg_phone_stop)
sg_phone_start

gw() { ip netns exec "$gw" "$SIPGUARDCTL" "$@"; }
stat() { sg_stat "$gw" "$1"; }
# send SRC COUNT [PPS [UA]]: OPTIONS from SRC (spoofed, from the flooder).
send() {
	local a=(-d $SG_PHONE4 -s "$1" -c "$2")
	[ -z "${3:-}" ] || a+=(-r "$3")
	[ $# -lt 4 ] || a+=(-u "$4")
	ip netns exec "$flood" "$flood_bin" "${a[@]}"
}
probe_in() { nft_count "$phone" phone probe_in; }
# src_field ADDR KEY: a column of ADDR's line in `sources` ("none" if absent).
src_field() {
	gw sources | awk -v a="$1" -v k="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ split($1, p, "/") } p[1] == a { print $col[k]; found = 1 }
		END { if (!found) print "none" }'
}
nbanned() { gw sources banned | awk 'NR > 1' | wc -l; }
within() {	# within WHAT EXPECTED ACTUAL TOLERANCE
	local d=$(( $3 > $2 ? $3 - $2 : $2 - $3 ))
	if [ $d -le "$4" ]; then pass "$1: $3 (expected $2 +- $4)"; else fail "$1: $3, expected $2 +- $4"; fi
}
reset_all() {
	gw stats reset >/dev/null
	nft_reset "$phone" phone
}

gw allow add $SG_REGISTRAR4
gw allow add $SG_REGISTRAR6
gw set mode enforce policy open rate 20 burst 10 ban 0 budget 0 table-max 4096 ||
	fail "set open policy"
check "show reports the open policy" bash -c "ip netns exec $gw $SIPGUARDCTL show | grep -q 'rate: 20'"
check_fails "rate 0 refused" gw set rate 0
check_fails "prefix4 33 refused" gw set prefix4 33
check_fails "table-max above the maximum refused" gw set table-max 99999999

# --- one source at 10x its rate ------------------------------------------------
reset_all
out=$(send 198.19.0.1 1000 200)
info "$out"
secs=$(awk '{ print $8 }' <<< "$out")
expected=$(python3 -c "print(round(10 + 20 * $secs))")
tol=$(( expected / 20 + 2 ))
within "10x rate: passed = burst + rate x t ($secs s)" "$expected" "$(probe_in)" $tol
expect_eq "10x rate: pass_open counts the same" "$(probe_in)" "$(stat pass_open)"
expect_eq "10x rate: drop_rate counts the rest" "$((1000 - $(probe_in)))" "$(stat drop_rate)"
expect_eq "ban 0: nobody was banned" 0 "$(stat bans)"
expect_eq "sources lists the packets" 1000 "$(src_field 198.19.0.1 packets)"

# --- bans --------------------------------------------------------------------------
gw set ban 10
reset_all
t_ban=$(date +%s%N)
send 198.19.0.2 100 200 >/dev/null
left=$(src_field 198.19.0.2 ban_left_ms)
t_read=$(date +%s%N)
# Banned at most 0.1 s into the burst (the 11th or 12th packet).
check "sources shows ~10 s of ban left ($left ms, read $(( (t_read - t_ban) / 1000000 )) ms after the start)" \
	test "$left" -le 10000 -a "$left" -ge $(( 10000 - (t_read - t_ban) / 1000000 ))
check "over its rate: banned after burst + a few ($(probe_in) passed)" test "$(probe_in)" -le 12
expect_eq "one ban" 1 "$(stat bans)"
check "the rest dropped as banned, before parsing ($(stat drop_banned))" test "$(stat drop_banned)" -ge 80
expect_eq "sources banned lists only banned ones" 1 "$(nbanned)"
sleep_until() { python3 -c "import time; time.sleep(max(0, $1 / 1e9 - time.time()))"; }
sleep_until $(( t_ban + 9000000000 ))
reset_all
send 198.19.0.2 1 >/dev/null
expect_eq "9 s into a 10 s ban: still dropped" 0 "$(probe_in)"
sleep_until $(( t_ban + 10600000000 ))
send 198.19.0.2 1 >/dev/null
expect_eq "10.6 s after: passes again (the ban expired on time)" 1 "$(probe_in)"

gw set ban 600
send 198.19.0.3 100 200 >/dev/null
check "ban 600: banned" test "$(src_field 198.19.0.3 ban_left_ms)" -gt 590000
reset_all
check "unban 198.19.0.3" gw unban 198.19.0.3
send 198.19.0.3 1 >/dev/null
expect_eq "after unban: passes at once" 1 "$(probe_in)"
check_fails "unban of a source not banned fails" gw unban 198.19.0.3
send 198.19.0.4 100 200 >/dev/null
send 198.19.0.5 100 200 >/dev/null
check "unban all" gw unban all
expect_eq "unban all: none banned any more" 0 "$(nbanned)"

# --- scanner signatures --------------------------------------------------------------
gw unban all
reset_all
siglist=$(gw signature list | sed -n 's/^ *[0-9]*  "\(.*\)"$/\1/p')
mapfile -t sigs <<< "$siglist"
info "${#sigs[@]} default signatures"
check "at least the 12 the issue names" test ${#sigs[@]} -ge 12
i=10
for s in "${sigs[@]}"; do
	# Embedded, case changed: "Foo <SIG in upper case>/1.0".
	send 198.19.1.$i 1 "" "Foo ${s^^}/1.0" >/dev/null
	i=$((i + 1))
done
expect_eq "every default signature dropped its message" ${#sigs[@]} "$(stat drop_signature)"
expect_eq "... none reached the phone" 0 "$(probe_in)"
expect_eq "... and every one banned its source" ${#sigs[@]} "$(stat bans)"
expect_eq "each signature counted one hit" "${#sigs[@]}" "$(gw signature list | awk '$1 == 1' | wc -l)"
send 198.19.1.10 1 >/dev/null
expect_eq "a banned scanner's clean message is dropped too" 1 "$(stat drop_banned)"
send 198.19.1.200 1 "" "" >/dev/null
expect_eq "no User-Agent (svmap -c): not a signature, passes" 1 "$(probe_in)"
printf 'OPTIONS sip:100@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-t1\r\nFrom: <sip:p@%s>;tag=1\r\nTo: <sip:100@%s>\r\nCall-ID: trusted-ua\r\nCSeq: 1 OPTIONS\r\nUser-Agent: friendly-scanner\r\nContent-Length: 0\r\n\r\n' \
	$SG_PHONE4 $SG_REGISTRAR4 $SG_REGISTRAR4 $SG_PHONE4 | udp_send_msg "$registrar" $SG_PHONE4 5060 5099
expect_eq "trusted source with a scanner's User-Agent passes" 1 "$(nft_count "$phone" phone registrar_in)"
expect_eq "... without a signature hit" ${#sigs[@]} "$(stat drop_signature)"
check "signature add" gw signature add "evil-dialer"
check_fails "signature add of a duplicate (any case) fails" gw signature add "EVIL-DIALER"
send 198.19.1.201 1 "" "EVIL-Dialer 2.0" >/dev/null
expect_eq "an added signature drops" $(( ${#sigs[@]} + 1 )) "$(stat drop_signature)"
check "signature del" gw signature del "evil-dialer"
send 198.19.1.202 1 "" "EVIL-Dialer 2.0" >/dev/null
expect_eq "after del it passes" 2 "$(probe_in)"

# --- out-of-dialog INVITEs ------------------------------------------------------------
invite() {	# invite TO-TAG
	printf 'INVITE sip:100@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-%s\r\nFrom: <sip:x@%s>;tag=9\r\nTo: <sip:100@%s>%s\r\nCall-ID: inv-%s\r\nCSeq: 1 INVITE\r\nContact: <sip:x@%s>\r\nContent-Length: 0\r\n\r\n' \
		$SG_PHONE4 $SG_ATTACKER4 $RANDOM $SG_ATTACKER4 $SG_PHONE4 "$1" $RANDOM $SG_ATTACKER4 |
		udp_send_msg "$attacker" $SG_PHONE4 5060 5062
}
gw set untrusted-invite refuse
reset_all
invite ""
invite ";tag=abc"
expect_eq "refuse: an out-of-dialog INVITE is dropped" 1 "$(stat drop_invite)"
expect_eq "refuse: an in-dialog INVITE (To tag) passes" 1 "$(nft_count "$phone" phone attacker_in)"
gw set untrusted-invite accept
invite ""
expect_eq "accept: it passes" 2 "$(nft_count "$phone" phone attacker_in)"

# --- a flood from 120,000 spoofed sources ---------------------------------------------
# A budget high enough that new sources fill the 4096-entry table within
# seconds, so the flood runs against a full table and eviction.
gw set rate 20 burst 10 ban 60 budget 2000 table-max 4096
gw unban all
reset_all
nft_reset "$gw" flood
nsrc=120000
slab0=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
entry=$(gw show | awk '$1 == "source_bytes:" { print $2 }')
nsources() { gw show | awk '$1 == "sources:" { print $2 }'; }
sampler() {
	local max=0 n
	while [ -e "$1" ]; do
		n=$(nsources)
		[ "$n" -gt "$max" ] && max=$n
		echo "$max" > "$1.max"
		sleep 0.5
	done
}
flag=$(mktemp -p "$SG_TOP/build" 2>/dev/null || mktemp)
sampler "$flag" &
info "[$SECONDS s] flood starts"
sampler_pid=$!
( ip netns exec "$registrar" timeout 90 sipp -sn uac -i $SG_REGISTRAR4 -m 10 -r 10 -nostdin \
	-timeout 80s -timeout_error -trace_screen -screen_file "$flag.sipp" $SG_PHONE4:5060 \
	>/dev/null 2>&1 && echo ok > "$flag.calls" ) &
calls_pid=$!
flood() { ip netns exec "$flood" "$flood_bin" -d 100.64.0.1 -s 198.18.0.0 -n $nsrc -c $nsrc; }
t0=$(date +%s.%N)
out=$(flood 2>&1)
info "flood: $out"
sent=$(awk '{ print $2 }' <<< "$out")
t1=$(date +%s.%N)
wait $calls_pid
rm -f "$flag"
wait $sampler_pid
slab1=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
dur=$(python3 -c "print(round($t1 - $t0, 2))")
maxn=$(cat "$flag.max")
final=$(nsources)
passed=$(nft_count "$gw" flood flood_in)
seen=$(( $(stat sip_udp) - $(stat pass_trusted) ))
info "flood: $sent packets sent, $seen reached the hook, from $nsrc sources in $dur s; passed $passed"
info "table: at most $maxn entries seen, $final now; evicted $(stat src_evicted), not remembered $(stat src_noroom)"
info "drops: budget $(stat drop_budget), rate $(stat drop_rate), banned $(stat drop_banned)"
info "slab: $slab0 kB before, $slab1 kB after ($(( slab1 - slab0 )) kB); one entry costs $entry bytes, 4096 of them $(( 4096 * entry / 1024 )) kB"
check "the table never held more than table-max ($maxn <= 4096)" test "$maxn" -le 4096
check "... nor does it now ($final)" test "$final" -le 4096
check "the table filled ($maxn) and evicted ($(stat src_evicted) evictions)" test "$(stat src_evicted)" -gt 0
budget_max=$(python3 -c "print(int(2000 * $dur + 2000 + 200))")
check "the budget held: $passed passed <= 2000/s x $dur s + 2000 burst (+200)" test "$passed" -le "$budget_max"
check "... and let some through ($passed)" test "$passed" -gt 0
expect_eq "every packet that reached the hook passed or was dropped for budget/rate/ban" "$seen" \
	"$(( $(stat pass_open) + $(stat drop_budget) + $(stat drop_rate) + $(stat drop_banned) ))"
# Without the bound the table would hold 120,000 entries: > 10 MiB.
check "slab grew less than 4 MiB ($(( slab1 - slab0 )) kB)" test $(( slab1 - slab0 )) -lt 4096
check "all 10 registrar calls completed during the flood" test -e "$flag.calls"
[ -e "$flag.calls" ] || grep -E 'Successful call|Failed call|Call-rate|Outgoing call' "$flag.sipp" | sed 's/^/# sipp: /'
rm -f "$flag.calls" "$flag.max" "$flag.sipp"
expect_eq "the registrar was never in the table" none "$(src_field $SG_REGISTRAR4 packets)"

info "[$SECONDS s] monitor"
# --- monitor: count, drop nothing --------------------------------------------------------
gw set mode monitor ban 60 budget 0
gw unban all
reset_all
send 198.19.2.1 200 200 >/dev/null
send 198.19.2.2 1 "" "friendly-scanner" >/dev/null
expect_eq "monitor: everything reached the phone" 201 "$(probe_in)"
expect_eq "monitor: dropped stays 0" 0 "$(stat dropped)"
check "monitor: the source was banned all the same" test "$(stat bans)" -ge 2
expect_eq "monitor: would_drop = rate + banned + signature drops" \
	"$(( $(stat drop_rate) + $(stat drop_banned) + $(stat drop_signature) ))" "$(stat would_drop)"
expect_eq "monitor: the scanner's signature counted" 1 "$(stat drop_signature)"
within "monitor: what would pass is burst + a few" 11 "$(stat pass_open)" 3

sg_exit
