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
 *    the struct is -EINVAL.
 *  - Reserved members and unknown flag bits must be zero (-EINVAL).
 *  - Pointers to user memory are __u64.  Arrays of structs come with the
 *    size of one element as the caller knows it, and grow the same way.
 *  - Times are CLOCK_MONOTONIC nanoseconds; frequencies kHz; energy uJ.
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
};

/**
 * enum edgeai_feature - optional behaviour, reported by GET_INFO
 * @EDGEAI_FEAT_STRICT_ADMISSION: JOB_SUBMIT honours %EDGEAI_SUBMIT_STRICT
 * @EDGEAI_FEAT_DMABUF: job buffers may be dma-bufs as well as memfds
 */
enum edgeai_feature {
	EDGEAI_FEAT_STRICT_ADMISSION = 1 << 0,
	EDGEAI_FEAT_DMABUF = 1 << 1,
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
};

/**
 * struct edgeai_stage - one stage of a graph: layers run on one cluster
 * @cluster_id: the cluster that runs it
 * @flags: must be 0
 * @first_layer: first layer of the model the stage runs
 * @nr_layers: number of layers, at least 1
 * @cost_ns: estimated time of the stage at the cluster's highest
 *	frequency, at most 1000 s; queue order, admission and the governors
 *	use it
 * @in_mask: the job buffers the stage reads: bit i is buffer i
 * @out_mask: the job buffers the stage writes
 * @freq_khz: the planner's frequency for the stage, 0 for none; passed
 *	to the executor
 * @__reserved: must be 0
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
 *
 * The graph belongs to the open file that created it; closing the file
 * destroys it.
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
 * @EDGEAI_PRIO_BACKGROUND: runs when nothing more urgent waits
 * @EDGEAI_NR_PRIO: number of classes
 *
 * A cluster runs the queued stage of the most urgent class first, earliest
 * deadline first inside a class, in arrival order on ties.  A running
 * stage is never preempted.
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
 *	estimates and the work already queued on its clusters, it cannot meet
 *	its deadline (or a stage's cluster has no executor)
 */
enum edgeai_submit_flags {
	EDGEAI_SUBMIT_STRICT = 1 << 0,
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
};

/**
 * enum edgeai_job_status - how a job ended
 * @EDGEAI_JOB_DONE: every stage ran, by the deadline if there was one
 * @EDGEAI_JOB_DEADLINE_MISSED: every stage ran, but the last one ended
 *	after the deadline; the outputs are valid
 * @EDGEAI_JOB_FAILED: a stage failed; &edgeai_job_wait.error says why
 * @EDGEAI_JOB_CANCELLED: cancelled by JOB_CANCEL or by closing the file
 * @EDGEAI_JOB_EXEC_LOST: the executors running a stage went away more
 *	than &edgeai_info.max_retries times
 */
enum edgeai_job_status {
	EDGEAI_JOB_DONE = 1,
	EDGEAI_JOB_DEADLINE_MISSED,
	EDGEAI_JOB_FAILED,
	EDGEAI_JOB_CANCELLED,
	EDGEAI_JOB_EXEC_LOST,
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
 * @energy_uj: out: sum of its stages' energy
 * @graph_id: out: its graph
 * @nr_stages: out: its number of stages (entries of @stage_times written:
 *	the lesser of this and @stage_times_cap)
 * @retries: out: stages requeued after an executor went away
 * @__reserved: must be 0
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
	__u32 __reserved;
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
 * CAP_SYS_ADMIN.  A file that holds graphs or jobs cannot attach, and an
 * attached one cannot create graphs or submit jobs (-EBUSY).  Closing it
 * hands a stage it was running back to the queue (up to
 * &edgeai_info.max_retries times).
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
 * @cost_ns: out: the stage's estimate at the highest frequency
 * @deadline_ns: out: the job's deadline, 0 for none
 * @priority: out: the job's &enum edgeai_prio
 * @freq_khz: out: the cluster's current frequency
 * @plan_freq_khz: out: the planner's frequency for the stage, 0 for none
 * @submitter_pid: out: process that submitted the job, as seen from the
 *	executor's pid namespace (0 if not visible there)
 * @graph_name: out: the graph's name
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
};

/**
 * struct edgeai_exec_complete - argument of %EDGEAI_IOCTL_EXEC_COMPLETE
 * @size: sizeof(struct edgeai_exec_complete)
 * @flags: must be 0
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

#endif /* _UAPI_LINUX_EDGEAI_H */
