/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Precision variants: each layer of a network may run in fp32 on a CPU
 * cluster or the GPU, or in int8 on the NPU, at the costs the board's data
 * gives for that element (the NPU's rows are its int8 runs).  The int8
 * variant costs accuracy: the network's published int8 loss
 * (data/accuracy/quantization.csv), shared among its layers in proportion
 * to their NPU compute time (a declared, additive model: docs/planner.md,
 * "Precision variants").  var_plan() picks one variant per layer for the
 * least latency or energy of one inference whose declared accuracy meets
 * a floor: exhaustively when the placements are few, else by a genetic
 * search over per-layer precision (as PiQi, ISLPED'24, searches).
 *
 * The chosen placement becomes an ordinary plan (consecutive layers on one
 * element make a stage): the kernel registers it as any graph and never
 * learns which stages are int8.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_VARIANTS_H
#define EDGEAI_VARIANTS_H

#include <stdbool.h>
#include <stdint.h>

#include "accuracy.h"
#include "plan.h"

enum var_search {
	VAR_AUTO,	/* exhaustive up to var_opts.exhaustive_max, else genetic */
	VAR_EXHAUSTIVE,
	VAR_GENETIC,
};

/* Placements var_plan() enumerates at most under VAR_AUTO by default. */
#define VAR_EXHAUSTIVE_MAX	(1L << 20)

/**
 * struct var_opts - what var_plan() is asked for
 * @goal: PLAN_LATENCY or PLAN_ENERGY (of one inference)
 * @floor_pct: the least declared top-1 accuracy, in percent
 * @elems: elements a layer may run on, 0 for all
 * @search: exhaustive, genetic, or by the size of the space
 * @exhaustive_max: VAR_AUTO: most placements to enumerate, 0 for
 *	%VAR_EXHAUSTIVE_MAX
 * @seed: the genetic search's random seed
 */
struct var_opts {
	enum plan_goal goal;
	double floor_pct;
	unsigned int elems;
	enum var_search search;
	long exhaustive_max;
	uint64_t seed;
};

/**
 * struct var_result - the chosen variants
 * @layers: one placement per layer (top steps)
 * @nr_layers: the network's layers
 * @fig: plan_predict()'s figures of @layers
 * @accuracy_pct: declared top-1 accuracy of the placement
 * @int8_layers: layers on the NPU
 * @exhaustive: found by enumerating every placement (an optimum)
 * @evaluated: placements whose cost was computed
 * @space: placements in the search space (saturates at LONG_MAX)
 */
struct var_result {
	struct plan_layer layers[PLAN_MAX_LAYERS];
	int nr_layers;
	struct plan_figures fig;
	double accuracy_pct;
	int int8_layers;
	bool exhaustive;
	long evaluated;
	long space;
};

/*
 * The declared accuracy model of @model: q (read with acc_quant_read())
 * and the int8 loss of each layer, in percent, into loss[] (its
 * nr_layers entries).  Returns 0 or -errno with err set.
 */
int var_layer_loss(const struct board *b, int model, const struct acc_quant *q,
		   double *loss, char *err, size_t errlen);

/*
 * Choose the variants.  Returns 0, -ENOENT when no placement meets the
 * floor, or another -errno; err says why.
 */
int var_plan(const struct board *b, int model, const struct acc_quant *q,
	     const struct var_opts *o, struct var_result *r, char *err, size_t errlen);

/* The placement as a plan of stages (consecutive layers on one element). */
int var_to_plan(const struct board *b, int model, const struct var_result *r,
		enum plan_goal goal, struct plan *p);

#endif
