/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A raw netlink listener of the VM tests on edgeai's "jobs" group: the
 * module then builds an event for each finished job, which holds the job a
 * moment longer (races the tests look for need that).
 */
#ifndef EDGEAI_TESTS_LISTEN_H
#define EDGEAI_TESTS_LISTEN_H

#include <sys/socket.h>
#include <unistd.h>

#include <edgeai.h>

#include "../fuzz/common.h"

/* A netlink socket in the "jobs" group (root only), or -1. */
static inline int jobs_listener(void)
{
	int fam, ev, jobs, fd;

	if (nl_family_of(EDGEAI_GENL_NAME, EDGEAI_NL_MCGRP_EVENTS, &fam, &ev,
			 EDGEAI_NL_MCGRP_JOBS, &jobs) || jobs < 0)
		return -1;
	fd = nl_socket();
	if (fd >= 0 && setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &jobs,
				  sizeof(jobs))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Read and drop what listener @fd holds (nothing when @fd < 0). */
static inline void listener_drain(int fd)
{
	char m[4096];

	while (fd >= 0 && recv(fd, m, sizeof(m), MSG_DONTWAIT) > 0)
		;
}

#endif
