#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# edgeaictl against the real module: the -j output of every command parses
# with jq and agrees with sysfs; governor and freq change what sysfs shows
# and refuse what they must; an unprivileged user gets what sysfs shows;
# jobs, monitor, top and trace see a workload (tests/vm/load.c).
#
# Loaded with t-ctl.sh.modparams: virtual clusters little (0), big (1) and
# gpu (2).
. /tests/lib.sh

sys=/sys/class/misc/edgeai
# is WANT GOT DESCRIPTION
is() {
	[ "$1" = "$2" ]
	ok $? "$3 (want '$1', got '$2')"
}
parses() { jq -e . "$1" > /dev/null 2>&1; }
# Waits up to $2 tenths of a second for the command $1 to succeed.
wait_for() {
	i=0
	while [ $i -lt "$2" ]; do
		eval "$1" && return 0
		usleep 100000
		i=$((i + 1))
	done
	return 1
}

check "edgeaictl is in the VM" command -v edgeaictl
check "jq is in the VM" command -v jq

# ---------------------------------------------------------------- status
edgeaictl -j status > /tmp/status.json; rc=$?
is 0 $rc "status -j exits 0"
check "status -j parses" parses /tmp/status.json
is true "$(jq .loaded /tmp/status.json)" "status: loaded"
is "$(cat $sys/abi_version)" "$(jq .abi_version /tmp/status.json)" "status: abi_version"
is true "$(jq .device.accessible /tmp/status.json)" "status: root opens the device"
is 3 "$(jq .info.nr_clusters /tmp/status.json)" "status: GET_INFO's nr_clusters"
for s in submitted completed failed cancelled deadline_misses rejected live_jobs live_graphs live_ctx; do
	is "$(cat $sys/stats/$s)" "$(jq .stats.$s /tmp/status.json)" "status: stats.$s as sysfs"
done
for p in realtime high normal background; do
	is "$(cat $sys/stats/queued_$p)" "$(jq .stats.queued.$p /tmp/status.json)" \
		"status: queued.$p as sysfs"
done
is "little big gpu" "$(jq -r '[.clusters[].name] | join(" ")' /tmp/status.json)" \
	"status: the clusters in id order"
check "status (text) exits 0" edgeaictl status

# ---------------------------------------------------------------- clusters
# compare_clusters FILE WHO: every field of clusters -j against sysfs.
compare_clusters() {
	for c in little big gpu; do
		d=$sys/clusters/$c
		jq -c ".[] | select(.name == \"$c\")" "$1" > /tmp/c.json
		is "$(cat $d/id)" "$(jq .id /tmp/c.json)" "$2: $c id"
		is "$(cat $d/kind)" "$(jq -r .kind /tmp/c.json)" "$2: $c kind"
		is "$(cat $d/control)" "$(jq -r .control /tmp/c.json)" "$2: $c control"
		is "$(cat $d/cpus)" "$(jq -r .cpus /tmp/c.json)" "$2: $c cpus"
		is "$(cat $d/available_frequencies)" \
			"$(jq -r '.frequencies_khz | map(tostring) | join(" ")' /tmp/c.json)" \
			"$2: $c frequencies"
		is "$(cat $d/cur_freq)" "$(jq .cur_freq_khz /tmp/c.json)" "$2: $c cur_freq"
		is "$(cat $d/governor)" "$(jq -r .governor /tmp/c.json)" "$2: $c governor"
		is "$(cat $d/available_governors)" \
			"$(jq -r '.available_governors | join(" ")' /tmp/c.json)" \
			"$2: $c available governors"
		is "$(cat $d/power | tr -s ' ')" \
			"$(jq -r '(.power_mw | map(tostring) | join(" ")) + " idle:" + (.idle_mw | tostring)' /tmp/c.json)" \
			"$2: $c power"
		is "$(cat $d/switch_cost_us)" "$(jq -r '"\(.switch_up_us) \(.switch_down_us)"' /tmp/c.json)" \
			"$2: $c switch cost"
		for f in busy_ns stages_done energy_uj executors queued running; do
			is "$(cat $d/$f)" "$(jq .$f /tmp/c.json)" "$2: $c $f"
		done
	done
}
edgeaictl -j clusters > /tmp/clusters.json; rc=$?
is 0 $rc "clusters -j exits 0"
check "clusters -j parses" parses /tmp/clusters.json
compare_clusters /tmp/clusters.json root
check "clusters (text) exits 0" edgeaictl clusters
is '"gpu"' "$(edgeaictl -j clusters 2 | jq .name)" "clusters 2 is gpu"

# ---------------------------------------------------------------- governor, freq
is '"performance"' "$(edgeaictl -j governor big | jq .governor)" "governor big -j"
edgeaictl -j governor big powersave > /tmp/g.json; rc=$?
is 0 $rc "governor big powersave exits 0"
is powersave "$(cat $sys/clusters/big/governor)" "sysfs says powersave"
is '"powersave"' "$(jq .governor /tmp/g.json)" "and -j shows it"
is 600000 "$(cat $sys/clusters/big/cur_freq)" "powersave holds big at its lowest step"
edgeaictl governor big bogus 2> /tmp/err; rc=$?
is 1 $rc "an unknown governor exits 1"
is powersave "$(cat $sys/clusters/big/governor)" "and changes nothing"
grep -q "available: performance powersave userspace deadline" /tmp/err
ok $? "and lists the available ones"
edgeaictl -j freq little 1000000 > /tmp/f.json; rc=$?
is 0 $rc "freq little 1000000 exits 0"
is userspace "$(cat $sys/clusters/little/governor)" "freq selected userspace"
is 800000 "$(cat $sys/clusters/little/cur_freq)" "1000000 rounded down to the 800 MHz step"
is 800000 "$(jq .cur_freq_khz /tmp/f.json)" "and freq -j shows it"
edgeaictl -j freq little 1.4GHz > /tmp/f.json
is 1400000 "$(cat $sys/clusters/little/cur_freq)" "freq little 1.4GHz"
edgeaictl freq little 5GHz 2>/dev/null; rc=$?
is 1 $rc "a frequency out of range exits 1"
is 1400000 "$(cat $sys/clusters/little/cur_freq)" "and changes nothing"
check "freq little (text)" edgeaictl freq little
check "governor big (text)" edgeaictl governor big

# ---------------------------------------------------------------- residency
# little is held at 1.4 GHz by now: half a second there goes to that step
# in time_in_state, and to no other; edgeaictl metrics shows the same.
t0=$(awk '$1 == 1400000 { print $2 }' $sys/clusters/little/time_in_state)
o0=$(awk '$1 != 1400000 { s += $2 } END { print s + 0 }' $sys/clusters/little/time_in_state)
usleep 500000
t1=$(awk '$1 == 1400000 { print $2 }' $sys/clusters/little/time_in_state)
o1=$(awk '$1 != 1400000 { s += $2 } END { print s + 0 }' $sys/clusters/little/time_in_state)
is 3 "$(wc -l < $sys/clusters/little/time_in_state)" "time_in_state: a line per step of little"
ok "$([ $((t1 - t0)) -ge 500000000 ] && [ $((t1 - t0)) -lt 5000000000 ]; echo $?)" \
	"time_in_state: 0.5 s at the step held goes to it ($((t1 - t0)) ns)"
is "$o0" "$o1" "time_in_state: the other steps' times stand still"
edgeaictl metrics > /tmp/metrics.prom
grep -q '^edgeai_cluster_frequency_residency_seconds_total{cluster="little",frequency_hertz="1400000000"} [0-9]' /tmp/metrics.prom
ok $? "metrics: little's residency at 1.4 GHz"

# ---------------------------------------------------------------- unprivileged
as-nobody edgeaictl -j status > /tmp/status.json 2>/tmp/err; rc=$?
is 0 $rc "nobody: status -j exits 0"
is false "$(jq .device.accessible /tmp/status.json)" "nobody: no device, said so"
is "$(cat $sys/stats/submitted)" "$(jq .stats.submitted /tmp/status.json)" "nobody: stats from sysfs"
as-nobody edgeaictl -j clusters > /tmp/clusters.json; rc=$?
is 0 $rc "nobody: clusters -j exits 0"
compare_clusters /tmp/clusters.json nobody
as-nobody edgeaictl governor big performance 2> /tmp/err; rc=$?
is 1 $rc "nobody: governor big performance exits 1"
grep -q "not permitted" /tmp/err; ok $? "nobody: and says it is not permitted"
is powersave "$(cat $sys/clusters/big/governor)" "nobody: nothing changed"
edgeaictl governor big performance > /dev/null
edgeaictl governor little performance > /dev/null

# ---------------------------------------------------------------- jobs
edgeai-load -q -c 2 -n 3 -t 60 > /dev/null &
load=$!
wait_for '[ "$(cat $sys/stats/live_jobs)" = 3 ]' 100
ok $? "three jobs queued on gpu"
edgeaictl -j jobs > /tmp/jobs.json; rc=$?
is 0 $rc "jobs -j exits 0"
check "jobs -j parses" parses /tmp/jobs.json
is 3 "$(jq length /tmp/jobs.json)" "jobs: three"
is "queued queued queued" "$(jq -r 'map(.state) | join(" ")' /tmp/jobs.json)" "jobs: all queued"
is "load" "$(jq -r 'map(.graph) | unique | join(" ")' /tmp/jobs.json)" "jobs: graph load"
is "$load" "$(jq -r 'map(.pid) | unique | join(" ")' /tmp/jobs.json)" "jobs: the submitter's pid"
check "jobs (text) exits 0" edgeaictl jobs
as-nobody edgeaictl -j jobs > /tmp/jobs.json 2> /tmp/err; rc=$?
is 0 $rc "nobody: jobs -j exits 0"
is 0 "$(jq length /tmp/jobs.json)" "nobody: sees none of root's jobs"
grep -q "only your own jobs" /tmp/err; ok $? "nobody: told why"
kill $load; wait $load 2>/dev/null

# ---------------------------------------------------------------- monitor
edgeaictl -j monitor --no-jobs -t 20s -c 2 > /tmp/mon.json &
mon=$!
usleep 500000
edgeaictl governor gpu powersave > /dev/null
wait $mon; rc=$?
is 0 $rc "monitor -c 2 exits 0 after two events"
check "each monitor line parses" parses /tmp/mon.json
is 2 "$(jq -s length /tmp/mon.json)" "monitor: two events"
jq -s -e 'map(select(.event == "governor-change" and .cluster_id == 2 and
	.old_governor == "performance" and .governor == "powersave")) | length == 1' \
	/tmp/mon.json > /dev/null
ok $? "monitor: governor-change on gpu, performance -> powersave"
jq -s -e 'map(select(.event == "freq-change" and .cluster_id == 2 and
	.old_freq_khz == 800000 and .freq_khz == 200000)) | length == 1' /tmp/mon.json > /dev/null
ok $? "monitor: freq-change on gpu, 800 -> 200 MHz"
edgeaictl governor gpu performance > /dev/null

edgeaictl -j monitor -t 15s > /tmp/mon.json &
mon=$!
usleep 500000
edgeai-load -n 5 > /dev/null
usleep 500000
kill -INT $mon; wait $mon; rc=$?
is 0 $rc "monitor stops on SIGINT with status 0"
is 5 "$(jq -s 'map(select(.event == "job-done")) | length' /tmp/mon.json)" "monitor: five job-done"
jq -s -e 'map(select(.event == "job-done")) | all(.graph == "load" and
	(.stages | length) == 2 and .status == "done" and .deadline_met == true)' \
	/tmp/mon.json > /dev/null
ok $? "monitor: each job-done has its graph, two stages, status, deadline met"
is 2 "$(jq -s 'map(select(.event == "exec-attach")) | length' /tmp/mon.json)" \
	"monitor: two executors attached"
edgeaictl monitor -t 1s > /tmp/mon.txt; rc=$?
is 0 $rc "monitor (text) -t 1s exits 0"

# ---------------------------------------------------------------- top
edgeai-load -n 40 -e 5 > /dev/null &
load=$!
edgeaictl -j top -n 3 -d 500ms > /tmp/top.json; rc=$?
wait $load
is 0 $rc "top -j -n 3 exits 0"
check "each top line parses" parses /tmp/top.json
is 3 "$(jq -s length /tmp/top.json)" "top: three refreshes"
is "3 3 3" "$(jq -r '.clusters | length' /tmp/top.json | tr '\n' ' ' | sed 's/ $//')" \
	"top: three clusters each time"
jq -s -e 'map(.clusters[] | select(.name == "little") | .busy_pct) | max > 0' /tmp/top.json > /dev/null
ok $? "top: little was busy some of the time"
jq -s -e 'map(.clusters[] | select(.name == "gpu") | .busy_pct) | max == 0' /tmp/top.json > /dev/null
ok $? "top: gpu never was"
is true "$(jq -s '.[0].jobs_group' /tmp/top.json)" "top: root gets the jobs group"
jq -s -e 'map(.graphs[] | select(.graph == "load") | .jobs) | add > 0' /tmp/top.json > /dev/null
ok $? "top: graph load's jobs counted"
check "top (text) -n 1" edgeaictl top -n 1 -d 100ms

# ---------------------------------------------------------------- trace
edgeaictl -j trace -t 4s -o /tmp/trace.json > /tmp/sum.json &
tr=$!
usleep 700000
edgeaictl governor big powersave > /dev/null
edgeai-load -n 10 -e 5 > /dev/null
edgeaictl governor big performance > /dev/null
wait $tr; rc=$?
is 0 $rc "trace -j exits 0"
check "the trace summary parses" parses /tmp/sum.json
check "the trace parses" parses /tmp/trace.json
is 20 "$(jq .stages /tmp/sum.json)" "trace: 20 stages recorded"
is "cluster big (cpu),cluster gpu (gpu),cluster little (cpu),edgeai" \
	"$(jq -r '[.traceEvents[] | select(.ph == "M" and .name == "process_name") | .args.name] | sort | join(",")' /tmp/trace.json)" \
	"trace: a track per cluster, and edgeai's"
is 10 "$(jq '[.traceEvents[] | select(.ph == "X" and .pid == 10)] | length' /tmp/trace.json)" \
	"trace: ten stage slices on little"
is 10 "$(jq '[.traceEvents[] | select(.ph == "X" and .pid == 11)] | length' /tmp/trace.json)" \
	"trace: ten stage slices on big"
jq -e '[.traceEvents[] | select(.ph == "X")] | all(.dur >= 0 and (.name == "load #0" or .name == "load #1"))' \
	/tmp/trace.json > /dev/null
ok $? "trace: slices named after their graph and stage"
jq -e '[.traceEvents[] | select(.ph == "C" and .pid == 11) | .args.kHz] | (index(600000) != null) and (index(1800000) != null)' \
	/tmp/trace.json > /dev/null
ok $? "trace: big's frequency counter went 1.8 GHz -> 600 MHz -> back"
is 3 "$(jq '[.traceEvents[] | select(.ph == "C") | .pid] | unique | length' /tmp/trace.json)" \
	"trace: a frequency counter per cluster"
edgeaictl trace -t 500ms -o /tmp/trace2.json > /dev/null; rc=$?
is 0 $rc "trace (text) exits 0"
check "and its file parses" parses /tmp/trace2.json

tap_done
