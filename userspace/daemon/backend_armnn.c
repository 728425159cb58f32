// SPDX-License-Identifier: GPL-2.0-only
/*
 * The armnn backend: a stage's layers, cut out of the graph's .tflite
 * model (tflite.h), run by Arm NN on the cluster's backends.
 *
 * Each worker keeps its own loaded networks, one per (graph, stage) it has
 * run, in a cache of conf.cache entries that evicts the least recently
 * used: a network is loaded once from the model file the kernel hands
 * over and never shared between workers (Arm NN cannot run one network
 * from two threads).
 *
 * Buffers: the sub-model's inputs, in ascending tensor index, are read
 * from the job buffers of the stage's in_mask in ascending bit order, one
 * tensor per buffer; its outputs go to the buffers of out_mask the same
 * way.  Each tensor sits at offset 0 of its buffer, densely packed in the
 * model's element type (float32 little-endian for float models).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "armnn_shim.h"
#include "backend.h"
#include "bufio.h"
#include "log.h"
#include "opencl.h"
#include "tflite.h"
#include "worker.h"

/* Largest model file read. */
#define MODEL_MAX	(256u << 20)

struct net_entry {
	uint64_t graph_key;
	uint32_t stage, first, nr;
	struct armnn_shim_net *net;
	uint64_t last_use;
};

struct armnn_state {
	unsigned int nr, cap;
	struct net_entry *nets;
	uint64_t clock;
	unsigned int nr_prefs;
	const char *prefs[CONF_MAX_PREFS];
	char prefs_text[CONF_MAX_PREFS * CONF_PREF_LEN];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * The Arm NN backends this worker asks for: configured or by kind, each
 * one the runtime can run.  A GPU cluster needs GpuAcc and an OpenCL GPU;
 * it is not offered to a CPU backend instead.
 */
static int choose_prefs(struct worker *w, struct armnn_state *s)
{
	static const char *const cpu_default[] = { "CpuAcc", "CpuRef" };
	static const char *const gpu_default[] = { "GpuAcc" };
	const char *want[CONF_MAX_PREFS];
	unsigned int nr_want = 0, i;
	uint32_t kind = w->desc.info.kind;
	const char *name = w->desc.info.name;
	size_t used = 0;

	if (w->conf.nr_prefs) {
		for (i = 0; i < w->conf.nr_prefs; i++)
			want[nr_want++] = w->conf.prefs[i];
	} else if (kind == EDGEAI_CLUSTER_CPU) {
		for (i = 0; i < 2; i++)
			want[nr_want++] = cpu_default[i];
	} else if (kind == EDGEAI_CLUSTER_GPU) {
		want[nr_want++] = gpu_default[0];
	} else {
		log_err("%s: an NPU cluster on armnn needs armnn_backends = <its dynamic backend>",
			name);
		return -EINVAL;
	}

	for (i = 0; i < nr_want; i++) {
		if (!armnn_shim_has_backend(want[i])) {
			if (kind == EDGEAI_CLUSTER_GPU || w->conf.nr_prefs)
				log_warn("%s: Arm NN backend %s is not available here", name, want[i]);
			continue;
		}
		/*
		 * By default GpuAcc needs an OpenCL GPU.  Named explicitly in
		 * armnn_backends, any OpenCL device will do: pocl's CPU device
		 * in an emulated board, where GpuAcc's OpenCL kernels run on
		 * the CPUs.
		 */
		if (!strcmp(want[i], "GpuAcc") && opencl_gpu_devices() <= 0) {
			if (!w->conf.nr_prefs || opencl_devices() <= 0) {
				log_warn("%s: GpuAcc needs an OpenCL GPU device and the ICD loader finds none",
					 name);
				continue;
			}
			log_warn("%s: GpuAcc on an OpenCL device that is not a GPU (named in armnn_backends)",
				 name);
		}
		s->prefs[s->nr_prefs++] = want[i];
		used += (size_t)snprintf(s->prefs_text + used, sizeof(s->prefs_text) - used,
					 "%s%s", used ? "," : "", want[i]);
	}
	if (kind == EDGEAI_CLUSTER_GPU && !(s->nr_prefs && !strcmp(s->prefs[0], "GpuAcc"))) {
		log_err("%s: a GPU cluster runs on GpuAcc, which cannot run here: use backend = sim or none",
			name);
		return -ENODEV;
	}
	if (!s->nr_prefs) {
		log_err("%s: none of the Arm NN backends asked for can run here", name);
		return -ENODEV;
	}
	return 0;
}

static int armnn_init(struct worker *w)
{
	struct armnn_state *s;
	int ret;

	if (!armnn_shim_built()) {
		log_err("%s: edgeaid was built without Arm NN", w->desc.info.name);
		return -ENOSYS;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->cap = w->conf.cache;
	s->nets = calloc(s->cap, sizeof(*s->nets));
	if (!s->nets) {
		free(s);
		return -ENOMEM;
	}
	ret = choose_prefs(w, s);
	if (ret) {
		free(s->nets);
		free(s);
		return ret;
	}
	w->state = s;
	log_info("%s: armnn on %s, up to %u loaded networks", w->desc.info.name,
		 s->prefs_text, s->cap);
	return 0;
}

static void drop(struct net_entry *e)
{
	armnn_shim_unload(e->net);
	memset(e, 0, sizeof(*e));
}

static void armnn_exit(struct worker *w)
{
	struct armnn_state *s = w->state;
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < s->nr; i++)
		drop(&s->nets[i]);
	free(s->nets);
	free(s);
	w->state = NULL;
}

/* The whole model file, read with pread: no mapping to fault on. */
static int read_model(int fd, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t done = 0;

	if (fd < 0)
		return -ENOENT;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_size < 8 || (uint64_t)st.st_size > MODEL_MAX)
		return -EFBIG;
	*len = (size_t)st.st_size;
	*buf = malloc(*len);
	if (!*buf)
		return -ENOMEM;
	while (done < *len) {
		ssize_t n = pread(fd, *buf + done, *len - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(*buf);
			return n < 0 ? -errno : -EIO;
		}
		done += (size_t)n;
	}
	return 0;
}

static unsigned int popcount64(uint64_t v)
{
	return (unsigned int)__builtin_popcountll(v);
}

/* Cut the stage out of the model and load it. */
static int load_stage(struct worker *w, const struct edgeai_exec_fetch *f,
		      struct armnn_shim_net **net)
{
	struct armnn_state *s = w->state;
	const char *name = w->desc.info.name;
	uint8_t *model = NULL, *sub = NULL;
	size_t len = 0, sub_len = 0;
	struct tfl_model m;
	struct tfl_cut cut;
	char err[512];
	uint64_t t0 = now_ns();
	int ret;

	ret = read_model(f->model_fd, &model, &len);
	if (ret) {
		log_err("%s: graph \"%s\": cannot read its model: %s", name, f->graph_name,
			ret == -ENOENT ? "the graph has none" : strerror(-ret));
		return ret == -ENOENT ? -EINVAL : ret;
	}
	ret = tfl_parse(model, len, &m, err, sizeof(err));
	if (ret) {
		log_err("%s: graph \"%s\": model is not a usable .tflite file: %s", name,
			f->graph_name, err);
		free(model);
		return ret;
	}
	ret = tfl_cut_plan(&m, f->first_layer, f->nr_layers, &cut, err, sizeof(err));
	if (!ret && (popcount64(f->in_mask) != cut.nr_inputs ||
		     popcount64(f->out_mask) != cut.nr_outputs)) {
		snprintf(err, sizeof(err),
			 "layers [%u, %u) read %u and write %u tensors, but the stage names %u input and %u output buffers",
			 cut.first, cut.first + cut.nr, cut.nr_inputs, cut.nr_outputs,
			 popcount64(f->in_mask), popcount64(f->out_mask));
		ret = -EINVAL;
	}
	if (!ret)
		ret = tfl_cut_write(&m, &cut, &sub, &sub_len);
	tfl_free(&m);
	free(model);
	if (ret) {
		log_err("%s: graph \"%s\" stage %u: cannot cut the model: %s", name,
			f->graph_name, f->stage, ret == -ENOMEM ? "out of memory" : err);
		return ret;
	}
	ret = armnn_shim_load(sub, sub_len, s->prefs, s->nr_prefs, net, err, sizeof(err));
	free(sub);
	if (ret) {
		log_err("%s: graph \"%s\" stage %u: Arm NN cannot load layers [%u, %u): %s", name,
			f->graph_name, f->stage, f->first_layer, f->first_layer + f->nr_layers,
			err);
		return ret;
	}
	log_info("%s: graph \"%s\" stage %u/%u: loaded layers [%u, %u) on %s in %.1f ms", name,
		 f->graph_name, f->stage + 1, f->nr_stages, f->first_layer,
		 f->first_layer + f->nr_layers, armnn_shim_placement(*net),
		 (double)(now_ns() - t0) / 1e6);
	return 0;
}

static int lookup(struct worker *w, const struct edgeai_exec_fetch *f, struct net_entry **out)
{
	struct armnn_state *s = w->state;
	struct net_entry *e, *victim = NULL;
	struct armnn_shim_net *net;
	unsigned int i;
	int ret;

	for (i = 0; i < s->nr; i++) {
		e = &s->nets[i];
		if (e->graph_key == f->graph_key && e->stage == f->stage &&
		    e->first == f->first_layer && e->nr == f->nr_layers) {
			e->last_use = ++s->clock;
			*out = e;
			return 0;
		}
	}
	ret = load_stage(w, f, &net);
	if (ret)
		return ret;
	if (s->nr < s->cap) {
		victim = &s->nets[s->nr++];
	} else {
		victim = &s->nets[0];
		for (i = 1; i < s->nr; i++)
			if (s->nets[i].last_use < victim->last_use)
				victim = &s->nets[i];
		log_debug("%s: evicting graph %llu stage %u (least recently used)",
			  w->desc.info.name, (unsigned long long)victim->graph_key, victim->stage);
		drop(victim);
	}
	victim->graph_key = f->graph_key;
	victim->stage = f->stage;
	victim->first = f->first_layer;
	victim->nr = f->nr_layers;
	victim->net = net;
	victim->last_use = ++s->clock;
	*out = victim;
	return 0;
}

/* The job buffer of the @n-th set bit of @mask. */
static int nth_bit(uint64_t mask, unsigned int n)
{
	int b;

	for (b = 0; b < 64; b++)
		if ((mask & (1ULL << b)) && !n--)
			return b;
	return -1;
}

/*
 * Maps (or reads) the task's buffers of the network's inputs, or of its
 * outputs (@output), into io[0..nr).  *opened counts the io[] to close
 * (buf_io_close() takes the one that failed too), *mapped the mapped
 * ones.  0, or the error, logged.
 */
static int open_buffers(const struct worker *w, const struct edgeai_task *task,
			const struct armnn_shim_net *net, bool output, struct buf_io *io,
			unsigned int nr, unsigned int *opened, unsigned int *mapped)
{
	const struct edgeai_exec_fetch *f = &task->fetch;
	const struct armnn_shim_tensor *(*tensor)(const struct armnn_shim_net *net,
						  unsigned int i) =
		output ? armnn_shim_output : armnn_shim_input;
	unsigned int i;
	int ret = 0, b = -1;

	for (i = 0; i < nr && !ret; i++, (*opened)++) {
		b = nth_bit(output ? f->out_mask : f->in_mask, i);
		ret = buf_io_open(&io[i], task->buf_fds[b], tensor(net, i)->bytes, output);
		*mapped += io[i].mapped;
	}
	if (ret)
		log_warn("%s: graph \"%s\" stage %u: %s buffer %d: %s (tensor \"%s\" needs %llu bytes)",
			 w->desc.info.name, f->graph_name, f->stage, output ? "output" : "input",
			 b, strerror(-ret), tensor(net, i - 1)->name,
			 (unsigned long long)tensor(net, i - 1)->bytes);
	return ret;
}

static int armnn_run(struct worker *w, const struct edgeai_task *task, struct stage_result *res)
{
	const struct edgeai_exec_fetch *f = &task->fetch;
	struct buf_io in[TFL_MAX_IO], out[TFL_MAX_IO];
	const void *in_ptr[TFL_MAX_IO];
	void *out_ptr[TFL_MAX_IO];
	unsigned int nr_in, nr_out, i, opened_in = 0, opened_out = 0, mapped = 0;
	const char *name = w->desc.info.name;
	struct net_entry *e;
	char err[256];
	uint64_t t0;
	int ret;

	ret = lookup(w, f, &e);
	if (ret)
		return ret;
	t0 = now_ns();
	nr_in = armnn_shim_nr_inputs(e->net);
	nr_out = armnn_shim_nr_outputs(e->net);
	if (nr_in != popcount64(f->in_mask) || nr_out != popcount64(f->out_mask))
		return -EINVAL;

	ret = open_buffers(w, task, e->net, false, in, nr_in, &opened_in, &mapped);
	if (!ret)
		ret = open_buffers(w, task, e->net, true, out, nr_out, &opened_out, &mapped);
	if (ret)
		goto out;
	for (i = 0; i < nr_in; i++)
		in_ptr[i] = in[i].data;
	for (i = 0; i < nr_out; i++)
		out_ptr[i] = out[i].data;
	ret = armnn_shim_run(e->net, in_ptr, out_ptr, err, sizeof(err));
	if (ret) {
		log_warn("%s: graph \"%s\" stage %u: Arm NN: %s", name, f->graph_name, f->stage, err);
		goto out;
	}
	for (i = 0; i < nr_out && !ret; i++)
		ret = buf_io_finish(&out[i]);
	if (ret)
		log_warn("%s: graph \"%s\" stage %u: writing output buffer %d: %s", name,
			 f->graph_name, f->stage, nth_bit(f->out_mask, i - 1), strerror(-ret));
out:
	for (i = 0; i < opened_in; i++)
		buf_io_close(&in[i]);
	for (i = 0; i < opened_out; i++)
		buf_io_close(&out[i]);
	res->exec_ns = now_ns() - t0;
	if (w->conf.power_set)
		res->energy_uj = energy_uj(w->conf.power_mw, res->exec_ns);
	snprintf(res->note, sizeof(res->note), "armnn %s, %u of %u buffers mapped",
		 armnn_shim_placement(e->net), mapped, nr_in + nr_out);
	return ret;
}

const struct backend_ops armnn_backend = {
	.name = "armnn",
	.init = armnn_init,
	.run = armnn_run,
	.exit = armnn_exit,
};
