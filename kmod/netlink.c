// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "edgeai" generic netlink family: events for monitors and dumps of
 * clusters, counters and live jobs.
 *
 * Two multicast groups keep a frequency monitor from drowning in per-job
 * messages: "events" (clusters, executors; anyone may listen) and "jobs"
 * (one message per finished or refused job; CAP_NET_ADMIN, as it names
 * other users' work).  A message is built only when someone listens.
 * Requests are validated strictly against per-command policies.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "notify.h"
#include "trace.h"

enum edgeai_nl_group {
	EDGEAI_NL_GROUP_EVENTS,
	EDGEAI_NL_GROUP_JOBS,
};

static const struct genl_multicast_group edgeai_nl_mcgrps[] = {
	[EDGEAI_NL_GROUP_EVENTS] = { .name = EDGEAI_NL_MCGRP_EVENTS },
	[EDGEAI_NL_GROUP_JOBS] = { .name = EDGEAI_NL_MCGRP_JOBS,
				   .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* GET_CLUSTER takes one attribute; everything else is refused. */
static const struct nla_policy edgeai_nl_cluster_policy[EDGEAI_NL_A_MAX + 1] = {
	[EDGEAI_NL_A_CLUSTER_ID] = { .type = NLA_U32 },
};

/* GET_STATS and GET_JOB take no attribute at all. */
static const struct nla_policy edgeai_nl_none_policy[EDGEAI_NL_A_MAX + 1] = {
};

static struct genl_family edgeai_genl;

/* The family is registered: the first decisions at load come before. */
static bool edgeai_nl_up;

static bool edgeai_nl_listening(enum edgeai_nl_group group)
{
	return READ_ONCE(edgeai_nl_up) &&
	       genl_has_listeners(&edgeai_genl, &init_net, group);
}

static void edgeai_nl_send(struct sk_buff *skb, enum edgeai_nl_group group)
{
	genlmsg_multicast(&edgeai_genl, skb, 0, group, GFP_KERNEL);
}

static int edgeai_nl_put_cluster_name(struct sk_buff *skb,
				      const struct edgeai_cluster *c)
{
	if (nla_put_u32(skb, EDGEAI_NL_A_CLUSTER_ID, c->id) ||
	    nla_put_string(skb, EDGEAI_NL_A_CLUSTER_NAME, c->name) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_TIME_NS, ktime_get_ns(),
			      EDGEAI_NL_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/*
 * Start an event about a cluster.  Returns NULL when nobody listens or
 * memory is short: events are best effort.
 */
static struct sk_buff *edgeai_nl_cluster_event(struct edgeai_cluster *c,
					       u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	if (!edgeai_nl_listening(EDGEAI_NL_GROUP_EVENTS))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &edgeai_genl, 0, cmd);
	if (!*hdr || edgeai_nl_put_cluster_name(skb, c)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void edgeai_nl_finish(struct sk_buff *skb, void *hdr, int err,
			     enum edgeai_nl_group group)
{
	if (err) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	edgeai_nl_send(skb, group);
}

/**
 * edgeai_notify_freq() - a cluster's frequency changed
 * @c: the cluster
 * @old_khz: the frequency before
 * @new_khz: the frequency now
 * @reason: &enum edgeai_nl_freq_reason
 */
void edgeai_notify_freq(struct edgeai_cluster *c, u32 old_khz, u32 new_khz,
			u32 reason)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	trace_edgeai_freq_change(c->id, c->name, old_khz, new_khz, reason);
	skb = edgeai_nl_cluster_event(c, EDGEAI_NL_CMD_FREQ_CHANGE, &hdr);
	if (!skb)
		return;
	err = nla_put_u32(skb, EDGEAI_NL_A_FREQ_OLD_KHZ, old_khz) ||
	      nla_put_u32(skb, EDGEAI_NL_A_FREQ_KHZ, new_khz) ||
	      nla_put_u32(skb, EDGEAI_NL_A_FREQ_REASON, reason);
	edgeai_nl_finish(skb, hdr, err, EDGEAI_NL_GROUP_EVENTS);
}

/**
 * edgeai_notify_governor() - a cluster's governor changed
 * @c: the cluster
 * @old: the governor before
 * @new: the governor now
 */
void edgeai_notify_governor(struct edgeai_cluster *c, const char *old,
			    const char *new)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = edgeai_nl_cluster_event(c, EDGEAI_NL_CMD_GOVERNOR_CHANGE, &hdr);
	if (!skb)
		return;
	err = nla_put_string(skb, EDGEAI_NL_A_GOVERNOR_OLD, old) ||
	      nla_put_string(skb, EDGEAI_NL_A_GOVERNOR, new);
	edgeai_nl_finish(skb, hdr, err, EDGEAI_NL_GROUP_EVENTS);
}

/**
 * edgeai_notify_overload() - a cluster cannot meet its queued deadlines
 * @c: the cluster
 * @nr_work: stages queued or running on it
 */
void edgeai_notify_overload(struct edgeai_cluster *c, u32 nr_work)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = edgeai_nl_cluster_event(c, EDGEAI_NL_CMD_OVERLOAD, &hdr);
	if (!skb)
		return;
	err = nla_put_u32(skb, EDGEAI_NL_A_NR_QUEUED, nr_work) ||
	      nla_put_u32(skb, EDGEAI_NL_A_FREQ_KHZ,
			  edgeai_cluster_cur_khz(c));
	edgeai_nl_finish(skb, hdr, err, EDGEAI_NL_GROUP_EVENTS);
}

/**
 * edgeai_notify_capped() - another limit holds a cluster below edgeai's ask
 * @c: the cluster
 * @req_khz: what edgeai asked for
 * @actual_khz: what the cluster was given
 */
void edgeai_notify_capped(struct edgeai_cluster *c, u32 req_khz,
			  u32 actual_khz)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = edgeai_nl_cluster_event(c, EDGEAI_NL_CMD_FREQ_CAPPED, &hdr);
	if (!skb)
		return;
	err = nla_put_u32(skb, EDGEAI_NL_A_FREQ_REQ_KHZ, req_khz) ||
	      nla_put_u32(skb, EDGEAI_NL_A_FREQ_KHZ, actual_khz);
	edgeai_nl_finish(skb, hdr, err, EDGEAI_NL_GROUP_EVENTS);
}

/**
 * edgeai_notify_exec() - an executor attached or went away
 * @exec: the executor; the event names the process that attached it,
 *	whichever closes its file
 * @attach: it attached (else it went away)
 * @lost: it went away holding a stage
 * @nr_exec: the cluster's executors once it attached or went away (read
 *	under the cluster's lock with the change, not when the event is sent)
 */
void edgeai_notify_exec(struct edgeai_exec *exec, bool attach, bool lost,
			u32 nr_exec)
{
	struct edgeai_cluster *c = exec->cluster;
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = edgeai_nl_cluster_event(c, attach ? EDGEAI_NL_CMD_EXEC_ATTACH :
					     EDGEAI_NL_CMD_EXEC_DETACH, &hdr);
	if (!skb)
		return;
	err = nla_put_u32(skb, EDGEAI_NL_A_PID, pid_nr(exec->pid)) ||
	      nla_put_u32(skb, EDGEAI_NL_A_NR_EXECUTORS, nr_exec) ||
	      (lost && nla_put_flag(skb, EDGEAI_NL_A_EXEC_LOST));
	edgeai_nl_finish(skb, hdr, err, EDGEAI_NL_GROUP_EVENTS);
}

/*
 * Who submitted a job: the process as @ns sees it (0 when it cannot) and
 * the file's user in the initial user namespace.  Events go to every
 * listener in one message: they name the process as the initial pid
 * namespace sees it; a dump answers one process, in its own namespace.
 */
static int edgeai_nl_put_owner(struct sk_buff *skb,
			       const struct edgeai_job *job,
			       struct pid_namespace *ns)
{
	if (nla_put_u32(skb, EDGEAI_NL_A_PID, pid_nr_ns(job->submitter, ns)) ||
	    nla_put_u32(skb, EDGEAI_NL_A_UID,
			from_kuid(&init_user_ns, job->owner->user->uid)))
		return -EMSGSIZE;
	return 0;
}

static int edgeai_nl_put_stages(struct sk_buff *skb,
				const struct edgeai_job *job)
{
	struct nlattr *stages, *st;
	u32 i;

	stages = nla_nest_start(skb, EDGEAI_NL_A_STAGES);
	if (!stages)
		return -EMSGSIZE;
	for (i = 0; i < job->graph->nr_stages; i++) {
		const struct edgeai_stage_times *t = &job->times[i];

		st = nla_nest_start(skb, EDGEAI_NL_A_STAGE);
		if (!st ||
		    nla_put_u32(skb, EDGEAI_NL_A_CLUSTER_ID,
				edgeai_job_place_at(job, i)->cluster->id) ||
		    nla_put_u64_64bit(skb, EDGEAI_NL_A_START_NS, t->start_ns,
				      EDGEAI_NL_A_PAD) ||
		    nla_put_u64_64bit(skb, EDGEAI_NL_A_END_NS, t->end_ns,
				      EDGEAI_NL_A_PAD) ||
		    nla_put_u32(skb, EDGEAI_NL_A_FREQ_KHZ, t->freq_khz))
			return -EMSGSIZE;
		nla_nest_end(skb, st);
	}
	nla_nest_end(skb, stages);
	return 0;
}

/*
 * A session job's token steps: how many, their time, the time they were
 * held back, and with @done why it stopped.  Read while the job runs, the
 * figures may be a step apart.
 */
static int edgeai_nl_put_session(struct sk_buff *skb,
				 const struct edgeai_job *job, bool done)
{
	u32 i, n = min(READ_ONCE(job->nr_tokens), job->max_tokens);
	u64 step_ns = 0;

	if (!job->session)
		return 0;
	for (i = 0; i < n; i++)
		step_ns += READ_ONCE(job->step_ns[i]);
	if (nla_put_u32(skb, EDGEAI_NL_A_TOKENS, n) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_STEP_NS, step_ns,
			      EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_FROZEN_NS,
			      READ_ONCE(job->frozen_ns), EDGEAI_NL_A_PAD) ||
	    (done && nla_put_u32(skb, EDGEAI_NL_A_SESSION_END,
				 job->session_end)))
		return -EMSGSIZE;
	return 0;
}

static int edgeai_nl_put_job_done(struct sk_buff *skb,
				  const struct edgeai_job *job)
{
	bool has_deadline = job->deadline != EP_NO_DEADLINE;
	u64 energy = edgeai_job_energy(job);

	if (edgeai_nl_put_owner(skb, job, &init_pid_ns) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_JOB_ID, job->id,
			      EDGEAI_NL_A_PAD) ||
	    nla_put_u32(skb, EDGEAI_NL_A_GRAPH_ID, job->graph->id) ||
	    nla_put_string(skb, EDGEAI_NL_A_GRAPH_NAME, job->graph->name) ||
	    nla_put_u32(skb, EDGEAI_NL_A_PRIO, job->prio) ||
	    nla_put_u32(skb, EDGEAI_NL_A_STATUS, job->status) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_SUBMIT_NS, job->submit_ns,
			      EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_LATENCY_NS,
			      job->finish_ns - job->submit_ns,
			      EDGEAI_NL_A_PAD) ||
	    (has_deadline &&
	     nla_put_u64_64bit(skb, EDGEAI_NL_A_DEADLINE_NS, job->deadline,
			       EDGEAI_NL_A_PAD)) ||
	    (job->finish_ns <= job->deadline &&
	     nla_put_flag(skb, EDGEAI_NL_A_DEADLINE_MET)) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_ENERGY_UJ, energy,
			      EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_TIME_NS, job->finish_ns,
			      EDGEAI_NL_A_PAD))
		return -EMSGSIZE;
	if (job->status == EDGEAI_JOB_DONE_EXIT &&
	    (nla_put_u32(skb, EDGEAI_NL_A_EXIT, job->exit_index) ||
	     nla_put_u32(skb, EDGEAI_NL_A_ACCURACY_PPM,
			 job->graph->exits[job->exit_index].accuracy_ppm)))
		return -EMSGSIZE;
	if (edgeai_nl_put_session(skb, job, true))
		return -EMSGSIZE;
	return edgeai_nl_put_stages(skb, job);
}

/**
 * edgeai_notify_job_done() - a job reached its final state
 * @job: the job, %EDGEAI_JOB_FINISHED
 */
void edgeai_notify_job_done(struct edgeai_job *job)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	trace_edgeai_job_done(job);
	if (!edgeai_nl_listening(EDGEAI_NL_GROUP_JOBS))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &edgeai_genl, 0, EDGEAI_NL_CMD_JOB_DONE);
	err = hdr ? edgeai_nl_put_job_done(skb, job) : -EMSGSIZE;
	edgeai_nl_finish(skb, hdr, err, EDGEAI_NL_GROUP_JOBS);
}

/**
 * edgeai_notify_rejected() - strict admission refused a job
 * @job: the job, never queued
 */
void edgeai_notify_rejected(struct edgeai_job *job)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	if (!edgeai_nl_listening(EDGEAI_NL_GROUP_JOBS))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &edgeai_genl, 0,
			  EDGEAI_NL_CMD_JOB_REJECTED);
	err = !hdr || edgeai_nl_put_owner(skb, job, &init_pid_ns) ||
	      nla_put_u32(skb, EDGEAI_NL_A_GRAPH_ID, job->graph->id) ||
	      nla_put_string(skb, EDGEAI_NL_A_GRAPH_NAME, job->graph->name) ||
	      nla_put_u32(skb, EDGEAI_NL_A_PRIO, job->prio) ||
	      nla_put_u64_64bit(skb, EDGEAI_NL_A_DEADLINE_NS, job->deadline,
				EDGEAI_NL_A_PAD) ||
	      nla_put_u64_64bit(skb, EDGEAI_NL_A_TIME_NS, ktime_get_ns(),
				EDGEAI_NL_A_PAD);
	edgeai_nl_finish(skb, hdr, err, EDGEAI_NL_GROUP_JOBS);
}

/* ------------------------------------------------------------ requests */

/* A nest of one u32 attribute per value. */
static int edgeai_nl_put_u32s(struct sk_buff *skb, int nest, int attr,
			      const u32 *vals, u32 n)
{
	struct nlattr *list = nla_nest_start(skb, nest);
	u32 i;

	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u32(skb, attr, vals[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, list);
	return 0;
}

/* Answer a request with one message that @fill fills. */
static int edgeai_nl_reply(struct genl_info *info, u8 cmd,
			   int (*fill)(struct sk_buff *skb, void *arg),
			   void *arg)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &edgeai_genl, 0, cmd);
	ret = hdr ? fill(msg, arg) : -EMSGSIZE;
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int edgeai_nl_fill_cluster(struct sk_buff *skb, void *arg)
{
	struct edgeai_cluster *c = arg;
	u32 khz[EP_MAX_OPPS];
	u32 queued, running, nr_exec, i;
	u64 busy, done, energy;
	char gov[EDGEAI_GOV_NAME_LEN];

	spin_lock(&c->lock);
	queued = c->nr_queued;
	running = c->nr_running;
	nr_exec = c->nr_exec;
	busy = c->busy_ns;
	done = c->stages_done;
	energy = c->energy_uj;
	spin_unlock(&c->lock);
	strscpy(gov, READ_ONCE(c->gov)->name, sizeof(gov));

	if (edgeai_nl_put_cluster_name(skb, c) ||
	    nla_put_u32(skb, EDGEAI_NL_A_CLUSTER_KIND, c->kind) ||
	    nla_put_u32(skb, EDGEAI_NL_A_CLUSTER_CONTROL, c->control) ||
	    nla_put_u32(skb, EDGEAI_NL_A_FREQ_KHZ, edgeai_cluster_cur_khz(c)) ||
	    nla_put_string(skb, EDGEAI_NL_A_GOVERNOR, gov) ||
	    nla_put_u32(skb, EDGEAI_NL_A_NR_QUEUED, queued) ||
	    nla_put_u32(skb, EDGEAI_NL_A_NR_RUNNING, running) ||
	    nla_put_u32(skb, EDGEAI_NL_A_NR_EXECUTORS, nr_exec) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_BUSY_NS, busy,
			      EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_STAGES_DONE, done,
			      EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_ENERGY_UJ, energy,
			      EDGEAI_NL_A_PAD))
		return -EMSGSIZE;
	for (i = 0; i < c->model.nr_opp; i++)
		khz[i] = c->opp[i].khz;
	return edgeai_nl_put_u32s(skb, EDGEAI_NL_A_FREQS, EDGEAI_NL_A_FREQ_KHZ,
				  khz, c->model.nr_opp);
}

static int edgeai_nl_get_cluster_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct edgeai_cluster *c;

	if (GENL_REQ_ATTR_CHECK(info, EDGEAI_NL_A_CLUSTER_ID))
		return -EINVAL;
	c = edgeai_cluster_get(nla_get_u32(info->attrs[EDGEAI_NL_A_CLUSTER_ID]));
	if (!c) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[EDGEAI_NL_A_CLUSTER_ID],
				    "no such cluster");
		return -ENOENT;
	}
	return edgeai_nl_reply(info, EDGEAI_NL_CMD_GET_CLUSTER,
			       edgeai_nl_fill_cluster, c);
}

static int edgeai_nl_get_cluster_dumpit(struct sk_buff *skb,
					struct netlink_callback *cb)
{
	u32 i;

	for (i = cb->args[0]; i < edgeai_nr_clusters; i++) {
		void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, &edgeai_genl,
					NLM_F_MULTI, EDGEAI_NL_CMD_GET_CLUSTER);

		if (!hdr)
			break;
		if (edgeai_nl_fill_cluster(skb, &edgeai_clusters[i])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	return skb->len;
}

static int edgeai_nl_fill_stats(struct sk_buff *skb, void *arg)
{
	const struct edgeai_stats *s = &edgeai_stats;
	u32 per_prio[EP_NR_PRIO] = {};
	u32 i, p;

	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *c = &edgeai_clusters[i];

		spin_lock(&c->lock);
		for (p = 0; p < EP_NR_PRIO; p++)
			per_prio[p] += c->nr_queued_prio[p];
		spin_unlock(&c->lock);
	}
	if (nla_put_u64_64bit(skb, EDGEAI_NL_A_STAT_SUBMITTED,
			      atomic64_read(&s->submitted), EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_STAT_COMPLETED,
			      atomic64_read(&s->completed), EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_STAT_FAILED,
			      atomic64_read(&s->failed), EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_STAT_CANCELLED,
			      atomic64_read(&s->cancelled), EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_STAT_DEADLINE_MISSES,
			      atomic64_read(&s->deadline_misses),
			      EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_STAT_REJECTED,
			      atomic64_read(&s->rejected), EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_STAT_EXITS_TAKEN,
			      atomic64_read(&s->exits_taken), EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_STAT_TOKENS,
			      atomic64_read(&s->tokens), EDGEAI_NL_A_PAD) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_STAT_FREEZES,
			      atomic64_read(&s->freezes), EDGEAI_NL_A_PAD) ||
	    nla_put_u32(skb, EDGEAI_NL_A_STAT_LIVE_JOBS,
			atomic_read(&s->live_jobs)))
		return -EMSGSIZE;
	return edgeai_nl_put_u32s(skb, EDGEAI_NL_A_QUEUED_PRIO,
				  EDGEAI_NL_A_NR_QUEUED, per_prio, EP_NR_PRIO);
}

static int edgeai_nl_get_stats_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	return edgeai_nl_reply(info, EDGEAI_NL_CMD_GET_STATS,
			       edgeai_nl_fill_stats, NULL);
}

/*
 * A live job for a dump: it answers the process reading it, so its pid
 * and its times are as that process's pid and time namespaces see them.
 */
static int edgeai_nl_fill_job(struct sk_buff *skb, struct netlink_callback *cb,
			      struct edgeai_job *job)
{
	u32 state = READ_ONCE(job->state), stage = READ_ONCE(job->stage);
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &edgeai_genl, NLM_F_MULTI, EDGEAI_NL_CMD_GET_JOB);
	if (!hdr)
		return -EMSGSIZE;
	if (edgeai_nl_put_owner(skb, job, task_active_pid_ns(current)) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_JOB_ID, job->id,
			      EDGEAI_NL_A_PAD) ||
	    nla_put_u32(skb, EDGEAI_NL_A_GRAPH_ID, job->graph->id) ||
	    nla_put_string(skb, EDGEAI_NL_A_GRAPH_NAME, job->graph->name) ||
	    nla_put_u32(skb, EDGEAI_NL_A_PRIO, job->prio) ||
	    nla_put_u32(skb, EDGEAI_NL_A_STATE, state) ||
	    nla_put_u32(skb, EDGEAI_NL_A_STAGE_INDEX, stage) ||
	    nla_put_u32(skb, EDGEAI_NL_A_CLUSTER_ID,
			edgeai_job_place_at(job, stage)->cluster->id) ||
	    nla_put_u64_64bit(skb, EDGEAI_NL_A_SUBMIT_NS,
			      edgeai_time_to_user(job->submit_ns),
			      EDGEAI_NL_A_PAD) ||
	    (job->deadline != EP_NO_DEADLINE &&
	     nla_put_u64_64bit(skb, EDGEAI_NL_A_DEADLINE_NS,
			       edgeai_time_to_user(job->deadline),
			       EDGEAI_NL_A_PAD)) ||
	    edgeai_nl_put_session(skb, job, false)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Whose jobs a dump shows without CAP_NET_ADMIN: those of the user who
 * opened the socket, as netlink_capable() judges by the socket's opener
 * too.  False when the socket has no file (a kernel socket).
 */
static bool edgeai_nl_dump_uid(struct netlink_callback *cb, kuid_t *uid)
{
	struct sock *sk = NETLINK_CB(cb->skb).sk;

	if (!sk || !sk->sk_socket || !sk->sk_socket->file)
		return false;
	*uid = sk->sk_socket->file->f_cred->euid;
	return true;
}

/*
 * Live jobs of every open file, in order of the files' serial numbers and
 * then job ids; cb->args[0] and [1] say where the last part ended, and the
 * next part starts there without walking the files before.  One file is
 * locked at a time, no list of them.  Without CAP_NET_ADMIN only the jobs
 * of the socket's user.
 */
static int edgeai_nl_get_job_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	bool all = netlink_capable(cb->skb, CAP_NET_ADMIN);
	unsigned long serial = cb->args[0];
	kuid_t me = INVALID_UID;
	struct edgeai_ctx *ctx;
	struct edgeai_job *job;
	unsigned long id;
	int full = 0;

	if (!all && !edgeai_nl_dump_uid(cb, &me))
		return 0;
	while (!full && (ctx = edgeai_ctx_find(&serial)) != NULL) {
		if (serial != cb->args[0]) {
			cb->args[0] = serial;
			cb->args[1] = 0;
		}
		if (!READ_ONCE(ctx->exec) &&
		    (all || uid_eq(ctx->user->uid, me))) {
			spin_lock(&ctx->lock);
			xa_for_each_start(&ctx->jobs, id, job, cb->args[1] + 1) {
				full = edgeai_nl_fill_job(skb, cb, job);
				if (full)
					break;
				cb->args[1] = id;
			}
			spin_unlock(&ctx->lock);
		}
		edgeai_ctx_put(ctx);
		serial++;
	}
	return skb->len;
}

static const struct genl_ops edgeai_nl_ops[] = {
	{
		.cmd = EDGEAI_NL_CMD_GET_CLUSTER,
		.doit = edgeai_nl_get_cluster_doit,
		.dumpit = edgeai_nl_get_cluster_dumpit,
		.policy = edgeai_nl_cluster_policy,
		.maxattr = EDGEAI_NL_A_MAX,
	},
	{
		.cmd = EDGEAI_NL_CMD_GET_STATS,
		.doit = edgeai_nl_get_stats_doit,
		.policy = edgeai_nl_none_policy,
		.maxattr = EDGEAI_NL_A_MAX,
	},
	{
		.cmd = EDGEAI_NL_CMD_GET_JOB,
		.dumpit = edgeai_nl_get_job_dumpit,
		.policy = edgeai_nl_none_policy,
		.maxattr = EDGEAI_NL_A_MAX,
	},
};

static struct genl_family edgeai_genl = {
	.name = EDGEAI_GENL_NAME,
	.version = EDGEAI_GENL_VERSION,
	.maxattr = EDGEAI_NL_A_MAX,
	.module = THIS_MODULE,
	.ops = edgeai_nl_ops,
	.n_ops = ARRAY_SIZE(edgeai_nl_ops),
	.mcgrps = edgeai_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(edgeai_nl_mcgrps),
};

/**
 * edgeai_netlink_init() - register the "edgeai" family
 *
 * Return: 0 or a negative errno.
 */
int edgeai_netlink_init(void)
{
	int ret = genl_register_family(&edgeai_genl);

	if (!ret)
		WRITE_ONCE(edgeai_nl_up, true);
	return ret;
}

/**
 * edgeai_netlink_exit() - unregister the family
 */
void edgeai_netlink_exit(void)
{
	WRITE_ONCE(edgeai_nl_up, false);
	genl_unregister_family(&edgeai_genl);
}
