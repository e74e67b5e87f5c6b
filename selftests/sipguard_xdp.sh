#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The XDP tier (`sipguardctl xdp`, kmod/xdp_kfuncs.c) on the gateway's WAN
# interface of lib.sh's ghost-call scene, strict policy, enforce:
#  - in generic and in native mode: a spoofed scanner flood (IPv4 and IPv6,
#    many sources) and a TCP SYN to 5060 are dropped at XDP (xdp_drop_untrusted
#    rises by what was sent, the hook's drop_untrusted stays where it was,
#    nothing reaches the phone) while the registrar's calls, on both
#    families, all complete through the hook (pass_trusted);
#  - untrusted UDP to the TLS port: xdp_drop_tls;
#  - what XDP cannot decide goes to the hook: a fragmented datagram, and
#    anything on an interface with a VLAN on it (drop_untrusted, not xdp_*);
#  - learned registrars: with `learn on` and the registrar not on the
#    allowlist, the phone registers through the attached gateway and the
#    registrar's calls complete during the flood (pass_learned);
#  - detach under flood is clean: the hook takes over the drops at once,
#    nothing reaches the phone, xdp show lists nothing;
#  - open policy: a source banned by the hook (a scanner signature) is
#    dropped at XDP while its ban runs (xdp_drop_banned counts all of its
#    flood, the hook's drop_banned nothing, nothing reaches the phone) while
#    the learned registrar's calls complete; once the ban has ended it goes
#    to the hook again (pass_open); a banned source on the allowlist passes
#    (pass_trusted), off it again it is dropped at XDP;
#  - the configuration file: setconf with `xdp wan0 native` attaches (a
#    flood is then dropped at XDP), showconf prints the line and round-trips
#    byte for byte (showconf as nobody, who cannot tell whose program it
#    is, fails rather than leave the line out), `xdp wan0 generic` moves it, a missing device fails the
#    setconf naming its line while the rest is applied, a file without xdp
#    lines detaches;
#  - the module without BTF (its .BTF section removed) still loads and
#    guards, says why in the kernel log, and `xdp attach` fails cleanly.
# SKIP only for a kernel without module BTF (CONFIG_DEBUG_INFO_BTF_MODULES).

source "$(dirname "$0")/lib.sh"
# What reached the phone's port 5060 from anyone but the registrar: the
# floods spoof sources that the phone's per-source counters do not name.
not_registrar_in() {
	echo $(( $(nft_count "$phone" phone sip_in) - $(nft_count "$phone" phone registrar_in) ))
}
require_cmd sipp nft objcopy setpriv /usr/bin/python3
sipp_dir=$(cd "$(dirname "$0")/sipp" && pwd)

sg_scene phone
sg_flood_build || { fail "build sg_flood"; sg_exit; }
stat() { sg_stat "$gw" "$1"; }
sg_cleanup_hooks+=(xdp_cleanup)
xdp_cleanup() {
	[ -z "${gw:-}" ] || ip netns exec "$gw" "$SIPGUARDCTL" xdp detach wan0 >/dev/null 2>&1
}

trusted="$SG_REGISTRAR4 $SG_REGISTRAR6 192.0.2.128/25 2001:db8:100::/64"
check "strict, enforce, registrar and LAN trusted" bash -c "
	ip netns exec $gw $SIPGUARDCTL set mode enforce policy strict ports 5060 tls-ports 5061 guard all &&
	printf '%s\n' $trusted | ip netns exec $gw $SIPGUARDCTL allow replace -"

if ! out=$(gw xdp attach wan0 generic 2>&1); then
	if dmesg | grep -q 'sipguard: XDP tier unavailable: kernel without module BTF'; then
		skip "this kernel has no module BTF (CONFIG_DEBUG_INFO_BTF_MODULES): no kfuncs from modules"
	fi
	fail "xdp attach wan0 generic: $out"
	dmesg | grep -i 'sipguard\|btf' | tail -n 5 | sed 's/^/# /'
	sg_exit
fi
gw xdp detach wan0 >/dev/null

# flood DST PACKETS: a spoofed scanner (50 sources) at 1000 packets/s.
flood() {
	local src=203.0.113.128
	case $1 in *:*) src=2001:db8:1000:: ;; esac
	ip netns exec "$attacker" "$flood_bin" -d "$1" -s $src -n 50 -r 1000 -c "$2" -M INVITE
}
sent() { awk '{ s += $2 } END { print s + 0 }' "$@"; }
tmp=$(mktemp -d)
sg_cleanup_hooks+=("rm -rf $tmp")

for mode in generic native; do
	check "$mode: xdp attach wan0 $mode" gw xdp attach wan0 $mode
	check "$mode: xdp show -j lists it" bash -c "ip netns exec $gw $SIPGUARDCTL -j xdp show |
		grep -q '\"dev\":\"wan0\",\"mode\":\"$mode\",\"prog_id\":[0-9]*,\"prog\":\"sipguard_xdp\",\"sipguard\":true'"
	check_fails "$mode: a second attach in the other mode is refused" \
		gw xdp attach wan0 $([ $mode = generic ] && echo native || echo generic)
	gw stats reset >/dev/null
	nft_reset "$phone" phone

	flood $SG_PHONE4 3000 > "$tmp/f4" 2>&1 &
	f4=$!
	flood $SG_PHONE6 3000 > "$tmp/f6" 2>&1 &
	f6=$!
	sleep 0.5
	check "$mode: registrar calls (IPv4) complete during the flood" \
		sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 3 "$tmp/c4"
	check "$mode: registrar calls (IPv6) complete during the flood" \
		sg_call "$registrar" $SG_REGISTRAR6 $SG_PHONE6 3 "$tmp/c6"
	wait $f4 $f6
	tcp_try "$attacker" $SG_PHONE4 5060
	n=$(( $(sent "$tmp/f4" "$tmp/f6") ))
	xd=$(stat xdp_drop_untrusted)
	info "$mode: flood sent $n; xdp_drop_untrusted $xd, drop_untrusted $(stat drop_untrusted)," \
		"pass_trusted $(stat pass_trusted), dropped $(stat dropped)"
	check "$mode: the flood was sent" test "$n" -ge 5000
	# Every flood packet and the TCP SYN (and its retransmissions).
	check "$mode: xdp_drop_untrusted counts the whole flood and the SYN" test "$xd" -gt "$n"
	check "$mode: ... but not much more (only the SYN's retries)" test "$xd" -le $((n + 10))
	expect_eq "$mode: the hook dropped nothing (drop_untrusted)" 0 "$(stat drop_untrusted)"
	check "$mode: dropped (the total) includes the XDP drops" test "$(stat dropped)" -ge "$xd"
	check "$mode: the registrar's packets passed the hook (pass_trusted)" \
		test "$(stat pass_trusted)" -ge 12
	expect_eq "$mode: nothing of the scanner reached the phone" 0 "$(not_registrar_in)"

	# Untrusted to the TLS port; a fragmented datagram (the hook's).
	gw stats reset >/dev/null
	udp_send "$attacker" $SG_PHONE4 5061
	ip netns exec "$attacker" /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"INVITE " + b"x" * 3000, (sys.argv[1], 5060))' $SG_PHONE4
	sleep 0.3
	expect_eq "$mode: TLS port: xdp_drop_tls" 1 "$(stat xdp_drop_tls)"
	expect_eq "$mode: a fragmented datagram goes to the hook (drop_untrusted)" 1 "$(stat drop_untrusted)"
	expect_eq "$mode: ... not counted at XDP" 0 "$(stat xdp_drop_untrusted)"

	if [ $mode = native ]; then
		# A VLAN on wan0: a stripped tag is invisible at XDP, and the
		# hook sees wan0.5, so XDP leaves everything to the hook.
		ip -n "$gw" link add link wan0 name wan0.5 type vlan id 5
		gw stats reset >/dev/null
		udp_send "$attacker" $SG_PHONE4 5060
		sleep 0.3
		expect_eq "$mode: with a VLAN on wan0, left to the hook (drop_untrusted)" 1 "$(stat drop_untrusted)"
		expect_eq "$mode: ... not dropped at XDP" 0 "$(stat xdp_drop_untrusted)"
		ip -n "$gw" link del wan0.5
	fi
	if [ $mode = generic ]; then
		check "$mode: xdp detach wan0" gw xdp detach wan0
	fi
done

# --- learned registrars, native mode still attached --------------------------
# register EXPIRES: the registrar answers one REGISTER from the phone's 5060.
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
	sg_phone_start
	sleep 0.3
	return $rc
}
check "learn on, the registrar's IPv4 address off the allowlist" bash -c "
	ip netns exec $gw $SIPGUARDCTL set learn on &&
	ip netns exec $gw $SIPGUARDCTL allow del $SG_REGISTRAR4"
check_fails "... its call is dropped (at XDP: not learned yet)" \
	sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 1
check "the phone registers through the gateway with XDP attached" register 3600
check "the registrar is learned" bash -c "ip netns exec $gw $SIPGUARDCTL allow list | grep -q learned"
gw stats reset >/dev/null
nft_reset "$phone" phone
flood $SG_PHONE4 3000 > "$tmp/f4" 2>&1 &
f4=$!
sleep 0.5
check "the learned registrar's calls complete during the flood" \
	sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 3 "$tmp/cl"
wait $f4
check "... through the hook (pass_learned)" test "$(stat pass_learned)" -ge 6
check "... while the flood is dropped at XDP" test "$(stat xdp_drop_untrusted)" -ge 2900
expect_eq "nothing of the scanner reached the phone" 0 "$(not_registrar_in)"

# --- detach under flood -------------------------------------------------------
# wait_stat NAME: until the counter is above 0 (at most 10 s).
wait_stat() {
	local i
	for i in $(seq 50); do [ "$(stat "$1")" -gt 0 ] && return 0; sleep 0.2; done
	return 1
}
gw stats reset >/dev/null
nft_reset "$phone" phone
flood $SG_PHONE4 10000 > "$tmp/f4" 2>&1 &
f4=$!
check "the flood is dropped at XDP" wait_stat xdp_drop_untrusted
check "detach under flood" gw xdp detach wan0
check "the hook takes over the drops" wait_stat drop_untrusted
check_fails "xdp show lists nothing" bash -c "ip netns exec $gw $SIPGUARDCTL -j xdp show | grep -q wan0"
wait $f4
info "detach: xdp_drop_untrusted $(stat xdp_drop_untrusted), drop_untrusted $(stat drop_untrusted), sent $(sent "$tmp/f4")"
expect_eq "every flood packet dropped by one or the other" "$(sent "$tmp/f4")" \
	"$(( $(stat drop_untrusted) + $(stat xdp_drop_untrusted) ))"
expect_eq "nothing of the scanner reached the phone" 0 "$(not_registrar_in)"
check "a learned registrar's call completes after the detach" \
	sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 1

# --- open policy: banned sources dropped at XDP --------------------------------
# scan SRC COUNT [UA]: COUNT OPTIONS from the one source SRC to the phone,
# at 1000/s.
scan() {
	local dst=$SG_PHONE4
	case $1 in *:*) dst=$SG_PHONE6 ;; esac
	ip netns exec "$attacker" "$flood_bin" -d $dst -s "$1" -n 1 -c "$2" -r 1000 -u "${3:-sg_flood}"
}
ban=20
check "open policy, bans of $ban s" gw set policy open ban $ban
check "xdp attach wan0 native (open policy)" gw xdp attach wan0 native
for src in $SG_ATTACKER4 $SG_ATTACKER6; do
	gw stats reset >/dev/null
	nft_reset "$phone" phone
	scan $src 1 friendly-scanner >/dev/null
	t0=$(date +%s.%N)
	sleep 0.3
	expect_eq "$src: a scanner signature bans the source in the hook (drop_signature)" \
		1 "$(stat drop_signature)"
	expect_eq "$src: ... one ban" 1 "$(stat bans)"
	scan $src 1500 > "$tmp/fb" 2>&1 &
	fb=$!
	sleep 0.3
	check "$src: registrar calls complete during the banned source's flood" \
		sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 2 "$tmp/cb"
	wait $fb
	n=$(sent "$tmp/fb")
	info "$src: banned flood sent $n; xdp_drop_banned $(stat xdp_drop_banned)," \
		"drop_banned $(stat drop_banned), pass_learned $(stat pass_learned)," \
		"dropped $(stat dropped), $(awk -v t="$t0" 'BEGIN { printf "%.1f", '"$(date +%s.%N)"' - t }') s into the ban"
	expect_eq "$src: the banned source's flood was sent" 1500 "$n"
	expect_eq "$src: ... all of it dropped at XDP (xdp_drop_banned)" "$n" "$(stat xdp_drop_banned)"
	expect_eq "$src: ... none by the hook (drop_banned)" 0 "$(stat drop_banned)"
	check "$src: dropped (the total) includes the XDP drops" test "$(stat dropped)" -eq $((n + 1))
	check "$src: the registrar's calls passed the hook (pass_learned)" test "$(stat pass_learned)" -ge 4
	expect_eq "$src: nothing of the banned source reached the phone" \
		0 "$(nft_count "$phone" phone attacker_in)"
	# The ban ends $ban s after it began: the source goes to the hook again.
	sleep "$(awk -v t="$t0" -v b=$ban 'BEGIN { d = t + b + 0.5 - '"$(date +%s.%N)"'; print (d > 0 ? d : 0) }')"
	scan $src 3 >/dev/null
	sleep 0.3
	expect_eq "$src: once the ban has ended, it passes XDP and the hook (pass_open)" 3 "$(stat pass_open)"
	expect_eq "$src: ... xdp_drop_banned stays" "$n" "$(stat xdp_drop_banned)"
	expect_eq "$src: ... and it reaches the phone" 3 "$(nft_count "$phone" phone attacker_in)"
done

# A banned source put on the allowlist while its ban runs: trusted first,
# at XDP as in the hook; off the allowlist again, it is dropped at XDP.
other=203.0.113.77
gw stats reset >/dev/null
nft_reset "$phone" phone
scan $other 1 friendly-scanner >/dev/null
sleep 0.3
expect_eq "$other banned by a signature" 1 "$(stat bans)"
check "$other put on the allowlist, ban running" gw allow add $other/32
scan $other 5 >/dev/null
sleep 0.3
expect_eq "... its packets pass XDP to the hook (pass_trusted)" 5 "$(stat pass_trusted)"
expect_eq "... not dropped at XDP" 0 "$(stat xdp_drop_banned)"
expect_eq "... and reach the phone" 5 "$(nft_count "$phone" phone sip_in)"
check "$other off the allowlist" gw allow del $other/32
scan $other 5 >/dev/null
sleep 0.3
expect_eq "... banned still: dropped at XDP" 5 "$(stat xdp_drop_banned)"
check "xdp detach wan0; strict policy" bash -c "
	ip netns exec $gw $SIPGUARDCTL xdp detach wan0 &&
	ip netns exec $gw $SIPGUARDCTL set policy strict"

# --- the configuration file: `xdp DEV [MODE]` lines ----------------------------
# xdp_listed MODE: xdp show lists sipguard's program on wan0 in MODE.
xdp_listed() {
	ip netns exec "$gw" "$SIPGUARDCTL" -j xdp show |
		grep -q "\"dev\":\"wan0\",\"mode\":\"$1\",\"prog_id\":[0-9]*,\"prog\":\"sipguard_xdp\",\"sipguard\":true"
}
gw showconf > "$tmp/c0"
check "nothing attached: showconf has no xdp line" bash -c "! grep -q '^xdp' $tmp/c0"
{ cat "$tmp/c0"; echo "xdp wan0 native"; } > "$tmp/c1"
check "setconf with 'xdp wan0 native' attaches" gw setconf "$tmp/c1"
check "... xdp show lists it in native mode" xdp_listed native
gw showconf > "$tmp/c2"
check "showconf prints 'xdp wan0 native'" grep -qx "xdp wan0 native" "$tmp/c2"
check "... the same bytes as the file it came from" cmp -s "$tmp/c1" "$tmp/c2"
check "showconf | setconf - keeps it" bash -c "ip netns exec $gw $SIPGUARDCTL showconf |
	ip netns exec $gw $SIPGUARDCTL setconf -"
gw showconf > "$tmp/c3"
check "... and showconf gives the same bytes again" cmp -s "$tmp/c2" "$tmp/c3"
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
check_fails "showconf as nobody (cannot tell whose XDP program it is) fails" \
	ip netns exec "$gw" "${nobody[@]}" "$SIPGUARDCTL" showconf
check "... saying why, never a file without the xdp line" bash -c "
	ip netns exec $gw ${nobody[*]} $SIPGUARDCTL showconf 2>&1 >/dev/null | grep -q 'needs CAP_SYS_ADMIN'"
gw stats reset >/dev/null
flood $SG_PHONE4 500 > "$tmp/f4" 2>&1
check "a flood after setconf is dropped at XDP" \
	test "$(stat xdp_drop_untrusted)" -ge "$(sent "$tmp/f4")" -a "$(sent "$tmp/f4")" -ge 450
expect_eq "... none by the hook" 0 "$(stat drop_untrusted)"
{ cat "$tmp/c0"; echo "xdp wan0 generic"; } > "$tmp/c4"
check "setconf with 'xdp wan0 generic' moves it to generic mode" gw setconf "$tmp/c4"
check "... xdp show lists it in generic mode" xdp_listed generic
{ cat "$tmp/c0"; echo "xdp nosuch0"; echo "xdp wan0 generic"; } > "$tmp/c5"
n0=$(wc -l < "$tmp/c0")
check_fails "setconf with a device that does not exist fails" gw setconf "$tmp/c5"
check "... naming the line" bash -c "ip netns exec $gw $SIPGUARDCTL setconf $tmp/c5 2>&1 |
	grep -q ':$((n0 + 1)): xdp: no device .nosuch0.'"
check "... and the rest is applied: wan0 stays attached" xdp_listed generic
check "setconf without xdp lines detaches" gw setconf "$tmp/c0"
check_fails "... xdp show lists nothing" bash -c "ip netns exec $gw $SIPGUARDCTL -j xdp show | grep -q wan0"
gw showconf > "$tmp/c6"
check "... and showconf has no xdp line" bash -c "! grep -q '^xdp' $tmp/c6"

# --- not Ethernet: a sit tunnel (IPv6 in IPv4, no MAC header) ----------------
# Generic XDP on it sees the inner IPv6 header first.  Read as Ethernet, an
# IPv6 header with traffic class 0x10 starts with a multicast "MAC", and
# the source 2001:db8:800:4500:20::11 puts 0x0800 where the EtherType is
# and a "UDP to 5060" IPv4 header across the addresses: a trusted tunnel
# peer's datagram, dropped as untrusted by a verdict that took it for a
# MAC header.  sipguardctl refuses such a device; a program loaded by
# other means gets "pass" for every frame of it, and the hook judges.
setup_ns tp
ip link add sitv netns "$gw" type veth peer name sitv netns "$tp" &&
	ip -n "$gw" link set sitv up && ip -n "$tp" link set sitv up &&
	ip -n "$gw" addr add 203.0.113.201/30 dev sitv && ip -n "$tp" addr add 203.0.113.202/30 dev sitv &&
	ip -n "$gw" link add sit1 type sit local 203.0.113.201 remote 203.0.113.202 &&
	ip -n "$tp" link add sit1 type sit local 203.0.113.202 remote 203.0.113.201 &&
	ip -n "$gw" link set sit1 up && ip -n "$tp" link set sit1 up &&
	ip -n "$gw" addr add 2001:db8:2::13c4:8/64 dev sit1 nodad &&
	ip -n "$tp" addr add 2001:db8:2::1/64 dev sit1 nodad &&
	ip -n "$tp" addr add 2001:db8:800:4500:20::11/128 dev sit1 nodad &&
	ip -n "$gw" route add 2001:db8:800::/48 dev sit1 ||
	fail "a sit tunnel to the gateway"
check "the tunnel peer is trusted" gw allow add 2001:db8:800::/48
check_fails "xdp attach sit1 is refused" gw xdp attach sit1 generic
check "... saying why" bash -c "ip netns exec $gw $SIPGUARDCTL xdp attach sit1 generic 2>&1 |
	grep -q 'sit1: not an Ethernet device'"
gw xdp detach sit1 >/dev/null 2>&1
if command -v bpftool >/dev/null; then
	mkdir -p "$tmp/bpf" && mount -t bpf bpf "$tmp/bpf" &&
		bpftool prog load "$SG_TOP/tools/sipguardctl/sipguard_xdp.bpf.o" "$tmp/bpf/sg" type xdp &&
		ip netns exec "$gw" bpftool net attach xdpgeneric pinned "$tmp/bpf/sg" dev sit1 ||
		fail "the sipguard XDP program on sit1 by bpftool"
	d0=$(stat xdp_drop_untrusted)
	ip netns exec "$tp" /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
# Traffic class 0x10: the first byte, read as a MAC address, is 0x61, a
# multicast one, which the frame-for-this-host test lets through.
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, 0x10)
s.bind(("2001:db8:800:4500:20::11", 5060))
s.sendto(b"OPTIONS sip:gw SIP/2.0\r\n\r\n", ("2001:db8:2::13c4:8", 5060))'
	sleep 0.5
	expect_eq "a trusted peer's datagram on sit1 is not judged at XDP" "$d0" "$(stat xdp_drop_untrusted)"
	ip netns exec "$gw" bpftool net detach xdpgeneric dev sit1
	umount "$tmp/bpf"
else
	info "bpftool missing: the verdict on a non-Ethernet device not tried"
fi
ip netns del "$tp"

# --- the module without BTF ---------------------------------------------------
if [ -n "${SG_MODULE:-}" ]; then
	sg_phone_stop
	cleanup_all_ns
	# The detached program holds the module until it is freed (RCU).
	for _ in $(seq 50); do sg_module_unload 2>/dev/null && break; sleep 0.2; done
	check "the module unloads after the detach" bash -c "! grep -q '^sipguard ' /proc/modules"
	objcopy --remove-section=.BTF "$SG_MODULE" "$tmp/nobtf.ko"
	dmesg -C
	check "the module without BTF loads" insmod "$tmp/nobtf.ko"
	check "... and says the XDP tier is unavailable" \
		bash -c "dmesg | grep -q 'sipguard: XDP tier unavailable'"
	setup_ns lone
	veth_link "$lone" v0 "$lone" v1
	check_fails "... xdp attach fails" ip netns exec "$lone" "$SIPGUARDCTL" xdp attach v0 generic
	check "... with the reason" bash -c "ip netns exec $lone $SIPGUARDCTL xdp attach v0 generic 2>&1 |
		grep -q 'kfunc bpf_sipguard_xdp_verdict is not available'"
	check "... and the module still works" ip netns exec "$lone" "$SIPGUARDCTL" set mode enforce
	cleanup_all_ns
	sg_module_unload
	sg_module_load
fi

sg_exit
