// SPDX-License-Identifier: GPL-2.0-only
/*
 * Graphs: plans registered by applications.  A graph names the model file
 * and cuts the model into stages, each bound to one cluster with a cost
 * estimate and the job buffers it reads and writes, and maybe given other
 * clusters (alternatives) where it may run when it would end sooner.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include <linux/bits.h>
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "edgeai.h"

/* Longest stage estimate accepted: 1000 s. */
#define EDGEAI_MAX_COST_NS	(1000ULL * NSEC_PER_SEC)

/*
 * A declared cost is the prior of the kernel's estimate until the stage has
 * run: without CAP_SYS_NICE it may not claim more than this, so a new
 * graph cannot hold a cluster at its top step with a made-up figure.
 */
static unsigned int unprivileged_cost_max_us = 100000;
module_param_named(unprivileged_cost_max_us, unprivileged_cost_max_us, uint, 0644);
MODULE_PARM_DESC(unprivileged_cost_max_us,
		 "Largest stage cost (us) a user without CAP_SYS_NICE may declare; more is capped (default 100000)");

static atomic64_t edgeai_graph_keys = ATOMIC64_INIT(0);

static void edgeai_graph_free(struct kref *ref)
{
	struct edgeai_graph *graph = container_of(ref, struct edgeai_graph, ref);
	u32 i;

	if (graph->model)
		fput(graph->model);
	/* Every place's, filled or not: a failed create frees here too. */
	for (i = 0; i < graph->nr_places; i++)
		kfree(graph->places[i].speed);
	kvfree(graph->places);
	if (graph->user) {
		atomic_dec(&graph->user->graphs);
		edgeai_user_put(graph->user);
	}
	kfree(graph);
	atomic_dec(&edgeai_stats.live_graphs);
}

/**
 * edgeai_graph_put() - drop a reference on a graph
 * @graph: the graph
 */
void edgeai_graph_put(struct edgeai_graph *graph)
{
	kref_put(&graph->ref, edgeai_graph_free);
}

/* A name is NUL-terminated inside its array and printable. */
static bool edgeai_name_valid(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < len && name[i]; i++)
		if (!isprint(name[i]))
			return false;
	return i < len;
}

/*
 * Fill a place of a stage: its own cluster (&struct edgeai_stage) or an
 * alternative (&struct edgeai_stage_alt) under the same rules.  The
 * per-step speeds, if given, are for the place's cluster.
 */
static int edgeai_place_fill(struct edgeai_stage_place *p, u32 cluster_id,
			     u64 cost_ns, u32 freq_khz, u64 speed_uptr,
			     u32 nr_steps)
{
	u32 speed[EP_MAX_OPPS];
	int ret;

	if (cost_ns > EDGEAI_MAX_COST_NS)
		return -EINVAL;
	p->cluster = edgeai_cluster_get(cluster_id);
	if (!p->cluster)
		return -EINVAL;
	if (!capable(CAP_SYS_NICE))
		cost_ns = min_t(u64, cost_ns,
				(u64)READ_ONCE(unprivileged_cost_max_us) *
				NSEC_PER_USEC);
	p->cost_ns = cost_ns;
	p->est_ns = cost_ns;
	p->freq_khz = freq_khz;
	if (!speed_uptr)
		return nr_steps ? -EINVAL : 0;
	if (nr_steps != p->cluster->model.nr_opp)
		return -EINVAL;
	ret = edgeai_model_array(speed_uptr, nr_steps, speed, EP_SPEED_SCALE);
	if (ret < 0)
		return ret;
	p->speed = kmemdup(speed, nr_steps * sizeof(*speed),
			   GFP_KERNEL_ACCOUNT);
	if (!p->speed)
		return -ENOMEM;
	p->nr_speed = nr_steps;
	return 0;
}

static int edgeai_graph_stage(struct edgeai_graph *graph, u32 i,
			      const struct edgeai_graph_create *cmd)
{
	void __user *src = u64_to_user_ptr(cmd->stages +
					   (u64)i * cmd->stage_size);
	u64 bufs = GENMASK_ULL(graph->nr_buffers - 1, 0);
	struct edgeai_graph_stage *st = &graph->stages[i];
	struct edgeai_stage desc;
	u32 end;
	int ret;

	ret = copy_struct_from_user(&desc, sizeof(desc), src, cmd->stage_size);
	if (ret)
		return ret;
	if (desc.flags || desc.__reserved || desc.__reserved2 ||
	    !desc.nr_layers ||
	    check_add_overflow(desc.first_layer, desc.nr_layers, &end) ||
	    (desc.in_mask & ~bufs) || (desc.out_mask & ~bufs))
		return -EINVAL;
	st->first_layer = desc.first_layer;
	st->nr_layers = desc.nr_layers;
	st->in_mask = desc.in_mask;
	st->out_mask = desc.out_mask;
	ret = edgeai_place_fill(&st->places[0], desc.cluster_id, desc.cost_ns,
				desc.freq_khz, desc.speed, desc.nr_steps);
	if (!ret)
		st->nr_places = 1;
	return ret;
}

/*
 * Read and check the alternatives table into @alts (@cmd->nr_alts
 * entries), and count each stage's in @count: the places are laid out
 * from the counts before any is filled.
 */
static int edgeai_graph_read_alts(const struct edgeai_graph *graph,
				  const struct edgeai_graph_create *cmd,
				  struct edgeai_stage_alt *alts, u8 *count)
{
	u32 i;
	int ret;

	for (i = 0; i < cmd->nr_alts; i++) {
		struct edgeai_stage_alt *a = &alts[i];

		ret = copy_struct_from_user(a, sizeof(*a),
					    u64_to_user_ptr(cmd->alts +
							    (u64)i * cmd->alt_size),
					    cmd->alt_size);
		if (ret)
			return ret;
		if (a->flags || a->__reserved || a->stage >= graph->nr_stages)
			return -EINVAL;
		/* An index from user space: not speculated past. */
		a->stage = array_index_nospec(a->stage, graph->nr_stages);
		if (++count[a->stage] > EDGEAI_MAX_STAGE_ALTS)
			return -E2BIG;
	}
	return 0;
}

/* Fill an alternative: a cluster the stage does not name yet. */
static int edgeai_graph_alt(struct edgeai_graph *graph,
			    const struct edgeai_stage_alt *a)
{
	struct edgeai_graph_stage *st = &graph->stages[a->stage];
	struct edgeai_stage_place *p = &st->places[st->nr_places];
	u32 i;
	int ret;

	ret = edgeai_place_fill(p, a->cluster_id, a->cost_ns, a->freq_khz,
				a->speed, a->nr_steps);
	if (ret)
		return ret;
	for (i = 0; i < st->nr_places; i++)
		if (st->places[i].cluster == p->cluster)
			return -EINVAL;
	st->nr_places++;
	return 0;
}

/*
 * The stages and their places: each stage's own cluster, then its
 * alternatives, in one array laid out stage by stage.
 */
static int edgeai_graph_stages(struct edgeai_graph *graph,
			       const struct edgeai_graph_create *cmd)
{
	struct edgeai_stage_alt *alts = NULL;
	u8 count[EDGEAI_MAX_STAGES] = {};
	u32 i, n = 0;
	int ret;

	if (cmd->nr_alts) {
		alts = kvmalloc_array(cmd->nr_alts, sizeof(*alts), GFP_KERNEL);
		if (!alts)
			return -ENOMEM;
		ret = edgeai_graph_read_alts(graph, cmd, alts, count);
		if (ret)
			goto out;
	}
	graph->places = kvcalloc(graph->nr_stages + cmd->nr_alts,
				 sizeof(*graph->places), GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!graph->places)
		goto out;
	graph->nr_places = graph->nr_stages + cmd->nr_alts;
	for (i = 0; i < graph->nr_stages; i++) {
		graph->stages[i].places = &graph->places[n];
		n += 1 + count[i];
	}
	for (i = 0; i < graph->nr_stages; i++) {
		ret = edgeai_graph_stage(graph, i, cmd);
		if (ret)
			goto out;
	}
	for (i = 0; i < cmd->nr_alts; i++) {
		ret = edgeai_graph_alt(graph, &alts[i]);
		if (ret)
			goto out;
	}
	ret = 0;
out:
	kvfree(alts);
	return ret;
}

/*
 * Read and check the exit table: exits after stages before the last, in
 * increasing stage order and accuracy, each result in buffers written up
 * to its stage and never after it.
 */
static int edgeai_graph_exits(struct edgeai_graph *graph,
			      const struct edgeai_graph_create *cmd)
{
	struct ep_exit *prev = NULL;
	struct edgeai_exit desc;
	u64 before, after;
	u32 i, s;
	int ret;

	for (i = 0; i < cmd->nr_exits; i++) {
		struct ep_exit *e = &graph->exits[i];

		ret = copy_struct_from_user(&desc, sizeof(desc),
					    u64_to_user_ptr(cmd->exits +
							    (u64)i * cmd->exit_size),
					    cmd->exit_size);
		if (ret)
			return ret;
		if (desc.flags || desc.__reserved ||
		    desc.after_stage >= graph->nr_stages - 1 ||
		    desc.accuracy_ppm > EDGEAI_ACCURACY_MAX || !desc.out_mask ||
		    (prev && (desc.after_stage <= prev->after_stage ||
			      desc.accuracy_ppm <= prev->accuracy_ppm)))
			return -EINVAL;
		before = 0;
		after = 0;
		for (s = 0; s < graph->nr_stages; s++) {
			if (s <= desc.after_stage)
				before |= graph->stages[s].out_mask;
			else
				after |= graph->stages[s].out_mask;
		}
		if ((desc.out_mask & ~before) || (desc.out_mask & after))
			return -EINVAL;
		e->after_stage = desc.after_stage;
		e->accuracy_ppm = desc.accuracy_ppm;
		e->out_mask = desc.out_mask;
		prev = e;
	}
	graph->nr_exits = cmd->nr_exits;
	return 0;
}

static int edgeai_graph_model(struct edgeai_graph *graph, int fd)
{
	struct file *file;

	if (fd == -1)
		return 0;
	file = fget(fd);
	if (!file)
		return -EBADF;
	graph->model = file;
	if (!S_ISREG(file_inode(file)->i_mode))
		return -EINVAL;
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;
	return 0;
}

/* Check and fill a new graph from the command; the caller frees it. */
static int edgeai_graph_fill(struct edgeai_graph *graph,
			     const struct edgeai_graph_create *cmd)
{
	u32 i;
	int ret;

	graph->nr_stages = cmd->nr_stages;
	graph->nr_buffers = cmd->nr_buffers;
	memcpy(graph->name, cmd->name, sizeof(graph->name));
	ret = edgeai_graph_stages(graph, cmd);
	if (ret)
		return ret;
	for (i = 0; i < cmd->nr_stages; i++)
		graph->written |= graph->stages[i].out_mask;
	ret = edgeai_graph_exits(graph, cmd);
	if (ret)
		return ret;
	if (cmd->buf_sizes &&
	    copy_from_user(graph->buf_size, u64_to_user_ptr(cmd->buf_sizes),
			   cmd->nr_buffers * sizeof(u64)))
		return -EFAULT;
	return edgeai_graph_model(graph, cmd->model_fd);
}

static int edgeai_graph_check(const struct edgeai_graph_create *cmd)
{
	const struct edgeai_limits *l = &edgeai_limits;

	if (cmd->flags || cmd->__reserved || cmd->graph_id ||
	    !cmd->nr_stages || !cmd->nr_buffers || !cmd->stages ||
	    cmd->stage_size < offsetofend(struct edgeai_stage, __reserved) ||
	    cmd->stage_size > EDGEAI_MAX_STRUCT_SIZE ||
	    !edgeai_name_valid(cmd->name, sizeof(cmd->name)))
		return -EINVAL;
	if (!cmd->exits != !cmd->nr_exits ||
	    (!cmd->exits && cmd->exit_size) ||
	    (cmd->exits &&
	     (cmd->exit_size < offsetofend(struct edgeai_exit, __reserved) ||
	      cmd->exit_size > EDGEAI_MAX_STRUCT_SIZE)))
		return -EINVAL;
	if (!cmd->alts != !cmd->nr_alts ||
	    (!cmd->alts && cmd->alt_size) ||
	    (cmd->alts &&
	     (cmd->alt_size < offsetofend(struct edgeai_stage_alt, __reserved) ||
	      cmd->alt_size > EDGEAI_MAX_STRUCT_SIZE)))
		return -EINVAL;
	if (cmd->nr_stages > l->max_stages || cmd->nr_exits > EDGEAI_MAX_EXITS)
		return -E2BIG;
	/* Some stage would have more than its share of alternatives. */
	if (cmd->nr_alts > cmd->nr_stages * EDGEAI_MAX_STAGE_ALTS)
		return -E2BIG;
	if (cmd->nr_buffers > l->max_buffers)
		return -ENOBUFS;
	return 0;
}

int edgeai_ioctl_graph_create(struct edgeai_ucmd *ucmd)
{
	struct edgeai_graph_create *cmd = ucmd->cmd;
	struct edgeai_ctx *ctx = ucmd->ctx;
	struct edgeai_graph *graph;
	u32 id;
	int ret;

	ret = edgeai_graph_check(cmd);
	if (ret)
		return ret;
	if (atomic_inc_return(&ctx->nr_graphs) > edgeai_limits.max_graphs_per_fd) {
		ret = -EMFILE;
		goto err_count;
	}

	graph = kzalloc(struct_size(graph, stages, cmd->nr_stages),
			GFP_KERNEL_ACCOUNT);
	if (!graph) {
		ret = -ENOMEM;
		goto err_count;
	}
	kref_init(&graph->ref);
	atomic_inc(&edgeai_stats.live_graphs);
	/* Counted against its user until freed, whichever file it was on. */
	refcount_inc(&ctx->user->ref);
	graph->user = ctx->user;
	if (atomic_inc_return(&graph->user->graphs) >
	    edgeai_limits.max_graphs_per_uid) {
		ret = -EMFILE;
		goto err_graph;
	}
	ret = edgeai_graph_fill(graph, cmd);
	if (ret)
		goto err_graph;
	graph->key = atomic64_inc_return(&edgeai_graph_keys);

	/*
	 * Reserve the id and show the graph only once the caller has it:
	 * until then another thread could destroy it, and the id could be
	 * reused by a third graph that a failed copy would then unlink.
	 */
	ret = xa_alloc(&ctx->graphs, &id, NULL, xa_limit_31b,
		       GFP_KERNEL_ACCOUNT);
	if (ret)
		goto err_graph;
	graph->id = id;
	cmd->graph_id = id;
	ret = edgeai_ucmd_respond(ucmd, sizeof(*cmd));
	if (!ret)
		ret = xa_err(xa_store(&ctx->graphs, id, graph,
				      GFP_KERNEL_ACCOUNT));
	if (ret) {
		xa_release(&ctx->graphs, id);
		goto err_graph;
	}
	return 0;

err_graph:
	edgeai_graph_put(graph);
err_count:
	atomic_dec(&ctx->nr_graphs);
	return ret;
}

int edgeai_ioctl_graph_destroy(struct edgeai_ucmd *ucmd)
{
	struct edgeai_graph_destroy *cmd = ucmd->cmd;
	struct edgeai_ctx *ctx = ucmd->ctx;
	struct edgeai_graph *graph;

	/* Not xa_erase(): it would drop a graph-to-be's reserved id. */
	xa_lock(&ctx->graphs);
	graph = xa_load(&ctx->graphs, cmd->graph_id);
	if (graph)
		__xa_erase(&ctx->graphs, cmd->graph_id);
	xa_unlock(&ctx->graphs);
	if (!graph)
		return -ENOENT;
	atomic_dec(&ctx->nr_graphs);
	edgeai_graph_put(graph);
	return 0;
}

/**
 * edgeai_graph_lookup() - a graph of a file, referenced
 * @ctx: the file
 * @id: the graph's id
 *
 * Return: the graph with a reference taken, or NULL.
 */
struct edgeai_graph *edgeai_graph_lookup(struct edgeai_ctx *ctx, u32 id)
{
	struct edgeai_graph *graph;

	xa_lock(&ctx->graphs);
	graph = xa_load(&ctx->graphs, id);
	if (graph)
		kref_get(&graph->ref);
	xa_unlock(&ctx->graphs);
	return graph;
}

/**
 * edgeai_ctx_release_graphs() - drop the graphs of a file being closed
 * @ctx: the file
 */
void edgeai_ctx_release_graphs(struct edgeai_ctx *ctx)
{
	struct edgeai_graph *graph;
	unsigned long id;

	xa_for_each(&ctx->graphs, id, graph) {
		xa_erase(&ctx->graphs, id);
		edgeai_graph_put(graph);
	}
}
