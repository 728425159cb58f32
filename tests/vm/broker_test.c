// SPDX-License-Identifier: GPL-2.0-only
/*
 * The job broker against the real module, in the VM: every error path of
 * every ioctl, then the semantics (order, pipelining, cancellation,
 * executor loss, cleanup).
 *
 * Loaded with tests/vm/broker_test.modparams: three virtual clusters and
 * small limits, so that each limit is quick to reach.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/child.h"
#include "../lib/exec.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define MS		1000000ULL
#define DEV		"/dev/edgeai"

/* What broker_test.modparams sets. */
#define NR_CLUSTERS	3
#define MAX_STAGES	4
#define MAX_BUFFERS	4
#define MAX_GRAPHS	4
#define MAX_JOBS	32
#define MAX_RETRIES	2

/* ---------------------------------------------------------------- graphs */

static struct edgeai_stage stage_on(uint32_t cluster, uint64_t cost_ns,
				    uint64_t in, uint64_t out)
{
	struct edgeai_stage st = {
		.cluster_id = cluster,
		.first_layer = 0,
		.nr_layers = 1,
		.cost_ns = cost_ns,
		.in_mask = in,
		.out_mask = out,
	};
	return st;
}

static struct edgeai_graph_create graph_cmd(struct edgeai_stage *st,
					    uint32_t nr_stages,
					    uint32_t nr_buffers)
{
	struct edgeai_graph_create g = {
		.size = sizeof(g),
		.model_fd = -1,
		.nr_stages = nr_stages,
		.stages = (uintptr_t)st,
		.stage_size = sizeof(*st),
		.nr_buffers = nr_buffers,
		.name = "test",
	};
	return g;
}

/* A graph of stages on the given clusters, 2 buffers (in, out). */
static uint32_t make_graph(int fd, const uint32_t *clusters, uint32_t n,
			   uint64_t cost_ns)
{
	struct edgeai_stage st[MAX_STAGES];
	struct edgeai_graph_create g;
	uint32_t i;
	long r;

	for (i = 0; i < n; i++)
		st[i] = stage_on(clusters[i], cost_ns, 1, 2);
	g = graph_cmd(st, n, 2);
	r = xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g);
	if (r) {
		fprintf(stderr, "make_graph: %s\n", strerror((int)-r));
		exit(2);
	}
	return g.graph_id;
}

struct bufs {
	int fd[2];
};

static struct bufs make_bufs(void)
{
	struct bufs b;

	b.fd[0] = edgeai_buffer_create("in", 4096);
	b.fd[1] = edgeai_buffer_create("out", 4096);
	if (b.fd[0] < 0 || b.fd[1] < 0)
		exit(2);
	return b;
}

static void free_bufs(struct bufs *b)
{
	close(b->fd[0]);
	close(b->fd[1]);
}

static struct edgeai_job_submit submit_cmd(uint32_t graph, const int *fds,
					   uint32_t prio, uint64_t deadline)
{
	struct edgeai_job_submit s = {
		.size = sizeof(s),
		.graph_id = graph,
		.priority = prio,
		.deadline_ns = deadline,
		.buf_fds = (uintptr_t)fds,
		.nr_buffers = 2,
	};
	return s;
}

static uint64_t submit(int fd, uint32_t graph, const struct bufs *b,
		       uint32_t prio, uint64_t deadline, uint64_t cookie)
{
	struct edgeai_job_submit s = submit_cmd(graph, b->fd, prio, deadline);
	long r;

	s.cookie = cookie;
	r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);
	if (r) {
		fprintf(stderr, "submit: %s\n", strerror((int)-r));
		exit(2);
	}
	return s.job_id;
}

static struct edgeai_job_wait wait_cmd(uint64_t id, uint32_t flags)
{
	struct edgeai_job_wait w = {
		.size = sizeof(w),
		.flags = flags,
		.job_id = id,
	};
	return w;
}

static long wait_job(int fd, uint64_t id, struct edgeai_job_wait *w,
		     struct edgeai_stage_times *times, uint32_t cap)
{
	*w = wait_cmd(id, EDGEAI_WAIT_TIMEOUT);
	w->timeout_ns = edgeai_now_ns() + 20000 * MS;
	if (times) {
		w->stage_times = (uintptr_t)times;
		w->stage_times_cap = cap;
		w->stage_times_size = sizeof(*times);
	}
	return xioctl(fd, EDGEAI_IOCTL_JOB_WAIT, w);
}

/* ---------------------------------------------------------------- executors */

static struct edgeai_exec_fetch fetch_cmd(int *fds, uint32_t cap)
{
	struct edgeai_exec_fetch f = {
		.size = sizeof(f),
		.buf_fds = (uintptr_t)fds,
		.buf_fds_cap = cap,
	};
	return f;
}

static long fetch(int efd, struct edgeai_exec_fetch *f, int *fds)
{
	*f = fetch_cmd(fds, MAX_BUFFERS);
	return xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, f);
}

static void close_fetched(struct edgeai_exec_fetch *f, int *fds)
{
	uint32_t i;

	for (i = 0; i < f->nr_buffers; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (f->model_fd >= 0)
		close(f->model_fd);
}

static long complete(int efd, uint64_t task, int status)
{
	struct edgeai_exec_complete c = {
		.size = sizeof(c),
		.task_id = task,
		.status = status,
		.exec_ns = 1000,
		.energy_uj = 7,
	};
	return xioctl(efd, EDGEAI_IOCTL_EXEC_COMPLETE, &c);
}

/* Fetch (non-blocking) and complete one stage; returns the task's cookie
 * stand-in: the deadline it carried, or -errno. */
static long run_one(int efd, int status)
{
	struct edgeai_exec_fetch f;
	int fds[MAX_BUFFERS];
	long r = fetch(efd, &f, fds);

	if (r)
		return r;
	close_fetched(&f, fds);
	r = complete(efd, f.task_id, status);
	return r ? r : (long)f.deadline_ns;
}

/* ---------------------------------------------------------------- dispatch */

/* A command, the size of its struct now and in ABI version 1 (the least
 * a caller may pass: kmod/main.c's table). */
struct cmd_desc {
	const char *name;
	unsigned long nr;
	size_t size, min_size;
};

#define CMD(_name, _struct, _last)						\
	{ #_name, EDGEAI_IOCTL_##_name, sizeof(_struct),			\
	  offsetof(_struct, _last) + sizeof(((_struct *)0)->_last) }

static const struct cmd_desc cmds[] = {
	CMD(GET_INFO, struct edgeai_info, __reserved),
	CMD(CLUSTER_INFO, struct edgeai_cluster_info, __reserved2),
	CMD(GRAPH_CREATE, struct edgeai_graph_create, name),
	CMD(GRAPH_DESTROY, struct edgeai_graph_destroy, graph_id),
	CMD(JOB_SUBMIT, struct edgeai_job_submit, est_finish_ns),
	CMD(JOB_WAIT, struct edgeai_job_wait, exit_index),
	CMD(JOB_CANCEL, struct edgeai_job_cancel, job_id),
	CMD(EXEC_ATTACH, struct edgeai_exec_attach, __reserved),
	CMD(EXEC_FETCH, struct edgeai_exec_fetch, graph_name),
	CMD(EXEC_COMPLETE, struct edgeai_exec_complete, energy_uj),
	CMD(SESSION_CREATE, struct edgeai_session_create, session_key),
	CMD(SESSION_DESTROY, struct edgeai_session_destroy, session_id),
};

static void test_dispatch(void)
{
	static unsigned char big_zero[8192];
	unsigned char buf[512];
	size_t i;
	int fd = dev_open();

	ok_errno(xioctl(fd, _IO(EDGEAI_TYPE, 0x7f), buf), -ENOTTY, "command below the table: ENOTTY");
	ok_errno(xioctl(fd, _IO(EDGEAI_TYPE, EDGEAI_CMD_BASE + 64), buf), -ENOTTY,
		 "command past the table: ENOTTY");
	ok_errno(xioctl(fd, _IO(EDGEAI_TYPE + 1, EDGEAI_CMD_BASE), buf), -ENOTTY,
		 "another ioctl type: ENOTTY");
	ok_errno(xioctl(fd, _IOWR(EDGEAI_TYPE, EDGEAI_CMD_BASE, struct edgeai_info), buf),
		 -ENOTTY, "right number, wrong direction bits: ENOTTY");
	ok_errno(xioctl(fd, TCGETS, buf), -ENOTTY, "a tty ioctl: ENOTTY");

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const struct cmd_desc *c = &cmds[i];
		uint32_t *size = (uint32_t *)buf;

		ok_errno(xioctl(fd, c->nr, NULL), -EFAULT, "%s: NULL argument: EFAULT", c->name);
		ok_errno(xioctl(fd, c->nr, (void *)16), -EFAULT, "%s: bad pointer: EFAULT", c->name);
		memset(buf, 0, sizeof(buf));
		*size = 4;
		ok_errno(xioctl(fd, c->nr, buf), -EINVAL, "%s: size 4: EINVAL", c->name);
		*size = (uint32_t)c->min_size - 1;
		ok_errno(xioctl(fd, c->nr, buf), -EINVAL,
			 "%s: one byte short of its first version: EINVAL", c->name);
		memset(buf, 0, sizeof(buf));
		*size = (uint32_t)c->size + 16;
		buf[c->size + 8] = 1;
		ok_errno(xioctl(fd, c->nr, buf), -E2BIG, "%s: larger with a non-zero tail: E2BIG",
			 c->name);
		memset(big_zero, 0, sizeof(big_zero));
		*(uint32_t *)big_zero = 4096 + 8;
		ok_errno(xioctl(fd, c->nr, big_zero), -E2BIG,
			 "%s: larger than a page, even zero-filled: E2BIG", c->name);
	}
	/* A larger struct with a zero tail is the current one. */
	{
		struct {
			struct edgeai_info info;
			uint64_t future[4];
		} big = { .info.size = sizeof(big) };

		ok_errno(xioctl(fd, EDGEAI_IOCTL_GET_INFO, &big), 0,
			 "GET_INFO: larger struct with zero tail accepted");
		ok(big.info.abi_version == EDGEAI_ABI_VERSION, "... and answered (ABI %u)",
		   big.info.abi_version);
	}
	close(fd);
}

static void test_info(void)
{
	struct edgeai_info info = { .size = sizeof(info) };
	int fd = dev_open();

	ok_errno(xioctl(fd, EDGEAI_IOCTL_GET_INFO, &info), 0, "GET_INFO");
	ok(info.abi_version == EDGEAI_ABI_VERSION && info.nr_clusters == NR_CLUSTERS,
	   "ABI %u, %u clusters", info.abi_version, info.nr_clusters);
	ok(info.max_stages == MAX_STAGES && info.max_buffers == MAX_BUFFERS &&
	   info.max_graphs_per_fd == MAX_GRAPHS && info.max_jobs_per_uid == MAX_JOBS &&
	   info.max_retries == MAX_RETRIES, "limits are the module parameters");
	ok(info.features & EDGEAI_FEAT_STRICT_ADMISSION, "strict admission feature bit");
	info = (struct edgeai_info){ .size = sizeof(info), .flags = 1 };
	ok_errno(xioctl(fd, EDGEAI_IOCTL_GET_INFO, &info), -EINVAL, "GET_INFO: flags: EINVAL");
	info = (struct edgeai_info){ .size = sizeof(info), .__reserved = 1 };
	ok_errno(xioctl(fd, EDGEAI_IOCTL_GET_INFO, &info), -EINVAL, "GET_INFO: reserved: EINVAL");
	close(fd);
}

static void test_cluster_info(void)
{
	static const char *const names[] = { "little", "big", "gpu" };
	static const uint32_t kinds[] = { EDGEAI_CLUSTER_CPU, EDGEAI_CLUSTER_CPU,
					  EDGEAI_CLUSTER_GPU };
	struct edgeai_cluster_info ci;
	uint32_t freqs[8];
	uint32_t i;
	int fd = dev_open();

	for (i = 0; i < NR_CLUSTERS; i++) {
		memset(freqs, 0xff, sizeof(freqs));
		ci = (struct edgeai_cluster_info){ .size = sizeof(ci), .cluster_id = i,
			.freqs = (uintptr_t)freqs, .freqs_cap = 8 };
		ok_errno(xioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci), 0, "CLUSTER_INFO %u", i);
		ok(!strcmp(ci.name, names[i]) && ci.kind == kinds[i] &&
		   ci.control == EDGEAI_CONTROL_VIRTUAL,
		   "cluster %u is %s, kind %u, virtual", i, ci.name, ci.kind);
	}
	ok(ci.nr_freqs == 2 && freqs[0] == 200000 && freqs[1] == 800000 &&
	   freqs[2] == 0xffffffff && ci.max_freq_khz == 800000,
	   "gpu steps 200/800 MHz, nothing written past them");
	memset(freqs, 0xff, sizeof(freqs));
	ci = (struct edgeai_cluster_info){ .size = sizeof(ci), .cluster_id = 0,
		.freqs = (uintptr_t)freqs, .freqs_cap = 1 };
	xioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci);
	ok(ci.nr_freqs == 3 && freqs[0] == 400000 && freqs[1] == 0xffffffff,
	   "freqs_cap 1 writes one step and reports all 3");
	ci = (struct edgeai_cluster_info){ .size = sizeof(ci), .cluster_id = NR_CLUSTERS };
	ok_errno(xioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci), -EINVAL, "unknown cluster: EINVAL");
	ci = (struct edgeai_cluster_info){ .size = sizeof(ci), .flags = 4 };
	ok_errno(xioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci), -EINVAL, "flags: EINVAL");
	ci = (struct edgeai_cluster_info){ .size = sizeof(ci), .__reserved = 4 };
	ok_errno(xioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci), -EINVAL, "reserved: EINVAL");
	ci = (struct edgeai_cluster_info){ .size = sizeof(ci), .__reserved2 = 4 };
	ok_errno(xioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci), -EINVAL, "reserved2: EINVAL");
	ci = (struct edgeai_cluster_info){ .size = sizeof(ci), .speed = 16, .freqs_cap = 2 };
	ok_errno(xioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci), -EFAULT, "bad speed pointer: EFAULT");
	ci = (struct edgeai_cluster_info){ .size = sizeof(ci), .power_mw = 16, .freqs_cap = 2 };
	ok_errno(xioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci), -EFAULT, "bad power pointer: EFAULT");
	ci = (struct edgeai_cluster_info){ .size = sizeof(ci), .freqs = 16, .freqs_cap = 2 };
	ok_errno(xioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci), -EFAULT, "bad freqs pointer: EFAULT");
	ci = (struct edgeai_cluster_info){ .size = sizeof(ci), .cpus = 16, .cpus_words = 1 };
	ok_errno(xioctl(fd, EDGEAI_IOCTL_CLUSTER_INFO, &ci), -EFAULT, "bad cpus pointer: EFAULT");
	close(fd);
}

static void test_graph_errors(void)
{
	struct edgeai_stage st[MAX_STAGES + 1];
	struct edgeai_graph_create g;
	struct edgeai_graph_destroy d = { .size = sizeof(d) };
	uint64_t sizes[2] = { 64, 64 };
	int fd = dev_open(), pfd[2], i, wfd;
	char tmpl[] = "/tmp/modelXXXXXX";
	uint32_t ids[MAX_GRAPHS];
	struct {
		struct edgeai_stage st;
		uint64_t future;
	} big[1];

	for (i = 0; i <= MAX_STAGES; i++)
		st[i] = stage_on(0, MS, 1, 2);

#define GRAPH_EXPECT(want, what, ...) do {					\
		g = graph_cmd(st, 1, 2);					\
		__VA_ARGS__;							\
		ok_errno(xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g), want,	\
			 "GRAPH_CREATE: " what);				\
		st[0] = stage_on(0, MS, 1, 2);					\
	} while (0)

	GRAPH_EXPECT(0, "a valid graph");
	ok(g.graph_id > 0, "... gets an id (%u)", g.graph_id);
	d.graph_id = g.graph_id;
	ok_errno(xioctl(fd, EDGEAI_IOCTL_GRAPH_DESTROY, &d), 0, "GRAPH_DESTROY");
	ok_errno(xioctl(fd, EDGEAI_IOCTL_GRAPH_DESTROY, &d), -ENOENT, "GRAPH_DESTROY twice: ENOENT");
	d.graph_id = 4242;
	ok_errno(xioctl(fd, EDGEAI_IOCTL_GRAPH_DESTROY, &d), -ENOENT, "GRAPH_DESTROY unknown: ENOENT");

	GRAPH_EXPECT(-EINVAL, "flags: EINVAL", g.flags = 1);
	GRAPH_EXPECT(-EINVAL, "reserved: EINVAL", g.__reserved = 1);
	GRAPH_EXPECT(-EINVAL, "graph_id set on input: EINVAL", g.graph_id = 3);
	GRAPH_EXPECT(-EINVAL, "no stages: EINVAL", g.nr_stages = 0);
	GRAPH_EXPECT(-E2BIG, "more stages than max_stages: E2BIG", g.nr_stages = MAX_STAGES + 1);
	GRAPH_EXPECT(-EINVAL, "no buffers: EINVAL", g.nr_buffers = 0);
	GRAPH_EXPECT(-ENOBUFS, "more buffers than max_buffers: ENOBUFS",
		     g.nr_buffers = MAX_BUFFERS + 1);
	GRAPH_EXPECT(-EINVAL, "stage_size too small: EINVAL", g.stage_size = 8);
	GRAPH_EXPECT(-EINVAL, "NULL stages: EINVAL", g.stages = 0);
	GRAPH_EXPECT(-EFAULT, "bad stages pointer: EFAULT", g.stages = 16);
	GRAPH_EXPECT(-EINVAL, "stage flags: EINVAL", st[0].flags = 1);
	GRAPH_EXPECT(-EINVAL, "stage reserved: EINVAL", st[0].__reserved = 1);
	GRAPH_EXPECT(-EINVAL, "unknown cluster: EINVAL", st[0].cluster_id = NR_CLUSTERS);
	GRAPH_EXPECT(-EINVAL, "zero layers: EINVAL", st[0].nr_layers = 0);
	GRAPH_EXPECT(-EINVAL, "layer range overflows: EINVAL",
		     st[0].first_layer = 0xffffffff; st[0].nr_layers = 2);
	GRAPH_EXPECT(-EINVAL, "cost above 1000 s: EINVAL", st[0].cost_ns = 1001ULL * 1000 * MS);
	GRAPH_EXPECT(-EINVAL, "input mask names buffer 2 of 2: EINVAL", st[0].in_mask = 4);
	GRAPH_EXPECT(-EINVAL, "output mask names buffer 63: EINVAL", st[0].out_mask = 1ULL << 63);
	GRAPH_EXPECT(-EINVAL, "unterminated name: EINVAL", memset(g.name, 'a', sizeof(g.name)));
	GRAPH_EXPECT(-EINVAL, "non-printable name: EINVAL", g.name[1] = '\n');
	GRAPH_EXPECT(-EFAULT, "bad buf_sizes pointer: EFAULT", g.buf_sizes = 16);
	GRAPH_EXPECT(0, "buf_sizes given", g.buf_sizes = (uintptr_t)sizes);
	GRAPH_EXPECT(-EBADF, "model fd not open: EBADF", g.model_fd = 999);
	GRAPH_EXPECT(-EBADF, "model fd -2: EBADF", g.model_fd = -2);
	if (pipe(pfd) == 0) {
		GRAPH_EXPECT(-EINVAL, "model is a pipe: EINVAL", g.model_fd = pfd[0]);
		close(pfd[0]);
		close(pfd[1]);
	}
	GRAPH_EXPECT(-EINVAL, "model is /dev/edgeai itself: EINVAL", g.model_fd = fd);
	wfd = mkstemp(tmpl);
	if (wfd >= 0) {
		int w = open(tmpl, O_WRONLY);

		GRAPH_EXPECT(-EACCES, "model open write-only: EACCES", g.model_fd = w);
		GRAPH_EXPECT(0, "model a readable regular file", g.model_fd = wfd);
		close(w);
		close(wfd);
		unlink(tmpl);
	}
	big[0].st = stage_on(0, MS, 1, 2);
	big[0].future = 0;
	GRAPH_EXPECT(0, "larger stage_size with zero tail",
		     g.stages = (uintptr_t)big; g.stage_size = sizeof(big[0]));
	big[0].future = 5;
	GRAPH_EXPECT(-E2BIG, "larger stage_size with non-zero tail: E2BIG",
		     g.stages = (uintptr_t)big; g.stage_size = sizeof(big[0]));
	GRAPH_EXPECT(-EINVAL, "stage_size above a page: EINVAL", g.stage_size = 4097);
	close(fd);

	/* max_graphs_per_fd */
	fd = dev_open();
	for (i = 0; i < MAX_GRAPHS; i++) {
		g = graph_cmd(st, 1, 2);
		xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g);
		ids[i] = g.graph_id;
	}
	g = graph_cmd(st, 1, 2);
	ok_errno(xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g), -EMFILE,
		 "graph %d on one file: EMFILE", MAX_GRAPHS + 1);
	d.graph_id = ids[0];
	xioctl(fd, EDGEAI_IOCTL_GRAPH_DESTROY, &d);
	g = graph_cmd(st, 1, 2);
	ok_errno(xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g), 0, "after destroying one, room again");
	close(fd);
#undef GRAPH_EXPECT
}

static void test_submit_errors(void)
{
	const uint32_t c0 = 0;
	int fd = dev_open(), pfd[2], ro, other;
	struct bufs b = make_bufs();
	struct edgeai_job_submit s;
	uint32_t graph = make_graph(fd, &c0, 1, MS), small_graph;
	uint64_t sizes[2] = { 8192, 64 };
	struct edgeai_stage st = stage_on(0, MS, 1, 2);
	struct edgeai_graph_create g = graph_cmd(&st, 1, 2);
	int fds[2];
	long rejected;
	int i;

	g.buf_sizes = (uintptr_t)sizes;
	xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g);
	small_graph = g.graph_id;

#define SUBMIT_EXPECT(want, what, ...) do {					\
		s = submit_cmd(graph, b.fd, EDGEAI_PRIO_NORMAL, 0);		\
		__VA_ARGS__;							\
		ok_errno(xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s), want,		\
			 "JOB_SUBMIT: " what);					\
	} while (0)

	SUBMIT_EXPECT(0, "a valid job");
	ok(s.job_id > 0 && s.est_finish_ns == 0, "... gets an id, no estimate without strict");
	SUBMIT_EXPECT(-EINVAL, "unknown flag: EINVAL", s.flags = 0x80);
	SUBMIT_EXPECT(-EINVAL, "reserved: EINVAL", s.__reserved = 1);
	SUBMIT_EXPECT(-EINVAL, "job_id set on input: EINVAL", s.job_id = 1);
	SUBMIT_EXPECT(-EINVAL, "priority 4: EINVAL", s.priority = EDGEAI_NR_PRIO);
	SUBMIT_EXPECT(-ENOENT, "unknown graph: ENOENT", s.graph_id = 999);
	SUBMIT_EXPECT(-EINVAL, "nr_buffers differs from the graph: EINVAL", s.nr_buffers = 1);
	SUBMIT_EXPECT(-EINVAL, "NULL buf_fds: EINVAL", s.buf_fds = 0);
	SUBMIT_EXPECT(-EFAULT, "bad buf_fds pointer: EFAULT", s.buf_fds = 16);
	fds[0] = b.fd[0];
	fds[1] = 999;
	SUBMIT_EXPECT(-EBADF, "closed fd: EBADF", s.buf_fds = (uintptr_t)fds);
	if (pipe(pfd) == 0) {
		fds[1] = pfd[1];
		SUBMIT_EXPECT(-EINVAL, "a pipe as buffer: EINVAL", s.buf_fds = (uintptr_t)fds);
		close(pfd[0]);
		close(pfd[1]);
	}
	fds[1] = fd;
	SUBMIT_EXPECT(-EINVAL, "/dev/edgeai as buffer: EINVAL", s.buf_fds = (uintptr_t)fds);
	other = open("/proc/self/stat", O_RDONLY);
	fds[1] = other;
	SUBMIT_EXPECT(-EINVAL, "a procfs file as buffer: EINVAL", s.buf_fds = (uintptr_t)fds);
	close(other);
	{
		char path[64];

		snprintf(path, sizeof(path), "/proc/self/fd/%d", b.fd[1]);
		ro = open(path, O_RDONLY);
	}
	fds[1] = ro;
	SUBMIT_EXPECT(-EACCES, "read-only fd for a written buffer: EACCES",
		      s.buf_fds = (uintptr_t)fds);
	fds[0] = ro;
	fds[1] = b.fd[1];
	SUBMIT_EXPECT(0, "read-only fd for a buffer only read", s.buf_fds = (uintptr_t)fds);
	close(ro);
	SUBMIT_EXPECT(-ENOSPC, "buffer smaller than the graph says: ENOSPC",
		      s.graph_id = small_graph);
	fds[0] = edgeai_buffer_create("big", 8192);
	fds[1] = b.fd[1];
	SUBMIT_EXPECT(0, "buffer as large as the graph says",
		      s.graph_id = small_graph; s.buf_fds = (uintptr_t)fds);
	close(fds[0]);

	rejected = stat_of("rejected");
	SUBMIT_EXPECT(-ETIME, "strict, deadline before the estimate: ETIME",
		      s.flags = EDGEAI_SUBMIT_STRICT; s.deadline_ns = edgeai_now_ns() + 1);
	ok(stat_of("rejected") == rejected + 1, "rejected counter counts it");
	SUBMIT_EXPECT(-ETIME, "strict, no executor on the cluster: ETIME",
		      s.flags = EDGEAI_SUBMIT_STRICT; s.deadline_ns = edgeai_now_ns() + 60000 * MS);
	SUBMIT_EXPECT(0, "strict without deadline is admitted", s.flags = EDGEAI_SUBMIT_STRICT);
	close(fd);

	/* max_jobs_per_uid counts jobs not yet collected, across files */
	fd = dev_open();
	other = dev_open();
	graph = make_graph(fd, &c0, 1, MS);
	for (i = 0; i < MAX_JOBS - 1; i++)
		submit(fd, graph, &b, EDGEAI_PRIO_NORMAL, 0, 0);
	{
		uint32_t g2 = make_graph(other, &c0, 1, MS);

		s = submit_cmd(g2, b.fd, EDGEAI_PRIO_NORMAL, 0);
		ok_errno(xioctl(other, EDGEAI_IOCTL_JOB_SUBMIT, &s), 0,
			 "job %d of the user, on another file", MAX_JOBS);
		s = submit_cmd(g2, b.fd, EDGEAI_PRIO_NORMAL, 0);
		ok_errno(xioctl(other, EDGEAI_IOCTL_JOB_SUBMIT, &s), -EDQUOT,
			 "job %d of the user: EDQUOT", MAX_JOBS + 1);
	}
	close(other);
	s = submit_cmd(graph, b.fd, EDGEAI_PRIO_NORMAL, 0);
	ok_errno(xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s), 0,
		 "closing the other file freed its job's slot");
	close(fd);
	free_bufs(&b);
#undef SUBMIT_EXPECT
}

/* Nobody's tries on root's file @arg (it makes its graph as root first). */
static void nobody_tries(void *arg, void *out)
{
	const uint32_t c0 = 0;
	int fd = *(int *)arg;
	struct bufs b = make_bufs();
	uint32_t graph = make_graph(fd, &c0, 1, MS);
	struct edgeai_job_submit s;
	struct edgeai_exec_attach a = { .size = sizeof(a) };
	int efd = dev_open();
	char *res = out;

	child_drop_to_nobody();
	s = submit_cmd(graph, b.fd, EDGEAI_PRIO_REALTIME, 0);
	res[0] = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s) == -EPERM;
	s = submit_cmd(graph, b.fd, EDGEAI_PRIO_HIGH, 0);
	res[1] = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s) == -EPERM;
	s = submit_cmd(graph, b.fd, EDGEAI_PRIO_NORMAL, 0);
	res[2] = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s) == 0;
	s = submit_cmd(graph, b.fd, EDGEAI_PRIO_BACKGROUND, 0);
	res[3] = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s) == 0;
	res[4] = xioctl(efd, EDGEAI_IOCTL_EXEC_ATTACH, &a) == -EPERM;
	res[5] = open(DEV, O_RDWR) < 0 && errno == EACCES;
}

static void test_permissions(void)
{
	int fd = dev_open();
	char res[6] = "";

	child_report(nobody_tries, &fd, res, sizeof(res));
	close(fd);
	ok(res[0], "without CAP_SYS_NICE: realtime priority is EPERM");
	ok(res[1], "without CAP_SYS_NICE: high priority is EPERM");
	ok(res[2], "without CAP_SYS_NICE: normal priority is fine");
	ok(res[3], "without CAP_SYS_NICE: background priority is fine");
	ok(res[4], "without CAP_SYS_ADMIN: EXEC_ATTACH is EPERM");
	ok(res[5], "an unprivileged user cannot open the 0660 root-owned device");
}

static void test_roles(void)
{
	const uint32_t c0 = 0;
	struct edgeai_exec_attach a = { .size = sizeof(a) };
	struct edgeai_stage st = stage_on(0, MS, 1, 2);
	struct edgeai_graph_create g = graph_cmd(&st, 1, 2);
	struct bufs b = make_bufs();
	struct edgeai_job_submit s = submit_cmd(1, b.fd, EDGEAI_PRIO_NORMAL, 0);
	int sub = dev_open(), efd = dev_open();

	make_graph(sub, &c0, 1, MS);
	ok_errno(xioctl(sub, EDGEAI_IOCTL_EXEC_ATTACH, &a), -EBUSY,
		 "a file with graphs cannot attach: EBUSY");
	a.flags = 1;
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_ATTACH, &a), -EINVAL, "EXEC_ATTACH flags: EINVAL");
	a.flags = 0;
	a.__reserved = 1;
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_ATTACH, &a), -EINVAL, "EXEC_ATTACH reserved: EINVAL");
	a.__reserved = 0;
	a.cluster_id = NR_CLUSTERS;
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_ATTACH, &a), -EINVAL,
		 "EXEC_ATTACH unknown cluster: EINVAL");
	a.cluster_id = 1;
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_ATTACH, &a), 0, "EXEC_ATTACH");
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_ATTACH, &a), -EBUSY, "EXEC_ATTACH twice: EBUSY");
	ok_errno(xioctl(efd, EDGEAI_IOCTL_GRAPH_CREATE, &g), -EBUSY,
		 "an executor cannot create graphs: EBUSY");
	ok_errno(xioctl(efd, EDGEAI_IOCTL_JOB_SUBMIT, &s), -EBUSY,
		 "an executor cannot submit: EBUSY");
	close(efd);
	close(sub);
	free_bufs(&b);
}

static void sigalrm(int sig)
{
	(void)sig;
}

static void test_exec_errors(void)
{
	const uint32_t c2 = 2;
	int sub = dev_open(), efd = exec_open(2), fds[MAX_BUFFERS], one_fd[1];
	struct bufs b = make_bufs();
	uint32_t graph = make_graph(sub, &c2, 1, MS);
	struct edgeai_exec_fetch f;
	struct edgeai_exec_complete c;
	struct sigaction sa = { .sa_handler = sigalrm };
	struct edgeai_job_wait w;
	uint64_t id;
	char data[4] = "";

	f = fetch_cmd(fds, MAX_BUFFERS);
	ok_errno(xioctl(sub, EDGEAI_IOCTL_EXEC_FETCH, &f), -EINVAL,
		 "EXEC_FETCH on a file that is no executor: EINVAL");
	f.flags = 1;
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f), -EINVAL, "EXEC_FETCH flags: EINVAL");
	f = fetch_cmd(NULL, MAX_BUFFERS);
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f), -EINVAL, "EXEC_FETCH NULL buf_fds: EINVAL");
	f = fetch_cmd(fds, MAX_BUFFERS);
	f.__reserved = 2;
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f), -EINVAL, "EXEC_FETCH reserved: EINVAL");
	fcntl(efd, F_SETFL, O_NONBLOCK);
	ok_errno(fetch(efd, &f, fds), -EAGAIN, "EXEC_FETCH, nothing queued, O_NONBLOCK: EAGAIN");
	fcntl(efd, F_SETFL, 0);

	/* A blocking fetch is interrupted by a signal without SA_RESTART. */
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	ok_errno(fetch(efd, &f, fds), -EINTR, "blocking EXEC_FETCH interrupted by a signal: EINTR");
	alarm(0);

	if (write(b.fd[0], "abc", 3) != 3)
		diag("write to buffer failed");
	id = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, 77);
	f = fetch_cmd(one_fd, 1);
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f), -ENOBUFS,
		 "EXEC_FETCH with room for 1 of 2 buffers: ENOBUFS");
	f = fetch_cmd((int *)16, MAX_BUFFERS);
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_FETCH, &f), -EFAULT,
		 "EXEC_FETCH with a bad buf_fds pointer: EFAULT");
	ok_errno(fetch(efd, &f, fds), 0, "the stage is still there after both failures");
	ok(f.nr_buffers == 2 && fds[0] >= 0 && fds[1] >= 0 && f.model_fd == -1 &&
	   f.stage == 0 && f.nr_stages == 1 && f.cost_ns == MS &&
	   !strcmp(f.graph_name, "test") && f.submitter_pid == (uint32_t)getpid(),
	   "fetch describes the stage (buffers, no model, cost, name, pid)");
	ok(fcntl(fds[0], F_GETFD) & FD_CLOEXEC, "installed descriptors are O_CLOEXEC");
	ok(pread(fds[0], data, 3, 0) == 3 && !memcmp(data, "abc", 3),
	   "the executor reads what the submitter wrote: the very file");
	if (pwrite(fds[1], "xyz", 3, 0) != 3)
		diag("pwrite failed");
	{
		struct edgeai_exec_fetch again;
		int more[MAX_BUFFERS];

		ok_errno(fetch(efd, &again, more), -EBUSY,
			 "EXEC_FETCH again before completing: EBUSY");
	}

	c = (struct edgeai_exec_complete){ .size = sizeof(c), .task_id = f.task_id + 1 };
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_COMPLETE, &c), -ENOENT,
		 "EXEC_COMPLETE of another task: ENOENT");
	c = (struct edgeai_exec_complete){ .size = sizeof(c), .task_id = f.task_id, .status = 5 };
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_COMPLETE, &c), -EINVAL,
		 "EXEC_COMPLETE positive status: EINVAL");
	c = (struct edgeai_exec_complete){ .size = sizeof(c), .task_id = f.task_id, .status = -5000 };
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_COMPLETE, &c), -EINVAL,
		 "EXEC_COMPLETE status below -MAX_ERRNO: EINVAL");
	c = (struct edgeai_exec_complete){ .size = sizeof(c), .task_id = f.task_id, .flags = 1 };
	ok_errno(xioctl(efd, EDGEAI_IOCTL_EXEC_COMPLETE, &c), -EINVAL, "EXEC_COMPLETE flags: EINVAL");
	c = (struct edgeai_exec_complete){ .size = sizeof(c), .task_id = f.task_id };
	ok_errno(xioctl(sub, EDGEAI_IOCTL_EXEC_COMPLETE, &c), -EINVAL,
		 "EXEC_COMPLETE on a file that is no executor: EINVAL");
	ok_errno(complete(efd, f.task_id, 0), 0, "EXEC_COMPLETE");
	ok_errno(complete(efd, f.task_id, 0), -ENOENT, "EXEC_COMPLETE twice: ENOENT");
	close_fetched(&f, fds);
	ok_errno(wait_job(sub, id, &w, NULL, 0), 0, "the job is collected");
	ok(w.status == EDGEAI_JOB_DONE && w.cookie == 77 && w.energy_uj == 7,
	   "status done, cookie and energy carried");
	data[0] = 0;
	ok(pread(b.fd[1], data, 3, 0) == 3 && !memcmp(data, "xyz", 3),
	   "the submitter reads what the executor wrote");
	close(efd);
	close(sub);
	free_bufs(&b);
}

static void test_wait_cancel(void)
{
	const uint32_t c0 = 0;
	int sub = dev_open(), efd, fds[MAX_BUFFERS];
	struct bufs b = make_bufs();
	uint32_t graph = make_graph(sub, &c0, 1, MS);
	struct edgeai_job_wait w;
	struct edgeai_job_cancel cn = { .size = sizeof(cn) };
	struct edgeai_stage_times times[2];
	struct edgeai_exec_fetch f;
	struct pollfd pfd = { .fd = sub, .events = POLLIN };
	uint64_t id, id2;

	w = wait_cmd(0, EDGEAI_WAIT_NONBLOCK);
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -ECHILD, "JOB_WAIT any, no jobs: ECHILD");
	w = wait_cmd(0, 0x10);
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -EINVAL, "JOB_WAIT unknown flag: EINVAL");
	w = wait_cmd(0, 0);
	w.timeout_ns = 5;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -EINVAL,
		 "JOB_WAIT timeout without its flag: EINVAL");
	w = wait_cmd(0, 0);
	w.exit_index = 1;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -EINVAL, "JOB_WAIT reserved: EINVAL");
	w = wait_cmd(12345, 0);
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -ENOENT, "JOB_WAIT unknown job: ENOENT");
	w = wait_cmd(1ULL << 40, 0);
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -ENOENT, "JOB_WAIT id beyond 32 bits: ENOENT");

	id = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, 1);
	w = wait_cmd(id, EDGEAI_WAIT_NONBLOCK);
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -EAGAIN,
		 "JOB_WAIT on a queued job, non-blocking: EAGAIN");
	w = wait_cmd(id, EDGEAI_WAIT_TIMEOUT);
	w.timeout_ns = edgeai_now_ns() + 50 * MS;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -ETIMEDOUT, "JOB_WAIT times out: ETIMEDOUT");
	w = wait_cmd(id, EDGEAI_WAIT_TIMEOUT);
	w.timeout_ns = 1;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -ETIMEDOUT,
		 "JOB_WAIT with a limit in the past: ETIMEDOUT");
	ok(poll(&pfd, 1, 0) == 0, "poll: not readable while nothing finished");

	cn.flags = 1;
	cn.job_id = id;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_CANCEL, &cn), -EINVAL, "JOB_CANCEL flags: EINVAL");
	cn.flags = 0;
	cn.job_id = 999;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_CANCEL, &cn), -ENOENT, "JOB_CANCEL unknown: ENOENT");
	cn.job_id = id;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_CANCEL, &cn), 0, "JOB_CANCEL of a queued job");
	ok(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN), "poll: readable once it ended");
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_CANCEL, &cn), -EALREADY,
		 "JOB_CANCEL of an ended job: EALREADY");
	w = wait_cmd(id, 0);
	w.stage_times = (uintptr_t)times;
	w.stage_times_cap = 2;
	w.stage_times_size = 8;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -EINVAL,
		 "JOB_WAIT stage_times_size too small: EINVAL");
	w.stage_times_size = 4097;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -EINVAL,
		 "JOB_WAIT stage_times_size above a page: EINVAL");
	w.stage_times = 16;
	w.stage_times_size = sizeof(times[0]);
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -EFAULT,
		 "JOB_WAIT bad stage_times pointer: EFAULT");
	ok_errno(wait_job(sub, id, &w, times, 2), 0, "... and the job is still there to collect");
	ok(w.status == EDGEAI_JOB_CANCELLED && w.nr_stages == 1 && times[0].start_ns == 0,
	   "cancelled while queued: status cancelled, never started");
	ok_errno(wait_job(sub, id, &w, NULL, 0), -ENOENT, "collected once only: ENOENT after");
	ok(poll(&pfd, 1, 0) == 0, "poll: not readable after collecting");

	/* Cancel while running: ends when the executor returns it. */
	efd = exec_open(0);
	id = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, 2);
	fetch(efd, &f, fds);
	cn.job_id = id;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_CANCEL, &cn), 0, "JOB_CANCEL of a running job");
	w = wait_cmd(id, EDGEAI_WAIT_NONBLOCK);
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -EAGAIN,
		 "... it has not ended while its stage runs");
	complete(efd, f.task_id, 0);
	close_fetched(&f, fds);
	ok_errno(wait_job(sub, id, &w, NULL, 0), 0, "... it ends when the stage returns");
	ok(w.status == EDGEAI_JOB_CANCELLED, "... as cancelled");

	/* Failure status, and a wait for any job. */
	id = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, 3);
	ok(run_one(efd, -EIO) >= 0, "executor reports EIO");
	ok_errno(wait_job(sub, 0, &w, NULL, 0), 0, "JOB_WAIT any");
	ok(w.job_id == id && w.status == EDGEAI_JOB_FAILED && w.error == -EIO,
	   "status failed, error EIO");

	/* Deadline missed: outputs valid, status says late. */
	id = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, edgeai_now_ns() + 1000, 4);
	usleep(2000);
	run_one(efd, 0);
	wait_job(sub, id, &w, NULL, 0);
	ok(w.status == EDGEAI_JOB_DEADLINE_MISSED && w.deadline_ns && w.finish_ns > w.deadline_ns,
	   "a late job ends deadline-missed");

	/* Two queued, collected in finishing order by wait-any. */
	id = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, 5);
	id2 = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, 6);
	run_one(efd, 0);
	run_one(efd, 0);
	wait_job(sub, 0, &w, NULL, 0);
	ok(w.job_id == id, "wait-any returns the first finished first");
	wait_job(sub, 0, &w, NULL, 0);
	ok(w.job_id == id2, "... then the second");
	w = wait_cmd(0, EDGEAI_WAIT_NONBLOCK);
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -ECHILD, "... then none is left: ECHILD");
	close(efd);
	close(sub);
	free_bufs(&b);
}

struct foreign {
	uint32_t graph;
	uint64_t job;
	const int *buf_fds;
};

/* In another process, on its own file: @arg's job and graph are not found. */
static void foreign_tries(void *arg, void *out)
{
	const struct foreign *f = arg;
	int mine = dev_open();
	struct edgeai_job_wait w = wait_cmd(f->job, EDGEAI_WAIT_NONBLOCK);
	struct edgeai_job_cancel cn = { .size = sizeof(cn), .job_id = f->job };
	struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = f->graph };
	struct edgeai_job_submit s = submit_cmd(f->graph, f->buf_fds, EDGEAI_PRIO_NORMAL, 0);
	char *res = out;

	res[0] = xioctl(mine, EDGEAI_IOCTL_JOB_WAIT, &w) == -ENOENT;
	res[1] = xioctl(mine, EDGEAI_IOCTL_JOB_CANCEL, &cn) == -ENOENT;
	res[2] = xioctl(mine, EDGEAI_IOCTL_GRAPH_DESTROY, &d) == -ENOENT;
	res[3] = xioctl(mine, EDGEAI_IOCTL_JOB_SUBMIT, &s) == -ENOENT;
}

/* Another process cannot wait on, cancel or destroy this one's objects. */
static void test_isolation(void)
{
	const uint32_t c0 = 0;
	int sub = dev_open();
	struct bufs b = make_bufs();
	uint32_t graph = make_graph(sub, &c0, 1, MS);
	struct foreign f = { .graph = graph, .buf_fds = b.fd,
		.job = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, 9) };
	char res[4] = "";

	child_report(foreign_tries, &f, res, sizeof(res));
	ok(res[0], "another process cannot wait on this one's job: ENOENT");
	ok(res[1], "another process cannot cancel this one's job: ENOENT");
	ok(res[2], "another process cannot destroy this one's graph: ENOENT");
	ok(res[3], "another process cannot submit on this one's graph: ENOENT");
	{
		struct edgeai_job_cancel cn = { .size = sizeof(cn), .job_id = f.job };

		ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_CANCEL, &cn), 0, "... while the owner still can");
	}
	close(sub);
	free_bufs(&b);
}

/* ---------------------------------------------------------------- semantics */

/* Fetch and complete one stage; the job's label is the byte in buffer 0. */
static int run_labelled(int efd)
{
	struct edgeai_exec_fetch f;
	int fds[MAX_BUFFERS];
	char label = -1;

	if (fetch(efd, &f, fds))
		return -1;
	if (pread(fds[0], &label, 1, 0) != 1)
		label = -1;
	close_fetched(&f, fds);
	complete(efd, f.task_id, 0);
	return label;
}

static void test_order(void)
{
	const uint32_t c1 = 1;
	int sub = dev_open(), efd;
	uint32_t graph = make_graph(sub, &c1, 1, MS);
	uint64_t base = edgeai_now_ns() + 3600000 * MS;
	static const struct {
		uint32_t prio;
		uint64_t deadline;	/* relative to base, 0 for none */
	} jobs[] = {
		{ EDGEAI_PRIO_BACKGROUND, 1 },
		{ EDGEAI_PRIO_NORMAL, 30 },
		{ EDGEAI_PRIO_NORMAL, 10 },
		{ EDGEAI_PRIO_REALTIME, 50 },
		{ EDGEAI_PRIO_NORMAL, 0 },
		{ EDGEAI_PRIO_HIGH, 40 },
		{ EDGEAI_PRIO_NORMAL, 10 },
		{ EDGEAI_PRIO_NORMAL, 20 },
	};
	/*
	 * Class first; earliest deadline inside a class, a deadline before
	 * none; arrival order between the two equal deadlines (2 then 6).
	 */
	static const int want[] = { 3, 5, 2, 6, 7, 1, 4, 0 };
	enum { N = sizeof(jobs) / sizeof(jobs[0]) };
	struct bufs b[N];
	char got[32] = "", exp[32] = "";
	int i, all = 1;

	for (i = 0; i < N; i++) {
		char label = (char)i;

		b[i] = make_bufs();
		if (pwrite(b[i].fd[0], &label, 1, 0) != 1)
			diag("label write failed");
		submit(sub, graph, &b[i], jobs[i].prio,
		       jobs[i].deadline ? base + jobs[i].deadline : 0, i);
	}
	efd = exec_open(1);
	fcntl(efd, F_SETFL, O_NONBLOCK);
	for (i = 0; i < N; i++) {
		int label = run_labelled(efd);

		got[i] = (char)('0' + label);
		exp[i] = (char)('0' + want[i]);
		all &= label == want[i];
	}
	ok(all, "fetch order: class first, EDF inside, FIFO on ties (got %s, want %s)", got, exp);
	ok_errno(run_one(efd, 0), -EAGAIN, "queue empty afterwards");
	close(efd);
	close(sub);
	for (i = 0; i < N; i++)
		free_bufs(&b[i]);
}

struct worker {
	int efd;
	int nr;
	uint64_t hold_us;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct edgeai_exec_fetch f;
	int fds[MAX_BUFFERS], i;

	for (i = 0; i < w->nr; i++) {
		if (fetch(w->efd, &f, fds))
			break;
		usleep(w->hold_us);
		close_fetched(&f, fds);
		complete(w->efd, f.task_id, 0);
	}
	return NULL;
}

/* Consecutive frames pipeline: two clusters busy at once. */
static void test_pipeline(void)
{
	const uint32_t cl[2] = { 0, 1 };
	int sub = dev_open();
	struct bufs b = make_bufs();
	uint32_t graph = make_graph(sub, cl, 2, 50 * MS);
	struct worker w0 = { .efd = exec_open(0), .nr = 3, .hold_us = 100000 };
	struct worker w1 = { .efd = exec_open(1), .nr = 3, .hold_us = 100000 };
	struct edgeai_stage_times t[3][2];
	struct edgeai_job_wait w;
	pthread_t th0, th1;
	uint64_t ids[3];
	int i, done = 0;

	pthread_create(&th0, NULL, worker_run, &w0);
	pthread_create(&th1, NULL, worker_run, &w1);
	for (i = 0; i < 3; i++)
		ids[i] = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, i);
	for (i = 0; i < 3; i++)
		done += wait_job(sub, ids[i], &w, t[i], 2) == 0 && w.status == EDGEAI_JOB_DONE;
	pthread_join(th0, NULL);
	pthread_join(th1, NULL);
	ok(done == 3, "three two-stage frames done");
	ok(t[1][0].start_ns < t[0][1].end_ns && t[1][0].end_ns > t[0][1].start_ns,
	   "frame 2's stage 1 ran while frame 1's stage 2 ran: both clusters busy");
	ok(t[0][0].cluster_id == 0 && t[0][1].cluster_id == 1 && t[0][1].start_ns >= t[0][0].end_ns,
	   "stages ran on their clusters, in order");
	ok(t[0][1].queued_ns >= t[0][0].end_ns && t[0][0].attempts == 1,
	   "stage 2 was queued when stage 1 ended; one attempt each");
	close(w0.efd);
	close(w1.efd);
	close(sub);
	free_bufs(&b);
}

/* Closing the submitter cancels its jobs; none reaches an executor. */
static void test_submitter_close(void)
{
	const uint32_t c0 = 0;
	int sub = dev_open(), efd;
	struct bufs b = make_bufs();
	uint32_t graph = make_graph(sub, &c0, 1, MS);
	long cancelled = stat_of("cancelled");
	int i;

	for (i = 0; i < 5; i++)
		submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, i);
	close(sub);
	ok(stat_of("cancelled") == cancelled + 5, "closing the submitter cancelled its 5 jobs");
	efd = exec_open(0);
	fcntl(efd, F_SETFL, O_NONBLOCK);
	ok_errno(run_one(efd, 0), -EAGAIN, "no stage of theirs is left to fetch");
	close(efd);
	free_bufs(&b);
}

/* Close the submitter while an executor runs its stage. */
static void test_submitter_close_running(void)
{
	const uint32_t c0 = 0;
	int sub = dev_open(), efd = exec_open(0), fds[MAX_BUFFERS];
	struct bufs b = make_bufs();
	uint32_t graph = make_graph(sub, &c0, 1, MS);
	struct edgeai_exec_fetch f;
	long cancelled = stat_of("cancelled");

	submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, 1);
	fetch(efd, &f, fds);
	close(sub);
	ok(stat_of("live_jobs") == 1, "the running job outlives its closed submitter");
	ok_errno(complete(efd, f.task_id, 0), 0, "its executor completes it");
	close_fetched(&f, fds);
	ok(stat_of("live_jobs") == 0 && stat_of("cancelled") == cancelled + 1,
	   "then it is gone, counted cancelled");
	close(efd);
	free_bufs(&b);
}

/* An executor killed mid-stage: the stage is requeued and runs once more. */
static pid_t spawn_stuck_executor(uint32_t cluster, int notify)
{
	pid_t pid = fork();

	if (pid == 0) {
		int efd = exec_open(cluster), fds[MAX_BUFFERS];
		struct edgeai_exec_fetch f;

		if (fetch(efd, &f, fds) == 0 && write(notify, "x", 1) == 1)
			pause();
		_exit(1);
	}
	return pid;
}

static void test_executor_loss(void)
{
	const uint32_t c2 = 2;
	int sub = dev_open(), pfd[2], status, i;
	struct bufs b = make_bufs();
	uint32_t graph = make_graph(sub, &c2, 1, MS);
	struct edgeai_stage_times t[1];
	struct edgeai_job_wait w;
	uint64_t id;
	long completed = stat_of("completed");
	pid_t pid;
	char c;
	int efd;

	if (pipe(pfd))
		return;
	id = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, 1);
	pid = spawn_stuck_executor(2, pfd[1]);
	ok(read(pfd[0], &c, 1) == 1, "executor child fetched the stage");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status), "executor SIGKILLed mid-stage");
	efd = exec_open(2);
	fcntl(efd, F_SETFL, O_NONBLOCK);
	ok(run_one(efd, 0) >= 0, "the stage was requeued; another executor runs it");
	ok_errno(run_one(efd, 0), -EAGAIN, "and it is not queued a second time");
	ok_errno(wait_job(sub, id, &w, t, 1), 0, "the job completes");
	ok(w.status == EDGEAI_JOB_DONE && w.retries == 1 && t[0].attempts == 2,
	   "done once, after 1 retry and 2 attempts");
	ok(stat_of("completed") == completed + 1, "completed counter moved by exactly one");
	w = wait_cmd(0, EDGEAI_WAIT_NONBLOCK);
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_WAIT, &w), -ECHILD, "no second result");
	close(efd);

	/* Lose it max_retries + 1 times: the job fails executor-lost. */
	id = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, 2);
	for (i = 0; i <= MAX_RETRIES; i++) {
		pid = spawn_stuck_executor(2, pfd[1]);
		if (read(pfd[0], &c, 1) != 1)
			break;
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	ok_errno(wait_job(sub, id, &w, NULL, 0), 0, "the job ends after %d losses", MAX_RETRIES + 1);
	ok(w.status == EDGEAI_JOB_EXEC_LOST && w.retries == MAX_RETRIES,
	   "status executor-lost after %u retries", w.retries);
	close(pfd[0]);
	close(pfd[1]);
	close(sub);
	free_bufs(&b);
}

/* Destroying a graph leaves its submitted jobs to run. */
static void test_graph_destroy_queued(void)
{
	const uint32_t c0 = 0;
	int sub = dev_open(), efd = exec_open(0);
	struct bufs b = make_bufs();
	uint32_t graph = make_graph(sub, &c0, 1, MS);
	struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = graph };
	struct edgeai_job_wait w;
	uint64_t id = submit(sub, graph, &b, EDGEAI_PRIO_NORMAL, 0, 1);

	ok_errno(xioctl(sub, EDGEAI_IOCTL_GRAPH_DESTROY, &d), 0, "destroy a graph with a job queued");
	ok(stat_of("live_graphs") == 1, "the graph lives on for its job");
	fcntl(efd, F_SETFL, O_NONBLOCK);
	ok(run_one(efd, 0) >= 0, "the job's stage still runs");
	ok(wait_job(sub, id, &w, NULL, 0) == 0 && w.status == EDGEAI_JOB_DONE, "and the job is done");
	ok(stat_of("live_graphs") == 0, "then the graph is freed");
	close(efd);
	close(sub);
	free_bufs(&b);
}

/* Executor poll() and strict admission with an executor attached. */
static void test_exec_poll_admission(void)
{
	const uint32_t c1 = 1;
	int sub = dev_open(), efd = exec_open(1);
	struct bufs b = make_bufs();
	uint32_t graph = make_graph(sub, &c1, 1, 200 * MS);
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	struct edgeai_job_submit s;
	uint64_t now;
	int i;

	ok(poll(&pfd, 1, 0) == 0, "executor poll: nothing queued, not readable");
	now = edgeai_now_ns();
	s = submit_cmd(graph, b.fd, EDGEAI_PRIO_NORMAL, now + 1000 * MS);
	s.flags = EDGEAI_SUBMIT_STRICT;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_SUBMIT, &s), 0, "strict: 200 ms job, 1 s deadline admitted");
	ok(s.est_finish_ns >= now + 200 * MS && s.est_finish_ns < now + 1000 * MS,
	   "estimate reported (%.1f ms ahead)", (double)(s.est_finish_ns - now) / MS);
	ok(poll(&pfd, 1, 0) == 1, "executor poll: readable with a stage queued");
	/*
	 * 1 s queued ahead (five jobs with earlier deadlines): a 1.1 s
	 * deadline cannot be met (1.2 s), but a realtime job does not wait
	 * for normal work (200 ms, with a margin for a slow VM).  Only the
	 * work that runs before the job counts: a job with an earlier
	 * deadline than the queued ones would be admitted.
	 */
	for (i = 0; i < 4; i++) {
		s = submit_cmd(graph, b.fd, EDGEAI_PRIO_NORMAL, now + 1000 * MS);
		xioctl(sub, EDGEAI_IOCTL_JOB_SUBMIT, &s);
	}
	now = edgeai_now_ns();
	s = submit_cmd(graph, b.fd, EDGEAI_PRIO_NORMAL, now + 1100 * MS);
	s.flags = EDGEAI_SUBMIT_STRICT;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_SUBMIT, &s), -ETIME,
		 "strict: queued work ahead makes a 1.1 s deadline unreachable: ETIME");
	s = submit_cmd(graph, b.fd, EDGEAI_PRIO_REALTIME, now + 300 * MS);
	s.flags = EDGEAI_SUBMIT_STRICT;
	ok_errno(xioctl(sub, EDGEAI_IOCTL_JOB_SUBMIT, &s), 0,
		 "strict: the same deadline at realtime priority is admitted");
	close(efd);
	close(sub);
	free_bufs(&b);
}

static void test_no_leak(void)
{
	ok(stat_of("live_jobs") == 0, "no job object left (%lld)", stat_of("live_jobs"));
	ok(stat_of("live_graphs") == 0, "no graph object left (%lld)", stat_of("live_graphs"));
	ok(stat_of("live_ctx") == 0, "no file context left (%lld)", stat_of("live_ctx"));
	ok(stat_of("submitted") > 0 && stat_of("completed") > 0,
	   "counters saw the work (submitted %lld, completed %lld)",
	   stat_of("submitted"), stat_of("completed"));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_dispatch();
	test_info();
	test_cluster_info();
	test_graph_errors();
	test_submit_errors();
	test_permissions();
	test_roles();
	test_exec_errors();
	test_wait_cancel();
	test_isolation();
	test_order();
	test_pipeline();
	test_submitter_close();
	test_submitter_close_running();
	test_executor_loss();
	test_graph_destroy_queued();
	test_exec_poll_admission();
	test_no_leak();
	return tap_done();
}
