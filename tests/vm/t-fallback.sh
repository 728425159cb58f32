#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# edgeai-run's fallback graphs (issue 17): what `make bench` credits edgeai
# with, run for real.  The simulated RK3399Pro (virtual clusters from the
# board profile, edgeaid's sim backend costing every stage by the board's
# layers), every cluster at its top step (governor=performance):
#  - hogs of the high class keep the big cluster and the NPU busy;
#  - cam (MobileNetV1 planned on big alone, normal class, 5 FPS, 200 ms
#    deadline) runs with --admit: its frames are refused on its plan's
#    graph, and with --no-fallbacks they are dropped;
#  - with its fallback graphs, refused frames go to another graph and
#    meet their deadline, and the graph tried first is the one of least
#    expected finish from the clusters' wait_ns, not the fastest alone
#    (the NPU's, 30 ms alone: behind the hog's queue there it would still
#    meet the deadline, and tried in the fixed order, fastest alone
#    first, it would take the frames).
#  - late frames: lcam (MobileNetV1 on big then LITTLE, normal class,
#    5 FPS, 150 ms deadline) beside a hog of the high class on LITTLE that
#    arrives at 4 FPS, so an admitted frame's LITTLE stage often waits
#    behind a hog frame past its deadline.  With --admit such a frame is
#    cancelled (counted cancelled late and missed) and its LITTLE stage
#    never runs (LITTLE's stages_done); with --no-cancel-late it runs late.
#    Both with --no-alts: the stage stays on LITTLE.
#  - stage alternatives: the same run with them (edgeai-run declares big
#    as the LITTLE stage's alternative, the module takes it): a LITTLE
#    stage that would wait behind the hog runs on big instead, and fewer
#    frames miss.
#
# Loads the module itself (t-fallback.sh.modparams says "none").
. /tests/lib.sh
export EDGEAI_BOARDS=/tests/boards
duration=${FALLBACK_SECONDS:-8}

params=$(edgeai-run modparams)
ok $? "edgeai-run modparams: the board's clusters"
# shellcheck disable=SC2086
check "insmod edgeai (the board's clusters, governor=performance)" \
	insmod /lib/edgeai/edgeai.ko $params governor=performance
check "edgeai-run setup: the board's speeds into the kernel" edgeai-run setup

sim_board_conf /tmp/edgeaid.conf
edgeaid -c /tmp/edgeaid.conf 2> /tmp/edgeaid.log &
daemon=$!
for _ in $(seq 50); do
	[ "$(cat /sys/class/misc/edgeai/clusters/*/executors | tr -d '\n')" = 1111 ] && break
	sleep 0.1
done
execs=$(cat /sys/class/misc/edgeai/clusters/*/executors | tr '\n' ' ')
ok "$([ "$execs" = "1 1 1 1 " ]; echo $?)" "edgeaid serves every cluster ($execs)"

hogs="hogB:model=MobileV1,elements=B,prio=high,batch=2
hogN:model=MobileV1,elements=N,prio=high,batch=4"
cam="cam:model=MobileV1,elements=B,prio=normal,fps=5,deadline=200"

# run LABEL OPTIONS...: one run; its summary in /tmp/LABEL.json.
run() {
	label=$1
	shift
	# shellcheck disable=SC2086
	edgeai-run apps --duration "$duration" --json "/tmp/$label.json" --label "$label" "$@" \
		$hogs "$cam" > "/tmp/run-$label.log" 2>&1
	rc=$?
	sed -n '/^app /,/^$/p' "/tmp/run-$label.log" | sed 's/^/# /'
	return $rc
}
# field LABEL APP KEY: an application's figure in a run's summary.
field() { jq -r ".apps[] | select(.name == \"$2\") | .$3" "/tmp/$1.json"; }
# taken LABEL PLAN: frames cam's fallback graph PLAN took.
taken() {
	jq -r ".apps[] | select(.name == \"cam\") | .fallback_graphs[] |
		select(.plan == \"$2\") | .taken" "/tmp/$1.json"
}

run off --admit --no-fallbacks
ok $? "edgeai-run --admit --no-fallbacks: cam beside the hogs"
off_ref=$(field off cam refused)
off_met=$(field off cam met)
off_fb=$(field off cam fallbacks)
ok "$([ "${off_ref:-0}" -gt 0 ] && [ "$off_fb" = 0 ] &&
	[ "$(field off cam fallback_graphs | jq length)" = 0 ]; echo $?)" \
	"  big is busy: $off_ref of cam's frames refused, no fallback graph ($off_met met)"

# wait_ns while the hogs run: the NPU's queue of the high class counts
# for a normal stage; an idle cluster shows nothing.
edgeai-run apps --duration 3 $hogs > /dev/null 2>&1 &
hogs_pid=$!
usleep 1000000
wl=$(cat /sys/class/misc/edgeai/clusters/little/wait_ns)
fins='' npu_min='' npu_max=0
for _ in 1 2 3 4 5; do
	# shellcheck disable=SC2046
	set -- $(cat /sys/class/misc/edgeai/clusters/npu/wait_ns)
	ms=$((${3:-0} / 1000000))
	fins="$fins $((ms + 30))"
	[ -z "$npu_min" ] || [ "$ms" -lt "$npu_min" ] && npu_min=$ms
	[ "$ms" -gt "$npu_max" ] && npu_max=$ms
	usleep 200000
done
wait $hogs_pid
ok "$([ "$npu_min" -ge 30 ] && [ "$wl" = "0 0 0 0" ]; echo $?)" \
	"wait_ns: the NPU's hog shows for the normal class ($npu_min-$npu_max ms), idle LITTLE none ($wl)"
# The median of the five (the kernel's costs are what it measured: TCG's
# timing moves them).
med=$(echo "$fins" | tr ' ' '\n' | sed '/^$/d' | sort -n | sed -n 3p)
ok "$([ "${med:-999}" -lt 200 ]; echo $?)" \
	"  cam's NPU graph would mostly end within the deadline (200 ms; median $med of$fins ms): the fastest alone, it is tried first in the fixed order; G0-2 L3-13 on idle clusters ends in 120"

run on --admit
ok $? "edgeai-run --admit: cam with its fallback graphs"
grep -q "fallback graphs" "/tmp/run-on.log"
ok $? "  edgeai-run says how many fallback graphs each application has"
on_ref=$(field on cam refused)
on_met=$(field on cam met)
on_fb=$(field on cam fallbacks)
on_arr=$(field on cam frames)
ok "$([ "${on_fb:-0}" -gt 0 ]; echo $?)" \
	"  frames refused on the plan's graph are taken by a fallback graph ($on_fb of $on_arr)"
ok "$([ "${on_met:-0}" -ge $((off_met + on_fb / 2)) ] && [ "${on_ref:-0}" -lt "$off_ref" ]; echo $?)" \
	"  and meet their deadline: $on_met met (without fallbacks $off_met), $on_ref refused (without $off_ref)"
fast=$(taken on "N0-13")
gl=$(taken on "G0-2 L3-13")
ok "$([ -n "$fast" ] && [ -n "$gl" ] && [ "$gl" -gt "$fast" ]; echo $?)" \
	"  by least expected finish: G0-2 L3-13 (120 ms alone, idle clusters) takes $gl, the NPU's (30 ms alone, behind its hog) $fast"
jq -r '.apps[] | select(.name == "cam") | .fallback_graphs[] |
	"# \(.plan): \(.latency_ms | floor) ms alone, took \(.taken)"' /tmp/on.json

# Late frames.  lrun LABEL OPTIONS...: lcam beside the LITTLE hog; the
# stages LITTLE ran in /tmp/LABEL.little.
lhog="lhog:model=MobileV1,elements=L,prio=high,fps=4"
lcam="lcam:model=MobileV1,elements=BL,prio=normal,fps=5,deadline=150"
lrun() {
	label=$1
	shift
	before=$(cat /sys/class/misc/edgeai/clusters/little/stages_done)
	edgeai-run apps --duration "$duration" --json "/tmp/$label.json" --label "$label" \
		--admit --no-fallbacks "$@" "$lhog" "$lcam" > "/tmp/run-$label.log" 2>&1
	rc=$?
	echo $(($(cat /sys/class/misc/edgeai/clusters/little/stages_done) - before)) \
		> "/tmp/$label.little"
	sed -n '/^app /,/^$/p' "/tmp/run-$label.log" | sed 's/^/# /'
	return $rc
}
# cam_little LABEL: the stages LITTLE ran for lcam (all but the hog's).
cam_little() { echo $(($(cat "/tmp/$1.little") - $(field "$1" lhog "done"))); }

lrun late --no-cancel-late --no-alts
ok $? "edgeai-run --admit --no-cancel-late --no-alts: lcam beside the LITTLE hog"
late_missed=$(field late lcam missed)
late_done=$(field late lcam "done")
late_sub=$(($(field late lcam frames) - $(field late lcam dropped) - $(field late lcam refused)))
late_l=$(cam_little late)
ok "$([ "$(jq -r .cancel_late /tmp/late.json)" = false ] &&
	[ "$(field late lcam cancelled_late)" = 0 ] && [ "${late_missed:-0}" -gt 0 ] &&
	[ "$late_done" = "$late_sub" ] && [ "$late_l" = "$late_done" ]; echo $?)" \
	"  late frames run late: $late_missed of $late_done missed, every admitted frame ran its LITTLE stage ($late_l of $late_sub)"

lrun cancel --no-alts
ok $? "edgeai-run --admit --no-alts: lcam beside the LITTLE hog, late frames cancelled"
grep -q "cancelled late" /tmp/run-cancel.log
ok $? "  edgeai-run says how many frames it cancelled late"
can_late=$(field cancel lcam cancelled_late)
can_missed=$(field cancel lcam missed)
can_done=$(field cancel lcam "done")
can_l=$(cam_little cancel)
ok "$([ "$(jq -r .cancel_late /tmp/cancel.json)" = true ] && [ "${can_late:-0}" -gt 0 ] &&
	[ "$can_missed" -ge "$can_late" ]; echo $?)" \
	"  late frames are cancelled: $can_late, counted in missed ($can_missed)"
ok "$([ "$can_l" -ge "$can_done" ] && [ "$can_l" -lt $((can_done + can_late)) ]; echo $?)" \
	"  and a cancelled frame's LITTLE stage does not run: LITTLE ran $can_l for $can_done done and $can_late cancelled"

lrun alts --no-cancel-late
ok $? "edgeai-run --admit --no-cancel-late: lcam beside the LITTLE hog, with stage alternatives"
alts_missed=$(field alts lcam missed)
alts_done=$(field alts lcam "done")
alts_l=$(cam_little alts)
ok "$([ "$(jq -r .stage_alts_enabled /tmp/alts.json)" = true ] &&
	[ "$(field alts lcam stage_alts)" -gt 0 ]; echo $?)" \
	"  edgeai-run declares lcam's stage alternatives ($(field alts lcam stage_alts)) on a module that takes them"
ok "$([ "$alts_l" -lt "$alts_done" ] && [ "${alts_missed:-0}" -lt "${late_missed:-0}" ]; echo $?)" \
	"  a LITTLE stage behind the hog runs on big instead: LITTLE ran $alts_l of $alts_done, $alts_missed missed (without alternatives $late_missed)"

kill -TERM $daemon
wait $daemon
rmmod edgeai
ok $? "edgeai.ko unloads"
tap_done
