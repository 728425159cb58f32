// SPDX-License-Identifier: GPL-2.0-only
/*
 * Session freezing: whether an LLM session's next token step may be
 * dispatched on its cluster, or waits ("frozen") because a running
 * pipeline of a higher class would miss deadlines if it did.
 *
 * A token step, once dispatched, holds one of the cluster's executors to
 * its end: a REALTIME frame that arrives meanwhile waits for it.  So a
 * step may start only when the higher-class work gains nothing from its
 * absence, as Twill freezes an LLM below a camera pipeline:
 *
 *  - the higher-class stages queued or running on the cluster still end
 *    by their deadlines with the step run first (its time taken from the
 *    lanes before theirs), and
 *  - the pipeline's recent jobs ended with more margin than a step takes:
 *    the next frame, not yet queued, may arrive just after the step
 *    starts and wait for all of it.
 *
 * A frozen session thaws only with twice the margin it froze under
 * (hysteresis), so that the slack a frozen session gives back does not
 * thaw it at once only to freeze it again at the next frame.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "policy.h"

/*
 * Whether the urgent stages end by their deadlines, with @need to spare,
 * when @first (a token step's time at the current step) runs before them.
 * Stages are spread over the lanes as ep_gov_check() spreads them.
 */
static bool ep_session_fits(const struct ep_session_in *in, u64 first,
			    u64 need)
{
	u32 lanes = in->lanes ? in->lanes : 1;
	u64 cum = first;
	u32 i;

	for (i = 0; i < in->nr_urgent; i++) {
		const struct ep_work *w = &in->urgent[i];
		u64 own = ep_stage_time(in->model, w->speed, w->work_ns,
					in->step);
		u64 end;

		cum += own;
		end = div64_u64(cum, lanes);
		if (end < own)
			end = own;
		/* A deadline already past is late whatever the session does. */
		if (w->deadline == EP_NO_DEADLINE || w->deadline <= in->now)
			continue;
		if (w->deadline - in->now < end ||
		    w->deadline - in->now - end < need)
			return false;
	}
	return true;
}

/**
 * ep_session_frozen() - whether a session's token steps wait
 * @in: the session's cluster and the work of higher classes on it
 *
 * A session whose step has no cost estimate yet (@in->step_work_ns 0) is
 * judged by its higher-class neighbours alone.  With no executor on the
 * cluster nothing is dispatched anyway, and the session is not frozen.
 *
 * Return: true when the session's next token step must not be dispatched
 * now.
 */
bool ep_session_frozen(const struct ep_session_in *in)
{
	u64 step_ns, need;

	if (!in->lanes)
		return false;
	step_ns = ep_scale_time(in->model, in->step_work_ns, in->step);
	/* Margin a thaw needs: one more step's worth than a freeze does. */
	need = in->frozen ? step_ns : 0;
	/* A recent miss (no slack at all) freezes, estimate or not. */
	if (in->recent_slack_ns != U64_MAX &&
	    (!in->recent_slack_ns || in->recent_slack_ns < step_ns + need))
		return true;
	return !ep_session_fits(in, step_ns, need);
}
