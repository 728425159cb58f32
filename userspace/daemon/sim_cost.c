// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cost sources of the sim backend; see sim_cost.h for the seam.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <stddef.h>

#include <linux/edgeai.h>

#include "config.h"
#include "sim_cost.h"

/* Power at the highest step when the configuration gives none. */
static uint32_t default_power_mw(uint32_t kind)
{
	switch (kind) {
	case EDGEAI_CLUSTER_GPU:
		return 2000;
	case EDGEAI_CLUSTER_NPU:
		return 1500;
	default:
		return 1000;
	}
}

/*
 * Time: the estimate at the highest step, stretched by max / freq (the
 * work is cycles).  Power: a fifth static, the rest dynamic and cubic in
 * frequency (voltage follows frequency), a rough curve until calibrated
 * board data replaces it.
 */
int sim_cost_scaled(const struct sim_query *q, struct sim_estimate *e)
{
	double ratio, power;
	uint32_t freq = q->freq_khz ? q->freq_khz : q->max_freq_khz;

	if (!q->max_freq_khz || !freq)
		return -EINVAL;
	ratio = (double)freq / q->max_freq_khz;
	e->time_ns = (uint64_t)((double)q->cost_ns / ratio);
	power = (q->power_mw ? q->power_mw : default_power_mw(q->kind)) *
		(0.2 + 0.8 * ratio * ratio * ratio);
	e->energy_uj = (uint64_t)(power * (double)e->time_ns / 1e6);
	return 0;
}

static const struct sim_cost_source sim_cost_sources[] = {
	[CONF_SIM_COST_SCALED] = { "scaled", sim_cost_scaled },
};

const struct sim_cost_source *sim_cost_source(int which)
{
	if (which <= 0 || (size_t)which >= sizeof(sim_cost_sources) / sizeof(sim_cost_sources[0]))
		return NULL;
	return &sim_cost_sources[which];
}
