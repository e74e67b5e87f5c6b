#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The documentation matches the code (no module needed):
#  - tools/man/check.sh: man pages, completion and --help match the code;
#  - the bash completion completes commands, values and interfaces.

source "$(dirname "$0")/../../selftests/lib.sh"
require_cmd /usr/bin/python3
[ -f "$SG_TOP/tools/man/check.sh" ] || skip "not in a sipguard tree"

# TAP of a checker as PASS/FAIL lines.
tap() {
	local what=$1 out rc
	shift
	out=$("$@" 2>&1); rc=$?
	while read -r line; do
		case $line in
		"ok "*) pass "$what: ${line#ok }" ;;
		"not ok "*) fail "$what: ${line#not ok }" ;;
		esac
	done <<< "$out"
	[ $rc = 0 ] || grep -q '^not ok' <<< "$out" || fail "$what: exit $rc: $(tail -n 3 <<< "$out")"
}

tap "docs" "$SG_TOP/tools/man/check.sh"

setup_ns ns
veth_link "$ns" wan0 "$ns" peer0
comp=$SG_TOP/tools/completion/sipguardctl.bash
if [ -f "$comp" ]; then
	complete_words() {
		ip netns exec "$ns" bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
			_sipguardctl; echo "${COMPREPLY[*]}"' - "$comp" "$@"
	}
	expect_eq "completion: commands" "show set allow deny sources ban unban signature stats monitor showconf setconf xdp" "$(complete_words sipguardctl "")"
	expect_eq "completion: set mode" "off monitor enforce" "$(complete_words sipguardctl set mode "")"
	# Every interface but lo: peer0 and wan0, and the fallback devices a
	# tunnel module gives every new namespace once loaded (sit0 after the
	# XDP test): what `ip link` lists.
	ifaces=$(ip -n "$ns" -o link | awk -F': ' '{ sub(/@.*/, "", $2); if ($2 != "lo") print $2 }')
	expect_eq "completion: guard interfaces of the namespace" \
		"$(printf 'all\n%s\n' "$ifaces" | sort | xargs)" \
		"$(complete_words sipguardctl set guard "" | tr ' ' '\n' | sort | xargs)"
	expect_eq "completion: allow" "add del refresh list flush replace" "$(complete_words sipguardctl allow "")"
	expect_eq "completion: deny" "add del list replace" "$(complete_words sipguardctl deny "")"
	expect_eq "completion: deny add words" "timeout origin" "$(complete_words sipguardctl deny add 192.0.2.1 "")"
	expect_eq "completion: stats" "reset prometheus" "$(complete_words sipguardctl -j stats "")"
	# getopt_long's spellings before the command (bash splits at '=').
	expect_eq "completion: --netns = NS stats" "reset prometheus" \
		"$(complete_words sipguardctl --netns = "$ns" stats "")"
	expect_eq "completion: --netns=NS -j stats" "reset prometheus" \
		"$(complete_words sipguardctl --netns="$ns" -j stats "")"
	expect_eq "completion: -jnNS stats" "reset prometheus" "$(complete_words sipguardctl -jn"$ns" stats "")"
	expect_eq "completion: stats -o" "--help -o" "$(complete_words sipguardctl stats prometheus -)"
	expect_eq "completion: -- st" "stats" "$(complete_words sipguardctl -- st)"
	expect_eq "completion: --json = " "yes no" "$(complete_words sipguardctl --json = "")"
	expect_eq "completion: --netns= offers the namespaces" "$ns" \
		"$(complete_words sipguardctl --netns = "${ns:0:6}" | tr ' ' '\n' | grep -x "$ns")"
fi

sg_exit
