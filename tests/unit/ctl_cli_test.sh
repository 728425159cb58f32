#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# edgeaictl on the build host against a sysfs tree made up in a temporary
# directory (EDGEAI_SYSFS) and no device (EDGEAI_DEVICE names none), the
# way an unprivileged user sees a loaded module: -j output of every
# command parses (jq) and agrees with the files, governor and freq write
# the files, exit statuses are 0 / 1 / 2 as documented.  The host has no
# edgeai netlink family: commands that need it say so (jobs) or wait for
# it (monitor, top, trace).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=${EDGEAICTL:-$top/${BUILD:-build}/bin/edgeaictl}
# shellcheck source=tests/unit/lib.sh
. "$top/tests/unit/lib.sh"
# is WANT GOT DESC
is() { [ "$1" = "$2" ]; ok $? "$3 (want '$1', got '$2')"; }

if [ ! -x "$ctl" ] || ! command -v jq >/dev/null; then
	echo "not ok 1 - $ctl is built and jq is installed"
	echo "1..1"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sys=$tmp/edgeai
export EDGEAI_SYSFS=$sys EDGEAI_DEVICE=$tmp/no-device

mkdir -p "$sys/stats"
echo 1 > "$sys/abi_version"
i=0
for f in submitted completed failed cancelled deadline_misses rejected live_jobs \
	live_graphs live_ctx queued_realtime queued_high queued_normal queued_background; do
	i=$((i + 1))
	echo $i > "$sys/stats/$f"
done
# cluster NAME ID CPUS FREQS POWER CUR
cluster() {
	local d=$sys/clusters/$1
	mkdir -p "$d"
	echo "$2" > "$d/id"; echo cpu > "$d/kind"; echo virtual > "$d/control"
	echo "$3" > "$d/cpus"; echo "$4" > "$d/available_frequencies"
	echo "$5" > "$d/power"; echo "50 30" > "$d/switch_cost_us"
	echo "$6" > "$d/cur_freq"; echo performance > "$d/governor"
	echo "performance powersave userspace deadline" > "$d/available_governors"
	echo "<unsupported>" > "$d/setspeed"
	echo $((1000000 + $2)) > "$d/busy_ns"; echo $((10 + $2)) > "$d/stages_done"
	echo $((300 + $2)) > "$d/energy_uj"; echo 1 > "$d/executors"
	echo 2 > "$d/queued"; echo 0 > "$d/running"
}
cluster little 0 0-1 "400000 800000 1400000" "100 200 400 idle: 20" 1400000
cluster big 1 "" "600000 1800000" "300 900 idle: 50" 1800000

# ---- status
out=$("$ctl" -j status); rc=$?
is 0 "$rc" "status -j exits 0"
echo "$out" | jq -e . >/dev/null; ok $? "status -j parses"
is true "$(echo "$out" | jq .loaded)" "status: loaded"
is 1 "$(echo "$out" | jq .abi_version)" "status: abi_version is the file's"
is false "$(echo "$out" | jq .device.accessible)" "status: no device, said so"
is null "$(echo "$out" | jq .info)" "status: no info without the device"
is 1 "$(echo "$out" | jq .stats.submitted)" "status: submitted from stats/"
is 9 "$(echo "$out" | jq .stats.live_ctx)" "status: live_ctx from stats/"
is 13 "$(echo "$out" | jq .stats.queued.background)" "status: queued background"
is '"little","big"' "$(echo "$out" | jq -c '[.clusters[].name]' | tr -d '[]')" \
	"status: clusters in id order"
"$ctl" status > "$tmp/out"; ok $? "status (text) exits 0"
grep -q "2 completed" "$tmp/out"; ok $? "status text shows the counters"

# ---- clusters: every field against its file
out=$("$ctl" -j clusters)
echo "$out" | jq -e 'type == "array" and length == 2' >/dev/null
ok $? "clusters -j is an array of two"
for c in little big; do
	d=$sys/clusters/$c
	j=$(echo "$out" | jq -c ".[] | select(.name == \"$c\")")
	is "$(cat "$d/id")" "$(echo "$j" | jq .id)" "$c: id"
	is "$(cat "$d/cur_freq")" "$(echo "$j" | jq .cur_freq_khz)" "$c: cur_freq"
	is "$(cat "$d/available_frequencies")" "$(echo "$j" | jq -r '.frequencies_khz | join(" ")')" \
		"$c: frequencies"
	is "$(cat "$d/governor")" "$(echo "$j" | jq -r .governor)" "$c: governor"
	is "$(cat "$d/available_governors")" "$(echo "$j" | jq -r '.available_governors | join(" ")')" \
		"$c: available governors"
	is "$(cat "$d/power")" "$(echo "$j" | jq -r '(.power_mw | join(" ")) + " idle: " + (.idle_mw | tostring)')" \
		"$c: power"
	is "$(cat "$d/switch_cost_us")" "$(echo "$j" | jq -r '"\(.switch_up_us) \(.switch_down_us)"')" \
		"$c: switch cost"
	for f in busy_ns stages_done energy_uj executors queued running; do
		is "$(cat "$d/$f")" "$(echo "$j" | jq ".$f")" "$c: $f"
	done
	is "$(cat "$d/cpus")" "$(echo "$j" | jq -r .cpus)" "$c: cpus"
	is null "$(echo "$j" | jq .setspeed_khz)" "$c: no setspeed under performance"
done
is '"big"' "$("$ctl" -j clusters 1 | jq .name)" "clusters 1 -j is big, one object"
"$ctl" clusters nosuch 2>"$tmp/err"; rc=$?
is 1 "$rc" "clusters nosuch exits 1"
grep -q 'no cluster "nosuch" (clusters: little big)' "$tmp/err"; ok $? "and names the clusters"

# ---- governor, freq (through sysfs: there is no device)
is '"performance"' "$("$ctl" -j governor little | jq .governor)" "governor little -j"
out=$("$ctl" -j governor little powersave); rc=$?
is 0 "$rc" "governor little powersave exits 0"
is powersave "$(cat "$sys/clusters/little/governor")" "and wrote the governor file"
is '"powersave"' "$(echo "$out" | jq .governor)" "and shows it"
out=$("$ctl" -j freq big 600MHz); rc=$?
is 0 "$rc" "freq big 600MHz exits 0"
is userspace "$(cat "$sys/clusters/big/governor")" "freq selected the userspace governor"
is 600000 "$(cat "$sys/clusters/big/setspeed")" "freq wrote setspeed in kHz"
is 600000 "$(echo "$out" | jq .setspeed_khz)" "freq -j shows the held frequency"
"$ctl" freq big 5GHz 2>"$tmp/err"; rc=$?
is 1 "$rc" "freq outside the steps exits 1"
is 600000 "$(cat "$sys/clusters/big/setspeed")" "and wrote nothing"
grep -q "outside big's range, 600 MHz to 1.8 GHz" "$tmp/err"; ok $? "and says the range"
chmod 0444 "$sys/clusters/little/governor"
if [ "$(id -u)" != 0 ]; then
	"$ctl" governor little performance 2>"$tmp/err"; rc=$?
	is 1 "$rc" "governor on a read-only file exits 1"
	grep -q "not permitted" "$tmp/err"; ok $? "and says it is not permitted"
else
	skip "root writes read-only files"
	skip "root writes read-only files"
fi
chmod 0644 "$sys/clusters/little/governor"

# ---- exit statuses of usage errors
for args in "bogus" "--bogus status" "status --bogus" "status extra" "governor" \
	"governor a b c" "freq big abc" "monitor -c 0" "monitor -t 5x" "top -d 1ms" \
	"top -n x" "trace -t 0" "t" "governor little 0123456789abcdefghij" \
	"-j trace -o -" "help bogus"; do
	# shellcheck disable=SC2086
	"$ctl" $args >/dev/null 2>"$tmp/err"; rc=$?
	is 2 "$rc" "usage error: edgeaictl $args"
	grep -q "^edgeaictl: " "$tmp/err"; ok $? "  with a message"
done
"$ctl" >/dev/null 2>&1; is 2 "$?" "no command is a usage error"

# ---- -j on every command
is 11 "$("$ctl" -j help | jq length)" "help -j lists eleven commands"
out=$("$ctl" -j monitor -t 200ms); rc=$?
is 0 "$rc" "monitor -j -t 200ms exits 0 without the family"
is '"module-absent"' "$(echo "$out" | jq -s '.[0].event')" "and says the module is absent"
out=$("$ctl" -j top -n 2 -d 50ms); rc=$?
is 0 "$rc" "top -j -n 2 exits 0"
is 2 "$(echo "$out" | jq -s length)" "two refreshes, one object each"
is 2 "$(echo "$out" | jq -s '.[1].clusters | length')" "top: both clusters"
is 0 "$(echo "$out" | jq -s '.[1].clusters[0].busy_pct')" \
	"top: busy 0% when busy_ns did not grow"
is false "$(echo "$out" | jq -s '.[1].jobs_group')" "top: no jobs group here"
"$ctl" top -n 1 -d 20ms > "$tmp/out"; rc=$?
is 0 "$rc" "top (text, not a tty) exits 0"
grep -q "^little " "$tmp/out"; ok $? "top text shows little"
out=$("$ctl" -j trace -t 200ms -o "$tmp/trace.json" 2>"$tmp/err"); rc=$?
is 0 "$rc" "trace -j exits 0"
is "\"$tmp/trace.json\"" "$(echo "$out" | jq .output)" "trace summary names the file"
jq -e '.traceEvents | type == "array"' "$tmp/trace.json" >/dev/null
ok $? "the trace is JSON with traceEvents"
is '["cluster big (cpu)","cluster little (cpu)","edgeai"]' \
	"$(jq -c '[.traceEvents[] | select(.ph == "M" and .name == "process_name") | .args.name] | sort' "$tmp/trace.json")" \
	"the trace has a track per cluster and edgeai's"
is 2 "$(jq '[.traceEvents[] | select(.ph == "C" and .pid == 10)] | length' "$tmp/trace.json")" \
	"little's frequency sampled at start and end"
is 1400000 "$(jq '[.traceEvents[] | select(.ph == "C" and .pid == 10)][0].args.kHz' "$tmp/trace.json")" \
	"at its current frequency"
grep -q "stages left out" "$tmp/err"; ok $? "trace says stages need the jobs group"
# timeline reads that trace back.
out=$("$ctl" -j timeline -o "$tmp/t.svg" "before=$tmp/trace.json" "$tmp/trace.json"); rc=$?
is 0 "$rc" "timeline -j of two traces exits 0"
is '[0,0]' "$(echo "$out" | jq -c .stages)" "timeline summary: no stages in either panel"
grep -q '^<svg ' "$tmp/t.svg" && grep -q '>before</text>' "$tmp/t.svg"
ok $? "timeline wrote an SVG with the panel titled by its label"
is 4 "$(grep -c "<polyline class=\"freq\"" "$tmp/t.svg")" "timeline draws a frequency line per cluster and panel"
"$ctl" timeline 2>/dev/null; is 2 "$?" "timeline without traces is a usage error"
"$ctl" timeline -o "$tmp/t.svg" "$tmp/none.json" 2>"$tmp/err"; rc=$?
is 1 "$rc" "timeline of a missing file exits 1"
grep -q "none.json" "$tmp/err"; ok $? "and names the file"
echo '{"a": 1}' > "$tmp/notrace.json"
"$ctl" timeline -o "$tmp/t.svg" "$tmp/notrace.json" 2>"$tmp/err"; rc=$?
is 1 "$rc" "timeline of JSON that is no trace exits 1"
grep -q "not a trace" "$tmp/err"; ok $? "and says so"
"$ctl" metrics > "$tmp/out"; rc=$?
is 0 "$rc" "metrics exits 0"
grep -qx 'edgeai_up 1' "$tmp/out"; ok $? "metrics: edgeai_up 1"
grep -qx 'edgeai_jobs_submitted_total 1' "$tmp/out"; ok $? "metrics: the submitted counter from sysfs"
grep -q '^edgeai_cluster_frequency_hertz{cluster="little",kind="cpu"} 1400000000$' "$tmp/out"
ok $? "metrics: little's frequency in hertz"
! grep -q '^edgeai_graph_' "$tmp/out"; ok $? "metrics without -t has no per-graph figures"
bad=$(grep -v '^#' "$tmp/out" | grep -cvE '^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$')
is 0 "$bad" "metrics: every sample line is NAME{LABELS} VALUE"
"$ctl" -j metrics >/dev/null 2>&1; is 2 "$?" "metrics -j is a usage error"
"$ctl" metrics --textfile "$tmp/nodir" 2>/dev/null; is 1 "$?" "metrics --textfile of a missing directory exits 1"
"$ctl" metrics --textfile "$tmp" -t 1s 2>/dev/null; is 2 "$?" "metrics --textfile with -t is a usage error"
mkdir "$tmp/textfile"
"$ctl" metrics --textfile "$tmp/textfile" --interval 200ms 2>/dev/null &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"; rc=$?
is 0 "$rc" "metrics --textfile stops cleanly on SIGTERM"
grep -qx 'edgeai_up 1' "$tmp/textfile/edgeai.prom"
ok $? "metrics --textfile wrote edgeai.prom with the state"
is "edgeai.prom" "$(ls "$tmp/textfile")" "and left no temporary file behind"
"$ctl" -j jobs > "$tmp/out" 2>"$tmp/err"; rc=$?
is 1 "$rc" "jobs without the family exits 1"
grep -q 'no netlink family "edgeai"' "$tmp/err"; ok $? "and says why"

# ---- not loaded
export EDGEAI_SYSFS=$tmp/nothing
out=$("$ctl" -j status 2>"$tmp/err"); rc=$?
is 1 "$rc" "status without the module exits 1"
is false "$(echo "$out" | jq .loaded)" "status -j says loaded false"
grep -q "edgeai.ko is not loaded" "$tmp/err"; ok $? "and the message says so"
"$ctl" clusters 2>/dev/null; is 1 "$?" "clusters without the module exits 1"
out=$("$ctl" metrics); rc=$?
is 0 "$rc" "metrics without the module exits 0 (a scrape, not an error)"
is 'edgeai_up 0' "$(echo "$out" | grep -v '^#')" "and says edgeai_up 0, nothing else"
"$ctl" governor big performance 2>/dev/null; is 1 "$?" "governor without the module exits 1"

tap_end
