// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl: the command table.  Its texts are what --help prints and
 * what docs/man/edgeaictl.8 says at more length (a host test holds the
 * two together).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include "ctl.h"
#include "opts.h"

static const struct ctl_opt monitor_opts[] = {
	{ "count", 'c', "N", "stop after N events" },
	{ "timeout", 't', "DURATION", "stop after DURATION (e.g. 10s, 500ms)" },
	{ "jobs", OPT_JOBS, NULL, "show job events; fail without CAP_NET_ADMIN" },
	{ "no-jobs", OPT_NO_JOBS, NULL, "leave job events out" },
	{ NULL, 0, NULL, NULL },
};

static const struct ctl_opt top_opts[] = {
	{ "delay", 'd', "DURATION", "time between refreshes (default 1s)" },
	{ "iterations", 'n', "N", "stop after N refreshes" },
	{ NULL, 0, NULL, NULL },
};

static const struct ctl_opt trace_opts[] = {
	{ "output", 'o', "FILE", "write the trace to FILE (default edgeai-trace.json, - for stdout)" },
	{ "duration", 't', "DURATION", "record for DURATION (default 5s)" },
	{ NULL, 0, NULL, NULL },
};

static const struct ctl_opt metrics_opts[] = {
	{ "duration", 't', "DURATION", "count job events for DURATION, then print (per-graph figures)" },
	{ "textfile", OPT_TEXTFILE, "DIR", "keep DIR/edgeai.prom up to date for node_exporter" },
	{ "interval", OPT_INTERVAL, "DURATION", "with --textfile: time between writes (default 15s)" },
	{ NULL, 0, NULL, NULL },
};

static const struct ctl_opt timeline_opts[] = {
	{ "output", 'o', "FILE", "write the picture to FILE (default edgeai-timeline.svg, - for stdout)" },
	{ NULL, 0, NULL, NULL },
};

const struct ctl_cmd ctl_cmds[] = {
	{
		"status", ctl_cmd_status, "",
		"the module, its limits, counters and clusters at a glance",
		"Show whether edgeai.ko is loaded, its ABI version, limits and\n"
		"features (with access to /dev/edgeai), the job counters, the\n"
		"queued stages per priority class and one line per cluster.",
		NULL,
	},
	{
		"clusters", ctl_cmd_clusters, "[CLUSTER]",
		"every cluster (or one): frequencies, governor, load, counters",
		"Show every cluster, or CLUSTER (a name or an id): kind, CPUs,\n"
		"frequency steps, current frequency, governor, power figures,\n"
		"busy time, stages done, energy, executors and queue.",
		NULL,
	},
	{
		"jobs", ctl_cmd_jobs, "",
		"live jobs: state, stage, priority, age, deadline",
		"Show the jobs that exist now (from the kernel's netlink dump):\n"
		"all users' with CAP_NET_ADMIN, else only your own.",
		NULL,
	},
	{
		"governor", ctl_cmd_governor, "CLUSTER [NAME]",
		"show or select a cluster's frequency governor",
		"Show the frequency governor of CLUSTER (a name or an id) and the\n"
		"governors it offers, or select NAME (needs CAP_SYS_ADMIN).",
		NULL,
	},
	{
		"freq", ctl_cmd_freq, "CLUSTER [KHZ]",
		"show a cluster's frequency, or hold it at KHZ (userspace governor)",
		"Show the current frequency of CLUSTER and its steps, or select the\n"
		"userspace governor holding KHZ (rounded down to a step; needs\n"
		"CAP_SYS_ADMIN).  KHZ may carry a unit: 1400000, 1400MHz, 1.4GHz.",
		NULL,
	},
	{
		"monitor", ctl_cmd_monitor, "",
		"print events as they come, one line each",
		"Print edgeai's events as they come, one line each (one JSON object\n"
		"per line with -j): frequency and governor changes, executors,\n"
		"frequency caps, overload, and with CAP_NET_ADMIN every finished or\n"
		"refused job.\n"
		"Keeps running while the module is unloaded and loaded again, and\n"
		"reports both.  Stops on SIGINT or SIGTERM.",
		monitor_opts,
	},
	{
		"top", ctl_cmd_top, "",
		"live view of clusters and graphs, refreshed in place",
		"Show each cluster's frequency, utilisation (busy time over wall\n"
		"time; above 100% with several executors), queue and executors,\n"
		"refreshed in place; with CAP_NET_ADMIN also each graph's jobs,\n"
		"latency and deadline misses.  With -j, one JSON object per refresh.",
		top_opts,
	},
	{
		"trace", ctl_cmd_trace, "",
		"record events and write a Chrome/Perfetto trace (JSON)",
		"Record events for a while and write them in the Trace Event Format\n"
		"that Perfetto and chrome://tracing open: one track per cluster with\n"
		"its stages as slices (needs CAP_NET_ADMIN) and its frequency as a\n"
		"counter.  With -j, a summary of the recording on stdout.",
		trace_opts,
	},
	{
		"metrics", ctl_cmd_metrics, "",
		"counters, clusters and per-graph latency in Prometheus' text format",
		"Print edgeai's counters, each cluster's frequency, time in each\n"
		"step, busy time, energy and queues, and with -t per-graph latency\n"
		"histograms and deadline misses (from job events: CAP_NET_ADMIN) in\n"
		"Prometheus' text format; or with --textfile keep DIR/edgeai.prom up\n"
		"to date, counting job events from the start, until SIGTERM.",
		metrics_opts,
	},
	{
		"timeline", ctl_cmd_timeline, "[LABEL=]TRACE...",
		"draw traces of edgeaictl trace as one SVG picture",
		"Draw traces that edgeaictl trace wrote as one SVG picture, a panel\n"
		"per TRACE (titled LABEL, else the file's name) on one time scale:\n"
		"per cluster the stages that ran, a colour per graph, and the\n"
		"frequency as a line.  Reads files only: no device needed.",
		timeline_opts,
	},
	{
		"help", ctl_cmd_help_run, "[COMMAND]",
		"show the help of edgeaictl or of COMMAND",
		"Show the list of commands, or the help of COMMAND (with -j, their\n"
		"names, usage lines and options as JSON).",
		NULL,
	},
};

const unsigned int ctl_nr_cmds = sizeof(ctl_cmds) / sizeof(ctl_cmds[0]);

/* A command's entry as JSON, for `edgeaictl -j help`. */
static json_object *cmd_json(const struct ctl_cmd *cmd)
{
	json_object *o = json_object_new_object(), *opts = json_object_new_array();
	const struct ctl_opt *op;
	char usage[128];

	snprintf(usage, sizeof(usage), "edgeaictl %s [OPTIONS]%s%s", cmd->name,
		 *cmd->args ? " " : "", cmd->args);
	json_object_object_add(o, "name", json_object_new_string(cmd->name));
	json_object_object_add(o, "usage", json_object_new_string(usage));
	json_object_object_add(o, "summary", json_object_new_string(cmd->summary));
	for (op = cmd->opts; op && op->name; op++) {
		json_object *j = json_object_new_object();
		char s[2] = { (char)op->key, 0 };

		json_object_object_add(j, "long", json_object_new_string(op->name));
		if (op->key < 256)
			json_object_object_add(j, "short", json_object_new_string(s));
		if (op->arg)
			json_object_object_add(j, "arg", json_object_new_string(op->arg));
		json_object_object_add(j, "help", json_object_new_string(op->help));
		json_object_array_add(opts, j);
	}
	json_object_object_add(o, "options", opts);
	return o;
}

int ctl_cmd_help_run(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd *cmd;
	bool ambiguous;
	int first, ret = ctl_simple_args(ctl, &ctl_cmds[ctl_nr_cmds - 1], argc, argv,
					 0, 1, &first);

	if (ret != CTL_GO_ON)
		return ret;
	if (first == argc) {
		unsigned int i;
		json_object *a;

		if (!ctl->json) {
			ctl_help(stdout);
			return CTL_EXIT_OK;
		}
		a = json_object_new_array();
		for (i = 0; i < ctl_nr_cmds; i++)
			json_object_array_add(a, cmd_json(&ctl_cmds[i]));
		ctl_json_print(ctl, a);
		return CTL_EXIT_OK;
	}
	cmd = ctl_find_cmd(argv[first], &ambiguous);
	if (!cmd) {
		ctl_err(ctl, "%s command \"%s\"", ambiguous ? "ambiguous" : "no",
			argv[first]);
		return CTL_EXIT_USAGE;
	}
	if (ctl->json)
		ctl_json_print(ctl, cmd_json(cmd));
	else
		ctl_cmd_help(cmd, stdout);
	return CTL_EXIT_OK;
}
