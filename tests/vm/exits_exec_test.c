// SPDX-License-Identifier: GPL-2.0-only
/*
 * Early exits end to end, in the VM (exits_exec_test.modparams: two CPU
 * clusters): edgeaid runs a real .tflite with an exit head
 * (build/models/exitnet.tflite, see userspace/daemon/build.mk) cut in two
 * stages on Arm NN CpuRef; the first stage writes the chain's tensor and
 * the exit head's result, each to its own buffer, as any stage with two
 * outputs.  An anytime job the kernel ends at the exit returns the exit's
 * result in the exit's buffer (&edgeai_exit.out_mask), the same as the
 * whole model run directly with Arm NN, and leaves the final buffer
 * untouched; with a minimum above the exit it runs to the end and returns
 * the model's output.  Then the same with edgeaid's sim backend.  The
 * executor learns nothing about exits: no EXEC_FETCH field is needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "armnn_shim.h"
#include "tflite.h"

#include "../lib/edgeaid.h"
#include "../lib/model.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define MS		1000000ULL
#define EDGEAID		"/tests/edgeaid"
#define MODEL		"/tests/exitnet.tflite"
#define CONF		"/tmp/exits-edgeaid.conf"
#define LOG		"/tmp/exits-edgeaid.log"

#define IN_FLOATS	(16 * 16 * 3)
#define OUT_FLOATS	10
/* Operators 0-4: the first layer and the exit head; 5-11 the rest. */
#define SPLIT		5
#define POISON		0x7f

enum { C0, C1, NR_CLUSTERS };

static struct edgeai *sub;
static uint8_t *model_bytes;
static size_t model_len;
static struct tfl_model model;

static pid_t start_edgeaid(const char *conf)
{
	edgeaid_conf(CONF, conf);
	return edgeaid_spawn(LOG, EDGEAID, (char *[]){ "edgeaid", "--config", CONF, "-v", NULL });
}

/*
 * Buffers: 0 the input, 1 the chain's tensor between the stages, 2 the
 * exit's result, 3 the model's output.  Stage 0 (ops 0-4 on c0) reads 0
 * and writes 1 and 2 (its outputs in tensor order); stage 1 (ops 5-11 on
 * c1) reads 1 and writes 3.  One exit after stage 0, in buffer 2.
 */
static uint64_t sizes[4];

static int make_graph(const char *name, int model_fd, uint64_t stage1_cost_ns, uint32_t *id)
{
	struct edgeai_stage st[2];
	struct edgeai_exit ex = { .after_stage = 0, .accuracy_ppm = 600000, .out_mask = 1 << 2 };
	struct edgeai_graph_spec spec = {
		.name = name, .model_fd = model_fd, .nr_stages = 2, .stages = st,
		.nr_buffers = 4, .buf_sizes = sizes,
	};

	memset(st, 0, sizeof(st));
	st[0] = (struct edgeai_stage){ .cluster_id = C0, .first_layer = 0, .nr_layers = SPLIT,
		.cost_ns = MS, .in_mask = 1 << 0, .out_mask = (1 << 1) | (1 << 2) };
	st[1] = (struct edgeai_stage){ .cluster_id = C1, .first_layer = SPLIT,
		.nr_layers = model.nr_ops - SPLIT, .cost_ns = stage1_cost_ns, .in_mask = 1 << 1,
		.out_mask = 1 << 3 };
	return edgeai_graph_create_exits(sub, &spec, &ex, 1, id);
}

struct job {
	uint64_t id;
	int fds[4];
};

/* min_ppm < 0: an ordinary job; else anytime with that minimum. */
static int submit(uint32_t graph, const float *in, int min_ppm, uint64_t deadline_ns,
		  struct job *j)
{
	struct edgeai_job_spec spec = {
		.graph_id = graph, .priority = EDGEAI_PRIO_NORMAL, .deadline_ns = deadline_ns,
		.nr_buffers = 4, .buf_fds = j->fds,
	};
	uint8_t poison[64];
	int ret;

	memset(poison, POISON, sizeof(poison));
	ret = edgeai_buffers_create("exits-test", 4, sizes, j->fds);
	if (ret)
		return ret;
	if (pwrite(j->fds[0], in, IN_FLOATS * 4, 0) != IN_FLOATS * 4 ||
	    pwrite(j->fds[2], poison, sizes[2], 0) != (ssize_t)sizes[2] ||
	    pwrite(j->fds[3], poison, sizes[3], 0) != (ssize_t)sizes[3])
		return -EIO;
	return min_ppm < 0 ? edgeai_submit(sub, &spec, &j->id) :
			     edgeai_submit_anytime(sub, &spec, (uint32_t)min_ppm, &j->id);
}

static int wait_job(const struct job *j, struct edgeai_result *r)
{
	return edgeai_wait(sub, j->id, EDGEAI_WAIT_TIMEOUT, edgeai_now_ns() + 120000 * MS, r);
}

static void read_buf(const struct job *j, int b, float *out)
{
	if (pread(j->fds[b], out, OUT_FLOATS * 4, 0) != OUT_FLOATS * 4)
		memset(out, 0, OUT_FLOATS * 4);
}

static void close_job(struct job *j)
{
	for (int i = 0; i < 4; i++)
		close(j->fds[i]);
}

static float max_diff(const float *a, const float *b)
{
	float d = 0;

	for (int i = 0; i < OUT_FLOATS; i++)
		d = fmaxf(d, fabsf(a[i] - b[i]));
	return d;
}

static bool poisoned(const float *v)
{
	const uint8_t *p = (const uint8_t *)v;

	for (int i = 0; i < OUT_FLOATS * 4; i++)
		if (p[i] != POISON)
			return false;
	return true;
}

static void test_armnn(int model_fd, const float *in)
{
	static const char *const prefs[] = { "CpuRef" };
	float ref_exit[OUT_FLOATS], ref_out[OUT_FLOATS], got[OUT_FLOATS], sum = 0;
	struct armnn_shim_net *net;
	struct edgeai_result r;
	struct job j;
	uint32_t g;
	char err[256];
	pid_t pid;

	if (!ok(!armnn_shim_load(model_bytes, model_len, prefs, 1, &net, err, sizeof(err)) &&
		armnn_shim_nr_outputs(net) == 2, "the model with its exit head loads on Arm NN "
		"CpuRef, two outputs") ||
	    !ok(!armnn_shim_run(net, (const void *const[]){ in },
				(void *const[]){ ref_exit, ref_out }, err, sizeof(err)),
		"and runs directly: the reference")) {
		diag("%s", err);
		return;
	}
	armnn_shim_unload(net);
	for (int i = 0; i < OUT_FLOATS; i++)
		sum += ref_exit[i];
	ok(fabsf(sum - 1) < 1e-4 && max_diff(ref_exit, ref_out) > 1e-3,
	   "the exit's result is a softmax of its own (sum %.5f), not the model's output", sum);

	pid = start_edgeaid("[defaults]\nbackend = armnn\narmnn_backends = CpuRef\n");
	if (!ok(wait_executors(sub, NR_CLUSTERS, 1, 60000), "edgeaid serves both clusters on Arm NN")) {
		log_show(LOG, "log: ");
		kill(pid, SIGKILL);
		return;
	}
	/* Stage 1 declared at 60 s: after stage 0 the rest cannot end in 5 s. */
	ok(!make_graph("exitnet-late", model_fd, 60000 * MS, &g),
	   "graph of two stages with an exit after the first registered");
	if (submit(g, in, 500000, edgeai_now_ns() + 5000 * MS, &j) || wait_job(&j, &r)) {
		ok(0, "the anytime job ran");
	} else {
		ok(r.wait.status == EDGEAI_JOB_DONE_EXIT && r.wait.exit_index == 0,
		   "an anytime job that would be late ends at the exit (%s, exit %u, error %d)",
		   edgeai_status_name(r.wait.status), r.wait.exit_index, r.wait.error);
		read_buf(&j, 2, got);
		ok(max_diff(got, ref_exit) < 1e-5,
		   "the exit's buffer holds the exit head's result, as Arm NN gives it (max diff %g)",
		   (double)max_diff(got, ref_exit));
		read_buf(&j, 3, got);
		ok(poisoned(got), "the final output's buffer is untouched: stage 1 never ran");
		close_job(&j);
	}
	if (submit(g, in, 700000, edgeai_now_ns() + 5000 * MS, &j) || wait_job(&j, &r)) {
		ok(0, "the anytime job with a high minimum ran");
	} else {
		ok(r.wait.status == EDGEAI_JOB_DONE,
		   "a minimum above the exit's accuracy: the job runs to its end (%s)",
		   edgeai_status_name(r.wait.status));
		read_buf(&j, 3, got);
		ok(max_diff(got, ref_out) < 1e-5, "and returns the model's output (max diff %g)",
		   (double)max_diff(got, ref_out));
		read_buf(&j, 2, got);
		ok(max_diff(got, ref_exit) < 1e-5, "its exit's buffer holds the exit's result too");
		close_job(&j);
	}
	if (submit(g, in, -1, 0, &j) || wait_job(&j, &r)) {
		ok(0, "the ordinary job ran");
	} else {
		read_buf(&j, 3, got);
		ok(r.wait.status == EDGEAI_JOB_DONE && max_diff(got, ref_out) < 1e-5,
		   "an ordinary job on the same graph runs every stage (%s)",
		   edgeai_status_name(r.wait.status));
		close_job(&j);
	}
	if (tap_failed)
		log_show(LOG, "log: ");
	edgeaid_stop(pid, 10000);
}

static void test_sim(int model_fd, const float *in)
{
	struct edgeai_result r;
	struct job j;
	uint32_t g;
	float got[OUT_FLOATS];
	pid_t pid = start_edgeaid("[defaults]\nbackend = sim\n");

	if (!ok(wait_executors(sub, NR_CLUSTERS, 1, 60000), "edgeaid serves both clusters on its sim backend")) {
		log_show(LOG, "log: ");
		kill(pid, SIGKILL);
		return;
	}
	ok(!make_graph("exitnet-sim", model_fd, 60000 * MS, &g), "the same graph registered again");
	if (submit(g, in, 500000, edgeai_now_ns() + 5000 * MS, &j) || wait_job(&j, &r)) {
		ok(0, "the anytime job ran on sim");
	} else {
		ok(r.wait.status == EDGEAI_JOB_DONE_EXIT && r.wait.exit_index == 0 &&
		   r.stages[1].exec_ns == 0,
		   "sim: the job ends at the exit without running stage 1 (%s, exit %u)",
		   edgeai_status_name(r.wait.status), r.wait.exit_index);
		read_buf(&j, 3, got);
		ok(poisoned(got), "sim: the final output's buffer is untouched");
		close_job(&j);
	}
	edgeaid_stop(pid, 10000);
}

int main(void)
{
	float in[IN_FLOATS];
	char err[256];
	int model_fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (edgeai_open(&sub))
		bail_out("cannot open /dev/edgeai");
	model_fd = model_load(MODEL, &model_bytes, &model_len, &model);
	sizes[0] = IN_FLOATS * 4;
	sizes[1] = tfl_tensor_bytes(&model.tensors[model.ops[0].out[0]]);
	sizes[2] = OUT_FLOATS * 4;
	sizes[3] = OUT_FLOATS * 4;
	for (int i = 0; i < IN_FLOATS; i++)
		in[i] = sinf((float)i * 0.37f) + 0.1f;
	ok(model.nr_ops == 12 && model.nr_outputs == 2,
	   "exitnet: 12 operators, the exit's output and the model's");
	if (armnn_shim_init(NULL, 0, err, sizeof(err)) || !armnn_shim_has_backend("CpuRef"))
		skip("Arm NN CpuRef is not available in the VM (%s): no Arm NN checks", err);
	else
		test_armnn(model_fd, in);
	test_sim(model_fd, in);
	armnn_shim_exit();
	edgeai_close(sub);
	return tap_done();
}
