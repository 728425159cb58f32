#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make check's bounded fuzz run: a fixed seed and a fixed number of calls,
# so every run makes the same calls.  `make fuzz` runs the long one.
exec /tests/edgeai-fuzz -s 0x5eed0010 -n 6000 -t 90 -p 3 -T 3
