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

# vm_export FILE [NAME]: sends FILE to the host over the console, where
# tests/vm/run --export DIR writes it as DIR/NAME (default its base name).
vm_export() {
	gzip -c "$1" | base64 | sed "s/^/@@F ${2:-$(basename "$1")} /"
}
