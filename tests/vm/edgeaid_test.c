// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaid against the real module, in the VM (clusters in
 * edgeaid_test.modparams: three CPU clusters on Arm NN CpuRef, one GPU
 * cluster on the sim backend):
 *
 *  - the test model cut into 1, 2, 3 and 8 stages across the clusters
 *    gives the output of the whole model run directly with Arm NN, also
 *    with several frames in the pipeline at once;
 *  - the sim backend sleeps a stage's cost and reports its energy;
 *  - truncated, rewritten or short buffers, a garbage or rewritten model,
 *    impossible layer ranges and buffer masks fail their job with an
 *    errno and leave edgeaid running;
 *  - SIGTERM lets a running stage finish and complete, leaves queued ones
 *    queued and detaches every worker; a second signal hands the running
 *    stage back to the kernel;
 *  - --list-devices, the default configuration, a bad configuration.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
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
#define MODEL		"/tests/convnet.tflite"
#define CONF		"/tmp/edgeaid.conf"
#define LOG		"/tmp/edgeaid.log"

/* What edgeaid_test.modparams sets up. */
enum { C0, C1, C2, SGPU, NR_CLUSTERS };

#define IN_FLOATS	(16 * 16 * 3)
#define OUT_FLOATS	10

static struct edgeai *sub;
static struct tfl_model model;
static uint8_t *model_bytes;
static size_t model_len;

/* ---------------------------------------------------------------- helpers */

static pid_t start_edgeaid(const char *config, bool verbose)
{
	char *v = verbose ? "-v" : NULL;

	if (config)
		return edgeaid_spawn(LOG, EDGEAID,
				     (char *[]){ "edgeaid", "--config", (char *)config, v, NULL });
	return edgeaid_spawn(LOG, EDGEAID, (char *[]){ "edgeaid", v, NULL });
}

static uint32_t running(uint32_t cluster)
{
	struct edgeai_cluster_desc d;

	return edgeai_cluster_get(sub, cluster, &d) ? 0 : d.info.nr_running;
}

static bool alive(pid_t pid)
{
	int status;

	return waitpid(pid, &status, WNOHANG) == 0;
}

static void fill_input(float *in, int seed)
{
	int i;

	for (i = 0; i < IN_FLOATS; i++)
		in[i] = sinf((float)(i * (seed + 3)) * 0.37f) + 0.1f * (float)seed;
}

/* The whole model run directly with Arm NN: the reference. */
static int reference(const float *in, float *out)
{
	static struct armnn_shim_net *net;
	static const char *const prefs[] = { "CpuRef" };
	char err[256];

	if (!net && armnn_shim_load(model_bytes, model_len, prefs, 1, &net, err, sizeof(err))) {
		diag("reference: %s", err);
		return -1;
	}
	return armnn_shim_run(net, (const void *const[]){ in }, (void *const[]){ out }, err,
			      sizeof(err));
}

/* ---------------------------------------------------------------- graphs */

struct graph {
	uint32_t id;
	uint32_t nr_stages, nr_buffers;
	uint64_t sizes[EDGEAI_RESULT_STAGES + 1];
};

/*
 * A linear plan: stage k runs ops [bounds[k], bounds[k+1]) on clusters[k],
 * reads buffer k and writes buffer k + 1.
 */
static int make_graph(struct graph *g, const char *name, int model_fd, const uint32_t *bounds,
		      const uint32_t *clusters, uint32_t nr, uint64_t cost_ns)
{
	struct edgeai_stage st[16];
	struct edgeai_graph_spec spec = {
		.name = name, .model_fd = model_fd, .nr_stages = nr, .stages = st,
		.nr_buffers = nr + 1, .buf_sizes = NULL,
	};
	uint32_t k;

	memset(st, 0, sizeof(st));
	g->nr_stages = nr;
	g->nr_buffers = nr + 1;
	g->sizes[0] = IN_FLOATS * 4;
	for (k = 0; k < nr; k++) {
		st[k].cluster_id = clusters[k];
		st[k].first_layer = bounds[k];
		st[k].nr_layers = bounds[k + 1] - bounds[k];
		st[k].cost_ns = cost_ns;
		st[k].in_mask = 1ULL << k;
		st[k].out_mask = 1ULL << (k + 1);
		/* Buffer k + 1 holds the tensor the last op of stage k writes. */
		g->sizes[k + 1] = bounds[k + 1] <= model.nr_ops ?
			tfl_tensor_bytes(&model.tensors[model.ops[bounds[k + 1] - 1].out[0]]) : 64;
	}
	return edgeai_graph_create(sub, &spec, &g->id);
}

struct job {
	uint64_t id;
	int fds[EDGEAI_RESULT_STAGES + 1];
	uint32_t nr;
};

static int submit(const struct graph *g, struct job *j, const float *in)
{
	struct edgeai_job_spec spec = {
		.graph_id = g->id, .priority = EDGEAI_PRIO_NORMAL,
		.nr_buffers = g->nr_buffers, .buf_fds = j->fds,
	};
	int ret;

	j->nr = g->nr_buffers;
	ret = edgeai_buffers_create("edgeaid-test", g->nr_buffers, g->sizes, j->fds);
	if (ret)
		return ret;
	if (in && pwrite(j->fds[0], in, IN_FLOATS * 4, 0) != IN_FLOATS * 4)
		return -EIO;
	return edgeai_submit(sub, &spec, &j->id);
}

static int wait_job(const struct job *j, struct edgeai_result *r, int timeout_s)
{
	return edgeai_wait(sub, j->id, EDGEAI_WAIT_TIMEOUT,
			   edgeai_now_ns() + (uint64_t)timeout_s * 1000 * MS, r);
}

static float max_diff(const float *a, const float *b, int n)
{
	float d = 0;
	int i;

	for (i = 0; i < n; i++)
		d = fmaxf(d, fabsf(a[i] - b[i]));
	return d;
}

/* ---------------------------------------------------------------- tests */

static void test_splits(int model_fd)
{
	static const uint32_t b1[] = { 0, 8 }, b2[] = { 0, 4, 8 }, b3[] = { 0, 3, 5, 8 },
		b8[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint32_t c1[] = { C0 }, c2[] = { C0, C1 }, c3[] = { C0, C1, C2 },
		c8[] = { C0, C1, C2, C0, C1, C2, C0, C1 };
	static const struct {
		const uint32_t *bounds, *clusters;
		uint32_t nr;
	} plans[] = { { b1, c1, 1 }, { b2, c2, 2 }, { b3, c3, 3 }, { b8, c8, 8 } };
	float in[IN_FLOATS], ref[OUT_FLOATS], out[OUT_FLOATS];
	size_t p;

	fill_input(in, 0);
	if (!ok(reference(in, ref) == 0, "the whole model runs directly on Arm NN CpuRef"))
		return;
	for (p = 0; p < sizeof(plans) / sizeof(plans[0]); p++) {
		struct edgeai_result r;
		struct graph g;
		struct job j;
		uint32_t k, on_plan = 1;
		char name[32];

		snprintf(name, sizeof(name), "convnet-%u", plans[p].nr);
		if (!ok(make_graph(&g, name, model_fd, plans[p].bounds, plans[p].clusters,
				   plans[p].nr, MS) == 0, "graph of %u stage(s) registered", plans[p].nr))
			continue;
		memset(out, 0, sizeof(out));
		if (submit(&g, &j, in) || wait_job(&j, &r, 120)) {
			ok(0, "%u stage(s): the job ran", plans[p].nr);
			continue;
		}
		ok(r.wait.status == EDGEAI_JOB_DONE, "%u stage(s): job %s (error %d)", plans[p].nr,
		   edgeai_status_name(r.wait.status), r.wait.error);
		for (k = 0; k < plans[p].nr; k++)
			on_plan &= r.stages[k].cluster_id == plans[p].clusters[k] &&
				   r.stages[k].exec_ns > 0 && r.stages[k].attempts == 1;
		ok(on_plan, "... every stage ran once, on its cluster, with a measured time");
		if (pread(j.fds[plans[p].nr], out, sizeof(out), 0) != sizeof(out))
			memset(out, 0xff, sizeof(out));
		ok(max_diff(out, ref, OUT_FLOATS) <= 1e-5f,
		   "... and its output is the whole model's (max diff %g)",
		   max_diff(out, ref, OUT_FLOATS));
		edgeai_buffers_close(j.nr, j.fds);
		edgeai_graph_destroy(sub, g.id);
	}
}

/* Several frames in flight on the 3-stage plan, each its own input. */
static void test_pipelined(int model_fd)
{
	static const uint32_t b3[] = { 0, 3, 5, 8 }, c3[] = { C0, C1, C2 };
	enum { N = 6 };
	float in[N][IN_FLOATS], ref[OUT_FLOATS], out[OUT_FLOATS];
	struct job jobs[N];
	struct graph g;
	int i, good = 0, overlap = 0;
	struct edgeai_result r[N];

	if (make_graph(&g, "convnet-pipe", model_fd, b3, c3, 3, MS)) {
		ok(0, "pipelined graph registered");
		return;
	}
	for (i = 0; i < N; i++) {
		fill_input(in[i], i + 1);
		if (submit(&g, &jobs[i], in[i]))
			bail_out("submit");
	}
	for (i = 0; i < N; i++) {
		if (wait_job(&jobs[i], &r[i], 120) || r[i].wait.status != EDGEAI_JOB_DONE)
			continue;
		if (reference(in[i], ref) ||
		    pread(jobs[i].fds[3], out, sizeof(out), 0) != sizeof(out))
			continue;
		good += max_diff(out, ref, OUT_FLOATS) <= 1e-5f;
		edgeai_buffers_close(jobs[i].nr, jobs[i].fds);
	}
	/* Frame i+1's first stage started before frame i's last one ended. */
	for (i = 0; i + 1 < N; i++)
		overlap += r[i + 1].stages[0].start_ns < r[i].stages[2].end_ns;
	ok(good == N, "%d frames in flight on 3 clusters: each output matches its own input's (%d)",
	   N, good);
	ok(overlap > 0, "... and frames overlapped across clusters (%d of %d)", overlap, N - 1);
	edgeai_graph_destroy(sub, g.id);
}

static void test_sim(void)
{
	const uint32_t b[] = { 0, 1 }, c[] = { SGPU };
	struct edgeai_result r;
	struct graph g;
	struct job j;
	double ms, mj;

	if (make_graph(&g, "sim", -1, b, c, 1, 200 * MS) || submit(&g, &j, NULL) ||
	    wait_job(&j, &r, 60)) {
		ok(0, "sim: a 200 ms stage ran");
		return;
	}
	ms = (double)r.stages[0].exec_ns / 1e6;
	mj = (double)r.wait.energy_uj / 1e3;
	ok(r.wait.status == EDGEAI_JOB_DONE && ms >= 200 && ms < 400,
	   "sim: a 200 ms stage at the top frequency takes %.1f ms", ms);
	/* 2000 mW (edgeaid_test.conf) for 200 ms. */
	ok(mj > 380 && mj < 420, "sim: and reports its energy, %.1f mJ (2000 mW x 200 ms)", mj);
	edgeai_buffers_close(j.nr, j.fds);
	edgeai_graph_destroy(sub, g.id);
}

/* A job whose stage must fail with @want; edgeaid must live on. */
static void expect_failure(pid_t pid, const struct graph *g, struct job *j, int want,
			   const char *what)
{
	struct edgeai_result r;

	if (wait_job(j, &r, 60)) {
		ok(0, "%s: the job ended", what);
		return;
	}
	ok(r.wait.status == EDGEAI_JOB_FAILED && r.wait.error == want,
	   "%s: job failed with %s (%s, error %d)", what, strerror(-want),
	   edgeai_status_name(r.wait.status), r.wait.error);
	ok(alive(pid), "... and edgeaid lives on");
	edgeai_buffers_close(j->nr, j->fds);
	edgeai_graph_destroy(sub, g->id);
}

static void test_hostile(pid_t pid, int model_fd)
{
	const uint32_t whole[] = { 0, 8 }, on_c0[] = { C0 };
	float in[IN_FLOATS], ref[OUT_FLOATS], out[OUT_FLOATS];
	struct edgeai_result r;
	struct graph g;
	struct job j;

	fill_input(in, 0);

	/* Truncated while queued: sim stage first, then Arm NN reads it. */
	{
		struct edgeai_stage st[2] = {
			{ .cluster_id = SGPU, .nr_layers = 1, .cost_ns = 300 * MS,
			  .in_mask = 1, .out_mask = 0 },
			{ .cluster_id = C0, .first_layer = 0, .nr_layers = 8, .cost_ns = MS,
			  .in_mask = 1, .out_mask = 2 },
		};
		struct edgeai_graph_spec spec = {
			.name = "truncate", .model_fd = model_fd, .nr_stages = 2, .stages = st,
			.nr_buffers = 2,
		};
		struct edgeai_job_spec js = { .priority = EDGEAI_PRIO_NORMAL, .nr_buffers = 2,
					      .buf_fds = j.fds };

		j.nr = 2;
		/* An unsealed memfd: the submitter can cut it short. */
		j.fds[0] = memfd_create("unsealed", MFD_CLOEXEC);
		j.fds[1] = edgeai_buffer_create("out", OUT_FLOATS * 4);
		if (ftruncate(j.fds[0], IN_FLOATS * 4) || pwrite(j.fds[0], in, sizeof(in), 0) < 0 ||
		    edgeai_graph_create(sub, &spec, &g.id))
			bail_out("truncate setup");
		js.graph_id = g.id;
		if (edgeai_submit(sub, &js, &j.id))
			bail_out("truncate submit");
		if (ftruncate(j.fds[0], 16))
			bail_out("ftruncate");
		expect_failure(pid, &g, &j, -ENOSPC, "input truncated after submission");
	}

	/* Too small from the start (the graph asks for no size). */
	make_graph(&g, "short", model_fd, whole, on_c0, 1, MS);
	g.sizes[0] = 100;
	if (submit(&g, &j, NULL))
		bail_out("short submit");
	expect_failure(pid, &g, &j, -ENOSPC, "input buffer of 100 bytes");

	g.sizes[0] = IN_FLOATS * 4;
	make_graph(&g, "short-out", model_fd, whole, on_c0, 1, MS);
	g.sizes[1] = 8;
	if (submit(&g, &j, in))
		bail_out("short-out submit");
	expect_failure(pid, &g, &j, -ENOSPC, "output buffer of 8 bytes");

	/* Rewritten with garbage: wrong data, not a fault. */
	make_graph(&g, "garbage-in", model_fd, whole, on_c0, 1, MS);
	if (submit(&g, &j, NULL))
		bail_out("garbage submit");
	{
		unsigned char junk[IN_FLOATS * 4];

		memset(junk, 0xff, sizeof(junk));	/* NaNs */
		if (pwrite(j.fds[0], junk, sizeof(junk), 0) != sizeof(junk))
			bail_out("pwrite");
	}
	ok(wait_job(&j, &r, 60) == 0 && r.wait.status == EDGEAI_JOB_DONE && alive(pid),
	   "input rewritten with NaNs: the stage runs (garbage in, garbage out)");
	edgeai_buffers_close(j.nr, j.fds);
	edgeai_graph_destroy(sub, g.id);

	/* The layers the graph names are not in the model. */
	{
		const uint32_t past[] = { 0, 12 };

		make_graph(&g, "past-end", model_fd, past, on_c0, 1, MS);
		g.sizes[1] = OUT_FLOATS * 4;
		if (submit(&g, &j, in))
			bail_out("past-end submit");
		expect_failure(pid, &g, &j, -EINVAL, "layers [0, 12) of an 8-layer model");
	}

	/* Two input buffers named for a cut that reads one tensor. */
	{
		struct edgeai_stage st = { .cluster_id = C0, .nr_layers = 8, .cost_ns = MS,
					   .in_mask = 3, .out_mask = 4 };
		struct edgeai_graph_spec spec = { .name = "masks", .model_fd = model_fd,
						  .nr_stages = 1, .stages = &st, .nr_buffers = 3 };

		g.nr_buffers = 3;
		g.sizes[0] = g.sizes[1] = IN_FLOATS * 4;
		g.sizes[2] = OUT_FLOATS * 4;
		if (edgeai_graph_create(sub, &spec, &g.id) || submit(&g, &j, in))
			bail_out("masks setup");
		expect_failure(pid, &g, &j, -EINVAL, "two input buffers for one input tensor");
	}

	/* A model file that is not a model. */
	{
		char tmpl[] = "/tmp/garbageXXXXXX";
		unsigned char junk[4096];
		int fd = mkstemp(tmpl), i;

		for (i = 0; i < (int)sizeof(junk); i++)
			junk[i] = (unsigned char)(i * 7 + 3);
		if (fd < 0 || write(fd, junk, sizeof(junk)) != sizeof(junk))
			bail_out("garbage model");
		make_graph(&g, "garbage-model", fd, whole, on_c0, 1, MS);
		if (submit(&g, &j, in))
			bail_out("garbage model submit");
		expect_failure(pid, &g, &j, -EINVAL, "a model file of garbage");
		close(fd);
		unlink(tmpl);
	}

	/* A good model rewritten after the graph was made: read at first use. */
	{
		char tmpl[] = "/tmp/modelXXXXXX";
		int fd = mkstemp(tmpl);

		if (fd < 0 || write(fd, model_bytes, model_len) != (ssize_t)model_len)
			bail_out("model copy");
		make_graph(&g, "rewritten-model", fd, whole, on_c0, 1, MS);
		if (pwrite(fd, "\0\0\0\0\0\0\0\0\0\0\0\0", 12, 0) != 12 || ftruncate(fd, 600))
			bail_out("model rewrite");
		if (submit(&g, &j, in))
			bail_out("rewritten model submit");
		expect_failure(pid, &g, &j, -EINVAL, "the model rewritten and cut short");
		close(fd);
		unlink(tmpl);
	}

	/* And a good job still runs. */
	make_graph(&g, "after", model_fd, whole, on_c0, 1, MS);
	memset(out, 0, sizeof(out));
	ok(submit(&g, &j, in) == 0 && wait_job(&j, &r, 60) == 0 &&
	   r.wait.status == EDGEAI_JOB_DONE && reference(in, ref) == 0 &&
	   pread(j.fds[1], out, sizeof(out), 0) == sizeof(out) &&
	   max_diff(out, ref, OUT_FLOATS) <= 1e-5f,
	   "afterwards a good job still runs and is right");
	edgeai_buffers_close(j.nr, j.fds);
	edgeai_graph_destroy(sub, g.id);
}

/* SIGTERM with a stage running and one queued behind it. */
static void test_sigterm(pid_t pid)
{
	const uint32_t b[] = { 0, 1 }, c[] = { SGPU };
	struct edgeai_result r;
	struct job run, queued;
	struct graph g;
	int i, status;

	if (make_graph(&g, "sigterm", -1, b, c, 1, 1500 * MS) || submit(&g, &run, NULL) ||
	    submit(&g, &queued, NULL))
		bail_out("sigterm setup");
	for (i = 0; i < 500 && !running(SGPU); i++)
		usleep(10000);
	ok(running(SGPU) == 1, "a 1.5 s sim stage is running, another queued");
	status = edgeaid_stop(pid, 30000);
	ok(status == 0, "SIGTERM: edgeaid exits with status 0 (%d)", status);
	memset(&r, 0, sizeof(r));
	status = wait_job(&run, &r, 5);
	ok(status == 0 && r.wait.status == EDGEAI_JOB_DONE && r.wait.retries == 0 &&
	   r.stages[0].exec_ns >= 1500 * MS,
	   "the running stage finished and was completed (%s, %.0f ms, %u retries)",
	   edgeai_status_name(r.wait.status), (double)r.stages[0].exec_ns / 1e6, r.wait.retries);
	ok(edgeai_wait(sub, queued.id, EDGEAI_WAIT_NONBLOCK, 0, &r) == -EAGAIN,
	   "the queued one stays queued for the next executor");
	ok(wait_executors(sub, NR_CLUSTERS, 0, 1000), "no executor is left attached");
	ok(log_has(LOG, "stopping; running stages finish") && log_has(LOG, "detached after") &&
	   log_has(LOG, "stopped") && !log_has(LOG, "stopped with errors"), "the log tells the stop");
	edgeai_cancel(sub, queued.id);
	edgeai_wait(sub, queued.id, EDGEAI_WAIT_TIMEOUT, edgeai_now_ns() + 5000 * MS, &r);
	edgeai_buffers_close(run.nr, run.fds);
	edgeai_buffers_close(queued.nr, queued.fds);
	edgeai_graph_destroy(sub, g.id);
}

/* A second signal stops at once; the kernel requeues the running stage. */
static void test_second_signal(void)
{
	const uint32_t b[] = { 0, 1 }, c[] = { SGPU };
	struct edgeai_result r;
	struct graph g;
	struct job j;
	uint64_t t0;
	pid_t pid;
	int i, status;

	pid = start_edgeaid(CONF, false);
	if (!wait_executors(sub, NR_CLUSTERS, 1, 60000))
		bail_out("edgeaid did not attach");
	if (make_graph(&g, "second", -1, b, c, 1, 3000 * MS) || submit(&g, &j, NULL))
		bail_out("second setup");
	for (i = 0; i < 500 && !running(SGPU); i++)
		usleep(10000);
	t0 = edgeai_now_ns();
	kill(pid, SIGINT);
	usleep(100000);
	status = edgeaid_stop(pid, 10000);
	ok(status == 1 && edgeai_now_ns() - t0 < 2000 * MS,
	   "a second signal stops at once (status %d after %.0f ms)", status,
	   (double)(edgeai_now_ns() - t0) / 1e6);
	ok(log_has(LOG, "again: stopping now"), "and says the stages go back to the kernel");
	ok(edgeai_wait(sub, j.id, EDGEAI_WAIT_NONBLOCK, 0, &r) == -EAGAIN,
	   "the abandoned stage is not failed: it waits for an executor");
	pid = start_edgeaid(CONF, false);
	memset(&r, 0, sizeof(r));
	status = wait_job(&j, &r, 60);
	ok(status == 0 && r.wait.status == EDGEAI_JOB_DONE && r.wait.retries == 1 &&
	   r.stages[0].attempts == 2, "the next edgeaid runs it (retries %u, attempts %u)",
	   r.wait.retries, r.stages[0].attempts);
	ok(edgeaid_stop(pid, 30000) == 0, "and stops cleanly");
	edgeai_buffers_close(j.nr, j.fds);
	edgeai_graph_destroy(sub, g.id);
}

static void test_defaults_and_errors(void)
{
	const uint32_t b[] = { 0, 1 }, c[] = { C0 };
	struct edgeai_result r;
	struct graph g;
	struct job j;
	pid_t pid;
	int status;

	/* No file (there is no /etc/edgeai in the VM): everything on sim. */
	pid = start_edgeaid(NULL, false);
	ok(wait_executors(sub, NR_CLUSTERS, 1, 30000), "without a configuration every cluster gets a worker");
	ok(make_graph(&g, "defaults", -1, b, c, 1, 20 * MS) == 0 && submit(&g, &j, NULL) == 0 &&
	   wait_job(&j, &r, 30) == 0 && r.wait.status == EDGEAI_JOB_DONE,
	   "and a CPU cluster's stage runs on sim");
	ok(log_has(LOG, "every cluster on the sim backend") && log_has(LOG, "c0: attached (cluster 0, cpu, sim"),
	   "the log says so");
	ok(edgeaid_stop(pid, 30000) == 0, "stops cleanly");
	edgeai_buffers_close(j.nr, j.fds);
	edgeai_graph_destroy(sub, g.id);

	edgeaid_conf("/tmp/bad.conf", "[cluster c0]\nbackend = sim\n\n[cluster bgi]\nbackend = sim\n");
	pid = start_edgeaid("/tmp/bad.conf", false);
	status = edgeaid_reap(pid, 30000);
	ok(status == 2 && log_has(LOG, "line 4: no cluster \"bgi\""),
	   "a section for an unknown cluster: status 2, line named (%d)", status);
	edgeaid_conf("/tmp/bad.conf", "[cluster c0]\nbackend = fast\n");
	pid = start_edgeaid("/tmp/bad.conf", false);
	status = edgeaid_reap(pid, 30000);
	ok(status == 2 && log_has(LOG, "/tmp/bad.conf:2: backend: \"fast\""),
	   "a bad value: status 2, file and line named (%d)", status);
	edgeaid_conf("/tmp/bad.conf", "[cluster sgpu]\nbackend = armnn\n");
	pid = start_edgeaid("/tmp/bad.conf", false);
	status = edgeaid_reap(pid, 60000);
	ok(status != 0 && log_has(LOG, "a GPU cluster runs on GpuAcc"),
	   "a GPU cluster on armnn without GpuAcc is refused (%d)", status);
	ok(wait_executors(sub, NR_CLUSTERS, 0, 1000), "and nothing stays attached");
}

static void test_list_devices(void)
{
	FILE *p = popen(EDGEAID " --config " CONF " --list-devices 2>&1", "r");
	char line[512], text[8192] = "";
	size_t used = 0;
	int status;

	if (!p) {
		ok(0, "--list-devices runs");
		return;
	}
	while (fgets(line, sizeof(line), p) && used + strlen(line) < sizeof(text)) {
		strcpy(text + used, line);
		used += strlen(line);
	}
	status = pclose(p);
	ok(status == 0, "--list-devices exits 0");
	ok(strstr(text, "0 c0") && strstr(text, "3 sgpu") && strstr(text, "gpu virtual") &&
	   strstr(text, "edgeaid: armnn") && strstr(text, "edgeaid: sim"),
	   "lists the kernel's clusters and how they are served");
	ok(strstr(text, "Arm NN") && strstr(text, "\n  CpuRef\n"), "lists Arm NN's CpuRef backend");
	if (strstr(text, "platform 0:"))
		ok(strstr(text, "device 0: cpu") != NULL,
		   "lists the OpenCL CPU device of the shipped ICD (pocl)");
	else
		ok(strstr(text, "no OpenCL platform") != NULL,
		   "says there is no OpenCL platform (no ICD shipped)");
	if (!strstr(text, "CpuRef"))
		diag("%s", text);
}

int main(void)
{
	char err[256];
	pid_t pid;
	int model_fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (edgeai_open(&sub))
		bail_out("cannot open /dev/edgeai");
	model_fd = model_load(MODEL, &model_bytes, &model_len, &model);

	edgeaid_conf(CONF,
		   "# edgeaid_test: three CPU clusters on CpuRef, the GPU simulated\n"
		   "[cluster c0]\nbackend = armnn\narmnn_backends = CpuRef\n"
		   "[cluster c1]\nbackend = armnn\n"
		   "[cluster c2]\nbackend = armnn\ncache = 2\n"
		   "[cluster sgpu]\nbackend = sim\npower_mw = 2000\n");
	test_list_devices();

	if (armnn_shim_init(NULL, 0, err, sizeof(err)) || !armnn_shim_has_backend("CpuRef")) {
		skip("Arm NN CpuRef is not available in the VM (%s): no Arm NN checks", err);
		return tap_done();
	}
	pid = start_edgeaid(CONF, true);
	if (!ok(wait_executors(sub, NR_CLUSTERS, 1, 60000), "edgeaid attaches a worker to each of the 4 clusters")) {
		log_show(LOG, "log: ");
		kill(pid, SIGKILL);
		return tap_done();
	}
	ok(log_has(LOG, "c2: armnn on CpuRef, up to 2 loaded networks") && log_has(LOG, "c1: armnn on CpuRef"),
	   "CPU clusters run on CpuRef (c1 by default, c2 with a cache of 2)");
	test_splits(model_fd);
	test_pipelined(model_fd);
	test_sim();
	ok(log_has(LOG, "evicting graph"), "c2's cache of 2 evicted its least recently used network");
	test_hostile(pid, model_fd);
	test_sigterm(pid);
	if (tap_failed)
		log_show(LOG, "log: ");
	test_second_signal();
	test_defaults_and_errors();
	armnn_shim_exit();
	edgeai_close(sub);
	return tap_done();
}
