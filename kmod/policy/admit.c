// SPDX-License-Identifier: GPL-2.0-only
/*
 * Strict admission: would a job meet its deadline, given what is already
 * queued on the clusters its stages run on?
 *
 * Each stage starts when the previous one has ended and its cluster has
 * drained the work ahead of it, spread over the cluster's executors.  The
 * work ahead of a later stage is what is queued there now: an estimate,
 * pessimistic when the queue drains meanwhile.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "policy.h"

/* A time as admission counts it: at most EP_MAX_WORK_NS. */
static u64 ep_admit_time(u64 t)
{
	return t < EP_MAX_WORK_NS ? t : EP_MAX_WORK_NS;
}

/**
 * ep_admit() - decide strict admission of a job
 * @now: current time
 * @deadline: the job's absolute deadline, %EP_NO_DEADLINE if none
 * @st: the job's stages in order
 * @nr: number of stages
 * @finish: where to store the estimated completion time
 *
 * A cluster with no executor never runs the stage: the estimate is then
 * %EP_NO_DEADLINE and only a job without a deadline is admitted.
 *
 * Return: true when the job meets its deadline by the estimates.
 */
bool ep_admit(u64 now, u64 deadline, const struct ep_admit_stage *st,
	      u32 nr, u64 *finish)
{
	u64 t = now;
	u32 i;

	for (i = 0; i < nr; i++) {
		const struct ep_admit_stage *s = &st[i];
		u64 avail;

		if (!s->lanes) {
			*finish = EP_NO_DEADLINE;
			return deadline == EP_NO_DEADLINE;
		}
		avail = now + div64_u64(ep_admit_time(s->ahead_ns), s->lanes);
		if (avail > t)
			t = avail;
		t += ep_admit_time(s->work_ns);
	}
	*finish = t;
	return deadline == EP_NO_DEADLINE || t <= deadline;
}
