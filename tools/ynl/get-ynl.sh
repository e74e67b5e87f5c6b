#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# get-ynl.sh: unpack the kernel's YNL tools (tools/net/ynl) and netlink
# schemas (Documentation/netlink) from Debian's linux-source-6.12 package
# into build/ynl, where the selftests find them.  Install the package first:
#   apt-get install --no-install-recommends linux-source-6.12
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
src=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$src" ] || { echo "get-ynl.sh: no /usr/src/linux-source-*.tar.xz (apt-get install linux-source-6.12)" >&2; exit 1; }
dir=$(basename "$src" .tar.xz)
mkdir -p "$top/build/ynl"
tar -C "$top/build/ynl" -xaf "$src" "$dir/tools/net/ynl" "$dir/Documentation/netlink"
echo "$top/build/ynl/$dir/tools/net/ynl"
