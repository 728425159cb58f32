# SPDX-License-Identifier: GPL-2.0-only
# edgeaictl: show and control edgeai (docs/man/edgeaictl.8).
#
# Everything but main.c goes into a library the host tests link too.
# This fragment is read before userspace/lib/build.mk, so what it takes
# from there ($(LIBEDGEAI), $(LIBEDGEAI_LIBS)) is expanded late: `=` for
# recipes, $$ (secondary expansion) for prerequisites.

CTL_SRCS := $(filter-out userspace/ctl/main.c,$(wildcard userspace/ctl/*.c))
CTL_OBJS := $(CTL_SRCS:%.c=$(BUILD)/%.o)
CTL_LIB := $(BUILD)/lib/libedgeaictl.a
CFLAGS_userspace/ctl/ := $(shell $(PKG_CONFIG) --cflags json-c)
JSONC_LIBS := $(shell $(PKG_CONFIG) --libs json-c)
# Link line of programs built on edgeaictl's library.
CTL_LIBS = $(CTL_LIB) $(LIBEDGEAI) $(LIBEDGEAI_LIBS) $(JSONC_LIBS) -lm

EDGEAICTL := $(BUILD)/bin/edgeaictl
USER_BINS += $(EDGEAICTL)


$(CTL_LIB): $(CTL_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(EDGEAICTL): $(BUILD)/userspace/ctl/main.o $(CTL_LIB) $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(CTL_LIBS)

# ---------------------------------------------------------------- tests

CTL_TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags json-c libnl-3.0 libnl-genl-3.0)
CFLAGS_tests/unit/ += $(CTL_TEST_CFLAGS)

# Host: the command line, the trace writer and timeline, the metrics
# exposition, the netlink decoder, and the
# tool against a sysfs tree made up in a temporary directory.
HOST_TESTS += $(BUILD)/tests/ctl_test $(BUILD)/tests/trace_test $(BUILD)/tests/metrics_test \
	$(BUILD)/tests/event_decode_test \
	tests/unit/ctl_cli_test.sh tests/unit/ctl_man_test.sh
# The scripts run the tool: `make tests` builds it.
tests/unit/ctl_cli_test.sh tests/unit/ctl_man_test.sh: $(EDGEAICTL)
$(BUILD)/tests/ctl_test $(BUILD)/tests/trace_test $(BUILD)/tests/metrics_test: $(BUILD)/tests/%: \
		$(BUILD)/tests/unit/%.o $(CTL_LIB) $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(CTL_LIBS)
$(BUILD)/tests/event_decode_test: $(BUILD)/tests/unit/event_decode_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBEDGEAI) $(LIBEDGEAI_LIBS)

# VM: events and dumps through libedgeai's listener; sysfs writes; the
# ABI document against the files; edgeaictl -j against sysfs under a
# workload; monitor across module reloads.  The VM gets edgeaictl, jq and
# two helpers (a workload and a way to drop privileges).
VM_TESTS += $(BUILD)/tests/events_test $(BUILD)/tests/sysfs_write_test \
	tests/vm/t-sysfs-abi.sh tests/vm/t-ctl.sh tests/vm/t-monitor.sh
VM_FILES += $(EDGEAICTL) $(BUILD)/tests/edgeai-load $(BUILD)/tests/as-nobody \
	/usr/bin/jq docs/ABI/sysfs-class-misc-edgeai

$(BUILD)/tests/events_test: $(BUILD)/tests/vm/events_test.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBEDGEAI) $(LIBEDGEAI_LIBS) -lpthread
$(BUILD)/tests/sysfs_write_test: $(BUILD)/tests/vm/sysfs_write_test.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $<
$(BUILD)/tests/edgeai-load: $(BUILD)/tests/vm/load.o $(LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBEDGEAI) -lpthread
$(BUILD)/tests/as-nobody: $(BUILD)/tests/vm/as_nobody.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $<
