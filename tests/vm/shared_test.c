// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sharing the board with Linux, in the VM, against the fake cpufreq driver
 * and devfreq device of tests/kmod/edgeai_fakehw.ko (policy0: 400-1600 MHz
 * in 4 steps, policy1: 600-2400 MHz in 40 steps, gpu: 200-800 MHz).
 *
 * What a board's owner sees, measured first without edgeai: the policies'
 * and the devfreq device's limits, and the frequency schedutil gives a CPU
 * hog and an idle CPU.  Loaded in its default shared mode and idle, edgeai
 * must change none of it; with work that has a deadline a floor appears
 * (never a ceiling) and goes when the work goes or its deadline passes.
 * Exclusive mode, chosen through sysfs, holds the cluster as before.
 *
 * A limit of someone else's (scaling_max_freq, devfreq's max_freq, as a
 * thermal cap would be) wins over edgeai's floor: edgeai reads the
 * frequency granted back (actual_freq), says so on netlink
 * (EDGEAI_NL_CMD_FREQ_CAPPED), and admission counts on the capped step.
 *
 * A policy with more steps than edgeai keeps (40 > 32) keeps its range.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "../lib/app.h"
#include "../lib/fakehw.h"
#include "../lib/sysfs.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define MS		1000000ULL

/* What the board shows without edgeai. */
struct board {
	long min[2], max[2];
	long gpu_min, gpu_max;
	long hog_khz, idle_khz;
};

static struct board base;

/* A child that spins on CPU 0 until killed. */
static pid_t hog_start(void)
{
	pid_t pid = fork();
	cpu_set_t set;

	if (pid)
		return pid;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	for (;;)
		;
}

static void hog_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * The frequency the fake driver runs policy0 at with a hog on CPU 0 after
 * a second; with @want, poll up to 2 s more for that value.
 */
static long hog_khz(long want)
{
	pid_t pid = hog_start();
	long khz;

	sleep(1);
	khz = want ? settle(DEBUGFS "policy0_khz", want) :
		     read_long(DEBUGFS "policy0_khz");
	hog_stop(pid);
	return khz;
}

/* The same, idle: schedutil lets the frequency sink. */
static long idle_khz(long want)
{
	sleep(1);
	return want ? settle(DEBUGFS "policy0_khz", want) :
		      read_long(DEBUGFS "policy0_khz");
}

/* Idle, without edgeai: up to 3 s more for the frequency to sink below @hog. */
static long idle_below(long hog)
{
	long khz = idle_khz(0);
	int i;

	for (i = 0; i < 30 && khz >= hog; i++) {
		usleep(100000);
		khz = read_long(DEBUGFS "policy0_khz");
	}
	return khz;
}

/* An idle CPU 0 lets schedutil lower its frequency on this kernel. */
static bool idle_sinks;

static void board_read(struct board *b)
{
	int cpu;

	for (cpu = 0; cpu < 2; cpu++) {
		b->min[cpu] = pol(cpu, "scaling_min_freq");
		b->max[cpu] = pol(cpu, "scaling_max_freq");
	}
	b->gpu_min = read_long(DEVFREQ "min_freq");
	b->gpu_max = read_long(DEVFREQ "max_freq");
}

static void test_baseline(void)
{
	char gov[64];

	ok(sh("insmod /lib/edgeai/governor_simpleondemand.ko") == 0,
	   "simple_ondemand devfreq governor loads");
	ok(sh("insmod " FAKEHW " cpus_per_policy=1 big_steps=40") == 0,
	   "fake hardware loads (policy1 with 40 steps)");
	board_read(&base);
	read_str(POLICY "policy0/scaling_governor", gov, sizeof(gov));
	diag("without edgeai: policy0 %ld-%ld, policy1 %ld-%ld, gpu %ld-%ld Hz, cpufreq governor %s",
	     base.min[0], base.max[0], base.min[1], base.max[1], base.gpu_min, base.gpu_max, gov);
	ok(base.min[0] > 0 && base.max[0] > base.min[0] && base.gpu_max > base.gpu_min,
	   "the board's limits read");
	base.hog_khz = hog_khz(0);
	base.idle_khz = idle_below(base.hog_khz);
	diag("without edgeai: a hog on CPU 0 gets %ld kHz, idle %ld kHz", base.hog_khz,
	     base.idle_khz);
	idle_sinks = base.hog_khz > base.idle_khz;
	if (idle_sinks)
		ok(1, "the cpufreq governor follows the load (hog %ld kHz, idle %ld kHz)",
		   base.hog_khz, base.idle_khz);
	else
		skip("schedutil keeps CPU 0 at %ld kHz with nothing to run on this kernel "
		     "(PREEMPT_RT's threads under emulation): the checks of an idle CPU at "
		     "edgeai's floor are left out", base.idle_khz);
}

/* The board's limits exactly as without edgeai. */
static void check_limits(const char *what)
{
	struct board now;

	board_read(&now);
	ok(now.min[0] == base.min[0] && now.max[0] == base.max[0] &&
	   now.min[1] == base.min[1] && now.max[1] == base.max[1],
	   "%s: policy limits as without edgeai (policy0 %ld-%ld, policy1 %ld-%ld)", what,
	   now.min[0], now.max[0], now.min[1], now.max[1]);
	ok(now.gpu_min == base.gpu_min && now.gpu_max == base.gpu_max,
	   "%s: devfreq limits as without edgeai (%ld-%ld)", what, now.gpu_min, now.gpu_max);
}

/* The same with edgeai loaded, and edgeai asking for nothing. */
static void check_untouched(const char *what)
{
	/*
	 * Work that just went (cancelled) gives its floor back at the
	 * governor's next decision, which a slow guest (PREEMPT_RT under
	 * TCG) may take a while to reach: up to 2 s.
	 */
	long req = settle_cl("policy0", "requested_freq", 0) |
		   settle_cl("policy1", "requested_freq", 0) |
		   settle_cl("gpu", "requested_freq", 0);

	settle(DEVFREQ "min_freq", base.gpu_min);

	/* Reading actual_freq waits for the policies' pending updates. */
	cl_long("policy0", "actual_freq");
	cl_long("policy1", "actual_freq");
	check_limits(what);
	ok(req == 0, "%s: edgeai requests nothing", what);
}

static void test_idle_load(void)
{
	char buf[64];
	long khz;

	ok(sh("insmod " EDGEAI " devfreq=gpu:gpu:edgeai-fake-gpu") == 0,
	   "edgeai loads with its defaults");
	read_str(CL "policy0/mode", buf, sizeof(buf));
	ok(!strcmp(buf, "shared"), "policy0 is shared by default (%s)", buf);
	read_str(CL "gpu/mode", buf, sizeof(buf));
	ok(!strcmp(buf, "shared"), "gpu is shared by default (%s)", buf);
	check_untouched("loaded, performance, idle");
	khz = hog_khz(base.hog_khz);
	ok(khz == base.hog_khz, "loaded: the hog gets what it got without edgeai (%ld kHz)", khz);
	khz = idle_khz(base.idle_khz);
	ok(khz == base.idle_khz, "loaded: idle as without edgeai (%ld kHz)", khz);
	khz = settle_cl("policy0", "actual_freq", base.idle_khz);
	ok(khz == base.idle_khz, "actual_freq reads the frequency granted (%ld)", khz);

	ok(cl_write("policy0", "governor", "deadline") == 0 &&
	   cl_write("gpu", "governor", "powersave") == 0, "policy0 deadline, gpu powersave");
	check_untouched("deadline and powersave, idle");
	khz = hog_khz(base.hog_khz);
	ok(khz == base.hog_khz, "deadline governor, idle: the hog still gets %ld kHz (%ld)",
	   base.hog_khz, khz);

	/* More OPPs than edgeai keeps: the bottom, the top, even between. */
	{
		char all[1024];
		int n = 0;
		char *tok, *save, *last = NULL, *first = NULL;

		read_str(CL "policy1/available_frequencies", all, sizeof(all));
		for (tok = strtok_r(all, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			if (!first)
				first = tok;
			last = tok;
			n++;
		}
		ok(n == 32 && first && last && !strcmp(first, "600000") && !strcmp(last, "2400000"),
		   "40 steps: 32 kept from 600000 to 2400000 (%d, %s..%s)", n, first ? first : "?",
		   last ? last : "?");
	}
}

static void test_floor(void)
{
	struct app a, g;
	uint64_t id, deadline;
	long v, w;

	if (app_open(&a, "policy0", 1000 * MS) || app_open(&g, "gpu", 100 * MS)) {
		ok(0, "submitters set up");
		return;
	}
	/* 1 s at 1600 MHz: 2 s at 800 MHz fits in 3 s, 4 s at 400 does not. */
	deadline = edgeai_now_ns() + 3000 * MS;
	app_submit(&a, deadline, 0, &id);
	v = settle_cl("policy0", "requested_freq", 800000);
	ok(v == 800000, "deadline governor, work due in 3 s: edgeai asks 800 MHz (%ld)", v);
	v = settle_pol(0, "scaling_min_freq", 800000);
	ok(v == 800000, "... as a floor on the policy (%ld)", v);
	v = pol(0, "scaling_max_freq");
	ok(v == base.max[0], "... and no ceiling (max %ld)", v);
	v = settle(DEBUGFS "policy0_khz", 800000);
	w = cl_long("policy0", "actual_freq");
	if (idle_sinks)
		ok(v == 800000 && w == 800000,
		   "... the idle CPU runs at the floor (%ld), and actual_freq says so (%ld)", v, w);
	else
		skip("... the idle CPU at the floor: CPU 0 does not sink when idle here (%ld, "
		     "actual_freq %ld)", v, w);
	while (edgeai_now_ns() < deadline + 100 * MS)
		usleep(50000);
	v = settle_pol(0, "scaling_min_freq", base.min[0]);
	w = cl_long("policy0", "requested_freq");
	ok(v == base.min[0] && w == 0,
	   "deadline passed with the work still queued: the floor goes (min %ld, asked %ld)", v,
	   w);
	edgeai_cancel(a.h, id);

	ok(cl_write("policy0", "governor", "performance") == 0, "policy0 on performance");
	app_submit(&a, edgeai_now_ns() + 10000 * MS, 0, &id);
	v = settle_pol(0, "scaling_min_freq", 1600000);
	w = pol(0, "scaling_max_freq");
	ok(v == 1600000 && w == base.max[0],
	   "performance, work with a deadline: a floor at the top step, no ceiling (%ld-%ld)",
	   v, w);
	edgeai_cancel(a.h, id);
	v = settle_pol(0, "scaling_min_freq", base.min[0]);
	ok(v == base.min[0], "cancelled: the floor goes (%ld)", v);
	app_submit(&a, 0, 0, &id);
	usleep(200000);
	check_untouched("work without a deadline");
	edgeai_cancel(a.h, id);

	ok(cl_write("gpu", "governor", "performance") == 0, "gpu on performance");
	app_submit(&g, edgeai_now_ns() + 10000 * MS, 0, &id);
	v = settle(DEVFREQ "min_freq", 800000000);
	w = read_long(DEVFREQ "max_freq");
	ok(v == 800000000 && w == base.gpu_max,
	   "gpu work with a deadline: a devfreq floor, no ceiling (%ld-%ld)", v, w);
	edgeai_cancel(g.h, id);
	v = settle(DEVFREQ "min_freq", base.gpu_min);
	ok(v == base.gpu_min, "gpu work cancelled: the floor goes (%ld)", v);
	app_close(&g);
	app_close(&a);
	check_untouched("all work gone");
}

#define TRACING		"/sys/kernel/tracing/"
#define WQ_EVENT	TRACING "events/workqueue/workqueue_execute_start/enable"
#define RUNS		40

/* Lines of @text that name @what. */
static int count_in(const char *text, const char *what)
{
	int n = 0;

	for (; text && (text = strstr(text, what)); text += strlen(what))
		n++;
	return n;
}

/*
 * Run RUNS one-stage jobs due in 10 s on policy0, one after another,
 * through an executor of this process (each stage takes 2 ms), with the kworkers' work items
 * traced: how many governor decisions ran because of the work (@kicks)
 * and on the timer (@ticks).  False if something failed.
 */
static bool run_traced(int *kicks, int *ticks)
{
	struct edgeai_result r;
	struct edgeai_task task;
	struct edgeai *e = NULL;
	struct app a;
	bool good = false;
	uint64_t id;
	char *text;
	int i, cl;

	if (app_open(&a, "policy0", MS))
		return false;
	cl = edgeai_cluster_find(a.h, "policy0");
	if (cl < 0 || edgeai_open(&e) || edgeai_exec_attach(e, (uint32_t)cl))
		goto out;
	write_str(TRACING "trace", "");
	if (write_str(WQ_EVENT, "1"))
		goto out;
	for (i = 0; i < RUNS; i++) {
		if (app_submit(&a, edgeai_now_ns() + 10000 * MS, 0, &id) ||
		    edgeai_exec_fetch(e, &task))
			break;
		edgeai_task_close(&task);
		/* Long enough for a decision to see it run. */
		usleep(2000);
		if (edgeai_exec_complete(e, &task, 0, 0, 0) ||
		    edgeai_wait(a.h, id, 0, 0, &r))
			break;
	}
	write_str(WQ_EVENT, "0");
	text = read_text(TRACING "trace");
	*kicks = count_in(text, "edgeai_gov_kick_fn");
	*ticks = count_in(text, "edgeai_gov_tick_fn");
	good = i == RUNS && text;
	free(text);
out:
	if (e)
		edgeai_close(e);
	app_close(&a);
	return good;
}

/*
 * A fixed governor's step does not follow the work: on a shared cluster
 * only its floor does.  A stage that starts the floor calls for a
 * decision, the timer's decision ends it; the stages in between must not
 * each queue one (a kworker's wake-up at every submit, fetch and
 * complete made the job path switch context four times per stage where
 * it switched once).  The deadline governor still decides on every
 * change.
 */
static void test_decisions(void)
{
	int kicks = 0, ticks = 0;

	if (access(TRACING "trace", F_OK))
		mount("tracefs", TRACING, "tracefs", 0, NULL);
	if (access(WQ_EVENT, W_OK)) {
		skip("no tracefs with the workqueue events: decisions not counted");
		return;
	}
	ok(cl_write("policy0", "governor", "performance") == 0 &&
	   cl_long("policy0", "requested_freq") == 0, "policy0 on performance, no floor");
	ok(run_traced(&kicks, &ticks), "%d jobs run one after another on policy0", RUNS);
	ok(kicks >= 1 && kicks <= ticks + 2,
	   "performance, shared: the floor's start calls for a decision, the stages after it do not (%d decisions on work, %d on the timer, %d stages)",
	   kicks, ticks, RUNS);
	check_untouched("after the jobs on performance");

	ok(cl_write("policy0", "governor", "deadline") == 0, "policy0 on deadline");
	ok(run_traced(&kicks, &ticks), "%d jobs run one after another on policy0", RUNS);
	ok(kicks >= RUNS / 2, "deadline: decisions follow the work (%d on work for %d stages)",
	   kicks, RUNS);
	ok(cl_write("policy0", "governor", "performance") == 0, "policy0 back on performance");
	check_untouched("after the jobs on deadline");
}

static void test_exclusive(void)
{
	char buf[64];
	long khz;

	ok(cl_write("policy0", "governor", "powersave") == 0 &&
	   cl_write("policy0", "mode", "exclusive") == 0, "policy0 powersave, exclusive");
	read_str(CL "policy0/mode", buf, sizeof(buf));
	ok(!strcmp(buf, "exclusive"), "mode reads exclusive (%s)", buf);
	khz = settle_pol(0, "scaling_max_freq", 400000);
	ok(khz == 400000 && pol(0, "scaling_min_freq") == 400000 &&
	   cl_long("policy0", "requested_freq") == 400000,
	   "exclusive: held at 400 MHz, minimum and maximum (%ld-%ld)",
	   pol(0, "scaling_min_freq"), khz);
	khz = hog_khz(400000);
	ok(khz == 400000, "exclusive: the hog is held too (%ld kHz)", khz);
	ok(cl_write("policy0", "mode", "turbo") == -EINVAL, "mode turbo: EINVAL");
	ok(cl_write("policy0", "mode", "\n") == -EINVAL, "empty mode: EINVAL");
	read_str(CL "policy0/mode", buf, sizeof(buf));
	ok(!strcmp(buf, "exclusive") && pol(0, "scaling_max_freq") == 400000,
	   "after the bad writes: still exclusive at 400 MHz");
	ok(cl_write("policy0", "mode", "shared\n") == 0, "back to shared");
	ok(settle_pol(0, "scaling_max_freq", base.max[0]) == base.max[0], "the hold goes");
	check_untouched("shared again");
	khz = hog_khz(base.hog_khz);
	ok(khz == base.hog_khz, "shared again: the hog gets %ld kHz (%ld)", base.hog_khz, khz);
}

/* A strict submit due in @ms: 0 or -errno; an admitted job is cancelled. */
static int strict(struct app *a, uint64_t ms)
{
	uint64_t id;
	int ret = app_submit(a, edgeai_now_ns() + ms * MS, EDGEAI_SUBMIT_STRICT, &id);

	if (!ret)
		edgeai_cancel(a->h, id);
	return ret;
}

/* Collect events until one of @type for @cluster comes, or 3 s pass. */
static bool wait_event(struct edgeai_listener *l, uint32_t type, const char *cluster,
		       struct edgeai_event *ev, unsigned int ms)
{
	uint64_t end = edgeai_now_ns() + ms * MS;
	struct pollfd pfd = { .fd = edgeai_listener_fd(l), .events = POLLIN };

	while (edgeai_now_ns() < end) {
		while (edgeai_listener_next(l, ev) == 1)
			if (ev->type == type && !strcmp(ev->cluster_name, cluster))
				return true;
		poll(&pfd, 1, 100);
	}
	return false;
}

static void test_cap(void)
{
	struct edgeai_listener *l = NULL;
	struct edgeai_event ev;
	struct edgeai *ex = NULL;
	struct app a, q, g;
	long khz, asked;
	uint64_t id;
	bool got;
	int cl, i;

	if (edgeai_listener_open(&l, EDGEAI_LISTEN_EVENTS) ||
	    edgeai_listener_set_nonblocking(l, 1) || app_open(&a, "policy0", 1000 * MS) ||
	    app_open(&q, "policy0", 100 * MS) || app_open(&g, "gpu", 100 * MS) ||
	    edgeai_open(&ex)) {
		ok(0, "listener, submitters and executor set up");
		return;
	}
	cl = edgeai_cluster_find(ex, "policy0");
	ok(cl >= 0 && edgeai_exec_attach(ex, (uint32_t)cl) == 0,
	   "an executor on policy0 (it fetches nothing)");
	cl_write("policy0", "governor", "performance");

	/* Admission: 100 ms at 1600 MHz due in 150 ms; 200 ms at 800 MHz. */
	ok_errno(strict(&q, 150), 0, "strict: 100 ms at the top step due in 150 ms is admitted");
	ok(pol_write(0, "scaling_max_freq", "800000") == 0, "someone caps policy0 at 800 MHz");
	/* No floor asked: schedutil picks, within the cap (each read reads back). */
	for (i = 0; i < 200 && (khz = cl_long("policy0", "actual_freq")) > 800000; i++)
		usleep(10000);
	ok(khz > 0 && khz <= 800000, "actual_freq within the cap (%ld)", khz);
	ok_errno(strict(&q, 150), -ETIME, "strict under the cap, performance: the same job is refused");
	cl_write("policy0", "governor", "deadline");
	ok_errno(strict(&q, 150), -ETIME, "strict under the cap, deadline governor: refused too");
	ok_errno(strict(&q, 400), 0, "due in 400 ms: admitted at the capped step");

	cl_write("policy0", "governor", "performance");
	while (edgeai_listener_next(l, &ev) == 1)
		;
	app_submit(&a, edgeai_now_ns() + 10000 * MS, 0, &id);
	asked = settle_cl("policy0", "requested_freq", 1600000);
	khz = cl_long("policy0", "actual_freq");
	ok(asked == 1600000 && khz == 800000 && pol(0, "scaling_min_freq") == 800000,
	   "work with a deadline asks 1600 MHz, the cap holds 800 MHz (asked %ld, got %ld)",
	   asked, khz);
	got = wait_event(l, EDGEAI_NL_CMD_FREQ_CAPPED, "policy0", &ev, 3000);
	ok(got && ev.freq_khz == 800000 && edgeai_event_has(&ev, EDGEAI_NL_A_FREQ_REQ_KHZ),
	   "a freq-capped event: granted %u kHz, the ask attached", got ? ev.freq_khz : 0);
	pol_write(0, "scaling_max_freq", "1600000");
	khz = settle_cl("policy0", "actual_freq", 1600000);
	ok(khz == 1600000, "cap lifted: the floor is granted (%ld)", khz);
	edgeai_cancel(a.h, id);
	ok(settle_pol(0, "scaling_min_freq", base.min[0]) == base.min[0], "and goes with the work");

	/*
	 * Raised with no cap: cpufreq applies the floor from its own work
	 * item, and edgeai reads it back once applied, not before (where the
	 * old frequency would look like a cap).
	 */
	while (edgeai_listener_next(l, &ev) == 1)
		;
	app_submit(&a, edgeai_now_ns() + 10000 * MS, 0, &id);
	khz = settle_cl("policy0", "actual_freq", 1600000);
	got = wait_event(l, EDGEAI_NL_CMD_FREQ_CAPPED, "policy0", &ev, 500);
	ok(khz == 1600000 && !got,
	   "a floor raised with no cap is granted (%ld) and no freq-capped event says otherwise (%s)",
	   khz, got ? "one came" : "none");
	edgeai_cancel(a.h, id);
	settle_pol(0, "scaling_min_freq", base.min[0]);

	app_submit(&g, edgeai_now_ns() + 10000 * MS, 0, &id);
	ok(settle(DEVFREQ "min_freq", 800000000) == 800000000, "gpu floor at 800 MHz");
	ok(write_str(DEVFREQ "max_freq", "400000000") == 0, "someone caps the gpu at 400 MHz");
	khz = settle_cl("gpu", "actual_freq", 400000);
	ok(khz == 400000, "gpu actual_freq follows the cap (%ld)", khz);
	got = wait_event(l, EDGEAI_NL_CMD_FREQ_CAPPED, "gpu", &ev, 3000);
	ok(got && ev.freq_khz == 400000, "a freq-capped event for the gpu (%u kHz)",
	   got ? ev.freq_khz : 0);
	write_str(DEVFREQ "max_freq", "800000000");
	khz = settle_cl("gpu", "actual_freq", 800000);
	ok(khz == 800000, "gpu cap lifted (%ld)", khz);
	edgeai_cancel(g.h, id);

	edgeai_close(ex);
	app_close(&g);
	app_close(&q);
	app_close(&a);
	edgeai_listener_close(l);
	check_untouched("after the caps");
}

/*
 * A GPU's host (hosts=gpu:policy1) on a fixed governor, shared: its floor
 * holds while the GPU has work with a deadline ahead (the GPU's stages run
 * at its host's speed too), and goes with that work.
 */
static void test_guest_floor(void)
{
	struct app g;
	uint64_t id;
	long v, w;

	ok(sh("rmmod edgeai") == 0 &&
	   sh("insmod " EDGEAI " devfreq=gpu:gpu:edgeai-fake-gpu hosts=gpu:policy1") == 0,
	   "edgeai reloads with policy1 as the gpu's host");
	if (app_open(&g, "gpu", 100 * MS)) {
		ok(0, "gpu submitter set up");
		return;
	}
	v = cl_long("policy1", "requested_freq");
	ok(v == 0, "no work: policy1 (performance) asks nothing (%ld)", v);
	app_submit(&g, edgeai_now_ns() + 10000 * MS, 0, &id);
	v = settle_cl("policy1", "requested_freq", 2400000);
	w = settle_pol(1, "scaling_min_freq", 2400000);
	ok(v == 2400000 && w == 2400000,
	   "gpu work due in 10 s: its host asks its top step as a floor (%ld, min %ld)", v, w);
	edgeai_cancel(g.h, id);
	v = settle_cl("policy1", "requested_freq", 0);
	w = settle_pol(1, "scaling_min_freq", base.min[1]);
	ok(v == 0 && w == base.min[1],
	   "the gpu's work gone: the host's floor goes (asked %ld, min %ld)", v, w);
	app_close(&g);
}

static void test_unload(void)
{
	ok(sh("rmmod edgeai") == 0, "rmmod edgeai");
	usleep(100000);
	check_limits("unloaded");
	ok(sh("rmmod edgeai_fakehw") == 0 && sh("rmmod governor_simpleondemand") == 0,
	   "the fake drivers unload");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_baseline();
	test_idle_load();
	test_floor();
	test_decisions();
	test_exclusive();
	test_cap();
	test_guest_floor();
	test_unload();
	return tap_done();
}
