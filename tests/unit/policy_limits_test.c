// SPDX-License-Identifier: GPL-2.0-only
/*
 * kmod/policy at the edges of what CLUSTER_SET_MODEL and the clusters
 * parameter accept (hardening, issue 10): power figures up to U32_MAX mW,
 * idle power as large, switch costs up to 1 s, estimates up to 1000 s.
 * A decision must still be the right one, not one an overflow picked.
 */
#include "../../kmod/policy/policy.h"
#include "../lib/tap.h"

#define MS	1000000ULL
#define S	(1000 * MS)

/*
 * Two steps: the low one draws 1.8 GW (as a cluster model may say, up to
 * 4.29 GW), the top one 1 W.  Eight seconds of work at the top step: the
 * low step takes the whole 10 s horizon, and its energy, 1.8e19 pJ,
 * wrapped past 2^64 to 6e9 pJ, below the top step's 8e12 pJ.
 */
static void test_energy_overflow(void)
{
	const struct ep_opp opp[] = {
		{ .khz = 500000, .power_mw = 1844674408 },
		{ .khz = 1000000, .power_mw = 1000 },
	};
	struct ep_cluster_model m = { .opp = opp, .nr_opp = 2 };
	struct ep_work w = { .work_ns = 8 * S, .deadline = EP_NO_DEADLINE };
	struct ep_gov_in in = { .model = &m, .now = 1, .cur = 1, .lanes = 1,
				.work = &w, .nr_work = 1 };
	struct ep_gov_out out;

	ep_gov_deadline(&in, &out);
	ok(out.step == 1, "deadline governor keeps the 1 W step over the 1.8 GW one (chose %u)",
	   out.step);
	ok(out.energy_pj >= 8000ULL * 1000 * 1000 * 1000,
	   "and its energy is at least 8e12 pJ (%llu)", (unsigned long long)out.energy_pj);

	/* The largest power a model may give: no wrap either. */
	{
		const struct ep_opp o2[] = {
			{ .khz = 500000, .power_mw = 0xffffffff },
			{ .khz = 1000000, .power_mw = 0xfffffff0 },
			{ .khz = 2000000, .power_mw = 5000 },
		};
		struct ep_cluster_model m2 = { .opp = o2, .nr_opp = 3,
					       .switch_up_ns = S, .switch_down_ns = S };

		in.model = &m2;
		in.cur = 2;
		ep_gov_deadline(&in, &out);
		ok(out.step == 2, "with U32_MAX mW at the lower steps the 5 W top step is kept (chose %u)",
		   out.step);
	}
}

int main(void)
{
	test_energy_overflow();
	return tap_done();
}
