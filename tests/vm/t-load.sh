#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# edgeai.ko loads, /dev/edgeai appears and opens, and the module unloads.
. /tests/lib.sh

check "insmod edgeai.ko" insmod /lib/edgeai/edgeai.ko
check "module is listed in /proc/modules" edgeai_loaded
check "/dev/edgeai is a character device" test -c /dev/edgeai
check "misc device is registered" grep -qw edgeai /proc/misc
perm=$(stat -c %a /dev/edgeai)
ok "$([ "$perm" = 660 ]; echo $?)" "/dev/edgeai has mode 0660 (got $perm)"
check "/dev/edgeai opens read-write" sh -c 'exec 3<>/dev/edgeai'
check "rmmod edgeai" rmmod edgeai
check "/dev/edgeai is gone after rmmod" test ! -e /dev/edgeai
check "insmod again after rmmod" insmod /lib/edgeai/edgeai.ko
check "rmmod again" rmmod edgeai

# A GPU listed before the CPU cluster that hosts it (issue 15, item 1):
# every cluster is set up before any governor decides, so the guest's
# first decision finds its host ready (it oopsed, and left the module
# half-loaded).
for gov in performance deadline; do
	check "insmod with the GPU before its host (governor=$gov)" \
		insmod /lib/edgeai/edgeai.ko \
		'clusters=gpu:gpu:200000,800000;big:cpu:600000,1800000' \
		hosts=gpu:big governor=$gov
	host=$(cat /sys/class/misc/edgeai/clusters/gpu/host 2>/dev/null)
	ok "$([ "$host" = big ]; echo $?)" "the GPU's host is big (got '$host')"
	gov_big=$(cat /sys/class/misc/edgeai/clusters/big/governor 2>/dev/null)
	ok "$([ "$gov_big" = $gov ]; echo $?)" "big runs $gov (got '$gov_big')"
	check "rmmod after the GPU-first load ($gov)" rmmod edgeai
done
tap_done
