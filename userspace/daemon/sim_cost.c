// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cost sources of the sim backend; see sim_cost.h for the seam.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <linux/edgeai.h>

#include "board.h"
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

static const struct board *sim_board;

void sim_cost_set_board(const struct board *b)
{
	sim_board = b;
}

bool sim_cost_board_loaded(void)
{
	return sim_board != NULL;
}

/*
 * Measured layers: the model is the graph's name up to a ':', the element
 * the cluster's name.  What the data lacks (another model, a test graph,
 * an element without rows for the model) is costed by "scaled".
 */
static int sim_cost_board(const struct sim_query *q, struct sim_estimate *e)
{
	const struct board *b = sim_board;
	char model[EDGEAI_NAME_LEN];
	struct board_cost c;
	int m, el, host, step, host_step = -1, ret;

	if (!b)
		return -EINVAL;
	snprintf(model, sizeof(model), "%.*s", (int)strcspn(q->graph_name, ":"),
		 q->graph_name);
	m = board_model_by_name(b, model);
	el = board_element_by_cluster(b, q->cluster_name);
	if (m < 0 || el < 0)
		return sim_cost_scaled(q, e);
	step = board_step_of_khz(b, el, q->freq_khz);
	host = board_element(b, el)->host;
	if (host >= 0 && q->host_freq_khz)
		host_step = board_step_of_khz(b, host, q->host_freq_khz);
	if (step < 0)
		return sim_cost_scaled(q, e);
	ret = board_stage_cost(b, m, (int)q->first_layer, (int)q->nr_layers, el,
			       step, host_step, &c);
	if (ret == -ENOENT)
		return sim_cost_scaled(q, e);
	if (ret)
		return ret;
	e->time_ns = c.time_ns;
	e->energy_uj = c.dyn_energy_uj > 0 ? (uint64_t)(c.dyn_energy_uj + 0.5) : 0;
	return 0;
}

static const struct sim_cost_source sim_cost_sources[] = {
	[CONF_SIM_COST_SCALED] = { "scaled", sim_cost_scaled },
	[CONF_SIM_COST_BOARD] = { "board", sim_cost_board },
};

const struct sim_cost_source *sim_cost_source(int which)
{
	if (which <= 0 || (size_t)which >= sizeof(sim_cost_sources) / sizeof(sim_cost_sources[0]))
		return NULL;
	return &sim_cost_sources[which];
}
