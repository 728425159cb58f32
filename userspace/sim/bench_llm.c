// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-bench llm: a chat session decoding tokens beside a 30 FPS camera
 * pipeline on the simulated RK3399Pro (llm_sim.c), under
 *   (a) edgeai sessions: token steps queued one by one, frozen by the
 *       kernel's own rule (ep_session_frozen()) while the camera is at risk,
 *   (a') the same without freezing,
 *   (b) edgeai with the decode as one long job,
 *   (c) Linux's own scheduling (CFS sharing the cluster, no edgeai),
 *   (d) the decode alone (the tokens/s reference);
 * then a sweep of camera rates, deadlines and prompt lengths.
 *
 *   edgeai-bench llm [BOARD] [OUT.md]
 * Last line: camera_deadline_ratio=<f> baseline_camera_deadline_ratio=<f>
 * tokens_per_s_ratio=<f>: frames within their deadline with sessions (a),
 * the same under Linux's default scheduling (c), and (a)'s tokens per
 * second over (d)'s, at the operating point.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
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

/* What the benchmark runs: names looked up in the data, no figures. */
#define DEC_ELEM	'B'
#define LLM_MODEL	"TinyLlama-1.1B"
#define LLM_QUANT	"q8_0"
#define LLM_SOFTWARE	"llama.cpp-2024-03-26"
#define CAM_MODEL	"MobileV1"

struct point {
	double fps, slo_ms;
	uint32_t prompt;
};

/* Reply lengths: end-of-sequence from MIN_TOKENS, the limit at MAX_TOKENS. */
#define MIN_TOKENS	16
#define MAX_TOKENS	128

enum { V_SESSION, V_NOFREEZE, V_LONG, V_LINUX, V_ALONE, NV };

static const char *const v_names[NV] = {
	"(a) edgeai sessions, freezing", "(a') edgeai sessions, no freezing",
	"(b) edgeai, decode as one long job", "(c) Linux default (CFS, no edgeai)",
	"(d) decode alone",
};

struct agg {
	long frames, met, tokens, sessions, limited, freezes;
	double p99_ms, p50_ms, tokens_per_s, frozen_s, util;
	long max_interleave;
};

struct ctx {
	const struct board *b;
	struct llm_cost cost;
	struct plan cam;
	int dec_elem, cores;
};

/* The camera: its first layer on the decode's cluster, the rest on the NPU. */
static int camera_plan(const struct board *b, int dec_elem, struct plan *p)
{
	int m = board_model_by_name(b, CAM_MODEL), n = board_element_by_code(b, 'N');

	if (m < 0 || n < 0)
		return -ENOENT;
	memset(p, 0, sizeof(*p));
	p->nr_stages = 2;
	p->stages[0] = (struct plan_stage){ .elem = dec_elem, .first_layer = 0, .nr_layers = 1,
		.step = board_top_step(b, dec_elem), .host_step = -1 };
	p->stages[1] = (struct plan_stage){ .elem = n, .first_layer = 1,
		.nr_layers = board_model_layers(b, m) - 1, .step = board_top_step(b, n),
		.host_step = board_top_step(b, board_element(b, n)->host) };
	return plan_fill(b, m, p);
}

static int run(const struct ctx *x, const struct point *p, int v, struct agg *a)
{
	memset(a, 0, sizeof(*a));
	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		struct llm_scenario s = {
			.b = x->b, .cost = &x->cost, .cam = x->cam, .fps = p->fps,
			.slo_ms = p->slo_ms, .jitter = JITTER, .dec_elem = x->dec_elem,
			.dec_cores = x->cores, .prompt = p->prompt, .min_tokens = MIN_TOKENS,
			.max_tokens = MAX_TOKENS, .duration_s = DURATION_S, .seed = seed,
			.chat_start_s = CHAT_START_S, .window_ms = WINDOW_MS,
			.camera = v != V_ALONE, .freeze = v == V_SESSION,
			.mode = v == V_LONG ? LLM_LONG_JOB : v == V_LINUX ? LLM_LINUX : LLM_SESSION,
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

static int setup(const char *board, struct board **bp, struct ctx *x, char *err, size_t errlen)
{
	char dir[512], csv[1024], cpu[LLM_NAME_LEN];
	int rc;

	if (board_resolve(board, dir, sizeof(dir))) {
		snprintf(err, errlen, "no board %s", board);
		return -ENOENT;
	}
	*bp = board_load(dir, err, errlen);
	if (!*bp)
		return -EINVAL;
	x->b = *bp;
	if (llm_cost_resolve(dir, csv, sizeof(csv))) {
		snprintf(err, errlen, "no data/llm/decode.csv beside %.400s", dir);
		return -ENOENT;
	}
	rc = llm_target_load(csv, board_name(*bp), DEC_ELEM, cpu, sizeof(cpu), &x->cores, err,
			     errlen);
	if (!rc)
		rc = llm_cost_load(csv, LLM_MODEL, LLM_QUANT, LLM_SOFTWARE, cpu, &x->cost, err,
				   errlen);
	if (rc)
		return rc;
	x->dec_elem = board_element_by_code(*bp, DEC_ELEM);
	if (x->dec_elem < 0 || camera_plan(*bp, x->dec_elem, &x->cam)) {
		snprintf(err, errlen, "board %s lacks %c, N or %s", board, DEC_ELEM, CAM_MODEL);
		return -ENOENT;
	}
	return 0;
}

static void row(FILE *f, const char *name, const struct agg *a)
{
	fprintf(f, "| %s | %ld/%ld (%.2f %%) | %.1f | %.1f | %.3f | %ld (%ld at the limit) | "
		"%.0f %% | %ld / %.1f s |\n", name, a->met, a->frames, 100 * sat(a), a->p50_ms,
		a->p99_ms, a->tokens_per_s, a->sessions, a->limited, 100 * a->util, a->freezes,
		a->frozen_s);
}

/* The operating point's comparison of sessions with Linux's default, in words. */
static const char *verdict(const struct agg *ses, const struct agg *lin)
{
	bool cam = sat(ses) >= sat(lin), tok = ses->tokens_per_s >= lin->tokens_per_s;

	if (cam && tok)
		return "**At the operating point sessions with freezing are at least as good "
		       "as Linux's default on both.**";
	if (!cam && !tok)
		return "**At the operating point Linux's default is better on both: more "
		       "camera deadlines and more tokens/s.**";
	if (cam)
		return "**At the operating point sessions with freezing meet more camera "
		       "deadlines than Linux's default but give the chat fewer tokens/s.**";
	return "**At the operating point Linux's default meets more camera deadlines, "
	       "sessions give more tokens/s.**";
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
	char err[512], *sweep = NULL;
	size_t sl = 0, cap = 1 << 16;
	double top_mhz, scale, ratio, base_ratio, tok_ratio;
	int linux_dom = 0, ses_dom = 0, ses_cam = 0, wins_long = 0, npts = 0;
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
				linux_dom += sat(&t[V_LINUX]) >= sat(&t[V_SESSION]) &&
					     t[V_LINUX].tokens_per_s >= t[V_SESSION].tokens_per_s;
				ses_dom += sat(&t[V_SESSION]) >= sat(&t[V_LINUX]) &&
					   t[V_SESSION].tokens_per_s >= t[V_LINUX].tokens_per_s;
				ses_cam += sat(&t[V_SESSION]) > sat(&t[V_LINUX]) &&
					   t[V_SESSION].tokens_per_s < t[V_LINUX].tokens_per_s;
				wins_long += sat(&t[V_SESSION]) >= sat(&t[V_LONG]);
				sl += snprintf(sweep + sl, cap - sl, "| %.0f | %.0f | %u |", p.fps,
					       p.slo_ms, p.prompt);
				for (int v = 0; v < V_ALONE && sl < cap; v++)
					sl += snprintf(sweep + sl, cap - sl, " %.1f %% / %.0f ms / %.2f |",
						       100 * sat(&t[v]), t[v].p99_ms,
						       t[v].tokens_per_s);
				if (sl < cap)
					sl += snprintf(sweep + sl, cap - sl, " %.2f |\n",
						       t[V_ALONE].tokens_per_s);
			}

	ratio = sat(&g[V_SESSION]);
	base_ratio = sat(&g[V_LINUX]);
	tok_ratio = g[V_ALONE].tokens_per_s > 0 ?
		    g[V_SESSION].tokens_per_s / g[V_ALONE].tokens_per_s : 0;
	top_mhz = board_element(b, x.dec_elem)->khz[board_top_step(b, x.dec_elem)] / 1000.0;
	scale = llm_cost_scale(&x.cost, x.cores, top_mhz,
			       board_step_speed(b, x.dec_elem, board_top_step(b, x.dec_elem)));
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

		if (!f)
			continue;
		fprintf(f, "# LLM sessions beside a camera pipeline\n\n"
			"Simulated %s (userspace/sim/llm_sim.c) with the kernel's own session "
			"freezing rule (kmod/policy/session.c), %d seeds x %.0f s per point. "
			"Generated by `make bench-llm` (userspace/sim/bench_llm.c); "
			"docs/llm.md says how it is modelled.\n\n", board, SEEDS, DURATION_S);
		fprintf(f, "## Against edgeai first\n\n"
			"- At the operating point (camera %.0f FPS, deadline %.0f ms, prompts of %u "
			"tokens) the decode's token step takes %.0f ms and its prefill %.1f s: "
			"%.0f and %.0f camera periods. A unit edgeai dispatches runs to its end, so "
			"the frames that arrive meanwhile wait behind it.\n"
			"- With sessions and freezing the camera meets %.2f %% of its deadlines and "
			"the chat gets %.3f tokens/s, %.1f %% of the decode alone. The kernel's "
			"rule holds a token step while the camera's recent margin is under one "
			"step; the prefill is not frozen and runs as one unit.\n"
			"- Linux's default scheduling (CFS time slicing, no edgeai) meets %.2f %% "
			"with %.3f tokens/s (%.1f %% of alone); the one long job meets %.2f %% with "
			"%.3f tokens/s.\n"
			"- %s\n"
			"- Over the sweep (%d points), Linux's default is at least as good on both "
			"camera deadlines and tokens/s at %d points; sessions with freezing at "
			"least as good on both at %d; sessions meet more deadlines but give fewer "
			"tokens/s at %d. Sessions with freezing meet at least as many deadlines as "
			"the one long job at %d points.\n\n",
			base.fps, base.slo_ms, base.prompt,
			1000 * llm_cost_step_s(&x.cost, base.prompt, scale),
			llm_cost_prefill_s(&x.cost, base.prompt, scale),
			llm_cost_step_s(&x.cost, base.prompt, scale) * base.fps,
			llm_cost_prefill_s(&x.cost, base.prompt, scale) * base.fps,
			100 * sat(&g[V_SESSION]), g[V_SESSION].tokens_per_s, 100 * tok_ratio,
			100 * sat(&g[V_LINUX]), g[V_LINUX].tokens_per_s,
			g[V_ALONE].tokens_per_s > 0 ?
			100 * g[V_LINUX].tokens_per_s / g[V_ALONE].tokens_per_s : 0,
			100 * sat(&g[V_LONG]), g[V_LONG].tokens_per_s, verdict(&g[V_SESSION], &g[V_LINUX]),
			npts, linux_dom, ses_dom, ses_cam, wins_long);
		fprintf(f, "## Workload\n\n"
			"- Decode: %s %s (%s on %d x %s at %.0f MHz published: %.1f tokens/s "
			"decode, %.1f prefill; data/llm/decode.csv) on the %s cluster, %d cores at "
			"%.0f MHz: x%.2f the published rate. A step at position p reads %.2f GB of "
			"weights + (p + 1) x %.1f KB of KV cache: %.0f ms at p = 0, %.0f ms at "
			"p = 2048.\n"
			"- Chat requests back to back; each reply ends at an end-of-sequence drawn "
			"in [%d, %d] tokens, or at the session's token limit, %d.\n"
			"- Camera: %s, its first layer on the %s cluster (%.1f ms) and the rest on "
			"the NPU (%.1f ms), periodic with +-%.0f %% jitter, realtime class.\n"
			"- Every cluster at its top step: the decode keeps its cluster busy "
			"(%.0f %% alone), where schedutil's choice is the top step (docs/llm.md).\n\n",
			x.cost.model, x.cost.quant, x.cost.software, x.cost.src_cores, x.cost.cpu,
			x.cost.src_mhz, x.cost.eval_tok_s, x.cost.prompt_tok_s,
			board_element(b, x.dec_elem)->cluster, x.cores, top_mhz, scale,
			x.cost.weight_bytes / 1e9, x.cost.kv_bytes_tok / 1e3,
			1000 * llm_cost_step_s(&x.cost, 0, scale),
			1000 * llm_cost_step_s(&x.cost, 2048, scale), MIN_TOKENS, MAX_TOKENS,
			MAX_TOKENS, CAM_MODEL, board_element(b, x.dec_elem)->cluster,
			x.cam.stages[0].time_ns / 1e6, x.cam.stages[1].time_ns / 1e6,
			100 * JITTER, 100 * g[V_ALONE].util);
		fprintf(f, "## Operating point\n\n"
			"| variant | camera deadlines met | p50 ms | p99 ms | tokens/s | sessions "
			"| decode cluster busy | freezes / frozen |\n"
			"|---|---|---|---|---|---|---|---|\n");
		for (int v = 0; v < NV; v++)
			row(f, v_names[v], &g[v]);
		fprintf(f, "\nMost camera stages run on the decode's cluster between two token "
			"steps of one session: %ld with freezing, %ld without, %ld as one long "
			"job.\n\n", g[V_SESSION].max_interleave, g[V_NOFREEZE].max_interleave,
			g[V_LONG].max_interleave);
		fprintf(f, "## Sweep\n\nEach cell: camera deadlines met / camera p99 / tokens "
			"per second.\n\n| FPS | deadline ms | prompt | (a) sessions, freezing | "
			"(a') no freezing | (b) one long job | (c) Linux default | (d) alone "
			"tokens/s |\n|---|---|---|---|---|---|---|---|\n");
		fputs(sweep, f);
		fprintf(f, "\ncamera_deadline_ratio is (a)'s fraction of frames within their "
			"deadline, baseline_camera_deadline_ratio (c)'s (Linux's default "
			"scheduling, no edgeai), tokens_per_s_ratio (a)'s tokens/s over (d)'s, at "
			"the operating point.\n\n");
		fprintf(f, "camera_deadline_ratio=%.3f baseline_camera_deadline_ratio=%.3f "
			"tokens_per_s_ratio=%.3f\n", ratio, base_ratio, tok_ratio);
	}
	if (md)
		fclose(md);
	free(sweep);
	board_free(b);
	return 0;
}
