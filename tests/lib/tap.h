/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small TAP producer for edgeai's C tests (host and VM).
 *
 *   ok(cond, "what is checked %d", x);
 *   skip("why");                     one skipped check
 *   return tap_done();               prints the plan, exit status
 *
 * Checks are numbered as they run; the plan goes last, so a test that
 * dies half way shows a missing plan instead of a false pass.
 */
#ifndef EDGEAI_TESTS_TAP_H
#define EDGEAI_TESTS_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned int tap_count;
static unsigned int tap_failed;

static inline __attribute__((format(printf, 2, 3)))
int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u - ", cond ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!cond)
		tap_failed++;
	return cond;
}

static inline __attribute__((format(printf, 1, 2)))
void skip(const char *fmt, ...)
{
	va_list ap;

	printf("ok %u # SKIP ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static inline __attribute__((format(printf, 1, 2)))
void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* TAP's "Bail out!": the test cannot go on (status 2). */
static inline void bail_out(const char *why)
{
	printf("Bail out! %s\n", why);
	fflush(stdout);
	exit(2);
}

/* ok() for a call that returns 0 or -errno (or sets errno on -1). */
#define ok_errno(ret, want, fmt, ...) ({				\
	long __r = (ret);						\
	long __e = __r == -1 ? -errno : __r;				\
	int __ok = __e == (long)(want);					\
	ok(__ok, fmt " (got %ld: %s, want %ld)", ##__VA_ARGS__, __e,	\
	   __e < 0 ? strerror((int)-__e) : "ok", (long)(want));		\
})

static inline int tap_done(void)
{
	printf("1..%u\n", tap_count);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif /* EDGEAI_TESTS_TAP_H */
