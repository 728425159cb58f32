// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of precision variants (userspace/planner/variants.c): the
 * genetic search against enumeration of every placement on the spaces
 * small enough to enumerate, the declared accuracy model, and the plan the
 * choice becomes.  The board's own data (data/boards/rk3399pro) and the
 * declared accuracies (data/accuracy).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "test_board.h"
#include "variants.h"

static struct board *b;
static struct acc_quant q;
static int model;

static unsigned int mask(const char *codes)
{
	unsigned int m = 0;

	for (; *codes; codes++)
		m |= 1u << board_element_by_code(b, *codes);
	return m;
}

static void test_loss(void)
{
	double loss[PLAN_MAX_LAYERS], sum = 0;
	char err[256];
	bool pos = true;
	int nl = board_model_layers(b, model);

	ok(!var_layer_loss(b, model, &q, loss, err, sizeof(err)), "per-layer int8 loss: %s",
	   "computed");
	for (int l = 0; l < nl; l++) {
		sum += loss[l];
		pos &= loss[l] > 0;
	}
	ok(fabs(sum - (q.fp32_pct - q.int8_pct)) < 1e-9,
	   "the layers' losses add up to the published whole-network loss (%.3f)", sum);
	ok(pos, "every layer with NPU data carries part of it");
}

/*
 * The genetic search on spaces that enumeration solves: it must meet the
 * floor, and come within 2 % of the optimum (docs/planner.md reports how
 * often it finds the optimum itself).
 */
static void test_vs_exhaustive(void)
{
	static const char *const sets[] = { "BN", "LN", "GN" };
	static const double floors[] = { 69.7, 70.0, 70.3, 70.6, 70.9 };
	static struct var_result ex, ga;
	int runs = 0, within = 0, equal = 0, feasible = 0;
	double worst = 0;
	char err[256];

	for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++)
		for (size_t f = 0; f < sizeof(floors) / sizeof(floors[0]); f++)
			for (int g = 0; g < 2; g++) {
				struct var_opts o = {
					.goal = g ? PLAN_ENERGY : PLAN_LATENCY,
					.floor_pct = floors[f], .elems = mask(sets[s]),
					.search = VAR_EXHAUSTIVE, .seed = 1 + f,
				};
				double x, y;

				if (var_plan(b, model, &q, &o, &ex, err, sizeof(err)))
					continue;
				o.search = VAR_GENETIC;
				runs++;
				if (var_plan(b, model, &q, &o, &ga, err, sizeof(err)))
					continue;
				feasible += ga.accuracy_pct >= floors[f] - 1e-9;
				x = g ? ex.fig.energy_mj : ex.fig.latency_ms;
				y = g ? ga.fig.energy_mj : ga.fig.latency_ms;
				if (y / x - 1 > worst)
					worst = y / x - 1;
				within += y <= x * 1.02;
				equal += fabs(y - x) < 1e-9;
			}
	ok(runs == 30, "enumeration solved all 30 cases (3 element sets x 5 floors x 2 goals): %d",
	   runs);
	ok(feasible == runs, "the genetic search met the floor in %d of %d", feasible, runs);
	ok(within == runs, "and came within 2 %% of the optimum in %d of %d (worst +%.2f %%, "
	   "optimum itself in %d)", within, runs, 100 * worst, equal);
}

static void test_plan(void)
{
	struct var_opts o = { .goal = PLAN_LATENCY, .floor_pct = 70.9, .search = VAR_AUTO };
	static struct var_result r;
	struct plan p;
	char err[256];
	int layers = 0;

	ok(!var_plan(b, model, &q, &o, &r, err, sizeof(err)) && r.int8_layers == 0 &&
	   fabs(r.accuracy_pct - q.fp32_pct) < 1e-9,
	   "a floor at the fp32 accuracy keeps every layer fp32");
	o.floor_pct = q.int8_pct;
	o.elems = mask("LBGN");
	ok(!var_plan(b, model, &q, &o, &r, err, sizeof(err)) && !r.exhaustive &&
	   r.space == 268435456L, "four elements, 14 layers: 4^14 placements, the genetic search");
	ok(r.int8_layers > 0 && r.accuracy_pct >= q.int8_pct - 1e-9,
	   "a floor at the int8 accuracy lets the NPU run (%d layers int8)", r.int8_layers);
	ok(!var_to_plan(b, model, &r, PLAN_LATENCY, &p) && p.nr_stages >= 1, "the choice is a plan");
	for (int i = 0; i < p.nr_stages; i++)
		layers += p.stages[i].nr_layers;
	ok(layers == r.nr_layers && fabs(p.predicted.latency_ms - r.fig.latency_ms) < 1e-6,
	   "its stages cover the network and predict the same latency (%.3f ms)",
	   p.predicted.latency_ms);
	o.floor_pct = 71;
	ok(var_plan(b, model, &q, &o, &r, err, sizeof(err)) == -ENOENT,
	   "a floor above the fp32 accuracy: -ENOENT (%s)", err);
	o.floor_pct = 70;
	o.elems = mask("N");
	ok(var_plan(b, model, &q, &o, &r, err, sizeof(err)) == -ENOENT,
	   "the NPU alone cannot meet 70 %%: -ENOENT");
}

int main(void)
{
	char err[256];

	b = test_board_load();
	if (!b)
		return tap_done();
	model = board_model_by_name(b, "MobileV1");
	ok(!acc_quant_read(BOARD_DIR, "MobileV1", &q, err, sizeof(err)),
	   "declared MobileV1 accuracies read (%s)", q.network);
	ok(acc_quant_read(BOARD_DIR, "Alex", &q, err, sizeof(err)) == -ENOENT,
	   "a model without declared figures: -ENOENT");
	acc_quant_read(BOARD_DIR, "MobileV1", &q, err, sizeof(err));
	test_loss();
	test_vs_exhaustive();
	test_plan();
	board_free(b);
	return tap_done();
}
