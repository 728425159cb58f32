/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeai: internal interfaces of the module.
 *
 * Objects and who owns them:
 *  - &struct edgeai_ctx: one per open file of /dev/edgeai.  It owns the
 *    graphs it created and the jobs it submitted (both in xarrays, ids
 *    local to the file), or it is an executor of one cluster.
 *  - &struct edgeai_graph: a registered plan; jobs hold references.
 *  - &struct edgeai_job: one inference; referenced by its owner's xarray
 *    until collected or the owner closes, and by the executor running it.
 *  - &struct edgeai_cluster: a frequency domain with its run queue.
 *
 * Locking, outermost first:
 *   edgeai_cluster.admit_lock  strict admissions of jobs starting there
 *   edgeai_cluster.lock        run queue, backlog figures, queue
 *                              membership of the jobs on it
 *   edgeai_job.lock            the job's state, stage, flags and stage
 *                              records
 *   edgeai_ctx.lock            the owner's list of finished jobs, closing
 *                              flag
 * A job moves between clusters only through %EDGEAI_JOB_TRANSIT, when it
 * is on no run queue, so taking a cluster's lock and then the job's is
 * always in that order.  No lock is global.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_INTERNAL_H
#define EDGEAI_INTERNAL_H

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/kref.h>
#include <linux/pm_qos.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <uapi/linux/edgeai.h>

#include "policy/policy.h"

struct cpufreq_policy;
struct device;
struct file;
struct pid;
struct poll_table_struct;

/**
 * struct edgeai_limits - limits set by module parameters
 * @max_stages: stages per graph
 * @max_buffers: buffers per job
 * @max_graphs_per_fd: graphs per open file
 * @max_graphs_per_uid: graphs per user, across its open files
 * @max_jobs_per_uid: jobs per user, submitted and not yet collected
 * @max_retries: requeues of a stage whose executor went away
 */
struct edgeai_limits {
	unsigned int max_stages;
	unsigned int max_buffers;
	unsigned int max_graphs_per_fd;
	unsigned int max_graphs_per_uid;
	unsigned int max_jobs_per_uid;
	unsigned int max_retries;
};

extern struct edgeai_limits edgeai_limits;

/*
 * Largest argument struct, or element of an argument array, a caller may
 * pass: any bytes past what the module knows must be zero, and that is
 * checked byte by byte.
 */
#define EDGEAI_MAX_STRUCT_SIZE	PAGE_SIZE

/* Hard ceilings of the limits: the stage buffer masks are 64 bits wide. */
#define EDGEAI_MAX_STAGES	64
#define EDGEAI_MAX_BUFFERS	64

/**
 * struct edgeai_stats - module-wide event counters
 * @submitted: jobs accepted
 * @completed: jobs that ran every stage (in time or late)
 * @failed: jobs failed by an executor or lost with their executors
 * @cancelled: jobs cancelled
 * @deadline_misses: jobs that ended after their deadline
 * @rejected: submissions refused by strict admission
 * @exits_taken: anytime jobs that ended at an exit of their graph
 * @tokens: token steps run by session jobs
 * @freezes: token steps held back by a frozen session
 * @live_sessions: session objects that exist
 * @live_jobs: job objects that exist
 * @live_graphs: graph objects that exist
 * @live_ctx: open files (and closed ones whose jobs still exist)
 */
struct edgeai_stats {
	atomic64_t submitted;
	atomic64_t completed;
	atomic64_t failed;
	atomic64_t cancelled;
	atomic64_t deadline_misses;
	atomic64_t rejected;
	atomic64_t exits_taken;
	atomic64_t tokens;
	atomic64_t freezes;
	atomic_t live_sessions;
	atomic_t live_jobs;
	atomic_t live_graphs;
	atomic_t live_ctx;
};

extern struct edgeai_stats edgeai_stats;

extern struct workqueue_struct *edgeai_wq;

struct edgeai_cluster;

/**
 * enum edgeai_mode - how a cluster's frequency is shared with Linux
 * @EDGEAI_MODE_SHARED: only a floor (minimum-frequency request) while the
 *	cluster has work with deadlines; the system's governor and limits
 *	rule otherwise
 * @EDGEAI_MODE_EXCLUSIVE: held at the governor's step (minimum and
 *	maximum requests at the same value), for boards dedicated to
 *	inference
 * @EDGEAI_NR_MODES: number of modes
 */
enum edgeai_mode {
	EDGEAI_MODE_SHARED,
	EDGEAI_MODE_EXCLUSIVE,
	EDGEAI_NR_MODES
};

extern const char *const edgeai_mode_names[EDGEAI_NR_MODES];

/**
 * struct edgeai_control_ops - how a cluster's frequency is enforced
 * @apply: ask for a frequency (kHz) in the cluster's mode: in
 *	%EDGEAI_MODE_SHARED a floor (0: none), in %EDGEAI_MODE_EXCLUSIVE the
 *	only frequency; called with the cluster's gov_lock held, only while
 *	it is attached
 * @read: the frequency granted now (kHz), and the highest frequency the
 *	system's other limits allow (0 when unknown); gov_lock held, only
 *	while attached
 * @sync: for a control that applies requests later (cpufreq, from a work
 *	item): wait until what was asked so far is applied, so that @read
 *	sees it.  Called without gov_lock, attached or not; %NULL when
 *	requests apply at once.
 * @release: let go of the cluster for good (module unload); gov_lock held
 */
struct edgeai_control_ops {
	void (*apply)(struct edgeai_cluster *c, u32 khz);
	void (*read)(struct edgeai_cluster *c, u32 *khz, u32 *limit_khz);
	void (*sync)(struct edgeai_cluster *c);
	void (*release)(struct edgeai_cluster *c);
};

/**
 * struct edgeai_governor - a frequency governor: one file each
 * @name: what sysfs and the ioctl call it
 * @decide: choose a step for the cluster's queued work; plain policy code
 *	(kmod/policy/governor.c) does the deciding
 * @dynamic: decisions depend on the queued work, so they are taken again
 *	on every submit, fetch and complete, and on a timer while work waits
 */
struct edgeai_governor {
	const char *name;
	void (*decide)(struct edgeai_cluster *c, const struct ep_gov_in *in,
		       struct ep_gov_out *out);
	bool dynamic;
};

extern const struct edgeai_governor edgeai_gov_performance;
extern const struct edgeai_governor edgeai_gov_powersave;
extern const struct edgeai_governor edgeai_gov_userspace;
extern const struct edgeai_governor edgeai_gov_deadline;

/* The classes shared fairly between users: NORMAL and BACKGROUND. */
#define EDGEAI_NR_FAIR		(EP_NR_PRIO - EP_PRIO_NORMAL)

/*
 * Queued stages a governor decision looks at one by one; the rest count
 * as load only.
 */
#define EDGEAI_GOV_WINDOW	64

/**
 * struct edgeai_cluster - a frequency domain and its run queue
 * @id: index in the cluster table
 * @name: NUL-terminated name
 * @kind: &enum edgeai_cluster_kind
 * @control: &enum edgeai_cluster_control
 * @ops: how the frequency is enforced
 * @opp: frequency steps, ascending, with their power; their number is
 *	fixed when the cluster is made, their power and speed written under
 *	both @gov_lock and @lock (CLUSTER_SET_MODEL), read under either
 * @model: the policy's view of the cluster (points at @opp), written as
 *	@opp is
 * @cpus: the CPUs of a CPU cluster (empty otherwise)
 * @host: for a GPU or NPU, the CPU cluster that drives it: while it has
 *	work, the host's dynamic governor keeps up with it (ep_host_floor())
 * @kobj: the cluster's sysfs directory
 * @kobj_gone: completed when @kobj is released
 * @gov_lock: serialises governor decisions, governor changes and the
 *	frequency control; protects the members up to @lock
 * @gov: the governor
 * @mode: &enum edgeai_mode (read locklessly)
 * @cur_step: the step the governor chose (read locklessly)
 * @step_ns: time the governor held each step, up to @step_since
 * @step_since: when @cur_step was last accounted in @step_ns
 * @req_khz: what edgeai asks of the control now: the floor in shared
 *	mode (0 for none), the frequency held in exclusive mode
 * @req_mode: the mode @req_khz was applied in
 * @actual_khz: the frequency granted, read back on every decision and
 *	when another limit changes (read locklessly)
 * @limit_khz: the highest frequency the system's other limits allow, 0
 *	when unknown (read locklessly)
 * @qos_max_khz: the maximum-frequency constraint as last notified, 0
 *	before any notification (written by @limit_nb)
 * @capped: a limit holds the cluster below @req_khz
 * @demand: the cluster has queued or running work with deadlines still
 *	ahead (read locklessly by its host)
 * @setspeed_khz: the userspace governor's frequency
 * @attached: the control (cpufreq policy, devfreq device) is there
 * @policy: the cpufreq policy while attached
 * @qos_min: cpufreq minimum-frequency request
 * @qos_max: cpufreq maximum-frequency request (exclusive mode only)
 * @qos_dev: the devfreq device's parent, referenced
 * @pm_min: devfreq minimum-frequency request
 * @pm_max: devfreq maximum-frequency request (exclusive mode only)
 * @limit_nb: told when the maximum-frequency constraint changes
 * @overload_ns: when the last overload event went out
 * @gov_kick: re-decides at once, queued by the hot paths
 * @gov_tick: re-decides later, while work waits
 * @readback: reads the frequency back once a control that applies requests
 *	later (&edgeai_control_ops.sync) has applied a new request or limit
 * @readback_due: @readback has a new request to read back; gov_lock
 * @gov_buf: @EDGEAI_GOV_WINDOW entries for a decision's input
 * @lock: protects the run queue and every member below
 * @rq: queued REALTIME and HIGH jobs, leftmost runs next (ordered by
 *	ep_key_before())
 * @fair: deficit round robin between the users' flows of NORMAL and
 *	BACKGROUND jobs (the flows are in &struct edgeai_user)
 * @fair_fifo: queued NORMAL and BACKGROUND jobs, oldest first, for aging
 * @running: jobs whose stage runs here, in fetch order
 * @seq: arrival counter, for FIFO among equals
 * @backlog_ns: queued work per priority class, at the highest step
 * @nr_queued_prio: stages queued per priority class
 * @running_ns: estimates of the stages running now
 * @nr_queued: stages queued
 * @nr_running: stages running
 * @nr_exec: executors attached
 * @idle_since: when the cluster last ran out of work
 * @demand_seen: the last decision found work with a deadline still ahead
 *	among the cluster's own (a guest's does not count): while it did,
 *	another such stage changes nothing in shared mode under a fixed
 *	governor, whose floor is already asked for (edgeai_job_enqueue())
 * @busy_ns: time spent running stages
 * @stages_done: stages completed
 * @energy_uj: energy executors reported
 * @margin: the deadline governor's reserve, adapted to the deadlines of the
 *	jobs that ran a stage here (edgeai_job_finish())
 * @exec_wq: executors waiting for a stage
 * @frozen: token steps of frozen sessions, held back, oldest first
 * @nr_frozen: entries in @frozen
 * @slack: per priority class, the least margin to its stage deadline
 *	with which a stage ended on the cluster in the current window (0) and
 *	the one before (1); U64_MAX when none did
 * @slack_epoch: the window @slack[0] counts
 * @thaw: looks at the held back steps again at the next boundary of the
 *	margin windows, while there are any
 * @admit_lock: serialises strict admissions of jobs whose first stage
 *	goes to the cluster, from their estimate to their entry on
 *	@admitted (edgeai_job_admit()); outside every other lock
 * @admitted: jobs strictly admitted with their first stage here and not
 *	queued yet (their submission under way): admission counts them as
 *	queued
 */
struct edgeai_cluster {
	u32 id;
	char name[EDGEAI_NAME_LEN];
	u32 kind;
	u32 control;
	const struct edgeai_control_ops *ops;
	struct ep_opp opp[EP_MAX_OPPS];
	struct ep_cluster_model model;
	cpumask_var_t cpus;
	struct edgeai_cluster *host;
	struct kobject kobj;
	struct completion kobj_gone;

	struct mutex gov_lock;	/* decisions and frequency control */
	const struct edgeai_governor *gov;
	u32 mode;
	u32 cur_step;
	u64 step_ns[EP_MAX_OPPS];
	u64 step_since;
	u32 req_khz;
	u32 req_mode;
	u32 actual_khz;
	u32 limit_khz;
	u32 qos_max_khz;
	bool capped;
	bool demand;
	u32 setspeed_khz;
	bool attached;
	struct cpufreq_policy *policy;
	struct freq_qos_request qos_min;
	struct freq_qos_request qos_max;
	struct device *qos_dev;
	struct dev_pm_qos_request pm_min;
	struct dev_pm_qos_request pm_max;
	struct notifier_block limit_nb;
	u64 overload_ns;
	struct work_struct gov_kick;
	struct delayed_work gov_tick;
	struct work_struct readback;
	bool readback_due;
	struct ep_work *gov_buf;

	spinlock_t lock;	/* run queue and figures below */
	struct rb_root_cached rq;
	struct ep_fair fair[EDGEAI_NR_FAIR];
	struct list_head fair_fifo;
	struct list_head running;
	u64 seq;
	u64 backlog_ns[EP_NR_PRIO];
	u32 nr_queued_prio[EP_NR_PRIO];
	u64 running_ns;
	u32 nr_queued;
	u32 nr_running;
	u32 nr_exec;
	u64 idle_since;
	bool demand_seen;
	u64 busy_ns;
	u64 stages_done;
	u64 energy_uj;
	struct ep_margin margin;
	wait_queue_head_t exec_wq;
	struct list_head frozen;
	u32 nr_frozen;
	u64 slack[EP_NR_PRIO][2];
	u64 slack_epoch;
	struct delayed_work thaw;
	struct mutex admit_lock;	/* strict admissions */
	struct list_head admitted;
};

extern struct edgeai_cluster *edgeai_clusters;
extern u32 edgeai_nr_clusters;

int edgeai_clusters_init(int (*discover)(void *data), void *data);
struct edgeai_cluster *edgeai_cluster_by_name(const char *name);
void edgeai_clusters_exit(void);
struct edgeai_cluster *edgeai_cluster_get(u32 id);
struct edgeai_cluster *edgeai_cluster_new(const char *name, u32 kind,
					  u32 control);
void edgeai_cluster_drop(struct edgeai_cluster *c);
u32 edgeai_cluster_cur_khz(const struct edgeai_cluster *c);
u32 edgeai_cluster_max_khz(const struct edgeai_cluster *c);
u32 edgeai_cluster_actual_khz(const struct edgeai_cluster *c);
u32 edgeai_cluster_step(const struct edgeai_cluster *c);
u32 edgeai_cluster_top_step(const struct edgeai_cluster *c);
u32 edgeai_cluster_admit_step(const struct edgeai_cluster *c);
int edgeai_cluster_set_steps(struct edgeai_cluster *c, u32 *khz, u32 n);
int edgeai_mode_find(const char *name);

int edgeai_cpufreq_discover(void);
int edgeai_cpufreq_start(void);
struct edgeai_cluster *edgeai_cpufreq_add(const char *name,
					  const struct cpumask *cpus);
void edgeai_cpufreq_exit(void);
int edgeai_devfreq_discover(const char *param);
int edgeai_devfreq_start(void);
struct edgeai_cluster *edgeai_devfreq_add(const char *name, u32 kind,
					  struct device *dev);
void edgeai_devfreq_exit(void);

#if IS_ENABLED(CONFIG_OF)
int edgeai_of_init(void);
void edgeai_of_exit(void);
#else
static inline int edgeai_of_init(void)
{
	return -ENODEV;
}

static inline void edgeai_of_exit(void)
{
}
#endif

int edgeai_start(int (*discover)(void *data), void *data);
void edgeai_stop(void);
int edgeai_virtual_discover(const char *param);

int edgeai_governors_init(void);
void edgeai_governors_exit(void);
const struct edgeai_governor *edgeai_governor_find(const char *name);
int edgeai_governor_set(struct edgeai_cluster *c, const char *name,
			u32 setspeed_khz);
int edgeai_setspeed_set(struct edgeai_cluster *c, u32 khz);
int edgeai_mode_set(struct edgeai_cluster *c, const char *name);
int edgeai_cluster_limit_changed(struct notifier_block *nb,
				 unsigned long value, void *data);
void edgeai_cluster_readback(struct edgeai_cluster *c);
u32 edgeai_cluster_residency(struct edgeai_cluster *c, u64 *ns);
void edgeai_exec_clamp(struct edgeai_cluster *c, bool running);
void edgeai_cluster_gov_init(struct edgeai_cluster *c);
void edgeai_cluster_kick(struct edgeai_cluster *c);
void edgeai_cluster_work_changed(struct edgeai_cluster *c, bool floor);
void edgeai_cluster_detach(struct edgeai_cluster *c);
void edgeai_cluster_reattach(struct edgeai_cluster *c);
ssize_t edgeai_governors_list(char *buf);

int edgeai_sysfs_clusters_init(struct device *dev);
void edgeai_sysfs_clusters_exit(void);

/**
 * struct edgeai_flow - a user's queued jobs of one fair class on one
 *	cluster; protected by the cluster's lock
 * @rq: the jobs, leftmost runs next (ordered by ep_key_before())
 * @ep: its place in the cluster's round robin
 */
struct edgeai_flow {
	struct rb_root_cached rq;
	struct ep_flow ep;
};

/**
 * struct edgeai_user - per-user accounting
 * @node: in the table of users
 * @uid: the user
 * @ref: open files of the user, and jobs
 * @jobs: jobs submitted and not yet collected
 * @graphs: graphs created and not yet freed
 * @nr_flows: entries in @flows: %EDGEAI_NR_FAIR per cluster
 * @flows: the user's flows, %EDGEAI_NR_FAIR for each cluster in turn
 */
struct edgeai_user {
	struct hlist_node node;
	kuid_t uid;
	refcount_t ref;
	atomic_t jobs;
	atomic_t graphs;
	u32 nr_flows;
	struct edgeai_flow flows[];
};

struct edgeai_user *edgeai_user_get(kuid_t uid);
void edgeai_user_put(struct edgeai_user *user);

/**
 * struct edgeai_stage_place - a cluster a stage may run on, and what the
 *	stage knows of itself there
 * @cluster: the cluster
 * @cost_ns: the declared estimate at the cluster's highest step: the
 *	prior of @est_ns
 * @freq_khz: planner's frequency there, 0 for none
 * @speed: the stage's speed at each of the cluster's steps, relative to
 *	the highest, from the planner's per-step costs; NULL for the
 *	cluster's speeds
 * @nr_speed: entries at @speed
 * @est: what the stage's runs there measured (under the cluster's lock)
 * @est_ns: the estimate queue order, admission, placement and the
 *	governors use, at the highest step: @cost_ns until the stage has run
 *	there, then measured (written under the cluster's lock, read
 *	locklessly)
 */
struct edgeai_stage_place {
	struct edgeai_cluster *cluster;
	u64 cost_ns;
	u32 freq_khz;
	u32 nr_speed;
	u32 *speed;
	struct ep_est est;
	u64 est_ns;
};

/**
 * struct edgeai_graph_stage - a stage of a registered graph
 * @first_layer: first layer
 * @nr_layers: number of layers
 * @in_mask: buffers read
 * @out_mask: buffers written
 * @nr_places: entries at @places, 1 + its alternatives
 * @places: where it may run (in &edgeai_graph.places): its own cluster
 *	first, then the alternatives in the order the graph gave them
 */
struct edgeai_graph_stage {
	u32 first_layer;
	u32 nr_layers;
	u64 in_mask;
	u64 out_mask;
	u32 nr_places;
	struct edgeai_stage_place *places;
};

/**
 * struct edgeai_graph - a registered plan
 * @ref: the owner's table and each job hold one
 * @id: id in the owner's table
 * @key: unique over the module's lifetime
 * @name: NUL-terminated name
 * @model: the model file, or NULL
 * @user: the user it counts against (max_graphs_per_uid)
 * @nr_buffers: buffers per job
 * @written: the buffers some stage writes
 * @buf_size: least size of each buffer, 0 for no check
 * @nr_exits: entries in @exits
 * @exits: the exits, in increasing stage and accuracy (the policy's
 *	&struct ep_exit: kmod/policy/anytime.c decides on them)
 * @nr_places: entries at @places
 * @places: the places of all stages, stage by stage
 * @nr_stages: number of stages
 * @stages: the stages
 */
struct edgeai_graph {
	struct kref ref;
	u32 id;
	u64 key;
	char name[EDGEAI_NAME_LEN];
	struct file *model;
	struct edgeai_user *user;
	u32 nr_buffers;
	u64 written;
	u64 buf_size[EDGEAI_MAX_BUFFERS];
	u32 nr_exits;
	struct ep_exit exits[EDGEAI_MAX_EXITS];
	u32 nr_places;
	struct edgeai_stage_place *places;
	u32 nr_stages;
	struct edgeai_graph_stage stages[];
};

void edgeai_graph_put(struct edgeai_graph *graph);
int edgeai_model_array(u64 uptr, u32 n, u32 *out, u32 limit);

/**
 * enum edgeai_job_state - where a job is
 * @EDGEAI_JOB_QUEUED: on a cluster's run queue
 * @EDGEAI_JOB_RUNNING: a stage is with an executor
 * @EDGEAI_JOB_TRANSIT: between two clusters' queues, on none
 * @EDGEAI_JOB_FINISHED: in its final state, waiting to be collected
 * @EDGEAI_JOB_FROZEN: a token step held back on its cluster's frozen
 *	list (&edgeai_job.rq is that cluster), on no run queue
 */
enum edgeai_job_state {
	EDGEAI_JOB_QUEUED,
	EDGEAI_JOB_RUNNING,
	EDGEAI_JOB_TRANSIT,
	EDGEAI_JOB_FINISHED,
	EDGEAI_JOB_FROZEN,
};

struct edgeai_session;

struct edgeai_ctx;

/**
 * struct edgeai_job - one inference request
 * @ref: the owner's table and the executor running it hold one each
 * @lock: protects @state, @stage, @cancel, @retries, @stage_retries,
 *	@status, @error, @exit_index, @finish_ns, @times
 * @owner: the file that submitted it (holds a reference on it)
 * @submitter: the process that submitted it (referenced)
 * @graph: its graph (referenced)
 * @id: id in the owner's table
 * @state: &enum edgeai_job_state
 * @stage: the stage queued, running or last run
 * @cancel: cancellation asked while the stage was with an executor
 * @retries: requeues after executor loss, of all stages
 * @stage_retries: requeues of the current stage after executor loss
 * @status: final &enum edgeai_job_status
 * @error: failing stage's errno for %EDGEAI_JOB_FAILED
 * @exit_index: the exit taken for %EDGEAI_JOB_DONE_EXIT
 * @anytime: submitted with %EDGEAI_SUBMIT_ANYTIME
 * @min_accuracy: the least accuracy of an exit it may end at (ppm)
 * @end_stage: the last stage it means to run: the graph's last, or an
 *	exit's stage an anytime job aims at; the stage deadlines count the
 *	stages up to it only (written in transit or before the job is
 *	queued, read locklessly)
 * @prio: priority class
 * @deadline: absolute deadline, %EP_NO_DEADLINE if none
 * @cookie: the submitter's value
 * @submit_ns: when it was submitted
 * @finish_ns: when it finished
 * @key: position in the run queue it is on
 * @rq_node: node in that run queue (the cluster's, or its user's flow's)
 * @flow: the flow it is queued in, NULL on the strict queue
 * @fifo_link: in its cluster's fair_fifo while queued in a flow
 * @cost_ns: the estimate its queued or running stage was counted with
 * @run_link: in the running list of the cluster running its stage
 * @rq: the cluster whose run queue it is on (written under both that
 *	cluster's lock and @lock)
 * @done_link: in the owner's list of finished jobs
 * @times: per stage records
 * @session: the session of a session job (referenced), else NULL
 * @max_tokens: a session job's token limit
 * @nr_tokens: token steps it ran (under @lock)
 * @session_end: &enum edgeai_session_end (under @lock)
 * @step_ns: the time of each token step, @max_tokens entries
 * @frozen_since: when its step was last held back (under the cluster's
 *	lock)
 * @frozen_ns: time its steps were held back (under the cluster's lock)
 * @frozen_link: in its cluster's frozen list while %EDGEAI_JOB_FROZEN
 * @admit_link: in the admitted list of its first stage's cluster, from its
 *	strict admission until it is queued or its submission fails (under
 *	that cluster's lock)
 * @place: per stage, the index of the place (&edgeai_graph_stage.places)
 *	it was queued on, 0 until then; written before the stage is queued,
 *	read locklessly (edgeai_job_place_at())
 * @nr_bufs: number of buffers
 * @bufs: the buffer files (referenced)
 */
struct edgeai_job {
	struct kref ref;
	spinlock_t lock;	/* the job's state */
	struct edgeai_ctx *owner;
	struct pid *submitter;
	struct edgeai_graph *graph;
	u32 id;
	enum edgeai_job_state state;
	u32 stage;
	bool cancel;
	u32 retries;
	u32 stage_retries;
	u32 status;
	s32 error;
	u32 exit_index;
	bool anytime;
	u32 min_accuracy;
	u32 end_stage;
	u32 prio;
	u64 deadline;
	u64 cookie;
	u64 submit_ns;
	u64 finish_ns;
	struct ep_key key;
	struct rb_node rq_node;
	struct edgeai_flow *flow;
	struct list_head fifo_link;
	u64 cost_ns;
	struct list_head run_link;
	struct edgeai_cluster *rq;
	struct list_head done_link;
	struct edgeai_stage_times *times;
	struct edgeai_session *session;
	u32 max_tokens;
	u32 nr_tokens;
	u32 session_end;
	u64 *step_ns;
	u64 frozen_since;
	u64 frozen_ns;
	struct list_head frozen_link;
	struct list_head admit_link;
	u8 place[EDGEAI_MAX_STAGES];
	u32 nr_bufs;
	struct file *bufs[];
};

/**
 * edgeai_job_place_at() - where a stage of a job runs
 * @job: the job
 * @stage: the stage
 *
 * Return: the place the stage was queued on (its cluster, estimate, speeds
 * and planner's frequency there), its own cluster's until it is queued.
 */
static inline struct edgeai_stage_place *
edgeai_job_place_at(const struct edgeai_job *job, u32 stage)
{
	return &job->graph->stages[stage].places[READ_ONCE(job->place[stage])];
}

/**
 * edgeai_job_place() - where a job's current stage runs
 * @job: the job
 *
 * Return: edgeai_job_place_at() of the job's stage.
 */
static inline struct edgeai_stage_place *
edgeai_job_place(const struct edgeai_job *job)
{
	return edgeai_job_place_at(job, job->stage);
}

void edgeai_job_put(struct edgeai_job *job);
u64 edgeai_job_stage_deadline(const struct edgeai_job *job);
u64 edgeai_job_energy(const struct edgeai_job *job);
u32 edgeai_cluster_wait(struct edgeai_cluster *c, u64 wait[EP_NR_PRIO]);
u32 edgeai_rq_snapshot(struct edgeai_cluster *c, struct ep_work *w, u32 cap,
		       u64 now, u64 *listed);
void edgeai_cluster_rq_init(struct edgeai_cluster *c);
u64 edgeai_time_from_user(u64 t);
u64 edgeai_time_to_user(u64 t);
void edgeai_job_enqueue(struct edgeai_job *job, bool requeue);
void edgeai_job_stage_learn(struct edgeai_job *job);
struct edgeai_cluster *edgeai_job_stage_done(struct edgeai_job *job,
					     bool ran, u64 energy_uj);
bool edgeai_job_finish(struct edgeai_job *job, u32 status, s32 error);
void edgeai_job_place_stage(struct edgeai_job *job, u32 stage);
int edgeai_job_anytime_check(struct edgeai_job *job);
struct edgeai_job *edgeai_rq_pop(struct edgeai_cluster *c);
bool edgeai_rq_empty(struct edgeai_cluster *c);

/**
 * struct edgeai_exec - the executor side of an open file
 * @cluster: the cluster it serves
 * @pid: the process that attached it
 * @lock: serialises fetch and complete on the file
 * @job: the job whose stage it runs, or NULL
 * @stage: that stage
 * @task_id: id of that run
 * @next_task_id: counter of runs
 */
struct edgeai_exec {
	struct edgeai_cluster *cluster;
	struct pid *pid;
	struct mutex lock;	/* fetch against complete */
	struct edgeai_job *job;
	u32 stage;
	u64 task_id;
	u64 next_task_id;
};

/**
 * struct edgeai_ctx - an open file of /dev/edgeai
 * @ref: the file and each of its jobs hold one
 * @user: the opener's accounting
 * @lock: protects @done, @closing, @nr_submitting and the setting of @exec
 * @done: finished jobs not yet collected
 * @wq: woken when @done grows
 * @closing: the file is being released; finished jobs are dropped
 * @nr_submitting: commands creating a graph or a job under way: the
 *	file cannot become an executor meanwhile
 * @graphs: graphs by id
 * @jobs: jobs by id, until collected
 * @next_job_id: for cyclic allocation of job ids
 * @nr_graphs: entries in @graphs
 * @exec: set once the file attached as an executor
 * @serial: order of opening, for resuming job dumps
 * @sessions: sessions by id
 */
struct edgeai_ctx {
	struct kref ref;
	struct edgeai_user *user;
	spinlock_t lock;	/* done list, flags, exec */

	struct list_head done;
	wait_queue_head_t wq;
	bool closing;
	u32 nr_submitting;
	struct xarray graphs;
	struct xarray jobs;
	u32 next_job_id;
	atomic_t nr_graphs;
	struct edgeai_exec *exec;
	u32 serial;
	struct xarray sessions;
};

struct edgeai_ctx *edgeai_ctx_find(unsigned long *serial);
void edgeai_ctx_put(struct edgeai_ctx *ctx);
struct edgeai_graph *edgeai_graph_lookup(struct edgeai_ctx *ctx, u32 id);
void edgeai_ctx_release_jobs(struct edgeai_ctx *ctx);
void edgeai_ctx_release_graphs(struct edgeai_ctx *ctx);
void edgeai_exec_release(struct edgeai_ctx *ctx);
__poll_t edgeai_exec_poll(struct edgeai_ctx *ctx, struct file *file,
			  struct poll_table_struct *wait);

/**
 * struct edgeai_ucmd - one ioctl call being served
 * @ctx: the file's context
 * @file: the file
 * @ubuf: the caller's argument
 * @user_size: the size the caller gave
 * @cmd: the argument, copied in (and zero-extended)
 */
struct edgeai_ucmd {
	struct edgeai_ctx *ctx;
	struct file *file;
	void __user *ubuf;
	u32 user_size;
	void *cmd;
};

int edgeai_ucmd_respond(struct edgeai_ucmd *ucmd, size_t cmd_len);

int edgeai_ioctl_cluster_info(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_graph_create(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_graph_destroy(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_job_submit(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_job_wait(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_job_cancel(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_exec_attach(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_exec_fetch(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_exec_complete(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_governor_set(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_cluster_set_model(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_session_create(struct edgeai_ucmd *ucmd);
int edgeai_ioctl_session_destroy(struct edgeai_ucmd *ucmd);

/**
 * struct edgeai_session - an LLM session: persistent buffers and a graph
 *	whose last stage repeats (kmod/session.c)
 * @ref: the owner's table and its job hold one
 * @id: id in the owner's table
 * @key: unique over the module's lifetime
 * @graph: its graph (referenced)
 * @max_tokens: the most token steps of a job
 * @mask: the job buffers the session provides
 * @state_mask: those of them that are its state (KV cache)
 * @bufs: the files of @mask's buffers (referenced), NULL elsewhere
 * @job: its unfinished job, or NULL (under edgeai_sessions_lock)
 * @live: its buffers are in the index of live sessions' buffers, which
 *	SESSION_CREATE's rule on state buffers consults (set before the
 *	session is shown, read when it is freed)
 */
struct edgeai_session {
	struct kref ref;
	u32 id;
	u64 key;
	struct edgeai_graph *graph;
	u32 max_tokens;
	u64 mask;
	u64 state_mask;
	struct file *bufs[EDGEAI_MAX_BUFFERS];
	struct edgeai_job *job;
	bool live;
};

int edgeai_sessions_init(void);
void edgeai_sessions_exit(void);
void edgeai_session_put(struct edgeai_session *s);
int edgeai_session_attach(struct edgeai_job *job,
			  const struct edgeai_job_submit *cmd);
void edgeai_session_job_end(struct edgeai_job *job);
bool edgeai_session_is_step(const struct edgeai_job *job);
bool edgeai_session_step_done(struct edgeai_job *job, u32 flags);
void edgeai_session_enqueue(struct edgeai_job *job);
void edgeai_session_unpark(struct edgeai_cluster *c, struct edgeai_job *job);
void edgeai_session_note_stage(struct edgeai_cluster *c,
			       const struct edgeai_job *job, u64 now);
void edgeai_session_thaw(struct edgeai_cluster *c);
void edgeai_session_cluster_init(struct edgeai_cluster *c);
void edgeai_session_cluster_exit(struct edgeai_cluster *c);
void edgeai_ctx_release_sessions(struct edgeai_ctx *ctx);

extern const struct attribute_group *edgeai_attr_groups[];

#endif /* EDGEAI_INTERNAL_H */
