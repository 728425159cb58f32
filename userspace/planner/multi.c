// SPDX-License-Identifier: GPL-2.0-only
/*
 * Multi-DNN co-scheduling, see plan.h.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

int plan_candidates(const struct board *b, int m, struct plan *out, int max)
{
	int ne = board_nr_elements(b), n = 0;

	for (unsigned int mask = 1; mask < (1u << ne) && n < max; mask++) {
		struct plan_opts o = { .goal = PLAN_LATENCY, .elems = mask, .top_only = true };
		struct plan p;
		bool dup = false;

		if (plan_make(b, m, &o, &p, NULL, 0))
			continue;
		for (int i = 0; i < n; i++)
			dup = dup || plan_same_stages(&out[i], &p, true);
		if (!dup)
			out[n++] = p;
	}
	if (n < max) {
		struct plan_opts o = { .goal = PLAN_THROUGHPUT };
		struct plan p;
		bool dup = false;

		if (!plan_make(b, m, &o, &p, NULL, 0)) {
			for (int i = 0; i < n; i++)
				dup = dup || plan_same_stages(&out[i], &p, true);
			if (!dup)
				out[n++] = p;
		}
	}
	return n;
}

/*
 * Per cluster, an M/G/1 queue with non-preemptive priorities (the kernel
 * runs a stage to its end): a stage of class k waits on average
 * W = R / ((1 - s_hi) (1 - s_hi_eq)), R = sum of rate * E[S^2] / 2 over all
 * the cluster's work, s_hi and s_hi_eq the utilisation of work of higher,
 * and of higher or equal, class.  A frame meets its SLO with probability
 * 1 - exp(-(slo - service) / waiting) (waiting taken as exponential).
 */
double plan_multi_score(const struct board *b, const struct plan_app *apps, int n,
			const struct plan *const *ch, double *max_util)
{
	int ne = board_nr_elements(b);
	double met = 0, total = 0, umax = 0, R[BOARD_MAX_ELEMS] = { 0 };

	for (int e = 0; e < ne; e++) {
		double u = 0;

		for (int a = 0; a < n; a++) {
			u += apps[a].rate * plan_elem_load_ms(ch[a], e) / 1000;
			for (int i = 0; i < ch[a]->nr_stages; i++)
				if (ch[a]->stages[i].elem == e) {
					double t = ch[a]->stages[i].time_ns / 1e9;

					R[e] += apps[a].rate * t * t / 2;
				}
		}
		if (u > umax)
			umax = u;
	}
	for (int a = 0; a < n; a++) {
		double wait = 0, serv = 0, p;
		bool sat = false;

		for (int i = 0; i < ch[a]->nr_stages; i++) {
			const struct plan_stage *s = &ch[a]->stages[i];
			double hi = 0, hieq = 0;

			for (int o = 0; o < n; o++) {
				double u = apps[o].rate * plan_elem_load_ms(ch[o], s->elem) / 1000;

				if (apps[o].prio < apps[a].prio)
					hi += u;
				if (apps[o].prio <= apps[a].prio)
					hieq += u;
			}
			serv += s->time_ns / 1e6;
			if (hieq >= 1)
				sat = true;
			else
				wait += 1000 * R[s->elem] / ((1 - hi) * (1 - hieq));
		}
		total += apps[a].rate;
		if (apps[a].slo_ms <= 0)
			p = 1;
		else if (sat || serv > apps[a].slo_ms)
			p = 0;
		else if (wait <= 0)
			p = 1;
		else
			p = 1 - exp(-(apps[a].slo_ms - serv) / wait);
		met += apps[a].rate * p;
	}
	if (max_util)
		*max_util = umax;
	return total > 0 ? met / total : 1;
}

int plan_multi(const struct board *b, const struct plan_app *apps, int n,
	       struct plan *out, char *err, size_t errlen)
{
	struct plan (*cand)[PLAN_MAX_CANDIDATES];
	int nc[16], idx[16], best[16];
	const struct plan *ch[16];
	double bs = -1, bu = INFINITY, be = INFINITY;
	long combos = 1;

	if (n < 1 || n > 16) {
		snprintf(err, errlen, "1 to 16 applications");
		return -EINVAL;
	}
	cand = calloc(n, sizeof(*cand));
	if (!cand)
		return -ENOMEM;
	for (int a = 0; a < n; a++) {
		nc[a] = plan_candidates(b, apps[a].model, cand[a], PLAN_MAX_CANDIDATES);
		if (!nc[a]) {
			snprintf(err, errlen, "no plan for %s", board_model_name(b, apps[a].model));
			free(cand);
			return -ENOENT;
		}
		combos *= nc[a];
		idx[a] = 0;
		best[a] = 0;
	}
	/* Exhaustive when small enough, else coordinate descent from the
	 * least-latency plans. */
	if (combos <= 2000000) {
		for (;;) {
			double u, s, en = 0;
			int a;

			for (a = 0; a < n; a++) {
				ch[a] = &cand[a][idx[a]];
				en += apps[a].rate * ch[a]->predicted.energy_mj;
			}
			s = plan_multi_score(b, apps, n, ch, &u);
			if (s > bs + 1e-12 || (s > bs - 1e-12 && (u < bu - 1e-9 ||
			    (u < bu + 1e-9 && en < be)))) {
				bs = s, bu = u, be = en;
				memcpy(best, idx, sizeof(int) * n);
			}
			for (a = 0; a < n; a++) {
				if (++idx[a] < nc[a])
					break;
				idx[a] = 0;
			}
			if (a == n)
				break;
		}
	} else {
		bool improved = true;

		for (int a = 0; a < n; a++)
			ch[a] = &cand[a][0];
		bs = plan_multi_score(b, apps, n, ch, &bu);
		while (improved) {
			improved = false;
			for (int a = 0; a < n; a++)
				for (int k = 0; k < nc[a]; k++) {
					double u, s;

					ch[a] = &cand[a][k];
					s = plan_multi_score(b, apps, n, ch, &u);
					if (s > bs + 1e-12 || (s > bs - 1e-12 && u < bu - 1e-9)) {
						bs = s, bu = u;
						best[a] = k;
						improved = true;
					}
					ch[a] = &cand[a][best[a]];
				}
		}
	}
	for (int a = 0; a < n; a++)
		out[a] = cand[a][best[a]];
	free(cand);
	return 0;
}
