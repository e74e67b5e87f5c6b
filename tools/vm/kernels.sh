#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh packages | list [FILTER...]
#
# The kernel matrix: Debian's default kernel (linux-image-amd64, 6.1) and the
# newest 6.12 kernel of bookworm-security, each with headers of the very same
# version.
#   packages  the Debian packages that make up the matrix (for apt-get install)
#   list      the kernel releases of the matrix installed with their headers,
#             oldest first; FILTERs (e.g. "6.1", "6.12", or a full release)
#             keep only the matching ones
set -euo pipefail

# Release strings of the matrix as apt knows them now.
matrix_releases() {
	local dep newest
	dep=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(6\.1\.[^ ]*-amd64\)$/\1/p' | head -n 1)
	# Newest 6.12 release whose image and headers both exist in the lists.
	newest=$( { apt-cache pkgnames linux-image-6.12. 2>/dev/null |
			sed -n 's/^linux-image-\(6\.12\.[0-9]*+deb12-amd64\)$/\1/p' | sort -u
		    apt-cache pkgnames linux-headers-6.12. 2>/dev/null |
			sed -n 's/^linux-headers-\(6\.12\.[0-9]*+deb12-amd64\)$/\1/p' | sort -u
		  } | sort | uniq -d | sort -V | tail -n 1)
	[ -z "$dep" ] || echo "$dep"
	[ -z "$newest" ] || echo "$newest"
}

installed() {
	local r
	for r in /lib/modules/*/; do
		r=$(basename "$r")
		case "$r" in 6.1.*-amd64|6.12.*+deb12-amd64) ;; *) continue ;; esac
		[ -f "/boot/vmlinuz-$r" ] && [ -e "/lib/modules/$r/build/Makefile" ] && echo "$r"
	done | sort -V
}

# "6.1" picks 6.1.x, "6.12" picks 6.12.x; anything else must match a release.
filter() {
	local r f
	while read -r r; do
		[ $# -eq 0 ] && { echo "$r"; continue; }
		for f in "$@"; do
			case "$r" in "$f"|"$f".*|"$f"-*) echo "$r"; break ;; esac
		done
	done
}

case "${1:-list}" in
packages)
	matrix_releases | while read -r r; do
		echo "linux-image-$r linux-headers-$r"
	done
	;;
list)
	shift || true
	# Of each series keep the newest installed one: an old 6.12 left behind
	# by an upgrade is not part of the matrix.
	installed | awk -F. '{ s = $1 "." $2 } { last[s] = $0 } END { for (s in last) print last[s] }' |
		sort -V | filter "$@"
	;;
*)
	echo "usage: kernels.sh packages | list [FILTER...]" >&2
	exit 2
	;;
esac
