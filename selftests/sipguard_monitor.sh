#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `sipguardctl monitor -j` in the gateway of the ghost-call scene (lib.sh):
#
#   attacker 203.0.113.66, 2001:db8:66::66     registrar 198.51.100.10
#          \                                     /
#           +------------- inet -----------------+
#                           |
#                         wan0  gateway (sipguard; monitor -j listens here)
#                         lan0
#                           |
#                         phone
#
#   other1 198.51.100.201 --- other2 198.51.100.202   (a second namespace
#                                                      with its own events)
#
#  - the open policy bans a scanner (signature): a ban event (source/plen,
#    reason drop_signature, seconds) and a drop event (address, port,
#    method, User-Agent, reason); unban of it and of all: unban events that
#    name the source, the count and the requesting process;
#  - untrusted SIP under strict, IPv4 and IPv6: drop events with address,
#    port, method, User-Agent and reason drop_untrusted;
#  - a flood of drops: the events delivered stay within the rate limit
#    (event_burst + event_rate x time), events_sent + events_suppressed
#    account for every drop, the sequence numbers have gaps exactly as
#    large as the suppressed counts, and monitor printed "missed" for them;
#  - a listener that stops reading: the events lost on its full socket and
#    those the rate limit held back, each counted exactly by the "missed"
#    lines;
#  - another namespace's events reach its own listener, not this one;
#  - without CAP_NET_ADMIN (an unprivileged user, a user namespace's root)
#    joining the events group is refused;
#  - with no listener, drops count no events at all;
#  - the kernel's ynl CLI decodes an event with tools/ynl/sipguard.yaml.

source "$(dirname "$0")/lib.sh"
require_cmd /usr/bin/python3 setpriv unshare

sg_scene
tmp=$(mktemp -d)
mons=()
cleanup_mon() {
	local p
	for p in "${mons[@]}"; do sg_stop "$p"; done
	rm -rf "$tmp"
}
sg_cleanup_hooks+=(cleanup_mon)

# Module parameters (sipguard(4)); the defaults unless the loader set them.
rate=$(cat /sys/module/sipguard/parameters/event_rate 2>/dev/null || echo 20)
burst=$(cat /sys/module/sipguard/parameters/event_burst 2>/dev/null || echo 50)

# ev FILE FROM KEY=VALUE...: the events on lines > FROM of FILE (JSON, one a
# line) whose keys have these values, one per line.
ev() {
	/usr/bin/python3 - "$@" <<'EOF'
import json, sys
path, start, want = sys.argv[1], int(sys.argv[2]), [a.split("=", 1) for a in sys.argv[3:]]
for n, line in enumerate(open(path), 1):
    if n <= start or not line.strip():
        continue
    d = json.loads(line)
    if all(str(d.get(k)) == v for k, v in want):
        print(line.rstrip())
EOF
}
# ev_wait FILE FROM KEY=VALUE...: the first such event, waiting up to 10 s.
ev_wait() {
	local i out
	for i in $(seq 50); do
		out=$(ev "$@" | head -n 1)
		[ -n "$out" ] && { echo "$out"; return 0; }
		sleep 0.2
	done
	return 1
}
lines() { wc -l < "$1"; }
# start_monitor NS FILE: monitor -j in NS, and wait until it listens (an
# unban-all event of its own reaches it).
start_monitor() {
	ip netns exec "$1" "$SIPGUARDCTL" monitor -j > "$2" 2> "$2.err" &
	mons+=($!)
	local i
	for i in $(seq 50); do
		ip netns exec "$1" "$SIPGUARDCTL" unban all
		sleep 0.2
		grep -q '"event":"unban"' "$2" && return 0
	done
	return 1
}
# options METHOD UA: a SIP request from the attacker.
sipmsg() {
	printf '%s sip:100@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-%s\r\nFrom: <sip:x@%s>;tag=1\r\nTo: <sip:100@%s>\r\nCall-ID: %s@x\r\nCSeq: 1 %s\r\nMax-Forwards: 70\r\nUser-Agent: %s\r\nContent-Length: 0\r\n\r\n' \
		"$1" "$3" "$3" "$RANDOM" "$3" "$3" "$RANDOM" "$1" "$2"
}

# --- no listener, no events ---------------------------------------------
gw set mode enforce policy strict
sipmsg OPTIONS quiet $SG_WAN4 | udp_send_msg "$attacker" $SG_WAN4 5060 40001
expect_eq "no listener: a drop counts no event" "0 0" \
	"$(sg_stat "$gw" events_sent) $(sg_stat "$gw" events_suppressed)"

# --- a listener -----------------------------------------------------------
check "monitor -j listens in the gateway" start_monitor "$gw" "$tmp/ev"
out=$(ev "$tmp/ev" 0 event=unban source=all | head -n 1)
check "unban all: event with source all, the count and the process ($out)" \
	/usr/bin/python3 -c 'import json, sys; d = json.loads(sys.argv[1]);
sys.exit(not (d["unbanned"] == 0 and d["comm"] == "sipguardctl" and d["pid"] > 1 and d["seq"] >= 1))' "$out"

# The open policy bans a scanner by its User-Agent.
gw set policy open rate 20 burst 10 ban 600 budget 0
from=$(lines "$tmp/ev")
sipmsg OPTIONS friendly-scanner $SG_WAN4 | udp_send_msg "$attacker" $SG_WAN4 5060 40002
out=$(ev_wait "$tmp/ev" "$from" event=ban)
expect_eq "ban event: source, reason, seconds" "203.0.113.66/32 drop_signature 600" \
	"$(/usr/bin/python3 -c 'import json, sys; d = json.loads(sys.argv[1]);
print(d["source"], d["reason"], d["seconds"])' "${out:-{\}}")"
out=$(ev_wait "$tmp/ev" "$from" event=drop reason=drop_signature)
expect_eq "drop event of the scanner: address, port, proto, method, User-Agent, mode" \
	"203.0.113.66 40002 udp OPTIONS friendly-scanner enforce" \
	"$(/usr/bin/python3 -c 'import json, sys; d = json.loads(sys.argv[1]);
print(d["source"], d["port"], d["proto"], d["method"], d["user_agent"], d["mode"])' "${out:-{\}}")"
sipmsg OPTIONS friendly-scanner $SG_WAN4 | udp_send_msg "$attacker" $SG_WAN4 5060 40003
check "the banned scanner's next packet: drop_banned event" \
	ev_wait "$tmp/ev" "$from" event=drop reason=drop_banned port=40003

from=$(lines "$tmp/ev")
gw unban $SG_ATTACKER4
out=$(ev_wait "$tmp/ev" "$from" event=unban)
expect_eq "unban event: source, count, process" "203.0.113.66/32 1 sipguardctl" \
	"$(/usr/bin/python3 -c 'import json, sys; d = json.loads(sys.argv[1]);
print(d["source"], d["unbanned"], d["comm"])' "${out:-{\}}")"

# Strict: untrusted SIP is dropped unparsed, but the event names it.
gw set policy strict
from=$(lines "$tmp/ev")
sipmsg INVITE 'Ghost Caller/1.0' $SG_WAN4 | udp_send_msg "$attacker" $SG_WAN4 5060 40004
out=$(ev_wait "$tmp/ev" "$from" event=drop port=40004)
expect_eq "strict, IPv4: drop event" "203.0.113.66 INVITE Ghost Caller/1.0 drop_untrusted" \
	"$(/usr/bin/python3 -c 'import json, sys; d = json.loads(sys.argv[1]);
print(d["source"], d["method"], d["user_agent"], d["reason"])' "${out:-{\}}")"
sipmsg REGISTER 'v6 scanner' "[$SG_WAN6]" | udp_send_msg "$attacker" $SG_WAN6 5060 40005
out=$(ev_wait "$tmp/ev" "$from" event=drop port=40005)
expect_eq "strict, IPv6: drop event" "2001:db8:66::66 REGISTER v6 scanner drop_untrusted" \
	"$(/usr/bin/python3 -c 'import json, sys; d = json.loads(sys.argv[1]);
print(d["source"], d["method"], d["user_agent"], d["reason"])' "${out:-{\}}")"

# --- a flood --------------------------------------------------------------
# Let the event bucket fill up again (burst / rate seconds), then note the
# counters, flood, and make one more event after it to see the last gap.
sleep $(((burst + rate - 1) / rate + 1))
from=$(lines "$tmp/ev")
sent0=$(sg_stat "$gw" events_sent) supp0=$(sg_stat "$gw" events_suppressed)
n=800
t0=$(date +%s%N)
ip netns exec "$attacker" /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 40010))
for i in range(int(sys.argv[2])):
    s.sendto(b"OPTIONS sip:x SIP/2.0\r\n\r\n", (sys.argv[1], 5060))' $SG_WAN4 $n
t1=$(date +%s%N)
sent1=$(sg_stat "$gw" events_sent) supp1=$(sg_stat "$gw" events_suppressed)
gw unban all
ev_wait "$tmp/ev" "$from" event=unban >/dev/null
ms=$(((t1 - t0) / 1000000))
got=$(ev "$tmp/ev" "$from" event=drop port=40010 | wc -l)
sent=$((sent1 - sent0)) supp=$((supp1 - supp0))
info "flood: $n drops in $ms ms; $got events delivered, events_sent +$sent, events_suppressed +$supp"
expect_eq "every drop of the flood is an event sent or suppressed" $n $((sent + supp))
expect_eq "the listener got every event sent" $sent $got
limit=$((burst + rate * (ms + 999) / 1000 + 1))
check "events delivered within the rate limit ($got <= $limit: burst $burst + $rate/s x $ms ms)" \
	test "$got" -le "$limit"
check "the rate limit suppressed events ($supp)" test "$supp" -gt 0
out=$(/usr/bin/python3 - "$tmp/ev" "$from" <<'EOF'
import json, sys
seqs, missed, errors = [], 0, []
for n, line in enumerate(open(sys.argv[1]), 1):
    if n <= int(sys.argv[2]):
        continue
    d = json.loads(line)
    if d["event"] == "missed":
        missed += d["missed"]
        if d["missed"] != d["suppressed"] or d["lost"]:
            errors.append("missed %d, suppressed %d, lost %d" % (d["missed"], d["suppressed"], d["lost"]))
    else:
        seqs.append(d["seq"])
gaps = sum(b - a - 1 for a, b in zip(seqs, seqs[1:]))
if any(b <= a for a, b in zip(seqs, seqs[1:])):
    errors.append("sequence numbers not increasing")
print(gaps, missed, "; ".join(errors) or "ok")
EOF
)
expect_eq "seq gaps = missed lines = events suppressed; all in order" "$supp $supp ok" "$out"
# The text form: one "missed N events" line for a gap.
ip netns exec "$gw" "$SIPGUARDCTL" monitor > "$tmp/text" 2>&1 &
p=$!
mons+=($p)
sleep 1
ip netns exec "$attacker" /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(300):
    s.sendto(b"x", (sys.argv[1], 5060))' $SG_WAN4
gw unban all
sleep 1
kill $p
out=$(grep -m1 '^missed' "$tmp/text")
check "monitor (text) prints 'missed N events' for a gap: $out" grep -Eq '^missed [0-9]+ events' <<< "$out"
out=$(grep -m1 '^drop' "$tmp/text")
check "... and drops as 'drop source ADDR port N ... reason R': $out" \
	grep -Eq "^drop source $SG_ATTACKER4 port [0-9]+ proto udp reason drop_untrusted mode enforce seq [0-9]+$" <<< "$out"

# --- a listener that falls behind -----------------------------------------
# The JSON monitor stopped while a paced flood makes more events than its
# socket holds (about 160 at the default receive buffer): the kernel drops
# some on the full socket (ENOBUFS), and the gaps tell them apart from the
# ones the rate limit held back, exactly.
mon1=${mons[0]}
sleep 1
kill -STOP "$mon1"
from=$(lines "$tmp/ev")
sent0=$(sg_stat "$gw" events_sent) supp0=$(sg_stat "$gw" events_suppressed)
ip netns exec "$attacker" /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 40030))
for i in range(3000):
    s.sendto(b"OPTIONS sip:x SIP/2.0\r\n\r\n", (sys.argv[1], 5060))
    if i % 25 == 24:
        time.sleep(0.1)' $SG_WAN4
sent1=$(sg_stat "$gw" events_sent) supp1=$(sg_stat "$gw" events_suppressed)
kill -CONT "$mon1"
sleep 2
gw unban all
ev_wait "$tmp/ev" "$from" event=unban >/dev/null
got=$(ev "$tmp/ev" "$from" event=drop port=40030 | wc -l)
sent=$((sent1 - sent0)) supp=$((supp1 - supp0))
out=$(/usr/bin/python3 - "$tmp/ev" "$from" <<'EOF'
import json, sys
s = l = 0
for n, line in enumerate(open(sys.argv[1]), 1):
    d = json.loads(line)
    if n > int(sys.argv[2]) and d["event"] == "missed":
        s += d["suppressed"]
        l += d["lost"]
print(s, l)
EOF
)
info "stopped listener: $sent events sent, $got received, $supp suppressed; missed lines say suppressed+lost: $out"
check "the socket overflowed: fewer received than sent ($got < $sent)" test "$got" -lt "$sent"
expect_eq "missed lines: suppressed = events_suppressed, lost = sent - received" \
	"$supp $((sent - got))" "$out"

# --- another namespace ----------------------------------------------------
setup_ns other1 other2
veth_link "$other1" x0 "$other2" x1
ip -n "$other1" addr add 198.51.100.201/24 dev x0
ip -n "$other2" addr add 198.51.100.202/24 dev x1
ip netns exec "$other1" "$SIPGUARDCTL" set mode enforce policy strict
check "a listener in the other namespace" start_monitor "$other1" "$tmp/ev2"
from=$(lines "$tmp/ev")
sipmsg OPTIONS elsewhere 198.51.100.201 | udp_send_msg "$other2" 198.51.100.201 5060 40020
check "the other namespace's drop reaches its own listener" \
	ev_wait "$tmp/ev2" 0 event=drop port=40020 source=198.51.100.202
sleep 1
expect_eq "... and not the gateway's" "" "$(ev "$tmp/ev" "$from" source=198.51.100.202)"
expect_eq "... nor its unban events" "" "$(ev "$tmp/ev" "$from" event=unban)"

# --- every configuration change is announced --------------------------------
o1() { ip netns exec "$other1" "$SIPGUARDCTL" "$@"; }
from2=$(lines "$tmp/ev2")
o1 set rate 7
check "set: a config event naming the request, the process and its command" \
	ev_wait "$tmp/ev2" "$from2" event=config request=set-config comm=sipguardctl
o1 allow add 198.51.100.99
gen=$(o1 -j show | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])')
check "allow add: announced with the generation show reports ($gen)" \
	ev_wait "$tmp/ev2" "$from2" event=config request=allow-add generation="$gen"
o1 signature add EvilScanX
check "signature add: announced" ev_wait "$tmp/ev2" "$from2" event=config request=sig-add
o1 allow del 198.51.100.99
check "allow del: announced" ev_wait "$tmp/ev2" "$from2" event=config request=allow-del
o1 allow add 198.51.100.97 name pbx.example
o1 allow del pbx.example
# ev_count N FILE FROM KEY=VALUE...: at least N such events came.
ev_count() {
	local n=$1 i
	shift
	for i in $(seq 50); do
		[ "$(ev "$@" | wc -l)" -ge "$n" ] && return 0
		sleep 0.2
	done
	return 1
}
check "allow del by name: announced" ev_count 2 "$tmp/ev2" "$from2" event=config request=allow-del
o1 deny add 203.0.113.99
check "deny add: announced" ev_wait "$tmp/ev2" "$from2" event=config request=deny-add
o1 deny del 203.0.113.99
check "deny del: announced" ev_wait "$tmp/ev2" "$from2" event=config request=deny-del
echo 203.0.113.98 | o1 deny replace --origin feed.example -
check "deny replace: announced" ev_wait "$tmp/ev2" "$from2" event=config request=deny-replace
o1 set mode bogus 2>/dev/null
o1 allow del 198.51.100.98 2>/dev/null
o1 deny del 203.0.113.1 2>/dev/null
sleep 1
expect_eq "a refused request is not announced" 9 "$(ev "$tmp/ev2" "$from2" event=config | wc -l)"
expect_eq "... and the gateway's listener heard none of them" "" "$(ev "$tmp/ev" "$from" event=config)"

# --- who may listen -------------------------------------------------------
out=$(ip netns exec "$gw" timeout 10 setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all "$SIPGUARDCTL" monitor 2>&1); rc=$?
expect_eq "monitor without CAP_NET_ADMIN exits 1" 1 $rc
check "... saying it needs CAP_NET_ADMIN ($out)" grep -q "needs CAP_NET_ADMIN" <<< "$out"
out=$(ip netns exec "$gw" timeout 10 unshare --user --map-root-user "$SIPGUARDCTL" monitor 2>&1); rc=$?
expect_eq "monitor as root of a user namespace (not the netns owner's) exits 1" 1 $rc
check "... refused ($out)" grep -q "Operation not permitted" <<< "$out"

# The YNL spec's group and event, through the kernel's own ynl CLI (when a
# kernel source tree's tools/net/ynl is at hand: YNL_DIR=, or build/ynl).
ynl=
for d in ${YNL_DIR:-} "$SG_TOP"/build/ynl/linux-source-*/tools/net/ynl; do
	[ -f "$d/cli.py" ] && { ynl=$d; break; }
done
if [ -n "$ynl" ]; then
	# Subscribed, it sleeps, then prints what came; unbans meanwhile.  (Not
	# --do with --subscribe: 6.12's ynl.py trips over a notification that
	# arrives during a request.)
	ip netns exec "$gw" /usr/bin/python3 "$ynl/cli.py" --spec "$SG_TOP/tools/ynl/sipguard.yaml" \
		--no-schema --subscribe events --sleep 5 > "$tmp/ynl" 2>&1 &
	p=$!
	mons+=($p)
	for i in $(seq 100); do
		gw unban all
		sleep 0.5
		kill -0 $p 2>/dev/null || break
	done
	wait $p
	out=$(cat "$tmp/ynl")
	check "ynl --subscribe events: the unban event as the spec decodes it" \
		grep -q "'event': 'unban'" <<< "$out" || info "$out"
else
	info "no kernel tools/net/ynl (tools/ynl/get-ynl.sh): the spec's event not tried"
fi

check "no error from the monitors" test ! -s "$tmp/ev.err" -a ! -s "$tmp/ev2.err"
sg_exit
