# SPDX-License-Identifier: GPL-2.0
#
# sipguard: top-level Makefile.  `make help` lists the targets.

# Where the module is built against.  Default: the running kernel's build
# tree, else the newest installed Debian headers (the build machines cannot
# load modules into their own kernel, so the headers are often not theirs).
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1))
# The kernel matrix the VM tests run on; e.g. KERNELS="6.1" or "6.12".
KERNELS ?=
# One version for modinfo, sipguardctl -V, DKMS and the packages (tools/version.sh).
SIPGUARD_VERSION := $(shell tools/version.sh)

TOP := $(CURDIR)
BUILD := $(TOP)/build
KMOD_SRCS := Kbuild $(wildcard kmod/*.c kmod/*.h) uapi/linux/sipguard.h uapi/linux/sipguard_nl.h

all: module tools

help:
	@echo 'make                build sipguard.ko (against KDIR) and tools/sipguardctl'
	@echo 'make demo           boot a VM and show a SIP scan blocked while a real call rings'
	@echo 'make check          install what is missing, run every test, print "N passed, N failed"'
	@echo 'make unit           userspace unit tests of the kernel-independent code (ASan+UBSan)'
	@echo 'make unit-valgrind  the same tests under valgrind'
	@echo 'make fuzz           libFuzzer on the SIP parser for FUZZ_SECONDS (default 60)'
	@echo 'make bench-parser   SIP parser vs libosip2, libre and a memchr floor'
	@echo 'make bench-allowlist allowlist lookups at 10 to 100,000 prefixes'
	@echo 'make bench-verdict  the verdict path (lookup, bucket, parse) in userspace'
	@echo 'make bench-vm       the datapath in the VM: hook cost per packet (BENCH=hookcost alone), ratios (XDP, open policy vs iptables, scaling)'
	@echo 'make bench-xdp      XDP native on virtio-net vs the hook: guest CPU time per dropped packet (two NICs on a qemu hub, -icount)'
	@echo 'make bench          all of the above'
	@echo 'make matrix         build sipguard.ko for every kernel of the matrix (W=1)'
	@echo 'make vm-check       run the selftests in a VM on every kernel of the matrix'
	@echo 'make check-packages the Debian packages'"'"' install/upgrade/purge test with DKMS on every kernel of the matrix'
	@echo 'make check-debug    the selftests and a kmemleak scan on a debug kernel (KASAN, UBSAN, lockdep, ...)'
	@echo 'make soak           20 minutes of everything at once on the debug kernel (SOAK_MINUTES, SOAK_KERNEL)'
	@echo 'make faults         the same with fault injection into the module'"'"'s allocations (FAULT_MINUTES)'
	@echo 'make check-ecosystem the event log read by the real fail2ban and crowdsec, and the bouncer, in a VM'
	@echo 'make check-arch     other architectures: unit-arch, matrix-arch, the core selftests on PREEMPT_RT, arm64 and armmp guests'
	@echo 'make unit-arch      the unit tests cross-built for s390x (big-endian) and armhf (32-bit), under qemu-user'
	@echo 'make matrix-arch    build sipguard.ko W=1 against Debian'"'"'s arm64 and armmp headers'
	@echo 'make deps-arch      install what the targets above need (cross compilers, qemu-user, multiarch)'
	@echo 'make vm-shell       a shell in the VM with the module at hand (sg_load loads it)'
	@echo 'make deps           install the Debian packages all of the above need'
	@echo 'make ynl-gen        regenerate uapi/linux/sipguard_nl.h from tools/ynl/sipguard.yaml (kernel'"'"'s ynl-gen-c)'
	@echo 'make deb            the Debian packages (sipguard-dkms, sipguardctl, sipguard-feeds) in build/deb/, lintian-checked'
	@echo 'make install        module (for KDIR), sipguardctl, man pages, completion, systemd units'
	@echo 'make dkms-install   the module'"'"'s sources for DKMS, built for every kernel from now on'
	@echo 'make uninstall      remove what install and dkms-install put in place (not /etc)'
	@echo 'make clean          remove everything the build made'
	@echo 'Variables: KDIR=, KERNELS="6.1 6.12", W=1, FUZZ_SECONDS=, VM_ARGS="--kvm"'

module:
	$(MAKE) -C $(KDIR) M=$(TOP) SIPGUARD_VERSION=$(SIPGUARD_VERSION) modules
	tools/xdp/module-btf.sh $(KERNELRELEASE) sipguard.ko

tools:
	$(MAKE) -C tools/sipguardctl SIPGUARD_VERSION=$(SIPGUARD_VERSION)

# One private copy of the module sources per kernel, so builds for several
# kernels never share object files.
matrix: $(KMOD_SRCS)
	@set -e; kernels="$$(tools/vm/kernels.sh list $(KERNELS))"; \
	[ -n "$$kernels" ] || { echo "no kernel of the matrix installed: make deps" >&2; exit 1; }; \
	for k in $$kernels; do \
		d=$(BUILD)/kernels/$$k; mkdir -p $$d; \
		mkdir -p $$d/kmod $$d/uapi/linux; \
		cp -p Kbuild $$d/; cp -p kmod/*.[ch] $$d/kmod/; cp -p uapi/linux/*.h $$d/uapi/linux/; \
		echo "  MODULE  $$k"; \
		$(MAKE) -s -C /lib/modules/$$k/build M=$$d W=1 \
			SIPGUARD_VERSION=$(SIPGUARD_VERSION) modules 2>&1 | \
			grep -v '^Skipping BTF generation' | tee $$d/build.log; \
		[ -f $$d/sipguard.ko ] || exit 1; \
		if grep -q 'warning:' $$d/build.log; then echo "W=1 warnings for $$k" >&2; exit 1; fi; \
		tools/xdp/module-btf.sh $$k $$d/sipguard.ko; \
	done

deps:
	@tools/setup.sh

# What tools/ynl/sipguard.yaml generates (committed; tools/check.sh checks it).
ynl-gen:
	tools/ynl/ynl-gen.sh

deb:
	@tools/deb.sh

unit:
	$(MAKE) -C tools/unit run

unit-valgrind:
	$(MAKE) -C tools/unit valgrind

FUZZ_SECONDS ?= 60
fuzz:
	$(MAKE) -C tools/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

bench-parser:
	$(MAKE) -C tools/bench parser

bench-allowlist:
	$(MAKE) -C tools/bench allowlist

bench-verdict:
	$(MAKE) -C tools/bench verdict

# Everything measured side by side: the shared code in userspace, then the
# datapath in the VM (the hooks' cost per packet, timed in the guest by
# tools/bench/hookbench; forwarding, strict flood vs an nftables drop rule,
# allowlist size, the open policy vs the iptables recipe and an nft meter,
# source-table size; XDP native on virtio-net against the hook).  Ratios
# are to baselines of the same run.
bench: bench-parser bench-allowlist bench-verdict bench-vm bench-xdp

# The VM's table alone; RUNS=, SECS=, BENCH="open sources", BEFORE=REV (see
# tools/bench/vm-bench.sh).
bench-vm:
	tools/bench/vm-bench.sh $(KERNELS)

# Its own guest (one vCPU under -icount, two virtio-net NICs on one qemu hub): the XDP
# tier where the driver runs it natively; RUNS=, SECS= (tools/bench/xdpnative.sh).
bench-xdp:
	BENCH=xdp-native tools/bench/vm-bench.sh $(KERNELS)

# A debug build of Debian's 6.1 kernel (cached outside the tree, so `make
# clean` keeps it), the whole selftest suite on it, then a kmemleak scan.
check-debug:
	@tools/vm/debug-kernel.sh check

# Everything at once for SOAK_MINUTES (default 20) on the debug kernel
# (SOAK_KERNEL=6.12: the stock one), 2 vCPUs, the console scanned for any
# report; `faults` the same with fault injection into the module's
# allocations (FAULT_MINUTES).  tools/vm/soak.sh, tools/docs/testing.md.
soak: tools
	@tools/vm/soak.sh soak

faults: tools
	@tools/vm/soak.sh faults

# The packages' test (tools/tests/sipguard_packages.sh) on each kernel of
# the matrix, one guest after the other, DKMS building for every kernel with
# headers and sipguard-dkms upgraded from the previous release: make check
# builds once per guest, for the running kernel.
check-packages: matrix tools deb
	@set -e; for k in $$(tools/vm/kernels.sh list $(KERNELS)); do \
		tools/vm/run.sh -k $$k -m $(BUILD)/kernels/$$k/sipguard.ko --smp 1 -t 3600 \
			-e SG_DKMS_KERNELS=$$k -e SG_DKMS_ALL_KERNELS=1 -e SIPGUARDCTL=/usr/sbin/sipguardctl \
			-- selftests/run_tests.sh -C tools/tests sipguard_packages.sh; \
	done

# Other architectures (tools/docs/testing.md says what runs where, and how
# long): not part of make check, which stays within CI's time.
deps-arch:
	@tools/arch/deps.sh

unit-arch:
	$(MAKE) -C tools/unit run CROSS=s390x-linux-gnu
	$(MAKE) -C tools/unit run CROSS=arm-linux-gnueabihf

matrix-arch: $(KMOD_SRCS)
	@tools/arch/matrix.sh

check-arch: unit-arch matrix-arch tools
	$(MAKE) -s -C selftests all
	@tools/arch/rt.sh
	@tools/arch/guest.sh arm64
	@tools/arch/guest.sh armhf

vm-check: matrix tools
	@tools/check.sh --vm-only $(KERNELS)

# tools/tests/sipguard_ecosystem.sh alone: Debian's fail2ban and crowdsec on
# the newest kernel (make check runs it in the oldest kernel's guest).
check-ecosystem: matrix tools
	@k=$$(tools/vm/kernels.sh list $(KERNELS) | tail -n 1); \
	tools/vm/run.sh -k $$k --smp 1 -t 900 -m $(BUILD)/kernels/$$k/sipguard.ko \
		-- selftests/run_tests.sh -C tools/tests sipguard_ecosystem.sh

vm-shell: matrix tools
	@k=$$(tools/vm/kernels.sh list $(KERNELS) | tail -n 1); \
	tools/vm/run.sh -k $$k -m $(BUILD)/kernels/$$k/sipguard.ko $(VM_ARGS) -s

check:
	@tools/check.sh $(KERNELS)

demo:
	@tools/demo.sh $(KERNELS)

# Installation.  DESTDIR stages everything for a package and runs nothing;
# without it, depmod and dkms run on this machine.  The module goes to the
# kernel of KDIR (KERNELRELEASE), tools and docs under PREFIX; MODULE_KO=
# installs a module built elsewhere (build/kernels/KVER/sipguard.ko).
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(or $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null),/lib/systemd/system)
# The release the kernel reports (uname -r): Debian's 6.1 headers carry the
# upstream version in include/config/kernel.release, not the package's.
KERNELRELEASE ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
DKMSDIR ?= /usr/src/sipguard-$(SIPGUARD_VERSION)
INSTALL ?= install

install: install-module install-tools

install-module: $(if $(MODULE_KO),,module)
	@[ -n "$(KERNELRELEASE)" ] || { echo "no kernel release in $(KDIR)" >&2; exit 1; }
	$(INSTALL) -D -m 0644 $(or $(MODULE_KO),sipguard.ko) $(DESTDIR)/lib/modules/$(KERNELRELEASE)/updates/sipguard.ko
	$(if $(DESTDIR),,depmod -a $(KERNELRELEASE))

# Configuration files are installed only where none exists yet.
install-tools: tools
	$(INSTALL) -D -m 0755 tools/sipguardctl/sipguardctl $(DESTDIR)$(SBINDIR)/sipguardctl
	$(INSTALL) -D -m 0755 tools/feeds/sipguard-apiban $(DESTDIR)$(SBINDIR)/sipguard-apiban
	$(INSTALL) -D -m 0755 tools/feeds/sipguard-crowdsec $(DESTDIR)$(SBINDIR)/sipguard-crowdsec
	$(INSTALL) -D -m 0644 tools/man/sipguardctl.8 $(DESTDIR)$(MANDIR)/man8/sipguardctl.8
	$(INSTALL) -D -m 0644 tools/man/sipguard.4 $(DESTDIR)$(MANDIR)/man4/sipguard.4
	$(INSTALL) -D -m 0644 -t $(DESTDIR)$(MANDIR)/man8 tools/man/sipguard-apiban.8 tools/man/sipguard-crowdsec.8
	$(INSTALL) -D -m 0644 tools/completion/sipguardctl.bash $(DESTDIR)$(BASHCOMPDIR)/sipguardctl
	$(INSTALL) -d $(DESTDIR)$(UNITDIR)
	for u in sipguard.service sipguard-refresh.service sipguard-refresh.timer \
		 sipguard-apiban.service sipguard-apiban.timer sipguard-crowdsec.service sipguard-crowdsec.timer \
		 sipguard-prometheus.service sipguard-prometheus.timer \
		 sipguard-events.service; do \
		sed 's|/usr/sbin/sipguard|$(SBINDIR)/sipguard|; s|/etc/sipguard/|$(SYSCONFDIR)/sipguard/|' \
			tools/systemd/$$u > $(DESTDIR)$(UNITDIR)/$$u && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	# fail2ban's and CrowdSec's files for the event log: the admin links them in.
	$(INSTALL) -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/sipguard/fail2ban/filter.d tools/fail2ban/filter.d/sipguard.conf
	$(INSTALL) -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/sipguard/fail2ban/jail.d tools/fail2ban/jail.d/sipguard.conf
	$(INSTALL) -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/sipguard/crowdsec/parsers/s01-parse \
		tools/crowdsec/parsers/s01-parse/sipguard-logs.yaml
	$(INSTALL) -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/sipguard/crowdsec/scenarios tools/crowdsec/scenarios/sipguard-ban.yaml
	$(INSTALL) -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/sipguard/crowdsec/acquis.d tools/crowdsec/acquis.d/sipguard.yaml
	[ -e $(DESTDIR)$(SYSCONFDIR)/modprobe.d/sipguard.conf ] || \
		$(INSTALL) -D -m 0644 tools/modprobe.d/sipguard.conf $(DESTDIR)$(SYSCONFDIR)/modprobe.d/sipguard.conf
	[ -e $(DESTDIR)$(SYSCONFDIR)/sipguard/sipguard.conf ] || \
		$(INSTALL) -D -m 0644 tools/sipguard.conf.example $(DESTDIR)$(SYSCONFDIR)/sipguard/sipguard.conf
	$(INSTALL) -d $(DESTDIR)$(SYSCONFDIR)/sipguard/sipguard.conf.d
	# The feeds' settings hold API keys: readable by root alone.
	for f in sipguard-apiban sipguard-crowdsec; do \
		[ -e $(DESTDIR)$(SYSCONFDIR)/default/$$f ] || \
		$(INSTALL) -D -m 0600 tools/feeds/$$f.default $(DESTDIR)$(SYSCONFDIR)/default/$$f || exit 1; \
	done

# The module's sources for DKMS, which rebuilds them for every new kernel.
dkms-install:
	$(INSTALL) -d $(DESTDIR)$(DKMSDIR)/kmod $(DESTDIR)$(DKMSDIR)/uapi/linux
	$(INSTALL) -m 0644 Kbuild $(DESTDIR)$(DKMSDIR)/
	$(INSTALL) -m 0644 kmod/*.c kmod/*.h $(DESTDIR)$(DKMSDIR)/kmod/
	$(INSTALL) -m 0644 uapi/linux/sipguard.h uapi/linux/sipguard_nl.h $(DESTDIR)$(DKMSDIR)/uapi/linux/
	$(INSTALL) -D -m 0755 -t $(DESTDIR)$(DKMSDIR)/tools/xdp tools/xdp/module-btf.sh tools/xdp/vmlinux-btf.sh
	sed 's/#MODULE_VERSION#/$(SIPGUARD_VERSION)/' dkms.conf > $(DESTDIR)$(DKMSDIR)/dkms.conf
	$(if $(DESTDIR),,dkms install sipguard/$(SIPGUARD_VERSION))

uninstall:
	-$(if $(DESTDIR),,dkms remove sipguard/$(SIPGUARD_VERSION) --all 2>/dev/null)
	rm -rf $(DESTDIR)$(DKMSDIR)
	rm -f $(DESTDIR)/lib/modules/$(KERNELRELEASE)/updates/sipguard.ko
	$(if $(DESTDIR),,-depmod -a $(KERNELRELEASE))
	rm -f $(DESTDIR)$(SBINDIR)/sipguard-apiban $(DESTDIR)$(SBINDIR)/sipguard-crowdsec \
		$(DESTDIR)$(UNITDIR)/sipguard-apiban.service $(DESTDIR)$(UNITDIR)/sipguard-apiban.timer \
		$(DESTDIR)$(UNITDIR)/sipguard-crowdsec.service $(DESTDIR)$(UNITDIR)/sipguard-crowdsec.timer \
		$(DESTDIR)$(UNITDIR)/sipguard-events.service
	rm -rf $(DESTDIR)$(PREFIX)/share/sipguard/fail2ban $(DESTDIR)$(PREFIX)/share/sipguard/crowdsec
	-rmdir $(DESTDIR)$(PREFIX)/share/sipguard 2>/dev/null
	rm -f $(DESTDIR)$(SBINDIR)/sipguardctl $(DESTDIR)$(MANDIR)/man8/sipguardctl.8 \
		$(DESTDIR)$(MANDIR)/man4/sipguard.4 $(DESTDIR)$(BASHCOMPDIR)/sipguardctl \
		$(DESTDIR)$(MANDIR)/man8/sipguard-apiban.8 $(DESTDIR)$(MANDIR)/man8/sipguard-crowdsec.8 \
		$(DESTDIR)$(UNITDIR)/sipguard.service $(DESTDIR)$(UNITDIR)/sipguard-refresh.service \
		$(DESTDIR)$(UNITDIR)/sipguard-refresh.timer \
		$(DESTDIR)$(UNITDIR)/sipguard-prometheus.service $(DESTDIR)$(UNITDIR)/sipguard-prometheus.timer
	@echo "left in place: $(SYSCONFDIR)/sipguard/sipguard.conf, $(SYSCONFDIR)/modprobe.d/sipguard.conf, $(SYSCONFDIR)/default/sipguard-{apiban,crowdsec}"

clean:
	-[ -z "$(wildcard $(KDIR)/Makefile)" ] || $(MAKE) -C $(KDIR) M=$(TOP) clean
	$(MAKE) -C tools/sipguardctl clean
	rm -rf $(BUILD)

.PHONY: all help module tools matrix deps ynl-gen deb check-packages unit unit-valgrind fuzz bench-parser bench-allowlist bench-verdict bench bench-vm bench-xdp \
	vm-check vm-shell check check-debug soak faults check-ecosystem demo deps-arch unit-arch matrix-arch check-arch clean install install-module install-tools dkms-install uninstall
