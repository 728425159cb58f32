// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_pipeline: in the VM, with edgeaid serving two one-CPU clusters on
 * Arm NN CpuRef (tests/vm/bench_pipeline.sh sets that up), the model cut
 * in the middle of its operators:
 *
 *  1. overhead: R rounds, each running Arm NN directly in this process
 *     (stage 1 in a thread pinned to CPU 0, stage 2 on its output in one
 *     pinned to CPU 1, the whole model on CPU 0) and one frame through
 *     edgeai (two-stage graph, then one-stage graph), the direct and the
 *     edgeai run in a random order each round; the overhead is the time
 *     outside edgeaid's own run of the stages (queued to completed minus
 *     what edgeaid measured: kernel hand-off, wake-up, fetch, complete)
 *     over the direct run of the same round, its mean and 95 % confidence
 *     interval over the rounds;
 *  2. throughput: steady-state frames per second with W in flight, the
 *     two stages pipelined on the two clusters against two whole-model
 *     replicas, one per cluster (frames dealt in turn: both vCPUs busy),
 *     and a big/LITTLE-style uneven cut (a third of the operators first),
 *     in alternating blocks of 8 frames.
 *
 *   bench_pipeline MODEL [FRAMES [WINDOW [RUNS]]]
 *
 * The environment may change the set-up (arm64, tests/vm/bench-pipeline
 * --arch arm64): BENCH_BACKEND the Arm NN backend of the direct runs
 * (CpuRef; edgeaid's configuration sets the workers'), BENCH_CLUSTERS the
 * two clusters ("cpu0,cpu1"), BENCH_CPUS the CPU each one's worker is
 * pinned to ("0,1").
 *
 * Prints its figures, and last "pipeline_speedup=<x> overhead=<fraction>":
 * the pipeline over the two replicas, the mean overhead.
 * A benchmark, not a test: it fails only when it cannot measure.
 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <edgeai.h>

#include "armnn_shim.h"
#include "tflite.h"

#define MS	1000000ULL

static struct edgeai *h;
static const char *backend = "CpuRef";
static int cpus[2] = { 0, 1 };
static struct tfl_model model;
static uint8_t *bytes;
static size_t len;

static void die(const char *what, int err)
{
	fprintf(stderr, "bench_pipeline: %s: %s\n", what, err ? strerror(-err) : "failed");
	exit(1);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (cpu < 0) {
		CPU_SET(cpus[0], &set);
		CPU_SET(cpus[1], &set);
	} else {
		CPU_SET(cpu, &set);
	}
	sched_setaffinity(0, sizeof(set), &set);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median of @n values, left in their order (runs stay paired). */
static uint64_t median(const uint64_t *v, int n)
{
	uint64_t s[64];

	memcpy(s, v, (size_t)n * sizeof(*v));
	qsort(s, (size_t)n, sizeof(*s), cmp_u64);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static uint64_t tensor_bytes(int32_t t)
{
	return tfl_tensor_bytes(&model.tensors[t]);
}

/* A (sub-)model loaded in this process, run directly. */
struct direct {
	struct armnn_shim_net *net;
	void *in, *out;
	int cpu;
	uint64_t ns;	/* the last run's time */
	sem_t go, done;
};

static void direct_start(struct direct *d);

static void direct_load(struct direct *d, uint32_t first, uint32_t nr, int cpu)
{
	const char *const prefs[] = { backend };
	struct tfl_cut cut;
	uint8_t *sub;
	size_t sub_len;
	char err[256];
	int ret;

	if (tfl_cut_plan(&model, first, nr, &cut, err, sizeof(err)) ||
	    tfl_cut_write(&model, &cut, &sub, &sub_len))
		die("cut", -EINVAL);
	ret = armnn_shim_load(sub, sub_len, prefs, 1, &d->net, err, sizeof(err));
	free(sub);
	if (ret) {
		fprintf(stderr, "%s\n", err);
		die("load", ret);
	}
	d->in = calloc(1, armnn_shim_input(d->net, 0)->bytes);
	d->out = calloc(1, armnn_shim_output(d->net, 0)->bytes);
	d->cpu = cpu;
	direct_start(d);
}

/*
 * The direct runs happen in a thread of their own, pinned to the CPU the
 * worker uses and living as long as the benchmark, as a worker does (a
 * fresh thread per run pays for a cold malloc arena in page faults).
 */
static void *direct_thread(void *p)
{
	struct direct *d = p;
	char err[256];

	pin(d->cpu);
	for (;;) {
		uint64_t t0;

		sem_wait(&d->go);
		t0 = edgeai_now_ns();
		if (armnn_shim_run(d->net, (const void *const[]){ d->in },
				   (void *const[]){ d->out }, err, sizeof(err)))
			die("run", -EIO);
		d->ns = edgeai_now_ns() - t0;
		sem_post(&d->done);
	}
	return NULL;
}

static void direct_start(struct direct *d)
{
	pthread_t th;

	sem_init(&d->go, 0, 0);
	sem_init(&d->done, 0, 0);
	if (pthread_create(&th, NULL, direct_thread, d))
		die("thread", -EAGAIN);
	pthread_detach(th);
}

static uint64_t direct_run(struct direct *d)
{
	sem_post(&d->go);
	while (sem_wait(&d->done))
		;
	return d->ns;
}

struct graph {
	uint32_t id, nr_stages;
	uint64_t sizes[3];
};

static void make_graph(struct graph *g, const char *name, int model_fd, uint32_t split,
		       uint32_t c0, uint32_t c1)
{
	struct edgeai_stage st[2] = {
		{ .cluster_id = c0, .first_layer = 0, .nr_layers = split, .cost_ns = 100 * MS,
		  .in_mask = 1, .out_mask = 2 },
		{ .cluster_id = c1, .first_layer = split, .nr_layers = model.nr_ops - split,
		  .cost_ns = 100 * MS, .in_mask = 2, .out_mask = 4 },
	};
	struct edgeai_graph_spec spec = { .name = name, .model_fd = model_fd, .stages = st };
	int ret;

	if (split == model.nr_ops) {	/* whole: one stage, buffers 0 and 1 */
		spec.nr_stages = 1;
		spec.nr_buffers = 2;
		g->sizes[0] = tensor_bytes(model.inputs[0]);
		g->sizes[1] = tensor_bytes(model.outputs[0]);
	} else {
		spec.nr_stages = 2;
		spec.nr_buffers = 3;
		g->sizes[0] = tensor_bytes(model.inputs[0]);
		g->sizes[1] = tensor_bytes(model.ops[split - 1].out[0]);
		g->sizes[2] = tensor_bytes(model.outputs[0]);
	}
	spec.buf_sizes = g->sizes;
	g->nr_stages = spec.nr_stages;
	ret = edgeai_graph_create(h, &spec, &g->id);
	if (ret)
		die("graph", ret);
}

struct frame {
	uint64_t id;
	int fds[3];
};

static void submit(const struct graph *g, struct frame *f)
{
	struct edgeai_job_spec spec = {
		.graph_id = g->id, .priority = EDGEAI_PRIO_NORMAL,
		.nr_buffers = g->nr_stages + 1, .buf_fds = f->fds,
	};
	int ret;

	ret = edgeai_buffers_create("bench", g->nr_stages + 1, g->sizes, f->fds);
	if (!ret)
		ret = edgeai_submit(h, &spec, &f->id);
	if (ret)
		die("submit", ret);
}

static void collect(const struct graph *g, struct frame *f, struct edgeai_result *r)
{
	int ret = edgeai_wait(h, f->id, EDGEAI_WAIT_TIMEOUT, edgeai_now_ns() + 600000 * MS, r);

	if (ret)
		die("wait", ret);
	if (r->wait.status != EDGEAI_JOB_DONE)
		die(edgeai_status_name(r->wait.status), r->wait.error);
	edgeai_buffers_close(g->nr_stages + 1, f->fds);
}

/*
 * Run @n frames with @window in flight, frame k through @g[k % @ng]; the
 * time from the first frame's completion to the last's: @n - 1 frame
 * intervals at the steady rate, without the time the pipeline takes to
 * fill.
 */
static uint64_t block(const struct graph *g, int ng, int n, int window)
{
	struct frame *f = calloc((size_t)n, sizeof(*f));
	struct edgeai_result r;
	uint64_t first = 0;
	int sent = 0, done = 0;

	while (done < n) {
		while (sent < n && sent - done < window) {
			submit(&g[sent % ng], &f[sent]);
			sent++;
		}
		collect(&g[done % ng], &f[done], &r);
		if (++done == 1)
			first = r.wait.finish_ns;
	}
	free(f);
	return r.wait.finish_ns - first;
}

/* Two-sided 95 % Student t quantile for df degrees of freedom. */
static double t95(int df)
{
	static const double t[] = { 0, 12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26,
				    2.23, 2.20, 2.18, 2.16, 2.14, 2.13, 2.12, 2.11, 2.10,
				    2.09, 2.09, 2.08, 2.07, 2.07, 2.06, 2.06, 2.06, 2.05,
				    2.05, 2.05, 2.04 };

	return df < 1 ? INFINITY : df <= 30 ? t[df] : 1.96;
}

static void mean_ci(const double *v, int n, double *mean, double *half)
{
	double s = 0, ss = 0;

	for (int i = 0; i < n; i++)
		s += v[i];
	*mean = s / n;
	for (int i = 0; i < n; i++)
		ss += (v[i] - *mean) * (v[i] - *mean);
	*half = n > 1 ? t95(n - 1) * sqrt(ss / (n - 1) / n) : INFINITY;
}

int main(int argc, char **argv)
{
	int frames = argc > 2 ? atoi(argv[2]) : 20;
	int window = argc > 3 ? atoi(argv[3]) : 4;
	int runs = argc > 4 ? atoi(argv[4]) : 7;
	uint64_t d0[64], d1[64], dwh[64], q0[64], q1[64], qw[64], e2e[64], x0[64], x1[64];
	uint64_t r0[64], r1[64], rb[64], rw[64], hand[64];
	uint64_t md0, md1, mdw, m0, m1, mw, me2e, t_whole = 0, t_pipe = 0, t_reps = 0;
	uint64_t t_uneven = 0;
	struct direct dw, ds0, ds1;
	struct edgeai_result r;
	struct graph whole, pipe, reps[2], uneven;
	uint32_t split, cpu0, cpu1;
	double fps_whole, fps_pipe, fps_reps, fps_uneven, speedup, ov0, ov1, ovw, overhead;
	double outside[64], ci;
	char err[256], names[2][32] = { "cpu0", "cpu1" };
	int model_fd, ret, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		die("usage: bench_pipeline MODEL [FRAMES [WINDOW [RUNS]]]", -EINVAL);
	if (runs > 64)
		runs = 64;
	model_fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	{
		struct stat st;

		if (model_fd < 0 || fstat(model_fd, &st))
			die(argv[1], -errno);
		len = (size_t)st.st_size;
		bytes = malloc(len);
		if (!bytes || read(model_fd, bytes, len) != (ssize_t)len)
			die("read model", -EIO);
	}
	if (tfl_parse(bytes, len, &model, err, sizeof(err)))
		die(err, -EINVAL);
	split = model.nr_ops / 2;
	ret = edgeai_open(&h);
	if (ret)
		die("/dev/edgeai", ret);
	if (getenv("BENCH_BACKEND"))
		backend = getenv("BENCH_BACKEND");
	if (getenv("BENCH_CPUS") &&
	    sscanf(getenv("BENCH_CPUS"), "%d,%d", &cpus[0], &cpus[1]) != 2)
		die("BENCH_CPUS: two CPUs, e.g. 0,3", -EINVAL);
	if (getenv("BENCH_CLUSTERS") &&
	    sscanf(getenv("BENCH_CLUSTERS"), "%31[^,],%31s", names[0], names[1]) != 2)
		die("BENCH_CLUSTERS: two clusters, e.g. little,big", -EINVAL);
	ret = edgeai_cluster_find(h, names[0]);
	cpu0 = (uint32_t)ret;
	if (ret >= 0)
		ret = edgeai_cluster_find(h, names[1]);
	cpu1 = (uint32_t)ret;
	if (ret < 0)
		die("the two clusters", ret);
	for (i = 0; i < 600; i++) {
		struct edgeai_cluster_desc a, b;

		if (!edgeai_cluster_get(h, cpu0, &a) && !edgeai_cluster_get(h, cpu1, &b) &&
		    a.info.nr_executors && b.info.nr_executors)
			break;
		usleep(100000);
	}
	if (i == 600)
		die("edgeaid did not attach to both clusters", -ETIMEDOUT);
	ret = armnn_shim_init(NULL, 0, err, sizeof(err));
	if (ret)
		die(err, ret);

	printf("model: %s, %u operators, cut after %u; %d frames, %d in flight, %d runs; Arm NN %s, clusters %s (CPU %d) and %s (CPU %d)\n",
	       argv[1], model.nr_ops, split, frames, window, runs, backend, names[0], cpus[0],
	       names[1], cpus[1]);

	/*
	 * 1. Arm NN directly and edgeai, interleaved run by run so that both
	 * see the same VM speed (it drifts under TCG): the stages on their
	 * CPUs, then a frame through the two-stage graph; the whole model on
	 * CPU 0, then a frame through the one-stage graph.
	 */
	direct_load(&dw, 0, model.nr_ops, cpus[0]);
	direct_load(&ds0, 0, split, cpus[0]);
	direct_load(&ds1, split, model.nr_ops - split, cpus[1]);
	/*
	 * Stage 2 reads what stage 1 wrote, as through edgeai: the time of
	 * emulated float arithmetic depends on the values.
	 */
	free(ds1.in);
	ds1.in = ds0.out;
	make_graph(&whole, "bench-whole", model_fd, model.nr_ops, cpu0, cpu0);
	make_graph(&pipe, "bench-pipe", model_fd, split, cpu0, cpu1);
	make_graph(&reps[0], "bench-replica0", model_fd, model.nr_ops, cpu0, cpu0);
	make_graph(&reps[1], "bench-replica1", model_fd, model.nr_ops, cpu1, cpu1);
	make_graph(&uneven, "bench-uneven", model_fd, model.nr_ops / 3 ? model.nr_ops / 3 : 1,
		   cpu0, cpu1);
	srand(17);
	for (i = -1; i < runs; i++) {
		uint64_t a, b, c;
		struct frame f;

		/* A random order each round: neither side always runs first. */
		if (rand() & 1) {
			a = direct_run(&ds0);
			b = direct_run(&ds1);
			submit(&pipe, &f);
			collect(&pipe, &f, &r);
		} else {
			submit(&pipe, &f);
			collect(&pipe, &f, &r);
			a = direct_run(&ds0);
			b = direct_run(&ds1);
		}
		c = direct_run(&dw);
		if (i < 0) {	/* the first round warms up and loads */
			submit(&whole, &f);
			collect(&whole, &f, &r);
			continue;
		}
		d0[i] = a;
		d1[i] = b;
		dwh[i] = c;
		q0[i] = r.stages[0].end_ns - r.stages[0].queued_ns;
		q1[i] = r.stages[1].end_ns - r.stages[1].queued_ns;
		x0[i] = r.stages[0].exec_ns;
		x1[i] = r.stages[1].exec_ns;
		e2e[i] = r.wait.finish_ns - r.wait.submit_ns;
		submit(&whole, &f);
		collect(&whole, &f, &r);
		qw[i] = r.stages[0].end_ns - r.stages[0].queued_ns;
	}
	armnn_shim_unload(dw.net);
	armnn_shim_unload(ds0.net);
	armnn_shim_unload(ds1.net);
	md0 = median(d0, runs);
	md1 = median(d1, runs);
	mdw = median(dwh, runs);
	m0 = median(q0, runs);
	m1 = median(q1, runs);
	mw = median(qw, runs);
	me2e = median(e2e, runs);
	/*
	 * Overheads from the runs paired in time (median of the ratios), which
	 * cancels the VM's drift better than a ratio of medians.
	 */
	for (i = 0; i < runs; i++) {
		r0[i] = q0[i] * 1000000 / d0[i];
		r1[i] = q1[i] * 1000000 / d1[i];
		rb[i] = (q0[i] + q1[i]) * 1000000 / (d0[i] + d1[i]);
		rw[i] = qw[i] * 1000000 / dwh[i];
		hand[i] = q0[i] - x0[i] + q1[i] - x1[i];
		outside[i] = (double)hand[i] / (double)(d0[i] + d1[i]);
	}
	mean_ci(outside, runs, &overhead, &ci);
	ov0 = median(r0, runs) / 1e6 - 1;
	ov1 = median(r1, runs) / 1e6 - 1;
	ovw = median(rw, runs) / 1e6 - 1;
	printf("direct Arm NN (median of %d): stage 1 %.1f ms on CPU %d, stage 2 %.1f ms on CPU %d, whole %.1f ms on CPU %d\n",
	       runs, md0 / 1e6, cpus[0], md1 / 1e6, cpus[1], mdw / 1e6, cpus[0]);
	printf("through edgeai, one frame at a time, queued to completed: stage 1 %.1f ms (edgeaid measured %.1f), stage 2 %.1f ms (%.1f), whole %.1f ms\n",
	       m0 / 1e6, median(x0, runs) / 1e6, m1 / 1e6, median(x1, runs) / 1e6, mw / 1e6);
	printf("queued to completed vs direct Arm NN (median of paired runs, TCG noise included): stage 1 %+.2f %%, stage 2 %+.2f %%, both stages %+.2f %%, one-stage graph %+.2f %%\n",
	       ov0 * 100, ov1 * 100, (median(rb, runs) / 1e6 - 1) * 100, ovw * 100);
	printf("overhead = time outside edgeaid's own run of the stages (kernel hand-off, wake-up, fetch, complete) / direct stages: mean %.3f %% +- %.3f %% (95 %% CI, %d rounds, random order), median %.2f ms\n",
	       overhead * 100, ci * 100, runs, median(hand, runs) / 1e6);
	printf("two-stage frame from submit to result: %.1f ms (%+.2f %% over the two direct stages)\n",
	       me2e / 1e6, ((double)me2e / (double)(md0 + md1) - 1) * 100);

	/* 2. Throughput. */
	/* Blocks of each, taken in turn: all see the same VM speed. */
	for (i = 0; i < frames / 8; i++) {
		t_whole += block(&whole, 1, 8, window);
		t_reps += block(reps, 2, 8, window);
		t_pipe += block(&pipe, 1, 8, window);
		t_uneven += block(&uneven, 1, 8, window);
	}
	fps_whole = (frames / 8) * 7 / ((double)t_whole / 1e9);
	fps_reps = (frames / 8) * 7 / ((double)t_reps / 1e9);
	fps_pipe = (frames / 8) * 7 / ((double)t_pipe / 1e9);
	fps_uneven = (frames / 8) * 7 / ((double)t_uneven / 1e9);
	speedup = fps_pipe / fps_reps;
	printf("throughput, %d frames each in blocks of 8, %d in flight: whole on one cluster %.2f frames/s, two whole replicas (one per cluster) %.2f, two stages pipelined (even cut) %.2f, uneven cut (%u of %u operators first) %.2f\n",
	       frames, window, fps_whole, fps_reps, fps_pipe, model.nr_ops / 3 ? model.nr_ops / 3 : 1,
	       model.nr_ops, fps_uneven);
	printf("pipeline vs two replicas %.2fx, uneven cut vs two replicas %.2fx, pipeline vs one whole %.2fx\n",
	       speedup, fps_uneven / fps_reps, fps_pipe / fps_whole);

	edgeai_graph_destroy(h, whole.id);
	edgeai_graph_destroy(h, pipe.id);
	edgeai_graph_destroy(h, reps[0].id);
	edgeai_graph_destroy(h, reps[1].id);
	edgeai_graph_destroy(h, uneven.id);
	armnn_shim_exit();
	edgeai_close(h);
	printf("pipeline_speedup=%.2f overhead=%.4f\n", speedup, overhead);
	return 0;
}
