// SPDX-License-Identifier: GPL-2.0-only
/*
 * Run-queue order.
 *
 * REALTIME and HIGH (capability-gated) are strict: priority class first,
 * then earliest deadline, then arrival.  A stage without a deadline sorts
 * after every stage of its class that has one (ep_key_before()).
 *
 * NORMAL and BACKGROUND are shared fairly between users: each user has a
 * flow per class on each cluster, ordered by ep_key_before() (earliest
 * deadline first within the user), and the flows take turns by deficit
 * round robin (ep_fair_pick()), charged with the kernel's estimates of the
 * stages.  NORMAL runs before BACKGROUND.  So that nothing waits forever
 * (BACKGROUND behind a busy NORMAL, a user's deadline-less stage behind its
 * own stream of urgent ones), a fair stage that has waited max_wait runs
 * before every other fair stage, oldest first (ep_pick_queue()).
 *
 * Bounds, with L executors on the cluster, C the longest stage (by the
 * estimates, at the step in force) and REALTIME and HIGH work aside:
 *  - A user's stage at the head of its flow, with U users having queued
 *    stages of its class, starts within (U - 1) * (Q + C) + C of work
 *    (Q the quantum): each other flow runs at most Q + C per turn.
 *  - Any NORMAL or BACKGROUND stage starts within
 *    ep_fair_wait_bound() = max_wait + (ceil(A / L) + 1) * C, where A is
 *    the number of fair stages queued before it that are still waiting
 *    when it reaches max_wait (at most the cluster's queued stages).
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include "policy.h"

/**
 * ep_key_before() - whether a stage runs before another on one cluster
 * @a: one stage's key
 * @b: the other's
 *
 * Return: true when @a is more urgent than @b.
 */
bool ep_key_before(const struct ep_key *a, const struct ep_key *b)
{
	if (a->prio != b->prio)
		return a->prio < b->prio;
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

/**
 * ep_fair_activate() - a flow got work, or its next stage changed
 * @q: the class's round robin
 * @f: the flow
 * @head_cost: estimate of the stage it runs next
 *
 * A flow new to the ring goes last, with no deficit.
 */
void ep_fair_activate(struct ep_fair *q, struct ep_flow *f, u64 head_cost)
{
	f->head_cost = head_cost;
	if (f->active)
		return;
	f->active = true;
	f->deficit = 0;
	f->credited = false;
	if (!q->head) {
		f->prev = f;
		f->next = f;
		q->head = f;
		return;
	}
	/* Last: just before the head. */
	f->next = q->head;
	f->prev = q->head->prev;
	f->prev->next = f;
	q->head->prev = f;
}

/**
 * ep_fair_deactivate() - a flow has no more work
 * @q: the class's round robin
 * @f: the flow
 *
 * Its deficit is lost: an idle user does not save up turns.
 */
void ep_fair_deactivate(struct ep_fair *q, struct ep_flow *f)
{
	if (!f->active)
		return;
	if (f->next == f) {
		q->head = NULL;
	} else {
		f->prev->next = f->next;
		f->next->prev = f->prev;
		if (q->head == f)
			q->head = f->next;
	}
	f->prev = NULL;
	f->next = NULL;
	f->active = false;
	f->deficit = 0;
	f->credited = false;
}

/**
 * ep_fair_pick() - the flow whose next stage runs now
 * @q: the class's round robin
 *
 * Charges the flow with its next stage's estimate.  A flow's turn gives it
 * the quantum, or its next stage's estimate when that is larger (so a
 * stage longer than the quantum waits one turn, not many); it runs stages
 * while its deficit covers them, then the next flow's turn starts.  The
 * caller takes the flow's next stage, then calls ep_fair_activate() with
 * the new next stage's estimate or ep_fair_deactivate().
 *
 * Return: the flow, NULL when no flow has work.
 */
struct ep_flow *ep_fair_pick(struct ep_fair *q)
{
	struct ep_flow *f;

	/* Two rounds at most: a flow just credited always runs. */
	while ((f = q->head)) {
		if (!f->credited) {
			f->deficit += q->quantum;
			if (f->deficit < f->head_cost)
				f->deficit = f->head_cost;
			f->credited = true;
		}
		if (f->deficit >= f->head_cost) {
			f->deficit -= f->head_cost;
			return f;
		}
		/* Its turn is over; the deficit carries to the next. */
		f->credited = false;
		q->head = f->next;
	}
	return NULL;
}

/**
 * ep_pick_queue() - which queue a cluster serves next
 * @q: what is queued
 *
 * Return: &enum ep_pick.
 */
enum ep_pick ep_pick_queue(const struct ep_queues *q)
{
	if (q->nr_strict)
		return EP_PICK_STRICT;
	if (!q->nr_normal && !q->nr_background)
		return EP_PICK_NONE;
	if (q->max_wait_ns && q->now >= q->oldest_ns &&
	    q->now - q->oldest_ns >= q->max_wait_ns)
		return EP_PICK_AGED;
	return q->nr_normal ? EP_PICK_NORMAL : EP_PICK_BACKGROUND;
}

/**
 * ep_fair_wait_bound() - longest wait of a NORMAL or BACKGROUND stage
 * @max_wait_ns: the aging bound
 * @aged_ahead: fair stages queued before it and still waiting when it
 *	reaches @max_wait_ns
 * @lanes: executors on the cluster (0 counts as 1)
 * @max_stage_ns: the longest stage, at the step in force
 *
 * REALTIME and HIGH work, strict by design, comes on top.
 *
 * Return: max_wait + (ceil(aged_ahead / lanes) + 1) * max_stage, in ns
 * (saturating).
 */
u64 ep_fair_wait_bound(u64 max_wait_ns, u32 aged_ahead, u32 lanes,
		       u64 max_stage_ns)
{
	u64 rounds, b;

	if (!lanes)
		lanes = 1;
	rounds = div64_u64(aged_ahead + (u64)lanes - 1, lanes) + 1;
	if (max_stage_ns && rounds > div64_u64(U64_MAX, max_stage_ns))
		return U64_MAX;
	b = rounds * max_stage_ns;
	return b > U64_MAX - max_wait_ns ? U64_MAX : b + max_wait_ns;
}
