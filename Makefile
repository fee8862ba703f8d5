# SPDX-License-Identifier: GPL-2.0
#
# kvmsched top-level Makefile: a thin wrapper around Kbuild and the scripts.
#
#   make            build kmod/kvmsched.ko against KDIR, userspace/kvmschedctl and
#                   userspace/kvmschedd/kvmschedd
#   make deps       install every Debian package the project needs
#   make check      every test; ends with "N passed, N failed"
#   make demo       boot the sandbox KVM host and show what kvmsched sees
#   make bench      measurements (tables), not pass/fail; BENCH_ONLY="P1 P3" for some
#   make style      checkpatch --strict on kmod/ and uapi/
#   make modules-all  build for every Debian kernel in the cache (build/<kver>/)
#   make install    the module (modules_install into KDIR's kernel, under
#                   INSTALL_MOD_PATH=$(DESTDIR)), kvmschedctl and kvmschedd into
#                   $(PREFIX)/sbin, their man pages, the kvmschedd unit, the
#                   example policy; DESTDIR/PREFIX aware
#   make install-dkms  the module source and dkms.conf into
#                   $(DESTDIR)/usr/src/kvmsched-VERSION (then: dkms install
#                   kvmsched/VERSION); make uninstall removes what install put
#   make deb        Debian packages kvmsched-dkms and kvmsched into build/deb/

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
.PHONY: install install-module install-userspace install-dkms uninstall deb

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

# --- install and packaging ---------------------------------------------------
VERSION := $(shell sed -n 's/^\#define KVMSCHED_VERSION "\(.*\)"$$/\1/p' kmod/version.h)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
EXAMPLEDIR ?= $(PREFIX)/share/doc/kvmsched/examples
DKMS_SRCDIR ?= /usr/src/kvmsched-$(VERSION)
# What DKMS needs to build the module, and nothing else (no tests).
DKMS_SOURCES := Kbuild dkms.conf kmod/Kbuild kmod/compat.mk \
	$(sort $(filter-out %.mod.c,$(wildcard kmod/*.c kmod/*.h))) uapi/linux/kvmsched.h

install: install-module install-userspace

# The release the module is for, as its vermagic says (Debian's 6.1 headers
# have 6.1.192 in include/config/kernel.release, but 6.1.0-N-amd64 here).
KREL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
# modules_install signs with KDIR's key when the kernel signs all modules;
# distribution headers have no key (DKMS signs with its own MOK instead), so
# skip signing rather than print sign-file errors.
KSIGKEY = $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"$$/\1/p' $(KDIR)/.config 2>/dev/null)
KSIGN = $(if $(wildcard $(KSIGKEY) $(KDIR)/$(KSIGKEY)),,CONFIG_MODULE_SIG_ALL=)

# Headers have no System.map, so modules_install skips depmod: run it here
# for a real install (a DESTDIR install is depmod'ed by whoever deploys it).
install-module: modules
	@test -n "$(KREL)" || { echo "no UTS_RELEASE under KDIR=$(KDIR)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) KERNELRELEASE=$(KREL) \
		INSTALL_MOD_PATH=$(DESTDIR) $(KSIGN) modules_install
	@if [ -z "$(DESTDIR)" ]; then echo "depmod $(KREL)"; depmod -a "$(KREL)"; fi

# kvmschedctl, kvmschedd, and every man page, systemd unit and example
# userspace/ ships; units get the installed path of the binaries. Examples
# (X.example installed as X) are not copied to /etc: a live policy is the
# admin's.
USERSPACE_PROGS := kvmschedctl kvmschedd/kvmschedd
install-userspace: userspace
	for p in $(USERSPACE_PROGS); do \
		install -D -m 0755 userspace/$$p $(DESTDIR)$(SBINDIR)/$${p##*/} || exit 1; \
	done
	for m in userspace/*.[1-8]; do \
		install -D -m 0644 $$m \
			$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/} || exit 1; \
	done
	install -d $(DESTDIR)$(SYSTEMD_UNITDIR)
	# the unit's old name is now its Alias=: a leftover file would block it
	rm -f $(DESTDIR)$(SYSTEMD_UNITDIR)/kvmsched-balloond.service
	for u in userspace/*.service; do \
		sed 's|/usr/local/sbin/|$(SBINDIR)/|g' $$u \
			> $(DESTDIR)$(SYSTEMD_UNITDIR)/$${u##*/} && \
		chmod 0644 $(DESTDIR)$(SYSTEMD_UNITDIR)/$${u##*/} || exit 1; \
	done
	for e in $(wildcard userspace/*.example); do \
		f=$${e##*/}; \
		install -D -m 0644 $$e $(DESTDIR)$(EXAMPLEDIR)/$${f%.example} || exit 1; \
	done

install-dkms:
	@test -n "$(VERSION)" || { echo "no KVMSCHED_VERSION in kmod/version.h" >&2; exit 1; }
	@grep -qx 'PACKAGE_VERSION="$(VERSION)"' dkms.conf || \
		{ echo "dkms.conf: PACKAGE_VERSION is not $(VERSION) (kmod/version.h)" >&2; exit 1; }
	for f in $(DKMS_SOURCES); do \
		install -D -m 0644 $$f $(DESTDIR)$(DKMS_SRCDIR)/$$f || exit 1; \
	done

uninstall:
	for p in $(USERSPACE_PROGS); do rm -f $(DESTDIR)$(SBINDIR)/$${p##*/}; done
	for m in userspace/*.[1-8]; do \
		rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}; done
	for u in userspace/*.service kvmsched-balloond.service; do \
		rm -f $(DESTDIR)$(SYSTEMD_UNITDIR)/$${u##*/}; done
	for e in $(wildcard userspace/*.example); do \
		f=$${e##*/}; rm -f $(DESTDIR)$(EXAMPLEDIR)/$${f%.example}; done
	-rmdir $(DESTDIR)$(EXAMPLEDIR) $(DESTDIR)$(patsubst %/,%,$(dir $(EXAMPLEDIR))) 2>/dev/null
	rm -rf $(DESTDIR)$(DKMS_SRCDIR)

# make deb: dpkg-buildpackage in a clean copy of the tree under build/deb/,
# so the work tree gets no debian/tmp or objects; the .deb, .changes,
# .buildinfo and the native source package end up in build/deb/.
DEB_OUT := build/deb
DEB_TREE := $(DEB_OUT)/src/kvmsched-$(VERSION)
deb:
	@v=$$(dpkg-parsechangelog -l debian/changelog -SVersion) && \
		[ "$$v" = "$(VERSION)" ] || \
		{ echo "debian/changelog: version $$v is not $(VERSION) (kmod/version.h)" >&2; exit 1; }
	rm -rf $(DEB_OUT) && mkdir -p $(DEB_TREE)
	rsync -a --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --include='*.d/' --exclude='*.d' \
		--exclude=modules.order --exclude=Module.symvers \
		--exclude=/userspace/build/ --exclude=/userspace/kvmschedctl \
		--exclude=/userspace/kvmschedd/kvmschedd \
		Kbuild Makefile dkms.conf README.md Documentation kmod uapi \
		userspace debian $(DEB_TREE)/
	cd $(DEB_TREE) && dpkg-buildpackage -us -uc --build=full \
		> ../../build.log 2>&1 || { tail -n 40 ../../build.log >&2; exit 1; }
	mv $(DEB_OUT)/src/kvmsched*_* $(DEB_OUT)/
	rm -rf $(DEB_OUT)/src
	@ls -l $(DEB_OUT)/*.deb
