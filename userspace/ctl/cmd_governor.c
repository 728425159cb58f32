// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl governor, freq: a cluster's governor and frequency, shown or
 * set.  Setting goes through EDGEAI_IOCTL_GOVERNOR_SET; a module without
 * that ioctl (-ENOTTY) gets the same through the sysfs files.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "ctl.h"

static int take(struct ctl *ctl, struct ctl_snapshot *s, const char *word,
		const struct ctl_cluster **c)
{
	int ret = ctl_snapshot(ctl, s);

	if (ret == -ENODEV) {
		ctl_err(ctl, "edgeai.ko is not loaded");
		return CTL_EXIT_ERROR;
	}
	if (ret)
		return ctl_fail(ctl, ret, "reading edgeai's state");
	*c = ctl_cluster_arg(ctl, s, word);
	return *c ? 0 : CTL_EXIT_ERROR;
}

static int set_sysfs(struct ctl *ctl, const struct ctl_cluster *c,
		     const char *governor, uint32_t khz)
{
	char rel[128], val[16];
	int ret;

	snprintf(rel, sizeof(rel), "clusters/%s/governor", c->name);
	ret = ctl_sysfs_write(ctl, rel, governor);
	if (ret || !khz)
		return ret;
	snprintf(rel, sizeof(rel), "clusters/%s/setspeed", c->name);
	snprintf(val, sizeof(val), "%" PRIu32, khz);
	return ctl_sysfs_write(ctl, rel, val);
}

static int set_governor(struct ctl *ctl, const struct ctl_cluster *c,
			const char *governor, uint32_t khz)
{
	struct edgeai *h;
	int ret;

	ret = edgeai_open(&h);
	if (!ret) {
		ret = edgeai_governor_set(h, c->id, governor, khz);
		edgeai_close(h);
	}
	/* Without the ioctl (an older module) or without access to the
	 * device, sysfs does the same, with root's rights. */
	if (ret == -ENOTTY || ret == -EACCES || ret == -ENOENT)
		ret = set_sysfs(ctl, c, governor, khz);
	if (ret == -EACCES || ret == -EPERM) {
		ctl_err(ctl, "%s: %s", c->name, edgeai_strerror(-EPERM));
		return CTL_EXIT_ERROR;
	}
	return ret;
}

static json_object *governor_json(const struct ctl_cluster *c)
{
	static const char *const keep[] = {
		"id", "name", "governor", "available_governors", "setspeed_khz",
		"cur_freq_khz", "frequencies_khz",
	};

	return ctl_cluster_json_keys(c, keep, sizeof(keep) / sizeof(keep[0]));
}

static int show(struct ctl *ctl, const char *word, bool freq)
{
	const struct ctl_cluster *c;
	struct ctl_snapshot s;
	char f[32];
	uint32_t i;
	int ret = take(ctl, &s, word, &c);

	if (ret)
		return ret;
	if (ctl->json) {
		ctl_json_print(ctl, governor_json(c));
		return CTL_EXIT_OK;
	}
	if (freq) {
		printf("%s: %s", c->name, c->have & CL_CUR_FREQ ?
		       ctl_fmt_freq(f, sizeof(f), c->cur_freq_khz) : "unknown");
		if (c->have & CL_GOVERNOR)
			printf(" (governor %s)", c->governor);
		putchar('\n');
		if (c->have & CL_FREQS) {
			printf("steps:");
			for (i = 0; i < c->nr_freqs; i++)
				printf(" %" PRIu32, c->freqs_khz[i]);
			printf(" kHz\n");
		}
		return CTL_EXIT_OK;
	}
	printf("%s: %s", c->name, c->have & CL_GOVERNOR ? c->governor : "unknown");
	if (c->have & CL_SETSPEED)
		printf(" at %s", ctl_fmt_freq(f, sizeof(f), c->setspeed_khz));
	putchar('\n');
	if (c->have & CL_GOVERNORS) {
		printf("available:");
		for (i = 0; i < c->nr_governors; i++)
			printf(" %s", c->governors[i]);
		putchar('\n');
	}
	return CTL_EXIT_OK;
}

/* governor CLUSTER NAME: selects NAME on the cluster. */
static int select_governor(struct ctl *ctl, const char *word, const char *name)
{
	const struct ctl_cluster *c;
	struct ctl_snapshot s;
	int ret;

	if (!*name || strlen(name) >= EDGEAI_GOV_NAME_LEN) {
		ctl_err(ctl, "\"%s\" is not a governor's name", name);
		return CTL_EXIT_USAGE;
	}
	ret = take(ctl, &s, word, &c);
	if (ret)
		return ret;
	ret = set_governor(ctl, c, name, 0);
	if (ret == CTL_EXIT_ERROR)
		return ret;
	if (ret) {
		char avail[160] = "";
		size_t len = 0;
		uint32_t i;

		for (i = 0; i < c->nr_governors && len < sizeof(avail); i++)
			len += snprintf(avail + len, sizeof(avail) - len, " %s",
					c->governors[i]);
		ctl_err(ctl, "selecting %s on %s: %s%s%s%s", name, c->name,
			edgeai_strerror(ret), len ? " (available:" : "", avail,
			len ? ")" : "");
		return CTL_EXIT_ERROR;
	}
	return CTL_EXIT_OK;
}

/* freq CLUSTER FREQ: holds the cluster at FREQ (the userspace governor). */
static int hold_freq(struct ctl *ctl, const char *word, const char *freq)
{
	const struct ctl_cluster *c;
	struct ctl_snapshot s;
	char f[32], lo[32], hi[32];
	uint32_t khz;
	int ret;

	if (ctl_parse_freq(freq, &khz)) {
		ctl_err(ctl, "\"%s\" is not a frequency (e.g. 1400000, 1400MHz, 1.4GHz)",
			freq);
		return CTL_EXIT_USAGE;
	}
	ret = take(ctl, &s, word, &c);
	if (ret)
		return ret;
	if (c->have & CL_FREQS && c->nr_freqs &&
	    (khz < c->freqs_khz[0] || khz > c->freqs_khz[c->nr_freqs - 1])) {
		ctl_err(ctl, "%s is outside %s's range, %s to %s",
			ctl_fmt_freq(f, sizeof(f), khz), c->name,
			ctl_fmt_freq(lo, sizeof(lo), c->freqs_khz[0]),
			ctl_fmt_freq(hi, sizeof(hi), c->freqs_khz[c->nr_freqs - 1]));
		return CTL_EXIT_ERROR;
	}
	ret = set_governor(ctl, c, "userspace", khz);
	if (ret == CTL_EXIT_ERROR)
		return ret;
	if (ret)
		return ctl_fail(ctl, ret, "holding %s at %s", c->name,
				ctl_fmt_freq(f, sizeof(f), khz));
	return CTL_EXIT_OK;
}

/* governor and freq: CLUSTER shows, CLUSTER VALUE sets and then shows. */
static int show_or_set(struct ctl *ctl, int argc, char **argv, bool freq)
{
	int first, ret = ctl_simple_args(ctl, ctl_cmd_named(freq ? "freq" : "governor"),
					 argc, argv, 1, 2, &first);

	if (ret != CTL_GO_ON)
		return ret;
	if (first + 1 < argc) {
		ret = freq ? hold_freq(ctl, argv[first], argv[first + 1]) :
			     select_governor(ctl, argv[first], argv[first + 1]);
		if (ret)
			return ret;
	}
	return show(ctl, argv[first], freq);
}

int ctl_cmd_governor(struct ctl *ctl, int argc, char **argv)
{
	return show_or_set(ctl, argc, argv, false);
}

int ctl_cmd_freq(struct ctl *ctl, int argc, char **argv)
{
	return show_or_set(ctl, argc, argv, true);
}
