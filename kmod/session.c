// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sessions: LLM decoding as token steps next to vision pipelines.
 *
 * A session owns persistent buffers (the weights, constant, and the KV
 * cache, its state), all sealed memfds, and a graph whose stages before
 * the last are the prefill and whose last stage is the token step.  A job
 * of the session carries the session's buffers in their places among its
 * own; it runs the prefill once, then its token step again and again, each
 * time queued anew on its cluster's run queue, so that the work of higher
 * classes queued meanwhile runs between two steps.  The executor ends the
 * job with EDGEAI_COMPLETE_EOS, or the kernel at its token limit.
 *
 * A token step of a session below a REALTIME or HIGH pipeline whose
 * deadlines it would put at risk is frozen: held on its cluster's frozen
 * list instead of its run queue, and queued once ep_session_frozen()
 * (kmod/policy/session.c) says so.  Held steps are looked at again when a
 * stage ends on the cluster: the stages of higher classes that freeze a
 * session all end so.  What changes without an event is the recent
 * margins, which roll at the boundaries of session_window_ms; one timer
 * for the next boundary looks at the held steps then, at most once a
 * window while any are held (which also catches what else changes
 * between events: a queued stage cancelled, the cluster's step).  The
 * step is otherwise work like any other: the governors see it once it is
 * queued.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/rhashtable.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/fcntl.h>

#include "edgeai.h"
#include "trace.h"

/* Highest max_tokens allowed: the step records of a job are 8 bytes each. */
#define EDGEAI_MAX_TOKENS	65536

static unsigned int max_tokens = 4096;
module_param_named(max_tokens, max_tokens, uint, 0644);
MODULE_PARM_DESC(max_tokens,
		 "Most token steps a session job may run (1-65536, default 4096)");

static unsigned int session_window_ms = 500;
module_param_named(session_window_ms, session_window_ms, uint, 0644);
MODULE_PARM_DESC(session_window_ms,
		 "How long (ms) the margin a higher-class stage ended with keeps a session frozen (default 500)");

/* Higher-class stages a freezing decision looks at; more freeze. */
#define EDGEAI_SESSION_WINDOW	16

/*
 * Queued NORMAL and BACKGROUND stages a freezing decision of a BACKGROUND
 * session walks past, at most, under the cluster's lock; beyond, it
 * freezes.
 */
#define EDGEAI_SESSION_WALK	256

static atomic64_t edgeai_session_keys = ATOMIC64_INIT(0);

/**
 * struct edgeai_buf_use - the live sessions' buffers on one inode
 * @node: in edgeai_buf_uses
 * @inode: the key; valid while the entry exists, each of its uses holding
 *	a file of it
 * @users: buffers of live sessions on it (one session may count twice)
 * @states: those of them that are a session's state
 * @next: out of the table: the next of a SESSION_CREATE's spare entries,
 *	or of the entries an unlink took out, to be freed once unlocked
 * @rcu: for freeing after a grace period, as rhashtable asks
 *
 * A new session clashes when one of its state buffers has @users, or one
 * of its buffers has @states: the uapi's rule that a state buffer belongs
 * to one live session alone, whatever else shares the constant ones.
 */
struct edgeai_buf_use {
	struct rhash_head node;
	const struct inode *inode;
	unsigned int users;
	unsigned int states;
	struct edgeai_buf_use *next;
	struct rcu_head rcu;
};

/*
 * The index of live sessions' buffers by inode.  Sessions are bounded per
 * open file, not in the system, so a fixed-size <linux/hashtable.h> table
 * would have chains as long as all users' sessions make them, and a
 * SESSION_CREATE would again cost time in proportion to everyone's; an
 * rhashtable grows and shrinks with the number of inodes in use, and keeps
 * a create's and a destroy's cost to the buffers of that one session.  It
 * keeps 64 buckets at least: a session or two coming and going on a quiet
 * system would otherwise shrink it to 4 and grow it again each time.
 */
static const struct rhashtable_params edgeai_buf_use_params = {
	.key_len = sizeof(const struct inode *),
	.key_offset = offsetof(struct edgeai_buf_use, inode),
	.head_offset = offsetof(struct edgeai_buf_use, node),
	.min_size = 64,
	.automatic_shrinking = true,
};

static struct rhashtable edgeai_buf_uses;

/*
 * Protects edgeai_buf_uses (every lookup, insertion and removal, and the
 * counts of its entries, so that a new session's check and its links are
 * one step) and each session's @job.  Held for work in proportion to one
 * session's buffers at most.  None of our entries is allocated or freed
 * under it (rhashtable itself allocates, atomically, only when an
 * insertion finds its table overfull before its worker grew it).
 */
static DEFINE_SPINLOCK(edgeai_sessions_lock);

/**
 * edgeai_sessions_init() - set up the index of live sessions' buffers
 *
 * Return: 0 or a negative errno.
 */
int edgeai_sessions_init(void)
{
	return rhashtable_init(&edgeai_buf_uses, &edgeai_buf_use_params);
}

/**
 * edgeai_sessions_exit() - undo edgeai_sessions_init(), once no session
 *	exists
 */
void edgeai_sessions_exit(void)
{
	WARN_ON(atomic_read(&edgeai_buf_uses.nelems));
	rhashtable_destroy(&edgeai_buf_uses);
}

static struct edgeai_buf_use *edgeai_buf_use_find(const struct file *file)
{
	const struct inode *inode = file_inode(file);

	lockdep_assert_held(&edgeai_sessions_lock);
	return rhashtable_lookup_fast(&edgeai_buf_uses, &inode,
				      edgeai_buf_use_params);
}

static void edgeai_buf_uses_free(struct edgeai_buf_use *u)
{
	struct edgeai_buf_use *next;

	for (; u; u = next) {
		next = u->next;
		kfree_rcu(u, rcu);
	}
}

/*
 * Take the buffers of @s in @mask out of the index; lock held.  Returns
 * the entries no buffer uses any more, out of the table, to be freed once
 * the lock is dropped.
 */
static struct edgeai_buf_use *edgeai_session_unuse(struct edgeai_session *s,
						   u64 mask)
{
	struct edgeai_buf_use *u, *dead = NULL;
	u32 i;

	for (; mask; mask &= mask - 1) {
		i = __ffs64(mask);
		u = edgeai_buf_use_find(s->bufs[i]);
		if (WARN_ON_ONCE(!u))
			continue;
		u->users--;
		if (s->state_mask & BIT_ULL(i))
			u->states--;
		if (u->users)
			continue;
		rhashtable_remove_fast(&edgeai_buf_uses, &u->node,
				       edgeai_buf_use_params);
		u->next = dead;
		dead = u;
	}
	return dead;
}

/* Take the buffers of a live session @s out of the index. */
static void edgeai_session_unlink(struct edgeai_session *s)
{
	struct edgeai_buf_use *dead;

	spin_lock(&edgeai_sessions_lock);
	dead = edgeai_session_unuse(s, s->mask);
	spin_unlock(&edgeai_sessions_lock);
	edgeai_buf_uses_free(dead);
}

static void edgeai_session_free(struct kref *ref)
{
	struct edgeai_session *s = container_of(ref, struct edgeai_session,
						ref);
	u32 i;

	/* Before the files go: their inodes are the index's keys. */
	if (s->live)
		edgeai_session_unlink(s);
	for (i = 0; i < EDGEAI_MAX_BUFFERS; i++)
		if (s->bufs[i])
			fput(s->bufs[i]);
	edgeai_graph_put(s->graph);
	kfree(s);
	atomic_dec(&edgeai_stats.live_sessions);
}

/**
 * edgeai_session_put() - drop a reference on a session
 * @s: the session
 */
void edgeai_session_put(struct edgeai_session *s)
{
	kref_put(&s->ref, edgeai_session_free);
}

/*
 * Take a persistent buffer: a memfd with the seals of its kind, large
 * enough; a constant buffer no stage writes, a state buffer open for
 * writing.
 */
static int edgeai_session_buf(struct edgeai_session *s,
			      const struct edgeai_session_buf *b)
{
	const struct edgeai_graph *graph = s->graph;
	bool state = b->flags & EDGEAI_SESSION_BUF_STATE;
	unsigned int need = F_SEAL_SHRINK | F_SEAL_GROW;
	struct inode *inode;
	struct file *file;
	u64 bit;

	if ((b->flags & ~EDGEAI_SESSION_BUF_STATE) || b->__reserved ||
	    b->index >= graph->nr_buffers)
		return -EINVAL;
	bit = BIT_ULL(b->index);
	if (s->mask & bit)
		return -EINVAL;
	file = fget(b->fd);
	if (!file)
		return -EBADF;
	s->bufs[b->index] = file;
	s->mask |= bit;
	if (!shmem_file(file))
		return -EINVAL;
	inode = file_inode(file);
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;
	if (state) {
		if (!(file->f_mode & FMODE_WRITE) ||
		    (READ_ONCE(SHMEM_I(inode)->seals) &
		     (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
			return -EACCES;
		s->state_mask |= bit;
	} else {
		if (graph->written & bit)
			return -EACCES;
		need |= F_SEAL_WRITE;
	}
	/* Seals are only ever added: once seen, they hold. */
	if ((READ_ONCE(SHMEM_I(inode)->seals) & need) != need)
		return -EPERM;
	if (i_size_read(inode) < graph->buf_size[b->index])
		return -ENOSPC;
	return 0;
}

/*
 * Whether @s may not go live: a state buffer of it is a buffer of a live
 * session, or a buffer of it is a live session's state.  Lock held.  Its
 * own buffers are not in the index yet, so two of them on one inode never
 * clash with each other.
 */
static bool edgeai_session_clash(const struct edgeai_session *s)
{
	const struct edgeai_buf_use *u;
	u64 mask;
	u32 i;

	for (mask = s->mask; mask; mask &= mask - 1) {
		i = __ffs64(mask);
		u = edgeai_buf_use_find(s->bufs[i]);
		if (u && (u->states ||
			  (u->users && (s->state_mask & BIT_ULL(i)))))
			return true;
	}
	return false;
}

/*
 * Add the buffers of @s to the index; lock held.  Entries for inodes not
 * in it yet come off @spare.  On an error, what this did is undone, and
 * @dead holds the entries that left the table, to be freed once the lock
 * is dropped.
 */
static int edgeai_session_use(struct edgeai_session *s,
			      struct edgeai_buf_use **spare,
			      struct edgeai_buf_use **dead)
{
	struct edgeai_buf_use *u;
	u64 mask, done = 0;
	u32 i;

	for (mask = s->mask; mask; mask &= mask - 1) {
		i = __ffs64(mask);
		u = edgeai_buf_use_find(s->bufs[i]);
		if (!u) {
			u = *spare;
			u->inode = file_inode(s->bufs[i]);
			/* Its own growth failed: not a clash, so not -EBUSY. */
			if (rhashtable_insert_fast(&edgeai_buf_uses, &u->node,
						   edgeai_buf_use_params)) {
				*dead = edgeai_session_unuse(s, done);
				return -ENOMEM;
			}
			*spare = u->next;
			u->next = NULL;
		}
		u->users++;
		if (s->state_mask & BIT_ULL(i))
			u->states++;
		done |= BIT_ULL(i);
	}
	return 0;
}

/*
 * Make @s live, unless a state buffer of it is in use by a live session or
 * a buffer of it is one's state (-EBUSY).
 */
static int edgeai_session_link(struct edgeai_session *s)
{
	struct edgeai_buf_use *spare = NULL, *dead = NULL, *u;
	u32 n = hweight64(s->mask);
	int ret = 0;

	/* An entry for each buffer, in case each is an inode new to it. */
	while (n--) {
		u = kzalloc(sizeof(*u), GFP_KERNEL_ACCOUNT);
		if (!u) {
			ret = -ENOMEM;
			break;
		}
		u->next = spare;
		spare = u;
	}
	if (!ret) {
		spin_lock(&edgeai_sessions_lock);
		if (edgeai_session_clash(s))
			ret = -EBUSY;
		else
			ret = edgeai_session_use(s, &spare, &dead);
		spin_unlock(&edgeai_sessions_lock);
	}
	/* The spares never were in the table; the dead were. */
	for (; spare; spare = u) {
		u = spare->next;
		kfree(spare);
	}
	edgeai_buf_uses_free(dead);
	if (!ret)
		s->live = true;
	return ret;
}

static int edgeai_session_bufs(struct edgeai_session *s,
			       const struct edgeai_session_create *cmd)
{
	const char __user *src = u64_to_user_ptr(cmd->bufs);
	struct edgeai_session_buf b;
	u32 i;
	int ret;

	for (i = 0; i < cmd->nr_bufs; i++, src += cmd->buf_size) {
		ret = copy_struct_from_user(&b, sizeof(b), src, cmd->buf_size);
		if (ret)
			return ret;
		ret = edgeai_session_buf(s, &b);
		if (ret)
			return ret;
	}
	return 0;
}

static int edgeai_session_check(const struct edgeai_session_create *cmd)
{
	if (cmd->flags || cmd->__reserved || cmd->session_id ||
	    cmd->session_key || !cmd->bufs || !cmd->nr_bufs ||
	    !cmd->max_tokens ||
	    cmd->buf_size < offsetofend(struct edgeai_session_buf, __reserved) ||
	    cmd->buf_size > EDGEAI_MAX_STRUCT_SIZE)
		return -EINVAL;
	if (cmd->nr_bufs > edgeai_limits.max_buffers ||
	    cmd->max_tokens > min(READ_ONCE(max_tokens), EDGEAI_MAX_TOKENS))
		return -E2BIG;
	return 0;
}

int edgeai_ioctl_session_create(struct edgeai_ucmd *ucmd)
{
	struct edgeai_session_create *cmd = ucmd->cmd;
	struct edgeai_ctx *ctx = ucmd->ctx;
	struct edgeai_graph *graph;
	struct edgeai_session *s;
	u32 id;
	int ret;

	ret = edgeai_session_check(cmd);
	if (ret)
		return ret;
	graph = edgeai_graph_lookup(ctx, cmd->graph_id);
	if (!graph)
		return -ENOENT;
	if (graph->nr_stages < 2 || cmd->nr_bufs > graph->nr_buffers) {
		edgeai_graph_put(graph);
		return -EINVAL;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s) {
		edgeai_graph_put(graph);
		return -ENOMEM;
	}
	kref_init(&s->ref);
	s->graph = graph;
	s->max_tokens = cmd->max_tokens;
	s->key = atomic64_inc_return(&edgeai_session_keys);
	atomic_inc(&edgeai_stats.live_sessions);

	ret = edgeai_session_bufs(s, cmd);
	if (!ret)
		ret = edgeai_session_link(s);
	if (ret)
		goto err;
	/* Shown only once the caller has its id, as jobs are. */
	ret = xa_alloc(&ctx->sessions, &id, NULL,
		       XA_LIMIT(1, edgeai_limits.max_graphs_per_fd),
		       GFP_KERNEL_ACCOUNT);
	if (ret) {
		ret = ret == -EBUSY ? -EMFILE : ret;
		goto err;
	}
	s->id = id;
	cmd->session_id = id;
	cmd->session_key = s->key;
	ret = edgeai_ucmd_respond(ucmd, sizeof(*cmd));
	if (!ret)
		ret = xa_err(xa_store(&ctx->sessions, id, s, GFP_KERNEL));
	if (ret) {
		xa_release(&ctx->sessions, id);
		goto err;
	}
	return 0;

err:
	edgeai_session_put(s);
	return ret;
}

int edgeai_ioctl_session_destroy(struct edgeai_ucmd *ucmd)
{
	struct edgeai_session_destroy *cmd = ucmd->cmd;
	struct xarray *sessions = &ucmd->ctx->sessions;
	struct edgeai_session *s;

	/*
	 * Not xa_erase(): it would free the id a SESSION_CREATE has reserved
	 * while it copies the id out, for another session to take, and the
	 * first would then overwrite (and leak) that one.
	 */
	xa_lock(sessions);
	s = xa_load(sessions, cmd->session_id);
	if (s)
		__xa_erase(sessions, cmd->session_id);
	xa_unlock(sessions);
	if (!s)
		return -ENOENT;
	edgeai_session_put(s);
	return 0;
}

/**
 * edgeai_ctx_release_sessions() - drop the sessions of a file being closed
 * @ctx: the file, whose jobs were cancelled already
 */
void edgeai_ctx_release_sessions(struct edgeai_ctx *ctx)
{
	struct edgeai_session *s;
	unsigned long id;

	xa_for_each(&ctx->sessions, id, s) {
		xa_erase(&ctx->sessions, id);
		edgeai_session_put(s);
	}
}

static struct edgeai_session *edgeai_session_lookup(struct edgeai_ctx *ctx,
						    u32 id)
{
	struct edgeai_session *s;

	xa_lock(&ctx->sessions);
	s = xa_load(&ctx->sessions, id);
	if (s)
		kref_get(&s->ref);
	xa_unlock(&ctx->sessions);
	return s;
}

/**
 * edgeai_session_attach() - make a job being submitted a session job
 * @job: the new job, whose buffers are not taken yet
 * @cmd: its submission
 *
 * Return: 0 (also for a job of no session), -EINVAL for fields that do
 * not go together, -ENOENT for no such session, -E2BIG for a token limit
 * above the session's, -EBUSY when the session has an unfinished job,
 * -ENOMEM.
 */
int edgeai_session_attach(struct edgeai_job *job,
			  const struct edgeai_job_submit *cmd)
{
	struct edgeai_session *s;
	int ret = 0;

	if (!(cmd->flags & EDGEAI_SUBMIT_SESSION))
		return cmd->session_id || cmd->max_tokens ? -EINVAL : 0;
	if (cmd->flags & EDGEAI_SUBMIT_ANYTIME)
		return -EINVAL;
	s = edgeai_session_lookup(job->owner, cmd->session_id);
	if (!s)
		return -ENOENT;
	if (s->graph != job->graph)
		ret = -EINVAL;
	else if (cmd->max_tokens > s->max_tokens)
		ret = -E2BIG;
	if (ret) {
		edgeai_session_put(s);
		return ret;
	}
	job->max_tokens = cmd->max_tokens ? cmd->max_tokens : s->max_tokens;
	job->step_ns = kvcalloc(job->max_tokens, sizeof(*job->step_ns),
				GFP_KERNEL_ACCOUNT);
	if (!job->step_ns) {
		edgeai_session_put(s);
		return -ENOMEM;
	}
	/* From here the job holds the session, and gives it back when freed. */
	job->session = s;
	spin_lock(&edgeai_sessions_lock);
	if (s->job)
		ret = -EBUSY;
	else
		s->job = job;
	spin_unlock(&edgeai_sessions_lock);
	return ret;
}

/**
 * edgeai_session_job_end() - a session job finished, or is freed
 * @job: the job
 *
 * The session may take its next job.
 */
void edgeai_session_job_end(struct edgeai_job *job)
{
	struct edgeai_session *s = job->session;

	if (!s)
		return;
	spin_lock(&edgeai_sessions_lock);
	if (s->job == job)
		s->job = NULL;
	spin_unlock(&edgeai_sessions_lock);
}

/**
 * edgeai_session_is_step() - whether a job's current stage is a token step
 * @job: the job
 *
 * Return: true for the last stage of a session job.
 */
bool edgeai_session_is_step(const struct edgeai_job *job)
{
	return job->session && job->stage + 1 == job->graph->nr_stages;
}

/**
 * edgeai_session_step_done() - count a token step that ran
 * @job: the job, its lock held, its token step just completed with status
 *	0 and its stage times recorded
 * @flags: the completion's &enum edgeai_complete_flags
 *
 * Return: true when the job ends here (end of sequence, or its token
 * limit), false when it takes another step.
 */
bool edgeai_session_step_done(struct edgeai_job *job, u32 flags)
{
	const struct edgeai_stage_times *t = &job->times[job->stage];
	struct edgeai_cluster *c = edgeai_job_place(job)->cluster;
	u64 step_ns = t->end_ns > t->start_ns ? t->end_ns - t->start_ns : 0;
	u32 n = job->nr_tokens;

	lockdep_assert_held(&job->lock);
	if (n < job->max_tokens)
		job->step_ns[n] = step_ns;
	WRITE_ONCE(job->nr_tokens, ++n);
	atomic64_inc(&edgeai_stats.tokens);
	if (flags & EDGEAI_COMPLETE_EOS)
		job->session_end = EDGEAI_SESSION_END_EOS;
	else if (n >= job->max_tokens)
		job->session_end = EDGEAI_SESSION_END_LIMIT;
	trace_edgeai_token_step(job, c, step_ns);
	return job->session_end != EDGEAI_SESSION_END_NONE;
}

/* The length of a margin window, in ns. */
static u64 edgeai_slack_window(void)
{
	return max_t(u64, READ_ONCE(session_window_ms), 1) * NSEC_PER_MSEC;
}

/* Roll the margin windows of @c on to @now's; its lock held. */
static void edgeai_slack_roll(struct edgeai_cluster *c, u64 now)
{
	u64 epoch = div64_u64(now, edgeai_slack_window());
	u32 p;

	if (epoch == c->slack_epoch)
		return;
	for (p = 0; p < EP_NR_PRIO; p++) {
		c->slack[p][1] = epoch == c->slack_epoch + 1 ?
				 c->slack[p][0] : U64_MAX;
		c->slack[p][0] = U64_MAX;
	}
	c->slack_epoch = epoch;
}

/**
 * edgeai_session_note_stage() - remember the margin a stage ended with
 * @c: the cluster it ran on, its lock held
 * @job: its job
 * @now: when it ended
 */
void edgeai_session_note_stage(struct edgeai_cluster *c,
			       const struct edgeai_job *job, u64 now)
{
	u64 due = edgeai_job_stage_deadline(job), slack;

	lockdep_assert_held(&c->lock);
	if (due == EP_NO_DEADLINE)
		return;
	edgeai_slack_roll(c, now);
	slack = now < due ? due - now : 0;
	if (slack < c->slack[job->prio][0])
		c->slack[job->prio][0] = slack;
}

/* The least recent margin of the classes above @prio on @c; lock held. */
static u64 edgeai_slack_above(struct edgeai_cluster *c, u32 prio, u64 now)
{
	u64 least = U64_MAX;
	u32 p;

	edgeai_slack_roll(c, now);
	for (p = 0; p < prio; p++)
		least = min3(least, c->slack[p][0], c->slack[p][1]);
	return least;
}

/* Add @q's stage to @w if it is of a class above @prio; false when full. */
static bool edgeai_session_urgent(struct ep_work *w, u32 *n,
				  const struct edgeai_job *q, u32 prio,
				  u64 work_ns, u64 deadline)
{
	if (q->prio >= prio)
		return true;
	if (*n == EDGEAI_SESSION_WINDOW)
		return false;
	w[*n].work_ns = work_ns;
	w[*n].deadline = deadline;
	w[*n].speed = NULL;
	(*n)++;
	return true;
}

/*
 * Whether the token step of @job must wait on @c now: ep_session_frozen()
 * over the stages of higher classes running and queued there (what is
 * left of a running one as if it ran at the highest step).  @c's and the
 * job's locks held.
 */
static bool edgeai_session_hold(struct edgeai_cluster *c,
				const struct edgeai_job *job, u64 now,
				bool frozen)
{
	struct ep_work w[EDGEAI_SESSION_WINDOW];
	struct ep_session_in in = {
		.model = &c->model,
		.now = now,
		.step = edgeai_cluster_step(c),
		.lanes = c->nr_exec,
		.step_work_ns = READ_ONCE(edgeai_job_place(job)->est_ns),
		.urgent = w,
		.frozen = frozen,
	};
	u32 n = 0, budget = EDGEAI_SESSION_WALK;
	const struct edgeai_job *q;
	struct rb_node *node;

	if (job->prio == EP_PRIO_REALTIME)
		return false;
	list_for_each_entry(q, &c->running, run_link) {
		u64 start = q->times[q->stage].start_ns, done;

		done = now > start ? now - start : 0;
		if (!edgeai_session_urgent(w, &n, q, job->prio,
					   q->cost_ns - min(done, q->cost_ns),
					   edgeai_job_stage_deadline(q)))
			return true;
	}
	/* The strict queue is in class order: stop at the session's class. */
	for (node = rb_first_cached(&c->rq); node; node = rb_next(node)) {
		q = rb_entry(node, struct edgeai_job, rq_node);
		if (q->prio >= job->prio)
			break;
		if (!edgeai_session_urgent(w, &n, q, job->prio, q->cost_ns,
					   q->key.deadline))
			return true;
	}
	/* NORMAL stages are above a BACKGROUND session only. */
	if (job->prio == EP_PRIO_BACKGROUND) {
		list_for_each_entry(q, &c->fair_fifo, fifo_link) {
			if (!budget--)
				return true;
			if (!edgeai_session_urgent(w, &n, q, job->prio,
						   q->cost_ns, q->key.deadline))
				return true;
		}
	}
	in.nr_urgent = n;
	in.recent_slack_ns = edgeai_slack_above(c, job->prio, now);
	return ep_session_frozen(&in);
}

/*
 * Look at @c's held steps again at the next margin window boundary after
 * @now, the first time their freezing may change with no stage ending.
 */
static void edgeai_session_arm(struct edgeai_cluster *c, u64 now)
{
	u64 window = edgeai_slack_window();
	u64 next = (div64_u64(now, window) + 1) * window;

	mod_delayed_work(edgeai_wq, &c->thaw,
			 nsecs_to_jiffies(next - now) + 1);
}

/**
 * edgeai_session_enqueue() - queue the next stage of a session job
 * @job: the job, %EDGEAI_JOB_TRANSIT, referenced by the caller
 *
 * A token step whose session must freeze is held on its cluster's frozen
 * list instead of its run queue.
 */
void edgeai_session_enqueue(struct edgeai_job *job)
{
	struct edgeai_cluster *c = edgeai_job_place(job)->cluster;
	u64 now = ktime_get_ns();
	bool held = false;

	if (!edgeai_session_is_step(job)) {
		edgeai_job_enqueue(job, false);
		return;
	}
	spin_lock(&c->lock);
	spin_lock(&job->lock);
	if (!job->cancel && edgeai_session_hold(c, job, now, false)) {
		job->state = EDGEAI_JOB_FROZEN;
		job->rq = c;
		job->frozen_since = now;
		list_add_tail(&job->frozen_link, &c->frozen);
		c->nr_frozen++;
		held = true;
		trace_edgeai_session_freeze(job, c, true);
	}
	spin_unlock(&job->lock);
	spin_unlock(&c->lock);
	if (!held) {
		edgeai_job_enqueue(job, false);
		return;
	}
	atomic64_inc(&edgeai_stats.freezes);
	edgeai_session_arm(c, now);
}

/**
 * edgeai_session_unpark() - take a held token step off its frozen list
 * @c: its cluster, locked
 * @job: the job, %EDGEAI_JOB_FROZEN on @c, locked; left in
 *	%EDGEAI_JOB_TRANSIT
 */
void edgeai_session_unpark(struct edgeai_cluster *c, struct edgeai_job *job)
{
	lockdep_assert_held(&c->lock);
	lockdep_assert_held(&job->lock);
	list_del_init(&job->frozen_link);
	c->nr_frozen--;
	job->rq = NULL;
	job->state = EDGEAI_JOB_TRANSIT;
	job->frozen_ns += ktime_get_ns() - job->frozen_since;
}

/**
 * edgeai_session_thaw() - queue the held token steps that may go now
 * @c: the cluster
 *
 * Called when a stage ended on @c, and on a timer for the next margin
 * window boundary while steps are held.
 */
void edgeai_session_thaw(struct edgeai_cluster *c)
{
	struct edgeai_job *job, *tmp;
	LIST_HEAD(go);
	u64 now;
	bool more;

	if (!READ_ONCE(c->nr_frozen))
		return;
	now = ktime_get_ns();
	spin_lock(&c->lock);
	list_for_each_entry_safe(job, tmp, &c->frozen, frozen_link) {
		spin_lock(&job->lock);
		if (!edgeai_session_hold(c, job, now, true)) {
			edgeai_session_unpark(c, job);
			trace_edgeai_session_freeze(job, c, false);
			/* Queued again below, outside the cluster's lock. */
			kref_get(&job->ref);
			list_add_tail(&job->frozen_link, &go);
		}
		spin_unlock(&job->lock);
	}
	more = c->nr_frozen;
	spin_unlock(&c->lock);

	list_for_each_entry_safe(job, tmp, &go, frozen_link) {
		list_del_init(&job->frozen_link);
		edgeai_job_enqueue(job, false);
		edgeai_job_put(job);
	}
	if (more)
		edgeai_session_arm(c, now);
}

static void edgeai_session_thaw_fn(struct work_struct *work)
{
	edgeai_session_thaw(container_of(to_delayed_work(work),
					 struct edgeai_cluster, thaw));
}

/**
 * edgeai_session_cluster_init() - session state of a new cluster
 * @c: the cluster
 */
void edgeai_session_cluster_init(struct edgeai_cluster *c)
{
	u32 p;

	INIT_LIST_HEAD(&c->frozen);
	for (p = 0; p < EP_NR_PRIO; p++) {
		c->slack[p][0] = U64_MAX;
		c->slack[p][1] = U64_MAX;
	}
	INIT_DELAYED_WORK(&c->thaw, edgeai_session_thaw_fn);
}

/**
 * edgeai_session_cluster_exit() - stop looking at a cluster's held steps
 * @c: the cluster, whose jobs all ended
 */
void edgeai_session_cluster_exit(struct edgeai_cluster *c)
{
	cancel_delayed_work_sync(&c->thaw);
	WARN_ON(!list_empty(&c->frozen));
}
