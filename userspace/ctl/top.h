/* SPDX-License-Identifier: GPL-2.0-only */
/* edgeaictl top: per-graph figures from job events (host-tested). */
#ifndef EDGEAICTL_TOP_H
#define EDGEAICTL_TOP_H

#include "ctl.h"

#define TOP_MAX_GRAPHS	64

/* One graph of one process, over the last refresh and in total. */
struct top_graph {
	uint32_t pid;
	uint32_t graph_id;
	char name[EDGEAI_NAME_LEN];
	uint64_t jobs, misses, failed;
	uint64_t latency_sum, latency_max;
	uint64_t jobs_total, misses_total, failed_total;
};

struct top_graphs {
	unsigned int nr;
	struct top_graph graphs[TOP_MAX_GRAPHS];
};

struct top_graph *top_graph_of(struct top_graphs *g, uint32_t pid,
			       uint32_t graph_id, const char *name);
/* Counts a job-done event (others are ignored). */
void top_graphs_add(struct top_graphs *g, const struct edgeai_event *ev);
/* Starts a new refresh interval. */
void top_graphs_tick(struct top_graphs *g);
/* Busy time over wall time, in percent (0 if the counter went back). */
double top_busy_pct(uint64_t busy_prev, uint64_t busy_now, uint64_t wall_ns);

#endif /* EDGEAICTL_TOP_H */
