// SPDX-License-Identifier: GPL-2.0-only
/*
 * Jobs: one inference each, from submission through the run queues of the
 * clusters its stages run on to its final state and its collection.
 *
 * A job's life:  QUEUED -> RUNNING -> TRANSIT -> QUEUED ... -> FINISHED.
 * edgeai_job_finish() is the only way into FINISHED and lets one caller
 * through, so a job ends exactly once whatever races with it (cancel,
 * completion, executor loss, the owner closing).
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include <linux/capability.h>
#include <linux/dma-buf.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/nospec.h>
#include <linux/nsproxy.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/rbtree.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/uaccess.h>

#include "edgeai.h"
#include "notify.h"
#include "trace.h"

/*
 * Fair sharing of NORMAL and BACKGROUND work between users (see
 * kmod/policy/order.c): the round robin's quantum, and the aging bound
 * after which a queued stage runs before every other fair one.
 */
static unsigned int fair_quantum_us = 10000;
module_param_named(fair_quantum_us, fair_quantum_us, uint, 0644);
MODULE_PARM_DESC(fair_quantum_us,
		 "Work in us each user may run per turn of the NORMAL and BACKGROUND round robin (default 10000)");

static unsigned int max_wait_ms = 1000;
module_param_named(max_wait_ms, max_wait_ms, uint, 0644);
MODULE_PARM_DESC(max_wait_ms,
		 "A NORMAL or BACKGROUND stage queued this long (ms) runs before other such stages (default 1000, 0: no aging)");

/*
 * The caller's time namespace: deadlines and timeouts come in, and times
 * go out, on the CLOCK_MONOTONIC of the caller's namespace; inside, the
 * host's.  What timens_ktime_to_host() does, but do_timens_ktime_to_host()
 * is not exported to modules, and a saturating conversion is wanted here.
 */
static s64 edgeai_timens_offset(void)
{
#if IS_ENABLED(CONFIG_TIME_NS)
	return timespec64_to_ns(&current->nsproxy->time_ns->offsets.monotonic);
#else
	return 0;
#endif
}

/**
 * edgeai_time_from_user() - a caller's CLOCK_MONOTONIC time on the host's
 * @t: the time in the caller's time namespace
 *
 * Return: the host's time; a time before the host's boot becomes 1, a
 * time past the end of the clock U64_MAX - 1 (never "none").
 */
u64 edgeai_time_from_user(u64 t)
{
	s64 off = edgeai_timens_offset();

	if (off >= 0)
		return t > (u64)off ? t - off : 1;
	return t < U64_MAX - 1 + off ? t - off : U64_MAX - 1;
}

/**
 * edgeai_time_to_user() - a host's CLOCK_MONOTONIC time in the caller's
 * @t: the host's time, 0 for none
 *
 * Return: the time in the caller's time namespace; 0 stays 0.
 */
u64 edgeai_time_to_user(u64 t)
{
	s64 off = edgeai_timens_offset();

	if (!t)
		return 0;
	if (off >= 0)
		return t < U64_MAX - off ? t + off : U64_MAX;
	return t > (u64)-off ? t + off : 0;
}

static void edgeai_job_free(struct kref *ref)
{
	struct edgeai_job *job = container_of(ref, struct edgeai_job, ref);
	struct edgeai_ctx *owner = job->owner;
	u32 i;

	for (i = 0; i < job->nr_bufs; i++)
		if (job->bufs[i])
			fput(job->bufs[i]);
	if (job->graph)
		edgeai_graph_put(job->graph);
	put_pid(job->submitter);
	if (job->session) {
		edgeai_session_job_end(job);
		edgeai_session_put(job->session);
	}
	kvfree(job->step_ns);
	kfree(job->times);
	kfree(job);
	atomic_dec(&edgeai_stats.live_jobs);
	edgeai_ctx_put(owner);
}

/**
 * edgeai_job_put() - drop a reference on a job
 * @job: the job
 */
void edgeai_job_put(struct edgeai_job *job)
{
	kref_put(&job->ref, edgeai_job_free);
}

static bool edgeai_rq_less(struct rb_node *a, const struct rb_node *b)
{
	return ep_key_before(&rb_entry(a, struct edgeai_job, rq_node)->key,
			     &rb_entry(b, struct edgeai_job, rq_node)->key);
}

/*
 * When stage @stage of @job must end: its deadline less the estimates of
 * the later stages it means to run, as their own clusters measured them
 * (where they will run is decided when they are ready).
 */
static u64 edgeai_job_deadline_at(const struct edgeai_job *job, u32 stage)
{
	const struct edgeai_graph *graph = job->graph;
	u32 i, end = READ_ONCE(job->end_stage);
	u64 tail = 0;

	if (job->deadline == EP_NO_DEADLINE)
		return EP_NO_DEADLINE;
	for (i = stage + 1; i <= end; i++)
		tail += READ_ONCE(graph->stages[i].places[0].est_ns);
	return job->deadline > tail ? job->deadline - tail : 0;
}

/**
 * edgeai_job_stage_deadline() - when a job's current stage must end
 * @job: the job
 *
 * The job's deadline less the estimates of the stages after this one, so
 * that a first stage does not take the slack its successors need.  An
 * anytime job that aims at an exit counts the stages up to it only.
 *
 * Return: absolute time, %EP_NO_DEADLINE if the job has no deadline.
 */
u64 edgeai_job_stage_deadline(const struct edgeai_job *job)
{
	return edgeai_job_deadline_at(job, job->stage);
}

/* The flow a job of a fair class queues in on a cluster, NULL if strict. */
static struct edgeai_flow *edgeai_job_flow(const struct edgeai_job *job,
					   const struct edgeai_cluster *c)
{
	struct edgeai_user *user = job->owner->user;
	u32 i;

	if (job->prio < EP_PRIO_NORMAL)
		return NULL;
	i = c->id * EDGEAI_NR_FAIR + job->prio - EP_PRIO_NORMAL;
	if (WARN_ON_ONCE(i >= user->nr_flows))
		return NULL;
	return &user->flows[i];
}

static struct edgeai_job *edgeai_flow_head(struct edgeai_flow *f)
{
	struct rb_node *node = rb_first_cached(&f->rq);

	return node ? rb_entry(node, struct edgeai_job, rq_node) : NULL;
}

static struct ep_fair *edgeai_fair_of(struct edgeai_cluster *c, u32 prio)
{
	return &c->fair[prio - EP_PRIO_NORMAL];
}

/**
 * edgeai_cluster_rq_init() - empty run queues of a new cluster
 * @c: the cluster
 */
void edgeai_cluster_rq_init(struct edgeai_cluster *c)
{
	c->rq = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&c->fair_fifo);
	ep_margin_init(&c->margin);
}

/* Put a job on its queue; both locks held, job->cost_ns set. */
static void edgeai_rq_add(struct edgeai_cluster *c, struct edgeai_job *job)
{
	struct edgeai_flow *f = edgeai_job_flow(job, c);

	job->flow = f;
	if (!f) {
		rb_add_cached(&job->rq_node, &c->rq, edgeai_rq_less);
		return;
	}
	rb_add_cached(&job->rq_node, &f->rq, edgeai_rq_less);
	list_add_tail(&job->fifo_link, &c->fair_fifo);
	ep_fair_activate(edgeai_fair_of(c, job->prio), &f->ep,
			 edgeai_flow_head(f)->cost_ns);
}

/*
 * The place stage @stage of a job is queued on once ready (ep_place_stage()):
 * where it would end soonest, by each cluster's wait for the job's class and
 * the stage's estimate there.  A session's jobs stay on their own clusters.
 * Each cluster's wait is read under its own lock, one at a time, and the
 * stage is queued after: by then a figure may be stale (another stage
 * queued or an executor gone meanwhile).  That is fine: it is an estimate
 * of the future anyway, as admission's is.
 */
static u32 edgeai_job_choose_place(const struct edgeai_job *job, u32 stage)
{
	const struct edgeai_graph_stage *st = &job->graph->stages[stage];
	struct ep_place p[1 + EDGEAI_MAX_STAGE_ALTS];
	u64 wait[EP_NR_PRIO];
	u32 i;

	if (st->nr_places == 1 || job->session)
		return 0;
	for (i = 0; i < st->nr_places; i++) {
		p[i].lanes = edgeai_cluster_wait(st->places[i].cluster, wait);
		p[i].wait_ns = wait[job->prio];
		p[i].cost_ns = READ_ONCE(st->places[i].est_ns);
	}
	return ep_place_stage(p, st->nr_places);
}

/**
 * edgeai_job_place_stage() - place a stage of a job that is ready
 * @job: the job, on no cluster's queue or running list
 * @stage: its stage that is ready: the first at submission, the next when
 *	one completes
 *
 * Once, before anything counts the stage (strict admission, the anytime
 * check) and before it is queued there (edgeai_job_enqueue()).
 */
void edgeai_job_place_stage(struct edgeai_job *job, u32 stage)
{
	WRITE_ONCE(job->place[stage], edgeai_job_choose_place(job, stage));
}

/**
 * edgeai_job_enqueue() - queue a job's current stage
 * @job: a new job, or one in %EDGEAI_JOB_TRANSIT
 * @requeue: the stage comes back after its executor went away: it keeps
 *	its place among equals, on the cluster it was queued on
 *
 * The stage goes to the place it was given when it became ready
 * (edgeai_job_place_stage()) and stays there until it has run, even when
 * another place gets an executor meanwhile.  A cancellation that arrived
 * in transit ends the job here instead.
 */
void edgeai_job_enqueue(struct edgeai_job *job, bool requeue)
{
	struct edgeai_cluster *c;
	bool cancelled, floor = false;
	u64 now;

	c = edgeai_job_place(job)->cluster;
	spin_lock(&c->lock);
	/* Counted as queued from its strict admission: queued now, or ended. */
	list_del_init(&job->admit_link);
	spin_lock(&job->lock);
	cancelled = job->cancel;
	if (!cancelled) {
		now = ktime_get_ns();
		if (!requeue)
			job->key.seq = c->seq++;
		job->key.prio = job->prio;
		job->key.deadline = edgeai_job_stage_deadline(job);
		/* A floor starts (edgeai_cluster_work_changed()). */
		floor = !c->demand_seen && job->key.deadline != EP_NO_DEADLINE &&
			job->key.deadline > now;
		job->cost_ns = READ_ONCE(edgeai_job_place(job)->est_ns);
		job->times[job->stage].queued_ns = now;
		job->times[job->stage].cluster_id = c->id;
		edgeai_rq_add(c, job);
		job->rq = c;
		job->state = EDGEAI_JOB_QUEUED;
		c->backlog_ns[job->prio] += job->cost_ns;
		c->nr_queued_prio[job->prio]++;
		c->nr_queued++;
	}
	spin_unlock(&job->lock);
	spin_unlock(&c->lock);

	if (cancelled) {
		edgeai_job_finish(job, EDGEAI_JOB_CANCELLED, 0);
		return;
	}
	wake_up(&c->exec_wq);
	edgeai_cluster_work_changed(c, floor);
}

/* Take a queued job off its cluster; both locks held. */
static void edgeai_rq_remove(struct edgeai_cluster *c, struct edgeai_job *job)
{
	struct edgeai_flow *f = job->flow;

	if (f) {
		struct ep_fair *q = edgeai_fair_of(c, job->prio);
		struct edgeai_job *head;

		rb_erase_cached(&job->rq_node, &f->rq);
		list_del_init(&job->fifo_link);
		head = edgeai_flow_head(f);
		if (head)
			ep_fair_activate(q, &f->ep, head->cost_ns);
		else
			ep_fair_deactivate(q, &f->ep);
		job->flow = NULL;
	} else {
		rb_erase_cached(&job->rq_node, &c->rq);
	}
	RB_CLEAR_NODE(&job->rq_node);
	job->rq = NULL;
	c->backlog_ns[job->prio] -= job->cost_ns;
	c->nr_queued_prio[job->prio]--;
	c->nr_queued--;
	if (!c->nr_queued && !c->nr_running)
		c->idle_since = ktime_get_ns();
}

/* The queued job that runs next on a cluster (ep_pick_queue()); lock held. */
static struct edgeai_job *edgeai_rq_next(struct edgeai_cluster *c, u64 now)
{
	struct edgeai_job *oldest;
	struct ep_queues q = {
		.nr_strict = c->nr_queued_prio[EP_PRIO_REALTIME] +
			     c->nr_queued_prio[EP_PRIO_HIGH],
		.nr_normal = c->nr_queued_prio[EP_PRIO_NORMAL],
		.nr_background = c->nr_queued_prio[EP_PRIO_BACKGROUND],
		.now = now,
		.max_wait_ns = (u64)READ_ONCE(max_wait_ms) * NSEC_PER_MSEC,
	};
	struct ep_flow *ef;
	struct ep_fair *fair;
	u32 prio;

	oldest = list_first_entry_or_null(&c->fair_fifo, struct edgeai_job,
					  fifo_link);
	if (oldest)
		q.oldest_ns = oldest->times[oldest->stage].queued_ns;

	switch (ep_pick_queue(&q)) {
	case EP_PICK_STRICT:
		return rb_entry(rb_first_cached(&c->rq), struct edgeai_job,
				rq_node);
	case EP_PICK_AGED:
		return oldest;
	case EP_PICK_NORMAL:
		prio = EP_PRIO_NORMAL;
		break;
	case EP_PICK_BACKGROUND:
		prio = EP_PRIO_BACKGROUND;
		break;
	default:
		return NULL;
	}
	fair = edgeai_fair_of(c, prio);
	fair->quantum = max_t(u64, READ_ONCE(fair_quantum_us), 1) *
			NSEC_PER_USEC;
	ef = ep_fair_pick(fair);
	if (WARN_ON_ONCE(!ef))
		return NULL;
	return edgeai_flow_head(container_of(ef, struct edgeai_flow, ep));
}

/**
 * edgeai_rq_pop() - hand the next queued stage to an executor
 * @c: the executor's cluster
 *
 * REALTIME and HIGH first, most urgent first; then NORMAL and BACKGROUND,
 * shared between users with bounded waiting (kmod/policy/order.c).
 *
 * Return: the job, now %EDGEAI_JOB_RUNNING, with a reference for the
 * executor; NULL when nothing is queued.
 */
struct edgeai_job *edgeai_rq_pop(struct edgeai_cluster *c)
{
	struct edgeai_stage_times *t;
	struct edgeai_job *job;

	spin_lock(&c->lock);
	job = edgeai_rq_next(c, ktime_get_ns());
	if (!job) {
		spin_unlock(&c->lock);
		return NULL;
	}
	spin_lock(&job->lock);
	edgeai_rq_remove(c, job);
	job->state = EDGEAI_JOB_RUNNING;
	t = &job->times[job->stage];
	t->start_ns = ktime_get_ns();
	t->freq_khz = edgeai_cluster_actual_khz(c);
	t->attempts++;
	kref_get(&job->ref);
	list_add_tail(&job->run_link, &c->running);
	c->nr_running++;
	c->running_ns += job->cost_ns;
	spin_unlock(&job->lock);
	spin_unlock(&c->lock);
	edgeai_cluster_work_changed(c, false);
	return job;
}

/**
 * edgeai_rq_empty() - whether a cluster has no queued stage
 * @c: the cluster
 *
 * Return: true when none is queued.
 */
bool edgeai_rq_empty(struct edgeai_cluster *c)
{
	return !READ_ONCE(c->nr_queued);
}

/* A stage's own per-step speeds at a place, NULL where it has none. */
static const u32 *edgeai_place_speed(const struct edgeai_stage_place *p)
{
	return p->nr_speed == p->cluster->model.nr_opp ? p->speed : NULL;
}

/* What is left of a running stage, in work at the highest step. */
static u64 edgeai_running_left(const struct edgeai_cluster *c,
			       const struct edgeai_job *job, u64 now)
{
	u64 start = job->times[job->stage].start_ns;
	u64 done;

	if (now <= start)
		return job->cost_ns;
	done = ep_stage_work(&c->model, edgeai_place_speed(edgeai_job_place(job)),
			     now - start,
			     edgeai_cluster_step(c));
	return done < job->cost_ns ? job->cost_ns - done : 0;
}

static void edgeai_work_of(struct ep_work *w, const struct edgeai_job *job,
			   u64 work_ns, u64 deadline)
{
	w->work_ns = work_ns;
	w->deadline = deadline;
	w->speed = edgeai_place_speed(edgeai_job_place(job));
}

/**
 * edgeai_rq_snapshot() - a cluster's work, for a governor decision
 * @c: the cluster, its lock held
 * @w: where to list the stages: running ones first, then the queued ones
 *	(REALTIME and HIGH in order, then NORMAL and BACKGROUND oldest first)
 * @cap: entries @w has room for
 * @now: current time
 * @listed: where to store the work listed, at the highest step
 *
 * Return: entries written.
 */
u32 edgeai_rq_snapshot(struct edgeai_cluster *c, struct ep_work *w, u32 cap,
		       u64 now, u64 *listed)
{
	struct edgeai_job *job;
	struct rb_node *node;
	u32 n = 0;

	lockdep_assert_held(&c->lock);
	*listed = 0;
	list_for_each_entry(job, &c->running, run_link) {
		if (n == cap)
			return n;
		edgeai_work_of(&w[n], job, edgeai_running_left(c, job, now),
			       edgeai_job_stage_deadline(job));
		*listed += job->cost_ns;
		n++;
	}
	for (node = rb_first_cached(&c->rq); node && n < cap;
	     node = rb_next(node)) {
		job = rb_entry(node, struct edgeai_job, rq_node);
		edgeai_work_of(&w[n], job, job->cost_ns, job->key.deadline);
		*listed += job->cost_ns;
		n++;
	}
	list_for_each_entry(job, &c->fair_fifo, fifo_link) {
		if (n == cap)
			break;
		edgeai_work_of(&w[n], job, job->cost_ns, job->key.deadline);
		*listed += job->cost_ns;
		n++;
	}
	return n;
}

/**
 * edgeai_job_stage_learn() - learn a stage's cost from a successful run
 * @job: the job, %EDGEAI_JOB_RUNNING, its stage completed without error
 *
 * The kernel's own timing (fetch to completion), not the executor's
 * figure, normalised to the cluster's highest step with the stage's
 * speeds, counting half the run at each of the steps the cluster was seen
 * at (read back) at fetch and now.
 * A declared cost stops counting once a run was measured.
 */
void edgeai_job_stage_learn(struct edgeai_job *job)
{
	struct edgeai_stage_place *p = edgeai_job_place(job);
	const struct edgeai_stage_times *t = &job->times[job->stage];
	struct edgeai_cluster *c = p->cluster;
	const u32 *speed = edgeai_place_speed(p);
	u64 now = ktime_get_ns(), work;

	if (now <= t->start_ns)
		return;
	/*
	 * The step may have changed during the run: half the run at each
	 * of the steps it was seen at, fetch and now, rather than all of it
	 * at the higher one (which would take a run that mostly went slow
	 * for a long stage, and keep that estimate).  Under the cluster's
	 * lock: the model whole (CLUSTER_SET_MODEL).
	 */
	spin_lock(&c->lock);
	work = ep_stage_work(&c->model, speed, now - t->start_ns,
			     ep_step_of_khz(&c->model, t->freq_khz)) / 2 +
	       ep_stage_work(&c->model, speed, now - t->start_ns,
			     ep_step_of_khz(&c->model,
					    edgeai_cluster_actual_khz(c))) / 2;
	ep_est_add(&p->est, work);
	WRITE_ONCE(p->est_ns, ep_est_cost(&p->est, p->cost_ns));
	spin_unlock(&c->lock);
}

/*
 * Energy figures are the executor's, any u64: sums saturate rather than
 * wrap round to look small.
 */
static u64 edgeai_energy_add(u64 a, u64 b)
{
	u64 sum;

	return check_add_overflow(a, b, &sum) ? U64_MAX : sum;
}

/**
 * edgeai_job_energy() - the energy a job's stages took
 * @job: the job
 *
 * Return: the sum of what its executors reported, at most U64_MAX.
 */
u64 edgeai_job_energy(const struct edgeai_job *job)
{
	u64 energy = 0;
	u32 i;

	for (i = 0; i < job->graph->nr_stages; i++)
		energy = edgeai_energy_add(energy, job->times[i].energy_uj);
	return energy;
}

/**
 * edgeai_job_stage_done() - account the end of a running stage
 * @job: the job, %EDGEAI_JOB_RUNNING
 * @ran: the executor completed the stage (not lost, not handed back)
 * @energy_uj: the energy it reported
 *
 * Return: the cluster the stage ran on.
 */
struct edgeai_cluster *edgeai_job_stage_done(struct edgeai_job *job,
					     bool ran, u64 energy_uj)
{
	struct edgeai_cluster *c = edgeai_job_place(job)->cluster;
	u64 now = ktime_get_ns();

	spin_lock(&c->lock);
	list_del_init(&job->run_link);
	c->nr_running--;
	c->running_ns -= job->cost_ns;
	if (ran) {
		c->busy_ns += now - job->times[job->stage].start_ns;
		c->stages_done++;
		c->energy_uj = edgeai_energy_add(c->energy_uj, energy_uj);
		edgeai_session_note_stage(c, job, now);
	}
	if (!c->nr_queued && !c->nr_running)
		c->idle_since = now;
	spin_unlock(&c->lock);
	edgeai_session_thaw(c);
	edgeai_cluster_work_changed(c, false);
	return c;
}

/*
 * The closed loop of the deadline governor's reserve: a job with a deadline
 * that ended (done, or cancelled after its deadline) tells each cluster
 * that ran one of its stages whether it met it.  A job cancelled before
 * its deadline or failed says nothing about the step.  Takes the
 * clusters' locks: no job lock held.
 */
static void edgeai_job_margin(const struct edgeai_job *job, u32 status, u64 now)
{
	bool missed = now > job->deadline;
	u32 i;

	if (job->deadline == EP_NO_DEADLINE)
		return;
	switch (status) {
	case EDGEAI_JOB_DONE:
	case EDGEAI_JOB_DONE_EXIT:
	case EDGEAI_JOB_DEADLINE_MISSED:
		break;
	case EDGEAI_JOB_CANCELLED:
		if (missed)
			break;
		return;
	default:
		return;
	}
	for (i = 0; i < job->graph->nr_stages; i++) {
		struct edgeai_cluster *c = edgeai_job_place_at(job, i)->cluster;

		if (!job->times[i].end_ns)
			continue;
		spin_lock(&c->lock);
		ep_margin_update(&c->margin, missed);
		spin_unlock(&c->lock);
	}
}

/**
 * edgeai_job_finish() - put a job in its final state
 * @job: the job
 * @status: &enum edgeai_job_status; %EDGEAI_JOB_DONE becomes
 *	%EDGEAI_JOB_DEADLINE_MISSED when the deadline has passed, and any
 *	status %EDGEAI_JOB_CANCELLED when a cancel took meanwhile
 * @error: the negative errno of a failed stage
 *
 * The job then waits on its owner's list to be collected, unless the owner
 * is closing.
 *
 * Return: true when this call ended the job, false when it had ended.
 */
bool edgeai_job_finish(struct edgeai_job *job, u32 status, s32 error)
{
	struct edgeai_ctx *owner = job->owner;
	u64 now = ktime_get_ns();

	spin_lock(&job->lock);
	if (job->state == EDGEAI_JOB_FINISHED) {
		spin_unlock(&job->lock);
		return false;
	}
	/*
	 * A cancel that took (it saw the job running or in transit, after
	 * the end was decided but before it was made) ends the job: it said
	 * 0 to its caller.
	 */
	if (job->cancel) {
		status = EDGEAI_JOB_CANCELLED;
		error = 0;
	}
	if (status == EDGEAI_JOB_DONE && now > job->deadline)
		status = EDGEAI_JOB_DEADLINE_MISSED;
	job->status = status;
	job->error = error;
	job->finish_ns = now;
	edgeai_session_job_end(job);

	switch (status) {
	case EDGEAI_JOB_DONE_EXIT:
		atomic64_inc(&edgeai_stats.exits_taken);
		if (now > job->deadline)
			atomic64_inc(&edgeai_stats.deadline_misses);
		break;
	case EDGEAI_JOB_DEADLINE_MISSED:
		atomic64_inc(&edgeai_stats.deadline_misses);
		fallthrough;
	case EDGEAI_JOB_DONE:
		atomic64_inc(&edgeai_stats.completed);
		break;
	case EDGEAI_JOB_CANCELLED:
		atomic64_inc(&edgeai_stats.cancelled);
		break;
	default:
		atomic64_inc(&edgeai_stats.failed);
		break;
	}

	/*
	 * Finished and on the owner's list in one step: a waiter that sees
	 * the one sees the other (JOB_WAIT by id said ENOENT in between).
	 * From here the owner may collect and free the job: hold it until
	 * the event is out.
	 */
	kref_get(&job->ref);
	spin_lock(&owner->lock);
	WRITE_ONCE(job->state, EDGEAI_JOB_FINISHED);
	if (!owner->closing)
		list_add_tail(&job->done_link, &owner->done);
	spin_unlock(&owner->lock);
	spin_unlock(&job->lock);

	edgeai_job_margin(job, status, now);
	edgeai_notify_job_done(job);
	wake_up(&owner->wq);
	edgeai_job_put(job);
	return true;
}

/*
 * Cancel a job.  A queued one ends now; one with an executor or between
 * queues is flagged and ends when the executor returns it or at its next
 * enqueue.
 */
static int edgeai_job_cancel(struct edgeai_job *job)
{
	struct edgeai_cluster *c;

	for (;;) {
		spin_lock(&job->lock);
		switch (job->state) {
		case EDGEAI_JOB_FINISHED:
			spin_unlock(&job->lock);
			return -EALREADY;
		case EDGEAI_JOB_RUNNING:
		case EDGEAI_JOB_TRANSIT:
			job->cancel = true;
			spin_unlock(&job->lock);
			return 0;
		case EDGEAI_JOB_QUEUED:
		case EDGEAI_JOB_FROZEN:
			break;
		}
		c = job->rq;
		spin_unlock(&job->lock);

		/* Cluster before job: drop the job's lock and look again. */
		spin_lock(&c->lock);
		spin_lock(&job->lock);
		if (job->state == EDGEAI_JOB_FROZEN && job->rq == c) {
			edgeai_session_unpark(c, job);
			spin_unlock(&job->lock);
			spin_unlock(&c->lock);
			edgeai_job_finish(job, EDGEAI_JOB_CANCELLED, 0);
			return 0;
		}
		if (job->state == EDGEAI_JOB_QUEUED && job->rq == c) {
			edgeai_rq_remove(c, job);
			job->state = EDGEAI_JOB_TRANSIT;
			spin_unlock(&job->lock);
			spin_unlock(&c->lock);
			edgeai_job_finish(job, EDGEAI_JOB_CANCELLED, 0);
			edgeai_cluster_work_changed(c, false);
			return 0;
		}
		spin_unlock(&job->lock);
		spin_unlock(&c->lock);
	}
}

/*
 * Take a reference on a buffer file: a memfd (or other shmem file) or a
 * dma-buf, large enough, open for writing when a stage writes it.
 */
static int edgeai_job_buf(struct edgeai_job *job, u32 i, int fd, bool write)
{
	u64 want = job->graph->buf_size[i], size;
	struct file *file;

	file = fget(fd);
	if (!file)
		return -EBADF;
	job->bufs[i] = file;

	if (shmem_file(file)) {
		size = i_size_read(file_inode(file));
	} else {
#if IS_ENABLED(CONFIG_DMA_SHARED_BUFFER)
		struct dma_buf *dmabuf = dma_buf_get(fd);
		bool same;

		if (IS_ERR(dmabuf))
			return -EINVAL;
		/* The fd may have been replaced since fget(). */
		same = dmabuf->file == file;
		size = dmabuf->size;
		dma_buf_put(dmabuf);
		if (!same)
			return -EINVAL;
#else
		return -EINVAL;
#endif
	}
	if (!(file->f_mode & FMODE_READ) ||
	    (write && !(file->f_mode & FMODE_WRITE)))
		return -EACCES;
	if (size < want)
		return -ENOSPC;
	return 0;
}

static int edgeai_job_bufs(struct edgeai_job *job,
			   const struct edgeai_job_submit *cmd)
{
	s32 fds[EDGEAI_MAX_BUFFERS];
	u32 i;
	int ret;

	if (copy_from_user(fds, u64_to_user_ptr(cmd->buf_fds),
			   job->nr_bufs * sizeof(fds[0])))
		return -EFAULT;
	for (i = 0; i < job->nr_bufs; i++) {
		/* A session's buffer takes its place: the caller passes -1. */
		if (job->session && (job->session->mask & BIT_ULL(i))) {
			if (fds[i] != -1)
				return -EINVAL;
			job->bufs[i] = get_file(job->session->bufs[i]);
			continue;
		}
		ret = edgeai_job_buf(job, i, fds[i],
				     job->graph->written & BIT_ULL(i));
		if (ret)
			return ret;
	}
	return 0;
}

/* Queued stages strict admission looks at one by one, at most. */
#define EDGEAI_ADMIT_WALK	1024

/*
 * Adds to *@ahead the stages of @root queued before @key, walking at most
 * *@budget of them; *@longest gets the longest.  False when the budget
 * ran out first.
 */
static bool edgeai_queued_before(struct rb_root_cached *root,
				 const struct ep_key *key, u64 *ahead,
				 u64 *longest, u32 *budget)
{
	struct rb_node *node;

	for (node = rb_first_cached(root); node; node = rb_next(node)) {
		struct edgeai_job *q = rb_entry(node, struct edgeai_job,
						rq_node);

		if (key && !ep_key_before(&q->key, key))
			break;
		if (!*budget)
			return false;
		(*budget)--;
		*ahead += q->cost_ns;
		*longest = max(*longest, q->cost_ns);
	}
	return true;
}

/*
 * The jobs strictly admitted to start on @c whose submissions have not
 * queued them yet, that will run before @key; @c's lock held.
 */
static u64 edgeai_admitted_before(struct edgeai_cluster *c,
				  const struct ep_key *key)
{
	struct edgeai_job *q;
	u64 ahead = 0;

	list_for_each_entry(q, &c->admitted, admit_link)
		if (ep_key_before(&q->key, key))
			ahead += q->cost_ns;
	return ahead;
}

/* What is left of the stages running on @c; its lock held. */
static u64 edgeai_running_work(struct edgeai_cluster *c, u64 now)
{
	struct edgeai_job *job;
	u64 left = 0;

	list_for_each_entry(job, &c->running, run_link)
		left += edgeai_running_left(c, job, now);
	return left;
}

/**
 * edgeai_cluster_wait() - how long a new stage of each class would wait
 * @c: the cluster
 * @wait: per priority class, what is left of the stages running on @c and
 *	the queued work of that class and the classes above, at the highest
 *	step, spread over the executors attached (at least one)
 *
 * What an application reads (clusters/<name>/wait_ns) to choose among its
 * graphs the one that would end first, and what a ready stage with
 * alternatives is placed by; an estimate, as admission's: the round robin
 * between users and aging are not foreseen.
 *
 * Return: the executors attached to @c when @wait was read.
 */
u32 edgeai_cluster_wait(struct edgeai_cluster *c, u64 wait[EP_NR_PRIO])
{
	u64 now = ktime_get_ns(), w;
	u32 p, nr_exec;

	spin_lock(&c->lock);
	w = edgeai_running_work(c, now);
	nr_exec = c->nr_exec;
	for (p = 0; p < EP_NR_PRIO; p++) {
		w += c->backlog_ns[p];
		wait[p] = div_u64(w, max(nr_exec, 1U));
	}
	spin_unlock(&c->lock);
	return nr_exec;
}

/*
 * Work on @c that would run before stage @stage of @job (@work_ns there),
 * in the order kmod/policy/order.c gives: what is left of the stages
 * running there now and the jobs admitted there about to be queued
 * (edgeai_admitted_before()), then
 *  - for REALTIME and HIGH, the stages of the strict queue ahead of it;
 *  - for NORMAL and BACKGROUND, every REALTIME and HIGH stage (and every
 *    NORMAL one for BACKGROUND), its own user's stages ahead of it
 *    (earliest deadline first within a user), and of each other user's
 *    flow at most what deficit round robin lets it run while this user's
 *    turns come: a quantum and its longest stage per turn.
 * Stages that age past max_wait_ms meanwhile are not foreseen.  Beyond
 * EDGEAI_ADMIT_WALK queued stages looked at, every queued stage of its
 * class and the classes above counts.  @c's lock held.
 */
static u64 edgeai_work_ahead(struct edgeai_cluster *c,
			     const struct edgeai_job *job, u32 stage,
			     u64 work_ns, u64 now)
{
	struct ep_key key = {
		.prio = job->prio,
		.deadline = edgeai_job_deadline_at(job, stage),
		.seq = U64_MAX,		/* after its equals: it comes last */
	};
	u64 first = edgeai_running_work(c, now) +
		    edgeai_admitted_before(c, &key);
	u64 ahead = first, own = 0, longest = 0, quantum, turns;
	u32 budget = EDGEAI_ADMIT_WALK, p;
	struct edgeai_flow *mine;
	struct ep_fair *fair;
	struct ep_flow *ef;

	if (job->prio < EP_PRIO_NORMAL) {
		if (edgeai_queued_before(&c->rq, &key, &ahead, &longest,
					 &budget))
			return ahead;
		goto all;
	}
	ahead += c->backlog_ns[EP_PRIO_REALTIME] + c->backlog_ns[EP_PRIO_HIGH];
	if (job->prio == EP_PRIO_BACKGROUND)
		ahead += c->backlog_ns[EP_PRIO_NORMAL];
	mine = edgeai_job_flow(job, c);
	if (!mine || !edgeai_queued_before(&mine->rq, &key, &own, &longest,
					   &budget))
		goto all;
	ahead += own;
	fair = edgeai_fair_of(c, job->prio);
	quantum = max_t(u64, READ_ONCE(fair_quantum_us), 1) * NSEC_PER_USEC;
	turns = div64_u64(own + work_ns, quantum) + 1;
	ef = fair->head;
	if (!ef)
		return ahead;
	do {
		struct edgeai_flow *f = container_of(ef, struct edgeai_flow,
						     ep);
		u64 theirs = 0, their_longest = 0;

		if (f != mine) {
			if (!edgeai_queued_before(&f->rq, NULL, &theirs,
						  &their_longest, &budget))
				goto all;
			ahead += min(theirs, turns * (quantum + their_longest));
		}
		ef = ef->next;
	} while (ef != fair->head);
	return ahead;

all:
	ahead = first;
	for (p = 0; p <= job->prio; p++)
		ahead += c->backlog_ns[p];
	return ahead;
}

/*
 * The estimates of stages @first onwards of @job (to the graph's last) as
 * admission sees them, each where it runs: stage @first, the one ready now,
 * where it was placed (edgeai_job_place_stage()), the stages not yet ready
 * on their own clusters (place 0, whatever the alternatives): their measured
 * costs there, the work ahead of each on its cluster now, the step its
 * governor may reach.  An array of @st's first n entries is the estimate of
 * the job ending after stage @first + n - 1.
 *
 * Each is scaled to its step here, under its cluster's lock: the stage at
 * its own speeds where it has them (the work ahead at the cluster's), and
 * the cluster's model whole, not half changed by a CLUSTER_SET_MODEL
 * meanwhile.
 */
static struct ep_admit_stage *edgeai_job_estimate(struct edgeai_job *job,
						  u32 first, u64 now)
{
	const struct edgeai_graph *graph = job->graph;
	struct ep_admit_stage *st;
	u32 i;

	st = kmalloc_array(graph->nr_stages - first, sizeof(*st), GFP_KERNEL);
	if (!st)
		return NULL;
	for (i = first; i < graph->nr_stages; i++) {
		const struct edgeai_stage_place *p = edgeai_job_place_at(job, i);
		struct edgeai_cluster *c = p->cluster;
		struct ep_admit_stage *s = &st[i - first];
		u32 step = edgeai_cluster_admit_step(c);
		u64 work = READ_ONCE(p->est_ns), ahead;

		spin_lock(&c->lock);
		ahead = edgeai_work_ahead(c, job, i, work, now);
		s->ahead_ns = ep_scale_time(&c->model, ahead, step);
		s->work_ns = ep_stage_time(&c->model, edgeai_place_speed(p),
					   work, step);
		s->lanes = c->nr_exec;
		spin_unlock(&c->lock);
	}
	return st;
}

/* What the anytime decision (kmod/policy/anytime.c) knows of @job. */
static struct ep_anytime edgeai_job_anytime(const struct edgeai_job *job)
{
	return (struct ep_anytime){
		.exits = job->graph->exits,
		.nr_exits = job->graph->nr_exits,
		.min_accuracy = job->min_accuracy,
		.deadline = job->deadline,
	};
}

/*
 * Strict admission by the graph's estimates and the queues right now.  An
 * anytime job is admitted when it can end by its deadline at an exit that
 * meets its minimum, and aims at that exit.
 *
 * The check and the job's counting on its first stage's cluster are one
 * step against every other strict admission starting there: two racing
 * submissions would each miss the other's stage, and both get in where
 * only one fits.  An admitted job counts there (&edgeai_cluster.admitted)
 * until edgeai_job_enqueue() queues it or its submission fails
 * (edgeai_job_unadmit()).
 */
static int edgeai_job_admit(struct edgeai_job *job, u64 *finish)
{
	const struct edgeai_graph *graph = job->graph;
	struct edgeai_stage_place *p = edgeai_job_place_at(job, 0);
	struct ep_anytime a = edgeai_job_anytime(job);
	struct edgeai_cluster *c = p->cluster;
	struct ep_admit_stage *st;
	bool admitted;
	int k = -1;
	u64 now;

	mutex_lock(&c->admit_lock);
	now = ktime_get_ns();
	st = edgeai_job_estimate(job, 0, now);
	if (!st) {
		mutex_unlock(&c->admit_lock);
		return -ENOMEM;
	}
	admitted = ep_admit(now, job->deadline, st, graph->nr_stages, finish);
	if (!admitted && job->anytime)
		k = ep_anytime_aim(&a, now, st, 0, finish);
	kfree(st);
	if (k >= 0) {
		job->end_stage = graph->exits[k].after_stage;
		admitted = true;
	}
	if (admitted) {
		spin_lock(&c->lock);
		job->cost_ns = READ_ONCE(p->est_ns);
		job->key.prio = job->prio;
		job->key.deadline = edgeai_job_stage_deadline(job);
		job->key.seq = 0;
		list_add_tail(&job->admit_link, &c->admitted);
		spin_unlock(&c->lock);
	}
	mutex_unlock(&c->admit_lock);
	if (admitted)
		return 0;
	atomic64_inc(&edgeai_stats.rejected);
	edgeai_notify_rejected(job);
	return -ETIME;
}

/**
 * edgeai_job_anytime_check() - whether an anytime job ends at an exit
 * @job: the job, whose stage completed without error and which is on no
 *	cluster's queue or running list yet
 *
 * The check point of %EDGEAI_SUBMIT_ANYTIME: when a stage completes, before
 * the next is queued.  If, by the estimates admission uses (the next stage
 * where it would be placed now, the later ones on their own clusters), the
 * rest of the job ends by its deadline, it aims at its last stage; else at
 * the last later exit meeting its minimum accuracy that it reaches in time.
 * If there is none, it ends at the last exit it has reached when that
 * exit meets the minimum, and otherwise goes on to its last stage
 * (ep_anytime_check()).  The stage deadlines the governors see count the
 * stages up to its aim only.  A job without a deadline, or out of memory
 * for the estimate, goes on.
 *
 * Return: the index of the exit to end the job at, or -1 to go on.
 */
int edgeai_job_anytime_check(struct edgeai_job *job)
{
	const struct edgeai_graph *graph = job->graph;
	struct ep_anytime a = edgeai_job_anytime(job);
	u32 done = job->stage, end;
	struct ep_admit_stage *st;
	u64 now;
	int k;

	if (!job->anytime || job->deadline == EP_NO_DEADLINE ||
	    done + 1 >= graph->nr_stages)
		return -1;
	now = ktime_get_ns();
	/* The next stage is ready: placed already, counted there. */
	st = edgeai_job_estimate(job, done + 1, now);
	if (!st)
		return -1;
	k = ep_anytime_check(&a, now, st, done, graph->nr_stages, &end);
	kfree(st);
	if (k < 0)
		WRITE_ONCE(job->end_stage, end);
	return k;
}

/* A job whose submission failed after its strict admission counts no more. */
static void edgeai_job_unadmit(struct edgeai_job *job)
{
	struct edgeai_cluster *c = edgeai_job_place_at(job, 0)->cluster;

	spin_lock(&c->lock);
	list_del_init(&job->admit_link);
	spin_unlock(&c->lock);
}

static int edgeai_submit_check(const struct edgeai_job_submit *cmd)
{
	u32 flags = EDGEAI_SUBMIT_STRICT | EDGEAI_SUBMIT_ANYTIME |
		    EDGEAI_SUBMIT_SESSION;

	if ((cmd->flags & ~flags) || cmd->__reserved || cmd->__reserved2 ||
	    cmd->job_id || cmd->est_finish_ns || !cmd->buf_fds ||
	    cmd->priority >= EDGEAI_NR_PRIO ||
	    cmd->min_accuracy_ppm > EDGEAI_ACCURACY_MAX ||
	    (cmd->min_accuracy_ppm && !(cmd->flags & EDGEAI_SUBMIT_ANYTIME)))
		return -EINVAL;
	if (cmd->priority < EDGEAI_PRIO_NORMAL && !capable(CAP_SYS_NICE))
		return -EPERM;
	return 0;
}

static struct edgeai_job *edgeai_job_alloc(struct edgeai_ctx *ctx,
					   struct edgeai_graph *graph,
					   const struct edgeai_job_submit *cmd)
{
	struct edgeai_job *job;

	job = kzalloc(struct_size(job, bufs, graph->nr_buffers),
		      GFP_KERNEL_ACCOUNT);
	if (!job)
		return NULL;
	job->times = kcalloc(graph->nr_stages, sizeof(*job->times),
			     GFP_KERNEL_ACCOUNT);
	if (!job->times) {
		kfree(job);
		return NULL;
	}
	kref_init(&job->ref);
	spin_lock_init(&job->lock);
	RB_CLEAR_NODE(&job->rq_node);
	INIT_LIST_HEAD(&job->fifo_link);
	INIT_LIST_HEAD(&job->run_link);
	INIT_LIST_HEAD(&job->done_link);
	INIT_LIST_HEAD(&job->frozen_link);
	INIT_LIST_HEAD(&job->admit_link);
	kref_get(&ctx->ref);
	job->owner = ctx;
	/* Not the file's opener: a file may be shared, by fork for one. */
	job->submitter = get_pid(task_tgid(current));
	job->graph = graph;
	job->nr_bufs = graph->nr_buffers;
	/* An index into per-class arrays: checked, and not speculated past. */
	job->prio = array_index_nospec(cmd->priority, EDGEAI_NR_PRIO);
	job->deadline = cmd->deadline_ns ?
			edgeai_time_from_user(cmd->deadline_ns) : EP_NO_DEADLINE;
	job->cookie = cmd->cookie;
	job->anytime = cmd->flags & EDGEAI_SUBMIT_ANYTIME;
	job->min_accuracy = cmd->min_accuracy_ppm;
	job->end_stage = graph->nr_stages - 1;
	job->state = EDGEAI_JOB_TRANSIT;
	atomic_inc(&edgeai_stats.live_jobs);
	return job;
}

int edgeai_ioctl_job_submit(struct edgeai_ucmd *ucmd)
{
	struct edgeai_job_submit *cmd = ucmd->cmd;
	struct edgeai_ctx *ctx = ucmd->ctx;
	struct edgeai_graph *graph;
	struct edgeai_job *job;
	u64 finish = 0;
	u32 id;
	int ret;

	ret = edgeai_submit_check(cmd);
	if (ret)
		return ret;
	graph = edgeai_graph_lookup(ctx, cmd->graph_id);
	if (!graph)
		return -ENOENT;
	if (cmd->nr_buffers != graph->nr_buffers ||
	    ((cmd->flags & EDGEAI_SUBMIT_ANYTIME) && !graph->nr_exits)) {
		edgeai_graph_put(graph);
		return -EINVAL;
	}
	if (atomic_inc_return(&ctx->user->jobs) > edgeai_limits.max_jobs_per_uid) {
		atomic_dec(&ctx->user->jobs);
		edgeai_graph_put(graph);
		return -EDQUOT;
	}
	job = edgeai_job_alloc(ctx, graph, cmd);
	if (!job) {
		atomic_dec(&ctx->user->jobs);
		edgeai_graph_put(graph);
		return -ENOMEM;
	}
	/*
	 * From here the job owns the graph reference; the user's count is
	 * given back when the job leaves the file's table.
	 */

	ret = edgeai_session_attach(job, cmd);
	if (!ret)
		ret = edgeai_job_bufs(job, cmd);
	if (ret)
		goto err;
	job->submit_ns = ktime_get_ns();
	/*
	 * The first stage is ready now: placed before admission, which
	 * counts it where it goes.
	 */
	edgeai_job_place_stage(job, 0);
	if (cmd->flags & EDGEAI_SUBMIT_STRICT) {
		ret = edgeai_job_admit(job, &finish);
		if (ret)
			goto err;
	}
	/*
	 * Reserve the id and show the job only once the caller has it: until
	 * then another thread could find (and cancel) a job whose submission
	 * may still fail.
	 */
	ret = xa_alloc_cyclic(&ctx->jobs, &id, NULL, xa_limit_32b,
			      &ctx->next_job_id, GFP_KERNEL);
	if (ret < 0)
		goto err;
	job->id = id;
	cmd->job_id = id;
	cmd->est_finish_ns = finish == EP_NO_DEADLINE ?
			     finish : edgeai_time_to_user(finish);
	ret = edgeai_ucmd_respond(ucmd, sizeof(*cmd));
	if (!ret)
		ret = xa_err(xa_store(&ctx->jobs, id, job, GFP_KERNEL));
	if (ret) {
		xa_release(&ctx->jobs, id);
		/*
		 * A wait for any job that saw the reserved id sleeps on it:
		 * the file may hold no job now, and that wait ends (ECHILD).
		 */
		wake_up(&ctx->wq);
		goto err;
	}
	atomic64_inc(&edgeai_stats.submitted);
	trace_edgeai_job_submit(job);
	edgeai_job_enqueue(job, false);
	return 0;

err:
	edgeai_job_unadmit(job);
	atomic_dec(&ctx->user->jobs);
	edgeai_job_put(job);
	return ret;
}

/*
 * Look a job of the file up by id, with a reference.  ctx->lock keeps a
 * collected job from being freed under us: collection removes it from the
 * table under that lock.
 */
static struct edgeai_job *edgeai_job_lookup(struct edgeai_ctx *ctx, u64 id)
{
	struct edgeai_job *job = NULL;

	if (!id || id > U32_MAX)
		return NULL;
	spin_lock(&ctx->lock);
	job = xa_load(&ctx->jobs, id);
	if (job)
		kref_get(&job->ref);
	spin_unlock(&ctx->lock);
	return job;
}

int edgeai_ioctl_job_cancel(struct edgeai_ucmd *ucmd)
{
	struct edgeai_job_cancel *cmd = ucmd->cmd;
	struct edgeai_job *job;
	int ret;

	if (cmd->flags)
		return -EINVAL;
	job = edgeai_job_lookup(ucmd->ctx, cmd->job_id);
	if (!job)
		return -ENOENT;
	ret = edgeai_job_cancel(job);
	edgeai_job_put(job);
	return ret;
}

/*
 * Claim a finished job for collection: take it off the done list.  With
 * @id 0, the oldest finished job.  Returns NULL when none is ready,
 * ERR_PTR(-ENOENT) when @id names no job (or one another thread is
 * collecting) and ERR_PTR(-ECHILD) when waiting for any job but none
 * exists.
 */
static struct edgeai_job *edgeai_job_claim(struct edgeai_ctx *ctx, u64 id)
{
	struct edgeai_job *job;

	spin_lock(&ctx->lock);
	if (!id) {
		job = list_first_entry_or_null(&ctx->done, struct edgeai_job,
					       done_link);
		if (!job && xa_empty(&ctx->jobs))
			job = ERR_PTR(-ECHILD);
	} else if (id > U32_MAX) {
		job = ERR_PTR(-ENOENT);
	} else {
		job = xa_load(&ctx->jobs, id);
		if (!job)
			job = ERR_PTR(-ENOENT);
		else if (READ_ONCE(job->state) != EDGEAI_JOB_FINISHED)
			job = NULL;
		else if (list_empty(&job->done_link))
			job = ERR_PTR(-ENOENT);
	}
	if (!IS_ERR_OR_NULL(job))
		list_del_init(&job->done_link);
	spin_unlock(&ctx->lock);
	return job;
}

/*
 * Take a job out of its file's table, collected or dropped with the file.
 * Its slot of the user's quota is free from here, though an executor or
 * an event may hold the job a while longer: a user who collects a job may
 * submit the next at once.
 */
static void edgeai_job_forget(struct edgeai_ctx *ctx, struct edgeai_job *job)
{
	bool none_left;

	spin_lock(&ctx->lock);
	xa_erase(&ctx->jobs, job->id);
	none_left = xa_empty(&ctx->jobs);
	spin_unlock(&ctx->lock);
	atomic_dec(&ctx->user->jobs);
	edgeai_job_put(job);
	/* A wait for any job sleeping in another thread fails with ECHILD. */
	if (none_left)
		wake_up(&ctx->wq);
}

static bool edgeai_job_ready(struct edgeai_ctx *ctx, u64 id)
{
	struct edgeai_job *job;
	bool ready;

	spin_lock(&ctx->lock);
	if (!id) {
		ready = !list_empty(&ctx->done) || xa_empty(&ctx->jobs);
	} else {
		job = xa_load(&ctx->jobs, id);
		ready = !job || READ_ONCE(job->state) == EDGEAI_JOB_FINISHED;
	}
	spin_unlock(&ctx->lock);
	return ready;
}

static int edgeai_job_sleep(struct edgeai_ctx *ctx,
			    const struct edgeai_job_wait *cmd)
{
	long ret;

	if (cmd->flags & EDGEAI_WAIT_TIMEOUT) {
		u64 timeout = edgeai_time_from_user(cmd->timeout_ns);
		u64 now = ktime_get_ns();
		ktime_t left;

		if (now >= timeout)
			return -ETIMEDOUT;
		left = ns_to_ktime(timeout - now);
		ret = wait_event_interruptible_hrtimeout(ctx->wq,
							 edgeai_job_ready(ctx, cmd->job_id),
							 left);
		return ret == -ETIME ? -ETIMEDOUT : ret;
	}
	return wait_event_interruptible(ctx->wq,
					edgeai_job_ready(ctx, cmd->job_id));
}

static int edgeai_job_copy_times(const struct edgeai_job *job,
				 const struct edgeai_job_wait *cmd)
{
	size_t ksize = sizeof(struct edgeai_stage_times);
	size_t usize = cmd->stage_times_size;
	u32 i, n = min(cmd->stage_times_cap, job->graph->nr_stages);
	char __user *dst = u64_to_user_ptr(cmd->stage_times);

	for (i = 0; i < n; i++, dst += usize) {
		struct edgeai_stage_times t = job->times[i];

		t.queued_ns = edgeai_time_to_user(t.queued_ns);
		t.start_ns = edgeai_time_to_user(t.start_ns);
		t.end_ns = edgeai_time_to_user(t.end_ns);
		if (copy_to_user(dst, &t, min(ksize, usize)))
			return -EFAULT;
		if (usize > ksize && clear_user(dst + ksize, usize - ksize))
			return -EFAULT;
	}
	return 0;
}

static void edgeai_job_result(const struct edgeai_job *job,
			      struct edgeai_job_wait *cmd)
{
	cmd->job_id = job->id;
	cmd->cookie = job->cookie;
	cmd->status = job->status;
	cmd->error = job->error;
	cmd->submit_ns = edgeai_time_to_user(job->submit_ns);
	cmd->finish_ns = edgeai_time_to_user(job->finish_ns);
	cmd->deadline_ns = job->deadline == EP_NO_DEADLINE ?
			   0 : edgeai_time_to_user(job->deadline);
	cmd->graph_id = job->graph->id;
	cmd->nr_stages = job->graph->nr_stages;
	cmd->retries = job->retries;
	cmd->exit_index = job->status == EDGEAI_JOB_DONE_EXIT ?
			  job->exit_index : 0;
	cmd->energy_uj = edgeai_job_energy(job);
	cmd->nr_tokens = job->nr_tokens;
	cmd->session_end = job->session_end;
	cmd->frozen_ns = job->frozen_ns;
}

static int edgeai_job_copy_steps(const struct edgeai_job *job,
				 const struct edgeai_job_wait *cmd)
{
	u32 n = min3(cmd->step_times_cap, job->nr_tokens, job->max_tokens);

	if (!n)
		return 0;
	if (copy_to_user(u64_to_user_ptr(cmd->step_times), job->step_ns,
			 n * sizeof(job->step_ns[0])))
		return -EFAULT;
	return 0;
}

int edgeai_ioctl_job_wait(struct edgeai_ucmd *ucmd)
{
	struct edgeai_job_wait *cmd = ucmd->cmd;
	struct edgeai_ctx *ctx = ucmd->ctx;
	struct edgeai_job *job;
	bool nonblock;
	int ret;

	if ((cmd->flags & ~(EDGEAI_WAIT_NONBLOCK | EDGEAI_WAIT_TIMEOUT)) ||
	    (!(cmd->flags & EDGEAI_WAIT_TIMEOUT) && cmd->timeout_ns) ||
	    cmd->exit_index || cmd->__reserved ||
	    (cmd->step_times_cap && !cmd->step_times) ||
	    (cmd->stage_times &&
	     (cmd->stage_times_size < offsetofend(struct edgeai_stage_times,
						  __reserved) ||
	      cmd->stage_times_size > EDGEAI_MAX_STRUCT_SIZE)))
		return -EINVAL;
	nonblock = (cmd->flags & EDGEAI_WAIT_NONBLOCK) ||
		   (ucmd->file->f_flags & O_NONBLOCK);

	for (;;) {
		job = edgeai_job_claim(ctx, cmd->job_id);
		if (IS_ERR(job))
			return PTR_ERR(job);
		if (job)
			break;
		if (nonblock)
			return -EAGAIN;
		ret = edgeai_job_sleep(ctx, cmd);
		if (ret)
			return ret;
	}

	edgeai_job_result(job, cmd);
	ret = cmd->stage_times ? edgeai_job_copy_times(job, cmd) : 0;
	if (!ret && cmd->step_times)
		ret = edgeai_job_copy_steps(job, cmd);
	if (!ret)
		ret = edgeai_ucmd_respond(ucmd, sizeof(*cmd));
	if (ret) {
		/*
		 * Not collected after all: back to the front of the list, and
		 * to a thread that went to sleep waiting for it meanwhile.
		 */
		spin_lock(&ctx->lock);
		list_add(&job->done_link, &ctx->done);
		spin_unlock(&ctx->lock);
		wake_up(&ctx->wq);
		return ret;
	}
	edgeai_job_forget(ctx, job);
	return 0;
}

/**
 * edgeai_ctx_release_jobs() - cancel and drop the jobs of a file being closed
 * @ctx: the file
 *
 * Jobs whose stage an executor holds live on until it returns it.
 */
void edgeai_ctx_release_jobs(struct edgeai_ctx *ctx)
{
	struct edgeai_job *job, *tmp;
	unsigned long id;

	spin_lock(&ctx->lock);
	ctx->closing = true;
	list_for_each_entry_safe(job, tmp, &ctx->done, done_link)
		list_del_init(&job->done_link);
	spin_unlock(&ctx->lock);

	xa_for_each(&ctx->jobs, id, job)
		edgeai_job_cancel(job);
	xa_for_each(&ctx->jobs, id, job)
		edgeai_job_forget(ctx, job);
}
