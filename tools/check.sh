#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [--vm-only] [KERNEL...]: what `make check` runs.
#
# Installs what is missing, runs the userspace unit tests (ASan+UBSan, then
# valgrind), a short fuzz run, builds the module W=1 for every kernel of the
# matrix and runs the selftests in a VM on each.  Every check of every stage
# is counted; the last line is "N passed, N failed" and the exit status is
# non-zero if anything failed.  Logs: build/check/.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
logdir=$top/build/check
vm_only=0
[ "${1:-}" = --vm-only ] && { vm_only=1; shift; }
kfilter=("$@")

passed=0
failed=0
skipped=0
t_start=$(date +%s)

# stage NAME KIND COMMAND...: run COMMAND, show its output, count its checks.
#   tap       each "ok"/"not ok" line at the start of a line is one check
#   selftest  each "# PASS:"/"# FAIL:" line is one check
#   single    the command's exit status is the one check
# A command that fails without reporting a failed check counts one failure,
# so a crash can never look like success.
stage() {
	local name=$1 kind=$2 t0 rc p f log
	shift 2
	log=$logdir/$name.log
	t0=$(date +%s)
	echo "=== $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	case $kind in
	tap)
		p=$(grep -cE '^ok ' "$log")
		f=$(grep -cE '^not ok ' "$log")
		;;
	selftest)
		p=$(grep -cE '^# PASS: ' "$log")
		f=$(grep -cE '^# FAIL: ' "$log")
		skipped=$((skipped + $(grep -cE '^ok .* # SKIP' "$log")))
		;;
	single)
		p=0; f=0
		[ $rc = 0 ] && p=1
		;;
	esac
	[ $rc != 0 ] && [ "$f" = 0 ] && f=1
	passed=$((passed + p))
	failed=$((failed + f))
	echo "=== $name: $p passed, $f failed, exit $rc, $(($(date +%s) - t0))s"
}

mkdir -p "$logdir"
stage deps single tools/setup.sh || true
stage sipguardctl single make -s -C tools/sipguardctl
stage selftests-build single make -s -C selftests all

if [ $vm_only = 0 ]; then
	stage unit tap make -s -C tools/unit run
	stage unit-valgrind single make -s -C tools/unit valgrind
	if [ -f tools/fuzz/Makefile ]; then
		stage fuzz-smoke single make -s -C tools/fuzz run FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
	fi
fi

kernels=$(tools/vm/kernels.sh list "${kfilter[@]}")
if [ -z "$kernels" ]; then
	echo "no kernel of the matrix is installed"
	failed=$((failed + 1))
fi
for k in $kernels; do
	stage "build-$k" single make -s matrix KERNELS="$k"
	ko=$top/build/kernels/$k/sipguard.ko
	[ -f "$ko" ] || continue
	stage "vm-$k" selftest tools/vm/run.sh -k "$k" -m "$ko" -t 1500 -l "$logdir/console-$k.log" \
		-- selftests/run_tests.sh
done

echo "make check: $(($(date +%s) - t_start))s, logs in build/check/"
if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
