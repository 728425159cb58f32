# SPDX-License-Identifier: GPL-2.0-only
# Shared by the scripts: where the cache is and which kernels are targets.

: "${EDGEAI_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/edgeai}"
export EDGEAI_CACHE

# The kernels edgeai is built and tested against, by name:
#   6.1      Debian 12's own LTS kernel (amd64 installed, arm64 unpacked)
#   6.12     Debian 12's 6.12 LTS (+deb12), unpacked in the cache
#   6.12-rt  its PREEMPT_RT flavour (built and tested on amd64)
# scripts/setup-deps puts each where the helpers below find it.
EDGEAI_KERNELS="6.1 6.12 6.12-rt"
EDGEAI_KERNELS_ARM64="6.1 6.12"	# those also built and booted for arm64

# The newest Debian 6.1 amd64 headers installed, as "6.1.0-NN-amd64".
# Never the running kernel: the build host is not a target.
amd64_kver() {
	local d
	d=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n1)
	[ -n "$d" ] || { echo "no Debian 6.1 amd64 headers under /usr/src; run scripts/setup-deps" >&2; return 1; }
	echo "${d#/usr/src/linux-headers-}"
}

# The unpacked arm64 6.1 tree matching the amd64 ABI (also busybox and the
# arm64 libraries user space links).
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

# The newest unpacked 6.12 tree, as "6.12.NN+deb12".
k612_abi() {
	local d
	d=$(ls -d "$EDGEAI_CACHE"/kernels/6.12.*+deb12/done 2>/dev/null | sort -V | tail -n1)
	[ -n "$d" ] || { echo "no Debian 6.12 kernel under $EDGEAI_CACHE/kernels; run scripts/setup-deps" >&2; return 1; }
	d=${d%/done}
	echo "${d##*/}"
}

# kernel_release NAME [ARCH]: the release ("uname -r") of kernel NAME (see
# EDGEAI_KERNELS) for ARCH (amd64, the default, or arm64).
kernel_release() {
	local name=$1 arch=${2:-amd64} abi
	case $name-$arch in
	6.1-amd64) amd64_kver ;;
	6.1-arm64) abi=$(amd64_kver) && echo "${abi%-amd64}-arm64" ;;
	6.12-amd64|6.12-arm64) abi=$(k612_abi) && echo "$abi-$arch" ;;
	6.12-rt-amd64) abi=$(k612_abi) && echo "$abi-rt-amd64" ;;
	*) echo "no kernel $name for $arch (kernels: $EDGEAI_KERNELS; 6.12-rt is amd64 only)" >&2; return 1 ;;
	esac
}

# kernel_root NAME [ARCH]: the folder its packages are unpacked into, with
# usr/src/linux-headers-<release>, boot/vmlinuz-<release> and
# lib/modules/<release>/ below it; empty for the installed 6.1 amd64.
kernel_root() {
	local name=$1 arch=${2:-amd64} abi
	case $name-$arch in
	6.1-amd64) echo ;;
	6.1-arm64) arm64_root ;;
	6.12-amd64|6.12-arm64|6.12-rt-amd64) abi=$(k612_abi) && echo "$EDGEAI_CACHE/kernels/$abi" ;;
	*) kernel_release "$name" "$arch" ;;
	esac
}

# kernel_kdir NAME [ARCH]: its headers, the KDIR to build against.
kernel_kdir() {
	local root rel
	root=$(kernel_root "$@") && rel=$(kernel_release "$@") &&
		echo "$root/usr/src/linux-headers-$rel"
}

# kernel_image NAME [ARCH]: the kernel the VM boots.
kernel_image() {
	local root rel
	root=$(kernel_root "$@") && rel=$(kernel_release "$@") &&
		echo "$root/boot/vmlinuz-$rel"
}

# kernel_moddir NAME [ARCH]: its own modules (governors and the like).
kernel_moddir() {
	local root rel
	root=$(kernel_root "$@") && rel=$(kernel_release "$@") &&
		echo "$root/lib/modules/$rel"
}

# kernel_common NAME: its common headers, where scripts/kernel-doc is.
kernel_common() {
	local root rel
	root=$(kernel_root "$1") && rel=$(kernel_release "$1") || return 1
	rel=${rel%-amd64}
	echo "$root/usr/src/linux-headers-${rel%-rt}-common"
}
