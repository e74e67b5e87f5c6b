#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rt.sh [TEST...]: the core selftests on Debian's PREEMPT_RT kernel of the
# 6.12 series (linux-image-<release>-rt-amd64), in the same x86 VM as make
# check.  Image, modules and headers are unpacked under build/cross/root
# (tools/arch/headers.sh), not installed: run.sh finds kernels in /boot and
# the guest's modprobe in /lib/modules, so both are shown there through bind
# mounts of directories of symbolic links in a mount namespace of our own,
# as tools/vm/debug-kernel.sh does.  The module is built W=1 against the rt
# headers (tools/arch/matrix.sh rt-amd64).  SG_RT_TIMEOUT (default 3600 s)
# bounds the VM: the six tests took over 900 s on the loaded machine.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
root=$top/build/cross/root
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(sipguard_ghostcall.sh sipguard_packets.sh sipguard_learn.sh
	sipguard_open.sh sipguard_netlink.sh sipguard_nl_hostile.sh)

SG_ARCH_KERNELS=6.12 "$here/matrix.sh" rt-amd64
h=$(SG_ARCH_KERNELS=6.12 "$here/headers.sh" rt-amd64)
rel=${h##*/linux-headers-}
grep -q '^CONFIG_PREEMPT_RT=y' "$root/boot/config-$rel" ||
	{ echo "rt.sh: $rel is no PREEMPT_RT kernel" >&2; exit 1; }

view=$top/build/cross/rt-view
rm -rf "$view"
mkdir -p "$view/boot" "$view/modules"
for f in /boot/* /boot/.[!.]*; do [ -e "$f" ] && ln -s "$f" "$view/boot/"; done
for f in /lib/modules/*; do [ -e "$f" ] && ln -s "$f" "$view/modules/"; done
for f in "$root/boot/"*"-$rel"; do ln -sfn "$f" "$view/boot/"; done
ln -sfn "$root/lib/modules/$rel" "$view/modules/$rel"

echo "rt.sh: $rel, tests: ${tests[*]}"
exec unshare -m --propagation private bash -c '
	mount --bind "$1/boot" /boot && mount --bind "$1/modules" /lib/modules || exit 125
	shift; exec "$@"' - "$view" "$top/tools/vm/run.sh" -k "$rel" --smp 1 \
	-t "${SG_RT_TIMEOUT:-3600}" \
	-m "$top/build/kernels/$rel/sipguard.ko" -- selftests/run_tests.sh "${tests[@]}"
