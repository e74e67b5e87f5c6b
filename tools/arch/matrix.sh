#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build sipguard.ko W=1 against Debian's arm64 and armmp (32-bit ARMv7)
# headers of every kernel of the matrix, into build/kernels/<release>/ as
# `make matrix` does for amd64.  Any warning fails the build: on 32-bit a
# u64 division links to a libgcc helper the kernel lacks (modpost:
# "__aeabi_uldivmod" undefined) and a `long` constant can overflow.
#
#   tools/arch/matrix.sh [FLAVOUR...]      default: arm64 armmp
# (rt-amd64 too: the PREEMPT_RT kernel, for tools/arch/rt.sh)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
version=$(git -C "$top" describe --tags --always --dirty 2>/dev/null || echo unknown)
dirs=$("$top/tools/arch/headers.sh" "$@")
[ -n "$dirs" ] || { echo "matrix.sh: no headers" >&2; exit 1; }

rc=0
for h in $dirs; do
	k=${h##*/linux-headers-}
	d=$top/build/kernels/$k
	rm -rf "$d"
	mkdir -p "$d/kmod" "$d/uapi/linux"
	cp -p "$top/Kbuild" "$d/"
	cp -p "$top"/kmod/*.[ch] "$d/kmod/"
	cp -p "$top"/uapi/linux/*.h "$d/uapi/linux/"
	# 6.12's headers name their cross compiler, 6.1's only the arch.
	case $(sed -n 's/^override ARCH = //p' "$h/.kernelvariables") in
	arm64) cross=aarch64-linux-gnu- ;;
	arm) cross=arm-linux-gnueabihf- ;;
	x86) cross=x86_64-linux-gnu- ;;
	*) echo "matrix.sh: $k: unknown ARCH" >&2; exit 1 ;;
	esac
	echo "  MODULE  $k"
	make -s -C "$h" M="$d" W=1 CROSS_COMPILE=$cross \
		SIPGUARD_VERSION="$version" modules \
		>"$d/build.log" 2>&1 || true
	grep -v '^Skipping BTF generation' "$d/build.log" || true
	if [ ! -f "$d/sipguard.ko" ]; then
		echo "matrix.sh: $k: no sipguard.ko" >&2; rc=1
	elif grep -q 'warning:' "$d/build.log"; then
		echo "matrix.sh: W=1 warnings for $k" >&2; rc=1
	fi
done
exit $rc
