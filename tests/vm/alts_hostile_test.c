// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile tests of stage alternatives (issue 17, proposal 7), as an outside
 * tester would write them, in the VM; what alts_test.c does not try:
 *  - the table at its bounds: max_stages stages each with four
 *    alternatives, speeds on every one, run end to end; a bad entry (an
 *    unreadable speed array, an unknown or repeated cluster, a bad speed)
 *    at the very end of that table, repeated: no graph, no per-file or
 *    per-user count left behind; alt_size beyond the struct with a zero
 *    tail (accepted) and a non-zero one (-E2BIG), a table running into
 *    an unmapped page (-EFAULT);
 *  - the executor protocol around a moved stage: completion by another
 *    cluster's executor or by a file that is none, the queue a moved stage
 *    waits on when its executor goes away (cancellable, run by the next
 *    executor that attaches there);
 *  - session jobs stay on their own clusters; an anytime job's exit
 *    decision counts its next stage where it will run;
 *  - races, looped: JOB_CANCEL against the placement of a later stage,
 *    GRAPH_DESTROY against it; a storm of threads submitting, cancelling,
 *    destroying and closing while executors attach to and detach from
 *    the alternatives' clusters: every job waited for ends done or
 *    cancelled, none is lost;
 *  - accounting: every cluster's queued and running stages and wait_ns
 *    back to 0, live counters back, a clean kernel log.
 *
 * The test is the executor of every virtual cluster.  Loaded with
 * tests/vm/alts_hostile_test.modparams: clusters a, b (two steps), c, d,
 * e.
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
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/abi.h"
#include "../lib/alts.h"
#include "../lib/child.h"
#include "../lib/exec.h"
#include "../lib/leaks.h"
#include "../lib/memfd.h"
#include "../lib/sysfs.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define NR_BUFS		3
#define COST_NS		MS
#define HOG_NS		(100000 * MS)	/* a stage that keeps a cluster busy */
#define PAGE		4096

static const char *const cl_name[NR_CL] = { "a", "b", "c", "d", "e" };
static int dev, bufs[NR_BUFS];
static struct edgeai_info info;

/* ---------------------------------------------------------------- helpers */

static long long cl_num(int cl, const char *what)
{
	char path[128];

	snprintf(path, sizeof(path), SYS_CLUSTERS "%s/%s", cl_name[cl], what);
	return sysfs_num(path);
}

/* Every cluster's queued and running stages: their sum. */
static long long all_busy(void)
{
	long long n = 0;
	int i;

	for (i = 0; i < NR_CL; i++)
		n += cl_num(i, "queued") + cl_num(i, "running");
	return n;
}

/* Whether every cluster's wait_ns reads 0 for every class. */
static bool all_wait_zero(void)
{
	char path[128], buf[128];
	int i;

	for (i = 0; i < NR_CL; i++) {
		snprintf(path, sizeof(path), SYS_CLUSTERS "%s/wait_ns",
			 cl_name[i]);
		if (read_str(path, buf, sizeof(buf)) || strcmp(buf, "0 0 0 0")) {
			diag("%s: wait_ns \"%s\"", cl_name[i], buf);
			return false;
		}
	}
	return true;
}

static uint32_t cl_steps(int cl)
{
	return cl == CL_B ? B_STEPS : 1;
}

static const uint32_t speed1[1] = { 1024 };
static const uint32_t speed2[B_STEPS] = { 512, 1024 };
static const uint32_t speed_hi[B_STEPS + 1] = { 2048, 2048, 2048 };

static uint64_t speed_of(int cl)
{
	return cl == CL_B ? (uintptr_t)speed2 : (uintptr_t)speed1;
}

static long graph_destroy(int fd, uint32_t id)
{
	struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = id };

	return xioctl(fd, EDGEAI_IOCTL_GRAPH_DESTROY, &d);
}

static void graph_init(struct edgeai_graph_create *g, struct edgeai_stage *st,
		       uint32_t nr, struct edgeai_stage_alt *alts,
		       uint32_t nr_alts)
{
	*g = (struct edgeai_graph_create){ .size = sizeof(*g), .model_fd = -1,
		.nr_stages = nr, .stages = (uintptr_t)st,
		.stage_size = sizeof(*st), .nr_buffers = NR_BUFS,
		.alts = nr_alts ? (uintptr_t)alts : 0, .nr_alts = nr_alts,
		.alt_size = nr_alts ? sizeof(*alts) : 0 };
	snprintf(g->name, sizeof(g->name), "alts-hostile");
}

static uint32_t graph_make(int fd, struct edgeai_graph_create *g)
{
	if (xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, g)) {
		perror("graph");
		exit(2);
	}
	return g->graph_id;
}

/* Stage @i: reads buffer 0, writes buffer 1 (never in place: retryable). */
static struct edgeai_stage stage_on(int cl)
{
	return (struct edgeai_stage){ .cluster_id = cl, .nr_layers = 1,
		.cost_ns = COST_NS, .in_mask = 1, .out_mask = 2 };
}

static struct edgeai_stage_alt alt_on(uint32_t stage, int cl, uint64_t cost)
{
	return (struct edgeai_stage_alt){ .stage = stage, .cluster_id = cl,
		.cost_ns = cost };
}

/* A one-stage graph on @cl costing @cost_ns, no alternative. */
static uint32_t graph_one(int fd, int cl, uint64_t cost_ns)
{
	struct edgeai_graph_create g;
	struct edgeai_stage st = stage_on(cl);

	st.cost_ns = cost_ns;
	graph_init(&g, &st, 1, NULL, 0);
	return graph_make(fd, &g);
}

static long submit_fds(int fd, uint32_t graph, uint32_t flags,
		       uint64_t deadline, const int *fds, uint64_t *job)
{
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = graph,
		.flags = flags, .priority = EDGEAI_PRIO_NORMAL,
		.nr_buffers = NR_BUFS, .buf_fds = (uintptr_t)fds,
		.deadline_ns = deadline };
	long r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);

	if (!r)
		*job = s.job_id;
	return r;
}

static uint64_t submit_ok(int fd, uint32_t graph)
{
	uint64_t id = 0;

	if (submit_fds(fd, graph, 0, 0, bufs, &id)) {
		perror("submit");
		exit(2);
	}
	return id;
}

/* JOB_WAIT for @id, up to @ms, with its stage times in @t (@n of them). */
static long job_wait_ms(int fd, uint64_t id, struct edgeai_job_wait *w,
			struct edgeai_stage_times *t, uint32_t n, uint64_t ms)
{
	*w = (struct edgeai_job_wait){ .size = sizeof(*w), .job_id = id,
		.flags = EDGEAI_WAIT_TIMEOUT, .timeout_ns = now_ns() + ms * MS,
		.stage_times = (uintptr_t)t, .stage_times_cap = n,
		.stage_times_size = sizeof(*t) };
	return xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, w);
}

/*
 * A long stage held by @cl's executor, so that @cl would run nothing else
 * for 100 s.  Of a new graph each time: a graph's stage that ran learns
 * its cost from that run, and would claim 100 s no more.
 */
struct hog {
	int cl;
	uint32_t graph;
	uint64_t job, task;
};

static struct hog hog_hold(int cl)
{
	struct hog h = { .cl = cl, .graph = graph_one(dev, cl, HOG_NS) };
	struct edgeai_exec_fetch f;

	h.job = submit_ok(dev, h.graph);
	if (exec_fetch_close(ex[cl], &f)) {
		perror("hog fetch");
		exit(2);
	}
	h.task = f.task_id;
	return h;
}

static void hog_release(const struct hog *h)
{
	struct edgeai_job_wait w;

	exec_complete(ex[h->cl], h->task);
	job_wait_ms(dev, h->job, &w, NULL, 0, 5000);
	graph_destroy(dev, h->graph);
}

/* Run everything queued anywhere, with an executor on every cluster. */
static void drain(void)
{
	int i, rounds;

	for (i = 0; i < NR_CL; i++)
		exec_set(i, true);
	for (rounds = 0; rounds < 500; rounds++) {
		unsigned int n = 0;

		for (i = 0; i < NR_CL; i++)
			n += exec_run_all(ex[i]);
		if (!n && !all_busy())
			break;
		usleep(2000);
	}
}

/* ------------------------------------------------------ the table's bounds */

static void *page_none(void)
{
	void *p = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

/*
 * max_stages stages, stage i on cluster i % NR_CL, each given the four
 * other clusters with their speeds: the largest table there is.
 */
static uint32_t big_table(struct edgeai_stage *st, struct edgeai_stage_alt *alts)
{
	uint32_t i, k, n = 0;

	for (i = 0; i < info.max_stages; i++) {
		int own = i % NR_CL;

		st[i] = stage_on(own);
		st[i].speed = speed_of(own);
		st[i].nr_steps = cl_steps(own);
		for (k = 1; k < NR_CL; k++) {
			int cl = (own + k) % NR_CL;

			alts[n] = alt_on(i, cl, COST_NS + k);
			alts[n].speed = speed_of(cl);
			alts[n].nr_steps = cl_steps(cl);
			alts[n].freq_khz = 1000 * k;
			n++;
		}
	}
	return n;
}

static long try_create(struct edgeai_graph_create *g)
{
	long r = xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, g);

	if (!r)
		graph_destroy(dev, g->graph_id);
	g->graph_id = 0;
	return r;
}

/* Four alternatives of stage 0 (B to E) laid out @stride bytes apart. */
static void alts_at(unsigned char *raw, size_t stride)
{
	struct edgeai_stage_alt a[4];
	int i;

	for (i = 0; i < 4; i++)
		a[i] = alt_on(0, CL_B + i, COST_NS);
	table_widen(raw, a, 4, sizeof(a[0]), stride);
}

static void test_bounds(void)
{
	uint32_t max = info.max_stages, nr, i, j, gid, ran = 0, bad_cluster = 0;
	struct edgeai_stage *st = calloc(max, sizeof(*st));
	struct edgeai_stage_alt *alts = calloc(max * 4 + 1, sizeof(*alts));
	struct edgeai_stage_times *t = calloc(max, sizeof(*t));
	long long graphs = stat_of("live_graphs");
	struct edgeai_graph_create g;
	uint32_t *bad = page_none();
	uint64_t jobs[4];
	int fails = 0, r;

	if (!st || !alts || !t)
		exit(2);
	nr = big_table(st, alts);
	graph_init(&g, st, max, alts, nr);
	r = xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g);
	ok(!r, "GRAPH_CREATE: %u stages each with %d alternatives, speeds on every one (%d)",
	   max, EDGEAI_MAX_STAGE_ALTS, r);
	if (r)
		goto out;
	gid = g.graph_id;
	for (i = 0; i < 4; i++)
		jobs[i] = submit_ok(dev, gid);
	drain();
	for (i = 0; i < 4; i++) {
		struct edgeai_job_wait w;

		memset(t, 0, max * sizeof(*t));
		if (job_wait_ms(dev, jobs[i], &w, t, max, 20000) ||
		    w.status != EDGEAI_JOB_DONE)
			continue;
		ran++;
		for (j = 0; j < max; j++)
			if (t[j].cluster_id >= NR_CL || !t[j].end_ns)
				bad_cluster++;
	}
	ok(ran == 4 && !bad_cluster,
	   "4 jobs of it run every stage end to end (%u done, %u stages with no cluster)",
	   ran, bad_cluster);
	graph_destroy(dev, gid);

	/* One more alternative than the graph may have in all. */
	graph_init(&g, st, max, alts, nr + 1);
	alts[nr] = alt_on(0, CL_A, COST_NS);
	ok_errno(try_create(&g), -E2BIG, "nr_alts max_stages * 4 + 1: E2BIG");

	/* A bad last entry of the full table, many times over. */
	for (i = 0; i < 40; i++) {
		struct edgeai_stage_alt *last = &alts[nr - 1];
		struct edgeai_stage_alt keep = *last;
		long want;

		switch (i % 5) {
		case 0:		/* its speeds unreadable */
			last->speed = (uintptr_t)bad;
			want = -EFAULT;
			break;
		case 1:		/* more speeds than its cluster has steps */
			last->speed = (uintptr_t)speed_hi;
			last->nr_steps = cl_steps(last->cluster_id) + 1;
			want = -EINVAL;
			break;
		case 2:		/* an unknown cluster */
			last->cluster_id = NR_CL;
			want = -EINVAL;
			break;
		case 3:		/* the stage's own cluster again */
			last->cluster_id = st[last->stage].cluster_id;
			last->speed = speed_of(last->cluster_id);
			last->nr_steps = cl_steps(last->cluster_id);
			want = -EINVAL;
			break;
		default:	/* a speed above 1024 */
			last->speed = (uintptr_t)speed_hi;
			last->nr_steps = cl_steps(last->cluster_id);
			want = -EINVAL;
			break;
		}
		graph_init(&g, st, max, alts, nr);
		r = try_create(&g);
		if (r != want) {
			diag("case %u: %d, want %ld", i % 5, r, want);
			fails++;
		}
		*last = keep;
	}
	ok(!fails, "a bad last entry of the full table (unreadable speeds, too many or too fast, unknown or repeated cluster), 40 times: each refused as it should be");
	ok(live_settle("live_graphs", graphs) == graphs,
	   "no graph left of the refused ones (live_graphs %lld, was %lld)",
	   stat_of("live_graphs"), graphs);
	/* The file's and the user's graph counts came back too. */
	{
		uint32_t ids[128], n = 0, k;

		for (k = 0; k < info.max_graphs_per_fd && k < 128; k++) {
			graph_init(&g, st, 1, alts, 4);
			if (xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g))
				break;
			ids[n++] = g.graph_id;
		}
		ok(n == info.max_graphs_per_fd || n == 128,
		   "after them the file still makes its max_graphs_per_fd (%u) graphs: %u",
		   info.max_graphs_per_fd, n);
		for (k = 0; k < n; k++)
			graph_destroy(dev, ids[k]);
	}

	/* alt_size beyond the struct: a zero tail and a non-zero one. */
	{
		size_t big = sizeof(struct edgeai_stage_alt) + 16;
		unsigned char *raw = calloc(4, big + 1);
		struct edgeai_stage own = stage_on(CL_A);

		if (!raw)
			exit(2);
		alts_at(raw, big);
		graph_init(&g, &own, 1, NULL, 0);
		g.alts = (uintptr_t)raw;
		g.nr_alts = 4;
		g.alt_size = big;
		ok_errno(try_create(&g), 0, "alt_size %zu with zero tails: accepted", big);
		raw[3 * big + big - 1] = 1;
		ok_errno(try_create(&g), -E2BIG,
			 "a non-zero byte in the last entry's tail: E2BIG");
		raw[3 * big + big - 1] = 0;
		alts_at(raw, big + 1);
		g.alt_size = big + 1;
		ok_errno(try_create(&g), 0, "alt_size %zu (unaligned), zero tails: accepted",
			 big + 1);
		g.alt_size = PAGE + 8;
		ok_errno(try_create(&g), -EINVAL, "alt_size beyond a page: EINVAL");
		free(raw);
	}
	/* A table whose last entry runs into an unmapped page. */
	{
		unsigned char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct edgeai_stage own = stage_on(CL_A);
		struct edgeai_stage_alt *tab;

		if (two == MAP_FAILED || mprotect(two + PAGE, PAGE, PROT_NONE))
			exit(2);
		tab = (struct edgeai_stage_alt *)(two + PAGE) - 2;
		tab[0] = alt_on(0, CL_B, COST_NS);
		tab[1] = alt_on(0, CL_C, COST_NS);
		graph_init(&g, &own, 1, tab, 3);
		ok_errno(try_create(&g), -EFAULT,
			 "a table whose third entry is in an unmapped page: EFAULT");
		/* B's two speeds, the second in the unmapped page. */
		tab[1].speed = (uintptr_t)(two + PAGE) - sizeof(uint32_t);
		tab[1].nr_steps = B_STEPS;
		tab[1].cluster_id = CL_B;
		tab[0].cluster_id = CL_C;
		graph_init(&g, &own, 1, tab, 2);
		ok_errno(try_create(&g), -EFAULT,
			 "an alternative's speeds running into an unmapped page: EFAULT");
		munmap(two, 2 * PAGE);
	}
	ok(live_settle("live_graphs", graphs) == graphs,
	   "live_graphs back to %lld after the bounds", graphs);
out:
	munmap(bad, PAGE);
	free(st);
	free(alts);
	free(t);
}

/* -------------------------------------------------------- another user */

struct table {
	struct edgeai_stage *st;
	uint32_t max;
	struct edgeai_stage_alt *alts;
	uint32_t nr;
};

/*
 * As nobody: bit 0, the largest table @arg with a 100 s alternative was not
 * made and destroyed; bit 1, one past 1000 s was not EINVAL.
 */
static int nobody_tables(void *arg)
{
	const struct table *t = arg;
	struct edgeai_graph_create g;
	int res = 0;

	graph_init(&g, t->st, t->max, t->alts, t->nr);
	t->alts[t->nr - 1].cost_ns = HOG_NS;
	if (xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g) ||
	    graph_destroy(dev, g.graph_id))
		res |= 1;
	t->alts[t->nr - 1].cost_ns = 1000000 * MS + 1;
	graph_init(&g, t->st, t->max, t->alts, t->nr);
	if (xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g) != -EINVAL)
		res |= 2;
	return res;
}

/*
 * A user without CAP_SYS_NICE (nobody, on the test's file): the largest
 * table is as open to it (costs capped, alts_test checks the figure), a
 * cost past the hard bound on the last alternative is refused, not capped.
 */
static void test_nobody(void)
{
	uint32_t max = info.max_stages, nr;
	struct edgeai_stage *st = calloc(max, sizeof(*st));
	struct edgeai_stage_alt *alts = calloc(max * 4, sizeof(*alts));
	long long graphs = stat_of("live_graphs");
	struct table t;
	int status;

	if (!st || !alts)
		exit(2);
	nr = big_table(st, alts);
	t = (struct table){ .st = st, .max = max, .alts = alts, .nr = nr };
	status = as_nobody(nobody_tables, &t);
	ok(status >= 0 && !(status & ~2),
	   "nobody makes the largest table, a 100 s alternative among it (status %d)",
	   status);
	ok(status >= 0 && !(status & ~1),
	   "nobody's last alternative declared past 1000 s: EINVAL, not capped (status %d)",
	   status);
	ok(live_settle("live_graphs", graphs) == graphs, "and no graph of nobody's left");
	free(st);
	free(alts);
}

/* ------------------------------------------------------- executor protocol */

/* A one-stage graph on A, B its alternative. */
static uint32_t graph_ab(int fd)
{
	struct edgeai_graph_create g;
	struct edgeai_stage st = stage_on(CL_A);
	struct edgeai_stage_alt a = alt_on(0, CL_B, COST_NS);

	graph_init(&g, &st, 1, &a, 1);
	return graph_make(fd, &g);
}

static void test_protocol(uint32_t g)
{
	struct edgeai_stage_times t;
	struct edgeai_exec_fetch f;
	struct edgeai_job_wait w;
	uint64_t id;
	struct hog hog;
	long r;

	exec_set(CL_A, true);
	exec_set(CL_B, true);
	exec_set(CL_C, true);
	hog = hog_hold(CL_A);
	id = submit_ok(dev, g);
	r = exec_fetch_close(ex[CL_B], &f);
	ok(!r, "with A busy the stage moves to B and B's executor fetches it (%ld)", r);
	/* C's executor holds nothing: it cannot end B's task. */
	ok_errno(exec_complete(ex[CL_C], f.task_id), -ENOENT,
		 "EXEC_COMPLETE of B's task by C's executor: ENOENT");
	ok_errno(exec_complete(dev, f.task_id), -EINVAL,
		 "EXEC_COMPLETE by a file that is no executor: EINVAL");
	ok(cl_num(CL_B, "running") == 1,
	   "the moved stage still runs on B (%lld)", cl_num(CL_B, "running"));
	{
		struct edgeai_exec_fetch f2;

		ok_errno(exec_fetch_close(ex[CL_A], &f2), -EBUSY,
			 "A's executor, holding the hog, fetches nothing: EBUSY");
	}
	r = exec_complete(ex[CL_B], f.task_id);
	r = r ?: job_wait_ms(dev, id, &w, &t, 1, 5000);
	ok(!r && w.status == EDGEAI_JOB_DONE && t.cluster_id == CL_B,
	   "B's executor completes it: done on B (%ld, status %u, cluster %u)",
	   r, w.status, t.cluster_id);

	/* A moved stage whose executor goes before it is fetched. */
	id = submit_ok(dev, g);
	ok(cl_num(CL_B, "queued") == 1, "another moved stage queued on B");
	exec_set(CL_B, false);
	ok(cl_num(CL_B, "queued") == 1 && cl_num(CL_A, "queued") == 0,
	   "B's executor gone: it stays queued on B (b %lld, a %lld)",
	   cl_num(CL_B, "queued"), cl_num(CL_A, "queued"));
	ok_errno(job_cancel(dev, id), 0, "and is cancellable there");
	r = job_wait_ms(dev, id, &w, NULL, 0, 5000);
	ok(!r && w.status == EDGEAI_JOB_CANCELLED && cl_num(CL_B, "queued") == 0,
	   "cancelled, B's queue empty (%ld, status %u)", r, w.status);
	exec_set(CL_B, true);
	id = submit_ok(dev, g);
	exec_set(CL_B, false);
	exec_set(CL_B, true);
	r = exec_fetch_close(ex[CL_B], &f);
	r = r ?: exec_complete(ex[CL_B], f.task_id);
	r = r ?: job_wait_ms(dev, id, &w, &t, 1, 5000);
	ok(!r && w.status == EDGEAI_JOB_DONE && t.cluster_id == CL_B,
	   "one left on B runs when an executor attaches there again (%ld, status %u)",
	   r, w.status);
	hog_release(&hog);
	exec_set(CL_C, false);
}

/* ---------------------------------------------------------------- sessions */

static void test_session(void)
{
	/* Buffer 0 the tokens, 1 the weights, 2 the KV cache. */
	struct edgeai_stage st[2] = {
		{ .cluster_id = CL_A, .nr_layers = 1, .cost_ns = COST_NS,
		  .in_mask = 3, .out_mask = 4 },
		{ .cluster_id = CL_A, .nr_layers = 1, .first_layer = 1,
		  .cost_ns = COST_NS, .in_mask = 7, .out_mask = 5 },
	};
	struct edgeai_stage_alt alts[2] = { alt_on(0, CL_B, COST_NS),
					    alt_on(1, CL_B, COST_NS) };
	int w_fd = memfd_sealed(PAGE, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
	int kv = memfd_sealed(PAGE, F_SEAL_SHRINK | F_SEAL_GROW);
	struct edgeai_session_buf sb[2] = {
		{ .fd = w_fd, .index = 1 },
		{ .fd = kv, .index = 2, .flags = EDGEAI_SESSION_BUF_STATE },
	};
	struct edgeai_session_create sc = { .size = sizeof(sc), .nr_bufs = 2,
		.bufs = (uintptr_t)sb, .buf_size = sizeof(sb[0]),
		.max_tokens = 4 };
	int fds[NR_BUFS] = { bufs[0], -1, -1 };
	struct edgeai_graph_create g;
	struct edgeai_job_submit s;
	struct edgeai_job_wait w;
	uint64_t sjob = 0, plain = 0;
	struct hog hog;
	long r;

	exec_set(CL_A, true);
	exec_set(CL_B, true);
	graph_init(&g, st, 2, alts, 2);
	sc.graph_id = graph_make(dev, &g);
	if (xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, &sc)) {
		skip("SESSION_CREATE: %s", strerror(errno));
		goto out;
	}
	hog = hog_hold(CL_A);
	s = (struct edgeai_job_submit){ .size = sizeof(s),
		.flags = EDGEAI_SUBMIT_SESSION, .graph_id = sc.graph_id,
		.priority = EDGEAI_PRIO_NORMAL, .buf_fds = (uintptr_t)fds,
		.nr_buffers = NR_BUFS, .session_id = sc.session_id,
		.max_tokens = 4 };
	r = xioctl(dev, EDGEAI_IOCTL_JOB_SUBMIT, &s);
	sjob = s.job_id;
	ok(!r && cl_num(CL_A, "queued") == 1 && cl_num(CL_B, "queued") == 0,
	   "with A busy a session job's first stage stays queued on A, not on its alternative B (%ld; a %lld, b %lld)",
	   r, cl_num(CL_A, "queued"), cl_num(CL_B, "queued"));
	{
		int pf[NR_BUFS] = { bufs[0], w_fd, bufs[2] };

		r = submit_fds(dev, sc.graph_id, 0, 0, pf, &plain);
	}
	ok(!r && cl_num(CL_B, "queued") == 1,
	   "a plain job of the same graph goes to B (%ld; b %lld): the alternative was open",
	   r, cl_num(CL_B, "queued"));
	exec_run_all(ex[CL_B]);
	exec_run_all(ex[CL_B]);
	/* The session job's stages: every one on A, once the hog is done. */
	hog_release(&hog);
	{
		struct edgeai_stage_times t[2] = {};
		struct edgeai_exec_fetch f;
		unsigned int on_a = 0, on_b = 0, k;

		r = -ETIMEDOUT;
		for (k = 0; k < 200 && r == -ETIMEDOUT; k++) {
			if (!exec_fetch_close(ex[CL_A], &f)) {
				exec_complete(ex[CL_A], f.task_id);
				on_a++;
			}
			if (!exec_fetch_close(ex[CL_B], &f)) {
				exec_complete(ex[CL_B], f.task_id);
				on_b++;
			}
			r = job_wait_ms(dev, sjob, &w, t, 2, 20);
		}
		ok(!r && w.status == EDGEAI_JOB_DONE && !on_b &&
		   t[0].cluster_id == CL_A && t[1].cluster_id == CL_A,
		   "the session job ran its prefill and %u token steps on A only (%ld, status %u, %u on A, %u on B)",
		   w.nr_tokens, r, w.status, on_a, on_b);
	}
	r = job_wait_ms(dev, plain, &w, NULL, 0, 5000);
	ok(!r && w.status == EDGEAI_JOB_DONE, "the plain job done (%ld, %u)", r,
	   w.status);
	{
		struct edgeai_session_destroy sd = { .size = sizeof(sd),
			.session_id = sc.session_id };

		ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_DESTROY, &sd), 0,
			 "SESSION_DESTROY");
	}
out:
	graph_destroy(dev, sc.graph_id);
	close(w_fd);
	close(kv);
}

/* ------------------------------------------------------------ anytime jobs */

/*
 * Stage 0 on A, stage 1 on C with alternative D, an exit after stage 0.
 * With C held by a long stage, stage 1 would end in time on D: the exit
 * decision at stage 0's end must count it there, not on busy C.
 */
static void test_anytime(void)
{
	struct edgeai_stage st[2] = { stage_on(CL_A), stage_on(CL_C) };
	struct edgeai_stage_alt a = alt_on(1, CL_D, COST_NS);
	struct edgeai_exit e = { .after_stage = 0, .accuracy_ppm = 500000,
		.out_mask = 2 };
	struct edgeai_stage_times t[2];
	struct edgeai_exec_fetch f;
	struct edgeai_graph_create g;
	struct edgeai_job_wait w;
	uint64_t id;
	struct hog hog;
	uint32_t gid;
	long r;

	st[1].in_mask = 2;
	st[1].out_mask = 4;
	exec_set(CL_A, true);
	exec_set(CL_C, true);
	exec_set(CL_D, true);
	graph_init(&g, st, 2, &a, 1);
	g.exits = (uintptr_t)&e;
	g.nr_exits = 1;
	g.exit_size = sizeof(e);
	gid = graph_make(dev, &g);
	hog = hog_hold(CL_C);

	r = submit_fds(dev, gid, EDGEAI_SUBMIT_ANYTIME, now_ns() + 10000 * MS,
		       bufs, &id);
	r = r ?: exec_fetch_close(ex[CL_A], &f);
	r = r ?: exec_complete(ex[CL_A], f.task_id);
	ok(!r, "an anytime job's stage 0 ran on A (%ld)", r);
	r = exec_fetch_close(ex[CL_D], &f);
	if (!r)
		exec_complete(ex[CL_D], f.task_id);
	r = job_wait_ms(dev, id, &w, t, 2, 5000);
	ok(!r && w.status == EDGEAI_JOB_DONE && t[1].cluster_id == CL_D,
	   "C busy for 100 s, D free: it goes on to stage 1 on D and is done, no exit (%ld, status %u, stage 1 on %u)",
	   r, w.status, t[1].cluster_id);

	/* D without an executor: stage 1 could only wait on C: the exit. */
	exec_set(CL_D, false);
	r = submit_fds(dev, gid, EDGEAI_SUBMIT_ANYTIME, now_ns() + 10000 * MS,
		       bufs, &id);
	r = r ?: exec_fetch_close(ex[CL_A], &f);
	r = r ?: exec_complete(ex[CL_A], f.task_id);
	r = r ?: job_wait_ms(dev, id, &w, t, 2, 5000);
	ok(!r && w.status == EDGEAI_JOB_DONE_EXIT && w.exit_index == 0,
	   "with D gone it ends at the exit after stage 0 (%ld, status %u)",
	   r, w.status);
	ok(cl_num(CL_C, "queued") == 0 && cl_num(CL_D, "queued") == 0,
	   "nothing left queued on C or D");
	hog_release(&hog);
	graph_destroy(dev, gid);
}

/* ----------------------------------------------------------- looped races */

struct racer {
	pthread_barrier_t *go;
	int what;		/* 0: cancel the job, 1: destroy the graph, */
	int fd;			/* 2: close its file @fd */
	uint64_t job;
	uint32_t graph;
	long ret;
};

static void *racer_run(void *arg)
{
	struct racer *x = arg;

	pthread_barrier_wait(x->go);
	if (x->what == 2)
		x->ret = close(x->fd);
	else
		x->ret = x->what ? graph_destroy(dev, x->graph) :
				   job_cancel(dev, x->job);
	return NULL;
}

/* Stage 0 on A; stage 1 on C, alternatives D and E. */
static uint32_t graph_two(int fd)
{
	struct edgeai_stage st[2] = { stage_on(CL_A), stage_on(CL_C) };
	struct edgeai_stage_alt a[2] = { alt_on(1, CL_D, COST_NS),
					 alt_on(1, CL_E, COST_NS) };
	struct edgeai_graph_create g;

	graph_init(&g, st, 2, a, 2);
	return graph_make(fd, &g);
}

/*
 * The job's file closed racing the placement of stage 1: the job is
 * cancelled wherever it was, nothing of it stays queued, it is freed.
 */
static void test_close_race(void)
{
	long long jobs, graphs = stat_of("live_graphs"), busy;
	unsigned int i, k, bad = 0, n = 40;
	pthread_barrier_t go;
	struct hog hog;

	/* C busy: stage 1 goes to D or E when it is placed. */
	hog = hog_hold(CL_C);
	jobs = stat_of("live_jobs");
	busy = all_busy();
	pthread_barrier_init(&go, NULL, 2);
	for (i = 0; i < n; i++) {
		struct racer x = { .go = &go, .what = 2, .fd = dev_open() };
		struct edgeai_exec_fetch f;
		pthread_t th;
		int cl;

		x.graph = graph_two(x.fd);
		x.job = submit_ok(x.fd, x.graph);
		if (exec_fetch_close(ex[CL_A], &f))
			exit(2);
		pthread_create(&th, NULL, racer_run, &x);
		pthread_barrier_wait(&go);
		if (exec_complete(ex[CL_A], f.task_id))
			bad++;
		pthread_join(th, NULL);
		for (k = 0; k < 100; k++) {
			for (cl = CL_D; cl <= CL_E; cl++)
				exec_run_all(ex[cl]);
			if (stat_of("live_jobs") == jobs && all_busy() == busy)
				break;
			usleep(20000);
		}
		if (k == 100) {
			diag("close race %u: live_jobs %lld, %lld busy", i,
			     stat_of("live_jobs"), all_busy());
			bad++;
		}
	}
	pthread_barrier_destroy(&go);
	ok(!bad,
	   "the job's file closed racing the placement of stage 1, %u times: each job gone, nothing queued (%u wrong)",
	   n, bad);
	hog_release(&hog);
	ok(live_settle("live_graphs", graphs) == graphs,
	   "their graphs freed (live_graphs %lld, was %lld)",
	   stat_of("live_graphs"), graphs);
}

static void test_races(void)
{
	unsigned int i, k, bad_cancel = 0, bad_destroy = 0, n = 60;
	pthread_barrier_t go;
	struct hog hog;
	int cl;

	for (cl = 0; cl < NR_CL; cl++)
		exec_set(cl, true);
	/* C busy: stage 1 goes to D or E when it is placed. */
	hog = hog_hold(CL_C);
	pthread_barrier_init(&go, NULL, 2);
	for (i = 0; i < 2 * n; i++) {
		struct racer x = { .go = &go, .what = i >= n };
		struct edgeai_exec_fetch f;
		struct edgeai_job_wait w;
		pthread_t th;
		long r;

		x.graph = graph_two(dev);
		x.job = submit_ok(dev, x.graph);
		if (exec_fetch_close(ex[CL_A], &f))
			exit(2);
		pthread_create(&th, NULL, racer_run, &x);
		pthread_barrier_wait(&go);
		/* Stage 0 ends: stage 1 is placed, against the racer. */
		r = exec_complete(ex[CL_A], f.task_id);
		pthread_join(th, NULL);
		for (k = 0; !r && k < 100; k++) {
			for (cl = CL_D; cl <= CL_E; cl++)
				exec_run_all(ex[cl]);
			r = job_wait_ms(dev, x.job, &w, NULL, 0, 50);
			if (r != -ETIMEDOUT)
				break;
			r = 0;
		}
		if (k == 100)
			r = -ETIMEDOUT;
		if (!x.what && (r || x.ret || w.status != EDGEAI_JOB_CANCELLED)) {
			diag("cancel race %u: %ld, cancel %ld, status %u", i, r, x.ret,
			     w.status);
			bad_cancel++;
		}
		if (x.what) {
			if (r || x.ret || w.status != EDGEAI_JOB_DONE) {
				diag("destroy race %u: %ld, destroy %ld, status %u", i, r,
				     x.ret, w.status);
				bad_destroy++;
			}
		} else {
			graph_destroy(dev, x.graph);
		}
	}
	pthread_barrier_destroy(&go);
	ok(!bad_cancel,
	   "JOB_CANCEL racing the placement of stage 1, %u times: each job cancelled, none left (%u wrong)",
	   n, bad_cancel);
	ok(!bad_destroy,
	   "GRAPH_DESTROY racing the placement of stage 1, %u times: each job still done (%u wrong)",
	   n, bad_destroy);
	hog_release(&hog);
	ok(!all_busy(), "no stage queued or running anywhere after them (%lld)",
	   all_busy());
	test_close_race();
}

/* ------------------------------------------------------------------ storm */

#define NR_SUBMITTERS	3
#define NR_EXECUTORS	3
#define ROUNDS		20
#define JOBS		8

static volatile int storm_stop;
static unsigned int storm_waited, storm_lost, storm_wrong, exec_errors,
	stages_run;
static pthread_mutex_t storm_lock = PTHREAD_MUTEX_INITIALIZER;

/* Three stages: A (alts B, C), C (alts D, E, A), E (alt B). */
static uint32_t graph_three(int fd)
{
	struct edgeai_stage st[3] = { stage_on(CL_A), stage_on(CL_C),
				      stage_on(CL_E) };
	struct edgeai_stage_alt a[6] = {
		alt_on(0, CL_B, COST_NS), alt_on(0, CL_C, 2 * COST_NS),
		alt_on(1, CL_D, COST_NS), alt_on(1, CL_E, COST_NS),
		alt_on(1, CL_A, 3 * COST_NS), alt_on(2, CL_B, COST_NS),
	};
	struct edgeai_graph_create g;

	a[5].speed = (uintptr_t)speed2;
	a[5].nr_steps = B_STEPS;
	graph_init(&g, st, 3, a, 6);
	return graph_make(fd, &g);
}

static void *submitter(void *arg)
{
	struct rng r;
	unsigned int round, k, lost = 0, wrong = 0, waited = 0;

	rng_seed(&r, 0xa175, (uintptr_t)arg, 18);
	for (round = 0; round < ROUNDS; round++) {
		int fd = dev_open(), mode = rnd(&r, 4);
		uint32_t g = graph_three(fd);
		uint64_t ids[JOBS];
		bool cancelled[JOBS] = {};

		for (k = 0; k < JOBS; k++) {
			if (submit_fds(fd, g, 0, 0, bufs, &ids[k]))
				ids[k] = UINT64_MAX;
			if (mode == 3 || (mode == 0 && chance(&r, 25))) {
				if (rnd(&r, 2))
					usleep(rnd(&r, 2000));
				cancelled[k] = !job_cancel(fd, ids[k]);
			}
		}
		if (mode == 1)
			graph_destroy(fd, g);
		if (mode == 2) {
			/* Close with the jobs out: the file cancels them. */
			close(fd);
			continue;
		}
		for (k = 0; k < JOBS; k++) {
			struct edgeai_job_wait w;
			long ret;

			if (ids[k] == UINT64_MAX) {
				wrong++;
				continue;
			}
			ret = job_wait_ms(fd, ids[k], &w, NULL, 0,
					  lost ? 100 : 30000);
			if (ret) {
				diag("job %llu: wait %ld", (unsigned long long)ids[k], ret);
				lost++;
				continue;
			}
			waited++;
			if (w.status != EDGEAI_JOB_DONE &&
			    !(w.status == EDGEAI_JOB_CANCELLED && cancelled[k])) {
				diag("job %llu: status %u", (unsigned long long)ids[k],
				     w.status);
				wrong++;
			}
		}
		if (mode != 1)
			graph_destroy(fd, g);
		close(fd);
	}
	pthread_mutex_lock(&storm_lock);
	storm_waited += waited;
	storm_lost += lost;
	storm_wrong += wrong;
	pthread_mutex_unlock(&storm_lock);
	return NULL;
}

/* Attach to a random cluster, run a few stages, detach; again. */
static void *executor(void *arg)
{
	unsigned int errs = 0, runs = 0;
	struct rng r;

	rng_seed(&r, 0xe8ec, (uintptr_t)arg, 18);
	while (!storm_stop) {
		int fd = exec_open_nonblock(rnd(&r, NR_CL));
		unsigned int k, n = 1 + rnd(&r, 12);

		for (k = 0; k < n && !storm_stop; k++) {
			struct edgeai_exec_fetch f;
			long ret = exec_fetch_close(fd, &f);

			if (ret == -EAGAIN) {
				usleep(200 + rnd(&r, 800));
				continue;
			}
			if (ret) {
				errs++;
				continue;
			}
			if (chance(&r, 20))
				usleep(rnd(&r, 1000));
			if (exec_complete(fd, f.task_id))
				errs++;
			runs++;
		}
		close(fd);
	}
	pthread_mutex_lock(&storm_lock);
	exec_errors += errs;
	stages_run += runs;
	pthread_mutex_unlock(&storm_lock);
	return NULL;
}

static void test_storm(void)
{
	pthread_t sub[NR_SUBMITTERS], exe[NR_EXECUTORS];
	uintptr_t i;
	int cl;

	/* The storm's executors are the only ones. */
	for (cl = 0; cl < NR_CL; cl++)
		exec_set(cl, false);
	storm_stop = 0;
	for (i = 0; i < NR_EXECUTORS; i++)
		pthread_create(&exe[i], NULL, executor, (void *)i);
	for (i = 0; i < NR_SUBMITTERS; i++)
		pthread_create(&sub[i], NULL, submitter, (void *)i);
	for (i = 0; i < NR_SUBMITTERS; i++)
		pthread_join(sub[i], NULL);
	storm_stop = 1;
	for (i = 0; i < NR_EXECUTORS; i++)
		pthread_join(exe[i], NULL);
	diag("storm: %u jobs waited, %u stages run by the churning executors",
	     storm_waited, stages_run);
	ok(!storm_lost,
	   "storm: every job waited for ended while executors came and went (%u not in 30 s)",
	   storm_lost);
	ok(!storm_wrong && storm_waited > 0,
	   "storm: each done, or cancelled when the cancel said 0 (%u wrong of %u)",
	   storm_wrong, storm_waited);
	ok(!exec_errors, "storm: no fetch or completion failed (%u)", exec_errors);
	/* The closed files' jobs with a stage held ended; nothing queued. */
	drain();
	ok(!all_busy(), "storm: nothing queued or running on any cluster after it (%lld)",
	   all_busy());
}

/* -------------------------------------------------------------------- main */

int main(void)
{
	long long jobs0, graphs0;
	int kmsg = kmsg_open(), i;
	uint32_t g;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = dev_open();
	info.size = sizeof(info);
	if (xioctl(dev, EDGEAI_IOCTL_GET_INFO, &info) || info.nr_clusters != NR_CL) {
		diag("GET_INFO: %u clusters, want %d", info.nr_clusters, NR_CL);
		return 2;
	}
	if (!(info.features & EDGEAI_FEAT_STAGE_ALTS)) {
		skip("no EDGEAI_FEAT_STAGE_ALTS");
		return tap_done();
	}
	for (i = 0; i < NR_BUFS; i++) {
		bufs[i] = edgeai_buffer_create("alts-hostile", PAGE);
		if (bufs[i] < 0)
			return 2;
	}
	jobs0 = stat_of("live_jobs");
	graphs0 = stat_of("live_graphs");

	test_bounds();
	test_nobody();
	g = graph_ab(dev);
	test_protocol(g);
	test_session();
	test_anytime();
	test_races();
	test_storm();
	graph_destroy(dev, g);

	ok(!all_busy() && all_wait_zero(),
	   "every cluster: 0 queued, 0 running, wait_ns 0 for every class");
	for (i = 0; i < NR_CL; i++)
		exec_set(i, false);
	ok(live_settle("live_jobs", jobs0) == jobs0 &&
	   live_settle("live_graphs", graphs0) == graphs0,
	   "live_jobs %lld and live_graphs %lld back to %lld and %lld",
	   stat_of("live_jobs"), stat_of("live_graphs"), jobs0, graphs0);
	close(dev);
	for (i = 0; i < NR_BUFS; i++)
		close(bufs[i]);
	live_all_freed();
	kmsg_check(kmsg);
	return tap_done();
}
