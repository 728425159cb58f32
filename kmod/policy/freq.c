// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frequency arithmetic shared by admission and the governors.
 *
 * Work is estimated at a cluster's highest step and assumed to scale with
 * the inverse of frequency.  That overstates the gain of a higher step for
 * memory-bound layers, which errs on the safe side for deadlines.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "policy.h"

/* Longer estimates are clamped so that products below cannot overflow. */
#define EP_MAX_WORK_NS		(1000ULL * 1000 * 1000 * 1000)

/* Power used for the highest step when the model knows none. */
#define EP_DEFAULT_POWER_MW	1000

/**
 * ep_scale_time() - time a piece of work takes at a given step
 * @m: the cluster
 * @work_ns: the work's time at the highest step
 * @step: the step it runs at
 *
 * Return: the time in ns.
 */
u64 ep_scale_time(const struct ep_cluster_model *m, u64 work_ns, u32 step)
{
	u32 top = m->opp[m->nr_opp - 1].khz;
	u32 khz = m->opp[step].khz;

	if (work_ns > EP_MAX_WORK_NS)
		work_ns = EP_MAX_WORK_NS;
	if (!khz || khz >= top)
		return work_ns;
	return div64_u64(work_ns * top, khz);
}

/**
 * ep_power_mw() - power of a cluster computing at a step
 * @m: the cluster
 * @step: the step
 *
 * Uses the model's figure where it has one, else scales the highest
 * step's figure (or a nominal one) with the cube of frequency.
 *
 * Return: the power in mW.
 */
u32 ep_power_mw(const struct ep_cluster_model *m, u32 step)
{
	const struct ep_opp *top = &m->opp[m->nr_opp - 1];
	u64 ref = top->power_mw ? top->power_mw : EP_DEFAULT_POWER_MW;
	u64 r;

	if (m->opp[step].power_mw)
		return m->opp[step].power_mw;
	if (!top->khz)
		return (u32)ref;
	/* r is frequency relative to the top step, in 1/1024ths */
	r = div64_u64((u64)m->opp[step].khz << 10, top->khz);
	return (u32)((ref * r * r * r) >> 30);
}

/**
 * ep_step_of_khz() - the highest step at or below a frequency
 * @m: the cluster
 * @khz: the frequency
 *
 * Return: the step's index; 0 when @khz is below every step.
 */
u32 ep_step_of_khz(const struct ep_cluster_model *m, u32 khz)
{
	u32 i;

	for (i = m->nr_opp; i > 1; i--)
		if (m->opp[i - 1].khz <= khz)
			return i - 1;
	return 0;
}
