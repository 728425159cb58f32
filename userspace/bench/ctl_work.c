// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-bench ctl: the submitter and null-executor processes, written
 * once for both job paths.  A submitter keeps a window of jobs in flight
 * and submits a new one each time one ends; an executor fetches a stage,
 * closes the descriptors it got and completes it at once.  The two paths
 * differ only in the calls below: libedgeai's ioctls, or the broker's
 * messages (ubclient.c).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <edgeai.h>

#include "bench.h"
#include "ubclient.h"
#include "ubroker.h"

#define MS	1000000ULL

struct ctl_client {
	enum ctl_path path;
	struct edgeai *dev;
	int sock;
};

static int ctl_connect(const struct ctl_work *w, struct ctl_client *c)
{
	c->path = w->path;
	c->dev = NULL;
	c->sock = -1;
	if (w->path == CTL_KERNEL)
		return edgeai_open(&c->dev);
	c->sock = ub_connect(w->sock);
	return c->sock < 0 ? c->sock : 0;
}

static void ctl_fail(struct ctl_sub_result *res, const char *where, int err)
	__attribute__((noreturn));
static void ctl_fail(struct ctl_sub_result *res, const char *where, int err)
{
	if (res) {
		res->error = err;
		snprintf(res->where, sizeof(res->where), "%s", where);
	}
	fprintf(stderr, "edgeai-bench: %s: %s\n", where, edgeai_strerror(err));
	_exit(1);
}

void ctl_graph_stages(const struct ctl_work *w, uint32_t idx,
		      struct edgeai_stage *stages, uint64_t *buf_sizes)
{
	uint32_t s;

	memset(stages, 0, w->nr_stages * sizeof(*stages));
	for (s = 0; s < w->nr_stages; s++) {
		stages[s].cluster_id = (s + idx) % w->nr_clusters;
		stages[s].first_layer = s * 10;
		stages[s].nr_layers = 10;
		stages[s].cost_ns = CTL_STAGE_COST;
		/* A pipeline: stage s reads buffer s and writes buffer s + 1. */
		stages[s].in_mask = 1ULL << s;
		stages[s].out_mask = 1ULL << (s + 1);
	}
	for (s = 0; s <= w->nr_stages; s++)
		buf_sizes[s] = CTL_BUF_SIZE;
}

void ctl_executor(const struct ctl_work *w, uint32_t cluster, int ready_fd)
{
	struct ctl_client c;
	char one = 1;
	uint64_t t;
	int ret;

	ret = ctl_connect(w, &c);
	if (ret)
		ctl_fail(NULL, "executor: open", ret);
	if (w->path == CTL_KERNEL) {
		struct edgeai_task task;

		ret = edgeai_exec_attach(c.dev, cluster);
		if (ret)
			ctl_fail(NULL, "executor: attach", ret);
		if (write(ready_fd, &one, 1) != 1)
			_exit(1);
		for (;;) {
			ret = edgeai_exec_fetch(c.dev, &task);
			if (ret == -EINTR)
				continue;
			if (ret)
				ctl_fail(NULL, "executor: fetch", ret);
			t = edgeai_now_ns();
			edgeai_task_close(&task);
			ret = edgeai_exec_complete(c.dev, &task, 0,
						   edgeai_now_ns() - t, 0);
			if (ret)
				ctl_fail(NULL, "executor: complete", ret);
		}
	} else {
		struct ubc_task task;

		ret = ubc_attach(c.sock, cluster);
		if (ret)
			ctl_fail(NULL, "executor: attach", ret);
		if (write(ready_fd, &one, 1) != 1)
			_exit(1);
		for (;;) {
			ret = ubc_fetch(c.sock, &task);
			if (ret == -ECONNRESET)
				_exit(0);	/* the broker went first */
			if (ret)
				ctl_fail(NULL, "executor: fetch", ret);
			t = edgeai_now_ns();
			ubc_task_close(&task);
			ret = ubc_complete(c.sock, &task, 0,
					   edgeai_now_ns() - t, 0);
			if (ret)
				ctl_fail(NULL, "executor: complete", ret);
		}
	}
}

/* One finished job, as either path reports it. */
struct ctl_end {
	uint64_t cookie;
	uint32_t status;
	int error;
	uint64_t latency_ns;
};

static int ctl_submit(struct ctl_client *c, const struct edgeai_job_spec *spec,
		      uint64_t tag)
{
	if (c->path == CTL_KERNEL)
		return edgeai_submit(c->dev, spec, NULL);
	return ubc_submit(c->sock, spec, tag);
}

static int ctl_wait(struct ctl_client *c, struct ctl_end *end)
{
	int ret;

	if (c->path == CTL_KERNEL) {
		struct edgeai_result r;

		ret = edgeai_wait(c->dev, 0, 0, 0, &r);
		if (ret)
			return ret;
		end->cookie = r.wait.cookie;
		end->status = r.wait.status;
		end->error = r.wait.error;
		end->latency_ns = r.wait.finish_ns - r.wait.submit_ns;
	} else {
		union ub_msg m;

		ret = ubc_wait(c->sock, &m);
		if (ret < 0)
			return ret;
		if (ret == UB_REJECT)
			return m.reject.error;
		end->cookie = m.done.cookie;
		end->status = m.done.status;
		end->error = m.done.error;
		end->latency_ns = m.done.finish_ns - m.done.submit_ns;
	}
	return 0;
}

void ctl_submitter(const struct ctl_work *w, uint32_t idx, int ready_fd,
		   int go_fd, struct ctl_sub_result *res)
{
	struct edgeai_stage stages[UB_MAX_STAGES];
	uint64_t sizes[UB_MAX_BUFFERS];
	uint32_t nr_bufs = w->nr_stages + 1, slot, submitted = 0;
	struct edgeai_graph_spec g = {
		.name = "bench", .nr_stages = w->nr_stages, .stages = stages,
		.nr_buffers = nr_bufs, .buf_sizes = sizes,
	};
	/* One set of buffers per job in flight, reused as jobs end. */
	int bufs[w->window][UB_MAX_BUFFERS];
	struct edgeai_job_spec spec = { .nr_buffers = nr_bufs };
	struct ctl_client c;
	struct ctl_end end = { 0 };
	char one = 1;
	int ret;

	memset(res, 0, sizeof(*res));
	ret = ctl_connect(w, &c);
	if (ret)
		ctl_fail(res, "submitter: open", ret);
	ctl_graph_stages(w, idx, stages, sizes);
	g.model_fd = edgeai_buffer_create("model", CTL_BUF_SIZE);
	if (g.model_fd < 0)
		ctl_fail(res, "submitter: model", g.model_fd);
	ret = w->path == CTL_KERNEL ? edgeai_graph_create(c.dev, &g, &spec.graph_id) :
				      ubc_graph_create(c.sock, &g, &spec.graph_id);
	if (ret)
		ctl_fail(res, "submitter: graph", ret);
	for (slot = 0; slot < w->window; slot++) {
		ret = edgeai_buffers_create("buf", nr_bufs, sizes, bufs[slot]);
		if (ret)
			ctl_fail(res, "submitter: buffers", ret);
	}
	/* Half the submitters are interactive, the others normal. */
	spec.priority = idx % 2 ? EDGEAI_PRIO_HIGH : EDGEAI_PRIO_NORMAL;

	if (write(ready_fd, &one, 1) != 1 || read(go_fd, &one, 1) != 0)
		ctl_fail(res, "submitter: start", -EPIPE);

	for (;;) {
		if (submitted < w->jobs &&
		    submitted - res->done - res->misses < w->window) {
			slot = submitted < w->window ? submitted : (uint32_t)end.cookie;
			spec.cookie = slot;
			spec.buf_fds = bufs[slot];
			/* Deadlines 50-200 ms out, so EDF has work to do. */
			spec.deadline_ns = edgeai_now_ns() + (1 + submitted % 4) * 50 * MS;
			ret = ctl_submit(&c, &spec, submitted);
			if (ret)
				ctl_fail(res, "submit", ret);
			submitted++;
			continue;
		}
		if (res->done + res->misses == w->jobs)
			break;
		ret = ctl_wait(&c, &end);
		if (ret)
			ctl_fail(res, "wait", ret);
		if (end.status == EDGEAI_JOB_DEADLINE_MISSED)
			res->misses++;
		else if (end.status == EDGEAI_JOB_DONE)
			res->done++;
		else
			ctl_fail(res, edgeai_status_name(end.status),
				 end.error ? end.error : -EIO);
		res->latency_ns += end.latency_ns;
	}
	res->end_ns = edgeai_now_ns();
	_exit(0);
}
