#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Registrar learning on the home gateway of lib.sh's scene, set up with the
# one line `sipguardctl set mode enforce learn on` and no allowlist:
#  - before the phone registers, the registrar's calls are dropped;
#  - the phone (sipp) registers through the gateway with the registrar
#    (sipp): the registrar is learned, its calls ring, the scanner's do not;
#  - a forged 2xx from the scanner teaches nothing;
#  - an unregister (Expires: 0) forgets the registrar at once;
#  - a registration that lapses is forgotten when it lapses.

source "$(dirname "$0")/lib.sh"
require_cmd sipp nft svmap
sipp_dir=$(cd "$(dirname "$0")/sipp" && pwd)

sg_scene
stat() { sg_stat "$gw" "$1"; }

# register EXPIRES [quick]: the registrar answers one REGISTER from the
# phone's port 5060 (its call-answering sipp steps aside meanwhile, and comes
# back unless "quick").
register() {
	sg_phone_stop
	ip netns exec "$registrar" timeout 30 sipp -sf "$sipp_dir/registrar.xml" -i $SG_REGISTRAR4 \
		-p 5060 -key granted "$1" -m 1 -nostdin -bg >/dev/null 2>&1
	sleep 0.3
	ip netns exec "$phone" timeout 30 sipp -sf "$sipp_dir/register.xml" -i $SG_PHONE4 -p 5060 \
		-key expires "$1" -m 1 -nostdin -timeout 15s -timeout_error \
		$SG_REGISTRAR4:5060 >/dev/null 2>&1
	local rc=$?
	ip netns pids "$registrar" | xargs -r kill 2>/dev/null
	if [ "${2:-}" != quick ]; then
		sg_phone_start
		sleep 0.3
	fi
	return $rc
}
learned() { gw allow list | grep -c "learned"; }

check "the one-line setup: set mode enforce learn on" gw set mode enforce learn on
check "show says the default routes' interfaces are guarded" \
	bash -c "ip netns exec $gw $SIPGUARDCTL show | grep -q 'guard: the default routes'"
sg_phone_start
sleep 0.3

check_fails "before any registration the registrar's call is dropped" \
	sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 1
expect_eq "nothing learned yet" 0 "$(learned)"

check "the phone registers through the gateway (3600 s)" register 3600
expect_eq "the registrar is learned" 1 "$(learned)"
check "allow list shows it, trusted on any port, with its time left" \
	bash -c "ip netns exec $gw $SIPGUARDCTL allow list | grep -Eq '^$SG_REGISTRAR4/32 learned (3[0-9]{3})s$'"
check_fails "showconf leaves the learned registrar out (state, not configuration)" \
	bash -c "ip netns exec $gw $SIPGUARDCTL showconf | grep -q '$SG_REGISTRAR4'"
expect_eq "one REGISTER seen, one confirmed" "1 1" "$(stat learn_register) $(stat learn_confirmed)"
nft_reset "$phone" phone
check "the learned registrar's call completes" sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 2
check "... counted as pass_learned" test "$(stat pass_learned)" -ge 6
ip netns exec "$attacker" svmap -q -m INVITE $SG_PHONE4 >/dev/null 2>&1
expect_eq "the scanner's INVITE still does not ring" 0 "$(nft_count "$phone" phone attacker_invites)"

# A 200 OK for a REGISTER, sent by the scanner to the phone.
printf 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-1\r\nFrom: <sip:100@%s>;tag=1\r\nTo: <sip:100@%s>;tag=2\r\nCall-ID: 1-1@%s\r\nCSeq: 1 REGISTER\r\nContact: <sip:100@%s>;expires=3600\r\nContent-Length: 0\r\n\r\n' \
	$SG_PHONE4 $SG_ATTACKER4 $SG_ATTACKER4 $SG_PHONE4 $SG_PHONE4 | udp_send_msg "$attacker" $SG_PHONE4 5060 5060
expect_eq "a forged 2xx from the scanner teaches nothing" 1 "$(learned)"
check_fails "... and the scanner is not trusted" bash -c "ip netns exec $gw $SIPGUARDCTL allow list | grep -q $SG_ATTACKER4"

check "the phone unregisters (Expires: 0)" register 0
expect_eq "the unregister forgets the registrar at once" 0 "$(learned)"
expect_eq "... counted" 1 "$(stat learn_forgotten)"
check_fails "... and its calls are dropped again" sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 1

# The grant is 10 s + 5 s of margin from the 200 OK.  A slow (debug) kernel
# may spend seconds between sending the REGISTER and reading the list, so
# the lower bound allows for the time that actually elapsed in between.
t0=$(date +%s)
check "the phone registers for 10 s" register 10 quick
left=$(ip netns exec "$gw" "$SIPGUARDCTL" allow list | sed -n 's/.* learned \([0-9]*\)s$/\1/p')
spent=$(($(date +%s) - t0))
check "trusted for the 10 s granted + 5 s of margin (${left:-none} s left, ${spent} s after the REGISTER)" \
	test "${left:-0}" -ge $((15 - spent - 1)) -a "${left:-99}" -le 15 -a "${left:-0}" -ge 1
sleep $((${left:-15} + 1))
expect_eq "when that time is up the registration has lapsed" 0 "$(learned)"
sg_phone_start
check_fails "... and the registrar's calls are dropped" sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 1

check "allow del forgets a learned registrar" bash -c "
	$(declare -f register sg_phone_stop sg_phone_start); phone=$phone registrar=$registrar
	SG_PHONE4=$SG_PHONE4 SG_PHONE6=$SG_PHONE6 SG_REGISTRAR4=$SG_REGISTRAR4 sipp_dir=$sipp_dir
	register 3600 && ip netns exec $gw $SIPGUARDCTL allow del $SG_REGISTRAR4 port 5060 &&
	! ip netns exec $gw $SIPGUARDCTL allow list | grep -q learned"
check "set learn off forgets everything learned" bash -c "
	ip netns exec $gw $SIPGUARDCTL set learn off && ! ip netns exec $gw $SIPGUARDCTL allow list | grep -q learned"

sg_exit
