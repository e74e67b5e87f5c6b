#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Registrar learning with phones and registrars on other ports than 5060,
# on lib.sh's home gateway scene (`set mode enforce learn on`):
#  - a phone whose own SIP port is not guarded (5062, 5070, a random high
#    port) is confirmed by the 2xx sent to that port, not left provisional;
#  - a registrar taking REGISTERs on 5080 (guarded too) whose INVITEs come
#    from its 5060 is trusted: a server is its address.

source "$(dirname "$0")/sg_learn_lib.sh"

check "set mode enforce learn on" gw set mode enforce learn on

info "phones whose SIP port is not guarded"
for port in 5060 5062 5070 $((40000 + RANDOM % 20000)); do
	gw set learn off >/dev/null && gw set learn on learn-max 16 >/dev/null
	before=$(stat learn_confirmed)
	check "phone ${P[4]} registers from port $port" reg ${P[4]} "$port" 3600
	expect_eq "... and is confirmed by the 2xx to port $port" 1 $(($(stat learn_confirmed) - before))
	check_fails "... not left provisional" bash -c "ip netns exec $gw $SIPGUARDCTL allow list | grep -q provisional"
done

info "a registrar on 5080 that calls from 5060"
gw set learn off >/dev/null && gw set learn on ports 5060,5080 >/dev/null
RPORT=5080 check "the phone registers with the registrar's port 5080" reg ${P[5]} 5060 3600
expect_eq "the registrar is learned" 1 "$(learned)"
check "its call from port 5060 rings" call ${P[5]}


sg_exit
