// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl status, clusters: what a snapshot holds.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* Says why there is no snapshot; returns the exit status. */
static int no_snapshot(struct ctl *ctl, const struct ctl_snapshot *s, int ret)
{
	if (ret == -ENODEV) {
		const char *dev = getenv("EDGEAI_DEVICE");

		dev = dev && *dev ? dev : EDGEAI_DEVICE_PATH;
		if (s->dev_err == -ENOENT)
			ctl_err(ctl, "edgeai.ko is not loaded (no %s, no %s)",
				ctl->sysfs, dev);
		else
			ctl_err(ctl, "edgeai.ko is not loaded (no %s; %s: %s)",
				ctl->sysfs, dev, ctl_dev_strerror(s->dev_err));
		return CTL_EXIT_ERROR;
	}
	if (ret)
		return ctl_fail(ctl, ret, "reading edgeai's state");
	return 0;
}

/* A snapshot, or a message saying why there is none. */
static int take(struct ctl *ctl, struct ctl_snapshot *s)
{
	return no_snapshot(ctl, s, ctl_snapshot(ctl, s));
}

/* The module's feature bits, as edgeaictl names them. */
static const struct {
	uint64_t bit;
	const char *name;
} feature_names[] = {
	{ EDGEAI_FEAT_STRICT_ADMISSION, "strict-admission" },
	{ EDGEAI_FEAT_DMABUF, "dmabuf" },
	{ EDGEAI_FEAT_EXITS, "exits" },
	{ EDGEAI_FEAT_SESSIONS, "sessions" },
	{ EDGEAI_FEAT_STAGE_ALTS, "stage-alts" },
};

static json_object *features_json(uint64_t features)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
		if (features & feature_names[i].bit)
			json_object_array_add(a, json_object_new_string(feature_names[i].name));
	return a;
}

static json_object *status_json(const struct ctl_snapshot *s)
{
	json_object *o = json_object_new_object(), *dev, *cl;
	uint32_t i;

	json_object_object_add(o, "loaded", json_object_new_boolean(s->loaded));
	if (s->abi_version)
		json_object_object_add(o, "abi_version",
				       json_object_new_int64(s->abi_version));
	dev = json_object_new_object();
	json_object_object_add(dev, "accessible", json_object_new_boolean(!s->dev_err));
	if (s->dev_err)
		json_object_object_add(dev, "error",
				       json_object_new_string(ctl_dev_strerror(s->dev_err)));
	json_object_object_add(o, "device", dev);
	if (!s->dev_err) {
		const struct edgeai_info *in = &s->info;
		json_object *info = json_object_new_object();

		json_object_object_add(info, "abi_version", json_object_new_int64(in->abi_version));
		json_object_object_add(info, "nr_clusters", json_object_new_int64(in->nr_clusters));
		json_object_object_add(info, "features", features_json(in->features));
		json_object_object_add(info, "max_stages", json_object_new_int64(in->max_stages));
		json_object_object_add(info, "max_buffers", json_object_new_int64(in->max_buffers));
		json_object_object_add(info, "max_graphs_per_fd",
				       json_object_new_int64(in->max_graphs_per_fd));
		json_object_object_add(info, "max_jobs_per_uid",
				       json_object_new_int64(in->max_jobs_per_uid));
		json_object_object_add(info, "max_retries", json_object_new_int64(in->max_retries));
		json_object_object_add(o, "info", info);
	}
	json_object_object_add(o, "stats", ctl_stats_json(&s->stats));
	cl = json_object_new_array();
	for (i = 0; i < s->nr_clusters; i++) {
		static const char *const keep[] = {
			"id", "name", "kind", "governor", "cur_freq_khz",
			"executors", "queued", "running",
		};

		json_object_array_add(cl, ctl_cluster_json_keys(&s->clusters[i], keep,
								 sizeof(keep) / sizeof(keep[0])));
	}
	json_object_object_add(o, "clusters", cl);
	return o;
}

static void status_text(const struct ctl_snapshot *s)
{
	const struct ctl_stats *st = &s->stats;
	char f[32];
	uint32_t i;

	printf("edgeai.ko loaded");
	if (s->abi_version)
		printf(", ABI %" PRIu32, s->abi_version);
	printf(", %" PRIu32 " cluster%s\n", s->nr_clusters,
	       s->nr_clusters == 1 ? "" : "s");
	if (!s->dev_err) {
		const struct edgeai_info *in = &s->info;

		printf("limits:   %" PRIu32 " stages per graph, %" PRIu32
		       " buffers per job, %" PRIu32 " graphs per file, %" PRIu32
		       " jobs per user, %" PRIu32 " retries\n",
		       in->max_stages, in->max_buffers, in->max_graphs_per_fd,
		       in->max_jobs_per_uid, in->max_retries);
		printf("features:");
		for (size_t f = 0; f < sizeof(feature_names) / sizeof(feature_names[0]); f++)
			if (in->features & feature_names[f].bit)
				printf(" %s", feature_names[f].name);
		printf("%s\n", in->features ? "" : " none");
	} else {
		printf("limits:   unknown (%s: %s)\n",
		       getenv("EDGEAI_DEVICE") ? getenv("EDGEAI_DEVICE") :
		       EDGEAI_DEVICE_PATH, ctl_dev_strerror(s->dev_err));
	}
	if (st->have & ST_COUNTERS)
		printf("jobs:     %" PRIu64 " submitted, %" PRIu64 " completed (%"
		       PRIu64 " late), %" PRIu64 " failed, %" PRIu64
		       " cancelled, %" PRIu64 " rejected\n",
		       st->submitted, st->completed, st->deadline_misses,
		       st->failed, st->cancelled, st->rejected);
	if (st->have & ST_EXITS)
		printf("exits:    %" PRIu64 " anytime jobs ended at an exit\n",
		       st->exits_taken);
	if (st->have & ST_SESSIONS)
		printf("sessions: %" PRIu64 " live, %" PRIu64 " tokens, %" PRIu64
		       " token steps held back frozen\n", st->live_sessions, st->tokens,
		       st->freezes);
	if (st->have & ST_LIVE)
		printf("live:     %" PRIu64 " jobs, %" PRIu64 " graphs, %" PRIu64
		       " open files\n", st->live_jobs, st->live_graphs, st->live_ctx);
	if (st->have & ST_QUEUED)
		printf("queued:   realtime %" PRIu64 ", high %" PRIu64 ", normal %"
		       PRIu64 ", background %" PRIu64 "\n", st->queued[0],
		       st->queued[1], st->queued[2], st->queued[3]);
	if (!s->nr_clusters)
		return;
	printf("\n%-3s %-12s %-4s %-12s %-9s %5s %6s %7s\n", "ID", "CLUSTER",
	       "KIND", "GOVERNOR", "FREQ", "EXEC", "QUEUED", "RUNNING");
	for (i = 0; i < s->nr_clusters; i++) {
		const struct ctl_cluster *c = &s->clusters[i];

		printf("%-3" PRIu32 " %-12s %-4s %-12s %-9s %5" PRIu32 " %6" PRIu32
		       " %7" PRIu32 "\n", c->id, c->name,
		       c->have & CL_KIND ? edgeai_kind_name(c->kind) : "-",
		       c->have & CL_GOVERNOR ? c->governor : "-",
		       c->have & CL_CUR_FREQ ? ctl_fmt_freq(f, sizeof(f), c->cur_freq_khz) : "-",
		       c->executors, c->queued, c->running);
	}
}

int ctl_cmd_status(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_snapshot s;
	int first, ret = ctl_simple_args(ctl, ctl_cmd_named("status"), argc, argv, 0, 0,
					 &first);

	if (ret != CTL_GO_ON)
		return ret;
	ret = ctl_snapshot(ctl, &s);
	if (ret == -ENODEV && ctl->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "loaded", json_object_new_boolean(false));
		ctl_json_print(ctl, o);
	}
	if (ret)
		return no_snapshot(ctl, &s, ret);
	if (ctl->json)
		ctl_json_print(ctl, status_json(&s));
	else
		status_text(&s);
	return CTL_EXIT_OK;
}

static void cluster_text(const struct ctl_cluster *c)
{
	char f[32], t[32];
	uint32_t i;

	printf("%" PRIu32 ": %s", c->id, c->name);
	if (c->have & CL_KIND)
		printf("  %s", edgeai_kind_name(c->kind));
	if (c->have & CL_CONTROL)
		printf("  control %s", edgeai_control_name(c->control));
	if (c->have & CL_CPUS && c->cpus[0])
		printf("  cpus %s", c->cpus);
	putchar('\n');
	if (c->have & CL_FREQS) {
		printf("    frequencies:");
		for (i = 0; i < c->nr_freqs; i++)
			printf(" %s", ctl_fmt_freq(f, sizeof(f), c->freqs_khz[i]));
		putchar('\n');
	}
	if (c->have & CL_CUR_FREQ)
		printf("    current:     %s\n", ctl_fmt_freq(f, sizeof(f), c->cur_freq_khz));
	if (c->have & CL_GOVERNOR) {
		printf("    governor:    %s", c->governor);
		if (c->have & CL_SETSPEED)
			printf(" at %s", ctl_fmt_freq(f, sizeof(f), c->setspeed_khz));
		if (c->have & CL_GOVERNORS) {
			printf(" (available:");
			for (i = 0; i < c->nr_governors; i++)
				printf(" %s", c->governors[i]);
			putchar(')');
		}
		putchar('\n');
	}
	if (c->have & CL_POWER) {
		printf("    power:      ");
		for (i = 0; i < c->nr_power; i++)
			printf(" %" PRIu32, c->power_mw[i]);
		printf(" mW, idle %" PRIu32 " mW\n", c->idle_mw);
	}
	if (c->have & CL_SWITCH)
		printf("    switch cost: up %" PRIu32 " us, down %" PRIu32 " us\n",
		       c->switch_up_us, c->switch_down_us);
	printf("    load:        %" PRIu32 " executor%s, %" PRIu32 " queued, %"
	       PRIu32 " running\n", c->executors, c->executors == 1 ? "" : "s",
	       c->queued, c->running);
	if (c->have & CL_DONE)
		printf("    done:        %" PRIu64 " stages, busy %s, %" PRIu64 " uJ\n",
		       c->stages_done, ctl_fmt_ns(t, sizeof(t), c->busy_ns),
		       c->energy_uj);
}

int ctl_cmd_clusters(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cluster *one = NULL;
	struct ctl_snapshot s;
	json_object *a;
	uint32_t i;
	int first, ret = ctl_simple_args(ctl, ctl_cmd_named("clusters"), argc, argv, 0, 1,
					 &first);

	if (ret != CTL_GO_ON)
		return ret;
	ret = take(ctl, &s);
	if (ret)
		return ret;
	if (first < argc) {
		one = ctl_cluster_arg(ctl, &s, argv[first]);
		if (!one)
			return CTL_EXIT_ERROR;
	}
	if (ctl->json) {
		if (one) {
			ctl_json_print(ctl, ctl_cluster_json(one));
			return CTL_EXIT_OK;
		}
		a = json_object_new_array();
		for (i = 0; i < s.nr_clusters; i++)
			json_object_array_add(a, ctl_cluster_json(&s.clusters[i]));
		ctl_json_print(ctl, a);
		return CTL_EXIT_OK;
	}
	for (i = 0; i < s.nr_clusters; i++) {
		if (one && one != &s.clusters[i])
			continue;
		cluster_text(&s.clusters[i]);
	}
	return CTL_EXIT_OK;
}
