/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeaid's configuration file (see README.md in this folder):
 *
 *   # comment                       ; also a comment
 *   [daemon]
 *   armnn_backend_path = /usr/lib/aarch64-linux-gnu/armnn22
 *   board = rk3399pro               board profile for sim_cost = board
 *
 *   [defaults]                      applies to clusters without a section
 *   backend = sim
 *
 *   [cluster big]                   a cluster, by its kernel name
 *   backend = armnn                 sim | armnn | none
 *   armnn_backends = CpuAcc,CpuRef  Arm NN backends, preferred first
 *   cpus = 4-5                      pin the worker (default: the
 *                                   cluster's CPUs from the kernel)
 *   cache = 8                       loaded networks kept per worker
 *   power_mw = 1800                 power at the highest frequency
 *   sim_cost = scaled               where the sim backend's costs come
 *                                   from: scaled or board
 *
 * The parser is strict: an unknown section or key, a duplicate, a value
 * out of range or a line that is not "key = value" is an error that names
 * the file and line.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAID_CONFIG_H
#define EDGEAID_CONFIG_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>

#include <linux/edgeai.h>

#define CONF_DEFAULT_PATH	"/etc/edgeai/edgeaid.conf"
#define CONF_MAX_CLUSTERS	64
#define CONF_MAX_PREFS		8
#define CONF_PREF_LEN		32
#define CONF_PATH_LEN		256

enum conf_backend {
	CONF_BACKEND_UNSET,
	CONF_BACKEND_SIM,
	CONF_BACKEND_ARMNN,
	CONF_BACKEND_NONE,	/* leave the cluster to another executor */
};

enum conf_sim_cost {
	CONF_SIM_COST_UNSET,
	CONF_SIM_COST_SCALED,	/* the stage's cost_ns scaled by frequency */
	CONF_SIM_COST_BOARD,	/* measured layers of the [daemon] board */
};

/* A [cluster NAME] or the [defaults] section; unset members are 0. */
struct conf_cluster {
	char name[EDGEAI_NAME_LEN];
	unsigned int line;		/* of the section header */
	enum conf_backend backend;
	unsigned int nr_prefs;
	char prefs[CONF_MAX_PREFS][CONF_PREF_LEN];
	bool cpus_set;
	cpu_set_t cpus;
	unsigned int cache;
	bool power_set;
	unsigned int power_mw;
	enum conf_sim_cost sim_cost;
};

struct conf {
	char armnn_backend_path[CONF_PATH_LEN];
	char board[CONF_PATH_LEN];	/* board profile name or folder */
	struct conf_cluster defaults;
	unsigned int nr_clusters;
	struct conf_cluster clusters[CONF_MAX_CLUSTERS];
};

/* Built-in values for what neither a section nor [defaults] sets. */
#define CONF_DEFAULT_CACHE	8

void conf_init(struct conf *c);
/*
 * Parse @text (NUL-terminated); @source names it in errors.  On error
 * returns -EINVAL with "source:line: what" in @err.
 */
int conf_parse(struct conf *c, const char *text, const char *source, char *err,
	       size_t errlen);
/* Read and parse a file; -errno (with a message) if it cannot be read. */
int conf_load(struct conf *c, const char *path, char *err, size_t errlen);

/* The section of cluster @name, or NULL. */
const struct conf_cluster *conf_find(const struct conf *c, const char *name);
/*
 * The settings of cluster @name: its section, then [defaults], then the
 * built-in defaults (backend sim, cache 8).  @out->name is @name.
 */
void conf_resolve(const struct conf *c, const char *name, struct conf_cluster *out);

const char *conf_backend_name(enum conf_backend b);
/* "0-3,6" for a CPU set (empty string for none). */
void conf_format_cpus(const cpu_set_t *set, char *buf, size_t len);

#endif /* EDGEAID_CONFIG_H */
