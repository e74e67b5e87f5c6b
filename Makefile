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
SIPGUARD_VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo unknown)

TOP := $(CURDIR)
BUILD := $(TOP)/build
KMOD_SRCS := Kbuild $(wildcard kmod/*.c kmod/*.h) uapi/linux/sipguard.h

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
	@echo 'make matrix         build sipguard.ko for every kernel of the matrix (W=1)'
	@echo 'make vm-check       run the selftests in a VM on every kernel of the matrix'
	@echo 'make vm-shell       a shell in the VM with the module at hand (sg_load loads it)'
	@echo 'make deps           install the Debian packages all of the above need'
	@echo 'make clean          remove everything the build made'
	@echo 'Variables: KDIR=, KERNELS="6.1 6.12", W=1, FUZZ_SECONDS=, VM_ARGS="--kvm"'

module:
	$(MAKE) -C $(KDIR) M=$(TOP) SIPGUARD_VERSION=$(SIPGUARD_VERSION) modules

tools:
	$(MAKE) -C tools/sipguardctl

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
	done

deps:
	@tools/setup.sh

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

vm-check: matrix tools
	@tools/check.sh --vm-only $(KERNELS)

vm-shell: matrix tools
	@k=$$(tools/vm/kernels.sh list $(KERNELS) | tail -n 1); \
	tools/vm/run.sh -k $$k -m $(BUILD)/kernels/$$k/sipguard.ko $(VM_ARGS) -s

check:
	@tools/check.sh $(KERNELS)

demo:
	@tools/demo.sh $(KERNELS)

clean:
	-[ -z "$(wildcard $(KDIR)/Makefile)" ] || $(MAKE) -C $(KDIR) M=$(TOP) clean
	$(MAKE) -C tools/sipguardctl clean
	rm -rf $(BUILD)

.PHONY: all help module tools matrix deps unit unit-valgrind fuzz bench-parser bench-allowlist \
	vm-check vm-shell check demo clean
