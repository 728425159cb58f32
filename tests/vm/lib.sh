# SPDX-License-Identifier: GPL-2.0-only
# TAP helpers for shell tests in the VM (busybox sh).

tap_n=0
tap_failed=0

# ok STATUS DESCRIPTION: STATUS 0 passes.
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# check DESCRIPTION COMMAND...: runs COMMAND, passes when it succeeds.
check() {
	desc=$1
	shift
	"$@" >/tmp/check.out 2>&1
	ok $? "$desc"
	[ -s /tmp/check.out ] && sed 's/^/# /' /tmp/check.out
	return 0
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}

edgeai_loaded() {
	grep -q '^edgeai ' /proc/modules
}

# sim_board_conf FILE [TEXT]: edgeaid's configuration of the simulated
# RK3399Pro into FILE: every cluster on the sim backend, each stage costed
# by the board profile's layers; then TEXT (more sections), if given.
sim_board_conf() {
	cat > "$1" <<CONF
[daemon]
board = rk3399pro

[defaults]
backend = sim
sim_cost = board
CONF
	[ -z "$2" ] || printf '\n%s\n' "$2" >> "$1"
}

# vm_export FILE [NAME]: sends FILE to the host over the console, where
# tests/vm/run --export DIR writes it as DIR/NAME (default its base name).
vm_export() {
	gzip -c "$1" | base64 | sed "s/^/@@F ${2:-$(basename "$1")} /"
}
