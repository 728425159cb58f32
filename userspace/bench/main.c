// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-bench: edgeai's benchmarks, one per subcommand.
 *
 *   edgeai-bench ctl [options]             kernel job path vs a user-space broker
 *   edgeai-bench reports OUTDIR [BOARD]    planners and simulator vs baselines
 *   edgeai-bench governor [BOARD] [OUT.md] deadline vs performance governor
 *   edgeai-bench llm [BOARD] [OUT.md]      LLM sessions beside a camera, simulated
 *   edgeai-bench anytime [BOARD] [OUT.md]  anytime jobs (early exits) under overload
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <stdio.h>
#include <string.h>

#include <edgeai.h>

#include "bench.h"

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "ctl", ctl_main, "job brokering: /dev/edgeai against a user-space broker" },
	{ "reports", bench_reports_main,
	  "planners and simulator against the literature's baselines (make bench)" },
	{ "governor", bench_governor_main,
	  "deadline governor against performance, simulated (make bench-governor)" },
	{ "llm", bench_llm_main,
	  "LLM sessions beside a camera pipeline, simulated (make bench-llm)" },
	{ "anytime", bench_anytime_main,
	  "anytime jobs with early exits under overload, simulated (make bench-anytime)" },
};

static int usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: edgeai-bench COMMAND [options]   (COMMAND -h for its options)\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].help);
	return f == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage(stdout);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].main(argc - 1, argv + 1);
	fprintf(stderr, "edgeai-bench: unknown command %s\n", argv[1]);
	return usage(stderr);
}
