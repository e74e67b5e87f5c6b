#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh [-C DIR] [TEST...]: run the tests of DIR (default: this
# directory; all of TEST_PROGS in DIR's Makefile unless TESTs are named) and
# print TAP 13 as the kselftest runner does: one line per test script, its
# own output nested behind "# ", exit 4 reported as SKIP.  Exits non-zero if
# any test failed.  `make check` runs the selftests through the kernel's
# run_kselftest.sh on one kernel and through this on the others; the tests
# of userspace and packaging (tools/tests) always through this.

dir=$(dirname "$0")
if [ "${1:-}" = -C ]; then
	dir=$2
	shift 2
fi
cd "$dir" || exit 1
if [ $# -eq 0 ]; then
	# Every TEST_PROGS assignment of the Makefile, continuation lines too.
	set -- $(awk '/^TEST_PROGS[ \t]*[:+]?=/ { sub(/^TEST_PROGS[ \t]*[:+]?=/, ""); on = 1 }
		on { line = $0; on = sub(/\\$/, "", line); print line }' Makefile)
fi

echo "TAP version 13"
echo "1..$#"
n=0
failed=0
timeout=$(sed -n 's/^timeout=//p' settings 2>/dev/null)
for t in "$@"; do
	n=$((n + 1))
	echo "# selftests: sipguard: $t"
	timeout --foreground "${timeout:-300}" ./"$t" 2>&1 | sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
	case $rc in
	0) echo "ok $n selftests: sipguard: $t" ;;
	4) echo "ok $n selftests: sipguard: $t # SKIP" ;;
	124) echo "not ok $n selftests: sipguard: $t # TIMEOUT ${timeout:-300} seconds"; failed=1 ;;
	*) echo "not ok $n selftests: sipguard: $t # exit=$rc"; failed=1 ;;
	esac
done
exit $failed
