/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What an adversarial VM test checks it left behind: open descriptors,
 * the module's live_* counters, and reports in the kernel log.
 */
#ifndef EDGEAI_TESTS_LEAKS_H
#define EDGEAI_TESTS_LEAKS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../fuzz/common.h"
#include "tap.h"

/* Descriptors this process holds now. */
static inline unsigned int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

/* Poll a live_* counter for up to 3 s until it reads @want. */
static inline long long live_settle(const char *name, long long want)
{
	long long v = -1;
	int i;

	for (i = 0; i < 300; i++) {
		v = stat_of(name);
		if (v == want)
			break;
		usleep(10000);
	}
	return v;
}

/*
 * Once the test closed every file: no job, session, graph or file of the
 * module is left (their live_* counters settle to 0).  One TAP check.
 */
static inline void live_all_freed(void)
{
	long long j = live_settle("live_jobs", 0), s = live_settle("live_sessions", 0);
	long long g = live_settle("live_graphs", 0), c = live_settle("live_ctx", 0);

	ok(!j && !s && !g && !c,
	   "all files closed: no job, session, graph or file left (%lld, %lld, %lld, %lld)",
	   j, s, g, c);
}

/* /dev/kmsg from its end: what the kernel logs from now on. */
static inline int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* A check: nothing since kmsg_open() reads as a warning or a bug. */
static inline void kmsg_check(int fd)
{
	static const char *const bad[] = { "WARNING:", "BUG:", "KASAN",
		"UBSAN", "lockdep", "possible circular locking",
		"refcount_t:", "list_add corruption", "list_del corruption",
		"Oops", "general protection", "page allocation failure" };
	unsigned int hits = 0, i;
	char rec[8192];
	ssize_t n;

	if (fd < 0) {
		skip("no /dev/kmsg: %s", strerror(errno));
		return;
	}
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = 0;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (strstr(rec, bad[i])) {
				diag("kernel: %s", strchr(rec, ';') ? strchr(rec, ';') + 1 : rec);
				hits++;
				break;
			}
		}
	}
	close(fd);
	ok(!hits, "the kernel log has no WARN, BUG, KASAN or lockdep report since the test began (%u)",
	   hits);
}

#endif
