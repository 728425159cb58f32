// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaid's run of LLM session stages (llm_session.c) on the host, with
 * the buffers a session job carries as memfds and fetches made up here:
 * the tokens are those of llm.c run directly, the weights and KV cache
 * are mapped once per session (a later step works without their
 * descriptors), a second session evicts nothing it needs, and malformed
 * buffers are refused.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../userspace/daemon/llm_session.h"
#include "../lib/tap.h"

#define N_PROMPT	3
#define N_OUT		8

static const struct llm_config cfg = {
	.dim = 32, .hidden = 64, .n_layers = 2, .n_heads = 4, .vocab = 50, .max_seq = 16,
};
static const uint32_t prompt[N_PROMPT] = { 5, 17, 2 };

static void reference(uint64_t seed, uint32_t *out, uint32_t n)
{
	float *w = malloc(llm_weights_floats(&cfg) * sizeof(float));
	float *kv = calloc(llm_kv_floats(&cfg), sizeof(float));
	struct llm_scratch *s = llm_scratch_new(&cfg);
	uint32_t i, tok;

	llm_weights_fill(&cfg, seed, w);
	for (i = 0; i + 1 < N_PROMPT; i++)
		llm_step(&cfg, w, kv, s, i, prompt[i], NULL);
	tok = prompt[N_PROMPT - 1];
	for (i = 0; i < n; i++)
		tok = out[i] = llm_step(&cfg, w, kv, s, N_PROMPT - 1 + i, tok, NULL);
	free(w);
	free(kv);
	llm_scratch_free(s);
}

struct job {
	int io, w, kv;
	uint32_t *tok;
	size_t io_len;
};

static void job_new(struct job *j, uint64_t seed, uint32_t eos)
{
	struct llm_io *io;

	j->io_len = llm_io_bytes(N_PROMPT, N_OUT);
	j->io = edgeai_buffer_create("io", j->io_len);
	j->w = llm_weights_create(&cfg, seed, eos);
	j->kv = edgeai_buffer_create("kv", llm_kv_bytes(&cfg));
	io = mmap(NULL, j->io_len, PROT_READ | PROT_WRITE, MAP_SHARED, j->io, 0);
	if (j->io < 0 || j->w < 0 || j->kv < 0 || io == MAP_FAILED)
		exit(2);
	io->n_prompt = N_PROMPT;
	io->n_out = N_OUT;
	j->tok = (uint32_t *)(io + 1);
	memcpy(j->tok, prompt, sizeof(prompt));
}

/* A fetch of stage @stage (1: a token step @token) of session @key. */
static int run(struct llm_sessions *ls, const struct job *j, uint64_t key,
	       uint32_t stage, uint32_t token, int *eos)
{
	struct edgeai_task t;
	unsigned int i;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < 64; i++)
		t.buf_fds[i] = -1;
	t.buf_fds[LLM_BUF_IO] = j->io;
	t.buf_fds[LLM_BUF_WEIGHTS] = j->w;
	t.buf_fds[LLM_BUF_KV] = j->kv;
	t.fetch.session_key = key;
	t.fetch.stage = stage;
	t.fetch.nr_stages = 2;
	t.fetch.nr_buffers = LLM_NR_BUFS;
	if (stage == 1) {
		t.fetch.fetch_flags = EDGEAI_FETCH_TOKEN_STEP;
		t.fetch.token = token;
	}
	return llm_session_run(ls, &t, eos);
}

int main(void)
{
	struct llm_sessions *ls = llm_sessions_new();
	uint32_t ref[N_OUT], ref2[N_OUT], i, k;
	struct job a, b;
	bool same = true;
	int eos = 0, ret;

	reference(1, ref, N_OUT);
	reference(2, ref2, N_OUT);
	job_new(&a, 1, UINT32_MAX);
	ok(!run(ls, &a, 10, 0, 0, &eos) && !eos, "the prefill runs");
	for (i = 0; i < 3; i++)
		same &= !run(ls, &a, 10, 1, i, &eos) && !eos;
	/* Mapped once per session: its descriptors are no longer needed. */
	close(a.w);
	close(a.kv);
	a.w = a.kv = -1;
	for (; i < N_OUT; i++)
		same &= !run(ls, &a, 10, 1, i, &eos) && !eos;
	ok(same && !memcmp(a.tok + N_PROMPT, ref, sizeof(ref)),
	   "the token steps generate llm.c's tokens, the later ones without the session's descriptors");
	ok(run(ls, &a, 10, 1, N_OUT, &eos) == -ENOSPC,
	   "a step past the token buffer's room: ENOSPC");

	/* Another session with its own weights, then the first again. */
	job_new(&b, 2, ref2[3]);
	for (k = 0; ref2[k] != ref2[3]; k++)
		;
	ret = run(ls, &b, 11, 0, 0, &eos);
	for (i = 0; !ret && !eos && i < N_OUT; i++)
		ret = run(ls, &b, 11, 1, i, &eos);
	ok(!ret && eos && i == k + 1 && !memcmp(b.tok + N_PROMPT, ref2, (k + 1) * sizeof(uint32_t)),
	   "a second session ends at its eos token after %u steps (want %u)", i, k + 1);
	ok(!run(ls, &a, 10, 1, 0, &eos),
	   "the first session is still mapped: its step runs without descriptors");

	/* Malformed buffers. */
	job_new(&b, 3, 0);
	ok(run(ls, &b, 12, 0, 0, &eos) == 0, "a third session's prefill runs");
	{
		int kv = edgeai_buffer_create("small", llm_kv_bytes(&cfg) - 4);

		close(b.kv);
		b.kv = kv;
		ok(run(ls, &b, 13, 0, 0, &eos) == -EINVAL,
		   "a KV cache smaller than the header's model: EINVAL");
	}
	{
		int w = edgeai_buffer_create("w", llm_weights_bytes(&cfg));

		close(b.w);
		b.w = w;
		ok(run(ls, &b, 14, 0, 0, &eos) == -EINVAL, "weights without the magic: EINVAL");
	}
	ok(run(ls, &a, 15, 0, 0, &eos) == -EINVAL,
	   "a new session without its descriptors: EINVAL");
	llm_sessions_free(ls);
	return tap_done();
}
