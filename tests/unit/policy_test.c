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
		{ .work_ns = 10 * MS, .ahead_ns = 0, .model = &little, .step = 2, .lanes = 1 },
		{ .work_ns = 5 * MS, .ahead_ns = 20 * MS, .model = &little, .step = 2, .lanes = 1 },
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
	st[0].step = 0;
	r = ep_admit(0, 45 * MS, st, 2, &fin);
	ok(r && fin == 45 * MS, "a slower step scales the estimate (finish %llu)",
	   (unsigned long long)fin);
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
	ok(out.step == 0 && out.feasible && out.slack_ns == 60 * MS,
	   "deadline: 4x slack -> lowest step, slack 60 ms (got %u, %llu)",
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
	in.cur = 1;
	ep_gov_deadline(&in, &out);
	ok(out.step == 1, "deadline: already at step 1, staying there fits");

	/* EDF order: the later stage's deadline binds. */
	w[0] = (struct ep_work){ .work_ns = 5 * MS, .deadline = 100 * MS };
	w[1] = (struct ep_work){ .work_ns = 5 * MS, .deadline = 20 * MS };
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

int main(void)
{
	test_order();
	test_freq();
	test_admit();
	test_governors();
	test_speed_host();
	return tap_done();
}
