# SPDX-License-Identifier: GPL-2.0-only
# edgeai-bench: benchmarks.  `make bench-ctl` runs the job-brokering one
# (issue 4) in the VM and writes reports/bench-ctl.md.
#
# This fragment is read before userspace/lib/ and userspace/common/
# define $(LIBEDGEAI) and $(POLICY_LIB), so prerequisites naming them are
# written $$(...) and expanded a second time, once all is read.

.SECONDEXPANSION:

BENCH_SRCS := $(wildcard userspace/bench/*.c)
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/%.o)
BENCH := $(BUILD)/bin/edgeai-bench
USER_BINS += $(BENCH)

$(BENCH): $(BENCH_OBJS) $$(LIBEDGEAI) $$(POLICY_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# The user-space broker's queue and protocol, on the host.
BENCH_BROKER_OBJS := $(addprefix $(BUILD)/userspace/bench/,pqueue.o ubproto.o ubroker.o ubclient.o)
HOST_TESTS += $(BUILD)/tests/bench_broker_test
$(BUILD)/tests/bench_broker_test: $(BUILD)/tests/unit/bench_broker_test.o \
		$(BENCH_BROKER_OBJS) $$(LIBEDGEAI) $$(POLICY_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

.PHONY: bench-ctl
bench-ctl: modules $(BENCH)
	userspace/bench/bench-ctl $(BENCH)
