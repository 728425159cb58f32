/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeai-run compare: two runs' --json summaries in one table.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_RUN_COMPARE_H
#define EDGEAI_RUN_COMPARE_H

#include <stdio.h>

/* Prints the table of @before and @after (files of `apps --json`) on
 * @out: 0, or 1 after a message on stderr. */
int run_compare(const char *before, const char *after, FILE *out);

#endif /* EDGEAI_RUN_COMPARE_H */
