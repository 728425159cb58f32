// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU clusters from cpufreq: one per policy.  In shared mode a single
 * minimum-frequency QoS request on the policy raises a floor while edgeai
 * has work with deadlines there and sits at the default (no floor)
 * otherwise: the cpufreq governor (schedutil) and every other limit keep
 * control.  In exclusive mode a maximum-frequency request at the same
 * value joins it, so whatever cpufreq governor runs, the frequency follows
 * edgeai.  Either way it returns to normal the moment the requests go.
 *
 * A notifier on the policy's maximum-frequency constraint tells edgeai
 * when another request (thermal, scaling_max_freq) moves, so that it reads
 * the frequency back: the lowest maximum wins over edgeai's floor.
 *
 * No policy reference is kept: that would block the cpufreq driver's
 * unload.  A policy notifier drops the requests when the policy goes away
 * and puts them back when a policy for the same CPUs comes back.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpufreq.h>
#include <linux/energy_model.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "compat.h"
#include "edgeai.h"

/* Steps made up for a policy without a frequency table. */
#define EDGEAI_SYNTH_STEPS	8

static bool edgeai_cpufreq_registered;

/* Discovery against the policy notifier: the cluster table grows meanwhile. */
static DEFINE_MUTEX(edgeai_cpufreq_lock);

static void edgeai_cpufreq_apply(struct edgeai_cluster *c, u32 khz)
{
	struct freq_qos_request *max = &c->qos_max;

	if (c->mode != EDGEAI_MODE_EXCLUSIVE) {
		if (freq_qos_request_active(max))
			freq_qos_remove_request(max);
		freq_qos_update_request(&c->qos_min,
					khz ?: FREQ_QOS_MIN_DEFAULT_VALUE);
		return;
	}
	if (!freq_qos_request_active(max) &&
	    freq_qos_add_request(&c->policy->constraints, max, FREQ_QOS_MAX,
				 FREQ_QOS_MAX_DEFAULT_VALUE) < 0) {
		pr_warn_once("cluster %s: no maximum-frequency request\n",
			     c->name);
		freq_qos_update_request(&c->qos_min, khz);
		return;
	}
	/* Raise the ceiling before the floor going up, the floor first going down. */
	if (khz >= c->req_khz) {
		freq_qos_update_request(max, khz);
		freq_qos_update_request(&c->qos_min, khz);
	} else {
		freq_qos_update_request(&c->qos_min, khz);
		freq_qos_update_request(max, khz);
	}
}

/*
 * What the policy runs at now; edgeai_cpufreq_sync() first for what the
 * requests just asked.  The policy stays while gov_lock is held (the
 * policy notifier takes it before letting go).
 */
static void edgeai_cpufreq_read(struct edgeai_cluster *c, u32 *khz,
				u32 *limit_khz)
{
	struct cpufreq_policy *policy = c->policy;

	/* All its CPUs offline: no frequency to read. */
	if (cpumask_empty(policy->cpus))
		return;
	*khz = READ_ONCE(policy->cur);
	/* In exclusive mode the policy's maximum is edgeai's own. */
	if (c->req_mode != EDGEAI_MODE_EXCLUSIVE)
		*limit_khz = READ_ONCE(policy->max);
}

/*
 * The policy applies new limits from a work item: wait for it.  Not under
 * gov_lock: that work takes the policy's rwsem, under which cpufreq calls
 * the policy notifier, which takes gov_lock.  A reference keeps the policy
 * meanwhile (it is gone from its CPUs before its work is cancelled).
 */
static void edgeai_cpufreq_sync(struct edgeai_cluster *c)
{
	struct cpufreq_policy *policy = cpufreq_cpu_get(cpumask_first(c->cpus));

	if (!policy)
		return;
	flush_work(&policy->update);
	cpufreq_cpu_put(policy);
}

static void edgeai_cpufreq_release(struct edgeai_cluster *c)
{
	freq_qos_remove_notifier(&c->policy->constraints, FREQ_QOS_MAX,
				 &c->limit_nb);
	freq_qos_remove_request(&c->qos_min);
	if (freq_qos_request_active(&c->qos_max))
		freq_qos_remove_request(&c->qos_max);
	c->policy = NULL;
}

static const struct edgeai_control_ops edgeai_cpufreq_ops = {
	.apply = edgeai_cpufreq_apply,
	.read = edgeai_cpufreq_read,
	.sync = edgeai_cpufreq_sync,
	.release = edgeai_cpufreq_release,
};

/*
 * Put back the requests edgeai last made (none on a new cluster); gov_lock
 * held.  Called from the policy notifier with the policy's rwsem held: the
 * requests' effect is left to the policy's own update work.
 */
static int edgeai_cpufreq_attach(struct edgeai_cluster *c,
				 struct cpufreq_policy *policy)
{
	int ret;

	ret = freq_qos_add_request(&policy->constraints, &c->qos_min,
				   FREQ_QOS_MIN,
				   c->req_khz ?: FREQ_QOS_MIN_DEFAULT_VALUE);
	if (ret < 0)
		return ret;
	if (c->req_mode == EDGEAI_MODE_EXCLUSIVE) {
		ret = freq_qos_add_request(&policy->constraints, &c->qos_max,
					   FREQ_QOS_MAX, c->req_khz);
		if (ret < 0)
			goto err_min;
	}
	c->limit_nb.notifier_call = edgeai_cluster_limit_changed;
	ret = freq_qos_add_notifier(&policy->constraints, FREQ_QOS_MAX,
				    &c->limit_nb);
	if (ret)
		goto err_max;
	c->policy = policy;
	c->attached = true;
	return 0;

err_max:
	if (freq_qos_request_active(&c->qos_max))
		freq_qos_remove_request(&c->qos_max);
err_min:
	freq_qos_remove_request(&c->qos_min);
	return ret;
}

static int edgeai_cpufreq_steps(struct edgeai_cluster *c,
				struct cpufreq_policy *policy)
{
	struct cpufreq_frequency_table *pos;
	u32 n = 0, i, lo, hi, *khz;
	int ret;

	if (policy->freq_table) {
		cpufreq_for_each_valid_entry(pos, policy->freq_table)
			n++;
	}
	khz = kmalloc_array(max_t(u32, n, EDGEAI_SYNTH_STEPS), sizeof(*khz),
			    GFP_KERNEL);
	if (!khz)
		return -ENOMEM;
	n = 0;
	if (policy->freq_table) {
		cpufreq_for_each_valid_entry(pos, policy->freq_table)
			khz[n++] = pos->frequency;
	}
	if (!n) {
		/* No table (e.g. intel_pstate): even steps from min to max. */
		lo = policy->cpuinfo.min_freq;
		hi = policy->cpuinfo.max_freq;
		for (i = 0; i < EDGEAI_SYNTH_STEPS; i++)
			khz[n++] = lo + (hi - lo) * i / (EDGEAI_SYNTH_STEPS - 1);
	}
	ret = edgeai_cluster_set_steps(c, khz, n);
	kfree(khz);
	return ret;
}

/* Power per step from the energy model, for the whole cluster. */
static void edgeai_cpufreq_power(struct edgeai_cluster *c, unsigned int cpu)
{
	struct em_perf_domain *pd = em_cpu_get(cpu);
	u32 cpus = cpumask_weight(c->cpus);
	struct em_perf_state *table;
	int i, j;

	if (!pd || em_is_artificial(pd))
		return;
	rcu_read_lock();
	table = edgeai_em_perf_states(pd);
	for (i = 0; i < pd->nr_perf_states; i++) {
		unsigned long mw = table[i].power;

		if (pd->flags & EM_PERF_DOMAIN_MICROWATTS)
			mw /= 1000;
		for (j = 0; j < c->model.nr_opp; j++)
			if (c->opp[j].khz == table[i].frequency)
				c->opp[j].power_mw = min_t(unsigned long,
							   mw * cpus, U32_MAX);
	}
	rcu_read_unlock();
}

/* A cluster for a policy; edgeai_cpufreq_lock held. */
static struct edgeai_cluster *
edgeai_cpufreq_add_policy(struct cpufreq_policy *policy, const char *name)
{
	unsigned int cpu = cpumask_first(policy->related_cpus);
	char dflt[EDGEAI_NAME_LEN];
	struct edgeai_cluster *c;
	int ret;

	if (!name) {
		snprintf(dflt, sizeof(dflt), "policy%u", cpu);
		name = dflt;
	}
	c = edgeai_cluster_new(name, EDGEAI_CLUSTER_CPU,
			       EDGEAI_CONTROL_CPUFREQ);
	if (IS_ERR(c))
		return c;
	c->ops = &edgeai_cpufreq_ops;
	cpumask_copy(c->cpus, policy->related_cpus);
	ret = edgeai_cpufreq_steps(c, policy);
	if (ret) {
		if (ret == -EINVAL) {
			pr_warn("cpufreq policy of CPU %u has no frequencies\n",
				cpu);
			ret = -ENODEV;
		}
		edgeai_cluster_drop(c);
		return ERR_PTR(ret);
	}
	edgeai_cpufreq_power(c, cpu);
	if (policy->cpuinfo.transition_latency != CPUFREQ_ETERNAL) {
		c->model.switch_up_ns = policy->cpuinfo.transition_latency;
		c->model.switch_down_ns = policy->cpuinfo.transition_latency;
	}
	c->cur_step = c->model.nr_opp - 1;
	mutex_lock(&c->gov_lock);
	ret = edgeai_cpufreq_attach(c, policy);
	mutex_unlock(&c->gov_lock);
	if (ret)
		pr_warn("cluster %s: no QoS request on its policy (%d)\n",
			c->name, ret);
	pr_info("cluster %s: cpufreq policy of CPUs %*pbl, %u steps\n",
		c->name, cpumask_pr_args(c->cpus), c->model.nr_opp);
	return c;
}

/**
 * edgeai_cpufreq_add() - a CPU cluster for the cpufreq policy of some CPUs
 * @name: the cluster's name
 * @cpus: its CPUs, as the device tree lists them
 *
 * Call edgeai_cpufreq_start() first.
 *
 * Return: the cluster, ERR_PTR(-EPROBE_DEFER) while those CPUs have no
 * cpufreq policy yet, or another ERR_PTR().
 */
struct edgeai_cluster *edgeai_cpufreq_add(const char *name,
					  const struct cpumask *cpus)
{
	struct cpufreq_policy *policy;
	struct edgeai_cluster *c;

	policy = cpufreq_cpu_get(cpumask_first(cpus));
	if (!policy)
		return ERR_PTR(-EPROBE_DEFER);
	if (!cpumask_equal(cpus, policy->related_cpus))
		pr_warn("cluster %s: CPUs %*pbl, but their policy has %*pbl\n",
			name, cpumask_pr_args(cpus),
			cpumask_pr_args(policy->related_cpus));
	mutex_lock(&edgeai_cpufreq_lock);
	c = edgeai_cpufreq_add_policy(policy, name);
	mutex_unlock(&edgeai_cpufreq_lock);
	cpufreq_cpu_put(policy);
	return c;
}

static int edgeai_cpufreq_notify(struct notifier_block *nb,
				 unsigned long event, void *data)
{
	struct cpufreq_policy *policy = data;
	u32 i;

	mutex_lock(&edgeai_cpufreq_lock);
	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *c = &edgeai_clusters[i];

		if (c->control != EDGEAI_CONTROL_CPUFREQ)
			continue;
		mutex_lock(&c->gov_lock);
		if (event == CPUFREQ_REMOVE_POLICY && c->attached &&
		    c->policy == policy) {
			edgeai_cpufreq_release(c);
			c->attached = false;
			pr_info("cluster %s: cpufreq policy gone, frequency no longer enforced\n",
				c->name);
		} else if (event == CPUFREQ_CREATE_POLICY && !c->attached &&
			   cpumask_equal(c->cpus, policy->related_cpus) &&
			   !edgeai_cpufreq_attach(c, policy)) {
			pr_info("cluster %s: cpufreq policy back, enforcing again\n",
				c->name);
		}
		mutex_unlock(&c->gov_lock);
	}
	mutex_unlock(&edgeai_cpufreq_lock);
	return NOTIFY_OK;
}

static struct notifier_block edgeai_cpufreq_nb = {
	.notifier_call = edgeai_cpufreq_notify,
};

/**
 * edgeai_cpufreq_start() - watch cpufreq policies come and go
 *
 * Before any cluster is added, so that a policy removed meanwhile is let
 * go of at once.
 *
 * Return: 0 or a negative errno.
 */
int edgeai_cpufreq_start(void)
{
	int ret;

	if (edgeai_cpufreq_registered)
		return 0;
	ret = cpufreq_register_notifier(&edgeai_cpufreq_nb,
					CPUFREQ_POLICY_NOTIFIER);
	if (!ret)
		edgeai_cpufreq_registered = true;
	return ret;
}

/**
 * edgeai_cpufreq_discover() - one CPU cluster per cpufreq policy
 *
 * Return: 0 or a negative errno.
 */
int edgeai_cpufreq_discover(void)
{
	struct cpufreq_policy *policy;
	struct edgeai_cluster *c;
	unsigned int cpu;
	u32 i;
	int ret;

	ret = edgeai_cpufreq_start();
	if (ret)
		return ret;
	mutex_lock(&edgeai_cpufreq_lock);
	for_each_possible_cpu(cpu) {
		bool seen = false;

		for (i = 0; i < edgeai_nr_clusters; i++)
			seen |= cpumask_test_cpu(cpu, edgeai_clusters[i].cpus);
		if (seen)
			continue;
		policy = cpufreq_cpu_get(cpu);
		if (!policy)
			continue;
		c = edgeai_cpufreq_add_policy(policy, NULL);
		cpufreq_cpu_put(policy);
		/* A policy without frequencies is skipped. */
		if (IS_ERR(c) && PTR_ERR(c) != -ENODEV) {
			ret = PTR_ERR(c);
			break;
		}
	}
	mutex_unlock(&edgeai_cpufreq_lock);
	return ret;
}

/**
 * edgeai_cpufreq_exit() - drop the requests on every policy still held
 */
void edgeai_cpufreq_exit(void)
{
	u32 i;

	if (edgeai_cpufreq_registered)
		cpufreq_unregister_notifier(&edgeai_cpufreq_nb,
					    CPUFREQ_POLICY_NOTIFIER);
	edgeai_cpufreq_registered = false;
	for (i = 0; i < edgeai_nr_clusters; i++) {
		struct edgeai_cluster *c = &edgeai_clusters[i];

		if (c->control != EDGEAI_CONTROL_CPUFREQ)
			continue;
		mutex_lock(&c->gov_lock);
		if (c->attached)
			edgeai_cpufreq_release(c);
		c->attached = false;
		mutex_unlock(&c->gov_lock);
	}
}
