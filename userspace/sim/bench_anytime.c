// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-bench anytime: anytime jobs (early exits, issue 21) on the
 * simulated RK3399Pro under overload, against the same jobs without exits
 * and against dropping the frames that are already late.
 *
 * Workload: two periodic camera streams of MobileNetV1 on the big
 * cluster, the network cut into stages where a published early-exit
 * network's classifiers sit (by compute), at a total rate of load x the
 * frames per second the cluster runs at its top step, load 1.0 to 2.0,
 * with a deadline of 1.5 x the network's time (the deadline governor sets
 * the steps).  The anytime graph has an exit after each stage but the
 * last; an exit's declared
 * accuracy comes from data/accuracy (MobileNetV1's published top-1 times
 * the relative accuracy of a published MSDNet classifier with no more
 * compute than the exit has: declared, not measured).  The simulator runs
 * the kernel's own anytime decision (kmod/policy/anytime.c) on the
 * estimates strict admission uses.
 *
 *   edgeai-bench anytime [BOARD] [OUT.md]
 * Last line: anytime_deadline_ratio=<f> baseline_deadline_ratio=<f>
 * mean_accuracy_ratio=<f>: frames with a result by their deadline over
 * frames arrived, all loads pooled, with anytime jobs and with the
 * baseline (of the methods without exits, the one that meets the most:
 * every stage run, late frames dropped, or frames that would be late
 * refused by strict admission); the mean delivered accuracy (each frame
 * the declared accuracy of the result it had by its deadline, 0 for none)
 * with anytime jobs over the baseline's.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/policy/policy.h"
#include "../bench/bench.h"
#include "accuracy.h"
#include "sim.h"

#define SEEDS		5
#define DURATION_S	30.0
#define STREAMS		2
#define SLO_X		1.5
#define JITTER		0.1
#define MODEL		"MobileV1"
#define EXIT_NETWORK	"MSDNet"
#define ELEM		'B'	/* the cluster the graph runs on */

enum { M_ANYTIME, M_NOEXIT, M_DROP, M_ADMIT, NM };

static const char *const names[NM] = {
	"anytime (exits, the kernel's decision)", "same jobs without exits",
	"no exits, late frames dropped",
	"no exits, frames that would be late refused (strict admission)",
};

static const double loads[] = { 1.0, 1.25, 1.5, 1.75, 2.0 };
#define NLOADS	(sizeof(loads) / sizeof(loads[0]))

struct agg {
	long arrived, met, exits;
	double acc;		/* sum over frames of the delivered accuracy, % */
	double energy_j;
};

struct setup {
	struct plan plan;
	struct ep_exit exits[PLAN_MAX_STAGES];
	double exit_frac[PLAN_MAX_STAGES];
	int nr_exits;
	uint32_t full_ppm;
	struct acc_quant q;
};

/*
 * The graph and its exits: the network on the big cluster, cut into
 * stages where the published classifiers sit (the first layer end at or
 * past each one's compute fraction, by the layers' top-step times), an
 * exit after each stage but the last.
 */
static int build(const struct board *b, const char *dir, struct setup *s)
{
	struct acc_exit pub[ACC_MAX_EXITS];
	double t[PLAN_MAX_LAYERS], total = 0, cum = 0;
	int m = board_model_by_name(b, MODEL), e = board_element_by_code(b, ELEM), np, nl, first = 0;
	char err[256];

	memset(s, 0, sizeof(*s));
	if (m < 0 || e < 0 || (nl = board_model_layers(b, m)) > PLAN_MAX_LAYERS) {
		fprintf(stderr, "edgeai-bench anytime: the board lacks %s or %c\n", MODEL, ELEM);
		return -1;
	}
	if (acc_quant_read(dir, MODEL, &s->q, err, sizeof(err)) ||
	    (np = acc_exits_read(dir, EXIT_NETWORK, pub, ACC_MAX_EXITS, err, sizeof(err))) < 0) {
		fprintf(stderr, "edgeai-bench anytime: %s\n", err);
		return -1;
	}
	for (int l = 0; l < nl; l++) {
		struct board_cost c;

		if (board_layer_cost(b, m, l, e, board_top_step(b, e), -1, &c)) {
			fprintf(stderr, "edgeai-bench anytime: no data for layer %d on %c\n", l, ELEM);
			return -1;
		}
		t[l] = (double)c.time_ns;
		total += t[l];
	}
	s->plan.model = m;
	s->plan.goal = PLAN_LATENCY;
	for (int l = 0, k = 0; l < nl; l++) {
		cum += t[l];
		if (l == nl - 1 || (k < np - 1 && cum >= pub[k].flops_frac * total)) {
			struct plan_stage *st = &s->plan.stages[s->plan.nr_stages++];

			st->elem = e;
			st->first_layer = first;
			st->nr_layers = l - first + 1;
			st->step = board_top_step(b, e);
			st->host_step = -1;
			first = l + 1;
			while (k < np - 1 && cum >= pub[k].flops_frac * total)
				k++;
		}
	}
	if (plan_fill(b, m, &s->plan)) {
		fprintf(stderr, "edgeai-bench anytime: the graph's stages\n");
		return -1;
	}
	s->full_ppm = (uint32_t)(s->q.fp32_pct * 1e4 + 0.5);
	total = 0;
	for (int i = 0; i < s->plan.nr_stages; i++)
		total += s->plan.stages[i].cost_ns;
	cum = 0;
	for (int i = 0; i + 1 < s->plan.nr_stages; i++) {
		double frac;
		int k = -1;
		uint32_t ppm;

		cum += s->plan.stages[i].cost_ns;
		frac = cum / total;
		for (int j = 0; j < np; j++)
			if (pub[j].flops_frac <= frac)
				k = j;
		if (k < 0)
			continue;
		ppm = (uint32_t)(s->q.fp32_pct * pub[k].top1_pct / pub[np - 1].top1_pct * 1e4 + 0.5);
		if (s->nr_exits && ppm <= s->exits[s->nr_exits - 1].accuracy_ppm)
			continue;
		s->exit_frac[s->nr_exits] = frac;
		s->exits[s->nr_exits++] = (struct ep_exit){ (u32)i, ppm, 0 };
	}
	if (!s->nr_exits) {
		fprintf(stderr, "edgeai-bench anytime: no stage end has a published exit\n");
		return -1;
	}
	return 0;
}

static int run(const struct board *b, const struct setup *s, double load, int method,
	       struct agg *t)
{
	struct sim_app apps[STREAMS];
	struct sim_result r;

	memset(t, 0, sizeof(*t));
	for (int i = 0; i < STREAMS; i++) {
		struct sim_app *a = &apps[i];

		memset(a, 0, sizeof(*a));
		snprintf(a->name, sizeof(a->name), "%s-%d", MODEL, i);
		a->model = s->plan.model;
		a->plan = s->plan;
		a->prio = EP_PRIO_NORMAL;
		a->rate = load * 1000 / s->plan.predicted.latency_ms / STREAMS;
		a->slo_ms = SLO_X * s->plan.predicted.latency_ms;
		a->arrival = SIM_PERIODIC;
		a->burst = 1;
		a->accuracy_ppm = s->full_ppm;
		if (method == M_ANYTIME) {
			a->exits = s->exits;
			a->nr_exits = s->nr_exits;
			a->anytime = true;
			a->min_accuracy_ppm = s->exits[0].accuracy_ppm;
		}
	}
	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		struct sim_config c = {
			.b = b, .seed = seed, .duration_s = DURATION_S, .tick_ms = 4,
			.gov = SIM_GOV_DEADLINE, .order = SIM_ORDER_POLICY,
			.dispatch = SIM_STATIC, .stage_deadlines = true, .jitter = JITTER,
			.safe_costs = true, .learn_costs = true,
			.drop_expired = method == M_DROP, .admit = method == M_ADMIT,
		};

		if (sim_run(&c, apps, STREAMS, &r))
			return -1;
		t->energy_j += r.energy_j;
		for (int i = 0; i < STREAMS; i++) {
			t->arrived += r.app[i].arrived;
			t->met += r.app[i].met;
			t->exits += r.app[i].exits_taken;
			t->acc += r.app[i].accuracy_pct * r.app[i].arrived;
		}
	}
	return 0;
}

static double sat(const struct agg *t)
{
	return t->arrived ? (double)t->met / t->arrived : 0;
}

static double acc(const struct agg *t)
{
	return t->arrived ? t->acc / t->arrived : 0;
}

static void report(FILE *f, const struct board *b, const struct setup *s,
		   struct agg res[][NM], const struct agg *tot)
{
	double any = sat(&tot[M_ANYTIME]), base, ar;
	int bm = M_NOEXIT;

	/* The baseline: the method without exits that meets the most. */
	for (int m = M_NOEXIT; m < NM; m++)
		if (sat(&tot[m]) > sat(&tot[bm]))
			bm = m;
	base = sat(&tot[bm]);
	ar = acc(&tot[bm]) > 0 ? acc(&tot[M_ANYTIME]) / acc(&tot[bm]) : 0;

	fprintf(f, "# Anytime jobs under overload: early exits against no exits and "
		"dropping late frames\n\n"
		"Simulated %s, the kernel's own policy code (kmod/policy: queue order, the "
		"deadline governor, and the anytime decision of kmod/policy/anytime.c), "
		"%d seeds x %.0f s per load. Generated by `make bench-anytime` "
		"(userspace/sim/bench_anytime.c).\n\n", board_name(b), SEEDS, DURATION_S);
	fprintf(f, "## Against edgeai first\n\n"
		"- **The accuracies are declared, not measured.** No MobileNetV1 with exit heads "
		"was trained or run here: each exit's accuracy is MobileNetV1's published top-1 "
		"(%.1f %%, %s) scaled by the relative accuracy of a published MSDNet classifier "
		"(ImageNet) read off a plot, approximate and unverified "
		"(data/accuracy/README.md). The exit heads' own compute is not in the board data "
		"and is counted as nothing. The accuracy ratio below is only as good as those "
		"figures; the deadline figures do not depend on them.\n"
		"- An exit's result is less accurate than the full network's: a frame that ends "
		"at an exit counts as met with the exit's accuracy, which is why the mean "
		"delivered accuracy is the figure to weigh against the deadline ratio.\n"
		"- Dropping frames once late meets %.3f of the deadlines against anytime's "
		"%.3f%s; refusing at submission the frames that would be late (strict "
		"admission) meets %.3f%s. Both deliver the full accuracy on every frame they "
		"run.\n"
		"- Without exits and without admission, earliest-deadline order under overload "
		"makes nearly every frame late (each frame waits for the late ones before it): "
		"that baseline is weak by construction; strict admission is the fair one, and it "
		"is edgeai's own too.\n"
		"- Even at load 1.0 most anytime frames end at an exit: with periodic arrivals "
		"and jitter a full cluster keeps a queue, and the decision ends a job early as "
		"soon as its estimates say the rest would be late.\n"
		"- The anytime decision is made only when a stage ends: a frame whose first "
		"stage is already late still runs it, and a job's first stage has no exit "
		"before it. Anytime jobs with strict admission together are not measured.\n\n",
		s->q.fp32_pct, s->q.network, sat(&tot[M_DROP]), any,
		sat(&tot[M_DROP]) >= any ? " (**dropping meets more**)" : "", sat(&tot[M_ADMIT]),
		sat(&tot[M_ADMIT]) >= any ? " (**more than anytime**)" : "");
	fprintf(f, "## Set-up\n\n"
		"- %d streams of %s, periodic (jitter +-%.0f %% of the period), normal class, "
		"total rate = load x %.2f FPS (one frame at a time on the cluster at its top "
		"step), deadline %.1f x the network's time = %.1f ms.\n"
		"- The graph: the network on one cluster, cut where MSDNet's classifiers sit "
		"by compute (a stage ends at the first layer end at or past each one's "
		"fraction of the top-step time):",
		STREAMS, MODEL, 100 * JITTER, 1000 / s->plan.predicted.latency_ms, SLO_X,
		SLO_X * s->plan.predicted.latency_ms);
	for (int i = 0; i < s->plan.nr_stages; i++)
		fprintf(f, " %c layers %d-%d (%.1f ms)", board_element(b, s->plan.stages[i].elem)->code,
			s->plan.stages[i].first_layer,
			s->plan.stages[i].first_layer + s->plan.stages[i].nr_layers - 1,
			s->plan.stages[i].cost_ns / 1e6);
	fprintf(f, ".\n- Exits (declared):");
	for (int i = 0; i < s->nr_exits; i++)
		fprintf(f, " after stage %u (%.0f %% of the work) %.2f %%;",
			s->exits[i].after_stage, 100 * s->exit_frac[i],
			s->exits[i].accuracy_ppm / 1e4);
	fprintf(f, " the full result %.2f %%. Anytime jobs take any exit "
		"(minimum accuracy = the first exit's).\n"
		"- Methods: **anytime** submits every frame with EDGEAI_SUBMIT_ANYTIME on the "
		"graph with exits; **no exits** submits the same frames on the same graph, "
		"every stage run, late or not; **late frames dropped** is that with a frame dropped "
		"instead of run once its deadline has passed (`drop_expired`); **refused** "
		"(strict admission) submits them with EDGEAI_SUBMIT_STRICT, so the kernel's admission refuses "
		"(-ETIME) a frame its estimates say would be late, and the frame is dropped "
		"before it runs. No strict admission in the others. The deadline governor on every cluster, the kernel's cost "
		"learning modelled.\n\n", s->full_ppm / 1e4);
	fprintf(f, "## Results\n\nDeadline satisfaction = frames with a result (full or at an "
		"exit) by their deadline / frames arrived. Delivered accuracy = mean over arrived "
		"frames of the declared accuracy of the result each had by its deadline (0 for "
		"none).\n\n"
		"| load | method | deadlines met | delivered accuracy %% | ended at an exit | "
		"energy J |\n|---|---|---|---|---|---|\n");
	for (size_t l = 0; l < NLOADS; l++)
		for (int m = 0; m < NM; m++)
			fprintf(f, "| %.2f | %s | %.3f | %.2f | %.1f %% | %.1f |\n", loads[l], names[m],
				sat(&res[l][m]), acc(&res[l][m]),
				res[l][m].arrived ? 100.0 * res[l][m].exits / res[l][m].arrived : 0,
				res[l][m].energy_j);
	fprintf(f, "\nAll loads pooled:\n\n| method | deadlines met | delivered accuracy %% |\n"
		"|---|---|---|\n");
	for (int m = 0; m < NM; m++)
		fprintf(f, "| %s | %.3f | %.2f |\n", names[m], sat(&tot[m]), acc(&tot[m]));
	fprintf(f, "\nThe last line: anytime_deadline_ratio is anytime's pooled deadline "
		"satisfaction; baseline_deadline_ratio is that of the baseline, the method "
		"without exits that meets the most deadlines pooled (here: %s); "
		"mean_accuracy_ratio is anytime's pooled delivered accuracy over that "
		"baseline's.\n\nanytime_deadline_ratio=%.3f baseline_deadline_ratio=%.3f "
		"mean_accuracy_ratio=%.3f\n", names[bm], any, base, ar);
}

int bench_anytime_main(int argc, char **argv)
{
	const char *board = argc > 1 ? argv[1] : "rk3399pro";
	const char *out = argc > 2 ? argv[2] : NULL;
	static struct agg res[NLOADS][NM];
	struct agg tot[NM] = { 0 };
	char dir[4096], err[256];
	struct setup s;
	struct board *b;
	FILE *md;

	if (argc > 1 && argv[1][0] == '-') {
		fputs("usage: edgeai-bench anytime [BOARD] [OUT.md]\n", stderr);
		return 2;
	}
	b = board_open(board, dir, sizeof(dir), err, sizeof(err));
	if (!b) {
		fprintf(stderr, "edgeai-bench anytime: %s\n", err);
		return 1;
	}
	if (build(b, dir, &s)) {
		board_free(b);
		return 1;
	}
	for (size_t l = 0; l < NLOADS; l++)
		for (int m = 0; m < NM; m++) {
			if (run(b, &s, loads[l], m, &res[l][m])) {
				board_free(b);
				return 1;
			}
			tot[m].arrived += res[l][m].arrived;
			tot[m].met += res[l][m].met;
			tot[m].exits += res[l][m].exits;
			tot[m].acc += res[l][m].acc;
			tot[m].energy_j += res[l][m].energy_j;
		}
	if (out) {
		md = fopen(out, "w");
		if (!md) {
			perror(out);
			board_free(b);
			return 1;
		}
		report(md, b, &s, res, tot);
		fclose(md);
	}
	report(stdout, b, &s, res, tot);
	board_free(b);
	return 0;
}
