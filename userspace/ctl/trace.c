// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl trace: building the Trace Event Format JSON.
 *
 * Stage slices are kept until the end: they arrive when their job ends,
 * not in start order, and lanes can only be given once every slice of a
 * cluster is known (sorted by start, each slice takes the first lane that
 * is free by then).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

#define TRACE_MAX_LANES	32

struct trace_cluster {
	bool named;
	char name[EDGEAI_NAME_LEN];
	char kind[8];
	uint32_t max_khz;
	unsigned int lanes;
};

struct trace_stage {
	uint32_t cluster;
	uint64_t start, end;
	char name[EDGEAI_NAME_LEN + 16];
	json_object *args;
	unsigned int lane;
};

struct trace {
	struct trace_cluster clusters[CTL_MAX_CLUSTERS];
	struct trace_stage *stages;
	unsigned int nr_stages, cap_stages;
	json_object *events;	/* counters and instants, in arrival order */
};

struct trace *trace_new(void)
{
	struct trace *t = calloc(1, sizeof(*t));

	if (t)
		t->events = json_object_new_array();
	return t;
}

void trace_free(struct trace *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < t->nr_stages; i++)
		json_object_put(t->stages[i].args);
	free(t->stages);
	json_object_put(t->events);
	free(t);
}

void trace_cluster(struct trace *t, uint32_t id, const char *name,
		   const char *kind, uint32_t max_khz)
{
	struct trace_cluster *c;

	if (id >= CTL_MAX_CLUSTERS)
		return;
	c = &t->clusters[id];
	c->named = true;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->kind, sizeof(c->kind), "%s", kind ? kind : "");
	c->max_khz = max_khz;
}

/* Microseconds with three decimals, exactly: 1234567 ns is 1234.567. */
static json_object *us(uint64_t ns)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
	return json_object_new_double_s((double)ns / 1000.0, buf);
}

static json_object *event_base(const char *name, const char *ph, int pid,
			       int tid, uint64_t ts_ns)
{
	json_object *e = json_object_new_object();

	json_object_object_add(e, "name", json_object_new_string(name));
	json_object_object_add(e, "ph", json_object_new_string(ph));
	json_object_object_add(e, "pid", json_object_new_int(pid));
	json_object_object_add(e, "tid", json_object_new_int(tid));
	json_object_object_add(e, "ts", us(ts_ns));
	return e;
}

void trace_freq(struct trace *t, uint32_t cluster, uint64_t ts_ns, uint32_t khz)
{
	json_object *e, *args;

	if (cluster >= CTL_MAX_CLUSTERS)
		return;
	e = event_base("frequency", "C", TRACE_PID_CLUSTER(cluster), 0, ts_ns);
	args = json_object_new_object();
	json_object_object_add(args, "kHz", json_object_new_int64(khz));
	json_object_object_add(e, "args", args);
	json_object_array_add(t->events, e);
}

void trace_stage(struct trace *t, uint32_t cluster, uint64_t start_ns,
		 uint64_t end_ns, const char *name, json_object *args)
{
	struct trace_stage *s;

	if (cluster >= CTL_MAX_CLUSTERS || end_ns < start_ns) {
		json_object_put(args);
		return;
	}
	if (t->nr_stages == t->cap_stages) {
		unsigned int cap = t->cap_stages ? 2 * t->cap_stages : 256;
		struct trace_stage *n = realloc(t->stages, cap * sizeof(*n));

		if (!n) {
			json_object_put(args);
			return;
		}
		t->stages = n;
		t->cap_stages = cap;
	}
	s = &t->stages[t->nr_stages++];
	memset(s, 0, sizeof(*s));
	s->cluster = cluster;
	s->start = start_ns;
	s->end = end_ns;
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->args = args;
}

void trace_instant(struct trace *t, int64_t cluster, uint64_t ts_ns,
		   const char *name, json_object *args)
{
	json_object *e;

	if (cluster >= CTL_MAX_CLUSTERS) {
		json_object_put(args);
		return;
	}
	e = event_base(name, "i", cluster < 0 ? TRACE_PID_EDGEAI :
		       TRACE_PID_CLUSTER(cluster), cluster < 0 ? 1 : 0, ts_ns);
	/* Per process on a cluster, so it spans the cluster's lanes. */
	json_object_object_add(e, "s", json_object_new_string(cluster < 0 ? "t" : "p"));
	if (args)
		json_object_object_add(e, "args", args);
	json_object_array_add(t->events, e);
}

static json_object *job_args(const struct edgeai_event *ev, uint32_t stage)
{
	json_object *a = json_object_new_object();

	json_object_object_add(a, "job_id", ctl_json_u64(ev->job_id));
	json_object_object_add(a, "pid", json_object_new_int64(ev->pid));
	json_object_object_add(a, "graph", json_object_new_string(ev->graph_name));
	json_object_object_add(a, "stage", json_object_new_int64(stage));
	if (stage < ev->nr_stages)
		json_object_object_add(a, "freq_khz",
				       json_object_new_int64(ev->stages[stage].freq_khz));
	if (edgeai_event_has(ev, EDGEAI_NL_A_STATUS))
		json_object_object_add(a, "status",
				       json_object_new_string(edgeai_status_name(ev->status)));
	if (edgeai_event_has(ev, EDGEAI_NL_A_EXIT)) {
		json_object_object_add(a, "exit", json_object_new_int64(ev->exit_index));
		json_object_object_add(a, "accuracy_ppm",
				       json_object_new_int64(ev->accuracy_ppm));
	}
	return a;
}

void trace_event(struct trace *t, const struct edgeai_event *ev,
		 uint64_t now_ns, uint64_t since_ns)
{
	uint64_t ts = edgeai_event_has(ev, EDGEAI_NL_A_TIME_NS) ? ev->time_ns : now_ns;
	int64_t cl = edgeai_event_has(ev, EDGEAI_NL_A_CLUSTER_ID) ?
		(int64_t)ev->cluster_id : -1;
	json_object *a;
	uint32_t i;

	switch (ev->type) {
	case EDGEAI_NL_CMD_FREQ_CHANGE:
		if (cl >= 0)
			trace_freq(t, (uint32_t)cl, ts, ev->freq_khz);
		return;
	case EDGEAI_NL_CMD_GOVERNOR_CHANGE:
		a = json_object_new_object();
		json_object_object_add(a, "old", json_object_new_string(ev->governor_old));
		json_object_object_add(a, "new", json_object_new_string(ev->governor));
		trace_instant(t, cl, ts, "governor", a);
		return;
	case EDGEAI_NL_CMD_EXEC_ATTACH:
	case EDGEAI_NL_CMD_EXEC_DETACH:
	case EDGEAI_NL_CMD_FREQ_CAPPED:
	case EDGEAI_NL_CMD_OVERLOAD:
	case EDGEAI_NL_CMD_JOB_REJECTED:
	case EDGEAI_EVENT_MODULE_UNLOADED:
	case EDGEAI_EVENT_MODULE_LOADED:
	case EDGEAI_EVENT_OVERRUN:
		a = ctl_event_json(ev, ts);
		json_object_object_del(a, "event");
		json_object_object_del(a, "time_ns");
		trace_instant(t, ev->type == EDGEAI_NL_CMD_JOB_REJECTED ? -1 : cl, ts,
			      edgeai_event_name(ev->type), a);
		return;
	case EDGEAI_NL_CMD_JOB_DONE:
		break;
	default:
		return;
	}
	for (i = 0; i < ev->nr_stages; i++) {
		const struct edgeai_event_stage *st = &ev->stages[i];
		char name[EDGEAI_NAME_LEN + 16];

		if (!st->start_ns || !st->end_ns || st->end_ns < since_ns)
			continue;
		snprintf(name, sizeof(name), "%s #%" PRIu32,
			 ev->graph_name[0] ? ev->graph_name : "graph", i);
		trace_stage(t, st->cluster_id, st->start_ns, st->end_ns, name,
			    job_args(ev, i));
	}
	if (ev->status == EDGEAI_JOB_DEADLINE_MISSED || ev->status == EDGEAI_JOB_DONE_EXIT ||
	    ev->status == EDGEAI_JOB_FAILED || ev->status == EDGEAI_JOB_EXEC_LOST)
		trace_instant(t, -1, ts, edgeai_status_name(ev->status),
			      job_args(ev, ev->nr_stages ? ev->nr_stages - 1 : 0));
}

unsigned int trace_nr_stages(const struct trace *t)
{
	return t->nr_stages;
}

unsigned int trace_nr_events(const struct trace *t)
{
	return t->nr_stages + (unsigned int)json_object_array_length(t->events);
}

static int by_start(const void *a, const void *b)
{
	const struct trace_stage *x = a, *y = b;

	if (x->cluster != y->cluster)
		return x->cluster < y->cluster ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Sorted by cluster then start: each slice takes the first lane free. */
static void assign_lanes(struct trace *t)
{
	uint64_t lane_end[TRACE_MAX_LANES];
	uint32_t cluster = UINT32_MAX;
	unsigned int i, l;

	/* qsort() of no array at all: undefined, say UBSan and glibc. */
	if (t->nr_stages)
		qsort(t->stages, t->nr_stages, sizeof(t->stages[0]), by_start);
	for (i = 0; i < t->nr_stages; i++) {
		struct trace_stage *s = &t->stages[i];
		struct trace_cluster *c = &t->clusters[s->cluster];

		if (s->cluster != cluster) {
			cluster = s->cluster;
			memset(lane_end, 0, sizeof(lane_end));
			c->lanes = 0;
		}
		for (l = 0; l < c->lanes; l++)
			if (lane_end[l] <= s->start)
				break;
		if (l == c->lanes) {
			if (c->lanes < TRACE_MAX_LANES)
				c->lanes++;
			else
				l = TRACE_MAX_LANES - 1;	/* overlaps, rather than lost */
		}
		s->lane = l;
		lane_end[l] = s->end;
	}
}

unsigned int trace_nr_lanes(const struct trace *t, uint32_t cluster)
{
	return cluster < CTL_MAX_CLUSTERS ? t->clusters[cluster].lanes : 0;
}

static json_object *meta(const char *what, int pid, int tid, const char *key,
			 json_object *value)
{
	json_object *e = json_object_new_object(), *args = json_object_new_object();

	json_object_object_add(e, "name", json_object_new_string(what));
	json_object_object_add(e, "ph", json_object_new_string("M"));
	json_object_object_add(e, "pid", json_object_new_int(pid));
	json_object_object_add(e, "tid", json_object_new_int(tid));
	json_object_object_add(args, key, value);
	json_object_object_add(e, "args", args);
	return e;
}

/* Which clusters the trace mentions, named or not. */
static bool cluster_used(const struct trace *t, uint32_t id)
{
	size_t i, n = json_object_array_length(t->events);

	if (t->clusters[id].named || t->clusters[id].lanes)
		return true;
	for (i = 0; i < n; i++) {
		json_object *pid;

		if (json_object_object_get_ex(json_object_array_get_idx(t->events, i),
					      "pid", &pid) &&
		    json_object_get_int(pid) == TRACE_PID_CLUSTER((int)id))
			return true;
	}
	return false;
}

json_object *trace_json(struct trace *t)
{
	json_object *o = json_object_new_object(), *ev = json_object_new_array();
	json_object *other, *clusters = json_object_new_array();
	unsigned int i, l;
	size_t k;

	assign_lanes(t);
	json_object_array_add(ev, meta("process_name", TRACE_PID_EDGEAI, 0, "name",
				       json_object_new_string("edgeai")));
	json_object_array_add(ev, meta("process_sort_index", TRACE_PID_EDGEAI, 0,
				       "sort_index", json_object_new_int(0)));
	json_object_array_add(ev, meta("thread_name", TRACE_PID_EDGEAI, 1, "name",
				       json_object_new_string("jobs and module")));
	for (i = 0; i < CTL_MAX_CLUSTERS; i++) {
		const struct trace_cluster *c = &t->clusters[i];
		char name[64];
		int pid = TRACE_PID_CLUSTER((int)i);

		if (!cluster_used(t, i))
			continue;
		if (c->named) {
			json_object *d = json_object_new_object();

			json_object_object_add(d, "id", json_object_new_int64(i));
			json_object_object_add(d, "name", json_object_new_string(c->name));
			json_object_object_add(d, "kind", json_object_new_string(c->kind));
			json_object_object_add(d, "max_khz", json_object_new_int64(c->max_khz));
			json_object_array_add(clusters, d);
		}
		if (c->named && c->kind[0])
			snprintf(name, sizeof(name), "cluster %s (%s)", c->name, c->kind);
		else if (c->named)
			snprintf(name, sizeof(name), "cluster %s", c->name);
		else
			snprintf(name, sizeof(name), "cluster %u", i);
		json_object_array_add(ev, meta("process_name", pid, 0, "name",
					       json_object_new_string(name)));
		json_object_array_add(ev, meta("process_sort_index", pid, 0,
					       "sort_index", json_object_new_int(1 + (int)i)));
		for (l = 0; l < (c->lanes ? c->lanes : 1); l++) {
			snprintf(name, sizeof(name), l ? "stages %u" : "stages", l + 1);
			json_object_array_add(ev, meta("thread_name", pid, (int)l + 1,
						       "name", json_object_new_string(name)));
		}
	}
	for (k = 0; k < json_object_array_length(t->events); k++)
		json_object_array_add(ev, json_object_get(
			json_object_array_get_idx(t->events, k)));
	for (i = 0; i < t->nr_stages; i++) {
		const struct trace_stage *s = &t->stages[i];
		json_object *e = event_base(s->name, "X", TRACE_PID_CLUSTER((int)s->cluster),
					    (int)s->lane + 1, s->start);

		json_object_object_add(e, "dur", us(s->end - s->start));
		json_object_object_add(e, "cat", json_object_new_string("stage"));
		if (s->args)
			json_object_object_add(e, "args", json_object_get(s->args));
		json_object_array_add(ev, e);
	}
	json_object_object_add(o, "traceEvents", ev);
	json_object_object_add(o, "displayTimeUnit", json_object_new_string("ms"));
	other = json_object_new_object();
	json_object_object_add(other, "producer", json_object_new_string("edgeaictl trace"));
	json_object_object_add(other, "clock", json_object_new_string("CLOCK_MONOTONIC"));
	json_object_object_add(other, "clusters", clusters);
	json_object_object_add(o, "otherData", other);
	return o;
}
