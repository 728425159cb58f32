/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeai: what the module tells the world, as generic netlink events and
 * tracepoints.  Each call is cheap when nobody listens.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_NOTIFY_H
#define EDGEAI_NOTIFY_H

#include "edgeai.h"

int edgeai_netlink_init(void);
void edgeai_netlink_exit(void);

void edgeai_notify_freq(struct edgeai_cluster *c, u32 old_khz, u32 new_khz,
			u32 reason);
void edgeai_notify_governor(struct edgeai_cluster *c, const char *old,
			    const char *new);
void edgeai_notify_overload(struct edgeai_cluster *c, u32 nr_work);
void edgeai_notify_capped(struct edgeai_cluster *c, u32 req_khz,
			  u32 actual_khz);
void edgeai_notify_exec(struct edgeai_exec *exec, bool attach, bool lost,
			u32 nr_exec);
void edgeai_notify_job_done(struct edgeai_job *job);
void edgeai_notify_rejected(struct edgeai_job *job);

#endif /* EDGEAI_NOTIFY_H */
