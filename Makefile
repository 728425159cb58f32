# SPDX-License-Identifier: GPL-2.0-only
#
# edgeai top-level build.  `make` builds edgeai.ko and all of user space;
# `make check` sets the machine up and runs every gate and test; `make demo`
# runs the demo in a VM.  See README.md.
#
# The module is built out of tree with kbuild (the file `Kbuild`).  KDIR
# defaults to the headers of kernel KERNEL (6.1, 6.12 or 6.12-rt: Debian's,
# see scripts/lib.sh; 6.1 by default) and is never taken from the running
# kernel: the build host is not a target.
#   make KDIR=/lib/modules/$(uname -r)/build       # on the target board
#   make ARCH=arm64                                # cross, unpacked headers
#   make KERNEL=6.12 modules                       # Debian's 6.12 (unpacked)
#   make kernel-modules KERNEL=6.12 MOD_ARCH=arm64 # into build/modules/6.12-arm64

SHELL := /bin/bash
.DEFAULT_GOAL := all

# Where user-space objects, binaries and test output go.
BUILD ?= build

export EDGEAI_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/edgeai

# The kernel the module is built for, by name (scripts/lib.sh).
KERNEL ?= 6.1

ifeq ($(ARCH),arm64)
CROSS_COMPILE ?= aarch64-linux-gnu-
export CROSS_COMPILE
# The arm64 libraries user space links (libnl, json-c) are unpacked .debs
# in the cache (scripts/setup-deps), found through their pkg-config files.
ARM64_ROOT := $(shell . scripts/lib.sh && arm64_root)
PKG_CONFIG := PKG_CONFIG_SYSROOT_DIR=$(ARM64_ROOT) \
	PKG_CONFIG_LIBDIR=$(ARM64_ROOT)/usr/lib/aarch64-linux-gnu/pkgconfig pkg-config
LDFLAGS += -Wl,-rpath-link,$(ARM64_ROOT)/usr/lib/aarch64-linux-gnu
KDIR ?= $(shell . scripts/lib.sh && kernel_kdir $(KERNEL) arm64)
BUILD := $(BUILD)/arm64
else
KDIR ?= $(shell . scripts/lib.sh && kernel_kdir $(KERNEL) amd64)
endif

KBUILD_ARGS := -C $(KDIR) M=$(CURDIR)

# ---------------------------------------------------------------- module

.PHONY: all modules modules_install clean
all: modules userspace

modules modules_install:
	$(MAKE) $(KBUILD_ARGS) $@

# The module and the test-only modules for kernel KERNEL on MOD_ARCH
# (amd64 or arm64), from a copy of the sources (kept with their times, so
# only changes rebuild) in build/modules/<kernel>-<arch>, so that the
# objects of one kernel do not replace another's: for the VM tests of each
# kernel.  W=, C= and CHECK= given to make apply.
MOD_ARCH ?= amd64
MOD_OUT = build/modules/$(KERNEL)-$(MOD_ARCH)
MOD_KDIR = $(shell . scripts/lib.sh && kernel_kdir $(KERNEL) $(MOD_ARCH))
MOD_CROSS = $(if $(filter arm64,$(MOD_ARCH)),ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
.PHONY: kernel-modules
kernel-modules:
	@test -n "$(MOD_KDIR)"
	mkdir -p $(MOD_OUT)
	@# The sources only (not the in-tree objects beside them), with their
	@# times, so that kbuild rebuilds only what changed.
	find Kbuild kmod include tests/kmod \( -name '*.[ch]' ! -name '*.mod.c' \) -o \
		-name Kbuild -o -name Makefile | cpio -pdmu --quiet $(MOD_OUT)
	$(MAKE) -C $(MOD_KDIR) M=$(CURDIR)/$(MOD_OUT) $(MOD_CROSS) modules
	$(MAKE) -C $(MOD_KDIR) M=$(CURDIR)/$(MOD_OUT)/tests/kmod $(MOD_CROSS) modules

# For the arm64 VM (tests/vm/run --arch arm64, of kernel KERNEL).
.PHONY: arm64-modules
arm64-modules:
	$(MAKE) kernel-modules MOD_ARCH=arm64

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
