// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libedgeai: errors and enum values in words.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <edgeai.h>

/* What an errno means when /dev/edgeai returns it. */
static const struct {
	int err;
	const char *msg;
} edgeai_errors[] = {
	{ ENOENT, "no such graph or job on this file (or device missing: is edgeai.ko loaded?)" },
	{ ETIME, "deadline cannot be met with the work already queued (strict admission)" },
	{ EDQUOT, "too many jobs for this user (max_jobs_per_uid): collect finished ones" },
	{ EMFILE, "too many graphs on this file (max_graphs_per_fd)" },
	{ E2BIG, "too many stages, exits or stage alternatives in the graph (max_stages), or "
		 "fields this module does not know (a newer feature)" },
	{ ENOBUFS, "too many buffers (max_buffers), or fetch array too small" },
	{ ENOSPC, "a buffer is smaller than its graph says" },
	{ EACCES, "a buffer or model file is not open for the access the graph needs" },
	{ EPERM, "not permitted: priorities above normal need CAP_SYS_NICE, executors and governor changes CAP_SYS_ADMIN, the netlink \"jobs\" group CAP_NET_ADMIN" },
	{ EBUSY, "the file is an executor (or a submitter, for attach), or a stage is already fetched" },
	{ EALREADY, "the job has already finished" },
	{ ECHILD, "no job to wait for" },
	{ ENOTTY, "not an edgeai device, or the module is too old for this call" },
};

const char *edgeai_strerror(int err)
{
	/* -INT_MIN is no int: take the magnitude as unsigned. */
	unsigned int e = err < 0 ? 0U - (unsigned int)err : (unsigned int)err;
	size_t i;

	for (i = 0; i < sizeof(edgeai_errors) / sizeof(edgeai_errors[0]); i++)
		if ((unsigned int)edgeai_errors[i].err == e)
			return edgeai_errors[i].msg;
	return strerror(e > INT_MAX ? INT_MAX : (int)e);
}

const char *edgeai_status_name(uint32_t status)
{
	switch (status) {
	case EDGEAI_JOB_DONE:
		return "done";
	case EDGEAI_JOB_DEADLINE_MISSED:
		return "deadline-missed";
	case EDGEAI_JOB_FAILED:
		return "failed";
	case EDGEAI_JOB_CANCELLED:
		return "cancelled";
	case EDGEAI_JOB_EXEC_LOST:
		return "executor-lost";
	case EDGEAI_JOB_DONE_EXIT:
		return "done-exit";
	}
	return "unknown";
}

const char *edgeai_prio_name(uint32_t prio)
{
	static const char *const names[] = {
		[EDGEAI_PRIO_REALTIME] = "realtime",
		[EDGEAI_PRIO_HIGH] = "high",
		[EDGEAI_PRIO_NORMAL] = "normal",
		[EDGEAI_PRIO_BACKGROUND] = "background",
	};

	return prio < EDGEAI_NR_PRIO ? names[prio] : "unknown";
}

const char *edgeai_kind_name(uint32_t kind)
{
	switch (kind) {
	case EDGEAI_CLUSTER_CPU:
		return "cpu";
	case EDGEAI_CLUSTER_GPU:
		return "gpu";
	case EDGEAI_CLUSTER_NPU:
		return "npu";
	}
	return "unknown";
}
