/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel types and helpers kmod/policy/ uses, for user-space builds of
 * the same source files (simulator, host tests).
 */
#ifndef EDGEAI_POLICY_HOST_H
#define EDGEAI_POLICY_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#ifndef U32_MAX
#define U32_MAX		UINT32_MAX
#endif
#ifndef U64_MAX
#define U64_MAX		UINT64_MAX
#endif

static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

#endif /* EDGEAI_POLICY_HOST_H */
