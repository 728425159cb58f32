# SPDX-License-Identifier: GPL-2.0-only
#
# edgeai top-level build.  `make` builds edgeai.ko and all of user space;
# `make check` sets the machine up and runs every gate and test; `make demo`
# runs the demo in a VM.  See README.md.
#
# The module is built out of tree with kbuild (the file `Kbuild`).  KDIR
# defaults to the newest Debian 6.1 headers installed under /usr/src and is
# never taken from the running kernel: the build host is not a target.
#   make KDIR=/lib/modules/$(uname -r)/build       # on the target board
#   make ARCH=arm64                                # cross, unpacked headers

SHELL := /bin/bash
.DEFAULT_GOAL := all

# Where user-space objects, binaries and test output go.
BUILD ?= build

export EDGEAI_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/edgeai

ifeq ($(ARCH),arm64)
CROSS_COMPILE ?= aarch64-linux-gnu-
export CROSS_COMPILE
# The arm64 libraries user space links (libnl, json-c) are unpacked .debs
# in the cache (scripts/setup-deps), found through their pkg-config files.
ARM64_ROOT := $(shell . scripts/lib.sh && arm64_root)
PKG_CONFIG := PKG_CONFIG_SYSROOT_DIR=$(ARM64_ROOT) \
	PKG_CONFIG_LIBDIR=$(ARM64_ROOT)/usr/lib/aarch64-linux-gnu/pkgconfig pkg-config
LDFLAGS += -Wl,-rpath-link,$(ARM64_ROOT)/usr/lib/aarch64-linux-gnu
KDIR ?= $(shell . scripts/lib.sh && r=$$(arm64_root) && k=$$(amd64_kver) && \
	echo "$$r/usr/src/linux-headers-$${k%-amd64}-arm64")
BUILD := $(BUILD)/arm64
else
KDIR ?= $(shell . scripts/lib.sh && echo "/usr/src/linux-headers-$$(amd64_kver)")
endif

KBUILD_ARGS := -C $(KDIR) M=$(CURDIR)

# ---------------------------------------------------------------- module

.PHONY: all modules modules_install clean
all: modules userspace

modules modules_install:
	$(MAKE) $(KBUILD_ARGS) $@

# The module and the test-only modules cross-built for arm64, from a copy of
# the sources (kept with their times, so only changes rebuild) so that the
# objects do not replace the amd64 ones: for the arm64 VM test.
ARM64_KDIR = $(shell . scripts/lib.sh && r=$$(arm64_root) && k=$$(amd64_kver) && \
	echo "$$r/usr/src/linux-headers-$${k%-amd64}-arm64")
ARM64_MOD := build/arm64-module
.PHONY: arm64-modules
arm64-modules:
	mkdir -p $(ARM64_MOD)
	@# The sources only (not the amd64 objects beside them), with their
	@# times, so that kbuild rebuilds only what changed.
	find Kbuild kmod include tests/kmod \( -name '*.[ch]' ! -name '*.mod.c' \) -o \
		-name Kbuild -o -name Makefile | cpio -pdmu --quiet $(ARM64_MOD)
	$(MAKE) -C $(ARM64_KDIR) M=$(CURDIR)/$(ARM64_MOD) ARCH=arm64 \
		CROSS_COMPILE=aarch64-linux-gnu- $(if $(W),W=$(W)) modules
	$(MAKE) -C $(ARM64_KDIR) M=$(CURDIR)/$(ARM64_MOD)/tests/kmod ARCH=arm64 \
		CROSS_COMPILE=aarch64-linux-gnu- $(if $(W),W=$(W)) modules

# Test-only modules (tests/kmod/): built for the VM tests, never installed.
.PHONY: test-modules
test-modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/kmod modules

# ---------------------------------------------------------------- user space

ifneq ($(CROSS_COMPILE),)
CC := $(CROSS_COMPILE)gcc
CXX := $(CROSS_COMPILE)g++
AR := $(CROSS_COMPILE)ar
endif
PKG_CONFIG ?= pkg-config

CFLAGS ?= -O2 -g
CXXFLAGS ?= -O2 -g
# Every user-space C file is built with these; fragments may add per
# directory flags as CFLAGS_<dir>/ (e.g. CFLAGS_userspace/lib/).
WARN_CFLAGS := -Wall -Wextra -Werror
BASE_CFLAGS := -std=gnu11 $(WARN_CFLAGS) -D_GNU_SOURCE -Iinclude -Iinclude/uapi -Iuserspace/common \
	-I$(BUILD)/gen \
	-MMD -MP
BASE_CXXFLAGS := -std=c++14 $(WARN_CFLAGS) -D_GNU_SOURCE -Iinclude -Iinclude/uapi -MMD -MP

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS_$(dir $<)) $(CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.cpp
	@mkdir -p $(@D)
	$(CXX) $(BASE_CXXFLAGS) $(CXXFLAGS_$(dir $<)) $(CXXFLAGS) -c -o $@ $<

# Fragments append to these.
USER_BINS :=		# installed programs
USER_LIBS :=		# installed libraries
HOST_TESTS :=		# run on the build host, print TAP
VM_TESTS :=		# copied into the VM and run there, print TAP
VM_FILES :=		# other files the VM tests need (copied as is)

# The libraries first: the programs' fragments link them.
include userspace/common/build.mk userspace/lib/build.mk
include $(sort $(filter-out userspace/common/build.mk userspace/lib/build.mk,\
	$(wildcard userspace/*/build.mk)))
include tests/build.mk
# make install, make install-dkms: after the fragments, whose files it installs.
include dist/install.mk

.PHONY: userspace tests
userspace: $(USER_LIBS) $(USER_BINS)
tests: $(HOST_TESTS) $(VM_TESTS) $(VM_FILES) test-modules

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)

clean:
	-$(MAKE) $(KBUILD_ARGS) clean
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/kmod clean
	rm -rf $(BUILD)

# ---------------------------------------------------------------- tests, demo

# Device trees of dts/ (board overlays, the arm64 test VM's tree).
.PHONY: dtbs
dtbs:
	scripts/dtbs

.PHONY: setup check demo vm-shell
setup:
	scripts/setup-deps

# The README's test command: installs what it needs, runs every gate and
# test, ends with "N passed, N failed, N skipped".  FRESH=1 boots the VMs
# even when nothing they would see changed.
check: setup
	scripts/check $(if $(FRESH),--fresh)

# The README's demo command; ARCH=arm64 runs its real-model application
# in the arm64 VM on Arm NN's CpuAcc (scripts/demo-arm64).
demo: setup
	$(if $(filter arm64,$(ARCH)),scripts/demo-arm64,scripts/demo)

# The VM the tests use, with a shell on the console (exit with poweroff -f).
vm-shell: all tests
	tests/vm/run --shell

# `make print-VAR` prints a variable (scripts/check reads the test lists).
print-%:
	@echo $($*)
