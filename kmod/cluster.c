// SPDX-License-Identifier: GPL-2.0-only
/*
 * Clusters: the frequency domains stages run on, and their run queues.
 *
 * Virtual clusters come from the "clusters" module parameter:
 *
 *   clusters="little:cpu:408000,816000,1416000;gpu:gpu:200000,800000:900,2100"
 *
 * one cluster per ';'-separated entry: name, kind (cpu, gpu or npu), the
 * frequency steps in kHz ascending, and optionally the power of each step
 * in mW.  Without the parameter the module makes one virtual CPU cluster.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "edgeai.h"

static char *clusters_param;
module_param_named(clusters, clusters_param, charp, 0444);
MODULE_PARM_DESC(clusters,
		 "Virtual clusters: name:kind:kHz,kHz,...[:mW,mW,...];... (kind is cpu, gpu or npu)");

/* Most clusters a board may have. */
#define EDGEAI_MAX_CLUSTERS	16

struct edgeai_cluster *edgeai_clusters;
u32 edgeai_nr_clusters;

static void edgeai_cluster_setup(struct edgeai_cluster *c, u32 id)
{
	c->id = id;
	c->control = EDGEAI_CONTROL_VIRTUAL;
	c->model.opp = c->opp;
	c->cur_step = c->model.nr_opp - 1;
	spin_lock_init(&c->lock);
	c->rq = RB_ROOT_CACHED;
	init_waitqueue_head(&c->exec_wq);
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
static int edgeai_parse_steps(char *list, struct edgeai_cluster *c, bool power)
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
			c->opp[n].power_mw = v;
		} else {
			if (!v || (n && v <= c->opp[n - 1].khz))
				return -EINVAL;
			c->opp[n].khz = v;
		}
		n++;
	}
	if (power)
		return n == c->model.nr_opp ? 0 : -EINVAL;
	c->model.nr_opp = n;
	return n ? 0 : -EINVAL;
}

static int edgeai_parse_cluster(char *spec, struct edgeai_cluster *c)
{
	char *name, *kind, *freqs, *power;
	u32 i;
	int ret;

	name = strsep(&spec, ":");
	kind = strsep(&spec, ":");
	freqs = strsep(&spec, ":");
	power = strsep(&spec, ":");
	if (!name || !kind || !freqs || spec || !*name ||
	    strlen(name) >= sizeof(c->name))
		return -EINVAL;
	for (i = 0; name[i]; i++)
		if (!isalnum(name[i]) && name[i] != '-' && name[i] != '_')
			return -EINVAL;
	strscpy(c->name, name, sizeof(c->name));
	ret = edgeai_parse_kind(kind, &c->kind);
	if (ret)
		return ret;
	ret = edgeai_parse_steps(freqs, c, false);
	if (ret)
		return ret;
	return power ? edgeai_parse_steps(power, c, true) : 0;
}

static int edgeai_parse_clusters(const char *param)
{
	char *buf, *cur, *spec;
	u32 n = 0, i;
	int ret = 0;

	buf = kstrdup(param, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	cur = buf;
	while ((spec = strsep(&cur, ";")) != NULL) {
		if (!*spec)
			continue;
		if (n == EDGEAI_MAX_CLUSTERS) {
			ret = -E2BIG;
			break;
		}
		ret = edgeai_parse_cluster(spec, &edgeai_clusters[n]);
		if (ret) {
			pr_err("clusters: bad entry %u \"%s\"\n", n, spec);
			break;
		}
		for (i = 0; i < n; i++)
			if (!strcmp(edgeai_clusters[i].name,
				    edgeai_clusters[n].name))
				ret = -EEXIST;
		if (ret) {
			pr_err("clusters: name %s used twice\n",
			       edgeai_clusters[n].name);
			break;
		}
		n++;
	}
	kfree(buf);
	if (!ret && !n)
		ret = -EINVAL;
	if (!ret)
		edgeai_nr_clusters = n;
	return ret;
}

/**
 * edgeai_clusters_init() - find the board's clusters
 *
 * Return: 0 or a negative errno (bad module parameter, no memory).
 */
int edgeai_clusters_init(void)
{
	u32 i;
	int ret;

	edgeai_clusters = kcalloc(EDGEAI_MAX_CLUSTERS,
				  sizeof(*edgeai_clusters), GFP_KERNEL);
	if (!edgeai_clusters)
		return -ENOMEM;

	if (clusters_param && *clusters_param) {
		ret = edgeai_parse_clusters(clusters_param);
		if (ret) {
			kfree(edgeai_clusters);
			edgeai_clusters = NULL;
			return ret;
		}
	} else {
		struct edgeai_cluster *c = &edgeai_clusters[0];

		strscpy(c->name, "cpu", sizeof(c->name));
		c->kind = EDGEAI_CLUSTER_CPU;
		c->opp[0].khz = 1000000;
		c->model.nr_opp = 1;
		edgeai_nr_clusters = 1;
	}
	for (i = 0; i < edgeai_nr_clusters; i++)
		edgeai_cluster_setup(&edgeai_clusters[i], i);
	return 0;
}

/**
 * edgeai_clusters_exit() - forget the clusters
 *
 * Called once no file is open, so every run queue is empty.
 */
void edgeai_clusters_exit(void)
{
	u32 i;

	for (i = 0; i < edgeai_nr_clusters; i++)
		WARN_ON(!RB_EMPTY_ROOT(&edgeai_clusters[i].rq.rb_root));
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
	return &edgeai_clusters[id];
}

/**
 * edgeai_cluster_cur_khz() - a cluster's current frequency
 * @c: the cluster
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

static int edgeai_copy_freqs(const struct edgeai_cluster *c,
			     struct edgeai_cluster_info *cmd)
{
	u32 __user *ufreqs = u64_to_user_ptr(cmd->freqs);
	u32 i, n = min(cmd->freqs_cap, c->model.nr_opp);

	for (i = 0; i < n; i++)
		if (put_user(c->opp[i].khz, &ufreqs[i]))
			return -EFAULT;
	return 0;
}

int edgeai_ioctl_cluster_info(struct edgeai_ucmd *ucmd)
{
	struct edgeai_cluster_info *cmd = ucmd->cmd;
	struct edgeai_cluster *c;
	int ret;

	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	c = edgeai_cluster_get(cmd->cluster_id);
	if (!c)
		return -EINVAL;
	if (cmd->freqs) {
		ret = edgeai_copy_freqs(c, cmd);
		if (ret)
			return ret;
	}
	/* Virtual clusters have no CPUs: the bitmap reads all zero. */
	if (cmd->cpus && cmd->cpus_words &&
	    clear_user(u64_to_user_ptr(cmd->cpus),
		       (size_t)min(cmd->cpus_words, 1024U) * sizeof(u64)))
		return -EFAULT;

	cmd->kind = c->kind;
	cmd->control = c->control;
	cmd->nr_freqs = c->model.nr_opp;
	cmd->cur_freq_khz = edgeai_cluster_cur_khz(c);
	cmd->max_freq_khz = edgeai_cluster_max_khz(c);
	spin_lock(&c->lock);
	cmd->nr_executors = c->nr_exec;
	cmd->nr_queued = c->nr_queued;
	cmd->nr_running = c->nr_running;
	spin_unlock(&c->lock);
	strscpy(cmd->name, c->name, sizeof(cmd->name));
	strscpy(cmd->governor, "performance", sizeof(cmd->governor));
	return edgeai_ucmd_respond(ucmd, sizeof(*cmd));
}
