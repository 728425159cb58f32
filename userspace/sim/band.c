// SPDX-License-Identifier: GPL-2.0-only
/*
 * Band (Jeong et al., "Band: Coordinated Multi-DNN Inference on
 * Heterogeneous Mobile Processors", MobiSys'22, §4; code: mrsnu/band,
 * band/scheduler/least_slack_first_scheduler.cc and the engine's
 * GetSubgraphWithMinCost()), the baseline SIM_BAND:
 *
 * - one global request queue; a request is a job's next unit subgraph;
 * - on every scheduling point with an idle worker, the queue is sorted by
 *   slack = deadline - now - expected latency of the whole rest of the
 *   job (not only what is placed), least slack first;
 * - the expected latency is GetSubgraphWithMinCost(): over every way to cut
 *   the remaining units into subgraphs and place each on a worker, the
 *   least expected finish counting each worker's expected waiting time
 *   (what is running and queued there) and the hand-offs between workers;
 *   its first subgraph is the one to dispatch;
 * - a request whose expected finish is already past its deadline is
 *   dropped (kSLOViolation) before it uses a worker: Band's own admission;
 * - a request is dispatched only when the worker of its first subgraph is
 *   idle; that worker's waiting time then grows by the subgraph's expected
 *   latency for the requests after it.
 *
 * Unit subgraphs are the network cut into contiguous units (sim_config
 * units, even time on the big cluster); every unit runs on every element
 * the model supports, so there is no fallback split to model.  Expected
 * latencies are the board model's at each worker's current step, as
 * Band's profiled moving averages would converge to.  Workers run at the
 * frequency the configured governor sets.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"

struct band {
	int *q;			/* ready job ids */
	int n, cap;
	double *slack;		/* per job in q, this scheduling point */
	int *first_elem;	/* per job in q: its best first subgraph */
	int *first_units;
	u64 *finish;
};

int band_init(struct sim *s)
{
	s->band = calloc(1, sizeof(*s->band));
	return s->band ? 0 : -ENOMEM;
}

void band_free(struct sim *s)
{
	struct band *bd = s->band;

	if (!bd)
		return;
	free(bd->q);
	free(bd->slack);
	free(bd->first_elem);
	free(bd->first_units);
	free(bd->finish);
	free(bd);
	s->band = NULL;
}

void band_ready(struct sim *s, int jid)
{
	struct band *bd = s->band;

	if (bd->n == bd->cap) {
		int cap = bd->cap ? bd->cap * 2 : 64;
		int *q = realloc(bd->q, cap * sizeof(*q));
		double *sl = realloc(bd->slack, cap * sizeof(*sl));
		int *fe = realloc(bd->first_elem, cap * sizeof(*fe));
		int *fu = realloc(bd->first_units, cap * sizeof(*fu));
		u64 *fi = realloc(bd->finish, cap * sizeof(*fi));

		if (q)
			bd->q = q;
		if (sl)
			bd->slack = sl;
		if (fe)
			bd->first_elem = fe;
		if (fu)
			bd->first_units = fu;
		if (fi)
			bd->finish = fi;
		if (!q || !sl || !fe || !fu || !fi)
			return;
		bd->cap = cap;
	}
	bd->q[bd->n++] = jid;
}

/* Index of the unit that starts at layer l. */
static int unit_at(const struct appstate *as, int l)
{
	for (int u = 0; u < as->units; u++)
		if (as->ubound[u] == l)
			return u;
	return as->units;
}

/*
 * Least expected finish of units u.. of job j, the previous subgraph on
 * prev (-1: none) ending at t; *fe, *fu: the first subgraph's element and
 * unit count.
 */
static u64 min_cost(struct sim *s, struct job *j, int u, int prev, u64 t,
		    const u64 *wait, int *fe, int *fu)
{
	const struct appstate *as = &s->as[j->app];
	int m = s->apps[j->app].model;
	u64 best = UINT64_MAX;

	if (u >= as->units)
		return t;
	for (int e = 0; e < s->ne; e++) {
		if (!sim_usable(s, m, e))
			continue;
		for (int k = u + 1; k <= as->units; k++) {
			struct jstage st = { e, as->ubound[u], as->ubound[k] - as->ubound[u], 0, 0, NULL };
			int sv_prev = j->prev_elem, sv_step = j->prev_step, sv_host = j->prev_host;
			struct board_cost bc;
			u64 start, end;
			int rc;

			if (prev != sv_prev) {
				j->prev_elem = prev;
				j->prev_step = prev >= 0 ? s->cl[prev].step : 0;
				j->prev_host = prev >= 0 ? sim_host_step(s, prev) : -1;
			}
			rc = sim_stage_cost(s, j, &st, s->cl[e].step, sim_host_step(s, e), false, &bc);
			j->prev_elem = sv_prev;
			j->prev_step = sv_step;
			j->prev_host = sv_host;
			if (rc)
				continue;
			start = wait[e] > t ? wait[e] : t;
			end = min_cost(s, j, k, e, start + bc.time_ns, wait, NULL, NULL);
			if (end < best) {
				best = end;
				if (fe) {
					*fe = e;
					*fu = k - u;
				}
			}
		}
	}
	return best;
}

static int cmp_slack(const void *a, const void *b, void *ctx)
{
	const struct band *bd = ctx;
	double x = bd->slack[*(const int *)a], y = bd->slack[*(const int *)b];

	if (x != y)
		return x < y ? -1 : 1;
	return *(const int *)a - *(const int *)b;	/* arrival order */
}

/* Dispatch job jid's next nunits units to element e. */
static void dispatch(struct sim *s, int jid, int e, int nunits)
{
	struct job *j = &s->jobs[jid];
	const struct appstate *as = &s->as[j->app];
	int u = unit_at(as, j->unit);
	struct jstage *st = &j->st[j->nst];

	*st = (struct jstage){ e, j->unit, as->ubound[u + nunits] - j->unit, 0, j->deadline, NULL };
	st->cost_top = 0;
	{
		struct board_cost bc;
		int he = board_element(s->b, e)->host;

		if (!sim_stage_cost(s, j, st, board_top_step(s->b, e),
				    he >= 0 ? board_top_step(s->b, he) : -1, true, &bc))
			st->cost_top = bc.time_ns;
	}
	j->cur = j->nst++;
	j->unit = as->ubound[u + nunits];
	sim_enqueue(s, e, jid);
}

void band_schedule(struct sim *s)
{
	struct band *bd = s->band;
	u64 wait[BOARD_MAX_ELEMS];
	bool idle[BOARD_MAX_ELEMS], any = false;
	int *ord, n = bd->n, keep = 0;
	char *gone;

	if (!n)
		return;
	for (int e = 0; e < s->ne; e++) {
		idle[e] = s->cl[e].run < 0 && !s->cl[e].nq;
		any = any || idle[e];
		wait[e] = sim_avail(s, e);
	}
	if (!any)
		return;
	ord = malloc(n * sizeof(*ord));
	gone = calloc(n, 1);
	if (!ord || !gone) {
		free(ord);
		free(gone);
		return;
	}
	/* Slack of each request from its whole remaining job (UpdateExpectedLatency). */
	for (int i = 0; i < n; i++) {
		struct job *j = &s->jobs[bd->q[i]];
		u64 fin = min_cost(s, j, unit_at(&s->as[j->app], j->unit), j->prev_elem, s->now,
				   wait, &bd->first_elem[i], &bd->first_units[i]);

		ord[i] = i;
		bd->finish[i] = fin;
		bd->slack[i] = j->deadline == EP_NO_DEADLINE || fin == UINT64_MAX ? INFINITY :
			(double)j->deadline - (double)fin;
	}
	qsort_r(ord, n, sizeof(*ord), cmp_slack, bd);
	for (int k = 0; k < n; k++) {
		int i = ord[k], jid = bd->q[i], e, nu;
		struct job *j = &s->jobs[jid];
		u64 fin;

		/* GetSubgraphWithMinCost() with the waiting times as they are now. */
		fin = min_cost(s, j, unit_at(&s->as[j->app], j->unit), j->prev_elem, s->now,
			       wait, &e, &nu);
		if (fin == UINT64_MAX)
			continue;
		if (j->deadline != EP_NO_DEADLINE && fin > j->deadline) {
			/* kSLOViolation: dropped before it runs. */
			sim_job_dropped(s, jid);
			gone[i] = 1;
			continue;
		}
		if (!idle[e])
			continue;
		idle[e] = false;
		dispatch(s, jid, e, nu);
		/* The worker's waiting time now counts this subgraph. */
		wait[e] = sim_avail(s, e);
		gone[i] = 1;
	}
	for (int i = 0; i < n; i++)
		if (!gone[i])
			bd->q[keep++] = bd->q[i];
	bd->n = keep;
	free(ord);
	free(gone);
}
