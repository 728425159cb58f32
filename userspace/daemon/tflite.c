// SPDX-License-Identifier: GPL-2.0-only
/*
 * .tflite models: a bounds-checked flatbuffer reader for the few tables a
 * cut needs, the cut itself, and a writer for the sub-model's new head.
 * See tflite.h for the convention.
 *
 * Flatbuffers in brief: little-endian; a table starts with a signed
 * offset back to its vtable (u16 vtable size, u16 table size, then one
 * u16 offset per field, 0 for absent); references are u32 offsets forward
 * from where they are stored; vectors are a u32 count then the elements.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "tflite.h"

/* Field numbers in the TFLite schema (version 3). */
enum { MODEL_VERSION, MODEL_OPCODES, MODEL_SUBGRAPHS, MODEL_DESCRIPTION, MODEL_BUFFERS };
enum { SUBGRAPH_TENSORS, SUBGRAPH_INPUTS, SUBGRAPH_OUTPUTS, SUBGRAPH_OPERATORS, SUBGRAPH_NAME };
enum { TENSOR_SHAPE, TENSOR_TYPE, TENSOR_BUFFER };
enum { OPERATOR_OPCODE, OPERATOR_INPUTS, OPERATOR_OUTPUTS };
enum { BUFFER_DATA };

/* Limits that keep a hostile file from asking for absurd allocations. */
#define TFL_MAX_TENSORS	(1u << 20)
#define TFL_MAX_OPS	(1u << 16)

struct fb_table {
	size_t pos, vt;
	uint16_t vt_len, tbl_len;
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	errbuf_vset(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool in_file(const struct tfl_model *m, size_t pos, size_t n)
{
	return pos <= m->len && n <= m->len - pos;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int fb_table_at(const struct tfl_model *m, size_t pos, struct fb_table *t)
{
	int64_t vt;

	if (pos % 4 || !in_file(m, pos, 4))
		return -1;
	vt = (int64_t)pos - (int32_t)get32(m->buf + pos);
	if (vt < 0 || vt % 2 || !in_file(m, (size_t)vt, 4))
		return -1;
	t->pos = pos;
	t->vt = (size_t)vt;
	t->vt_len = get16(m->buf + vt);
	t->tbl_len = get16(m->buf + vt + 2);
	if (t->vt_len < 4 || t->vt_len % 2 || !in_file(m, t->vt, t->vt_len) ||
	    t->tbl_len < 4 || !in_file(m, pos, t->tbl_len))
		return -1;
	return 0;
}

/* Where field @idx of @size bytes sits, 0 when absent, -1 when broken. */
static int64_t fb_field(const struct tfl_model *m, const struct fb_table *t,
			unsigned int idx, size_t size)
{
	size_t slot = 4 + 2 * (size_t)idx;
	uint16_t off;

	if (slot + 2 > t->vt_len)
		return 0;
	off = get16(m->buf + t->vt + slot);
	if (!off)
		return 0;
	if (off < 4 || off + size > t->tbl_len)
		return -1;
	return (int64_t)(t->pos + off);
}

static int fb_u32(const struct tfl_model *m, const struct fb_table *t,
		  unsigned int idx, uint32_t def, uint32_t *v)
{
	int64_t f = fb_field(m, t, idx, 4);

	if (f < 0)
		return -1;
	*v = f ? get32(m->buf + f) : def;
	return 0;
}

static int fb_i8(const struct tfl_model *m, const struct fb_table *t,
		 unsigned int idx, int8_t def, int8_t *v)
{
	int64_t f = fb_field(m, t, idx, 1);

	if (f < 0)
		return -1;
	*v = f ? (int8_t)m->buf[f] : def;
	return 0;
}

/* Follow the reference stored at @pos; the target must be in the file. */
static int fb_deref(const struct tfl_model *m, size_t pos, size_t *target)
{
	uint32_t off;

	if (!in_file(m, pos, 4))
		return -1;
	off = get32(m->buf + pos);
	if (!off || off > m->len - pos)
		return -1;
	*target = pos + off;
	return 0;
}

/*
 * A vector field: its position (of the count) or 0 when absent, its
 * count, with @elem-byte elements all inside the file.
 */
static int fb_vector(const struct tfl_model *m, const struct fb_table *t,
		     unsigned int idx, size_t elem, size_t *vpos, uint32_t *count)
{
	int64_t f = fb_field(m, t, idx, 4);
	size_t v;

	*vpos = 0;
	*count = 0;
	if (f <= 0)
		return (int)f;
	if (fb_deref(m, (size_t)f, &v) || v % 4 || !in_file(m, v, 4))
		return -1;
	*count = get32(m->buf + v);
	if (!in_file(m, v + 4, (size_t)*count * elem))
		return -1;
	*vpos = v;
	return 0;
}

/* Element @i of a vector of tables. */
static int fb_vector_table(const struct tfl_model *m, size_t vpos, uint32_t i,
			   struct fb_table *t)
{
	size_t target;

	return fb_deref(m, vpos + 4 + 4 * (size_t)i, &target) ||
	       fb_table_at(m, target, t) ? -1 : 0;
}

/* Copy an int vector field into @dst (room for @cap), count to @n. */
static int fb_ints(const struct tfl_model *m, const struct fb_table *t,
		   unsigned int idx, int32_t *dst, uint32_t cap, uint32_t *n)
{
	size_t v;
	uint32_t i;

	if (fb_vector(m, t, idx, 4, &v, n) || *n > cap)
		return -1;
	for (i = 0; i < *n; i++)
		dst[i] = (int32_t)get32(m->buf + v + 4 + 4 * (size_t)i);
	return 0;
}

uint64_t tfl_tensor_bytes(const struct tfl_tensor *t)
{
	static const uint8_t size[] = {
		[0] = 4,	/* FLOAT32 */
		[1] = 2,	/* FLOAT16 */
		[2] = 4,	/* INT32 */
		[3] = 1,	/* UINT8 */
		[4] = 8,	/* INT64 */
		[6] = 1,	/* BOOL */
		[7] = 2,	/* INT16 */
		[9] = 1,	/* INT8 */
	};

	if (t->type < 0 || (size_t)t->type >= sizeof(size))
		return 0;
	return t->elems * size[t->type];
}

static int parse_tensor(struct tfl_model *m, const struct fb_table *t,
			struct tfl_tensor *out)
{
	size_t v;
	uint32_t n, i;

	if (fb_u32(m, t, TENSOR_BUFFER, 0, &out->buffer) ||
	    fb_i8(m, t, TENSOR_TYPE, 0, &out->type) ||
	    fb_vector(m, t, TENSOR_SHAPE, 4, &v, &n) || n > 8)
		return -1;
	out->ndims = n;
	out->elems = 1;
	for (i = 0; i < n; i++) {
		int32_t d = (int32_t)get32(m->buf + v + 4 + 4 * (size_t)i);

		if (d < 0 || (d && out->elems > UINT64_MAX / 2 / (uint64_t)d))
			return -1;
		out->elems *= (uint64_t)d;
	}
	return 0;
}

/* Whether buffer @i holds data. */
static int buffer_has_data(const struct tfl_model *m, uint32_t i, bool *has)
{
	struct fb_table t;
	size_t v;
	uint32_t n;

	if (fb_vector_table(m, m->buffers_pos, i, &t) ||
	    fb_vector(m, &t, BUFFER_DATA, 1, &v, &n))
		return -1;
	*has = n > 0;
	return 0;
}

static int parse_ops(struct tfl_model *m, size_t ops_pos, char *err, size_t errlen)
{
	size_t total = 0, used = 0;
	struct fb_table t;
	uint32_t i, n;
	size_t v;

	/* Count the tensor lists first: one allocation for all of them. */
	for (i = 0; i < m->nr_ops; i++) {
		if (fb_vector_table(m, ops_pos, i, &t))
			return fail(err, errlen, "operator %u: bad table", i);
		if (fb_vector(m, &t, OPERATOR_INPUTS, 4, &v, &n))
			return fail(err, errlen, "operator %u: bad inputs", i);
		total += n;
		if (fb_vector(m, &t, OPERATOR_OUTPUTS, 4, &v, &n))
			return fail(err, errlen, "operator %u: bad outputs", i);
		total += n;
	}
	m->ints = calloc(total + 1, sizeof(*m->ints));
	if (!m->ints)
		return -ENOMEM;
	for (i = 0; i < m->nr_ops; i++) {
		struct tfl_op *op = &m->ops[i];
		uint32_t k;

		fb_vector_table(m, ops_pos, i, &t);
		op->pos = t.pos;
		op->in = m->ints + used;
		fb_ints(m, &t, OPERATOR_INPUTS, m->ints + used, (uint32_t)(total - used), &op->nr_in);
		used += op->nr_in;
		op->out = m->ints + used;
		fb_ints(m, &t, OPERATOR_OUTPUTS, m->ints + used, (uint32_t)(total - used), &op->nr_out);
		used += op->nr_out;
		for (k = 0; k < op->nr_in; k++)
			if (op->in[k] < -1 || op->in[k] >= (int32_t)m->nr_tensors)
				return fail(err, errlen, "operator %u reads tensor %d of %u", i,
					    op->in[k], m->nr_tensors);
		for (k = 0; k < op->nr_out; k++)
			if (op->out[k] < 0 || op->out[k] >= (int32_t)m->nr_tensors)
				return fail(err, errlen, "operator %u writes tensor %d of %u", i,
					    op->out[k], m->nr_tensors);
	}
	return 0;
}

static int parse_io(struct tfl_model *m, const struct fb_table *sg, unsigned int idx,
		    int32_t **list, uint32_t *n, const char *what, char *err, size_t errlen)
{
	size_t v;
	uint32_t i;

	if (fb_vector(m, sg, idx, 4, &v, n) || *n > TFL_MAX_IO)
		return fail(err, errlen, "bad subgraph %s", what);
	*list = calloc(*n + 1, sizeof(**list));
	if (!*list)
		return -ENOMEM;
	for (i = 0; i < *n; i++) {
		(*list)[i] = (int32_t)get32(m->buf + v + 4 + 4 * (size_t)i);
		if ((*list)[i] < 0 || (*list)[i] >= (int32_t)m->nr_tensors)
			return fail(err, errlen, "subgraph %s name tensor %d of %u", what,
				    (*list)[i], m->nr_tensors);
	}
	return 0;
}

static int parse(struct tfl_model *m, char *err, size_t errlen)
{
	struct fb_table model, sg, t;
	size_t sg_vec, ops_pos, root;
	uint32_t nr_sg, i;
	int ret;

	if (m->len < 8 || fb_deref(m, 0, &root) || fb_table_at(m, root, &model))
		return fail(err, errlen, "not a flatbuffer (%zu bytes)", m->len);
	if (fb_u32(m, &model, MODEL_VERSION, 0, &m->version))
		return fail(err, errlen, "bad model version field");
	if (m->version != 3)
		return fail(err, errlen, "TFLite schema version %u, not 3", m->version);
	if (fb_vector(m, &model, MODEL_OPCODES, 4, &m->opcodes_pos, &i))
		return fail(err, errlen, "bad operator codes");
	if (fb_vector(m, &model, MODEL_BUFFERS, 4, &m->buffers_pos, &m->nr_buffers))
		return fail(err, errlen, "bad buffers");
	if (fb_vector(m, &model, MODEL_SUBGRAPHS, 4, &sg_vec, &nr_sg) || !nr_sg ||
	    fb_vector_table(m, sg_vec, 0, &sg))
		return fail(err, errlen, "no subgraph");
	if (fb_vector(m, &sg, SUBGRAPH_TENSORS, 4, &m->tensors_pos, &m->nr_tensors) ||
	    m->nr_tensors > TFL_MAX_TENSORS)
		return fail(err, errlen, "bad tensor list");
	if (fb_vector(m, &sg, SUBGRAPH_OPERATORS, 4, &ops_pos, &m->nr_ops) ||
	    !m->nr_ops || m->nr_ops > TFL_MAX_OPS)
		return fail(err, errlen, "bad operator list (%u operators)", m->nr_ops);

	m->tensors = calloc(m->nr_tensors + 1, sizeof(*m->tensors));
	m->ops = calloc(m->nr_ops, sizeof(*m->ops));
	if (!m->tensors || !m->ops)
		return -ENOMEM;
	for (i = 0; i < m->nr_tensors; i++) {
		struct tfl_tensor *tt = &m->tensors[i];

		if (fb_vector_table(m, m->tensors_pos, i, &t) || parse_tensor(m, &t, tt))
			return fail(err, errlen, "tensor %u: bad table", i);
		if (tt->buffer >= m->nr_buffers) {
			if (tt->buffer || m->nr_buffers)
				return fail(err, errlen, "tensor %u names buffer %u of %u", i,
					    tt->buffer, m->nr_buffers);
		} else if (buffer_has_data(m, tt->buffer, &tt->constant)) {
			return fail(err, errlen, "buffer %u: bad table", tt->buffer);
		}
	}
	ret = parse_ops(m, ops_pos, err, errlen);
	if (ret)
		return ret;
	ret = parse_io(m, &sg, SUBGRAPH_INPUTS, &m->inputs, &m->nr_inputs, "inputs", err, errlen);
	if (ret)
		return ret;
	return parse_io(m, &sg, SUBGRAPH_OUTPUTS, &m->outputs, &m->nr_outputs, "outputs",
			err, errlen);
}

int tfl_parse(const void *buf, size_t len, struct tfl_model *m, char *err, size_t errlen)
{
	int ret;

	memset(m, 0, sizeof(*m));
	m->buf = buf;
	m->len = len;
	ret = parse(m, err, errlen);
	if (ret)
		tfl_free(m);
	return ret;
}

void tfl_free(struct tfl_model *m)
{
	free(m->tensors);
	free(m->ops);
	free(m->ints);
	free(m->inputs);
	free(m->outputs);
	m->tensors = NULL;
	m->ops = NULL;
	m->ints = NULL;
	m->inputs = m->outputs = NULL;
}

/* ---------------------------------------------------------------- cutting */

static bool has(const int32_t *list, uint32_t n, int32_t v)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

static int add_sorted(int32_t *list, uint32_t *n, int32_t v)
{
	uint32_t i;

	if (has(list, *n, v))
		return 0;
	if (*n == TFL_MAX_IO)
		return -1;
	for (i = *n; i > 0 && list[i - 1] > v; i--)
		list[i] = list[i - 1];
	list[i] = v;
	(*n)++;
	return 0;
}

int tfl_cut_plan(const struct tfl_model *m, uint32_t first, uint32_t nr,
		 struct tfl_cut *cut, char *err, size_t errlen)
{
	uint32_t end, i, k, j;

	memset(cut, 0, sizeof(*cut));
	if (!nr || first >= m->nr_ops || nr > m->nr_ops - first)
		return fail(err, errlen, "layers [%u, %u) are not within the model's %u operators",
			    first, first + nr, m->nr_ops);
	end = first + nr;
	cut->first = first;
	cut->nr = nr;

	for (i = first; i < end; i++) {
		const struct tfl_op *op = &m->ops[i];

		for (k = 0; k < op->nr_in; k++) {
			int32_t t = op->in[k];
			bool inside = false;

			if (t < 0 || m->tensors[t].constant)
				continue;
			for (j = first; j < i && !inside; j++)
				inside = has(m->ops[j].out, m->ops[j].nr_out, t);
			if (!inside && add_sorted(cut->inputs, &cut->nr_inputs, t))
				return fail(err, errlen, "more than %d inputs", TFL_MAX_IO);
		}
		for (k = 0; k < op->nr_out; k++) {
			int32_t t = op->out[k];
			bool used = has(m->outputs, m->nr_outputs, t);

			for (j = end; j < m->nr_ops && !used; j++)
				used = has(m->ops[j].in, m->ops[j].nr_in, t);
			if (used && add_sorted(cut->outputs, &cut->nr_outputs, t))
				return fail(err, errlen, "more than %d outputs", TFL_MAX_IO);
		}
	}
	if (!cut->nr_outputs)
		return fail(err, errlen,
			    "layers [%u, %u) write nothing that later layers or the model's outputs use",
			    first, end);
	return 0;
}

/* A growing output buffer, written front to back. */
struct out {
	uint8_t *buf;
	size_t len, cap;
};

static int out_reserve(struct out *o, size_t n)
{
	size_t cap = o->cap ? o->cap : 256;
	uint8_t *p;

	if (n <= o->cap - o->len)
		return 0;
	while (cap - o->len < n)
		cap *= 2;
	p = realloc(o->buf, cap);
	if (!p)
		return -1;
	memset(p + o->cap, 0, cap - o->cap);
	o->buf = p;
	o->cap = cap;
	return 0;
}

/* Append @n zero bytes at an offset aligned to @align; their position. */
static size_t out_take(struct out *o, size_t n, size_t align, int *bad)
{
	size_t pad = (align - o->len % align) % align, pos;

	if (out_reserve(o, pad + n)) {
		*bad = 1;
		return 0;
	}
	pos = o->len + pad;
	o->len = pos + n;
	return pos;
}

/* A reference at @at to @target, which lies after it. */
static void out_ref(struct out *o, size_t at, size_t target)
{
	put32(o->buf + at, (uint32_t)(target - at));
}

/*
 * A table of @nr_fields 4-byte fields preceded by its vtable; returns the
 * table's position, its fields at +4, +8...
 */
static size_t out_table(struct out *o, unsigned int nr_fields, const bool *present, int *bad)
{
	size_t vt_len = 4 + 2 * (size_t)nr_fields, vt, tbl;
	unsigned int i;

	vt = out_take(o, vt_len, 2, bad);
	tbl = out_take(o, 4 + 4 * (size_t)nr_fields, 4, bad);
	if (*bad)
		return 0;
	put16(o->buf + vt, (uint16_t)vt_len);
	put16(o->buf + vt + 2, (uint16_t)(4 + 4 * nr_fields));
	for (i = 0; i < nr_fields; i++)
		put16(o->buf + vt + 4 + 2 * i, present[i] ? (uint16_t)(4 + 4 * i) : 0);
	put32(o->buf + tbl, (uint32_t)(tbl - vt));
	return tbl;
}

static size_t out_ints(struct out *o, const int32_t *v, uint32_t n, int *bad)
{
	size_t pos = out_take(o, 4 + 4 * (size_t)n, 4, bad);
	uint32_t i;

	if (*bad)
		return 0;
	put32(o->buf + pos, n);
	for (i = 0; i < n; i++)
		put32(o->buf + pos + 4 + 4 * i, (uint32_t)v[i]);
	return pos;
}

static size_t out_string(struct out *o, const char *s, int *bad)
{
	size_t n = strlen(s), pos = out_take(o, 4 + n + 1, 4, bad);

	if (*bad)
		return 0;
	put32(o->buf + pos, (uint32_t)n);
	memcpy(o->buf + pos + 4, s, n);
	return pos;
}

int tfl_cut_write(const struct tfl_model *m, const struct tfl_cut *cut,
		  uint8_t **result, size_t *result_len)
{
	const bool model_fields[] = { true, m->opcodes_pos, true, true, m->buffers_pos };
	const bool sg_fields[] = { true, true, true, true, true };
	size_t model, subgraphs, sg, inputs, outputs, ops, desc, name, base, i;
	struct out o = { 0 };
	char text[96];
	int bad = 0;

	out_take(&o, 8, 4, &bad);
	if (!bad)
		memcpy(o.buf + 4, "TFL3", 4);
	model = out_table(&o, 5, model_fields, &bad);
	subgraphs = out_take(&o, 8, 4, &bad);
	sg = out_table(&o, 5, sg_fields, &bad);
	inputs = out_ints(&o, cut->inputs, cut->nr_inputs, &bad);
	outputs = out_ints(&o, cut->outputs, cut->nr_outputs, &bad);
	ops = out_take(&o, 4 + 4 * (size_t)cut->nr, 4, &bad);
	snprintf(text, sizeof(text), "edgeai stage: operators [%u, %u)", cut->first,
		 cut->first + cut->nr);
	desc = out_string(&o, text, &bad);
	name = out_string(&o, "stage", &bad);
	/*
	 * The original goes last, at an offset as aligned as anything in it
	 * (buffers ask for 16), so its own alignment holds.
	 */
	base = out_take(&o, m->len, 16, &bad);
	if (bad) {
		free(o.buf);
		return -ENOMEM;
	}
	memcpy(o.buf + base, m->buf, m->len);

	out_ref(&o, 0, model);
	put32(o.buf + model + 4, m->version);
	if (m->opcodes_pos)
		out_ref(&o, model + 8, base + m->opcodes_pos);
	out_ref(&o, model + 12, subgraphs);
	out_ref(&o, model + 16, desc);
	if (m->buffers_pos)
		out_ref(&o, model + 20, base + m->buffers_pos);
	put32(o.buf + subgraphs, 1);
	out_ref(&o, subgraphs + 4, sg);
	out_ref(&o, sg + 4, base + m->tensors_pos);
	out_ref(&o, sg + 8, inputs);
	out_ref(&o, sg + 12, outputs);
	out_ref(&o, sg + 16, ops);
	out_ref(&o, sg + 20, name);
	put32(o.buf + ops, cut->nr);
	for (i = 0; i < cut->nr; i++)
		out_ref(&o, ops + 4 + 4 * i, base + m->ops[cut->first + i].pos);

	*result = o.buf;
	*result_len = o.len;
	return 0;
}
