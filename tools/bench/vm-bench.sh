#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-bench.sh [KERNEL]: build what the datapath benchmark needs and run
# netbench.sh in the VM on one kernel of the matrix (default: the newest).
# One vCPU: sender, gateway and sink share it, as they would be pinned.
# RUNS, SECS, SRC_RUNS and BENCH (sections) go to netbench.sh.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
tools/setup.sh
make -s tools
k=$(tools/vm/kernels.sh list "$@" | tail -n 1)
make -s matrix KERNELS="$k"
mkdir -p build/bench
cc -O2 -Wall -Wextra -o build/bench/sg_flood selftests/sg_flood.c
exec tools/vm/run.sh -k "$k" -m "build/kernels/$k/sipguard.ko" --smp 1 --mem 1024 -t 1800 \
	-e RUNS="${RUNS:-5}" -e SECS="${SECS:-3}" -e SRC_RUNS="${SRC_RUNS:-${RUNS:-5}}" \
	-e BENCH="${BENCH:-fwd strict allow open sources}" -- tools/bench/netbench.sh
