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

# The shared library (make install, the libedgeai1 package): the same
# sources built position-independent into libedgeai.so.1, exporting the
# functions of include/edgeai.h and nothing else, each at version EDGEAI_1
# (libedgeai.map: a function added to the header goes there too, under a
# new version node; tests/unit/install_test.sh checks).  The programs of
# this tree keep linking the static archive.
LIBEDGEAI_SOVERSION := 1
LIBEDGEAI_SONAME := libedgeai.so.$(LIBEDGEAI_SOVERSION)
LIBEDGEAI_SO := $(BUILD)/lib/$(LIBEDGEAI_SONAME).0.0
LIBEDGEAI_PIC_OBJS := $(LIBEDGEAI_SRCS:%.c=$(BUILD)/pic/%.o)
USER_LIBS += $(LIBEDGEAI_SO)

$(BUILD)/pic/userspace/lib/%.o: userspace/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS_userspace/lib/) $(CFLAGS) -fPIC -c -o $@ $<

# The soname link next to it, for programs run from the tree.
$(LIBEDGEAI_SO): $(LIBEDGEAI_PIC_OBJS) userspace/lib/libedgeai.map
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(LIBEDGEAI_SONAME) \
		-Wl,--version-script=userspace/lib/libedgeai.map -Wl,--no-undefined \
		$(LDFLAGS) -o $@ $(LIBEDGEAI_PIC_OBJS) $(LIBEDGEAI_LIBS)
	ln -sf $(notdir $@) $(@D)/$(LIBEDGEAI_SONAME)

# edgeai_graph_create_alts() against a fake ioctl() (the test's own).
HOST_TESTS += $(BUILD)/tests/libedgeai_alts_test
$(BUILD)/tests/libedgeai_alts_test: $(BUILD)/tests/unit/libedgeai_alts_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^
