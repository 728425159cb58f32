/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The buffers of an LLM session as edgeaid's decoder reads them, and its
 * run of a session job's stages.
 *
 * A session graph's job buffers (kmod: SESSION_CREATE):
 *   0  the job's tokens, its own: struct llm_io, then the prompt's
 *      n_prompt tokens, then room for n_out generated tokens (__u32 each)
 *   1  the weights, constant: struct llm_weights_header, then the
 *      llm_weights_floats() floats of llm_weights_fill()
 *   2  the KV cache, the session's state: llm_kv_floats() floats
 * Stage 0 is the prefill: it runs the prompt but its last token through
 * the model, filling the cache.  The token step t feeds the prompt's last
 * token (t = 0) or the token step t - 1 generated, at position
 * n_prompt - 1 + t, writes the next token to out[t], and ends the job
 * (EDGEAI_COMPLETE_EOS) when that is the header's eos token.  Other
 * stages before the last do nothing.
 */
#ifndef EDGEAID_LLM_SESSION_H
#define EDGEAID_LLM_SESSION_H

#include <stdint.h>

#include <edgeai.h>

#include "llm.h"

#define LLM_BUF_IO	0
#define LLM_BUF_WEIGHTS	1
#define LLM_BUF_KV	2
#define LLM_NR_BUFS	3

#define LLM_MAGIC	0x4d4c4941u	/* "AILM" */

/**
 * struct llm_weights_header - the start of a weights buffer
 * @magic: %LLM_MAGIC
 * @eos: the token that ends a sequence
 * @config: the model's shape
 * @seed: the seed of llm_weights_fill() the floats came from
 */
struct llm_weights_header {
	uint32_t magic;
	uint32_t eos;
	struct llm_config config;
	uint64_t seed;
};

/**
 * struct llm_io - the start of a job's token buffer
 * @n_prompt: prompt tokens, at least 1
 * @n_out: room for generated tokens after them
 */
struct llm_io {
	uint32_t n_prompt;
	uint32_t n_out;
};

/* Bytes of a weights buffer, of a KV cache, of a token buffer. */
uint64_t llm_weights_bytes(const struct llm_config *c);
uint64_t llm_kv_bytes(const struct llm_config *c);
uint64_t llm_io_bytes(uint32_t n_prompt, uint32_t n_out);
/*
 * A weights buffer for @c filled from @seed (a memfd sealed against writes,
 * see edgeai_buffer_create_const()): its descriptor, or -errno.
 */
int llm_weights_create(const struct llm_config *c, uint64_t seed, uint32_t eos);

struct llm_sessions;
struct llm_sessions *llm_sessions_new(void);
void llm_sessions_free(struct llm_sessions *ls);
/*
 * Run a fetched stage of a session job (task->fetch.session_key != 0):
 * the session's buffers are mapped on its first stage this worker sees
 * and kept for its next ones.  0 with *eos set when the step generated
 * the end of the sequence, or -errno (the stage's status).
 */
int llm_session_run(struct llm_sessions *ls, const struct edgeai_task *task,
		    int *eos);

#endif /* EDGEAID_LLM_SESSION_H */
