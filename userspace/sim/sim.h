/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeai-sim: a discrete-event simulator of the board under the kernel's
 * scheduling model, driving the kernel's own policy code (kmod/policy/,
 * linked as libedgeai-policy) for queue order (ep_key_before), strict
 * admission (ep_admit) and per-cluster frequency decisions
 * (ep_gov_performance/powersave/userspace/deadline), re-evaluated on
 * submit, stage start, stage end and a periodic tick as the kernel does.
 * Stage times and power come from the board model (libedgeai-board) at the
 * cluster's current step and its host's.
 *
 * The kernel's model: each cluster has a run queue and runs one stage at a
 * time (one executor lane); a job's next stage is queued when the previous
 * one completes.  A dynamic governor decides again on submit, stage start
 * and stage end, and on a timer at half its least slack (1..50 ms, 10 ms
 * when overloaded), as kmod/governor.c does; admission counts the work
 * queued at the job's class and above, as kmod/job.c does.
 *
 * Baselines from the literature are the same machine with a different
 * dispatch (round robin, HEFT, Band's global-queue least-slack scheduler in
 * band.c, EAS-style placement in eas.c), queue order (FIFO) or governors (Linux's schedutil and devfreq
 * simple_ondemand in linux_gov.c); docs/baselines.md cites each source.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_SIM_H
#define EDGEAI_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "../../kmod/policy/policy.h"
#include "board.h"
#include "plan.h"

#define SIM_MAX_APPS	16

enum sim_arrival {
	SIM_PERIODIC,	/* a camera: one frame every 1/rate s */
	SIM_POISSON,	/* independent arrivals at rate per second */
	SIM_BURST,	/* `burst` frames at once, rate/burst bursts per second */
	SIM_SPORADIC,	/* prompt-like: Poisson requests of `burst` frames run
			 * one after the other, one SLO for the request */
};

enum sim_dispatch {
	SIM_STATIC,		/* each job follows its app's plan */
	SIM_ROUND_ROBIN,	/* whole network on the next element in turn */
	SIM_BAND,		/* Band (MobiSys'22): one global request queue,
				 * least slack first, subgraph of least expected
				 * finish dispatched to idle workers (band.c) */
	SIM_HEFT,		/* HEFT: at arrival, each subgraph on the element
				 * of earliest finish given the queues */
	SIM_EAS,		/* Linux's energy-aware placement of the whole
				 * network: least energy among the elements it
				 * fits (eas.c) */
};

enum sim_order {
	SIM_ORDER_POLICY,	/* the kernel's ep_key_before() */
	SIM_ORDER_FIFO,
	SIM_ORDER_LST,		/* least slack first (Band) */
};

enum sim_gov {
	SIM_GOV_PERFORMANCE,
	SIM_GOV_POWERSAVE,
	SIM_GOV_USERSPACE,
	SIM_GOV_DEADLINE,
	SIM_GOV_LINUX,		/* Linux's own: schedutil on CPU clusters, devfreq
				 * simple_ondemand on GPU/NPU (linux_gov.c) */
	SIM_GOV_SHARED,		/* edgeai's shared control mode: Linux's own,
				 * with the deadline governor's step as a floor
				 * while work with a deadline ahead is there */
};

/**
 * struct sim_app - one application
 * @name: label in reports
 * @model: model index on the board
 * @plan: its plan (SIM_STATIC)
 * @prio: priority class (enum ep_prio)
 * @rate: frames (requests for SIM_SPORADIC) per second
 * @slo_ms: latency target of a frame (of a request), 0 for none
 * @arrival: arrival pattern
 * @burst: frames per burst or per request
 * @replicas: SIM_STATIC: several plans frames are dealt to, in proportion
 *	to their predicted throughput (replicated pipelines); NULL for @plan
 * @nr_replicas: entries in @replicas
 * @replica_rates: frames per second dealt to each replica (NULL: in
 *	proportion to each replica's predicted throughput)
 * @alts: SIM_STATIC, with admission and no replicas: the app's further
 *	graphs, in the order it tries them: a frame (request) the kernel's
 *	strict admission refuses on @plan (-ETIME) is submitted to each in
 *	turn, the first that admits it runs it (the request's later frames
 *	too); NULL for none (sim_fallbacks())
 * @nr_alts: entries in @alts
 * @exits: SIM_STATIC, one plan: the early exits of @plan, as the kernel
 *	holds a graph's (after_stage, accuracy_ppm; out_mask unused), in
 *	increasing stage and accuracy; NULL for none
 * @nr_exits: entries in @exits
 * @anytime: its frames are anytime jobs (EDGEAI_SUBMIT_ANYTIME): the
 *	kernel's own decision (kmod/policy/anytime.c) ends them at an exit
 *	when going on would miss the deadline
 * @min_accuracy_ppm: with @anytime, the least accuracy of an exit
 * @accuracy_ppm: the declared accuracy of its full result, for the
 *	delivered accuracy in the results (0: none counted)
 */
struct sim_app {
	char name[32];
	int model;
	struct plan plan;
	int prio;
	double rate;
	double slo_ms;
	enum sim_arrival arrival;
	int burst;
	const struct plan *replicas;
	int nr_replicas;
	const double *replica_rates;
	const struct plan *alts;
	int nr_alts;
	const struct ep_exit *exits;
	int nr_exits;
	bool anytime;
	uint32_t min_accuracy_ppm;
	uint32_t accuracy_ppm;
};

/**
 * struct sim_config - one run
 * @b: the board
 * @seed: random seed (arrivals)
 * @duration_s: simulated time during which frames arrive; the run then
 *	drains what is queued (at most as long again)
 * @tick_ms: period of the governors' tick
 * @gov: governor of every cluster
 * @user_khz: SIM_GOV_USERSPACE: the frequency per element
 * @admit: strict admission (ep_admit) of every job with a deadline
 * @order: run-queue order
 * @dispatch: how jobs are cut into stages
 * @elems: elements SIM_ROUND_ROBIN/BAND/HEFT may use, 0 for all
 * @stage_deadlines: a stage's deadline is its job's minus the top-step
 *	estimate of the stages after it (else the job's deadline)
 * @units: SIM_BAND/SIM_HEFT: subgraphs per network (contiguous, even
 *	top-step time on the big cluster)
 * @drop_expired: a stage whose job's deadline has passed is dropped
 *	instead of run (the job counts as missed)
 * @safe_costs: SIM_STATIC: each stage is declared to the policy as the
 *	planner declares it to the kernel (edgeai-run): plan_stage.cost_ns,
 *	the least top-step estimate its own speeds never scale below its time
 *	at any step, and those speeds (plan_stage.speed, ep_work.speed); else
 *	its time at the top step and the cluster's speeds averaged over
 *	networks
 * @learn_costs: SIM_STATIC: the kernel's learning of stage costs
 *	(kmod/job.c, edgeai_job_stage_learn()): each run of a plan's stage,
 *	fetch to completion, normalised to the top step with its speeds
 *	(ep_stage_work()), feeds the stage's ep_est; once it has run, its
 *	ep_est_cost() replaces the declared cost for admission, the run
 *	queue, the governor and the deadlines of the stages queued after
 * @split_requests: a SIM_SPORADIC request of n frames, run one after the
 *	other, gives frame k the deadline arrival + k/n x its SLO (what an
 *	application tells the kernel, whose governor cannot see the frames
 *	not yet submitted); met or not is still the request's deadline
 * @cosched_by_app: sim_cosched() keeps the combination whose simulation
 *	meets the most per application (the mean over the apps of each
 *	one's share met, a starved app weighing as much as a busy one)
 *	rather than the most frames
 * @fallback: sim_cosched() gives every app its fallback graphs
 *	(sim_fallbacks()) while it ranks the combinations; the caller then
 *	calls sim_fallbacks() itself for the chosen plans
 * @fallback_by_finish: a frame strict admission refuses on its plan goes
 *	to its fallbacks in order of least expected finish, from what the
 *	application reads of each cluster (its wait_ns for the app's class:
 *	what is left of the running stages and the queued work of that class
 *	and the classes above, at the top step; plan_expected_finish() and
 *	plan_finish_order(), as edgeai-run), instead of their fixed order
 *	(fastest alone first)
 * @stage_by_finish: SIM_STATIC: stage alternatives, as edgeai-run
 *	declares them on a module with EDGEAI_FEAT_STAGE_ALTS: each stage's
 *	places are its plan's element and its alternatives
 *	(plan_alternatives(), within @elems), and when it becomes ready it
 *	is queued where the kernel queues it, ep_place_stage(): least wait
 *	for its class there (the cluster's wait_ns) plus its estimate there
 *	(declared, then learned per place with @learn_costs), its own on a
 *	tie; its deadline stays the job's less the later stages' estimates
 *	on their own elements.  A first stage is placed at submission,
 *	before strict admission, which counts it where it goes
 * @max_wait_ms: SIM_ORDER_POLICY: the kernel's aging (its max_wait_ms
 *	module parameter, 1000 by default): with no REALTIME or HIGH stage
 *	queued, a NORMAL or BACKGROUND stage queued this long runs before the
 *	other such stages, oldest first (ep_pick_queue()); 0: none
 * @jitter: periodic and burst arrivals move by up to +-jitter x their
 *	period, uniformly (0: exact)
 * @on_arrival: called for every arrival (frame, burst frame or request)
 *	with its app, time and frames; the trace does not depend on the
 *	policy, only on the seed, the apps and @jitter (bound.c uses it)
 * @ctx: passed to @on_arrival
 */
/* The kernel's default max_wait_ms (kmod/job.c). */
#define SIM_MAX_WAIT_MS	1000

struct sim_config {
	const struct board *b;
	uint64_t seed;
	double duration_s;
	double tick_ms;
	enum sim_gov gov;
	uint32_t user_khz[BOARD_MAX_ELEMS];
	bool admit;
	enum sim_order order;
	enum sim_dispatch dispatch;
	unsigned int elems;
	bool stage_deadlines;
	int units;
	bool drop_expired;
	bool safe_costs;
	bool learn_costs;
	bool split_requests;
	bool cosched_by_app;
	bool fallback;
	bool fallback_by_finish;
	bool stage_by_finish;
	unsigned int max_wait_ms;
	double jitter;
	void (*on_arrival)(void *ctx, int app, double t_s, int frames);
	void *ctx;
};

struct sim_app_result {
	long arrived;		/* frames, or requests for SIM_SPORADIC */
	long completed;
	long met;		/* completed by the deadline */
	long rejected;		/* refused by admission */
	long dropped;		/* dropped before they ran (Band's early drop,
				 * drop_expired) */
	double p50_ms, p99_ms, mean_ms;
	double throughput_fps;	/* completions per second of duration_s */
	double slo_pct;		/* met / arrived, 100 with no SLO */
	long exits_taken;	/* anytime jobs ended at an exit */
	double accuracy_pct;	/* delivered accuracy: the mean over arrived
				 * frames of the declared accuracy of the
				 * result each had by its deadline (0 for
				 * none), in percent */
};

struct sim_result {
	int nr_apps;
	struct sim_app_result app[SIM_MAX_APPS];
	double end_s;			/* simulated time at the end */
	double energy_j;
	double avg_power_w;
	double util[BOARD_MAX_ELEMS];	/* busy fraction of end_s */
	double residency[BOARD_MAX_ELEMS][BOARD_MAX_STEPS];	/* fraction */
	long events;
	long freq_changes;
	double slo_pct;			/* all apps: met / arrived */
	double app_slo_pct;		/* mean over apps of their slo_pct */
};

int sim_run(const struct sim_config *c, const struct sim_app *apps, int nr_apps,
	    struct sim_result *r);

/*
 * edgeai's multi-DNN co-scheduler: every combination of candidate plans
 * (plan_candidates()) ranked by plan_multi_score(); the best topk are then
 * simulated under config c for up to 20 s with seed (use one the
 * evaluation does not), and the best SLO satisfaction (frames, or per
 * application with c->cosched_by_app; then the least energy) is written
 * into apps[].plan.  Sporadic apps count as rate x
 * burst frames with SLO / burst each.  Returns 0 or -errno.
 */
int sim_cosched(const struct sim_config *c, struct sim_app *apps, int nr_apps,
		int topk, uint64_t seed);

/*
 * An application's fallback graphs (sim_app alts): plan_fallbacks(), its
 * candidate plans other than its plan whose time alone fits its SLO (per
 * frame of a sporadic burst), fastest first, as edgeai-run registers
 * them; written to store (at most max) and pointed to by a.  Returns how
 * many.
 */
int sim_fallbacks(const struct board *b, struct sim_app *a, struct plan *store, int max);

/*
 * An upper bound on the frames (requests) that any schedule of the same
 * arrival trace can finish within their SLO, whatever the placement,
 * order, frequency or admission (bound.c: a Lagrangian relaxation of the
 * per-window capacity of every element, at each layer's least time over
 * every step).  Fills r->app[].arrived/met/slo_pct and r->slo_pct,
 * r->app_slo_pct.  Returns 0 or -errno.
 */
int sim_bound(const struct sim_config *c, const struct sim_app *apps, int nr_apps,
	      struct sim_result *r);

#endif /* EDGEAI_SIM_H */
