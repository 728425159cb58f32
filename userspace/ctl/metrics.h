/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeaictl metrics: edgeai's state in Prometheus' text exposition format
 * (version 0.0.4), for node_exporter's textfile collector or any scraper.
 * Host-tested.
 *
 * What a snapshot holds (module counters, per-cluster frequency, busy
 * time, energy, queues, time in each frequency step) is written as it is;
 * per-graph latency histograms and deadline misses are accumulated from
 * job events (metrics_event()) since the collector started, as Prometheus
 * counters are.
 */
#ifndef EDGEAICTL_METRICS_H
#define EDGEAICTL_METRICS_H

#include <stdio.h>

#include "ctl.h"

struct metrics;

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);
/* Counts a finished job (JOB_DONE events; others are ignored). */
void metrics_event(struct metrics *m, const struct edgeai_event *ev);
/*
 * Writes the exposition of @s and, when @m is not NULL, of the graphs
 * seen; residency comes from each cluster's time_in_state in sysfs.
 * Returns 0, or -EIO.
 */
int metrics_write(struct ctl *ctl, const struct metrics *m,
		  const struct ctl_snapshot *s, FILE *f);

#endif /* EDGEAICTL_METRICS_H */
