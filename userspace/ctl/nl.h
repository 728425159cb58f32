/* SPDX-License-Identifier: GPL-2.0-only */
/* edgeaictl: the netlink listener, opened with messages for people. */
#ifndef EDGEAICTL_NL_H
#define EDGEAICTL_NL_H

#include "ctl.h"

/* edgeai_listener_open() that prints why it failed; returns its value. */
int ctl_listener_open(struct ctl *ctl, struct edgeai_listener **l,
		      unsigned int flags);

/* Why job events are missing: no CAP_NET_ADMIN, no family, no module. */
const char *ctl_no_jobs_reason(struct ctl *ctl, struct edgeai_listener *l);

#endif /* EDGEAICTL_NL_H */
