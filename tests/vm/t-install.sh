#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The Debian packages installed on a "board" and used as its owner would:
# the packages unpacked over / (tests/vm/stage-root made the root on the
# host: .debs, their library dependencies, edgeai.ko built by DKMS),
# their maintainer scripts' work done by hand (the group, depmod), then
# with the real programs of a Debian system, shipped by t-install.sh.rootfs:
#   - systemd-modules-load loads the module at "boot" from modules-load.d,
#     with the options of modprobe.d (libkmod);
#   - systemd-udevd applies 60-edgeai.rules: /dev/edgeai root:edgeai 0660;
#   - systemd (PID 1 of a PID namespace) starts edgeaid.service as it is
#     installed: Type=notify, the hardening in force, Restart=on-failure,
#     no restart after a configuration error, a clean stop;
#   - a member of the group runs jobs through the installed libedgeai.so.1,
#     a user outside it is refused with EACCES;
#   - edgeai-metrics.service writes node_exporter's textfile, and Debian's
#     node_exporter serves it over HTTP;
#   - busybox's modprobe loads the module with modprobe.d's options too.
# Loads the module itself (t-install.sh.modparams: none).

. /tests/lib.sh

kver=$(uname -r)
ma=x86_64-linux-gnu
sdpid=

diag() { echo "# $*"; }

# ---------------------------------------------------------------- install
# What runs now is static (busybox): libraries the guest holds already
# may be written again (the same files, from the host).
check "the packages' files unpack over /" cp -a /tests/edgeai-root/. /
missing=
for f in /usr/bin/edgeaictl /usr/bin/edgeai-plan /usr/bin/edgeai-sim /usr/sbin/edgeaid \
	/usr/lib/$ma/libedgeai.so.1 /usr/lib/$ma/pkgconfig/edgeai.pc /usr/include/edgeai.h \
	/usr/include/linux/edgeai.h /lib/udev/rules.d/60-edgeai.rules \
	/lib/systemd/system/edgeaid.service /usr/lib/modules-load.d/edgeai.conf \
	/etc/modprobe.d/edgeai.conf /usr/share/edgeai/boards/rk3399pro/board.json \
	/usr/src/edgeai-*/dkms.conf /lib/modules/$kver/updates/dkms/edgeai.ko; do
	[ -e "$f" ] || missing="$missing $f"
done
ok "$([ -z "$missing" ]; echo $?)" "every file a board needs is installed${missing:+; missing:$missing}"

# The host's programs t-install.sh.rootfs ships (scripts/setup-deps
# installs them): without them the rest cannot run.
for prog in /lib/systemd/systemd /bin/systemctl /lib/systemd/systemd-udevd /bin/udevadm \
	/lib/systemd/systemd-modules-load /sbin/depmod /sbin/modprobe /sbin/modinfo; do
	if [ ! -x "$prog" ]; then
		skip "the rest needs $prog from the host (systemd, udev, kmod: scripts/setup-deps)"
		tap_done
		exit
	fi
done

# edgeai-tools' postinst: the system group; the administrator: a member.
mkdir -p /etc /root /home/alice /home/bob
cat > /etc/passwd <<EOF
root:x:0:0:root:/root:/bin/sh
alice:x:1000:1000:a member of edgeai:/home/alice:/bin/sh
bob:x:1001:1001:not a member:/home/bob:/bin/sh
EOF
cat > /etc/group <<EOF
root:x:0:
edgeai:x:990:alice
alice:x:1000:
bob:x:1001:
EOF
chown alice /home/alice 2>/dev/null
chown bob /home/bob 2>/dev/null

# DKMS's install step ends with depmod.
out=$(/sbin/depmod -a "$kver" 2>&1)
ok $? "depmod (kmod) indexes the modules"
[ -n "$out" ] && echo "$out" | sed 's/^/# depmod: /'
check "modules.dep has DKMS's edgeai.ko" grep -q '^updates/dkms/edgeai.ko:' /lib/modules/$kver/modules.dep
check "modprobe resolves edgeai to DKMS's module" \
	sh -c "/sbin/modprobe --show-depends edgeai | grep -q updates/dkms/edgeai.ko"
signer=$(/sbin/modinfo -F signer edgeai)
ok "$([ "$signer" = "DKMS module signing key" ]; echo $?)" "  signed by DKMS's key (signer: $signer)"

# ---------------------------------------------------------------- boot
/lib/systemd/systemd-udevd --daemon >/tmp/udevd.log 2>&1
ok $? "systemd-udevd starts"

# What the administrator adds for this board, next to the packaged file:
# the RK3399Pro's clusters as virtual ones (the VM has no cpufreq driver),
# as the installed edgeai-run prints them, and a limit.
params=$(edgeai-run modparams --board rk3399pro)
ok $? "edgeai-run modparams gives the installed board profile's clusters"
clusters=$(echo "$params" | sed -n 's/^clusters=\([^ ]*\).*/\1/p')
echo "options edgeai $params max_jobs_per_uid=64" > /etc/modprobe.d/edgeai-board.conf
conf_err=$(/sbin/modprobe -c 2>&1 >/dev/null)
ok "$([ -z "$conf_err" ]; echo $?)" "kmod reads the packaged modprobe.d file without complaint"
[ -n "$conf_err" ] && echo "$conf_err" | sed 's/^/# /'
opts=$(/sbin/modprobe -c | grep '^options edgeai ')
ok "$([ "$(echo "$opts" | wc -l)" = 1 ]; echo $?)" "the packaged file sets no option by itself (only comments)"

out=$(/lib/systemd/systemd-modules-load 2>&1)
ok $? "systemd-modules-load loads modules-load.d/edgeai.conf"
[ -n "$out" ] && echo "$out" | sed 's/^/# modules-load: /'
check "edgeai.ko is loaded" edgeai_loaded
check "  with clusters= from modprobe.d" \
	test "$(cat /sys/module/edgeai/parameters/clusters)" = "$clusters"
check "  and max_jobs_per_uid= from modprobe.d" \
	test "$(cat /sys/module/edgeai/parameters/max_jobs_per_uid)" = 64

udevadm settle -t 20
owner=$(stat -c '%U:%G %a' /dev/edgeai)
ok "$([ "$owner" = "root:edgeai 660" ]; echo $?)" "udev gives /dev/edgeai to root:edgeai, mode 0660 (got $owner)"

# ---------------------------------------------------------------- systemd
echo 0123456789abcdef0123456789abcdef > /etc/machine-id
mkdir -p /etc/systemd/system
printf '[Unit]\nDescription=the VM test of the packages\n' > /etc/systemd/system/edgeai-vm.target
# What a service's default dependencies name, as stand-ins: the guest has
# none of Debian's other units.
for u in sysinit.target basic.target shutdown.target multi-user.target; do
	printf '[Unit]\nDescription=%s\nDefaultDependencies=no\n' "$u" > /etc/systemd/system/$u
done
printf '[Unit]\nDescription=System Slice\nDefaultDependencies=no\n' > /etc/systemd/system/system.slice
unshare -p -f -m --mount-proc env container=edgeai-vm /lib/systemd/systemd --system \
	--unit=edgeai-vm.target --log-target=console --log-level=notice </dev/null >/dev/null 2>&1 &
for i in $(seq 100); do
	sdpid=$(pidof systemd)
	[ -n "$sdpid" ] && [ -S /run/systemd/private ] && break
	sleep 0.1
done
ok "$([ -n "$sdpid" ] && [ -S /run/systemd/private ]; echo $?)" "systemd runs as PID 1 of a namespace"
# systemctl in systemd's namespaces: it refuses clients it cannot see.
sctl() { nsenter -t "$sdpid" -p -m systemctl --no-ask-password --no-pager "$@"; }
prop() { sctl show -P "$1" edgeaid.service; }
for i in $(seq 50); do
	[ "$(sctl is-system-running 2>/dev/null)" = running ] && break
	sleep 0.1
done

check "systemctl start edgeaid (returns once edgeaid says READY=1)" sctl start edgeaid.service
check "  active, running" test "$(prop ActiveState)/$(prop SubState)" = active/running
check "  Type=notify" test "$(prop Type)" = notify
status=$(prop StatusText)
ok "$([ "$status" = "Serving 4 clusters" ]; echo $?)" "  its STATUS= came through: \"$status\""
pid=$(pidof edgeaid)
ok "$([ -n "$pid" ]; echo $?)" "  edgeaid runs (pid $pid)"
execs=$(cat /sys/class/misc/edgeai/clusters/*/executors | tr '\n' ' ')
ok "$([ "$execs" = "1 1 1 1 " ]; echo $?)" "  one executor attached per cluster ($execs)"
check "  ExecStart is the installed program" \
	grep -qx 'ExecStart=/usr/sbin/edgeaid' /lib/systemd/system/edgeaid.service
check "  its capability bounding set is CAP_SYS_ADMIN alone" \
	grep -qx 'CapBnd:	0000000000200000' /proc/$pid/status
check "  no new privileges" grep -qx 'NoNewPrivs:	1' /proc/$pid/status
check "  a seccomp filter" grep -qx 'Seccomp:	2' /proc/$pid/status
check "  a network namespace of its own" \
	test -n "$pid" -a "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)"
out=$(nsenter -t "$pid" -m touch /usr/edgeai-rw-test 2>&1)
echo "$out" | grep -q "Read-only file system" && touch /usr/edgeai-rw-test &&
	rm /usr/edgeai-rw-test
ok $? "  /usr read-only in its mount namespace (ProtectSystem=strict), not outside"

# ---------------------------------------------------------------- jobs
done0=$(cat /sys/class/misc/edgeai/stats/completed)
out=$(su alice -c "/tests/edgeai-submit -n 3 little big gpu" 2>&1)
ok $? "alice (group edgeai) runs 3 jobs through little, big and gpu"
echo "$out" | sed 's/^/# alice: /'
done1=$(cat /sys/class/misc/edgeai/stats/completed)
ok "$([ $((done1 - done0)) = 3 ]; echo $?)" "  the module counts them completed ($done0 -> $done1)"
check "  edgeai-submit runs on the installed libedgeai.so.1" \
	sh -c "LD_TRACE_LOADED_OBJECTS=1 /tests/edgeai-submit | grep -q '/usr/lib/$ma/libedgeai.so.1'"
check "alice: edgeaictl status" su alice -c "edgeaictl status"
check "alice: edgeai-plan finds the installed board data" \
	su alice -c "cd /home/alice && edgeai-plan info --board rk3399pro >/dev/null"

out=$(su alice -c "cd /home/alice && edgeai-run apps --duration 3 --json /home/alice/run.json \
	cam:model=MobileV1,goal=throughput,fps=5" 2>&1)
ok $? "alice: edgeai-run runs a camera application (MobileNetV1, 5 FPS, 3 s)"
echo "$out" | sed -n '/^app/,/^$/p' | sed 's/^/# /'
done_frames=$(sed -n 's/.*"done": *\([0-9]*\).*/\1/p' /home/alice/run.json)
ok "$([ "${done_frames:-0}" -ge 5 ]; echo $?)" "  its frames are done (${done_frames:-none})"

# Precision variants from the installed declared accuracies
# (/usr/share/edgeai/accuracy): some layers int8 on the NPU.
out=$(su alice -c "cd /home/alice && edgeai-plan variants --board rk3399pro --model MobileV1 \
	--floor 70.5" 2>&1)
ok $? "alice: edgeai-plan variants reads the installed accuracy data"
echo "$out" | grep -q "int8"
ok $? "  and puts some layers on the NPU in int8 for a 70.5 % floor"
out=$(su alice -c "cd /home/alice && edgeai-run apps --duration 2 \
	cam8:model=MobileV1,floor=70.5,fps=5" 2>&1)
ok $? "alice: edgeai-run runs that choice as a graph (floor=70.5)"
echo "$out" | sed -n '/^app/,/^$/p' | sed 's/^/# /'

out=$(su bob -c "/tests/edgeai-submit little" 2>&1)
rc=$?
echo "$out" | sed 's/^/# bob: /'
ok "$([ $rc = 3 ]; echo $?)" "bob (not in the group) cannot open the device (status $rc)"
echo "$out" | grep -q "Permission denied"
ok $? "  and is told: EACCES, Permission denied"

# ---------------------------------------------------------------- metrics
# edgeai-metrics.service as installed (with a drop-in for a 1 s interval,
# as an administrator would write one), read back over HTTP by Debian's
# node_exporter with its textfile collector.
ne=/tests/prometheus-node-exporter
tf=/var/lib/prometheus/node-exporter
if [ ! -x "$ne" ]; then
	skip "node_exporter: /tests/prometheus-node-exporter is missing (scripts/setup-deps unpacks Debian's into the cache)"
else
	mkdir -p $tf /etc/systemd/system/edgeai-metrics.service.d
	rm -f $tf/edgeai.prom
	cmd=$(sed -n 's/^ExecStart=\(.*\) --interval 15s$/\1/p' /lib/systemd/system/edgeai-metrics.service)
	printf '[Service]\nExecStart=\nExecStart=%s --interval 1s\nStandardError=file:/run/edgeai-metrics.log\n' \
		"$cmd" > /etc/systemd/system/edgeai-metrics.service.d/interval.conf
	sctl daemon-reload
	check "systemctl start edgeai-metrics" sctl start edgeai-metrics.service
	check "  active, running" test "$(sctl show -P SubState edgeai-metrics.service)" = running
	# Its first write comes once it listens: jobs before it are not seen.
	for i in $(seq 100); do
		[ -s $tf/edgeai.prom ] && break
		sleep 0.2
	done
	check "  it wrote $tf/edgeai.prom" test -s $tf/edgeai.prom
	check "alice runs 3 more jobs" su alice -c "/tests/edgeai-submit -n 3 little big gpu"
	for i in $(seq 50); do
		grep -q '^edgeai_graph_latency_seconds_count{graph="submit"} [1-9]' $tf/edgeai.prom 2>/dev/null &&
			break
		sleep 0.2
	done
	"$ne" --web.listen-address=127.0.0.1:9100 --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory=$tf > /tmp/node-exporter.log 2>&1 &
	nep=$!
	for i in $(seq 100); do
		wget -q -O /tmp/metrics http://127.0.0.1:9100/metrics 2>/dev/null && break
		sleep 0.2
	done
	check "node_exporter serves http://127.0.0.1:9100/metrics" test -s /tmp/metrics
	check "  its textfile collector read edgeai.prom without error" \
		grep -qx 'node_textfile_scrape_error 0' /tmp/metrics
	check "  edgeai_up 1" grep -qx 'edgeai_up 1' /tmp/metrics
	n=$(grep -c '^edgeai_cluster_frequency_hertz{' /tmp/metrics)
	ok "$([ "$n" = 4 ]; echo $?)" "  a frequency for each of the 4 clusters ($n)"
	c=$(sed -n 's/^edgeai_graph_latency_seconds_count{graph="submit"} //p' /tmp/metrics)
	ok "$([ "${c:-0}" -ge 3 ] 2>/dev/null; echo $?)" \
		"  a latency histogram of alice's graph, with her jobs (count ${c:-none})"
	grep '^edgeai_jobs_submitted_total\|^edgeai_graph_latency_seconds_count' /tmp/metrics |
		sed 's/^/# /'
	sed 's/^/# edgeai-metrics: /' /run/edgeai-metrics.log 2>/dev/null
	kill "$nep"
	check "systemctl stop edgeai-metrics" sctl stop edgeai-metrics.service
	check "  a clean stop (Result=success)" \
		test "$(sctl show -P Result edgeai-metrics.service)" = success
fi

# ---------------------------------------------------------------- restart
kill -KILL "$pid"
for i in $(seq 100); do
	new=$(pidof edgeaid)
	[ -n "$new" ] && [ "$new" != "$pid" ] && [ "$(prop SubState)" = running ] && break
	sleep 0.1
done
ok "$([ -n "$new" ] && [ "$new" != "$pid" ]; echo $?)" "killed, edgeaid is restarted (Restart=on-failure: pid $pid -> $new)"
check "  NRestarts=1" test "$(prop NRestarts)" = 1
check "  and serves again: alice's job runs" su alice -c "/tests/edgeai-submit little"

# ---------------------------------------------------------------- stop
check "systemctl stop edgeaid" sctl stop edgeaid.service
check "  a clean stop (SIGTERM, status 0: Result=success)" test "$(prop Result)" = success
execs=$(cat /sys/class/misc/edgeai/clusters/*/executors | tr '\n' ' ')
ok "$([ "$execs" = "0 0 0 0 " ]; echo $?)" "  its executors detached ($execs)"

# A configuration error (status 2) is not restarted.
mkdir -p /etc/edgeai
printf '[defaults]\nno_such_key = 1\n' > /etc/edgeai/edgeaid.conf
sctl start edgeaid.service >/dev/null 2>&1
ok "$([ $? != 0 ]; echo $?)" "a bad /etc/edgeai/edgeaid.conf: the start fails"
sleep 3
check "  with status 2, and no restart (RestartPreventExitStatus=2)" \
	test "$(prop ExecMainStatus)/$(prop NRestarts)/$(prop ActiveState)" = 2/0/failed
rm /etc/edgeai/edgeaid.conf
sctl reset-failed edgeaid.service 2>/dev/null

# The module without the service: skipped, not failed.
check "modprobe -r edgeai (kmod)" /sbin/modprobe -r edgeai
sctl start edgeaid.service >/dev/null 2>&1
check "without /dev/edgeai the service is skipped (ConditionPathExists)" \
	test "$(prop ConditionResult)/$(prop ActiveState)" = no/inactive

# busybox's modprobe: modules.dep and modprobe.d are enough for it too.
check "modprobe edgeai (busybox)" busybox modprobe edgeai
check "  with clusters= from modprobe.d" \
	test "$(cat /sys/module/edgeai/parameters/clusters)" = "$clusters"
check "modprobe -r edgeai (busybox)" busybox modprobe -r edgeai

# ---------------------------------------------------------------- cleanup
[ -n "$sdpid" ] && kill -KILL "$sdpid"
udevadm control --exit 2>/dev/null || killall systemd-udevd 2>/dev/null
edgeai_loaded && rmmod edgeai
tap_done
