#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# What `make demo` runs inside the VM: a simulated RK3399Pro (virtual
# clusters and a sim executor calibrated by the measured data in
# data/boards/rk3399pro), shared by four applications of different
# priorities, one of them a real model on Arm NN.
set -e
export EDGEAI_BOARDS=/tests/boards PATH=/tests:$PATH
duration=30

say() { printf '\n== %s\n' "$*"; }

say "edgeai demo: a simulated RK3399Pro in QEMU ($(uname -sr), $(nproc) vCPUs)"
params=$(edgeai-run modparams)
echo "module parameters from the board profile: $params"
insmod /lib/edgeai/edgeai.ko $params governor=${GOV:-deadline}
edgeai-run setup

cat > /tmp/edgeaid.conf <<CONF
[daemon]
board = rk3399pro

[defaults]
backend = sim
sim_cost = board

[cluster little]
backend = armnn
armnn_backends = CpuRef
CONF
say "edgeaid: every cluster simulated from the measured layers; LITTLE also runs real models on Arm NN (CpuRef)"
edgeaid -c /tmp/edgeaid.conf 2> /tmp/edgeaid.log &
daemon=$!
sleep 1
cat /tmp/edgeaid.log
edgeaictl clusters

say "four applications for ${duration} s; the live view refreshes every 3 s"
cat <<TEXT
  camera  realtime    MobileNetV1 at 30 FPS, 33 ms deadline, pipelined over GPU, big, NPU
  tiny    high        a real model (tests' convnet.tflite) on Arm NN on LITTLE, 1 FPS
  resnet  normal      ResNet-50 at 1 FPS on LITTLE, 1 s deadline
  batch   background  SqueezeNet, 2 jobs always in flight, on big and LITTLE
By the measured layers no placement of MobileNetV1 finishes in 33 ms on this
board (the fastest takes about 72 ms, on the NPU): every camera frame is late,
but the pipeline holds the frame rate and the camera gets each cluster first.
TEXT
edgeaictl top -d 3s -n $((duration / 3)) &
top=$!
edgeai-run apps --duration $duration --json /tmp/demo.json \
	camera:model=MobileV1,goal=throughput,elements=GBN,prio=realtime,fps=30,deadline=33 \
	tiny:tflite=/tests/convnet.tflite,cluster=little,prio=high,fps=1,deadline=1000,cost=50 \
	resnet:model=ResV1_50,goal=latency,elements=L,prio=normal,fps=1,deadline=1000 \
	batch:model=SqueezeV1,goal=latency,elements=LB,prio=background,batch=2 || true
echo "(deadline governor on every cluster; the same run under 'performance' uses more energy: see README)"
wait $top || true

say "afterwards"
edgeaictl status
kill -TERM $daemon
wait $daemon || true
tail -n 6 /tmp/edgeaid.log
rmmod edgeai
say "done: edgeai.ko unloaded cleanly"
