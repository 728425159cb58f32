/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeai policy: the decisions, apart from the mechanisms.
 *
 * Queue order, admission and frequency-governor decisions are plain C with
 * no kernel API and no libc, integer arithmetic only, so that the very same
 * source files build into edgeai.ko and into user space (the simulator and
 * the host unit tests).  The kernel wraps them with locks, timers and QoS
 * requests; the simulator with its event loop.
 *
 * Units: times are nanoseconds (absolute ones on CLOCK_MONOTONIC),
 * frequencies kHz, power mW, energy pJ (mW x ns).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_POLICY_H
#define EDGEAI_POLICY_H

#include "types.h"

/* A deadline that is never missed. */
#define EP_NO_DEADLINE		U64_MAX

/*
 * Longer estimates and times are clamped (1000 s), so that the products
 * and sums the policy makes of them cannot overflow.
 */
#define EP_MAX_WORK_NS		(1000ULL * 1000 * 1000 * 1000)

/**
 * enum ep_prio - priority classes, most urgent first
 * @EP_PRIO_REALTIME: hard-ish real time, e.g. a camera pipeline
 * @EP_PRIO_HIGH: interactive work
 * @EP_PRIO_NORMAL: the default
 * @EP_PRIO_BACKGROUND: batch work that runs when nothing else waits
 * @EP_NR_PRIO: number of classes
 *
 * The values are those of the uapi's EDGEAI_PRIO_*.
 */
enum ep_prio {
	EP_PRIO_REALTIME,
	EP_PRIO_HIGH,
	EP_PRIO_NORMAL,
	EP_PRIO_BACKGROUND,
	EP_NR_PRIO
};

/**
 * struct ep_key - where a queued stage sits in its cluster's run queue
 * @deadline: absolute deadline of the job, %EP_NO_DEADLINE if none
 * @seq: arrival order on the cluster, for FIFO among equals
 * @prio: priority class, &enum ep_prio
 */
struct ep_key {
	u64 deadline;
	u64 seq;
	u32 prio;
};

bool ep_key_before(const struct ep_key *a, const struct ep_key *b);

/* Speed of a cluster's highest step, the unit of &struct ep_opp.speed. */
#define EP_SPEED_SCALE		1024

/**
 * struct ep_opp - one frequency step of a cluster
 * @khz: frequency
 * @power_mw: power drawn while computing at this step, 0 if unknown
 * @speed: how fast work runs at this step relative to the highest step,
 *	in 1/%EP_SPEED_SCALE (measured: memory-bound work slows less than the
 *	frequency drops); 0 if unknown, then taken as proportional to
 *	frequency
 */
struct ep_opp {
	u32 khz;
	u32 power_mw;
	u32 speed;
};

/* Most steps a cluster may have. */
#define EP_MAX_OPPS		32

/**
 * struct ep_cluster_model - what the policy knows about a cluster
 * @opp: frequency steps, ascending by frequency
 * @nr_opp: number of steps, 1..%EP_MAX_OPPS
 * @idle_mw: power while idle, 0 if unknown
 * @switch_up_ns: time lost to a switch to a higher step
 * @switch_down_ns: time lost to a switch to a lower step
 *
 * Where power is unknown for a step the policy assumes dynamic power that
 * grows with the cube of frequency (voltage tracking frequency), relative
 * to the highest step.
 */
struct ep_cluster_model {
	const struct ep_opp *opp;
	u32 nr_opp;
	u32 idle_mw;
	u64 switch_up_ns;
	u64 switch_down_ns;
};

u64 ep_scale_time(const struct ep_cluster_model *m, u64 work_ns, u32 step);
u64 ep_work_done(const struct ep_cluster_model *m, u64 elapsed_ns, u32 step);
u64 ep_stage_time(const struct ep_cluster_model *m, const u32 *speed,
		  u64 work_ns, u32 step);
u64 ep_stage_work(const struct ep_cluster_model *m, const u32 *speed,
		  u64 elapsed_ns, u32 step);
u32 ep_host_floor(const struct ep_cluster_model *host,
		  const struct ep_cluster_model *guest, u32 guest_step);
u32 ep_power_mw(const struct ep_cluster_model *m, u32 step);
u32 ep_step_of_khz(const struct ep_cluster_model *m, u32 khz);

/**
 * struct ep_work - one stage queued or running on a cluster
 * @work_ns: estimated time at the cluster's highest step (for a running
 *	stage: what is left of it)
 * @deadline: absolute deadline of its job, %EP_NO_DEADLINE if none.  A
 *	deadline already past at decision time no longer steers the
 *	frequency: the stage is late at any step, and counts as load only.
 * @speed: the stage's own speed at each of the cluster's steps relative
 *	to the highest, in 1/%EP_SPEED_SCALE (from the planner's per-step
 *	costs), or NULL for the cluster's speeds
 */
struct ep_work {
	u64 work_ns;
	u64 deadline;
	const u32 *speed;
};

/**
 * struct ep_gov_in - what a governor decision looks at
 * @model: the cluster
 * @now: current time
 * @cur: current step
 * @lanes: stages the cluster runs at once (attached executors), at least 1
 * @work: the cluster's stages in the order they will run, running first
 * @nr_work: entries in @work
 * @extra_work_ns: further queued work, at the highest step, beyond @work
 *	(not checked against deadlines, only counted as load)
 * @idle_ns: how long the cluster has had no work at all (0 while it has)
 * @reserve: the share of the time left to each deadline that the deadline
 *	governor keeps in hand, in 1/%EP_MARGIN_ONE (the cluster's
 *	&struct ep_margin); 0 means %EP_MARGIN_DEFAULT
 */
struct ep_gov_in {
	const struct ep_cluster_model *model;
	u64 now;
	u32 cur;
	u32 lanes;
	const struct ep_work *work;
	u32 nr_work;
	u64 extra_work_ns;
	u64 idle_ns;
	u32 reserve;
};

/**
 * struct ep_gov_out - a governor decision and why
 * @step: the chosen step
 * @feasible: every deadline in the input is met at @step
 * @slack_ns: smallest margin to a deadline at @step (0 when none is met)
 * @energy_pj: estimated energy over the decision horizon at @step
 * @hold_ns: with no work, how much longer the cluster keeps its step
 *	before it drops (0: not holding)
 */
struct ep_gov_out {
	u32 step;
	bool feasible;
	u64 slack_ns;
	u64 energy_pj;
	u64 hold_ns;
};

void ep_gov_performance(const struct ep_gov_in *in, struct ep_gov_out *out);
void ep_gov_powersave(const struct ep_gov_in *in, struct ep_gov_out *out);
void ep_gov_userspace(const struct ep_gov_in *in, u32 khz,
		      struct ep_gov_out *out);
void ep_gov_deadline(const struct ep_gov_in *in, struct ep_gov_out *out);
u64 ep_idle_hold_ns(const struct ep_cluster_model *m);

bool ep_gov_check(const struct ep_gov_in *in, u32 step, u64 *slack_ns);

/*
 * The deadline governor's reserve, in 1/EP_MARGIN_ONE of the time left to
 * a deadline: a quarter to start with, then closed loop (ep_margin_update())
 * between EP_MARGIN_MIN and EP_MARGIN_MAX.
 */
#define EP_MARGIN_SHIFT		10
#define EP_MARGIN_ONE		1024U	/* 1 << EP_MARGIN_SHIFT */
#define EP_MARGIN_DEFAULT	(EP_MARGIN_ONE / 4)
#define EP_MARGIN_MIN		(EP_MARGIN_ONE / 32)
#define EP_MARGIN_MAX		(EP_MARGIN_ONE * 15 / 16)

/**
 * struct ep_margin - a cluster's deadline reserve, adapted to its misses
 * @reserve: the share of the time left to a deadline kept in hand, in
 *	1/%EP_MARGIN_ONE (&struct ep_gov_in's @reserve)
 */
struct ep_margin {
	u32 reserve;
};

void ep_margin_init(struct ep_margin *m);
void ep_margin_update(struct ep_margin *m, bool missed);

/**
 * struct ep_admit_stage - one stage of a job asking to be admitted
 * @work_ns: the stage's estimated time at the step its cluster would run
 *	it at: the highest its governor may choose (the current one under a
 *	fixed-frequency governor), at the stage's own speeds where it has
 *	them (ep_stage_time())
 * @ahead_ns: work already queued or running on that cluster that would run
 *	before it, as time at that step (ep_scale_time())
 * @lanes: executors attached to the cluster; 0 means none
 *
 * Times, not work: the caller scales them, under whatever lock keeps the
 * cluster's model and the stage's speeds whole while it reads them.
 */
struct ep_admit_stage {
	u64 work_ns;
	u64 ahead_ns;
	u32 lanes;
};

bool ep_admit(u64 now, u64 deadline, const struct ep_admit_stage *st,
	      u32 nr, u64 *finish);

/**
 * struct ep_place - one cluster a ready stage may be queued on
 * @wait_ns: what that cluster would run before the stage: what is left of
 *	its running stages and its queued work of the stage's class and the
 *	classes above, at the highest step, over its executors
 * @cost_ns: the stage's estimate there, at the highest step
 * @lanes: executors attached to the cluster; 0: none, not a place to go
 */
struct ep_place {
	u64 wait_ns;
	u64 cost_ns;
	u32 lanes;
};

u32 ep_place_stage(const struct ep_place *p, u32 nr);

/**
 * struct ep_exit - an early exit of a graph: after a stage, the job's
 *	output is already a valid result
 * @after_stage: the stage after which its result is complete
 * @accuracy_ppm: its declared accuracy, parts per million
 * @out_mask: the job buffers holding its result (not read by the policy)
 */
struct ep_exit {
	u32 after_stage;
	u32 accuracy_ppm;
	u64 out_mask;
};

/**
 * struct ep_anytime - what the anytime decision knows of a job
 * @exits: its graph's exits, in increasing stage and accuracy
 * @nr_exits: entries at @exits
 * @min_accuracy: the least accuracy of an exit it may end at (ppm)
 * @deadline: its absolute deadline
 */
struct ep_anytime {
	const struct ep_exit *exits;
	u32 nr_exits;
	u32 min_accuracy;
	u64 deadline;
};

int ep_anytime_aim(const struct ep_anytime *a, u64 now,
		   const struct ep_admit_stage *st, u32 from, u64 *finish);
int ep_anytime_check(const struct ep_anytime *a, u64 now,
		     const struct ep_admit_stage *st, u32 done, u32 nr_stages,
		     u32 *end);

/**
 * struct ep_est - what a stage's runs measured, at the highest step
 * @avg_ns: moving average of the runs (weight 1/8 for the newest)
 * @peak_ns: a high-percentile tracker: the largest run, decaying towards
 *	@avg_ns by 1/8 of the gap with every run
 * @samples: runs counted
 *
 * Zero-initialised before the first run.
 */
struct ep_est {
	u64 avg_ns;
	u64 peak_ns;
	u64 samples;
};

void ep_est_add(struct ep_est *e, u64 top_ns);
u64 ep_est_cost(const struct ep_est *e, u64 prior_ns);

/**
 * struct ep_flow - one user's queued stages of a class on a cluster, as
 *	deficit round robin sees them
 * @prev: ring of flows with queued stages
 * @next: ring of flows with queued stages
 * @deficit: work the flow may still run in its turn
 * @head_cost: estimate of the stage the flow runs next (earliest deadline)
 * @credited: the flow got its quantum for the turn it is in
 * @active: on the ring
 *
 * Zero-initialised when idle.
 */
struct ep_flow {
	struct ep_flow *prev;
	struct ep_flow *next;
	u64 deficit;
	u64 head_cost;
	bool credited;
	bool active;
};

/**
 * struct ep_fair - deficit round robin between the flows of one class
 * @head: the flow whose turn it is, NULL when none has work
 * @quantum: work a flow may run per turn (at least one stage)
 */
struct ep_fair {
	struct ep_flow *head;
	u64 quantum;
};

void ep_fair_activate(struct ep_fair *q, struct ep_flow *f, u64 head_cost);
void ep_fair_deactivate(struct ep_fair *q, struct ep_flow *f);
struct ep_flow *ep_fair_pick(struct ep_fair *q);

/**
 * enum ep_pick - which queue a cluster serves next
 * @EP_PICK_NONE: nothing is queued
 * @EP_PICK_STRICT: a REALTIME or HIGH stage, most urgent first
 * @EP_PICK_AGED: the oldest NORMAL or BACKGROUND stage, which has waited
 *	its bound
 * @EP_PICK_NORMAL: a NORMAL stage, by deficit round robin between users
 * @EP_PICK_BACKGROUND: a BACKGROUND stage, likewise
 */
enum ep_pick {
	EP_PICK_NONE,
	EP_PICK_STRICT,
	EP_PICK_AGED,
	EP_PICK_NORMAL,
	EP_PICK_BACKGROUND,
};

/**
 * struct ep_queues - what a pick looks at
 * @nr_strict: REALTIME and HIGH stages queued
 * @nr_normal: NORMAL stages queued
 * @nr_background: BACKGROUND stages queued
 * @oldest_ns: when the oldest NORMAL or BACKGROUND stage was queued
 * @now: current time
 * @max_wait_ns: the aging bound: a fair stage that has waited this long
 *	runs before every other fair stage (0: no aging)
 */
struct ep_queues {
	u32 nr_strict;
	u32 nr_normal;
	u32 nr_background;
	u64 oldest_ns;
	u64 now;
	u64 max_wait_ns;
};

enum ep_pick ep_pick_queue(const struct ep_queues *q);
u64 ep_fair_wait_bound(u64 max_wait_ns, u32 aged_ahead, u32 lanes,
		       u64 max_stage_ns);

/**
 * struct ep_session_in - what the freezing of an LLM session looks at
 * @model: the cluster the session's token steps run on
 * @now: current time
 * @step: the cluster's current step
 * @lanes: executors attached to the cluster; 0 means none
 * @step_work_ns: estimated time of one token step at the cluster's highest
 *	step, 0 if not known yet
 * @urgent: the stages of classes above the session's (REALTIME, HIGH)
 *	queued or running on the cluster, in the order they will run,
 *	running first (what is left of them)
 * @nr_urgent: entries in @urgent
 * @recent_slack_ns: the smallest margin to its deadline with which a job
 *	of a class above the session's recently ended a stage on the cluster
 *	(0: one missed), U64_MAX when none did
 * @frozen: the session is frozen now
 */
struct ep_session_in {
	const struct ep_cluster_model *model;
	u64 now;
	u32 step;
	u32 lanes;
	u64 step_work_ns;
	const struct ep_work *urgent;
	u32 nr_urgent;
	u64 recent_slack_ns;
	bool frozen;
};

bool ep_session_frozen(const struct ep_session_in *in);

#endif /* EDGEAI_POLICY_H */
