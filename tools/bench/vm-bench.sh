#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-bench.sh [KERNEL]: build what the datapath benchmark needs and run
# netbench.sh in the VM on one kernel of the matrix (default: the newest).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
tools/setup.sh
make -s tools
k=$(tools/vm/kernels.sh list "$@" | tail -n 1)
make -s matrix KERNELS="$k"
mkdir -p build/bench
cc -O2 -Wall -Wextra -o build/bench/sg_flood selftests/sg_flood.c
exec tools/vm/run.sh -k "$k" -m "build/kernels/$k/sipguard.ko" -t 1800 \
	-e RUNS="${RUNS:-5}" -e SECS="${SECS:-3}" -- tools/bench/netbench.sh
