/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeaid's log: one line per event on standard error, written with one
 * write() so that lines of different workers never interleave.  No
 * timestamps: journald and the terminal add their own.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAID_LOG_H
#define EDGEAID_LOG_H

enum log_level {
	LOG_ERR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,	/* per stage, with -v */
};

/* Lines above this level are dropped; -v raises it to LOG_DEBUG. */
extern int log_max_level;

void elog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)	elog(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	elog(LOG_WARN, __VA_ARGS__)
#define log_info(...)	elog(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	elog(LOG_DEBUG, __VA_ARGS__)

#endif /* EDGEAID_LOG_H */
