#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# edgeaictl monitor outlives the module: unloaded and loaded again (twice,
# and once more quickly) it reports both and goes on with the new module's
# events, as root and as nobody, in JSON and in text; started while the
# module is absent it says so and picks the module up when it comes.
#
# Loads the module itself (t-monitor.sh.modparams says "none").
. /tests/lib.sh

params="clusters=little:cpu:400000,800000,1400000;gpu:gpu:200000,800000"
ko=/lib/edgeai/edgeai.ko
is() {
	[ "$1" = "$2" ]
	ok $? "$3 (want '$1', got '$2')"
}
alive() { kill -0 "$1" 2>/dev/null; }
# rmmod, retried for a second: a monitor answering the module's return may
# be in the middle of a netlink dump, which holds the module briefly.
rmmod_soon() {
	i=0
	until rmmod edgeai 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 20 ] || { rmmod edgeai; return 1; }
		usleep 50000
	done
}
# The "event" of each line of $1, as one line.
# A governor change sends its frequency change first or last: one order.
events() {
	jq -r .event "$1" | tr '\n' ' ' | sed 's/ $//' |
		sed 's/freq-change governor-change/governor-change freq-change/g'
}

check "insmod edgeai" insmod $ko "$params"

# ---- JSON, root: two reloads and a quick third
edgeaictl -j monitor -t 60s > /tmp/mon.json 2> /tmp/mon.err &
mon=$!
usleep 700000
edgeaictl governor little powersave > /dev/null
usleep 300000
check "rmmod with a monitor running" rmmod edgeai
usleep 500000
check "monitor still runs with the module gone" alive $mon
check "insmod again" insmod $ko "$params"
usleep 700000
edgeaictl governor little powersave > /dev/null
usleep 300000
check "monitor still runs after the reload" alive $mon
check "rmmod a second time" rmmod edgeai
check "insmod a second time" insmod $ko "$params"
check "rmmod at once" rmmod_soon
check "insmod at once" insmod $ko "$params"
usleep 700000
edgeaictl governor gpu powersave > /dev/null
usleep 500000
check "monitor still runs after three reloads" alive $mon
kill -INT $mon; wait $mon; rc=$?
is 0 $rc "monitor exits 0 on SIGINT"
check "every line parses" jq -e . /tmp/mon.json
is "governor-change freq-change module-unloaded module-loaded governor-change freq-change module-unloaded module-loaded module-unloaded module-loaded governor-change freq-change" \
	"$(events /tmp/mon.json)" "events in order, the module's going and coming among them"
is "true true true" "$(jq -r 'select(.event == "module-loaded") | .jobs_group' /tmp/mon.json | tr '\n' ' ' | sed 's/ $//')" \
	"each time the jobs group is joined again"
jq -s -e '[.[] | select(.event == "governor-change")][-1] |
	.cluster_id == 1 and .governor == "powersave"' /tmp/mon.json > /dev/null
ok $? "the last governor-change is the new module's (gpu, id 1)"
[ ! -s /tmp/mon.err ]; ok $? "nothing on stderr"
sed 's/^/# /' /tmp/mon.err

# ---- started while the module is absent, text
check "rmmod before starting a monitor" rmmod edgeai
edgeaictl monitor -t 30s > /tmp/mon.txt 2>&1 &
mon=$!
usleep 500000
check "insmod under a waiting monitor" insmod $ko "$params"
usleep 700000
edgeaictl governor little userspace > /dev/null
usleep 500000
kill $mon; wait $mon; rc=$?
is 0 $rc "monitor exits 0 on SIGTERM"
grep -q "module-absent .*not loaded" /tmp/mon.txt; ok $? "text: said the module was absent"
grep -q "module-loaded .*edgeai.ko is here" /tmp/mon.txt; ok $? "text: saw it come"
grep -q "governor-change little performance -> userspace" /tmp/mon.txt
ok $? "text: then its events, with cluster names"
sed 's/^/# /' /tmp/mon.txt

# ---- nobody: events group only, across a reload
as-nobody edgeaictl -j monitor -t 30s > /tmp/mon.json 2> /tmp/mon.err &
mon=$!
usleep 700000
check "rmmod under nobody's monitor" rmmod edgeai
check "insmod under nobody's monitor" insmod $ko "$params"
usleep 700000
edgeaictl governor gpu powersave > /dev/null
usleep 500000
check "nobody's monitor still runs" alive $mon
kill $mon; wait $mon
is "module-unloaded module-loaded governor-change freq-change" "$(events /tmp/mon.json)" \
	"nobody: the reload and the new module's events"
is false "$(jq -r 'select(.event == "module-loaded") | .jobs_group' /tmp/mon.json)" \
	"nobody: without the jobs group"
grep -q "job events left out" /tmp/mon.err; ok $? "nobody: told job events are left out"

check "rmmod at the end" rmmod edgeai
tap_done
