/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checks of the ioctl ABI's extensible structures, as the VM tests write
 * them: one command, built from defaults and changed, against its answer;
 * a table of entries laid out as a newer binary (larger entries) passes it.
 */
#ifndef EDGEAI_TESTS_ABI_H
#define EDGEAI_TESTS_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <edgeai.h>

#include "tap.h"

#ifndef offsetofend
#define offsetofend(t, m) (offsetof(t, m) + sizeof(((t *)0)->m))
#endif

/* The structs' sizes as binaries built before a version of the ABI see them. */
#define GRAPH_V1_SIZE	offsetofend(struct edgeai_graph_create, name)	/* no exits */
#define GRAPH_V2_SIZE	offsetofend(struct edgeai_graph_create, exit_size) /* no alternatives */
#define SUBMIT_V1_SIZE	offsetofend(struct edgeai_job_submit, est_finish_ns)

/*
 * One check: @var, a @type, set by the expression @init, then changed by
 * the statements after @what; ok_errno(@try(&@var), @want, @what).
 */
#define CMD_EXPECT(type, var, init, try, want, what, ...) do {	\
	type var;							\
	init;								\
	__VA_ARGS__;							\
	ok_errno(try(&var), want, what);				\
} while (0)

/*
 * @n entries of @size bytes from @src laid into @dst @stride bytes apart
 * (@stride >= @size), all the rest of the @n * @stride bytes zero: the
 * table as a binary whose entries are @stride bytes long passes it.
 * Returns @dst as an ioctl's table pointer.
 */
static inline uint64_t table_widen(void *dst, const void *src, size_t n,
				   size_t size, size_t stride)
{
	size_t i;

	memset(dst, 0, n * stride);
	for (i = 0; i < n; i++)
		memcpy((char *)dst + i * stride, (const char *)src + i * size, size);
	return (uintptr_t)dst;
}

#endif
