// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-bench: the benchmark suite behind `make bench`.
 *
 *   edgeai-bench OUTDIR [BOARD]
 *
 * Writes OUTDIR/README.md (summary and targets), one Markdown page and
 * SVG plots per comparison, all from the board data, the planners and the
 * simulator (seeded: the same inputs give byte-identical reports).  Host
 * timings go to stdout only, so the reports stay deterministic.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <json-c/json.h>

#include "../../kmod/policy/policy.h"
#include "crossval.h"
#include "sim.h"
#include "svg.h"

static struct board *b;
static const char *out;
static int eL, eB, eG, eN;

#define NMAX	16

static FILE *page(const char *name)
{
	char p[4096];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", out, name);
	f = fopen(p, "w");
	if (!f) {
		fprintf(stderr, "edgeai-bench: %s: %s\n", p, strerror(errno));
		exit(1);
	}
	return f;
}

static const char *svgpath(const char *name)
{
	static char p[4096];

	snprintf(p, sizeof(p), "%s/%s", out, name);
	return p;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static unsigned int bit(int e)
{
	return e >= 0 ? 1u << e : 0;
}

static void placement(const struct plan *p, char *s, size_t len)
{
	size_t k = 0;

	for (int i = 0; i < p->nr_stages && k + 16 < len; i++)
		k += snprintf(s + k, len - k, "%s%c%d-%d", i ? " " : "",
			      board_element(b, p->stages[i].elem)->code,
			      p->stages[i].first_layer,
			      p->stages[i].first_layer + p->stages[i].nr_layers - 1);
}

/* Best single element at top steps: (element, latency ms). */
static int best_single(int m, double *ms)
{
	int be = -1;

	*ms = INFINITY;
	for (int e = 0; e < board_nr_elements(b); e++) {
		struct board_cost c;

		if (!board_has(b, m, e) ||
		    board_stage_cost(b, m, 0, board_model_layers(b, m), e,
				     board_top_step(b, e), -1, &c))
			continue;
		if (c.time_ns / 1e6 < *ms) {
			*ms = c.time_ns / 1e6;
			be = e;
		}
	}
	return be;
}

static void single_plan(int m, int e, struct plan *p)
{
	memset(p, 0, sizeof(*p));
	p->nr_stages = 1;
	p->stages[0] = (struct plan_stage){ .elem = e, .first_layer = 0,
		.nr_layers = board_model_layers(b, m), .step = board_top_step(b, e),
		.host_step = -1 };
	plan_fill(b, m, p);
}

/* ---------------------------------------------------------------- crossval */

static void section_crossval(FILE *idx)
{
	char err[256];
	json_object *o = crossval_run(b, NULL, err, sizeof(err)), *r, *x;
	FILE *f = page("crossval.md");

	fprintf(f, "# Cost model cross-validation (%s)\n\n", board_name(b));
	fprintf(f, "How each figure is measured is in docs/planner.md.\n\n```\n");
	crossval_print(o, f);
	fprintf(f, "```\n");
	json_object_object_get_ex(o, "reference", &r);
	json_object_object_get_ex(r, "cpu_gpu", &x);
	fprintf(idx, "- Cost model vs the literature's whole-network latencies (CPU/GPU): "
		"mean |error| %.1f %%, max %.1f %% ([crossval.md](crossval.md)).\n",
		json_object_get_double(json_object_object_get(x, "mean_abs_pct")),
		json_object_get_double(json_object_object_get(x, "max_abs_pct")));
	json_object_put(o);
	fclose(f);
}

/* ---------------------------------------------------------------- latency */

static void section_latency(FILE *idx)
{
	FILE *f = page("latency.md");
	const char *cats[NMAX], *sers[] = { "best single @max", "edgeai min-latency",
		"edgeai energy (target = best single)", "pipeline (one frame)" };
	double v[4 * NMAX];
	int nm = board_nr_models(b);
	double gsum = 0;

	fprintf(f, "# Latency of one inference: planners vs the best single processor\n\n");
	fprintf(f, "All at the top frequency steps unless the planner picks steps. "
		"Speed-up = best single / plan.\n\n");
	fprintf(f, "| network | best single | min-latency plan | speed-up | placement | "
		"energy plan (latency <= best single) | its energy vs best single | "
		"pipeline plan latency |\n|---|---|---|---|---|---|---|---|\n");
	for (int m = 0; m < nm; m++) {
		struct plan pl, pe, pt, ps;
		struct plan_opts ol = { .goal = PLAN_LATENCY };
		struct plan_opts ot = { .goal = PLAN_THROUGHPUT };
		double single;
		int be = best_single(m, &single);
		struct plan_opts oe = { .goal = PLAN_ENERGY, .target_ms = single };
		char pls[256];

		cats[m] = board_model_name(b, m);
		single_plan(m, be, &ps);
		plan_make(b, m, &ol, &pl, NULL, 0);
		plan_make(b, m, &oe, &pe, NULL, 0);
		plan_make(b, m, &ot, &pt, NULL, 0);
		placement(&pl, pls, sizeof(pls));
		fprintf(f, "| %s | %c %.1f ms | %.1f ms | %.2fx | %s | %.1f ms | %.2fx less energy | %.1f ms |\n",
			cats[m], board_element(b, be)->code, single, pl.predicted.latency_ms,
			single / pl.predicted.latency_ms, pls, pe.predicted.latency_ms,
			ps.predicted.energy_mj / pe.predicted.energy_mj, pt.predicted.latency_ms);
		v[0 * nm + m] = single;
		v[1 * nm + m] = pl.predicted.latency_ms;
		v[2 * nm + m] = pe.predicted.latency_ms;
		v[3 * nm + m] = pt.predicted.latency_ms;
		gsum += log(single / pl.predicted.latency_ms);
	}
	fprintf(f, "\n![latency](latency.svg)\n");
	svg_bars(svgpath("latency.svg"), "Latency of one inference", "ms", nm, cats, 4, sers,
		 v, 0);
	fprintf(idx, "- Min-latency plans (layer-wise switching, exact): geometric-mean "
		"speed-up %.2fx over the best single processor ([latency.md](latency.md)).\n",
		exp(gsum / nm));
	fclose(f);
}

/* ---------------------------------------------------------------- throughput */

/* Throughput the simulator reaches with a plan set, arrivals above capacity. */
static double sim_throughput(int m, const struct plan *reps, const double *rates, int nr,
			     double predicted)
{
	struct sim_config c = { .b = b, .seed = 7, .duration_s = 30, .tick_ms = 10,
				.gov = SIM_GOV_PERFORMANCE, .order = SIM_ORDER_FIFO,
				.dispatch = SIM_STATIC };
	struct sim_app a = { .model = m, .prio = EP_PRIO_NORMAL, .rate = predicted * 1.2,
			     .arrival = SIM_PERIODIC, .burst = 1 };
	struct sim_result r;
	double done;

	snprintf(a.name, sizeof(a.name), "%s", board_model_name(b, m));
	a.plan = reps[0];
	if (nr > 1) {
		a.replicas = reps;
		a.nr_replicas = nr;
		a.replica_rates = rates;
	}
	if (sim_run(&c, &a, 1, &r))
		return 0;
	/* Completions within the arrival window only: the backlog drains later. */
	done = r.app[0].completed;
	return done / r.end_s;
}

static void section_throughput(FILE *idx)
{
	static const struct { const char *model; double target; } tg[] = {
		{ "Alex", 2.27 }, { "Google", 1.82 }, { "MobileV1", 1.82 },
		{ "ResV1_50", 1.49 }, { "SqueezeV1", 1.72 },
	};
	FILE *f = page("throughput.md");
	const char *cats[NMAX], *sers[] = { "ARM-CO-UP-style pipeline", "edgeai (time-shared plans)",
		"edgeai, simulated", "upper bound (fluid)" };
	double v[4 * NMAX];
	int nm = board_nr_models(b), met = 0, nt = 0;

	fprintf(f, "# Pipeline throughput, normalised to the Pipe-it-style baseline\n\n");
	fprintf(f, "- **Pipe-it-style**: the best pipeline over the two CPU clusters (L, B), "
		"optimal partition, top steps.\n"
		"- **ARM-CO-UP-style**: the best static pipeline over all processors, optimal "
		"order and partition, top steps (edgeai's `--goal throughput` planner).\n"
		"- **edgeai**: time-shared plans (plan_timeshare()): several chain plans of the "
		"network, each with a frame rate, every processor loaded at most 100 %%; the rates "
		"solve the linear programme *max total rate* exactly (column generation, the "
		"pricing step an exact dynamic programme over placements). This is the highest "
		"steady-state rate the cost model admits at the top steps: a single pipeline "
		"and replicated pipelines are special cases. The kernel runs it as one graph per "
		"plan, frames dealt by rate.\n"
		"- **simulated**: edgeai's plans run in edgeai-sim with frames arriving 20 %% above "
		"the predicted rate (30 s, completions / simulated time).\n"
		"- **upper bound**: no schedule that runs one layer at a time per processor can "
		"beat the fluid relaxation (layers split fractionally, hand-offs free): "
		"plan_throughput_bound().\n\n");
	fprintf(f, "| network | Pipe-it fps | ARM-CO-UP-style | edgeai | edgeai simulated | bound | "
		"target | reached? |\n|---|---|---|---|---|---|---|---|\n");
	for (int m = 0; m < nm; m++) {
		struct plan_opts op = { .goal = PLAN_THROUGHPUT, .elems = bit(eL) | bit(eB) };
		struct plan_opts oa = { .goal = PLAN_THROUGHPUT };
		struct plan pp, pa, reps[BOARD_MAX_ELEMS];
		double fr, bound, simr, target = 0, rates[BOARD_MAX_ELEMS];
		int nr;

		cats[m] = board_model_name(b, m);
		plan_make(b, m, &op, &pp, NULL, 0);
		plan_make(b, m, &oa, &pa, NULL, 0);
		nr = plan_timeshare(b, m, 0, reps, rates, BOARD_MAX_ELEMS, &fr);
		bound = plan_throughput_bound(b, m, 0);
		simr = sim_throughput(m, reps, rates, nr, fr);
		for (size_t i = 0; i < sizeof(tg) / sizeof(tg[0]); i++)
			if (!strcmp(tg[i].model, cats[m]))
				target = tg[i].target;
		v[0 * nm + m] = pa.predicted.throughput_fps / pp.predicted.throughput_fps;
		v[1 * nm + m] = fr / pp.predicted.throughput_fps;
		v[2 * nm + m] = simr / pp.predicted.throughput_fps;
		v[3 * nm + m] = bound / pp.predicted.throughput_fps;
		fprintf(f, "| %s | %.2f | %.2fx | %.2fx | %.2fx | %.2fx | ", cats[m],
			pp.predicted.throughput_fps, v[m], v[nm + m], v[2 * nm + m], v[3 * nm + m]);
		if (target > 0) {
			bool ok = v[nm + m] >= target;

			nt++;
			met += ok;
			fprintf(f, "%.2fx | %s |\n", target, ok ? "yes" :
				v[3 * nm + m] < target ? "no: above the fluid bound" :
				"no: above the LP optimum");
		} else {
			fprintf(f, "- | - |\n");
		}
	}
	fprintf(f, "\n![throughput](throughput.svg)\n\n");
	fprintf(f, "## Why some targets are out of reach on this data\n\n"
		"The targets are ARM-CO-UP's published speed-ups over Pipe-it plus 10 %%. Two "
		"limits come from the data alone. (1) The edgeai column is the optimum of a linear "
		"programme over *every* placement of the layers with per-plan frame rates: with "
		"the measured layer, input/output and hand-off times, no schedule that runs whole "
		"layers, one stage at a time per processor, at the top steps, does better. (2) The "
		"fluid bound drops even the integrality of layers and every copy and hand-off "
		"cost; a target above it is unreachable however the work is cut. Both are "
		"measured against a Pipe-it-style baseline that is the *optimal* L+B pipeline of "
		"the same measurements, which is stronger than the Pipe-it configurations the "
		"published ratios were measured against; the published ARM-CO-UP ratios (the "
		"targets minus 10 %%) are therefore not reproducible as ratios over this baseline "
		"either: compare the ARM-CO-UP-style column. Every number here is recomputed from "
		"the CSV files by `make bench`.\n");
	svg_bars(svgpath("throughput.svg"), "Throughput normalised to Pipe-it-style (L+B)",
		 "x Pipe-it", nm, cats, 4, sers, v, 1.0);
	fprintf(idx, "- Throughput over the Pipe-it-style baseline: %d of %d targets reached; "
		"the others are above the exact optimum the data admits (LP over all placements), "
		"see [throughput.md](throughput.md).\n", met, nt);
	fclose(f);
}

/* ---------------------------------------------------------------- energy */

static void section_energy(FILE *idx)
{
	FILE *f = page("energy.md");
	const char *cats[NMAX], *sers[] = { "best single @max", "min-latency @max",
		"edgeai DVFS, latency <= 1.25x min", "pipeline @max, 50% rate",
		"edgeai DVFS pipeline, 50% rate" };
	double v[5 * NMAX], gs = 0, gp = 0;
	int nm = board_nr_models(b);

	fprintf(f, "# Energy efficiency vs max-frequency runs\n\n"
		"Inferences per joule (whole-board energy, base power included).\n\n"
		"- one inference at a time: the min-latency plan at the top steps against the "
		"least-energy plan whose latency stays within 1.25x of it (steps and placement "
		"chosen together, exact); the best single processor at max for reference;\n"
		"- a stream at half the pipeline's top rate: the most-throughput pipeline at "
		"the top steps against the least-energy pipeline (steps per stage) that keeps "
		"that rate; energy per frame = base power x period + the stages' energy above "
		"base.\n\n");
	fprintf(f, "| network | best single @max | min-latency @max | DVFS plan | gain | "
		"pipeline @max | DVFS pipeline | gain |\n|---|---|---|---|---|---|---|---|\n");
	for (int m = 0; m < nm; m++) {
		struct plan ps, pl, pe, pt, pf, pft;
		struct plan_opts ol = { .goal = PLAN_LATENCY, .top_only = true };
		struct plan_opts ot = { .goal = PLAN_THROUGHPUT };
		double single, fps, period, base = board_base_power_mw(b), e_top = 0, e_dv = 0;
		int be = best_single(m, &single);

		cats[m] = board_model_name(b, m);
		single_plan(m, be, &ps);
		plan_make(b, m, &ol, &pl, NULL, 0);
		{
			struct plan_opts oe = { .goal = PLAN_ENERGY,
						.target_ms = pl.predicted.latency_ms * 1.25 };

			plan_make(b, m, &oe, &pe, NULL, 0);
		}
		plan_make(b, m, &ot, &pt, NULL, 0);
		fps = pt.predicted.throughput_fps * 0.5;
		period = 1000 / fps;
		{
			struct plan_opts of = { .goal = PLAN_ENERGY, .fps = fps, .top_only = true };
			struct plan_opts od = { .goal = PLAN_ENERGY, .fps = fps };

			plan_make(b, m, &of, &pft, NULL, 0);
			plan_make(b, m, &od, &pf, NULL, 0);
		}
		(void)pft;
		/* At max: the throughput pipeline, at top steps, paced at fps. */
		for (int i = 0; i < pt.nr_stages; i++)
			e_top += pt.stages[i].dyn_energy_uj;
		for (int i = 0; i < pf.nr_stages; i++)
			e_dv += pf.stages[i].dyn_energy_uj;
		e_top = (e_top + base * period) / 1e6;	/* J */
		e_dv = (e_dv + base * period) / 1e6;
		v[0 * nm + m] = 1000 / ps.predicted.energy_mj;
		v[1 * nm + m] = 1000 / pl.predicted.energy_mj;
		v[2 * nm + m] = 1000 / pe.predicted.energy_mj;
		v[3 * nm + m] = 1 / e_top;
		v[4 * nm + m] = 1 / e_dv;
		fprintf(f, "| %s | %.2f inf/J | %.2f | %.2f | %+.1f %% | %.2f | %.2f | %+.1f %% |\n",
			cats[m], v[m], v[nm + m], v[2 * nm + m],
			(v[2 * nm + m] / v[nm + m] - 1) * 100, v[3 * nm + m], v[4 * nm + m],
			(v[4 * nm + m] / v[3 * nm + m] - 1) * 100);
		gs += log(v[2 * nm + m] / v[nm + m]);
		gp += log(v[4 * nm + m] / v[3 * nm + m]);
	}
	fprintf(f, "\n![energy](energy.svg)\n");
	svg_bars(svgpath("energy.svg"), "Energy efficiency", "inferences per joule", nm, cats,
		 5, sers, v, 0);
	fprintf(idx, "- Energy efficiency with DVFS over max-frequency runs: %+.1f %% (one "
		"inference, latency within 1.25x) and %+.1f %% (pipelined stream at half rate), "
		"geometric means ([energy.md](energy.md)).\n",
		(exp(gs / nm) - 1) * 100, (exp(gp / nm) - 1) * 100);
	fclose(f);
}

/* ---------------------------------------------------------------- multi-DNN */

struct scen_app {
	const char *model;
	int prio;
	double rate;		/* at load 1 */
	double slo_ms;
	enum sim_arrival arr;
	int burst;
};

static const struct scen_app scenario[] = {
	{ "MobileV1", EP_PRIO_REALTIME, 10, 100, SIM_PERIODIC, 1 },
	{ "SqueezeV1", EP_PRIO_HIGH, 6, 150, SIM_PERIODIC, 1 },
	{ "ResV1_50", EP_PRIO_NORMAL, 1, 1000, SIM_POISSON, 1 },
	{ "Alex", EP_PRIO_NORMAL, 2, 600, SIM_BURST, 4 },
	{ "Google", EP_PRIO_BACKGROUND, 0.5, 2500, SIM_SPORADIC, 4 },
};

#define NSCEN	((int)(sizeof(scenario) / sizeof(scenario[0])))

enum method { M_SINGLE, M_SINGLE_UTIL, M_RR, M_BAND, M_BAND_DROP, M_HEFT, M_PIPEIT, M_COUP,
	      M_EDGEAI_NOADMIT, M_EDGEAI, NMETH };

static const char *const meth_names[NMETH] = {
	"best single @max", "best single + util gov", "round robin", "Band (LST)",
	"Band (LST) + drop late", "HEFT", "Pipe-it-style", "ARM-CO-UP-style",
	"edgeai without admission", "edgeai",
};

static void make_apps(const struct scen_app *sc, int n, double load, struct sim_app *a)
{
	for (int i = 0; i < n; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		snprintf(a[i].name, sizeof(a[i].name), "%s", sc[i].model);
		a[i].model = board_model_by_name(b, sc[i].model);
		a[i].prio = sc[i].prio;
		a[i].rate = sc[i].rate * load;
		a[i].slo_ms = sc[i].slo_ms;
		a[i].arrival = sc[i].arr;
		a[i].burst = sc[i].burst;
	}
}

static void edgeai_config(struct sim_config *c)
{
	c->gov = SIM_GOV_DEADLINE;
	c->order = SIM_ORDER_POLICY;
	c->admit = true;
	c->stage_deadlines = true;
}

/* Co-scheduling, refined in simulation with a seed the evaluation never uses. */
static void edgeai_plans(const struct sim_config *c, struct sim_app *a, int n)
{
	sim_cosched(c, a, n, 24, 4242);
}

static int run_method(enum method me, const struct scen_app *sc, int n, double load,
		      double dur, struct sim_result *r)
{
	struct sim_config c = { .b = b, .seed = 42, .duration_s = dur, .tick_ms = 10,
				.gov = SIM_GOV_PERFORMANCE, .order = SIM_ORDER_FIFO,
				.dispatch = SIM_STATIC, .units = 4 };
	struct sim_app a[SIM_MAX_APPS];

	make_apps(sc, n, load, a);
	for (int i = 0; i < n; i++) {
		double ms;
		struct plan_opts o = { .goal = PLAN_THROUGHPUT };

		switch (me) {
		case M_SINGLE:
		case M_SINGLE_UTIL:
			single_plan(a[i].model, best_single(a[i].model, &ms), &a[i].plan);
			break;
		case M_PIPEIT:
			o.elems = bit(eL) | bit(eB);
			plan_make(b, a[i].model, &o, &a[i].plan, NULL, 0);
			break;
		case M_COUP:
			plan_make(b, a[i].model, &o, &a[i].plan, NULL, 0);
			break;
		default:
			break;
		}
	}
	switch (me) {
	case M_SINGLE_UTIL:
		c.gov = SIM_GOV_LINUX;
		break;
	case M_RR:
		c.dispatch = SIM_ROUND_ROBIN;
		break;
	case M_BAND:
	case M_BAND_DROP:
		c.dispatch = SIM_BAND;
		c.order = SIM_ORDER_LST;
		c.drop_expired = me == M_BAND_DROP;
		break;
	case M_HEFT:
		c.dispatch = SIM_HEFT;
		break;
	case M_EDGEAI:
	case M_EDGEAI_NOADMIT:
		edgeai_config(&c);
		c.admit = me == M_EDGEAI;
		edgeai_plans(&c, a, n);
		break;
	default:
		break;
	}
	return sim_run(&c, a, n, r);
}

/* The oracle: every combination of candidate plans, each simulated. */
static double oracle(const struct scen_app *sc, int n, double load, double dur,
		     long *tried)
{
	struct plan (*cand)[PLAN_MAX_CANDIDATES] = calloc(n, sizeof(*cand));
	struct sim_config c = { .b = b, .seed = 42, .duration_s = dur, .tick_ms = 10,
				.dispatch = SIM_STATIC };
	struct sim_app a[SIM_MAX_APPS];
	int nc[SIM_MAX_APPS], idx[SIM_MAX_APPS] = { 0 };
	double best = 0;

	*tried = 0;
	if (!cand)
		return 0;
	edgeai_config(&c);
	make_apps(sc, n, load, a);
	for (int i = 0; i < n; i++)
		nc[i] = plan_candidates(b, a[i].model, cand[i], PLAN_MAX_CANDIDATES);
	for (;;) {
		struct sim_result r;
		int i;

		for (i = 0; i < n; i++)
			a[i].plan = cand[i][idx[i]];
		if (!sim_run(&c, a, n, &r) && r.slo_pct > best)
			best = r.slo_pct;
		(*tried)++;
		for (i = 0; i < n; i++) {
			if (++idx[i] < nc[i])
				break;
			idx[i] = 0;
		}
		if (i == n)
			break;
	}
	free(cand);
	return best;
}

static void section_multi(FILE *idx)
{
	static const double loads[] = { 0.5, 0.75, 1.0, 1.25, 1.5, 2.0 };
	const int nl = sizeof(loads) / sizeof(loads[0]);
	double slo[NMETH * 8], en[NMETH * 8], t0 = now_s(), ratio_band, ratio_best;
	FILE *f = page("multi.md");
	int best_base = 0;

	fprintf(f, "# Multi-DNN: SLO satisfaction and energy across load levels\n\n"
		"Five applications share the board (rates at load 1.0):\n\n"
		"| app | priority | arrivals | rate | SLO |\n|---|---|---|---|---|\n");
	for (int i = 0; i < NSCEN; i++) {
		static const char *const pn[] = { "realtime", "high", "normal", "background" };
		static const char *const an[] = { "periodic (camera)", "Poisson", "bursts",
			"prompt-like sporadic" };

		fprintf(f, "| %s | %s | %s%s | %.2f/s | %.0f ms |\n", scenario[i].model,
			pn[scenario[i].prio], an[scenario[i].arr],
			scenario[i].burst > 1 ? (scenario[i].arr == SIM_SPORADIC ?
						 ", 4 frames per request" : ", 4 frames per burst") : "",
			scenario[i].rate, scenario[i].slo_ms);
	}
	fprintf(f, "\nEach method runs 60 s of simulated time per load level (seed 42) in "
		"edgeai-sim. SLO satisfaction = frames (requests) finished within their SLO / "
		"arrived; refused or late ones count as misses. Baselines: whole network on the "
		"best single processor at max frequency, the same under a schedutil-like "
		"utilisation governor, round robin over processors, Band-style least-slack "
		"dynamic placement of 4 subgraphs per network (also with late frames dropped "
		"before they run), HEFT (earliest finish, no DVFS), "
		"Pipe-it-style pipelines over L+B, ARM-CO-UP-style pipelines over all "
		"processors at max frequency; all FIFO and at max frequency except where said. "
		"edgeai: co-scheduling (sim_cosched(): plan_multi_score() ranks every combination "
		"of candidate plans, the best 24 are tried in a 20 s simulation with another seed), "
		"the kernel's queue order (ep_key_before), strict admission (ep_admit), per-stage "
		"deadlines and the deadline governor (ep_gov_deadline); the ablation without "
		"admission shows what admission adds.\n\n");
	for (int me = 0; me < NMETH; me++)
		for (int l = 0; l < nl; l++) {
			struct sim_result r;

			run_method((enum method)me, scenario, NSCEN, loads[l], 60, &r);
			slo[me * nl + l] = r.slo_pct;
			en[me * nl + l] = r.energy_j;
		}
	fprintf(f, "## SLO satisfaction (%%)\n\n| method |");
	for (int l = 0; l < nl; l++)
		fprintf(f, " load %.2f |", loads[l]);
	fprintf(f, "\n|---|");
	for (int l = 0; l < nl; l++)
		fprintf(f, "---|");
	fprintf(f, "\n");
	for (int me = 0; me < NMETH; me++) {
		fprintf(f, "| %s |", meth_names[me]);
		for (int l = 0; l < nl; l++)
			fprintf(f, " %.1f |", slo[me * nl + l]);
		fprintf(f, "\n");
	}
	fprintf(f, "\n## Energy (J over the run)\n\n| method |");
	for (int l = 0; l < nl; l++)
		fprintf(f, " load %.2f |", loads[l]);
	fprintf(f, "\n|---|");
	for (int l = 0; l < nl; l++)
		fprintf(f, "---|");
	fprintf(f, "\n");
	for (int me = 0; me < NMETH; me++) {
		fprintf(f, "| %s |", meth_names[me]);
		for (int l = 0; l < nl; l++)
			fprintf(f, " %.1f |", en[me * nl + l]);
		fprintf(f, "\n");
	}
	fprintf(f, "\n![SLO](multi_slo.svg)\n\n![energy](multi_energy.svg)\n\n");
	svg_lines(svgpath("multi_slo.svg"), "Multi-DNN SLO satisfaction", "load", "% frames within SLO",
		  nl, loads, NMETH, meth_names, slo);
	svg_lines(svgpath("multi_energy.svg"), "Multi-DNN energy over 60 s", "load", "J",
		  nl, loads, NMETH, meth_names, en);
	/* Ratios against both Band variants at every load; the target is read
	 * at the high loads (>= 1.25: where every baseline drops below 65 %). */
	fprintf(f, "## edgeai against Band-style\n\n| load | edgeai | Band (LST) | ratio | "
		"Band + drop late | ratio | best baseline | ratio |\n|---|---|---|---|---|---|---|---|\n");
	ratio_band = INFINITY;
	ratio_best = INFINITY;
	for (int l = 0; l < nl; l++) {
		double ed = slo[M_EDGEAI * nl + l], b1 = slo[M_BAND * nl + l];
		double b2 = slo[M_BAND_DROP * nl + l], bb2 = b1 > b2 ? b1 : b2;

		best_base = 0;
		for (int me = 0; me < M_EDGEAI_NOADMIT; me++)
			if (slo[me * nl + l] > slo[best_base * nl + l])
				best_base = me;
		fprintf(f, "| %.2f | %.1f | %.1f | %.2fx | %.1f | %.2fx | %s %.1f | %.2fx |\n",
			loads[l], ed, b1, ed / b1, b2, ed / b2, meth_names[best_base],
			slo[best_base * nl + l], ed / slo[best_base * nl + l]);
		if (loads[l] >= 1.25 && ed / bb2 < ratio_band)
			ratio_band = ed / bb2;
		if (loads[l] >= 1.25 && ed / slo[best_base * nl + l] < ratio_best)
			ratio_best = ed / slo[best_base * nl + l];
	}
	fprintf(f, "\nAt high load (1.25 and above) edgeai's SLO satisfaction is at least "
		"**%.2fx** the better Band-style variant's (target 1.5x: %s) and at least %.2fx "
		"the best baseline's at each load.\n\n", ratio_band,
		ratio_band >= 1.5 ? "reached" : "not reached", ratio_best);
	{
		int lowest = 0;

		for (int l = 0; l < nl; l++) {
			bool low = true;

			for (int me = 0; me < NMETH; me++)
				if (me != M_EDGEAI && en[me * nl + l] < en[M_EDGEAI * nl + l])
					low = false;
			lowest += low;
		}
		fprintf(f, "edgeai uses the least energy of all methods at %d of %d load levels "
			"(refused frames are work not done: read energy with the SLO table).\n\n",
			lowest, nl);
		fprintf(idx, "- Multi-DNN SLO satisfaction at high load (>= 1.25): edgeai >= %.2fx "
			"the better Band-style variant (target 1.5x %s), >= %.2fx the best baseline; "
			"least energy of all methods at %d of %d loads ([multi.md](multi.md)).\n",
			ratio_band, ratio_band >= 1.5 ? "reached" : "not reached", ratio_best,
			lowest, nl);
	}
	printf("multi-DNN comparison: %.1f s host\n", now_s() - t0);

	/* Oracle on the three camera-like apps (small enough to enumerate). */
	{
		const int no = 3;
		double within = 0;
		int worst_l = 0;

		t0 = now_s();
		fprintf(f, "## edgeai vs an offline oracle (first %d apps)\n\n"
			"The oracle simulates every combination of candidate plans "
			"(plan_candidates(): least-latency plans over each subset of processors "
			"and the throughput pipeline) under the same runtime and keeps the best SLO "
			"satisfaction with the evaluation's own seed; edgeai chooses without seeing "
			"that run (sim_cosched(), other seed). 30 s per simulation.\n\n"
			"| load | edgeai SLO %% | oracle SLO %% | edgeai / oracle | combinations |\n"
			"|---|---|---|---|---|\n", no);
		for (int l = 0; l < nl; l++) {
			struct sim_result r;
			long tried;
			double orc = oracle(scenario, no, loads[l], 30, &tried), rel;

			run_method(M_EDGEAI, scenario, no, loads[l], 30, &r);
			rel = orc > 0 ? r.slo_pct / orc : 1;
			if (l == 0 || rel < within) {
				within = rel;
				worst_l = l;
			}
			fprintf(f, "| %.2f | %.1f | %.1f | %.3f | %ld |\n", loads[l], r.slo_pct,
				orc, rel, tried);
		}
		fprintf(f, "\nWorst case: %.1f %% of the oracle (load %.2f); target: within 5 %%: %s.\n",
			within * 100, loads[worst_l], within >= 0.95 ? "reached" : "not reached");
		fprintf(idx, "- Multi-DNN vs oracle (3 apps, all loads): edgeai reaches at least "
			"%.1f %% of the oracle's SLO satisfaction (target >= 95 %%: %s).\n",
			within * 100, within >= 0.95 ? "reached" : "not reached");
		printf("oracle comparison: %.1f s host\n", now_s() - t0);
	}
	fclose(f);
}

/* ---------------------------------------------------------------- speed */

static void sim_speed(void)
{
	struct sim_result r;
	double t0 = now_s();

	run_method(M_EDGEAI, scenario, NSCEN, 1.0, 60, &r);
	printf("a minute of simulated board time (5 apps, load 1.0, %ld events, co-scheduling included): %.3f s host\n",
	       r.events, now_s() - t0);
}

int bench_reports_main(int argc, char **argv)
{
	char dir[4096], err[512];
	double t0 = now_s();
	FILE *idx;

	if (argc < 2 || argv[1][0] == '-') {
		fputs("usage: edgeai-bench reports OUTDIR [BOARD]\n", stderr);
		return 2;
	}
	out = argv[1];
	mkdir(out, 0755);
	if (board_resolve(argc > 2 ? argv[2] : "rk3399pro", dir, sizeof(dir))) {
		fputs("edgeai-bench: board not found\n", stderr);
		return 1;
	}
	b = board_load(dir, err, sizeof(err));
	if (!b) {
		fprintf(stderr, "edgeai-bench: %s\n", err);
		return 1;
	}
	eL = board_element_by_cluster(b, "little");
	eB = board_element_by_cluster(b, "big");
	eG = board_element_by_cluster(b, "gpu");
	eN = board_element_by_cluster(b, "npu");
	(void)eG;
	(void)eN;
	idx = page("README.md");
	fprintf(idx, "# edgeai benchmark report (%s)\n\n"
		"Generated by `make bench` (edgeai-bench, seeded; the same data and code give "
		"the same files). Every figure comes from the board's CSV files through the "
		"planners (userspace/planner) and the simulator (userspace/sim), which runs the "
		"kernel's own policy code. Method: docs/planner.md.\n\n## Summary\n\n",
		board_name(b));
	section_crossval(idx);
	section_latency(idx);
	section_throughput(idx);
	section_energy(idx);
	section_multi(idx);
	fprintf(idx, "\n## Pages\n\n- [crossval.md](crossval.md): cost model error\n"
		"- [latency.md](latency.md): one inference, planners vs best single processor\n"
		"- [throughput.md](throughput.md): pipelines vs Pipe-it-style, targets\n"
		"- [energy.md](energy.md): DVFS vs max frequency\n"
		"- [multi.md](multi.md): multi-DNN SLO and energy vs every baseline, oracle\n");
	fclose(idx);
	sim_speed();
	board_free(b);
	printf("reports written to %s/README.md (%.1f s)\n", out, now_s() - t0);
	return 0;
}
