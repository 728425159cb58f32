# SPDX-License-Identifier: GPL-2.0-only
#
# make install / make uninstall: the programs, libedgeai (shared and
# static), its headers and pkg-config file, the man pages, the board data
# and the system files of dist/ (udev rule, systemd units, modules-load.d,
# sysusers.d, modprobe.d), under $(DESTDIR) and $(PREFIX):
#
#   make install                              # /usr/local
#   make install PREFIX=/usr DESTDIR=/tmp/st  # staged, as the packages do
#
# The module is installed separately: `make modules_install` (kbuild, for
# the kernel of KDIR), or its source for DKMS with `make install-dkms`.
# Read after every fragment: it installs what they build.

EDGEAI_VERSION := $(shell cat VERSION)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/edgeai
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# systemd, udev and kmod read these under /usr/local/lib as well as /usr/lib.
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
# The module's options are the administrator's to edit: /etc, whatever the
# prefix (installed once, never overwritten).
SYSCONFDIR ?= /etc
DKMSDIR ?= /usr/src/edgeai-$(EDGEAI_VERSION)

INSTALL ?= install

# What goes where.  edgeai-bench is left out: its benchmarks run from the
# source tree (they boot the VM).
INSTALL_BINS := $(EDGEAICTL) $(BUILD)/bin/edgeai-plan $(BUILD)/bin/edgeai-sim $(EDGEAI_RUN)
INSTALL_SBINS := $(EDGEAID)
INSTALL_MANS := $(wildcard docs/man/*.[1-8])
INSTALL_HEADERS := include/edgeai.h
INSTALL_UAPI := include/uapi/linux/edgeai.h

EDGEAI_PC := $(BUILD)/dist/edgeai.pc
EDGEAID_UNIT := $(BUILD)/dist/edgeaid.service
METRICS_UNIT := $(BUILD)/dist/edgeai-metrics.service

# The templates name the installed paths: rebuilt whenever those change.
# In edgeai.pc, paths under the prefix are written ${prefix}/..., so that
# pkg-config --define-prefix can move it.
pc_rel = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
INSTALL_SUBST = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(call pc_rel,$(LIBDIR))|g' \
	-e 's|@INCLUDEDIR@|$(call pc_rel,$(INCLUDEDIR))|g' -e 's|@SBINDIR@|$(SBINDIR)|g' \
	-e 's|@BINDIR@|$(BINDIR)|g' \
	-e 's|@VERSION@|$(EDGEAI_VERSION)|g'
$(BUILD)/dist/%: dist/%.in VERSION FORCE
	@mkdir -p $(@D)
	@$(INSTALL_SUBST) $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

.PHONY: FORCE installable install install-files uninstall install-dkms uninstall-dkms
FORCE:

# Build what install installs, and nothing else (debian/rules).
installable: $(INSTALL_BINS) $(INSTALL_SBINS) $(LIBEDGEAI) $(LIBEDGEAI_SO) \
	$(EDGEAI_PC) $(EDGEAID_UNIT) $(METRICS_UNIT)

install: install-files
	@# The dynamic linker's cache, when installing into this system.
	$(if $(DESTDIR),,-ldconfig)

install-files: installable
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(DATADIR)/edgeai/boards \
		$(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(MODULESLOADDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(SYSCONFDIR)/modprobe.d
	$(INSTALL) -m 755 $(INSTALL_BINS) $(DESTDIR)$(BINDIR)/
ifneq ($(INSTALL_SBINS),)
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(DOCDIR)
	$(INSTALL) -m 755 $(INSTALL_SBINS) $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 644 $(EDGEAID_UNIT) $(DESTDIR)$(SYSTEMDUNITDIR)/edgeaid.service
	$(INSTALL) -m 644 $(METRICS_UNIT) $(DESTDIR)$(SYSTEMDUNITDIR)/edgeai-metrics.service
	$(INSTALL) -m 644 userspace/daemon/edgeaid.conf.example $(DESTDIR)$(DOCDIR)/
endif
	$(INSTALL) -m 644 $(LIBEDGEAI_SO) $(LIBEDGEAI) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(LIBEDGEAI_SO)) $(DESTDIR)$(LIBDIR)/$(LIBEDGEAI_SONAME)
	ln -sf $(LIBEDGEAI_SONAME) $(DESTDIR)$(LIBDIR)/libedgeai.so
	$(INSTALL) -m 644 $(EDGEAI_PC) $(DESTDIR)$(PKGCONFIGDIR)/
	$(INSTALL) -m 644 $(INSTALL_HEADERS) $(DESTDIR)$(INCLUDEDIR)/
	$(INSTALL) -m 644 $(INSTALL_UAPI) $(DESTDIR)$(INCLUDEDIR)/linux/
	for s in 1 3 8; do \
		pages=$$(ls docs/man/*.$$s 2>/dev/null) || continue; \
		$(INSTALL) -d $(DESTDIR)$(MANDIR)/man$$s && \
		$(INSTALL) -m 644 $$pages $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; \
	done
	for b in data/boards/*/; do \
		d=$(DESTDIR)$(DATADIR)/edgeai/boards/$$(basename $$b); \
		$(INSTALL) -d $$d && $(INSTALL) -m 644 $$b* $$d/ || exit 1; \
	done
	$(INSTALL) -d $(DESTDIR)$(DATADIR)/edgeai/llm
	$(INSTALL) -m 644 data/llm/* $(DESTDIR)$(DATADIR)/edgeai/llm/
	$(INSTALL) -d $(DESTDIR)$(DATADIR)/edgeai/accuracy
	$(INSTALL) -m 644 data/accuracy/* $(DESTDIR)$(DATADIR)/edgeai/accuracy/
	$(INSTALL) -m 644 dist/60-edgeai.rules $(DESTDIR)$(UDEVRULESDIR)/
	$(INSTALL) -m 644 dist/modules-load.conf $(DESTDIR)$(MODULESLOADDIR)/edgeai.conf
	$(INSTALL) -m 644 dist/sysusers.conf $(DESTDIR)$(SYSUSERSDIR)/edgeai.conf
	@# Never over an administrator's edits.
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/modprobe.d/edgeai.conf ]; then \
		echo "keeping $(DESTDIR)$(SYSCONFDIR)/modprobe.d/edgeai.conf"; \
	else \
		echo "$(INSTALL) -m 644 dist/modprobe.conf $(DESTDIR)$(SYSCONFDIR)/modprobe.d/edgeai.conf"; \
		$(INSTALL) -m 644 dist/modprobe.conf $(DESTDIR)$(SYSCONFDIR)/modprobe.d/edgeai.conf; \
	fi

# Removes what install put there (standard folders stay, empty or not).
# The modprobe.d file goes only if it is still the one installed.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(INSTALL_BINS))) \
		$(DESTDIR)$(SBINDIR)/edgeaid $(DESTDIR)$(SYSTEMDUNITDIR)/edgeaid.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/edgeai-metrics.service \
		$(DESTDIR)$(DOCDIR)/edgeaid.conf.example \
		$(DESTDIR)$(LIBDIR)/libedgeai.so* $(DESTDIR)$(LIBDIR)/libedgeai.a \
		$(DESTDIR)$(PKGCONFIGDIR)/edgeai.pc $(DESTDIR)$(INCLUDEDIR)/edgeai.h \
		$(DESTDIR)$(INCLUDEDIR)/linux/edgeai.h \
		$(foreach m,$(INSTALL_MANS),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m))) \
		$(DESTDIR)$(UDEVRULESDIR)/60-edgeai.rules \
		$(DESTDIR)$(MODULESLOADDIR)/edgeai.conf $(DESTDIR)$(SYSUSERSDIR)/edgeai.conf
	rm -rf $(DESTDIR)$(DATADIR)/edgeai
	if cmp -s dist/modprobe.conf $(DESTDIR)$(SYSCONFDIR)/modprobe.d/edgeai.conf; then \
		rm -f $(DESTDIR)$(SYSCONFDIR)/modprobe.d/edgeai.conf; fi
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null
	$(if $(DESTDIR),,-ldconfig)

# ---------------------------------------------------------------- DKMS
# The module's source where DKMS looks for it: the top-level Kbuild and
# dkms.conf, kmod/ and the uapi header, nothing else.  Installing into this
# system (no DESTDIR) also has DKMS build and install the module for the
# running kernel; the edgeai-dkms package does the same from its postinst.
DKMS_FILES := Kbuild dkms.conf include/uapi/linux/edgeai.h \
	$(shell find kmod -name '*.[ch]' ! -name '*.mod.c' | sort)

install-dkms:
	rm -rf $(DESTDIR)$(DKMSDIR)
	for f in $(DKMS_FILES); do $(INSTALL) -D -m 644 $$f $(DESTDIR)$(DKMSDIR)/$$f || exit 1; done
ifeq ($(DESTDIR),)
	dkms install edgeai/$(EDGEAI_VERSION)
endif

uninstall-dkms:
ifeq ($(DESTDIR),)
	-dkms remove edgeai/$(EDGEAI_VERSION) --all
endif
	rm -rf $(DESTDIR)$(DKMSDIR)

# ---------------------------------------------------------------- packages
# make deb: the Debian packages of debian/, built by scripts/deb from a
# copy of the tree into build/deb (again only when a file git knows has
# changed); make lintian checks them (once a build).
DEB_OUT := build/deb
DEB_STAMP := $(DEB_OUT)/stamp
DEB_SOURCES := $(wildcard $(shell git ls-files 2>/dev/null))

$(DEB_STAMP): $(DEB_SOURCES)
	scripts/deb $(DEB_OUT)
	touch $@

# lintian runs again only on packages built anew.
$(DEB_OUT)/lintian.ok: $(DEB_STAMP)
	scripts/deb --lintian $(DEB_OUT)
	touch $@

.PHONY: deb lintian
deb: $(DEB_STAMP)
lintian: $(DEB_OUT)/lintian.ok

# ---------------------------------------------------------------- tests
# Host: make install into a scratch DESTDIR, the man pages against --help.
HOST_TESTS += tests/unit/install_test.sh tests/unit/man_test.sh
tests/unit/install_test.sh tests/unit/man_test.sh: $(INSTALL_BINS) $(INSTALL_SBINS)

# VM: the packages installed and used as on a board (t-install.sh), from
# the root tests/vm/stage-root makes of them, with edgeai.ko built by DKMS
# for kernel KERNEL (one root per kernel).
VM_INSTALL := $(BUILD)/vm-install/$(KERNEL)
VM_TESTS += tests/vm/t-install.sh
VM_FILES += $(VM_INSTALL)/edgeai-root $(VM_INSTALL)/edgeai-submit
# Debian's node_exporter (scripts/setup-deps unpacks it into the cache)
# reads edgeai-metrics.service's file back over HTTP.
VM_FILES += $(wildcard $(EDGEAI_CACHE)/node-exporter/usr/bin/prometheus-node-exporter)
$(VM_INSTALL)/stamp: $(DEB_STAMP) tests/vm/stage-root tests/vm/submit.c
	tests/vm/stage-root $(DEB_OUT) $(VM_INSTALL) $(KERNEL)
	touch $@
$(VM_INSTALL)/edgeai-root $(VM_INSTALL)/edgeai-submit: $(VM_INSTALL)/stamp ;
