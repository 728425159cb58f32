// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of libedgeai-board: the loader against the real RK3399Pro
 * files (checked row by row against an independent read of the CSV), and
 * its error handling on broken board directories.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "test_board.h"

static char tmpdir[] = "/tmp/board_test.XXXXXX";

static void put(const char *dir, const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

static void test_csv(void)
{
	char err[256], p[300];
	struct csv c;
	int rc;

	snprintf(p, sizeof(p), "%s/q.csv", tmpdir);
	put(tmpdir, "q.csv", "a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n,,\n\"multi\nline\",2,\n");
	rc = csv_read(p, &c, err, sizeof(err));
	ok(rc == 0 && c.nr_rows == 4, "CSV with quotes and CRLF reads 4 rows (rc %d)", rc);
	if (!rc) {
		ok(!strcmp(c.rows[1][1], "x, \"y\""), "quoted comma and doubled quote: [%s]",
		   c.rows[1][1]);
		ok(csv_blank(&c, 2) && !csv_blank(&c, 1), "blank row detected");
		ok(!strcmp(c.rows[3][0], "multi\nline") && c.nr_fields[3] == 3,
		   "newline inside quotes stays in the field");
		ok(csv_col(&c, "c") == 2 && csv_col(&c, "d") == -1, "columns by name");
		csv_free(&c);
	}
	put(tmpdir, "q.csv", "a,b\n\"open,2\n");
	rc = csv_read(p, &c, err, sizeof(err));
	ok(rc == -EINVAL && strstr(err, "unterminated"), "unterminated quote: %s", err);
}

/* Independent reading of Layers.csv rows, to compare with the library. */
static void test_layers(struct board *b)
{
	char err[256];
	struct csv c;
	int checked = 0, bad = 0, gi, ci, fi, hi, li, mi, ti;

	if (csv_read(BOARD_DIR "/Layers.csv", &c, err, sizeof(err))) {
		ok(0, "read Layers.csv: %s", err);
		return;
	}
	gi = csv_col(&c, "Graph"), ci = csv_col(&c, "Component");
	fi = csv_col(&c, "Freq"), hi = csv_col(&c, "Freq_Host");
	li = csv_col(&c, "Layer"), mi = csv_col(&c, "Metric"), ti = csv_col(&c, "Time");
	for (size_t r = 1; r < c.nr_rows; r += 7) {
		struct board_cost bc;
		int m, e, s, h, l;

		if (csv_blank(&c, r) || strcmp(c.rows[r][mi], "task"))
			continue;
		m = board_model_by_name(b, c.rows[r][gi]);
		e = board_element_by_code(b, c.rows[r][ci][0]);
		s = atoi(c.rows[r][fi]);
		h = atoi(c.rows[r][hi]);
		l = atoi(c.rows[r][li]);
		if (board_element(b, e)->kind == BOARD_NPU)
			s = 0;
		/* Inside an NPU call a layer costs the fusion factor x its task. */
		if (board_layer_cost(b, m, l, e, s, h, &bc) ||
		    llabs((long long)bc.time_ns - llround(atof(c.rows[r][ti]) * 1e6 *
			   (board_one_call(b, e) ? board_npu_model_fusion(b, m, e) : 1))) > 1)
			bad++;
		checked++;
	}
	ok(checked > 1000 && !bad, "%d task rows match the library's layer cost (%d differ)",
	   checked, bad);

	/* A whole network on one element: in + every task + out. */
	{
		int m = board_model_by_name(b, "MobileV1"), e = board_element_by_code(b, 'B');
		double want = 0;
		struct board_cost bc;

		for (size_t r = 1; r < c.nr_rows; r++)
			if (!csv_blank(&c, r) && !strcmp(c.rows[r][gi], "MobileV1") &&
			    !strcmp(c.rows[r][ci], "B") && !strcmp(c.rows[r][fi], "7"))
				want += atof(c.rows[r][ti]);
		board_stage_cost(b, m, 0, board_model_layers(b, m), e, 7, -1, &bc);
		ok(fabs(bc.time_ns / 1e6 - want) < 1e-3,
		   "whole MobileV1 on B@7 = in + tasks + out (%.3f vs %.3f ms)",
		   bc.time_ns / 1e6, want);
		ok(bc.energy_uj > bc.dyn_energy_uj && bc.dyn_energy_uj > 0,
		   "energy above base power is a part of the total");
	}
	csv_free(&c);
}

/* One metric of one NPU layer of graph g at host step 7, read from the CSV. */
static double npu_metric(const struct csv *c, const char *g, int l, const char *metric)
{
	int gi = csv_col(c, "Graph"), ci = csv_col(c, "Component"), hi = csv_col(c, "Freq_Host");
	int li = csv_col(c, "Layer"), mi = csv_col(c, "Metric"), ti = csv_col(c, "Time");

	for (size_t r = 1; r < c->nr_rows; r++)
		if (!csv_blank(c, r) && !strcmp(c->rows[r][gi], g) &&
		    !strcmp(c->rows[r][ci], "N") && !strcmp(c->rows[r][hi], "7") &&
		    atoi(c->rows[r][li]) == l && !strcmp(c->rows[r][mi], metric))
			return atof(c->rows[r][ti]);
	return NAN;
}

/*
 * The NPU segment model on the real MobileV1 rows: a run of one layer is
 * that layer's measured call (in, NPU_load, NPU_fill_tensor, NPU_run_get,
 * out); a longer run pays one call and the fused rest; the fusion factor
 * reproduces the whole-network reference it was fitted to.
 */
static void test_npu_segment(struct board *b)
{
	int m = board_model_by_name(b, "MobileV1"), n = board_element_by_code(b, 'N');
	int ri = board_ref_find(b, m, n, 0, 7), bad = 0, rc;
	double phi = board_npu_fusion(b, n), loo = 0, want;
	struct board_cost c1, c2, c3;
	char err[256];
	struct csv c;

	if (csv_read(BOARD_DIR "/Layers.csv", &c, err, sizeof(err))) {
		ok(0, "read Layers.csv: %s", err);
		return;
	}
	ok(board_one_call(b, n) && phi > 0 && phi < 1 && board_npu_calibrated_layers(b, n) == 14,
	   "the NPU runs in one call, fusion factor %.4f fitted on a 14-layer network", phi);
	for (int l = 0; l < 14; l++) {
		want = npu_metric(&c, "MobileV1", l, "in") + npu_metric(&c, "MobileV1", l, "NPU_load") +
		       npu_metric(&c, "MobileV1", l, "NPU_fill_tensor") + npu_metric(&c, "MobileV1", l, "NPU_run_get") +
		       npu_metric(&c, "MobileV1", l, "out");
		if (board_stage_cost(b, m, l, 1, n, 0, 7, &c1) ||
		    fabs(c1.time_ns / 1e6 - want) > 1e-5)
			bad++;
	}
	ok(!bad, "a one-layer NPU run is its measured call, every MobileV1 layer (%d differ)", bad);
	board_stage_cost(b, m, 4, 2, n, 0, 7, &c1);
	want = npu_metric(&c, "MobileV1", 4, "in") + npu_metric(&c, "MobileV1", 4, "NPU_load") + npu_metric(&c, "MobileV1", 4, "task") +
	       phi * npu_metric(&c, "MobileV1", 5, "task") + npu_metric(&c, "MobileV1", 5, "NPU_run_get") -
	       npu_metric(&c, "MobileV1", 5, "task") + npu_metric(&c, "MobileV1", 5, "NPU_fill_tensor") +
	       npu_metric(&c, "MobileV1", 5, "out");
	board_stage_cost(b, m, 4, 1, n, 0, 7, &c2);
	board_stage_cost(b, m, 5, 1, n, 0, 7, &c3);
	ok(fabs(c1.time_ns / 1e6 - want) < 1e-5 && c1.time_ns < c2.time_ns + c3.time_ns,
	   "layers 4-5 in one call: %.3f ms, less than two calls (%.3f ms)",
	   c1.time_ns / 1e6, (c2.time_ns + c3.time_ns) / 1e6);
	board_stage_cost(b, m, 0, 14, n, 0, 7, &c1);
	ok(ri >= 0 && fabs(c1.time_ns / 1e6 - board_ref(b, ri)->time_ms) < 1e-5,
	   "the whole network in one call is its reference (%.3f ms)", c1.time_ns / 1e6);
	/* Left out, no NPU reference remains: every layer at its task time. */
	want = npu_metric(&c, "MobileV1", 0, "in") + npu_metric(&c, "MobileV1", 0, "NPU_load") +
	       npu_metric(&c, "MobileV1", 13, "NPU_run_get") - npu_metric(&c, "MobileV1", 13, "task") +
	       npu_metric(&c, "MobileV1", 13, "NPU_fill_tensor") + npu_metric(&c, "MobileV1", 13, "out");
	for (int l = 0; l < 14; l++)
		want += npu_metric(&c, "MobileV1", l, "task");
	rc = board_ref_loo_ms(b, ri, &loo);
	ok(!rc && fabs(loo - want) < 1e-5,
	   "leave-one-out of the NPU reference: fusion factor 1, %.3f ms", loo);
	board_stage_cost(b, m, 3, 4, n, 0, 7, &c1);
	board_entry_cost(b, m, 3, n, 0, 7, &c2);
	want = c2.time_ns / 1e6;
	for (int l = 3; l < 7; l++) {
		board_layer_cost(b, m, l, n, 0, 7, &c3);
		want += c3.time_ns / 1e6;
	}
	board_exit_cost(b, m, 6, n, 0, 7, &c2);
	want += c2.time_ns / 1e6;
	ok(fabs(c1.time_ns / 1e6 - want) < 1e-5, "NPU stage = entry + layers + exit, as planners add it");
	ok(board_npu_model_fusion(b, m, n) == phi,
	   "MobileV1's runs take the factor fitted to its own reference");
	/*
	 * YOLOv3 has NPU rows but no whole-network NPU reference: what one
	 * call saves is not measured for its layers, so a later layer of a
	 * run costs its measured task time (factor 1).
	 */
	m = board_model_by_name(b, "YOLOv3");
	board_stage_cost(b, m, 4, 2, n, 0, 7, &c1);
	want = npu_metric(&c, "YOLOv3", 4, "in") + npu_metric(&c, "YOLOv3", 4, "NPU_load") +
	       npu_metric(&c, "YOLOv3", 4, "task") + npu_metric(&c, "YOLOv3", 5, "NPU_run_get") +
	       npu_metric(&c, "YOLOv3", 5, "NPU_fill_tensor") + npu_metric(&c, "YOLOv3", 5, "out");
	ok(board_npu_model_fusion(b, m, n) == 1 && fabs(c1.time_ns / 1e6 - want) < 1e-5,
	   "YOLOv3 (no NPU reference): layers 4-5 in one call are %.3f ms, task times unfused",
	   c1.time_ns / 1e6);
	csv_free(&c);
}

static void test_board(void)
{
	char err[256];
	struct board *b = board_load(BOARD_DIR, err, sizeof(err));
	const struct board_element *L, *B, *N;
	const struct board_stats *st;
	struct board_cost c1, c2;
	int m, l, g, bb, n, ll;

	ok(b != NULL, "rk3399pro loads (%s)", b ? "ok" : err);
	if (!b)
		return;
	ok(!strcmp(board_name(b), "rk3399pro"), "board name");
	ok(board_nr_elements(b) == 4, "four elements");
	ll = board_element_by_code(b, 'L');
	bb = board_element_by_code(b, 'B');
	g = board_element_by_code(b, 'G');
	n = board_element_by_code(b, 'N');
	L = board_element(b, ll), B = board_element(b, bb), N = board_element(b, n);
	ok(L && B && N && board_element_by_cluster(b, "big") == bb &&
	   board_element_by_cluster(b, "npu") == n, "clusters by name");
	ok(B->nr_steps == 8 && B->khz[7] == 1800000 && B->khz[0] == 408000,
	   "big steps in kHz from the manifest's MHz");
	ok(N->nr_steps == 1 && N->khz[0] == 0 && N->host == bb && N->kind == BOARD_NPU,
	   "NPU: no DVFS, hosted by big");
	ok(board_step_of_khz(b, bb, 1800000) == 7 && board_step_of_khz(b, bb, 1700000) == 6 &&
	   board_step_of_khz(b, bb, 1) == 0 && board_step_of_khz(b, bb, 5000000) == 7,
	   "kHz to step rounds down, clamps");
	st = board_stats(b);
	ok(st->blank_rows == 8, "8 blank rows skipped (%d)", st->blank_rows);
	ok(st->power_filled == 32, "32 missing powers filled (%d)", st->power_filled);
	ok(st->dup_transfers > 4000, "duplicate transfers merged (%d)", st->dup_transfers);
	ok(board_nr_models(b) == 6, "six networks");
	m = board_model_by_name(b, "YOLOv3");
	ok(board_model_layers(b, m) == 75, "YOLOv3 has 75 layers");
	ok(board_model_layers(b, board_model_by_name(b, "Alex")) == 8, "Alex has 8 layers");
	ok(board_has(b, m, n) && !board_has(b, board_model_by_name(b, "Alex"), n),
	   "NPU data for YOLOv3, none for Alex");
	ok(board_stage_cost(b, board_model_by_name(b, "Alex"), 0, 2, n, 0, 7, &c1) == -ENOENT,
	   "no data is -ENOENT");
	ok(board_stage_cost(b, m, 70, 10, bb, 7, -1, &c1) == -EINVAL, "range past the end is -EINVAL");
	ok(board_stage_cost(b, m, 0, 1, bb, 8, -1, &c1) == -EINVAL, "step out of range is -EINVAL");

	/* Every YOLOv3 NPU task now has a power: energies are all positive. */
	for (l = 0; l < 75; l++)
		if (board_layer_cost(b, m, l, n, 0, 2, &c1) || !(c1.energy_uj > 0))
			break;
	ok(l == 75, "YOLOv3 NPU layers all have energy (stopped at %d)", l);

	m = board_model_by_name(b, "MobileV1");
	board_stage_cost(b, m, 0, 14, g, 4, 7, &c1);
	board_stage_cost(b, m, 0, 14, g, 4, 0, &c2);
	ok(c2.time_ns > c1.time_ns, "GPU is slower with its host at step 0 (%.1f vs %.1f ms)",
	   c2.time_ns / 1e6, c1.time_ns / 1e6);
	board_stage_cost(b, m, 0, 14, g, 4, -1, &c2);
	ok(c2.time_ns == c1.time_ns, "host step -1 means the host's top");

	/* Hand-offs. */
	ok(!board_handoff_cost(b, m, 3, bb, 7, -1, bb, 7, -1, &c1) && c1.time_ns == 0,
	   "no hand-off within an element");
	/* board.json: "host_handoff_as": "L", as the data's producers read it. */
	board_handoff_cost(b, m, 3, bb, 7, -1, ll, 5, -1, &c2);
	l = board_handoff_cost(b, m, 3, bb, 7, -1, n, 0, 7, &c1);
	ok(!l && c1.time_ns > 0 && c1.time_ns == c2.time_ns,
	   "big to its NPU costs big to LITTLE: %.3f ms", c1.time_ns / 1e6);
	ok(!board_handoff_cost(b, m, 3, n, 0, 7, bb, 7, -1, &c1) && c1.time_ns == c2.time_ns,
	   "and so does the NPU back to big");
	l = board_handoff_cost(b, m, 3, ll, 5, -1, g, 4, 7, &c1);
	ok(!l && c1.time_ns > 0, "L to G at top steps: %.3f ms", c1.time_ns / 1e6);
	l = board_handoff_cost(b, m, 3, ll, 5, -1, n, 0, 7, &c2);
	board_handoff_cost(b, m, 3, ll, 5, -1, bb, 7, -1, &c1);
	ok(!l && c2.time_ns > 0 && c2.time_ns == c1.time_ns,
	   "L to NPU costs L to its host: %.3f ms", c2.time_ns / 1e6);
	board_handoff_cost(b, m, 3, bb, 7, -1, g, 4, 7, &c1);
	board_handoff_cost(b, m, 3, bb, 0, -1, g, 4, 0, &c2);
	ok(c2.time_ns > c1.time_ns, "B to G takes longer at big step 0 (%.3f vs %.3f ms)",
	   c2.time_ns / 1e6, c1.time_ns / 1e6);
	ok(board_handoff_cost(b, m, 13, bb, 7, -1, g, 4, 7, &c1) == -EINVAL,
	   "no hand-off after the last layer");

	ok(board_switch_up_ns(b, bb) > board_switch_down_ns(b, bb) &&
	   board_switch_down_ns(b, bb) > 0, "big: up-switches cost more than down (%llu vs %llu ns)",
	   (unsigned long long)board_switch_up_ns(b, bb),
	   (unsigned long long)board_switch_down_ns(b, bb));
	ok(board_switch_ns(b, bb, 3, 3) == 0 && board_switch_ns(b, n, 0, 0) == 0,
	   "no switch, no cost");
	ok(board_base_power_mw(b) > 1000 &&
	   board_step_power_mw(b, bb, 7) > board_step_power_mw(b, bb, 0),
	   "big draws more above base at its top step (%.0f vs %.0f mW)",
	   board_step_power_mw(b, bb, 7), board_step_power_mw(b, bb, 0));
	ok(board_nr_refs(b) >= 4, "literature references loaded (%d)", board_nr_refs(b));
	test_layers(b);
	test_npu_segment(b);
	board_free(b);
}

/*
 * A board with partial data, built from a subset of the RK3399Pro rows:
 * only Layers.csv, Freq as max/min, one layer's rows repeated.
 */
static void test_partial(void)
{
	const char *manifest =
		"{\"name\":\"part\",\"elements\":["
		"{\"code\":\"L\",\"kind\":\"cpu\",\"cluster\":\"little\","
		"\"steps_mhz\":[408,600,816,1008,1200,1416]},"
		"{\"code\":\"B\",\"kind\":\"cpu\",\"cluster\":\"big\","
		"\"steps_mhz\":[408,600,816,1008,1200,1416,1608,1800]}],"
		"\"files\":{\"layers\":\"Layers.csv\"}}";
	int gi, ci, fi, li, mi, ti, rows = 0, m, eb, el, rc;
	double sum_b = 0, task3 = NAN, in0 = NAN;
	char dir[300], err[256], p[400];
	struct board_cost c1, c2;
	struct board *b;
	struct csv c;
	FILE *f;

	if (csv_read(BOARD_DIR "/Layers.csv", &c, err, sizeof(err))) {
		ok(0, "read Layers.csv: %s", err);
		return;
	}
	gi = csv_col(&c, "Graph"), ci = csv_col(&c, "Component"), fi = csv_col(&c, "Freq");
	li = csv_col(&c, "Layer"), mi = csv_col(&c, "Metric"), ti = csv_col(&c, "Time");
	snprintf(dir, sizeof(dir), "%s/partial", tmpdir);
	mkdir(dir, 0755);
	put(dir, "board.json", manifest);
	snprintf(p, sizeof(p), "%s/Layers.csv", dir);
	f = fopen(p, "w");
	if (!f) {
		ok(0, "write %s", p);
		csv_free(&c);
		return;
	}
	fputs("Graph,Component,Freq,Freq_Host,Layer,Metric,Time,Power\n", f);
	for (size_t r = 1; r < c.nr_rows; r++) {
		const char *g = c.rows[r][gi], *e = c.rows[r][ci], *fr = c.rows[r][fi];
		bool top_b = !strcmp(e, "B") && !strcmp(fr, "7");
		bool low_l = !strcmp(e, "L") && !strcmp(fr, "0");

		if (csv_blank(&c, r) || strcmp(g, "MobileV1") || (!top_b && !low_l))
			continue;
		/* The same rows, with the step named instead of numbered. */
		fprintf(f, "%s,%s,%s,-1,%s,%s,%s,%s\n", g, e, top_b ? "max" : "min",
			c.rows[r][li], c.rows[r][mi], c.rows[r][ti], c.rows[r][csv_col(&c, "Power")]);
		rows++;
		if (top_b) {
			sum_b += atof(c.rows[r][ti]);
			if (atoi(c.rows[r][li]) == 3 && !strcmp(c.rows[r][mi], "task")) {
				task3 = atof(c.rows[r][ti]);
				/* A repeat of that layer, 2 ms slower: averaged in. */
				fprintf(f, "%s,B,7,-1,3,task,%.6f,%s\n", g, task3 + 2,
					c.rows[r][csv_col(&c, "Power")]);
			}
			if (atoi(c.rows[r][li]) == 0 && !strcmp(c.rows[r][mi], "in"))
				in0 = atof(c.rows[r][ti]);
		}
	}
	fclose(f);
	csv_free(&c);
	b = board_load(dir, err, sizeof(err));
	ok(b != NULL && rows == 32, "a profile with only Layers.csv (%d real rows) loads (%s)", rows,
	   b ? "ok" : err);
	if (!b)
		return;
	ok(strstr(board_warnings(b), "no transfers file") &&
	   strstr(board_warnings(b), "no freq_switch file") &&
	   strstr(board_warnings(b), "1 repeated rows"),
	   "it warns of what it assumed:\n%s", board_warnings(b));
	m = board_model_by_name(b, "MobileV1");
	eb = board_element_by_code(b, 'B');
	el = board_element_by_code(b, 'L');
	ok(board_stats(b)->repeated_rows == 1, "one repeated row counted");
	rc = board_layer_cost(b, m, 3, eb, 7, -1, &c1);
	ok(!rc && fabs(c1.time_ns / 1e6 - (task3 + 1)) < 1e-5,
	   "the repeated layer costs the mean of its rows (%.4f ms)", c1.time_ns / 1e6);
	rc = board_stage_cost(b, m, 0, 14, eb, 7, -1, &c1);
	ok(!rc && fabs(c1.time_ns / 1e6 - (sum_b + 1)) < 1e-4,
	   "Freq \"max\" is the top step: the whole network on B = its rows (%.3f ms)",
	   c1.time_ns / 1e6);
	ok(!board_stage_cost(b, m, 0, 1, el, 0, -1, &c2) && c2.time_ns > 0 &&
	   board_stage_cost(b, m, 0, 1, el, 5, -1, &c2) == -ENOENT,
	   "Freq \"min\" is the lowest step; other L steps have no data");
	ok(!board_handoff_cost(b, m, 3, el, 0, -1, eb, 7, -1, &c1) && c1.time_ns == 0 &&
	   board_switch_ns(b, eb, 0, 7) == 0,
	   "documented defaults: hand-offs and switches cost 0 ms");
	ok(in0 > 0, "the frame read of layer 0 is in the subset (%.3f ms)", in0);
	board_free(b);
}

static const char *good_manifest =
	"{\"name\":\"t\",\"elements\":[{\"code\":\"B\",\"kind\":\"cpu\",\"cluster\":\"big\","
	"\"steps_mhz\":[100,200]}],\"files\":{\"layers\":\"l.csv\",\"transfers\":\"t.csv\"}}";
static const char *good_layers =
	"Graph,Component,Freq,Freq_Host,Layer,Metric,Time,Power\n"
	"M,B,0,-1,0,in,1.0,3000\nM,B,0,-1,0,task,2.0,3100\nM,B,0,-1,1,task,3.0,\n"
	"M,B,1,-1,0,in,0.5,3000\nM,B,1,-1,0,task,1.0,3500\nM,B,1,-1,1,task,1.5,3600\n";

static void expect_fail(const char *what, const char *manifest, const char *layers,
			const char *transfers, const char *want)
{
	char dir[300], err[256] = "";
	struct board *b;

	snprintf(dir, sizeof(dir), "%s/%s", tmpdir, what);
	mkdir(dir, 0755);
	if (manifest)
		put(dir, "board.json", manifest);
	if (layers)
		put(dir, "l.csv", layers);
	if (transfers)
		put(dir, "t.csv", transfers);
	b = board_load(dir, err, sizeof(err));
	ok(!b && strstr(err, want), "%s: fails with \"%s\"", what, err);
	board_free(b);
}

static void test_malformed(void)
{
	char dir[300], err[256], out[512];
	const char *tr = "Graph,Layer,Dest,Src,Time\n";
	struct board *b;
	struct board_cost c;

	expect_fail("no-manifest", NULL, NULL, NULL, "board.json");
	expect_fail("bad-json", "{\"name\":", good_layers, tr, "parse");
	expect_fail("no-elements", "{\"name\":\"x\",\"files\":{}}", good_layers, tr, "elements");
	expect_fail("bad-kind", "{\"name\":\"t\",\"elements\":[{\"code\":\"B\",\"kind\":\"fpga\","
		    "\"cluster\":\"big\",\"steps_mhz\":[1]}],\"files\":{}}", NULL, NULL, "fpga");
	expect_fail("steps-down", "{\"name\":\"t\",\"elements\":[{\"code\":\"B\",\"kind\":\"cpu\","
		    "\"cluster\":\"big\",\"steps_mhz\":[2,1]}],\"files\":{}}", NULL, NULL, "step 1");
	expect_fail("missing-layers", good_manifest, NULL, tr, "l.csv");
	expect_fail("wrong-column", good_manifest,
		    "Graph,Component,Freq,Freq_Host,Layer,Metric,Tiem,Power\nM,B,0,-1,0,in,1,1\n",
		    tr, "no column \"Time\"");
	expect_fail("bad-number", good_manifest,
		    "Graph,Component,Freq,Freq_Host,Layer,Metric,Time,Power\nM,B,0,-1,0,in,1.2.3,1\n",
		    tr, "l.csv:2");
	expect_fail("negative-time", good_manifest,
		    "Graph,Component,Freq,Freq_Host,Layer,Metric,Time,Power\nM,B,0,-1,0,in,-1,1\n",
		    tr, "Time");
	expect_fail("unknown-element", good_manifest,
		    "Graph,Component,Freq,Freq_Host,Layer,Metric,Time,Power\nM,X,0,-1,0,in,1,1\n",
		    tr, "Component \"X\"");
	expect_fail("step-range", good_manifest,
		    "Graph,Component,Freq,Freq_Host,Layer,Metric,Time,Power\nM,B,5,-1,0,in,1,1\n",
		    tr, "out of range");
	expect_fail("bad-transfer", good_manifest, good_layers,
		    "Graph,Layer,Dest,Src,Time\nM,0,B,B,abc\n", "t.csv:2");
	expect_fail("transfer-unknown-graph", good_manifest, good_layers,
		    "Graph,Layer,Dest,Src,Time\nQ,0,B,B,1\n", "Graph \"Q\"");
	expect_fail("empty-layers", good_manifest, "", tr, "empty");

	/* A minimal good board: loads, fills the missing power, answers. */
	snprintf(dir, sizeof(dir), "%s/good", tmpdir);
	mkdir(dir, 0755);
	put(dir, "board.json", good_manifest);
	put(dir, "l.csv", good_layers);
	put(dir, "t.csv", tr);
	b = board_load(dir, err, sizeof(err));
	ok(b != NULL, "a minimal two-step board loads (%s)", b ? "ok" : err);
	if (b) {
		ok(board_stats(b)->power_filled == 1, "its missing power is filled");
		int rc = board_stage_cost(b, 0, 0, 2, 0, 0, -1, &c);

		ok(!rc && c.time_ns == 6000000, "stage = in + tasks (%llu ns)",
		   (unsigned long long)c.time_ns);
		/* The filled power is the same layer's at the nearest step: none
		 * for a CPU (one host setting), so the setting's mean: 3100. */
		ok(fabs(c.energy_uj - (1.0 * 3000 + 2.0 * 3100 + 3.0 * 3100)) < 1e-6,
		   "energy uses the filled power (%.1f uJ)", c.energy_uj);
		board_free(b);
	}
	ok(board_resolve(dir, out, sizeof(out)) == 0 && !strcmp(out, dir), "resolve a path");
	setenv("EDGEAI_BOARDS", tmpdir, 1);
	ok(board_resolve("good", out, sizeof(out)) == 0 && strstr(out, "good"),
	   "resolve a name under $EDGEAI_BOARDS");
	unsetenv("EDGEAI_BOARDS");
	ok(board_resolve("no-such-board", out, sizeof(out)) == -ENOENT, "unknown board: -ENOENT");
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		ok(0, "mkdtemp");
		return tap_done();
	}
	test_csv();
	test_board();
	test_malformed();
	test_partial();
	{
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd))
			diag("could not remove %s", tmpdir);
	}
	return tap_done();
}
