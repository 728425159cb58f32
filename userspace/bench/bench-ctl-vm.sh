#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The guest's job for `make bench-ctl` (run by tests/vm/run --script):
# load edgeai.ko with what the benchmark needs, run edgeai-bench ctl,
# unload.  Extra arguments for the benchmark may come in
# /tests/bench-ctl.args.
#
# Four virtual clusters like an RK3588's (LITTLE, big, GPU, NPU), one null
# executor each; max_jobs_per_uid room for the 10,000 queued jobs of the
# submit cost plus a batch.
params='clusters=little:cpu:408000,1200000,1800000;big:cpu:408000,1800000,2400000;gpu:gpu:300000,1000000;npu:npu:300000,1000000 max_jobs_per_uid=20000 max_stages=16 max_buffers=16'
args=
[ -r /tests/bench-ctl.args ] && args=$(cat /tests/bench-ctl.args)

echo "guest: $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "module parameters: $params"
# shellcheck disable=SC2086
insmod /lib/edgeai/edgeai.ko $params || { echo "error: insmod failed"; exit 1; }
# shellcheck disable=SC2086
/tests/edgeai-bench ctl $args
rc=$?
rmmod edgeai || echo "error: rmmod failed"
exit $rc
