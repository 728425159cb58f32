# SPDX-License-Identifier: GPL-2.0-only
# Shared by the scripts: where the cache is and which kernel is the target.

: "${EDGEAI_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/edgeai}"
export EDGEAI_CACHE

# The newest Debian 6.1 amd64 headers installed, as "6.1.0-NN-amd64".
# Never the running kernel: the build host is not a target.
amd64_kver() {
	local d
	d=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n1)
	[ -n "$d" ] || { echo "no Debian 6.1 amd64 headers under /usr/src; run scripts/setup-deps" >&2; return 1; }
	echo "${d#/usr/src/linux-headers-}"
}

# The unpacked arm64 tree matching the amd64 ABI.
arm64_root() {
	local kver
	kver=$(amd64_kver) || return 1
	echo "$EDGEAI_CACHE/arm64/${kver%-amd64}"
}

# Arm NN, OpenCL and pocl for arm64 with what they need at run time (C
# library and compiler included), beside the arm64 tree: apart from it, so
# that the cross build's -L into that tree never finds a second libc.so.
arm64_armnn_root() {
	local r
	r=$(arm64_root) || return 1
	echo "$r-armnn"
}
