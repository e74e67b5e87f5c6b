#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh ARCH [TEST...]: the core selftests (ghost calls, packets,
# learning, open policy, netlink, hostile netlink; or the TESTs named) in an
# ARM guest: ARCH arm64 boots Debian's arm64 kernel under
# qemu-system-aarch64, armhf the armmp one (32-bit ARMv7) under
# qemu-system-arm, both `-M virt` under TCG, --smp 1, through
# tools/vm/run.sh.  The kernel is the 6.12 release of the matrix (or that of
# SG_ARCH_KERNELS) in its ARM flavour.
#
# Everything lives under build/arch/ARCH, outside git, and is made once:
#  - root/: a Debian 12 root of the architecture (tools/arch/root.sh);
#  - the kernel's image and modules from linux-image-<release>:ARCH
#    (apt-get download, unpacked, not installed), copied into root/;
#  - initramfs.cpio.gz: tools/vm/initramfs.sh with busybox-static:ARCH;
#  - bin/: sipguardctl, nl_hostile and sg_flood cross-compiled against
#    root/ (--sysroot), copied over the tree's own in the guest's overlay.
# The module is tools/arch/matrix.sh's (W=1, against the release's headers).
# SG_ARCH_TIMEOUT (default 7200 s) bounds the VM.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
arch=${1:?usage: guest.sh arm64|armhf [TEST...]}
shift
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(sipguard_ghostcall.sh sipguard_packets.sh sipguard_learn.sh
	sipguard_open.sh sipguard_netlink.sh sipguard_nl_hostile.sh)
case $arch in
arm64) flavour=arm64 cross=aarch64-linux-gnu ;;
armhf) flavour=armmp cross=arm-linux-gnueabihf ;;
*) echo "guest.sh: unknown architecture $arch" >&2; exit 2 ;;
esac
dir=$top/build/arch/$arch
root=$dir/root
debs=$top/build/cross/debs
mkdir -p "$dir" "$debs"

amd=$("$top/tools/vm/kernels.sh" list "${SG_ARCH_KERNELS:-6.12}" | tail -n 1)
[ -n "$amd" ] || { echo "guest.sh: no matrix kernel (make deps)" >&2; exit 1; }
rel=${amd%-amd64}-$flavour

"$here/root.sh" "$arch"

# fetch PACKAGE: the newest .deb of PACKAGE:ARCH in build/cross/debs.
fetch() {
	local f
	f=$(ls -t "$debs/$1"_*_"$arch".deb 2>/dev/null | head -n 1)
	if [ -z "$f" ]; then
		(cd "$debs" && apt-get download -q "$1:$arch" >&2) ||
			{ echo "guest.sh: $1:$arch not downloadable (make deps-arch)" >&2; exit 1; }
		f=$(ls -t "$debs/$1"_*_"$arch".deb | head -n 1)
	fi
	echo "$f"
}

# The kernel: unpacked beside the root, then copied into it (the root's
# /lib is a link to usr/lib, which dpkg-deb -x would not follow).
if [ ! -f "$root/boot/vmlinuz-$rel" ]; then
	rm -rf "$dir/kernel"
	dpkg-deb -x "$(fetch "linux-image-$rel")" "$dir/kernel"
	mkdir -p "$root/usr/lib/modules"
	rm -rf "$root/usr/lib/modules/$rel"
	cp -a "$dir/kernel/lib/modules/$rel" "$root/usr/lib/modules/"
	depmod -b "$root" "$rel"
	cp "$dir/kernel/boot/"*"-$rel" "$root/boot/"
	rm -rf "$dir/kernel"
fi
initrd=$dir/initramfs-$rel.cpio.gz
if [ ! -s "$initrd" ] || [ "$top/tools/vm/init" -nt "$initrd" ] ||
   [ "$top/tools/vm/initramfs.sh" -nt "$initrd" ]; then
	rm -rf "$dir/busybox"
	dpkg-deb -x "$(fetch busybox-static)" "$dir/busybox"
	"$top/tools/vm/initramfs.sh" -r "$root" -b "$dir/busybox/bin/busybox" "$rel" "$initrd"
fi

ko=$top/build/kernels/$rel/sipguard.ko
if [ ! -f "$ko" ] || [ -n "$(find "$top/kmod" "$top/uapi" "$top/Kbuild" -newer "$ko" -print -quit)" ]; then
	SG_ARCH_KERNELS=${SG_ARCH_KERNELS:-6.12} "$here/matrix.sh" "$flavour"
fi

# Userspace, cross-compiled in a copy of its sources (the tree's own
# objects are the host's).  Warnings fail, as in matrix.sh: on 32-bit they
# are where a pointer or a long is narrower than the code assumed.
bin=$dir/bin
src=$dir/src
rm -rf "$src"
mkdir -p "$bin" "$src/tools" "$src/selftests"
cp -a "$top/tools/sipguardctl" "$top/uapi" "$src/"
mv "$src/sipguardctl" "$src/tools/"
rm -f "$src/tools/sipguardctl/"*.o "$src/tools/sipguardctl/sipguardctl"
cc="$cross-gcc --sysroot=$root"
version=$(git -C "$top" describe --tags --always --dirty 2>/dev/null || echo unknown)
make -s -C "$src/tools/sipguardctl" CC="$cc" XDP=0 WERROR=-Werror \
	SIPGUARD_VERSION="$version" sipguardctl
cp "$src/tools/sipguardctl/sipguardctl" "$bin/"
make -s -C "$top/selftests" ../build/kselftest/kselftest_harness.h >/dev/null
$cc -Wall -Werror -O2 -I"$top/uapi" -I"$top" -I"$top/build/kselftest" \
	-o "$bin/nl_hostile" "$top/selftests/nl_hostile.c"
$cc -Wall -Werror -O2 -o "$bin/sg_flood" "$top/selftests/sg_flood.c"

cd "$top"
# Under TCG an ARM guest (32-bit most of all) answers a call in more than
# lib.sh's default 5 s when the host is loaded: a timed-out call is the
# emulator's, not the guard's.
call_wait=${SG_CALL_WAIT:-15}
echo "guest.sh: $arch, $rel, tests: ${tests[*]}"
# shellcheck disable=SC2016 # expanded in the guest
exec "$top/tools/vm/run.sh" --arch "$arch" --root "$root" --initrd "$initrd" -k "$rel" \
	--smp 1 -t "${SG_ARCH_TIMEOUT:-7200}" -m "$ko" -e "SIPGUARDCTL=$bin/sipguardctl" \
	-e "SG_CALL_WAIT=$call_wait" -- \
	bash -c 'cp "$1"/nl_hostile "$1"/sg_flood selftests/ && shift && exec selftests/run_tests.sh "$@"' \
	- "$bin" "${tests[@]}"
