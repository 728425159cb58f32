// SPDX-License-Identifier: GPL-2.0-only
/*
 * libedgeai's netlink listener against the real module, in the VM:
 * governor and frequency events, a workload's executor and job events
 * with every field checked against what JOB_WAIT and the executors saw,
 * counts against sysfs, refused jobs, overload, the dumps against sysfs,
 * what an unprivileged listener may see, and a listener that outlives
 * rmmod/insmod.
 *
 * Loaded with tests/vm/events_test.modparams: three virtual clusters
 * (little 400-1400 MHz, big 600-1800 MHz, gpu 200-800 MHz).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "../lib/child.h"
#include "../lib/sysfs.h"
#include "../lib/tap.h"

#define MS		1000000ULL
#define SYS		"/sys/class/misc/edgeai/"
#define NR_JOBS		8
#define NR_LATE		2
#define EXEC_NS		(2 * MS)

static const char *const names[] = { "little", "big", "gpu" };
static const uint32_t fmin[] = { 400000, 600000, 200000 };
static const uint32_t fmax[] = { 1400000, 1800000, 800000 };

/* ---------------------------------------------------------------- sysfs */

/* read_str() of a file below SYS. */
static int sys_str(const char *rel, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), SYS "%s", rel);
	return read_str(path, buf, len);
}

static uint64_t read_u64(const char *fmt, const char *a)
{
	char rel[128], buf[64];

	snprintf(rel, sizeof(rel), fmt, a);
	if (sys_str(rel, buf, sizeof(buf)))
		return UINT64_MAX;
	return strtoull(buf, NULL, 10);
}

static uint64_t stat_of(const char *name)
{
	return read_u64("stats/%s", name);
}

static uint64_t cl_of(int c, const char *file)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "clusters/%s/%%s", names[c]);
	return read_u64(rel, file);
}

static int write_sys(const char *rel, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), SYS "%s", rel);
	return write_str(path, val);
}

/* ---------------------------------------------------------------- events */

#define LOG_MAX 512
static struct edgeai_event evlog[LOG_MAX];
static unsigned int nlog;
static struct edgeai_listener *lis;

/* Reads events for up to @ms, or until @type has come @want times since
 * @mark; returns how many of @type there are since @mark. */
static unsigned int pump(unsigned int mark, uint32_t type, unsigned int want,
			 unsigned int ms)
{
	uint64_t end = edgeai_now_ns() + ms * MS;
	unsigned int i, n;

	for (;;) {
		struct pollfd p = { edgeai_listener_fd(lis), POLLIN, 0 };
		int ret;

		while (nlog < LOG_MAX && (ret = edgeai_listener_next(lis, &evlog[nlog])) != 0) {
			if (ret > 0)
				nlog++;
			else if (ret != -EBADMSG)
				break;
			else
				diag("a malformed message was skipped");
		}
		for (i = mark, n = 0; i < nlog; i++)
			n += evlog[i].type == type;
		if ((want && n >= want) || edgeai_now_ns() >= end)
			return n;
		poll(&p, 1, 20);
	}
}

static const struct edgeai_event *find(unsigned int mark, uint32_t type,
				       unsigned int nth)
{
	unsigned int i;

	for (i = mark; i < nlog; i++)
		if (evlog[i].type == type && !nth--)
			return &evlog[i];
	return NULL;
}

static unsigned int count_since(unsigned int mark, uint32_t type)
{
	unsigned int i, n = 0;

	for (i = mark; i < nlog; i++)
		n += evlog[i].type == type;
	return n;
}

#define HAS(ev, a) edgeai_event_has(ev, EDGEAI_NL_A_##a)

/* ---------------------------------------------------------------- governors */

static void test_governor_events(struct edgeai *h)
{
	const struct edgeai_event *g, *f;
	char gov[32], cur[32];
	unsigned int mark;
	uint64_t t0;

	sys_str("clusters/little/governor", gov, sizeof(gov));
	ok(!strcmp(gov, "performance"), "little starts with performance (%s)", gov);

	mark = nlog;
	t0 = edgeai_now_ns();
	ok_errno(edgeai_governor_set(h, 0, "powersave", 0), 0, "little: powersave");
	pump(mark, EDGEAI_NL_CMD_FREQ_CHANGE, 1, 3000);
	g = find(mark, EDGEAI_NL_CMD_GOVERNOR_CHANGE, 0);
	ok(g != NULL, "governor-change event");
	if (g) {
		ok(HAS(g, CLUSTER_ID) && g->cluster_id == 0, "  for cluster 0");
		ok(!strcmp(g->governor, "powersave") && !strcmp(g->governor_old, "performance"),
		   "  performance -> powersave (%s -> %s)", g->governor_old, g->governor);
		ok(HAS(g, TIME_NS) && g->time_ns >= t0 && g->time_ns <= edgeai_now_ns(),
		   "  with the time it happened");
	}
	f = find(mark, EDGEAI_NL_CMD_FREQ_CHANGE, 0);
	ok(f != NULL, "freq-change event");
	if (f) {
		ok(f->cluster_id == 0 && f->freq_old_khz == fmax[0] && f->freq_khz == fmin[0],
		   "  cluster 0 from its top to its bottom step (%u -> %u)",
		   f->freq_old_khz, f->freq_khz);
		ok(HAS(f, FREQ_REASON) && f->freq_reason == EDGEAI_FREQ_REASON_GOVERNOR_SWITCH,
		   "  reason governor-switch (%u)", f->freq_reason);
		sys_str("clusters/little/cur_freq", cur, sizeof(cur));
		ok(strtoul(cur, NULL, 10) == f->freq_khz, "  sysfs cur_freq agrees (%s)", cur);
	}

	mark = nlog;
	ok_errno(edgeai_governor_set(h, 0, "userspace", 800000), 0, "little: userspace at 800 MHz");
	pump(mark, EDGEAI_NL_CMD_FREQ_CHANGE, 1, 3000);
	g = find(mark, EDGEAI_NL_CMD_GOVERNOR_CHANGE, 0);
	ok(g && !strcmp(g->governor, "userspace") && !strcmp(g->governor_old, "powersave"),
	   "governor-change powersave -> userspace");
	f = find(mark, EDGEAI_NL_CMD_FREQ_CHANGE, 0);
	ok(f && f->freq_old_khz == fmin[0] && f->freq_khz == 800000,
	   "freq-change 400 -> 800 MHz");

	mark = nlog;
	ok_errno(write_sys("clusters/little/setspeed", "1400000"), 0, "setspeed 1400000 through sysfs");
	pump(mark, EDGEAI_NL_CMD_FREQ_CHANGE, 1, 3000);
	f = find(mark, EDGEAI_NL_CMD_FREQ_CHANGE, 0);
	ok(f && f->freq_old_khz == 800000 && f->freq_khz == 1400000 &&
	   f->freq_reason == EDGEAI_FREQ_REASON_USER,
	   "freq-change 800 -> 1400 MHz, reason user");
	ok(count_since(mark, EDGEAI_NL_CMD_GOVERNOR_CHANGE) == 0,
	   "no governor-change for a setspeed");

	mark = nlog;
	ok_errno(edgeai_governor_set(h, 0, "performance", 0), 0, "little: performance again");
	pump(mark, EDGEAI_NL_CMD_GOVERNOR_CHANGE, 1, 3000);
	pump(mark, 0, 0, 200);
	ok(count_since(mark, EDGEAI_NL_CMD_GOVERNOR_CHANGE) == 1,
	   "one governor-change back to performance");
	ok(count_since(mark, EDGEAI_NL_CMD_FREQ_CHANGE) == 0,
	   "no freq-change when the frequency stays (already at the top)");

	mark = nlog;
	ok_errno(edgeai_governor_set(h, 0, "performance", 0), 0, "performance once more");
	pump(mark, 0, 0, 300);
	ok(count_since(mark, EDGEAI_NL_CMD_GOVERNOR_CHANGE) == 0,
	   "no governor-change when the governor stays");
	ok_errno(edgeai_governor_set(h, 0, "bogus", 0), -EINVAL, "unknown governor refused");
}

/* ---------------------------------------------------------------- workload */

struct executor {
	int cluster;
	pthread_t thread;
	volatile bool stop;
	unsigned int stages;
	uint64_t energy;
};

static void *executor_main(void *arg)
{
	struct executor *x = arg;
	struct edgeai *h;
	struct edgeai_task task;

	if (edgeai_open(&h) || edgeai_exec_attach(h, (uint32_t)x->cluster)) {
		diag("executor %d: cannot attach", x->cluster);
		return NULL;
	}
	edgeai_set_nonblocking(h, 1);
	while (!x->stop) {
		struct pollfd p = { edgeai_fd(h), POLLIN, 0 };
		uint64_t energy = 100 + (uint64_t)x->cluster;

		if (edgeai_exec_fetch(h, &task)) {
			poll(&p, 1, 20);
			continue;
		}
		usleep(EXEC_NS / 1000);
		edgeai_exec_complete(h, &task, 0, EXEC_NS, energy);
		edgeai_task_close(&task);
		x->stages++;
		x->energy += energy;
	}
	edgeai_close(h);
	return NULL;
}

static uint32_t make_graph(struct edgeai *h, const char *name, const uint32_t *cl,
			   uint32_t n, uint64_t cost)
{
	struct edgeai_stage st[4];
	struct edgeai_graph_spec spec = {
		.name = name, .model_fd = -1, .nr_stages = n, .stages = st,
		.nr_buffers = 2,
	};
	uint32_t i, id = 0;

	for (i = 0; i < n; i++)
		st[i] = (struct edgeai_stage){ .cluster_id = cl[i], .nr_layers = 1,
					       .cost_ns = cost, .in_mask = 1,
					       .out_mask = 2 };
	if (edgeai_graph_create(h, &spec, &id)) {
		diag("graph_create failed");
		exit(2);
	}
	return id;
}

static void test_workload(struct edgeai *h, const int *bufs)
{
	static const uint32_t cl[] = { 0, 1 };
	struct executor x[2] = { { .cluster = 0 }, { .cluster = 1 } };
	uint64_t job[NR_JOBS], sub0 = stat_of("submitted"), comp0 = stat_of("completed");
	uint64_t miss0 = stat_of("deadline_misses");
	uint64_t done0[2], busy0[2], energy0[2];
	static struct edgeai_result res[NR_JOBS];
	unsigned int mark = nlog, jobs_mark, i, j, late = 0, bad = 0;
	uint32_t graph;

	for (i = 0; i < 2; i++) {
		done0[i] = cl_of((int)i, "stages_done");
		busy0[i] = cl_of((int)i, "busy_ns");
		energy0[i] = cl_of((int)i, "energy_uj");
	}
	graph = make_graph(h, "evtest", cl, 2, 1 * MS);
	for (i = 0; i < 2; i++)
		pthread_create(&x[i].thread, NULL, executor_main, &x[i]);
	ok(pump(mark, EDGEAI_NL_CMD_EXEC_ATTACH, 2, 5000) == 2, "two exec-attach events");
	for (i = 0; i < 2; i++) {
		const struct edgeai_event *e = find(mark, EDGEAI_NL_CMD_EXEC_ATTACH, i);

		ok(e && HAS(e, CLUSTER_ID) && e->cluster_id < 2 && HAS(e, PID) &&
		   e->pid == (uint32_t)getpid() && HAS(e, NR_EXECUTORS) && e->nr_executors == 1,
		   "exec-attach %u: cluster %u, pid %u, executors %u", i,
		   e ? e->cluster_id : 0, e ? e->pid : 0, e ? e->nr_executors : 0);
	}

	mark = jobs_mark = nlog;
	for (i = 0; i < NR_JOBS; i++) {
		struct edgeai_job_spec s = {
			.graph_id = graph, .priority = EDGEAI_PRIO_NORMAL,
			.cookie = i, .nr_buffers = 2, .buf_fds = bufs,
			/* The last ones cannot make it: their deadline is now. */
			.deadline_ns = i < NR_JOBS - NR_LATE ? edgeai_now_ns() + 30000 * MS :
				edgeai_now_ns() + 1,
		};

		if (edgeai_submit(h, &s, &job[i]))
			bad++;
		if (edgeai_wait(h, job[i], EDGEAI_WAIT_TIMEOUT, edgeai_now_ns() + 20000 * MS,
				&res[i]))
			bad++;
	}
	ok(!bad, "%d jobs submitted and collected", NR_JOBS);
	ok(pump(mark, EDGEAI_NL_CMD_JOB_DONE, NR_JOBS, 5000) == NR_JOBS,
	   "%d job-done events (got %u)", NR_JOBS, count_since(mark, EDGEAI_NL_CMD_JOB_DONE));
	for (i = 0; i < NR_JOBS; i++) {
		const struct edgeai_job_wait *w = &res[i].wait;
		const struct edgeai_event *e = NULL;
		uint64_t energy = 0, lat = w->finish_ns - w->submit_ns;
		bool stages_ok;

		for (j = 0; find(mark, EDGEAI_NL_CMD_JOB_DONE, j); j++)
			if (find(mark, EDGEAI_NL_CMD_JOB_DONE, j)->job_id == job[i])
				e = find(mark, EDGEAI_NL_CMD_JOB_DONE, j);
		if (!ok(e != NULL, "job %llu: its job-done event", (unsigned long long)job[i]))
			continue;
		late += w->status == EDGEAI_JOB_DEADLINE_MISSED;
		ok(HAS(e, PID) && e->pid == (uint32_t)getpid() && HAS(e, UID) &&
		   e->uid == getuid(), "  pid %u, uid %u", e->pid, e->uid);
		ok(HAS(e, GRAPH_ID) && e->graph_id == graph && !strcmp(e->graph_name, "evtest"),
		   "  graph %u \"%s\"", e->graph_id, e->graph_name);
		ok(HAS(e, PRIO) && e->prio == EDGEAI_PRIO_NORMAL, "  priority normal");
		ok(HAS(e, STATUS) && e->status == w->status, "  status %s as JOB_WAIT says (%s)",
		   edgeai_status_name(e->status), edgeai_status_name(w->status));
		ok(HAS(e, LATENCY_NS) && e->latency_ns + MS >= lat && e->latency_ns <= lat + MS,
		   "  latency %llu ns, JOB_WAIT's finish - submit %llu",
		   (unsigned long long)e->latency_ns, (unsigned long long)lat);
		ok(HAS(e, DEADLINE_NS) && e->deadline_ns == w->deadline_ns, "  deadline");
		ok(HAS(e, DEADLINE_MET) == (w->status == EDGEAI_JOB_DONE),
		   "  deadline_met %s", HAS(e, DEADLINE_MET) ? "set" : "absent");
		for (j = 0; j < w->nr_stages && j < EDGEAI_RESULT_STAGES; j++)
			energy += res[i].stages[j].energy_uj;
		ok(HAS(e, ENERGY_UJ) && e->energy_uj == energy && energy == w->energy_uj,
		   "  energy %llu uJ, the executors' sum %llu",
		   (unsigned long long)e->energy_uj, (unsigned long long)energy);
		stages_ok = HAS(e, STAGES) && e->nr_stages == 2;
		for (j = 0; stages_ok && j < 2; j++) {
			const struct edgeai_stage_times *t = &res[i].stages[j];

			stages_ok = e->stages[j].cluster_id == cl[j] &&
				e->stages[j].start_ns == t->start_ns &&
				e->stages[j].end_ns == t->end_ns &&
				e->stages[j].freq_khz == t->freq_khz &&
				t->start_ns && t->end_ns >= t->start_ns;
		}
		ok(stages_ok, "  two stages, clusters and times as JOB_WAIT's stage_times");
	}
	ok(late == NR_LATE, "%d jobs were late (%u)", NR_LATE, late);

	mark = nlog;
	for (i = 0; i < 2; i++) {
		x[i].stop = true;
		pthread_join(x[i].thread, NULL);
	}
	ok(pump(mark, EDGEAI_NL_CMD_EXEC_DETACH, 2, 5000) == 2, "two exec-detach events");
	for (i = 0; i < 2; i++) {
		const struct edgeai_event *e = find(mark, EDGEAI_NL_CMD_EXEC_DETACH, i);

		ok(e && HAS(e, CLUSTER_ID) && !HAS(e, EXEC_LOST) &&
		   HAS(e, NR_EXECUTORS) && e->nr_executors == 0,
		   "exec-detach %u: idle executor, none left", i);
	}
	edgeai_graph_destroy(h, graph);

	/* Counts against sysfs. */
	ok(stat_of("submitted") - sub0 == NR_JOBS, "sysfs submitted grew by %d", NR_JOBS);
	ok(stat_of("completed") - comp0 == count_since(jobs_mark, EDGEAI_NL_CMD_JOB_DONE),
	   "sysfs completed grew by the job-done events (%u)",
	   count_since(jobs_mark, EDGEAI_NL_CMD_JOB_DONE));
	ok(stat_of("deadline_misses") - miss0 == late,
	   "sysfs deadline_misses grew by the late job-done events (%u)", late);
	for (i = 0; i < 2; i++) {
		uint64_t d = cl_of((int)i, "stages_done") - done0[i];
		uint64_t b = cl_of((int)i, "busy_ns") - busy0[i];
		uint64_t en = cl_of((int)i, "energy_uj") - energy0[i];

		ok(d == NR_JOBS && d == x[i].stages,
		   "%s: stages_done grew by %llu, the executor ran %u", names[i],
		   (unsigned long long)d, x[i].stages);
		ok(b >= NR_JOBS * EXEC_NS, "%s: busy_ns grew by %llu, at least the stages' time",
		   names[i], (unsigned long long)b);
		ok(en == x[i].energy, "%s: energy_uj grew by %llu, as reported (%llu)", names[i],
		   (unsigned long long)en, (unsigned long long)x[i].energy);
	}
}

static void test_rejected(struct edgeai *h, const int *bufs)
{
	static const uint32_t cl[] = { 2 };
	uint64_t rej0 = stat_of("rejected"), deadline = edgeai_now_ns() + 5 * MS;
	const struct edgeai_event *e;
	struct edgeai_job_spec s = {
		.priority = EDGEAI_PRIO_BACKGROUND, .nr_buffers = 2, .buf_fds = bufs,
		.flags = EDGEAI_SUBMIT_STRICT, .deadline_ns = deadline,
	};
	unsigned int mark = nlog;
	uint64_t id;

	s.graph_id = make_graph(h, "strict", cl, 1, 100 * MS);
	ok_errno(edgeai_submit(h, &s, &id), -ETIME, "strict job without an executor refused");
	pump(mark, EDGEAI_NL_CMD_JOB_REJECTED, 1, 3000);
	e = find(mark, EDGEAI_NL_CMD_JOB_REJECTED, 0);
	ok(e != NULL, "job-rejected event");
	if (e)
		ok(HAS(e, PID) && e->pid == (uint32_t)getpid() && !strcmp(e->graph_name, "strict") &&
		   HAS(e, PRIO) && e->prio == EDGEAI_PRIO_BACKGROUND && HAS(e, DEADLINE_NS) &&
		   e->deadline_ns == deadline,
		   "  pid, graph, priority and deadline of the refused job");
	ok(stat_of("rejected") - rej0 == 1, "sysfs rejected grew by 1");
	edgeai_graph_destroy(h, s.graph_id);
}

static void test_overload(struct edgeai *h, const int *bufs)
{
	static const uint32_t cl[] = { 2 };
	const struct edgeai_event *e;
	unsigned int mark = nlog, i;
	uint64_t id[3];
	uint32_t graph;

	ok_errno(edgeai_governor_set(h, 2, "deadline", 0), 0, "gpu: deadline governor");
	graph = make_graph(h, "heavy", cl, 1, 200 * MS);
	mark = nlog;
	for (i = 0; i < 3; i++) {
		struct edgeai_job_spec s = {
			.graph_id = graph, .priority = EDGEAI_PRIO_NORMAL, .nr_buffers = 2,
			.buf_fds = bufs, .deadline_ns = edgeai_now_ns() + 50 * MS,
		};

		edgeai_submit(h, &s, &id[i]);
	}
	pump(mark, EDGEAI_NL_CMD_OVERLOAD, 1, 3000);
	e = find(mark, EDGEAI_NL_CMD_OVERLOAD, 0);
	ok(e != NULL, "overload event when queued work cannot meet its deadlines");
	if (e)
		ok(HAS(e, CLUSTER_ID) && e->cluster_id == 2 && HAS(e, NR_QUEUED) &&
		   e->nr_queued >= 1, "  on gpu, with its queued work (%u)", e->nr_queued);
	pump(mark, 0, 0, 500);
	ok(count_since(mark, EDGEAI_NL_CMD_OVERLOAD) <= 1,
	   "at most one overload event a second");
	for (i = 0; i < 3; i++) {
		struct edgeai_result r;

		edgeai_cancel(h, id[i]);
		edgeai_wait(h, id[i], 0, 0, &r);
	}
	edgeai_graph_destroy(h, graph);
	edgeai_governor_set(h, 2, "performance", 0);
}

/* ---------------------------------------------------------------- dumps */

struct dump {
	unsigned int n;
	struct edgeai_event ev[8];
};

static int keep(const struct edgeai_event *ev, void *arg)
{
	struct dump *d = arg;

	if (d->n < 8)
		d->ev[d->n] = *ev;
	d->n++;
	return 0;
}

static void check_cluster(const struct edgeai_event *e)
{
	char buf[256], gov[32], rel[96];
	int c = (int)e->cluster_id;
	unsigned int i;
	size_t len = 0;

	if (!ok(c < 3 && !strcmp(e->cluster_name, names[c]), "cluster %d is %s (%s)", c,
		c < 3 ? names[c] : "?", e->cluster_name))
		return;
	ok(HAS(e, CLUSTER_KIND) && e->kind == (c == 2 ? EDGEAI_CLUSTER_GPU : EDGEAI_CLUSTER_CPU),
	   "  kind");
	ok(HAS(e, CLUSTER_CONTROL) && e->control == EDGEAI_CONTROL_VIRTUAL, "  control virtual");
	ok(HAS(e, FREQ_KHZ) && e->freq_khz == cl_of(c, "cur_freq"), "  frequency as cur_freq");
	snprintf(rel, sizeof(rel), "clusters/%s/governor", names[c]);
	sys_str(rel, gov, sizeof(gov));
	ok(!strcmp(e->governor, gov), "  governor as sysfs (%s)", gov);
	for (i = 0; i < e->nr_freqs; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%u", i ? " " : "",
				e->freqs_khz[i]);
	snprintf(rel, sizeof(rel), "clusters/%s/available_frequencies", names[c]);
	sys_str(rel, gov, sizeof(gov));
	ok(HAS(e, FREQS) && !strcmp(buf, gov), "  steps as available_frequencies (%s)", buf);
	ok(HAS(e, NR_EXECUTORS) && e->nr_executors == cl_of(c, "executors") &&
	   HAS(e, NR_QUEUED) && e->nr_queued == cl_of(c, "queued") &&
	   HAS(e, NR_RUNNING) && e->nr_running == cl_of(c, "running"),
	   "  executors, queued, running as sysfs");
	ok(HAS(e, BUSY_NS) && e->busy_ns == cl_of(c, "busy_ns") &&
	   HAS(e, STAGES_DONE) && e->stages_done == cl_of(c, "stages_done") &&
	   HAS(e, ENERGY_UJ) && e->energy_uj == cl_of(c, "energy_uj"),
	   "  busy_ns, stages_done, energy_uj as sysfs");
}

/*
 * As nobody: bit 0, joining "jobs" was not EPERM; bit 1, "jobs" if permitted
 * failed; bit 2, it joined more than "events"; bit 3, the job dump failed or
 * held a job; bit 4, the stats dump failed.
 */
static int nobody_listens(void *arg)
{
	struct edgeai_listener *l;
	struct dump *dd = malloc(sizeof(*dd));
	int bits = 0;

	(void)arg;
	if (edgeai_listener_open(&l, EDGEAI_LISTEN_EVENTS | EDGEAI_LISTEN_JOBS) != -EPERM)
		bits |= 1;
	if (edgeai_listener_open(&l, EDGEAI_LISTEN_EVENTS |
				 EDGEAI_LISTEN_JOBS_IF_PERMITTED))
		bits |= 2;
	else if (edgeai_listener_groups(l) != EDGEAI_LISTEN_EVENTS)
		bits |= 4;
	dd->n = 0;
	if (!bits && edgeai_listener_get_jobs(l, keep, dd) != 0)
		bits |= 8;
	if (!bits && edgeai_listener_get_stats(l, &dd->ev[0]))
		bits |= 16;
	return bits;
}

static void test_dumps(struct edgeai *h, const int *bufs)
{
	static const uint32_t cl[] = { 2 };
	struct edgeai_event *one = malloc(sizeof(*one));
	struct dump *d = malloc(sizeof(*d));
	uint64_t id[2];
	uint32_t graph, i;
	int ret;

	d->n = 0;
	ret = edgeai_listener_get_clusters(lis, keep, d);
	ok(ret == 3 && d->n == 3, "cluster dump: three answers (%d)", ret);
	for (i = 0; i < d->n && i < 3; i++)
		check_cluster(&d->ev[i]);
	ok_errno(edgeai_listener_get_cluster(lis, 1, one), 0, "one cluster by id");
	ok(!strcmp(one->cluster_name, "big") && one->type == EDGEAI_NL_CMD_GET_CLUSTER,
	   "  it is big");
	ok(edgeai_listener_get_cluster(lis, 99, one) < 0, "cluster 99: an error");

	/* Two jobs queued on gpu, which has no executor. */
	graph = make_graph(h, "queued", cl, 1, 1 * MS);
	for (i = 0; i < 2; i++) {
		struct edgeai_job_spec s = {
			.graph_id = graph, .priority = EDGEAI_PRIO_NORMAL, .nr_buffers = 2,
			.buf_fds = bufs,
		};

		edgeai_submit(h, &s, &id[i]);
	}
	ok_errno(edgeai_listener_get_stats(lis, one), 0, "stats");
	ok(one->type == EDGEAI_NL_CMD_GET_STATS &&
	   one->stat_submitted == stat_of("submitted") &&
	   one->stat_completed == stat_of("completed") &&
	   one->stat_failed == stat_of("failed") &&
	   one->stat_cancelled == stat_of("cancelled") &&
	   one->stat_deadline_misses == stat_of("deadline_misses") &&
	   one->stat_rejected == stat_of("rejected") &&
	   one->stat_live_jobs == stat_of("live_jobs"),
	   "  counters as sysfs stats/");
	ok(HAS(one, QUEUED_PRIO) && one->nr_queued_prio == EDGEAI_NR_PRIO &&
	   one->queued_prio[EDGEAI_PRIO_NORMAL] == stat_of("queued_normal") &&
	   one->queued_prio[EDGEAI_PRIO_NORMAL] == 2 &&
	   one->queued_prio[EDGEAI_PRIO_REALTIME] == stat_of("queued_realtime"),
	   "  queued per class as sysfs (normal %u)", one->queued_prio[EDGEAI_PRIO_NORMAL]);

	d->n = 0;
	ret = edgeai_listener_get_jobs(lis, keep, d);
	ok(ret == 2, "job dump: the two live jobs (%d)", ret);
	for (i = 0; i < d->n && i < 2; i++) {
		const struct edgeai_event *e = &d->ev[i];

		ok(e->type == EDGEAI_NL_CMD_GET_JOB && (e->job_id == id[0] || e->job_id == id[1]) &&
		   e->pid == (uint32_t)getpid() && !strcmp(e->graph_name, "queued") &&
		   HAS(e, STATE) && e->state == 0 && HAS(e, PRIO) &&
		   e->prio == EDGEAI_PRIO_NORMAL,
		   "  job %llu: ours, queued, normal", (unsigned long long)e->job_id);
	}

	/* What nobody sees: the events group, not the jobs group, not our jobs. */
	{
		int status = as_nobody(nobody_listens, NULL);

		ok(status >= 0 && status != 255, "nobody: child ran");
		ok(!(status & 1), "nobody: joining \"jobs\" fails with EPERM");
		ok(!(status & 6), "nobody: \"jobs\" if permitted: only \"events\" joined");
		ok(!(status & 8), "nobody: the job dump holds none of root's jobs");
		ok(!(status & 16), "nobody: the stats dump works");
	}

	for (i = 0; i < 2; i++) {
		struct edgeai_result r;

		edgeai_cancel(h, id[i]);
		edgeai_wait(h, id[i], 0, 0, &r);
	}
	edgeai_graph_destroy(h, graph);
	free(one);
	free(d);
}

/* ---------------------------------------------------------------- reload */

static void test_reload(struct edgeai **h)
{
	char params[512] = "", cmd[640];
	FILE *f = fopen("/tests/events_test.modparams", "r");
	unsigned int mark;

	if (f) {
		if (!fgets(params, sizeof(params), f))
			params[0] = 0;
		fclose(f);
		params[strcspn(params, "\n")] = 0;
	}
	edgeai_close(*h);
	*h = NULL;
	mark = nlog;
	ok(system("rmmod edgeai") == 0, "rmmod edgeai with a listener open");
	pump(mark, EDGEAI_EVENT_MODULE_UNLOADED, 1, 3000);
	ok(find(mark, EDGEAI_EVENT_MODULE_UNLOADED, 0) != NULL, "module-unloaded event");
	ok(!edgeai_listener_present(lis) && edgeai_listener_groups(lis) == 0,
	   "the listener knows the family is gone");
	ok(edgeai_listener_get_stats(lis, &evlog[LOG_MAX - 1]) == -ENOENT,
	   "a request meanwhile: ENOENT");

	mark = nlog;
	/* Each parameter in single quotes: they hold ';'. */
	{
		size_t len = (size_t)snprintf(cmd, sizeof(cmd), "insmod /lib/edgeai/edgeai.ko");
		char *w, *save;

		for (w = strtok_r(params, " ", &save); w && len < sizeof(cmd);
		     w = strtok_r(NULL, " ", &save))
			len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, " '%s'", w);
	}
	ok(system(cmd) == 0, "insmod edgeai again");
	pump(mark, EDGEAI_EVENT_MODULE_LOADED, 1, 3000);
	ok(find(mark, EDGEAI_EVENT_MODULE_LOADED, 0) && !find(mark, EDGEAI_EVENT_MODULE_LOADED, 0)->error,
	   "module-loaded event, jobs group joined again");
	ok(edgeai_listener_present(lis) &&
	   edgeai_listener_groups(lis) == (EDGEAI_LISTEN_EVENTS | EDGEAI_LISTEN_JOBS),
	   "the listener is in both groups again");
	ok(edgeai_open(h) == 0, "device opens again");
	mark = nlog;
	if (*h)
		edgeai_governor_set(*h, 1, "powersave", 0);
	pump(mark, EDGEAI_NL_CMD_GOVERNOR_CHANGE, 1, 3000);
	ok(find(mark, EDGEAI_NL_CMD_GOVERNOR_CHANGE, 0) != NULL,
	   "events arrive after the reload");
	ok(edgeai_listener_get_stats(lis, &evlog[LOG_MAX - 1]) == 0 &&
	   evlog[LOG_MAX - 1].stat_submitted == 0, "requests work after the reload (fresh counters)");
}

int main(void)
{
	struct edgeai *h;
	int bufs[2];
	int ret;

	ret = edgeai_listener_open(&lis, EDGEAI_LISTEN_EVENTS | EDGEAI_LISTEN_JOBS);
	ok_errno(ret, 0, "listener opens with both groups as root");
	if (ret) {
		diag("without the netlink family nothing else can be checked");
		return tap_done();
	}
	ok(edgeai_listener_present(lis), "the family is present");
	ok(edgeai_listener_groups(lis) == (EDGEAI_LISTEN_EVENTS | EDGEAI_LISTEN_JOBS),
	   "both groups joined");
	ok(edgeai_listener_fd(lis) >= 0, "a socket to poll");
	edgeai_listener_set_nonblocking(lis, 1);
	ok(edgeai_listener_next(lis, &evlog[0]) == 0, "nothing waits at first");

	if (edgeai_open(&h)) {
		diag("cannot open the device");
		return tap_done();
	}
	bufs[0] = edgeai_buffer_create("in", 4096);
	bufs[1] = edgeai_buffer_create("out", 4096);

	test_governor_events(h);
	test_workload(h, bufs);
	test_rejected(h, bufs);
	test_overload(h, bufs);
	test_dumps(h, bufs);
	test_reload(&h);

	edgeai_close(h);
	edgeai_listener_close(lis);
	return tap_done();
}
