#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Failure bans: a source the PBX keeps turning away (404 for unknown
# extensions, 403 or a repeated 401 for bad passwords) is banned from the
# PBX's own answers; manual bans; repeat bans that grow.  The ghost-call
# scene of lib.sh, with the phone replaced by a PBX (sg_pbx.py):
#
#   attacker 203.0.113.66          "remote extension" 198.51.100.10
#   2001:db8:66::66                2001:db8:10::10 (untrusted: sipp calls,
#          \                       / a phone registering with digest auth)
#           +------- inet --------+
#                        |
#                      wan0  gateway (sipguard, policy open, guard wan0)
#                      lan0    local topology: the PBX runs here, on
#                        |     192.0.2.1 and 2001:db8:1::1 (LOCAL_OUT)
#                        |
#                      PBX 192.0.2.130, 2001:db8:100::130 (gateway
#                          topology: answers forwarded, seen on lan0)
#
# Under `policy open` with a rate limit far above what the scanners send
# and the default `failures 4` / `failure-window 60`, for IPv4 and IPv6 in
# both topologies:
#  - svwar -m INVITE is banned within its first 10 INVITEs and svcrack
#    within its first 10 REGISTERs, counted at the PBX, by DROP_FAILURES
#    (the "friendly-scanner" signature is deleted: a scanner that changed
#    its User-Agent), with a ban event naming the reason;
#  - sipp calls from the remote extension complete;
#  - a phone registering with digest auth (401, then 200), mistyping its
#    password once and dialling a wrong extension twice is never banned:
#    its 3 failures are counted, its first challenges are not;
#  - 404s the PBX host sends that answer no request of the destination
#    count nothing (FAILURES_UNMATCHED), even to a source with an entry.
# Then (gateway topology): `ban ADDR [SECONDS]`, and bans that double up
# to ban-max for a repeat offender, manual and from failures.

source "$(dirname "$0")/lib.sh"
require_cmd sipp svwar svcrack nft /usr/bin/python3

here=$(cd "$(dirname "$0")" && pwd)
PBX="/usr/bin/python3 $here/sg_pbx.py"
LOG=$(mktemp)
MON=$(mktemp)
pbx_pid=
mon_pid=
sg_cleanup_hooks+=(stop_all)
stop_all() {
	[ -z "$pbx_pid" ] || kill "$pbx_pid" 2>/dev/null
	[ -z "$mon_pid" ] || kill "$mon_pid" 2>/dev/null
	rm -f "$LOG" "$MON"
}

sg_scene
ip netns exec "$phone" nft delete table inet phone

gw set mode enforce policy open rate 1000 burst 1000 budget 0 guard wan0 >/dev/null ||
	{ fail "configure the open policy"; sg_exit; }
check "the failure keys are set and shown" \
	bash -c "ip netns exec $gw $SIPGUARDCTL set failures 4 failure-window 60 &&
		 ip netns exec $gw $SIPGUARDCTL show | grep -q 'failures: 4' &&
		 ip netns exec $gw $SIPGUARDCTL show | grep -q 'failure_window: 60'"
gw signature del friendly-scanner >/dev/null
info "one source entry costs $(gw show | awk '$1 == "source_bytes:" { print $2 }') bytes"

# pbx_start NS ADDR...: the PBX, answering on ADDR:5060 (replaces the last).
pbx_start() {
	local ns=$1
	shift
	[ -z "$pbx_pid" ] || sg_stop "$pbx_pid"
	ip netns exec "$ns" $PBX serve "$LOG" "$@" &
	pbx_pid=$!
	sleep 1
}

# received SRC METHOD: requests from SRC the PBX has logged since the last reset.
received() { awk -v s="$1" -v m="$2" '$1 == s && $2 == m' "$LOG" | wc -l; }

# src_field SRC COLUMN: a column of SRC's row in `sources` (key = masked source).
src_field() {
	gw sources | awk -v s="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == s { print $col[c]; found = 1 } END { if (!found) print "none" }'
}

# The key `sources` shows for an address: /32 for IPv4, /64 for IPv6.
src_key() {
	case $1 in
	2001:db8:66::66) echo 2001:db8:66::/64 ;;
	2001:db8:10::10) echo 2001:db8:10::/64 ;;
	*) echo "$1/32" ;;
	esac
}

stat_delta() { echo $(( $(sg_stat "$gw" "$1") - ${2:-0} )); }

# scan TOPO TARGET ATTACKER FAM: svwar, then svcrack, each banned within 10.
scan() {
	local topo=$1 t=$2 a=$3 six=() n bans0 fb0 key
	[ "$4" = 6 ] && six=(-6)
	key=$(src_key "$a")

	gw unban all >/dev/null
	: > "$LOG"
	fb0=$(sg_stat "$gw" drop_failures)
	ip netns exec "$gw" "$SIPGUARDCTL" monitor > "$MON" 2>&1 &
	mon_pid=$!
	sleep 0.5
	ip netns exec "$attacker" timeout 40 svwar "${six[@]}" --maximumtime 3 -m INVITE -e200-260 -p 5060 "$t" >/dev/null 2>&1
	sg_stop "$mon_pid"; mon_pid=
	n=$(received "$a" INVITE)
	info "$topo IPv$4: svwar's INVITEs at the PBX: $n; $(gw sources | grep -F "$key")"
	check "$topo IPv$4: svwar is banned within its first 10 INVITEs ($n reached the PBX)" \
		test "$n" -ge 4 -a "$n" -le 10 -a "$(src_field "$key" ban_left_ms)" -gt 0
	expect_eq "$topo IPv$4: svwar's ban is a failure ban" 1 "$(stat_delta drop_failures "$fb0")"
	check "$topo IPv$4: the ban event says drop_failures, with the failures counted" \
		grep -q "^ban .*$key.*reason drop_failures.* failures 4" "$MON"

	gw unban all >/dev/null
	: > "$LOG"
	fb0=$(sg_stat "$gw" drop_failures)
	ip netns exec "$attacker" timeout 40 svcrack "${six[@]}" --maximumtime 3 -u 100 -r 1000-1060 -p 5060 "$t" >/dev/null 2>&1
	n=$(received "$a" REGISTER)
	info "$topo IPv$4: svcrack's REGISTERs at the PBX: $n ($(awk -v s="$a" '$1 == s && $3 == 1' "$LOG" | wc -l) with credentials)"
	check "$topo IPv$4: svcrack is banned within its first 10 REGISTERs ($n reached the PBX)" \
		test "$n" -ge 4 -a "$n" -le 10 -a "$(src_field "$key" ban_left_ms)" -gt 0
	expect_eq "$topo IPv$4: svcrack's ban is a failure ban" 1 "$(stat_delta drop_failures "$fb0")"
	gw unban all >/dev/null
}

# extension TOPO TARGET FROM FAM: sipp calls, a phone that errs a little,
# spoofed answers.  SPOOF_NS sends the spoofed 404s from SPOOF_ADDR.
extension() {
	local topo=$1 t=$2 from=$3 key out f0 u0 b0
	key=$(src_key "$from")

	check "$topo IPv$4: 5 sipp calls from the remote extension complete" \
		sg_call "$registrar" "$from" "$t" 5
	f0=$(sg_stat "$gw" failures)
	b0=$(sg_stat "$gw" bans)
	out=$(ip netns exec "$registrar" $PBX phone "$t" "$from" secret)
	expect_eq "$topo IPv$4: the phone registers with digest auth" "401 200" "$out"
	out=$(ip netns exec "$registrar" $PBX phone "$t" "$from" wrong)
	expect_eq "$topo IPv$4: a mistyped password is refused" "401 403" "$out"
	out=$(ip netns exec "$registrar" $PBX phone "$t" "$from" secret 999)
	expect_eq "$topo IPv$4: a wrong extension is not found" "401 200 404" "$out"
	out=$(ip netns exec "$registrar" $PBX phone "$t" "$from" secret 998)
	expect_eq "$topo IPv$4: ... twice" "401 200 404" "$out"
	out=$(ip netns exec "$registrar" $PBX phone "$t" "$from" secret)
	expect_eq "$topo IPv$4: the phone registers again" "401 200" "$out"
	expect_eq "$topo IPv$4: 3 failures counted, no challenge" 3 "$(stat_delta failures "$f0")"
	expect_eq "$topo IPv$4: the phone is not banned" "0 3 0" \
		"$(src_field "$key" ban_left_ms) $(src_field "$key" failures) $(stat_delta bans "$b0")"

	f0=$(sg_stat "$gw" failures)
	u0=$(sg_stat "$gw" failures_unmatched)
	ip netns exec "$SPOOF_NS" $PBX spoof "$SPOOF_ADDR" "$from" 404 10
	sleep 0.5
	expect_eq "$topo IPv$4: 10 spoofed 404s are seen and count nothing" "10 0 0" \
		"$(stat_delta failures_unmatched "$u0") $(stat_delta failures "$f0") $(src_field "$key" ban_left_ms)"
	gw unban all >/dev/null
}

# The gateway: the PBX behind it, its answers forwarded (lan0 -> wan0).
pbx_start "$phone" $SG_PHONE4 $SG_PHONE6
SPOOF_NS=$phone
SPOOF_ADDR=$SG_PHONE4
scan gateway $SG_WAN4 $SG_ATTACKER4 4
extension gateway $SG_WAN4 $SG_REGISTRAR4 4
SPOOF_ADDR=$SG_PHONE6
scan gateway $SG_PHONE6 $SG_ATTACKER6 6
extension gateway $SG_PHONE6 $SG_REGISTRAR6 6

# svcrack against a PBX that answers a bad password with a new challenge.
pbx_start "$phone" $SG_PHONE4 --bad-password 401
gw unban all >/dev/null
: > "$LOG"
ip netns exec "$attacker" timeout 40 svcrack --maximumtime 3 -u 100 -r 1000-1060 -p 5060 $SG_WAN4 >/dev/null 2>&1
n=$(received $SG_ATTACKER4 REGISTER)
check "gateway IPv4, 401 for bad passwords: svcrack is banned within 10 REGISTERs ($n)" \
	test "$n" -ge 4 -a "$n" -le 10 -a "$(src_field $SG_ATTACKER4/32 ban_left_ms)" -gt 0

# The PBX host: sipguard and the PBX in one namespace (answers at LOCAL_OUT).
ip netns exec "$gw" nft delete table ip nat
pbx_start "$gw" $SG_WAN4 $SG_WAN6
SPOOF_NS=$gw
SPOOF_ADDR=$SG_WAN4
scan local $SG_WAN4 $SG_ATTACKER4 4
extension local $SG_WAN4 $SG_REGISTRAR4 4
SPOOF_ADDR=$SG_WAN6
scan local $SG_WAN6 $SG_ATTACKER6 6
extension local $SG_WAN6 $SG_REGISTRAR6 6

# failures 0: the same scan is not banned.
gw set failures 0 >/dev/null
: > "$LOG"
ip netns exec "$attacker" timeout 40 svwar --maximumtime 3 -m INVITE -e200-230 -p 5060 $SG_WAN4 >/dev/null 2>&1
n=$(received $SG_ATTACKER4 INVITE)
check "failures 0: svwar is not banned ($n INVITEs)" \
	test "$n" -gt 30 -a "$(src_field $SG_ATTACKER4/32 ban_left_ms)" = 0
gw set failures 4 >/dev/null

# Manual bans.
A=$SG_ATTACKER4
m0=$(sg_stat "$gw" bans_manual)
check "ban ADDR SECONDS" gw ban $A 30
bl=$(src_field $A/32 ban_left_ms)
check "the manual ban is shown in sources ($bl ms left)" test "$bl" -gt 25000 -a "$bl" -le 30000
expect_eq "the manual ban is counted" 1 "$(stat_delta bans_manual "$m0")"
d0=$(sg_stat "$gw" drop_banned)
udp_send "$attacker" $SG_WAN4 5060
expect_eq "a manually banned source is dropped" 1 "$(stat_delta drop_banned "$d0")"
check "ban of an IPv6 address bans its /64, for the configured ban" gw ban 2001:db8:66::1234
bl=$(src_field 2001:db8:66::/64 ban_left_ms)
check "... shown in sources ($bl ms left of 600 s)" test "$bl" -gt 590000 -a "$bl" -le 600000
check_fails "ban 0 seconds is refused" gw ban $A 0
check_fails "ban 604801 seconds is refused" gw ban $A 604801
check_fails "ban of a non-address is refused" gw ban not-an-address
check "unban ends a manual ban" gw unban $A

# Repeat offenders: each ban twice as long as the last, up to ban-max.  The
# time left may be short of the ban by what the ban and the reading took
# (seconds on a debug kernel), and 250 ms more.
gw unban all >/dev/null
gw set ban 2 ban-max 7 >/dev/null
for want in "2000 1" "4000 2" "7000 3" "7000 4"; do
	t0=$(date +%s%N)
	gw ban $A >/dev/null
	got="$(src_field $A/32 ban_left_ms) $(src_field $A/32 bans)"
	took=$((($(date +%s%N) - t0) / 1000000))
	set -- $got $want
	check "repeat ban $4: $1 ms left (want about $3, $took ms taken)" \
		test "$1" -gt $(($3 - took - 250)) -a "$1" -le "$3" -a "$2" = "$4"
done
# From failures: banned for the ban, then, back after it, for twice that.
gw unban all >/dev/null
gw set ban 8 ban-max 60 >/dev/null
# svwar ends itself 2 s after its last answer; the timeout only bounds a
# slow guest's Python start-up.
ip netns exec "$attacker" timeout 30 svwar --maximumtime 2 -m INVITE -e200-260 -p 5060 $SG_WAN4 >/dev/null 2>&1
bl=$(src_field $A/32 ban_left_ms)
check "a first failure ban lasts the ban ($bl ms left of 8000)" test "$bl" -gt 0 -a "$bl" -le 8000
for i in $(seq 20); do
	[ "$(src_field $A/32 ban_left_ms)" = 0 ] && break
	sleep 1
done
ip netns exec "$attacker" timeout 30 svwar --maximumtime 2 -m INVITE -e300-360 -p 5060 $SG_WAN4 >/dev/null 2>&1
bl=$(src_field $A/32 ban_left_ms)
check "the second lasts twice as long ($bl ms left of 16000)" \
	test "$bl" -gt 8000 -a "$bl" -le 16000 -a "$(src_field $A/32 bans)" = 2

sg_exit
