#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The open policy: per-source token buckets, bans, the global budget, the
# bounded source table and scanner signatures.  The ghost-call scene of
# lib.sh plus a flooder wired straight into the gateway (documentation
# addresses only):
#
#   attacker 203.0.113.66     registrar 198.51.100.10 (trusted)
#          \                   /
#           +---- inet -------+
#                  |
#                wan0   gateway (sipguard, open policy)   wan1 198.51.100.129/30
#                lan0                                          2001:db8:f1::1/64
#                  |                                        |
#                phone 192.0.2.130                        flood: sends from spoofed
#                                                         203.0.113.128/25 (one source
#                                                         each), 2001:db8:ffff::/48 and
#                                                         2001:db8:1000::/36 (the flood)
#
# What the flooder sends goes to the gateway's own wan1 address, port 5060,
# where nothing listens: nft in the gateway counts what sipguard let through
# (probe_in, flood_in) and drops it untracked (no conntrack entry, no ICMP
# error), so the counts and the slab growth are sipguard's own.
#
#  - one source at 10x its rate: passed == burst + rate x t (within 5% + 2);
#  - with ban > 0 it is banned after its burst, dropped until the ban ends,
#    and passes again from the moment it ends (timed against the kernel's
#    own ban_left_ms, to the sender's packet spacing + the read's latency);
#    unban of one source (IPv4, and any address of an IPv6 /64) and of all;
#  - a flood from 100,000 spoofed IPv6 sources (one /64 each, 2001:db8::/32),
#    paced to what the TCG VM sustains, the table at 4096: the table never
#    holds more than table-max, slab memory stays bounded, the budget holds,
#    and 10 sipp calls from the (trusted) registrar complete during it;
#  - every default signature drops and bans; a trusted source with a
#    scanner's User-Agent passes; refusing out-of-dialog INVITEs;
#  - monitor mode counts the same decisions and drops nothing.
#
# Each phase reads the counters once (`stats reset` returns and zeroes them).

source "$(dirname "$0")/lib.sh"
require_cmd sipp nft cc nsenter ping

t_start=$SECONDS
sg_flood_build || { fail "building sg_flood"; sg_exit; }

sg_scene
setup_ns flood
veth_link "$flood" f0 "$gw" wan1
GW4=198.51.100.129 GW6=2001:db8:f1::1
ip -n "$gw" addr add $GW4/30 dev wan1
ip -n "$gw" addr add $GW6/64 dev wan1 nodad
ip -n "$flood" addr add 198.51.100.130/30 dev f0
ip -n "$flood" addr add 2001:db8:f1::2/64 dev f0 nodad
ip -n "$flood" route add default via $GW4
ip -n "$flood" -6 route add default via $GW6
# Spoofed sources arrive on wan1 but route back through wan0.
ip netns exec "$gw" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.wan1.rp_filter=0
ip netns exec "$gw" nft -f - <<NFT
table inet flood {
	counter probe_in {}
	counter flood_in {}
	chain raw {
		type filter hook prerouting priority raw;
		iifname "wan1" notrack
	}
	chain input {
		type filter hook input priority 0;
		iifname "wan1" udp dport 5060 ip6 saddr 2001:db8:1000::/36 counter name flood_in drop
		iifname "wan1" udp dport 5060 counter name probe_in drop
	}
}
NFT
ip netns exec "$flood" ping -qc1 -W2 $GW4 >/dev/null
ip netns exec "$flood" ping -qc1 -W2 $GW6 >/dev/null
sg_cleanup_hooks+=(sg_phone_stop)
sg_phone_start

# Commands in a namespace without `ip netns exec`'s mount work: cheaper.
in_ns() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }
gw() { in_ns "$gw" "$SIPGUARDCTL" "$@"; }
# send SRC COUNT [PPS [UA...]]: OPTIONS from SRC to the gateway (spoofed).
send() {
	local a=(-d $GW4 -s "$1" -c "$2") u
	case $1 in *:*) a[1]=$GW6 ;; esac
	[ -z "${3:-}" ] || a+=(-r "$3")
	for u in "${@:4}"; do a+=(-u "$u"); done
	in_ns "$flood" "$flood_bin" "${a[@]}"
}
# phase: the counters since the last phase (read and zeroed in one step) in
# S[name], and the gateway's nft counters (read and zeroed) in probe, flood.
declare -A S
phase() {
	local k v
	S=()
	# Here-strings, not <(...): the test VM has no /dev/fd.
	while read -r k v; do [ -z "$v" ] || S[${k%:}]=$v; done <<< "$(gw stats reset)"
	probe=0 flood_in=0
	while read -r k v; do
		case $k in probe_in) probe=$v ;; flood_in) flood_in=$v ;; esac
	done <<< "$(in_ns "$gw" nft reset counters table inet flood |
		awk '/counter / { c = $2 } /packets/ { for (i = 1; i < NF; i++)
			if ($i == "packets") print c, $(i + 1) }')"
}
now_ms() { local t; t=$(date +%s%N); echo $(( t / 1000000 )); }
# src_field ADDR KEY [banned]: a column of ADDR's line in `sources` ("none" if absent).
src_field() {
	gw sources ${3:-} | awk -v a="$1" -v k="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ split($1, p, "/") } p[1] == a { print $col[k]; found = 1 }
		END { if (!found) print "none" }'
}
within() {	# within WHAT EXPECTED ACTUAL TOLERANCE
	local d=$(( $3 > $2 ? $3 - $2 : $2 - $3 ))
	if [ $d -le "$4" ]; then pass "$1: $3 (expected $2 +- $4)"; else fail "$1: $3, expected $2 +- $4"; fi
}
phase_t=$t_start
took() { info "[$(( SECONDS - t_start )) s] $1 took $(( SECONDS - phase_t )) s"; phase_t=$SECONDS; }
took "setup"

gw allow add $SG_REGISTRAR4
gw allow add $SG_REGISTRAR6
# Guard the WAN side: with the LAN guarded too, the phone's own answers
# to the registrar would be untrusted SIP, held to its rate and to the
# budget the flood uses up.
gw set guard "${SG_OPEN_GUARD:-wan0,wan1}" mode enforce policy open rate 20 burst 10 ban 0 budget 0 table-max 4096 ||
	fail "set open policy"
check "show reports the open policy" bash -c "nsenter --net=/run/netns/$gw $SIPGUARDCTL show | grep -q 'rate: 20'"
check_fails "rate 0 refused" gw set rate 0
check_fails "prefix4 33 refused" gw set prefix4 33
check_fails "table-max above the maximum refused" gw set table-max 99999999
phase

# --- one source at 10x its rate ------------------------------------------------
out=$(send 203.0.113.131 400 200)
info "$out"
secs=$(awk '{ print $8 }' <<< "$out")
phase
expected=$(awk -v t="$secs" 'BEGIN { printf "%d", 10 + 20 * t + 0.5 }')
within "10x rate: passed = burst 10 + rate 20/s x $secs s" "$expected" "$probe" $(( expected / 20 + 2 ))
expect_eq "10x rate: pass_open counts the same" "$probe" "${S[pass_open]}"
expect_eq "10x rate: drop_rate counts the rest" "$((400 - probe))" "${S[drop_rate]}"
expect_eq "ban 0: nobody was banned" 0 "${S[bans]}"
line=$(gw sources | awk '$1 == "203.0.113.131/32"')
info "sources: $line"
expect_eq "sources lists the source's packets" 400 "$(awk '{ print $2 }' <<< "$line")"
expect_eq "... and its drops" "$((400 - probe))" "$(awk '{ print $3 }' <<< "$line")"
took "10x rate"

# --- bans --------------------------------------------------------------------------
# Banned after its burst; then a stream at half its rate from before the
# ban's end to after it: exactly the packets sent before the end are
# dropped, all later ones pass.
# 8 s; a debug kernel (make check-debug) needs longer for the burst and
# the reads before the stream: SG_OPEN_BAN.
ban=${SG_OPEN_BAN:-8}
gw set ban $ban
t0=$(now_ms)
send 203.0.113.132 100 200 >/dev/null
t1=$(now_ms)
left=$(src_field 203.0.113.132 ban_left_ms banned)
t2=$(now_ms)
phase
check "sources shows ${ban} s of ban at most ($left ms left, read $((t2 - t0)) ms after the burst began)" \
	test "$left" -le $((ban * 1000)) -a "$left" -ge $((ban * 1000 - (t2 - t0)))
check "over its rate: banned after burst + a few ($probe passed)" test "$probe" -ge 10 -a "$probe" -le 12
expect_eq "one ban" 1 "${S[bans]}"
check "the rest dropped as banned, before parsing (${S[drop_banned]})" test "${S[drop_banned]}" -ge 80
# The ban ends between t1 + left and t2 + left (the read's latency): a
# stream from now to 2 s after that.
pps=10
# The stream is half the rate, but a starved VM's sender falls behind and
# catches up in one batch (a debug kernel under load did: 14 passed, then
# a second ban): a bucket of 40, 4 s of the stream, absorbs that.  A new
# burst leaves the ban in force alone.
gw set burst 40
rem=$(( t2 + left - $(now_ms) ))
n=$(( (rem + 2000) * pps / 1000 ))
out=$(send 203.0.113.132 $n $pps)
start=$(awk '{ print $NF }' <<< "$out")
start_ms=$(( ${start%.*} * 1000 + 10#${start#*.} / 1000 ))
phase
# Packet k goes out at start + k/pps: those before the ban's end are dropped.
# Tolerance: two packets (0.2 s) for the sender's jitter under TCG.
lo=$(( (t1 + left - start_ms) * pps / 1000 - 2 )) hi=$(( (t2 + left - start_ms) * pps / 1000 + 3 ))
[ $lo -ge 0 ] || lo=0
info "stream: $out; the ban ends $((t1 + left - start_ms))..$((t2 + left - start_ms)) ms after its first packet"
check "stream began before the ban's end (else the check below proves nothing)" test $((t2 + left - start_ms)) -gt 500
check "until the ban's end dropped as banned: ${S[drop_banned]} packets (expected $lo..$hi)" \
	test "${S[drop_banned]}" -ge $lo -a "${S[drop_banned]}" -le $hi
expect_eq "... and from then on every packet passes: the ban expired on time" \
	$(( n - ${S[drop_banned]} )) "$probe"
expect_eq "... without a new ban" 0 "${S[bans]}"
gw set burst 10
took "ban expiry"

gw set ban 600
t0=$(now_ms)
send 203.0.113.133 100 200 >/dev/null
send 2001:db8:ffff:1::1 50 200 >/dev/null
send 2001:db8:ffff:1::2 50 200 >/dev/null
banned=$(gw sources banned)
t2=$(now_ms)
info "$banned"
left=$(awk '$1 == "203.0.113.133/32" { print $5 }' <<< "$banned")
# At most 600 s, and no less than 600 s minus the time since the burst
# began (seconds on a slow kernel: the bound moves with it).
check "ban 600: banned (${left:-none} ms left, read $((t2 - t0)) ms after the burst began)" \
	test "${left:-0}" -le 600000 -a "${left:-0}" -ge $((600000 - (t2 - t0)))
expect_eq "sources banned lists only the 2 banned ones (not 203.0.113.132, whose ban ended)" 2 "$(awk 'NR > 1' <<< "$banned" | wc -l)"
expect_eq "two addresses of one IPv6 /64 are one source" "100" \
	"$(awk '$1 == "2001:db8:ffff:1::/64" { print $2 }' <<< "$banned")"
phase
check "unban 203.0.113.133" gw unban 203.0.113.133
check "unban of another address of the banned /64" gw unban 2001:db8:ffff:1::99
send 203.0.113.133 1 >/dev/null
send 2001:db8:ffff:1::3 1 >/dev/null
phase
expect_eq "after unban: both pass at once" 2 "$probe"
check_fails "unban of a source not banned fails" gw unban 203.0.113.133
send 203.0.113.134 100 200 >/dev/null
send 203.0.113.135 100 200 >/dev/null
check "unban all" gw unban all
expect_eq "unban all: none banned any more" 0 "$(gw sources banned | awk 'NR > 1' | wc -l)"
took "unban"

# --- scanner signatures --------------------------------------------------------------
phase
siglist=$(gw signature list | sed -n 's/^ *[0-9]*  "\(.*\)"$/\1/p')
mapfile -t sigs <<< "$siglist"
info "${#sigs[@]} default signatures"
check "at least the 12 the issue names" test ${#sigs[@]} -ge 12
# One packet per signature, each from its own source, the signature
# embedded in upper case: "Foo <SIG>/1.0".
uas=()
for s in "${sigs[@]}"; do uas+=(-u "Foo ${s^^}/1.0"); done
in_ns "$flood" "$flood_bin" -d $GW4 -s 203.0.113.140 -n ${#sigs[@]} -c ${#sigs[@]} "${uas[@]}" >/dev/null
send 203.0.113.140 1 >/dev/null
send 203.0.113.200 1 "" "" >/dev/null
# The registrar (trusted) with a scanner's User-Agent, to the phone.
in_ns "$registrar" "$flood_bin" -d $SG_PHONE4 -s $SG_REGISTRAR4 -u friendly-scanner >/dev/null
hits=$(gw signature list)
phase
expect_eq "every default signature dropped its message" ${#sigs[@]} "${S[drop_signature]}"
expect_eq "... and banned its source" ${#sigs[@]} "${S[bans]}"
expect_eq "each signature counted one hit" "${#sigs[@]}" "$(awk '$1 == 1' <<< "$hits" | wc -l)"
expect_eq "a banned scanner's clean message is dropped too" 1 "${S[drop_banned]}"
expect_eq "no User-Agent (svmap -c): not a signature, passes" 1 "$probe"
expect_eq "trusted source with a scanner's User-Agent passes" 1 "$(nft_count "$phone" phone registrar_in)"
expect_eq "... counted as trusted" 1 "${S[pass_trusted]}"
check "signature add" gw signature add "evil-dialer"
check_fails "signature add of a duplicate (any case) fails" gw signature add "EVIL-DIALER"
send 203.0.113.201 1 "" "EVIL-Dialer 2.0" >/dev/null
check "signature del" gw signature del "evil-dialer"
send 203.0.113.202 1 "" "EVIL-Dialer 2.0" >/dev/null
phase
expect_eq "an added signature drops" 1 "${S[drop_signature]}"
expect_eq "after del it passes" 1 "$probe"

# --- out-of-dialog INVITEs ------------------------------------------------------------
invite() { in_ns "$flood" "$flood_bin" -d $GW4 -s "$1" -M INVITE ${2:+-T "$2"} >/dev/null; }
gw set untrusted-invite refuse
invite 203.0.113.210
invite 203.0.113.211 abc
phase
expect_eq "refuse: an out-of-dialog INVITE is dropped" 1 "${S[drop_invite]}"
expect_eq "refuse: an in-dialog INVITE (To tag) passes" 1 "$probe"
gw set untrusted-invite accept
invite 203.0.113.212
phase
expect_eq "accept: it passes" 1 "$probe"
took "signatures, INVITEs"

# --- a flood from 100,000 spoofed sources ---------------------------------------------
# IPv6, one /64 each (prefix6 64: one source each), paced to a rate the
# TCG VM sustains: an unpaced flood overflows the receiving CPU's backlog
# (netdev_max_backlog) before any hook, dropping the registrar's packets
# with the flood's.  A budget high enough that new sources fill the
# 4096-entry table within seconds, so the flood runs against a full table
# and eviction.
# 2500/s: half of what a TCG guest on a loaded host sent flat out (4700/s),
# which starved sipp of CPU (3 of 10 calls timed out on 6.1).
nsrc=100000 frate=${SG_FLOOD_PPS:-2500} budget=2000
gw set rate 20 burst 10 ban 60 budget $budget table-max 4096
gw unban all
phase
slab0=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
# Packets the receiving CPUs' backlogs dropped (column 2, hex), before any hook.
softnet_drops() {
	local a b rest s=0
	while read -r a b rest; do s=$((s + 16#$b)); done < /proc/net/softnet_stat
	echo $s
}
softnet0=$(softnet_drops)
entry=$(gw show | awk '$1 == "source_bytes:" { print $2 }')
flag=$(mktemp -p "$SG_TOP/build" 2>/dev/null || mktemp)
sampler() {	# the most entries seen, every 0.5 s while $flag exists
	local max=0 n
	while [ -e "$flag" ]; do
		n=$(gw show | awk '$1 == "sources:" { print $2 }')
		[ "${n:-0}" -gt "$max" ] && max=$n
		echo "$max" > "$flag.max"
		sleep 0.5
	done
}
sampler &
sampler_pid=$!
in_ns "$flood" "$flood_bin" -d $GW6 -s 2001:db8:1000:: -n $nsrc -c $nsrc -r "$frate" > "$flag.flood" 2>&1 &
flood_pid=$!
sleep 2
# The registrar calls the phone: 10 calls, 10 per second, while the flood goes on.
tc0=$(now_ms)
ip netns exec "$registrar" timeout 60 sipp -sn uac -i $SG_REGISTRAR4 -m 10 -r 10 -nostdin \
	-timeout 50s -timeout_error -trace_screen -screen_file "$flag.sipp" \
	$SG_PHONE4:5060 >/dev/null 2>&1
calls_rc=$?
tc1=$(now_ms)
flood_running=0
kill -0 $flood_pid 2>/dev/null && flood_running=1
wait $flood_pid
out=$(cat "$flag.flood")
rm -f "$flag"
wait $sampler_pid
slab1=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
softnet1=$(softnet_drops)
phase
info "flood: $out"
sent=$(awk '{ print $2 }' <<< "$out")
dur=$(awk '{ print $8 }' <<< "$out")
maxn=$(cat "$flag.max")
final=$(gw show | awk '$1 == "sources:" { print $2 }')
# What the hook judged as untrusted: not the registrar (trusted) nor the
# phone's answers (on lan0, not guarded).
seen=$(( ${S[sip_udp]} - ${S[pass_trusted]} - ${S[unguarded_iface]} ))
info "flood: $sent packets from $nsrc sources in $dur s; $seen reached the hook, $((softnet1 - softnet0)) dropped by backlogs before it; $flood_in passed"
info "table: at most $maxn entries seen, $final now; evicted ${S[src_evicted]}, not remembered ${S[src_noroom]}"
info "drops: budget ${S[drop_budget]}, rate ${S[drop_rate]}, banned ${S[drop_banned]}"
info "slab: $slab0 kB before, $slab1 kB after ($(( slab1 - slab0 )) kB); one entry costs $entry bytes, 4096 of them $(( 4096 * entry / 1024 )) kB"
expect_eq "the flood went out whole from $nsrc sources" "$nsrc" "$sent"
check "the table never held more than table-max ($maxn <= 4096)" test "$maxn" -le 4096
check "... nor does it now ($final)" test "$final" -le 4096
check "the table filled ($maxn) and evicted (${S[src_evicted]} evictions)" test "${S[src_evicted]}" -gt 0
budget_max=$(awk -v d="$dur" -v b=$budget 'BEGIN { printf "%d", b * d + b + 2 * b * 0.05 }')
check "the budget held: $flood_in passed <= $budget/s x $dur s + $budget burst (+10%/s)" test "$flood_in" -le "$budget_max"
check "... and let new sources in ($flood_in)" test "$flood_in" -gt $budget
expect_eq "every flood packet that reached the hook passed or was dropped for budget/rate/ban" "$seen" \
	"$(( ${S[pass_open]} + ${S[drop_budget]} + ${S[drop_rate]} + ${S[drop_banned]} ))"
# Without the bound the table would hold 100,000 entries: > 10 MiB.
# Under KASAN (make check-debug) freed objects wait in its quarantine,
# and every entry evicted by the flood still counts in Slab: there the
# bound says nothing, and kmemleak's scan after the suite looks for leaks.
if grep -qs '^CONFIG_KASAN=y' "/boot/config-$(uname -r)"; then
	info "slab bound not checked: a KASAN kernel keeps freed entries in quarantine"
else
	check "slab grew less than 4 MiB ($(( slab1 - slab0 )) kB)" test $(( slab1 - slab0 )) -lt 4096
fi
check "all 10 registrar calls completed ($((tc1 - tc0)) ms) during the flood" \
	test $calls_rc = 0 -a $flood_running = 1
[ $calls_rc = 0 ] || grep -E 'Successful call|Failed call|Call-rate|Outgoing call|Retrans|Timeout' "$flag.sipp" | sed 's/^/# sipp: /'
# INVITE, ACK, BYE per call; the phone's answers come in on lan0.
check "... trusted, never judged: pass_trusted ${S[pass_trusted]} >= 30 messages" test "${S[pass_trusted]}" -ge 30
rm -f "$flag.max" "$flag.sipp" "$flag.flood"
srcs=$(gw sources)
expect_eq "the registrar was never in the table" 0 "$(grep -c "^$SG_REGISTRAR4/" <<< "$srcs")"
expect_eq "nor the phone" 0 "$(grep -c "^$SG_PHONE4/" <<< "$srcs")"
grep "^$SG_PHONE4/" <<< "$srcs" | sed 's/^/# phone in the table: /'
took "flood"

# --- monitor: count, drop nothing --------------------------------------------------------
gw set mode monitor ban 60 budget 0
gw unban all
phase
send 203.0.113.220 200 200 >/dev/null
send 203.0.113.221 1 "" "friendly-scanner" >/dev/null
phase
expect_eq "monitor: everything passed" 201 "$probe"
expect_eq "monitor: dropped stays 0" 0 "${S[dropped]}"
check "monitor: the sources were banned all the same (${S[bans]})" test "${S[bans]}" -ge 2
expect_eq "monitor: would_drop = rate + banned + signature drops" \
	"$(( ${S[drop_rate]} + ${S[drop_banned]} + ${S[drop_signature]} ))" "${S[would_drop]}"
expect_eq "monitor: the scanner's signature counted" 1 "${S[drop_signature]}"
within "monitor: what would pass is burst + a few" 11 "${S[pass_open]}" 3
took "monitor"

sg_exit
