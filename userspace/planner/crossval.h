/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cross-validation of the cost model against the data (docs/planner.md):
 *  - "reference": whole-network latencies quoted by the literature for the
 *    board (the board's reference file) against the model's prediction;
 *  - "dvfs": leave-one-step-out over the frequency steps: a network's
 *    compute time at a step predicted from the two neighbouring steps
 *    (time = a + b/f through them), and by the kernel policy's 1/f
 *    scaling from the top step (ep_scale_time());
 *  - "evaluations" (optional file): measured end-to-end runs of mixed
 *    placements (columns graph, order, freq, total_time[, total_e]) against
 *    plan_predict().
 */
#ifndef EDGEAI_CROSSVAL_H
#define EDGEAI_CROSSVAL_H

#include <stdio.h>

#include "board.h"

struct json_object;

struct json_object *crossval_run(const struct board *b, const char *evaluations,
				 char *err, size_t errlen);
void crossval_print(struct json_object *o, FILE *f);

#endif
