#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The configuration file is the whole truth (issue 18):
#  - without the module: usage errors exit 2 (not 3), `-c FILE` and
#    `setconf --check` check a file completely, as nobody, with line numbers;
#  - a fresh namespace's state is what the tool takes for the module's
#    defaults: `setconf` of an empty file changes nothing there;
#  - README's quick starts (home gateway; open-policy PBX with a signature,
#    guard, ports, allow entries with names and ports), saved with showconf,
#    the module reloaded, restored with setconf: identical `-j show`,
#    `-j allow list` and `signature list`;
#  - setconf replaces: a setting the file leaves out goes to its default;
#  - a property test: random valid configurations (SG_CONF_SEED, else a
#    logged random seed; SG_CONF_ROUNDS, default 30) applied to a namespace,
#    showconf'd, applied to a fresh one: identical state;
#  - showconf while the allowlist changes: interrupted dumps are retried,
#    never "Protocol error";
#  - -j types (numbers, lists, booleans) and -n NETNS;
#  - every error of a file (20, then how many more), a UTF-8 byte order
#    mark, a host name on an allow line, drop-ins FILE.d/NAME.conf (byte
#    order, other names ignored, a key in two files named in both);
#  - README's save step: showconf -o into the drop-in directory leaves the
#    commented example alone, and setconf of the example restores it all.

source "$(dirname "$0")/../../selftests/lib.sh"
require_cmd /usr/bin/python3 setpriv

ctl() { "$SIPGUARDCTL" "$@"; }
# In namespace $1: by ip netns exec, so that the checks but -n's own do
# not depend on -n.
ctln() { ip netns exec "$1" "$SIPGUARDCTL" "${@:2}"; }
tmp=$(mktemp -d)
chmod 755 "$tmp"
cleanup_tmp() { rm -rf "$tmp"; }
sg_cleanup_hooks+=(cleanup_tmp)

# --- without the module ----------------------------------------------------
info "at ${SECONDS}s: without the module"
sg_module_unload
if grep -q '^sipguard ' /proc/modules; then
	fail "cannot unload the module for the offline checks"
else
	out=$(ctl set mode bogus 2>&1); rc=$?
	expect_eq "no module: set mode bogus is a usage error" 2 $rc
	out=$(ctl set ports 5060,,5080 2>&1); rc=$?
	expect_eq "no module: set ports 5060,,5080 is a usage error" 2 $rc
	out=$(ctl setconf /nonexistent 2>&1); rc=$?
	expect_eq "no module: setconf /nonexistent is a usage error" 2 $rc
	out=$(ctl allow add 192.0.2.1/24 2>&1); rc=$?
	expect_eq "no module: allow add with host bits is a usage error" 2 $rc
	out=$(ctl signature add "" 2>&1); rc=$?
	expect_eq "no module: an empty signature is a usage error" 2 $rc
	out=$(ctl set mode enforce 2>&1); rc=$?
	expect_eq "no module: a good set exits 3" 3 $rc
	cat > "$tmp/good.conf" <<'EOF'
mode enforce
policy open
ports 5060,5080
learn on
rate 7
burst 9
untrusted-invite refuse
signature "EvilScan"
allow 198.51.100.10/32 port 5060 name sip.provider.example
EOF
	chmod 644 "$tmp/good.conf"
	nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
	out=$(nobody "$SIPGUARDCTL" -c "$tmp/good.conf" 2>&1); rc=$?
	expect_eq "no module, no root: -c of a good file exits 0 $out" 0 $rc
	printf 'mode enforce\nports 5060,,5080\n' > "$tmp/bad.conf"
	chmod 644 "$tmp/bad.conf"
	out=$(nobody "$SIPGUARDCTL" -c "$tmp/bad.conf" 2>&1); rc=$?
	expect_eq "no module, no root: -c of a bad file exits 2" 2 $rc
	check "... naming the line ($out)" grep -q "bad.conf:2: '5060,,5080' is not a port list" <<< "$out"
	printf 'learn on\nlearn-max 300\n' > "$tmp/bad2.conf"
	out=$(ctl setconf --check "$tmp/bad2.conf" 2>&1); rc=$?
	expect_eq "no module: setconf --check of a bad file exits 2" 2 $rc
	check "... naming the line ($out)" grep -q "bad2.conf:2: learn-max" <<< "$out"

	# Every error of a file, up to 20; a byte order mark; host names.
	printf 'mode bogus\nallow 192.0.2.1/24\nports 5060\nfrobnicate 1\n' > "$tmp/bad3.conf"
	out=$(ctl -c "$tmp/bad3.conf" 2>&1); rc=$?
	expect_eq "-c of a file with three errors exits 2" 2 $rc
	expect_eq "... naming each of the three lines" "bad3.conf:1: bad3.conf:2: bad3.conf:4:" \
		"$(grep -o 'bad3.conf:[0-9]*:' <<< "$out" | xargs)"
	for i in $(seq 25); do echo "bogus$i 1"; done > "$tmp/bad4.conf"
	out=$(ctl -c "$tmp/bad4.conf" 2>&1)
	expect_eq "25 errors: 20 named, then how many more" "21 sipguardctl: $tmp/bad4.conf: 5 more errors" \
		"$(wc -l <<< "$out") $(tail -n 1 <<< "$out")"
	printf '\xef\xbb\xbfmode enforce\n' > "$tmp/bom.conf"
	out=$(ctl -c "$tmp/bom.conf" 2>&1); rc=$?
	expect_eq "a UTF-8 byte order mark is no error ($out)" 0 $rc
	printf 'allow sip.provider.example\n' > "$tmp/host.conf"
	out=$(ctl -c "$tmp/host.conf" 2>&1)
	check "a host name on an allow line says how names are written ($out)" \
		grep -q "'allow ADDRESS name sip.provider.example'; .sipguardctl allow add sip.provider.example. resolves" <<< "$out"
	# Drop-ins: FILE.d/NAME.conf after FILE, in byte order, as one file.
	cp "$SG_TOP/tools/sipguard.conf.example" "$tmp/main.conf"
	mkdir "$tmp/main.conf.d"
	printf 'mode enforce\n' > "$tmp/main.conf.d/50-local.conf"
	printf 'bogus\n' > "$tmp/main.conf.d/50-local.conf.dpkg-old"
	printf 'bogus\n' > "$tmp/main.conf.d/.50-local.conf.swp.conf"
	out=$(ctl -c "$tmp/main.conf" 2>&1); rc=$?
	expect_eq "-c FILE reads FILE.d/NAME.conf and no other names ($out)" 0 $rc
	printf 'policy open\nmode monitor\n' > "$tmp/main.conf.d/60-more.conf"
	out=$(ctl -c "$tmp/main.conf" 2>&1); rc=$?
	check "a key set in two drop-ins: exit 2, both named ($out)" eval '[ $rc = 2 ] &&
		grep -q "main.conf.d/60-more.conf:2: .mode. is set twice (also on $tmp/main.conf.d/50-local.conf:1)" <<< "$out"'
	rm "$tmp/main.conf.d/60-more.conf"
fi

sg_module_load || { fail "module load"; sg_exit; }
setup_ns fresh a b

# JSON of the configuration, without counters and state, for comparing
# (sed, not python: under TCG every python start costs a second).
state() {
	local ns=$1
	ctln "$ns" -j show | sed -E 's/"generation":[0-9]+,//; s/"learned":[0-9]+,//;
		s/"sources":[0-9]+,//; s/,?"counters":\{[^}]*\}//'
	ctln "$ns" -j allow list
	ctln "$ns" signature list
}

# --- the defaults are the module's ------------------------------------------
info "at ${SECONDS}s: the defaults are the module's"
state "$fresh" > "$tmp/fresh.state"
ctln "$fresh" showconf > "$tmp/fresh.conf"
check "a fresh namespace: signatures default, no signature line" \
	bash -c "grep -qx 'signatures default' $tmp/fresh.conf && ! grep -q '^signature ' $tmp/fresh.conf"
: > "$tmp/empty.conf"
check "setconf of an empty file" ctln "$fresh" setconf "$tmp/empty.conf"
state "$fresh" > "$tmp/fresh2.state"
check "... leaves a fresh namespace exactly as it was (the defaults are right)" \
	cmp -s "$tmp/fresh.state" "$tmp/fresh2.state"

# --- -n NETNS ---------------------------------------------------------------
info "at ${SECONDS}s: -n NETNS"
out=$(ctl -n sg-no-such-ns show 2>&1); rc=$?
expect_eq "-n of a namespace that does not exist exits 1" 1 $rc
check "... saying so ($out)" grep -q "sg-no-such-ns" <<< "$out"
expect_eq "-n NETNS acts there" "$(ip netns exec "$a" "$SIPGUARDCTL" -j show | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["mode"])')" \
	"$(ctl -n "$a" -j show | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["mode"])')"

check "-n NETNS: showconf" bash -c "$SIPGUARDCTL -n $a showconf | cmp -s - <(ip netns exec $a $SIPGUARDCTL showconf)"
check "-n NETNS: set" ctl -n "$a" set rate 11
expect_eq "... there, not here" "11 10" "$(ctln "$a" -j show | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["open_policy"]["rate"])') $(ctl -j show | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["open_policy"]["rate"])')"
ctl -n "$a" set rate 10

# --- README's quick starts --------------------------------------------------
info "at ${SECONDS}s: README's quick starts"
# Home gateway.
ctln "$a" set mode enforce learn on
# Open-policy PBX.
ip -n "$b" link add wan0 type dummy
ctln "$b" set policy open rate 7 burst 9 untrusted-invite refuse
ctln "$b" signature add EvilScan
ctln "$b" signature add "Evil Scanner \"2\""
ctln "$b" set guard wan0 ports 5060,5080,5160-5170 tls-ports 5061 mode enforce ban 120 budget 50
ctln "$b" allow add 198.51.100.10/32 port 5060 name sip.provider.example
ctln "$b" allow add 198.51.100.11/32 name sip.provider.example
ctln "$b" allow add 2001:db8:10::/48 port 5062
ctln "$b" allow add 192.0.2.0/24
state "$a" > "$tmp/a.before"
state "$b" > "$tmp/b.before"
check "the states to compare are there" grep -q EvilScan "$tmp/b.before"
ctln "$a" showconf > "$tmp/a.conf"; rc1=$?
ctln "$b" showconf > "$tmp/b.conf"; rc2=$?
expect_eq "showconf of both exits 0" "0 0" "$rc1 $rc2"
check "showconf has learn on" grep -qx "learn on" "$tmp/a.conf"
check "showconf has the added signature" grep -qx 'signature "Evil Scanner \\"2\\""' "$tmp/b.conf"
check "showconf has the names and ports" grep -qx "allow 198.51.100.10/32 port 5060 name sip.provider.example" "$tmp/b.conf"
sg_module_unload && sg_module_load
expect_eq "the module was reloaded (defaults again)" "policy strict" "$(ctln "$b" showconf | grep '^policy ')"
ctln "$a" setconf "$tmp/a.conf"; rc1=$?
ctln "$b" setconf "$tmp/b.conf"; rc2=$?
expect_eq "setconf of both after the reload exits 0" "0 0" "$rc1 $rc2"
state "$a" > "$tmp/a.after"
state "$b" > "$tmp/b.after"
if cmp -s "$tmp/a.before" "$tmp/a.after"; then
	pass "home gateway: show, allow list, signatures identical after reload + setconf"
else
	fail "home gateway differs: $(diff "$tmp/a.before" "$tmp/a.after" | head -n 6 | xargs)"
fi
if cmp -s "$tmp/b.before" "$tmp/b.after"; then
	pass "open-policy PBX: show, allow list, signatures identical after reload + setconf"
else
	fail "open-policy PBX differs: $(diff "$tmp/b.before" "$tmp/b.after" | head -n 6 | xargs)"
fi
check "showconf | setconf | showconf: the same bytes" \
	bash -c "ip netns exec $b $SIPGUARDCTL showconf | cmp -s - $tmp/b.conf"

# --- setconf replaces -------------------------------------------------------
info "at ${SECONDS}s: setconf replaces"
printf 'mode enforce\n' > "$tmp/mode.conf"
ctln "$b" setconf "$tmp/mode.conf"
expect_eq "setconf of 'mode enforce' alone: everything else is the default" \
	"$(sed 's/^mode monitor$/mode enforce/' "$tmp/fresh.conf")" "$(ctln "$b" showconf)"

# --- JSON types -------------------------------------------------------------
info "at ${SECONDS}s: JSON types"
ctln "$b" setconf "$tmp/b.conf"
out=$(ctln "$b" -j show | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
o = d["open_policy"]
errs = []
def want(what, ok):
    if not ok: errs.append(what)
want("ports a list of {min,max} numbers", isinstance(d["ports"], list) and
     all(isinstance(r["min"], int) and isinstance(r["max"], int) for r in d["ports"]) and
     d["ports"][-1] == {"min": 5160, "max": 5170})
want("tls_ports a list", d["tls_ports"] == [{"min": 5061, "max": 5061}])
want("guard a list", d["guard"] == ["wan0"])
want("learn a boolean", d["learn"] is False)
want("numbers", all(type(o[k]) is int for k in ("rate", "burst", "ban", "budget", "prefix4", "prefix6", "table_max")))
want("allowlist_entries a number", type(d["allowlist_entries"]) is int)
print("; ".join(errs) or "typed")')
expect_eq "show -j is typed" typed "$out"
out=$(ctln "$a" -j show | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["learn"])')
expect_eq "learn on is true" True "$out"
out=$(ctln "$b" -j allow list | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)["allowlist"]
print(all(type(e["port"]) is int for e in d) and d[0]["name"] == "sip.provider.example")')
expect_eq "allow list -j: ports are numbers" True "$out"

# --- property test ------------------------------------------------------------
info "at ${SECONDS}s: property test"
seed=${SG_CONF_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
rounds=${SG_CONF_ROUNDS:-30}
info "property test: seed $seed (SG_CONF_SEED=$seed to repeat), $rounds rounds"
/usr/bin/python3 - "$seed" "$rounds" "$tmp" <<'EOF'
import random, sys
seed, rounds, tmp = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
r = random.Random(seed)
chars = "abcXYZ019 -_#'/.\"\\"
def ports(base):
    out, p = [], base
    for _ in range(r.randrange(0, 4)):
        lo = p + r.randrange(1, 50)
        hi = lo + (r.randrange(0, 10) if r.random() < .5 else 0)
        out.append(str(lo) if lo == hi else "%d-%d" % (lo, hi))
        p = hi + 2
    return ",".join(out) or "none"
for i in range(rounds):
    keys = {
        "mode": r.choice(["off", "monitor", "enforce"]),
        "policy": r.choice(["strict", "open"]),
        "ports": ports(1000),
        "tls-ports": ports(30000),
        "guard": ",".join("if%d" % j for j in range(r.randrange(0, 4))) or "all",
        "learn": r.choice(["on", "off"]),
        "learn-max": r.randrange(1, 257),
        "rate": r.randrange(1, 1000001),
        "burst": r.randrange(1, 1000001),
        "ban": r.randrange(0, 604801),
        "budget": r.randrange(0, 1000001),
        "prefix4": r.randrange(8, 33),
        "prefix6": r.randrange(16, 129),
        "table-max": r.randrange(16, 5000),
        "untrusted-invite": r.choice(["accept", "refuse"]),
        "failures": r.randrange(0, 1001),
        "failure-window": r.randrange(1, 86401),
        "ban-max": r.randrange(0, 604801),
    }
    lines = ["%s %s" % (k, v) for k, v in keys.items() if r.random() < .8]
    lines.append("signatures " + r.choice(["default", "none"]))
    for j in range(r.randrange(0, 8)):
        s = "".join(r.choice(chars) for _ in range(r.randrange(1, 20))) + str(100 + j)
        lines.append('signature "%s"' % s.replace("\\", "\\\\").replace('"', '\\"'))
    for j in range(r.randrange(0, 30)):
        if r.random() < .5:
            e = "10.%d.%d.0/24" % (j, r.randrange(256))
        else:
            e = "2001:db8:%x::/48" % j
        if r.random() < .5:
            e += " port %d" % r.randrange(1, 65536)
        if r.random() < .3:
            e += " name sip%d.provider.example" % r.randrange(3)
        lines.append("allow " + e)
    r.shuffle(lines)
    # the signatures line first among the signature lines
    sig = [l for l in lines if l.startswith("signature")]
    rest = [l for l in lines if not l.startswith("signature")]
    sig.sort(key=lambda l: not l.startswith("signatures "))
    open("%s/rand%d.conf" % (tmp, i), "w").write("\n".join(rest + sig) + "\n")
EOF
# x is reused (setconf must make any earlier state exactly the file), y is
# fresh every round (nothing but the module's defaults and the file).
bad=0
setup_ns x
for ((i = 0; i < rounds; i++)); do
	setup_ns y
	if ! out=$(ctln "$x" setconf "$tmp/rand$i.conf" 2>&1); then
		fail "round $i: setconf of a random valid file: $out"
		bad=1
		break
	fi
	state "$x" > "$tmp/x.state"
	ctln "$x" showconf > "$tmp/x.conf"
	ctln "$y" setconf "$tmp/x.conf"
	state "$y" > "$tmp/y.state"
	if ! cmp -s "$tmp/x.state" "$tmp/y.state"; then
		fail "round $i: showconf | setconf on a fresh namespace differs: $(diff "$tmp/x.state" "$tmp/y.state" | head -n 4 | xargs)"
		bad=1
		break
	fi
	if ! ctln "$y" showconf | cmp -s - "$tmp/x.conf"; then
		fail "round $i: showconf differs"
		bad=1
		break
	fi
	ip netns del "$y"
done
[ $bad = 1 ] || pass "$rounds random configurations: showconf | setconf on a fresh namespace gives the same show, allow list, signatures, showconf"

# --- showconf while the allowlist changes -------------------------------------
info "at ${SECONDS}s: showconf while the allowlist changes"
/usr/bin/python3 -c '
for i in range(20000):
    print("allow 10.%d.%d.0/24" % (i // 256, i % 256))' > "$tmp/big.conf"
ctln "$a" setconf "$tmp/big.conf"
(
	while :; do
		ip netns exec "$a" "$SIPGUARDCTL" allow add 203.0.113.7/32
		ip netns exec "$a" "$SIPGUARDCTL" allow del 203.0.113.7/32
	done
) >/dev/null 2>&1 &
churn=$!
ok=0 proto=0 other=
for i in $(seq 20); do
	out=$(ctln "$a" showconf 2>&1 >"$tmp/s.conf"); rc=$?
	n=$(grep -c '^allow ' "$tmp/s.conf")
	if [ $rc = 0 ] && { [ "$n" = 20000 ] || [ "$n" = 20001 ]; }; then
		ok=$((ok + 1))
	elif grep -q "Protocol error" <<< "$out"; then
		proto=$((proto + 1))
	else
		other="$rc $n $out"
	fi
done
kill "$churn"
wait "$churn" 2>/dev/null
info "showconf under changes: $ok of 20 whole, $proto Protocol errors${other:+, other: $other}"
expect_eq "showconf while the allowlist changes: never a Protocol error" 0 $proto
check "... and at least 18 of 20 whole and consistent ($ok)" test $ok -ge 18

# --- README's save step: a drop-in, the commented example kept -------------
info "at ${SECONDS}s: README's save step"
setup_ns c
etc=$tmp/etc/sipguard
mkdir -p "$etc/sipguard.conf.d"
cp "$SG_TOP/tools/sipguard.conf.example" "$etc/sipguard.conf"
ctln "$b" setconf "$tmp/b.conf"
ctln "$b" showconf -o "$etc/sipguard.conf.d/50-local.conf"; rc=$?
expect_eq "showconf -o FILE exits 0" 0 $rc
check "... FILE is what showconf prints" cmp -s "$tmp/b.conf" "$etc/sipguard.conf.d/50-local.conf"
check "... the commented example is untouched" cmp -s "$SG_TOP/tools/sipguard.conf.example" "$etc/sipguard.conf"
expect_eq "... and no temporary file is left" "50-local.conf" "$(ls -A "$etc/sipguard.conf.d")"
out=$(ctln "$b" showconf -o "$tmp/no/such/dir/x.conf" 2>&1); rc=$?
check "showconf -o into a missing directory: exit 1, saying where ($out)" eval \
	'[ $rc = 1 ] && grep -q "no/such/dir/x.conf" <<< "$out"'
# Later drop-ins add to it, in byte order: 60-z.conf before 7-a.conf.
printf 'signature "Zed"\n' > "$etc/sipguard.conf.d/60-z.conf"
printf 'signature "Alpha"\n' > "$etc/sipguard.conf.d/7-a.conf"
ctln "$c" setconf "$etc/sipguard.conf"; rc=$?
expect_eq "setconf of the example with its drop-ins exits 0" 0 $rc
# The signature lines last on both sides: showconf writes them together.
sigs_last() { awk '/^signature /{ s = s $0 "\n"; next } { o = o $0 "\n" } END { printf "%s%s", o, s }'; }
expect_eq "... gives the saved configuration, and the drop-ins' signatures in byte order" \
	"$({ cat "$tmp/b.conf"; printf 'signature "Zed"\nsignature "Alpha"\n'; } | sigs_last)" \
	"$(ctln "$c" showconf | sigs_last)"

sg_exit
