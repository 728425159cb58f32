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
tap_done
