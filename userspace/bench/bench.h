/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeai-bench: benchmarks of edgeai.  Each subcommand is one benchmark;
 * benchmarks print figures, they do not pass or fail on them.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_BENCH_H
#define EDGEAI_BENCH_H

#include <stdint.h>

#include <linux/edgeai.h>

int ctl_main(int argc, char **argv);
/* userspace/sim/: the planner and simulator suite, the governor benchmark */
int bench_reports_main(int argc, char **argv);
int bench_governor_main(int argc, char **argv);
int bench_llm_main(int argc, char **argv);
/* edgeai-bench anytime (userspace/sim/bench_anytime.c) */
int bench_anytime_main(int argc, char **argv);
/* The last bench_governor_main()'s least whole-board saving over its sweep. */
extern double bench_governor_sweep_min_saving;
/* The last bench_llm_main()'s summary, one line for reports/README.md. */
extern char bench_llm_summary[3072];

/* ---- ctl: the two job paths under one workload (ctl.c, ctl_work.c) ---- */

/**
 * enum ctl_path - the job brokers edgeai-bench ctl compares
 * @CTL_KERNEL: edgeai.ko through libedgeai
 * @CTL_BROKER: the user-space broker daemon (ubroker.c)
 */
enum ctl_path {
	CTL_KERNEL,
	CTL_BROKER,
};

/**
 * struct ctl_work - one run's workload
 * @path: which broker
 * @sock: the broker's socket address (%CTL_BROKER)
 * @nr_submitters: submitter processes
 * @nr_stages: stages per job, stage s of submitter i on cluster
 *	(s + i) % @nr_clusters
 * @nr_clusters: clusters
 * @executors: null executors per cluster
 * @jobs: jobs each submitter runs
 * @window: jobs each submitter keeps in flight
 */
struct ctl_work {
	enum ctl_path path;
	const char *sock;
	uint32_t nr_submitters;
	uint32_t nr_stages;
	uint32_t nr_clusters;
	uint32_t executors;
	uint32_t jobs;
	uint32_t window;
};

/**
 * struct ctl_sub_result - what a submitter process reports, in shared memory
 * @end_ns: when its last job was collected
 * @latency_ns: sum of its jobs' submit-to-finish times (broker's clock)
 * @done: jobs that ended DONE or DEADLINE_MISSED
 * @misses: of which DEADLINE_MISSED
 * @error: first error (negative errno), 0 if none
 * @where: the call that failed
 */
struct ctl_sub_result {
	uint64_t end_ns;
	uint64_t latency_ns;
	uint32_t done;
	uint32_t misses;
	int error;
	char where[32];
};

/* Bodies of the child processes; @ready_fd gets one byte once set up. */
void ctl_executor(const struct ctl_work *w, uint32_t cluster, int ready_fd)
	__attribute__((noreturn));
void ctl_submitter(const struct ctl_work *w, uint32_t idx, int ready_fd,
		   int go_fd, struct ctl_sub_result *res)
	__attribute__((noreturn));

/* Print what system calls, clock reads and context switches cost here. */
void ctl_calibrate(void);

/* The graph every job of submitter @idx runs: M stages, M + 1 buffers. */
void ctl_graph_stages(const struct ctl_work *w, uint32_t idx,
		      struct edgeai_stage *stages, uint64_t *buf_sizes);

#define CTL_BUF_SIZE	4096
#define CTL_STAGE_COST	1000000ULL	/* estimate: 1 ms */

#endif /* EDGEAI_BENCH_H */
