// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaid's configuration parser and the sim backend's cost model, on the
 * host: every key, every error with its line number, the resolution of a
 * cluster's settings, the frequency scaling of a stage's cost.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "board.h"
#include "sim_cost.h"

#include "../lib/tap.h"

static struct conf conf;
static char err[256];

static int parse(const char *text)
{
	conf_init(&conf);
	err[0] = 0;
	return conf_parse(&conf, text, "t.conf", err, sizeof(err));
}

/* The text fails, and the message starts with "t.conf:LINE: " and has @what. */
static void bad(const char *text, unsigned int line, const char *what, const char *desc)
{
	char prefix[32];
	int ret = parse(text);

	snprintf(prefix, sizeof(prefix), "t.conf:%u: ", line);
	ok(ret == -EINVAL && !strncmp(err, prefix, strlen(prefix)) && strstr(err, what),
	   "rejects %s (%s)", desc, err);
}

static void test_good(void)
{
	const struct conf_cluster *big;
	struct conf_cluster r;
	char cpus[64];

	ok(parse("") == 0 && conf.nr_clusters == 0, "empty file");
	ok(parse("# only a comment\n\n   ; another\n") == 0, "comments and blank lines");
	ok(parse("[daemon]\narmnn_backend_path = /opt/armnn/backends\n"
		 "[defaults]\nbackend = none\ncache=4\n"
		 "[cluster big]\n  backend = armnn   # the big cores\n"
		 "armnn_backends = CpuAcc, CpuRef\ncpus = 4-5,7\npower_mw = 1800\n"
		 "[cluster gpu]\nbackend = sim\nsim_cost = scaled\npower_mw=0\r\n") == 0,
	   "a full file parses (%s)", err);
	ok(!strcmp(conf.armnn_backend_path, "/opt/armnn/backends"), "armnn_backend_path");
	ok(conf.nr_clusters == 2, "two cluster sections");
	big = conf_find(&conf, "big");
	ok(big && big->line == 6 && big->backend == CONF_BACKEND_ARMNN, "big: armnn, line 6");
	ok(big && big->nr_prefs == 2 && !strcmp(big->prefs[0], "CpuAcc") &&
	   !strcmp(big->prefs[1], "CpuRef"), "big: backend list, spaces trimmed");
	ok(big && big->cpus_set && CPU_COUNT(&big->cpus) == 3 && CPU_ISSET(4, &big->cpus) &&
	   CPU_ISSET(5, &big->cpus) && CPU_ISSET(7, &big->cpus), "big: cpus 4-5,7");
	if (big) {
		conf_format_cpus(&big->cpus, cpus, sizeof(cpus));
		ok(!strcmp(cpus, "4-5,7"), "CPU set formats back as %s", cpus);
	} else {
		ok(0, "CPU set formats back");
	}
	ok(!conf_find(&conf, "little"), "no section for little");

	conf_resolve(&conf, "big", &r);
	ok(r.backend == CONF_BACKEND_ARMNN && r.cache == 4 && r.power_set && r.power_mw == 1800,
	   "big resolves: own backend and power, cache from [defaults]");
	conf_resolve(&conf, "little", &r);
	ok(r.backend == CONF_BACKEND_NONE && r.cache == 4 && !r.cpus_set && !strcmp(r.name, "little"),
	   "little resolves to [defaults]: not served");
	conf_resolve(&conf, "gpu", &r);
	ok(r.backend == CONF_BACKEND_SIM && r.power_set && r.power_mw == 0 &&
	   r.sim_cost == CONF_SIM_COST_SCALED, "gpu: sim, power 0 is a setting");

	parse("");
	conf_resolve(&conf, "anything", &r);
	ok(r.backend == CONF_BACKEND_SIM && r.cache == CONF_DEFAULT_CACHE && !r.nr_prefs &&
	   r.sim_cost == CONF_SIM_COST_SCALED, "no file: sim, cache %d", CONF_DEFAULT_CACHE);
	ok(parse("[cluster a]\ncpus = 0\n[cluster b-2_x]\ncpus=1-1\n") == 0 &&
	   CPU_COUNT(&conf.clusters[1].cpus) == 1, "single CPUs and names with - and _");
	ok(parse("[cluster a]\nbackend = sim # trailing\n") == 0, "trailing comment");
	ok(parse("[cluster a]\nbackend = sim\n[cluster b]\nbackend = sim") == 0,
	   "last line without a newline");
}

static void test_errors(void)
{
	bad("backend = sim\n", 1, "outside any section", "a key before any section");
	bad("[daemon]\n\n[bogus]\n", 3, "unknown section [bogus]", "an unknown section");
	bad("[cluster]\n", 1, "needs the cluster's name", "[cluster] without a name");
	bad("[cluster a b]\n", 1, "not a cluster name", "a name with a space");
	bad("[cluster abcdefghijabcdefghijabcdefghijab]\n", 1, "not a cluster name",
	    "a name of 32 characters");
	bad("[cluster big]\n[cluster big]\n", 2, "appears twice (first on line 1)",
	    "a duplicate cluster section");
	bad("[daemon]\n[daemon]\n", 2, "[daemon] appears twice", "a duplicate [daemon]");
	bad("[defaults x]\n", 1, "takes no name", "[defaults NAME]");
	bad("[daemon\n", 1, "closing ]", "an unclosed header");
	bad("[cluster a]\nbackend\n", 2, "expected \"key = value\"", "a line without '='");
	bad("[cluster a]\n= sim\n", 2, "missing key", "'=' without a key");
	bad("[cluster a]\nbackend =\n", 2, "empty value", "an empty value");
	bad("[cluster a]\nbackend = gpu\n", 2, "not sim, armnn or none", "an unknown backend");
	bad("[cluster a]\ncolour = red\n", 2, "unknown key \"colour\"", "an unknown key");
	bad("[cluster a]\nbackend = sim\nbackend = armnn\n", 3, "set twice", "a key set twice");
	bad("[daemon]\nbackend = sim\n", 2, "belongs in [defaults] or [cluster NAME]",
	    "a cluster key in [daemon]");
	bad("[cluster a]\narmnn_backend_path = /x\n", 2, "belongs in [daemon]",
	    "a daemon key in a cluster");
	bad("[daemon]\narmnn_backend_path = lib/armnn\n", 2, "not an absolute path",
	    "a relative backend path");
	bad("[defaults]\ncpus = 1\n", 2, "not [defaults]", "cpus in [defaults]");
	bad("[cluster a]\ncpus = 3-1\n", 2, "backwards", "a backwards CPU range");
	bad("[cluster a]\ncpus = 0,,1\n", 2, "not a CPU list", "an empty CPU list entry");
	bad("[cluster a]\ncpus = 1-\n", 2, "not a CPU list", "an open CPU range");
	bad("[cluster a]\ncpus = 99999\n", 2, "beyond", "a CPU beyond CPU_SETSIZE");
	bad("[cluster a]\ncpus = x\n", 2, "not a CPU list", "a CPU list of letters");
	bad("[cluster a]\ncache = 0\n", 2, "out of range (1-1024)", "cache 0");
	bad("[cluster a]\ncache = 12abc\n", 2, "not a number", "a number with junk");
	bad("[cluster a]\ncache = -3\n", 2, "not a number", "a negative number");
	bad("[cluster a]\npower_mw = 99999999999999999999\n", 2, "out of range",
	    "a number that overflows");
	bad("[cluster a]\narmnn_backends = CpuRef,,CpuAcc\n", 2, "empty name",
	    "an empty backend name");
	bad("[cluster a]\narmnn_backends = Cpu-Ref\n", 2, "not a backend name",
	    "a backend name with '-'");
	bad("[cluster a]\narmnn_backends = CpuRef,CpuRef\n", 2, "named twice",
	    "a backend named twice");
	bad("[cluster a]\narmnn_backends = a,b,c,d,e,f,g,h,i\n", 2, "more than 8",
	    "nine backends");
	bad("[cluster a]\nsim_cost = boards\n", 2, "not a cost source", "an unknown cost source");
	{
		static char longline[1200];

		memset(longline, 'x', sizeof(longline) - 1);
		bad(longline, 1, "longer than", "a line of 1199 characters");
	}
	ok(conf_load(&conf, "/nonexistent/edgeaid.conf", err, sizeof(err)) == -ENOENT &&
	   strstr(err, "/nonexistent/edgeaid.conf"), "a missing file: ENOENT, named (%s)", err);
}

static void test_sim_cost(void)
{
	struct sim_query q = {
		.cost_ns = 10000000, .max_freq_khz = 2000000, .freq_khz = 2000000,
		.kind = 1, .power_mw = 1000,
	};
	struct sim_estimate e = { 0 };

	ok(sim_cost_scaled(&q, &e) == 0 && e.time_ns == 10000000 && e.energy_uj == 10000,
	   "at the highest step: cost_ns, full power (%llu ns, %llu uJ)",
	   (unsigned long long)e.time_ns, (unsigned long long)e.energy_uj);
	q.freq_khz = 500000;
	ok(sim_cost_scaled(&q, &e) == 0 && e.time_ns == 40000000,
	   "at a quarter of the frequency: four times as long (%llu ns)",
	   (unsigned long long)e.time_ns);
	ok(e.energy_uj > 0 && e.energy_uj < 40000 * 0.3,
	   "... at much less power: %llu uJ", (unsigned long long)e.energy_uj);
	q.freq_khz = 0;
	ok(sim_cost_scaled(&q, &e) == 0 && e.time_ns == 10000000,
	   "unknown current frequency: taken as the highest");
	q.max_freq_khz = 0;
	ok(sim_cost_scaled(&q, &e) == -EINVAL, "no frequency at all: EINVAL");
	ok(sim_cost_source(CONF_SIM_COST_SCALED) &&
	   !strcmp(sim_cost_source(CONF_SIM_COST_SCALED)->name, "scaled") &&
	   !sim_cost_source(0) && !sim_cost_source(99), "cost sources by name");
}

/* The example shipped next to the daemon stays valid. */
static void test_example(void)
{
#ifdef EDGEAID_EXAMPLE_CONF
	struct conf_cluster r;

	conf_init(&conf);
	ok(conf_load(&conf, EDGEAID_EXAMPLE_CONF, err, sizeof(err)) == 0 && conf.nr_clusters == 4,
	   "edgeaid.conf.example parses (%s)", err);
	conf_resolve(&conf, "gpu", &r);
	ok(r.backend == CONF_BACKEND_ARMNN && !strcmp(r.prefs[0], "GpuAcc"),
	   "... and puts its GPU on GpuAcc");
#else
	skip("no example path compiled in");
#endif
}

/* The "board" source: measured layers of data/boards/rk3399pro. */
static void test_sim_board(void)
{
#ifdef EDGEAI_SRCDIR
	struct sim_query q = {
		.graph_name = "MobileV1:cam", .first_layer = 0, .nr_layers = 14,
		.cost_ns = 1000000, .cluster_name = "big", .kind = EDGEAI_CLUSTER_CPU,
		.freq_khz = 1800000, .max_freq_khz = 1800000,
	};
	const struct sim_cost_source *src = sim_cost_source(CONF_SIM_COST_BOARD);
	struct sim_estimate top, low, gpu_fast, gpu_slow;
	struct board_cost want;
	struct board *b;
	char err[256], dir[512];
	struct conf c;
	int m, e, r;

	conf_init(&c);
	ok(conf_parse(&c, "[daemon]\nboard = rk3399pro\n[defaults]\nsim_cost = board\n", "t",
		      err, sizeof(err)) == 0 && !strcmp(c.board, "rk3399pro") &&
	   c.defaults.sim_cost == CONF_SIM_COST_BOARD, "board and sim_cost = board parse");
	ok(src && !strcmp(src->name, "board"), "the board cost source by name");
	ok(src && src->estimate(&q, &top) == -EINVAL && !sim_cost_board_loaded(),
	   "no board loaded: EINVAL");
	snprintf(dir, sizeof(dir), "%s/data/boards/rk3399pro", EDGEAI_SRCDIR);
	b = board_load(dir, err, sizeof(err));
	if (!b || !src) {
		ok(0, "board loads (%s)", err);
		return;
	}
	sim_cost_set_board(b);
	m = board_model_by_name(b, "MobileV1");
	e = board_element_by_cluster(b, "big");
	board_stage_cost(b, m, 0, 14, e, board_top_step(b, e), -1, &want);
	r = src->estimate(&q, &top);
	ok(r == 0 && top.time_ns == want.time_ns && top.energy_uj > 0,
	   "MobileV1 on big at the top step: the data's time (%.1f ms)", top.time_ns / 1e6);
	q.freq_khz = 600000;
	r = src->estimate(&q, &low);
	ok(r == 0 && low.time_ns > top.time_ns && low.time_ns < top.time_ns * 3,
	   "at 600 MHz slower, by the data not by 1/f (%.1f ms, 1/f says %.1f)",
	   low.time_ns / 1e6, top.time_ns * 3 / 1e6);
	q.graph_name = "test";
	q.cost_ns = 10000000;
	r = src->estimate(&q, &low);
	ok(r == 0 && low.time_ns == 30000000,
	   "a graph the data does not know: scaled (%llu ns)", (unsigned long long)low.time_ns);
	q.graph_name = "Alex";
	q.first_layer = 0;
	q.nr_layers = 8;
	q.cluster_name = "gpu";
	q.kind = EDGEAI_CLUSTER_GPU;
	q.freq_khz = q.max_freq_khz = 800000;
	q.host_freq_khz = 1800000;
	ok(src->estimate(&q, &gpu_fast) == 0, "Alex on the GPU, host at its top");
	q.host_freq_khz = 408000;
	r = src->estimate(&q, &gpu_slow);
	ok(r == 0 && gpu_slow.time_ns > gpu_fast.time_ns,
	   "... slower with the host at 408 MHz (%.1f vs %.1f ms)", gpu_slow.time_ns / 1e6,
	   gpu_fast.time_ns / 1e6);
	q.first_layer = 7;
	q.nr_layers = 5;
	ok(src->estimate(&q, &low) == -EINVAL, "layers past the model's end: EINVAL");
	sim_cost_set_board(NULL);
	board_free(b);
#else
	skip("no source path compiled in");
#endif
}

int main(void)
{
	test_good();
	test_example();
	test_errors();
	test_sim_cost();
	test_sim_board();
	return tap_done();
}
