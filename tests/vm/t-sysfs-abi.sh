#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# docs/ABI/sysfs-class-misc-edgeai against the files that exist: every file
# under /sys/class/misc/edgeai is documented, every documented file exists
# (<name> standing for each cluster directory), and (RO)/(RW) agree with
# the files' modes (RO: 0444; RW: writable by root only).  The files every
# device has (dev, uevent, power/, subsystem) are documented by the kernel
# itself and left out.
#
# Loaded with t-sysfs-abi.sh.modparams: three virtual clusters.
. /tests/lib.sh

doc=/tests/sysfs-class-misc-edgeai
top=/sys/class/misc/edgeai

check "the ABI document is in the VM" test -r "$doc"
check "$top exists" test -d "$top/"

# What the document promises: one path per What: line, <name> expanded
# to each cluster, with the (RO)/(RW) of its entry.
clusters=$(ls "$top/clusters" 2>/dev/null)
ok "$([ "$(echo $clusters)" = "big gpu little" ]; echo $?)" \
	"clusters/ holds the three clusters (got: $(echo $clusters))"
awk '
	/^What:/ { whats[n++] = $2; next }
	/\((RO|RW)\)/ && n {
		mode = match($0, /\(RW\)/) ? "RW" : "RO"
		for (i = 0; i < n; i++) print whats[i], mode
		n = 0
	}' "$doc" > /tmp/doc.raw
: > /tmp/doc.list
while read -r what mode; do
	case $what in
	*"<name>"*)
		for c in $clusters; do
			echo "$what $mode" | sed "s|<name>|$c|" >> /tmp/doc.list
		done ;;
	*) echo "$what $mode" >> /tmp/doc.list ;;
	esac
done < /tmp/doc.raw
ok "$([ -s /tmp/doc.list ]; echo $?)" "the document names $(wc -l < /tmp/doc.list) files"
whats=$(grep -c '^What:' "$doc")
ok "$([ "$whats" = "$(wc -l < /tmp/doc.raw)" ]; echo $?)" \
	"every What: entry says (RO) or (RW) ($whats entries)"

# What exists: regular files under the device, not following symlinks.
find "$top/" \( -name power -o -name subsystem \) -prune -o -type f -print |
	sed "s|^$top/|/sys/class/misc/edgeai/|" | grep -v -e '/dev$' -e '/uevent$' |
	sort > /tmp/sys.list
cut -d' ' -f1 /tmp/doc.list | sort > /tmp/doc.paths

comm -23 /tmp/sys.list /tmp/doc.paths > /tmp/undocumented
ok "$([ ! -s /tmp/undocumented ]; echo $?)" \
	"every file is documented ($(wc -l < /tmp/sys.list) files)"
sed 's/^/# undocumented: /' /tmp/undocumented

comm -13 /tmp/sys.list /tmp/doc.paths > /tmp/missing
ok "$([ ! -s /tmp/missing ]; echo $?)" "every documented file exists"
sed 's/^/# missing: /' /tmp/missing

bad=0
while read -r path mode; do
	[ -e "$path" ] || continue
	m=$(stat -L -c %a "$path")
	case $mode in
	RO) [ "$m" = 444 ] || { echo "# $path is (RO) but mode $m"; bad=$((bad + 1)); } ;;
	RW) [ "$m" = 644 ] || [ "$m" = 600 ] ||
		{ echo "# $path is (RW) but mode $m"; bad=$((bad + 1)); } ;;
	esac
done < /tmp/doc.list
ok "$bad" "modes agree with (RO)/(RW): read-only 0444, writable by root only"

# Every file reads (a documented file that fails to read is no use).
bad=0
while read -r path; do
	cat "$path" > /dev/null 2>&1 || { echo "# cannot read $path"; bad=$((bad + 1)); }
done < /tmp/sys.list
ok "$bad" "every file reads"
tap_done
