// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-sim's engine, see sim.h.
 *
 * Times are u64 ns as in the kernel.  Stage times come from the board at
 * the cluster's step and its host's when the stage starts, and are
 * rescaled for what is left of a running stage when either step changes;
 * a frequency switch stalls the cluster for the measured switch time.
 * Board power is the base power plus the dynamic power (above base) of
 * every running stage.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/policy/policy.h"
#include "sim_int.h"

/* Linux's governors run the cluster: alone, or under edgeai's floors. */
static bool linux_governs(const struct sim *s)
{
	return s->c->gov == SIM_GOV_LINUX || s->c->gov == SIM_GOV_SHARED;
}

/* ---------------------------------------------------------------- basics */

static double urand(struct sim *s)
{
	/* splitmix64 */
	u64 z = (s->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return ((z >> 11) + 0.5) / 9007199254740992.0;
}

static bool ev_less(const struct ev *a, const struct ev *b)
{
	return a->t != b->t ? a->t < b->t : a->seq < b->seq;
}

int sim_push(struct sim *s, u64 t, int type, int a, u64 ver)
{
	struct heap *h = &s->h;
	size_t i;

	if (h->n == h->cap) {
		struct ev *n = realloc(h->v, (h->cap ? h->cap * 2 : 256) * sizeof(*n));

		if (!n)
			return -ENOMEM;
		h->v = n;
		h->cap = h->cap ? h->cap * 2 : 256;
	}
	i = h->n++;
	h->v[i] = (struct ev){ t, s->evseq++, type, a, ver };
	while (i && ev_less(&h->v[i], &h->v[(i - 1) / 2])) {
		struct ev x = h->v[i];

		h->v[i] = h->v[(i - 1) / 2];
		h->v[(i - 1) / 2] = x;
		i = (i - 1) / 2;
	}
	return 0;
}

static struct ev pop(struct sim *s)
{
	struct heap *h = &s->h;
	struct ev top = h->v[0];
	size_t i = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && ev_less(&h->v[l], &h->v[m]))
			m = l;
		if (r < h->n && ev_less(&h->v[r], &h->v[m]))
			m = r;
		if (m == i)
			break;
		struct ev x = h->v[i];

		h->v[i] = h->v[m];
		h->v[m] = x;
		i = m;
	}
	return top;
}

int sim_host_step(struct sim *s, int e)
{
	int h = board_element(s->b, e)->host;

	return h >= 0 ? s->cl[h].step : -1;
}

static int top(struct sim *s, int e)
{
	return board_top_step(s->b, e);
}

/* A stage's time and energy at given steps, hand-off from prev in. */
int sim_stage_cost(struct sim *s, const struct job *j, const struct jstage *st,
		      int step, int hstep, bool at_top, struct board_cost *out)
{
	int m = s->apps[j->app].model, rc;
	struct board_cost h;

	rc = board_stage_cost(s->b, m, st->first, st->n, st->elem, step, hstep, out);
	if (rc)
		return rc;
	if (st->first > 0 && j->prev_elem >= 0) {
		int pe = j->prev_elem, ph = board_element(s->b, pe)->host;

		board_handoff_cost(s->b, m, st->first - 1, pe,
				   at_top ? top(s, pe) : j->prev_step,
				   at_top ? (ph >= 0 ? top(s, ph) : -1) : j->prev_host,
				   st->elem, step, hstep, &h);
		out->time_ns += h.time_ns;
		out->energy_uj += h.energy_uj;
		out->dyn_energy_uj += h.dyn_energy_uj;
	}
	return 0;
}

/* A stage's time at the top steps (its host's and the sender's too). */
static u64 cost_top(struct sim *s, const struct job *j, const struct jstage *st)
{
	int he = board_element(s->b, st->elem)->host;
	struct board_cost c;

	if (sim_stage_cost(s, j, st, top(s, st->elem), he >= 0 ? top(s, he) : -1, true, &c))
		return 0;
	return c.time_ns;
}

/* The plan job j follows: the app's, a fallback or a replica (j->rep). */
static const struct plan *plan_of(const struct sim *s, const struct job *j)
{
	const struct sim_app *a = &s->apps[j->app];

	if (j->rep > 0 && j->rep <= a->nr_alts && a->nr_replicas <= 0)
		return &a->alts[j->rep - 1];
	return a->nr_replicas > 0 ? &a->replicas[j->rep] : &a->plan;
}

/* Plans an app's estimates are kept for: its replicas (or plan), fallbacks. */
static int nr_plans(const struct sim_app *a)
{
	return (a->nr_replicas > 0 ? a->nr_replicas : 1) + a->nr_alts;
}

/*
 * learn_costs: the estimate the kernel holds for stage i of job j's plan
 * on element e, its own or an alternative's, NULL when it learns none
 * (kmod/job.c: graph stage est, per place).
 */
static struct ep_est *place_est(struct sim *s, const struct job *j, int i, int e)
{
	if (!s->c->learn_costs || s->c->dispatch != SIM_STATIC || !s->as[j->app].est)
		return NULL;
	return &s->as[j->app].est[(j->rep * PLAN_MAX_STAGES + i) * BOARD_MAX_ELEMS + e];
}

/* The estimate of stage i of job j where it is (to be) queued. */
static struct ep_est *stage_est(struct sim *s, const struct job *j, int i)
{
	return place_est(s, j, i, j->st[i].elem);
}

/*
 * The declared or, once it has run, learned estimates of j's stages not
 * yet placed (on their plan's elements).
 */
static void refresh_costs(struct sim *s, struct job *j)
{
	const struct plan *pl = plan_of(s, j);

	for (int i = j->cur; i < j->nst; i++) {
		struct ep_est *e = stage_est(s, j, i);

		if (e)
			j->st[i].cost_top = ep_est_cost(e, s->c->safe_costs ?
							pl->stages[i].cost_ns : j->st[i].cost_top);
	}
}

/*
 * As edgeai_job_stage_learn(): the run, fetch to completion, normalised
 * to the top step with the stage's speeds at the higher of the steps at
 * fetch and now, into the estimate of the place it ran on.
 */
static void learn(struct sim *s, int e, const struct job *j)
{
	const struct cluster *c = &s->cl[e];
	struct ep_est *est = stage_est(s, j, j->cur);
	u32 step = (u32)(c->step > c->start_step ? c->step : c->start_step);

	if (est && s->now > c->started)
		ep_est_add(est, ep_stage_work(&c->model, j->st[j->cur].speed,
					      s->now - c->started, step));
}

/* Integrate energy, busy time and residency up to now. */
static void advance(struct sim *s, u64 now)
{
	u64 dt = now - s->last;
	double mw = board_base_power_mw(s->b);

	if (now <= s->last)
		return;
	for (int e = 0; e < s->ne; e++) {
		struct cluster *c = &s->cl[e];

		c->res_ns[c->step] += dt;
		if (c->run >= 0) {
			c->busy_ns += dt;
			c->win_busy += dt;
			mw += c->dyn_mw;
		}
	}
	if (linux_governs(s))
		linux_gov_account(s, dt);
	s->energy_uj += mw * (dt / 1e6);
	s->last = now;
}

/* ---------------------------------------------------------------- queues */

static u64 remaining_top(const struct job *j)
{
	u64 w = 0;

	for (int i = j->cur; i < j->nst; i++)
		w += j->st[i].cost_top;
	return w;
}

/* Whether job a runs before job b on cluster e. */
static bool before(struct sim *s, int a, int b)
{
	const struct job *x = &s->jobs[a], *y = &s->jobs[b];

	switch (s->c->order) {
	case SIM_ORDER_FIFO:
		return x->seq < y->seq;
	case SIM_ORDER_LST: {
		double sx = x->deadline == EP_NO_DEADLINE ? INFINITY :
			(double)x->deadline - (double)s->now - (double)remaining_top(x);
		double sy = y->deadline == EP_NO_DEADLINE ? INFINITY :
			(double)y->deadline - (double)s->now - (double)remaining_top(y);

		if (sx != sy)
			return sx < sy;
		return x->seq < y->seq;
	}
	case SIM_ORDER_POLICY:
	default: {
		struct ep_key kx = { x->st[x->cur].deadline, x->seq,
				     (u32)s->apps[x->app].prio };
		struct ep_key ky = { y->st[y->cur].deadline, y->seq,
				     (u32)s->apps[y->app].prio };

		return ep_key_before(&kx, &ky);
	}
	}
}

int sim_enqueue(struct sim *s, int e, int jid)
{
	struct cluster *c = &s->cl[e];

	if (c->nq == c->capq) {
		int *n = realloc(c->q, (c->capq ? c->capq * 2 : 16) * sizeof(int));

		if (!n)
			return -ENOMEM;
		c->q = n;
		c->capq = c->capq ? c->capq * 2 : 16;
	}
	s->jobs[jid].seq = c->seq++;
	s->jobs[jid].queued_at = s->now;
	c->q[c->nq++] = jid;
	c->dirty = true;
	return 0;
}

static int cmp_run(const void *a, const void *b, void *ctx)
{
	struct sim *s = ctx;
	int x = *(const int *)a, y = *(const int *)b;

	if (before(s, x, y))
		return -1;
	return before(s, y, x);
}

/* The queue in run order. */
static void sorted_queue(struct sim *s, int e, int *out)
{
	struct cluster *c = &s->cl[e];

	memcpy(out, c->q, c->nq * sizeof(int));
	qsort_r(out, c->nq, sizeof(int), cmp_run, s);
}

/* ---------------------------------------------------------------- running */

/* Work left of the running stage, at the top step. */
static u64 running_left_top(struct sim *s, int e)
{
	struct cluster *c = &s->cl[e];
	const struct job *j;
	double f = c->frac;

	if (c->run < 0)
		return 0;
	j = &s->jobs[c->run];
	if (s->now > c->seg_start && c->total)
		f += (double)(s->now - c->seg_start) / c->total;
	if (f > 1)
		f = 1;
	return (u64)((1 - f) * j->st[j->cur].cost_top);
}

static void set_running_speed(struct sim *s, int e, u64 stall)
{
	struct cluster *c = &s->cl[e];
	struct job *j;
	struct board_cost bc;

	if (c->run < 0)
		return;
	j = &s->jobs[c->run];
	if (s->now > c->seg_start && c->total)
		c->frac += (double)(s->now - c->seg_start) / c->total;
	if (c->frac > 1)
		c->frac = 1;
	if (sim_stage_cost(s, j, &j->st[j->cur], c->step, sim_host_step(s, e), false, &bc))
		return;
	c->total = bc.time_ns ? bc.time_ns : 1;
	c->dyn_mw = bc.time_ns ? bc.dyn_energy_uj / (bc.time_ns / 1e6) : 0;
	c->seg_start = (s->now > c->seg_start ? s->now : c->seg_start) + stall;
	c->end = c->seg_start + (u64)((1 - c->frac) * c->total);
	c->ver++;
	sim_push(s, c->end, EV_STAGE_END, e, c->ver);
}

void sim_set_step(struct sim *s, int e, u32 step)
{
	struct cluster *c = &s->cl[e];
	u64 sw;

	/* Shared mode: Linux's governors choose above edgeai's floor. */
	if (s->c->gov == SIM_GOV_SHARED && step < c->floor)
		step = c->floor;
	if ((int)step == c->step || step >= c->model.nr_opp)
		return;
	sw = board_switch_ns(s->b, e, c->step, (int)step);
	c->step = (int)step;
	s->r->freq_changes++;
	c->stall_until = s->now + sw;
	set_running_speed(s, e, sw);
	/* What this cluster hosts runs at a new speed too. */
	for (int o = 0; o < s->ne; o++)
		if (board_element(s->b, o)->host == e)
			set_running_speed(s, o, 0);
}

/*
 * The kernel's re-decision timer (kmod/governor.c, edgeai_gov_decide()):
 * while work waits, decide again at half the least slack, 1..50 ms, or
 * after 10 ms when no step meets every deadline; when idle but holding a
 * step, when the hold ends.
 */
#define GOV_TICK_MIN_NS		(1 * NS_PER_MS)
#define GOV_TICK_MAX_NS		(50 * NS_PER_MS)
#define GOV_TICK_OVERLOAD_NS	(10 * NS_PER_MS)

static void gov_rearm(struct sim *s, int e, const struct ep_gov_in *in,
		      const struct ep_gov_out *out)
{
	struct cluster *c = &s->cl[e];
	u64 t;

	if (!in->nr_work && !in->extra_work_ns) {
		if (!out->hold_ns)
			return;
		t = out->hold_ns + 1;
	} else {
		t = out->feasible ? out->slack_ns / 2 : GOV_TICK_OVERLOAD_NS;
		t = t < GOV_TICK_MIN_NS ? GOV_TICK_MIN_NS : t > GOV_TICK_MAX_NS ?
			GOV_TICK_MAX_NS : t;
	}
	sim_push(s, s->now + t, EV_GOV, e, ++c->gov_ver);
}

static void governor(struct sim *s, int e, bool tick)
{
	struct cluster *c = &s->cl[e];
	struct ep_work w[GOV_WORK_MAX];
	int *ord, n = 0;
	struct ep_gov_in in = { .model = &c->model, .now = s->now, .cur = (u32)c->step,
				.lanes = 1, .work = w,
				.idle_ns = c->run < 0 && !c->nq ? s->now - c->idle_since : 0,
				.reserve = c->margin.reserve };
	struct ep_gov_out out;

	if (c->model.nr_opp < 2)
		return;
	if (s->c->gov == SIM_GOV_LINUX) {
		linux_gov_update(s, e, tick);
		return;
	}
	if (c->run >= 0) {
		const struct job *j = &s->jobs[c->run];

		w[n++] = (struct ep_work){ .work_ns = running_left_top(s, e),
					   .deadline = j->st[j->cur].deadline,
					   .speed = j->st[j->cur].speed };
	}
	/* Only the deadline governor looks at the queue's deadlines. */
	if ((s->c->gov == SIM_GOV_DEADLINE || s->c->gov == SIM_GOV_SHARED) && c->nq &&
	    (ord = malloc(c->nq * sizeof(int)))) {
		sorted_queue(s, e, ord);
		for (int i = 0; i < c->nq; i++) {
			const struct job *j = &s->jobs[ord[i]];

			if (n < GOV_WORK_MAX)
				w[n++] = (struct ep_work){
					.work_ns = j->st[j->cur].cost_top,
					.deadline = j->st[j->cur].deadline,
					.speed = j->st[j->cur].speed };
			else
				in.extra_work_ns += j->st[j->cur].cost_top;
		}
		free(ord);
	}
	in.nr_work = (u32)n;
	switch (s->c->gov) {
	case SIM_GOV_PERFORMANCE:
		ep_gov_performance(&in, &out);
		break;
	case SIM_GOV_POWERSAVE:
		ep_gov_powersave(&in, &out);
		break;
	case SIM_GOV_USERSPACE:
		ep_gov_userspace(&in, s->c->user_khz[e], &out);
		break;
	default:
		ep_gov_deadline(&in, &out);
		break;
	}
	/*
	 * A host (the big cluster for the GPU and NPU) drives what it hosts:
	 * while they have work it keeps at least their relative speed
	 * (ep_host_floor(), the kernel's rule too).
	 */
	if (s->c->gov == SIM_GOV_DEADLINE || s->c->gov == SIM_GOV_SHARED)
		for (int o = 0; o < s->ne; o++)
			if (board_element(s->b, o)->host == e &&
			    (s->cl[o].run >= 0 || s->cl[o].nq)) {
				u32 floor = ep_host_floor(&c->model, &s->cl[o].model, s->cl[o].step);

				if (out.step < floor)
					out.step = floor;
			}
	if (s->c->gov == SIM_GOV_SHARED) {
		/*
		 * kmod/governor.c, edgeai_apply() in shared mode: a floor at the
		 * deadline governor's step while work with a deadline still
		 * ahead is there, none otherwise; Linux's governors do the rest.
		 */
		bool demand = false;

		for (int i = 0; i < n; i++)
			demand |= w[i].deadline != EP_NO_DEADLINE && w[i].deadline > s->now;
		c->floor = demand ? out.step : 0;
		linux_gov_update(s, e, tick);
		if ((u32)c->step < c->floor)
			sim_set_step(s, e, c->floor);
		gov_rearm(s, e, &in, &out);
		return;
	}
	sim_set_step(s, e, out.step);
	if (s->c->gov == SIM_GOV_DEADLINE)
		gov_rearm(s, e, &in, &out);
}

/*
 * The clusters whose work changed decide again, as the kernel's kicks do;
 * a guest's decision kicks its host (edgeai_gov_decide()).  With tick,
 * every cluster decides (the start, and Linux's scheduler tick).
 */
static void governors(struct sim *s, bool tick)
{
	for (int pass = 0; pass < 2; pass++)
		for (int e = 0; e < s->ne; e++) {
			int h = board_element(s->b, e)->host;

			if (!tick && !s->cl[e].dirty)
				continue;
			s->cl[e].dirty = false;
			governor(s, e, tick);
			if (h >= 0)
				s->cl[h].dirty = true;
		}
}

/*
 * The queued stage that runs next: the most urgent in the run-queue order,
 * but with SIM_ORDER_POLICY and max_wait_ms, as kmod/job.c's
 * edgeai_rq_next() (ep_pick_queue()): with no REALTIME or HIGH stage
 * queued, a NORMAL or BACKGROUND stage queued max_wait_ms ago or more runs
 * first, the oldest of them.  Every application is one user's, so the
 * kernel's round robin between users' flows leaves each class in its
 * ep_key_before() order.  Returns its index in the queue.
 */
static int next_queued(struct sim *s, int e)
{
	struct cluster *c = &s->cl[e];
	struct ep_queues pq = { .now = s->now,
				.max_wait_ns = (u64)s->c->max_wait_ms * NS_PER_MS };
	int best = 0, oldest = -1;

	for (int i = 1; i < c->nq; i++)
		if (before(s, c->q[i], c->q[best]))
			best = i;
	if (s->c->order != SIM_ORDER_POLICY || !pq.max_wait_ns)
		return best;
	for (int i = 0; i < c->nq; i++) {
		const struct job *j = &s->jobs[c->q[i]];
		u32 prio = (u32)s->apps[j->app].prio;

		if (prio <= EP_PRIO_HIGH) {
			pq.nr_strict++;
			continue;
		}
		if (prio == EP_PRIO_NORMAL)
			pq.nr_normal++;
		else
			pq.nr_background++;
		if (oldest < 0 || j->queued_at < s->jobs[c->q[oldest]].queued_at ||
		    (j->queued_at == s->jobs[c->q[oldest]].queued_at &&
		     j->seq < s->jobs[c->q[oldest]].seq))
			oldest = i;
	}
	if (oldest >= 0)
		pq.oldest_ns = s->jobs[c->q[oldest]].queued_at;
	return ep_pick_queue(&pq) == EP_PICK_AGED ? oldest : best;
}

static void try_start(struct sim *s, int e)
{
	struct cluster *c = &s->cl[e];
	struct board_cost bc;
	struct job *j;
	int best = 0;

	if (c->run >= 0 || !c->nq)
		return;
	if (s->now < c->stall_until) {
		if (!c->wake_pending) {
			c->wake_pending = true;
			sim_push(s, c->stall_until, EV_WAKE, e, 0);
		}
		return;
	}
	best = next_queued(s, e);
	if (s->c->drop_expired && s->jobs[c->q[best]].req_deadline < s->now) {
		/* Too late already: drop it, it counts as missed. */
		sim_job_dropped(s, c->q[best]);
		c->q[best] = c->q[--c->nq];
		c->dirty = true;
		try_start(s, e);
		return;
	}
	c->run = c->q[best];
	c->started = s->now;
	c->start_step = c->step;
	c->q[best] = c->q[--c->nq];
	c->dirty = true;
	j = &s->jobs[c->run];
	c->frac = 0;
	c->seg_start = s->now;
	if (sim_stage_cost(s, j, &j->st[j->cur], c->step, sim_host_step(s, e), false, &bc))
		bc.time_ns = 1, bc.dyn_energy_uj = 0;
	c->total = bc.time_ns ? bc.time_ns : 1;
	c->dyn_mw = bc.dyn_energy_uj / (c->total / 1e6);
	c->end = s->now + c->total;
	c->ver++;
	sim_push(s, c->end, EV_STAGE_END, e, c->ver);
	if (linux_governs(s))
		linux_gov_stage_start(s, e);
}

/* ---------------------------------------------------------------- dispatch */

/* When element e would be free, from what is queued and running there. */
u64 sim_avail(struct sim *s, int e)
{
	struct cluster *c = &s->cl[e];
	u64 t = s->now > c->stall_until ? s->now : c->stall_until, w = 0;

	if (c->run >= 0 && c->end > t)
		t = c->end;
	for (int i = 0; i < c->nq; i++) {
		const struct job *j = &s->jobs[c->q[i]];

		w += j->st[j->cur].cost_top;
	}
	return t + ep_scale_time(&c->model, w, (u32)c->step);
}

bool sim_usable(struct sim *s, int m, int e)
{
	return (!s->c->elems || (s->c->elems & (1u << e))) && board_has(s->b, m, e);
}

/* Element of earliest finish for a unit of job j starting when ready. */
static int eft_place(struct sim *s, struct job *j, int first, int n, u64 ready,
		     u64 *av, u64 *finish)
{
	int m = s->apps[j->app].model, best = -1;
	u64 bf = UINT64_MAX;

	for (int e = 0; e < s->ne; e++) {
		struct jstage st = { e, first, n, 0, 0, NULL };
		struct board_cost bc;
		u64 start, f;

		if (!sim_usable(s, m, e))
			continue;
		if (sim_stage_cost(s, j, &st, s->cl[e].step, sim_host_step(s, e), false, &bc))
			continue;
		start = av[e] > ready ? av[e] : ready;
		f = start + bc.time_ns;
		if (f < bf) {
			bf = f;
			best = e;
		}
	}
	*finish = bf;
	return best;
}

/* An anytime job aiming at an exit counts the stages up to it only. */
static void set_stage_deadlines(struct sim *s, struct job *j)
{
	u64 later = 0;

	for (int i = j->nst - 1; i >= 0; i--) {
		j->st[i].deadline = j->deadline;
		if (s->c->stage_deadlines && j->deadline != EP_NO_DEADLINE)
			j->st[i].deadline = j->deadline > later ? j->deadline - later : 0;
		if (i <= j->end)
			later += j->st[i].cost_top;
	}
}

/* Cut job j into stages at arrival (or its first for SIM_BAND). */
static void make_stages(struct sim *s, int jid)
{
	struct job *j = &s->jobs[jid];
	const struct sim_app *a = &s->apps[j->app];
	struct appstate *as = &s->as[j->app];
	int nl = board_model_layers(s->b, a->model);

	j->nst = 0;
	j->cur = 0;
	j->end = PLAN_MAX_STAGES;
	j->prev_elem = -1;
	switch (s->c->dispatch) {
	case SIM_STATIC: {
		const struct plan *pl;

		/* j->rep > 0: a fallback (submit()) or a later frame of its request. */
		if (a->nr_replicas > 0) {
			double tot = 0;
			int pick = 0;

			for (int r = 0; r < a->nr_replicas && r < PLAN_MAX_STAGES; r++) {
				double w = a->replica_rates ? a->replica_rates[r] :
					a->replicas[r].predicted.throughput_fps;

				as->credit[r] += w;
				tot += w;
				if (as->credit[r] > as->credit[pick])
					pick = r;
			}
			as->credit[pick] -= tot;
			j->rep = pick;
		}
		pl = plan_of(s, j);
		/*
		 * With safe_costs, a stage is declared as the planner declares
		 * it to the kernel (edgeai-run): cost_ns and its own speeds.
		 */
		for (int i = 0; i < pl->nr_stages; i++) {
			const struct plan_stage *p = &pl->stages[i];

			j->st[j->nst++] = (struct jstage){ p->elem, p->first_layer,
				p->nr_layers, s->c->safe_costs ? p->cost_ns : 0, 0,
				s->c->safe_costs ? p->speed : NULL };
		}
		break;
	}
	case SIM_ROUND_ROBIN:
		for (int k = 0; k < s->ne; k++) {
			int e = (as->rr + k) % s->ne;

			if (sim_usable(s, a->model, e)) {
				j->st[j->nst++] = (struct jstage){ e, 0, nl, 0, 0, NULL };
				as->rr = e + 1;
				break;
			}
		}
		break;
	case SIM_HEFT: {
		u64 av[BOARD_MAX_ELEMS], ready = s->now;

		for (int e = 0; e < s->ne; e++)
			av[e] = sim_avail(s, e);
		for (int u = 0; u < as->units; u++) {
			int f = as->ubound[u], n = as->ubound[u + 1] - f, e;
			u64 fin;

			j->prev_elem = j->nst ? j->st[j->nst - 1].elem : -1;
			j->prev_step = j->prev_elem >= 0 ? s->cl[j->prev_elem].step : 0;
			j->prev_host = j->prev_elem >= 0 ? sim_host_step(s, j->prev_elem) : -1;
			e = eft_place(s, j, f, n, ready, av, &fin);
			if (e < 0)
				break;
			av[e] = fin;
			ready = fin;
			if (j->nst && j->st[j->nst - 1].elem == e)
				j->st[j->nst - 1].n += n;
			else
				j->st[j->nst++] = (struct jstage){ e, f, n, 0, 0, NULL };
		}
		j->prev_elem = -1;
		break;
	}
	case SIM_EAS: {
		int e = eas_place(s, j);

		if (e >= 0)
			j->st[j->nst++] = (struct jstage){ e, 0, nl, 0, 0, NULL };
		break;
	}
	case SIM_BAND:
		j->unit = 0;
		break;
	}
	for (int i = 0; i < j->nst; i++) {
		j->prev_elem = i ? j->st[i - 1].elem : -1;
		if (!j->st[i].cost_top)
			j->st[i].cost_top = cost_top(s, j, &j->st[i]);
	}
	j->prev_elem = -1;
	refresh_costs(s, j);
	set_stage_deadlines(s, j);
}

/*
 * A job ended, late or not: each cluster that ran one of its stages adapts
 * its deadline governor's reserve (as kmod/job.c's edgeai_job_finish()).
 */
static void margin_update(struct sim *s, const struct job *j, bool missed)
{
	for (int i = 0; i < j->cur && i < j->nst; i++)
		ep_margin_update(&s->cl[j->st[i].elem].margin, missed);
}

void sim_job_dropped(struct sim *s, int jid)
{
	s->r->app[s->jobs[jid].app].dropped++;
	margin_update(s, &s->jobs[jid], true);
}

/*
 * Admission's estimates of stages first.. of job j (st[0] is stage
 * first's), as the kernel's edgeai_job_estimate().
 */
static void estimate(struct sim *s, const struct job *j, int first,
		     struct ep_admit_stage *st)
{
	/*
	 * As kmod/job.c's edgeai_job_admit(): ahead of the job's stage is what
	 * is left of the running stage, then the queued stages that run before
	 * it (class, then stage deadline; its equals queued earlier).  Every
	 * application is one user's, so the kernel's round robin between users
	 * has nothing to share.  The step is the one the cluster's governor
	 * holds, the top one under performance, deadline and Linux's governors
	 * (which may go up); the stage scaled to it at its own speeds where it
	 * has them, the work ahead at the cluster's.
	 */
	for (int i = first; i < j->nst; i++) {
		int e = j->st[i].elem;
		struct cluster *c = &s->cl[e];
		u32 prio = s->apps[j->app].prio;
		u64 ahead = running_left_top(s, e);
		bool fixed = s->c->gov == SIM_GOV_POWERSAVE || s->c->gov == SIM_GOV_USERSPACE;

		for (int q = 0; q < c->nq; q++) {
			const struct job *o = &s->jobs[c->q[q]];
			u32 op = s->apps[o->app].prio;

			if (op < prio || (op == prio && o->st[o->cur].deadline <= j->st[i].deadline))
				ahead += o->st[o->cur].cost_top;
		}
		u32 step = fixed ? (u32)c->step : c->model.nr_opp - 1;

		st[i - first] = (struct ep_admit_stage){
			.work_ns = ep_stage_time(&c->model, j->st[i].speed, j->st[i].cost_top, step),
			.ahead_ns = ep_scale_time(&c->model, ahead, step), .lanes = 1,
		};
	}
}

/* What the kernel's anytime decision knows of job j. */
static struct ep_anytime anytime_of(const struct sim *s, const struct job *j)
{
	const struct sim_app *a = &s->apps[j->app];

	return (struct ep_anytime){ a->exits, (u32)a->nr_exits, a->min_accuracy_ppm,
				    j->deadline };
}

/* Is job j a kernel anytime job (a graph with exits, the flag)? */
static bool anytime(const struct sim *s, const struct job *j)
{
	const struct sim_app *a = &s->apps[j->app];

	return a->anytime && a->nr_exits > 0 && s->c->dispatch == SIM_STATIC &&
	       a->nr_replicas <= 0 && j->rep == 0 && j->deadline != EP_NO_DEADLINE;
}

static bool admit(struct sim *s, int jid)
{
	struct job *j = &s->jobs[jid];
	struct ep_admit_stage st[PLAN_MAX_STAGES];
	struct ep_anytime a;
	int k;
	u64 fin;

	if (!s->c->admit || j->deadline == EP_NO_DEADLINE || s->c->dispatch == SIM_BAND)
		return true;
	estimate(s, j, 0, st);
	if (ep_admit(s->now, j->deadline, st, (u32)j->nst, &fin))
		return true;
	if (!anytime(s, j))
		return false;
	/* As edgeai_job_admit(): an anytime job aims at an exit in time. */
	a = anytime_of(s, j);
	k = ep_anytime_aim(&a, s->now, st, 0, &fin);
	if (k < 0)
		return false;
	j->end = (int)a.exits[k].after_stage;
	set_stage_deadlines(s, j);
	return true;
}

static int new_job(struct sim *s, int app, u64 arrival, u64 deadline, int frames)
{
	struct job *j;

	if (s->nj == s->capj) {
		struct job *n = realloc(s->jobs, (s->capj ? s->capj * 2 : 1024) * sizeof(*n));

		if (!n)
			return -1;
		s->jobs = n;
		s->capj = s->capj ? s->capj * 2 : 1024;
	}
	j = &s->jobs[s->nj];
	memset(j, 0, sizeof(*j));
	j->app = app;
	j->arrival = arrival;
	j->deadline = deadline;
	j->req_deadline = deadline;
	j->frames_left = frames;
	if (s->c->split_requests && deadline != EP_NO_DEADLINE &&
	    s->apps[app].arrival == SIM_SPORADIC && s->apps[app].burst > 1) {
		/* Frame k of n is due at k/n of the request's time. */
		int n = s->apps[app].burst, k = n - frames + 1;

		j->deadline = arrival + (deadline - arrival) / n * k;
	}
	j->prev_elem = -1;
	return (int)s->nj++;
}

static void record(struct sim *s, int app, u64 lat_ns, bool met, u32 accuracy_ppm)
{
	struct appstate *as = &s->as[app];

	if (as->nlat == as->caplat) {
		double *n = realloc(as->lat, (as->caplat ? as->caplat * 2 : 256) * sizeof(double));

		if (!n)
			return;
		as->lat = n;
		as->caplat = as->caplat ? as->caplat * 2 : 256;
	}
	as->lat[as->nlat++] = lat_ns / 1e6;
	s->r->app[app].completed++;
	if (met) {
		s->r->app[app].met++;
		s->r->app[app].accuracy_pct += accuracy_ppm / 1e4;
	}
}

/*
 * As the kernel's edgeai_job_anytime_check() when a stage of an anytime
 * job completes, with the next stage (j->cur) not queued yet: the exit
 * to end the job at, or -1 to go on (j->end and its stage deadlines then
 * aim at what the decision says).
 */
static int anytime_check(struct sim *s, struct job *j)
{
	struct ep_admit_stage st[PLAN_MAX_STAGES];
	struct ep_anytime a;
	u32 end;
	int k;

	if (!anytime(s, j) || j->cur >= j->nst)
		return -1;
	a = anytime_of(s, j);
	estimate(s, j, j->cur, st);
	k = ep_anytime_check(&a, s->now, st, (u32)j->cur - 1, (u32)j->nst, &end);
	if (k < 0) {
		j->end = (int)end;
		set_stage_deadlines(s, j);
	}
	return k;
}

/*
 * fallback_by_finish: what the application reads of cluster e (its wait_ns
 * in sysfs for class prio): what is left of the running stage and the
 * queued work of that class and the classes above, at the top step.
 */
static u64 cluster_wait(struct sim *s, int e, u32 prio)
{
	const struct cluster *c = &s->cl[e];
	u64 w = running_left_top(s, e);

	for (int q = 0; q < c->nq; q++) {
		const struct job *o = &s->jobs[c->q[q]];

		if ((u32)s->apps[o->app].prio <= prio)
			w += o->st[o->cur].cost_top;
	}
	return w;
}

/* When job jid's stages (as made) would end: plan_expected_finish(). */
static u64 expected_finish(struct sim *s, int jid, const u64 *wait)
{
	const struct job *j = &s->jobs[jid];
	struct plan_finish_stage st[PLAN_MAX_STAGES];

	for (int i = 0; i < j->nst; i++)
		st[i] = (struct plan_finish_stage){ j->st[i].elem, j->st[i].cost_top };
	return plan_expected_finish(s->now, wait, st, j->nst);
}

/*
 * The graphs a frame is submitted to, in turn, into order[]: its plan,
 * then its fallbacks (sim_app alts) in their order or, with
 * fallback_by_finish, by least expected finish (plan_finish_order(), as
 * edgeai-run).  Returns how many.
 */
static int graph_order(struct sim *s, int jid, int *order)
{
	const struct sim_app *a = &s->apps[s->jobs[jid].app];
	int n = a->nr_alts < PLAN_MAX_CANDIDATES ? a->nr_alts : PLAN_MAX_CANDIDATES;
	u64 fin[PLAN_MAX_CANDIDATES] = { 0 }, wait[BOARD_MAX_ELEMS];

	order[0] = 0;
	if (!s->c->fallback_by_finish) {
		for (int k = 1; k <= n; k++)
			order[k] = k;
		return n + 1;
	}
	for (int e = 0; e < s->ne; e++)
		wait[e] = cluster_wait(s, e, (u32)a->prio);
	for (int k = 1; k <= n; k++) {
		s->jobs[jid].rep = k;
		make_stages(s, jid);
		fin[k - 1] = expected_finish(s, jid, wait);
	}
	plan_finish_order(fin, n, order + 1);
	for (int k = 1; k <= n; k++)
		order[k]++;
	return n + 1;
}

/*
 * stage_by_finish: the alternatives of the stages of job j's plan, as
 * edgeai-run declares them (plan_alternatives()), made on first use.
 */
static const struct stage_alts *alts_of(struct sim *s, const struct job *j)
{
	struct stage_alts *sa = &s->as[j->app].alts[j->rep];
	const struct plan *pl = plan_of(s, j);
	int max = pl->nr_stages * PLAN_MAX_STAGE_ALTS;

	if (!sa->done) {
		sa->done = true;
		sa->v = calloc((size_t)max, sizeof(*sa->v));
		sa->n = sa->v ? plan_alternatives(s->b, pl, s->c->elems, sa->v, max) : 0;
	}
	return sa;
}

/*
 * stage_by_finish, the kernel's rule for a graph with stage alternatives
 * (struct edgeai_stage_alt): when job jid's stage j->cur becomes ready,
 * its places are its plan's element and its alternatives; each has its
 * class's wait there (the cluster's wait_ns) and the stage's estimate
 * there (declared, then learned from its runs there); ep_place_stage()
 * picks where it ends soonest, its own on a tie.  The stage's deadline
 * stays the job's less the later stages' estimates on their own elements.
 * A first stage is ready at submission: placed before admission
 * (make_placed()).
 */
static void place_stage(struct sim *s, int jid)
{
	struct job *j = &s->jobs[jid];
	struct jstage *st = &j->st[j->cur];
	struct ep_place p[1 + PLAN_MAX_STAGE_ALTS];
	const struct plan_alt *alt[1 + PLAN_MAX_STAGE_ALTS] = { NULL };
	u32 prio = (u32)s->apps[j->app].prio, n = 0, k;
	const struct stage_alts *sa;

	if (!s->c->stage_by_finish || s->c->dispatch != SIM_STATIC)
		return;
	sa = alts_of(s, j);
	p[n++] = (struct ep_place){ cluster_wait(s, st->elem, prio), st->cost_top, 1 };
	for (int i = 0; i < sa->n && n < 1 + PLAN_MAX_STAGE_ALTS; i++) {
		const struct plan_alt *a = &sa->v[i];
		struct ep_est *est;
		u64 declared;

		if (a->stage != j->cur)
			continue;
		declared = a->st.cost_ns;
		if (!s->c->safe_costs) {
			struct jstage x = *st;

			x.elem = a->st.elem;
			declared = cost_top(s, j, &x);
		}
		est = place_est(s, j, j->cur, a->st.elem);
		p[n] = (struct ep_place){ cluster_wait(s, a->st.elem, prio),
					  est ? ep_est_cost(est, declared) : declared, 1 };
		alt[n++] = a;
	}
	k = ep_place_stage(p, n);
	if (!k)
		return;
	st->elem = alt[k]->st.elem;
	st->cost_top = p[k].cost_ns;
	st->speed = s->c->safe_costs ? alt[k]->st.speed : NULL;
}

/* Start job jid: its stages, admission, its first stage queued. */
/*
 * Job jid's stages on its graph (j->rep), its first stage placed: it is
 * ready at submission, so the kernel places it (stage alternatives) before
 * strict admission, which counts it where it goes.
 */
static void make_placed(struct sim *s, int jid)
{
	make_stages(s, jid);
	place_stage(s, jid);
}

static void submit(struct sim *s, int jid, bool check)
{
	struct job *j;

	make_placed(s, jid);
	j = &s->jobs[jid];
	if (check && !admit(s, jid)) {
		const struct sim_app *a = &s->apps[j->app];
		int order[PLAN_MAX_CANDIDATES + 1], n;
		bool in = false;

		/*
		 * Refused (-ETIME): the application submits the frame to its
		 * next graph, as long as it has one (sim_app alts).
		 */
		n = a->nr_replicas <= 0 ? graph_order(s, jid, order) : 0;
		for (int k = 1; k < n && !in; k++) {
			j->rep = order[k];
			make_placed(s, jid);
			in = admit(s, jid);
		}
		if (!in) {
			s->r->app[j->app].rejected++;
			return;
		}
	}
	if (s->c->dispatch == SIM_BAND) {
		band_ready(s, jid);
		return;
	}
	if (!j->nst)
		return;
	sim_enqueue(s, j->st[0].elem, jid);
}

static void arrive(struct sim *s, int app, u64 dl, int frames)
{
	int jid = new_job(s, app, s->now, dl, frames);

	if (s->c->on_arrival)
		s->c->on_arrival(s->c->ctx, app, s->now / 1e9, frames);
	if (jid < 0)
		return;
	s->r->app[app].arrived++;
	submit(s, jid, true);
}

static void arrival(struct sim *s, int app)
{
	const struct sim_app *a = &s->apps[app];
	struct appstate *as = &s->as[app];
	u64 dl = a->slo_ms > 0 ? s->now + (u64)(a->slo_ms * NS_PER_MS) : EP_NO_DEADLINE;
	int frames = a->burst > 0 ? a->burst : 1;
	double gap, period;
	u64 next;

	switch (a->arrival) {
	case SIM_BURST:
		for (int i = 0; i < frames; i++)
			arrive(s, app, dl, 1);
		period = frames / a->rate;
		break;
	case SIM_SPORADIC:
		arrive(s, app, dl, frames);
		period = 0;
		break;
	case SIM_POISSON:
		arrive(s, app, dl, 1);
		period = 0;
		break;
	case SIM_PERIODIC:
	default:
		arrive(s, app, dl, 1);
		period = 1 / a->rate;
		break;
	}
	if (period > 0) {
		/* On a grid of the period, each moved by up to +-jitter x period. */
		as->nominal += (u64)(period * NS_PER_S);
		gap = s->c->jitter > 0 ? s->c->jitter * period * (2 * urand(s) - 1) : 0;
		next = (u64)((double)as->nominal + gap * NS_PER_S);
		if (next <= s->now)
			next = s->now + 1;
		if (as->nominal >= s->stop_arrivals)
			return;
	} else {
		next = s->now + (u64)(-log(urand(s)) / a->rate * NS_PER_S);
		if (next >= s->stop_arrivals)
			return;
	}
	sim_push(s, next, EV_ARRIVAL, app, 0);
}

static void stage_end(struct sim *s, int e)
{
	struct cluster *c = &s->cl[e];
	int jid = c->run;
	struct job *j = &s->jobs[jid];

	learn(s, e, j);
	c->run = -1;
	c->dyn_mw = 0;
	c->idle_since = s->now;
	j->prev_elem = e;
	j->prev_step = c->step;
	j->prev_host = sim_host_step(s, e);
	j->cur++;
	c->dirty = true;
	if (linux_governs(s))
		linux_gov_stage_end(s, e);
	if (s->c->dispatch == SIM_BAND &&
	    j->unit < board_model_layers(s->b, s->apps[j->app].model)) {
		band_ready(s, jid);
		return;
	}
	if (j->cur < j->nst) {
		int k;

		/* The kernel's stage deadline, from the estimates it has now. */
		if (stage_est(s, j, j->cur)) {
			refresh_costs(s, j);
			set_stage_deadlines(s, j);
		}
		/*
		 * The next stage is ready: placed now, and the anytime check
		 * counts it there (kmod/job.c, edgeai_job_anytime_check()).
		 */
		place_stage(s, jid);
		k = anytime_check(s, j);
		if (k >= 0) {
			s->r->app[j->app].exits_taken++;
			record(s, j->app, s->now - j->arrival, s->now <= j->req_deadline,
			       s->apps[j->app].exits[k].accuracy_ppm);
			return;
		}
		sim_enqueue(s, j->st[j->cur].elem, jid);
		return;
	}
	margin_update(s, j, s->now > j->deadline);
	if (j->frames_left > 1) {
		/* The next frame of a prompt-like request, same deadline. */
		int n = new_job(s, j->app, j->arrival, j->req_deadline, j->frames_left - 1);

		if (n >= 0) {
			/* On the graph the request was admitted to. */
			s->jobs[n].rep = s->apps[s->jobs[n].app].nr_alts ? s->jobs[jid].rep : 0;
			submit(s, n, false);
		}
		return;
	}
	j = &s->jobs[jid];
	record(s, j->app, s->now - j->arrival,
	       j->req_deadline == EP_NO_DEADLINE || s->now <= j->req_deadline,
	       s->apps[j->app].accuracy_ppm);
}

/* ---------------------------------------------------------------- setup */

static void units_of(struct sim *s, int app)
{
	const struct sim_app *a = &s->apps[app];
	struct appstate *as = &s->as[app];
	int nl = board_model_layers(s->b, a->model), ref = -1, u = s->c->units;
	double total = 0, acc = 0, t[PLAN_MAX_LAYERS];

	if (u < 1)
		u = 4;
	if (u > nl)
		u = nl;
	if (u > PLAN_MAX_STAGES)
		u = PLAN_MAX_STAGES;
	for (int e = 0; e < s->ne && ref < 0; e++)
		if (!strcmp(board_element(s->b, e)->cluster, "big") && board_has(s->b, a->model, e))
			ref = e;
	for (int e = 0; e < s->ne && ref < 0; e++)
		if (board_has(s->b, a->model, e))
			ref = e;
	for (int l = 0; l < nl; l++) {
		struct board_cost c;

		board_layer_cost(s->b, a->model, l, ref, top(s, ref), -1, &c);
		t[l] = c.time_ns;
		total += t[l];
	}
	as->units = 0;
	as->ubound[0] = 0;
	for (int l = 0; l < nl; l++) {
		acc += t[l];
		if (as->units < u - 1 && acc >= total * (as->units + 1) / u &&
		    l + 1 < nl && nl - (l + 1) >= u - 1 - as->units)
			as->ubound[++as->units] = l + 1;
	}
	as->ubound[++as->units] = nl;
}

static void sim_free_est(struct sim *s)
{
	for (int i = 0; i < s->na; i++) {
		for (int k = 0; s->as[i].alts && k < nr_plans(&s->apps[i]); k++)
			free(s->as[i].alts[k].v);
		free(s->as[i].alts);
		free(s->as[i].est);
	}
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int sim_run(const struct sim_config *c, const struct sim_app *apps, int na,
	    struct sim_result *r)
{
	struct sim *s;
	long met = 0, arrived = 0;

	memset(r, 0, sizeof(*r));
	if (!c->b || na < 1 || na > SIM_MAX_APPS || c->duration_s <= 0)
		return -EINVAL;
	for (int i = 0; i < na; i++)
		if (apps[i].rate <= 0 || board_model_layers(c->b, apps[i].model) < 1 ||
		    (c->dispatch == SIM_STATIC && apps[i].plan.nr_stages < 1 &&
		     apps[i].nr_replicas < 1))
			return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->c = c;
	s->b = c->b;
	s->apps = apps;
	s->na = na;
	s->ne = board_nr_elements(c->b);
	s->r = r;
	s->rng = c->seed * 0x9e3779b97f4a7c15ULL + 1;
	r->nr_apps = na;
	s->stop_arrivals = (u64)(c->duration_s * NS_PER_S);
	s->hard_end = 2 * s->stop_arrivals;
	for (int e = 0; e < s->ne; e++) {
		struct cluster *cl = &s->cl[e];
		const struct board_element *el = board_element(c->b, e);

		for (int k = 0; k < el->nr_steps; k++)
			cl->opp[k] = (struct ep_opp){ el->khz[k],
				(u32)board_step_power_mw(c->b, e, k),
				(u32)(board_step_speed(c->b, e, k) * EP_SPEED_SCALE) };
		cl->model = (struct ep_cluster_model){ cl->opp, (u32)el->nr_steps, 0,
			board_switch_up_ns(c->b, e), board_switch_down_ns(c->b, e) };
		cl->run = -1;
		cl->step = c->gov == SIM_GOV_POWERSAVE ? 0 : el->nr_steps - 1;
		ep_margin_init(&cl->margin);
	}
	for (int i = 0; i < na; i++) {
		if ((c->learn_costs && c->dispatch == SIM_STATIC &&
		     !(s->as[i].est = calloc((size_t)nr_plans(&apps[i]) * PLAN_MAX_STAGES *
					     BOARD_MAX_ELEMS, sizeof(struct ep_est)))) ||
		    (c->stage_by_finish && c->dispatch == SIM_STATIC &&
		     !(s->as[i].alts = calloc((size_t)nr_plans(&apps[i]),
					      sizeof(struct stage_alts))))) {
			sim_free_est(s);
			free(s);
			return -ENOMEM;
		}
		units_of(s, i);
		/* Spread the first arrivals over one period, seeded. */
		s->as[i].nominal = (u64)(urand(s) / apps[i].rate * NS_PER_S);
		sim_push(s, s->as[i].nominal, EV_ARRIVAL, i, 0);
	}
	if (c->dispatch == SIM_BAND && band_init(s)) {
		free(s->h.v);
		sim_free_est(s);
		free(s);
		return -ENOMEM;
	}
	if (c->gov == SIM_GOV_LINUX || c->gov == SIM_GOV_SHARED) {
		linux_gov_init(s);
		sim_push(s, (u64)(c->tick_ms * NS_PER_MS), EV_TICK, 0, 0);
	}
	governors(s, true);
	while (s->h.n) {
		struct ev ev = pop(s);

		if (ev.t > s->hard_end)
			break;
		advance(s, ev.t);
		s->now = ev.t;
		r->events++;
		switch (ev.type) {
		case EV_ARRIVAL:
			arrival(s, ev.a);
			break;
		case EV_STAGE_END:
			if (ev.ver != s->cl[ev.a].ver || s->cl[ev.a].run < 0)
				continue;
			stage_end(s, ev.a);
			break;
		case EV_WAKE:
			s->cl[ev.a].wake_pending = false;
			break;
		case EV_GOV:
			/* Decided below, with the kick of its host. */
			if (ev.ver == s->cl[ev.a].gov_ver)
				s->cl[ev.a].dirty = true;
			break;
		case EV_POLL:
			linux_gov_poll(s, ev.a);
			break;
		case EV_TICK: {
			bool busy = s->now < s->stop_arrivals;

			for (int e = 0; e < s->ne; e++)
				busy = busy || s->cl[e].run >= 0 || s->cl[e].nq;
			governors(s, true);
			if (busy)
				sim_push(s, s->now + (u64)(c->tick_ms * NS_PER_MS), EV_TICK, 0, 0);
			break;
		}
		}
		if (c->dispatch == SIM_BAND)
			band_schedule(s);
		for (int e = 0; e < s->ne; e++)
			try_start(s, e);
		/* Submit, stage end and stage start re-evaluate the governors. */
		governors(s, false);
	}
	r->end_s = s->now / 1e9;
	r->energy_j = s->energy_uj / 1e6;
	r->avg_power_w = s->now ? r->energy_j / r->end_s : 0;
	for (int e = 0; e < s->ne; e++) {
		r->util[e] = s->now ? (double)s->cl[e].busy_ns / s->now : 0;
		for (int k = 0; k < BOARD_MAX_STEPS; k++)
			r->residency[e][k] = s->now ? (double)s->cl[e].res_ns[k] / s->now : 0;
		free(s->cl[e].q);
	}
	for (int i = 0; i < na; i++) {
		struct sim_app_result *a = &r->app[i];
		struct appstate *as = &s->as[i];
		double sum = 0;

		if (as->nlat) {
			qsort(as->lat, as->nlat, sizeof(double), cmp_d);
			a->p50_ms = as->lat[(as->nlat - 1) / 2];
			a->p99_ms = as->lat[(long)ceil(0.99 * as->nlat) - 1];
			for (long k = 0; k < as->nlat; k++)
				sum += as->lat[k];
			a->mean_ms = sum / as->nlat;
		}
		a->throughput_fps = a->completed * (apps[i].arrival == SIM_SPORADIC &&
						    apps[i].burst > 0 ? apps[i].burst : 1) /
				    c->duration_s;
		if (apps[i].slo_ms <= 0)
			a->met = a->completed;
		a->slo_pct = a->arrived ? 100.0 * a->met / a->arrived : 100;
		a->accuracy_pct = a->arrived ? a->accuracy_pct / a->arrived : 0;
		met += a->met;
		arrived += a->arrived;
		free(as->lat);
	}
	r->slo_pct = arrived ? 100.0 * met / arrived : 100;
	for (int i = 0; i < na; i++)
		r->app_slo_pct += r->app[i].slo_pct / na;
	if (c->dispatch == SIM_BAND)
		band_free(s);
	sim_free_est(s);
	free(s->jobs);
	free(s->h.v);
	free(s);
	return 0;
}

/* ---------------------------------------------------------------- cosched */

int sim_fallbacks(const struct board *b, struct sim_app *a, struct plan *store, int max)
{
	int k = a->arrival == SIM_SPORADIC && a->burst > 0 ? a->burst : 1;
	int n = plan_fallbacks(b, a->model, &a->plan, a->slo_ms > 0 ? a->slo_ms / k : 0,
			       store, max);

	a->alts = n ? store : NULL;
	a->nr_alts = n;
	return n;
}

struct combo {
	double score, util;
	int idx[SIM_MAX_APPS];
};

int sim_cosched(const struct sim_config *c, struct sim_app *apps, int n, int topk,
		uint64_t seed)
{
	struct plan (*cand)[PLAN_MAX_CANDIDATES], (*alts)[PLAN_MAX_CANDIDATES];
	struct plan_app pa[SIM_MAX_APPS];
	const struct plan *ch[SIM_MAX_APPS];
	int nc[SIM_MAX_APPS], idx[SIM_MAX_APPS] = { 0 }, nk = 0;
	struct combo *top;
	double best_slo = -1, best_e = INFINITY;
	int best = -1;
	long combos = 1;

	if (n < 1 || n > SIM_MAX_APPS || topk < 1)
		return -EINVAL;
	cand = calloc(n, sizeof(*cand));
	alts = c->fallback ? calloc(n, sizeof(*alts)) : NULL;
	top = calloc(topk, sizeof(*top));
	if (!cand || !top || (c->fallback && !alts)) {
		free(cand);
		free(alts);
		free(top);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		int k = apps[i].arrival == SIM_SPORADIC && apps[i].burst > 0 ? apps[i].burst : 1;

		pa[i] = (struct plan_app){ apps[i].model, apps[i].prio, apps[i].rate * k,
					   apps[i].slo_ms / k };
		nc[i] = plan_candidates(c->b, apps[i].model, cand[i], PLAN_MAX_CANDIDATES);
		if (!nc[i]) {
			free(cand);
			free(alts);
			free(top);
			return -ENOENT;
		}
		combos *= nc[i];
	}
	if (combos > 4000000) {
		/* Too many to rank: the analytic choice alone. */
		struct plan outp[SIM_MAX_APPS];
		int rc = plan_multi(c->b, pa, n, outp, NULL, 0);

		for (int i = 0; !rc && i < n; i++)
			apps[i].plan = outp[i];
		free(cand);
		free(alts);
		free(top);
		return rc;
	}
	for (;;) {
		struct combo x;
		int i, pos;

		for (i = 0; i < n; i++)
			ch[i] = &cand[i][idx[i]];
		x.score = plan_multi_score(c->b, pa, n, ch, &x.util);
		memcpy(x.idx, idx, sizeof(idx));
		/* Keep the topk best (score high, then utilisation low). */
		for (pos = nk; pos > 0; pos--) {
			const struct combo *y = &top[pos - 1];

			if (y->score > x.score + 1e-12 ||
			    (y->score > x.score - 1e-12 && y->util <= x.util))
				break;
		}
		if (pos < topk) {
			int last = nk < topk ? nk : topk - 1;

			memmove(&top[pos + 1], &top[pos], (last - pos) * sizeof(*top));
			top[pos] = x;
			if (nk < topk)
				nk++;
		}
		for (i = 0; i < n; i++) {
			if (++idx[i] < nc[i])
				break;
			idx[i] = 0;
		}
		if (i == n)
			break;
	}
	for (int k = 0; k < nk; k++) {
		struct sim_config cc = *c;
		struct sim_result r;
		double slo;

		cc.seed = seed;
		if (cc.duration_s > 20)
			cc.duration_s = 20;
		for (int i = 0; i < n; i++) {
			apps[i].plan = cand[i][top[k].idx[i]];
			if (c->fallback)
				sim_fallbacks(c->b, &apps[i], alts[i], PLAN_MAX_CANDIDATES);
		}
		if (sim_run(&cc, apps, n, &r))
			continue;
		slo = c->cosched_by_app ? r.app_slo_pct : r.slo_pct;
		if (slo > best_slo + 1e-9 ||
		    (slo > best_slo - 1e-9 && r.energy_j < best_e)) {
			best_slo = slo;
			best_e = r.energy_j;
			best = k;
		}
	}
	for (int i = 0; i < n; i++) {
		if (best >= 0)
			apps[i].plan = cand[i][top[best].idx[i]];
		if (c->fallback) {
			apps[i].alts = NULL;
			apps[i].nr_alts = 0;
		}
	}
	free(cand);
	free(alts);
	free(top);
	return best >= 0 ? 0 : -ENOENT;
}
