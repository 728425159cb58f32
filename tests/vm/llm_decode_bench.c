// SPDX-License-Identifier: GPL-2.0-only
/*
 * The real decoder (edgeaid's llm.c) in the VM: tokens per second of a
 * greedy decode alone, then next to a 30 FPS camera with a deadline on
 * the same CPU, with the camera's deadline satisfaction and p99:
 *
 *  (c) Linux's default scheduling (CFS): the decode in this process, the
 *      camera a process doing a frame of CPU work every 1/FPS s;
 *  (a) edgeai sessions: edgeaid serves the one cluster (on the one CPU);
 *      the camera submits a REALTIME job a frame, a real model
 *      (camnet.tflite, MODEL_camnet in userspace/daemon/build.mk, on Arm
 *      NN's CpuRef), and the chat is a session job
 *      whose token steps are queued one by one, frozen while the camera's
 *      deadlines are at risk;
 *  (b) the same decode as one long job: a job of the same session whose
 *      prefill is the whole decode (the prompt the tokens (a) generated),
 *      one stage that holds the cluster to its end.
 *
 * A benchmark: it prints figures, its checks only say that each part ran
 * and that edgeaid generated the tokens decoded here.  `make bench-llm-vm`
 * runs it (tests/vm/llm-decode), with tests/vm/llm_decode_bench.modparams
 * and .rootfs.
 *
 *   llm_decode_bench [--tokens N] [--fps F] [--frame-ms W] [--deadline-ms D]
 *                    [--cpu C] [--wide-deadline-ms D2]
 *
 * The camera's deadline is D (33 ms, one period); its deadline
 * satisfaction is also given against D2 (100 ms, edgeai-bench llm's
 * operating point), and (a) runs with the camera's jobs due in D, then
 * in D2: whether the kernel freezes the session depends on it.
 *
 * Last line: vm_tokens_per_s=<f> vm_tokens_per_s_with_camera=<f>
 * vm_camera_deadline_ratio=<f> (decode alone, and (c)).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <edgeai.h>

#include "../../userspace/daemon/llm_session.h"
#include "../../userspace/daemon/tflite.h"
#include "../lib/edgeaid.h"
#include "../lib/tap.h"

#define EDGEAID		"/tests/edgeaid"
#define MODEL		"/tests/camnet.tflite"
#define CONF		"/tmp/llm-bench.conf"
#define LOG		"/tmp/edgeaid.log"
#define NS		1000000000.0

/* A model whose step, on TCG, is a few camera periods' worth at most. */
static const struct llm_config shape = {
	.dim = 128, .hidden = 384, .n_layers = 4, .n_heads = 4, .vocab = 256,
	.max_seq = 1024,
};

#define WEIGHT_SEED	22
#define MAX_FRAMES	100000
#define EDGE_STEPS	8

struct camera_shm {
	volatile int stop;
	long frames, met;	/* frames dropped count, never met */
	long ran;		/* edgeai: frames run, and their own run time */
	double run_ms;
	double lat_ms[MAX_FRAMES];
};

/*
 * A frame that arrived at @arrival (CLOCK_MONOTONIC s): run it, return
 * when it was done, or a negative value when it could not run.
 */
typedef double (*frame_fn)(struct camera_shm *c, double arrival, void *arg);

static double now_s(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		printf("# cannot pin to CPU %d: %s\n", cpu, strerror(errno));
}

/* A frame: @work_s of this process's own CPU time, however long it waits. */
static void frame_work(double work_s)
{
	double until = now_s(CLOCK_THREAD_CPUTIME_ID) + work_s;
	volatile uint64_t x = 1;

	while (now_s(CLOCK_THREAD_CPUTIME_ID) < until)
		for (int i = 0; i < 1000; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
}

static double cpu_frame(struct camera_shm *c, double arrival, void *arg)
{
	(void)c;
	(void)arrival;
	frame_work(*(const double *)arg);
	return now_s(CLOCK_MONOTONIC);
}

/* The camera: a frame every 1/@fps s, each due @deadline_s after it came. */
static void camera(struct camera_shm *c, int cpu, double fps, double deadline_s,
		   frame_fn frame, void *arg)
{
	double period = 1 / fps, next = now_s(CLOCK_MONOTONIC) + period;

	pin(cpu);
	while (!c->stop && c->frames < MAX_FRAMES) {
		struct timespec ts = { (time_t)next, (long)((next - (time_t)next) * 1e9) };
		double lat, done;

		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		if (c->stop)
			break;
		done = frame(c, next, arg);
		if (done < 0)
			break;
		lat = done - next;
		c->lat_ms[c->frames++] = lat * 1000;
		c->met += lat <= deadline_s;
		next += period;
		/*
		 * A frame that ended late: of the frames that came meanwhile the
		 * camera keeps the newest, run at once, and drops the others.
		 * Each dropped one is a frame missed, its latency (negative: a
		 * dropped frame) as long as it waited, at least.
		 */
		for (done = now_s(CLOCK_MONOTONIC);
		     next + period <= done && c->frames < MAX_FRAMES; next += period)
			c->lat_ms[c->frames++] = -(done - next) * 1000;
	}
	_exit(0);
}

struct decode_result {
	double tokens_per_s, first_ms, last_ms;
};

/* The decode here, in process; its tokens in @out unless NULL. */
static int decode(uint32_t tokens, struct decode_result *r, uint32_t *out)
{
	float *w = malloc(llm_weights_floats(&shape) * sizeof(float));
	float *kv = calloc(llm_kv_floats(&shape), sizeof(float));
	struct llm_scratch *s = llm_scratch_new(&shape);
	uint32_t tok = 1;
	double t0, t, first = 0, last = 0;

	if (!w || !kv || !s) {
		free(w);
		free(kv);
		llm_scratch_free(s);
		return -ENOMEM;
	}
	llm_weights_fill(&shape, WEIGHT_SEED, w);
	t0 = now_s(CLOCK_MONOTONIC);
	for (uint32_t pos = 0; pos < tokens; pos++) {
		t = now_s(CLOCK_MONOTONIC);
		tok = llm_step(&shape, w, kv, s, pos, tok, NULL);
		t = now_s(CLOCK_MONOTONIC) - t;
		if (out)
			out[pos] = tok;
		if (pos < EDGE_STEPS)
			first += t;
		if (pos >= tokens - EDGE_STEPS)
			last += t;
	}
	r->tokens_per_s = tokens / (now_s(CLOCK_MONOTONIC) - t0);
	r->first_ms = first / EDGE_STEPS * 1000;
	r->last_ms = last / EDGE_STEPS * 1000;
	free(w);
	free(kv);
	llm_scratch_free(s);
	return 0;
}

/* ---------------------------------------------------------------- edgeai */

struct bench {
	struct edgeai *h;
	uint32_t tokens, graph, session;
	const uint32_t *ref;		/* the tokens decoded here */
	double step_ms;			/* a step here, the graphs' prior */
	struct camera_shm *cam;
	int cpu;
	double fps, deadline_s, frame_ms;
	double deadline_ms, wide_ms;	/* the camera's, and the sim's wider one */
	uint32_t nr_ops;		/* the camera's model */
	uint64_t cam_sizes[2];
	pid_t cam_pid;
};

struct edgeai_cam {
	struct edgeai *h;
	uint32_t graph;
	int fds[2];
	uint64_t deadline_ns;
};

static double edgeai_frame(struct camera_shm *c, double arrival, void *arg)
{
	struct edgeai_cam *e = arg;
	uint64_t at = (uint64_t)(arrival * NS);
	struct edgeai_job_spec spec = { .graph_id = e->graph,
		.priority = EDGEAI_PRIO_REALTIME, .deadline_ns = at + e->deadline_ns,
		.nr_buffers = 2, .buf_fds = e->fds };
	struct edgeai_result r;
	uint64_t id;
	int ret;

	ret = edgeai_submit(e->h, &spec, &id);
	if (!ret)
		ret = edgeai_wait(e->h, id, 0, 0, &r);
	/* Late is a frame too: the camera counts it against its deadline. */
	if (ret || (r.wait.status != EDGEAI_JOB_DONE &&
		    r.wait.status != EDGEAI_JOB_DEADLINE_MISSED)) {
		printf("# camera: frame %ld: %s (status %u)\n", c->frames,
		       ret ? edgeai_strerror(ret) : "failed", ret ? 0 : r.wait.status);
		return -1;
	}
	c->run_ms += (r.stages[0].end_ns - r.stages[0].start_ns) / 1e6;
	c->ran++;
	return r.wait.finish_ns / NS;
}

/* The camera's process: its own file, graph and buffers, then frames. */
static void edgeai_camera(const struct bench *b)
{
	struct edgeai_stage st = { .cluster_id = 0, .nr_layers = b->nr_ops,
		.cost_ns = (uint64_t)(b->frame_ms * 1e6), .in_mask = 1, .out_mask = 2 };
	struct edgeai_graph_spec spec = { .name = "camera", .nr_stages = 1,
		.stages = &st, .nr_buffers = 2, .buf_sizes = b->cam_sizes };
	struct edgeai_cam e = { .deadline_ns = (uint64_t)(b->deadline_s * NS) };
	float *in;
	uint64_t i;
	int ret;

	spec.model_fd = open(MODEL, O_RDONLY | O_CLOEXEC);
	ret = spec.model_fd < 0 ? -errno : edgeai_open(&e.h);
	if (!ret)
		ret = edgeai_graph_create(e.h, &spec, &e.graph);
	if (!ret)
		ret = edgeai_buffers_create("camera", 2, b->cam_sizes, e.fds);
	if (ret) {
		printf("# camera: %s\n", edgeai_strerror(ret));
		_exit(1);
	}
	in = mmap(NULL, b->cam_sizes[0], PROT_READ | PROT_WRITE, MAP_SHARED, e.fds[0], 0);
	if (in == MAP_FAILED)
		_exit(1);
	/* A frame: any deterministic picture will do. */
	for (i = 0; i < b->cam_sizes[0] / sizeof(float); i++)
		in[i] = (float)(i % 17) / 17;
	munmap(in, b->cam_sizes[0]);
	camera(b->cam, b->cpu, b->fps, b->deadline_s, edgeai_frame, &e);
}

static int camera_start(struct bench *b)
{
	memset(b->cam, 0, sizeof(*b->cam));
	b->cam_pid = fork();
	if (!b->cam_pid)
		edgeai_camera(b);
	if (b->cam_pid < 0)
		return -errno;
	/* A few frames before the decode starts, the camera's estimate known. */
	usleep((useconds_t)(4e6 / b->fps));
	return 0;
}

static void camera_stop(struct bench *b)
{
	b->cam->stop = 1;
	kill(b->cam_pid, SIGTERM);
	waitpid(b->cam_pid, NULL, 0);
}

/* Latencies by their size, dropped frames' (negative) among them. */
static int cmp_double(const void *a, const void *b)
{
	double x = fabs(*(const double *)a), y = fabs(*(const double *)b);

	return (x > y) - (x < y);
}

/* The camera's deadline ratio and p99 latency (ms), its latencies sorted. */
static double camera_figures(struct camera_shm *c, double *p99)
{
	*p99 = 0;
	if (!c->frames)
		return 0;
	qsort(c->lat_ms, c->frames, sizeof(double), cmp_double);
	*p99 = fabs(c->lat_ms[(c->frames * 99 + 99) / 100 - 1]);
	return (double)c->met / c->frames;
}

/*
 * A job of the session beside the camera: @n_prompt prompt tokens, @max
 * token steps.  Its result in @r, its generated tokens in @out (@max of
 * them).  -ETIMEDOUT when it had not ended by @timeout_s and was
 * cancelled (@r holds what it did).
 */
static int session_job(struct bench *b, const uint32_t *prompt, uint32_t n_prompt,
		       uint32_t max, double timeout_s, struct edgeai_result *r,
		       uint32_t *out)
{
	uint64_t len = llm_io_bytes(b->tokens, b->tokens), id;
	int fds[LLM_NR_BUFS] = { -1, -1, -1 };
	struct edgeai_job_spec spec = { .graph_id = b->graph,
		.priority = EDGEAI_PRIO_NORMAL, .nr_buffers = LLM_NR_BUFS,
		.buf_fds = fds };
	struct llm_io *io;
	int ret, late = 0;

	memset(r, 0, sizeof(*r));
	fds[LLM_BUF_IO] = edgeai_buffer_create("llm-bench-io", len);
	if (fds[LLM_BUF_IO] < 0)
		return fds[LLM_BUF_IO];
	io = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fds[LLM_BUF_IO], 0);
	if (io == MAP_FAILED) {
		close(fds[LLM_BUF_IO]);
		return -ENOMEM;
	}
	io->n_prompt = n_prompt;
	io->n_out = max;
	memcpy(io + 1, prompt, n_prompt * sizeof(*prompt));
	ret = camera_start(b);
	if (!ret)
		ret = edgeai_submit_session(b->h, &spec, b->session, max, &id);
	if (!ret) {
		ret = edgeai_wait(b->h, id, EDGEAI_WAIT_TIMEOUT,
				  edgeai_now_ns() + (uint64_t)(timeout_s * NS), r);
		if (ret == -ETIMEDOUT) {
			late = ret;
			edgeai_cancel(b->h, id);
			ret = edgeai_wait(b->h, id, 0, 0, r);
		}
	}
	if (b->cam_pid > 0)
		camera_stop(b);
	memcpy(out, (uint32_t *)(io + 1) + n_prompt, max * sizeof(*out));
	munmap(io, len);
	close(fds[LLM_BUF_IO]);
	return ret ? ret : late;
}

/* Frames of @c done within @deadline_ms of their arrival. */
static long camera_met(const struct camera_shm *c, double deadline_ms)
{
	long i, n = 0;

	for (i = 0; i < c->frames; i++)
		n += c->lat_ms[i] >= 0 && c->lat_ms[i] <= deadline_ms;
	return n;
}

/* The camera's figures, against both deadlines. */
static void camera_line(const struct bench *b)
{
	struct camera_shm *c = b->cam;
	long n = c->frames ? c->frames : 1;
	long met = camera_met(c, b->deadline_ms), wide = camera_met(c, b->wide_ms);
	double p99;

	camera_figures(c, &p99);
	printf("camera met %ld/%ld (%.3f) within %.0f ms, %ld (%.3f) within %.0f ms, "
	       "p99 %.1f ms; %ld run (%.1f ms each on average), %ld dropped\n", met, c->frames,
	       (double)met / n, b->deadline_ms, wide, (double)wide / n, b->wide_ms, p99,
	       c->ran, c->ran ? c->run_ms / c->ran : 0, c->frames - c->ran);
}

static pid_t start_edgeaid(void)
{
	FILE *f = fopen(CONF, "w");

	if (!f)
		return -1;
	/* The one cluster of llm_decode_bench.modparams, on Arm NN's CpuRef. */
	fprintf(f, "[cluster little]\nbackend = armnn\narmnn_backends = CpuRef\n");
	fclose(f);
	return edgeaid_spawn(LOG, EDGEAID, (char *[]){ "edgeaid", "--config", CONF, NULL });
}

/* The camera's model: its operators and the sizes of its input and output. */
static int camera_model(struct bench *b)
{
	static uint8_t buf[1 << 20];
	struct tfl_model m;
	char err[128];
	ssize_t len;
	int fd = open(MODEL, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	len = read(fd, buf, sizeof(buf));
	close(fd);
	if (len <= 0 || tfl_parse(buf, (size_t)len, &m, err, sizeof(err)) ||
	    m.nr_inputs != 1 || m.nr_outputs != 1)
		return -EINVAL;
	b->nr_ops = m.nr_ops;
	b->cam_sizes[0] = tfl_tensor_bytes(&m.tensors[m.inputs[0]]);
	b->cam_sizes[1] = tfl_tensor_bytes(&m.tensors[m.outputs[0]]);
	tfl_free(&m);
	return 0;
}

static int bench_graph(struct bench *b)
{
	uint64_t prior = (uint64_t)(b->step_ms * 1e6);
	struct edgeai_stage st[2] = {
		{ .cluster_id = 0, .nr_layers = 1, .cost_ns = prior,
		  .in_mask = 1u << LLM_BUF_IO | 1u << LLM_BUF_WEIGHTS,
		  .out_mask = 1u << LLM_BUF_KV },
		{ .cluster_id = 0, .first_layer = 1, .nr_layers = 1, .cost_ns = prior,
		  .in_mask = 1u << LLM_BUF_IO | 1u << LLM_BUF_WEIGHTS | 1u << LLM_BUF_KV,
		  .out_mask = 1u << LLM_BUF_IO | 1u << LLM_BUF_KV },
	};
	/* Room for (b)'s prompt of all the tokens and (a)'s as many out. */
	uint64_t sizes[LLM_NR_BUFS] = {
		[LLM_BUF_IO] = llm_io_bytes(b->tokens, b->tokens),
		[LLM_BUF_WEIGHTS] = llm_weights_bytes(&shape),
		[LLM_BUF_KV] = llm_kv_bytes(&shape),
	};
	struct edgeai_graph_spec g = { .name = "llm-bench", .model_fd = -1,
		.nr_stages = 2, .stages = st, .nr_buffers = LLM_NR_BUFS,
		.buf_sizes = sizes };
	struct edgeai_session_buf sb[2];
	int w, kv, ret;

	ret = edgeai_graph_create(b->h, &g, &b->graph);
	if (ret)
		return ret;
	w = llm_weights_create(&shape, WEIGHT_SEED, UINT32_MAX);
	kv = edgeai_buffer_create("llm-bench-kv", llm_kv_bytes(&shape));
	if (w < 0 || kv < 0) {
		ret = w < 0 ? w : kv;
		goto out;
	}
	sb[0] = (struct edgeai_session_buf){ .fd = w, .index = LLM_BUF_WEIGHTS };
	sb[1] = (struct edgeai_session_buf){ .fd = kv, .index = LLM_BUF_KV,
		.flags = EDGEAI_SESSION_BUF_STATE };
	ret = edgeai_session_create(b->h, b->graph, sb, 2, b->tokens, &b->session);
out:
	if (w >= 0)
		close(w);
	if (kv >= 0)
		close(kv);
	return ret;
}

/*
 * (a) and (b): the decode through edgeaid beside the camera as a REALTIME
 * pipeline on the same cluster, after the camera alone.  -ENOSYS when
 * the VM lacks edgeai.ko, edgeaid or the model.
 */
static int run_session(struct bench *b, double alone_tps)
{
	uint32_t *prompt, *out, i;
	double timeout = 3 * b->tokens / alone_tps + 20, tps;
	struct edgeai_result r;
	int ret;
	pid_t pid;

	if (access(EDGEAID, X_OK) || camera_model(b) || edgeai_open(&b->h))
		return -ENOSYS;
	prompt = calloc(b->tokens, sizeof(*prompt));
	out = calloc(b->tokens, sizeof(*out));
	pid = start_edgeaid();
	ret = !prompt || !out || pid < 0 ? -ENOMEM : bench_graph(b);
	if (!ok(!ret && wait_executors(b->h, 1, 1, 30000), "edgeaid serves the cluster, the session made (%d)",
		ret))
		goto out;

	/* The camera alone, on edgeaid, for as long as the decode alone took. */
	ret = camera_start(b);
	if (!ret) {
		usleep((useconds_t)(b->tokens / alone_tps * 1e6));
		camera_stop(b);
	}
	ok(!ret && b->cam->frames > 0, "the camera alone through edgeai: %ld frames",
	   b->cam->frames);
	printf("# edgeai, the camera a REALTIME job a frame (%s, %u operators, on Arm NN "
	       "CpuRef in edgeaid), alone: ", MODEL, b->nr_ops);
	camera_line(b);

	/*
	 * (a) The chat as a session: its steps one by one, frozen while the
	 * camera is at risk, which depends on its deadline: the camera's, then
	 * the wider one.
	 */
	prompt[0] = 1;
	for (i = 0; i < 2; i++) {
		double ms = i ? b->wide_ms : b->deadline_ms;

		b->deadline_s = ms / 1000;
		ret = session_job(b, prompt, 1, b->tokens, timeout, &r, out);
		tps = r.wait.finish_ns > r.wait.submit_ns ?
		      r.wait.nr_tokens / ((r.wait.finish_ns - r.wait.submit_ns) / NS) : 0;
		ok((!ret || ret == -ETIMEDOUT) &&
		   !memcmp(out, b->ref, r.wait.nr_tokens * sizeof(*out)),
		   "(a) a session beside the camera due in %.0f ms: %u tokens, those decoded "
		   "here%s", ms, r.wait.nr_tokens, ret == -ETIMEDOUT ?
		   " (cancelled at the time limit)" : ret ? edgeai_strerror(ret) : "");
		printf("# (a) edgeai session (steps interleaved, freezing), the camera's jobs due "
		       "in %.0f ms: %.2f tokens/s (%.3f of alone), %u tokens in %.1f s, %.0f ms "
		       "frozen; ", ms, tps, tps / alone_tps, r.wait.nr_tokens,
		       (r.wait.finish_ns - r.wait.submit_ns) / NS, r.wait.frozen_ns / 1e6);
		camera_line(b);
	}
	b->deadline_s = b->deadline_ms / 1000;

	/* (b) The same decode as one long job: a prefill of all its tokens. */
	for (i = 1; i < b->tokens; i++)
		prompt[i] = b->ref[i - 1];
	ret = session_job(b, prompt, b->tokens, 1, timeout, &r, out);
	tps = r.wait.finish_ns > r.wait.submit_ns ?
	      b->tokens / ((r.wait.finish_ns - r.wait.submit_ns) / NS) : 0;
	ok(!ret && r.wait.nr_tokens == 1 && out[0] == b->ref[b->tokens - 1],
	   "(b) the same decode as one long job beside it: its last token that decoded here%s%s",
	   ret ? ": " : "", ret ? edgeai_strerror(ret) : "");
	printf("# (b) the same decode as one long job (one stage of %u tokens, then one "
	       "step): %.2f tokens/s (%.3f of alone); ", b->tokens - 1, tps, tps / alone_tps);
	camera_line(b);
	ret = 0;
out:
	if (tap_failed)
		log_show(LOG, "edgeaid: ");
	if (pid > 0)
		edgeaid_stop(pid, 60000);
	edgeai_close(b->h);
	free(prompt);
	free(out);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tokens", required_argument, NULL, 'n' },
		{ "fps", required_argument, NULL, 'f' },
		{ "frame-ms", required_argument, NULL, 'w' },
		{ "deadline-ms", required_argument, NULL, 'd' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "wide-deadline-ms", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t tokens = 512;
	double fps = 30, frame_ms = 8, deadline_ms = 33, wide_ms = 100;
	int cpu = 0, o, rc;
	struct decode_result alone, shared;
	struct camera_shm *cam;
	struct bench b = { 0 };
	uint32_t *ref;
	double ratio, p99, work_s;
	pid_t pid;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			tokens = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'f':
			fps = strtod(optarg, NULL);
			break;
		case 'w':
			frame_ms = strtod(optarg, NULL);
			break;
		case 'd':
			deadline_ms = strtod(optarg, NULL);
			break;
		case 'c':
			cpu = atoi(optarg);
			break;
		case 'W':
			wide_ms = strtod(optarg, NULL);
			break;
		default:
			return 2;
		}
	}
	if (tokens < 2 * EDGE_STEPS || tokens > shape.max_seq || fps <= 0 || frame_ms <= 0 ||
	    deadline_ms <= 0 || wide_ms <= 0) {
		fprintf(stderr, "llm_decode_bench: --tokens in [%d, %u], positive rates\n",
			2 * EDGE_STEPS, shape.max_seq);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	pin(cpu);
	printf("# model: dim %u, hidden %u, %u layers, %u heads, vocab %u: %.1f MB of weights\n",
	       shape.dim, shape.hidden, shape.n_layers, shape.n_heads, shape.vocab,
	       llm_weights_floats(&shape) * sizeof(float) / 1e6);

	ref = calloc(tokens, sizeof(*ref));
	rc = ref ? decode(tokens, &alone, ref) : -ENOMEM;
	ok(rc == 0, "decode alone: %u tokens on CPU %d", tokens, cpu);
	if (rc)
		return tap_done();
	printf("# decode alone: %.2f tokens/s; a step at positions 0-%d %.2f ms, at %u-%u "
	       "%.2f ms (x%.2f; llm_step_bytes() x%.2f)\n", alone.tokens_per_s,
	       EDGE_STEPS - 1, alone.first_ms, tokens - EDGE_STEPS, tokens - 1, alone.last_ms,
	       alone.last_ms / alone.first_ms,
	       (double)llm_step_bytes(&shape, tokens - EDGE_STEPS / 2) /
	       llm_step_bytes(&shape, EDGE_STEPS / 2));

	cam = mmap(NULL, sizeof(*cam), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cam == MAP_FAILED) {
		ok(0, "shared memory for the camera: %s", strerror(errno));
		return tap_done();
	}
	memset(cam, 0, sizeof(*cam));
	work_s = frame_ms / 1000;
	pid = fork();
	if (pid == 0)
		camera(cam, cpu, fps, deadline_ms / 1000, cpu_frame, &work_s);
	if (pid < 0) {
		ok(0, "fork the camera: %s", strerror(errno));
		return tap_done();
	}
	rc = decode(tokens, &shared, NULL);
	cam->stop = 1;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	ok(rc == 0 && cam->frames > 0, "decode beside the camera: %u tokens, %ld frames",
	   tokens, cam->frames);
	ratio = camera_figures(cam, &p99);
	printf("# beside a camera (%.0f FPS, %.1f ms of CPU a frame, deadline %.0f ms) on "
	       "the same CPU, Linux's default scheduling: %.2f tokens/s (%.3f of alone); "
	       "camera met %ld/%ld (%.3f), p99 %.1f ms\n", fps, frame_ms, deadline_ms,
	       shared.tokens_per_s, shared.tokens_per_s / alone.tokens_per_s, cam->met,
	       cam->frames, ratio, p99);
	printf("# (c) the same camera's frames within %.0f ms: %ld/%ld (%.3f)\n", wide_ms,
	       camera_met(cam, wide_ms), cam->frames,
	       cam->frames ? (double)camera_met(cam, wide_ms) / cam->frames : 0);
	b = (struct bench){ .tokens = tokens, .ref = ref, .step_ms = alone.first_ms,
		.cam = cam, .cpu = cpu, .fps = fps, .deadline_s = deadline_ms / 1000,
		.frame_ms = frame_ms, .deadline_ms = deadline_ms, .wide_ms = wide_ms };
	if (run_session(&b, alone.tokens_per_s) == -ENOSYS)
		skip("edgeai: no /dev/edgeai, " EDGEAID " or " MODEL " in the VM");
	printf("vm_tokens_per_s=%.3f vm_tokens_per_s_with_camera=%.3f "
	       "vm_camera_deadline_ratio=%.3f\n", alone.tokens_per_s, shared.tokens_per_s,
	       ratio);
	munmap(cam, sizeof(*cam));
	free(ref);
	return tap_done();
}
