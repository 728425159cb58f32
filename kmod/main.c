// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai: share an edge board's CPU clusters, GPU and NPU between
 * neural-network applications.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

static int edgeai_open(struct inode *inode, struct file *file)
{
	return 0;
}

static int edgeai_release(struct inode *inode, struct file *file)
{
	return 0;
}

static const struct file_operations edgeai_fops = {
	.owner = THIS_MODULE,
	.open = edgeai_open,
	.release = edgeai_release,
	.llseek = noop_llseek,
};

static struct miscdevice edgeai_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "edgeai",
	.fops = &edgeai_fops,
	.mode = 0660,
};

static int __init edgeai_init(void)
{
	return misc_register(&edgeai_misc);
}
module_init(edgeai_init);

static void __exit edgeai_exit(void)
{
	misc_deregister(&edgeai_misc);
}
module_exit(edgeai_exit);

MODULE_DESCRIPTION("Inference job broker for edge boards");
MODULE_AUTHOR("The edgeai authors");
MODULE_LICENSE("GPL");
