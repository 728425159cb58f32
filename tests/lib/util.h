/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small helpers shared by edgeai's C tests: the device, ioctls that
 * return -errno, a whole file read into memory.
 */
#ifndef EDGEAI_TESTS_UTIL_H
#define EDGEAI_TESTS_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define TEST_DEV "/dev/edgeai"

/* /dev/edgeai, or the test ends with status 2 (it cannot run). */
static inline int dev_open(void)
{
	int fd = open(TEST_DEV, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		perror(TEST_DEV);
		exit(2);
	}
	return fd;
}

/* ioctl(2), returning 0 or -errno. */
static inline long xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* The whole of @path in a malloc()ed buffer of *@len bytes, or NULL. */
static inline uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n > 0 ? (size_t)n : 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

/*
 * Up to the first MiB of @path, NUL-terminated, for files whose size stat
 * does not tell (tracefs says 0); NULL if it cannot be read.
 */
static inline char *read_text(const char *path)
{
	size_t len, cap = 1 << 20;
	char *buf = malloc(cap + 1);
	FILE *f = fopen(path, "r");

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	len = fread(buf, 1, cap, f);
	buf[len] = 0;
	fclose(f);
	return buf;
}

/*
 * Whether `/tests/edgeaictl ARGS` (in the VM) prints a line holding
 * @want, stdout or stderr.
 */
static inline bool ctl_prints(const char *args, const char *want)
{
	char cmd[128], line[512];
	bool seen = false;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "/tests/edgeaictl %s 2>&1", args);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p))
		seen |= strstr(line, want) != NULL;
	if (p)
		pclose(p);
	return seen;
}

#endif
