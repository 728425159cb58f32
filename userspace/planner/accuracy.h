/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Declared accuracies (data/accuracy/, its README cites each figure):
 * what int8 costs a network in accuracy, and what early exits of a
 * published early-exit network deliver.  Declared by the papers and model
 * authors, never measured here.  The folder is found next to the board's
 * folder: <boards>/../accuracy (data/boards -> data/accuracy, installed
 * share/edgeai/boards -> share/edgeai/accuracy).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_ACCURACY_H
#define EDGEAI_ACCURACY_H

#include <stddef.h>

/* The published accuracy of a board model in fp32 and int8 (top-1, %). */
struct acc_quant {
	double fp32_pct;
	double int8_pct;
	char network[64];
	char dataset[64];
};

/* One exit of a published early-exit network. */
struct acc_exit {
	double flops_frac;	/* its compute over the full network's */
	double top1_pct;
};

#define ACC_MAX_EXITS	16

/*
 * Read quantization.csv for board model @model, the board's folder being
 * @board_dir.  Returns 0, -ENOENT when the model has no row, or -errno;
 * err says why.
 */
int acc_quant_read(const char *board_dir, const char *model, struct acc_quant *q,
		   char *err, size_t errlen);

/*
 * Read exits.csv for @network: its exits in increasing flops_frac (the
 * last is the full network, flops_frac 1).  Returns how many (at most
 * @max), or -errno with err set.
 */
int acc_exits_read(const char *board_dir, const char *network, struct acc_exit *out,
		   int max, char *err, size_t errlen);

#endif
