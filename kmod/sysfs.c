// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs attributes of /dev/edgeai's device: the ABI version, the
 * module-wide counters, and one directory per cluster.  Every file is
 * documented in docs/ABI/sysfs-class-misc-edgeai.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
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
static EDGEAI_STAT(exits_taken, true);
static EDGEAI_STAT(tokens, true);
static EDGEAI_STAT(freezes, true);
static EDGEAI_STAT(live_sessions, false);
static EDGEAI_STAT(live_jobs, false);
static EDGEAI_STAT(live_graphs, false);
static EDGEAI_STAT(live_ctx, false);

/* Stages queued on all clusters in one priority class. */
static ssize_t edgeai_queued_show(char *buf, u32 prio)
{
	u32 i, n = 0;

	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *c = &edgeai_clusters[i];

		spin_lock(&c->lock);
		n += c->nr_queued_prio[prio];
		spin_unlock(&c->lock);
	}
	return sysfs_emit(buf, "%u\n", n);
}

#define EDGEAI_QUEUED(_class, _prio)					\
static ssize_t queued_##_class##_show(struct device *dev,		\
				      struct device_attribute *attr,	\
				      char *buf)			\
{									\
	return edgeai_queued_show(buf, _prio);				\
}									\
static DEVICE_ATTR_RO(queued_##_class)

EDGEAI_QUEUED(realtime, EP_PRIO_REALTIME);
EDGEAI_QUEUED(high, EP_PRIO_HIGH);
EDGEAI_QUEUED(normal, EP_PRIO_NORMAL);
EDGEAI_QUEUED(background, EP_PRIO_BACKGROUND);

static struct attribute *edgeai_stats_attrs[] = {
	&edgeai_stat_submitted.attr.attr,
	&edgeai_stat_completed.attr.attr,
	&edgeai_stat_failed.attr.attr,
	&edgeai_stat_cancelled.attr.attr,
	&edgeai_stat_deadline_misses.attr.attr,
	&edgeai_stat_rejected.attr.attr,
	&edgeai_stat_exits_taken.attr.attr,
	&edgeai_stat_tokens.attr.attr,
	&edgeai_stat_freezes.attr.attr,
	&edgeai_stat_live_sessions.attr.attr,
	&edgeai_stat_live_jobs.attr.attr,
	&edgeai_stat_live_graphs.attr.attr,
	&edgeai_stat_live_ctx.attr.attr,
	&dev_attr_queued_realtime.attr,
	&dev_attr_queued_high.attr,
	&dev_attr_queued_normal.attr,
	&dev_attr_queued_background.attr,
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

/* ------------------------------------------------------------ clusters */

static struct kobject *edgeai_clusters_kobj;

static struct edgeai_cluster *to_cluster(struct kobject *kobj)
{
	return container_of(kobj, struct edgeai_cluster, kobj);
}

static ssize_t id_show(struct kobject *kobj, struct kobj_attribute *attr,
		       char *buf)
{
	return sysfs_emit(buf, "%u\n", to_cluster(kobj)->id);
}

/* Names of the uapi's cluster kinds and controls, by value. */
static const char *const edgeai_kinds[] = {
	[EDGEAI_CLUSTER_CPU] = "cpu",
	[EDGEAI_CLUSTER_GPU] = "gpu",
	[EDGEAI_CLUSTER_NPU] = "npu",
};

static const char *const edgeai_controls[] = {
	[EDGEAI_CONTROL_VIRTUAL] = "virtual",
	[EDGEAI_CONTROL_CPUFREQ] = "cpufreq",
	[EDGEAI_CONTROL_DEVFREQ] = "devfreq",
};

static ssize_t kind_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", edgeai_kinds[to_cluster(kobj)->kind]);
}

static ssize_t control_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", edgeai_controls[to_cluster(kobj)->control]);
}

static ssize_t cpus_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%*pbl\n",
			  cpumask_pr_args(to_cluster(kobj)->cpus));
}

/* One figure of every step, separated by spaces; gov_lock held or not needed. */
static ssize_t edgeai_emit_steps(char *buf, const struct edgeai_cluster *c,
				 size_t offset)
{
	ssize_t len = 0;
	u32 i;

	for (i = 0; i < c->model.nr_opp; i++)
		len += sysfs_emit_at(buf, len, "%s%u", i ? " " : "",
				     *(const u32 *)((const char *)&c->opp[i] + offset));
	return len + sysfs_emit_at(buf, len, "\n");
}

static ssize_t available_frequencies_show(struct kobject *kobj,
					  struct kobj_attribute *attr,
					  char *buf)
{
	return edgeai_emit_steps(buf, to_cluster(kobj),
				 offsetof(struct ep_opp, khz));
}

static ssize_t power_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct edgeai_cluster *c = to_cluster(kobj);
	ssize_t len = 0;
	u32 i;

	mutex_lock(&c->gov_lock);
	for (i = 0; i < c->model.nr_opp; i++)
		len += sysfs_emit_at(buf, len, "%u ", c->opp[i].power_mw);
	len += sysfs_emit_at(buf, len, "idle:%u\n", c->model.idle_mw);
	mutex_unlock(&c->gov_lock);
	return len;
}

static ssize_t switch_cost_us_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	struct edgeai_cluster *c = to_cluster(kobj);
	ssize_t len;

	mutex_lock(&c->gov_lock);
	len = sysfs_emit(buf, "%llu %llu\n",
			 div_u64(c->model.switch_up_ns, NSEC_PER_USEC),
			 div_u64(c->model.switch_down_ns, NSEC_PER_USEC));
	mutex_unlock(&c->gov_lock);
	return len;
}

static ssize_t speed_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct edgeai_cluster *c = to_cluster(kobj);
	ssize_t len;

	mutex_lock(&c->gov_lock);
	len = edgeai_emit_steps(buf, c, offsetof(struct ep_opp, speed));
	mutex_unlock(&c->gov_lock);
	return len;
}

static ssize_t host_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct edgeai_cluster *host = to_cluster(kobj)->host;

	return sysfs_emit(buf, "%s\n", host ? host->name : "");
}

static ssize_t cur_freq_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%u\n", edgeai_cluster_cur_khz(to_cluster(kobj)));
}

/* What edgeai asks of the control now: 0 when nothing (shared, no work). */
static ssize_t requested_freq_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	struct edgeai_cluster *c = to_cluster(kobj);
	u32 khz;

	mutex_lock(&c->gov_lock);
	khz = c->req_khz;
	mutex_unlock(&c->gov_lock);
	return sysfs_emit(buf, "%u\n", khz);
}

static ssize_t actual_freq_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct edgeai_cluster *c = to_cluster(kobj);

	edgeai_cluster_readback(c);
	return sysfs_emit(buf, "%u\n", edgeai_cluster_actual_khz(c));
}

static ssize_t time_in_state_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	struct edgeai_cluster *c = to_cluster(kobj);
	u64 ns[EP_MAX_OPPS];
	u32 i, n = edgeai_cluster_residency(c, ns);
	ssize_t len = 0;

	for (i = 0; i < n; i++)
		len += sysfs_emit_at(buf, len, "%u %llu\n", c->opp[i].khz, ns[i]);
	return len;
}

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  edgeai_mode_names[READ_ONCE(to_cluster(kobj)->mode)]);
}

static ssize_t mode_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	int ret = edgeai_mode_set(to_cluster(kobj), buf);

	return ret ? ret : count;
}

static ssize_t governor_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n", READ_ONCE(to_cluster(kobj)->gov)->name);
}

static ssize_t governor_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	int ret = edgeai_governor_set(to_cluster(kobj), buf, 0);

	return ret ? ret : count;
}

static ssize_t available_governors_show(struct kobject *kobj,
					struct kobj_attribute *attr, char *buf)
{
	return edgeai_governors_list(buf);
}

static ssize_t setspeed_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct edgeai_cluster *c = to_cluster(kobj);
	ssize_t len;

	mutex_lock(&c->gov_lock);
	if (c->gov == &edgeai_gov_userspace)
		len = sysfs_emit(buf, "%u\n", c->setspeed_khz);
	else
		len = sysfs_emit(buf, "<unsupported>\n");
	mutex_unlock(&c->gov_lock);
	return len;
}

static ssize_t setspeed_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	u32 khz;
	int ret;

	ret = kstrtou32(buf, 10, &khz);
	if (ret)
		return -EINVAL;
	ret = edgeai_setspeed_set(to_cluster(kobj), khz);
	return ret ? ret : count;
}

/* A 64-bit figure the cluster's lock protects. */
static ssize_t edgeai_cluster_u64_show(struct kobject *kobj, char *buf,
				       const u64 *figure)
{
	struct edgeai_cluster *c = to_cluster(kobj);
	u64 v;

	spin_lock(&c->lock);
	v = *figure;
	spin_unlock(&c->lock);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t busy_ns_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return edgeai_cluster_u64_show(kobj, buf, &to_cluster(kobj)->busy_ns);
}

static ssize_t stages_done_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return edgeai_cluster_u64_show(kobj, buf,
				       &to_cluster(kobj)->stages_done);
}

static ssize_t energy_uj_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	return edgeai_cluster_u64_show(kobj, buf, &to_cluster(kobj)->energy_uj);
}

static ssize_t executors_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_cluster(kobj)->nr_exec));
}

static ssize_t queued_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_cluster(kobj)->nr_queued));
}

static ssize_t running_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_cluster(kobj)->nr_running));
}

static ssize_t wait_ns_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	u64 w[EP_NR_PRIO];

	edgeai_cluster_wait(to_cluster(kobj), w);
	return sysfs_emit(buf, "%llu %llu %llu %llu\n", w[EP_PRIO_REALTIME],
			  w[EP_PRIO_HIGH], w[EP_PRIO_NORMAL],
			  w[EP_PRIO_BACKGROUND]);
}

static struct kobj_attribute edgeai_cluster_attr[] = {
	__ATTR_RO(id),
	__ATTR_RO(kind),
	__ATTR_RO(control),
	__ATTR_RO(cpus),
	__ATTR_RO(available_frequencies),
	__ATTR_RO(power),
	__ATTR_RO(switch_cost_us),
	__ATTR_RO(speed),
	__ATTR_RO(host),
	__ATTR_RO(cur_freq),
	__ATTR_RO(requested_freq),
	__ATTR_RO(actual_freq),
	__ATTR_RO(time_in_state),
	__ATTR_RW(mode),
	__ATTR_RW(governor),
	__ATTR_RO(available_governors),
	__ATTR_RW(setspeed),
	__ATTR_RO(busy_ns),
	__ATTR_RO(stages_done),
	__ATTR_RO(energy_uj),
	__ATTR_RO(executors),
	__ATTR_RO(queued),
	__ATTR_RO(running),
	__ATTR_RO(wait_ns),
};

static struct attribute *edgeai_cluster_attrs[ARRAY_SIZE(edgeai_cluster_attr) + 1];

static const struct attribute_group edgeai_cluster_group = {
	.attrs = edgeai_cluster_attrs,
};

static const struct attribute_group *edgeai_cluster_groups[] = {
	&edgeai_cluster_group,
	NULL
};

static void edgeai_cluster_kobj_release(struct kobject *kobj)
{
	complete(&to_cluster(kobj)->kobj_gone);
}

static const struct kobj_type edgeai_cluster_ktype = {
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = edgeai_cluster_groups,
	.release = edgeai_cluster_kobj_release,
};

/**
 * edgeai_sysfs_clusters_init() - a "clusters" directory under the device
 * @dev: /dev/edgeai's device
 *
 * Return: 0 or a negative errno.
 */
int edgeai_sysfs_clusters_init(struct device *dev)
{
	u32 i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(edgeai_cluster_attr); i++)
		edgeai_cluster_attrs[i] = &edgeai_cluster_attr[i].attr;

	edgeai_clusters_kobj = kobject_create_and_add("clusters", &dev->kobj);
	if (!edgeai_clusters_kobj)
		return -ENOMEM;
	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *c = &edgeai_clusters[i];

		ret = kobject_init_and_add(&c->kobj, &edgeai_cluster_ktype,
					   edgeai_clusters_kobj, "%s", c->name);
		if (ret) {
			kobject_put(&c->kobj);
			wait_for_completion(&c->kobj_gone);
			while (i--) {
				kobject_put(&edgeai_clusters[i].kobj);
				wait_for_completion(&edgeai_clusters[i].kobj_gone);
			}
			kobject_put(edgeai_clusters_kobj);
			return ret;
		}
	}
	return 0;
}

/**
 * edgeai_sysfs_clusters_exit() - remove the cluster directories
 *
 * Waits until no one holds them, so the clusters can be freed after.
 */
void edgeai_sysfs_clusters_exit(void)
{
	u32 i;

	for (i = 0; i < edgeai_nr_clusters; i++) {
		kobject_put(&edgeai_clusters[i].kobj);
		wait_for_completion(&edgeai_clusters[i].kobj_gone);
	}
	kobject_put(edgeai_clusters_kobj);
}
