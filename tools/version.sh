#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# version.sh: sipguard's one version, for modinfo, `sipguardctl -V`,
# dkms.conf and debian/changelog.
#
#   at a tag v0.3.0                   0.3.0
#   N commits after v0.3.0            0.3.0+gN.HASH   (sorts after 0.3.0, before 0.3.1)
#   in git, no v* tag yet             0.3.0~gN.HASH   (N counts all commits; sorts before 0.3.0)
#   no git (a tarball, a package)     the VERSION file as it is
#
# VERSION holds the version of the next or current release; `make deb`
# writes the computed version into the copy it builds from, so the copy
# (which has no .git) says the same.  All forms sort with dpkg
# --compare-versions and are valid DKMS PACKAGE_VERSIONs.
top=$(cd "$(dirname "$0")/.." && pwd)
base=$(cat "$top/VERSION" 2>/dev/null) || { echo "version.sh: no $top/VERSION" >&2; exit 1; }

# Only the project's own repository counts, not one the tarball sits in.
if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
	desc=$(git -C "$top" describe --tags --match 'v[0-9]*' --long --abbrev=12 2>/dev/null)
	if [ -n "$desc" ]; then
		# v0.3.0-5-g0123456789ab
		hash=${desc##*-g}; rest=${desc%-g*}
		n=${rest##*-}; tag=${rest%-*}
		if [ "$n" = 0 ]; then echo "${tag#v}"; else echo "${tag#v}+g$n.$hash"; fi
		exit 0
	fi
	n=$(git -C "$top" rev-list --count HEAD 2>/dev/null)
	hash=$(git -C "$top" rev-parse --short=12 HEAD 2>/dev/null)
	if [ -n "$n" ] && [ -n "$hash" ]; then echo "$base~g$n.$hash"; exit 0; fi
fi
echo "$base"
