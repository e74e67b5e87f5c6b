#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# initramfs.sh [-r ROOT -b BUSYBOX] KVER OUT.cpio.gz
#
# Builds the tiny initramfs the VM boots with: busybox, the modules needed to
# reach the host's root over virtio-9p (with their dependencies, in the order
# modprobe resolves them, decompressed because busybox insmod reads only plain
# ELF), and tools/vm/init.  Everything else, including the rest of the
# kernel's modules, comes from the host root the guest mounts.  A foreign
# guest (tools/arch/guest.sh) names its root, whose /lib/modules has the
# kernel's modules, and a static busybox of its architecture.
set -euo pipefail

modroot=/
busybox=
while [ $# -gt 2 ]; do
	case "$1" in
	-r) modroot=$2; shift 2 ;;
	-b) busybox=$2; shift 2 ;;
	*) echo "initramfs: unknown option $1" >&2; exit 2 ;;
	esac
done
kver=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "$busybox" ]; then
	busybox=$(command -v busybox || true)
	[ -x /bin/busybox ] && busybox=/bin/busybox
fi
[ -n "$busybox" ] || { echo "initramfs: busybox not found (apt-get install busybox-static)" >&2; exit 1; }
# A dynamically linked busybox would need the host's libc inside the image.
if ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked'; then
	echo "initramfs: $busybox is not static (apt-get install busybox-static)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,mnt/lower,mnt/rw,mnt/root,modules}
cp "$busybox" "$tmp/bin/busybox"
for app in sh mount umount insmod mkdir cat echo poweroff sleep chroot switch_root grep mknod; do
	ln -s busybox "$tmp/bin/$app"
done

# modprobe prints each dependency before its user; some appear twice.
n=0
modprobe -d "$modroot" --show-depends -S "$kver" -a virtio_pci 9pnet_virtio 9p overlay |
awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
while read -r ko; do
	n=$((n + 1))
	dst=$(printf '%s/modules/%02d-%s' "$tmp" "$n" "$(basename "${ko%.xz}")")
	dst=${dst%.zst}
	case "$ko" in
	*.xz) xz -dc "$ko" > "$dst" ;;
	*.zst) zstd -qdc "$ko" > "$dst" ;;
	*) cp "$ko" "$dst" ;;
	esac
done

install -m 0755 "$here/init" "$tmp/init"
mkdir -p "$(dirname "$out")"
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
