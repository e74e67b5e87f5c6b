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
failed_stages=()
t_start=$(date +%s)

# stage NAME KIND COMMAND...: run COMMAND, show its output, count its checks.
#   tap       each "ok"/"not ok" line at the start of a line is one check
#   selftest  each nested "# ok N"/"# not ok N" line is one check (KTAP of
#             the tests behind the runner's "# "), and a test the runner
#             says failed ("not ok" at the start) is one failure more
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
		p=$(grep -cE '^# ok [0-9]+ ' "$log")
		f=$(($(grep -cE '^# not ok [0-9]+ ' "$log") + $(grep -cE '^not ok ' "$log")))
		skipped=$((skipped + $(grep -cE '^ok .* # SKIP' "$log")))
		;;
	single)
		p=0; f=0
		[ $rc = 0 ] && p=1
		;;
	esac
	[ $rc != 0 ] && [ "$f" = 0 ] && f=1
	[ "$f" = 0 ] || failed_stages+=("$name")
	passed=$((passed + p))
	failed=$((failed + f))
	# A stage that only reports what ran earlier says how long that took.
	echo "=== $name: $p passed, $f failed, exit $rc, ${stage_secs:-$(($(date +%s) - t0))}s"
}

mkdir -p "$logdir"
rm -f "$logdir"/vm-*.secs
stage deps single tools/setup.sh || true
# The committed output of tools/ynl/sipguard.yaml is what it generates.
stage ynl-gen single tools/ynl/ynl-gen.sh --check
stage sipguardctl single make -s -C tools/sipguardctl WERROR=-Werror
# The Debian packages the guests install (tools/tests/sipguard_packages.sh),
# lintian-checked.
stage deb single tools/deb.sh
stage selftests-build single make -s -C selftests all
# The selftests as a kernel developer runs them: built and installed by
# kselftest's lib.mk, run by run_kselftest.sh (linux-source-6.1's).
stage kselftest-install single tools/kselftest.sh

if [ $vm_only = 0 ]; then
	stage unit tap make -s -C tools/unit run
	stage unit-valgrind single make -s -C tools/unit valgrind
	if [ -f tools/fuzz/Makefile ]; then
		stage fuzz-smoke single make -s -C tools/fuzz run diff FUZZ_SECONDS="${FUZZ_SECONDS:-10}" \
			DIFF_SECONDS="${DIFF_SECONDS:-5}"
	fi
fi

kernels=$(tools/vm/kernels.sh list "${kfilter[@]}")
if [ -z "$kernels" ]; then
	echo "no kernel of the matrix is installed"
	failed=$((failed + 1))
fi
for k in $kernels; do
	stage "build-$k" single make -s matrix KERNELS="$k"
done

# The VMs, one per kernel, side by side: TCG runs a vCPU per host thread,
# and the selftests are mostly one process at a time, so on this 2-core
# machine two 1-vCPU VMs finish in about half the time of one after the
# other.  Each one's output is shown when it is done.
vm_stage() {
	local k=$1 ko=$top/build/kernels/$1/sipguard.ko t0 rc secs
	t0=$(date +%s)
	local suite=(tools/vm/suite.sh)
	# The oldest kernel of the matrix runs them through kselftest's runner.
	[ "$k" != "$ks_kernel" ] || [ ! -x "$top/build/kselftest/install/run_kselftest.sh" ] ||
		suite+=(--kselftest "$top/build/kselftest/install")
	# The tests of userspace and packaging do not depend on the kernel:
	# each runs in one guest, so the VMs end together.  The newest kernel's
	# runs the real fail2ban and crowdsec's, the packages' and README's
	# (README's last: it removes packages); the oldest's the others, the
	# packages' too (DKMS builds in both guests, for the running kernel).
	local tools=all
	if [ "$nk" -gt 1 ]; then
		if [ "$k" = "$dkms_kernel" ]; then
			tools="sipguard_ecosystem.sh sipguard_packages.sh sipguard_readme.sh"
		elif [ "$k" = "$ks_kernel" ]; then
			tools=$(cd tools/tests && ls sipguard_*.sh | grep -vx -e sipguard_readme.sh -e sipguard_ecosystem.sh | tr '\n' ' ')
		else
			tools=none
		fi
	fi
	[ "$tools" = all ] && tools=
	tools/vm/run.sh -k "$k" -m "$ko" --smp "$vm_smp" -t 4200 \
		-e SG_DKMS_KERNELS="$(echo $kernels)" -e SG_TOOLS_TESTS="$tools" \
		-l "$logdir/console-$k.log" -- "${suite[@]}"
	rc=$?
	secs=$(($(date +%s) - t0))
	echo "$secs" > "$logdir/vm-$k.secs"
	echo "# VM with Linux $k: ${secs}s, $vm_smp vCPU(s)"
	return $rc
}
# The newest kernel has the extra guests (no IPv6, two vCPUs).
dkms_kernel=$(echo $kernels | awk '{ print $NF }')
ks_kernel=$(echo $kernels | awk '{ print $1 }')
ncpu=$(nproc)
nk=$(echo $kernels | wc -w)
vm_smp=1
[ "$nk" -le 1 ] || [ "$ncpu" -ge $((2 * nk)) ] && vm_smp=2
pids=()
for k in $kernels; do
	[ -f "$top/build/kernels/$k/sipguard.ko" ] || continue
	vm_stage "$k" > "$logdir/vm-$k.out" 2>&1 &
	pids+=("$k:$!")
done
for kp in ${pids[@]+"${pids[@]}"}; do
	k=${kp%%:*}
	wait "${kp#*:}"
	echo "$?" > "$logdir/vm-$k.rc"
done
for kp in ${pids[@]+"${pids[@]}"}; do
	k=${kp%%:*}
	stage_secs=$(cat "$logdir/vm-$k.secs" 2>/dev/null || echo '?') \
		stage "vm-$k" selftest sh -c 'cat "$1"; exit $(cat "$2")' - "$logdir/vm-$k.out" "$logdir/vm-$k.rc"
done

# A kernel booted without IPv6 (ipv6.disable=1, as many home routers are):
# the one test that needs it, on the newest kernel of the matrix.
if [ -n "$dkms_kernel" ] && [ -f "$top/build/kernels/$dkms_kernel/sipguard.ko" ]; then
	stage "vm-$dkms_kernel-noipv6" selftest tools/vm/run.sh -k "$dkms_kernel" \
		-m "$top/build/kernels/$dkms_kernel/sipguard.ko" --smp 1 -t 600 \
		--append ipv6.disable=1 -l "$logdir/console-$dkms_kernel-noipv6.log" \
		-- selftests/run_tests.sh sipguard_noipv6.sh
fi

# Races that need two CPUs at once (the IPv6 ECMP walk against unlinks,
# sipguard_ecmp.sh skips on one): a 2-vCPU guest of the newest kernel.
if [ -n "$dkms_kernel" ] && [ -f "$top/build/kernels/$dkms_kernel/sipguard.ko" ]; then
	stage "vm-$dkms_kernel-smp2" selftest tools/vm/run.sh -k "$dkms_kernel" \
		-m "$top/build/kernels/$dkms_kernel/sipguard.ko" --smp 2 -t 600 \
		-l "$logdir/console-$dkms_kernel-smp2.log" \
		-- selftests/run_tests.sh sipguard_ecmp.sh
fi

# What failed, in the last lines: a CI that keeps only the tail of the
# output still shows which checks failed and what the kernel said (a panic's
# header, where it was and its first callers), not just a count.
digest() {
	local f
	for f in "$logdir"/*.log; do
		case $f in */console-*) continue ;; esac
		grep -hE '^(# )?not ok ' "$f" | sed "s|^|$(basename "$f" .log): |" | head -n 4
	done
	for f in "$logdir"/console-*.log; do
		[ -f "$f" ] || continue
		grep -E '^\[ *[0-9.]+\] (BUG:|WARNING:|Oops|general protection|Kernel panic|KASAN|UBSAN|RIP: 0010:|refcount_t:|RCU stall|Out of memory|.*blocked for more than| +[a-z_0-9.]+\+0x[0-9a-f]+/0x[0-9a-f]+)' "$f" |
			sed -n '/ \(BUG:\|WARNING:\|Oops\|general\|Kernel panic\|KASAN\|UBSAN\|refcount_t:\|RCU stall\|Out of memory\)\| blocked for/,$p' |
			head -n 10 | sed "s|^|$(basename "$f" .log): |"
	done
}
# The whole console of every guest whose stage failed, where CI shows it: a
# CI job keeps the output, not build/check/, and a guest's last words (a
# panic, a stall, what the test printed before the VM died) may be
# anywhere in it.  Printed before the digest, so the last lines stay the
# digest and the count.
consoles() {
	local name f
	for name in ${failed_stages[@]+"${failed_stages[@]}"}; do
		case $name in vm-*) ;; *) continue ;; esac
		f=$logdir/console-${name#vm-}.log
		if [ ! -s "$f" ]; then
			echo "=== $name failed; its guest left no console log ($f)"
			continue
		fi
		echo "=== console of the guest of $name, whole ($(wc -l < "$f") lines, $f)"
		cat "$f"
		echo "=== end of the console of the guest of $name"
	done
}
if [ "$failed" -gt 0 ]; then
	consoles
	echo "=== what failed (build/check/ has the whole logs)"
	digest | head -n 20
fi
echo "make check: $(($(date +%s) - t_start))s, logs in build/check/"
if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
