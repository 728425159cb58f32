// SPDX-License-Identifier: GPL-2.0-only
/*
 * What hardening found in the module, one test each (issue 10): each
 * failed before its fix in kmod/, and guards against its return.  See
 * reports/hardening.md for the story of each.
 *
 * Loaded with tests/vm/findings_test.modparams: three virtual clusters.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/exec.h"
#include "../lib/listen.h"
#include "../lib/tap.h"
#include "../lib/util.h"

static uint32_t make_graph(int fd, uint32_t cluster)
{
	struct edgeai_stage st = { .cluster_id = cluster, .nr_layers = 1,
				   .cost_ns = MS, .in_mask = 1, .out_mask = 1 };
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 1, .stages = (uintptr_t)&st, .stage_size = sizeof(st),
		.nr_buffers = 1, .name = "finding" };

	if (xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g)) {
		perror("graph");
		exit(2);
	}
	return g.graph_id;
}

/* ------------------------------------------------------------------------
 * 1. JOB_WAIT for a job by id said ENOENT ("no such job") for a job that
 *    had just finished: the job was marked finished before it was put on
 *    its owner's list of finished jobs, with the netlink event sent in
 *    between, and a waiter that looked in that window was told the job
 *    does not exist.  A submitter waiting by id lost the job.
 */

static void test_wait_by_id_race(void)
{
	int sub = dev_open(), efd = exec_open(0), lfd = jobs_listener();
	int buf = edgeai_buffer_create("f1", 64);
	uint32_t graph = make_graph(sub, 0);
	uint64_t end = now_ns() + 8000 * MS;
	unsigned int jobs = 0, enoent = 0, other = 0;
	struct null_exec nx;

	ok(lfd >= 0, "a root listener joins \"jobs\" (the event widens the window)");
	null_exec_start(&nx, efd);
	while (now_ns() < end && jobs < 3000) {
		struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = graph,
			.priority = EDGEAI_PRIO_NORMAL, .buf_fds = (uintptr_t)&buf, .nr_buffers = 1 };
		long r;

		if (xioctl(sub, EDGEAI_IOCTL_JOB_SUBMIT, &s))
			break;
		jobs++;
		do {
			struct edgeai_job_wait w = { .size = sizeof(w), .job_id = s.job_id,
						     .flags = EDGEAI_WAIT_NONBLOCK };

			r = xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w);
		} while (r == -EAGAIN);
		if (r == -ENOENT) {
			enoent++;
			/* The job is not lost for good: it lands on the list. */
			struct edgeai_job_wait w = { .size = sizeof(w), .job_id = s.job_id,
						     .flags = EDGEAI_WAIT_TIMEOUT,
						     .timeout_ns = now_ns() + 1000 * MS };
			xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w);
		} else if (r) {
			other++;
		}
		listener_drain(lfd);
	}
	null_exec_stop(&nx);
	ok(jobs > 100, "%u jobs submitted, each waited for by id", jobs);
	ok(enoent == 0, "JOB_WAIT by id never says ENOENT for a job that is finishing (%u times)",
	   enoent);
	ok(other == 0, "no other error either (%u)", other);
	close(efd);
	close(sub);
	close(buf);
	if (lfd >= 0)
		close(lfd);
}

/* ------------------------------------------------------------------------
 * 2. A JOB_SUBMIT that failed at its very end (the id could not be copied
 *    back) had already put the job in the file's table: another thread
 *    could find, cancel or wait on a job that officially never existed,
 *    and the table entry was dropped without the lock that lookups rely
 *    on to keep the job alive (a use-after-free for KASAN to see).
 */

struct submit_race {
	int fd;
	volatile uint64_t next;
	volatile int stop;
	unsigned int cancelled_phantom;
};

static void *phantom_canceller(void *arg)
{
	struct submit_race *sr = arg;

	while (!sr->stop) {
		uint64_t base = sr->next, k;

		for (k = base; k < base + 3; k++) {
			struct edgeai_job_cancel c = { .size = sizeof(c), .job_id = k };

			if (xioctl(sr->fd, EDGEAI_IOCTL_JOB_CANCEL, &c) == 0)
				sr->cancelled_phantom++;
		}
	}
	return NULL;
}

static void test_failed_submit_invisible(void)
{
	struct submit_race sr = { .fd = dev_open(), .next = 1 };
	int buf = edgeai_buffer_create("f2", 64);
	uint32_t graph = make_graph(sr.fd, 1);
	uint8_t *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = graph,
		.priority = EDGEAI_PRIO_NORMAL, .buf_fds = (uintptr_t)&buf, .nr_buffers = 1 };
	unsigned int i, efault = 0;
	pthread_t th;

	memcpy(ro, &s, sizeof(s));
	mprotect(ro, 4096, PROT_READ);
	pthread_create(&th, NULL, phantom_canceller, &sr);
	for (i = 0; i < 20000; i++) {
		if (xioctl(sr.fd, EDGEAI_IOCTL_JOB_SUBMIT, ro) == -EFAULT)
			efault++;
		/* Ids are handed out in turn: the next attempt gets the next. */
		sr.next = i + 2;
	}
	sr.stop = 1;
	pthread_join(th, NULL);
	ok(efault == 20000, "JOB_SUBMIT with its argument read-only fails with EFAULT (%u of 20000)",
	   efault);
	ok(sr.cancelled_phantom == 0,
	   "no other thread can cancel the job of a submission that failed (%u were)",
	   sr.cancelled_phantom);
	close(sr.fd);
	close(buf);
	munmap(ro, 4096);
	ok(stat_of("live_jobs") == 0, "and no job object is left of them");
}

/*
 * 2b. GRAPH_CREATE had the same hole: the graph was in the file's table
 *     before its id was copied back, so another thread could destroy a
 *     graph whose creation then failed, and the failed creation unlinked
 *     whatever graph held the id by then: a leak (the long fuzz run found
 *     two graphs left at rmmod) and a double put.
 */
struct create_race {
	int fd;
	volatile int stop;
	unsigned int destroyed_phantom;
};

static void *phantom_destroyer(void *arg)
{
	struct create_race *cr = arg;

	while (!cr->stop) {
		uint32_t id;

		for (id = 1; id <= 2; id++) {
			struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = id };

			if (xioctl(cr->fd, EDGEAI_IOCTL_GRAPH_DESTROY, &d) == 0)
				cr->destroyed_phantom++;
		}
	}
	return NULL;
}

static void test_failed_create_invisible(void)
{
	struct create_race cr = { .fd = dev_open() };
	struct edgeai_stage st = { .cluster_id = 1, .nr_layers = 1, .cost_ns = MS,
				   .in_mask = 1, .out_mask = 1 };
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 1, .stages = (uintptr_t)&st, .stage_size = sizeof(st),
		.nr_buffers = 1, .name = "finding" };
	uint8_t *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned int i, efault = 0;
	pthread_t th;

	memcpy(ro, &g, sizeof(g));
	mprotect(ro, 4096, PROT_READ);
	pthread_create(&th, NULL, phantom_destroyer, &cr);
	for (i = 0; i < 20000; i++)
		if (xioctl(cr.fd, EDGEAI_IOCTL_GRAPH_CREATE, ro) == -EFAULT)
			efault++;
	cr.stop = 1;
	pthread_join(th, NULL);
	ok(efault == 20000, "GRAPH_CREATE with its argument read-only fails with EFAULT (%u of 20000)",
	   efault);
	ok(cr.destroyed_phantom == 0,
	   "no other thread can destroy the graph of a creation that failed (%u were)",
	   cr.destroyed_phantom);
	close(cr.fd);
	munmap(ro, 4096);
	ok(stat_of("live_graphs") == 0, "and no graph object is left of them");
}

/* ------------------------------------------------------------------------
 * 3. The sizes callers give (of an ioctl's struct, of a graph's stage
 *    records, of the stage times JOB_WAIT writes) were unbounded: the
 *    kernel checked up to 4 GiB per struct and per stage for zeros, in a
 *    loop that never yields, so one unprivileged ioctl could hold a CPU
 *    for minutes (soft lockups).  A struct beyond a page is now -E2BIG at
 *    once, as for clone3(), openat2() and sched_setattr(), an element
 *    size beyond a page -EINVAL (the lead's d7b4f93 landed first).
 */

static void test_sizes_bounded(void)
{
	int fd = dev_open();
	size_t big = 1UL << 30;
	uint8_t *m = mmap(NULL, big + 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct edgeai_info *info = (void *)m;
	struct edgeai_stage *st = (void *)m;
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 1, .stages = (uintptr_t)m, .nr_buffers = 1, .name = "big" };
	uint64_t t0, ms;
	long r;

	if (m == MAP_FAILED) {
		skip("no 1 GiB mapping: %s", strerror(errno));
		return;
	}
	/* A struct of two pages whose second page cannot be read. */
	mprotect(m + 4096, 4096, PROT_NONE);
	info->size = 8192;
	ok_errno(xioctl(fd, EDGEAI_IOCTL_GET_INFO, info), -E2BIG,
		 "GET_INFO with size 8192: E2BIG without reading past the first page");
	mprotect(m + 4096, 4096, PROT_READ | PROT_WRITE);

	/* 1 GiB of zeros behind a struct, read as the zero page. */
	info->size = (uint32_t)big;
	t0 = now_ns();
	r = xioctl(fd, EDGEAI_IOCTL_GET_INFO, info);
	ms = (now_ns() - t0) / MS;
	ok(r == -E2BIG && ms < 200, "GET_INFO with size 1 GiB: E2BIG at once (%ld, %llu ms)", r,
	   (unsigned long long)ms);

	memset(st, 0, sizeof(*st));
	st->nr_layers = 1;
	g.stage_size = (uint32_t)big;
	t0 = now_ns();
	r = xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g);
	ms = (now_ns() - t0) / MS;
	ok(r == -EINVAL && ms < 200,
	   "GRAPH_CREATE with stage_size 1 GiB: EINVAL at once (%ld, %llu ms)",
	   r, (unsigned long long)ms);
	g.stage_size = 4096;
	g.graph_id = 0;
	ok_errno(xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g), 0,
		 "GRAPH_CREATE with stage_size 4096 and a zero tail still works");
	{
		struct edgeai_job_wait w = { .size = sizeof(w), .flags = EDGEAI_WAIT_NONBLOCK,
			.stage_times = (uintptr_t)m, .stage_times_cap = 1,
			.stage_times_size = (uint32_t)big };

		ok_errno(xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, &w), -EINVAL,
			 "JOB_WAIT with stage_times_size 1 GiB: EINVAL");
	}
	munmap(m, big + 4096);
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_wait_by_id_race();
	test_failed_submit_invisible();
	test_failed_create_invisible();
	test_sizes_bounded();
	return tap_done();
}
