// SPDX-License-Identifier: GPL-2.0-only
/*
 * The deadline governor: the least-energy step at which every queued stage
 * still meets its job's deadline by the graphs' estimates, counting what a
 * frequency switch costs, racing to idle when that is cheaper (see
 * kmod/policy/governor.c).  It decides again on every submit, fetch and
 * complete, and on a timer while work waits.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "edgeai.h"

static void edgeai_deadline_decide(struct edgeai_cluster *c,
				   const struct ep_gov_in *in,
				   struct ep_gov_out *out)
{
	ep_gov_deadline(in, out);
}

const struct edgeai_governor edgeai_gov_deadline = {
	.name = "deadline",
	.decide = edgeai_deadline_decide,
	.dynamic = true,
};
