// SPDX-License-Identifier: GPL-2.0-only
/*
 * GPU and NPU clusters from devfreq: the "devfreq" parameter names each
 * devfreq device's parent on the platform bus; its OPP table gives the
 * steps.  A device PM QoS minimum-frequency request on it raises a floor
 * in shared mode (simple_ondemand rules otherwise); in exclusive mode a
 * maximum-frequency request at the same value holds the device at the
 * governor's choice.  A notifier on the maximum-frequency constraint tells
 * edgeai when another request (devfreq_cooling, the user's max_freq)
 * moves, and edgeai reads back the frequency devfreq set.
 *
 * A reference on the parent keeps its struct device; a bus notifier drops
 * the requests when the device goes away (device_del() would clear them
 * under us otherwise).
 *
 * Copyright (C) 2026 The edgeai authors
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/devfreq.h>
#include <linux/energy_model.h>
#include <linux/notifier.h>
#include <linux/platform_device.h>
#include <linux/pm_opp.h>
#include <linux/pm_qos.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "edgeai.h"

static bool edgeai_devfreq_registered;

/* Discovery against the bus notifier: the cluster table grows meanwhile. */
static DEFINE_MUTEX(edgeai_devfreq_lock);

static void edgeai_devfreq_apply(struct edgeai_cluster *c, u32 khz)
{
	struct dev_pm_qos_request *max = &c->pm_max;

	if (c->mode != EDGEAI_MODE_EXCLUSIVE) {
		if (dev_pm_qos_request_active(max))
			dev_pm_qos_remove_request(max);
		dev_pm_qos_update_request(&c->pm_min,
					  khz ?: PM_QOS_MIN_FREQUENCY_DEFAULT_VALUE);
		return;
	}
	if (!dev_pm_qos_request_active(max) &&
	    dev_pm_qos_add_request(c->qos_dev, max, DEV_PM_QOS_MAX_FREQUENCY,
				   PM_QOS_MAX_FREQUENCY_DEFAULT_VALUE) < 0) {
		pr_warn_once("cluster %s: no maximum-frequency request\n",
			     c->name);
		dev_pm_qos_update_request(&c->pm_min, khz);
		return;
	}
	/* Raise the ceiling before the floor going up, the floor first going down. */
	if (khz >= c->req_khz) {
		dev_pm_qos_update_request(max, khz);
		dev_pm_qos_update_request(&c->pm_min, khz);
	} else {
		dev_pm_qos_update_request(&c->pm_min, khz);
		dev_pm_qos_update_request(max, khz);
	}
}

static int edgeai_devfreq_cur(struct device *child, void *data)
{
	struct devfreq *df;

	if (!child->class || strcmp(child->class->name, "devfreq"))
		return 0;
	df = container_of(child, struct devfreq, dev);
	*(u32 *)data = READ_ONCE(df->previous_freq) / 1000;
	return 1;
}

/*
 * devfreq applies QoS changes synchronously: the frequency it last set is
 * what the requests left.  The devfreq device is looked up each time (it
 * may go while its parent stays).  The maximum-frequency constraint cannot
 * be read (dev_pm_qos_read_value() is not exported): it is known from its
 * notifier once it changed, and only in shared mode is it the others' alone.
 * Before that, a cap shows as a frequency below edgeai's request.
 */
static void edgeai_devfreq_read(struct edgeai_cluster *c, u32 *khz,
				u32 *limit_khz)
{
	device_for_each_child(c->qos_dev, khz, edgeai_devfreq_cur);
	if (c->req_mode != EDGEAI_MODE_EXCLUSIVE)
		*limit_khz = READ_ONCE(c->qos_max_khz);
}

static void edgeai_devfreq_release(struct edgeai_cluster *c)
{
	dev_pm_qos_remove_notifier(c->qos_dev, &c->limit_nb,
				   DEV_PM_QOS_MAX_FREQUENCY);
	if (dev_pm_qos_request_active(&c->pm_min))
		dev_pm_qos_remove_request(&c->pm_min);
	if (dev_pm_qos_request_active(&c->pm_max))
		dev_pm_qos_remove_request(&c->pm_max);
}

static const struct edgeai_control_ops edgeai_devfreq_ops = {
	.apply = edgeai_devfreq_apply,
	.read = edgeai_devfreq_read,
	.release = edgeai_devfreq_release,
};

static int edgeai_is_devfreq(struct device *child, void *data)
{
	return child->class && !strcmp(child->class->name, "devfreq");
}

/* Steps from the OPP table, power from the energy model if any. */
static int edgeai_devfreq_steps(struct edgeai_cluster *c, struct device *dev)
{
	struct em_perf_domain *pd = em_pd_get(dev);
	struct em_perf_state *table;
	int i, count = dev_pm_opp_get_opp_count(dev);
	unsigned long hz = 0;
	struct dev_pm_opp *opp;
	u32 n = 0, *khz;

	if (count <= 0)
		return -ENODEV;
	khz = kmalloc_array(count, sizeof(*khz), GFP_KERNEL);
	if (!khz)
		return -ENOMEM;
	while (n < count) {
		opp = dev_pm_opp_find_freq_ceil(dev, &hz);
		if (IS_ERR(opp))
			break;
		dev_pm_opp_put(opp);
		khz[n++] = hz / 1000;
		hz++;
	}
	i = edgeai_cluster_set_steps(c, khz, n);
	kfree(khz);
	if (i)
		return -ENODEV;
	if (!pd || em_is_artificial(pd))
		return 0;
	rcu_read_lock();
	table = edgeai_em_perf_states(pd);
	for (i = 0; i < pd->nr_perf_states; i++) {
		unsigned long mw = table[i].power;
		u32 j;

		if (pd->flags & EM_PERF_DOMAIN_MICROWATTS)
			mw /= 1000;
		for (j = 0; j < c->model.nr_opp; j++)
			if (c->opp[j].khz == table[i].frequency)
				c->opp[j].power_mw = min_t(unsigned long, mw,
							   U32_MAX);
	}
	rcu_read_unlock();
	return 0;
}

/**
 * edgeai_devfreq_add() - a GPU or NPU cluster for a devfreq device
 * @name: the cluster's name
 * @kind: %EDGEAI_CLUSTER_GPU or %EDGEAI_CLUSTER_NPU
 * @dev: the devfreq device's parent; the cluster takes over the caller's
 *	reference on it (and drops it on failure)
 *
 * Call edgeai_devfreq_start() first.
 *
 * Return: the cluster, ERR_PTR(-EPROBE_DEFER) while @dev has no devfreq
 * device yet, or another ERR_PTR().
 */
struct edgeai_cluster *edgeai_devfreq_add(const char *name, u32 kind,
					  struct device *dev)
{
	struct edgeai_cluster *c;
	int ret;

	if (!device_for_each_child(dev, NULL, edgeai_is_devfreq)) {
		put_device(dev);
		return ERR_PTR(-EPROBE_DEFER);
	}
	mutex_lock(&edgeai_devfreq_lock);
	c = edgeai_cluster_new(name, kind, EDGEAI_CONTROL_DEVFREQ);
	if (IS_ERR(c))
		goto out;
	c->ops = &edgeai_devfreq_ops;
	ret = edgeai_devfreq_steps(c, dev);
	if (ret) {
		if (ret == -ENODEV)
			pr_warn("devfreq: %s has no OPP table\n", dev_name(dev));
		edgeai_cluster_drop(c);
		c = ERR_PTR(ret);
		goto out;
	}
	c->qos_dev = dev;
	dev = NULL;
	c->cur_step = c->model.nr_opp - 1;
	mutex_lock(&c->gov_lock);
	/* No floor until the governors start (the maximum comes with them). */
	ret = dev_pm_qos_add_request(c->qos_dev, &c->pm_min,
				     DEV_PM_QOS_MIN_FREQUENCY,
				     PM_QOS_MIN_FREQUENCY_DEFAULT_VALUE);
	if (ret >= 0) {
		c->limit_nb.notifier_call = edgeai_cluster_limit_changed;
		ret = dev_pm_qos_add_notifier(c->qos_dev, &c->limit_nb,
					      DEV_PM_QOS_MAX_FREQUENCY);
		if (ret < 0)
			dev_pm_qos_remove_request(&c->pm_min);
	}
	c->attached = ret >= 0;
	mutex_unlock(&c->gov_lock);
	if (ret < 0)
		pr_warn("cluster %s: no QoS request on %s (%d)\n", c->name,
			dev_name(c->qos_dev), ret);
	pr_info("cluster %s: devfreq device of %s, %u steps\n", c->name,
		dev_name(c->qos_dev), c->model.nr_opp);
out:
	mutex_unlock(&edgeai_devfreq_lock);
	put_device(dev);
	return c;
}

static int edgeai_devfreq_notify(struct notifier_block *nb,
				 unsigned long event, void *data)
{
	struct device *dev = data;
	u32 i;

	if (event != BUS_NOTIFY_DEL_DEVICE)
		return NOTIFY_DONE;
	mutex_lock(&edgeai_devfreq_lock);
	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *c = &edgeai_clusters[i];

		if (c->control != EDGEAI_CONTROL_DEVFREQ || c->qos_dev != dev)
			continue;
		mutex_lock(&c->gov_lock);
		if (c->attached) {
			edgeai_devfreq_release(c);
			c->attached = false;
			pr_info("cluster %s: device gone, frequency no longer enforced\n",
				c->name);
		}
		mutex_unlock(&c->gov_lock);
	}
	mutex_unlock(&edgeai_devfreq_lock);
	return NOTIFY_OK;
}

static struct notifier_block edgeai_devfreq_nb = {
	.notifier_call = edgeai_devfreq_notify,
};

/**
 * edgeai_devfreq_start() - watch for devfreq devices going away
 *
 * Return: 0 or a negative errno.
 */
int edgeai_devfreq_start(void)
{
	int ret;

	if (edgeai_devfreq_registered)
		return 0;
	ret = bus_register_notifier(&platform_bus_type, &edgeai_devfreq_nb);
	if (!ret)
		edgeai_devfreq_registered = true;
	return ret;
}

/* One "name:kind:device" entry of the parameter. */
static int edgeai_devfreq_entry(char *spec)
{
	char *name, *kind_s, *devname;
	struct edgeai_cluster *c;
	struct device *dev;
	u32 kind;

	name = strsep(&spec, ":");
	kind_s = strsep(&spec, ":");
	devname = strsep(&spec, ":");
	if (!kind_s || !devname || spec || !*devname)
		return -EINVAL;
	if (!strcmp(kind_s, "gpu"))
		kind = EDGEAI_CLUSTER_GPU;
	else if (!strcmp(kind_s, "npu"))
		kind = EDGEAI_CLUSTER_NPU;
	else
		return -EINVAL;
	dev = bus_find_device_by_name(&platform_bus_type, NULL, devname);
	if (!dev) {
		pr_warn("devfreq: no platform device %s, skipped\n", devname);
		return 0;
	}
	c = edgeai_devfreq_add(name, kind, dev);
	if (PTR_ERR_OR_ZERO(c) == -EPROBE_DEFER || PTR_ERR_OR_ZERO(c) == -ENODEV) {
		pr_warn("devfreq: %s has no devfreq device or OPPs, skipped\n",
			devname);
		return 0;
	}
	return PTR_ERR_OR_ZERO(c);
}

/**
 * edgeai_devfreq_discover() - the clusters the "devfreq" parameter names
 * @param: "name:kind:device;..." or NULL
 *
 * Devices that are missing or have no devfreq are skipped with a warning.
 *
 * Return: 0, or a negative errno for a malformed parameter.
 */
int edgeai_devfreq_discover(const char *param)
{
	char *buf, *cur, *spec;
	int ret;

	if (!param || !*param)
		return 0;
	ret = edgeai_devfreq_start();
	if (ret)
		return ret;
	buf = kstrdup(param, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	cur = buf;
	while (!ret && (spec = strsep(&cur, ";")) != NULL)
		if (*spec)
			ret = edgeai_devfreq_entry(spec);
	if (ret == -EINVAL)
		pr_err("devfreq: bad parameter (name:gpu|npu:device;...)\n");
	kfree(buf);
	return ret;
}

/**
 * edgeai_devfreq_exit() - drop the requests and device references
 */
void edgeai_devfreq_exit(void)
{
	u32 i;

	if (edgeai_devfreq_registered)
		bus_unregister_notifier(&platform_bus_type, &edgeai_devfreq_nb);
	edgeai_devfreq_registered = false;
	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *c = &edgeai_clusters[i];

		if (c->control != EDGEAI_CONTROL_DEVFREQ)
			continue;
		mutex_lock(&c->gov_lock);
		if (c->attached)
			edgeai_devfreq_release(c);
		c->attached = false;
		mutex_unlock(&c->gov_lock);
		put_device(c->qos_dev);
		c->qos_dev = NULL;
	}
}
