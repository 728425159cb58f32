// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the simulator's LLM sessions: the per-token cost model
 * read from data/llm (its shape against the real decoder's memory
 * traffic, llm_step_bytes(), its scaling), and the simulated sessions:
 * steps interleave with camera frames, a token limit ends the job,
 * freezing holds steps while a deadline is at risk and lets them run when
 * it is not, tokens/s falls as the context grows, runs are deterministic;
 * a cluster without a published figure gets one from the board's data,
 * placement picks the cluster whose steps the freezing rule lets run, the
 * prefill in units keeps frames from waiting behind all of it, and the
 * decode pinned to the LITTLE cluster leaves the camera alone.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "../../userspace/daemon/llm.h"
#include "llm_sim.h"
#include "plan.h"
#include "test_board.h"

#define LLM_CSV EDGEAI_SRCDIR "/data/llm/decode.csv"

static struct board *b;
static struct llm_cost tiny, little;
static int eB, eL, cores, lcores;
static struct plan cam;

static bool near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static void test_cost_data(void)
{
	char err[512], cpu[LLM_NAME_LEN], path[4096];
	struct llm_cost c;

	ok(llm_cost_resolve(BOARD_DIR, path, sizeof(path)) == 0 &&
	   strstr(path, "llm/decode.csv"), "decode.csv found beside the board data: %s", path);
	int rc;

	cpu[0] = '\0';
	rc = llm_target_load(LLM_CSV, "rk3399pro", 'B', cpu, sizeof(cpu), &cores, err,
			     sizeof(err));
	ok(rc == 0 && cores > 0, "the big cluster's core: %s x%d", cpu, cores);
	rc = llm_cost_load(LLM_CSV, "TinyLlama-1.1B", "q8_0", "llama.cpp-2024-03-26", cpu, &tiny,
			   err, sizeof(err));
	ok(rc == 0, "the A72 TinyLlama row loads %s", err);
	ok(tiny.weight_bytes > 1e9 && tiny.kv_bytes_tok > 0 && tiny.eval_tok_s > 0 &&
	   tiny.prompt_tok_s > tiny.eval_tok_s,
	   "weights %.3g B, KV %.3g B/token, decode %.1f, prefill %.1f tokens/s",
	   tiny.weight_bytes, tiny.kv_bytes_tok, tiny.eval_tok_s, tiny.prompt_tok_s);
	ok(llm_cost_load(LLM_CSV, "NoSuchModel", NULL, NULL, NULL, &c, err, sizeof(err)) ==
	   -ENOENT, "an unknown model is -ENOENT: %s", err);
	ok(llm_cost_load(EDGEAI_SRCDIR "/data/llm/none.csv", NULL, NULL, NULL, NULL, &c, err,
			 sizeof(err)) == -ENOENT, "a missing file is -ENOENT");
	/* The MLC rows publish no prompt rate: not usable by the CPU model. */
	ok(llm_cost_load(LLM_CSV, "Llama-2-7B", NULL, NULL, NULL, &c, err, sizeof(err)) ==
	   -EINVAL, "a row without a prompt rate is refused: %s", err);
}

static void test_cost_shape(void)
{
	static const struct llm_config small = {
		.dim = 64, .hidden = 128, .n_layers = 3, .n_heads = 4, .vocab = 100,
		.max_seq = 4096,
	};
	uint64_t b0 = llm_step_bytes(&small, 0), b1 = llm_step_bytes(&small, 1);
	struct llm_cost c = tiny;
	double s0, speed_low;
	bool same = true, grows = true;

	/* The real decoder's traffic, fed in as a model's shape. */
	c.kv_bytes_tok = (double)(b1 - b0);
	c.weight_bytes = (double)b0 - c.kv_bytes_tok;
	s0 = llm_cost_step_s(&c, 0, 1);
	for (uint32_t pos = 1; pos < small.max_seq; pos += 97) {
		double want = (double)llm_step_bytes(&small, pos) / b0;

		same = same && near(llm_cost_step_s(&c, pos, 1) / s0, want);
		grows = grows && llm_cost_step_s(&c, pos, 1) > llm_cost_step_s(&c, pos - 1, 1);
	}
	ok(same, "a step's time grows with the position as llm_step_bytes() does");
	ok(grows, "each later position costs more: tokens/s falls as the context grows");
	ok(near(llm_cost_step_s(&tiny, 0, 1), 1 / tiny.eval_tok_s),
	   "at the published setting a step at position 0 takes 1 / the published rate");
	ok(llm_cost_step_s(&tiny, 2048, 1) > llm_cost_step_s(&tiny, 0, 1) * 1.01,
	   "TinyLlama at position 2048: %.0f ms against %.0f ms at 0",
	   1000 * llm_cost_step_s(&tiny, 2048, 1), 1000 * llm_cost_step_s(&tiny, 0, 1));
	ok(near(llm_cost_prefill_s(&tiny, 100, 1), 100 / tiny.prompt_tok_s),
	   "a prefill of 100 tokens at the published prompt rate");
	ok(near(llm_cost_scale(&tiny, tiny.src_cores / 2, tiny.src_mhz, 1), 0.5) &&
	   near(llm_cost_step_s(&tiny, 7, 0.5), 2 * llm_cost_step_s(&tiny, 7, 1)),
	   "half the cores, half the rate");
	speed_low = board_step_speed(b, eB, 0);
	ok(speed_low > 0 && speed_low < 1 &&
	   llm_cost_scale(&tiny, cores, board_element(b, eB)->khz[0] / 1000.0, speed_low) <
	   llm_cost_scale(&tiny, cores, tiny.src_mhz, 1),
	   "the big cluster's lowest step (speed %.2f from the board data) is slower",
	   speed_low);
	ok(llm_cost_step_s(&tiny, 0, 0) == 0 && llm_cost_scale(&(struct llm_cost){ 0 }, 2,
							      1800, 1) == 0,
	   "no scale, no time");
}

static struct llm_scenario scen(enum llm_mode mode, bool camera, bool freeze)
{
	return (struct llm_scenario){
		.b = b, .cost = &tiny, .mode = mode, .freeze = freeze, .camera = camera,
		.cam = cam, .fps = 15, .slo_ms = 100, .jitter = 0.05, .dec_elem = eB,
		.dec_cores = cores, .prompt = 4, .min_tokens = 4, .max_tokens = 8,
		.duration_s = 60, .chat_start_s = 1, .window_ms = 500, .seed = 7,
	};
}

static void test_interleave(void)
{
	int rc;
	struct llm_scenario s = scen(LLM_SESSION, true, false);
	struct llm_result r, l;

	rc = llm_sim_run(&s, &r);
	ok(rc == 0 && r.tokens > 0 && r.max_interleave >= 1,
	   "sessions: %ld camera stages ran between two token steps (%ld tokens)",
	   r.max_interleave, r.tokens);
	s.mode = LLM_LONG_JOB;
	rc = llm_sim_run(&s, &l);
	ok(rc == 0 && l.tokens > 0 && l.max_interleave == 0,
	   "one long job: no camera stage between its steps (%ld tokens)", l.tokens);
	ok(r.p99_ms < l.p99_ms, "the camera's p99 is shorter with sessions: %.0f ms against %.0f",
	   r.p99_ms, l.p99_ms);
}

static void test_limit(void)
{
	int rc;
	struct llm_scenario s = scen(LLM_SESSION, false, false);
	struct llm_result r;

	s.min_tokens = s.max_tokens = 6;
	rc = llm_sim_run(&s, &r);
	ok(rc == 0 && r.sessions > 2 && r.limited == r.sessions &&
	   r.tokens >= 6 * r.sessions && r.tokens < 6 * (r.sessions + 1),
	   "every job ends at its limit of 6: %ld jobs, %ld tokens", r.sessions, r.tokens);
	s.min_tokens = 2;
	s.max_tokens = 40;
	rc = llm_sim_run(&s, &r);
	ok(rc == 0 && r.sessions > r.limited && r.tokens > 0,
	   "replies end at their end-of-sequence before the limit: %ld of %ld at it",
	   r.limited, r.sessions);
}

static void test_freeze(void)
{
	int rc;
	struct llm_scenario s = scen(LLM_SESSION, true, true);
	struct llm_result fr, nf, loose;

	/* Deadline 100 ms: a step (~0.7 s) never fits the camera's margin. */
	rc = llm_sim_run(&s, &fr);
	ok(rc == 0 && fr.tokens == 0 && fr.freezes >= 1 &&
	   fr.frozen_s > 0.5 * s.duration_s,
	   "a deadline at risk freezes the steps: %ld tokens, frozen %.1f s", fr.tokens,
	   fr.frozen_s);
	s.freeze = false;
	rc = llm_sim_run(&s, &nf);
	ok(rc == 0 && nf.tokens > 0 && fr.met > nf.met,
	   "without freezing: %ld tokens, camera met %ld against %ld frozen", nf.tokens, nf.met,
	   fr.met);
	/* Deadline 5 s: the margin holds several steps, nothing is at risk. */
	s.freeze = true;
	s.slo_ms = 5000;
	rc = llm_sim_run(&s, &loose);
	ok(rc == 0 && loose.tokens > 0 && loose.met == loose.frames,
	   "a loose deadline thaws: %ld tokens, %ld/%ld frames met", loose.tokens, loose.met,
	   loose.frames);
}

static void test_context(void)
{
	int rc;
	struct llm_cost c = tiny;
	struct llm_scenario s = scen(LLM_SESSION, false, false);
	struct llm_result shortc, longc;

	/* Prefill made negligible, the cache heavy: only the steps count. */
	c.prompt_tok_s *= 1e6;
	c.kv_bytes_tok = c.weight_bytes / 1024;
	s.cost = &c;
	s.min_tokens = s.max_tokens = 64;
	s.prompt = 8;
	rc = llm_sim_run(&s, &shortc);
	ok(rc == 0, "a short context runs");
	s.prompt = 2048;
	rc = llm_sim_run(&s, &longc);
	ok(rc == 0 && longc.tokens_per_s < 0.6 * shortc.tokens_per_s,
	   "tokens/s falls as the context grows: %.3f at 2048 against %.3f at 8",
	   longc.tokens_per_s, shortc.tokens_per_s);
}

static void test_linux_and_determinism(void)
{
	int rc;
	struct llm_scenario s = scen(LLM_LINUX, true, false);
	struct llm_result a, b2, alone;
	double bst = cam.stages[0].time_ns / 1e6, rest = cam.stages[1].time_ns / 1e6;

	rc = llm_sim_run(&s, &a);
	ok(rc == 0 && a.tokens > 0 && a.p50_ms > bst + rest + 0.5 * bst &&
	   a.p50_ms <= 2 * bst + rest + 1,
	   "Linux: the camera's stage shares its cluster with the decode: p50 %.1f ms, "
	   "alone %.1f", a.p50_ms, bst + rest);
	rc = llm_sim_run(&s, &b2);
	ok(rc == 0 && !memcmp(&a, &b2, sizeof(a)), "the same seed, the same run");
	s.camera = false;
	rc = llm_sim_run(&s, &alone);
	ok(rc == 0 && alone.tokens > a.tokens && alone.frames == 0,
	   "the decode alone gets more tokens (%ld against %ld)", alone.tokens, a.tokens);
	s.dec_elem = board_element_by_code(b, 'N');
	rc = llm_sim_run(&s, &a);
	ok(rc == -EINVAL, "a decode on the NPU is refused");
	s = scen(LLM_SESSION, true, true);
	s.window_ms = 0;
	rc = llm_sim_run(&s, &a);
	ok(rc == -EINVAL, "freezing without a window is refused");
}

static void test_derive(void)
{
	char err[512], cpu[LLM_NAME_LEN];
	struct llm_cost c;
	double sb, sl;
	int rc;

	rc = llm_target_load(LLM_CSV, "rk3399pro", 'L', cpu, sizeof(cpu), &lcores, err,
			     sizeof(err));
	ok(rc == 0 && lcores > 0, "the LITTLE cluster's core: %s x%d", cpu, lcores);
	ok(llm_cost_load(LLM_CSV, "TinyLlama-1.1B", "q8_0", "llama.cpp-2024-03-26", cpu, &c, err,
			 sizeof(err)) == -ENOENT, "no published figure for it: %s", err);
	rc = llm_cost_derive(&tiny, b, eB, cores, eL, lcores, &little);
	sb = llm_cost_scale(&tiny, cores, board_element(b, eB)->khz[board_top_step(b, eB)] / 1e3,
			    1);
	sl = llm_cost_scale(&little, lcores,
			    board_element(b, eL)->khz[board_top_step(b, eL)] / 1e3, 1);
	ok(rc == 0 && little.derived && !tiny.derived && near(sl, 1) &&
	   little.derived_ratio > 0.2 && little.derived_ratio < 5 &&
	   near(little.eval_tok_s * sl, tiny.eval_tok_s * sb * little.derived_ratio) &&
	   near(little.prompt_tok_s / little.eval_tok_s, tiny.prompt_tok_s / tiny.eval_tok_s) &&
	   little.weight_bytes == tiny.weight_bytes,
	   "derived: the big cluster's rate x the board's LITTLE/big CNN speed %.2f = %.2f "
	   "tokens/s", little.derived_ratio, little.eval_tok_s * sl);
}

static void test_chunks(void)
{
	double scale = 0.5, step = llm_cost_step_s(&tiny, 64, scale);
	uint32_t n = llm_prefill_chunks(&tiny, 64, scale);

	ok(n > 1 && llm_cost_prefill_s(&tiny, 64, scale) / n <= step + 1e-9 &&
	   llm_cost_prefill_s(&tiny, 64, scale) / (n - 1) > step,
	   "a prefill of 64 tokens in %u units, each no longer than a step (%.0f ms)", n,
	   1000 * step);
	ok(llm_prefill_chunks(&tiny, 100000, scale) == LLM_MAX_PREFILL_CHUNKS,
	   "at most the kernel's stages less the step: %d", LLM_MAX_PREFILL_CHUNKS);
	ok(llm_prefill_chunks(&tiny, 1, 1) == 1, "a short prefill is one unit");
}

static void test_prefill_units(void)
{
	struct llm_scenario s = scen(LLM_SESSION, true, true);
	struct llm_result one, units, bad;
	int rc;

	/* Steps always frozen on the camera's cluster: only the prefill runs. */
	s.prompt = 64;
	rc = llm_sim_run(&s, &one);
	s.prefill_chunks = llm_prefill_chunks(&tiny, s.prompt, 0.5);
	rc = rc ? rc : llm_sim_run(&s, &units);
	ok(rc == 0 && one.tokens == 0 && units.tokens == 0 && units.met > one.met &&
	   units.p99_ms < one.p99_ms,
	   "the prefill in %u units: %ld frames met against %ld as one, p99 %.0f ms against %.0f",
	   s.prefill_chunks, units.met, one.met, units.p99_ms, one.p99_ms);
	s.prefill_chunks = LLM_MAX_PREFILL_CHUNKS + 1;
	ok(llm_sim_run(&s, &bad) == -EINVAL, "more units than a graph's stages are refused");
}

static void test_place(void)
{
	struct llm_candidate c[2] = {
		{ .elem = eB, .cores = cores, .cost = &tiny },
		{ .elem = eL, .cores = lcores, .cost = &little },
	};
	int i;

	i = llm_place(b, &cam, 30, 100, 64, c, 2);
	ok(i == 1 && c[0].frozen && !c[1].frozen && c[0].step_s < c[1].step_s,
	   "30 FPS, 100 ms: the big cluster's steps (%.0f ms) would be frozen, LITTLE's (%.0f "
	   "ms) not: LITTLE", 1000 * c[0].step_s, 1000 * c[1].step_s);
	i = llm_place(b, &cam, 1, 5000, 64, c, 2);
	ok(i == 0 && !c[0].frozen && !c[1].frozen && c[0].tokens_per_s > c[1].tokens_per_s,
	   "1 FPS, 5 s: neither frozen, big gives more tokens/s (%.2f against %.2f): big",
	   c[0].tokens_per_s, c[1].tokens_per_s);
	i = llm_place(b, &cam, 15, 5000, 64, c, 2);
	ok(i == 1 && !c[0].frozen && c[0].tokens_per_s < c[1].tokens_per_s,
	   "15 FPS, 5 s: big not frozen but what the camera leaves of it gives fewer tokens/s "
	   "(%.2f against %.2f): LITTLE", c[0].tokens_per_s, c[1].tokens_per_s);
	c[1].frozen = true;
	c[0].elem = board_element_by_code(b, 'N');
	ok(llm_place(b, &cam, 30, 100, 64, c, 2) == -EINVAL && llm_place(b, &cam, 30, 100, 64,
									c, 0) == -EINVAL,
	   "a non-CPU candidate or none is refused");
}

static void test_pinned(void)
{
	struct llm_scenario s = scen(LLM_LINUX, true, false);
	struct llm_result pin, alone;
	double bst = cam.stages[0].time_ns / 1e6, rest = cam.stages[1].time_ns / 1e6;
	int rc;

	s.fps = 30;
	s.dec_elem = eL;
	s.dec_cores = lcores;
	s.cost = &little;
	rc = llm_sim_run(&s, &pin);
	s.camera = false;
	rc = rc ? rc : llm_sim_run(&s, &alone);
	ok(rc == 0 && pin.met == pin.frames && pin.frames > 0 &&
	   fabs(pin.p50_ms - (bst + rest)) < 0.5 && pin.tokens == alone.tokens &&
	   pin.tokens > 0,
	   "Linux, the decode pinned to LITTLE: the camera alone on big + NPU (p50 %.1f ms), "
	   "the decode's %ld tokens as alone", pin.p50_ms, pin.tokens);
}

int main(void)
{
	int m, n;

	b = test_board_load();
	if (!b)
		return tap_done();
	eB = board_element_by_code(b, 'B');
	eL = board_element_by_code(b, 'L');
	n = board_element_by_code(b, 'N');
	m = board_model_by_name(b, "MobileV1");
	cam.nr_stages = 2;
	cam.stages[0] = (struct plan_stage){ .elem = eB, .first_layer = 0, .nr_layers = 1,
		.step = board_top_step(b, eB), .host_step = -1 };
	cam.stages[1] = (struct plan_stage){ .elem = n, .first_layer = 1,
		.nr_layers = board_model_layers(b, m) - 1, .step = 0,
		.host_step = board_top_step(b, eB) };
	ok(plan_fill(b, m, &cam) == 0, "the camera's plan: first layer on B, the rest on the NPU");
	test_cost_data();
	test_cost_shape();
	test_interleave();
	test_limit();
	test_freeze();
	test_context();
	test_linux_and_determinism();
	test_derive();
	test_chunks();
	test_prefill_units();
	test_place();
	test_pinned();
	board_free(b);
	return tap_done();
}
