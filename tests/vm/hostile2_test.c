// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile tests, second round, of the paths hostile_test does not attack,
 * as an outside tester would write them, in the VM:
 *  - a malicious executor: EXEC_COMPLETE with a task id it does not hold
 *    (0, the next one, another executor's), with status, flag and reserved
 *    values out of range, twice, from a file that is no executor; the
 *    stage it holds survives every refused call;
 *  - two executors of one cluster racing fetches of one stage: one gets
 *    it, the other EAGAIN;
 *  - a wake-up for a queued stage taken by a thread of a busy executor is
 *    not lost: another executor sleeping in EXEC_FETCH gets the stage;
 *  - EXEC_FETCH with the buf_fds array on a read-only page (EFAULT) or too
 *    short (ENOBUFS): no descriptor leaks, the stage is fetched again;
 *  - an executor closed mid-stage while the owner waits (the stage runs
 *    again, then the job ends EXEC_LOST past max_retries); the owner
 *    cancelling or closing while an executor holds its stage;
 *  - GRAPH_DESTROY while jobs of it are queued, running, finished and
 *    not collected, or being collected; JOB_SUBMIT racing GRAPH_DESTROY
 *    of the same id;
 *  - sysfs writes (mode, governor, setspeed, max_wait_ms, fair_quantum_us)
 *    and CLUSTER_SET_MODEL racing submissions and fetches, values at and
 *    past their bounds;
 *  - governor writes racing each other: the GOVERNOR_CHANGE events come
 *    in the order of the changes (each one's old governor the previous
 *    one's new, the last one's new the governor in force);
 *  - an executor's file closed last by another process: its EXEC_DETACH
 *    event names the process that attached it, as EXEC_ATTACH did;
 *  - GET_JOB netlink dumps while jobs and files churn (every job that
 *    lives throughout is dumped exactly once), a malformed request, a
 *    reader in a time namespace of its own (times on its clock);
 *  - rmmod while files are open is refused; right after the last one
 *    closed it unloads cleanly (and the module is loaded again);
 *  - the kernel log stays clean (no WARN, BUG, KASAN, lockdep report).
 *
 * The test is the executor of both its virtual clusters.  Loaded with
 * tests/vm/hostile2_test.modparams.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
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

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/child.h"
#include "../lib/exec.h"
#include "../lib/leaks.h"
#include "../lib/tap.h"
#include "../lib/util.h"

/* From the modparams file: two clusters, a stage lost once runs again. */
#define CL0		0
#define CL1		1
#define MOD_RETRIES	1
#define NR_BUFS		2
#define BUF_SIZE	4096
#define PAGE		4096
#define MAX_ERRNO	4095

static int dev, bufs[NR_BUFS];

/* ---------------------------------------------------------------- helpers */

/* One stage on @cl reading buffer 0 and writing buffer 1. */
static uint32_t graph_on(int fd, uint32_t cl)
{
	struct edgeai_stage st = { .cluster_id = cl, .nr_layers = 1,
		.cost_ns = MS, .in_mask = 1, .out_mask = 2 };
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 1, .stages = (uintptr_t)&st,
		.stage_size = sizeof(st), .nr_buffers = NR_BUFS,
		.name = "hostile2" };

	if (xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g)) {
		perror("graph");
		exit(2);
	}
	return g.graph_id;
}

static long graph_destroy(int fd, uint32_t id)
{
	struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = id };

	return xioctl(fd, EDGEAI_IOCTL_GRAPH_DESTROY, &d);
}

static long submit(int fd, uint32_t g, uint64_t *job)
{
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = g,
		.priority = EDGEAI_PRIO_NORMAL, .nr_buffers = NR_BUFS };
	int fds[NR_BUFS] = { bufs[0], bufs[1] };
	long r;

	s.buf_fds = (uintptr_t)fds;
	r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);
	if (!r && job)
		*job = s.job_id;
	return r;
}

/* JOB_WAIT for @id: blocking for up to 20 s, or not at all. */
static long job_wait(int fd, uint64_t id, bool block, struct edgeai_job_wait *w)
{
	*w = (struct edgeai_job_wait){ .size = sizeof(*w), .job_id = id,
		.flags = block ? EDGEAI_WAIT_TIMEOUT : EDGEAI_WAIT_NONBLOCK };
	if (block)
		w->timeout_ns = now_ns() + 20000 * MS;
	return xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, w);
}

/* The status @id ended with, or -errno. */
static long job_status(int fd, uint64_t id)
{
	struct edgeai_job_wait w;
	long r = job_wait(fd, id, true, &w);

	return r ? r : (long)w.status;
}

static long fetch_into(int fd, struct edgeai_exec_fetch *f, int *fds,
		       uint32_t cap)
{
	*f = (struct edgeai_exec_fetch){ .size = sizeof(*f),
		.buf_fds = (uintptr_t)fds, .buf_fds_cap = cap };
	return xioctl(fd, EDGEAI_IOCTL_EXEC_FETCH, f);
}

static long complete_full(int fd, const struct edgeai_exec_complete *in)
{
	struct edgeai_exec_complete c = *in;

	c.size = sizeof(c);
	return xioctl(fd, EDGEAI_IOCTL_EXEC_COMPLETE, &c);
}

static long complete(int fd, uint64_t task)
{
	return complete_full(fd, &(struct edgeai_exec_complete){
			     .task_id = task });
}

static long write_cl(const char *attr, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), SYS_CLUSTERS "c0/%s", attr);
	return write_file(path, val);
}

#define PARAM(name)	"/sys/module/edgeai/parameters/" name

/* ------------------------------------------------- a malicious executor */

static void test_bad_complete(int ea, int eb, int ec)
{
	uint32_t g0 = graph_on(dev, CL0), g1 = graph_on(dev, CL1);
	struct edgeai_exec_fetch fa, fc;
	struct edgeai_job_wait w;
	uint64_t j0, j1;
	long r;

	if (submit(dev, g0, &j0) || submit(dev, g1, &j1) ||
	    exec_fetch_close(ea, &fa) || exec_fetch_close(ec, &fc)) {
		ok(0, "jobs on both clusters are fetched");
		return;
	}
	ok_errno(complete(ea, 0), -ENOENT, "EXEC_COMPLETE of task 0: ENOENT");
	ok_errno(complete(ea, fa.task_id + 1), -ENOENT,
		 "EXEC_COMPLETE of the task after the held one: ENOENT");
	ok_errno(complete(eb, fa.task_id), -ENOENT,
		 "an idle executor of the same cluster completes another's task: ENOENT");
	ok_errno(complete(dev, fa.task_id), -EINVAL,
		 "a file that is no executor completes a task: EINVAL");
	ok_errno(complete_full(ea, &(struct edgeai_exec_complete){
		 .task_id = fa.task_id, .status = 1 }), -EINVAL,
		 "a positive status: EINVAL");
	ok_errno(complete_full(ea, &(struct edgeai_exec_complete){
		 .task_id = fa.task_id, .status = -MAX_ERRNO - 1 }), -EINVAL,
		 "a status below -MAX_ERRNO: EINVAL");
	ok_errno(complete_full(ea, &(struct edgeai_exec_complete){
		 .task_id = fa.task_id, .status = INT32_MIN }), -EINVAL,
		 "status INT32_MIN: EINVAL");
	ok_errno(complete_full(ea, &(struct edgeai_exec_complete){
		 .task_id = fa.task_id, .flags = 1u << 31 }), -EINVAL,
		 "an unknown flag: EINVAL");
	ok_errno(complete_full(ea, &(struct edgeai_exec_complete){
		 .task_id = fa.task_id, .__reserved = 1 }), -EINVAL,
		 "a reserved field set: EINVAL");
	ok_errno(complete_full(ea, &(struct edgeai_exec_complete){
		 .task_id = fa.task_id, .flags = EDGEAI_COMPLETE_EOS }), -EINVAL,
		 "EOS on a stage that is no token step: EINVAL");
	r = job_wait(dev, j0, false, &w);
	ok(r == -EAGAIN, "after all that the job still runs (wait: %ld)", r);

	/* Out-of-range figures are the executor's to report: kept as given. */
	ok_errno(complete_full(ea, &(struct edgeai_exec_complete){
		 .task_id = fa.task_id, .status = -MAX_ERRNO,
		 .exec_ns = UINT64_MAX, .energy_uj = 1234 }), 0,
		 "status -MAX_ERRNO with exec_ns UINT64_MAX: accepted");
	ok_errno(complete(ea, fa.task_id), -ENOENT, "the same task again: ENOENT");
	r = job_wait(dev, j0, true, &w);
	ok(!r && w.status == EDGEAI_JOB_FAILED && w.error == -MAX_ERRNO &&
	   w.energy_uj == 1234,
	   "the job failed with that status and energy (%ld, status %u, error %d, %llu uJ)",
	   r, w.status, w.error, (unsigned long long)w.energy_uj);
	ok_errno(complete(ec, fc.task_id), 0,
		 "the other cluster's stage completes on its own executor");
	ok(job_status(dev, j1) == EDGEAI_JOB_DONE, "... and its job is done");
	graph_destroy(dev, g0);
	graph_destroy(dev, g1);
}

/*
 * Energy is the executor's figure, any u64: a job's total and the
 * cluster's counter saturate at UINT64_MAX instead of wrapping round.
 */
static void test_energy_saturates(int ec)
{
	struct edgeai_stage st[2] = {
		{ .cluster_id = CL1, .nr_layers = 1, .cost_ns = MS, .in_mask = 1, .out_mask = 2 },
		{ .cluster_id = CL1, .first_layer = 1, .nr_layers = 1, .cost_ns = MS,
		  .in_mask = 2, .out_mask = 2 },
	};
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 2, .stages = (uintptr_t)st, .stage_size = sizeof(st[0]),
		.nr_buffers = NR_BUFS, .name = "energy" };
	struct edgeai_exec_fetch f;
	struct edgeai_job_wait w;
	unsigned long long cl;
	uint64_t job;
	char *txt;
	long r;
	int i;

	if (xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g) || submit(dev, g.graph_id, &job)) {
		ok(0, "a two-stage job on c1");
		return;
	}
	for (i = 0; i < 2; i++)
		if (exec_fetch_close(ec, &f) ||
		    complete_full(ec, &(struct edgeai_exec_complete){
				  .task_id = f.task_id, .energy_uj = UINT64_MAX - 10 }))
			break;
	r = i == 2 ? job_wait(dev, job, true, &w) : -1;
	ok(!r && w.status == EDGEAI_JOB_DONE && w.energy_uj == UINT64_MAX,
	   "two stages reporting UINT64_MAX - 10 uJ each: the job's energy is UINT64_MAX (%llu)",
	   (unsigned long long)w.energy_uj);
	txt = read_text(SYS_CLUSTERS "c1/energy_uj");
	cl = txt ? strtoull(txt, NULL, 10) : 0;
	free(txt);
	ok(cl == UINT64_MAX, "and c1's energy_uj counter stays at UINT64_MAX (%llu)", cl);
	graph_destroy(dev, g.graph_id);
}

/* Run @fa(@a) and @fb(@b) on two threads, both let go at once by @go. */
static void race(void *(*fa)(void *), void *a, void *(*fb)(void *), void *b,
		 atomic_int *go)
{
	pthread_t ta, tb;

	pthread_create(&ta, NULL, fa, a);
	pthread_create(&tb, NULL, fb, b);
	atomic_store(go, 1);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
}

struct call {
	int fd;
	long ret;
	struct edgeai_exec_fetch f;
	atomic_int *go;
};

static void *fetch_fn(void *arg)
{
	struct call *c = arg;

	while (!atomic_load(c->go))
		;
	c->ret = exec_fetch_close(c->fd, &c->f);
	return NULL;
}

static void test_fetch_race(int ea, int eb)
{
	uint32_t g = graph_on(dev, CL0);
	unsigned int i, bad = 0, rounds = 100;

	for (i = 0; i < rounds; i++) {
		atomic_int go = 0;
		struct call a = { .fd = ea, .go = &go }, b = { .fd = eb, .go = &go };
		struct call *won;
		uint64_t job;

		if (submit(dev, g, &job))
			exit(2);
		race(fetch_fn, &a, fetch_fn, &b, &go);
		if (!a.ret && b.ret == -EAGAIN) {
			won = &a;
		} else if (!b.ret && a.ret == -EAGAIN) {
			won = &b;
		} else {
			bad++;
			diag("round %u: fetches %ld and %ld", i, a.ret, b.ret);
			exec_run_all(ea);
			exec_run_all(eb);
			job_status(dev, job);
			continue;
		}
		if (complete(won->fd, won->f.task_id) ||
		    job_status(dev, job) != EDGEAI_JOB_DONE)
			bad++;
	}
	ok(!bad, "%u times two executors of a cluster fetched one stage at once: one got it, the other EAGAIN, the job done (%u bad)",
	   rounds, bad);
	graph_destroy(dev, g);
}

/* A blocking EXEC_FETCH in a thread, its result and when it returned. */
struct sleeper {
	int fd;
	long ret;
	struct edgeai_exec_fetch f;
	atomic_int done;
};

static void *sleeper_fn(void *arg)
{
	struct sleeper *sl = arg;

	sl->ret = exec_fetch_close(sl->fd, &sl->f);
	atomic_store(&sl->done, 1);
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* Whether @sl returned within @ms. */
static bool returned_within(struct sleeper *sl, unsigned int ms)
{
	uint64_t end = now_ns() + ms * MS;

	while (!atomic_load(&sl->done) && now_ns() < end)
		usleep(5000);
	return atomic_load(&sl->done);
}

/*
 * Executor file E1 has two threads asleep in EXEC_FETCH, executor E2 of
 * the same cluster one, in that order.  A first stage wakes E1's first
 * thread, which takes it; a second wakes E1's second thread, which
 * cannot take it (its file holds a stage: EBUSY).  That wake-up must
 * reach E2's thread, or the stage waits while an executor sleeps.
 */
static void test_busy_wakeup(int ea)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct sleeper t1 = { 0 }, t2 = { 0 }, t3 = { 0 };
	uint32_t g = graph_on(dev, CL0);
	struct edgeai_exec_attach a = { .size = sizeof(a), .cluster_id = CL0 };
	int e1 = dev_open(), e2 = dev_open();
	pthread_t p1, p2, p3;
	uint64_t j1, j2;
	bool got;

	sigaction(SIGUSR1, &sa, NULL);
	if (xioctl(e1, EDGEAI_IOCTL_EXEC_ATTACH, &a) ||
	    xioctl(e2, EDGEAI_IOCTL_EXEC_ATTACH, &a))
		exit(2);
	t1.fd = e1;
	t2.fd = e1;
	t3.fd = e2;
	pthread_create(&p1, NULL, sleeper_fn, &t1);
	usleep(200000);
	pthread_create(&p2, NULL, sleeper_fn, &t2);
	usleep(200000);
	pthread_create(&p3, NULL, sleeper_fn, &t3);
	usleep(200000);
	if (submit(dev, g, &j1))
		exit(2);
	got = returned_within(&t1, 2000);
	usleep(100000);
	ok(got && !t1.ret && !atomic_load(&t2.done) && !atomic_load(&t3.done),
	   "the first stage goes to the first executor thread asleep (%s, %ld)",
	   got ? "returned" : "still asleep", t1.ret);
	if (submit(dev, g, &j2))
		exit(2);
	got = returned_within(&t3, 2000);
	ok(got && !t3.ret,
	   "the second stage reaches the other executor, though the first one's second thread woke and could not take it (%s, %ld; that thread: %ld)",
	   got ? "returned" : "still asleep", t3.ret, t2.ret);
	/* Whoever still sleeps is interrupted; what was fetched completes. */
	if (!atomic_load(&t2.done))
		pthread_kill(p2, SIGUSR1);
	if (!atomic_load(&t3.done))
		pthread_kill(p3, SIGUSR1);
	pthread_join(p1, NULL);
	pthread_join(p2, NULL);
	pthread_join(p3, NULL);
	if (!t1.ret)
		complete(e1, t1.f.task_id);
	if (!t2.ret)
		complete(e1, t2.f.task_id);
	if (!t3.ret)
		complete(e2, t3.f.task_id);
	close(e1);
	close(e2);
	exec_run_all(ea);
	ok(job_status(dev, j1) == EDGEAI_JOB_DONE &&
	   job_status(dev, j2) == EDGEAI_JOB_DONE, "... both jobs are done");
	graph_destroy(dev, g);
}

static void test_fetch_faults(int ea)
{
	uint32_t g = graph_on(dev, CL0);
	struct edgeai_exec_fetch f;
	unsigned int nfd = open_fds();
	uint64_t job;
	int *ro, fds[NR_BUFS];
	long r;

	if (submit(dev, g, &job))
		exit(2);
	ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED)
		exit(2);
	r = fetch_into(ea, &f, ro, NR_BUFS);
	ok(r == -EFAULT, "EXEC_FETCH with buf_fds on a read-only page: EFAULT (%ld)", r);
	ok(open_fds() == nfd, "... no descriptor was installed (%u, was %u)",
	   open_fds(), nfd);
	r = fetch_into(ea, &f, fds, 1);
	ok(r == -ENOBUFS, "EXEC_FETCH with room for 1 of 2 buffer fds: ENOBUFS (%ld)", r);
	ok(open_fds() == nfd, "... no descriptor was installed (%u, was %u)",
	   open_fds(), nfd);
	r = exec_fetch_close(ea, &f);
	ok(!r && f.nr_buffers == NR_BUFS, "the stage is fetched again (%ld)", r);
	if (!r)
		complete(ea, f.task_id);
	r = job_status(dev, job);
	ok(r == EDGEAI_JOB_DONE, "its job is done (%ld)", r);
	munmap(ro, PAGE);
	graph_destroy(dev, g);
}

struct waiter {
	int fd;
	uint64_t job;
	long ret;
	struct edgeai_job_wait w;
};

static void *waiter_fn(void *arg)
{
	struct waiter *wt = arg;

	wt->ret = job_wait(wt->fd, wt->job, true, &wt->w);
	return NULL;
}

/* Executors closed mid-stage while the owner waits, cancels, closes. */
static void test_exec_close(int *ea)
{
	uint32_t g = graph_on(dev, CL0);
	struct edgeai_exec_fetch f;
	struct waiter wt = { .fd = dev };
	long long live_j = stat_of("live_jobs");
	unsigned int i;
	pthread_t t;
	int own, og;
	uint64_t job;
	long r;

	if (submit(dev, g, &wt.job))
		exit(2);
	pthread_create(&t, NULL, waiter_fn, &wt);
	for (i = 0; i <= MOD_RETRIES; i++) {
		r = exec_fetch_close(*ea, &f);
		if (r) {
			ok(0, "fetch %u of the stage (%ld)", i, r);
			break;
		}
		usleep(20000);
		close(*ea);
		*ea = exec_open_nonblock(CL0);
	}
	pthread_join(t, NULL);
	ok(!wt.ret && wt.w.status == EDGEAI_JOB_EXEC_LOST &&
	   wt.w.retries == MOD_RETRIES,
	   "executors closed mid-stage %u times: the waiting owner sees EXEC_LOST after %u retries (%ld, status %u, retries %u)",
	   MOD_RETRIES + 1, MOD_RETRIES, wt.ret, wt.w.status, wt.w.retries);

	/* The owner cancels, then the executor closes. */
	if (submit(dev, g, &job) || exec_fetch_close(*ea, &f))
		exit(2);
	ok_errno(job_cancel(dev, job), 0, "the owner cancels a job whose stage an executor holds");
	close(*ea);
	*ea = exec_open_nonblock(CL0);
	r = job_status(dev, job);
	ok(r == EDGEAI_JOB_CANCELLED, "... the executor closes: the job ends cancelled (%ld)", r);
	ok(exec_fetch_close(*ea, &f) == -EAGAIN, "... and is not queued again");

	/* The owner cancels, then the executor completes. */
	if (submit(dev, g, &job) || exec_fetch_close(*ea, &f))
		exit(2);
	job_cancel(dev, job);
	ok_errno(complete(*ea, f.task_id), 0, "a cancelled job's stage completes");
	r = job_status(dev, job);
	ok(r == EDGEAI_JOB_CANCELLED, "... the job ends cancelled (%ld)", r);

	/* The owner closes while the stage runs, then the executor. */
	own = dev_open();
	og = graph_on(own, CL0);
	if (submit(own, og, &job) || exec_fetch_close(*ea, &f))
		exit(2);
	close(own);
	ok(live_settle("live_jobs", live_j + 1) == live_j + 1,
	   "the owner closed: its job lives while the executor holds it");
	ok_errno(complete(*ea, f.task_id), 0, "... the executor completes it");
	ok(live_settle("live_jobs", live_j) == live_j,
	   "... and then it is freed");

	own = dev_open();
	og = graph_on(own, CL0);
	if (submit(own, og, &job) || exec_fetch_close(*ea, &f))
		exit(2);
	close(own);
	close(*ea);
	*ea = exec_open_nonblock(CL0);
	ok(live_settle("live_jobs", live_j) == live_j &&
	   exec_fetch_close(*ea, &f) == -EAGAIN,
	   "owner and then executor closed mid-stage: the job is freed, not queued again");
	graph_destroy(dev, g);
}

/* ------------------------------------------------------ graph lifetime */

static void test_graph_destroy(int ea)
{
	long long live_g = stat_of("live_graphs");
	uint32_t g = graph_on(dev, CL0);
	struct edgeai_exec_fetch f;
	struct edgeai_job_wait w;
	uint64_t jr, jq, jd;
	long r;

	if (submit(dev, g, &jd) || exec_fetch_close(ea, &f) || complete(ea, f.task_id) ||
	    submit(dev, g, &jr) || exec_fetch_close(ea, &f) || submit(dev, g, &jq))
		exit(2);
	ok_errno(graph_destroy(dev, g), 0,
		 "GRAPH_DESTROY with one job finished, one running, one queued");
	ok_errno(graph_destroy(dev, g), -ENOENT, "... a second GRAPH_DESTROY: ENOENT");
	ok_errno(submit(dev, g, NULL), -ENOENT, "... JOB_SUBMIT on the id: ENOENT");
	ok(stat_of("live_graphs") == live_g + 1,
	   "... the graph lives on for its jobs");
	ok_errno(complete(ea, f.task_id), 0, "... the running stage completes");
	r = exec_fetch_close(ea, &f);
	ok(!r, "... the queued stage is fetched (%ld)", r);
	if (!r)
		complete(ea, f.task_id);
	r = job_wait(dev, jd, false, &w);
	ok(!r && w.status == EDGEAI_JOB_DONE && w.graph_id == g,
	   "... the job finished before is collected with its graph id (%ld, %u)",
	   r, w.graph_id);
	ok(job_status(dev, jr) == EDGEAI_JOB_DONE &&
	   job_status(dev, jq) == EDGEAI_JOB_DONE,
	   "... the running and the queued job are done");
	ok(live_settle("live_graphs", live_g) == live_g,
	   "... and the graph is freed with its last job");
}

/* One side of a race on graph @g of file @fd, started by *@go. */
struct collector {
	int fd;
	uint64_t job;
	uint32_t g;
	atomic_int *go;
	long ret;
	struct edgeai_job_wait w;
};

static void *collect_fn(void *arg)
{
	struct collector *c = arg;

	while (!atomic_load(c->go))
		;
	c->ret = job_wait(c->fd, c->job, false, &c->w);
	return NULL;
}

static void *destroy_graph_fn(void *arg)
{
	struct collector *c = arg;

	while (!atomic_load(c->go))
		;
	c->ret = graph_destroy(c->fd, c->g);
	return NULL;
}

/* A finished job is collected while its graph is destroyed, many times. */
static void test_collect_destroy_race(int ea)
{
	long long live_g = stat_of("live_graphs");
	unsigned int i, bad = 0, rounds = 100;

	for (i = 0; i < rounds; i++) {
		atomic_int go = 0;
		struct collector c = { .fd = dev, .go = &go }, d;
		struct edgeai_exec_fetch f;

		c.g = graph_on(dev, CL0);
		if (submit(dev, c.g, &c.job) || exec_fetch_close(ea, &f) ||
		    complete(ea, f.task_id))
			exit(2);
		d = c;
		race(collect_fn, &c, destroy_graph_fn, &d, &go);
		if (c.ret || c.w.status != EDGEAI_JOB_DONE ||
		    c.w.graph_id != c.g || c.w.nr_stages != 1 || d.ret)
			bad++;
	}
	ok(!bad && live_settle("live_graphs", live_g) == live_g,
	   "%u times a finished job was collected while its graph was destroyed: both 0, the result whole, no graph left (%u bad)",
	   rounds, bad);
}

static void *submit_fn(void *arg)
{
	struct collector *s = arg;

	while (!atomic_load(s->go))
		;
	s->ret = submit(s->fd, s->g, &s->job);
	return NULL;
}

static void test_submit_destroy_race(int ea)
{
	long long live_g = stat_of("live_graphs"), live_j = stat_of("live_jobs");
	unsigned int i, bad = 0, won = 0, rounds = 200;

	for (i = 0; i < rounds; i++) {
		atomic_int go = 0;
		struct collector s = { .fd = dev, .go = &go }, d;

		s.g = graph_on(dev, CL0);
		d = s;
		race(submit_fn, &s, destroy_graph_fn, &d, &go);
		if (d.ret || (s.ret && s.ret != -ENOENT))
			bad++;
		if (!s.ret) {
			won++;
			exec_run_all(ea);
			if (job_status(dev, s.job) != EDGEAI_JOB_DONE)
				bad++;
		}
	}
	ok(!bad, "%u times JOB_SUBMIT raced GRAPH_DESTROY of its graph: the destroy 0, the submit 0 (%u times, the job done) or ENOENT (%u bad)",
	   rounds, won, bad);
	ok(live_settle("live_graphs", live_g) == live_g &&
	   live_settle("live_jobs", live_j) == live_j,
	   "... no graph or job is left");
}

/* ------------------------------------------------------ cluster control */

struct churn {
	atomic_int stop;
	atomic_uint writes;
	unsigned int bad;
};

static void *sysfs_churn(void *arg)
{
	static const char *const modes[] = { "exclusive", "shared" };
	static const char *const govs[] = { "performance", "powersave",
		"userspace", "deadline" };
	static const char *const waits[] = { "0", "1", "4294967295", "200" };
	static const char *const quanta[] = { "0", "1", "4294967295", "2000" };
	struct churn *ch = arg;
	uint32_t power[1] = { 1500 }, speed[1] = { 1024 };
	unsigned int i = 0;
	long r;

	while (!atomic_load(&ch->stop)) {
		struct edgeai_cluster_set_model m = { .size = sizeof(m),
			.cluster_id = CL0, .nr_steps = 1,
			.power_mw = (uintptr_t)power, .speed = (uintptr_t)speed,
			.idle_mw = i & 1 ? 0 : UINT32_MAX,
			.switch_up_us = i & 2 ? 0 : UINT32_MAX,
			.switch_down_us = i & 2 ? UINT32_MAX : 0 };

		if (write_cl("mode", modes[i % 2]) ||
		    write_cl("governor", govs[i % 4]) ||
		    write_file(PARAM("max_wait_ms"), waits[i % 4]) ||
		    write_file(PARAM("fair_quantum_us"), quanta[i % 4]))
			ch->bad++;
		r = write_cl("setspeed", "1000000");
		if (r != (i % 4 == 2 ? 0 : -EINVAL))
			ch->bad++;
		/* Power 0 is refused, power above what the model takes too. */
		power[0] = i & 4 ? 1 : 1500;
		r = xioctl(dev, EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m);
		if (r && r != -EINVAL)
			ch->bad++;
		atomic_fetch_add(&ch->writes, 1);
		i++;
	}
	return NULL;
}

static void test_control_race(int ea, int eb)
{
	uint32_t g = graph_on(dev, CL0);
	struct churn ch = { 0 };
	unsigned int i, done = 0, bad = 0, n = 300;
	struct edgeai_exec_fetch f;
	pthread_t t;
	char old_gov[64] = "", *s;
	uint64_t job;

	s = read_text(SYS_CLUSTERS "c0/governor");
	if (s) {
		snprintf(old_gov, sizeof(old_gov), "%s", s);
		free(s);
	}
	pthread_create(&t, NULL, sysfs_churn, &ch);
	/*
	 * At least n jobs, and on until the writer went through every
	 * combination of its values twice: on one host thread for both
	 * vCPUs the writer may not run at all while 300 jobs do.
	 */
	for (i = 0; i < n || (atomic_load(&ch.writes) < 16 && i < 100 * n); i++) {
		if (submit(dev, g, &job)) {
			bad++;
			continue;
		}
		if (exec_fetch_close(i & 1 ? ea : eb, &f) ||
		    complete(i & 1 ? ea : eb, f.task_id))
			bad++;
		if (job_status(dev, job) == EDGEAI_JOB_DONE)
			done++;
	}
	atomic_store(&ch.stop, 1);
	pthread_join(t, NULL);
	ok(!bad && done == i && ch.writes >= 16,
	   "%u jobs ran while mode, governor, setspeed, max_wait_ms, fair_quantum_us and the model changed %u times: all done (%u done, %u bad)",
	   i, atomic_load(&ch.writes), done, bad);
	ok(!ch.bad, "... every write at a bound was taken, setspeed only under userspace (%u bad)",
	   ch.bad);

	ok_errno(write_cl("mode", "bogus"), -EINVAL, "mode \"bogus\": EINVAL");
	ok_errno(write_cl("governor", "bogus"), -EINVAL, "governor \"bogus\": EINVAL");
	write_cl("governor", "userspace");
	ok_errno(write_cl("setspeed", "999999"), -EINVAL,
		 "setspeed below the lowest step: EINVAL");
	ok_errno(write_cl("setspeed", "1000001"), -EINVAL,
		 "setspeed above the highest step: EINVAL");
	ok_errno(write_cl("setspeed", "4294967296"), -EINVAL,
		 "setspeed past u32: EINVAL");
	ok_errno(write_file(PARAM("max_wait_ms"), "4294967296"), -ERANGE,
		 "max_wait_ms past u32: ERANGE");
	ok_errno(write_file(PARAM("max_wait_ms"), "-1"), -EINVAL,
		 "max_wait_ms -1: EINVAL");
	write_file(PARAM("max_wait_ms"), "200");
	write_file(PARAM("fair_quantum_us"), "2000");
	write_cl("mode", "shared");
	if (old_gov[0])
		write_cl("governor", old_gov);
	ok(!exec_run_all(ea) && !exec_run_all(eb), "nothing was left queued");
	graph_destroy(dev, g);
}

/* -------------------------------------------------------------- netlink */

#define MAX_DUMP	1024

struct dumped {
	uint64_t id, submit_ns, deadline_ns;
	uint32_t pid;
};

static int nl_fam = -1;

/* A GET_JOB dump into @out (up to MAX_DUMP): how many, or -errno. */
static int dump_jobs(struct dumped *out)
{
	static uint8_t buf[65536] __attribute__((aligned(4)));
	struct nlmsghdr *h = (void *)buf;
	struct genlmsghdr *g = NLMSG_DATA(h);
	int fd = nl_socket(), n = 0, len;
	bool done = false;

	if (fd < 0)
		return -errno;
	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	h->nlmsg_type = (uint16_t)nl_fam;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = 1;
	g->cmd = EDGEAI_NL_CMD_GET_JOB;
	g->version = EDGEAI_GENL_VERSION;
	if (send(fd, buf, h->nlmsg_len, 0) < 0) {
		n = -errno;
		goto out;
	}
	while (!done) {
		len = (int)recv(fd, buf, sizeof(buf), 0);
		if (len < 0) {
			n = -errno;
			break;
		}
		for (h = (void *)buf; NLMSG_OK(h, (unsigned int)len);
		     h = NLMSG_NEXT(h, len)) {
			const struct nlattr *a;
			struct dumped d = { 0 };
			int alen;

			if (h->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				n = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				done = true;
				break;
			}
			alen = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			a = (const void *)((uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN);
			for (; NLA_OK_(a, alen); NLA_NEXT_(a, alen)) {
				switch (a->nla_type & NLA_TYPE_MASK) {
				case EDGEAI_NL_A_JOB_ID:
					memcpy(&d.id, NLA_DATA_(a), 8);
					break;
				case EDGEAI_NL_A_SUBMIT_NS:
					memcpy(&d.submit_ns, NLA_DATA_(a), 8);
					break;
				case EDGEAI_NL_A_DEADLINE_NS:
					memcpy(&d.deadline_ns, NLA_DATA_(a), 8);
					break;
				case EDGEAI_NL_A_PID:
					memcpy(&d.pid, NLA_DATA_(a), 4);
					break;
				}
			}
			if (n >= 0 && n < MAX_DUMP)
				out[n++] = d;
		}
	}
out:
	close(fd);
	return n;
}

/* A GET_JOB request with a genetlink header cut short: the answer's errno. */
static int nl_short_request(void)
{
	uint8_t buf[4096] __attribute__((aligned(4)));
	struct nlmsghdr *h = (void *)buf;
	int fd = nl_socket(), r = 1;

	if (fd < 0)
		return -errno;
	memset(buf, 0, sizeof(buf));
	h->nlmsg_len = NLMSG_HDRLEN + 2;
	h->nlmsg_type = (uint16_t)nl_fam;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK;
	buf[NLMSG_HDRLEN] = EDGEAI_NL_CMD_GET_JOB;
	if (send(fd, buf, h->nlmsg_len, 0) >= 0 &&
	    recv(fd, buf, sizeof(buf), 0) > 0 && h->nlmsg_type == NLMSG_ERROR)
		r = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
	close(fd);
	return r;
}

/* Submits, runs and collects jobs on files it opens and closes. */
static void *job_churn(void *arg)
{
	struct churn *ch = arg;
	int ex = exec_open_nonblock(CL0);

	while (!atomic_load(&ch->stop)) {
		int fd = dev_open();
		uint32_t g = graph_on(fd, CL0);
		uint64_t job;
		int i;

		for (i = 0; i < 5; i++)
			if (submit(fd, g, &job))
				ch->bad++;
		exec_run_all(ex);
		if (job_status(fd, job) != EDGEAI_JOB_DONE)
			ch->bad++;
		close(fd);
		atomic_fetch_add(&ch->writes, 1);
	}
	close(ex);
	return NULL;
}

static void test_dump_churn(int ec)
{
	static struct dumped d[MAX_DUMP];
	enum { FILES = 3, PER_FILE = 40, DUMPS = 60 };
	uint64_t ids[FILES][PER_FILE];
	unsigned int i, k, bad = 0, seen, twice = 0, dumps = 0;
	int fds[FILES], f, n, r;
	struct churn ch = { 0 };
	pthread_t t;

	if (nl_family_of(EDGEAI_GENL_NAME, NULL, &nl_fam, &n, NULL, &n)) {
		skip("no edgeai netlink family");
		skip("no edgeai netlink family");
		return;
	}
	/* Jobs that live throughout: queued on the second cluster. */
	for (f = 0; f < FILES; f++) {
		uint32_t g;

		fds[f] = dev_open();
		g = graph_on(fds[f], CL1);
		for (i = 0; i < PER_FILE; i++)
			if (submit(fds[f], g, &ids[f][i]))
				exit(2);
	}
	pthread_create(&t, NULL, job_churn, &ch);
	/* On until files came and went a few times (see test_control_race). */
	for (k = 0; k < DUMPS || (atomic_load(&ch.writes) < 4 && k < 100 * DUMPS);
	     k++) {
		n = dump_jobs(d);
		if (n < 0) {
			bad++;
			continue;
		}
		dumps++;
		for (i = 0; i < (unsigned int)n; i++)
			for (r = i + 1; r < n; r++)
				if (d[i].id == d[r].id && d[i].pid == d[r].pid &&
				    d[i].submit_ns == d[r].submit_ns)
					twice++;
		for (f = 0; f < FILES; f++) {
			for (i = 0; i < PER_FILE; i++) {
				seen = 0;
				for (r = 0; r < n; r++)
					seen += d[r].id == ids[f][i] &&
						d[r].pid == (uint32_t)getpid();
				/* Ids repeat across files: at least one each. */
				if (!seen)
					bad++;
			}
		}
	}
	atomic_store(&ch.stop, 1);
	pthread_join(t, NULL);
	ok(dumps == k && ch.writes >= 4 && !bad,
	   "%u GET_JOB dumps while %u files came and went: each of %u long-lived jobs in every one (%u missing)",
	   dumps, atomic_load(&ch.writes), FILES * PER_FILE, bad);
	ok(!twice, "... and no job twice in one dump (%u)", twice);
	ok(!ch.bad, "... the churning jobs all done (%u bad)", ch.bad);
	r = nl_short_request();
	ok(r < 0, "a GET_JOB request cut short in its genetlink header: an error (%d)", r);
	for (f = 0; f < FILES; f++)
		close(fds[f]);
	ok(!exec_run_all(ec), "the long-lived jobs went with their files");
}

#define TIMENS_OFFSET_S	100000

struct timens_result {
	long submit, dump;
	uint64_t before, after, deadline;
	struct dumped mine;
};

/* In the time namespace: a job, then a dump of it. */
static void timens_client(int out)
{
	static struct dumped d[MAX_DUMP];
	struct timens_result res = { 0 };
	int fd = dev_open(), n, i;
	uint32_t g = graph_on(fd, CL1);
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = g,
		.priority = EDGEAI_PRIO_NORMAL, .nr_buffers = NR_BUFS };
	int bfds[NR_BUFS] = { bufs[0], bufs[1] };

	s.buf_fds = (uintptr_t)bfds;
	res.before = now_ns();
	res.deadline = res.before + 5000 * MS;
	s.deadline_ns = res.deadline;
	res.submit = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);
	res.after = now_ns();
	n = dump_jobs(d);
	res.dump = n < 0 ? n : -ENOENT;
	for (i = 0; i < n; i++) {
		if (d[i].pid == (uint32_t)getpid() && d[i].id == s.job_id) {
			res.mine = d[i];
			res.dump = 0;
		}
	}
	if (write(out, &res, sizeof(res)) != sizeof(res))
		_exit(4);
	_exit(0);
}

/*
 * A reader in a time namespace whose CLOCK_MONOTONIC runs 10^5 s ahead
 * dumps its own job: the dump answers it alone, so its times are on the
 * reader's clock, as JOB_WAIT's are (only events use the host's).
 */
static void test_dump_timens(int ec)
{
	struct timens_result res = { 0 };
	int p[2], status = -1;
	pid_t pid;

	if (nl_fam < 0 || access("/proc/self/timens_offsets", F_OK)) {
		skip("no time namespaces or netlink family");
		return;
	}
	if (pipe(p))
		exit(2);
	pid = timens_spawn(TIMENS_OFFSET_S, timens_client, p[1]);
	close(p[1]);
	if (read(p[0], &res, sizeof(res)) != sizeof(res))
		res.submit = -1;
	close(p[0]);
	waitpid(pid, &status, 0);
	ok(!res.submit && !res.dump && res.before >= (uint64_t)TIMENS_OFFSET_S * 1000 * MS &&
	   res.mine.submit_ns >= res.before && res.mine.submit_ns <= res.after &&
	   res.mine.deadline_ns == res.deadline,
	   "time namespace: a GET_JOB dump gives the reader's own job's submit time and deadline on its clock (%ld, %ld; submit %+lld ms, deadline %+lld ms)",
	   res.submit, res.dump,
	   (long long)(res.mine.submit_ns - res.before) / (long long)MS,
	   (long long)(res.mine.deadline_ns - res.deadline) / (long long)MS);
	exec_run_all(ec);
}

struct gov_writer {
	const char *a, *b;
	unsigned int n, bad;
};

static void *gov_writer_fn(void *arg)
{
	struct gov_writer *w = arg;
	unsigned int i;

	for (i = 0; i < w->n; i++)
		if (write_cl("governor", i & 1 ? w->b : w->a))
			w->bad++;
	return NULL;
}

/* The next GOVERNOR_CHANGE of cluster c0 on @fd: 1, or 0 when none is left. */
static int next_gov_event(int fd, char *old, char *new, size_t len)
{
	static uint8_t buf[65536] __attribute__((aligned(4)));
	static int have, off;
	struct nlmsghdr *h;

	for (;;) {
		if (off >= have) {
			have = (int)recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			off = 0;
			if (have <= 0) {
				have = 0;
				return 0;
			}
		}
		h = (void *)(buf + off);
		if (!NLMSG_OK(h, (unsigned int)(have - off))) {
			off = have;
			continue;
		}
		off += NLMSG_ALIGN(h->nlmsg_len);
		if (h->nlmsg_type == (uint16_t)nl_fam &&
		    ((struct genlmsghdr *)NLMSG_DATA(h))->cmd ==
		    EDGEAI_NL_CMD_GOVERNOR_CHANGE) {
			const struct nlattr *a = (const void *)
				((uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN);
			int alen = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			bool c0 = false;

			*old = *new = 0;
			for (; NLA_OK_(a, alen); NLA_NEXT_(a, alen)) {
				const char *v = (const char *)NLA_DATA_(a);

				switch (a->nla_type & NLA_TYPE_MASK) {
				case EDGEAI_NL_A_CLUSTER_NAME:
					c0 = !strcmp(v, "c0");
					break;
				case EDGEAI_NL_A_GOVERNOR_OLD:
					snprintf(old, len, "%s", v);
					break;
				case EDGEAI_NL_A_GOVERNOR:
					snprintf(new, len, "%s", v);
					break;
				}
			}
			if (c0)
				return 1;
		}
	}
}

/*
 * A netlink socket on the module's events group, with a receive buffer
 * of @rcvbuf bytes (0: the default); -1 after a SKIP when there is none.
 */
static int events_open(int rcvbuf)
{
	int fd = nl_socket(), fam, grp = -1, dummy;

	if (fd < 0 || nl_family_of(EDGEAI_GENL_NAME, EDGEAI_NL_MCGRP_EVENTS,
				   &fam, &grp, NULL, &dummy) || grp < 0 ||
	    (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
				  sizeof(rcvbuf))) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp))) {
		skip("no events group: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void test_gov_events(void)
{
	struct gov_writer w1 = { "performance", "powersave", 300, 0 },
			  w2 = { "userspace", "deadline", 300, 0 };
	char old[32], new[32], prev[32] = "", *now;
	unsigned int events = 0, broken = 0;
	int fd = events_open(4 << 20);
	pthread_t t1, t2;
	bool last_ok;

	if (fd < 0)
		return;
	write_cl("governor", "performance");
	while (next_gov_event(fd, old, new, sizeof(old)))
		;
	snprintf(prev, sizeof(prev), "performance");
	pthread_create(&t1, NULL, gov_writer_fn, &w1);
	pthread_create(&t2, NULL, gov_writer_fn, &w2);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	usleep(100000);
	while (next_gov_event(fd, old, new, sizeof(old))) {
		if (strcmp(old, prev)) {
			if (broken++ < 3)
				diag("event %u: %s -> %s after one to %s",
				     events, old, new, prev);
		}
		snprintf(prev, sizeof(prev), "%s", new);
		events++;
	}
	close(fd);
	now = read_text(SYS_CLUSTERS "c0/governor");
	if (now)
		now[strcspn(now, "\n")] = 0;
	last_ok = now && !strcmp(now, prev);
	ok(events && !broken && last_ok && !w1.bad && !w2.bad,
	   "%u GOVERNOR_CHANGE events of two racing writers come in order: each one's old governor the last one's new (%u not), the last one's new in force (%s, sysfs %s)",
	   events, broken, prev, now ? now : "?");
	free(now);
	write_cl("governor", "performance");
}

/* The PID of the next event @cmd of cluster @cl on @fd within 2 s, or -1. */
static long next_exec_event(int fd, uint8_t cmd, const char *cl)
{
	uint8_t buf[8192] __attribute__((aligned(4)));
	uint64_t end = now_ns() + 2000 * MS;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct nlmsghdr *h;
	int len;

	while (now_ns() < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		len = (int)recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (len <= 0)
			continue;
		for (h = (void *)buf; NLMSG_OK(h, (unsigned int)len);
		     h = NLMSG_NEXT(h, len)) {
			const struct nlattr *a = (const void *)
				((uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN);
			int alen = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			bool mine = false;
			long pid = -1;

			if (h->nlmsg_type != (uint16_t)nl_fam ||
			    ((struct genlmsghdr *)NLMSG_DATA(h))->cmd != cmd)
				continue;
			for (; NLA_OK_(a, alen); NLA_NEXT_(a, alen)) {
				if ((a->nla_type & NLA_TYPE_MASK) ==
				    EDGEAI_NL_A_CLUSTER_NAME)
					mine = !strcmp((const char *)NLA_DATA_(a), cl);
				if ((a->nla_type & NLA_TYPE_MASK) ==
				    EDGEAI_NL_A_PID) {
					uint32_t v;

					memcpy(&v, NLA_DATA_(a), 4);
					pid = v;
				}
			}
			if (mine)
				return pid;
		}
	}
	return -1;
}

/*
 * The process that attached an executor forks; it closes its copy of the
 * file and the child's exit closes the last one.  The EXEC_DETACH event
 * names the executor (the attaching process), as EXEC_ATTACH did, not the
 * child that happened to drop the file.
 */
static void test_detach_pid(void)
{
	int fd = events_open(0), e;
	long att, det;
	pid_t child;

	if (fd < 0)
		return;
	e = exec_open_nonblock(CL1);
	att = next_exec_event(fd, EDGEAI_NL_CMD_EXEC_ATTACH, "c1");
	fflush(stdout);
	child = fork();
	if (!child) {
		usleep(100000);
		_exit(0);
	}
	close(e);
	waitpid(child, NULL, 0);
	det = next_exec_event(fd, EDGEAI_NL_CMD_EXEC_DETACH, "c1");
	close(fd);
	ok(att == getpid() && det == getpid(),
	   "an executor's file closed last by a child it forked: EXEC_ATTACH and EXEC_DETACH name the attaching process (%ld, %ld; it is %d, the child %d)",
	   att, det, (int)getpid(), (int)child);
}

/* ---------------------------------------------------------------- rmmod */

static void test_rmmod(void)
{
	int r = try_rmmod("edgeai");

	ok(r == -EWOULDBLOCK || r == -EBUSY,
	   "rmmod while files are open is refused (%d)", r);
	ok(!access(DEV_PATH, F_OK) && stat_of("live_ctx") > 0,
	   "... and the module still serves");
}

#define MODULE_KO	"/lib/edgeai/edgeai.ko"
#define MODPARAMS	"/tests/hostile2_test.modparams"

/*
 * Unload right after the last file closed (whatever work it left behind
 * must be gone or waited for), then load again with the test's
 * parameters for the runner's own unload.
 */
static void test_rmmod_after_close(void)
{
	char *params = read_text(MODPARAMS), *nl;
	int r = -1, i, fd;

	for (i = 0; i < 300; i++) {
		r = try_rmmod("edgeai");
		if (r != -EWOULDBLOCK && r != -EBUSY)
			break;
		usleep(10000);
	}
	ok(!r && access(DEV_PATH, F_OK),
	   "rmmod right after the last file closed: unloaded (%d, %d tries)",
	   r, i + 1);
	if (r)
		return;
	fd = open(MODULE_KO, O_RDONLY | O_CLOEXEC);
	nl = params ? strchr(params, '\n') : NULL;
	if (nl)
		*nl = 0;
	r = fd < 0 || !params ? -ENOENT :
	    syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	if (fd >= 0)
		close(fd);
	free(params);
	fd = r ? -1 : open(DEV_PATH, O_RDWR | O_CLOEXEC);
	ok(!r && fd >= 0, "... and loads again (%d)", r);
	if (fd >= 0)
		close(fd);
}

/* ---------------------------------------------------------- kernel log */

int main(void)
{
	int kmsg = kmsg_open(), ea, eb, ec, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = dev_open();
	ea = exec_open_nonblock(CL0);
	eb = exec_open_nonblock(CL0);
	ec = exec_open_nonblock(CL1);
	for (i = 0; i < NR_BUFS; i++) {
		bufs[i] = edgeai_buffer_create("hostile2", BUF_SIZE);
		if (bufs[i] < 0)
			return 2;
	}

	test_bad_complete(ea, eb, ec);
	test_energy_saturates(ec);
	test_fetch_race(ea, eb);
	test_busy_wakeup(ea);
	test_fetch_faults(ea);
	test_exec_close(&ea);
	test_graph_destroy(ea);
	test_submit_destroy_race(ea);
	test_collect_destroy_race(ea);
	test_control_race(ea, eb);
	test_dump_churn(ec);
	test_dump_timens(ec);
	test_gov_events();
	test_detach_pid();
	test_rmmod();

	close(dev);
	close(ea);
	close(eb);
	close(ec);
	live_all_freed();
	test_rmmod_after_close();
	kmsg_check(kmsg);
	return tap_done();
}
