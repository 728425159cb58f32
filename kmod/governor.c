// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frequency governors: one per cluster, chosen like cpufreq's.
 *
 * A decision looks at the cluster's queued and running stages (the first
 * EDGEAI_GOV_WINDOW of them one by one, the rest as load), asks the
 * governor, and holds the cluster at the step it chose through the
 * cluster's control (cpufreq or devfreq QoS requests, or nothing for a
 * virtual cluster).  Dynamic governors decide again on every submit, fetch
 * and complete (a work item the hot paths queue, so they never wait for a
 * decision) and on a timer while work waits.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/rbtree.h>
#include <linux/string.h>
#include <linux/sysfs.h>

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

/* The input of a decision: the cluster's work, about in the order it runs. */
static void edgeai_gov_snapshot(struct edgeai_cluster *c, struct ep_gov_in *in)
{
	struct ep_work *w = c->gov_buf;
	u64 total, listed;
	u32 n, p;

	in->model = &c->model;
	in->now = ktime_get_ns();
	in->cur = c->cur_step;
	in->work = w;

	spin_lock(&c->lock);
	total = c->running_ns;
	for (p = 0; p < EP_NR_PRIO; p++)
		total += c->backlog_ns[p];
	n = edgeai_rq_snapshot(c, w, EDGEAI_GOV_WINDOW, in->now, &listed);
	in->lanes = max(c->nr_exec, 1U);
	in->idle_ns = !c->nr_queued && !c->nr_running && in->now > c->idle_since ?
		      in->now - c->idle_since : 0;
	spin_unlock(&c->lock);

	in->nr_work = n;
	in->extra_work_ns = total > listed ? total - listed : 0;
}

/*
 * A host keeps up with the GPUs and NPUs it drives while they have work:
 * they run slower when it runs slow.  The guests' fields are read without
 * their locks; a stale value is corrected by the kick that follows.
 */
static u32 edgeai_host_floor(struct edgeai_cluster *c)
{
	u32 i, floor = 0;

	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *g = &edgeai_clusters[i];

		if (g->host != c ||
		    (!READ_ONCE(g->nr_queued) && !READ_ONCE(g->nr_running)))
			continue;
		floor = max(floor, ep_host_floor(&c->model, &g->model,
						 READ_ONCE(g->cur_step)));
	}
	return floor;
}

static void edgeai_set_step(struct edgeai_cluster *c, u32 step, u32 reason)
{
	u32 old = c->cur_step;

	if (step == old)
		return;
	if (c->attached)
		c->ops->apply(c, c->opp[step].khz);
	WRITE_ONCE(c->cur_step, step);
	edgeai_notify_freq(c, c->opp[old].khz, c->opp[step].khz, reason);
}

/* Decide and apply; gov_lock held. */
static void edgeai_gov_decide(struct edgeai_cluster *c, u32 reason)
{
	struct ep_gov_in in;
	struct ep_gov_out out;
	u64 tick;

	edgeai_gov_snapshot(c, &in);
	c->gov->decide(c, &in, &out);
	if (c->gov->dynamic)
		out.step = max(out.step, edgeai_host_floor(c));
	edgeai_set_step(c, out.step, reason);

	if (!out.feasible && in.now - c->overload_ns >= EDGEAI_OVERLOAD_GAP_NS) {
		c->overload_ns = in.now;
		edgeai_notify_overload(c, in.nr_work);
	}
	/* The host decides again when its guest's step or work changed. */
	if (c->host)
		edgeai_cluster_kick(c->host);
	if (!c->gov->dynamic)
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
	edgeai_gov_decide(c, EDGEAI_FREQ_REASON_GOVERNOR);
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
 * edgeai_cluster_kick() - have a dynamic governor decide again, soon
 * @c: the cluster whose work changed
 *
 * Cheap and non-blocking: the hot paths call it.
 */
void edgeai_cluster_kick(struct edgeai_cluster *c)
{
	if (READ_ONCE(c->gov)->dynamic)
		queue_work(edgeai_wq, &c->gov_kick);
	else if (c->host && READ_ONCE(c->host->gov)->dynamic)
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
	mutex_unlock(&c->gov_lock);
	if (old != gov)
		edgeai_notify_governor(c, old->name, gov->name);
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
	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *c = &edgeai_clusters[i];

		INIT_WORK(&c->gov_kick, edgeai_gov_kick_fn);
		INIT_DELAYED_WORK(&c->gov_tick, edgeai_gov_tick_fn);
		mutex_lock(&c->gov_lock);
		c->gov = gov;
		c->setspeed_khz = edgeai_cluster_max_khz(c);
		/* Decide from the top step: where an unmanaged cluster may be. */
		c->cur_step = c->model.nr_opp - 1;
		if (c->attached)
			c->ops->apply(c, edgeai_cluster_max_khz(c));
		edgeai_gov_decide(c, EDGEAI_FREQ_REASON_GOVERNOR_SWITCH);
		mutex_unlock(&c->gov_lock);
	}
	return 0;
}

/**
 * edgeai_governors_exit() - stop deciding
 *
 * The controls are released afterwards, by their own exit functions.
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

			if (!c->gov)
				continue;
			cancel_work_sync(&c->gov_kick);
			cancel_delayed_work_sync(&c->gov_tick);
		}
	}
}
