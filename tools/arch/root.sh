#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# root.sh ARCH: a Debian 12 root for an ARM guest (arm64 or armhf) in
# build/arch/ARCH/root, with what the core selftests run: bash, iproute2,
# nftables, kmod, util-linux (unshare, nsenter, setpriv), python3 with
# scapy, sipp, SIPVicious, ping, column, and a C compiler (the open policy's test
# builds its packet generator when it finds none).  libmnl-dev is there for
# tools/arch/guest.sh, which cross-compiles sipguardctl against this root.
#
# debootstrap's first stage downloads and unpacks on the host; its second
# stage runs the packages' maintainer scripts, ARM programs, under
# qemu-user through proot: the host has no binfmt_misc to run them
# directly, and nothing is installed on the host but debootstrap and proot.
# proot runs under nostatx (nostatx.c says why).  About 30 minutes on the
# loaded 2-core machine; done once, kept until build/arch/ARCH is removed.
set -eu

arch=${1:?usage: root.sh arm64|armhf}
case $arch in
arm64) qemu="qemu-aarch64" ;;
armhf) qemu="qemu-arm" ;;
*) echo "root.sh: unknown architecture $arch" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$top/build/arch/$arch
root=$dir/root
pkgs=iproute2,nftables,kmod,util-linux,procps,python3,python3-scapy,sip-tester
pkgs=$pkgs,sipvicious,iputils-ping,gcc,libc6-dev,libmnl-dev,bsdextrautils
# A root made with another list is made again.
[ "$(cat "$dir/root.done" 2>/dev/null)" = "$pkgs" ] && exit 0
for c in debootstrap proot "$qemu"; do
	command -v "$c" >/dev/null ||
		{ echo "root.sh: $c missing (make deps-arch)" >&2; exit 1; }
done

rm -rf "$root"
mkdir -p "$root"
echo "root.sh: $arch: first stage (log: $dir/debootstrap.log)"
debootstrap --foreign --arch="$arch" --variant=minbase --include="$pkgs" \
	bookworm "$root" http://deb.debian.org/debian >"$dir/debootstrap.log" 2>&1 ||
	{ tail -n 5 "$dir/debootstrap.log" >&2; exit 1; }
# The first stage leaves /proc a link to the host's: proot binds its own.
if [ -L "$root/proc" ]; then rm "$root/proc"; mkdir "$root/proc"; fi
mkdir -p "$top/build/arch"
cc -O2 -Wall -o "$top/build/arch/nostatx" "$top/tools/arch/nostatx.c"
echo "root.sh: $arch: second stage under $qemu"
"$top/build/arch/nostatx" proot -0 -q "$qemu" -r "$root" -b /proc -b /dev -b /sys -w / \
	/usr/bin/env DEBOOTSTRAP_DIR=/debootstrap /bin/sh /debootstrap/debootstrap --second-stage \
	>>"$dir/debootstrap.log" 2>&1 ||
	{ tail -n 5 "$dir/debootstrap.log" >&2; exit 1; }
echo "$pkgs" >"$dir/root.done"
