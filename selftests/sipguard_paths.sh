#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every way SIP arrives at the gateway (topology in lib.sh):
#  - IPv6 extension headers in front of UDP; a header chain that cannot be
#    walked is BAD_L4, never passed as "not SIP";
#  - IPv4 and IPv6 fragments: a fragmented INVITE is judged whole (dropped
#    from the attacker, delivered from the registrar);
#  - TCP: strict drops untrusted connections, trusted calls flow; open parses
#    every message that starts in a segment, counts continuations;
#  - TLS ports are allowlist-only;
#  - several ports and ranges; a guarded interface deleted and re-created;
#  - a port forward added while a scan runs (what UPnP does);
#  - CRLF, STUN and empty datagrams: keepalives under open, and a trusted
#    provider's keepalives always pass.

source "$(dirname "$0")/lib.sh"
require_cmd sipp nft /usr/bin/python3 ping
/usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "python3-scapy not installed"

sg_scene phone
stat() { sg_stat "$gw" "$1"; }
craft() { local ns=$1; shift; ip netns exec "$ns" /usr/bin/python3 "$(dirname "$0")/sg_send.py" "$@"; }
att_in() { nft_count "$phone" phone attacker_in; }
reg_inv() { nft_count "$phone" phone invites; }
reset_all() { gw stats reset >/dev/null; nft_reset "$phone" phone; }

gw set mode enforce policy strict guard wan0
gw allow add $SG_REGISTRAR4
gw allow add $SG_REGISTRAR6

# --- IPv6 extension headers -------------------------------------------------
reset_all
craft "$attacker" exthdr6 $SG_ATTACKER6 $SG_PHONE6
expect_eq "ext headers: the attacker's INVITE behind 4 extension headers is dropped" 0 "$(att_in)"
expect_eq "ext headers: ... as untrusted SIP" 1 "$(stat drop_untrusted)"
craft "$registrar" exthdr6 $SG_REGISTRAR6 $SG_PHONE6
expect_eq "ext headers: the registrar's INVITE behind them arrives" 1 "$(reg_inv)"
craft "$attacker" badext6 $SG_ATTACKER6 $SG_PHONE6
expect_eq "ext headers: a chain running past the packet is bad_l4" 1 "$(stat bad_l4)"

# --- fragments ----------------------------------------------------------------
for fam in 4 6; do
	eval "a=\$SG_ATTACKER$fam r=\$SG_REGISTRAR$fam p=\$SG_PHONE$fam"
	reset_all
	n=$(craft "$attacker" frag $a $p)
	check "IPv$fam fragments: the INVITE went out in $n fragments" test "${n:-0}" -ge 3
	expect_eq "IPv$fam fragments: nothing of the attacker's INVITE reached the phone" 0 "$(att_in)"
	expect_eq "IPv$fam fragments: judged once, whole" 1 "$(stat drop_untrusted)"
	craft "$registrar" frag $r $p >/dev/null
	expect_eq "IPv$fam fragments: the registrar's INVITE arrived whole" 1 "$(reg_inv)"
	expect_eq "IPv$fam fragments: ... judged once, trusted" 1 "$(stat pass_trusted)"
done

# --- TCP ----------------------------------------------------------------------
ip netns exec "$phone" sipp -sn uas -t t1 -i $SG_PHONE4 -p 5060 -bg -nostdin >/dev/null 2>&1
sleep 0.5
reset_all
check "TCP strict: a registrar call over TCP completes" \
	ip netns exec "$registrar" timeout 60 sipp -sn uac -t t1 -i $SG_REGISTRAR4 -m 1 -nostdin \
		-timeout 30s -timeout_error -recv_timeout 5s $SG_PHONE4:5060 >/dev/null 2>&1
check_fails "TCP strict: the attacker cannot connect" craft "$attacker" tcp2 $SG_ATTACKER4 $SG_PHONE4 2>/dev/null
expect_eq "TCP strict: no pass_open" 0 "$(stat pass_open)"
gw set policy open
reset_all
craft "$attacker" tcp2 $SG_ATTACKER4 $SG_PHONE4 2>/dev/null
expect_eq "TCP open: both OPTIONS of one segment were parsed" 2 "$(stat method_options)"
check "TCP open: the handshake and ACKs passed" test "$(stat pass_open)" -ge 2
check "TCP open: a segment not starting a message counted as continuation" \
	test "$(stat tcp_continuation)" -ge 1
gw set policy strict

# --- TLS ports ------------------------------------------------------------------
reset_all
craft "$attacker" crlf $SG_ATTACKER4 $SG_PHONE4 5061
tcp_try "$attacker" $SG_PHONE4 5061
craft "$registrar" crlf $SG_REGISTRAR4 $SG_PHONE4 5061
check "TLS: untrusted UDP and TCP to 5061 dropped" test "$(stat drop_tls)" -ge 2
expect_eq "TLS: the registrar passes" 1 "$(stat pass_trusted)"
expect_eq "TLS: nothing was parsed" 0 "$(stat keepalive)"

# --- several ports, interfaces by name ----------------------------------------------
gw set ports 5060,5080,5160-5170
reset_all
for port in 5080 5160 5165 5170 5171 5159; do
	craft "$attacker" crlf $SG_ATTACKER4 $SG_PHONE4 $port
done
expect_eq "ports: 5080, 5160, 5165, 5170 guarded; 5159 and 5171 not" 4 "$(stat drop_untrusted)"
gw set ports 5060
ip -n "$gw" link del wan0
veth_link "$inet" i2 "$gw" wan0
ip -n "$inet" addr add 192.0.2.126/25 dev i2
ip -n "$inet" addr add 2001:db8:1::fe/64 dev i2 nodad
ip -n "$inet" route add 192.0.2.128/25 via $SG_WAN4
ip -n "$gw" addr add $SG_WAN4/25 dev wan0
ip -n "$gw" addr add $SG_WAN6/64 dev wan0 nodad
ip -n "$gw" route add default via 192.0.2.126
ip netns exec "$attacker" ping -qc1 -W2 $SG_PHONE4 >/dev/null
reset_all
craft "$attacker" crlf $SG_ATTACKER4 $SG_PHONE4
expect_eq "interfaces: wan0 deleted and re-created (new ifindex) is still guarded" 1 "$(stat drop_untrusted)"
expect_eq "interfaces: ... nothing reached the phone" 0 "$(att_in)"

# --- a port forward added while the scan runs (UPnP) --------------------------------
ip netns exec "$gw" nft flush chain ip nat prerouting
reset_all
nft_reset "$attacker" attacker
craft "$attacker" burst $SG_ATTACKER4 $SG_WAN4 &
sender=$!
sleep 1
ip netns exec "$gw" nft add rule ip nat prerouting ip daddr $SG_WAN4 udp dport 5060 dnat to $SG_PHONE4
wait $sender
expect_eq "UPnP: all 30 probes to the WAN address were judged" 30 "$(stat drop_untrusted)"
expect_eq "UPnP: none reached the phone after the forward appeared" 0 "$(att_in)"

# --- keepalives -------------------------------------------------------------------
gw set policy open
reset_all
for k in crlf stun empty; do craft "$attacker" $k $SG_ATTACKER4 $SG_PHONE4; done
expect_eq "open: CRLF, STUN and empty datagrams are keepalives" 3 "$(stat keepalive)"
expect_eq "open: ... and reach the phone" 3 "$(att_in)"
gw set policy strict
reset_all
for k in crlf stun empty; do craft "$registrar" $k $SG_REGISTRAR4 $SG_PHONE4; done
expect_eq "strict: the provider's keepalives pass as trusted" 3 "$(stat pass_trusted)"
for k in crlf stun; do craft "$attacker" $k $SG_ATTACKER4 $SG_PHONE4; done
expect_eq "strict: an untrusted keepalive is dropped like any SIP" 2 "$(stat drop_untrusted)"

sg_exit
