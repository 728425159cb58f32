# SPDX-License-Identifier: GPL-2.0-only
# libedgeai: the C API over /dev/edgeai, and its netlink event listener.
#
# A program that calls the listener (edgeai_listener_*) links
# $(LIBEDGEAI_LIBS) after $(LIBEDGEAI); the rest of the library needs only
# libc, so programs that do not listen link as before (a static archive
# brings in only the objects a program uses).

LIBEDGEAI_SRCS := $(wildcard userspace/lib/*.c)
LIBEDGEAI_OBJS := $(LIBEDGEAI_SRCS:%.c=$(BUILD)/%.o)
LIBEDGEAI := $(BUILD)/lib/libedgeai.a
USER_LIBS += $(LIBEDGEAI)

LIBNL_PKGS := libnl-genl-3.0 libnl-3.0
CFLAGS_userspace/lib/ := $(shell $(PKG_CONFIG) --cflags $(LIBNL_PKGS))
LIBEDGEAI_LIBS := $(shell $(PKG_CONFIG) --libs $(LIBNL_PKGS))

$(LIBEDGEAI): $(LIBEDGEAI_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^
