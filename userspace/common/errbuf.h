/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An error message into a caller's buffer (char *err, size_t errlen), the
 * way the board, planner and model parsers report why they failed.
 */
#ifndef EDGEAI_ERRBUF_H
#define EDGEAI_ERRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Formats into @err (@len bytes, truncated); nothing if @err is NULL or @len 0. */
static inline void errbuf_vset(char *err, size_t len, const char *fmt, va_list ap)
{
	if (err && len)
		vsnprintf(err, len, fmt, ap);
}

static inline void errbuf_set(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void errbuf_set(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	errbuf_vset(err, len, fmt, ap);
	va_end(ap);
}

#endif /* EDGEAI_ERRBUF_H */
