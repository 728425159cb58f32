/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the VM tests that drive sysfs and shell commands: run a
 * command, read and write small files, poll a file until it shows a value.
 */
#ifndef EDGEAI_TESTS_SYSFS_H
#define EDGEAI_TESTS_SYSFS_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* system(3) of a formatted command: its status, 0 on success. */
static inline __attribute__((format(printf, 1, 2)))
int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* The number a file starts with, -1 when it cannot be read. */
static inline long read_long(const char *path)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return strtol(buf, NULL, 10);
}

/* A file's first line without its newline; "" and -1 when unreadable. */
static inline int read_str(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* write(2) the string to a sysfs file: 0 or -errno */
static inline int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Poll a file for up to 2 s until it reads @want: what it read last. */
static inline long settle(const char *path, long want)
{
	long v = -1;
	int i;

	for (i = 0; i < 200; i++) {
		v = read_long(path);
		if (v == want)
			break;
		usleep(10000);
	}
	return v;
}

#endif /* EDGEAI_TESTS_SYSFS_H */
