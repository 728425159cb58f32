/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A worker: one thread, one /dev/edgeai file attached to one cluster, one
 * backend.  It fetches the cluster's stages, runs them, completes them
 * with their measured time and energy, and closes the files it got.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAID_WORKER_H
#define EDGEAID_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <edgeai.h>

#include "config.h"

struct backend_ops;
struct llm_sessions;

struct worker {
	uint32_t cluster_id;
	struct edgeai_cluster_desc desc;	/* name, kind, steps, CPUs */
	struct conf_cluster conf;		/* resolved settings */
	bool pin;				/* pin to conf.cpus */
	const struct backend_ops *backend;
	void *state;				/* the backend's */
	struct llm_sessions *llm;		/* sessions' decoder state */
	struct edgeai *handle;			/* attached to the cluster */
	int stop_fd;				/* readable: stop between stages */
	pthread_t thread;
	bool started;

	/* Counters for the exit summary; only the worker writes them. */
	uint64_t nr_ok, nr_failed, busy_ns;
	int fatal;				/* why the worker gave up, or 0 */
};

/* Open a file, attach it to the cluster and set the backend up. */
int worker_prepare(struct worker *w);
/* The thread's body. */
void *worker_main(void *arg);
/* Close the file (a fetched stage goes back to the kernel) and clean up. */
void worker_release(struct worker *w);

/* Index of the cluster's step at @khz (the highest one at or below it). */
unsigned int worker_freq_step(const struct worker *w, uint32_t khz);

#endif /* EDGEAID_WORKER_H */
