// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage alternatives (issue 17, proposal 7 of docs/planner.md), in the VM:
 *  - GRAPH_CREATE's alternatives table: every rule of struct
 *    edgeai_stage_alt and of its pointer, count and element size, each
 *    error code; callers that know the smaller structs of before;
 *    EFAULT on an unreadable table and on an unreadable speed array;
 *  - placement: a ready stage goes where it would end soonest (its own
 *    cluster when it is idle or on a tie, an alternative when its own is
 *    busy or the alternative is quicker), the executor of that cluster
 *    fetches it with the alternative's estimate and planner's frequency,
 *    JOB_WAIT's stage times name that cluster; an alternative without an
 *    executor is no place to go; a later stage is placed when the earlier
 *    one completes; what a stage learns on an alternative stays there;
 *  - an alternative's declared cost capped without CAP_SYS_NICE;
 *  - a stage on an alternative whose executor goes away is queued there
 *    again; cancel of a moved stage, queued and running; the graph
 *    destroyed and the file closed with moved stages queued and running;
 *  - nothing leaks: live counters back to where they were, a clean
 *    kernel log (the VM harness checks rmmod after the test).
 *
 * The test is the executor of every virtual cluster: it decides which
 * clusters have an executor and how long each stage runs.  Loaded with
 * tests/vm/alts_test.modparams: clusters a, b (two steps), c, d, e.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/abi.h"
#include "../lib/alts.h"
#include "../lib/child.h"
#include "../lib/exec.h"
#include "../lib/leaks.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define NR_BUFS		2
#define COST_NS		(50 * MS)	/* the stage's prior, on A and on B */
#define HOG_NS		(100000 * MS)	/* a stage that keeps A busy */
#define PLAN_A_KHZ	1000000
#define PLAN_B_KHZ	500000

static int dev, bufs[NR_BUFS];

static struct edgeai_stage stage;
static struct edgeai_stage_alt alts[EDGEAI_MAX_STAGE_ALTS + 1];

/* ---------------------------------------------------------------- helpers */

/* One stage on A reading buffer 0 and writing buffer 1, its alternative B. */
static void graph_defaults(struct edgeai_graph_create *g)
{
	stage = (struct edgeai_stage){ .cluster_id = CL_A, .nr_layers = 1,
		.cost_ns = COST_NS, .in_mask = 1, .out_mask = 2,
		.freq_khz = PLAN_A_KHZ };
	memset(alts, 0, sizeof(alts));
	alts[0] = (struct edgeai_stage_alt){ .stage = 0, .cluster_id = CL_B,
		.cost_ns = COST_NS, .freq_khz = PLAN_B_KHZ };
	*g = (struct edgeai_graph_create){ .size = sizeof(*g), .model_fd = -1,
		.nr_stages = 1, .stages = (uintptr_t)&stage,
		.stage_size = sizeof(stage), .nr_buffers = NR_BUFS,
		.alts = (uintptr_t)alts, .nr_alts = 1,
		.alt_size = sizeof(alts[0]) };
	snprintf(g->name, sizeof(g->name), "alts");
}

static long graph_destroy(int fd, uint32_t id)
{
	struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = id };

	return xioctl(fd, EDGEAI_IOCTL_GRAPH_DESTROY, &d);
}

static long graph_try(struct edgeai_graph_create *g)
{
	long r = xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, g);

	if (!r)
		graph_destroy(dev, g->graph_id);
	return r;
}

static uint32_t graph_make(int fd, struct edgeai_graph_create *g)
{
	if (xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, g)) {
		perror("graph");
		exit(2);
	}
	return g->graph_id;
}

/* A one-stage graph on A, B its alternative at @b_cost_ns (0: none). */
static uint32_t graph_ab(int fd, uint64_t a_cost_ns, uint64_t b_cost_ns)
{
	struct edgeai_graph_create g;

	graph_defaults(&g);
	stage.cost_ns = a_cost_ns;
	alts[0].cost_ns = b_cost_ns;
	if (!b_cost_ns) {
		g.alts = 0;
		g.nr_alts = 0;
		g.alt_size = 0;
	}
	return graph_make(fd, &g);
}

#define GRAPH_EXPECT(want, what, ...)					\
	CMD_EXPECT(struct edgeai_graph_create, g, graph_defaults(&g),	\
		   graph_try, want, "GRAPH_CREATE " what, __VA_ARGS__)

static long submit(int fd, uint32_t graph, uint64_t *job)
{
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = graph,
		.priority = EDGEAI_PRIO_NORMAL, .nr_buffers = NR_BUFS,
		.buf_fds = (uintptr_t)bufs };
	long r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);

	if (!r)
		*job = s.job_id;
	return r;
}

static uint64_t submit_ok(int fd, uint32_t graph)
{
	uint64_t id = 0;

	if (submit(fd, graph, &id)) {
		perror("submit");
		exit(2);
	}
	return id;
}

/* JOB_WAIT for @id, up to 20 s, with its stage times in @t (@n of them). */
static long job_wait(int fd, uint64_t id, struct edgeai_job_wait *w,
		     struct edgeai_stage_times *t, uint32_t n)
{
	*w = (struct edgeai_job_wait){ .size = sizeof(*w), .job_id = id,
		.flags = EDGEAI_WAIT_TIMEOUT,
		.timeout_ns = now_ns() + 20000 * MS,
		.stage_times = (uintptr_t)t, .stage_times_cap = n,
		.stage_times_size = sizeof(*t) };
	return xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, w);
}

/* Which cluster's executor can fetch a stage now: its index, or -1. */
static int fetch_any(struct edgeai_exec_fetch *f)
{
	int i;

	for (i = 0; i < NR_CL; i++)
		if (ex[i] >= 0 && !exec_fetch_close(ex[i], f))
			return i;
	return -1;
}

/* ------------------------------------------------------------ the table */

static void test_graph_errors(void)
{
	struct edgeai_info info = { .size = sizeof(info) };
	unsigned char big[sizeof(struct edgeai_stage_alt) + 16];
	uint32_t speed[B_STEPS] = { 512, 1024 }, i;
	void *unmapped;

	ok(!xioctl(dev, EDGEAI_IOCTL_GET_INFO, &info) &&
	   (info.features & EDGEAI_FEAT_STAGE_ALTS),
	   "GET_INFO reports EDGEAI_FEAT_STAGE_ALTS");
	if (access("/tests/edgeaictl", X_OK))
		skip("no edgeaictl in the VM");
	else
		ok(ctl_prints("status", "stage-alts"),
		   "edgeaictl status names the feature \"stage-alts\"");
	ok(info.nr_clusters == NR_CL, "%u clusters, as the modparams say",
	   info.nr_clusters);

	GRAPH_EXPECT(0, "with an alternative: accepted");
	GRAPH_EXPECT(0, "as a binary without alternatives sees it (smaller size)",
		     g.size = GRAPH_V2_SIZE);
	GRAPH_EXPECT(0, "as a binary without exits sees it (smaller size)",
		     g.size = GRAPH_V1_SIZE);
	GRAPH_EXPECT(0, "without alternatives, full size", g.alts = 0;
		     g.nr_alts = 0; g.alt_size = 0);
	GRAPH_EXPECT(0, "EDGEAI_MAX_STAGE_ALTS alternatives of one stage: accepted",
		     for (i = 0; i < EDGEAI_MAX_STAGE_ALTS; i++)
			alts[i] = (struct edgeai_stage_alt){ .cluster_id = CL_B + i,
				.cost_ns = COST_NS };
		     stage.cluster_id = CL_A; g.nr_alts = EDGEAI_MAX_STAGE_ALTS);
	GRAPH_EXPECT(0, "an alternative with its own speeds: accepted",
		     alts[0].speed = (uintptr_t)speed;
		     alts[0].nr_steps = B_STEPS);
	GRAPH_EXPECT(0, "an alternative of cost 1000 s: accepted",
		     alts[0].cost_ns = 1000000 * MS);

	/* The pointer, count and element size. */
	GRAPH_EXPECT(-EINVAL, "alternatives without a count: EINVAL",
		     g.nr_alts = 0);
	GRAPH_EXPECT(-EINVAL, "a count without alternatives: EINVAL",
		     g.alts = 0);
	GRAPH_EXPECT(-EINVAL, "alt_size without alternatives: EINVAL",
		     g.alts = 0; g.nr_alts = 0);
	GRAPH_EXPECT(-EINVAL, "alternatives with alt_size 0: EINVAL",
		     g.alt_size = 0);
	GRAPH_EXPECT(-EINVAL, "alt_size below the first version: EINVAL",
		     g.alt_size = offsetof(struct edgeai_stage_alt, __reserved));
	GRAPH_EXPECT(-EINVAL, "alt_size above a page: EINVAL",
		     g.alt_size = 1 << 20);
	GRAPH_EXPECT(0, "larger alt_size, zero tail: accepted",
		     g.alts = table_widen(big, alts, 1, sizeof(alts[0]), sizeof(big));
		     g.alt_size = sizeof(big));
	GRAPH_EXPECT(-E2BIG, "larger alt_size, non-zero tail: E2BIG",
		     g.alts = table_widen(big, alts, 1, sizeof(alts[0]), sizeof(big));
		     big[sizeof(big) - 1] = 1;
		     g.alt_size = sizeof(big));

	/* Each alternative. */
	GRAPH_EXPECT(-EINVAL, "alternative of a stage past the last: EINVAL",
		     alts[0].stage = 1);
	GRAPH_EXPECT(-EINVAL, "alternative of stage 2^32-1: EINVAL",
		     alts[0].stage = UINT32_MAX);
	GRAPH_EXPECT(-EINVAL, "alternative on a cluster that does not exist: EINVAL",
		     alts[0].cluster_id = NR_CL);
	GRAPH_EXPECT(-EINVAL, "alternative on cluster 2^32-1: EINVAL",
		     alts[0].cluster_id = UINT32_MAX);
	GRAPH_EXPECT(-EINVAL, "alternative on the stage's own cluster: EINVAL",
		     alts[0].cluster_id = CL_A);
	GRAPH_EXPECT(-EINVAL, "two alternatives on one cluster: EINVAL",
		     alts[1] = alts[0]; g.nr_alts = 2);
	GRAPH_EXPECT(-E2BIG, "more than EDGEAI_MAX_STAGE_ALTS for one stage: E2BIG",
		     stage.cluster_id = CL_A;
		     for (i = 0; i <= EDGEAI_MAX_STAGE_ALTS; i++)
			alts[i] = (struct edgeai_stage_alt){
				.cluster_id = CL_B + i % (NR_CL - 1),
				.cost_ns = COST_NS };
		     g.nr_alts = EDGEAI_MAX_STAGE_ALTS + 1);
	GRAPH_EXPECT(-E2BIG, "a count past EDGEAI_MAX_STAGE_ALTS per stage: E2BIG",
		     g.nr_alts = 1000000);
	GRAPH_EXPECT(-EINVAL, "alternative flags: EINVAL", alts[0].flags = 1);
	GRAPH_EXPECT(-EINVAL, "alternative reserved: EINVAL",
		     alts[0].__reserved = 1);
	GRAPH_EXPECT(-EINVAL, "alternative cost above 1000 s: EINVAL",
		     alts[0].cost_ns = 1000000 * MS + 1);
	GRAPH_EXPECT(-EINVAL, "alternative speeds of the wrong length: EINVAL",
		     alts[0].speed = (uintptr_t)speed; alts[0].nr_steps = 1);
	GRAPH_EXPECT(-EINVAL, "alternative step count without speeds: EINVAL",
		     alts[0].nr_steps = B_STEPS);
	GRAPH_EXPECT(-EINVAL, "alternative speeds without a step count: EINVAL",
		     alts[0].speed = (uintptr_t)speed);
	GRAPH_EXPECT(-EINVAL, "alternative speed above 1024: EINVAL",
		     speed[0] = 1025; alts[0].speed = (uintptr_t)speed;
		     alts[0].nr_steps = B_STEPS);
	speed[0] = 512;
	GRAPH_EXPECT(-EINVAL, "an error in the second alternative: EINVAL",
		     alts[1] = (struct edgeai_stage_alt){ .cluster_id = CL_C,
			.flags = 2 };
		     g.nr_alts = 2);

	GRAPH_EXPECT(-EFAULT, "alternatives at a bad pointer: EFAULT",
		     g.alts = 16);
	unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	GRAPH_EXPECT(-EFAULT, "alternatives on an unreadable page: EFAULT",
		     g.alts = (uintptr_t)unmapped);
	GRAPH_EXPECT(-EFAULT, "an alternative's speeds on an unreadable page: EFAULT",
		     alts[0].speed = (uintptr_t)unmapped;
		     alts[0].nr_steps = B_STEPS);
	GRAPH_EXPECT(-EFAULT, "a later alternative's speeds unreadable, the first's fine: EFAULT",
		     alts[0].speed = (uintptr_t)speed;
		     alts[0].nr_steps = B_STEPS;
		     alts[1] = (struct edgeai_stage_alt){ .cluster_id = CL_C,
			.speed = (uintptr_t)unmapped, .nr_steps = 1 };
		     g.nr_alts = 2);
	munmap(unmapped, 4096);

	/* Two stages: each its own alternatives, in any order in the table. */
	{
		struct edgeai_stage two[2];
		struct edgeai_graph_create g;

		graph_defaults(&g);
		two[0] = stage;
		two[1] = stage;
		two[1].cluster_id = CL_B;
		two[1].in_mask = 2;
		two[1].out_mask = 1;
		alts[0] = (struct edgeai_stage_alt){ .stage = 1,
			.cluster_id = CL_A, .cost_ns = COST_NS };
		alts[1] = (struct edgeai_stage_alt){ .stage = 0,
			.cluster_id = CL_B, .cost_ns = COST_NS };
		alts[2] = (struct edgeai_stage_alt){ .stage = 1,
			.cluster_id = CL_C, .cost_ns = COST_NS };
		g.stages = (uintptr_t)two;
		g.nr_stages = 2;
		g.nr_alts = 3;
		ok_errno(graph_try(&g), 0,
			 "GRAPH_CREATE two stages, alternatives interleaved: accepted");
		alts[2].cluster_id = CL_B;
		ok_errno(graph_try(&g), -EINVAL,
			 "GRAPH_CREATE a second stage's alternative on its own cluster: EINVAL");
	}
	ok(live_settle("live_graphs", 0) == 0,
	   "no graph is left of the refused and destroyed ones");
}

/* ------------------------------------------------------------ placement */

/* A cluster's queued stages, from sysfs. */
static long long queued_on(const char *cl)
{
	char path[128];

	snprintf(path, sizeof(path), SYS_CLUSTERS "%s/queued", cl);
	return sysfs_num(path);
}

/*
 * A job of a one-stage graph whose own cluster is A and alternative B:
 * which executor fetches it (its cluster, -1 for none), what the fetch
 * said in *@f, and where JOB_WAIT says it ran in *@t.  Completed at once.
 */
static int place_one(uint32_t graph, struct edgeai_exec_fetch *f,
		     struct edgeai_stage_times *t)
{
	struct edgeai_job_wait w;
	uint64_t id = submit_ok(dev, graph);
	int where = fetch_any(f);

	if (where < 0) {
		job_cancel(dev, id);
		job_wait(dev, id, &w, t, 1);
		return -1;
	}
	exec_complete(ex[where], f->task_id);
	if (job_wait(dev, id, &w, t, 1) || w.status != EDGEAI_JOB_DONE)
		return -2;
	return where;
}

/* A's executor holds a long stage of a graph of its own. */
static uint64_t hog_job, hog_task;

static void hog_a(uint32_t hog)
{
	struct edgeai_exec_fetch f;

	hog_job = submit_ok(dev, hog);
	if (exec_fetch_close(ex[CL_A], &f)) {
		perror("hog fetch");
		exit(2);
	}
	hog_task = f.task_id;
}

static void hog_release(void)
{
	struct edgeai_stage_times t;
	struct edgeai_job_wait w;

	exec_complete(ex[CL_A], hog_task);
	job_wait(dev, hog_job, &w, &t, 1);
}

static void test_place(uint32_t hog)
{
	uint32_t g = graph_ab(dev, COST_NS, COST_NS);
	uint32_t learn = graph_ab(dev, COST_NS, COST_NS);
	uint32_t quick = graph_ab(dev, COST_NS, COST_NS / 2);
	uint32_t slow = graph_ab(dev, COST_NS, 2 * COST_NS);
	struct edgeai_stage_times t;
	struct edgeai_exec_fetch f;
	struct edgeai_job_wait w;
	uint64_t id;
	int where;
	long r;

	exec_set(CL_A, true);
	exec_set(CL_B, true);

	where = place_one(g, &f, &t);
	ok(where == CL_A && t.cluster_id == CL_A,
	   "both idle, the same estimate: a tie stays on the stage's own cluster (fetched on %d, ran on %u)",
	   where, t.cluster_id);
	ok(f.plan_freq_khz == PLAN_A_KHZ && f.cost_ns == COST_NS,
	   "there it gets its own planner's frequency and estimate (%u kHz, %llu ns)",
	   f.plan_freq_khz, (unsigned long long)f.cost_ns);
	where = place_one(slow, &f, &t);
	ok(where == CL_A && t.cluster_id == CL_A,
	   "both idle, slower on the alternative: stays on its own cluster (%d, %u)",
	   where, t.cluster_id);
	where = place_one(quick, &f, &t);
	ok(where == CL_B && t.cluster_id == CL_B,
	   "both idle, quicker on the alternative: goes there (%d, %u)",
	   where, t.cluster_id);
	exec_set(CL_A, false);
	where = place_one(slow, &f, &t);
	ok(where == CL_B && t.cluster_id == CL_B,
	   "no executor on its own cluster: the alternative runs it, slower or not (%d, %u)",
	   where, t.cluster_id);
	exec_set(CL_A, true);

	hog_a(hog);
	where = place_one(g, &f, &t);
	ok(where == CL_B && t.cluster_id == CL_B,
	   "its own cluster busy with a long stage: it runs on the alternative (fetched on %d, ran on %u)",
	   where, t.cluster_id);
	ok(f.plan_freq_khz == PLAN_B_KHZ && f.cost_ns == COST_NS,
	   "the alternative's executor gets the alternative's planner's frequency and estimate (%u kHz, %llu ns)",
	   f.plan_freq_khz, (unsigned long long)f.cost_ns);

	/* A run of 300 ms on B: what B learns of the stage. */
	id = submit_ok(dev, learn);
	where = fetch_any(&f);
	usleep(300000);
	if (where >= 0)
		exec_complete(ex[where], f.task_id);
	job_wait(dev, id, &w, &t, 1);
	ok(where == CL_B, "a fresh graph's stage runs 300 ms on the alternative (%d)",
	   where);
	where = place_one(learn, &f, &t);
	ok(where == CL_B && f.cost_ns > COST_NS,
	   "its next run there has the cost learnt there: %llu ns > %llu (on %d)",
	   (unsigned long long)f.cost_ns, (unsigned long long)COST_NS, where);

	exec_set(CL_B, false);
	id = submit_ok(dev, g);
	ok(queued_on("a") == 1 && queued_on("b") == 0,
	   "its own cluster busy, no executor on the alternative: it waits on its own (queued on a %lld, b %lld)",
	   queued_on("a"), queued_on("b"));
	exec_set(CL_B, true);
	ok(exec_fetch_close(ex[CL_B], &f) == -EAGAIN,
	   "an executor on the alternative later: the stage stays where it was queued");
	hog_release();
	where = fetch_any(&f);
	ok(where == CL_A, "its own cluster's executor runs it once free (%d)",
	   where);
	if (where >= 0)
		exec_complete(ex[where], f.task_id);
	r = job_wait(dev, id, &w, &t, 1);
	ok(!r && w.status == EDGEAI_JOB_DONE &&
	   t.cluster_id == CL_A, "it ran on its own cluster (%u)", t.cluster_id);

	where = place_one(learn, &f, &t);
	ok(where == CL_A && f.cost_ns == COST_NS,
	   "both idle: the stage that learnt 300 ms on the alternative runs on its own cluster, with its prior there untouched (%d, %llu ns)",
	   where, (unsigned long long)f.cost_ns);

	graph_destroy(dev, g);
	graph_destroy(dev, learn);
	graph_destroy(dev, quick);
	graph_destroy(dev, slow);
}

/* JOB_SUBMIT with strict admission, due @due_ns from now. */
static long submit_strict(uint32_t graph, uint64_t due_ns, uint64_t *job,
			  uint64_t *finish)
{
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = graph,
		.flags = EDGEAI_SUBMIT_STRICT, .priority = EDGEAI_PRIO_NORMAL,
		.deadline_ns = now_ns() + due_ns, .nr_buffers = NR_BUFS,
		.buf_fds = (uintptr_t)bufs };
	long r = xioctl(dev, EDGEAI_IOCTL_JOB_SUBMIT, &s);

	*job = r ? 0 : s.job_id;
	*finish = s.est_finish_ns;
	return r;
}

/*
 * A first stage is placed at submission, before strict admission, which
 * counts it where it goes: its own cluster busy, an idle alternative
 * admits a job its own cluster could not.
 */
static void test_strict(uint32_t hog)
{
	uint32_t g = graph_ab(dev, COST_NS, COST_NS);
	uint32_t own = graph_ab(dev, COST_NS, 0);
	struct edgeai_stage_times t;
	struct edgeai_exec_fetch f;
	struct edgeai_job_wait w;
	uint64_t id, fin, before = now_ns();
	int where = -1;
	long r;

	exec_set(CL_A, true);
	exec_set(CL_B, true);
	hog_a(hog);
	r = submit_strict(own, 4 * COST_NS, &id, &fin);
	ok_errno(r, -ETIME,
		 "strict, its own cluster busy and no alternative: refused");
	r = submit_strict(g, 4 * COST_NS, &id, &fin);
	ok(!r && fin > before && fin < before + 4 * COST_NS,
	   "strict, its own cluster busy, an idle alternative: admitted, expected to end in time (%ld, %lld ms after the submission)",
	   r, (long long)(fin - before) / (long long)MS);
	if (!r) {
		where = fetch_any(&f);
		if (where >= 0)
			exec_complete(ex[where], f.task_id);
		r = job_wait(dev, id, &w, &t, 1);
	}
	ok(where == CL_B && !r && w.status == EDGEAI_JOB_DONE && t.cluster_id == CL_B,
	   "... and it runs where admission counted it, on the alternative (fetched on %d, ran on %u)",
	   where, t.cluster_id);
	hog_release();
	graph_destroy(dev, g);
	graph_destroy(dev, own);
}

/* A later stage is placed when the one before it completes. */
static void test_place_later_stage(uint32_t hog)
{
	struct edgeai_stage two[2];
	struct edgeai_graph_create g;
	struct edgeai_stage_times t[2];
	struct edgeai_exec_fetch f;
	struct edgeai_job_wait w;
	uint32_t graph;
	uint64_t id;
	long r;

	graph_defaults(&g);
	two[0] = (struct edgeai_stage){ .cluster_id = CL_B, .nr_layers = 1,
		.cost_ns = COST_NS, .in_mask = 1, .out_mask = 2 };
	two[1] = (struct edgeai_stage){ .cluster_id = CL_A, .first_layer = 1,
		.nr_layers = 1, .cost_ns = COST_NS, .in_mask = 2, .out_mask = 1 };
	alts[0] = (struct edgeai_stage_alt){ .stage = 1, .cluster_id = CL_B,
		.cost_ns = COST_NS, .freq_khz = PLAN_B_KHZ };
	g.stages = (uintptr_t)two;
	g.nr_stages = 2;
	graph = graph_make(dev, &g);

	hog_a(hog);
	id = submit_ok(dev, graph);
	r = exec_fetch_close(ex[CL_B], &f);
	ok(!r && f.stage == 0,
	   "two stages: the first runs on its cluster B");
	exec_complete(ex[CL_B], f.task_id);
	r = exec_fetch_close(ex[CL_B], &f);
	ok(!r && f.stage == 1 &&
	   f.plan_freq_khz == PLAN_B_KHZ && f.first_layer == 1,
	   "the second, its own cluster A busy, goes to its alternative B when the first completes (stage %u, layer %u, %u kHz)",
	   f.stage, f.first_layer, f.plan_freq_khz);
	exec_complete(ex[CL_B], f.task_id);
	r = job_wait(dev, id, &w, t, 2);
	ok(!r && w.status == EDGEAI_JOB_DONE &&
	   t[0].cluster_id == CL_B && t[1].cluster_id == CL_B,
	   "JOB_WAIT: done, both stages ran on B (%u, %u)", t[0].cluster_id,
	   t[1].cluster_id);
	hog_release();
	graph_destroy(dev, graph);
}

/* ------------------------------------------------------- loss and ends */

/* A moved stage whose executor goes away is queued on the same cluster. */
static void test_requeue(uint32_t g, uint32_t hog)
{
	struct edgeai_stage_times t;
	struct edgeai_exec_fetch f;
	struct edgeai_job_wait w;
	uint64_t id;
	long r;

	hog_a(hog);
	id = submit_ok(dev, g);
	ok(!exec_fetch_close(ex[CL_B], &f), "a moved stage is fetched on B");
	exec_set(CL_B, false);
	hog_release();
	ok(exec_fetch_close(ex[CL_A], &f) == -EAGAIN && queued_on("b") == 1,
	   "B's executor gone: the stage is queued on B again, not on its own idle cluster A");
	exec_set(CL_B, true);
	r = exec_fetch_close(ex[CL_B], &f);
	ok(!r && f.plan_freq_khz == PLAN_B_KHZ,
	   "B's next executor runs it");
	exec_complete(ex[CL_B], f.task_id);
	r = job_wait(dev, id, &w, &t, 1);
	ok(!r && w.status == EDGEAI_JOB_DONE &&
	   t.cluster_id == CL_B && t.attempts == 2 && w.retries == 1,
	   "done on B at its second attempt (cluster %u, attempts %u, retries %u)",
	   t.cluster_id, t.attempts, w.retries);
}

/* Cancel a moved stage while queued, and while running. */
static void test_cancel(uint32_t g, uint32_t hog)
{
	struct edgeai_stage_times t;
	struct edgeai_exec_fetch f;
	struct edgeai_job_wait w;
	uint64_t running, queued;
	long r;

	hog_a(hog);
	running = submit_ok(dev, g);
	queued = submit_ok(dev, g);
	ok(queued_on("b") == 2, "two moved stages queued on B (%lld)",
	   queued_on("b"));
	ok(!exec_fetch_close(ex[CL_B], &f), "the first runs on B");
	ok_errno(job_cancel(dev, queued), 0, "cancel of the one queued on B");
	r = job_wait(dev, queued, &w, &t, 1);
	ok(!r &&
	   w.status == EDGEAI_JOB_CANCELLED && t.cluster_id == CL_B &&
	   !t.attempts, "it ends cancelled, never run (queued on %u, attempts %u)",
	   t.cluster_id, t.attempts);
	ok_errno(job_cancel(dev, running), 0, "cancel of the one running on B");
	ok_errno(exec_complete(ex[CL_B], f.task_id), 0,
		 "B's executor completes it");
	r = job_wait(dev, running, &w, &t, 1);
	ok(!r &&
	   w.status == EDGEAI_JOB_CANCELLED,
	   "it ends cancelled (%u)", w.status);
	ok(queued_on("a") == 0 && queued_on("b") == 0,
	   "nothing of them is left queued on A or B");
	hog_release();
}

/*
 * Another file's graph with moved stages queued and running on B: the
 * graph destroyed, then the file closed.
 */
static void test_close(uint32_t hog)
{
	long long jobs = stat_of("live_jobs"), graphs = stat_of("live_graphs");
	long long ctx = stat_of("live_ctx");
	struct edgeai_exec_fetch f;
	int fd = dev_open(), i;
	uint32_t g;
	long r;

	g = graph_ab(fd, COST_NS, COST_NS);
	hog_a(hog);
	for (i = 0; i < 3; i++)
		submit_ok(fd, g);
	r = exec_fetch_close(ex[CL_B], &f);
	ok(!r && queued_on("b") == 2,
	   "another file's moved stages: one runs on B, two are queued there");
	ok_errno(graph_destroy(fd, g), 0,
		 "its graph destroyed with moved stages queued and running");
	close(fd);
	ok(queued_on("b") == 0,
	   "its file closed: the stages queued on B are gone (%lld)",
	   queued_on("b"));
	ok_errno(exec_complete(ex[CL_B], f.task_id), 0,
		 "B's executor completes the stage it held");
	hog_release();
	ok(live_settle("live_jobs", jobs) == jobs &&
	   live_settle("live_graphs", graphs) == graphs &&
	   live_settle("live_ctx", ctx) == ctx,
	   "its jobs, graph and file are freed (live_jobs %lld, live_graphs %lld, live_ctx %lld)",
	   stat_of("live_jobs"), stat_of("live_graphs"), stat_of("live_ctx"));
}

/* The cost B's executor is told for a job of @graph, which only B can run. */
static uint64_t cost_on_b(uint32_t graph)
{
	struct edgeai_stage_times t;
	struct edgeai_exec_fetch f;
	struct edgeai_job_wait w;
	uint64_t id = submit_ok(dev, graph), cost = 0;

	if (!exec_fetch_close(ex[CL_B], &f)) {
		cost = f.cost_ns;
		exec_complete(ex[CL_B], f.task_id);
	}
	job_wait(dev, id, &w, &t, 1);
	return cost;
}

/* As nobody, a graph declaring HOG_NS on B: its id in @out, or nothing. */
static void nobody_hog_graph(void *arg, void *out)
{
	struct edgeai_graph_create g;

	(void)arg;
	graph_defaults(&g);
	alts[0].cost_ns = HOG_NS;
	child_drop_to_nobody();
	if (xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g))
		_exit(1);
	memcpy(out, &g.graph_id, sizeof(g.graph_id));
}

/*
 * An alternative's declared cost is capped without CAP_SYS_NICE, as a
 * stage's: a graph made by a child that dropped it (nobody), and one by
 * root, both declaring HOG_NS on B.
 */
static void test_cap(void)
{
	long long cap_us = sysfs_num("/sys/module/edgeai/parameters/unprivileged_cost_max_us");
	uint32_t mine, theirs = UINT32_MAX;

	exec_set(CL_A, false);
	exec_set(CL_B, true);
	child_report(nobody_hog_graph, NULL, &theirs, sizeof(theirs));
	ok(theirs != UINT32_MAX, "a user without CAP_SYS_NICE makes a graph with an alternative");
	if (theirs != UINT32_MAX)
		ok(cost_on_b(theirs) == (uint64_t)cap_us * 1000,
		   "its alternative's declared %llu ns is capped at unprivileged_cost_max_us (%lld us)",
		   (unsigned long long)HOG_NS, cap_us);
	mine = graph_ab(dev, COST_NS, HOG_NS);
	ok(cost_on_b(mine) == HOG_NS,
	   "root's is not capped (%llu ns)", (unsigned long long)HOG_NS);
	graph_destroy(dev, mine);
	if (theirs != UINT32_MAX)
		graph_destroy(dev, theirs);
	exec_set(CL_A, true);
}

int main(void)
{
	int kmsg = kmsg_open(), i;
	uint32_t g, hog;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = dev_open();
	for (i = 0; i < NR_BUFS; i++) {
		bufs[i] = edgeai_buffer_create("alts", 64);
		if (bufs[i] < 0)
			return 2;
	}
	test_graph_errors();
	hog = graph_ab(dev, HOG_NS, 0);
	test_place(hog);
	test_place_later_stage(hog);
	test_strict(hog);
	g = graph_ab(dev, COST_NS, COST_NS);
	test_requeue(g, hog);
	test_cancel(g, hog);
	test_close(hog);
	test_cap();
	graph_destroy(dev, g);
	graph_destroy(dev, hog);
	for (i = 0; i < NR_CL; i++)
		exec_set(i, false);
	close(dev);
	for (i = 0; i < NR_BUFS; i++)
		close(bufs[i]);
	live_all_freed();
	kmsg_check(kmsg);
	return tap_done();
}
