// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl: the state of edgeai at one moment, from the ioctls where the
 * caller may open /dev/edgeai and from sysfs (which everyone may read) for
 * the rest, so that an unprivileged user still sees what sysfs shows.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static const char *const prio_files[EDGEAI_NR_PRIO] = {
	[EDGEAI_PRIO_REALTIME] = "stats/queued_realtime",
	[EDGEAI_PRIO_HIGH] = "stats/queued_high",
	[EDGEAI_PRIO_NORMAL] = "stats/queued_normal",
	[EDGEAI_PRIO_BACKGROUND] = "stats/queued_background",
};

static void read_stats(struct ctl *ctl, struct ctl_stats *st)
{
	static const struct {
		const char *file;
		size_t offset;
		unsigned int group;
	} files[] = {
		{ "stats/submitted", offsetof(struct ctl_stats, submitted), ST_COUNTERS },
		{ "stats/completed", offsetof(struct ctl_stats, completed), ST_COUNTERS },
		{ "stats/failed", offsetof(struct ctl_stats, failed), ST_COUNTERS },
		{ "stats/cancelled", offsetof(struct ctl_stats, cancelled), ST_COUNTERS },
		{ "stats/deadline_misses", offsetof(struct ctl_stats, deadline_misses), ST_COUNTERS },
		{ "stats/rejected", offsetof(struct ctl_stats, rejected), ST_COUNTERS },
		{ "stats/exits_taken", offsetof(struct ctl_stats, exits_taken), ST_EXITS },
		{ "stats/live_jobs", offsetof(struct ctl_stats, live_jobs), ST_LIVE },
		{ "stats/live_graphs", offsetof(struct ctl_stats, live_graphs), ST_LIVE },
		{ "stats/live_ctx", offsetof(struct ctl_stats, live_ctx), ST_LIVE },
		{ "stats/tokens", offsetof(struct ctl_stats, tokens), ST_SESSIONS },
		{ "stats/freezes", offsetof(struct ctl_stats, freezes), ST_SESSIONS },
		{ "stats/live_sessions", offsetof(struct ctl_stats, live_sessions), ST_SESSIONS },
	};
	unsigned int i, missing = 0;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		uint64_t *v = (uint64_t *)((char *)st + files[i].offset);

		if (ctl_sysfs_read_u64(ctl, files[i].file, v))
			missing |= files[i].group;
		else
			st->have |= files[i].group;
	}
	st->have |= ST_QUEUED;
	for (i = 0; i < EDGEAI_NR_PRIO; i++)
		if (ctl_sysfs_read_u64(ctl, prio_files[i], &st->queued[i]))
			missing |= ST_QUEUED;
	/* A group counts as known only when every file of it was there. */
	st->have &= ~missing;
}

/* The value in @first..@last that libedgeai's @name_of calls @s; 0 if none. */
static uint32_t value_named(const char *s, const char *(*name_of)(uint32_t),
			    uint32_t first, uint32_t last)
{
	for (uint32_t v = first; v <= last; v++)
		if (!strcmp(s, name_of(v)))
			return v;
	return 0;
}

static int cl_read(struct ctl *ctl, const char *name, const char *file,
		   char *buf, size_t size)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "clusters/%s/%s", name, file);
	return ctl_sysfs_read(ctl, rel, buf, size);
}

static int cl_read_u64(struct ctl *ctl, const char *name, const char *file,
		       uint64_t *v)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "clusters/%s/%s", name, file);
	return ctl_sysfs_read_u64(ctl, rel, v);
}

/* "mW mW ... idle: mW" */
static int parse_power(const char *s, struct ctl_cluster *c)
{
	const char *idle = strstr(s, "idle:");
	char list[512];
	uint32_t v;
	int n;

	if (!idle || (size_t)(idle - s) >= sizeof(list))
		return -EINVAL;
	memcpy(list, s, idle - s);
	list[idle - s] = 0;
	n = ctl_parse_u32_list(list, c->power_mw, EDGEAI_MAX_FREQS);
	idle += strlen("idle:");
	idle += strspn(idle, " ");
	if (n < 0 || ctl_parse_u32(idle, &v))
		return -EINVAL;
	c->nr_power = (uint32_t)n;
	c->idle_mw = v;
	return 0;
}

/* Fills from sysfs what the ioctl did not give (all of it without one). */
static void cluster_from_sysfs(struct ctl *ctl, struct ctl_cluster *c)
{
	static const struct {
		const char *file;
		size_t offset;
		bool wide;
		unsigned int bit;
	} nums[] = {
		{ "cur_freq", offsetof(struct ctl_cluster, cur_freq_khz), false, CL_CUR_FREQ },
		{ "busy_ns", offsetof(struct ctl_cluster, busy_ns), true, CL_BUSY },
		{ "stages_done", offsetof(struct ctl_cluster, stages_done), true, CL_DONE },
		{ "energy_uj", offsetof(struct ctl_cluster, energy_uj), true, CL_ENERGY },
		{ "executors", offsetof(struct ctl_cluster, executors), false, CL_EXECUTORS },
		{ "queued", offsetof(struct ctl_cluster, queued), false, CL_QUEUED },
		{ "running", offsetof(struct ctl_cluster, running), false, CL_RUNNING },
	};
	char buf[512];
	unsigned int i;
	uint64_t v;
	int n;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		char *m = (char *)c + nums[i].offset;

		if (c->have & nums[i].bit ||
		    cl_read_u64(ctl, c->name, nums[i].file, &v))
			continue;
		if (nums[i].wide)
			*(uint64_t *)m = v;
		else
			*(uint32_t *)m = (uint32_t)v;
		c->have |= nums[i].bit;
	}
	if (!(c->have & CL_KIND) && !cl_read(ctl, c->name, "kind", buf, sizeof(buf))) {
		c->kind = value_named(buf, edgeai_kind_name, EDGEAI_CLUSTER_CPU,
				      EDGEAI_CLUSTER_NPU);
		c->have |= CL_KIND;
	}
	if (!(c->have & CL_CONTROL) &&
	    !cl_read(ctl, c->name, "control", buf, sizeof(buf))) {
		c->control = value_named(buf, edgeai_control_name, EDGEAI_CONTROL_VIRTUAL,
					 EDGEAI_CONTROL_DEVFREQ);
		c->have |= CL_CONTROL;
	}
	if (!(c->have & CL_CPUS) && !cl_read(ctl, c->name, "cpus", c->cpus,
					     sizeof(c->cpus)))
		c->have |= CL_CPUS;
	if (!(c->have & CL_FREQS) &&
	    !cl_read(ctl, c->name, "available_frequencies", buf, sizeof(buf))) {
		n = ctl_parse_u32_list(buf, c->freqs_khz, EDGEAI_MAX_FREQS);
		if (n >= 0) {
			c->nr_freqs = (uint32_t)n;
			c->have |= CL_FREQS;
		}
	}
	if (!(c->have & CL_POWER) && !cl_read(ctl, c->name, "power", buf, sizeof(buf)) &&
	    !parse_power(buf, c))
		c->have |= CL_POWER;
	if (!(c->have & CL_SWITCH) &&
	    !cl_read(ctl, c->name, "switch_cost_us", buf, sizeof(buf))) {
		uint32_t both[2];

		if (ctl_parse_u32_list(buf, both, 2) == 2) {
			c->switch_up_us = both[0];
			c->switch_down_us = both[1];
			c->have |= CL_SWITCH;
		}
	}
	if (!(c->have & CL_GOVERNOR) &&
	    !cl_read(ctl, c->name, "governor", c->governor, sizeof(c->governor)))
		c->have |= CL_GOVERNOR;
	if (!(c->have & CL_GOVERNORS) &&
	    !cl_read(ctl, c->name, "available_governors", buf, sizeof(buf))) {
		c->nr_governors = ctl_split_words(buf, c->governors,
						  CTL_MAX_GOVERNORS);
		c->have |= CL_GOVERNORS;
	}
	if (!(c->have & CL_SETSPEED) &&
	    !cl_read(ctl, c->name, "setspeed", buf, sizeof(buf)) &&
	    !ctl_parse_u32(buf, &c->setspeed_khz))
		c->have |= CL_SETSPEED;
}

static void cluster_from_ioctl(struct ctl_cluster *c,
			       const struct edgeai_cluster_desc *d)
{
	const struct edgeai_cluster_info *i = &d->info;

	c->id = i->cluster_id;
	snprintf(c->name, sizeof(c->name), "%.*s", (int)sizeof(i->name), i->name);
	c->kind = i->kind;
	c->control = i->control;
	c->nr_freqs = i->nr_freqs < EDGEAI_MAX_FREQS ? i->nr_freqs : EDGEAI_MAX_FREQS;
	memcpy(c->freqs_khz, d->freqs_khz, c->nr_freqs * sizeof(uint32_t));
	c->cur_freq_khz = i->cur_freq_khz;
	ctl_fmt_cpus(c->cpus, sizeof(c->cpus), d->cpus,
		     sizeof(d->cpus) / sizeof(d->cpus[0]));
	c->executors = i->nr_executors;
	c->queued = i->nr_queued;
	c->running = i->nr_running;
	snprintf(c->governor, sizeof(c->governor), "%.*s",
		 (int)sizeof(i->governor), i->governor);
	c->switch_up_us = i->switch_up_us;
	c->switch_down_us = i->switch_down_us;
	c->busy_ns = i->busy_ns;
	c->stages_done = i->stages_done;
	c->energy_uj = i->energy_uj;
	c->have = CL_KIND | CL_CONTROL | CL_FREQS | CL_CUR_FREQ | CL_CPUS |
		CL_EXECUTORS | CL_QUEUED | CL_RUNNING | CL_SWITCH | CL_BUSY |
		CL_DONE | CL_ENERGY;
	/* A module that has no governors yet leaves the name empty. */
	if (c->governor[0])
		c->have |= CL_GOVERNOR;
	if (!strcmp(c->governor, "userspace")) {
		c->setspeed_khz = i->setspeed_khz;
		c->have |= CL_SETSPEED;
	}
}

static int by_id(const void *a, const void *b)
{
	const struct ctl_cluster *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Every directory under clusters/, for a caller without /dev/edgeai. */
static void clusters_from_sysfs(struct ctl *ctl, struct ctl_snapshot *s)
{
	char path[512];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/clusters", ctl->sysfs);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) && s->nr_clusters < CTL_MAX_CLUSTERS) {
		struct ctl_cluster *c = &s->clusters[s->nr_clusters];
		uint64_t id;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(c->name))
			continue;
		memset(c, 0, sizeof(*c));
		strcpy(c->name, de->d_name);
		if (cl_read_u64(ctl, c->name, "id", &id))
			continue;
		c->id = (uint32_t)id;
		cluster_from_sysfs(ctl, c);
		s->nr_clusters++;
	}
	closedir(d);
	qsort(s->clusters, s->nr_clusters, sizeof(s->clusters[0]), by_id);
}

int ctl_snapshot(struct ctl *ctl, struct ctl_snapshot *s)
{
	struct edgeai *h = NULL;
	uint64_t abi;
	uint32_t i;
	int ret;

	memset(s, 0, sizeof(*s));
	s->time_ns = edgeai_now_ns();
	s->loaded = ctl_sysfs_present(ctl);
	if (!ctl_sysfs_read_u64(ctl, "abi_version", &abi))
		s->abi_version = (uint32_t)abi;
	read_stats(ctl, &s->stats);

	ret = edgeai_open(&h);
	if (!ret)
		ret = edgeai_get_info(h, &s->info);
	s->dev_err = ret;
	if (ret) {
		edgeai_close(h);
		if (!s->loaded)
			return -ENODEV;
		clusters_from_sysfs(ctl, s);
		return 0;
	}
	s->loaded = true;
	for (i = 0; i < s->info.nr_clusters && i < CTL_MAX_CLUSTERS; i++) {
		struct edgeai_cluster_desc d;
		struct ctl_cluster *c = &s->clusters[s->nr_clusters];

		memset(c, 0, sizeof(*c));
		if (edgeai_cluster_get(h, i, &d))
			continue;
		cluster_from_ioctl(c, &d);
		cluster_from_sysfs(ctl, c);
		s->nr_clusters++;
	}
	edgeai_close(h);
	return 0;
}

const struct ctl_cluster *ctl_cluster_arg(struct ctl *ctl,
					  const struct ctl_snapshot *s,
					  const char *word)
{
	char names[256] = "";
	size_t len = 0;
	uint32_t i, id;
	bool numeric = !ctl_parse_u32(word, &id);

	for (i = 0; i < s->nr_clusters; i++) {
		const struct ctl_cluster *c = &s->clusters[i];

		if (!strcmp(c->name, word) || (numeric && c->id == id))
			return c;
		if (len < sizeof(names))
			len += snprintf(names + len, sizeof(names) - len, " %s",
					c->name);
	}
	if (s->nr_clusters)
		ctl_err(ctl, "no cluster \"%s\" (clusters:%s)", word, names);
	else
		ctl_err(ctl, "no cluster \"%s\": edgeai reports no clusters", word);
	return NULL;
}

static json_object *u32_array(const uint32_t *v, uint32_t n)
{
	json_object *a = json_object_new_array_ext((int)n);
	uint32_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int64(v[i]));
	return a;
}

json_object *ctl_cluster_json(const struct ctl_cluster *c)
{
	json_object *o = json_object_new_object();

#define ADD(k, v) json_object_object_add(o, k, v)
	ADD("id", json_object_new_int64(c->id));
	ADD("name", json_object_new_string(c->name));
	if (c->have & CL_KIND)
		ADD("kind", json_object_new_string(edgeai_kind_name(c->kind)));
	if (c->have & CL_CONTROL)
		ADD("control", json_object_new_string(edgeai_control_name(c->control)));
	if (c->have & CL_CPUS)
		ADD("cpus", json_object_new_string(c->cpus));
	if (c->have & CL_FREQS)
		ADD("frequencies_khz", u32_array(c->freqs_khz, c->nr_freqs));
	if (c->have & CL_CUR_FREQ)
		ADD("cur_freq_khz", json_object_new_int64(c->cur_freq_khz));
	if (c->have & CL_GOVERNOR)
		ADD("governor", json_object_new_string(c->governor));
	if (c->have & CL_GOVERNORS) {
		json_object *a = json_object_new_array();
		uint32_t i;

		for (i = 0; i < c->nr_governors; i++)
			json_object_array_add(a, json_object_new_string(c->governors[i]));
		ADD("available_governors", a);
	}
	if (c->have & CL_SETSPEED)
		ADD("setspeed_khz", json_object_new_int64(c->setspeed_khz));
	if (c->have & CL_POWER) {
		ADD("power_mw", u32_array(c->power_mw, c->nr_power));
		ADD("idle_mw", json_object_new_int64(c->idle_mw));
	}
	if (c->have & CL_SWITCH) {
		ADD("switch_up_us", json_object_new_int64(c->switch_up_us));
		ADD("switch_down_us", json_object_new_int64(c->switch_down_us));
	}
	if (c->have & CL_BUSY)
		ADD("busy_ns", ctl_json_u64(c->busy_ns));
	if (c->have & CL_DONE)
		ADD("stages_done", ctl_json_u64(c->stages_done));
	if (c->have & CL_ENERGY)
		ADD("energy_uj", ctl_json_u64(c->energy_uj));
	if (c->have & CL_EXECUTORS)
		ADD("executors", json_object_new_int64(c->executors));
	if (c->have & CL_QUEUED)
		ADD("queued", json_object_new_int64(c->queued));
	if (c->have & CL_RUNNING)
		ADD("running", json_object_new_int64(c->running));
#undef ADD
	return o;
}

json_object *ctl_cluster_json_keys(const struct ctl_cluster *c, const char *const *keys,
				   unsigned int nr_keys)
{
	json_object *full = ctl_cluster_json(c), *o = json_object_new_object();
	unsigned int k;

	for (k = 0; k < nr_keys; k++) {
		json_object *v;

		if (json_object_object_get_ex(full, keys[k], &v))
			json_object_object_add(o, keys[k], json_object_get(v));
	}
	json_object_put(full);
	return o;
}

json_object *ctl_stats_json(const struct ctl_stats *st)
{
	json_object *o = json_object_new_object();

	if (st->have & ST_COUNTERS) {
		json_object_object_add(o, "submitted", ctl_json_u64(st->submitted));
		json_object_object_add(o, "completed", ctl_json_u64(st->completed));
		json_object_object_add(o, "failed", ctl_json_u64(st->failed));
		json_object_object_add(o, "cancelled", ctl_json_u64(st->cancelled));
		json_object_object_add(o, "deadline_misses",
				       ctl_json_u64(st->deadline_misses));
		json_object_object_add(o, "rejected", ctl_json_u64(st->rejected));
	}
	if (st->have & ST_EXITS)
		json_object_object_add(o, "exits_taken", ctl_json_u64(st->exits_taken));
	if (st->have & ST_SESSIONS) {
		json_object_object_add(o, "tokens", ctl_json_u64(st->tokens));
		json_object_object_add(o, "freezes", ctl_json_u64(st->freezes));
		json_object_object_add(o, "live_sessions", ctl_json_u64(st->live_sessions));
	}
	if (st->have & ST_LIVE) {
		json_object_object_add(o, "live_jobs", ctl_json_u64(st->live_jobs));
		json_object_object_add(o, "live_graphs", ctl_json_u64(st->live_graphs));
		json_object_object_add(o, "live_ctx", ctl_json_u64(st->live_ctx));
	}
	if (st->have & ST_QUEUED) {
		json_object *q = json_object_new_object();
		uint32_t p;

		for (p = 0; p < EDGEAI_NR_PRIO; p++)
			json_object_object_add(q, edgeai_prio_name(p),
					       ctl_json_u64(st->queued[p]));
		json_object_object_add(o, "queued", q);
	}
	return o;
}
