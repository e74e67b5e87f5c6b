#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make dkms-install` on the VM's own root (a tmpfs overlay): the sources
# land in /usr/src/sipguard-VERSION, DKMS builds and installs the module for
# the running kernel from its headers, modprobe loads that build, and the
# module reports the version DKMS built; dkms.conf accepts the kernel.

source "$(dirname "$0")/../../selftests/lib.sh"
require_cmd dkms make modprobe modinfo
kver=$(uname -r)
[ -e "/lib/modules/$kver/build/Makefile" ] || skip "no kernel headers for $kver"
[ -f "$SG_TOP/dkms.conf" ] || skip "not in a sipguard tree"
[ "${SGVM:-}" = 1 ] || skip "installs into the system: runs only in the test VM"
# make check builds DKMS on one kernel of the matrix: compiling the module
# inside a TCG guest takes ~10 minutes per kernel.
if [ -n "${SG_DKMS_KERNELS:-}" ] && ! grep -qwF -- "$kver" <<< "$SG_DKMS_KERNELS"; then
	skip "DKMS is exercised on $SG_DKMS_KERNELS in this run"
fi
cd "$SG_TOP" || exit 1
# The test VM's devtmpfs has no /dev/fd, which bash and dkms use.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
version=$(git describe --tags --always --dirty 2>/dev/null || echo unknown)
cleanup_dkms() { sg_module_unload; dkms remove "sipguard/$version" --all >/dev/null 2>&1; }
sg_cleanup_hooks+=(cleanup_dkms)
sg_module_unload

t0=$(date +%s)
make -s dkms-install > /tmp/dkms.log 2>&1; rc=$?
expect_eq "make dkms-install exits 0 ($(($(date +%s) - t0)) s)" 0 $rc
[ $rc = 0 ] || info "$(tail -n 30 /tmp/dkms.log; cat /var/lib/dkms/sipguard/"$version"/build/make.log 2>/dev/null | tail -n 30)"
check "the sources are in /usr/src/sipguard-$version" test -f "/usr/src/sipguard-$version/dkms.conf"
out=$(dkms status sipguard 2>&1)
check "dkms status: installed for $kver ($out)" grep -q "sipguard/$version, $kver, .*: installed" <<< "$out"
path=$(modinfo -n sipguard 2>&1)
check "modprobe finds the DKMS build ($path)" grep -q "^/lib/modules/$kver/updates/dkms/sipguard.ko" <<< "$path"
check "modprobe sipguard loads it" modprobe sipguard
check "... with its BTF (POST_BUILD module-btf.sh: the XDP tier's kfunc)" test -e /sys/kernel/btf/sipguard
out=$(sipguardctl show 2>&1)
expect_eq "the loaded module is the version DKMS built" "$version" "$(sed -n 's/^version: //p' <<< "$out")"
sg_module_unload
dkms remove "sipguard/$version" --all > /dev/null 2>&1
check "dkms remove takes it away again" test -z "$(modinfo -n sipguard 2>/dev/null)"

sg_exit
