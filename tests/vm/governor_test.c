// SPDX-License-Identifier: GPL-2.0-only
/*
 * Clusters and governors against real cpufreq and devfreq, in the VM.
 *
 * tests/kmod/edgeai_fakehw.ko provides a cpufreq driver (one policy per
 * CPU: 400-1600 MHz on even CPUs, 600-2400 MHz on odd ones) and a devfreq
 * device "edgeai-fake-gpu" (200-800 MHz).  edgeai.ko then finds two CPU
 * clusters and, through its devfreq parameter, one GPU cluster, and holds
 * them with QoS requests (exclusive mode: the shared default is
 * shared_test's).  The test checks that the policies' limits and
 * the fake drivers' targets follow each governor, that a deadline
 * governor follows queued work, that governors switch under load, and
 * that unloading in either order is clean.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <edgeai.h>

#include "../lib/app.h"
#include "../lib/fakehw.h"
#include "../lib/sysfs.h"
#include "../lib/tap.h"

#define MS		1000000ULL

static bool load_all(const char *gov)
{
	return sh("insmod " FAKEHW " cpus_per_policy=1") == 0 &&
	       sh("insmod " EDGEAI " mode=exclusive governor=%s devfreq=gpu:gpu:edgeai-fake-gpu"
		  " hosts=gpu:policy1", gov) == 0;
}

static void test_discovery(void)
{
	char buf[128];

	ok(sh("insmod /lib/edgeai/governor_simpleondemand.ko") == 0,
	   "simple_ondemand devfreq governor loads");
	ok(load_all("performance"), "fake hardware and edgeai load");
	read_str(CL "policy0/control", buf, sizeof(buf));
	ok(!strcmp(buf, "cpufreq"), "policy0 is a cpufreq cluster (%s)", buf);
	read_str(CL "policy0/cpus", buf, sizeof(buf));
	ok(!strcmp(buf, "0"), "policy0 holds CPU 0 (%s)", buf);
	read_str(CL "policy1/available_frequencies", buf, sizeof(buf));
	ok(!strcmp(buf, "600000 1200000 1800000 2400000"),
	   "policy1 steps from the cpufreq table (%s)", buf);
	read_str(CL "gpu/control", buf, sizeof(buf));
	ok(!strcmp(buf, "devfreq"), "gpu is a devfreq cluster (%s)", buf);
	read_str(CL "gpu/available_frequencies", buf, sizeof(buf));
	ok(!strcmp(buf, "200000 400000 600000 800000"), "gpu steps from its OPP table (%s)", buf);
	read_str(CL "gpu/kind", buf, sizeof(buf));
	ok(!strcmp(buf, "gpu"), "gpu kind from the parameter");
	read_str(CL "gpu/host", buf, sizeof(buf));
	ok(!strcmp(buf, "policy1"), "gpu's host from the hosts parameter (%s)", buf);
	read_str(CL "policy0/host", buf, sizeof(buf));
	ok(!strcmp(buf, ""), "a CPU cluster has no host");
	read_str(CL "policy0/switch_cost_us", buf, sizeof(buf));
	ok(!strcmp(buf, "100 100"), "switch cost from the policy's transition latency (%s)", buf);
}

/* Every cluster at the given step: limits, targets and edgeai's view. */
static void check_all(const char *what, long p0, long p1, long gpu)
{
	ok(settle_pol(0, "scaling_max_freq", p0) == p0 && pol(0, "scaling_min_freq") == p0,
	   "%s: policy0 limits pinned at %ld (max %ld min %ld)", what, p0,
	   pol(0, "scaling_max_freq"), pol(0, "scaling_min_freq"));
	ok(settle(DEBUGFS "policy0_khz", p0) == p0, "%s: policy0 driver runs %ld", what, p0);
	ok(settle_pol(1, "scaling_max_freq", p1) == p1 && pol(1, "scaling_min_freq") == p1,
	   "%s: policy1 limits pinned at %ld", what, p1);
	ok(settle(DEBUGFS "policy1_khz", p1) == p1, "%s: policy1 driver runs %ld", what, p1);
	ok(settle(DEBUGFS "gpu_khz", gpu) == gpu, "%s: gpu devfreq target %ld (got %ld)", what,
	   gpu, read_long(DEBUGFS "gpu_khz"));
	ok(read_long(DEVFREQ "min_freq") == gpu * 1000 && read_long(DEVFREQ "max_freq") == gpu * 1000,
	   "%s: devfreq min/max pinned by the QoS requests", what);
	ok(cl_long("policy0", "cur_freq") == p0 && cl_long("gpu", "cur_freq") == gpu,
	   "%s: edgeai reports the frequencies it holds", what);
}

static void set_all(const char *gov)
{
	cl_write("policy0", "governor", gov);
	cl_write("policy1", "governor", gov);
	cl_write("gpu", "governor", gov);
}

static void test_fixed_governors(void)
{
	char buf[64];

	check_all("performance", 1600000, 2400000, 800000);
	set_all("powersave");
	check_all("powersave", 400000, 600000, 200000);
	set_all("userspace");
	ok(cl_write("policy0", "setspeed", "1200000") == 0, "setspeed 1200000 on policy0");
	ok(cl_write("policy1", "setspeed", "1900000") == 0, "setspeed 1900000 on policy1");
	ok(cl_write("gpu", "setspeed", "600000") == 0, "setspeed 600000 on gpu");
	check_all("userspace", 1200000, 1800000, 600000);
	read_str(CL "policy1/setspeed", buf, sizeof(buf));
	ok(!strcmp(buf, "1800000"), "setspeed reads back the step it holds (%s)", buf);

	/* Bad writes: EINVAL and nothing changes. */
	ok(cl_write("policy0", "setspeed", "abc") == -EINVAL, "setspeed abc: EINVAL");
	ok(cl_write("policy0", "setspeed", "0") == -EINVAL, "setspeed 0: EINVAL");
	ok(cl_write("policy0", "setspeed", "99999999") == -EINVAL, "setspeed above range: EINVAL");
	ok(cl_write("policy0", "setspeed", "-5") == -EINVAL, "setspeed negative: EINVAL");
	ok(cl_write("policy0", "setspeed", "399999") == -EINVAL, "setspeed below range: EINVAL");
	ok(cl_write("policy0", "governor", "turbo") == -EINVAL, "governor turbo: EINVAL");
	ok(cl_write("policy0", "governor", "\n") == -EINVAL, "empty governor: EINVAL");
	read_str(CL "policy0/governor", buf, sizeof(buf));
	ok(!strcmp(buf, "userspace") && pol(0, "scaling_max_freq") == 1200000,
	   "after the bad writes: still userspace at 1200000");
	cl_write("policy0", "governor", "performance");
	ok(cl_write("policy0", "setspeed", "800000") == -EINVAL,
	   "setspeed under another governor: EINVAL");
	read_str(CL "policy0/setspeed", buf, sizeof(buf));
	ok(!strcmp(buf, "<unsupported>"), "setspeed reads <unsupported> under performance");
	read_str(CL "policy0/available_governors", buf, sizeof(buf));
	ok(!strcmp(buf, "performance powersave userspace deadline"), "available governors (%s)", buf);
}

static void test_ioctls(void)
{
	struct edgeai *h;
	struct edgeai_governor_set gs = { .size = sizeof(gs) };
	struct edgeai_cluster_set_model m = { .size = sizeof(m) };
	struct edgeai_cluster_desc d;
	uint32_t power[4] = { 100, 200, 400, 800 };
	int id;

	if (edgeai_open(&h)) {
		ok(0, "open /dev/edgeai");
		return;
	}
	id = edgeai_cluster_find(h, "policy0");
	gs.cluster_id = (uint32_t)id;
	strcpy(gs.governor, "userspace");
	gs.setspeed_khz = 800000;
	ok_errno(ioctl(edgeai_fd(h), EDGEAI_IOCTL_GOVERNOR_SET, &gs), 0, "GOVERNOR_SET userspace 800000");
	ok(settle_pol(0, "scaling_max_freq", 800000) == 800000, "... the policy follows");
	gs.setspeed_khz = 5;
	ok_errno(ioctl(edgeai_fd(h), EDGEAI_IOCTL_GOVERNOR_SET, &gs), -EINVAL,
		 "GOVERNOR_SET setspeed out of range: EINVAL");
	strcpy(gs.governor, "powersave");
	gs.setspeed_khz = 800000;
	ok_errno(ioctl(edgeai_fd(h), EDGEAI_IOCTL_GOVERNOR_SET, &gs), -EINVAL,
		 "GOVERNOR_SET setspeed with powersave: EINVAL");
	memset(gs.governor, 'x', sizeof(gs.governor));
	gs.setspeed_khz = 0;
	ok_errno(ioctl(edgeai_fd(h), EDGEAI_IOCTL_GOVERNOR_SET, &gs), -EINVAL,
		 "GOVERNOR_SET unterminated name: EINVAL");
	strcpy(gs.governor, "powersave");
	gs.flags = 1;
	ok_errno(ioctl(edgeai_fd(h), EDGEAI_IOCTL_GOVERNOR_SET, &gs), -EINVAL, "GOVERNOR_SET flags: EINVAL");
	gs.flags = 0;
	gs.cluster_id = 99;
	ok_errno(ioctl(edgeai_fd(h), EDGEAI_IOCTL_GOVERNOR_SET, &gs), -EINVAL,
		 "GOVERNOR_SET unknown cluster: EINVAL");

	m.cluster_id = (uint32_t)id;
	m.nr_steps = 4;
	m.power_mw = (uintptr_t)power;
	m.idle_mw = 30;
	m.switch_up_us = 2000;
	m.switch_down_us = 300;
	ok_errno(ioctl(edgeai_fd(h), EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m), 0, "CLUSTER_SET_MODEL");
	edgeai_cluster_get(h, (uint32_t)id, &d);
	ok(d.info.idle_mw == 30 && d.info.switch_up_us == 2000 && d.info.switch_down_us == 300,
	   "CLUSTER_INFO reports the model");
	{
		uint32_t got[4] = { 0 };
		struct edgeai_cluster_info ci = { .size = sizeof(ci), .cluster_id = (uint32_t)id,
			.power_mw = (uintptr_t)got, .freqs_cap = 4 };

		ioctl(edgeai_fd(h), EDGEAI_IOCTL_CLUSTER_INFO, &ci);
		ok(!memcmp(got, power, sizeof(got)), "... and the power of each step");
	}
	m.nr_steps = 3;
	ok_errno(ioctl(edgeai_fd(h), EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m), -EINVAL,
		 "CLUSTER_SET_MODEL wrong number of steps: EINVAL");
	m.nr_steps = 4;
	m.power_mw = 16;
	ok_errno(ioctl(edgeai_fd(h), EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m), -EFAULT,
		 "CLUSTER_SET_MODEL bad pointer: EFAULT");
	m.power_mw = (uintptr_t)power;
	m.switch_up_us = 5000000;
	ok_errno(ioctl(edgeai_fd(h), EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m), -EINVAL,
		 "CLUSTER_SET_MODEL switch cost above 1 s: EINVAL");
	m.switch_up_us = 2000;
	m.__reserved = 1;
	ok_errno(ioctl(edgeai_fd(h), EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m), -EINVAL,
		 "CLUSTER_SET_MODEL reserved: EINVAL");
	edgeai_close(h);
}

/*
 * The deadline governor on policy0 (400/800/1200/1600 MHz, power model
 * from CLUSTER_SET_MODEL above: 100/200/400/800 mW, idle 30): a 100 ms
 * stage (at 1600 MHz) takes 400 ms at 400 MHz and 200 ms at 800 MHz.
 */
static void test_deadline(void)
{
	struct app a, big;
	uint64_t id;
	long khz;

	ok(cl_write("policy0", "governor", "deadline") == 0, "policy0 on the deadline governor");
	ok(settle_cl("policy0", "cur_freq", 400000) == 400000, "deadline: idle cluster at the lowest step");
	if (app_open(&a, "policy0", 100 * MS)) {
		ok(0, "submitter set up");
		return;
	}
	/*
	 * 1200 MHz would take 1.33 s: only the top step makes 1.2 s.  (In
	 * seconds, not the 100 ms and 120 ms it once was: a decision that a
	 * busy host delays past the deadline finds the work late.)
	 */
	if (app_open(&big, "policy0", 1000 * MS)) {
		ok(0, "submitter set up");
		app_close(&a);
		return;
	}
	app_submit(&big, edgeai_now_ns() + 1200 * MS, 0, &id);
	khz = settle_cl("policy0", "cur_freq", 1600000);
	ok(khz == 1600000, "deadline: 1 s of work due in 1.2 s -> top step (%ld)", khz);
	ok(settle_pol(0, "scaling_max_freq", 1600000) == 1600000 &&
	   settle(DEBUGFS "policy0_khz", 1600000) == 1600000,
	   "... enforced on the policy and its driver");
	edgeai_cancel(big.h, id);
	app_close(&big);
	ok(settle_cl("policy0", "cur_freq", 400000) == 400000, "deadline: cancelled, back to the lowest");
	/* The governor plans with a quarter of the time left in reserve. */
	app_submit(&a, edgeai_now_ns() + 400 * MS, 0, &id);
	ok(settle_cl("policy0", "cur_freq", 800000) == 800000,
	   "deadline: due in 400 ms (300 planned) -> 800 MHz (200 ms) suffices, got %ld",
	   cl_long("policy0", "cur_freq"));
	ok(settle(DEBUGFS "policy0_khz", 800000) == 800000, "... and the driver runs 800 MHz");
	edgeai_cancel(a.h, id);
	app_submit(&a, edgeai_now_ns() + 10000 * MS, 0, &id);
	ok(settle_cl("policy0", "cur_freq", 400000) == 400000, "deadline: due in 10 s -> lowest step");
	edgeai_cancel(a.h, id);

	app_close(&a);

	/*
	 * Measured speeds: work at 400 MHz runs at half the top speed (not a
	 * quarter), 800 MHz at 3/4.  1 s of work due in 2 s (1.5 s planned,
	 * a quarter in reserve) then fits at 800 MHz (1.33 s); by frequency
	 * alone it needs 1200 MHz.  (Long times: the margins must outlast a
	 * slow, shared VM.)
	 */
	if (app_open(&a, "policy0", 1000 * MS)) {
		ok(0, "submitter set up");
		return;
	}
	app_submit(&a, edgeai_now_ns() + 2000 * MS, 0, &id);
	ok(settle_cl("policy0", "cur_freq", 1200000) == 1200000,
	   "deadline: by frequency alone, 1 s due in 2 s needs 1200 MHz");
	edgeai_cancel(a.h, id);
	settle_cl("policy0", "cur_freq", 400000);
	{
		uint32_t speed[4] = { 512, 768, 896, 1024 };
		struct edgeai_cluster_set_model m = {
			.size = sizeof(m), .cluster_id = 0, .nr_steps = 4,
			.speed = (uintptr_t)speed, .idle_mw = 30,
			.switch_up_us = 2000, .switch_down_us = 300,
		};
		uint32_t got[4] = { 0 };
		struct edgeai_cluster_info ci = { .size = sizeof(ci), .speed = (uintptr_t)got,
						  .freqs_cap = 4 };
		char buf[64];

		ok_errno(ioctl(edgeai_fd(a.h), EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m), 0,
			 "CLUSTER_SET_MODEL with measured speeds");
		ioctl(edgeai_fd(a.h), EDGEAI_IOCTL_CLUSTER_INFO, &ci);
		ok(!memcmp(got, speed, sizeof(got)), "CLUSTER_INFO reads the speeds back");
		read_str(CL "policy0/speed", buf, sizeof(buf));
		ok(!strcmp(buf, "512 768 896 1024"), "sysfs speed (%s)", buf);
		speed[0] = 2000;
		ok_errno(ioctl(edgeai_fd(a.h), EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m), -EINVAL,
			 "a speed above the top step's: EINVAL");
		m.nr_steps = 0;
		ok_errno(ioctl(edgeai_fd(a.h), EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m), -EINVAL,
			 "speeds without nr_steps: EINVAL");
	}
	app_submit(&a, edgeai_now_ns() + 2000 * MS, 0, &id);
	ok(settle_cl("policy0", "cur_freq", 800000) == 800000,
	   "deadline with measured speeds: 800 MHz suffices (%ld)", cl_long("policy0", "cur_freq"));
	edgeai_cancel(a.h, id);
	app_close(&a);
}

/*
 * The GPU's host (policy1, on the deadline governor) keeps up with it:
 * idle, the host drops to its lowest step; with GPU work at the GPU's top
 * step the host goes to its top; with the GPU at half speed, to half.
 */
static void test_host_floor(void)
{
	struct app g;
	uint64_t id;

	ok(cl_write("policy1", "governor", "deadline") == 0 &&
	   cl_write("gpu", "governor", "userspace") == 0 &&
	   cl_write("gpu", "setspeed", "800000") == 0, "policy1 deadline, gpu userspace at 800 MHz");
	ok(settle_cl("policy1", "cur_freq", 600000) == 600000, "host idle: lowest step");
	if (app_open(&g, "gpu", 10 * MS)) {
		ok(0, "gpu submitter set up");
		return;
	}
	app_submit(&g, 0, 0, &id);
	ok(settle_cl("policy1", "cur_freq", 2400000) == 2400000,
	   "gpu work at its top step: host at its top (%ld)", cl_long("policy1", "cur_freq"));
	ok(cl_write("gpu", "setspeed", "400000") == 0 &&
	   settle_cl("policy1", "cur_freq", 1200000) == 1200000,
	   "gpu at half speed: host at half (%ld)", cl_long("policy1", "cur_freq"));
	edgeai_cancel(g.h, id);
	ok(settle_cl("policy1", "cur_freq", 600000) == 600000, "gpu idle again: host back down");
	app_close(&g);
	cl_write("policy1", "governor", "performance");
	cl_write("gpu", "governor", "performance");
}

struct loader {
	volatile bool stop;
	int done;
	int errors;
};

/* A submitter and a null executor on policy1, flat out. */
static void *load_run(void *arg)
{
	struct loader *l = arg;
	struct edgeai *ex;
	struct edgeai_result r;
	struct edgeai_task t;
	struct app a;
	uint64_t id;
	int id1;

	if (app_open(&a, "policy1", 2 * MS) || edgeai_open(&ex)) {
		l->errors++;
		return NULL;
	}
	id1 = edgeai_cluster_find(ex, "policy1");
	if (id1 < 0 || edgeai_exec_attach(ex, (uint32_t)id1)) {
		l->errors++;
		return NULL;
	}
	while (!l->stop) {
		if (app_submit(&a, edgeai_now_ns() + 50 * MS, 0, &id) ||
		    edgeai_exec_fetch(ex, &t)) {
			l->errors++;
			break;
		}
		edgeai_task_close(&t);
		edgeai_exec_complete(ex, &t, 0, 1000, 0);
		if (edgeai_wait(a.h, id, 0, 0, &r) || (r.wait.status != EDGEAI_JOB_DONE &&
						       r.wait.status != EDGEAI_JOB_DEADLINE_MISSED))
			l->errors++;
		else
			l->done++;
	}
	edgeai_close(ex);
	app_close(&a);
	return NULL;
}

static void test_switch_under_load(void)
{
	static const char *const govs[] = { "deadline", "performance", "userspace",
					    "powersave", "deadline" };
	struct loader l = { 0 };
	pthread_t th;
	int i, bad = 0;

	pthread_create(&th, NULL, load_run, &l);
	for (i = 0; i < 40; i++) {
		bad |= cl_write("policy1", "governor", govs[i % 5]) != 0;
		usleep(20000);
	}
	l.stop = true;
	pthread_join(th, NULL);
	ok(!bad, "40 governor switches under load all accepted");
	ok(l.done > 10 && !l.errors, "the load kept running: %d jobs done, %d errors", l.done,
	   l.errors);
	set_all("performance");
	check_all("back to performance", 1600000, 2400000, 800000);
}

static void test_hotplug(void)
{
	if (access("/sys/devices/system/cpu/cpu1/online", W_OK)) {
		skip("CPU 1 cannot go offline in this VM");
		return;
	}
	ok(write_str("/sys/devices/system/cpu/cpu1/online", "0") == 0, "CPU 1 offline");
	ok(cl_write("policy1", "governor", "powersave") == 0 &&
	   cl_write("policy1", "governor", "userspace") == 0 &&
	   cl_write("policy1", "setspeed", "1200000") == 0,
	   "governors still switch on the offline CPU's cluster");
	ok(write_str("/sys/devices/system/cpu/cpu1/online", "1") == 0, "CPU 1 online again");
	ok(settle_pol(1, "scaling_max_freq", 1200000) == 1200000,
	   "its policy is held at the userspace frequency (%ld)", pol(1, "scaling_max_freq"));
	cl_write("policy1", "governor", "performance");
}

static void test_unload_edgeai_first(void)
{
	ok(sh("rmmod edgeai") == 0, "rmmod edgeai while the fake drivers stay");
	ok(settle_pol(0, "scaling_max_freq", 1600000) == 1600000 &&
	   settle_pol(0, "scaling_min_freq", 400000) == 400000,
	   "policy0 limits back to the hardware's (%ld-%ld)", pol(0, "scaling_min_freq"),
	   pol(0, "scaling_max_freq"));
	ok(read_long(DEVFREQ "min_freq") == 200000000 &&
	   read_long(DEVFREQ "max_freq") == 800000000,
	   "devfreq limits back to the device's (%ld-%ld)",
	   read_long(DEVFREQ "min_freq"),
	   read_long(DEVFREQ "max_freq"));
	ok(sh("rmmod edgeai_fakehw") == 0, "then rmmod the fake drivers");
}

static void test_unload_drivers_first(void)
{
	struct edgeai *h;
	struct edgeai_cluster_desc d;

	ok(load_all("powersave"), "load again, powersave");
	ok(settle_pol(0, "scaling_max_freq", 400000) == 400000, "policy0 held at 400000");
	ok(sh("rmmod edgeai_fakehw") == 0, "rmmod the fake drivers under edgeai");
	ok(edgeai_open(&h) == 0, "edgeai still opens");
	ok(edgeai_cluster_get(h, 0, &d) == 0 && d.info.cur_freq_khz == 400000,
	   "and still answers for the cluster whose policy went");
	ok(cl_write("policy0", "governor", "performance") == 0 &&
	   cl_write("gpu", "governor", "userspace") == 0,
	   "governors switch without the hardware behind them");
	edgeai_close(h);
	ok(sh("insmod " FAKEHW " cpus_per_policy=1") == 0, "the fake drivers come back");
	ok(settle_pol(0, "scaling_max_freq", 1600000) == 1600000 &&
	   pol(0, "scaling_min_freq") == 1600000,
	   "edgeai holds the new policy0 again, at its governor's step");
	ok(cl_write("policy0", "governor", "powersave") == 0 &&
	   settle_pol(0, "scaling_max_freq", 400000) == 400000, "and follows a governor change");
	ok(sh("rmmod edgeai") == 0 && sh("rmmod edgeai_fakehw") == 0, "both unload");
	ok(sh("rmmod governor_simpleondemand") == 0, "devfreq governor unloads");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_discovery();
	test_fixed_governors();
	test_ioctls();
	test_deadline();
	test_host_floor();
	test_switch_under_load();
	test_hotplug();
	test_unload_edgeai_first();
	test_unload_drivers_first();
	return tap_done();
}
