// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaid's decoder (llm.h).
 *
 * Weights, in this order, float32: the token embedding (vocab x dim, also
 * the output projection); per layer the attention RMSNorm weight (dim),
 * Wq, Wk, Wv, Wo (dim x dim each), the MLP RMSNorm weight (dim), W1 and
 * W3 (hidden x dim) and W2 (dim x hidden); the final RMSNorm weight (dim).
 * Matrices are row-major, out x in.  The KV cache holds, per layer, the
 * keys of max_seq positions then their values (max_seq x dim each).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "llm.h"

#define RMS_EPS		1e-5f
#define ROPE_THETA	10000.0f

struct llm_scratch {
	float *x, *xb, *q, *att, *hb, *hb2, *logits;
};

/* Per-layer offsets into the weights, in floats. */
struct layer_w {
	const float *rms_att, *wq, *wk, *wv, *wo, *rms_ffn, *w1, *w3, *w2;
};

static size_t layer_floats(const struct llm_config *c)
{
	size_t d = c->dim, h = c->hidden;

	return 2 * d + 4 * d * d + 3 * h * d;
}

int llm_config_check(const struct llm_config *c)
{
	double floats;

	if (!c->dim || !c->hidden || !c->n_layers || !c->n_heads || !c->vocab ||
	    !c->max_seq || c->dim % c->n_heads || (c->dim / c->n_heads) % 2)
		return -EINVAL;
	/* In doubles first: the products below must not wrap. */
	floats = (double)c->vocab * c->dim + (double)c->n_layers *
		 (2.0 * c->dim + 4.0 * c->dim * c->dim + 3.0 * c->hidden * c->dim) +
		 c->dim + 2.0 * c->n_layers * c->max_seq * c->dim;
	if (floats * sizeof(float) > (double)(SIZE_MAX / 2))
		return -EOVERFLOW;
	return 0;
}

size_t llm_weights_floats(const struct llm_config *c)
{
	return (size_t)c->vocab * c->dim + c->n_layers * layer_floats(c) + c->dim;
}

size_t llm_kv_floats(const struct llm_config *c)
{
	return 2 * (size_t)c->n_layers * c->max_seq * c->dim;
}

static struct layer_w layer_at(const struct llm_config *c, const float *w, uint32_t l)
{
	size_t d = c->dim, h = c->hidden;
	const float *p = w + (size_t)c->vocab * d + l * layer_floats(c);
	struct layer_w lw;

	lw.rms_att = p;
	p += d;
	lw.wq = p;
	p += d * d;
	lw.wk = p;
	p += d * d;
	lw.wv = p;
	p += d * d;
	lw.wo = p;
	p += d * d;
	lw.rms_ffn = p;
	p += d;
	lw.w1 = p;
	p += h * d;
	lw.w3 = p;
	p += h * d;
	lw.w2 = p;
	return lw;
}

/* xorshift64*: a small generator whose output is the same everywhere. */
static uint64_t next_u64(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* Uniform in [-scale, scale). */
static void fill_uniform(float *p, size_t n, float scale, uint64_t *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = scale * (float)((double)(next_u64(s) >> 11) / (double)(1ull << 52) - 1.0);
}

static void fill_ones(float *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = 1.0f;
}

void llm_weights_fill(const struct llm_config *c, uint64_t seed, float *w)
{
	size_t d = c->dim, h = c->hidden;
	uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
	float *p = w;
	uint32_t l;

	/*
	 * Each matrix scaled by 1/sqrt(fan-in), so activations stay O(1);
	 * the embedding smaller, so that the blocks, not the input token
	 * alone, decide the next token.
	 */
	fill_uniform(p, (size_t)c->vocab * d, 0.1f, &s);
	p += (size_t)c->vocab * d;
	for (l = 0; l < c->n_layers; l++) {
		fill_ones(p, d);
		p += d;
		fill_uniform(p, 4 * d * d, 1.0f / sqrtf((float)d), &s);
		p += 4 * d * d;
		fill_ones(p, d);
		p += d;
		fill_uniform(p, 2 * h * d, 1.0f / sqrtf((float)d), &s);
		p += 2 * h * d;
		fill_uniform(p, d * h, 1.0f / sqrtf((float)h), &s);
		p += d * h;
	}
	fill_ones(p, d);
}

struct llm_scratch *llm_scratch_new(const struct llm_config *c)
{
	struct llm_scratch *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->x = calloc(c->dim, sizeof(float));
	s->xb = calloc(c->dim, sizeof(float));
	s->q = calloc(c->dim, sizeof(float));
	s->att = calloc(c->max_seq, sizeof(float));
	s->hb = calloc(c->hidden, sizeof(float));
	s->hb2 = calloc(c->hidden, sizeof(float));
	s->logits = calloc(c->vocab, sizeof(float));
	if (!s->x || !s->xb || !s->q || !s->att || !s->hb || !s->hb2 || !s->logits) {
		llm_scratch_free(s);
		return NULL;
	}
	return s;
}

void llm_scratch_free(struct llm_scratch *s)
{
	if (!s)
		return;
	free(s->x);
	free(s->xb);
	free(s->q);
	free(s->att);
	free(s->hb);
	free(s->hb2);
	free(s->logits);
	free(s);
}

static void rmsnorm(float *out, const float *x, const float *weight, uint32_t n)
{
	float ss = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		ss += x[i] * x[i];
	ss = 1.0f / sqrtf(ss / (float)n + RMS_EPS);
	for (i = 0; i < n; i++)
		out[i] = weight[i] * x[i] * ss;
}

/* out (rows) = W (rows x cols) . in (cols) */
static void matvec(float *out, const float *w, const float *in, uint32_t rows, uint32_t cols)
{
	uint32_t r, k;

	for (r = 0; r < rows; r++) {
		const float *row = w + (size_t)r * cols;
		float acc = 0;

		for (k = 0; k < cols; k++)
			acc += row[k] * in[k];
		out[r] = acc;
	}
}

/* Rotates each head's pairs (2i, 2i+1) by pos x theta^(-2i/head_dim). */
static void rope(float *v, uint32_t dim, uint32_t head_dim, uint32_t pos)
{
	uint32_t i;

	for (i = 0; i < dim; i += 2) {
		float freq = powf(ROPE_THETA, -(float)(i % head_dim) / (float)head_dim);
		float a = (float)pos * freq, cs = cosf(a), sn = sinf(a);
		float x0 = v[i], x1 = v[i + 1];

		v[i] = x0 * cs - x1 * sn;
		v[i + 1] = x0 * sn + x1 * cs;
	}
}

static void softmax(float *x, uint32_t n)
{
	float max = x[0], sum = 0;
	uint32_t i;

	for (i = 1; i < n; i++)
		if (x[i] > max)
			max = x[i];
	for (i = 0; i < n; i++) {
		x[i] = expf(x[i] - max);
		sum += x[i];
	}
	for (i = 0; i < n; i++)
		x[i] /= sum;
}

static void attention(const struct llm_config *c, struct llm_scratch *s,
		      const float *keys, const float *values, uint32_t pos)
{
	uint32_t hd = c->dim / c->n_heads, h, t, i;
	float scale = 1.0f / sqrtf((float)hd);

	for (h = 0; h < c->n_heads; h++) {
		const float *q = s->q + h * hd;
		float *out = s->xb + h * hd;

		for (t = 0; t <= pos; t++) {
			const float *k = keys + (size_t)t * c->dim + h * hd;
			float dot = 0;

			for (i = 0; i < hd; i++)
				dot += q[i] * k[i];
			s->att[t] = dot * scale;
		}
		softmax(s->att, pos + 1);
		for (i = 0; i < hd; i++)
			out[i] = 0;
		for (t = 0; t <= pos; t++) {
			const float *v = values + (size_t)t * c->dim + h * hd;

			for (i = 0; i < hd; i++)
				out[i] += s->att[t] * v[i];
		}
	}
}

uint32_t llm_step(const struct llm_config *c, const float *w, float *kv,
		  struct llm_scratch *s, uint32_t pos, uint32_t token,
		  float *logits)
{
	uint32_t d = c->dim, hd = d / c->n_heads, l, i, best = 0;
	const float *embed = w;
	size_t plane = (size_t)c->max_seq * d;

	for (i = 0; i < d; i++)
		s->x[i] = embed[(size_t)token * d + i];
	for (l = 0; l < c->n_layers; l++) {
		struct layer_w lw = layer_at(c, w, l);
		float *keys = kv + 2 * l * plane, *values = keys + plane;
		float *k = keys + (size_t)pos * d, *v = values + (size_t)pos * d;

		rmsnorm(s->xb, s->x, lw.rms_att, d);
		matvec(s->q, lw.wq, s->xb, d, d);
		matvec(k, lw.wk, s->xb, d, d);
		matvec(v, lw.wv, s->xb, d, d);
		rope(s->q, d, hd, pos);
		rope(k, d, hd, pos);
		attention(c, s, keys, values, pos);
		matvec(s->q, lw.wo, s->xb, d, d);	/* q is free again */
		for (i = 0; i < d; i++)
			s->x[i] += s->q[i];

		rmsnorm(s->xb, s->x, lw.rms_ffn, d);
		matvec(s->hb, lw.w1, s->xb, c->hidden, d);
		matvec(s->hb2, lw.w3, s->xb, c->hidden, d);
		for (i = 0; i < c->hidden; i++) {
			float a = s->hb[i];

			s->hb[i] = a / (1.0f + expf(-a)) * s->hb2[i];	/* SiLU gate */
		}
		matvec(s->xb, lw.w2, s->hb, d, c->hidden);
		for (i = 0; i < d; i++)
			s->x[i] += s->xb[i];
	}
	rmsnorm(s->xb, s->x, w + (size_t)c->vocab * d + c->n_layers * layer_floats(c), d);
	matvec(s->logits, embed, s->xb, c->vocab, d);
	for (i = 1; i < c->vocab; i++)
		if (s->logits[i] > s->logits[best])
			best = i;
	if (logits)
		for (i = 0; i < c->vocab; i++)
			logits[i] = s->logits[i];
	return best;
}

uint64_t llm_step_bytes(const struct llm_config *c, uint32_t pos)
{
	/* Every layer's weights, the embedding row and the whole output
	 * matrix (tied), the cache up to pos in both planes. */
	return ((uint64_t)c->n_layers * layer_floats(c) + (uint64_t)c->vocab * c->dim +
		c->dim + 2ull * c->n_layers * (pos + 1) * c->dim) * sizeof(float);
}
