// SPDX-License-Identifier: GPL-2.0-only
/*
 * The user-space broker: edgeai's job brokering as a daemon, the baseline
 * of edgeai-bench ctl.  See ubroker.h and ubproto.h.
 *
 * Everything runs on one thread around epoll_wait().  A readable
 * connection is drained with recvmmsg() (one call usually gets everything
 * waiting), each message is handled at once, and a stage goes to an idle
 * executor the moment it is queued.  The clock is read once per message.
 *
 * Semantics follow the kernel's (kmod/job.c, kmod/exec.c): per-cluster
 * queues in ep_key_before() order, FIFO among equals, strict admission by
 * ep_admit(), per-user job limits, buffers checked at submission (shmem
 * file, size, access mode), a closed submitter's jobs cancelled, a lost
 * executor's stage requeued up to max_retries times.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "pqueue.h"
#include "ubproto.h"
#include "ubroker.h"

/* Longest stage estimate accepted, as the kernel's: 1000 s. */
#define UB_MAX_COST_NS	(1000ULL * 1000000000ULL)
/* Messages one recvmmsg() takes. */
#define UB_BATCH	8
#define UB_EVENTS	64

struct ub_graph {
	unsigned int ref;
	uint32_t id;
	uint64_t key;
	int model_fd;
	uint32_t nr_stages;
	uint32_t nr_buffers;
	uint64_t written;
	uint64_t buf_size[UB_MAX_BUFFERS];
	struct edgeai_stage stages[UB_MAX_STAGES];
	char name[EDGEAI_NAME_LEN];
};

struct ub_conn;

struct ub_job {
	struct pq_item item;
	struct ub_conn *owner;		/* NULL once the owner went away */
	struct ub_job *prev, *next;	/* in the owner's list */
	struct ub_graph *graph;
	struct ub_user *user;
	uint64_t tag;
	uint64_t cookie;
	uint64_t deadline;
	uint64_t submit_ns;
	uint64_t seq;
	uint32_t prio;
	uint32_t stage;
	uint32_t retries;
	int fds[UB_MAX_BUFFERS];
	struct edgeai_stage_times times[UB_MAX_STAGES];
};

struct ub_user {
	struct ub_user *next;
	uid_t uid;
	uint32_t jobs;
};

struct ub_cluster {
	struct pqueue rq;
	uint64_t seq;
	uint64_t backlog_ns[EP_NR_PRIO];
	uint64_t running_ns;
	uint32_t nr_exec;
	struct ub_conn *idle;		/* executors waiting, a stack */
	struct ep_opp opp;
	struct ep_cluster_model model;
};

enum ub_role {
	UB_ROLE_NEW,
	UB_ROLE_SUBMITTER,
	UB_ROLE_EXECUTOR,
	UB_ROLE_LISTENER,
};

struct ub_out {
	struct ub_out *next;
	union ub_msg msg;
};

struct ub_conn {
	int fd;
	enum ub_role role;
	bool dead;
	uint32_t pid;
	uid_t uid;
	struct ub_user *user;
	struct ub_conn *next_dead;
	/* Messages the socket had no room for, in order. */
	struct ub_out *out_head, *out_tail;
	/* Submitter. */
	struct ub_graph *graphs[UB_MAX_GRAPHS];
	uint32_t nr_graphs;
	struct ub_job *jobs;
	/* Executor. */
	struct ub_cluster *cluster;
	struct ub_conn *next_idle;
	struct ub_job *running;
	uint64_t task_id;
};

struct ub_broker {
	const struct ub_config *cfg;
	int ep;
	uint64_t now;
	uint64_t next_task_id;
	uint64_t next_graph_key;
	struct ub_cluster clusters[UB_MAX_CLUSTERS];
	struct ub_user *users;
	struct ub_job *free_jobs;
	struct ub_conn *dead;
};

static uint64_t ub_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---------------------------------------------------------------- sockets */

static int ub_addr(const char *path, struct sockaddr_un *sa, socklen_t *len)
{
	size_t n = strlen(path);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (!n || n >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, path, n);
	if (path[0] == '@')
		sa->sun_path[0] = 0;
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
			   (path[0] == '@' ? 0 : 1));
	return 0;
}

/* A SEQPACKET socket at @path: the broker's, listening, or a client's, connected. */
static int ub_socket(const char *path, bool server)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd, ret;

	ret = ub_addr(path, &sa, &len);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | (server ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return -errno;
	if (server && path[0] != '@')
		unlink(path);
	if (server ? bind(fd, (struct sockaddr *)&sa, len) || listen(fd, 128) :
		     connect(fd, (struct sockaddr *)&sa, len)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

int ub_listen(const char *path)
{
	return ub_socket(path, true);
}

int ub_connect(const char *path)
{
	return ub_socket(path, false);
}

static void ub_conn_kill(struct ub_broker *b, struct ub_conn *c);

/*
 * Send a message to a connection, or keep it for when the socket has
 * room: the order of a connection's messages is kept.  Descriptors are
 * only sent to executors, whose socket holds at most one task.
 */
static void ub_conn_send(struct ub_broker *b, struct ub_conn *c,
			 const union ub_msg *msg, const int *fds)
{
	struct ub_out *o;
	int ret;

	if (c->dead)
		return;
	if (!c->out_head) {
		ret = ub_send(c->fd, msg, fds);
		if (!ret)
			return;
		if (ret != -EAGAIN || msg->hdr.nr_fds) {
			ub_conn_kill(b, c);
			return;
		}
	}
	o = malloc(offsetof(struct ub_out, msg) + msg->hdr.len);
	if (!o) {
		ub_conn_kill(b, c);
		return;
	}
	o->next = NULL;
	memcpy(&o->msg, msg, msg->hdr.len);
	if (c->out_tail) {
		c->out_tail->next = o;
	} else {
		struct epoll_event ev = {
			.events = EPOLLIN | EPOLLOUT, .data.ptr = c,
		};

		c->out_head = o;
		epoll_ctl(b->ep, EPOLL_CTL_MOD, c->fd, &ev);
	}
	c->out_tail = o;
}

static void ub_conn_flush(struct ub_broker *b, struct ub_conn *c)
{
	struct ub_out *o;
	int ret;

	while ((o = c->out_head) != NULL) {
		ret = ub_send(c->fd, &o->msg, NULL);
		if (ret == -EAGAIN)
			return;
		if (ret) {
			ub_conn_kill(b, c);
			return;
		}
		c->out_head = o->next;
		free(o);
	}
	c->out_tail = NULL;
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

		epoll_ctl(b->ep, EPOLL_CTL_MOD, c->fd, &ev);
	}
}

static void ub_reply(struct ub_broker *b, struct ub_conn *c, int error,
		     uint32_t id)
{
	union ub_msg m;

	ub_hdr_init(&m.hdr, UB_REPLY, sizeof(m.reply), 0);
	m.reply.error = error;
	m.reply.id = id;
	ub_conn_send(b, c, &m, NULL);
}

/* ---------------------------------------------------------------- users */

static struct ub_user *ub_user_get(struct ub_broker *b, uid_t uid)
{
	struct ub_user *u;

	for (u = b->users; u; u = u->next)
		if (u->uid == uid)
			return u;
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->uid = uid;
	u->next = b->users;
	b->users = u;
	return u;
}

/* ---------------------------------------------------------------- graphs */

static void ub_graph_put(struct ub_graph *g)
{
	if (--g->ref)
		return;
	if (g->model_fd >= 0)
		close(g->model_fd);
	free(g);
}

static int ub_graph_fill(struct ub_broker *b, struct ub_graph *g,
			 const struct ub_graph_msg *m)
{
	uint64_t bufs = (m->nr_buffers == 64) ? ~0ULL :
			((1ULL << m->nr_buffers) - 1);
	uint32_t i;

	g->nr_stages = m->nr_stages;
	g->nr_buffers = m->nr_buffers;
	memcpy(g->name, m->name, sizeof(g->name));
	memcpy(g->buf_size, m->buf_size, sizeof(g->buf_size));
	for (i = 0; i < m->nr_stages; i++) {
		const struct edgeai_stage *st = &m->stages[i];

		if (st->flags || st->__reserved || !st->nr_layers ||
		    st->first_layer + st->nr_layers < st->first_layer ||
		    st->cost_ns > UB_MAX_COST_NS ||
		    (st->in_mask & ~bufs) || (st->out_mask & ~bufs) ||
		    st->cluster_id >= b->cfg->nr_clusters)
			return -EINVAL;
		g->stages[i] = *st;
		g->written |= st->out_mask;
	}
	return 0;
}

/*
 * A file descriptor the broker takes (a model, a job's buffer): a regular
 * file (*st), opened for reading.  Its access mode (O_RDONLY or O_RDWR),
 * or -errno.
 */
static int ub_check_file(int fd, struct stat *st)
{
	int fl;

	if (fstat(fd, st))
		return -errno;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -errno;
	return (fl & O_ACCMODE) == O_WRONLY ? -EACCES : fl & O_ACCMODE;
}

static int ub_check_model(int fd)
{
	struct stat st;
	int mode = ub_check_file(fd, &st);

	return mode < 0 ? mode : 0;
}

static void ub_on_graph(struct ub_broker *b, struct ub_conn *c,
			const struct ub_graph_msg *m, int *fds,
			unsigned int nr_fds)
{
	struct ub_graph *g;
	uint32_t slot;
	int ret;

	if (c->nr_graphs >= b->cfg->max_graphs) {
		ret = -EMFILE;
		goto err;
	}
	for (slot = 0; c->graphs[slot]; slot++)
		;
	g = calloc(1, sizeof(*g));
	if (!g) {
		ret = -ENOMEM;
		goto err;
	}
	g->ref = 1;
	g->model_fd = -1;
	ret = ub_graph_fill(b, g, m);
	if (!ret && nr_fds) {
		ret = ub_check_model(fds[0]);
		g->model_fd = fds[0];
		nr_fds = 0;
	}
	if (ret) {
		ub_graph_put(g);
		goto err;
	}
	g->id = slot + 1;
	g->key = ++b->next_graph_key;
	c->graphs[slot] = g;
	c->nr_graphs++;
	ub_reply(b, c, 0, g->id);
	return;
err:
	ub_close_fds(fds, nr_fds);
	ub_reply(b, c, ret, 0);
}

/* ---------------------------------------------------------------- jobs */

static struct ub_job *ub_job_alloc(struct ub_broker *b)
{
	struct ub_job *job = b->free_jobs;

	if (job) {
		b->free_jobs = job->next;
		return job;
	}
	return malloc(sizeof(*job));
}

/* Forget a job: its descriptors, its graph, its place in its owner's list. */
static void ub_job_free(struct ub_broker *b, struct ub_job *job)
{
	ub_close_fds(job->fds, job->graph->nr_buffers);
	ub_graph_put(job->graph);
	job->user->jobs--;
	if (job->owner) {
		if (job->prev)
			job->prev->next = job->next;
		else
			job->owner->jobs = job->next;
		if (job->next)
			job->next->prev = job->prev;
	}
	job->next = b->free_jobs;
	b->free_jobs = job;
}

static void ub_job_finish(struct ub_broker *b, struct ub_job *job,
			  uint32_t status, int32_t error)
{
	struct ub_conn *owner = job->owner;
	uint32_t i, n = job->graph->nr_stages;
	union ub_msg m;
	struct ub_done_msg *d = &m.done;

	if (owner) {
		if (status == EDGEAI_JOB_DONE && b->now > job->deadline)
			status = EDGEAI_JOB_DEADLINE_MISSED;
		ub_hdr_init(&d->hdr, UB_DONE, ub_done_len(n), 0);
		d->status = status;
		d->error = error;
		d->tag = job->tag;
		d->cookie = job->cookie;
		d->submit_ns = job->submit_ns;
		d->finish_ns = b->now;
		d->deadline_ns = job->deadline == EP_NO_DEADLINE ? 0 : job->deadline;
		d->energy_uj = 0;
		d->graph_id = job->graph->id;
		d->nr_stages = n;
		d->retries = job->retries;
		d->__pad = 0;
		for (i = 0; i < n; i++)
			d->energy_uj += job->times[i].energy_uj;
		memcpy(d->times, job->times, n * sizeof(d->times[0]));
		ub_conn_send(b, owner, &m, NULL);
	}
	ub_job_free(b, job);
}

static uint64_t ub_job_cost(const struct ub_job *job)
{
	return job->graph->stages[job->stage].cost_ns;
}

static struct ub_cluster *ub_job_cluster(struct ub_broker *b,
					 const struct ub_job *job)
{
	return &b->clusters[job->graph->stages[job->stage].cluster_id];
}

static void ub_dispatch(struct ub_broker *b, struct ub_cluster *cl);

/*
 * Queue a job's current stage on its cluster; @requeue keeps its place
 * among equals (the stage comes back from a lost executor).
 */
static void ub_job_enqueue(struct ub_broker *b, struct ub_job *job,
			   bool requeue)
{
	struct ub_cluster *cl = ub_job_cluster(b, job);
	struct ep_key key;

	if (!requeue)
		job->seq = cl->seq++;
	key.prio = job->prio;
	key.deadline = job->deadline;
	key.seq = job->seq;
	if (pq_push(&cl->rq, &job->item, &key)) {
		ub_job_finish(b, job, EDGEAI_JOB_FAILED, -ENOMEM);
		return;
	}
	if (!requeue)
		job->times[job->stage].queued_ns = b->now;
	job->times[job->stage].cluster_id =
		job->graph->stages[job->stage].cluster_id;
	cl->backlog_ns[job->prio] += ub_job_cost(job);
	ub_dispatch(b, cl);
}

/* Hand the cluster's most urgent stages to its idle executors. */
static void ub_dispatch(struct ub_broker *b, struct ub_cluster *cl)
{
	struct ub_conn *e;
	struct ub_job *job;

	while (cl->idle && pq_len(&cl->rq)) {
		const struct edgeai_stage *st;
		int fds[UB_MAX_FDS];
		unsigned int nr = 0;
		struct ub_task_msg *t;
		union ub_msg m;
		uint64_t used;
		uint32_t i;

		e = cl->idle;
		cl->idle = e->next_idle;
		job = (struct ub_job *)pq_pop(&cl->rq);
		st = &job->graph->stages[job->stage];
		cl->backlog_ns[job->prio] -= st->cost_ns;
		cl->running_ns += st->cost_ns;

		job->times[job->stage].start_ns = b->now;
		job->times[job->stage].freq_khz = cl->opp.khz;
		job->times[job->stage].attempts++;
		used = st->in_mask | st->out_mask;
		if (job->graph->model_fd >= 0)
			fds[nr++] = job->graph->model_fd;
		for (i = 0; i < job->graph->nr_buffers; i++)
			if (used & (1ULL << i))
				fds[nr++] = job->fds[i];

		t = &m.task;
		ub_hdr_init(&t->hdr, UB_TASK, sizeof(*t), nr);
		t->task_id = ++b->next_task_id;
		t->graph_key = job->graph->key;
		t->stage = job->stage;
		t->nr_stages = job->graph->nr_stages;
		t->first_layer = st->first_layer;
		t->nr_layers = st->nr_layers;
		t->nr_buffers = job->graph->nr_buffers;
		t->priority = job->prio;
		t->in_mask = st->in_mask;
		t->out_mask = st->out_mask;
		t->cost_ns = st->cost_ns;
		t->deadline_ns = job->deadline == EP_NO_DEADLINE ? 0 : job->deadline;
		t->freq_khz = job->times[job->stage].freq_khz;
		t->plan_freq_khz = st->freq_khz;
		t->submitter_pid = job->owner ? job->owner->pid : 0;
		t->has_model = job->graph->model_fd >= 0;
		memcpy(t->graph_name, job->graph->name, sizeof(t->graph_name));

		e->running = job;
		e->task_id = t->task_id;
		/* A failed send kills the executor, which requeues the job. */
		ub_conn_send(b, e, &m, fds);
	}
}

/* Strict admission, by the same policy code as the kernel's. */
static int ub_admit(struct ub_broker *b, const struct ub_job *job)
{
	struct ep_admit_stage st[UB_MAX_STAGES];
	const struct ub_graph *g = job->graph;
	uint64_t finish;
	uint32_t i, p;

	for (i = 0; i < g->nr_stages; i++) {
		struct ub_cluster *cl = &b->clusters[g->stages[i].cluster_id];
		uint64_t ahead = cl->running_ns;

		for (p = 0; p <= job->prio; p++)
			ahead += cl->backlog_ns[p];
		/* At the top step, where times are the work itself. */
		st[i].work_ns = g->stages[i].cost_ns;
		st[i].ahead_ns = ahead;
		st[i].lanes = cl->nr_exec;
	}
	return ep_admit(b->now, job->deadline, st, g->nr_stages, &finish) ?
	       0 : -ETIME;
}

/* The checks JOB_SUBMIT makes of each buffer file. */
static int ub_check_buffer(const struct ub_graph *g, uint32_t i, int fd)
{
	struct stat st;
	int mode = ub_check_file(fd, &st);

	if (mode < 0)
		return mode;
	if ((g->written & (1ULL << i)) && mode != O_RDWR)
		return -EACCES;
	if ((uint64_t)st.st_size < g->buf_size[i])
		return -ENOSPC;
	return 0;
}

static int ub_submit_check(struct ub_broker *b, struct ub_conn *c,
			   const struct ub_submit_msg *m,
			   struct ub_graph **graph, const int *fds)
{
	struct ub_graph *g;
	uint32_t i;
	int ret;

	if ((m->flags & ~EDGEAI_SUBMIT_STRICT) || m->priority >= EDGEAI_NR_PRIO)
		return -EINVAL;
	if (m->priority < EDGEAI_PRIO_NORMAL && c->uid != 0)
		return -EPERM;
	if (!m->graph_id || m->graph_id > UB_MAX_GRAPHS ||
	    !(g = c->graphs[m->graph_id - 1]))
		return -ENOENT;
	if (m->nr_buffers != g->nr_buffers)
		return -EINVAL;
	if (c->user->jobs >= b->cfg->max_jobs_per_uid)
		return -EDQUOT;
	if (!b->cfg->no_buffer_checks) {
		for (i = 0; i < g->nr_buffers; i++) {
			ret = ub_check_buffer(g, i, fds[i]);
			if (ret)
				return ret;
		}
	}
	*graph = g;
	return 0;
}

static void ub_on_submit(struct ub_broker *b, struct ub_conn *c,
			 const struct ub_submit_msg *m, int *fds)
{
	struct ub_graph *g = NULL;
	struct ub_job *job;
	union ub_msg r;
	int ret;

	ret = ub_submit_check(b, c, m, &g, fds);
	if (ret)
		goto reject;
	job = ub_job_alloc(b);
	if (!job) {
		ret = -ENOMEM;
		goto reject;
	}
	pq_item_init(&job->item);
	job->graph = g;
	job->user = c->user;
	job->tag = m->tag;
	job->cookie = m->cookie;
	job->deadline = m->deadline_ns ? m->deadline_ns : EP_NO_DEADLINE;
	job->submit_ns = b->now;
	job->prio = m->priority;
	job->stage = 0;
	job->retries = 0;
	memcpy(job->fds, fds, g->nr_buffers * sizeof(int));
	memset(job->times, 0, g->nr_stages * sizeof(job->times[0]));
	if (m->flags & EDGEAI_SUBMIT_STRICT) {
		ret = ub_admit(b, job);
		if (ret) {
			job->next = b->free_jobs;
			b->free_jobs = job;
			goto reject;
		}
	}
	g->ref++;
	c->user->jobs++;
	job->owner = c;
	job->prev = NULL;
	job->next = c->jobs;
	if (c->jobs)
		c->jobs->prev = job;
	c->jobs = job;
	ub_job_enqueue(b, job, false);
	return;

reject:
	ub_close_fds(fds, m->nr_buffers);
	ub_hdr_init(&r.hdr, UB_REJECT, sizeof(r.reject), 0);
	r.reject.error = ret;
	r.reject.__pad = 0;
	r.reject.tag = m->tag;
	r.reject.cookie = m->cookie;
	ub_conn_send(b, c, &r, NULL);
}

/* ---------------------------------------------------------------- executors */

static void ub_on_attach(struct ub_broker *b, struct ub_conn *c,
			 const struct ub_attach_msg *m)
{
	struct ub_cluster *cl;

	if (c->uid != 0) {
		ub_reply(b, c, -EPERM, m->cluster_id);
		return;
	}
	if (m->cluster_id >= b->cfg->nr_clusters) {
		ub_reply(b, c, -EINVAL, m->cluster_id);
		return;
	}
	cl = &b->clusters[m->cluster_id];
	c->role = UB_ROLE_EXECUTOR;
	c->cluster = cl;
	cl->nr_exec++;
	ub_reply(b, c, 0, m->cluster_id);
	c->next_idle = cl->idle;
	cl->idle = c;
	ub_dispatch(b, cl);
}

/* Move a job on after its stage ran or failed. */
static void ub_job_advance(struct ub_broker *b, struct ub_job *job,
			   int32_t status)
{
	if (!job->owner)
		ub_job_free(b, job);		/* cancelled meanwhile */
	else if (status)
		ub_job_finish(b, job, EDGEAI_JOB_FAILED, status);
	else if (job->stage + 1 == job->graph->nr_stages)
		ub_job_finish(b, job, EDGEAI_JOB_DONE, 0);
	else {
		job->stage++;
		ub_job_enqueue(b, job, false);
	}
}

static void ub_on_complete(struct ub_broker *b, struct ub_conn *c,
			   const struct ub_complete_msg *m)
{
	struct ub_cluster *cl = c->cluster;
	struct ub_job *job = c->running;
	struct edgeai_stage_times *t;

	if (!job || m->task_id != c->task_id || m->status > 0 ||
	    m->status < -4095) {
		ub_conn_kill(b, c);		/* a confused executor */
		return;
	}
	c->running = NULL;
	cl->running_ns -= ub_job_cost(job);
	t = &job->times[job->stage];
	t->end_ns = b->now;
	t->exec_ns = m->exec_ns;
	t->energy_uj = m->energy_uj;
	ub_job_advance(b, job, m->status);

	c->next_idle = cl->idle;
	cl->idle = c;
	ub_dispatch(b, cl);
}

/* ---------------------------------------------------------------- connections */

/* Whether a message may come from a connection in its role. */
static bool ub_role_allows(struct ub_conn *c, int type)
{
	switch (type) {
	case UB_GRAPH:
	case UB_SUBMIT:
		if (c->role == UB_ROLE_NEW)
			c->role = UB_ROLE_SUBMITTER;
		return c->role == UB_ROLE_SUBMITTER;
	case UB_ATTACH:
		return c->role == UB_ROLE_NEW;
	case UB_COMPLETE:
		return c->role == UB_ROLE_EXECUTOR;
	}
	return false;
}

static void ub_handle(struct ub_broker *b, struct ub_conn *c, union ub_msg *m,
		      size_t len, int *fds, unsigned int nr_fds)
{
	int type = ub_msg_check(m, len, nr_fds);

	if (type < 0 || !ub_role_allows(c, type)) {
		ub_close_fds(fds, nr_fds);
		ub_conn_kill(b, c);
		return;
	}
	b->now = ub_clock();
	switch (type) {
	case UB_GRAPH:
		ub_on_graph(b, c, &m->graph, fds, nr_fds);
		break;
	case UB_SUBMIT:
		ub_on_submit(b, c, &m->submit, fds);
		break;
	case UB_ATTACH:
		ub_on_attach(b, c, &m->attach);
		break;
	case UB_COMPLETE:
		ub_on_complete(b, c, &m->complete);
		break;
	}
}

/* Take every message waiting on a connection. */
static void ub_conn_read(struct ub_broker *b, struct ub_conn *c)
{
	static union ub_msg msgs[UB_BATCH];
	static union {
		char buf[UB_CMSG_SPACE];
		struct cmsghdr align;
	} ctl[UB_BATCH];
	struct mmsghdr mm[UB_BATCH];
	struct iovec iov[UB_BATCH];
	int i, n, fds[UB_MAX_FDS];
	unsigned int nr_fds;

	do {
		for (i = 0; i < UB_BATCH; i++) {
			iov[i].iov_base = &msgs[i];
			iov[i].iov_len = sizeof(msgs[i]);
			memset(&mm[i].msg_hdr, 0, sizeof(mm[i].msg_hdr));
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_control = ctl[i].buf;
			mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
		}
		n = recvmmsg(c->fd, mm, UB_BATCH,
			     MSG_DONTWAIT | MSG_CMSG_CLOEXEC, NULL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				ub_conn_kill(b, c);
			return;
		}
		for (i = 0; i < n; i++) {
			if (c->dead) {
				/* Close what came with the rest. */
				if (!ub_cmsg_fds(&mm[i].msg_hdr, fds, &nr_fds))
					ub_close_fds(fds, nr_fds);
				continue;
			}
			if (!mm[i].msg_len) {		/* end of stream */
				ub_conn_kill(b, c);
				continue;
			}
			if (ub_cmsg_fds(&mm[i].msg_hdr, fds, &nr_fds) ||
			    (mm[i].msg_hdr.msg_flags & MSG_TRUNC)) {
				ub_close_fds(fds, nr_fds);
				ub_conn_kill(b, c);
				continue;
			}
			ub_handle(b, c, &msgs[i], mm[i].msg_len, fds, nr_fds);
		}
	} while (n == UB_BATCH && !c->dead);
}

/*
 * A connection goes away: a submitter's queued jobs are cancelled and its
 * running ones forgotten when their stage returns; an executor's running
 * stage is requeued or, past max_retries, its job fails.  The memory is
 * freed after the current batch of events, which may still name it.
 */
static void ub_conn_kill(struct ub_broker *b, struct ub_conn *c)
{
	struct ub_job *job, *next;
	struct ub_out *o;
	uint32_t i;

	if (c->dead)
		return;
	c->dead = true;
	for (job = c->jobs; job; job = next) {
		next = job->next;
		job->owner = NULL;
		if (job->item.pos != PQ_NONE) {
			struct ub_cluster *cl = ub_job_cluster(b, job);

			pq_remove(&cl->rq, &job->item);
			cl->backlog_ns[job->prio] -= ub_job_cost(job);
			ub_job_free(b, job);
		}
	}
	c->jobs = NULL;
	for (i = 0; i < UB_MAX_GRAPHS; i++)
		if (c->graphs[i])
			ub_graph_put(c->graphs[i]);
	if (c->role == UB_ROLE_EXECUTOR) {
		struct ub_cluster *cl = c->cluster;
		struct ub_conn **p;

		for (p = &cl->idle; *p; p = &(*p)->next_idle)
			if (*p == c) {
				*p = c->next_idle;
				break;
			}
		cl->nr_exec--;
		job = c->running;
		if (job) {
			c->running = NULL;
			cl->running_ns -= ub_job_cost(job);
			if (!job->owner)
				ub_job_free(b, job);
			else if (job->retries >= b->cfg->max_retries)
				ub_job_finish(b, job, EDGEAI_JOB_EXEC_LOST, 0);
			else {
				job->retries++;
				ub_job_enqueue(b, job, true);
			}
		}
	}
	while ((o = c->out_head) != NULL) {
		c->out_head = o->next;
		free(o);
	}
	close(c->fd);
	c->next_dead = b->dead;
	b->dead = c;
}

static void ub_accept(struct ub_broker *b, int lfd)
{
	struct ucred cred;
	struct ub_conn *c;
	socklen_t len;
	int fd;

	while ((fd = accept4(lfd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct epoll_event ev = { .events = EPOLLIN };

		len = sizeof(cred);
		c = calloc(1, sizeof(*c));
		if (!c || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
		    !(c->user = ub_user_get(b, cred.uid))) {
			free(c);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->pid = (uint32_t)cred.pid;
		c->uid = cred.uid;
		ev.data.ptr = c;
		if (epoll_ctl(b->ep, EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);
			free(c);
		}
	}
}

int ub_serve(int lfd, const struct ub_config *cfg)
{
	struct ub_conn listener = { .fd = lfd, .role = UB_ROLE_LISTENER };
	struct epoll_event ev[UB_EVENTS];
	struct ub_broker b = { .cfg = cfg };
	struct ub_conn *c;
	uint32_t i;
	int n;

	if (!cfg->nr_clusters || cfg->nr_clusters > UB_MAX_CLUSTERS ||
	    cfg->max_graphs > UB_MAX_GRAPHS)
		return -EINVAL;
	for (i = 0; i < cfg->nr_clusters; i++) {
		struct ub_cluster *cl = &b.clusters[i];

		pq_init(&cl->rq);
		/* Estimates are at the top step; one step is all admission needs. */
		cl->opp.khz = 1000000;
		cl->model.opp = &cl->opp;
		cl->model.nr_opp = 1;
	}
	b.ep = epoll_create1(EPOLL_CLOEXEC);
	if (b.ep < 0)
		return -errno;
	ev[0].events = EPOLLIN;
	ev[0].data.ptr = &listener;
	if (epoll_ctl(b.ep, EPOLL_CTL_ADD, lfd, &ev[0]))
		return -errno;

	for (;;) {
		n = epoll_wait(b.ep, ev, UB_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (i = 0; i < (uint32_t)n; i++) {
			c = ev[i].data.ptr;
			if (c == &listener) {
				ub_accept(&b, lfd);
				continue;
			}
			if (c->dead)
				continue;
			if (ev[i].events & EPOLLOUT)
				ub_conn_flush(&b, c);
			if (!c->dead && (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
				ub_conn_read(&b, c);
			/* Hung up with nothing left to read. */
			if (!c->dead && (ev[i].events & (EPOLLHUP | EPOLLERR)) &&
			    !(ev[i].events & EPOLLIN))
				ub_conn_kill(&b, c);
		}
		while ((c = b.dead) != NULL) {
			b.dead = c->next_dead;
			free(c);
		}
	}
}
