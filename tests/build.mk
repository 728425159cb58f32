# SPDX-License-Identifier: GPL-2.0-only
# Tests: host unit tests (HOST_TESTS) and tests run inside the VM
# (VM_TESTS).  Each is a program that prints TAP (tests/lib/tap.h or
# tests/vm/lib.sh).

VM_TESTS += tests/vm/t-load.sh

# Run in the arm64 VM (tests/vm/run --arch arm64): t-dt.sh, and the Arm
# NN suite cross-built by `make ARCH=arm64 arm64-tests` (below), with the
# files VM_FILES_ARM64.
ARM64_OUT := $(if $(filter arm64,$(ARCH)),$(BUILD),$(BUILD)/arm64)
VM_TESTS_ARM64 := tests/vm/t-dt.sh $(ARM64_OUT)/tests/armnn_arm64_test
VM_FILES_ARM64 := $(ARM64_OUT)/bin/edgeaid $(ARM64_OUT)/models/convnet.tflite \
	$(ARM64_OUT)/models/bench.tflite

HOST_TESTS += $(BUILD)/tests/policy_test
$(BUILD)/tests/policy_test: $(BUILD)/tests/unit/policy_test.o $(POLICY_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

HOST_TESTS += $(BUILD)/tests/anytime_test
$(BUILD)/tests/anytime_test: $(BUILD)/tests/unit/anytime_test.o $(POLICY_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# Test programs run in the VM link libedgeai.
VM_CFLAGS_LIBS := $(LIBEDGEAI) -lpthread

VM_TESTS += $(BUILD)/tests/broker_test
$(BUILD)/tests/broker_test: $(BUILD)/tests/vm/broker_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

VM_TESTS += $(BUILD)/tests/governor_test
$(BUILD)/tests/governor_test: $(BUILD)/tests/vm/governor_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

CFLAGS_tests/vm/ := $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0)
VM_TESTS += $(BUILD)/tests/netlink_test
$(BUILD)/tests/netlink_test: $(BUILD)/tests/vm/netlink_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS) $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)

VM_TESTS += $(BUILD)/tests/shared_test
$(BUILD)/tests/shared_test: $(BUILD)/tests/vm/shared_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS) $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)

include tests/hardening.mk

# Exits in graphs and anytime jobs (issue 21).
VM_TESTS += $(BUILD)/tests/exits_test
$(BUILD)/tests/exits_test: $(BUILD)/tests/vm/exits_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS) $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)

# LLM sessions: token steps, freezing, lifetime (issue 22).
VM_TESTS += $(BUILD)/tests/sessions_test
$(BUILD)/tests/sessions_test: $(BUILD)/tests/vm/sessions_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS) $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)

# Sessions' buffer-clash rule and its index of inodes (brief k19).
VM_TESTS += $(BUILD)/tests/sessions_clash_test
$(BUILD)/tests/sessions_clash_test: $(BUILD)/tests/vm/sessions_clash_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

# Hostile tests of sessions, exits and their waiters: edge arguments,
# copy-out faults, reserved ids, races, other users (brief adv17).
VM_TESTS += $(BUILD)/tests/hostile_test
$(BUILD)/tests/hostile_test: $(BUILD)/tests/vm/hostile_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

# Hostile tests, second round: the executor protocol, graph lifetime,
# cluster control racing work, rmmod in use (brief adv17b).
VM_TESTS += $(BUILD)/tests/hostile2_test
$(BUILD)/tests/hostile2_test: $(BUILD)/tests/vm/hostile2_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

# Stage alternatives: the table's rules, placement when a stage is ready,
# executor loss, cancel and close of moved stages (issue 17, proposal 7).
VM_TESTS += $(BUILD)/tests/alts_test
$(BUILD)/tests/alts_test: $(BUILD)/tests/vm/alts_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

# Hostile tests of stage alternatives: the table at its bounds, moved
# stages against the executor protocol, sessions, anytime exits, races
# of cancel, destroy, close and executors coming and going (brief adv18).
VM_TESTS += $(BUILD)/tests/alts_hostile_test
$(BUILD)/tests/alts_hostile_test: $(BUILD)/tests/vm/alts_hostile_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

# Adversarial tests of cluster model changes and of strict admission
# under races: the model's shape, SET_MODEL racing admission, concurrent
# strict submissions, refusals, wait_ns in a storm (brief adv19).
VM_TESTS += $(BUILD)/tests/model_race_test
$(BUILD)/tests/model_race_test: $(BUILD)/tests/vm/model_race_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

# The trust boundary between users: measured costs, fair shares, aging,
# memory cgroups, time namespaces (issue 16).
VM_TESTS += $(BUILD)/tests/trust_test
$(BUILD)/tests/trust_test: $(BUILD)/tests/vm/trust_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)

# The arm64 Arm NN suite (armnn_arm64_test.c, with .modparams and .rootfs),
# cross-built against the Arm NN tree scripts/setup-deps unpacks.  make
# check runs its bounded subset (the program's default); make
# check-arm64-armnn the whole suite (tests/vm/armnn-arm64).
ifeq ($(ARCH),arm64)
ARM64_TESTS := $(BUILD)/tests/armnn_arm64_test
$(BUILD)/tests/armnn_arm64_test: $(BUILD)/tests/vm/armnn_arm64_test.o \
		$(BUILD)/userspace/daemon/tflite.o $(EDGEAID_SHIM) $(EDGEAID_LIBEDGEAI)
	@mkdir -p $(@D)
	$(EDGEAID_LINK) $(LDFLAGS) -o $@ $^ $(EDGEAID_LIBS)
$(BUILD)/tests/vm/armnn_arm64_test.o: CFLAGS_tests/vm/ += -Iuserspace/daemon
.PHONY: arm64-tests
arm64-tests: $(ARM64_TESTS) $(EDGEAID) $(EDGEAID_MODELS)
endif

.PHONY: check-arm64-armnn
check-arm64-armnn: arm64-modules
	scripts/dtbs
	$(MAKE) ARCH=arm64 arm64-tests
	tests/vm/armnn-arm64 $(ARM64_OUT)

# The real LLM decoder (userspace/daemon/llm.c) in the VM, alone and beside
# a camera, under Linux's default scheduling and through edgeaid (a session,
# one long job): a benchmark, not one of VM_TESTS; `make bench-llm-vm` runs
# it (tests/vm/llm-decode).
LLM_DECODE_BENCH := $(BUILD)/tests/llm_decode_bench
$(LLM_DECODE_BENCH): $(BUILD)/tests/vm/llm_decode_bench.o \
		$(BUILD)/userspace/daemon/llm_session.o $(BUILD)/userspace/daemon/llm.o \
		$(BUILD)/userspace/daemon/tflite.o $(EDGEAID_LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

.PHONY: bench-llm-vm
bench-llm-vm: modules $(LLM_DECODE_BENCH) $(EDGEAID) $(BUILD)/models/camnet.tflite
	tests/vm/llm-decode $(BUILD)
