// SPDX-License-Identifier: GPL-2.0-only
/*
 * Run-queue order: priority class first, then earliest deadline, then
 * arrival.  A stage without a deadline sorts after every stage of its
 * class that has one.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "policy.h"

/**
 * ep_key_before() - whether a stage runs before another on one cluster
 * @a: one stage's key
 * @b: the other's
 *
 * Return: true when @a is more urgent than @b.
 */
bool ep_key_before(const struct ep_key *a, const struct ep_key *b)
{
	if (a->prio != b->prio)
		return a->prio < b->prio;
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}
