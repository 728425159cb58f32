#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The guest side of `make bench-pipeline` (tests/vm/bench-pipeline runs it
# with --smp 2): two virtual CPU clusters of one vCPU each, edgeaid serving
# both on Arm NN CpuRef, then bench_pipeline.
set -e
insmod /lib/edgeai/edgeai.ko "clusters=cpu0:cpu:1000000;cpu1:cpu:1000000"
cat > /tmp/bench.conf <<CONF
[cluster cpu0]
backend = armnn
armnn_backends = CpuRef
cpus = 0
[cluster cpu1]
backend = armnn
armnn_backends = CpuRef
cpus = 1
CONF
/tests/edgeaid --config /tmp/bench.conf 2>/tmp/edgeaid.log &
pid=$!
status=0
# Model, frames, frames in flight, rounds for the overhead.
/tests/bench_pipeline /tests/bench.tflite 24 4 30 || status=$?
kill -TERM $pid
wait $pid || status=1
sed 's/^/# edgeaid: /' /tmp/edgeaid.log
rmmod edgeai
exit $status
