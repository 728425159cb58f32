// SPDX-License-Identifier: GPL-2.0-only
/*
 * libplan: an application's fallback graphs and the expected finish it
 * tries them by (issue 17).  One implementation for the simulator
 * (userspace/sim/sim.c) and the runtime (edgeai-run): what `make bench`
 * credits edgeai with is what users run.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <stdlib.h>

#include "plan.h"

static int cmp_latency(const void *a, const void *b)
{
	double x = ((const struct plan *)a)->predicted.latency_ms;
	double y = ((const struct plan *)b)->predicted.latency_ms;

	return x < y ? -1 : x > y;
}

int plan_fallbacks(const struct board *b, int model, const struct plan *chosen,
		   double max_ms, struct plan *out, int max)
{
	struct plan *cand = calloc(PLAN_MAX_CANDIDATES, sizeof(*cand));
	int nc, n = 0;

	if (!cand)
		return 0;
	nc = plan_candidates(b, model, cand, PLAN_MAX_CANDIDATES);
	qsort(cand, nc, sizeof(*cand), cmp_latency);
	for (int i = 0; i < nc && n < max; i++)
		if (!plan_same_stages(&cand[i], chosen, false) &&
		    (max_ms <= 0 || cand[i].predicted.latency_ms <= max_ms))
			out[n++] = cand[i];
	free(cand);
	return n;
}

uint64_t plan_expected_finish(uint64_t now, const uint64_t *wait_ns,
			      const struct plan_finish_stage *st, int nr_stages)
{
	uint64_t t = now;

	for (int i = 0; i < nr_stages; i++) {
		uint64_t start = now + wait_ns[st[i].cluster];

		t = (start > t ? start : t) + st[i].cost_ns;
	}
	return t;
}

int plan_finish_order(const uint64_t *finish, int n, int *order)
{
	for (int k = 0; k < n; k++) {
		int m = k;

		for (; m > 0 && finish[order[m - 1]] > finish[k]; m--)
			order[m] = order[m - 1];
		order[m] = k;
	}
	return n;
}
