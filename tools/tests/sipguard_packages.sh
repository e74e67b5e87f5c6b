#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages of `make deb` (build/deb), installed the way README
# says on the VM's own root (the host's root under a tmpfs overlay: its
# kernel headers, DKMS and dpkg database, none of sipguard's files):
#  - apt-get install ./...deb: sipguard-dkms's postinst has DKMS build the
#    module for the running kernel, with its BTF, and modprobe loads it;
#  - sipguard.service's ExecStartPre/ExecStart (the guest has no systemd as
#    PID 1: the unit's own command lines, run in the gateway's namespace)
#    load the module and apply the shipped /etc/sipguard/sipguard.conf;
#  - the operator's edit of it survives an upgrade from the previous
#    release's sipguardctl and sipguard-feeds (build/deb/previous, which
#    `make deb` builds once per tag: tools/deb-previous.sh; without a tag,
#    this build repacked as VERSION~prev, and the test says so), and with
#    it applied a scanner's INVITE is dropped while the registrar's call
#    rings; with SG_DKMS_ALL_KERNELS=1, sipguard-dkms is upgraded from the
#    previous release too (a second DKMS build);
#  - the feeds' settings are root's alone, and a feed without its key fails;
#  - apt-get purge leaves nothing in /lib/modules, /var/lib/dkms, /usr/src,
#    /etc or /var/lib/sipguard.
# DKMS compiles the module in the guest (minutes under TCG), on the kernels
# of SG_DKMS_KERNELS (all of them when unset); on the others the test
# installs sipguardctl and sipguard-feeds alone, beside the module built for
# the matrix ($SG_MODULE).  DKMS builds for the running kernel only: the
# other kernels' headers are hidden from it, else its postinst builds for
# the newest installed kernel too.  SG_DKMS_ALL_KERNELS=1 (`make
# check-packages`) leaves them and sets DKMS's autoinstall_all_kernels: a
# build for every kernel with headers, each one checked.

source "$(dirname "$0")/../../selftests/lib.sh"
require_cmd apt-get dpkg dpkg-deb modprobe modinfo sipp svmap nft
kver=$(uname -r)
debs=$SG_TOP/build/deb
[ "${SGVM:-}" = 1 ] || skip "installs into the system: runs only in the test VM"
ls "$debs"/sipguardctl_*.deb > /dev/null 2>&1 || skip "no packages in $debs: make deb"
dkms=1
if [ -n "${SG_DKMS_KERNELS:-}" ] && ! grep -qwF -- "$kver" <<< "$SG_DKMS_KERNELS"; then
	dkms=0
	[ -n "${SG_MODULE:-}" ] || skip "no DKMS on $kver in this run and no SG_MODULE"
	info "DKMS is exercised on $SG_DKMS_KERNELS in this run: the module here is $SG_MODULE"
fi
[ $dkms = 0 ] || [ -e "/lib/modules/$kver/build/Makefile" ] || skip "no kernel headers for $kver"
# The test VM's devtmpfs has no /dev/fd, which bash and dkms use.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
# man-db's trigger reindexes every page: minutes under TCG, nothing to test.
rm -f /var/lib/man-db/auto-update

# Which kernels DKMS builds for.
hidden=()
if [ $dkms = 1 ] && [ "${SG_DKMS_ALL_KERNELS:-0}" = 1 ]; then
	echo 'autoinstall_all_kernels="yes"' >> /etc/dkms/framework.conf
	dkms_kernels=$(for d in /lib/modules/*/build/Makefile; do d=${d%/build/Makefile}; echo "${d##*/}"; done |
		grep -E '^(6\.([1-9]|[1-9][0-9]+)|[7-9]|[1-9][0-9]+)\.' | xargs)
else
	for d in /lib/modules/*/build; do
		[ "$d" = "/lib/modules/$kver/build" ] || [ ! -e "$d" ] || { mv "$d" "$d.sg-hidden"; hidden+=("$d"); }
	done
	dkms_kernels=$kver
	[ ${#hidden[@]} = 0 ] || info "DKMS builds for $kver only: hidden from it ${hidden[*]}"
fi
restore_headers() { local d; for d in ${hidden[@]+"${hidden[@]}"}; do mv "$d.sg-hidden" "$d"; done; }

version=$(dpkg-deb -f "$(ls "$debs"/sipguardctl_*.deb | head -n 1)" Version)
ctl=/usr/sbin/sipguardctl
tmp=$(mktemp -d)
# apt-get as an operator runs it, but offline, as the guest is: with no
# package lists it resolves the dependencies from what is installed, not
# from the archive's lists (reading those takes minutes under TCG).
mkdir -p "$tmp/lists/partial"
apt() {
	DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0 \
		-o Dir::State::Lists="$tmp/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" > "$tmp/apt.log" 2>&1
}
cleanup_packages() {
	sg_module_unload
	apt purge sipguard-dkms sipguardctl sipguard-feeds
	rm -rf "$tmp"
	restore_headers
}
sg_cleanup_hooks+=(cleanup_packages)
sg_module_unload

# --- a clean guest --------------------------------------------------------------
out=$(dpkg-query -W -f='${Package} ${Status}\n' 'sipguard*' 2>/dev/null | grep ' installed$')
check "clean guest: no sipguard package installed (${out:-none})" test -z "$out"
out=$(ls -d /usr/sbin/sipguardctl /usr/src/sipguard-* /var/lib/dkms/sipguard /etc/sipguard \
	/lib/modules/*/updates/dkms/sipguard.ko* 2>/dev/null | xargs)
check "clean guest: none of sipguard's files (${out:-none})" test -z "$out"

# The previous build, which this one upgrades: the previous release's
# packages, else these repacked as version VERSION~prev (dpkg sorts it
# first).
deb() { ls "$1/$2"_*.deb 2>/dev/null | head -n 1; }
prev=$debs/previous
if [ -n "$(deb "$prev" sipguardctl)" ] && [ -n "$(deb "$prev" sipguard-feeds)" ] &&
   [ -n "$(deb "$prev" sipguard-dkms)" ]; then
	prev_version=$(dpkg-deb -f "$(deb "$prev" sipguardctl)" Version)
	check "the previous build is the previous release's ($prev_version, $(readlink "$prev")), older than $version" \
		dpkg --compare-versions "$prev_version" lt "$version"
	prev_ctl=$(deb "$prev" sipguardctl) prev_feeds=$(deb "$prev" sipguard-feeds) prev_dkms=$(deb "$prev" sipguard-dkms)
	prev_says=$prev_version
else
	why=$(cat "$debs/previous.none" 2>/dev/null || echo "no $prev: make deb")
	sg_nchecks=$((sg_nchecks + 1))
	echo "ok $sg_nchecks the previous build is the previous release's # SKIP $why: this build repacked as $version~prev instead"
	prev_version=$version~prev
	# (Not sipguard-dkms: its sources and maintainer scripts name the version.)
	for p in sipguardctl sipguard-feeds; do
		dpkg-deb -R "$(deb "$debs" $p)" "$tmp/$p"
		sed -i "s/^Version: .*/Version: $prev_version/" "$tmp/$p/DEBIAN/control"
		dpkg-deb -b -Zgzip "$tmp/$p" "$tmp/${p}_prev.deb" > /dev/null
	done
	prev_ctl=$tmp/sipguardctl_prev.deb prev_feeds=$tmp/sipguard-feeds_prev.deb prev_dkms=
	# Repacking renames the package, not the binary inside it.
	prev_says=$version
fi
# A second DKMS build (the previous release's module, then this one's) is
# for `make check-packages`; make check upgrades the tool and the feeds.
dkms_upgrade=0
[ $dkms = 0 ] || [ "${SG_DKMS_ALL_KERNELS:-0}" != 1 ] || [ -z "$prev_dkms" ] || dkms_upgrade=1

# dkms_check VERSION: DKMS built and installed VERSION for every kernel of
# dkms_kernels, and nothing else.
dkms_check() {
	local v=$1 k out
	out=$(dkms status sipguard 2>&1)
	for k in $dkms_kernels; do
		check "dkms status: sipguard/$v built and installed for $k" \
			grep -q "sipguard/$v, $k, .*: installed" <<< "$out" ||
			info "$out$(tail -n 30 "$tmp/apt.log"; tail -n 30 /var/lib/dkms/sipguard/"$v"/build/make.log 2>/dev/null)"
	done
	expect_eq "... and for no other kernel or version" "$(wc -w <<< "$dkms_kernels")" "$(grep -c ': installed' <<< "$out")"
}

# --- install: DKMS builds the module --------------------------------------------
pkgs=("$prev_ctl" "$prev_feeds")
if [ $dkms_upgrade = 1 ]; then
	pkgs+=("$prev_dkms")
elif [ $dkms = 1 ]; then
	pkgs+=("$(deb "$debs" sipguard-dkms)")
fi
t0=$(date +%s)
apt install "${pkgs[@]}"; rc=$?
expect_eq "apt-get install ./...deb exits 0 ($(($(date +%s) - t0)) s, DKMS for $dkms_kernels)" 0 $rc
[ $rc = 0 ] || { info "$(tail -n 30 "$tmp/apt.log")"; sg_exit; }
expect_eq "dpkg: sipguardctl $prev_version is installed" "$prev_version" \
	"$(dpkg-query -W -f '${Version}' sipguardctl 2>&1)"
expect_eq "sipguardctl -V is the previous build's" "sipguardctl $prev_says" "$($ctl -V 2>&1)"
if [ $dkms_upgrade = 1 ]; then
	dkms_check "$prev_version"
	sg_module_unload
	t0=$(date +%s)
	apt install "$(deb "$debs" sipguard-dkms)"; rc=$?
	expect_eq "apt-get install of this build's sipguard-dkms over $prev_version exits 0 ($(($(date +%s) - t0)) s)" 0 $rc
fi
if [ $dkms = 1 ]; then
	dkms_check "$version"
	path=$(modinfo -n sipguard 2>&1)
	check "modprobe finds DKMS's build ($path)" grep -q "^/lib/modules/$kver/updates/dkms/sipguard.ko" <<< "$path"
	expect_eq "modinfo: the module's version is the packages'" "$version" "$(modinfo -F version sipguard 2>&1)"
else
	# The matrix's build stands in for DKMS's where modprobe looks.
	mkdir -p "/lib/modules/$kver/updates/dkms"
	cp "$SG_MODULE" "/lib/modules/$kver/updates/dkms/sipguard.ko" && depmod -a "$kver"
fi

# --- sipguard.service with the shipped configuration ----------------------------
sg_gateway_topology || { fail "topology"; sg_exit; }
sg_cleanup_hooks+=(sg_phone_stop)
unit=/lib/systemd/system/sipguard.service
# KEY of the installed unit, each command line, in the gateway's namespace.
run_unit() {
	local key=$1 line
	while IFS= read -r line; do
		line=${line#[-@+!]}
		info "$key: $line"
		# shellcheck disable=SC2086
		ip netns exec "$gw" $line || return 1
	done <<< "$(sed -n "s/^$key=//p" "${2:-$unit}")"
}
check "sipguard.service: ExecStartPre and ExecStart succeed" eval 'run_unit ExecStartPre && run_unit ExecStart'
check "... the module is loaded" grep -q '^sipguard ' /proc/modules
[ $dkms = 0 ] || check "... with its BTF (dkms.conf's MAKE: the XDP tier's kfunc)" test -e /sys/kernel/btf/sipguard
expect_eq "... and the loaded module is this build's version" "$version" \
	"$(ip netns exec "$gw" $ctl show | sed -n 's/^version: //p')"
expect_eq "the shipped sipguard.conf is applied (every line a comment: the defaults)" \
	"mode monitor" "$(ip netns exec "$gw" $ctl showconf | grep '^mode ')"
conf=$(sed -n 's/^ExecStart=.* setconf //p' "$unit")
expect_eq "the unit applies the packaged conffile" /etc/sipguard/sipguard.conf "$conf"
check "it is a conffile of sipguardctl" grep -qx "$conf" /var/lib/dpkg/info/sipguardctl.conffiles

# The operator's configuration: enforce, the registrar and the LAN trusted.
cat >> "$conf" <<CONF
mode enforce
guard wan0
allow $SG_REGISTRAR4
allow 192.0.2.128/25
CONF
cp "$conf" "$tmp/edited"

# --- upgrade from the previous build --------------------------------------------
t0=$(date +%s)
apt install "$(deb "$debs" sipguardctl)" "$(deb "$debs" sipguard-feeds)"
rc=$?
expect_eq "apt-get install of this build over $prev_version exits 0 ($(($(date +%s) - t0)) s)" 0 $rc
[ $rc = 0 ] || info "$(tail -n 20 "$tmp/apt.log")"
expect_eq "sipguardctl is upgraded" "$version" "$(dpkg-query -W -f='${Version}' sipguardctl)"
check "the operator's sipguard.conf is kept" cmp -s "$tmp/edited" "$conf"
out=$(ls /etc/sipguard/ 2>&1 | xargs)
expect_eq "... with no .dpkg-new/.dpkg-dist beside it" "sipguard.conf sipguard.conf.d" "$out"
check "sipguard.service: ExecReload succeeds" run_unit ExecReload
expect_eq "... the edited file is in force" "mode enforce" "$(ip netns exec "$gw" $ctl showconf | grep '^mode ')"

# --- a scanner's INVITE dropped while the registrar's call rings -----------------
sg_phone_start
ip netns exec "$gw" $ctl stats reset > /dev/null
nft_reset "$phone" phone
ip netns exec "$attacker" svmap -q -m INVITE "$SG_PHONE4" > /dev/null 2>&1 &
scanner=$!
calls=0
sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 3 "$tmp/sipp.log" && calls=3
wait $scanner
expect_eq "the registrar's 3 calls ring and complete during the scan" 3 $calls
expect_eq "the phone saw exactly those 3 INVITEs" 3 "$(nft_count "$phone" phone invites)"
expect_eq "no INVITE of the scanner reached it" 0 "$(nft_count "$phone" phone attacker_invites)"
check "sipguard counted the scanner's drops ($(sg_stat "$gw" drop_untrusted))" \
	test "$(sg_stat "$gw" drop_untrusted)" -ge 1
sg_phone_stop

# --- the feeds ---------------------------------------------------------------------
for f in /etc/default/sipguard-apiban /etc/default/sipguard-crowdsec; do
	expect_eq "$f is root's alone, a conffile" "600 root yes" \
		"$(stat -c '%a %U' "$f") $(grep -qx "$f" /var/lib/dpkg/info/sipguard-feeds.conffiles && echo yes)"
done
out=$(run_unit ExecStart /lib/systemd/system/sipguard-apiban.service 2>&1); rc=$?
check "sipguard-apiban.service without a key fails (exit $rc) and says why (${out##*sipguard-apiban: })" \
	grep -q 'APIBAN_KEY is not set' <<< "$out"
check "man finds the feeds' pages" eval 'man -w sipguard-apiban sipguard-crowdsec > /dev/null'

# --- purge --------------------------------------------------------------------------
sg_module_unload
[ $dkms = 1 ] || { rm -f "/lib/modules/$kver/updates/dkms/sipguard.ko"; depmod -a "$kver"; }
t0=$(date +%s)
apt purge sipguard-dkms sipguardctl sipguard-feeds; rc=$?
expect_eq "apt-get purge exits 0 ($(($(date +%s) - t0)) s)" 0 $rc
out=$(ls -d /lib/modules/*/updates/dkms/sipguard.ko* /var/lib/dkms/sipguard /usr/src/sipguard-* \
	/var/lib/sipguard /usr/sbin/sipguard* 2>/dev/null; find /etc -name '*sipguard*' 2>/dev/null)
check "nothing is left in /lib/modules, /var/lib/dkms, /usr/src, /etc, /var/lib ($(echo $out))" test -z "$out"
check "modprobe no longer finds sipguard" test -z "$(modinfo -n sipguard 2>/dev/null)"
out=$(dpkg-query -W -f='${Package} ${Status}\n' 'sipguard*' 2>/dev/null | grep -v 'not-installed$')
check "dpkg knows no sipguard package (${out:-none})" test -z "$out"

sg_exit
