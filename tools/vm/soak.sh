#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# soak.sh [soak|faults]   (make soak, make faults)
#
# Boots a 2-vCPU guest and runs tools/vm/stress.sh in it: everything at
# once (floods, learning, configuration churn, ECMP and link churn,
# renames, XDP, namespaces and containers created and destroyed, the
# module unloaded and loaded between rounds); `faults` adds fault
# injection into the module's allocations.  Then scans the whole console
# for any kernel report (BUG, WARNING, Oops, KASAN, UBSAN, lockdep, RCU
# stall, soft lockup, hung task, int3, kmemleak) and prints each.
#
#   SOAK_MINUTES / FAULT_MINUTES  how long (default 20)
#   SOAK_KERNEL / FAULT_KERNEL    debug (default: the debug kernel of
#                                 tools/vm/debug-kernel.sh, which must be
#                                 built already: `tools/vm/debug-kernel.sh
#                                 build`) or a series of the matrix (6.1,
#                                 6.12), which has no KASAN, lockdep,
#                                 kmemleak nor fault injection
#   SOAK_APPEND                   more kernel arguments (e.g. earlyprintk=ttyS0
#                                 loglevel=7 to see a boot that hangs)
#   SOAK_ACCEL                    tcg (default: one host thread per vCPU),
#                                 tcg-single (both vCPUs on one thread), kvm
#   SG_FAULT_PERCENT              share of the module's allocations failed
#                                 (fail_sipguard; default 5)
#   SG_FAULT_TASK_PERCENT         share of the configuring commands'
#                                 allocations failed (failslab,
#                                 fail_page_alloc; default 2)
#   SG_FAULT_LOAD_PERCENT         failslab's share on the loading insmod
#                                 (default 2)
#
# Each run keeps its console whole and a summary (the guest's round lines,
# counters, injected faults, kmemleak's verdict, every report) in
# build/soak-runs/<soak|faults>-<UTC time>.{console.log,summary};
# build/<soak|faults>-console.log links to the last.  Durations are wall
# clock: the guest's clock is the host's (qemu), and the host's own figure
# is printed beside it.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
what=${1:-soak}
case "$what" in
soak) minutes=${SOAK_MINUTES:-20} kernel=${SOAK_KERNEL:-debug} ;;
faults) minutes=${FAULT_MINUTES:-20} kernel=${FAULT_KERNEL:-${SOAK_KERNEL:-debug}} ;;
*) sed -n '3,38s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
secs=$((minutes * 60))
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$top/build/soak-runs"
log=$top/build/soak-runs/$what-$stamp.console.log
summary=$top/build/soak-runs/$what-$stamp.summary
ln -sfn "soak-runs/$what-$stamp.console.log" "$top/build/$what-console.log"
make -s -C "$top/tools/sipguardctl" || exit 1
make -s -C "$top/selftests" all || exit 1
# The preload that sets make-it-fail in the faulted commands (stress.sh).
cc -O2 -Wall -shared -fPIC -o "$top/build/sg_failme.so" "$here/sg_failme.c" || exit 1

case "${SOAK_ACCEL:-tcg}" in
tcg) accel=() ;;
tcg-single) accel=(--tcg-single) ;;
kvm) accel=(--kvm) ;;
*) echo "soak: SOAK_ACCEL=$SOAK_ACCEL: tcg, tcg-single or kvm" >&2; exit 2 ;;
esac

if [ "$kernel" = debug ]; then
	rel=$("$here/debug-kernel.sh" release) || exit 1
	kdir=$("$here/debug-kernel.sh" kdir)
	cache=${SG_DEBUG_CACHE:-/var/cache/sipguard/debug-kernel}
	# Never a build from here: it takes an hour of both cores.
	[ -f "$cache/install/boot/vmlinuz-$rel" ] || {
		echo "soak: the debug kernel is not built: tools/vm/debug-kernel.sh build" >&2
		exit 2
	}
	d=$top/build/kernels/$rel
	mkdir -p "$d/kmod" "$d/uapi/linux"
	cp -p "$top/Kbuild" "$d/"
	cp -p "$top"/kmod/*.[ch] "$d/kmod/"
	cp -p "$top"/uapi/linux/*.h "$d/uapi/linux/"
	make -s -C "$kdir" M="$d" W=1 modules || exit 1
	run=("$here/debug-kernel.sh" run)
	# debug-kernel.sh guest: boot-time reports judged apart, kmemleak at the end.
	guest=(tools/vm/debug-kernel.sh guest)
	mem=3072
else
	kver=$("$here/kernels.sh" list "$kernel" | tail -n 1)
	[ -n "$kver" ] || { echo "soak: no $kernel kernel of the matrix installed" >&2; exit 2; }
	d=$top/build/kernels/$kver
	[ -f "$d/sipguard.ko" ] && [ ! "$top/kmod/main.c" -nt "$d/sipguard.ko" ] ||
		make -s -C "$top" matrix || exit 1
	run=("$here/run.sh" -k "$kver")
	guest=()
	mem=2048
fi

# The kernel's own leak under faults: 6.1's sysfs_slab_add() does not put
# the kobject whose kobject_init_and_add() failed, so a cache that cannot
# be made (kmem_cache_create, at the module's load) leaks the name.
known=
[ "$what" != faults ] || known='sysfs_slab_add[+]'
t0=$(date +%s)
echo "soak: $what for $minutes min on $kernel, 2 vCPUs; console: $log"
cd "$top" || exit 1
# no_timer_check: on a loaded host TCG's IO-APIC timer check at boot can
# fail ("MP-BIOS bug: 8254 timer not connected") and the boot hang there.
# rcu_cpu_stall_timeout 120 s (default 21): on a shared host a TCG vCPU
# thread goes unscheduled for tens of seconds while the guest's clock runs
# on ("rcu_preempt kthread timer wakeup didn't happen", "kthread starved"
# in an exec under KASAN, sipguard nowhere); a loop that never ends is
# still reported, two minutes on.
stall=rcupdate.rcu_cpu_stall_timeout=120
[ "${SOAK_ACCEL:-tcg}" = kvm ] && stall=
"${run[@]}" "${accel[@]}" --append "no_timer_check $stall ${SOAK_APPEND:-}" --smp 2 --mem $mem -t $((secs + 1200)) -m "$d/sipguard.ko" -l "$log" \
	-e SG_STRESS_SECONDS=$secs -e SG_FAULT_PERCENT="${SG_FAULT_PERCENT:-5}" \
	-e SG_KMEMLEAK_KNOWN="$known" -e SG_FAULT_TASK_PERCENT="${SG_FAULT_TASK_PERCENT:-2}" -e SG_FAULT_LOAD_PERCENT="${SG_FAULT_LOAD_PERCENT:-2}" -- \
	"${guest[@]}" tools/vm/stress.sh "$what"
rc=$?
echo "soak: guest exit $rc after $(($(date +%s) - t0)) s (host clock, boot and leak scan included)"
# Under faults the kernel itself dumps a stack when a cache cannot be made
# (kmem_cache_create) or vmalloc fails: expected, and run.sh's "Call Trace"
# fails the run on them.  There the command's own status decides, and the
# scan below, which excuses only those dumps, judges the console.
expected=
if [ "$what" = faults ]; then
	expected='kmem_cache_create(_usercopy)?\(.*\) failed with error -12|vmalloc error: |page allocation failure: |SLUB: Unable to allocate memory'
	g=$(grep -a '^SGVM-EXIT: ' "$log" | tail -n 1 | cut -d' ' -f2)
	[ "$rc" != 1 ] || [ -z "$g" ] || rc=$g
fi

# Any report, whatever run.sh's own filter knows: each with a few lines.
reports='BUG:|WARNING:|Oops|int3|general protection fault|Kernel panic|KASAN|UBSAN|'
reports+='possible (recursive|circular) locking|inconsistent lock state|suspicious RCU usage|'
reports+='rcu: INFO|self-detected stall|rcu_sched detected|soft lockup|hard LOCKUP|'
reports+='blocked for more than|sleeping function called from invalid context|'
reports+='unreferenced object|refcount_t:|list_(add|del) corruption|kernel BUG|Call Trace'
benign='kmemleak: Kernel memory leak detector initialized|Automatic memory scanning thread|leak scan clean: 0 unreferenced'
# console: the log without the benign lines, and without the Call Trace
# of a dump that an expected message opened (within 6 lines).
console() {
	grep -aEv "$benign" "$log" |
		awk -v e="$expected" 'e != "" && $0 ~ e { near = NR + 6 }
			/Call Trace/ && NR <= near { excused++; next } { print }
			END { if (excused) printf "soak: %d expected allocation-failure dumps excused\n", excused > "/dev/stderr" }'
}
n=$(console 2>/dev/null | grep -acE "$reports" || true)
if [ "$n" != 0 ]; then
	echo "soak: $n report lines on the console:"
	console 2>/dev/null | grep -aE -A12 "$reports" | head -n 200
	[ $rc != 0 ] || rc=1
else
	console > /dev/null
	echo "soak: console clean (no BUG, WARNING, Oops, int3, KASAN, UBSAN, lockdep, RCU stall, lockup, leak, stray Call Trace)"
fi
# The guest's verdict lines, for the record.
grep -aE '^(not )?ok |^# (round|soak|faults|registrar|.*SKIP)|^debug-kernel:' "$log" | tail -n 60
case $rc in
0) verdict="soak: $what PASS" ;;
4) verdict="soak: $what SKIP (the kernel lacks what it needs)" ;;
*) verdict="soak: $what FAIL (exit $rc)" ;;
esac
echo "$verdict"
{
	echo "soak: $what, $minutes min on $kernel, started $stamp, host seconds $(($(date +%s) - t0))"
	echo "console: $log"
	grep -aE '^(not )?ok |^# (round|soak|faults|registrar|.*SKIP)|^debug-kernel:|^1\.\.|kmemleak' "$log"
	echo "kernel report lines on the console: $n"
	console 2>&1 > /dev/null
	[ "$n" = 0 ] || console 2>/dev/null | grep -aE -A12 "$reports" | head -n 200
	echo "$verdict"
} > "$summary"
echo "soak: summary: $summary"
exit $rc
