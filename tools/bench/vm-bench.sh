#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-bench.sh [KERNEL]: build what the datapath benchmark needs and run
# netbench.sh in the VM on one kernel of the matrix (default: the newest).
# One vCPU: sender, gateway and sink share it, as they would be pinned.
# RUNS, SECS, SRC_RUNS, BENCH (sections) and HOOK_RUNS, HOOK_REPS,
# HOOK_ITERS, HOOK_GROUPS (the hook-cost microbenchmark) go to netbench.sh;
# BEFORE=REV also builds the module of git revision REV and measures the
# hook cost and the source table with it in the same run (before/after
# figures of a change).
# BENCH=xdp-native alone runs tools/bench/xdpnative.sh instead: one vCPU,
# two virtio-net NICs on one qemu hub, XDP native vs generic vs the hook
# (RUNS, SECS).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
tools/setup.sh
make -s tools
k=$(tools/vm/kernels.sh list "$@" | tail -n 1)
make -s matrix KERNELS="$k"
mkdir -p build/bench
cc -O2 -Wall -Wextra -o build/bench/sg_flood selftests/sg_flood.c
if [ "${BENCH:-}" = xdp-native ]; then
	echo "# host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
	# One vCPU whose clock counts instructions (ICOUNT=3: 8 ns each): CPU
	# time per drop in the guest is then instructions, not the host's load.
	# XDP_SMP=2 ICOUNT= : sender and receiver on two vCPUs, wall-clock time;
	# XDP_APPEND: kernel arguments (e.g. init_on_alloc=0); PROFILE=0: no perf.
	ic=${ICOUNT-3}
	exec tools/vm/run.sh -k "$k" -m "build/kernels/$k/sipguard.ko" --smp "${XDP_SMP:-1}" --mem 1024 -t 1800 \
		--hub-nics 2 ${ic:+--icount "$ic"} -e ICOUNT="$ic" ${XDP_APPEND:+--append "$XDP_APPEND"} \
		-e RUNS="${RUNS:-5}" -e SECS="${SECS:-5}" -e PROFILE="${PROFILE:-1}" \
		-e HOST_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)" -e XDP_APPEND="${XDP_APPEND:-}" \
		-- tools/bench/xdpnative.sh
fi
# The hook-cost microbenchmark module (tools/bench/hookbench), W=1 clean.
hb=build/bench/hookbench/$k
rm -rf "$hb"; mkdir -p "$hb"
cp tools/bench/hookbench/Kbuild tools/bench/hookbench/hookbench.c kmod/sip_parser.c \
	kmod/sip_parser.h kmod/sg_types.h "$hb"
make -s -C "/lib/modules/$k/build" M="$top/$hb" W=1 modules 2>&1 | { grep -v '^Skipping BTF' || true; } |
	tee "$hb/build.log"
if grep -q 'warning:' "$hb/build.log" || [ ! -f "$hb/sg_hookbench.ko" ]; then
	echo "vm-bench: building $hb failed (W=1)" >&2
	exit 1
fi
before=()
if [ -n "${BEFORE:-}" ]; then
	d=build/bench/before/$k
	rm -rf "$d"; mkdir -p "$d"
	git archive "$BEFORE" Kbuild kmod uapi | tar -x -C "$d"
	make -s -C "/lib/modules/$k/build" M="$top/$d" SIPGUARD_VERSION="$(git rev-parse --short "$BEFORE")" modules
	before=(-e BEFORE_KO="$top/$d/sipguard.ko")
fi
exec tools/vm/run.sh -k "$k" -m "build/kernels/$k/sipguard.ko" --smp 1 --mem 1024 -t 1800 \
	-e RUNS="${RUNS:-5}" -e SECS="${SECS:-3}" -e SRC_RUNS="${SRC_RUNS:-${RUNS:-5}}" -e SRC_SIZES="${SRC_SIZES:-1000 10000 100000 1000000}" \
	-e BENCH="${BENCH:-hookcost srctable fwd strict allow open sources xdp}" -e HOOKBENCH_KO="$top/$hb/sg_hookbench.ko" \
	-e HOOK_RUNS="${HOOK_RUNS:-2}" -e HOOK_REPS="${HOOK_REPS:-1000}" -e HOOK_ITERS="${HOOK_ITERS:-256}" \
	-e HOOK_GROUPS="${HOOK_GROUPS:-5}" \
	${before[@]+"${before[@]}"} -- tools/bench/netbench.sh
