// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaid: the executor daemon of edgeai.  One worker thread per cluster
 * it serves; see --help and README.md in this folder.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <edgeai.h>

#include "armnn_shim.h"
#include "backend.h"
#include "board.h"
#include "sim_cost.h"
#include "config.h"
#include "log.h"
#include "notify.h"
#include "opencl.h"
#include "worker.h"

static const char usage_text[] =
"Usage: edgeaid [OPTION]...\n"
"Run the stages that edgeai.ko queues on a board's clusters.\n"
"\n"
"edgeaid attaches one worker thread per cluster it serves to /dev/edgeai\n"
"(EXEC_ATTACH, which needs CAP_SYS_ADMIN).  A worker waits for its\n"
"cluster's next stage, runs it on the cluster's backend, reports it\n"
"complete with the time it took (and its energy where known), and closes\n"
"the descriptors the kernel gave it.  It stays in the foreground and logs\n"
"one line per event to standard error.\n"
"\n"
"Options:\n"
"  -c, --config FILE   read FILE instead of " CONF_DEFAULT_PATH "\n"
"                      (that one is optional; a FILE named here must exist)\n"
"  -l, --list-devices  list the kernel's clusters and how edgeaid would serve\n"
"                      them, Arm NN's backends and the OpenCL devices; exit\n"
"  -v, --verbose       also log every stage and Arm NN's warnings\n"
"  -h, --help          show this help and exit\n"
"  -V, --version       show the version and exit\n"
"\n"
"Backends:\n"
"  sim    sleeps the stage's time at the cluster's current frequency and\n"
"         reports its energy: by the stage's estimate (cost_ns x max_freq /\n"
"         freq, sim_cost = scaled) or by a board profile's measured layers\n"
"         (sim_cost = board); it reads and writes no buffer.\n"
"  armnn  cuts the stage's layers out of the graph's .tflite model and runs\n"
"         them with Arm NN: CpuRef, CpuAcc, GpuAcc, or a dynamic backend\n"
"         found in Arm NN's backend folder.  A GPU cluster is served only\n"
"         when GpuAcc can run (Arm NN has it and OpenCL finds a GPU).\n"
"         A graph without a model file runs on sim there.\n"
"  none   the cluster is left to another executor.\n"
"Without a configuration file every cluster is served by sim.\n"
"\n"
"Configuration (INI style; # or ; starts a comment):\n"
"  [daemon]\n"
"  armnn_backend_path = DIR  folder of Arm NN's dynamic backends\n"
"                            (default: armnn<soname> next to libarmnn)\n"
"  board = NAME|DIR          board profile for sim_cost = board, by name\n"
"                            (data/boards, $EDGEAI_BOARDS) or folder\n"
"  [defaults]                applies to clusters without a section\n"
"  [cluster NAME]            one cluster, by the name the kernel gives it\n"
"  backend = sim|armnn|none\n"
"  armnn_backends = A,B      Arm NN backends, preferred first (default:\n"
"                            CpuAcc,CpuRef on CPU clusters, GpuAcc on GPUs)\n"
"  cpus = LIST               pin the worker, e.g. 0-3,6 (default: the\n"
"                            cluster's CPUs as the kernel reports them)\n"
"  cache = N                 loaded networks kept per worker (default 8)\n"
"  power_mw = N              power at the highest frequency, for energy\n"
"  sim_cost = scaled|board   the sim backend's cost source: the stage's\n"
"                            estimate scaled by frequency, or the board\n"
"                            profile's measured layers of the model the\n"
"                            graph's name names (\"MobileV1[:...]\")\n"
"Errors name the file and line; a cluster section the kernel does not know\n"
"is an error.\n"
"\n"
"Model and buffers (armnn): a stage runs operators [first_layer,\n"
"first_layer + nr_layers) of the model's first subgraph.  Its inputs are\n"
"the tensors those operators read and no earlier one of them wrote, its\n"
"outputs the tensors they write that later operators or the model's\n"
"outputs use, each list in ascending tensor index.  Input i is read from\n"
"the job buffer of the i-th set bit of in_mask, output i written to that\n"
"of out_mask, at offset 0, densely packed in the model's element type\n"
"(float32 little-endian).  A model cut into N stages in a line thus uses\n"
"N + 1 buffers: 0 the input, N the output, k the tensor between stage k\n"
"and stage k + 1.\n"
"\n"
"Signals:\n"
"  SIGTERM, SIGINT  stop: running stages finish and are completed, then\n"
"                   the workers detach.  A second signal stops at once:\n"
"                   the executor files are closed and the kernel hands\n"
"                   their running stages to the next executor.\n"
"\n"
"Exit status: 0 after a clean stop or a listing, 1 on a failure, 2 on a\n"
"usage or configuration error.\n"
"\n"
"Environment:\n"
"  EDGEAI_DEVICE    another device than /dev/edgeai\n"
"  NOTIFY_SOCKET    set by systemd for a Type=notify service: edgeaid sends\n"
"                   READY=1 once every worker is attached, STOPPING=1 when\n"
"                   it begins to stop\n";

static struct worker workers[CONF_MAX_CLUSTERS];
static unsigned int nr_workers;

static const char *device_path(void)
{
	const char *p = getenv("EDGEAI_DEVICE");

	return p && *p ? p : EDGEAI_DEVICE_PATH;
}

/* Why the device did not open: the errno's words, and the usual cause. */
static const char *open_error(int err)
{
	static char msg[160];

	snprintf(msg, sizeof(msg), "%s%s", strerror(-err),
		 err == -ENOENT ? " (is edgeai.ko loaded?)" : "");
	return msg;
}

static void usage_error(const char *msg)
{
	fprintf(stderr, "edgeaid: %s\nTry 'edgeaid --help'.\n", msg);
	exit(2);
}

/* The CPUs of a cluster as the kernel reports them (none if virtual). */
static bool kernel_cpus(const struct edgeai_cluster_desc *d, cpu_set_t *set)
{
	bool any = false;
	unsigned int w, b;

	CPU_ZERO(set);
	for (w = 0; w < sizeof(d->cpus) / sizeof(d->cpus[0]); w++)
		for (b = 0; b < 64; b++)
			if ((d->cpus[w] >> b) & 1 && 64 * w + b < CPU_SETSIZE) {
				CPU_SET(64 * w + b, set);
				any = true;
			}
	return any;
}

/* What edgeaid would run cluster @d on, in words. */
static void describe_service(const struct conf *c, const struct edgeai_cluster_desc *d,
			     char *buf, size_t len)
{
	struct conf_cluster cc;
	char cpus[128] = "";
	cpu_set_t set;

	conf_resolve(c, d->info.name, &cc);
	if (cc.cpus_set)
		conf_format_cpus(&cc.cpus, cpus, sizeof(cpus));
	else if (kernel_cpus(d, &set))
		conf_format_cpus(&set, cpus, sizeof(cpus));
	snprintf(buf, len, "%s%s%s", conf_backend_name(cc.backend), *cpus ? ", pinned to " : "",
		 cpus);
}

/*
 * Whether GpuAcc can serve a GPU cluster, and if not why: Arm NN lists it
 * whenever its dynamic backend loads, but only a network run on it shows
 * that its OpenCL kernels build and run on the device the loader gives.
 */
static void list_gpuacc(void)
{
	char err[512];
	int gpus = opencl_gpu_devices(), all = opencl_devices();

	if (armnn_shim_backend_error("GpuAcc", err, sizeof(err))) {
		printf("  GpuAcc: not available: %s\n", err);
		return;
	}
	if (!all) {
		printf("  GpuAcc: no OpenCL device (no ICD in /etc/OpenCL/vendors, or no driver for the GPU)\n");
		return;
	}
	if (armnn_shim_try_backend("GpuAcc", err, sizeof(err)))
		printf("  GpuAcc: cannot run: %s\n", err);
	else if (!gpus)
		printf("  GpuAcc: runs, on an OpenCL device that is not a GPU (a GPU cluster takes it only with armnn_backends = GpuAcc)\n");
	else
		printf("  GpuAcc: runs, on the OpenCL GPU\n");
}

static int list_devices(const struct conf *c, const char *backend_path)
{
	struct edgeai *h;
	struct edgeai_info info;
	char names[32][ARMNN_SHIM_NAME_LEN], err[256];
	uint32_t i;
	int ret, n;

	printf("Clusters (%s):\n", device_path());
	ret = edgeai_open(&h);
	if (ret) {
		printf("  none: %s\n", open_error(ret));
	} else {
		ret = edgeai_get_info(h, &info);
		for (i = 0; !ret && i < info.nr_clusters; i++) {
			struct edgeai_cluster_desc d;
			char cpus[128] = "-", service[192];
			cpu_set_t set;

			ret = edgeai_cluster_get(h, i, &d);
			if (ret)
				break;
			if (kernel_cpus(&d, &set))
				conf_format_cpus(&set, cpus, sizeof(cpus));
			describe_service(c, &d, service, sizeof(service));
			printf("  %u %-12s %-3s %-8s %u-%u MHz (%u steps, now %u) cpus %s, governor %s, %u executor%s; edgeaid: %s\n",
			       i, d.info.name, edgeai_kind_name(d.info.kind),
			       edgeai_control_name(d.info.control),
			       d.freqs_khz[0] / 1000, d.info.max_freq_khz / 1000, d.info.nr_freqs,
			       d.info.cur_freq_khz / 1000, cpus, d.info.governor,
			       d.info.nr_executors, d.info.nr_executors == 1 ? "" : "s", service);
		}
		edgeai_close(h);
		if (ret)
			printf("  none: %s\n", edgeai_strerror(ret));
	}

	if (!armnn_shim_built()) {
		printf("Arm NN: not built in\n");
	} else if (armnn_shim_init(backend_path, log_max_level >= LOG_DEBUG, err, sizeof(err))) {
		printf("Arm NN %s: %s\n", armnn_shim_version(), err);
	} else {
		printf("Arm NN %s backends (dynamic backends from %s):\n", armnn_shim_version(),
		       *armnn_shim_backend_dir() ? armnn_shim_backend_dir() : "nowhere");
		n = armnn_shim_backends(names, 32);
		for (i = 0; i < (uint32_t)n && i < 32; i++)
			printf("  %s\n", names[i]);
		if (!n)
			printf("  none\n");
		list_gpuacc();
		armnn_shim_exit();
	}
	printf("OpenCL (ICD loader):\n");
	opencl_list(stdout);
	return 0;
}

/* Set up a worker per served cluster; 0 or exit status. */
static int setup_workers(const struct conf *c, int stop_fd)
{
	struct edgeai_info info;
	struct edgeai *h;
	bool need_armnn = false;
	uint32_t i;
	unsigned int k;
	int ret;

	ret = edgeai_open(&h);
	if (ret) {
		log_err("cannot open %s: %s", device_path(), open_error(ret));
		return 1;
	}
	ret = edgeai_get_info(h, &info);
	if (!ret && info.abi_version != EDGEAI_ABI_VERSION) {
		log_err("the module speaks ABI %u, edgeaid %u", info.abi_version, EDGEAI_ABI_VERSION);
		ret = -EPROTO;
	}
	for (i = 0; !ret && i < info.nr_clusters && i < CONF_MAX_CLUSTERS; i++) {
		struct worker *w = &workers[nr_workers];
		cpu_set_t set;

		memset(w, 0, sizeof(*w));
		ret = edgeai_cluster_get(h, i, &w->desc);
		if (ret)
			break;
		conf_resolve(c, w->desc.info.name, &w->conf);
		if (w->conf.backend == CONF_BACKEND_NONE) {
			log_info("%s: not served (backend none)", w->desc.info.name);
			continue;
		}
		w->cluster_id = i;
		w->stop_fd = stop_fd;
		w->backend = w->conf.backend == CONF_BACKEND_ARMNN ? &armnn_backend : &sim_backend;
		if (!w->conf.cpus_set && kernel_cpus(&w->desc, &set)) {
			w->conf.cpus = set;
			w->conf.cpus_set = true;
		}
		w->pin = w->conf.cpus_set;
		need_armnn |= w->conf.backend == CONF_BACKEND_ARMNN;
		nr_workers++;
	}
	if (ret) {
		log_err("cannot read the clusters: %s", edgeai_strerror(ret));
		edgeai_close(h);
		return 1;
	}
	/* A section for a cluster the kernel does not have is a typo. */
	for (k = 0; k < c->nr_clusters; k++) {
		if (edgeai_cluster_find(h, c->clusters[k].name) < 0) {
			log_err("configuration line %u: no cluster \"%s\" in the kernel",
				c->clusters[k].line, c->clusters[k].name);
			edgeai_close(h);
			return 2;
		}
	}
	edgeai_close(h);

	if (need_armnn) {
		char err[256];

		if (!armnn_shim_built()) {
			log_err("a cluster is configured for armnn, but edgeaid was built without Arm NN");
			return 2;
		}
		ret = armnn_shim_init(c->armnn_backend_path, log_max_level >= LOG_DEBUG, err,
				      sizeof(err));
		if (ret) {
			log_err("%s", err);
			return 1;
		}
		log_info("Arm NN %s, dynamic backends from %s", armnn_shim_version(),
			 *armnn_shim_backend_dir() ? armnn_shim_backend_dir() : "nowhere");
	}
	for (k = 0; k < nr_workers; k++) {
		struct worker *w = &workers[k];
		char cpus[128] = "";

		ret = worker_prepare(w);
		if (ret)
			return ret == -EPERM ? 2 : 1;
		if (w->pin)
			conf_format_cpus(&w->conf.cpus, cpus, sizeof(cpus));
		log_info("%s: attached (cluster %u, %s, %s backend%s%s)", w->desc.info.name,
			 w->cluster_id, edgeai_kind_name(w->desc.info.kind), w->backend->name,
			 w->pin ? ", CPUs " : "", cpus);
	}
	if (!nr_workers)
		log_warn("no cluster to serve");
	return 0;
}

static void stop_workers(int stop_fd)
{
	uint64_t one = 1;

	if (write(stop_fd, &one, sizeof(one)) != sizeof(one))
		log_err("cannot signal the workers: %s", strerror(errno));
}

/* All workers ended (each after completing its stage in flight)? */
static bool all_joined(void)
{
	unsigned int k;

	for (k = 0; k < nr_workers; k++) {
		if (!workers[k].started)
			continue;
		if (pthread_tryjoin_np(workers[k].thread, NULL))
			return false;
		workers[k].started = false;
	}
	return true;
}

static bool any_fatal(void)
{
	unsigned int k;

	for (k = 0; k < nr_workers; k++)
		if (workers[k].fatal)
			return true;
	return false;
}

/* Tell the service manager, if one asks (a failure only costs a warning). */
static void notify_manager(const char *state)
{
	int ret = notify_service_manager(state);

	if (ret < 0)
		log_warn("cannot notify the service manager: %s", strerror(-ret));
}

static int serve(int stop_fd, const sigset_t *sigs)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	bool stopping = false;
	unsigned int k;
	int sig, status = 0;

	for (k = 0; k < nr_workers; k++) {
		int ret = pthread_create(&workers[k].thread, NULL, worker_main, &workers[k]);

		if (ret) {
			log_err("cannot start a worker: %s", strerror(ret));
			stop_workers(stop_fd);
			status = 1;
			stopping = true;
			break;
		}
		workers[k].started = true;
	}
	if (!stopping) {
		char ready[64];

		log_info("serving %u cluster%s", nr_workers, nr_workers == 1 ? "" : "s");
		/* Every worker is attached: systemd (Type=notify) may go on. */
		snprintf(ready, sizeof(ready), "READY=1\nSTATUS=Serving %u cluster%s",
			 nr_workers, nr_workers == 1 ? "" : "s");
		notify_manager(ready);
	}

	for (;;) {
		sig = sigtimedwait(sigs, NULL, &tick);
		if (sig > 0 && !stopping) {
			log_info("%s: stopping; running stages finish and are completed",
				 strsignal(sig));
			stopping = true;
			notify_manager("STOPPING=1");
			stop_workers(stop_fd);
		} else if (sig > 0) {
			log_warn("%s again: stopping now; the kernel hands running stages to the next executor",
				 strsignal(sig));
			/* Exiting closes the executor files: that is the hand-back. */
			_exit(1);
		}
		if (!stopping && any_fatal()) {
			log_err("a worker failed: stopping");
			stopping = true;
			status = 1;
			stop_workers(stop_fd);
		}
		if (all_joined())
			break;
	}
	for (k = 0; k < nr_workers; k++) {
		struct worker *w = &workers[k];

		if (w->fatal)
			status = 1;
		log_info("%s: detached after %llu stages (%llu failed), busy %.3f s",
			 w->desc.info.name, (unsigned long long)w->nr_ok + w->nr_failed,
			 (unsigned long long)w->nr_failed, (double)w->busy_ns / 1e9);
		worker_release(w);
	}
	return status;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "list-devices", no_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *config = NULL;
	struct board *board = NULL;
	bool list = false;
	char err[512];
	struct conf conf;
	sigset_t sigs;
	int opt, stop_fd, status;

	while ((opt = getopt_long(argc, argv, "c:lvhV", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 'l':
			list = true;
			break;
		case 'v':
			log_max_level = LOG_DEBUG;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("edgeaid (edgeai) ABI %d, Arm NN %s\n", EDGEAI_ABI_VERSION,
			       armnn_shim_built() ? armnn_shim_version() : "not built in");
			return 0;
		default:
			/* getopt said what was wrong. */
			fputs("Try 'edgeaid --help'.\n", stderr);
			return 2;
		}
	}
	if (optind < argc)
		usage_error("unexpected argument");

	conf_init(&conf);
	if (config || access(CONF_DEFAULT_PATH, F_OK) == 0) {
		const char *path = config ? config : CONF_DEFAULT_PATH;

		if (conf_load(&conf, path, err, sizeof(err))) {
			log_err("%s", err);
			return 2;
		}
		if (!list)
			log_info("configuration from %s", path);
	} else if (!list) {
		log_info("no configuration file: every cluster on the sim backend");
	}
	if (list)
		return list_devices(&conf, conf.armnn_backend_path);
	if (conf.board[0]) {
		char dir[CONF_PATH_LEN * 2];

		if (board_resolve(conf.board, dir, sizeof(dir))) {
			log_err("board %s: no such board profile", conf.board);
			return 2;
		}
		board = board_load(dir, err, sizeof(err));
		if (!board) {
			log_err("board %s: %s", conf.board, err);
			return 2;
		}
		sim_cost_set_board(board);
		log_info("sim costs from board profile %s", board_name(board));
	}

	/* Workers inherit the mask: only the main thread takes the signals. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	stop_fd = eventfd(0, EFD_CLOEXEC);
	if (stop_fd < 0) {
		log_err("eventfd: %s", strerror(errno));
		board_free(board);
		return 1;
	}
	status = setup_workers(&conf, stop_fd);
	if (!status)
		status = serve(stop_fd, &sigs);
	else
		for (unsigned int k = 0; k < nr_workers; k++)
			worker_release(&workers[k]);
	if (armnn_shim_built())
		armnn_shim_exit();
	board_free(board);
	log_info("stopped%s", status ? " with errors" : "");
	return status;
}
