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
int edgeai_cancel(struct edgeai *handle, uint64_t job_id);

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
/* Close the descriptors a fetch installed. */
void edgeai_task_close(struct edgeai_task *task);
int edgeai_set_nonblocking(struct edgeai *handle, int nonblocking);

/* Buffers: sealed memfds (they cannot shrink or grow once made). */
int edgeai_buffer_create(const char *name, uint64_t size);
/* One buffer per size, for a graph's jobs; on failure none is left open. */
int edgeai_buffers_create(const char *name, uint32_t nr, const uint64_t *sizes,
			  int *fds);
void edgeai_buffers_close(uint32_t nr, int *fds);

const char *edgeai_strerror(int err);
const char *edgeai_status_name(uint32_t status);
const char *edgeai_prio_name(uint32_t prio);
const char *edgeai_kind_name(uint32_t kind);
/* CLOCK_MONOTONIC now, in ns: the clock deadlines are on. */
uint64_t edgeai_now_ns(void);

#ifdef __cplusplus
}
#endif

#endif /* EDGEAI_H */
