// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile tests of the newest paths (sessions, anytime jobs, their
 * waiters), as an outside tester would write them, in the VM:
 *  - SESSION_CREATE, SESSION_DESTROY and session JOB_SUBMIT with edge
 *    arguments sessions_test does not try: unaligned struct and element
 *    sizes, unknown flag bits, files that are not memfds or cannot be
 *    sealed, ids after destroy, a session whose graph was destroyed;
 *  - copy-out faults: every out pointer of SESSION_CREATE, JOB_SUBMIT,
 *    JOB_WAIT and EXEC_FETCH on a read-only or PROT_NONE page fails with
 *    EFAULT and leaves no session, job, reference or descriptor behind
 *    (stats/live_*, the session takes its next job, the wait collects
 *    later, the step is fetched again);
 *  - ids reserved while a command copies out (userfaultfd write-protect
 *    holds it there): a SESSION_DESTROY of that id cannot free it for
 *    another session, a wait for any job is woken when the submission
 *    fails;
 *  - exits: completions twice, out of order, after the exit, EOS on a
 *    stage that is no token step, the executor lost at the exit;
 *  - races: a waiter against cancel, session destroy, the executor exiting
 *    mid-step and the owner closing, many times; every job ends once and
 *    is collected once, the counters agree, nothing is left;
 *  - another user (and a user namespace of its own) cannot destroy, wait
 *    on, cancel or use the sessions and jobs of a file it did not open;
 *  - the kernel log stays clean (no WARN, BUG, KASAN, lockdep report).
 *
 * The test is the executor of its one virtual cluster.  Loaded with
 * tests/vm/hostile_test.modparams.
 */
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/userfaultfd.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/abi.h"
#include "../lib/child.h"
#include "../lib/exec.h"
#include "../lib/leaks.h"
#include "../lib/memfd.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define CL		0
/* Session graph: buffer 0 the tokens, 1 the weights, 2 the KV cache. */
#define NR_BUFS		3
#define B_IO		0
#define B_W		1
#define B_KV		2
#define BUF_SIZE	4096
/* Anytime graph: stage i reads buffer i, writes i + 1; exits after 0, 1. */
#define A_STAGES	3
#define A_BUFS		4
#define ACC_EXIT0	700000
#define ACC_EXIT1	850000
/* From the modparams file. */
#define MOD_MAX_TOKENS	64
#define PAGE		4096

static int dev, efd, w_fd;
static int abufs[A_BUFS];
static uint32_t gs, ga;
static const uint64_t sizes[NR_BUFS] = { 64, BUF_SIZE, BUF_SIZE };

/* ---------------------------------------------------------------- setup */

/* A KV cache of its own: sealed against size changes only. */
static int kv_new(void)
{
	return memfd_sealed(BUF_SIZE, F_SEAL_SHRINK | F_SEAL_GROW);
}

/* Prefill, then a token step declared to take @step_ns. */
static uint32_t graph_session_step(int fd, uint64_t step_ns)
{
	struct edgeai_stage st[2] = {
		{ .cluster_id = CL, .nr_layers = 1, .cost_ns = MS,
		  .in_mask = 1u << B_IO | 1u << B_W, .out_mask = 1u << B_KV },
		{ .cluster_id = CL, .nr_layers = 1, .first_layer = 1,
		  .cost_ns = step_ns,
		  .in_mask = 1u << B_IO | 1u << B_W | 1u << B_KV,
		  .out_mask = 1u << B_IO | 1u << B_KV },
	};
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 2, .stages = (uintptr_t)st,
		.stage_size = sizeof(st[0]), .nr_buffers = NR_BUFS,
		.buf_sizes = (uintptr_t)sizes, .name = "hostile-llm" };

	if (xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g)) {
		perror("graph");
		exit(2);
	}
	return g.graph_id;
}

static uint32_t graph_session(int fd)
{
	return graph_session_step(fd, MS);
}

/* One stage of @cost_ns reading buffer 0 and writing buffer 1. */
static uint32_t graph_plain(int fd, uint64_t cost_ns)
{
	struct edgeai_stage st = { .cluster_id = CL, .nr_layers = 1,
		.cost_ns = cost_ns, .in_mask = 1, .out_mask = 2 };
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 1, .stages = (uintptr_t)&st,
		.stage_size = sizeof(st), .nr_buffers = 2,
		.name = "hostile-frame" };

	if (xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g)) {
		perror("graph");
		exit(2);
	}
	return g.graph_id;
}

static struct edgeai_exit exits[2] = {
	{ .after_stage = 0, .accuracy_ppm = ACC_EXIT0, .out_mask = 1u << 1 },
	{ .after_stage = 1, .accuracy_ppm = ACC_EXIT1, .out_mask = 1u << 2 },
};

/* Three stages of @cost_ns each, with an exit after the first two. */
static uint32_t graph_anytime(int fd, uint64_t cost_ns)
{
	struct edgeai_stage st[A_STAGES];
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = A_STAGES, .stages = (uintptr_t)st,
		.stage_size = sizeof(st[0]), .nr_buffers = A_BUFS,
		.exits = (uintptr_t)exits, .nr_exits = 2,
		.exit_size = sizeof(exits[0]), .name = "hostile-exits" };
	uint32_t i;

	for (i = 0; i < A_STAGES; i++)
		st[i] = (struct edgeai_stage){ .cluster_id = CL,
			.nr_layers = 1, .first_layer = i, .cost_ns = cost_ns,
			.in_mask = 1u << i, .out_mask = 1u << (i + 1) };
	if (xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g)) {
		perror("graph");
		exit(2);
	}
	return g.graph_id;
}

static struct edgeai_session_buf sbufs[2];

static void create_defaults(struct edgeai_session_create *c, uint32_t g,
			    int kv)
{
	sbufs[0] = (struct edgeai_session_buf){ .fd = w_fd, .index = B_W };
	sbufs[1] = (struct edgeai_session_buf){ .fd = kv, .index = B_KV,
		.flags = EDGEAI_SESSION_BUF_STATE };
	*c = (struct edgeai_session_create){ .size = sizeof(*c),
		.graph_id = g, .nr_bufs = 2, .bufs = (uintptr_t)sbufs,
		.buf_size = sizeof(sbufs[0]), .max_tokens = 16 };
}

/* A session of @g on file @fd with KV cache @kv: 0 and *@id, or -errno. */
static long session_new(int fd, uint32_t g, int kv, uint32_t *id)
{
	struct edgeai_session_create c;
	long r;

	create_defaults(&c, g, kv);
	r = xioctl(fd, EDGEAI_IOCTL_SESSION_CREATE, &c);
	if (!r)
		*id = c.session_id;
	return r;
}

static long session_destroy(int fd, uint32_t id)
{
	struct edgeai_session_destroy d = { .size = sizeof(d),
					    .session_id = id };

	return xioctl(fd, EDGEAI_IOCTL_SESSION_DESTROY, &d);
}

static int job_fds[A_BUFS];

static void session_submit_defaults(struct edgeai_job_submit *s, uint32_t g,
				    uint32_t sid, uint32_t max_tokens)
{
	job_fds[B_IO] = abufs[0];
	job_fds[B_W] = -1;
	job_fds[B_KV] = -1;
	*s = (struct edgeai_job_submit){ .size = sizeof(*s),
		.flags = EDGEAI_SUBMIT_SESSION, .graph_id = g,
		.priority = EDGEAI_PRIO_NORMAL, .buf_fds = (uintptr_t)job_fds,
		.nr_buffers = NR_BUFS, .session_id = sid,
		.max_tokens = max_tokens };
}

static long session_submit(int fd, uint32_t g, uint32_t sid,
			   uint32_t max_tokens, uint64_t *job)
{
	struct edgeai_job_submit s;
	long r;

	session_submit_defaults(&s, g, sid, max_tokens);
	r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);
	if (!r)
		*job = s.job_id;
	return r;
}

static long anytime_submit(int fd, uint32_t g, uint64_t deadline,
			   uint32_t min_acc, uint64_t *job)
{
	static int fds[A_BUFS];
	struct edgeai_job_submit s = { .size = sizeof(s),
		.flags = EDGEAI_SUBMIT_ANYTIME, .graph_id = g,
		.priority = EDGEAI_PRIO_NORMAL, .deadline_ns = deadline,
		.buf_fds = (uintptr_t)fds, .nr_buffers = A_BUFS,
		.min_accuracy_ppm = min_acc };
	long r;

	memcpy(fds, abufs, sizeof(fds));
	r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);
	if (!r)
		*job = s.job_id;
	return r;
}

static long job_wait(int fd, uint64_t id, uint32_t flags,
		     struct edgeai_job_wait *w, struct edgeai_stage_times *t,
		     uint32_t nt, uint64_t *steps, uint32_t ns)
{
	*w = (struct edgeai_job_wait){ .size = sizeof(*w), .job_id = id,
		.flags = flags, .stage_times = (uintptr_t)t,
		.stage_times_cap = nt,
		.stage_times_size = t ? sizeof(*t) : 0,
		.step_times = (uintptr_t)steps, .step_times_cap = ns };
	if (flags & EDGEAI_WAIT_TIMEOUT)
		w->timeout_ns = now_ns() + 20000 * MS;
	return xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, w);
}

static void drain(int fd)
{
	struct edgeai_job_wait w;

	while (!job_wait(fd, 0, EDGEAI_WAIT_NONBLOCK, &w, NULL, 0, NULL, 0))
		;
}

static long complete(int fd, uint64_t task, int status, uint32_t flags)
{
	struct edgeai_exec_complete c = { .size = sizeof(c), .task_id = task,
		.status = status, .flags = flags };

	return xioctl(fd, EDGEAI_IOCTL_EXEC_COMPLETE, &c);
}

/* A fresh page holding a copy of @src, then made read-only (or no access). */
static void *page_with(const void *src, size_t len, int prot)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	if (src)
		memcpy(p, src, len);
	if (mprotect(p, PAGE, prot)) {
		perror("mprotect");
		exit(2);
	}
	return p;
}

/* ------------------------------------------------------ edge arguments */

static void test_edges(void)
{
	struct edgeai_session_create c;
	struct edgeai_job_submit s;
	unsigned char raw[2 * PAGE];
	long long live = stat_of("live_sessions");
	uint32_t sid, sid2, g2;
	uint64_t job;
	int kv = kv_new(), kv2, plain, null;
	long r;

	/* The struct longer than the module's, and not a multiple of 8. */
	create_defaults(&c, gs, kv);
	memset(raw, 0, sizeof(raw));
	memcpy(raw, &c, sizeof(c));
	((struct edgeai_session_create *)raw)->size = sizeof(c) + 3;
	r = xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, raw);
	memcpy(&c, raw, sizeof(c));
	ok(!r && c.session_id, "SESSION_CREATE of size %zu (zero tail, unaligned): accepted (%ld)",
	   sizeof(c) + 3, r);
	if (!r)
		session_destroy(dev, c.session_id);
	raw[sizeof(c) + 2] = 1;
	ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, raw), -E2BIG,
		 "SESSION_CREATE with a non-zero byte past the struct: E2BIG");
	((struct edgeai_session_create *)raw)->size = PAGE + 1;
	ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, raw), -E2BIG,
		 "SESSION_CREATE of size a page + 1: E2BIG");

	/* Buffer entries at an odd stride, their tails zero. */
	{
		const size_t stride = sizeof(struct edgeai_session_buf) + 5;

		create_defaults(&c, gs, kv);
		c.bufs = table_widen(raw, sbufs, 2, sizeof(sbufs[0]), stride);
		c.buf_size = stride;
		r = xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &c);
		ok(!r, "buffer entries %zu bytes apart (unaligned stride): accepted (%ld)",
		   stride, r);
		if (!r)
			session_destroy(dev, c.session_id);
		c.session_id = 0;
		c.session_key = 0;
		raw[stride + sizeof(sbufs[1]) + 4] = 7;
		ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &c), -E2BIG,
			 "... with a non-zero byte in an entry's tail: E2BIG");
	}

	/* Files that are no sealed memfd. */
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	create_defaults(&c, gs, null);
	ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &c), -EINVAL,
		 "a KV cache that is /dev/null: EINVAL");
	create_defaults(&c, gs, dev);
	ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &c), -EINVAL,
		 "a KV cache that is /dev/edgeai itself: EINVAL");
	plain = memfd_create("unsealable", MFD_CLOEXEC);
	if (plain < 0 || ftruncate(plain, BUF_SIZE))
		exit(2);
	create_defaults(&c, gs, plain);
	ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &c), -EPERM,
		 "a KV cache from a memfd that cannot be sealed: EPERM");
	close(plain);
	plain = memfd_sealed(BUF_SIZE, F_SEAL_SHRINK | F_SEAL_GROW |
			     F_SEAL_FUTURE_WRITE);
	create_defaults(&c, gs, plain);
	ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &c), -EACCES,
		 "a KV cache sealed with F_SEAL_FUTURE_WRITE: EACCES");
	close(plain);
	create_defaults(&c, gs, kv);
	c.max_tokens = UINT32_MAX;
	ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &c), -E2BIG,
		 "max_tokens 2^32 - 1: E2BIG");
	create_defaults(&c, gs, kv);
	sbufs[1].fd = -1;
	ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &c), -EBADF,
		 "a KV cache fd of -1: EBADF");
	create_defaults(&c, gs, kv);
	sbufs[1].fd = INT32_MIN;
	ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &c), -EBADF,
		 "a KV cache fd of INT_MIN: EBADF");
	close(null);
	ok(stat_of("live_sessions") == live,
	   "the refused creations left no session (live_sessions %lld)",
	   stat_of("live_sessions"));

	/* The session keeps its files: the caller may close its own. */
	kv2 = kv_new();
	if (session_new(dev, gs, kv2, &sid))
		exit(2);
	{
		struct stat want, got;
		struct edgeai_exec_fetch f;
		int fds[A_BUFS];

		fstat(kv2, &want);
		close(kv2);
		r = session_submit(dev, gs, sid, 1, &job);
		f = (struct edgeai_exec_fetch){ .size = sizeof(f),
			.buf_fds = (uintptr_t)fds, .buf_fds_cap = A_BUFS };
		r = r ? r : xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f);
		ok(!r && !fstat(fds[B_KV], &got) && got.st_ino == want.st_ino,
		   "the caller closed its KV fd: the executor gets the session's file (%ld)",
		   r);
		if (!r) {
			int i;

			for (i = 0; i < NR_BUFS; i++)
				if (fds[i] >= 0)
					close(fds[i]);
			complete(efd, f.task_id, 0, 0);
		}
		exec_run_all(efd);
		drain(dev);
	}

	/* Flags and ids. */
	session_submit_defaults(&s, gs, sid, 0);
	s.flags |= 1u << 3;
	ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_SUBMIT, &s), -EINVAL,
		 "JOB_SUBMIT with an unknown flag (1 << 3): EINVAL");
	session_submit_defaults(&s, gs, sid, 0);
	s.flags |= 1u << 31;
	ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_SUBMIT, &s), -EINVAL,
		 "JOB_SUBMIT with an unknown flag (1 << 31): EINVAL");
	session_submit_defaults(&s, gs, 0, 0);
	ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_SUBMIT, &s), -ENOENT,
		 "a session job on session id 0: ENOENT");
	session_submit_defaults(&s, gs, sid, UINT32_MAX);
	ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_SUBMIT, &s), -E2BIG,
		 "a session job with max_tokens 2^32 - 1: E2BIG");
	{
		struct edgeai_session_destroy d = { .size = 4, .session_id = sid };

		ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_DESTROY, &d), -EINVAL,
			 "SESSION_DESTROY of size 4: EINVAL");
		memset(raw, 0, sizeof(raw));
		d.size = sizeof(d) + 8;
		memcpy(raw, &d, sizeof(d));
		raw[sizeof(d) + 7] = 1;
		ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_DESTROY, raw), -E2BIG,
			 "SESSION_DESTROY with a non-zero tail: E2BIG");
		ok(session_new(dev, gs, kv, &sid2) == 0 && sid2 != sid,
		   "... and the session is still there (its id is not free)");
		session_destroy(dev, sid2);
	}
	ok_errno(session_destroy(dev, sid), 0, "SESSION_DESTROY: 0");
	ok_errno(session_destroy(dev, sid), -ENOENT, "SESSION_DESTROY again: ENOENT");
	ok_errno(session_submit(dev, gs, sid, 0, &job), -ENOENT,
		 "a job on the destroyed session's id: ENOENT");
	ok_errno(session_destroy(dev, UINT32_MAX), -ENOENT,
		 "SESSION_DESTROY of id 2^32 - 1: ENOENT");

	/* A session outlives the graph id it was created on. */
	g2 = graph_session(dev);
	if (session_new(dev, g2, kv, &sid))
		exit(2);
	{
		struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = g2 };
		int f2 = dev_open();
		struct edgeai_exec_attach a = { .size = sizeof(a), .cluster_id = CL };
		uint32_t g3 = graph_session(f2), sid3;

		ok_errno(xioctl(dev, EDGEAI_IOCTL_GRAPH_DESTROY, &d), 0,
			 "GRAPH_DESTROY of a graph a session runs on: 0");
		ok_errno(session_submit(dev, g2, sid, 0, &job), -ENOENT,
			 "... a job on it then: ENOENT (no such graph)");
		/* A file that holds only a session holds something. */
		if (session_new(f2, g3, kv_new(), &sid3))
			exit(2);
		d.graph_id = g3;
		xioctl(f2, EDGEAI_IOCTL_GRAPH_DESTROY, &d);
		ok_errno(xioctl(f2, EDGEAI_IOCTL_EXEC_ATTACH, &a), -EBUSY,
			 "EXEC_ATTACH of a file holding a session (its graph destroyed): EBUSY");
		close(f2);
	}
	ok_errno(session_destroy(dev, sid), 0,
		 "SESSION_DESTROY of the session whose graph is gone: 0");
	ok(live_settle("live_sessions", live) == live,
	   "no session left behind (live_sessions %lld)",
	   stat_of("live_sessions"));
	/* An executor's file cannot create a session. */
	create_defaults(&c, gs, kv);
	ok_errno(xioctl(efd, EDGEAI_IOCTL_SESSION_CREATE, &c), -EBUSY,
		 "SESSION_CREATE on an executor's file: EBUSY");
	close(kv);
}

/* ---------------------------------------------------- copy-out faults */

static void test_copy_faults(void)
{
	long long live_s = stat_of("live_sessions"), live_j = stat_of("live_jobs");
	struct edgeai_session_create c, *pc;
	struct edgeai_job_submit s, *ps;
	struct edgeai_exec_fetch f, *pf;
	struct edgeai_job_wait w, *pw;
	struct edgeai_stage_times t[2];
	uint64_t steps[8], job;
	uint32_t sid, token0;
	unsigned int nfd, i;
	void *ro, *none;
	char *edge;
	int kv = kv_new(), fds[A_BUFS];
	long r;

	/* SESSION_CREATE that cannot give its id back. */
	create_defaults(&c, gs, kv);
	pc = page_with(&c, sizeof(c), PROT_READ);
	ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, pc), -EFAULT,
		 "SESSION_CREATE with its struct on a read-only page: EFAULT");
	ok(stat_of("live_sessions") == live_s,
	   "... no session is left (live_sessions %lld, was %lld)",
	   stat_of("live_sessions"), live_s);
	ok_errno(session_new(dev, gs, kv, &sid), 0,
		 "... and its KV cache is free for the next session");
	munmap(pc, PAGE);

	/* JOB_SUBMIT of a session job that cannot give its id back. */
	session_submit_defaults(&s, gs, sid, 3);
	ps = page_with(&s, sizeof(s), PROT_READ);
	ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_SUBMIT, ps), -EFAULT,
		 "a session JOB_SUBMIT with its struct on a read-only page: EFAULT");
	ok(stat_of("live_jobs") == live_j,
	   "... no job is left (live_jobs %lld, was %lld)",
	   stat_of("live_jobs"), live_j);
	munmap(ps, PAGE);
	ok(!exec_fetch_close(efd, &f) ? (complete(efd, f.task_id, 0, 0), 0) : 1,
	   "... nothing was queued for the executor");
	ok_errno(session_submit(dev, gs, sid, 3, &job), 0,
		 "... and the session takes its next job (not EBUSY)");

	/* EXEC_FETCH that cannot hand out the descriptors, or the struct. */
	nfd = open_fds();
	none = page_with(NULL, 0, PROT_READ);
	f = (struct edgeai_exec_fetch){ .size = sizeof(f),
		.buf_fds = (uintptr_t)none, .buf_fds_cap = A_BUFS };
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f), -EFAULT,
		 "EXEC_FETCH with buf_fds on a read-only page: EFAULT");
	f = (struct edgeai_exec_fetch){ .size = sizeof(f),
		.buf_fds = (uintptr_t)fds, .buf_fds_cap = A_BUFS };
	pf = page_with(&f, sizeof(f), PROT_READ);
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, pf), -EFAULT,
		 "EXEC_FETCH with its struct on a read-only page: EFAULT");
	munmap(pf, PAGE);
	munmap(none, PAGE);
	ok(open_fds() == nfd, "... no descriptor was left installed (%u, was %u)",
	   open_fds(), nfd);
	r = exec_fetch_close(efd, &f);
	ok(!r && f.stage == 0, "... the prefill is fetched again (%ld, stage %u)",
	   r, f.stage);
	complete(efd, f.task_id, 0, 0);
	/* The same for a token step: fetched again with the same token. */
	r = exec_fetch_close(efd, &f);
	token0 = f.token;
	if (!r)
		complete(efd, f.task_id, 0, 0);
	none = page_with(NULL, 0, PROT_NONE);
	f = (struct edgeai_exec_fetch){ .size = sizeof(f),
		.buf_fds = (uintptr_t)none, .buf_fds_cap = A_BUFS };
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f), -EFAULT,
		 "EXEC_FETCH of a token step with buf_fds on a PROT_NONE page: EFAULT");
	munmap(none, PAGE);
	r = exec_fetch_close(efd, &f);
	ok(!r && (f.fetch_flags & EDGEAI_FETCH_TOKEN_STEP) && f.token == token0 + 1,
	   "... the step is fetched again, its token count unchanged (%ld, token %u after %u)",
	   r, f.token, token0);
	if (!r)
		complete(efd, f.task_id, 0, 0);
	exec_run_all(efd);

	/* JOB_WAIT that cannot copy out: the job stays to be collected. */
	ro = page_with(NULL, 0, PROT_READ);
	ok_errno(job_wait(dev, job, 0, &w, NULL, 0, ro, 8), -EFAULT,
		 "JOB_WAIT with step_times on a read-only page: EFAULT");
	none = page_with(NULL, 0, PROT_NONE);
	ok_errno(job_wait(dev, job, 0, &w, none, 2, NULL, 0), -EFAULT,
		 "JOB_WAIT with stage_times on a PROT_NONE page: EFAULT");
	edge = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (edge == MAP_FAILED || mprotect(edge + PAGE, PAGE, PROT_NONE))
		exit(2);
	ok_errno(job_wait(dev, 0, 0, &w, t, 2, (uint64_t *)(edge + PAGE - 8), 3),
		 -EFAULT, "JOB_WAIT (any) with step_times running into a PROT_NONE page: EFAULT");
	munmap(edge, 2 * PAGE);
	w = (struct edgeai_job_wait){ .size = sizeof(w), .job_id = job };
	pw = page_with(&w, sizeof(w), PROT_READ);
	ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_WAIT, pw), -EFAULT,
		 "JOB_WAIT with its struct on a read-only page: EFAULT");
	munmap(pw, PAGE);
	munmap(none, PAGE);
	munmap(ro, PAGE);
	memset(steps, 0, sizeof(steps));
	r = job_wait(dev, job, 0, &w, t, 2, steps, 8);
	ok(!r && w.status == EDGEAI_JOB_DONE && w.nr_tokens == 3 &&
	   w.session_end == EDGEAI_SESSION_END_LIMIT && steps[0] && steps[2] &&
	   !steps[3] && t[1].end_ns,
	   "... then collected whole: done at its limit, 3 steps timed (%ld, status %u, %u tokens)",
	   r, w.status, w.nr_tokens);
	ok_errno(job_wait(dev, job, EDGEAI_WAIT_NONBLOCK, &w, NULL, 0, NULL, 0),
		 -ENOENT, "... exactly once: ENOENT after");

	ok_errno(session_destroy(dev, sid), 0, "SESSION_DESTROY after the faults: 0");
	close(kv);
	for (i = 0; i < 300 && (stat_of("live_jobs") != live_j ||
				stat_of("live_sessions") != live_s); i++)
		usleep(10000);
	ok(stat_of("live_jobs") == live_j && stat_of("live_sessions") == live_s,
	   "the faults left no job and no session (jobs %lld, sessions %lld)",
	   stat_of("live_jobs"), stat_of("live_sessions"));
}

/* ------------------------------------------ ids reserved, held by uffd */

/*
 * A page written first, then write-protected by userfaultfd: a command
 * whose struct is there reads it, and blocks on copying out, its new id
 * reserved, until the test lets it go (or makes it fail).
 */
struct wptrap {
	int uffd;
	uint8_t *page;
};

static int wp_arm(struct wptrap *t, const void *src, size_t len)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_WP };
	struct uffdio_writeprotect wp = { .mode = UFFDIO_WRITEPROTECT_MODE_WP };

	t->page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->page == MAP_FAILED)
		return -1;
	memcpy(t->page, src, len);
	t->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (t->uffd < 0 || ioctl(t->uffd, UFFDIO_API, &api))
		return -1;
	reg.range.start = (uintptr_t)t->page;
	reg.range.len = PAGE;
	if (ioctl(t->uffd, UFFDIO_REGISTER, &reg))
		return -1;
	wp.range = reg.range;
	return ioctl(t->uffd, UFFDIO_WRITEPROTECT, &wp);
}

static int wp_sprung(struct wptrap *t)
{
	struct pollfd p = { t->uffd, POLLIN, 0 };
	struct uffd_msg m;

	if (poll(&p, 1, 5000) != 1 || read(t->uffd, &m, sizeof(m)) != sizeof(m))
		return -1;
	return m.event == UFFD_EVENT_PAGEFAULT &&
	       (m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) ? 0 : -1;
}

/* Let the write through. */
static void wp_release(struct wptrap *t)
{
	struct uffdio_writeprotect wp = { .range = {
		(uintptr_t)t->page, PAGE }, .mode = 0 };

	ioctl(t->uffd, UFFDIO_WRITEPROTECT, &wp);
	close(t->uffd);
}

/* Make the write fail: the page goes away, then the access is retried. */
static void wp_fail(struct wptrap *t)
{
	munmap(t->page, PAGE);
	close(t->uffd);
}

struct call {
	int fd;
	unsigned long cmd;
	void *arg;
	long ret;
	uint64_t took_ns;
};

static void *call_fn(void *arg)
{
	struct call *c = arg;
	uint64_t t0 = now_ns();

	c->ret = xioctl(c->fd, c->cmd, c->arg);
	c->took_ns = now_ns() - t0;
	return NULL;
}

/*
 * SESSION_CREATE reserves its id, copies the id out, then shows the
 * session.  A SESSION_DESTROY of the reserved id meanwhile must not free
 * it: else a third SESSION_CREATE gets the same id, and the first then
 * overwrites (and leaks) that session.
 */
static void test_reserved_session_id(void)
{
	long long live = stat_of("live_sessions");
	struct edgeai_session_create c;
	struct call held = { 0 };
	struct wptrap t;
	pthread_t th;
	uint32_t id1, id2 = 0;
	int fd = dev_open(), kv1 = kv_new(), kv2 = kv_new();
	uint32_t g = graph_session(fd);
	long r2;

	create_defaults(&c, g, kv1);
	if (wp_arm(&t, &c, sizeof(c))) {
		skip("no userfaultfd write-protect: %s", strerror(errno));
		skip("no userfaultfd write-protect");
		skip("no userfaultfd write-protect");
		close(fd);
		return;
	}
	held = (struct call){ .fd = fd, .cmd = EDGEAI_IOCTL_SESSION_CREATE,
			      .arg = t.page };
	pthread_create(&th, NULL, call_fn, &held);
	ok(wp_sprung(&t) == 0,
	   "a SESSION_CREATE is held copying out, its id (1) reserved");
	/* The id a fresh file's first session gets. */
	session_destroy(fd, 1);
	create_defaults(&c, g, kv2);
	r2 = xioctl(fd, EDGEAI_IOCTL_SESSION_CREATE, &c);
	if (!r2)
		id2 = c.session_id;
	wp_release(&t);
	pthread_join(th, NULL);
	id1 = ((struct edgeai_session_create *)t.page)->session_id;
	ok(!held.ret && !r2 && id1 && id2 && id1 != id2,
	   "a SESSION_DESTROY of the reserved id does not free it: the next session gets another (%u, %u)",
	   id1, id2);
	ok(!session_destroy(fd, id1) && !session_destroy(fd, id2) &&
	   live_settle("live_sessions", live) == live,
	   "both sessions are there to destroy, none is leaked (live_sessions %lld, was %lld)",
	   stat_of("live_sessions"), live);
	munmap(t.page, PAGE);
	close(fd);
	close(kv1);
	close(kv2);
}

/*
 * A JOB_SUBMIT reserves its id: a wait for any job on the file sleeps on
 * it.  When the submission then fails, the file has no job: the sleeper
 * must get ECHILD at once, not at its timeout.
 */
static void test_failed_submit_wakes(void)
{
	long long live = stat_of("live_jobs");
	struct edgeai_job_submit s;
	struct edgeai_job_wait w = { .size = sizeof(w),
				     .flags = EDGEAI_WAIT_TIMEOUT };
	struct call held, sleeper;
	struct wptrap t;
	pthread_t th1, th2;
	int fd = dev_open();
	uint32_t g = graph_anytime(fd, MS);
	static int fds[A_BUFS];

	memcpy(fds, abufs, sizeof(fds));
	s = (struct edgeai_job_submit){ .size = sizeof(s), .graph_id = g,
		.priority = EDGEAI_PRIO_BACKGROUND, .buf_fds = (uintptr_t)fds,
		.nr_buffers = A_BUFS };
	if (wp_arm(&t, &s, sizeof(s))) {
		skip("no userfaultfd write-protect: %s", strerror(errno));
		skip("no userfaultfd write-protect");
		skip("no userfaultfd write-protect");
		close(fd);
		return;
	}
	held = (struct call){ .fd = fd, .cmd = EDGEAI_IOCTL_JOB_SUBMIT,
			      .arg = t.page };
	pthread_create(&th1, NULL, call_fn, &held);
	ok(wp_sprung(&t) == 0, "a JOB_SUBMIT is held copying out, its id reserved");
	w.timeout_ns = now_ns() + 3000 * MS;
	sleeper = (struct call){ .fd = fd, .cmd = EDGEAI_IOCTL_JOB_WAIT, .arg = &w };
	pthread_create(&th2, NULL, call_fn, &sleeper);
	usleep(300 * 1000);	/* the sleeper is asleep by now */
	wp_fail(&t);
	pthread_join(th1, NULL);
	pthread_join(th2, NULL);
	ok(held.ret == -EFAULT && live_settle("live_jobs", live) == live,
	   "the submission fails (%ld) and leaves no job", held.ret);
	ok(sleeper.ret == -ECHILD && sleeper.took_ns < 1500 * MS,
	   "a wait for any job asleep meanwhile gets ECHILD at once (%ld after %llu ms)",
	   sleeper.ret, (unsigned long long)(sleeper.took_ns / MS));
	close(fd);
}

/* ---------------------------------------------------------------- exits */

static void test_exits(void)
{
	long long taken = stat_of("exits_taken");
	struct edgeai_stage_times t[A_STAGES];
	struct edgeai_exec_fetch f;
	struct edgeai_job_wait w;
	uint64_t job, task;
	long r;

	/* Stage 0 runs past the deadline: the job ends at exit 0. */
	anytime_submit(dev, ga, now_ns() + 30 * MS, 600000, &job);
	r = exec_fetch_close(efd, &f);
	task = f.task_id;
	ok(!r && f.stage == 0, "an anytime job's stage 0 is fetched (%ld)", r);
	usleep(60 * 1000);
	ok_errno(complete(efd, task + 1, 0, 0), -ENOENT,
		 "EXEC_COMPLETE of a task id not handed out yet: ENOENT");
	ok_errno(complete(efd, task - 1, 0, 0), -ENOENT,
		 "EXEC_COMPLETE of an earlier task id: ENOENT");
	ok_errno(complete(efd, task, 0, EDGEAI_COMPLETE_EOS), -EINVAL,
		 "EXEC_COMPLETE with EOS on a stage of an anytime job: EINVAL");
	ok_errno(complete(efd, task, 0, 0), 0, "EXEC_COMPLETE of the stage: 0");
	ok_errno(complete(efd, task, 0, 0), -ENOENT,
		 "EXEC_COMPLETE of the same task again: ENOENT");
	ok_errno(exec_fetch_close(efd, &f), -EAGAIN,
		 "nothing is queued after the exit (fetch: EAGAIN)");
	w = (struct edgeai_job_wait){ .size = sizeof(w), .job_id = job,
				      .exit_index = 1 };
	ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_WAIT, &w), -EINVAL,
		 "JOB_WAIT with exit_index set on input: EINVAL");
	r = job_wait(dev, job, 0, &w, t, A_STAGES, NULL, 0);
	ok(!r && w.status == EDGEAI_JOB_DONE_EXIT && w.exit_index == 0 &&
	   !t[1].start_ns && stat_of("exits_taken") == taken + 1,
	   "it ended at exit 0 once; stage 1 never started (status %u, exit %u)",
	   w.status, w.exit_index);

	/* The executor goes away holding the stage at the exit. */
	anytime_submit(dev, ga, now_ns() + 30 * MS, 600000, &job);
	r = exec_fetch_close(efd, &f);
	usleep(60 * 1000);
	close(efd);
	efd = exec_open_nonblock(CL);
	r = r ? r : exec_fetch_close(efd, &f);
	ok(!r && f.stage == 0, "the stage held by a lost executor is fetched again (%ld, stage %u)",
	   r, f.stage);
	if (!r)
		complete(efd, f.task_id, 0, 0);
	exec_run_all(efd);
	r = job_wait(dev, job, 0, &w, t, A_STAGES, NULL, 0);
	ok(!r && w.status == EDGEAI_JOB_DONE_EXIT && w.exit_index == 0 &&
	   w.retries == 1 && t[0].attempts == 2,
	   "... and the job still ends at exit 0 (status %u, retries %u, attempts %u)",
	   w.status, w.retries, t[0].attempts);

	/* A failed stage at the exit fails the job: no exit taken. */
	anytime_submit(dev, ga, now_ns() + 30 * MS, 600000, &job);
	r = exec_fetch_close(efd, &f);
	usleep(60 * 1000);
	if (!r)
		complete(efd, f.task_id, -EIO, 0);
	r = job_wait(dev, job, 0, &w, NULL, 0, NULL, 0);
	ok(!r && w.status == EDGEAI_JOB_FAILED && w.error == -EIO &&
	   w.exit_index == 0 && stat_of("exits_taken") == taken + 2,
	   "a stage failing at the exit fails the job, no exit counted (status %u)",
	   w.status);
	ok_errno(exec_fetch_close(efd, &f), -EAGAIN, "... and queues nothing");
}

/* ---------------------------------------------------- frozen sessions */

static long frame_submit(int fd, uint32_t g, uint64_t deadline, uint64_t *job)
{
	static int fds[2];
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = g,
		.priority = EDGEAI_PRIO_REALTIME, .deadline_ns = deadline,
		.buf_fds = (uintptr_t)fds, .nr_buffers = 2 };
	long r;

	fds[0] = abufs[0];
	fds[1] = abufs[1];
	r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);
	if (!r)
		*job = s.job_id;
	return r;
}

/* Fetch, retrying for up to @ms while nothing is queued. */
static long fetch_within(int fd, struct edgeai_exec_fetch *f, unsigned int ms)
{
	uint64_t end = now_ns() + ms * MS;
	long r;

	while ((r = exec_fetch_close(fd, f)) == -EAGAIN && now_ns() < end)
		usleep(10000);
	return r;
}

/* The cluster's wait_ns, one figure per class: 0, or -1 if unreadable. */
static int wait_ns(unsigned long long w[4])
{
	FILE *f = fopen(SYS_CLUSTERS "little/wait_ns", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%llu %llu %llu %llu", &w[0], &w[1], &w[2], &w[3]);
	fclose(f);
	return n == 4 ? 0 : -1;
}

enum { F_CANCEL, F_CLOSE, F_DESTROY, F_CANCEL_FRAME, NR_F };

static const char *const f_names[NR_F] = {
	"job cancelled", "owner closed", "session destroyed", "frame cancelled",
};

/*
 * A token step declared at 5 s would make a REALTIME frame due in 2 s
 * late (margins wide enough for a slow emulated guest): it is held,
 * frozen.  Meanwhile its job is cancelled, its
 * owner closes, its session is destroyed, or the frame is cancelled.
 */
static void test_frozen(void)
{
	long long live_j = stat_of("live_jobs"), live_s = stat_of("live_sessions");
	uint32_t gr = graph_plain(dev, 10 * MS);
	int a;

	for (a = 0; a < NR_F; a++) {
		const char *what = f_names[a];
		unsigned long long wn[4] = { 0 };
		struct edgeai_exec_fetch f;
		struct edgeai_job_wait w;
		uint64_t job, frame;
		unsigned int steps;
		long long freezes;
		uint32_t g, sid;
		int fd = a == F_CLOSE ? dev_open() : dev, kv = kv_new();
		long r;

		/* A fresh graph: its step's estimate is the declared 5 s. */
		g = graph_session_step(fd, 5000 * MS);
		if (session_new(fd, g, kv, &sid) ||
		    session_submit(fd, g, sid, 2, &job))
			exit(2);
		close(kv);
		r = exec_fetch_close(efd, &f);
		if (r || f.stage != 0)
			diag("%s: prefill fetch %ld, stage %u", what, r, f.stage);
		if (frame_submit(dev, gr, now_ns() + 2000 * MS, &frame))
			exit(2);
		freezes = stat_of("freezes");
		complete(efd, f.task_id, 0, 0);
		ok(stat_of("freezes") == freezes + 1,
		   "%s: the token step is frozen behind a REALTIME frame", what);
		if (a == F_CANCEL) {
			r = wait_ns(wn);
			ok(!r && wn[0] == 10 * MS && wn[3] == wn[0],
			   "%s: wait_ns counts the queued frame, not the held step (%llu %llu %llu %llu)",
			   what, wn[0], wn[1], wn[2], wn[3]);
		}
		switch (a) {
		case F_CANCEL:
			ok_errno(job_cancel(fd, job), 0, "%s: JOB_CANCEL of the frozen job: 0",
				 what);
			r = job_wait(fd, job, EDGEAI_WAIT_NONBLOCK, &w, NULL, 0,
				     NULL, 0);
			ok(!r && w.status == EDGEAI_JOB_CANCELLED && !w.nr_tokens,
			   "%s: it ended at once, cancelled, no token run (%ld, status %u)",
			   what, r, w.status);
			break;
		case F_CLOSE:
			close(fd);
			ok(live_settle("live_jobs", live_j + 1) == live_j + 1 &&
			   live_settle("live_sessions", live_s) == live_s,
			   "%s: closing the owner ends the frozen job and its session (jobs %lld, sessions %lld)",
			   what, stat_of("live_jobs"), stat_of("live_sessions"));
			break;
		case F_DESTROY:
			ok_errno(session_destroy(fd, sid), 0,
				 "%s: SESSION_DESTROY while its step is frozen: 0", what);
			break;
		case F_CANCEL_FRAME:
			ok_errno(job_cancel(dev, frame), 0,
				 "%s: JOB_CANCEL of the queued frame: 0", what);
			break;
		}
		if (a != F_CANCEL_FRAME) {
			r = exec_fetch_close(efd, &f);
			ok(!r && f.priority == EDGEAI_PRIO_REALTIME,
			   "%s: the executor gets the frame, not the held step (%ld, priority %u)",
			   what, r, f.priority);
			if (!r)
				complete(efd, f.task_id, 0, 0);
		}
		if (a == F_DESTROY || a == F_CANCEL_FRAME) {
			/* Thawed once the margins allow: within two windows. */
			for (steps = 0; steps < 2; steps++) {
				if (fetch_within(efd, &f, 4000))
					break;
				complete(efd, f.task_id, 0, 0);
			}
			r = job_wait(fd, job, EDGEAI_WAIT_TIMEOUT, &w, NULL, 0,
				     NULL, 0);
			ok(!r && w.status == EDGEAI_JOB_DONE && w.nr_tokens == 2 &&
			   w.session_end == EDGEAI_SESSION_END_LIMIT && w.frozen_ns,
			   "%s: the step thaws, the job runs its 2 tokens (%ld, status %u, %u tokens, frozen %llu ms)",
			   what, r, w.status, w.nr_tokens,
			   (unsigned long long)(w.frozen_ns / MS));
		}
		ok_errno(exec_fetch_close(efd, &f), -EAGAIN, "%s: nothing is left queued", what);
		r = job_wait(dev, frame, 0, &w, NULL, 0, NULL, 0);
		ok(!r && (a == F_CANCEL_FRAME ?
			  w.status == EDGEAI_JOB_CANCELLED :
			  w.status == EDGEAI_JOB_DONE ||
			  w.status == EDGEAI_JOB_DEADLINE_MISSED),
		   "%s: the frame is collected (%ld, status %u)", what, r, w.status);
		if (a != F_CLOSE && a != F_DESTROY)
			session_destroy(fd, sid);
	}
	ok(live_settle("live_jobs", live_j) == live_j &&
	   live_settle("live_sessions", live_s) == live_s,
	   "frozen steps under attack left no job and no session (jobs %lld, sessions %lld)",
	   stat_of("live_jobs"), stat_of("live_sessions"));
}

/* ---------------------------------------------------------------- races */

struct executor {
	atomic_int stop;
	atomic_int kill;
	int fd;
	unsigned int lost, errors, steps;
	struct rng rng;
};

/* Runs stages with short random delays; now and then an EOS or a failure. */
static void *executor_fn(void *arg)
{
	struct executor *ex = arg;

	while (!atomic_load(&ex->stop)) {
		struct pollfd p = { ex->fd, POLLIN, 0 };
		struct edgeai_exec_fetch f;
		uint32_t flags = 0;
		int status = 0;
		long r;

		poll(&p, 1, 5);
		r = exec_fetch_close(ex->fd, &f);
		if (r == -EAGAIN)
			continue;
		if (r) {
			ex->errors++;
			continue;
		}
		usleep(rnd(&ex->rng, 2000));
		if (atomic_exchange(&ex->kill, 0)) {
			/* Gone mid-step. */
			close(ex->fd);
			ex->fd = exec_open_nonblock(CL);
			ex->lost++;
			continue;
		}
		if (!rnd(&ex->rng, 40))
			status = -EIO;
		else if ((f.fetch_flags & EDGEAI_FETCH_TOKEN_STEP) &&
			 !rnd(&ex->rng, 8))
			flags = EDGEAI_COMPLETE_EOS;
		if (complete(ex->fd, f.task_id, status, flags))
			ex->errors++;
		ex->steps++;
	}
	return NULL;
}

struct waiter {
	int fd;
	uint64_t job;
	long ret;
	struct edgeai_job_wait w;
	struct edgeai_stage_times t[A_STAGES];
};

static void *waiter_fn(void *arg)
{
	struct waiter *wt = arg;

	wt->ret = job_wait(wt->fd, wt->job, EDGEAI_WAIT_TIMEOUT, &wt->w, wt->t,
			   A_STAGES, NULL, 0);
	return NULL;
}

enum action { A_NONE, A_CANCEL, A_DESTROY, A_KILL, A_CLOSE, NR_ACTIONS };

/* Whether a collected job's result is one its kind can end with. */
static bool result_valid(const struct waiter *wt, bool session,
			 uint32_t max_tokens)
{
	const struct edgeai_job_wait *w = &wt->w;

	if (wt->ret || w->job_id != wt->job)
		return false;
	if (session) {
		if (w->exit_index || w->nr_tokens > max_tokens)
			return false;
		switch (w->status) {
		case EDGEAI_JOB_DONE:
			if (w->session_end == EDGEAI_SESSION_END_LIMIT)
				return w->nr_tokens == max_tokens;
			return w->session_end == EDGEAI_SESSION_END_EOS &&
			       w->nr_tokens >= 1;
		case EDGEAI_JOB_CANCELLED:
		case EDGEAI_JOB_FAILED:
		case EDGEAI_JOB_EXEC_LOST:
			return w->session_end == EDGEAI_SESSION_END_NONE;
		default:
			return false;
		}
	}
	if (w->nr_tokens || w->session_end)
		return false;
	switch (w->status) {
	case EDGEAI_JOB_DONE_EXIT:
		return w->exit_index < 2 &&
		       !wt->t[exits[w->exit_index].after_stage + 1].start_ns;
	case EDGEAI_JOB_DONE:
	case EDGEAI_JOB_DEADLINE_MISSED:
		return w->exit_index == 0 && wt->t[A_STAGES - 1].end_ns;
	case EDGEAI_JOB_CANCELLED:
	case EDGEAI_JOB_FAILED:
	case EDGEAI_JOB_EXEC_LOST:
		return w->exit_index == 0;
	default:
		return false;
	}
}

#define ROUNDS	200

static void test_races(void)
{
	long long sub0 = stat_of("submitted"), done0 = stat_of("completed"),
		  fail0 = stat_of("failed"), canc0 = stat_of("cancelled"),
		  exit0 = stat_of("exits_taken");
	long long live_s = stat_of("live_sessions");
	unsigned int bad = 0, twice = 0, destroy_bad = 0, cancel_bad = 0;
	unsigned int by_action[NR_ACTIONS] = { 0 }, collected = 0, i;
	unsigned int duals = 0, dual_bad = 0;
	struct executor ex = { .fd = efd };
	struct rng rng;
	pthread_t exec_th;
	long long d_end;

	rng_seed(&ex.rng, 17, 1, 0);
	rng_seed(&rng, 17, 2, 0);
	pthread_create(&exec_th, NULL, executor_fn, &ex);
	for (i = 0; i < ROUNDS; i++) {
		bool session = i % 2, destroyed = false;
		long cancel_ret = 1;
		enum action act = (enum action)rnd(&rng, NR_ACTIONS);
		struct waiter wt = { 0 }, wt2;
		pthread_t th2;
		bool dual;
		uint32_t max_tokens = 1 + rnd(&rng, 12), sid = 0, g;
		int fd = dev, kv = -1;
		pthread_t th;
		uint64_t job;
		long r;

		by_action[act]++;
		if (act == A_CLOSE) {
			fd = dev_open();
			g = session ? graph_session(fd) : graph_anytime(fd, 2 * MS);
		} else {
			g = session ? gs : ga;
		}
		if (session) {
			kv = kv_new();
			if (session_new(fd, g, kv, &sid))
				exit(2);
			close(kv);
			r = session_submit(fd, g, sid, max_tokens, &job);
		} else {
			r = anytime_submit(fd, g, now_ns() + (2 + rnd(&rng, 20)) * MS,
					   rnd(&rng, 2) ? 600000 : 800000, &job);
		}
		if (r) {
			diag("round %u: submit %ld", i, r);
			bad++;
			continue;
		}
		wt.fd = fd;
		wt.job = job;
		dual = act != A_CLOSE && rnd(&rng, 2);
		if (act != A_CLOSE)
			pthread_create(&th, NULL, waiter_fn, &wt);
		/* A second waiter, for any job, competes for it. */
		if (dual) {
			wt2 = (struct waiter){ .fd = fd };
			pthread_create(&th2, NULL, waiter_fn, &wt2);
		}
		usleep(rnd(&rng, 4000));
		switch (act) {
		case A_CANCEL:
			cancel_ret = job_cancel(fd, job);
			break;
		case A_DESTROY:
			if (session) {
				if (session_destroy(fd, sid))
					destroy_bad++;
				destroyed = true;
			}
			break;
		case A_KILL:
			atomic_store(&ex.kill, 1);
			break;
		case A_CLOSE:
			close(fd);
			break;
		default:
			break;
		}
		if (act == A_CLOSE)
			continue;
		pthread_join(th, NULL);
		if (dual) {
			pthread_join(th2, NULL);
			duals++;
			/* Exactly one collects it; the other finds none. */
			if (!wt2.ret && wt.ret == -ENOENT) {
				wt2.job = job;
				wt = wt2;
			} else if (wt.ret || wt2.ret != -ECHILD) {
				diag("round %u: waiters by id %ld, any %ld", i,
				     wt.ret, wt2.ret);
				dual_bad++;
			}
		}
		if (!result_valid(&wt, session, max_tokens)) {
			diag("round %u (%s, action %d): wait %ld, status %u, exit %u, tokens %u/%u, end %u",
			     i, session ? "session" : "anytime", act, wt.ret,
			     wt.w.status, wt.w.exit_index, wt.w.nr_tokens,
			     max_tokens, wt.w.session_end);
			bad++;
		} else {
			collected++;
		}
		/*
		 * A cancel that took ends the job CANCELLED whatever its
		 * executor says; one that came after the end (the job maybe
		 * collected already) did nothing.
		 */
		if (act == A_CANCEL &&
		    (cancel_ret == 0) != (wt.w.status == EDGEAI_JOB_CANCELLED) &&
		    !wt.ret) {
			diag("round %u: cancel %ld, then status %u", i,
			     cancel_ret, wt.w.status);
			cancel_bad++;
		}
		if (act == A_CANCEL && cancel_ret && cancel_ret != -EALREADY &&
		    cancel_ret != -ENOENT)
			cancel_bad++;
		if (job_wait(fd, job, EDGEAI_WAIT_NONBLOCK, &wt.w, NULL, 0,
			     NULL, 0) != -ENOENT)
			twice++;
		if (session && !destroyed && session_destroy(fd, sid))
			destroy_bad++;
	}
	atomic_store(&ex.stop, 1);
	pthread_join(exec_th, NULL);
	efd = ex.fd;
	diag("actions: none %u, cancel %u, destroy %u, executor lost %u, owner closed %u; %u stages run, %u executors lost",
	     by_action[A_NONE], by_action[A_CANCEL], by_action[A_DESTROY],
	     by_action[A_KILL], by_action[A_CLOSE], ex.steps, ex.lost);
	ok(!bad && collected == ROUNDS - by_action[A_CLOSE],
	   "%u session and anytime jobs raced against cancel, destroy, executor loss, close: each collected with a status its kind ends with (%u bad)",
	   ROUNDS, bad);
	ok(!twice, "each was collected exactly once (%u collected again)", twice);
	ok(duals && !dual_bad,
	   "%u times a wait by id and a wait for any job competed: one collected, the other got ENOENT or ECHILD (%u bad)",
	   duals, dual_bad);
	ok(!cancel_bad && !destroy_bad,
	   "a cancel that said 0 ended its job CANCELLED, one that said EALREADY or ENOENT did not; SESSION_DESTROY said 0 throughout (%u, %u)",
	   cancel_bad, destroy_bad);
	ok(!ex.errors, "the executor's fetches and completions never failed (%u)",
	   ex.errors);
	exec_run_all(efd);
	ok(live_settle("live_sessions", live_s) == live_s,
	   "no session left behind (live_sessions %lld, was %lld)",
	   stat_of("live_sessions"), live_s);
	{
		unsigned long long wn[4] = { 1, 1, 1, 1 };
		int e = wait_ns(wn);

		ok(!e && !wn[0] && !wn[1] && !wn[2] && !wn[3] &&
		   !stat_of("queued_normal") && !stat_of("queued_background"),
		   "idle again: wait_ns reads 0 for every class (%llu %llu %llu %llu)",
		   wn[0], wn[1], wn[2], wn[3]);
	}
	d_end = (stat_of("completed") - done0) + (stat_of("failed") - fail0) +
		(stat_of("cancelled") - canc0) + (stat_of("exits_taken") - exit0);
	ok(d_end == stat_of("submitted") - sub0,
	   "every job submitted ended exactly once: %lld ends for %lld submitted",
	   d_end, stat_of("submitted") - sub0);
}

/* Two threads of the executor complete the same task at once. */
static void test_double_complete(void)
{
	uint32_t g = graph_plain(dev, MS);
	unsigned int i, bad = 0, runs = 0;

	for (i = 0; i < 20; i++) {
		struct edgeai_exec_complete c = { .size = sizeof(c) };
		struct call one = { .fd = efd, .cmd = EDGEAI_IOCTL_EXEC_COMPLETE,
				    .arg = &c };
		struct call two;
		struct edgeai_exec_fetch f;
		struct edgeai_job_wait w;
		pthread_t t1, t2;
		uint64_t job;
		static int fds[2];
		struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = g,
			.priority = EDGEAI_PRIO_NORMAL, .buf_fds = (uintptr_t)fds,
			.nr_buffers = 2 };

		fds[0] = abufs[0];
		fds[1] = abufs[1];
		if (xioctl(dev, EDGEAI_IOCTL_JOB_SUBMIT, &s) || exec_fetch_close(efd, &f))
			exit(2);
		job = s.job_id;
		c.task_id = f.task_id;
		two = one;
		pthread_create(&t1, NULL, call_fn, &one);
		pthread_create(&t2, NULL, call_fn, &two);
		pthread_join(t1, NULL);
		pthread_join(t2, NULL);
		if (!((!one.ret && two.ret == -ENOENT) ||
		      (!two.ret && one.ret == -ENOENT)))
			bad++;
		if (job_wait(dev, job, EDGEAI_WAIT_TIMEOUT, &w, NULL, 0, NULL, 0) ||
		    w.status != EDGEAI_JOB_DONE)
			bad++;
		runs++;
	}
	ok(!bad && exec_fetch_close(efd, &(struct edgeai_exec_fetch){ 0 }) == -EAGAIN,
	   "%u times two threads completed the same task at once: one 0, one ENOENT, the job done once (%u bad)",
	   runs, bad);
}

/*
 * Ids churned from two threads: one creates sessions (and submits on
 * them), the other destroys whatever ids come first, blindly.  Every
 * session is destroyed once; none outlives the file.
 */
struct churn {
	int fd;
	uint32_t g;
	atomic_int stop;
	unsigned int created, destroyed, submitted, bad;
	unsigned int destroyer_bad;	/* the other thread's own count */
};

static void *churn_destroyer(void *arg)
{
	struct churn *ch = arg;
	uint32_t id = 1;

	while (!atomic_load(&ch->stop)) {
		long r = session_destroy(ch->fd, id);

		if (!r)
			ch->destroyed++;
		else if (r != -ENOENT)
			ch->destroyer_bad++;
		id = id % 8 + 1;
	}
	return NULL;
}

static void test_id_churn(void)
{
	long long live = stat_of("live_sessions");
	struct churn ch = { .fd = dev_open() };
	struct edgeai_session_create c;
	unsigned int i, left = 0, mine = 0;
	struct edgeai_job_submit s;
	pthread_t th;
	long r;

	ch.g = graph_session(ch.fd);
	pthread_create(&th, NULL, churn_destroyer, &ch);
	for (i = 0; i < 300; i++) {
		create_defaults(&c, ch.g, -1);
		c.nr_bufs = 1;		/* the weights only */
		r = xioctl(ch.fd, EDGEAI_IOCTL_SESSION_CREATE, &c);
		if (r) {
			diag("SESSION_CREATE %u: %s", i, strerror((int)-r));
			ch.bad++;
			continue;
		}
		ch.created++;
		/* Its job may find it gone already; else it holds it. */
		session_submit_defaults(&s, ch.g, c.session_id, 1);
		job_fds[B_KV] = abufs[2];
		r = xioctl(ch.fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);
		if (!r)
			ch.submitted++;
		else if (r != -ENOENT)
			ch.bad++;
		/*
		 * Every second one is left to the other thread (or the end),
		 * as long as the file stays well below max_graphs_per_fd
		 * however late that thread runs.
		 */
		if (i % 2 || c.session_id > 32) {
			r = session_destroy(ch.fd, c.session_id);
			if (!r)
				mine++;
			else if (r != -ENOENT)
				ch.bad++;
		}
	}
	atomic_store(&ch.stop, 1);
	pthread_join(th, NULL);
	ch.bad += ch.destroyer_bad;
	for (i = 1; i <= 64; i++)
		if (!session_destroy(ch.fd, i))
			left++;
	exec_run_all(efd);
	close(ch.fd);
	diag("id churn: %u created, %u jobs, destroyed %u by the other thread, %u by their creator, %u at the end",
	     ch.created, ch.submitted, ch.destroyed, mine, left);
	ok(!ch.bad && ch.created == 300 && ch.submitted &&
	   ch.created == ch.destroyed + mine + left &&
	   live_settle("live_sessions", live) == live,
	   "%u sessions created while another thread destroyed ids blindly: each destroyed exactly once, none leaked (live_sessions %lld, was %lld, %u bad)",
	   ch.created, stat_of("live_sessions"), live, ch.bad);
}

/* ---------------------------------------------------------- other users */

enum { U_DESTROY, U_WAIT, U_WAIT_ANY, U_CANCEL, U_CREATE_ON_GRAPH,
       U_SUBMIT_ON_SESSION, U_CREATE_WITH_KV, U_USERNS, U_NS_REALTIME,
       U_NS_ATTACH, U_NS_GOVERNOR, U_NS_MODEL, U_NS_SYSFS, NR_U };

static void other_user(int out, uint32_t sid, uint64_t job, uint32_t vg,
		       int kv)
{
	long r[NR_U];
	struct edgeai_session_create c;
	struct edgeai_job_wait w;
	struct edgeai_job_submit s;
	uint32_t g, sid2;
	int fd;

	child_drop_to_nobody();
	fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		_exit(3);
	r[U_DESTROY] = session_destroy(fd, sid);
	r[U_WAIT] = job_wait(fd, job, EDGEAI_WAIT_NONBLOCK, &w, NULL, 0, NULL, 0);
	r[U_WAIT_ANY] = job_wait(fd, 0, EDGEAI_WAIT_NONBLOCK, &w, NULL, 0, NULL, 0);
	r[U_CANCEL] = job_cancel(fd, job);
	create_defaults(&c, vg, kv_new());
	r[U_CREATE_ON_GRAPH] = xioctl(fd, EDGEAI_IOCTL_SESSION_CREATE, &c);
	g = graph_session(fd);
	session_submit_defaults(&s, g, sid, 0);
	r[U_SUBMIT_ON_SESSION] = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);
	/* The victim's KV cache, which it inherited: still the victim's. */
	r[U_CREATE_WITH_KV] = session_new(fd, g, kv, &sid2);
	r[U_USERNS] = unshare(CLONE_NEWUSER) ? -errno : 0;
	r[U_NS_REALTIME] = r[U_NS_ATTACH] = r[U_NS_GOVERNOR] = 1;
	r[U_NS_MODEL] = r[U_NS_SYSFS] = 1;
	if (!r[U_USERNS]) {
		struct edgeai_exec_attach a = { .size = sizeof(a), .cluster_id = CL };
		int f2 = open(DEV_PATH, O_RDWR | O_CLOEXEC);

		session_submit_defaults(&s, g, 0, 0);
		s.flags = 0;
		s.priority = EDGEAI_PRIO_REALTIME;
		job_fds[B_W] = abufs[1];
		job_fds[B_KV] = abufs[2];
		r[U_NS_REALTIME] = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);
		r[U_NS_ATTACH] = f2 < 0 ? -errno :
				 xioctl(f2, EDGEAI_IOCTL_EXEC_ATTACH, &a);
		{
			struct edgeai_governor_set gv = { .size = sizeof(gv),
				.cluster_id = CL, .governor = "performance" };
			struct edgeai_cluster_set_model m = { .size = sizeof(m),
				.cluster_id = CL, .idle_mw = 1 };

			r[U_NS_GOVERNOR] = xioctl(fd, EDGEAI_IOCTL_GOVERNOR_SET, &gv);
			r[U_NS_MODEL] = xioctl(fd, EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m);
		}
		r[U_NS_SYSFS] = write_file(SYS_CLUSTERS "little/governor",
					   "performance");
	}
	if (write(out, r, sizeof(r)) != sizeof(r))
		_exit(4);
	_exit(0);
}

static void test_other_user(void)
{
	long r[NR_U];
	struct edgeai_job_wait w;
	struct stat st;
	uint32_t sid;
	uint64_t job;
	int kv = kv_new(), p[2], status = -1;
	pid_t pid;

	if (session_new(dev, gs, kv, &sid) ||
	    session_submit(dev, gs, sid, 2, &job) || pipe(p) ||
	    stat(DEV_PATH, &st) || chmod(DEV_PATH, 0666))
		exit(2);
	pid = fork();
	if (!pid) {
		close(p[0]);
		close(dev);
		close(efd);
		other_user(p[1], sid, job, gs, kv);
	}
	close(p[1]);
	memset(r, 0, sizeof(r));
	if (read(p[0], r, sizeof(r)) != sizeof(r))
		r[0] = 1;
	close(p[0]);
	waitpid(pid, &status, 0);
	chmod(DEV_PATH, st.st_mode & 07777);
	ok(WIFEXITED(status) && !WEXITSTATUS(status),
	   "another user (nobody) ran its attempts (status %d)", status);
	ok(r[U_DESTROY] == -ENOENT, "it cannot destroy the victim's session by id (%ld)",
	   r[U_DESTROY]);
	ok(r[U_WAIT] == -ENOENT && r[U_WAIT_ANY] == -ECHILD,
	   "nor wait on its job (%ld), nor see any job of its own (%ld)",
	   r[U_WAIT], r[U_WAIT_ANY]);
	ok(r[U_CANCEL] == -ENOENT, "nor cancel it (%ld)", r[U_CANCEL]);
	ok(r[U_CREATE_ON_GRAPH] == -ENOENT,
	   "nor create a session on the victim's graph id (%ld)", r[U_CREATE_ON_GRAPH]);
	ok(r[U_SUBMIT_ON_SESSION] == -ENOENT,
	   "nor submit on the victim's session id from its own graph (%ld)",
	   r[U_SUBMIT_ON_SESSION]);
	ok(r[U_CREATE_WITH_KV] == -EBUSY,
	   "nor take the victim's live KV cache, though it holds the fd (%ld)",
	   r[U_CREATE_WITH_KV]);
	if (r[U_USERNS]) {
		skip("no unprivileged user namespace: %s", strerror((int)-r[U_USERNS]));
		skip("no unprivileged user namespace");
	} else {
		ok(r[U_NS_REALTIME] == -EPERM && r[U_NS_ATTACH] == -EPERM,
		   "root of its own user namespace, it still cannot submit REALTIME (%ld) or attach an executor (%ld)",
		   r[U_NS_REALTIME], r[U_NS_ATTACH]);
		ok(r[U_NS_GOVERNOR] == -EPERM && r[U_NS_MODEL] == -EPERM &&
		   r[U_NS_SYSFS] == -EACCES,
		   "nor set a governor (%ld) or a cluster model (%ld), nor write the governor in sysfs (%ld)",
		   r[U_NS_GOVERNOR], r[U_NS_MODEL], r[U_NS_SYSFS]);
	}
	exec_run_all(efd);
	memset(&w, 0, sizeof(w));
	r[0] = job_wait(dev, job, 0, &w, NULL, 0, NULL, 0);
	ok(!r[0] && w.status == EDGEAI_JOB_DONE && w.nr_tokens == 2,
	   "the victim's job ran untouched (status %u, %u tokens)",
	   w.status, w.nr_tokens);
	ok_errno(session_destroy(dev, sid), 0, "and its session was still its own to destroy");
	close(kv);
}

/* -------------------------------------------------------- time namespace */

#define TIMENS_OFFSET_S	100000

struct timens_result {
	long submit, wait;
	uint32_t status, exit_index;
	uint64_t before, after, submit_ns, finish_ns, deadline_ns, end0_ns;
};

/* In the time namespace: an anytime job due 30 ms from now on its clock. */
static void timens_client(int out)
{
	struct timens_result res = { 0 };
	struct edgeai_stage_times t[A_STAGES];
	struct edgeai_job_wait w;
	int fd = dev_open();
	uint32_t g = graph_anytime(fd, 100 * MS);
	uint64_t job = 0;

	res.before = now_ns();
	res.submit = anytime_submit(fd, g, res.before + 30 * MS, 600000, &job);
	res.wait = res.submit ? res.submit :
		   job_wait(fd, job, EDGEAI_WAIT_TIMEOUT, &w, t, A_STAGES,
			    NULL, 0);
	res.after = now_ns();
	if (!res.wait) {
		res.status = w.status;
		res.exit_index = w.exit_index;
		res.submit_ns = w.submit_ns;
		res.finish_ns = w.finish_ns;
		res.deadline_ns = w.deadline_ns;
		res.end0_ns = t[0].end_ns;
	}
	if (write(out, &res, sizeof(res)) != sizeof(res))
		_exit(4);
	_exit(0);
}

/*
 * An anytime job submitted from a time namespace whose CLOCK_MONOTONIC
 * runs 10^5 s ahead: its deadline is on that clock, so the exit decision
 * must see it 30 ms away (not 10^5 s), the executor must see it on its
 * own clock, and JOB_WAIT reports times on the submitter's.
 */
static void test_timens(void)
{
	struct timens_result res = { 0 };
	struct edgeai_exec_fetch f;
	uint64_t host_before;
	int p[2], status = -1;
	pid_t pid;
	long r;

	if (access("/proc/self/timens_offsets", F_OK)) {
		skip("no time namespaces: %s", strerror(errno));
		skip("no time namespaces");
		skip("no time namespaces");
		return;
	}
	if (pipe(p))
		exit(2);
	host_before = now_ns();
	pid = timens_spawn(TIMENS_OFFSET_S, timens_client, p[1]);
	close(p[1]);
	r = fetch_within(efd, &f, 5000);
	ok(!r && f.stage == 0 && f.deadline_ns > host_before &&
	   f.deadline_ns < now_ns() + 10000 * MS,
	   "time namespace: the executor sees the job's deadline on its own clock (%ld, %llu ms from its now)",
	   r, (unsigned long long)((f.deadline_ns - now_ns()) / MS));
	usleep(60 * 1000);
	if (!r)
		complete(efd, f.task_id, 0, 0);
	exec_run_all(efd);
	if (read(p[0], &res, sizeof(res)) != sizeof(res))
		res.wait = -1;
	close(p[0]);
	waitpid(pid, &status, 0);
	ok(!res.wait && res.status == EDGEAI_JOB_DONE_EXIT &&
	   res.exit_index == 0,
	   "time namespace: the job's deadline, 30 ms away on its clock, ends it at exit 0 (%ld, status %u)",
	   res.wait, res.status);
	ok(res.before >= (uint64_t)TIMENS_OFFSET_S * 1000 * MS &&
	   res.submit_ns >= res.before && res.submit_ns <= res.end0_ns &&
	   res.end0_ns <= res.finish_ns && res.finish_ns <= res.after &&
	   res.deadline_ns == res.before + 30 * MS,
	   "time namespace: JOB_WAIT's submit, stage end, finish and deadline are on the submitter's clock");
}

/* ---------------------------------------------------------- kernel log */

int main(void)
{
	int kmsg = kmsg_open(), i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = dev_open();
	efd = exec_open_nonblock(CL);
	w_fd = memfd_sealed(BUF_SIZE, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
	for (i = 0; i < A_BUFS; i++) {
		abufs[i] = edgeai_buffer_create("hostile", BUF_SIZE);
		if (abufs[i] < 0)
			return 2;
	}
	gs = graph_session(dev);
	ga = graph_anytime(dev, 100 * MS);

	test_edges();
	test_copy_faults();
	test_exits();
	test_frozen();
	test_reserved_session_id();
	test_failed_submit_wakes();
	test_double_complete();
	test_id_churn();
	test_other_user();
	test_timens();
	test_races();

	close(dev);
	close(efd);
	live_all_freed();
	kmsg_check(kmsg);
	return tap_done();
}
