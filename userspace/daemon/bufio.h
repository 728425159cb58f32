/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Job buffers as a backend reads and writes them, safe against a
 * submitter that truncates or rewrites them meanwhile.
 *
 * The size is checked (fstat) before anything is touched.  A memfd sealed
 * against shrinking (libedgeai's buffers are) is mapped: it cannot get
 * shorter under the mapping, so no SIGBUS.  Any other file is copied with
 * pread/pwrite: a file cut short meanwhile gives a short read, reported
 * as -ENOSPC, never a fault.  Rewritten contents are only wrong data.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAID_BUFIO_H
#define EDGEAID_BUFIO_H

#include <stdbool.h>
#include <stdint.h>

struct buf_io {
	int fd;
	uint64_t len;
	void *data;		/* the bytes to read or fill */
	bool mapped;		/* else data is a copy */
	bool output;
};

/*
 * Make @len bytes at the start of @fd available at @io->data, for reading
 * (@output false) or for writing (then buf_io_finish() stores them).
 * Returns 0, -ENOSPC when the file is smaller, or another -errno.
 */
int buf_io_open(struct buf_io *io, int fd, uint64_t len, bool output);
/* Store an output's copy in its file; 0 or -errno. */
int buf_io_finish(struct buf_io *io);
void buf_io_close(struct buf_io *io);

#endif /* EDGEAID_BUFIO_H */
