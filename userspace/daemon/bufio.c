// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading and writing job buffers; see bufio.h.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bufio.h"

/* Largest buffer a stage may touch: far beyond any tensor, below abuse. */
#define BUF_IO_MAX	(1ULL << 32)

static bool sealed_against_shrink(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & F_SEAL_SHRINK);
}

int buf_io_open(struct buf_io *io, int fd, uint64_t len, bool output)
{
	struct stat st;
	size_t done = 0;

	memset(io, 0, sizeof(*io));
	io->fd = fd;
	io->len = len;
	io->output = output;
	if (fd < 0)
		return -EBADF;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (len > BUF_IO_MAX)
		return -EFBIG;
	if (st.st_size < 0 || (uint64_t)st.st_size < len)
		return -ENOSPC;
	if (!len)
		return 0;

	if (sealed_against_shrink(fd)) {
		void *p = mmap(NULL, len, output ? PROT_READ | PROT_WRITE : PROT_READ,
			       MAP_SHARED, fd, 0);

		if (p != MAP_FAILED) {
			io->data = p;
			io->mapped = true;
			return 0;
		}
		/* E.g. sealed against writes: the copy path says why. */
	}
	io->data = malloc(len);
	if (!io->data)
		return -ENOMEM;
	if (output)
		return 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)io->data + done, len - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENOSPC;	/* cut short since fstat */
		done += (size_t)n;
	}
	return 0;
}

int buf_io_finish(struct buf_io *io)
{
	size_t done = 0;

	if (!io->output || io->mapped || !io->len)
		return 0;
	while (done < io->len) {
		ssize_t n = pwrite(io->fd, (char *)io->data + done, io->len - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

void buf_io_close(struct buf_io *io)
{
	if (io->mapped)
		munmap(io->data, io->len);
	else
		free(io->data);
	io->data = NULL;
	io->mapped = false;
}
