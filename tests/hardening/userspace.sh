#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# User space under the sanitizers (issue 10), on the host, as TAP:
#  - libedgeai's hostile test built with AddressSanitizer + UBSan, and the
#    plain build under valgrind's memcheck;
#  - edgeai-plan and edgeai-sim (and edgeaid / edgeaictl when they are
#    built) on the real board under valgrind, then on malformed boards
#    (board.json and every CSV broken on purpose: truncated, empty, wrong
#    types, nulls, missing keys and columns, huge and negative numbers,
#    binary bytes, unterminated quotes, endless lines) and malformed
#    command lines, built with the sanitizers.  Each must either work or
#    stop with a one-line error that names the file at fault and exit
#    1 or 2: never a signal, a sanitizer report or a hang.
#
#   userspace.sh [RANDOM_MUTATIONS]
#
# Without an argument, the quick set of make check (about a minute): a
# few random mutations per file and a sample of the sysfs damage.  With
# one (make fuzz-userspace gives 200), that many random mutations per data
# file and every sysfs case.
#
# Expects the sanitized build in $BUILD/asan (make asan) and the plain one
# in $BUILD; BUILD defaults to build/ next to this script's tests/ folder.

set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(cd "$here/.." && pwd)}
top=${EDGEAI_TOP:-$(cd "$BUILD/.." && pwd)}
asan=$BUILD/asan
nrand=${1:-3}
full=0
[ $# -gt 0 ] && full=1
board_src=$top/data/boards/rk3399pro
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export ASAN_OPTIONS=detect_leaks=1:exitcode=99:abort_on_error=0:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
export EDGEAI_BOARDS=$work/none

# shellcheck source=tests/unit/lib.sh
. "$top/tests/unit/lib.sh"
diag() { sed 's/^/# /'; }

# sanitized FILE: FILE holds a report of ASan, LSan or UBSan.
sanitized() { grep -q 'AddressSanitizer\|runtime error\|LeakSanitizer' "$1"; }

# clean_run OUT COMMAND...: runs COMMAND, a sanitized TAP test, into OUT;
# passes when it exits 0 with no sanitizer report and no failed check.
clean_run() {
	local out=$1
	shift
	"$@" > "$out" 2>&1 && ! sanitized "$out" && ! grep -q '^not ok' "$out"
}

# ---------------------------------------------------------------- libedgeai

if [ -x "$asan/tests/libedgeai_hostile_test" ]; then
	clean_run "$work/lib.out" "$asan/tests/libedgeai_hostile_test"
	r=$?
	ok $r "libedgeai hostile test under ASan+UBSan: clean ($(grep -c '^ok' "$work/lib.out") checks)"
	[ $r = 0 ] || grep -v '^ok' "$work/lib.out" | head -20 | diag
else
	skip "no ASan build of libedgeai_hostile_test (make asan)"
fi

have_valgrind=0
command -v valgrind > /dev/null && have_valgrind=1
vg() {
	valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite "$@"
}
if [ $have_valgrind = 1 ] && [ -x "$BUILD/tests/libedgeai_hostile_test" ]; then
	vg "$BUILD/tests/libedgeai_hostile_test" > "$work/vg.out" 2>&1
	rc=$?
	ok $rc "libedgeai hostile test under valgrind: no error, no leak (status $rc)"
	[ $rc = 0 ] || grep -v '^ok\|unhandled ioctl\|spurious value\|README_MISSING' "$work/vg.out" | head -20 | diag
else
	skip "valgrind or the plain libedgeai_hostile_test missing"
fi

# ---------------------------------------------------------------- the tools

plan=$asan/bin/edgeai-plan
sim=$asan/bin/edgeai-sim
if [ ! -x "$plan" ] || [ ! -x "$sim" ]; then
	skip "no ASan build of edgeai-plan / edgeai-sim (make asan)"
	tap_end
	exit
fi

# run NAME FILE TOOL ARGS...: the tool must work, or fail cleanly naming FILE.
# Its status: 0, or the reason it failed in $why.
run() {
	local file=$1 out=$work/out err=$work/err rc
	shift
	timeout -k 5 60 "$@" > "$out" 2> "$err"
	rc=$?
	why=
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		why="hung (killed after 60 s)"
	elif [ $rc -ge 128 ]; then
		why="died of signal $((rc - 128))"
	elif [ $rc = 99 ] || [ $rc = 98 ] || sanitized "$err"; then
		why="sanitizer report: $(grep -m1 'ERROR\|runtime error' "$err")"
	elif [ $rc != 0 ] && [ $rc != 1 ] && [ $rc != 2 ]; then
		why="exit status $rc"
	elif [ $rc != 0 ] && [ ! -s "$err" ]; then
		why="failed without a word"
	elif [ $rc != 0 ] && [ -n "$file" ] && ! grep -q "$file" "$err"; then
		why="error does not name $file: $(head -n1 "$err")"
	fi
	[ -z "$why" ]
}

# The real board first, also under valgrind: the baseline.
b=$board_src
run "" "$plan" info --board "$b"; ok $? "edgeai-plan info on rk3399pro under ASan ${why}"
run "" "$plan" plan --board "$b" --model MobileV1 --goal latency
ok $? "edgeai-plan plan on rk3399pro under ASan ${why}"
run "" "$sim" --board "$b" --duration 0.5 --app MobileV1,fps=10 --app ResNet50,prio=high
ok $? "edgeai-sim on rk3399pro under ASan ${why}"
if [ $have_valgrind = 1 ] && [ -x "$BUILD/bin/edgeai-plan" ]; then
	vg "$BUILD/bin/edgeai-plan" plan --board "$b" --model MobileV1 --goal energy --target-ms 200 \
		> /dev/null 2> "$work/vg.err"
	rc=$?
	ok $rc "edgeai-plan plan under valgrind: no error, no leak (status $rc)"
	[ $rc = 0 ] || head -20 "$work/vg.err" | diag
	vg "$BUILD/bin/edgeai-sim" --board "$b" --duration 0.2 --app MobileV1 \
		> /dev/null 2> "$work/vg.err"
	rc=$?
	ok $rc "edgeai-sim under valgrind: no error, no leak (status $rc)"
	[ $rc = 0 ] || head -20 "$work/vg.err" | diag
else
	skip "valgrind or plain tools missing"
fi

# A fresh copy of the board to break.
fresh() {
	rm -rf "$work/b"
	cp -r "$board_src" "$work/b"
}

# try WHAT FILE: run the tools on the broken board; one check.  The
# planner and the simulator run only on damage the loader let through:
# what it refuses, it refuses for all of them.
try() {
	local what=$1 file=$2 res=0 reasons=
	if run "$file" "$plan" info --board "$work/b"; then
		run "$file" "$plan" plan --board "$work/b" --model MobileV1 --goal throughput ||
			{ res=1; reasons="$reasons plan: $why;"; }
		run "$file" "$sim" --board "$work/b" --duration 0.2 --app MobileV1 ||
			{ res=1; reasons="$reasons sim: $why;"; }
	else
		res=1
		reasons="$reasons info: $why;"
	fi
	ok $res "$what${reasons:+ -$reasons}"
}

# Replace the text of board.json by a jq-free sed edit, then try.  The
# error names board.json, or the file it points to (PATTERN).
json() {
	local what=$1 expr=$2
	fresh
	sed -i "$expr" "$work/b/board.json"
	try "board.json: $what" "${3:-board.json}"
}

fresh; : > "$work/b/board.json"; try "board.json empty" board.json
fresh; head -c 300 "$board_src/board.json" > "$work/b/board.json"; try "board.json truncated" board.json
fresh; echo '[1, 2, 3]' > "$work/b/board.json"; try "board.json an array" board.json
fresh; printf '%.0s[' $(seq 1 5000) > "$work/b/board.json"; try "board.json nested 5000 deep" board.json
fresh; head -c 4096 /dev/urandom > "$work/b/board.json" 2>/dev/null; try "board.json random bytes" board.json
# No manifest: then it is no board directory.
fresh; rm "$work/b/board.json"; try "board.json missing" 'board.*not found'
fresh; rm "$work/b/board.json"; mkdir "$work/b/board.json"; try "board.json a directory" 'board.*not found'
json '"name" null' 's/"name": "rk3399pro"/"name": null/'
json '"elements" empty' 's/"elements": \[/"elements": [], "x": [/'
json 'an element code null' 's/"code": "L"/"code": null/'
json 'an element code of two letters' 's/"code": "L"/"code": "LL"/'
json 'two elements with one code' 's/"code": "B"/"code": "L"/'
json 'kind null' 's/"kind": "gpu"/"kind": null/'
json 'kind "tpu"' 's/"kind": "gpu"/"kind": "tpu"/'
json 'cluster null' 's/"cluster": "big"/"cluster": null/'
json 'host null' '/"code": "G"/s/"host": "B"/"host": null/'
json 'host unknown' '/"code": "G"/s/"host": "B"/"host": "Z"/'
json 'host of itself' '/"code": "G"/s/"host": "B"/"host": "G"/'
json 'host a host itself' '/"code": "N"/s/"host": "B"/"host": "G"/'
json 'steps descending' 's/\[408, 600, 816, 1008, 1200, 1416\]/[1416, 408]/'
json 'steps huge' 's/\[408, 600, 816, 1008, 1200, 1416\]/[408, 99999999999999999999999]/'
json 'steps 1e300' 's/\[408, 600, 816, 1008, 1200, 1416\]/[408, 1e300]/'
json 'steps negative' 's/\[408, 600, 816, 1008, 1200, 1416\]/[-408, 600]/'
json 'steps strings' 's/\[408, 600, 816, 1008, 1200, 1416\]/["a", "b"]/'
json 'steps null' 's/"steps_mhz": \[408, 600, 816, 1008, 1200, 1416\]/"steps_mhz": null/'
json 'steps 17 of them' 's/\[408, 600, 816, 1008, 1200, 1416\]/[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]/'
json 'name 5000 bytes' "s/\"name\": \"Cortex-A53 x4\"/\"name\": \"$(head -c 5000 /dev/zero | tr '\0' x)\"/"
json 'npu_overhead null' 's/"npu_overhead": "load_unload"/"npu_overhead": null/'
json 'npu_overhead unknown' 's/"npu_overhead": "load_unload"/"npu_overhead": "always"/'
json 'files a number' 's/"files": {/"files": 5, "x": {/'
json 'files.layers missing' 's/"layers": "Layers.csv",//'
json 'files.layers null' 's/"layers": "Layers.csv"/"layers": null/'
json 'files.layers a missing file' 's/"layers": "Layers.csv"/"layers": "Nope.csv"/' Nope.csv
json 'files.layers a directory' 's/"layers": "Layers.csv"/"layers": "."/' 'b/\.'
json 'files.layers a path 5000 long' "s/\"layers\": \"Layers.csv\"/\"layers\": \"$(head -c 5000 /dev/zero | tr '\0' y)\"/" yyyyyyyy
json 'nine elements' 's/"elements": \[/"elements": [{"code":"P","kind":"cpu","cluster":"p","steps_mhz":[1]},{"code":"Q","kind":"cpu","cluster":"q","steps_mhz":[1]},{"code":"R","kind":"cpu","cluster":"r","steps_mhz":[1]},{"code":"S","kind":"cpu","cluster":"s","steps_mhz":[1]},{"code":"T","kind":"cpu","cluster":"t","steps_mhz":[1]},/'

# Every CSV file: the same kinds of damage.
csvs=(Layers.csv Transfers.csv Transfer_Freq.csv FreqMeasurements2_5.csv reference.csv)
for f in "${csvs[@]}"; do
	src=$board_src/$f
	hdr=$(head -n1 "$src")
	fresh; : > "$work/b/$f"; try "$f empty" "$f"
	fresh; head -n1 "$src" > "$work/b/$f"; try "$f header only" "$f"
	fresh; head -c $(($(stat -c %s "$src") / 2)) "$src" > "$work/b/$f"; try "$f cut in the middle of a line" "$f"
	# A column renamed: as if missing.
	col=$(echo "$hdr" | cut -d, -f2)
	fresh; sed -i "1s/$col/${col}_gone/" "$work/b/$f"; try "$f without column $col" "$f"
	col=$(echo "$hdr" | awk -F, '{print $NF}')
	fresh; sed -i "1s/$col\$/${col}_gone/" "$work/b/$f"; try "$f without its last column $col" "$f"
	fresh; sed -i '2s/,[^,]*$//' "$work/b/$f"; try "$f a row short of a field" "$f"
	fresh; sed -i '2s/$/,1,2,3/' "$work/b/$f"; try "$f a row with extra fields" "$f"
	fresh; sed -i '2s/[0-9][0-9.e+-]*/1e999/g' "$work/b/$f"; try "$f numbers 1e999" "$f"
	fresh; sed -i '2s/[0-9][0-9.e+-]*/-7/g' "$work/b/$f"; try "$f numbers negative" "$f"
	fresh; sed -i '2s/[0-9][0-9.e+-]*/99999999999999999999/g' "$work/b/$f"; try "$f numbers 99999999999999999999" "$f"
	fresh; sed -i '2s/[0-9][0-9.e+-]*/nan/g' "$work/b/$f"; try "$f numbers nan" "$f"
	fresh; sed -i '2s/[0-9][0-9.e+-]*//g' "$work/b/$f"; try "$f numbers empty" "$f"
	fresh; sed -i '2s/^/"/' "$work/b/$f"; try "$f an unterminated quote" "$f"
	fresh; sed -i 's/$/\r/' "$work/b/$f"; try "$f with CRLF line ends" "$f"
	fresh; printf 'x\0y\n' >> "$work/b/$f"; try "$f with a NUL byte" "$f"
	fresh; head -c 3000000 /dev/zero | tr '\0' 7 >> "$work/b/$f"; try "$f with a 3 MB line" "$f"
	fresh; sed -i "1s/.*/$hdr,$hdr/" "$work/b/$f"; try "$f with every column twice" "$f"
done

# Seeded random damage: bytes overwritten at random places.
RANDOM=4242
for f in board.json "${csvs[@]}"; do
	for i in $(seq 1 "$nrand"); do
		fresh
		size=$(stat -c %s "$work/b/$f")
		for k in 1 2 3; do
			off=$(( (RANDOM * 32768 + RANDOM) % size ))
			printf "\\x$(printf %x $((RANDOM % 256)))" |
				dd of="$work/b/$f" bs=1 seek="$off" conv=notrunc status=none
		done
		try "$f with random bytes (mutation $i)" "$f"
	done
done

# Command lines.
fresh
args() {
	local what=$1 res=0
	shift
	run "" "$@" || res=1
	ok $res "$what${why:+ - $why}"
}
args "plan: unknown model" "$plan" plan --board "$work/b" --model Nope --goal latency
args "plan: unknown goal" "$plan" plan --board "$work/b" --model MobileV1 --goal fastest
args "plan: --fps -1" "$plan" plan --board "$work/b" --model MobileV1 --goal throughput --fps -1
args "plan: --fps 1e309" "$plan" plan --board "$work/b" --model MobileV1 --goal throughput --fps 1e309
args "plan: --target-ms 0" "$plan" plan --board "$work/b" --model MobileV1 --goal energy --target-ms 0
args "plan: --target-ms nan" "$plan" plan --board "$work/b" --model MobileV1 --goal energy --target-ms nan
args "plan: --elements empty" "$plan" plan --board "$work/b" --model MobileV1 --goal latency --elements ''
args "plan: --elements unknown" "$plan" plan --board "$work/b" --model MobileV1 --goal latency --elements XYZ
args "predict: --order 5000 long" "$plan" predict --board "$work/b" --model MobileV1 \
	--order "$(head -c 5000 /dev/zero | tr '\0' L)" --freqs 0
args "predict: --freqs garbage" "$plan" predict --board "$work/b" --model MobileV1 --order L --freqs ',,x,'
args "predict: --freqs 99999999999" "$plan" predict --board "$work/b" --model MobileV1 --order L --freqs 99999999999
args "crossval: evaluations file garbage" "$plan" crossval --board "$work/b" --evaluations /dev/urandom
args "crossval: evaluations a directory" "$plan" crossval --board "$work/b" --evaluations /tmp
args "plan: no command" "$plan"
args "plan: unknown option" "$plan" --frobnicate
args "sim: --duration -1" "$sim" --board "$work/b" --duration -1 --app MobileV1
args "sim: --duration 1e12" "$sim" --board "$work/b" --duration 1e12 --app MobileV1
args "sim: app rate=0" "$sim" --board "$work/b" --duration 0.1 --app MobileV1,rate=0
args "sim: --tick-ms 0" "$sim" --board "$work/b" --duration 0.1 --tick-ms 0 --app MobileV1
args "sim: app fps=-5" "$sim" --board "$work/b" --duration 0.1 --app MobileV1,fps=-5
args "sim: app rate=1e308" "$sim" --board "$work/b" --duration 0.1 --app MobileV1,rate=1e308
args "sim: app rate=nan" "$sim" --board "$work/b" --duration 0.1 --app MobileV1,rate=nan
args "sim: app slo=inf" "$sim" --board "$work/b" --duration 0.1 --app MobileV1,slo=inf
args "sim: app burst=-3" "$sim" --board "$work/b" --duration 0.1 --app MobileV1,arrival=burst,burst=-3
args "sim: app with unknown key" "$sim" --board "$work/b" --duration 0.1 --app MobileV1,colour=red
args "sim: app prio=urgent" "$sim" --board "$work/b" --duration 0.1 --app MobileV1,prio=urgent
args "sim: 200 apps" "$sim" --board "$work/b" --duration 0.1 $(for i in $(seq 200); do echo --app MobileV1; done)
args "sim: --gov userspace=Q:5" "$sim" --board "$work/b" --duration 0.1 --gov userspace=Q:5 --app MobileV1
args "sim: --gov userspace=" "$sim" --board "$work/b" --duration 0.1 --gov userspace= --app MobileV1
args "sim: --seed huge" "$sim" --board "$work/b" --duration 0.1 --seed 999999999999999999999999 --app MobileV1

# ---------------------------------------------------------------- edgeaid

# Its model reader, on every prefix of a model and 2000 damaged ones.
if [ -x "$asan/tests/edgeaid_tflite_fuzz_test" ]; then
	clean_run "$work/tfl.out" "$asan/tests/edgeaid_tflite_fuzz_test" 2000
	r=$?
	ok $r "edgeaid's .tflite reader under ASan+UBSan: damaged models parse or are refused ($(grep -m1 'damaged models' "$work/tfl.out" | sed 's/^# //'))"
	[ $r = 0 ] || grep -v '^ok' "$work/tfl.out" | head -20 | diag
else
	skip "no ASan build of edgeaid_tflite_fuzz_test"
fi

# Its configuration: edgeaid -l reads it and lists, with no device here.
daemon=$asan/bin/edgeaid
conf() {
	local what=$1 res=0
	run "$work/c.conf" env EDGEAI_DEVICE="$work/no-device" "$daemon" -c "$work/c.conf" -l ||
		res=1
	ok $res "edgeaid config: $what${why:+ - $why}"
}
if [ -x "$daemon" ]; then
	ex=$top/userspace/daemon/edgeaid.conf.example
	cp "$ex" "$work/c.conf"; conf "the example (baseline)"
	: > "$work/c.conf"; conf "empty"
	printf '[cluster\nbackend = sim\n' > "$work/c.conf"; conf "a section without ]"
	printf '[nonsense]\nx = 1\n' > "$work/c.conf"; conf "an unknown section"
	printf '[defaults]\nbackend\n' > "$work/c.conf"; conf "a key without ="
	printf '[defaults]\nbackend = quantum\n' > "$work/c.conf"; conf "an unknown backend"
	printf '[defaults]\nfrobnicate = 1\n' > "$work/c.conf"; conf "an unknown key"
	printf '= sim\n' > "$work/c.conf"; conf "a value without a key"
	for v in 1e400 -1 99999999999999999999 abc '' 0x 4294967296; do
		printf '[cluster big]\npower_mw = %s\ncache = %s\n' "$v" "$v" > "$work/c.conf"
		conf "power_mw and cache = '$v'"
	done
	printf '[cluster %s]\nbackend = sim\n' "$(head -c 4000 /dev/zero | tr '\0' c)" > "$work/c.conf"
	conf "a cluster name 4000 long"
	{ echo '[defaults]'; head -c 2000000 /dev/zero | tr '\0' x; echo; } > "$work/c.conf"
	conf "a 2 MB line"
	printf '[defaults]\nbackend = sim\0\n' > "$work/c.conf"; conf "a NUL byte"
	head -c 65536 /dev/urandom > "$work/c.conf"; conf "64 KiB of random bytes"
	for i in $(seq 1 40); do printf '[cluster c%d]\nbackend = sim\n' "$i"; done > "$work/c.conf"
	conf "40 cluster sections"
	printf '[daemon]\narmnn_backend_path = %s\n' "$(head -c 5000 /dev/zero | tr '\0' p)" > "$work/c.conf"
	conf "a backend path 5000 long"
	rm -f "$work/c.conf"; mkdir "$work/c.conf"; conf "a directory"
	rmdir "$work/c.conf"
	args "edgeaid: unknown option" "$daemon" --frobnicate
	args "edgeaid: a config that does not exist" "$daemon" -c "$work/none.conf" -l
else
	skip "edgeaid is not built in this tree"
fi

# ---------------------------------------------------------------- edgeaictl

# A module's sysfs as edgeaictl reads it, made up, then broken file by file.
ctl=$asan/bin/edgeaictl
fake_sysfs() {
	local s=$work/sys d f i=0
	rm -rf "$s"
	mkdir -p "$s/stats"
	echo 1 > "$s/abi_version"
	for f in submitted completed failed cancelled deadline_misses rejected live_jobs \
		live_graphs live_ctx queued_realtime queued_high queued_normal queued_background; do
		i=$((i + 1)); echo $i > "$s/stats/$f"
	done
	for c in little:0:0-1 big:1:2-3; do
		d=$s/clusters/${c%%:*}
		mkdir -p "$d"
		i=${c#*:}; i=${i%%:*}
		echo "$i" > "$d/id"; echo cpu > "$d/kind"; echo virtual > "$d/control"
		echo "${c##*:}" > "$d/cpus"; echo "400000 800000 1400000" > "$d/available_frequencies"
		echo "100 200 400 idle: 20" > "$d/power"; echo "50 30" > "$d/switch_cost_us"
		echo "512 768 1024" > "$d/speed"; echo "" > "$d/host"
		echo 1400000 > "$d/cur_freq"; echo performance > "$d/governor"
		echo "performance powersave userspace deadline" > "$d/available_governors"
		echo "<unsupported>" > "$d/setspeed"
		echo 1000 > "$d/busy_ns"; echo 10 > "$d/stages_done"; echo 300 > "$d/energy_uj"
		echo 1 > "$d/executors"; echo 2 > "$d/queued"; echo 0 > "$d/running"
	done
}
ctl_try() {
	local what=$1 res=0 reasons=
	export EDGEAI_SYSFS=$work/sys EDGEAI_DEVICE=$work/no-device
	run "" "$ctl" -j status || { res=1; reasons="$reasons status: $why;"; }
	run "" "$ctl" clusters || { res=1; reasons="$reasons clusters: $why;"; }
	run "" "$ctl" -j top -n 1 -d 10ms || { res=1; reasons="$reasons top: $why;"; }
	run "" "$ctl" -j trace -t 50ms -o "$work/trace.json" ||
		{ res=1; reasons="$reasons trace: $why;"; }
	if [ $full = 1 ]; then
		run "" "$ctl" -j clusters little || { res=1; reasons="$reasons clusters little: $why;"; }
		run "" "$ctl" governor little powersave || { res=1; reasons="$reasons governor: $why;"; }
		run "" "$ctl" freq big 800MHz || { res=1; reasons="$reasons freq: $why;"; }
	fi
	unset EDGEAI_SYSFS EDGEAI_DEVICE
	ok $res "edgeaictl on sysfs with $what${reasons:+ -$reasons}"
}
if [ -x "$ctl" ]; then
	fake_sysfs; ctl_try "every file right (baseline)"
	files="stats/submitted clusters/little/id clusters/little/available_frequencies
	       clusters/little/power clusters/little/cpus clusters/big/speed"
	vals=('' abc 99999999999999999999999)
	if [ $full = 1 ]; then
		files="$files stats/live_jobs clusters/little/cur_freq clusters/little/switch_cost_us
		       clusters/little/governor clusters/little/available_governors
		       clusters/little/busy_ns abi_version"
		vals+=(-5 'idle:' '0-99999'
		       '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40')
	fi
	for f in $files; do
		for v in "${vals[@]}"; do
			fake_sysfs; printf '%s\n' "$v" > "$work/sys/$f"
			ctl_try "$f = '$v'"
		done
		fake_sysfs; rm "$work/sys/$f"; ctl_try "$f missing"
		fake_sysfs; head -c 100000 /dev/urandom > "$work/sys/$f"; ctl_try "$f random bytes"
	done
	fake_sysfs; echo 1 > "$work/sys/clusters/big/id"; echo 1 > "$work/sys/clusters/little/id"
	ctl_try "two clusters with one id"
	fake_sysfs; for i in $(seq 2 40); do cp -r "$work/sys/clusters/big" "$work/sys/clusters/c$i"; echo $i > "$work/sys/clusters/c$i/id"; done
	ctl_try "40 clusters"
	fake_sysfs; mv "$work/sys/clusters/big" "$work/sys/clusters/$(head -c 200 /dev/zero | tr '\0' n)"
	ctl_try "a cluster name 200 long"
	fake_sysfs; rm -rf "$work/sys/clusters"/*; ctl_try "no cluster at all"
else
	skip "edgeaictl is not built in this tree"
fi

tap_end
