#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an operator touches, in a namespace of its own:
#  - showconf prints the defaults; setconf of a full file, then showconf |
#    setconf - and showconf again, give the same bytes (with IPv6, source
#    ports, port ranges, interface lists and 20,000 prefixes);
#  - a file with any error (one case per check) exits 2 with FILE:LINE and
#    changes nothing; a refused change (no CAP_NET_ADMIN) exits 1 and
#    changes nothing; settings a file leaves out get the module's default
#    (sipguard_conf.sh tests that in full); a file is applied in one step
#    (the generation moves by one);
#  - `stats prometheus` parses as Prometheus text and agrees with -j;
#    `promtool check metrics` finds nothing; every HELP is a sentence of
#    its own (not the key); the labelled families sum to their counters;
#    the gauges (source table, bans, learned registrars, denylist origins)
#    and the netns label are there; -o writes the file whole;
#  - -j output has exactly the documented keys;
#  - the kernel's ynl CLI drives the family with tools/ynl/sipguard.yaml
#    (when a kernel source tree's tools/net/ynl is at hand: YNL_DIR=, or
#    build/ynl from tools/ynl/get-ynl.sh).

source "$(dirname "$0")/../../selftests/lib.sh"
require_cmd /usr/bin/python3

sg_module_load || { fail "module load"; sg_exit; }
setup_ns ns
run() { ip netns exec "$ns" "$@"; }
ctl() { run "$SIPGUARDCTL" "$@"; }
tmp=$(mktemp -d)
cleanup_tmp() { rm -rf "$tmp"; }
sg_cleanup_hooks+=(cleanup_tmp)

# --- defaults and round trip -------------------------------------------
fresh='mode monitor
policy strict
ports 5060
tls-ports 5061
guard all
learn off
learn-max 16
rate 10
burst 100
ban 600
budget 500
prefix4 32
prefix6 64
table-max 16384
untrusted-invite accept
failures 4
failure-window 60
ban-max 0
signatures default'
expect_eq "showconf of a fresh namespace" "$fresh" "$(ctl showconf | tr -d '\r')"

cat > "$tmp/full.conf" <<'EOF'
# a gateway
mode enforce          # drops for real
policy open
ports 5080,5060,5160-5170
tls-ports 5061,5081
guard wan0,ppp0

allow 198.51.100.10        # registrar
allow 192.0.2.0/24 port 5060
allow 2001:db8::/32
allow 2001:db8:10::10/128 port 5062
EOF
canon='mode enforce
policy open
ports 5060,5080,5160-5170
tls-ports 5061,5081
guard wan0,ppp0
learn off
learn-max 16
rate 10
burst 100
ban 600
budget 500
prefix4 32
prefix6 64
table-max 16384
untrusted-invite accept
failures 4
failure-window 60
ban-max 0
signatures default
allow 198.51.100.10/32
allow 192.0.2.0/24 port 5060
allow 2001:db8::/32
allow 2001:db8:10::10/128 port 5062'
ctl setconf "$tmp/full.conf"; rc=$?
expect_eq "setconf of a full file exits 0" 0 $rc
ctl showconf > "$tmp/a"
expect_eq "showconf prints the file in its canonical spelling" "$canon" "$(cat "$tmp/a")"
ctl showconf | ctl setconf -
ctl showconf > "$tmp/b"
check "showconf | setconf -; showconf: the same bytes" cmp -s "$tmp/a" "$tmp/b"
expect_eq "allow list agrees" 4 "$(ctl allow list | wc -l)"

# A big allowlist round-trips too, in order.
run /usr/bin/python3 -c '
import ipaddress
for i in range(20000):
    print("allow 10.%d.%d.0/24" % (i // 256, i % 256) if i % 2 else
          "allow %s port %d" % (ipaddress.ip_network("2001:db8:%x::/48" % i), 1 + i % 65535))' > "$tmp/big.conf"
t0=$(date +%s%N)
ctl setconf "$tmp/big.conf"; rc=$?
t1=$(date +%s%N)
expect_eq "setconf of 20,000 allow lines" 0 $rc
info "setconf of 20,000 entries: $(((t1 - t0) / 1000000)) ms"
ctl showconf > "$tmp/c"
ctl setconf "$tmp/c" && ctl showconf > "$tmp/d"
check "20,000 entries: showconf | setconf | showconf is byte-identical" cmp -s "$tmp/c" "$tmp/d"
grep '^allow' "$tmp/c" > "$tmp/c.allow"
if cmp -s "$tmp/c.allow" "$tmp/big.conf"; then
	pass "20,000 entries: showconf lists them as written, in the file's order"
else
	fail "20,000 entries: showconf lists them as written: $(diff "$tmp/big.conf" "$tmp/c.allow" | head -n 4 | xargs)"
fi

# One file is one step: the allowlist and the settings become one new
# configuration (the generation moves by one, not once per request), so
# packets never see the new allowlist with the old settings.
gen() { ctl -j show | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["generation"])'; }
printf 'mode monitor\npolicy strict\n' | ctl setconf -
g0=$(gen)
ctl setconf "$tmp/full.conf"
g1=$(gen)
expect_eq "setconf of settings and allowlist: one change (generation $g0 -> $g1)" $((g0 + 1)) "$g1"
expect_eq "... and both took effect" "enforce open 4" \
	"$(ctl -j show | /usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin)
print(d["mode"], d["policy"], d["allowlist_entries"])')"
printf 'mode monitor\n' | ctl setconf -
expect_eq "setconf of one setting and no allow lines: one change too" $((g1 + 1)) "$(gen)"

# Settings a file leaves out get the module's default; no allow line empties the list.
ctl setconf "$tmp/full.conf"
printf 'mode enforce\n' | ctl setconf -
expect_eq "a file with only 'mode': the other settings are the defaults" \
	"$(sed 's/^mode monitor$/mode enforce/' <<< "$fresh")" "$(ctl showconf)"
ctl setconf "$tmp/full.conf"

# --- bad files change nothing ---------------------------------------------
before=$(ctl showconf)
# bad NAME LINE MESSAGE CONTENT: CONTENT (printf escapes) as a file that
# setconf must refuse at LINE with MESSAGE, changing nothing.  Not fed by a
# pipe: a check in a pipeline's subshell would not count.
bad() {
	local name=$1 line=$2 msg=$3 out rc
	printf "$4" > "$tmp/bad.conf"
	out=$(ctl setconf "$tmp/bad.conf" 2>&1); rc=$?
	if [ $rc = 2 ] && grep -q "^sipguardctl: $tmp/bad.conf:$line: .*$msg" <<< "$out"; then
		pass "bad file, $name: exit 2, line $line: ${out#*bad.conf:}"
	else
		fail "bad file, $name: expected exit 2 and line $line '$msg', got $rc: $out"
	fi
	[ "$(ctl showconf)" = "$before" ] || fail "bad file, $name: the configuration changed"
}
bad "host bits" 2 "did you mean 192.0.2.0/24" 'mode enforce\nallow 192.0.2.1/24\n'
bad "unknown mode" 1 "mode must be" 'mode sideways\n'
bad "unknown key" 3 "unknown key 'frobnicate'" 'allow 203.0.113.0/24\nmode off\nfrobnicate 1\n'
bad "setting twice" 3 "set twice (also on line 1)" 'mode off\n\nmode enforce\n'
bad "duplicate entry" 3 "already on line 1" 'allow 192.0.2.0/24\nallow 198.51.100.0/24\nallow 192.0.2.0/24\n'
bad "bad source port" 1 "port must be 1-65535" 'allow 192.0.2.0/24 port 70000\n'
bad "port without number" 1 "port must be 1-65535" 'allow 192.0.2.0/24 port\n'
bad "reversed range" 1 "not a port list" 'ports 5060-5050\n'
bad "SIP and TLS port in the file" 2 "port 5070 would be both" 'ports 5060,5070\ntls-ports 5065-5075\n'
bad "SIP port that is a default TLS port" 1 "both a SIP port and a TLS port (default tls-ports)" 'ports 5061\n'
bad "interface twice" 1 "listed twice" 'guard wan0,wan0\n'
bad "interface name too long" 1 "at most 15" 'guard averyveryverylongname0\n'
bad "two values" 1 "takes one value" 'mode enforce extra\n'
out=$(ctl setconf "$tmp/does-not-exist" 2>&1); rc=$?
expect_eq "a missing file exits 2" 2 $rc

# The kernel refuses: nothing changed, exit 1.
out=$(run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$SIPGUARDCTL" setconf - < "$tmp/full.conf" 2>&1); rc=$?
expect_eq "setconf without CAP_NET_ADMIN exits 1" 1 $rc
check "... and says why" grep -q "Operation not permitted" <<< "$out"
check "... and changed nothing" test "$(ctl showconf)" = "$before"

# --- JSON keys and Prometheus ---------------------------------------------
# Documented keys stay; new ones may come (sipguardctl(8), JSON OUTPUT).
out=$(ctl -j show | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
doc = "allowlist_entries counters family_version generation guard mode policy ports tls_ports version"
print(" ".join(k for k in doc.split() if k not in d) or "all there")')
expect_eq "show -j: every documented key" "all there" "$out"
out=$(ctl -j allow list | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted(d)), " ".join(sorted(d["allowlist"][0])))')
expect_eq "allow list -j: the documented keys" "allowlist port prefix" "$out"

# Some traffic so that the counters are not all zero.
veth_link "$ns" wan0 "$ns" peer0
ip -n "$ns" addr add 203.0.113.1/24 dev wan0
run bash -c 'for i in 1 2 3; do echo x > /dev/udp/203.0.113.1/5060; done' 2>/dev/null
ctl -j stats > "$tmp/stats.json"
ctl stats prometheus > "$tmp/stats.prom"; rc=$?
expect_eq "stats prometheus exits 0" 0 $rc
out=$(/usr/bin/python3 - "$tmp/stats.prom" "$tmp/stats.json" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
counters = json.load(open(sys.argv[2]))["counters"]
errors = []
try:
    from prometheus_client.parser import text_string_to_metric_families
    fams = {f.name: f for f in text_string_to_metric_families(text)}
    got = {s.name: s.value for f in fams.values() for s in f.samples}
    labels = [s.labels for s in fams["sipguard_info"].samples][0]
    how = "prometheus_client"
except ImportError:
    got, labels, how = {}, {}, "regex"
    for line in text.splitlines():
        if line.startswith("#"):
            if not re.match(r"# (HELP|TYPE) sipguard_\w+ ", line):
                errors.append("bad comment: " + line)
            continue
        m = re.match(r'^(sipguard_\w+)(\{[^}]*\})? (\d+)$', line)
        if not m:
            errors.append("bad line: " + line)
            continue
        got[m.group(1)] = float(m.group(3))
        if m.group(2):
            labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
for k, v in counters.items():
    if got.get("sipguard_%s_total" % k) != float(v):
        errors.append("%s: json %s, prometheus %s" % (k, v, got.get("sipguard_%s_total" % k)))
if sorted(labels) != ["mode", "netns", "policy", "version"]:
    errors.append("sipguard_info labels %s" % sorted(labels))
print("%s; %d counters; %s" % (how, len(counters), "; ".join(errors) or "agree"))
EOF
)
check "stats prometheus parses and agrees with stats -j ($out)" grep -q "agree$" <<< "$out"
check "... counted the test traffic" test "$(sed -n 's/^sipguard_sip_udp_total{[^}]*} //p' "$tmp/stats.prom")" -ge 3
check "... sipguard_info has mode=\"enforce\"" grep -q 'sipguard_info{.*mode="enforce"' "$tmp/stats.prom"

# promtool is Prometheus' own linter (Debian's prometheus, tools/setup.sh).
if command -v promtool >/dev/null; then
	out=$(promtool check metrics < "$tmp/stats.prom" 2>&1); rc=$?
	check "promtool check metrics: clean (exit $rc${out:+: $out})" test $rc = 0 -a -z "$out"
else
	fail "promtool is not installed (tools/setup.sh installs Debian's prometheus)"
fi
# A ban, a denylist entry in an origin of its own: the gauges have something to show.
ctl set policy open
ctl ban 203.0.113.77 >/dev/null
ctl deny add 198.51.100.0/24 origin testfeed
run bash -c 'for i in 1 2 3 4; do echo x > /dev/udp/203.0.113.1/5060; done' 2>/dev/null
ctl stats prometheus -o "$tmp/o.prom"; rc=$?
expect_eq "stats prometheus -o FILE exits 0" 0 $rc
expect_eq "... and leaves no temporary file" "o.prom" "$(cd "$tmp" && ls o.prom*)"
out=$(/usr/bin/python3 - "$tmp/o.prom" "$ns" <<'EOF2'
import re, sys
text, ns = open(sys.argv[1]).read(), sys.argv[2]
errors, helps, vals = [], {}, {}
for line in text.splitlines():
    m = re.match(r"# HELP (\S+) (.*)$", line)
    if m:
        helps[m.group(1)] = m.group(2)
        continue
    if line.startswith("#"):
        continue
    m = re.match(r'^(\w+)\{(.*)\} (\d+)$', line)
    if not m:
        errors.append("bad line " + line)
        continue
    labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
    if labels.get("netns") != ns:
        errors.append("netns label %s" % labels)
    vals.setdefault(m.group(1), []).append((labels, int(m.group(3))))
for name, h in helps.items():
    key = name[len("sipguard_"):].rsplit("_total", 1)[0]
    if h in (name, key) or h.lower().replace(" ", "_").rstrip(".") == key or not h.endswith("."):
        errors.append("HELP of %s is %r" % (name, h))
one = lambda n: vals[n][0][1] if n in vals else None
drops = sum(v for _, v in vals.get("sipguard_drops_total", []))
if drops != one("sipguard_dropped_total") + one("sipguard_would_drop_total"):
    errors.append("drops_total %d != dropped + would_drop" % drops)
reqs = sum(v for _, v in vals.get("sipguard_requests_total", []))
meth = sum(one(n) for n in vals if n.startswith("sipguard_method_"))
if reqs != meth:
    errors.append("requests_total %d != method_* %d" % (reqs, meth))
if one("sipguard_learned_registrars") != 0:
    errors.append("sipguard_learned_registrars %s" % one("sipguard_learned_registrars"))
if one("sipguard_banned_sources") is None or one("sipguard_banned_sources") < 1:
    errors.append("sipguard_banned_sources %s" % one("sipguard_banned_sources"))
if one("sipguard_source_table_entries") is None or one("sipguard_source_table_entries") < 1:
    errors.append("sipguard_source_table_entries %s" % one("sipguard_source_table_entries"))
deny = {l["origin"]: v for l, v in vals.get("sipguard_deny_entries", [])}
if deny.get("testfeed") != 1:
    errors.append("sipguard_deny_entries by origin: %s" % deny)
print("; ".join(errors) or "%d HELP texts, families and gauges right" % len(helps))
EOF2
)
check "stats prometheus: HELP, families, gauges, netns label ($out)" grep -q "right$" <<< "$out"
expect_eq "-n NS gives the same netns label" "netns=\"$ns\"" \
	"$("$SIPGUARDCTL" -n "$ns" stats prometheus | sed -n 's/^sipguard_info{\(netns="[^"]*"\).*/\1/p')"
ctl unban all >/dev/null
ctl deny del 198.51.100.0/24 origin testfeed
ctl set policy strict

# --- the kernel's ynl CLI ---------------------------------------------------
ynl=
for d in ${YNL_DIR:-} "$SG_TOP"/build/ynl/linux-source-*/tools/net/ynl; do
	[ -f "$d/cli.py" ] && { ynl=$d; break; }
done
spec=$SG_TOP/tools/ynl/sipguard.yaml
if [ -n "$ynl" ] && [ -f "$spec" ]; then
	y() { run /usr/bin/python3 "$ynl/cli.py" --spec "$spec" --no-schema "$@"; }
	out=$(y --do get-config 2>&1)
	check "ynl --do get-config: mode enforce" grep -q "'mode': 'enforce'" <<< "$out"
	y --do set-config --json '{"mode": "monitor", "sip-ports": {"port-range": [{"min": 5060, "max": 5060}, {"min": 5090}]}}' >/dev/null 2>&1
	expect_eq "ynl --do set-config changed mode and ports" "mode monitor ports 5060,5090" \
		"$(ctl showconf | sed -n 's/^\(mode\|ports\) //p' | xargs printf 'mode %s ports %s')"
	y --do allow-replace --json '{"prefix": [{"addr": "c0000200", "plen": 24}, {"addr": "c6336400", "plen": 24, "port": 5060}]}' >/dev/null 2>&1
	expect_eq "ynl --do allow-replace" "$(printf 'allow 192.0.2.0/24\nallow 198.51.100.0/24 port 5060')" \
		"$(ctl showconf | grep '^allow')"
	out=$(y --dump allow-get 2>&1)
	expect_eq "ynl --dump allow-get: two entries" 2 "$(grep -o "'plen'" <<< "$out" | wc -l)"
	out=$(y --do get-stats --json '{"flags": ["reset"]}' 2>&1)
	check "ynl --do get-stats with the reset flag" grep -q "'sip-udp'" <<< "$out"
	expect_eq "... and the counters are zero after it" 0 "$(sg_stat "$ns" sip_udp)"
fi

sg_exit
