#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# module-btf.sh RELEASE MODULE.ko: give MODULE.ko the split BTF that
# Kbuild's modfinal step would have added had the headers shipped a vmlinux
# ("Skipping BTF generation ... unavailability of vmlinux"), and resolve its
# .BTF_ids, so the module can register its XDP kfuncs.  The same two
# commands as scripts/Makefile.modfinal, with the base BTF taken from the
# kernel image (vmlinux-btf.sh).
#
# Never fatal: without pahole, resolve_btfids or the kernel's BTF the module
# stays as built and loads without kfuncs (it says so in the kernel log).
set -uo pipefail

rel=${1:?usage: module-btf.sh RELEASE MODULE.ko}
ko=${2:?usage: module-btf.sh RELEASE MODULE.ko}
here=$(cd "$(dirname "$0")" && pwd)

skip() { echo "  BTF     $ko: skipped, $*; XDP kfuncs unavailable" >&2; exit 0; }

# Kbuild made it already where the headers ship a vmlinux (Debian's 6.12):
# pahole and resolve_btfids again would take as long for the same result.
if readelf -S -W "$ko" 2>/dev/null | grep -q ' \.BTF '; then
	echo "  BTF     $ko (made by Kbuild)"
	exit 0
fi
command -v pahole > /dev/null || skip "no pahole (dwarves)"
# The 6.1 kbuild package has no resolve_btfids; the tool only patches the
# ELF .BTF_ids section from BTF, the same format on every kernel since 5.x.
rb=
for c in "/usr/src/linux-headers-$rel/tools/bpf/resolve_btfids/resolve_btfids" \
	 "/lib/modules/$rel/build/tools/bpf/resolve_btfids/resolve_btfids" \
	 $(ls -d /usr/lib/linux-kbuild-*/tools/bpf/resolve_btfids/resolve_btfids 2>/dev/null | sort -rV); do
	[ -x "$c" ] && { rb=$c; break; }
done
[ -n "$rb" ] || skip "no resolve_btfids"

base=$(mktemp)
trap 'rm -f "$base"' EXIT
"$here/vmlinux-btf.sh" "$rel" "$base" || skip "no BTF for kernel $rel"

flags="--btf_gen_floats -j"
pahole --help 2>&1 | grep -q lang_exclude && flags="$flags --lang_exclude=rust"
# shellcheck disable=SC2086
LLVM_OBJCOPY=objcopy pahole -J $flags --btf_base "$base" "$ko" || skip "pahole failed"
if ! "$rb" -b "$base" "$ko"; then
	# BTF with unresolved kfunc ids must not reach the kernel.
	objcopy --remove-section=.BTF "$ko"
	skip "resolve_btfids failed"
fi
echo "  BTF     $ko (base: kernel $rel)"
