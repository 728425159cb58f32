// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frequency-governor decisions.
 *
 * performance, powersave and userspace pick a fixed step.  deadline picks
 * the step of least energy that still lets every queued stage meet its
 * job's deadline:
 *
 *  - A step is feasible when, running the stages in queue order from now
 *    on (after the time a switch to it costs), each ends by its deadline
 *    with a reserve in hand: a share of the time left to it, a quarter
 *    unless the cluster's closed-loop margin (ep_margin_update()) says
 *    otherwise.
 *  - Energy is counted over a horizon that ends at the last deadline (or
 *    when the slowest step would finish the work): the cluster computes at
 *    the step's power, stalls at the higher step's power while switching,
 *    and idles for the rest.  Comparing whole horizons is what tells when
 *    racing to idle beats running slow: with a high idle or static power
 *    the faster step wins.
 *  - Going down is worth it only when it saves more than a later switch
 *    back up would cost (up-switches cost milliseconds on real boards), so
 *    the decision does not flap.
 *  - With no feasible step the cluster runs at its highest step, which
 *    keeps the misses as few as it can.
 *  - A stage whose deadline has already passed is late whatever the
 *    step: it counts as load, but no longer steers the frequency (else
 *    one job with a missed deadline would hold a cluster at its top).
 *  - An idle cluster keeps its step for a while before it drops to the
 *    lowest (ep_idle_hold_ns()): work that comes back periodically (a
 *    camera's next frame) would otherwise pay a switch down and up again
 *    each time, and start at the wrong speed.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "policy.h"

static u64 ep_switch_ns(const struct ep_cluster_model *m, u32 from, u32 to)
{
	if (to > from)
		return m->switch_up_ns;
	if (to < from)
		return m->switch_down_ns;
	return 0;
}

static u32 ep_lanes(const struct ep_gov_in *in)
{
	return in->lanes ? in->lanes : 1;
}

/*
 * The deadline governor keeps a share of the time left to each deadline in
 * hand (&struct ep_gov_in's reserve, a quarter unless the caller's
 * ep_margin says otherwise).  Planning a stage to end just at its deadline
 * leaves nothing for what the cluster cannot see when it decides: work of
 * a higher class that arrives meanwhile and runs first, a lower-class
 * stage that starts just before a later stage of the job reaches its
 * cluster and runs to its end, a host that runs slower than the stage's
 * speeds assume.  The reserve shrinks as the deadline nears, and each
 * re-decision (at half the least slack) speeds up if it must.
 */
static u32 ep_reserve(const struct ep_gov_in *in)
{
	if (!in->reserve)
		return EP_MARGIN_DEFAULT;
	return in->reserve < EP_MARGIN_ONE ? in->reserve : EP_MARGIN_ONE;
}

/*
 * Whether every stage ends by its deadline at @step, less @reserve
 * (1/EP_MARGIN_ONE, 0: none) of the time left to it; see ep_gov_check().
 */
static bool ep_check(const struct ep_gov_in *in, u32 step, u32 reserve,
		     u64 *slack_ns)
{
	const struct ep_cluster_model *m = in->model;
	u64 start = in->now + ep_switch_ns(m, in->cur, step);
	u64 cum = 0, slack = U64_MAX;
	u32 lanes = ep_lanes(in);
	u32 i;

	for (i = 0; i < in->nr_work; i++) {
		const struct ep_work *w = &in->work[i];
		u64 own = ep_stage_time(m, w->speed, w->work_ns, step);
		u64 end, due;

		cum += own;
		/* Spread over the lanes, but no stage beats its own length. */
		end = div64_u64(cum, lanes);
		if (end < own)
			end = own;
		end += start;
		if (w->deadline == EP_NO_DEADLINE || w->deadline <= in->now)
			continue;
		due = w->deadline;
		if (reserve) {
			u64 left = due - in->now;

			/* left x reserve / ONE, exact and without overflow. */
			due -= (left >> EP_MARGIN_SHIFT) * reserve +
			       (((left & (EP_MARGIN_ONE - 1)) * reserve) >> EP_MARGIN_SHIFT);
		}
		if (end > due) {
			*slack_ns = 0;
			return false;
		}
		if (due - end < slack)
			slack = due - end;
	}
	*slack_ns = slack;
	return true;
}

/**
 * ep_gov_check() - whether every deadline is met at a step
 * @in: the cluster's queued work
 * @step: the step to try
 * @slack_ns: where to store the smallest margin to a deadline (U64_MAX
 *	when no stage has one, 0 when one is missed)
 *
 * Return: true when each stage ends by its deadline.
 */
bool ep_gov_check(const struct ep_gov_in *in, u32 step, u64 *slack_ns)
{
	return ep_check(in, step, 0, slack_ns);
}

static u64 ep_total_work(const struct ep_gov_in *in)
{
	u64 sum = in->extra_work_ns;
	u32 i;

	for (i = 0; i < in->nr_work; i++)
		sum += in->work[i].work_ns;
	return sum;
}

/*
 * Busy time (switch included) at a step for all of the queued work: the
 * listed stages at their own speeds, the rest at the cluster's.
 */
static u64 ep_busy_ns(const struct ep_gov_in *in, u32 step)
{
	u64 t = ep_scale_time(in->model, in->extra_work_ns, step);
	u32 i;

	for (i = 0; i < in->nr_work; i++)
		t += ep_stage_time(in->model, in->work[i].speed,
				   in->work[i].work_ns, step);
	return ep_switch_ns(in->model, in->cur, step) +
	       div64_u64(t, ep_lanes(in));
}

/* Longest horizon an energy comparison looks at: 10 s. */
#define EP_MAX_HORIZON_NS	(10ULL * 1000 * 1000 * 1000)

static u64 ep_horizon(const struct ep_gov_in *in)
{
	u64 end = in->now + ep_busy_ns(in, 0);
	u32 i;

	for (i = 0; i < in->nr_work; i++)
		if (in->work[i].deadline != EP_NO_DEADLINE &&
		    in->work[i].deadline > end)
			end = in->work[i].deadline;
	end -= in->now;
	return end < EP_MAX_HORIZON_NS ? end : EP_MAX_HORIZON_NS;
}

/*
 * Energies are mW x ns (pJ): a model may give up to 4.29e9 mW, and over
 * a 10 s horizon that passes 2^64.  Saturate, so that a costly step never
 * wraps round to look cheap.
 */
static u64 ep_mul_sat(u64 a, u64 b)
{
	return b && a > div64_u64(U64_MAX, b) ? U64_MAX : a * b;
}

static u64 ep_add_sat(u64 a, u64 b)
{
	return a > U64_MAX - b ? U64_MAX : a + b;
}

static u64 ep_energy(const struct ep_gov_in *in, u64 horizon, u32 step)
{
	const struct ep_cluster_model *m = in->model;
	u64 sw = ep_switch_ns(m, in->cur, step);
	u64 busy = ep_busy_ns(in, step);
	u32 stall_step = step > in->cur ? step : in->cur;
	u64 e;

	if (busy > horizon)
		busy = horizon;
	if (sw > busy)
		sw = busy;
	e = ep_mul_sat(ep_power_mw(m, step), busy - sw);
	e = ep_add_sat(e, ep_mul_sat(ep_power_mw(m, stall_step), sw));
	return ep_add_sat(e, ep_mul_sat(m->idle_mw, horizon - busy));
}

static void ep_fixed(const struct ep_gov_in *in, u32 step,
		     struct ep_gov_out *out)
{
	out->hold_ns = 0;
	out->step = step;
	out->feasible = ep_gov_check(in, step, &out->slack_ns);
	out->energy_pj = ep_energy(in, ep_horizon(in), step);
}

/**
 * ep_gov_performance() - always the highest step
 * @in: the cluster's queued work
 * @out: the decision
 */
void ep_gov_performance(const struct ep_gov_in *in, struct ep_gov_out *out)
{
	ep_fixed(in, in->model->nr_opp - 1, out);
}

/**
 * ep_gov_powersave() - always the lowest step
 * @in: the cluster's queued work
 * @out: the decision
 */
void ep_gov_powersave(const struct ep_gov_in *in, struct ep_gov_out *out)
{
	ep_fixed(in, 0, out);
}

/**
 * ep_gov_userspace() - the step a user chose
 * @in: the cluster's queued work
 * @khz: the chosen frequency, rounded down to a step
 * @out: the decision
 */
void ep_gov_userspace(const struct ep_gov_in *in, u32 khz,
		      struct ep_gov_out *out)
{
	ep_fixed(in, ep_step_of_khz(in->model, khz), out);
}

/* Least hold when switches cost (nearly) nothing: 4 ms. */
#define EP_MIN_IDLE_HOLD_NS	(4ULL * 1000 * 1000)

/**
 * ep_idle_hold_ns() - how long an idle cluster keeps its step
 * @m: the cluster
 *
 * Four times a switch down and back up: idling for less would spend more
 * of the time switching than computing.
 *
 * Return: the hold in ns.
 */
u64 ep_idle_hold_ns(const struct ep_cluster_model *m)
{
	u64 hold = 4 * (m->switch_up_ns + m->switch_down_ns);

	return hold > EP_MIN_IDLE_HOLD_NS ? hold : EP_MIN_IDLE_HOLD_NS;
}

/**
 * ep_gov_deadline() - the least-energy step that meets every deadline
 * @in: the cluster's queued work
 * @out: the decision
 *
 * Every deadline with its reserve (@in->reserve of the time left to it);
 * the highest step when no step does.  @out->slack_ns is the margin to the
 * reserve.
 */
void ep_gov_deadline(const struct ep_gov_in *in, struct ep_gov_out *out)
{
	const struct ep_cluster_model *m = in->model;
	u64 total = ep_total_work(in);
	u64 horizon = ep_horizon(in);
	u64 best_e = U64_MAX, cur_e = U64_MAX, slack, best_slack = 0;
	u32 best = m->nr_opp, s;
	bool cur_ok = false;

	if (!total) {
		u64 hold = ep_idle_hold_ns(m);

		/* Nothing to do: idle at the lowest step, after the hold. */
		if (in->idle_ns >= hold || !in->cur) {
			ep_fixed(in, 0, out);
			return;
		}
		ep_fixed(in, in->cur, out);
		out->hold_ns = hold - in->idle_ns;
		return;
	}

	for (s = 0; s < m->nr_opp; s++) {
		u64 e;

		if (!ep_check(in, s, ep_reserve(in), &slack))
			continue;
		e = ep_energy(in, horizon, s);
		if (s == in->cur) {
			cur_ok = true;
			cur_e = e;
		}
		if (e < best_e) {
			best_e = e;
			best = s;
			best_slack = slack;
		}
	}

	if (best == m->nr_opp) {
		ep_fixed(in, m->nr_opp - 1, out);
		return;
	}

	/*
	 * Stay where we are unless the saving pays for the switch back up
	 * that new work would likely need.
	 */
	if (cur_ok && best < in->cur &&
	    cur_e - best_e <= ep_mul_sat(ep_power_mw(m, in->cur), m->switch_up_ns)) {
		best = in->cur;
		best_e = cur_e;
		ep_check(in, best, ep_reserve(in), &best_slack);
	}

	out->step = best;
	out->feasible = true;
	out->slack_ns = best_slack;
	out->energy_pj = best_e;
	out->hold_ns = 0;
}

/*
 * The closed loop: a miss widens the reserve by EP_MARGIN_UP, a deadline
 * met narrows it by EP_MARGIN_DOWN, so it settles where about one job in
 * EP_MARGIN_UP / EP_MARGIN_DOWN + 1 (129) of those the cluster ran misses.
 * A miss the cluster's step could have avoided pulls the step up fast; a
 * reserve no miss calls for is given back slowly, as energy.  Under
 * overload (misses whatever the step) it stays at EP_MARGIN_MAX, about the
 * top step, which keeps the misses fewest.
 */
#define EP_MARGIN_UP	(EP_MARGIN_ONE / 8)
#define EP_MARGIN_DOWN	1U

/**
 * ep_margin_init() - a reserve of a quarter of the time left
 * @m: the margin
 */
void ep_margin_init(struct ep_margin *m)
{
	m->reserve = EP_MARGIN_DEFAULT;
}

/**
 * ep_margin_update() - adapt a cluster's reserve to a job it ran a stage of
 * @m: the margin
 * @missed: the job ended after its deadline, or was cancelled late
 */
void ep_margin_update(struct ep_margin *m, bool missed)
{
	u32 r = m->reserve;

	if (r < EP_MARGIN_MIN || r > EP_MARGIN_MAX)
		r = EP_MARGIN_DEFAULT;
	if (missed)
		r = r + EP_MARGIN_UP < EP_MARGIN_MAX ? r + EP_MARGIN_UP : EP_MARGIN_MAX;
	else
		r = r - EP_MARGIN_DOWN > EP_MARGIN_MIN ? r - EP_MARGIN_DOWN : EP_MARGIN_MIN;
	m->reserve = r;
}
