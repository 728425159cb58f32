#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debug tier, first: forget what kmemleak suspects from boot, so that the
# scan at the end reports only what the tests left behind.
. /tests/lib.sh
k=/sys/kernel/debug/kmemleak
if [ -w $k ]; then
	echo scan > $k
	echo clear > $k
	ok $? "kmemleak: boot-time suspects cleared"
else
	skip "no kmemleak in this kernel"
fi
grep -q 'debug_locks: *1' /proc/lockdep_stats 2>/dev/null
ok $? "lockdep is on"
tap_done
