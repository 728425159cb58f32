// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where a ready stage runs, when its graph gives it other clusters: the
 * one where it would end soonest.  The planner fixes a stage's cluster
 * for the load it expects; when a stage becomes ready, the clusters' queues
 * say what the load is.  A stage that would wait behind a long stage on
 * its own cluster goes where it ends sooner, as Band (MobiSys'22) places
 * each unit of work, when it is ready, on the worker of least expected
 * finish.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "policy.h"

/**
 * ep_place_stage() - the cluster a ready stage is queued on
 * @p: its places: @p[0] its own cluster, then its alternatives
 * @nr: entries at @p, at least 1
 *
 * The place of least wait plus estimate among those with an executor, the
 * lowest index on a tie, so a stage leaves its own cluster only to end
 * strictly sooner.  With no executor anywhere, its own (where it waits for
 * one as a stage without alternatives does).
 *
 * Return: the index of the place.
 */
u32 ep_place_stage(const struct ep_place *p, u32 nr)
{
	u64 best_end = U64_MAX;
	u32 best = 0, i;

	for (i = 0; i < nr; i++) {
		u64 end;

		if (!p[i].lanes)
			continue;
		end = p[i].wait_ns > U64_MAX - p[i].cost_ns ? U64_MAX :
		      p[i].wait_ns + p[i].cost_ns;
		if (end < best_end) {
			best_end = end;
			best = i;
		}
	}
	return best;
}
