// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkmodel: write the JSON description of a small TFLite test model, for
 * flatc and models/tflite.fbs to turn into a .tflite file.
 *
 *   mkmodel NAME LAYER... > NAME.json
 *
 * The model is a chain of layers on a float32 NHWC tensor:
 *   in=HxWxC       the input shape (first)
 *   convKxN[r|r6]  K x K convolution to N channels, SAME padding, stride 1,
 *                  optional fused ReLU / ReLU6
 *   dwK[r|r6]      K x K depthwise convolution, SAME, depth multiplier 1
 *   maxK, avgK     K x K max / average pooling, stride K, VALID
 *   flat           reshape to [1, H*W*C] (Arm NN wants it before fc)
 *   fcN[r]         fully connected to N units
 *   softmax        softmax, beta 1
 *   [ LAYER... ]   an exit head: a branch from the current tensor whose
 *                  last tensor is an output of the model (named exitK),
 *                  before the final output; the chain goes on from where
 *                  the branch started.  Its operators come first in file
 *                  order, so a stage that ends after them writes both the
 *                  chain's tensor and the exit's result (early exits,
 *                  issue 21)
 *
 * Weights and biases are deterministic: a xorshift generator seeded from
 * NAME, He-uniform scaled, so a model and its outputs are the same on
 * every build.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TENSORS	256
#define MAX_OPS		64
#define MAX_EXITS	8

struct tensor {
	char name[64];
	int shape[4];
	int ndims;
	int buffer;		/* 0: no data */
	const char *type;
};

struct op {
	const char *code;	/* BuiltinOperator name */
	int inputs[3], nr_inputs;
	int output;
	char options[160];	/* JSON of the options, "" for none */
	const char *options_type;
};

static struct tensor tensors[MAX_TENSORS];
static int nr_tensors;
static struct op ops[MAX_OPS];
static int nr_ops;
/* Buffer 0 is the empty one; buffer i > 0 holds data[i]. */
static float *data[MAX_TENSORS];
static size_t data_len[MAX_TENSORS];
static int nr_buffers = 1;
static uint32_t rng;

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "mkmodel: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

static float uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return (float)((rng >> 8) / 8388608.0 - 1.0);	/* [-1, 1) */
}

static int add_tensor(const char *name, const int *shape, int ndims)
{
	struct tensor *t;

	if (nr_tensors == MAX_TENSORS)
		die("too many tensors", NULL);
	t = &tensors[nr_tensors];
	snprintf(t->name, sizeof(t->name), "%s", name);
	memcpy(t->shape, shape, sizeof(int) * (size_t)ndims);
	t->ndims = ndims;
	t->type = "FLOAT32";
	return nr_tensors++;
}

/* A constant tensor filled with uniform values times @scale. */
static int add_const(const char *name, const int *shape, int ndims, float scale)
{
	int t = add_tensor(name, shape, ndims), i;
	size_t n = 1;

	for (i = 0; i < ndims; i++)
		n *= (size_t)shape[i];
	data[nr_buffers] = malloc(n * sizeof(float));
	if (!data[nr_buffers])
		die("out of memory", NULL);
	for (size_t k = 0; k < n; k++)
		data[nr_buffers][k] = uniform() * scale;
	data_len[nr_buffers] = n;
	tensors[t].buffer = nr_buffers++;
	return t;
}

static struct op *add_op(const char *code, int in, int out)
{
	struct op *o;

	if (nr_ops == MAX_OPS)
		die("too many layers", NULL);
	o = &ops[nr_ops++];
	o->code = code;
	o->inputs[0] = in;
	o->nr_inputs = 1;
	o->output = out;
	return o;
}

/*
 * A layer's weights (shape @wshape, He-uniform times @scale) and @nb
 * biases, named NAME/w and NAME/b; made before the layer's output tensor,
 * as the model's tensor order has them.
 */
static void add_params(const char *name, const int *wshape, int wdims, float scale,
		       int nb, int params[2])
{
	int bs[1] = { nb };

	params[0] = add_const("w", wshape, wdims, scale);
	params[1] = add_const("b", bs, 1, 0.1f);
	snprintf(tensors[params[0]].name, sizeof(tensors[params[0]].name), "%s/w", name);
	snprintf(tensors[params[1]].name, sizeof(tensors[params[1]].name), "%s/b", name);
}

/* The operator of a layer with weights and biases (add_params()). */
static struct op *add_op_params(const char *code, int in, int out, const int params[2])
{
	struct op *o = add_op(code, in, out);

	o->inputs[1] = params[0];
	o->inputs[2] = params[1];
	o->nr_inputs = 3;
	return o;
}

/* "maxK" or "avgK": the pooling operator, its K x K window in *k; or NULL. */
static const char *pool_layer(const char *a, int *k)
{
	int len = 0;

	if (sscanf(a, "max%d%n", k, &len) == 1 && !a[len])
		return "MAX_POOL_2D";
	if (sscanf(a, "avg%d%n", k, &len) == 1 && !a[len])
		return "AVERAGE_POOL_2D";
	return NULL;
}

static const char *activation(const char *suffix)
{
	if (!*suffix)
		return "NONE";
	if (!strcmp(suffix, "r"))
		return "RELU";
	if (!strcmp(suffix, "r6"))
		return "RELU6";
	die("unknown activation suffix", suffix);
	return NULL;
}

int main(int argc, char **argv)
{
	int h = 0, w = 0, c = 0, cur = -1, i, k, n, len;
	int exits[MAX_EXITS], nr_exits = 0, saved[4] = { 0 }, in_exit = 0;
	int params[2];
	char name[40], suffix[8];
	const char *model, *pool;

	if (argc < 3)
		die("usage: mkmodel NAME in=HxWxC LAYER...", NULL);
	model = argv[1];
	rng = 2166136261u;
	for (i = 0; model[i]; i++)
		rng = (rng ^ (uint8_t)model[i]) * 16777619u;
	if (!rng)
		rng = 1;

	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		int out_shape[4] = { 1, h, w, c };

		snprintf(name, sizeof(name), "l%d_%s", i - 2, a);
		suffix[0] = 0;
		if (sscanf(a, "in=%dx%dx%d%n", &h, &w, &c, &len) == 3 && !a[len]) {
			int shape[4] = { 1, h, w, c };

			if (cur >= 0 || h <= 0 || w <= 0 || c <= 0)
				die("bad input", a);
			cur = add_tensor("input", shape, 4);
			continue;
		}
		if (cur < 0)
			die("the first layer must be in=HxWxC", a);
		if (!strcmp(a, "[")) {
			if (in_exit || nr_exits == MAX_EXITS)
				die("nested or too many exits", a);
			saved[0] = h, saved[1] = w, saved[2] = c, saved[3] = cur;
			in_exit = 1;
			continue;
		}
		if (!strcmp(a, "]")) {
			if (!in_exit || cur == saved[3])
				die("an exit head needs [ and at least one layer", a);
			snprintf(tensors[cur].name, sizeof(tensors[cur].name), "exit%d", nr_exits);
			exits[nr_exits++] = cur;
			h = saved[0], w = saved[1], c = saved[2], cur = saved[3];
			in_exit = 0;
			continue;
		}
		if (sscanf(a, "conv%dx%d%7s", &k, &n, suffix) >= 2) {
			int ws[4] = { n, k, k, c };
			struct op *o;

			add_params(name, ws, 4, sqrtf(6.0f / (float)(k * k * c)), n, params);
			c = n;
			out_shape[3] = c;
			o = add_op_params("CONV_2D", cur, add_tensor(name, out_shape, 4), params);
			o->options_type = "Conv2DOptions";
			snprintf(o->options, sizeof(o->options),
				 "{ padding: \"SAME\", stride_w: 1, stride_h: 1, fused_activation_function: \"%s\" }",
				 activation(suffix));
		} else if (sscanf(a, "dw%d%7s", &k, suffix) >= 1) {
			int ws[4] = { 1, k, k, c };
			struct op *o;

			add_params(name, ws, 4, sqrtf(6.0f / (float)(k * k)), c, params);
			o = add_op_params("DEPTHWISE_CONV_2D", cur,
					  add_tensor(name, out_shape, 4), params);
			o->options_type = "DepthwiseConv2DOptions";
			snprintf(o->options, sizeof(o->options),
				 "{ padding: \"SAME\", stride_w: 1, stride_h: 1, depth_multiplier: 1, fused_activation_function: \"%s\" }",
				 activation(suffix));
		} else if ((pool = pool_layer(a, &k))) {
			struct op *o;

			if (k <= 0 || h < k || w < k)
				die("pooling window larger than the tensor", a);
			h = (h - k) / k + 1;
			w = (w - k) / k + 1;
			out_shape[1] = h;
			out_shape[2] = w;
			o = add_op(pool, cur, add_tensor(name, out_shape, 4));
			o->options_type = "Pool2DOptions";
			snprintf(o->options, sizeof(o->options),
				 "{ padding: \"VALID\", stride_w: %d, stride_h: %d, filter_width: %d, filter_height: %d }",
				 k, k, k, k);
		} else if (!strcmp(a, "flat")) {
			int shape[2] = { 1, h * w * c };
			struct op *o = add_op("RESHAPE", cur, add_tensor(name, shape, 2));

			o->options_type = "ReshapeOptions";
			snprintf(o->options, sizeof(o->options), "{ new_shape: [1, %d] }", h * w * c);
			c = h * w * c;
			h = w = 1;
			cur = o->output;
			continue;
		} else if (sscanf(a, "fc%d%7s", &n, suffix) >= 1) {
			int ws[2] = { n, h * w * c }, shape[2] = { 1, n };
			struct op *o;

			add_params(name, ws, 2, sqrtf(6.0f / (float)(h * w * c)), n, params);
			if (h != 1 || w != 1)
				die("fc needs flat before it", a);
			c = n;
			o = add_op_params("FULLY_CONNECTED", cur, add_tensor(name, shape, 2),
					  params);
			o->options_type = "FullyConnectedOptions";
			snprintf(o->options, sizeof(o->options),
				 "{ fused_activation_function: \"%s\" }", activation(suffix));
		} else if (!strcmp(a, "softmax")) {
			struct op *o = add_op("SOFTMAX", cur,
					      add_tensor(name, tensors[cur].shape,
							 tensors[cur].ndims));

			o->options_type = "SoftmaxOptions";
			snprintf(o->options, sizeof(o->options), "{ beta: 1.0 }");
		} else {
			die("unknown layer", a);
		}
		cur = ops[nr_ops - 1].output;
	}
	if (!nr_ops || in_exit)
		die("no layers, or an exit head without ]", NULL);
	snprintf(tensors[cur].name, sizeof(tensors[cur].name), "output");

	/* One operator code per distinct builtin, in order of first use. */
	const char *codes[MAX_OPS];
	int nr_codes = 0, opcode[MAX_OPS];

	for (i = 0; i < nr_ops; i++) {
		for (k = 0; k < nr_codes && strcmp(codes[k], ops[i].code); k++)
			;
		if (k == nr_codes)
			codes[nr_codes++] = ops[i].code;
		opcode[i] = k;
	}

	printf("{\n  version: 3,\n  description: \"edgeai test model %s\",\n", model);
	printf("  operator_codes: [\n");
	for (k = 0; k < nr_codes; k++)
		printf("    { builtin_code: \"%s\" }%s\n", codes[k], k + 1 < nr_codes ? "," : "");
	printf("  ],\n  subgraphs: [ {\n    name: \"%s\",\n    tensors: [\n", model);
	for (i = 0; i < nr_tensors; i++) {
		const struct tensor *t = &tensors[i];

		printf("      { name: \"%s\", type: \"%s\", buffer: %d, shape: [", t->name,
		       t->type, t->buffer);
		for (k = 0; k < t->ndims; k++)
			printf("%s%d", k ? ", " : "", t->shape[k]);
		printf("] }%s\n", i + 1 < nr_tensors ? "," : "");
	}
	printf("    ],\n    inputs: [0],\n    outputs: [");
	for (k = 0; k < nr_exits; k++)
		printf("%d, ", exits[k]);
	printf("%d],\n    operators: [\n", cur);
	for (i = 0; i < nr_ops; i++) {
		const struct op *o = &ops[i];

		printf("      { opcode_index: %d, inputs: [", opcode[i]);
		for (k = 0; k < o->nr_inputs; k++)
			printf("%s%d", k ? ", " : "", o->inputs[k]);
		printf("], outputs: [%d]", o->output);
		if (o->options_type)
			printf(", builtin_options_type: \"%s\", builtin_options: %s",
			       o->options_type, o->options);
		printf(" }%s\n", i + 1 < nr_ops ? "," : "");
	}
	printf("    ]\n  } ],\n  buffers: [\n    { }");
	for (i = 1; i < nr_buffers; i++) {
		printf(",\n    { data: [");
		for (size_t e = 0; e < data_len[i]; e++) {
			uint32_t bits;

			memcpy(&bits, &data[i][e], sizeof(bits));
			/* Little-endian bytes, whatever the build host. */
			printf("%s%u,%u,%u,%u", e ? "," : "", bits & 0xff, (bits >> 8) & 0xff,
			       (bits >> 16) & 0xff, bits >> 24);
			if (e % 16 == 15)
				printf("\n      ");
		}
		printf("] }");
		free(data[i]);
	}
	printf("\n  ]\n}\n");
	return 0;
}
