// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frequency arithmetic shared by admission and the governors.
 *
 * Work is estimated at a cluster's highest step.  At a lower step it runs
 * at the step's measured speed where the cluster model has one, else at a
 * speed proportional to frequency; the latter overstates the time of
 * memory-bound work at low steps, which errs on the safe side for
 * deadlines but costs energy.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "policy.h"

/* Power used for the highest step when the model knows none. */
#define EP_DEFAULT_POWER_MW	1000

/*
 * The ratio of a step's speed to the top step's, as num / den: a stage's
 * own speeds where it has them (from the planner's per-step costs), else
 * the cluster's measured speeds where the model has both, else
 * frequencies.
 */
static void ep_speed_ratio(const struct ep_cluster_model *m, const u32 *speed,
			   u32 step, u64 *num, u64 *den)
{
	const struct ep_opp *top = &m->opp[m->nr_opp - 1];
	const struct ep_opp *o = &m->opp[step];

	if (speed && speed[step] && speed[m->nr_opp - 1]) {
		*num = speed[step];
		*den = speed[m->nr_opp - 1];
	} else if (o->speed && top->speed) {
		*num = o->speed;
		*den = top->speed;
	} else {
		*num = o->khz;
		*den = top->khz;
	}
}

/**
 * ep_stage_time() - time a stage takes at a given step
 * @m: the cluster
 * @speed: the stage's speed at each step (see &struct ep_work), or NULL
 *	for the cluster's
 * @work_ns: the stage's time at the highest step
 * @step: the step it runs at
 *
 * Return: the time in ns.
 */
u64 ep_stage_time(const struct ep_cluster_model *m, const u32 *speed,
		  u64 work_ns, u32 step)
{
	u64 num, den;

	ep_speed_ratio(m, speed, step, &num, &den);
	if (work_ns > EP_MAX_WORK_NS)
		work_ns = EP_MAX_WORK_NS;
	if (!num || num >= den)
		return work_ns;
	return div64_u64(work_ns * den, num);
}

/**
 * ep_scale_time() - time a piece of work takes at a given step
 * @m: the cluster
 * @work_ns: the work's time at the highest step
 * @step: the step it runs at
 *
 * Return: the time in ns, at the cluster's speeds.
 */
u64 ep_scale_time(const struct ep_cluster_model *m, u64 work_ns, u32 step)
{
	return ep_stage_time(m, NULL, work_ns, step);
}

/**
 * ep_stage_work() - a stage's time at the highest step, from a run
 * @m: the cluster
 * @speed: the stage's speed at each step, or NULL for the cluster's
 * @elapsed_ns: how long it ran
 * @step: the step it ran at
 *
 * What normalises a measured run, so that runs at any step feed one
 * estimate.
 *
 * Return: the work, as time at the highest step.
 */
u64 ep_stage_work(const struct ep_cluster_model *m, const u32 *speed,
		  u64 elapsed_ns, u32 step)
{
	u64 num, den;

	ep_speed_ratio(m, speed, step, &num, &den);
	if (elapsed_ns > EP_MAX_WORK_NS)
		elapsed_ns = EP_MAX_WORK_NS;
	if (!den || num >= den)
		return elapsed_ns;
	return div64_u64(elapsed_ns * num, den);
}

/**
 * ep_work_done() - work a cluster gets through at a step in some time
 * @m: the cluster
 * @elapsed_ns: the time
 * @step: the step
 *
 * Return: the work, as time at the highest step, at the cluster's speeds.
 */
u64 ep_work_done(const struct ep_cluster_model *m, u64 elapsed_ns, u32 step)
{
	return ep_stage_work(m, NULL, elapsed_ns, step);
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

/**
 * ep_host_floor() - the least step of a host while what it hosts works
 * @host: the host (the big CPU cluster that drives a GPU or NPU)
 * @guest: the hosted cluster
 * @guest_step: the guest's current step
 *
 * A GPU or NPU is driven by a CPU cluster, and runs slower when its host
 * runs slow.  The host keeps the same relative speed as its guest: at the
 * top step while the guest is at its top, lower as the guest's governor
 * finds slack.  A guest with a single step (an NPU without DVFS) keeps its
 * host at the top.
 *
 * Return: the host's least step.
 */
u32 ep_host_floor(const struct ep_cluster_model *host,
		  const struct ep_cluster_model *guest, u32 guest_step)
{
	u64 num, den, want;
	u32 s;

	if (guest->nr_opp < 2)
		return host->nr_opp - 1;
	ep_speed_ratio(guest, NULL, guest_step, &num, &den);
	/* The host's slowest step at least as fast, relatively, as the guest. */
	for (s = 0; s < host->nr_opp - 1; s++) {
		u64 hn, hd;

		ep_speed_ratio(host, NULL, s, &hn, &hd);
		want = num * hd;
		if (hn * den >= want)
			return s;
	}
	return host->nr_opp - 1;
}
