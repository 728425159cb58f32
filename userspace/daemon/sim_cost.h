/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where the sim backend's stage costs come from.
 *
 * The sim backend asks a cost source how long a stage takes and how much
 * energy it uses on a cluster at a frequency, then sleeps that long.  The
 * query carries everything a board model could key on: the model (its
 * file and graph), the layer range, the element (cluster name and kind)
 * and the frequency step.  Today's source, "scaled", only has the
 * planner's estimate: cost_ns at the highest step, scaled by
 * max_freq / freq, and a generic power curve.
 *
 * A calibrated board model plugs in here: write a struct sim_cost_source
 * whose estimate() asks the board library for layers [first_layer,
 * first_layer + nr_layers) of the model on the element at freq_step, add
 * it to sim_cost_sources[] in sim_cost.c and a name to the sim_cost key
 * in config.c.  Nothing else in edgeaid changes.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAID_SIM_COST_H
#define EDGEAID_SIM_COST_H

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

#endif /* EDGEAID_SIM_COST_H */
