// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaid's notification of the service manager (userspace/daemon/notify.c)
 * against sockets made here, as systemd makes them: a path, an abstract
 * name; and the cases where there is nothing to tell or nowhere to.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"
#include "../lib/tap.h"

/* A datagram socket bound to @name (a path, or "@abstract"). */
static int listen_on(const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(sa.sun_family) + strlen(name);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	strncpy(sa.sun_path, name, sizeof(sa.sun_path) - 1);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	else
		len++;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, len) < 0)
		return -1;
	return fd;
}

/* What arrived on @fd, or "" if nothing did. */
static const char *received(int fd)
{
	static char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

int main(void)
{
	char dir[] = "/tmp/edgeaid-notify-XXXXXX", path[128], abstract[64];
	int fd, ret;

	unsetenv("NOTIFY_SOCKET");
	ok(notify_service_manager("READY=1") == 0, "no NOTIFY_SOCKET: nothing sent, 0");
	setenv("NOTIFY_SOCKET", "", 1);
	ok(notify_service_manager("READY=1") == 0, "empty NOTIFY_SOCKET: 0");

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return tap_done();
	}
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listen_on(path);
	ok(fd >= 0, "a socket at a path");
	setenv("NOTIFY_SOCKET", path, 1);
	ret = notify_service_manager("READY=1\nSTATUS=Serving 2 clusters");
	ok(ret == 1, "sent to the path (returned %d)", ret);
	ok(!strcmp(received(fd), "READY=1\nSTATUS=Serving 2 clusters"),
	   "the path's socket got the state, whole, in one datagram");
	ok(notify_service_manager("STOPPING=1") == 1 && !strcmp(received(fd), "STOPPING=1"),
	   "and a second message");
	close(fd);
	unlink(path);
	ret = notify_service_manager("READY=1");
	ok(ret == -ENOENT || ret == -ECONNREFUSED,
	   "the socket gone: a negative errno (%d), no crash", ret);
	rmdir(dir);

	snprintf(abstract, sizeof(abstract), "@edgeaid-notify-test-%d", (int)getpid());
	fd = listen_on(abstract);
	ok(fd >= 0, "an abstract socket");
	setenv("NOTIFY_SOCKET", abstract, 1);
	ret = notify_service_manager("READY=1");
	ok(ret == 1 && !strcmp(received(fd), "READY=1"), "sent to the abstract name");
	close(fd);

	setenv("NOTIFY_SOCKET", "relative/notify", 1);
	ok(notify_service_manager("READY=1") == -EINVAL, "a relative path: -EINVAL");
	memset(path, 'x', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	setenv("NOTIFY_SOCKET", path, 1);
	ok(notify_service_manager("READY=1") == -EINVAL, "a path too long for sun_path: -EINVAL");
	return tap_done();
}
