/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading .tflite models and cutting them into per-stage sub-models.
 *
 * A stage runs operators [first, first + nr) of the model's first
 * subgraph, in the order the file stores them (TFLite's execution order).
 * Its sub-model keeps those operators and every tensor and weight of the
 * original; only the subgraph's inputs and outputs change:
 *
 *  - inputs: the non-constant tensors the stage's operators read that no
 *    earlier operator of the stage wrote (a constant tensor is one whose
 *    buffer holds data: weights, biases, shapes);
 *  - outputs: the tensors the stage's operators write that an operator
 *    after the stage reads, or that are outputs of the whole model.
 *
 * Both lists are in ascending tensor index.  The cut of the whole model
 * has the model's inputs and outputs (in that order too).
 *
 * The sub-model is a valid flatbuffer: a new Model and SubGraph table at
 * its head whose offsets point into an unchanged copy of the original
 * file placed after them, so operators, tensors, weights and options are
 * shared and never re-encoded.
 *
 * The reader checks every offset and count against the file's size: a
 * malformed or hostile file gives an error, never a read outside it.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAID_TFLITE_H
#define EDGEAID_TFLITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most inputs or outputs a stage may have (a job has at most 64 buffers). */
#define TFL_MAX_IO	64

struct tfl_tensor {
	uint32_t buffer;	/* index into the model's buffers */
	bool constant;		/* its buffer holds data */
	int8_t type;		/* TFLite TensorType: 0 is float32 */
	uint32_t ndims;
	uint64_t elems;		/* product of the shape */
};

struct tfl_op {
	size_t pos;		/* the Operator table in the file */
	uint32_t nr_in, nr_out;
	const int32_t *in, *out;	/* tensor indices (-1: absent input) */
};

struct tfl_model {
	const uint8_t *buf;
	size_t len;
	uint32_t version;
	size_t opcodes_pos;	/* operator_codes vector, 0 if absent */
	size_t buffers_pos;	/* buffers vector, 0 if absent */
	size_t tensors_pos;	/* the first subgraph's tensors vector */
	uint32_t nr_tensors, nr_ops, nr_buffers;
	uint32_t nr_inputs, nr_outputs;
	struct tfl_tensor *tensors;
	struct tfl_op *ops;
	int32_t *inputs, *outputs;	/* the subgraph's */
	int32_t *ints;		/* storage for the ops' tensor lists */
};

/*
 * Parse @buf (kept, not copied: it must outlive @m).  Returns 0 or
 * -EINVAL with a message in @err.
 */
int tfl_parse(const void *buf, size_t len, struct tfl_model *m, char *err,
	      size_t errlen);
void tfl_free(struct tfl_model *m);

/* Bytes of a tensor's data, 0 for an unknown type. */
uint64_t tfl_tensor_bytes(const struct tfl_tensor *t);

struct tfl_cut {
	uint32_t first, nr;
	uint32_t nr_inputs, nr_outputs;
	int32_t inputs[TFL_MAX_IO], outputs[TFL_MAX_IO];
};

/* Work out the inputs and outputs of operators [first, first + nr). */
int tfl_cut_plan(const struct tfl_model *m, uint32_t first, uint32_t nr,
		 struct tfl_cut *cut, char *err, size_t errlen);

/* Write the sub-model of @cut to a new malloc()ed buffer. */
int tfl_cut_write(const struct tfl_model *m, const struct tfl_cut *cut,
		  uint8_t **out, size_t *out_len);

#endif /* EDGEAID_TFLITE_H */
