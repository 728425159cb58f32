// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaid decodes an LLM session (issue 22, item 3), in the VM: a session
 * of synthetic weights (llm_weights_create()) and a KV cache, jobs that
 * run the prefill and token steps on edgeaid's worker, and the tokens they
 * generate checked against the same decode run here, in process: the
 * token limit, then the end of sequence when the model emits the eos
 * token, and a second job of the session going on from a new prompt.
 * Loaded with tests/vm/llm_decode_test.modparams.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "../../userspace/daemon/llm_session.h"
#include "../lib/edgeaid.h"
#include "../lib/tap.h"

#define EDGEAID		"/tests/edgeaid"
#define LOG		"/tmp/edgeaid.log"
#define SEED		7
#define N_PROMPT	4
#define N_OUT		24

static const struct llm_config cfg = {
	.dim = 64, .hidden = 128, .n_layers = 2, .n_heads = 4, .vocab = 96,
	.max_seq = 64,
};
static const uint32_t prompt[N_PROMPT] = { 11, 42, 7, 3 };

/* The decode of @prompt, in process: @n tokens into @out. */
static int reference(uint32_t *out, uint32_t n)
{
	float *w = malloc(llm_weights_floats(&cfg) * sizeof(float));
	float *kv = calloc(llm_kv_floats(&cfg), sizeof(float));
	struct llm_scratch *s = llm_scratch_new(&cfg);
	uint32_t i, tok;

	if (!w || !kv || !s)
		return -1;
	llm_weights_fill(&cfg, SEED, w);
	for (i = 0; i + 1 < N_PROMPT; i++)
		llm_step(&cfg, w, kv, s, i, prompt[i], NULL);
	tok = prompt[N_PROMPT - 1];
	for (i = 0; i < n; i++)
		tok = out[i] = llm_step(&cfg, w, kv, s, N_PROMPT - 1 + i, tok, NULL);
	free(w);
	free(kv);
	llm_scratch_free(s);
	return 0;
}

static struct edgeai *h;
static uint32_t graph;

static uint32_t graph_new(void)
{
	struct edgeai_stage st[2] = {
		{ .cluster_id = 0, .nr_layers = 1, .cost_ns = 5000000,
		  .in_mask = 1u << LLM_BUF_IO | 1u << LLM_BUF_WEIGHTS,
		  .out_mask = 1u << LLM_BUF_KV },
		{ .cluster_id = 0, .first_layer = 1, .nr_layers = 1,
		  .cost_ns = 1000000,
		  .in_mask = 1u << LLM_BUF_IO | 1u << LLM_BUF_WEIGHTS | 1u << LLM_BUF_KV,
		  .out_mask = 1u << LLM_BUF_IO | 1u << LLM_BUF_KV },
	};
	uint64_t sizes[LLM_NR_BUFS] = {
		[LLM_BUF_IO] = llm_io_bytes(N_PROMPT, N_OUT),
		[LLM_BUF_WEIGHTS] = llm_weights_bytes(&cfg),
		[LLM_BUF_KV] = llm_kv_bytes(&cfg),
	};
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 2, .stages = (uintptr_t)st,
		.stage_size = sizeof(st[0]), .nr_buffers = LLM_NR_BUFS,
		.buf_sizes = (uintptr_t)sizes };

	snprintf(g.name, sizeof(g.name), "llm");
	if (ioctl(edgeai_fd(h), EDGEAI_IOCTL_GRAPH_CREATE, &g)) {
		perror("graph");
		exit(2);
	}
	return g.graph_id;
}

/* A session of weights with @eos and a fresh KV cache. */
static uint32_t session_new(uint32_t eos, int *kv)
{
	struct edgeai_session_buf b[2];
	uint32_t id;
	int w = llm_weights_create(&cfg, SEED, eos);

	*kv = edgeai_buffer_create("kv", llm_kv_bytes(&cfg));
	if (w < 0 || *kv < 0) {
		fprintf(stderr, "buffers: %d %d\n", w, *kv);
		exit(2);
	}
	b[0] = (struct edgeai_session_buf){ .fd = w, .index = LLM_BUF_WEIGHTS };
	b[1] = (struct edgeai_session_buf){ .fd = *kv, .index = LLM_BUF_KV,
		.flags = EDGEAI_SESSION_BUF_STATE };
	if (edgeai_session_create(h, graph, b, 2, N_OUT, &id)) {
		perror("session");
		exit(2);
	}
	close(w);
	return id;
}

/* Runs a job of @session with @max tokens; its tokens in @out. */
static int decode(uint32_t session, uint32_t max, uint32_t *out,
		  struct edgeai_result *r, uint64_t *steps)
{
	uint64_t len = llm_io_bytes(N_PROMPT, N_OUT);
	int fds[LLM_NR_BUFS] = { -1, -1, -1 };
	struct edgeai_job_spec spec = { .graph_id = graph,
		.priority = EDGEAI_PRIO_NORMAL, .nr_buffers = LLM_NR_BUFS,
		.buf_fds = fds };
	struct llm_io *io;
	uint64_t id;
	int ret;

	fds[LLM_BUF_IO] = edgeai_buffer_create("io", len);
	io = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		  fds[LLM_BUF_IO], 0);
	if (io == MAP_FAILED)
		exit(2);
	io->n_prompt = N_PROMPT;
	io->n_out = N_OUT;
	memcpy(io + 1, prompt, sizeof(prompt));
	ret = edgeai_submit_session(h, &spec, session, max, &id);
	if (!ret)
		ret = edgeai_wait_steps(h, id, EDGEAI_WAIT_TIMEOUT,
					edgeai_now_ns() + 120000000000ull, r,
					steps, N_OUT);
	memcpy(out, (uint32_t *)(io + 1) + N_PROMPT, N_OUT * sizeof(*out));
	munmap(io, len);
	close(fds[LLM_BUF_IO]);
	return ret;
}


int main(void)
{
	uint32_t ref[N_OUT], out[N_OUT], session, eos, k, i;
	uint64_t steps[N_OUT] = { 0 };
	struct edgeai_result r;
	int kv, ret;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(EDGEAID, X_OK)) {
		skip("no edgeaid in the VM");
		return tap_done();
	}
	if (edgeai_open(&h) || reference(ref, N_OUT))
		return 2;
	graph = graph_new();
	pid = edgeaid_spawn(LOG, EDGEAID, (char *[]){ "edgeaid", "-v", NULL });
	if (!ok(wait_executors(h, 1, 1, 30000), "edgeaid attached its worker"))
		return tap_done();

	session = session_new(UINT32_MAX, &kv);
	ret = decode(session, 12, out, &r, steps);
	ok(!ret &&
	   r.wait.status == EDGEAI_JOB_DONE && r.wait.nr_tokens == 12 &&
	   r.wait.session_end == EDGEAI_SESSION_END_LIMIT,
	   "a job of 12 tokens ends at its limit (status %u, %u tokens)",
	   r.wait.status, r.wait.nr_tokens);
	ok(!memcmp(out, ref, 12 * sizeof(out[0])) && out[12] == 0,
	   "edgeaid generated the 12 tokens of the decode run here, no more");
	diag("step times (us): first %llu, last %llu",
	     (unsigned long long)(steps[0] / 1000),
	     (unsigned long long)(steps[11] / 1000));
	for (i = 0, k = 0; i < 12; i++)
		k += steps[i] > 0;
	ok(k == 12, "12 step times reported");
	edgeai_session_destroy(h, session);
	close(kv);

	/* The eos token: the first repeat of a token the decode emits. */
	eos = ref[5];
	for (k = 0; ref[k] != eos; k++)
		;
	session = session_new(eos, &kv);
	ret = decode(session, 0, out, &r, steps);
	ok(!ret &&
	   r.wait.status == EDGEAI_JOB_DONE && r.wait.nr_tokens == k + 1 &&
	   r.wait.session_end == EDGEAI_SESSION_END_EOS,
	   "eos %u: the job ends at the end of the sequence after %u tokens (got %u, end %u)",
	   eos, k + 1, r.wait.nr_tokens, r.wait.session_end);
	ok(!memcmp(out, ref, (k + 1) * sizeof(out[0])),
	   "... its tokens those of the decode run here");
	edgeai_session_destroy(h, session);
	close(kv);

	ok(edgeaid_stop(pid, 60000) == 0, "edgeaid exits cleanly");
	edgeai_close(h);
	return tap_done();
}
