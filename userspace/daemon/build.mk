# SPDX-License-Identifier: GPL-2.0-only
# edgeaid, the executor daemon, its test models, tests and benchmark.
#
# Arm NN (libarmnn-dev, libarmnntfliteparser-dev) and the OpenCL ICD
# loader (ocl-icd-opencl-dev) are used when their headers are there: the
# build machine's, or for ARCH=arm64 those of the arm64 packages
# scripts/setup-deps unpacks into $(ARM64_ROOT).  Otherwise edgeaid is
# built without them and its armnn backend refuses to start.  Force with
# EDGEAID_ARMNN=0/1, EDGEAID_OPENCL=0/1.

ifneq ($(CROSS_COMPILE),)
EDGEAID_ROOT := $(if $(ARM64_ROOT),$(shell . scripts/lib.sh && arm64_armnn_root))
EDGEAID_INC := $(if $(EDGEAID_ROOT),$(EDGEAID_ROOT)/usr/include,/nonexistent)
else
EDGEAID_INC := /usr/include
endif
EDGEAID_ARMNN ?= $(if $(wildcard $(EDGEAID_INC)/armnn/ArmNN.hpp),1,0)
EDGEAID_OPENCL ?= $(if $(wildcard $(EDGEAID_INC)/CL/cl.h),1,0)
HOSTCC ?= cc
FLATC ?= flatc

EDGEAID := $(BUILD)/bin/edgeaid
# userspace/lib/build.mk is read after this file, so its $(LIBEDGEAI) is
# still empty here: name the library itself.
EDGEAID_LIBEDGEAI := $(BUILD)/lib/libedgeai.a
USER_BINS += $(EDGEAID)

EDGEAID_COMMON := config log tflite bufio sim_cost
EDGEAID_SRCS := main worker backend_sim backend_armnn opencl notify llm llm_session \
	$(EDGEAID_COMMON)
EDGEAID_OBJS := $(EDGEAID_SRCS:%=$(BUILD)/userspace/daemon/%.o)
ifeq ($(EDGEAID_ARMNN),1)
EDGEAID_SHIM := $(BUILD)/userspace/daemon/armnn_shim.o
EDGEAID_LINK := $(CXX)
EDGEAID_LIBS := -larmnn -larmnnTfLiteParser -ldl
else
EDGEAID_SHIM := $(BUILD)/userspace/daemon/armnn_stub.o
EDGEAID_LINK := $(CC)
EDGEAID_LIBS :=
endif
ifeq ($(EDGEAID_OPENCL),1)
EDGEAID_LIBS += -lOpenCL
endif
EDGEAID_LIBS += -lpthread -lm

CFLAGS_userspace/daemon/ := -pthread $(if $(filter 1,$(EDGEAID_OPENCL)),-DEDGEAID_OPENCL)
CXXFLAGS_userspace/daemon/ := -DEDGEAID_MULTIARCH=\"$(shell $(CC) -print-multiarch 2>/dev/null)\"
ifneq ($(CROSS_COMPILE),)
# The unpacked tree's headers after the cross toolchain's own (its C
# library's headers stay the toolchain's); its libraries named by path,
# as that tree has a C library of its own that -L would find.
EDGEAID_LIBDIR := $(EDGEAID_ROOT)/usr/lib/aarch64-linux-gnu
CFLAGS_userspace/daemon/ += -idirafter $(EDGEAID_INC)
CXXFLAGS_userspace/daemon/ += -idirafter $(EDGEAID_INC)
EDGEAID_LIBS := $(patsubst -l%,$(EDGEAID_LIBDIR)/lib%.so,$(filter -larmnn% -lOpenCL,$(EDGEAID_LIBS))) \
	-Wl,-rpath-link,$(EDGEAID_LIBDIR) $(filter-out -larmnn% -lOpenCL,$(EDGEAID_LIBS))
endif

# The sim backend's "board" costs come from the board library.
CFLAGS_userspace/daemon/ += -Iuserspace/board
$(EDGEAID): $(EDGEAID_OBJS) $(EDGEAID_SHIM) $(EDGEAID_LIBEDGEAI) $(BOARD_LIB)
	@mkdir -p $(@D)
	$(EDGEAID_LINK) $(LDFLAGS) -o $@ $^ $(EDGEAID_LIBS) $(BOARD_LDLIBS)

# ---------------------------------------------------------------- test models
# flatc turns each model's JSON description (written by mkmodel, weights
# from a fixed seed) into a .tflite file with our trimmed TFLite schema.
# MODEL_<name> is the layer list (see models/mkmodel.c).

MODEL_convnet := in=16x16x3 conv3x8r dw3r6 max2 conv1x16r avg2 flat fc10 softmax
MODEL_bench := in=24x24x16 conv3x16r conv3x16r conv3x16r conv3x16r conv3x16r conv3x16r
# convnet with an exit head after its first layer (ops 1-4): early exits.
MODEL_exitnet := in=16x16x3 conv3x8r [ avg4 flat fc10 softmax ] dw3r6 max2 conv1x16r avg2 \
	flat fc10 softmax
# A camera's frame for the VM's LLM benchmark (tests/vm/llm_decode_bench.c):
# a few ms a frame on CpuRef under TCG, to fit a 30 FPS period.
MODEL_camnet := in=16x16x3 conv3x4r max2 flat fc10 softmax
EDGEAID_MODELS := $(BUILD)/models/convnet.tflite $(BUILD)/models/bench.tflite \
	$(BUILD)/models/exitnet.tflite $(BUILD)/models/camnet.tflite

MKMODEL := $(BUILD)/host/mkmodel
$(MKMODEL): userspace/daemon/models/mkmodel.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 $(WARN_CFLAGS) -O2 -o $@ $< -lm

$(BUILD)/models/%.json: $(MKMODEL) userspace/daemon/build.mk
	@mkdir -p $(@D)
	$(MKMODEL) $* $(MODEL_$*) > $@.tmp && mv $@.tmp $@

$(BUILD)/models/%.tflite: $(BUILD)/models/%.json userspace/daemon/models/tflite.fbs
	$(FLATC) -b -o $(@D) userspace/daemon/models/tflite.fbs $<

userspace: $(EDGEAID_MODELS)

# ---------------------------------------------------------------- tests

# Only our own test objects see the daemon's headers.
$(BUILD)/tests/unit/edgeaid_%.o: CFLAGS_tests/unit/ += -Iuserspace/daemon \
	-DEDGEAID_MODELS=\"$(CURDIR)/$(BUILD)/models\" \
	-DEDGEAID_EXAMPLE_CONF=\"$(CURDIR)/userspace/daemon/edgeaid.conf.example\"
$(BUILD)/tests/vm/edgeaid_%.o $(BUILD)/tests/vm/bench_%.o $(BUILD)/tests/vm/exits_exec_test.o: \
	CFLAGS_tests/vm/ += -Iuserspace/daemon

HOST_TESTS += $(BUILD)/tests/edgeaid_conf_test
$(BUILD)/tests/edgeaid_conf_test: $(BUILD)/tests/unit/edgeaid_conf_test.o \
		$(BUILD)/userspace/daemon/config.o $(BUILD)/userspace/daemon/sim_cost.o \
		$(BOARD_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)

HOST_TESTS += $(BUILD)/tests/edgeaid_cut_test
$(BUILD)/tests/edgeaid_cut_test: $(BUILD)/tests/unit/edgeaid_cut_test.o \
		$(BUILD)/userspace/daemon/tflite.o $(EDGEAID_SHIM) | $(EDGEAID_MODELS)
	@mkdir -p $(@D)
	$(EDGEAID_LINK) $(LDFLAGS) -o $@ $^ $(EDGEAID_LIBS)

# The decoder of LLM sessions (llm.c); edgeaid runs it for session jobs.
HOST_TESTS += $(BUILD)/tests/edgeaid_llm_test
$(BUILD)/tests/edgeaid_llm_test: $(BUILD)/tests/unit/edgeaid_llm_test.o \
		$(BUILD)/userspace/daemon/llm.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

# edgeaid's run of session stages over memfds, on the host.
HOST_TESTS += $(BUILD)/tests/edgeaid_llm_session_test
$(BUILD)/tests/edgeaid_llm_session_test: $(BUILD)/tests/unit/edgeaid_llm_session_test.o \
		$(BUILD)/userspace/daemon/llm_session.o $(BUILD)/userspace/daemon/llm.o \
		$(EDGEAID_LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

# In the VM: edgeaid decodes an LLM session (issue 22).
VM_TESTS += $(BUILD)/tests/llm_decode_test
$(BUILD)/tests/llm_decode_test: $(BUILD)/tests/vm/llm_decode_test.o \
		$(BUILD)/userspace/daemon/llm_session.o $(BUILD)/userspace/daemon/llm.o \
		$(EDGEAID_LIBEDGEAI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

# In the VM: edgeaid against the real module.  edgeaid_test.modparams and
# edgeaid_test.rootfs (Arm NN's dynamic backend, OpenCL ICD) sit in
# tests/vm/.
VM_TESTS += $(BUILD)/tests/edgeaid_test
VM_FILES += $(EDGEAID) $(BUILD)/models/convnet.tflite
$(BUILD)/tests/edgeaid_test: $(BUILD)/tests/vm/edgeaid_test.o $(BUILD)/userspace/daemon/tflite.o \
		$(EDGEAID_SHIM) $(EDGEAID_LIBEDGEAI)
	@mkdir -p $(@D)
	$(EDGEAID_LINK) $(LDFLAGS) -o $@ $^ $(EDGEAID_LIBS)

# In the VM: early exits end to end, edgeaid running a model with an exit
# head (exits_exec_test.modparams and .rootfs in tests/vm/).
VM_TESTS += $(BUILD)/tests/exits_exec_test
VM_FILES += $(BUILD)/models/exitnet.tflite
$(BUILD)/tests/exits_exec_test: $(BUILD)/tests/vm/exits_exec_test.o \
		$(BUILD)/userspace/daemon/tflite.o $(EDGEAID_SHIM) $(EDGEAID_LIBEDGEAI)
	@mkdir -p $(@D)
	$(EDGEAID_LINK) $(LDFLAGS) -o $@ $^ $(EDGEAID_LIBS)

# ---------------------------------------------------------------- benchmark
# make bench-pipeline: pipelining through edgeai against the whole model
# on one cluster, and edgeaid's per-stage overhead against Arm NN called
# directly, in the VM; writes reports/bench-pipeline.md.

BENCH_PIPELINE := $(BUILD)/tests/bench_pipeline
$(BENCH_PIPELINE): $(BUILD)/tests/vm/bench_pipeline.o $(BUILD)/userspace/daemon/tflite.o \
		$(EDGEAID_SHIM) $(EDGEAID_LIBEDGEAI)
	@mkdir -p $(@D)
	$(EDGEAID_LINK) $(LDFLAGS) -o $@ $^ $(EDGEAID_LIBS)

.PHONY: bench-pipeline
ifeq ($(ARCH),arm64)
# The same in the arm64 VM, on CpuAcc: reports/bench-pipeline-arm64.md.
bench-pipeline: arm64-modules $(EDGEAID) $(BENCH_PIPELINE) $(BUILD)/models/bench.tflite
	scripts/dtbs
	tests/vm/bench-pipeline --arch arm64 $(BUILD)
else
bench-pipeline: modules $(EDGEAID) $(BENCH_PIPELINE) $(BUILD)/models/bench.tflite
	tests/vm/bench-pipeline $(BUILD)
endif

# The service manager notification (Type=notify), against sockets of its own.
HOST_TESTS += $(BUILD)/tests/edgeaid_notify_test
$(BUILD)/tests/edgeaid_notify_test: $(BUILD)/tests/unit/edgeaid_notify_test.o \
		$(BUILD)/userspace/daemon/notify.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^
