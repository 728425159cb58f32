#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debug tier, last: after every test (the module unloaded), kmemleak must
# find nothing unreferenced, lockdep must still be on (a report turns it
# off), and KASAN, UBSAN, lockdep and the debug objects must have said
# nothing.  (Any other warning or BUG is the harness's log check.)
. /tests/lib.sh
k=/sys/kernel/debug/kmemleak
if [ -w $k ]; then
	# Objects younger than 5 s are not reported; two scans, as advised.
	sleep 6
	echo scan > $k
	sleep 2
	echo scan > $k
	cat $k > /tmp/leaks
	n=$(grep -c '^unreferenced object' /tmp/leaks)
	ok "$([ "$n" = 0 ]; echo $?)" "kmemleak: nothing unreferenced after the tests ($n)"
	head -n 120 /tmp/leaks | sed 's/^/# /'
else
	skip "no kmemleak in this kernel"
fi
grep -q 'debug_locks: *1' /proc/lockdep_stats 2>/dev/null
ok $? "lockdep still on: no locking report turned it off"
dmesg > /tmp/dmesg
for what in 'KASAN' 'UBSAN' 'ODEBUG' 'possible circular locking' 'inconsistent lock state' \
	    'sleeping function called from invalid context' 'list_add corruption' \
	    'list_del corruption' 'kmemleak: .* new suspected memory leaks'; do
	grep -q "$what" /tmp/dmesg
	ok "$([ $? = 1 ]; echo $?)" "kernel log has no \"$what\" report"
done
tap_done
