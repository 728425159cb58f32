// SPDX-License-Identifier: GPL-2.0-only
/*
 * LLM sessions in edgeaid: the prefill and the token steps of a session
 * job, on llm.c, over the session's weights and KV cache mapped once per
 * session (by its key) and kept while its steps come.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "llm_session.h"

/* Sessions a worker keeps mapped; the least recently used goes first. */
#define LLM_SESSIONS_KEPT	4

struct llm_map {
	uint64_t key;		/* 0: free */
	uint64_t used;		/* for least recently used */
	const struct llm_weights_header *hdr;
	size_t w_len;
	float *kv;
	size_t kv_len;
	struct llm_scratch *scratch;
};

struct llm_sessions {
	struct llm_map map[LLM_SESSIONS_KEPT];
	uint64_t clock;
};

uint64_t llm_weights_bytes(const struct llm_config *c)
{
	return sizeof(struct llm_weights_header) +
	       (uint64_t)llm_weights_floats(c) * sizeof(float);
}

uint64_t llm_kv_bytes(const struct llm_config *c)
{
	return (uint64_t)llm_kv_floats(c) * sizeof(float);
}

uint64_t llm_io_bytes(uint32_t n_prompt, uint32_t n_out)
{
	return sizeof(struct llm_io) + ((uint64_t)n_prompt + n_out) * sizeof(uint32_t);
}

int llm_weights_create(const struct llm_config *c, uint64_t seed, uint32_t eos)
{
	struct llm_weights_header *hdr;
	uint64_t len;
	int fd, ret;

	ret = llm_config_check(c);
	if (ret)
		return ret;
	len = llm_weights_bytes(c);
	hdr = malloc(len);
	if (!hdr)
		return -ENOMEM;
	*hdr = (struct llm_weights_header){ .magic = LLM_MAGIC, .eos = eos,
					    .config = *c, .seed = seed };
	llm_weights_fill(c, seed, (float *)(hdr + 1));
	fd = edgeai_buffer_create_const("edgeai-llm-weights", hdr, len);
	free(hdr);
	return fd;
}

struct llm_sessions *llm_sessions_new(void)
{
	return calloc(1, sizeof(struct llm_sessions));
}

static void llm_map_drop(struct llm_map *m)
{
	if (m->hdr)
		munmap((void *)m->hdr, m->w_len);
	if (m->kv)
		munmap(m->kv, m->kv_len);
	llm_scratch_free(m->scratch);
	memset(m, 0, sizeof(*m));
}

void llm_sessions_free(struct llm_sessions *ls)
{
	unsigned int i;

	if (!ls)
		return;
	for (i = 0; i < LLM_SESSIONS_KEPT; i++)
		llm_map_drop(&ls->map[i]);
	free(ls);
}

static int fd_size(int fd, size_t *len)
{
	struct stat st;

	if (fd < 0)
		return -EINVAL;
	if (fstat(fd, &st) < 0)
		return -errno;
	*len = (size_t)st.st_size;
	return 0;
}

/* Map a session's weights and cache, checking they fit the header. */
static int llm_map_open(struct llm_map *m, const struct edgeai_task *task)
{
	int wfd = task->buf_fds[LLM_BUF_WEIGHTS], kvfd = task->buf_fds[LLM_BUF_KV];
	const struct llm_weights_header *hdr;
	void *p;
	int ret;

	ret = fd_size(wfd, &m->w_len);
	if (!ret)
		ret = fd_size(kvfd, &m->kv_len);
	if (ret)
		return ret;
	if (m->w_len < sizeof(*hdr) || !m->kv_len)
		return -EINVAL;
	p = mmap(NULL, m->w_len, PROT_READ, MAP_SHARED, wfd, 0);
	if (p == MAP_FAILED)
		return -errno;
	m->hdr = hdr = p;
	if (hdr->magic != LLM_MAGIC || llm_config_check(&hdr->config) ||
	    m->w_len < llm_weights_bytes(&hdr->config) ||
	    m->kv_len < llm_kv_bytes(&hdr->config))
		return -EINVAL;
	p = mmap(NULL, m->kv_len, PROT_READ | PROT_WRITE, MAP_SHARED, kvfd, 0);
	if (p == MAP_FAILED)
		return -errno;
	m->kv = p;
	m->scratch = llm_scratch_new(&hdr->config);
	return m->scratch ? 0 : -ENOMEM;
}

/* The session's mapping: kept, or made in the least recently used slot. */
static int llm_map_get(struct llm_sessions *ls, const struct edgeai_task *task,
		       struct llm_map **out)
{
	uint64_t key = task->fetch.session_key;
	struct llm_map *m = &ls->map[0];
	unsigned int i;
	int ret;

	for (i = 0; i < LLM_SESSIONS_KEPT; i++) {
		if (ls->map[i].key == key) {
			m = &ls->map[i];
			goto found;
		}
		if (ls->map[i].used < m->used)
			m = &ls->map[i];
	}
	llm_map_drop(m);
	ret = llm_map_open(m, task);
	if (ret) {
		llm_map_drop(m);
		return ret;
	}
	m->key = key;
found:
	m->used = ++ls->clock;
	*out = m;
	return 0;
}

int llm_session_run(struct llm_sessions *ls, const struct edgeai_task *task,
		    int *eos)
{
	const struct edgeai_exec_fetch *f = &task->fetch;
	const struct llm_config *c;
	struct llm_map *m;
	struct llm_io *io;
	uint32_t *tok, t, pos, i, next;
	size_t io_len = 0;
	int ret;

	*eos = 0;
	if (!(f->fetch_flags & EDGEAI_FETCH_TOKEN_STEP) && f->stage)
		return 0;
	ret = llm_map_get(ls, task, &m);
	if (!ret)
		ret = fd_size(task->buf_fds[LLM_BUF_IO], &io_len);
	if (ret)
		return ret;
	if (io_len < sizeof(*io))
		return -EINVAL;
	io = mmap(NULL, io_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		  task->buf_fds[LLM_BUF_IO], 0);
	if (io == MAP_FAILED)
		return -errno;
	c = &m->hdr->config;
	tok = (uint32_t *)(io + 1);
	ret = -EINVAL;
	if (!io->n_prompt || io->n_prompt > c->max_seq ||
	    llm_io_bytes(io->n_prompt, io->n_out) > io_len)
		goto out;
	for (i = 0; i < io->n_prompt; i++)
		if (tok[i] >= c->vocab)
			goto out;
	ret = 0;
	if (!(f->fetch_flags & EDGEAI_FETCH_TOKEN_STEP)) {
		/* The prefill: every prompt token but the last. */
		for (i = 0; i + 1 < io->n_prompt; i++)
			llm_step(c, (const float *)(m->hdr + 1), m->kv, m->scratch, i,
				 tok[i], NULL);
		goto out;
	}
	t = f->token;
	pos = io->n_prompt - 1 + t;
	ret = -ENOSPC;
	if (t >= io->n_out || pos >= c->max_seq)
		goto out;
	ret = -EINVAL;
	if (t && tok[io->n_prompt + t - 1] >= c->vocab)
		goto out;
	next = llm_step(c, (const float *)(m->hdr + 1), m->kv, m->scratch, pos,
			t ? tok[io->n_prompt + t - 1] : tok[io->n_prompt - 1], NULL);
	tok[io->n_prompt + t] = next;
	*eos = next == m->hdr->eos;
	ret = 0;
out:
	munmap(io, io_len);
	return ret;
}
