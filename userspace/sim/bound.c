// SPDX-License-Identifier: GPL-2.0-only
/*
 * An upper bound on SLO satisfaction over one arrival trace (sim_bound(),
 * see sim.h), for any schedule whatever its placement, cuts, order,
 * admission or frequencies: not limited to edgeai's candidate plans or its
 * governor.
 *
 * Two facts every schedule obeys:
 * - a frame cannot finish sooner than its least time alone: the shortest
 *   path over its layers and the elements, each stage paying its entry,
 *   its layers and its exit on its element and the hand-off into it, at
 *   the top steps (its host's top step too): the simulator's stage times,
 *   the fastest they get.  A request of k frames run one after another
 *   needs k times that.  A job slower than its SLO alone is never met.
 * - the jobs met among those that arrive in [a, b) with deadline <= b all
 *   run between the first one's arrival and the last deadline among them:
 *   every element e is busy at most that long with them.  For any weights
 *   lambda_e >= 0 summing to 1, the weighted sum of the elements' busy
 *   times is then at most that span, and a job adds at least w_lambda, the
 *   same shortest path with each element's time weighted by lambda_e,
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
 * fastest.  What the relaxation leaves out: the host CPU's driver load,
 * that a stage cannot be split between elements or preempted, and the
 * order the windows impose on each other.
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
	const double *budget;	/* per app: the most a frame may take alone, s */
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
 * A model's times at the top steps (its host's too), s: per layer and
 * element the layer, the stage entry and exit costs a stage starting or
 * ending there pays (board_stage_cost()'s parts), and the hand-off after
 * each layer between two elements; INFINITY where the model does not run.
 */
struct mcost {
	int nl, ne;
	double *t, *in, *out, *hand;	/* [l][e], [l][e], [l][e], [l][src][dst] */
};

static int mcost_load(const struct board *b, int m, struct mcost *mc)
{
	int nl = board_model_layers(b, m), ne = board_nr_elements(b);

	mc->nl = nl;
	mc->ne = ne;
	mc->t = malloc(sizeof(double) * nl * ne * (3 + ne));
	if (!mc->t)
		return -ENOMEM;
	mc->in = mc->t + nl * ne;
	mc->out = mc->in + nl * ne;
	mc->hand = mc->out + nl * ne;
	for (int l = 0; l < nl; l++)
		for (int e = 0; e < ne; e++) {
			int te = board_top_step(b, e);
			struct board_cost c;

			mc->t[l * ne + e] = mc->in[l * ne + e] = mc->out[l * ne + e] = INFINITY;
			if (!board_has(b, m, e) || board_layer_cost(b, m, l, e, te, -1, &c))
				continue;
			mc->t[l * ne + e] = c.time_ns / 1e9;
			mc->in[l * ne + e] = board_entry_cost(b, m, l, e, te, -1, &c) ? 0 :
					     c.time_ns / 1e9;
			mc->out[l * ne + e] = board_exit_cost(b, m, l, e, te, -1, &c) ? 0 :
					      c.time_ns / 1e9;
			for (int d = 0; d < ne; d++) {
				int td = board_top_step(b, d), hs = board_element(b, e)->host;
				int hd = board_element(b, d)->host;

				mc->hand[(l * ne + e) * ne + d] =
					d == e || board_handoff_cost(b, m, l, e, te,
								     hs >= 0 ? board_top_step(b, hs) : -1,
								     d, td,
								     hd >= 0 ? board_top_step(b, hd) : -1,
								     &c) ? 0 : c.time_ns / 1e9;
			}
		}
	return 0;
}

/* A placement's (time alone, lambda-weighted busy time) pairs, non-dominated. */
#define FRONT_MAX	256

struct front {
	int n;
	double lat[FRONT_MAX], w[FRONT_MAX];
};

/* Add (lat, w) to f unless dominated; drop what it dominates. */
static void front_add(struct front *f, double lat, double w)
{
	int k = 0;

	for (int i = 0; i < f->n; i++)
		if (f->lat[i] <= lat && f->w[i] <= w)
			return;
	for (int i = 0; i < f->n; i++)
		if (!(lat <= f->lat[i] && w <= f->w[i])) {
			f->lat[k] = f->lat[i];
			f->w[k++] = f->w[i];
		}
	f->n = k;
	if (f->n == FRONT_MAX) {
		/* Too many: one point below them all keeps the bound valid. */
		double ml = lat, mw = w;

		for (int i = 0; i < f->n; i++) {
			ml = fmin(ml, f->lat[i]);
			mw = fmin(mw, f->w[i]);
		}
		f->n = 1;
		f->lat[0] = ml;
		f->w[0] = mw;
		return;
	}
	f->lat[f->n] = lat;
	f->w[f->n++] = w;
}

/*
 * Per frame, over every placement of the layers whose time alone is at
 * most budget s (each stage paying its entry, layers and exit on its
 * element and the hand-off into it: the simulator's stage time), the least
 * lambda-weighted busy time (lam NULL: the least time alone).  A frame
 * placed slower than its budget is never met, so only those count.
 * INFINITY when no placement fits the budget.
 */
static double frame_work(const struct mcost *mc, const double *lam, double budget)
{
	struct front cur[BOARD_MAX_ELEMS], nxt[BOARD_MAX_ELEMS];
	double best = INFINITY;
	int ne = mc->ne;

#define LW(e)	(lam ? lam[e] : 1)
	for (int e = 0; e < ne; e++) {
		cur[e].n = 0;
		if (!isinf(mc->t[e]) && mc->in[e] + mc->t[e] <= budget)
			front_add(&cur[e], mc->in[e] + mc->t[e], LW(e) * (mc->in[e] + mc->t[e]));
	}
	for (int l = 1; l < mc->nl; l++) {
		for (int d = 0; d < ne; d++) {
			double td = mc->t[l * ne + d];

			nxt[d].n = 0;
			if (isinf(td))
				continue;
			for (int i = 0; i < cur[d].n; i++)
				if (cur[d].lat[i] + td <= budget)
					front_add(&nxt[d], cur[d].lat[i] + td, cur[d].w[i] + LW(d) * td);
			for (int e = 0; e < ne; e++) {
				double oe, cd;

				if (e == d)
					continue;
				oe = mc->out[(l - 1) * ne + e];
				cd = mc->hand[((l - 1) * ne + e) * ne + d] + mc->in[l * ne + d] + td;
				for (int i = 0; i < cur[e].n; i++)
					if (cur[e].lat[i] + oe + cd <= budget)
						front_add(&nxt[d], cur[e].lat[i] + oe + cd,
							  cur[e].w[i] + LW(e) * oe + LW(d) * cd);
			}
		}
		memcpy(cur, nxt, sizeof(cur[0]) * ne);
	}
	for (int e = 0; e < ne; e++) {
		double o = mc->out[(mc->nl - 1) * ne + e];

		for (int i = 0; i < cur[e].n; i++)
			if (cur[e].lat[i] + o <= budget)
				best = fmin(best, lam ? cur[e].w[i] + LW(e) * o : cur[e].lat[i] + o);
	}
#undef LW
	return best;
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
		       const struct mcost *mc, double *buf)
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
				wl[i] = frame_work(&mc[i], lam, tr->budget[i]);
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
	double w[SIM_MAX_APPS], bud[SIM_MAX_APPS], *buf;
	const struct board *b = c->b;
	struct mcost mc[SIM_MAX_APPS] = { 0 };
	long met = 0, arrived = 0;
	int rc;

	if (!c->b || na < 1 || na > SIM_MAX_APPS)
		return -EINVAL;
	for (int i = 0; i < na; i++) {
		int k = apps[i].arrival == SIM_SPORADIC && apps[i].burst > 1 ? apps[i].burst : 1;

		rc = mcost_load(b, apps[i].model, &mc[i]);
		if (rc)
			goto out;
		w[i] = frame_work(&mc[i], NULL, INFINITY);
		/* A frame of a k-frame request: the SLO less the others' least time. */
		bud[i] = apps[i].slo_ms > 0 ? apps[i].slo_ms / 1e3 - (k - 1) * w[i] : INFINITY;
	}
	tr.wmin = w;
	tr.budget = bud;
	/* The trace: any policy that needs no plan; arrivals do not depend on it. */
	cc.gov = SIM_GOV_PERFORMANCE;
	cc.dispatch = SIM_ROUND_ROBIN;
	cc.admit = false;
	cc.on_arrival = on_arrival;
	cc.ctx = &tr;
	rc = sim_run(&cc, apps, na, r);
	if (rc)
		goto out;
	buf = malloc((tr.n + 1) * sizeof(*buf));
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	r->app_slo_pct = 0;
	for (int i = 0; i < na; i++) {
		struct sim_app_result *a = &r->app[i];

		a->met = apps[i].slo_ms > 0 ?
			 best_bound(&tr, i, na, b, mc, buf) : a->arrived;
		a->slo_pct = a->arrived ? 100.0 * a->met / a->arrived : 100;
		r->app_slo_pct += a->slo_pct / na;
		arrived += a->arrived;
	}
	met = best_bound(&tr, -1, na, b, mc, buf);
	/* Jobs without an SLO are met by any schedule that finishes them. */
	for (int i = 0; i < na; i++)
		if (apps[i].slo_ms <= 0)
			met += r->app[i].arrived;
	r->slo_pct = arrived ? 100.0 * met / arrived : 100;
	free(buf);
out:
	for (int i = 0; i < na; i++)
		free(mc[i].t);
	free(tr.v);
	return rc;
}
