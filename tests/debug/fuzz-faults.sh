#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debug tier: the fuzzer with fault injection: before 15 % of its calls,
# the Nth allocation or user copy of the call fails (fail-nth).
exec /tests/edgeai-fuzz -s 0x5eedfa17 -n 12000 -t 600 -p 3 -T 3 -f 15
