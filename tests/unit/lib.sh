# SPDX-License-Identifier: GPL-2.0-only
# Helpers of the host's shell tests (bash), sourced by tests/unit/*.sh and
# tests/hardening/userspace.sh: TAP results, and man pages read as text.
# (The VM's shell tests have their own, for busybox: tests/vm/lib.sh.)

n=0 failed=0

# ok STATUS DESCRIPTION: STATUS 0 passes.
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

# ok_if COMMAND... DESCRIPTION: a check that passes when COMMAND does.
ok_if() {
	local what=${*: -1}
	"${@:1:$#-1}"
	ok $? "$what"
}

# skip REASON...: a check that cannot run here.
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }

# tap_end: the plan line; its status is the script's, 0 when nothing failed.
tap_end() {
	echo "1..$n"
	[ "$failed" = 0 ]
}

# man_text: a man page's source (stdin) as text: font escapes gone, \- as
# -, \e as \, \(mu as x, \(em as --, \~ as a blank.
man_text() {
	sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/\\(mu/x/g' \
		-e 's/\\(em/--/g' -e 's/\\~/ /g'
}

# groff_clean PAGE...: a check per page that groff formats it without
# warnings (the warnings as diagnostics); one skip where groff is missing.
groff_clean() {
	local page warnings

	if ! command -v groff >/dev/null; then
		skip "groff not installed"
		return
	fi
	for page; do
		warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
		ok_if test -z "$warnings" "groff formats $(basename "$page") without warnings"
		if [ -n "$warnings" ]; then
			echo "$warnings" | sed 's/^/# /'
		fi
	done
}
