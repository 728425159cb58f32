// SPDX-License-Identifier: GPL-2.0-only
/*
 * Client side of the user-space broker: see ubclient.h.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ubclient.h"

/*
 * The broker's next message, which must be of a type in @types (a mask of
 * 1 << UB_*): its type; -ECONNRESET when the broker is gone; -EPROTO for
 * another type (its descriptors closed); or ub_recv()'s error.
 */
static int ubc_recv(int sock, union ub_msg *m, int *fds, unsigned int *nr,
		    unsigned int types)
{
	ssize_t type = ub_recv(sock, m, fds, nr);

	if (type <= 0)
		return type ? (int)type : -ECONNRESET;
	if (!(types & (1u << type))) {
		ub_close_fds(fds, *nr);
		return -EPROTO;
	}
	return (int)type;
}

/* Wait for the broker's answer to GRAPH or ATTACH. */
static int ubc_reply(int sock, uint32_t *id)
{
	int fds[UB_MAX_FDS];
	unsigned int nr;
	union ub_msg m;
	int ret = ubc_recv(sock, &m, fds, &nr, 1u << UB_REPLY);

	if (ret < 0)
		return ret;
	if (id)
		*id = m.reply.id;
	return m.reply.error;
}

int ubc_graph_create(int sock, const struct edgeai_graph_spec *spec,
		     uint32_t *graph_id)
{
	union ub_msg m;
	struct ub_graph_msg *g = &m.graph;
	int ret;

	if (!spec->nr_stages || spec->nr_stages > UB_MAX_STAGES ||
	    !spec->nr_buffers || spec->nr_buffers > UB_MAX_BUFFERS ||
	    !spec->name || strlen(spec->name) >= sizeof(g->name))
		return -EINVAL;
	memset(g, 0, ub_graph_len(spec->nr_stages));
	ub_hdr_init(&g->hdr, UB_GRAPH, ub_graph_len(spec->nr_stages),
		    spec->model_fd >= 0 ? 1 : 0);
	g->nr_stages = spec->nr_stages;
	g->nr_buffers = spec->nr_buffers;
	strcpy(g->name, spec->name);
	if (spec->buf_sizes)
		memcpy(g->buf_size, spec->buf_sizes,
		       spec->nr_buffers * sizeof(g->buf_size[0]));
	memcpy(g->stages, spec->stages,
	       spec->nr_stages * sizeof(g->stages[0]));
	ret = ub_send(sock, &m, &spec->model_fd);
	return ret ? ret : ubc_reply(sock, graph_id);
}

int ubc_submit(int sock, const struct edgeai_job_spec *spec, uint64_t tag)
{
	struct ub_submit_msg m;

	if (!spec->nr_buffers || spec->nr_buffers > UB_MAX_BUFFERS)
		return -EINVAL;
	ub_hdr_init(&m.hdr, UB_SUBMIT, sizeof(m), spec->nr_buffers);
	m.graph_id = spec->graph_id;
	m.priority = spec->priority;
	m.flags = spec->flags;
	m.nr_buffers = spec->nr_buffers;
	m.deadline_ns = spec->deadline_ns;
	m.cookie = spec->cookie;
	m.tag = tag;
	return ub_send(sock, &m, spec->buf_fds);
}

int ubc_wait(int sock, union ub_msg *msg)
{
	int fds[UB_MAX_FDS];
	unsigned int nr;

	return ubc_recv(sock, msg, fds, &nr, 1u << UB_DONE | 1u << UB_REJECT);
}

int ubc_attach(int sock, uint32_t cluster_id)
{
	struct ub_attach_msg m;
	int ret;

	ub_hdr_init(&m.hdr, UB_ATTACH, sizeof(m), 0);
	m.cluster_id = cluster_id;
	m.__pad = 0;
	ret = ub_send(sock, &m, NULL);
	return ret ? ret : ubc_reply(sock, NULL);
}

int ubc_fetch(int sock, struct ubc_task *task)
{
	int fds[UB_MAX_FDS];
	union ub_msg m;
	unsigned int nr, k = 0, i;
	uint64_t used;
	int ret = ubc_recv(sock, &m, fds, &nr, 1u << UB_TASK);

	if (ret < 0)
		return ret;
	task->msg = m.task;
	/* ub_recv() checked that the count matches the masks. */
	task->model_fd = m.task.has_model ? fds[k++] : -1;
	used = m.task.in_mask | m.task.out_mask;
	for (i = 0; i < UB_MAX_BUFFERS; i++)
		task->buf_fds[i] = (used & (1ULL << i)) ? fds[k++] : -1;
	return 0;
}

int ubc_complete(int sock, const struct ubc_task *task, int status,
		 uint64_t exec_ns, uint64_t energy_uj)
{
	struct ub_complete_msg m;

	ub_hdr_init(&m.hdr, UB_COMPLETE, sizeof(m), 0);
	m.task_id = task->msg.task_id;
	m.status = status;
	m.__pad = 0;
	m.exec_ns = exec_ns;
	m.energy_uj = energy_uj;
	return ub_send(sock, &m, NULL);
}

void ubc_task_close(struct ubc_task *task)
{
	unsigned int i;

	if (task->model_fd >= 0)
		close(task->model_fd);
	task->model_fd = -1;
	for (i = 0; i < task->msg.nr_buffers && i < UB_MAX_BUFFERS; i++) {
		if (task->buf_fds[i] >= 0)
			close(task->buf_fds[i]);
		task->buf_fds[i] = -1;
	}
}
