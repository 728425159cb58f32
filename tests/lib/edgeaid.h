/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM tests that run edgeaid, the executor daemon: start it with its
 * output in a log file, stop it, look into the log, wait until the
 * clusters have its executors.
 */
#ifndef EDGEAI_TESTS_EDGEAID_H
#define EDGEAI_TESTS_EDGEAID_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "tap.h"
#include "util.h"

/* edgeaid's configuration @text into the file @path, or the test bails out. */
static inline void edgeaid_conf(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		bail_out("cannot write edgeaid's configuration");
}

/*
 * Start the program @path with the arguments @argv (NULL-terminated, the
 * program's name first), its stdout and stderr in @log, truncated first:
 * its pid, or -1.
 */
static inline pid_t edgeaid_spawn(const char *log, const char *path, char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, STDERR_FILENO);
		dup2(fd, STDOUT_FILENO);
		execv(path, argv);
		_exit(127);
	}
	return pid;
}

/*
 * Wait up to @timeout_ms for child @pid to end: its exit status (128 + the
 * signal that ended it); -1 when it did not, and then it is killed.
 */
static inline int edgeaid_reap(pid_t pid, int timeout_ms)
{
	int status;

	for (; timeout_ms > 0; timeout_ms -= 20) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* SIGTERM to @pid, then edgeaid_reap(): how it ended. */
static inline int edgeaid_stop(pid_t pid, int timeout_ms)
{
	kill(pid, SIGTERM);
	return edgeaid_reap(pid, timeout_ms);
}

/* Whether the log @path holds @needle. */
static inline bool log_has(const char *path, const char *needle)
{
	char *text = read_text(path);
	bool found = text && strstr(text, needle);

	free(text);
	return found;
}

/* The log @path as TAP comments, each line after @prefix. */
static inline void log_show(const char *path, const char *prefix)
{
	char *text = read_text(path), *p, *nl;

	for (p = text; p && *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		diag("%s%.*s", prefix, (int)(nl - p), p);
		if (!*nl)
			break;
	}
	free(text);
}

/*
 * Poll every 20 ms for up to @timeout_ms until each of clusters 0 to
 * @nr - 1 has @want executors: whether they did.
 */
static inline bool wait_executors(struct edgeai *h, uint32_t nr, uint32_t want,
				  int timeout_ms)
{
	for (; timeout_ms > 0; timeout_ms -= 20) {
		struct edgeai_cluster_desc d;
		uint32_t c, good = 0;

		for (c = 0; c < nr; c++)
			good += !edgeai_cluster_get(h, c, &d) && d.info.nr_executors == want;
		if (good == nr)
			return true;
		usleep(20000);
	}
	return false;
}

#endif
