// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libedgeai: messages of the "edgeai" generic netlink family (and of the
 * controller that announces it) into C structs.
 *
 * Attributes this header does not know are skipped, so an older library
 * reads a newer module's messages; attributes that are known but too short
 * make the whole message malformed rather than half-read.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl-internal.h"

static struct nla_policy edgeai_nl_policy[EDGEAI_NL_A_MAX + 1] = {
	[EDGEAI_NL_A_CLUSTER_ID] = { .type = NLA_U32 },
	[EDGEAI_NL_A_CLUSTER_NAME] = { .type = NLA_STRING },
	[EDGEAI_NL_A_CLUSTER_KIND] = { .type = NLA_U32 },
	[EDGEAI_NL_A_CLUSTER_CONTROL] = { .type = NLA_U32 },
	[EDGEAI_NL_A_FREQ_KHZ] = { .type = NLA_U32 },
	[EDGEAI_NL_A_FREQ_OLD_KHZ] = { .type = NLA_U32 },
	[EDGEAI_NL_A_FREQ_REASON] = { .type = NLA_U32 },
	[EDGEAI_NL_A_FREQS] = { .type = NLA_NESTED },
	[EDGEAI_NL_A_GOVERNOR] = { .type = NLA_STRING },
	[EDGEAI_NL_A_GOVERNOR_OLD] = { .type = NLA_STRING },
	[EDGEAI_NL_A_NR_QUEUED] = { .type = NLA_U32 },
	[EDGEAI_NL_A_NR_RUNNING] = { .type = NLA_U32 },
	[EDGEAI_NL_A_NR_EXECUTORS] = { .type = NLA_U32 },
	[EDGEAI_NL_A_BUSY_NS] = { .type = NLA_U64 },
	[EDGEAI_NL_A_STAGES_DONE] = { .type = NLA_U64 },
	[EDGEAI_NL_A_ENERGY_UJ] = { .type = NLA_U64 },
	[EDGEAI_NL_A_JOB_ID] = { .type = NLA_U64 },
	[EDGEAI_NL_A_PID] = { .type = NLA_U32 },
	[EDGEAI_NL_A_UID] = { .type = NLA_U32 },
	[EDGEAI_NL_A_GRAPH_ID] = { .type = NLA_U32 },
	[EDGEAI_NL_A_GRAPH_NAME] = { .type = NLA_STRING },
	[EDGEAI_NL_A_PRIO] = { .type = NLA_U32 },
	[EDGEAI_NL_A_STATUS] = { .type = NLA_U32 },
	[EDGEAI_NL_A_LATENCY_NS] = { .type = NLA_U64 },
	[EDGEAI_NL_A_DEADLINE_NS] = { .type = NLA_U64 },
	[EDGEAI_NL_A_DEADLINE_MET] = { .type = NLA_FLAG },
	[EDGEAI_NL_A_SUBMIT_NS] = { .type = NLA_U64 },
	[EDGEAI_NL_A_STAGES] = { .type = NLA_NESTED },
	[EDGEAI_NL_A_STAGE] = { .type = NLA_NESTED },
	[EDGEAI_NL_A_START_NS] = { .type = NLA_U64 },
	[EDGEAI_NL_A_END_NS] = { .type = NLA_U64 },
	[EDGEAI_NL_A_STATE] = { .type = NLA_U32 },
	[EDGEAI_NL_A_STAGE_INDEX] = { .type = NLA_U32 },
	[EDGEAI_NL_A_EXEC_LOST] = { .type = NLA_FLAG },
	[EDGEAI_NL_A_STAT_SUBMITTED] = { .type = NLA_U64 },
	[EDGEAI_NL_A_STAT_COMPLETED] = { .type = NLA_U64 },
	[EDGEAI_NL_A_STAT_FAILED] = { .type = NLA_U64 },
	[EDGEAI_NL_A_STAT_CANCELLED] = { .type = NLA_U64 },
	[EDGEAI_NL_A_STAT_DEADLINE_MISSES] = { .type = NLA_U64 },
	[EDGEAI_NL_A_STAT_REJECTED] = { .type = NLA_U64 },
	[EDGEAI_NL_A_STAT_LIVE_JOBS] = { .type = NLA_U32 },
	[EDGEAI_NL_A_QUEUED_PRIO] = { .type = NLA_NESTED },
	[EDGEAI_NL_A_TIME_NS] = { .type = NLA_U64 },
};

/* Where each fixed-size attribute lands in struct edgeai_event. */
#define U32(a, m) [a] = { offsetof(struct edgeai_event, m), 4 }
#define U64(a, m) [a] = { offsetof(struct edgeai_event, m), 8 }
#define STR(a, m) [a] = { offsetof(struct edgeai_event, m), \
			  sizeof(((struct edgeai_event *)0)->m) | STR_BIT }
#define STR_BIT 0x10000

static const struct {
	unsigned int offset;
	unsigned int size;
} edgeai_nl_members[EDGEAI_NL_A_MAX + 1] = {
	U32(EDGEAI_NL_A_CLUSTER_ID, cluster_id),
	STR(EDGEAI_NL_A_CLUSTER_NAME, cluster_name),
	U32(EDGEAI_NL_A_CLUSTER_KIND, kind),
	U32(EDGEAI_NL_A_CLUSTER_CONTROL, control),
	U32(EDGEAI_NL_A_FREQ_KHZ, freq_khz),
	U32(EDGEAI_NL_A_FREQ_OLD_KHZ, freq_old_khz),
	U32(EDGEAI_NL_A_FREQ_REASON, freq_reason),
	STR(EDGEAI_NL_A_GOVERNOR, governor),
	STR(EDGEAI_NL_A_GOVERNOR_OLD, governor_old),
	U32(EDGEAI_NL_A_NR_QUEUED, nr_queued),
	U32(EDGEAI_NL_A_NR_RUNNING, nr_running),
	U32(EDGEAI_NL_A_NR_EXECUTORS, nr_executors),
	U64(EDGEAI_NL_A_BUSY_NS, busy_ns),
	U64(EDGEAI_NL_A_STAGES_DONE, stages_done),
	U64(EDGEAI_NL_A_ENERGY_UJ, energy_uj),
	U64(EDGEAI_NL_A_JOB_ID, job_id),
	U32(EDGEAI_NL_A_PID, pid),
	U32(EDGEAI_NL_A_UID, uid),
	U32(EDGEAI_NL_A_GRAPH_ID, graph_id),
	STR(EDGEAI_NL_A_GRAPH_NAME, graph_name),
	U32(EDGEAI_NL_A_PRIO, prio),
	U32(EDGEAI_NL_A_STATUS, status),
	U64(EDGEAI_NL_A_LATENCY_NS, latency_ns),
	U64(EDGEAI_NL_A_DEADLINE_NS, deadline_ns),
	U64(EDGEAI_NL_A_SUBMIT_NS, submit_ns),
	U32(EDGEAI_NL_A_STATE, state),
	U32(EDGEAI_NL_A_STAGE_INDEX, stage_index),
	U64(EDGEAI_NL_A_STAT_SUBMITTED, stat_submitted),
	U64(EDGEAI_NL_A_STAT_COMPLETED, stat_completed),
	U64(EDGEAI_NL_A_STAT_FAILED, stat_failed),
	U64(EDGEAI_NL_A_STAT_CANCELLED, stat_cancelled),
	U64(EDGEAI_NL_A_STAT_DEADLINE_MISSES, stat_deadline_misses),
	U64(EDGEAI_NL_A_STAT_REJECTED, stat_rejected),
	U32(EDGEAI_NL_A_STAT_LIVE_JOBS, stat_live_jobs),
	U64(EDGEAI_NL_A_TIME_NS, time_ns),
	U32(EDGEAI_NL_A_EXIT, exit_index),
	U32(EDGEAI_NL_A_ACCURACY_PPM, accuracy_ppm),
	U64(EDGEAI_NL_A_STAT_EXITS_TAKEN, stat_exits_taken),
	U32(EDGEAI_NL_A_TOKENS, tokens),
	U64(EDGEAI_NL_A_STEP_NS, step_ns),
	U32(EDGEAI_NL_A_SESSION_END, session_end),
	U64(EDGEAI_NL_A_FROZEN_NS, frozen_ns),
	U64(EDGEAI_NL_A_STAT_TOKENS, stat_tokens),
	U64(EDGEAI_NL_A_STAT_FREEZES, stat_freezes),
};

int edgeai_nl_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0:
		return 0;
	case NLE_INTR:
		return -EINTR;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_OBJ_NOTFOUND:
	case NLE_NOADDR:
		return -ENOENT;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_PROTO_MISMATCH:
	case NLE_MSG_TOOSHORT:
	case NLE_MSG_TRUNC:
	case NLE_MSG_OVERFLOW:
	case NLE_PARSE_ERR:
		return -EBADMSG;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_DUMP_INTR:
		return -EAGAIN;
	}
	return -EIO;
}

static void mark(struct edgeai_event *ev, unsigned int attr)
{
	if (attr < 128)
		ev->present[attr / 64] |= 1ull << (attr % 64);
}

/*
 * A nest of u32 attributes of @type (others passed over): the first @max
 * into @vals, their count in *@nr.  A %EDGEAI_NL_A_FREQS nest has one
 * %EDGEAI_NL_A_FREQ_KHZ per step; %EDGEAI_NL_A_QUEUED_PRIO one
 * %EDGEAI_NL_A_NR_QUEUED per priority class, in order.
 */
static int decode_u32s(struct nlattr *nest, int type, uint32_t *vals, uint32_t *nr,
		       uint32_t max)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != type)
			continue;
		if (nla_len(a) < 4)
			return -EBADMSG;
		if (*nr < max)
			vals[(*nr)++] = nla_get_u32(a);
	}
	return 0;
}

static struct nla_policy stage_policy[EDGEAI_NL_A_MAX + 1] = {
	[EDGEAI_NL_A_CLUSTER_ID] = { .type = NLA_U32 },
	[EDGEAI_NL_A_FREQ_KHZ] = { .type = NLA_U32 },
	[EDGEAI_NL_A_START_NS] = { .type = NLA_U64 },
	[EDGEAI_NL_A_END_NS] = { .type = NLA_U64 },
};

/* A nest of %EDGEAI_NL_A_STAGE nests. */
static int decode_stages(struct nlattr *nest, struct edgeai_event *ev)
{
	struct nlattr *tb[EDGEAI_NL_A_MAX + 1];
	struct edgeai_event_stage *st;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != EDGEAI_NL_A_STAGE)
			continue;
		if (nla_parse_nested(tb, EDGEAI_NL_A_MAX, a, stage_policy))
			return -EBADMSG;
		if (ev->nr_stages >= EDGEAI_EVENT_STAGES)
			continue;
		st = &ev->stages[ev->nr_stages++];
		if (tb[EDGEAI_NL_A_CLUSTER_ID])
			st->cluster_id = nla_get_u32(tb[EDGEAI_NL_A_CLUSTER_ID]);
		if (tb[EDGEAI_NL_A_FREQ_KHZ])
			st->freq_khz = nla_get_u32(tb[EDGEAI_NL_A_FREQ_KHZ]);
		if (tb[EDGEAI_NL_A_START_NS])
			st->start_ns = nla_get_u64(tb[EDGEAI_NL_A_START_NS]);
		if (tb[EDGEAI_NL_A_END_NS])
			st->end_ns = nla_get_u64(tb[EDGEAI_NL_A_END_NS]);
	}
	return 0;
}

int edgeai_nl_decode(const struct nlmsghdr *nlh, struct edgeai_event *ev)
{
	struct nlmsghdr *h = (struct nlmsghdr *)nlh;
	struct nlattr *tb[EDGEAI_NL_A_MAX + 1];
	unsigned int i;
	int ret;

	memset(ev, 0, sizeof(*ev));
	if (!genlmsg_valid_hdr(h, 0))
		return -EBADMSG;
	if (genlmsg_parse(h, 0, tb, EDGEAI_NL_A_MAX, edgeai_nl_policy))
		return -EBADMSG;
	ev->type = ((struct genlmsghdr *)nlmsg_data(h))->cmd;

	for (i = 1; i <= EDGEAI_NL_A_MAX; i++) {
		unsigned int size = edgeai_nl_members[i].size;
		char *m = (char *)ev + edgeai_nl_members[i].offset;

		if (!tb[i])
			continue;
		mark(ev, i);
		if (size & STR_BIT)
			nla_strlcpy(m, tb[i], size & ~STR_BIT);
		else if (size == 4)
			*(uint32_t *)m = nla_get_u32(tb[i]);
		else if (size == 8)
			*(uint64_t *)m = nla_get_u64(tb[i]);
	}
	ret = 0;
	if (tb[EDGEAI_NL_A_FREQS])
		ret = decode_u32s(tb[EDGEAI_NL_A_FREQS], EDGEAI_NL_A_FREQ_KHZ, ev->freqs_khz,
				  &ev->nr_freqs, EDGEAI_EVENT_FREQS);
	if (!ret && tb[EDGEAI_NL_A_STAGES])
		ret = decode_stages(tb[EDGEAI_NL_A_STAGES], ev);
	if (!ret && tb[EDGEAI_NL_A_QUEUED_PRIO])
		ret = decode_u32s(tb[EDGEAI_NL_A_QUEUED_PRIO], EDGEAI_NL_A_NR_QUEUED,
				  ev->queued_prio, &ev->nr_queued_prio, EDGEAI_NR_PRIO);
	return ret;
}

static struct nla_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16 },
	[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING },
	[CTRL_ATTR_MCAST_GROUPS] = { .type = NLA_NESTED },
};

static struct nla_policy ctrl_grp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = { .type = NLA_STRING },
	[CTRL_ATTR_MCAST_GRP_ID] = { .type = NLA_U32 },
};

int edgeai_nl_decode_ctrl(const struct nlmsghdr *nlh, int *cmd,
			  struct edgeai_nl_family *family)
{
	struct nlmsghdr *h = (struct nlmsghdr *)nlh;
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct nlattr *g;
	int rem;

	memset(family, 0, sizeof(*family));
	if (!genlmsg_valid_hdr(h, 0) ||
	    genlmsg_parse(h, 0, tb, CTRL_ATTR_MAX, ctrl_policy))
		return -EBADMSG;
	*cmd = ((struct genlmsghdr *)nlmsg_data(h))->cmd;
	if (tb[CTRL_ATTR_FAMILY_NAME])
		nla_strlcpy(family->name, tb[CTRL_ATTR_FAMILY_NAME],
			    sizeof(family->name));
	if (tb[CTRL_ATTR_FAMILY_ID])
		family->id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	nla_for_each_nested(g, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
		struct nlattr *gb[CTRL_ATTR_MCAST_GRP_MAX + 1];
		char name[32];
		unsigned int id;

		if (nla_parse_nested(gb, CTRL_ATTR_MCAST_GRP_MAX, g,
				     ctrl_grp_policy))
			return -EBADMSG;
		if (!gb[CTRL_ATTR_MCAST_GRP_NAME] || !gb[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		nla_strlcpy(name, gb[CTRL_ATTR_MCAST_GRP_NAME], sizeof(name));
		id = nla_get_u32(gb[CTRL_ATTR_MCAST_GRP_ID]);
		if (!strcmp(name, EDGEAI_NL_MCGRP_EVENTS))
			family->grp_events = id;
		else if (!strcmp(name, EDGEAI_NL_MCGRP_JOBS))
			family->grp_jobs = id;
	}
	return 0;
}
