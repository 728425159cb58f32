// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux's own frequency governors as an RK3399-class board runs them, the
 * baseline the deadline governor is measured against (SIM_GOV_LINUX):
 *
 * - CPU clusters: schedutil (kernel/sched/cpufreq_schedutil.c, 6.1).  The
 *   utilisation is PELT's (kernel/sched/pelt.c): a geometric average with
 *   a 32 ms half-life, frequency-invariant (a running task adds
 *   1024 x cur/max kHz); with util_est (kernel/sched/fair.c,
 *   util_est_update(): the task's utilisation at its last dequeue, an EWMA
 *   of weight 1/4 that rises at once) counted while it is runnable.  The
 *   next frequency is get_next_freq(): 1.25 x max kHz x util / 1024, the
 *   lowest step at or above it (CPUFREQ_RELATION_L).  Updates come on
 *   every enqueue, dequeue and scheduler tick (tick_ms) of a busy CPU and
 *   are rate limited by rate_limit_us, which defaults to
 *   cpufreq_policy_transition_delay_us(): 1000 x the transition latency,
 *   at most 10 ms (here the board's measured up-switch time).  iowait
 *   boost (sugov_iowait_boost()/sugov_iowait_apply()): 128 on an iowait
 *   wake-up, doubled by each one within a tick, halved by each update
 *   without one.
 * - GPU/NPU: devfreq's simple_ondemand (drivers/devfreq/
 *   governor_simpleondemand.c) with its defaults, upthreshold 90 and
 *   downdifferential 5, polled every 50 ms (the RK3399 Mali's
 *   polling_ms): above 90 % busy the highest step; above 85 % the current
 *   one; else cur x busy / (90 - 5/2) %, the least step at or above it
 *   (devfreq_recommended_opp() without DEVFREQ_FLAG_LEAST_UPPER_BOUND).
 *
 * The host CPU's driver load, for this and every other governor alike:
 * while a GPU or NPU stage runs, its driver thread on the host cluster
 * uses the share of the stage's time that the data shows scaling with the
 * host's frequency (from the stage's time at the host's lowest and top
 * steps).  schedutil sees it as utilisation of the host; the deadline
 * governor's ep_host_floor() is the same dependency seen from the
 * deadlines.  The driver's wake-up when a device stage completes counts
 * as an iowait wake-up, the reading that favours schedutil most.
 *
 * docs/baselines.md says where each rule comes from.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <math.h>

#include "sim_int.h"

#define SCALE			1024.0
#define PELT_PERIOD_NS		1024000.0	/* 1024 us */
#define PELT_HALFLIFE		32.0		/* periods */
#define SUGOV_HEADROOM		1.25
#define RATE_LIMIT_MAX_NS	(10 * NS_PER_MS)
#define IOWAIT_BOOST_MIN	(SCALE / 8)
#define DFSO_UPTHRESHOLD	90
#define DFSO_DOWNDIFFERENTIAL	5
#define DEVFREQ_POLL_NS		(50 * NS_PER_MS)

static bool is_devfreq(struct sim *s, int e)
{
	return board_element(s->b, e)->host >= 0;
}

static double freq_ratio(struct sim *s, int e)
{
	const struct cluster *c = &s->cl[e];

	return (double)c->opp[c->step].khz / c->opp[c->model.nr_opp - 1].khz;
}

/* The host's share of a running guest stage at the host's current step. */
static double driver_share(struct sim *s, int guest)
{
	const struct cluster *g = &s->cl[guest];
	int h = board_element(s->b, guest)->host;
	double sp, cpu;

	if (g->run < 0 || h < 0)
		return 0;
	sp = (double)s->cl[h].opp[s->cl[h].step].speed / EP_SPEED_SCALE;
	if (sp <= 0)
		return g->drv_frac;
	cpu = g->drv_frac / sp;
	return cpu / (1 - g->drv_frac + cpu);
}

static u64 rate_limit_ns(struct sim *s, int e)
{
	u64 lat_us = board_switch_up_ns(s->b, e) / 1000;
	u64 ns = lat_us * 1000 * 1000;	/* LATENCY_MULTIPLIER x latency, in ns */

	if (!ns)
		ns = 1000 * 1000;	/* no latency known: LATENCY_MULTIPLIER us */
	return ns < RATE_LIMIT_MAX_NS ? ns : RATE_LIMIT_MAX_NS;
}

void linux_gov_init(struct sim *s)
{
	for (int e = 0; e < s->ne; e++) {
		struct cluster *c = &s->cl[e];

		c->sugov_at = 0;
		c->poll_start = 0;
		if (is_devfreq(s, e) && c->model.nr_opp > 1)
			sim_push(s, DEVFREQ_POLL_NS, EV_POLL, e, 0);
	}
}

/* PELT over dt, with what ran during it. */
void linux_gov_account(struct sim *s, u64 dt)
{
	double decay = pow(0.5, dt / PELT_PERIOD_NS / PELT_HALFLIFE);

	for (int e = 0; e < s->ne; e++) {
		struct cluster *c = &s->cl[e];
		double drv = 0;

		if (is_devfreq(s, e)) {
			if (c->run >= 0)
				c->poll_busy += dt;
			continue;
		}
		for (int o = 0; o < s->ne; o++)
			if (board_element(s->b, o)->host == e)
				drv += driver_share(s, o);
		if (drv > 1)
			drv = 1;
		c->util = c->util * decay +
			  (c->run >= 0 ? SCALE * freq_ratio(s, e) : 0) * (1 - decay);
		c->drv_util = c->drv_util * decay + SCALE * drv * freq_ratio(s, e) * (1 - decay);
	}
}

/* The host's cut of a guest stage that starts now, from the data. */
void linux_gov_stage_start(struct sim *s, int e)
{
	struct cluster *c = &s->cl[e];
	int h = board_element(s->b, e)->host;
	const struct job *j = &s->jobs[c->run];
	struct board_cost top, low;
	double s0;

	c->drv_frac = 0;
	if (h < 0 || s->cl[h].model.nr_opp < 2)
		return;
	if (sim_stage_cost(s, j, &j->st[j->cur], c->step, s->cl[h].model.nr_opp - 1,
			   false, &top) ||
	    sim_stage_cost(s, j, &j->st[j->cur], c->step, 0, false, &low) || !top.time_ns)
		return;
	s0 = (double)s->cl[h].opp[0].speed / EP_SPEED_SCALE;
	if (s0 <= 0 || s0 >= 1 || low.time_ns <= top.time_ns)
		return;
	/* t = dev + cpu / speed: two steps give cpu at the top step. */
	c->drv_frac = ((double)low.time_ns - top.time_ns) / (1 / s0 - 1) / top.time_ns;
	if (c->drv_frac > 1)
		c->drv_frac = 1;
}

void linux_gov_stage_end(struct sim *s, int e)
{
	struct cluster *c = &s->cl[e];
	int h = board_element(s->b, e)->host;

	if (h < 0) {
		/* util_est_update() at the executor's dequeue (UTIL_EST_FASTUP). */
		if (c->util > c->util_ewma)
			c->util_ewma = c->util;
		else
			c->util_ewma -= (c->util_ewma - c->util) / 4;
		return;
	}
	if (s->cl[h].model.nr_opp < 2 || c->drv_frac <= 0)
		return;
	/* The driver thread wakes from its wait for the device. */
	c = &s->cl[h];
	if (c->iowait_boost > 0 && s->now - c->iowait_at <= (u64)(s->c->tick_ms * NS_PER_MS))
		c->iowait_boost = fmin(2 * c->iowait_boost, SCALE);
	else if (c->iowait_boost < IOWAIT_BOOST_MIN)
		c->iowait_boost = IOWAIT_BOOST_MIN;
	c->iowait_at = s->now;
	c->dirty = true;
}

static void set_ceil(struct sim *s, int e, double khz)
{
	struct cluster *c = &s->cl[e];
	u32 st = c->model.nr_opp - 1;

	for (u32 i = 0; i < c->model.nr_opp; i++)
		if (c->opp[i].khz >= khz) {
			st = i;
			break;
		}
	sim_set_step(s, e, st);
}

/* schedutil on a CPU cluster, on a utilisation update. */
void linux_gov_update(struct sim *s, int e, bool tick)
{
	struct cluster *c = &s->cl[e];
	bool busy = c->run >= 0;
	double util;

	if (is_devfreq(s, e) || c->model.nr_opp < 2)
		return;
	for (int o = 0; o < s->ne; o++)
		busy = busy || (board_element(s->b, o)->host == e && s->cl[o].run >= 0);
	/* NOHZ: an idle CPU has no tick. */
	if (tick && !busy)
		return;
	if (c->sugov_at && s->now - c->sugov_at < rate_limit_ns(s, e))
		return;
	/* sugov_iowait_apply(): decays without a fresh iowait wake-up. */
	if (c->iowait_boost > 0 && s->now - c->iowait_at > (u64)(s->c->tick_ms * NS_PER_MS)) {
		c->iowait_boost /= 2;
		if (c->iowait_boost < IOWAIT_BOOST_MIN)
			c->iowait_boost = 0;
		c->iowait_at = s->now;
	}
	util = c->util;
	if (c->run >= 0 && c->util_ewma > util)
		util = c->util_ewma;	/* util_est while runnable */
	util = fmax(util, c->drv_util);
	util = fmax(util, c->iowait_boost);
	if (util > SCALE)
		util = SCALE;
	c->sugov_at = s->now;
	set_ceil(s, e, SUGOV_HEADROOM * c->opp[c->model.nr_opp - 1].khz * util / SCALE);
}

/* simple_ondemand on a devfreq device, every polling interval. */
void linux_gov_poll(struct sim *s, int e)
{
	struct cluster *c = &s->cl[e];
	u64 total = s->now - c->poll_start, busy = c->poll_busy;
	double khz = c->opp[c->step].khz;
	bool more = s->now < s->stop_arrivals || c->run >= 0 || c->nq;

	c->poll_busy = 0;
	c->poll_start = s->now;
	for (int o = 0; o < s->ne && !more; o++)
		more = s->cl[o].run >= 0 || s->cl[o].nq;
	if (more)
		sim_push(s, s->now + DEVFREQ_POLL_NS, EV_POLL, e, 0);
	if (!total)
		return;
	if (busy * 100 > total * DFSO_UPTHRESHOLD) {
		sim_set_step(s, e, c->model.nr_opp - 1);
		return;
	}
	if (busy * 100 > total * (DFSO_UPTHRESHOLD - DFSO_DOWNDIFFERENTIAL))
		return;
	set_ceil(s, e, khz * busy / total * 100 /
		 (DFSO_UPTHRESHOLD - DFSO_DOWNDIFFERENTIAL / 2));
}
