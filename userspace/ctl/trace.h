/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeaictl trace: a recording in the Trace Event Format (the JSON that
 * Perfetto and chrome://tracing open).  Host-tested.
 *
 * Each cluster is a process ("cluster big (cpu)") whose threads are lanes
 * of stage slices (stages that overlap on a cluster with several
 * executors go to separate lanes) and whose counter "frequency" is its
 * frequency in kHz.  Job, module and socket events go to an "edgeai"
 * process.  Timestamps are CLOCK_MONOTONIC in microseconds.  otherData
 * says what made the file and lists the clusters named (id, name, kind,
 * max_khz) for tools that read it back (edgeaictl timeline).
 */
#ifndef EDGEAICTL_TRACE_H
#define EDGEAICTL_TRACE_H

#include "ctl.h"

struct trace;

/* Process ids in the trace: the "edgeai" track, and cluster n's. */
#define TRACE_PID_EDGEAI	1
#define TRACE_PID_CLUSTER(n)	(10 + (n))

struct trace *trace_new(void);
void trace_free(struct trace *t);
/* Names a cluster's track (one not named shows as "cluster N"), with its
 * top frequency (0: unknown), which otherData.clusters records. */
void trace_cluster(struct trace *t, uint32_t id, const char *name,
		   const char *kind, uint32_t max_khz);
void trace_freq(struct trace *t, uint32_t cluster, uint64_t ts_ns, uint32_t khz);
/* A stage slice; @args (may be NULL) becomes the trace's. */
void trace_stage(struct trace *t, uint32_t cluster, uint64_t start_ns,
		 uint64_t end_ns, const char *name, json_object *args);
/* An instant event on a cluster's track, or with @cluster < 0 on the
 * "edgeai" one; @args (may be NULL) becomes the trace's. */
void trace_instant(struct trace *t, int64_t cluster, uint64_t ts_ns,
		   const char *name, json_object *args);
/* Records what an event shows; @now_ns stands for events without a time.
 * Stages of jobs that ended before @since_ns are left out. */
void trace_event(struct trace *t, const struct edgeai_event *ev,
		 uint64_t now_ns, uint64_t since_ns);

/* Counts, for the summary. */
unsigned int trace_nr_stages(const struct trace *t);
unsigned int trace_nr_events(const struct trace *t);
unsigned int trace_nr_lanes(const struct trace *t, uint32_t cluster);

/* The whole trace: {"traceEvents": [...], "displayTimeUnit": "ms", ...}.
 * The caller releases it. */
json_object *trace_json(struct trace *t);

#endif /* EDGEAICTL_TRACE_H */
