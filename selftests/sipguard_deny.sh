#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The denylist: prefixes by origin, with expiry, checked before parsing.
# lib.sh's scene with several phones (sg_learn_lib.sh), documentation
# addresses only:
#
#   attacker 203.0.113.66       registrar 198.51.100.10
#            2001:db8:66::66              (learned, or denied and learned)
#          \                   /
#           +---- inet -------+
#                  |
#                wan0   gateway (sipguard)
#                lan0
#                  |
#                phone 192.0.2.130, 2001:db8:100::130 (nft counts what arrives)
#
#  - open policy: a denied IPv4 and IPv6 source is dropped (drop_deny, its
#    origin's hits), SIP and non-SIP payload alike, before parsing
#    (drop_malformed does not move);
#  - an entry with timeout 3 drops until 3 s are up and passes from then on,
#    and is gone from the list soon after;
#  - replace swaps one origin's entries and leaves another's alone;
#  - an allowlisted source and a learned registrar pass despite an entry;
#    the origin counts it and `show` says why;
#  - strict: a hit only counts (drop_untrusted, not drop_deny);
#  - hostile requests (raw netlink): clear errors, nothing lost; deny_max
#    and the 16-origin bound hold.

source "$(dirname "$0")/sg_learn_lib.sh"
require_cmd jq /usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)

phone_in() { nft_count "$phone" phone attacker_in; }
reg_in() { nft_count "$phone" phone registrar_in; }
hits() { gw -j deny list | jq -r --arg o "$1" --arg k "${2:-hits}" \
	'[.origins[] | select(.origin == $o) | .[$k]] | first // "none"'; }
entries() { gw -j deny list | jq -r --arg o "$1" '[.entries[] | select(.origin == $o) | .prefix] | sort | join(" ")'; }
# options FROM_NS FROM_ADDR TO_ADDR: one SIP OPTIONS to TO_ADDR:5060.
options() {
	local to=$3
	case $to in *:*) to="[$to]" ;; esac
	printf 'OPTIONS sip:100@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:5099;branch=z9hG4bK%s\r\nMax-Forwards: 70\r\nFrom: <sip:probe@example.invalid>;tag=1\r\nTo: <sip:100@%s>\r\nCall-ID: %s@deny\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n' \
		"$to" "$2" "$RANDOM" "$to" "$RANDOM$RANDOM" | udp_send_msg "$1" "$3" 5060 5099
}

check "set mode enforce policy open, high rate, learn on" \
	gw set mode enforce policy open rate 10000 burst 10000 learn on
P4=$SG_PHONE4 P6=$SG_PHONE6

# --- open policy: dropped before parsing, counted per origin ---------------
a0=$(phone_in) m0=$(stat drop_malformed)
options "$attacker" $SG_ATTACKER4 $P4
udp_send "$attacker" $P4 5060
expect_eq "without an entry: OPTIONS from the attacker reaches the phone" $((a0 + 1)) "$(phone_in)"
expect_eq "without an entry: non-SIP payload is drop_malformed" $((m0 + 1)) "$(stat drop_malformed)"

check "deny add 203.0.113.0/24 origin v4" gw deny add 203.0.113.0/24 origin v4
check "deny add 2001:db8:66::/48 origin v6" gw deny add 2001:db8:66::/48 origin v6
a0=$(phone_in) m0=$(stat drop_malformed) d0=$(stat drop_deny)
options "$attacker" $SG_ATTACKER4 $P4
udp_send "$attacker" $P4 5060
options "$attacker" $SG_ATTACKER6 $P6
udp_send "$attacker" $P6 5060
expect_eq "open: nothing from the denied prefixes reaches the phone" "$a0" "$(phone_in)"
expect_eq "open: drop_deny counts SIP and non-SIP, IPv4 and IPv6" $((d0 + 4)) "$(stat drop_deny)"
expect_eq "open: dropped before parsing (drop_malformed unchanged)" "$m0" "$(stat drop_malformed)"
expect_eq "origin v4 counts its hits" 2 "$(hits v4)"
expect_eq "origin v6 counts its hits" 2 "$(hits v6)"
expect_eq "deny list shows the entries with their origins" "203.0.113.0/24" "$(entries v4)"

# --- expiry -------------------------------------------------------------------
check "deny del 203.0.113.0/24 (any origin)" gw deny del 203.0.113.0/24
check_fails "deny del of a prefix no origin holds is refused" gw deny del 203.0.113.0/24
expect_eq "an origin without entries is gone" none "$(hits v4)"
a0=$(phone_in)
options "$attacker" $SG_ATTACKER4 $P4
expect_eq "deleted: the attacker passes again" $((a0 + 1)) "$(phone_in)"

# Timed by the packets themselves: a sender stamps each OPTIONS with the
# milliseconds since just before the add, every 50 ms; a listener on the
# phone (guarded port 5090, nothing else there) reports the first that
# arrives.  The entry exists from some moment after t0, so nothing may pass
# before t0 + 3 s; once the add has returned, 3 s later everything passes.
check "guard port 5090 too (the timing listener's)" gw set ports 5060,5090
ip netns exec "$phone" timeout 15 /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 5090))
d = s.recv(4096).decode(errors="replace")
print([l.split(":")[1].strip().split("@")[0] for l in d.split("\r\n") if l.startswith("Call-ID:")][0])
' $P4 > /tmp/sg-deny-first &
listener=$!
rm -f /tmp/sg-deny-go
# The sender starts now (python under TCG takes seconds) and waits for t0.
ip netns exec "$attacker" timeout 20 /usr/bin/python3 -c '
import os, socket, sys, time
to = sys.argv[1]
while not os.path.exists("/tmp/sg-deny-go"):
    time.sleep(0.01)
time.sleep(0.01)
t0 = int(open("/tmp/sg-deny-go").read()) / 1e9
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
first = None
while time.time() - t0 < 8:
    ms = int((time.time() - t0) * 1000)
    first = ms if first is None else first
    m = ("OPTIONS sip:100@%s SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.66:5099;branch=z9hG4bK%d\r\n"
         "From: <sip:probe@example.invalid>;tag=1\r\nTo: <sip:100@%s>\r\nCall-ID: %d@timed\r\n"
         "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n" % (to, ms, to, ms))
    s.sendto(m.encode(), (to, 5090))
    time.sleep(0.05)
print(first)
' $P4 > /tmp/sg-deny-sent &
sender=$!
sleep 3
t0=$(date +%s%N)
check "deny add 203.0.113.66 timeout 3 origin timed" gw deny add 203.0.113.66 timeout 3 origin timed
t1=$(date +%s%N)
echo "$t0" > /tmp/sg-deny-go
left=$(gw -j deny list | jq -r '.entries[] | select(.origin == "timed") | .expires_in')
check "deny list shows the time left (${left}s)" test "$left" -ge 1 -a "$left" -le 3
wait $sender
wait $listener
first_sent=$(cat /tmp/sg-deny-sent) first_pass=$(cat /tmp/sg-deny-first)
add_ms=$(( (t1 - t0) / 1000000 ))
info "timeout 3: the add took $add_ms ms; probes from $first_sent ms; the first to pass was sent at ${first_pass:-never} ms"
check "timeout 3: probes were sent well before the end (${first_sent} ms)" test "${first_sent:-9999}" -lt 2500
check "timeout 3: nothing passed before 3 s (${first_pass:-never} ms)" test -n "$first_pass" -a "${first_pass:-0}" -ge 2990
check "timeout 3: passes within 3 s of the add + 300 ms" test -n "$first_pass" -a "${first_pass:-99999}" -le $((3000 + add_ms + 300))
check "guard port 5060 alone again" gw set ports 5060
sleep 1.2
expect_eq "the expired entry is reaped from the list" none "$(hits timed)"

# --- replace: one origin swapped, another untouched ----------------------------
printf '# feed A\n198.51.100.0/25\n203.0.113.0/24 timeout 600   # scanner\n\n' > /tmp/sg-deny-a
printf '192.0.2.200/29\n2001:db8:66::/48\n' > /tmp/sg-deny-b
check "deny replace --origin feeda FILE" gw deny replace --origin feeda /tmp/sg-deny-a
expect_eq "feeda holds the file's entries" "198.51.100.0/25 203.0.113.0/24" "$(entries feeda)"
check "deny replace --origin feeda - (stdin)" ip netns exec "$gw" "$SIPGUARDCTL" deny replace --origin feeda - < /tmp/sg-deny-b
expect_eq "feeda holds exactly the new entries" "192.0.2.200/29 2001:db8:66::/48" "$(entries feeda)"
expect_eq "origin v6 is untouched by feeda's replace" "2001:db8:66::/48" "$(entries v6)"
a0=$(phone_in)
options "$attacker" $SG_ATTACKER4 $P4
expect_eq "the replaced entry of feeda no longer drops" $((a0 + 1)) "$(phone_in)"
printf '198.51.100.0/33\n' > /tmp/sg-deny-bad
check_fails "a file with a bad line is refused" gw deny replace --origin feeda /tmp/sg-deny-bad
expect_eq "... and feeda keeps its entries" "192.0.2.200/29 2001:db8:66::/48" "$(entries feeda)"
check "deny replace --origin feeda with nothing" gw deny replace --origin feeda /dev/null
expect_eq "an empty replace forgets the origin" none "$(hits feeda)"

# --- trusted sources win ---------------------------------------------------------
check "deny add 203.0.113.66 origin trusted" gw deny add 203.0.113.66 origin trusted
check "allow add 203.0.113.66" gw allow add 203.0.113.66
a0=$(phone_in)
options "$attacker" $SG_ATTACKER4 $P4
expect_eq "an allowlisted source passes despite a deny entry" $((a0 + 1)) "$(phone_in)"
expect_eq "... counted as ignored_allowlisted" 1 "$(hits trusted ignored_allowlisted)"
expect_eq "... and not as a hit" 0 "$(hits trusted)"
check "show says the entry was ignored because the source is allowlisted" \
	bash -c "ip netns exec $gw $SIPGUARDCTL show | grep -q 'ignored 1 times: the source is allowlisted'"
check "allow del 203.0.113.66" gw allow del 203.0.113.66

check "a phone registers with the registrar (learned)" reg ${P[0]} 5070 600
check "deny add 198.51.100.10 origin reg" gw deny add 198.51.100.10 origin reg
r0=$(reg_in)
options "$registrar" $SG_REGISTRAR4 $P4
expect_eq "a learned registrar passes despite a deny entry" $((r0 + 1)) "$(reg_in)"
expect_eq "... counted as ignored_learned" 1 "$(hits reg ignored_learned)"
check "show says the entry was ignored for a learned registrar" \
	bash -c "ip netns exec $gw $SIPGUARDCTL show | grep -q 'the source is a learned registrar'"

# --- strict: only counted -------------------------------------------------------------
check "set policy strict" gw set policy strict
u0=$(stat drop_untrusted) d0=$(stat drop_deny) h0=$(hits v6)
options "$attacker" $SG_ATTACKER6 $P6
expect_eq "strict: a denied source is drop_untrusted" $((u0 + 1)) "$(stat drop_untrusted)"
expect_eq "strict: not drop_deny" "$d0" "$(stat drop_deny)"
expect_eq "strict: the origin counts the hit" $((h0 + 1)) "$(hits v6)"
check "set policy open" gw set policy open

# --- hostile requests: clear errors, nothing lost -------------------------------------
before=$(gw -j deny list | jq -c '[.entries[] | [.prefix, .origin]]')
out=$(ip netns exec "$gw" /usr/bin/python3 "$here/nl_raw.py" deny-v4-plen-33 deny-v6-plen-129 \
	deny-host-bits deny-addr-5-bytes deny-no-plen deny-none deny-timeout-zero deny-timeout-long \
	deny-origin-long deny-origin-huge deny-origin-upper deny-replace-no-origin \
	deny-replace-bad-entry deny-del-timeout deny-del-absent deny-unknown-nested)
while read -r name err msg; do
	check "$name: refused ($err) with a message: $msg" test "$err" != OK -a "$msg" != -
done <<< "$out"
check "prefix length 33 says so" grep -q "deny-v4-plen-33 .*IPv4 prefix length must be at most 32" <<< "$out"
check "an oversized origin says so" grep -q "deny-origin-long .*origin name is 1-31" <<< "$out"
expect_eq "after the hostile requests every entry is still there" "$before" \
	"$(gw -j deny list | jq -c '[.entries[] | [.prefix, .origin]]')"

old_max=$(cat /sys/module/sipguard/parameters/deny_max)
n_now=$(gw -j deny list | jq '.entries | length')
echo $((n_now + 3)) > /sys/module/sipguard/parameters/deny_max
printf '198.51.100.%d\n' 1 2 3 4 > /tmp/sg-deny-big
err=$(gw deny replace --origin big /tmp/sg-deny-big 2>&1)
check "more entries than deny_max: refused with a clear error ($err)" grep -q "No space left on device: .*deny_max" <<< "$err"
printf '198.51.100.%d\n' 1 2 3 > /tmp/sg-deny-big
check "exactly deny_max entries fit" gw deny replace --origin big /tmp/sg-deny-big
check_fails "one more add is refused" gw deny add 198.51.100.99 origin big
echo "$old_max" > /sys/module/sipguard/parameters/deny_max
check "deny del 198.51.100.1 origin big" gw deny del 198.51.100.1 origin big
expect_eq "the rest of big is intact" "198.51.100.2/32 198.51.100.3/32" "$(entries big)"

# --- the configuration file ----------------------------------------------------------
check "deny add 192.0.2.77 timeout 600 (timed: state, not configuration)" gw deny add 192.0.2.77 timeout 600
conf=$(gw showconf)
check "showconf writes the permanent entries with their origins" grep -qx "deny 2001:db8:66::/48 origin v6" <<< "$conf"
check_fails "showconf leaves out timed entries" grep -q "192.0.2.77" <<< "$conf"
printf 'mode enforce\npolicy open\nrate 10000\nburst 10000\nlearn on\ndeny 198.51.100.0/24 origin cfg\ndeny 192.0.2.99\n' > /tmp/sg-deny-conf
check "setconf with deny lines" gw setconf /tmp/sg-deny-conf
expect_eq "setconf: the file's origin holds its entries" "198.51.100.0/24" "$(entries cfg)"
expect_eq "setconf: the default origin is exactly the file's" "192.0.2.99/32" "$(entries manual)"
expect_eq "setconf: an origin the file does not name is left alone" "2001:db8:66::/48" "$(entries v6)"
gw showconf > /tmp/sg-deny-conf2
check "showconf | setconf: the same file back" bash -c "ip netns exec $gw $SIPGUARDCTL setconf /tmp/sg-deny-conf2 &&
	ip netns exec $gw $SIPGUARDCTL showconf | cmp -s - /tmp/sg-deny-conf2"

n_orig=$(gw -j deny list | jq '.origins | length')
for i in $(seq $((n_orig + 1)) 16); do
	gw deny add 192.0.2.$((200 + i)) origin "o$i" || fail "origin o$i"
done
err=$(gw deny add 192.0.2.250 origin seventeen 2>&1)
check "a 17th origin is refused ($err)" grep -q "16 origins" <<< "$err"
expect_eq "16 origins are held" 16 "$(gw -j deny list | jq '.origins | length')"
check "an existing origin still takes entries" gw deny add 192.0.2.251 origin o16
rm -f /tmp/sg-deny-conf /tmp/sg-deny-conf2 /tmp/sg-deny-go /tmp/sg-deny-first /tmp/sg-deny-sent /tmp/sg-deny-a /tmp/sg-deny-b /tmp/sg-deny-bad /tmp/sg-deny-big
info "took $SECONDS s"
sg_exit
