// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaid's decoder: shapes refused, weights the same for a seed, a decode
 * that depends on the cache it wrote and on nothing past its position,
 * RMSNorm and attention checked against a direct computation, and a
 * memory traffic that grows with the context.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../userspace/daemon/llm.h"
#include "../lib/tap.h"

static const struct llm_config small = {
	.dim = 32, .hidden = 64, .n_layers = 2, .n_heads = 4, .vocab = 50, .max_seq = 16,
};

struct model {
	float *w, *kv;
	struct llm_scratch *s;
};

static int model_new(struct model *m, const struct llm_config *c, uint64_t seed)
{
	m->w = malloc(llm_weights_floats(c) * sizeof(float));
	m->kv = calloc(llm_kv_floats(c), sizeof(float));
	m->s = llm_scratch_new(c);
	if (!m->w || !m->kv || !m->s)
		return -1;
	llm_weights_fill(c, seed, m->w);
	return 0;
}

static void model_free(struct model *m)
{
	free(m->w);
	free(m->kv);
	llm_scratch_free(m->s);
}

/* Greedy decode of @n tokens from @first; the tokens in @out. */
static void decode(const struct llm_config *c, struct model *m, uint32_t first, uint32_t n,
		   uint32_t *out)
{
	uint32_t pos, tok = first;

	for (pos = 0; pos < n; pos++)
		out[pos] = tok = llm_step(c, m->w, m->kv, m->s, pos, tok, NULL);
}

static void test_config(void)
{
	struct llm_config c = small;

	ok(llm_config_check(&c) == 0, "a sound shape is taken");
	c.n_heads = 5;
	ok(llm_config_check(&c) == -EINVAL, "heads that do not divide dim are refused");
	c = small;
	c.n_heads = 32;	/* head dim 1: no rotary pair */
	ok(llm_config_check(&c) == -EINVAL, "an odd head dimension is refused");
	c = small;
	c.vocab = 0;
	ok(llm_config_check(&c) == -EINVAL, "an empty vocabulary is refused");
	c = small;
	c.dim = c.hidden = c.vocab = c.max_seq = 0x40000000;
	c.n_heads = 2;
	ok(llm_config_check(&c) == -EOVERFLOW, "a shape whose buffers wrap a size_t is refused");
	ok(llm_weights_floats(&small) == 50 * 32 + 2 * (2 * 32 + 4 * 32 * 32 + 3 * 64 * 32) + 32,
	   "the weights' size is embedding, layers and final norm");
	ok(llm_kv_floats(&small) == 2 * 2 * 16 * 32, "the cache holds keys and values per layer");
}

static void test_determinism(void)
{
	struct model a, b, c;
	uint32_t ta[12], tb[12], tc[12];

	if (model_new(&a, &small, 7) || model_new(&b, &small, 7) || model_new(&c, &small, 8)) {
		ok(0, "models allocated");
		return;
	}
	ok(!memcmp(a.w, b.w, llm_weights_floats(&small) * sizeof(float)),
	   "the same seed gives the same weights");
	ok(memcmp(a.w, c.w, llm_weights_floats(&small) * sizeof(float)) != 0,
	   "another seed gives other weights");
	decode(&small, &a, 3, 12, ta);
	decode(&small, &b, 3, 12, tb);
	decode(&small, &c, 3, 12, tc);
	ok(!memcmp(ta, tb, sizeof(ta)), "the same model decodes the same tokens");
	ok(memcmp(ta, tc, sizeof(ta)) != 0, "another model decodes others");
	model_free(&a);
	model_free(&b);
	model_free(&c);
}

static void test_cache(void)
{
	struct model m;
	float before[50], after[50], again[50];
	size_t plane = (size_t)small.max_seq * small.dim, i;
	uint32_t tok = 3, pos;
	int finite = 1;

	if (model_new(&m, &small, 11)) {
		ok(0, "model allocated");
		return;
	}
	for (pos = 0; pos < 5; pos++)
		tok = llm_step(&small, m.w, m.kv, m.s, pos, tok, NULL);
	/* Positions past 5 hold NaN: a step at 5 must not read them. */
	for (i = 0; i < plane; i++)
		if (i >= 6 * (size_t)small.dim) {
			m.kv[i] = NAN;
			m.kv[plane + i] = NAN;
			m.kv[2 * plane + i] = NAN;
			m.kv[3 * plane + i] = NAN;
		}
	llm_step(&small, m.w, m.kv, m.s, 5, tok, before);
	for (i = 0; i < 50; i++)
		finite &= isfinite(before[i]);
	ok(finite, "a step reads no position past its own");
	llm_step(&small, m.w, m.kv, m.s, 5, tok, again);
	ok(!memcmp(before, again, sizeof(before)),
	   "a step run again at the same position gives the same scores");
	/* Change what position 0 holds in layer 0: the step at 5 sees it. */
	for (i = 0; i < small.dim; i++)
		m.kv[plane + i] += 1.0f;
	llm_step(&small, m.w, m.kv, m.s, 5, tok, after);
	ok(memcmp(before, after, sizeof(before)) != 0, "a step attends over the cached values");
	model_free(&m);
}

/* With one layer whose attention and MLP weights are zero, the output is
 * the tied embedding against the normalised input embedding: computed
 * here directly. */
static void test_reference(void)
{
	struct llm_config c = { .dim = 8, .hidden = 8, .n_layers = 1, .n_heads = 2, .vocab = 5,
				.max_seq = 4 };
	struct model m;
	float logits[5], x[8], ss = 0, err = 0;
	size_t layer0 = (size_t)c.vocab * c.dim, i, j;
	uint32_t tok = 2, best;

	if (model_new(&m, &c, 3)) {
		ok(0, "model allocated");
		return;
	}
	/* Zero Wq..Wo and the MLP, keep the norms at 1. */
	memset(m.w + layer0 + c.dim, 0, 4 * c.dim * c.dim * sizeof(float));
	memset(m.w + layer0 + 2 * c.dim + 4 * c.dim * c.dim, 0, 3 * c.hidden * c.dim * sizeof(float));
	best = llm_step(&c, m.w, m.kv, m.s, 0, tok, logits);
	for (i = 0; i < c.dim; i++)
		ss += m.w[tok * c.dim + i] * m.w[tok * c.dim + i];
	ss = 1.0f / sqrtf(ss / c.dim + 1e-5f);
	for (i = 0; i < c.dim; i++)
		x[i] = m.w[tok * c.dim + i] * ss;
	for (j = 0; j < c.vocab; j++) {
		float want = 0;

		for (i = 0; i < c.dim; i++)
			want += m.w[j * c.dim + i] * x[i];
		err = fmaxf(err, fabsf(want - logits[j]));
	}
	ok(err < 1e-4f, "scores are the tied embedding against the RMS-normalised input (max error %g)",
	   (double)err);
	for (j = 0; j < c.vocab; j++)
		if (logits[j] > logits[best])
			break;
	ok(j == c.vocab, "greedy sampling takes the highest score");
	model_free(&m);
}

static void test_traffic(void)
{
	uint64_t b0 = llm_step_bytes(&small, 0), b7 = llm_step_bytes(&small, 7);

	ok(b7 - b0 == 7ull * 2 * small.n_layers * small.dim * sizeof(float),
	   "each position of context adds its keys and values of every layer to a step's reads");
	ok(b0 > llm_weights_floats(&small) * sizeof(float) - small.dim * sizeof(float),
	   "a step reads every weight");
}

int main(void)
{
	test_config();
	test_determinism();
	test_cache();
	test_reference();
	test_traffic();
	return tap_done();
}
