// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Trace Event Format writer of edgeaictl trace: tracks per cluster,
 * stage slices in lanes, frequency counters, instants, exact timestamps,
 * and events mapped onto them.  The output is parsed back as JSON.
 */
#include <string.h>

#include "../../userspace/ctl/ctl.h"
#include "../../userspace/ctl/timeline.h"
#include "../../userspace/ctl/trace.h"
#include "../lib/tap.h"

/* The trace as the file holds it, parsed again. */
static json_object *roundtrip(struct trace *t)
{
	json_object *o = trace_json(t), *back;

	back = json_tokener_parse(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return back;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

static int64_t num(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -1;
}

/* How many events match ph (and name, pid when given). */
static int count(json_object *ev, const char *ph, const char *name, int pid)
{
	size_t i, n = json_object_array_length(ev);
	int c = 0;

	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(ev, i);

		if (strcmp(str(e, "ph"), ph))
			continue;
		if (name && strcmp(str(e, "name"), name))
			continue;
		if (pid >= 0 && num(e, "pid") != pid)
			continue;
		c++;
	}
	return c;
}

/* The metadata value (args.name) of ph M @what for @pid/@tid. */
static const char *meta_name(json_object *ev, const char *what, int pid, int tid)
{
	size_t i, n = json_object_array_length(ev);

	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(ev, i), *args;

		if (strcmp(str(e, "ph"), "M") || strcmp(str(e, "name"), what) ||
		    num(e, "pid") != pid || (tid >= 0 && num(e, "tid") != tid))
			continue;
		if (json_object_object_get_ex(e, "args", &args))
			return str(args, "name");
	}
	return NULL;
}

static json_object *find_slice(json_object *ev, const char *name)
{
	size_t i, n = json_object_array_length(ev);

	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(ev, i);

		if (!strcmp(str(e, "ph"), "X") && !strcmp(str(e, "name"), name))
			return e;
	}
	return NULL;
}

static void test_layout(void)
{
	struct trace *t = trace_new();
	json_object *o, *ev, *e, *v, *args;
	const char *text;
	json_object *raw;

	trace_cluster(t, 0, "little", "cpu", 1416000);
	trace_cluster(t, 1, "gpu", "gpu", 800000);
	trace_freq(t, 0, 1000000, 400000);
	trace_freq(t, 0, 2000500, 1400000);
	/* Two slices overlap on little: two lanes; the third fits lane 1. */
	trace_stage(t, 0, 1000000, 3000000, "a #0", NULL);
	trace_stage(t, 0, 2000000, 2500000, "b #0", NULL);
	trace_stage(t, 0, 3000000, 4000000, "c #0", NULL);
	trace_stage(t, 1, 1500000, 1700000, "a #1", json_object_new_object());
	trace_stage(t, 1, 5, 4, "backwards", NULL);
	trace_instant(t, 1, 1600000, "overload", NULL);
	trace_instant(t, -1, 1700000, "job-rejected", NULL);
	ok(trace_nr_stages(t) == 4, "a slice that ends before it starts is dropped");

	raw = trace_json(t);
	text = json_object_to_json_string_ext(raw, JSON_C_TO_STRING_PLAIN);
	ok(strstr(text, "\"ts\":2000.500") != NULL,
	   "timestamps in microseconds with 3 exact decimals");
	json_object_put(raw);
	o = roundtrip(t);
	ok(o != NULL, "the trace parses as JSON");
	if (!o) {
		trace_free(t);
		return;
	}
	ok(json_object_object_get_ex(o, "traceEvents", &ev) &&
	   json_object_is_type(ev, json_type_array), "traceEvents is an array");
	ok(!strcmp(str(o, "displayTimeUnit"), "ms"), "displayTimeUnit");
	ok(trace_nr_lanes(t, 0) == 2, "little needs two lanes (%u)", trace_nr_lanes(t, 0));
	ok(trace_nr_lanes(t, 1) == 1, "gpu needs one lane");

	ok(meta_name(ev, "process_name", TRACE_PID_CLUSTER(0), -1) &&
	   !strcmp(meta_name(ev, "process_name", TRACE_PID_CLUSTER(0), -1),
		   "cluster little (cpu)"), "cluster 0's track is named");
	ok(meta_name(ev, "process_name", TRACE_PID_CLUSTER(1), -1) &&
	   !strcmp(meta_name(ev, "process_name", TRACE_PID_CLUSTER(1), -1),
		   "cluster gpu (gpu)"), "cluster 1's track is named");
	ok(meta_name(ev, "thread_name", TRACE_PID_CLUSTER(0), 2) &&
	   !strcmp(meta_name(ev, "thread_name", TRACE_PID_CLUSTER(0), 2), "stages 2"),
	   "little's second lane is a thread \"stages 2\"");
	ok(meta_name(ev, "process_name", TRACE_PID_EDGEAI, -1) &&
	   !strcmp(meta_name(ev, "process_name", TRACE_PID_EDGEAI, -1), "edgeai"),
	   "the edgeai track is named");
	ok(!meta_name(ev, "process_name", TRACE_PID_CLUSTER(2), -1),
	   "no track for a cluster the trace never mentions");

	ok(count(ev, "X", NULL, TRACE_PID_CLUSTER(0)) == 3, "three slices on little");
	ok(count(ev, "X", NULL, TRACE_PID_CLUSTER(1)) == 1, "one slice on gpu");
	e = find_slice(ev, "a #0");
	ok(e && num(e, "tid") == 1, "the first slice is on lane 1");
	e = find_slice(ev, "b #0");
	ok(e && num(e, "tid") == 2, "the overlapping slice is on lane 2");
	ok(e && json_object_object_get_ex(e, "dur", &v) &&
	   json_object_get_double(v) == 500.0, "its duration is 500 us");
	e = find_slice(ev, "c #0");
	ok(e && num(e, "tid") == 1, "a slice starting as another ends reuses its lane");
	e = find_slice(ev, "a #1");
	ok(e && json_object_object_get_ex(e, "args", &args), "slice args kept");

	ok(count(ev, "C", "frequency", TRACE_PID_CLUSTER(0)) == 2,
	   "two frequency samples on little");
	e = NULL;
	{
		size_t i;

		for (i = 0; i < json_object_array_length(ev); i++) {
			json_object *c = json_object_array_get_idx(ev, i);

			if (!strcmp(str(c, "ph"), "C"))
				e = c;
		}
	}
	ok(e && json_object_object_get_ex(e, "args", &args) &&
	   num(args, "kHz") == 1400000, "a counter's value is args.kHz");
	ok(count(ev, "i", "overload", TRACE_PID_CLUSTER(1)) == 1,
	   "instant on a cluster's track");
	ok(count(ev, "i", "job-rejected", TRACE_PID_EDGEAI) == 1,
	   "instant on the edgeai track");
	{
		json_object *other, *cl, *c1;

		ok(json_object_object_get_ex(o, "otherData", &other) &&
		   json_object_object_get_ex(other, "clusters", &cl) &&
		   json_object_array_length(cl) == 2 &&
		   (c1 = json_object_array_get_idx(cl, 1)) && num(c1, "id") == 1 &&
		   !strcmp(str(c1, "name"), "gpu") && num(c1, "max_khz") == 800000,
		   "otherData.clusters names each cluster with its top step");
	}
	json_object_put(o);
	trace_free(t);
}

/* How many times @needle occurs in @hay. */
static int occurs(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Two recordings drawn as one picture: panels, colours per graph kept
 * across panels, lanes, the frequency line, names escaped. */
static void test_timeline(void)
{
	struct trace *a = trace_new(), *b = trace_new();
	struct timeline *tl = timeline_new();
	json_object *ja, *jb, *args;
	char *svg = NULL;
	size_t len = 0;
	FILE *f;

	trace_cluster(a, 0, "big", "cpu", 1800000);
	trace_freq(a, 0, 1000000000, 600000);
	trace_freq(a, 0, 1500000000, 1800000);
	args = json_object_new_object();
	json_object_object_add(args, "graph", json_object_new_string("cam<1>"));
	trace_stage(a, 0, 1100000000, 1200000000, "cam<1> #0", args);
	args = json_object_new_object();
	json_object_object_add(args, "graph", json_object_new_string("batch"));
	trace_stage(a, 0, 1150000000, 1300000000, "batch #0", args);
	trace_freq(a, 0, 2000000000, 1800000);
	/* b: no otherData top step known, one graph shared with a. */
	trace_freq(b, 0, 5000000000, 900000);
	args = json_object_new_object();
	json_object_object_add(args, "graph", json_object_new_string("batch"));
	trace_stage(b, 0, 5100000000, 5400000000, "batch #0", args);
	ja = trace_json(a);
	jb = trace_json(b);
	ok(timeline_add(tl, "without", ja) == 0 && timeline_add(tl, "with & more", jb) == 0,
	   "two traces become two panels");
	ok(timeline_add(tl, "x", json_object_new_object()) == -EINVAL,
	   "a JSON object that is no trace is refused");
	ok(timeline_nr_panels(tl) == 2, "two panels (%u)", timeline_nr_panels(tl));
	ok(timeline_nr_stages(tl, 0) == 2 && timeline_nr_stages(tl, 1) == 1,
	   "stages per panel: 2 and 1");
	ok(timeline_nr_graphs(tl) == 2, "graphs named across panels count once");
	f = open_memstream(&svg, &len);
	ok(f && timeline_svg(tl, f) == 0 && fclose(f) == 0 && svg, "the picture is written");
	if (svg) {
		ok(!strncmp(svg, "<svg ", 5) && strstr(svg, "</svg>\n"), "an SVG document");
		ok(strstr(svg, "cam&lt;1&gt;") != NULL && !strstr(svg, "cam<1>") &&
		   strstr(svg, "with &amp; more") != NULL, "names are escaped as XML text");
		ok(occurs(svg, "fill=\"#0072b2\"") == 2,
		   "cam's colour: one stage and its legend swatch");
		ok(occurs(svg, "fill=\"#e69f00\"") == 3,
		   "batch keeps one colour in both panels (two stages and a swatch)");
		ok(occurs(svg, "<polyline class=\"freq\"") == 2, "a frequency line per panel");
		ok(strstr(svg, "top 1800 MHz") && strstr(svg, "top 900 MHz") != NULL,
		   "scaled to the top step, or to the most seen when it is unknown");
		ok(strstr(svg, "height=\"20.0\"") != NULL, "overlapping stages share the row in two lanes");
	}
	free(svg);
	json_object_put(ja);
	json_object_put(jb);
	timeline_free(tl);
	trace_free(a);
	trace_free(b);
}

static void test_events(void)
{
	struct trace *t = trace_new();
	struct edgeai_event ev;
	json_object *o, *ev_arr;

	memset(&ev, 0, sizeof(ev));
	ev.type = EDGEAI_NL_CMD_JOB_DONE;
	ev.job_id = 5;
	ev.pid = 100;
	snprintf(ev.graph_name, sizeof(ev.graph_name), "net");
	ev.status = EDGEAI_JOB_DEADLINE_MISSED;
	ev.present[0] = 1ull << EDGEAI_NL_A_STATUS | 1ull << EDGEAI_NL_A_STAGES;
	ev.nr_stages = 3;
	ev.stages[0] = (struct edgeai_event_stage){ 0, 400000, 1000, 2000 };
	ev.stages[1] = (struct edgeai_event_stage){ 2, 800000, 2500, 4000 };
	ev.stages[2] = (struct edgeai_event_stage){ 1, 800000, 0, 0 };
	trace_event(t, &ev, 9000, 0);
	ok(trace_nr_stages(t) == 2, "a job's stages that ran become slices; one that never ran does not");

	ev.stages[0] = (struct edgeai_event_stage){ 0, 400000, 100, 200 };
	ev.nr_stages = 1;
	trace_event(t, &ev, 9000, 500);
	ok(trace_nr_stages(t) == 2, "a stage that ended before the recording is left out");

	/* An anytime job that ended at exit 0, after its stage 0. */
	ev.status = EDGEAI_JOB_DONE_EXIT;
	ev.exit_index = 0;
	ev.accuracy_ppm = 700000;
	ev.present[0] |= 1ull << EDGEAI_NL_A_EXIT | 1ull << EDGEAI_NL_A_ACCURACY_PPM;
	ev.stages[0] = (struct edgeai_event_stage){ 0, 400000, 5000, 6000 };
	trace_event(t, &ev, 9000, 0);

	memset(&ev, 0, sizeof(ev));
	ev.type = EDGEAI_NL_CMD_FREQ_CHANGE;
	ev.cluster_id = 2;
	ev.freq_khz = 1200000;
	ev.time_ns = 3000;
	ev.present[0] = 1ull << EDGEAI_NL_A_CLUSTER_ID | 1ull << EDGEAI_NL_A_FREQ_KHZ |
		1ull << EDGEAI_NL_A_TIME_NS;
	trace_event(t, &ev, 9000, 0);
	memset(&ev, 0, sizeof(ev));
	ev.type = EDGEAI_EVENT_MODULE_UNLOADED;
	trace_event(t, &ev, 9500, 0);
	memset(&ev, 0, sizeof(ev));
	ev.type = EDGEAI_NL_CMD_GOVERNOR_CHANGE;
	ev.cluster_id = 0;
	ev.present[0] = 1ull << EDGEAI_NL_A_CLUSTER_ID;
	trace_event(t, &ev, 9600, 0);

	o = roundtrip(t);
	ok(o && json_object_object_get_ex(o, "traceEvents", &ev_arr), "parses");
	if (o) {
		ok(count(ev_arr, "X", "net #1", TRACE_PID_CLUSTER(2)) == 1,
		   "stage 1 is a slice \"net #1\" on cluster 2");
		ok(count(ev_arr, "C", "frequency", TRACE_PID_CLUSTER(2)) == 1,
		   "freq-change is a counter sample on its cluster");
		ok(count(ev_arr, "i", "deadline-missed", TRACE_PID_EDGEAI) == 2,
		   "each late job is an instant on the edgeai track");
		ok(count(ev_arr, "i", "done-exit", TRACE_PID_EDGEAI) == 1,
		   "a job that ended at an exit is an instant on the edgeai track");
		ok(count(ev_arr, "i", "module-unloaded", TRACE_PID_EDGEAI) == 1,
		   "the module going is an instant on the edgeai track");
		ok(count(ev_arr, "i", "governor", TRACE_PID_CLUSTER(0)) == 1,
		   "a governor change is an instant on its cluster");
		ok(meta_name(ev_arr, "process_name", TRACE_PID_CLUSTER(2), -1) &&
		   !strcmp(meta_name(ev_arr, "process_name", TRACE_PID_CLUSTER(2), -1),
			   "cluster 2"), "a cluster never named still gets a track");
	}
	json_object_put(o);
	trace_free(t);
}

static void test_empty(void)
{
	struct trace *t = trace_new();
	json_object *o = roundtrip(t), *ev;

	ok(o && json_object_object_get_ex(o, "traceEvents", &ev) &&
	   count(ev, "X", NULL, -1) == 0 && count(ev, "M", NULL, -1) == 3,
	   "an empty recording is a valid trace with the edgeai track only");
	json_object_put(o);
	trace_free(t);
}

int main(void)
{
	test_layout();
	test_events();
	test_empty();
	test_timeline();
	return tap_done();
}
