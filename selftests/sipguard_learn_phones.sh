#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Registrar learning with several phones, on lib.sh's home gateway scene
# (`set mode enforce learn on`, no allowlist).  The phone namespace holds
# ten phones, 192.0.2.130-139 on its one link, all binding the same
# address-of-record (100@registrar), as desk phones of one extension do:
#  - two phones register; one unregisters: the other's calls still ring;
#  - the registrar's 2xx lists every binding of the AOR (one of them a
#    softphone elsewhere): each phone gets the lifetime of its own Contact,
#    not the first one listed; the server is forgotten with the last
#    registration behind the gateway, unregistered or lapsed;
#  - ten phones register; two unregister (a registrar that leaves the gone
#    binding out, one that echoes it with expires=0), one lapses: the
#    others' calls ring throughout; learn-max counts servers, not phones.
# sipguard_learn_ports.sh has the phones and registrars on other ports.

source "$(dirname "$0")/sg_learn_lib.sh"

check "set mode enforce learn on" gw set mode enforce learn on

info "two phones, one AOR"
A=${P[0]} B=${P[1]} C=${P[2]}
check "phone A registers (3600 s)" reg $A 5060 3600
check "phone B registers (3600 s; the 2xx lists A's binding first)" \
	reg $B 5060 3600 "$(b $A 3600), $(b $B 3600)"
expect_eq "two registrations confirmed, one server learned" "2 1" "$(stat learn_confirmed) $(learned)"
check "allow list shows the server, trusted on any port" \
	bash -c "ip netns exec $gw $SIPGUARDCTL allow list | grep -Eq '^$SG_REGISTRAR4/32 learned 3[0-9]{3}s$'"
check "A's call rings" call $A
check "B's call rings" call $B
check "phone A unregisters (Expires: 0, echoed with expires=0)" reg $A 5060 0
expect_eq "A's registration is forgotten" 1 "$(stat learn_forgotten)"
expect_eq "the server stays learned for B" 1 "$(learned)"
check "B's call still rings after A's unregister" call $B

info "a lapse, with the phone's binding not listed first"
# X: the AOR's binding elsewhere (a softphone outside), never behind the gateway.
X=203.0.113.5
check "phone B unregisters; the 2xx lists only the binding elsewhere" reg $B 5060 0 "$(b $X 3600)"
expect_eq "the server goes with the last registration behind the gateway" 0 "$(learned)"
check "phone C registers for 20 s (the 2xx lists the binding elsewhere first, for an hour)" \
	reg $C 5060 20 "$(b $X 3600), $(b $C 20)"
l=$(left)
check "the server is trusted for C's 20 s + 10 s, not for the hour listed first (${l:-none} s left)" \
	test "${l:-0}" -ge 1 -a "${l:-99}" -le 30
check "C's call rings" call $C
sleep $((${l:-30} + 1))
expect_eq "when C's registration lapses, the server is forgotten" 0 "$(learned)"
check_fails "... and its calls are dropped" call $C

info "ten phones"
before=$(stat learn_confirmed)
for a in "${P[@]}"; do
	check "phone $a registers" reg "$a" 5060 3600
done
expect_eq "ten registrations confirmed" 10 $(($(stat learn_confirmed) - before))
expect_eq "one server learned" 1 "$(learned)"
all=""
for a in "${P[@]:1}"; do all+="${all:+, }$(b "$a" 3600)"; done
check "phone ${P[0]} unregisters; the 2xx lists the nine others, not it" reg ${P[0]} 5060 0 "$all"
check "phone ${P[1]} unregisters (echoed with expires=0)" reg ${P[1]} 5060 0
rest=""
for a in "${P[@]:3}"; do rest+=", $(b "$a" 3600)"; done
for a in ${P[2]} ${P[5]} ${P[9]}; do
	check "after two unregisters phone $a's call rings" call "$a"
done
check "phone ${P[2]} re-registers for 5 s, listed last" reg ${P[2]} 5060 5 "${rest#, }, $(b ${P[2]} 5)"
sleep 9
for a in ${P[3]} ${P[9]}; do
	check "after two unregisters and a lapse phone $a's call rings" call "$a"
done
l=$(left)
check "the server is still trusted for an hour (${l:-none} s left)" test "${l:-0}" -ge 3000

info "learn-max counts servers"
check "learn-max 1" gw set learn-max 1
check "a phone registers again with the learned server" reg ${P[3]} 5060 3600
full=$(stat learn_full)
expect_eq "... without learn_full" 0 "$full"

sg_exit
