// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl trace: record events for a while, write Trace Event Format
 * JSON (see trace.h for its layout).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "loop.h"
#include "nl.h"
#include "trace.h"

struct recording {
	struct trace *trace;
	uint64_t since;
};

static int on_event(const struct edgeai_event *ev, void *arg)
{
	struct recording *r = arg;

	trace_event(r->trace, ev, edgeai_now_ns(), r->since);
	return 0;
}

/* Names every cluster and samples its frequency at @ts. */
static void sample(struct ctl *ctl, struct trace *t, bool name)
{
	struct ctl_snapshot *s = malloc(sizeof(*s));
	uint32_t i;

	if (!s || ctl_snapshot(ctl, s)) {
		free(s);
		return;
	}
	for (i = 0; i < s->nr_clusters; i++) {
		const struct ctl_cluster *c = &s->clusters[i];

		if (name)
			trace_cluster(t, c->id, c->name, c->have & CL_KIND ?
				      edgeai_kind_name(c->kind) : NULL,
				      c->have & CL_FREQS && c->nr_freqs ?
				      c->freqs_khz[c->nr_freqs - 1] : 0);
		if (c->have & CL_CUR_FREQ)
			trace_freq(t, c->id, s->time_ns, c->cur_freq_khz);
	}
	free(s);
}

static int write_trace(struct ctl *ctl, json_object *o, const char *path)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		(ctl->pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN);
	const char *text = json_object_to_json_string_ext(o, flags);
	bool to_stdout = !strcmp(path, "-");
	FILE *f = to_stdout ? stdout : fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(text, f) < 0 || fputc('\n', f) < 0)
		ret = -EIO;
	if (to_stdout ? fflush(f) : fclose(f))
		ret = ret ? ret : -errno;
	return ret;
}

int ctl_cmd_trace(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd *cmd = ctl_cmd_named("trace");
	const char *path = "edgeai-trace.json", *arg;
	uint64_t duration = 5000000000ull, start, end;
	struct recording r = { 0 };
	struct edgeai_listener *l;
	struct ctl_args a;
	json_object *o;
	bool jobs;
	int key, ret;

	ctl_args_init(&a, cmd);
	while ((key = ctl_getopt(ctl, &a, argc, argv, &arg)) > 0) {
		switch (key) {
		case 'h':
			return CTL_EXIT_OK;
		case 'o':
			if (ctl_arg_file(ctl, "output", arg, &path))
				return CTL_EXIT_USAGE;
			break;
		case 't':
			if (ctl_arg_duration(ctl, "duration", "a duration (e.g. 5s, 500ms)",
					     arg, 0, &duration))
				return CTL_EXIT_USAGE;
			break;
		}
	}
	if (key < 0 || ctl_check_operands(ctl, cmd, argc, 0, 0))
		return CTL_EXIT_USAGE;
	if (ctl->json && !strcmp(path, "-")) {
		ctl_err(ctl, "-j writes a summary on stdout: give the trace another --output");
		return CTL_EXIT_USAGE;
	}

	ctl_loop_signals();
	if (ctl_listener_open(ctl, &l, EDGEAI_LISTEN_EVENTS |
			      EDGEAI_LISTEN_JOBS_IF_PERMITTED | EDGEAI_LISTEN_WAIT))
		return CTL_EXIT_ERROR;
	edgeai_listener_set_nonblocking(l, 1);
	jobs = edgeai_listener_groups(l) & EDGEAI_LISTEN_JOBS;
	if (!jobs)
		ctl_warn(ctl, "stages left out: they come with job events, and %s",
			 ctl_no_jobs_reason(ctl, l));
	r.trace = trace_new();
	if (!r.trace) {
		edgeai_listener_close(l);
		return ctl_fail(ctl, -ENOMEM, "recording");
	}
	start = r.since = edgeai_now_ns();
	sample(ctl, r.trace, true);
	ret = ctl_loop_wait(l, start + duration, on_event, &r);
	end = edgeai_now_ns();
	sample(ctl, r.trace, false);
	edgeai_listener_close(l);
	if (ret < 0) {
		trace_free(r.trace);
		return ctl_fail(ctl, ret, "reading events");
	}

	o = trace_json(r.trace);
	ret = write_trace(ctl, o, path);
	json_object_put(o);
	if (ret) {
		trace_free(r.trace);
		return ctl_fail(ctl, ret, "writing %s", path);
	}
	if (ctl->json) {
		json_object *sum = json_object_new_object();

		json_object_object_add(sum, "output", json_object_new_string(path));
		json_object_object_add(sum, "start_ns", ctl_json_u64(start));
		json_object_object_add(sum, "duration_ns", ctl_json_u64(end - start));
		json_object_object_add(sum, "stages", json_object_new_int64(trace_nr_stages(r.trace)));
		json_object_object_add(sum, "events", json_object_new_int64(trace_nr_events(r.trace)));
		json_object_object_add(sum, "jobs_group", json_object_new_boolean(jobs));
		ctl_json_print(ctl, sum);
	} else {
		char d[32];

		fprintf(strcmp(path, "-") ? stdout : stderr,
			"wrote %s: %u stages, %u trace events over %s\n", path,
			trace_nr_stages(r.trace), trace_nr_events(r.trace),
			ctl_fmt_ns(d, sizeof(d), end - start));
	}
	trace_free(r.trace);
	return CTL_EXIT_OK;
}
