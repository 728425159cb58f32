// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl jobs: the kernel's dump of live jobs.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <inttypes.h>
#include <linux/capability.h>

#include "ctl.h"
#include "nl.h"

struct jobs {
	struct ctl *ctl;
	json_object *array;
	uint64_t now;
	unsigned int n;
};

static int one_job(const struct edgeai_event *ev, void *arg)
{
	struct jobs *j = arg;
	char age[32], left[32], tokens[32];

	j->n++;
	if (j->ctl->json) {
		json_object *o = ctl_event_json(ev, j->now);

		/* The dump's "event" key says nothing here. */
		json_object_object_del(o, "event");
		if (edgeai_event_has(ev, EDGEAI_NL_A_SUBMIT_NS) && ev->submit_ns <= j->now)
			json_object_object_add(o, "age_ns",
					       ctl_json_u64(j->now - ev->submit_ns));
		json_object_array_add(j->array, o);
		return 0;
	}
	if (j->n == 1)
		printf("%-8s %-7s %-6s %-16s %-10s %-14s %-5s %9s %10s %s\n", "JOB",
		       "PID", "UID", "GRAPH", "PRIO", "STATE", "STAGE", "AGE",
		       "DEADLINE", "TOKENS");
	if (edgeai_event_has(ev, EDGEAI_NL_A_SUBMIT_NS) && ev->submit_ns <= j->now)
		ctl_fmt_ns(age, sizeof(age), j->now - ev->submit_ns);
	else
		snprintf(age, sizeof(age), "-");
	if (!ev->deadline_ns)
		snprintf(left, sizeof(left), "none");
	else if (ev->deadline_ns >= j->now)
		ctl_fmt_ns(left, sizeof(left), ev->deadline_ns - j->now);
	else
		snprintf(left, sizeof(left), "passed");
	/* A session job: tokens so far, and their mean step time. */
	if (edgeai_event_has(ev, EDGEAI_NL_A_TOKENS) && ev->tokens)
		snprintf(tokens, sizeof(tokens), "%" PRIu32 " (%.2f ms/token)", ev->tokens,
			 (double)ev->step_ns / 1e6 / ev->tokens);
	else if (edgeai_event_has(ev, EDGEAI_NL_A_TOKENS))
		snprintf(tokens, sizeof(tokens), "0");
	else
		snprintf(tokens, sizeof(tokens), "-");
	printf("%-8" PRIu64 " %-7" PRIu32 " %-6" PRIu32 " %-16s %-10s %-14s %-5" PRIu32
	       " %9s %10s %s\n", ev->job_id, ev->pid, ev->uid,
	       ev->graph_name[0] ? ev->graph_name : "-", edgeai_prio_name(ev->prio),
	       edgeai_job_state_name(ev->state), ev->stage_index, age, left, tokens);
	return 0;
}

int ctl_cmd_jobs(struct ctl *ctl, int argc, char **argv)
{
	struct edgeai_listener *l;
	struct jobs j = { .ctl = ctl };
	int first, ret = ctl_simple_args(ctl, ctl_cmd_named("jobs"), argc, argv, 0, 0, &first);

	if (ret != CTL_GO_ON)
		return ret;
	if (ctl_listener_open(ctl, &l, 0))
		return CTL_EXIT_ERROR;
	j.array = json_object_new_array();
	j.now = edgeai_now_ns();
	ret = edgeai_listener_get_jobs(l, one_job, &j);
	edgeai_listener_close(l);
	if (ret < 0) {
		json_object_put(j.array);
		return ctl_fail(ctl, ret, "dumping jobs");
	}
	if (!ctl_has_cap(CAP_NET_ADMIN))
		ctl_warn(ctl, "only your own jobs are shown (all users' need CAP_NET_ADMIN)");
	if (ctl->json) {
		ctl_json_print(ctl, j.array);
		return CTL_EXIT_OK;
	}
	json_object_put(j.array);
	if (!j.n)
		printf("no live jobs\n");
	return CTL_EXIT_OK;
}
