#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# What `make demo` runs inside the VM: a simulated RK3399Pro (virtual
# clusters and a sim executor calibrated by the measured data in
# data/boards/rk3399pro) shared by four applications, one of them a real
# model on Arm NN, twice: as the board would run them without edgeai's
# arbitration, then with it.  The two runs' summaries and traces go back
# to the host (vm_export) for scripts/demo's picture.
set -e
. /tests/lib.sh
export EDGEAI_BOARDS=/tests/boards PATH=/tests:$PATH
duration=${DEMO_SECONDS:-20}

say() { printf '\n== %s\n' "$*"; }

say "edgeai demo: a simulated RK3399Pro in QEMU ($(uname -sr), $(nproc) vCPUs)"
params=$(edgeai-run modparams)
echo "module parameters from the board profile: $params"
insmod /lib/edgeai/edgeai.ko $params governor=deadline
edgeai-run setup

sim_board_conf /tmp/edgeaid.conf "[cluster little]
backend = armnn
armnn_backends = CpuRef"
say "edgeaid: every cluster simulated from the measured layers; LITTLE also runs a real model on Arm NN (CpuRef)"
edgeaid -c /tmp/edgeaid.conf 2> /tmp/edgeaid.log &
daemon=$!
sleep 1
cat /tmp/edgeaid.log
edgeaictl clusters

# Deadlines are multiples of each plan's predicted latency on this board:
# every one can be met when the application runs alone, so what the runs
# show is what sharing the board does.
apps="camera:model=MobileV1,goal=throughput,elements=GBN,prio=realtime,fps=10,deadline=3x
tiny:tflite=/tests/convnet.tflite,cluster=little,prio=high,fps=2,deadline=600,cost=50
resnet:model=ResV1_50,goal=latency,elements=LB,prio=normal,fps=1,deadline=2x
batch:model=SqueezeV1,goal=latency,elements=LB,prio=background,batch=2"
cat <<TEXT

The workload, ${duration} s per run:
  camera  realtime    MobileNetV1 at 10 FPS pipelined over GPU, big and NPU, deadline 3x its latency
  tiny    high        a real model (tests' convnet.tflite) on Arm NN on LITTLE, 2 FPS, 600 ms deadline
  resnet  normal      ResNet-50 at 1 FPS over LITTLE and big, deadline 2x its latency
  batch   background  SqueezeNet over LITTLE and big, 2 jobs always in flight
TEXT

# run LABEL OPTIONS...: one run with a trace of it.
run() {
	label=$1
	shift
	edgeaictl trace -t $((duration + 3))s -o "/tmp/trace-$label.json" > /tmp/trace.log 2>&1 &
	tracer=$!
	# shellcheck disable=SC2086
	edgeai-run apps --duration "$duration" --json "/tmp/$label.json" --label "$label" "$@" \
		$apps > "/tmp/run-$label.log" 2>&1 || true
	wait $tracer || true
	grep -v '^ *[0-9]* *s ' "/tmp/run-$label.log" | sed -n '/^app /,$p'
	cat /tmp/trace.log
}

say "run 1, without edgeai: every job first come, first served on each cluster (no priorities, no deadlines given to the kernel, no admission), Linux's governors (schedutil on CPUs, simple_ondemand on GPU/NPU)"
run without --fcfs --util-governor

say "run 2, with edgeai: priorities, deadlines, strict admission, late frames cancelled, the deadline governor on every cluster"
run with --admit

say "side by side"
edgeai-run compare /tmp/without.json /tmp/with.json

kill -TERM $daemon
wait $daemon || true
rmmod edgeai
say "done: edgeai.ko unloaded cleanly"
for f in /tmp/without.json /tmp/with.json /tmp/trace-without.json /tmp/trace-with.json; do
	vm_export "$f"
done
