// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai_fakehw: a test-only cpufreq driver and devfreq device, so that
 * edgeai's real QoS paths run in a VM that has neither.  Never shipped.
 *
 * CPUs are grouped in policies of "cpus_per_policy" CPUs (0-1, 2-3, ...),
 * each with a small frequency table; "big_steps" gives the odd policies
 * more steps over the same range (more than edgeai keeps, for its tests).
 * A platform driver gives its device an OPP table and a devfreq device on
 * simple_ondemand: the device tree's
 * "edgeai,fake-gpu" node where there is one (arm64 test VM), else a device
 * "edgeai-fake-gpu" the module registers itself.  What the drivers were
 * last asked to run at is in debugfs, under edgeai_fakehw/:
 * policy<first cpu>_khz and gpu_khz.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpufreq.h>
#include <linux/debugfs.h>
#include <linux/devfreq.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/pm_opp.h>

static unsigned int cpus_per_policy = 2;
module_param(cpus_per_policy, uint, 0444);
MODULE_PARM_DESC(cpus_per_policy, "CPUs in each fake cpufreq policy (default 2)");

#define FAKE_MAX_POLICIES	8
#define FAKE_STEPS		4
#define FAKE_MAX_STEPS		64

static unsigned int big_steps = FAKE_STEPS;
module_param(big_steps, uint, 0444);
MODULE_PARM_DESC(big_steps,
		 "Steps of the odd policies, evenly from 600 to 2400 MHz (2-64, default 4)");

/*
 * Even policies get the LITTLE-like table, odd ones the big-like one, made
 * at load from big_steps.
 */
static struct cpufreq_frequency_table fake_tables[2][FAKE_MAX_STEPS + 1] = {
	{
		{ .frequency = 400000 }, { .frequency = 800000 },
		{ .frequency = 1200000 }, { .frequency = 1600000 },
		{ .frequency = CPUFREQ_TABLE_END },
	},
};

static void fake_big_table(void)
{
	struct cpufreq_frequency_table *t = fake_tables[1];
	unsigned int i;

	for (i = 0; i < big_steps; i++)
		t[i].frequency = 600000 + i * (2400000 - 600000) / (big_steps - 1);
	t[big_steps].frequency = CPUFREQ_TABLE_END;
}

/* The highest frequency of a policy's table. */
static unsigned int fake_top(unsigned int p)
{
	return fake_tables[p % 2][p % 2 ? big_steps - 1 : FAKE_STEPS - 1].frequency;
}

static u32 fake_policy_khz[FAKE_MAX_POLICIES];
static u32 fake_gpu_khz;
static struct dentry *fake_debugfs;

static unsigned int fake_policy_of(unsigned int cpu)
{
	return min(cpu / cpus_per_policy, FAKE_MAX_POLICIES - 1U);
}

static int fake_cpufreq_init(struct cpufreq_policy *policy)
{
	unsigned int p = fake_policy_of(policy->cpu), cpu;

	for_each_possible_cpu(cpu)
		if (fake_policy_of(cpu) == p)
			cpumask_set_cpu(cpu, policy->cpus);
	policy->freq_table = fake_tables[p % 2];
	policy->cpuinfo.transition_latency = 100 * NSEC_PER_USEC;
	if (!fake_policy_khz[p])
		fake_policy_khz[p] = fake_top(p);
	policy->cur = fake_policy_khz[p];
	return 0;
}

static int fake_cpufreq_target(struct cpufreq_policy *policy,
			       unsigned int index)
{
	WRITE_ONCE(fake_policy_khz[fake_policy_of(policy->cpu)],
		   policy->freq_table[index].frequency);
	return 0;
}

static unsigned int fake_cpufreq_get(unsigned int cpu)
{
	return READ_ONCE(fake_policy_khz[fake_policy_of(cpu)]);
}

static struct cpufreq_driver fake_cpufreq = {
	.name = "edgeai-fake",
	.flags = CPUFREQ_NEED_INITIAL_FREQ_CHECK |
		 CPUFREQ_HAVE_GOVERNOR_PER_POLICY,
	.init = fake_cpufreq_init,
	.verify = cpufreq_generic_frequency_table_verify,
	.target_index = fake_cpufreq_target,
	.get = fake_cpufreq_get,
	.attr = cpufreq_generic_attr,
};

/* ---------------------------------------------------------------- devfreq */

static const unsigned long fake_gpu_hz[] = {
	200000000, 400000000, 600000000, 800000000,
};

static struct platform_device *fake_gpu_own;
static struct devfreq *fake_devfreq;

static int fake_gpu_target(struct device *dev, unsigned long *freq, u32 flags)
{
	struct dev_pm_opp *opp = devfreq_recommended_opp(dev, freq, flags);

	if (IS_ERR(opp))
		return PTR_ERR(opp);
	dev_pm_opp_put(opp);
	WRITE_ONCE(fake_gpu_khz, *freq / 1000);
	return 0;
}

static int fake_gpu_status(struct device *dev, struct devfreq_dev_status *st)
{
	st->busy_time = 50;
	st->total_time = 100;
	st->current_frequency = (unsigned long)READ_ONCE(fake_gpu_khz) * 1000;
	return 0;
}

static int fake_gpu_cur(struct device *dev, unsigned long *freq)
{
	*freq = (unsigned long)READ_ONCE(fake_gpu_khz) * 1000;
	return 0;
}

static struct devfreq_dev_profile fake_gpu_profile = {
	.initial_freq = 800000000,
	.polling_ms = 0,
	.target = fake_gpu_target,
	.get_dev_status = fake_gpu_status,
	.get_cur_freq = fake_gpu_cur,
};

static void fake_gpu_release(void *dev)
{
	devfreq_remove_device(fake_devfreq);
	dev_pm_opp_remove_all_dynamic(dev);
}

static int fake_gpu_probe(struct platform_device *pdev)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(fake_gpu_hz); i++) {
		ret = dev_pm_opp_add(&pdev->dev, fake_gpu_hz[i], 900000);
		if (ret)
			goto err;
	}
	fake_gpu_khz = fake_gpu_profile.initial_freq / 1000;
	fake_devfreq = devfreq_add_device(&pdev->dev, &fake_gpu_profile,
					  DEVFREQ_GOV_SIMPLE_ONDEMAND, NULL);
	if (IS_ERR(fake_devfreq)) {
		ret = PTR_ERR(fake_devfreq);
		goto err;
	}
	/* Undone at unbind: a .remove's type differs between kernels. */
	return devm_add_action_or_reset(&pdev->dev, fake_gpu_release, &pdev->dev);
err:
	dev_pm_opp_remove_all_dynamic(&pdev->dev);
	return ret;
}

static const struct of_device_id fake_gpu_of_match[] = {
	{ .compatible = "edgeai,fake-gpu" },
	{ }
};

static struct platform_driver fake_gpu_driver = {
	.probe = fake_gpu_probe,
	.driver = {
		.name = "edgeai-fake-gpu",
		.of_match_table = fake_gpu_of_match,
	},
};

/* Without a device tree node, a device of our own (the core's release). */
static int fake_gpu_add(void)
{
	struct device_node *np;
	int ret;

	ret = platform_driver_register(&fake_gpu_driver);
	if (ret)
		return ret;
	np = of_find_compatible_node(NULL, NULL, "edgeai,fake-gpu");
	of_node_put(np);
	if (np)
		return 0;
	fake_gpu_own = platform_device_register_simple("edgeai-fake-gpu", -1,
						       NULL, 0);
	if (IS_ERR(fake_gpu_own)) {
		platform_driver_unregister(&fake_gpu_driver);
		return PTR_ERR(fake_gpu_own);
	}
	return 0;
}

static void fake_gpu_del(void)
{
	if (!IS_ERR_OR_NULL(fake_gpu_own))
		platform_device_unregister(fake_gpu_own);
	platform_driver_unregister(&fake_gpu_driver);
}

static int __init fake_init(void)
{
	char name[32];
	unsigned int p;
	int ret;

	if (!cpus_per_policy || big_steps < 2 || big_steps > FAKE_MAX_STEPS)
		return -EINVAL;
	fake_big_table();
	ret = fake_gpu_add();
	if (ret)
		return ret;
	ret = cpufreq_register_driver(&fake_cpufreq);
	if (ret) {
		fake_gpu_del();
		return ret;
	}
	fake_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	for (p = 0; p < FAKE_MAX_POLICIES; p++) {
		snprintf(name, sizeof(name), "policy%u_khz", p * cpus_per_policy);
		debugfs_create_u32(name, 0444, fake_debugfs, &fake_policy_khz[p]);
	}
	debugfs_create_u32("gpu_khz", 0444, fake_debugfs, &fake_gpu_khz);
	return 0;
}
module_init(fake_init);

static void __exit fake_exit(void)
{
	debugfs_remove_recursive(fake_debugfs);
	cpufreq_unregister_driver(&fake_cpufreq);
	fake_gpu_del();
}
module_exit(fake_exit);

MODULE_DESCRIPTION("edgeai test-only fake cpufreq driver and devfreq device");
MODULE_LICENSE("GPL");
