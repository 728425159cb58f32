// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage costs the kernel trusts: what it measured, not what a user
 * declared.
 *
 * Every run of a stage is timed by the kernel (fetch to completion) and
 * normalised to the cluster's highest step (ep_stage_work()).  A stage's
 * estimate is its declared cost until it has run once; from then on it
 * is a high-percentile tracker of the runs: the largest run, decaying
 * towards their moving average, so that one slow run raises the estimate
 * at once and a lasting speed-up lowers it over a few runs.  A declared
 * cost never undercuts what was measured, whatever it says.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "policy.h"

/* Weights, as shifts: 1/8 for the newest run in the average ... */
#define EP_EST_AVG_SHIFT	3
/* ... and 1/8 of the gap to the average lost by the peak per run. */
#define EP_EST_PEAK_SHIFT	3

/**
 * ep_est_add() - count a run of a stage
 * @e: the stage's estimate
 * @top_ns: the run's time, normalised to the cluster's highest step
 */
void ep_est_add(struct ep_est *e, u64 top_ns)
{
	if (top_ns > EP_MAX_WORK_NS)
		top_ns = EP_MAX_WORK_NS;
	if (!e->samples) {
		e->avg_ns = top_ns;
		e->peak_ns = top_ns;
		e->samples = 1;
		return;
	}
	if (top_ns >= e->avg_ns)
		e->avg_ns += (top_ns - e->avg_ns) >> EP_EST_AVG_SHIFT;
	else
		e->avg_ns -= (e->avg_ns - top_ns) >> EP_EST_AVG_SHIFT;
	/* Decay first, so that the newest run is always covered. */
	if (e->peak_ns > e->avg_ns)
		e->peak_ns -= (e->peak_ns - e->avg_ns) >> EP_EST_PEAK_SHIFT;
	if (e->peak_ns < top_ns)
		e->peak_ns = top_ns;
	if (e->peak_ns < e->avg_ns)
		e->peak_ns = e->avg_ns;
	if (e->samples < U64_MAX)
		e->samples++;
}

/**
 * ep_est_cost() - the estimate to plan with, at the highest step
 * @e: the stage's estimate
 * @prior_ns: the declared cost, used until the stage has run
 *
 * Return: the time in ns.
 */
u64 ep_est_cost(const struct ep_est *e, u64 prior_ns)
{
	return e->samples ? e->peak_ns : prior_ns;
}
