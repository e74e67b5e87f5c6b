#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ghost-call guard on a gateway (topology in lib.sh: attacker and
# registrar on the internet side, the phone behind the gateway, routed and
# port-forwarded).  Real scanners (SIPVicious svmap, svwar, svcrack) and
# real calls (sipp UAC at the registrar, sipp UAS as the phone):
#  - strict + enforce: no scanner packet reaches the phone over IPv4, IPv6
#    or the port forward, while every registrar call completes;
#  - monitor: everything arrives, and would_drop equals what was sent;
#  - guarding only the WAN lets the phone's own REGISTER out;
#  - allowlist changes (del, add, flush, replace) take effect at once.

source "$(dirname "$0")/lib.sh"
require_cmd svmap svwar svcrack sipp nft

sg_scene phone
stat() { sg_stat "$gw" "$1"; }

reset_all() {
	gw stats reset >/dev/null
	nft_reset "$phone" phone
	nft_reset "$attacker" attacker
}

# Every scanner mode the ghost calls come from, v4, v6 and the port forward.
scan() {
	local a=(ip netns exec "$attacker")
	"${a[@]}" svmap -q "$SG_PHONE4" >/dev/null 2>&1
	"${a[@]}" svmap -q -m INVITE "$SG_PHONE4" >/dev/null 2>&1
	"${a[@]}" svmap -q -m INVITE "$SG_WAN4" >/dev/null 2>&1
	"${a[@]}" svmap -q -c -m INVITE "$SG_PHONE4" >/dev/null 2>&1
	"${a[@]}" svwar -q -m INVITE -e100-109 --force "$SG_PHONE4" >/dev/null 2>&1
	"${a[@]}" svcrack -q -u100 -r1000-1009 "$SG_PHONE4" >/dev/null 2>&1
	"${a[@]}" svmap -q -6 -m INVITE "$SG_PHONE6" >/dev/null 2>&1
	"${a[@]}" svwar -q -6 -m INVITE -e100-109 --force "$SG_PHONE6" >/dev/null 2>&1
}

# --- strict + enforce, registrar and the LAN trusted ---------------------
gw set mode enforce policy strict
for p in $SG_REGISTRAR4 $SG_REGISTRAR6 192.0.2.128/25 2001:db8:100::/64; do
	gw allow add "$p" || fail "allow add $p"
done
reset_all

scan &
scanner=$!
calls_ok=0
sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 5 && calls_ok=$((calls_ok + 5))
sg_call "$registrar" $SG_REGISTRAR6 $SG_PHONE6 5 && calls_ok=$((calls_ok + 5))
sg_call "$registrar" $SG_REGISTRAR4 $SG_WAN4 3 && calls_ok=$((calls_ok + 3))
wait $scanner

sent=$(nft_count "$attacker" attacker sent)
info "the scanners sent $sent packets to port 5060"
# A scanner that gets no answer gives up early: each of the 8 runs sends 1+.
check "the scanners sent something (at least one packet per run)" test "$sent" -ge 8
expect_eq "enforce: no scanner packet reached the phone" 0 "$(nft_count "$phone" phone attacker_in)"
expect_eq "enforce: all 13 registrar calls completed during the scan" 13 $calls_ok
expect_eq "enforce: the phone rang exactly 13 times (all registrar)" 13 "$(nft_count "$phone" phone invites)"
expect_eq "enforce: drop_untrusted counts every scanner packet" "$sent" "$(stat drop_untrusted)"
expect_eq "enforce: dropped equals the sum of drop reasons" "$sent" "$(stat dropped)"
expect_eq "enforce: would_drop stays 0" 0 "$(stat would_drop)"
udp=$(stat sip_udp)
expect_eq "enforce: everything else was trusted" "$((udp - sent))" "$(stat pass_trusted)"
expect_eq "enforce: v4 + v6 = udp + tcp" "$(($(stat sip_udp) + $(stat sip_tcp)))" \
	"$(($(stat sip_ipv4) + $(stat sip_ipv6)))"
expect_eq "strict: nothing was parsed" 0 "$(($(stat method_invite) + $(stat method_options) + $(stat method_register)))"

# TCP: an untrusted SYN to a guarded port never gets an answer.
reset_all
tcp_try "$attacker" $SG_PHONE4 5060
tcp_try "$attacker" $SG_PHONE6 5060
check "enforce: untrusted TCP SYNs dropped (v4 and v6; retries counted too)" test "$(stat drop_untrusted)" -ge 2
expect_eq "enforce: ... and nothing else passed" "$(stat sip_tcp)" "$(stat drop_untrusted)"

# --- monitor: count, drop nothing ------------------------------------------
gw set mode monitor
reset_all
ip netns exec "$attacker" svmap -q -m INVITE "$SG_PHONE4" >/dev/null 2>&1
ip netns exec "$attacker" svmap -q -6 -m INVITE "$SG_PHONE6" >/dev/null 2>&1
ip netns exec "$attacker" svwar -q -m INVITE -e100-104 --force "$SG_PHONE4" >/dev/null 2>&1
sent=$(nft_count "$attacker" attacker sent)
check "monitor: the scanners sent something" test "$sent" -ge 3
expect_eq "monitor: every scanner packet reached the phone" "$sent" "$(nft_count "$phone" phone attacker_in)"
expect_eq "monitor: would_drop equals what the scanners sent" "$sent" "$(stat would_drop)"
expect_eq "monitor: drop_untrusted equals it too" "$sent" "$(stat drop_untrusted)"
expect_eq "monitor: dropped stays 0" 0 "$(stat dropped)"

# --- the phone's own REGISTER: guard the WAN only ---------------------------
gw set mode enforce
gw allow del 192.0.2.128/25
gw allow del 2001:db8:100::/64
ip netns exec "$registrar" nft -f - <<-NFT
	table inet registrar {
		counter from_phone {}
		chain input {
			type filter hook input priority 0;
			ip saddr $SG_PHONE4 udp dport 5060 @ih,0,64 0x5245474953544552 counter name from_phone
		}
	}
NFT
register() {
	printf 'REGISTER sip:%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:5070;branch=z9hG4bK-%s\r\nFrom: <sip:100@%s>;tag=1\r\nTo: <sip:100@%s>\r\nCall-ID: reg-%s\r\nCSeq: 1 REGISTER\r\nContact: <sip:100@%s:5070>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' \
		$SG_REGISTRAR4 $SG_PHONE4 $RANDOM $SG_REGISTRAR4 $SG_REGISTRAR4 $RANDOM $SG_PHONE4 |
		udp_send_msg "$phone" $SG_REGISTRAR4 5060 5070
}
register
expect_eq "guard all, LAN untrusted: the phone's REGISTER is dropped" 0 "$(nft_count "$registrar" registrar from_phone)"
gw set guard wan0
register
expect_eq "guard wan0: the phone's REGISTER goes out" 1 "$(nft_count "$registrar" registrar from_phone)"
check "guard wan0: it was counted as arriving on an unguarded interface" test "$(stat unguarded_iface)" -ge 1
reset_all
ip netns exec "$attacker" svmap -q -m INVITE "$SG_PHONE4" >/dev/null 2>&1
expect_eq "guard wan0: the scanner is still dropped on wan0" 0 "$(nft_count "$phone" phone attacker_in)"

# --- runtime allowlist changes -----------------------------------------------
reset_all
gw allow del $SG_REGISTRAR4
check_fails "registrar removed: its call fails at once" sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 1
expect_eq "registrar removed: its INVITE never reached the phone" 0 "$(nft_count "$phone" phone registrar_in)"
gw allow add $SG_REGISTRAR4
check "registrar added back: its call completes" sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 1
gw allow flush
expect_eq "flush: the allowlist is empty" 0 "$(gw allow list | wc -l)"
check_fails "flush: the registrar's call fails" sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 1
printf '# provider\n%s\n%s port 5060\n' $SG_REGISTRAR4 $SG_REGISTRAR6 | gw allow replace -
expect_eq "replace: the new list is in place" "$SG_REGISTRAR4/32;$SG_REGISTRAR6/128 port 5060" \
	"$(gw allow list | paste -sd';')"
check "replace: the registrar's call completes again (v4)" sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 1
check "replace: ... and from port 5060 over v6" sg_call "$registrar" $SG_REGISTRAR6 $SG_PHONE6 1

sg_exit
