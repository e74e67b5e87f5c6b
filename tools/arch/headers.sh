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
# 6.12 as tools/vm/kernels.sh lists them) that has the flavour.
# Needs the foreign architectures in dpkg (`dpkg --add-architecture arm64
# armhf`, apt-get update) and the cross compilers: `make deps-arch`.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
root=$top/build/cross/root
debs=$top/build/cross/debs
flavours=${*:-arm64 armmp}
mkdir -p "$root" "$debs"

for amd in $("$top/tools/vm/kernels.sh" list); do
	base=${amd%-amd64}
	for fl in $flavours; do
		case $fl in
		arm64*) arch=arm64 ;;
		armmp*) arch=armhf ;;
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
