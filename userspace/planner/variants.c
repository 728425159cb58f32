// SPDX-License-Identifier: GPL-2.0-only
/*
 * Precision variants (variants.h): per-layer choice between fp32 on a CPU
 * cluster or the GPU and int8 on the NPU under a declared accuracy floor.
 *
 * The search space is every placement of every layer on the elements that
 * have data for it; a placement's cost is plan_predict()'s (hand-offs,
 * NPU calls and switches included), at the elements' top steps, and its
 * accuracy the declared one (var_layer_loss()).  Small spaces are
 * enumerated; larger ones go to a genetic search over the per-layer
 * choice, as PiQi (ISLPED'24) searches per-layer precision on this very
 * board: a population of placements, tournament selection, uniform
 * crossover, per-layer mutation, the best kept from one generation to the
 * next, and feasibility first (a placement under the floor ranks below
 * every one above it, the nearer the floor the better); then a local
 * search on its best that moves runs of consecutive layers to one element
 * (edgeai's addition: it closes gaps the genetic search alone left).  Its parameters
 * and how near it comes to the optimum are in docs/planner.md;
 * tests/unit/variants_test compares it with enumeration.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "variants.h"

#define GA_POP		48
#define GA_GENS		300
#define GA_STALL	60	/* generations without a better best: stop */
#define GA_TOUR		3
#define GA_ELITE	2
#define GA_RUNS		4	/* independent runs, the best kept */
#define ACC_EPS		1e-9

struct space {
	const struct board *b;
	int model, nl;
	int cand[PLAN_MAX_LAYERS][BOARD_MAX_ELEMS];
	int ncand[PLAN_MAX_LAYERS];
	double loss[PLAN_MAX_LAYERS];
	double fp32_pct, floor_pct;
	enum plan_goal goal;
	long evaluated;
};

/* A placement as per-layer indices into space.cand, and what it costs. */
struct genome {
	unsigned char g[PLAN_MAX_LAYERS];
	bool ok;		/* plan_predict() could cost it */
	double obj;		/* latency (ms) or energy (mJ) */
	double acc;		/* declared top-1, % */
};

int var_layer_loss(const struct board *b, int model, const struct acc_quant *q,
		   double *loss, char *err, size_t errlen)
{
	int nl = board_model_layers(b, model), npu = -1;
	double t[PLAN_MAX_LAYERS], sum = 0;

	for (int e = 0; e < board_nr_elements(b); e++)
		if (board_element(b, e)->kind == BOARD_NPU && board_has(b, model, e))
			npu = e;
	if (nl < 1 || nl > PLAN_MAX_LAYERS) {
		snprintf(err, errlen, "model has %d layers", nl);
		return -EINVAL;
	}
	for (int l = 0; l < nl; l++) {
		struct board_cost c = { 0 };

		t[l] = 0;
		if (npu >= 0 && !board_layer_cost(b, model, l, npu, 0, -1, &c))
			t[l] = (double)c.time_ns;
		sum += t[l];
	}
	for (int l = 0; l < nl; l++)
		loss[l] = sum > 0 ? (q->fp32_pct - q->int8_pct) * t[l] / sum : 0;
	return 0;
}

static int top_step(const struct board *b, int e)
{
	return board_element(b, e)->nr_steps - 1;
}

static void layers_of(const struct space *sp, const struct genome *x, struct plan_layer *out)
{
	for (int l = 0; l < sp->nl; l++) {
		int e = sp->cand[l][x->g[l]];

		out[l] = (struct plan_layer){ e, top_step(sp->b, e), -1 };
	}
}

static void eval(struct space *sp, struct genome *x, struct plan_figures *fig)
{
	struct plan_layer layers[PLAN_MAX_LAYERS];
	struct plan_figures f;
	char err[128];

	layers_of(sp, x, layers);
	x->acc = sp->fp32_pct;
	for (int l = 0; l < sp->nl; l++)
		if (board_element(sp->b, layers[l].elem)->kind == BOARD_NPU)
			x->acc -= sp->loss[l];
	x->ok = !plan_predict(sp->b, sp->model, layers, &f, err, sizeof(err));
	x->obj = sp->goal == PLAN_ENERGY ? f.energy_mj : f.latency_ms;
	if (fig && x->ok)
		*fig = f;
	sp->evaluated++;
}

static bool feasible(const struct space *sp, const struct genome *x)
{
	return x->ok && x->acc >= sp->floor_pct - ACC_EPS;
}

/* Whether x ranks before y: feasible first, then cost; else accuracy. */
static bool better(const struct space *sp, const struct genome *x, const struct genome *y)
{
	bool fx = feasible(sp, x), fy = feasible(sp, y);

	if (fx != fy)
		return fx;
	if (fx)
		return x->obj < y->obj;
	if (x->ok != y->ok)
		return x->ok;
	return x->acc > y->acc;
}

static long space_size(const struct space *sp)
{
	long n = 1;

	for (int l = 0; l < sp->nl; l++) {
		if (n > LONG_MAX / sp->ncand[l])
			return LONG_MAX;
		n *= sp->ncand[l];
	}
	return n;
}

static void exhaustive(struct space *sp, struct genome *best)
{
	struct genome x;
	bool have = false;
	int l;

	memset(&x, 0, sizeof(x));
	for (;;) {
		eval(sp, &x, NULL);
		if (!have || better(sp, &x, best)) {
			*best = x;
			have = true;
		}
		for (l = 0; l < sp->nl; l++) {
			if (++x.g[l] < sp->ncand[l])
				break;
			x.g[l] = 0;
		}
		if (l == sp->nl)
			break;
	}
}

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int below(uint64_t *s, int n)
{
	return (int)(rnd(s) % (uint64_t)n);
}

static const struct genome *tournament(const struct space *sp, const struct genome *pop,
				       uint64_t *s)
{
	const struct genome *w = &pop[below(s, GA_POP)];

	for (int k = 1; k < GA_TOUR; k++) {
		const struct genome *c = &pop[below(s, GA_POP)];

		if (better(sp, c, w))
			w = c;
	}
	return w;
}

static int rank_cmp(const void *a, const void *b, void *ctx)
{
	const struct genome *x = a, *y = b;
	const struct space *sp = ctx;

	return better(sp, x, y) ? -1 : better(sp, y, x) ? 1 : 0;
}

static void genetic(struct space *sp, uint64_t seed, struct genome *best)
{
	struct genome pop[GA_POP], next[GA_POP];
	uint64_t s = seed ? seed : 1;
	int i = 0, stall = 0;

	/* Every all-on-one-element placement that exists, then random ones. */
	for (int e = 0; e < BOARD_MAX_ELEMS && i < GA_POP; e++) {
		bool all = true;

		for (int l = 0; l < sp->nl && all; l++) {
			int k;

			for (k = 0; k < sp->ncand[l] && sp->cand[l][k] != e; k++)
				;
			all = k < sp->ncand[l];
			pop[i].g[l] = (unsigned char)k;
		}
		if (all)
			eval(sp, &pop[i++], NULL);
	}
	for (; i < GA_POP; i++) {
		for (int l = 0; l < sp->nl; l++)
			pop[i].g[l] = (unsigned char)below(&s, sp->ncand[l]);
		eval(sp, &pop[i], NULL);
	}
	qsort_r(pop, GA_POP, sizeof(pop[0]), rank_cmp, sp);
	*best = pop[0];
	for (int gen = 0; gen < GA_GENS && stall < GA_STALL; gen++) {
		for (i = 0; i < GA_ELITE; i++)
			next[i] = pop[i];
		for (; i < GA_POP; i++) {
			const struct genome *a = tournament(sp, pop, &s), *b = tournament(sp, pop, &s);
			struct genome *c = &next[i];

			for (int l = 0; l < sp->nl; l++) {
				c->g[l] = rnd(&s) & 1 ? a->g[l] : b->g[l];
				if (below(&s, sp->nl) == 0)
					c->g[l] = (unsigned char)below(&s, sp->ncand[l]);
			}
			eval(sp, c, NULL);
		}
		memcpy(pop, next, sizeof(pop));
		qsort_r(pop, GA_POP, sizeof(pop[0]), rank_cmp, sp);
		if (better(sp, &pop[0], best)) {
			*best = pop[0];
			stall = 0;
		} else {
			stall++;
		}
	}
}

/*
 * A local search on the genetic search's best: move a run of consecutive
 * layers (one layer too) to one element while that ranks better, until no
 * such move does.  Runs, not single layers: an NPU call has a fixed cost,
 * so moving one layer at a time onto it rarely pays on its own.
 */
static void polish(struct space *sp, struct genome *best)
{
	bool moved = true;

	while (moved) {
		moved = false;
		for (int i = 0; i < sp->nl; i++)
			for (int j = i; j < sp->nl; j++)
				for (int e = 0; e < board_nr_elements(sp->b); e++) {
					struct genome x = *best;
					bool all = true, same = true;

					for (int l = i; l <= j && all; l++) {
						int k;

						for (k = 0; k < sp->ncand[l] && sp->cand[l][k] != e; k++)
							;
						all = k < sp->ncand[l];
						same &= x.g[l] == k;
						x.g[l] = (unsigned char)k;
					}
					if (!all || same)
						continue;
					eval(sp, &x, NULL);
					if (better(sp, &x, best)) {
						*best = x;
						moved = true;
					}
				}
	}
}

int var_plan(const struct board *b, int model, const struct acc_quant *q,
	     const struct var_opts *o, struct var_result *r, char *err, size_t errlen)
{
	struct space sp;
	struct genome best;
	long max = o->exhaustive_max > 0 ? o->exhaustive_max : VAR_EXHAUSTIVE_MAX;
	int ret;

	memset(r, 0, sizeof(*r));
	memset(&sp, 0, sizeof(sp));
	if (o->goal != PLAN_LATENCY && o->goal != PLAN_ENERGY) {
		snprintf(err, errlen, "precision variants plan for latency or energy");
		return -EINVAL;
	}
	sp.b = b;
	sp.model = model;
	sp.nl = board_model_layers(b, model);
	sp.goal = o->goal;
	sp.fp32_pct = q->fp32_pct;
	sp.floor_pct = o->floor_pct;
	ret = var_layer_loss(b, model, q, sp.loss, err, errlen);
	if (ret)
		return ret;
	for (int l = 0; l < sp.nl; l++)
		for (int e = 0; e < board_nr_elements(b); e++)
			if ((!o->elems || (o->elems & (1u << e))) && board_has(b, model, e))
				sp.cand[l][sp.ncand[l]++] = e;
	if (!sp.ncand[0]) {
		snprintf(err, errlen, "no allowed element has data for %s",
			 board_model_name(b, model));
		return -ENOENT;
	}
	r->space = space_size(&sp);
	r->exhaustive = o->search == VAR_EXHAUSTIVE ||
			(o->search == VAR_AUTO && r->space <= max);
	if (r->exhaustive && r->space > (1L << 26)) {
		snprintf(err, errlen, "%ld placements are too many to enumerate", r->space);
		return -E2BIG;
	}
	if (r->exhaustive) {
		exhaustive(&sp, &best);
	} else {
		/* Independent runs from seeds seed, seed + 1, ...: the best. */
		for (int k = 0; k < GA_RUNS; k++) {
			struct genome x;

			genetic(&sp, o->seed + (uint64_t)k, &x);
			polish(&sp, &x);
			if (!k || better(&sp, &x, &best))
				best = x;
		}
	}
	r->evaluated = sp.evaluated;
	if (!feasible(&sp, &best)) {
		snprintf(err, errlen, "no placement meets %.2f %% (the best declared: %.2f %%)",
			 o->floor_pct, best.ok ? best.acc : q->fp32_pct);
		return -ENOENT;
	}
	r->nr_layers = sp.nl;
	layers_of(&sp, &best, r->layers);
	eval(&sp, &best, &r->fig);
	r->accuracy_pct = best.acc;
	for (int l = 0; l < sp.nl; l++)
		r->int8_layers += board_element(b, r->layers[l].elem)->kind == BOARD_NPU;
	return 0;
}

int var_to_plan(const struct board *b, int model, const struct var_result *r,
		enum plan_goal goal, struct plan *p)
{
	memset(p, 0, sizeof(*p));
	p->model = model;
	p->goal = goal;
	for (int l = 0; l < r->nr_layers; l++) {
		const struct board_element *el = board_element(b, r->layers[l].elem);
		struct plan_stage *st;

		if (p->nr_stages && p->stages[p->nr_stages - 1].elem == r->layers[l].elem) {
			p->stages[p->nr_stages - 1].nr_layers++;
			continue;
		}
		if (p->nr_stages == PLAN_MAX_STAGES)
			return -E2BIG;
		st = &p->stages[p->nr_stages++];
		st->elem = r->layers[l].elem;
		st->first_layer = l;
		st->nr_layers = 1;
		st->step = r->layers[l].step;
		st->host_step = el->host >= 0 ? top_step(b, el->host) : -1;
	}
	return plan_fill(b, model, p);
}
