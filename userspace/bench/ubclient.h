/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Client side of the user-space broker: what libedgeai is to the kernel
 * path, for submitters and executors of edgeai-bench ctl and the tests.
 * Every call returns 0 (or a non-negative value) or a negative errno.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_BENCH_UBCLIENT_H
#define EDGEAI_BENCH_UBCLIENT_H

#include <edgeai.h>

#include "ubproto.h"

int ubc_graph_create(int sock, const struct edgeai_graph_spec *spec,
		     uint32_t *graph_id);
/* Submit a job the caller names @tag; its answer comes to ubc_wait(). */
int ubc_submit(int sock, const struct edgeai_job_spec *spec, uint64_t tag);
/* Block for the next DONE or REJECT: returns UB_DONE or UB_REJECT. */
int ubc_wait(int sock, union ub_msg *msg);

/**
 * struct ubc_task - a stage fetched from the broker
 * @msg: the broker's description of it
 * @model_fd: the model, -1 if the graph has none
 * @buf_fds: one descriptor per buffer the stage uses, -1 for the others
 *	(the layout EXEC_FETCH gives)
 */
struct ubc_task {
	struct ub_task_msg msg;
	int model_fd;
	int buf_fds[UB_MAX_BUFFERS];
};

int ubc_attach(int sock, uint32_t cluster_id);
int ubc_fetch(int sock, struct ubc_task *task);
int ubc_complete(int sock, const struct ubc_task *task, int status,
		 uint64_t exec_ns, uint64_t energy_uj);
void ubc_task_close(struct ubc_task *task);

#endif /* EDGEAI_BENCH_UBCLIENT_H */
