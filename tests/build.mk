# SPDX-License-Identifier: GPL-2.0-only
# Tests: host unit tests (HOST_TESTS) and tests run inside the VM
# (VM_TESTS).  Each is a program that prints TAP (tests/lib/tap.h or
# tests/vm/lib.sh).

VM_TESTS += tests/vm/t-load.sh

# Run in the arm64 VM (tests/vm/run --arch arm64): shell only, no C to
# cross-build for them.
VM_TESTS_ARM64 := tests/vm/t-dt.sh

HOST_TESTS += $(BUILD)/tests/policy_test
$(BUILD)/tests/policy_test: $(BUILD)/tests/unit/policy_test.o $(POLICY_LIB)
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

# The trust boundary between users: measured costs, fair shares, aging,
# memory cgroups, time namespaces (issue 16).
VM_TESTS += $(BUILD)/tests/trust_test
$(BUILD)/tests/trust_test: $(BUILD)/tests/vm/trust_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(VM_CFLAGS_LIBS)
