/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The measured board the host tests of the board profiles, the planner
 * and the simulator run on: data/boards/rk3399pro of this source tree.
 */
#ifndef EDGEAI_TESTS_TEST_BOARD_H
#define EDGEAI_TESTS_TEST_BOARD_H

#include "board.h"
#include "../lib/tap.h"

#define BOARD_DIR EDGEAI_SRCDIR "/data/boards/rk3399pro"

/* The board; NULL after a failed "load board" check naming why. */
static inline struct board *test_board_load(void)
{
	char err[256];
	struct board *b = board_load(BOARD_DIR, err, sizeof(err));

	if (!b)
		ok(0, "load board: %s", err);
	return b;
}

#endif /* EDGEAI_TESTS_TEST_BOARD_H */
