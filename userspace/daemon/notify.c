// SPDX-License-Identifier: GPL-2.0-only
/*
 * systemd's notification protocol, as sd_notify(3) and systemd.service(5)
 * (Type=notify) describe it: one datagram of "KEY=VALUE" lines to the
 * AF_UNIX socket named by $NOTIFY_SOCKET, a path, or an abstract name
 * when it starts with '@'.  A dozen lines, so edgeaid needs no libsystemd.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

int notify_service_manager(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len, state_len = strlen(state);
	ssize_t sent;
	int fd, err = 0;

	if (!path || !*path)
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path))
		return -EINVAL;
	memcpy(sa.sun_path, path, len);
	/* An abstract name: a leading NUL, and no terminating one counted. */
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	else
		len++;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	sent = sendto(fd, state, state_len, MSG_NOSIGNAL, (struct sockaddr *)&sa,
		      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
	if (sent < 0)
		err = -errno;
	else if ((size_t)sent != state_len)
		err = -EMSGSIZE;
	close(fd);
	return err ? err : 1;
}
