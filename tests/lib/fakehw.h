/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM tests of edgeai on the fake board (edgeai_fakehw: cpufreq
 * policies and a devfreq GPU): where its modules and files are, and the
 * files of an edgeai cluster or a cpufreq policy read, written and polled.
 */
#ifndef EDGEAI_TESTS_FAKEHW_H
#define EDGEAI_TESTS_FAKEHW_H

#include <stdio.h>

#include "sysfs.h"

#define FAKEHW		"/lib/edgeai/edgeai_fakehw.ko"
#define EDGEAI		"/lib/edgeai/edgeai.ko"
#define CL		"/sys/class/misc/edgeai/clusters/"
#define POLICY		"/sys/devices/system/cpu/cpufreq/"
#define DEBUGFS		"/sys/kernel/debug/edgeai_fakehw/"
#define DEVFREQ		"/sys/class/devfreq/edgeai-fake-gpu/"

/* The number in @file of edgeai's cluster @cluster; -1 when unreadable. */
static inline long cl_long(const char *cluster, const char *file)
{
	char path[256];

	snprintf(path, sizeof(path), CL "%s/%s", cluster, file);
	return read_long(path);
}

/* write_str() to @file of edgeai's cluster @cluster: 0 or -errno. */
static inline int cl_write(const char *cluster, const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), CL "%s/%s", cluster, file);
	return write_str(path, val);
}

/* settle() on @file of edgeai's cluster @cluster. */
static inline long settle_cl(const char *cluster, const char *file, long want)
{
	char path[256];

	snprintf(path, sizeof(path), CL "%s/%s", cluster, file);
	return settle(path, want);
}

/* The number in @file of cpufreq policy @cpu; -1 when unreadable. */
static inline long pol(int cpu, const char *file)
{
	char path[256];

	snprintf(path, sizeof(path), POLICY "policy%d/%s", cpu, file);
	return read_long(path);
}

/* write_str() to @file of cpufreq policy @cpu: 0 or -errno. */
static inline int pol_write(int cpu, const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), POLICY "policy%d/%s", cpu, file);
	return write_str(path, val);
}

/* settle() on @file of cpufreq policy @cpu. */
static inline long settle_pol(int cpu, const char *file, long want)
{
	char path[256];

	snprintf(path, sizeof(path), POLICY "policy%d/%s", cpu, file);
	return settle(path, want);
}

#endif
