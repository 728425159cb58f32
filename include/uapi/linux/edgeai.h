/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * edgeai: inference job broker for edge boards, user-space ABI of
 * /dev/edgeai.
 *
 * Rules every command follows:
 *  - The argument is a struct whose first member is its size in bytes, as
 *    the caller knows it.  Structs only ever grow at their end: a caller
 *    built against an older header passes a smaller size and gets the old
 *    behaviour; a larger size is accepted when the bytes the kernel does
 *    not know are zero (else -E2BIG).  A size below the first version of
 *    the struct is -EINVAL, one above a page (PAGE_SIZE) -E2BIG.
 *  - Reserved members and unknown flag bits must be zero (-EINVAL).
 *  - Pointers to user memory are __u64.  Arrays of structs come with the
 *    size of one element as the caller knows it, and grow the same way
 *    (an element size above a page is -EINVAL).
 *  - Times are CLOCK_MONOTONIC nanoseconds, in the caller's time namespace
 *    (netlink events: the initial namespace's); frequencies kHz; energy
 *    uJ.
 *  - Unknown commands fail with -ENOTTY.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef _UAPI_LINUX_EDGEAI_H
#define _UAPI_LINUX_EDGEAI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define EDGEAI_ABI_VERSION	1

#define EDGEAI_TYPE		0xE7

/* Length of names, with their terminating NUL. */
#define EDGEAI_NAME_LEN		32
#define EDGEAI_GOV_NAME_LEN	16

enum {
	EDGEAI_CMD_BASE = 0x80,
	EDGEAI_CMD_GET_INFO = EDGEAI_CMD_BASE,
	EDGEAI_CMD_CLUSTER_INFO,
	EDGEAI_CMD_GRAPH_CREATE,
	EDGEAI_CMD_GRAPH_DESTROY,
	EDGEAI_CMD_JOB_SUBMIT,
	EDGEAI_CMD_JOB_WAIT,
	EDGEAI_CMD_JOB_CANCEL,
	EDGEAI_CMD_EXEC_ATTACH,
	EDGEAI_CMD_EXEC_FETCH,
	EDGEAI_CMD_EXEC_COMPLETE,
	EDGEAI_CMD_GOVERNOR_SET,
	EDGEAI_CMD_CLUSTER_SET_MODEL,
	EDGEAI_CMD_SESSION_CREATE,
	EDGEAI_CMD_SESSION_DESTROY,
};

/**
 * enum edgeai_feature - optional behaviour, reported by GET_INFO
 * @EDGEAI_FEAT_STRICT_ADMISSION: JOB_SUBMIT honours %EDGEAI_SUBMIT_STRICT
 * @EDGEAI_FEAT_DMABUF: job buffers may be dma-bufs as well as memfds
 * @EDGEAI_FEAT_EXITS: graphs may declare exits (&edgeai_graph_create.exits)
 *	and JOB_SUBMIT honours %EDGEAI_SUBMIT_ANYTIME
 * @EDGEAI_FEAT_SESSIONS: SESSION_CREATE and SESSION_DESTROY exist, and
 *	JOB_SUBMIT honours %EDGEAI_SUBMIT_SESSION (&struct
 *	edgeai_session_create)
 * @EDGEAI_FEAT_STAGE_ALTS: graphs may give their stages other clusters
 *	(&edgeai_graph_create.alts), where a stage runs when it would end
 *	there sooner
 */
enum edgeai_feature {
	EDGEAI_FEAT_STRICT_ADMISSION = 1 << 0,
	EDGEAI_FEAT_DMABUF = 1 << 1,
	EDGEAI_FEAT_EXITS = 1 << 2,
	EDGEAI_FEAT_SESSIONS = 1 << 3,
	EDGEAI_FEAT_STAGE_ALTS = 1 << 4,
};

/**
 * struct edgeai_info - argument of %EDGEAI_IOCTL_GET_INFO
 * @size: sizeof(struct edgeai_info)
 * @flags: must be 0
 * @abi_version: out: %EDGEAI_ABI_VERSION of the running module
 * @nr_clusters: out: number of clusters; their ids are 0..nr_clusters-1
 * @features: out: mask of &enum edgeai_feature
 * @max_stages: out: most stages a graph may have (beyond: -E2BIG)
 * @max_buffers: out: most buffers a job may carry (beyond: -ENOBUFS)
 * @max_graphs_per_fd: out: most graphs one open file may hold (beyond:
 *	-EMFILE)
 * @max_jobs_per_uid: out: most jobs one user may have submitted and not
 *	yet collected (beyond: -EDQUOT)
 * @max_retries: out: times a stage is requeued after its executor went
 *	away before its job fails with %EDGEAI_JOB_EXEC_LOST
 * @__reserved: must be 0
 */
struct edgeai_info {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 nr_clusters;
	__u64 features;
	__u32 max_stages;
	__u32 max_buffers;
	__u32 max_graphs_per_fd;
	__u32 max_jobs_per_uid;
	__u32 max_retries;
	__u32 __reserved;
};

/**
 * enum edgeai_cluster_kind - what computes on a cluster
 * @EDGEAI_CLUSTER_CPU: a set of CPUs sharing one frequency
 * @EDGEAI_CLUSTER_GPU: a GPU
 * @EDGEAI_CLUSTER_NPU: a neural accelerator
 */
enum edgeai_cluster_kind {
	EDGEAI_CLUSTER_CPU = 1,
	EDGEAI_CLUSTER_GPU,
	EDGEAI_CLUSTER_NPU,
};

/**
 * enum edgeai_cluster_control - how a cluster's frequency is enforced
 * @EDGEAI_CONTROL_VIRTUAL: not enforced; recorded and reported (VMs,
 *	tests, the simulator)
 * @EDGEAI_CONTROL_CPUFREQ: frequency QoS requests on a cpufreq policy
 * @EDGEAI_CONTROL_DEVFREQ: device PM QoS requests on a devfreq device
 */
enum edgeai_cluster_control {
	EDGEAI_CONTROL_VIRTUAL = 1,
	EDGEAI_CONTROL_CPUFREQ,
	EDGEAI_CONTROL_DEVFREQ,
};

/**
 * struct edgeai_cluster_info - argument of %EDGEAI_IOCTL_CLUSTER_INFO
 * @size: sizeof(struct edgeai_cluster_info)
 * @flags: must be 0
 * @cluster_id: in: the cluster, below &edgeai_info.nr_clusters
 * @kind: out: &enum edgeai_cluster_kind
 * @control: out: &enum edgeai_cluster_control
 * @nr_freqs: out: number of frequency steps
 * @cur_freq_khz: out: current frequency
 * @max_freq_khz: out: highest step; stage costs are estimates at it
 * @freqs: in: pointer to an array of __u32 the kernel fills with the steps
 *	in kHz, ascending, or 0
 * @freqs_cap: in: entries @freqs has room for; the kernel writes
 *	min(@freqs_cap, @nr_freqs)
 * @nr_executors: out: executors attached to the cluster
 * @cpus: in: pointer to a CPU bitmap of __u64 words the kernel fills for a
 *	CPU cluster (bit n of word w is CPU 64 * w + n), or 0
 * @cpus_words: in: number of __u64 words at @cpus
 * @nr_queued: out: stages waiting on the cluster
 * @nr_running: out: stages running on the cluster
 * @__reserved: must be 0
 * @name: out: NUL-terminated name, e.g. "big"
 * @governor: out: NUL-terminated name of the frequency governor
 * @power_mw: in: pointer to an array of __u32 the kernel fills with the
 *	power of each step in mW (0 where unknown), or 0; it holds
 *	@freqs_cap entries like @freqs
 * @idle_mw: out: power while idle, 0 if unknown
 * @switch_up_us: out: time lost to a switch to a higher step
 * @switch_down_us: out: time lost to a switch to a lower step
 * @setspeed_khz: out: the frequency the userspace governor holds
 * @busy_ns: out: time the cluster spent running stages
 * @stages_done: out: stages completed on the cluster
 * @energy_uj: out: energy executors reported for those stages
 * @speed: in: pointer to an array of __u32 the kernel fills with the
 *	speed of each step relative to the highest, in 1/1024 (0 where
 *	unknown: taken as proportional to frequency), or 0; @freqs_cap
 *	entries like @freqs
 * @host_id: out: for a GPU or NPU, the CPU cluster that drives it, else -1
 * @__reserved2: must be 0
 */
struct edgeai_cluster_info {
	__u32 size;
	__u32 flags;
	__u32 cluster_id;
	__u32 kind;
	__u32 control;
	__u32 nr_freqs;
	__u32 cur_freq_khz;
	__u32 max_freq_khz;
	__u64 freqs;
	__u32 freqs_cap;
	__u32 nr_executors;
	__u64 cpus;
	__u32 cpus_words;
	__u32 nr_queued;
	__u32 nr_running;
	__u32 __reserved;
	char name[EDGEAI_NAME_LEN];
	char governor[EDGEAI_GOV_NAME_LEN];
	__u64 power_mw;
	__u32 idle_mw;
	__u32 switch_up_us;
	__u32 switch_down_us;
	__u32 setspeed_khz;
	__u64 busy_ns;
	__u64 stages_done;
	__u64 energy_uj;
	__u64 speed;
	__s32 host_id;
	__u32 __reserved2;
};

/**
 * struct edgeai_governor_set - argument of %EDGEAI_IOCTL_GOVERNOR_SET
 * @size: sizeof(struct edgeai_governor_set)
 * @flags: must be 0
 * @cluster_id: in: the cluster
 * @setspeed_khz: in: for the "userspace" governor, the frequency to hold
 *	(rounded down to a step); 0 keeps the current one.  Must be 0 for
 *	the other governors.
 * @governor: in: NUL-terminated name: "performance", "powersave",
 *	"userspace" or "deadline" (see the cluster's available_governors in
 *	sysfs)
 *
 * Needs CAP_SYS_ADMIN.  The same as writing the cluster's governor (and
 * setspeed) files in sysfs.
 */
struct edgeai_governor_set {
	__u32 size;
	__u32 flags;
	__u32 cluster_id;
	__u32 setspeed_khz;
	char governor[EDGEAI_GOV_NAME_LEN];
};

/**
 * struct edgeai_cluster_set_model - argument of
 *	%EDGEAI_IOCTL_CLUSTER_SET_MODEL
 * @size: sizeof(struct edgeai_cluster_set_model)
 * @flags: must be 0
 * @cluster_id: in: the cluster
 * @nr_steps: in: entries at @power_mw and @speed: the cluster's number of
 *	steps, or 0 to leave both as they are
 * @power_mw: in: pointer to @nr_steps __u32: power of each step in mW
 *	(0 where unknown), or 0 to leave them
 * @speed: in: pointer to @nr_steps __u32: how fast work runs at each step
 *	relative to the highest, in 1/1024 (0 where unknown), or 0 to leave
 *	them.  Measured speeds make the governors' and admission's
 *	estimates at lower steps right for memory-bound work.
 * @idle_mw: in: power while idle
 * @switch_up_us: in: time lost to a switch to a higher step
 * @switch_down_us: in: time lost to a switch to a lower step
 * @__reserved: must be 0
 *
 * Needs CAP_SYS_ADMIN.  Gives the governors the power, speed and
 * switch-cost figures of a cluster where the kernel has no energy model
 * for it, e.g. from measured board data.  A cluster's steps (their
 * number and frequencies) never change; graphs registered before keep
 * their stages' own speeds (&edgeai_stage.speed), which count rather
 * than the cluster's, and their measured costs.  Admission, the
 * governors and the run queues see the figures all from before the
 * call or all from after it.
 */
struct edgeai_cluster_set_model {
	__u32 size;
	__u32 flags;
	__u32 cluster_id;
	__u32 nr_steps;
	__u64 power_mw;
	__u64 speed;
	__u32 idle_mw;
	__u32 switch_up_us;
	__u32 switch_down_us;
	__u32 __reserved;
};

/**
 * struct edgeai_stage - one stage of a graph: layers run on one cluster
 * @cluster_id: the cluster that runs it
 * @flags: must be 0
 * @first_layer: first layer of the model the stage runs
 * @nr_layers: number of layers, at least 1
 * @cost_ns: estimated time of the stage at the cluster's highest
 *	frequency, at most 1000 s.  Only a prior: queue order, admission and
 *	the governors use it until the stage has run once, then what the
 *	kernel measured (fetch to completion, normalised to the highest
 *	step).  Without CAP_SYS_NICE the prior is capped at the module's
 *	unprivileged_cost_max_us.
 * @in_mask: the job buffers the stage reads: bit i is buffer i
 * @out_mask: the job buffers the stage writes.  A stage that writes a
 *	buffer it reads works in place: it is not run again on what a run
 *	whose executor went away left there, its job ends
 *	%EDGEAI_JOB_EXEC_LOST instead
 * @freq_khz: the planner's frequency for the stage, 0 for none; passed
 *	to the executor
 * @__reserved: must be 0
 * @speed: pointer to @nr_steps __u32: how fast this stage runs at each of
 *	its cluster's steps relative to the highest, in 1/1024 (0 where
 *	unknown; at most 1024), e.g. from the planner's per-step costs of
 *	its layers; or 0 for none.  The kernel scales the stage's estimate
 *	to a step with these rather than the cluster's average speeds.
 *	(Since the struct grew past @__reserved.)
 * @nr_steps: entries at @speed: the cluster's number of steps, or 0 when
 *	@speed is 0
 * @__reserved2: must be 0
 */
struct edgeai_stage {
	__u32 cluster_id;
	__u32 flags;
	__u32 first_layer;
	__u32 nr_layers;
	__u64 cost_ns;
	__u64 in_mask;
	__u64 out_mask;
	__u32 freq_khz;
	__u32 __reserved;
	__u64 speed;
	__u32 nr_steps;
	__u32 __reserved2;
};

/* Accuracy is in parts per million: 1000000 is 100 %. */
#define EDGEAI_ACCURACY_MAX	1000000

/* Most exits a graph may declare (beyond: -E2BIG). */
#define EDGEAI_MAX_EXITS	16

/**
 * struct edgeai_exit - an early exit of a graph: a point after a stage
 *	where the job's output is already a valid result
 * @after_stage: the stage after which the exit's result is complete,
 *	below the graph's last stage (whose end is the full result);
 *	exits come in increasing @after_stage
 * @accuracy_ppm: the accuracy of the exit's result as declared by the
 *	model's author (measured offline), in parts per million, at most
 *	%EDGEAI_ACCURACY_MAX and increasing from exit to exit
 * @out_mask: the job buffers holding the exit's result: not empty,
 *	written by the stages up to @after_stage and by none after it (so
 *	the result stays valid while the job goes on)
 * @flags: must be 0
 * @__reserved: must be 0
 */
struct edgeai_exit {
	__u32 after_stage;
	__u32 accuracy_ppm;
	__u64 out_mask;
	__u32 flags;
	__u32 __reserved;
};

/* Most other clusters one stage may name (beyond: -E2BIG). */
#define EDGEAI_MAX_STAGE_ALTS	4

/**
 * struct edgeai_stage_alt - another cluster a graph's stage may run on
 * @stage: the stage, an index into &edgeai_graph_create.stages
 * @cluster_id: the cluster: neither the stage's own nor one another
 *	alternative of the same stage names
 * @cost_ns: the stage's estimated time on @cluster_id at its highest
 *	frequency, as &edgeai_stage.cost_ns (the same bounds and cap); the
 *	kernel learns the stage's cost there from the runs there
 * @freq_khz: the planner's frequency there, 0 for none; passed to the
 *	executor
 * @flags: must be 0
 * @speed: as &edgeai_stage.speed, for @cluster_id's steps, or 0
 * @nr_steps: entries at @speed: @cluster_id's number of steps, or 0 when
 *	@speed is 0
 * @__reserved: must be 0
 *
 * The stage runs the same layers (&edgeai_stage.first_layer and
 * .nr_layers) on the same buffers there.  When a job's stage becomes
 * ready (submitted, or its previous stage done) the kernel queues it on
 * the cluster, its own or an alternative with an executor attached, where
 * it would end soonest: what that cluster would run before it (the
 * cluster's wait_ns for the job's class) plus its estimate there, its own
 * cluster on a tie.  A stage handed back by a lost executor stays where it
 * was queued.  A first stage is placed when its job is submitted, before
 * strict admission, which counts it where it goes and the later stages
 * on their own clusters; their stage deadlines count the later stages'
 * estimates there too.  An anytime job's check when a stage completes
 * (%EDGEAI_SUBMIT_ANYTIME) counts the next stage, ready then, where it
 * would be placed, and the later ones on their own clusters.
 */
struct edgeai_stage_alt {
	__u32 stage;
	__u32 cluster_id;
	__u64 cost_ns;
	__u32 freq_khz;
	__u32 flags;
	__u64 speed;
	__u32 nr_steps;
	__u32 __reserved;
};

/**
 * struct edgeai_graph_create - argument of %EDGEAI_IOCTL_GRAPH_CREATE
 * @size: sizeof(struct edgeai_graph_create)
 * @flags: must be 0
 * @model_fd: in: a readable regular file holding the model, -1 for none;
 *	the executor receives this very file, it never opens a path
 * @nr_stages: in: number of stages, 1..&edgeai_info.max_stages
 * @stages: in: pointer to @nr_stages entries of &struct edgeai_stage
 * @stage_size: in: sizeof(struct edgeai_stage) as the caller knows it
 * @nr_buffers: in: buffers each job of the graph carries,
 *	1..&edgeai_info.max_buffers
 * @buf_sizes: in: pointer to @nr_buffers __u64, the least size of each
 *	buffer in bytes, or 0 for no check
 * @graph_id: out: the new graph's id, valid on this open file only
 * @__reserved: must be 0
 * @name: in: NUL-terminated printable name, shown to executors and tools
 * @exits: in: pointer to @nr_exits entries of &struct edgeai_exit, or 0
 *	for none.  (Since the struct grew past @name: see
 *	%EDGEAI_FEAT_EXITS.)
 * @nr_exits: in: entries at @exits, at most %EDGEAI_MAX_EXITS (beyond:
 *	-E2BIG); 0 when @exits is 0
 * @exit_size: in: sizeof(struct edgeai_exit) as the caller knows it; 0
 *	when @exits is 0
 * @alts: in: pointer to @nr_alts entries of &struct edgeai_stage_alt, or 0
 *	for none.  (Since the struct grew past @exit_size: see
 *	%EDGEAI_FEAT_STAGE_ALTS.)
 * @nr_alts: in: entries at @alts, at most %EDGEAI_MAX_STAGE_ALTS per stage
 *	(beyond: -E2BIG); 0 when @alts is 0
 * @alt_size: in: sizeof(struct edgeai_stage_alt) as the caller knows it;
 *	0 when @alts is 0
 *
 * An exit table that breaks a rule of &struct edgeai_exit is -EINVAL,
 * one that cannot be read -EFAULT; so is an alternatives table that
 * breaks a rule of &struct edgeai_stage_alt.  A session's jobs
 * (%EDGEAI_SUBMIT_SESSION) run every stage on its own cluster.
 *
 * The graph belongs to the open file that created it; closing the file
 * destroys it.  -EMFILE when the file holds &edgeai_info.max_graphs_per_fd
 * graphs, or its user max_graphs_per_uid (a module parameter) across
 * all files.
 */
struct edgeai_graph_create {
	__u32 size;
	__u32 flags;
	__s32 model_fd;
	__u32 nr_stages;
	__u64 stages;
	__u32 stage_size;
	__u32 nr_buffers;
	__u64 buf_sizes;
	__u32 graph_id;
	__u32 __reserved;
	char name[EDGEAI_NAME_LEN];
	__u64 exits;
	__u32 nr_exits;
	__u32 exit_size;
	__u64 alts;
	__u32 nr_alts;
	__u32 alt_size;
};

/**
 * struct edgeai_graph_destroy - argument of %EDGEAI_IOCTL_GRAPH_DESTROY
 * @size: sizeof(struct edgeai_graph_destroy)
 * @graph_id: in: the graph
 *
 * Jobs already submitted on the graph run to their end.
 */
struct edgeai_graph_destroy {
	__u32 size;
	__u32 graph_id;
};

/**
 * enum edgeai_prio - priority classes, most urgent first
 * @EDGEAI_PRIO_REALTIME: needs CAP_SYS_NICE
 * @EDGEAI_PRIO_HIGH: needs CAP_SYS_NICE
 * @EDGEAI_PRIO_NORMAL: the default
 * @EDGEAI_PRIO_BACKGROUND: runs when nothing more urgent waits, or when
 *	it has waited the module's max_wait_ms
 * @EDGEAI_NR_PRIO: number of classes
 *
 * REALTIME and HIGH are strict: a cluster runs the queued stage of the
 * most urgent class first, earliest deadline first inside a class, in
 * arrival order on ties.  NORMAL and BACKGROUND are shared between users:
 * deficit round robin by user on each cluster (fair_quantum_us of
 * estimated work per turn), earliest deadline first within a user, NORMAL
 * before BACKGROUND; a NORMAL or BACKGROUND stage queued for max_wait_ms
 * runs before every other stage of those two classes, oldest first.  A
 * running stage is never preempted.
 */
enum edgeai_prio {
	EDGEAI_PRIO_REALTIME,
	EDGEAI_PRIO_HIGH,
	EDGEAI_PRIO_NORMAL,
	EDGEAI_PRIO_BACKGROUND,
	EDGEAI_NR_PRIO
};

/**
 * enum edgeai_submit_flags - flags of &struct edgeai_job_submit
 * @EDGEAI_SUBMIT_STRICT: refuse the job with -ETIME when, by the graph's
 *	estimates, it cannot meet its deadline (or a stage's cluster has no
 *	executor): each stage waits for the work running on its cluster and
 *	queued ahead of it (higher classes, and earlier deadlines of its
 *	own), and runs at the step the cluster's governor holds (under a
 *	dynamic governor, such as deadline, the highest), at the stage's
 *	own speeds where it has them (&edgeai_stage.speed).  Strict
 *	submissions whose first stages go to one cluster are decided one
 *	at a time, and an admitted job counts there from its admission
 *	on, before its submission returns: of two racing submissions that
 *	only fit alone, one is refused.  With %EDGEAI_SUBMIT_ANYTIME, a job
 *	that can reach an exit meeting its minimum accuracy by the deadline
 *	is admitted
 * @EDGEAI_SUBMIT_ANYTIME: an anytime job: it may end at one of its graph's
 *	exits (&struct edgeai_exit) with %EDGEAI_JOB_DONE_EXIT.  Each time a
 *	stage completes, before the next is queued, the kernel estimates
 *	the rest of the job as strict admission does (the measured stage
 *	costs, the work queued ahead on each cluster, the step its governor
 *	may reach).  If the job cannot end in time, it aims at the last
 *	later exit meeting &edgeai_job_submit.min_accuracy_ppm that it can
 *	reach in time, and the governors count only the stages up to that
 *	exit.  If there is none, it ends at the last exit already reached
 *	when that exit meets the minimum; otherwise it goes on as any job
 *	(and may end %EDGEAI_JOB_DEADLINE_MISSED).  A job without a deadline
 *	runs every stage.  Needs a graph with exits (else -EINVAL).
 * @EDGEAI_SUBMIT_SESSION: a job of the session
 *	&edgeai_job_submit.session_id (&struct edgeai_session_create): its
 *	graph's stages before the last run once (prefill), then the last
 *	repeats, one token step at a time, until the executor reports the
 *	end of the sequence or the job's token limit is reached.  The
 *	session's buffers take their places in the job's; at those places
 *	&edgeai_job_submit.buf_fds holds -1.  Not with
 *	%EDGEAI_SUBMIT_ANYTIME (-EINVAL).
 */
enum edgeai_submit_flags {
	EDGEAI_SUBMIT_STRICT = 1 << 0,
	EDGEAI_SUBMIT_ANYTIME = 1 << 1,
	EDGEAI_SUBMIT_SESSION = 1 << 2,
};

/**
 * struct edgeai_job_submit - argument of %EDGEAI_IOCTL_JOB_SUBMIT
 * @size: sizeof(struct edgeai_job_submit)
 * @flags: in: &enum edgeai_submit_flags
 * @graph_id: in: a graph of this open file
 * @priority: in: &enum edgeai_prio
 * @deadline_ns: in: absolute deadline, 0 for none
 * @cookie: in: any value, returned with the result
 * @buf_fds: in: pointer to the graph's nr_buffers __s32 file descriptors:
 *	memfds (or other shmem files) or dma-bufs, at least as large as the
 *	graph says; read-write for every buffer a stage writes.  The kernel
 *	keeps the files, never their contents.
 * @nr_buffers: in: entries at @buf_fds, equal to the graph's
 * @__reserved: must be 0
 * @job_id: out: the job's id, valid on this open file only
 * @est_finish_ns: out: with %EDGEAI_SUBMIT_STRICT, the estimated completion
 *	time admission computed; 0 otherwise
 * @min_accuracy_ppm: in: with %EDGEAI_SUBMIT_ANYTIME, the least accuracy
 *	(&edgeai_exit.accuracy_ppm) of an exit the job may end at, at most
 *	%EDGEAI_ACCURACY_MAX; else 0.  (Since the struct grew past
 *	@est_finish_ns.)
 * @__reserved2: must be 0
 * @session_id: in: with %EDGEAI_SUBMIT_SESSION, a session of this open
 *	file created on @graph_id, with no other job unfinished (else
 *	-EBUSY); else 0.  (Since the struct grew past @__reserved2: see
 *	%EDGEAI_FEAT_SESSIONS.)
 * @max_tokens: in: with %EDGEAI_SUBMIT_SESSION, the most token steps the
 *	job runs, at most the session's &edgeai_session_create.max_tokens
 *	(beyond: -E2BIG), or 0 for that; else 0
 */
struct edgeai_job_submit {
	__u32 size;
	__u32 flags;
	__u32 graph_id;
	__u32 priority;
	__u64 deadline_ns;
	__u64 cookie;
	__u64 buf_fds;
	__u32 nr_buffers;
	__u32 __reserved;
	__u64 job_id;
	__u64 est_finish_ns;
	__u32 min_accuracy_ppm;
	__u32 __reserved2;
	__u32 session_id;
	__u32 max_tokens;
};

/**
 * enum edgeai_job_status - how a job ended
 * @EDGEAI_JOB_DONE: every stage ran, by the deadline if there was one
 * @EDGEAI_JOB_DEADLINE_MISSED: every stage ran, but the last one ended
 *	after the deadline; the outputs are valid
 * @EDGEAI_JOB_FAILED: a stage failed; &edgeai_job_wait.error says why
 * @EDGEAI_JOB_CANCELLED: cancelled by JOB_CANCEL or by closing the file
 * @EDGEAI_JOB_EXEC_LOST: the executors running a stage went away more
 *	than &edgeai_info.max_retries times, or once for a stage that works
 *	in place (see &edgeai_stage.out_mask)
 * @EDGEAI_JOB_DONE_EXIT: an anytime job (%EDGEAI_SUBMIT_ANYTIME) ended at
 *	exit &edgeai_job_wait.exit_index of its graph instead of going on to miss
 *	its deadline: the exit's buffers hold a valid result.  Only jobs
 *	submitted with that flag end so.
 */
enum edgeai_job_status {
	EDGEAI_JOB_DONE = 1,
	EDGEAI_JOB_DEADLINE_MISSED,
	EDGEAI_JOB_FAILED,
	EDGEAI_JOB_CANCELLED,
	EDGEAI_JOB_EXEC_LOST,
	EDGEAI_JOB_DONE_EXIT,
};

/**
 * struct edgeai_stage_times - what happened to one stage of a job
 * @queued_ns: when it was queued on its cluster (last time, if requeued)
 * @start_ns: when an executor fetched it, 0 if none did
 * @end_ns: when its executor reported it complete, 0 if none did
 * @exec_ns: the run time the executor measured
 * @energy_uj: the energy the executor measured or estimated, 0 if unknown
 * @cluster_id: the cluster it ran on
 * @freq_khz: the cluster's frequency when it was fetched
 * @attempts: times an executor fetched it
 * @__reserved: 0
 */
struct edgeai_stage_times {
	__u64 queued_ns;
	__u64 start_ns;
	__u64 end_ns;
	__u64 exec_ns;
	__u64 energy_uj;
	__u32 cluster_id;
	__u32 freq_khz;
	__u32 attempts;
	__u32 __reserved;
};

/**
 * enum edgeai_wait_flags - flags of &struct edgeai_job_wait
 * @EDGEAI_WAIT_NONBLOCK: do not sleep: -EAGAIN when no job has finished
 *	(as with O_NONBLOCK on the file)
 * @EDGEAI_WAIT_TIMEOUT: sleep at most until &edgeai_job_wait.timeout_ns,
 *	then fail with -ETIMEDOUT
 */
enum edgeai_wait_flags {
	EDGEAI_WAIT_NONBLOCK = 1 << 0,
	EDGEAI_WAIT_TIMEOUT = 1 << 1,
};

/**
 * struct edgeai_job_wait - argument of %EDGEAI_IOCTL_JOB_WAIT
 * @size: sizeof(struct edgeai_job_wait)
 * @flags: in: &enum edgeai_wait_flags
 * @job_id: in: the job to wait for, or 0 for whichever of this file's
 *	jobs finished first; out: the job collected
 * @timeout_ns: in: absolute time limit with %EDGEAI_WAIT_TIMEOUT, else 0
 * @stage_times: in: pointer to an array of &struct edgeai_stage_times the
 *	kernel fills, or 0
 * @stage_times_cap: in: entries @stage_times has room for
 * @stage_times_size: in: sizeof(struct edgeai_stage_times) as the caller
 *	knows it
 * @cookie: out: the job's cookie
 * @status: out: &enum edgeai_job_status
 * @error: out: for %EDGEAI_JOB_FAILED, the failing stage's negative errno
 * @submit_ns: out: when the job was submitted
 * @finish_ns: out: when it reached its final state
 * @deadline_ns: out: its deadline, 0 for none
 * @energy_uj: out: sum of its stages' energy, at most U64_MAX (the sum
 *	saturates)
 * @graph_id: out: its graph
 * @nr_stages: out: its number of stages (entries of @stage_times written:
 *	the lesser of this and @stage_times_cap)
 * @retries: out: stages requeued after an executor went away
 * @exit_index: in: must be 0; out: for %EDGEAI_JOB_DONE_EXIT, the index of the
 *	exit taken in the graph's exit table, else 0.  (Was a reserved
 *	member; a module without %EDGEAI_FEAT_EXITS leaves it 0.)
 * @step_times: in: pointer to an array of __u64 the kernel fills with the
 *	time of each token step of a session job, fetch to completion, in
 *	ns, or 0.  (Since the struct grew past @exit_index: see
 *	%EDGEAI_FEAT_SESSIONS.)
 * @step_times_cap: in: entries @step_times has room for; the kernel
 *	writes the lesser of this and @nr_tokens
 * @nr_tokens: out: token steps the job ran (0 for a job of no session)
 * @session_end: out: &enum edgeai_session_end
 * @__reserved: must be 0
 * @frozen_ns: out: time the job's token steps were held back while their
 *	session was frozen
 *
 * Returns one finished job and forgets it: a job is collected exactly once.
 * poll() on the file reports EPOLLIN while a finished job awaits.
 */
struct edgeai_job_wait {
	__u32 size;
	__u32 flags;
	__u64 job_id;
	__u64 timeout_ns;
	__u64 stage_times;
	__u32 stage_times_cap;
	__u32 stage_times_size;
	__u64 cookie;
	__u32 status;
	__s32 error;
	__u64 submit_ns;
	__u64 finish_ns;
	__u64 deadline_ns;
	__u64 energy_uj;
	__u32 graph_id;
	__u32 nr_stages;
	__u32 retries;
	__u32 exit_index;
	__u64 step_times;
	__u32 step_times_cap;
	__u32 nr_tokens;
	__u32 session_end;
	__u32 __reserved;
	__u64 frozen_ns;
};

/**
 * struct edgeai_job_cancel - argument of %EDGEAI_IOCTL_JOB_CANCEL
 * @size: sizeof(struct edgeai_job_cancel)
 * @flags: must be 0
 * @job_id: in: a job of this open file
 *
 * A queued job ends at once; a running one when its stage returns.  Either
 * way it is then collected with %EDGEAI_JOB_CANCELLED.  Cancelling a job
 * that already ended fails with -EALREADY.
 */
struct edgeai_job_cancel {
	__u32 size;
	__u32 flags;
	__u64 job_id;
};

/**
 * struct edgeai_exec_attach - argument of %EDGEAI_IOCTL_EXEC_ATTACH
 * @size: sizeof(struct edgeai_exec_attach)
 * @flags: must be 0
 * @cluster_id: in: the cluster this file will run stages for
 * @__reserved: must be 0
 *
 * Turns the open file into an executor of one cluster; needs
 * CAP_SYS_ADMIN, both of the caller and of the file's opener (a file an
 * unprivileged user opened stays unprivileged, whoever attaches it).  A
 * file that holds graphs or jobs (until collected), or is creating one at
 * that moment, cannot attach; one whose GRAPH_CREATE or JOB_SUBMIT failed
 * holds nothing from it and may.  An attached file cannot create graphs or
 * submit jobs (-EBUSY).  Closing it hands a stage it was running back to
 * the queue (up to &edgeai_info.max_retries times per stage; never one
 * that works in place).
 */
struct edgeai_exec_attach {
	__u32 size;
	__u32 flags;
	__u32 cluster_id;
	__u32 __reserved;
};

/**
 * struct edgeai_exec_fetch - argument of %EDGEAI_IOCTL_EXEC_FETCH
 * @size: sizeof(struct edgeai_exec_fetch)
 * @flags: must be 0
 * @buf_fds: in: pointer to @buf_fds_cap __s32 the kernel fills with one
 *	new O_CLOEXEC file descriptor per job buffer the stage reads or
 *	writes, -1 for the others
 * @buf_fds_cap: in: entries at @buf_fds, at least the job's nr_buffers
 *	(else -ENOBUFS and nothing is fetched)
 * @__reserved: must be 0
 * @task_id: out: names this run of the stage in EXEC_COMPLETE
 * @graph_key: out: unique for the graph's lifetime across all files, so an
 *	executor can keep the loaded model
 * @model_fd: out: a new O_CLOEXEC file descriptor of the graph's model,
 *	-1 if it has none
 * @stage: out: index of the stage in its graph
 * @nr_stages: out: stages in the graph
 * @first_layer: out: the stage's first layer
 * @nr_layers: out: the stage's number of layers
 * @nr_buffers: out: buffers of the job
 * @in_mask: out: the buffers the stage reads
 * @out_mask: out: the buffers the stage writes
 * @cost_ns: out: the kernel's estimate of the stage at the highest
 *	frequency, on this executor's cluster (its own or an alternative,
 *	&struct edgeai_stage_alt): measured once the stage has run there,
 *	else the declared cost
 * @deadline_ns: out: the job's deadline, 0 for none
 * @priority: out: the job's &enum edgeai_prio
 * @freq_khz: out: the cluster's current frequency
 * @plan_freq_khz: out: the planner's frequency for the stage on this
 *	executor's cluster (&edgeai_stage.freq_khz, or the alternative's
 *	&edgeai_stage_alt.freq_khz), 0 for none
 * @submitter_pid: out: process that submitted the job, as seen from the
 *	executor's pid namespace (0 if not visible there)
 * @graph_name: out: the graph's name
 * @session_key: out: for a stage of a session job, the session's key,
 *	unique over the module's lifetime (an executor maps the session's
 *	buffers once per key); 0 for a job of no session.  (Since the struct
 *	grew past @graph_name: see %EDGEAI_FEAT_SESSIONS.)
 * @token: out: for a token step (the last stage of a session job), the
 *	token steps its job ran before it; else 0
 * @max_tokens: out: for a session job, its token limit; else 0
 * @fetch_flags: out: &enum edgeai_fetch_flags
 * @__reserved2: 0
 *
 * Sleeps until a stage is queued on the executor's cluster (interrupted by
 * signals; -EAGAIN at once with O_NONBLOCK); poll() reports EPOLLIN when a
 * fetch would not sleep.  An executor runs one stage at a time: fetching
 * again before completing fails with -EBUSY.
 */
struct edgeai_exec_fetch {
	__u32 size;
	__u32 flags;
	__u64 buf_fds;
	__u32 buf_fds_cap;
	__u32 __reserved;
	__u64 task_id;
	__u64 graph_key;
	__s32 model_fd;
	__u32 stage;
	__u32 nr_stages;
	__u32 first_layer;
	__u32 nr_layers;
	__u32 nr_buffers;
	__u64 in_mask;
	__u64 out_mask;
	__u64 cost_ns;
	__u64 deadline_ns;
	__u32 priority;
	__u32 freq_khz;
	__u32 plan_freq_khz;
	__u32 submitter_pid;
	char graph_name[EDGEAI_NAME_LEN];
	__u64 session_key;
	__u32 token;
	__u32 max_tokens;
	__u32 fetch_flags;
	__u32 __reserved2;
};

/**
 * struct edgeai_exec_complete - argument of %EDGEAI_IOCTL_EXEC_COMPLETE
 * @size: sizeof(struct edgeai_exec_complete)
 * @flags: in: &enum edgeai_complete_flags
 * @task_id: in: from EXEC_FETCH
 * @status: in: 0 when the stage ran, else a negative errno: the job fails
 * @__reserved: must be 0
 * @exec_ns: in: the stage's run time as the executor measured it
 * @energy_uj: in: its energy, 0 if unknown
 */
struct edgeai_exec_complete {
	__u32 size;
	__u32 flags;
	__u64 task_id;
	__s32 status;
	__u32 __reserved;
	__u64 exec_ns;
	__u64 energy_uj;
};

/**
 * enum edgeai_fetch_flags - flags of &edgeai_exec_fetch.fetch_flags
 * @EDGEAI_FETCH_TOKEN_STEP: the stage is a token step of a session job:
 *	it may end the job with %EDGEAI_COMPLETE_EOS
 */
enum edgeai_fetch_flags {
	EDGEAI_FETCH_TOKEN_STEP = 1 << 0,
};

/**
 * enum edgeai_complete_flags - flags of &struct edgeai_exec_complete
 * @EDGEAI_COMPLETE_EOS: the token step emitted the end of the sequence:
 *	its job ends (%EDGEAI_JOB_DONE, &edgeai_job_wait.session_end
 *	%EDGEAI_SESSION_END_EOS).  Only for a token step whose status is 0
 *	(else -EINVAL).
 */
enum edgeai_complete_flags {
	EDGEAI_COMPLETE_EOS = 1 << 0,
};

/**
 * enum edgeai_session_end - why a session job stopped stepping
 * @EDGEAI_SESSION_END_NONE: not a session job, or it ended otherwise
 *	(failed, cancelled, lost)
 * @EDGEAI_SESSION_END_EOS: its executor reported the end of the sequence
 * @EDGEAI_SESSION_END_LIMIT: it ran its token limit
 */
enum edgeai_session_end {
	EDGEAI_SESSION_END_NONE,
	EDGEAI_SESSION_END_EOS,
	EDGEAI_SESSION_END_LIMIT,
};

/**
 * enum edgeai_session_buf_flags - flags of &struct edgeai_session_buf
 * @EDGEAI_SESSION_BUF_STATE: the buffer is the session's state (a KV
 *	cache): read and written by its stages, open for writing and not
 *	sealed against writes (else -EACCES), sealed with F_SEAL_SHRINK and
 *	F_SEAL_GROW, and no other live session's state (else -EBUSY).
 *	Without this flag the buffer is constant (the weights): sealed with
 *	F_SEAL_SHRINK, F_SEAL_GROW and F_SEAL_WRITE, and no stage of the
 *	graph writes it (else -EACCES); sessions may share it.
 */
enum edgeai_session_buf_flags {
	EDGEAI_SESSION_BUF_STATE = 1 << 0,
};

/**
 * struct edgeai_session_buf - a persistent buffer of a session
 * @fd: a memfd with the seals its kind needs (missing: -EPERM; other
 *	shmem files, which cannot be sealed, too), no other kind of file
 *	(-EINVAL), at least as large as the graph's
 *	&edgeai_graph_create.buf_sizes entry for @index (else -ENOSPC)
 * @index: the job buffer it stands for, below the graph's nr_buffers;
 *	each at most once
 * @flags: &enum edgeai_session_buf_flags
 * @__reserved: must be 0
 */
struct edgeai_session_buf {
	__s32 fd;
	__u32 index;
	__u32 flags;
	__u32 __reserved;
};

/**
 * struct edgeai_session_create - argument of %EDGEAI_IOCTL_SESSION_CREATE
 * @size: sizeof(struct edgeai_session_create)
 * @flags: must be 0
 * @graph_id: in: a graph of this open file with at least two stages: the
 *	ones before its last are the prefill, its last is the token step
 *	that repeats
 * @nr_bufs: in: entries at @bufs, 1..the graph's nr_buffers
 * @bufs: in: pointer to @nr_bufs entries of &struct edgeai_session_buf
 * @buf_size: in: sizeof(struct edgeai_session_buf) as the caller knows it
 * @max_tokens: in: the most token steps a job of the session runs,
 *	1..the module's max_tokens parameter (beyond: -E2BIG)
 * @session_id: out: the new session's id, valid on this open file only
 * @__reserved: must be 0
 * @session_key: out: unique over the module's lifetime; executors see it
 *	in &edgeai_exec_fetch.session_key
 *
 * A session owns persistent buffers (the weights and the KV cache of a
 * language model) that every job of the session carries, and runs one
 * job at a time (%EDGEAI_SUBMIT_SESSION).  Each token step is queued on
 * its cluster's run queue on its own, behind the work of higher classes
 * queued meanwhile; and while a REALTIME or HIGH pipeline on that cluster
 * would miss deadlines if a step of a lower-class session ran (by the
 * queued work and the margins its recent stages ended with), the session
 * is frozen: its steps wait, and are dispatched again once the margins
 * allow.  The session belongs to the open file that created it: closing
 * the file cancels its job and destroys it.  A buffer table that breaks a
 * rule of &struct edgeai_session_buf is -EINVAL (unless said otherwise),
 * one that cannot be read -EFAULT; more entries than the module's
 * max_buffers -E2BIG.  -EMFILE when the file holds max_graphs_per_fd
 * sessions.
 */
struct edgeai_session_create {
	__u32 size;
	__u32 flags;
	__u32 graph_id;
	__u32 nr_bufs;
	__u64 bufs;
	__u32 buf_size;
	__u32 max_tokens;
	__u32 session_id;
	__u32 __reserved;
	__u64 session_key;
};

/**
 * struct edgeai_session_destroy - argument of %EDGEAI_IOCTL_SESSION_DESTROY
 * @size: sizeof(struct edgeai_session_destroy)
 * @session_id: in: the session
 *
 * A job of the session already submitted runs to its end.
 */
struct edgeai_session_destroy {
	__u32 size;
	__u32 session_id;
};

#define EDGEAI_IOCTL_GET_INFO		_IO(EDGEAI_TYPE, EDGEAI_CMD_GET_INFO)
#define EDGEAI_IOCTL_CLUSTER_INFO	_IO(EDGEAI_TYPE, EDGEAI_CMD_CLUSTER_INFO)
#define EDGEAI_IOCTL_GRAPH_CREATE	_IO(EDGEAI_TYPE, EDGEAI_CMD_GRAPH_CREATE)
#define EDGEAI_IOCTL_GRAPH_DESTROY	_IO(EDGEAI_TYPE, EDGEAI_CMD_GRAPH_DESTROY)
#define EDGEAI_IOCTL_JOB_SUBMIT		_IO(EDGEAI_TYPE, EDGEAI_CMD_JOB_SUBMIT)
#define EDGEAI_IOCTL_JOB_WAIT		_IO(EDGEAI_TYPE, EDGEAI_CMD_JOB_WAIT)
#define EDGEAI_IOCTL_JOB_CANCEL		_IO(EDGEAI_TYPE, EDGEAI_CMD_JOB_CANCEL)
#define EDGEAI_IOCTL_EXEC_ATTACH	_IO(EDGEAI_TYPE, EDGEAI_CMD_EXEC_ATTACH)
#define EDGEAI_IOCTL_EXEC_FETCH		_IO(EDGEAI_TYPE, EDGEAI_CMD_EXEC_FETCH)
#define EDGEAI_IOCTL_EXEC_COMPLETE	_IO(EDGEAI_TYPE, EDGEAI_CMD_EXEC_COMPLETE)
#define EDGEAI_IOCTL_GOVERNOR_SET	_IO(EDGEAI_TYPE, EDGEAI_CMD_GOVERNOR_SET)
#define EDGEAI_IOCTL_CLUSTER_SET_MODEL	_IO(EDGEAI_TYPE, EDGEAI_CMD_CLUSTER_SET_MODEL)
#define EDGEAI_IOCTL_SESSION_CREATE	_IO(EDGEAI_TYPE, EDGEAI_CMD_SESSION_CREATE)
#define EDGEAI_IOCTL_SESSION_DESTROY	_IO(EDGEAI_TYPE, EDGEAI_CMD_SESSION_DESTROY)

/*
 * Generic netlink family "edgeai": events and dumps.
 *
 * Multicast groups:
 *  - "events" (%EDGEAI_NL_MCGRP_EVENTS): low rate, anyone may listen:
 *    frequency and governor changes, executors attached and lost,
 *    overload.  Nothing in it is private: sysfs shows the same to all.
 *  - "jobs" (%EDGEAI_NL_MCGRP_JOBS): one message per finished or refused
 *    job; needs CAP_NET_ADMIN to join, since it names other users' jobs.
 * Commands a listener may send: %EDGEAI_NL_CMD_GET_CLUSTER (one cluster
 * by %EDGEAI_NL_A_CLUSTER_ID, or a dump of all), %EDGEAI_NL_CMD_GET_STATS
 * and %EDGEAI_NL_CMD_GET_JOB (dump; without CAP_NET_ADMIN only the jobs
 * of the user who opened the socket: its credentials count, as for the
 * capability, not those of whoever uses it later).  Requests are
 * validated strictly: unknown
 * attributes are refused.
 */
#define EDGEAI_GENL_NAME		"edgeai"
#define EDGEAI_GENL_VERSION		1
#define EDGEAI_NL_MCGRP_EVENTS		"events"
#define EDGEAI_NL_MCGRP_JOBS		"jobs"

/**
 * enum edgeai_nl_cmd - generic netlink commands and events
 * @EDGEAI_NL_CMD_UNSPEC: unused
 * @EDGEAI_NL_CMD_GET_CLUSTER: request, and its answer: a cluster's state
 * @EDGEAI_NL_CMD_GET_STATS: request, and its answer: module counters
 * @EDGEAI_NL_CMD_GET_JOB: dump request, and its answers: live jobs
 * @EDGEAI_NL_CMD_JOB_DONE: event ("jobs"): a job reached its final
 *	state; %EDGEAI_NL_A_STATUS says which
 * @EDGEAI_NL_CMD_JOB_REJECTED: event ("jobs"): strict admission refused
 *	a job
 * @EDGEAI_NL_CMD_FREQ_CHANGE: event ("events"): a cluster's frequency
 *	changed
 * @EDGEAI_NL_CMD_GOVERNOR_CHANGE: event ("events"): a cluster's governor
 *	changed
 * @EDGEAI_NL_CMD_EXEC_ATTACH: event ("events"): an executor attached
 * @EDGEAI_NL_CMD_EXEC_DETACH: event ("events"): an executor went away;
 *	%EDGEAI_NL_A_EXEC_LOST is set when it held a stage
 * @EDGEAI_NL_CMD_OVERLOAD: event ("events"): a cluster's queued work
 *	cannot meet its deadlines even at the highest step (sent when that
 *	starts, at most once a second per cluster)
 * @EDGEAI_NL_CMD_FREQ_CAPPED: event ("events"): another limit (a thermal
 *	cap, another QoS request, the user's scaling_max_freq) holds a
 *	cluster below the frequency edgeai asked for: %EDGEAI_NL_A_FREQ_KHZ
 *	the frequency granted, %EDGEAI_NL_A_FREQ_REQ_KHZ the one asked for
 *	(sent when it starts and whenever the granted frequency moves)
 * @__EDGEAI_NL_CMD_MAX: one past the last
 */
enum edgeai_nl_cmd {
	EDGEAI_NL_CMD_UNSPEC,
	EDGEAI_NL_CMD_GET_CLUSTER,
	EDGEAI_NL_CMD_GET_STATS,
	EDGEAI_NL_CMD_GET_JOB,
	EDGEAI_NL_CMD_JOB_DONE,
	EDGEAI_NL_CMD_JOB_REJECTED,
	EDGEAI_NL_CMD_FREQ_CHANGE,
	EDGEAI_NL_CMD_GOVERNOR_CHANGE,
	EDGEAI_NL_CMD_EXEC_ATTACH,
	EDGEAI_NL_CMD_EXEC_DETACH,
	EDGEAI_NL_CMD_OVERLOAD,
	EDGEAI_NL_CMD_FREQ_CAPPED,
	__EDGEAI_NL_CMD_MAX
};

#define EDGEAI_NL_CMD_MAX	(__EDGEAI_NL_CMD_MAX - 1)

/**
 * enum edgeai_nl_freq_reason - why a frequency changed
 * @EDGEAI_FREQ_REASON_GOVERNOR: the governor decided on queued work
 * @EDGEAI_FREQ_REASON_USER: a user set it (userspace governor, setspeed)
 * @EDGEAI_FREQ_REASON_GOVERNOR_SWITCH: a new governor took over
 * @EDGEAI_FREQ_REASON_RELEASE: edgeai let go of the cluster
 */
enum edgeai_nl_freq_reason {
	EDGEAI_FREQ_REASON_GOVERNOR = 1,
	EDGEAI_FREQ_REASON_USER,
	EDGEAI_FREQ_REASON_GOVERNOR_SWITCH,
	EDGEAI_FREQ_REASON_RELEASE,
};

/**
 * enum edgeai_nl_attr - attributes of the "edgeai" family
 * @EDGEAI_NL_A_UNSPEC: unused
 * @EDGEAI_NL_A_PAD: padding for 64-bit attributes
 * @EDGEAI_NL_A_CLUSTER_ID: u32
 * @EDGEAI_NL_A_CLUSTER_NAME: string
 * @EDGEAI_NL_A_CLUSTER_KIND: u32, &enum edgeai_cluster_kind
 * @EDGEAI_NL_A_CLUSTER_CONTROL: u32, &enum edgeai_cluster_control
 * @EDGEAI_NL_A_FREQ_KHZ: u32, current (or new) frequency
 * @EDGEAI_NL_A_FREQ_OLD_KHZ: u32, frequency before a change
 * @EDGEAI_NL_A_FREQ_REASON: u32, &enum edgeai_nl_freq_reason
 * @EDGEAI_NL_A_FREQS: nested: one %EDGEAI_NL_A_FREQ_KHZ per step
 * @EDGEAI_NL_A_GOVERNOR: string
 * @EDGEAI_NL_A_GOVERNOR_OLD: string, governor before a change
 * @EDGEAI_NL_A_NR_QUEUED: u32, stages queued
 * @EDGEAI_NL_A_NR_RUNNING: u32, stages running
 * @EDGEAI_NL_A_NR_EXECUTORS: u32, executors attached
 * @EDGEAI_NL_A_BUSY_NS: u64, time spent running stages
 * @EDGEAI_NL_A_STAGES_DONE: u64, stages completed
 * @EDGEAI_NL_A_ENERGY_UJ: u64, energy of stages (or of a job)
 * @EDGEAI_NL_A_JOB_ID: u64, a job's id on its submitter's file
 * @EDGEAI_NL_A_PID: u32, the process that submitted the job (not the one
 *	that opened the file), or the one that attached the executor (not
 *	the one that closed it): in a GET_JOB answer as the
 *	pid namespace of the process reading the dump sees it (0 when it
 *	cannot); in an event, which goes to every listener alike, as the
 *	initial pid namespace sees it
 * @EDGEAI_NL_A_UID: u32, submitter's user, in the initial user namespace
 * @EDGEAI_NL_A_GRAPH_ID: u32
 * @EDGEAI_NL_A_GRAPH_NAME: string
 * @EDGEAI_NL_A_PRIO: u32, &enum edgeai_prio
 * @EDGEAI_NL_A_STATUS: u32, &enum edgeai_job_status
 * @EDGEAI_NL_A_LATENCY_NS: u64, submission to final state
 * @EDGEAI_NL_A_DEADLINE_NS: u64, absolute deadline (absent if none)
 * @EDGEAI_NL_A_DEADLINE_MET: flag, present when the job ended by its
 *	deadline (or had none)
 * @EDGEAI_NL_A_SUBMIT_NS: u64, when the job was submitted
 * @EDGEAI_NL_A_STAGES: nested: one %EDGEAI_NL_A_STAGE per stage
 * @EDGEAI_NL_A_STAGE: nested: a stage's %EDGEAI_NL_A_CLUSTER_ID,
 *	%EDGEAI_NL_A_START_NS, %EDGEAI_NL_A_END_NS, %EDGEAI_NL_A_FREQ_KHZ
 * @EDGEAI_NL_A_START_NS: u64, a stage's start (0 if it never ran)
 * @EDGEAI_NL_A_END_NS: u64, a stage's end (0 if it never ended)
 * @EDGEAI_NL_A_STATE: u32, a live job's state: 0 queued, 1 running,
 *	2 between stages, 3 finished, 4 a token step held back by its
 *	frozen session
 * @EDGEAI_NL_A_STAGE_INDEX: u32, a live job's current stage
 * @EDGEAI_NL_A_EXEC_LOST: flag, the executor held a stage when it went
 * @EDGEAI_NL_A_STAT_SUBMITTED: u64, jobs accepted
 * @EDGEAI_NL_A_STAT_COMPLETED: u64, jobs that ran every stage
 * @EDGEAI_NL_A_STAT_FAILED: u64, jobs failed or lost with executors
 * @EDGEAI_NL_A_STAT_CANCELLED: u64, jobs cancelled
 * @EDGEAI_NL_A_STAT_DEADLINE_MISSES: u64, jobs that ended late
 * @EDGEAI_NL_A_STAT_REJECTED: u64, submissions refused by admission
 * @EDGEAI_NL_A_STAT_LIVE_JOBS: u32, job objects that exist
 * @EDGEAI_NL_A_QUEUED_PRIO: nested: per priority class, in class order,
 *	one %EDGEAI_NL_A_NR_QUEUED each
 * @EDGEAI_NL_A_TIME_NS: u64, when the event happened (CLOCK_MONOTONIC)
 * @EDGEAI_NL_A_FREQ_REQ_KHZ: u32, the frequency edgeai asked for
 * @EDGEAI_NL_A_EXIT: u32, in a JOB_DONE event of a job that ended
 *	%EDGEAI_JOB_DONE_EXIT: the index of the exit taken
 * @EDGEAI_NL_A_ACCURACY_PPM: u32, with %EDGEAI_NL_A_EXIT: the exit's
 *	declared accuracy
 * @EDGEAI_NL_A_STAT_EXITS_TAKEN: u64, jobs that ended at an exit
 * @EDGEAI_NL_A_TOKENS: u32, a session job's token steps so far (JOB_DONE
 *	events and GET_JOB answers of session jobs)
 * @EDGEAI_NL_A_STEP_NS: u64, with %EDGEAI_NL_A_TOKENS: the time of its
 *	token steps, summed (fetch to completion)
 * @EDGEAI_NL_A_SESSION_END: u32, in a JOB_DONE event of a session job:
 *	&enum edgeai_session_end
 * @EDGEAI_NL_A_FROZEN_NS: u64, with %EDGEAI_NL_A_TOKENS: time its steps
 *	were held back by its frozen session
 * @EDGEAI_NL_A_STAT_TOKENS: u64, token steps run by all session jobs
 * @EDGEAI_NL_A_STAT_FREEZES: u64, token steps held back by a frozen
 *	session
 * @__EDGEAI_NL_A_MAX: one past the last
 */
enum edgeai_nl_attr {
	EDGEAI_NL_A_UNSPEC,
	EDGEAI_NL_A_PAD,
	EDGEAI_NL_A_CLUSTER_ID,
	EDGEAI_NL_A_CLUSTER_NAME,
	EDGEAI_NL_A_CLUSTER_KIND,
	EDGEAI_NL_A_CLUSTER_CONTROL,
	EDGEAI_NL_A_FREQ_KHZ,
	EDGEAI_NL_A_FREQ_OLD_KHZ,
	EDGEAI_NL_A_FREQ_REASON,
	EDGEAI_NL_A_FREQS,
	EDGEAI_NL_A_GOVERNOR,
	EDGEAI_NL_A_GOVERNOR_OLD,
	EDGEAI_NL_A_NR_QUEUED,
	EDGEAI_NL_A_NR_RUNNING,
	EDGEAI_NL_A_NR_EXECUTORS,
	EDGEAI_NL_A_BUSY_NS,
	EDGEAI_NL_A_STAGES_DONE,
	EDGEAI_NL_A_ENERGY_UJ,
	EDGEAI_NL_A_JOB_ID,
	EDGEAI_NL_A_PID,
	EDGEAI_NL_A_UID,
	EDGEAI_NL_A_GRAPH_ID,
	EDGEAI_NL_A_GRAPH_NAME,
	EDGEAI_NL_A_PRIO,
	EDGEAI_NL_A_STATUS,
	EDGEAI_NL_A_LATENCY_NS,
	EDGEAI_NL_A_DEADLINE_NS,
	EDGEAI_NL_A_DEADLINE_MET,
	EDGEAI_NL_A_SUBMIT_NS,
	EDGEAI_NL_A_STAGES,
	EDGEAI_NL_A_STAGE,
	EDGEAI_NL_A_START_NS,
	EDGEAI_NL_A_END_NS,
	EDGEAI_NL_A_STATE,
	EDGEAI_NL_A_STAGE_INDEX,
	EDGEAI_NL_A_EXEC_LOST,
	EDGEAI_NL_A_STAT_SUBMITTED,
	EDGEAI_NL_A_STAT_COMPLETED,
	EDGEAI_NL_A_STAT_FAILED,
	EDGEAI_NL_A_STAT_CANCELLED,
	EDGEAI_NL_A_STAT_DEADLINE_MISSES,
	EDGEAI_NL_A_STAT_REJECTED,
	EDGEAI_NL_A_STAT_LIVE_JOBS,
	EDGEAI_NL_A_QUEUED_PRIO,
	EDGEAI_NL_A_TIME_NS,
	EDGEAI_NL_A_FREQ_REQ_KHZ,
	EDGEAI_NL_A_EXIT,
	EDGEAI_NL_A_ACCURACY_PPM,
	EDGEAI_NL_A_STAT_EXITS_TAKEN,
	EDGEAI_NL_A_TOKENS,
	EDGEAI_NL_A_STEP_NS,
	EDGEAI_NL_A_SESSION_END,
	EDGEAI_NL_A_FROZEN_NS,
	EDGEAI_NL_A_STAT_TOKENS,
	EDGEAI_NL_A_STAT_FREEZES,
	__EDGEAI_NL_A_MAX
};

#define EDGEAI_NL_A_MAX		(__EDGEAI_NL_A_MAX - 1)

#endif /* _UAPI_LINUX_EDGEAI_H */
