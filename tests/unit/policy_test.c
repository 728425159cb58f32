// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of kmod/policy: the same source files edgeai.ko runs.
 */
#include "../../kmod/policy/policy.h"
#include "../lib/tap.h"

#define MS	1000000ULL

/* A LITTLE-like cluster: three steps with known power, idle power set. */
static const struct ep_opp little_opp[] = {
	{ .khz = 400000, .power_mw = 100 },
	{ .khz = 800000, .power_mw = 300 },
	{ .khz = 1600000, .power_mw = 1200 },
};

static struct ep_cluster_model little = {
	.opp = little_opp, .nr_opp = 3, .idle_mw = 20,
	.switch_up_ns = 2 * MS, .switch_down_ns = MS / 2,
};

static void test_order(void)
{
	struct ep_key rt = { .prio = EP_PRIO_REALTIME, .deadline = 900, .seq = 9 };
	struct ep_key n1 = { .prio = EP_PRIO_NORMAL, .deadline = 100, .seq = 1 };
	struct ep_key n2 = { .prio = EP_PRIO_NORMAL, .deadline = 200, .seq = 0 };
	struct ep_key n3 = { .prio = EP_PRIO_NORMAL, .deadline = 200, .seq = 5 };
	struct ep_key nd = { .prio = EP_PRIO_NORMAL, .deadline = EP_NO_DEADLINE, .seq = 0 };
	struct ep_key bg = { .prio = EP_PRIO_BACKGROUND, .deadline = 1, .seq = 0 };

	ok(ep_key_before(&rt, &n1), "a higher class runs first whatever the deadline");
	ok(!ep_key_before(&n1, &rt), "... and not the other way round");
	ok(ep_key_before(&n1, &n2), "earlier deadline first within a class");
	ok(ep_key_before(&n2, &n3), "FIFO between equal deadlines");
	ok(!ep_key_before(&n3, &n3), "a key is not before itself");
	ok(ep_key_before(&n3, &nd), "a deadline sorts before no deadline");
	ok(ep_key_before(&nd, &bg), "normal without deadline before background");
}

static void test_freq(void)
{
	static const struct ep_opp unknown[] = {
		{ .khz = 500000 }, { .khz = 1000000 },
	};
	struct ep_cluster_model u = { .opp = unknown, .nr_opp = 2 };

	ok(ep_scale_time(&little, 10 * MS, 2) == 10 * MS, "work at the top step takes its estimate");
	ok(ep_scale_time(&little, 10 * MS, 0) == 40 * MS, "a quarter of the frequency takes 4x");
	ok(ep_scale_time(&little, ~0ULL, 0) == 4000ULL * 1000 * MS,
	   "huge estimates are clamped, no overflow");
	ok(ep_power_mw(&little, 1) == 300, "known power is used as is");
	ok(ep_power_mw(&u, 1) == 1000, "unknown top power is nominal");
	ok(ep_power_mw(&u, 0) == 125, "unknown power scales with f^3 (got %u)", ep_power_mw(&u, 0));
	ok(ep_step_of_khz(&little, 800000) == 1, "exact frequency maps to its step");
	ok(ep_step_of_khz(&little, 1000000) == 1, "between steps rounds down");
	ok(ep_step_of_khz(&little, 1) == 0, "below the lowest gives step 0");
	ok(ep_step_of_khz(&little, 5000000) == 2, "above the top gives the top");
}

static void test_admit(void)
{
	struct ep_admit_stage st[2] = {
		{ .work_ns = 10 * MS, .ahead_ns = 0, .lanes = 1 },
		{ .work_ns = 5 * MS, .ahead_ns = 20 * MS, .lanes = 1 },
	};
	u64 fin;
	bool r;

	r = ep_admit(0, 25 * MS, st, 2, &fin);
	ok(r && fin == 25 * MS, "second stage waits for its cluster's backlog (finish %llu)",
	   (unsigned long long)fin);
	ok(!ep_admit(0, 25 * MS - 1, st, 2, &fin), "one ns short is rejected");
	ok(ep_admit(0, EP_NO_DEADLINE, st, 2, &fin), "no deadline is always admitted");
	st[1].lanes = 2;
	r = ep_admit(0, 20 * MS, st, 2, &fin);
	ok(r && fin == 15 * MS, "backlog spreads over two executors (finish %llu)",
	   (unsigned long long)fin);
	st[0].work_ns = ep_scale_time(&little, 10 * MS, 0);
	r = ep_admit(0, 45 * MS, st, 2, &fin);
	ok(r && fin == 45 * MS, "a stage's time at a slower step counts as given (finish %llu)",
	   (unsigned long long)fin);
	st[0].work_ns = U64_MAX;
	r = ep_admit(0, EP_NO_DEADLINE, st, 2, &fin);
	ok(r && fin == EP_MAX_WORK_NS + 5 * MS, "a time past 1000 s counts as 1000 s (finish %llu)",
	   (unsigned long long)fin);
	st[0].work_ns = ep_scale_time(&little, 10 * MS, 0);
	st[1].lanes = 0;
	ok(!ep_admit(0, 1000 * MS, st, 2, &fin) && fin == EP_NO_DEADLINE,
	   "no executor on a stage's cluster: unreachable");
	ok(ep_admit(0, EP_NO_DEADLINE, st, 2, &fin), "... unless there is no deadline");
	st[1].lanes = 1;
	ok(!ep_admit(100 * MS, 50 * MS, st, 2, &fin), "a deadline in the past is rejected");
}

static struct ep_gov_in gin(const struct ep_work *w, u32 n, u32 cur)
{
	struct ep_gov_in in = {
		.model = &little, .now = 0, .cur = cur, .lanes = 1,
		.work = w, .nr_work = n,
	};
	return in;
}

static void test_governors(void)
{
	struct ep_work w[3];
	struct ep_gov_in in;
	struct ep_gov_out out;

	in = gin(NULL, 0, 1);
	ep_gov_performance(&in, &out);
	ok(out.step == 2, "performance: top step");
	ep_gov_powersave(&in, &out);
	ok(out.step == 0, "powersave: lowest step");
	ep_gov_userspace(&in, 900000, &out);
	ok(out.step == 1, "userspace: chosen frequency rounded down");
	ep_gov_deadline(&in, &out);
	ok(out.step == 1 && out.hold_ns == ep_idle_hold_ns(&little) && out.hold_ns >= 10 * MS,
	   "deadline: just idle, the cluster holds its step (hold %llu ns)",
	   (unsigned long long)out.hold_ns);
	in.idle_ns = 3 * MS;
	ep_gov_deadline(&in, &out);
	ok(out.step == 1 && out.hold_ns == ep_idle_hold_ns(&little) - 3 * MS,
	   "... the hold counts down with the idle time");
	in.idle_ns = ep_idle_hold_ns(&little);
	ep_gov_deadline(&in, &out);
	ok(out.step == 0 && out.feasible && !out.hold_ns,
	   "deadline: idle for the hold, it drops to the lowest step");

	/* Infinite slack: no deadlines, low idle power: run slow. */
	w[0] = (struct ep_work){ .work_ns = 10 * MS, .deadline = EP_NO_DEADLINE };
	in = gin(w, 1, 0);
	ep_gov_deadline(&in, &out);
	ok(out.step == 0, "deadline: no deadline and cheap idle -> slowest step (got %u)", out.step);

	/* Plenty of slack: the lowest step meets it. */
	w[0] = (struct ep_work){ .work_ns = 10 * MS, .deadline = 100 * MS };
	in = gin(w, 1, 0);
	ep_gov_deadline(&in, &out);
	ok(out.step == 0 && out.feasible && out.slack_ns == 35 * MS,
	   "deadline: 4x slack -> lowest step, 35 ms in hand past the 25 ms reserve (got %u, %llu)",
	   out.step, (unsigned long long)out.slack_ns);

	/* No slack at all: only the top step makes it, exactly. */
	w[0] = (struct ep_work){ .work_ns = 10 * MS, .deadline = 10 * MS };
	in = gin(w, 1, 2);
	ep_gov_deadline(&in, &out);
	ok(out.step == 2 && out.feasible && out.slack_ns == 0,
	   "deadline: zero slack at the top step is still feasible");

	/* Overload: nothing meets it -> top step, reported infeasible. */
	w[0] = (struct ep_work){ .work_ns = 10 * MS, .deadline = 5 * MS };
	in = gin(w, 1, 0);
	ep_gov_deadline(&in, &out);
	ok(out.step == 2 && !out.feasible, "deadline: overload runs at the top step");

	/*
	 * Switch cost larger than the slack: at step 1 (half the top
	 * frequency) the job takes 20 ms against a 21 ms deadline, but going
	 * up from step 0 costs 2 ms, so only the top step fits (2 + 10 ms).
	 */
	w[0] = (struct ep_work){ .work_ns = 10 * MS, .deadline = 21 * MS };
	in = gin(w, 1, 0);
	ok(!ep_gov_check(&in, 1, &out.slack_ns), "switching up to step 1 costs more than its slack");
	ep_gov_deadline(&in, &out);
	ok(out.step == 2 && out.feasible, "deadline: skips a step the switch makes late (got %u)", out.step);

	/*
	 * The reserve: with a 28 ms deadline, 21 ms are planned with.  From
	 * step 0, step 1 ends at 22 ms: by the deadline, not by the reserve;
	 * already at step 1 it ends at 20 ms, which fits both.
	 */
	w[0] = (struct ep_work){ .work_ns = 10 * MS, .deadline = 28 * MS };
	in = gin(w, 1, 0);
	ok(ep_gov_check(&in, 1, &out.slack_ns) && out.slack_ns == 6 * MS,
	   "switching up to step 1 meets the deadline itself");
	ep_gov_deadline(&in, &out);
	ok(out.step == 2 && out.feasible && out.slack_ns == 9 * MS,
	   "deadline: ... but not its reserve: the top step (got %u)", out.step);
	in.cur = 1;
	ep_gov_deadline(&in, &out);
	ok(out.step == 1 && out.slack_ns == 1 * MS,
	   "deadline: already at step 1, staying there fits the reserve");

	/* EDF order: the later stage's deadline binds. */
	w[0] = (struct ep_work){ .work_ns = 5 * MS, .deadline = 100 * MS };
	w[1] = (struct ep_work){ .work_ns = 5 * MS, .deadline = 27 * MS };
	in = gin(w, 2, 1);
	ep_gov_deadline(&in, &out);
	ok(out.step == 1 && out.feasible,
	   "deadline: cumulative work counts for the second stage (got %u)", out.step);

	/* Race to idle: static power high, slow step costs more overall. */
	{
		static const struct ep_opp hot[] = {
			{ .khz = 500000, .power_mw = 900 },
			{ .khz = 1000000, .power_mw = 1000 },
		};
		struct ep_cluster_model hm = {
			.opp = hot, .nr_opp = 2, .idle_mw = 50,
			.switch_up_ns = 0, .switch_down_ns = 0,
		};

		w[0] = (struct ep_work){ .work_ns = 10 * MS, .deadline = 100 * MS };
		in = gin(w, 1, 0);
		in.model = &hm;
		ep_gov_deadline(&in, &out);
		ok(out.step == 1, "deadline: races to idle when static power dominates (got %u)", out.step);
	}

	/* Hysteresis: a saving smaller than an up-switch is not taken. */
	{
		static const struct ep_opp close[] = {
			{ .khz = 900000, .power_mw = 990 },
			{ .khz = 1000000, .power_mw = 1000 },
		};
		struct ep_cluster_model cm = {
			.opp = close, .nr_opp = 2, .idle_mw = 0,
			.switch_up_ns = 4 * MS, .switch_down_ns = 0,
		};

		w[0] = (struct ep_work){ .work_ns = MS, .deadline = 100 * MS };
		in = gin(w, 1, 1);
		in.model = &cm;
		ep_gov_deadline(&in, &out);
		ok(out.step == 1, "deadline: tiny saving does not pay for a later up-switch");
	}

	/* Two lanes halve the queue's span. */
	w[0] = (struct ep_work){ .work_ns = 10 * MS, .deadline = 45 * MS };
	w[1] = (struct ep_work){ .work_ns = 10 * MS, .deadline = 45 * MS };
	in = gin(w, 2, 0);
	ok(!ep_gov_check(&in, 0, &out.slack_ns), "one lane at step 0 misses (80 ms > 45 ms)");
	in.lanes = 2;
	ok(ep_gov_check(&in, 0, &out.slack_ns), "two lanes at step 0 make it (40 ms)");
}

static void test_speed_host(void)
{
	static const struct ep_opp measured[] = {
		{ .khz = 400000, .speed = 512 },
		{ .khz = 800000, .speed = 768 },
		{ .khz = 1600000, .speed = 1024 },
	};
	static const struct ep_opp half_known[] = {
		{ .khz = 400000, .speed = 512 },
		{ .khz = 1600000 },
	};
	static const struct ep_opp gpu[] = {
		{ .khz = 200000 }, { .khz = 400000 }, { .khz = 800000 },
	};
	static const struct ep_opp npu[] = { { .khz = 1000000 } };
	struct ep_cluster_model m = { .opp = measured, .nr_opp = 3 };
	struct ep_cluster_model h = { .opp = half_known, .nr_opp = 2 };
	struct ep_cluster_model g = { .opp = gpu, .nr_opp = 3 };
	struct ep_cluster_model n = { .opp = npu, .nr_opp = 1 };

	ok(ep_scale_time(&m, 10 * MS, 0) == 20 * MS, "measured speed: half speed takes 2x, not 4x");
	ok(ep_scale_time(&m, 30 * MS, 1) == 40 * MS, "measured speed 3/4: 30 ms takes 40 ms");
	ok(ep_scale_time(&h, 10 * MS, 0) == 40 * MS, "speed unknown at the top: by frequency");
	ok(ep_work_done(&m, 20 * MS, 0) == 10 * MS, "work done is the inverse of time taken");
	ok(ep_work_done(&little, 40 * MS, 0) == 10 * MS, "... by frequency too");
	ok(ep_work_done(&m, 5 * MS, 2) == 5 * MS, "at the top step, time is work");
	ok(ep_host_floor(&little, &g, 2) == 2, "guest at its top: host at its top");
	ok(ep_host_floor(&little, &g, 1) == 1, "guest at half speed: host at half (800 of 1600)");
	ok(ep_host_floor(&little, &g, 0) == 0, "guest at a quarter: host at a quarter");
	ok(ep_host_floor(&m, &g, 1) == 0, "host whose lowest step runs at half: that step");
	ok(ep_host_floor(&little, &n, 0) == 2, "single-step guest (NPU): host at its top");
}

static void test_stage_speed(void)
{
	static const u32 flat[3] = { 1024, 1024, 1024 };
	static const u32 partial[3] = { 0, 768, 1024 };
	struct ep_work w = { .work_ns = 100 * MS, .deadline = 300 * MS };
	struct ep_gov_in in = { .model = &little, .lanes = 1, .work = &w, .nr_work = 1 };
	u64 slack;

	ok(ep_stage_time(&little, flat, 10 * MS, 0) == 10 * MS,
	   "a stage as fast at every step takes its estimate at the lowest");
	ok(ep_stage_time(&little, NULL, 10 * MS, 0) == ep_scale_time(&little, 10 * MS, 0),
	   "no speeds of its own: the cluster's");
	ok(ep_stage_time(&little, partial, 30 * MS, 1) == 40 * MS,
	   "the stage's 3/4 at the middle step: 30 ms take 40 ms");
	ok(ep_stage_time(&little, partial, 10 * MS, 0) == 40 * MS,
	   "a step the stage does not know: the cluster's speed");
	ok(ep_stage_work(&little, partial, 40 * MS, 1) == 30 * MS,
	   "a measured run normalised with the stage's speeds");
	ok(!ep_gov_check(&in, 0, &slack), "by frequency, 100 ms at a quarter miss 300 ms");
	w.speed = flat;
	ok(ep_gov_check(&in, 0, &slack), "with the stage's flat speeds the lowest step makes it");
}

static void test_missed(void)
{
	struct ep_work w = { .work_ns = 10 * MS, .deadline = 5 * MS };
	struct ep_gov_in in = { .model = &little, .now = 6 * MS, .cur = 0, .lanes = 1,
				.work = &w, .nr_work = 1 };
	struct ep_gov_out out;

	ep_gov_deadline(&in, &out);
	ok(out.step == 0 && out.feasible,
	   "a stage whose deadline has passed does not steer the step (got %u)", out.step);
	in.now = 1 * MS;
	ep_gov_deadline(&in, &out);
	ok(out.step == 2 && !out.feasible, "... before its deadline it does (top, infeasible)");
}

static void test_margin(void)
{
	struct ep_work w = { .work_ns = 10 * MS, .deadline = 100 * MS };
	struct ep_gov_in in = gin(&w, 1, 0);
	struct ep_gov_out out;
	struct ep_margin m;
	int i;

	/* 10 ms at the top is 40 ms at the lowest step, 20 ms at the middle. */
	in.reserve = EP_MARGIN_DEFAULT;
	ep_gov_deadline(&in, &out);
	ok(out.step == 0 && out.slack_ns == 35 * MS,
	   "reserve: a quarter kept, as with none given (got %u, %llu)",
	   out.step, (unsigned long long)out.slack_ns);
	in.reserve = 3 * EP_MARGIN_ONE / 4;
	ep_gov_deadline(&in, &out);
	ok(out.step == 1 && out.feasible && out.slack_ns == 3 * MS,
	   "reserve: three quarters kept -> the middle step, 3 ms in hand past its switch (got %u, %llu)",
	   out.step, (unsigned long long)out.slack_ns);
	in.reserve = EP_MARGIN_MAX;
	ep_gov_deadline(&in, &out);
	ok(out.step == 2, "reserve: too much to keep at any step -> the top step (got %u)", out.step);
	in.reserve = 5 * EP_MARGIN_ONE;
	w.deadline = 10 * MS;
	in.cur = 2;
	ep_gov_deadline(&in, &out);
	ok(out.step == 2, "reserve: more than the whole time left is capped, no wrap");

	ep_margin_init(&m);
	ok(m.reserve == EP_MARGIN_DEFAULT, "margin: starts at a quarter");
	ep_margin_update(&m, true);
	ok(m.reserve > EP_MARGIN_DEFAULT, "margin: a miss widens it (%u)", m.reserve);
	for (i = 0; i < 100; i++)
		ep_margin_update(&m, true);
	ok(m.reserve == EP_MARGIN_MAX, "margin: misses stop at the most (%u)", m.reserve);
	ep_margin_update(&m, false);
	ok(m.reserve == EP_MARGIN_MAX - 1, "margin: a deadline met narrows it, slowly");
	for (i = 0; i < 2000; i++)
		ep_margin_update(&m, false);
	ok(m.reserve == EP_MARGIN_MIN, "margin: met deadlines stop at the least (%u)", m.reserve);
	m.reserve = 0;
	ep_margin_update(&m, false);
	ok(m.reserve == EP_MARGIN_DEFAULT - 1, "margin: an out-of-range value restarts from a quarter");
	/* One miss in 129 holds it where it is; one in 10 pushes it up. */
	ep_margin_init(&m);
	for (i = 0; i < 129 * 20; i++)
		ep_margin_update(&m, i % 129 == 0);
	ok(m.reserve == EP_MARGIN_DEFAULT, "margin: one miss in 129 keeps it steady (%u)",
	   m.reserve);
	for (i = 0; i < 100; i++)
		ep_margin_update(&m, i % 10 == 0);
	ok(m.reserve > EP_MARGIN_DEFAULT, "margin: one miss in 10 widens it (%u)", m.reserve);
}

static void test_est(void)
{
	struct ep_est e = { 0 };
	int i;

	ok(ep_est_cost(&e, 500 * MS) == 500 * MS, "no run yet: the declared prior");
	ep_est_add(&e, 10 * MS);
	ok(ep_est_cost(&e, 500 * MS) == 10 * MS, "one run: what it measured, not the prior");
	ok(ep_est_cost(&e, 1) == 10 * MS, "a tiny prior does not undercut the measurement");
	ep_est_add(&e, 30 * MS);
	ok(ep_est_cost(&e, 0) == 30 * MS, "a slower run raises the estimate at once");
	for (i = 0; i < 60; i++)
		ep_est_add(&e, 10 * MS);
	ok(ep_est_cost(&e, 0) >= 10 * MS && ep_est_cost(&e, 0) < 11 * MS,
	   "a lasting speed-up brings it back down (%llu)", (unsigned long long)ep_est_cost(&e, 0));
	ep_est_add(&e, ~0ULL);
	ok(ep_est_cost(&e, 0) == 1000ULL * 1000 * MS, "runs are clamped at 1000 s");
}

static void test_fair(void)
{
	struct ep_fair q = { .quantum = 10 * MS };
	struct ep_flow a = { 0 }, b = { 0 }, c = { 0 };
	int runs_a = 0, i;

	ok(!ep_fair_pick(&q), "no flows: nothing to pick");
	ep_fair_activate(&q, &a, 1 * MS);
	ep_fair_activate(&q, &b, 1 * MS);
	for (i = 0; i < 10; i++)
		runs_a += ep_fair_pick(&q) == &a;
	ok(runs_a == 10, "a flow runs a quantum's worth of 1 ms stages in its turn (%d)", runs_a);
	ok(ep_fair_pick(&q) == &b, "then the next flow's turn");
	ep_fair_activate(&q, &b, 50 * MS);
	for (i = 0; i < 9; i++)
		ep_fair_pick(&q);
	ok(ep_fair_pick(&q) == &a, "... until it used its quantum");
	ok(ep_fair_pick(&q) == &b, "a stage longer than the quantum runs in one turn");
	ep_fair_deactivate(&q, &b);
	ok(ep_fair_pick(&q) == &a && ep_fair_pick(&q) == &a, "an idle flow leaves the ring");
	ep_fair_activate(&q, &c, 1 * MS);
	ep_fair_deactivate(&q, &a);
	ep_fair_deactivate(&q, &a);
	ok(ep_fair_pick(&q) == &c, "deactivating twice is harmless");
	ep_fair_deactivate(&q, &c);
	ok(!q.head && !ep_fair_pick(&q), "all idle: an empty ring");
}

static void test_pick(void)
{
	struct ep_queues q = { .nr_normal = 1, .nr_background = 1, .oldest_ns = 0,
			       .now = 100 * MS, .max_wait_ns = 200 * MS };

	ok(ep_pick_queue(&q) == EP_PICK_NORMAL, "NORMAL before BACKGROUND");
	q.now = 200 * MS;
	ok(ep_pick_queue(&q) == EP_PICK_AGED, "a stage queued max_wait ago runs first");
	q.nr_strict = 1;
	ok(ep_pick_queue(&q) == EP_PICK_STRICT, "REALTIME and HIGH stay strict");
	q.nr_strict = 0;
	q.max_wait_ns = 0;
	ok(ep_pick_queue(&q) == EP_PICK_NORMAL, "max_wait 0: no aging");
	q.nr_normal = 0;
	ok(ep_pick_queue(&q) == EP_PICK_BACKGROUND, "BACKGROUND when no NORMAL");
	q.nr_background = 0;
	ok(ep_pick_queue(&q) == EP_PICK_NONE, "nothing queued");
	ok(ep_fair_wait_bound(200 * MS, 0, 1, 5 * MS) == 205 * MS,
	   "bound: max_wait plus the stage running then, with nothing aged ahead");
	ok(ep_fair_wait_bound(200 * MS, 3, 2, 5 * MS) == 215 * MS,
	   "three aged ahead on two executors: two more rounds, then its own");
	ok(ep_fair_wait_bound(~0ULL, 1, 1, ~0ULL) == ~0ULL, "the bound saturates");
}

static void test_session(void)
{
	/* A 30 FPS camera frame: 10 ms of work at the top, due in 20 ms. */
	struct ep_work cam = { .work_ns = 10 * MS, .deadline = 20 * MS };
	struct ep_session_in in = {
		.model = &little, .now = 0, .step = 2, .lanes = 1,
		.step_work_ns = 5 * MS, .urgent = &cam, .nr_urgent = 1,
		.recent_slack_ns = U64_MAX,
	};

	ok(!ep_session_frozen(&in), "a frame that still fits after a 5 ms step: steps run");
	in.step_work_ns = 11 * MS;
	ok(ep_session_frozen(&in), "a step that would make the frame late: frozen");
	in.step_work_ns = 5 * MS;
	in.step = 1;
	ok(ep_session_frozen(&in), "the same step at half the frequency: frozen");
	in.step = 2;
	in.frozen = true;
	ok(!ep_session_frozen(&in), "frozen, 5 ms to spare after a 5 ms step: thawed");
	cam.deadline = 19 * MS;
	ok(ep_session_frozen(&in), "frozen, less than a step to spare: stays frozen");
	in.frozen = false;
	ok(!ep_session_frozen(&in), "... where a running session goes on (hysteresis)");
	in.lanes = 2;
	cam.deadline = 12 * MS;
	ok(!ep_session_frozen(&in), "two executors: the step takes one, the frame the other");
	in.lanes = 0;
	cam.deadline = 1 * MS;
	ok(!ep_session_frozen(&in), "no executor: nothing to freeze");
	in.lanes = 1;
	cam.deadline = 0;
	ok(!ep_session_frozen(&in), "a deadline already past steers nothing");
	cam.deadline = EP_NO_DEADLINE;
	ok(!ep_session_frozen(&in), "no deadline: the session is not frozen for it");

	in.nr_urgent = 0;
	in.recent_slack_ns = 4 * MS;
	ok(ep_session_frozen(&in), "nothing queued, but the pipeline's frames end 4 ms early: frozen");
	in.recent_slack_ns = 6 * MS;
	ok(!ep_session_frozen(&in), "6 ms early: a 5 ms step fits before the next frame");
	in.frozen = true;
	ok(ep_session_frozen(&in), "frozen: 6 ms is not the 10 ms a thaw needs");
	in.recent_slack_ns = 10 * MS;
	ok(!ep_session_frozen(&in), "10 ms: thawed");
	in.step_work_ns = 0;
	in.recent_slack_ns = 0;
	ok(ep_session_frozen(&in), "a recent miss freezes even without a step estimate");
	in.recent_slack_ns = U64_MAX;
	ok(!ep_session_frozen(&in), "no recent higher-class job and none queued: not frozen");
	in.step_work_ns = ~0ULL;
	cam.deadline = 100 * MS;
	in.nr_urgent = 1;
	ok(ep_session_frozen(&in), "a huge step estimate does not wrap round to fit");
}

static void test_place(void)
{
	struct ep_place p[3] = {
		{ .wait_ns = 400 * MS, .cost_ns = 30 * MS, .lanes = 1 },
		{ .wait_ns = 0, .cost_ns = 60 * MS, .lanes = 1 },
		{ .wait_ns = 10 * MS, .cost_ns = 40 * MS, .lanes = 1 },
	};

	ok(ep_place_stage(p, 3) == 2, "a stage goes where it ends soonest, not where it waits least");
	ok(ep_place_stage(p, 1) == 0, "a stage without alternatives stays on its cluster");
	p[0].wait_ns = 10 * MS;
	ok(ep_place_stage(p, 3) == 0, "ending first on its own cluster, it stays there");
	p[0].wait_ns = 20 * MS;
	ok(ep_place_stage(p, 3) == 0, "a tie keeps it on its own cluster");
	p[0].wait_ns = 20 * MS + 1;
	ok(ep_place_stage(p, 3) == 2, "1 ns later there, it moves");
	p[0].wait_ns = 400 * MS;
	p[2].lanes = 0;
	ok(ep_place_stage(p, 3) == 1, "a cluster without an executor is no place to go");
	p[1].lanes = 0;
	ok(ep_place_stage(p, 3) == 0, "only its own cluster has an executor: it stays");
	p[0].lanes = 0;
	ok(ep_place_stage(p, 3) == 0, "no executor anywhere: its own cluster, to wait for one");
	p[0].lanes = 1;
	p[1] = (struct ep_place){ .wait_ns = U64_MAX, .cost_ns = 1, .lanes = 1 };
	p[2] = (struct ep_place){ .wait_ns = U64_MAX - 5, .cost_ns = 10, .lanes = 1 };
	ok(ep_place_stage(p, 3) == 0, "huge waits do not wrap round to look short");
}

int main(void)
{
	test_order();
	test_freq();
	test_admit();
	test_governors();
	test_speed_host();
	test_stage_speed();
	test_missed();
	test_margin();
	test_est();
	test_fair();
	test_pick();
	test_session();
	test_place();
	return tap_done();
}
