#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The guest side of `make bench-pipeline ARCH=arm64` (tests/vm/bench-pipeline
# --arch arm64): the device tree's little and big clusters (the fake
# cpufreq/devfreq drivers give them policies), edgeaid serving both on Arm
# NN CpuAcc with its workers on CPU 0 (little) and CPU 3 (big), then
# bench_pipeline with the same set-up for its direct runs.
set -e
insmod /lib/edgeai/governor_simpleondemand.ko
insmod /lib/edgeai/edgeai_fakehw.ko cpus_per_policy=3
insmod /lib/edgeai/edgeai.ko
cat > /tmp/bench.conf <<CONF
[cluster little]
backend = armnn
armnn_backends = CpuAcc
cpus = 0
[cluster big]
backend = armnn
armnn_backends = CpuAcc
cpus = 3
[cluster gpu]
backend = none
CONF
/tests/edgeaid --config /tmp/bench.conf 2>/tmp/edgeaid.log &
pid=$!
status=0
# Model, frames, frames in flight, runs for the medians.
BENCH_BACKEND=CpuAcc BENCH_CLUSTERS=little,big BENCH_CPUS=0,3 \
	/tests/bench_pipeline /tests/bench.tflite 24 4 15 || status=$?
kill -TERM $pid
wait $pid || status=1
sed 's/^/# edgeaid: /' /tmp/edgeaid.log
rmmod edgeai
rmmod edgeai_fakehw
exit $status
