#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A kernel booted with ipv6.disable=1, as many home routers are: the module
# loads, README's home-gateway line (`set mode enforce learn on`) works, a
# LAN phone's REGISTER teaches, the WAN is found from the IPv4 routes alone,
# a scanner's INVITE is dropped, and the module unloads; no oops anywhere.
# Skipped on a kernel with IPv6 (`make check` boots one without for it).

source "$(dirname "$0")/lib.sh"

[ -d /proc/sys/net/ipv6 ] && skip "IPv6 is enabled (boot with ipv6.disable=1)"

setup_ns gw wan lan || exit $KSFT_FAIL
veth_link "$gw" wan0 "$wan" eth0 && veth_link "$gw" lan0 "$lan" eth0 || exit $KSFT_FAIL
ip -n "$gw" addr add 192.0.2.1/30 dev wan0 && ip -n "$wan" addr add 192.0.2.2/30 dev eth0 &&
	ip -n "$gw" addr add 192.0.2.129/25 dev lan0 && ip -n "$lan" addr add 192.0.2.130/25 dev eth0 &&
	ip -n "$gw" route add default via 192.0.2.2 dev wan0 || exit $KSFT_FAIL

check "the module loads without IPv6" sg_module_load
g() { ip netns exec "$gw" "$SIPGUARDCTL" "$@"; }
stat() { sg_stat "$gw" "$1"; }

check "set mode enforce learn on" g set mode enforce learn on
found=0
for i in $(seq 50); do
	g -j show | grep -q '"state":"found"' && { found=1; break; }
	sleep 0.1
done
expect_eq "the WAN is found from the IPv4 default route" 1 "$found"
check "show names wan0" bash -c "ip netns exec $gw $SIPGUARDCTL show | grep -q \"learning): wan0\$\""

# The phone's REGISTER leaves by the LAN: it must teach, not crash.
printf 'REGISTER sip:198.51.100.10 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.130:5060;branch=z9hG4bK-1\r\nFrom: <sip:100@198.51.100.10>;tag=1\r\nTo: <sip:100@198.51.100.10>\r\nCall-ID: noipv6-1@192.0.2.130\r\nCSeq: 1 REGISTER\r\nContact: <sip:100@192.0.2.130:5060>\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n' |
	udp_send_msg "$lan" 192.0.2.129 5060 5060
sleep 0.3
expect_eq "the phone's REGISTER is seen from the LAN" 1 "$(stat learn_register)"

d0=$(stat drop_untrusted)
udp_send "$wan" 192.0.2.1 5060
sleep 0.3
expect_eq "an untrusted datagram on the WAN is dropped" "$((d0 + 1))" "$(stat drop_untrusted)"

check "the module unloads" sg_module_unload
sg_exit
