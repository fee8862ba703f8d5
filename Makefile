# SPDX-License-Identifier: GPL-2.0
#
# kvmsched top-level Makefile: a thin wrapper around Kbuild and the scripts.
#
#   make            build kmod/kvmsched.ko against KDIR, and userspace/kvmschedctl
#   make deps       install every Debian package the project needs
#   make check      every test; ends with "N passed, N failed"
#   make demo       boot the sandbox KVM host and show what kvmsched sees
#   make bench      measurements (tables), not pass/fail
#   make style      checkpatch --strict on kmod/ and uapi/
#   make modules-all  build for every Debian kernel in the cache (build/<kver>/)

KVMS_CACHE ?= $(HOME)/.cache/kvmsched
export KVMS_CACHE

ifeq ($(KDIR),)
  ifneq ($(wildcard /lib/modules/$(shell uname -r)/build/Makefile),)
    KDIR := /lib/modules/$(shell uname -r)/build
  else
    KDIR := /usr/src/linux-headers-$(shell head -n 1 $(KVMS_CACHE)/kernels.list 2>/dev/null)
  endif
endif

.PHONY: all modules clean deps check demo bench style kunit modules-all userspace

all: modules userspace

userspace:
	$(MAKE) -C userspace

modules:
	@echo "kvmsched: building against KDIR=$(KDIR)"
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf build
	$(MAKE) -C tests/fixtures clean
	$(MAKE) -C userspace clean
	$(MAKE) -C tests/host clean

deps:
	@bash scripts/deps.sh

modules-all:
	@bash scripts/build-all.sh

style:
	@bash scripts/style.sh

kunit:
	@bash scripts/kunit.sh

check: deps
	@bash scripts/check.sh

demo: deps
	@bash scripts/demo.sh

bench: deps
	@bash scripts/bench.sh
