#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ynl-gen.sh [--check | DIR]: write what tools/ynl/sipguard.yaml generates, with the
# kernel's own ynl-gen-c (tools/ynl/get-ynl.sh unpacks it from Debian's
# linux-source-6.12), into DIR (default: the source tree):
#   DIR/uapi/linux/sipguard_nl.h   the family's constants and enums
# The output is committed, so neither the module's build (Kbuild, DKMS) nor
# sipguardctl's needs the generator; tools/check.sh's ynl stage regenerates
# into a temporary DIR (--check) and fails on any difference.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
generated=(uapi/linux/sipguard_nl.h)

if [ "${1:-}" = --check ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	"$0" "$tmp"
	rc=0
	for f in "${generated[@]}"; do
		diff -u "$top/$f" "$tmp/$f" || rc=1
	done
	if [ $rc != 0 ]; then
		echo "ynl-gen.sh: ${generated[*]} differ from what tools/ynl/sipguard.yaml generates: run make ynl-gen and commit the result" >&2
		exit 1
	fi
	echo "ynl-gen.sh: ${generated[*]} as tools/ynl/sipguard.yaml generates them"
	exit 0
fi

out=${1:-$top}
ynl=$(ls -d "$top"/build/ynl/linux-source-*/tools/net/ynl 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$ynl" ] || ynl=$("$top/tools/ynl/get-ynl.sh")
schema=$ynl/../../../Documentation/netlink/genetlink-legacy.yaml

# ynl-gen-c validates the spec against the schema in the spec's parent
# directory, and names the spec by its path below the directory holding
# MAINTAINERS: stage the spec as tools/ynl/sipguard.yaml of such a tree.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/tools/ynl"
touch "$stage/MAINTAINERS"
cp "$schema" "$stage/tools/"
cp "$top/tools/ynl/sipguard.yaml" "$stage/tools/ynl/"

mkdir -p "$out/uapi/linux"
/usr/bin/python3 "$ynl/ynl-gen-c.py" --mode uapi --header \
	--spec "$stage/tools/ynl/sipguard.yaml" -o "$stage/sipguard_nl.h" >&2
mv "$stage/sipguard_nl.h" "$out/uapi/linux/sipguard_nl.h"
