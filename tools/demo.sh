#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [KERNEL]: the main job in one command.  Installs what is missing,
# builds the module and sipguardctl, boots a VM with one of Debian's
# kernels, and plays the ghost-call scene (tools/demo-scene.sh) in it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

tools/setup.sh
make -s tools
k=$(tools/vm/kernels.sh list "$@" | tail -n 1)
[ -n "$k" ] || { echo "demo: no kernel of the matrix installed" >&2; exit 1; }
make -s matrix KERNELS="$k"
echo "Booting Linux $k under qemu (about 10 s), then the scene takes a minute..."
exec tools/vm/run.sh -k "$k" -m "build/kernels/$k/sipguard.ko" -t 600 -- tools/demo-scene.sh
