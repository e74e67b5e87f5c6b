#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What `make check-arch` needs beyond `make deps`: the cross compilers,
# qemu-user, the foreign libmnl (and with it the foreign libc that
# qemu-user runs the unit tests with), and the foreign architectures in
# dpkg so that apt-get download finds the arm64/armmp kernel headers and
# images; qemu-system-arm, debootstrap and proot for the ARM guests
# (tools/arch/guest.sh, root.sh).
set -eu

[ "$(id -u)" = 0 ] || { echo "deps.sh: run as root" >&2; exit 1; }
added=
for a in arm64 armhf s390x; do
	dpkg --print-foreign-architectures | grep -qx "$a" && continue
	dpkg --add-architecture "$a"
	added=1
done
[ -z "$added" ] || apt-get update
apt-get install -y gcc-s390x-linux-gnu libc6-dev-s390x-cross \
	gcc-arm-linux-gnueabihf libc6-dev-armhf-cross gcc-aarch64-linux-gnu \
	qemu-user libmnl-dev:s390x libmnl-dev:armhf qemu-system-arm debootstrap proot
