// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tracepoints of kmod/trace.h are defined here, once.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#define CREATE_TRACE_POINTS
#include "trace.h"
