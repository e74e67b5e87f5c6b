#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# setup.sh: install, from Debian's archive, everything sipguard's build,
# tests, VM runner and demo need.  Idempotent and silent when all is there;
# otherwise it runs `apt-get update` once and installs what is missing,
# logging to build/apt.log.  Needs root (as the tests do).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
log=$top/build/apt.log
mkdir -p "$top/build"

pkgs=(
	# build: module, tool, userspace tests, fuzzer, benchmarks
	make gcc libc6-dev pkg-config libmnl-dev git file
	clang libclang-rt-14-dev valgrind libosip2-dev libre-dev libsofia-sip-ua-dev
	# the XDP tier: BPF program, skeleton, loader
	libbpf-dev bpftool
	# the VM: Debian's kernels come with the matrix below
	qemu-system-x86 qemu-system-data busybox-static cpio gzip xz-utils kmod
	# inside the VM: the topology and real SIP peers
	iproute2 iputils-ping nftables iptables python3 python3-scapy
	sipvicious sip-tester sipsak kamailio baresip-core
	# the names test: a DNS server with A, AAAA and SRV records
	dnsmasq-base
	# make check-debug: Debian's kernel source and what building it needs;
	# the C selftests take kselftest_harness.h from it too
	linux-source-6.1 bc flex bison libelf-dev libssl-dev dwarves
	# tools/ynl: the kernel's ynl-gen-c and ynl CLI the spec's output is
	# generated and checked with (make ynl-gen, check.sh's ynl-gen stage)
	linux-source-6.12
	# operator side: DKMS, completion, man pages, YNL spec and Prometheus checks
	dkms bash-completion groff-base man-db python3-yaml python3-jsonschema
	python3-prometheus-client prometheus	# promtool check metrics
	# the denylist feeds (tools/feeds): their HTTP client and JSON reader
	curl jq
	# the ecosystem test: the event log read by the real fail2ban and crowdsec
	fail2ban crowdsec
	# make deb: the Debian packages and their check
	dpkg-dev debhelper dh-dkms lintian fakeroot
)

# The packages of "$@" that are not installed, in one dpkg-query call.
missing() {
	local installed
	installed=$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null |
		awk '$NF == "installed" { print $1 }')
	printf '%s\n' "$@" | grep -vxF -f <(echo "$installed") || true
}

updated=0
apt_update() {
	[ $updated = 1 ] && return 0
	echo "setup: apt-get update" >&2
	apt-get update >> "$log" 2>&1 || { echo "setup: apt-get update failed, see $log" >&2; return 1; }
	updated=1
}

# The kernel matrix is named by apt's current lists (the newest 6.12 moves).
# Without lists, or with none of the matrix installed, refresh them first.
if [ -z "$("$top/tools/vm/kernels.sh" packages 2>/dev/null)" ]; then
	apt_update
fi
read -r -a kpkgs <<< "$("$top/tools/vm/kernels.sh" packages | tr '\n' ' ')"
[ ${#kpkgs[@]} -ge 4 ] || { echo "setup: cannot resolve the kernel matrix from apt (got: ${kpkgs[*]:-nothing})" >&2; exit 1; }

todo=$(missing "${pkgs[@]}" "${kpkgs[@]}")
[ -z "$todo" ] && exit 0

[ "$(id -u)" = 0 ] || { echo "setup: missing packages, run as root: $todo" >&2; exit 1; }
# crowdsec's postinst registers with the Central API unless this file has
# content (README.Debian); the tests run offline, and the install fails
# without it.
if [ ! -e /etc/crowdsec/online_api_credentials.yaml ]; then
	mkdir -p /etc/crowdsec
	echo '# no thanks: sipguard tests run offline (tools/setup.sh)' > /etc/crowdsec/online_api_credentials.yaml
fi
apt_update
echo "setup: installing" $todo >&2
# shellcheck disable=SC2086
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q $todo >> "$log" 2>&1; then
	echo "setup: apt-get install failed, see $log" >&2
	tail -n 20 "$log" >&2
	exit 1
fi
todo=$(missing "${pkgs[@]}" "${kpkgs[@]}")
[ -z "$todo" ] || { echo "setup: still missing after install: $todo" >&2; exit 1; }
