# SPDX-License-Identifier: GPL-2.0-only
# edgeai-bench: benchmarks.  `make bench-ctl` runs the job-brokering one
# (issue 4) in the VM and writes reports/bench-ctl.md.
#
# This fragment is read before userspace/sim/ defines $(SIM_DEPS), so
# prerequisites naming it are written $$(...) and expanded a second time,
# once all is read.

.SECONDEXPANSION:

BENCH_SRCS := $(wildcard userspace/bench/*.c)
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/%.o)
BENCH := $(BUILD)/bin/edgeai-bench
USER_BINS += $(BENCH)

# The simulator's benchmarks (userspace/sim/) are commands of it too.
BENCH_SIM_OBJS := $(BUILD)/userspace/sim/bench.o $(BUILD)/userspace/sim/bench_governor.o \
	$(BUILD)/userspace/sim/bench_llm.o $(BUILD)/userspace/sim/bench_anytime.o
$(BENCH): $(BENCH_OBJS) $(BENCH_SIM_OBJS) $(LIBEDGEAI) $$(SIM_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)

# The user-space broker's queue and protocol, on the host.
BENCH_BROKER_OBJS := $(addprefix $(BUILD)/userspace/bench/,pqueue.o ubproto.o ubroker.o ubclient.o)
HOST_TESTS += $(BUILD)/tests/bench_broker_test
$(BUILD)/tests/bench_broker_test: $(BUILD)/tests/unit/bench_broker_test.o \
		$(BENCH_BROKER_OBJS) $(LIBEDGEAI) $(POLICY_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

.PHONY: bench-ctl
bench-ctl: modules $(BENCH)
	userspace/bench/bench-ctl $(BENCH)
