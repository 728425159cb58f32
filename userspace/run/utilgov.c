// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-run's stand-in for Linux's default governors, for runs "without
 * edgeai": no kernel change, it drives each cluster through edgeai's
 * `userspace` governor from the busy time the kernel counts (busy_ns).
 *
 * - CPU clusters: schedutil (kernel/sched/cpufreq_schedutil.c,
 *   get_next_freq()).  The utilisation is a frequency-invariant decaying
 *   average of the busy fraction with PELT's 32 ms half-life
 *   (kernel/sched/pelt.c), re-evaluated every 10 ms tick; the next
 *   frequency is the lowest step at or above 1.25 x max x util.
 * - GPU and NPU clusters: devfreq's simple_ondemand
 *   (drivers/devfreq/governor_simpleondemand.c) with its defaults,
 *   upthreshold 90 and downdifferential 5, every 50 ms (the RK3399 Mali's
 *   polling_ms): above 90 % busy the top step, above 85 % the current
 *   one, else cur x busy / 87.5 %, the lowest step at or above it.
 *
 * These are the rules userspace/sim/ models for its Linux baseline, less
 * what a user-space loop cannot see (util_est, iowait boost, the host
 * CPU's driver load).  A cluster with one step is left alone.
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

#define UG_MAX			16
#define UG_TICK_MS		10.0
#define SUGOV_HEADROOM		1.25
#define PELT_HALF_LIFE_MS	32.0
#define DFSO_POLL_MS		50.0
#define DFSO_UPTHRESHOLD	90.0
#define DFSO_DOWNDIFFERENTIAL	5.0

struct ug_cluster {
	uint32_t id;
	bool devfreq;
	uint32_t nr;
	uint32_t khz[EDGEAI_MAX_FREQS];
	uint32_t cur;
	char old_gov[EDGEAI_GOV_NAME_LEN];
	uint32_t old_setspeed;
	double util;			/* schedutil: 0..1 of the top step */
	uint64_t at_ns;			/* the last look */
	double poll_busy, poll_wall;	/* simple_ondemand's window, ms */
};

static struct {
	struct edgeai *h;
	pthread_t thread;
	volatile bool running;
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

static uint32_t schedutil(struct ug_cluster *c, double busy, double dt_ms)
{
	double decay = pow(0.5, dt_ms / PELT_HALF_LIFE_MS);
	double inv = busy * c->cur / c->khz[c->nr - 1];

	c->util = c->util * decay + inv * (1 - decay);
	return step_at_least(c, SUGOV_HEADROOM * c->util * c->khz[c->nr - 1]);
}

/* 0 while the polling window is still open. */
static uint32_t simple_ondemand(struct ug_cluster *c, double busy, double dt_ms)
{
	double load;

	c->poll_busy += busy * dt_ms;
	c->poll_wall += dt_ms;
	if (c->poll_wall < DFSO_POLL_MS)
		return 0;
	load = 100.0 * c->poll_busy / c->poll_wall;
	c->poll_busy = c->poll_wall = 0;
	if (load > DFSO_UPTHRESHOLD)
		return c->khz[c->nr - 1];
	if (load > DFSO_UPTHRESHOLD - DFSO_DOWNDIFFERENTIAL)
		return c->cur;
	return step_at_least(c, c->cur * load /
			     (DFSO_UPTHRESHOLD - DFSO_DOWNDIFFERENTIAL / 2));
}

static void ug_tick(struct ug_cluster *c, uint64_t now)
{
	struct edgeai_cluster_desc d;
	double dt_ms, busy;
	uint32_t want;

	if (edgeai_cluster_get(ug.h, c->id, &d))
		return;
	dt_ms = (double)(now - c->at_ns) / 1e6;
	if (dt_ms <= 0)
		return;
	/* Several executors can be busy at once: a cluster is busy or not. */
	busy = d.info.nr_running ? 1 : 0;
	c->at_ns = now;
	want = c->devfreq ? simple_ondemand(c, busy, dt_ms) : schedutil(c, busy, dt_ms);
	if (want && want != c->cur && !edgeai_governor_set(ug.h, c->id, "userspace", want)) {
		c->cur = want;
		ug.changes++;
	}
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *ug_run(void *arg)
{
	struct timespec next;
	unsigned int i;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (ug.running) {
		next.tv_nsec += (long)(UG_TICK_MS * 1e6);
		while (next.tv_nsec >= 1000000000) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		for (i = 0; i < ug.nr; i++)
			ug_tick(&ug.cl[i], mono_ns());
	}
	return NULL;
}

int utilgov_start(void)
{
	struct edgeai_info info;
	uint32_t id;
	int ret;

	if (ug.running)
		return -EBUSY;
	memset(&ug, 0, sizeof(ug));
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
		c->devfreq = d.info.kind != EDGEAI_CLUSTER_CPU;
		c->nr = d.info.nr_freqs < EDGEAI_MAX_FREQS ? d.info.nr_freqs : EDGEAI_MAX_FREQS;
		memcpy(c->khz, d.freqs_khz, sizeof(c->khz));
		snprintf(c->old_gov, sizeof(c->old_gov), "%s", d.info.governor);
		c->old_setspeed = strcmp(c->old_gov, "userspace") ? 0 : d.info.setspeed_khz;
		c->at_ns = mono_ns();
		/* Both start where the cluster is. */
		c->cur = d.info.cur_freq_khz;
		c->util = (double)c->cur / c->khz[c->nr - 1] / SUGOV_HEADROOM;
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
