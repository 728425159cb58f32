// SPDX-License-Identifier: GPL-2.0-only
/*
 * libplan: cost model and planners, see plan.h and docs/planner.md.
 *
 * Planners work on per-layer tables of one "configuration" (a step per
 * element, a GPU/NPU host at the step of its host element) built from the
 * board's stage pieces (entry, layer, exit, hand-off), so that a dynamic
 * programme over layers adds up exactly what board_stage_cost() and
 * board_handoff_cost() would give for the stages it forms.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "errbuf.h"
#include "plan.h"

#define E_MAX	BOARD_MAX_ELEMS

static int host_of(const struct board *b, int e)
{
	return board_element(b, e)->host;
}

/* ---------------------------------------------------------------- predict */

struct acc {
	double t_ms, e_uj;
};

static void add_cost(struct acc *a, const struct board_cost *c)
{
	a->t_ms += c->time_ns / 1e6;
	a->e_uj += c->energy_uj;
}

/* A frequency switch stalls the layer about to run, at its power. */
static void add_switch(struct acc *a, uint64_t ns, const struct board_cost *layer)
{
	double mw = layer->time_ns ? layer->energy_uj / (layer->time_ns / 1e6) : 0;

	a->t_ms += ns / 1e6;
	a->e_uj += ns / 1e6 * mw;
}

/*
 * A run of NPU layers longer than the networks its fusion factor was
 * calibrated on is an extrapolation the data cannot back: refused.
 */
static int run_check(const struct board *b, const struct plan_layer *ly, int i,
		     int nl, char *err, size_t errlen)
{
	int e = ly[i].elem, cal = board_npu_calibrated_layers(b, e), j = i;

	if (!cal || (i > 0 && ly[i - 1].elem == e))
		return 0;
	while (j + 1 < nl && ly[j + 1].elem == e)
		j++;
	if (j - i + 1 <= cal)
		return 0;
	errbuf_set(err, errlen, "layers %d-%d: a run of %d layers on %c is longer than the whole-network references its one-call cost is calibrated on (%d layers); the data cannot predict it",
		   i, j, j - i + 1, board_element(b, e)->code, cal);
	return -ERANGE;
}

/*
 * A whole network on one element at one setting with a measured
 * reference takes the reference's time (energy scaled with it).
 */
static void whole_ref(const struct board *b, int m, const struct plan_layer *ly, int nl,
		      struct plan_figures *f)
{
	const struct board_ref *r;
	int i;

	for (i = 1; i < nl; i++)
		if (ly[i].elem != ly[0].elem || ly[i].step != ly[0].step ||
		    ly[i].host_step != ly[0].host_step)
			return;
	r = board_ref(b, board_ref_find(b, m, ly[0].elem, ly[0].step, ly[0].host_step));
	if (!r || !(f->latency_ms > 0))
		return;
	f->energy_mj *= r->time_ms / f->latency_ms;
	f->latency_ms = r->time_ms;
	f->throughput_fps = 1000 / r->time_ms;
}

int plan_predict(const struct board *b, int m, const struct plan_layer *ly,
		 struct plan_figures *out, char *err, size_t errlen)
{
	int nl = board_model_layers(b, m), last[E_MAX], run_h = -1, prev_h = -1;
	struct acc a = { 0, 0 };
	struct board_cost c, lc;

	memset(out, 0, sizeof(*out));
	if (nl < 1) {
		errbuf_set(err, errlen, "unknown model");
		return -EINVAL;
	}
	for (int e = 0; e < E_MAX; e++)
		last[e] = -1;
	for (int i = 0; i < nl; i++) {
		int e = ly[i].elem, s = ly[i].step, h = ly[i].host_step, he, rc;

		if (!board_element(b, e)) {
			errbuf_set(err, errlen, "layer %d: no such element", i);
			return -EINVAL;
		}
		he = host_of(b, e);
		if (he >= 0 && (h < 0 || h > board_top_step(b, he)))
			h = board_top_step(b, he);
		/* One call runs at the host step it was started with. */
		if (i > 0 && ly[i - 1].elem == e && board_one_call(b, e))
			h = run_h;
		else
			run_h = h;
		rc = board_layer_cost(b, m, i, e, s, h, &lc);
		if (rc == -ENOENT) {
			static const char *const kind[] = { "CPU", "GPU", "NPU" };
			const struct board_element *el = board_element(b, e);
			char at[64] = "";

			/* Say whether the network is missing there, or one setting. */
			if (board_has(b, m, e) && he >= 0)
				snprintf(at, sizeof(at), " at step %d, host step %d", s, h);
			else if (board_has(b, m, e))
				snprintf(at, sizeof(at), " at step %d", s);
			errbuf_set(err, errlen, "layer %d: the data has no %s figures for %s on %c (%s)%s",
				   i, kind[el->kind], board_model_name(b, m), el->code, el->name, at);
			return rc;
		}
		if (rc) {
			errbuf_set(err, errlen, "layer %d: %c step %d/%d out of range", i,
				   board_element(b, e)->code, s, h);
			return rc;
		}
		/* Switches: the element's own step, and its host's. */
		if (last[e] >= 0 && last[e] != s)
			add_switch(&a, board_switch_ns(b, e, last[e], s), &lc);
		last[e] = s;
		if (he >= 0) {
			if (last[he] >= 0 && last[he] != h)
				add_switch(&a, board_switch_ns(b, he, last[he], h), &lc);
			last[he] = h;
		}
		if (i == 0 || ly[i - 1].elem != e) {
			if (i > 0) {
				const struct plan_layer *p = &ly[i - 1];

				board_handoff_cost(b, m, i - 1, p->elem, p->step, prev_h,
						   e, s, h, &c);
				add_cost(&a, &c);
			}
			board_entry_cost(b, m, i, e, s, h, &c);
			add_cost(&a, &c);
		}
		add_cost(&a, &lc);
		if (i == nl - 1 || ly[i + 1].elem != e) {
			board_exit_cost(b, m, i, e, s, h, &c);
			add_cost(&a, &c);
		}
		prev_h = h;
	}
	out->latency_ms = a.t_ms;
	out->energy_mj = a.e_uj / 1000;
	out->power_w = a.t_ms > 0 ? out->energy_mj / a.t_ms : 0;
	out->throughput_fps = a.t_ms > 0 ? 1000 / a.t_ms : 0;
	return 0;
}

int plan_predict_ref(const struct board *b, int m, const struct plan_layer *ly,
		     struct plan_figures *out, char *err, size_t errlen)
{
	int nl = board_model_layers(b, m), rc;

	rc = plan_predict(b, m, ly, out, err, errlen);
	for (int i = 0; !rc && i < nl; i++)
		rc = run_check(b, ly, i, nl, err, errlen);
	if (rc) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	whole_ref(b, m, ly, nl, out);
	return 0;
}

int plan_parse(const struct board *b, int m, const char *order, const char *freqs,
	       struct plan_layer *ly, char *err, size_t errlen)
{
	int nl = board_model_layers(b, m);
	const char *p = freqs;
	bool mx = !strcmp(freqs, "max"), mn = !strcmp(freqs, "min");

	if (nl < 1) {
		errbuf_set(err, errlen, "unknown model");
		return -EINVAL;
	}
	if ((int)strlen(order) != nl) {
		errbuf_set(err, errlen, "--order has %zu letters, %s has %d layers",
			   strlen(order), board_model_name(b, m), nl);
		return -EINVAL;
	}
	for (int i = 0; i < nl; i++) {
		int e = board_element_by_code(b, order[i]), he, s, h = -1;
		const struct board_element *el;
		char *end;

		if (e < 0) {
			errbuf_set(err, errlen, "--order: '%c' is not an element of %s",
				   order[i], board_name(b));
			return -EINVAL;
		}
		el = board_element(b, e);
		he = el->host;
		if (mx || mn) {
			s = mx ? el->nr_steps - 1 : 0;
			h = he >= 0 ? (mx ? board_top_step(b, he) : 0) : -1;
		} else {
			long v, w = -1;

			v = strtol(p, &end, 10);
			if (end == p) {
				errbuf_set(err, errlen, "--freqs: entry %d is not a step", i + 1);
				return -EINVAL;
			}
			p = end;
			if (*p == ',') {
				p++;
				w = strtol(p, &end, 10);
				if (end == p) {
					errbuf_set(err, errlen, "--freqs: entry %d: no host step after ','",
						   i + 1);
					return -EINVAL;
				}
				p = end;
			}
			if (i < nl - 1 ? *p != ';' : *p != '\0') {
				errbuf_set(err, errlen, "--freqs: need %d entries separated by ';' (at entry %d)",
					   nl, i + 1);
				return -EINVAL;
			}
			if (*p)
				p++;
			if (el->khz[0] == 0 && el->nr_steps == 1) {
				/* No DVFS: a single number is the host's step. */
				s = 0;
				h = w >= 0 ? (int)w : (int)v;
			} else {
				s = (int)v;
				h = (int)w;
			}
			if (s < 0 || s >= el->nr_steps) {
				errbuf_set(err, errlen, "--freqs: entry %d: step %d out of range 0..%d for %c",
					   i + 1, s, el->nr_steps - 1, el->code);
				return -EINVAL;
			}
			if (he < 0 && w >= 0) {
				errbuf_set(err, errlen, "--freqs: entry %d: %c has no host step", i + 1,
					   el->code);
				return -EINVAL;
			}
			if (he >= 0 && h < 0)
				h = board_top_step(b, he);
			if (he >= 0 && h > board_top_step(b, he)) {
				errbuf_set(err, errlen, "--freqs: entry %d: host step %d out of range", i + 1, h);
				return -EINVAL;
			}
		}
		ly[i].elem = e;
		ly[i].step = s;
		ly[i].host_step = he >= 0 ? h : -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- tables */

struct cost3 {
	double t, e, d;		/* ms, whole-board uJ, dynamic uJ */
};

struct tab {
	int nl, ne;
	int step[E_MAX], host[E_MAX];	/* per element: its step, its host's */
	bool ok[E_MAX];
	struct cost3 *task, *entry, *exit_;	/* [e][l] */
	struct cost3 *ho;			/* [l][src][dst], after layer l */
	struct cost3 *pre;			/* prefix sums of task: [e][l + 1] */
};

#define TIX(t, e, l)		((e) * (t)->nl + (l))
#define HIX(t, l, s, d)		(((l) * (t)->ne + (s)) * (t)->ne + (d))
#define PIX(t, e, l)		((e) * ((t)->nl + 1) + (l))

static struct cost3 c3(const struct board_cost *c)
{
	return (struct cost3){ c->time_ns / 1e6, c->energy_uj, c->dyn_energy_uj };
}

static void tab_free(struct tab *t)
{
	free(t->task);
	free(t->entry);
	free(t->exit_);
	free(t->ho);
	free(t->pre);
}

static int tab_alloc(struct tab *t, const struct board *b, int m)
{
	memset(t, 0, sizeof(*t));
	t->nl = board_model_layers(b, m);
	t->ne = board_nr_elements(b);
	t->task = calloc((size_t)t->ne * t->nl, sizeof(struct cost3));
	t->entry = calloc((size_t)t->ne * t->nl, sizeof(struct cost3));
	t->exit_ = calloc((size_t)t->ne * t->nl, sizeof(struct cost3));
	t->ho = calloc((size_t)t->nl * t->ne * t->ne, sizeof(struct cost3));
	t->pre = calloc((size_t)t->ne * (t->nl + 1), sizeof(struct cost3));
	if (!t->task || !t->entry || !t->exit_ || !t->ho || !t->pre) {
		tab_free(t);
		return -ENOMEM;
	}
	return 0;
}

/* Fill the tables for one configuration (step[] per element). */
static void tab_fill(struct tab *t, const struct board *b, int m, const int *step,
		     unsigned int mask)
{
	struct board_cost c;

	for (int e = 0; e < t->ne; e++) {
		int he = host_of(b, e);

		t->step[e] = step[e];
		t->host[e] = he >= 0 ? step[he] : -1;
		t->ok[e] = (mask & (1u << e)) && board_has(b, m, e);
		if (t->ok[e] && board_layer_cost(b, m, 0, e, t->step[e], t->host[e], &c))
			t->ok[e] = false;
		if (!t->ok[e])
			continue;
		for (int l = 0; l < t->nl; l++) {
			struct cost3 *p = &t->pre[PIX(t, e, l + 1)], *q = &t->pre[PIX(t, e, l)];

			board_layer_cost(b, m, l, e, t->step[e], t->host[e], &c);
			t->task[TIX(t, e, l)] = c3(&c);
			p->t = q->t + c3(&c).t;
			p->e = q->e + c3(&c).e;
			p->d = q->d + c3(&c).d;
			board_entry_cost(b, m, l, e, t->step[e], t->host[e], &c);
			t->entry[TIX(t, e, l)] = c3(&c);
			board_exit_cost(b, m, l, e, t->step[e], t->host[e], &c);
			t->exit_[TIX(t, e, l)] = c3(&c);
		}
	}
	for (int l = 0; l + 1 < t->nl; l++)
		for (int s = 0; s < t->ne; s++)
			for (int d = 0; d < t->ne; d++) {
				if (!t->ok[s] || !t->ok[d])
					continue;
				board_handoff_cost(b, m, l, s, t->step[s], t->host[s],
						   d, t->step[d], t->host[d], &c);
				t->ho[HIX(t, l, s, d)] = c3(&c);
			}
}

/* Cost of entering element e at layer l coming from element p (-1: start). */
static struct cost3 enter(const struct tab *t, int p, int e, int l)
{
	struct cost3 r = t->entry[TIX(t, e, l)];

	if (p >= 0) {
		const struct cost3 *x = &t->exit_[TIX(t, p, l - 1)];
		const struct cost3 *h = &t->ho[HIX(t, l - 1, p, e)];

		r.t += x->t + h->t;
		r.e += x->e + h->e;
		r.d += x->d + h->d;
	}
	return r;
}

/* A stage [a, b) on e after a stage on p (-1 for none): hand-off in. */
static struct cost3 stage3(const struct tab *t, int p, int e, int a, int bnd)
{
	struct cost3 r = t->entry[TIX(t, e, a)];
	const struct cost3 *x = &t->exit_[TIX(t, e, bnd - 1)];
	const struct cost3 *hi = &t->pre[PIX(t, e, bnd)], *lo = &t->pre[PIX(t, e, a)];

	r.t += x->t + hi->t - lo->t;
	r.e += x->e + hi->e - lo->e;
	r.d += x->d + hi->d - lo->d;
	if (p >= 0) {
		const struct cost3 *h = &t->ho[HIX(t, a - 1, p, e)];

		r.t += h->t;
		r.e += h->e;
		r.d += h->d;
	}
	return r;
}

/* ---------------------------------------------------------------- configs */

/* Iterate configurations: each element's step over its allowed range. */
struct cfg_iter {
	int ne, lo[E_MAX], hi[E_MAX], step[E_MAX];
	bool started;
};

static void cfg_init(struct cfg_iter *it, const struct board *b, unsigned int mask,
		     bool top_only)
{
	memset(it, 0, sizeof(*it));
	it->ne = board_nr_elements(b);
	for (int e = 0; e < it->ne; e++) {
		int top = board_top_step(b, e);
		bool needed = mask & (1u << e);

		/* A host's step matters when it or what it drives is used. */
		for (int o = 0; o < it->ne; o++)
			if ((mask & (1u << o)) && host_of(b, o) == e)
				needed = true;
		it->hi[e] = top;
		it->lo[e] = top_only || !needed ? top : 0;
		it->step[e] = it->lo[e];
	}
}

static bool cfg_next(struct cfg_iter *it)
{
	if (!it->started) {
		it->started = true;
		return true;
	}
	for (int e = 0; e < it->ne; e++) {
		if (it->step[e] < it->hi[e]) {
			it->step[e]++;
			return true;
		}
		it->step[e] = it->lo[e];
	}
	return false;
}

/* ---------------------------------------------------------------- stages */

static void set_stages_from_layers(struct plan *p, const struct tab *t,
				   const int *elem_of_layer)
{
	p->nr_stages = 0;
	for (int l = 0; l < t->nl; l++) {
		struct plan_stage *s;

		if (l && elem_of_layer[l] == elem_of_layer[l - 1]) {
			p->stages[p->nr_stages - 1].nr_layers++;
			continue;
		}
		if (p->nr_stages == PLAN_MAX_STAGES)
			return;
		s = &p->stages[p->nr_stages++];
		memset(s, 0, sizeof(*s));
		s->elem = elem_of_layer[l];
		s->first_layer = l;
		s->nr_layers = 1;
		s->step = t->step[s->elem];
		s->host_step = t->host[s->elem];
	}
}

bool plan_same_stages(const struct plan *x, const struct plan *y, bool steps)
{
	if (x->nr_stages != y->nr_stages)
		return false;
	for (int i = 0; i < x->nr_stages; i++)
		if (x->stages[i].elem != y->stages[i].elem ||
		    x->stages[i].first_layer != y->stages[i].first_layer ||
		    x->stages[i].nr_layers != y->stages[i].nr_layers ||
		    (steps && x->stages[i].step != y->stages[i].step))
			return false;
	return true;
}

void plan_layers(const struct plan *p, struct plan_layer *ly)
{
	for (int i = 0; i < p->nr_stages; i++) {
		const struct plan_stage *s = &p->stages[i];

		for (int l = s->first_layer; l < s->first_layer + s->nr_layers; l++) {
			ly[l].elem = s->elem;
			ly[l].step = s->step;
			ly[l].host_step = s->host_step;
		}
	}
}

double plan_elem_load_ms(const struct plan *p, int e)
{
	double ms = 0;

	for (int i = 0; i < p->nr_stages; i++)
		if (p->stages[i].elem == e)
			ms += p->stages[i].time_ns / 1e6;
	return ms;
}

/*
 * Stage s's time at step k of its element, its host and the sender q (NULL
 * for none) at their top steps, hand-off in; 0 where the data has none.
 */
static uint64_t time_at(const struct board *b, int m, const struct plan_stage *s,
			const struct plan_stage *q, int k, bool handoff)
{
	const struct board_element *el = board_element(b, s->elem);
	int htop = el->host >= 0 ? board_top_step(b, el->host) : -1;
	struct board_cost c, h = { 0 };

	if (board_stage_cost(b, m, s->first_layer, s->nr_layers, s->elem, k, htop, &c))
		return 0;
	if (q && handoff) {
		int qh = board_element(b, q->elem)->host;

		board_handoff_cost(b, m, s->first_layer - 1, q->elem,
				   board_top_step(b, q->elem),
				   qh >= 0 ? board_top_step(b, qh) : -1,
				   s->elem, k, htop, &h);
	}
	return c.time_ns + h.time_ns;
}

/*
 * What the kernel is told about stage s (see struct plan_stage): its
 * speed at each step, from its layers alone, and the least top-step
 * estimate that those speeds never scale below its time at any step:
 * max over k of time(k) x speed(k) / speed(top), which is what the
 * kernel's own measurement of a run at step k normalises to.
 */
static void declare(const struct board *b, int m, struct plan_stage *s,
		    const struct plan_stage *q)
{
	const struct board_element *el = board_element(b, s->elem);
	int top = board_top_step(b, s->elem);
	uint64_t ct = time_at(b, m, s, q, top, false);

	memset(s->speed, 0, sizeof(s->speed));
	s->cost_ns = time_at(b, m, s, q, top, true);
	for (int k = 0; k < el->nr_steps && k < BOARD_MAX_STEPS; k++) {
		uint64_t ck = time_at(b, m, s, q, k, false);

		if (ck && ct)
			s->speed[k] = (uint32_t)fmin(PLAN_SPEED_SCALE,
						     lround((double)PLAN_SPEED_SCALE * ct / ck));
	}
	for (int k = 0; k < top && s->speed[top]; k++) {
		uint64_t x = time_at(b, m, s, q, k, true);

		/* Rounded up: the kernel's scaling rounds down. */
		x = (x * s->speed[k] + s->speed[top] - 1) / s->speed[top];
		if (x > s->cost_ns)
			s->cost_ns = x;
	}
}

int plan_fill(const struct board *b, int m, struct plan *p)
{
	struct plan_layer ly[PLAN_MAX_LAYERS];
	int nl = board_model_layers(b, m), next = 0, rc;
	double worst = 0;

	if (nl < 1 || nl > PLAN_MAX_LAYERS || p->nr_stages < 1)
		return -EINVAL;
	p->model = m;
	for (int i = 0; i < p->nr_stages; i++) {
		struct plan_stage *s = &p->stages[i], *q = i ? &p->stages[i - 1] : NULL;
		const struct board_element *el = board_element(b, s->elem);
		int he, htop;
		struct board_cost c, h;

		if (!el || s->first_layer != next || s->nr_layers < 1)
			return -EINVAL;
		next += s->nr_layers;
		he = el->host;
		htop = he >= 0 ? board_top_step(b, he) : -1;
		if (he < 0)
			s->host_step = -1;
		else if (s->host_step < 0 || s->host_step > htop)
			s->host_step = htop;
		s->freq_khz = el->khz[s->step < el->nr_steps ? s->step : 0];
		rc = board_stage_cost(b, m, s->first_layer, s->nr_layers, s->elem,
				      s->step, s->host_step, &c);
		if (rc)
			return rc;
		if (q)
			board_handoff_cost(b, m, s->first_layer - 1, q->elem, q->step,
					   q->host_step, s->elem, s->step, s->host_step, &h);
		else
			memset(&h, 0, sizeof(h));
		s->time_ns = c.time_ns + h.time_ns;
		s->energy_uj = c.energy_uj + h.energy_uj;
		s->dyn_energy_uj = c.dyn_energy_uj + h.dyn_energy_uj;
		declare(b, m, s, q);
	}
	if (next != nl)
		return -EINVAL;
	plan_layers(p, ly);
	rc = plan_predict(b, m, ly, &p->predicted, NULL, 0);
	if (rc)
		return rc;
	for (int e = 0; e < board_nr_elements(b); e++)
		if (plan_elem_load_ms(p, e) > worst)
			worst = plan_elem_load_ms(p, e);
	p->predicted.throughput_fps = worst > 0 ? 1000 / worst : 0;
	return 0;
}

int plan_alternatives(const struct board *b, const struct plan *p, unsigned int elems,
		      struct plan_alt *out, int max)
{
	int n = 0;

	for (int i = 0; i < p->nr_stages; i++) {
		const struct plan_stage *s = &p->stages[i];
		const struct plan_stage *q = i ? &p->stages[i - 1] : NULL;
		int k = 0;

		for (int e = 0; e < board_nr_elements(b) && k < PLAN_MAX_STAGE_ALTS; e++) {
			const struct board_element *el = board_element(b, e);
			struct plan_stage x = *s;
			int top = board_top_step(b, e);

			if (e == s->elem || (elems && !(elems & (1u << e))) ||
			    !board_has(b, p->model, e))
				continue;
			x.elem = e;
			x.step = top;
			x.host_step = el->host >= 0 ? board_top_step(b, el->host) : -1;
			x.freq_khz = el->khz[top];
			declare(b, p->model, &x, q);
			if (!x.cost_ns)
				continue;
			x.time_ns = time_at(b, p->model, &x, q, top, true);
			x.energy_uj = x.dyn_energy_uj = 0;
			if (n == max)
				return n;
			out[n++] = (struct plan_alt){ i, x };
			k++;
		}
	}
	return n;
}

/* ---------------------------------------------------------------- latency */

/*
 * The terms of a chain programme over layers: a placement (an element per
 * layer) costs start(first layer's element), then at each later layer the
 * move onto its element when it changes, and each layer's own work, then
 * finish(last layer's element).  Each callback returns the sum so far @x
 * with its term added, in the order of its own formula.
 */
struct chain_terms {
	double (*start)(const struct tab *t, const void *w, int e);
	double (*move)(const struct tab *t, const void *w, double x, int p, int e,
		       int l);
	double (*layer)(const struct tab *t, const void *w, double x, int e, int l);
	double (*finish)(const struct tab *t, const void *w, double x, int e);
};

/*
 * Least cost of a placement under @c (weights @w), and the placement in
 * @eol.  Exact: each term depends on one layer's element and the previous
 * layer's.  INFINITY when no placement exists or memory runs out.
 */
static double dp_min_chain(const struct tab *t, const struct chain_terms *c,
			   const void *w, int *eol)
{
	double *f = malloc(sizeof(double) * t->nl * t->ne), best = INFINITY;
	int *from = malloc(sizeof(int) * t->nl * t->ne), be = -1;

	if (!f || !from) {
		free(f);
		free(from);
		return INFINITY;
	}
	for (int l = 0; l < t->nl; l++)
		for (int e = 0; e < t->ne; e++) {
			double v = INFINITY;
			int arg = -1;

			f[l * t->ne + e] = INFINITY;
			if (!t->ok[e])
				continue;
			if (l == 0) {
				v = c->start(t, w, e);
			} else {
				for (int p = 0; p < t->ne; p++) {
					double x = f[(l - 1) * t->ne + p];

					if (!isfinite(x))
						continue;
					if (p != e)
						x = c->move(t, w, x, p, e, l);
					if (x < v) {
						v = x;
						arg = p;
					}
				}
			}
			f[l * t->ne + e] = c->layer(t, w, v, e, l);
			from[l * t->ne + e] = arg;
		}
	for (int e = 0; e < t->ne; e++) {
		double x = f[(t->nl - 1) * t->ne + e];

		if (!isfinite(x))
			continue;
		x = c->finish(t, w, x, e);
		if (x < best) {
			best = x;
			be = e;
		}
	}
	for (int l = t->nl - 1; be >= 0 && l >= 0; l--) {
		eol[l] = be;
		be = from[l * t->ne + be];
	}
	free(f);
	free(from);
	return best;
}

/* Weighted cost wt * time + we * energy of one inference. */
struct wcost {
	double wt, we;
};

static double wcost_start(const struct tab *t, const void *w, int e)
{
	const struct wcost *k = w;
	struct cost3 en = enter(t, -1, e, 0);

	return k->wt * en.t + k->we * en.e;
}

static double wcost_move(const struct tab *t, const void *w, double x, int p, int e,
			 int l)
{
	const struct wcost *k = w;
	struct cost3 en = enter(t, p, e, l);

	return x + (k->wt * en.t + k->we * en.e);
}

static double wcost_layer(const struct tab *t, const void *w, double x, int e, int l)
{
	const struct wcost *k = w;
	struct cost3 c = t->task[TIX(t, e, l)];

	return x + k->wt * c.t + k->we * c.e;
}

static double wcost_finish(const struct tab *t, const void *w, double x, int e)
{
	const struct wcost *k = w;
	struct cost3 ex = t->exit_[TIX(t, e, t->nl - 1)];

	return x + (k->wt * ex.t + k->we * ex.e);
}

/*
 * Least weighted cost (wt * time + we * energy) of one inference over
 * per-layer placements in one configuration.
 */
static double dp_chain(const struct tab *t, double wt, double we, int *elem_of_layer)
{
	static const struct chain_terms terms = {
		wcost_start, wcost_move, wcost_layer, wcost_finish,
	};
	struct wcost w = { wt, we };

	return dp_min_chain(t, &terms, &w, elem_of_layer);
}

/* ---------------------------------------------------------------- energy */

/* Pareto labels (time, energy) for the energy-under-latency programme. */
struct label {
	double t, e;
	int prev;	/* label index at the previous layer, -1 */
	int elem;
};

struct front {
	int *idx;
	int n, cap;
};

static int cmp_label_t(const void *a, const void *b, void *ctx)
{
	const struct label *pool = ctx;
	const struct label *x = &pool[*(const int *)a], *y = &pool[*(const int *)b];

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->e < y->e ? -1 : x->e > y->e;
}

/* Most labels kept per (layer, element); beyond it the front is thinned. */
#define FRONT_MAX	4096

static double dp_energy(const struct tab *t, double target, int *elem_of_layer,
			double *lat_out)
{
	struct label *pool = NULL;
	size_t np = 0, cap = 0;
	struct front *fr = calloc((size_t)t->nl * t->ne, sizeof(*fr));
	double *minrest = malloc(sizeof(double) * (t->nl + 1));
	double best = INFINITY;
	int bl = -1;

	if (!fr || !minrest)
		goto out;
	/* A lower bound of the time still to come: the fastest element per layer. */
	minrest[t->nl] = 0;
	for (int l = t->nl - 1; l >= 0; l--) {
		double m = INFINITY;

		for (int e = 0; e < t->ne; e++)
			if (t->ok[e] && t->task[TIX(t, e, l)].t < m)
				m = t->task[TIX(t, e, l)].t;
		minrest[l] = minrest[l + 1] + m;
	}
	for (int l = 0; l < t->nl; l++)
		for (int e = 0; e < t->ne; e++) {
			struct front *f = &fr[l * t->ne + e];
			struct cost3 k = t->task[TIX(t, e, l)];
			int kept = 0;
			double emin = INFINITY;

			if (!t->ok[e])
				continue;
			for (int p = l ? 0 : -1; p < (l ? t->ne : 0); p++) {
				struct front *pf = p >= 0 ? &fr[(l - 1) * t->ne + p] : NULL;
				int cnt = pf ? pf->n : 1;

				for (int j = 0; j < cnt; j++) {
					double tt = k.t, ee = k.e;
					int prev = -1;

					if (pf) {
						const struct label *pl = &pool[pf->idx[j]];

						prev = pf->idx[j];
						tt += pl->t;
						ee += pl->e;
						if (p != e) {
							struct cost3 en = enter(t, p, e, l);

							tt += en.t;
							ee += en.e;
						}
					} else {
						struct cost3 en = enter(t, -1, e, 0);

						tt += en.t;
						ee += en.e;
					}
					if (tt + minrest[l + 1] > target)
						continue;
					if (np == cap) {
						struct label *n;

						cap = cap ? cap * 2 : 4096;
						n = realloc(pool, cap * sizeof(*pool));
						if (!n)
							goto out;
						pool = n;
					}
					pool[np] = (struct label){ tt, ee, prev, e };
					if (f->n == f->cap) {
						int *n;

						f->cap = f->cap ? f->cap * 2 : 16;
						n = realloc(f->idx, f->cap * sizeof(int));
						if (!n)
							goto out;
						f->idx = n;
					}
					f->idx[f->n++] = (int)np++;
				}
			}
			/* Keep the Pareto front: by time, strictly falling energy. */
			qsort_r(f->idx, f->n, sizeof(int), cmp_label_t, pool);
			for (int j = 0; j < f->n; j++)
				if (pool[f->idx[j]].e < emin) {
					emin = pool[f->idx[j]].e;
					f->idx[kept++] = f->idx[j];
				}
			f->n = kept;
			if (f->n > FRONT_MAX) {
				for (int j = 0; j < FRONT_MAX; j++)
					f->idx[j] = f->idx[(size_t)j * (f->n - 1) / (FRONT_MAX - 1)];
				f->n = FRONT_MAX;
			}
		}
	for (int e = 0; e < t->ne; e++) {
		struct front *f = &fr[(t->nl - 1) * t->ne + e];
		struct cost3 ex = t->exit_[TIX(t, e, t->nl - 1)];

		for (int j = 0; t->ok[e] && j < f->n; j++) {
			const struct label *x = &pool[f->idx[j]];

			if (x->t + ex.t <= target && x->e + ex.e < best) {
				best = x->e + ex.e;
				bl = f->idx[j];
				*lat_out = x->t + ex.t;
			}
		}
	}
	for (int l = t->nl - 1; bl >= 0 && l >= 0; l--) {
		elem_of_layer[l] = pool[bl].elem;
		bl = pool[bl].prev;
	}
out:
	if (fr)
		for (int i = 0; i < t->nl * t->ne; i++)
			free(fr[i].idx);
	free(fr);
	free(minrest);
	free(pool);
	return best;
}

/* ---------------------------------------------------------------- pipeline */

/*
 * Partition layers over the elements seq[0..k) in that order, each stage
 * non-empty.  mode 0: least bottleneck (ties: least total time); mode 1:
 * least dynamic energy with every stage within period_ms.  Returns the
 * objective, INFINITY when impossible; cut[j] is stage j's first layer.
 */
static double dp_pipe(const struct tab *t, const int *seq, int k, int mode,
		      double period_ms, int *cut)
{
	int nl = t->nl;
	double *f = malloc(sizeof(double) * (k + 1) * (nl + 1));
	double *g = malloc(sizeof(double) * (k + 1) * (nl + 1));
	int *arg = malloc(sizeof(int) * (k + 1) * (nl + 1));
	double res = INFINITY;

	if (!f || !g || !arg)
		goto out;
#define F(j, i) f[(j) * (nl + 1) + (i)]
#define G(j, i) g[(j) * (nl + 1) + (i)]
#define A(j, i) arg[(j) * (nl + 1) + (i)]
	for (int j = 0; j <= k; j++)
		for (int i = 0; i <= nl; i++)
			F(j, i) = G(j, i) = INFINITY;
	F(0, 0) = G(0, 0) = 0;
	for (int j = 1; j <= k; j++) {
		int e = seq[j - 1], p = j > 1 ? seq[j - 2] : -1;

		for (int i = j; i <= nl - (k - j); i++)
			for (int a = j - 1; a < i; a++) {
				struct cost3 s;
				double v, w;

				if (!isfinite(F(j - 1, a)))
					continue;
				s = stage3(t, p, e, a, i);
				if (mode == 0) {
					v = F(j - 1, a) > s.t ? F(j - 1, a) : s.t;
					w = G(j - 1, a) + s.t;
				} else {
					if (s.t > period_ms)
						continue;
					v = F(j - 1, a) + s.d;
					w = G(j - 1, a) + s.t;
				}
				if (v < F(j, i) - 1e-12 ||
				    (v <= F(j, i) + 1e-12 && w < G(j, i))) {
					F(j, i) = v;
					G(j, i) = w;
					A(j, i) = a;
				}
			}
	}
	res = F(k, nl);
	if (isfinite(res)) {
		int i = nl;

		for (int j = k; j >= 1; j--) {
			cut[j - 1] = A(j, i);
			i = A(j, i);
		}
	}
#undef F
#undef G
#undef A
out:
	free(f);
	free(g);
	free(arg);
	return res;
}

/* Next ordered selection of distinct elements from mask (k from 1 up). */
static bool next_seq(int *seq, int *k, int ne, unsigned int mask, int kmax)
{
	/* Odometer over sequences of length k, skipping repeats. */
	for (;;) {
		int j = *k - 1;

		while (j >= 0) {
			if (++seq[j] < ne)
				break;
			seq[j] = 0;
			j--;
		}
		if (j < 0) {
			if (++*k > kmax)
				return false;
			for (int i = 0; i < *k; i++)
				seq[i] = 0;
		}
		bool okk = true;

		for (int i = 0; i < *k && okk; i++) {
			if (!(mask & (1u << seq[i])))
				okk = false;
			for (int x = 0; x < i && okk; x++)
				if (seq[x] == seq[i])
					okk = false;
		}
		if (okk)
			return true;
	}
}

/* ---------------------------------------------------------------- plan_make */

static unsigned int usable(const struct board *b, int m, unsigned int want)
{
	unsigned int mask = 0;

	for (int e = 0; e < board_nr_elements(b); e++)
		if ((!want || (want & (1u << e))) && board_has(b, m, e))
			mask |= 1u << e;
	return mask;
}

int plan_make(const struct board *b, int m, const struct plan_opts *o,
	      struct plan *p, char *err, size_t errlen)
{
	unsigned int mask = usable(b, m, o->elems);
	int *eol = NULL, *best_eol = NULL, rc = -ENOENT;
	struct plan best;
	struct cfg_iter it;
	double best_v = INFINITY, best_w = INFINITY;
	struct tab t;

	memset(p, 0, sizeof(*p));
	memset(&best, 0, sizeof(best));
	if (board_model_layers(b, m) < 1 || board_model_layers(b, m) > PLAN_MAX_LAYERS) {
		errbuf_set(err, errlen, "unknown model");
		return -EINVAL;
	}
	if (!mask) {
		errbuf_set(err, errlen, "no allowed element has data for %s", board_model_name(b, m));
		return -ENOENT;
	}
	if (o->goal == PLAN_ENERGY && o->fps <= 0 && o->target_ms <= 0) {
		errbuf_set(err, errlen, "the energy goal needs a latency target or an FPS target");
		return -EINVAL;
	}
	if (tab_alloc(&t, b, m))
		return -ENOMEM;
	eol = malloc(sizeof(int) * t.nl);
	best_eol = malloc(sizeof(int) * t.nl);
	if (!eol || !best_eol) {
		rc = -ENOMEM;
		goto out;
	}
	cfg_init(&it, b, mask, o->top_only || o->goal == PLAN_THROUGHPUT);
	while (cfg_next(&it)) {
		tab_fill(&t, b, m, it.step, mask);
		if (o->goal == PLAN_LATENCY ||
		    (o->goal == PLAN_ENERGY && o->fps <= 0)) {
			double v, w = 0;

			if (o->goal == PLAN_LATENCY) {
				/* Least time; among (near) equals, least energy. */
				v = dp_chain(&t, 1, 1e-9, eol);
			} else {
				v = dp_energy(&t, o->target_ms, eol, &w);
			}
			if (isfinite(v) && (v < best_v - 1e-9 ||
					    (v <= best_v + 1e-9 && w < best_w))) {
				best_v = v;
				best_w = w;
				memcpy(best_eol, eol, sizeof(int) * t.nl);
				set_stages_from_layers(&best, &t, best_eol);
				rc = 0;
			}
		} else {
			/* Pipelines: throughput, or energy under an FPS target. */
			int seq[E_MAX] = { 0 }, k = 1, cut[E_MAX];
			int kmax = o->max_stages > 0 ? o->max_stages : t.ne;
			double period = o->fps > 0 ? 1000 / o->fps : 0;

			if (kmax > t.ne)
				kmax = t.ne;
			seq[0] = -1;
			while (next_seq(seq, &k, t.ne, mask, kmax)) {
				double v;
				bool skip = false;

				if (k > t.nl)
					continue;
				/* Steps of unused elements do not matter: once. */
				for (int e = 0; e < t.ne; e++) {
					bool used = false;

					for (int j = 0; j < k; j++)
						if (seq[j] == e || host_of(b, seq[j]) == e)
							used = true;
					if (!used && it.step[e] != it.hi[e])
						skip = true;
				}
				if (skip)
					continue;
				v = dp_pipe(&t, seq, k, o->goal == PLAN_THROUGHPUT ? 0 : 1,
					    period, cut);
				if (!isfinite(v) || v > best_v + 1e-9)
					continue;
				{
					struct plan cand;

					memset(&cand, 0, sizeof(cand));
					cand.nr_stages = k;
					for (int j = 0; j < k; j++) {
						struct plan_stage *s = &cand.stages[j];

						s->elem = seq[j];
						s->first_layer = cut[j];
						s->nr_layers = (j + 1 < k ? cut[j + 1] : t.nl) - cut[j];
						s->step = t.step[seq[j]];
						s->host_step = t.host[seq[j]];
					}
					if (plan_fill(b, m, &cand))
						continue;
					/* Ties: lower latency wins. */
					if (v < best_v - 1e-9 ||
					    cand.predicted.latency_ms < best_w) {
						best_v = v;
						best_w = cand.predicted.latency_ms;
						best = cand;
						rc = 0;
					}
				}
			}
		}
	}
	if (rc) {
		errbuf_set(err, errlen, "no plan for %s meets the target", board_model_name(b, m));
		goto out;
	}
	rc = plan_fill(b, m, &best);
	if (rc) {
		errbuf_set(err, errlen, "internal error filling the plan");
		goto out;
	}
	best.goal = o->goal;
	*p = best;
out:
	free(eol);
	free(best_eol);
	tab_free(&t);
	return rc;
}

/* ---------------------------------------------------------------- replicas */

int plan_replicas(const struct board *b, int m, unsigned int want, struct plan *out,
		  int max, double *fps)
{
	unsigned int mask = usable(b, m, want);
	int ne = board_nr_elements(b), grp[E_MAX], nbest = 0;
	double best = 0;

	*fps = 0;
	if (!mask)
		return 0;
	/* Set partitions as restricted growth strings over the usable ones. */
	memset(grp, 0, sizeof(grp));
	for (;;) {
		struct plan cand[E_MAX];
		double tot = 0;
		int ng = 0, nc = 0;
		bool okk = true;

		for (int e = 0; e < ne; e++)
			if ((mask & (1u << e)) && grp[e] + 1 > ng)
				ng = grp[e] + 1;
		for (int g = 0; g < ng && okk; g++) {
			struct plan_opts o = { .goal = PLAN_THROUGHPUT };

			for (int e = 0; e < ne; e++)
				if ((mask & (1u << e)) && grp[e] == g)
					o.elems |= 1u << e;
			if (plan_make(b, m, &o, &cand[nc], NULL, 0)) {
				okk = false;
				break;
			}
			tot += cand[nc++].predicted.throughput_fps;
		}
		if (okk && nc <= max && tot > best + 1e-9) {
			best = tot;
			nbest = nc;
			memcpy(out, cand, nc * sizeof(*cand));
		}
		/* Next restricted growth string over the elements in mask. */
		{
			int e, mx;

			for (e = ne - 1; e >= 0; e--) {
				if (!(mask & (1u << e)))
					continue;
				mx = -1;
				for (int k = 0; k < e; k++)
					if ((mask & (1u << k)) && grp[k] > mx)
						mx = grp[k];
				if (grp[e] <= mx) {
					grp[e]++;
					for (int k = e + 1; k < ne; k++)
						grp[k] = 0;
					break;
				}
			}
			if (e < 0)
				break;
		}
	}
	*fps = best;
	return nbest;
}

/* ---------------------------------------------------------------- timeshare */

/*
 * Weighted load sum_e lambda[e] x (time of the plan's stages on e): a
 * stage's time is hand-off in + entry + layers + exit, all charged to its
 * element.  @w is lambda, per element.
 */
static double load_start(const struct tab *t, const void *w, int e)
{
	const double *lam = w;

	return lam[e] * t->entry[TIX(t, e, 0)].t;
}

static double load_move(const struct tab *t, const void *w, double x, int p, int e,
			int l)
{
	const double *lam = w;

	return x + (lam[p] * t->exit_[TIX(t, p, l - 1)].t +
		    lam[e] * (t->ho[HIX(t, l - 1, p, e)].t + t->entry[TIX(t, e, l)].t));
}

static double load_layer(const struct tab *t, const void *w, double x, int e, int l)
{
	const double *lam = w;

	return x + lam[e] * t->task[TIX(t, e, l)].t;
}

static double load_finish(const struct tab *t, const void *w, double x, int e)
{
	const double *lam = w;

	return x + lam[e] * t->exit_[TIX(t, e, t->nl - 1)].t;
}

/* Least weighted load over placements. */
static double dp_weighted(const struct tab *t, const double *lam, int *eol)
{
	static const struct chain_terms terms = {
		load_start, load_move, load_layer, load_finish,
	};

	return dp_min_chain(t, &terms, lam, eol);
}

/*
 * max sum x s.t. A x <= 1, x >= 0 (A: m rows, n columns, column-major
 * a[j * m + i] >= 0), dense tableau simplex with Bland's rule.  Writes x
 * and the duals y (prices of the rows).  Returns the optimum.
 */
static double lp_solve(int m, int n, const double *a, double *x, double *y)
{
	int w = n + m + 1, *basis = malloc(sizeof(int) * m);
	double *T = calloc((size_t)(m + 1) * w, sizeof(double)), z;

	if (!T || !basis) {
		free(T);
		free(basis);
		return 0;
	}
#define TT(i, j) T[(i) * w + (j)]
	for (int i = 0; i < m; i++) {
		for (int j = 0; j < n; j++)
			TT(i, j) = a[j * m + i];
		TT(i, n + i) = 1;
		TT(i, w - 1) = 1;
		basis[i] = n + i;
	}
	for (int j = 0; j < n; j++)
		TT(m, j) = -1;
	for (int it = 0; it < 10000; it++) {
		int pc = -1, pr = -1;
		double best = INFINITY;

		for (int j = 0; j < n + m; j++)
			if (TT(m, j) < -1e-12) {
				pc = j;
				break;
			}
		if (pc < 0)
			break;
		for (int i = 0; i < m; i++)
			if (TT(i, pc) > 1e-12) {
				double r = TT(i, w - 1) / TT(i, pc);

				if (r < best - 1e-12 || (r < best + 1e-12 && pr >= 0 &&
							 basis[i] < basis[pr])) {
					best = r;
					pr = i;
				}
			}
		if (pr < 0)
			break;	/* unbounded: cannot happen with A >= 0 rows */
		{
			double pv = TT(pr, pc);

			for (int j = 0; j < w; j++)
				TT(pr, j) /= pv;
			for (int i = 0; i <= m; i++)
				if (i != pr && TT(i, pc) != 0) {
					double k = TT(i, pc);

					for (int j = 0; j < w; j++)
						TT(i, j) -= k * TT(pr, j);
				}
			basis[pr] = pc;
		}
	}
	for (int j = 0; j < n; j++)
		x[j] = 0;
	for (int i = 0; i < m; i++)
		if (basis[i] < n)
			x[basis[i]] = TT(i, w - 1);
	for (int i = 0; i < m; i++)
		y[i] = TT(m, n + i);
	z = TT(m, w - 1);
#undef TT
	free(T);
	free(basis);
	return z;
}

#define TS_MAX_COLS	256

int plan_timeshare(const struct board *b, int m, unsigned int want, struct plan *out,
		   double *rates, int max, double *fps)
{
	unsigned int mask = usable(b, m, want);
	int ne = board_nr_elements(b), nc = 0, step[E_MAX] = { 0 }, nout = 0;
	struct plan *cols = calloc(TS_MAX_COLS, sizeof(*cols));
	double *a = calloc((size_t)TS_MAX_COLS * E_MAX, sizeof(double));
	double x[TS_MAX_COLS] = { 0 }, y[E_MAX], lam[E_MAX], z = 0;
	int *eol = NULL;
	struct tab t;

	*fps = 0;
	if (!cols || !a || !mask || tab_alloc(&t, b, m)) {
		free(cols);
		free(a);
		return 0;
	}
	eol = malloc(sizeof(int) * t.nl);
	for (int e = 0; e < ne; e++)
		step[e] = board_top_step(b, e);
	tab_fill(&t, b, m, step, mask);
	/* Start from each element alone. */
	for (int e = 0; e < ne && eol; e++) {
		if (!t.ok[e])
			continue;
		for (int l = 0; l < t.nl; l++)
			eol[l] = e;
		set_stages_from_layers(&cols[nc], &t, eol);
		if (!plan_fill(b, m, &cols[nc]))
			nc++;
	}
	for (int iter = 0; eol && nc > 0 && iter < TS_MAX_COLS; iter++) {
		double price;

		for (int j = 0; j < nc; j++)
			for (int e = 0; e < ne; e++)
				a[j * ne + e] = plan_elem_load_ms(&cols[j], e) / 1000;
		z = lp_solve(ne, nc, a, x, y);
		for (int e = 0; e < ne; e++)
			lam[e] = y[e] / 1000;	/* per ms */
		price = dp_weighted(&t, lam, eol);
		if (!(price < 1 - 1e-9) || nc == TS_MAX_COLS)
			break;
		set_stages_from_layers(&cols[nc], &t, eol);
		if (plan_fill(b, m, &cols[nc]))
			break;
		nc++;
	}
	for (int j = 0; j < nc && nout < max; j++)
		if (x[j] > 1e-9) {
			out[nout] = cols[j];
			out[nout].goal = PLAN_THROUGHPUT;
			rates[nout++] = x[j];
		}
	*fps = z;
	free(eol);
	free(cols);
	free(a);
	tab_free(&t);
	return nout;
}

double plan_throughput_bound(const struct board *b, int m, unsigned int want)
{
	unsigned int mask = usable(b, m, want);
	int ne = board_nr_elements(b), nl = board_model_layers(b, m), el[E_MAX], k = 0;
	double *t, best = 0;
	int steps = 40, w[E_MAX];

	for (int e = 0; e < ne; e++)
		if (mask & (1u << e))
			el[k++] = e;
	if (!k || nl < 1)
		return 0;
	t = malloc(sizeof(double) * nl * k);
	if (!t)
		return 0;
	for (int i = 0; i < k; i++)
		for (int l = 0; l < nl; l++) {
			struct board_cost c;

			board_layer_cost(b, m, l, el[i], board_top_step(b, el[i]), -1, &c);
			t[i * nl + l] = c.time_ns / 1e6;
		}
	/* Weights on a grid of the simplex; every point is a valid bound. */
	memset(w, 0, sizeof(w));
	for (;;) {
		int sum = 0, i;

		for (i = 0; i < k - 1; i++)
			sum += w[i];
		if (sum <= steps) {
			double v = 0;

			w[k - 1] = steps - sum;
			for (int l = 0; l < nl; l++) {
				double mn = INFINITY;

				for (int j = 0; j < k; j++)
					if ((double)w[j] / steps * t[j * nl + l] < mn)
						mn = (double)w[j] / steps * t[j * nl + l];
				v += mn;
			}
			if (v > best)
				best = v;
		}
		for (i = 0; i < k - 1; i++) {
			if (++w[i] <= steps)
				break;
			w[i] = 0;
		}
		if (i == k - 1)
			break;
	}
	free(t);
	return best > 0 ? 1000 / best : 0;
}

/* ---------------------------------------------------------------- JSON */

const char *plan_goal_name(enum plan_goal g)
{
	switch (g) {
	case PLAN_LATENCY:
		return "latency";
	case PLAN_THROUGHPUT:
		return "throughput";
	case PLAN_ENERGY:
		return "energy";
	}
	return "?";
}

static json_object *dbl(double v)
{
	return json_object_new_double(round(v * 1e6) / 1e6);
}

json_object *plan_to_json(const struct board *b, const struct plan *p)
{
	json_object *o = json_object_new_object(), *st = json_object_new_array();
	json_object *pr = json_object_new_object();

	json_object_object_add(o, "board", json_object_new_string(board_name(b)));
	json_object_object_add(o, "model",
			       json_object_new_string(board_model_name(b, p->model)));
	json_object_object_add(o, "goal", json_object_new_string(plan_goal_name(p->goal)));
	for (int i = 0; i < p->nr_stages; i++) {
		const struct plan_stage *s = &p->stages[i];
		const struct board_element *el = board_element(b, s->elem);
		json_object *j = json_object_new_object(), *sp;
		char code[2] = { el->code, 0 };

		json_object_object_add(j, "element", json_object_new_string(code));
		json_object_object_add(j, "cluster", json_object_new_string(el->cluster));
		json_object_object_add(j, "first_layer", json_object_new_int(s->first_layer));
		json_object_object_add(j, "nr_layers", json_object_new_int(s->nr_layers));
		json_object_object_add(j, "step", json_object_new_int(s->step));
		json_object_object_add(j, "host_step", json_object_new_int(s->host_step));
		json_object_object_add(j, "freq_khz", json_object_new_int64(s->freq_khz));
		json_object_object_add(j, "cost_ns", json_object_new_int64((int64_t)s->cost_ns));
		sp = json_object_new_array();
		for (int k = 0; k < el->nr_steps && k < BOARD_MAX_STEPS; k++)
			json_object_array_add(sp, json_object_new_int64(s->speed[k]));
		json_object_object_add(j, "speed", sp);
		json_object_object_add(j, "time_ns", json_object_new_int64((int64_t)s->time_ns));
		json_object_object_add(j, "energy_uj", dbl(s->energy_uj));
		json_object_array_add(st, j);
	}
	json_object_object_add(o, "stages", st);
	json_object_object_add(pr, "latency_ms", dbl(p->predicted.latency_ms));
	json_object_object_add(pr, "energy_mj", dbl(p->predicted.energy_mj));
	json_object_object_add(pr, "power_w", dbl(p->predicted.power_w));
	json_object_object_add(pr, "throughput_fps", dbl(p->predicted.throughput_fps));
	json_object_object_add(o, "predicted", pr);
	return o;
}
