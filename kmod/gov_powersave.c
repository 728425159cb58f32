// SPDX-License-Identifier: GPL-2.0-only
/*
 * The powersave governor: the cluster's lowest step, whatever is queued.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "edgeai.h"

static void edgeai_powersave_decide(struct edgeai_cluster *c,
				    const struct ep_gov_in *in,
				    struct ep_gov_out *out)
{
	ep_gov_powersave(in, out);
}

const struct edgeai_governor edgeai_gov_powersave = {
	.name = "powersave",
	.decide = edgeai_powersave_decide,
};
