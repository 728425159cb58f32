// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-run's stand-in for Linux's default governor (schedutil), for
 * runs "without edgeai": no kernel change, it drives each cluster through
 * edgeai's `userspace` governor.
 *
 * Every tick it asks each cluster whether it is running a stage, keeps a
 * decaying average of that busy fraction (PELT's 32 ms half-life), and
 * holds the lowest step at or above 1.25 x average x current frequency:
 * schedutil's rule (get_next_freq(): 25 % headroom over the utilisation,
 * scaled by the current frequency when utilisation is not frequency
 * invariant), as edgeai-sim's `util` baseline models it with the same
 * 10 ms tick.  A cluster with one step is left alone.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <edgeai.h>

#include "utilgov.h"

#define UG_MAX		16
#define UG_HEADROOM	1.25
#define UG_HALF_LIFE_MS	32.0

struct ug_cluster {
	uint32_t id;
	uint32_t nr;
	uint32_t khz[EDGEAI_MAX_FREQS];
	uint32_t cur;
	char old_gov[EDGEAI_GOV_NAME_LEN];
	uint32_t old_setspeed;
	double util;
};

static struct {
	struct edgeai *h;
	pthread_t thread;
	volatile bool running;
	double tick_ms;
	unsigned int nr;
	struct ug_cluster cl[UG_MAX];
	unsigned long changes;
} ug;

/* The lowest step at or above @khz, the top one if none. */
static uint32_t step_at_least(const struct ug_cluster *c, double khz)
{
	uint32_t i;

	for (i = 0; i < c->nr; i++)
		if (c->khz[i] >= khz)
			return c->khz[i];
	return c->khz[c->nr - 1];
}

static void *ug_run(void *arg)
{
	double decay = pow(0.5, ug.tick_ms / UG_HALF_LIFE_MS);
	struct timespec next;
	unsigned int i;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (ug.running) {
		next.tv_nsec += (long)(ug.tick_ms * 1e6);
		while (next.tv_nsec >= 1000000000) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		for (i = 0; i < ug.nr; i++) {
			struct ug_cluster *c = &ug.cl[i];
			struct edgeai_cluster_desc d;
			uint32_t want;

			if (edgeai_cluster_get(ug.h, c->id, &d))
				continue;
			c->util = c->util * decay + (d.info.nr_running ? 1.0 - decay : 0.0);
			want = step_at_least(c, UG_HEADROOM * c->util * d.info.cur_freq_khz);
			if (want != c->cur && !edgeai_governor_set(ug.h, c->id, "userspace", want)) {
				c->cur = want;
				ug.changes++;
			}
		}
	}
	return NULL;
}

int utilgov_start(double tick_ms)
{
	struct edgeai_info info;
	uint32_t id;
	int ret;

	if (ug.running)
		return -EBUSY;
	memset(&ug, 0, sizeof(ug));
	ug.tick_ms = tick_ms;
	ret = edgeai_open(&ug.h);
	if (ret)
		return ret;
	ret = edgeai_get_info(ug.h, &info);
	for (id = 0; !ret && id < info.nr_clusters && ug.nr < UG_MAX; id++) {
		struct ug_cluster *c = &ug.cl[ug.nr];
		struct edgeai_cluster_desc d;

		ret = edgeai_cluster_get(ug.h, id, &d);
		if (ret || d.info.nr_freqs < 2)
			continue;
		c->id = id;
		c->nr = d.info.nr_freqs < EDGEAI_MAX_FREQS ? d.info.nr_freqs : EDGEAI_MAX_FREQS;
		memcpy(c->khz, d.freqs_khz, sizeof(c->khz));
		snprintf(c->old_gov, sizeof(c->old_gov), "%s", d.info.governor);
		c->old_setspeed = strcmp(c->old_gov, "userspace") ? 0 : d.info.setspeed_khz;
		/* schedutil starts where the cluster is. */
		c->cur = d.info.cur_freq_khz;
		ret = edgeai_governor_set(ug.h, id, "userspace", c->cur);
		if (!ret)
			ug.nr++;
	}
	if (!ret) {
		ug.running = true;
		ret = -pthread_create(&ug.thread, NULL, ug_run, NULL);
		ug.running = !ret;
	}
	if (ret)
		utilgov_stop();
	return ret;
}

unsigned long utilgov_stop(void)
{
	unsigned int i;

	if (ug.running) {
		ug.running = false;
		pthread_join(ug.thread, NULL);
	}
	for (i = 0; i < ug.nr; i++)
		edgeai_governor_set(ug.h, ug.cl[i].id, ug.cl[i].old_gov, ug.cl[i].old_setspeed);
	ug.nr = 0;
	edgeai_close(ug.h);
	ug.h = NULL;
	return ug.changes;
}
