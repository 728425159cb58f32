/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where the sim backend's stage costs come from.
 *
 * The sim backend asks a cost source how long a stage takes and how much
 * energy it uses on a cluster at a frequency, then sleeps that long.  The
 * query carries everything a board model keys on: the model (its file and
 * graph), the layer range, the element (cluster name and kind) and the
 * frequency step, and the host's frequency for a GPU or NPU.
 *
 * Two sources:
 *  - "scaled": the planner's estimate, cost_ns at the highest step, scaled
 *    by max_freq / freq, and a generic power curve;
 *  - "board": the measured layers of a board profile (userspace/board):
 *    the graph's name names the model ("MobileV1", or "MobileV1:anything"),
 *    the cluster's name the element; the energy reported is the part above
 *    the board's idle floor (what the stage itself costs).  A model or
 *    element the data does not have falls back to "scaled".
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAID_SIM_COST_H
#define EDGEAID_SIM_COST_H

#include <stdbool.h>
#include <stdint.h>

/**
 * struct sim_query - a stage to cost
 * @graph_name: the graph's name
 * @graph_key: the graph, unique while it lives
 * @model_fd: the graph's model file, -1 if none
 * @stage: index of the stage in its graph
 * @first_layer: the stage's first layer
 * @nr_layers: its number of layers
 * @cost_ns: the planner's estimate at the highest frequency
 * @cluster_name: the element it runs on
 * @kind: enum edgeai_cluster_kind
 * @freq_khz: the cluster's frequency when the stage was fetched
 * @max_freq_khz: the cluster's highest frequency
 * @freq_step: index of @freq_khz among the cluster's steps, ascending
 * @nr_freqs: number of steps
 * @power_mw: configured power at the highest step, 0 for none
 * @host_freq_khz: for a GPU or NPU, its host cluster's frequency, 0 if
 *	unknown (then taken as the host's highest)
 */
struct sim_query {
	const char *graph_name;
	uint64_t graph_key;
	int model_fd;
	uint32_t stage;
	uint32_t first_layer;
	uint32_t nr_layers;
	uint64_t cost_ns;
	const char *cluster_name;
	uint32_t kind;
	uint32_t freq_khz;
	uint32_t max_freq_khz;
	uint32_t freq_step;
	uint32_t nr_freqs;
	uint32_t power_mw;
	uint32_t host_freq_khz;
};

struct sim_estimate {
	uint64_t time_ns;
	uint64_t energy_uj;
};

struct sim_cost_source {
	const char *name;
	/* 0, or a negative errno that fails the stage. */
	int (*estimate)(const struct sim_query *q, struct sim_estimate *e);
};

/* By enum conf_sim_cost. */
const struct sim_cost_source *sim_cost_source(int which);

/* The "scaled" source's model, exposed for tests. */
int sim_cost_scaled(const struct sim_query *q, struct sim_estimate *e);

struct board;
/* The board profile of the "board" source (loaded once, at start). */
void sim_cost_set_board(const struct board *b);
bool sim_cost_board_loaded(void);

#endif /* EDGEAID_SIM_COST_H */
