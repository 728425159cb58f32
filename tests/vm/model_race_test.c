// SPDX-License-Identifier: GPL-2.0-only
/*
 * Adversarial tests of cluster model changes and of strict admission under
 * races (brief adv19), in the VM:
 *  - the model's shape: CLUSTER_SET_MODEL never changes a cluster's number
 *    of steps (a step index can never outlive its model), nor a graph's
 *    per-stage speeds, which keep winning over the cluster's (uapi);
 *  - a model change racing admission: speeds rewritten step by step
 *    under the governor's lock only, while admission read them without
 *    it, could be seen half old and half new: an estimate no model ever
 *    gave (1024 times too long here);
 *  - two strict submissions racing on one cluster: each counted what was
 *    queued, neither the other, and both were admitted where together
 *    they cannot meet their deadlines;
 *  - refusals leak no per-user job count, nothing left queued; wait_ns
 *    read in a storm of strict submitters, cancels, completing executors
 *    and executors detaching never wraps, and reads 0 when all is done.
 *
 * Loaded with tests/vm/model_race_test.modparams: cluster m with 32
 * steps, cluster s with one; max_jobs_per_uid=64.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/exec.h"
#include "../lib/leaks.h"
#include "../lib/sysfs.h"
#include "../lib/tap.h"
#include "../lib/util.h"

/* From the modparams file, in this order. */
#define CL_M		0	/* 32 steps: 100 MHz apart */
#define CL_S		1	/* one step */
#define NR_CL		2
#define M_STEPS		32
#define MAX_JOBS	64	/* max_jobs_per_uid */

#define NR_BUFS		2
#define PAGE		4096

static int dev, bufs[NR_BUFS];

/* ---------------------------------------------------------------- helpers */

static long graph_destroy(int fd, uint32_t id)
{
	struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = id };

	return xioctl(fd, EDGEAI_IOCTL_GRAPH_DESTROY, &d);
}

/* A one-stage graph on @cl costing @cost_ns, with @speed (@n steps) or none. */
static long graph_try(int fd, int cl, uint64_t cost_ns, const uint32_t *speed,
		      uint32_t n, uint32_t *id)
{
	struct edgeai_stage st = { .cluster_id = cl, .nr_layers = 1,
		.cost_ns = cost_ns, .in_mask = 1, .out_mask = 2,
		.speed = (uintptr_t)speed, .nr_steps = speed ? n : 0 };
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 1, .stages = (uintptr_t)&st,
		.stage_size = sizeof(st), .nr_buffers = NR_BUFS };
	long r;

	snprintf(g.name, sizeof(g.name), "model-race");
	r = xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g);
	if (!r)
		*id = g.graph_id;
	return r;
}

static uint32_t graph_one(int fd, int cl, uint64_t cost_ns,
			  const uint32_t *speed, uint32_t n)
{
	uint32_t id = 0;

	if (graph_try(fd, cl, cost_ns, speed, n, &id)) {
		perror("graph");
		exit(2);
	}
	return id;
}

static struct edgeai_job_submit submit_arg(uint32_t graph, uint32_t flags,
					   uint32_t prio, uint64_t deadline)
{
	return (struct edgeai_job_submit){ .size = sizeof(struct edgeai_job_submit),
		.graph_id = graph, .flags = flags, .priority = prio,
		.nr_buffers = NR_BUFS, .buf_fds = (uintptr_t)bufs,
		.deadline_ns = deadline };
}

static long submit(int fd, uint32_t graph, uint32_t flags, uint32_t prio,
		   uint64_t deadline, uint64_t *job, uint64_t *est)
{
	struct edgeai_job_submit s = submit_arg(graph, flags, prio, deadline);
	long r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);

	if (!r) {
		*job = s.job_id;
		if (est)
			*est = s.est_finish_ns;
	}
	return r;
}

/* Collect job @id of @fd (finished or about to be): its status, or -errno. */
static long collect(int fd, uint64_t id)
{
	struct edgeai_job_wait w = { .size = sizeof(w), .job_id = id,
		.flags = EDGEAI_WAIT_TIMEOUT, .timeout_ns = now_ns() + 5000 * MS };
	long r = xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, &w);

	return r ? r : (long)w.status;
}

/* Cancel a queued job and collect it: 0 when it ended cancelled. */
static long cancel_collect(int fd, uint64_t id)
{
	long r = job_cancel(fd, id);

	if (r)
		return r;
	r = collect(fd, id);
	return r == EDGEAI_JOB_CANCELLED ? 0 : r < 0 ? r : -EPROTO;
}

static long set_model(uint32_t cl, uint32_t nr, const uint32_t *speed,
		      const uint32_t *power)
{
	struct edgeai_cluster_set_model m = { .size = sizeof(m),
		.cluster_id = cl, .nr_steps = nr, .speed = (uintptr_t)speed,
		.power_mw = (uintptr_t)power };

	return xioctl(dev, EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m);
}

static long gov_set(uint32_t cl, const char *name, uint32_t khz)
{
	struct edgeai_governor_set g = { .size = sizeof(g), .cluster_id = cl,
		.setspeed_khz = khz };

	snprintf(g.governor, sizeof(g.governor), "%s", name);
	return xioctl(dev, EDGEAI_IOCTL_GOVERNOR_SET, &g);
}

static uint32_t nr_steps_of(uint32_t cl)
{
	struct edgeai_cluster_info ci = { .size = sizeof(ci), .cluster_id = cl };

	return xioctl(dev, EDGEAI_IOCTL_CLUSTER_INFO, &ci) ? 0 : ci.nr_freqs;
}

static long long cl_num(const char *cl, const char *what)
{
	char path[128];

	snprintf(path, sizeof(path), SYS_CLUSTERS "%s/%s", cl, what);
	return sysfs_num(path);
}

/* The four wait_ns figures of cluster @cl; false when unreadable. */
static bool wait_read(const char *cl, unsigned long long w[4])
{
	char path[128], buf[160];

	snprintf(path, sizeof(path), SYS_CLUSTERS "%s/wait_ns", cl);
	return !read_str(path, buf, sizeof(buf)) &&
	       sscanf(buf, "%llu %llu %llu %llu", &w[0], &w[1], &w[2], &w[3]) == 4;
}

#define RACE_COST	(1000 * MS)
#define ROUNDS		600

/* ------------------------------------------------------ the model's shape */

static uint32_t flat[M_STEPS], slow[M_STEPS], prop[M_STEPS];

/*
 * Estimate of a strict job of @graph with no deadline on m's step 0 (the
 * userspace governor holds it), nothing queued: admission's finish less
 * the time before the call.  The job is cancelled again.
 */
static long long est_at_low(uint32_t graph)
{
	uint64_t job, est, t0 = now_ns();

	if (submit(dev, graph, EDGEAI_SUBMIT_STRICT, EDGEAI_PRIO_REALTIME, 0,
		   &job, &est))
		return -1;
	if (cancel_collect(dev, job))
		return -2;
	return (long long)(est - t0);
}

/* Whether @got is @want give or take the time a call may take (200 ms). */
static bool near(long long got, long long want)
{
	return got >= want && got < want + (long long)(200 * MS);
}

static void test_shape(int ex_m)
{
	uint32_t big[M_STEPS + 1], g_own, g_cl, id;
	long long e_own, e_cl;
	int i;

	(void)ex_m;
	for (i = 0; i <= M_STEPS; i++)
		big[i] = 512;
	ok_errno(set_model(CL_M, M_STEPS - 1, big, NULL), -EINVAL,
		 "SET_MODEL with one step fewer than the cluster has is refused");
	ok_errno(set_model(CL_M, M_STEPS + 1, big, NULL), -EINVAL,
		 "SET_MODEL with one step more than the cluster has is refused");
	ok_errno(set_model(CL_M, 1, NULL, NULL), -EINVAL,
		 "SET_MODEL with a step count but no array, the count wrong, is refused");
	ok(nr_steps_of(CL_M) == M_STEPS,
	   "the cluster keeps its %d steps: a step index never outlives its model (%u)",
	   M_STEPS, nr_steps_of(CL_M));
	ok_errno(graph_try(dev, CL_M, MS, big, M_STEPS - 1, &id), -EINVAL,
		 "a stage's speeds for a step count the cluster does not have are refused");

	/* Step 0 of 32: 1/32 of the top frequency. */
	ok_errno(gov_set(CL_M, "userspace", 100000), 0,
		 "m held at its lowest step by the userspace governor");
	ok_errno(set_model(CL_M, M_STEPS, flat, NULL), 0,
		 "SET_MODEL: every step as fast as the top one");
	g_own = graph_one(dev, CL_M, 100 * MS, flat, M_STEPS);
	g_cl = graph_one(dev, CL_M, 100 * MS, NULL, 0);
	e_own = est_at_low(g_own);
	e_cl = est_at_low(g_cl);
	ok(near(e_own, 100 * MS) && near(e_cl, 100 * MS),
	   "at the flat model both graphs estimate 100 ms at step 0 (%lld, %lld ns)",
	   e_own, e_cl);

	ok_errno(set_model(CL_M, M_STEPS, prop, NULL), 0,
		 "SET_MODEL: speeds proportional to frequency");
	e_own = est_at_low(g_own);
	e_cl = est_at_low(g_cl);
	ok(near(e_own, 100 * MS),
	   "a graph registered before the change keeps its own speeds: 100 ms (%lld ns)",
	   e_own);
	ok(near(e_cl, 3200 * MS),
	   "a graph without speeds follows the new model: 32 x 100 ms (%lld ns)", e_cl);
	ok_errno(set_model(CL_M, 0, NULL, NULL), 0,
		 "SET_MODEL with no arrays leaves the speeds");
	e_cl = est_at_low(g_cl);
	ok(near(e_cl, 3200 * MS), "... and the estimate stays 3200 ms (%lld ns)", e_cl);
	graph_destroy(dev, g_own);
	graph_destroy(dev, g_cl);
}

/* --------------------------------------------- a model change racing admission */

static atomic_int flip_stop;
static atomic_uint flips, flip_errors;

/* Flat and slow give the same estimate at any step; a mix of them does not. */
static void *flipper(void *arg)
{
	(void)arg;
	while (!atomic_load(&flip_stop)) {
		if (set_model(CL_M, M_STEPS, flat, NULL) ||
		    set_model(CL_M, M_STEPS, slow, NULL))
			atomic_fetch_add(&flip_errors, 1);
		atomic_fetch_add(&flips, 1);
	}
	return NULL;
}

/* A graph of @n stages on m, 10 ms each: admission reads the model for each. */
static uint32_t graph_long(uint32_t n)
{
	struct edgeai_stage st[64];
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = n, .stages = (uintptr_t)st,
		.stage_size = sizeof(st[0]), .nr_buffers = NR_BUFS };
	uint32_t i;

	for (i = 0; i < n; i++)
		st[i] = (struct edgeai_stage){ .cluster_id = CL_M, .nr_layers = 1,
			.cost_ns = 10 * MS, .in_mask = 1, .out_mask = 2 };
	snprintf(g.name, sizeof(g.name), "model-race-long");
	if (xioctl(dev, EDGEAI_IOCTL_GRAPH_CREATE, &g)) {
		perror("graph");
		exit(2);
	}
	return g.graph_id;
}

static void test_model_race(void)
{
	unsigned int n, torn = 0, errs = 0, tries = 0;
	struct edgeai_info info = { .size = sizeof(info) };
	long long e, worst = 0, want;
	uint32_t g, nst;
	pthread_t t;
	uint64_t t0;

	/* Step 0 again, where the speeds matter. */
	gov_set(CL_M, "userspace", 100000);
	xioctl(dev, EDGEAI_IOCTL_GET_INFO, &info);
	nst = info.max_stages < 64 ? info.max_stages : 64;
	g = graph_long(nst);
	want = (long long)nst * 10 * MS;
	set_model(CL_M, M_STEPS, flat, NULL);
	e = est_at_low(g);
	set_model(CL_M, M_STEPS, slow, NULL);
	ok(near(e, want) && near(est_at_low(g), want),
	   "two models, every step as fast as the top in each: %u x 10 ms at step 0 in both",
	   nst);

	atomic_store(&flip_stop, 0);
	if (pthread_create(&t, NULL, flipper, NULL)) {
		skip("pthread_create: %s", strerror(errno));
		graph_destroy(dev, g);
		return;
	}
	t0 = now_ns();
	for (n = 0; n < 6000 && now_ns() - t0 < 40000 * MS; n++) {
		e = est_at_low(g);
		tries++;
		if (e < 0) {
			errs++;
			continue;
		}
		if (e > worst)
			worst = e;
		/* No model gives more: a half-written one gives 10 s a stage. */
		if (e > want + (long long)(1000 * MS))
			torn++;
	}
	atomic_store(&flip_stop, 1);
	pthread_join(t, NULL);
	diag("%u estimates against %u model changes, longest %lld ns",
	     tries, atomic_load(&flips), worst);
	ok(!errs && !atomic_load(&flip_errors),
	   "every submit, cancel and SET_MODEL of the race succeeded (%u, %u)",
	   errs, atomic_load(&flip_errors));
	ok(!torn,
	   "admission never estimates with a model half changed (%u of %u estimates 1 s too long)",
	   torn, tries);
	graph_destroy(dev, g);
	set_model(CL_M, M_STEPS, flat, NULL);
	gov_set(CL_M, "deadline", 0);
}

/* ------------------------------------------------ strict submissions racing */


struct racer {
	int fd;
	uint32_t graph;
	uint32_t prio;
	long ret;
	uint64_t job;
};

static struct racer racers[2];
static pthread_barrier_t bar_go, bar_done;
static atomic_int race_stop;
static uint64_t race_deadline;

static void *race_submitter(void *arg)
{
	struct racer *r = arg;

	for (;;) {
		pthread_barrier_wait(&bar_go);
		if (atomic_load(&race_stop))
			return NULL;
		r->job = 0;
		r->ret = submit(r->fd, r->graph, EDGEAI_SUBMIT_STRICT, r->prio,
				race_deadline, &r->job, NULL);
		pthread_barrier_wait(&bar_done);
	}
}

/*
 * A userfaultfd that write-protects @page: a write to it, the kernel's
 * copy of a reply too, waits until uffd_release().  -1 when the kernel
 * has none.
 */
static int uffd_protect(void *page)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .range = { (uintptr_t)page, PAGE },
		.mode = UFFDIO_REGISTER_MODE_WP };
	struct uffdio_writeprotect wp = { .range = { (uintptr_t)page, PAGE },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP };
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (ioctl(fd, UFFDIO_API, &api) || ioctl(fd, UFFDIO_REGISTER, &reg) ||
	    ioctl(fd, UFFDIO_WRITEPROTECT, &wp)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether a write to the protected page is waiting, within 10 s. */
static bool uffd_wait_fault(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct uffd_msg m;

	return poll(&p, 1, 10000) == 1 && read(fd, &m, sizeof(m)) == sizeof(m) &&
	       m.event == UFFD_EVENT_PAGEFAULT &&
	       (m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP);
}

static void uffd_release(int fd, void *page)
{
	struct uffdio_writeprotect wp = { .range = { (uintptr_t)page, PAGE } };

	ioctl(fd, UFFDIO_WRITEPROTECT, &wp);
	close(fd);
}

struct held_submit {
	int fd;
	struct edgeai_job_submit *arg;
	long ret;
};

static void *held_submitter(void *arg)
{
	struct held_submit *h = arg;

	h->ret = xioctl(h->fd, EDGEAI_IOCTL_JOB_SUBMIT, h->arg);
	return NULL;
}

/*
 * The race made certain: a strict submission admitted on s stops in the
 * copy of its reply (its page write-protected by a userfaultfd), before
 * its job is queued; another strict submission that fits only alone comes
 * meanwhile.  It must see the first.
 */
static void test_strict_held(uint32_t prio, const char *what)
{
	struct edgeai_job_submit *arg;
	struct held_submit h;
	uint64_t job, deadline;
	int fd2 = dev_open(), uffd;
	uint32_t g1, g2;
	pthread_t t;
	void *page;
	long r;

	h.fd = dev_open();
	g1 = graph_one(h.fd, CL_S, RACE_COST, NULL, 0);
	g2 = graph_one(fd2, CL_S, RACE_COST, NULL, 0);
	page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	deadline = now_ns() + RACE_COST * 3 / 2;
	arg = page;
	*arg = submit_arg(g1, EDGEAI_SUBMIT_STRICT, prio, deadline);
	uffd = uffd_protect(page);
	if (uffd < 0) {
		skip("%s: no userfaultfd write protection: %s", what, strerror(errno));
		goto out;
	}
	h.arg = arg;
	pthread_create(&t, NULL, held_submitter, &h);
	if (!uffd_wait_fault(uffd)) {
		skip("%s: the reply's copy did not stop at the protected page", what);
		uffd_release(uffd, page);
		pthread_join(t, NULL);
		if (!h.ret)
			cancel_collect(h.fd, arg->job_id);
		goto out;
	}
	r = submit(fd2, g2, EDGEAI_SUBMIT_STRICT, prio, deadline, &job, NULL);
	ok(r == -ETIME,
	   "%s: a strict job is refused while one admitted before it on the same cluster is still being submitted (got %ld)",
	   what, r);
	if (!r)
		cancel_collect(fd2, job);
	uffd_release(uffd, page);
	pthread_join(t, NULL);
	ok(!h.ret && arg->job_id, "%s: ... which then gets its reply, admitted (%ld)",
	   what, h.ret);
	ok(cl_num("s", "queued") == 1, "%s: s has its one job queued (%lld)", what,
	   cl_num("s", "queued"));
	if (!h.ret)
		cancel_collect(h.fd, arg->job_id);

	/* A reply that cannot be written: admitted, then the submission fails. */
	deadline = now_ns() + RACE_COST * 3 / 2;
	*arg = submit_arg(g1, EDGEAI_SUBMIT_STRICT, prio, deadline);
	mprotect(page, PAGE, PROT_READ);
	ok_errno(xioctl(h.fd, EDGEAI_IOCTL_JOB_SUBMIT, arg), -EFAULT,
		 "%s: a strict job admitted whose reply cannot be copied fails", what);
	r = submit(fd2, g2, EDGEAI_SUBMIT_STRICT, prio, deadline, &job, NULL);
	ok(!r, "%s: ... and counts no more: the next that fits alone is admitted (%ld)",
	   what, r);
	if (!r)
		cancel_collect(fd2, job);
out:
	munmap(page, PAGE);
	graph_destroy(h.fd, g1);
	graph_destroy(fd2, g2);
	close(h.fd);
	close(fd2);
}

/*
 * Two strict submissions at once on s, each 1 s with the same deadline
 * 1.5 s away, s idle with one executor: one of them fits, not both.
 * Submitted one after the other the second is refused; racing, both were
 * admitted: each counted what was queued, not the other.
 */
static void test_strict_race(uint32_t prio, const char *what)
{
	unsigned int both = 0, none = 0, one = 0, round, rejected = 0, bad = 0;
	long long rej0 = stat_of("rejected"), sub0 = stat_of("submitted");
	pthread_t t[2];
	uint64_t job;
	int i;

	for (i = 0; i < 2; i++) {
		racers[i].fd = dev_open();
		racers[i].graph = graph_one(racers[i].fd, CL_S, RACE_COST, NULL, 0);
		racers[i].prio = prio;
	}
	/* One after the other: the second is refused. */
	race_deadline = now_ns() + RACE_COST * 3 / 2;
	ok_errno(submit(racers[0].fd, racers[0].graph, EDGEAI_SUBMIT_STRICT,
			prio, race_deadline, &job, NULL), 0,
		 "%s: a strict 1 s job with 1.5 s to go on idle s is admitted", what);
	ok_errno(submit(racers[1].fd, racers[1].graph, EDGEAI_SUBMIT_STRICT,
			prio, race_deadline, &racers[1].job, NULL), -ETIME,
		 "%s: the same again right after is refused (behind the first)", what);
	cancel_collect(racers[0].fd, job);

	pthread_barrier_init(&bar_go, NULL, 3);
	pthread_barrier_init(&bar_done, NULL, 3);
	atomic_store(&race_stop, 0);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, race_submitter, &racers[i]);
	for (round = 0; round < ROUNDS; round++) {
		unsigned int in = 0;

		race_deadline = now_ns() + RACE_COST * 3 / 2;
		pthread_barrier_wait(&bar_go);
		pthread_barrier_wait(&bar_done);
		for (i = 0; i < 2; i++) {
			if (!racers[i].ret) {
				in++;
				if (cancel_collect(racers[i].fd, racers[i].job))
					bad++;
			} else if (racers[i].ret == -ETIME) {
				rejected++;
			} else {
				bad++;
			}
		}
		both += in == 2;
		one += in == 1;
		none += in == 0;
	}
	atomic_store(&race_stop, 1);
	pthread_barrier_wait(&bar_go);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&bar_go);
	pthread_barrier_destroy(&bar_done);
	diag("%s: %u rounds: %u one admitted, %u both, %u none", what, ROUNDS,
	     one, both, none);
	ok(!bad, "%s: every racing submit was admitted or refused with ETIME, every admitted one cancelled (%u)",
	   what, bad);
	ok(!both,
	   "%s: two strict submissions racing on one cluster are never both admitted when only one fits (%u of %u rounds)",
	   what, both, ROUNDS);
	ok(!none, "%s: nor both refused when one fits (%u rounds)", what, none);
	ok(stat_of("rejected") - rej0 == (long long)rejected + 1,
	   "%s: stats/rejected counts each refusal once (%lld, want %u)", what,
	   stat_of("rejected") - rej0, rejected + 1);
	ok(stat_of("submitted") - sub0 == (long long)(one + 2 * both) + 1,
	   "%s: stats/submitted counts the admitted ones only (%lld, want %u)", what,
	   stat_of("submitted") - sub0, one + 2 * both + 1);
	for (i = 0; i < 2; i++) {
		graph_destroy(racers[i].fd, racers[i].graph);
		close(racers[i].fd);
	}
}

/* ------------------------------------------------------ refusals leak nothing */

static void test_no_leak(void)
{
	uint64_t ids[MAX_JOBS], job;
	unsigned int i, in = 0;
	uint32_t g = graph_one(dev, CL_S, RACE_COST, NULL, 0);
	long r;

	/* Far more refusals than the user may have jobs. */
	for (i = 0; i < 4 * MAX_JOBS; i++)
		if (submit(dev, g, EDGEAI_SUBMIT_STRICT, EDGEAI_PRIO_HIGH,
			   now_ns() + RACE_COST / 2, &job, NULL) != -ETIME)
			break;
	ok(i == 4 * MAX_JOBS, "%u strict jobs that cannot fit refused with ETIME (%u)",
	   4 * MAX_JOBS, i);
	for (i = 0; i < MAX_JOBS; i++) {
		r = submit(dev, g, 0, EDGEAI_PRIO_NORMAL, 0, &ids[i], NULL);
		if (r)
			break;
		in++;
	}
	ok(in == MAX_JOBS,
	   "after the refusals the user still has all %d of its jobs (%u)", MAX_JOBS, in);
	ok_errno(submit(dev, g, 0, EDGEAI_PRIO_NORMAL, 0, &job, NULL), -EDQUOT,
		 "... and not one more");
	ok(cl_num("s", "queued") == MAX_JOBS, "s has the %d jobs queued (%lld)",
	   MAX_JOBS, cl_num("s", "queued"));
	for (i = 0; i < in; i++)
		cancel_collect(dev, ids[i]);
	ok(cl_num("s", "queued") == 0, "and none once they are cancelled (%lld)",
	   cl_num("s", "queued"));
	graph_destroy(dev, g);
}

/* ------------------------------------------- wait_ns in a storm of everything */

#define STORM_SUBMITTERS	2

/* Submitters stop first: the executors then run what they left queued. */
static atomic_int storm_stop, exec_stop;
static atomic_uint storm_admitted, storm_refused, storm_other, wait_reads,
	wait_bad, exec_runs;
static unsigned long long wait_worst;
static atomic_long storm_first_other;

/* Count an unexpected outcome, and say what the first one was. */
static void storm_odd(long what, long code)
{
	long none = 0;

	atomic_fetch_add(&storm_other, 1);
	atomic_compare_exchange_strong(&storm_first_other, &none, what * 1000 + code);
}

static void *storm_submitter(void *arg)
{
	uint32_t k = (uint32_t)(uintptr_t)arg, n = 0;
	int fd = dev_open();
	uint32_t g = graph_one(fd, CL_S, 2 * MS, NULL, 0);
	struct rng rg;

	rng_seed(&rg, 19, k, 0);
	while (!atomic_load(&storm_stop)) {
		/* Some already late: refused whatever the estimates learnt. */
		uint64_t job, dl = chance(&rg, 5) ? now_ns() - MS :
				   now_ns() + (1 + rnd(&rg, 20)) * MS;
		uint32_t prio = rnd(&rg, EDGEAI_NR_PRIO);
		long r = submit(fd, g, EDGEAI_SUBMIT_STRICT, prio, dl, &job, NULL);

		if (r == -ETIME) {
			atomic_fetch_add(&storm_refused, 1);
			continue;
		}
		if (r) {
			storm_odd(1, r);
			continue;
		}
		atomic_fetch_add(&storm_admitted, 1);
		if (chance(&rg, 50))
			job_cancel(fd, job);
		r = collect(fd, job);
		if (r != EDGEAI_JOB_DONE && r != EDGEAI_JOB_DEADLINE_MISSED &&
		    r != EDGEAI_JOB_CANCELLED && r != EDGEAI_JOB_EXEC_LOST)
			storm_odd(2, r);
		/* A fresh graph now and then: its cost is the declared one again. */
		if (!(++n % 64)) {
			graph_destroy(fd, g);
			g = graph_one(fd, CL_S, 2 * MS, NULL, 0);
		}
	}
	graph_destroy(fd, g);
	close(fd);
	return NULL;
}

/* An executor that comes and goes: runs a few stages, sometimes leaves mid-stage. */
static void *storm_executor(void *arg)
{
	struct rng rg;

	rng_seed(&rg, 19, 100 + (uintptr_t)arg, 0);
	while (!atomic_load(&exec_stop)) {
		int fd = exec_open_nonblock(CL_S), i;

		for (i = 0; i < 50 && !atomic_load(&exec_stop); i++) {
			struct edgeai_exec_fetch f;

			if (exec_fetch_close(fd, &f)) {
				usleep(200);
				continue;
			}
			if (chance(&rg, 5))
				break;	/* closed with the stage in hand */
			exec_complete(fd, f.task_id);
			atomic_fetch_add(&exec_runs, 1);
		}
		close(fd);
	}
	return NULL;
}

static void *wait_reader(void *arg)
{
	(void)arg;
	while (!atomic_load(&storm_stop)) {
		unsigned long long w[4];
		int i;

		if (!wait_read("s", w)) {
			atomic_fetch_add(&wait_bad, 1);
			continue;
		}
		atomic_fetch_add(&wait_reads, 1);
		for (i = 0; i < 4; i++) {
			/* No more than a few thousand 2 ms stages exist at once. */
			if (w[i] > 1000000ULL * MS)
				atomic_fetch_add(&wait_bad, 1);
			if (w[i] > wait_worst)
				wait_worst = w[i];
		}
		for (i = 1; i < 4; i++)
			if (w[i] < w[i - 1])
				atomic_fetch_add(&wait_bad, 1);
	}
	return NULL;
}

static void test_storm(void)
{
	pthread_t sub[STORM_SUBMITTERS], ex[2], rd;
	unsigned long long w[4];
	uint64_t t0 = now_ns();
	int i;

	atomic_store(&storm_stop, 0);
	atomic_store(&exec_stop, 0);
	for (i = 0; i < STORM_SUBMITTERS; i++)
		pthread_create(&sub[i], NULL, storm_submitter, (void *)(uintptr_t)i);
	for (i = 0; i < 2; i++)
		pthread_create(&ex[i], NULL, storm_executor, (void *)(uintptr_t)i);
	pthread_create(&rd, NULL, wait_reader, NULL);
	while (now_ns() - t0 < 15000 * MS &&
	       atomic_load(&storm_admitted) + atomic_load(&storm_refused) < 20000)
		usleep(50000);
	atomic_store(&storm_stop, 1);
	for (i = 0; i < STORM_SUBMITTERS; i++)
		pthread_join(sub[i], NULL);
	pthread_join(rd, NULL);
	atomic_store(&exec_stop, 1);
	for (i = 0; i < 2; i++)
		pthread_join(ex[i], NULL);
	diag("storm: %u admitted, %u refused, %u stages run, %u wait_ns reads, largest %llu ns",
	     atomic_load(&storm_admitted), atomic_load(&storm_refused),
	     atomic_load(&exec_runs), atomic_load(&wait_reads), wait_worst);
	ok(atomic_load(&storm_admitted) && atomic_load(&storm_refused),
	   "storm: strict submissions both admitted and refused");
	ok(!atomic_load(&storm_other),
	   "storm: every submit admitted or refused with ETIME, every job ended done, late, cancelled or lost (%u, the first %ld)",
	   atomic_load(&storm_other), atomic_load(&storm_first_other));
	ok(atomic_load(&wait_reads) && !atomic_load(&wait_bad),
	   "storm: wait_ns never wrapped and never fell from one class to the next (%u of %u reads)",
	   atomic_load(&wait_bad), atomic_load(&wait_reads));
	ok(wait_read("s", w) && !w[0] && !w[1] && !w[2] && !w[3] &&
	   !cl_num("s", "queued") && !cl_num("s", "running"),
	   "storm: s ends with nothing queued or running and wait_ns 0 0 0 0");
}

int main(void)
{
	struct edgeai_info info = { .size = sizeof(info) };
	int kmsg = kmsg_open(), ex_m, ex_s, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = dev_open();
	if (xioctl(dev, EDGEAI_IOCTL_GET_INFO, &info) || info.nr_clusters != NR_CL ||
	    nr_steps_of(CL_M) != M_STEPS) {
		diag("GET_INFO: %u clusters, want %d; m %u steps, want %d",
		     info.nr_clusters, NR_CL, nr_steps_of(CL_M), M_STEPS);
		return 2;
	}
	if (!(info.features & EDGEAI_FEAT_STRICT_ADMISSION)) {
		skip("no EDGEAI_FEAT_STRICT_ADMISSION");
		return tap_done();
	}
	for (i = 0; i < NR_BUFS; i++) {
		bufs[i] = edgeai_buffer_create("model-race", PAGE);
		if (bufs[i] < 0)
			return 2;
	}
	for (i = 0; i < M_STEPS; i++) {
		flat[i] = 1024;
		slow[i] = 1;
		prop[i] = 32 * (i + 1);
	}
	/* Executors that never fetch: admission counts them, nothing runs. */
	ex_m = exec_open_nonblock(CL_M);
	ex_s = exec_open_nonblock(CL_S);

	test_shape(ex_m);
	test_model_race();
	test_strict_held(EDGEAI_PRIO_REALTIME, "REALTIME");
	test_strict_held(EDGEAI_PRIO_NORMAL, "NORMAL");
	test_strict_race(EDGEAI_PRIO_REALTIME, "REALTIME");
	test_strict_race(EDGEAI_PRIO_NORMAL, "NORMAL");
	test_no_leak();
	close(ex_s);
	test_storm();

	close(ex_m);
	close(dev);
	for (i = 0; i < NR_BUFS; i++)
		close(bufs[i]);
	live_all_freed();
	kmsg_check(kmsg);
	return tap_done();
}
