// SPDX-License-Identifier: GPL-2.0-only
/*
 * Executors: the user-space workers that run stages.  An open file becomes
 * the executor of one cluster, fetches that cluster's most urgent stage
 * with the model and buffer files installed as new descriptors, and
 * reports it complete; the job then moves on to its next stage's cluster.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include <linux/capability.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "edgeai.h"
#include "notify.h"
#include "trace.h"

int edgeai_ioctl_exec_attach(struct edgeai_ucmd *ucmd)
{
	struct edgeai_exec_attach *cmd = ucmd->cmd;
	struct edgeai_ctx *ctx = ucmd->ctx;
	struct edgeai_cluster *c;
	struct edgeai_exec *exec;
	u32 nr_exec;
	int ret = 0;

	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	/*
	 * An executor is handed every user's buffers and models: the file's
	 * opener must be trusted too, not only whoever calls on it.
	 */
	if (!capable(CAP_SYS_ADMIN) ||
	    !file_ns_capable(ucmd->file, &init_user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	c = edgeai_cluster_get(cmd->cluster_id);
	if (!c)
		return -EINVAL;

	exec = kzalloc(sizeof(*exec), GFP_KERNEL_ACCOUNT);
	if (!exec)
		return -ENOMEM;
	exec->cluster = c;
	exec->pid = get_pid(task_tgid(current));
	mutex_init(&exec->lock);

	/*
	 * Only a file that holds no graph or job, and is creating none: a
	 * command that failed left nothing behind.
	 */
	spin_lock(&ctx->lock);
	if (ctx->exec || ctx->nr_submitting || !xa_empty(&ctx->graphs) ||
	    !xa_empty(&ctx->jobs) || !xa_empty(&ctx->sessions))
		ret = -EBUSY;
	else
		/* Pairs with edgeai_ctx_exec(): publish an initialised exec. */
		smp_store_release(&ctx->exec, exec);
	spin_unlock(&ctx->lock);
	if (ret) {
		put_pid(exec->pid);
		kfree(exec);
		return ret;
	}

	spin_lock(&c->lock);
	nr_exec = ++c->nr_exec;
	spin_unlock(&c->lock);
	edgeai_notify_exec(exec, true, false, nr_exec);
	return 0;
}

static struct edgeai_exec *edgeai_ctx_exec(struct edgeai_ctx *ctx)
{
	/* Pairs with the release in attach: the exec is seen initialised. */
	return smp_load_acquire(&ctx->exec);
}

/*
 * Give a fetched stage back to its queue, as if never fetched: the fetch
 * failed before the executor learnt of it.
 */
static void edgeai_exec_unfetch(struct edgeai_job *job)
{
	edgeai_job_stage_done(job, false, 0);
	spin_lock(&job->lock);
	job->times[job->stage].attempts--;
	job->times[job->stage].start_ns = 0;
	job->state = EDGEAI_JOB_TRANSIT;
	spin_unlock(&job->lock);
	edgeai_job_enqueue(job, true);
	edgeai_job_put(job);
}

/*
 * Wait until the cluster has a stage queued; 0 or -ERESTARTSYS.  An
 * exclusive wait, so that one queued stage wakes one executor, not all of
 * them; one that gives up (a signal) passes its wake-up on.
 */
static int edgeai_exec_wait(struct edgeai_cluster *c)
{
	int ret;

	ret = wait_event_interruptible_exclusive(c->exec_wq,
						 !edgeai_rq_empty(c));
	if (ret && !edgeai_rq_empty(c))
		wake_up(&c->exec_wq);
	return ret;
}

/* The files a fetched stage gets: the model and the buffers it uses. */
struct edgeai_fetch_fds {
	int model;
	int buf[EDGEAI_MAX_BUFFERS];
};

static void edgeai_fetch_fds_init(struct edgeai_fetch_fds *fds)
{
	u32 i;

	fds->model = -1;
	for (i = 0; i < EDGEAI_MAX_BUFFERS; i++)
		fds->buf[i] = -1;
}

static void edgeai_fetch_fds_unreserve(struct edgeai_fetch_fds *fds)
{
	u32 i;

	if (fds->model >= 0)
		put_unused_fd(fds->model);
	for (i = 0; i < EDGEAI_MAX_BUFFERS; i++)
		if (fds->buf[i] >= 0)
			put_unused_fd(fds->buf[i]);
}

static int edgeai_fetch_fds_reserve(struct edgeai_fetch_fds *fds,
				    const struct edgeai_job *job, u64 used)
{
	int fd;
	u32 i;

	if (job->graph->model) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0)
			return fd;
		fds->model = fd;
	}
	for (i = 0; i < job->nr_bufs; i++) {
		if (!(used & BIT_ULL(i)))
			continue;
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0)
			return fd;
		fds->buf[i] = fd;
	}
	return 0;
}

/* Nothing can fail after this: the descriptors become visible. */
static void edgeai_fetch_fds_install(const struct edgeai_fetch_fds *fds,
				     const struct edgeai_job *job)
{
	u32 i;

	if (fds->model >= 0)
		fd_install(fds->model, get_file(job->graph->model));
	for (i = 0; i < job->nr_bufs; i++)
		if (fds->buf[i] >= 0)
			fd_install(fds->buf[i], get_file(job->bufs[i]));
}

static void edgeai_fetch_describe(struct edgeai_exec_fetch *cmd,
				  const struct edgeai_job *job,
				  const struct edgeai_fetch_fds *fds,
				  u64 task_id)
{
	const struct edgeai_graph *graph = job->graph;
	const struct edgeai_graph_stage *st = &graph->stages[job->stage];
	const struct edgeai_stage_place *p = edgeai_job_place(job);

	cmd->task_id = task_id;
	cmd->graph_key = graph->key;
	cmd->model_fd = fds->model;
	cmd->stage = job->stage;
	cmd->nr_stages = graph->nr_stages;
	cmd->first_layer = st->first_layer;
	cmd->nr_layers = st->nr_layers;
	cmd->nr_buffers = job->nr_bufs;
	cmd->in_mask = st->in_mask;
	cmd->out_mask = st->out_mask;
	cmd->cost_ns = READ_ONCE(p->est_ns);
	cmd->deadline_ns = job->deadline == EP_NO_DEADLINE ?
			   0 : edgeai_time_to_user(job->deadline);
	cmd->priority = job->prio;
	cmd->freq_khz = job->times[job->stage].freq_khz;
	cmd->plan_freq_khz = p->freq_khz;
	cmd->submitter_pid = pid_vnr(job->submitter);
	memcpy(cmd->graph_name, graph->name, sizeof(cmd->graph_name));
	cmd->session_key = job->session ? job->session->key : 0;
	cmd->max_tokens = job->session ? job->max_tokens : 0;
	cmd->token = 0;
	cmd->fetch_flags = 0;
	cmd->__reserved2 = 0;
	if (edgeai_session_is_step(job)) {
		cmd->token = job->nr_tokens;
		cmd->fetch_flags = EDGEAI_FETCH_TOKEN_STEP;
	}
}

/* Hand a popped job's stage to the caller; on error the job goes back. */
static int edgeai_exec_deliver(struct edgeai_ucmd *ucmd,
			       struct edgeai_exec *exec,
			       struct edgeai_job *job)
{
	struct edgeai_exec_fetch *cmd = ucmd->cmd;
	const struct edgeai_graph_stage *st = &job->graph->stages[job->stage];
	struct edgeai_fetch_fds fds;
	u64 task_id = exec->next_task_id + 1;
	int ret;

	if (cmd->buf_fds_cap < job->nr_bufs) {
		edgeai_exec_unfetch(job);
		return -ENOBUFS;
	}
	edgeai_fetch_fds_init(&fds);
	ret = edgeai_fetch_fds_reserve(&fds, job, st->in_mask | st->out_mask);
	if (ret)
		goto err;
	edgeai_fetch_describe(cmd, job, &fds, task_id);
	if (copy_to_user(u64_to_user_ptr(cmd->buf_fds), fds.buf,
			 job->nr_bufs * sizeof(fds.buf[0]))) {
		ret = -EFAULT;
		goto err;
	}
	ret = edgeai_ucmd_respond(ucmd, sizeof(*cmd));
	if (ret)
		goto err;

	edgeai_fetch_fds_install(&fds, job);
	trace_edgeai_stage_begin(job, exec->cluster);
	exec->next_task_id = task_id;
	exec->task_id = task_id;
	exec->job = job;
	return 0;

err:
	edgeai_fetch_fds_unreserve(&fds);
	edgeai_exec_unfetch(job);
	return ret;
}

int edgeai_ioctl_exec_fetch(struct edgeai_ucmd *ucmd)
{
	struct edgeai_exec_fetch *cmd = ucmd->cmd;
	struct edgeai_exec *exec = edgeai_ctx_exec(ucmd->ctx);
	struct edgeai_job *job;
	bool woken = false;
	int ret;

	if (cmd->flags || cmd->__reserved || !cmd->buf_fds)
		return -EINVAL;
	if (!exec)
		return -EINVAL;

	for (;;) {
		ret = mutex_lock_interruptible(&exec->lock);
		if (ret)
			break;
		if (exec->job) {
			mutex_unlock(&exec->lock);
			ret = -EBUSY;
			break;
		}
		job = edgeai_rq_pop(exec->cluster);
		if (job) {
			ret = edgeai_exec_deliver(ucmd, exec, job);
			mutex_unlock(&exec->lock);
			if (!ret)
				edgeai_exec_clamp(exec->cluster, true);
			return ret;
		}
		mutex_unlock(&exec->lock);
		if (ucmd->file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = edgeai_exec_wait(exec->cluster);
		if (ret)
			return ret;
		woken = true;
	}
	/*
	 * Woken for a stage that this thread cannot take (another thread of
	 * its file holds one, or a signal came): the exclusive wake-up goes
	 * on to another executor, or the stage would wait while one sleeps.
	 */
	if (woken && !edgeai_rq_empty(exec->cluster))
		wake_up(&exec->cluster->exec_wq);
	return ret;
}

/*
 * Move a job on after its stage ran, failed, or was cancelled meanwhile.
 * An anytime job may end at an exit here (edgeai_job_anytime_check()); a
 * session job takes its next token step, unless this one ended it
 * (@flags: &enum edgeai_complete_flags).
 */
static void edgeai_exec_advance(struct edgeai_job *job, s32 status,
				u32 flags)
{
	int exit = -1;
	u32 end;

	/*
	 * The next stage is ready now: placed once, before the anytime check
	 * counts it there and before it is queued there.
	 */
	if (!status && job->stage + 1 < job->graph->nr_stages) {
		edgeai_job_place_stage(job, job->stage + 1);
		exit = edgeai_job_anytime_check(job);
	}

	spin_lock(&job->lock);
	if (job->cancel) {
		end = EDGEAI_JOB_CANCELLED;
	} else if (status) {
		end = EDGEAI_JOB_FAILED;
	} else if (edgeai_session_is_step(job) &&
		   !edgeai_session_step_done(job, flags)) {
		job->state = EDGEAI_JOB_TRANSIT;
		end = 0;
	} else if (exit >= 0) {
		job->exit_index = exit;
		end = EDGEAI_JOB_DONE_EXIT;
	} else if (job->stage + 1 == job->graph->nr_stages) {
		end = EDGEAI_JOB_DONE;
	} else {
		job->stage++;
		job->stage_retries = 0;
		job->state = EDGEAI_JOB_TRANSIT;
		end = 0;
	}
	spin_unlock(&job->lock);

	if (end)
		edgeai_job_finish(job, end, status);
	else if (job->session)
		edgeai_session_enqueue(job);
	else
		edgeai_job_enqueue(job, false);
}

int edgeai_ioctl_exec_complete(struct edgeai_ucmd *ucmd)
{
	struct edgeai_exec_complete *cmd = ucmd->cmd;
	struct edgeai_exec *exec = edgeai_ctx_exec(ucmd->ctx);
	struct edgeai_stage_times *t;
	struct edgeai_job *job;

	if ((cmd->flags & ~EDGEAI_COMPLETE_EOS) || cmd->__reserved ||
	    cmd->status > 0 || cmd->status < -MAX_ERRNO ||
	    ((cmd->flags & EDGEAI_COMPLETE_EOS) && cmd->status))
		return -EINVAL;
	if (!exec)
		return -EINVAL;

	mutex_lock(&exec->lock);
	job = exec->job;
	if (!job || cmd->task_id != exec->task_id) {
		mutex_unlock(&exec->lock);
		return -ENOENT;
	}
	/* The end of a sequence ends a token step only. */
	if ((cmd->flags & EDGEAI_COMPLETE_EOS) &&
	    !edgeai_session_is_step(job)) {
		mutex_unlock(&exec->lock);
		return -EINVAL;
	}
	exec->job = NULL;
	mutex_unlock(&exec->lock);
	edgeai_exec_clamp(exec->cluster, false);

	trace_edgeai_stage_end(job, exec->cluster);
	if (!cmd->status)
		edgeai_job_stage_learn(job);
	edgeai_job_stage_done(job, true, cmd->energy_uj);
	spin_lock(&job->lock);
	t = &job->times[job->stage];
	t->end_ns = ktime_get_ns();
	t->exec_ns = cmd->exec_ns;
	t->energy_uj = cmd->energy_uj;
	spin_unlock(&job->lock);

	edgeai_exec_advance(job, cmd->status, cmd->flags);
	edgeai_job_put(job);
	return 0;
}

/*
 * A stage that writes a buffer it reads cannot run again on what a lost
 * run may have left half-written there.
 */
static bool edgeai_stage_in_place(const struct edgeai_job *job)
{
	const struct edgeai_graph_stage *st = &job->graph->stages[job->stage];

	return st->in_mask & st->out_mask;
}

/**
 * edgeai_exec_release() - detach an executor whose file is closed
 * @ctx: the file
 *
 * A stage it still held goes back to its queue, unless that stage has
 * been handed back max_retries times already or works in place: then its
 * job fails with %EDGEAI_JOB_EXEC_LOST.
 */
void edgeai_exec_release(struct edgeai_ctx *ctx)
{
	struct edgeai_exec *exec = ctx->exec;
	struct edgeai_cluster *c = exec->cluster;
	struct edgeai_job *job = exec->job;
	bool lost = job;
	u32 end = 0, nr_exec;

	if (job) {
		exec->job = NULL;
		edgeai_job_stage_done(job, false, 0);
		spin_lock(&job->lock);
		if (job->cancel) {
			end = EDGEAI_JOB_CANCELLED;
		} else if (job->stage_retries >= edgeai_limits.max_retries ||
			   edgeai_stage_in_place(job)) {
			end = EDGEAI_JOB_EXEC_LOST;
		} else {
			job->stage_retries++;
			job->retries++;
			job->state = EDGEAI_JOB_TRANSIT;
		}
		spin_unlock(&job->lock);
		if (end)
			edgeai_job_finish(job, end, 0);
		else
			edgeai_job_enqueue(job, true);
		edgeai_job_put(job);
	}

	spin_lock(&c->lock);
	nr_exec = --c->nr_exec;
	spin_unlock(&c->lock);
	edgeai_notify_exec(exec, false, lost, nr_exec);
	put_pid(exec->pid);
	exec->pid = NULL;
}

/**
 * edgeai_exec_poll() - poll() of an executor's file
 * @ctx: the file's context
 * @file: the file
 * @wait: the poll table
 *
 * Return: EPOLLIN when a fetch would not sleep.
 */
__poll_t edgeai_exec_poll(struct edgeai_ctx *ctx, struct file *file,
			  struct poll_table_struct *wait)
{
	struct edgeai_exec *exec = edgeai_ctx_exec(ctx);

	poll_wait(file, &exec->cluster->exec_wq, wait);
	if (!READ_ONCE(exec->job) && !edgeai_rq_empty(exec->cluster))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}
