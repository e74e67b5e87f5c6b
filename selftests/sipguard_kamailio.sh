#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Several phones with one real provider: Kamailio (kamailio/registrar.cfg) as
# registrar and proxy behind the WAN, on lib.sh's home gateway scene with
# `set mode enforce learn on` and the phones' own ports guarded
# (5062-5070; 5061 is TLS), no allowlist.  The phones use ports other than 5060, each its
# own extension, over IPv4 and IPv6:
#  - each registers; Kamailio's 2xx confirms each registration; the
#    provider's calls, relayed by Kamailio from its port 5060 to each
#    phone's Contact, ring every phone (record-routed ACK and BYE too);
#  - a scanner's INVITE to a phone's port is dropped;
#  - one phone unregisters (Expires: 0): Kamailio forgets its binding,
#    sipguard forgets its registration, the other phones' calls still ring;
#  - it registers again and rings again; the last phones to unregister
#    take the provider's trust with them.

source "$(dirname "$0")/lib.sh"
require_cmd sipp kamailio
sipp_dir=$(cd "$(dirname "$0")/sipp" && pwd)
kam_cfg=$(cd "$(dirname "$0")/kamailio" && pwd)/registrar.cfg

sg_scene
stat() { sg_stat "$gw" "$1"; }
learned() { gw allow list | grep -c "learned"; }

# The phones: extension, address, SIP port.
declare -A ADDR PORT
ADDR[101]=192.0.2.131 PORT[101]=5062
ADDR[102]=192.0.2.132 PORT[102]=5064
ADDR[103]=192.0.2.133 PORT[103]=5066
ADDR[104]=2001:db8:100::134 PORT[104]=5068
ns_batch "$phone" <<-EOF || { fail "phone addresses"; sg_exit; }
addr add ${ADDR[101]}/25 dev p0
addr add ${ADDR[102]}/25 dev p0
addr add ${ADDR[103]}/25 dev p0
addr add ${ADDR[104]}/64 dev p0 nodad
EOF
# The provider's address for a phone's family.
prov() { case ${ADDR[$1]} in *:*) echo $SG_REGISTRAR6 ;; *) echo $SG_REGISTRAR4 ;; esac; }
br() { case $1 in *:*) echo "[$1]" ;; *) echo "$1" ;; esac; }

kam_pid=
kam_stop() { [ -z "$kam_pid" ] || kill "$kam_pid" 2>/dev/null; }
sg_cleanup_hooks+=(kam_stop)
declare -A uas
uas_stop_all() { local u; for u in "${uas[@]}"; do kill -KILL "$u" 2>/dev/null; done; }
sg_cleanup_hooks+=(uas_stop_all)

kam_dir=$(mktemp -d /tmp/sg-kam.XXXXXX)
ip netns exec "$registrar" kamailio -DD -E -f "$kam_cfg" -Y "$kam_dir" -P "$kam_dir/pid" \
	-w "$kam_dir" -m 32 -M 8 >"$kam_dir/log" 2>&1 &
kam_pid=$!
sg_udp_listening "$registrar" $SG_REGISTRAR4 5060 20 &&
	sg_udp_listening "$registrar" "[$SG_REGISTRAR6]" 5060 20 &&
	pass "kamailio listens on $SG_REGISTRAR4:5060 and [$SG_REGISTRAR6]:5060" ||
	{ fail "kamailio did not start: $(tail -3 "$kam_dir/log")"; sg_exit; }

check "set mode enforce learn on ports 5060,5062-5070" gw set mode enforce learn on ports 5060,5062-5070

# The phones answer calls on their own ports (a sipp UAS each).
uas_start() {
	ip netns exec "$phone" sipp -sn uas -i "${ADDR[$1]}" -p "${PORT[$1]}" -nostdin >/dev/null 2>&1 &
	uas[$1]=$!
}
uas_stop() {
	[ -z "${uas[$1]:-}" ] || sg_stop "${uas[$1]}"
	uas[$1]=
}
for e in "${!ADDR[@]}"; do uas_start "$e"; done
sleep 0.5

# reg EXT EXPIRES: the phone of extension EXT registers its Contact with
# Kamailio from its one SIP port (its UAS steps aside meanwhile).
reg() {
	local e=$1 p rc
	p=$(prov "$e")
	uas_stop "$e"
	ip netns exec "$phone" timeout -k 3 30 sipp -sf "$sipp_dir/phone_register.xml" \
		-i "${ADDR[$e]}" -p "${PORT[$e]}" -key user "$e" -key expires "$2" \
		-m 1 -nostdin -timeout 15s -timeout_error "$(br "$p"):5060" >/dev/null 2>&1
	rc=$?
	uas_start "$e"
	sleep 0.3
	return $rc
}
# call EXT: the provider calls EXT through Kamailio; true if the call
# completed (INVITE, 180/200, ACK, BYE, 200).
SG_CALL_WAIT=${SG_CALL_WAIT:-10}
call() {
	local e=$1 p log=$kam_dir/call.log w=$SG_CALL_WAIT
	p=$(prov "$e")
	ip netns exec "$registrar" timeout $((w * 12)) sipp -sn uac -i "$p" -p 5070 -s "$e" -m 1 \
		-nostdin -timeout $((w * 6))s -timeout_error -recv_timeout "${w}s" \
		-trace_err -error_file "$log.err" "$(br "$p"):5060" >"$log" 2>&1 && return 0
	info "call to $e did not complete: drop_untrusted $(stat drop_untrusted)," \
		"$(grep -v '^$' "$log.err" 2>/dev/null | head -3 | tr '\n' ' ')"
	return 1
}

# direct EXT: the provider calls EXT's port straight, not through Kamailio.
direct() {
	local p
	p=$(prov "$1")
	ip netns exec "$registrar" timeout 30 sipp -sn uac -i "$p" -p 5070 -s "$1" -m 1 -nostdin \
		-timeout 10s -timeout_error -recv_timeout 5s "$(br "${ADDR[$1]}"):${PORT[$1]}" >/dev/null 2>&1
}
check_fails "before any phone registers, the provider's call to 101's port is dropped" direct 101

info "four phones register, on ports 5062-5068, IPv4 and IPv6"
for e in 101 102 103 104; do
	check "phone $e (${ADDR[$e]} port ${PORT[$e]}) registers" reg $e 3600
done
expect_eq "four registrations confirmed" 4 "$(stat learn_confirmed)"
expect_eq "the provider learned on both families" 2 "$(learned)"
for e in 101 102 103 104; do
	check "the provider's call to $e rings" call $e
done

info "a scanner aims at a phone's own port"
before=$(stat drop_untrusted)
ip netns exec "$attacker" sipsak -s sip:101@${ADDR[101]}:${PORT[101]} -l 5099 -H $SG_ATTACKER4 \
	>/dev/null 2>&1 || true
check "its OPTIONS to ${ADDR[101]}:${PORT[101]} is dropped" \
	test "$(stat drop_untrusted)" -gt "$before"

info "one phone unregisters"
check "phone 101 unregisters (Expires: 0)" reg 101 0
expect_eq "its registration is forgotten" 1 "$(stat learn_forgotten)"
check_fails "Kamailio has no binding for 101: its call does not ring" call 101
for e in 102 103 104; do
	check "the provider's call to $e still rings" call $e
done
check "phone 101 registers again" reg 101 3600
check "... and rings again" call 101

info "the last phones unregister"
for e in 101 102 103 104; do
	check "phone $e unregisters" reg $e 0
done
expect_eq "the provider is forgotten with the last registration" 0 "$(learned)"

sg_exit
