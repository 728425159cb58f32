// SPDX-License-Identifier: GPL-2.0-only
/*
 * The user-space broker's run queues: see pqueue.h.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <stdlib.h>

#include "pqueue.h"

void pq_init(struct pqueue *q)
{
	q->slot = NULL;
	q->nr = 0;
	q->cap = 0;
}

void pq_free(struct pqueue *q)
{
	free(q->slot);
	pq_init(q);
}

static inline void pq_set(struct pqueue *q, uint32_t i, const struct pq_slot *s)
{
	q->slot[i] = *s;
	s->item->pos = i;
}

/* Move the slot value @s up from hole @i to where it belongs. */
static void pq_sift_up(struct pqueue *q, uint32_t i, const struct pq_slot *s)
{
	while (i) {
		uint32_t parent = (i - 1) / 2;

		if (!ep_key_before(&s->key, &q->slot[parent].key))
			break;
		pq_set(q, i, &q->slot[parent]);
		i = parent;
	}
	pq_set(q, i, s);
}

/* Move the slot value @s down from hole @i to where it belongs. */
static void pq_sift_down(struct pqueue *q, uint32_t i, const struct pq_slot *s)
{
	for (;;) {
		uint32_t child = 2 * i + 1;

		if (child >= q->nr)
			break;
		if (child + 1 < q->nr &&
		    ep_key_before(&q->slot[child + 1].key, &q->slot[child].key))
			child++;
		if (!ep_key_before(&q->slot[child].key, &s->key))
			break;
		pq_set(q, i, &q->slot[child]);
		i = child;
	}
	pq_set(q, i, s);
}

int pq_push(struct pqueue *q, struct pq_item *item, const struct ep_key *key)
{
	struct pq_slot s = { .key = *key, .item = item };

	if (q->nr == q->cap) {
		uint32_t cap = q->cap ? 2 * q->cap : 64;
		struct pq_slot *n = realloc(q->slot, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		q->slot = n;
		q->cap = cap;
	}
	q->nr++;
	pq_sift_up(q, q->nr - 1, &s);
	return 0;
}

struct pq_item *pq_peek(const struct pqueue *q)
{
	return q->nr ? q->slot[0].item : NULL;
}

void pq_remove(struct pqueue *q, struct pq_item *item)
{
	uint32_t i = item->pos;
	struct pq_slot last;

	item->pos = PQ_NONE;
	last = q->slot[--q->nr];
	if (i == q->nr)
		return;
	/* The last slot fills the hole, then goes up or down. */
	if (i && ep_key_before(&last.key, &q->slot[(i - 1) / 2].key))
		pq_sift_up(q, i, &last);
	else
		pq_sift_down(q, i, &last);
}

struct pq_item *pq_pop(struct pqueue *q)
{
	struct pq_item *item = pq_peek(q);

	if (item)
		pq_remove(q, item);
	return item;
}
