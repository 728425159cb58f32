#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# edgeaictl's --help against its man page, docs/man/edgeaictl.8: every
# command has a section whose synopsis is its usage line, and every option
# --help lists is described there (the common ones in OPTIONS).  Also:
# the page formats without warnings where groff is installed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=${EDGEAICTL:-$top/${BUILD:-build}/bin/edgeaictl}
man=$top/docs/man/edgeaictl.8
# shellcheck source=tests/unit/lib.sh
. "$top/tests/unit/lib.sh"

if [ ! -x "$ctl" ]; then
	echo "not ok 1 - $ctl is built"
	echo "1..1"
	exit 1
fi

# The lines of section .SS NAME (or .SH NAME), as text.
section() {
	awk -v want="$1" -v kind="$2" '
		$1 == kind && $2 == want { on = 1; next }
		on && ($1 == ".SS" || $1 == ".SH") { on = 0 }
		on { print }' "$man" | man_text
}

# The tags of a section's .TP paragraphs (its options), as text.
tagged() {
	awk -v want="$1" '
		$1 == ".SS" && $2 == want { on = 1; next }
		on && ($1 == ".SS" || $1 == ".SH") { on = 0 }
		on && tp { print; tp = 0; next }
		on && $1 == ".TP" { tp = 1 }' "$man" | man_text
}

# Options column of --help: "-c, --count N" (long-only "--jobs").
help_opts() {
	sed -n '/^Options:/,/^$/p' | sed -n 's/^  \(-[^ ].*\)$/\1/p; s/^      \(--.*\)$/\1/p' |
		sed 's/   .*//; s/ *$//'
}

commands=$("$ctl" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
ok "$([ -n "$commands" ]; echo $?)" "--help lists commands: $(echo $commands)"

common=$(section OPTIONS .SH)
for c in $commands; do
	sec=$(section "$c" .SS)
	ok "$([ -n "$sec" ]; echo $?)" "$c has a section in edgeaictl(8)"
	usage=$("$ctl" "$c" --help | sed -n 's/^Usage: //p')
	echo "$sec" | grep -qxF -- "$usage"
	ok $? "$c: the man page's synopsis is the usage line \"$usage\""
	"$ctl" "$c" --help >/dev/null
	ok $? "$c --help exits 0"
	"$ctl" help "$c" | cmp -s - <("$ctl" "$c" --help)
	ok $? "help $c is $c --help"
	while IFS= read -r opt; do
		[ -n "$opt" ] || continue
		case $opt in
		"-j, --json"|"-p, --pretty"|"-h, --help")
			echo "$common" | grep -qxF -- "$opt"
			ok $? "$c: common option \"$opt\" is in OPTIONS" ;;
		*)
			echo "$sec" | grep -qxF -- "$opt"
			ok $? "$c: option \"$opt\" is described in its section" ;;
		esac
	done < <("$ctl" "$c" --help | help_opts)
done

# And the other way: every option the page gives a command exists.
for c in $commands; do
	helptext=$("$ctl" "$c" --help | help_opts)
	while IFS= read -r opt; do
		echo "$helptext" | grep -qxF -- "$opt"
		ok $? "$c: the page's option \"$opt\" is in --help"
	done < <(tagged "$c")
done

for opt in "-V, --version" "-j, --json"; do
	"$ctl" --help | grep -qF "  $opt"
	ok $? "edgeaictl --help lists $opt"
done

groff_clean "$man"
tap_end
