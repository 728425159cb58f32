// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl: finding the command, parsing its options and numbers, help.
 *
 * Every command's options are parsed from the same table --help prints,
 * so the two cannot drift apart; the man page is checked against --help
 * by a host test.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctl.h"

const struct ctl_cmd *ctl_find_cmd(const char *word, bool *ambiguous)
{
	const struct ctl_cmd *found = NULL;
	size_t len = strlen(word);
	unsigned int i;

	*ambiguous = false;
	if (!len)
		return NULL;
	for (i = 0; i < ctl_nr_cmds; i++) {
		if (!strcmp(ctl_cmds[i].name, word))
			return &ctl_cmds[i];
		if (!strncmp(ctl_cmds[i].name, word, len)) {
			if (found)
				*ambiguous = true;
			found = &ctl_cmds[i];
		}
	}
	return *ambiguous ? NULL : found;
}

const struct ctl_cmd *ctl_cmd_named(const char *name)
{
	bool ambiguous;

	return ctl_find_cmd(name, &ambiguous);
}

/* The options every command has. */
static const struct ctl_opt common_opts[] = {
	{ "json", 'j', NULL, "output JSON" },
	{ "pretty", 'p', NULL, "indent JSON output" },
	{ "help", 'h', NULL, "show this help" },
	{ NULL, 0, NULL, NULL },
};

static void add_opts(struct ctl_args *a, const struct ctl_opt *o,
		     unsigned int *n, size_t *s)
{
	for (; o && o->name; o++) {
		a->longopts[*n] = (struct option){
			.name = o->name,
			.has_arg = o->arg ? required_argument : no_argument,
			.val = o->key,
		};
		(*n)++;
		if (o->key < 256) {
			a->shortopts[(*s)++] = (char)o->key;
			if (o->arg)
				a->shortopts[(*s)++] = ':';
		}
	}
}

void ctl_args_init(struct ctl_args *a, const struct ctl_cmd *cmd)
{
	unsigned int n = 0;
	size_t s = 0;

	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	a->shortopts[s++] = ':';	/* report a missing argument as ':' */
	add_opts(a, common_opts, &n, &s);
	add_opts(a, cmd->opts, &n, &s);
	optind = 0;
	opterr = 0;
}

int ctl_getopt(struct ctl *ctl, struct ctl_args *a, int argc, char **argv,
	       const char **arg)
{
	int key = getopt_long(argc, argv, a->shortopts, a->longopts, NULL);

	*arg = optarg;
	switch (key) {
	case -1:
		return 0;
	case 'j':
		ctl->json = true;
		return ctl_getopt(ctl, a, argc, argv, arg);
	case 'p':
		ctl->pretty = true;
		return ctl_getopt(ctl, a, argc, argv, arg);
	case 'h':
		ctl_cmd_help(a->cmd, stdout);
		return 'h';
	case ':':
		ctl_err(ctl, "option %s needs an argument (see edgeaictl %s --help)",
			argv[optind - 1], a->cmd->name);
		return -1;
	case '?':
		if (optopt)
			ctl_err(ctl, "unknown option -%c (see edgeaictl %s --help)",
				optopt, a->cmd->name);
		else
			ctl_err(ctl, "unknown option %s (see edgeaictl %s --help)",
				argv[optind - 1], a->cmd->name);
		return -1;
	}
	return key;
}

int ctl_simple_args(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
		    char **argv, int min_operands, int max_operands, int *first)
{
	struct ctl_args a;
	const char *arg;
	int key;

	ctl_args_init(&a, cmd);
	while ((key = ctl_getopt(ctl, &a, argc, argv, &arg)) > 0) {
		if (key == 'h')
			return CTL_EXIT_OK;
		/* Commands with options of their own parse them themselves. */
		return CTL_EXIT_USAGE;
	}
	if (key < 0 || ctl_check_operands(ctl, cmd, argc, min_operands, max_operands))
		return CTL_EXIT_USAGE;
	*first = optind;
	return CTL_GO_ON;
}

int ctl_check_operands(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
		       int min_operands, int max_operands)
{
	int n = argc - optind;

	if (n < min_operands || n > max_operands) {
		ctl_err(ctl, "%s (usage: edgeaictl %s [OPTIONS]%s%s)",
			n < min_operands ? "missing operand" : "too many operands",
			cmd->name, *cmd->args ? " " : "", cmd->args);
		return -1;
	}
	return 0;
}

int ctl_arg_duration(struct ctl *ctl, const char *opt, const char *what,
		     const char *arg, uint64_t min_ns, uint64_t *ns)
{
	if (ctl_parse_duration(arg, ns) || *ns < min_ns) {
		ctl_err(ctl, "--%s wants %s, not \"%s\"", opt, what, arg);
		return -1;
	}
	return 0;
}

int ctl_arg_count(struct ctl *ctl, const char *opt, const char *arg, uint32_t *n)
{
	if (ctl_parse_u32(arg, n) || !*n) {
		ctl_err(ctl, "--%s wants a positive number, not \"%s\"", opt, arg);
		return -1;
	}
	return 0;
}

int ctl_arg_file(struct ctl *ctl, const char *opt, const char *arg, const char **path)
{
	if (!*arg) {
		ctl_err(ctl, "--%s wants a file name", opt);
		return -1;
	}
	*path = arg;
	return 0;
}

static void print_opt(FILE *f, const struct ctl_opt *o)
{
	char left[64];

	if (o->key < 256)
		snprintf(left, sizeof(left), "-%c, --%s%s%s", o->key, o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
	else
		snprintf(left, sizeof(left), "    --%s%s%s", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
	fprintf(f, "  %-26s %s\n", left, o->help);
}

void ctl_cmd_help(const struct ctl_cmd *cmd, FILE *f)
{
	const struct ctl_opt *o;

	fprintf(f, "Usage: edgeaictl %s [OPTIONS]%s%s\n\n%s\n\nOptions:\n",
		cmd->name, *cmd->args ? " " : "", cmd->args, cmd->help);
	for (o = cmd->opts; o && o->name; o++)
		print_opt(f, o);
	for (o = common_opts; o->name; o++)
		print_opt(f, o);
	fprintf(f, "\nSee edgeaictl(8).\n");
}

void ctl_help(FILE *f)
{
	unsigned int i;

	fprintf(f,
		"Usage: edgeaictl [-j] [-p] COMMAND [OPTIONS] [ARGS]\n"
		"       edgeaictl COMMAND --help\n\n"
		"Show and control edgeai, the inference job broker: its clusters,\n"
		"governors, jobs and events.\n\nCommands:\n");
	for (i = 0; i < ctl_nr_cmds; i++) {
		char left[48];

		snprintf(left, sizeof(left), "%s%s%s", ctl_cmds[i].name,
			 *ctl_cmds[i].args ? " " : "", ctl_cmds[i].args);
		fprintf(f, "  %-26s %s\n", left, ctl_cmds[i].summary);
	}
	fprintf(f, "\nOptions:\n"
		"  -j, --json                 output JSON\n"
		"  -p, --pretty               indent JSON output\n"
		"  -h, --help                 show this help\n"
		"  -V, --version              show the version\n"
		"\nA command may be shortened to a unique prefix.  Exit status: 0 on\n"
		"success, 1 on error, 2 on a usage error.  See edgeaictl(8).\n");
}

int ctl_parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

/* A unit and what one of it is worth. */
struct unit {
	const char *name;
	double scale;
};

/*
 * A non-negative decimal number with an optional fraction, then one of
 * @units (compared by @cmp): the number times the unit's scale in *value.
 */
static int parse_scaled(const char *s, const struct unit *units, size_t nr_units,
			int (*cmp)(const char *a, const char *b), double *value)
{
	char *end;
	double v;
	size_t i;

	if (!*s || !(*s == '.' || (*s >= '0' && *s <= '9')))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v))
		return -EINVAL;
	while (*end == ' ')
		end++;
	for (i = 0; i < nr_units; i++)
		if (!cmp(end, units[i].name)) {
			*value = v * units[i].scale;
			return 0;
		}
	return -EINVAL;
}

int ctl_parse_freq(const char *s, uint32_t *khz)
{
	static const struct unit units[] = {
		{ "", 1 }, { "khz", 1 }, { "mhz", 1e3 }, { "ghz", 1e6 },
		{ "hz", 1e-3 },
	};
	double k;

	if (parse_scaled(s, units, sizeof(units) / sizeof(units[0]), strcasecmp, &k))
		return -EINVAL;
	/* Whole kHz only: 1.5 kHz or 1500.5 Hz mean nothing here. */
	if (fabs(k - round(k)) > 1e-6 * (k > 1 ? k : 1))
		return -EINVAL;
	if (round(k) > UINT32_MAX)
		return -ERANGE;
	if (round(k) < 1)
		return -EINVAL;
	*khz = (uint32_t)round(k);
	return 0;
}

int ctl_parse_duration(const char *s, uint64_t *ns)
{
	static const struct unit units[] = {
		{ "", 1e9 }, { "s", 1e9 }, { "ms", 1e6 }, { "us", 1e3 },
		{ "ns", 1 }, { "m", 60e9 }, { "min", 60e9 }, { "h", 3600e9 },
	};
	double t;

	if (parse_scaled(s, units, sizeof(units) / sizeof(units[0]), strcmp, &t))
		return -EINVAL;
	t = round(t);
	if (t >= 1e18)
		return -ERANGE;
	if (t < 1)
		return -EINVAL;
	*ns = (uint64_t)t;
	return 0;
}
