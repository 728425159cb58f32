// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cross-validation of the cost model, see crossval.h.
 *
 * Copyright (C) 2026 The edgeai authors
 */
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

static json_object *references(const struct board *b)
{
	json_object *o = json_object_new_object(), *rows = json_object_new_array();
	struct errstat st = { 0 };

	for (int i = 0; i < board_nr_refs(b); i++) {
		const struct board_ref *r = board_ref(b, i);
		double p = whole(b, r->model, r->elem, r->step, r->host_step);
		json_object *j;
		char code[2] = { board_element(b, r->elem)->code, 0 };

		j = json_object_new_object();
		json_object_object_add(j, "model",
				       json_object_new_string(board_model_name(b, r->model)));
		json_object_object_add(j, "element", json_object_new_string(code));
		json_object_object_add(j, "measured_ms", json_object_new_double(r->time_ms));
		if (isnan(p)) {
			json_object_object_add(j, "predicted_ms", NULL);
			json_object_object_add(j, "note",
					       json_object_new_string("no data for this network there"));
		} else {
			json_object_object_add(j, "predicted_ms", json_object_new_double(p));
			json_object_object_add(j, "err_pct",
					       json_object_new_double((p - r->time_ms) / r->time_ms * 100));
			if (board_element(b, r->elem)->kind != BOARD_NPU)
				es_add(&st, p, r->time_ms);
		}
		json_object_array_add(rows, j);
	}
	json_object_object_add(o, "cpu_gpu", es_json(&st));
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
				double beta, alpha;

				if (isnan(t0) || isnan(t1) || isnan(t))
					continue;
				/* t = alpha + beta / f through the neighbours. */
				beta = (t0 - t1) / (1 / f0 - 1 / f1);
				alpha = t0 - beta / f0;
				es_add(&interp, alpha + beta / f, t);
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
					double beta, alpha;

					if (isnan(t0) || isnan(t1) || isnan(t))
						continue;
					beta = (t0 - t1) / (1 / f0 - 1 / f1);
					alpha = t0 - beta / f0;
					es_add(&hinterp, alpha + beta / f, t);
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

static json_object *evaluations(const struct board *b, const char *path, char *err,
				size_t errlen)
{
	int cg, co, cf, ct, ce;
	struct errstat st = { 0 }, se = { 0 }, s1 = { 0 }, sm = { 0 };
	json_object *o;
	int skipped = 0;
	struct csv c;

	if (csv_read(path, &c, err, errlen))
		return NULL;
	cg = csv_col(&c, "graph");
	co = csv_col(&c, "order");
	cf = csv_col(&c, "freq");
	ct = csv_col(&c, "total_time");
	ce = csv_col(&c, "total_e");
	if (cg < 0 || co < 0 || cf < 0 || ct < 0) {
		snprintf(err, errlen, "%s: needs columns graph, order, freq, total_time", path);
		csv_free(&c);
		return NULL;
	}
	for (size_t r = 1; r < c.nr_rows; r++) {
		struct plan_layer ly[PLAN_MAX_LAYERS];
		struct plan_figures f;
		char fr[4096], e2[256];
		double meas, emeas = NAN;
		int m, n, single = 1;
		const char *ord;

		if (csv_blank(&c, r) || c.nr_fields[r] <= (size_t)ct) {
			skipped++;
			continue;
		}
		m = board_model_by_name(b, c.rows[r][cg]);
		ord = c.rows[r][co];
		if (m < 0 || (int)strlen(ord) != board_model_layers(b, m) ||
		    board_model_layers(b, m) > PLAN_MAX_LAYERS ||
		    freqs_of(c.rows[r][cf], fr, sizeof(fr), &n) ||
		    (n >= 0 && n != board_model_layers(b, m)) ||
		    sscanf(c.rows[r][ct], "%lf", &meas) != 1 || !(meas > 0) ||
		    plan_parse(b, m, ord, fr, ly, e2, sizeof(e2)) ||
		    plan_predict(b, m, ly, &f, e2, sizeof(e2))) {
			skipped++;
			continue;
		}
		if (ce >= 0 && (size_t)ce < c.nr_fields[r])
			sscanf(c.rows[r][ce], "%lf", &emeas);
		for (const char *p = ord; *p; p++)
			if (*p != ord[0])
				single = 0;
		es_add(&st, f.latency_ms, meas);
		es_add(single ? &s1 : &sm, f.latency_ms, meas);
		if (emeas > 0)
			es_add(&se, f.energy_mj, emeas);
	}
	csv_free(&c);
	o = json_object_new_object();
	json_object_object_add(o, "file", json_object_new_string(path));
	json_object_object_add(o, "latency", es_json(&st));
	json_object_object_add(o, "latency_single_element", es_json(&s1));
	json_object_object_add(o, "latency_mixed", es_json(&sm));
	json_object_object_add(o, "energy", es_json(&se));
	json_object_object_add(o, "skipped_rows", json_object_new_int(skipped));
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
	fprintf(f, "whole networks vs literature figures:\n");
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *j = json_object_array_get_idx(rows, i), *m, *el, *me, *pr;

		json_object_object_get_ex(j, "model", &m);
		json_object_object_get_ex(j, "element", &el);
		json_object_object_get_ex(j, "measured_ms", &me);
		json_object_object_get_ex(j, "predicted_ms", &pr);
		fprintf(f, "  %-10s %s  quoted %8.1f ms  predicted ", json_object_get_string(m),
			json_object_get_string(el), json_object_get_double(me));
		if (pr)
			fprintf(f, "%8.1f ms  (%+.1f %%)\n", json_object_get_double(pr),
				(json_object_get_double(pr) - json_object_get_double(me)) /
				json_object_get_double(me) * 100);
		else
			fprintf(f, "     n/a (no data)\n");
	}
	json_object_object_get_ex(r, "cpu_gpu", &x);
	stat_line(f, "CPU/GPU references", x);
	json_object_object_get_ex(o, "dvfs", &d);
	fprintf(f, "frequency steps, leave one out:\n");
	json_object_object_get_ex(d, "neighbour_interpolation", &x);
	stat_line(f, "from the two neighbouring steps", x);
	json_object_object_get_ex(d, "kernel_inverse_f", &x);
	stat_line(f, "kernel's 1/f scaling from the top step", x);
	json_object_object_get_ex(d, "host_step_interpolation", &x);
	stat_line(f, "GPU host step from its neighbours", x);
	if (json_object_object_get_ex(o, "evaluations", &e)) {
		fprintf(f, "measured end-to-end runs (%s):\n",
			json_object_get_string(json_object_object_get(e, "file")));
		stat_line(f, "latency, all", json_object_object_get(e, "latency"));
		stat_line(f, "latency, one element", json_object_object_get(e, "latency_single_element"));
		stat_line(f, "latency, mixed placements", json_object_object_get(e, "latency_mixed"));
		stat_line(f, "energy", json_object_object_get(e, "energy"));
	}
}
