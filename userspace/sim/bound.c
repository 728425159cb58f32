// SPDX-License-Identifier: GPL-2.0-only
/*
 * An upper bound on SLO satisfaction over one arrival trace (sim_bound(),
 * see sim.h), for any schedule whatever its placement, cuts, order,
 * admission or frequencies: not limited to edgeai's candidate plans or its
 * governor.
 *
 * Two facts every schedule obeys:
 * - a frame cannot finish sooner than the sum over its layers of the
 *   layer's least time on any element at the top step (its host's top
 *   step too), the first counting the frame's input and the last its
 *   output on that element, every other copy and hand-off free; a request of k frames run one
 *   after another needs k times that.  A job slower than its SLO alone is
 *   never met.
 * - the jobs met among those that arrive in [a, b) with deadline <= b all
 *   run between the first one's arrival and the last deadline among them:
 *   every element e is busy at most that long with them.
 *   For any weights lambda_e >= 0 summing to 1, the weighted sum of the
 *   elements' busy times is then at most b - a, and a job adds at least
 *   w_lambda = sum over layers of min_e lambda_e x t(layer, e) to it
 *   whatever its placement (a Lagrangian relaxation of the per-element
 *   capacities).
 * For a partition of time into windows and one lambda, the most jobs any
 * schedule meets is at most, per window, the most jobs whose w_lambda fit
 * that span (the smallest first: exact for one capacity), plus every
 * individually feasible job that straddles two windows.  Each partition
 * and lambda gives a valid bound; the least over window lengths, offsets
 * and a grid of lambdas is kept.  The per-application bound is the same
 * with the other applications' jobs left out (an application alone can do
 * no worse).  Frequencies only change energy here: the top steps are the
 * fastest.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"

#define LAMBDA_GRID	6	/* lambda_e in multiples of 1/LAMBDA_GRID */

struct barr {
	int app, frames;
	double t, dl;		/* s */
	double w;		/* least time alone, s */
};

struct trace {
	struct barr *v;
	size_t n, cap;
	const struct sim_app *apps;
	const double *wmin;	/* per app, per frame, s */
	const double *wlam;	/* per app, per frame, under the current lambda */
};

static void on_arrival(void *ctx, int app, double t, int frames)
{
	struct trace *tr = ctx;

	if (tr->n == tr->cap) {
		size_t cap = tr->cap ? tr->cap * 2 : 1024;
		struct barr *v = realloc(tr->v, cap * sizeof(*v));

		if (!v)
			return;
		tr->v = v;
		tr->cap = cap;
	}
	tr->v[tr->n++] = (struct barr){ app, frames, t,
		tr->apps[app].slo_ms > 0 ? t + tr->apps[app].slo_ms / 1e3 : INFINITY,
		frames * tr->wmin[app] };
}

/*
 * Per frame of model m: the least time alone (lam NULL) or w_lambda, s;
 * t[l][e] is layer l's time on element e at the top step (INFINITY where
 * the model does not run).
 */
static double frame_work(const struct board *b, int m, const double *lam)
{
	int nl = board_model_layers(b, m);
	double w = 0;

	for (int l = 0; l < nl; l++) {
		double best = INFINITY;

		for (int e = 0; e < board_nr_elements(b); e++) {
			struct board_cost c;
			double x;

			if (!board_has(b, m, e) ||
			    board_layer_cost(b, m, l, e, board_top_step(b, e), -1, &c))
				continue;
			x = c.time_ns;
			/* The frame's input is read where layer 0 runs, its output where the last does. */
			if (l == 0 && !board_entry_cost(b, m, 0, e, board_top_step(b, e), -1, &c))
				x += c.time_ns;
			if (l == nl - 1 && !board_exit_cost(b, m, l, e, board_top_step(b, e), -1, &c))
				x += c.time_ns;
			x *= (lam ? lam[e] : 1) / 1e9;
			if (x < best)
				best = x;
		}
		w += best;
	}
	return w;
}

static int cmp_w(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Jobs of app (-1: all) met at most, windows of length len from off. */
static long partition_bound(const struct trace *tr, int app, double len, double off,
			    double *buf)
{
	double used = 0;
	long met = 0;
	size_t i = 0, nb;

	/* tr->v is in arrival order; walk window by window. */
	while (i < tr->n) {
		double a, b, lo, hi;

		if (app >= 0 && tr->v[i].app != app) {
			i++;
			continue;
		}
		a = off + floor((tr->v[i].t - off) / len) * len;
		b = a + len;
		nb = 0;
		lo = INFINITY;
		hi = -INFINITY;
		for (; i < tr->n && tr->v[i].t < b; i++) {
			const struct barr *x = &tr->v[i];

			/* Without an SLO: counted by the caller. */
			if ((app >= 0 && x->app != app) || isinf(x->dl) || x->w > x->dl - x->t)
				continue;
			if (x->dl <= b) {
				buf[nb++] = x->frames * tr->wlam[x->app];
				lo = fmin(lo, x->t);
				hi = fmax(hi, x->dl);
			}
			else
				met++;	/* straddles: only its own feasibility */
		}
		qsort(buf, nb, sizeof(*buf), cmp_w);
		used = 0;
		for (size_t k = 0; k < nb && (used += buf[k]) <= hi - lo; k++)
			met++;
	}
	return met;
}

static long best_bound(struct trace *tr, int app, int na, const struct board *b,
		       double *buf)
{
	static const double lens[] = { 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2,
				       3, 5, 10, 30, 1e6 };
	int ne = board_nr_elements(b), g[BOARD_MAX_ELEMS] = { 0 };
	double lam[BOARD_MAX_ELEMS], wl[SIM_MAX_APPS];
	long best = LONG_MAX;

	tr->wlam = wl;
	/* Every lambda on the grid: g[] sums to LAMBDA_GRID. */
	for (;;) {
		int sum = 0, e;

		for (e = 0; e < ne - 1; e++)
			sum += g[e];
		if (sum <= LAMBDA_GRID) {
			g[ne - 1] = LAMBDA_GRID - sum;
			for (e = 0; e < ne; e++)
				lam[e] = (double)g[e] / LAMBDA_GRID;
			for (int i = 0; i < na; i++)
				wl[i] = frame_work(b, tr->apps[i].model, lam);
			for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++)
				for (int o = 0; o < 4; o++) {
					long m = partition_bound(tr, app, lens[k], -lens[k] * o / 4,
								 buf);

					if (m < best)
						best = m;
				}
		}
		for (e = 0; e < ne - 1; e++) {
			if (++g[e] <= LAMBDA_GRID)
				break;
			g[e] = 0;
		}
		if (e >= ne - 1)
			break;
	}
	return best;
}

int sim_bound(const struct sim_config *c, const struct sim_app *apps, int na,
	      struct sim_result *r)
{
	struct sim_config cc = *c;
	struct trace tr = { .apps = apps };
	double w[SIM_MAX_APPS], *buf;
	const struct board *b = c->b;
	long met = 0, arrived = 0;
	int rc;

	if (!c->b || na < 1 || na > SIM_MAX_APPS)
		return -EINVAL;
	for (int i = 0; i < na; i++)
		w[i] = frame_work(b, apps[i].model, NULL);
	tr.wmin = w;
	/* The trace: any policy that needs no plan; arrivals do not depend on it. */
	cc.gov = SIM_GOV_PERFORMANCE;
	cc.dispatch = SIM_ROUND_ROBIN;
	cc.admit = false;
	cc.on_arrival = on_arrival;
	cc.ctx = &tr;
	rc = sim_run(&cc, apps, na, r);
	if (rc) {
		free(tr.v);
		return rc;
	}
	buf = malloc((tr.n + 1) * sizeof(*buf));
	if (!buf) {
		free(tr.v);
		return -ENOMEM;
	}
	r->app_slo_pct = 0;
	for (int i = 0; i < na; i++) {
		struct sim_app_result *a = &r->app[i];

		a->met = apps[i].slo_ms > 0 ?
			 best_bound(&tr, i, na, b, buf) : a->arrived;
		a->slo_pct = a->arrived ? 100.0 * a->met / a->arrived : 100;
		r->app_slo_pct += a->slo_pct / na;
		arrived += a->arrived;
	}
	met = best_bound(&tr, -1, na, b, buf);
	/* Jobs without an SLO are met by any schedule that finishes them. */
	for (int i = 0; i < na; i++)
		if (apps[i].slo_ms <= 0)
			met += r->app[i].arrived;
	r->slo_pct = arrived ? 100.0 * met / arrived : 100;
	free(buf);
	free(tr.v);
	return 0;
}
