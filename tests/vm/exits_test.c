// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exits in graphs and anytime jobs (issue 21, items 1 and 2), in the VM:
 *  - GRAPH_CREATE's exit table: every rule of struct edgeai_exit and of
 *    its pointer, count and element size, and callers that know the
 *    smaller structs of before;
 *  - JOB_SUBMIT's EDGEAI_SUBMIT_ANYTIME and min_accuracy_ppm;
 *  - a job that a slow stage would make late ends at the last exit it
 *    reached that meets its minimum (EDGEAI_JOB_DONE_EXIT, the exit's
 *    index in JOB_WAIT and in the JOB_DONE event, stats/exits_taken), a
 *    later stage is never run; one whose minimum no exit meets ends
 *    DEADLINE_MISSED as before; one with time to spare runs every stage;
 *  - strict admission of an anytime job counts on its exits;
 *  - cancellation racing with the exit decision.
 *
 * The test is the executor of its one virtual cluster: it decides how
 * long each stage runs.  Loaded with tests/vm/exits_test.modparams.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/abi.h"
#include "../lib/app.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define CL		0
#define NR_BUFS		4
#define NR_STAGES	3
#define PRIOR_NS	(100 * MS)	/* each stage's declared cost */
#define ACC_EXIT0	700000
#define ACC_EXIT1	850000

static int bufs[NR_BUFS];
static int dev;
static int efd;
/* What the last exec_one() fetched. */
static struct edgeai_exec_fetch last_fetch;

/*
 * Buffer 0 is the input; stage i writes buffer i + 1.  Exit 0 (after
 * stage 0) is in buffer 1, exit 1 (after stage 1) in buffer 2.
 */
static struct edgeai_stage stages[NR_STAGES];
static struct edgeai_exit exits[2];

static void graph_defaults(struct edgeai_graph_create *g)
{
	uint32_t i;

	for (i = 0; i < NR_STAGES; i++)
		stages[i] = (struct edgeai_stage){ .cluster_id = CL,
			.nr_layers = 1, .first_layer = i, .cost_ns = PRIOR_NS,
			.in_mask = 1u << i, .out_mask = 1u << (i + 1) };
	exits[0] = (struct edgeai_exit){ .after_stage = 0,
		.accuracy_ppm = ACC_EXIT0, .out_mask = 1u << 1 };
	exits[1] = (struct edgeai_exit){ .after_stage = 1,
		.accuracy_ppm = ACC_EXIT1, .out_mask = 1u << 2 };
	*g = (struct edgeai_graph_create){ .size = sizeof(*g), .model_fd = -1,
		.nr_stages = NR_STAGES, .stages = (uintptr_t)stages,
		.stage_size = sizeof(stages[0]), .nr_buffers = NR_BUFS,
		.exits = (uintptr_t)exits, .nr_exits = 2,
		.exit_size = sizeof(exits[0]) };
	snprintf(g->name, sizeof(g->name), "anytime");
}

static long graph_try(struct edgeai_graph_create *g)
{
	long r = xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, g);

	if (!r) {
		struct edgeai_graph_destroy d = { .size = sizeof(d),
						  .graph_id = g->graph_id };

		xioctl(dev, EDGEAI_IOCTL_GRAPH_DESTROY, &d);
	}
	return r;
}

/* A fresh graph with both exits: its stage estimates are the priors. */
static uint32_t graph_new(void)
{
	struct edgeai_graph_create g;

	graph_defaults(&g);
	if (xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g)) {
		perror("graph");
		exit(2);
	}
	return g.graph_id;
}

#define GRAPH_EXPECT(want, what, ...)					\
	CMD_EXPECT(struct edgeai_graph_create, g, graph_defaults(&g),	\
		   graph_try, want, "GRAPH_CREATE " what, __VA_ARGS__)

static void test_graph_errors(void)
{
	struct edgeai_info info = { .size = sizeof(info) };
	struct edgeai_exit many[EDGEAI_MAX_EXITS + 1];
	unsigned char big[sizeof(struct edgeai_exit) * 2 + 16];
	void *unmapped;
	uint32_t i;

	ok(!xioctl(dev, EDGEAI_IOCTL_GET_INFO, &info) &&
	   (info.features & EDGEAI_FEAT_EXITS),
	   "GET_INFO reports EDGEAI_FEAT_EXITS");
	GRAPH_EXPECT(0, "with two exits: accepted");
	GRAPH_EXPECT(0, "an exit at 100 %%: accepted",
		     exits[1].accuracy_ppm = EDGEAI_ACCURACY_MAX);
	GRAPH_EXPECT(0, "as a binary without exits sees it (smaller size)",
		     g.size = GRAPH_V1_SIZE);
	GRAPH_EXPECT(0, "without exits, full size", g.exits = 0;
		     g.nr_exits = 0; g.exit_size = 0);

	GRAPH_EXPECT(-EINVAL, "exit after the last stage: EINVAL",
		     exits[1].after_stage = NR_STAGES - 1);
	GRAPH_EXPECT(-EINVAL, "exit past the stages: EINVAL",
		     exits[1].after_stage = NR_STAGES + 5);
	GRAPH_EXPECT(-EINVAL, "exit after stage 2^32-1: EINVAL",
		     exits[1].after_stage = UINT32_MAX);
	GRAPH_EXPECT(-EINVAL, "exits at the same stage: EINVAL",
		     exits[1].after_stage = 0; exits[1].out_mask = 1u << 1);
	GRAPH_EXPECT(-EINVAL, "exits in decreasing stage order: EINVAL",
		     exits[0] = exits[1];
		     exits[1] = (struct edgeai_exit){ .after_stage = 0,
			.accuracy_ppm = 900000, .out_mask = 1u << 1 });
	GRAPH_EXPECT(-EINVAL, "accuracy above 100 %%: EINVAL",
		     exits[1].accuracy_ppm = EDGEAI_ACCURACY_MAX + 1);
	GRAPH_EXPECT(-EINVAL, "accuracy 2^32-1: EINVAL",
		     exits[0].accuracy_ppm = UINT32_MAX);
	GRAPH_EXPECT(-EINVAL, "accuracy not increasing (equal): EINVAL",
		     exits[1].accuracy_ppm = ACC_EXIT0);
	GRAPH_EXPECT(-EINVAL, "accuracy decreasing: EINVAL",
		     exits[1].accuracy_ppm = ACC_EXIT0 - 1);
	GRAPH_EXPECT(-EINVAL, "exit flags: EINVAL", exits[0].flags = 1);
	GRAPH_EXPECT(-EINVAL, "exit reserved: EINVAL", exits[1].__reserved = 1);
	GRAPH_EXPECT(-EINVAL, "exit without buffers: EINVAL",
		     exits[0].out_mask = 0);
	GRAPH_EXPECT(-EINVAL, "exit buffer beyond the job's: EINVAL",
		     exits[0].out_mask = 1u << NR_BUFS);
	GRAPH_EXPECT(-EINVAL, "exit buffer not written yet: EINVAL",
		     exits[0].out_mask = 1u << 2);
	GRAPH_EXPECT(-EINVAL, "exit buffer overwritten later: EINVAL",
		     stages[2].out_mask |= 1u << 2);
	GRAPH_EXPECT(-EINVAL, "exit on a one-stage graph: EINVAL",
		     g.nr_stages = 1; g.nr_exits = 1; stages[0].out_mask = 2;
		     exits[0].out_mask = 2);

	GRAPH_EXPECT(-EINVAL, "exits without a count: EINVAL", g.nr_exits = 0);
	GRAPH_EXPECT(-EINVAL, "a count without exits: EINVAL", g.exits = 0);
	GRAPH_EXPECT(-EINVAL, "exit_size without exits: EINVAL",
		     g.exits = 0; g.nr_exits = 0);
	GRAPH_EXPECT(-EINVAL, "exit_size below the first version: EINVAL",
		     g.exit_size = offsetof(struct edgeai_exit, __reserved));
	GRAPH_EXPECT(-EINVAL, "exit_size above a page: EINVAL",
		     g.exit_size = 1 << 20);
	for (i = 0; i <= EDGEAI_MAX_EXITS; i++)
		many[i] = (struct edgeai_exit){ .after_stage = i,
			.accuracy_ppm = 1000 + i, .out_mask = 2 };
	GRAPH_EXPECT(-E2BIG, "more than EDGEAI_MAX_EXITS exits: E2BIG",
		     g.exits = (uintptr_t)many;
		     g.nr_exits = EDGEAI_MAX_EXITS + 1);
	GRAPH_EXPECT(-EFAULT, "exits at a bad pointer: EFAULT",
		     g.exits = 16);
	unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	GRAPH_EXPECT(-EFAULT, "exits on an unreadable page: EFAULT",
		     g.exits = (uintptr_t)unmapped);
	munmap(unmapped, 4096);

	/* A larger element: zero tail accepted, anything else E2BIG. */
	GRAPH_EXPECT(0, "larger exit_size, zero tail: accepted",
		     g.exits = table_widen(big, exits, 2, sizeof(exits[0]),
					   sizeof(exits[0]) + 8);
		     g.exit_size = sizeof(exits[0]) + 8);
	GRAPH_EXPECT(-E2BIG, "larger exit_size, non-zero tail: E2BIG",
		     g.exits = table_widen(big, exits, 2, sizeof(exits[0]),
					   sizeof(exits[0]) + 8);
		     big[sizeof(exits[0]) + 3] = 1;
		     g.exit_size = sizeof(exits[0]) + 8);
}

static long submit_raw(struct edgeai_job_submit *s)
{
	return xioctl(dev, EDGEAI_IOCTL_JOB_SUBMIT, s);
}

static void submit_defaults(struct edgeai_job_submit *s, uint32_t graph,
			    uint64_t deadline, uint32_t min_acc)
{
	*s = (struct edgeai_job_submit){ .size = sizeof(*s),
		.flags = EDGEAI_SUBMIT_ANYTIME, .graph_id = graph,
		.priority = EDGEAI_PRIO_NORMAL, .deadline_ns = deadline,
		.buf_fds = (uintptr_t)bufs, .nr_buffers = NR_BUFS,
		.min_accuracy_ppm = min_acc };
}

static uint64_t submit(uint32_t graph, uint64_t deadline, uint32_t min_acc)
{
	struct edgeai_job_submit s;

	submit_defaults(&s, graph, deadline, min_acc);
	if (submit_raw(&s)) {
		perror("submit");
		exit(2);
	}
	return s.job_id;
}

static void cancel(uint64_t id)
{
	struct edgeai_job_cancel c = { .size = sizeof(c), .job_id = id };

	xioctl(dev, EDGEAI_IOCTL_JOB_CANCEL, &c);
}

static long job_wait(uint64_t id, struct edgeai_job_wait *w,
		     struct edgeai_stage_times *t)
{
	*w = (struct edgeai_job_wait){ .size = sizeof(*w), .job_id = id,
		.flags = EDGEAI_WAIT_TIMEOUT, .timeout_ns = now_ns() + 30000 * MS,
		.stage_times = (uintptr_t)t, .stage_times_cap = NR_STAGES,
		.stage_times_size = sizeof(*t) };
	return xioctl(dev, EDGEAI_IOCTL_JOB_WAIT, w);
}

#define SUBMIT_EXPECT(want, what, graph, ...) do {			\
	struct edgeai_job_submit s;					\
	long sr;							\
	submit_defaults(&s, graph, 0, 0);				\
	__VA_ARGS__;							\
	sr = submit_raw(&s);						\
	ok_errno(sr, want, "JOB_SUBMIT " what);				\
	if (!sr)							\
		cancel(s.job_id);					\
} while (0)

static void drain(void);

static void test_submit_errors(void)
{
	struct edgeai_graph_create g;
	uint32_t graph = graph_new(), plain;
	struct edgeai_job_wait w;

	graph_defaults(&g);
	g.exits = 0;
	g.nr_exits = 0;
	g.exit_size = 0;
	if (xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g))
		exit(2);
	plain = g.graph_id;

	SUBMIT_EXPECT(0, "anytime with a minimum: accepted", graph,
		      s.min_accuracy_ppm = ACC_EXIT1);
	SUBMIT_EXPECT(0, "anytime, minimum 100 %%: accepted", graph,
		      s.min_accuracy_ppm = EDGEAI_ACCURACY_MAX);
	SUBMIT_EXPECT(-EINVAL, "anytime on a graph without exits: EINVAL",
		      plain);
	SUBMIT_EXPECT(-EINVAL, "minimum above 100 %%: EINVAL", graph,
		      s.min_accuracy_ppm = EDGEAI_ACCURACY_MAX + 1);
	SUBMIT_EXPECT(-EINVAL, "minimum without EDGEAI_SUBMIT_ANYTIME: EINVAL",
		      graph, s.flags = 0; s.min_accuracy_ppm = 1);
	SUBMIT_EXPECT(-EINVAL, "__reserved2: EINVAL", graph,
		      s.__reserved2 = 1);
	SUBMIT_EXPECT(-EINVAL, "unknown flag: EINVAL", graph,
		      s.flags |= EDGEAI_SUBMIT_ANYTIME << 1);
	SUBMIT_EXPECT(0, "as a binary without exits sees it (smaller size)",
		      graph, s.flags = 0; s.min_accuracy_ppm = 0;
		      s.size = SUBMIT_V1_SIZE);
	drain();

	w = (struct edgeai_job_wait){ .size = sizeof(w), .exit_index = 1,
				      .flags = EDGEAI_WAIT_NONBLOCK };
	ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_WAIT, &w), -EINVAL,
		 "JOB_WAIT with exit_index set: EINVAL");
}

/*
 * Fetch the next stage, run it @run_ms, complete it.  Its index in *stage.
 * -EAGAIN when none is queued.
 */
static long exec_one(unsigned int run_ms, uint32_t *stage)
{
	struct edgeai_exec_complete c = { .size = sizeof(c) };
	struct edgeai_exec_fetch f = { .size = sizeof(f) };
	int fds[NR_BUFS];
	long r;
	int i;

	f.buf_fds = (uintptr_t)fds;
	f.buf_fds_cap = NR_BUFS;
	r = xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f);
	if (r)
		return r;
	for (i = 0; i < NR_BUFS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (stage)
		*stage = f.stage;
	last_fetch = f;
	if (run_ms)
		usleep(run_ms * 1000);
	c.task_id = f.task_id;
	return xioctl(efd, EDGEAI_IOCTL_EXEC_COMPLETE, &c);
}

/* Run whatever is queued at once, and collect every job. */
static void drain(void)
{
	struct edgeai_job_wait w;

	while (!exec_one(0, NULL))
		;
	for (;;) {
		w = (struct edgeai_job_wait){ .size = sizeof(w),
					      .flags = EDGEAI_WAIT_NONBLOCK };
		if (xioctl(dev, EDGEAI_IOCTL_JOB_WAIT, &w))
			break;
	}
}

/*
 * Runs stage 0 for @run0 ms, stage 1 for @run1 ms, and stage 2 (if the
 * kernel queues it) for @run2 ms, of a fresh graph's job with a deadline
 * @deadline_ms after submission.  The stages that ran in *ran.
 */
static long run_job(uint32_t min_acc, unsigned int deadline_ms,
		    const unsigned int run[NR_STAGES], uint32_t *ran,
		    struct edgeai_job_wait *w, struct edgeai_stage_times *t,
		    uint64_t *job)
{
	uint32_t graph = graph_new(), stage, i;
	struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = graph };
	long r;

	*ran = 0;
	*job = submit(graph, now_ns() + deadline_ms * MS, min_acc);
	for (i = 0; i < NR_STAGES; i++) {
		if (exec_one(run[i], &stage))
			break;
		*ran |= 1u << stage;
	}
	r = job_wait(*job, w, t);
	xioctl(dev, EDGEAI_IOCTL_GRAPH_DESTROY, &d);
	return r;
}

static void test_anytime(void)
{
	struct edgeai_listener *l = NULL;
	struct edgeai_stage_times t[NR_STAGES];
	struct edgeai_job_wait w;
	struct edgeai_event ev;
	long long taken = stat_of("exits_taken"), misses;
	uint32_t ran;
	uint64_t job;
	long r;

	if (edgeai_listener_open(&l, EDGEAI_LISTEN_JOBS) ||
	    edgeai_listener_set_nonblocking(l, 1)) {
		diag("no netlink listener: the event checks will fail");
		l = NULL;
	}

	/*
	 * Deadline 400 ms; stage 0 takes 20 ms (the rest, 200 ms by the
	 * priors, fits), stage 1 300 ms: stage 2's 100 ms no longer fits, and
	 * exit 1 (85 %) meets the minimum of 80 %.
	 */
	r = run_job(800000, 400, (const unsigned int[]){ 20, 300, 10 }, &ran,
		    &w, t, &job);
	ok(!r && w.status == EDGEAI_JOB_DONE_EXIT && w.exit_index == 1,
	   "a late stage 1 ends the job at exit 1 (status %u, exit %u)",
	   w.status, w.exit_index);
	ok(ran == 3 && t[0].end_ns && t[1].end_ns && !t[2].start_ns,
	   "stages 0 and 1 ran, stage 2 was never queued (ran %#x)", ran);
	ok(stat_of("exits_taken") == taken + 1,
	   "stats/exits_taken counts it (%lld -> %lld)", taken,
	   stat_of("exits_taken"));
	ok(job_event(l, job, &ev) && ev.status == EDGEAI_JOB_DONE_EXIT &&
	   edgeai_event_has(&ev, EDGEAI_NL_A_EXIT) && ev.exit_index == 1,
	   "the JOB_DONE event names status done-exit and exit 1");
	ok(!strcmp(edgeai_status_name(EDGEAI_JOB_DONE_EXIT), "done-exit"),
	   "libedgeai names the status done-exit");

	/* The same with a minimum of 90 %: no exit meets it. */
	misses = stat_of("deadline_misses");
	r = run_job(900000, 400, (const unsigned int[]){ 20, 300, 100 }, &ran,
		    &w, t, &job);
	ok(!r && w.status == EDGEAI_JOB_DEADLINE_MISSED && w.exit_index == 0 &&
	   ran == 7,
	   "no exit meets the minimum: every stage runs, DEADLINE_MISSED (status %u, ran %#x)",
	   w.status, ran);
	ok(stat_of("exits_taken") == taken + 1 &&
	   stat_of("deadline_misses") == misses + 1,
	   "counted as a miss, not as an exit");
	ok(job_event(l, job, &ev) && ev.status == EDGEAI_JOB_DEADLINE_MISSED &&
	   !edgeai_event_has(&ev, EDGEAI_NL_A_EXIT),
	   "its JOB_DONE event carries no exit");

	/* Time to spare: every stage. */
	r = run_job(0, 10000, (const unsigned int[]){ 10, 10, 10 }, &ran,
		    &w, t, &job);
	ok(!r && w.status == EDGEAI_JOB_DONE && ran == 7 && t[2].end_ns,
	   "with time to spare an anytime job runs every stage (status %u)",
	   w.status);

	/*
	 * Stage 0 alone overruns the deadline: exit 1 cannot be reached in
	 * time, exit 0 (70 %) meets a minimum of 60 %: the job ends there,
	 * late.
	 */
	misses = stat_of("deadline_misses");
	r = run_job(600000, 400, (const unsigned int[]){ 450, 10, 10 }, &ran,
		    &w, t, &job);
	ok(!r && w.status == EDGEAI_JOB_DONE_EXIT && w.exit_index == 0 &&
	   ran == 1 && !t[1].start_ns,
	   "a stage 0 past the deadline ends the job at exit 0 (status %u, exit %u, ran %#x)",
	   w.status, w.exit_index, ran);
	ok(w.finish_ns > w.deadline_ns &&
	   stat_of("deadline_misses") == misses + 1 &&
	   stat_of("exits_taken") == taken + 2,
	   "late at the exit: counted as an exit and as a miss");

	/* Without EDGEAI_SUBMIT_ANYTIME the same job runs every stage. */
	{
		uint32_t graph = graph_new(), i;
		struct edgeai_job_submit s;

		submit_defaults(&s, graph, now_ns() + 400 * MS, 0);
		s.flags = 0;
		submit_raw(&s);
		for (ran = 0, i = 0; i < NR_STAGES; i++) {
			uint32_t st;

			if (exec_one(i ? 10 : 450, &st))
				break;
			ran |= 1u << st;
		}
		r = job_wait(s.job_id, &w, t);
		ok(!r && w.status == EDGEAI_JOB_DEADLINE_MISSED && ran == 7,
		   "a job without the flag runs every stage as before (status %u)",
		   w.status);
	}
	if (l) {
		long long sys = stat_of("exits_taken");

		ok(!edgeai_listener_get_stats(l, &ev) &&
		   edgeai_event_has(&ev, EDGEAI_NL_A_STAT_EXITS_TAKEN) &&
		   (long long)ev.stat_exits_taken == sys,
		   "GET_STATS reports exits_taken as sysfs does (%lld)", sys);
		edgeai_listener_close(l);
	}
}

#define TRACING "/sys/kernel/tracing/"

/* The edgeai_job_done tracepoint names the exit. */
static void test_tracepoint(void)
{
	struct edgeai_stage_times t[NR_STAGES];
	struct edgeai_job_wait w;
	char want[64], *text;
	uint32_t ran;
	uint64_t job;

	if (access(TRACING "trace", F_OK))
		mount("tracefs", TRACING, "tracefs", 0, NULL);
	if (write_file(TRACING "events/edgeai/edgeai_job_done/enable", "1")) {
		skip("no tracefs with edgeai's events");
		return;
	}
	write_file(TRACING "trace", "");
	run_job(800000, 400, (const unsigned int[]){ 20, 300, 10 }, &ran, &w,
		t, &job);
	write_file(TRACING "events/edgeai/edgeai_job_done/enable", "0");
	snprintf(want, sizeof(want), "job=%llu status=%u ",
		 (unsigned long long)job, EDGEAI_JOB_DONE_EXIT);
	text = read_text(TRACING "trace");
	ok(w.status == EDGEAI_JOB_DONE_EXIT && text && strstr(text, want) &&
	   strstr(strstr(text, want), " exit=1"),
	   "the edgeai_job_done tracepoint shows status %u and exit=1",
	   EDGEAI_JOB_DONE_EXIT);
	free(text);
}

/*
 * An anytime job that aims at an exit gives the governors and the queue
 * the deadline of its exit's stage, not one that keeps room for the
 * stages it will not run.  Seen in the order of a HIGH queue (earliest
 * deadline first): job A's stage 1 and job B's one stage, B's deadline
 * 50 ms before A's.  Aiming at exit 1, A's stage 1 must end by A's
 * deadline and B goes first; counting stage 2 (100 ms) it must end 100 ms
 * before and goes first itself, as a job without the flag does.
 */
static bool a_first(bool anytime)
{
	uint32_t ga = graph_new(), gb, stage;
	struct edgeai_graph_create g;
	struct edgeai_job_submit sa, sb;
	uint64_t t0 = now_ns();
	bool first;

	graph_defaults(&g);
	g.nr_stages = 1;
	stages[0].cost_ns = MS;
	g.exits = 0;
	g.nr_exits = 0;
	g.exit_size = 0;
	snprintf(g.name, sizeof(g.name), "other");
	if (xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g))
		exit(2);
	gb = g.graph_id;

	submit_defaults(&sa, ga, t0 + 400 * MS, 800000);
	sa.priority = EDGEAI_PRIO_HIGH;
	if (!anytime) {
		sa.flags = 0;
		sa.min_accuracy_ppm = 0;
	}
	submit_defaults(&sb, gb, t0 + 350 * MS, 0);
	sb.priority = EDGEAI_PRIO_HIGH;
	sb.flags = 0;
	if (submit_raw(&sa))
		exit(2);
	/* A's stage 0 runs 250 ms: the whole job no longer fits, exit 1 does. */
	{
		struct edgeai_exec_complete c = { .size = sizeof(c) };
		struct edgeai_exec_fetch f = { .size = sizeof(f) };
		int fds[NR_BUFS], i;

		f.buf_fds = (uintptr_t)fds;
		f.buf_fds_cap = NR_BUFS;
		if (xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f))
			exit(2);
		for (i = 0; i < NR_BUFS; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		if (submit_raw(&sb))
			exit(2);
		usleep(250 * 1000);
		c.task_id = f.task_id;
		xioctl(efd, EDGEAI_IOCTL_EXEC_COMPLETE, &c);
	}
	exec_one(0, &stage);
	first = !strcmp(last_fetch.graph_name, "anytime");
	drain();
	{
		struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = ga };

		xioctl(dev, EDGEAI_IOCTL_GRAPH_DESTROY, &d);
		d.graph_id = gb;
		xioctl(dev, EDGEAI_IOCTL_GRAPH_DESTROY, &d);
	}
	return first;
}

static void test_aim(void)
{
	ok(a_first(false),
	   "without the flag, stage 1 keeps room for stage 2 and runs before B");
	ok(!a_first(true),
	   "an anytime job aiming at exit 1 counts no stage after it: B runs first");
}

static void test_strict(void)
{
	uint32_t graph = graph_new();
	struct edgeai_job_submit s;
	uint64_t t0 = now_ns();
	long r;

	/* 300 ms of stages by the priors, 250 ms to go. */
	submit_defaults(&s, graph, t0 + 250 * MS, 800000);
	s.flags = EDGEAI_SUBMIT_STRICT;
	s.min_accuracy_ppm = 0;
	ok_errno(submit_raw(&s), -ETIME,
		 "strict admission refuses the whole job (300 ms in 250)");
	submit_defaults(&s, graph, t0 + 250 * MS, 800000);
	s.flags |= EDGEAI_SUBMIT_STRICT;
	r = submit_raw(&s);
	ok(!r && s.est_finish_ns && s.est_finish_ns <= s.deadline_ns &&
	   s.est_finish_ns >= t0 + 2 * PRIOR_NS,
	   "an anytime job that reaches exit 1 in time is admitted (finish in %lld ms)",
	   r ? -1LL : (long long)((s.est_finish_ns - t0) / MS));
	if (!r)
		cancel(s.job_id);
	submit_defaults(&s, graph, t0 + 250 * MS, 900000);
	s.flags |= EDGEAI_SUBMIT_STRICT;
	ok_errno(submit_raw(&s), -ETIME,
		 "refused when no exit meeting the minimum is in time");
	drain();
}

/* Cancel while the executor holds the stage that would end the job. */
static void test_cancel(void)
{
	uint32_t graph = graph_new(), stage;
	struct edgeai_stage_times t[NR_STAGES];
	struct edgeai_job_wait w;
	struct edgeai_job_cancel c = { .size = sizeof(c) };
	struct edgeai_exec_complete done = { .size = sizeof(done) };
	struct edgeai_exec_fetch f = { .size = sizeof(f) };
	long long taken = stat_of("exits_taken");
	int fds[NR_BUFS], i;
	uint64_t job;
	long r;

	job = submit(graph, now_ns() + 400 * MS, 800000);
	exec_one(20, &stage);
	f.buf_fds = (uintptr_t)fds;
	f.buf_fds_cap = NR_BUFS;
	xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f);
	for (i = 0; i < NR_BUFS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	c.job_id = job;
	ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_CANCEL, &c), 0,
		 "cancel while stage 1 runs");
	usleep(300 * 1000);
	done.task_id = f.task_id;
	xioctl(efd, EDGEAI_IOCTL_EXEC_COMPLETE, &done);
	r = job_wait(job, &w, t);
	ok(!r && w.status == EDGEAI_JOB_CANCELLED &&
	   w.exit_index == 0 && stat_of("exits_taken") == taken,
	   "the cancel wins over the exit (status %u)", w.status);

	/* After an exit, cancelling is too late. */
	job = submit(graph, now_ns() + 100 * MS, 600000);
	exec_one(150, &stage);
	usleep(50 * 1000);
	c.job_id = job;
	ok_errno(xioctl(dev, EDGEAI_IOCTL_JOB_CANCEL, &c), -EALREADY,
		 "cancel after the job ended at an exit: EALREADY");
	r = job_wait(job, &w, t);
	ok(!r && w.status == EDGEAI_JOB_DONE_EXIT,
	   "and it stays done at its exit (status %u)", w.status);
	drain();
}

struct racer {
	uint64_t job;
	unsigned int delay_us;
};

static void *cancel_later(void *arg)
{
	struct racer *r = arg;

	usleep(r->delay_us);
	cancel(r->job);
	return NULL;
}

/* Cancels at random moments against exits taken at random moments. */
static void test_cancel_race(void)
{
	long long taken = stat_of("exits_taken"), cancelled = stat_of("cancelled");
	unsigned int n_exit = 0, n_cancel = 0, n_other = 0, bad = 0, i;
	uint32_t graph = graph_new();
	struct rng rng;

	rng_seed(&rng, 21, 0, 0);
	for (i = 0; i < 40; i++) {
		struct edgeai_stage_times t[NR_STAGES];
		struct racer r = { .delay_us = rnd(&rng, 30000) };
		struct edgeai_job_wait w;
		pthread_t th;
		uint32_t stage;

		r.job = submit(graph, now_ns() + (20 + rnd(&rng, 40)) * MS,
			       rnd(&rng, 2) ? 600000 : 800000);
		pthread_create(&th, NULL, cancel_later, &r);
		while (!exec_one(rnd(&rng, 25), &stage))
			;
		pthread_join(th, NULL);
		while (!exec_one(0, &stage))
			;
		if (job_wait(r.job, &w, t)) {
			bad++;
			continue;
		}
		switch (w.status) {
		case EDGEAI_JOB_DONE_EXIT:
			n_exit++;
			/* The stage after the exit never started. */
			if (w.exit_index > 1 ||
			    t[exits[w.exit_index].after_stage + 1].start_ns)
				bad++;
			break;
		case EDGEAI_JOB_CANCELLED:
			n_cancel++;
			break;
		case EDGEAI_JOB_DONE:
		case EDGEAI_JOB_DEADLINE_MISSED:
			n_other++;
			break;
		default:
			bad++;
		}
	}
	diag("%u at an exit, %u cancelled, %u ran to the end", n_exit,
	     n_cancel, n_other);
	ok(!bad && stat_of("exits_taken") == taken + n_exit &&
	   stat_of("cancelled") == cancelled + n_cancel,
	   "40 jobs racing cancels: each ends once, the counters agree");
}

int main(void)
{
	struct edgeai_exec_attach a = { .size = sizeof(a), .cluster_id = CL };
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = dev_open();
	efd = dev_open();
	if (xioctl(efd, EDGEAI_IOCTL_EXEC_ATTACH, &a)) {
		perror("attach");
		return 2;
	}
	{
		int fl = 1;

		ioctl(efd, FIONBIO, &fl);
	}
	for (i = 0; i < NR_BUFS; i++) {
		bufs[i] = edgeai_buffer_create("exits", 64);
		if (bufs[i] < 0)
			return 2;
	}
	test_graph_errors();
	test_submit_errors();
	test_anytime();
	test_tracepoint();
	test_aim();
	test_strict();
	test_cancel();
	test_cancel_race();
	return tap_done();
}
