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
#  - a ban whose prefix holds an allowlisted address (a manual ban of one,
#    a scanner allowlisted on another source port) or a learned registrar
#    is in the log, marked trusted=, and neither fail2ban counts it
#    nor does CrowdSec make it an alert: what the fleet learns from this
#    gateway never blocks its provider;
#  - the bouncer against the same LAPI, served over TLS: with an API key
#    (one pull, origins [cscli]: the scenario's decision is left out), and
#    with a client certificate (mTLS, no key), sipguard-crowdsec --daemon
#    pulling every second: a decision added with cscli is in `sipguardctl
#    deny list` within seconds, deleted it is gone, and `cscli bouncers
#    list` shows both bouncers with their last pull.
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
# One crowdsec (agent and LAPI) serves every check, started first; the
# waits poll the LAPI and crowdsec's metrics with curl rather than cscli (a
# Go program that takes seconds to start under TCG).

source "$(dirname "$0")/../../selftests/lib.sh"
require_cmd fail2ban-client crowdsec cscli iptables openssl curl jq

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
# phase WHAT: how far into the test, for the time budget.
phase() { info "$((SECONDS - t0)) s: $*"; }

# --- crowdsec: a private configuration, agent and LAPI in the gateway ----
# Its LAPI serves TLS (as a LAPI bouncers reach over the network does), and
# takes a client certificate from a bouncer instead of a key: a CA, the
# server's certificate for 127.0.0.1 and a bouncer's (OU bouncer-ou, the
# LAPI's default for bouncers).
cs=$tmp/cs
pki=$tmp/pki
mkdir -p "$pki"
# cert NAME SUBJECT EXTENSION: a key and a certificate the CA signs.
cert() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/$1.key" -subj "$2" \
		-out "$pki/$1.csr" 2>/dev/null &&
		openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
			-CAcreateserial -days 2 -out "$pki/$1.pem" -extfile <(echo "$3") 2>/dev/null
}
pki_make() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/ca.key" -out "$pki/ca.pem" \
		-days 2 -subj "/CN=sipguard test CA" 2>/dev/null &&
		cert server "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1" &&
		cert bouncer "/OU=bouncer-ou/CN=sipguard-mtls" "extendedKeyUsage=clientAuth"
}
check "openssl: a CA, the LAPI's certificate and a bouncer's" pki_make
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
printf 'source: file\nfilenames:\n  - %s\nlabels:\n  type: syslog\n' "$log" > "$cs/acquis.yaml"
# Paths into $cs, no Central API (the guest is offline), metrics on the
# gateway's loopback, the LAPI's TLS; the agent and cscli reach it by
# https with the CA.
sed -i -e "s|/etc/crowdsec|$cs|g" -e "s|log_dir: .*|log_dir: $cs/|" \
	-e "s|db_path: .*|db_path: $cs/crowdsec.db|" \
	-e '/online_client:/,+1d' "$cs/config.yaml"
sed -i "/^    listen_uri:/a\\
    tls:\\
      cert_file: $pki/server.pem\\
      key_file: $pki/server.key\\
      ca_cert_path: $pki/ca.pem\\
      client_verification: VerifyClientCertIfGiven\\
      bouncers_allowed_ou:\\
        - bouncer-ou" "$cs/config.yaml"
rm -f "$cs/config.yaml.local"
csc() { ip netns exec "$gw" cscli -c "$cs/config.yaml" "$@"; }
csc machines add sipguard-test --auto --force -f "$cs/local_api_credentials.yaml" >/dev/null 2>"$tmp/cs.err" ||
	{ cat "$tmp/cs.err"; fail "cscli machines add"; sg_exit; }
sed -i "s|^url: .*|url: https://127.0.0.1:8080/|" "$cs/local_api_credentials.yaml"
echo "ca_cert_path: $pki/ca.pem" >> "$cs/local_api_credentials.yaml"
# The bouncer with a key, and the key the waits read the LAPI with.
bkey=$(csc bouncers add sipguard-test -o raw 2>"$tmp/cs.err")
check "cscli bouncers add" test -n "$bkey"
ip netns exec "$gw" crowdsec -c "$cs/config.yaml" > "$tmp/crowdsec.out" 2>&1 &
pids+=($!)
# lapi PATH: GET from the LAPI as the bouncer with the key, over TLS.
lapi() {
	printf 'header = "X-Api-Key: %s"\n' "$bkey" |
		ip netns exec "$gw" curl -sS -f -m 20 --cacert "$pki/ca.pem" --config - "https://127.0.0.1:8080$1"
}

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

# --- fail2ban: Debian's configuration, the shipped filter and jail ------
f2b=$tmp/f2b
cp -r /etc/fail2ban "$f2b"
rm -f "$f2b"/jail.d/*
cp "$top"/tools/fail2ban/filter.d/sipguard.conf "$f2b"/filter.d/
cp "$top"/tools/fail2ban/jail.d/sipguard.conf "$f2b"/jail.d/
# Only where the events go differs from an installed system (see above).
printf '[sipguard-recidive]\nbackend = polling\nlogpath = %s\n' "$log" > "$f2b/jail.local"
printf '[Definition]\nlogtarget = %s\nsocket = %s\npidfile = %s\ndbfile = :memory:\n' \
	"$tmp/fail2ban.log" "$tmp/f2b.sock" "$tmp/f2b.pid" > "$f2b/fail2ban.local"
f2bc() { ip netns exec "$gw" fail2ban-client -c "$f2b" -s "$tmp/f2b.sock" -p "$tmp/f2b.pid" "$@"; }
check "fail2ban starts with the sipguard-recidive jail" f2bc start

# Both ready: crowdsec's LAPI answers and its agent has read a line of the
# log (an unban line, which no parser takes: acquisition counts it).
cs_reads() {
	ip netns exec "$gw" curl -s -m 10 http://127.0.0.1:6060/metrics |
		awk -v src="source=\"$log\"" 'index($0, "cs_filesource_hits_total{") == 1 && index($0, src) { n += $NF }
			END { print n + 0 }'
}
cs_ready() {
	local end=$((SECONDS + 150))
	while [ $SECONDS -lt $end ]; do
		if lapi /v1/decisions >/dev/null 2>&1; then
			gw unban all
			[ "$(cs_reads)" -gt 0 ] 2>/dev/null && return 0
		fi
		sleep 1
	done
	return 1
}
if ! check "crowdsec: LAPI up over TLS, the agent reads the event log" cs_ready; then
	tail -n 30 "$cs/crowdsec.log" "$tmp/crowdsec.out" | sed 's/^/# /'
	ip netns exec "$gw" curl -s -m 10 http://127.0.0.1:6060/metrics | grep filesource | sed 's/^/# /'
	sg_exit
fi
phase "crowdsec and fail2ban ready"

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

# --- bans of trusted prefixes: logged, marked, passed on to no one ------
# A manual ban of an allowlisted address: the allowlist wins on the
# datapath, but a ban passed on would block it everywhere else.
gw allow add 198.51.100.50/32
gw ban 198.51.100.50
out=$(wait_line "ban source=198\.51\.100\.50/32 ")
expect_eq "a manual ban of an allowlisted address is logged, marked" \
	"ban source=198.51.100.50/32 reason=manual duration=600 netns=$ns_re trusted=allowlist" "${out#*]: }"
# A second address of the scanner, allowlisted from source port 5061 only:
# from another port its scan is judged and bans it (on its other ports).
ip -n "$attacker" addr add 203.0.113.67/24 dev a0
gw allow add 203.0.113.67/32 port 5061
sipmsg OPTIONS friendly-scanner $SG_WAN4 | ip netns exec "$attacker" /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("203.0.113.67", 40004))
s.sendto(sys.stdin.buffer.read(), (sys.argv[1], 5060))' $SG_WAN4
out=$(wait_line "ban source=203\.0\.113\.67/32 ")
expect_eq "a scan from a source allowlisted on another port bans it, marked" \
	"ban source=203.0.113.67/32 reason=signature duration=600 netns=$ns_re trusted=allowlist" "${out#*]: }"
# The registrar a phone sends a REGISTER to is trusted by learning (until
# its answer, or 32 s); a manual ban of it is marked so.
gw set learn on
printf 'REGISTER sip:%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:5070;branch=z9hG4bK-%s\r\nFrom: <sip:100@%s>;tag=1\r\nTo: <sip:100@%s>\r\nCall-ID: %s@p\r\nCSeq: 1 REGISTER\r\nContact: <sip:100@%s:5070>\r\nExpires: 600\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' \
	$SG_REGISTRAR4 $SG_PHONE4 $RANDOM $SG_REGISTRAR4 $SG_REGISTRAR4 $RANDOM $SG_PHONE4 |
	udp_send_msg "$phone" $SG_REGISTRAR4 5060 5070
learned_registrar() { gw allow list | grep -q "^$SG_REGISTRAR4/32.*learned"; }
check "learning trusts the registrar the phone registers with" learned_registrar ||
	gw allow list | sed 's/^/# /'
gw ban $SG_REGISTRAR4 60
out=$(wait_line "ban source=$SG_REGISTRAR4/32 ")
expect_eq "a manual ban of a learned registrar is logged, marked" \
	"ban source=$SG_REGISTRAR4/32 reason=manual duration=60 netns=$ns_re trusted=registrar" "${out#*]: }"
gw set learn off
gw unban all
phase "trusted bans logged"

# What the jail found and banned, from fail2ban's log (INFO "Found ADDR",
# NOTICE "Ban ADDR"): polled without a fail2ban-client (a Python start,
# seconds under TCG) a time; the status is asked once, at the end.
f2b_log() { sed -n "s/.* \[sipguard-recidive\] $1 \([^ ]*\).*/\1/p" "$tmp/fail2ban.log" 2>/dev/null; }
# f2b_wait WHAT N: true once N lines of WHAT are in fail2ban's log, within 30 s.
f2b_wait() {
	local i
	for i in $(seq 60); do
		[ "$(f2b_log "$1" | grep -c .)" -ge "$2" ] && return 0
		sleep 0.5
	done
	return 1
}
check "fail2ban found the scanner's two bans" f2b_wait Found 2
expect_eq "fail2ban: two bans are not a recidive" "" "$(f2b_log Ban | xargs)"

# The third ban is short: its expiry is logged too.
gw set ban 3
scan 40003
out=$(wait_line "ban source=$SG_ATTACKER4/32 reason=signature duration=3 ")
check "third ban, 3 s, logged" test -n "$out"
out=$(for i in $(seq 50); do grep -m1 "expire source=$SG_ATTACKER4/32" "$log" && break; sleep 0.2; done)
expect_eq "expire line after the ban's time" "expire source=$SG_ATTACKER4/32 netns=$ns_re" "${out#*]: }"

check "fail2ban: the third ban puts the scanner in sipguard-recidive" f2b_wait Ban 1
# The trusted bans were logged before the scanner's third: read by now.
expect_eq "fail2ban found the scanner's three bans, none of the trusted ones" \
	"$SG_ATTACKER4 $SG_ATTACKER4 $SG_ATTACKER4" "$(f2b_log Found | xargs)"
out=$(f2bc status sipguard-recidive)
check "fail2ban-client status lists it" grep -q "Banned IP list:.*$SG_ATTACKER4" <<< "$out"
info "$(grep -E 'Total failed|Banned IP' <<< "$out" | tr -s ' \t|`-' ' ')"
check "fail2ban: only the scanner's bans, three" grep -qE "Total failed:[[:space:]]+3\$" <<< "$out"
check "the gateway's firewall drops it on every port" \
	bash -c "ip netns exec $gw iptables -S f2b-sipguard-recidive | grep -q -- '-s $SG_ATTACKER4/32'"
phase "fail2ban done"

# --- crowdsec: the alert and the decision -----------------------------
# lapi_decisions: "VALUE TYPE SCOPE SCENARIO ORIGIN" of every decision.
lapi_decisions() {
	lapi /v1/decisions | jq -r '.[]? | "\(.value) \(.type) \(.scope) \(.scenario) \(.origin)"'
}
cs_decision() {
	local i
	for i in $(seq 60); do
		lapi_decisions | grep -m1 "^$1 ban Ip sipguard/sipguard-ban " && return 0
		sleep 1
	done
	return 1
}
out=$(cs_decision $SG_ATTACKER4)
expect_eq "the LAPI: the scanner, banned by sipguard/sipguard-ban" \
	"$SG_ATTACKER4 ban Ip sipguard/sipguard-ban crowdsec" "$out"
phase "crowdsec's decision"
out=$(csc decisions list 2>&1)
check "cscli decisions list shows it" grep -qF "Ip:$SG_ATTACKER4 " <<< "$out"
grep -F "$SG_ATTACKER4" <<< "$out" | sed 's/^/# /'
# The trusted bans came before the scanner's third: read by now.
out=$(lapi_decisions | grep -E "^(198\.51\.100\.50|203\.0\.113\.67|$SG_REGISTRAR4) " | xargs)
expect_eq "no decision for a trusted prefix" "" "$out"
out=$(csc alerts list -o json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
for a in json.load(sys.stdin) or []:
    if a["scenario"] == "sipguard/sipguard-ban":
        m = {x["key"]: x["value"] for e in a.get("events") or [] for x in e.get("meta") or []}
        print(a["source"].get("ip") or a["source"].get("value"), m.get("sipguard_reason"), m.get("sipguard_netns"))')
check "the alert carries the module's reason and namespace ($(grep -m1 "^$SG_ATTACKER4 " <<< "$out"))" \
	grep -qx "$SG_ATTACKER4 signature $ns_re" <<< "$out"
expect_eq "the scanner's is the only alert: no trusted prefix reported" \
	"$SG_ATTACKER4" "$(cut -d' ' -f1 <<< "$out" | sort -u | xargs)"

# --- the bouncer: configured as CrowdSec's, against this LAPI -----------
denied() { gw -j deny list | jq -r '.entries[] | select(.origin == "crowdsec") | .prefix' | sort | xargs; }
check "cscli decisions add" csc decisions add --ip 198.51.100.77 --duration 1h --reason sipguard-test
# bouncer YAML STATE [--daemon]: sipguard-crowdsec with that configuration.
bouncer() {
	ip netns exec "$gw" env SIPGUARD_CROWDSEC_CONFIG="$1" SIPGUARD_STATE_DIR="$2" \
		SIPGUARDCTL="$SIPGUARDCTL" "$top/tools/feeds/sipguard-crowdsec" "${@:3}"
}
# With the key: one pull (a timer's run), only cscli's decisions.
printf '# As /etc/crowdsec/bouncers/sipguard.yaml would be.\napi_url: https://127.0.0.1:8080/\napi_key: %s\nca_cert_path: %s\norigins:\n  - cscli\n' \
	"$bkey" "$pki/ca.pem" > "$tmp/bouncer-key.yaml"
check "the bouncer with a key loads the decisions" bouncer "$tmp/bouncer-key.yaml" "$tmp/bk"
expect_eq "deny list: cscli's decision, not the scenario's (origins [cscli])" \
	"198.51.100.77/32" "$(denied)"

# With a client certificate, no key: every second until stopped.
printf 'api_url: https://127.0.0.1:8080/\ncert_path: %s\nkey_path: %s\nca_cert_path: %s\nupdate_frequency: 1s\norigins:\n  - cscli\n' \
	"$pki/bouncer.pem" "$pki/bouncer.key" "$pki/ca.pem" > "$tmp/bouncer-tls.yaml"
# Started directly, not through bouncer(): $! is then the script itself
# (ip and env exec it), which sg_stop ends, not a subshell above it.
ip netns exec "$gw" env SIPGUARD_CROWDSEC_CONFIG="$tmp/bouncer-tls.yaml" SIPGUARD_STATE_DIR="$tmp/bt" \
	SIPGUARDCTL="$SIPGUARDCTL" "$top/tools/feeds/sipguard-crowdsec" --daemon \
	2> >(while IFS= read -r l; do printf '%(%T)T %s\n' -1 "$l"; done > "$tmp/bouncer.err") &
pids+=($!)
# wait_denied WANT: the crowdsec origin becomes WANT within 120 s (a pull
# a second, but under TCG on a loaded host one run of the script took 20-40
# s); prints the time.
wait_denied() {
	local start=$SECONDS
	while [ $((SECONDS - start)) -lt 120 ]; do
		[ "$(denied)" = "$1" ] && { echo $((SECONDS - start)); return 0; }
		sleep 0.5
	done
	return 1
}
check "cscli decisions add, another" csc decisions add --ip 198.51.100.78 --duration 1h --reason sipguard-test
out=$(wait_denied "198.51.100.77/32 198.51.100.78/32")
check "mTLS: a decision added with cscli is in deny list after ${out:-?} s" test -n "$out"
check "cscli decisions delete" csc decisions delete --ip 198.51.100.78
out=$(wait_denied "198.51.100.77/32")
check "mTLS: deleted, it is gone from deny list after ${out:-?} s" test -n "$out"
phase "bouncers"
out=$(csc bouncers list -o json 2>/dev/null)
jq -r '.[] | "\(.name) \(.ip_address) \(.auth_type) \(.last_pull)"' <<< "$out" | sed 's/^/# /'
# pulled NAME-ERE AUTH: listed with that authentication and a last pull.
pulled() {
	jq -r '.[] | "\(.name) \(.auth_type) \(.last_pull)"' <<< "$out" | grep -E "^$1 $2 " |
		grep -vE ' (null|0001-.*)$'
}
got=$(pulled sipguard-test api-key)
check "cscli bouncers list: the key's bouncer, its last pull ($got)" test -n "$got"
got=$(pulled 'sipguard-mtls@[0-9.]+' tls)
check "cscli bouncers list: the certificate's, its last pull ($got)" test -n "$got"
[ -s "$tmp/bouncer.err" ] && sed 's/^/# bouncer: /' "$tmp/bouncer.err" | tail -n 4

phase "done"
sg_exit
