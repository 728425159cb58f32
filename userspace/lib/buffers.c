// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libedgeai: job buffers as sealed memfds.
 *
 * The seals keep a buffer's size fixed once made, so an executor that maps
 * it cannot be cut short by the submitter truncating it mid-stage.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <edgeai.h>

int edgeai_buffer_create(const char *name, uint64_t size)
{
	int fd;

	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int edgeai_buffers_create(const char *name, uint32_t nr, const uint64_t *sizes,
			  int *fds)
{
	uint32_t i;
	int fd;

	for (i = 0; i < nr; i++) {
		fd = edgeai_buffer_create(name, sizes[i]);
		if (fd < 0) {
			edgeai_buffers_close(i, fds);
			return fd;
		}
		fds[i] = fd;
	}
	return 0;
}

int edgeai_buffer_create_const(const char *name, const void *data,
			       uint64_t size)
{
	const char *p = data;
	uint64_t done = 0;
	int fd, err;

	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	while (done < size) {
		ssize_t n = write(fd, p + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto err;
		done += (uint64_t)n;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
		  F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		goto err;
	return fd;
err:
	err = errno ? -errno : -EIO;
	close(fd);
	return err;
}

void edgeai_buffers_close(uint32_t nr, int *fds)
{
	uint32_t i;

	for (i = 0; i < nr; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}
