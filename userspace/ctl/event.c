// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl: events as JSON objects and as lines of text.
 *
 * JSON carries every attribute the message had, under a fixed key; the
 * text line says what happened in words.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <inttypes.h>
#include <string.h>

#include "ctl.h"

enum kind { U32, U64, STR, NAME_KIND, NAME_CONTROL, NAME_REASON, NAME_PRIO,
	    NAME_STATUS, NAME_STATE };

static const struct {
	unsigned int attr;
	const char *key;
	enum kind kind;
	size_t offset;
} fields[] = {
#define F(a, k, t, m) { a, k, t, offsetof(struct edgeai_event, m) }
	F(EDGEAI_NL_A_TIME_NS, "time_ns", U64, time_ns),
	F(EDGEAI_NL_A_CLUSTER_ID, "cluster_id", U32, cluster_id),
	F(EDGEAI_NL_A_CLUSTER_NAME, "cluster", STR, cluster_name),
	F(EDGEAI_NL_A_CLUSTER_KIND, "kind", NAME_KIND, kind),
	F(EDGEAI_NL_A_CLUSTER_CONTROL, "control", NAME_CONTROL, control),
	F(EDGEAI_NL_A_FREQ_KHZ, "freq_khz", U32, freq_khz),
	F(EDGEAI_NL_A_FREQ_OLD_KHZ, "old_freq_khz", U32, freq_old_khz),
	F(EDGEAI_NL_A_FREQ_REASON, "reason", NAME_REASON, freq_reason),
	F(EDGEAI_NL_A_GOVERNOR, "governor", STR, governor),
	F(EDGEAI_NL_A_GOVERNOR_OLD, "old_governor", STR, governor_old),
	F(EDGEAI_NL_A_NR_QUEUED, "queued", U32, nr_queued),
	F(EDGEAI_NL_A_NR_RUNNING, "running", U32, nr_running),
	F(EDGEAI_NL_A_NR_EXECUTORS, "executors", U32, nr_executors),
	F(EDGEAI_NL_A_BUSY_NS, "busy_ns", U64, busy_ns),
	F(EDGEAI_NL_A_STAGES_DONE, "stages_done", U64, stages_done),
	F(EDGEAI_NL_A_ENERGY_UJ, "energy_uj", U64, energy_uj),
	F(EDGEAI_NL_A_JOB_ID, "job_id", U64, job_id),
	F(EDGEAI_NL_A_PID, "pid", U32, pid),
	F(EDGEAI_NL_A_UID, "uid", U32, uid),
	F(EDGEAI_NL_A_GRAPH_ID, "graph_id", U32, graph_id),
	F(EDGEAI_NL_A_GRAPH_NAME, "graph", STR, graph_name),
	F(EDGEAI_NL_A_PRIO, "priority", NAME_PRIO, prio),
	F(EDGEAI_NL_A_STATUS, "status", NAME_STATUS, status),
	F(EDGEAI_NL_A_LATENCY_NS, "latency_ns", U64, latency_ns),
	F(EDGEAI_NL_A_DEADLINE_NS, "deadline_ns", U64, deadline_ns),
	F(EDGEAI_NL_A_SUBMIT_NS, "submit_ns", U64, submit_ns),
	F(EDGEAI_NL_A_STATE, "state", NAME_STATE, state),
	F(EDGEAI_NL_A_STAGE_INDEX, "stage", U32, stage_index),
	F(EDGEAI_NL_A_STAT_SUBMITTED, "submitted", U64, stat_submitted),
	F(EDGEAI_NL_A_STAT_COMPLETED, "completed", U64, stat_completed),
	F(EDGEAI_NL_A_STAT_FAILED, "failed", U64, stat_failed),
	F(EDGEAI_NL_A_STAT_CANCELLED, "cancelled", U64, stat_cancelled),
	F(EDGEAI_NL_A_STAT_DEADLINE_MISSES, "deadline_misses", U64,
	  stat_deadline_misses),
	F(EDGEAI_NL_A_STAT_REJECTED, "rejected", U64, stat_rejected),
	F(EDGEAI_NL_A_STAT_LIVE_JOBS, "live_jobs", U32, stat_live_jobs),
	F(EDGEAI_NL_A_EXIT, "exit", U32, exit_index),
	F(EDGEAI_NL_A_ACCURACY_PPM, "accuracy_ppm", U32, accuracy_ppm),
	F(EDGEAI_NL_A_STAT_EXITS_TAKEN, "exits_taken", U64, stat_exits_taken),
	F(EDGEAI_NL_A_TOKENS, "tokens", U32, tokens),
	F(EDGEAI_NL_A_STEP_NS, "step_ns", U64, step_ns),
	F(EDGEAI_NL_A_SESSION_END, "session_end", U32, session_end),
	F(EDGEAI_NL_A_FROZEN_NS, "frozen_ns", U64, frozen_ns),
	F(EDGEAI_NL_A_STAT_TOKENS, "tokens", U64, stat_tokens),
	F(EDGEAI_NL_A_STAT_FREEZES, "freezes", U64, stat_freezes),
#undef F
};

static json_object *field_json(const struct edgeai_event *ev, unsigned int i)
{
	const char *m = (const char *)ev + fields[i].offset;
	uint32_t v32 = *(const uint32_t *)m;

	switch (fields[i].kind) {
	case U32:
		return json_object_new_int64(v32);
	case U64:
		return ctl_json_u64(*(const uint64_t *)m);
	case STR:
		return json_object_new_string(m);
	case NAME_KIND:
		return json_object_new_string(edgeai_kind_name(v32));
	case NAME_CONTROL:
		return json_object_new_string(edgeai_control_name(v32));
	case NAME_REASON:
		return json_object_new_string(edgeai_freq_reason_name(v32));
	case NAME_PRIO:
		return json_object_new_string(edgeai_prio_name(v32));
	case NAME_STATUS:
		return json_object_new_string(edgeai_status_name(v32));
	case NAME_STATE:
		return json_object_new_string(edgeai_job_state_name(v32));
	}
	return NULL;
}

json_object *ctl_event_json(const struct edgeai_event *ev, uint64_t now_ns)
{
	json_object *o = json_object_new_object();
	unsigned int i;

	json_object_object_add(o, "event",
			       json_object_new_string(edgeai_event_name(ev->type)));
	if (!strcmp(edgeai_event_name(ev->type), "unknown"))
		json_object_object_add(o, "type", json_object_new_int64(ev->type));
	if (!edgeai_event_has(ev, EDGEAI_NL_A_TIME_NS) &&
	    ev->type >= EDGEAI_EVENT_MODULE_UNLOADED)
		json_object_object_add(o, "time_ns", ctl_json_u64(now_ns));
	if (ev->error)
		json_object_object_add(o, "error",
				       json_object_new_string(edgeai_strerror(ev->error)));

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (edgeai_event_has(ev, fields[i].attr))
			json_object_object_add(o, fields[i].key, field_json(ev, i));

	if (edgeai_event_has(ev, EDGEAI_NL_A_FREQS)) {
		json_object *a = json_object_new_array();

		for (i = 0; i < ev->nr_freqs; i++)
			json_object_array_add(a, json_object_new_int64(ev->freqs_khz[i]));
		json_object_object_add(o, "frequencies_khz", a);
	}
	if (edgeai_event_has(ev, EDGEAI_NL_A_STAGES)) {
		json_object *a = json_object_new_array();

		for (i = 0; i < ev->nr_stages; i++) {
			const struct edgeai_event_stage *st = &ev->stages[i];
			json_object *s = json_object_new_object();

			json_object_object_add(s, "cluster_id",
					       json_object_new_int64(st->cluster_id));
			json_object_object_add(s, "freq_khz",
					       json_object_new_int64(st->freq_khz));
			json_object_object_add(s, "start_ns", ctl_json_u64(st->start_ns));
			json_object_object_add(s, "end_ns", ctl_json_u64(st->end_ns));
			json_object_array_add(a, s);
		}
		json_object_object_add(o, "stages", a);
	}
	if (edgeai_event_has(ev, EDGEAI_NL_A_QUEUED_PRIO)) {
		json_object *q = json_object_new_object();

		for (i = 0; i < ev->nr_queued_prio; i++)
			json_object_object_add(q, edgeai_prio_name(i),
					       json_object_new_int64(ev->queued_prio[i]));
		json_object_object_add(o, "queued_by_priority", q);
	}
	/* Flags: say false as well as true where the event is about them. */
	if (ev->type == EDGEAI_NL_CMD_JOB_DONE ||
	    edgeai_event_has(ev, EDGEAI_NL_A_DEADLINE_MET))
		json_object_object_add(o, "deadline_met",
				       json_object_new_boolean(edgeai_event_has(
					       ev, EDGEAI_NL_A_DEADLINE_MET)));
	if (ev->type == EDGEAI_NL_CMD_EXEC_DETACH ||
	    edgeai_event_has(ev, EDGEAI_NL_A_EXEC_LOST))
		json_object_object_add(o, "exec_lost",
				       json_object_new_boolean(edgeai_event_has(
					       ev, EDGEAI_NL_A_EXEC_LOST)));
	return o;
}

static const char *cluster_of(const struct edgeai_event *ev, char *buf,
			      size_t size)
{
	if (ev->cluster_name[0])
		return ev->cluster_name;
	snprintf(buf, size, "cluster %" PRIu32, ev->cluster_id);
	return buf;
}

char *ctl_event_text(char *buf, size_t size, const struct edgeai_event *ev)
{
	char cl[48], a[32], b[32];
	const char *name = edgeai_event_name(ev->type);
	size_t len = 0;

#define OUT(...) do {							\
		if (len < size)						\
			len += snprintf(buf + len, size - len, __VA_ARGS__); \
	} while (0)

	buf[0] = 0;
	switch (ev->type) {
	case EDGEAI_NL_CMD_FREQ_CHANGE:
		OUT("%-15s %s %s -> %s", name, cluster_of(ev, cl, sizeof(cl)),
		    ctl_fmt_freq(a, sizeof(a), ev->freq_old_khz),
		    ctl_fmt_freq(b, sizeof(b), ev->freq_khz));
		if (edgeai_event_has(ev, EDGEAI_NL_A_FREQ_REASON))
			OUT(" (%s)", edgeai_freq_reason_name(ev->freq_reason));
		break;
	case EDGEAI_NL_CMD_GOVERNOR_CHANGE:
		OUT("%-15s %s %s -> %s", name, cluster_of(ev, cl, sizeof(cl)),
		    ev->governor_old[0] ? ev->governor_old : "?", ev->governor);
		break;
	case EDGEAI_NL_CMD_EXEC_ATTACH:
	case EDGEAI_NL_CMD_EXEC_DETACH:
		OUT("%-15s %s", name, cluster_of(ev, cl, sizeof(cl)));
		if (edgeai_event_has(ev, EDGEAI_NL_A_PID))
			OUT(" pid %" PRIu32, ev->pid);
		if (edgeai_event_has(ev, EDGEAI_NL_A_NR_EXECUTORS))
			OUT(", %" PRIu32 " executor%s now", ev->nr_executors,
			    ev->nr_executors == 1 ? "" : "s");
		if (edgeai_event_has(ev, EDGEAI_NL_A_EXEC_LOST))
			OUT(", it held a stage");
		break;
	case EDGEAI_NL_CMD_FREQ_CAPPED:
		OUT("%-15s %s held at %s by another limit", name,
		    cluster_of(ev, cl, sizeof(cl)),
		    ctl_fmt_freq(a, sizeof(a), ev->freq_khz));
		break;
	case EDGEAI_NL_CMD_OVERLOAD:
		OUT("%-15s %s cannot meet its deadlines", name,
		    cluster_of(ev, cl, sizeof(cl)));
		if (edgeai_event_has(ev, EDGEAI_NL_A_NR_QUEUED))
			OUT(" (%" PRIu32 " queued)", ev->nr_queued);
		break;
	case EDGEAI_NL_CMD_JOB_DONE:
	case EDGEAI_NL_CMD_JOB_REJECTED:
		OUT("%-15s", name);
		if (edgeai_event_has(ev, EDGEAI_NL_A_JOB_ID))
			OUT(" job %" PRIu64, ev->job_id);
		OUT(" pid %" PRIu32 " graph %s", ev->pid,
		    ev->graph_name[0] ? ev->graph_name : "?");
		if (edgeai_event_has(ev, EDGEAI_NL_A_PRIO))
			OUT(" %s", edgeai_prio_name(ev->prio));
		if (edgeai_event_has(ev, EDGEAI_NL_A_STATUS))
			OUT(" %s", edgeai_status_name(ev->status));
		if (edgeai_event_has(ev, EDGEAI_NL_A_EXIT))
			OUT(" at exit %" PRIu32 " (%.1f %%)", ev->exit_index,
			    ev->accuracy_ppm / 1e4);
		if (edgeai_event_has(ev, EDGEAI_NL_A_LATENCY_NS))
			OUT(" in %s", ctl_fmt_ns(a, sizeof(a), ev->latency_ns));
		if (ev->type == EDGEAI_NL_CMD_JOB_DONE &&
		    edgeai_event_has(ev, EDGEAI_NL_A_DEADLINE_NS))
			OUT(", deadline %s",
			    edgeai_event_has(ev, EDGEAI_NL_A_DEADLINE_MET) ?
			    "met" : "missed");
		if (ev->nr_stages)
			OUT(", %" PRIu32 " stage%s", ev->nr_stages,
			    ev->nr_stages == 1 ? "" : "s");
		if (edgeai_event_has(ev, EDGEAI_NL_A_ENERGY_UJ))
			OUT(", %" PRIu64 " uJ", ev->energy_uj);
		break;
	case EDGEAI_EVENT_MODULE_UNLOADED:
		OUT("%-15s edgeai.ko went away; waiting for it to come back",
		    name);
		break;
	case EDGEAI_EVENT_MODULE_LOADED:
		OUT("%-15s edgeai.ko is here; listening", name);
		if (ev->error)
			OUT(" (without jobs: %s)", edgeai_strerror(ev->error));
		break;
	case EDGEAI_EVENT_OVERRUN:
		OUT("%-15s events were lost: the socket's buffer was full", name);
		break;
	default: {
		json_object *o = ctl_event_json(ev, 0);

		OUT("event %" PRIu32 " %s", ev->type,
		    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
		break;
	}
	}
#undef OUT
	return buf;
}
