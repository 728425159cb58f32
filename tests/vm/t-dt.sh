#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# arm64 VM (tests/vm/run --arch arm64): Debian's arm64 kernel booted with
# dts/qemu-virt-edgeai.dts.  edgeai.ko must bind to the device tree's
# edgeai node and build its clusters from it: two CPU clusters from the cpu
# phandles (their cpufreq policies come from tests/kmod/edgeai_fakehw.ko)
# and the GPU through its phandle, each in the control mode edgeai,mode
# gives it (little and gpu exclusive, big shared by default); then hold the
# exclusive ones through the QoS requests as on x86, and leave the shared
# one alone while it has no work.
. /tests/lib.sh

CL=/sys/class/misc/edgeai/clusters
POL=/sys/devices/system/cpu/cpufreq

is() {
	# is DESCRIPTION FILE EXPECTED
	got=$(cat "$2" 2>/dev/null)
	[ "$got" = "$3" ]
	ok $? "$1 ($2: '$got', want '$3')"
}

# Poll: the fake drivers apply frequencies asynchronously.
settle() {
	i=0
	while [ $i -lt 100 ] && [ "$(cat "$2" 2>/dev/null)" != "$3" ]; do
		sleep 0.05
		i=$((i + 1))
	done
	is "$1" "$2" "$3"
}

check "uname is aarch64" sh -c '[ "$(uname -m)" = aarch64 ]'
check "the device tree has the edgeai node" test -e /proc/device-tree/edgeai/compatible
is "CPU 0 is LITTLE by the tree's capacity" /sys/devices/system/cpu/cpu0/cpu_capacity 512
is "CPU 3 is big" /sys/devices/system/cpu/cpu3/cpu_capacity 1024
# A module on 6.1; built in on arm64 6.12, where tests/vm/run ships no
# file (the fake GPU's devfreq device below needs it either way).
[ -e /lib/edgeai/governor_simpleondemand.ko ] &&
	check "simple_ondemand loads" insmod /lib/edgeai/governor_simpleondemand.ko
check "fake cpufreq/devfreq (3 CPUs per policy) loads" \
	insmod /lib/edgeai/edgeai_fakehw.ko cpus_per_policy=3
check "the fake GPU bound to the tree's edgeai,fake-gpu node" \
	test -e /sys/bus/platform/drivers/edgeai-fake-gpu/gpu
check "edgeai.ko loads" insmod /lib/edgeai/edgeai.ko
check "edgeai's platform driver bound to the edgeai node" \
	test -e /sys/bus/platform/drivers/edgeai/edgeai
check "/dev/edgeai exists" test -c /dev/edgeai
n=$(ls $CL | wc -l)
ok "$([ "$n" = 3 ]; echo $?)" "three clusters from the tree ($(ls $CL | tr '\n' ' '))"
is "little: CPUs from its cpu phandles" $CL/little/cpus 0-2
is "big: CPUs from its cpu phandles" $CL/big/cpus 3-5
is "little is held through cpufreq" $CL/little/control cpufreq
is "gpu is held through devfreq" $CL/gpu/control devfreq
is "gpu's host from edgeai,host" $CL/gpu/host big
is "little's switch cost from the tree" $CL/little/switch_cost_us "1700 300"
is "big's switch cost from the tree" $CL/big/switch_cost_us "2300 400"
is "gpu's power from the tree" $CL/gpu/power "300 500 800 1200 idle:0"
is "little's idle power from the tree" $CL/little/power "0 0 0 0 idle:20"
is "little steps from policy0" $CL/little/available_frequencies "400000 800000 1200000 1600000"
is "little: exclusive from edgeai,mode" $CL/little/mode exclusive
is "gpu: exclusive from edgeai,mode" $CL/gpu/mode exclusive
is "big: shared without edgeai,mode" $CL/big/mode shared

echo powersave > $CL/little/governor
settle "powersave: policy0 capped at 400 MHz" $POL/policy0/scaling_max_freq 400000
is "powersave: policy0 floor 400 MHz" $POL/policy0/scaling_min_freq 400000
echo powersave > $CL/gpu/governor
settle "powersave: gpu devfreq capped at 200 MHz" /sys/class/devfreq/gpu/max_freq 200000000
echo userspace > $CL/big/governor
echo 1800000 > $CL/big/setspeed
is "shared big, idle, userspace 1800 MHz: no floor" $POL/policy3/scaling_min_freq 600000
is "... and no ceiling" $POL/policy3/scaling_max_freq 2400000
is "... edgeai asks nothing" $CL/big/requested_freq 0
echo exclusive > $CL/big/mode
settle "big made exclusive: policy3 held at 1800 MHz" $POL/policy3/scaling_max_freq 1800000
settle "... and the fake driver runs it" /sys/kernel/debug/edgeai_fakehw/policy3_khz 1800000
echo performance > $CL/little/governor
settle "performance: policy0 back at 1600 MHz" $POL/policy0/scaling_min_freq 1600000

check "rmmod edgeai" rmmod edgeai
settle "policy0 limits back to the hardware's" $POL/policy0/scaling_min_freq 400000
is "devfreq limits back to the device's" /sys/class/devfreq/gpu/max_freq 800000000
check "rmmod the fake drivers" rmmod edgeai_fakehw
check "edgeai.ko loads again without its policies and waits (deferred probe)" \
	insmod /lib/edgeai/edgeai.ko
check "... no /dev/edgeai while the policies are missing" test ! -e /dev/edgeai
check "fake drivers back" insmod /lib/edgeai/edgeai_fakehw.ko cpus_per_policy=3
# The driver core retries deferred probes from a work item: allow it time.
i=0
while [ $i -lt 600 ] && [ ! -c /dev/edgeai ]; do
	sleep 0.05
	i=$((i + 1))
done
check "... the deferred probe completes: /dev/edgeai" test -c /dev/edgeai
check "rmmod edgeai" rmmod edgeai
check "rmmod the fake drivers" rmmod edgeai_fakehw
tap_done
