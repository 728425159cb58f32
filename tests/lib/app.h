/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A submitter of the VM tests through libedgeai: a single-stage graph on
 * one cluster with its job's two buffers; a job's JOB_DONE event.
 */
#ifndef EDGEAI_TESTS_APP_H
#define EDGEAI_TESTS_APP_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include <edgeai.h>

struct app {
	struct edgeai *h;
	uint32_t graph;
	int fds[2];
};

/* A stage of @cost_ns at @cluster's top step; 0, or -1. */
static inline int app_open(struct app *a, const char *cluster, uint64_t cost_ns)
{
	struct edgeai_stage st = { .nr_layers = 1, .cost_ns = cost_ns, .in_mask = 1,
				   .out_mask = 2 };
	struct edgeai_graph_spec spec = { .name = "app", .model_fd = -1, .nr_stages = 1,
					  .stages = &st, .nr_buffers = 2 };
	uint64_t sizes[2] = { 64, 64 };
	int id;

	if (edgeai_open(&a->h))
		return -1;
	id = edgeai_cluster_find(a->h, cluster);
	if (id < 0)
		return -1;
	st.cluster_id = (uint32_t)id;
	if (edgeai_graph_create(a->h, &spec, &a->graph))
		return -1;
	return edgeai_buffers_create("app", 2, sizes, a->fds);
}

/* A NORMAL job by @deadline (0: none) with submit @flags; libedgeai's return. */
static inline int app_submit(struct app *a, uint64_t deadline, uint32_t flags, uint64_t *id)
{
	struct edgeai_job_spec js = { .graph_id = a->graph, .priority = EDGEAI_PRIO_NORMAL,
				      .deadline_ns = deadline, .flags = flags, .nr_buffers = 2,
				      .buf_fds = a->fds };

	return edgeai_submit(a->h, &js, id);
}

static inline void app_close(struct app *a)
{
	edgeai_buffers_close(2, a->fds);
	edgeai_close(a->h);
}

/* The JOB_DONE event of @job on @l, waiting up to a second. */
static inline bool job_event(struct edgeai_listener *l, uint64_t job, struct edgeai_event *ev)
{
	uint64_t end = edgeai_now_ns() + 1000000000ULL;

	if (!l)
		return false;
	while (edgeai_now_ns() < end) {
		int r = edgeai_listener_next(l, ev);

		if (r == -EAGAIN || r == 0) {
			usleep(10000);
			continue;
		}
		if (r < 0)
			return false;
		if (ev->type == EDGEAI_NL_CMD_JOB_DONE && ev->job_id == job)
			return true;
	}
	return false;
}

#endif
