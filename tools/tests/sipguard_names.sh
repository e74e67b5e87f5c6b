#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Providers known by name, on the gateway of lib.sh's scene, with a DNS
# server (dnsmasq) of its own on the internet side:
#
#   dns 2001:db8:53::53 --- inet --- gw (resolv.conf -> 2001:db8:53::53)
#
#   sip.provider.example     A 198.51.100.10  AAAA 2001:db8:10::10
#   _sip._udp   SRV -> sip1.provider.example  A 198.51.100.11  AAAA 2001:db8:10::11
#   _sip._tcp   SRV -> sip2.provider.example  A 198.51.100.12
#   _sips._tcp  SRV -> sip2.provider.example
#   other.provider.example   A 198.51.100.20
#
#  - allow add NAME adds exactly those five addresses, tagged with the name;
#  - calls from both SRV servers ring the phone, the scanner's do not;
#  - a changed zone and allow refresh: the old address goes, the new one
#    comes, other entries stay; with the DNS server down refresh fails
#    (exit 1) and keeps the old addresses; showconf/setconf keep names;
#  - allow del NAME; a name that does not exist adds nothing;
#  - malformed and overlong names are refused by the tool and, over raw
#    netlink, by the kernel with an extack message.

source "$(dirname "$0")/../../selftests/lib.sh"
require_cmd sipp nft svmap dnsmasq /usr/bin/python3

DNS6=2001:db8:53::53
NAME=sip.provider.example
SRV1_4=198.51.100.11 SRV1_6=2001:db8:10::11
SRV2_4=198.51.100.12 SRV2_NEW4=198.51.100.13
OTHER4=198.51.100.20

sg_scene
sg_cleanup_hooks+=(dns_stop netns_etc_clean)
setup_ns dns || { fail "dns namespace"; sg_exit; }
ip link add d0 netns "$dns" type veth peer name i3 netns "$inet" || fail "dns link"
ns_batch "$dns" <<-EOF || fail "dns addresses"
link set d0 up
addr add $DNS6/64 dev d0 nodad
route add default via 2001:db8:53::fe
EOF
ns_batch "$inet" <<-EOF || fail "inet to dns"
link set i3 up
addr add 2001:db8:53::fe/64 dev i3 nodad
EOF
# The two SRV servers are more addresses of the registrar's namespace.
ns_batch "$registrar" <<-EOF || fail "registrar addresses"
addr add $SRV1_4/24 dev r0
addr add $SRV2_4/24 dev r0
addr add $SRV2_NEW4/24 dev r0
addr add $SRV1_6/64 dev r0 nodad
EOF

# The gateway's resolver: ip netns exec bind-mounts this over /etc/resolv.conf.
etc=/etc/netns/$gw
netns_etc_clean() { rm -rf "$etc"; }
mkdir -p "$etc" && printf 'nameserver %s\noptions timeout:1 attempts:1\n' $DNS6 > "$etc/resolv.conf" ||
	fail "resolv.conf for the gateway"

# dns_start SIP2_ADDR [no-other]: dnsmasq in the foreground (background
# job) serving the zone above, with sip2's address given, and without
# other.provider.example if asked.
dns_pid=
dns_start() {
	local other=--host-record=other.provider.example,$OTHER4
	[ "${2:-}" = no-other ] && other=--host-record=sip9.provider.example,198.51.100.99
	ip netns exec "$dns" dnsmasq -k --no-resolv --no-hosts --conf-file=/dev/null \
		--port 53 --listen-address=$DNS6 --bind-interfaces --user=root --pid-file= \
		--log-facility=/tmp/dnsmasq-names.log --local=/provider.example/ \
		--host-record=$NAME,198.51.100.10,2001:db8:10::10 \
		--host-record=sip1.provider.example,$SRV1_4,$SRV1_6 \
		--host-record=sip2.provider.example,"$1" \
		"$other" \
		--srv-host=_sip._udp.$NAME,sip1.provider.example,5060,10,50 \
		--srv-host=_sip._tcp.$NAME,sip2.provider.example,5060,10,50 \
		--srv-host=_sips._tcp.$NAME,sip2.provider.example,5061,10,50 &
	dns_pid=$!
	# Up when it answers.
	local i
	for i in $(seq 50); do
		ip netns exec "$gw" /usr/bin/python3 -c 'import socket; socket.getaddrinfo("sip1.provider.example", None)' \
			2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
dns_stop() {
	[ -n "$dns_pid" ] || return 0
	kill "$dns_pid" 2>/dev/null
	wait "$dns_pid" 2>/dev/null
	dns_pid=
}

# The entries of one name, sorted, one per line: "PREFIX".
entries_of() { gw allow list | awk -v n="$1" '$NF == n && $(NF - 1) == "name" { print $1 }' | sort | xargs; }
others() { gw allow list | grep -v " name $NAME\$" | sort | xargs; }

check "dnsmasq serves the provider's zone" dns_start $SRV2_4
gw set mode enforce policy strict
# The LAN, so the phone's answers pass; a literal entry and another name.
gw allow add 192.0.2.128/25 && gw allow add 2001:db8:100::/64 && gw allow add 203.0.113.200 ||
	fail "literal entries"

check "allow add $NAME" gw allow add $NAME
expect_eq "its addresses: A, AAAA and both SRV targets' (v4 and v6)" \
	"198.51.100.10/32 $SRV1_4/32 $SRV2_4/32 2001:db8:10::10/128 $SRV1_6/128" "$(entries_of $NAME)"
check "allow list -j shows the name" bash -c "ip netns exec $gw $SIPGUARDCTL -j allow list |
	/usr/bin/python3 -c 'import json, sys; a = json.load(sys.stdin)[\"allowlist\"];
sys.exit(sum(e.get(\"name\") == \"$NAME\" for e in a) != 5)'"
check "allow add OTHER (upper case and a trailing dot are the same name)" gw allow add OTHER.Provider.Example.
expect_eq "... its address" "$OTHER4/32" "$(entries_of other.provider.example)"
out=$(gw allow add $NAME 2>&1); rc=$?
expect_eq "adding a name twice fails" 1 $rc
check "... saying refresh is the way: $out" grep -q "refresh" <<< "$out"

# Calls: both SRV servers ring the phone, over v4 and v6; the scanner does not.
sg_phone_start
sleep 0.3
check "a call from SRV server 1 ($SRV1_4) completes" sg_call "$registrar" $SRV1_4 $SG_PHONE4 2
check "a call from SRV server 2 ($SRV2_4) completes" sg_call "$registrar" $SRV2_4 $SG_PHONE4 2
check "a call from SRV server 1 over IPv6 completes" sg_call "$registrar" $SRV1_6 $SG_PHONE6 1
nft_reset "$phone" phone
ip netns exec "$attacker" svmap -q -m INVITE $SG_PHONE4 >/dev/null 2>&1
ip netns exec "$attacker" svmap -q -6 -m INVITE $SG_PHONE6 >/dev/null 2>&1
expect_eq "the scanner's INVITEs do not ring" 0 "$(nft_count "$phone" phone attacker_invites)"
check_fails "an address the name does not have ($SRV2_NEW4) cannot call" \
	sg_call "$registrar" $SRV2_NEW4 $SG_PHONE4 1

# showconf/setconf keep the names byte for byte.
conf=$(gw showconf)
check "showconf writes the names" grep -qx "allow $SRV1_4/32 name $NAME" <<< "$conf"
check "setconf of showconf" bash -c "ip netns exec $gw $SIPGUARDCTL setconf - <<< \"\$1\"" - "$conf"
expect_eq "... and showconf gives the same bytes" "$(md5sum <<< "$conf")" "$(gw showconf | md5sum)"

# The zone changes: sip2 moves to a new address.
before=$(others)
dns_stop
check "dnsmasq serves the changed zone" dns_start $SRV2_NEW4
check "allow refresh (every name)" gw allow refresh
expect_eq "the old address is gone, the new one there" \
	"198.51.100.10/32 $SRV1_4/32 $SRV2_NEW4/32 2001:db8:10::10/128 $SRV1_6/128" "$(entries_of $NAME)"
expect_eq "other entries untouched" "$before" "$(others)"
check "a call from the new address completes" sg_call "$registrar" $SRV2_NEW4 $SG_PHONE4 1
check_fails "a call from the old address is dropped" sg_call "$registrar" $SRV2_4 $SG_PHONE4 1

# The DNS server is down: refresh fails and keeps what it had.
dns_stop
all=$(gw allow list | sort | xargs)
t0=$(date +%s)
err=$(gw allow refresh $NAME 2>&1); rc=$?
expect_eq "refresh with the DNS server down exits 1" 1 $rc
info "it said: $err ($(($(date +%s) - t0)) s)"
check "... naming the name and saying its addresses are kept" grep -q "$NAME.*kept" <<< "$err"
expect_eq "... and the allowlist is unchanged" "$all" "$(gw allow list | sort | xargs)"
err=$(gw allow refresh 2>&1); rc=$?
expect_eq "refresh of every name: exit 1" 1 $rc
expect_eq "... one line for each failed name" 2 "$(grep -c kept <<< "$err")"

# One name fails, the other still refreshes: other.provider.example is
# gone from the zone (NXDOMAIN), sip2 is back at its first address.
check "dnsmasq serves a zone without other.provider.example" dns_start $SRV2_4 no-other
err=$(gw allow refresh 2>&1); rc=$?
expect_eq "refresh with one name failing: exit 1" 1 $rc
check "... the failing name reported: $err" grep -q "other.provider.example does not exist (NXDOMAIN); its addresses are kept" <<< "$err"
expect_eq "... and only that one" 1 "$(grep -c sipguardctl <<< "$err")"
expect_eq "... its address kept" "$OTHER4/32" "$(entries_of other.provider.example)"
expect_eq "... while the other name was refreshed" \
	"198.51.100.10/32 $SRV1_4/32 $SRV2_4/32 2001:db8:10::10/128 $SRV1_6/128" "$(entries_of $NAME)"
dns_stop
check "dnsmasq back" dns_start $SRV2_NEW4
check "refresh again" gw allow refresh
expect_eq "... sip2 at its new address again" \
	"198.51.100.10/32 $SRV1_4/32 $SRV2_NEW4/32 2001:db8:10::10/128 $SRV1_6/128" "$(entries_of $NAME)"

# A name that does not exist, malformed and overlong names.
n=$(gw allow list | wc -l)
err=$(gw allow add nx.provider.example 2>&1); rc=$?
expect_eq "a name that does not resolve: exit 1" 1 $rc
check "... with a clear error: $err" grep -q "does not exist (NXDOMAIN)" <<< "$err"
expect_eq "... nothing added" "$n" "$(gw allow list | wc -l)"
err=$(gw allow refresh nx.provider.example 2>&1); rc=$?
check "refreshing a name not on the allowlist fails: $err" test $rc != 0
for bad in "bad..provider.example" "-x.example" "sip_provider!.example" \
	"$(printf 'a%.0s' $(seq 64)).example" "$(printf 'abcdefghi.%.0s' $(seq 26))example"; do
	err=$(gw allow add "$bad" 2>&1); rc=$?
	expect_eq "the tool refuses '${bad:0:30}...' (exit 2): $err" 2 $rc
done
expect_eq "... nothing added" "$n" "$(gw allow list | wc -l)"
out=$(ip netns exec "$gw" /usr/bin/python3 "$SG_TOP/selftests/nl_raw.py" name-malformed name-overlong \
	name-upper-case name-numeric name-refresh-absent name-refresh-empty name-refresh-other name-refresh-duplicate name-del-absent)
info "kernel: ${out//$'\n'/ | }"
check "kernel: a malformed name, with extack" grep -q "^name-malformed Invalid_argument a name's labels" <<< "$out"
check "kernel: an overlong name, with extack" grep -Eq "^name-overlong (Numerical_result_out_of_range|Invalid_argument) [^-]" <<< "$out"
check "kernel: an upper-case name" grep -q "^name-upper-case Invalid_argument a name may hold only lower-case" <<< "$out"
check "kernel: a numeric name" grep -q "^name-numeric Invalid_argument a name's last label cannot be all digits" <<< "$out"
check "kernel: refresh of an absent name without the create flag" grep -q "^name-refresh-absent No_such_file_or_directory no entry carries that name" <<< "$out"
check "kernel: refresh without entries" grep -q "^name-refresh-empty Invalid_argument a refresh needs at least one entry" <<< "$out"
check "kernel: refresh with an entry of another name" grep -q "^name-refresh-other Invalid_argument an entry carries a name other" <<< "$out"
check "kernel: refresh with one address twice (once tagged, once not)" grep -q "^name-refresh-duplicate File_exists an entry appears twice" <<< "$out"
check "kernel: del of an absent name" grep -q "^name-del-absent No_such_file_or_directory no entry carries that name" <<< "$out"
expect_eq "... nothing added" "$n" "$(gw allow list | wc -l)"

# At most 1024 distinct names per namespace (the kernel's bound).
conf=$(gw showconf)
names() { for i in $(seq "$1"); do echo "198.51.100.$((i % 200))/32 name n$i.provider.example"; done; }
check "allow replace with 1024 names" bash -c "$(declare -f names); names 1024 | ip netns exec $gw $SIPGUARDCTL allow replace -"
err=$(names 1025 | gw allow replace - 2>&1); rc=$?
expect_eq "1025 names: refused before the kernel is asked (a usage error)" 2 $rc
check "... saying why, at the line of the 1025th name: $err" grep -q -- "-:1025: 1025 distinct names, at most 1024 fit" <<< "$err"
expect_eq "... and the 1024 are still there" 1024 "$(gw allow list | wc -l)"
check "setconf puts the configuration back" bash -c "ip netns exec $gw $SIPGUARDCTL setconf - <<< \"\$1\"" - "$conf"

# allow del NAME.
check "allow del $NAME" gw allow del $NAME
expect_eq "... removes every entry of it" "" "$(entries_of $NAME)"
expect_eq "... and nothing else" "$before" "$(others)"
check_fails "... its servers' calls are dropped" sg_call "$registrar" $SRV1_4 $SG_PHONE4 1
err=$(gw allow del $NAME 2>&1); rc=$?
expect_eq "deleting it again fails" 1 $rc
check "... saying so: $err" grep -q "no entry carries that name" <<< "$err"
err=$(gw allow refresh $NAME 2>&1); rc=$?
expect_eq "refreshing a name no longer on the allowlist fails" 1 $rc
check "... and does not bring it back: $err" test -z "$(entries_of $NAME)"

sg_exit
