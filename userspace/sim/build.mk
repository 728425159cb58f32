# SPDX-License-Identifier: GPL-2.0-only
# edgeai-sim (discrete-event simulator driving kmod/policy) and the
# benchmark suite behind `make bench`.

SIM_SRCS := userspace/sim/sim.c userspace/sim/band.c userspace/sim/eas.c \
	userspace/sim/linux_gov.c userspace/sim/bound.c userspace/sim/svg.c \
	userspace/sim/llm_cost.c userspace/sim/llm_sim.c
SIM_LIB := $(BUILD)/lib/libedgeai-sim.a
CFLAGS_userspace/sim/ := -Iuserspace/board -Iuserspace/planner \
	$(shell $(PKG_CONFIG) --cflags json-c)
SIM_DEPS := $(SIM_LIB) $(PLAN_LIB) $(BOARD_LIB) $(POLICY_LIB)

USER_LIBS += $(SIM_LIB)
USER_BINS += $(BUILD)/bin/edgeai-sim

$(SIM_LIB): $(SIM_SRCS:%.c=$(BUILD)/%.o)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/bin/edgeai-sim: $(BUILD)/userspace/sim/edgeai-sim.o $(SIM_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)

HOST_TESTS += $(BUILD)/tests/sim_test
$(BUILD)/tests/sim_test: $(BUILD)/tests/unit/sim_test.o $(SIM_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)

# `make bench`: regenerate reports/ (seeded, deterministic).
.PHONY: bench
bench: $(BUILD)/bin/edgeai-bench $(BUILD)/bin/edgeai-plan
	scripts/bench $(BUILD)

# `make bench-governor`: the deadline governor against performance on the
# simulated RK3399Pro; writes reports/bench-governor.md.
.PHONY: bench-governor
bench-governor: $(BUILD)/bin/edgeai-bench
	$(BUILD)/bin/edgeai-bench governor rk3399pro reports/bench-governor.md

# `make bench-llm`: LLM sessions beside a camera pipeline on the simulated
# RK3399Pro; writes reports/llm.md.
.PHONY: bench-llm
bench-llm: $(BUILD)/bin/edgeai-bench
	$(BUILD)/bin/edgeai-bench llm rk3399pro reports/llm.md

# The LLM sessions' cost model and simulation, with the real decoder's
# memory traffic (userspace/daemon/llm.c) to check the cost's shape by.
HOST_TESTS += $(BUILD)/tests/llm_sim_test
$(BUILD)/tests/llm_sim_test: $(BUILD)/tests/unit/llm_sim_test.o \
		$(BUILD)/userspace/daemon/llm.o $(SIM_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)

# `make bench-anytime`: anytime jobs (early exits) against no exits and
# dropping late frames on the simulated RK3399Pro under overload; writes
# reports/anytime.md.
.PHONY: bench-anytime
bench-anytime: $(BUILD)/bin/edgeai-bench
	$(BUILD)/bin/edgeai-bench anytime rk3399pro reports/anytime.md

HOST_TESTS += $(BUILD)/tests/sim_exits_test
$(BUILD)/tests/sim_exits_test: $(BUILD)/tests/unit/sim_exits_test.o $(SIM_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)
