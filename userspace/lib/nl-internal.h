/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libedgeai internals shared by the netlink listener and its decoder (and
 * the host tests of the decoder).  Not installed.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_NL_INTERNAL_H
#define EDGEAI_NL_INTERNAL_H

#include <linux/netlink.h>

#include <edgeai.h>

/**
 * struct edgeai_nl_family - what the controller says of a family
 * @id: the family's id (its messages' nlmsg_type), 0 if not given
 * @grp_events: id of its "events" multicast group, 0 if it has none
 * @grp_jobs: id of its "jobs" multicast group, 0 if it has none
 * @name: its name
 */
struct edgeai_nl_family {
	int id;
	unsigned int grp_events;
	unsigned int grp_jobs;
	char name[32];
};

/* A message of the family into @ev: 0, or -EBADMSG when malformed. */
int edgeai_nl_decode(const struct nlmsghdr *nlh, struct edgeai_event *ev);

/*
 * A message of the controller (nlctrl): its command (CTRL_CMD_*) and the
 * family it speaks of.  0, or -EBADMSG.
 */
int edgeai_nl_decode_ctrl(const struct nlmsghdr *nlh, int *cmd,
			  struct edgeai_nl_family *family);

/* A libnl error (NLE_*, negative) as the nearest negative errno. */
int edgeai_nl_errno(int nlerr);

#endif /* EDGEAI_NL_INTERNAL_H */
