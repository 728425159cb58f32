// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libedgeai: what the device's sysfs files tell an application
 * (docs/ABI/sysfs-class-misc-edgeai).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <edgeai.h>

int edgeai_cluster_wait_ns(struct edgeai *handle, uint32_t cluster_id,
			   uint64_t wait_ns[EDGEAI_NR_PRIO])
{
	const char *dir = getenv("EDGEAI_SYSFS");
	struct edgeai_cluster_desc d;
	uint64_t w[EDGEAI_NR_PRIO];
	char path[512];
	FILE *f;
	int ret, n;

	ret = edgeai_cluster_get(handle, cluster_id, &d);
	if (ret)
		return ret;
	if ((size_t)snprintf(path, sizeof(path), "%s/clusters/%s/wait_ns",
			     dir && *dir ? dir : EDGEAI_SYSFS_PATH,
			     d.info.name) >= sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
		   &w[EDGEAI_PRIO_REALTIME], &w[EDGEAI_PRIO_HIGH],
		   &w[EDGEAI_PRIO_NORMAL], &w[EDGEAI_PRIO_BACKGROUND]);
	fclose(f);
	if (n != EDGEAI_NR_PRIO)
		return -EPROTO;
	for (n = 0; n < EDGEAI_NR_PRIO; n++)
		wait_ns[n] = w[n];
	return 0;
}
