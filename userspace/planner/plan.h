/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libplan: the cost model of one inference, and the planners that cut a
 * network into stages bound to clusters at chosen frequencies.
 *
 * A plan is what libedgeai registers with the kernel as a graph: a chain
 * of stages, each a contiguous range of layers on one cluster at one step.
 * Every stage carries what the kernel is told about it: speed, its own
 * speed at each step of its element relative to the top, and cost_ns, the
 * estimate at the top step the kernel orders, admits and sets frequencies
 * by (scaled to a lower step with speed); and time_ns, its time at the
 * planned step.  cost_ns and time_ns include the hand-off of the previous
 * stage's output to this stage's element.
 *
 * Figures (struct plan_figures):
 *  - latency_ms: one inference alone, stages back to back;
 *  - energy_mj: whole-board energy of that inference (the data's power is
 *    whole-board power);
 *  - power_w: energy_mj / latency_ms;
 *  - throughput_fps: frames per second with the stages pipelined, one
 *    stage at a time per cluster: 1000 / the busiest cluster's ms per frame.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_PLAN_H
#define EDGEAI_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"

#define PLAN_MAX_LAYERS		256
#define PLAN_MAX_STAGES		64

/* Unit of plan_stage.speed: the top step's speed (the kernel's too). */
#define PLAN_SPEED_SCALE	1024

/* One layer's placement, for plan_predict(). */
struct plan_layer {
	int elem;
	int step;	/* the element's step (0 for no DVFS) */
	int host_step;	/* its host's step; -1: the host's top; ignored for CPUs */
};

struct plan_figures {
	double latency_ms;
	double energy_mj;
	double power_w;
	double throughput_fps;
};

/*
 * Predicted latency, energy and power of one inference with a per-layer
 * placement (layers[0..nr_layers of the model)).  Adds, to the layers'
 * compute: the input read and output write, hand-offs between elements
 * at their frequencies, NPU copies (and load costs if the board asks for
 * them), and the frequency switches between consecutive layers of one
 * element (the host's too).  Returns 0 or -errno with err set.
 */
int plan_predict(const struct board *b, int model, const struct plan_layer *layers,
		 struct plan_figures *out, char *err, size_t errlen);

/*
 * What edgeai-plan predict answers: plan_predict(), then what the data
 * says beyond the per-layer model.  A whole network on one element at one
 * setting with a measured reference (the board's reference file) takes
 * the reference's latency, its energy scaled alike.  A run of NPU layers
 * longer than the networks that calibrated the NPU's one-call cost
 * (board_npu_calibrated_layers()) is refused with -ERANGE and the reason.
 */
int plan_predict_ref(const struct board *b, int model, const struct plan_layer *layers,
		     struct plan_figures *out, char *err, size_t errlen);

/*
 * Parse the CLI's --order (one element code per layer) and --freqs ("S" or
 * "S,H" per layer separated by ';', or the single word "max" or "min")
 * into a placement.  For an element without DVFS a single S is its host's
 * step.
 */
int plan_parse(const struct board *b, int model, const char *order,
	       const char *freqs, struct plan_layer *layers, char *err,
	       size_t errlen);

enum plan_goal {
	PLAN_LATENCY,		/* least latency of one inference */
	PLAN_THROUGHPUT,	/* most frames/s, pipelined over distinct clusters */
	PLAN_ENERGY,		/* least energy under a latency or FPS target */
};

/**
 * struct plan_opts - what a planner is asked for
 * @goal: see &enum plan_goal
 * @target_ms: PLAN_ENERGY: latency target of one inference (0: none)
 * @fps: PLAN_ENERGY: frame-rate target of the pipeline (0: none); takes
 *	precedence over @target_ms
 * @elems: bit mask of the elements the plan may use, 0 for all
 * @top_only: consider only the top step of each element (max frequency)
 * @max_stages: PLAN_THROUGHPUT: most pipeline stages, 0 for no limit
 */
struct plan_opts {
	enum plan_goal goal;
	double target_ms;
	double fps;
	unsigned int elems;
	bool top_only;
	int max_stages;
};

/**
 * struct plan_stage - one stage of a plan
 * @elem: element index on the board
 * @first_layer: first layer of the stage
 * @nr_layers: layers in the stage
 * @step: the element's step
 * @host_step: the host's step, -1 for an element without host
 * @freq_khz: the frequency of @step
 * @cost_ns: the estimate declared to the kernel: its time at the top step
 *	of the element and its host, hand-off in, raised where needed so that
 *	scaling it by @speed never gives less than the stage's own time at
 *	any step (the hand-off scales otherwise than the layers); the kernel
 *	learns the same figure from runs at any step (ep_stage_work())
 * @speed: the stage's speed at each step of its element relative to the
 *	top step, in 1/%PLAN_SPEED_SCALE, from its layers' times with the
 *	host at its top step (what the kernel's struct edgeai_stage.speed
 *	carries); 0 where the data has no figure, unused past the element's
 *	steps
 * @time_ns: time at @step and @host_step, hand-off in
 * @energy_uj: whole-board energy at @step, hand-off in
 * @dyn_energy_uj: the part of @energy_uj above the board's base power
 */
struct plan_stage {
	int elem;
	int first_layer;
	int nr_layers;
	int step;
	int host_step;
	uint32_t freq_khz;
	uint64_t cost_ns;
	uint32_t speed[BOARD_MAX_STEPS];
	uint64_t time_ns;
	double energy_uj;
	double dyn_energy_uj;
};

struct plan {
	int model;
	enum plan_goal goal;
	int nr_stages;
	struct plan_stage stages[PLAN_MAX_STAGES];
	struct plan_figures predicted;
};

/*
 * Make a plan.  PLAN_LATENCY and PLAN_ENERGY with a latency target are
 * exact for chain networks over the search space (placement of every
 * layer, one step per element, a GPU/NPU's host at the big cluster's
 * step); PLAN_THROUGHPUT is exact over ordered sets of distinct elements
 * and contiguous partitions.  Returns 0, -ENOENT when no plan meets the
 * target, or another -errno; err says why.
 */
int plan_make(const struct board *b, int model, const struct plan_opts *o,
	      struct plan *p, char *err, size_t errlen);

/*
 * Fill a plan from stage boundaries: elem/first/n/step/host_step of each
 * stage are read from p->stages, the estimates and figures recomputed.
 */
int plan_fill(const struct board *b, int model, struct plan *p);

/* The plan's placement as a per-layer array (for plan_predict()). */
void plan_layers(const struct plan *p, struct plan_layer *layers);

/* Whether two plans have the same stages (elements and layers), and with
 * @steps at the same steps too. */
bool plan_same_stages(const struct plan *x, const struct plan *y, bool steps);

/* Milliseconds per frame a plan puts on an element (0 if unused). */
double plan_elem_load_ms(const struct plan *p, int elem);

/*
 * Replicated pipelines: the usable elements split into disjoint groups,
 * each running its own most-throughput pipeline, frames dealt to the
 * groups in proportion to their rates.  Returns the number of plans
 * written to out (at most max) and their summed rate in *fps.
 */
int plan_replicas(const struct board *b, int model, unsigned int elems,
		  struct plan *out, int max, double *fps);

/*
 * Time-shared plans: several chain plans of one model, each given a frame
 * rate, with every element's load (sum over plans of rate x the plan's
 * time there) at most 100 %.  The rates maximise the total frame rate: a
 * linear programme over plans, solved by column generation (the pricing
 * step is an exact dynamic programme over placements weighted by the
 * elements' dual prices), at top steps.  Generalises a single pipeline
 * (one plan) and replicated pipelines (plans on disjoint elements).
 * Returns the number of plans in out (at most max); rates[i] is plan i's
 * frames per second and *fps their sum.
 */
int plan_timeshare(const struct board *b, int model, unsigned int elems,
		   struct plan *out, double *rates, int max, double *fps);

/*
 * An upper bound on the frames per second any schedule can reach with
 * each element running one layer at a time: the fluid relaxation (layers
 * split fractionally over the elements, no input, output or hand-off
 * cost), bounded through its dual max over weights of sum over layers of
 * min over elements of weight x time.
 */
double plan_throughput_bound(const struct board *b, int model, unsigned int elems);

/*
 * Multi-DNN co-scheduling.  Each application brings a model, a priority
 * class (0 most urgent, as enum ep_prio), a frame rate and an SLO.
 * plan_candidates() lists the plans considered for one model: the least-
 * latency plan over every subset of elements and the most-throughput
 * pipeline, at top steps (the kernel's deadline governor lowers the
 * frequencies at run time), without duplicates.  plan_multi() picks one
 * candidate per application: most frames predicted within their SLO,
 * then the least loaded busiest cluster, then the least energy.  The
 * prediction is analytic: per cluster, the utilisation of the work of
 * equal or higher priority stretches a stage's time by 1 / (1 - U).
 */
struct plan_app {
	int model;
	int prio;
	double rate;
	double slo_ms;
};

#define PLAN_MAX_CANDIDATES	32

int plan_candidates(const struct board *b, int model, struct plan *out, int max);

/* Predicted fraction of frames within SLO (0..1) of a choice of plans. */
double plan_multi_score(const struct board *b, const struct plan_app *apps, int n,
			const struct plan *const *choice, double *max_util);

int plan_multi(const struct board *b, const struct plan_app *apps, int n,
	       struct plan *out, char *err, size_t errlen);

/*
 * Fallback graphs (issue 17; fallback.c): what an application registers
 * besides its plan, to submit a frame to when strict admission refuses it
 * there (-ETIME).  plan_fallbacks() writes to out (at most max) the
 * model's candidates (plan_candidates()) other than chosen (by their
 * stages' elements and layers) whose latency alone is at most max_ms (0:
 * any), fastest first.  Returns how many.  The simulator (sim_fallbacks())
 * and edgeai-run build them with it.
 */
int plan_fallbacks(const struct board *b, int model, const struct plan *chosen,
		   double max_ms, struct plan *out, int max);

/**
 * struct plan_finish_stage - a stage, as plan_expected_finish() sees it
 * @cluster: index into the wait_ns array (the board's element index)
 * @cost_ns: its estimate at the top step (plan_stage.cost_ns)
 */
struct plan_finish_stage {
	int cluster;
	uint64_t cost_ns;
};

/*
 * When a graph's stages submitted at now would end, from what the
 * application reads of each cluster: wait_ns[c], cluster c's wait for the
 * job's class (clusters/<name>/wait_ns in sysfs, edgeai_cluster_wait_ns():
 * what is left of the running stages and the queued work of that class and
 * the classes above, at the top step).  Each stage starts once its cluster
 * has run that and the stage before it has ended, and takes its cost_ns.
 */
uint64_t plan_expected_finish(uint64_t now, const uint64_t *wait_ns,
			      const struct plan_finish_stage *st, int nr_stages);

/*
 * The order to try n graphs in by least expected finish (finish[0..n)):
 * their indices into order, earliest first, equal ones in their given
 * order.  Returns n.
 */
int plan_finish_order(const uint64_t *finish, int n, int *order);

/*
 * Stage alternatives (issue 17; docs/planner.md, "Simulator"): the other
 * elements a plan's stage may run on when it is ready, which the kernel
 * takes with a graph (struct edgeai_stage_alt) and the simulator's
 * stage_by_finish places by the same rule (ep_place_stage()).
 */

/* Most alternatives one stage has: the kernel's EDGEAI_MAX_STAGE_ALTS. */
#define PLAN_MAX_STAGE_ALTS	4

/**
 * struct plan_alt - another element a plan's stage may run on
 * @stage: the stage, an index into plan.stages
 * @st: the same layers on another element at its top step (and its
 *	host's), declared as the plan's own stages are: cost_ns and speed
 *	as plan_fill() gives a stage there after the plan's previous stage
 *	(hand-off in from that stage's element), freq_khz the element's top,
 *	time_ns its time there at the top steps, hand-off in (energy_uj and
 *	dyn_energy_uj 0: not costed)
 */
struct plan_alt {
	int stage;
	struct plan_stage st;
};

/*
 * The alternatives of plan p's stages into out (at most max), stage by
 * stage, each stage's in element order: every element in elems (0: all)
 * other than the stage's own with data for the model, at most
 * PLAN_MAX_STAGE_ALTS per stage.  Returns how many.
 */
int plan_alternatives(const struct board *b, const struct plan *p, unsigned int elems,
		      struct plan_alt *out, int max);

struct json_object;
/* {"board","model","goal","stages":[...],"predicted":{...}}; caller puts. */
struct json_object *plan_to_json(const struct board *b, const struct plan *p);
const char *plan_goal_name(enum plan_goal g);

#endif /* EDGEAI_PLAN_H */
