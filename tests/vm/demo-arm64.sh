#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# What `make demo ARCH=arm64` runs inside the arm64 VM (scripts/demo-arm64):
# the demo's real-model application on the board's own Arm NN backend.
# edgeai.ko takes its clusters from the device tree (little, big, gpu; the
# fake cpufreq/devfreq drivers of tests/kmod give them policies), edgeaid
# serves little and big on Arm NN's CpuAcc (NEON), and edgeai-run runs the
# real model on each.  Every figure is measured under QEMU's emulation of
# the CPUs (TCG) and says so: only ratios mean anything.
set -e
export EDGEAI_BOARDS=/tests/boards PATH="/tests:$PATH"
duration=${DURATION:-20}
emu="QEMU TCG emulation of a cortex-a72, not a board"

say() { printf '\n== %s\n' "$*"; }

say "edgeai demo on arm64: $(uname -sr), $(nproc) vCPUs ($emu)"
insmod /lib/edgeai/governor_simpleondemand.ko
insmod /lib/edgeai/edgeai_fakehw.ko cpus_per_policy=3
insmod /lib/edgeai/edgeai.ko governor="${GOV:-deadline}"

cat > /tmp/edgeaid.conf <<CONF
[cluster little]
backend = armnn
armnn_backends = CpuAcc

[cluster big]
backend = armnn
armnn_backends = CpuAcc

[cluster gpu]
backend = none
CONF
say "what edgeaid finds: the device tree's clusters, Arm NN's backends, OpenCL"
edgeaid -c /tmp/edgeaid.conf --list-devices
say "edgeaid: little and big on Arm NN CpuAcc"
edgeaid -c /tmp/edgeaid.conf 2> /tmp/edgeaid.log &
daemon=$!
i=0
while [ $i -lt 100 ] && [ "$(grep -c attached /tmp/edgeaid.log)" -lt 2 ]; do
	sleep 0.2
	i=$((i + 1))
done
cat /tmp/edgeaid.log

say "the real model (convnet.tflite) at 5 FPS on each CPU cluster for ${duration} s"
echo "EMULATED: every figure below is measured under $emu."
edgeai-run apps --duration "$duration" \
	tiny-little:tflite=/tests/convnet.tflite,cluster=little,prio=high,fps=5,deadline=200,cost=20 \
	tiny-big:tflite=/tests/convnet.tflite,cluster=big,prio=high,fps=5,deadline=200,cost=20 |
	sed 's/^/[emulated] /'
echo "EMULATED: the figures above are from $emu; compare clusters by their ratio only."

kill -TERM $daemon
wait $daemon || true
tail -n 3 /tmp/edgeaid.log
rmmod edgeai
rmmod edgeai_fakehw
say "done: edgeai.ko unloaded cleanly"
