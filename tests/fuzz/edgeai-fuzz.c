// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-fuzz: hostile callers of /dev/edgeai and of the "edgeai" netlink
 * family, in the VM, then proof that nothing leaked or broke.
 *
 *   edgeai-fuzz [-s SEED] [-n CALLS] [-t SECONDS] [-p PROCS] [-T THREADS]
 *               [-f PCT] [-U] [-K] [-N]
 *
 *   -s SEED     the run's seed (default: from the clock; always printed)
 *   -n CALLS    operations in all (default 20000), split over the threads
 *   -t SECONDS  stop by then whatever is left (default 120)
 *   -p PROCS    worker processes (default 4)
 *   -T THREADS  threads per worker (default 3)
 *   -f PCT      before PCT % of the calls, arm /proc/thread-self/fail-nth
 *               (kernels with CONFIG_FAULT_INJECTION: failslab and
 *               fail_usercopy make the Nth allocation or user copy fail)
 *   -U          every worker as root (default: odd workers are nobody)
 *   -K          never SIGKILL a whole worker
 *   -N          no netlink
 *
 * Each worker process keeps a pool of descriptors (the device as submitter
 * and as executor, memfds sealed or not, a read-only memfd, pipes,
 * /dev/null, procfs, netlink, eventfd, a regular file, dma-bufs where the
 * kernel has a heap, numbers of closed descriptors) that its threads use
 * as ioctl targets and arguments, close, replace and dup2 over each other
 * while others are in calls on them.  Threads fork children that share
 * the files and get SIGKILLed; a thread of each worker interrupts blocked
 * calls with signals; the parent SIGKILLs whole workers and restarts them,
 * and tries to rmmod the module all along (it must fail: the device is
 * open).
 *
 * Every thread's sequence of operations is a function of the seed and the
 * thread's place (worker, generation, thread): rerunning with the printed
 * seed replays them, though not their interleaving.
 *
 * Afterwards, as TAP: no worker crashed or hung, rmmod was always
 * refused, no ioctl returned a value it must not, every job object, graph
 * and context is freed once the files are closed, every submitted job is
 * counted exactly once as completed, failed or cancelled, per-user job
 * accounting came back to zero, and the module still runs a job.  The
 * harness then checks the guest's kernel log and unloads the module.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"
#include "../lib/tap.h"

struct fuzz_stats *stats;

static struct {
	uint64_t seed;
	uint64_t calls;
	unsigned int seconds;
	unsigned int procs;
	unsigned int threads;
	int fault_pct;
	bool all_root;
	bool no_kill;
	bool no_netlink;
} o = {
	.calls = 20000,
	.seconds = 120,
	.procs = 4,
	.threads = 3,
};

static uint64_t deadline;
static struct proc tmpl;

/* ---------------------------------------------------------------- misc ops */

static void op_dup2(struct thr *t)
{
	struct proc *p = t->p;
	int a = rnd(&t->r, NSLOTS), b = rnd(&t->r, NSLOTS), src, dst;

	pthread_mutex_lock(&p->lock);
	src = p->slots[a].fd;
	dst = p->slots[b].fd;
	if (a == b || src <= 2 || dst <= 2 || p->slots[a].kind == FK_CLOSED ||
	    p->slots[b].kind == FK_CLOSED || p->slots[a].kind == FK_NONE) {
		pthread_mutex_unlock(&p->lock);
		return;
	}
	/* b's number now names a's file. */
	p->slots[b] = p->slots[a];
	p->slots[b].fd = dst;
	p->slots[b].nr_graphs = p->slots[b].nr_jobs = 0;
	pthread_mutex_unlock(&p->lock);
	dup2(src, dst);
	stat_add(&stats->dup2s, 1);
	stat_add(&stats->calls, 1);
}

static void op_truncate(struct thr *t)
{
	static const off_t sizes[] = { 0, 1, 63, 4096, 1 << 20 };
	struct slot s;

	if (pool_pick(t, KIND(FK_MEMFD), &s) < 0)
		return;
	if (ftruncate(s.fd, sizes[rnd(&t->r, 5)]) == 0)
		stat_add(&stats->truncates, 1);
	stat_add(&stats->calls, 1);
}

/* The file operations the device does not have, and those it has. */
static void op_fops(struct thr *t)
{
	struct rng *r = &t->r;
	struct pollfd pfd;
	char buf[64];
	struct slot s;
	void *m;
	int fl;

	if (pool_pick(t, ANY_DEV, &s) < 0)
		return;
	stat_add(&stats->misc_fops, 1);
	stat_add(&stats->calls, 1);
	switch (rnd(r, 7)) {
	case 0:
		if (read(s.fd, buf, sizeof(buf)) < 0)
			break;
		break;
	case 1:
		if (write(s.fd, buf, rnd(r, sizeof(buf))) < 0)
			break;
		break;
	case 2:
		lseek(s.fd, rnd(r, 100), SEEK_SET);
		break;
	case 3:
		m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, s.fd, 0);
		if (m != MAP_FAILED)
			munmap(m, 4096);
		break;
	case 4:
		pfd.fd = s.fd;
		pfd.events = POLLIN | POLLOUT | POLLPRI;
		poll(&pfd, 1, 0);
		break;
	case 5:
		fl = fcntl(s.fd, F_GETFL);
		if (fl >= 0)
			fcntl(s.fd, F_SETFL, fl ^ O_NONBLOCK);
		break;
	default:
		fsync(s.fd);
		break;
	}
}

static void op_sysfs(struct thr *t)
{
	static const char *const files[] = { "governor", "setspeed" };
	static const char *const vals[] = {
		"performance", "powersave", "userspace", "deadline", "deadline\n",
		"", "\n", "perf", "0", "-1", "4294967296", "99999999999",
	};
	struct rng *r = &t->r;
	struct proc *p = t->p;
	char path[160], val[48];
	const char *cl;

	if (!p->cl_names_nr)
		return;
	cl = p->cl_names[rnd(r, p->cl_names_nr)];
	snprintf(path, sizeof(path), SYS_CLUSTERS "%s/%s", cl, files[rnd(r, 2)]);
	if (chance(r, 30)) {
		snprintf(val, sizeof(val), "%u", p->cluster_khz[rnd(r, p->nr_clusters) % 16]
			 [rnd(r, 3)] + (chance(r, 50) ? 0 : rnd(r, 1000)));
	} else if (chance(r, 15)) {
		uint32_t i, n = rnd(r, sizeof(val));

		for (i = 0; i < n; i++)
			val[i] = (char)(1 + rnd(r, 255));
		val[n] = 0;
	} else {
		snprintf(val, sizeof(val), "%s", vals[rnd(r, sizeof(vals) / sizeof(vals[0]))]);
	}
	write_file(path, val);
	stat_add(&stats->sysfs_writes, 1);
	stat_add(&stats->calls, 3);
	snprintf(path, sizeof(path), SYS_CLUSTERS "%s/%s", cl,
		 chance(r, 50) ? "setspeed" : "queued");
	sysfs_num(path);
}

/* ---------------------------------------------------------------- children */

static void fuzz_op(struct thr *t);

/* A forked child: a short burst on the files it shares with its parent. */
static void child_main(struct thr *t, uint64_t salt, pid_t parent)
{
	int i, n;

	/*
	 * Nothing interrupts a child's calls: one may block for good (a
	 * wait with no timeout).  It must not outlive its worker, or it
	 * holds the worker's files open after the run.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(0);
	t->is_child = true;
	pthread_mutex_init(&t->p->lock, NULL);
	rng_seed(&t->r, o.seed ^ salt, 0xc41d, rnd64(&t->r));
	t->fail_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	t->armed = false;
	t->nl_fd = -1;
	n = 20 + rnd(&t->r, 200);
	for (i = 0; i < n; i++)
		fuzz_op(t);
	_exit(0);
}

static void op_fork(struct thr *t)
{
	pid_t pid, parent;
	int i;

	for (i = 0; i < 8 && t->children[i]; i++)
		;
	if (i == 8)
		return;
	parent = getpid();
	pid = fork();
	stat_add(&stats->calls, 1);
	if (pid == 0)
		child_main(t, rnd64(&t->r), parent);
	if (pid > 0) {
		t->children[i] = pid;
		t->child_born[i] = now_ns();
		stat_add(&stats->forks, 1);
	}
}

/* Reap the children that ended; SIGKILL some that did not. */
static void reap_children(struct thr *t, bool all)
{
	int i, st;

	for (i = 0; i < 8; i++) {
		pid_t pid = t->children[i];

		if (!pid)
			continue;
		if (all || (now_ns() - t->child_born[i] > 20 * MS && chance(&t->r, 30))) {
			kill(pid, SIGKILL);
			stat_add(&stats->children_killed, 1);
			waitpid(pid, &st, 0);
			t->children[i] = 0;
		} else if (waitpid(pid, &st, WNOHANG) == pid) {
			if (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL)
				stat_add(&stats->fuzzer_crashes, 1);
			t->children[i] = 0;
		}
		stat_add(&stats->calls, 1);
	}
}

/* ---------------------------------------------------------------- threads */

static void fuzz_op(struct thr *t)
{
	struct rng *r = &t->r;
	int a = rnd(r, 100);

	if (a < 45) {
		fuzz_ioctl_one(t);
	} else if (a < 60) {
		fuzz_lifecycle(t);
	} else if (a < 70) {
		if (o.no_netlink)
			fuzz_ioctl_one(t);
		else
			fuzz_netlink_one(t);
	} else if (a < 76) {
		pool_refill(t, rnd(r, NSLOTS));
	} else if (a < 78) {
		op_dup2(t);
	} else if (a < 81) {
		op_truncate(t);
	} else if (a < 86) {
		op_fops(t);
	} else if (a < 89) {
		op_sysfs(t);
	} else if (a < 91 && !t->is_child) {
		op_fork(t);
	} else if (a < 94 && !t->is_child) {
		reap_children(t, false);
	} else {
		fuzz_ioctl_one(t);
	}
}

struct thread_arg {
	struct thr t;
	pthread_t id;
	uint64_t quota;
	volatile int done;
};

static void *thread_main(void *arg)
{
	struct thread_arg *ta = arg;
	struct thr *t = &ta->t;
	uint64_t i;

	t->fail_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	for (i = 0; i < ta->quota && now_ns() < deadline; i++)
		fuzz_op(t);
	reap_children(t, true);
	ta->done = 1;
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* One worker process: its pool, its threads, their interrupter. */
static void worker_main(unsigned int idx, unsigned int gen, uint64_t quota)
{
	struct thread_arg *ta;
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	struct proc *p = &tmpl;
	struct rng ir;
	unsigned int i, live;

	sigaction(SIGUSR1, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	p->root = true;
	if (!o.all_root && (idx & 1)) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(3);
		p->root = false;
	}
	snprintf(p->tmpdir, sizeof(p->tmpdir), "/tmp/fz.XXXXXX");
	if (!mkdtemp(p->tmpdir))
		snprintf(p->tmpdir, sizeof(p->tmpdir), "/tmp");
	pthread_mutex_init(&p->lock, NULL);
	p->fault_nth = o.fault_pct > 0;
	p->fault_pct = o.fault_pct;
	if (o.no_netlink)
		p->nl_family = -1;

	ta = calloc(o.threads, sizeof(*ta));
	if (!ta)
		_exit(3);
	for (i = 0; i < o.threads; i++) {
		struct thr *t = &ta[i].t;
		uint8_t *m = mmap(NULL, ARENA_RW + 2 * 4096, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			_exit(3);
		t->p = p;
		t->arena = m;
		t->guard = m + ARENA_RW;
		t->ro = m + ARENA_RW + 4096;
		mprotect(t->guard, 4096, PROT_NONE);
		mprotect(t->ro, 4096, PROT_READ);
		t->nl_fd = -1;
		rng_seed(&t->r, o.seed, ((uint64_t)idx << 16) | gen, i);
		ta[i].quota = quota;
	}
	pool_init(&ta[0].t);
	for (i = 0; i < o.threads; i++)
		pthread_create(&ta[i].id, NULL, thread_main, &ta[i]);

	rng_seed(&ir, o.seed, ((uint64_t)idx << 16) | gen, 0x1e7);
	do {
		usleep(1000 + rnd(&ir, 20000));
		live = 0;
		for (i = 0; i < o.threads; i++)
			live += !ta[i].done;
		i = rnd(&ir, o.threads);
		if (!ta[i].done) {
			pthread_kill(ta[i].id, SIGUSR1);
			stat_add(&stats->signals, 1);
		}
	} while (live);
	for (i = 0; i < o.threads; i++)
		pthread_join(ta[i].id, NULL);
	rmdir(p->tmpdir);
	_exit(0);
}

/* ---------------------------------------------------------------- parent */

struct worker {
	pid_t pid;
	unsigned int gen;
	bool killed_by_us;
};

/* A small /proc file into @buf, NUL-terminated; its length or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/*
 * Where a stuck worker sits: the wait channel and kernel stack of each of
 * its threads and of their forked children, before it is killed.
 */
static void dump_task(const char *dir)
{
	char path[PATH_MAX], buf[2048], *line, *save;

	snprintf(path, sizeof(path), "%s/wchan", dir);
	read_small(path, buf, sizeof(buf));
	diag("  %s: wchan %s", dir, buf);
	snprintf(path, sizeof(path), "%s/stack", dir);
	if (read_small(path, buf, sizeof(buf)) > 0)
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			diag("    %s", line);
}

static void dump_stuck(pid_t pid)
{
	char dir[64], path[PATH_MAX], kids[256], *k, *save;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/task", pid);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		dump_task(path);
		snprintf(path, sizeof(path), "%s/%s/children", dir, de->d_name);
		if (read_small(path, kids, sizeof(kids)) <= 0)
			continue;
		for (k = strtok_r(kids, " \n", &save); k; k = strtok_r(NULL, " \n", &save)) {
			snprintf(path, sizeof(path), "/proc/%s", k);
			dump_task(path);
		}
	}
	closedir(d);
}

/*
 * A worker process, or 0 when fork() keeps failing: never -1, which
 * kill() would take for every process there is.
 */
static pid_t spawn(unsigned int idx, unsigned int gen, uint64_t quota)
{
	unsigned int tries;
	pid_t pid = -1;

	for (tries = 0; pid < 0 && tries < 50; tries++) {
		pid = fork();
		if (pid < 0)
			usleep(20000);
	}
	if (pid == 0)
		worker_main(idx, gen, quota);
	if (pid < 0) {
		diag("worker %u: fork: %s", idx, strerror(errno));
		stat_add(&stats->spawn_failed, 1);
		return 0;
	}
	return pid;
}

static void probe_clusters(int fd)
{
	struct edgeai_cluster_info ci;
	uint32_t freqs[32], i;

	tmpl.info.size = sizeof(tmpl.info);
	if (ioctl(fd, EDGEAI_IOCTL_GET_INFO, &tmpl.info) < 0)
		return;
	tmpl.nr_clusters = tmpl.info.nr_clusters;
	for (i = 0; i < tmpl.nr_clusters && i < 16; i++) {
		memset(&ci, 0, sizeof(ci));
		ci.size = sizeof(ci);
		ci.cluster_id = i;
		ci.freqs = (uintptr_t)freqs;
		ci.freqs_cap = 32;
		if (ioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci) < 0)
			continue;
		tmpl.cluster_nsteps[i] = ci.nr_freqs;
		tmpl.cluster_khz[i][0] = freqs[0];
		tmpl.cluster_khz[i][1] = ci.nr_freqs > 1 ? freqs[1] : freqs[0];
		tmpl.cluster_khz[i][2] = ci.max_freq_khz;
		snprintf(tmpl.cl_names[i], sizeof(tmpl.cl_names[i]), "%s", ci.name);
		tmpl.cl_names_nr = i + 1;
	}
}

static const char *const cmd_names[NR_CMDS + 1] = {
	"GET_INFO", "CLUSTER_INFO", "GRAPH_CREATE", "GRAPH_DESTROY",
	"JOB_SUBMIT", "JOB_WAIT", "JOB_CANCEL", "EXEC_ATTACH", "EXEC_FETCH",
	"EXEC_COMPLETE", "GOVERNOR_SET", "CLUSTER_SET_MODEL", "SESSION_CREATE",
	"SESSION_DESTROY", "other",
};

static const char *const res_names[RES_NR] = {
	"ok", "EINVAL", "EFAULT", "ENOENT", "EBUSY", "EPERM", "ENOTTY",
	"EAGAIN", "EINTR", "EBADF", "E2BIG", "ENOMEM", "ETIME", "EDQUOT",
	"ENOBUFS", "EACCES", "ECHILD", "ENOSPC", "EALREADY", "EMFILE", "other",
};

static void print_stats(void)
{
	char line[512];
	int c, k, n;

	diag("calls %llu (ioctls %llu, %llu of them on other files), lifecycles %llu",
	     (unsigned long long)stats->calls, (unsigned long long)stats->ioctls,
	     (unsigned long long)stats->ioctl_wrong_fd,
	     (unsigned long long)stats->lifecycle);
	for (c = 0; c <= NR_CMDS; c++) {
		n = snprintf(line, sizeof(line), "%-17s", cmd_names[c]);
		for (k = 0; k < RES_NR; k++)
			if (stats->ioctl_res[c][k] && n < (int)sizeof(line) - 32)
				n += snprintf(line + n, sizeof(line) - n, " %s:%llu",
					      res_names[k],
					      (unsigned long long)stats->ioctl_res[c][k]);
		diag("  %s", line);
	}
	diag("jobs submitted %llu, stages run %llu",
	     (unsigned long long)stats->jobs_submitted,
	     (unsigned long long)stats->stages_run);
	diag("netlink: %llu sent, %llu read, %llu sockets dropped mid-flight, %llu joins",
	     (unsigned long long)stats->nl_sent, (unsigned long long)stats->nl_recv,
	     (unsigned long long)stats->nl_dumps_abandoned,
	     (unsigned long long)stats->nl_joins);
	diag("faults: %llu args placed to fault, %llu signals, %llu forks, %llu children killed, %llu workers killed, %llu fail-nth armed (%llu fired)",
	     (unsigned long long)stats->efault_args, (unsigned long long)stats->signals,
	     (unsigned long long)stats->forks, (unsigned long long)stats->children_killed,
	     (unsigned long long)stats->workers_killed,
	     (unsigned long long)stats->fault_armed, (unsigned long long)stats->fault_fired);
	diag("files: %llu opens, %llu closes, %llu dup2, %llu truncates, %llu other fops, %llu sysfs writes",
	     (unsigned long long)stats->opens, (unsigned long long)stats->closes,
	     (unsigned long long)stats->dup2s, (unsigned long long)stats->truncates,
	     (unsigned long long)stats->misc_fops,
	     (unsigned long long)stats->sysfs_writes);
}

/* After the storm: the module must still run a job end to end. */
static bool round_trip(void)
{
	struct edgeai_stage st = { .cluster_id = 0, .nr_layers = 1, .cost_ns = MS,
				   .in_mask = 1, .out_mask = 1 };
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 1, .stages = (uintptr_t)&st, .stage_size = sizeof(st),
		.nr_buffers = 1, .name = "after" };
	struct edgeai_exec_attach a = { .size = sizeof(a) };
	struct edgeai_job_submit js = { .size = sizeof(js), .priority = EDGEAI_PRIO_NORMAL,
					.nr_buffers = 1 };
	struct edgeai_exec_fetch f = { .size = sizeof(f) };
	struct edgeai_job_wait w = { .size = sizeof(w), .flags = EDGEAI_WAIT_TIMEOUT };
	int sub = open(DEV_PATH, O_RDWR), ex = open(DEV_PATH, O_RDWR);
	int buf = memfd_create("rt", 0), fds[64];
	bool good = false;

	if (sub < 0 || ex < 0 || buf < 0 || ftruncate(buf, 4096))
		goto out;
	js.buf_fds = (uintptr_t)&buf;
	f.buf_fds = (uintptr_t)fds;
	f.buf_fds_cap = 64;
	if (ioctl(sub, EDGEAI_IOCTL_GRAPH_CREATE, &g) || ioctl(ex, EDGEAI_IOCTL_EXEC_ATTACH, &a))
		goto out;
	js.graph_id = g.graph_id;
	if (ioctl(sub, EDGEAI_IOCTL_JOB_SUBMIT, &js) || ioctl(ex, EDGEAI_IOCTL_EXEC_FETCH, &f))
		goto out;
	close(fds[0]);
	{
		struct edgeai_exec_complete cp = { .size = sizeof(cp), .task_id = f.task_id };

		if (ioctl(ex, EDGEAI_IOCTL_EXEC_COMPLETE, &cp))
			goto out;
	}
	w.timeout_ns = now_ns() + 5000 * MS;
	good = !ioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w) && w.status == EDGEAI_JOB_DONE &&
	       w.job_id == js.job_id;
out:
	if (sub >= 0)
		close(sub);
	if (ex >= 0)
		close(ex);
	if (buf >= 0)
		close(buf);
	return good;
}

/* The user's job budget is whole again: max_jobs_per_uid fit, one more not. */
static bool quota_whole(uid_t uid)
{
	int pfd[2], st;
	char res = 0;
	pid_t pid;

	if (pipe(pfd))
		return false;
	pid = fork();
	if (pid == 0) {
		struct edgeai_stage stg = { .nr_layers = 1, .cost_ns = MS };
		struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
			.nr_stages = 1, .stages = (uintptr_t)&stg, .stage_size = sizeof(stg),
			.nr_buffers = 1, .name = "quota" };
		int fd, buf = memfd_create("q", 0);
		uint32_t i;

		if (uid && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
			_exit(1);
		fd = open(DEV_PATH, O_RDWR);
		if (fd < 0 || buf < 0 || ftruncate(buf, 64) ||
		    ioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g))
			_exit(1);
		for (i = 0; i <= tmpl.info.max_jobs_per_uid; i++) {
			struct edgeai_job_submit js = { .size = sizeof(js),
				.graph_id = g.graph_id, .priority = EDGEAI_PRIO_NORMAL,
				.buf_fds = (uintptr_t)&buf, .nr_buffers = 1 };
			int ret = ioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &js) ? -errno : 0;

			if (i < tmpl.info.max_jobs_per_uid ? ret != 0 : ret != -EDQUOT)
				_exit(1);
		}
		res = 1;
		if (write(pfd[1], &res, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &res, 1) != 1)
		res = 0;
	close(pfd[0]);
	waitpid(pid, &st, 0);
	return res == 1;
}

static void usage(void)
{
	fputs("usage: edgeai-fuzz [-s SEED] [-n CALLS] [-t SECONDS] [-p PROCS] [-T THREADS]\n"
	      "                   [-f PCT] [-U] [-K] [-N]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct worker *w;
	struct counters before, after;
	struct stat devst;
	struct rng mr;
	uint64_t quota, grace_end;
	unsigned int i, live, crashed = 0, stuck = 0, exited_bad = 0;
	int c, keeper, st;
	bool seeded = false;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * The pool holds pipes whose other end a thread may close: a write
	 * to one must fail with EPIPE, not end the worker (children and
	 * workers inherit this).
	 */
	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt(argc, argv, "s:n:t:p:T:f:UKN")) != -1) {
		switch (c) {
		case 's': o.seed = strtoull(optarg, NULL, 0); seeded = true; break;
		case 'n': o.calls = strtoull(optarg, NULL, 0); break;
		case 't': o.seconds = (unsigned int)atoi(optarg); break;
		case 'p': o.procs = (unsigned int)atoi(optarg); break;
		case 'T': o.threads = (unsigned int)atoi(optarg); break;
		case 'f': o.fault_pct = atoi(optarg); break;
		case 'U': o.all_root = true; break;
		case 'K': o.no_kill = true; break;
		case 'N': o.no_netlink = true; break;
		default: usage();
		}
	}
	if (!o.procs || !o.threads || o.procs > 64 || o.threads > 32)
		usage();
	if (!seeded)
		o.seed = now_ns() ^ ((uint64_t)getpid() << 32);
	diag("edgeai-fuzz seed=0x%llx calls=%llu seconds=%u procs=%u threads=%u fault=%d%s%s%s",
	     (unsigned long long)o.seed, (unsigned long long)o.calls, o.seconds, o.procs,
	     o.threads, o.fault_pct, o.all_root ? " all-root" : "",
	     o.no_kill ? " no-kill" : "", o.no_netlink ? " no-netlink" : "");
	diag("replay: edgeai-fuzz -s 0x%llx -n %llu -t %u -p %u -T %u -f %d%s%s%s",
	     (unsigned long long)o.seed, (unsigned long long)o.calls, o.seconds, o.procs,
	     o.threads, o.fault_pct, o.all_root ? " -U" : "", o.no_kill ? " -K" : "",
	     o.no_netlink ? " -N" : "");

	stats = mmap(NULL, sizeof(*stats), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stats == MAP_FAILED)
		return 2;
	keeper = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	if (!ok(keeper >= 0, "open %s", DEV_PATH))
		return tap_done();
	probe_clusters(keeper);
	ok(tmpl.nr_clusters > 0, "the module has %u clusters", tmpl.nr_clusters);
	if (!o.no_netlink) {
		c = nl_resolve(&tmpl);
		ok(c == 0 && tmpl.nl_grp_events >= 0 && tmpl.nl_grp_jobs >= 0,
		   "netlink family %d, groups %d and %d", tmpl.nl_family, tmpl.nl_grp_events,
		   tmpl.nl_grp_jobs);
	}
	tmpl.has_dmabuf = access("/dev/dma_heap/system", R_OK) == 0;
	if (o.fault_pct) {
		/* Faults only where fail-nth points, and quietly. */
		write_file("/sys/kernel/debug/failslab/ignore-gfp-wait", "N");
		write_file("/sys/kernel/debug/failslab/verbose", "0");
		write_file("/sys/kernel/debug/fail_usercopy/verbose", "0");
	}
	counters_read(&before);
	/* As a udev rule would: the unprivileged workers may open it. */
	stat(DEV_PATH, &devst);
	chmod(DEV_PATH, 0666);

	deadline = now_ns() + (uint64_t)o.seconds * 1000 * MS;
	quota = o.calls / (o.procs * o.threads) + 1;
	w = calloc(o.procs, sizeof(*w));
	for (i = 0; i < o.procs; i++)
		w[i].pid = spawn(i, 0, quota);

	/* Meanwhile: rmmod attempts, worker kills, counter reads. */
	rng_seed(&mr, o.seed, 0xfeed, 0);
	grace_end = 0;
	for (;;) {
		live = 0;
		for (i = 0; i < o.procs; i++) {
			pid_t r;

			if (!w[i].pid)
				continue;
			r = waitpid(w[i].pid, &st, WNOHANG);
			if (r == w[i].pid) {
				if (WIFSIGNALED(st) && !(w[i].killed_by_us && WTERMSIG(st) == SIGKILL)) {
					crashed++;
					diag("worker %u (pid %d) died of signal %d", i, w[i].pid,
					     WTERMSIG(st));
				} else if (WIFEXITED(st) && WEXITSTATUS(st)) {
					exited_bad++;
				}
				w[i].pid = 0;
				/* A worker we killed comes back, with the time left. */
				if (w[i].killed_by_us && now_ns() < deadline) {
					w[i].gen++;
					w[i].killed_by_us = false;
					w[i].pid = spawn(i, w[i].gen, quota / 2);
				}
				continue;
			}
			live++;
		}
		if (!live)
			break;
		if (now_ns() > deadline + 30000 * MS && !grace_end) {
			/* Past the time and the grace: something is stuck. */
			grace_end = now_ns() + 30000 * MS;
			for (i = 0; i < o.procs; i++)
				if (w[i].pid) {
					stuck++;
					diag("worker %u (pid %d) still running 30 s after the deadline",
					     i, w[i].pid);
					dump_stuck(w[i].pid);
					w[i].killed_by_us = true;
					kill(w[i].pid, SIGKILL);
				}
		}
		if (grace_end && now_ns() > grace_end) {
			diag("workers do not die: stuck in the kernel");
			break;
		}
		usleep(20000 + rnd(&mr, 80000));
		stat_add(&stats->rmmod_tries, 1);
		stat_add(&stats->calls, 1);
		c = try_rmmod("edgeai");
		if (c == -EWOULDBLOCK || c == -EBUSY)
			stat_add(&stats->rmmod_refused, 1);
		else if (c == 0)
			stat_add(&stats->rmmod_succeeded, 1);
		counters_read(&after);
		if (!o.no_kill && now_ns() < deadline && chance(&mr, 3)) {
			i = rnd(&mr, o.procs);
			if (w[i].pid && !w[i].killed_by_us) {
				kill(w[i].pid, SIGKILL);
				w[i].killed_by_us = true;
				stat_add(&stats->workers_killed, 1);
			}
		}
	}
	chmod(DEV_PATH, devst.st_mode & 07777);

	ok(!crashed, "no fuzzer process died of a signal (%u did)", crashed);
	ok(!stats->fuzzer_crashes, "no forked child died of a signal other than our SIGKILL (%llu did)",
	   (unsigned long long)stats->fuzzer_crashes);
	ok(!exited_bad && !stats->spawn_failed,
	   "every worker ran its course (%u could not set up, %llu could not be forked)",
	   exited_bad, (unsigned long long)stats->spawn_failed);
	ok(!stuck, "no worker stuck in a call past the deadline (%u were)", stuck);
	ok(stats->rmmod_tries && stats->rmmod_refused == stats->rmmod_tries,
	   "rmmod refused while the device was open (%llu of %llu tries)",
	   (unsigned long long)stats->rmmod_refused, (unsigned long long)stats->rmmod_tries);
	ok(!stats->odd_returns, "no ioctl returned > 0 or a kernel-internal errno (%llu did, last %lld)",
	   (unsigned long long)stats->odd_returns, (long long)stats->odd_last);
	print_stats();

	close(keeper);
	c = counters_settle(&after, 10000);
	ok(c, "every object freed once the files closed (live jobs %lld, graphs %lld, files %lld)",
	   after.live_jobs, after.live_graphs, after.live_ctx);
	{
		long long sub = after.submitted - before.submitted;
		long long ended = (after.completed - before.completed) +
				  (after.failed - before.failed) +
				  (after.cancelled - before.cancelled);

		ok(sub == ended && sub > 0,
		   "every submitted job ended exactly once: %lld submitted, %lld completed + %lld failed + %lld cancelled",
		   sub, after.completed - before.completed, after.failed - before.failed,
		   after.cancelled - before.cancelled);
	}
	ok(quota_whole(0), "root's job budget is whole again (%u jobs fit, one more is EDQUOT)",
	   tmpl.info.max_jobs_per_uid);
	if (!o.all_root) {
		chmod(DEV_PATH, 0666);
		ok(quota_whole(65534), "nobody's job budget is whole again");
		chmod(DEV_PATH, devst.st_mode & 07777);
	}
	ok(round_trip(), "the module still runs a job end to end");
	c = counters_settle(&after, 5000);
	ok(c, "and frees it");
	diag("fuzz-summary seed=0x%llx procs=%u threads=%u calls=%llu ioctls=%llu netlink=%llu jobs=%llu stages=%llu forks=%llu kills=%llu workers_killed=%llu signals=%llu efault_args=%llu faults_fired=%llu rmmod_tries=%llu submitted=%lld",
	     (unsigned long long)o.seed, o.procs, o.threads,
	     (unsigned long long)stats->calls, (unsigned long long)stats->ioctls,
	     (unsigned long long)stats->nl_sent, (unsigned long long)stats->jobs_submitted,
	     (unsigned long long)stats->stages_run, (unsigned long long)stats->forks,
	     (unsigned long long)stats->children_killed,
	     (unsigned long long)stats->workers_killed, (unsigned long long)stats->signals,
	     (unsigned long long)stats->efault_args, (unsigned long long)stats->fault_fired,
	     (unsigned long long)stats->rmmod_tries, after.submitted - before.submitted);
	return tap_done();
}
