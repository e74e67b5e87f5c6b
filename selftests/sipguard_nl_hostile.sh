#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile netlink input, thorough and table-driven: runs nl_hostile (a
# kselftest-harness C test, built by `make -C selftests`) with the module
# loaded.  It sends every command the family announces with every defect
# (unknown, truncated, oversized, wrongly typed, duplicated attributes, bad
# nests, short headers) and random bytes, each refused with an extack
# message and changing nothing (each defect with its exact errno and the
# offset of the attribute blamed), checks that a dump changed between two
# parts is flagged NLM_F_DUMP_INTR (signatures, allowlist, source table), then that without CAP_NET_ADMIN every
# change and the source table are refused and every other read allowed.  Its TAP lines become
# PASS/FAIL lines here.

source "$(dirname "$0")/lib.sh"

bin=$(dirname "$0")/nl_hostile
[ -x "$bin" ] || skip "nl_hostile not built (make -C selftests)"
sg_module_load || { fail "module load"; sg_exit; }
# The source-table dump test fills the table through a TUN device.
modprobe tun 2>/dev/null || true

t0=$(date +%s)
out=$("$bin" 2>&1); rc=$?
while IFS= read -r line; do
	case $line in
	"ok "*"# SKIP"*) info "$line" ;;
	"ok "*) pass "nl_hostile: ${line#ok }" ;;
	"not ok "*) fail "nl_hostile: ${line#not ok }" ;;
	*) echo "# $line" ;;
	esac
done <<< "$out"
info "nl_hostile: exit $rc after $(($(date +%s) - t0))s"
[ $rc = 0 ] || [ $rc = 4 ] || fail "nl_hostile exited $rc"
sg_exit
