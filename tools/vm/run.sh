#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [options] -- COMMAND...
#
# Boots one of Debian's kernels under qemu with the host's root filesystem
# shared read-only (plus a tmpfs overlay), and runs COMMAND inside it from
# the current directory.  The exit status is COMMAND's, unless the kernel
# logged a splat (WARNING, BUG, Oops, lockdep, KASAN, ...), in which case it
# is 1 whatever COMMAND returned, or the VM died or timed out (124/125).
#
#   -k KVER       kernel release (or series: 6.1, 6.12) to boot (default: newest)
#   -m FILE.ko    module the guest loads with `sg_load` (exported as SG_MODULE)
#   -t SECONDS    give up after this long (default 900)
#   -l FILE       also write the console log here
#   -e VAR=VALUE  export a variable into the guest command's environment
#   -s            interactive shell instead of COMMAND (implies no timeout)
#   --kvm         use KVM instead of TCG (it hangs on some hosts)
#   --tcg-single  all vCPUs on one host thread (TCG's thread=single)
#   --mem MB      guest memory (default 2048)
#   --smp N       guest CPUs (default: 2)
#   --append ARGS more kernel command-line arguments (e.g. ipv6.disable=1)
#   --arch ARCH   arm64 or armhf: a foreign guest under qemu-system-aarch64 or
#                 -arm (-M virt, TCG), with --root and --initrd (tools/arch/guest.sh)
#   --root DIR    the guest's root (its /boot has the kernel -k names) instead of
#                 the host's; the source tree is shared beside it at its path
#   --initrd FILE the initramfs to boot (default: tools/vm/initramfs.sh's)
#   --hub-nics N  N virtio-net-pci NICs (MACs 52:54:00:53:00:01, :02, ...) on
#                 one qemu hub with nothing else on it: what one sends, the
#                 others receive, and no frame leaves qemu (default: no NIC)
#   --icount N    the guest's clock counts instructions, 2^N ns each (qemu
#                 -icount shift=N,sleep=on; one TCG thread): its CPU times
#                 are then instructions executed, whatever the host's load
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kver=
module=
timeout=900
log=
shell=0
accel=tcg
mem=2048
smp=2
append=
envs=()
arch=amd64
groot=
initrd=
hubnics=0
icount=

while [ $# -gt 0 ]; do
	case "$1" in
	-k) kver=$2; shift 2 ;;
	-m) module=$(realpath "$2"); shift 2 ;;
	-t) timeout=$2; shift 2 ;;
	-l) log=$2; shift 2 ;;
	-e) envs+=("$2"); shift 2 ;;
	-s) shell=1; shift ;;
	--kvm) accel=kvm; shift ;;
	--tcg-single) accel=tcg,thread=single; shift ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--append) append="$append $2"; shift 2 ;;
	--arch) arch=$2; shift 2 ;;
	--root) groot=$(realpath "$2"); shift 2 ;;
	--initrd) initrd=$(realpath "$2"); shift 2 ;;
	--hub-nics) hubnics=$2; shift 2 ;;
	--icount) icount=$2; shift 2 ;;
	--) shift; break ;;
	-h|--help) sed -n '3,34s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) break ;;
	esac
done
if [ -n "$groot" ]; then
	if [ -z "$kver" ] || [ -z "$initrd" ]; then
		echo "run.sh: --root needs -k RELEASE and --initrd" >&2
		exit 2
	fi
else
	# "-k 6.1" picks the 6.1 kernel of the matrix; a full release is taken as is.
	[ -z "$kver" ] || [ -f "/boot/vmlinuz-$kver" ] || kver=$("$here/kernels.sh" list "$kver" | tail -n 1)
	[ -n "$kver" ] || kver=$("$here/kernels.sh" list | tail -n 1)
	[ -n "$kver" ] || { echo "run.sh: no kernel of the matrix is installed (make deps)" >&2; exit 2; }
fi
vmlinuz=${groot}/boot/vmlinuz-$kver
[ -f "$vmlinuz" ] || { echo "run.sh: $vmlinuz not found" >&2; exit 2; }
[ $shell = 1 ] || [ $# -gt 0 ] || { echo "run.sh: no command given" >&2; exit 2; }
case $arch in
amd64) qemu=(qemu-system-x86_64 -machine q35 -accel "$accel" -cpu max -bios /usr/share/qemu/qboot.rom)
	console=ttyS0 ;;
# cortex-a57, not max: QEMU documents max's pointer authentication as slow under TCG.
arm64) qemu=(qemu-system-aarch64 -machine virt -accel "$accel" -cpu cortex-a57); console=ttyAMA0 ;;
# armmp is not an LPAE kernel: virt's PCI windows must stay below 4 GiB.
armhf) qemu=(qemu-system-arm -machine "virt,highmem=off" -accel "$accel" -cpu cortex-a15); console=ttyAMA0 ;;
*) echo "run.sh: unknown --arch $arch" >&2; exit 2 ;;
esac
command -v "${qemu[0]}" >/dev/null || { echo "run.sh: ${qemu[0]} missing (make deps, make deps-arch)" >&2; exit 2; }

# The guest sees the host's / but mounts its own tmpfs on /tmp: jobs and the
# cached initramfs live in the build tree.
vmdir="$top/build/vm"
mkdir -p "$vmdir/jobs"
if [ -z "$initrd" ]; then
	initrd="$vmdir/initramfs-$kver.cpio.gz"
	if [ ! -s "$initrd" ] || [ "$here/init" -nt "$initrd" ] || [ "$here/initramfs.sh" -nt "$initrd" ]; then
		"$here/initramfs.sh" "$kver" "$initrd"
	fi
fi

job=$(mktemp "$vmdir/jobs/job.XXXXXX")
out=$(mktemp "$vmdir/jobs/console.XXXXXX")
trap 'rm -f "$job" "$out"' EXIT
{
	echo "#!/bin/bash"
	# A foreign root has none of the host's own directories (pyenv's).
	path=$PATH
	[ -z "$groot" ] || path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	printf 'export PATH=%q HOME=/root TERM=%q SGVM=1 SG_TOP=%q\n' "$path" "${TERM:-dumb}" "$top"
	[ -z "$module" ] || printf 'export SG_MODULE=%q\n' "$module"
	for e in ${envs[@]+"${envs[@]}"}; do printf 'export %q\n' "$e"; done
	printf 'cd %q || { echo "SGVM-EXIT: 125"; echo o > /proc/sysrq-trigger; while :; do :; done; }\n' "$PWD"
	echo 'hostname sgvm; ip link set lo up; echo 1 > /proc/sys/kernel/sysrq'
	# devtmpfs has no /dev/fd; bash process substitution and dkms want it.
	echo '[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd'
	# kselftest's runner writes to /dev/stdout.
	echo 'for i in 0:stdin 1:stdout 2:stderr; do [ -e /dev/${i#*:} ] || ln -s /proc/self/fd/${i%%:*} /dev/${i#*:}; done'
	echo 'echo 1 > /proc/sys/kernel/panic_on_oops'
	if [ $shell = 1 ]; then
		echo 'echo "sgvm: kernel $(uname -r); sg_load loads the module; exit (or Ctrl-D) powers off"'
		echo "sg_load() { . $(printf %q "$top/selftests/lib.sh"); sg_module_load; }"
		echo 'export -f sg_load'
		echo "setsid -c bash -i < /dev/$console > /dev/$console 2>&1"
	else
		printf '%q ' "$@"; echo
	fi
	echo 'rc=$?'
	echo 'echo "SGVM-DMESG-BEGIN"; dmesg --color=never; echo "SGVM-DMESG-END"'
	# The job is PID 1: it must not exit, it powers the VM off.
	# No external command after the power-off request: the root filesystem
	# (9p) goes away under it, and a PID 1 that exits panics the kernel.
	echo 'echo "SGVM-EXIT: $rc"; sync; echo o > /proc/sysrq-trigger; while :; do :; done'
} > "$job"

qemu+=(-smp "$smp" -m "$mem" -nographic -no-reboot -nic none
	-kernel "$vmlinuz" -initrd "$initrd"
	-virtfs "local,path=${groot:-/},mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap")
if [ -n "$groot" ]; then
	qemu+=(-virtfs "local,path=$top,mount_tag=sgtop,security_model=none,readonly=on,multidevs=remap")
	append="$append sgvm.top=$top"
fi
# hubport netdevs: the hub has no host-side backend, so the NICs reach only
# each other.
for i in $(seq "$hubnics"); do
	qemu+=(-netdev "hubport,id=hub$i,hubid=0"
		-device "virtio-net-pci,netdev=hub$i,mac=$(printf '52:54:00:53:00:%02x' "$i")")
done
[ -z "$icount" ] || qemu+=(-icount "shift=$icount,sleep=on")
qemu+=(-append "console=$console quiet panic=-1 sgvm.job=$job$append")

if [ $shell = 1 ]; then
	exec "${qemu[@]}"
fi

# Line-buffered, so the console file (and a caller reading it) follows the guest live.
set +e
timeout --foreground -k 10 "$timeout" "${qemu[@]}" < /dev/null 2>&1 | stdbuf -oL tr -d '\r' | tee "$out" |
	sed -u -e '/^SGVM-DMESG-BEGIN$/,/^SGVM-DMESG-END$/d' -e '/^SGVM-EXIT:/d' \
		-e 's/\x1b[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g' -e '/reboot: Power down$/d; /sysrq: Power Off$/d'
qrc=${PIPESTATUS[0]}
set -e
[ -z "$log" ] || cp "$out" "$log"

rc=$(sed -n 's/^SGVM-EXIT: \([0-9]*\)$/\1/p' "$out" | tail -n 1)
if [ -z "$rc" ]; then
	[ "$qrc" = 124 ] && echo "run.sh: VM timed out after ${timeout}s" >&2 || echo "run.sh: VM died (qemu exit $qrc)" >&2
	rc=125
	[ "$qrc" = 124 ] && rc=124
fi

# Anything the kernel said that a clean run never says fails the run.  Not
# the bare word "lockdep": a lockdep kernel's boot log says "RCU lockdep
# checking is enabled"; its reports carry a WARNING:/BUG: header.
splat='WARNING:|BUG:|Oops|general protection fault|sleeping function called from invalid context|possible (recursive|circular) locking|inconsistent lock state|lockdep is turned off|MAX_LOCKDEP_[A-Z_]* too low|suspicious RCU usage|KASAN|UBSAN|refcount_t:|kmemleak|Call Trace|RCU stall|rcu_sched detected|blocked for more than|Kernel panic'
# The console carries the tests' own output too: a TAP comment ("# ...")
# may name these words ("a KASAN kernel keeps freed entries..."), and is
# the kernel's only if a printk timestamp sits in it (a kernel line that
# landed in the middle of one).  The dmesg dump at the end has every kernel
# line again, each with its timestamp.
hits=$(grep -En "$splat" "$out" |
	awk '!/^[0-9]+:# / || /\[ *[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9]\]/') || true
if [ -n "$hits" ]; then
	echo "run.sh: kernel splat in the guest's log:" >&2
	for n in $(cut -d: -f1 <<< "$hits" | head -n 4); do
		sed -n "$((n > 2 ? n - 2 : 1)),$((n + 20))p" "$out"
	done | head -n 80 >&2
	rc=1
fi
exit "$rc"
