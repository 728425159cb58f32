// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl top: clusters and graphs, refreshed in place.
 *
 * Cluster figures come from snapshots (utilisation is the growth of
 * busy_ns over the wall time between two); per-graph figures from the
 * "jobs" group's job-done events, when the caller may join it.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "loop.h"
#include "nl.h"
#include "top.h"

/* ---------------------------------------------------------------- graphs */

struct top_graph *top_graph_of(struct top_graphs *g, uint32_t pid,
			       uint32_t graph_id, const char *name)
{
	struct top_graph *t;
	unsigned int i;

	for (i = 0; i < g->nr; i++) {
		t = &g->graphs[i];
		if (t->pid == pid && t->graph_id == graph_id && !strcmp(t->name, name))
			return t;
	}
	if (g->nr == TOP_MAX_GRAPHS)
		return NULL;
	t = &g->graphs[g->nr++];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->graph_id = graph_id;
	snprintf(t->name, sizeof(t->name), "%s", name);
	return t;
}

void top_graphs_add(struct top_graphs *g, const struct edgeai_event *ev)
{
	struct top_graph *t;

	if (ev->type != EDGEAI_NL_CMD_JOB_DONE)
		return;
	t = top_graph_of(g, ev->pid, ev->graph_id, ev->graph_name);
	if (!t)
		return;
	t->jobs++;
	t->jobs_total++;
	/* Late is what the status says; without one, a deadline not met. */
	if (edgeai_event_has(ev, EDGEAI_NL_A_STATUS) ?
	    ev->status == EDGEAI_JOB_DEADLINE_MISSED :
	    edgeai_event_has(ev, EDGEAI_NL_A_DEADLINE_NS) &&
	    !edgeai_event_has(ev, EDGEAI_NL_A_DEADLINE_MET)) {
		t->misses++;
		t->misses_total++;
	}
	if (edgeai_event_has(ev, EDGEAI_NL_A_STATUS) &&
	    ev->status != EDGEAI_JOB_DONE && ev->status != EDGEAI_JOB_DEADLINE_MISSED &&
	    ev->status != EDGEAI_JOB_DONE_EXIT) {
		t->failed++;
		t->failed_total++;
	}
	t->latency_sum += ev->latency_ns;
	if (ev->latency_ns > t->latency_max)
		t->latency_max = ev->latency_ns;
}

void top_graphs_tick(struct top_graphs *g)
{
	unsigned int i;

	for (i = 0; i < g->nr; i++) {
		struct top_graph *t = &g->graphs[i];

		t->jobs = t->misses = t->failed = 0;
		t->latency_sum = t->latency_max = 0;
	}
}

/* ---------------------------------------------------------------- clusters */

double top_busy_pct(uint64_t busy_prev, uint64_t busy_now, uint64_t wall_ns)
{
	/* A counter that went back means the module was loaded again. */
	if (!wall_ns || busy_now < busy_prev)
		return 0;
	return (double)(busy_now - busy_prev) * 100.0 / (double)wall_ns;
}

static const struct ctl_cluster *same_cluster(const struct ctl_snapshot *s,
					      const struct ctl_cluster *c)
{
	uint32_t i;

	for (i = 0; s && i < s->nr_clusters; i++)
		if (s->clusters[i].id == c->id && !strcmp(s->clusters[i].name, c->name))
			return &s->clusters[i];
	return NULL;
}

static json_object *json_fixed(double v, int decimals)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return json_object_new_double_s(v, buf);
}

struct top {
	struct ctl *ctl;
	struct edgeai_listener *l;
	struct top_graphs graphs;
	bool tty;
	uint64_t delay;
};

static int on_event(const struct edgeai_event *ev, void *arg)
{
	struct top *t = arg;

	top_graphs_add(&t->graphs, ev);
	return 0;
}

static bool jobs_joined(const struct top *t)
{
	return t->l && edgeai_listener_groups(t->l) & EDGEAI_LISTEN_JOBS;
}

static json_object *frame_json(struct top *t, const struct ctl_snapshot *prev,
			       const struct ctl_snapshot *s, bool loaded)
{
	json_object *o = json_object_new_object(), *cl, *gr;
	uint64_t wall = prev ? s->time_ns - prev->time_ns : 0;
	unsigned int i;

	json_object_object_add(o, "time_ns", ctl_json_u64(s->time_ns));
	json_object_object_add(o, "interval_ns", ctl_json_u64(wall));
	json_object_object_add(o, "loaded", json_object_new_boolean(loaded));
	if (loaded)
		json_object_object_add(o, "stats", ctl_stats_json(&s->stats));
	cl = json_object_new_array();
	for (i = 0; loaded && i < s->nr_clusters; i++) {
		const struct ctl_cluster *c = &s->clusters[i];
		const struct ctl_cluster *p = same_cluster(prev, c);
		json_object *co = json_object_new_object();

		json_object_object_add(co, "id", json_object_new_int64(c->id));
		json_object_object_add(co, "name", json_object_new_string(c->name));
		if (c->have & CL_GOVERNOR)
			json_object_object_add(co, "governor", json_object_new_string(c->governor));
		if (c->have & CL_CUR_FREQ)
			json_object_object_add(co, "cur_freq_khz",
					       json_object_new_int64(c->cur_freq_khz));
		if (p && c->have & CL_BUSY)
			json_object_object_add(co, "busy_pct",
					       json_fixed(top_busy_pct(p->busy_ns, c->busy_ns, wall), 1));
		if (p && c->have & CL_DONE)
			json_object_object_add(co, "stages", ctl_json_u64(
				c->stages_done >= p->stages_done ? c->stages_done - p->stages_done : 0));
		json_object_object_add(co, "queued", json_object_new_int64(c->queued));
		json_object_object_add(co, "running", json_object_new_int64(c->running));
		json_object_object_add(co, "executors", json_object_new_int64(c->executors));
		json_object_array_add(cl, co);
	}
	json_object_object_add(o, "clusters", cl);
	json_object_object_add(o, "jobs_group", json_object_new_boolean(jobs_joined(t)));
	if (!jobs_joined(t))
		return o;
	gr = json_object_new_array();
	for (i = 0; i < t->graphs.nr; i++) {
		const struct top_graph *g = &t->graphs.graphs[i];
		json_object *go = json_object_new_object();

		json_object_object_add(go, "pid", json_object_new_int64(g->pid));
		json_object_object_add(go, "graph_id", json_object_new_int64(g->graph_id));
		json_object_object_add(go, "graph", json_object_new_string(g->name));
		json_object_object_add(go, "jobs", ctl_json_u64(g->jobs));
		json_object_object_add(go, "deadline_misses", ctl_json_u64(g->misses));
		json_object_object_add(go, "failed", ctl_json_u64(g->failed));
		if (g->jobs) {
			json_object_object_add(go, "latency_avg_ns",
					       ctl_json_u64(g->latency_sum / g->jobs));
			json_object_object_add(go, "latency_max_ns",
					       ctl_json_u64(g->latency_max));
		}
		json_object_object_add(go, "jobs_total", ctl_json_u64(g->jobs_total));
		json_object_object_add(go, "deadline_misses_total",
				       ctl_json_u64(g->misses_total));
		json_object_array_add(gr, go);
	}
	json_object_object_add(o, "graphs", gr);
	return o;
}

static void frame_text(struct top *t, const struct ctl_snapshot *prev,
		       const struct ctl_snapshot *s, bool loaded)
{
	uint64_t wall = prev ? s->time_ns - prev->time_ns : 0;
	const struct ctl_stats *st = &s->stats;
	char f[32], a[32], b[32];
	unsigned int i;

	if (t->tty)
		fputs("\033[H\033[J", stdout);
	printf("edgeai top - refreshed every %s", ctl_fmt_ns(f, sizeof(f), t->delay));
	printf("%s\n", t->tty ? " (Ctrl-C quits)" : "");
	if (!loaded) {
		printf("\nedgeai.ko is not loaded; waiting for it\n");
		goto out;
	}
	if (st->have & ST_COUNTERS)
		printf("jobs: %" PRIu64 " submitted, %" PRIu64 " completed, %" PRIu64
		       " late, %" PRIu64 " failed, %" PRIu64 " cancelled, %" PRIu64
		       " rejected\n", st->submitted, st->completed,
		       st->deadline_misses, st->failed, st->cancelled, st->rejected);
	if (st->have & ST_QUEUED)
		printf("queued: realtime %" PRIu64 ", high %" PRIu64 ", normal %" PRIu64
		       ", background %" PRIu64 "\n", st->queued[0], st->queued[1],
		       st->queued[2], st->queued[3]);
	printf("\n%-12s %-12s %9s %6s %8s %6s %7s %4s\n", "CLUSTER", "GOVERNOR",
	       "FREQ", "BUSY", "STAGES/s", "QUEUED", "RUNNING", "EXEC");
	for (i = 0; i < s->nr_clusters; i++) {
		const struct ctl_cluster *c = &s->clusters[i];
		const struct ctl_cluster *p = same_cluster(prev, c);
		char busy[16] = "-", rate[16] = "-";

		if (p && wall && c->have & CL_BUSY)
			snprintf(busy, sizeof(busy), "%.1f%%",
				 top_busy_pct(p->busy_ns, c->busy_ns, wall));
		if (p && wall && c->have & CL_DONE && c->stages_done >= p->stages_done)
			snprintf(rate, sizeof(rate), "%.1f",
				 (double)(c->stages_done - p->stages_done) * 1e9 / (double)wall);
		printf("%-12s %-12s %9s %6s %8s %6" PRIu32 " %7" PRIu32 " %4" PRIu32 "\n",
		       c->name, c->have & CL_GOVERNOR ? c->governor : "-",
		       c->have & CL_CUR_FREQ ? ctl_fmt_freq(f, sizeof(f), c->cur_freq_khz) : "-",
		       busy, rate, c->queued, c->running, c->executors);
	}
	if (!jobs_joined(t)) {
		printf("\n(no per-graph figures: %s)\n", ctl_no_jobs_reason(t->ctl, t->l));
		goto out;
	}
	printf("\n%-7s %-16s %7s %10s %10s %6s %6s %8s\n", "PID", "GRAPH", "JOBS/s",
	       "LAT avg", "LAT max", "MISSED", "FAILED", "TOTAL");
	for (i = 0; i < t->graphs.nr; i++) {
		const struct top_graph *g = &t->graphs.graphs[i];

		printf("%-7" PRIu32 " %-16s %7.1f %10s %10s %6" PRIu64 " %6" PRIu64
		       " %8" PRIu64 "\n", g->pid, g->name,
		       wall ? (double)g->jobs * 1e9 / (double)wall : 0.0,
		       g->jobs ? ctl_fmt_ns(a, sizeof(a), g->latency_sum / g->jobs) : "-",
		       g->jobs ? ctl_fmt_ns(b, sizeof(b), g->latency_max) : "-",
		       g->misses, g->failed, g->jobs_total);
	}
out:
	if (!t->tty)
		putchar('\n');
	fflush(stdout);
}

int ctl_cmd_top(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd *cmd = ctl_cmd_named("top");
	struct ctl_snapshot *prev, *cur, *tmp;
	struct top t = { .ctl = ctl, .delay = 1000000000ull };
	uint32_t iterations = 0, done = 0;
	bool prev_ok, cur_ok;
	struct ctl_args a;
	const char *arg;
	uint64_t next;
	int key, ret = 0;

	ctl_args_init(&a, cmd);
	while ((key = ctl_getopt(ctl, &a, argc, argv, &arg)) > 0) {
		switch (key) {
		case 'h':
			return CTL_EXIT_OK;
		case 'd':
			if (ctl_arg_duration(ctl, "delay", "a duration of 10ms or more", arg,
					     10000000ull, &t.delay))
				return CTL_EXIT_USAGE;
			break;
		case 'n':
			if (ctl_arg_count(ctl, "iterations", arg, &iterations))
				return CTL_EXIT_USAGE;
			break;
		}
	}
	if (key < 0 || ctl_check_operands(ctl, cmd, argc, 0, 0))
		return CTL_EXIT_USAGE;
	t.tty = !ctl->json && isatty(STDOUT_FILENO);
	ctl_loop_signals();
	ret = edgeai_listener_open(&t.l, EDGEAI_LISTEN_JOBS_IF_PERMITTED |
				   EDGEAI_LISTEN_WAIT);
	if (ret) {
		ctl_warn(ctl, "no netlink events: %s", edgeai_strerror(ret));
		t.l = NULL;
	} else {
		edgeai_listener_set_nonblocking(t.l, 1);
	}

	prev = malloc(sizeof(*prev));
	cur = malloc(sizeof(*cur));
	if (!prev || !cur) {
		ret = -ENOMEM;
		goto out;
	}
	prev_ok = !ctl_snapshot(ctl, prev);
	next = prev->time_ns;
	while (!iterations || done < iterations) {
		next += t.delay;
		ret = ctl_loop_wait(t.l, next, on_event, &t);
		if (ret < 0 || ctl_loop_stopped())
			break;
		cur_ok = !ctl_snapshot(ctl, cur);
		if (ctl->json)
			ctl_json_print(ctl, frame_json(&t, prev_ok ? prev : NULL, cur, cur_ok));
		else
			frame_text(&t, prev_ok ? prev : NULL, cur, cur_ok);
		top_graphs_tick(&t.graphs);
		tmp = prev;
		prev = cur;
		cur = tmp;
		prev_ok = cur_ok;
		done++;
	}
out:
	free(prev);
	free(cur);
	edgeai_listener_close(t.l);
	if (ret < 0)
		return ctl_fail(ctl, ret, "reading events");
	return CTL_EXIT_OK;
}
