#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suite.sh [--kselftest DIR]: what `make check` runs in each guest, from
# the top of the tree: the selftests, through the kernel's own
# run_kselftest.sh installed in DIR (tools/kselftest.sh) or else through
# selftests/run_tests.sh, then the tests of userspace and packaging
# (tools/tests: those SG_TOOLS_TESTS names, all of them if it is unset, none
# if it is "none").  TAP; exits non-zero if any test failed.  The 6.1 runner's
# exit status says nothing about its tests, so its output is read instead.

cd "$(dirname "$0")/../.." || exit 1
rc=0
if [ "${1:-}" = --kselftest ]; then
	out=$(mktemp)
	"$2/run_kselftest.sh" | tee "$out"
	grep -q '^not ok ' "$out" && rc=1
	grep -q '^ok ' "$out" || rc=1
	rm -f "$out"
else
	selftests/run_tests.sh || rc=1
fi
if [ "${SG_TOOLS_TESTS:-}" != none ]; then
	# shellcheck disable=SC2086 # a list of test names
	selftests/run_tests.sh -C tools/tests ${SG_TOOLS_TESTS:-} || rc=1
fi
exit $rc
