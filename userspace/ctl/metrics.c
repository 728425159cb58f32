// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl metrics: the Prometheus exposition (metrics.h).
 *
 * Names and units follow Prometheus' conventions: an "edgeai_" prefix,
 * base units (seconds, hertz, joules) named in the suffix, "_total" on
 * counters, one metric per quantity with labels for the cluster, priority
 * class, job status or graph, and a histogram per graph of job latency
 * from submission to the end of its last stage.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

#define METRICS_MAX_GRAPHS	64

/* Latency buckets, in seconds: a camera frame to a long batch job. */
static const double buckets_s[] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};
#define NR_BUCKETS	(sizeof(buckets_s) / sizeof(buckets_s[0]))

struct metrics_graph {
	char name[EDGEAI_NAME_LEN];
	uint64_t bucket[NR_BUCKETS];	/* cumulative: le buckets_s[i] */
	uint64_t count;
	double sum_s;
	uint64_t status[EDGEAI_JOB_DONE_EXIT + 1];
	uint64_t deadline_misses;
};

struct metrics {
	struct metrics_graph graphs[METRICS_MAX_GRAPHS];
	unsigned int nr_graphs;
	uint64_t other_jobs;	/* of graphs past METRICS_MAX_GRAPHS */
};

static const char *const prio_labels[EDGEAI_NR_PRIO] = {
	[EDGEAI_PRIO_REALTIME] = "realtime",
	[EDGEAI_PRIO_HIGH] = "high",
	[EDGEAI_PRIO_NORMAL] = "normal",
	[EDGEAI_PRIO_BACKGROUND] = "background",
};

static const char *const status_labels[EDGEAI_JOB_DONE_EXIT + 1] = {
	[EDGEAI_JOB_DONE] = "done",
	[EDGEAI_JOB_DEADLINE_MISSED] = "deadline_missed",
	[EDGEAI_JOB_FAILED] = "failed",
	[EDGEAI_JOB_CANCELLED] = "cancelled",
	[EDGEAI_JOB_EXEC_LOST] = "exec_lost",
	[EDGEAI_JOB_DONE_EXIT] = "done_exit",
};

struct metrics *metrics_new(void)
{
	return calloc(1, sizeof(struct metrics));
}

void metrics_free(struct metrics *m)
{
	free(m);
}

void metrics_event(struct metrics *m, const struct edgeai_event *ev)
{
	struct metrics_graph *g = NULL;
	const char *name;
	double lat;
	unsigned int i;

	if (ev->type != EDGEAI_NL_CMD_JOB_DONE || !edgeai_event_has(ev, EDGEAI_NL_A_STATUS) ||
	    ev->status < EDGEAI_JOB_DONE || ev->status > EDGEAI_JOB_DONE_EXIT)
		return;
	name = ev->graph_name[0] ? ev->graph_name : "unnamed";
	for (i = 0; i < m->nr_graphs; i++)
		if (!strcmp(m->graphs[i].name, name)) {
			g = &m->graphs[i];
			break;
		}
	if (!g) {
		if (m->nr_graphs == METRICS_MAX_GRAPHS) {
			m->other_jobs++;
			return;
		}
		g = &m->graphs[m->nr_graphs++];
		snprintf(g->name, sizeof(g->name), "%s", name);
	}
	g->status[ev->status]++;
	if (ev->status == EDGEAI_JOB_DEADLINE_MISSED)
		g->deadline_misses++;
	/* Latency only for jobs whose every stage ran. */
	if ((ev->status != EDGEAI_JOB_DONE && ev->status != EDGEAI_JOB_DEADLINE_MISSED) ||
	    !edgeai_event_has(ev, EDGEAI_NL_A_LATENCY_NS))
		return;
	lat = (double)ev->latency_ns / 1e9;
	for (i = 0; i < NR_BUCKETS; i++)
		if (lat <= buckets_s[i])
			g->bucket[i]++;
	g->count++;
	g->sum_s += lat;
}

/* A label value, escaped as the format wants (\\, \", \n). */
static void label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A metric of one sample without labels. */
static void metric(FILE *f, const char *name, const char *type, const char *help,
		   uint64_t value)
{
	head(f, name, type, help);
	fprintf(f, "%s %" PRIu64 "\n", name, value);
}

/* name{cluster="...",kind="..."} */
static void cluster_sample(FILE *f, const char *name, const struct ctl_cluster *c)
{
	fprintf(f, "%s{cluster=\"", name);
	label_value(f, c->name);
	fprintf(f, "\",kind=\"%s\"}", c->have & CL_KIND ? edgeai_kind_name(c->kind) : "");
}

static void write_stats(FILE *f, const struct ctl_snapshot *s)
{
	const struct ctl_stats *st = &s->stats;
	unsigned int i;

	metric(f, "edgeai_up", "gauge", "Whether edgeai.ko is loaded (1) or not (0).",
	       s->loaded);
	if (!s->loaded)
		return;
	if (s->abi_version)
		metric(f, "edgeai_abi_version", "gauge", "The module's ABI version.",
		       s->abi_version);
	if (st->have & ST_COUNTERS) {
		metric(f, "edgeai_jobs_submitted_total", "counter",
		       "Jobs submitted since the module was loaded.", st->submitted);
		head(f, "edgeai_jobs_finished_total", "counter",
		     "Jobs that ended, by how (completed: every stage ran, late or not).");
		fprintf(f, "edgeai_jobs_finished_total{status=\"completed\"} %" PRIu64 "\n",
			st->completed);
		fprintf(f, "edgeai_jobs_finished_total{status=\"failed\"} %" PRIu64 "\n",
			st->failed);
		fprintf(f, "edgeai_jobs_finished_total{status=\"cancelled\"} %" PRIu64 "\n",
			st->cancelled);
		metric(f, "edgeai_deadline_misses_total", "counter",
		       "Jobs whose last stage ended after their deadline.", st->deadline_misses);
		metric(f, "edgeai_jobs_rejected_total", "counter",
		       "Jobs refused by strict admission.", st->rejected);
	}
	if (st->have & ST_EXITS)
		metric(f, "edgeai_jobs_exits_taken_total", "counter",
		       "Anytime jobs that ended at an exit of their graph.", st->exits_taken);
	if (st->have & ST_SESSIONS) {
		metric(f, "edgeai_tokens_total", "counter",
		       "Token steps run by the jobs of LLM sessions.", st->tokens);
		metric(f, "edgeai_session_freezes_total", "counter",
		       "Token steps held back while their session was frozen.", st->freezes);
		metric(f, "edgeai_live_sessions", "gauge", "LLM sessions that exist now.",
		       st->live_sessions);
	}
	if (st->have & ST_LIVE) {
		metric(f, "edgeai_live_jobs", "gauge", "Jobs that exist now.", st->live_jobs);
		metric(f, "edgeai_live_graphs", "gauge", "Graphs registered now.", st->live_graphs);
		metric(f, "edgeai_open_contexts", "gauge", "Open files of /dev/edgeai.",
		       st->live_ctx);
	}
	if (st->have & ST_QUEUED) {
		head(f, "edgeai_queued_stages", "gauge",
		     "Stages waiting for an executor, by priority class.");
		for (i = 0; i < EDGEAI_NR_PRIO; i++)
			fprintf(f, "edgeai_queued_stages{priority=\"%s\"} %" PRIu64 "\n",
				prio_labels[i], st->queued[i]);
	}
}

/* One metric over every cluster that has it. */
#define EACH_CLUSTER(s, flag, name, type, help, fmt, expr) do {			\
	const struct ctl_cluster *c_;						\
	unsigned int i_;							\
	bool head_ = false;							\
										\
	for (i_ = 0; i_ < (s)->nr_clusters; i_++) {				\
		c_ = &(s)->clusters[i_];					\
		if (!(c_->have & (flag)))					\
			continue;						\
		if (!head_)							\
			head(f, name, type, help);				\
		head_ = true;							\
		cluster_sample(f, name, c_);					\
		fprintf(f, " " fmt "\n", expr);					\
	}									\
} while (0)

/* clusters/NAME/time_in_state: "KHZ NS" a line, as cpufreq's stats. */
static void write_residency(struct ctl *ctl, FILE *f, const struct ctl_snapshot *s)
{
	bool headed = false;
	unsigned int i;

	for (i = 0; i < s->nr_clusters; i++) {
		const struct ctl_cluster *c = &s->clusters[i];
		char rel[EDGEAI_NAME_LEN + 32], buf[2048], *line, *save = NULL;

		snprintf(rel, sizeof(rel), "clusters/%s/time_in_state", c->name);
		if (ctl_sysfs_read(ctl, rel, buf, sizeof(buf)))
			continue;
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			uint64_t khz, ns;

			if (sscanf(line, "%" SCNu64 " %" SCNu64, &khz, &ns) != 2)
				continue;
			if (!headed)
				head(f, "edgeai_cluster_frequency_residency_seconds_total", "counter",
				     "Time a cluster spent at each frequency step.");
			headed = true;
			fprintf(f, "edgeai_cluster_frequency_residency_seconds_total{cluster=\"");
			label_value(f, c->name);
			fprintf(f, "\",frequency_hertz=\"%" PRIu64 "\"} %.9f\n", khz * 1000,
				(double)ns / 1e9);
		}
	}
}

static void write_clusters(struct ctl *ctl, FILE *f, const struct ctl_snapshot *s)
{
	const struct ctl_cluster *c;
	unsigned int i;
	bool headed = false;

	EACH_CLUSTER(s, CL_CUR_FREQ, "edgeai_cluster_frequency_hertz", "gauge",
		     "A cluster's current frequency.", "%" PRIu64,
		     (uint64_t)c_->cur_freq_khz * 1000);
	EACH_CLUSTER(s, CL_FREQS, "edgeai_cluster_max_frequency_hertz", "gauge",
		     "A cluster's top frequency step.", "%" PRIu64,
		     c_->nr_freqs ? (uint64_t)c_->freqs_khz[c_->nr_freqs - 1] * 1000 : 0);
	EACH_CLUSTER(s, CL_BUSY, "edgeai_cluster_busy_seconds_total", "counter",
		     "Time stages ran on a cluster, summed over its executors.", "%.9f",
		     (double)c_->busy_ns / 1e9);
	EACH_CLUSTER(s, CL_DONE, "edgeai_cluster_stages_total", "counter",
		     "Stages a cluster's executors completed.", "%" PRIu64, c_->stages_done);
	EACH_CLUSTER(s, CL_ENERGY, "edgeai_cluster_energy_joules_total", "counter",
		     "Energy of the stages run on a cluster, as its executors report it.",
		     "%.6f", (double)c_->energy_uj / 1e6);
	EACH_CLUSTER(s, CL_QUEUED, "edgeai_cluster_queued_stages", "gauge",
		     "Stages waiting for a cluster's executors.", "%" PRIu32, c_->queued);
	EACH_CLUSTER(s, CL_RUNNING, "edgeai_cluster_running_stages", "gauge",
		     "Stages running on a cluster.", "%" PRIu32, c_->running);
	EACH_CLUSTER(s, CL_EXECUTORS, "edgeai_cluster_executors", "gauge",
		     "Executors attached to a cluster.", "%" PRIu32, c_->executors);
	for (i = 0; i < s->nr_clusters; i++) {
		c = &s->clusters[i];
		if (!(c->have & CL_GOVERNOR))
			continue;
		if (!headed)
			head(f, "edgeai_cluster_governor_info", "gauge",
			     "A cluster's frequency governor, as a label.");
		headed = true;
		fprintf(f, "edgeai_cluster_governor_info{cluster=\"");
		label_value(f, c->name);
		fprintf(f, "\",governor=\"");
		label_value(f, c->governor);
		fprintf(f, "\"} 1\n");
	}
	write_residency(ctl, f, s);
}

static void graph_label(FILE *f, const char *name, const struct metrics_graph *g)
{
	fprintf(f, "%s{graph=\"", name);
	label_value(f, g->name);
	fputc('"', f);
}

static void write_graphs(FILE *f, const struct metrics *m)
{
	unsigned int i, b, st;

	head(f, "edgeai_graph_latency_seconds", "histogram",
	     "Latency of jobs that ran every stage, submission to last stage's end, by graph name.");
	for (i = 0; i < m->nr_graphs; i++) {
		const struct metrics_graph *g = &m->graphs[i];

		for (b = 0; b < NR_BUCKETS; b++) {
			graph_label(f, "edgeai_graph_latency_seconds_bucket", g);
			fprintf(f, ",le=\"%g\"} %" PRIu64 "\n", buckets_s[b], g->bucket[b]);
		}
		graph_label(f, "edgeai_graph_latency_seconds_bucket", g);
		fprintf(f, ",le=\"+Inf\"} %" PRIu64 "\n", g->count);
		graph_label(f, "edgeai_graph_latency_seconds_sum", g);
		fprintf(f, "} %.9f\n", g->sum_s);
		graph_label(f, "edgeai_graph_latency_seconds_count", g);
		fprintf(f, "} %" PRIu64 "\n", g->count);
	}
	head(f, "edgeai_graph_jobs_total", "counter",
	     "Jobs that ended, by graph name and final status.");
	for (i = 0; i < m->nr_graphs; i++)
		for (st = EDGEAI_JOB_DONE; st <= EDGEAI_JOB_EXEC_LOST; st++) {
			graph_label(f, "edgeai_graph_jobs_total", &m->graphs[i]);
			fprintf(f, ",status=\"%s\"} %" PRIu64 "\n", status_labels[st],
				m->graphs[i].status[st]);
		}
	head(f, "edgeai_graph_deadline_misses_total", "counter",
	     "Jobs of a graph whose last stage ended after their deadline.");
	for (i = 0; i < m->nr_graphs; i++) {
		graph_label(f, "edgeai_graph_deadline_misses_total", &m->graphs[i]);
		fprintf(f, "} %" PRIu64 "\n", m->graphs[i].deadline_misses);
	}
	head(f, "edgeai_graph_untracked_jobs_total", "counter",
	     "Jobs of graphs past the most names the exporter keeps (64).");
	fprintf(f, "edgeai_graph_untracked_jobs_total %" PRIu64 "\n", m->other_jobs);
}

int metrics_write(struct ctl *ctl, const struct metrics *m,
		  const struct ctl_snapshot *s, FILE *f)
{
	write_stats(f, s);
	if (s->loaded)
		write_clusters(ctl, f, s);
	if (m)
		write_graphs(f, m);
	return ferror(f) ? -EIO : 0;
}
