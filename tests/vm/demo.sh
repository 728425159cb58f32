#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What `make demo` shows inside the VM.
set -e
echo "== edgeai demo on $(uname -sr)"
insmod /lib/edgeai/edgeai.ko
echo "== edgeai.ko loaded:"
grep '^edgeai ' /proc/modules
echo "== the device:"
ls -l /dev/edgeai
echo "== in sysfs: /sys/class/misc/edgeai"
ls /sys/class/misc/edgeai
rmmod edgeai
echo "== unloaded cleanly"
