// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai: share an edge board's CPU clusters, GPU and NPU between
 * neural-network applications.
 *
 * This file holds the misc device, its file operations and the ioctl
 * dispatch table.  Every command's argument starts with its size; the
 * table knows each struct's current and first sizes, copies the argument
 * in with copy_struct_from_user() and hands it to the command.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "edgeai.h"
#include "notify.h"

struct edgeai_limits edgeai_limits = {
	.max_stages = 16,
	.max_buffers = 16,
	.max_graphs_per_fd = 64,
	.max_graphs_per_uid = 1024,
	.max_jobs_per_uid = 4096,
	.max_retries = 3,
};

module_param_named(max_stages, edgeai_limits.max_stages, uint, 0444);
MODULE_PARM_DESC(max_stages, "Most stages in a graph (1-64, default 16)");
module_param_named(max_buffers, edgeai_limits.max_buffers, uint, 0444);
MODULE_PARM_DESC(max_buffers, "Most buffers of a job (1-64, default 16)");
module_param_named(max_graphs_per_fd, edgeai_limits.max_graphs_per_fd, uint, 0444);
MODULE_PARM_DESC(max_graphs_per_fd, "Most graphs per open file (default 64)");
module_param_named(max_graphs_per_uid, edgeai_limits.max_graphs_per_uid, uint, 0444);
MODULE_PARM_DESC(max_graphs_per_uid,
		 "Most graphs per user across its open files (default 1024)");
module_param_named(max_jobs_per_uid, edgeai_limits.max_jobs_per_uid, uint, 0444);
MODULE_PARM_DESC(max_jobs_per_uid,
		 "Most jobs per user submitted and not yet collected (default 4096)");
module_param_named(max_retries, edgeai_limits.max_retries, uint, 0444);
MODULE_PARM_DESC(max_retries,
		 "Requeues of a stage whose executor went away (default 3)");

struct edgeai_stats edgeai_stats;

/*
 * Open files by serial number, in order of opening (until the numbers
 * wrap): a job dump resumes at a number without walking the files before.
 */
static DEFINE_XARRAY_ALLOC1(edgeai_ctxs);
static u32 edgeai_ctx_next_serial;

static void edgeai_ctx_free(struct kref *ref)
{
	struct edgeai_ctx *ctx = container_of(ref, struct edgeai_ctx, ref);

	WARN_ON(!list_empty(&ctx->done));
	xa_destroy(&ctx->graphs);
	xa_destroy(&ctx->jobs);
	xa_destroy(&ctx->sessions);
	kfree(ctx->exec);
	edgeai_user_put(ctx->user);
	kfree(ctx);
	atomic_dec(&edgeai_stats.live_ctx);
}

/**
 * edgeai_ctx_find() - the open file with the least serial number from one on
 * @serial: in: the least serial number; out: the file's
 *
 * Return: the file's context with a reference taken, or NULL when no file
 * open now has a number that large.
 */
struct edgeai_ctx *edgeai_ctx_find(unsigned long *serial)
{
	struct edgeai_ctx *ctx;

	xa_lock(&edgeai_ctxs);
	ctx = xa_find(&edgeai_ctxs, serial, U32_MAX, XA_PRESENT);
	if (ctx)
		kref_get(&ctx->ref);
	xa_unlock(&edgeai_ctxs);
	return ctx;
}

/**
 * edgeai_ctx_put() - drop a reference on an open file's context
 * @ctx: the context
 */
void edgeai_ctx_put(struct edgeai_ctx *ctx)
{
	kref_put(&ctx->ref, edgeai_ctx_free);
}

/*
 * A command that may create a graph or a job begins on the file: the file
 * cannot attach until it ends.  -EBUSY when the file is an executor.
 */
static int edgeai_ctx_submit_begin(struct edgeai_ctx *ctx)
{
	int ret = 0;

	spin_lock(&ctx->lock);
	if (ctx->exec)
		ret = -EBUSY;
	else
		ctx->nr_submitting++;
	spin_unlock(&ctx->lock);
	return ret;
}

/* It ended: what it created, if anything, is in the file's tables now. */
static void edgeai_ctx_submit_end(struct edgeai_ctx *ctx)
{
	spin_lock(&ctx->lock);
	ctx->nr_submitting--;
	spin_unlock(&ctx->lock);
}

static int edgeai_open(struct inode *inode, struct file *file)
{
	struct edgeai_ctx *ctx;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return -ENOMEM;
	ctx->user = edgeai_user_get(current_euid());
	if (!ctx->user) {
		kfree(ctx);
		return -ENOMEM;
	}
	kref_init(&ctx->ref);
	spin_lock_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->done);
	init_waitqueue_head(&ctx->wq);
	xa_init_flags(&ctx->graphs, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	xa_init_flags(&ctx->jobs, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	xa_init_flags(&ctx->sessions, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	ret = xa_alloc_cyclic(&edgeai_ctxs, &ctx->serial, ctx, xa_limit_32b,
			      &edgeai_ctx_next_serial, GFP_KERNEL);
	if (ret < 0) {
		edgeai_user_put(ctx->user);
		kfree(ctx);
		return ret;
	}
	atomic_inc(&edgeai_stats.live_ctx);
	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static int edgeai_release(struct inode *inode, struct file *file)
{
	struct edgeai_ctx *ctx = file->private_data;

	xa_erase(&edgeai_ctxs, ctx->serial);
	if (ctx->exec) {
		edgeai_exec_release(ctx);
	} else {
		edgeai_ctx_release_jobs(ctx);
		edgeai_ctx_release_sessions(ctx);
		edgeai_ctx_release_graphs(ctx);
	}
	edgeai_ctx_put(ctx);
	return 0;
}

static __poll_t edgeai_poll(struct file *file, struct poll_table_struct *wait)
{
	struct edgeai_ctx *ctx = file->private_data;
	__poll_t mask = 0;

	/* Pairs with the release in attach. */
	if (smp_load_acquire(&ctx->exec))
		return edgeai_exec_poll(ctx, file, wait);

	poll_wait(file, &ctx->wq, wait);
	spin_lock(&ctx->lock);
	if (!list_empty(&ctx->done))
		mask |= EPOLLIN | EPOLLRDNORM;
	spin_unlock(&ctx->lock);
	return mask;
}

/**
 * edgeai_ucmd_respond() - copy a command's results back to the caller
 * @ucmd: the call
 * @cmd_len: the size of the command's struct in this module
 *
 * Copies no more than the caller's struct holds: a caller built against an
 * older header gets the members it knows.
 *
 * Return: 0 or -EFAULT.
 */
int edgeai_ucmd_respond(struct edgeai_ucmd *ucmd, size_t cmd_len)
{
	if (copy_to_user(ucmd->ubuf, ucmd->cmd,
			 min_t(size_t, ucmd->user_size, cmd_len)))
		return -EFAULT;
	return 0;
}

static int edgeai_ioctl_get_info(struct edgeai_ucmd *ucmd)
{
	struct edgeai_info *cmd = ucmd->cmd;
	const struct edgeai_limits *l = &edgeai_limits;

	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	cmd->abi_version = EDGEAI_ABI_VERSION;
	cmd->nr_clusters = edgeai_nr_clusters;
	cmd->features = EDGEAI_FEAT_STRICT_ADMISSION | EDGEAI_FEAT_EXITS |
			EDGEAI_FEAT_SESSIONS | EDGEAI_FEAT_STAGE_ALTS;
	if (IS_ENABLED(CONFIG_DMA_SHARED_BUFFER))
		cmd->features |= EDGEAI_FEAT_DMABUF;
	cmd->max_stages = l->max_stages;
	cmd->max_buffers = l->max_buffers;
	cmd->max_graphs_per_fd = l->max_graphs_per_fd;
	cmd->max_jobs_per_uid = l->max_jobs_per_uid;
	cmd->max_retries = l->max_retries;
	return edgeai_ucmd_respond(ucmd, sizeof(*cmd));
}

/* Room for the argument of any command. */
union edgeai_ucmd_buffer {
	struct edgeai_info info;
	struct edgeai_cluster_info cluster_info;
	struct edgeai_graph_create graph_create;
	struct edgeai_graph_destroy graph_destroy;
	struct edgeai_job_submit job_submit;
	struct edgeai_job_wait job_wait;
	struct edgeai_job_cancel job_cancel;
	struct edgeai_exec_attach exec_attach;
	struct edgeai_exec_fetch exec_fetch;
	struct edgeai_exec_complete exec_complete;
	struct edgeai_governor_set governor_set;
	struct edgeai_cluster_set_model cluster_set_model;
	struct edgeai_session_create session_create;
	struct edgeai_session_destroy session_destroy;
};

/**
 * struct edgeai_ioctl_op - one entry of the command table
 * @size: the argument's size in this module
 * @min_size: its size in ABI version 1, the least a caller may pass
 * @ioctl_num: the full ioctl number
 * @submits: the command creates a graph or a job: not on an executor's
 *	file, and the file cannot attach while it runs
 * @execute: the command
 */
struct edgeai_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	unsigned int ioctl_num;
	bool submits;
	int (*execute)(struct edgeai_ucmd *ucmd);
};

#define EDGEAI_OP_FULL(_cmd, _fn, _struct, _last, _submits)		\
	[EDGEAI_CMD_##_cmd - EDGEAI_CMD_BASE] = {			\
		.size = sizeof(_struct) +				\
			BUILD_BUG_ON_ZERO(sizeof(union edgeai_ucmd_buffer) < \
					  sizeof(_struct)),		\
		.min_size = offsetofend(_struct, _last),		\
		.ioctl_num = EDGEAI_IOCTL_##_cmd,			\
		.submits = _submits,					\
		.execute = _fn,						\
	}
#define EDGEAI_OP(_cmd, _fn, _struct, _last)				\
	EDGEAI_OP_FULL(_cmd, _fn, _struct, _last, false)
#define EDGEAI_OP_SUBMIT(_cmd, _fn, _struct, _last)			\
	EDGEAI_OP_FULL(_cmd, _fn, _struct, _last, true)

static const struct edgeai_ioctl_op edgeai_ops[] = {
	EDGEAI_OP(GET_INFO, edgeai_ioctl_get_info,
		  struct edgeai_info, __reserved),
	EDGEAI_OP(CLUSTER_INFO, edgeai_ioctl_cluster_info,
		  struct edgeai_cluster_info, __reserved2),
	EDGEAI_OP_SUBMIT(GRAPH_CREATE, edgeai_ioctl_graph_create,
			 struct edgeai_graph_create, name),
	EDGEAI_OP(GRAPH_DESTROY, edgeai_ioctl_graph_destroy,
		  struct edgeai_graph_destroy, graph_id),
	EDGEAI_OP_SUBMIT(JOB_SUBMIT, edgeai_ioctl_job_submit,
			 struct edgeai_job_submit, est_finish_ns),
	EDGEAI_OP(JOB_WAIT, edgeai_ioctl_job_wait,
		  struct edgeai_job_wait, exit_index),
	EDGEAI_OP(JOB_CANCEL, edgeai_ioctl_job_cancel,
		  struct edgeai_job_cancel, job_id),
	EDGEAI_OP(EXEC_ATTACH, edgeai_ioctl_exec_attach,
		  struct edgeai_exec_attach, __reserved),
	EDGEAI_OP(EXEC_FETCH, edgeai_ioctl_exec_fetch,
		  struct edgeai_exec_fetch, graph_name),
	EDGEAI_OP(EXEC_COMPLETE, edgeai_ioctl_exec_complete,
		  struct edgeai_exec_complete, energy_uj),
	EDGEAI_OP(GOVERNOR_SET, edgeai_ioctl_governor_set,
		  struct edgeai_governor_set, governor),
	EDGEAI_OP(CLUSTER_SET_MODEL, edgeai_ioctl_cluster_set_model,
		  struct edgeai_cluster_set_model, __reserved),
	EDGEAI_OP_SUBMIT(SESSION_CREATE, edgeai_ioctl_session_create,
			 struct edgeai_session_create, session_key),
	EDGEAI_OP(SESSION_DESTROY, edgeai_ioctl_session_destroy,
		  struct edgeai_session_destroy, session_id),
};

static long edgeai_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	const struct edgeai_ioctl_op *op;
	union edgeai_ucmd_buffer buf;
	struct edgeai_ucmd ucmd = {
		.ctx = file->private_data,
		.file = file,
		.ubuf = (void __user *)arg,
		.cmd = &buf,
	};
	unsigned int nr = _IOC_NR(cmd);
	int ret;

	if (_IOC_TYPE(cmd) != EDGEAI_TYPE || nr < EDGEAI_CMD_BASE ||
	    nr - EDGEAI_CMD_BASE >= ARRAY_SIZE(edgeai_ops))
		return -ENOTTY;
	op = &edgeai_ops[nr - EDGEAI_CMD_BASE];
	if (op->ioctl_num != cmd)
		return -ENOTTY;

	ret = get_user(ucmd.user_size, (u32 __user *)ucmd.ubuf);
	if (ret)
		return ret;
	if (ucmd.user_size < op->min_size)
		return -EINVAL;
	/* Checking a tail of zeroes is a loop: keep it short. */
	if (ucmd.user_size > EDGEAI_MAX_STRUCT_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(ucmd.cmd, op->size, ucmd.ubuf,
				    ucmd.user_size);
	if (ret)
		return ret;
	if (!op->submits)
		return op->execute(&ucmd);
	ret = edgeai_ctx_submit_begin(ucmd.ctx);
	if (ret)
		return ret;
	ret = op->execute(&ucmd);
	edgeai_ctx_submit_end(ucmd.ctx);
	return ret;
}

static const struct file_operations edgeai_fops = {
	.owner = THIS_MODULE,
	.open = edgeai_open,
	.release = edgeai_release,
	.poll = edgeai_poll,
	.unlocked_ioctl = edgeai_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice edgeai_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "edgeai",
	.fops = &edgeai_fops,
	.mode = 0660,
	.groups = edgeai_attr_groups,
};

static int __init edgeai_check_limits(void)
{
	const struct edgeai_limits *l = &edgeai_limits;

	if (!l->max_stages || l->max_stages > EDGEAI_MAX_STAGES ||
	    !l->max_buffers || l->max_buffers > EDGEAI_MAX_BUFFERS ||
	    !l->max_graphs_per_fd || !l->max_graphs_per_uid ||
	    !l->max_jobs_per_uid) {
		pr_err("limits out of range: max_stages and max_buffers are 1-%d, the others at least 1\n",
		       EDGEAI_MAX_STAGES);
		return -EINVAL;
	}
	return 0;
}

/**
 * edgeai_start() - find the clusters and open /dev/edgeai to the world
 * @discover: fills the cluster table, or NULL for the default discovery
 * @data: passed to @discover
 *
 * Called once: at load, or when the device tree's node is probed.
 *
 * Return: 0 or a negative errno (-EPROBE_DEFER from @discover included).
 */
int edgeai_start(int (*discover)(void *data), void *data)
{
	int ret;

	ret = edgeai_sessions_init();
	if (ret)
		return ret;
	ret = edgeai_clusters_init(discover, data);
	if (ret)
		goto err_sessions;
	/*
	 * The family before the device: whoever sees /dev/edgeai appear
	 * (udev, a monitor) may look for the family at once.  Not before the
	 * clusters: its requests read them.
	 */
	ret = edgeai_netlink_init();
	if (ret)
		goto err_clusters;
	ret = misc_register(&edgeai_misc);
	if (ret)
		goto err_netlink;
	ret = edgeai_sysfs_clusters_init(edgeai_misc.this_device);
	if (ret)
		goto err_misc;
	pr_info("ready: %u clusters, ABI %d\n", edgeai_nr_clusters,
		EDGEAI_ABI_VERSION);
	return 0;

err_misc:
	misc_deregister(&edgeai_misc);
err_netlink:
	edgeai_governors_exit();
	edgeai_netlink_exit();
err_clusters:
	edgeai_clusters_exit();
err_sessions:
	edgeai_sessions_exit();
	return ret;
}

/**
 * edgeai_stop() - undo edgeai_start()
 *
 * Only once no file is open: the module cannot be unloaded before, and the
 * device tree's driver cannot be unbound by hand.
 */
void edgeai_stop(void)
{
	edgeai_sysfs_clusters_exit();
	misc_deregister(&edgeai_misc);
	/* Nothing may decide, hence notify, once the family is gone. */
	edgeai_governors_exit();
	edgeai_netlink_exit();
	edgeai_clusters_exit();
	WARN_ON(atomic_read(&edgeai_stats.live_jobs) ||
		atomic_read(&edgeai_stats.live_sessions) ||
		atomic_read(&edgeai_stats.live_graphs) ||
		atomic_read(&edgeai_stats.live_ctx));
	edgeai_sessions_exit();
}

/* A device tree node describes the clusters: its driver starts edgeai. */
static bool edgeai_from_of;

static int __init edgeai_init(void)
{
	int ret;

	ret = edgeai_check_limits();
	if (ret)
		return ret;
	ret = edgeai_of_init();
	if (ret != -ENODEV) {
		edgeai_from_of = !ret;
		return ret;
	}
	return edgeai_start(NULL, NULL);
}
module_init(edgeai_init);

static void __exit edgeai_exit(void)
{
	if (edgeai_from_of)
		edgeai_of_exit();
	else
		edgeai_stop();
}
module_exit(edgeai_exit);

MODULE_DESCRIPTION("Inference job broker for edge boards");
MODULE_AUTHOR("The edgeai authors");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EDGEAI_NS_DMA_BUF);
