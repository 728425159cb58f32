// SPDX-License-Identifier: GPL-2.0-only
/*
 * Clusters from the device tree: a node compatible with "edgeai,clusters"
 * (dts/bindings/edgeai,clusters.yaml) whose "cluster-<name>" children list
 * a CPU cluster's cpus, or point at a GPU's or NPU's devfreq-capable node,
 * with optional power and frequency-switch figures and the CPU cluster
 * that drives a GPU or NPU.
 *
 * The node's platform driver starts edgeai when it binds, and defers until
 * the cpufreq policies and devfreq devices it names exist.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include <linux/cpu.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/string.h>

#include "edgeai.h"

#define EDGEAI_OF_PREFIX	"cluster-"

static const char *edgeai_of_name(const struct device_node *np)
{
	const char *name = np->name;

	return strstarts(name, EDGEAI_OF_PREFIX) ?
	       name + strlen(EDGEAI_OF_PREFIX) : name;
}

static int edgeai_of_cpus(struct device *dev, struct device_node *np,
			  struct cpumask *mask)
{
	struct device_node *cpu_np;
	int i, n, cpu;

	n = of_count_phandle_with_args(np, "cpus", NULL);
	if (n <= 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		cpu_np = of_parse_phandle(np, "cpus", i);
		cpu = cpu_np ? of_cpu_node_to_id(cpu_np) : -ENODEV;
		of_node_put(cpu_np);
		if (cpu < 0) {
			dev_err(dev, "%pOF: cpus entry %d is not a CPU\n", np, i);
			return -EINVAL;
		}
		cpumask_set_cpu(cpu, mask);
	}
	return 0;
}

static struct edgeai_cluster *edgeai_of_device(struct device *dev,
					       struct device_node *np)
{
	struct platform_device *pdev;
	struct device_node *dnp;
	const char *kind;
	u32 k;

	if (of_property_read_string(np, "edgeai,kind", &kind))
		kind = "";
	if (!strcmp(kind, "gpu")) {
		k = EDGEAI_CLUSTER_GPU;
	} else if (!strcmp(kind, "npu")) {
		k = EDGEAI_CLUSTER_NPU;
	} else {
		dev_err(dev, "%pOF: edgeai,kind must be \"gpu\" or \"npu\"\n", np);
		return ERR_PTR(-EINVAL);
	}
	dnp = of_parse_phandle(np, "edgeai,device", 0);
	if (!dnp) {
		dev_err(dev, "%pOF: needs cpus or edgeai,device\n", np);
		return ERR_PTR(-EINVAL);
	}
	pdev = of_find_device_by_node(dnp);
	of_node_put(dnp);
	if (!pdev)
		return ERR_PTR(-EPROBE_DEFER);
	return edgeai_devfreq_add(edgeai_of_name(np), k, &pdev->dev);
}

/*
 * Optional properties of a cluster: control mode, switch cost, power per
 * step, idle power.
 */
static int edgeai_of_model(struct device *dev, struct device_node *np,
			   struct edgeai_cluster *c)
{
	u32 sw[2], power[EP_MAX_OPPS], idle, i;
	const char *mode;
	int n;

	if (!of_property_read_string(np, "edgeai,mode", &mode)) {
		n = edgeai_mode_find(mode);
		if (n < 0) {
			dev_err(dev, "%pOF: edgeai,mode must be \"shared\" or \"exclusive\"\n",
				np);
			return n;
		}
		c->mode = n;
	}

	if (!of_property_read_u32_array(np, "switch-cost-us", sw, 2)) {
		c->model.switch_up_ns = (u64)sw[0] * NSEC_PER_USEC;
		c->model.switch_down_ns = (u64)sw[1] * NSEC_PER_USEC;
	}
	if (!of_property_read_u32(np, "idle-power-milliwatt", &idle))
		c->model.idle_mw = idle;
	n = of_property_count_u32_elems(np, "power-milliwatt");
	if (n < 0)
		return 0;
	if (n != c->model.nr_opp ||
	    of_property_read_u32_array(np, "power-milliwatt", power, n)) {
		dev_warn(dev, "%pOF: power-milliwatt needs one entry per step (%u), ignored\n",
			 np, c->model.nr_opp);
		return 0;
	}
	for (i = 0; i < c->model.nr_opp; i++)
		c->opp[i].power_mw = power[i];
	return 0;
}

static int edgeai_of_cluster(struct device *dev, struct device_node *np)
{
	struct edgeai_cluster *c;
	cpumask_var_t mask;
	int ret;

	if (of_property_present(np, "cpus")) {
		if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
			return -ENOMEM;
		ret = edgeai_of_cpus(dev, np, mask);
		c = ret ? ERR_PTR(ret) : edgeai_cpufreq_add(edgeai_of_name(np),
							    mask);
		free_cpumask_var(mask);
	} else {
		c = edgeai_of_device(dev, np);
	}
	if (IS_ERR(c))
		return dev_err_probe(dev, PTR_ERR(c), "%pOF\n", np);
	return edgeai_of_model(dev, np, c);
}

/* "edgeai,host" names the CPU cluster that drives a GPU or NPU. */
static int edgeai_of_hosts(struct device *dev, struct device_node *parent)
{
	struct edgeai_cluster *guest, *host;
	struct device_node *np, *hnp;

	for_each_available_child_of_node(parent, np) {
		hnp = of_parse_phandle(np, "edgeai,host", 0);
		if (!hnp)
			continue;
		guest = edgeai_cluster_by_name(edgeai_of_name(np));
		host = edgeai_cluster_by_name(edgeai_of_name(hnp));
		of_node_put(hnp);
		if (!guest || !host || host->kind != EDGEAI_CLUSTER_CPU ||
		    guest->kind == EDGEAI_CLUSTER_CPU) {
			dev_err(dev, "%pOF: edgeai,host must point at a CPU cluster\n",
				np);
			of_node_put(np);
			return -EINVAL;
		}
		guest->host = host;
	}
	return 0;
}

static int edgeai_of_discover(void *data)
{
	struct platform_device *pdev = data;
	struct device_node *np;
	int ret;

	ret = edgeai_cpufreq_start();
	if (!ret)
		ret = edgeai_devfreq_start();
	if (ret)
		return ret;
	for_each_available_child_of_node(pdev->dev.of_node, np) {
		ret = edgeai_of_cluster(&pdev->dev, np);
		if (ret) {
			of_node_put(np);
			return ret;
		}
	}
	return edgeai_of_hosts(&pdev->dev, pdev->dev.of_node);
}

static void edgeai_of_stop(void *data)
{
	edgeai_stop();
}

static int edgeai_of_probe(struct platform_device *pdev)
{
	int ret;

	ret = edgeai_start(edgeai_of_discover, pdev);
	if (ret)
		return ret;
	/* Undone at unbind: a .remove's type differs between kernels. */
	return devm_add_action_or_reset(&pdev->dev, edgeai_of_stop, NULL);
}

static const struct of_device_id edgeai_of_match[] = {
	{ .compatible = "edgeai,clusters" },
	{ }
};
MODULE_DEVICE_TABLE(of, edgeai_of_match);

static struct platform_driver edgeai_of_driver = {
	.probe = edgeai_of_probe,
	.driver = {
		.name = "edgeai",
		.of_match_table = edgeai_of_match,
		/* Unbinding by hand would pull the device from under open files. */
		.suppress_bind_attrs = true,
	},
};

/**
 * edgeai_of_init() - register the device tree driver, if a node wants it
 *
 * Return: 0 when registered, -ENODEV when the device tree has no
 * "edgeai,clusters" node (the caller discovers clusters otherwise).
 */
int edgeai_of_init(void)
{
	struct device_node *np;

	np = of_find_compatible_node(NULL, NULL, "edgeai,clusters");
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return platform_driver_register(&edgeai_of_driver);
}

/**
 * edgeai_of_exit() - unregister it; edgeai stops if it had started
 */
void edgeai_of_exit(void)
{
	platform_driver_unregister(&edgeai_of_driver);
}
