# SPDX-License-Identifier: GPL-2.0-only
# Hardening (issue 10): the ioctl and netlink fuzzer, the stress test, the
# permissions matrix, the debug-kernel tier and the user-space sanitizer
# runs.  A bounded, fixed-seed part of each runs in `make check`; the
# long runs have their own targets:
#
#   make fuzz     [FUZZ_SEED=0x.. FUZZ_CALLS=N FUZZ_TIME=S FUZZ_PROCS=P FUZZ_THREADS=T]
#   make stress   [STRESS_SEED=0x.. STRESS_TIME=S]
#   make check-debug

FUZZ_SRCS := tests/fuzz/edgeai-fuzz.c tests/fuzz/fuzz_ioctl.c tests/fuzz/fuzz_netlink.c
FUZZ_BIN := $(BUILD)/tests/edgeai-fuzz
$(FUZZ_BIN): $(FUZZ_SRCS:%.c=$(BUILD)/%.o)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lpthread

VM_FILES += $(FUZZ_BIN)
VM_TESTS += tests/fuzz/fuzz-quick.sh

# The module's parameters for the long runs: small limits, so that they
# are reached often.
HARD_MODPARAMS := clusters=little:cpu:400000,800000,1400000;big:cpu:600000,1800000;gpu:gpu:200000,800000;npu:npu:800000 hosts=gpu:big;npu:big max_stages=4 max_buffers=4 max_graphs_per_fd=6 max_jobs_per_uid=64 max_retries=1

FUZZ_SEED ?= $(shell od -An -N8 -tx8 /dev/urandom | tr -d ' \n' | sed 's/^/0x/')
FUZZ_CALLS ?= 400000
FUZZ_TIME ?= 900
FUZZ_PROCS ?= 6
FUZZ_THREADS ?= 4
FUZZ_FAULT ?= 0

.PHONY: fuzz
fuzz: modules test-modules $(FUZZ_BIN)
	tests/fuzz/vm-run --timeout $$(($(FUZZ_TIME) + 600)) fuzz '$(HARD_MODPARAMS)' \
		$(FUZZ_BIN) -s $(FUZZ_SEED) -n $(FUZZ_CALLS) -t $(FUZZ_TIME) \
		-p $(FUZZ_PROCS) -T $(FUZZ_THREADS) -f $(FUZZ_FAULT)

# Regression tests of what hardening found in the module.
VM_TESTS += $(BUILD)/tests/findings_test
$(BUILD)/tests/findings_test: $(BUILD)/tests/vm/findings_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

# Regression tests of the defects found from outside (issue 15).
VM_TESTS += $(BUILD)/tests/defects_test
$(BUILD)/tests/defects_test: $(BUILD)/tests/vm/defects_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

STRESS_BIN := $(BUILD)/tests/edgeai-stress
$(STRESS_BIN): $(BUILD)/tests/fuzz/edgeai-stress.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lpthread

VM_FILES += $(STRESS_BIN)
VM_TESTS += tests/fuzz/stress-quick.sh

STRESS_SEED ?= $(shell od -An -N8 -tx8 /dev/urandom | tr -d ' \n' | sed 's/^/0x/')
STRESS_TIME ?= 300
STRESS_SUBMITTERS ?= 8
STRESS_EXECUTORS ?= 2

.PHONY: stress
stress: modules test-modules $(STRESS_BIN)
	tests/fuzz/vm-run --timeout $$(($(STRESS_TIME) + 600)) stress '$(HARD_MODPARAMS)' \
		$(STRESS_BIN) -s $(STRESS_SEED) -t $(STRESS_TIME) -S $(STRESS_SUBMITTERS) \
		-E $(STRESS_EXECUTORS)

# Who may do what: the permissions matrix.
VM_TESTS += $(BUILD)/tests/perm_test
$(BUILD)/tests/perm_test: $(BUILD)/tests/vm/perm_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

# libedgeai against no device, the wrong device and odd arguments; run
# plain here, and under ASan/UBSan and valgrind by the userspace check.
HOST_TESTS += $(BUILD)/tests/libedgeai_hostile_test
$(BUILD)/tests/libedgeai_hostile_test: $(BUILD)/tests/unit/libedgeai_hostile_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# User space built with AddressSanitizer and UBSan, into $(BUILD)/asan:
# the tools and libedgeai's hostile test, for tests/hardening/userspace.sh.
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
.PHONY: asan
asan:
	+$(MAKE) --no-print-directory BUILD=$(BUILD)/asan CFLAGS="-O1 -g $(SAN_FLAGS)" \
		CXXFLAGS="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
		userspace $(BUILD)/asan/tests/libedgeai_hostile_test \
		$(BUILD)/asan/tests/edgeaid_tflite_fuzz_test

HOST_TESTS += $(BUILD)/tests/userspace_sanitized
$(BUILD)/tests/userspace_sanitized: tests/hardening/userspace.sh asan \
		$(BUILD)/tests/libedgeai_hostile_test $(USER_BINS)
	@mkdir -p $(@D)
	install -m 755 $< $@

# More random damage to the board files than make check does.
.PHONY: fuzz-userspace
fuzz-userspace: $(BUILD)/tests/userspace_sanitized
	$(BUILD)/tests/userspace_sanitized 200

# Loads the module with each allocation of its init failing in turn; a
# debug-tier test (fault injection), SKIP on kernels without it.
$(BUILD)/tests/edgeai-faultload: $(BUILD)/tests/fuzz/edgeai-faultload.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# The debug-kernel tier: KASAN, lockdep, kmemleak and friends.  Not in
# make check (the kernel takes ~40 min to build on 2 cores, once).
.PHONY: check-debug
check-debug: setup
	scripts/check-debug

# kmod/policy at the edges of what the ABI accepts.
HOST_TESTS += $(BUILD)/tests/policy_limits_test
$(BUILD)/tests/policy_limits_test: $(BUILD)/tests/unit/policy_limits_test.o $(POLICY_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# edgeaid's .tflite reader against every prefix and seeded damage of a
# real model; plain here, under ASan/UBSan in the userspace check.
HOST_TESTS += $(BUILD)/tests/edgeaid_tflite_fuzz_test
$(BUILD)/tests/edgeaid_tflite_fuzz_test: $(BUILD)/tests/unit/edgeaid_tflite_fuzz_test.o \
		$(BUILD)/userspace/daemon/tflite.o | $(EDGEAID_MODELS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^
