/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a backend does for a worker: set up once, run stages, clean up.
 *
 * run() gets the fetched stage (layers, buffer masks, model and buffer
 * descriptors, the cluster's frequency) and returns 0 or a negative errno,
 * which the worker passes to EXEC_COMPLETE as the stage's status.  It
 * reports the stage's run time and, when it knows it, its energy.  The
 * worker owns the descriptors and closes them after completing.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAID_BACKEND_H
#define EDGEAID_BACKEND_H

#include <stdint.h>

#include <edgeai.h>

struct worker;

struct stage_result {
	uint64_t exec_ns;
	uint64_t energy_uj;	/* 0: unknown */
	char note[96];		/* for the -v log line, e.g. the Arm NN backend */
};

struct backend_ops {
	const char *name;
	/* Per worker, in the main thread before the workers start. */
	int (*init)(struct worker *w);
	int (*run)(struct worker *w, const struct edgeai_task *task, struct stage_result *res);
	void (*exit)(struct worker *w);
};

extern const struct backend_ops sim_backend;
extern const struct backend_ops armnn_backend;

/* Energy in uJ of @ns at @mw. */
static inline uint64_t energy_uj(uint64_t mw, uint64_t ns)
{
	return (uint64_t)((double)mw * (double)ns / 1e6);
}

#endif /* EDGEAID_BACKEND_H */
