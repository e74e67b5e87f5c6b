#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's kernel headers for foreign architectures (arm64, armmp), unpacked
# under build/cross/root instead of installed: linux-headers-*-arm64:arm64
# would pull linux-kbuild:arm64, which conflicts with the host's amd64 one.
# Their scripts/ link to the host's own linux-kbuild of the same version:
# those tools (fixdep, modpost) run on the build machine whatever the
# target, and the headers' .kernelvariables set ARCH and CROSS_COMPILE.
#
#   tools/arch/headers.sh [FLAVOUR...]     default: arm64 armmp
# prints one headers directory per line, for each matrix kernel (6.1 and
# 6.12 as tools/vm/kernels.sh lists them, or those of SG_ARCH_KERNELS, e.g.
# "6.12") that has the flavour.  rt-amd64 (PREEMPT_RT) comes with its
# image and modules as well, for tools/arch/rt.sh.
# Needs the foreign architectures in dpkg (`dpkg --add-architecture arm64
# armhf`, apt-get update) and the cross compilers: `make deps-arch`.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
root=$top/build/cross/root
debs=$top/build/cross/debs
flavours=${*:-arm64 armmp}
mkdir -p "$root" "$debs"

# shellcheck disable=SC2086 # a list of filters
for amd in $("$top/tools/vm/kernels.sh" list ${SG_ARCH_KERNELS:-}); do
	base=${amd%-amd64}
	for fl in $flavours; do
		case $fl in
		arm64*) arch=arm64 ;;
		armmp*) arch=armhf ;;
		rt-amd64) arch=amd64 ;;
		*) echo "headers.sh: unknown flavour $fl" >&2; exit 2 ;;
		esac
		k=$base-$fl
		dir=$root/usr/src/linux-headers-$k
		if [ ! -f "$dir/Makefile" ]; then
			(cd "$debs" && apt-get download -q "linux-headers-$k:$arch" >&2) || {
				echo "headers.sh: linux-headers-$k:$arch not downloadable" \
				     "(dpkg --add-architecture $arch; apt-get update)" >&2
				exit 1
			}
			dpkg-deb -x "$debs"/linux-headers-"$k"_*_"$arch".deb "$root"
		fi
		if [ "$arch" = amd64 ] && [ ! -f "$root/boot/vmlinuz-$k" ]; then
			(cd "$debs" && apt-get download -q "linux-image-$k" >&2)
			dpkg-deb -x "$debs"/linux-image-"$k"_*_"$arch".deb "$root"
			depmod -b "$root" "$k"
		fi
		# Its Makefile includes the -common (or -common-rt) headers by
		# absolute path: those are architecture-independent packages.
		common=$(sed -n 's|^include \(/usr/src/[^/]*\)/Makefile$|\1|p' "$dir/Makefile")
		[ -f "$common/Makefile" ] || {
			echo "headers.sh: $common missing: apt-get install ${common#/usr/src/}" >&2
			exit 1
		}
		# scripts -> ../../lib/linux-kbuild-<ver>/scripts: the host's.
		kb=$(readlink "$dir/scripts"); kb=${kb#../../lib/}; kb=${kb%/scripts}
		[ -d "/usr/lib/$kb" ] || {
			echo "headers.sh: /usr/lib/$kb missing (the amd64 headers of $amd)" >&2
			exit 1
		}
		mkdir -p "$root/usr/lib"
		ln -sfn "/usr/lib/$kb" "$root/usr/lib/$kb"
		echo "$dir"
	done
done
