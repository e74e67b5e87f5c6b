#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Which interfaces are guarded, on gateways as they are, not as a lab is:
#  - `guard NAME` follows the name: renames (longer, shorter, back) and a
#    delete + re-create;
#  - with `learn on` and no list, the WAN comes from the default routes,
#    recomputed when routes change: one uplink, ECMP over two, a default over
#    a point-to-point "VPN" link, policy routing (a second table), IPv6 only,
#    a blackhole default, and no default route at all (every interface
#    guarded, and `show` says why);
#  - a broken UDP header is bad_l4 only on a guarded interface.
#
#   pw  192.0.2.2   2001:db8:1::2  -- wan0 \
#   pw2 192.0.2.6   2001:db8:2::2  -- wan1  gw (sipguard, learn on)
#   pv  198.51.100.2               -- vpn0 /
#   pl  192.0.2.130 2001:db8:100::130 -- lan0

source "$(dirname "$0")/lib.sh"

setup_ns gw pw pw2 pv pl || exit $KSFT_FAIL
veth_link "$gw" wan0 "$pw" eth0 && veth_link "$gw" wan1 "$pw2" eth0 &&
	veth_link "$gw" vpn0 "$pv" eth0 && veth_link "$gw" lan0 "$pl" eth0 || exit $KSFT_FAIL
ns_batch "$gw" <<-EOF || exit $KSFT_FAIL
	addr add 192.0.2.1/30 dev wan0
	addr add 2001:db8:1::1/64 dev wan0 nodad
	addr add 192.0.2.5/30 dev wan1
	addr add 2001:db8:2::1/64 dev wan1 nodad
	addr add 198.51.100.1/30 dev vpn0
	addr add 192.0.2.129/25 dev lan0
	addr add 2001:db8:100::1/64 dev lan0 nodad
EOF
for x in "$pw 192.0.2.2/30 2001:db8:1::2/64" "$pw2 192.0.2.6/30 2001:db8:2::2/64" \
	 "$pv 198.51.100.2/30 -" "$pl 192.0.2.130/25 2001:db8:100::130/64"; do
	set -- $x
	ip -n "$1" addr add "$2" dev eth0 || exit $KSFT_FAIL
	[ "$3" = - ] || ip -n "$1" addr add "$3" dev eth0 nodad || exit $KSFT_FAIL
done

# A rename on 6.1 takes the device down (see rename below): keep its IPv6
# addresses across that, as its IPv4 ones are kept.
ip netns exec "$gw" sysctl -qw net.ipv6.conf.all.keep_addr_on_down=1 \
	net.ipv6.conf.default.keep_addr_on_down=1 2>/dev/null
for d in wan0 wan1 vpn0 lan0; do
	ip netns exec "$gw" sysctl -qw net.ipv6.conf.$d.keep_addr_on_down=1 2>/dev/null
done
sg_module_load || exit $KSFT_FAIL
g() { ip netns exec "$gw" "$SIPGUARDCTL" "$@"; }
stat() { sg_stat "$gw" "$1"; }

# seen FROM_NS ADDR: how the gateway judged one SIP datagram from FROM_NS to
# its ADDR, port 5060: "guarded" or "unguarded".
seen() {
	local u0 d0 u1 d1
	u0=$(stat unguarded_iface) d0=$(stat drop_untrusted)
	udp_send "$1" "$2" 5060
	sleep 0.2
	u1=$(stat unguarded_iface) d1=$(stat drop_untrusted)
	if [ $((d1 - d0)) = 1 ] && [ "$u1" = "$u0" ]; then
		echo guarded
	elif [ $((u1 - u0)) = 1 ] && [ "$d1" = "$d0" ]; then
		echo unguarded
	else
		echo "unclear (unguarded_iface +$((u1 - u0)), drop_untrusted +$((d1 - d0)))"
	fi
}
# The four links as the gateway judges them now: wan0 wan1 vpn0 lan0.
links() {
	echo "$(seen "$pw" 192.0.2.1) $(seen "$pw2" 192.0.2.5) $(seen "$pv" 198.51.100.1) $(seen "$pl" 192.0.2.129)"
}
# wait_wan STATE: the gateway's WAN computation has caught up (it runs in a
# work item right after a route change; a slow VM may take a moment).
wait_wan() {
	local i
	for i in $(seq 50); do
		g -j show | grep -q "\"state\":\"$1\"" && return 0
		sleep 0.1
	done
	return 1
}
route() { ip -n "$gw" "$@"; }
# rename OLD NEW: as udev or a container runtime would; kernels before 6.2
# refuse to rename a device that is up, so it goes down for it there.
rename() {
	ip -n "$gw" link set "$1" name "$2" 2>/dev/null && return 0
	ip -n "$gw" link set "$1" down && ip -n "$gw" link set "$1" name "$2" &&
		ip -n "$gw" link set "$2" up
}
there_and_back() { rename "$1" "$2" && rename "$2" "$1"; }

# --- By name --------------------------------------------------------------
check "guard wan0 by name" g set guard wan0
expect_eq "wan0 guarded, the others not" "guarded unguarded unguarded unguarded" "$(links)"
check "rename wan0 to wanverylong01 and back" there_and_back wan0 wanverylong01
expect_eq "renamed to a longer name and back: wan0 still guarded" \
	"guarded unguarded unguarded unguarded" "$(links)"
check "rename wan0 to w0" rename wan0 w0
expect_eq "renamed to a shorter name w0: not guarded (the list says wan0)" \
	"unguarded unguarded unguarded unguarded" "$(links)"
check "rename w0 to wan0" rename w0 wan0
expect_eq "and back to wan0: guarded again" "guarded unguarded unguarded unguarded" "$(links)"
check "rename lan0 to wan0x and back" there_and_back lan0 wan0x
expect_eq "lan0 renamed through wan0x: still not guarded" \
	"guarded unguarded unguarded unguarded" "$(links)"
ip -n "$gw" link del wan0
veth_link "$gw" wan0 "$pw" eth0 && ip -n "$gw" addr add 192.0.2.1/30 dev wan0 &&
	ip -n "$gw" addr add 2001:db8:1::1/64 dev wan0 nodad &&
	ip -n "$pw" addr add 192.0.2.2/30 dev eth0 && ip -n "$pw" addr add 2001:db8:1::2/64 dev eth0 nodad
expect_eq "wan0 deleted and re-created: guarded" "guarded unguarded unguarded unguarded" "$(links)"

# --- The WAN from the default routes --------------------------------------
check "learn on, no interface list" g set guard all learn on
check "no default route: the WAN cannot be told" wait_wan none
expect_eq "... so every interface is guarded" "guarded guarded guarded guarded" "$(links)"
check "... and show says so" bash -c "ip netns exec $gw $SIPGUARDCTL show | grep -q 'guard: all (but lo): learning, but no default route'"

route route add default via 192.0.2.2 dev wan0
check "a default route over wan0" wait_wan found
expect_eq "only wan0 is guarded" "guarded unguarded unguarded unguarded" "$(links)"
check "show names it" bash -c "ip netns exec $gw $SIPGUARDCTL show | grep -q \"guard: the default routes' interfaces (learning): wan0\$\""
check "rename the uplink wan0 to uplink0" rename wan0 uplink0
route route replace default via 192.0.2.2 dev uplink0
sleep 0.5
expect_eq "the uplink renamed: still guarded" "guarded unguarded unguarded unguarded" "$(links)"
check "... and show names it uplink0" bash -c "ip netns exec $gw $SIPGUARDCTL show | grep -q \"learning): uplink0\$\""
check "rename it back to wan0" rename uplink0 wan0
route route replace default via 192.0.2.2 dev wan0

route route replace default nexthop via 192.0.2.2 dev wan0 nexthop via 192.0.2.6 dev wan1
sleep 0.5
expect_eq "ECMP over wan0 and wan1: both guarded" "guarded guarded unguarded unguarded" "$(links)"

route route replace default dev vpn0
sleep 0.5
expect_eq "the default over a point-to-point VPN link: vpn0 guarded" \
	"unguarded unguarded guarded unguarded" "$(links)"

route route replace default via 192.0.2.2 dev wan0
route route add default dev vpn0 table 100
route rule add from 192.0.2.128/25 table 100
sleep 0.5
expect_eq "policy routing: main via wan0, table 100 via vpn0: both guarded" \
	"guarded unguarded guarded unguarded" "$(links)"
route rule del from 192.0.2.128/25 table 100
route route del default table 100

route route del default
route -6 route add default via 2001:db8:2::2 dev wan1
sleep 0.5
check "IPv6 only: the WAN is found" wait_wan found
expect_eq "IPv6-only uplink wan1: guarded" "unguarded guarded unguarded unguarded" "$(links)"
check "an IPv6 ECMP default over wan0 and wan1" \
	route -6 route replace default nexthop via 2001:db8:1::2 dev wan0 nexthop via 2001:db8:2::2 dev wan1
sleep 0.5
expect_eq "IPv6 ECMP over wan0 and wan1: both guarded" "guarded guarded unguarded unguarded" "$(links)"
route -6 route del default
route nexthop add id 1 via 192.0.2.2 dev wan0 && route nexthop add id 2 via 192.0.2.6 dev wan1 &&
	route nexthop add id 10 group 1/2 && route route add default nhid 10
sleep 0.5
expect_eq "a nexthop-object group over wan0 and wan1: both guarded" "guarded guarded unguarded unguarded" "$(links)"
route route del default
route nexthop flush >/dev/null

route route add blackhole default
check "a blackhole default only: no WAN" wait_wan none
expect_eq "... every interface guarded" "guarded guarded guarded guarded" "$(links)"
route route del blackhole default

# --- bad_l4: judged only where the guard is --------------------------------
check "guard wan0 again" g set guard wan0
# A UDP header whose length runs past the packet, from the LAN and the WAN.
bad_udp() {
	ip netns exec "$1" /usr/bin/python3 -c '
import sys
from scapy.all import IP, UDP, Raw, send, conf
conf.verb = 0
send(IP(dst=sys.argv[1]) / UDP(sport=5060, dport=5060, len=400) / Raw(b"INVITE x SIP/2.0\r\n\r\n"))' "$2"
}
if command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c 'import scapy' 2>/dev/null; then
	b0=$(stat bad_l4) u0=$(stat unguarded_iface)
	bad_udp "$pl" 192.0.2.129
	sleep 0.3
	expect_eq "a broken UDP header on the unguarded LAN is not bad_l4" "$b0" "$(stat bad_l4)"
	expect_eq "... it counts as unguarded_iface" "$((u0 + 1))" "$(stat unguarded_iface)"
	bad_udp "$pw" 192.0.2.1
	sleep 0.3
	expect_eq "on the guarded WAN it is bad_l4" "$((b0 + 1))" "$(stat bad_l4)"
	# A phone's REGISTER the stack will discard (wrong UDP checksum) must
	# not teach learning; the same REGISTER with a right one does.
	reg_udp() {
		ip netns exec "$pl" /usr/bin/python3 -c '
import sys
from scapy.all import IP, UDP, Raw, send, conf
conf.verb = 0
msg = (b"REGISTER sip:198.51.100.10 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.130:5060;branch=z9hG4bK-c\r\n"
       b"From: <sip:100@198.51.100.10>;tag=1\r\nTo: <sip:100@198.51.100.10>\r\n"
       b"Call-ID: csum@192.0.2.130\r\nCSeq: 1 REGISTER\r\nContact: <sip:100@192.0.2.130:5060>\r\n"
       b"Content-Length: 0\r\n\r\n")
u = UDP(sport=5060, dport=5060)
if sys.argv[1] == "bad":
    u.chksum = 0x1234
send(IP(dst="192.0.2.129") / u / Raw(msg))' "$1"
	}
	r0=$(stat learn_register)
	reg_udp bad
	sleep 0.3
	expect_eq "a REGISTER with a wrong UDP checksum teaches nothing" "$r0" "$(stat learn_register)"
	reg_udp good
	sleep 0.3
	expect_eq "... the same REGISTER with a right one is seen" "$((r0 + 1))" "$(stat learn_register)"
	# trailing FROM_NS DST MSG: a right UDP datagram (its checksum over its
	# UDP length) with 16 bytes after it inside the IP packet: the stack
	# trims them and takes the datagram (udp_rcv), so must the guard.
	trailing() {
		ip netns exec "$1" /usr/bin/python3 -c '
import sys
from scapy.all import IP, IPv6, UDP, Raw, send, conf
conf.verb = 0
dst, msg = sys.argv[1], sys.argv[2].encode().replace(b"|", b"\r\n")
L3 = IPv6 if ":" in dst else IP
p = L3(bytes(L3(dst=dst) / UDP(sport=5060, dport=5060) / Raw(msg)))
udp = bytes(p[UDP]) + b"trailing garbage"
if L3 is IP:
    send(IP(src=p.src, dst=dst, proto=17) / Raw(udp))
else:
    send(IPv6(src=p.src, dst=dst, nh=17) / Raw(udp))' "$2" "$3"
	}
	reg="REGISTER sip:198.51.100.10 SIP/2.0|Via: SIP/2.0/UDP 192.0.2.130:5060;branch=z9hG4bK-t|From: <sip:100@198.51.100.10>;tag=1|To: <sip:100@198.51.100.10>|Call-ID: trail@192.0.2.130|CSeq: 1 REGISTER|Contact: <sip:100@192.0.2.130:5060>|Content-Length: 0||"
	r0=$(stat learn_register)
	trailing "$pl" 192.0.2.129 "$reg"
	sleep 0.3
	expect_eq "a REGISTER with bytes after its UDP length is seen" "$((r0 + 1))" "$(stat learn_register)"
	check "the open policy on wan0" g set policy open rate 20 burst 10 ban 0
	opt="OPTIONS sip:100@192.0.2.1 SIP/2.0|Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK-o|From: <sip:a@192.0.2.2>;tag=1|To: <sip:100@192.0.2.1>|Call-ID: trail-o@192.0.2.2|CSeq: 1 OPTIONS|Content-Length: 0||"
	for dst in 192.0.2.1 2001:db8:1::1; do
		b0=$(stat bad_l4) o0=$(stat pass_open)
		host=$dst
		[ "${dst#*:}" = "$dst" ] || host="[$dst]"
		trailing "$pw" $dst "${opt//192.0.2.1/$host}"
		sleep 0.3
		expect_eq "open policy: an OPTIONS to $dst with bytes after its UDP length is not bad_l4" \
			"$b0" "$(stat bad_l4)"
		expect_eq "... it passes" "$((o0 + 1))" "$(stat pass_open)"
	done
else
	info "python3-scapy missing: bad_l4 checks not run"
fi

sg_exit
