// SPDX-License-Identifier: GPL-2.0-only
/*
 * A chat session beside a camera pipeline on the simulated board
 * (llm_sim.h).  Event-driven over the clusters the two use:
 *
 * - the camera's frames arrive periodically (seeded jitter); each runs its
 *   plan's stages one after the other, each on its element, one camera
 *   stage at a time per element (its executor, or its thread);
 * - the decode runs on one CPU cluster: a session job is a prefill, then
 *   one token step per token (llm_cost.c) until its end-of-sequence or its
 *   token limit, then the next chat request's job;
 * - under edgeai (LLM_SESSION, LLM_LONG_JOB) a cluster runs one unit at a
 *   time, the camera's realtime stages first: a session's steps are
 *   separate units, so a frame runs between two of them, and the freezing
 *   rule may hold a step while a frame's deadline is at risk; one long job
 *   is one unit to its end;
 * - under Linux (LLM_LINUX) the camera's thread and the decoder's share
 *   the cluster: each of the k runnable gets 1/k of it (CFS's fair share,
 *   as a fluid).
 *
 * Every cluster runs at its top step (docs/llm.md says why, and what that
 * leaves out).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/policy/policy.h"
#include "llm_sim.h"

#define EPS_S	1e-12
/* Higher-class stages a freezing decision looks at (the kernel's
 * EDGEAI_SESSION_WINDOW; more freeze). */
#define URGENT_MAX	16

struct frame {
	double arrival, deadline, end;
	int cur;		/* next stage */
};

struct lane {
	int *q;			/* frames waiting for this element, FIFO */
	int nq, head, capq;
	int cam;		/* frame whose stage runs, -1 */
	double cam_left;	/* its seconds left at full rate */
	bool ses;		/* the decode's unit runs here */
	double ses_left;
	double busy_s;
};

struct state {
	const struct llm_scenario *s;
	struct llm_result *r;
	struct frame *f;
	long nf, capf;
	struct lane l[BOARD_MAX_ELEMS];
	double stage_s[PLAN_MAX_STAGES];
	double now, period, next_arrival, nominal, end_arrivals;
	double scale;
	/* two streams: the camera's arrivals, the replies' lengths (the same
	 * replies whatever the camera does, in every variant) */
	uint64_t rng_cam, rng_chat;
	/* the session */
	uint32_t pos, target, done_tokens;
	uint32_t chunks, chunks_done;	/* the prefill's units, and done */
	bool in_job, prefilled, frozen;
	long since_step;	/* camera stages on its cluster since its last step */
	double slack[2];	/* least margin this window and the last */
	long epoch;
	struct ep_opp opp[BOARD_MAX_STEPS];
	struct ep_cluster_model model;	/* of the decode's cluster */
};

static uint64_t rnd(uint64_t *rng)
{
	/* xorshift64*: the same sequence for a seed on every machine */
	*rng ^= *rng >> 12;
	*rng ^= *rng << 25;
	*rng ^= *rng >> 27;
	return *rng * 2685821657736338717ULL;
}

static double uniform(uint64_t *rng)
{
	return (rnd(rng) >> 11) * (1.0 / 9007199254740992.0);
}

static int push_frame(struct state *st, int e, int fid)
{
	struct lane *l = &st->l[e];

	if (l->nq == l->capq) {
		int cap = l->capq ? 2 * l->capq : 64, *q = malloc(cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		for (int i = 0; i < l->nq; i++)
			q[i] = l->q[(l->head + i) % l->capq];
		free(l->q);
		l->q = q;
		l->head = 0;
		l->capq = cap;
	}
	l->q[(l->head + l->nq++) % l->capq] = fid;
	return 0;
}

static int pop_frame(struct lane *l)
{
	int fid = l->q[l->head];

	l->head = (l->head + 1) % l->capq;
	l->nq--;
	return fid;
}

static void new_job(struct state *st)
{
	const struct llm_scenario *s = st->s;
	uint32_t span = s->max_tokens - s->min_tokens;

	st->in_job = false;
	st->prefilled = false;
	st->chunks_done = 0;
	st->done_tokens = 0;
	st->pos = s->prompt;
	/* the reply's end-of-sequence, or the limit */
	st->target = s->min_tokens + (uint32_t)(uniform(&st->rng_chat) * (span + 1));
	if (st->target > s->max_tokens)
		st->target = s->max_tokens;
}

static double unit_s(struct state *st)
{
	return st->prefilled ? llm_cost_step_s(st->s->cost, st->pos, st->scale) :
			       llm_cost_prefill_s(st->s->cost, st->s->prompt, st->scale) /
			       st->chunks;
}

/*
 * A camera stage ended on the decode's cluster: its margin to its stage
 * deadline, kept per window of the kernel's session_window_ms, this
 * window's and the last's (kmod/session.c, edgeai_session_note_stage()).
 */
static void slack_roll(struct state *st)
{
	long epoch = (long)floor(st->now * 1000 / st->s->window_ms);

	if (epoch == st->epoch)
		return;
	st->slack[1] = epoch == st->epoch + 1 ? st->slack[0] : INFINITY;
	st->slack[0] = INFINITY;
	st->epoch = epoch;
}

static void note_slack(struct state *st, double due)
{
	slack_roll(st);
	st->slack[0] = fmin(st->slack[0], due > st->now ? due - st->now : 0);
}

/* When frame @fid's stage @i must end: its deadline less the stages after. */
static double stage_due(const struct state *st, int fid, int i)
{
	double due = st->f[fid].deadline;

	for (int k = i + 1; k < st->s->cam.nr_stages; k++)
		due -= st->stage_s[k];
	return due;
}

static u64 ns(double s)
{
	return s <= 0 ? 0 : (u64)llround(s * 1e9);
}

/* The kernel's view of cluster @e's steps (kmod/policy/policy.h). */
static void cluster_model(const struct board *b, int e, struct ep_opp *opp,
			  struct ep_cluster_model *m)
{
	const struct board_element *de = board_element(b, e);

	for (int k = 0; k < de->nr_steps; k++)
		opp[k] = (struct ep_opp){ de->khz[k], 0,
			(u32)(board_step_speed(b, e, k) * EP_SPEED_SCALE) };
	*m = (struct ep_cluster_model){ opp, (u32)de->nr_steps, 0, 0, 0 };
}

/*
 * The kernel's freezing rule itself (kmod/policy/session.c,
 * ep_session_frozen()), fed as kmod/session.c feeds it: the camera's
 * stages running and queued on the cluster (its realtime class is above
 * the session's) with their stage deadlines, the least margin of those
 * that ended there this window and the last, the step's estimate.
 */
static bool frozen_now(struct state *st, int e, double unit)
{
	struct ep_work urgent[URGENT_MAX];
	struct ep_session_in in = {
		.model = &st->model, .now = ns(st->now), .step = st->model.nr_opp - 1,
		.lanes = 1, .step_work_ns = ns(unit), .urgent = urgent,
		.recent_slack_ns = U64_MAX, .frozen = st->frozen,
	};
	const struct lane *l = &st->l[e];

	if (l->cam >= 0)
		urgent[in.nr_urgent++] = (struct ep_work){ ns(l->cam_left),
			ns(stage_due(st, l->cam, st->f[l->cam].cur)), NULL };
	for (int i = 0; i < l->nq; i++) {
		int fid = l->q[(l->head + i) % l->capq];

		if (in.nr_urgent == URGENT_MAX)
			return true;
		urgent[in.nr_urgent++] = (struct ep_work){ ns(st->stage_s[st->f[fid].cur]),
			ns(stage_due(st, fid, st->f[fid].cur)), NULL };
	}
	slack_roll(st);
	if (isfinite(fmin(st->slack[0], st->slack[1])))
		in.recent_slack_ns = ns(fmin(st->slack[0], st->slack[1]));
	return ep_session_frozen(&in);
}

static void start_units(struct state *st)
{
	const struct llm_scenario *s = st->s;
	int ne = board_nr_elements(s->b);

	for (int e = 0; e < ne; e++) {
		struct lane *l = &st->l[e];
		bool dec = e == s->dec_elem && st->now < s->duration_s;
		bool exclusive = s->mode != LLM_LINUX;

		/* one long job holds its cluster to its end, past the run's too */
		if (e == s->dec_elem && s->mode == LLM_LONG_JOB && st->in_job && !l->ses &&
		    l->cam < 0) {
			l->ses = true;
			l->ses_left = unit_s(st);
		}
		if (l->cam < 0 && l->nq && !(exclusive && l->ses)) {
			l->cam = pop_frame(l);
			l->cam_left = st->stage_s[st->f[l->cam].cur];
			if (dec)
				st->since_step++;
		}
		if (!dec || l->ses || (exclusive && l->cam >= 0))
			continue;
		if (st->now < s->chat_start_s)
			continue;
		/* token steps only: the prefill runs as any stage does */
		if (s->mode == LLM_SESSION && s->freeze && s->camera && st->prefilled) {
			bool fr = frozen_now(st, e, unit_s(st));

			if (fr && !st->frozen)
				st->r->freezes++;
			st->frozen = fr;
			if (fr)
				continue;
		}
		l->ses = true;
		l->ses_left = unit_s(st);
		st->in_job = true;
	}
}

static double rate(const struct state *st, const struct lane *l)
{
	if (st->s->mode != LLM_LINUX)
		return 1;
	return l->ses && l->cam >= 0 ? 0.5 : 1;
}

static int frame_done(struct state *st, int fid)
{
	struct frame *f = &st->f[fid];

	f->end = st->now;
	if (f->end <= f->deadline + EPS_S)
		st->r->met++;
	return 0;
}

static int unit_done(struct state *st)
{
	const struct llm_scenario *s = st->s;

	if (!st->prefilled) {
		st->prefilled = ++st->chunks_done >= st->chunks;
		return 0;
	}
	if (st->now <= s->duration_s + EPS_S)
		st->r->tokens++;
	else
		st->r->late_tokens++;
	if (st->since_step > st->r->max_interleave && st->done_tokens)
		st->r->max_interleave = st->since_step;
	st->since_step = 0;
	st->pos++;
	if (++st->done_tokens >= st->target) {
		st->r->sessions++;
		if (st->target >= s->max_tokens)
			st->r->limited++;
		new_job(st);
	}
	return 0;
}

static int arrive(struct state *st)
{
	const struct llm_scenario *s = st->s;
	struct frame *f;

	if (st->nf == st->capf) {
		long cap = st->capf ? 2 * st->capf : 256;
		struct frame *n = realloc(st->f, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		st->f = n;
		st->capf = cap;
	}
	f = &st->f[st->nf];
	f->arrival = st->now;
	f->deadline = st->now + s->slo_ms / 1000;
	f->end = -1;
	f->cur = 0;
	st->r->frames++;
	st->nominal += st->period;
	st->next_arrival = st->nominal + (2 * uniform(&st->rng_cam) - 1) * s->jitter * st->period;
	if (st->next_arrival < st->now)
		st->next_arrival = st->now;
	return push_frame(st, s->cam.stages[0].elem, (int)st->nf++);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void latencies(struct state *st, double hard_end)
{
	double *lat;

	if (!st->nf)
		return;
	lat = malloc(st->nf * sizeof(*lat));
	if (!lat)
		return;
	for (long i = 0; i < st->nf; i++)
		lat[i] = ((st->f[i].end >= 0 ? st->f[i].end : hard_end) - st->f[i].arrival) *
			 1000;
	qsort(lat, st->nf, sizeof(*lat), cmp_double);
	st->r->p50_ms = lat[(st->nf - 1) / 2];
	st->r->p99_ms = lat[(long)ceil(0.99 * st->nf) - 1];
	free(lat);
}

static int check(const struct llm_scenario *s)
{
	const struct board_element *de;

	if (!s->b || !s->cost || s->duration_s <= s->chat_start_s || s->chat_start_s < 0 ||
	    s->dec_cores <= 0 || (s->freeze && s->window_ms <= 0) ||
	    s->dec_elem < 0 || s->dec_elem >= board_nr_elements(s->b) ||
	    !s->max_tokens || s->min_tokens > s->max_tokens ||
	    s->prefill_chunks > LLM_MAX_PREFILL_CHUNKS)
		return -EINVAL;
	de = board_element(s->b, s->dec_elem);
	if (de->kind != BOARD_CPU)
		return -EINVAL;
	if (s->camera && (s->fps <= 0 || s->slo_ms <= 0 || !s->cam.nr_stages ||
			  s->jitter < 0 || s->jitter >= 1))
		return -EINVAL;
	return 0;
}

int llm_sim_run(const struct llm_scenario *s, struct llm_result *r)
{
	const struct board_element *de;
	struct state st;
	double hard_end, longest;
	int ne, top, rc;

	memset(r, 0, sizeof(*r));
	rc = check(s);
	if (rc)
		return rc;
	memset(&st, 0, sizeof(st));
	st.s = s;
	st.r = r;
	st.rng_cam = s->seed * 0x9E3779B97F4A7C15ULL + 1;
	st.rng_chat = s->seed * 0xD1B54A32D192ED03ULL + 2;
	st.slack[0] = st.slack[1] = INFINITY;
	ne = board_nr_elements(s->b);
	for (int e = 0; e < ne; e++)
		st.l[e].cam = -1;
	de = board_element(s->b, s->dec_elem);
	top = board_top_step(s->b, s->dec_elem);
	cluster_model(s->b, s->dec_elem, st.opp, &st.model);
	st.chunks = s->mode == LLM_SESSION && s->prefill_chunks > 1 ? s->prefill_chunks : 1;
	st.scale = llm_cost_scale(s->cost, s->dec_cores, de->khz[top] / 1000.0,
				  board_step_speed(s->b, s->dec_elem, top));
	if (st.scale <= 0)
		return -EINVAL;
	for (int i = 0; s->camera && i < s->cam.nr_stages; i++)
		st.stage_s[i] = s->cam.stages[i].time_ns / 1e9;
	st.period = s->camera ? 1 / s->fps : 0;
	st.end_arrivals = s->camera ? s->duration_s : 0;
	st.next_arrival = s->camera ? uniform(&st.rng_cam) * st.period : INFINITY;
	st.nominal = st.next_arrival;
	new_job(&st);
	/* Frames left at the end get time to finish: the longest unit, a deadline. */
	longest = llm_cost_prefill_s(s->cost, s->prompt, st.scale) +
		  s->max_tokens * llm_cost_step_s(s->cost, s->prompt + s->max_tokens, st.scale);
	hard_end = s->duration_s + longest + (s->camera ? s->slo_ms / 1000 : 0);

	while (st.now < hard_end) {
		double next = hard_end, dt;

		start_units(&st);
		if (st.next_arrival < st.end_arrivals)
			next = fmin(next, st.next_arrival);
		if (st.now < s->duration_s)
			next = fmin(next, s->duration_s);
		if (st.now < s->chat_start_s)
			next = fmin(next, s->chat_start_s);
		for (int e = 0; e < ne; e++) {
			const struct lane *l = &st.l[e];

			if (l->cam >= 0)
				next = fmin(next, st.now + l->cam_left / rate(&st, l));
			if (l->ses)
				next = fmin(next, st.now + l->ses_left / rate(&st, l));
		}
		dt = next - st.now;
		if (dt < 0)
			dt = 0;
		if (st.frozen && !st.l[s->dec_elem].ses && st.l[s->dec_elem].cam < 0 &&
		    st.now < s->duration_s)
			r->frozen_s += dt;
		for (int e = 0; e < ne; e++) {
			struct lane *l = &st.l[e];
			double rt = rate(&st, l);

			if (l->cam >= 0)
				l->cam_left -= dt * rt;
			if (l->ses)
				l->ses_left -= dt * rt;
			if ((l->cam >= 0 || l->ses) && st.now < s->duration_s)
				l->busy_s += fmin(dt, s->duration_s - st.now);
		}
		st.now = next;
		for (int e = 0; e < ne; e++) {
			struct lane *l = &st.l[e];

			if (l->cam >= 0 && l->cam_left <= EPS_S) {
				int fid = l->cam;

				l->cam = -1;
				if (e == s->dec_elem)
					note_slack(&st, stage_due(&st, fid, st.f[fid].cur));
				if (++st.f[fid].cur >= s->cam.nr_stages)
					rc = frame_done(&st, fid);
				else
					rc = push_frame(&st, s->cam.stages[st.f[fid].cur].elem, fid);
				if (rc)
					goto out;
			}
			if (l->ses && l->ses_left <= EPS_S) {
				l->ses = false;
				unit_done(&st);
			}
		}
		if (st.next_arrival <= st.now && st.next_arrival < st.end_arrivals) {
			rc = arrive(&st);
			if (rc)
				goto out;
		}
		/* nothing left to do after the end */
		if (st.now >= s->duration_s && !st.l[s->dec_elem].ses) {
			bool idle = true;

			for (int e = 0; e < ne; e++)
				idle = idle && st.l[e].cam < 0 && !st.l[e].nq;
			if (idle)
				break;
		}
	}
	latencies(&st, hard_end);
	r->tokens_per_s = r->tokens / (s->duration_s - s->chat_start_s);
	r->dec_util = st.l[s->dec_elem].busy_s / s->duration_s;
out:
	for (int e = 0; e < ne; e++)
		free(st.l[e].q);
	free(st.f);
	return rc;
}

int llm_place(const struct board *b, const struct plan *cam, double fps, double slo_ms,
	      uint32_t prompt, struct llm_candidate *c, int n)
{
	int best = -1, fastest = -1;

	if (!b || !cam || !c || n <= 0 || fps <= 0 || slo_ms <= 0)
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		const struct board_element *de;
		struct ep_opp opp[BOARD_MAX_STEPS];
		struct ep_cluster_model model;
		struct ep_work urgent[PLAN_MAX_STAGES];
		struct ep_session_in in = {
			.model = &model, .lanes = 1, .urgent = urgent,
			.recent_slack_ns = U64_MAX,
		};
		double total = 0, start = 0, busy = 0, scale;
		int top;

		if (c[i].elem < 0 || c[i].elem >= board_nr_elements(b) || !c[i].cost)
			return -EINVAL;
		de = board_element(b, c[i].elem);
		if (de->kind != BOARD_CPU)
			return -EINVAL;
		top = board_top_step(b, c[i].elem);
		cluster_model(b, c[i].elem, opp, &model);
		in.step = model.nr_opp - 1;
		scale = llm_cost_scale(c[i].cost, c[i].cores, de->khz[top] / 1000.0,
				       board_step_speed(b, c[i].elem, top));
		c[i].step_s = llm_cost_step_s(c[i].cost, prompt, scale);
		if (c[i].step_s <= 0)
			return -EINVAL;
		in.step_work_ns = ns(c[i].step_s);
		for (int k = 0; k < cam->nr_stages; k++)
			total += cam->stages[k].time_ns / 1e9;
		/*
		 * A frame just arrived: its stages on this cluster are what
		 * a step started now would delay, each due at the frame's
		 * deadline less the stages after it; run unhindered they end
		 * with the margin the kernel's window would hold.
		 */
		for (int k = 0; k < cam->nr_stages; k++) {
			double t = cam->stages[k].time_ns / 1e9;
			double due = slo_ms / 1000 - (total - start - t);
			u64 slack = ns(due - start - t);

			start += t;
			if (cam->stages[k].elem != c[i].elem)
				continue;
			busy += t * fps;
			urgent[in.nr_urgent++] = (struct ep_work){ ns(t), ns(due), NULL };
			if (in.recent_slack_ns == U64_MAX || slack < in.recent_slack_ns)
				in.recent_slack_ns = slack;
		}
		c[i].frozen = ep_session_frozen(&in);
		/* what the camera leaves of the cluster, a step at a time */
		c[i].tokens_per_s = busy < 1 ? (1 - busy) / c[i].step_s : 0;
		if (fastest < 0 || c[i].tokens_per_s > c[fastest].tokens_per_s)
			fastest = i;
		if (!c[i].frozen && (best < 0 || c[i].tokens_per_s > c[best].tokens_per_s))
			best = i;
	}
	return best >= 0 ? best : fastest;
}
