/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sealed memfds of the VM tests: the weights and KV caches of LLM sessions
 * (the module wants them sealed against size changes, weights also
 * against writes).
 */
#ifndef EDGEAI_TESTS_MEMFD_H
#define EDGEAI_TESTS_MEMFD_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* A memfd of @size bytes with @seals, open read-write; else the test ends with 2. */
static inline int memfd_sealed(uint64_t size, unsigned int seals)
{
	int fd = memfd_create("edgeai-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0 || ftruncate(fd, (off_t)size) ||
	    (seals && fcntl(fd, F_ADD_SEALS, seals))) {
		perror("memfd");
		exit(2);
	}
	return fd;
}

#endif
