#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ports learning guards (issue 26), on lib.sh's home gateway scene set
# up with `sipguardctl set mode enforce learn on`: each phone's registration
# guards the ports it receives SIP on, whatever they are, for as long as it
# lasts.  Every check is what arrives where (sg_reg.py: the phones' own
# sockets log each message by its tag); `show` and the counters only say so.
#  1. a phone changing port at re-registration: both guarded while both
#     registrations last, the old one no longer once its registration lapsed;
#  2. two phones behind masquerade on the same port, mapped to WAN ports
#     40001 and 40002: both guarded, each one's registrar calls ring it;
#  3. a port forward WAN:5070 -> phone:5070 made before the phone registers:
#     a scanner gets through it until the phone registers, not after; the
#     registrar's calls ring through it;
#  4. a scanner reaching a learned port from any address but the
#     registrar's (the internet, the registrar's own network, the WAN link)
#     is dropped; the port is guarded at the phone's address only;
#  5. an IPv6 phone (no NAT): its own address and port;
#  6. rport: the phone's Via and Contact say 5067, it sends from 5068, the
#     registrar answers to 5068 (routed, and behind masquerade to 40003);
#  7. a TCP phone: the registrar's INVITE over the phone's own connection
#     rings; a stranger's SYN to the phone's listening port (its Contact)
#     or to its connection's port is dropped;
#  8. the WAN port 40004 of a phone that unregisters, used by a non-SIP
#     service: non-SIP datagrams pass while the phone is registered
#     (pass_not_sip) and after; SIP is dropped only while it is registered;
#  and without learning (static allowlist), a phone registering from a port
#  that is not guarded is counted and shown with the command that guards it.

source "$(dirname "$0")/sg_learn_lib.sh"
require_cmd /usr/bin/python3
reg_py=$(cd "$(dirname "$0")" && pwd)/sg_reg.py

W=$SG_WAN4 ATT=$SG_ATTACKER4 REG=$SG_REGISTRAR4
STRANGER=198.51.100.11	# next to the registrar, not it
UPSTREAM=192.0.2.126	# the WAN link's router

d=$(mktemp -d)
pids=()
lg_cleanup() { sg_stop ${pids[@]+"${pids[@]}"}; rm -rf "$d"; }
sg_cleanup_hooks+=(lg_cleanup)

# bg NS ARGS: sg_reg.py in NS, in the background (its pid in $!); -S:
# python starts slowly enough in a TCG guest.
bg() {
	ip netns exec "$1" /usr/bin/python3 -S "$reg_py" "${@:2}" &
	pids+=($!)
}
# wait_for FILE REGEX [SECONDS]: true once a line of FILE matches (default 5 s).
wait_for() {
	local i
	for ((i = 0; i < ${3:-5} * 10; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
n=0
newtag() { n=$((n + 1)); t=t$n; }
# reg_of DST: the registrar's address of DST's family.
reg_of() { case $1 in *:*) echo $SG_REGISTRAR6 ;; *) echo $REG ;; esac; }

# phone NAME PROTO SRC SPORT EXPIRES [VIA_PORT [CONTACT_PORT]]: a phone
# registers (and stays, logging to $d/NAME; its pid in ph[NAME]).
declare -A ph
phone() {
	local name=$1
	bg "$phone" phone "$d/$name" "$2" "$3" "$4" "$(reg_of "$3")" "${@:5}"
	ph[$name]=$!
	wait_for "$d/$name" '^registered$' 15
}
# rings LOG: the message tagged $t arrives in LOG within 5 s.
rings() { wait_for "$1" " $t\$"; }
# call DST PORT: the registrar's INVITE from its port 5060 (the socket the
# phones registered with, so a NAT's mapping lets it in), tagged $t.
call() { newtag; echo "invite udp $(reg_of "$1") $1 $2 $t" >&"${fd[reg]}"; }
# The senders, one per namespace (the registrar is one): their FIFOs'
# descriptors and the files their results go to.
declare -A fd out
# scan KIND WHO SRC DST PORT: one INVITE (or "data": not SIP) from SRC in
# the namespace of WHO (reg, att, up), tagged $t.
scan() { newtag; echo "send $1 $3 $4 $5 $t" >&"${fd[$2]}"; }
# passes DESC LOG KIND WHO SRC DST PORT: what SRC sends arrives.
passes() {
	scan "${@:3}"
	if rings "$2"; then pass "$1"; else fail "$1"; fi
}
# dropped DESC LOG KIND WHO SRC DST PORT: what SRC sends does not arrive,
# while an INVITE the registrar sends after it from another of its ports
# (trusted: a server is its address) does.
dropped() {
	local desc=$1 log=$2 tt
	scan "${@:3}"
	tt=$t
	scan invite reg "$(reg_of "$6")" "$6" "$7"
	if ! rings "$log"; then
		fail "$desc (the registrar's INVITE did not arrive either)"
	elif grep -q " $tt\$" "$log"; then
		fail "$desc"
		info "arrived: $(grep " $tt\$" "$log")," \
			"drop_untrusted $(stat drop_untrusted), pass_not_sip $(stat pass_not_sip)"
	else
		pass "$desc"
	fi
}
# syn WHO SRC DST PORT: the fate of a SYN (connected, refused, timeout).
syn() {
	local id=c$RANDOM$RANDOM
	echo "connect $2 $3 $4 $id" >&"${fd[$1]}"
	wait_for "${out[$1]}" "^$id " 10
	sed -n "s/^$id //p" "${out[$1]}"
}
# shows DESC REGEX: a line of `sipguardctl show` matches (a learned port:
# "udp 192.0.2.1:40001 for phone 192.0.2.132:5062, confirmed, 3599 s left").
shows() {
	if gw show | grep -Eq -- "$2"; then
		pass "$1"
	else
		fail "$1"
		gw show | grep -E "for phone|unguarded port" | sed 's/^/# /'
	fi
}
# jshows DESC KEY PYTHON-CONDITION(e): an entry e of -j show's KEY list matches.
jshows() {
	check "$1" /usr/bin/python3 -c "
import json, sys
e = json.load(sys.stdin).get('$2') or []
sys.exit(not any($3 for e in e))" < <(gw -j show)
}

check "set mode enforce learn on" gw set mode enforce learn on

# The scene's extras: an address next to the registrar's, a second IPv6
# phone address, the masquerade mappings and the port forward (before any
# phone registers), and the gateway's own service on the WAN ports.
ip -n "$registrar" addr add $STRANGER/24 dev r0
ip -n "$phone" addr add 2001:db8:100::131/64 dev p0 nodad
ip netns exec "$gw" nft -f - <<-NFT || fail "the gateway's NAT rules"
table ip masq {
	chain postrouting {
		type nat hook postrouting priority srcnat;
		oifname "wan0" ip saddr ${P[2]} meta l4proto udp masquerade to :40001
		oifname "wan0" ip saddr ${P[3]} meta l4proto udp masquerade to :40002
		oifname "wan0" ip saddr ${P[4]} meta l4proto udp masquerade to :5070
		oifname "wan0" ip saddr ${P[7]} meta l4proto udp masquerade to :40003
		oifname "wan0" ip saddr ${P[9]} meta l4proto udp masquerade to :40004
	}
}
add rule ip nat prerouting ip daddr $W udp dport 5070 dnat to ${P[4]}:5070
NFT
# A NAT keeps a phone's mapping alive with its keepalives; these phones send
# none, and a slow guest may take more than conntrack's 30 s between a
# REGISTER and the call that follows it.
ip netns exec "$gw" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600
bg "$gw" catch "$d/wan" $W 40001 40002 40003 40004
mkfifo "$d/reg.ctl" "$d/att.ctl" "$d/up.ctl"
exec 7<>"$d/reg.ctl" 8<>"$d/att.ctl" 9<>"$d/up.ctl"
fd=([reg]=7 [att]=8 [up]=9)
out=([reg]=$d/registrar [att]=$d/att [up]=$d/up)
bg "$registrar" registrar "$d/reg.ctl" "$d/registrar" $REG $SG_REGISTRAR6
bg "$attacker" sender "$d/att.ctl" "$d/att"
bg "$inet" sender "$d/up.ctl" "$d/up"
sg_udp_listening "$registrar" $REG 5060 && sg_udp_listening "$gw" $W 40004 ||
	info "the registrar or the gateway's service is not listening after 10 s"

info "1. a phone changing port at re-registration"
A=${P[1]}
check "phone $A registers from port 5062 for 6 s" phone a1 udp $A 5062 6
t_a1=$(date +%s)
dropped "a scanner's INVITE to $A:5062 is dropped" "$d/a1" invite att $ATT $A 5062
check "phone $A re-registers from port 5064 (a new registration, 3600 s)" phone a2 udp $A 5064 3600
shows "show: $A:5064 learned, confirmed" "udp $A:5064 for phone $A:5064, confirmed"
dropped "a scanner's INVITE to the new port 5064 is dropped" "$d/a2" invite att $ATT $A 5064
call $A 5064
check "the registrar's call to 5064 rings" rings "$d/a2"
# 6 s granted + 3 s of margin from the 2xx.
wait_s=$((t_a1 + 10 - $(date +%s)))
[ $wait_s -le 0 ] || sleep $wait_s
check_fails "when the registration from 5062 lapsed, show drops $A:5062" \
	bash -c "ip netns exec $gw $SIPGUARDCTL show | grep -q 'udp $A:5062 for phone'"
passes "... and a scanner's INVITE to the old port 5062 arrives (not guarded)" "$d/a1" \
	invite att $ATT $A 5062
dropped "... while 5064 stays guarded" "$d/a2" invite att $ATT $A 5064
expect_eq "learn_port_guarded counted both endpoints" 1 "$(($(stat learn_port_guarded) >= 2))"

info "2. two phones behind masquerade, same port, WAN ports 40001 and 40002"
B1=${P[2]} B2=${P[3]}
check "phone $B1 registers from 5062" phone b1 udp $B1 5062 3600
check "phone $B2 registers from 5062" phone b2 udp $B2 5062 3600
shows "show: $W:40001 learned for phone $B1:5062" "udp $W:40001 for phone $B1:5062, confirmed"
shows "show: $W:40002 learned for phone $B2:5062" "udp $W:40002 for phone $B2:5062, confirmed"
jshows "-j show: learned_ports has $W:40001 for $B1:5062" learned_ports \
	"e.get('proto') == 'udp' and e.get('addr') == '$W' and e.get('port') == 40001 and e.get('phone') == '$B1' and e.get('phone_port') == 5062 and e.get('confirmed') is True and e.get('secs_left', 0) > 3000"
dropped "a scanner's INVITE to $W:40001 is dropped" "$d/wan" invite att $ATT $W 40001
dropped "a scanner's INVITE to $W:40002 is dropped" "$d/wan" invite att $ATT $W 40002
call $W 40001
check "the registrar's call to $W:40001 rings phone $B1" rings "$d/b1"
check_fails "... not phone $B2" grep -q " $t\$" "$d/b2"
call $W 40002
check "the registrar's call to $W:40002 rings phone $B2" rings "$d/b2"

info "3. a port forward $W:5070 -> ${P[4]}:5070 made before the phone registers"
C=${P[4]}
bg "$phone" catch "$d/c0" $C 5070
c0=$!
sg_udp_listening "$phone" $C 5070
passes "before the phone registers, a scanner's INVITE gets through the forward" "$d/c0" \
	invite att $ATT $W 5070
sg_stop $c0
check "phone $C registers from 5070 (masqueraded to $W:5070)" phone c udp $C 5070 3600
shows "show: $W:5070 learned for phone $C:5070" "udp $W:5070 for phone $C:5070, confirmed"
scan invite reg $REG $W 5070
check "the registrar's call through the forward rings" rings "$d/c"
dropped "a scanner's INVITE through the forward is dropped" "$d/c" invite att $ATT $W 5070

info "4. a learned port from any address but the registrar's"
D=${P[5]}
check "phone $D registers from 5066" phone d udp $D 5066 3600
dropped "from the internet ($ATT): dropped" "$d/d" invite att $ATT $D 5066
dropped "from the registrar's network ($STRANGER): dropped" "$d/d" invite reg $STRANGER $D 5066
dropped "from the WAN link's router ($UPSTREAM): dropped" "$d/d" invite up $UPSTREAM $D 5066
passes "from the registrar's address, another port: rings" "$d/d" invite reg $REG $D 5066
bg "$phone" catch "$d/d0" ${P[0]} 5066
sg_udp_listening "$phone" ${P[0]} 5066
passes "the same port at another phone address is not guarded (${P[0]}:5066)" "$d/d0" \
	invite att $ATT ${P[0]} 5066

info "5. an IPv6 phone (no NAT)"
E=$SG_PHONE6
check "phone $E registers from 5062" phone e udp $E 5062 3600
jshows "-j show: learned_ports has [$E]:5062" learned_ports \
	"e.get('proto') == 'udp' and e.get('addr') == '$E' and e.get('port') == 5062 and e.get('phone') == '$E'"
dropped "a scanner's INVITE from $SG_ATTACKER6 is dropped" "$d/e" invite att $SG_ATTACKER6 $E 5062
call $E 5062
check "the registrar's call rings" rings "$d/e"
bg "$phone" catch "$d/e0" 2001:db8:100::131 5062
sg_udp_listening "$phone" "[2001:db8:100::131]" 5062
passes "the same port at another address (2001:db8:100::131) is not guarded" "$d/e0" \
	invite att $SG_ATTACKER6 2001:db8:100::131 5062

info "6. rport: Via and Contact say 5067, the phone sends from 5068"
F1=${P[6]} F2=${P[7]}
check "phone $F1 registers; the 2xx comes to 5068" phone f1 udp $F1 5068 3600 5067
shows "show: $F1:5068 learned" "udp $F1:5068 for phone $F1:5068, confirmed"
dropped "a scanner's INVITE to $F1:5068 is dropped" "$d/f1" invite att $ATT $F1 5068
check "phone $F2 behind masquerade registers; the 2xx comes to $W:40003" phone f2 udp $F2 5068 3600 5067
shows "show: $W:40003 learned for phone $F2:5068" "udp $W:40003 for phone $F2:5068, confirmed"
dropped "a scanner's INVITE to $W:40003 is dropped" "$d/wan" invite att $ATT $W 40003
call $W 40003
check "the registrar's call to $W:40003 rings phone $F2 on 5068" rings "$d/f2"

info "7. a TCP phone listening on 5062; the registrar reuses its connection"
G=${P[8]}
check "phone $G registers over TCP (Contact port 5062)" phone g tcp $G 0 3600 5062 5062
gport=$(sed -n 's/^connected tcp //p' "$d/g")
newtag
echo "invite tcp $t" >&"${fd[reg]}"
check "the registrar's INVITE over the phone's connection rings" rings "$d/g"
shows "show: tcp $G:5062 learned (its Contact)" "tcp $G:5062 for phone $G:"
shows "show: tcp $G:$gport learned (its connection)" "tcp $G:$gport for phone $G:"
expect_eq "a SYN from the internet to $G:5062 is dropped" timeout "$(syn att $ATT $G 5062)"
expect_eq "a SYN from $STRANGER to $G:5062 is dropped" timeout "$(syn reg $STRANGER $G 5062)"
expect_eq "a SYN from the internet to the connection's port $gport is dropped" timeout \
	"$(syn att $ATT $G "$gport")"
expect_eq "the registrar connects to $G:5062" connected "$(syn reg $REG $G 5062)"

info "8. a WAN port reused by a non-SIP service once the phone is gone"
H=${P[9]}
check "phone $H registers from 5062 (masqueraded to $W:40004)" phone h udp $H 5062 3600
nsip=$(stat pass_not_sip)
passes "a non-SIP datagram from the internet to $W:40004 passes" "$d/wan" data att $ATT $W 40004
expect_eq "... counted as pass_not_sip" 1 "$(($(stat pass_not_sip) - nsip))"
dropped "a scanner's INVITE to $W:40004 is dropped" "$d/wan" invite att $ATT $W 40004
kill -USR1 "${ph[h]}"
check "the phone unregisters (Expires: 0, acknowledged)" wait_for "$d/h" '^unregistered$' 10
check_fails "show no longer lists $W:40004" \
	bash -c "ip netns exec $gw $SIPGUARDCTL show | grep -q 'udp $W:40004 for phone'"
passes "a non-SIP datagram to $W:40004 passes" "$d/wan" data att $ATT $W 40004
passes "SIP to $W:40004 is no longer guarded" "$d/wan" invite att $ATT $W 40004

info "without learning: a phone registering from an unguarded port"
check "set learn off guard wan0; allow add $REG" \
	bash -c "ip netns exec $gw $SIPGUARDCTL set learn off guard wan0 && ip netns exec $gw $SIPGUARDCTL allow add $REG"
K=${P[1]}
unguarded=$(stat register_unguarded)
check "phone $K registers from 5072" phone k udp $K 5072 3600
# (The registrar's 2xx to that port may be counted too.)
expect_eq "register_unguarded counted it" 1 "$(($(stat register_unguarded) - unguarded >= 1))"
# Routed, the registrar's 2xx reaches the port the REGISTER left from: show
# names the phone by either.
shows "show names the phone and the command" \
	"(phone $K:5072/udp registers from|a registrar's 2xx reaches a phone at $K:5072/udp,) an unguarded port: sipguardctl set ports 5060,5072 \(or: set learn on\)"
jshows "-j show: unguarded_phones has $K:5072" unguarded_phones \
	"e.get('proto') == 'udp' and e.get('addr') == '$K' and e.get('port') == 5072 and isinstance(e.get('secs_ago'), int)"
passes "... indeed a scanner's INVITE to $K:5072 arrives" "$d/k" invite att $ATT $K 5072
check "the command: set ports 5060,5072" gw set ports 5060,5072
dropped "... then the scanner's INVITE to $K:5072 is dropped" "$d/k" invite att $ATT $K 5072
sg_stop "${ph[k]}"
unguarded=$(stat register_unguarded)
check "phone $K registers from 5072 again" phone k2 udp $K 5072 3600
expect_eq "... from a guarded port: not counted" 0 "$(($(stat register_unguarded) - unguarded))"

sg_exit
