/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * LLM decoding in the simulator: a per-token cost model from published
 * edge-LLM figures (llm_cost.c, data/llm/decode.csv) and a simulation of
 * a chat session beside a camera pipeline on the simulated board
 * (llm_sim.c), under edgeai's sessions (token steps queued one by one,
 * frozen while the camera's deadlines are at risk), the same decode as one
 * long job, and Linux's own time slicing.  edgeai-bench llm (bench_llm.c)
 * drives it; docs/llm.md says how each part is modelled.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_LLM_SIM_H
#define EDGEAI_LLM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "plan.h"

#define LLM_NAME_LEN	48

/**
 * struct llm_cost - the per-token cost of one published decode
 * @model: the model's name in the data
 * @quant: its weights' quantisation
 * @software: the runtime measured
 * @cpu: the core it ran on
 * @src_cores: cores the figure used
 * @src_mhz: their clock
 * @weight_bytes: bytes of weights a token step reads (all of them)
 * @kv_bytes_tok: bytes of KV cache one position adds (keys and values of
 *	every layer), which every later step reads
 * @eval_tok_s: published decode rate (short context)
 * @prompt_tok_s: published prompt (prefill) rate
 * @derived: no published figure for @cpu: @eval_tok_s and @prompt_tok_s
 *	are another cluster's scaled by the board's own per-layer data
 *	(llm_cost_derive()), an assumption, not a measurement
 * @derived_ratio: @derived: the speed ratio applied
 *
 * A step at position pos reads @weight_bytes + (pos + 1) x @kv_bytes_tok,
 * the shape of the real decoder's llm_step_bytes() (userspace/daemon/
 * llm.c); the published rate fixes the bytes per second at position 0.
 */
struct llm_cost {
	char model[LLM_NAME_LEN], quant[LLM_NAME_LEN], software[LLM_NAME_LEN];
	char cpu[LLM_NAME_LEN];
	int src_cores;
	double src_mhz;
	double weight_bytes, kv_bytes_tok;
	double eval_tok_s, prompt_tok_s;
	bool derived;
	double derived_ratio;
};

/*
 * The row of @csv (data/llm/decode.csv's columns, any order) whose Model,
 * Quant, Software and CPU match (a NULL key matches any; the first match
 * wins).  Returns 0, -ENOENT (no such row or file) or -EINVAL (a row
 * lacks what the model needs) with @err set.
 */
int llm_cost_load(const char *csv, const char *model, const char *quant,
		  const char *software, const char *cpu, struct llm_cost *c,
		  char *err, size_t errlen);

/*
 * data/llm/decode.csv beside a board directory resolved by
 * board_resolve() (BOARDS/../llm/decode.csv, in the tree and installed),
 * or $EDGEAI_LLM_DATA.  Returns 0 or -ENOENT.
 */
int llm_cost_resolve(const char *board_dir, char *out, size_t len);

/*
 * The core and the number of cores of element @code of @board, from the
 * targets file beside @csv (data/llm/targets.csv).  Returns 0, -ENOENT or
 * -EINVAL with @err set.
 */
int llm_target_load(const char *csv, const char *board, char code, char *cpu,
		    size_t cpulen, int *cores, char *err, size_t errlen);

/*
 * How much faster than the published run @cores cores of the same core
 * at @mhz, at relative speed @speed of its top step (board_step_speed()),
 * decode: the published A72/A76 runs are bound by their cores, not by
 * their memory (docs/llm.md), so the rate scales with cores x clock.
 */
double llm_cost_scale(const struct llm_cost *c, int cores, double mhz, double speed);

/*
 * A cost for cluster @to (@to_cores cores, its top step) of @b where no
 * figure is published, from @from's figure scaled to cluster @from_elem
 * (@from_cores cores, its top step) and the board's own measurements: the
 * ratio of the two clusters' whole-network times at their top steps
 * (board_stage_cost() of every network both ran, geometric mean).  Those
 * are convolutional networks, bound by their cores; a decode is bound by
 * memory traffic too, so this is an assumption (docs/llm.md).  Returns 0
 * or -ENOENT (no network ran on both); @out's cpu is still @from's, for
 * the caller to name.
 */
int llm_cost_derive(const struct llm_cost *from, const struct board *b, int from_elem,
		    int from_cores, int to, int to_cores, struct llm_cost *out);

/* Seconds of one token step at @pos, and of a prefill of @n tokens, at
 * @scale (llm_cost_scale()). */
double llm_cost_step_s(const struct llm_cost *c, uint32_t pos, double scale);
double llm_cost_prefill_s(const struct llm_cost *c, uint32_t n, double scale);

/* ---------------------------------------------------------- simulation */

/**
 * enum llm_mode - how the board runs the decode beside the camera
 * @LLM_SESSION: edgeai sessions: prefill, then each token step a unit
 *	queued on the decode's cluster below the camera's realtime stages,
 *	held while the freezing rule says the camera's deadlines are at
 *	risk (@freeze)
 * @LLM_LONG_JOB: edgeai, the whole decode one job: the cluster runs it to
 *	its end once it has started
 * @LLM_LINUX: no edgeai: the camera's thread and the decoder's share each
 *	cluster, CFS-like processor sharing
 */
enum llm_mode {
	LLM_SESSION,
	LLM_LONG_JOB,
	LLM_LINUX,
};

/**
 * struct llm_scenario - one run
 * @b: the board
 * @cost: the decode's per-token cost
 * @mode: see &enum llm_mode
 * @freeze: LLM_SESSION: apply the freezing rule
 * @camera: run the camera pipeline (false: the decode alone)
 * @cam: the camera pipeline's plan (its stages at their elements' top
 *	steps)
 * @fps: camera frames per second
 * @slo_ms: a frame's deadline after its arrival
 * @jitter: arrivals move by up to +-@jitter x the period (seeded)
 * @dec_elem: the decode's cluster (a CPU element)
 * @dec_cores: its cores the decoder's threads use
 * @prompt: prompt tokens of each chat request
 * @prefill_chunks: LLM_SESSION: the prefill is this many units (graph
 *	stages before the token step, each queued on its own, as the
 *	kernel's sessions run them; 0 or 1: one unit)
 * @min_tokens: least tokens a reply runs to before its end-of-sequence
 * @max_tokens: the session's token limit: the job ends there
 * @duration_s: simulated time
 * @chat_start_s: when the first chat request comes (the camera runs from 0)
 * @window_ms: @freeze: the kernel's session_window_ms, over which it keeps
 *	the least margin of the camera's stages (this window and the last)
 * @seed: arrivals and reply lengths
 *
 * Only token steps are frozen, as in the kernel: the prefill's units are
 * queued as any stage is.  Chat requests come back to back: each is a session job (prefill, then
 * steps until its end-of-sequence, drawn uniformly in
 * [@min_tokens, @max_tokens], or the limit).
 */
struct llm_scenario {
	const struct board *b;
	const struct llm_cost *cost;
	enum llm_mode mode;
	bool freeze;
	bool camera;
	struct plan cam;
	double fps, slo_ms, jitter;
	int dec_elem, dec_cores;
	uint32_t prompt, prefill_chunks, min_tokens, max_tokens;
	double duration_s, chat_start_s, window_ms;
	uint64_t seed;
};

/**
 * struct llm_result - what a run measured
 * @frames: camera frames that arrived
 * @met: of which finished by their deadline
 * @p50_ms: median frame latency (arrival to last stage's end)
 * @p99_ms: its 99th percentile
 * @tokens: tokens generated (steps completed) by @duration_s
 * @late_tokens: steps that ended after it (a long job's tail)
 * @sessions: session jobs completed
 * @limited: of which ended at the token limit
 * @tokens_per_s: @tokens over the time from @chat_start_s
 * @frozen_s: time the session was ready but held by the freezing rule
 * @freezes: times it went from thawed to frozen
 * @dec_util: busy fraction of the decode's cluster
 * @max_interleave: most camera stages the decode's cluster ran between
 *	two consecutive token steps of one session
 */
struct llm_result {
	long frames, met;
	double p50_ms, p99_ms;
	long tokens, late_tokens, sessions, limited;
	double tokens_per_s;
	double frozen_s;
	long freezes;
	double dec_util;
	long max_interleave;
};

/* Runs one scenario.  Returns 0 or -errno. */
int llm_sim_run(const struct llm_scenario *s, struct llm_result *r);

/* Most units a prefill is split into: a session's graph is at most the
 * kernel's EDGEAI_MAX_STAGES (64, edgeaictl info's max_stages) stages, the
 * last the token step. */
#define LLM_MAX_PREFILL_CHUNKS	63

/**
 * struct llm_candidate - a cluster the decode may run on
 * @elem: the board's CPU element
 * @cores: its cores the decoder's threads use
 * @cost: the decode's cost there (at its top step: llm_cost_scale())
 * @step_s: llm_place(): a token step's time at the prompt's end
 * @tokens_per_s: llm_place(): the steps the cluster runs a second in what
 *	the camera's stages leave of it
 * @frozen: llm_place(): the kernel's rule would freeze its steps
 */
struct llm_candidate {
	int elem, cores;
	const struct llm_cost *cost;
	double step_s, tokens_per_s;
	bool frozen;
};

/*
 * Where edgeai places the session, with what the system can see: the
 * camera's plan, rate @fps and deadline, each cluster's per-token cost.
 * For each candidate, ep_session_frozen() (the kernel's rule) is asked
 * about the session's first token step with the camera's stages on that
 * cluster as they stand when a frame arrives, and the margin they end
 * with when the frame runs unhindered; the chosen cluster is the one
 * with the most tokens/s (steps in the time the camera's stages leave)
 * among those not frozen (of all, if every one is).  Returns the index
 * into @c, or -EINVAL.
 */
int llm_place(const struct board *b, const struct plan *cam, double fps, double slo_ms,
	      uint32_t prompt, struct llm_candidate *c, int n);

/*
 * Units to split a prefill of @prompt tokens into so that none is longer
 * than a token step at the prompt's end (a frame then waits no longer for
 * a prefill unit than for a step), at most LLM_MAX_PREFILL_CHUNKS.
 */
uint32_t llm_prefill_chunks(const struct llm_cost *c, uint32_t prompt, double scale);

#endif /* EDGEAI_LLM_SIM_H */
