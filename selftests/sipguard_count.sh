#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A SIP packet forwarded by a gateway is counted once, in the gateway's
# namespace, over IPv4 and IPv6, UDP and TCP; a DNS packet is not counted.
#
#   client                 gateway                      server
#   192.0.2.1/24     c0 -- g0 192.0.2.254/24
#   2001:db8:1::1/64          2001:db8:1::fe/64
#                             198.51.100.254/24  g1 -- s0  198.51.100.1/24
#                             2001:db8:2::fe/64            2001:db8:2::1/64

source "$(dirname "$0")/lib.sh"
require_cmd ping

sg_module_load || { fail "module load"; sg_exit; }
setup_ns client gw server
veth_link "$client" c0 "$gw" g0
veth_link "$gw" g1 "$server" s0
ip -n "$client" addr add 192.0.2.1/24 dev c0
ip -n "$client" addr add 2001:db8:1::1/64 dev c0 nodad
ip -n "$client" route add default via 192.0.2.254
ip -n "$client" -6 route add default via 2001:db8:1::fe
ip -n "$gw" addr add 192.0.2.254/24 dev g0
ip -n "$gw" addr add 2001:db8:1::fe/64 dev g0 nodad
ip -n "$gw" addr add 198.51.100.254/24 dev g1
ip -n "$gw" addr add 2001:db8:2::fe/64 dev g1 nodad
ip -n "$server" addr add 198.51.100.1/24 dev s0
ip -n "$server" addr add 2001:db8:2::1/64 dev s0 nodad
ip -n "$server" route add default via 198.51.100.254
ip -n "$server" -6 route add default via 2001:db8:2::fe
ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# Neighbour resolution first, so nothing below is lost to it.
ip netns exec "$client" ping -qc1 -W2 198.51.100.1 >/dev/null
ip netns exec "$client" ping -qc1 -W2 2001:db8:2::1 >/dev/null
ip netns exec "$gw" "$SIPGUARDCTL" stats reset >/dev/null

udp_send "$client" 198.51.100.1 5060
expect_eq "IPv4 UDP to 5060 counted once at the gateway" 1 "$(sg_stat "$gw" sip_udp)"
expect_eq "... as IPv4" 1 "$(sg_stat "$gw" sip_ipv4)"

udp_send "$client" 198.51.100.1 53
expect_eq "IPv4 UDP to 53 not counted" 1 "$(sg_stat "$gw" sip_udp)"

udp_send "$client" 2001:db8:2::1 5060
udp_send "$client" 2001:db8:2::1 53
expect_eq "IPv6 UDP to 5060 counted once, to 53 not" 2 "$(sg_stat "$gw" sip_udp)"
expect_eq "... as IPv6" 1 "$(sg_stat "$gw" sip_ipv6)"

# The server refuses with a RST, so exactly one SYN crosses the gateway.
tcp_try "$client" 198.51.100.1 5060
tcp_try "$client" 2001:db8:2::1 5060
tcp_try "$client" 198.51.100.1 53
expect_eq "TCP SYNs to 5060 counted, one per family" 2 "$(sg_stat "$gw" sip_tcp)"
expect_eq "server counted what it received: 2 UDP" 2 "$(sg_stat "$server" sip_udp)"
expect_eq "client counted nothing (nothing came to its port 5060)" 0 "$(sg_stat "$client" sip_udp)"

sg_exit
