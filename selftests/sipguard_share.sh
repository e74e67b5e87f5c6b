#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# No namespace may spend another's share (issue 27, section 1): a
# container's root (an unprivileged user's `unshare -Urn`, CAP_NET_ADMIN
# only in its own user namespace) sets `policy open budget 1000000` in its
# namespace and floods 6,000 spoofed sources of a scanner (each banned, so
# none is collected idle), filling what it may of sources_max (6000 here,
# of which sources_reserve 1000 is the host's).  Meanwhile the host's
# gateway (the ghost-call scene of lib.sh) runs `policy open rate 5 burst
# 10 ban 60`:
#  - the attacker's 100 OPTIONS reaching the phone stay at most the burst,
#    before the flood and while the container holds its share;
#  - `sipguardctl ban ADDR 600` works and holds: 0 of 100 through;
#  - the container holds no more than sources_max less the reserve, and
#    `show` says whose share each namespace spends;
#  - sources the container has no room for are not passed unlimited: 200
#    new sources of one packet each, at rate 5 burst 10, pass at most the
#    fallback bucket's burst and what its rate refilled meanwhile
#    (src_fallback, drop_fallback).

source "$(dirname "$0")/lib.sh"
require_cmd unshare nsenter setpriv nft /usr/bin/python3

param=/sys/module/sipguard/parameters
ctl=$SIPGUARDCTL
sg_scene
sg_flood_build || { fail "build sg_flood"; sg_exit; }
tmp=$(mktemp -d)
chmod 0777 "$tmp"
# Where the container's user (nobody) can run it.
cp "$flood_bin" "$tmp/sg_flood" && flood_bin=$tmp/sg_flood
cpid=
old_max=$(cat $param/sources_max)
old_reserve=$(cat $param/sources_reserve 2>/dev/null)
share_clean() {
	[ -z "$cpid" ] || kill "$cpid" 2>/dev/null
	wait 2>/dev/null
	echo "$old_max" > $param/sources_max
	[ -z "$old_reserve" ] || echo "$old_reserve" > $param/sources_reserve
	rm -rf "$tmp"
}
sg_cleanup_hooks+=(share_clean)

# The phone counts what each probe source gets through.
BEFORE=203.0.113.65 DURING=203.0.113.66 BANNED=203.0.113.77
ip netns exec "$phone" nft -f - <<NFT || fail "phone counters"
table inet probes {
	counter before {}
	counter during {}
	counter banned {}
	chain input {
		type filter hook input priority 0;
		ip saddr $BEFORE udp dport 5060 counter name before
		ip saddr $DURING udp dport 5060 counter name during
		ip saddr $BANNED udp dport 5060 counter name banned
	}
}
NFT
probe() { nft_count "$phone" probes "$1"; }
# options SRC: 100 OPTIONS from SRC (spoofed by the attacker) to the WAN
# address the phone is forwarded from, as fast as they go; sets $allow to
# what may pass: the burst, and what the rate (5/s) refilled while they
# were sent (a guest's vCPU may stall under TCG).
options() {
	local out
	out=$(ip netns exec "$attacker" "$flood_bin" -d $SG_WAN4 -s "$1" -n 1 -c 100)
	allow=$(awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "s:") print 10 + int($i * 5) }' <<< "$out")
	sleep 0.5
}
show_key() { awk -v k="$1" '{ sub(/^ +/, "") } $1 == k ":" { sub(/^[^:]*: */, ""); print; f = 1 } END { if (!f) print "missing" }'; }

gw allow add $SG_REGISTRAR4 >/dev/null
gw set mode enforce policy open rate 5 burst 10 ban 60 guard wan0 >/dev/null ||
	{ fail "host: policy open rate 5 burst 10 ban 60"; sg_exit; }

echo 6000 > $param/sources_max || fail "sources_max=6000"
if [ -n "$old_reserve" ]; then
	echo 1000 > $param/sources_reserve || fail "sources_reserve=1000"
else
	info "no sources_reserve parameter: a module without shares"
fi

options $BEFORE
n=$(probe before)
check "before the flood: at most the burst of 100 OPTIONS reach the phone ($n <= $allow)" test "$n" -le "$allow" 

# --- the container --------------------------------------------------------------
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
"${nobody[@]}" unshare --user --map-root-user --net bash -c "
	ip link set lo up && ip addr add 192.0.2.1/32 dev lo &&
	$ctl set guard lo mode enforce policy open rate 1000 burst 1000 ban 600 budget 1000000 &&
	$flood_bin -d 192.0.2.1 -n 6000 -c 6000 -r 20000 -u friendly-scanner > $tmp/flood &&
	touch $tmp/ready && exec sleep 1000" > "$tmp/log" 2>&1 &
cpid=$!
for t in $(seq 300); do [ -e "$tmp/ready" ] || ! kill -0 "$cpid" 2>/dev/null && break; sleep 0.2; done
[ -e "$tmp/ready" ] || { fail "container: $(cat "$tmp/log")"; sg_exit; }
cn() { nsenter -t "$cpid" -n "$ctl" "$@"; }
held=$(cn show | show_key sources)
info "container: $(cat "$tmp/flood"); $held entries; src_noroom $(cn stats | show_key src_noroom)"
check "the container holds at most sources_max less the reserve ($held <= 5000)" test "$held" -le 5000
check "the container holds what it may ($held >= 4500)" test "$held" -ge 4500

# --- the host while the container holds its share -------------------------------
options $DURING
n=$(probe during)
check "while the container holds its share: at most the burst of 100 OPTIONS reach the phone ($n <= $allow)" \
	test "$n" -le "$allow" 
out=$(gw ban $BANNED 600 2>&1)
check "ban $BANNED 600 works ($out)" test $? = 0
options $BANNED
n=$(probe banned)
check "the manual ban holds: 0 of 100 OPTIONS reach the phone ($n)" test "$n" = 0

# --- show: whose share ------------------------------------------------------------
out=$(gw show)
check "host show: the host's share ($(show_key share <<< "$out"))" test "$(show_key share <<< "$out")" = host
out=$(cn show)
check "container show: the share of user 65534 ($(show_key share <<< "$out"))" \
	test "$(show_key share <<< "$out")" = "user 65534"
check "container show: share_max 5000 ($(show_key share_max <<< "$out"))" \
	test "$(show_key share_max <<< "$out")" = 5000
check "container show: new sources go to the fallback ($(show_key new_sources <<< "$out"))" \
	test "$(show_key new_sources <<< "$out")" = fallback
js=$(cn -j show | /usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin)["open_policy"]; print(d.get("share"), d.get("share_owner"), d.get("share_used"))' 2>&1)
check "container show -j: share, share_owner, share_used ($js)" test "$js" = "user 65534 $held"

# --- strangers the container has no room for: the fallback bucket ---------------
cn set rate 5 burst 10 >/dev/null || fail "container: rate 5 burst 10"
cn stats reset >/dev/null
out=$(nsenter -t "$cpid" -n "$flood_bin" -d 192.0.2.1 -s 198.51.100.1 -n 200 -c 200 -u '')
allow=$(awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "s:") print 10 + int($i * 5) }' <<< "$out")
st=$(cn stats)
pass_open=$(show_key pass_open <<< "$st") fb=$(show_key src_fallback <<< "$st") dfb=$(show_key drop_fallback <<< "$st")
info "container, 200 new sources ($out): pass_open $pass_open src_fallback $fb drop_fallback $dfb"
check "strangers without room are not passed unlimited: at most the fallback's burst of 200 ($pass_open <= $allow)" \
	test "$pass_open" -le "$allow" 
check "... they are counted (src_fallback $fb = 200, drop_fallback $dfb = 200 - $pass_open)" \
	test "$fb" = 200 -a "$dfb" = $((200 - pass_open))

# A ban with no room for an entry: kept in the table's ban list.
out=$(cn ban 198.51.100.250 600 2>&1)
check "container: ban with its share spent works ($out)" test $? = 0
# The flood's 1000 scanners with no entry filled the list (64); the manual
# ban took the slot whose ban ends first.
n=$(cn show | show_key bans_listed)
check "container show: bans_listed, the list full of bans ($n)" test "$n" = 64
cn stats reset >/dev/null
nsenter -t "$cpid" -n "$flood_bin" -d 192.0.2.1 -s 198.51.100.250 -n 1 -c 10 -r 1000 -u '' >/dev/null
st=$(cn stats)
check "container: the listed ban holds (pass_open $(show_key pass_open <<< "$st"), drop_banned $(show_key drop_banned <<< "$st"))" \
	test "$(show_key pass_open <<< "$st")" = 0 -a "$(show_key drop_banned <<< "$st")" = 10

sg_exit
