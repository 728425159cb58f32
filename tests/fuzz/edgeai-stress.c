// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-stress: the broker under load and under fire, in the VM, with a
 * full account of every job at the end.
 *
 *   edgeai-stress [-s SEED] [-t SECONDS] [-S SUBMITTERS] [-E EXECUTORS]
 *
 *   -s SEED        the run's seed (default: from the clock; printed)
 *   -t SECONDS     how long the load lasts (default 60), then a drain
 *   -S SUBMITTERS  submitter processes (default 6; odd ones run as nobody)
 *   -E EXECUTORS   null executors per cluster (default 2)
 *
 * Submitters register graphs of one to three stages over the clusters and
 * submit bursts of jobs in every priority class they may use (root all
 * four, nobody normal and background), some with deadlines, some under
 * strict admission.  They collect results by id and by "any", cancel jobs,
 * destroy graphs with jobs still queued, and now and then close their
 * file with jobs outstanding.  Null executors (root) fetch stages and
 * complete them, failing a few.  Meanwhile the parent SIGKILLs executors
 * (some holding a stage) and starts new ones, switches governors through
 * sysfs and GOVERNOR_SET, changes cluster models, and listens on the
 * "jobs" netlink group.
 *
 * The invariant checked at the end: every job a submitter was told it
 * submitted reached exactly one final state: collected exactly once by
 * its submitter, or abandoned by closing its file (then counted
 * cancelled or, had it ended already, completed or failed).  The sysfs
 * counters agree (submitted = completed + failed + cancelled, rejections
 * counted), there is one JOB_DONE event per job and none twice, each
 * collected job's event says what the collector was told, and every
 * live_* counter is back to 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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

#include <linux/edgeai.h>

#include "common.h"
#include "../lib/tap.h"

#define MAX_SUB		32
#define MAX_EXEC	64
#define MAX_OUT		256	/* jobs a submitter has outstanding at most */

struct sub_tally {
	pid_t pid;
	uint64_t submitted;
	uint64_t rejected;	/* strict admission said no */
	uint64_t collected[8];	/* by final status */
	uint64_t abandoned;	/* outstanding when the file was closed */
	uint64_t foreign;	/* a result for a job we do not have */
	uint64_t bad_cookie;
	uint64_t lost;		/* outstanding at the end, never collected */
	uint64_t cancels;
	uint64_t graph_destroys;
	uint64_t reopens;
	uint64_t wait_errors;	/* an errno a wait must not give */
	int64_t wait_error_last;
	uint64_t edquot;
	bool done;
};

struct shared {
	volatile int phase;	/* 0 load, 1 drain, 2 stop */
	struct sub_tally sub[MAX_SUB];
	uint64_t stages_run;
	uint64_t stages_failed;
	uint64_t exec_kills;
	uint64_t gov_sysfs;
	uint64_t gov_ioctl;
	uint64_t models;
};

static struct shared *sh;
static struct {
	uint64_t seed;
	unsigned int seconds, subs, execs;
} o = { .seconds = 60, .subs = 6, .execs = 2 };

static struct edgeai_info info;
static uint32_t nr_clusters;
static char cl_names[16][EDGEAI_NAME_LEN];
static uint32_t cl_khz[16][2];

static void add(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

/* ---------------------------------------------------------------- executors */

/* A null executor: fetches, maybe dawdles, completes. */
static void executor_main(uint32_t cluster, uint64_t salt)
{
	struct edgeai_exec_attach a = { .size = sizeof(a), .cluster_id = cluster };
	struct rng r;
	int fd, fds[64];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rng_seed(&r, o.seed, 0xe7ec, salt);
	fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, EDGEAI_IOCTL_EXEC_ATTACH, &a))
		_exit(3);
	for (;;) {
		struct edgeai_exec_fetch f = { .size = sizeof(f), .buf_fds = (uintptr_t)fds,
					       .buf_fds_cap = 64 };
		struct edgeai_exec_complete c = { .size = sizeof(c) };
		uint32_t i;

		if (ioctl(fd, EDGEAI_IOCTL_EXEC_FETCH, &f))
			continue;
		for (i = 0; i < f.nr_buffers && i < 64; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		if (f.model_fd >= 0)
			close(f.model_fd);
		/* Hold some stages a while: kills then catch them held. */
		if (chance(&r, 40))
			usleep(f.cost_ns / 1000);
		c.task_id = f.task_id;
		c.status = chance(&r, 4) ? -EIO : 0;
		c.exec_ns = f.cost_ns;
		c.energy_uj = rnd(&r, 100);
		if (ioctl(fd, EDGEAI_IOCTL_EXEC_COMPLETE, &c) == 0) {
			add(&sh->stages_run, 1);
			if (c.status)
				add(&sh->stages_failed, 1);
		}
	}
}

struct exec_proc {
	pid_t pid;
	uint32_t cluster;
};

static pid_t spawn_executor(uint32_t cluster, uint64_t salt)
{
	pid_t pid = fork();

	if (pid == 0)
		executor_main(cluster, salt);
	return pid;
}

/* ---------------------------------------------------------------- submitters */

struct out_job {
	uint64_t id;
	uint64_t cookie;
};

struct subm {
	struct rng r;
	struct sub_tally *t;
	int idx;
	bool root;
	int fd;
	uint32_t graphs[4];
	uint32_t nbufs[4];
	int nr_graphs;
	struct out_job out[MAX_OUT];
	int nr_out;
	uint64_t seq;
	int bufs[8];
};

static void sub_open(struct subm *s)
{
	s->fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	s->nr_graphs = 0;
	s->nr_out = 0;
	if (s->fd < 0)
		_exit(3);
}

static void sub_graph(struct subm *s, int slot)
{
	struct edgeai_stage st[3];
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.stages = (uintptr_t)st, .stage_size = sizeof(st[0]), .name = "stress" };
	uint32_t i, n = 1 + rnd(&s->r, 3), nb = n + 1;

	if (n > info.max_stages)
		n = info.max_stages;
	if (nb > info.max_buffers)
		nb = info.max_buffers;
	memset(st, 0, sizeof(st));
	for (i = 0; i < n; i++) {
		st[i].cluster_id = rnd(&s->r, nr_clusters);
		st[i].nr_layers = 1 + rnd(&s->r, 5);
		st[i].first_layer = i * 5;
		st[i].cost_ns = (100 + rnd(&s->r, 2000)) * 1000ULL;
		st[i].in_mask = 1ULL << (i % nb);
		st[i].out_mask = 1ULL << ((i + 1) % nb);
	}
	g.nr_stages = n;
	g.nr_buffers = nb;
	if (ioctl(s->fd, EDGEAI_IOCTL_GRAPH_CREATE, &g) == 0) {
		s->graphs[slot] = g.graph_id;
		s->nbufs[slot] = nb;
	} else {
		s->graphs[slot] = 0;
	}
}

static void sub_forget(struct subm *s, int k)
{
	s->out[k] = s->out[--s->nr_out];
}

static void sub_collected(struct subm *s, const struct edgeai_job_wait *w)
{
	int k;

	for (k = 0; k < s->nr_out; k++)
		if (s->out[k].id == w->job_id)
			break;
	if (k == s->nr_out) {
		add(&s->t->foreign, 1);
		return;
	}
	if (s->out[k].cookie != w->cookie)
		add(&s->t->bad_cookie, 1);
	add(&s->t->collected[w->status < 8 ? w->status : 0], 1);
	sub_forget(s, k);
}

/* Collect: 0 for a job, -errno otherwise. */
static int sub_wait(struct subm *s, uint64_t id, uint32_t flags, uint64_t timeout)
{
	struct edgeai_job_wait w = { .size = sizeof(w), .job_id = id, .flags = flags,
				     .timeout_ns = timeout };
	int ret = ioctl(s->fd, EDGEAI_IOCTL_JOB_WAIT, &w) ? -errno : 0;

	if (!ret) {
		sub_collected(s, &w);
		return 0;
	}
	/* By id, ENOENT means collected already: we never do that twice. */
	if (ret != -EAGAIN && ret != -ETIMEDOUT && ret != -EINTR &&
	    !(ret == -ECHILD && !id && !s->nr_out)) {
		add(&s->t->wait_errors, 1);
		s->t->wait_error_last = ret;
	}
	return ret;
}

static void sub_submit(struct subm *s)
{
	struct edgeai_job_submit js = { .size = sizeof(js) };
	int g = rnd(&s->r, 4);

	if (!s->graphs[g])
		sub_graph(s, g);
	if (!s->graphs[g] || s->nr_out >= MAX_OUT)
		return;
	js.graph_id = s->graphs[g];
	js.priority = s->root ? rnd(&s->r, EDGEAI_NR_PRIO) : 2 + rnd(&s->r, 2);
	if (chance(&s->r, 40))
		js.deadline_ns = now_ns() + (1 + rnd(&s->r, 100)) * MS;
	if (js.deadline_ns && chance(&s->r, 25))
		js.flags = EDGEAI_SUBMIT_STRICT;
	js.cookie = ((uint64_t)s->idx << 48) | ++s->seq;
	js.nr_buffers = s->nbufs[g];
	js.buf_fds = (uintptr_t)s->bufs;
	if (ioctl(s->fd, EDGEAI_IOCTL_JOB_SUBMIT, &js)) {
		if (errno == ETIME)
			add(&s->t->rejected, 1);
		else if (errno == EDQUOT)
			add(&s->t->edquot, 1);
		return;
	}
	add(&s->t->submitted, 1);
	s->out[s->nr_out].id = js.job_id;
	s->out[s->nr_out].cookie = js.cookie;
	s->nr_out++;
}

static void submitter_main(int idx)
{
	struct subm s = { .idx = idx };
	uint64_t end;
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	s.t = &sh->sub[idx];
	s.root = !(idx & 1);
	if (!s.root && (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)))
		_exit(3);
	rng_seed(&s.r, o.seed, 0x5b, idx);
	for (i = 0; i < 8; i++) {
		s.bufs[i] = memfd_create("stress", MFD_CLOEXEC);
		if (s.bufs[i] < 0 || ftruncate(s.bufs[i], 4096))
			_exit(3);
	}
	sub_open(&s);
	while (sh->phase == 0) {
		int a = rnd(&s.r, 1000);

		if (a < 350) {
			int n = 1 + rnd(&s.r, 4);

			while (n--)
				sub_submit(&s);
		} else if (a < 650) {
			sub_wait(&s, 0, EDGEAI_WAIT_TIMEOUT, now_ns() + rnd(&s.r, 20) * MS);
		} else if (a < 800) {
			if (s.nr_out)
				sub_wait(&s, s.out[rnd(&s.r, s.nr_out)].id, EDGEAI_WAIT_NONBLOCK, 0);
		} else if (a < 850) {
			struct pollfd p = { .fd = s.fd, .events = POLLIN };

			if (poll(&p, 1, 10) == 1)
				sub_wait(&s, 0, EDGEAI_WAIT_NONBLOCK, 0);
		} else if (a < 930) {
			if (s.nr_out) {
				struct edgeai_job_cancel c = { .size = sizeof(c),
					.job_id = s.out[rnd(&s.r, s.nr_out)].id };

				/* 0, or EALREADY when it ended first. */
				if (ioctl(s.fd, EDGEAI_IOCTL_JOB_CANCEL, &c) == 0 || errno == EALREADY)
					add(&s.t->cancels, 1);
				else
					add(&s.t->wait_errors, 1);
			}
		} else if (a < 970) {
			int g = rnd(&s.r, 4);
			struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = s.graphs[g] };

			if (s.graphs[g] && ioctl(s.fd, EDGEAI_IOCTL_GRAPH_DESTROY, &d) == 0)
				add(&s.t->graph_destroys, 1);
			s.graphs[g] = 0;
		} else if (a < 975) {
			/* Walk away: the outstanding jobs are cancelled by the close. */
			add(&s.t->abandoned, s.nr_out);
			add(&s.t->reopens, 1);
			close(s.fd);
			memset(s.graphs, 0, sizeof(s.graphs));
			sub_open(&s);
		} else {
			usleep(rnd(&s.r, 3000));
		}
	}
	/* Drain: every job left must come back, with executors running. */
	end = now_ns() + 60000 * MS;
	while (s.nr_out && now_ns() < end)
		sub_wait(&s, chance(&s.r, 50) ? 0 : s.out[rnd(&s.r, s.nr_out)].id,
			 EDGEAI_WAIT_TIMEOUT, now_ns() + 50 * MS);
	s.t->lost = s.nr_out;
	close(s.fd);
	s.t->done = true;
	_exit(0);
}

/* ---------------------------------------------------------------- events */

struct ev_key {
	uint32_t pid;
	uint64_t id;
	uint64_t submit_ns;
	uint32_t status;
	uint32_t seen;
};

static struct ev_key *ev_tab;
static size_t ev_cap = 1 << 18;
static size_t ev_n;
static uint64_t ev_dups, ev_overruns, ev_rejected, ev_total;
static volatile int ev_stop;

static struct ev_key *ev_find(uint32_t pid, uint64_t id, uint64_t sns, bool insert);

/* Twice the room, every event seen so far moved over (long runs). */
static bool ev_grow(void)
{
	struct ev_key *old = ev_tab;
	size_t i, old_cap = ev_cap;

	ev_tab = calloc(old_cap * 2, sizeof(*ev_tab));
	if (!ev_tab) {
		ev_tab = old;
		return false;
	}
	ev_cap = old_cap * 2;
	ev_n = 0;
	for (i = 0; i < old_cap; i++) {
		struct ev_key *k;

		if (!old[i].seen)
			continue;
		k = ev_find(old[i].pid, old[i].id, old[i].submit_ns, true);
		k->status = old[i].status;
		k->seen = old[i].seen;
	}
	free(old);
	return true;
}

static struct ev_key *ev_find(uint32_t pid, uint64_t id, uint64_t sns, bool insert)
{
	uint64_t h = (pid * 0x9e3779b97f4a7c15ULL) ^ (id * 0xbf58476d1ce4e5b9ULL) ^ sns;
	size_t i;

	if (insert && ev_n * 2 > ev_cap && !ev_grow())
		return NULL;
	for (i = h & (ev_cap - 1);; i = (i + 1) & (ev_cap - 1)) {
		struct ev_key *k = &ev_tab[i];

		if (!k->seen) {
			if (!insert)
				return NULL;
			k->pid = pid;
			k->id = id;
			k->submit_ns = sns;
			ev_n++;
			return k;
		}
		if (k->pid == pid && k->id == id && k->submit_ns == sns)
			return k;
	}
}

static void *listener_main(void *arg)
{
	int fd = *(int *)arg;
	uint8_t buf[65536] __attribute__((aligned(4)));

	/* After the stop, what is queued still counts: read to the end. */
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		struct nlmsghdr *h;
		int stopping = ev_stop;

		if (!stopping && poll(&p, 1, 100) != 1)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS)
				ev_overruns++;
			else if (stopping)
				break;
			continue;
		}
		for (h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct genlmsghdr *g = NLMSG_DATA(h);
			const struct nlattr *a = (const void *)((uint8_t *)g + GENL_HDRLEN);
			int len = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			uint32_t pid = 0, status = 0;
			uint64_t id = 0, sns = 0;
			struct ev_key *k;

			if (g->cmd == EDGEAI_NL_CMD_JOB_REJECTED) {
				ev_rejected++;
				continue;
			}
			if (g->cmd != EDGEAI_NL_CMD_JOB_DONE)
				continue;
			for (; NLA_OK_(a, len); NLA_NEXT_(a, len)) {
				switch (a->nla_type & NLA_TYPE_MASK) {
				case EDGEAI_NL_A_PID: memcpy(&pid, NLA_DATA_(a), 4); break;
				case EDGEAI_NL_A_STATUS: memcpy(&status, NLA_DATA_(a), 4); break;
				case EDGEAI_NL_A_JOB_ID: memcpy(&id, NLA_DATA_(a), 8); break;
				case EDGEAI_NL_A_SUBMIT_NS: memcpy(&sns, NLA_DATA_(a), 8); break;
				}
			}
			ev_total++;
			k = ev_find(pid, id, sns, true);
			if (k && k->seen)
				ev_dups++;
			else if (k) {
				k->status = status;
				k->seen = 1;
			}
		}
	}
	return NULL;
}

/* ---------------------------------------------------------------- chaos */

static void chaos(struct rng *r, struct exec_proc *ex, unsigned int nex, uint64_t *salt)
{
	int a = rnd(r, 100);
	char path[160];

	if (a < 40) {
		unsigned int i = rnd(r, nex);
		int st;

		if (ex[i].pid > 0) {
			kill(ex[i].pid, SIGKILL);
			waitpid(ex[i].pid, &st, 0);
			add(&sh->exec_kills, 1);
		}
		/* Sometimes the cluster goes without this executor a while. */
		if (chance(r, 70))
			ex[i].pid = spawn_executor(ex[i].cluster, ++*salt);
		else
			ex[i].pid = 0;
	} else if (a < 55) {
		unsigned int i;

		for (i = 0; i < nex; i++)
			if (ex[i].pid <= 0)
				ex[i].pid = spawn_executor(ex[i].cluster, ++*salt);
	} else if (a < 75) {
		static const char *const govs[] = { "performance", "powersave", "userspace",
						    "deadline" };

		snprintf(path, sizeof(path), SYS_CLUSTERS "%s/governor",
			 cl_names[rnd(r, nr_clusters)]);
		if (write_file(path, govs[rnd(r, 4)]) == 0)
			add(&sh->gov_sysfs, 1);
	} else if (a < 92) {
		static const char *const govs[] = { "performance", "powersave", "userspace",
						    "deadline" };
		struct edgeai_governor_set g = { .size = sizeof(g) };
		int fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
		int k = rnd(r, 4);

		g.cluster_id = rnd(r, nr_clusters);
		strcpy(g.governor, govs[k]);
		if (k == 2 && chance(r, 50))
			g.setspeed_khz = cl_khz[g.cluster_id][rnd(r, 2)];
		if (fd >= 0 && ioctl(fd, EDGEAI_IOCTL_GOVERNOR_SET, &g) == 0)
			add(&sh->gov_ioctl, 1);
		if (fd >= 0)
			close(fd);
	} else {
		struct edgeai_cluster_set_model m = { .size = sizeof(m) };
		int fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);

		m.cluster_id = rnd(r, nr_clusters);
		m.idle_mw = rnd(r, 300);
		m.switch_up_us = rnd(r, 500);
		m.switch_down_us = rnd(r, 500);
		if (fd >= 0 && ioctl(fd, EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m) == 0)
			add(&sh->models, 1);
		if (fd >= 0)
			close(fd);
	}
}

static void probe(void)
{
	int fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	uint32_t i, f[32];

	if (fd < 0)
		return;
	info.size = sizeof(info);
	if (ioctl(fd, EDGEAI_IOCTL_GET_INFO, &info) == 0)
		nr_clusters = info.nr_clusters < 16 ? info.nr_clusters : 16;
	for (i = 0; i < nr_clusters; i++) {
		struct edgeai_cluster_info ci = { .size = sizeof(ci), .cluster_id = i,
						  .freqs = (uintptr_t)f, .freqs_cap = 32 };

		if (ioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci) == 0) {
			snprintf(cl_names[i], sizeof(cl_names[i]), "%s", ci.name);
			cl_khz[i][0] = f[0];
			cl_khz[i][1] = ci.max_freq_khz;
		}
	}
	close(fd);
}

int main(int argc, char **argv)
{
	struct exec_proc ex[MAX_EXEC];
	struct counters before, after;
	struct stat devst;
	struct rng r;
	pthread_t lt;
	uint64_t end, salt = 0, sum_sub = 0, sum_rej = 0, sum_ab = 0, sum_col = 0;
	uint64_t col[8] = { 0 }, foreign = 0, lost = 0, badc = 0, werr = 0;
	uint64_t ev_mismatch = 0, ev_missing = 0;
	unsigned int i, nex, stuck = 0;
	int c, lfd, fam, gev, gjobs, st;
	bool seeded = false;
	pid_t subs[MAX_SUB];

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "s:t:S:E:")) != -1) {
		switch (c) {
		case 's': o.seed = strtoull(optarg, NULL, 0); seeded = true; break;
		case 't': o.seconds = (unsigned int)atoi(optarg); break;
		case 'S': o.subs = (unsigned int)atoi(optarg); break;
		case 'E': o.execs = (unsigned int)atoi(optarg); break;
		default:
			fputs("usage: edgeai-stress [-s SEED] [-t SECONDS] [-S SUBMITTERS] [-E EXECUTORS]\n",
			      stderr);
			return 2;
		}
	}
	if (!seeded)
		o.seed = now_ns() ^ ((uint64_t)getpid() << 32);
	if (o.subs > MAX_SUB || !o.subs)
		o.subs = MAX_SUB;
	diag("edgeai-stress seed=0x%llx seconds=%u submitters=%u executors/cluster=%u",
	     (unsigned long long)o.seed, o.seconds, o.subs, o.execs);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ev_tab = calloc(ev_cap, sizeof(*ev_tab));
	if (sh == MAP_FAILED || !ev_tab)
		return 2;
	probe();
	if (!ok(nr_clusters > 0, "the module has %u clusters", nr_clusters))
		return tap_done();

	/* The listener first: every job's end must reach it. */
	lfd = nl_socket();
	{
		int sz = 64 << 20;

		setsockopt(lfd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	}
	c = nl_family_of(EDGEAI_GENL_NAME, EDGEAI_NL_MCGRP_EVENTS, &fam, &gev,
			 EDGEAI_NL_MCGRP_JOBS, &gjobs);
	ok(c == 0 && lfd >= 0 &&
	   !setsockopt(lfd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &gjobs, sizeof(gjobs)),
	   "root listens on the \"jobs\" group");
	pthread_create(&lt, NULL, listener_main, &lfd);

	counters_read(&before);
	stat(DEV_PATH, &devst);
	chmod(DEV_PATH, 0666);
	nex = 0;
	for (i = 0; i < nr_clusters; i++) {
		unsigned int k;

		for (k = 0; k < o.execs && nex < MAX_EXEC; k++, nex++) {
			ex[nex].cluster = i;
			ex[nex].pid = spawn_executor(i, ++salt);
		}
	}
	for (i = 0; i < o.subs; i++) {
		subs[i] = fork();
		if (subs[i] == 0)
			submitter_main((int)i);
		sh->sub[i].pid = subs[i];
	}

	rng_seed(&r, o.seed, 0xc4a05, 0);
	end = now_ns() + (uint64_t)o.seconds * 1000 * MS;
	while (now_ns() < end) {
		usleep(20000 + rnd(&r, 150000));
		chaos(&r, ex, nex, &salt);
	}
	/* Drain with every executor there. */
	for (i = 0; i < nex; i++)
		if (ex[i].pid <= 0)
			ex[i].pid = spawn_executor(ex[i].cluster, ++salt);
	sh->phase = 1;
	for (i = 0; i < o.subs; i++) {
		uint64_t limit = now_ns() + 90000 * MS;
		pid_t w;

		while ((w = waitpid(subs[i], &st, WNOHANG)) == 0 && now_ns() < limit)
			usleep(20000);
		if (w != subs[i]) {
			stuck++;
			kill(subs[i], SIGKILL);
			waitpid(subs[i], &st, 0);
		}
	}
	for (i = 0; i < nex; i++)
		if (ex[i].pid > 0) {
			kill(ex[i].pid, SIGKILL);
			waitpid(ex[i].pid, &st, 0);
		}
	chmod(DEV_PATH, devst.st_mode & 07777);
	c = counters_settle(&after, 10000);
	usleep(300000);	/* the last events */
	ev_stop = 1;
	pthread_join(lt, NULL);

	for (i = 0; i < o.subs; i++) {
		struct sub_tally *t = &sh->sub[i];
		unsigned int k;

		sum_sub += t->submitted;
		sum_rej += t->rejected;
		sum_ab += t->abandoned;
		for (k = 0; k < 8; k++) {
			col[k] += t->collected[k];
			sum_col += t->collected[k];
		}
		foreign += t->foreign;
		lost += t->lost;
		badc += t->bad_cookie;
		werr += t->wait_errors;
		if (t->wait_errors)
			diag("submitter %u: %llu bad wait/cancel results, last %lld", i,
			     (unsigned long long)t->wait_errors, (long long)t->wait_error_last);
	}
	diag("submitted %llu (rejected by admission %llu), collected %llu: done %llu, late %llu, failed %llu, cancelled %llu, executor lost %llu; abandoned by closing %llu",
	     (unsigned long long)sum_sub, (unsigned long long)sum_rej,
	     (unsigned long long)sum_col, (unsigned long long)col[EDGEAI_JOB_DONE],
	     (unsigned long long)col[EDGEAI_JOB_DEADLINE_MISSED],
	     (unsigned long long)col[EDGEAI_JOB_FAILED],
	     (unsigned long long)col[EDGEAI_JOB_CANCELLED],
	     (unsigned long long)col[EDGEAI_JOB_EXEC_LOST], (unsigned long long)sum_ab);
	diag("stages run %llu (%llu failed on purpose), executors killed %llu, governors switched %llu by sysfs + %llu by ioctl, models %llu",
	     (unsigned long long)sh->stages_run, (unsigned long long)sh->stages_failed,
	     (unsigned long long)sh->exec_kills, (unsigned long long)sh->gov_sysfs,
	     (unsigned long long)sh->gov_ioctl, (unsigned long long)sh->models);
	diag("sysfs: submitted %lld, completed %lld, failed %lld, cancelled %lld, rejected %lld (deltas)",
	     after.submitted - before.submitted, after.completed - before.completed,
	     after.failed - before.failed, after.cancelled - before.cancelled,
	     after.rejected - before.rejected);

	ok(!stuck, "every submitter drained and exited (%u stuck)", stuck);
	ok(sum_sub > 0 && sum_col > 0, "work was done: %llu jobs submitted", (unsigned long long)sum_sub);
	ok(!lost, "no job left uncollected at the end (%llu)", (unsigned long long)lost);
	ok(!foreign && !badc,
	   "no job collected twice or not ours, every cookie right (%llu, %llu)",
	   (unsigned long long)foreign, (unsigned long long)badc);
	ok(!werr, "no wait or cancel gave an error it must not (%llu)", (unsigned long long)werr);
	ok(sum_col + sum_ab == sum_sub,
	   "every job reached exactly one end: %llu collected + %llu abandoned = %llu submitted",
	   (unsigned long long)sum_col, (unsigned long long)sum_ab, (unsigned long long)sum_sub);
	ok(after.submitted - before.submitted == (long long)sum_sub,
	   "sysfs submitted agrees (%lld)", after.submitted - before.submitted);
	ok(after.rejected - before.rejected == (long long)sum_rej,
	   "sysfs rejected agrees (%lld)", after.rejected - before.rejected);
	ok((after.completed - before.completed) + (after.failed - before.failed) +
	   (after.cancelled - before.cancelled) == (long long)sum_sub,
	   "submitted = completed + failed + cancelled in sysfs");
	ok(after.completed - before.completed >=
	   (long long)(col[EDGEAI_JOB_DONE] + col[EDGEAI_JOB_DEADLINE_MISSED]) &&
	   after.failed - before.failed >=
	   (long long)(col[EDGEAI_JOB_FAILED] + col[EDGEAI_JOB_EXEC_LOST]) &&
	   after.cancelled - before.cancelled >= (long long)col[EDGEAI_JOB_CANCELLED],
	   "each sysfs counter covers the results collected with its status");
	ok(c, "every object freed (live jobs %lld, graphs %lld, files %lld)",
	   after.live_jobs, after.live_graphs, after.live_ctx);
	ok(sh->exec_kills > 0, "executors were killed under load (%llu times)",
	   (unsigned long long)sh->exec_kills);

	if (ev_overruns) {
		skip("netlink listener overran %llu times: event checks not exact",
		     (unsigned long long)ev_overruns);
	} else {
		/* Each collected job's event says what its collector was told. */
		size_t k;
		uint64_t per_status[8] = { 0 };

		for (k = 0; k < ev_cap; k++)
			if (ev_tab[k].seen)
				per_status[ev_tab[k].status < 8 ? ev_tab[k].status : 0]++;
		ev_missing = sum_sub > ev_n ? sum_sub - ev_n : 0;
		ok(ev_total == sum_sub && !ev_dups,
		   "one JOB_DONE event per submitted job, none twice (%llu events, %llu twice)",
		   (unsigned long long)ev_total, (unsigned long long)ev_dups);
		ok(!ev_missing, "no job ended without its event (%llu)", (unsigned long long)ev_missing);
		ev_mismatch = (per_status[EDGEAI_JOB_DONE] + per_status[EDGEAI_JOB_DEADLINE_MISSED]) !=
			      (uint64_t)(after.completed - before.completed);
		ok(!ev_mismatch, "events by status agree with the counters");
		ok(ev_rejected == sum_rej, "one JOB_REJECTED event per refusal (%llu)",
		   (unsigned long long)ev_rejected);
	}
	diag("stress-summary seed=0x%llx seconds=%u submitters=%u executors=%u submitted=%llu collected=%llu abandoned=%llu rejected=%llu stages=%llu exec_kills=%llu gov_switches=%llu events=%llu",
	     (unsigned long long)o.seed, o.seconds, o.subs, nex, (unsigned long long)sum_sub,
	     (unsigned long long)sum_col, (unsigned long long)sum_ab, (unsigned long long)sum_rej,
	     (unsigned long long)sh->stages_run, (unsigned long long)sh->exec_kills,
	     (unsigned long long)(sh->gov_sysfs + sh->gov_ioctl), (unsigned long long)ev_total);
	return tap_done();
}
