# SPDX-License-Identifier: GPL-2.0-only
# kmod/policy/ built for user space from the same files as the module:
# the simulator, the benchmarks and the host tests link this library.

POLICY_SRCS := $(wildcard kmod/policy/*.c)
POLICY_OBJS := $(POLICY_SRCS:%.c=$(BUILD)/%.o)
POLICY_LIB := $(BUILD)/lib/libedgeai-policy.a

$(POLICY_LIB): $(POLICY_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^
