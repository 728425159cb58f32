// SPDX-License-Identifier: GPL-2.0-only
/*
 * Workers: fetch, run, complete, close, until told to stop.
 *
 * Stopping is checked between stages only: a stage that started runs to
 * its end and is completed.  The worker waits in poll() on its executor
 * file and the daemon's stop descriptor, and fetches without blocking, so
 * a stop never has to interrupt a fetch.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "llm_session.h"
#include "log.h"
#include "worker.h"

unsigned int worker_freq_step(const struct worker *w, uint32_t khz)
{
	unsigned int i, n = w->desc.info.nr_freqs, step = 0;

	if (n > EDGEAI_MAX_FREQS)
		n = EDGEAI_MAX_FREQS;
	for (i = 0; i < n; i++)
		if (w->desc.freqs_khz[i] <= khz)
			step = i;
	return step;
}

int worker_prepare(struct worker *w)
{
	const char *name = w->desc.info.name;
	int ret;

	ret = edgeai_open(&w->handle);
	if (ret) {
		log_err("%s: cannot open the device: %s", name, strerror(-ret));
		return ret;
	}
	ret = edgeai_exec_attach(w->handle, w->cluster_id);
	if (ret) {
		log_err("%s: cannot attach as its executor: %s", name, edgeai_strerror(ret));
		goto err;
	}
	ret = edgeai_set_nonblocking(w->handle, 1);
	if (ret)
		goto err;
	w->llm = llm_sessions_new();
	if (!w->llm) {
		ret = -ENOMEM;
		goto err;
	}
	ret = w->backend->init(w);
	/* Model-less graphs on an armnn cluster run on the sim backend. */
	if (!ret && w->backend == &armnn_backend)
		ret = sim_backend.init(w);
	if (ret)
		goto err;
	return 0;
err:
	llm_sessions_free(w->llm);
	w->llm = NULL;
	edgeai_close(w->handle);
	w->handle = NULL;
	return ret;
}

void worker_release(struct worker *w)
{
	if (w->handle) {
		w->backend->exit(w);
		edgeai_close(w->handle);
	}
	llm_sessions_free(w->llm);
	w->llm = NULL;
	w->handle = NULL;
}

/*
 * Run one fetched stage and complete it; -errno only when completing fails.
 * A graph without a model file (a plan of a board profile's layers) has
 * nothing for Arm NN to run: on an armnn cluster the sim backend runs it.
 */
static int run_stage(struct worker *w, struct edgeai_task *task)
{
	const struct edgeai_exec_fetch *f = &task->fetch;
	const struct backend_ops *b = w->backend;
	struct stage_result res = { 0 };
	int status, ret, eos = 0;

	if (b == &armnn_backend && f->model_fd < 0)
		b = &sim_backend;
	if (f->session_key) {
		/* An LLM session's stage runs on the decoder, whatever the backend. */
		uint64_t t0 = edgeai_now_ns();

		status = llm_session_run(w->llm, task, &eos);
		res.exec_ns = edgeai_now_ns() - t0;
		snprintf(res.note, sizeof(res.note), "llm token %u%s", f->token,
			 eos ? ", end of sequence" : "");
	} else {
		status = b->run(w, task, &res);
	}
	if (eos)
		ret = edgeai_exec_complete_eos(w->handle, task, res.exec_ns, res.energy_uj);
	else
		ret = edgeai_exec_complete(w->handle, task, status, res.exec_ns,
					   res.energy_uj);
	if (status) {
		w->nr_failed++;
		log_warn("%s: graph \"%s\" stage %u/%u of pid %u failed: %s", w->desc.info.name,
			 f->graph_name, f->stage + 1, f->nr_stages, f->submitter_pid,
			 strerror(-status));
	} else {
		w->nr_ok++;
		log_debug("%s: graph \"%s\" stage %u/%u layers [%u, %u) of pid %u: %.3f ms, %llu uJ (%s)",
			  w->desc.info.name, f->graph_name, f->stage + 1, f->nr_stages,
			  f->first_layer, f->first_layer + f->nr_layers, f->submitter_pid,
			  (double)res.exec_ns / 1e6, (unsigned long long)res.energy_uj, res.note);
	}
	w->busy_ns += res.exec_ns;
	edgeai_task_close(task);
	if (ret)
		log_err("%s: EXEC_COMPLETE failed: %s", w->desc.info.name, edgeai_strerror(ret));
	return ret;
}

void *worker_main(void *arg)
{
	struct worker *w = arg;
	const char *name = w->desc.info.name;
	struct edgeai_task task;
	int ret;

	if (w->pin && sched_setaffinity(0, sizeof(w->conf.cpus), &w->conf.cpus) < 0)
		log_warn("%s: cannot pin to its CPUs: %s", name, strerror(errno));

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = edgeai_fd(w->handle), .events = POLLIN },
			{ .fd = w->stop_fd, .events = POLLIN },
		};
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			w->fatal = -errno;
			break;
		}
		if (pfd[1].revents)
			break;
		if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			w->fatal = -EIO;
			log_err("%s: the executor file reports an error", name);
			break;
		}
		if (!(pfd[0].revents & POLLIN))
			continue;
		ret = edgeai_exec_fetch(w->handle, &task);
		if (ret == -EAGAIN || ret == -EINTR)
			continue;	/* another executor of the cluster was first */
		if (ret) {
			log_err("%s: EXEC_FETCH failed: %s", name, edgeai_strerror(ret));
			w->fatal = ret;
			break;
		}
		ret = run_stage(w, &task);
		if (ret) {
			w->fatal = ret;
			break;
		}
	}
	return NULL;
}
