/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeai-run: Linux's default governors (schedutil on CPU clusters,
 * simple_ondemand on GPU/NPU) driven from user space through edgeai's
 * `userspace` governor (see utilgov.c).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_RUN_UTILGOV_H
#define EDGEAI_RUN_UTILGOV_H

/* Takes every cluster with several steps over: 0, or a negative errno
 * (needs CAP_SYS_ADMIN). */
int utilgov_start(void);
/* Stops, gives each cluster its governor back; returns the number of
 * frequency changes it made. */
unsigned long utilgov_stop(void);

#endif /* EDGEAI_RUN_UTILGOV_H */
