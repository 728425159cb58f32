// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of kmod/policy/anytime.c: the decision the kernel makes
 * when a stage of an anytime job completes, and the one the simulator
 * makes with the same code.
 */
#include "../../kmod/policy/policy.h"
#include "../lib/tap.h"

#define MS	1000000ULL

/* Four stages of 10 ms each, nothing ahead; exits after stages 0 and 2. */
static const struct ep_exit exits[] = {
	{ .after_stage = 0, .accuracy_ppm = 600000, .out_mask = 2 },
	{ .after_stage = 2, .accuracy_ppm = 800000, .out_mask = 4 },
};

static struct ep_admit_stage st[4];

static void setup(void)
{
	for (int i = 0; i < 4; i++)
		st[i] = (struct ep_admit_stage){ .work_ns = 10 * MS, .lanes = 1 };
}

static void test_aim(void)
{
	struct ep_anytime a = { exits, 2, 0, 35 * MS };
	u64 fin = 0;

	ok(ep_anytime_aim(&a, 0, st, 0, &fin) == 1 && fin == 30 * MS,
	   "at submission, 35 ms for 40 ms of work: the exit after stage 2 in 30 ms");
	a.deadline = 25 * MS;
	ok(ep_anytime_aim(&a, 0, st, 0, &fin) == 0, "25 ms: the first exit only");
	a.deadline = 5 * MS;
	ok(ep_anytime_aim(&a, 0, st, 0, &fin) == -1, "5 ms: no exit in time");
	a.deadline = 25 * MS;
	a.min_accuracy = 700000;
	ok(ep_anytime_aim(&a, 0, st, 0, &fin) == -1,
	   "the exit in time below the minimum is not aimed at");
	a.min_accuracy = 0;
	a.deadline = 15 * MS;
	ok(ep_anytime_aim(&a, 0, st + 1, 1, &fin) == -1,
	   "from stage 1 on, an exit already passed is not aimed at");
	a.deadline = 35 * MS;
	ok(ep_anytime_aim(&a, 0, st + 1, 1, &fin) == 1 && fin == 20 * MS,
	   "from stage 1 on, the exit after stage 2 in 20 ms");
}

static void test_check(void)
{
	struct ep_anytime a = { exits, 2, 0, 30 * MS };
	u32 end = 99;
	int k;

	k = ep_anytime_check(&a, 0, st + 1, 0, 4, &end);
	ok(k == -1 && end == 3, "the rest in time: go on to the last stage (end %u)", end);
	a.deadline = 25 * MS;
	k = ep_anytime_check(&a, 0, st + 1, 0, 4, &end);
	ok(k == -1 && end == 2, "the rest late, exit 1 in time: aim at its stage (end %u)", end);
	a.deadline = 15 * MS;
	k = ep_anytime_check(&a, 0, st + 1, 0, 4, &end);
	ok(k == 0 && end == 0, "no later exit in time: end at exit 0 just reached (k %d)", k);
	a.min_accuracy = 700000;
	k = ep_anytime_check(&a, 0, st + 1, 0, 4, &end);
	ok(k == -1 && end == 3,
	   "the exit reached is below the minimum: go on to the last stage (k %d, end %u)",
	   k, end);
	a.min_accuracy = 0;
	a.deadline = 5 * MS;
	k = ep_anytime_check(&a, 0, st + 2, 1, 4, &end);
	ok(k == 0 && end == 1,
	   "after stage 1, exit 0 is the last reached and exit 1 is late: end at exit 0 (k %d)", k);
	a.deadline = 12 * MS;
	k = ep_anytime_check(&a, 5 * MS, st + 3, 2, 4, &end);
	ok(k == 1 && end == 2, "after stage 2, the last stage late: end at exit 1 (k %d)", k);
	st[3].lanes = 0;
	a.deadline = 1000 * MS;
	k = ep_anytime_check(&a, 0, st + 3, 2, 4, &end);
	ok(k == 1, "a last stage with no executor never ends in time: end at exit 1");
	st[3].lanes = 1;
}

int main(void)
{
	setup();
	test_aim();
	test_check();
	return tap_done();
}
