#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The man pages of docs/man/ other than edgeaictl(8) (ctl_man_test.sh has
# that one) against the programs' --help, both ways:
#   edgeaid(8): options, backends, configuration keys, environment,
#     signals and exit statuses;
#   edgeai-plan(1), edgeai-sim(1), edgeai-run(1): the synopsis is the usage,
#     every option --help names has a paragraph and every paragraph's
#     option exists;
#   libedgeai(3): every function of include/edgeai.h is named.
# And every page formats without warnings where groff is installed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/${BUILD:-build}/bin
man=$top/docs/man
# shellcheck source=tests/unit/lib.sh
. "$top/tests/unit/lib.sh"

# The lines of section .SH NAME of page $1, as text.
section() {
	awk -v want="$2" '
		$1 == ".SH" { on = (substr($0, 5) == want); next }
		on { print }' "$1" | man_text
}

# The tags of the .TP paragraphs of section .SH NAME of page $1, as text
# (.B/.BR/.BI macros read as their text).
tags() {
	awk -v want="$2" '
		$1 == ".SH" { on = (substr($0, 5) == want); next }
		on && tp { print; tp = 0; next }
		on && $1 == ".TP" { tp = 1 }' "$1" | man_text |
		sed -E -e 's/^\.B[RI]? //' -e 's/"//g' -e 's/ ", " /, /'
}

# Whitespace runs as one blank: layout differs, words must not.
squash() { tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'; }

# The lines of a --help section: from "NAME:" to the next blank line.
help_section() { sed -n "/^$1:/,/^\$/p" | sed 1d; }

for p in edgeaid edgeai-plan edgeai-sim edgeai-run; do
	[ -x "$bin/$p" ] || { echo "not ok 1 - $bin/$p is built"; echo "1..1"; exit 1; }
done

# ---------------------------------------------------------------- edgeaid(8)
page=$man/edgeaid.8
help=$("$bin/edgeaid" --help)
ok $? "edgeaid --help exits 0"

# "  -c, --config FILE   read ..." -> "-c, --config FILE"
help_opts=$(echo "$help" | help_section Options | sed -n 's/^  \(-[^ ].*\)$/\1/p' |
	sed -E 's/ {2,}.*//')
page_opts=$(tags "$page" OPTIONS)
ok_if test -n "$help_opts" "edgeaid --help lists options"
while IFS= read -r o; do
	echo "$page_opts" | grep -qxF -- "$o"
	ok $? "edgeaid(8) OPTIONS describes \"$o\""
done <<< "$help_opts"
while IFS= read -r o; do
	echo "$help_opts" | grep -qxF -- "$o"
	ok $? "edgeaid --help lists the page's option \"$o\""
done <<< "$page_opts"

help_backends=$(echo "$help" | help_section Backends | sed -n 's/^  \([a-z]\+\)  .*/\1/p')
page_backends=$(tags "$page" BACKENDS)
ok_if test -n "$help_backends" "edgeaid --help lists backends"
ok_if test "$(echo "$help_backends" | sort)" = "$(echo "$page_backends" | sort)" \
	"edgeaid(8) BACKENDS are --help's: $(echo $help_backends)"

# "  backend = sim|armnn|none", "  cache = N   loaded ..." -> the key.
help_keys=$(echo "$help" | sed -n '/^Configuration/,/^$/p' |
	sed -n 's/^  \([a-z_]\+\) = .*/\1/p' | sort -u)
page_conf=$(section "$page" CONFIGURATION)
ok_if test -n "$help_keys" "edgeaid --help lists configuration keys"
for k in $help_keys; do
	echo "$page_conf" | grep -qE "^$k( |$)"
	ok $? "edgeaid(8) CONFIGURATION describes the key $k"
done
for k in $(echo "$page_conf" | sed -n 's/^\([a-z_]\+\) = .*/\1/p' | sort -u); do
	echo "$help_keys" | grep -qx "$k"
	ok $? "edgeaid --help has the page's key $k"
done
for s in '[daemon]' '[defaults]' '[cluster NAME]'; do
	echo "$help" | grep -qF "$s" && echo "$page_conf" | grep -qF "$s"
	ok $? "both name the section $s"
done

help_env=$(echo "$help" | help_section Environment | sed -n 's/^  \([A-Z_]\+\) .*/\1/p' | sort)
page_env=$(tags "$page" ENVIRONMENT | sort)
ok_if test -n "$help_env" "edgeaid --help lists environment variables"
ok_if test "$help_env" = "$page_env" "edgeaid(8) ENVIRONMENT is --help's: $(echo $help_env)"

page_exit=$(section "$page" "EXIT STATUS" | squash)
for phrase in "0 after a clean stop or a listing" "1 on a failure" \
	"2 on a usage or configuration error"; do
	echo "$help" | squash | grep -qF "$phrase" && echo "$page_exit" | grep -qF "$phrase"
	ok $? "both give the exit status \"$phrase\""
done
echo "$help" | grep -q "SIGTERM, SIGINT" && tags "$page" SIGNALS | grep -qxF "SIGTERM, SIGINT"
ok $? "both describe SIGTERM and SIGINT"

# ------------------------------------ edgeai-plan(1), edgeai-sim(1), edgeai-run(1)
for p in edgeai-plan edgeai-sim edgeai-run; do
	page=$man/$p.1
	help=$("$bin/$p" --help)
	ok $? "$p --help exits 0"
	# The usage: --help up to its first blank line.
	usage=$(echo "$help" | sed '/^$/,$d' | sed 's/^usage: //' | squash)
	synopsis=$(section "$page" SYNOPSIS | grep -v '^\.[nf][fi]$' | squash)
	ok_if test "$usage" = "$synopsis" "$p(1) SYNOPSIS is the usage of --help"
	[ "$usage" = "$synopsis" ] || diff <(echo "$usage" | tr ' ' '\n') \
		<(echo "$synopsis" | tr ' ' '\n') | sed 's/^/# /'
	help_long=$(echo "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)
	page_long=$(tags "$page" OPTIONS | grep -o -- '--[a-z][a-z-]*' | sort -u)
	for o in $help_long; do
		echo "$page_long" | grep -qx -- "$o"
		ok $? "$p(1) OPTIONS describes $o"
	done
	for o in $page_long; do
		case $o in
		--json|--help)
			# Not in the usage text, but taken.
			ok_if grep -q "\"${o#--}\"" "$top"/userspace/*/"$p".c \
				"$p takes the page's $o" ;;
		*)
			echo "$help_long" | grep -qx -- "$o"
			ok $? "$p --help names the page's option $o" ;;
		esac
	done
done

# ---------------------------------------------------------------- libedgeai(3)
page=$man/libedgeai.3
text=$(man_text < "$page")
funcs=$(grep -oE '\bedgeai_[a-z_]+\(' "$top/include/edgeai.h" | tr -d '(' | sort -u)
ok_if test -n "$funcs" "include/edgeai.h declares functions"
missing=
for f in $funcs; do
	echo "$text" | grep -qw "$f" || missing="$missing $f"
done
ok_if test -z "$missing" "libedgeai(3) names every function of edgeai.h${missing:+; missing:$missing}"

# ---------------------------------------------------------------- groff
groff_clean "$man"/edgeaid.8 "$man"/libedgeai.3 "$man"/edgeai-plan.1 "$man"/edgeai-sim.1 \
	"$man"/edgeai-run.1
tap_end
