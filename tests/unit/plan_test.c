// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of libplan: the planners against exhaustive search over the
 * same space, using plan_predict() (per-layer, no planner tables) as the
 * independent judge.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "crossval.h"
#include "plan.h"
#include "test_board.h"

static struct board *b;
static int eL, eB, eG, eN;

/* Every placement of nl layers over the elements in els[0..ne). */
static bool next_assign(int *a, int nl, int ne)
{
	for (int i = 0; i < nl; i++) {
		if (++a[i] < ne)
			return true;
		a[i] = 0;
	}
	return false;
}

static void place(struct plan_layer *ly, int nl, const int *a, const int *els,
		  const int *step)
{
	for (int i = 0; i < nl; i++) {
		int e = els[a[i]], h = board_element(b, e)->host;

		ly[i].elem = e;
		ly[i].step = step[e];
		ly[i].host_step = h >= 0 ? step[h] : -1;
	}
}

static void top_steps(int *step)
{
	for (int e = 0; e < board_nr_elements(b); e++)
		step[e] = board_top_step(b, e);
}

/*
 * Every placement of model @m's layers on els[0..ne) at the steps @step:
 * lowers *lat to the least latency and *energy to the least energy of a
 * latency at most @target.  Returns how many placements there were.
 */
static long scan_placements(int m, const int *els, int ne, const int *step,
			    double target, double *lat, double *energy)
{
	int nl = board_model_layers(b, m), a[PLAN_MAX_LAYERS] = { 0 };
	struct plan_layer ly[PLAN_MAX_LAYERS];
	long n = 0;

	do {
		struct plan_figures f;

		place(ly, nl, a, els, step);
		if (!plan_predict(b, m, ly, &f, NULL, 0)) {
			if (f.latency_ms < *lat)
				*lat = f.latency_ms;
			if (f.latency_ms <= target && f.energy_mj < *energy)
				*energy = f.energy_mj;
		}
		n++;
	} while (next_assign(a, nl, ne));
	return n;
}

/* scan_placements() on two elements at every pair of their steps. */
static void scan_steps(int m, const int els[2], double target, double *lat,
		       double *energy)
{
	int step[BOARD_MAX_ELEMS];

	top_steps(step);
	for (step[els[0]] = 0; step[els[0]] <= board_top_step(b, els[0]); step[els[0]]++)
		for (step[els[1]] = 0; step[els[1]] <= board_top_step(b, els[1]); step[els[1]]++)
			scan_placements(m, els, 2, step, target, lat, energy);
}

static void test_latency_exhaustive(const char *model, const int *els, int ne)
{
	int m = board_model_by_name(b, model), step[BOARD_MAX_ELEMS];
	struct plan_opts o = { .goal = PLAN_LATENCY, .top_only = true };
	double best = INFINITY, energy = INFINITY;
	long n;
	struct plan p;
	char err[256];
	int rc;

	top_steps(step);
	for (int i = 0; i < ne; i++)
		o.elems |= 1u << els[i];
	n = scan_placements(m, els, ne, step, INFINITY, &best, &energy);
	rc = plan_make(b, m, &o, &p, err, sizeof(err));
	ok(!rc && fabs(p.predicted.latency_ms - best) < 1e-6,
	   "%s over %d elements: DP latency %.4f ms = exhaustive minimum %.4f ms (%ld placements)",
	   model, ne, rc ? -1 : p.predicted.latency_ms, best, n);
}

/* Exhaustive over placements and each element's step (two elements). */
static void test_steps_exhaustive(void)
{
	int m = board_model_by_name(b, "Alex"), els[2] = { eL, eB };
	double best_lat = INFINITY, best_e = INFINITY, target;
	double lat = INFINITY, e = INFINITY;	/* the other figure of each scan */
	struct plan_opts o = { .goal = PLAN_LATENCY, .elems = (1u << eL) | (1u << eB) };
	struct plan p, q;
	int rc;

	scan_steps(m, els, INFINITY, &best_lat, &e);
	rc = plan_make(b, m, &o, &p, NULL, 0);
	ok(!rc && fabs(p.predicted.latency_ms - best_lat) < 1e-6,
	   "Alex on L+B over all steps: DP %.4f ms = exhaustive %.4f ms",
	   p.predicted.latency_ms, best_lat);

	target = best_lat * 1.6;
	scan_steps(m, els, target, &lat, &best_e);
	o.goal = PLAN_ENERGY;
	o.target_ms = target;
	rc = plan_make(b, m, &o, &q, NULL, 0);
	ok(!rc && fabs(q.predicted.energy_mj - best_e) < 1e-6 &&
	   q.predicted.latency_ms <= target + 1e-9,
	   "Alex on L+B, latency <= %.1f ms: least energy %.4f mJ = exhaustive %.4f mJ",
	   target, q.predicted.energy_mj, best_e);
	ok(q.predicted.energy_mj < p.predicted.energy_mj,
	   "the energy plan saves energy over the latency plan (%.1f < %.1f mJ)",
	   q.predicted.energy_mj, p.predicted.energy_mj);
	o.target_ms = best_lat * 0.99;
	ok(plan_make(b, m, &o, &q, NULL, 0) == -ENOENT, "an impossible latency target: -ENOENT");
}

/* All ordered selections of distinct elements and all contiguous cuts. */
static double brute_pipe(int m, unsigned int mask, int mode, double period,
			 int *count)
{
	int nl = board_model_layers(b, m), ne = board_nr_elements(b);
	double best = INFINITY;

	*count = 0;
	for (int k = 1; k <= ne && k <= nl; k++) {
		int seq[BOARD_MAX_ELEMS] = { 0 };

		do {
			bool okk = true;
			int cut[BOARD_MAX_ELEMS];

			for (int i = 0; i < k; i++) {
				if (!(mask & (1u << seq[i])))
					okk = false;
				for (int j = 0; j < i; j++)
					if (seq[j] == seq[i])
						okk = false;
			}
			if (!okk)
				continue;
			/* Cuts: 0 = cut[0] < cut[1] < ... < cut[k-1] < nl. */
			for (int i = 0; i < k; i++)
				cut[i] = i;
			for (;;) {
				struct plan p = { .nr_stages = k };
				int i;

				for (i = 0; i < k; i++) {
					struct plan_stage *s = &p.stages[i];

					s->elem = seq[i];
					s->first_layer = cut[i];
					s->nr_layers = (i + 1 < k ? cut[i + 1] : nl) - cut[i];
					s->step = board_top_step(b, seq[i]);
					s->host_step = -1;
				}
				if (!plan_fill(b, m, &p)) {
					double worst = 0, dyn = 0;

					(*count)++;
					for (i = 0; i < k; i++) {
						double t = p.stages[i].time_ns / 1e6;

						worst = t > worst ? t : worst;
						dyn += p.stages[i].dyn_energy_uj;
					}
					if (mode == 0 && worst < best)
						best = worst;
					if (mode == 1 && worst <= period && dyn < best)
						best = dyn;
				}
				/* Next cut vector. */
				for (i = k - 1; i >= 1; i--)
					if (cut[i] < nl - (k - i)) {
						cut[i]++;
						for (int j = i + 1; j < k; j++)
							cut[j] = cut[j - 1] + 1;
						break;
					}
				if (i < 1)
					break;
			}
		} while (next_assign(seq, k, ne));
	}
	return best;
}

static void test_pipeline(const char *model, unsigned int mask)
{
	int m = board_model_by_name(b, model), n;
	struct plan_opts o = { .goal = PLAN_THROUGHPUT, .elems = mask };
	double best = brute_pipe(m, mask, 0, 0, &n), worst = 0, dyn = 0, fps;
	struct plan p;
	int rc = plan_make(b, m, &o, &p, NULL, 0);
	bool distinct = true;

	for (int i = 0; !rc && i < p.nr_stages; i++)
		for (int j = 0; j < i; j++)
			if (p.stages[i].elem == p.stages[j].elem)
				distinct = false;
	ok(!rc && distinct && fabs(1000 / p.predicted.throughput_fps - best) < 1e-6,
	   "%s pipeline: bottleneck %.4f ms = exhaustive %.4f ms over %d partitions",
	   model, rc ? -1 : 1000 / p.predicted.throughput_fps, best, n);

	/* Energy at 80 % of that frame rate, top steps only: exhaustive too. */
	fps = p.predicted.throughput_fps * 0.8;
	best = brute_pipe(m, mask, 1, 1000 / fps, &n);
	o.goal = PLAN_ENERGY;
	o.fps = fps;
	o.top_only = true;
	rc = plan_make(b, m, &o, &p, NULL, 0);
	for (int i = 0; !rc && i < p.nr_stages; i++) {
		double t = p.stages[i].time_ns / 1e6;

		worst = t > worst ? t : worst;
		dyn += p.stages[i].dyn_energy_uj;
	}
	ok(!rc && worst <= 1000 / fps + 1e-9 && fabs(dyn - best) < 1e-3,
	   "%s at %.1f fps (top steps): least dynamic energy %.1f uJ = exhaustive %.1f uJ",
	   model, fps, dyn, best);
	/* With DVFS the same rate costs no more energy. */
	o.top_only = false;
	rc = plan_make(b, m, &o, &p, NULL, 0);
	{
		double d2 = 0, w2 = 0;

		for (int i = 0; !rc && i < p.nr_stages; i++) {
			d2 += p.stages[i].dyn_energy_uj;
			w2 = p.stages[i].time_ns / 1e6 > w2 ? p.stages[i].time_ns / 1e6 : w2;
		}
		ok(!rc && d2 <= dyn + 1e-6 && w2 <= 1000 / fps + 1e-9,
		   "%s at %.1f fps with DVFS: %.1f uJ <= %.1f uJ, stages within the period",
		   model, fps, d2, dyn);
	}
}

static void test_parse_predict(void)
{
	int m = board_model_by_name(b, "MobileV1");
	struct plan_layer ly[PLAN_MAX_LAYERS], l2[PLAN_MAX_LAYERS];
	struct plan_figures f, g;
	struct board_cost c;
	char err[256];
	int rc;

	rc = plan_parse(b, m, "BBBGGGGNNNNNNN", "7;7;7;4,7;4,7;4,7;4,7;7;7;7;7;7;7;7", ly,
			err, sizeof(err));
	ok(!rc && ly[3].elem == eG && ly[3].step == 4 && ly[3].host_step == 7 &&
	   ly[8].elem == eN && ly[8].step == 0 && ly[8].host_step == 7,
	   "the issue's example parses (G 4,7; N host 7)");
	rc = plan_predict(b, m, ly, &f, err, sizeof(err));
	ok(!rc && f.latency_ms > 0 && fabs(f.power_w - f.energy_mj / f.latency_ms) < 1e-9,
	   "predict: %.2f ms, %.2f mJ, %.3f W", f.latency_ms, f.energy_mj, f.power_w);
	ok(!plan_parse(b, m, "BBBBBBBBBBBBBB", "max", l2, err, sizeof(err)) &&
	   !plan_predict(b, m, l2, &g, NULL, 0) &&
	   !board_stage_cost(b, m, 0, 14, eB, 7, -1, &c) &&
	   fabs(g.latency_ms - c.time_ns / 1e6) < 1e-9,
	   "whole network on B at max = one stage of the board model");
	/* A per-layer frequency change costs a switch. */
	plan_parse(b, m, "BBBBBBBBBBBBBB", "7;7;7;7;7;7;7;0;0;0;0;0;0;0", l2, err, sizeof(err));
	plan_predict(b, m, l2, &g, NULL, 0);
	{
		double want = 0;

		for (int l = 0; l < 14; l++) {
			board_layer_cost(b, m, l, eB, l < 7 ? 7 : 0, -1, &c);
			want += c.time_ns / 1e6;
		}
		board_entry_cost(b, m, 0, eB, 7, -1, &c);
		want += c.time_ns / 1e6;
		board_exit_cost(b, m, 13, eB, 0, -1, &c);
		want += c.time_ns / 1e6 + board_switch_ns(b, eB, 7, 0) / 1e6;
		ok(fabs(g.latency_ms - want) < 1e-6, "a 7->0 switch mid-network adds %.3f ms",
		   board_switch_ns(b, eB, 7, 0) / 1e6);
	}
	ok(plan_parse(b, m, "BBB", "max", l2, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "14 layers"), "short --order: %s", err);
	ok(plan_parse(b, m, "BBBBBBBBBBBBBX", "max", l2, err, sizeof(err)) == -EINVAL,
	   "unknown element letter: %s", err);
	ok(plan_parse(b, m, "LLLLLLLLLLLLLL", "6;6;6;6;6;6;6;6;6;6;6;6;6;6", l2, err,
		       sizeof(err)) == -EINVAL, "L has no step 6: %s", err);
	ok(plan_parse(b, m, "BBBBBBBBBBBBBB", "7;7;7", l2, err, sizeof(err)) == -EINVAL,
	   "too few --freqs entries: %s", err);
	ok(plan_parse(b, m, "BBBBBBBBBBBBBB", "7,3;7;7;7;7;7;7;7;7;7;7;7;7;7", l2, err,
		       sizeof(err)) == -EINVAL, "a host step for a CPU: %s", err);
	rc = plan_parse(b, board_model_by_name(b, "Alex"), "NNNNNNNN", "max", l2, err,
			sizeof(err));
	ok(!rc && plan_predict(b, board_model_by_name(b, "Alex"), l2, &g, err,
			       sizeof(err)) == -ENOENT,
	   "no NPU data for Alex: %s", err);
}

/*
 * What edgeai-plan predict answers beyond the per-layer model, on the
 * real data: references, refusals, one host step per NPU call.
 */
static void test_predict_ref(void)
{
	int m = board_model_by_name(b, "MobileV1"), y = board_model_by_name(b, "YOLOv3");
	struct plan_layer ly[PLAN_MAX_LAYERS], l2[PLAN_MAX_LAYERS];
	const struct board_ref *r;
	struct plan_figures f, g;
	char err[256] = "", ord[80];
	int rc;

	r = board_ref(b, board_ref_find(b, m, eB, 7, -1));
	rc = plan_parse(b, m, "BBBBBBBBBBBBBB", "max", ly, err, sizeof(err)) ||
	     plan_predict_ref(b, m, ly, &f, err, sizeof(err)) ||
	     plan_predict(b, m, ly, &g, err, sizeof(err));
	ok(!rc && r && f.latency_ms == r->time_ms && g.latency_ms != r->time_ms &&
	   fabs(f.energy_mj / f.latency_ms - g.energy_mj / g.latency_ms) < 1e-9,
	   "MobileV1 on B at max: the reference %.1f ms (model %.1f ms), same power",
	   f.latency_ms, g.latency_ms);
	rc = plan_parse(b, m, "BBBBBBBBBBBBBB", "6;6;6;6;6;6;6;6;6;6;6;6;6;6", ly, err, sizeof(err)) ||
	     plan_predict_ref(b, m, ly, &f, err, sizeof(err)) ||
	     plan_predict(b, m, ly, &g, err, sizeof(err));
	ok(!rc && f.latency_ms == g.latency_ms, "no reference at step 6: the model (%.1f ms)",
	   f.latency_ms);
	rc = plan_parse(b, m, "NNNNNNNNNNNNNN", "7;4;2;1;2;0;2;3;2;3;2;5;7;7", ly, err, sizeof(err)) ||
	     plan_parse(b, m, "NNNNNNNNNNNNNN", "max", l2, err, sizeof(err)) ||
	     plan_predict(b, m, ly, &f, err, sizeof(err)) ||
	     plan_predict(b, m, l2, &g, err, sizeof(err));
	ok(!rc && fabs(f.latency_ms - g.latency_ms) < 1e-9,
	   "an NPU call runs at its first layer's host step: per-layer host steps change nothing (%.2f ms)",
	   f.latency_ms);
	memset(ord, 'N', 75);
	ord[75] = '\0';
	rc = plan_parse(b, y, ord, "max", ly, err, sizeof(err));
	ok(!rc && plan_predict_ref(b, y, ly, &f, err, sizeof(err)) == -ERANGE &&
	   strstr(err, "75 layers") && strstr(err, "14 layers") && f.latency_ms == 0,
	   "YOLOv3 in one NPU call is refused: %s", err);
	ord[20] = 'B';
	rc = plan_parse(b, y, ord, "max", ly, err, sizeof(err)) ||
	     plan_predict_ref(b, y, ly, &f, err, sizeof(err));
	ok(rc && strstr(err, "layers 0-19"), "so is any NPU run past 14 layers: %s", err);
	for (int i = 0; i < 75; i++)
		ord[i] = i % 10 < 5 ? 'N' : 'B';
	rc = plan_parse(b, y, ord, "max", ly, err, sizeof(err)) ||
	     plan_predict_ref(b, y, ly, &f, err, sizeof(err));
	ok(!rc && f.latency_ms > 0, "YOLOv3 in runs of 5 NPU layers: %.1f ms", f.latency_ms);
	rc = plan_parse(b, board_model_by_name(b, "Alex"), "NNNNNNNN", "max", ly, err, sizeof(err));
	ok(!rc && plan_predict_ref(b, board_model_by_name(b, "Alex"), ly, &f, err,
				   sizeof(err)) == -ENOENT &&
	   strstr(err, "no NPU figures for Alex"), "Alex on the NPU: %s", err);
}

/*
 * crossval: every reference of the board's file, the NPU's included; an
 * evaluation file in CO-UP-Profiling's format judged by class, with its
 * refusals and unfinished runs counted apart.
 */
static void test_crossval(void)
{
	char path[] = "/tmp/plan_test_eval.XXXXXX", err[256] = "";
	json_object *o, *r, *rows, *e, *cls, *x;
	int fd = mkstemp(path), npu = 0, loo_npu = 0;
	FILE *f;

	o = crossval_run(b, NULL, err, sizeof(err));
	ok(o && json_object_object_get_ex(o, "reference", &r) &&
	   json_object_object_get_ex(r, "rows", &rows) &&
	   (int)json_object_array_length(rows) == board_nr_refs(b),
	   "crossval lists every reference (%d)", board_nr_refs(b));
	for (size_t i = 0; o && i < json_object_array_length(rows); i++) {
		json_object *j = json_object_array_get_idx(rows, i);

		if (strcmp(json_object_get_string(json_object_object_get(j, "element")), "N"))
			continue;
		npu++;
		if (json_object_object_get(j, "loo_ms") &&
		    json_object_get_double(json_object_object_get(j, "loo_ms")) >
		    json_object_get_double(json_object_object_get(j, "measured_ms")))
			loo_npu++;
	}
	ok(npu == 2 && loo_npu == 1 &&
	   json_object_get_int(json_object_object_get(json_object_object_get(r, "npu"), "n")) == 1 &&
	   json_object_get_int(json_object_object_get(r, "no_data")) == 1,
	   "both NPU references are there: one predicted (slower when left out), one without data");
	json_object_put(o);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		ok(0, "temporary evaluation file");
		return;
	}
	/* The reference's figure as a run, a run without data, an unfinished one. */
	fputs("graph,order,host,freq,total_time,total_e\n"
	      "MobileV1,NNNNNNNNNNNNNN,BB,\"(('max',),)\",30.3,\n"
	      "MobileV1,BBBBBBBBBBBBBB,BB,\"((7,), (7,), (7,), (7,), (7,), (7,), (7,), (7,), (7,), (7,), (7,), (7,), (7,), (7,))\",106.8,\n"
	      "Alex,NNNNNNNN,BB,\"(('max',),)\",20.0,\n"
	      "YOLOv3,N,BB,,,\n", f);
	fclose(f);
	o = crossval_run(b, path, err, sizeof(err));
	ok(o && json_object_object_get_ex(o, "evaluations", &e) &&
	   json_object_object_get_ex(e, "classes", &cls) &&
	   json_object_get_int(json_object_object_get(e, "rows")) == 3 &&
	   json_object_get_int(json_object_object_get(e, "refused_rows")) == 1 &&
	   json_object_get_int(json_object_object_get(e, "unfinished_rows")) == 1,
	   "3 rows: 1 refused, 1 unfinished run apart (%s)", o ? "ok" : err);
	x = o ? json_object_object_get(cls, "npu_only") : NULL;
	ok(x && json_object_get_int(json_object_object_get(x, "n")) == 1 &&
	   json_object_get_int(json_object_object_get(x, "refused")) == 1 &&
	   json_object_get_double(json_object_object_get(x, "max_abs_pct")) < 1e-6 &&
	   json_object_get_int(json_object_object_get(
		   json_object_object_get(cls, "cpu_only"), "n")) == 1,
	   "classes: NPU-only (one refused) and CPU-only, the references' settings exact");
	json_object_put(o);
	unlink(path);
}

static void test_declared(int m, struct plan *p);

static void test_json(void)
{
	int m = board_model_by_name(b, "MobileV1");
	struct plan_opts o = { .goal = PLAN_THROUGHPUT };
	json_object *j, *st, *pr, *s0, *v;
	struct plan p;
	bool keys = true;

	if (plan_make(b, m, &o, &p, NULL, 0)) {
		ok(0, "throughput plan");
		return;
	}
	j = plan_to_json(b, &p);
	ok(json_object_object_get_ex(j, "stages", &st) &&
	   json_object_array_length(st) == (size_t)p.nr_stages &&
	   json_object_object_get_ex(j, "predicted", &pr), "JSON has stages and predicted");
	s0 = json_object_array_get_idx(st, 0);
	for (const char *const *k = (const char *const[]){ "element", "cluster", "first_layer",
		"nr_layers", "step", "host_step", "freq_khz", "cost_ns", "time_ns",
		"energy_uj", NULL }; *k; k++)
		if (!json_object_object_get_ex(s0, *k, &v))
			keys = false;
	for (const char *const *k = (const char *const[]){ "latency_ms", "energy_mj",
		"power_w", "throughput_fps", NULL }; *k; k++)
		if (!json_object_object_get_ex(pr, *k, &v))
			keys = false;
	ok(keys, "every stage and prediction key is there");
	ok(json_object_object_get_ex(s0, "speed", &v) &&
	   json_object_array_length(v) ==
	   (size_t)board_element(b, p.stages[0].elem)->nr_steps, "a speed per step");
	json_object_put(j);
	test_declared(m, &p);
}

/*
 * What the kernel is told about each stage: its own speed per step (1 at
 * the top, falling with the step, as its time at each step says), and a
 * cost at the top that scaled by those speeds is never below the stage's
 * time at any step, and no more than the hand-off's change above its
 * top-step time.
 */
static void test_declared(int m, struct plan *p)
{
	bool speeds = true, safe = true, tight = true;

	for (int i = 0; i < p->nr_stages; i++) {
		struct plan_stage *s = &p->stages[i];
		const struct board_element *el = board_element(b, s->elem);
		int top = board_top_step(b, s->elem), step = s->step;
		struct plan q = *p;

		speeds = speeds && s->speed[top] == PLAN_SPEED_SCALE;
		for (int k = 0; k < el->nr_steps; k++) {
			uint64_t est;

			speeds = speeds && s->speed[k] > 0 && (!k || s->speed[k] >= s->speed[k - 1]);
			/* The stage at step k, everything else at the top. */
			for (int t = 0; t < q.nr_stages; t++) {
				q.stages[t].step = board_top_step(b, q.stages[t].elem);
				q.stages[t].host_step = -1;
			}
			q.stages[i].step = k;
			plan_fill(b, m, &q);
			est = s->cost_ns * s->speed[top] / s->speed[k];
			safe = safe && est >= q.stages[i].time_ns;
			if (k == top)
				tight = tight && s->cost_ns >= q.stages[i].time_ns &&
					s->cost_ns < q.stages[i].time_ns * 1.05;
		}
		s->step = step;
	}
	ok(speeds, "each stage's speed is 1 at the top step and falls with the step");
	ok(safe, "scaled by its speeds, the declared cost is never below the stage's time");
	ok(tight, "and it is within 5 %% of the time at the top step");
}

/*
 * The speeds declared to the kernel are each graph's and stage's own (its
 * time at each step from the board profile), not one average per
 * cluster: two networks whole on LITTLE scale differently with the step.
 */
static void test_graph_speeds(void)
{
	static const char *const nets[] = { "Alex", "MobileV1" };
	struct plan_opts o = { .goal = PLAN_LATENCY, .elems = 1u << eL };
	uint32_t sp[2][BOARD_MAX_STEPS] = { { 0 } };
	int top = board_top_step(b, eL);
	bool own = true;

	for (int i = 0; i < 2; i++) {
		int m = board_model_by_name(b, nets[i]);
		struct board_cost ct, ck;
		struct plan p;

		if (plan_make(b, m, &o, &p, NULL, 0) || p.nr_stages != 1 ||
		    board_stage_cost(b, m, 0, board_model_layers(b, m), eL, top, -1, &ct)) {
			ok(0, "%s whole on L: one stage", nets[i]);
			return;
		}
		for (int k = 0; k <= top; k++) {
			board_stage_cost(b, m, 0, board_model_layers(b, m), eL, k, -1, &ck);
			sp[i][k] = p.stages[0].speed[k];
			own = own && sp[i][k] == (uint32_t)lround((double)PLAN_SPEED_SCALE *
								     ct.time_ns / ck.time_ns);
		}
	}
	ok(own, "each network's LITTLE stage declares its own time ratio per step");
	ok(sp[0][0] != sp[1][0],
	   "Alex and MobileV1 on LITTLE declare different speeds at the lowest step (%u, %u of %d)",
	   sp[0][0], sp[1][0], PLAN_SPEED_SCALE);
}

static void test_timeshare(const char *model)
{
	int m = board_model_by_name(b, model), ne = board_nr_elements(b), n, nr;
	struct plan ts[BOARD_MAX_ELEMS], reps[BOARD_MAX_ELEMS], pipe;
	struct plan_opts o = { .goal = PLAN_THROUGHPUT };
	double rates[BOARD_MAX_ELEMS], fps, frep, sum = 0, worst = 0, bound;

	n = plan_timeshare(b, m, 0, ts, rates, BOARD_MAX_ELEMS, &fps);
	nr = plan_replicas(b, m, 0, reps, BOARD_MAX_ELEMS, &frep);
	plan_make(b, m, &o, &pipe, NULL, 0);
	bound = plan_throughput_bound(b, m, 0);
	for (int i = 0; i < n; i++)
		sum += rates[i];
	for (int e = 0; e < ne; e++) {
		double load = 0;

		for (int i = 0; i < n; i++)
			load += rates[i] * plan_elem_load_ms(&ts[i], e) / 1000;
		worst = load > worst ? load : worst;
	}
	ok(n > 0 && nr > 0 && fabs(sum - fps) < 1e-6 && worst <= 1 + 1e-6,
	   "%s time-shared: %d plans, %.3f fps, busiest element %.1f %% loaded", model, n, fps,
	   worst * 100);
	ok(fps >= frep - 1e-6 && frep >= pipe.predicted.throughput_fps - 1e-6 && fps <= bound,
	   "%s: single pipeline %.2f <= replicas %.2f <= time-shared %.2f <= fluid bound %.2f",
	   model, pipe.predicted.throughput_fps, frep, fps, bound);
}

static void test_multi(void)
{
	struct plan_app apps[2] = {
		{ board_model_by_name(b, "MobileV1"), 0, 10, 100 },
		{ board_model_by_name(b, "SqueezeV1"), 1, 6, 150 },
	};
	struct plan cand[PLAN_MAX_CANDIDATES], out[2];
	const struct plan *ch[2];
	int n = plan_candidates(b, apps[0].model, cand, PLAN_MAX_CANDIDATES);
	double u, best = -1, s;

	ok(n >= 4, "MobileV1 has %d candidate plans", n);
	ok(!plan_multi(b, apps, 2, out, NULL, 0), "co-scheduling two apps");
	ch[0] = &out[0];
	ch[1] = &out[1];
	s = plan_multi_score(b, apps, 2, ch, &u);
	/* Exhaustive over the candidates: nothing scores better. */
	{
		struct plan c2[PLAN_MAX_CANDIDATES];
		int n2 = plan_candidates(b, apps[1].model, c2, PLAN_MAX_CANDIDATES);

		for (int i = 0; i < n; i++)
			for (int j = 0; j < n2; j++) {
				double uu, x;

				ch[0] = &cand[i];
				ch[1] = &c2[j];
				x = plan_multi_score(b, apps, 2, ch, &uu);
				best = x > best ? x : best;
			}
	}
	ok(fabs(s - best) < 1e-12 && u < 1, "the choice has the best predicted score (%.3f), "
	   "busiest cluster %.0f %%", s, u * 100);
}

/*
 * Fallback graphs and the expected finish they are tried by (issue 17;
 * fallback.c, shared by the simulator and edgeai-run).
 */
static void test_expected_finish(void)
{
	const uint64_t ms = 1000000, now = 1000 * ms;
	uint64_t wait[BOARD_MAX_ELEMS] = { 0 }, idle[BOARD_MAX_ELEMS] = { 0 }, fin[4];
	struct plan_finish_stage one[] = { { eB, 20 * ms } };
	struct plan_finish_stage two[] = { { eL, 30 * ms }, { eB, 20 * ms } };
	struct plan_finish_stage gl[] = { { eG, 10 * ms }, { eL, 5 * ms } };
	struct plan_finish_stage lb[] = { { eL, 60 * ms }, { eB, 40 * ms } };
	int order[4], n;

	wait[eB] = 50 * ms;
	wait[eG] = 10 * ms;
	fin[0] = plan_expected_finish(now, wait, one, 1);
	ok(fin[0] == now + 70 * ms, "one stage: the cluster's wait, then its cost (%.0f ms)",
	   (fin[0] - now) / 1e6);
	fin[1] = plan_expected_finish(now, wait, two, 2);
	ok(fin[1] == now + 70 * ms,
	   "a stage starts when its cluster's wait is over, not when the one before ends "
	   "(%.0f ms)", (fin[1] - now) / 1e6);
	fin[2] = plan_expected_finish(now, wait, gl, 2);
	ok(fin[2] == now + 25 * ms,
	   "a stage starts when the one before ends, past its cluster's wait (%.0f ms)",
	   (fin[2] - now) / 1e6);
	fin[3] = plan_expected_finish(now, wait, lb, 2);
	ok(fin[3] == now + 100 * ms && plan_expected_finish(now, idle, lb, 2) == now + 100 * ms &&
	   plan_expected_finish(now, wait, lb, 0) == now,
	   "idle clusters: the stages back to back; no stage: now");
	n = plan_finish_order(fin, 4, order);
	ok(n == 4 && order[0] == 2 && order[1] == 0 &&
	   order[2] == 1 && order[3] == 3,
	   "tried by least expected finish, equal ones in their given order (%d %d %d %d)",
	   order[0], order[1], order[2], order[3]);
}

static void test_fallbacks(void)
{
	static struct plan all[PLAN_MAX_CANDIDATES], two[2];
	struct plan_opts o = { .goal = PLAN_LATENCY, .elems = 1u << eB };
	int m = board_model_by_name(b, "MobileV1"), n, n2, nb;
	bool order = true, fit = true, other = true, same = true;
	struct plan p;
	double slo;

	if (plan_make(b, m, &o, &p, NULL, 0)) {
		ok(0, "MobileV1 on big: no plan");
		return;
	}
	n = plan_fallbacks(b, m, &p, 0, all, PLAN_MAX_CANDIDATES);
	for (int i = 0; i < n; i++) {
		order = order && (!i || all[i].predicted.latency_ms >= all[i - 1].predicted.latency_ms);
		other = other && !(all[i].nr_stages == 1 && all[i].stages[0].elem == eB &&
				   all[i].stages[0].nr_layers == p.stages[0].nr_layers);
	}
	ok(n > 1 && order && other,
	   "%d fallback graphs of MobileV1 beside its plan on big, fastest first, none is the plan",
	   n);
	slo = all[n / 2].predicted.latency_ms;
	nb = plan_fallbacks(b, m, &p, slo, all, PLAN_MAX_CANDIDATES);
	for (int i = 0; i < nb; i++)
		fit = fit && all[i].predicted.latency_ms <= slo;
	ok(nb > 0 && nb < n && fit, "%d of them fit %.1f ms alone", nb, slo);
	n2 = plan_fallbacks(b, m, &p, slo, two, 2);
	for (int i = 0; i < n2; i++)
		same = same && two[i].nr_stages == all[i].nr_stages &&
		       two[i].predicted.latency_ms == all[i].predicted.latency_ms;
	ok(n2 == (nb < 2 ? nb : 2) && same, "at most max of them, the fastest (%d)", n2);
}

/*
 * Stage alternatives: for each stage of a plan, the same layers on each
 * other element with data for the model, declared as a stage of the plan
 * moved there would be (plan_fill() of that plan), at the element's top.
 */
static void test_alternatives(void)
{
	struct plan_opts o = { .goal = PLAN_THROUGHPUT };
	struct plan_alt alt[PLAN_MAX_STAGES * PLAN_MAX_STAGE_ALTS];
	int lacking = -1, lack_elem = -1, m, n, n2;
	bool layers = true, other = true, data = true, costs = true, every = true;
	bool masked = true, none = true;
	struct plan p;

	/* A model without data on some element, planned on the others. */
	for (int x = 0; x < board_nr_models(b) && lacking < 0; x++)
		for (int e = 0; e < board_nr_elements(b) && lacking < 0; e++)
			if (!board_has(b, x, e)) {
				lacking = x;
				lack_elem = e;
			}
	m = board_model_by_name(b, "MobileV1");
	if (plan_make(b, m, &o, &p, NULL, 0) || p.nr_stages < 2) {
		ok(0, "MobileV1: no pipeline of several stages");
		return;
	}
	n = plan_alternatives(b, &p, 0, alt, (int)(sizeof(alt) / sizeof(alt[0])));
	for (int i = 0; i < p.nr_stages; i++) {
		int seen = 0;

		for (int e = 0; e < board_nr_elements(b); e++)
			seen += e != p.stages[i].elem && board_has(b, m, e);
		for (int k = 0; k < n; k++)
			seen -= alt[k].stage == i;
		every = every && seen == 0;
	}
	for (int k = 0; k < n; k++) {
		const struct plan_stage *s = &p.stages[alt[k].stage], *a = &alt[k].st;
		int top = board_top_step(b, a->elem);
		struct plan q = p;

		layers = layers && a->first_layer == s->first_layer && a->nr_layers == s->nr_layers;
		other = other && a->elem != s->elem;
		data = data && board_has(b, m, a->elem);
		q.stages[alt[k].stage].elem = a->elem;
		q.stages[alt[k].stage].step = top;
		q.stages[alt[k].stage].host_step = -1;
		costs = costs && !plan_fill(b, m, &q) &&
			q.stages[alt[k].stage].cost_ns == a->cost_ns && a->cost_ns > 0 &&
			!memcmp(q.stages[alt[k].stage].speed, a->speed, sizeof(a->speed)) &&
			a->freq_khz == board_element(b, a->elem)->khz[top] &&
			a->speed[top] == PLAN_SPEED_SCALE;
	}
	ok(n > p.nr_stages && every,
	   "MobileV1's %d-stage pipeline: %d alternatives, every other element with data "
	   "for each stage", p.nr_stages, n);
	ok(layers && other, "each the same layers as its stage, never on the stage's element");
	ok(data, "only elements with data for the model");
	ok(costs, "each declared as the plan's stage moved there: cost_ns and speeds as "
	   "plan_fill() gives them, frequency the element's top");
	n2 = plan_alternatives(b, &p, 1u << eL, alt, (int)(sizeof(alt) / sizeof(alt[0])));
	for (int k = 0; k < n2; k++)
		masked = masked && alt[k].st.elem == eL;
	ok(n2 > 0 && n2 < n && masked, "limited to the elements given (%d on LITTLE)", n2);
	ok(plan_alternatives(b, &p, 0, alt, 2) == 2, "at most max of them");
	if (lacking < 0) {
		skip("every model has data on every element");
		return;
	}
	o.elems = 0;
	for (int e = 0; e < board_nr_elements(b); e++)
		if (board_has(b, lacking, e))
			o.elems |= 1u << e;
	o.goal = PLAN_LATENCY;
	if (plan_make(b, lacking, &o, &p, NULL, 0)) {
		ok(0, "%s: no plan", board_model_name(b, lacking));
		return;
	}
	n = plan_alternatives(b, &p, 0, alt, (int)(sizeof(alt) / sizeof(alt[0])));
	for (int k = 0; k < n; k++)
		none = none && alt[k].st.elem != lack_elem;
	ok(n > 0 && none, "%s has no data on %s: none of its %d alternatives goes there",
	   board_model_name(b, lacking), board_element(b, lack_elem)->cluster, n);
}

int main(void)
{
	b = test_board_load();
	if (!b)
		return tap_done();
	eL = board_element_by_code(b, 'L');
	eB = board_element_by_code(b, 'B');
	eG = board_element_by_code(b, 'G');
	eN = board_element_by_code(b, 'N');
	test_parse_predict();
	test_predict_ref();
	test_crossval();
	test_latency_exhaustive("Alex", (int[]){ eL, eB, eG }, 3);
	test_latency_exhaustive("SqueezeV1", (int[]){ eL, eB, eG }, 3);
	test_latency_exhaustive("MobileV1", (int[]){ eB, eN }, 2);
	test_latency_exhaustive("MobileV1", (int[]){ eL, eG, eN }, 3);
	test_steps_exhaustive();
	test_pipeline("Alex", (1u << eL) | (1u << eB) | (1u << eG));
	test_pipeline("MobileV1", (1u << eL) | (1u << eB) | (1u << eG) | (1u << eN));
	test_json();
	test_graph_speeds();
	test_timeshare("Alex");
	test_timeshare("MobileV1");
	test_timeshare("YOLOv3");
	test_multi();
	test_expected_finish();
	test_fallbacks();
	test_alternatives();
	board_free(b);
	return tap_done();
}
