# SPDX-License-Identifier: GPL-2.0-only
# libedgeai: the C API over /dev/edgeai.

LIBEDGEAI_SRCS := $(wildcard userspace/lib/*.c)
LIBEDGEAI_OBJS := $(LIBEDGEAI_SRCS:%.c=$(BUILD)/%.o)
LIBEDGEAI := $(BUILD)/lib/libedgeai.a
USER_LIBS += $(LIBEDGEAI)

$(LIBEDGEAI): $(LIBEDGEAI_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^
