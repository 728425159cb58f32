// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl monitor: events as they come, one line each.
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
#include "opts.h"

struct monitor {
	struct ctl *ctl;
	struct edgeai_listener *l;
	uint64_t count, max;
	/* Names of the clusters, for events that give only an id. */
	char names[CTL_MAX_CLUSTERS][EDGEAI_NAME_LEN];
};

static void learn_names(struct monitor *m)
{
	struct ctl_snapshot *s = malloc(sizeof(*s));
	uint32_t i;

	memset(m->names, 0, sizeof(m->names));
	if (s && !ctl_snapshot(m->ctl, s))
		for (i = 0; i < s->nr_clusters; i++)
			if (s->clusters[i].id < CTL_MAX_CLUSTERS)
				strcpy(m->names[s->clusters[i].id], s->clusters[i].name);
	free(s);
}

static void print_line(struct monitor *m, uint64_t t, const char *text)
{
	(void)m;
	printf("[%5" PRIu64 ".%06" PRIu64 "] %s\n", (uint64_t)(t / 1000000000u),
	       (uint64_t)(t % 1000000000u / 1000), text);
	fflush(stdout);
}

static int on_event(const struct edgeai_event *cev, void *arg)
{
	struct monitor *m = arg;
	struct edgeai_event ev = *cev;
	uint64_t now = edgeai_now_ns();
	char text[512];

	if (ev.type == EDGEAI_EVENT_MODULE_LOADED)
		learn_names(m);
	if (!ev.cluster_name[0] && edgeai_event_has(&ev, EDGEAI_NL_A_CLUSTER_ID) &&
	    ev.cluster_id < CTL_MAX_CLUSTERS)
		strcpy(ev.cluster_name, m->names[ev.cluster_id]);
	if (m->ctl->json) {
		json_object *o = ctl_event_json(&ev, now);

		if (ev.type == EDGEAI_EVENT_MODULE_LOADED)
			json_object_object_add(o, "jobs_group", json_object_new_boolean(
				edgeai_listener_groups(m->l) & EDGEAI_LISTEN_JOBS));
		ctl_json_print(m->ctl, o);
	} else {
		print_line(m, edgeai_event_has(&ev, EDGEAI_NL_A_TIME_NS) ?
			   ev.time_ns : now, ctl_event_text(text, sizeof(text), &ev));
	}
	m->count++;
	return m->max && m->count >= m->max ? 1 : 0;
}

int ctl_cmd_monitor(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd *cmd = ctl_cmd_named("monitor");
	unsigned int flags = EDGEAI_LISTEN_EVENTS | EDGEAI_LISTEN_WAIT |
			     EDGEAI_LISTEN_JOBS_IF_PERMITTED;
	struct monitor m = { .ctl = ctl };
	uint64_t timeout = 0, until = 0;
	struct ctl_args a;
	const char *arg;
	uint32_t n;
	int key, ret;

	ctl_args_init(&a, cmd);
	while ((key = ctl_getopt(ctl, &a, argc, argv, &arg)) > 0) {
		switch (key) {
		case 'h':
			return CTL_EXIT_OK;
		case 'c':
			if (ctl_arg_count(ctl, "count", arg, &n))
				return CTL_EXIT_USAGE;
			m.max = n;
			break;
		case 't':
			if (ctl_arg_duration(ctl, "timeout", "a duration (e.g. 10s, 500ms)",
					     arg, 0, &timeout))
				return CTL_EXIT_USAGE;
			break;
		case OPT_JOBS:
			flags = (flags & ~EDGEAI_LISTEN_JOBS_IF_PERMITTED) | EDGEAI_LISTEN_JOBS;
			break;
		case OPT_NO_JOBS:
			flags &= ~(EDGEAI_LISTEN_JOBS | EDGEAI_LISTEN_JOBS_IF_PERMITTED);
			break;
		}
	}
	if (key < 0 || ctl_check_operands(ctl, cmd, argc, 0, 0))
		return CTL_EXIT_USAGE;

	ctl_loop_signals();
	ret = ctl_listener_open(ctl, &m.l, flags);
	if (ret)
		return CTL_EXIT_ERROR;
	edgeai_listener_set_nonblocking(m.l, 1);
	if (flags & EDGEAI_LISTEN_JOBS_IF_PERMITTED && edgeai_listener_present(m.l) &&
	    !(edgeai_listener_groups(m.l) & EDGEAI_LISTEN_JOBS))
		ctl_warn(ctl, "job events left out: %s", ctl_no_jobs_reason(ctl, m.l));
	learn_names(&m);
	if (!edgeai_listener_present(m.l)) {
		uint64_t now = edgeai_now_ns();

		if (ctl->json) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "event", json_object_new_string("module-absent"));
			json_object_object_add(o, "time_ns", ctl_json_u64(now));
			ctl_json_print(ctl, o);
		} else {
			char text[128];

			snprintf(text, sizeof(text), "module-absent   %s; waiting for it",
				 ctl_no_jobs_reason(ctl, NULL));
			print_line(&m, now, text);
		}
	}
	if (timeout)
		until = edgeai_now_ns() + timeout;
	ret = ctl_loop_wait(m.l, until, on_event, &m);
	edgeai_listener_close(m.l);
	if (ret < 0)
		return ctl_fail(ctl, ret, "reading events");
	return CTL_EXIT_OK;
}
