#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the learning tests with several phones (sourced): lib.sh's
# scene, with ten phone addresses 192.0.2.130-139 in the phone namespace
# (${P[@]}), each answering calls while one is made, and a registrar that
# answers one REGISTER at a time.

source "$(dirname "$0")/lib.sh"
require_cmd sipp nft
sipp_dir=$(cd "$(dirname "$0")/sipp" && pwd)

sg_scene
stat() { sg_stat "$gw" "$1"; }
learned() { gw allow list | grep -c "learned"; }
P=(192.0.2.130 192.0.2.131 192.0.2.132 192.0.2.133 192.0.2.134
   192.0.2.135 192.0.2.136 192.0.2.137 192.0.2.138 192.0.2.139)
for a in "${P[@]:1}"; do
	echo "addr add $a/25 dev p0"
done | ns_batch "$phone" || { fail "phone addresses"; sg_exit; }

# reg ADDR PORT EXPIRES [BINDINGS]: the phone at ADDR:PORT registers for
# EXPIRES s with the registrar at its port $RPORT (default 5060), from a
# stand-in registrar that answers this one REGISTER.  The 200 OK echoes the
# phone's Contact granting EXPIRES, or, with BINDINGS, lists exactly those
# (a registrar's every binding of the AOR).
reg() {
	local addr=$1 port=$2 exp=$3 rport=${RPORT:-5060} pid rc
	local scen=registrar.xml keys=(-key granted "$3")
	if [ -n "${4:-}" ]; then
		scen=registrar_bindings.xml
		keys=(-key bindings "$4")
	fi
	ip netns exec "$registrar" timeout -k 3 30 sipp -sf "$sipp_dir/$scen" -i $SG_REGISTRAR4 \
		-p "$rport" "${keys[@]}" -m 1 -nostdin >/dev/null 2>&1 &
	pid=$!
	sg_udp_listening "$registrar" $SG_REGISTRAR4 "$rport" ||
		info "the registrar does not listen on $rport after 10 s"
	ip netns exec "$phone" timeout -k 3 30 sipp -sf "$sipp_dir/register.xml" -i "$addr" -p "$port" \
		-key expires "$exp" -m 1 -nostdin -timeout 15s -timeout_error \
		$SG_REGISTRAR4:"$rport" >/dev/null 2>&1
	rc=$?
	sg_stop "$pid"
	return $rc
}
# b ADDR EXPIRES: one binding as the registrar lists it.
b() { echo "<sip:100@$1:5060>;expires=$2"; }
# call ADDR: one call from the registrar to the phone at ADDR; says why not.
# The phone's UAS (on 5060) runs for the call only: ten idle sipp UASes wake
# ~8,500 times a second between them, which starved a debug kernel's guest
# until registrations failed.  A loaded TCG host may take more than 5 s to
# answer.
SG_CALL_WAIT=${SG_CALL_WAIT:-10}
call() {
	local log=/tmp/sg-learn-call.log uas rc=0
	ip netns exec "$phone" sipp -sn uas -i "$1" -p 5060 -m 1 -nostdin >/dev/null 2>&1 &
	uas=$!
	sg_udp_listening "$phone" "$1" 5060 || info "the phone's UAS does not listen on $1:5060"
	sg_call "$registrar" $SG_REGISTRAR4 "$1" 1 $log || rc=1
	sg_stop $uas
	[ $rc = 0 ] && return 0
	info "call to $1 did not complete: drop_untrusted $(stat drop_untrusted)," \
		"$(cat $log.err 2>/dev/null | grep -v '^$' | head -3 | tr '\n' ' ')"
	return 1
}
left() { gw allow list | sed -n "s|^$SG_REGISTRAR4/32\( port [0-9]*\)\? learned \([0-9]*\)s$|\2|p"; }

