/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A .tflite model of the VM tests that run one through edgeaid or Arm NN
 * (built with -Iuserspace/daemon, for edgeaid's parser).
 */
#ifndef EDGEAI_TESTS_MODEL_H
#define EDGEAI_TESTS_MODEL_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "tflite.h"

#include "tap.h"
#include "util.h"

/*
 * The model @path: its bytes in *@bytes (*@len of them, malloc()ed),
 * parsed into @m, and a read-only descriptor of it, which is returned.
 * The test bails out when it cannot read, parse or open it.
 */
static inline int model_load(const char *path, uint8_t **bytes, size_t *len,
			     struct tfl_model *m)
{
	char err[256];
	int fd;

	*bytes = read_file(path, len);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (!*bytes || fd < 0 || tfl_parse(*bytes, *len, m, err, sizeof(err)))
		bail_out("cannot read the test model");
	return fd;
}

#endif
