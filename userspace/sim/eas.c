// SPDX-License-Identifier: GPL-2.0-only
/*
 * EAS-style placement, the baseline SIM_EAS: Linux's energy-aware
 * scheduling (kernel/sched/fair.c, find_energy_efficient_cpu(), and
 * Documentation/scheduler/sched-energy.rst) carried over from tasks on
 * CPUs to whole networks on the board's elements, as a board vendor's
 * scheduler would place an inference:
 *
 * - capacity fit (fits_capacity(): util x 1280 < capacity x 1024, a 20 %
 *   margin): an element fits a job when the work queued there plus the
 *   job's own time, at the element's top step, stays within 80 % of the
 *   job's SLO (jobs without one: of 1 s);
 * - among the elements that fit, the one whose placement costs the least
 *   energy (compute_energy(): the energy model's power at the step the
 *   work needs, here the board's measured energy of the network there at
 *   the top step);
 * - none fits: the element with the most spare capacity, i.e. the
 *   earliest expected finish (the overutilized fallback).
 *
 * It runs with Linux's governors (SIM_GOV_LINUX), as EAS needs schedutil.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include "sim_int.h"

#define EAS_FIT_NUM	1024	/* fits_capacity(): cap x 1024 > util x 1280 */
#define EAS_FIT_DEN	1280
#define EAS_NO_SLO_NS	NS_PER_S

int eas_place(struct sim *s, struct job *j)
{
	const struct sim_app *a = &s->apps[j->app];
	int m = a->model, nl = board_model_layers(s->b, m), fit = -1, spare = -1;
	u64 slo = a->slo_ms > 0 ? (u64)(a->slo_ms * NS_PER_MS) : EAS_NO_SLO_NS;
	double fit_uj = 0;
	u64 spare_fin = UINT64_MAX;

	for (int e = 0; e < s->ne; e++) {
		int he = board_element(s->b, e)->host;
		struct board_cost bc;
		u64 queued, fin;

		if (!sim_usable(s, m, e) ||
		    board_stage_cost(s->b, m, 0, nl, e, board_top_step(s->b, e),
				     he >= 0 ? board_top_step(s->b, he) : -1, &bc))
			continue;
		queued = sim_avail(s, e) - s->now;
		fin = queued + bc.time_ns;
		if (fin * EAS_FIT_DEN < slo * EAS_FIT_NUM && (fit < 0 || bc.energy_uj < fit_uj)) {
			fit = e;
			fit_uj = bc.energy_uj;
		}
		if (fin < spare_fin) {
			spare_fin = fin;
			spare = e;
		}
	}
	return fit >= 0 ? fit : spare;
}
