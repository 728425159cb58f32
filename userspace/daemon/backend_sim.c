// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sim backend: a stage takes the time its cost source says at the
 * cluster's frequency, spent asleep, and uses the energy it says.  The
 * buffers are left as they are.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "backend.h"
#include "log.h"
#include "sim_cost.h"
#include "worker.h"

static int sim_init(struct worker *w)
{
	if (!sim_cost_source((int)w->conf.sim_cost))
		return -EINVAL;
	if (w->conf.sim_cost == CONF_SIM_COST_BOARD && !sim_cost_board_loaded()) {
		log_err("cluster %s: sim_cost = board needs board = ... in [daemon]",
			w->desc.info.name);
		return -EINVAL;
	}
	return 0;
}

static int sim_run(struct worker *w, const struct edgeai_task *task, struct stage_result *res)
{
	const struct edgeai_exec_fetch *f = &task->fetch;
	const struct sim_cost_source *src = sim_cost_source((int)w->conf.sim_cost);
	struct sim_query q = {
		.graph_name = f->graph_name,
		.graph_key = f->graph_key,
		.model_fd = f->model_fd,
		.stage = f->stage,
		.first_layer = f->first_layer,
		.nr_layers = f->nr_layers,
		.cost_ns = f->cost_ns,
		.cluster_name = w->desc.info.name,
		.kind = w->desc.info.kind,
		.freq_khz = f->freq_khz,
		.max_freq_khz = w->desc.info.max_freq_khz,
		.freq_step = worker_freq_step(w, f->freq_khz),
		.nr_freqs = w->desc.info.nr_freqs,
		.power_mw = w->conf.power_set ? w->conf.power_mw : 0,
	};
	struct sim_estimate e;
	struct timespec start, until, end;
	int ret;

	/* A GPU or NPU runs as fast as its host lets it: ask its frequency. */
	if (w->desc.info.host_id >= 0) {
		struct edgeai_cluster_desc host;

		if (!edgeai_cluster_get(w->handle, (uint32_t)w->desc.info.host_id, &host))
			q.host_freq_khz = host.info.cur_freq_khz;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	ret = src->estimate(&q, &e);
	if (ret)
		return ret;
	until.tv_sec = start.tv_sec + (time_t)(e.time_ns / 1000000000u);
	until.tv_nsec = start.tv_nsec + (long)(e.time_ns % 1000000000u);
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	/* Signals are blocked in workers; EINTR cannot end the sleep early. */
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
		;
	clock_gettime(CLOCK_MONOTONIC, &end);
	res->exec_ns = (uint64_t)(end.tv_sec - start.tv_sec) * 1000000000u +
		       (uint64_t)end.tv_nsec - (uint64_t)start.tv_nsec;
	res->energy_uj = e.energy_uj;
	snprintf(res->note, sizeof(res->note), "sim %s, %u kHz, %.3f ms modelled",
		 src->name, q.freq_khz, (double)e.time_ns / 1e6);
	return 0;
}

static void sim_exit(struct worker *w)
{
	(void)w;
}

const struct backend_ops sim_backend = {
	.name = "sim",
	.init = sim_init,
	.run = sim_run,
	.exit = sim_exit,
};
