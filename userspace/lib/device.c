// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libedgeai: the ioctls of /dev/edgeai.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <edgeai.h>

struct edgeai {
	int fd;
};

static int edgeai_ioctl(struct edgeai *h, unsigned long cmd, void *arg)
{
	int ret;

	do {
		ret = ioctl(h->fd, cmd, arg);
	} while (ret < 0 && errno == EINTR && cmd != EDGEAI_IOCTL_JOB_WAIT &&
		 cmd != EDGEAI_IOCTL_EXEC_FETCH);
	return ret < 0 ? -errno : ret;
}

int edgeai_open(struct edgeai **handle)
{
	const char *path = getenv("EDGEAI_DEVICE");
	struct edgeai *h;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->fd = open(path && *path ? path : EDGEAI_DEVICE_PATH,
		     O_RDWR | O_CLOEXEC);
	if (h->fd < 0) {
		int err = -errno;

		free(h);
		return err;
	}
	*handle = h;
	return 0;
}

void edgeai_close(struct edgeai *handle)
{
	if (!handle)
		return;
	close(handle->fd);
	free(handle);
}

int edgeai_fd(const struct edgeai *handle)
{
	return handle->fd;
}

int edgeai_set_nonblocking(struct edgeai *handle, int nonblocking)
{
	int fl = fcntl(handle->fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = nonblocking ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	return fcntl(handle->fd, F_SETFL, fl) < 0 ? -errno : 0;
}

int edgeai_get_info(struct edgeai *handle, struct edgeai_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return edgeai_ioctl(handle, EDGEAI_IOCTL_GET_INFO, info);
}

int edgeai_cluster_get(struct edgeai *handle, uint32_t id,
		       struct edgeai_cluster_desc *cluster)
{
	struct edgeai_cluster_info *info = &cluster->info;

	memset(cluster, 0, sizeof(*cluster));
	info->size = sizeof(*info);
	info->cluster_id = id;
	info->freqs = (uintptr_t)cluster->freqs_khz;
	info->freqs_cap = EDGEAI_MAX_FREQS;
	info->cpus = (uintptr_t)cluster->cpus;
	info->cpus_words = sizeof(cluster->cpus) / sizeof(cluster->cpus[0]);
	return edgeai_ioctl(handle, EDGEAI_IOCTL_CLUSTER_INFO, info);
}

int edgeai_cluster_find(struct edgeai *handle, const char *name)
{
	struct edgeai_cluster_desc c;
	struct edgeai_info info;
	uint32_t i;
	int ret;

	ret = edgeai_get_info(handle, &info);
	if (ret)
		return ret;
	for (i = 0; i < info.nr_clusters; i++) {
		ret = edgeai_cluster_get(handle, i, &c);
		if (ret)
			return ret;
		if (!strcmp(c.info.name, name))
			return (int)i;
	}
	return -ENOENT;
}

/*
 * GRAPH_CREATE with optional tables: each one is passed with its entry
 * size when it has entries, and left 0 (pointer, count and size) when it
 * has none, so a module that predates a table accepts a graph without it.
 */
static int graph_create(struct edgeai *handle, const struct edgeai_graph_spec *spec,
			const struct edgeai_exit *exits, uint32_t nr_exits,
			const struct edgeai_stage_alt *alts, uint32_t nr_alts,
			uint32_t *graph_id)
{
	struct edgeai_graph_create cmd = {
		.size = sizeof(cmd),
		.model_fd = spec->model_fd,
		.nr_stages = spec->nr_stages,
		.stages = (uintptr_t)spec->stages,
		.stage_size = sizeof(struct edgeai_stage),
		.nr_buffers = spec->nr_buffers,
		.buf_sizes = (uintptr_t)spec->buf_sizes,
	};
	int ret;

	if (nr_exits) {
		cmd.exits = (uintptr_t)exits;
		cmd.nr_exits = nr_exits;
		cmd.exit_size = sizeof(*exits);
	}
	if (nr_alts) {
		cmd.alts = (uintptr_t)alts;
		cmd.nr_alts = nr_alts;
		cmd.alt_size = sizeof(*alts);
	}

	if (!spec->name || strlen(spec->name) >= sizeof(cmd.name))
		return -EINVAL;
	strcpy(cmd.name, spec->name);
	ret = edgeai_ioctl(handle, EDGEAI_IOCTL_GRAPH_CREATE, &cmd);
	if (!ret)
		*graph_id = cmd.graph_id;
	return ret;
}

int edgeai_graph_create_exits(struct edgeai *handle,
			      const struct edgeai_graph_spec *spec,
			      const struct edgeai_exit *exits,
			      uint32_t nr_exits, uint32_t *graph_id)
{
	return graph_create(handle, spec, exits, nr_exits, NULL, 0, graph_id);
}

int edgeai_graph_create_alts(struct edgeai *handle,
			     const struct edgeai_graph_spec *spec,
			     const struct edgeai_stage_alt *alts,
			     uint32_t nr_alts, uint32_t *graph_id)
{
	return graph_create(handle, spec, NULL, 0, alts, nr_alts, graph_id);
}

int edgeai_graph_create(struct edgeai *handle,
			const struct edgeai_graph_spec *spec,
			uint32_t *graph_id)
{
	return graph_create(handle, spec, NULL, 0, NULL, 0, graph_id);
}

int edgeai_graph_destroy(struct edgeai *handle, uint32_t graph_id)
{
	struct edgeai_graph_destroy cmd = {
		.size = sizeof(cmd),
		.graph_id = graph_id,
	};

	return edgeai_ioctl(handle, EDGEAI_IOCTL_GRAPH_DESTROY, &cmd);
}

/*
 * A submission of @spec, with what a kind of job adds to it already in
 * @cmd (its flags, its own fields).
 */
static int edgeai_submit_cmd(struct edgeai *handle,
			     const struct edgeai_job_spec *spec,
			     struct edgeai_job_submit *cmd, uint64_t *job_id)
{
	int ret;

	cmd->size = sizeof(*cmd);
	cmd->flags |= spec->flags;
	cmd->graph_id = spec->graph_id;
	cmd->priority = spec->priority;
	cmd->deadline_ns = spec->deadline_ns;
	cmd->cookie = spec->cookie;
	cmd->buf_fds = (uintptr_t)spec->buf_fds;
	cmd->nr_buffers = spec->nr_buffers;
	ret = edgeai_ioctl(handle, EDGEAI_IOCTL_JOB_SUBMIT, cmd);
	if (!ret && job_id)
		*job_id = cmd->job_id;
	return ret;
}

int edgeai_submit(struct edgeai *handle, const struct edgeai_job_spec *spec,
		  uint64_t *job_id)
{
	struct edgeai_job_submit cmd = { 0 };

	return edgeai_submit_cmd(handle, spec, &cmd, job_id);
}

int edgeai_submit_anytime(struct edgeai *handle,
			  const struct edgeai_job_spec *spec,
			  uint32_t min_accuracy_ppm, uint64_t *job_id)
{
	struct edgeai_job_submit cmd = {
		.flags = EDGEAI_SUBMIT_ANYTIME,
		.min_accuracy_ppm = min_accuracy_ppm,
	};

	return edgeai_submit_cmd(handle, spec, &cmd, job_id);
}

int edgeai_session_create(struct edgeai *handle, uint32_t graph_id,
			  const struct edgeai_session_buf *bufs,
			  uint32_t nr_bufs, uint32_t max_tokens,
			  uint32_t *session_id)
{
	struct edgeai_session_create cmd = {
		.size = sizeof(cmd),
		.graph_id = graph_id,
		.nr_bufs = nr_bufs,
		.bufs = (uintptr_t)bufs,
		.buf_size = sizeof(*bufs),
		.max_tokens = max_tokens,
	};
	int ret;

	ret = edgeai_ioctl(handle, EDGEAI_IOCTL_SESSION_CREATE, &cmd);
	if (!ret && session_id)
		*session_id = cmd.session_id;
	return ret;
}

int edgeai_session_destroy(struct edgeai *handle, uint32_t session_id)
{
	struct edgeai_session_destroy cmd = {
		.size = sizeof(cmd),
		.session_id = session_id,
	};

	return edgeai_ioctl(handle, EDGEAI_IOCTL_SESSION_DESTROY, &cmd);
}

int edgeai_submit_session(struct edgeai *handle,
			  const struct edgeai_job_spec *spec,
			  uint32_t session_id, uint32_t max_tokens,
			  uint64_t *job_id)
{
	struct edgeai_job_submit cmd = {
		.flags = EDGEAI_SUBMIT_SESSION,
		.session_id = session_id,
		.max_tokens = max_tokens,
	};

	return edgeai_submit_cmd(handle, spec, &cmd, job_id);
}

int edgeai_cancel(struct edgeai *handle, uint64_t job_id)
{
	struct edgeai_job_cancel cmd = {
		.size = sizeof(cmd),
		.job_id = job_id,
	};

	return edgeai_ioctl(handle, EDGEAI_IOCTL_JOB_CANCEL, &cmd);
}

int edgeai_wait(struct edgeai *handle, uint64_t job_id, uint32_t flags,
		uint64_t timeout_ns, struct edgeai_result *result)
{
	return edgeai_wait_steps(handle, job_id, flags, timeout_ns, result,
				 NULL, 0);
}

int edgeai_wait_steps(struct edgeai *handle, uint64_t job_id, uint32_t flags,
		      uint64_t timeout_ns, struct edgeai_result *result,
		      uint64_t *step_ns, uint32_t cap)
{
	struct edgeai_job_wait *w = &result->wait;

	memset(w, 0, sizeof(*w));
	w->size = sizeof(*w);
	w->flags = flags;
	w->job_id = job_id;
	w->timeout_ns = timeout_ns;
	w->stage_times = (uintptr_t)result->stages;
	w->stage_times_cap = EDGEAI_RESULT_STAGES;
	w->stage_times_size = sizeof(result->stages[0]);
	w->step_times = (uintptr_t)step_ns;
	w->step_times_cap = step_ns ? cap : 0;
	return edgeai_ioctl(handle, EDGEAI_IOCTL_JOB_WAIT, w);
}

int edgeai_exec_attach(struct edgeai *handle, uint32_t cluster_id)
{
	struct edgeai_exec_attach cmd = {
		.size = sizeof(cmd),
		.cluster_id = cluster_id,
	};

	return edgeai_ioctl(handle, EDGEAI_IOCTL_EXEC_ATTACH, &cmd);
}

int edgeai_exec_fetch(struct edgeai *handle, struct edgeai_task *task)
{
	struct edgeai_exec_fetch *f = &task->fetch;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->size = sizeof(*f);
	f->buf_fds = (uintptr_t)task->buf_fds;
	f->buf_fds_cap = sizeof(task->buf_fds) / sizeof(task->buf_fds[0]);
	for (i = 0; i < f->buf_fds_cap; i++)
		task->buf_fds[i] = -1;
	return edgeai_ioctl(handle, EDGEAI_IOCTL_EXEC_FETCH, f);
}

int edgeai_exec_complete(struct edgeai *handle, const struct edgeai_task *task,
			 int status, uint64_t exec_ns, uint64_t energy_uj)
{
	struct edgeai_exec_complete cmd = {
		.size = sizeof(cmd),
		.task_id = task->fetch.task_id,
		.status = status,
		.exec_ns = exec_ns,
		.energy_uj = energy_uj,
	};

	return edgeai_ioctl(handle, EDGEAI_IOCTL_EXEC_COMPLETE, &cmd);
}

int edgeai_exec_complete_eos(struct edgeai *handle,
			     const struct edgeai_task *task, uint64_t exec_ns,
			     uint64_t energy_uj)
{
	struct edgeai_exec_complete cmd = {
		.size = sizeof(cmd),
		.flags = EDGEAI_COMPLETE_EOS,
		.task_id = task->fetch.task_id,
		.exec_ns = exec_ns,
		.energy_uj = energy_uj,
	};

	return edgeai_ioctl(handle, EDGEAI_IOCTL_EXEC_COMPLETE, &cmd);
}

void edgeai_task_close(struct edgeai_task *task)
{
	uint32_t i;

	if (task->fetch.model_fd >= 0)
		close(task->fetch.model_fd);
	task->fetch.model_fd = -1;
	for (i = 0; i < task->fetch.nr_buffers && i < 64; i++) {
		if (task->buf_fds[i] >= 0)
			close(task->buf_fds[i]);
		task->buf_fds[i] = -1;
	}
}

uint64_t edgeai_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
