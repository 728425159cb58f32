// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl's logic that needs no kernel: the command table, option
 * parsing, numbers in and out, per-graph figures of top, events as JSON
 * and text.
 */
#include <errno.h>
#include <string.h>

#include "../../userspace/ctl/ctl.h"
#include "../../userspace/ctl/opts.h"
#include "../../userspace/ctl/top.h"
#include "../lib/tap.h"

static void test_find_cmd(void)
{
	const struct ctl_cmd *c;
	bool amb;

	c = ctl_find_cmd("status", &amb);
	ok(c && !strcmp(c->name, "status") && !amb, "exact name finds status");
	c = ctl_find_cmd("cl", &amb);
	ok(c && !strcmp(c->name, "clusters"), "unique prefix cl finds clusters");
	c = ctl_find_cmd("gov", &amb);
	ok(c && !strcmp(c->name, "governor"), "prefix gov finds governor");
	c = ctl_find_cmd("t", &amb);
	ok(!c && amb, "prefix t is ambiguous (top, trace)");
	c = ctl_find_cmd("tr", &amb);
	ok(c && !strcmp(c->name, "trace"), "prefix tr finds trace");
	c = ctl_find_cmd("frequency", &amb);
	ok(!c && !amb, "a longer word than a command matches nothing");
	c = ctl_find_cmd("", &amb);
	ok(!c, "an empty word matches nothing");
	ok(ctl_nr_cmds == 11, "eleven commands in the table (%u)", ctl_nr_cmds);
}

static void test_u32(void)
{
	uint32_t v;

	ok(!ctl_parse_u32("0", &v) && v == 0, "u32 0");
	ok(!ctl_parse_u32("4294967295", &v) && v == 4294967295u, "u32 max");
	ok(ctl_parse_u32("4294967296", &v) == -ERANGE, "u32 max + 1 is ERANGE");
	ok(ctl_parse_u32("-1", &v) == -EINVAL, "u32 -1 refused");
	ok(ctl_parse_u32("", &v) == -EINVAL, "u32 empty refused");
	ok(ctl_parse_u32("12a", &v) == -EINVAL, "u32 trailing junk refused");
	ok(ctl_parse_u32(" 1", &v) == -EINVAL, "u32 leading space refused");
	ok(ctl_parse_u32("+1", &v) == -EINVAL, "u32 sign refused");
}

static void test_freq(void)
{
	static const struct {
		const char *in;
		int ret;
		uint32_t khz;
	} cases[] = {
		{ "1400000", 0, 1400000 },
		{ "1400000kHz", 0, 1400000 },
		{ "1400MHz", 0, 1400000 },
		{ "1.4GHz", 0, 1400000 },
		{ "1.4 GHz", 0, 1400000 },
		{ "600mhz", 0, 600000 },
		{ "1.416GHz", 0, 1416000 },
		{ "2000000Hz", 0, 2000 },
		{ "1500Hz", -EINVAL, 0 },
		{ "1.5", -EINVAL, 0 },
		{ "0", -EINVAL, 0 },
		{ "abc", -EINVAL, 0 },
		{ "-5", -EINVAL, 0 },
		{ "5000GHz", -ERANGE, 0 },
		{ "100 W", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t khz = 0;
		int ret = ctl_parse_freq(cases[i].in, &khz);

		ok(ret == cases[i].ret && (ret || khz == cases[i].khz),
		   "freq \"%s\" -> %d %u (want %d %u)", cases[i].in, ret, khz,
		   cases[i].ret, cases[i].khz);
	}
}

static void test_duration(void)
{
	static const struct {
		const char *in;
		int ret;
		uint64_t ns;
	} cases[] = {
		{ "2", 0, 2000000000ull },
		{ "1.5s", 0, 1500000000ull },
		{ "500ms", 0, 500000000ull },
		{ "100us", 0, 100000ull },
		{ "250ns", 0, 250ull },
		{ "2m", 0, 120000000000ull },
		{ "1h", 0, 3600000000000ull },
		{ "0", -EINVAL, 0 },
		{ "0.1ns", -EINVAL, 0 },
		{ "5x", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "s", -EINVAL, 0 },
		{ "99999999999h", -ERANGE, 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t ns = 0;
		int ret = ctl_parse_duration(cases[i].in, &ns);

		ok(ret == cases[i].ret && (ret || ns == cases[i].ns),
		   "duration \"%s\" -> %d %llu (want %d %llu)", cases[i].in, ret,
		   (unsigned long long)ns, cases[i].ret,
		   (unsigned long long)cases[i].ns);
	}
}

static void test_format(void)
{
	static const struct {
		uint32_t khz;
		const char *out;
	} freqs[] = {
		{ 1400000, "1.4 GHz" }, { 600000, "600 MHz" }, { 1800000, "1.8 GHz" },
		{ 200, "200 kHz" }, { 1416000, "1.42 GHz" }, { 2000000, "2 GHz" },
		{ 12500, "12.5 MHz" }, { 1000, "1 MHz" },
	};
	static const struct {
		uint64_t ns;
		const char *out;
	} times[] = {
		{ 850, "850 ns" }, { 12300, "12.3 us" }, { 1234567, "1.23 ms" },
		{ 2500000000ull, "2.5 s" }, { 0, "0 ns" }, { 1000000, "1 ms" },
		{ 123456789, "123 ms" },
	};
	char buf[64];
	unsigned int i;

	for (i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++)
		ok(!strcmp(ctl_fmt_freq(buf, sizeof(buf), freqs[i].khz), freqs[i].out),
		   "%u kHz prints as \"%s\" (got \"%s\")", freqs[i].khz, freqs[i].out, buf);
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		ok(!strcmp(ctl_fmt_ns(buf, sizeof(buf), times[i].ns), times[i].out),
		   "%llu ns prints as \"%s\" (got \"%s\")",
		   (unsigned long long)times[i].ns, times[i].out, buf);
}

static void test_cpus(void)
{
	uint64_t w[2] = { 0 };
	char buf[64];

	ok(!strcmp(ctl_fmt_cpus(buf, sizeof(buf), w, 2), ""), "no CPUs: empty");
	w[0] = 0xf;
	ok(!strcmp(ctl_fmt_cpus(buf, sizeof(buf), w, 2), "0-3"), "0-3 (got %s)", buf);
	w[0] = 0x10f;
	ok(!strcmp(ctl_fmt_cpus(buf, sizeof(buf), w, 2), "0-3,8"), "0-3,8 (got %s)", buf);
	w[0] = 0x5;
	ok(!strcmp(ctl_fmt_cpus(buf, sizeof(buf), w, 2), "0,2"), "0,2 (got %s)", buf);
	w[0] = 1ull << 63;
	w[1] = 3;
	ok(!strcmp(ctl_fmt_cpus(buf, sizeof(buf), w, 2), "63-65"),
	   "a range across words: 63-65 (got %s)", buf);
	w[0] = ~0ull;
	w[1] = ~0ull;
	ok(!strcmp(ctl_fmt_cpus(buf, sizeof(buf), w, 2), "0-127"), "all: 0-127 (got %s)", buf);
}

static void test_lists(void)
{
	char words[4][EDGEAI_GOV_NAME_LEN];
	uint32_t v[4];

	ok(ctl_split_words("performance powersave  userspace\n", words, 4) == 3 &&
	   !strcmp(words[2], "userspace"), "three governors split");
	ok(ctl_split_words("a b c d e f", words, 4) == 4, "split stops at its room");
	ok(ctl_split_words("", words, 4) == 0, "nothing to split");
	ok(ctl_parse_u32_list("400000 800000 1400000", v, 4) == 3 && v[2] == 1400000,
	   "frequency list parsed");
	ok(ctl_parse_u32_list("1 x", v, 4) == -EINVAL, "junk in a list refused");
	ok(ctl_parse_u32_list("1 2 3 4 5", v, 4) == -EINVAL, "a list too long refused");
	ok(ctl_parse_u32_list(" ", v, 4) == 0, "an empty list");
}

static void test_getopt(void)
{
	struct ctl ctl = { .sysfs = "/nonexistent" };
	bool amb;
	const struct ctl_cmd *mon = ctl_find_cmd("monitor", &amb);
	char *argv1[] = { "monitor", "-c", "5", "--no-jobs", "-j", "--timeout=2s", NULL };
	char *argv2[] = { "monitor", "--bogus", NULL };
	char *argv3[] = { "monitor", "-c", NULL };
	char *argv4[] = { "monitor", "extra", "-p", NULL };
	struct ctl_args a;
	const char *arg;
	int keys[8], n = 0, k;
	const char *args[8];

	ctl_args_init(&a, mon);
	while ((k = ctl_getopt(&ctl, &a, 6, argv1, &arg)) > 0 && n < 8) {
		args[n] = arg;
		keys[n++] = k;
	}
	ok(k == 0 && n == 3 && keys[0] == 'c' && !strcmp(args[0], "5") &&
	   keys[1] == OPT_NO_JOBS && keys[2] == 't' && !strcmp(args[2], "2s"),
	   "monitor options parsed in order (%d keys)", n);
	ok(ctl.json, "-j among a command's options sets JSON");

	ctl_args_init(&a, mon);
	fprintf(stderr, "# expected message follows\n");
	ok(ctl_getopt(&ctl, &a, 2, argv2, &arg) == -1, "unknown option is a usage error");
	ctl_args_init(&a, mon);
	ok(ctl_getopt(&ctl, &a, 2, argv3, &arg) == -1, "missing argument is a usage error");

	ctl_args_init(&a, mon);
	ok(ctl_getopt(&ctl, &a, 3, argv4, &arg) == 0 && ctl.pretty && optind == 2 &&
	   !strcmp(argv4[optind], "extra"),
	   "options after an operand are taken, the operand left");
}

static struct edgeai_event job_done(uint32_t pid, uint32_t graph, const char *name,
				    uint64_t latency, int late)
{
	struct edgeai_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = EDGEAI_NL_CMD_JOB_DONE;
	ev.pid = pid;
	ev.graph_id = graph;
	snprintf(ev.graph_name, sizeof(ev.graph_name), "%s", name);
	ev.latency_ns = latency;
	ev.status = late ? EDGEAI_JOB_DEADLINE_MISSED : EDGEAI_JOB_DONE;
	ev.deadline_ns = 1;
	ev.present[0] = 1ull << EDGEAI_NL_A_PID | 1ull << EDGEAI_NL_A_GRAPH_ID |
		1ull << EDGEAI_NL_A_GRAPH_NAME | 1ull << EDGEAI_NL_A_LATENCY_NS |
		1ull << EDGEAI_NL_A_STATUS | 1ull << EDGEAI_NL_A_DEADLINE_NS;
	if (!late)
		ev.present[0] |= 1ull << EDGEAI_NL_A_DEADLINE_MET;
	return ev;
}

static void test_top(void)
{
	struct top_graphs g = { 0 };
	struct edgeai_event e;

	ok(top_busy_pct(0, 500000000, 1000000000) == 50.0, "busy half the time: 50%%");
	ok(top_busy_pct(100, 2000000100, 1000000000) == 200.0,
	   "two executors busy all the time: 200%%");
	ok(top_busy_pct(500, 100, 1000000000) == 0.0, "a counter that went back: 0%%");
	ok(top_busy_pct(0, 100, 0) == 0.0, "no wall time: 0%%");

	e = job_done(10, 1, "net", 1000, 0);
	top_graphs_add(&g, &e);
	e = job_done(10, 1, "net", 3000, 1);
	top_graphs_add(&g, &e);
	e = job_done(11, 1, "net", 500, 0);
	top_graphs_add(&g, &e);
	e.type = EDGEAI_NL_CMD_FREQ_CHANGE;
	top_graphs_add(&g, &e);
	ok(g.nr == 2, "two graphs: same id in two processes are two (%u)", g.nr);
	ok(g.graphs[0].jobs == 2 && g.graphs[0].misses == 1 &&
	   g.graphs[0].latency_sum == 4000 && g.graphs[0].latency_max == 3000,
	   "jobs, misses, latency of the first graph");
	top_graphs_tick(&g);
	ok(g.graphs[0].jobs == 0 && g.graphs[0].jobs_total == 2 &&
	   g.graphs[0].misses_total == 1, "a tick clears the interval, keeps totals");
}

static void test_event_json(void)
{
	struct edgeai_event ev = job_done(42, 3, "mobilenet", 12345, 1);
	json_object *o, *v;
	char text[256];

	ev.job_id = 7;
	ev.present[0] |= 1ull << EDGEAI_NL_A_JOB_ID;
	ev.nr_stages = 1;
	ev.stages[0] = (struct edgeai_event_stage){ 1, 600000, 100, 200 };
	ev.present[0] |= 1ull << EDGEAI_NL_A_STAGES;
	o = ctl_event_json(&ev, 0);
	ok(json_object_object_get_ex(o, "event", &v) &&
	   !strcmp(json_object_get_string(v), "job-done"), "job-done named");
	ok(json_object_object_get_ex(o, "deadline_met", &v) && !json_object_get_boolean(v),
	   "deadline_met false when the flag is absent");
	ok(json_object_object_get_ex(o, "status", &v) &&
	   !strcmp(json_object_get_string(v), "deadline-missed"), "status in words");
	ok(json_object_object_get_ex(o, "graph", &v) &&
	   !strcmp(json_object_get_string(v), "mobilenet"), "graph name");
	ok(json_object_object_get_ex(o, "stages", &v) &&
	   json_object_array_length(v) == 1, "stages array");
	ok(!json_object_object_get_ex(o, "cluster_id", &v),
	   "absent attributes are left out");
	json_object_put(o);
	ctl_event_text(text, sizeof(text), &ev);
	ok(strstr(text, "job 7") && strstr(text, "mobilenet") &&
	   strstr(text, "deadline missed") && strstr(text, "12.3 us"),
	   "job-done as text: %s", text);

	/* An anytime job that ended at its exit 1 of 85 %. */
	ev.status = EDGEAI_JOB_DONE_EXIT;
	ev.exit_index = 1;
	ev.accuracy_ppm = 850000;
	ev.present[0] |= 1ull << EDGEAI_NL_A_EXIT | 1ull << EDGEAI_NL_A_ACCURACY_PPM;
	ctl_event_text(text, sizeof(text), &ev);
	ok(strstr(text, "done-exit at exit 1 (85.0 %)") != NULL,
	   "job-done at an exit as text: %s", text);
	o = ctl_event_json(&ev, 0);
	ok(json_object_object_get_ex(o, "exit", &v) && json_object_get_int(v) == 1 &&
	   json_object_object_get_ex(o, "accuracy_ppm", &v) &&
	   json_object_get_int(v) == 850000 &&
	   json_object_object_get_ex(o, "status", &v) &&
	   !strcmp(json_object_get_string(v), "done-exit"),
	   "job-done at an exit as JSON: exit, accuracy_ppm, status");
	json_object_put(o);

	memset(&ev, 0, sizeof(ev));
	ev.type = EDGEAI_NL_CMD_FREQ_CHANGE;
	ev.cluster_id = 1;
	ev.freq_khz = 1800000;
	ev.freq_old_khz = 600000;
	ev.freq_reason = EDGEAI_FREQ_REASON_USER;
	ev.present[0] = 1ull << EDGEAI_NL_A_CLUSTER_ID | 1ull << EDGEAI_NL_A_FREQ_KHZ |
		1ull << EDGEAI_NL_A_FREQ_OLD_KHZ | 1ull << EDGEAI_NL_A_FREQ_REASON;
	ctl_event_text(text, sizeof(text), &ev);
	ok(strstr(text, "cluster 1 600 MHz -> 1.8 GHz (user)") != NULL,
	   "freq-change as text: %s", text);
	o = ctl_event_json(&ev, 0);
	ok(json_object_object_get_ex(o, "old_freq_khz", &v) &&
	   json_object_get_int(v) == 600000 &&
	   json_object_object_get_ex(o, "reason", &v) &&
	   !strcmp(json_object_get_string(v), "user"), "freq-change as JSON");
	json_object_put(o);

	memset(&ev, 0, sizeof(ev));
	ev.type = EDGEAI_NL_CMD_EXEC_DETACH;
	o = ctl_event_json(&ev, 0);
	ok(json_object_object_get_ex(o, "exec_lost", &v) && !json_object_get_boolean(v),
	   "exec-detach says exec_lost false");
	json_object_put(o);

	memset(&ev, 0, sizeof(ev));
	ev.type = EDGEAI_EVENT_MODULE_UNLOADED;
	o = ctl_event_json(&ev, 99);
	ok(json_object_object_get_ex(o, "time_ns", &v) && json_object_get_int64(v) == 99,
	   "module-unloaded carries the local time");
	json_object_put(o);

	memset(&ev, 0, sizeof(ev));
	ev.type = 77;
	o = ctl_event_json(&ev, 0);
	ok(json_object_object_get_ex(o, "event", &v) &&
	   !strcmp(json_object_get_string(v), "unknown") &&
	   json_object_object_get_ex(o, "type", &v) && json_object_get_int(v) == 77,
	   "an unknown command is named by number");
	json_object_put(o);
}

int main(void)
{
	test_find_cmd();
	test_u32();
	test_freq();
	test_duration();
	test_format();
	test_cpus();
	test_lists();
	test_getopt();
	test_top();
	test_event_json();
	return tap_done();
}
