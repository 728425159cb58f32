// SPDX-License-Identifier: GPL-2.0-only
/*
 * Placeholder for the generic netlink family; filled in by the
 * observability work.
 */
#include "notify.h"

void edgeai_notify_freq(struct edgeai_cluster *c, u32 old_khz, u32 new_khz,
			u32 reason)
{
}

void edgeai_notify_governor(struct edgeai_cluster *c, const char *old,
			    const char *new)
{
}

void edgeai_notify_overload(struct edgeai_cluster *c, u32 nr_work)
{
}
