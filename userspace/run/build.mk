# SPDX-License-Identifier: GPL-2.0-only
# edgeai-run: applications on edgeai (the demo's workload), from a board
# profile's models planned by libedgeai-plan, or real .tflite models;
# utilgov.c is its schedutil-like governor, compare.c its table of two runs.

EDGEAI_RUN := $(BUILD)/bin/edgeai-run
USER_BINS += $(EDGEAI_RUN)
CFLAGS_userspace/run/ := -Iuserspace/board -Iuserspace/planner -Iuserspace/daemon \
	$(shell $(PKG_CONFIG) --cflags json-c)
EDGEAI_RUN_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard userspace/run/*.c))

$(EDGEAI_RUN): $(EDGEAI_RUN_OBJS) $(BUILD)/userspace/daemon/tflite.o \
		$(PLAN_LIB) $(BOARD_LIB) $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BOARD_LDLIBS) -lpthread -lm

# The VM test of its fallback graphs (issue 17) runs it with edgeaid's sim
# backend on the board profile's virtual clusters.
VM_TESTS += tests/vm/t-fallback.sh
VM_FILES += $(EDGEAI_RUN) data/boards
