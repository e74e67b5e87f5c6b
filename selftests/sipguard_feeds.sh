#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The denylist feeds (tools/feeds) against a local server that speaks the
# APIBAN and the CrowdSec LAPI APIs (sg_feedsrv.py), documentation
# addresses only:
#
#   feed 192.0.2.10:8080 (sg_feedsrv.py) ---- 192.0.2.1 gw (sipguard, the feeds)
#
#  - sipguard-apiban: the whole list in batches on the first run, then only
#    the batches after its cursor; a bad entry is skipped, not the list; a
#    lost or damaged cursor means the whole list again, never a list with
#    entries missing; a module that lost the origin gets it back;
#  - sipguard-crowdsec: startup=true first, then new and deleted decisions;
#    durations become timeouts, ranges and IPv6 work, other types and
#    scopes are left out; a lost state file means startup=true again; a
#    refused request keeps what was loaded.

source "$(dirname "$0")/lib.sh"
require_cmd curl jq /usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
feeds=${SG_FEEDS:-$SG_TOP/tools/feeds}
[ -x "$feeds/sipguard-apiban" ] || skip "no feeds at $feeds"

sg_module_load || { fail "module load"; sg_exit; }
setup_ns gw feed
veth_link "$gw" f0 "$feed" f1
ip -n "$gw" addr add 192.0.2.1/24 dev f0
ip -n "$feed" addr add 192.0.2.10/24 dev f1
srv=$(mktemp -d) state=$(mktemp -d)
sg_cleanup_hooks+=(stop_srv)
stop_srv() { [ -z "${srvpid:-}" ] || kill "$srvpid" 2>/dev/null; rm -rf "$srv" "$state"; }
echo '[["198.51.100.1", "198.51.100.2", "2001:db8::1"], ["198.51.100.3"]]' > "$srv/apiban.json"
ip netns exec "$feed" /usr/bin/python3 "$here/sg_feedsrv.py" 192.0.2.10 8080 "$srv" &
srvpid=$!
for i in $(seq 50); do
	ip netns exec "$gw" curl -s -o /dev/null http://192.0.2.10:8080/ && break
	sleep 0.2
done

# curl as the feeds run it, its command line written down: what ps shows
# every local user while a request runs.
mkdir "$srv/bin"
printf '#!/bin/sh\necho "$*" >> %s/argv\nexec %s "$@"\n' "$srv" "$(command -v curl)" > "$srv/bin/curl"
chmod +x "$srv/bin/curl"
export SIPGUARDCTL SIPGUARD_STATE_DIR=$state
apiban() { ip netns exec "$gw" env PATH="$srv/bin:$PATH" APIBAN_KEY=${KEY-apikey} \
	APIBAN_URL=http://192.0.2.10:8080/api "$feeds/sipguard-apiban"; }
crowdsec() { ip netns exec "$gw" env PATH="$srv/bin:$PATH" CROWDSEC_API_KEY=${KEY-bouncerkey} \
	CROWDSEC_LAPI_URL=http://192.0.2.10:8080 "$feeds/sipguard-crowdsec"; }
entries() { ip netns exec "$gw" "$SIPGUARDCTL" -j deny list |
	jq -r --arg o "$1" '[.entries[] | select(.origin == $o) | .prefix] | sort | join(" ")'; }
left() { ip netns exec "$gw" "$SIPGUARDCTL" -j deny list |
	jq -r --arg p "$1" '.entries[] | select(.prefix == $p) | .expires_in'; }
requests() { cat "$srv/requests.log" 2>/dev/null; }

# --- APIBAN -----------------------------------------------------------------------
: > "$srv/requests.log"
all4="198.51.100.1/32 198.51.100.2/32 198.51.100.3/32 2001:db8::1/128"
check "apiban: first run" apiban
expect_eq "apiban: the whole list is loaded" "$all4" "$(entries apiban)"
expect_eq "apiban: its requests went from the start through every batch" \
	"/api/apikey/banned /api/apikey/banned/100 /api/apikey/banned/101" "$(requests | xargs)"
expect_eq "apiban: the cursor is kept" 101 "$(cat "$state/apiban.id")"

echo '[["198.51.100.1", "198.51.100.2", "2001:db8::1"], ["198.51.100.3"], ["198.51.100.4", "198.51.100.5/33"]]' > "$srv/apiban.json"
: > "$srv/requests.log"
check "apiban: update" apiban
expect_eq "apiban: only the batches after the cursor are asked for" \
	"/api/apikey/banned/101 /api/apikey/banned/102" "$(requests | xargs)"
all5=$(echo $all4 198.51.100.4/32 | tr ' ' '\n' | sort | xargs)
expect_eq "apiban: the new entry is added, the bad one skipped" "$all5" "$(entries apiban)"

rm "$state/apiban.id"
: > "$srv/requests.log"
check "apiban: run without its cursor" apiban
expect_eq "apiban: a lost cursor means the whole list again" "/api/apikey/banned" "$(requests | head -1)"
expect_eq "apiban: ... and nothing missing" "$all5" "$(entries apiban)"
echo "garbage" > "$state/apiban.id"
: > "$srv/requests.log"
check "apiban: run with a damaged cursor" apiban
expect_eq "apiban: a damaged cursor means the whole list again" "/api/apikey/banned" "$(requests | head -1)"
expect_eq "apiban: the cursor is an ID again" 102 "$(cat "$state/apiban.id")"

check "the module loses the origin (deny replace --origin apiban with nothing)" \
	ip netns exec "$gw" "$SIPGUARDCTL" deny replace --origin apiban /dev/null
check "apiban: a run with no new bans" apiban
expect_eq "apiban: the kept list is loaded again" "$all5" "$(entries apiban)"
KEY=wrongkey check_fails "apiban: a refused key fails the run" apiban
expect_eq "apiban: ... and keeps the list" "$all5" "$(entries apiban)"
check "apiban: curl ran ($(wc -l < "$srv/argv") times)" test -s "$srv/argv"
check_fails "apiban: the key was never on curl's command line" grep -q apikey "$srv/argv"
out=$(KEY='' apiban 2>&1); rc=$?
check "apiban: without a key the run fails (exit $rc)" test $rc -ne 0
check "apiban: ... saying so ($out)" grep -q 'APIBAN_KEY is not set' <<< "$out"
expect_eq "apiban: ... and keeps the list" "$all5" "$(entries apiban)"

# --- CrowdSec ------------------------------------------------------------------------
cat > "$srv/decisions.json" <<'JSON'
[{"id": 1, "origin": "crowdsec", "scenario": "crowdsecurity/sip-bf", "scope": "Ip", "type": "ban", "value": "198.51.100.7", "duration": "3h59m55.75s"},
 {"id": 2, "origin": "cscli", "scenario": "manual", "scope": "Range", "type": "ban", "value": "2001:db8:5::/48", "duration": "59m"},
 {"id": 3, "origin": "crowdsec", "scenario": "x", "scope": "Ip", "type": "captcha", "value": "198.51.100.8", "duration": "1h"},
 {"id": 4, "origin": "crowdsec", "scenario": "x", "scope": "Country", "type": "ban", "value": "ZZ", "duration": "1h"},
 {"id": 5, "origin": "crowdsec", "scenario": "x", "scope": "Ip", "type": "ban", "value": "198.51.100.9", "duration": "-5m"}]
JSON
: > "$srv/requests.log"
check "crowdsec: first run" crowdsec
expect_eq "crowdsec: asked with startup=true" "/v1/decisions/stream?startup=true" "$(requests | xargs)"
expect_eq "crowdsec: the ban decisions on an IP or a range are loaded" \
	"198.51.100.7/32 2001:db8:5::/48" "$(entries crowdsec)"
l7=$(left 198.51.100.7/32) l5=$(left 2001:db8:5::/48)
check "crowdsec: 3h59m55.75s left is a timeout of 14396 s (${l7}s left)" test "${l7:-0}" -ge 14380 -a "${l7:-0}" -le 14396
check "crowdsec: 59m is 3540 s (${l5}s left)" test "${l5:-0}" -ge 3525 -a "${l5:-0}" -le 3540

cat > "$srv/delta.json" <<'JSON'
{"new": [{"id": 6, "origin": "crowdsec", "scenario": "x", "scope": "Ip", "type": "ban", "value": "198.51.100.10", "duration": "10m"}],
 "deleted": [{"id": 1, "origin": "crowdsec", "scenario": "x", "scope": "Ip", "type": "ban", "value": "198.51.100.7", "duration": "-1s"}]}
JSON
: > "$srv/requests.log"
check "crowdsec: update" crowdsec
expect_eq "crowdsec: then asked with startup=false" "/v1/decisions/stream?startup=false" "$(requests | xargs)"
expect_eq "crowdsec: the deleted decision is gone, the new one there" \
	"198.51.100.10/32 2001:db8:5::/48" "$(entries crowdsec)"
check "apiban's origin is untouched by crowdsec's" test "$(entries apiban | wc -w)" = 5

check "the module loses the origin" ip netns exec "$gw" "$SIPGUARDCTL" deny replace --origin crowdsec /dev/null
check "crowdsec: a run with nothing new" crowdsec
expect_eq "crowdsec: the kept decisions are loaded again" "198.51.100.10/32 2001:db8:5::/48" "$(entries crowdsec)"
KEY=wrongkey check_fails "crowdsec: a refused key fails the run" crowdsec
check_fails "crowdsec: the key was never on curl's command line" grep -q bouncerkey "$srv/argv"
out=$(KEY='' crowdsec 2>&1); rc=$?
check "crowdsec: without a key the run fails (exit $rc)" test $rc -ne 0
check "crowdsec: ... saying so ($out)" grep -q 'CROWDSEC_API_KEY is not set' <<< "$out"
expect_eq "crowdsec: ... and keeps the decisions" "198.51.100.10/32 2001:db8:5::/48" "$(entries crowdsec)"
rm "$state/crowdsec.state"
: > "$srv/requests.log"
check "crowdsec: run without its state" crowdsec
expect_eq "crowdsec: a lost state means startup=true again" "/v1/decisions/stream?startup=true" "$(requests | xargs)"
expect_eq "crowdsec: ... with the server's active decisions" "198.51.100.7/32 2001:db8:5::/48" "$(entries crowdsec)"
sg_exit
