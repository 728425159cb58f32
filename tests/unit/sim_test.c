// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of edgeai-sim's engine: timing against the board model,
 * pipelining, the kernel policy's queue order, admission and governors,
 * energy accounting, determinism and speed.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "../../kmod/policy/policy.h"
#include "plan.h"
#include "sim.h"
#include "test_board.h"

static struct board *b;
static int eL, eB, eG, eN;

static struct sim_config cfg(enum sim_gov g)
{
	return (struct sim_config){ .b = b, .seed = 3, .duration_s = 20, .tick_ms = 10,
				    .gov = g, .order = SIM_ORDER_POLICY,
				    .dispatch = SIM_STATIC, .units = 4 };
}

static struct sim_app app(const char *model, double rate, double slo, int prio,
			  struct plan_opts *o)
{
	struct sim_app a = { .model = board_model_by_name(b, model), .prio = prio,
			     .rate = rate, .slo_ms = slo, .arrival = SIM_PERIODIC, .burst = 1 };

	snprintf(a.name, sizeof(a.name), "%s", model);
	if (o)
		plan_make(b, a.model, o, &a.plan, NULL, 0);
	return a;
}

static void one_stage(struct sim_app *a, int e)
{
	memset(&a->plan, 0, sizeof(a->plan));
	a->plan.nr_stages = 1;
	a->plan.stages[0] = (struct plan_stage){ .elem = e, .first_layer = 0,
		.nr_layers = board_model_layers(b, a->model), .step = board_top_step(b, e),
		.host_step = -1 };
	plan_fill(b, a->model, &a->plan);
}

static void test_timing(void)
{
	struct plan_opts o = { .goal = PLAN_LATENCY, .top_only = true };
	struct sim_app a = app("SqueezeV1", 2, 0, EP_PRIO_NORMAL, &o);
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result r;
	double dyn = 0, util_want = 0;
	int rc = sim_run(&c, &a, 1, &r);

	ok(!rc && r.app[0].arrived == 40 && r.app[0].completed == 40,
	   "periodic 2 fps for 20 s: 40 frames, all done (%ld/%ld)", r.app[0].completed,
	   r.app[0].arrived);
	ok(fabs(r.app[0].p50_ms - a.plan.predicted.latency_ms) < 1e-3 &&
	   fabs(r.app[0].p99_ms - a.plan.predicted.latency_ms) < 1e-3,
	   "unloaded latency = the plan's predicted latency (%.4f vs %.4f ms)",
	   r.app[0].p50_ms, a.plan.predicted.latency_ms);
	for (int i = 0; i < a.plan.nr_stages; i++)
		dyn += a.plan.stages[i].dyn_energy_uj;
	ok(fabs(r.energy_j - (board_base_power_mw(b) * r.end_s * 1e3 + 40 * dyn) / 1e6) <
	   1e-6 * r.energy_j,
	   "energy = base power x time + the stages' energy above base (%.4f J)", r.energy_j);
	for (int i = 0; i < a.plan.nr_stages; i++)
		if (a.plan.stages[i].elem == a.plan.stages[0].elem)
			util_want += 40 * a.plan.stages[i].time_ns / 1e9;
	ok(fabs(r.util[a.plan.stages[0].elem] - util_want / r.end_s) < 1e-6,
	   "utilisation = busy time / time (%.4f)", r.util[a.plan.stages[0].elem]);
	ok(r.residency[eB][board_top_step(b, eB)] > 0.999 && r.freq_changes == 0,
	   "performance: all the time at the top step, no switch");
}

static void test_pipelining(void)
{
	struct plan_opts o = { .goal = PLAN_THROUGHPUT, .elems = (1u << eL) | (1u << eB) };
	struct sim_app a = app("Alex", 1, 0, EP_PRIO_NORMAL, &o);
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	double cap = a.plan.predicted.throughput_fps, lat = a.plan.predicted.latency_ms;
	struct sim_result r;

	c.duration_s = 30;
	ok(a.plan.nr_stages == 2 && cap > 1000 / lat * 1.3,
	   "an L+B pipeline: %.2f fps capacity, one frame %.1f ms (%.2f fps serial)", cap, lat,
	   1000 / lat);
	a.rate = 1000 / lat * 1.2;	/* beyond serial, within the pipeline */
	sim_run(&c, &a, 1, &r);
	ok(r.app[0].completed == r.app[0].arrived && r.app[0].p99_ms < lat * 1.01,
	   "at %.2f fps frames overlap and never queue (p99 %.1f ms)", a.rate, r.app[0].p99_ms);
	a.rate = cap * 1.5;
	c.duration_s = 20;
	sim_run(&c, &a, 1, &r);
	ok(fabs(r.app[0].completed / r.end_s - cap) < 0.03 * cap,
	   "saturated: throughput %.2f fps = the bottleneck's %.2f fps",
	   r.app[0].completed / r.end_s, cap);
}

static void test_order_admission(void)
{
	/* B at 1.35x capacity; the realtime half alone fits. */
	struct sim_app a[2] = { app("MobileV1", 6, 250, EP_PRIO_BACKGROUND, NULL),
				app("MobileV1", 6, 250, EP_PRIO_REALTIME, NULL) };
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result pol, fifo, adm;

	one_stage(&a[0], eB);
	one_stage(&a[1], eB);
	snprintf(a[1].name, sizeof(a[1].name), "rt");
	sim_run(&c, a, 2, &pol);
	c.order = SIM_ORDER_FIFO;
	sim_run(&c, a, 2, &fifo);
	ok(pol.app[1].slo_pct > 90 && pol.app[1].slo_pct > pol.app[0].slo_pct + 50,
	   "ep_key_before: the realtime class keeps its SLO in overload (%.1f %% vs %.1f %%)",
	   pol.app[1].slo_pct, pol.app[0].slo_pct);
	ok(fifo.app[1].slo_pct < pol.app[1].slo_pct - 30,
	   "FIFO order loses that (%.1f %%)", fifo.app[1].slo_pct);
	c.order = SIM_ORDER_POLICY;
	c.admit = true;
	sim_run(&c, a, 2, &adm);
	ok(adm.app[0].rejected > 0 && adm.app[0].met == adm.app[0].completed &&
	   adm.app[1].met == adm.app[1].completed,
	   "ep_admit: refuses %ld background frames, every admitted frame meets its SLO",
	   adm.app[0].rejected);
	ok(adm.slo_pct > pol.slo_pct, "admission raises overall SLO satisfaction (%.1f > %.1f)",
	   adm.slo_pct, pol.slo_pct);
}

/*
 * The kernel's aging (max_wait_ms, ep_pick_queue()): with no REALTIME or
 * HIGH stage queued, a NORMAL or BACKGROUND stage that has waited
 * max_wait_ms runs before the other such stages, so a background app is
 * served behind a NORMAL one that keeps its cluster over-full.
 */
static void test_aging(void)
{
	struct sim_app a[2] = { app("MobileV1", 8, 0, EP_PRIO_NORMAL, NULL),
				app("MobileV1", 1, 0, EP_PRIO_BACKGROUND, NULL) };
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result strict, aged;

	one_stage(&a[0], eB);
	one_stage(&a[1], eB);
	snprintf(a[1].name, sizeof(a[1].name), "bg");
	sim_run(&c, a, 2, &strict);
	c.max_wait_ms = 300;
	sim_run(&c, a, 2, &aged);
	ok(aged.app[1].p99_ms < 1000 && strict.app[1].p99_ms > 2 * aged.app[1].p99_ms,
	   "aging: the background app's p99 latency falls from %.0f to %.0f ms",
	   strict.app[1].p99_ms, aged.app[1].p99_ms);
	ok(aged.app[0].completed + aged.app[1].completed >=
	   strict.app[0].completed + strict.app[1].completed - 2,
	   "... the cluster runs as much work either way (%ld vs %ld stages)",
	   aged.app[0].completed + aged.app[1].completed,
	   strict.app[0].completed + strict.app[1].completed);
}

static void test_governors(void)
{
	struct plan_opts o = { .goal = PLAN_LATENCY, .elems = 1u << eL, .top_only = true };
	struct sim_app a = app("MobileV1", 4, 250, EP_PRIO_NORMAL, &o);
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result perf, dl, ps;
	double low = 0;

	sim_run(&c, &a, 1, &perf);
	c.gov = SIM_GOV_DEADLINE;
	sim_run(&c, &a, 1, &dl);
	for (int k = 0; k < board_top_step(b, eL); k++)
		low += dl.residency[eL][k];
	ok(dl.app[0].slo_pct == 100 && perf.app[0].slo_pct == 100,
	   "deadline governor keeps every SLO (p99 %.1f ms of 250)", dl.app[0].p99_ms);
	ok(low > 0.5 && dl.energy_j < perf.energy_j,
	   "... running LITTLE below its top %.0f %% of the time, %.1f J < %.1f J", low * 100,
	   dl.energy_j, perf.energy_j);
	ok(dl.freq_changes > 0, "... with %ld frequency switches paid for", dl.freq_changes);
	c.gov = SIM_GOV_POWERSAVE;
	sim_run(&c, &a, 1, &ps);
	ok(ps.residency[eL][0] > 0.999 && ps.app[0].p50_ms > perf.app[0].p50_ms,
	   "powersave: step 0 throughout, slower (%.1f ms)", ps.app[0].p50_ms);
	c.gov = SIM_GOV_USERSPACE;
	c.user_khz[eL] = board_element(b, eL)->khz[2];
	sim_run(&c, &a, 1, &ps);
	ok(ps.residency[eL][2] > 0.999, "userspace: the chosen frequency throughout");
}

/*
 * The kernel's pieces read each stage as the planner declares it (its own
 * speeds, safe_costs), and learn its cost from the runs (learn_costs): a
 * declaration far too low misses deadlines under the deadline governor
 * until its closed-loop reserve has widened (ep_margin_update()), or the
 * estimate has learned the stage's real time.
 */
static void test_declared_learned(void)
{
	struct plan_opts o = { .goal = PLAN_LATENCY, .elems = 1u << eB, .top_only = true };
	struct sim_app a = app("MobileV1", 4, 250, EP_PRIO_NORMAL, &o);
	struct sim_config c = cfg(SIM_GOV_DEADLINE);
	struct sim_result exact, low, learned;

	c.safe_costs = true;
	c.stage_deadlines = true;
	sim_run(&c, &a, 1, &exact);
	ok(exact.app[0].slo_pct == 100 && exact.app[0].p99_ms > 150,
	   "with its own speeds and safe cost, the stage meets every deadline, slowed to p99 %.1f ms",
	   exact.app[0].p99_ms);
	a.plan.stages[0].cost_ns /= 2;
	sim_run(&c, &a, 1, &low);
	ok(low.app[0].slo_pct < 100 && low.app[0].slo_pct > 90,
	   "declared at half its cost, %.1f %% are met: the misses widen the cluster's "
	   "reserve (closed loop) until the step covers the real cost", low.app[0].slo_pct);
	c.learn_costs = true;
	sim_run(&c, &a, 1, &learned);
	ok(learned.app[0].slo_pct > 95 && learned.app[0].met < learned.app[0].arrived,
	   "learning the cost from the runs, %.1f %% (the first run still misses)",
	   learned.app[0].slo_pct);
}

/*
 * An application with several graphs: a frame strict admission refuses
 * on its plan goes to its next graph (sim_fallbacks(): its other
 * candidates that fit the SLO alone, fastest first); a frame whose
 * deadline has passed is cancelled before it runs (drop_expired).
 */
static void test_fallback_cancel(void)
{
	static struct plan store[PLAN_MAX_CANDIDATES];
	struct sim_app a = app("MobileV1", 12, 200, EP_PRIO_HIGH, NULL);
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result one, more, byfin, late, cut;
	bool order = true, fit = true, other = true;
	int n;

	one_stage(&a, eB);
	c.admit = true;
	c.safe_costs = true;
	sim_run(&c, &a, 1, &one);
	n = sim_fallbacks(b, &a, store, PLAN_MAX_CANDIDATES);
	for (int i = 0; i < n; i++) {
		order = order && (!i || store[i].predicted.latency_ms >=
				  store[i - 1].predicted.latency_ms);
		fit = fit && store[i].predicted.latency_ms <= 200;
		other = other && !(store[i].nr_stages == 1 && store[i].stages[0].elem == eB);
	}
	ok(n > 0 && a.alts == store && a.nr_alts == n && order && fit && other,
	   "%d fallback graphs, fastest first, each fits the SLO, none is the plan", n);
	sim_run(&c, &a, 1, &more);
	ok(one.app[0].rejected > 0 && more.app[0].rejected < one.app[0].rejected / 4 &&
	   more.app[0].met > one.app[0].met + one.app[0].rejected / 2,
	   "refused frames go to the next graph: %ld -> %ld refused, %ld -> %ld met",
	   one.app[0].rejected, more.app[0].rejected, one.app[0].met, more.app[0].met);
	/* Busier: the fallbacks' order matters. */
	a.rate = 90;
	sim_run(&c, &a, 1, &more);
	c.fallback_by_finish = true;
	sim_run(&c, &a, 1, &byfin);
	a.rate = 12;
	ok(byfin.app[0].met > more.app[0].met,
	   "at %d frames/s, fallbacks by least expected finish meet %ld frames, in fixed "
	   "order %ld (%ld and %ld refused)", 90, byfin.app[0].met, more.app[0].met,
	   byfin.app[0].rejected, more.app[0].rejected);
	c.fallback_by_finish = false;

	a.alts = NULL;
	a.nr_alts = 0;
	c.admit = false;
	sim_run(&c, &a, 1, &late);
	c.drop_expired = true;
	sim_run(&c, &a, 1, &cut);
	ok(!late.app[0].dropped && cut.app[0].dropped > 0 && late.app[0].p99_ms > 1000 &&
	   cut.app[0].p99_ms <= 200 + a.plan.stages[0].time_ns / 1e6 + 1e-6,
	   "without admission, frames past their deadline are cancelled before they run: "
	   "%ld dropped, p99 %.0f -> %.1f ms", cut.app[0].dropped, late.app[0].p99_ms,
	   cut.app[0].p99_ms);
}

static void test_host_floor(void)
{
	struct sim_app a = app("MobileV1", 5, 200, EP_PRIO_NORMAL, NULL);
	struct sim_config c = cfg(SIM_GOV_DEADLINE);
	struct sim_result r;

	one_stage(&a, eN);
	sim_run(&c, &a, 1, &r);
	ok(fabs(r.app[0].p99_ms - a.plan.predicted.latency_ms) < 1e-3,
	   "the NPU's host stays at its top step while the NPU works (%.2f ms)", r.app[0].p99_ms);
}

static void test_dispatch_and_workloads(void)
{
	struct sim_app a[3] = { app("Alex", 2, 1000, EP_PRIO_NORMAL, NULL),
				app("SqueezeV1", 2, 1000, EP_PRIO_HIGH, NULL),
				app("Google", 0.5, 3000, EP_PRIO_BACKGROUND, NULL) };
	static const enum sim_dispatch d[] = { SIM_ROUND_ROBIN, SIM_BAND, SIM_HEFT };
	static const char *const dn[] = { "round robin", "Band", "HEFT" };
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result r, r2;

	a[0].arrival = SIM_BURST;
	a[0].burst = 4;
	a[1].arrival = SIM_POISSON;
	a[2].arrival = SIM_SPORADIC;
	a[2].burst = 3;
	for (size_t i = 0; i < 3; i++) {
		c.dispatch = d[i];
		c.order = d[i] == SIM_BAND ? SIM_ORDER_LST : SIM_ORDER_FIFO;
		sim_run(&c, a, 3, &r);
		ok(r.app[0].completed == r.app[0].arrived && r.app[1].completed == r.app[1].arrived &&
		   r.app[2].completed == r.app[2].arrived && r.app[2].arrived > 0,
		   "%s: bursts, Poisson and prompt-like requests all complete", dn[i]);
	}
	ok(r.app[0].arrived % 4 == 0 && r.app[2].throughput_fps ==
	   r.app[2].completed * 3 / c.duration_s, "bursts of 4; a request is 3 frames");
	sim_run(&c, a, 3, &r2);
	ok(!memcmp(&r, &r2, sizeof(r)), "same seed, same result");
	c.seed = 99;
	sim_run(&c, a, 3, &r2);
	ok(r.app[1].arrived != r2.app[1].arrived || r.app[1].p99_ms != r2.app[1].p99_ms,
	   "another seed, other Poisson arrivals");
	ok(sim_run(&c, a, 0, &r) == -EINVAL, "no app: -EINVAL");
	a[0].rate = 0;
	ok(sim_run(&c, a, 3, &r) == -EINVAL, "zero rate: -EINVAL");
}

/* Band drops a frame it expects to miss before it runs; nothing beats the bound. */
static void test_band_bound(void)
{
	struct sim_app a[2] = { app("Alex", 20, 150, EP_PRIO_NORMAL, NULL),
				app("MobileV1", 30, 100, EP_PRIO_HIGH, NULL) };
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result band, bound, ed;
	int rc;
	struct plan_opts o = { .goal = PLAN_LATENCY, .top_only = true };

	c.dispatch = SIM_BAND;
	c.order = SIM_ORDER_LST;
	sim_run(&c, a, 2, &band);
	ok(band.app[0].dropped + band.app[1].dropped > 0 &&
	   band.app[0].completed + band.app[0].dropped <= band.app[0].arrived,
	   "Band in overload drops frames it expects to miss (%ld, %ld)",
	   band.app[0].dropped, band.app[1].dropped);
	rc = sim_bound(&c, a, 2, &bound);
	ok(!rc && bound.app[0].arrived == band.app[0].arrived &&
	   bound.app[1].arrived == band.app[1].arrived,
	   "the bound sees the same arrival trace (%ld, %ld frames)",
	   bound.app[0].arrived, bound.app[1].arrived);
	ok(bound.slo_pct >= band.slo_pct && bound.app[0].slo_pct >= band.app[0].slo_pct &&
	   bound.app[1].slo_pct >= band.app[1].slo_pct,
	   "bound %.1f %% >= Band %.1f %%, per app too",
	   bound.slo_pct, band.slo_pct);
	plan_make(b, a[0].model, &o, &a[0].plan, NULL, 0);
	plan_make(b, a[1].model, &o, &a[1].plan, NULL, 0);
	c = cfg(SIM_GOV_DEADLINE);
	c.admit = true;
	c.stage_deadlines = true;
	sim_run(&c, a, 2, &ed);
	ok(bound.slo_pct >= ed.slo_pct, "bound %.1f %% >= edgeai's plans %.1f %%",
	   bound.slo_pct, ed.slo_pct);
	a[0].rate = 60;
	a[1].rate = 90;
	c.duration_s = 5;
	rc = sim_bound(&c, a, 2, &bound);
	ok(!rc && bound.slo_pct < 60 && bound.slo_pct > 0,
	   "at 3x that load the bound itself falls to %.1f %%", bound.slo_pct);
}

/* EAS: the least-energy element that fits; the earliest finish when none does. */
static void test_eas(void)
{
	struct sim_app a = app("SqueezeV1", 1, 1000, EP_PRIO_NORMAL, NULL);
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result r;
	double least = INFINITY;
	int want = -1;

	for (int e = 0; e < board_nr_elements(b); e++) {
		struct board_cost bc;

		if (board_has(b, a.model, e) &&
		    !board_stage_cost(b, a.model, 0, board_model_layers(b, a.model), e,
				      board_top_step(b, e), -1, &bc) && bc.energy_uj < least) {
			least = bc.energy_uj;
			want = e;
		}
	}
	c.dispatch = SIM_EAS;
	sim_run(&c, &a, 1, &r);
	ok(r.app[0].completed == r.app[0].arrived && r.util[want] > 0 &&
	   r.util[want] == r.util[eL] + r.util[eB] + r.util[eG] + r.util[eN],
	   "light load: every frame on the least-energy element (%s)",
	   board_element(b, want)->cluster);
	a.rate = 30;
	sim_run(&c, &a, 1, &r);
	ok(r.util[want] < r.util[eL] + r.util[eB] + r.util[eG] + r.util[eN],
	   "overloaded: frames spill to other elements");
}

/* schedutil and simple_ondemand follow the load. */
static void test_linux_gov(void)
{
	struct sim_app a[2] = { app("SqueezeV1", 2, 600, EP_PRIO_NORMAL, NULL),
				app("Alex", 2, 600, EP_PRIO_NORMAL, NULL) };
	struct sim_config c = cfg(SIM_GOV_LINUX), cp = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result r, rp;

	one_stage(&a[0], eL);
	one_stage(&a[1], eG);
	sim_run(&c, a, 2, &r);
	sim_run(&cp, a, 2, &rp);
	ok(r.freq_changes > 0 && r.energy_j < rp.energy_j,
	   "light load: %ld switches, %.1f J < performance's %.1f J", r.freq_changes,
	   r.energy_j, rp.energy_j);
	ok(r.app[0].completed == r.app[0].arrived && r.app[1].completed == r.app[1].arrived &&
	   r.app[0].p99_ms >= rp.app[0].p99_ms && r.app[1].p99_ms >= rp.app[1].p99_ms,
	   "every frame completes, no faster than at the top step (p99 %.1f, %.1f ms)",
	   r.app[0].p99_ms, r.app[1].p99_ms);
}

/*
 * edgeai's shared mode: Linux's governors with the deadline governor's
 * step as a floor.  Deadlines Linux alone misses at a tight SLO are met,
 * and the frequency never goes below what Linux alone would take for it.
 */
static void test_shared_mode(void)
{
	struct sim_app a[1] = { app("SqueezeV1", 2, 200, EP_PRIO_NORMAL, NULL) };
	struct sim_config cl = cfg(SIM_GOV_LINUX), cs = cfg(SIM_GOV_SHARED),
			  cp = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result rl, rs, rp;

	one_stage(&a[0], eL);
	sim_run(&cl, a, 1, &rl);
	sim_run(&cs, a, 1, &rs);
	sim_run(&cp, a, 1, &rp);
	ok(rs.app[0].met >= rl.app[0].met && rs.app[0].met == rp.app[0].met,
	   "shared mode meets what performance meets (%ld of %ld; Linux alone %ld)",
	   rs.app[0].met, rs.app[0].arrived, rl.app[0].met);
	ok(rs.energy_j >= rl.energy_j * 0.99 && rs.energy_j <= rp.energy_j * 1.01,
	   "its floors cost energy over Linux's alone, never more than performance "
	   "(%.1f J; Linux %.1f J, performance %.1f J)", rs.energy_j, rl.energy_j, rp.energy_j);
}

static void test_speed_cosched(void)
{
	struct sim_app a[4] = { app("MobileV1", 10, 100, EP_PRIO_REALTIME, NULL),
				app("SqueezeV1", 6, 150, EP_PRIO_HIGH, NULL),
				app("ResV1_50", 1, 1000, EP_PRIO_NORMAL, NULL),
				app("Alex", 2, 600, EP_PRIO_NORMAL, NULL) };
	struct sim_config c = cfg(SIM_GOV_DEADLINE);
	struct timespec t0, t1;
	struct sim_result r;
	double host;

	c.admit = true;
	c.stage_deadlines = true;
	c.duration_s = 60;
	ok(!sim_cosched(&c, a, 4, 8, 77), "co-scheduling picks plans for four apps");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sim_run(&c, a, 4, &r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	host = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(host < 0.5, "a minute of simulated time in %.3f s of host time (%ld events)", host,
	   r.events);
	ok(r.slo_pct > 80, "and the co-scheduled mix meets %.1f %% of its SLOs", r.slo_pct);
}

/*
 * cosched_by_app: of the same ranked combinations, the co-scheduler keeps
 * the one meeting the most per application, so on its own seed and length
 * that choice meets at least as much per application as the choice for
 * frames, and the frame choice at least as many frames.
 */
static void test_cosched_objective(void)
{
	struct sim_app a[5] = { app("MobileV1", 20, 100, EP_PRIO_REALTIME, NULL),
				app("SqueezeV1", 12, 150, EP_PRIO_HIGH, NULL),
				app("ResV1_50", 2, 1000, EP_PRIO_NORMAL, NULL),
				app("Alex", 4, 600, EP_PRIO_NORMAL, NULL),
				app("Google", 4, 600, EP_PRIO_BACKGROUND, NULL) };
	struct sim_config c = cfg(SIM_GOV_DEADLINE);
	struct sim_result rf, ra;
	struct plan pf[5];
	bool differ = false;

	c.admit = true;
	c.stage_deadlines = true;
	c.duration_s = 20;
	ok(!sim_cosched(&c, a, 5, 24, 77), "co-scheduled for frames");
	for (int i = 0; i < 5; i++)
		pf[i] = a[i].plan;
	c.cosched_by_app = true;
	ok(!sim_cosched(&c, a, 5, 24, 77), "co-scheduled per application");
	for (int i = 0; i < 5; i++)
		differ |= memcmp(&pf[i], &a[i].plan, sizeof(pf[i])) != 0;
	ok(differ, "the two objectives choose different plans for this overloaded mix");
	c.seed = 77;
	sim_run(&c, a, 5, &ra);
	for (int i = 0; i < 5; i++)
		a[i].plan = pf[i];
	sim_run(&c, a, 5, &rf);
	ok(ra.app_slo_pct >= rf.app_slo_pct - 1e-9 && rf.slo_pct >= ra.slo_pct - 1e-9,
	   "on the co-scheduler's seed, each choice is the best by its own objective "
	   "(per application %.1f >= %.1f %%, frames %.1f >= %.1f %%)",
	   ra.app_slo_pct, rf.app_slo_pct, rf.slo_pct, ra.slo_pct);
}

/*
 * stage_by_finish, the kernel's rule for stage alternatives: a ready stage
 * is queued on its plan's element or an alternative (plan_alternatives()),
 * where its class's wait plus its estimate there ends soonest
 * (ep_place_stage()), its own on a tie.
 */
static void test_stage_by_finish(void)
{
	struct sim_app a = app("MobileV1", 40, 100, EP_PRIO_HIGH, NULL);
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result fixed, moved, idle;
	double others, best_ms = INFINITY, fixed_ms;
	int best = -1;

	one_stage(&a, eB);
	fixed_ms = a.plan.predicted.latency_ms;
	sim_run(&c, &a, 1, &fixed);
	c.stage_by_finish = true;
	sim_run(&c, &a, 1, &moved);
	others = moved.util[eL] + moved.util[eG] + moved.util[eN];
	ok(fixed.util[eB] > 0.99 && fixed.util[eL] + fixed.util[eG] + fixed.util[eN] == 0 &&
	   others > 0.1 && moved.app[0].met > fixed.app[0].met,
	   "40 frames/s planned on big alone: big %.2f busy, %ld met; with alternatives, "
	   "the others %.2f busy, %ld met", fixed.util[eB], fixed.app[0].met, others,
	   moved.app[0].met);
	/* Alone, each frame goes to the element of its least estimate. */
	for (int e = 0; e < 4; e++) {
		int el = (int[]){ eL, eB, eG, eN }[e];

		one_stage(&a, el);
		if (a.plan.predicted.latency_ms < best_ms) {
			best_ms = a.plan.predicted.latency_ms;
			best = el;
		}
	}
	one_stage(&a, eB);
	a.rate = 2;
	sim_run(&c, &a, 1, &idle);
	ok(best != eB && idle.util[best] > 0 && idle.util[eB] == 0 &&
	   fabs(idle.app[0].p99_ms - best_ms) < 1e-3,
	   "at 2 frames/s each stage goes to %s, where it ends soonest (%.2f ms, big alone "
	   "%.2f ms)", board_element(b, best)->cluster, idle.app[0].p99_ms,
	   fixed_ms);
}

/*
 * A stage leaves its element only when that is busy and an alternative
 * ends strictly sooner; on a tie it stays.
 */
static void test_stage_alts_busy_tie(void)
{
	struct sim_app a = app("MobileV1", 2, 100, EP_PRIO_HIGH, NULL);
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	struct plan_alt alt[PLAN_MAX_STAGE_ALTS];
	struct sim_result quiet, busy, fixed, tie, past;
	uint64_t npu = 0;
	int n;

	c.safe_costs = true;
	c.stage_by_finish = true;
	one_stage(&a, eN);
	sim_run(&c, &a, 1, &quiet);
	ok(quiet.util[eN] > 0 && quiet.util[eL] + quiet.util[eB] + quiet.util[eG] == 0 &&
	   quiet.app[0].met == quiet.app[0].arrived,
	   "planned on the NPU, its fastest, at 2 frames/s: every frame stays there (%ld met)",
	   quiet.app[0].met);
	a.rate = 38;
	sim_run(&c, &a, 1, &busy);
	c.stage_by_finish = false;
	sim_run(&c, &a, 1, &fixed);
	ok(busy.util[eL] + busy.util[eB] + busy.util[eG] > 0.1 && busy.app[0].met > fixed.app[0].met,
	   "at 38 frames/s, past the NPU's 33, stages go where they end sooner "
	   "(others %.2f busy): %ld met against %ld on the NPU alone",
	   busy.util[eL] + busy.util[eB] + busy.util[eG], busy.app[0].met, fixed.app[0].met);
	/* Big's declaration made equal to the NPU alternative's: a tie. */
	one_stage(&a, eB);
	n = plan_alternatives(b, &a.plan, 0, alt, PLAN_MAX_STAGE_ALTS);
	for (int k = 0; k < n; k++)
		if (alt[k].st.elem == eN)
			npu = alt[k].st.cost_ns;
	a.rate = 2;
	a.plan.stages[0].cost_ns = npu;
	c.stage_by_finish = true;
	sim_run(&c, &a, 1, &tie);
	a.plan.stages[0].cost_ns = npu + 1;
	sim_run(&c, &a, 1, &past);
	ok(npu && tie.util[eB] > 0 && tie.util[eN] == 0 && past.util[eB] == 0 &&
	   past.util[eN] > 0,
	   "big declared as the NPU's alternative (%.2f ms), idle: each stage stays on big; "
	   "1 ns more and it goes to the NPU", npu / 1e6);
}

/*
 * The kernel learns a stage's cost per place: a stage declared far too
 * cheap on big runs there once, learns its real cost there, then goes to
 * the NPU; its runs there teach big's estimate nothing, so it never comes
 * back (one estimate per stage would bring it back at once).
 */
static void test_stage_alts_learn(void)
{
	struct sim_app a = app("MobileV1", 2, 0, EP_PRIO_HIGH, NULL);
	struct sim_config c = cfg(SIM_GOV_PERFORMANCE);
	struct sim_result r;
	double big_ms, runs;

	c.safe_costs = true;
	c.learn_costs = true;
	c.stage_by_finish = true;
	one_stage(&a, eB);
	big_ms = a.plan.stages[0].time_ns / 1e6;
	a.plan.stages[0].cost_ns = 1000000;
	sim_run(&c, &a, 1, &r);
	runs = r.util[eB] * r.end_s * 1e3 / big_ms;
	ok(fabs(runs - 1) < 0.01 && r.util[eN] > 0 && r.app[0].completed == r.app[0].arrived,
	   "declared 1 ms on big (%.1f ms there): it runs there %.2f times, then on the NPU "
	   "(%ld frames)", big_ms, runs, r.app[0].completed);
	c.learn_costs = false;
	sim_run(&c, &a, 1, &r);
	ok(r.util[eN] == 0 && r.util[eB] > 0,
	   "without learning the declaration holds: every frame on big");
}

int main(void)
{
	b = test_board_load();
	if (!b)
		return tap_done();
	eL = board_element_by_code(b, 'L');
	eB = board_element_by_code(b, 'B');
	eG = board_element_by_code(b, 'G');
	eN = board_element_by_code(b, 'N');
	(void)eG;
	test_timing();
	test_pipelining();
	test_order_admission();
	test_aging();
	test_governors();
	test_declared_learned();
	test_fallback_cancel();
	test_stage_by_finish();
	test_stage_alts_busy_tie();
	test_stage_alts_learn();
	test_host_floor();
	test_dispatch_and_workloads();
	test_band_bound();
	test_eas();
	test_linux_gov();
	test_shared_mode();
	test_speed_cosched();
	test_cosched_objective();
	board_free(b);
	return tap_done();
}
