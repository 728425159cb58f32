/* SPDX-License-Identifier: GPL-2.0-only */
/* edgeaictl: waiting for events, a deadline or a signal. */
#ifndef EDGEAICTL_LOOP_H
#define EDGEAICTL_LOOP_H

#include "ctl.h"

/* SIGINT, SIGTERM and SIGHUP end the loop (and SIGPIPE is ignored). */
void ctl_loop_signals(void);
bool ctl_loop_stopped(void);
/*
 * Passes the listener's events to @cb until CLOCK_MONOTONIC @until_ns (0:
 * no limit) or a signal; the listener must be non-blocking (or NULL: just
 * wait).  Returns 0, a negative errno, or what @cb returned (non-zero
 * stops).
 */
int ctl_loop_wait(struct edgeai_listener *l, uint64_t until_ns,
		  edgeai_event_cb cb, void *arg);

#endif /* EDGEAICTL_LOOP_H */
