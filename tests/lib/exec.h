/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An executor of the VM tests: a file of /dev/edgeai attached to a cluster,
 * also one in a thread of its own; and the cancel of a job, which the tests
 * race against executors.
 */
#ifndef EDGEAI_TESTS_EXEC_H
#define EDGEAI_TESTS_EXEC_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>
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

/* As exec_open(), its EXEC_FETCH not blocking: -EAGAIN with nothing queued. */
static inline int exec_open_nonblock(uint32_t cluster)
{
	int fd = exec_open(cluster), one = 1;

	if (ioctl(fd, FIONBIO, &one)) {
		perror("FIONBIO");
		exit(2);
	}
	return fd;
}

/* EXEC_FETCH on executor @fd: 0 with the stage's descriptors closed, or -errno. */
static inline long exec_fetch_close(int fd, struct edgeai_exec_fetch *f)
{
	int fds[64];
	uint32_t i;
	long r;

	*f = (struct edgeai_exec_fetch){ .size = sizeof(*f), .buf_fds = (uintptr_t)fds,
		.buf_fds_cap = sizeof(fds) / sizeof(fds[0]) };
	r = xioctl(fd, EDGEAI_IOCTL_EXEC_FETCH, f);
	if (r)
		return r;
	for (i = 0; i < f->nr_buffers && i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (f->model_fd >= 0)
		close(f->model_fd);
	return 0;
}

/* Run (complete with status 0) what is queued on @fd's cluster until nothing is. */
static inline unsigned int exec_run_all(int fd)
{
	struct edgeai_exec_fetch f;
	unsigned int n = 0;

	while (!exec_fetch_close(fd, &f)) {
		struct edgeai_exec_complete c = { .size = sizeof(c), .task_id = f.task_id };

		xioctl(fd, EDGEAI_IOCTL_EXEC_COMPLETE, &c);
		n++;
	}
	return n;
}

/* EXEC_COMPLETE of task @task on executor @fd, no flags: 0 or -errno. */
static inline long exec_complete(int fd, uint64_t task)
{
	struct edgeai_exec_complete c = { .size = sizeof(c), .task_id = task };

	return xioctl(fd, EDGEAI_IOCTL_EXEC_COMPLETE, &c);
}

/* JOB_CANCEL of job @id on @fd: 0 or -errno. */
static inline long job_cancel(int fd, uint64_t id)
{
	struct edgeai_job_cancel c = { .size = sizeof(c), .job_id = id };

	return xioctl(fd, EDGEAI_IOCTL_JOB_CANCEL, &c);
}

/* An executor thread that completes each stage it fetches at once. */
struct null_exec {
	pthread_t thread;
	int fd;			/* attached, its fetches blocking */
	volatile int stop;
};

static inline void null_exec_wake(int sig)
{
	(void)sig;
}

static inline void *null_exec_run(void *arg)
{
	struct null_exec *n = arg;

	while (!n->stop) {
		struct edgeai_exec_fetch f;

		if (exec_fetch_close(n->fd, &f))
			continue;
		exec_complete(n->fd, f.task_id);
	}
	return NULL;
}

/*
 * Start @n's thread on executor @fd; SIGUSR1 (which null_exec_stop() sends)
 * now breaks a blocking fetch of this process.
 */
static inline void null_exec_start(struct null_exec *n, int fd)
{
	struct sigaction sa = { .sa_handler = null_exec_wake };

	sigaction(SIGUSR1, &sa, NULL);
	n->fd = fd;
	n->stop = 0;
	pthread_create(&n->thread, NULL, null_exec_run, n);
}

static inline void null_exec_stop(struct null_exec *n)
{
	n->stop = 1;
	pthread_kill(n->thread, SIGUSR1);
	pthread_join(n->thread, NULL);
}

#endif
