/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few types and helpers the policy code needs: the kernel's own when
 * built into edgeai.ko, user space's equivalents (userspace/common/
 * policy-host.h, on the include path of user-space builds) otherwise.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_POLICY_TYPES_H
#define EDGEAI_POLICY_TYPES_H

#ifdef __KERNEL__
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/types.h>
#else
#include <policy-host.h>
#endif

#endif /* EDGEAI_POLICY_TYPES_H */
