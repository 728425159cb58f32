// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cross-validation of the cost model, see crossval.h.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "csv.h"
#include "crossval.h"
#include "plan.h"

struct errstat {
	double sum, max, sum_signed;
	int n;
};

static void es_add(struct errstat *s, double pred, double meas)
{
	double e = (pred - meas) / meas * 100;

	s->sum += fabs(e);
	s->sum_signed += e;
	if (fabs(e) > s->max)
		s->max = fabs(e);
	s->n++;
}

static json_object *es_json(const struct errstat *s)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "n", json_object_new_int(s->n));
	json_object_object_add(o, "mean_abs_pct",
			       json_object_new_double(s->n ? s->sum / s->n : 0));
	json_object_object_add(o, "mean_signed_pct",
			       json_object_new_double(s->n ? s->sum_signed / s->n : 0));
	json_object_object_add(o, "max_abs_pct", json_object_new_double(s->max));
	return o;
}

static double whole(const struct board *b, int m, int e, int s, int h)
{
	struct board_cost c;

	if (board_stage_cost(b, m, 0, board_model_layers(b, m), e, s, h, &c))
		return NAN;
	return c.time_ns / 1e6;
}

/*
 * Each reference against the model (board_stage_cost(), every parameter
 * fitted on all the data) and leave-one-out (board_ref_loo_ms(): the NPU's
 * fusion factor fitted without that reference).  edgeai-plan predict gives
 * the reference itself for that setting (plan_predict_ref()).
 */
static json_object *references(const struct board *b)
{
	json_object *o = json_object_new_object(), *rows = json_object_new_array();
	struct errstat st = { 0 }, npu = { 0 }, all = { 0 }, loo = { 0 };
	int nodata = 0;

	for (int i = 0; i < board_nr_refs(b); i++) {
		const struct board_ref *r = board_ref(b, i);
		double p = whole(b, r->model, r->elem, r->step, r->host_step), l = NAN;
		json_object *j;
		char code[2] = { board_element(b, r->elem)->code, 0 };

		j = json_object_new_object();
		json_object_object_add(j, "model",
				       json_object_new_string(board_model_name(b, r->model)));
		json_object_object_add(j, "element", json_object_new_string(code));
		json_object_object_add(j, "measured_ms", json_object_new_double(r->time_ms));
		if (isnan(p) || board_ref_loo_ms(b, i, &l)) {
			nodata++;
			json_object_object_add(j, "predicted_ms", NULL);
			json_object_object_add(j, "note",
					       json_object_new_string("no per-layer data for this network there"));
		} else {
			json_object_object_add(j, "predicted_ms", json_object_new_double(p));
			json_object_object_add(j, "err_pct",
					       json_object_new_double((p - r->time_ms) / r->time_ms * 100));
			json_object_object_add(j, "loo_ms", json_object_new_double(l));
			json_object_object_add(j, "loo_err_pct",
					       json_object_new_double((l - r->time_ms) / r->time_ms * 100));
			es_add(board_element(b, r->elem)->kind == BOARD_NPU ? &npu : &st, p,
			       r->time_ms);
			es_add(&all, p, r->time_ms);
			es_add(&loo, l, r->time_ms);
		}
		json_object_array_add(rows, j);
	}
	json_object_object_add(o, "cpu_gpu", es_json(&st));
	json_object_object_add(o, "npu", es_json(&npu));
	json_object_object_add(o, "all", es_json(&all));
	json_object_object_add(o, "leave_one_out", es_json(&loo));
	json_object_object_add(o, "no_data", json_object_new_int(nodata));
	json_object_object_add(o, "rows", rows);
	return o;
}

/* Compute time only (sum of the layers' task times) at a step. */
static double compute_ms(const struct board *b, int m, int e, int s, int h)
{
	struct board_cost c;
	double t = 0;

	for (int l = 0; l < board_model_layers(b, m); l++) {
		if (board_layer_cost(b, m, l, e, s, h, &c))
			return NAN;
		t += c.time_ns / 1e6;
	}
	return t;
}

/* t = alpha + beta / f through (f0, t0) and (f1, t1), at @f. */
static double through_neighbours(double f0, double t0, double f1, double t1, double f)
{
	double beta = (t0 - t1) / (1 / f0 - 1 / f1);
	double alpha = t0 - beta / f0;

	return alpha + beta / f;
}

static json_object *dvfs(const struct board *b)
{
	json_object *o = json_object_new_object();
	struct errstat interp = { 0 }, inv = { 0 }, hinterp = { 0 };

	for (int m = 0; m < board_nr_models(b); m++)
		for (int e = 0; e < board_nr_elements(b); e++) {
			const struct board_element *el = board_element(b, e);
			int top = el->nr_steps - 1;

			if (!board_has(b, m, e) || el->khz[0] == 0)
				continue;
			for (int s = 1; s < top; s++) {
				double f0 = el->khz[s - 1], f1 = el->khz[s + 1], f = el->khz[s];
				double t0 = compute_ms(b, m, e, s - 1, -1);
				double t1 = compute_ms(b, m, e, s + 1, -1);
				double t = compute_ms(b, m, e, s, -1);
				double tt = compute_ms(b, m, e, top, -1);

				if (isnan(t0) || isnan(t1) || isnan(t))
					continue;
				es_add(&interp, through_neighbours(f0, t0, f1, t1, f), t);
				es_add(&inv, tt * el->khz[top] / f, t);
			}
			/* The host's step, leave-one-out, for a GPU (own step at top). */
			if (el->host >= 0) {
				const struct board_element *hl = board_element(b, el->host);

				for (int h = 1; h < hl->nr_steps - 1; h++) {
					double f0 = hl->khz[h - 1], f1 = hl->khz[h + 1], f = hl->khz[h];
					double t0 = compute_ms(b, m, e, top, h - 1);
					double t1 = compute_ms(b, m, e, top, h + 1);
					double t = compute_ms(b, m, e, top, h);

					if (isnan(t0) || isnan(t1) || isnan(t))
						continue;
					es_add(&hinterp, through_neighbours(f0, t0, f1, t1, f), t);
				}
			}
		}
	json_object_object_add(o, "neighbour_interpolation", es_json(&interp));
	json_object_object_add(o, "kernel_inverse_f", es_json(&inv));
	json_object_object_add(o, "host_step_interpolation", es_json(&hinterp));
	return o;
}

/* "((4, 7), (5,), ...)" -> "4,7;5;..."; "max"/"min" as such. */
static int freqs_of(const char *s, char *out, size_t len, int *n)
{
	size_t k = 0;

	*n = 0;
	if (strstr(s, "max") || strstr(s, "min")) {
		snprintf(out, len, "%s", strstr(s, "max") ? "max" : "min");
		*n = -1;
		return 0;
	}
	/* Innermost tuples: a '(' followed by digits, not by another '('. */
	for (const char *p = s; *p; p++) {
		int v[2], c = 0;
		char *end;

		if (*p != '(' || p[1] == '(')
			continue;
		p++;
		while (c < 2) {
			while (*p == ' ')
				p++;
			v[c] = (int)strtol(p, &end, 10);
			if (end == p)
				break;
			c++;
			p = end;
			while (*p == ' ')
				p++;
			if (*p == ',')
				p++;
		}
		if (!c)
			continue;
		k += snprintf(out + k, k < len ? len - k : 0, "%s%d", *n ? ";" : "", v[0]);
		if (c == 2)
			k += snprintf(out + k, k < len ? len - k : 0, ",%d", v[1]);
		if (k >= len)
			return -E2BIG;
		(*n)++;
	}
	return 0;
}

/* The classes of run the evaluation is judged by (docs/planner.md). */
enum ev_class { EV_CPU, EV_GPU, EV_NPU, EV_NPU_HEAVY, EV_GPU_HEAVY, EV_MIXED, EV_N };

static const char *const ev_class_name[EV_N] = {
	"cpu_only", "gpu_only", "npu_only", "npu_heavy_mixed", "gpu_heavy_mixed", "mixed",
};

/*
 * One element: by its kind.  Several: NPU-heavy when at least half the
 * layers are on an NPU, else GPU-heavy when at least half are on a GPU.
 */
static enum ev_class ev_class_of(const struct board *b, const struct plan_layer *ly, int nl)
{
	int kinds[3] = { 0 }, single = 1;

	for (int i = 0; i < nl; i++) {
		kinds[board_element(b, ly[i].elem)->kind]++;
		if (ly[i].elem != ly[0].elem)
			single = 0;
	}
	if (single)
		return kinds[BOARD_NPU] ? EV_NPU : kinds[BOARD_GPU] ? EV_GPU : EV_CPU;
	if (2 * kinds[BOARD_NPU] >= nl)
		return EV_NPU_HEAVY;
	if (2 * kinds[BOARD_GPU] >= nl)
		return EV_GPU_HEAVY;
	return EV_MIXED;
}

struct ev_acc {
	struct errstat all, energy, cls[EV_N];
	int rows, blank, refused[EV_N];
	json_object *refusals;	/* reason -> count */
};

static void ev_refuse(struct ev_acc *a, const char *why)
{
	json_object *n;
	char key[160];
	const char *p;

	/* The reason without its layer numbers, so that alike ones add up. */
	p = strstr(why, ": ");
	snprintf(key, sizeof(key), "%s", p && !strncmp(why, "layer", 5) ? p + 2 : why);
	n = json_object_object_get(a->refusals, key);
	json_object_object_add(a->refusals, key,
			       json_object_new_int(n ? json_object_get_int(n) + 1 : 1));
}

static int ev_file(const struct board *b, const char *path, struct ev_acc *a, char *err,
		   size_t errlen)
{
	int cg, co, cf, ct, ce;
	struct csv c;

	if (csv_read(path, &c, err, errlen))
		return -EINVAL;
	cg = csv_col(&c, "graph");
	co = csv_col(&c, "order");
	cf = csv_col(&c, "freq");
	ct = csv_col(&c, "total_time");
	ce = csv_col(&c, "total_e");
	if (cg < 0 || co < 0 || cf < 0 || ct < 0) {
		snprintf(err, errlen, "%s: needs columns graph, order, freq, total_time", path);
		csv_free(&c);
		return -EINVAL;
	}
	for (size_t r = 1; r < c.nr_rows; r++) {
		struct plan_layer ly[PLAN_MAX_LAYERS];
		struct plan_figures f;
		char fr[4096], e2[256];
		double meas, emeas = NAN;
		int m, n, nl;
		const char *ord;
		enum ev_class k;

		/* A run the board never finished has no total: not a row. */
		if (csv_blank(&c, r) || c.nr_fields[r] <= (size_t)ct ||
		    sscanf(c.rows[r][ct], "%lf", &meas) != 1 || !(meas > 0)) {
			a->blank++;
			continue;
		}
		a->rows++;
		m = board_model_by_name(b, c.rows[r][cg]);
		nl = board_model_layers(b, m);
		ord = c.rows[r][co];
		if (m < 0 || nl > PLAN_MAX_LAYERS || (int)strlen(ord) != nl ||
		    freqs_of(c.rows[r][cf], fr, sizeof(fr), &n) || (n >= 0 && n != nl) ||
		    plan_parse(b, m, ord, fr, ly, e2, sizeof(e2))) {
			ev_refuse(a, m < 0 ? "a network the board has no data for" :
				  "an order or freq the board cannot read");
			continue;
		}
		k = ev_class_of(b, ly, nl);
		if (plan_predict_ref(b, m, ly, &f, e2, sizeof(e2))) {
			a->refused[k]++;
			ev_refuse(a, e2);
			continue;
		}
		if (ce >= 0 && (size_t)ce < c.nr_fields[r])
			sscanf(c.rows[r][ce], "%lf", &emeas);
		es_add(&a->all, f.latency_ms, meas);
		es_add(&a->cls[k], f.latency_ms, meas);
		if (emeas > 0)
			es_add(&a->energy, f.energy_mj, emeas);
	}
	csv_free(&c);
	return 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/*
 * path is one file in CO-UP-Profiling's Evaluations_*.csv format, or a
 * directory: every Evaluations_*.csv in it, in name order.
 */
static json_object *evaluations(const struct board *b, const char *path, char *err,
				size_t errlen)
{
	struct ev_acc a = { 0 };
	json_object *o, *cls;
	char *names[64];
	int nf = 0, rc = 0, refused = 0;
	DIR *d = opendir(path);

	if (d) {
		struct dirent *de;

		while ((de = readdir(d)) && nf < 64)
			if (!strncmp(de->d_name, "Evaluations_", 12) &&
			    strlen(de->d_name) > 4 &&
			    !strcmp(de->d_name + strlen(de->d_name) - 4, ".csv") &&
			    asprintf(&names[nf], "%s/%s", path, de->d_name) > 0)
				nf++;
		closedir(d);
		qsort(names, nf, sizeof(names[0]), cmp_str);
		if (!nf) {
			snprintf(err, errlen, "%s: no Evaluations_*.csv in it", path);
			return NULL;
		}
	} else {
		names[nf++] = strdup(path);
	}
	a.refusals = json_object_new_object();
	for (int i = 0; i < nf; i++) {
		if (!rc && names[i])
			rc = ev_file(b, names[i], &a, err, errlen);
		else if (!names[i] && !rc) {
			snprintf(err, errlen, "out of memory");
			rc = -ENOMEM;
		}
		free(names[i]);
	}
	if (rc) {
		json_object_put(a.refusals);
		return NULL;
	}
	o = json_object_new_object();
	cls = json_object_new_object();
	for (int k = 0; k < EV_N; k++) {
		json_object *j = es_json(&a.cls[k]);

		json_object_object_add(j, "refused", json_object_new_int(a.refused[k]));
		json_object_object_add(cls, ev_class_name[k], j);
	}
	json_object_object_foreach(a.refusals, key, val) {
		(void)key;
		refused += json_object_get_int(val);
	}
	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "files", json_object_new_int(nf));
	json_object_object_add(o, "rows", json_object_new_int(a.rows));
	json_object_object_add(o, "unfinished_rows", json_object_new_int(a.blank));
	json_object_object_add(o, "refused_rows", json_object_new_int(refused));
	json_object_object_add(o, "refusals", a.refusals);
	json_object_object_add(o, "latency", es_json(&a.all));
	json_object_object_add(o, "classes", cls);
	json_object_object_add(o, "energy", es_json(&a.energy));
	return o;
}

json_object *crossval_run(const struct board *b, const char *evals, char *err,
			  size_t errlen)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "board", json_object_new_string(board_name(b)));
	json_object_object_add(o, "reference", references(b));
	json_object_object_add(o, "dvfs", dvfs(b));
	if (evals) {
		json_object *e = evaluations(b, evals, err, errlen);

		if (!e) {
			json_object_put(o);
			return NULL;
		}
		json_object_object_add(o, "evaluations", e);
	}
	return o;
}

static void stat_line(FILE *f, const char *what, json_object *s)
{
	json_object *n, *mean, *max, *sg;

	if (!s || !json_object_object_get_ex(s, "n", &n))
		return;
	json_object_object_get_ex(s, "mean_abs_pct", &mean);
	json_object_object_get_ex(s, "max_abs_pct", &max);
	json_object_object_get_ex(s, "mean_signed_pct", &sg);
	fprintf(f, "  %-44s n=%-5d mean |err| %6.2f %%  max %6.2f %%  bias %+6.2f %%\n", what,
		json_object_get_int(n), json_object_get_double(mean),
		json_object_get_double(max), json_object_get_double(sg));
}

void crossval_print(json_object *o, FILE *f)
{
	json_object *r, *rows, *d, *e, *x;

	json_object_object_get_ex(o, "reference", &r);
	json_object_object_get_ex(r, "rows", &rows);
	fprintf(f, "whole networks vs the reference file (model; leave one out):\n");
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *j = json_object_array_get_idx(rows, i), *m, *el, *me, *pr, *lo;

		json_object_object_get_ex(j, "model", &m);
		json_object_object_get_ex(j, "element", &el);
		json_object_object_get_ex(j, "measured_ms", &me);
		json_object_object_get_ex(j, "predicted_ms", &pr);
		json_object_object_get_ex(j, "loo_ms", &lo);
		fprintf(f, "  %-10s %s  measured %8.1f ms  model ", json_object_get_string(m),
			json_object_get_string(el), json_object_get_double(me));
		if (pr)
			fprintf(f, "%8.1f ms (%+6.1f %%)  left out %8.1f ms (%+6.1f %%)\n",
				json_object_get_double(pr),
				(json_object_get_double(pr) - json_object_get_double(me)) /
				json_object_get_double(me) * 100, json_object_get_double(lo),
				(json_object_get_double(lo) - json_object_get_double(me)) /
				json_object_get_double(me) * 100);
		else
			fprintf(f, "     n/a (no per-layer data: refused)\n");
	}
	stat_line(f, "CPU/GPU references", json_object_object_get(r, "cpu_gpu"));
	stat_line(f, "NPU references (fitted to them)", json_object_object_get(r, "npu"));
	stat_line(f, "every reference with data", json_object_object_get(r, "all"));
	stat_line(f, "every reference with data, left out", json_object_object_get(r, "leave_one_out"));
	json_object_object_get_ex(o, "dvfs", &d);
	fprintf(f, "frequency steps, leave one out:\n");
	json_object_object_get_ex(d, "neighbour_interpolation", &x);
	stat_line(f, "from the two neighbouring steps", x);
	json_object_object_get_ex(d, "kernel_inverse_f", &x);
	stat_line(f, "kernel's 1/f scaling from the top step", x);
	json_object_object_get_ex(d, "host_step_interpolation", &x);
	stat_line(f, "GPU host step from its neighbours", x);
	if (json_object_object_get_ex(o, "evaluations", &e)) {
		json_object *cls = json_object_object_get(e, "classes");

		const char *path = json_object_get_string(json_object_object_get(e, "path"));
		const char *base = path ? strrchr(path, '/') : NULL;

		/* The file's or folder's own name: a report does not carry the
		 * machine's paths. */
		fprintf(f, "measured end-to-end runs (%s, %d rows, %d refused, %d unfinished runs skipped):\n",
			base && base[1] ? base + 1 : path ? path : "?",
			json_object_get_int(json_object_object_get(e, "rows")),
			json_object_get_int(json_object_object_get(e, "refused_rows")),
			json_object_get_int(json_object_object_get(e, "unfinished_rows")));
		stat_line(f, "latency, every predicted row", json_object_object_get(e, "latency"));
		json_object_object_foreach(cls, k, v) {
			char what[64];

			snprintf(what, sizeof(what), "latency, %s (%d refused)", k,
				 json_object_get_int(json_object_object_get(v, "refused")));
			stat_line(f, what, v);
		}
		stat_line(f, "energy (rows that carry it)", json_object_object_get(e, "energy"));
		json_object_object_foreach(json_object_object_get(e, "refusals"), why, n)
			fprintf(f, "  refused %3d: %s\n", json_object_get_int(n), why);
	}
}
