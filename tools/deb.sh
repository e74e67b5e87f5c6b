#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh (`make deb`): the Debian packages sipguard-dkms, sipguardctl and
# sipguard-feeds in build/deb/, and lintian's verdict on them.
#
# The tree's files (git's, with uncommitted changes; all of it without git)
# are copied to build/deb/sipguard-VERSION, whose VERSION file and
# debian/changelog get tools/version.sh's version, and dpkg-buildpackage
# -us -uc -b runs there: the tree itself stays clean.  What the build needs
# (debhelper, dh-dkms, lintian, the Build-Depends) is installed with
# apt-get when missing, as tools/setup.sh does.  build/deb/previous: the
# packages of the release before this one (tools/deb-previous.sh).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
version=$("$top/tools/version.sh")
src=$out/sipguard-$version

say() { echo "deb: $*" >&2; }

# The build's own tools, then the Build-Depends dpkg-checkbuilddeps names.
need=()
for p in dpkg-dev debhelper dh-dkms lintian fakeroot; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' || need+=("$p")
done
if [ ${#need[@]} = 0 ]; then
	miss=$(cd "$top" && dpkg-checkbuilddeps 2>&1 | sed -n 's/.*Unmet build dependencies: //p' |
		sed 's/([^)]*)//g; s/|[^ ]*//g') || true
	read -r -a need <<< "$miss"
else
	need+=(bpftool clang libbpf-dev libmnl-dev pkgconf)
fi
if [ ${#need[@]} != 0 ]; then
	[ "$(id -u)" = 0 ] || { say "missing: ${need[*]} (apt-get install ${need[*]}, as root)"; exit 1; }
	say "apt-get install ${need[*]}"
	mkdir -p "$top/build"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" \
		>> "$top/build/apt.log" 2>&1 || { say "apt-get install failed, see build/apt.log"; exit 1; }
fi

rm -rf "$out"
mkdir -p "$src"
if git -C "$top" rev-parse --show-toplevel > /dev/null 2>&1; then
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		cpio -0pdm --quiet "$src")
else
	(cd "$top" && tar --exclude=./build -cf - .) | tar -C "$src" -xf -
fi
echo "$version" > "$src/VERSION"
sed -i "1s/^sipguard ([^)]*)/sipguard ($version)/" "$src/debian/changelog"

say "dpkg-buildpackage $version"
# Not the flags of a make that ran this one (make -s deb, KERNELS=...).
(cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
	dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1 ||
	{ tail -n 40 "$out/build.log" >&2; say "dpkg-buildpackage failed, see $out/build.log"; exit 1; }
ls "$out"/*.deb
# The previous release's packages, which the packages' test upgrades from.
"$top/tools/deb-previous.sh"

# lintian as the archive runs it (as root it says "not recommended", nothing more).
lintian --fail-on error,warning \
	"$out"/sipguard_"${version}"_*.changes
