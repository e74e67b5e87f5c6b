#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kselftest.sh [OUT]: install the selftests the way a kernel developer's
# kselftest run does, with the runner of Debian's linux-source-6.1:
# selftests/ is copied to tools/testing/selftests/sipguard of that tree,
# built and installed by kselftest's own lib.mk, and the install carries
# run_kselftest.sh, its kselftest/ runner and kselftest-list.txt.  In the
# guest: OUT/run_kselftest.sh (SG_TOP, SG_MODULE set by tools/vm/run.sh).
# Default OUT: build/kselftest/install.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tar=/usr/src/linux-source-6.1.tar.xz
src=$top/build/kselftest/src
out=${1:-$top/build/kselftest/install}
ks=$src/tools/testing/selftests

[ -f "$tar" ] || { echo "kselftest.sh: $tar missing (make deps)" >&2; exit 1; }
# The runner and lib.mk only, once: the tarball is large.
if [ ! -f "$ks/run_kselftest.sh" ] || [ "$tar" -nt "$ks/run_kselftest.sh" ]; then
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$tar" -C "$src" --strip-components=1 --wildcards \
		'linux-source-6.1/tools/testing/selftests/lib.mk' \
		'linux-source-6.1/tools/testing/selftests/run_kselftest.sh' \
		'linux-source-6.1/tools/testing/selftests/kselftest/*' \
		'linux-source-6.1/tools/testing/selftests/kselftest*.h'
fi

rm -rf "$ks/sipguard" "$out"
cp -a "$top/selftests" "$ks/sipguard"
# What `make -C tools/testing/selftests TARGETS=sipguard install` does,
# without the top-level Makefile's kernel-header step (a tarball has no
# configured tree): build and install the target, then the runner.
mkdir -p "$out/sipguard"
make -s -C "$ks/sipguard" SG_UAPI="$top/uapi" OUTPUT="$out/sipguard" all
make -s -C "$ks/sipguard" SG_UAPI="$top/uapi" OUTPUT="$out/sipguard" \
	INSTALL_PATH="$out/sipguard" install
cp -a "$ks/run_kselftest.sh" "$ks/kselftest" "$out/"
make -s --no-print-directory -C "$ks/sipguard" COLLECTION=sipguard OUTPUT="$out/sipguard" \
	emit_tests > "$out/kselftest-list.txt"
echo "kselftest.sh: $(wc -l < "$out/kselftest-list.txt") tests installed in $out"
