// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl: show and control edgeai.  See docs/man/edgeaictl.8.
 *
 *   edgeaictl [-j] [-p] COMMAND [OPTIONS] [ARGS]
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define EDGEAICTL_VERSION "0.1"

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl ctl = { 0 };
	const struct ctl_cmd *cmd;
	const char *env = getenv("EDGEAI_SYSFS");
	bool ambiguous;
	int key;

	ctl.sysfs = env && *env ? env : CTL_SYSFS_PATH;
	opterr = 0;
	while ((key = getopt_long(argc, argv, "+jphV", opts, NULL)) != -1) {
		switch (key) {
		case 'j':
			ctl.json = true;
			break;
		case 'p':
			ctl.pretty = true;
			break;
		case 'h':
			ctl_help(stdout);
			return CTL_EXIT_OK;
		case 'V':
			printf("edgeaictl %s (edgeai ABI %d)\n", EDGEAICTL_VERSION,
			       EDGEAI_ABI_VERSION);
			return CTL_EXIT_OK;
		default:
			if (optopt)
				ctl_err(&ctl, "unknown option -%c (see edgeaictl --help)",
					optopt);
			else
				ctl_err(&ctl, "unknown option %s (see edgeaictl --help)",
					argv[optind - 1]);
			return CTL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		ctl_help(stderr);
		return CTL_EXIT_USAGE;
	}
	cmd = ctl_find_cmd(argv[optind], &ambiguous);
	if (!cmd) {
		ctl_err(&ctl, "%s command \"%s\" (see edgeaictl --help)",
			ambiguous ? "ambiguous" : "unknown", argv[optind]);
		return CTL_EXIT_USAGE;
	}
	ctl.cmd = cmd->name;
	return cmd->run(&ctl, argc - optind, argv + optind);
}
