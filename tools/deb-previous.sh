#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb-previous.sh: the packages of the release before this tree, which the
# packages' test (tools/tests/sipguard_packages.sh) upgrades from.
#
# The previous release is the newest v* tag behind HEAD (at a tag itself,
# the tag before it).  Its packages are built once, by that release's own
# tools/deb.sh in a `git archive` of the tag (no .git: its VERSION file is
# the tag's version), and kept in build/deb-previous/TAG/ across `make
# deb`s.  build/deb/previous then points there; without a tag (a clone
# made without tags, a tarball) or when the old build fails, the file
# build/deb/previous.none says why instead, and the test falls back to
# repacking this build under a lower version.  Never fatal: the packages
# of this tree are `make deb`'s result, not these.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
cache=$top/build/deb-previous

say() { echo "deb-previous: $*" >&2; }
none() {
	say "$*"
	rm -rf "$out/previous"
	mkdir -p "$out"
	echo "$*" > "$out/previous.none"
	exit 0
}

[ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ] || none "not a git tree: no tags"
# HEAD's own tag is this build, not the previous one.
rev=HEAD
git -C "$top" describe --tags --exact-match --match 'v[0-9]*' HEAD > /dev/null 2>&1 && rev=HEAD^
tag=$(git -C "$top" describe --tags --abbrev=0 --match 'v[0-9]*' "$rev" 2>/dev/null) ||
	none "no v* tag behind HEAD (a clone without tags? git fetch --tags)"

dir=$cache/$tag
if ! ls "$dir"/sipguard-dkms_*.deb "$dir"/sipguardctl_*.deb "$dir"/sipguard-feeds_*.deb > /dev/null 2>&1; then
	say "building the packages of $tag (once, kept in $dir)"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	git -C "$top" archive --prefix=src/ "$tag" | tar -C "$tmp" -xf - ||
		none "git archive $tag failed"
	# Its lintian verdict is that release's; the debs are what matters here.
	(cd "$tmp/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		tools/deb.sh) > "$tmp/deb.log" 2>&1
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$tmp"/src/build/deb/*.deb "$dir"/ 2>/dev/null
	cp "$tmp/deb.log" "$dir/build.log"
	ls "$dir"/sipguard-dkms_*.deb "$dir"/sipguardctl_*.deb "$dir"/sipguard-feeds_*.deb > /dev/null 2>&1 ||
		none "the packages of $tag did not build (see $dir/build.log)"
fi
rm -f "$out/previous.none"
ln -sfn "../deb-previous/$tag" "$out/previous"
say "$tag: $(cd "$dir" && echo ./*.deb)"
