#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The open policy judges what a phone would act on (issue 16, and item 5 of
# issue 15).  The ghost-call scene of lib.sh, with a lenient phone stand-in
# (sg_phone.py: leading CRLFs skipped, methods in any case, any prefix of
# INVITE is INVITE, TCP framed by Content-Length) instead of sipp:
#
#   attacker 203.0.113.66-70    registrar 198.51.100.10 (trusted)
#            2001:db8:66::66-67
#          \                   /
#           +---- inet -------+
#                  |
#                wan0   gateway (sipguard: open, untrusted-invite refuse,
#                lan0            default signatures)
#                  |
#                phone 192.0.2.130, 2001:db8:100::130 (sg_phone.py)
#
# Every class of issue 16 (lower-case INVITE, an INVIT prefix, an INVITE
# after an empty line, a long Request-URI, and over TCP an INVITE smuggled
# past segment boundaries, cut in its request line or inside "SIP/2.0"),
# over UDP and TCP, IPv4 and IPv6, with ban 0: none may ring the phone.
# Then: pipelined and segmented TCP from an untrusted remote extension and
# from the registrar flows; 30 BLF SUBSCRIBEs in a second from one phone are
# not banned by the defaults (UDP and TCP); datagrams merged by UDP GSO are
# judged and charged one by one; a wrong UDP checksum never bans; a flood of
# new spoofed sources that spends the budget does not starve a known source.

source "$(dirname "$0")/lib.sh"
require_cmd nft nsenter /usr/bin/python3

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sg_scene
plog=$(mktemp)
sg_cleanup_hooks+=("rm -f $plog")
ip netns exec "$phone" /usr/bin/python3 "$here/sg_phone.py" "$plog" &
for a in 203.0.113.67 203.0.113.68 203.0.113.69 203.0.113.70; do
	ip -n "$attacker" addr add $a/24 dev a0
done
ip -n "$attacker" addr add 2001:db8:66::67/64 dev a0 nodad
ip -n "$attacker" addr add 2001:db8:66::68/64 dev a0 nodad
ip -n "$attacker" addr add 203.0.113.71/24 dev a0
ip -n "$attacker" addr add 2001:db8:66::69/64 dev a0 nodad

gw() { nsenter --net="/run/netns/$gw" "$SIPGUARDCTL" "$@"; }
judge() {	# judge NS CLASS PROTO DST [SRC]
	local ns=$1; shift
	nsenter --net="/run/netns/$ns" /usr/bin/python3 "$here/sg_judge.py" "$@"
}
# rings [SRC-PATTERN]: INVITEs the phone took (from SRC-PATTERN).
rings() { awk -v s="${1:-.}" '$2 ~ s && $3 == "INVITE"' "$plog" | wc -l; }
took() { awk -v p="$1" -v m="$2" '$2 ~ p && $3 == m' "$plog" | wc -l; }
declare -A S
phase() {
	local k v
	S=()
	while read -r k v; do [ -z "$v" ] || S[${k%:}]=$v; done <<< "$(gw stats reset)"
}
ctr() { echo "${S[$1]:-0}"; }

sleep 1	# the stand-in is listening
gw allow add $SG_REGISTRAR4
gw allow add $SG_REGISTRAR6
gw set mode enforce policy open untrusted-invite refuse ban 0 || fail "set open policy"
phase

# --- every class, UDP and TCP, IPv4 and IPv6 --------------------------------------
for dst in $SG_WAN4 $SG_PHONE6; do
	v=4; case $dst in *:*) v=6 ;; esac
	for c in lower prefix crlf longuri smuggle split splitver; do
		for p in udp tcp; do
			case $c in smuggle|split|splitver) [ $p = tcp ] || continue ;; esac
			before=$(rings)
			judge "$attacker" $c $p $dst >/dev/null
			sleep 0.3
			expect_eq "$c over $p, IPv$v: the phone does not ring" 0 $(( $(rings) - before ))
		done
	done
done
phase
info "counters: drop_invite $(ctr drop_invite) drop_signature $(ctr drop_signature)" \
	"drop_malformed $(ctr drop_malformed) tcp_continuation $(ctr tcp_continuation)" \
	"pass_open $(ctr pass_open)"
check "the INVITE policy refused lower-case, prefix and smuggled INVITEs" test "$(ctr drop_invite)" -ge 8
check "the signatures caught the leading-CRLF and long-URI INVITEs" test "$(ctr drop_signature)" -ge 8
check "request lines cut across segments were drop_malformed" test "$(ctr drop_malformed)" -ge 4
expect_eq "nothing was banned (ban 0)" 0 "$(ctr bans)"

# --- legitimate TCP: pipelined, a body across segments ----------------------------
sleep 1
phase
for dst in $SG_WAN4 $SG_PHONE6; do
	v=4 src=203.0.113.71; case $dst in *:*) v=6 src=2001:db8:66::69 ;; esac
	before=$(took . OPTIONS)
	judge "$attacker" legit tcp $dst $src >/dev/null
	sleep 0.3
	expect_eq "untrusted TCP, IPv$v: two pipelined OPTIONS and one with its body across segments reach the phone" \
		3 $(( $(took . OPTIONS) - before ))
	r=$SG_REGISTRAR4; [ $v = 4 ] || r=$SG_REGISTRAR6
	before=$(took . OPTIONS); bi=$(rings)
	judge "$registrar" legit tcp $dst >/dev/null
	judge "$registrar" split tcp $dst >/dev/null
	sleep 0.3
	expect_eq "registrar TCP, IPv$v: pipelined and segmented OPTIONS reach the phone" \
		3 $(( $(took . OPTIONS) - before ))
	expect_eq "registrar TCP, IPv$v: its INVITE cut across segments rings" 1 $(( $(rings) - bi ))
done
phase
expect_eq "legitimate TCP: nothing dropped" 0 "$(ctr dropped)"

# --- a phone with 30 BLF keys boots: the defaults ---------------------------------
# Per key: SUBSCRIBE, 401, SUBSCRIBE with credentials, 200 + NOTIFY, 200 to
# the NOTIFY: three messages from the phone, 90 in about a second.
gw set ban 600	# rate and burst: the defaults
info "$(gw show | grep -wE 'rate|burst')"
phase
out4=$(judge "$attacker" blf udp $SG_WAN4 203.0.113.67)
out6=$(judge "$attacker" blf tcp $SG_PHONE6 2001:db8:66::68)
sleep 0.3
phase
info "BLF: udp $out4; tcp $out6; counters: pass_open $(ctr pass_open) keepalive $(ctr keepalive)" \
	"drop_rate $(ctr drop_rate) bans $(ctr bans)"
expect_eq "BLF over UDP: every key subscribed" 30 "$(awk '{ print $2 }' <<< "$out4")"
expect_eq "BLF over TCP: every key subscribed" 30 "$(awk '{ print $2 }' <<< "$out6")"
expect_eq "BLF: nobody banned, nothing over the rate" "0 0" "$(ctr bans) $(ctr drop_rate)"

# --- UDP GSO: several datagrams in one skb ------------------------------------------
gw set ban 0
gw unban all >/dev/null
for dst in $SG_WAN4 $SG_PHONE6; do
	v=4; case $dst in *:*) v=6 ;; esac
	phase
	before=$(took . OPTIONS); bi=$(rings)
	judge "$attacker" gso udp $dst >/dev/null
	sleep 0.3
	phase
	expect_eq "GSO, IPv$v: a scanner's INVITE third in a GSO burst: nothing rings" 0 $(( $(rings) - bi ))
	expect_eq "GSO, IPv$v: ... it is caught by its signature" 1 "$(ctr drop_signature)"
	judge "$attacker" gsoclean udp $dst >/dev/null
	sleep 0.3
	phase
	expect_eq "GSO, IPv$v: 8 OPTIONS in one GSO burst are 8 messages judged" 8 "$(ctr method_options)"
done
# ... and charged one by one: burst 5 cannot carry 8.
gw set rate 1 burst 5
phase
before=$(took 203.0.113.69 OPTIONS)
judge "$attacker" gsoclean udp $SG_WAN4 203.0.113.69 >/dev/null
sleep 0.3
phase
expect_eq "GSO: 8 datagrams from a source with burst 5 are over its rate" 1 "$(ctr drop_rate)"
expect_eq "GSO: ... none of them reached the phone" 0 $(( $(took 203.0.113.69 OPTIONS) - before ))

# --- a wrong UDP checksum never bans ------------------------------------------------
gw set rate 10 burst 40 ban 600
phase
judge "$attacker" badsum udp $SG_WAN4 203.0.113.70
sleep 0.3
phase
info "bad checksum: bad_l4 $(ctr bad_l4) drop_signature $(ctr drop_signature) bans $(ctr bans)"
expect_eq "a scanner's User-Agent with a wrong UDP checksum bans nobody" 0 "$(ctr bans)"
check "... and is dropped as bad_l4" test "$(ctr bad_l4)" -ge 1

# --- a flood of new spoofed sources does not starve a known one ---------------------
# 2001:db8:1000::/36, one source per /64, to the gateway's own address (no one
# listens: nothing reaches the phone); the known source sends 5 OPTIONS a
# second, half its rate, to the phone meanwhile.
if sg_flood_build; then
	gw set rate 10 burst 100 ban 0 budget 100
	judge "$attacker" gsoclean udp $SG_WAN4 >/dev/null	# known, within its rate
	sleep 1
	phase
	before=$(took "[:]$SG_ATTACKER4\$" OPTIONS)
	nsenter --net="/run/netns/$attacker" "$flood_bin" -d $SG_WAN6 -n 20000 -c 6000 -r 600 >/dev/null &
	fpid=$!
	nsenter --net="/run/netns/$attacker" /usr/bin/python3 -c '
import socket, sys, time
sys.path.insert(0, sys.argv[1])
import sg_judge as j
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[2], 0))
for i in range(40):
    s.sendto(j.request("OPTIONS", sys.argv[3]), (sys.argv[3], 5060))
    time.sleep(0.2)' "$here" $SG_ATTACKER4 $SG_WAN4
	wait $fpid
	sleep 0.5
	phase
	got=$(( $(took "[:]$SG_ATTACKER4\$" OPTIONS) - before ))
	info "flood: drop_budget $(ctr drop_budget) pass_open $(ctr pass_open) src_evicted $(ctr src_evicted);" \
		"the known source: $got of 40 reached the phone"
	check "the flood of new sources was held to the budget" test "$(ctr drop_budget)" -gt 1000
	expect_eq "a known source within its rate is not starved by the flood" 40 "$got"
else
	fail "building sg_flood"
fi

sg_exit
