/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the VM tests do in a child process: drop to nobody, hand the parent
 * back what the child found (its checks' booleans) through a pipe, run in
 * a time namespace.
 */
#ifndef EDGEAI_TESTS_CHILD_H
#define EDGEAI_TESTS_CHILD_H

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOBODY_ID 65534

/* Become uid and gid 65534 with no groups, so no capability: 0, or -1. */
static inline int drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY_ID, NOBODY_ID, NOBODY_ID) ||
	    setresuid(NOBODY_ID, NOBODY_ID, NOBODY_ID))
		return -1;
	return 0;
}

/* drop_to_nobody() in a child process, which ends with status 2 if it cannot. */
static inline void child_drop_to_nobody(void)
{
	if (drop_to_nobody()) {
		perror("nobody");
		_exit(2);
	}
}

/*
 * Run @fn(@arg) as nobody in a child process: its exit status; 255 when the
 * child could not drop to nobody, -1 when it did not exit.
 */
static inline int as_nobody(int (*fn)(void *arg), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(drop_to_nobody() ? 255 : fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * Run @fn(@arg, @out) in a child process and copy the @len bytes it left in
 * @out back to the parent's @out: 0, or -1 with @out untouched when the
 * child died before it handed them over (or no child could be made).
 */
static inline int child_report(void (*fn)(void *arg, void *out), void *arg,
			       void *out, size_t len)
{
	char *got = malloc(len ? len : 1);
	int pfd[2], status, ret = -1;
	pid_t pid;

	if (!got || pipe(pfd)) {
		free(got);
		return -1;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		fn(arg, out);
		_exit(write(pfd[1], out, len) == (ssize_t)len ? 0 : 2);
	}
	close(pfd[1]);
	if (pid > 0 && read(pfd[0], got, len) == (ssize_t)len) {
		memcpy(out, got, len);
		ret = 0;
	}
	close(pfd[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	free(got);
	return ret;
}

/*
 * A child whose own child runs @fn(@fd) in a new time namespace, its
 * CLOCK_MONOTONIC @offset_s seconds ahead (a new namespace is its maker's
 * children's): the first child's pid.  That one ends with status 3 when it
 * cannot make the namespace, else 0 once its child has ended.
 */
static inline pid_t timens_spawn(long offset_s, void (*fn)(int fd), int fd)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char off[64];
		int tfd;

		snprintf(off, sizeof(off), "%d %ld 0", CLOCK_MONOTONIC, offset_s);
		if (unshare(CLONE_NEWTIME))
			_exit(3);
		tfd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
		if (tfd < 0 || write(tfd, off, strlen(off)) < 0)
			_exit(3);
		close(tfd);
		if (!fork()) {
			fn(fd);
			_exit(0);
		}
		wait(NULL);
		_exit(0);
	}
	return pid;
}

#endif
