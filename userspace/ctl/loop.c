// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl: the wait loop of monitor, top and trace: events from the
 * listener until a deadline, a count or a signal.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "ctl.h"
#include "loop.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

void ctl_loop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* No SA_RESTART: poll() must return to see the flag. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool ctl_loop_stopped(void)
{
	return stop_signal != 0;
}

int ctl_loop_wait(struct edgeai_listener *l, uint64_t until_ns,
		  edgeai_event_cb cb, void *arg)
{
	struct edgeai_event ev;
	int ret;

	for (;;) {
		uint64_t now = edgeai_now_ns();
		struct pollfd pfd;
		int timeout;

		if (stop_signal)
			return 0;
		/* Whatever is buffered first: poll() does not see it. */
		while (l && (ret = edgeai_listener_next(l, &ev)) != 0) {
			if (ret == -EBADMSG)
				continue;
			if (ret == -EINTR)
				break;
			if (ret < 0)
				return ret;
			ret = cb(&ev, arg);
			if (ret)
				return ret;
			if (stop_signal)
				return 0;
		}
		now = edgeai_now_ns();
		if (until_ns && now >= until_ns)
			return 0;
		if (!until_ns)
			timeout = -1;
		else if (until_ns - now > 60000000000ull)
			timeout = 60000;
		else
			timeout = (int)((until_ns - now + 999999) / 1000000);
		pfd = (struct pollfd){ .fd = l ? edgeai_listener_fd(l) : -1,
				       .events = POLLIN };
		ret = poll(&pfd, 1, timeout);
		if (ret < 0 && errno != EINTR)
			return -errno;
	}
}
