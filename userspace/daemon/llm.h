/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeaid's decoder: one token step of a small transformer language model
 * (RMSNorm, rotary position embedding, multi-head attention over a KV
 * cache, a SwiGLU MLP, tied input and output embeddings, greedy
 * sampling), in plain C over float32 buffers that a session would hold
 * as sealed memfds: the weights (read only) and the KV cache (written at
 * the step's position, read up to it).  Its cost is real: every step
 * reads all the weights and the cache so far, so it grows with the
 * context.  Host-tested (tests/unit/edgeaid_llm_test.c).
 */
#ifndef EDGEAID_LLM_H
#define EDGEAID_LLM_H

#include <stddef.h>
#include <stdint.h>

/**
 * struct llm_config - the shape of a model
 * @dim: width of the residual stream
 * @hidden: width of the MLP
 * @n_layers: transformer blocks
 * @n_heads: attention heads; @dim / @n_heads is even (rotary pairs)
 * @vocab: tokens
 * @max_seq: positions the KV cache holds
 */
struct llm_config {
	uint32_t dim, hidden, n_layers, n_heads, vocab, max_seq;
};

/* 0, or -EINVAL (a zero size, heads that do not divide dim into even
 * halves) or -EOVERFLOW (buffers beyond what a size_t counts). */
int llm_config_check(const struct llm_config *c);
/* Floats in the weights and in the KV cache. */
size_t llm_weights_floats(const struct llm_config *c);
size_t llm_kv_floats(const struct llm_config *c);
/* Deterministic synthetic weights from @seed: the same seed, the same
 * model, on every machine. */
void llm_weights_fill(const struct llm_config *c, uint64_t seed, float *w);

struct llm_scratch;
struct llm_scratch *llm_scratch_new(const struct llm_config *c);
void llm_scratch_free(struct llm_scratch *s);

/*
 * Runs @token at position @pos (< max_seq): writes the key and value of
 * @pos in every layer of @kv, attends over positions 0..@pos, and returns
 * the most likely next token.  @logits, if not NULL, gets the vocab's
 * scores.
 */
uint32_t llm_step(const struct llm_config *c, const float *w, float *kv,
		  struct llm_scratch *s, uint32_t pos, uint32_t token,
		  float *logits);
/* Bytes a step at @pos reads from the weights and the cache: its memory
 * traffic, what bounds it on an edge CPU. */
uint64_t llm_step_bytes(const struct llm_config *c, uint32_t pos);

#endif /* EDGEAID_LLM_H */
