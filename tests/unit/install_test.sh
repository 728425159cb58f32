#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make install and what it installs, on the host, into a scratch DESTDIR:
# the file list and modes, libedgeai.so's soname and exported symbols, the
# pkg-config file resolved against the staged root, libedgeai(3)'s example
# compiled against the installed header and linked with the shared
# library, the systemd unit (systemd-analyze), the modprobe.d file against
# the module's parameters and kmod's parser, the versions that must agree,
# make install-dkms, a second install keeping an edited modprobe.d file,
# and make uninstall leaving nothing.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
# shellcheck source=tests/unit/lib.sh
. "$top/tests/unit/lib.sh"
diag() { [ -z "$*" ] || echo "$*" | sed 's/^/# /'; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
mk() { make -s --no-print-directory -C "$top" BUILD="$build" "$@"; }

version=$(cat "$top/VERSION")
multiarch=$(gcc -print-multiarch)

# ---------------------------------------------------------------- install
out=$(mk install DESTDIR="$dest" 2>&1)
ok $? "make install DESTDIR=... (PREFIX /usr/local)"
[ $? = 0 ] || diag "$out"

p=/usr/local
expected=$(
	{
		printf '%s\n' $p/bin/edgeaictl $p/bin/edgeai-plan $p/bin/edgeai-sim $p/bin/edgeai-run \
			$p/sbin/edgeaid $p/lib/libedgeai.so.1.0.0 $p/lib/libedgeai.so.1 \
			$p/lib/libedgeai.so $p/lib/libedgeai.a $p/lib/pkgconfig/edgeai.pc \
			$p/include/edgeai.h $p/include/linux/edgeai.h \
			$p/lib/systemd/system/edgeaid.service $p/lib/systemd/system/edgeai-metrics.service \
			$p/lib/udev/rules.d/60-edgeai.rules \
			$p/lib/modules-load.d/edgeai.conf $p/lib/sysusers.d/edgeai.conf \
			$p/share/doc/edgeai/edgeaid.conf.example /etc/modprobe.d/edgeai.conf
		for m in "$top"/docs/man/*.[1-8]; do
			echo "$p/share/man/man${m##*.}/$(basename "$m")"
		done
		(cd "$top/data" && find boards llm accuracy -type f) | sed "s|^|$p/share/edgeai/|"
	} | sort)
actual=$(cd "$dest" && find . ! -type d | sed 's|^\.||' | sort)
ok_if test "$expected" = "$actual" "the installed files are the expected ones"
[ "$expected" = "$actual" ] && diag "$(echo "$actual" | wc -l) files" ||
	diff <(echo "$expected") <(echo "$actual") | sed 's/^/# /'
for f in edgeaictl edgeai-plan edgeai-sim edgeai-run; do
	ok_if test -x "$dest$p/bin/$f" "$p/bin/$f is executable"
done
ok_if test -x "$dest$p/sbin/edgeaid" "$p/sbin/edgeaid is executable"
bad=$(cd "$dest" && find . -type f ! -path './usr/local/bin/*' ! -path './usr/local/sbin/*' \
	! -perm 644 | sed 's|^\.||')
ok_if test -z "$bad" "every other file is mode 0644${bad:+: not $bad}"
ok_if test "$(readlink "$dest$p/lib/libedgeai.so")" = libedgeai.so.1 "libedgeai.so -> libedgeai.so.1"
ok_if test "$(readlink "$dest$p/lib/libedgeai.so.1")" = libedgeai.so.1.0.0 \
	"libedgeai.so.1 -> libedgeai.so.1.0.0"

# ---------------------------------------------------------------- the library
so=$dest$p/lib/libedgeai.so.1.0.0
ok_if sh -c "readelf -d '$so' | grep -q 'SONAME.*\[libedgeai.so.1\]'" "soname libedgeai.so.1"
exported=$(nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' | sort)
# Each function at the version node of libedgeai.map that lists it
# (EDGEAI_1, then EDGEAI_2 for those added later).
node_of=$(awk '/^EDGEAI_[0-9]+ \{/ { node = $1 } /^\tedgeai_[a-z_]+;/ {
	sub(/^\t/, ""); sub(/;$/, ""); print $0 "@@" node }' \
	"$top/userspace/lib/libedgeai.map")
declared=$(grep -v '^static' "$top/include/edgeai.h" |
	grep -oE '^[a-z].*[ *]edgeai_[a-z_]+\(' | grep -oE 'edgeai_[a-z_]+\($' | tr -d '(' |
	while read -r f; do
		v=$(echo "$node_of" | grep "^$f@@" || true)
		echo "${v:-$f@@none}"
	done | sort)
ok_if test "$exported" = "$declared" \
	"it exports the functions of edgeai.h, each at its node of libedgeai.map, and nothing else"
[ "$exported" = "$declared" ] || diff <(echo "$declared") <(echo "$exported") | sed 's/^/# /'
symbols=$(sed -n 's/^ \(edgeai_[a-z_]*\)@\(EDGEAI_[0-9]*\) .*/\1@@\2/p' "$top/debian/libedgeai1.symbols" | sort)
ok_if test "$symbols" = "$declared" "debian/libedgeai1.symbols lists the same functions"

# ---------------------------------------------------------------- pkg-config
# Against the staged root as a sysroot; the libnl it requires comes from
# this system's pkg-config files (and gets the sysroot prefix, as every
# package of a sysroot does).
pc() {
	PKG_CONFIG_SYSROOT_DIR=$dest \
	PKG_CONFIG_LIBDIR=$dest$p/lib/pkgconfig:/usr/lib/$multiarch/pkgconfig:/usr/share/pkgconfig \
		pkg-config "$@"
}
ok_if test "$(pc --modversion edgeai)" = "$version" "pkg-config: edgeai version $version"
flags=$(pc --cflags --libs edgeai)
own=$(echo "$flags" | tr ' ' '\n' | grep -v libnl | xargs)
ok_if test "$own" = "-I$dest$p/include -L$dest$p/lib -ledgeai" \
	"pkg-config --cflags --libs edgeai: the staged root's paths, -ledgeai ($flags)"
static=$(pc --static --libs edgeai)
ok_if sh -c "echo '$static' | grep -q -- '-lnl-genl-3' && echo '$static' | grep -q -- '-lnl-3'" \
	"--static adds libnl (Requires.private): $static"
ok_if grep -qx 'libdir=${prefix}/lib' "$dest$p/lib/pkgconfig/edgeai.pc" \
	"edgeai.pc names its paths from \${prefix} (relocatable)"

# libedgeai(3)'s example, as a user copies it out of the page.
sed -n '/^\.SH EXAMPLES/,/^\.SH/p' "$top/docs/man/libedgeai.3" |
	sed -n '/^#include <stdio.h>/,/^}/p' | sed -e 's/\\e/\\/g' -e 's/\\-/-/g' > "$tmp/demo.c"
ok_if grep -q 'edgeai_open' "$tmp/demo.c" "libedgeai(3) has an example program"
# shellcheck disable=SC2046
out=$(cd "$tmp" && gcc -std=gnu11 -Wall -Wextra -Werror -o demo demo.c $(pc --cflags --libs edgeai) 2>&1)
ok $? "it compiles against the installed <edgeai.h> and links with -ledgeai"
[ -n "$out" ] && diag "$out"
ok_if sh -c "readelf -d '$tmp/demo' | grep -q 'NEEDED.*\[libedgeai.so.1\]'" \
	"  on the shared library (NEEDED libedgeai.so.1)"
out=$(EDGEAI_DEVICE=$tmp/no-device LD_LIBRARY_PATH=$dest$p/lib "$tmp/demo" 2>&1)
rc=$?
ok_if test "$rc" = 1 "  and runs: no device here, a clean failure (status $rc: $out)"
# And the README's first job.
sed -n '/^### Submit a first job/,/^### /p' "$top/README.md" | sed -n '/^```c$/,/^```$/p' |
	sed '1d;$d' > "$tmp/first.c"
# shellcheck disable=SC2046
out=$(cd "$tmp" && gcc -std=gnu11 -Wall -Wextra -Werror -o first first.c $(pc --cflags --libs edgeai) 2>&1)
ok $? "the README's first job compiles and links the same way"
[ -n "$out" ] && diag "$out"
EDGEAI_DEVICE=$tmp/no-device LD_LIBRARY_PATH=$dest$p/lib "$tmp/first" >/dev/null 2>&1
ok_if test $? = 1 "  and fails cleanly without a device"
echo 'int main(void) { return edgeai_open(0) == 0; }' |
	sed '1i #include <edgeai.h>' > "$tmp/cxx.cc"
# shellcheck disable=SC2046
out=$(cd "$tmp" && g++ -Wall -Wextra -Werror -o cxx cxx.cc $(pc --cflags --libs edgeai) 2>&1)
ok $? "a C++ program includes <edgeai.h> and links too"
[ -n "$out" ] && diag "$out"

# ---------------------------------------------------------------- board files
# analyze_unit NAME PROGRAM: systemd-analyze verify and security (exposure
# at most 2.0) of the installed NAME.service, which starts PROGRAM.
analyze_unit() {
	local unit=$dest$p/lib/systemd/system/$1.service out level

	if ! command -v systemd-analyze >/dev/null; then
		skip "systemd-analyze not installed"
		skip "systemd-analyze not installed"
		return
	fi
	# The binary is under DESTDIR, not at the path the unit names.
	out=$(MANPATH=$dest$p/share/man systemd-analyze verify "$unit" 2>&1 |
		grep -v "Command $2 is not executable")
	ok_if test -z "$out" "systemd-analyze verify: $1.service is clean"
	[ -z "$out" ] || diag "$out"
	out=$(systemd-analyze security --offline=yes "$unit" 2>&1)
	level=$(echo "$out" | sed -n "s/.*Overall exposure level for $1.service: \\([0-9.]*\\).*/\\1/p")
	ok_if awk -v l="$level" 'BEGIN { exit !(l != "" && l <= 2.0) }' \
		"systemd-analyze security: $1.service exposure $level (at most 2.0)"
}

unit=$dest$p/lib/systemd/system/edgeaid.service
ok_if grep -qx "ExecStart=$p/sbin/edgeaid" "$unit" "the unit starts the installed edgeaid ($p/sbin)"
analyze_unit edgeaid "$p/sbin/edgeaid"

unit=$dest$p/lib/systemd/system/edgeai-metrics.service
ok_if grep -qx "ExecStart=$p/bin/edgeaictl metrics --textfile /var/lib/prometheus/node-exporter --interval 15s" \
	"$unit" "the metrics unit starts the installed edgeaictl ($p/bin)"
analyze_unit edgeai-metrics "$p/bin/edgeaictl"

# Every parameter of the module is documented, with a working example.
params=$(grep -ho 'module_param_named(\([a-z_]*\)' "$top"/kmod/*.c | sed 's/.*(//' | sort)
conf=$dest/etc/modprobe.d/edgeai.conf
undocumented=
for prm in $params; do
	grep -q "^#options edgeai $prm=" "$conf" || undocumented="$undocumented $prm"
done
ok_if test -z "$undocumented" \
	"modprobe.d/edgeai.conf has an example of every parameter ($(echo $params))${undocumented:+; missing:$undocumented}"
ok_if sh -c "! grep -q '^options' '$conf'" "  and sets none by itself"
if command -v modprobe >/dev/null; then
	sed 's/^#options /options /' "$conf" > "$tmp/uncommented.conf"
	shown=$(modprobe -C "$tmp/uncommented.conf" -c 2>"$tmp/kmod.err" | grep '^options edgeai ')
	ok_if test ! -s "$tmp/kmod.err" "  kmod parses it uncommented without complaint"
	diag "$(cat "$tmp/kmod.err")"
	notseen=
	for prm in $params; do
		want=$(sed -n "s/^#options edgeai $prm=\(.*\)/$prm=\1/p" "$conf")
		echo "$shown" | grep -qxF "options edgeai $want" || notseen="$notseen $prm"
	done
	ok_if test -z "$notseen" "  and takes each example as written${notseen:+; not:$notseen}"
else
	skip "kmod's modprobe not installed"
	skip "kmod's modprobe not installed"
fi

# systemd and udev look under /usr/local/lib too: where make install put them.
if command -v systemd-analyze >/dev/null && command -v systemctl >/dev/null; then
	for d in modules-load.d sysusers.d udev/rules.d; do
		systemd-analyze cat-config --root="$dest" "$d" 2>/dev/null | grep -q "^# $dest$p/lib/$d/"
		ok $? "systemd finds the installed $d file"
	done
	systemctl --root="$dest" list-unit-files edgeaid.service 2>/dev/null | grep -q '^edgeaid.service '
	ok $? "systemctl finds edgeaid.service"
else
	for d in modules-load.d sysusers.d udev/rules.d edgeaid.service; do skip "no systemd here: $d"; done
fi

rules=$dest$p/lib/udev/rules.d/60-edgeai.rules
ok_if grep -qx 'SUBSYSTEM=="misc", KERNEL=="edgeai", GROUP="edgeai", MODE="0660"' "$rules" \
	"the udev rule gives /dev/edgeai to the group edgeai, 0660"
ok_if grep -qx 'g edgeai -' "$dest$p/lib/sysusers.d/edgeai.conf" "sysusers.d makes the group"
ok_if grep -qx 'edgeai' "$dest$p/lib/modules-load.d/edgeai.conf" "modules-load.d loads edgeai"

# ---------------------------------------------------------------- versions
dkms_v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
deb_v=$(cd "$top" && dpkg-parsechangelog -S Version 2>/dev/null)
ctl_v=$("$dest$p/bin/edgeaictl" --version | awk '{ print $2 }')
ok_if test "$dkms_v/$deb_v/$ctl_v" = "$version/$version/$version" \
	"VERSION, dkms.conf, debian/changelog and edgeaictl --version agree ($version: $dkms_v, $deb_v, $ctl_v)"

# ---------------------------------------------------------------- dkms
out=$(mk install-dkms DESTDIR="$tmp/dkms" 2>&1)
ok $? "make install-dkms DESTDIR=..."
src=$tmp/dkms/usr/src/edgeai-$version
want=$(cd "$top" && { echo Kbuild; echo dkms.conf; echo include/uapi/linux/edgeai.h;
	find kmod -name '*.[ch]' ! -name '*.mod.c'; } | sort)
got=$(cd "$src" 2>/dev/null && find . -type f | sed 's|^\./||' | sort)
ok_if test "$want" = "$got" "  /usr/src/edgeai-$version holds Kbuild, dkms.conf, kmod/ and the uapi header"
# What DKMS reads of dkms.conf, as it reads it (it sources the file).
eval "$(cd "$src" && bash -c '. ./dkms.conf; kernel_source_dir=K dkms_tree=T;
	echo "name=$PACKAGE_NAME ver=$PACKAGE_VERSION mod=${BUILT_MODULE_NAME[0]} auto=$AUTOINSTALL"
	echo "make0=\"${MAKE[0]}\""' 2>/dev/null)"
ok_if test "${name:-}/${ver:-}/${mod:-}/${auto:-}" = "edgeai/$version/edgeai/yes" \
	"  dkms.conf: package edgeai $version, module edgeai, AUTOINSTALL"

# ---------------------------------------------------------------- again, and uninstall
echo "options edgeai governor=deadline" >> "$dest/etc/modprobe.d/edgeai.conf"
mk install DESTDIR="$dest" >/dev/null 2>&1
ok_if grep -q '^options edgeai governor=deadline' "$dest/etc/modprobe.d/edgeai.conf" \
	"a second make install keeps an edited /etc/modprobe.d/edgeai.conf"
mk uninstall DESTDIR="$dest" >/dev/null 2>&1
left=$(cd "$dest" && find . ! -type d | sed 's|^\.||')
ok_if test "$left" = /etc/modprobe.d/edgeai.conf \
	"make uninstall removes every file but the edited modprobe.d file${left:+ (left: $(echo $left))}"
rm -f "$dest/etc/modprobe.d/edgeai.conf"
mk install DESTDIR="$dest" >/dev/null 2>&1 && mk uninstall DESTDIR="$dest" >/dev/null 2>&1
left=$(cd "$dest" && find . ! -type d | sed 's|^\.||')
ok_if test -z "$left" "install then uninstall leaves no file${left:+ (left: $(echo $left))}"

tap_end
