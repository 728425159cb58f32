// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaid's model cutter on the host: the inputs and outputs of every cut
 * of the test model, the sub-models' structure, range errors, malformed
 * files (every truncation, random corruption) and, when Arm NN is built
 * in, that the model cut into 2, 3 and 8 stages and run stage by stage
 * gives the output of the whole model.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "armnn_shim.h"
#include "tflite.h"

#include "../lib/tap.h"
#include "../lib/util.h"

#ifndef EDGEAID_MODELS
#define EDGEAID_MODELS "build/models"
#endif


static int list_eq(const int32_t *a, uint32_t n, const int32_t *want, uint32_t nw)
{
	return n == nw && !memcmp(a, want, n * sizeof(*a));
}

/* convnet: op k writes tensor out[k]; weights are constants. */
static const int32_t convnet_out[8] = { 3, 6, 7, 10, 11, 12, 15, 16 };

static void test_structure(const struct tfl_model *m)
{
	ok(m->nr_ops == 8 && m->nr_tensors == 17 && m->version == 3,
	   "convnet: 8 operators, 17 tensors, schema 3 (%u, %u, %u)", m->nr_ops,
	   m->nr_tensors, m->version);
	ok(m->nr_inputs == 1 && m->inputs[0] == 0 && m->nr_outputs == 1 && m->outputs[0] == 16,
	   "model input tensor 0, output tensor 16");
	ok(m->tensors[1].constant && m->tensors[2].constant && !m->tensors[0].constant &&
	   !m->tensors[3].constant, "weights and biases are constants, activations are not");
	ok(tfl_tensor_bytes(&m->tensors[0]) == 16 * 16 * 3 * 4 &&
	   tfl_tensor_bytes(&m->tensors[16]) == 40, "tensor sizes (input %llu bytes)",
	   (unsigned long long)tfl_tensor_bytes(&m->tensors[0]));
}

static void test_plans(const struct tfl_model *m)
{
	struct tfl_cut cut;
	char err[256];
	uint32_t k;
	int all = 1;
	const int32_t zero = 0, out16 = 16;

	ok(tfl_cut_plan(m, 0, 8, &cut, err, sizeof(err)) == 0 &&
	   list_eq(cut.inputs, cut.nr_inputs, &zero, 1) &&
	   list_eq(cut.outputs, cut.nr_outputs, &out16, 1),
	   "the whole model: the model's input and output");
	/* Every single-operator cut reads the previous op's output. */
	for (k = 0; k < 8; k++) {
		int32_t in = k ? convnet_out[k - 1] : 0;

		all &= tfl_cut_plan(m, k, 1, &cut, err, sizeof(err)) == 0 &&
		       list_eq(cut.inputs, cut.nr_inputs, &in, 1) &&
		       list_eq(cut.outputs, cut.nr_outputs, &convnet_out[k], 1);
	}
	ok(all, "each single operator reads its predecessor's tensor and writes its own");
	ok(tfl_cut_plan(m, 3, 2, &cut, err, sizeof(err)) == 0 && cut.inputs[0] == 7 &&
	   cut.outputs[0] == 11 && cut.nr_inputs == 1 && cut.nr_outputs == 1,
	   "operators [3, 5): tensor 7 in, tensor 11 out");
	ok(tfl_cut_plan(m, 0, 0, &cut, err, sizeof(err)) == -EINVAL, "no operators: EINVAL");
	ok(tfl_cut_plan(m, 8, 1, &cut, err, sizeof(err)) == -EINVAL && strstr(err, "8 operators"),
	   "operators past the end: EINVAL (%s)", err);
	ok(tfl_cut_plan(m, 6, 3, &cut, err, sizeof(err)) == -EINVAL, "a range that overruns: EINVAL");
	ok(tfl_cut_plan(m, 0xffffffffu, 2, &cut, err, sizeof(err)) == -EINVAL,
	   "a range that wraps: EINVAL");
}

static void test_write(const struct tfl_model *m)
{
	static const uint32_t cuts[][2] = { { 0, 8 }, { 0, 3 }, { 3, 2 }, { 5, 3 }, { 7, 1 } };
	size_t i;

	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		struct tfl_model sub;
		struct tfl_cut cut;
		uint8_t *buf = NULL;
		size_t len = 0;
		char err[256] = "";
		int good;

		tfl_cut_plan(m, cuts[i][0], cuts[i][1], &cut, err, sizeof(err));
		good = tfl_cut_write(m, &cut, &buf, &len) == 0 &&
		       tfl_parse(buf, len, &sub, err, sizeof(err)) == 0;
		ok(good && sub.nr_ops == cut.nr && sub.nr_tensors == m->nr_tensors &&
		   list_eq(sub.inputs, sub.nr_inputs, cut.inputs, cut.nr_inputs) &&
		   list_eq(sub.outputs, sub.nr_outputs, cut.outputs, cut.nr_outputs) &&
		   sub.ops[0].out[0] == m->ops[cut.first].out[0] &&
		   !memcmp(buf + 4, "TFL3", 4),
		   "sub-model of [%u, %u) reads back: its operators, the cut's inputs and outputs %s",
		   cuts[i][0], cuts[i][0] + cuts[i][1], err);
		if (good)
			tfl_free(&sub);
		free(buf);
	}
}

static void test_malformed(const uint8_t *model, size_t len)
{
	struct tfl_model m;
	struct tfl_cut cut;
	uint8_t *copy = malloc(len);
	uint32_t rng = 12345;
	size_t n, rejected = 0, same = 0, survived = 0;
	char err[256];
	int i;

	/*
	 * A cut in the unreferenced tail (padding, the description) leaves a
	 * model that reads the same; any other cut is an error.
	 */
	for (n = 0; n < len; n++) {
		if (tfl_parse(model, n, &m, err, sizeof(err)) == 0) {
			same += m.nr_ops == 8 && m.nr_tensors == 17;
			tfl_free(&m);
		} else {
			rejected++;
		}
	}
	ok(rejected + same == len && rejected > len / 2,
	   "every truncation is rejected (%zu) or reads the same (%zu, the unused tail)",
	   rejected, same);

	/* Corrupt a few bytes at a time: an error or a model, never a crash. */
	for (i = 0; i < 3000; i++) {
		int k;

		memcpy(copy, model, len);
		for (k = 0; k < 4; k++) {
			rng = rng * 1103515245u + 12345u;
			copy[(rng >> 8) % len] = (uint8_t)(rng >> 24);
		}
		if (tfl_parse(copy, len, &m, err, sizeof(err)) == 0) {
			uint8_t *sub;
			size_t sub_len;

			if (tfl_cut_plan(&m, 0, m.nr_ops, &cut, err, sizeof(err)) == 0 &&
			    tfl_cut_write(&m, &cut, &sub, &sub_len) == 0)
				free(sub);
			tfl_free(&m);
			survived++;
		}
	}
	ok(1, "3000 corrupted models parsed or rejected without a fault (%zu parsed)", survived);
	ok(tfl_parse("TFL3TFL3", 8, &m, err, sizeof(err)) == -EINVAL && strstr(err, "flatbuffer"),
	   "a non-flatbuffer is rejected (%s)", err);
	free(copy);
}

static struct armnn_shim_net *load(const void *buf, size_t len)
{
	static const char *const prefs[] = { "CpuRef" };
	struct armnn_shim_net *net = NULL;
	char err[512];

	if (armnn_shim_load(buf, len, prefs, 1, &net, err, sizeof(err)))
		diag("load: %s", err);
	return net;
}

/* Run the model cut at @bounds (nr + 1 of them) stage after stage. */
static int run_split(const struct tfl_model *m, const uint32_t *bounds, unsigned int nr,
		     const float *input, float *output, size_t out_bytes)
{
	float *cur = malloc(1 << 20), *next = malloc(1 << 20);
	unsigned int s;
	int ret = 0;
	char err[256];

	memcpy(cur, input, tfl_tensor_bytes(&m->tensors[0]));
	for (s = 0; s < nr && !ret; s++) {
		struct tfl_cut cut;
		struct armnn_shim_net *net;
		uint8_t *buf;
		size_t len;
		float *t;

		ret = tfl_cut_plan(m, bounds[s], bounds[s + 1] - bounds[s], &cut, err, sizeof(err));
		if (ret || tfl_cut_write(m, &cut, &buf, &len))
			return -1;
		net = load(buf, len);
		free(buf);
		if (!net)
			return -1;
		ret = armnn_shim_run(net, (const void *const *)&cur, (void *const *)&next,
				     err, sizeof(err));
		armnn_shim_unload(net);
		t = cur;
		cur = next;
		next = t;
	}
	memcpy(output, cur, out_bytes);
	free(cur);
	free(next);
	return ret;
}

static void test_armnn(const struct tfl_model *m, const uint8_t *model, size_t len)
{
	static const uint32_t two[] = { 0, 4, 8 }, three[] = { 0, 3, 5, 8 },
		eight[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const struct {
		const uint32_t *bounds;
		unsigned int nr;
	} splits[] = { { two, 2 }, { three, 3 }, { eight, 8 } };
	float input[16 * 16 * 3], whole[10], split[10], sum = 0;
	struct armnn_shim_net *net;
	char err[256];
	size_t i, s;

	if (!armnn_shim_built()) {
		skip("Arm NN not built in: no equivalence check");
		return;
	}
	if (armnn_shim_init(NULL, 0, err, sizeof(err)) || !armnn_shim_has_backend("CpuRef")) {
		skip("Arm NN has no CpuRef backend here: %s", err);
		return;
	}
	for (i = 0; i < 16 * 16 * 3; i++)
		input[i] = sinf((float)i * 0.37f);
	net = load(model, len);
	ok(net && armnn_shim_run(net, (const void *const[]){ input }, (void *const[]){ whole },
				 err, sizeof(err)) == 0, "the whole model runs on CpuRef");
	if (net)
		armnn_shim_unload(net);
	for (i = 0; i < 10; i++)
		sum += whole[i];
	ok(fabsf(sum - 1.0f) < 1e-4f, "its softmax output sums to 1 (%f)", sum);
	for (s = 0; s < sizeof(splits) / sizeof(splits[0]); s++) {
		float diff = 0;

		memset(split, 0, sizeof(split));
		ok(run_split(m, splits[s].bounds, splits[s].nr, input, split, sizeof(split)) == 0,
		   "cut into %u stages, each runs", splits[s].nr);
		for (i = 0; i < 10; i++)
			diff = fmaxf(diff, fabsf(split[i] - whole[i]));
		ok(diff <= 1e-6f, "... and the output is the whole model's (max diff %g)", diff);
	}
	armnn_shim_exit();
}

int main(void)
{
	const char *path = EDGEAID_MODELS "/convnet.tflite";
	struct tfl_model m;
	uint8_t *model;
	size_t len;
	char err[256];

	model = read_file(path, &len);
	if (!model) {
		ok(0, "read %s (run make)", path);
		return tap_done();
	}
	if (!ok(tfl_parse(model, len, &m, err, sizeof(err)) == 0, "parse %s %s", path, err))
		return tap_done();
	test_structure(&m);
	test_plans(&m);
	test_write(&m);
	test_malformed(model, len);
	test_armnn(&m, model, len);
	tfl_free(&m);
	free(model);
	return tap_done();
}
