// SPDX-License-Identifier: GPL-2.0-only
/*
 * The userspace governor: the step a user chose through the cluster's
 * setspeed file or EDGEAI_IOCTL_GOVERNOR_SET.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "edgeai.h"

static void edgeai_userspace_decide(struct edgeai_cluster *c,
				    const struct ep_gov_in *in,
				    struct ep_gov_out *out)
{
	ep_gov_userspace(in, c->setspeed_khz, out);
}

const struct edgeai_governor edgeai_gov_userspace = {
	.name = "userspace",
	.decide = edgeai_userspace_decide,
};
