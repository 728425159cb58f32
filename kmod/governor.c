// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frequency governors: one per cluster, chosen like cpufreq's.
 *
 * A decision looks at the cluster's queued and running stages (the first
 * EDGEAI_GOV_WINDOW of them one by one, the rest as load), asks the
 * governor, and asks the cluster's control (cpufreq or devfreq QoS
 * requests, or nothing for a virtual cluster) for the step it chose: in
 * exclusive mode as the only frequency allowed, in shared mode as a floor
 * while work with deadlines still ahead is queued or running (its own, or
 * that of a GPU or NPU it hosts), and nothing otherwise.  Dynamic
 * governors decide again on every submit, fetch and complete (a work item
 * the hot paths queue, so they never wait for a decision) and on a timer
 * while work waits.  A fixed governor's shared cluster decides again when
 * a stage with a deadline ahead arrives while it holds no floor, and on
 * the timer while it holds one: that decision drops the floor once the
 * work is gone or late (edgeai_cluster_work_changed()).
 *
 * Every decision then reads back the frequency granted (a cpufreq
 * cluster's, once its policy applied a new request: the readback work):
 * another maximum-frequency request (thermal, the user's scaling_max_freq)
 * wins over edgeai's, and the governor and admission plan with what the
 * cluster can be given (edgeai_cluster_step(), edgeai_cluster_top_step()).
 * A change of those limits is a decision's trigger too.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/sched/topology.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <uapi/linux/sched.h>
#include <uapi/linux/sched/types.h>

#include "edgeai.h"
#include "notify.h"

static char *default_governor = "performance";
module_param_named(governor, default_governor, charp, 0444);
MODULE_PARM_DESC(governor,
		 "Governor of every cluster at load: performance (default), powersave, userspace or deadline");

static const struct edgeai_governor *const edgeai_governors[] = {
	&edgeai_gov_performance,
	&edgeai_gov_powersave,
	&edgeai_gov_userspace,
	&edgeai_gov_deadline,
};

/*
 * How often a decision is taken again while work waits, at most and least,
 * and while nothing can meet its deadline (already at the top step).
 */
#define EDGEAI_TICK_MIN_NS	(1 * NSEC_PER_MSEC)
#define EDGEAI_TICK_MAX_NS	(50 * NSEC_PER_MSEC)
#define EDGEAI_TICK_OVERLOAD_NS	(10 * NSEC_PER_MSEC)

/* Least time between two overload events of one cluster. */
#define EDGEAI_OVERLOAD_GAP_NS	NSEC_PER_SEC

/**
 * edgeai_governor_find() - a governor by name
 * @name: the name, a trailing newline ignored (as written to sysfs)
 *
 * Return: the governor, or NULL.
 */
const struct edgeai_governor *edgeai_governor_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(edgeai_governors); i++)
		if (sysfs_streq(name, edgeai_governors[i]->name))
			return edgeai_governors[i];
	return NULL;
}

/**
 * edgeai_governors_list() - the names of the governors, for sysfs
 * @buf: a sysfs page
 *
 * Return: bytes written.
 */
ssize_t edgeai_governors_list(char *buf)
{
	ssize_t len = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(edgeai_governors); i++)
		len += sysfs_emit_at(buf, len, "%s%s", i ? " " : "",
				     edgeai_governors[i]->name);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

/* Work with a deadline still ahead: what earns a floor in shared mode. */
static bool edgeai_gov_demand(const struct ep_gov_in *in)
{
	u32 i;

	for (i = 0; i < in->nr_work; i++)
		if (in->work[i].deadline != EP_NO_DEADLINE &&
		    in->work[i].deadline > in->now)
			return true;
	return false;
}

/*
 * The input of a decision: the cluster's work, about in the order it runs.
 * Returns whether any of it has a deadline still ahead, as noted for the
 * hot paths in &edgeai_cluster.demand_seen under the same lock.
 */
static bool edgeai_gov_snapshot(struct edgeai_cluster *c, struct ep_gov_in *in)
{
	struct ep_work *w = c->gov_buf;
	u64 total, listed;
	bool demand;
	u32 p;

	in->model = &c->model;
	in->now = ktime_get_ns();
	in->cur = edgeai_cluster_step(c);
	in->work = w;

	spin_lock(&c->lock);
	total = c->running_ns;
	for (p = 0; p < EP_NR_PRIO; p++)
		total += c->backlog_ns[p];
	in->nr_work = edgeai_rq_snapshot(c, w, EDGEAI_GOV_WINDOW, in->now,
					 &listed);
	in->lanes = max(c->nr_exec, 1U);
	in->idle_ns = !c->nr_queued && !c->nr_running && in->now > c->idle_since ?
		      in->now - c->idle_since : 0;
	in->reserve = c->margin.reserve;
	demand = edgeai_gov_demand(in);
	c->demand_seen = demand;
	spin_unlock(&c->lock);

	in->extra_work_ns = total > listed ? total - listed : 0;
	return demand;
}

/*
 * The step a host needs to keep up with the GPUs and NPUs it drives while
 * they have work: they run slower when it runs slow.  A guest's deadlines
 * are its host's (@demand).  The guests' fields are read without their locks; a stale
 * value is corrected by the kick that follows.
 */
static u32 edgeai_host_floor(struct edgeai_cluster *c, bool *demand)
{
	u32 i, floor = 0;

	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *g = &edgeai_clusters[i];

		if (g->host != c ||
		    (!READ_ONCE(g->nr_queued) && !READ_ONCE(g->nr_running)))
			continue;
		/* The guest's model whole: its lock (CLUSTER_SET_MODEL). */
		spin_lock(&g->lock);
		floor = max(floor, ep_host_floor(&c->model, &g->model,
						 READ_ONCE(g->cur_step)));
		spin_unlock(&g->lock);
		*demand |= READ_ONCE(g->demand);
	}
	return floor;
}

/* Time at the step in force goes to its count; gov_lock held. */
static void edgeai_account_step(struct edgeai_cluster *c, u64 now)
{
	if (now > c->step_since)
		c->step_ns[c->cur_step] += now - c->step_since;
	c->step_since = now;
}

static void edgeai_set_step(struct edgeai_cluster *c, u32 step, u32 reason)
{
	u32 old = c->cur_step;

	if (step == old)
		return;
	edgeai_account_step(c, ktime_get_ns());
	WRITE_ONCE(c->cur_step, step);
	edgeai_notify_freq(c, c->opp[old].khz, c->opp[step].khz, reason);
}

/*
 * Ask the control for the governor's step, as the cluster's mode says;
 * whether the request changed.
 */
static bool edgeai_apply(struct edgeai_cluster *c)
{
	u32 mode = c->mode;
	u32 khz = mode == EDGEAI_MODE_EXCLUSIVE || c->demand ?
		  edgeai_cluster_cur_khz(c) : 0;

	if (khz == c->req_khz && mode == c->req_mode)
		return false;
	/* The control reads the request it replaces from req_khz, req_mode. */
	if (c->attached)
		c->ops->apply(c, khz);
	c->req_khz = khz;
	c->req_mode = mode;
	return true;
}

/*
 * What the cluster was given, against what edgeai asked for; a cap that
 * holds it below is announced when it starts or moves.  gov_lock held.
 */
static void edgeai_readback(struct edgeai_cluster *c)
{
	u32 khz = 0, limit = 0;
	bool capped;

	if (c->attached && c->ops->read)
		c->ops->read(c, &khz, &limit);
	capped = khz && khz < c->req_khz;
	if (capped && (!c->capped || khz != c->actual_khz))
		edgeai_notify_capped(c, c->req_khz, khz);
	WRITE_ONCE(c->actual_khz, khz);
	WRITE_ONCE(c->limit_khz, limit);
	WRITE_ONCE(c->capped, capped);
}

/* Decide and apply; gov_lock held. */
static void edgeai_gov_decide(struct edgeai_cluster *c, u32 reason)
{
	struct ep_gov_in in;
	struct ep_gov_out out;
	u32 top, host_floor;
	bool demand, changed;
	u64 tick;

	demand = edgeai_gov_snapshot(c, &in);
	c->gov->decide(c, &in, &out);
	/*
	 * A guest's deadlines are its host's under any governor (a shared
	 * host keeps its floor for them); a dynamic one also keeps up.
	 */
	host_floor = edgeai_host_floor(c, &demand);
	if (c->gov->dynamic)
		out.step = max(out.step, host_floor);
	WRITE_ONCE(c->demand, demand);
	edgeai_set_step(c, out.step, reason);
	changed = edgeai_apply(c);
	/*
	 * A control that applies requests later is read once it has applied
	 * a new one (or a new limit), and now only when nothing is in flight:
	 * read before, a raised request would look capped.
	 */
	if (c->attached && c->ops->sync) {
		if (changed) {
			c->readback_due = true;
			queue_work(edgeai_wq, &c->readback);
		}
		if (!c->readback_due && !work_pending(&c->readback))
			edgeai_readback(c);
	} else {
		edgeai_readback(c);
	}

	/* Under a cap the deadlines are met, or not, at the capped step. */
	top = edgeai_cluster_top_step(c);
	if (out.step > top)
		out.feasible = ep_gov_check(&in, top, &out.slack_ns);

	if (!out.feasible && in.now - c->overload_ns >= EDGEAI_OVERLOAD_GAP_NS) {
		c->overload_ns = in.now;
		edgeai_notify_overload(c, in.nr_work);
	}
	/* The host decides again when its guest's step or work changed. */
	if (c->host)
		edgeai_cluster_kick(c->host);
	/* A shared cluster's floor lasts only while its deadlines are ahead. */
	if (!c->gov->dynamic && !(demand && c->mode == EDGEAI_MODE_SHARED))
		return;
	if (!in.nr_work && !in.extra_work_ns) {
		/* Idle but holding its step: drop when the hold ends. */
		if (out.hold_ns)
			mod_delayed_work(edgeai_wq, &c->gov_tick,
					 nsecs_to_jiffies(out.hold_ns) + 1);
		return;
	}
	/* Look again before the tightest deadline could slip. */
	tick = out.feasible ? out.slack_ns / 2 : EDGEAI_TICK_OVERLOAD_NS;
	tick = clamp_t(u64, tick, EDGEAI_TICK_MIN_NS, EDGEAI_TICK_MAX_NS);
	mod_delayed_work(edgeai_wq, &c->gov_tick, nsecs_to_jiffies(tick));
}

static void edgeai_gov_kick_fn(struct work_struct *work)
{
	struct edgeai_cluster *c = container_of(work, struct edgeai_cluster,
						gov_kick);

	mutex_lock(&c->gov_lock);
	/* A limit may change before the governors start. */
	if (c->gov)
		edgeai_gov_decide(c, EDGEAI_FREQ_REASON_GOVERNOR);
	mutex_unlock(&c->gov_lock);
}

static void edgeai_readback_fn(struct work_struct *work)
{
	struct edgeai_cluster *c = container_of(work, struct edgeai_cluster,
						readback);

	if (c->ops->sync)
		c->ops->sync(c);
	mutex_lock(&c->gov_lock);
	/*
	 * Queued again meanwhile: the next run reads what is newer.  A limit
	 * or cap that moved is decided on, as the decision before would have
	 * had it read then; not once the control is let go (module unload:
	 * nothing to apply, and nothing may queue more work then).
	 */
	if (!work_pending(&c->readback)) {
		u32 limit = c->limit_khz;
		bool capped = c->capped;

		c->readback_due = false;
		if (c->gov) {
			edgeai_readback(c);
			if (c->attached &&
			    (c->limit_khz != limit || c->capped != capped))
				edgeai_gov_decide(c, EDGEAI_FREQ_REASON_GOVERNOR);
		}
	}
	mutex_unlock(&c->gov_lock);
}

static void edgeai_gov_tick_fn(struct work_struct *work)
{
	struct edgeai_cluster *c = container_of(to_delayed_work(work),
						struct edgeai_cluster,
						gov_tick);

	mutex_lock(&c->gov_lock);
	edgeai_gov_decide(c, EDGEAI_FREQ_REASON_GOVERNOR);
	mutex_unlock(&c->gov_lock);
}

/**
 * edgeai_cluster_limit_changed() - another maximum-frequency request moved
 * @nb: the cluster's &edgeai_cluster.limit_nb
 * @value: the new maximum in kHz, edgeai's own request included
 * @data: unused
 *
 * A frequency QoS notifier: the cluster records the new maximum, reads its
 * frequency back and decides again, from a work item, since the control
 * applies the new limit after its notifiers ran (and edgeai's own request
 * may be the caller).
 *
 * Return: %NOTIFY_OK.
 */
int edgeai_cluster_limit_changed(struct notifier_block *nb,
				 unsigned long value, void *data)
{
	struct edgeai_cluster *c = container_of(nb, struct edgeai_cluster,
						limit_nb);

	WRITE_ONCE(c->qos_max_khz, min_t(unsigned long, value, U32_MAX));
	/* Where the control applies it later, once it has. */
	queue_work(edgeai_wq, c->ops->sync ? &c->readback : &c->gov_kick);
	return NOTIFY_OK;
}

/*
 * Work changes call for a decision when the governor follows the work, or
 * when the cluster is shared: its floor comes and goes with the work.
 */
static bool edgeai_follows_work(const struct edgeai_cluster *c)
{
	return READ_ONCE(c->gov)->dynamic ||
	       READ_ONCE(c->mode) == EDGEAI_MODE_SHARED;
}

/**
 * edgeai_cluster_kick() - have a dynamic governor decide again, soon
 * @c: the cluster whose work or model changed
 *
 * Cheap and non-blocking.
 */
void edgeai_cluster_kick(struct edgeai_cluster *c)
{
	if (edgeai_follows_work(c))
		queue_work(edgeai_wq, &c->gov_kick);
	else if (c->host && edgeai_follows_work(c->host))
		queue_work(edgeai_wq, &c->host->gov_kick);
}

/* Whether a work change of @c's calls for a decision of @c's. */
static bool edgeai_needs_decision(const struct edgeai_cluster *c, bool floor)
{
	return READ_ONCE(c->gov)->dynamic ||
	       (floor && READ_ONCE(c->mode) == EDGEAI_MODE_SHARED);
}

/**
 * edgeai_cluster_work_changed() - a stage arrived, started or left
 * @c: its cluster
 * @floor: it is a stage with a deadline still ahead, and the cluster's
 *	last decision found none (&edgeai_cluster.demand_seen)
 *
 * A dynamic governor decides again on every change, and so does a dynamic
 * host for its guests'.  A fixed governor's step does not follow the work:
 * on a shared cluster only its floor does, and only the stage that starts
 * it calls for a decision now.  The floor ends at the decision the timer
 * makes while it is held, at most %EDGEAI_TICK_MAX_NS after the work went
 * or its deadlines passed, rather than when a stage leaves: a decision is
 * a work item, whose kworker wake-ups at every submit, fetch and complete
 * made the job path switch context four times per stage instead of once.
 * Cheap and non-blocking: the hot paths call it.
 */
void edgeai_cluster_work_changed(struct edgeai_cluster *c, bool floor)
{
	if (edgeai_needs_decision(c, floor))
		queue_work(edgeai_wq, &c->gov_kick);
	else if (c->host && edgeai_needs_decision(c->host, floor))
		queue_work(edgeai_wq, &c->host->gov_kick);
}

/**
 * edgeai_governor_set() - change a cluster's governor
 * @c: the cluster
 * @name: the governor's name
 * @setspeed_khz: for "userspace", the frequency to hold; 0 keeps the
 *	current one.  Must be 0 for the others.
 *
 * Return: 0, or -EINVAL for an unknown governor or a bad frequency.
 */
int edgeai_governor_set(struct edgeai_cluster *c, const char *name,
			u32 setspeed_khz)
{
	const struct edgeai_governor *gov = edgeai_governor_find(name);
	const struct edgeai_governor *old;

	if (!gov || (setspeed_khz && gov != &edgeai_gov_userspace) ||
	    (setspeed_khz && (setspeed_khz < c->opp[0].khz ||
			      setspeed_khz > edgeai_cluster_max_khz(c))))
		return -EINVAL;

	mutex_lock(&c->gov_lock);
	old = c->gov;
	WRITE_ONCE(c->gov, gov);
	if (setspeed_khz)
		c->setspeed_khz = c->opp[ep_step_of_khz(&c->model,
							setspeed_khz)].khz;
	edgeai_gov_decide(c, EDGEAI_FREQ_REASON_GOVERNOR_SWITCH);
	/*
	 * Under the lock, as frequency events are: changes racing each other
	 * are told in the order they were made.
	 */
	if (old != gov)
		edgeai_notify_governor(c, old->name, gov->name);
	mutex_unlock(&c->gov_lock);
	return 0;
}

/**
 * edgeai_setspeed_set() - the userspace governor's frequency
 * @c: the cluster
 * @khz: the frequency, within the cluster's range; rounded down to a step
 *
 * Return: 0, or -EINVAL when out of range or another governor rules.
 */
int edgeai_setspeed_set(struct edgeai_cluster *c, u32 khz)
{
	int ret = 0;

	if (khz < c->opp[0].khz || khz > edgeai_cluster_max_khz(c))
		return -EINVAL;
	mutex_lock(&c->gov_lock);
	if (c->gov != &edgeai_gov_userspace) {
		ret = -EINVAL;
	} else {
		/* Held, and read back, as the step it rounds down to. */
		c->setspeed_khz = c->opp[ep_step_of_khz(&c->model, khz)].khz;
		edgeai_gov_decide(c, EDGEAI_FREQ_REASON_USER);
	}
	mutex_unlock(&c->gov_lock);
	return ret;
}

/**
 * edgeai_mode_set() - share a cluster with Linux, or hold it
 * @c: the cluster
 * @name: "shared" or "exclusive", a trailing newline ignored
 *
 * The requests change at once to what the new mode asks for the
 * governor's current step.
 *
 * Return: 0, or -EINVAL for an unknown mode.
 */
int edgeai_mode_set(struct edgeai_cluster *c, const char *name)
{
	int mode = edgeai_mode_find(name);

	if (mode < 0)
		return mode;
	mutex_lock(&c->gov_lock);
	WRITE_ONCE(c->mode, mode);
	edgeai_gov_decide(c, EDGEAI_FREQ_REASON_USER);
	mutex_unlock(&c->gov_lock);
	return 0;
}

/**
 * edgeai_exec_clamp() - cap the calling executor thread at its cluster's step
 * @c: the cluster whose stage the thread runs
 * @running: it starts a stage (else it finished one: the cap is lifted)
 *
 * In shared mode the system's governor (schedutil) sets the frequency and
 * edgeai only raises a floor; where the kernel clamps utilization
 * (CONFIG_UCLAMP_TASK), a worker's uclamp max at the governor's step,
 * relative to the top step, keeps schedutil from running its stage faster,
 * and costlier, than the queued deadlines need.  In exclusive mode the
 * frequency is held anyway and nothing is clamped.  Without
 * CONFIG_UCLAMP_TASK (Debian's kernels) this does nothing: shared mode
 * gives deadline floors only.
 */
void edgeai_exec_clamp(struct edgeai_cluster *c, bool running)
{
	struct sched_attr attr = {
		.size = sizeof(attr),
		/* Keep the policy and its parameters (SETPARAM_POLICY). */
		.sched_policy = -1,
		.sched_flags = SCHED_FLAG_KEEP_ALL | SCHED_FLAG_UTIL_CLAMP_MAX,
		.sched_util_max = SCHED_CAPACITY_SCALE,
	};

	if (!IS_ENABLED(CONFIG_UCLAMP_TASK))
		return;
	if (running && READ_ONCE(c->mode) == EDGEAI_MODE_SHARED)
		attr.sched_util_max = DIV_ROUND_UP(SCHED_CAPACITY_SCALE *
						   edgeai_cluster_cur_khz(c),
						   edgeai_cluster_max_khz(c));
	sched_setattr_nocheck(current, &attr);
}

/**
 * edgeai_cluster_readback() - read a cluster's granted frequency now
 * @c: the cluster
 *
 * For sysfs: the figures of the last decision, refreshed.
 */
void edgeai_cluster_readback(struct edgeai_cluster *c)
{
	if (c->ops->sync)
		c->ops->sync(c);
	mutex_lock(&c->gov_lock);
	if (c->gov)
		edgeai_readback(c);
	mutex_unlock(&c->gov_lock);
}

/**
 * edgeai_cluster_residency() - time the governor held each step
 * @c: the cluster
 * @ns: where to store, per step from the lowest, the nanoseconds since
 *	the governors started (%EP_MAX_OPPS entries)
 *
 * The governor's choice, not the hardware's: in shared mode the cluster
 * may run faster (actual_freq, and cpufreq's or devfreq's own statistics).
 *
 * Return: the number of steps.
 */
u32 edgeai_cluster_residency(struct edgeai_cluster *c, u64 *ns)
{
	mutex_lock(&c->gov_lock);
	if (c->gov)
		edgeai_account_step(c, ktime_get_ns());
	memcpy(ns, c->step_ns, sizeof(c->step_ns));
	mutex_unlock(&c->gov_lock);
	return c->model.nr_opp;
}

int edgeai_ioctl_governor_set(struct edgeai_ucmd *ucmd)
{
	struct edgeai_governor_set *cmd = ucmd->cmd;
	struct edgeai_cluster *c;

	if (cmd->flags ||
	    !memchr(cmd->governor, '\0', sizeof(cmd->governor)))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	c = edgeai_cluster_get(cmd->cluster_id);
	if (!c)
		return -EINVAL;
	return edgeai_governor_set(c, cmd->governor, cmd->setspeed_khz);
}

/**
 * edgeai_governors_init() - start every cluster on the default governor
 *
 * Return: 0, or -EINVAL when the "governor" parameter names none.
 */
int edgeai_governors_init(void)
{
	const struct edgeai_governor *gov;
	u32 i;

	gov = edgeai_governor_find(default_governor);
	if (!gov) {
		pr_err("governor=%s: no such governor\n", default_governor);
		return -EINVAL;
	}
	/*
	 * Every cluster first, then the decisions: a guest's decision kicks
	 * its host, which may come later in the table.
	 */
	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *c = &edgeai_clusters[i];

		mutex_lock(&c->gov_lock);
		WRITE_ONCE(c->gov, gov);
		c->setspeed_khz = edgeai_cluster_max_khz(c);
		c->cur_step = c->model.nr_opp - 1;
		memset(c->step_ns, 0, sizeof(c->step_ns));
		c->step_since = ktime_get_ns();
		mutex_unlock(&c->gov_lock);
	}
	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *c = &edgeai_clusters[i];

		mutex_lock(&c->gov_lock);
		edgeai_gov_decide(c, EDGEAI_FREQ_REASON_GOVERNOR_SWITCH);
		mutex_unlock(&c->gov_lock);
	}
	return 0;
}

/**
 * edgeai_cluster_gov_init() - a new cluster's decision work items
 * @c: the cluster
 *
 * Before its control is attached: a limit notifier may queue a decision.
 */
void edgeai_cluster_gov_init(struct edgeai_cluster *c)
{
	INIT_WORK(&c->gov_kick, edgeai_gov_kick_fn);
	INIT_DELAYED_WORK(&c->gov_tick, edgeai_gov_tick_fn);
	INIT_WORK(&c->readback, edgeai_readback_fn);
}

/**
 * edgeai_governors_exit() - stop deciding
 *
 * The controls are released afterwards, by their own exit functions; a
 * limit notifier may queue a decision until then, so this is called once
 * more after them.
 */
void edgeai_governors_exit(void)
{
	u32 i, pass;

	/*
	 * A guest's decision kicks its host: the first pass may see a host
	 * kicked after its own work was cancelled.  Once every work has been
	 * cancelled once, nothing kicks any more, so a second pass ends it.
	 */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < edgeai_nr_clusters; i++) {
			struct edgeai_cluster *c = &edgeai_clusters[i];

			cancel_work_sync(&c->gov_kick);
			cancel_delayed_work_sync(&c->gov_tick);
			cancel_work_sync(&c->readback);
		}
	}
}
