#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's bans reach the tools operators already run: Debian's real
# fail2ban and crowdsec, reading sipguard's event log, in the gateway of the
# ghost-call scene (lib.sh).
#
#  - `sipguardctl monitor --log` writes one line per ban, unban and expiry
#    in the documented format (sipguardctl(8), EVENT LOG), exactly;
#  - fail2ban with tools/fail2ban (filter sipguard, jail sipguard-recidive,
#    its shipped settings: 3 bans in a day): after two bans of the scanner
#    it is not banned, after the third `fail2ban-client status` lists it
#    and the firewall rule is in the gateway;
#  - crowdsec with tools/crowdsec (parser sipguard/sipguard-logs, scenario
#    sipguard/sipguard-ban), its agent and its Local API on 127.0.0.1 in
#    the gateway: the scanner's ban is an alert in the LAPI and a ban
#    decision in `cscli decisions list` (the agent is the watcher that
#    reports the module's bans: sipguardctl(8), EVENT LOG);
#  - the bouncer, sipguard-crowdsec --daemon with a bouncer YAML (api_url,
#    api_key, update_frequency 1s, origins [cscli]): a decision added with
#    cscli is in `sipguardctl deny list` within seconds, deleted it is gone,
#    the scenario's decision (origin crowdsec) is filtered out, and `cscli
#    bouncers list` shows the bouncer's last pull.
#
# The guest has no systemd and no journald (PID 1 is the runner's init), so
# the events go where journald would put them in syslog form: the writer's
# lines, stamped "MMM DD HH:MM:SS host sipguard[PID]: " as `journalctl -o
# short` and rsyslog print them, are appended to a file both tools read
# with their file backends.  Running systemd-journald by hand needs its
# sockets and /run/systemd set up as systemd would, and would test
# journald, not sipguard: the parsers see the same text either way (the
# fail2ban filter's journalmatch and the acquis.d journalctl source are
# the only parts not run here).
#
# Guest time: about three minutes under TCG, half of it until crowdsec and
# fail2ban are up.

source "$(dirname "$0")/../../selftests/lib.sh"
require_cmd fail2ban-client crowdsec cscli iptables

top=$(cd "$(dirname "$0")/../.." && pwd)
sg_scene
tmp=$(mktemp -d)
chmod 755 "$tmp"
log=$tmp/sipguard-events.log
pids=()
cleanup_eco() {
	[ -S "$tmp/f2b.sock" ] && ip netns exec "$gw" fail2ban-client -c "$tmp/f2b" \
		-s "$tmp/f2b.sock" -p "$tmp/f2b.pid" stop >/dev/null 2>&1
	sg_stop ${pids[@]+"${pids[@]}"}
	if [ -n "${SG_KEEP:-}" ]; then
		cp -r "$tmp" "$SG_KEEP"
	fi
	rm -rf "$tmp"
}
sg_cleanup_hooks+=(cleanup_eco)
t0=$SECONDS

# --- the writer: monitor --log, stamped as the journal's syslog view -----
stamp() {
	local l
	while IFS= read -r l; do
		printf '%(%b %e %H:%M:%S)T gw sipguard[%d]: %s\n' -1 "$1" "$l"
	done >> "$log"
}
: > "$log"
# As sipguard-events.service does for a named namespace (-n).
"$SIPGUARDCTL" -n "$gw" monitor --log 2> "$tmp/writer.err" > >(stamp $$) &
pids+=($!)
listening() {
	local i
	for i in $(seq 50); do
		gw unban all
		grep -q 'unban source=all ' "$log" && return 0
		sleep 0.2
	done
	return 1
}
check "monitor --log listens in the gateway" listening

# --- crowdsec: a private configuration, agent and LAPI in the gateway ----
cs=$tmp/cs
cp -rL /etc/crowdsec "$cs"
rm -rf "$cs"/collections "$cs"/scenarios/* "$cs"/parsers/s01-parse/* "$cs"/acquis.d
mkdir -p "$cs/acquis.d"
rm -f "$cs"/parsers/s02-enrich/http-logs.yaml
# Only the grok patterns these parsers use (syslog-logs takes NOTDQUOTE
# from nginx's file): the whole library takes crowdsec 90 s to compile
# under TCG, these few seconds.
find "$cs"/patterns -type f ! -name linux-syslog ! -name nginx -delete
cp "$top"/tools/crowdsec/parsers/s01-parse/sipguard-logs.yaml "$cs"/parsers/s01-parse/
cp "$top"/tools/crowdsec/scenarios/sipguard-ban.yaml "$cs"/scenarios/
cat > "$cs/acquis.yaml" <<EOF
source: file
filenames:
  - $log
labels:
  type: syslog
EOF
# Paths into $cs, no Central API (the guest is offline), metrics on the
# gateway's loopback for `cscli metrics`.
sed -i -e "s|/etc/crowdsec|$cs|g" -e "s|log_dir: .*|log_dir: $cs/|" \
	-e "s|db_path: .*|db_path: $cs/crowdsec.db|" \
	-e '/online_client:/,+1d' "$cs/config.yaml"
rm -f "$cs/config.yaml.local"
csc() { ip netns exec "$gw" cscli -c "$cs/config.yaml" "$@"; }
csc machines add sipguard-test --auto --force -f "$cs/local_api_credentials.yaml" >/dev/null 2>"$tmp/cs.err" ||
	{ cat "$tmp/cs.err"; fail "cscli machines add"; sg_exit; }
ip netns exec "$gw" crowdsec -c "$cs/config.yaml" > "$tmp/crowdsec.out" 2>&1 &
pids+=($!)

# --- fail2ban: Debian's configuration, the shipped filter and jail ------
f2b=$tmp/f2b
cp -r /etc/fail2ban "$f2b"
rm -f "$f2b"/jail.d/*
cp "$top"/tools/fail2ban/filter.d/sipguard.conf "$f2b"/filter.d/
cp "$top"/tools/fail2ban/jail.d/sipguard.conf "$f2b"/jail.d/
# Only where the events go differs from an installed system (see above).
cat > "$f2b/jail.local" <<EOF
[sipguard-recidive]
backend = polling
logpath = $log
EOF
cat > "$f2b/fail2ban.local" <<EOF
[Definition]
logtarget = $tmp/fail2ban.log
socket = $tmp/f2b.sock
pidfile = $tmp/f2b.pid
dbfile = :memory:
EOF
f2bc() { ip netns exec "$gw" fail2ban-client -c "$f2b" -s "$tmp/f2b.sock" -p "$tmp/f2b.pid" "$@"; }
check "fail2ban starts with the sipguard-recidive jail" f2bc start
# The jail's banned addresses, one a line.
banned_f2b() { f2bc get sipguard-recidive banned 2>/dev/null | tr -d "[]',\"" | tr ' ' '\n' | grep .; }

# Both ready: crowdsec's LAPI answers and its agent has read a line of the
# log (an unban line, which no parser takes: acquisition counts it).
cs_reads() {
	# crowdsec 1.4 prints one JSON object per table, acquisition's first.
	csc metrics -o json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
try:
    a, _ = json.JSONDecoder().raw_decode(sys.stdin.read().lstrip())
except ValueError:
    a = {}
print(sum(v.get("reads", 0) for k, v in a.items() if k.endswith(sys.argv[1]) and isinstance(v, dict)))' "$log"
}
cs_ready() {
	local end=$((SECONDS + 150))
	while [ $SECONDS -lt $end ]; do
		if grep -q "Starting processing data" "$cs/crowdsec.log" 2>/dev/null; then
			gw unban all
			[ "$(cs_reads)" -gt 0 ] 2>/dev/null && return 0
		fi
		sleep 1
	done
	csc metrics -o json 2>&1 | head -c 600 | sed 's/^/# /'
	return 1
}
if ! check "crowdsec: LAPI up, the agent reads the event log" cs_ready; then
	tail -n 30 "$cs/crowdsec.log" "$tmp/crowdsec.out" | sed 's/^/# /'
	csc metrics 2>&1 | head -30 | sed 's/^/# /'
	sg_exit
fi
info "crowdsec and fail2ban ready after $((SECONDS - t0)) s"

# options METHOD UA ADDR: a SIP request from the attacker.
sipmsg() {
	printf '%s sip:100@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-%s\r\nFrom: <sip:x@%s>;tag=1\r\nTo: <sip:100@%s>\r\nCall-ID: %s@x\r\nCSeq: 1 %s\r\nMax-Forwards: 70\r\nUser-Agent: %s\r\nContent-Length: 0\r\n\r\n' \
		"$1" "$3" "$3" "$RANDOM" "$3" "$3" "$RANDOM" "$1" "$2"
}
# wait_line ERE: the first line of the log matching, within 10 s.
wait_line() {
	local i
	for i in $(seq 50); do
		grep -m1 -E "$1" "$log" && return 0
		sleep 0.2
	done
	return 1
}
scan() {
	sipmsg OPTIONS friendly-scanner $SG_WAN4 | udp_send_msg "$attacker" $SG_WAN4 5060 "$1"
}
ns_re=$gw

# --- the scanner, banned three times ----------------------------------
gw set mode enforce policy open rate 20 burst 10 ban 600 budget 0
scan 40001
out=$(wait_line "sipguard\[[0-9]+\]: ban source=$SG_ATTACKER4/32 ")
expect_eq "ban line: source, reason, duration, namespace" \
	"ban source=$SG_ATTACKER4/32 reason=signature duration=600 netns=$ns_re" "${out#*]: }"
gw unban $SG_ATTACKER4
out=$(wait_line "sipguard\[[0-9]+\]: unban source=$SG_ATTACKER4/32 ")
check "unban line: source, count, requester, namespace ($out)" \
	grep -qE "^unban source=$SG_ATTACKER4/32 count=1 by=sipguardctl\[[0-9]+\] netns=$ns_re\$" <<< "${out#*]: }"
scan 40002
# wait_count N ERE: true once N lines of the log match, within 10 s.
wait_count() {
	local i
	for i in $(seq 50); do
		[ "$(grep -cE "$2" "$log")" -ge "$1" ] && return 0
		sleep 0.2
	done
	return 1
}
check "second ban logged" wait_count 2 "sipguard\[[0-9]+\]: ban source=$SG_ATTACKER4/32 "
gw unban $SG_ATTACKER4
f2b_failed() {
	local i
	for i in $(seq 30); do
		f2bc status sipguard-recidive | grep -qE "Total failed:[[:space:]]+$1\$" && return 0
		sleep 1
	done
	return 1
}
check "fail2ban counted both bans" f2b_failed 2
expect_eq "fail2ban: two bans are not a recidive" "" "$(banned_f2b)"

# The third ban is short: its expiry is logged too.
gw set ban 3
scan 40003
out=$(wait_line "ban source=$SG_ATTACKER4/32 reason=signature duration=3 ")
check "third ban, 3 s, logged" test -n "$out"
out=$(for i in $(seq 50); do grep -m1 "expire source=$SG_ATTACKER4/32" "$log" && break; sleep 0.2; done)
expect_eq "expire line after the ban's time" "expire source=$SG_ATTACKER4/32 netns=$ns_re" "${out#*]: }"

f2b_banned() {
	local i
	for i in $(seq 30); do
		banned_f2b | grep -qw "$SG_ATTACKER4" && return 0
		sleep 1
	done
	return 1
}
check "fail2ban: the third ban puts the scanner in sipguard-recidive" f2b_banned
out=$(f2bc status sipguard-recidive)
check "fail2ban-client status lists it" grep -q "Banned IP list:.*$SG_ATTACKER4" <<< "$out"
info "$(grep -E 'Total failed|Banned IP' <<< "$out" | tr -s ' \t|`-' ' ')"
check "the gateway's firewall drops it on every port" \
	bash -c "ip netns exec $gw iptables -S f2b-sipguard-recidive | grep -q -- '-s $SG_ATTACKER4/32'"

# --- crowdsec: the alert and the decision -----------------------------
cs_decision() {
	local i
	for i in $(seq 30); do
		csc decisions list -o json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
ip = sys.argv[1]
for a in json.load(sys.stdin) or []:
    for d in a.get("decisions") or []:
        if d["value"] == ip and d["type"] == "ban" and d["scenario"] == "sipguard/sipguard-ban":
            print(d["value"], d["type"], d["scope"], d["scenario"], d["origin"]); sys.exit(0)
sys.exit(1)' "$1" && return 0
		sleep 1
	done
	return 1
}
out=$(cs_decision $SG_ATTACKER4)
expect_eq "cscli decisions list: the scanner, banned by sipguard/sipguard-ban" \
	"$SG_ATTACKER4 ban Ip sipguard/sipguard-ban crowdsec" "$out"
csc decisions list 2>&1 | grep -F "$SG_ATTACKER4" | sed 's/^/# /'
out=$(csc alerts list -o json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
for a in json.load(sys.stdin) or []:
    if a["scenario"] == "sipguard/sipguard-ban":
        m = {x["key"]: x["value"] for e in a.get("events") or [] for x in e.get("meta") or []}
        print(a["source"]["ip"], m.get("sipguard_reason"), m.get("sipguard_netns"))')
check "the alert carries the module's reason and namespace ($out)" \
	grep -qx "$SG_ATTACKER4 signature $ns_re" <<< "$out"

# --- the bouncer: configured as CrowdSec's, against this LAPI -----------
bkey=$(csc bouncers add sipguard-test -o raw 2>"$tmp/cs.err")
check "cscli bouncers add" test -n "$bkey"
cat > "$tmp/bouncer.yaml" <<EOF
# As /etc/crowdsec/bouncers/sipguard.yaml would be.
api_url: http://127.0.0.1:8080/
api_key: $bkey
update_frequency: 1s
origins:
  - cscli
EOF
ip netns exec "$gw" env SIPGUARD_CROWDSEC_CONFIG="$tmp/bouncer.yaml" SIPGUARD_STATE_DIR="$tmp/bouncer" \
	SIPGUARDCTL="$SIPGUARDCTL" "$top/tools/feeds/sipguard-crowdsec" --daemon 2> "$tmp/bouncer.err" &
pids+=($!)
denied() { gw -j deny list | jq -r '.entries[] | select(.origin == "crowdsec") | .prefix' | sort | xargs; }
# wait_denied WANT: the crowdsec origin becomes WANT within 60 s (a pull a
# second, but under TCG a pull and cscli take seconds); prints the time.
wait_denied() {
	local start=$SECONDS
	while [ $((SECONDS - start)) -lt 60 ]; do
		[ "$(denied)" = "$1" ] && { echo $((SECONDS - start)); return 0; }
		sleep 0.5
	done
	return 1
}
check "cscli decisions add" csc decisions add --ip 198.51.100.77 --duration 1h --reason sipguard-test
out=$(wait_denied 198.51.100.77/32)
check "a decision added with cscli is in deny list (origin crowdsec) after ${out:-?} s" test -n "$out"
info "the crowdsec-origin decision of $SG_ATTACKER4 is left out by origins: [cscli]"
check "cscli decisions delete" csc decisions delete --ip 198.51.100.77
out=$(wait_denied "")
check "deleted, it is gone from deny list after ${out:-?} s" test -n "$out"
out=$(csc bouncers list -o json 2>/dev/null | jq -r '.[] | select(.name == "sipguard-test") | .last_pull')
check "cscli bouncers list: the bouncer with its last pull ($out)" \
	bash -c '[ -n "$1" ] && [ "$1" != null ] && [ "${1#0001}" = "$1" ]' - "$out"
csc bouncers list 2>&1 | grep sipguard-test | sed 's/^/# /'
[ -s "$tmp/bouncer.err" ] && sed 's/^/# bouncer: /' "$tmp/bouncer.err" | tail -n 5

info "guest time: $((SECONDS - t0)) s"
sg_exit
