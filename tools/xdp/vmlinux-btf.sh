#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmlinux-btf.sh RELEASE OUT: write the raw BTF of kernel RELEASE to OUT.
#
# Module BTF (which the XDP kfuncs need) is split BTF on top of the kernel's
# own; Debian's header packages ship no vmlinux, so the base comes from
#   1. /sys/kernel/btf/vmlinux when RELEASE is the running kernel, else
#   2. the .BTF section of /boot/vmlinuz-RELEASE (bzImage: the payload is
#      found from the setup header, then gzip/xz/zstd/lz4-decompressed).
# Exit 1 with a message when neither is available: the caller then builds
# the module without BTF, and the module runs without its XDP kfuncs.
set -euo pipefail

rel=${1:?usage: vmlinux-btf.sh RELEASE OUT}
out=${2:?usage: vmlinux-btf.sh RELEASE OUT}

if [ "$(uname -r)" = "$rel" ] && [ -r /sys/kernel/btf/vmlinux ]; then
	cp /sys/kernel/btf/vmlinux "$out"
	exit 0
fi

img=/boot/vmlinuz-$rel
[ -r "$img" ] || { echo "vmlinux-btf: no $img and not running $rel" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# x86 boot protocol: setup_sects at 0x1f1, payload_offset/length at
# 0x248/0x24c, relative to the protected-mode code after the setup sectors.
read -r ss off len < <(od -An -j 0x1f1 -N 1 -t u1 "$img" | tr -d ' ' |
	{ read -r s; [ "$s" = 0 ] && s=4
	  echo "$s $(od -An -j 0x248 -N 4 -t u4 "$img") $(od -An -j 0x24c -N 4 -t u4 "$img")"; })
start=$(( (ss + 1) * 512 + off ))
dd if="$img" of="$tmp/payload" bs=64k iflag=skip_bytes,count_bytes skip=$start count="$len" status=none

magic=$(od -An -N 4 -t x1 "$tmp/payload" | tr -d ' ')
case $magic in
1f8b*)		gzip -dc < "$tmp/payload" > "$tmp/vmlinux" 2>/dev/null || true ;;
fd377a58)	xz -dc < "$tmp/payload" > "$tmp/vmlinux" 2>/dev/null || true ;;
28b52ffd)	zstd -qdc < "$tmp/payload" > "$tmp/vmlinux" 2>/dev/null || true ;;
02214c18)	lz4 -dc < "$tmp/payload" > "$tmp/vmlinux" 2>/dev/null || true ;;
*)		echo "vmlinux-btf: $img: unknown compression ($magic)" >&2; exit 1 ;;
esac

objcopy -O binary --only-section=.BTF "$tmp/vmlinux" "$tmp/btf" 2>/dev/null || true
# Raw BTF starts with the magic 0xeB9F (little endian: 9f eb).
if [ "$(od -An -N 2 -t x1 "$tmp/btf" 2>/dev/null | tr -d ' ')" != 9feb ]; then
	echo "vmlinux-btf: $img has no .BTF section" >&2
	exit 1
fi
mv "$tmp/btf" "$out"
