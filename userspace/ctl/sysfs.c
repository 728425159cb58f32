// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl: the device's sysfs files (docs/ABI/sysfs-class-misc-edgeai).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"

/* Opens the file @rel of the sysfs tree: a descriptor or -errno. */
static int open_rel(struct ctl *ctl, const char *rel, int flags)
{
	char path[512];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", ctl->sysfs, rel) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int ctl_sysfs_read(struct ctl *ctl, const char *rel, char *buf, size_t size)
{
	int fd = open_rel(ctl, rel, O_RDONLY), ret;
	ssize_t n;

	if (fd < 0)
		return fd;
	n = read(fd, buf, size - 1);
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	buf[n] = 0;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
	return 0;
}

int ctl_sysfs_read_u64(struct ctl *ctl, const char *rel, uint64_t *v)
{
	char buf[32], *end;
	int ret = ctl_sysfs_read(ctl, rel, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	if (end == buf || *end || errno)
		return -EINVAL;
	return 0;
}

int ctl_sysfs_write(struct ctl *ctl, const char *rel, const char *val)
{
	size_t len = strlen(val);
	/* O_TRUNC means nothing to sysfs but lets tests use plain files. */
	int fd = open_rel(ctl, rel, O_WRONLY | O_TRUNC), ret;
	ssize_t n;

	if (fd < 0)
		return fd;
	n = write(fd, val, len);
	ret = n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

bool ctl_sysfs_present(struct ctl *ctl)
{
	struct stat st;

	return !stat(ctl->sysfs, &st) && S_ISDIR(st.st_mode);
}
