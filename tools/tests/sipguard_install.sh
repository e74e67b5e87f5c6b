#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installing sipguard the way an operator does, on the VM's own root (a
# tmpfs overlay: nothing reaches the host):
#  - `make install DESTDIR=...` stages every file and runs nothing;
#  - `make install` puts the module under /lib/modules/KVER/updates (depmod
#    finds it), sipguardctl, both man pages, the completion, the unit, the
#    modprobe.d example and an /etc/sipguard/sipguard.conf template;
#  - a modprobe.d option becomes the module's default;
#  - the unit's ExecStartPre/ExecStart load the module and apply
#    /etc/sipguard/sipguard.conf, ExecReload applies an edited one;
#    `systemd-analyze verify` accepts the units;
#  - sipguard-prometheus.service writes node_exporter's textfile whole;
#  - `make uninstall` removes it all but /etc.

source "$(dirname "$0")/../../selftests/lib.sh"
require_cmd make depmod modprobe modinfo
kver=$(uname -r)
kdir=/lib/modules/$kver/build
[ -e "$kdir/Makefile" ] || skip "no kernel headers for $kver"
[ -n "${SG_MODULE:-}" ] || skip "needs SG_MODULE (the module built for $kver)"
[ -f "$SG_TOP/Makefile" ] && grep -q '^install-tools:' "$SG_TOP/Makefile" || skip "not in a sipguard tree"
[ "${SGVM:-}" = 1 ] || skip "installs into the system: runs only in the test VM"
cd "$SG_TOP" || exit 1
# The test VM's devtmpfs has no /dev/fd, which bash and dkms use.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
tmp=$(mktemp -d)
sg_cleanup_hooks+=(cleanup_install)
# What make uninstall leaves (/etc) goes too: the next test finds the guest
# as this one did (sipguard_packages.sh wants no sipguard file there).
cleanup_install() {
	rm -rf "$tmp" /etc/sipguard /etc/modprobe.d/sipguard.conf /etc/default/sipguard-apiban \
		/etc/default/sipguard-crowdsec
	sg_module_unload
}
mk() { make -s KDIR="$kdir" MODULE_KO="$SG_MODULE" "$@"; }
sg_module_unload

files="/lib/modules/$kver/updates/sipguard.ko /usr/sbin/sipguardctl
	/usr/share/man/man8/sipguardctl.8 /usr/share/man/man4/sipguard.4
	/usr/share/bash-completion/completions/sipguardctl /lib/systemd/system/sipguard.service
	/lib/systemd/system/sipguard-refresh.service /lib/systemd/system/sipguard-refresh.timer
	/usr/sbin/sipguard-apiban /usr/sbin/sipguard-crowdsec
	/lib/systemd/system/sipguard-apiban.service /lib/systemd/system/sipguard-apiban.timer
	/lib/systemd/system/sipguard-crowdsec.service /lib/systemd/system/sipguard-crowdsec.timer
	/lib/systemd/system/sipguard-prometheus.service /lib/systemd/system/sipguard-prometheus.timer
	/usr/share/man/man8/sipguard-apiban.8 /usr/share/man/man8/sipguard-crowdsec.8
	/etc/modprobe.d/sipguard.conf /etc/sipguard/sipguard.conf
	/etc/default/sipguard-apiban /etc/default/sipguard-crowdsec"

mk install DESTDIR="$tmp/stage" UNITDIR=/lib/systemd/system > "$tmp/log" 2>&1
expect_eq "make install DESTDIR= exits 0" 0 $?
missing=0
for f in $files; do [ -f "$tmp/stage$f" ] || { info "not staged: $f"; missing=1; }; done
expect_eq "every file is staged under DESTDIR" 0 $missing
check "... and depmod left the real tree alone" test ! -e "/lib/modules/$kver/updates/sipguard.ko"

mk install UNITDIR=/lib/systemd/system > "$tmp/log" 2>&1
expect_eq "make install exits 0" 0 $?
missing=0
for f in $files; do [ -f "$f" ] || { info "not installed: $f"; missing=1; }; done
expect_eq "every file is installed" 0 $missing
expect_eq "depmod finds the installed module" "/lib/modules/$kver/updates/sipguard.ko" \
	"$(modinfo -n sipguard 2>&1)"
check "man finds sipguardctl(8)" man -w sipguardctl
check "man finds sipguard(4)" man -w 4 sipguard
expect_eq "the feeds' settings are root's alone (they hold API keys)" "600 600" \
	"$(stat -c %a /etc/default/sipguard-apiban /etc/default/sipguard-crowdsec | xargs)"
out=$(bash -c 'source /usr/share/bash-completion/completions/sipguardctl; complete -p sipguardctl' 2>&1)
check "the completion registers itself ($out)" grep -q _sipguardctl <<< "$out"
check "sipguardctl --help works from PATH" eval "/usr/sbin/sipguardctl --help >/dev/null"

unit=/lib/systemd/system/sipguard.service
if command -v systemd-analyze >/dev/null; then
	for u in "$unit" /lib/systemd/system/sipguard-refresh.service /lib/systemd/system/sipguard-refresh.timer \
		 /lib/systemd/system/sipguard-{apiban,crowdsec,prometheus}.{service,timer}; do
		out=$(systemd-analyze verify "$u" 2>&1)
		if [ -z "$out" ]; then pass "systemd-analyze verify $(basename "$u"): clean"
		else fail "systemd-analyze verify $(basename "$u"): $out"; fi
	done
fi

# The boot: modprobe.d option, the operator's file, the unit's commands.
echo "options sipguard ports=5060,5080" > /etc/modprobe.d/sipguard.conf
cat > /etc/sipguard/sipguard.conf <<'CONF'
# the gateway
mode enforce
guard wan0
allow 198.51.100.10
allow 192.168.1.0/24
CONF
run_unit() {
	local key=$1 line
	while IFS= read -r line; do
		line=${line#[-@+!]}
		info "$key: $line"
		$line || return 1
	done <<< "$(sed -n "s/^$key=//p" "$unit")"
}
check "ExecStartPre and ExecStart succeed" eval 'run_unit ExecStartPre && run_unit ExecStart'
check "the unit loaded the module" grep -q '^sipguard ' /proc/modules
expect_eq "the unit applied modprobe.d and sipguard.conf" \
	"$(printf 'mode enforce\npolicy strict\nports 5060,5080\ntls-ports 5061\nguard wan0\nallow 198.51.100.10/32\nallow 192.168.1.0/24')" \
	"$(sipguardctl showconf | grep -v '^\(learn\|learn-max\|rate\|burst\|ban\|ban-max\|failures\|failure-window\|budget\|prefix4\|prefix6\|table-max\|untrusted-invite\|signatures\) ')"
sed -i 's|^allow 192.168.1.0/24|allow 192.168.2.0/24 port 5060|' /etc/sipguard/sipguard.conf
check "ExecReload succeeds" run_unit ExecReload
expect_eq "ExecReload applied the edited file" \
	"$(printf 'allow 198.51.100.10/32\nallow 192.168.2.0/24 port 5060')" "$(sipguardctl showconf | grep ^allow)"
echo "bogus line" >> /etc/sipguard/sipguard.conf
out=$(run_unit ExecReload 2>&1)
check "ExecReload of a broken file fails and names the line (${out##*sipguardctl: })" \
	grep -q "sipguard.conf:6: unknown key 'bogus'" <<< "$out"
expect_eq "... and changes nothing" 2 "$(sipguardctl showconf | grep -c ^allow)"
check "sipguard-refresh.service's ExecStart succeeds (no names: nothing to do)" eval \
	'unit=/lib/systemd/system/sipguard-refresh.service run_unit ExecStart'
# node_exporter's textfile directory, as Debian's prometheus-node-exporter has it.
prom=/var/lib/prometheus/node-exporter
mkdir -p "$prom"
check "sipguard-prometheus.service's ExecStart writes $prom/sipguard.prom" eval \
	'unit=/lib/systemd/system/sipguard-prometheus.service run_unit ExecStart'
check "... a whole file" grep -q '^sipguard_info{' "$prom/sipguard.prom"
expect_eq "... readable by node_exporter (0644), no temporary file left" "sipguard.prom 644" \
	"$(cd "$prom" && stat -c '%n %a' sipguard.prom*)"
sg_module_unload

mk uninstall UNITDIR=/lib/systemd/system > "$tmp/log" 2>&1
expect_eq "make uninstall exits 0" 0 $?
left=0
for f in $files; do case $f in /etc/*) ;; *) [ ! -e "$f" ] || { info "left: $f"; left=1; } ;; esac; done
expect_eq "make uninstall removed everything but /etc" 0 $left
check "modprobe no longer finds sipguard" test -z "$(modinfo -n sipguard 2>/dev/null)"

sg_exit
