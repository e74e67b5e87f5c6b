#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh build | release | kdir | check [TEST...] | run ARGS... | guest COMMAND...
#
# A debug build of Debian's own 6.1 kernel (the source of the matrix's 6.1
# image, from the linux-source-6.1 package) with KASAN, UBSAN, lockdep
# (PROVE_LOCKING, PROVE_RCU), DEBUG_ATOMIC_SLEEP, KMEMLEAK and DEBUG_OBJECTS,
# for `make check-debug`.
#
#   build     fetch linux-source-6.1 (apt), configure (Debian's config of the
#             matrix kernel, only the modules the VM tests load, plus the debug
#             options), build it at nice 19 and install it into the cache.
#             Cached: a second call with the same source and options is a no-op.
#   release   the kernel release of the debug build (e.g. 6.1.192-sgdebug)
#   kdir      its build tree, to build sipguard.ko against
#   check     build (if needed) the kernel, the module, sipguardctl and the C
#             selftests, boot the debug kernel in the VM, run the selftests
#             (all of TEST_PROGS, or TEST...) and a kmemleak scan.  Fails on
#             any test failure and on any kernel report.
#   run       tools/vm/run.sh with the debug kernel visible under /boot and
#             /lib/modules (bind mounts in a private mount namespace: nothing
#             is installed on this machine)
#   guest     (inside the VM) mount debugfs, report what boot already logged,
#             run COMMAND, then scan for leaks with kmemleak
#
# The cache lives outside the repository, so `make clean` keeps the build:
# SG_DEBUG_CACHE (default /var/cache/sipguard/debug-kernel).  Timings of each
# step are printed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${SG_DEBUG_CACHE:-/var/cache/sipguard/debug-kernel}
series=6.1
src=$cache/linux-source-$series
inst=$cache/install
localver=-sgdebug
# The Debian kernel whose configuration is the base: the matrix's 6.1.
base_kver=$("$here/kernels.sh" list "$series" 2>/dev/null | tail -n 1 || true)

# Modules the VM tests load (lsmod after the whole suite, plus what tests
# may add).  Everything else Debian builds as a module is left out: the
# build takes ~20 minutes instead of hours.  Built-in options stay as Debian
# has them.
modules="virtio_ring virtio virtio_pci virtio_pci_legacy_dev virtio_pci_modern_dev
	9pnet 9pnet_virtio netfs fscache 9p overlay
	veth dummy tun nfnetlink nf_tables nft_nat nft_chain_nat nft_objref nft_ct
	nft_limit nft_counter nft_log nft_reject nft_reject_inet nft_fib nft_fib_inet
	nf_nat nf_conntrack nf_defrag_ipv4 nf_defrag_ipv6 nf_reject_ipv4 nf_reject_ipv6
	libcrc32c crc32c_generic crc32c_intel sch_netem x_tables xt_conntrack
	ip_tables ip6_tables iptable_filter ip6table_filter iptable_raw ip6table_raw
	iptable_nat nft_compat af_packet"

# The debug options, applied with scripts/config on top of Debian's config.
debug_opts=(
	--set-str LOCALVERSION "$localver" --disable LOCALVERSION_AUTO
	# no signing keys, no debug info: faster, and nothing to sign with
	--disable MODULE_SIG --disable MODULE_SIG_ALL --set-str MODULE_SIG_KEY ""
	--set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS ""
	--disable DEBUG_INFO --enable DEBUG_INFO_NONE --disable DEBUG_INFO_BTF
	--disable DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT
	--enable MODULE_COMPRESS_NONE
	# memory: out of bounds, use after free, leaks, object life cycles
	--enable KASAN --enable KASAN_GENERIC --enable KASAN_INLINE --enable KASAN_VMALLOC
	--enable DEBUG_KMEMLEAK --disable DEBUG_KMEMLEAK_DEFAULT_OFF
	--disable DEBUG_KMEMLEAK_AUTO_SCAN --set-val DEBUG_KMEMLEAK_MEM_POOL_SIZE 65536
	--enable DEBUG_OBJECTS --enable DEBUG_OBJECTS_FREE --enable DEBUG_OBJECTS_TIMERS
	--enable DEBUG_OBJECTS_WORK --enable DEBUG_OBJECTS_RCU_HEAD
	--enable DEBUG_OBJECTS_PERCPU_COUNTER --set-val DEBUG_OBJECTS_ENABLE_DEFAULT 1
	--enable DEBUG_LIST --enable DEBUG_NET --enable SLUB_DEBUG --enable DEBUG_VM
	# undefined behaviour
	--enable UBSAN --enable UBSAN_BOUNDS --enable UBSAN_SHIFT --enable UBSAN_BOOL
	--enable UBSAN_ENUM --enable UBSAN_SANITIZE_ALL --disable UBSAN_TRAP
	# locking and RCU
	--enable PROVE_LOCKING --enable PROVE_RCU --enable PROVE_RCU_LIST
	--enable DEBUG_ATOMIC_SLEEP --enable DEBUG_SPINLOCK --enable DEBUG_MUTEXES
	--enable DEBUG_RWSEMS --enable DEBUG_LOCK_ALLOC --enable DEBUG_PREEMPT
	--enable RCU_EXPERT --enable DEBUG_OBJECTS_RCU_HEAD
	# fault injection: failslab and fail_page_alloc (aimed by task-filter
	# at the configuring process), and the module's own fault_attr, which
	# reaches its softirq allocations too (x86-64 has no stack-trace filter)
	--enable FAULT_INJECTION --enable FAILSLAB --enable FAIL_PAGE_ALLOC
	--enable FAULT_INJECTION_DEBUG_FS
	# Built-in parts of Debian's config that a qemu guest with virtio-9p and
	# a serial console never uses: off, so the build takes less than an hour
	# on two shared cores (the debug options slow every compile down).
	--disable XEN --disable HYPERV --disable WIRELESS --disable WLAN
	--disable STAGING --disable SECURITY_SELINUX --disable SECURITY_APPARMOR
	--disable SECURITY_TOMOYO --disable INTEGRITY --disable IMA --disable EVM
	--disable MD --disable USB_SUPPORT --disable SOUND --disable DRM --disable FB
	--disable FTRACE --disable KPROBES --disable BPF_SYSCALL --disable HIBERNATION
	--disable SUSPEND --disable X86_SGX --disable ACPI_APEI --disable PCCARD
	--disable INFINIBAND --disable NFC --disable WWAN --disable HAMRADIO
	--disable CAN --disable ATM --disable BT --disable THUNDERBOLT
	# what the selftests need (already in Debian's config; asserted here)
	--enable NET_NS --enable USER_NS --enable IPV6 --enable NETFILTER
	--enable NETFILTER_ADVANCED --module VETH --module NF_TABLES
	--module NF_DEFRAG_IPV4 --module NF_DEFRAG_IPV6 --enable MODULE_UNLOAD
	--enable DEBUG_FS --enable PACKET
)

stamp_key() {
	{
		dpkg-query -W -f='${Version}\n' "linux-source-$series" 2>/dev/null || echo none
		echo "$base_kver" "$modules"
		printf '%s\n' "${debug_opts[@]}"
	} | sha256sum | cut -c1-16
}

now() { date +%s; }
took() { echo "debug-kernel: $1: $(($(now) - $2))s"; }

do_build() {
	local t0 t key rel
	t0=$(now)
	[ -n "$base_kver" ] || { echo "debug-kernel: no $series kernel of the matrix installed (make deps)" >&2; exit 1; }
	key=$(stamp_key)
	if [ -f "$cache/stamp" ] && [ "$(cat "$cache/stamp")" = "$key" ] && [ -f "$src/arch/x86/boot/bzImage" ]; then
		echo "debug-kernel: cached $(do_release) in $cache"
		return 0
	fi
	mkdir -p "$cache"
	if [ ! -f "/usr/src/linux-source-$series.tar.xz" ]; then
		t=$(now)
		echo "debug-kernel: apt-get install linux-source-$series and the build tools" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "linux-source-$series" \
			bc flex bison libelf-dev libssl-dev dwarves rsync >/dev/null
		took "fetch" "$t"
	fi
	if [ ! -f "$src/Makefile" ] || [ "/usr/src/linux-source-$series.tar.xz" -nt "$src/Makefile" ]; then
		t=$(now)
		rm -rf "$src"
		tar -C "$cache" -xf "/usr/src/linux-source-$series.tar.xz"
		touch "$src/Makefile"
		took "extract" "$t"
	fi

	t=$(now)
	cp "/boot/config-$base_kver" "$src/.config"
	lsmod_file=$cache/lsmod
	{
		echo "Module Size Used by"
		for m in $modules; do echo "$m 16384 0"; done
	} > "$lsmod_file"
	make -s -C "$src" olddefconfig >/dev/null
	# localmodconfig ends with olddefconfig: it asks nothing.
	make -s -C "$src" LSMOD="$lsmod_file" localmodconfig < /dev/null > "$cache/config.log" 2>&1
	"$src/scripts/config" --file "$src/.config" "${debug_opts[@]}"
	make -s -C "$src" olddefconfig >/dev/null
	# The options that must have survived olddefconfig's dependency checks.
	local o missing=
	for o in KASAN UBSAN PROVE_LOCKING PROVE_RCU DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK \
		DEBUG_OBJECTS DEBUG_OBJECTS_RCU_HEAD NET_NS USER_NS DEBUG_FS \
		FAILSLAB FAIL_PAGE_ALLOC FAULT_INJECTION_DEBUG_FS; do
		grep -q "^CONFIG_$o=y" "$src/.config" || missing="$missing $o"
	done
	[ -z "$missing" ] || { echo "debug-kernel: config lacks:$missing" >&2; exit 1; }
	took "configure" "$t"

	t=$(now)
	echo "debug-kernel: building $(do_release) ($(nproc) jobs, nice 19); log: $cache/build.log" >&2
	if ! nice -n 19 make -C "$src" -j"$(nproc)" bzImage modules > "$cache/build.log" 2>&1; then
		tail -n 30 "$cache/build.log" >&2
		exit 1
	fi
	took "compile" "$t"

	t=$(now)
	rel=$(do_release)
	rm -rf "$inst"
	mkdir -p "$inst/boot"
	make -s -C "$src" INSTALL_MOD_PATH="$inst" modules_install >> "$cache/build.log" 2>&1
	cp "$src/arch/x86/boot/bzImage" "$inst/boot/vmlinuz-$rel"
	cp "$src/.config" "$inst/boot/config-$rel"
	echo "$key" > "$cache/stamp"
	took "install" "$t"
	took "build total" "$t0"
}

# LOCALVERSION_AUTO is off and the source is no git tree: the release is
# the version and our suffix (kernelrelease says so only after a build).
do_release() { echo "$(make -s -C "$src" kernelversion)$localver"; }

# run.sh finds kernels in /boot and the guest's modprobe in /lib/modules.
# Show the debug kernel there through bind mounts of directories of
# symbolic links, in a mount namespace of our own.
do_run() {
	local rel view
	rel=$(do_release)
	[ -f "$inst/boot/vmlinuz-$rel" ] || { echo "debug-kernel: not built (debug-kernel.sh build)" >&2; exit 1; }
	# One view per run: two guests at once (make soak beside make faults)
	# must not empty the directory the other's bind mount shows.  Views of
	# runs a day old are gone.
	find "$cache" -maxdepth 1 -name 'view*' -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
	view=$(mktemp -d "$cache/view.XXXXXX")
	mkdir -p "$view/boot" "$view/modules"
	local f
	for f in /boot/* /boot/.[!.]*; do [ -e "$f" ] && ln -s "$f" "$view/boot/"; done
	for f in /lib/modules/*; do [ -e "$f" ] && ln -s "$f" "$view/modules/"; done
	# The image, and its config: tests read /boot/config-$(uname -r) to
	# know what kernel they are on (sipguard_open.sh: KASAN).
	for f in "$inst/boot/"*"-$rel"; do ln -sfn "$f" "$view/boot/"; done
	ln -sfn "$inst/lib/modules/$rel" "$view/modules/$rel"
	exec unshare -m --propagation private bash -c '
		mount --bind "$1/boot" /boot && mount --bind "$1/modules" /lib/modules || exit 125
		shift; exec "$@"' - "$view" "$here/run.sh" -k "$rel" "$@"
}

# Inside the VM.  The boot log of a debug kernel has lines that run.sh's
# splat filter would take for reports ("kmemleak: Kernel memory leak
# detector initialized"): judge the boot log here, print any real report
# (run.sh sees it on the console), clear the log, run the command.
do_guest() {
	local benign='kmemleak: (Kernel memory leak detector initialized|Automatic memory scanning thread started)'
	local splat='WARNING:|BUG:|Oops|general protection fault|sleeping function called from invalid context|possible (recursive|circular) locking|inconsistent lock state|lockdep is turned off|MAX_LOCKDEP_[A-Z_]* too low|suspicious RCU usage|KASAN|UBSAN|refcount_t:|kmemleak|Call Trace|RCU stall|blocked for more than'
	local rc t0 n
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
	echo "debug-kernel: $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, boot took $(cut -d' ' -f1 /proc/uptime)s"
	if dmesg | grep -Ev "$benign" | grep -Eq "$splat"; then
		echo "debug-kernel: the kernel reported something while booting:"
		dmesg | grep -Ev "$benign" | grep -E -A20 "$splat" | head -n 60
	fi
	dmesg -C
	# Suspects from booting are not ours: forget them before the tests
	# (scanning is manual: the config has no automatic scan thread).
	if [ -w /sys/kernel/debug/kmemleak ]; then
		echo scan > /sys/kernel/debug/kmemleak
		echo clear > /sys/kernel/debug/kmemleak
	fi
	t0=$(now)
	set +e
	"$@"
	rc=$?
	set -e
	echo "debug-kernel: command exit $rc after $(($(now) - t0))s"
	# Leaks: unload the module (its exit must free everything), then scan
	# twice: kmemleak reports an object only once it stays unreferenced
	# across a scan.
	if [ -w /sys/kernel/debug/kmemleak ]; then
		t0=$(now)
		! grep -q '^sipguard ' /proc/modules || rmmod sipguard || rc=1
		sleep 5
		echo scan > /sys/kernel/debug/kmemleak
		sleep 5
		echo scan > /sys/kernel/debug/kmemleak
		# SG_KMEMLEAK_KNOWN (a regex, set by tools that inject faults):
		# objects whose backtrace matches are the kernel's own leaks on an
		# error path, printed as such and not counted.
		cat /sys/kernel/debug/kmemleak > /tmp/kmemleak.$$
		awk -v known="${SG_KMEMLEAK_KNOWN:-}" '
			function flush() { if (blk == "") return; if (known != "" && blk ~ known) { k++; gsub(/unreferenced object/, "object", blk); printf "debug-kernel: kmemleak: known kernel leak (not counted):\n%s", blk } else { u++; printf "%s", blk > "/tmp/kmemleak.ours" } blk = "" }
			/^unreferenced object/ { flush() } { blk = blk $0 "\n" }
			END { flush(); printf "%d %d\n", u, k > "/tmp/kmemleak.count" }' /tmp/kmemleak.$$
		read -r n k < /tmp/kmemleak.count
		if [ "$n" != 0 ]; then
			echo "debug-kernel: kmemleak: $n unreferenced objects:"
			head -n 200 /tmp/kmemleak.ours
			rc=1
		else
			echo "debug-kernel: leak scan clean: 0 unreferenced objects, $k known kernel leaks ($(($(now) - t0))s)"
		fi
		rm -f /tmp/kmemleak.$$ /tmp/kmemleak.ours /tmp/kmemleak.count
	else
		echo "debug-kernel: no /sys/kernel/debug/kmemleak: not a kmemleak kernel?"
		rc=1
	fi
	return $rc
}

# Build everything, boot the debug kernel, run the suite under it.
do_check() {
	local t0 rel kdir d t
	t0=$(now)
	do_build
	rel=$(do_release)
	kdir=$src
	t=$(now)
	d=$top/build/kernels/$rel
	mkdir -p "$d/kmod" "$d/uapi/linux"
	cp -p "$top/Kbuild" "$d/"
	cp -p "$top"/kmod/*.[ch] "$d/kmod/"
	cp -p "$top"/uapi/linux/*.h "$d/uapi/linux/"
	make -s -C "$kdir" M="$d" W=1 SIPGUARD_VERSION="$(git -C "$top" describe --tags --always --dirty 2>/dev/null || echo unknown)" modules
	make -s -C "$top/tools/sipguardctl"
	make -s -C "$top/selftests" all
	took "module and tools" "$t"
	t=$(now)
	cd "$top"
	set +e
	# DKMS is a packaging test: make check runs it on the matrix's
	# kernels; here it would compile the module under KASAN and TCG.  The
	# open test's ban must outlast a burst that is slower here.
	# Two vCPUs on one host thread: a run with two threads oopsed on an
	# int3 in the middle of a patched jump in __netif_receive_skb_core
	# (sipguard not on the stack).  We suspect a text_poke_bp that
	# multi-threaded TCG did not make visible to the other vCPU in time
	# (not proven); thread=single keeps two CPUs and their interleaving
	# without cross-thread code modification.
	(do_run --tcg-single -t "${SG_DEBUG_TIMEOUT:-7200}" --mem 3072 -m "$d/sipguard.ko" \
		-e SG_DKMS_KERNELS="$("$here/kernels.sh" list | tr '\n' ' ')" -e SG_OPEN_BAN=30 \
		-l "$top/build/debug-console.log" -- tools/vm/debug-kernel.sh guest selftests/run_tests.sh "$@")
	rc=$?
	set -e
	took "boot, suite and leak scan in the VM" "$t"
	took "check-debug total" "$t0"
	if [ $rc = 0 ]; then
		echo "check-debug: PASS (kernel $rel: no KASAN, UBSAN, lockdep, RCU, atomic-sleep, debugobjects or kmemleak report)"
	else
		echo "check-debug: FAIL (exit $rc; console log: build/debug-console.log)"
	fi
	return $rc
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
build) do_build ;;
release) do_release ;;
kdir) echo "$src" ;;
run) do_run "$@" ;;
guest) do_guest "$@" ;;
check) do_check "$@" ;;
*) sed -n '3,30s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
