#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The control plane refuses bad input and unprivileged changes:
#  - malformed, out-of-range, unknown, truncated and conflicting attributes
#    each get an error with an extack message, and change nothing;
#  - sipguardctl passes the kernel's message on;
#  - without CAP_NET_ADMIN in the namespace's user namespace (an unprivileged
#    user, or root of a user namespace that does not own the network
#    namespace) every change is refused, while reads work;
#  - what nlctrl reports of the family (commands, permission flags, each
#    request's policy, groups) is tools/ynl/sipguard-policy.json (when a
#    kernel source tree's tools/net/ynl is at hand: YNL_DIR=, or build/ynl).

source "$(dirname "$0")/lib.sh"
require_cmd /usr/bin/python3 setpriv unshare

sg_module_load || { fail "module load"; sg_exit; }
setup_ns ns
run() { ip netns exec "$ns" "$@"; }
# Debian's python3: the tests also run it as an unprivileged user.
py=/usr/bin/python3
nl_raw() { run $py "$(dirname "$0")/nl_raw.py" "$@"; }
config() { run "$SIPGUARDCTL" show | sed '/^counters:/,$d'; }

run "$SIPGUARDCTL" allow add 192.0.2.0/24
run "$SIPGUARDCTL" allow add 2001:db8::/32 port 5060
before=$(config; run "$SIPGUARDCTL" allow list)

bad_cases="unknown-attr attr-out-of-range attr-wrong-size attr-beyond-max reply-only-attr
	bad-flags truncated-attr port-zero port-range-reversed port-overlap-tls ifname-in-ports
	ifname-too-long too-many-ranges prefix-missing prefix-no-plen prefix-addr-5-bytes
	prefix-v4-plen-33 prefix-host-bits prefix-unknown-nested replace-bad-entry
	replace-duplicate del-absent random-bytes ifname-slash ifname-colon ifname-space ifname-dot
	ifname-dotdot refresh-nlm-create refresh-bad-flags"
out=$(nl_raw $bad_cases)
expect_eq "every malformed request got an answer" "$(wc -w <<< "$bad_cases")" "$(wc -l <<< "$out")"
while read -r name err msg; do
	if [ "$err" != OK ] && [ "$msg" != - ]; then
		pass "$name refused: $err: $msg"
	else
		fail "$name: expected an error with a message, got $err $msg"
	fi
done <<< "$out"
after=$(config; run "$SIPGUARDCTL" allow list)
check "the refused requests changed nothing" test "$before" = "$after"

# sipguardctl shows the kernel's explanation.
out=$(run "$SIPGUARDCTL" set tls-ports 5060 2>&1); rc=$?
expect_eq "sipguardctl: a refused change exits 1" 1 $rc
check "sipguardctl: ... with the kernel's message" grep -q "both a SIP and a TLS port" <<< "$out"
out=$(run "$SIPGUARDCTL" allow del 203.0.113.0/24 2>&1)
check "sipguardctl: deleting an absent entry says so" grep -q "not on the allowlist" <<< "$out"
out=$(run "$SIPGUARDCTL" set mode sideways 2>&1); rc=$?
expect_eq "sipguardctl: a usage error exits 2" 2 $rc

# Unprivileged: nobody, and root of a user namespace that does not own $ns.
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
userns=(unshare --user --map-root-user)
for who in nobody userns; do
	eval "pre=(\"\${$who[@]}\")"
	out=$(run "${pre[@]}" "$SIPGUARDCTL" set mode off 2>&1)
	check "$who: set is refused" grep -q "Operation not permitted" <<< "$out"
	out=$(run "${pre[@]}" "$SIPGUARDCTL" allow flush 2>&1)
	check "$who: allow flush is refused" grep -q "Operation not permitted" <<< "$out"
	out=$(run "${pre[@]}" "$SIPGUARDCTL" stats reset 2>&1)
	check "$who: stats reset is refused" grep -q "Operation not permitted" <<< "$out"
	out=$(run "${pre[@]}" "$SIPGUARDCTL" sources 2>&1)
	check "$who: sources (third parties' addresses) are refused" grep -q "Operation not permitted" <<< "$out"
	check "$who: show works" eval 'run "${pre[@]}" "$SIPGUARDCTL" show >/dev/null'
	check "$who: allow list works" eval 'run "${pre[@]}" "$SIPGUARDCTL" allow list >/dev/null'
	out=$(run "${pre[@]}" $py "$(dirname "$0")/nl_raw.py" set-mode-off stats-reset get-config sources-get)
	while read -r name err msg; do
		case $name in
		get-config) expect_eq "$who: raw get-config allowed" OK "$err" ;;
		*) expect_eq "$who: raw $name refused" Operation_not_permitted "$err" ;;
		esac
	done <<< "$out"
done
check "the unprivileged attempts changed nothing" test "$before" = "$(config; run "$SIPGUARDCTL" allow list)"

# ALLOW_REFRESH's create/exclusive semantics are in SIPGUARD_A_FLAGS.
out=$(nl_raw refresh-create refresh-create-again refresh-existing sources-get)
expect_eq "refresh with the create and excl flags creates a name" "refresh-create OK -" "$(sed -n 1p <<< "$out")"
check "... and refuses it the second time (EEXIST)" grep -q "^refresh-create-again File_exists" <<< "$out"
expect_eq "refresh without flags of a name present" "refresh-existing OK -" "$(sed -n 3p <<< "$out")"
expect_eq "root lists the sources" "sources-get OK -" "$(sed -n 4p <<< "$out")"
run "$SIPGUARDCTL" allow del new.provider.example >/dev/null 2>&1

# A user namespace that owns its own network namespace may configure it.
out=$(unshare --user --map-root-user --net sh -c "ip link set lo up; $SIPGUARDCTL set mode enforce && $SIPGUARDCTL show" 2>&1)
check "root of a user namespace configures its own network namespace" grep -q "mode: enforce" <<< "$out"

# The wire ABI as the kernel reports it: tools/ynl/policy-dump.py resolves
# policy indexes, so only a changed command, flag or validation shows.
ynl=
for d in ${YNL_DIR:-} "$SG_TOP"/build/ynl/linux-source-*/tools/net/ynl; do
	[ -f "$d/cli.py" ] && { ynl=$d; break; }
done
if [ -n "$ynl" ] && [ -f "$SG_TOP/tools/ynl/sipguard-policy.json" ]; then
	out=$(diff -u "$SG_TOP/tools/ynl/sipguard-policy.json" \
		<(run $py "$SG_TOP/tools/ynl/policy-dump.py" "$ynl" 2>&1))
	check "nlctrl's view of the family is tools/ynl/sipguard-policy.json" test -z "$out" || info "$out"
else
	info "no kernel tools/net/ynl (tools/ynl/get-ynl.sh): the family's policies not compared"
fi

sg_exit
