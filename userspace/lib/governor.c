// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libedgeai: selecting a cluster's frequency governor.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include <edgeai.h>

int edgeai_governor_set(struct edgeai *handle, uint32_t cluster_id,
			const char *governor, uint32_t setspeed_khz)
{
	struct edgeai_governor_set cmd = {
		.size = sizeof(cmd),
		.cluster_id = cluster_id,
		.setspeed_khz = setspeed_khz,
	};

	if (!governor || strlen(governor) >= sizeof(cmd.governor))
		return -EINVAL;
	strcpy(cmd.governor, governor);
	return ioctl(edgeai_fd(handle), EDGEAI_IOCTL_GOVERNOR_SET, &cmd) < 0 ?
		-errno : 0;
}
