// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the simulator's anytime jobs (userspace/sim, the kernel's
 * kmod/policy/anytime.c): exits taken under overload and only then, the
 * minimum accuracy honoured, and the delivered accuracy counted.
 */
#include <math.h>
#include <string.h>

#include "sim.h"
#include "test_board.h"

static struct board *b;

/* MobileNetV1 on the big cluster in four stages, exits after 0 and 2. */
static const struct ep_exit exits[] = {
	{ .after_stage = 0, .accuracy_ppm = 500000 },
	{ .after_stage = 2, .accuracy_ppm = 650000 },
};

static void app(struct sim_app *a, double load, bool anytime, uint32_t min_ppm)
{
	static const int cut[][2] = { { 0, 4 }, { 4, 3 }, { 7, 4 }, { 11, 3 } };
	int e = board_element_by_code(b, 'B');

	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "mobilenet");
	a->model = board_model_by_name(b, "MobileV1");
	a->plan.model = a->model;
	for (int i = 0; i < 4; i++)
		a->plan.stages[a->plan.nr_stages++] = (struct plan_stage){
			.elem = e, .first_layer = cut[i][0], .nr_layers = cut[i][1],
			.step = board_top_step(b, e), .host_step = -1 };
	plan_fill(b, a->model, &a->plan);
	a->prio = 2;
	a->rate = load * 1000 / a->plan.predicted.latency_ms;
	a->slo_ms = 1.5 * a->plan.predicted.latency_ms;
	a->arrival = SIM_PERIODIC;
	a->burst = 1;
	a->accuracy_ppm = 700000;
	if (anytime) {
		a->exits = exits;
		a->nr_exits = 2;
		a->anytime = true;
		a->min_accuracy_ppm = min_ppm;
	}
}

static int run_alts(const struct sim_app *a, struct sim_result *r, bool alts)
{
	struct sim_config c = {
		.b = b, .seed = 3, .duration_s = 20, .tick_ms = 4, .gov = SIM_GOV_DEADLINE,
		.order = SIM_ORDER_POLICY, .dispatch = SIM_STATIC, .stage_deadlines = true,
		.safe_costs = true, .learn_costs = true, .stage_by_finish = alts,
	};

	return sim_run(&c, a, 1, r);
}

static int run(const struct sim_app *a, struct sim_result *r)
{
	return run_alts(a, r, false);
}

int main(void)
{
	struct sim_app a;
	struct sim_result any, none;
	b = test_board_load();
	if (!b)
		return tap_done();
	app(&a, 1.6, true, 0);
	ok(!run(&a, &any), "overload, anytime: runs");
	app(&a, 1.6, false, 0);
	ok(!run(&a, &none), "overload, no exits: runs");
	ok(any.app[0].exits_taken > any.app[0].arrived / 4,
	   "overload: anytime jobs end at exits (%ld of %ld)", any.app[0].exits_taken,
	   any.app[0].arrived);
	ok(any.app[0].arrived == none.app[0].arrived && none.app[0].exits_taken == 0,
	   "the same frames arrive; no exits without the flag");
	ok(any.app[0].slo_pct > none.app[0].slo_pct + 20,
	   "anytime meets more deadlines (%.1f %% against %.1f %%)", any.app[0].slo_pct,
	   none.app[0].slo_pct);
	ok(any.app[0].accuracy_pct > 0 &&
	   any.app[0].accuracy_pct <= any.app[0].slo_pct / 100 * 70 + 1e-9 &&
	   any.app[0].accuracy_pct >= any.app[0].slo_pct / 100 * 50 - 1e-9,
	   "delivered accuracy %.2f %% lies between the met frames at 50 %% and at 70 %%",
	   any.app[0].accuracy_pct);

	app(&a, 1.6, true, 600000);
	ok(!run(&a, &any) && any.app[0].exits_taken > 0 &&
	   any.app[0].accuracy_pct >= any.app[0].slo_pct / 100 * 65 - 1e-9,
	   "a minimum of 60 %%: exits still taken (%ld), none below 65 %% (delivered %.2f %%)",
	   any.app[0].exits_taken, any.app[0].accuracy_pct);
	app(&a, 1.6, true, 690000);
	ok(!run(&a, &any) && any.app[0].exits_taken == 0 &&
	   any.app[0].met == none.app[0].met,
	   "a minimum above every exit: none taken, the same frames met as without exits");

	app(&a, 0.3, true, 0);
	ok(!run(&a, &any), "light load, anytime: runs");
	app(&a, 0.3, false, 0);
	ok(!run(&a, &none), "light load, no exits: runs");
	ok(any.app[0].exits_taken == 0 && any.app[0].met == none.app[0].met,
	   "light load: no exit taken (%ld), the same frames met", any.app[0].exits_taken);
	ok(fabs(none.app[0].accuracy_pct - none.app[0].slo_pct / 100 * 70) < 1e-6,
	   "without exits the delivered accuracy is the full one on the frames met (%.3f %%)",
	   none.app[0].accuracy_pct);

	/*
	 * Stage alternatives: a ready stage goes where it ends soonest, and
	 * the anytime check counts it there, so with the big cluster
	 * overloaded fewer frames settle for an exit.
	 */
	app(&a, 1.6, true, 0);
	ok(!run(&a, &none) && !run_alts(&a, &any, true), "overload, anytime, with stage alternatives: runs");
	ok(any.app[0].exits_taken < none.app[0].exits_taken / 2 &&
	   any.app[0].accuracy_pct > none.app[0].accuracy_pct,
	   "with alternatives fewer frames end at an exit (%ld against %ld) and the delivered "
	   "accuracy rises (%.2f against %.2f %%)", any.app[0].exits_taken,
	   none.app[0].exits_taken, any.app[0].accuracy_pct, none.app[0].accuracy_pct);

	app(&a, 1.6, true, 0);
	a.slo_ms = 0;
	ok(!run(&a, &any) && any.app[0].exits_taken == 0,
	   "frames without a deadline never end at an exit");
	board_free(b);
	return tap_done();
}
