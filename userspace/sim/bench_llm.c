// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-bench llm: a chat session decoding tokens beside a 30 FPS camera
 * pipeline on the simulated RK3399Pro (llm_sim.c), under
 *   (a) edgeai sessions: placed on the cluster edgeai's planner picks
 *       (llm_place(): the fastest whose steps the kernel's rule would not
 *       freeze under the camera), the prefill in units no longer than a
 *       step, token steps queued one by one, frozen by the kernel's own
 *       rule (ep_session_frozen()) while the camera is at risk,
 *   (a') the same without freezing,
 *   (a'') (a) kept on the camera's own cluster (what sessions and freezing
 *         do where the decode must share),
 *   (b) edgeai with the decode as one long job on the same cluster,
 *   (c) Linux's default (CFS sharing the camera's big cluster, no edgeai),
 *   (c') Linux as a careful user runs it: the decode pinned with taskset to
 *        the fastest cluster the camera does not use (the LITTLE one),
 *   (d) the decode alone on its fastest cluster (the tokens/s reference);
 * then a sweep of camera rates, deadlines and prompt lengths.
 *
 *   edgeai-bench llm [BOARD] [OUT.md]
 * Last line: camera_deadline_ratio=<f> baseline_camera_deadline_ratio=<f>
 * tokens_per_s_ratio=<f>: frames within their deadline with sessions (a),
 * the same for the baseline, Linux with the decode pinned (c'), and (a)'s
 * tokens per second over (d)'s, at the operating point.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bench/bench.h"
#include "llm_sim.h"

#define SEEDS		3
#define DURATION_S	300.0
#define JITTER		0.05
/* The chat starts once the camera runs; the kernel's default session_window_ms. */
#define CHAT_START_S	1.0
#define WINDOW_MS	500.0
/* Differences under these are ties: 0.1 point of deadlines, 1 % of tokens/s. */
#define TIE_SAT		0.001
#define TIE_TOK		0.01

/* What the benchmark runs: names looked up in the data, no figures. */
#define CAM_CPU		'B'
#define LLM_MODEL	"TinyLlama-1.1B"
#define LLM_QUANT	"q8_0"
#define LLM_SOFTWARE	"llama.cpp-2024-03-26"
#define CAM_MODEL	"MobileV1"
#define MAX_CAND	BOARD_MAX_ELEMS

struct point {
	double fps, slo_ms;
	uint32_t prompt;
};

/* Reply lengths: end-of-sequence from MIN_TOKENS, the limit at MAX_TOKENS. */
#define MIN_TOKENS	16
#define MAX_TOKENS	128

enum { V_SESSION, V_NOFREEZE, V_SHARED, V_LONG, V_LINUX, V_PINNED, V_ALONE, NV };

static const char *const v_names[NV] = {
	"(a) edgeai sessions, placed, freezing", "(a') edgeai sessions, placed, no freezing",
	"(a'') edgeai sessions, freezing, on the camera's cluster",
	"(b) edgeai, decode as one long job, placed", "(c) Linux default (CFS, shared big cluster)",
	"(c') Linux, decode pinned (taskset)", "(d) decode alone, fastest cluster",
};

struct agg {
	long frames, met, tokens, sessions, limited, freezes;
	double p99_ms, p50_ms, tokens_per_s, frozen_s, util;
	long max_interleave;
	int cand;
	uint32_t chunks;
};

struct ctx {
	const struct board *b;
	struct llm_cost cost[MAX_CAND];
	struct llm_candidate cand[MAX_CAND];
	int ncand;
	struct plan cam;
	int shared, pinned, fastest;	/* candidates of (c), (c') and (d) */
};

/* The camera: its first layer on the big cluster, the rest on the NPU. */
static int camera_plan(const struct board *b, int cpu, struct plan *p)
{
	int m = board_model_by_name(b, CAM_MODEL), n = board_element_by_code(b, 'N');

	if (m < 0 || n < 0)
		return -ENOENT;
	memset(p, 0, sizeof(*p));
	p->nr_stages = 2;
	p->stages[0] = (struct plan_stage){ .elem = cpu, .first_layer = 0, .nr_layers = 1,
		.step = board_top_step(b, cpu), .host_step = -1 };
	p->stages[1] = (struct plan_stage){ .elem = n, .first_layer = 1,
		.nr_layers = board_model_layers(b, m) - 1, .step = board_top_step(b, n),
		.host_step = board_top_step(b, board_element(b, n)->host) };
	return plan_fill(b, m, p);
}

static double cand_scale(const struct ctx *x, int i)
{
	int e = x->cand[i].elem, top = board_top_step(x->b, e);

	return llm_cost_scale(x->cand[i].cost, x->cand[i].cores,
			      board_element(x->b, e)->khz[top] / 1000.0,
			      board_step_speed(x->b, e, top));
}

static const char *cand_name(const struct ctx *x, int i)
{
	return board_element(x->b, x->cand[i].elem)->cluster;
}

static bool cam_uses(const struct ctx *x, int elem)
{
	for (int k = 0; k < x->cam.nr_stages; k++)
		if (x->cam.stages[k].elem == elem)
			return true;
	return false;
}

static int run(struct ctx *x, const struct point *p, int v, struct agg *a)
{
	int c;

	memset(a, 0, sizeof(*a));
	switch (v) {
	case V_SHARED:
	case V_LINUX:
		c = x->shared;
		break;
	case V_PINNED:
		c = x->pinned;
		break;
	case V_ALONE:
		c = x->fastest;
		break;
	default:
		c = llm_place(x->b, &x->cam, p->fps, p->slo_ms, p->prompt, x->cand, x->ncand);
		if (c < 0)
			return c;
	}
	a->cand = c;
	a->chunks = v == V_SESSION || v == V_NOFREEZE || v == V_SHARED ?
		    llm_prefill_chunks(x->cand[c].cost, p->prompt, cand_scale(x, c)) : 1;
	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		struct llm_scenario s = {
			.b = x->b, .cost = x->cand[c].cost, .cam = x->cam, .fps = p->fps,
			.slo_ms = p->slo_ms, .jitter = JITTER, .dec_elem = x->cand[c].elem,
			.dec_cores = x->cand[c].cores, .prompt = p->prompt,
			.prefill_chunks = a->chunks, .min_tokens = MIN_TOKENS,
			.max_tokens = MAX_TOKENS, .duration_s = DURATION_S, .seed = seed,
			.chat_start_s = CHAT_START_S, .window_ms = WINDOW_MS,
			.camera = v != V_ALONE, .freeze = v == V_SESSION || v == V_SHARED,
			.mode = v == V_LONG ? LLM_LONG_JOB :
				v == V_LINUX || v == V_PINNED ? LLM_LINUX : LLM_SESSION,
		};
		struct llm_result r;
		int rc = llm_sim_run(&s, &r);

		if (rc)
			return rc;
		a->frames += r.frames;
		a->met += r.met;
		a->tokens += r.tokens;
		a->sessions += r.sessions;
		a->limited += r.limited;
		a->freezes += r.freezes;
		a->frozen_s += r.frozen_s / SEEDS;
		a->tokens_per_s += r.tokens_per_s / SEEDS;
		a->util += r.dec_util / SEEDS;
		a->p50_ms += r.p50_ms / SEEDS;
		if (r.p99_ms > a->p99_ms)
			a->p99_ms = r.p99_ms;
		if (r.max_interleave > a->max_interleave)
			a->max_interleave = r.max_interleave;
	}
	return 0;
}

static double sat(const struct agg *a)
{
	return a->frames ? (double)a->met / a->frames : 1;
}

/*
 * Every CPU cluster of targets.csv is a candidate, with the published
 * figure for its core or, lacking one, one derived from the first
 * cluster that has one (llm_cost_derive()).
 */
static int load_candidates(struct ctx *x, const char *csv, char *err, size_t errlen)
{
	int ref = -1;

	for (int e = 0; e < board_nr_elements(x->b) && x->ncand < MAX_CAND; e++) {
		const struct board_element *de = board_element(x->b, e);
		struct llm_candidate *c = &x->cand[x->ncand];
		struct llm_cost *cost = &x->cost[x->ncand];
		char cpu[LLM_NAME_LEN];
		int rc;

		if (de->kind != BOARD_CPU)
			continue;
		rc = llm_target_load(csv, board_name(x->b), de->code, cpu, sizeof(cpu), &c->cores,
				     err, errlen);
		if (rc == -ENOENT)
			continue;
		if (rc)
			return rc;
		rc = llm_cost_load(csv, LLM_MODEL, LLM_QUANT, LLM_SOFTWARE, cpu, cost, err,
				   errlen);
		if (rc && rc != -ENOENT)
			return rc;
		/* derived below; its core's name kept */
		snprintf(cost->cpu, sizeof(cost->cpu), "%s", cpu);
		cost->derived = rc == -ENOENT;
		if (!rc && ref < 0)
			ref = x->ncand;
		c->elem = e;
		c->cost = cost;
		x->ncand++;
	}
	if (ref < 0) {
		snprintf(err, errlen, "%.400s: no published %s %s row for any cluster of %s", csv,
			 LLM_MODEL, LLM_QUANT, board_name(x->b));
		return -ENOENT;
	}
	for (int i = 0; i < x->ncand; i++) {
		char cpu[LLM_NAME_LEN];

		if (!x->cost[i].derived)
			continue;
		snprintf(cpu, sizeof(cpu), "%s", x->cost[i].cpu);
		if (llm_cost_derive(&x->cost[ref], x->b, x->cand[ref].elem, x->cand[ref].cores,
				    x->cand[i].elem, x->cand[i].cores, &x->cost[i])) {
			snprintf(err, errlen, "no network measured on both %s and %s",
				 cand_name(x, ref), cand_name(x, i));
			return -ENOENT;
		}
		snprintf(x->cost[i].cpu, sizeof(x->cost[i].cpu), "%s", cpu);
	}
	return 0;
}

static int setup(const char *board, struct board **bp, struct ctx *x, char *err, size_t errlen)
{
	char dir[512], csv[1024];
	int rc, cpu;

	*bp = board_open(board, dir, sizeof(dir), err, errlen);
	if (!*bp)
		return -EINVAL;
	x->b = *bp;
	if (llm_cost_resolve(dir, csv, sizeof(csv))) {
		snprintf(err, errlen, "no data/llm/decode.csv beside %.400s", dir);
		return -ENOENT;
	}
	cpu = board_element_by_code(*bp, CAM_CPU);
	if (cpu < 0 || camera_plan(*bp, cpu, &x->cam)) {
		snprintf(err, errlen, "board %s lacks %c, N or %s", board, CAM_CPU, CAM_MODEL);
		return -ENOENT;
	}
	rc = load_candidates(x, csv, err, errlen);
	if (rc)
		return rc;
	x->shared = x->pinned = x->fastest = -1;
	for (int i = 0; i < x->ncand; i++) {
		double step = llm_cost_step_s(x->cand[i].cost, 0, cand_scale(x, i));

		if (x->cand[i].elem == cpu)
			x->shared = i;
		if (x->fastest < 0 ||
		    step < llm_cost_step_s(x->cand[x->fastest].cost, 0, cand_scale(x, x->fastest)))
			x->fastest = i;
		if (!cam_uses(x, x->cand[i].elem) &&
		    (x->pinned < 0 ||
		     step < llm_cost_step_s(x->cand[x->pinned].cost, 0, cand_scale(x, x->pinned))))
			x->pinned = i;
	}
	if (x->shared < 0 || x->pinned < 0) {
		snprintf(err, errlen, "board %s: no decode figure for the camera's cluster or "
			 "for a cluster the camera does not use", board);
		return -ENOENT;
	}
	return 0;
}

static void row(FILE *f, const struct ctx *x, const char *name, const struct agg *a)
{
	fprintf(f, "| %s | %s | %ld/%ld (%.2f %%) | %.1f | %.1f | %.3f | %ld (%ld at the limit) | "
		"%.0f %% | %ld / %.1f s |\n", name, cand_name(x, a->cand), a->met, a->frames,
		100 * sat(a), a->p50_ms, a->p99_ms, a->tokens_per_s, a->sessions, a->limited,
		100 * a->util, a->freezes, a->frozen_s);
}

/* -1, 0 (a tie) or 1: whether @a is worse, as good as or better than @b. */
static int cmp_sat(const struct agg *a, const struct agg *b)
{
	double d = sat(a) - sat(b);

	return fabs(d) < TIE_SAT ? 0 : d > 0 ? 1 : -1;
}

static int cmp_tok(const struct agg *a, const struct agg *b)
{
	double d = a->tokens_per_s - b->tokens_per_s, m = fmax(a->tokens_per_s, b->tokens_per_s);

	return m <= 0 || fabs(d) < TIE_TOK * m ? 0 : d > 0 ? 1 : -1;
}

static const char *const more_less[3] = { "fewer", "as many", "more" };

char bench_llm_summary[3072];

/* edgeai's sessions (a) against a baseline, both figures, in words. */
static void versus(char *buf, size_t len, const char *what, const struct agg *ses,
		   const struct agg *base)
{
	int c = cmp_sat(ses, base), t = cmp_tok(ses, base);
	const char *v = c >= 0 && t >= 0 ? (c || t ? "edgeai is better" : "a tie") :
			 c <= 0 && t <= 0 ? "edgeai is worse" : "neither is better on both";

	snprintf(buf, len, "against %s, %s: edgeai meets %s camera deadlines (%.2f %% against "
		 "%.2f %%) and gives %s tokens/s (%.3f against %.3f)", what, v, more_less[c + 1],
		100 * sat(ses), 100 * sat(base), more_less[t + 1], ses->tokens_per_s,
		base->tokens_per_s);
}

/* Sweep tallies of (a) against one variant: better, tie, worse, mixed. */
struct tally {
	int better, tie, worse, mixed;
};

static void tally(struct tally *t, const struct agg *ses, const struct agg *base)
{
	int c = cmp_sat(ses, base), k = cmp_tok(ses, base);

	if (!c && !k)
		t->tie++;
	else if (c >= 0 && k >= 0)
		t->better++;
	else if (c <= 0 && k <= 0)
		t->worse++;
	else
		t->mixed++;
}

static void tally_line(FILE *f, const char *what, const struct tally *t, int npts)
{
	fprintf(f, "- Over the sweep (%d points), against %s: edgeai better (at least as good "
		"on both, better on one) at %d, a tie at %d, worse at %d, better on one and "
		"worse on the other at %d.\n", npts, what, t->better, t->tie, t->worse, t->mixed);
}

int bench_llm_main(int argc, char **argv)
{
	static const double fpss[] = { 15, 30 }, slos[] = { 100, 500, 2000 };
	static const uint32_t prompts[] = { 16, 64, 256 };
	static const struct point base = { 30, 100, 64 };
	const char *board = argc > 1 ? argv[1] : "rk3399pro";
	const char *out = argc > 2 ? argv[2] : NULL;
	struct board *b = NULL;
	struct ctx x;
	struct agg g[NV];
	struct tally t_pin = { 0 }, t_lin = { 0 }, t_long = { 0 }, t_sh = { 0 };
	char err[512], what[160], vs_pin[400], vs_lin[400], vs_sh[400], vs_long[400], *sweep = NULL;
	size_t sl = 0, cap = 1 << 16;
	double ratio, base_ratio, tok_ratio;
	int npts = 0, on_shared = 0;
	FILE *md = NULL;

	if (argc > 1 && argv[1][0] == '-') {
		printf("usage: edgeai-bench llm [BOARD] [OUT.md]\n");
		return strcmp(argv[1], "-h") && strcmp(argv[1], "--help") ? 2 : 0;
	}
	memset(&x, 0, sizeof(x));
	if (setup(board, &b, &x, err, sizeof(err))) {
		fprintf(stderr, "edgeai-bench llm: %s\n", err);
		board_free(b);
		return 1;
	}
	for (int v = 0; v < NV; v++)
		if (run(&x, &base, v, &g[v])) {
			fprintf(stderr, "edgeai-bench llm: simulation failed\n");
			board_free(b);
			return 1;
		}
	sweep = malloc(cap);
	if (!sweep) {
		board_free(b);
		return 1;
	}
	sweep[0] = '\0';
	for (size_t i = 0; i < sizeof(fpss) / sizeof(fpss[0]); i++)
		for (size_t j = 0; j < sizeof(slos) / sizeof(slos[0]); j++)
			for (size_t k = 0; k < sizeof(prompts) / sizeof(prompts[0]); k++) {
				struct point p = { fpss[i], slos[j], prompts[k] };
				struct agg t[NV];

				for (int v = 0; v < NV; v++)
					if (run(&x, &p, v, &t[v])) {
						free(sweep);
						board_free(b);
						return 1;
					}
				npts++;
				on_shared += t[V_SESSION].cand == x.shared;
				tally(&t_pin, &t[V_SESSION], &t[V_PINNED]);
				tally(&t_lin, &t[V_SESSION], &t[V_LINUX]);
				tally(&t_long, &t[V_SESSION], &t[V_LONG]);
				tally(&t_sh, &t[V_SHARED], &t[V_LINUX]);
				sl += snprintf(sweep + sl, cap - sl, "| %.0f | %.0f | %u | %s |", p.fps,
					       p.slo_ms, p.prompt, cand_name(&x, t[V_SESSION].cand));
				for (int v = 0; v < V_ALONE && sl < cap; v++)
					sl += snprintf(sweep + sl, cap - sl, " %.1f %% / %.0f ms / %.2f |",
						       100 * sat(&t[v]), t[v].p99_ms,
						       t[v].tokens_per_s);
				if (sl < cap)
					sl += snprintf(sweep + sl, cap - sl, " %.2f |\n",
						       t[V_ALONE].tokens_per_s);
			}

	ratio = sat(&g[V_SESSION]);
	base_ratio = sat(&g[V_PINNED]);
	tok_ratio = g[V_ALONE].tokens_per_s > 0 ?
		    g[V_SESSION].tokens_per_s / g[V_ALONE].tokens_per_s : 0;
	snprintf(what, sizeof(what), "Linux with the decode pinned to the %s cluster (taskset), "
		 "the camera on big + NPU", cand_name(&x, g[V_PINNED].cand));
	versus(vs_pin, sizeof(vs_pin), what, &g[V_SESSION], &g[V_PINNED]);
	versus(vs_lin, sizeof(vs_lin), "Linux's default (CFS, the decode sharing the camera's "
	       "big cluster)", &g[V_SESSION], &g[V_LINUX]);
	versus(vs_sh, sizeof(vs_sh), "Linux's default on that cluster (c)", &g[V_SHARED],
	       &g[V_LINUX]);
	versus(vs_long, sizeof(vs_long), "edgeai's one long job on the same cluster (b)",
	       &g[V_SESSION], &g[V_LONG]);
	snprintf(bench_llm_summary, sizeof(bench_llm_summary),
		 "LLM sessions beside a 30 FPS camera (%s, edgeai placing the session on the %s "
		 "cluster): %s; %s; %s; kept on the camera's cluster, sessions with freezing "
		 "meet %.3f with %.3f tokens/s; the chat gets %.3f of the decode alone on its "
		 "fastest cluster (%s)", x.cost[0].model, cand_name(&x, g[V_SESSION].cand), vs_pin,
		 vs_lin, vs_long,
		 sat(&g[V_SHARED]), g[V_SHARED].tokens_per_s, tok_ratio,
		 cand_name(&x, g[V_ALONE].cand));
	if (out) {
		md = fopen(out, "w");
		if (!md) {
			perror(out);
			free(sweep);
			board_free(b);
			return 1;
		}
	}
	for (int pass = 0; pass < 2; pass++) {
		FILE *f = pass ? md : stdout;
		int pc = g[V_SESSION].cand, sc = x.shared;
		double ps = cand_scale(&x, pc), ss = cand_scale(&x, sc);

		if (!f)
			continue;
		fprintf(f, "# LLM sessions beside a camera pipeline\n\n"
			"Simulated %s (userspace/sim/llm_sim.c) with the kernel's own session "
			"freezing rule (kmod/policy/session.c), %d seeds x %.0f s per point. "
			"Generated by `make bench-llm` (userspace/sim/bench_llm.c); "
			"docs/llm.md says how it is modelled.\n\n", board, SEEDS, DURATION_S);
		fprintf(f, "## Summary, against edgeai first\n\n"
			"- **At the operating point (camera %.0f FPS, deadline %.0f ms, prompts "
			"of %u tokens), ", base.fps, base.slo_ms, base.prompt);
		fprintf(f, "%s.** That baseline is what a careful user does on stock Linux. ",
			vs_pin);
		if (pc == g[V_PINNED].cand)
			fprintf(f, "It runs the decode on the cluster edgeai places it on (%s), "
				"where the camera has no stage: there edgeai's sessions and "
				"freezing have nothing to do, the placement is all of it.\n",
				cand_name(&x, pc));
		else
			fprintf(f, "It runs the decode on the %s cluster, edgeai on %s.\n",
				cand_name(&x, g[V_PINNED].cand), cand_name(&x, pc));
		fprintf(f, "- At the operating point, %s.\n- At the operating point, %s.\n",
			vs_lin, vs_long);
		fprintf(f, "- The chat gets %.1f %% of the decode alone on its fastest "
			"cluster (%s, %.3f tokens/s)%s%s.\n",
			100 * tok_ratio, cand_name(&x, g[V_ALONE].cand), g[V_ALONE].tokens_per_s,
			pc != g[V_ALONE].cand ? ": the cluster it runs on is slower" : "",
			x.cost[pc].derived ? " (its per-token cost is derived from the board's "
			"CNN data, an assumption: docs/llm.md)" : "");
		llm_place(x.b, &x.cam, base.fps, base.slo_ms, base.prompt, x.cand, x.ncand);
		fprintf(f, "- On the camera's own cluster (%s) a token step takes %.0f ms and "
			"the prefill %.1f s, %.0f and %.0f camera periods; the kernel's rule %s; "
			"edgeai places the session on %s (step %.0f ms, "
			"prefill in %u units of %.0f ms).\n",
			cand_name(&x, sc), 1000 * llm_cost_step_s(x.cand[sc].cost, base.prompt, ss),
			llm_cost_prefill_s(x.cand[sc].cost, base.prompt, ss),
			llm_cost_step_s(x.cand[sc].cost, base.prompt, ss) * base.fps,
			llm_cost_prefill_s(x.cand[sc].cost, base.prompt, ss) * base.fps,
			x.cand[sc].frozen ? "freezes the steps there (the camera's margin is "
			"under a step)" : "lets the steps run there", cand_name(&x, pc),
			1000 * llm_cost_step_s(x.cand[pc].cost, base.prompt, ps),
			g[V_SESSION].chunks,
			1000 * llm_cost_prefill_s(x.cand[pc].cost, base.prompt, ps) /
			g[V_SESSION].chunks);
		tally_line(f, "the pinned decode (c')", &t_pin, npts);
		tally_line(f, "Linux's default (c)", &t_lin, npts);
		tally_line(f, "edgeai's one long job (b)", &t_long, npts);
		fprintf(f, "- Kept on the camera's cluster (a''), at the operating point ");
		fprintf(f, "%s.\n", vs_sh);
		tally_line(f, "Linux's default (c), with edgeai's sessions kept on the camera's "
			   "cluster (a'')", &t_sh, npts);
		fprintf(f, "- edgeai places the session on the camera's own cluster at %d of the "
			"%d points.\n\n", on_shared, npts);
		fprintf(f, "## Workload\n\n- Decode: %s %s (%s). Per cluster, at its top step:\n",
			x.cost[0].model, x.cost[0].quant, x.cost[0].software);
		for (int i = 0; i < x.ncand; i++) {
			double sc_i = cand_scale(&x, i);

			if (x.cost[i].derived)
				fprintf(f, "  - %s, %d x %s at %.0f MHz: no published figure; "
					"derived: the board's measured CNN speed of this cluster "
					"over the other's, x%.2f (an assumption for a memory-bound "
					"decode): %.2f tokens/s decode, %.2f prefill;",
					cand_name(&x, i), x.cand[i].cores, x.cost[i].cpu,
					x.cost[i].src_mhz, x.cost[i].derived_ratio,
					x.cost[i].eval_tok_s * sc_i, x.cost[i].prompt_tok_s * sc_i);
			else
				fprintf(f, "  - %s, %d x %s: published %.1f tokens/s decode, %.1f "
					"prefill on %d x %s at %.0f MHz (data/llm/decode.csv), "
					"x%.2f here;", cand_name(&x, i), x.cand[i].cores,
					x.cost[i].cpu, x.cost[i].eval_tok_s, x.cost[i].prompt_tok_s,
					x.cost[i].src_cores, x.cost[i].cpu, x.cost[i].src_mhz, sc_i);
			fprintf(f, " a step %.0f ms at p = 0, %.0f ms at p = 2048.\n",
				1000 * llm_cost_step_s(x.cand[i].cost, 0, sc_i),
				1000 * llm_cost_step_s(x.cand[i].cost, 2048, sc_i));
		}
		fprintf(f, "- A step at position p reads %.2f GB of weights + (p + 1) x %.1f KB "
			"of KV cache.\n"
			"- Chat requests back to back; each reply ends at an end-of-sequence drawn "
			"in [%d, %d] tokens, or at the session's token limit, %d.\n"
			"- Camera: %s, its first layer on the %s cluster (%.1f ms) and the rest on "
			"the NPU (%.1f ms), periodic with +-%.0f %% jitter, realtime class.\n"
			"- Every cluster at its top step, in every variant: the decode keeps its "
			"cluster busy (%.0f %% alone), where schedutil's choice is the top step "
			"(docs/llm.md); memory contention between the clusters is not modelled.\n\n",
			x.cost[0].weight_bytes / 1e9, x.cost[0].kv_bytes_tok / 1e3, MIN_TOKENS,
			MAX_TOKENS, MAX_TOKENS, CAM_MODEL, cand_name(&x, x.shared),
			x.cam.stages[0].time_ns / 1e6, x.cam.stages[1].time_ns / 1e6,
			100 * JITTER, 100 * g[V_ALONE].util);
		fprintf(f, "## Operating point\n\n"
			"| variant | decode on | camera deadlines met | p50 ms | p99 ms | tokens/s "
			"| sessions | decode cluster busy | freezes / frozen |\n"
			"|---|---|---|---|---|---|---|---|---|\n");
		for (int v = 0; v < NV; v++)
			row(f, &x, v_names[v], &g[v]);
		fprintf(f, "\nMost camera stages run on the decode's cluster between two token "
			"steps of one session: %ld placed with freezing, %ld without, %ld on the "
			"camera's cluster, %ld as one long job. (a'') splits the prefill into %u "
			"units of %.0f ms; the kernel does not freeze them (docs/llm.md).\n\n",
			g[V_SESSION].max_interleave, g[V_NOFREEZE].max_interleave,
			g[V_SHARED].max_interleave, g[V_LONG].max_interleave, g[V_SHARED].chunks,
			1000 * llm_cost_prefill_s(x.cand[sc].cost, base.prompt, ss) /
			g[V_SHARED].chunks);
		fprintf(f, "## Sweep\n\nEach cell: camera deadlines met / camera p99 / tokens "
			"per second. \"placed on\": the cluster edgeai picks for (a), (a') and "
			"(b).\n\n| FPS | deadline ms | prompt | placed on | (a) sessions, freezing | "
			"(a') no freezing | (a'') on the camera's cluster | (b) one long job | "
			"(c) Linux default | (c') Linux pinned | (d) alone tokens/s |\n"
			"|---|---|---|---|---|---|---|---|---|---|---|\n");
		fputs(sweep, f);
		fprintf(f, "\ncamera_deadline_ratio is (a)'s fraction of frames within their "
			"deadline; baseline_camera_deadline_ratio the same for the baseline, (c'): "
			"Linux with the decode pinned to the %s cluster (taskset) and the camera "
			"on big + NPU, the stronger of the two Linux baselines; "
			"tokens_per_s_ratio (a)'s tokens/s over (d)'s, the decode alone on its "
			"fastest cluster (%s); all at the operating point. Linux's default (c) "
			"meets %.3f.\n\n", cand_name(&x, g[V_PINNED].cand),
			cand_name(&x, g[V_ALONE].cand), sat(&g[V_LINUX]));
		fprintf(f, "camera_deadline_ratio=%.3f baseline_camera_deadline_ratio=%.3f "
			"tokens_per_s_ratio=%.3f\n", ratio, base_ratio, tok_ratio);
	}
	if (md)
		fclose(md);
	free(sweep);
	board_free(b);
	return 0;
}
