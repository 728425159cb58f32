// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trust boundary between users (issue 16, items 3-5; issue 19's
 * per-stage speeds), in the VM:
 *  - the kernel plans with stage costs it measured, a declared cost is a
 *    prior only (capped without CAP_SYS_NICE), and a missed deadline no
 *    longer steers the frequency;
 *  - a stage's own per-step speeds steer the deadline governor;
 *  - NORMAL work is shared between users (deficit round robin), and a
 *    queued stage waits at most about max_wait_ms behind a flooding user;
 *  - graphs, jobs and contexts are charged to the caller's memory cgroup,
 *    graphs are bounded per user;
 *  - deadlines, timeouts and reported times are in the caller's time
 *    namespace;
 *  - each cluster's wait_ns tells user space the wait per class, and
 *    libedgeai's edgeai_cluster_wait_ns() reads it (issue 17).
 *
 * Loaded with tests/vm/trust_test.modparams: two virtual clusters, an
 * aging bound of 200 ms, 2000 graphs per user.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/child.h"
#include "../lib/exec.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define LITTLE		0	/* 400, 800, 1400 MHz */
#define BIG		1	/* 600, 1800 MHz */
#define MAX_WAIT_MS	200	/* trust_test.modparams */
#define GRAPHS_PER_UID	2000	/* trust_test.modparams */
#define CAP_COST_NS	(100 * MS)	/* unprivileged_cost_max_us's default */

static int buf_fd;

struct gspec {
	uint32_t cluster;
	uint64_t cost_ns;
	const char *name;
	const uint32_t *speed;
	uint32_t nr_steps;
};

static long graph_new(int fd, const struct gspec *g, uint32_t *id)
{
	struct edgeai_stage st = { .cluster_id = g->cluster, .nr_layers = 1,
				   .cost_ns = g->cost_ns, .in_mask = 1, .out_mask = 1,
				   .speed = (uintptr_t)g->speed, .nr_steps = g->nr_steps };
	struct edgeai_graph_create c = { .size = sizeof(c), .model_fd = -1,
		.nr_stages = 1, .stages = (uintptr_t)&st, .stage_size = sizeof(st),
		.nr_buffers = 1 };
	long r;

	snprintf(c.name, sizeof(c.name), "%s", g->name);
	r = xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &c);
	if (!r && id)
		*id = c.graph_id;
	return r;
}

static uint32_t graph_or_die(int fd, const struct gspec *g)
{
	uint32_t id;
	long r = graph_new(fd, g, &id);

	if (r) {
		fprintf(stderr, "graph %s: %s\n", g->name, strerror((int)-r));
		exit(2);
	}
	return id;
}

static uint64_t submit(int fd, uint32_t graph, uint32_t prio, uint64_t deadline)
{
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = graph,
		.priority = prio, .deadline_ns = deadline,
		.buf_fds = (uintptr_t)&buf_fd, .nr_buffers = 1 };

	if (xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s)) {
		perror("submit");
		exit(2);
	}
	return s.job_id;
}

/* Wait for a job; its stage times in *t. */
static long job_wait(int fd, uint64_t id, struct edgeai_stage_times *t,
		     struct edgeai_job_wait *out)
{
	struct edgeai_job_wait w = { .size = sizeof(w), .job_id = id,
		.flags = EDGEAI_WAIT_TIMEOUT, .timeout_ns = now_ns() + 60000 * MS,
		.stage_times = (uintptr_t)t, .stage_times_cap = 1,
		.stage_times_size = sizeof(*t) };
	long r = xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, &w);

	if (out)
		*out = w;
	return r;
}

/* Fetch a stage, run it for @run_ms, complete it; the fetch in *f. */
static long exec_one(int efd, unsigned int run_ms, struct edgeai_exec_fetch *f)
{
	struct edgeai_exec_complete c = { .size = sizeof(c) };
	int fds[4];
	long r;

	memset(f, 0, sizeof(*f));
	f->size = sizeof(*f);
	f->buf_fds = (uintptr_t)fds;
	f->buf_fds_cap = 4;
	r = xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, f);
	if (r)
		return r;
	close(fds[0]);
	if (run_ms)
		usleep(run_ms * 1000);
	c.task_id = f->task_id;
	return xioctl(efd, EDGEAI_IOCTL_EXEC_COMPLETE, &c);
}

static long long cl_num(const char *cl, const char *attr)
{
	char path[256];

	snprintf(path, sizeof(path), SYS_CLUSTERS "%s/%s", cl, attr);
	return sysfs_num(path);
}

static void cl_governor(const char *cl, const char *gov)
{
	char path[256];

	snprintf(path, sizeof(path), SYS_CLUSTERS "%s/governor", cl);
	if (write_file(path, gov)) {
		fprintf(stderr, "%s: cannot set %s\n", path, gov);
		exit(2);
	}
}

static void cancel_reap(int fd, uint64_t id);

/* clusters/<cl>/wait_ns: the four classes' waits, -1 in w[0] on error. */
static void cl_wait(const char *cl, long long w[4])
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), SYS_CLUSTERS "%s/wait_ns", cl);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%lld %lld %lld %lld", &w[0], &w[1], &w[2], &w[3]) != 4)
		w[0] = -1;
	if (f)
		fclose(f);
}

/*
 * clusters/<name>/wait_ns: what is left of the running stages and the
 * queued work of each class and the classes above (issue 17: what an
 * application reads to try the graph that would end first).  BIG has no
 * executor here, so what is submitted stays queued.
 */
static void test_wait_ns(void)
{
	struct gspec n = { .cluster = BIG, .cost_ns = 100 * MS, .name = "wait-normal" };
	struct gspec h = { .cluster = BIG, .cost_ns = 30 * MS, .name = "wait-high" };
	int fd = dev_open();
	uint32_t gn = graph_or_die(fd, &n), gh = graph_or_die(fd, &h);
	uint64_t a, b, c, lw[EDGEAI_NR_PRIO] = { 0 };
	struct edgeai *lib;
	long long w[4];
	int ret;

	cl_wait("big", w);
	ok(w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0,
	   "wait_ns: an idle cluster, 0 for every class (%lld %lld %lld %lld)",
	   w[0], w[1], w[2], w[3]);
	a = submit(fd, gn, EDGEAI_PRIO_NORMAL, 0);
	b = submit(fd, gn, EDGEAI_PRIO_NORMAL, 0);
	c = submit(fd, gh, EDGEAI_PRIO_HIGH, 0);
	cl_wait("big", w);
	ok(w[0] == 0 && w[1] == (long long)(30 * MS) && w[2] == (long long)(230 * MS) &&
	   w[3] == w[2],
	   "wait_ns: realtime 0, high its 30 ms, normal and background 230 ms (%lld %lld %lld %lld)",
	   w[0], w[1], w[2], w[3]);
	/* libedgeai reads the same file (EDGEAI_4). */
	ret = edgeai_open(&lib);
	if (!ret) {
		ret = edgeai_cluster_wait_ns(lib, BIG, lw);
		ok(!ret && lw[EDGEAI_PRIO_REALTIME] == (uint64_t)w[0] &&
		   lw[EDGEAI_PRIO_HIGH] == (uint64_t)w[1] && lw[EDGEAI_PRIO_NORMAL] == (uint64_t)w[2] &&
		   lw[EDGEAI_PRIO_BACKGROUND] == (uint64_t)w[3],
		   "edgeai_cluster_wait_ns() gives the four (%d: %llu %llu %llu %llu)", ret,
		   (unsigned long long)lw[0], (unsigned long long)lw[1],
		   (unsigned long long)lw[2], (unsigned long long)lw[3]);
		ret = edgeai_cluster_wait_ns(lib, 99, lw);
		ok(ret < 0, "edgeai_cluster_wait_ns() of no such cluster: %s", edgeai_strerror(ret));
		edgeai_close(lib);
	} else {
		ok(0, "edgeai_open: %s", edgeai_strerror(ret));
	}
	cancel_reap(fd, a);
	cancel_reap(fd, b);
	cancel_reap(fd, c);
	cl_wait("big", w);
	ok(w[0] == 0 && w[3] == 0, "wait_ns: 0 again once they are cancelled (%lld)", w[3]);
	close(fd);
}

/* ------------------------------------------------------------------------
 * Item 3: costs the kernel trusts.
 */

static int nobody_big_graph(void *arg)
{
	struct gspec g = { .cluster = BIG, .cost_ns = 1000ULL * 1000 * MS, .name = "huge" };
	int fd = open(DEV_PATH, O_RDWR);
	uint32_t id;

	(void)arg;
	if (fd < 0 || graph_new(fd, &g, &id))
		return 3;
	submit(fd, id, EDGEAI_PRIO_NORMAL, 0);
	/* Keep the file open (and the job queued) until the parent says. */
	pause();
	return 0;
}

static void test_measured_costs(void)
{
	struct gspec slow = { .cluster = BIG, .cost_ns = 500 * MS, .name = "declared-slow" };
	struct gspec fast = { .cluster = BIG, .cost_ns = 1000, .name = "declared-fast" };
	struct edgeai_exec_fetch f;
	int sub = dev_open(), efd = exec_open(BIG), status;
	uint32_t gs = graph_or_die(sub, &slow), gf = graph_or_die(sub, &fast);
	uint64_t j;
	pid_t pid;
	long r;

	cl_governor("big", "performance");
	j = submit(sub, gs, EDGEAI_PRIO_NORMAL, 0);
	r = exec_one(efd, 10, &f);
	ok(!r && f.cost_ns == 500 * MS,
	   "before its first run a stage's estimate is its declared cost (%llu ns)",
	   (unsigned long long)f.cost_ns);
	job_wait(sub, j, NULL, NULL);
	j = submit(sub, gs, EDGEAI_PRIO_NORMAL, 0);
	r = exec_one(efd, 10, &f);
	ok(!r && f.cost_ns >= 10 * MS && f.cost_ns < 250 * MS,
	   "after a 10 ms run it is what the kernel measured, not the 500 ms declared (%llu ns)",
	   (unsigned long long)f.cost_ns);
	job_wait(sub, j, NULL, NULL);

	j = submit(sub, gf, EDGEAI_PRIO_NORMAL, 0);
	exec_one(efd, 20, &f);
	job_wait(sub, j, NULL, NULL);
	j = submit(sub, gf, EDGEAI_PRIO_NORMAL, 0);
	r = exec_one(efd, 0, &f);
	ok(!r && f.cost_ns >= 20 * MS,
	   "a declared 1 us cannot undercut a measured 20 ms run (%llu ns)",
	   (unsigned long long)f.cost_ns);
	job_wait(sub, j, NULL, NULL);

	pid = fork();
	if (pid == 0) {
		child_drop_to_nobody();
		_exit(nobody_big_graph(NULL));
	}
	r = exec_one(efd, 0, &f);
	ok(!r && f.cost_ns == CAP_COST_NS,
	   "without CAP_SYS_NICE a declared 1000 s is capped at 100 ms (%llu ns)",
	   (unsigned long long)f.cost_ns);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	close(efd);
	close(sub);
}

static int nobody_missed_deadline(void *arg)
{
	struct gspec g = { .cluster = LITTLE, .cost_ns = 50 * MS, .name = "late" };
	long long *freq = arg, f1, f2;
	int fd = open(DEV_PATH, O_RDWR);
	uint32_t id;

	if (fd < 0 || graph_new(fd, &g, &id))
		return 3;
	/* Past at once: late whatever the step. */
	submit(fd, id, EDGEAI_PRIO_NORMAL, 1);
	usleep(100 * 1000);
	f1 = cl_num("little", "cur_freq");
	usleep(100 * 1000);
	f2 = cl_num("little", "cur_freq");
	(void)freq;
	printf("# little at %lld then %lld kHz with a missed-deadline job queued\n", f1, f2);
	fflush(stdout);
	return f1 == 400000 && f2 == 400000 ? 0 : 1;
}

static void test_missed_deadline(void)
{
	int i, r;

	cl_governor("little", "deadline");
	/* Idle: the deadline governor drops to the lowest step after its hold. */
	for (i = 0; i < 100 && cl_num("little", "cur_freq") != 400000; i++)
		usleep(20 * 1000);
	ok(cl_num("little", "cur_freq") == 400000, "idle under the deadline governor: lowest step");
	r = as_nobody(nobody_missed_deadline, NULL);
	ok(r == 0, "an unprivileged job whose deadline has passed does not raise the frequency (%d)",
	   r);
}

/* ------------------------------------------------------------------------
 * Issue 19: a stage's own per-step speeds.
 */

/* Cancel job @id and collect it. */
static void cancel_reap(int fd, uint64_t id)
{
	struct edgeai_job_cancel c = { .size = sizeof(c), .job_id = id };

	xioctl(fd, EDGEAI_IOCTL_JOB_CANCEL, &c);
	job_wait(fd, id, NULL, NULL);
}

/* The step the deadline governor picks for one queued 100 ms stage. */
static long long little_step_for(int sub, const struct gspec *g)
{
	uint32_t gid;
	uint64_t j;
	long long f;
	int i;

	if (graph_new(sub, g, &gid))
		return -1;

	for (i = 0; i < 100 && cl_num("little", "cur_freq") != 400000; i++)
		usleep(20 * 1000);
	/*
	 * Due in 400 ms, planned with a quarter in reserve (300 ms): by
	 * frequency the lowest step (400 of 1400 MHz) takes 350 ms, the
	 * middle one 175 ms.  No executor: it stays queued and every
	 * decision plans it from now.
	 */
	j = submit(sub, gid, EDGEAI_PRIO_NORMAL, now_ns() + 400 * MS);
	usleep(50 * 1000);
	f = cl_num("little", "cur_freq");
	cancel_reap(sub, j);
	return f;
}

static void test_stage_speeds(void)
{
	static const uint32_t flat[3] = { 1024, 1024, 1024 };
	static const uint32_t too_fast[3] = { 512, 1025, 1024 };
	struct gspec g = { .cluster = LITTLE, .cost_ns = 100 * MS, .name = "membound",
			   .speed = flat, .nr_steps = 3 };
	struct gspec bad, plain = { .cluster = LITTLE, .cost_ns = 100 * MS, .name = "plain" };
	int sub = dev_open();
	long long f;

	bad = g;
	bad.nr_steps = 2;
	ok_errno(graph_new(sub, &bad, NULL), -EINVAL, "speeds for 2 steps of a 3-step cluster");
	bad.nr_steps = 0;
	ok_errno(graph_new(sub, &bad, NULL), -EINVAL, "speeds with nr_steps 0");
	bad = g;
	bad.speed = NULL;
	ok_errno(graph_new(sub, &bad, NULL), -EINVAL, "nr_steps without speeds");
	bad = g;
	bad.speed = too_fast;
	ok_errno(graph_new(sub, &bad, NULL), -EINVAL, "a speed above 1024");
	bad.speed = (const uint32_t *)8;
	ok_errno(graph_new(sub, &bad, NULL), -EFAULT, "speeds at a bad address");

	cl_governor("little", "deadline");
	f = little_step_for(sub, &g);
	ok(f == 400000,
	   "a stage as fast at every step (memory-bound) is planned at the lowest step (%lld kHz)",
	   f);
	f = little_step_for(sub, &plain);
	ok(f == 800000, "the same stage without its speeds needs the middle step (%lld kHz)", f);
	close(sub);
}

/* ------------------------------------------------------------------------
 * Item 4: fair shares between users, bounded waits.
 */

static void set_param(const char *name, unsigned int v)
{
	char path[128], val[32];

	snprintf(path, sizeof(path), "/sys/module/edgeai/parameters/%s", name);
	snprintf(val, sizeof(val), "%u", v);
	ok(!write_file(path, val), "%s set to %u", name, v);
}

/* As nobody: queue one job on BIG, tell the parent, wait for it. */
static int nobody_victim(uint32_t prio, uint64_t deadline_rel, int ready)
{
	struct gspec g = { .cluster = BIG, .cost_ns = MS, .name = "victim" };
	struct edgeai_stage_times t;
	int fd = open(DEV_PATH, O_RDWR);
	uint32_t id;
	uint64_t j;
	char c = 1;

	if (fd < 0 || graph_new(fd, &g, &id))
		return 255;
	j = submit(fd, id, prio, deadline_rel ? now_ns() + deadline_rel : 0);
	if (write(ready, &c, 1) != 1 || job_wait(fd, j, &t, NULL))
		return 255;
	/* Its wait, in 10 ms units. */
	return (t.start_ns - t.queued_ns) / (10 * MS) > 254 ? 254 :
	       (int)((t.start_ns - t.queued_ns) / (10 * MS));
}

static pid_t fork_victim(uint32_t prio, uint64_t deadline_rel)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		exit(2);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		child_drop_to_nobody();
		_exit(nobody_victim(prio, deadline_rel, ready[1]));
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		exit(2);
	close(ready[0]);
	return pid;
}

static void submit_flood(int sub, uint32_t graph, unsigned int n)
{
	while (n--)
		submit(sub, graph, EDGEAI_PRIO_NORMAL, now_ns() + MS);
}

static void test_fair_share(void)
{
	struct gspec fg = { .cluster = BIG, .cost_ns = MS, .name = "flood" };
	unsigned int i, n = 100, pos = n + 1;
	struct edgeai_exec_fetch f;
	int sub = dev_open(), efd, status;
	pid_t pid;

	cl_governor("big", "performance");
	/* Round robin alone: aging would serve the flood first, oldest. */
	set_param("max_wait_ms", 0);
	/* 100 urgent jobs (1 ms declared) ahead of another user's far one. */
	submit_flood(sub, graph_or_die(sub, &fg), n);
	pid = fork_victim(EDGEAI_PRIO_NORMAL, 60000 * MS);
	efd = exec_open(BIG);
	for (i = 0; i <= n; i++) {
		if (exec_one(efd, 0, &f))
			break;
		if (!strcmp(f.graph_name, "victim"))
			pos = i;
	}
	close(efd);
	waitpid(pid, &status, 0);
	close(sub);
	set_param("max_wait_ms", MAX_WAIT_MS);
	ok(pos <= 11,
	   "NORMAL: another user's stage runs after one 10 ms quantum of the flood, not after all %u (ran %u-th)",
	   n, pos + 1);
}

/*
 * A flooding user keeps BIG's queue full of urgent NORMAL stages while an
 * executor runs them (4 ms each); see how long one other stage waits.
 */
struct executor {
	int fd;
	volatile int stop;
	uint64_t longest_ns;
	unsigned int done;
};

static void *executor_run(void *arg)
{
	struct executor *x = arg;
	struct edgeai_exec_fetch f;

	while (!x->stop) {
		uint64_t t0 = now_ns();

		if (exec_one(x->fd, 4, &f))
			continue;
		x->done++;
		if (now_ns() - t0 > x->longest_ns)
			x->longest_ns = now_ns() - t0;
	}
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

#define FLOOD_FOR_NS	(3000 * MS)

/* Flood until @done says the waiting stage ran, or 3 s: whether it ran. */
static bool flood_until(int sub, uint32_t graph, bool (*done)(void *), void *arg,
			    struct executor *x)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	uint64_t t0 = now_ns();
	pthread_t th;
	bool ran;

	sigaction(SIGUSR1, &sa, NULL);
	x->fd = exec_open(BIG);
	x->stop = 0;
	x->longest_ns = 0;
	pthread_create(&th, NULL, executor_run, x);
	while (!done(arg) && now_ns() - t0 < FLOOD_FOR_NS) {
		if (cl_num("big", "queued") < 16)
			submit_flood(sub, graph, 8);
		usleep(1000);
	}
	ran = done(arg);
	/* Drain, then stop the executor. */
	while (cl_num("big", "queued") > 0 || cl_num("big", "running") > 0)
		usleep(10000);
	while (!done(arg))
		usleep(10000);
	x->stop = 1;
	pthread_kill(th, SIGUSR1);
	pthread_join(th, NULL);
	close(x->fd);
	return ran;
}

struct child_done {
	pid_t pid;
	int status;
	bool exited;
};

static bool child_exited(void *arg)
{
	struct child_done *c = arg;

	if (!c->exited && waitpid(c->pid, &c->status, WNOHANG) == c->pid)
		c->exited = true;
	return c->exited;
}

static void aging_report(const char *what, uint64_t wait_ns, uint64_t longest_ns)
{
	/*
	 * ep_fair_wait_bound(): nothing else aged ahead of it, one lane: the
	 * stage running when it ages, then it.
	 */
	uint64_t bound = MAX_WAIT_MS * MS + longest_ns;

	printf("# %s waited %llu ms behind a flooding user (stages up to %llu ms): bound %llu ms\n",
	       what, (unsigned long long)(wait_ns / MS), (unsigned long long)(longest_ns / MS),
	       (unsigned long long)(bound / MS));
	ok(wait_ns >= (MAX_WAIT_MS - 5) * MS && wait_ns <= bound + 20 * MS,
	   "%s runs once it has waited max_wait_ms (%d), within the documented bound", what,
	   MAX_WAIT_MS);
}

static void test_aging(void)
{
	struct gspec fg = { .cluster = BIG, .cost_ns = MS, .name = "flood" };
	struct child_done c = { 0 };
	struct executor x = { 0 };
	int sub = dev_open();
	uint32_t g = graph_or_die(sub, &fg);
	uint64_t wait;
	bool ran;

	cl_governor("big", "performance");
	submit_flood(sub, g, 16);
	c.pid = fork_victim(EDGEAI_PRIO_BACKGROUND, 0);
	ran = flood_until(sub, g, child_exited, &c, &x);
	close(sub);
	ok(ran && WIFEXITED(c.status) && WEXITSTATUS(c.status) < 255,
	   "a BACKGROUND stage of another user ran while NORMAL kept coming (%u stages run)",
	   x.done);
	wait = WIFEXITED(c.status) ? WEXITSTATUS(c.status) * 10 * MS : ~0ULL;
	/* Reported in 10 ms units: round up. */
	aging_report("a BACKGROUND stage", wait, x.longest_ns + 10 * MS);
}

struct own_done {
	int sub;
	uint64_t id;
	bool done;
	struct edgeai_stage_times t;
};

static bool own_job_done(void *arg)
{
	struct own_done *o = arg;
	struct edgeai_job_wait w = { .size = sizeof(w), .job_id = o->id,
		.flags = EDGEAI_WAIT_NONBLOCK, .stage_times = (uintptr_t)&o->t,
		.stage_times_cap = 1, .stage_times_size = sizeof(o->t) };

	if (!o->done && !xioctl(o->sub, EDGEAI_IOCTL_JOB_WAIT, &w))
		o->done = true;
	return o->done;
}

/* A user's deadline-less stage behind its own stream of urgent ones. */
static void test_aging_own(void)
{
	struct gspec lg = { .cluster = BIG, .cost_ns = MS, .name = "patient" };
	struct gspec fg = { .cluster = BIG, .cost_ns = MS, .name = "urgent" };
	struct own_done o = { .sub = dev_open() };
	struct executor x = { 0 };
	uint32_t g = graph_or_die(o.sub, &fg);
	bool ran;

	submit_flood(o.sub, g, 16);
	o.id = submit(o.sub, graph_or_die(o.sub, &lg), EDGEAI_PRIO_NORMAL, 0);
	ran = flood_until(o.sub, g, own_job_done, &o, &x);
	close(o.sub);
	ok(ran, "a user's deadline-less stage ran while its urgent ones kept coming (%u stages run)",
	   x.done);
	aging_report("a user's deadline-less stage", o.t.start_ns - o.t.queued_ns, x.longest_ns);
}

/* ------------------------------------------------------------------------
 * Item 5: memory cgroups and a bound on graphs per user.
 */

static int mkdir_p(const char *d)
{
	return mkdir(d, 0755) && errno != EEXIST ? -errno : 0;
}

static int memcg_fds[GRAPHS_PER_UID / 64 + 2];
static unsigned int memcg_nfd;

/*
 * Up to @n graphs, 64 to a file, until something fails (-errno in *@err);
 * the files stay open until memcg_graphs_close().  Nothing in here touches
 * new user memory once near a limit: with the OOM killer off, a page fault
 * there would wait for memory.
 */
static unsigned int memcg_graphs_open(unsigned int n, long *err)
{
	struct gspec g = { .cluster = BIG, .cost_ns = MS, .name = "memcg" };
	unsigned int i = 0;
	long r = 0;

	while (i < n && memcg_nfd < sizeof(memcg_fds) / sizeof(memcg_fds[0])) {
		if (i % 64 == 0) {
			memcg_fds[memcg_nfd] = open(DEV_PATH, O_RDWR);
			if (memcg_fds[memcg_nfd] < 0) {
				r = -errno;
				break;
			}
			memcg_nfd++;
		}
		r = graph_new(memcg_fds[memcg_nfd - 1], &g, NULL);
		if (r)
			break;
		i++;
	}
	*err = r;
	return i;
}

static void memcg_graphs_close(void)
{
	while (memcg_nfd)
		close(memcg_fds[--memcg_nfd]);
}

/* Moves the calling process into the cgroup directory @grp. */
static int memcg_join(const char *grp)
{
	char path[256], pid[32];

	snprintf(pid, sizeof(pid), "%d", getpid());
	snprintf(path, sizeof(path), "%s/cgroup.procs", grp);
	return write_file(path, pid);
}

/* @what: a check's text, with %d for @n. */
static void memcg_check_child(pid_t child, const char *what, int n)
{
	int status;

	waitpid(child, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, what, n);
	ok(stat_of("live_graphs") == 0, "and the ones made are gone with their files");
}

/*
 * Write the pages of the stack the child's calls use, and the fd table,
 * before it joins a cgroup at its limit: their first write after fork()
 * copies them, and that copy is charged to the cgroup it is in then.
 */
static void __attribute__((noinline)) memcg_prefault(void)
{
	volatile char stack[64 * 1024];
	size_t i;

	for (i = 0; i < sizeof(stack); i += 4096)
		stack[i] = 0;
	memset(memcg_fds, -1, sizeof(memcg_fds));
	memcg_nfd = 0;
}

/*
 * Whether @child exits within @ms.  Past that it waits for memory: a page
 * fault at a limit whose OOM killer is off; only a larger limit ends that.
 */
static bool memcg_child_exits(pid_t child, unsigned int ms)
{
	unsigned int i;

	for (i = 0; i < ms / 10; i++) {
		siginfo_t si = { 0 };

		/* Not reaped: memcg_check_child() does that. */
		if (!waitid(P_PID, (id_t)child, &si, WEXITED | WNOHANG | WNOWAIT) &&
		    si.si_pid == child)
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * cgroup v1, whose oom_control can turn the memory cgroup's OOM killer
 * off: a charge beyond the limit then fails with ENOMEM instead of killing
 * the test.  v1 counts kernel memory in its limit.  0, or -errno when
 * there is no v1 memory controller.
 */
static int test_memcg_v1(void)
{
	const char *root = "/tmp/memcg", *grp = "/tmp/memcg/edgeai";
	char path[256];
	pid_t child;
	int r;

	r = mkdir_p(root);
	if (!r && mount("none", root, "cgroup", 0, "memory") && errno != EBUSY)
		r = -errno;
	if (!r)
		r = mkdir_p(grp);
	if (r)
		return r;
	snprintf(path, sizeof(path), "%s/memory.limit_in_bytes", grp);
	ok(!write_file(path, "1048576"), "a 1 MiB cgroup v1 memory cgroup");
	snprintf(path, sizeof(path), "%s/memory.oom_control", grp);
	write_file(path, "1");

	child = fork();
	if (child == 0) {
		unsigned int made;
		long err;

		memcg_prefault();
		if (memcg_join(grp))
			_exit(2);
		made = memcg_graphs_open(GRAPHS_PER_UID, &err);
		memcg_graphs_close();
		/* Out of the cgroup again before printing. */
		if (memcg_join(root))
			_exit(2);
		printf("# %u graphs made in 1 MiB, then %s\n", made,
		       err ? strerror((int)-err) : "no failure");
		_exit(err == -ENOMEM && made < GRAPHS_PER_UID ? 0 : 1);
	}
	/*
	 * A page fault of the child's own at the limit (something not
	 * prefaulted) would wait for memory for ever: give it room to end,
	 * and say so; its exit status still tells whether ENOMEM came first.
	 */
	if (!memcg_child_exits(child, 60000)) {
		snprintf(path, sizeof(path), "%s/memory.limit_in_bytes", grp);
		write_file(path, "67108864");
		diag("the child waited for memory at the limit for 60 s: limit raised");
	}
	memcg_check_child(child,
			  "graphs are charged to the caller's memory cgroup: ENOMEM at its limit, before %d graphs",
			  GRAPHS_PER_UID);
	rmdir(grp);
	umount(root);
	return 0;
}

/* memory.current of the cgroup v2 directory @grp, or -1. */
static long long memcg_current(const char *grp)
{
	char path[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.current", grp);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

#define MEMCG_V2_GRAPHS		1500
/* Well below what a graph costs (about 1 KiB: the v1 test's figure). */
#define MEMCG_V2_MIN_BYTES	512

/*
 * cgroup v2 (6.12 has no v1 memory controller): its OOM killer cannot be
 * turned off, so instead of driving the group to a limit, measure what
 * the graphs add to the group's memory.current while they exist.  Without
 * __GFP_ACCOUNT they would add nothing beyond a few pages of the test's
 * own.
 */
static int test_memcg_v2(void)
{
	const char *root = "/tmp/cg2", *grp = "/tmp/cg2/edgeai";
	char path[256];
	pid_t child;
	int r;

	r = mkdir_p(root);
	if (!r && mount("none", root, "cgroup2", 0, NULL) && errno != EBUSY)
		r = -errno;
	if (!r) {
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control", root);
		r = write_file(path, "+memory");
	}
	if (!r)
		r = mkdir_p(grp);
	if (r)
		return r;

	child = fork();
	if (child == 0) {
		long long before, after;
		unsigned int made;
		long err;

		if (memcg_join(grp))
			_exit(2);
		/* Fault in what the loop touches before measuring. */
		memcg_graphs_open(1, &err);
		memcg_graphs_close();
		before = memcg_current(grp);
		made = memcg_graphs_open(MEMCG_V2_GRAPHS, &err);
		after = memcg_current(grp);
		memcg_graphs_close();
		if (memcg_join(root))
			_exit(2);
		printf("# %u graphs (%s) added %lld bytes to their cgroup v2's memory.current\n",
		       made, err ? strerror((int)-err) : "no failure", after - before);
		_exit(before >= 0 && after >= 0 && made == MEMCG_V2_GRAPHS &&
		      after - before >= (long long)made * MEMCG_V2_MIN_BYTES ? 0 : 1);
	}
	memcg_check_child(child,
			  "graphs are charged to the caller's memory cgroup (v2): at least %d bytes each",
			  MEMCG_V2_MIN_BYTES);
	rmdir(grp);
	umount(root);
	return 0;
}

static void test_memcg(void)
{
	int r1, r2;

	r1 = mkdir_p("/tmp");
	if (!r1)
		r1 = test_memcg_v1();
	if (!r1)
		return;
	r2 = test_memcg_v2();
	if (r2)
		skip("no memory cgroup: v1 %s, v2 %s", strerror(-r1), strerror(-r2));
}

static void test_graphs_per_user(void)
{
	struct gspec g = { .cluster = BIG, .cost_ns = MS, .name = "many" };
	static int fds[GRAPHS_PER_UID / 64 + 2];
	unsigned int nfd = 0, i = 0;
	long r = 0;

	while (nfd < sizeof(fds) / sizeof(fds[0])) {
		if (i % 64 == 0)
			fds[nfd++] = dev_open();
		r = graph_new(fds[nfd - 1], &g, NULL);
		if (r)
			break;
		i++;
	}
	ok(r == -EMFILE && i == GRAPHS_PER_UID,
	   "a user's graphs are bounded across its files: EMFILE after %u (%ld)", i, r);
	while (nfd)
		close(fds[--nfd]);
	fds[0] = dev_open();
	ok_errno(graph_new(fds[0], &g, NULL), 0, "closing the files gives the user its quota back");
	close(fds[0]);
}

/* ------------------------------------------------------------------------
 * Item 5: time namespaces.
 */

#define TIMENS_OFFSET_S	1000

static int timens_child(void)
{
	struct gspec g = { .cluster = LITTLE, .cost_ns = MS, .name = "timens" };
	struct edgeai_job_submit s = { .size = sizeof(s), .priority = EDGEAI_PRIO_NORMAL,
		.flags = EDGEAI_SUBMIT_STRICT, .buf_fds = (uintptr_t)&buf_fd, .nr_buffers = 1 };
	struct edgeai_job_wait w = { .size = sizeof(w), .flags = EDGEAI_WAIT_TIMEOUT };
	int fd = dev_open(), fails = 0;
	uint64_t t0, el;
	long r;

	s.graph_id = graph_or_die(fd, &g);
	s.deadline_ns = now_ns() - 1000 * MS;
	r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);
	fails += !ok(r == -ETIME, "in a time namespace 1000 s ahead, a deadline 1 s ago is past (%ld)",
		     r);
	s.job_id = 0;
	s.est_finish_ns = 0;
	s.deadline_ns = now_ns() + 5000 * MS;
	t0 = now_ns();
	r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);
	fails += !ok(!r && s.est_finish_ns >= t0 && s.est_finish_ns < t0 + 5000 * MS,
		     "a deadline 5 s ahead is admitted, the estimated finish on the caller's clock (%ld)",
		     r);
	w.job_id = s.job_id;
	w.timeout_ns = now_ns() + 200 * MS;
	alarm(5);
	r = xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, &w);
	el = now_ns() - t0;
	alarm(0);
	fails += !ok(r == -ETIMEDOUT && el >= 150 * MS && el < 3000 * MS,
		     "a wait's timeout 200 ms ahead on the caller's clock ends it (%ld after %llu ms)",
		     r, (unsigned long long)(el / MS));
	{
		struct edgeai_job_cancel c = { .size = sizeof(c), .job_id = s.job_id };
		struct edgeai_job_wait d = { .size = sizeof(d), .job_id = s.job_id };

		xioctl(fd, EDGEAI_IOCTL_JOB_CANCEL, &c);
		alarm(5);
		r = s.job_id ? xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, &d) : -ENOENT;
		alarm(0);
		el = now_ns();
		fails += !ok(!r && d.submit_ns >= t0 && d.submit_ns <= el &&
			     d.deadline_ns == s.deadline_ns,
			     "JOB_WAIT reports submit time and deadline on the caller's clock");
	}
	close(fd);
	return fails;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_timens(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int efd, status;
	char off[64];
	pid_t pid;

	if (unshare(CLONE_NEWTIME)) {
		skip("no time namespaces: %s", strerror(errno));
		return;
	}
	snprintf(off, sizeof(off), "%d %d 0", CLOCK_MONOTONIC, TIMENS_OFFSET_S);
	if (write_file("/proc/self/timens_offsets", off)) {
		skip("cannot set the time namespace's offset");
		return;
	}
	/* An executor, so that admission has somewhere to run the stage. */
	efd = exec_open(LITTLE);
	sigaction(SIGALRM, &sa, NULL);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		uint64_t host = 0;

		/* The child lives in the new namespace. */
		host = now_ns();
		printf("# the child's CLOCK_MONOTONIC: %llu s\n",
		       (unsigned long long)(host / 1000 / MS));
		_exit(timens_child());
	}
	waitpid(pid, &status, 0);
	/* The child's checks were printed by it; count them here. */
	tap_count += 4;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		tap_failed++;
	close(efd);
}

int main(void)
{
	struct stat st;
	struct rlimit rl = { 8192, 8192 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	setrlimit(RLIMIT_NOFILE, &rl);
	if (stat(DEV_PATH, &st) || chmod(DEV_PATH, 0666)) {
		perror(DEV_PATH);
		return 2;
	}
	buf_fd = edgeai_buffer_create("trust", 64);
	test_wait_ns();
	test_measured_costs();
	test_missed_deadline();
	test_stage_speeds();
	test_fair_share();
	test_aging();
	test_aging_own();
	test_graphs_per_user();
	test_memcg();
	test_timens();
	chmod(DEV_PATH, st.st_mode & 07777);
	return tap_done();
}
