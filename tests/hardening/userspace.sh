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
#   userspace.sh [RANDOM_MUTATIONS]   (default 4 per data file; seeded)
#
# Expects the sanitized build in $BUILD/asan (make asan) and the plain one
# in $BUILD; BUILD defaults to build/ next to this script's tests/ folder.

set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(cd "$here/.." && pwd)}
top=${EDGEAI_TOP:-$(cd "$BUILD/.." && pwd)}
asan=$BUILD/asan
nrand=${1:-4}
board_src=$top/data/boards/rk3399pro
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export ASAN_OPTIONS=detect_leaks=1:exitcode=99:abort_on_error=0:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
export EDGEAI_BOARDS=$work/none

n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
diag() { sed 's/^/# /'; }

# ---------------------------------------------------------------- libedgeai

if [ -x "$asan/tests/libedgeai_hostile_test" ]; then
	"$asan/tests/libedgeai_hostile_test" > "$work/lib.out" 2>&1
	rc=$?
	! grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer\|^not ok' "$work/lib.out" && [ $rc = 0 ]
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
	echo "1..$n"
	exit $((failed > 0))
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
	elif [ $rc = 99 ] || [ $rc = 98 ] || grep -q 'AddressSanitizer\|runtime error\|LeakSanitizer' "$err"; then
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

# The daemon and the control tool, once they are built here.
for tool in edgeaid edgeaictl; do
	if [ -x "$asan/bin/$tool" ]; then
		args "$tool: unknown option" "$asan/bin/$tool" --frobnicate
		args "$tool: config that does not exist" "$asan/bin/$tool" --config /nonexistent
		args "$tool: config of random bytes" "$asan/bin/$tool" --config /dev/urandom
	else
		skip "$tool is not built in this tree yet"
	fi
done

echo "1..$n"
[ $failed = 0 ]
