// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl metrics: Prometheus' text format on stdout (once), or kept up
 * to date in a file for node_exporter's textfile collector (metrics.h).
 *
 * Per-graph figures come from job events: with -t they cover that long
 * before the one print; with --textfile everything since the start.  They
 * need the jobs group (CAP_NET_ADMIN); without it they are left out and a
 * warning says why.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "loop.h"
#include "metrics.h"
#include "nl.h"
#include "opts.h"


static int on_event(const struct edgeai_event *ev, void *arg)
{
	metrics_event(arg, ev);
	return 0;
}

/* A snapshot taken now, written to @f: 0, -ENOMEM or -EIO. */
static int emit(struct ctl *ctl, const struct metrics *m, FILE *f)
{
	struct ctl_snapshot *s = malloc(sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	ctl_snapshot(ctl, s);
	ret = metrics_write(ctl, m, s, f);
	free(s);
	return ret;
}

/* The exposition to @path, whole or not at all (a temporary file renamed). */
static int write_file(struct ctl *ctl, const struct metrics *m, const char *path)
{
	char tmp[PATH_MAX];
	FILE *f;
	int ret;

	if (snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	ret = emit(ctl, m, f);
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

static int print_once(struct ctl *ctl, const struct metrics *m)
{
	int ret = emit(ctl, m, stdout);

	if (!ret && fflush(stdout))
		ret = -EIO;
	return ret ? ctl_fail(ctl, ret, "writing stdout") : CTL_EXIT_OK;
}

int ctl_cmd_metrics(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd *cmd = ctl_cmd_named("metrics");
	const char *dir = NULL, *arg;
	uint64_t listen = 0, interval = 15000000000ull, next;
	struct edgeai_listener *l = NULL;
	struct metrics *m = NULL;
	char path[PATH_MAX];
	struct ctl_args a;
	int key, ret = 0;

	ctl_args_init(&a, cmd);
	while ((key = ctl_getopt(ctl, &a, argc, argv, &arg)) > 0) {
		switch (key) {
		case 'h':
			return CTL_EXIT_OK;
		case 't':
		case OPT_INTERVAL:
			if (ctl_arg_duration(ctl, key == 't' ? "duration" : "interval",
					     "a duration (e.g. 15s, 500ms)", arg, 0,
					     key == 't' ? &listen : &interval))
				return CTL_EXIT_USAGE;
			break;
		case OPT_TEXTFILE:
			dir = arg;
			break;
		}
	}
	if (key < 0 || ctl_check_operands(ctl, cmd, argc, 0, 0))
		return CTL_EXIT_USAGE;
	if (ctl->json) {
		ctl_err(ctl, "the output is Prometheus' text format: -j does not apply");
		return CTL_EXIT_USAGE;
	}
	if (dir && listen) {
		ctl_err(ctl, "--textfile keeps counting from the start: -t does not apply");
		return CTL_EXIT_USAGE;
	}
	if (dir) {
		if (snprintf(path, sizeof(path), "%s/edgeai.prom", dir) >= (int)sizeof(path)) {
			ctl_err(ctl, "--textfile: %s is too long a path", dir);
			return CTL_EXIT_USAGE;
		}
		if (access(dir, W_OK)) {
			ctl_err(ctl, "--textfile: %s: %s", dir, strerror(errno));
			return CTL_EXIT_ERROR;
		}
	}
	if (!dir && !listen)
		return print_once(ctl, NULL);

	m = metrics_new();
	if (!m)
		return ctl_fail(ctl, -ENOMEM, "starting");
	ctl_loop_signals();
	/* The family may come later: a service may start before the module. */
	if (ctl_listener_open(ctl, &l, EDGEAI_LISTEN_EVENTS | EDGEAI_LISTEN_JOBS_IF_PERMITTED |
			      EDGEAI_LISTEN_WAIT)) {
		metrics_free(m);
		return CTL_EXIT_ERROR;
	}
	edgeai_listener_set_nonblocking(l, 1);
	if (!(edgeai_listener_groups(l) & EDGEAI_LISTEN_JOBS))
		ctl_warn(ctl, "per-graph figures left out: they come with job events, and %s",
			 ctl_no_jobs_reason(ctl, l));
	if (!dir) {
		ret = ctl_loop_wait(l, edgeai_now_ns() + listen, on_event, m);
		ret = ret < 0 ? ctl_fail(ctl, ret, "reading events") : print_once(ctl, m);
		goto out;
	}
	for (next = edgeai_now_ns(); !ctl_loop_stopped(); next += interval) {
		ret = ctl_loop_wait(l, next, on_event, m);
		if (ret < 0) {
			ret = ctl_fail(ctl, ret, "reading events");
			goto out;
		}
		ret = write_file(ctl, edgeai_listener_groups(l) & EDGEAI_LISTEN_JOBS ? m : NULL,
				 path);
		if (ret) {
			ret = ctl_fail(ctl, ret, "writing %s", path);
			goto out;
		}
	}
	ret = CTL_EXIT_OK;
out:
	edgeai_listener_close(l);
	metrics_free(m);
	return ret;
}
