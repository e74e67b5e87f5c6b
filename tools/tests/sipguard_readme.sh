#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# README's install without the packages, line by line, in a clone of the
# tree, on the VM's own root (a tmpfs overlay) stripped of what README's
# apt-get line does not name that the build could use: the XDP tier's
# libbpf-dev, clang and bpftool.
#  - every package of README's apt-get line exists and is installed (the
#    line itself then runs as written: nothing to fetch);
#  - `make dkms-install` puts the sources where DKMS wants them and asks
#    DKMS to install them: DKMS here is a stand-in that records the call
#    (its real build, from the same dkms.conf, is sipguard_packages.sh's);
#  - `make install-tools` builds sipguardctl without XDP and says so, the
#    installed tool's `show` says xdp_built_in false and `xdp` fails;
#  - a distribution's flags: CPPFLAGS=-D_FORTIFY_SOURCE=3 with -Werror
#    compiles (no redefinition, the uapi include path kept).
# `make uninstall` then takes it away again.

source "$(dirname "$0")/../../selftests/lib.sh"
require_cmd git make dpkg apt-get
[ "${SGVM:-}" = 1 ] || skip "installs into and removes from the system: runs only in the test VM"
[ -n "${SG_MODULE:-}" ] || skip "needs SG_MODULE (the module built for $(uname -r))"
readme=$SG_TOP/README.md
[ -f "$readme" ] && git -C "$SG_TOP" rev-parse HEAD > /dev/null 2>&1 || skip "not in a sipguard git tree"
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
tmp=$(mktemp -d)
cleanup_readme() {
	[ ! -f "$tmp/src/Makefile" ] || make -s -C "$tmp/src" uninstall > /dev/null 2>&1
	rm -rf "$tmp" /etc/sipguard /etc/modprobe.d/sipguard.conf /etc/default/sipguard-apiban \
		/etc/default/sipguard-crowdsec /usr/src/sipguard-*
	sg_module_unload
}
sg_cleanup_hooks+=(cleanup_readme)

# The code block after "Without the packages": its lines, comments cut.
sed -n '/^Without the packages/,/^```$/{/^```sh$/,/^```$/p}' "$readme" | sed '/^```/d; s/ *#.*//' \
	> "$tmp/lines"
info "README: $(tr '\n' ';' < "$tmp/lines")"
check "README has the from-source lines (apt-get, make dkms-install, make install-tools)" \
	test "$(grep -c -e '^apt-get install ' -e '^make dkms-install$' -e '^make install-tools$' "$tmp/lines")" = 3

# The apt-get line's packages: each one known and installed.
kver=$(uname -r)
pkgs=$(sed -n 's/^apt-get install //p' "$tmp/lines" | sed "s/\$(uname -r)/$kver/g")
missing=$(for p in $pkgs; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' ||
	echo "$p"; done | xargs)
check "every package of README's apt-get line is installed here (missing: ${missing:-none})" test -z "$missing"

# What README does not name goes, after its apt-get line: the XDP tier's
# build dependencies.  For good, in this guest: the test runs last in it.
strip_xdp() {
	dpkg -r --force-depends libbpf-dev clang bpftool > "$tmp/dpkg.log" 2>&1
	check "libbpf-dev, clang and bpftool removed (pkg-config, /usr/bin/clang, bpftool)" \
		eval '! pkg-config --exists libbpf && ! command -v clang && ! command -v bpftool > /dev/null'
}

# DKMS's stand-in: the call make dkms-install makes, written down.
mkdir "$tmp/bin"
printf '#!/bin/sh\necho "$*" >> %s/dkms.calls\n' "$tmp" > "$tmp/bin/dkms"
chmod +x "$tmp/bin/dkms"
# apt-get offline, as the guest is (APT_CONFIG: the line runs as written):
# no package lists, the dependencies from what is installed; reading the
# archive's lists takes minutes under TCG.
mkdir -p "$tmp/lists/partial"
cat > "$tmp/apt.conf" <<APT
Dir::State::Lists "$tmp/lists";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
git clone -q "$SG_TOP" "$tmp/src"
cd "$tmp/src" || exit 1
version=$(tools/version.sh)
while IFS= read -r line; do
	[ -n "$line" ] || continue
	case $line in apt-get*) ;; *) [ -n "${stripped:-}" ] || { strip_xdp; stripped=1; } ;; esac
	t0=$(date +%s)
	PATH=$tmp/bin:$PATH APT_CONFIG=$tmp/apt.conf DEBIAN_FRONTEND=noninteractive bash -c "$line" < /dev/null > "$tmp/out" 2>&1
	rc=$?
	expect_eq "README: '$line' exits 0 ($(($(date +%s) - t0)) s)" 0 $rc || info "$(tail -n 20 "$tmp/out")"
	case $line in
	'make install-tools')
		check "... and says XDP is not built in" grep -q 'built without XDP' "$tmp/out" ;;
	'make dkms-install')
		check "... the sources are in /usr/src/sipguard-$version" \
			test -f "/usr/src/sipguard-$version/dkms.conf" -a -f "/usr/src/sipguard-$version/Kbuild"
		expect_eq "... with their version in dkms.conf" "PACKAGE_VERSION=\"$version\"" \
			"$(grep ^PACKAGE_VERSION= "/usr/src/sipguard-$version/dkms.conf")"
		expect_eq "... and DKMS is asked to install them" "install sipguard/$version" \
			"$(cat "$tmp/dkms.calls" 2>/dev/null)" ;;
	esac
done < "$tmp/lines"

expect_eq "the installed sipguardctl has the tree's version" "sipguardctl $version" \
	"$(/usr/sbin/sipguardctl -V 2>&1)"
sg_module_load || fail "module load"
expect_eq "sipguardctl show: xdp_built_in false" false \
	"$(/usr/sbin/sipguardctl -j show | jq -r .xdp_built_in)"
out=$(/usr/sbin/sipguardctl xdp show 2>&1); rc=$?
check "sipguardctl xdp fails (exit $rc) saying why (${out#sipguardctl: })" grep -q 'built without XDP' <<< "$out"

# A distribution's flags on top of the project's (one object: the uapi
# header, FORTIFY=3 with -Werror).
make -s -B -C tools/sipguardctl CPPFLAGS=-D_FORTIFY_SOURCE=3 CFLAGS='-O2 -g' WERROR=-Werror show.o \
	> "$tmp/out" 2>&1
expect_eq "CPPFLAGS=-D_FORTIFY_SOURCE=3 with -Werror compiles" 0 $? || info "$(head -n 10 "$tmp/out")"

sg_exit
