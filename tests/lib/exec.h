/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An executor of the VM tests: a file of /dev/edgeai attached to a cluster.
 */
#ifndef EDGEAI_TESTS_EXEC_H
#define EDGEAI_TESTS_EXEC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <edgeai.h>

#include "util.h"

/* A new file attached as an executor of @cluster, or the test ends with 2. */
static inline int exec_open(uint32_t cluster)
{
	struct edgeai_exec_attach a = { .size = sizeof(a), .cluster_id = cluster };
	int fd = dev_open();

	if (xioctl(fd, EDGEAI_IOCTL_EXEC_ATTACH, &a)) {
		perror("attach");
		exit(2);
	}
	return fd;
}

#endif
