// SPDX-License-Identifier: GPL-2.0-only
/*
 * Defects found from outside the project's own tests (issue 15), one test
 * each: each failed before its fix in kmod/ and guards against its return.
 * Item 1 (the oops at insmod with a GPU listed before its host) is in
 * t-load.sh, as it needs module parameters of its own.
 *
 * Loaded with tests/vm/defects_test.modparams: three virtual clusters,
 * little (0), big (1) and gpu (2), max_retries=2, max_jobs_per_uid=32.
 * Each test leaves no executor attached and no job alive behind it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/userfaultfd.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/exec.h"
#include "../lib/listen.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define NOBODY		65534
#define C_LITTLE	0
#define C_BIG		1
#define C_GPU		2

/* The two buffers every job here carries: both read-write memfds. */
static int bufs[2];

/* A graph of @n stages on @cluster, each @cost_ns, reading @in, writing @out. */
static uint32_t graph_on(int fd, uint32_t cluster, uint32_t n, uint64_t cost_ns,
			 uint64_t in, uint64_t out)
{
	struct edgeai_stage st[4];
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = n, .stages = (uintptr_t)st, .stage_size = sizeof(st[0]),
		.nr_buffers = 2, .name = "defect" };
	uint32_t i;

	memset(st, 0, sizeof(st));
	for (i = 0; i < n; i++) {
		st[i].cluster_id = cluster;
		st[i].first_layer = i;
		st[i].nr_layers = 1;
		st[i].cost_ns = cost_ns;
		st[i].in_mask = in;
		st[i].out_mask = out;
	}
	if (xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g)) {
		perror("graph");
		exit(2);
	}
	return g.graph_id;
}

static long submit(int fd, uint32_t graph, uint32_t prio, uint64_t deadline,
		   uint32_t flags, uint64_t *id, uint64_t *est)
{
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = graph,
		.priority = prio, .deadline_ns = deadline, .flags = flags,
		.buf_fds = (uintptr_t)bufs, .nr_buffers = 2 };
	long r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);

	if (id)
		*id = s.job_id;
	if (est)
		*est = s.est_finish_ns;
	return r;
}

static long job_wait(int fd, uint64_t id, uint32_t flags, uint64_t timeout,
		     struct edgeai_job_wait *w)
{
	memset(w, 0, sizeof(*w));
	w->size = sizeof(*w);
	w->job_id = id;
	w->flags = flags;
	w->timeout_ns = timeout;
	return xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, w);
}

static long attach(int fd, uint32_t cluster)
{
	struct edgeai_exec_attach a = { .size = sizeof(a), .cluster_id = cluster };

	return xioctl(fd, EDGEAI_IOCTL_EXEC_ATTACH, &a);
}

static long governor(uint32_t cluster, const char *name, uint32_t khz)
{
	struct edgeai_governor_set g = { .size = sizeof(g), .cluster_id = cluster,
					 .setspeed_khz = khz };
	int fd = dev_open();
	long r;

	snprintf(g.governor, sizeof(g.governor), "%s", name);
	r = xioctl(fd, EDGEAI_IOCTL_GOVERNOR_SET, &g);
	close(fd);
	return r;
}

static void settle(const char *test)
{
	struct counters c;

	if (!counters_settle(&c, 2000) || c.live_ctx)
		diag("%s left %lld jobs, %lld graphs, %lld files", test, c.live_jobs,
		     c.live_graphs, c.live_ctx);
}

/* /dev/edgeai opened with the credentials of user nobody. */
static int open_as_nobody(void)
{
	struct stat st;
	int fd;

	if (stat(DEV_PATH, &st) || chmod(DEV_PATH, 0666) || seteuid(NOBODY)) {
		perror("as nobody");
		exit(2);
	}
	fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	if (seteuid(0) || chmod(DEV_PATH, st.st_mode & 07777) || fd < 0) {
		perror("as nobody");
		exit(2);
	}
	return fd;
}

/* ---------------------------------------------------------------- netlink */

static int family_id(void)
{
	int fam, ev, jobs;

	if (nl_family_of(EDGEAI_GENL_NAME, EDGEAI_NL_MCGRP_EVENTS, &fam, &ev,
			 EDGEAI_NL_MCGRP_JOBS, &jobs))
		return -1;
	return fam;
}

/* A job as a GET_JOB answer or a JOB_DONE event names it. */
struct nl_job {
	int cmd;
	uint32_t pid, uid;
	uint64_t id;
};

static void nl_job_parse(const struct nlmsghdr *h, struct nl_job *j)
{
	const struct genlmsghdr *g = NLMSG_DATA(h);
	const struct nlattr *a = (const void *)((const uint8_t *)g + GENL_HDRLEN);
	int len = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	memset(j, 0, sizeof(*j));
	j->cmd = g->cmd;
	j->pid = j->uid = UINT32_MAX;
	for (; NLA_OK_(a, len); NLA_NEXT_(a, len)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case EDGEAI_NL_A_PID:
			memcpy(&j->pid, NLA_DATA_(a), 4);
			break;
		case EDGEAI_NL_A_UID:
			memcpy(&j->uid, NLA_DATA_(a), 4);
			break;
		case EDGEAI_NL_A_JOB_ID:
			memcpy(&j->id, NLA_DATA_(a), 8);
			break;
		}
	}
}

/* Reads the last dump took: its parts. */
static int nl_parts;

/*
 * Dump the live jobs through @fd, reading @bufsize bytes at a time (the
 * kernel sizes the parts of a dump by it): how many (at most @cap kept),
 * or -1.
 */
static int nl_dump_jobs_by(int fd, int fam, struct nl_job *out, int cap, size_t bufsize)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = (uint16_t)fam,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.g = { .cmd = EDGEAI_NL_CMD_GET_JOB, .version = EDGEAI_GENL_VERSION },
	};
	static uint8_t buf[32768] __attribute__((aligned(4)));
	int n = 0;

	nl_parts = 0;
	if (send(fd, &req, sizeof(req), 0) < 0)
		return -1;
	for (;;) {
		int len = (int)recv(fd, buf, bufsize < sizeof(buf) ? bufsize : sizeof(buf), 0);
		struct nlmsghdr *h = (void *)buf;

		if (len <= 0)
			return -1;
		nl_parts++;
		for (; NLMSG_OK(h, (unsigned int)len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return n;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -1;
			if (n < cap)
				nl_job_parse(h, &out[n]);
			n++;
		}
	}
}

static int nl_dump_jobs(int fd, int fam, struct nl_job *out, int cap)
{
	return nl_dump_jobs_by(fd, fam, out, cap, 32768);
}

/* The next JOB_DONE event on a "jobs" listener, within a second. */
static int nl_next_done(int fd, struct nl_job *j)
{
	static uint8_t buf[16384] __attribute__((aligned(4)));
	struct pollfd p = { fd, POLLIN, 0 };

	while (poll(&p, 1, 1000) == 1) {
		int len = (int)recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (void *)buf;

		for (; len > 0 && NLMSG_OK(h, (unsigned int)len); h = NLMSG_NEXT(h, len)) {
			nl_job_parse(h, j);
			if (j->cmd == EDGEAI_NL_CMD_JOB_DONE)
				return 0;
		}
	}
	return -1;
}

/* ---------------------------------------------------------- userfaultfd */

/*
 * A page whose first touch blocks until the test lets it go: a JOB_WAIT
 * that copies its stage times there stays inside the kernel, holding the
 * job it claimed, for as long as the test likes.
 */
struct trap {
	int uffd;
	uint8_t *page;
};

static int trap_arm(struct trap *t)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	t->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	t->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (t->page == MAP_FAILED || t->uffd < 0 || ioctl(t->uffd, UFFDIO_API, &api))
		return -1;
	reg.range.start = (uintptr_t)t->page;
	reg.range.len = 4096;
	return ioctl(t->uffd, UFFDIO_REGISTER, &reg);
}

/* Wait until something touched the page: 0, or -1 after 3 s. */
static int trap_sprung(struct trap *t)
{
	struct pollfd p = { t->uffd, POLLIN, 0 };
	struct uffd_msg m;

	if (poll(&p, 1, 3000) != 1 || read(t->uffd, &m, sizeof(m)) != sizeof(m))
		return -1;
	return m.event == UFFD_EVENT_PAGEFAULT ? 0 : -1;
}

/* Let the blocked access go through: the page appears, zeroed. */
static void trap_release(struct trap *t)
{
	struct uffdio_zeropage z = { .range = { (uintptr_t)t->page, 4096 } };

	ioctl(t->uffd, UFFDIO_ZEROPAGE, &z);
	close(t->uffd);
}

/* Make the blocked access fail: the page goes away, then the access is retried. */
static void trap_fail(struct trap *t)
{
	munmap(t->page, 4096);
	close(t->uffd);
}

struct waiter {
	int fd;
	uint64_t id;
	uint32_t flags;
	uint64_t timeout;
	void *times;
	long ret;
	uint64_t took_ns;
	struct edgeai_job_wait w;
};

static void *waiter_fn(void *arg)
{
	struct waiter *wt = arg;
	uint64_t t0 = now_ns();

	memset(&wt->w, 0, sizeof(wt->w));
	wt->w.size = sizeof(wt->w);
	wt->w.job_id = wt->id;
	wt->w.flags = wt->flags;
	wt->w.timeout_ns = wt->timeout;
	if (wt->times) {
		wt->w.stage_times = (uintptr_t)wt->times;
		wt->w.stage_times_cap = 1;
		wt->w.stage_times_size = sizeof(struct edgeai_stage_times);
	}
	wt->ret = xioctl(wt->fd, EDGEAI_IOCTL_JOB_WAIT, &wt->w);
	wt->took_ns = now_ns() - t0;
	return NULL;
}

/*
 * Items 6 and 7: a thread sleeps in a wait for any job while another
 * thread holds the only job in its JOB_WAIT (copying out to a trapped
 * page); then that copy fails (the job goes back to the list: the sleeper
 * must get it) or succeeds (the file has no job left: the sleeper must
 * get ECHILD), at once rather than at its 3 s timeout.
 */
static void test_wait_wakeups(bool copy_fails)
{
	const char *what = copy_fails ? "6" : "7";
	struct waiter holder = { 0 }, sleeper = { 0 };
	pthread_t th_holder, th_sleeper;
	struct trap t;
	uint64_t id;
	int fd = dev_open();
	uint32_t g = graph_on(fd, C_GPU, 1, MS, 1, 2);
	struct edgeai_job_cancel c = { .size = sizeof(c) };

	if (trap_arm(&t)) {
		skip("item %s: no userfaultfd: %s", what, strerror(errno));
		close(fd);
		return;
	}
	/* The job ends at once: queued where no executor is, then cancelled. */
	if (submit(fd, g, EDGEAI_PRIO_NORMAL, 0, 0, &id, NULL) ||
	    (c.job_id = id, xioctl(fd, EDGEAI_IOCTL_JOB_CANCEL, &c))) {
		perror("submit");
		exit(2);
	}
	holder.fd = sleeper.fd = fd;
	holder.times = t.page;
	pthread_create(&th_holder, NULL, waiter_fn, &holder);
	ok(trap_sprung(&t) == 0, "item %s: a JOB_WAIT holds the finished job, copying out", what);

	sleeper.flags = EDGEAI_WAIT_TIMEOUT;
	sleeper.timeout = now_ns() + 3000 * MS;
	pthread_create(&th_sleeper, NULL, waiter_fn, &sleeper);
	usleep(300 * 1000);	/* the sleeper is asleep by now */
	if (copy_fails)
		trap_fail(&t);
	else
		trap_release(&t);
	pthread_join(th_holder, NULL);
	pthread_join(th_sleeper, NULL);
	if (!copy_fails)
		munmap(t.page, 4096);

	if (copy_fails) {
		ok(holder.ret == -EFAULT, "item 6: the holder's copy fails (%ld)", holder.ret);
		ok(sleeper.ret == 0 && sleeper.w.job_id == id &&
		   sleeper.w.status == EDGEAI_JOB_CANCELLED,
		   "item 6: the sleeper collects the job the holder put back (%ld, job %llu)",
		   sleeper.ret, (unsigned long long)sleeper.w.job_id);
	} else {
		ok(holder.ret == 0 && holder.w.job_id == id,
		   "item 7: the holder collects the file's last job (%ld)", holder.ret);
		ok(sleeper.ret == -ECHILD, "item 7: the sleeper then gets ECHILD (%ld)",
		   sleeper.ret);
	}
	ok(sleeper.took_ns < 1500 * MS, "item %s: ... at once, not at its timeout (%llu ms)",
	   what, (unsigned long long)(sleeper.took_ns / MS));
	close(fd);
	settle(what);
}

/* ------------------------------------------------------------------------
 * Item 4: the quota slot of a job is given back when the job is collected,
 * not when its last reference goes: the executor (and the "jobs" event)
 * may hold the job a moment longer.  A user one job below the quota who
 * collects and submits at once is never refused.
 */

static void test_quota_at_collect(void)
{
	struct edgeai_info info = { .size = sizeof(info) };
	struct edgeai_job_wait w;
	int sub = dev_open(), efd = dev_open(), lfd = jobs_listener();
	uint32_t g_run = graph_on(sub, C_LITTLE, 1, MS / 10, 1, 2);
	uint32_t g_park = graph_on(sub, C_GPU, 1, MS, 1, 2);
	uint64_t end = now_ns() + 8000 * MS, id;
	unsigned int i, rounds = 0, edquot = 0, other = 0;
	struct null_exec nx;

	if (xioctl(sub, EDGEAI_IOCTL_GET_INFO, &info) || attach(efd, C_LITTLE)) {
		perror("quota");
		exit(2);
	}
	for (i = 0; i + 1 < info.max_jobs_per_uid; i++)
		if (submit(sub, g_park, EDGEAI_PRIO_NORMAL, 0, 0, NULL, NULL))
			break;
	ok(i + 1 == info.max_jobs_per_uid, "item 4: %u jobs parked, one below the quota", i);
	null_exec_start(&nx, efd);
	while (now_ns() < end && rounds < 3000) {
		long r = submit(sub, g_run, EDGEAI_PRIO_NORMAL, 0, 0, &id, NULL);

		if (r == -EDQUOT) {
			edquot++;
			usleep(1000);	/* the slot comes back a moment later */
			continue;
		}
		if (r || job_wait(sub, id, EDGEAI_WAIT_TIMEOUT, now_ns() + 2000 * MS, &w)) {
			other++;
			break;
		}
		rounds++;
		listener_drain(lfd);
	}
	null_exec_stop(&nx);
	ok(lfd >= 0, "item 4: a root listener on \"jobs\" (it holds jobs a little longer)");
	ok(rounds > 100 && !other, "item 4: %u rounds of submit, wait, collect (%u errors)",
	   rounds, other);
	ok(edquot == 0, "item 4: never EDQUOT right after a collection (%u times)", edquot);
	close(efd);
	close(sub);
	if (lfd >= 0)
		close(lfd);
	settle("4");
}

/* ------------------------------------------------------------------------
 * Item 5: max_retries bounds the losses of each stage, as documented, not
 * of the whole job.  Item 11: a stage that writes a buffer it reads is not
 * rerun on its own partial output: its job ends EXEC_LOST at once.
 */

/* Fetch the stage the executor of @cluster gets next and die holding it. */
static long lose_stage(uint32_t cluster)
{
	struct edgeai_exec_fetch f;
	int efd = exec_open_nonblock(cluster);
	long r = exec_fetch_close(efd, &f);

	close(efd);
	return r;
}

static long run_stage(uint32_t cluster)
{
	struct edgeai_exec_fetch f;
	int efd = exec_open_nonblock(cluster);
	long r = exec_fetch_close(efd, &f);

	if (!r)
		r = exec_complete(efd, f.task_id);
	close(efd);
	return r;
}

static void test_retries_per_stage(void)
{
	struct edgeai_info info = { .size = sizeof(info) };
	struct edgeai_job_wait w;
	int fd = dev_open();
	uint32_t g = graph_on(fd, C_BIG, 2, MS, 1, 2);
	uint64_t id;
	long r;

	xioctl(fd, EDGEAI_IOCTL_GET_INFO, &info);
	if (info.max_retries != 2) {
		skip("item 5: needs max_retries=2 (got %u)", info.max_retries);
		close(fd);
		return;
	}
	submit(fd, g, EDGEAI_PRIO_NORMAL, 0, 0, &id, NULL);
	r = lose_stage(C_BIG);
	r = r ?: run_stage(C_BIG);
	r = r ?: lose_stage(C_BIG);
	r = r ?: lose_stage(C_BIG);
	ok(r == 0, "item 5: stage 0 lost once and run, stage 1 lost twice (%ld)", r);
	ok_errno(run_stage(C_BIG), 0, "item 5: stage 1 is still queued, and runs");
	r = job_wait(fd, id, EDGEAI_WAIT_NONBLOCK, 0, &w);
	ok(r == 0 && w.status == EDGEAI_JOB_DONE && w.retries == 3,
	   "item 5: the job is DONE after 3 requeues in all (%ld, status %u, retries %u)",
	   r, w.status, w.retries);

	submit(fd, g, EDGEAI_PRIO_NORMAL, 0, 0, &id, NULL);
	r = run_stage(C_BIG);
	r = r ?: lose_stage(C_BIG);
	r = r ?: lose_stage(C_BIG);
	r = r ?: lose_stage(C_BIG);
	r = r ?: job_wait(fd, id, EDGEAI_WAIT_NONBLOCK, 0, &w);
	ok(r == 0 && w.status == EDGEAI_JOB_EXEC_LOST && w.retries == 2,
	   "item 5: a third loss of one stage ends the job EXEC_LOST (%ld, status %u, retries %u)",
	   r, w.status, w.retries);
	close(fd);
	settle("5");
}

static void test_in_place_not_retried(void)
{
	struct edgeai_job_wait w;
	int fd = dev_open();
	uint32_t in_place = graph_on(fd, C_BIG, 1, MS, 1, 1);
	uint32_t apart = graph_on(fd, C_BIG, 1, MS, 1, 2);
	uint64_t id;
	long r;

	submit(fd, in_place, EDGEAI_PRIO_NORMAL, 0, 0, &id, NULL);
	r = lose_stage(C_BIG);
	r = r ?: job_wait(fd, id, EDGEAI_WAIT_NONBLOCK, 0, &w);
	ok(r == 0 && w.status == EDGEAI_JOB_EXEC_LOST && w.retries == 0,
	   "item 11: an in-place stage whose executor died ends EXEC_LOST, not rerun (%ld, status %u)",
	   r, w.status);

	submit(fd, apart, EDGEAI_PRIO_NORMAL, 0, 0, &id, NULL);
	r = lose_stage(C_BIG);
	ok(r == 0 && job_wait(fd, id, EDGEAI_WAIT_NONBLOCK, 0, &w) == -EAGAIN,
	   "item 11: a stage writing other buffers than it reads is still requeued");
	ok_errno(run_stage(C_BIG), 0, "item 11: ... and runs again");
	r = job_wait(fd, id, EDGEAI_WAIT_NONBLOCK, 0, &w);
	ok(r == 0 && w.status == EDGEAI_JOB_DONE && w.retries == 1,
	   "item 11: ... to DONE (%ld, status %u)", r, w.status);
	close(fd);
	settle("11");
}

/* ------------------------------------------------------------------------
 * Item 9: a file whose only graph creation or submission failed holds
 * nothing and may still attach.  Item 10: attaching needs CAP_SYS_ADMIN
 * of the caller and of the file's opener.
 */
static void test_attach_rules(void)
{
	struct edgeai_stage st = { .cluster_id = 99, .nr_layers = 1, .cost_ns = MS,
				   .in_mask = 1, .out_mask = 2 };
	struct edgeai_graph_create gc = { .size = sizeof(gc), .model_fd = -1,
		.nr_stages = 1, .stages = (uintptr_t)&st, .stage_size = sizeof(st),
		.nr_buffers = 2, .name = "bad" };
	struct edgeai_graph_destroy gd = { .size = sizeof(gd) };
	int fd;

	fd = dev_open();
	ok_errno(submit(fd, 7, EDGEAI_PRIO_NORMAL, 0, 0, NULL, NULL), -ENOENT,
		 "item 9: JOB_SUBMIT of an unknown graph fails");
	ok_errno(attach(fd, C_LITTLE), 0, "item 9: the file may still attach");
	close(fd);

	fd = dev_open();
	ok_errno(xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &gc), -EINVAL,
		 "item 9: GRAPH_CREATE on a cluster that does not exist fails");
	ok_errno(attach(fd, C_LITTLE), 0, "item 9: the file may still attach");
	close(fd);

	fd = dev_open();
	gd.graph_id = graph_on(fd, C_LITTLE, 1, MS, 1, 2);
	ok_errno(attach(fd, C_LITTLE), -EBUSY, "item 9: a file that holds a graph cannot attach");
	ok_errno(xioctl(fd, EDGEAI_IOCTL_GRAPH_DESTROY, &gd), 0, "item 9: ... until it destroys it");
	ok_errno(attach(fd, C_LITTLE), 0, "item 9: ... and then it may");
	close(fd);

	fd = open_as_nobody();
	ok_errno(attach(fd, C_LITTLE), -EPERM,
		 "item 10: root cannot attach a file that user nobody opened");
	close(fd);
	settle("9/10");
}

/* ------------------------------------------------------------------------
 * Item 8: who submitted a job is the process that submitted it, not the
 * one that opened the file; GET_JOB dumps filter by the socket's
 * credentials and give pids as the dumping process's namespace sees them.
 */
static void test_identities(void)
{
	struct edgeai_exec_fetch f;
	struct nl_job jobs[16], ev;
	int fd = dev_open(), lfd = jobs_listener(), fam = family_id(), p[2], n, i;
	uint32_t g = graph_on(fd, C_BIG, 1, MS, 1, 2), pid_seen = 0;
	uint64_t id = 0, root_id, nobody_id;
	pid_t child;
	bool mine, theirs;

	/* A forked child submits on its parent's file. */
	if (pipe(p)) {
		perror("pipe");
		exit(2);
	}
	child = fork();
	if (!child) {
		uint64_t cid = 0;

		submit(fd, g, EDGEAI_PRIO_NORMAL, 0, 0, &cid, NULL);
		if (write(p[1], &cid, sizeof(cid)) != sizeof(cid))
			_exit(1);
		_exit(0);
	}
	if (read(p[0], &id, sizeof(id)) != sizeof(id))
		id = 0;
	waitpid(child, NULL, 0);
	close(p[0]);
	close(p[1]);
	{
		int efd = exec_open_nonblock(C_BIG);

		if (!exec_fetch_close(efd, &f)) {
			pid_seen = f.submitter_pid;
			exec_complete(efd, f.task_id);
		}
		close(efd);
	}
	ok(id && pid_seen == (uint32_t)child,
	   "item 8: EXEC_FETCH names the child that submitted, not the opener (%u, child %d, opener %d)",
	   pid_seen, child, getpid());
	if (lfd >= 0 && !nl_next_done(lfd, &ev))
		ok(ev.id == id && ev.pid == (uint32_t)child,
		   "item 8: so does the JOB_DONE event (pid %u)", ev.pid);
	else
		ok(0, "item 8: a JOB_DONE event for the child's job");
	{
		struct edgeai_job_wait w;

		job_wait(fd, id, EDGEAI_WAIT_NONBLOCK, 0, &w);
	}

	/* A job each of root and nobody, parked; a root socket dumps as nobody. */
	{
		int nfd = open_as_nobody(), sk = nl_socket();
		uint32_t ng = graph_on(nfd, C_GPU, 1, MS, 1, 2);
		uint32_t rg = graph_on(fd, C_GPU, 1, MS, 1, 2);

		submit(nfd, ng, EDGEAI_PRIO_NORMAL, 0, 0, &nobody_id, NULL);
		submit(fd, rg, EDGEAI_PRIO_NORMAL, 0, 0, &root_id, NULL);
		if (seteuid(NOBODY)) {
			perror("seteuid");
			exit(2);
		}
		n = nl_dump_jobs(sk, fam, jobs, 16);
		if (seteuid(0)) {
			perror("seteuid");
			exit(2);
		}
		mine = theirs = false;
		for (i = 0; i < n && i < 16; i++) {
			if (jobs[i].uid == 0 && jobs[i].id == root_id)
				mine = true;
			if (jobs[i].uid == NOBODY)
				theirs = true;
		}
		ok(n > 0 && mine && !theirs,
		   "item 8: a root socket used by a process now nobody dumps root's jobs (%d jobs%s%s)",
		   n, mine ? ", root's" : "", theirs ? ", nobody's" : "");
		close(sk);
		close(nfd);
	}

	/*
	 * From a new pid namespace: its own job's submitter is pid 1 there,
	 * root's job's submitter is not visible (0).
	 */
	if (pipe(p)) {
		perror("pipe");
		exit(2);
	}
	child = fork();
	if (!child) {
		pid_t inner;
		int st = 1;

		if (unshare(CLONE_NEWPID))
			_exit(16);
		inner = fork();
		if (!inner) {
			int sk = nl_socket(), ifd = dev_open(), res = 0;
			uint32_t ig = graph_on(ifd, C_GPU, 1, MS, 1, 2);
			uint64_t iid = 0;

			submit(ifd, ig, EDGEAI_PRIO_NORMAL, 0, 0, &iid, NULL);
			n = nl_dump_jobs(sk, fam, jobs, 16);
			for (i = 0; i < n && i < 16; i++) {
				if (jobs[i].id == iid && jobs[i].pid == 1)
					res |= 1;
				if (jobs[i].id == root_id && jobs[i].uid == 0)
					res |= jobs[i].pid == 0 ? 2 : 4;
			}
			_exit(res);
		}
		waitpid(inner, &st, 0);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 8);
	}
	{
		int st = 0, res;

		waitpid(child, &st, 0);
		res = WIFEXITED(st) ? WEXITSTATUS(st) : 8;
		ok(res != 16, "item 8: a new pid namespace can be made");
		ok(res == 16 || (res & 1),
		   "item 8: a dump in a new pid namespace shows its own submitter as pid 1");
		ok(res == 16 || (res & 6) == 2,
		   "item 8: ... and a submitter outside it as 0, not its outer pid (%d)", res);
	}
	close(p[0]);
	close(p[1]);
	close(fd);
	if (lfd >= 0)
		close(lfd);
	settle("8");
}

/*
 * Item 12: a GET_JOB dump in several parts resumes by file serial number
 * (no longer by walking every open file under a global lock): each job
 * comes exactly once, files of both users interleaved.
 */
static void test_dump_in_parts(void)
{
	static struct nl_job jobs[128];
	int fds[8], fam = family_id(), sk = nl_socket(), n, i, k, per_uid[2] = { 0, 0 };
	bool dup = false;

	for (i = 0; i < 8; i++) {
		uint32_t g;

		fds[i] = i % 2 ? open_as_nobody() : dev_open();
		g = graph_on(fds[i], C_GPU, 1, MS, 1, 2);
		for (k = 0; k < 7; k++)
			submit(fds[i], g, EDGEAI_PRIO_NORMAL, 0, 0, NULL, NULL);
	}
	/* Small reads: the kernel fills parts of about a page each. */
	n = nl_dump_jobs_by(sk, fam, jobs, 128, 4096);
	for (i = 0; i < n && i < 128; i++) {
		if (jobs[i].uid == 0 || jobs[i].uid == NOBODY)
			per_uid[jobs[i].uid == NOBODY]++;
		for (k = 0; k < i; k++)
			if (jobs[k].uid == jobs[i].uid && jobs[k].id == jobs[i].id &&
			    jobs[k].pid == jobs[i].pid && k / 7 == i / 7)
				dup = true;
	}
	ok(n == 56 && per_uid[0] == 28 && per_uid[1] == 28 && !dup && nl_parts > 2,
	   "item 12: a dump in %d parts shows the 56 jobs of 8 files once each (%d: %d root, %d nobody)",
	   nl_parts, n, per_uid[0], per_uid[1]);
	for (i = 0; i < 8; i++)
		close(fds[i]);
	close(sk);
	settle("12");
}

/* ------------------------------------------------------------------------
 * Items 2 and 3: strict admission with the step the governor holds, and
 * with the work that runs before the job (not the whole class's queue).
 */
static void test_admission(void)
{
	int fd = dev_open(), efd = exec_open_nonblock(C_BIG);
	uint32_t g = graph_on(fd, C_BIG, 1, 100 * MS, 1, 2);
	uint64_t est, now;
	int i;

	/* Big: 600 and 1800 MHz; the stage takes 100 ms at the top, 300 ms low. */
	ok_errno(governor(C_BIG, "userspace", 600000), 0, "item 2: big held at 600 MHz (userspace)");
	ok_errno(submit(fd, g, EDGEAI_PRIO_NORMAL, now_ns() + 200 * MS, EDGEAI_SUBMIT_STRICT,
			NULL, NULL), -ETIME,
		 "item 2: a 100 ms stage (300 ms at the step in force) is refused against 200 ms");
	ok_errno(governor(C_BIG, "powersave", 0), 0, "item 2: big under powersave");
	ok_errno(submit(fd, g, EDGEAI_PRIO_NORMAL, now_ns() + 200 * MS, EDGEAI_SUBMIT_STRICT,
			NULL, NULL), -ETIME, "item 2: ... refused as well");
	ok_errno(governor(C_BIG, "performance", 0), 0, "item 2: big under performance");
	now = now_ns();
	est = 0;
	ok_errno(submit(fd, g, EDGEAI_PRIO_NORMAL, now + 200 * MS, EDGEAI_SUBMIT_STRICT,
			NULL, &est), 0, "item 2: ... admitted");
	ok(est >= now + 100 * MS && est < now + 200 * MS,
	   "item 2: estimated to end 100 ms on (%lld ms)", (long long)(est - now) / (long long)MS);
	close(fd);

	/* Ten deadline-less jobs queued: a job with a deadline runs first. */
	fd = dev_open();
	g = graph_on(fd, C_BIG, 1, 100 * MS, 1, 2);
	for (i = 0; i < 10; i++)
		submit(fd, g, EDGEAI_PRIO_NORMAL, 0, 0, NULL, NULL);
	now = now_ns();
	est = 0;
	ok_errno(submit(fd, g, EDGEAI_PRIO_NORMAL, now + 250 * MS, EDGEAI_SUBMIT_STRICT,
			NULL, &est), 0,
		 "item 3: behind ten deadline-less NORMAL jobs, one with a deadline is admitted");
	ok(est > now && est < now + 250 * MS,
	   "item 3: estimated to end before its deadline (%lld ms)",
	   (long long)(est - now) / (long long)MS);
	ok_errno(submit(fd, g, EDGEAI_PRIO_BACKGROUND, now_ns() + 500 * MS,
			EDGEAI_SUBMIT_STRICT, NULL, NULL), -ETIME,
		 "item 3: a BACKGROUND job behind all of them still is not");
	/* Three more with deadlines, queued: they run before a later deadline. */
	for (i = 0; i < 3; i++)
		submit(fd, g, EDGEAI_PRIO_NORMAL, now + 300 * MS, 0, NULL, NULL);
	ok_errno(submit(fd, g, EDGEAI_PRIO_NORMAL, now + 350 * MS, EDGEAI_SUBMIT_STRICT,
			NULL, NULL), -ETIME,
		 "item 3: a NORMAL job behind the four with earlier deadlines (500 ms) is not admitted by 350 ms");
	close(fd);
	close(efd);
	settle("2/3");
}

/* ------------------------------------------------------------------------
 * Item 12: the netlink family exists by the time /dev/edgeai appears, so
 * whoever reacts to the device (udev, a monitor) finds it.  Last: it
 * reloads the module, with 16 clusters.
 */
static void test_family_before_device(void)
{
	unsigned int round, missing = 0, loads = 0, i;
	char param[512] = "clusters=";

	/* Many clusters: their sysfs directories came between the two. */
	for (i = 0; i < 16; i++)
		snprintf(param + strlen(param), sizeof(param) - strlen(param),
			 "c%u:cpu:1000000,2000000;", i);

	for (round = 0; round < 20; round++) {
		pid_t pid;
		int st;

		if (try_rmmod("edgeai")) {
			skip("item 12: cannot unload the module: %s", strerror(errno));
			return;
		}
		pid = fork();
		if (!pid) {
			execlp("insmod", "insmod", "/lib/edgeai/edgeai.ko", param, (char *)NULL);
			_exit(127);
		}
		while (access(DEV_PATH, F_OK) && waitpid(pid, &st, WNOHANG) == 0)
			;
		if (!access(DEV_PATH, F_OK) && family_id() < 0)
			missing++;
		waitpid(pid, &st, 0);
		if (WIFEXITED(st) && !WEXITSTATUS(st))
			loads++;
	}
	ok(loads == 20, "item 12: 20 loads (%u)", loads);
	ok(missing == 0, "item 12: the netlink family is there as soon as /dev/edgeai is (%u misses)",
	   missing);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	bufs[0] = edgeai_buffer_create("d0", 64);
	bufs[1] = edgeai_buffer_create("d1", 64);
	if (bufs[0] < 0 || bufs[1] < 0) {
		perror("buffers");
		return 2;
	}
	test_quota_at_collect();
	test_wait_wakeups(true);
	test_wait_wakeups(false);
	test_retries_per_stage();
	test_identities();
	test_attach_rules();
	test_admission();
	test_in_place_not_retried();
	test_dump_in_parts();
	close(bufs[0]);
	close(bufs[1]);
	test_family_before_device();
	return tap_done();
}
