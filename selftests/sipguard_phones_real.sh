#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real phones on ports other than 5060, with a real provider: two baresip
# phones register through the gateway with Kamailio (phones/registrar.cfg)
# on the internet side, on lib.sh's scene:
#  - phone 101, 192.0.2.130, SIP port 5062, on the network the gateway
#    routes;
#  - phone 102, 192.0.2.200, a random high SIP port, behind the gateway's
#    masquerade, with a static port forward of that port on the WAN address
#    (the internet has no route to 192.0.2.192/26).
# README's home-gateway quick start (`set mode enforce learn on`): the
# provider's calls ring both phones, at once and again a minute after they
# registered; a direct INVITE from the internet to a phone's port (what a
# scanner sends once it found one) and svmap and svwar sweeps over port
# ranges including the phones' ports reach neither phone.
# README's static quick start (`allow add REGISTRAR; set mode enforce policy
# strict guard wan0`) guards port 5060 only: the provider's calls ring, and
# sipguard says each phone registers from an unguarded port and offers the
# command that guards it; with that command, direct calls no longer ring.
# A ring of the provider's call is baresip's own log line saying it answers
# the call (and the call completing); what the internet gets to a phone's
# SIP port is counted by nft in the phone's namespace.

source "$(dirname "$0")/lib.sh"
require_cmd baresip kamailio sipp svmap svwar nft
here=$(cd "$(dirname "$0")" && pwd)

sg_scene
stat() { sg_stat "$gw" "$1"; }

# The phones: extension, address, SIP port, and where the internet reaches
# that port (the phone itself, or the gateway's port forward).
# (The high port sits above the phones' RTP ports, below the ephemeral ones.)
HIGH=$((21000 + RANDOM % 11000))
declare -A ADDR PORT REACH
ADDR[101]=$SG_PHONE4 PORT[101]=5062 REACH[101]=$SG_PHONE4
ADDR[102]=192.0.2.200 PORT[102]=$HIGH REACH[102]=$SG_WAN4
ns_batch "$phone" <<-EOF || { fail "phone addresses"; sg_exit; }
addr add ${ADDR[102]}/25 dev p0
EOF
ns_batch "$inet" <<-EOF || { fail "routes"; sg_exit; }
route del 192.0.2.128/25
route add 192.0.2.128/26 via $SG_WAN4
EOF
ip netns exec "$gw" nft -f - <<-NFT || { fail "masquerade and port forward"; sg_exit; }
table ip phones {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		ip daddr $SG_WAN4 udp dport $HIGH dnat to ${ADDR[102]}
	}
	chain postrouting {
		type nat hook postrouting priority srcnat;
		oifname wan0 ip saddr ${ADDR[102]} masquerade
	}
}
NFT
# What reaches each phone's SIP port: the provider's INVITEs, and anything
# from the attacker (INVITEs counted apart).  (The sweeps also reach ports
# where nothing listens: nothing guards those, and nothing answers there.)
ip netns exec "$phone" nft -f - <<-NFT || { fail "phone counters"; sg_exit; }
table inet phones {
	counter inv_101 {}
	counter inv_102 {}
	counter atk_101 {}
	counter atk_102 {}
	counter atk_inv_101 {}
	counter atk_inv_102 {}
	chain input {
		type filter hook input priority 0;
		ip daddr ${ADDR[101]} udp dport ${PORT[101]} @ih,0,48 0x494e56495445 \
			ip saddr $SG_REGISTRAR4 counter name inv_101
		ip daddr ${ADDR[102]} udp dport ${PORT[102]} @ih,0,48 0x494e56495445 \
			ip saddr $SG_REGISTRAR4 counter name inv_102
		ip daddr ${ADDR[101]} udp dport ${PORT[101]} ip saddr $SG_ATTACKER4 \
			@ih,0,48 0x494e56495445 counter name atk_inv_101
		ip daddr ${ADDR[102]} udp dport ${PORT[102]} ip saddr $SG_ATTACKER4 \
			@ih,0,48 0x494e56495445 counter name atk_inv_102
		ip daddr ${ADDR[101]} udp dport ${PORT[101]} ip saddr $SG_ATTACKER4 counter name atk_101
		ip daddr ${ADDR[102]} udp dport ${PORT[102]} ip saddr $SG_ATTACKER4 counter name atk_102
	}
}
NFT
cnt() { nft_count "$phone" phones "$1"; }

work=$(mktemp -d /tmp/sg-phones.XXXXXX)
kam_pid=
kam_stop() { [ -z "$kam_pid" ] || sg_stop "$kam_pid"; }
# The phones' baresip processes; stopped (they unregister) both at once.
declare -A bs
bs_stop_all() { [ ${#bs[@]} = 0 ] || sg_stop "${bs[@]}"; bs=(); }
# (SG_KEEP=1 keeps the phones' and Kamailio's logs.)
work_clean() { [ -n "${SG_KEEP:-}" ] || rm -rf "$work"; }
sg_cleanup_hooks+=(bs_stop_all kam_stop work_clean)

ip netns exec "$registrar" kamailio -DD -E -f "$here/phones/registrar.cfg" -Y "$work" \
	-P "$work/kam.pid" -w "$work" -m 32 -M 8 >"$work/kam.log" 2>&1 &
kam_pid=$!
sg_udp_listening "$registrar" $SG_REGISTRAR4 5060 20 ||
	{ fail "kamailio did not start: $(tail -3 "$work/kam.log")"; sg_exit; }

# The phones' configuration: baresip listening on the phone's one address
# and port, registering for an hour, answering calls by itself, its audio
# bridged to nothing.
for e in 101 102; do
	mkdir -p "$work/$e"
	cat >"$work/$e/config" <<-EOF
	poll_method		epoll
	sip_listen		${ADDR[$e]}:${PORT[$e]}
	net_interface		p0
	audio_player		aubridge,nil
	audio_source		aubridge,nil
	audio_alert		aubridge,nil
	rtp_ports		20000-20100
	module_path		/usr/lib/baresip/modules
	module			g711.so
	module			aubridge.so
	module_app		account.so
	module_app		menu.so
	EOF
	echo "<sip:$e@$SG_REGISTRAR4;transport=udp>;regint=3600;answermode=auto;audio_codecs=PCMU" \
		>"$work/$e/accounts"
	: >"$work/$e/contacts"
done

# bs_start EXT: start phone EXT.  bs_registered EXT: true once it says the
# registrar accepted its registration (at most 60 s: baresip may start
# slowly under TCG).  Both phones start at once.
bs_start() {
	: >"$work/$1/log"
	ip netns exec "$phone" baresip -4 -f "$work/$1" >"$work/$1/log" 2>&1 </dev/null &
	bs[$1]=$!
}
bs_registered() {
	local e=$1 i
	for ((i = 0; i < 600; i++)); do
		grep -q "200 OK" "$work/$e/log" && return 0
		kill -0 "${bs[$e]}" 2>/dev/null || break
		sleep 0.1
	done
	info "phone $e: $(tail -3 "$work/$e/log" | tr '\n' ' ')"
	return 1
}
rings() { grep -c "call: answering call" "$work/$1/log"; }

# call EXT: the provider calls EXT through Kamailio (from its own address);
# true if the call completed and the phone rang once more.
SG_CALL_WAIT=${SG_CALL_WAIT:-10}
call() {
	local e=$1 w=$SG_CALL_WAIT before log=$work/call.log
	before=$(rings "$e")
	ip netns exec "$registrar" timeout $((w * 12)) sipp -sf "$here/phones/caller.xml" \
		-i $SG_REGISTRAR4 -p 5070 -s "$e" -m 1 -nostdin -timeout $((w * 6))s -timeout_error -recv_timeout "${w}s" \
		-trace_err -error_file "$log.err" $SG_REGISTRAR4:5060 >"$log" 2>&1 &&
		[ "$(rings "$e")" -gt "$before" ] && return 0
	info "call to $e did not complete: rings $(rings "$e") (before $before)," \
		"drop_untrusted $(stat drop_untrusted)," \
		"$(grep -v '^$' "$log.err" 2>/dev/null | head -3 | tr '\n' ' ')"
	return 1
}

# direct: the attacker calls each phone's port straight, both at once (a
# scanner's INVITE).  Whether it rang is the phone's to say: an INVITE that
# got through has reached it long before sipp gives up.
direct() {
	local e pids=()
	for e in 101 102; do
		ip netns exec "$attacker" timeout 20 sipp -sn uac -i $SG_ATTACKER4 -p $((4970 + e)) -s "$e" -m 1 \
			-nostdin -timeout 4s -timeout_error -recv_timeout 3s \
			"${REACH[$e]}:${PORT[$e]}" >/dev/null 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
}

info "the phones: 101 at ${ADDR[101]}:${PORT[101]} (routed)," \
	"102 at ${ADDR[102]}:${PORT[102]} (masquerade, port forward from $SG_WAN4:$HIGH)"

info "README's home-gateway quick start (t=${SECONDS}s)"
check "set mode enforce learn on" gw set mode enforce learn on
t0=$SECONDS
bs_start 101
bs_start 102
for e in 101 102; do
	check "phone $e starts and registers (port ${PORT[$e]})" bs_registered $e
done
info "the phones registered in $((SECONDS - t0)) s"
treg=$SECONDS
expect_eq "both registrations confirmed" 2 "$(stat learn_confirmed)"
show=$(gw show)
check "show: the routed phone's port is learned" \
	grep -q "udp ${ADDR[101]}:${PORT[101]} for phone ${ADDR[101]}:${PORT[101]}, confirmed" <<< "$show" ||
	info "$(grep -A4 -i learned <<< "$show" | tr '\n' '|')"
check "show: the forwarded port is learned" \
	grep -q "udp $SG_WAN4:$HIGH for phone ${ADDR[102]}:$HIGH, confirmed" <<< "$show" ||
	info "$(grep -A4 -i learned <<< "$show" | tr '\n' '|')"
for e in 101 102; do
	check "the provider's call to $e rings" call $e
done

direct
for e in 101 102; do
	expect_eq "the internet's direct INVITE to $e's port (${REACH[$e]}:${PORT[$e]}) does not ring" \
		0 "$(cnt atk_inv_$e)"
done
before=$(($(rings 101) + $(rings 102)))

info "scanners sweep port ranges"
# (One after the other: on one vCPU, running them at once took longer.)
t=$SECONDS
ip netns exec "$attacker" timeout 60 svmap -p 5060-5070,$HIGH $SG_PHONE4 $SG_WAN4 >"$work/svmap" 2>&1
for e in 101 102; do
	ip netns exec "$attacker" timeout 30 svwar -m INVITE -e 100-103 -p "${PORT[$e]}" \
		"${REACH[$e]}" >"$work/svwar.$e" 2>&1
done
info "the sweeps took $((SECONDS - t)) s"
for e in 101 102; do
	expect_eq "svmap and svwar reach nothing of phone $e" 0 "$(cnt atk_$e)"
done
expect_eq "no phone rang for them" "$before" "$(($(rings 101) + $(rings 102)))"

info "a minute after registering (t=${SECONDS}s)"
w=$((treg + 60 - SECONDS))
[ $w -le 0 ] || sleep $w
for e in 101 102; do
	check "the provider's call to $e still rings" call $e
done

info "README's static quick start (t=${SECONDS}s)"
bs_stop_all
check "set learn off" gw set learn off
check "allow add $SG_REGISTRAR4" gw allow add $SG_REGISTRAR4
check "set mode enforce policy strict guard wan0" gw set mode enforce policy strict guard wan0
unguarded=$(stat register_unguarded)
[ "$unguarded" != missing ] || fail "no counter register_unguarded"
bs_start 101
bs_start 102
for e in 101 102; do
	check "phone $e registers again" bs_registered $e
done
n=$(($(stat register_unguarded) - unguarded))
check "both REGISTERs left from unguarded ports (register_unguarded +$n)" test "$n" -ge 2
# Each phone's port is named, as its REGISTER left (the routed phone, the
# NATed one before masquerade) or as the registrar's 2xx came back (the
# WAN address for the NATed one), with the command that guards it.
show=$(gw show)
unguarded_ok() {
	grep -Eq "$1:$2/udp(,| registers from) an unguarded port: sipguardctl set ports ([0-9,-]*,)?$2(,| |\$)" <<< "$show"
}
for e in 101 102; do
	check "show: phone $e's port ${PORT[$e]} is unguarded, with the command that guards it" \
		unguarded_ok "(${ADDR[$e]//./\\.}|${REACH[$e]//./\\.})" "${PORT[$e]}" ||
		info "$(grep -i unguarded <<< "$show" | tr '\n' '|')"
done
for e in 101 102; do
	check "the provider's call to $e rings" call $e
done
before=$(($(cnt atk_inv_101) + $(cnt atk_inv_102)))
direct
info "direct calls that reached the phones on port 5060 alone: $(($(cnt atk_inv_101) + \
	$(cnt atk_inv_102) - before)) of 2"
check "set ports 5060,${PORT[101]},$HIGH" gw set ports 5060,${PORT[101]},$HIGH
before=$(($(cnt atk_inv_101) + $(cnt atk_inv_102)))
direct
expect_eq "with them, direct calls do not ring" "$before" "$(($(cnt atk_inv_101) + $(cnt atk_inv_102)))"

bs_stop_all
info "the test took $SECONDS s"
sg_exit
