// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaid's log lines.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"

int log_max_level = LOG_INFO;

void elog(int level, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[LOG_ERR] = "error: ",
		[LOG_WARN] = "warning: ",
		[LOG_INFO] = "",
		[LOG_DEBUG] = "",
	};
	char line[1024];
	va_list ap;
	int n;

	if (level > log_max_level)
		return;
	n = snprintf(line, sizeof(line), "edgeaid: %s", prefix[level]);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* One write per line; a short write to stderr is not worth a retry. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}
