// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arm NN's board backends in the arm64 VM (tests/vm/run --arch arm64):
 * edgeai.ko with the clusters of the device tree (little, big, gpu; the
 * fake cpufreq/devfreq drivers of tests/kmod give them policies), edgeaid
 * serving both CPU clusters on CpuAcc (NEON kernels of the Arm Compute
 * Library), then the GPU cluster on GpuAcc through the OpenCL ICD loader
 * and pocl's CPU device.
 *
 *   armnn_arm64_test [--gpu-timeout S] [MODEL[:STAGES,...]...]
 *
 * Without models, the bounded subset make check runs: convnet in 2 and
 * 3 stages, bench in 2.  Each model is cut into each number of stages
 * given (default 2 and 3),
 * the stages alternating between little and big; every frame's output
 * through edgeai must match the whole model run directly on CpuRef in
 * this process within TOLERANCE (below).  Per-stage times are reported:
 * edgeaid's own run of the stage on CpuAcc, and the same sub-model run
 * directly on CpuRef (under emulation only their ratio means anything).
 * If GpuAcc cannot run here, its checks SKIP with Arm NN's own error.
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
#include <unistd.h>

#include <edgeai.h>

#include "armnn_shim.h"
#include "tflite.h"

#include "../lib/edgeaid.h"
#include "../lib/model.h"
#include "../lib/tap.h"

#define MS		1000000ULL
#define EDGEAID		"/tests/edgeaid"
#define CONF		"/tmp/edgeaid.conf"
#define LOG		"/tmp/edgeaid.log"
#define TIMED_FRAMES	5
#define MAX_STAGES	8

/*
 * CpuAcc computes in another order than CpuRef (NEON vector sums, and
 * for 3x3 convolutions possibly Winograd): float32 results agree to
 * |a - b| <= TOLERANCE * max(1, max |CpuRef|) over the output tensor.
 */
#define TOLERANCE	1e-3

static struct edgeai *h;
static int gpu_timeout = 600;

/* ---------------------------------------------------------------- helpers */

static int run(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The last line of edgeaid's log that has @needle, into @buf. */
static bool log_line(const char *needle, char *buf, size_t len)
{
	char *text = read_text(LOG), *p, *line = NULL;

	for (p = text; p && (p = strstr(p, needle)); p++)
		line = p;
	if (line) {
		while (line > text && line[-1] != '\n')
			line--;
		snprintf(buf, len, "%.*s", (int)strcspn(line, "\n"), line);
	}
	free(text);
	return line != NULL;
}

static pid_t start_edgeaid(void)
{
	return edgeaid_spawn(LOG, EDGEAID, (char *[]){ "edgeaid", "--config", CONF, "-v", NULL });
}

/* Wait until @cluster has an executor, or edgeaid has gone. */
static bool wait_attached(pid_t pid, int cluster, int ms)
{
	struct edgeai_cluster_desc d;

	for (; ms > 0; ms -= 100) {
		if (!edgeai_cluster_get(h, (uint32_t)cluster, &d) && d.info.nr_executors)
			return true;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return false;
		usleep(100000);
	}
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---------------------------------------------------------------- models */

struct model {
	const char *arg;	/* MODEL[:STAGES,...] */
	const char *path, *name;
	uint8_t *bytes;
	size_t len;
	int fd;
	struct tfl_model m;
	float *in, *ref;	/* input pattern, CpuRef's output of it */
	uint64_t in_bytes, out_bytes;
	uint64_t ref_ns;	/* the whole model on CpuRef */
};

/* Load a cut of @m (operators [first, first + nr)) on @backend. */
static int load_cut(struct model *m, uint32_t first, uint32_t nr, const char *backend,
		    struct armnn_shim_net **net, char *err, size_t errlen)
{
	struct tfl_cut cut;
	uint8_t *sub;
	size_t sub_len;
	int ret;

	ret = tfl_cut_plan(&m->m, first, nr, &cut, err, errlen);
	if (!ret)
		ret = tfl_cut_write(&m->m, &cut, &sub, &sub_len);
	if (ret)
		return ret;
	ret = armnn_shim_load(sub, sub_len, (const char *const[]){ backend }, 1, net, err,
			      errlen);
	free(sub);
	return ret;
}

static uint64_t run_net(struct armnn_shim_net *net, const void *in, void *out)
{
	char err[256];
	uint64_t t0 = edgeai_now_ns();

	if (armnn_shim_run(net, (const void *const[]){ in }, (void *const[]){ out }, err,
			   sizeof(err)))
		bail_out(err);
	return edgeai_now_ns() - t0;
}

static void model_open(struct model *m, const char *path)
{
	struct armnn_shim_net *net;
	char err[256];
	uint64_t i;

	m->path = path;
	m->name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	m->fd = model_load(path, &m->bytes, &m->len, &m->m);
	m->in_bytes = tfl_tensor_bytes(&m->m.tensors[m->m.inputs[0]]);
	m->out_bytes = tfl_tensor_bytes(&m->m.tensors[m->m.outputs[0]]);
	m->in = malloc(m->in_bytes);
	m->ref = malloc(m->out_bytes);
	if (!m->in || !m->ref)
		bail_out("out of memory");
	/* A fixed pattern in [-1, 1). */
	for (i = 0; i < m->in_bytes / sizeof(float); i++)
		m->in[i] = (float)((i * 2654435761u) % 2000) / 1000.0f - 1.0f;
	if (load_cut(m, 0, m->m.nr_ops, "CpuRef", &net, err, sizeof(err)))
		bail_out(err);
	m->ref_ns = run_net(net, m->in, m->ref);
	armnn_shim_unload(net);
}

/* max |got - ref| / max(1, max |ref|) */
static double deviation(const struct model *m, const float *got)
{
	double worst = 0, scale = 1;
	uint64_t i;

	for (i = 0; i < m->out_bytes / sizeof(float); i++)
		scale = fmax(scale, fabs(m->ref[i]));
	for (i = 0; i < m->out_bytes / sizeof(float); i++) {
		if (isnan(got[i]))
			return INFINITY;
		worst = fmax(worst, fabs((double)got[i] - m->ref[i]));
	}
	return worst / scale;
}

/* ---------------------------------------------------------------- edgeai */

struct plan {
	uint32_t nr_stages, graph;
	uint32_t first[MAX_STAGES], nr[MAX_STAGES];
	int cluster[MAX_STAGES];
	uint64_t sizes[MAX_STAGES + 1];
};

/*
 * @m cut into @n stages of about equal operator counts, stage k on
 * @clusters[k % nr_clusters]; buffer k feeds stage k.
 */
static int make_plan(struct model *m, uint32_t n, const int *clusters, int nr_clusters,
		     struct plan *p)
{
	struct edgeai_stage st[MAX_STAGES];
	struct edgeai_graph_spec spec = { .name = m->name, .model_fd = m->fd, .stages = st };
	char name[64];
	uint32_t k, at = 0;

	memset(p, 0, sizeof(*p));
	memset(st, 0, sizeof(st));
	p->nr_stages = n;
	for (k = 0; k < n; k++) {
		p->first[k] = at;
		p->nr[k] = (m->m.nr_ops - at) / (n - k);
		p->cluster[k] = clusters[k % (uint32_t)nr_clusters];
		at += p->nr[k];
		st[k] = (struct edgeai_stage){ .cluster_id = (uint32_t)p->cluster[k],
			.first_layer = p->first[k], .nr_layers = p->nr[k],
			.cost_ns = 100 * MS, .in_mask = 1u << k, .out_mask = 1u << (k + 1) };
		p->sizes[k + 1] = tfl_tensor_bytes(&m->m.tensors[k + 1 < n ?
			m->m.ops[at - 1].out[0] : m->m.outputs[0]]);
	}
	p->sizes[0] = m->in_bytes;
	snprintf(name, sizeof(name), "%s-%u", m->name, n);
	spec.name = name;
	spec.nr_stages = n;
	spec.nr_buffers = n + 1;
	spec.buf_sizes = p->sizes;
	return edgeai_graph_create(h, &spec, &p->graph);
}

/*
 * One frame through @p: its output into @out; 0, or the job's error.
 * @r receives the per-stage times.
 */
static int frame(struct model *m, const struct plan *p, float *out, int timeout_s,
		 struct edgeai_result *r)
{
	struct edgeai_job_spec spec = { .graph_id = p->graph, .priority = EDGEAI_PRIO_NORMAL,
					.nr_buffers = p->nr_stages + 1 };
	int fds[MAX_STAGES + 1], ret;
	uint64_t id;

	ret = edgeai_buffers_create("armnn-arm64", p->nr_stages + 1, p->sizes, fds);
	if (ret)
		return ret;
	spec.buf_fds = fds;
	if (pwrite(fds[0], m->in, m->in_bytes, 0) != (ssize_t)m->in_bytes)
		ret = -EIO;
	if (!ret)
		ret = edgeai_submit(h, &spec, &id);
	if (!ret)
		ret = edgeai_wait(h, id, EDGEAI_WAIT_TIMEOUT,
				  edgeai_now_ns() + (uint64_t)timeout_s * 1000 * MS, r);
	if (!ret && r->wait.status != EDGEAI_JOB_DONE)
		ret = r->wait.error ? r->wait.error : -EIO;
	if (!ret && pread(fds[p->nr_stages], out, m->out_bytes, 0) != (ssize_t)m->out_bytes)
		ret = -EIO;
	edgeai_buffers_close(p->nr_stages + 1, fds);
	return ret;
}

static const char *cluster_name(int id)
{
	static struct edgeai_cluster_desc d;

	return edgeai_cluster_get(h, (uint32_t)id, &d) ? "?" : d.info.name;
}

/*
 * @m in @n stages on the CPU clusters: a first frame (which loads the
 * networks), then TIMED_FRAMES; all must match CpuRef.
 */
static void test_cpu_split(struct model *m, uint32_t n, const int *cpus)
{
	uint64_t exec[MAX_STAGES][TIMED_FRAMES], direct[MAX_STAGES];
	float *out = malloc(m->out_bytes);
	double worst = 0;
	struct edgeai_result r;
	struct plan p;
	int ret, f;
	uint32_t k;

	ret = make_plan(m, n, cpus, 2, &p);
	if (!ok(!ret, "%s in %u stage(s): graph registered (%d)", m->name, n, ret))
		goto out;
	for (f = -1; f < TIMED_FRAMES; f++) {
		memset(out, 0xff, m->out_bytes);	/* NaN: a stage that wrote nothing shows */
		ret = frame(m, &p, out, 300, &r);
		if (ret)
			break;
		worst = fmax(worst, deviation(m, out));
		for (k = 0; f >= 0 && k < n; k++)
			exec[k][f] = r.stages[k].exec_ns;
	}
	if (!ok(!ret, "%s in %u stage(s) on little and big (CpuAcc): %d frames done (%s)",
		m->name, n, TIMED_FRAMES + 1, ret ? strerror(-ret) : "ok")) {
		log_show(LOG, "edgeaid: ");
		goto destroy;
	}
	ok(worst <= TOLERANCE,
	   "%s in %u stage(s) on CpuAcc equals the whole model on CpuRef: deviation %.2g <= %g",
	   m->name, n, worst, TOLERANCE);
	/* The same cuts run directly on CpuRef, for the ratio. */
	for (k = 0; k < n; k++) {
		struct armnn_shim_net *net;
		char err[256];
		void *in, *o;

		direct[k] = 0;
		if (load_cut(m, p.first[k], p.nr[k], "CpuRef", &net, err, sizeof(err)))
			continue;
		in = calloc(1, p.sizes[k]);
		o = calloc(1, p.sizes[k + 1]);
		if (in && o) {
			run_net(net, in, o);
			direct[k] = run_net(net, in, o);
		}
		free(in);
		free(o);
		armnn_shim_unload(net);
	}
	for (k = 0; k < n; k++) {
		uint64_t t = median(exec[k], TIMED_FRAMES);

		diag("%s %u stage(s): stage %u (operators %u-%u) on %s, CpuAcc %.2f ms; the same cut on CpuRef %.2f ms (x%.1f)",
		     m->name, n, k + 1, p.first[k], p.first[k] + p.nr[k] - 1,
		     cluster_name(p.cluster[k]), t / 1e6, direct[k] / 1e6,
		     t ? (double)direct[k] / (double)t : 0);
	}
destroy:
	edgeai_graph_destroy(h, p.graph);
out:
	free(out);
}

/* ---------------------------------------------------------------- parts */

static void test_setup(int *little, int *big, int *gpu)
{
	struct edgeai_cluster_desc d;

	/* An earlier test in the same VM (t-dt.sh) may have loaded it. */
	ok(!run("grep -q '^governor_simpleondemand ' /proc/modules || "
		"insmod /lib/edgeai/governor_simpleondemand.ko"), "simple_ondemand is loaded");
	ok(!run("insmod /lib/edgeai/edgeai_fakehw.ko cpus_per_policy=3"),
	   "fake cpufreq/devfreq (3 CPUs per policy) loads");
	if (!ok(!run("insmod /lib/edgeai/edgeai.ko"), "edgeai.ko loads") || edgeai_open(&h))
		bail_out("no /dev/edgeai");
	*little = edgeai_cluster_find(h, "little");
	*big = edgeai_cluster_find(h, "big");
	*gpu = edgeai_cluster_find(h, "gpu");
	if (!ok(*little >= 0 && *big >= 0 && *gpu >= 0,
		"the device tree's clusters: little %d, big %d, gpu %d", *little, *big, *gpu))
		bail_out("clusters missing");
	ok(!edgeai_cluster_get(h, (uint32_t)*little, &d) &&
	   d.info.control == EDGEAI_CONTROL_CPUFREQ &&
	   !edgeai_cluster_get(h, (uint32_t)*gpu, &d) &&
	   d.info.control == EDGEAI_CONTROL_DEVFREQ,
	   "held through cpufreq (little) and devfreq (gpu), from the tree");
}

static void test_list_devices(bool gpuacc_runs, const char *gpuacc_err)
{
	FILE *p = popen(EDGEAID " --config " CONF " --list-devices 2>&1", "r");
	char line[512], text[16384] = "";
	size_t used = 0;

	if (!p)
		bail_out("popen");
	while (fgets(line, sizeof(line), p) && used + strlen(line) < sizeof(text)) {
		strcpy(text + used, line);
		used += strlen(line);
	}
	ok(pclose(p) == 0, "--list-devices exits 0");
	ok(strstr(text, "little") && strstr(text, "big") && strstr(text, "gpu"),
	   "--list-devices: the tree's clusters");
	ok(strstr(text, "\n  CpuAcc\n") && strstr(text, "\n  CpuRef\n"),
	   "--list-devices: Arm NN's CpuAcc and CpuRef");
	ok(strstr(text, "\n  GpuAcc\n") != NULL, "--list-devices: Arm NN's GpuAcc");
	ok(strstr(text, "platform 0: Portable Computing Language") &&
	   strstr(text, "device 0: cpu"),
	   "--list-devices: the OpenCL platform and device of pocl (through the ICD loader)");
	if (gpuacc_runs)
		ok(strstr(text, "GpuAcc: runs") != NULL, "--list-devices: GpuAcc runs");
	else
		ok(strstr(text, "GpuAcc: cannot run: ") && strstr(text, gpuacc_err),
		   "--list-devices: GpuAcc cannot run, and why (%s)", gpuacc_err);
	diag("edgeaid --list-devices:");
	for (char *s = text, *nl; *s; s = nl + 1) {
		nl = strchrnul(s, '\n');
		diag("  %.*s", (int)(nl - s), s);
		if (!*nl)
			break;
	}
}

static void test_cpuacc(struct model *models, int nr_models, int little, int big)
{
	const int cpus[2] = { little, big };
	int i;
	pid_t pid;

	edgeaid_conf(CONF, "[cluster little]\nbackend = armnn\narmnn_backends = CpuAcc\n"
			 "[cluster big]\nbackend = armnn\narmnn_backends = CpuAcc\n"
			 "[cluster gpu]\nbackend = none\n");
	pid = start_edgeaid();
	if (!ok(wait_attached(pid, little, 120000) && wait_attached(pid, big, 120000),
		"edgeaid serves little and big on CpuAcc")) {
		log_show(LOG, "edgeaid: ");
		edgeaid_stop(pid, 60000);
		return;
	}
	ok(log_has(LOG, "little: armnn on CpuAcc") && log_has(LOG, "big: armnn on CpuAcc"),
	   "both CPU clusters on CpuAcc alone (no fallback to CpuRef)");
	for (i = 0; i < nr_models; i++) {
		struct model *m = &models[i];

		diag("%s: the whole model on CpuRef, run directly: %.2f ms", m->name,
		     m->ref_ns / 1e6);
		for (const char *s = strchr(m->arg, ':') ? strchr(m->arg, ':') + 1 : "2,3";
		     *s; s += strcspn(s, ",") + (s[strcspn(s, ",")] ? 1 : 0)) {
			uint32_t n = (uint32_t)atoi(s);

			if (n >= 1 && n <= MAX_STAGES && n <= m->m.nr_ops)
				test_cpu_split(m, n, cpus);
		}
	}
	ok(!log_has(LOG, "armnn CpuRef") && log_has(LOG, "armnn CpuAcc"),
	   "every stage's layers ran on CpuAcc (edgeaid's placement notes)");
	edgeaid_stop(pid, 60000);
}

/* The first model, whole, on GpuAcc on the GPU cluster. */
static void test_gpuacc(struct model *m, int gpu, bool runs, const char *why)
{
	float *out = malloc(m->out_bytes);
	struct edgeai_result r;
	struct plan p;
	char line[512];
	pid_t pid;
	int ret;

	if (!runs) {
		skip("GpuAcc on pocl: Arm NN 20.08's GpuAcc cannot run here: %s", why);
		goto out;
	}
	edgeaid_conf(CONF, "[cluster little]\nbackend = none\n[cluster big]\nbackend = none\n"
			 "[cluster gpu]\nbackend = armnn\narmnn_backends = GpuAcc\n");
	pid = start_edgeaid();
	if (!ok(wait_attached(pid, gpu, 120000),
		"edgeaid serves the GPU cluster on GpuAcc (pocl's CPU device)")) {
		log_show(LOG, "edgeaid: ");
		edgeaid_stop(pid, 60000);
		goto out;
	}
	ret = make_plan(m, 1, &gpu, 1, &p);
	if (!ret) {
		uint64_t t0 = edgeai_now_ns();

		ret = frame(m, &p, out, gpu_timeout, &r);
		diag("%s whole on gpu (GpuAcc on pocl): first frame %.1f s (OpenCL kernels built)",
		     m->name, (edgeai_now_ns() - t0) / 1e9);
		if (!ret) {
			ret = frame(m, &p, out, gpu_timeout, &r);
			diag("%s whole on gpu (GpuAcc on pocl): %.2f ms per frame once built",
			     m->name, r.stages[0].exec_ns / 1e6);
		}
		edgeai_graph_destroy(h, p.graph);
	}
	if (ret == -ETIMEDOUT) {
		skip("GpuAcc on pocl: a frame did not finish within %d s under emulation",
		     gpu_timeout);
	} else if (ret && log_line("error", line, sizeof(line))) {
		skip("GpuAcc on pocl: Arm NN 20.08's GpuAcc cannot run the model: %s", line);
	} else if (ok(!ret, "%s on GpuAcc: frames done (%d)", m->name, ret)) {
		double dev = deviation(m, out);

		ok(dev <= TOLERANCE, "%s on GpuAcc equals CpuRef: deviation %.2g <= %g",
		   m->name, dev, TOLERANCE);
	}
	edgeaid_stop(pid, 60000);
out:
	free(out);
}

int main(int argc, char **argv)
{
	struct model models[4];
	int nr_models = 0, little, big, gpu, i;
	char err[512] = "", gpu_err[512] = "";
	bool gpuacc_runs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--gpu-timeout") && i + 1 < argc)
			gpu_timeout = atoi(argv[++i]);
		else if (nr_models < 4)
			models[nr_models++].arg = argv[i];
	}
	if (!nr_models) {	/* make check's bounded subset */
		models[nr_models++].arg = "/tests/convnet.tflite:2,3";
		models[nr_models++].arg = "/tests/bench.tflite:2";
	}

	test_setup(&little, &big, &gpu);
	if (armnn_shim_init(NULL, 0, err, sizeof(err)))
		bail_out(err);
	ok(armnn_shim_has_backend("CpuAcc"), "Arm NN has CpuAcc (NEON) here");
	ok(armnn_shim_has_backend("CpuRef"), "Arm NN has CpuRef here");
	for (i = 0; i < nr_models; i++) {
		char path[256];

		snprintf(path, sizeof(path), "%.*s", (int)strcspn(models[i].arg, ":"),
			 models[i].arg);
		model_open(&models[i], strdup(path));
	}
	{
		uint64_t t0 = edgeai_now_ns();

		gpuacc_runs = !armnn_shim_try_backend("GpuAcc", gpu_err, sizeof(gpu_err));
		diag("GpuAcc probe (a ReLU network built and run): %s after %.1f s",
		     gpuacc_runs ? "runs" : gpu_err, (edgeai_now_ns() - t0) / 1e9);
	}
	edgeaid_conf(CONF, "[cluster gpu]\nbackend = none\n");
	test_list_devices(gpuacc_runs, gpu_err);
	test_cpuacc(models, nr_models, little, big);
	test_gpuacc(&models[0], gpu, gpuacc_runs, gpu_err);

	armnn_shim_exit();
	edgeai_close(h);
	ok(!run("rmmod edgeai"), "rmmod edgeai");
	ok(!run("rmmod edgeai_fakehw"), "rmmod the fake drivers");
	return tap_done();
}
