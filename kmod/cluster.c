// SPDX-License-Identifier: GPL-2.0-only
/*
 * Clusters: the frequency domains stages run on, and their run queues.
 *
 * They are found once, at load, in this order: one CPU cluster per cpufreq
 * policy plus the devfreq devices the "devfreq" parameter names; else the
 * virtual clusters the "clusters" parameter describes:
 *
 *   clusters="little:cpu:408000,816000,1416000;gpu:gpu:200000,800000:900,2100"
 *
 * one cluster per ';'-separated entry: name, kind (cpu, gpu or npu), the
 * frequency steps in kHz ascending, and optionally the power of each step
 * in mW.  With neither, the module makes one virtual CPU cluster.
 *
 * Each cluster is shared with Linux ("shared" mode, the default: edgeai
 * only raises a floor while it has work with deadlines) or held by edgeai
 * alone ("exclusive"); the "mode" parameter sets every cluster's mode at
 * load, the device tree and sysfs each cluster's.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "edgeai.h"

static char *clusters_param;
module_param_named(clusters, clusters_param, charp, 0444);
MODULE_PARM_DESC(clusters,
		 "Virtual clusters, used when no cpufreq policy or devfreq device is found: name:kind:kHz,kHz,...[:mW,mW,...];... (kind is cpu, gpu or npu)");

static char *hosts_param;
module_param_named(hosts, hosts_param, charp, 0444);
MODULE_PARM_DESC(hosts,
		 "Which CPU cluster drives each GPU or NPU cluster: guest:host;... (e.g. gpu:big;npu:big)");

static char *devfreq_param;
module_param_named(devfreq, devfreq_param, charp, 0444);
MODULE_PARM_DESC(devfreq,
		 "devfreq devices to manage: name:kind:device;... (kind gpu or npu, device the name of the devfreq device's parent on the platform bus)");

static char *mode_param = "shared";
module_param_named(mode, mode_param, charp, 0444);
MODULE_PARM_DESC(mode,
		 "Frequency control of every cluster at load: shared (default: a floor only while work with deadlines is queued or running, the system's governor in charge otherwise) or exclusive (held at edgeai's step, for boards dedicated to inference)");

const char *const edgeai_mode_names[EDGEAI_NR_MODES] = {
	[EDGEAI_MODE_SHARED] = "shared",
	[EDGEAI_MODE_EXCLUSIVE] = "exclusive",
};

/* The "mode" parameter's mode, for clusters as they are made. */
static u32 edgeai_default_mode;

/* Most clusters a board may have. */
#define EDGEAI_MAX_CLUSTERS	16

/* Longest frequency-switch cost accepted from user space: 1 s. */
#define EDGEAI_MAX_SWITCH_US	(1000 * 1000)

struct edgeai_cluster *edgeai_clusters;
u32 edgeai_nr_clusters;
struct workqueue_struct *edgeai_wq;

static void edgeai_virtual_apply(struct edgeai_cluster *c, u32 khz)
{
	/* Nothing to enforce: the frequency is recorded and reported. */
}

static const struct edgeai_control_ops edgeai_virtual_ops = {
	.apply = edgeai_virtual_apply,
};

static bool edgeai_name_ok(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len >= EDGEAI_NAME_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && name[i] != '-' && name[i] != '_')
			return false;
	for (i = 0; i < edgeai_nr_clusters; i++)
		if (!strcmp(edgeai_clusters[i].name, name))
			return false;
	return true;
}

/**
 * edgeai_cluster_new() - take the next free slot of the cluster table
 * @name: the cluster's name: letters, digits, '-' and '_', unique
 * @kind: &enum edgeai_cluster_kind
 * @control: &enum edgeai_cluster_control
 *
 * The caller fills in the frequency steps and the control, or gives the
 * slot back with edgeai_cluster_drop().
 *
 * Return: the cluster, or ERR_PTR(-EINVAL) for a bad or taken name,
 * ERR_PTR(-ENOSPC) when the table is full, ERR_PTR(-ENOMEM).
 */
struct edgeai_cluster *edgeai_cluster_new(const char *name, u32 kind,
					  u32 control)
{
	struct edgeai_cluster *c;

	if (!edgeai_name_ok(name))
		return ERR_PTR(-EINVAL);
	if (edgeai_nr_clusters == EDGEAI_MAX_CLUSTERS)
		return ERR_PTR(-ENOSPC);
	c = &edgeai_clusters[edgeai_nr_clusters];
	memset(c, 0, sizeof(*c));
	if (!zalloc_cpumask_var(&c->cpus, GFP_KERNEL))
		return ERR_PTR(-ENOMEM);
	c->gov_buf = kcalloc(EDGEAI_GOV_WINDOW, sizeof(*c->gov_buf),
			     GFP_KERNEL);
	if (!c->gov_buf) {
		free_cpumask_var(c->cpus);
		return ERR_PTR(-ENOMEM);
	}
	c->id = edgeai_nr_clusters++;
	strscpy(c->name, name, sizeof(c->name));
	c->kind = kind;
	c->control = control;
	c->ops = &edgeai_virtual_ops;
	c->mode = edgeai_default_mode;
	c->model.opp = c->opp;
	mutex_init(&c->gov_lock);
	spin_lock_init(&c->lock);
	edgeai_cluster_rq_init(c);
	INIT_LIST_HEAD(&c->running);
	mutex_init(&c->admit_lock);
	INIT_LIST_HEAD(&c->admitted);
	init_waitqueue_head(&c->exec_wq);
	init_completion(&c->kobj_gone);
	edgeai_cluster_gov_init(c);
	edgeai_session_cluster_init(c);
	return c;
}

static void edgeai_cluster_free(struct edgeai_cluster *c)
{
	WARN_ON(!RB_EMPTY_ROOT(&c->rq.rb_root));
	edgeai_session_cluster_exit(c);
	kfree(c->gov_buf);
	free_cpumask_var(c->cpus);
}

/**
 * edgeai_cluster_drop() - give back the slot edgeai_cluster_new() took
 * @c: the newest cluster, not attached to any control
 */
void edgeai_cluster_drop(struct edgeai_cluster *c)
{
	if (WARN_ON(c->id != edgeai_nr_clusters - 1 || c->attached))
		return;
	edgeai_cluster_free(c);
	edgeai_nr_clusters--;
}

static int edgeai_khz_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/**
 * edgeai_cluster_set_steps() - a new cluster's frequency steps
 * @c: the cluster
 * @khz: its frequencies in any order, repeats and zeroes allowed; sorted
 *	in place
 * @n: entries in @khz
 *
 * A domain with more distinct frequencies than %EP_MAX_OPPS keeps its
 * lowest and highest (boost frequencies included) and steps spread evenly
 * between them, so that every governor keeps the whole range.
 *
 * Return: 0, or -EINVAL when no step is left.
 */
int edgeai_cluster_set_steps(struct edgeai_cluster *c, u32 *khz, u32 n)
{
	u32 i, uniq = 0;

	sort(khz, n, sizeof(*khz), edgeai_khz_cmp, NULL);
	for (i = 0; i < n; i++) {
		if (!khz[i] || (uniq && khz[uniq - 1] == khz[i]))
			continue;
		khz[uniq++] = khz[i];
	}
	c->model.nr_opp = min_t(u32, uniq, EP_MAX_OPPS);
	for (i = 0; i < c->model.nr_opp; i++) {
		u32 at = uniq <= EP_MAX_OPPS ? i :
			 (u32)div_u64((u64)i * (uniq - 1), EP_MAX_OPPS - 1);

		memset(&c->opp[i], 0, sizeof(c->opp[i]));
		c->opp[i].khz = khz[at];
	}
	return uniq ? 0 : -EINVAL;
}

static int edgeai_parse_kind(const char *s, u32 *kind)
{
	if (!strcmp(s, "cpu"))
		*kind = EDGEAI_CLUSTER_CPU;
	else if (!strcmp(s, "gpu"))
		*kind = EDGEAI_CLUSTER_GPU;
	else if (!strcmp(s, "npu"))
		*kind = EDGEAI_CLUSTER_NPU;
	else
		return -EINVAL;
	return 0;
}

/* Fill one member (kHz or mW) of every step from a comma list. */
static int edgeai_parse_steps(char *list, struct ep_opp *opp, u32 *nr,
			      bool power)
{
	u32 n = 0, v;
	char *tok;
	int ret;

	while ((tok = strsep(&list, ",")) != NULL) {
		if (n == EP_MAX_OPPS)
			return -E2BIG;
		ret = kstrtou32(tok, 10, &v);
		if (ret)
			return ret;
		if (power) {
			opp[n].power_mw = v;
		} else {
			if (!v || (n && v <= opp[n - 1].khz))
				return -EINVAL;
			opp[n].khz = v;
		}
		n++;
	}
	if (power)
		return n == *nr ? 0 : -EINVAL;
	*nr = n;
	return n ? 0 : -EINVAL;
}

static int edgeai_parse_virtual(char *spec)
{
	struct ep_opp opp[EP_MAX_OPPS] = {};
	char *name, *kind_s, *freqs, *power;
	struct edgeai_cluster *c;
	u32 kind, nr = 0;
	int ret;

	name = strsep(&spec, ":");
	kind_s = strsep(&spec, ":");
	freqs = strsep(&spec, ":");
	power = strsep(&spec, ":");
	if (!name || !kind_s || !freqs || spec)
		return -EINVAL;
	ret = edgeai_parse_kind(kind_s, &kind);
	if (!ret)
		ret = edgeai_parse_steps(freqs, opp, &nr, false);
	if (!ret && power)
		ret = edgeai_parse_steps(power, opp, &nr, true);
	if (ret)
		return ret;
	c = edgeai_cluster_new(name, kind, EDGEAI_CONTROL_VIRTUAL);
	if (IS_ERR(c))
		return PTR_ERR(c);
	memcpy(c->opp, opp, sizeof(opp));
	c->model.nr_opp = nr;
	return 0;
}

/**
 * edgeai_virtual_discover() - make the clusters a parameter describes
 * @param: the "clusters" parameter, or NULL for one default CPU cluster
 *
 * Return: 0 or a negative errno (bad parameter, no memory).
 */
int edgeai_virtual_discover(const char *param)
{
	char *buf, *cur, *spec;
	u32 n = 0;
	int ret = 0;

	/* Without a description: one CPU cluster at 1 GHz. */
	if (!param || !*param)
		param = "cpu:cpu:1000000";
	buf = kstrdup(param, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	cur = buf;
	while ((spec = strsep(&cur, ";")) != NULL) {
		if (!*spec)
			continue;
		ret = edgeai_parse_virtual(spec);
		if (ret) {
			pr_err("clusters: bad entry %u (name:kind:kHz,...[:mW,...], names unique)\n",
			       n);
			break;
		}
		n++;
	}
	kfree(buf);
	if (!ret && !n)
		ret = -EINVAL;
	return ret;
}

/**
 * edgeai_cluster_by_name() - a cluster by name
 * @name: the name
 *
 * Return: the cluster, or NULL.
 */
struct edgeai_cluster *edgeai_cluster_by_name(const char *name)
{
	u32 i;

	for (i = 0; i < edgeai_nr_clusters; i++)
		if (!strcmp(edgeai_clusters[i].name, name))
			return &edgeai_clusters[i];
	return NULL;
}

/* "guest:host;..." from the "hosts" parameter. */
static int edgeai_parse_hosts(const char *param)
{
	struct edgeai_cluster *guest, *host;
	char *buf, *cur, *spec, *g;
	int ret = 0;

	if (!param || !*param)
		return 0;
	buf = kstrdup(param, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	cur = buf;
	while (!ret && (spec = strsep(&cur, ";")) != NULL) {
		if (!*spec)
			continue;
		g = strsep(&spec, ":");
		guest = edgeai_cluster_by_name(g);
		host = spec ? edgeai_cluster_by_name(spec) : NULL;
		if (!guest || !host || guest == host || guest->host ||
		    host->kind != EDGEAI_CLUSTER_CPU || host->host ||
		    guest->kind == EDGEAI_CLUSTER_CPU) {
			pr_err("hosts: bad entry (guest:host, a GPU or NPU on a CPU cluster)\n");
			ret = -EINVAL;
		} else {
			guest->host = host;
		}
	}
	kfree(buf);
	return ret;
}

/*
 * Without a device tree node: one CPU cluster per cpufreq policy plus the
 * devfreq devices the parameter names, else virtual clusters.
 */
static int edgeai_default_discover(void *data)
{
	int ret;

	ret = edgeai_cpufreq_discover();
	if (!ret)
		ret = edgeai_devfreq_discover(devfreq_param);
	if (ret)
		return ret;
	if (!edgeai_nr_clusters)
		return edgeai_virtual_discover(clusters_param);
	if (clusters_param && *clusters_param)
		pr_info("clusters= ignored: %u clusters found in cpufreq/devfreq\n",
			edgeai_nr_clusters);
	return 0;
}

/**
 * edgeai_clusters_init() - find the board's clusters and start governing
 * @discover: fills the cluster table (the device tree's), or NULL for the
 *	default order: cpufreq policies and devfreq devices, else virtual
 *	clusters
 * @data: passed to @discover
 *
 * Return: 0 or a negative errno.
 */
int edgeai_clusters_init(int (*discover)(void *data), void *data)
{
	u32 i;
	int ret;

	ret = edgeai_mode_find(mode_param);
	if (ret < 0) {
		pr_err("mode=%s: shared or exclusive\n", mode_param);
		return ret;
	}
	edgeai_default_mode = ret;
	edgeai_clusters = kcalloc(EDGEAI_MAX_CLUSTERS,
				  sizeof(*edgeai_clusters), GFP_KERNEL);
	if (!edgeai_clusters)
		return -ENOMEM;
	edgeai_wq = alloc_workqueue("edgeai", WQ_UNBOUND | WQ_HIGHPRI, 0);
	if (!edgeai_wq) {
		ret = -ENOMEM;
		goto err;
	}

	ret = (discover ?: edgeai_default_discover)(data);
	if (!ret && !edgeai_nr_clusters)
		ret = -ENODEV;
	if (!ret)
		ret = edgeai_parse_hosts(hosts_param);
	if (ret)
		goto err;

	ret = edgeai_governors_init();
	if (ret)
		goto err;
	return 0;

err:
	edgeai_devfreq_exit();
	edgeai_cpufreq_exit();
	edgeai_governors_exit();
	for (i = 0; i < edgeai_nr_clusters; i++)
		edgeai_cluster_free(&edgeai_clusters[i]);
	if (edgeai_wq)
		destroy_workqueue(edgeai_wq);
	edgeai_wq = NULL;
	kfree(edgeai_clusters);
	edgeai_clusters = NULL;
	edgeai_nr_clusters = 0;
	return ret;
}

/**
 * edgeai_clusters_exit() - let go of every cluster and forget them
 *
 * Called once no file is open, so every run queue is empty.  Frequencies
 * return to what they would be without edgeai.
 */
void edgeai_clusters_exit(void)
{
	u32 i;

	edgeai_governors_exit();
	edgeai_devfreq_exit();
	edgeai_cpufreq_exit();
	/* A limit that changed meanwhile queued a decision: wait it out. */
	edgeai_governors_exit();
	for (i = 0; i < edgeai_nr_clusters; i++)
		edgeai_cluster_free(&edgeai_clusters[i]);
	destroy_workqueue(edgeai_wq);
	edgeai_wq = NULL;
	kfree(edgeai_clusters);
	edgeai_clusters = NULL;
	edgeai_nr_clusters = 0;
}

/**
 * edgeai_cluster_get() - a cluster by id
 * @id: the id
 *
 * Return: the cluster, NULL when @id is out of range.
 */
struct edgeai_cluster *edgeai_cluster_get(u32 id)
{
	if (id >= edgeai_nr_clusters)
		return NULL;
	/* @id comes from user space: no speculative reads past the table. */
	return &edgeai_clusters[array_index_nospec(id, edgeai_nr_clusters)];
}

/**
 * edgeai_mode_find() - a control mode by name
 * @name: "shared" or "exclusive", a trailing newline ignored
 *
 * Return: the &enum edgeai_mode, or -EINVAL.
 */
int edgeai_mode_find(const char *name)
{
	int i = sysfs_match_string(edgeai_mode_names, name);

	return i < 0 ? -EINVAL : i;
}

/**
 * edgeai_cluster_cur_khz() - the frequency of the governor's step
 * @c: the cluster
 *
 * What edgeai asks for is edgeai_cluster_cur_khz() in exclusive mode, and
 * in shared mode a floor at it while work with deadlines waits; what the
 * cluster runs at is edgeai_cluster_actual_khz().
 *
 * Return: the frequency in kHz.
 */
u32 edgeai_cluster_cur_khz(const struct edgeai_cluster *c)
{
	return c->opp[READ_ONCE(c->cur_step)].khz;
}

/**
 * edgeai_cluster_max_khz() - a cluster's highest frequency
 * @c: the cluster
 *
 * Return: the frequency in kHz.
 */
u32 edgeai_cluster_max_khz(const struct edgeai_cluster *c)
{
	return c->opp[c->model.nr_opp - 1].khz;
}

/**
 * edgeai_cluster_actual_khz() - the frequency a cluster was last seen at
 * @c: the cluster
 *
 * Read back from the cpufreq policy or devfreq device on every governor
 * decision and whenever another maximum-frequency request changes; for a
 * virtual cluster, the governor's step.
 *
 * Return: the frequency in kHz.
 */
u32 edgeai_cluster_actual_khz(const struct edgeai_cluster *c)
{
	u32 khz = READ_ONCE(c->actual_khz);

	return khz ?: edgeai_cluster_cur_khz(c);
}

/**
 * edgeai_cluster_step() - the step in force: the one the cluster runs at
 * @c: the cluster
 *
 * Return: the highest step not above edgeai_cluster_actual_khz().
 */
u32 edgeai_cluster_step(const struct edgeai_cluster *c)
{
	return ep_step_of_khz(&c->model, edgeai_cluster_actual_khz(c));
}

/**
 * edgeai_cluster_top_step() - the highest step a cluster can be given now
 * @c: the cluster
 *
 * Below the top step when another maximum-frequency request (a thermal
 * cap, the user's scaling_max_freq) is known to limit the cluster, or has
 * held it below what edgeai asked for.  Admission and the governor plan
 * with it.
 *
 * Return: the step.
 */
u32 edgeai_cluster_top_step(const struct edgeai_cluster *c)
{
	u32 top = c->model.nr_opp - 1, limit = READ_ONCE(c->limit_khz);

	if (limit)
		top = min(top, ep_step_of_khz(&c->model, limit));
	if (READ_ONCE(c->capped))
		top = min(top, edgeai_cluster_step(c));
	return top;
}

/**
 * edgeai_cluster_admit_step() - the step admission may count on
 * @c: the cluster
 *
 * A governor that follows the work may go up to edgeai_cluster_top_step();
 * a fixed one stays at its step, or below it when a cap holds the cluster
 * there.
 *
 * Return: the step.
 */
u32 edgeai_cluster_admit_step(const struct edgeai_cluster *c)
{
	u32 top = edgeai_cluster_top_step(c);

	if (READ_ONCE(c->gov)->dynamic)
		return top;
	return min(top, READ_ONCE(c->cur_step));
}

enum edgeai_step_figure {
	EDGEAI_STEP_KHZ,
	EDGEAI_STEP_POWER,
	EDGEAI_STEP_SPEED,
};

static int edgeai_copy_steps(struct edgeai_cluster *c, u64 uptr, u32 cap,
			     enum edgeai_step_figure what)
{
	u32 __user *dst = u64_to_user_ptr(uptr);
	u32 i, n = min(cap, c->model.nr_opp), v[EP_MAX_OPPS];

	mutex_lock(&c->gov_lock);
	for (i = 0; i < n; i++)
		v[i] = what == EDGEAI_STEP_KHZ ? c->opp[i].khz :
		       what == EDGEAI_STEP_POWER ? c->opp[i].power_mw :
		       c->opp[i].speed;
	mutex_unlock(&c->gov_lock);
	return copy_to_user(dst, v, n * sizeof(v[0])) ? -EFAULT : 0;
}

static int edgeai_copy_cpus(const struct edgeai_cluster *c, u64 uptr,
			    u32 words)
{
	u64 __user *dst = u64_to_user_ptr(uptr);
	u32 w;
	int cpu;

	for (w = 0; w < words; w++) {
		u64 bits = 0;

		for (cpu = w * 64; cpu < nr_cpu_ids && cpu < (w + 1) * 64; cpu++)
			if (cpumask_test_cpu(cpu, c->cpus))
				bits |= BIT_ULL(cpu - w * 64);
		if (put_user(bits, &dst[w]))
			return -EFAULT;
	}
	return 0;
}

int edgeai_ioctl_cluster_info(struct edgeai_ucmd *ucmd)
{
	struct edgeai_cluster_info *cmd = ucmd->cmd;
	struct edgeai_cluster *c;
	int ret = 0;

	if (cmd->flags || cmd->__reserved || cmd->__reserved2)
		return -EINVAL;
	c = edgeai_cluster_get(cmd->cluster_id);
	if (!c)
		return -EINVAL;
	/* A bitmap wider than the CPUs that can exist is refused. */
	if (cmd->cpus && cmd->cpus_words > BITS_TO_U64(nr_cpu_ids) + 64)
		return -EINVAL;
	if (cmd->freqs)
		ret = edgeai_copy_steps(c, cmd->freqs, cmd->freqs_cap,
					EDGEAI_STEP_KHZ);
	if (!ret && cmd->power_mw)
		ret = edgeai_copy_steps(c, cmd->power_mw, cmd->freqs_cap,
					EDGEAI_STEP_POWER);
	if (!ret && cmd->speed)
		ret = edgeai_copy_steps(c, cmd->speed, cmd->freqs_cap,
					EDGEAI_STEP_SPEED);
	if (!ret && cmd->cpus)
		ret = edgeai_copy_cpus(c, cmd->cpus, cmd->cpus_words);
	if (ret)
		return ret;

	cmd->kind = c->kind;
	cmd->control = c->control;
	cmd->nr_freqs = c->model.nr_opp;
	cmd->cur_freq_khz = edgeai_cluster_cur_khz(c);
	cmd->max_freq_khz = edgeai_cluster_max_khz(c);
	cmd->host_id = c->host ? (s32)c->host->id : -1;
	strscpy(cmd->name, c->name, sizeof(cmd->name));

	mutex_lock(&c->gov_lock);
	strscpy(cmd->governor, c->gov->name, sizeof(cmd->governor));
	cmd->setspeed_khz = c->setspeed_khz;
	cmd->idle_mw = c->model.idle_mw;
	cmd->switch_up_us = div_u64(c->model.switch_up_ns, NSEC_PER_USEC);
	cmd->switch_down_us = div_u64(c->model.switch_down_ns, NSEC_PER_USEC);
	mutex_unlock(&c->gov_lock);

	spin_lock(&c->lock);
	cmd->nr_executors = c->nr_exec;
	cmd->nr_queued = c->nr_queued;
	cmd->nr_running = c->nr_running;
	cmd->busy_ns = c->busy_ns;
	cmd->stages_done = c->stages_done;
	cmd->energy_uj = c->energy_uj;
	spin_unlock(&c->lock);
	return edgeai_ucmd_respond(ucmd, sizeof(*cmd));
}

/**
 * edgeai_model_array() - a per-step array from user space, if given
 * @uptr: the user's pointer, 0 for none
 * @n: entries, at most %EP_MAX_OPPS
 * @out: where to copy them
 * @limit: largest value accepted
 *
 * Return: 1 when copied, 0 when not given, -EFAULT or -EINVAL.
 */
int edgeai_model_array(u64 uptr, u32 n, u32 *out, u32 limit)
{
	u32 i;

	if (!uptr)
		return 0;
	if (copy_from_user(out, u64_to_user_ptr(uptr), n * sizeof(*out)))
		return -EFAULT;
	for (i = 0; i < n; i++)
		if (out[i] > limit)
			return -EINVAL;
	return 1;
}

int edgeai_ioctl_cluster_set_model(struct edgeai_ucmd *ucmd)
{
	struct edgeai_cluster_set_model *cmd = ucmd->cmd;
	u32 power[EP_MAX_OPPS], speed[EP_MAX_OPPS];
	struct edgeai_cluster *c;
	int has_power, has_speed;
	u32 i;

	if (cmd->flags || cmd->__reserved ||
	    cmd->switch_up_us > EDGEAI_MAX_SWITCH_US ||
	    cmd->switch_down_us > EDGEAI_MAX_SWITCH_US ||
	    (!cmd->nr_steps && (cmd->power_mw || cmd->speed)))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	c = edgeai_cluster_get(cmd->cluster_id);
	if (!c || (cmd->nr_steps && cmd->nr_steps != c->model.nr_opp))
		return -EINVAL;
	has_power = edgeai_model_array(cmd->power_mw, cmd->nr_steps, power,
				       U32_MAX);
	if (has_power < 0)
		return has_power;
	/* A step faster than the top one would not be a lower step. */
	has_speed = edgeai_model_array(cmd->speed, cmd->nr_steps, speed,
				       EP_SPEED_SCALE);
	if (has_speed < 0)
		return has_speed;

	mutex_lock(&c->gov_lock);
	/*
	 * Step by step: what reads the model without @gov_lock (admission,
	 * the run queue's figures) takes the cluster's lock, and never sees
	 * half of it changed.
	 */
	spin_lock(&c->lock);
	for (i = 0; i < cmd->nr_steps; i++) {
		if (has_power)
			c->opp[i].power_mw = power[i];
		if (has_speed)
			c->opp[i].speed = speed[i];
	}
	c->model.idle_mw = cmd->idle_mw;
	c->model.switch_up_ns = (u64)cmd->switch_up_us * NSEC_PER_USEC;
	c->model.switch_down_ns = (u64)cmd->switch_down_us * NSEC_PER_USEC;
	spin_unlock(&c->lock);
	mutex_unlock(&c->gov_lock);
	edgeai_cluster_kick(c);
	return 0;
}
