#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: the man pages and the bash completion match the code.  Prints
# TAP, one line per check:
#   - both pages format without a groff warning;
#   - sipguardctl(8) names every command of the cmds table, every key of the
#     configuration file (grammar.c), every JSON key and every counter; sipguard(4) every
#     module parameter and every counter; the completion every command;
#   - `sipguardctl COMMAND --help` prints the command's usage, for each one;
#   - every --help text fits 100 columns;
#   - the options follow getopt_long's conventions (-jV, -nNS, --netns=NS,
#     --json=yes, --), and what follows the command is the command's.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=${SIPGUARDCTL:-$top/tools/sipguardctl/sipguardctl}
man8=$top/tools/man/sipguardctl.8
man4=$top/tools/man/sipguard.4
comp=$top/tools/completion/sipguardctl.bash
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

# The page as text, hyphens plain, for grep.
text() { MANWIDTH=200 groff -man -rHY=0 -Tutf8 -P-cbou "$1" 2>/dev/null | sed 's/‐/-/g; s/−/-/g'; }

for page in "$man8" "$man4"; do
	warn=$(groff -man -ww -z "$page" 2>&1)
	ok "$([ -z "$warn" ]; echo $?)" "$(basename "$page") formats without warnings${warn:+: $warn}"
done
t8=$(text "$man8")
t4=$(text "$man4")

has() { grep -qw -- "$2" <<< "$1"; }
# A section through a pipe is read to its end (no grep -q): with pipefail, a
# grep that quits early can fail the check by the SIGPIPE it gives sed.
# No hyphenation (-rHY=0): a key broken over two lines is not found.

cmds=$(sed -n '/^static const struct cmd cmds\[\]/,/^};/s/^\t{ "\([a-z]*\)".*/\1/p' \
	"$top/tools/sipguardctl/sipguardctl.c")
for c in $cmds; do
	has "$t8" "$c"; ok $? "sipguardctl(8) describes the command $c"
	grep -q "\b$c\b" "$comp"; ok $? "the completion offers $c"
	out=$("$ctl" "$c" --help 2>&1); rc=$?
	[ $rc = 0 ] && grep -q "^Usage: sipguardctl $c" <<< "$out"
	ok $? "sipguardctl $c --help prints its usage"
	wide=$(awk 'length > 100' <<< "$out")
	ok "$([ -z "$wide" ]; echo $?)" "sipguardctl $c --help fits 100 columns${wide:+: $wide}"
done
out=$("$ctl" --help 2>&1)
wide=$(awk 'length > 100' <<< "$out")
ok "$([ -z "$wide" ]; echo $?)" "sipguardctl --help fits 100 columns${wide:+: $wide}"

# Options by getopt_long's conventions.  A namespace that does not exist
# fails in ctl_connect() (exit 1, naming it): the option was taken.
opt() {
	local want_rc=$1 want=$2 out rc
	shift 2
	out=$("$ctl" "$@" 2>&1); rc=$?
	[ "$rc" = "$want_rc" ] && grep -q -- "$want" <<< "$out"
	ok $? "sipguardctl $* exits $want_rc with '$want' (got $rc: $(head -n 1 <<< "$out"))"
}
ver=$("$ctl" --version)
opt 0 "^$ver\$" -jV
opt 0 "^$ver\$" --json -V
opt 0 "^$ver\$" --json=yes -V
opt 0 "^$ver\$" --json=0 -V
opt 2 "json takes yes or no" --json=maybe
opt 1 "network namespace sg-no-such-ns:" --netns=sg-no-such-ns show
opt 1 "network namespace sg-no-such-ns:" --netns sg-no-such-ns show
opt 1 "network namespace sg-no-such-ns:" -nsg-no-such-ns show
opt 1 "network namespace sg-no-such-ns:" -jn sg-no-such-ns show
opt 2 "-n needs an argument" -n
opt 2 "--netns= needs an argument" --netns=
opt 2 "unknown option '-x'" -jx
opt 2 "unknown option '--bogus'" --bogus
opt 2 "unknown command 'bogus'" -j -- bogus
opt 0 "^Usage: sipguardctl setconf" -j setconf --help
opt 2 "^Usage: sipguardctl deny" deny replace --origin

keys=$(sed -n 's/^\t\[K_[A-Z0-9_]*\][ \t]*= { "\([a-z0-9-]*\)".*/\1/p' "$top/tools/sipguardctl/grammar.c")
[ "$(wc -w <<< "$keys")" -ge 15 ]
ok $? "the keys of grammar.c's conf_keys[] are found ($(wc -w <<< "$keys"))"
for k in $keys allow signature signatures; do
	sed -n "/^CONFIGURATION FILE/,/^JSON OUTPUT/p" <<< "$t8" | grep -E "^ +$k " >/dev/null
	ok $? "sipguardctl(8) CONFIGURATION FILE has the key $k"
done

json=$(grep -ho 'print_\(str\|u64\|bool\|onoff\|arr_open\|obj_open\)("[a-z_]*"' "$top"/tools/sipguardctl/*.c |
	sed 's/.*("\(.*\)"/\1/' | sort -u)
for j in $json; do
	sed -n "/^JSON OUTPUT/,/^PROMETHEUS/p" <<< "$t8" | grep -w -- "$j" >/dev/null
	ok $? "sipguardctl(8) JSON OUTPUT has the key $j"
done

counters=$(sed -n 's/^\t\[SIPGUARD_STAT_[A-Z0-9_]*\][ \t]*= { "\([a-z0-9_]*\)",.*/\1/p' \
	"$top/tools/sipguardctl/names.c")
for c in $counters; do
	has "$t4" "$c"; ok $? "sipguard(4) describes the counter $c"
	has "$t8" "$c"; ok $? "sipguardctl(8) lists the counter $c"
done

params=$(sed -n 's/^module_param(\([a-z_]*\),.*/\1/p' "$top"/kmod/*.c)
for p in $params; do
	sed -n "/^PARAMETERS/,/^COUNTERS/p" <<< "$t4" | grep "$p=" >/dev/null
	ok $? "sipguard(4) PARAMETERS has $p="
	grep -q "\b$p\b" "$top/tools/modprobe.d/sipguard.conf"
	ok $? "the modprobe.d example mentions $p"
done

echo "1..$n"
exit $failed
