#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debug tier: load edgeai.ko with each of its init's allocations failing
# in turn (fail-nth), for the error paths of the load.
exec /tests/edgeai-faultload /lib/edgeai/edgeai.ko \
	"clusters=little:cpu:400000,1400000;big:cpu:600000,1800000;gpu:gpu:200000,800000 hosts=gpu:big" 3000
