/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An indexed binary min-heap of queued stages, ordered by the policy's
 * ep_key_before(), the comparator the kernel's run queues use.
 *
 * Each slot keeps a copy of its key next to the item pointer, so sifting
 * compares keys in one contiguous array without touching the items; the
 * item only learns its slot, which makes removing an arbitrary item (a
 * cancelled job) O(log n) like rb_erase() in the kernel.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_BENCH_PQUEUE_H
#define EDGEAI_BENCH_PQUEUE_H

#include <stdint.h>

#include "../../kmod/policy/policy.h"

/* Not on any queue. */
#define PQ_NONE		UINT32_MAX

/**
 * struct pq_item - embedded in whatever is queued
 * @pos: its slot in the heap, %PQ_NONE when not queued
 */
struct pq_item {
	uint32_t pos;
};

struct pq_slot {
	struct ep_key key;
	struct pq_item *item;
};

/**
 * struct pqueue - the heap
 * @slot: slot[0] is the most urgent
 * @nr: slots in use
 * @cap: slots allocated
 */
struct pqueue {
	struct pq_slot *slot;
	uint32_t nr;
	uint32_t cap;
};

void pq_init(struct pqueue *q);
void pq_free(struct pqueue *q);
/* 0, or -ENOMEM (the item is then not queued). */
int pq_push(struct pqueue *q, struct pq_item *item, const struct ep_key *key);
/* The most urgent item, or NULL; pq_pop() takes it off. */
struct pq_item *pq_peek(const struct pqueue *q);
struct pq_item *pq_pop(struct pqueue *q);
/* Take a queued item off, wherever it is. */
void pq_remove(struct pqueue *q, struct pq_item *item);

static inline uint32_t pq_len(const struct pqueue *q)
{
	return q->nr;
}

static inline void pq_item_init(struct pq_item *item)
{
	item->pos = PQ_NONE;
}

#endif /* EDGEAI_BENCH_PQUEUE_H */
