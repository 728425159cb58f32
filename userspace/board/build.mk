# SPDX-License-Identifier: GPL-2.0-only
# libedgeai-board: board profiles from measured data (board.h).

BOARD_SRCS := userspace/board/board.c userspace/board/csv.c
BOARD_LIB := $(BUILD)/lib/libedgeai-board.a
BOARD_LDLIBS := $(shell $(PKG_CONFIG) --libs json-c) -lm
CFLAGS_userspace/board/ := $(shell $(PKG_CONFIG) --cflags json-c)

USER_LIBS += $(BOARD_LIB)

$(BOARD_LIB): $(BOARD_SRCS:%.c=$(BUILD)/%.o)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

HOST_TESTS += $(BUILD)/tests/board_test
$(BUILD)/tests/board_test: $(BUILD)/tests/unit/board_test.o $(BOARD_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)
CFLAGS_tests/unit/ += -Iuserspace/board -Iuserspace/planner -Iuserspace/sim \
	-DEDGEAI_SRCDIR='"$(CURDIR)"'
