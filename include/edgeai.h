/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libedgeai: the C API of edgeai for applications, executors and tools.
 *
 * Every function that can fail returns 0 (or a non-negative value) on
 * success and a negative errno on failure; edgeai_strerror() explains the
 * errno in edgeai's terms.  Nothing here keeps global state: several
 * handles may be open at once, each its own file on /dev/edgeai.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_H
#define EDGEAI_H

#include <stddef.h>
#include <stdint.h>

#include <linux/edgeai.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The device, unless $EDGEAI_DEVICE names another. */
#define EDGEAI_DEVICE_PATH	"/dev/edgeai"

/* An open file on /dev/edgeai. */
struct edgeai;

int edgeai_open(struct edgeai **handle);
void edgeai_close(struct edgeai *handle);
/* The file descriptor, for poll(): readable when a job finished (or, for
 * an executor, when a stage waits). */
int edgeai_fd(const struct edgeai *handle);

int edgeai_get_info(struct edgeai *handle, struct edgeai_info *info);

/* Most frequency steps edgeai_cluster_desc holds. */
#define EDGEAI_MAX_FREQS	32

/**
 * struct edgeai_cluster_desc - what libedgeai reports of a cluster
 * @info: the kernel's answer (name, kind, frequencies, governor...)
 * @freqs_khz: the frequency steps, ascending (info.nr_freqs of them, at
 *	most EDGEAI_MAX_FREQS)
 * @cpus: the CPUs of a CPU cluster, one bit each, for up to 1024 CPUs
 */
struct edgeai_cluster_desc {
	struct edgeai_cluster_info info;
	uint32_t freqs_khz[EDGEAI_MAX_FREQS];
	uint64_t cpus[16];
};

int edgeai_cluster_get(struct edgeai *handle, uint32_t id,
		       struct edgeai_cluster_desc *cluster);
/* The id of the cluster with this name, or -ENOENT. */
int edgeai_cluster_find(struct edgeai *handle, const char *name);

/* The device's sysfs directory, unless $EDGEAI_SYSFS names another. */
#define EDGEAI_SYSFS_PATH	"/sys/class/misc/edgeai"

/*
 * How long a stage submitted now to cluster @cluster_id would wait before
 * it starts, per priority class (wait_ns[EDGEAI_PRIO_REALTIME] ...
 * [EDGEAI_PRIO_BACKGROUND]), in ns: what is left of the stages running
 * there plus the queued work of that class and the classes above, at the
 * cluster's highest step, divided over its executors (the cluster's
 * wait_ns file in sysfs).  An estimate, as strict admission's: an
 * application with several graphs of one model reads it to try first the
 * one that would end first.  -EPROTO if the file does not hold four
 * numbers (a module without it: -ENOENT).
 */
int edgeai_cluster_wait_ns(struct edgeai *handle, uint32_t cluster_id,
			   uint64_t wait_ns[EDGEAI_NR_PRIO]);

/**
 * struct edgeai_graph_spec - a plan to register
 * @name: shown to executors and tools (at most EDGEAI_NAME_LEN - 1 bytes)
 * @model_fd: the model file, -1 for none
 * @nr_stages: entries in @stages
 * @stages: the stages in order
 * @nr_buffers: buffers each job carries
 * @buf_sizes: least size of each buffer, or NULL
 */
struct edgeai_graph_spec {
	const char *name;
	int model_fd;
	uint32_t nr_stages;
	const struct edgeai_stage *stages;
	uint32_t nr_buffers;
	const uint64_t *buf_sizes;
};

int edgeai_graph_create(struct edgeai *handle,
			const struct edgeai_graph_spec *spec,
			uint32_t *graph_id);
/*
 * The same with @nr_exits exits (struct edgeai_exit, in increasing stage
 * and accuracy), where a job submitted with edgeai_submit_anytime() may
 * end.  -EINVAL for a table that breaks a rule of struct edgeai_exit,
 * -E2BIG beyond EDGEAI_MAX_EXITS; a module without EDGEAI_FEAT_EXITS
 * refuses a table with -E2BIG.
 */
int edgeai_graph_create_exits(struct edgeai *handle,
			      const struct edgeai_graph_spec *spec,
			      const struct edgeai_exit *exits,
			      uint32_t nr_exits, uint32_t *graph_id);
/*
 * The same with @nr_alts stage alternatives (struct edgeai_stage_alt):
 * other clusters a stage may run on, the kernel queueing each ready stage
 * on its own cluster or an alternative, where it would end soonest.
 * Errors are the kernel's: -EINVAL for a table that breaks a rule of
 * struct edgeai_stage_alt, -E2BIG beyond EDGEAI_MAX_STAGE_ALTS for one
 * stage, -EFAULT for one that cannot be read.  A module without
 * EDGEAI_FEAT_STAGE_ALTS (edgeai_get_info()'s features) refuses a table
 * with -E2BIG; with @nr_alts 0 this is edgeai_graph_create().
 */
int edgeai_graph_create_alts(struct edgeai *handle,
			     const struct edgeai_graph_spec *spec,
			     const struct edgeai_stage_alt *alts,
			     uint32_t nr_alts, uint32_t *graph_id);
int edgeai_graph_destroy(struct edgeai *handle, uint32_t graph_id);

/**
 * struct edgeai_job_spec - a job to submit
 * @graph_id: its graph
 * @priority: enum edgeai_prio
 * @deadline_ns: absolute CLOCK_MONOTONIC deadline, 0 for none
 * @cookie: returned with the result
 * @flags: enum edgeai_submit_flags
 * @nr_buffers: entries in @buf_fds, the graph's number
 * @buf_fds: the job's buffers (see edgeai_buffers_create())
 */
struct edgeai_job_spec {
	uint32_t graph_id;
	uint32_t priority;
	uint64_t deadline_ns;
	uint64_t cookie;
	uint32_t flags;
	uint32_t nr_buffers;
	const int *buf_fds;
};

int edgeai_submit(struct edgeai *handle, const struct edgeai_job_spec *spec,
		  uint64_t *job_id);
/*
 * Submit an anytime job (EDGEAI_SUBMIT_ANYTIME added to @spec->flags): when
 * the kernel's estimates say it would miss its deadline, it ends at the
 * last exit of its graph it reached whose accuracy is at least
 * @min_accuracy_ppm, with status EDGEAI_JOB_DONE_EXIT and the exit's index
 * in edgeai_result.wait.exit_index.  -EINVAL on a graph without exits.
 */
int edgeai_submit_anytime(struct edgeai *handle,
			  const struct edgeai_job_spec *spec,
			  uint32_t min_accuracy_ppm, uint64_t *job_id);
int edgeai_cancel(struct edgeai *handle, uint64_t job_id);

/*
 * LLM sessions (EDGEAI_FEAT_SESSIONS): a graph whose stages before the
 * last are the prefill and whose last stage is the token step, with
 * persistent buffers (struct edgeai_session_buf: the weights, constant,
 * made with edgeai_buffer_create_const(); the KV cache, the session's
 * state, made with edgeai_buffer_create()).  A job of the session
 * (edgeai_submit_session()) passes -1 in place of the session's buffers
 * and runs the prefill, then one token step after another until its
 * executor reports the end of the sequence or @max_tokens (0: the
 * session's) steps ran.  One job at a time per session (-EBUSY).
 */
int edgeai_session_create(struct edgeai *handle, uint32_t graph_id,
			  const struct edgeai_session_buf *bufs,
			  uint32_t nr_bufs, uint32_t max_tokens,
			  uint32_t *session_id);
int edgeai_session_destroy(struct edgeai *handle, uint32_t session_id);
int edgeai_submit_session(struct edgeai *handle,
			  const struct edgeai_job_spec *spec,
			  uint32_t session_id, uint32_t max_tokens,
			  uint64_t *job_id);

/**
 * struct edgeai_result - a finished job
 * @wait: the kernel's answer: job id, cookie, status, error, times
 * @stages: per stage records (wait.nr_stages of them, at most
 *	EDGEAI_RESULT_STAGES)
 */
#define EDGEAI_RESULT_STAGES	64
struct edgeai_result {
	struct edgeai_job_wait wait;
	struct edgeai_stage_times stages[EDGEAI_RESULT_STAGES];
};

/*
 * Collect a finished job: @job_id, or any with 0.  @flags is enum
 * edgeai_wait_flags; with EDGEAI_WAIT_TIMEOUT, @timeout_ns is an absolute
 * CLOCK_MONOTONIC time.  -EAGAIN (non-blocking, none ready), -ETIMEDOUT,
 * -ECHILD (no job to wait for), -EINTR.
 */
int edgeai_wait(struct edgeai *handle, uint64_t job_id, uint32_t flags,
		uint64_t timeout_ns, struct edgeai_result *result);
/*
 * edgeai_wait(), and the time of each token step of a session job in
 * @step_ns (up to @cap of them; result->wait.nr_tokens ran).
 */
int edgeai_wait_steps(struct edgeai *handle, uint64_t job_id, uint32_t flags,
		      uint64_t timeout_ns, struct edgeai_result *result,
		      uint64_t *step_ns, uint32_t cap);

/* Executor side. */
int edgeai_exec_attach(struct edgeai *handle, uint32_t cluster_id);

/**
 * struct edgeai_task - a stage fetched by an executor
 * @fetch: the kernel's answer (task id, layers, masks, model fd...)
 * @buf_fds: one descriptor per job buffer the stage uses, -1 for others
 */
struct edgeai_task {
	struct edgeai_exec_fetch fetch;
	int buf_fds[64];
};

/* Blocks unless the handle is non-blocking (then -EAGAIN). */
int edgeai_exec_fetch(struct edgeai *handle, struct edgeai_task *task);
int edgeai_exec_complete(struct edgeai *handle, const struct edgeai_task *task,
			 int status, uint64_t exec_ns, uint64_t energy_uj);
/*
 * Complete a token step (EDGEAI_FETCH_TOKEN_STEP in task->fetch.fetch_flags)
 * that emitted the end of the sequence: its job ends.
 */
int edgeai_exec_complete_eos(struct edgeai *handle,
			     const struct edgeai_task *task, uint64_t exec_ns,
			     uint64_t energy_uj);
/* Close the descriptors a fetch installed. */
void edgeai_task_close(struct edgeai_task *task);
int edgeai_set_nonblocking(struct edgeai *handle, int nonblocking);

/* Buffers: sealed memfds (they cannot shrink or grow once made). */
int edgeai_buffer_create(const char *name, uint64_t size);
/* One buffer per size, for a graph's jobs; on failure none is left open. */
int edgeai_buffers_create(const char *name, uint32_t nr, const uint64_t *sizes,
			  int *fds);
void edgeai_buffers_close(uint32_t nr, int *fds);
/*
 * A constant buffer: a memfd holding @size bytes of @data, sealed against
 * writes as well (a session's weights).
 */
int edgeai_buffer_create_const(const char *name, const void *data,
			       uint64_t size);

const char *edgeai_strerror(int err);
const char *edgeai_status_name(uint32_t status);
const char *edgeai_prio_name(uint32_t prio);
const char *edgeai_kind_name(uint32_t kind);
/* CLOCK_MONOTONIC now, in ns: the clock deadlines are on. */
uint64_t edgeai_now_ns(void);

/*
 * Governors (EDGEAI_IOCTL_GOVERNOR_SET, needs CAP_SYS_ADMIN): select
 * @governor on a cluster; for "userspace", @setspeed_khz is the frequency
 * to hold (rounded down to a step, 0 keeps the current one), else 0.
 */
int edgeai_governor_set(struct edgeai *handle, uint32_t cluster_id,
			const char *governor, uint32_t setspeed_khz);

/* ================================================================
 * Events and dumps: the generic netlink family "edgeai" (libnl-genl).
 *
 * Programs that use these link $(LIBEDGEAI_LIBS) (libnl-genl-3, libnl-3)
 * as well as libedgeai.a; the rest of libedgeai needs neither.
 *
 * A listener is one netlink socket subscribed to the family's multicast
 * groups and to the generic netlink controller's "notify" group, through
 * which it sees the family go (edgeai.ko unloaded) and come back (loaded
 * again): it then joins the groups again by itself and reports both as
 * events, so a monitor outlives rmmod/insmod.  Requests (dumps) use a
 * second socket of the listener, so they never mix with events.
 * ================================================================ */

struct edgeai_listener;

/**
 * enum edgeai_listen_flags - what edgeai_listener_open() subscribes to
 * @EDGEAI_LISTEN_EVENTS: the "events" group: frequency and governor
 *	changes, executors, overload (anyone may join)
 * @EDGEAI_LISTEN_JOBS: the "jobs" group: one message per finished or
 *	refused job.  Joining needs CAP_NET_ADMIN: without it the open fails
 *	with -EPERM
 * @EDGEAI_LISTEN_JOBS_IF_PERMITTED: join "jobs" when allowed, else go on
 *	without it (edgeai_listener_groups() tells which groups were joined)
 * @EDGEAI_LISTEN_WAIT: succeed while the family is absent (module not
 *	loaded): the listener joins the groups when it appears and reports
 *	%EDGEAI_EVENT_MODULE_LOADED.  Without it the open fails with -ENOENT.
 *
 * Flags 0 give a listener that only sends requests (the get functions).
 */
enum edgeai_listen_flags {
	EDGEAI_LISTEN_EVENTS = 1 << 0,
	EDGEAI_LISTEN_JOBS = 1 << 1,
	EDGEAI_LISTEN_JOBS_IF_PERMITTED = 1 << 2,
	EDGEAI_LISTEN_WAIT = 1 << 3,
};

/**
 * enum edgeai_event_type - &edgeai_event.type
 * @EDGEAI_EVENT_MODULE_UNLOADED: the family went away (edgeai.ko was
 *	unloaded); no event arrives until %EDGEAI_EVENT_MODULE_LOADED
 * @EDGEAI_EVENT_MODULE_LOADED: the family appeared (again) and the
 *	listener joined its groups; &edgeai_event.error is non-zero (a
 *	negative errno) if "jobs" could not be joined again
 * @EDGEAI_EVENT_OVERRUN: the socket's buffer overflowed and events were
 *	lost; the listener has checked whether the family is still there
 *
 * Every other value is the generic netlink command of the message, &enum
 * edgeai_nl_cmd: events (%EDGEAI_NL_CMD_JOB_DONE ...
 * %EDGEAI_NL_CMD_OVERLOAD) and answers to requests
 * (%EDGEAI_NL_CMD_GET_CLUSTER, %EDGEAI_NL_CMD_GET_STATS,
 * %EDGEAI_NL_CMD_GET_JOB).  A command this header does not know is still
 * reported, with whatever attributes it knows.
 */
enum edgeai_event_type {
	EDGEAI_EVENT_MODULE_UNLOADED = 0x100,
	EDGEAI_EVENT_MODULE_LOADED,
	EDGEAI_EVENT_OVERRUN,
};

/* Most stages and frequency steps an event holds; more are dropped. */
#define EDGEAI_EVENT_STAGES	64
#define EDGEAI_EVENT_FREQS	EDGEAI_MAX_FREQS

/**
 * struct edgeai_event_stage - one stage of a job, in a job event
 * @cluster_id: the cluster it ran on
 * @freq_khz: the cluster's frequency when it ran
 * @start_ns: when it started, 0 if it never ran
 * @end_ns: when it ended, 0 if it never ended
 */
struct edgeai_event_stage {
	uint32_t cluster_id;
	uint32_t freq_khz;
	uint64_t start_ns;
	uint64_t end_ns;
};

/**
 * struct edgeai_event - one decoded message of the "edgeai" family
 * @type: &enum edgeai_event_type (a &enum edgeai_nl_cmd for messages)
 * @error: for %EDGEAI_EVENT_MODULE_LOADED, why "jobs" was not joined again
 * @present: bit n (word n / 64, bit n % 64) is set when attribute n
 *	(&enum edgeai_nl_attr) was in the message; test with
 *	edgeai_event_has().  A member whose attribute is absent is 0.  Flag
 *	attributes (%EDGEAI_NL_A_DEADLINE_MET, %EDGEAI_NL_A_EXEC_LOST) exist
 *	only as presence bits.
 *
 * The other members are the attributes of the same names (see &enum
 * edgeai_nl_attr): strings NUL-terminated and cut to their size; @freqs_khz
 * holds @nr_freqs steps of %EDGEAI_NL_A_FREQS, @stages @nr_stages entries
 * of %EDGEAI_NL_A_STAGES, @queued_prio the %EDGEAI_NL_A_QUEUED_PRIO
 * counts by &enum edgeai_prio (@nr_queued_prio of them).
 *
 * Members that share a union come from attributes that are never in the
 * same message: @state and @stage_index from GET_JOB answers,
 * @accuracy_ppm and @exit_index (%EDGEAI_NL_A_ACCURACY_PPM,
 * %EDGEAI_NL_A_EXIT) from JOB_DONE events of jobs that ended
 * %EDGEAI_JOB_DONE_EXIT; @latency_ns from job events, @stat_exits_taken
 * from GET_STATS answers; @tokens, @session_end, @step_ns and @frozen_ns
 * (%EDGEAI_NL_A_TOKENS, %EDGEAI_NL_A_SESSION_END, %EDGEAI_NL_A_STEP_NS,
 * %EDGEAI_NL_A_FROZEN_NS) from job events and GET_JOB answers of session
 * jobs, @stat_submitted, @stat_completed and @stat_failed from GET_STATS
 * answers; @busy_ns and @stages_done from GET_CLUSTER answers,
 * @stat_tokens and @stat_freezes (%EDGEAI_NL_A_STAT_TOKENS,
 * %EDGEAI_NL_A_STAT_FREEZES) from GET_STATS answers.  edgeai_event_has()
 * tells which is there.
 */
struct edgeai_event {
	uint32_t type;
	int32_t error;
	uint64_t present[2];

	uint64_t time_ns;
	uint32_t cluster_id;
	uint32_t kind;
	uint32_t control;
	uint32_t freq_khz;
	uint32_t freq_old_khz;
	uint32_t freq_reason;
	char cluster_name[EDGEAI_NAME_LEN];
	char governor[EDGEAI_GOV_NAME_LEN];
	char governor_old[EDGEAI_GOV_NAME_LEN];
	uint32_t nr_queued;
	uint32_t nr_running;
	uint32_t nr_executors;
	uint32_t nr_freqs;
	uint32_t freqs_khz[EDGEAI_EVENT_FREQS];
	union {
		uint64_t busy_ns;
		uint64_t stat_tokens;
	};
	union {
		uint64_t stages_done;
		uint64_t stat_freezes;
	};
	uint64_t energy_uj;

	uint64_t job_id;
	uint32_t pid;
	uint32_t uid;
	uint32_t graph_id;
	uint32_t prio;
	char graph_name[EDGEAI_NAME_LEN];
	uint32_t status;
	union {
		uint32_t state;
		uint32_t accuracy_ppm;
	};
	union {
		uint32_t stage_index;
		uint32_t exit_index;
	};
	uint32_t nr_stages;
	union {
		uint64_t latency_ns;
		uint64_t stat_exits_taken;
	};
	uint64_t deadline_ns;
	uint64_t submit_ns;
	struct edgeai_event_stage stages[EDGEAI_EVENT_STAGES];

	union {
		uint64_t stat_submitted;
		uint64_t step_ns;
	};
	union {
		uint64_t stat_completed;
		uint64_t frozen_ns;
	};
	union {
		uint64_t stat_failed;
		struct {
			uint32_t tokens;
			uint32_t session_end;
		};
	};
	uint64_t stat_cancelled;
	uint64_t stat_deadline_misses;
	uint64_t stat_rejected;
	uint32_t stat_live_jobs;
	uint32_t nr_queued_prio;
	uint32_t queued_prio[EDGEAI_NR_PRIO];
};

static inline int edgeai_event_has(const struct edgeai_event *ev,
				   unsigned int attr)
{
	return attr < 128 && (ev->present[attr / 64] >> (attr % 64)) & 1;
}

/* Called for each event or answer; a non-zero return stops the walk and
 * is returned by the function that called it. */
typedef int (*edgeai_event_cb)(const struct edgeai_event *ev, void *arg);

/*
 * Open a listener (flags: enum edgeai_listen_flags).  -ENOENT: no "edgeai"
 * family (module not loaded) and no EDGEAI_LISTEN_WAIT; -EPERM: "jobs"
 * asked for without CAP_NET_ADMIN.
 */
int edgeai_listener_open(struct edgeai_listener **listener, unsigned int flags);
void edgeai_listener_close(struct edgeai_listener *listener);
/* The socket, for poll(): readable when an event waits.  It stays the same
 * across module reloads.  Read with edgeai_listener_next() until it
 * returns 0 before polling again: one datagram may hold several events. */
int edgeai_listener_fd(const struct edgeai_listener *listener);
int edgeai_listener_set_nonblocking(struct edgeai_listener *listener,
				    int nonblocking);
/* The groups joined now: EDGEAI_LISTEN_EVENTS | EDGEAI_LISTEN_JOBS. */
unsigned int edgeai_listener_groups(const struct edgeai_listener *listener);
/* 1 while the family exists (module loaded), else 0. */
int edgeai_listener_present(const struct edgeai_listener *listener);

/*
 * The next event: 1 with *ev filled; 0 when none waits (non-blocking
 * listener); -EINTR when a signal came while blocked; -EBADMSG for a
 * malformed message (skipped: call again).
 */
int edgeai_listener_next(struct edgeai_listener *listener,
			 struct edgeai_event *ev);
/*
 * Every event that waits now, without blocking, each passed to @cb.
 * Returns how many, or a negative errno, or what @cb returned.
 */
int edgeai_listener_dispatch(struct edgeai_listener *listener,
			     edgeai_event_cb cb, void *arg);

/*
 * Requests.  Answers come as events of the request's command.  Dumps call
 * @cb once per answer and return how many there were (or what @cb
 * returned); without CAP_NET_ADMIN the jobs dump holds only the caller's
 * own user's jobs.  -ENOENT: module not loaded.
 */
int edgeai_listener_get_cluster(struct edgeai_listener *listener, uint32_t id,
				struct edgeai_event *ev);
int edgeai_listener_get_clusters(struct edgeai_listener *listener,
				 edgeai_event_cb cb, void *arg);
int edgeai_listener_get_stats(struct edgeai_listener *listener,
			      struct edgeai_event *ev);
int edgeai_listener_get_jobs(struct edgeai_listener *listener,
			     edgeai_event_cb cb, void *arg);

/* Names for the ABI's numbers, "unknown" for others. */
const char *edgeai_event_name(uint32_t type);
const char *edgeai_freq_reason_name(uint32_t reason);
const char *edgeai_control_name(uint32_t control);
const char *edgeai_job_state_name(uint32_t state);

#ifdef __cplusplus
}
#endif

#endif /* EDGEAI_H */
