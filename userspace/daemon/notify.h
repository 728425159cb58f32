/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Readiness and status for the service manager: systemd's notification
 * protocol (sd_notify(3)) without libsystemd.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAID_NOTIFY_H
#define EDGEAID_NOTIFY_H

/*
 * Send @state ("READY=1", "STOPPING=1", "STATUS=...", several joined by
 * newlines) to the socket $NOTIFY_SOCKET names.  Returns 1 when sent, 0
 * when there is no $NOTIFY_SOCKET (not started by a service manager that
 * asks), or a negative errno.
 */
int notify_service_manager(const char *state);

#endif
