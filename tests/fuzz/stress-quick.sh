#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make check's bounded stress run: a fixed seed, 20 s of load and a drain.
# `make stress` runs the long one.
exec /tests/edgeai-stress -s 0x5eed0020 -t 20 -S 6 -E 2
