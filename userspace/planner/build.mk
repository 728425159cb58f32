# SPDX-License-Identifier: GPL-2.0-only
# libplan (cost model, planners, cross-validation) and edgeai-plan.

PLAN_SRCS := userspace/planner/plan.c userspace/planner/multi.c \
	userspace/planner/accuracy.c userspace/planner/variants.c \
	userspace/planner/crossval.c userspace/planner/fallback.c
PLAN_LIB := $(BUILD)/lib/libedgeai-plan.a
CFLAGS_userspace/planner/ := -Iuserspace/board $(shell $(PKG_CONFIG) --cflags json-c)

USER_LIBS += $(PLAN_LIB)
USER_BINS += $(BUILD)/bin/edgeai-plan

$(PLAN_LIB): $(PLAN_SRCS:%.c=$(BUILD)/%.o)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/bin/edgeai-plan: $(BUILD)/userspace/planner/edgeai-plan.o $(PLAN_LIB) $(BOARD_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)

HOST_TESTS += $(BUILD)/tests/plan_test
$(BUILD)/tests/plan_test: $(BUILD)/tests/unit/plan_test.o $(PLAN_LIB) $(BOARD_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)

HOST_TESTS += $(BUILD)/tests/variants_test
$(BUILD)/tests/variants_test: $(BUILD)/tests/unit/variants_test.o $(PLAN_LIB) $(BOARD_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)
