// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl: opening the netlink listener with messages that say what is
 * missing.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>

#include "ctl.h"
#include "nl.h"

int ctl_listener_open(struct ctl *ctl, struct edgeai_listener **l,
		      unsigned int flags)
{
	int ret = edgeai_listener_open(l, flags);

	if (!ret)
		return 0;
	if (ret == -ENOENT && ctl_sysfs_present(ctl))
		ctl_err(ctl, "edgeai.ko is loaded but has no netlink family \"%s\" (a module too old for this edgeaictl?)",
			EDGEAI_GENL_NAME);
	else if (ret == -ENOENT)
		ctl_err(ctl, "edgeai.ko is not loaded (no netlink family \"%s\")",
			EDGEAI_GENL_NAME);
	else if (ret == -EPERM)
		ctl_err(ctl, "joining the netlink \"%s\" group needs CAP_NET_ADMIN",
			EDGEAI_NL_MCGRP_JOBS);
	else
		ctl_fail(ctl, ret, "opening the netlink listener");
	return ret;
}

const char *ctl_no_jobs_reason(struct ctl *ctl, struct edgeai_listener *l)
{
	if (l && edgeai_listener_present(l))
		return "the netlink \"" EDGEAI_NL_MCGRP_JOBS "\" group needs CAP_NET_ADMIN";
	if (ctl_sysfs_present(ctl))
		return "edgeai.ko has no netlink family \"" EDGEAI_GENL_NAME "\"";
	return "edgeai.ko is not loaded";
}
