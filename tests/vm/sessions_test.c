// SPDX-License-Identifier: GPL-2.0-only
/*
 * LLM sessions (issue 22, items 1 and 2), in the VM:
 *  - SESSION_CREATE: every rule of its struct, of its buffer table and of
 *    each persistent buffer (a memfd with the seals of its kind, large
 *    enough, constant weights no stage writes, a state buffer of no other
 *    live session), SESSION_DESTROY, callers with other struct sizes;
 *  - JOB_SUBMIT's EDGEAI_SUBMIT_SESSION, session_id and max_tokens;
 *  - a session job: the prefill once, then token steps each queued on its
 *    own, the fetch's session fields, the token limit, the end of the
 *    sequence (EDGEAI_COMPLETE_EOS and its misuse), the tokens and step
 *    times in JOB_WAIT, the JOB_DONE event, the tracepoint and sysfs;
 *  - a REALTIME job on the cluster runs between two token steps;
 *  - freezing: a step that would make a REALTIME job late is held back
 *    (not fetched), and dispatched again once the margins allow; while
 *    it is held with nothing ending, the kernel looks at it again on a
 *    timer at most a few times a margin window (counted by the workqueue
 *    tracepoint's runs of edgeai_session_thaw_fn), not every few ms;
 *  - lifetime: the owner exits mid-decode (a step queued, and a step
 *    running), the executor goes away between two steps (the next
 *    executor goes on, the KV cache as the last one left it) and during
 *    one (the job is lost: its step works in place); nothing is left
 *    behind (stats/live_*).
 *
 * The test is the executor of its one virtual cluster.  Loaded with
 * tests/vm/sessions_test.modparams.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/abi.h"
#include "../lib/app.h"
#include "../lib/memfd.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define CL		0
/* Buffer 0: the job's tokens; 1: the weights; 2: the KV cache. */
#define NR_BUFS		3
#define B_IO		0
#define B_W		1
#define B_KV		2
#define KV_SIZE		4096
#define W_SIZE		4096
#define STEP_PRIOR_NS	(20 * MS)
/*
 * Freezing: a token step runs STEP_MS, a camera frame CAM_MS due DUE_MS
 * after it is queued.  Step then frame miss the deadline by 20 ms; the
 * 80 ms to it leave room for a slow emulated guest.
 */
#define STEP_MS		60
#define CAM_MS		40
#define DUE_MS		80
/* The module's max_tokens, from the modparams file. */
#define MOD_MAX_TOKENS	64
/* The module's session_window_ms, from the modparams file. */
#define WINDOW_MS	1000

#define TRACING "/sys/kernel/tracing/"

static int dev, efd;
/* What the last job_wait() returned. */
static long jr;
static int io_fd, w_fd, kv_fd;
static uint32_t graph;
static const uint64_t buf_sizes[NR_BUFS] = { 64, W_SIZE, KV_SIZE };

static struct edgeai_stage stages[2];

static uint32_t graph_create(int fd, uint32_t nr_stages, uint64_t step_cost)
{
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = nr_stages, .stages = (uintptr_t)stages,
		.stage_size = sizeof(stages[0]), .nr_buffers = NR_BUFS,
		.buf_sizes = (uintptr_t)buf_sizes };

	/* Prefill: reads the prompt and the weights, fills the KV cache. */
	stages[0] = (struct edgeai_stage){ .cluster_id = CL, .nr_layers = 1,
		.cost_ns = 5 * MS, .in_mask = 1u << B_IO | 1u << B_W,
		.out_mask = 1u << B_KV };
	/* Token step: reads and extends the KV cache, writes a token. */
	stages[1] = (struct edgeai_stage){ .cluster_id = CL, .nr_layers = 1,
		.first_layer = 1, .cost_ns = step_cost,
		.in_mask = 1u << B_IO | 1u << B_W | 1u << B_KV,
		.out_mask = 1u << B_IO | 1u << B_KV };
	snprintf(g.name, sizeof(g.name), "llm");
	if (xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g)) {
		perror("graph");
		exit(2);
	}
	return g.graph_id;
}

static struct edgeai_session_buf sbufs[2];

static void sbufs_default(void)
{
	sbufs[0] = (struct edgeai_session_buf){ .fd = w_fd, .index = B_W };
	sbufs[1] = (struct edgeai_session_buf){ .fd = kv_fd, .index = B_KV,
		.flags = EDGEAI_SESSION_BUF_STATE };
}

static void create_default(struct edgeai_session_create *c, uint32_t g)
{
	sbufs_default();
	*c = (struct edgeai_session_create){ .size = sizeof(*c),
		.graph_id = g, .nr_bufs = 2, .bufs = (uintptr_t)sbufs,
		.buf_size = sizeof(sbufs[0]), .max_tokens = 16 };
}

static void session_destroy(int fd, uint32_t id)
{
	struct edgeai_session_destroy d = { .size = sizeof(d),
					    .session_id = id };

	xioctl(fd, EDGEAI_IOCTL_SESSION_DESTROY, &d);
}

/* SESSION_CREATE as @c says; destroyed again when it succeeds. */
static long create_try(struct edgeai_session_create *c)
{
	long r = xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, c);

	if (!r)
		session_destroy(dev, c->session_id);
	return r;
}

#define CREATE_EXPECT(want, what, ...)					\
	CMD_EXPECT(struct edgeai_session_create, c,			\
		   create_default(&c, graph), create_try, want,		\
		   "SESSION_CREATE " what, __VA_ARGS__)

static uint32_t session_new(int fd, uint32_t g, uint32_t max_tokens)
{
	struct edgeai_session_create c;

	create_default(&c, g);
	c.max_tokens = max_tokens;
	if (xioctl(fd, EDGEAI_IOCTL_SESSION_CREATE, &c)) {
		perror("session");
		exit(2);
	}
	return c.session_id;
}

static void test_create_errors(void)
{
	struct edgeai_info info = { .size = sizeof(info) };
	struct edgeai_session_buf many[65];
	unsigned char big[sizeof(struct edgeai_session_buf) * 2 + 16];
	uint32_t one_stage, first, ids[80];
	int unsealed, w_plain, kv_small, kv_ro, kv2, pipefd[2];
	char path[64];
	unsigned int i, n;
	void *unmapped;
	long r;

	ok(!xioctl(dev, EDGEAI_IOCTL_GET_INFO, &info) &&
	   (info.features & EDGEAI_FEAT_SESSIONS),
	   "GET_INFO reports EDGEAI_FEAT_SESSIONS");
	{
		struct edgeai_session_create c;

		create_default(&c, graph);
		r = xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &c);
		ok(!r && c.session_id && c.session_key,
		   "SESSION_CREATE with weights and a KV cache: an id and a key");
		if (!r)
			session_destroy(dev, c.session_id);
	}
	CREATE_EXPECT(0, "weights only: accepted", c.nr_bufs = 1);
	CREATE_EXPECT(0, "max_tokens at the module's limit: accepted",
		      c.max_tokens = MOD_MAX_TOKENS);
	CREATE_EXPECT(-E2BIG, "max_tokens above the module's limit: E2BIG",
		      c.max_tokens = MOD_MAX_TOKENS + 1);
	CREATE_EXPECT(-EINVAL, "max_tokens 0: EINVAL", c.max_tokens = 0);
	CREATE_EXPECT(-EINVAL, "flags: EINVAL", c.flags = 1);
	CREATE_EXPECT(-EINVAL, "__reserved: EINVAL", c.__reserved = 1);
	CREATE_EXPECT(-EINVAL, "session_id set on input: EINVAL",
		      c.session_id = 3);
	CREATE_EXPECT(-EINVAL, "session_key set on input: EINVAL",
		      c.session_key = 3);
	CREATE_EXPECT(-EINVAL, "no buffers: EINVAL", c.nr_bufs = 0);
	CREATE_EXPECT(-EINVAL, "a count without a table: EINVAL", c.bufs = 0);
	CREATE_EXPECT(-EINVAL, "buf_size below the first version: EINVAL",
		      c.buf_size = offsetof(struct edgeai_session_buf,
					    __reserved));
	CREATE_EXPECT(-EINVAL, "buf_size above a page: EINVAL",
		      c.buf_size = 1 << 20);
	CREATE_EXPECT(-EINVAL, "size below the first version: EINVAL",
		      c.size = offsetof(struct edgeai_session_create,
					session_key));
	CREATE_EXPECT(-ENOENT, "on no graph: ENOENT", c.graph_id = 999);
	one_stage = 0;
	{
		struct edgeai_graph_create g = { .size = sizeof(g),
			.model_fd = -1, .nr_stages = 1,
			.stages = (uintptr_t)stages,
			.stage_size = sizeof(stages[0]),
			.nr_buffers = NR_BUFS };

		stages[0].out_mask = 1u << B_KV;
		snprintf(g.name, sizeof(g.name), "one");
		if (!xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g))
			one_stage = g.graph_id;
	}
	CREATE_EXPECT(-EINVAL, "on a one-stage graph (no token step): EINVAL",
		      c.graph_id = one_stage);
	for (i = 0; i < 65; i++)
		many[i] = (struct edgeai_session_buf){ .fd = w_fd, .index = i };
	CREATE_EXPECT(-E2BIG, "more entries than max_buffers: E2BIG",
		      c.bufs = (uintptr_t)many;
		      c.nr_bufs = info.max_buffers + 1);
	CREATE_EXPECT(-EINVAL, "more entries than the graph's buffers: EINVAL",
		      c.bufs = (uintptr_t)many; c.nr_bufs = NR_BUFS + 1);
	CREATE_EXPECT(-EINVAL, "an index past the graph's buffers: EINVAL",
		      sbufs[0].index = NR_BUFS);
	CREATE_EXPECT(-EINVAL, "the same index twice: EINVAL",
		      sbufs[1].index = B_W);
	CREATE_EXPECT(-EINVAL, "entry flags: EINVAL", sbufs[0].flags = 2);
	CREATE_EXPECT(-EINVAL, "entry __reserved: EINVAL",
		      sbufs[1].__reserved = 1);
	CREATE_EXPECT(-EBADF, "a closed fd: EBADF", sbufs[1].fd = 999);
	if (pipe(pipefd))
		exit(2);
	CREATE_EXPECT(-EINVAL, "a pipe, not a memfd: EINVAL",
		      sbufs[1].fd = pipefd[1]);
	close(pipefd[0]);
	close(pipefd[1]);
	CREATE_EXPECT(-EFAULT, "a table at a bad pointer: EFAULT",
		      c.bufs = 16);
	unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	CREATE_EXPECT(-EFAULT, "a table on an unreadable page: EFAULT",
		      c.bufs = (uintptr_t)unmapped);
	munmap(unmapped, 4096);
	CREATE_EXPECT(0, "larger buf_size, zero tail: accepted",
		      c.bufs = table_widen(big, sbufs, 2, sizeof(sbufs[0]),
					   sizeof(sbufs[0]) + 8);
		      c.buf_size = sizeof(sbufs[0]) + 8);
	CREATE_EXPECT(-E2BIG, "larger buf_size, non-zero tail: E2BIG",
		      c.bufs = table_widen(big, sbufs, 2, sizeof(sbufs[0]),
					   sizeof(sbufs[0]) + 8);
		      big[sizeof(sbufs[0]) + 3] = 1;
		      c.buf_size = sizeof(sbufs[0]) + 8);

	/* KV buffer misuse. */
	unsealed = memfd_sealed(KV_SIZE, 0);
	CREATE_EXPECT(-EPERM, "a KV cache without seals: EPERM",
		      sbufs[1].fd = unsealed);
	w_plain = memfd_sealed(W_SIZE, F_SEAL_SHRINK | F_SEAL_GROW);
	CREATE_EXPECT(-EPERM, "weights not sealed against writes: EPERM",
		      sbufs[0].fd = w_plain);
	CREATE_EXPECT(0, "... the same memfd as a state buffer: accepted",
		      sbufs[1].fd = w_plain; c.nr_bufs = 2);
	CREATE_EXPECT(-EACCES, "weights at a buffer a stage writes: EACCES",
		      sbufs[1].flags = 0);
	CREATE_EXPECT(-EACCES, "a KV cache sealed against writes: EACCES",
		      sbufs[1].fd = w_fd);
	kv_small = memfd_sealed(KV_SIZE - 1, F_SEAL_SHRINK | F_SEAL_GROW);
	CREATE_EXPECT(-ENOSPC, "a KV cache smaller than the graph's: ENOSPC",
		      sbufs[1].fd = kv_small);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", kv_fd);
	kv_ro = open(path, O_RDONLY | O_CLOEXEC);
	CREATE_EXPECT(-EACCES, "a KV cache open read-only: EACCES",
		      sbufs[1].fd = kv_ro);
	close(kv_ro);
	close(unsealed);
	close(w_plain);
	close(kv_small);

	first = session_new(dev, graph, 16);
	CREATE_EXPECT(-EBUSY, "the KV cache of another live session: EBUSY");
	kv2 = memfd_sealed(KV_SIZE, F_SEAL_SHRINK | F_SEAL_GROW);
	CREATE_EXPECT(0, "the same weights with a KV cache of its own: accepted",
		      sbufs[1].fd = kv2);
	close(kv2);
	session_destroy(dev, first);
	CREATE_EXPECT(0, "the first session destroyed, its KV cache is free");
	{
		struct edgeai_session_destroy d = { .size = sizeof(d),
						    .session_id = first };

		ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_DESTROY, &d), -ENOENT,
			 "SESSION_DESTROY of a destroyed session: ENOENT");
	}

	/* max_graphs_per_fd sessions per file, then EMFILE. */
	for (n = 0; n < sizeof(ids) / sizeof(ids[0]); n++) {
		struct edgeai_session_create c;

		create_default(&c, graph);
		c.nr_bufs = 1;
		r = xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &c);
		if (r)
			break;
		ids[n] = c.session_id;
	}
	ok(r == -EMFILE && n == info.max_graphs_per_fd,
	   "the %u-th session of a file: EMFILE (got %ld after %u)",
	   info.max_graphs_per_fd + 1, r, n);
	for (i = 0; i < n; i++)
		session_destroy(dev, ids[i]);
}

static long submit_raw(struct edgeai_job_submit *s)
{
	return xioctl(dev, EDGEAI_IOCTL_JOB_SUBMIT, s);
}

static int job_fds[NR_BUFS];

static void submit_defaults(struct edgeai_job_submit *s, uint32_t session,
			    uint32_t max_tokens)
{
	job_fds[B_IO] = io_fd;
	job_fds[B_W] = -1;
	job_fds[B_KV] = -1;
	*s = (struct edgeai_job_submit){ .size = sizeof(*s),
		.flags = EDGEAI_SUBMIT_SESSION, .graph_id = graph,
		.priority = EDGEAI_PRIO_NORMAL, .buf_fds = (uintptr_t)job_fds,
		.nr_buffers = NR_BUFS, .session_id = session,
		.max_tokens = max_tokens };
}

static void cancel(int fd, uint64_t id)
{
	struct edgeai_job_cancel c = { .size = sizeof(c), .job_id = id };

	xioctl(fd, EDGEAI_IOCTL_JOB_CANCEL, &c);
}

static long job_wait(int fd, uint64_t id, struct edgeai_job_wait *w,
		     uint64_t *steps, uint32_t cap)
{
	*w = (struct edgeai_job_wait){ .size = sizeof(*w), .job_id = id,
		.flags = EDGEAI_WAIT_TIMEOUT, .timeout_ns = now_ns() + 30000 * MS,
		.step_times = (uintptr_t)steps, .step_times_cap = cap };
	return xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, w);
}

static void drain_jobs(int fd)
{
	struct edgeai_job_wait w;

	for (;;) {
		w = (struct edgeai_job_wait){ .size = sizeof(w),
					      .flags = EDGEAI_WAIT_NONBLOCK };
		if (xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, &w))
			break;
	}
}

#define SUBMIT_EXPECT(want, what, ...) do {				\
	struct edgeai_job_submit s;					\
	long sr;							\
	submit_defaults(&s, session, 0);				\
	__VA_ARGS__;							\
	sr = submit_raw(&s);						\
	ok_errno(sr, want, "JOB_SUBMIT " what);				\
	if (!sr) {							\
		cancel(dev, s.job_id);					\
		drain_jobs(dev);					\
	}								\
} while (0)

static void test_submit_errors(void)
{
	uint32_t session = session_new(dev, graph, 8);
	uint32_t other = graph_create(dev, 2, STEP_PRIOR_NS);
	struct edgeai_job_submit first;

	SUBMIT_EXPECT(0, "a session job: accepted");
	SUBMIT_EXPECT(0, "with a token limit below the session's: accepted",
		      s.max_tokens = 3);
	SUBMIT_EXPECT(-E2BIG, "a token limit above the session's: E2BIG",
		      s.max_tokens = 9);
	SUBMIT_EXPECT(-ENOENT, "on no session: ENOENT", s.session_id = 999);
	SUBMIT_EXPECT(-EINVAL, "on a session of another graph: EINVAL",
		      s.graph_id = other);
	SUBMIT_EXPECT(-EINVAL, "with EDGEAI_SUBMIT_ANYTIME: EINVAL",
		      s.flags |= EDGEAI_SUBMIT_ANYTIME);
	SUBMIT_EXPECT(-EINVAL, "session_id without the flag: EINVAL",
		      s.flags = 0);
	SUBMIT_EXPECT(-EINVAL, "max_tokens without the flag: EINVAL",
		      s.flags = 0; s.session_id = 0; s.max_tokens = 2);
	SUBMIT_EXPECT(-EINVAL, "an fd in the place of a session buffer: EINVAL",
		      job_fds[B_KV] = kv_fd);
	SUBMIT_EXPECT(-EBADF, "a bad fd for a buffer of its own: EBADF",
		      job_fds[B_IO] = -1);

	submit_defaults(&first, session, 0);
	if (submit_raw(&first))
		exit(2);
	SUBMIT_EXPECT(-EBUSY, "a second job while the first is unfinished: EBUSY");
	cancel(dev, first.job_id);
	SUBMIT_EXPECT(0, "once the first ended (cancelled): accepted");
	drain_jobs(dev);
	session_destroy(dev, session);
}

/*
 * Fetch on executor @fd: 0 and the fetch in *f (its buffer fds closed
 * unless @keep), or -errno.
 */
static long fetch(int fd, struct edgeai_exec_fetch *f, int *fds)
{
	int local[NR_BUFS];
	long r;
	int i;

	if (!fds)
		fds = local;
	*f = (struct edgeai_exec_fetch){ .size = sizeof(*f),
		.buf_fds = (uintptr_t)fds, .buf_fds_cap = NR_BUFS };
	r = xioctl(fd, EDGEAI_IOCTL_EXEC_FETCH, f);
	if (r || fds != local)
		return r;
	for (i = 0; i < NR_BUFS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return 0;
}

static long complete(int fd, const struct edgeai_exec_fetch *f, int status,
		     uint32_t flags)
{
	struct edgeai_exec_complete c = { .size = sizeof(c),
		.task_id = f->task_id, .status = status, .flags = flags };

	return xioctl(fd, EDGEAI_IOCTL_EXEC_COMPLETE, &c);
}

/* Fetch, run @ms, complete; the fetch in *f.  -errno of the fetch. */
static long run_one(int fd, unsigned int ms, uint32_t flags,
		    struct edgeai_exec_fetch *f)
{
	long r = fetch(fd, f, NULL);

	if (r)
		return r;
	if (ms)
		usleep(ms * 1000);
	return complete(fd, f, 0, flags);
}

static unsigned int count_of(const char *text, const char *what)
{
	unsigned int n = 0;

	while (text && (text = strstr(text, what))) {
		n++;
		text++;
	}
	return n;
}

static void test_decode(void)
{
	uint32_t session = session_new(dev, graph, 16);
	long long tokens0 = stat_of("tokens"), live = stat_of("live_sessions");
	struct edgeai_listener *l = NULL;
	struct edgeai_exec_fetch f;
	struct edgeai_job_submit s;
	struct edgeai_job_wait w;
	struct edgeai_event ev;
	uint64_t steps[8] = { 0 }, key = 0;
	bool fields = true, each_queued = true, tp;
	unsigned int i, min_ok = 0;
	char want[96], *text;

	if (edgeai_listener_open(&l, EDGEAI_LISTEN_JOBS) ||
	    edgeai_listener_set_nonblocking(l, 1)) {
		diag("no netlink listener: the event checks will fail");
		l = NULL;
	}
	if (access(TRACING "trace", F_OK))
		mount("tracefs", TRACING, "tracefs", 0, NULL);
	tp = !write_file(TRACING "events/edgeai/edgeai_token_step/enable", "1");
	write_file(TRACING "trace", "");

	ok(live >= 1, "stats/live_sessions counts the session (%lld)", live);
	submit_defaults(&s, session, 5);
	if (submit_raw(&s))
		exit(2);
	ok(!run_one(efd, 0, 0, &f) && f.stage == 0 && !f.fetch_flags &&
	   f.session_key && f.max_tokens == 5 && f.token == 0,
	   "the prefill: stage 0, the session's key, max_tokens 5, no token step");
	key = f.session_key;
	ok_errno(complete(efd, &f, 0, 0), -ENOENT,
		 "EXEC_COMPLETE of a completed task: ENOENT");
	for (i = 0; i < 5; i++) {
		struct edgeai_exec_fetch again;

		if (fetch(efd, &f, NULL)) {
			fields = false;
			break;
		}
		fields &= f.stage == 1 && f.token == i &&
			  f.fetch_flags == EDGEAI_FETCH_TOKEN_STEP &&
			  f.session_key == key && f.max_tokens == 5;
		/* Its next step is not queued before this one completes. */
		each_queued &= fetch(efd, &again, NULL) == -EBUSY &&
			       stat_of("queued_normal") == 0;
		usleep(2000);
		complete(efd, &f, 0, 0);
	}
	ok(fields, "token steps 0..4: stage 1, token i, EDGEAI_FETCH_TOKEN_STEP");
	ok(each_queued, "one step at a time: the next is queued when it completes");
	ok_errno(fetch(efd, &f, NULL), -EAGAIN,
		 "the token limit reached: no sixth step");
	jr = job_wait(dev, s.job_id, &w, steps, 8);
	ok(!jr &&
	   w.status == EDGEAI_JOB_DONE && w.nr_tokens == 5 &&
	   w.session_end == EDGEAI_SESSION_END_LIMIT,
	   "JOB_WAIT: DONE, 5 tokens, ended at its token limit (status %u tokens %u end %u)",
	   w.status, w.nr_tokens, w.session_end);
	for (i = 0; i < 5; i++)
		min_ok += steps[i] >= 2 * MS && steps[i] < 10000 * MS;
	ok(min_ok == 5 && !steps[5],
	   "JOB_WAIT's step times: 5 of at least the 2 ms each ran");
	ok(stat_of("tokens") == tokens0 + 5, "stats/tokens grew by 5");
	ok(job_event(l, s.job_id, &ev) &&
	   edgeai_event_has(&ev, EDGEAI_NL_A_TOKENS) && ev.tokens == 5 &&
	   ev.session_end == EDGEAI_SESSION_END_LIMIT &&
	   ev.step_ns >= 10 * MS,
	   "the JOB_DONE event: 5 tokens, the limit, their time");
	if (tp) {
		write_file(TRACING "events/edgeai/edgeai_token_step/enable", "0");
		text = read_text(TRACING "trace");
		snprintf(want, sizeof(want), "job=%llu session=%u tokens=",
			 (unsigned long long)s.job_id, session);
		ok(count_of(text, want) == 5 &&
		   strstr(text, "tokens=5 cluster=0") &&
		   strstr(strstr(text, "tokens=5 cluster=0"), "end=2"),
		   "one edgeai_token_step tracepoint per step, the last with end=2");
		free(text);
	} else {
		skip("no tracefs with edgeai's events");
	}

	/* The end of the sequence. */
	submit_defaults(&s, session, 0);
	if (submit_raw(&s))
		exit(2);
	ok(!fetch(efd, &f, NULL) && f.stage == 0 && f.max_tokens == 16,
	   "a job without a limit of its own takes the session's (16)");
	ok_errno(complete(efd, &f, 0, EDGEAI_COMPLETE_EOS), -EINVAL,
		 "EDGEAI_COMPLETE_EOS on the prefill: EINVAL");
	complete(efd, &f, 0, 0);
	for (i = 0; i < 2; i++)
		run_one(efd, 0, 0, &f);
	fetch(efd, &f, NULL);
	ok_errno(complete(efd, &f, -EIO, EDGEAI_COMPLETE_EOS), -EINVAL,
		 "EDGEAI_COMPLETE_EOS with a failure status: EINVAL");
	ok_errno(complete(efd, &f, 0, EDGEAI_COMPLETE_EOS << 1), -EINVAL,
		 "an unknown completion flag: EINVAL");
	ok(!complete(efd, &f, 0, EDGEAI_COMPLETE_EOS), "EDGEAI_COMPLETE_EOS on step 2");
	ok_errno(fetch(efd, &f, NULL), -EAGAIN, "... no step after it");
	jr = job_wait(dev, s.job_id, &w, NULL, 0);
	ok(!jr &&
	   w.status == EDGEAI_JOB_DONE && w.nr_tokens == 3 &&
	   w.session_end == EDGEAI_SESSION_END_EOS,
	   "JOB_WAIT: DONE, 3 tokens, ended at the end of the sequence (tokens %u end %u)",
	   w.nr_tokens, w.session_end);
	{
		struct edgeai_job_wait ws = { .size = sizeof(ws),
			.flags = EDGEAI_WAIT_NONBLOCK, .step_times_cap = 4 };

		ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_WAIT, &ws), -EINVAL,
			 "JOB_WAIT with step_times_cap and no array: EINVAL");
		ws.step_times_cap = 0;
		ws.__reserved = 1;
		ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_WAIT, &ws), -EINVAL,
			 "JOB_WAIT with __reserved set: EINVAL");
	}
	if (l) {
		ok(!edgeai_listener_get_stats(l, &ev) &&
		   edgeai_event_has(&ev, EDGEAI_NL_A_STAT_TOKENS) &&
		   edgeai_event_has(&ev, EDGEAI_NL_A_STAT_FREEZES) &&
		   (long long)ev.stat_tokens == stat_of("tokens") &&
		   (long long)ev.stat_freezes == stat_of("freezes"),
		   "GET_STATS reports tokens and freezes as sysfs does");
		edgeai_listener_close(l);
	}
	session_destroy(dev, session);
}

/* edgeaictl status and metrics count the tokens as sysfs does. */
static void test_ctl_counters(void)
{
	char want[96];

	if (access("/tests/edgeaictl", X_OK)) {
		skip("no edgeaictl in the VM");
		return;
	}
	snprintf(want, sizeof(want), "live, %lld tokens, %lld token steps held back",
		 stat_of("tokens"), stat_of("freezes"));
	ok(ctl_prints("status", want), "edgeaictl status: \"sessions: ... %s\"", want);
	snprintf(want, sizeof(want), "edgeai_tokens_total %lld", stat_of("tokens"));
	ok(ctl_prints("metrics", want), "edgeaictl metrics: %s", want);
}

/*
 * Callers built before sessions: JOB_WAIT and EXEC_FETCH of the sizes
 * they knew work on a session job, and see nothing of its tail.
 */
static void test_old_sizes(void)
{
	uint32_t session = session_new(dev, graph, 4);
	struct edgeai_exec_fetch f;
	struct edgeai_job_submit s;
	struct edgeai_job_wait w;
	int fds[NR_BUFS];
	bool old_ok = true;
	unsigned int i;

	submit_defaults(&s, session, 2);
	if (submit_raw(&s))
		exit(2);
	for (i = 0; i < 3; i++) {
		memset(&f, 0xa5, sizeof(f));
		f.size = offsetofend(struct edgeai_exec_fetch, graph_name);
		f.flags = 0;
		f.__reserved = 0;
		f.buf_fds = (uintptr_t)fds;
		f.buf_fds_cap = NR_BUFS;
		if (xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f)) {
			old_ok = false;
			break;
		}
		/* The kernel wrote nothing past the size it was given. */
		old_ok &= f.session_key == 0xa5a5a5a5a5a5a5a5ULL &&
			  f.stage == (i ? 1u : 0u);
		for (int k = 0; k < NR_BUFS; k++)
			if (fds[k] >= 0)
				close(fds[k]);
		complete(efd, &f, 0, 0);
	}
	ok(old_ok, "an executor of the old EXEC_FETCH size runs the prefill and the steps");
	memset(&w, 0xa5, sizeof(w));
	w.size = offsetofend(struct edgeai_job_wait, exit_index);
	w.flags = EDGEAI_WAIT_TIMEOUT;
	w.job_id = s.job_id;
	w.timeout_ns = now_ns() + 10000 * MS;
	w.stage_times = 0;
	w.exit_index = 0;
	jr = xioctl(dev, EDGEAI_IOCTL_JOB_WAIT, &w);
	ok(!jr && w.status == EDGEAI_JOB_DONE && w.nr_tokens == 0xa5a5a5a5,
	   "JOB_WAIT of the old size collects the session job (status %u), its tail untouched",
	   w.status);
	{
		struct edgeai_exec_fetch nf;

		submit_defaults(&s, session, 1);
		if (submit_raw(&s))
			exit(2);
		memset(&nf, 0xa5, sizeof(nf));
		nf.size = sizeof(nf);
		nf.flags = 0;
		nf.__reserved = 0;
		nf.buf_fds = (uintptr_t)fds;
		nf.buf_fds_cap = NR_BUFS;
		ok(!xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &nf) &&
		   nf.__reserved2 == 0 && nf.token == 0 && nf.fetch_flags == 0,
		   "EXEC_FETCH of the new size: its tail written, __reserved2 0");
		for (i = 0; i < NR_BUFS; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		complete(efd, &nf, 0, 0);
		run_one(efd, 0, 0, &nf);
		job_wait(dev, s.job_id, &w, NULL, 0);
	}
	session_destroy(dev, session);
}

/* EDGEAI_COMPLETE_EOS on a job of no session: EINVAL. */
static void test_eos_plain(void)
{
	struct edgeai_job_submit s;
	struct edgeai_exec_fetch f;
	struct edgeai_job_wait w;

	s = (struct edgeai_job_submit){ .size = sizeof(s), .graph_id = graph,
		.priority = EDGEAI_PRIO_NORMAL, .buf_fds = (uintptr_t)job_fds,
		.nr_buffers = NR_BUFS };
	job_fds[B_IO] = io_fd;
	job_fds[B_W] = w_fd;
	job_fds[B_KV] = kv_fd;
	if (submit_raw(&s))
		exit(2);
	run_one(efd, 0, 0, &f);
	fetch(efd, &f, NULL);
	ok(!f.session_key && !f.fetch_flags && !f.max_tokens,
	   "the last stage of a job of no session: no session fields");
	ok_errno(complete(efd, &f, 0, EDGEAI_COMPLETE_EOS), -EINVAL,
		 "EDGEAI_COMPLETE_EOS on a job of no session: EINVAL");
	complete(efd, &f, 0, 0);
	jr = job_wait(dev, s.job_id, &w, NULL, 0);
	ok(!jr && w.nr_tokens == 0 &&
	   w.session_end == EDGEAI_SESSION_END_NONE,
	   "a job of no session: 0 tokens, no session end");
}

/* A one-stage REALTIME job of @fd's graph @g, with a deadline or none. */
static uint64_t submit_rt(uint32_t g, uint64_t deadline)
{
	int fds[NR_BUFS] = { io_fd, w_fd, kv_fd };
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = g,
		.priority = EDGEAI_PRIO_REALTIME, .deadline_ns = deadline,
		.buf_fds = (uintptr_t)fds, .nr_buffers = NR_BUFS };

	if (submit_raw(&s)) {
		perror("submit realtime");
		exit(2);
	}
	return s.job_id;
}

static uint32_t rt_graph(uint64_t cost)
{
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 1, .stages = (uintptr_t)stages,
		.stage_size = sizeof(stages[0]), .nr_buffers = NR_BUFS };

	stages[0] = (struct edgeai_stage){ .cluster_id = CL, .nr_layers = 1,
		.cost_ns = cost, .in_mask = 1, .out_mask = 1 };
	snprintf(g.name, sizeof(g.name), "camera");
	if (xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g))
		exit(2);
	return g.graph_id;
}

static void test_realtime_between(void)
{
	uint32_t session = session_new(dev, graph, 8), cam = rt_graph(1 * MS);
	struct edgeai_exec_fetch f, rt;
	struct edgeai_job_submit s;
	struct edgeai_job_wait w;
	uint64_t rt_job;

	submit_defaults(&s, session, 4);
	if (submit_raw(&s))
		exit(2);
	run_one(efd, 0, 0, &f);			/* prefill */
	fetch(efd, &f, NULL);			/* step 0 runs */
	rt_job = submit_rt(cam, 0);
	complete(efd, &f, 0, 0);
	ok(!fetch(efd, &rt, NULL) && rt.priority == EDGEAI_PRIO_REALTIME &&
	   !rt.session_key,
	   "a REALTIME job queued during step 0 runs before step 1");
	complete(efd, &rt, 0, 0);
	ok(!run_one(efd, 0, 0, &f) && f.token == 1,
	   "then step 1");
	while (!run_one(efd, 0, 0, &f))
		;
	jr = job_wait(dev, s.job_id, &w, NULL, 0);
	ok(!jr && w.nr_tokens == 4 &&
	   w.frozen_ns == 0,
	   "the session job goes on to its 4 tokens, never frozen");
	job_wait(dev, rt_job, &w, NULL, 0);
	session_destroy(dev, session);
}

/*
 * edgeaictl jobs, while the session job @job is frozen: its line says
 * "frozen" and its one token so far.
 */
static void ctl_jobs_check(uint64_t job)
{
	char line[256], want[32];
	bool seen = false;
	FILE *p;

	if (access("/tests/edgeaictl", X_OK)) {
		skip("no edgeaictl in the VM");
		return;
	}
	p = popen("/tests/edgeaictl jobs 2>&1", "r");
	snprintf(want, sizeof(want), "%llu ", (unsigned long long)job);
	while (p && fgets(line, sizeof(line), p))
		if (!strncmp(line, want, strlen(want)) && strstr(line, " frozen ") &&
		    strstr(line, " 1 (") && strstr(line, "ms/token)"))
			seen = true;
	if (p)
		pclose(p);
	ok(seen, "edgeaictl jobs: the job frozen, with its 1 token and ms/token");
}

static void test_freeze(void)
{
	struct edgeai_listener *l = NULL;
	struct edgeai_event ev;
	uint32_t g = graph_create(dev, 2, STEP_PRIOR_NS);
	uint32_t session = session_new(dev, g, 8), cam = rt_graph(CAM_MS * MS);
	long long freezes = stat_of("freezes");
	struct edgeai_exec_fetch f, rt;
	struct edgeai_job_submit s;
	struct edgeai_job_wait w;
	uint64_t rt_job, t0, waited, frozen;
	unsigned int wakes, most;
	bool tp, wq;
	char *text;
	long r;

	if (edgeai_listener_open(&l, EDGEAI_LISTEN_JOBS) ||
	    edgeai_listener_set_nonblocking(l, 1))
		l = NULL;
	tp = !write_file(TRACING "events/edgeai/edgeai_session_freeze/enable",
			 "1");
	wq = tp && !write_file(TRACING "events/workqueue/workqueue_execute_start/enable",
			       "1");
	write_file(TRACING "trace", "");
	submit_defaults(&s, session, 3);
	s.graph_id = g;
	if (submit_raw(&s))
		exit(2);
	run_one(efd, 0, 0, &f);			/* prefill */
	fetch(efd, &f, NULL);			/* step 0 runs STEP_MS */
	usleep(STEP_MS * 1000);
	/*
	 * A camera frame: CAM_MS of work due in DUE_MS.  Step 1 (STEP_MS, as
	 * step 0 measured) run first would end it late: the session freezes.
	 */
	rt_job = submit_rt(cam, now_ns() + DUE_MS * MS);
	complete(efd, &f, 0, 0);
	ok(stat_of("freezes") == freezes + 1,
	   "step 1 would make the REALTIME job late: the session freezes (stats/freezes)");
	ok(!fetch(efd, &rt, NULL) && rt.priority == EDGEAI_PRIO_REALTIME,
	   "the REALTIME job runs");
	ok_errno(fetch(efd, &f, NULL), -EBUSY, "(one stage at a time)");
	complete(efd, &rt, 0, 0);
	/*
	 * It ended with less than two steps' margin: the session stays
	 * frozen for the module's session_window_ms (at least), then thaws.
	 */
	r = fetch(efd, &f, NULL);
	ok(r == -EAGAIN, "just after it, the step is still held back (got %ld)",
	   r);
	ctl_jobs_check(s.job_id);
	t0 = now_ns();
	while ((r = fetch(efd, &f, NULL)) == -EAGAIN && now_ns() - t0 < 5000 * MS)
		usleep(2000);
	waited = now_ns() - t0;
	ok(!r && f.token == 1,
	   "thawed: step 1 is dispatched again after %llu ms",
	   (unsigned long long)(waited / MS));
	if (!r)
		complete(efd, &f, 0, 0);
	while (!run_one(efd, 0, 0, &f))
		;
	jr = job_wait(dev, s.job_id, &w, NULL, 0);
	ok(!jr && w.nr_tokens == 3 &&
	   w.status == EDGEAI_JOB_DONE && w.frozen_ns >= waited / 2,
	   "the session job ends with its 3 tokens, %llu ms of them frozen",
	   (unsigned long long)(w.frozen_ns / MS));
	frozen = w.frozen_ns;
	ok(job_event(l, s.job_id, &ev) &&
	   edgeai_event_has(&ev, EDGEAI_NL_A_FROZEN_NS) &&
	   ev.frozen_ns == w.frozen_ns,
	   "the JOB_DONE event's frozen_ns is JOB_WAIT's");
	if (l)
		edgeai_listener_close(l);
	job_wait(dev, rt_job, &w, NULL, 0);
	if (tp) {
		write_file(TRACING "events/edgeai/edgeai_session_freeze/enable",
			   "0");
		if (wq)
			write_file(TRACING "events/workqueue/workqueue_execute_start/enable",
				   "0");
		text = read_text(TRACING "trace");
		ok(text && strstr(text, "frozen=1") && strstr(text, "frozen=0") &&
		   strstr(text, "frozen=1") < strstr(text, "frozen=0"),
		   "the edgeai_session_freeze tracepoint: frozen, then thawed");
		/*
		 * Nothing ended while it was held after the REALTIME job: the
		 * thaw came from the timer, which ran at least once and at
		 * most twice for each window the hold spanned, plus one.
		 */
		wakes = count_of(text, "edgeai_session_thaw_fn");
		most = 2 * (unsigned int)(frozen / (WINDOW_MS * MS) + 1) + 1;
		if (wq)
			ok(wakes >= 1 && wakes <= most,
			   "frozen %llu ms, the thaw timer ran %u times (1 to %u)",
			   (unsigned long long)(frozen / MS), wakes, most);
		else
			skip("no workqueue tracepoint to count the thaw timer");
		free(text);
	} else {
		skip("no tracefs with edgeai's events");
		skip("no tracefs to count the thaw timer");
	}

	/* Cancelled while frozen: it ends at once. */
	submit_defaults(&s, session, 3);
	s.graph_id = g;
	if (submit_raw(&s))
		exit(2);
	run_one(efd, 0, 0, &f);
	fetch(efd, &f, NULL);
	usleep(STEP_MS * 1000);
	rt_job = submit_rt(cam, now_ns() + DUE_MS * MS);
	complete(efd, &f, 0, 0);
	cancel(dev, s.job_id);
	jr = job_wait(dev, s.job_id, &w, NULL, 0);
	ok(!jr &&
	   w.status == EDGEAI_JOB_CANCELLED && w.nr_tokens == 1,
	   "a job cancelled while frozen ends at once (status %u)", w.status);
	run_one(efd, 0, 0, &rt);
	job_wait(dev, rt_job, &w, NULL, 0);
	ok_errno(fetch(efd, &f, NULL), -EAGAIN, "... and none of its steps is left");
	session_destroy(dev, session);
	/* The REALTIME margins of this test no longer count after two windows. */
	usleep(2 * WINDOW_MS * 1000 + 100000);
}

/* A one-stage job of @g at @prio, with a deadline. */
static uint64_t submit_prio(uint32_t g, uint32_t prio, uint64_t deadline)
{
	int fds[NR_BUFS] = { io_fd, w_fd, kv_fd };
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = g,
		.priority = prio, .deadline_ns = deadline,
		.buf_fds = (uintptr_t)fds, .nr_buffers = NR_BUFS };

	if (submit_raw(&s))
		exit(2);
	return s.job_id;
}

/*
 * Freezing is by class: a NORMAL job due soon freezes a BACKGROUND session
 * and not a NORMAL one.  The NORMAL job has DUE_MS - CAM_MS of slack when
 * submitted: a step completed later than that finds it lost already,
 * which freezes nothing, so a round the machine delayed that long is run
 * again (a few times at most) rather than judged.
 */
static void test_freeze_classes(void)
{
	uint32_t g = graph_create(dev, 2, STEP_PRIOR_NS), cam;
	uint32_t session = session_new(dev, g, 8);
	long long freezes = 0;
	struct edgeai_exec_fetch f, o;
	struct edgeai_job_submit s;
	struct edgeai_job_wait w;
	uint64_t other, sent;
	bool late = true;
	uint32_t prio;
	int round;

	for (prio = EDGEAI_PRIO_NORMAL; prio <= EDGEAI_PRIO_BACKGROUND; prio++) {
		for (round = 0; round < 5 && late; round++) {
			submit_defaults(&s, session, 3);
			s.graph_id = g;
			s.priority = prio;
			if (submit_raw(&s))
				exit(2);
			run_one(efd, 0, 0, &f);		/* prefill */
			fetch(efd, &f, NULL);		/* step 0 runs STEP_MS */
			usleep(STEP_MS * 1000);
			/* A fresh graph: its CAM_MS is the prior, not a measured 0. */
			cam = rt_graph(CAM_MS * MS);
			sent = now_ns();
			other = submit_prio(cam, EDGEAI_PRIO_NORMAL, sent + DUE_MS * MS);
			freezes = stat_of("freezes");
			complete(efd, &f, 0, 0);
			late = now_ns() - sent >= (DUE_MS - CAM_MS) * MS;
			freezes = stat_of("freezes") - freezes;
			cancel(dev, s.job_id);
			/* Whatever is queued: the other job, or the NORMAL session's step. */
			while (!fetch(efd, &o, NULL))
				complete(efd, &o, 0, 0);
			job_wait(dev, s.job_id, &w, NULL, 0);
			job_wait(dev, other, &w, NULL, 0);
		}
		if (late)
			diag("every round came after the other job's slack; judged anyway");
		if (prio == EDGEAI_PRIO_NORMAL)
			ok(freezes == 0,
			   "a NORMAL job due soon does not freeze a NORMAL session");
		else
			ok(freezes == 1,
			   "a NORMAL job due soon freezes a BACKGROUND session");
		late = true;
	}
	session_destroy(dev, session);
}

/* A child that makes a session, submits a job, then waits to be killed. */
static pid_t owner_child(int *ready)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		exit(2);
	pid = fork();
	if (!pid) {
		struct edgeai_job_submit s;
		int fd = dev_open(), kv;
		uint32_t g, ses;

		close(p[0]);
		dev = fd;
		g = graph_create(fd, 2, STEP_PRIOR_NS);
		graph = g;
		kv = memfd_sealed(KV_SIZE, F_SEAL_SHRINK | F_SEAL_GROW);
		kv_fd = kv;
		ses = session_new(fd, g, 32);
		submit_defaults(&s, ses, 0);
		if (submit_raw(&s))
			_exit(3);
		if (write(p[1], "x", 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	close(p[1]);
	*ready = p[0];
	return pid;
}

static void kill_child(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_owner_exits(void)
{
	long long live_jobs = stat_of("live_jobs"),
		  live_sessions = stat_of("live_sessions"),
		  cancelled = stat_of("cancelled");
	struct edgeai_exec_fetch f;
	char c;
	int ready;
	pid_t pid;

	/* A step queued when the owner dies. */
	pid = owner_child(&ready);
	if (read(ready, &c, 1) != 1)
		exit(2);
	close(ready);
	run_one(efd, 0, 0, &f);
	run_one(efd, 0, 0, &f);
	kill_child(pid);
	ok_errno(fetch(efd, &f, NULL), -EAGAIN,
		 "owner exits with a step queued: the step is gone");
	ok(stat_of("live_jobs") == live_jobs &&
	   stat_of("live_sessions") == live_sessions &&
	   stat_of("cancelled") == cancelled + 1,
	   "... the job cancelled, its session and job freed");

	/* A step running when the owner dies. */
	pid = owner_child(&ready);
	if (read(ready, &c, 1) != 1)
		exit(2);
	close(ready);
	run_one(efd, 0, 0, &f);
	fetch(efd, &f, NULL);
	kill_child(pid);
	ok(stat_of("live_sessions") == live_sessions + 1,
	   "owner exits mid-step: the session lives while its step runs");
	ok(!complete(efd, &f, 0, 0), "the step completes");
	ok_errno(fetch(efd, &f, NULL), -EAGAIN, "... and no step follows");
	ok(stat_of("live_jobs") == live_jobs &&
	   stat_of("live_sessions") == live_sessions &&
	   stat_of("cancelled") == cancelled + 2,
	   "... the job cancelled, its session and job freed");
}

static int attach(void)
{
	struct edgeai_exec_attach a = { .size = sizeof(a), .cluster_id = CL };
	int fd = dev_open(), fl = 1;

	if (xioctl(fd, EDGEAI_IOCTL_EXEC_ATTACH, &a)) {
		perror("attach");
		exit(2);
	}
	ioctl(fd, FIONBIO, &fl);
	return fd;
}

/* A token step of the executor: the KV cache counts the steps run. */
static long kv_step(int fd, uint32_t *count, uint32_t *token)
{
	struct edgeai_exec_fetch f;
	int fds[NR_BUFS];
	uint32_t *kv;
	long r;
	int i;

	r = fetch(fd, &f, fds);
	if (r)
		return r;
	kv = mmap(NULL, KV_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		  fds[B_KV], 0);
	if (kv == MAP_FAILED) {
		r = -errno;
	} else {
		if (f.stage == 0)
			kv[0] = 0;
		else
			kv[0]++;
		*count = kv[0];
		munmap(kv, KV_SIZE);
	}
	*token = f.token;
	for (i = 0; i < NR_BUFS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return r ? r : complete(fd, &f, 0, 0);
}

static void test_executor_lost(void)
{
	uint32_t session = session_new(dev, graph, 8), count = 0, token = 0;
	long long live_jobs = stat_of("live_jobs");
	struct edgeai_exec_fetch f;
	struct edgeai_job_submit s;
	struct edgeai_job_wait w;
	int a, b;
	bool fine = true;

	/* Between two steps: the next executor goes on. */
	a = attach();
	submit_defaults(&s, session, 6);
	if (submit_raw(&s))
		exit(2);
	kv_step(a, &count, &token);		/* prefill */
	kv_step(a, &count, &token);		/* step 0 */
	kv_step(a, &count, &token);		/* step 1 */
	close(a);
	b = attach();
	while (!kv_step(b, &count, &token))
		fine &= count == token + 1;
	ok(fine && count == 6 && token == 5,
	   "executor gone between steps: the next one goes on, the KV cache as left (count %u)",
	   count);
	jr = job_wait(dev, s.job_id, &w, NULL, 0);
	ok(!jr &&
	   w.status == EDGEAI_JOB_DONE && w.nr_tokens == 6 && !w.retries,
	   "... the job ends DONE with its 6 tokens, no retry");

	/* During a step: it works in place, the job is lost. */
	submit_defaults(&s, session, 6);
	if (submit_raw(&s))
		exit(2);
	kv_step(b, &count, &token);
	kv_step(b, &count, &token);
	fetch(b, &f, NULL);
	close(b);
	jr = job_wait(dev, s.job_id, &w, NULL, 0);
	ok(!jr &&
	   w.status == EDGEAI_JOB_EXEC_LOST && w.nr_tokens == 1,
	   "executor gone during step 1: EXEC_LOST, 1 token (status %u tokens %u)",
	   w.status, w.nr_tokens);
	ok(stat_of("live_jobs") == live_jobs, "... nothing left of either job");
	session_destroy(dev, session);
}

int main(void)
{
	struct edgeai_exec_attach a = { .size = sizeof(a), .cluster_id = CL };
	int fl = 1;
	char w[W_SIZE];

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = dev_open();
	efd = dev_open();
	if (xioctl(efd, EDGEAI_IOCTL_EXEC_ATTACH, &a)) {
		perror("attach");
		return 2;
	}
	ioctl(efd, FIONBIO, &fl);
	memset(w, 0x5a, sizeof(w));
	io_fd = edgeai_buffer_create("io", buf_sizes[B_IO]);
	w_fd = edgeai_buffer_create_const("weights", w, sizeof(w));
	kv_fd = memfd_sealed(KV_SIZE, F_SEAL_SHRINK | F_SEAL_GROW);
	if (io_fd < 0 || w_fd < 0) {
		fprintf(stderr, "buffers: %d %d\n", io_fd, w_fd);
		return 2;
	}
	graph = graph_create(dev, 2, STEP_PRIOR_NS);

	test_create_errors();
	test_submit_errors();
	test_decode();
	test_eos_plain();
	test_old_sizes();
	test_realtime_between();
	test_freeze();
	test_freeze_classes();
	test_ctl_counters();
	test_owner_exits();
	test_executor_lost();

	close(efd);
	close(dev);
	close(io_fd);
	close(w_fd);
	close(kv_fd);
	usleep(100000);
	ok(stat_of("live_sessions") == 0 && stat_of("live_jobs") == 0 &&
	   stat_of("live_graphs") == 0,
	   "all closed: no session, job or graph left (%lld %lld %lld)",
	   stat_of("live_sessions"), stat_of("live_jobs"),
	   stat_of("live_graphs"));
	return tap_done();
}
