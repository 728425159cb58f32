/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The board of the stage-alternatives VM tests (alts_test.modparams;
 * alts_hostile_test.modparams is the same): clusters A to E, B with two
 * steps; and an executor of each, attached and closed as a test needs.
 */
#ifndef EDGEAI_TESTS_ALTS_H
#define EDGEAI_TESTS_ALTS_H

#include <stdbool.h>
#include <unistd.h>

#include "exec.h"

/* From the modparams file, in this order. */
#define CL_A		0
#define CL_B		1	/* two steps */
#define CL_C		2
#define CL_D		3
#define CL_E		4
#define NR_CL		5
#define B_STEPS		2

/* Executors: nonblocking files attached to each cluster, -1 for none. */
static int ex[NR_CL] = { [0 ... NR_CL - 1] = -1 };

/* Cluster @cl has an executor (@on) or none. */
static inline void exec_set(int cl, bool on)
{
	if (on && ex[cl] < 0)
		ex[cl] = exec_open_nonblock(cl);
	if (!on && ex[cl] >= 0) {
		close(ex[cl]);
		ex[cl] = -1;
	}
}

#endif
