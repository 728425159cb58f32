// SPDX-License-Identifier: GPL-2.0-only
/*
 * Anytime jobs: when a job that may end at an early exit of its graph
 * cannot finish by its deadline, which exit does it aim at, and does it
 * end at the exit it has just reached?
 *
 * The decision is made from the same estimates as strict admission
 * (ep_admit()): the kernel (kmod/job.c) and the simulator (userspace/sim)
 * build those and call the functions here, so both end jobs at the same
 * exits.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "policy.h"

/**
 * ep_anytime_aim() - the exit an anytime job can still reach in time
 * @a: the job's exits, minimum accuracy and deadline
 * @now: current time
 * @st: the estimates of the job's stages @from onwards, to its last
 * @from: the first stage not run yet
 * @finish: where to store the estimated completion time of the last
 *	estimate made
 *
 * Exits come in increasing stage and accuracy, so the search goes from
 * the last exit back and stops at the first that falls short of the
 * minimum or lies before @from.
 *
 * Return: the index of the last exit after stage @from or later that
 * meets @a's minimum accuracy and that the estimates say the job reaches
 * by its deadline, or -1.
 */
int ep_anytime_aim(const struct ep_anytime *a, u64 now,
		   const struct ep_admit_stage *st, u32 from, u64 *finish)
{
	int k;

	for (k = (int)a->nr_exits - 1; k >= 0; k--) {
		const struct ep_exit *e = &a->exits[k];

		if (e->accuracy_ppm < a->min_accuracy || e->after_stage < from)
			return -1;
		if (ep_admit(now, a->deadline, st, e->after_stage + 1 - from,
			     finish))
			return k;
	}
	return -1;
}

/**
 * ep_anytime_check() - the decision made when a stage of an anytime job
 *	completes, before the next is queued
 * @a: the job's exits, minimum accuracy and deadline (not
 *	%EP_NO_DEADLINE)
 * @now: current time
 * @st: the estimates of stages @done + 1 to @nr_stages - 1
 * @done: the stage just completed, below @nr_stages - 1
 * @nr_stages: the graph's stages
 * @end: where to store the last stage the job means to run when it goes
 *	on: its last stage when the rest ends in time, else the stage of the
 *	exit it aims at (ep_anytime_aim()), else its last stage
 *
 * When the rest does not end in time and no later exit meeting the
 * minimum does, the job ends at the last exit it has reached, if that
 * exit meets the minimum.
 *
 * Return: the index of the exit to end the job at now (@end is then
 * @done), or -1 to go on to @end.
 */
int ep_anytime_check(const struct ep_anytime *a, u64 now,
		     const struct ep_admit_stage *st, u32 done, u32 nr_stages,
		     u32 *end)
{
	u32 last = nr_stages - 1;
	int reached, k;
	u64 finish;

	*end = last;
	for (reached = (int)a->nr_exits - 1; reached >= 0; reached--)
		if (a->exits[reached].after_stage <= done)
			break;
	if (reached >= 0 && a->exits[reached].accuracy_ppm < a->min_accuracy)
		reached = -1;
	if (ep_admit(now, a->deadline, st, last - done, &finish))
		return -1;
	k = ep_anytime_aim(a, now, st, done + 1, &finish);
	if (k >= 0) {
		*end = a->exits[k].after_stage;
		return -1;
	}
	if (reached >= 0)
		*end = done;
	return reached;
}
