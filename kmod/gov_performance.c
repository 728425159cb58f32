// SPDX-License-Identifier: GPL-2.0-only
/*
 * The performance governor: the cluster's highest step, whatever is
 * queued.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "edgeai.h"

static void edgeai_performance_decide(struct edgeai_cluster *c,
				      const struct ep_gov_in *in,
				      struct ep_gov_out *out)
{
	ep_gov_performance(in, out);
}

const struct edgeai_governor edgeai_gov_performance = {
	.name = "performance",
	.decide = edgeai_performance_decide,
};
