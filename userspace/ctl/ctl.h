/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeaictl: what the commands share.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAICTL_H
#define EDGEAICTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include <edgeai.h>

/* Exit statuses: as ip(8) and most tools. */
#define CTL_EXIT_OK	0
#define CTL_EXIT_ERROR	1
#define CTL_EXIT_USAGE	2

/* The sysfs directory of the device, unless $EDGEAI_SYSFS names another. */
#define CTL_SYSFS_PATH	"/sys/class/misc/edgeai"

/* Most clusters edgeaictl shows. */
#define CTL_MAX_CLUSTERS	16
#define CTL_MAX_GOVERNORS	8

/* The state of one run of edgeaictl. */
struct ctl {
	bool json;		/* -j: JSON on stdout */
	bool pretty;		/* -p: indented JSON */
	const char *sysfs;	/* the device's sysfs directory */
	const char *cmd;	/* the command running, for messages */
};

/**
 * struct ctl_opt - an option of a command, for parsing and for --help
 * @name: long name
 * @key: short name (a letter), or a value above 255 for long-only options
 * @arg: the argument's name, NULL for none
 * @help: one line
 */
struct ctl_opt {
	const char *name;
	int key;
	const char *arg;
	const char *help;
};

/**
 * struct ctl_cmd - an entry of the command table
 * @name: the command
 * @run: runs it with its arguments (argv[0] is the command)
 * @args: its operands, as the usage line shows them
 * @summary: one line for the list of commands
 * @help: what it does, a few lines for --help
 * @opts: its own options (the common ones -j, -p, -h come with every
 *	command), ending with an entry of NULL @name
 */
struct ctl_cmd {
	const char *name;
	int (*run)(struct ctl *ctl, int argc, char **argv);
	const char *args;
	const char *summary;
	const char *help;
	const struct ctl_opt *opts;
};

extern const struct ctl_cmd ctl_cmds[];
extern const unsigned int ctl_nr_cmds;

/* ---------------------------------------------------------------- args.c */

/* The command called @word: itself, or the one it is a unique prefix of.
 * NULL if none; *ambiguous is set when several match. */
const struct ctl_cmd *ctl_find_cmd(const char *word, bool *ambiguous);
/* The command table's entry of a command by its own, full name. */
const struct ctl_cmd *ctl_cmd_named(const char *name);

/* A command's option parser: getopt_long over its options and the common
 * ones.  Returns the option's key, 0 at the end of the options (operands
 * then start at *optind), or -1 after a usage error was printed.  -h and
 * --help print the command's help and return 'h'. */
struct ctl_args {
	struct option longopts[24];
	char shortopts[64];
	const struct ctl_cmd *cmd;
};
void ctl_args_init(struct ctl_args *a, const struct ctl_cmd *cmd);
int ctl_getopt(struct ctl *ctl, struct ctl_args *a, int argc, char **argv,
	       const char **arg);
/* After the options: checks that @cmd has @min..@max operands (from
 * optind); 0, or -1 after printing the usage error. */
int ctl_check_operands(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
		       int min_operands, int max_operands);
/* An option's value, parsed, or -1 after printing "--OPT wants ...":
 * a duration of at least @min_ns (@what: "a duration (e.g. 5s, 500ms)"),
 * a positive count, a file name that is not empty. */
int ctl_arg_duration(struct ctl *ctl, const char *opt, const char *what,
		     const char *arg, uint64_t min_ns, uint64_t *ns);
int ctl_arg_count(struct ctl *ctl, const char *opt, const char *arg, uint32_t *n);
int ctl_arg_file(struct ctl *ctl, const char *opt, const char *arg, const char **path);

void ctl_cmd_help(const struct ctl_cmd *cmd, FILE *f);
void ctl_help(FILE *f);

/* Numbers from the command line: 0, or -EINVAL / -ERANGE. */
int ctl_parse_u32(const char *s, uint32_t *out);
/* A frequency: "1400000" (kHz), "1400000kHz", "1400MHz", "1.4GHz". */
int ctl_parse_freq(const char *s, uint32_t *khz);
/* A duration: "2" (seconds), "1.5s", "500ms", "100us", "2m". Above 0. */
int ctl_parse_duration(const char *s, uint64_t *ns);

/* ---------------------------------------------------------------- format.c */

/* "1.4 GHz", "600 MHz", "200 kHz". */
char *ctl_fmt_freq(char *buf, size_t size, uint32_t khz);
/* "850 ns", "12.3 us", "1.23 ms", "2.50 s". */
char *ctl_fmt_ns(char *buf, size_t size, uint64_t ns);
/* CPUs of a bitmap as a list: "0-3,8". Empty for none. */
char *ctl_fmt_cpus(char *buf, size_t size, const uint64_t *words,
		   unsigned int nr_words);
/* Splits "a b  c" into at most @max words of @len bytes; returns how many. */
unsigned int ctl_split_words(const char *s, char (*words)[EDGEAI_GOV_NAME_LEN],
			     unsigned int max);
/* Parses "u32 u32 ..." into @out; returns how many, or -EINVAL. */
int ctl_parse_u32_list(const char *s, uint32_t *out, unsigned int max);

/* ---------------------------------------------------------------- output.c */

/* Prints @obj as one line (or indented with -p) and releases it. */
void ctl_json_print(struct ctl *ctl, json_object *obj);
json_object *ctl_json_u64(uint64_t v);
/* Messages to stderr: "edgeaictl: CMD: ...". */
void ctl_err(struct ctl *ctl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ctl_warn(struct ctl *ctl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An error from libedgeai (negative errno) with what was being done;
 * returns CTL_EXIT_ERROR. */
int ctl_fail(struct ctl *ctl, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Why /dev/edgeai could not be used, in words. */
const char *ctl_dev_strerror(int err);
/* Whether the process has a capability (CAP_* from linux/capability.h). */
bool ctl_has_cap(int cap);

/* ---------------------------------------------------------------- sysfs.c */

/* Reads a file under the device's sysfs directory (path relative to it),
 * without its trailing newline: 0, or -errno. */
int ctl_sysfs_read(struct ctl *ctl, const char *rel, char *buf, size_t size);
int ctl_sysfs_read_u64(struct ctl *ctl, const char *rel, uint64_t *v);
int ctl_sysfs_write(struct ctl *ctl, const char *rel, const char *val);
/* Whether the sysfs directory exists: the module is loaded. */
bool ctl_sysfs_present(struct ctl *ctl);

/* ---------------------------------------------------------------- snapshot.c */

/* Which members of struct ctl_cluster are known. */
enum {
	CL_KIND = 1 << 0,
	CL_CONTROL = 1 << 1,
	CL_CPUS = 1 << 2,
	CL_FREQS = 1 << 3,
	CL_POWER = 1 << 4,
	CL_SWITCH = 1 << 5,
	CL_CUR_FREQ = 1 << 6,
	CL_GOVERNOR = 1 << 7,
	CL_GOVERNORS = 1 << 8,
	CL_SETSPEED = 1 << 9,
	CL_BUSY = 1 << 10,
	CL_DONE = 1 << 11,
	CL_ENERGY = 1 << 12,
	CL_EXECUTORS = 1 << 13,
	CL_QUEUED = 1 << 14,
	CL_RUNNING = 1 << 15,
};

struct ctl_cluster {
	unsigned int have;
	uint32_t id;
	char name[EDGEAI_NAME_LEN];
	uint32_t kind;		/* enum edgeai_cluster_kind */
	uint32_t control;	/* enum edgeai_cluster_control */
	char cpus[256];
	uint32_t nr_freqs;
	uint32_t freqs_khz[EDGEAI_MAX_FREQS];
	uint32_t nr_power;
	uint32_t power_mw[EDGEAI_MAX_FREQS];
	uint32_t idle_mw;
	uint32_t switch_up_us, switch_down_us;
	uint32_t cur_freq_khz;
	char governor[EDGEAI_GOV_NAME_LEN];
	uint32_t nr_governors;
	char governors[CTL_MAX_GOVERNORS][EDGEAI_GOV_NAME_LEN];
	uint32_t setspeed_khz;	/* with CL_SETSPEED: userspace governor */
	uint64_t busy_ns, stages_done, energy_uj;
	uint32_t executors, queued, running;
};

/* Which members of struct ctl_stats are known. */
enum {
	ST_COUNTERS = 1 << 0,
	ST_LIVE = 1 << 1,
	ST_QUEUED = 1 << 2,
	ST_EXITS = 1 << 3,	/* a module with EDGEAI_FEAT_EXITS */
	ST_SESSIONS = 1 << 4,	/* a module with EDGEAI_FEAT_SESSIONS */
};

struct ctl_stats {
	unsigned int have;
	uint64_t submitted, completed, failed, cancelled, deadline_misses,
		 rejected, exits_taken;
	uint64_t live_jobs, live_graphs, live_ctx;
	uint64_t queued[EDGEAI_NR_PRIO];
	uint64_t tokens, freezes, live_sessions;
};

/**
 * struct ctl_snapshot - the state of edgeai at one moment
 * @time_ns: when it was taken (CLOCK_MONOTONIC)
 * @loaded: the module is loaded (its sysfs directory exists)
 * @abi_version: from sysfs, 0 if unknown
 * @dev_err: why /dev/edgeai could not be used (0: it was)
 * @info: GET_INFO's answer, valid when @dev_err is 0
 * @stats: the counters (sysfs)
 * @nr_clusters: entries of @clusters, in id order
 * @clusters: CLUSTER_INFO's answers completed from sysfs, or sysfs alone
 */
struct ctl_snapshot {
	uint64_t time_ns;
	bool loaded;
	uint32_t abi_version;
	int dev_err;
	struct edgeai_info info;
	struct ctl_stats stats;
	uint32_t nr_clusters;
	struct ctl_cluster clusters[CTL_MAX_CLUSTERS];
};

/* Takes a snapshot: 0, or -ENODEV when the module is not loaded. */
int ctl_snapshot(struct ctl *ctl, struct ctl_snapshot *s);
/* The cluster named @word (a name or an id), or NULL after a message. */
const struct ctl_cluster *ctl_cluster_arg(struct ctl *ctl,
					  const struct ctl_snapshot *s,
					  const char *word);
json_object *ctl_cluster_json(const struct ctl_cluster *c);
/* Only the members of ctl_cluster_json() named in @keys (those it has). */
json_object *ctl_cluster_json_keys(const struct ctl_cluster *c, const char *const *keys,
				   unsigned int nr_keys);
json_object *ctl_stats_json(const struct ctl_stats *st);

/* ---------------------------------------------------------------- events */

/* An event as JSON: {"event": name, ...its attributes...}. */
json_object *ctl_event_json(const struct edgeai_event *ev, uint64_t now_ns);
/* An event as one line of text (no newline). */
char *ctl_event_text(char *buf, size_t size, const struct edgeai_event *ev);

/* ---------------------------------------------------------------- commands */

int ctl_cmd_status(struct ctl *ctl, int argc, char **argv);
int ctl_cmd_clusters(struct ctl *ctl, int argc, char **argv);
int ctl_cmd_jobs(struct ctl *ctl, int argc, char **argv);
int ctl_cmd_governor(struct ctl *ctl, int argc, char **argv);
int ctl_cmd_freq(struct ctl *ctl, int argc, char **argv);
int ctl_cmd_monitor(struct ctl *ctl, int argc, char **argv);
int ctl_cmd_top(struct ctl *ctl, int argc, char **argv);
int ctl_cmd_trace(struct ctl *ctl, int argc, char **argv);
int ctl_cmd_timeline(struct ctl *ctl, int argc, char **argv);
int ctl_cmd_metrics(struct ctl *ctl, int argc, char **argv);
int ctl_cmd_help_run(struct ctl *ctl, int argc, char **argv);

/* Parses a command's options that are only the common ones and checks
 * the operands' count.  Returns CTL_GO_ON, the index of the first operand
 * in *first; or the status the command exits with: CTL_EXIT_OK once its
 * help is shown, CTL_EXIT_USAGE after a usage error (printed). */
#define CTL_GO_ON	(-1)
int ctl_simple_args(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
		    char **argv, int min_operands, int max_operands, int *first);

#endif /* EDGEAICTL_H */
