// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs attributes of /dev/edgeai's device: the ABI version and the
 * module-wide counters.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include <linux/device.h>
#include <linux/stringify.h>
#include <linux/sysfs.h>

#include "edgeai.h"

static ssize_t abi_version_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", EDGEAI_ABI_VERSION);
}
static DEVICE_ATTR_RO(abi_version);

static struct attribute *edgeai_dev_attrs[] = {
	&dev_attr_abi_version.attr,
	NULL
};

static const struct attribute_group edgeai_dev_group = {
	.attrs = edgeai_dev_attrs,
};

/**
 * struct edgeai_stat_attr - a counter of &struct edgeai_stats in sysfs
 * @attr: the attribute
 * @offset: where the counter is in &struct edgeai_stats
 * @wide: the counter is an atomic64_t, not an atomic_t
 */
struct edgeai_stat_attr {
	struct device_attribute attr;
	size_t offset;
	bool wide;
};

static ssize_t edgeai_stat_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct edgeai_stat_attr *sa = container_of(attr, struct edgeai_stat_attr,
						   attr);
	void *counter = (char *)&edgeai_stats + sa->offset;

	if (sa->wide)
		return sysfs_emit(buf, "%lld\n", atomic64_read(counter));
	return sysfs_emit(buf, "%d\n", atomic_read(counter));
}

#define EDGEAI_STAT(_name, _wide)					\
	struct edgeai_stat_attr edgeai_stat_##_name = {			\
		.attr = {						\
			.attr = { .name = __stringify(_name), .mode = 0444 }, \
			.show = edgeai_stat_show,			\
		},							\
		.offset = offsetof(struct edgeai_stats, _name),		\
		.wide = _wide,						\
	}

static EDGEAI_STAT(submitted, true);
static EDGEAI_STAT(completed, true);
static EDGEAI_STAT(failed, true);
static EDGEAI_STAT(cancelled, true);
static EDGEAI_STAT(deadline_misses, true);
static EDGEAI_STAT(rejected, true);
static EDGEAI_STAT(live_jobs, false);
static EDGEAI_STAT(live_graphs, false);
static EDGEAI_STAT(live_ctx, false);

static struct attribute *edgeai_stats_attrs[] = {
	&edgeai_stat_submitted.attr.attr,
	&edgeai_stat_completed.attr.attr,
	&edgeai_stat_failed.attr.attr,
	&edgeai_stat_cancelled.attr.attr,
	&edgeai_stat_deadline_misses.attr.attr,
	&edgeai_stat_rejected.attr.attr,
	&edgeai_stat_live_jobs.attr.attr,
	&edgeai_stat_live_graphs.attr.attr,
	&edgeai_stat_live_ctx.attr.attr,
	NULL
};

static const struct attribute_group edgeai_stats_group = {
	.name = "stats",
	.attrs = edgeai_stats_attrs,
};

const struct attribute_group *edgeai_attr_groups[] = {
	&edgeai_dev_group,
	&edgeai_stats_group,
	NULL
};
