// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl metrics' exposition: names, labels, units, label escaping,
 * histograms cumulative and consistent with their count, residency from
 * time_in_state, and the module-absent case.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../userspace/ctl/ctl.h"
#include "../../userspace/ctl/metrics.h"
#include "../lib/tap.h"

static void set(struct edgeai_event *ev, unsigned int attr)
{
	ev->present[attr / 64] |= 1ull << (attr % 64);
}

static struct edgeai_event job(const char *graph, uint32_t status, uint64_t latency_ns)
{
	struct edgeai_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = EDGEAI_NL_CMD_JOB_DONE;
	snprintf(ev.graph_name, sizeof(ev.graph_name), "%s", graph);
	ev.status = status;
	set(&ev, EDGEAI_NL_A_STATUS);
	ev.latency_ns = latency_ns;
	set(&ev, EDGEAI_NL_A_LATENCY_NS);
	return ev;
}

static char *render(struct ctl *ctl, const struct metrics *m, const struct ctl_snapshot *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f || metrics_write(ctl, m, s, f) || fclose(f))
		return NULL;
	return text;
}

static int has(const char *text, const char *line)
{
	const char *p = text;
	size_t n = strlen(line);

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/metrics_testXXXXXX", path[256];
	struct ctl ctl = { .cmd = "metrics" };
	struct ctl_snapshot *s = calloc(1, sizeof(*s));
	struct metrics *m = metrics_new();
	struct edgeai_event ev;
	char *text;
	FILE *f;

	if (!s || !m || !mkdtemp(dir))
		return 1;
	ctl.sysfs = dir;
	snprintf(path, sizeof(path), "%s/clusters", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/clusters/big", dir);
	mkdir(path, 0700);
	strcat(path, "/time_in_state");
	f = fopen(path, "w");
	fputs("408000 1500000000\n1800000 250000000\n", f);
	fclose(f);

	s->loaded = true;
	s->abi_version = 1;
	s->stats.have = ST_COUNTERS | ST_LIVE | ST_QUEUED;
	s->stats.submitted = 10;
	s->stats.completed = 7;
	s->stats.deadline_misses = 2;
	s->stats.queued[EDGEAI_PRIO_HIGH] = 3;
	s->nr_clusters = 2;
	s->clusters[0].have = CL_KIND | CL_CUR_FREQ | CL_FREQS | CL_BUSY | CL_ENERGY |
			      CL_GOVERNOR | CL_QUEUED;
	snprintf(s->clusters[0].name, EDGEAI_NAME_LEN, "big");
	s->clusters[0].kind = EDGEAI_CLUSTER_CPU;
	s->clusters[0].cur_freq_khz = 1800000;
	s->clusters[0].nr_freqs = 2;
	s->clusters[0].freqs_khz[0] = 408000;
	s->clusters[0].freqs_khz[1] = 1800000;
	s->clusters[0].busy_ns = 1500000000;
	s->clusters[0].energy_uj = 2500000;
	s->clusters[0].queued = 4;
	snprintf(s->clusters[0].governor, EDGEAI_GOV_NAME_LEN, "deadline");
	s->clusters[1].have = CL_KIND | CL_CUR_FREQ;
	snprintf(s->clusters[1].name, EDGEAI_NAME_LEN, "np\"u");
	s->clusters[1].kind = EDGEAI_CLUSTER_NPU;
	s->clusters[1].cur_freq_khz = 800000;

	ev = job("cam", EDGEAI_JOB_DONE, 20000000);		/* 20 ms */
	metrics_event(m, &ev);
	ev = job("cam", EDGEAI_JOB_DEADLINE_MISSED, 70000000);	/* 70 ms */
	metrics_event(m, &ev);
	ev = job("cam", EDGEAI_JOB_CANCELLED, 0);
	metrics_event(m, &ev);
	ev = job("batch", EDGEAI_JOB_DONE, 3000000000ull);	/* 3 s */
	metrics_event(m, &ev);
	ev = job("ignored", EDGEAI_JOB_DONE, 1);
	ev.type = EDGEAI_NL_CMD_FREQ_CHANGE;
	metrics_event(m, &ev);

	text = render(&ctl, m, s);
	ok(text != NULL, "the exposition is written");
	if (!text)
		return tap_done();
	ok(has(text, "edgeai_up 1"), "edgeai_up 1 when loaded");
	ok(has(text, "# TYPE edgeai_jobs_submitted_total counter") &&
	   has(text, "edgeai_jobs_submitted_total 10"), "a counter with its TYPE line");
	ok(has(text, "edgeai_jobs_finished_total{status=\"completed\"} 7"),
	   "jobs finished, by status as a label");
	ok(has(text, "edgeai_deadline_misses_total 2"), "deadline misses");
	ok(has(text, "edgeai_queued_stages{priority=\"high\"} 3"), "queue length per class");
	ok(has(text, "edgeai_cluster_frequency_hertz{cluster=\"big\",kind=\"cpu\"} 1800000000"),
	   "frequency in hertz");
	ok(has(text, "edgeai_cluster_frequency_hertz{cluster=\"np\\\"u\",kind=\"npu\"} 800000000"),
	   "a quote in a label value is escaped");
	ok(has(text, "edgeai_cluster_busy_seconds_total{cluster=\"big\",kind=\"cpu\"} 1.500000000"),
	   "busy time in seconds");
	ok(has(text, "edgeai_cluster_energy_joules_total{cluster=\"big\",kind=\"cpu\"} 2.500000"),
	   "energy in joules");
	ok(!strstr(text, "edgeai_cluster_energy_joules_total{cluster=\"np"),
	   "a figure a cluster does not have is left out, not written as 0");
	ok(has(text, "edgeai_cluster_governor_info{cluster=\"big\",governor=\"deadline\"} 1"),
	   "the governor as an info metric");
	ok(has(text, "edgeai_cluster_frequency_residency_seconds_total{cluster=\"big\","
		     "frequency_hertz=\"408000000\"} 1.500000000"), "residency from time_in_state");
	ok(has(text, "# TYPE edgeai_graph_latency_seconds histogram"), "a latency histogram");
	ok(has(text, "edgeai_graph_latency_seconds_bucket{graph=\"cam\",le=\"0.01\"} 0") &&
	   has(text, "edgeai_graph_latency_seconds_bucket{graph=\"cam\",le=\"0.025\"} 1") &&
	   has(text, "edgeai_graph_latency_seconds_bucket{graph=\"cam\",le=\"0.1\"} 2") &&
	   has(text, "edgeai_graph_latency_seconds_bucket{graph=\"cam\",le=\"+Inf\"} 2"),
	   "buckets are cumulative; a cancelled job has no latency");
	ok(has(text, "edgeai_graph_latency_seconds_count{graph=\"cam\"} 2") &&
	   has(text, "edgeai_graph_latency_seconds_sum{graph=\"cam\"} 0.090000000"),
	   "count and sum of the histogram");
	ok(has(text, "edgeai_graph_latency_seconds_bucket{graph=\"batch\",le=\"2.5\"} 0") &&
	   has(text, "edgeai_graph_latency_seconds_bucket{graph=\"batch\",le=\"5\"} 1"),
	   "a 3 s job falls in the 5 s bucket");
	ok(has(text, "edgeai_graph_jobs_total{graph=\"cam\",status=\"cancelled\"} 1"),
	   "jobs per graph and status");
	ok(has(text, "edgeai_graph_deadline_misses_total{graph=\"cam\"} 1"),
	   "deadline misses per graph");
	ok(!strstr(text, "ignored"), "events other than job-done are not counted");
	free(text);

	text = render(&ctl, NULL, s);
	ok(text && !strstr(text, "edgeai_graph_"), "without job events no per-graph metrics");
	free(text);
	s->loaded = false;
	text = render(&ctl, NULL, s);
	ok(text && has(text, "edgeai_up 0") && !strstr(text, "edgeai_cluster_"),
	   "module absent: edgeai_up 0 and nothing else");
	free(text);

	unlink(path);
	snprintf(path, sizeof(path), "%s/clusters/big", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/clusters", dir);
	rmdir(path);
	rmdir(dir);
	metrics_free(m);
	free(s);
	return tap_done();
}
