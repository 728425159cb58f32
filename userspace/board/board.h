/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libedgeai-board: a board profile built from measured data, and the cost
 * of running parts of a network on it.
 *
 * A board is a directory with a manifest, board.json, that names the
 * board's processing elements (code letter, name, kind, the cluster name
 * the kernel uses, frequency steps, host element of a GPU/NPU) and its
 * data files (per-layer times and power, hand-offs, hand-off frequency
 * scaling, frequency-switch costs).  See data/boards/rk3399pro/README.md
 * and docs/planner.md.  Nothing about a board is compiled in.
 *
 * Conventions of this API:
 *  - Elements, models and steps are small indices.  A step indexes the
 *    element's frequency table (ascending).  An element without DVFS (the
 *    RK3399Pro NPU) has one step whose frequency is 0 kHz.
 *  - host_step is the step of a GPU's or NPU's host element (the big CPU
 *    cluster on RK3399Pro), which drives it and changes its speed; it is
 *    ignored for CPU elements.  -1 means the host's highest step.
 *  - Times are nanoseconds, power mW, energy microjoules (uJ = mW x ms).
 *    Energy is whole-board energy as the data was measured (at the board's
 *    supply), so it includes the board's base power; dyn_energy_uj is the
 *    part above board_base_power_mw(), for callers that overlap stages.
 *  - Functions returning int return 0 or a negative errno: -EINVAL for
 *    out-of-range arguments, -ENOENT when the data has no figure for the
 *    request (e.g. the NPU for a network that was never run on it).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_BOARD_H
#define EDGEAI_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOARD_MAX_ELEMS		8
#define BOARD_MAX_STEPS		16
#define BOARD_NAME_LEN		64

enum board_kind {
	BOARD_CPU,
	BOARD_GPU,
	BOARD_NPU,
};

/**
 * struct board_element - one processing element (a kernel cluster)
 * @code: the letter used in plans and --order strings (L, B, G, N)
 * @name: human-readable name
 * @cluster: the cluster name the kernel module uses ("little", "big", ...)
 * @kind: cpu, gpu or npu
 * @host: index of the element that drives this one, -1 for none
 * @nr_steps: entries in @khz, at least 1
 * @khz: frequency of each step, ascending; a single 0 for no DVFS
 */
struct board_element {
	char code;
	char name[BOARD_NAME_LEN];
	char cluster[BOARD_NAME_LEN];
	enum board_kind kind;
	int host;
	int nr_steps;
	uint32_t khz[BOARD_MAX_STEPS];
};

/**
 * struct board_cost - time and energy of a piece of work
 * @time_ns: duration
 * @energy_uj: whole-board energy over @time_ns
 * @dyn_energy_uj: the part of @energy_uj above the board's base power
 */
struct board_cost {
	uint64_t time_ns;
	double energy_uj;
	double dyn_energy_uj;
};

/**
 * struct board_stats - what the loader had to repair in the data
 * @blank_rows: empty rows skipped (all files)
 * @power_filled: rows whose missing power was filled in
 * @dup_transfers: duplicate hand-off rows merged
 * @switch_clamped: negative frequency-switch timings clamped at 0
 * @repeated_rows: Layers.csv rows repeating a layer's setting and metric,
 *	averaged with the first
 */
struct board_stats {
	int blank_rows;
	int power_filled;
	int dup_transfers;
	int switch_clamped;
	int repeated_rows;
};

/**
 * struct board_ref - a whole-network figure from the literature
 * @model: model index
 * @elem: element index
 * @step: step of @elem
 * @host_step: step of its host, -1 for none
 * @time_ms: the quoted end-to-end latency
 */
struct board_ref {
	int model;
	int elem;
	int step;
	int host_step;
	double time_ms;
};

struct board;

/*
 * Load the board in directory dir.  On failure returns NULL and puts a
 * one-line reason ("file:line: what") into err.
 */
struct board *board_load(const char *dir, char *err, size_t errlen);
void board_free(struct board *b);

/*
 * Find a board directory: name_or_path is a directory holding board.json,
 * or a board name looked up under $EDGEAI_BOARDS, then data/boards/ next
 * to the running executable's install (../share/edgeai/boards, and the
 * source tree's data/boards for build/bin), then ./data/boards.  Returns 0
 * and the path in out, or -ENOENT.
 */
int board_resolve(const char *name_or_path, char *out, size_t len);
/*
 * board_resolve() then board_load(): the board, its directory in dir, or
 * NULL with the reason in err (a name not found says where it looked).
 */
struct board *board_open(const char *name_or_path, char *dir, size_t dirlen,
			 char *err, size_t errlen);

const char *board_name(const struct board *b);
const struct board_stats *board_stats(const struct board *b);

int board_nr_elements(const struct board *b);
const struct board_element *board_element(const struct board *b, int elem);
int board_element_by_code(const struct board *b, char code);
int board_element_by_cluster(const struct board *b, const char *cluster);
/* The highest step at or below khz (0 below the lowest), -EINVAL. */
int board_step_of_khz(const struct board *b, int elem, uint32_t khz);
int board_top_step(const struct board *b, int elem);

int board_nr_models(const struct board *b);
const char *board_model_name(const struct board *b, int model);
int board_model_by_name(const struct board *b, const char *name);
int board_model_layers(const struct board *b, int model);
/* Whether the data covers the model on the element (at its top steps). */
bool board_has(const struct board *b, int model, int elem);

/*
 * A layer's share of a stage: its compute time (the data's "task"
 * metric); for an NPU whose manifest says "npu_overhead": "segment", a
 * layer inside a run costs board_npu_model_fusion() x its task time, and
 * the rest of the run's first call is in board_entry_cost().
 */
int board_layer_cost(const struct board *b, int model, int layer, int elem,
		     int step, int host_step, struct board_cost *c);

/*
 * A stage: layers [first, first + n) of a model run back to back on one
 * element.  Includes reading the network's input when first is 0, the
 * network's output when the stage ends the network, the NPU's own input
 * and output copies, and the NPU run overhead the manifest asks for.  Does
 * not include the hand-off from the previous stage's element: add
 * board_handoff_cost() for that.
 */
int board_stage_cost(const struct board *b, int model, int first, int n,
		     int elem, int step, int host_step, struct board_cost *c);

/*
 * A stage's cost split so that planners can add it up layer by layer:
 * board_stage_cost() = board_entry_cost(first) + the board_layer_cost() of
 * each layer + board_exit_cost(last).  Entry is the input copy (the frame
 * for layer 0, the NPU's copy-in) and the NPU load; exit the output copy
 * and the NPU tear-down.
 */
int board_entry_cost(const struct board *b, int model, int first, int elem,
		     int step, int host_step, struct board_cost *c);
int board_exit_cost(const struct board *b, int model, int last, int elem,
		    int step, int host_step, struct board_cost *c);

/*
 * Handing the output of layer after_layer from element src to element dst
 * (each with its step and host step), scaled to those frequencies.  Zero
 * when src and dst are the same or share the memory path (NPU and host).
 */
int board_handoff_cost(const struct board *b, int model, int after_layer,
		       int src, int src_step, int src_host,
		       int dst, int dst_step, int dst_host,
		       struct board_cost *c);

/* Time an element loses switching from one step to another. */
uint64_t board_switch_ns(const struct board *b, int elem, int from, int to);
/* Means of the up- and down-switch costs of an element (for the policy). */
uint64_t board_switch_up_ns(const struct board *b, int elem);
uint64_t board_switch_down_ns(const struct board *b, int elem);

/* Lowest board power seen in the data: an upper bound of idle power. */
double board_base_power_mw(const struct board *b);
/*
 * Mean power above base while the element computes at a step (host at its
 * top step), over every network: what the kernel's ep_opp.power_mw holds.
 */
double board_step_power_mw(const struct board *b, int elem, int step);
/*
 * How fast work runs at a step relative to the element's top step (1 at
 * the top): the layers' summed task time at the top step over the same at
 * this one, over every model with both measured (host at its top step).
 * 0 when the data has no such pair.
 */
double board_step_speed(const struct board *b, int elem, int step);

int board_nr_refs(const struct board *b);
const struct board_ref *board_ref(const struct board *b, int i);
/* The reference for a whole model on one setting, or -ENOENT. */
int board_ref_find(const struct board *b, int model, int elem, int step, int host_step);
/*
 * The model's prediction of reference i with every parameter fitted
 * without it (leave one out): -ENOENT when the data has no figure there.
 */
int board_ref_loo_ms(const struct board *b, int i, double *ms);

/*
 * NPU segment model ("npu_overhead": "segment"): a run of consecutive
 * layers on the NPU is one call.  It pays its first layer's whole call
 * (NPU_load, NPU_fill_tensor, task, NPU_run_get - task) once, and each
 * further layer costs the network's fusion factor x its task time.  What
 * one call saves depends on the network's layers, so a network's factor,
 * board_npu_model_fusion(), is fitted to its own whole-network references
 * that have per-layer data (1, no saving, for a network without one);
 * board_npu_fusion() is the factor fitted over every network's (1 without
 * any).  board_npu_calibrated_layers() is the longest of those networks
 * (0: none): a longer run is an extrapolation, which plan_predict()
 * refuses.
 */
double board_npu_fusion(const struct board *b, int elem);
double board_npu_model_fusion(const struct board *b, int model, int elem);
/* Whether a run on elem is one call (the segment model applies). */
bool board_one_call(const struct board *b, int elem);
int board_npu_calibrated_layers(const struct board *b, int elem);

/*
 * What the loader had to assume, one line each ("" for nothing): files
 * the manifest does not name (hand-offs and frequency switches then cost
 * 0 ms, hand-offs do not scale with frequency), repeated rows averaged,
 * an NPU without a reference to calibrate its runs.
 */
const char *board_warnings(const struct board *b);

#endif /* EDGEAI_BOARD_H */
