/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The wire protocol of the user-space broker, the baseline edgeai's
 * kernel path is measured against (edgeai-bench ctl).
 *
 * One message per SOCK_SEQPACKET record, native endianness (the broker and
 * its clients share a machine).  Every message starts with &struct ub_hdr,
 * which states its length and how many file descriptors ride with it as
 * SCM_RIGHTS; the receiver checks both (ub_msg_check()) before looking at
 * anything else.  The payloads mirror the kernel ABI: stages are
 * &struct edgeai_stage, stage records &struct edgeai_stage_times, and a
 * task carries the same descriptors EXEC_FETCH installs: the model (if
 * the graph has one) and every buffer the stage reads or writes, in
 * buffer order.
 *
 *   submitter                     broker                     executor
 *   GRAPH (model fd) ---------->        <---------- ATTACH
 *             <---------- REPLY         REPLY ---------->
 *   SUBMIT (buffer fds) ------->        TASK (fds) ----->
 *                                       <---------- COMPLETE (= ready)
 *             <-- DONE / REJECT
 *
 * Submits are not acknowledged: the client names each job with its own
 * tag and hears back once, with DONE or, if refused, REJECT.  A COMPLETE
 * also tells the broker the executor is free, so a stage costs the
 * executor one message each way.  Closing a connection cancels its jobs
 * (submitter) or hands its running stage back (executor).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_BENCH_UBPROTO_H
#define EDGEAI_BENCH_UBPROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <linux/edgeai.h>

/* Limits of the protocol: the kernel's default module parameters. */
#define UB_MAX_STAGES	16
#define UB_MAX_BUFFERS	16
#define UB_MAX_FDS	(UB_MAX_BUFFERS + 1)

enum ub_type {
	UB_GRAPH = 1,	/* submitter: register a graph; fds: the model, or none */
	UB_ATTACH,	/* executor: serve a cluster */
	UB_REPLY,	/* broker: answer to GRAPH or ATTACH */
	UB_SUBMIT,	/* submitter: a job; fds: its buffers */
	UB_REJECT,	/* broker: a SUBMIT was refused */
	UB_DONE,	/* broker: a job reached its final state */
	UB_TASK,	/* broker: a stage to run; fds: model, used buffers */
	UB_COMPLETE,	/* executor: the stage ran; it is free again */
	UB_NR_TYPES
};

struct ub_hdr {
	uint16_t type;
	uint16_t nr_fds;
	uint32_t len;
};

struct ub_graph_msg {
	struct ub_hdr hdr;
	uint32_t nr_stages;
	uint32_t nr_buffers;
	char name[EDGEAI_NAME_LEN];
	uint64_t buf_size[UB_MAX_BUFFERS];
	struct edgeai_stage stages[];
};

struct ub_attach_msg {
	struct ub_hdr hdr;
	uint32_t cluster_id;
	uint32_t __pad;
};

/* @id: the new graph's id (GRAPH) or the cluster (ATTACH). */
struct ub_reply_msg {
	struct ub_hdr hdr;
	int32_t error;
	uint32_t id;
};

struct ub_submit_msg {
	struct ub_hdr hdr;
	uint32_t graph_id;
	uint32_t priority;
	uint32_t flags;
	uint32_t nr_buffers;
	uint64_t deadline_ns;
	uint64_t cookie;
	uint64_t tag;
};

struct ub_reject_msg {
	struct ub_hdr hdr;
	int32_t error;
	uint32_t __pad;
	uint64_t tag;
	uint64_t cookie;
};

struct ub_done_msg {
	struct ub_hdr hdr;
	uint32_t status;
	int32_t error;
	uint64_t tag;
	uint64_t cookie;
	uint64_t submit_ns;
	uint64_t finish_ns;
	uint64_t deadline_ns;
	uint64_t energy_uj;
	uint32_t graph_id;
	uint32_t nr_stages;
	uint32_t retries;
	uint32_t __pad;
	struct edgeai_stage_times times[];
};

struct ub_task_msg {
	struct ub_hdr hdr;
	uint64_t task_id;
	uint64_t graph_key;
	uint32_t stage;
	uint32_t nr_stages;
	uint32_t first_layer;
	uint32_t nr_layers;
	uint32_t nr_buffers;
	uint32_t priority;
	uint64_t in_mask;
	uint64_t out_mask;
	uint64_t cost_ns;
	uint64_t deadline_ns;
	uint32_t freq_khz;
	uint32_t plan_freq_khz;
	uint32_t submitter_pid;
	uint32_t has_model;
	char graph_name[EDGEAI_NAME_LEN];
};

struct ub_complete_msg {
	struct ub_hdr hdr;
	uint64_t task_id;
	int32_t status;
	uint32_t __pad;
	uint64_t exec_ns;
	uint64_t energy_uj;
};

/* Room for any message. */
#define UB_MSG_MAX	(sizeof(struct ub_done_msg) + \
			 UB_MAX_STAGES * sizeof(struct edgeai_stage_times))
union ub_msg {
	struct ub_hdr hdr;
	struct ub_graph_msg graph;
	struct ub_attach_msg attach;
	struct ub_reply_msg reply;
	struct ub_submit_msg submit;
	struct ub_reject_msg reject;
	struct ub_done_msg done;
	struct ub_task_msg task;
	struct ub_complete_msg complete;
	char raw[UB_MSG_MAX];
};

/* Control buffer for UB_MAX_FDS descriptors. */
#define UB_CMSG_SPACE	CMSG_SPACE(UB_MAX_FDS * sizeof(int))

static inline size_t ub_graph_len(uint32_t nr_stages)
{
	return offsetof(struct ub_graph_msg, stages) +
	       nr_stages * sizeof(struct edgeai_stage);
}

static inline size_t ub_done_len(uint32_t nr_stages)
{
	return offsetof(struct ub_done_msg, times) +
	       nr_stages * sizeof(struct edgeai_stage_times);
}

/* Descriptors a task carries: the model and each buffer the stage uses. */
static inline unsigned int ub_task_nr_fds(uint32_t has_model, uint64_t used)
{
	return (has_model ? 1 : 0) + (unsigned int)__builtin_popcountll(used);
}

void ub_hdr_init(struct ub_hdr *hdr, enum ub_type type, size_t len,
		 unsigned int nr_fds);
int ub_msg_check(const void *buf, size_t len, unsigned int nr_fds);

int ub_send(int sock, const void *msg, const int *fds);
ssize_t ub_recv(int sock, union ub_msg *msg, int *fds, unsigned int *nr_fds);
int ub_cmsg_fds(struct msghdr *mh, int *fds, unsigned int *nr_fds);
void ub_close_fds(int *fds, unsigned int nr);

#endif /* EDGEAI_BENCH_UBPROTO_H */
