/* SPDX-License-Identifier: GPL-2.0-only */
/* edgeaictl: keys of long-only options (above any letter). */
#ifndef EDGEAICTL_OPTS_H
#define EDGEAICTL_OPTS_H

enum {
	OPT_JOBS = 256,
	OPT_NO_JOBS,
	OPT_TEXTFILE,
	OPT_INTERVAL,
};

#endif /* EDGEAICTL_OPTS_H */
