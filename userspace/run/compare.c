// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-run compare: one table of two runs of the same applications (the
 * demo's "without edgeai" and "with edgeai"): a row per application and
 * run, a row for the whole board per run, then a row of differences per
 * application and for the board.  Every figure is the one the runs
 * recorded; nothing is judged here.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "compare.h"

struct row {
	const char *name, *prio;
	double deadline_ms, fps, p50, p99, energy_j;
	long frames, done, late, refused, dropped;
};

static double num(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_double(v) : 0;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

static void row_of(json_object *a, struct row *r)
{
	r->name = str(a, "name");
	r->prio = str(a, "priority");
	r->deadline_ms = num(a, "deadline_ms");
	r->fps = num(a, "fps");
	r->p50 = num(a, "p50_ms");
	r->p99 = num(a, "p99_ms");
	r->energy_j = num(a, "energy_j");
	r->frames = (long)num(a, "frames");
	r->done = (long)num(a, "done");
	r->late = (long)num(a, "missed");
	r->refused = (long)num(a, "refused");
	r->dropped = (long)num(a, "dropped");
}

static json_object *load(const char *path)
{
	json_object *j = json_object_from_file(path), *apps;

	if (!j || !json_object_object_get_ex(j, "apps", &apps) ||
	    !json_object_is_type(apps, json_type_array)) {
		fprintf(stderr, "edgeai-run: compare: %s is not an `edgeai-run apps --json` summary\n",
			path);
		json_object_put(j);
		return NULL;
	}
	return j;
}

static const char *label(json_object *run, const char *fallback)
{
	const char *l = str(run, "label");

	return *l ? l : fallback;
}

#define HEAD "%-15s %-10s %-10s %8s %6s %6s %6s %8s %8s %6s %7s %9s\n"
#define ROW "%-15s %-10s %-10s %8s %6ld %6ld %6.1f %8.1f %8.1f %6ld %7ld %9.2f\n"
#define DIFF "%-15s %-10s %-10s %8s %+6ld %+6ld %+6.1f %+8.1f %+8.1f %+6ld %+7ld %+9.2f\n"

static void print_run(FILE *out, json_object *run, const char *lab)
{
	json_object *apps, *board;
	size_t i;

	json_object_object_get_ex(run, "apps", &apps);
	for (i = 0; i < json_object_array_length(apps); i++) {
		struct row r;
		char dl[16] = "-";

		row_of(json_object_array_get_idx(apps, i), &r);
		if (r.deadline_ms > 0)
			snprintf(dl, sizeof(dl), "%.0f ms", r.deadline_ms);
		fprintf(out, ROW, lab, r.name, json_object_get_boolean(
			json_object_object_get(run, "fcfs")) ? "normal" : r.prio, dl, r.frames,
			r.done, r.fps, r.p50, r.p99, r.late, r.refused + r.dropped, r.energy_j);
	}
	if (json_object_object_get_ex(run, "board", &board))
		fprintf(out, "%-15s %-10s %-10s %8s %6s %6s %6s %8s %8s %6s %7s %9.2f\n", lab,
			"board", "", "", "", "", "", "", "", "", "", num(board, "energy_j"));
}

int run_compare(const char *before, const char *after, FILE *out)
{
	json_object *b = load(before), *a = b ? load(after) : NULL;
	json_object *ba, *aa, *bb, *ab;
	const char *lb, *la;
	double eb, ea;
	size_t i, k;

	if (!a) {
		json_object_put(b);
		return 1;
	}
	lb = label(b, before);
	la = label(a, after);
	fprintf(out, HEAD, "run", "app", "class", "deadline", "frames", "done", "fps", "p50 ms",
		"p99 ms", "late", "dropped", "energy J");
	print_run(out, b, lb);
	print_run(out, a, la);
	json_object_object_get_ex(b, "apps", &ba);
	json_object_object_get_ex(a, "apps", &aa);
	for (i = 0; i < json_object_array_length(aa); i++) {
		struct row x, y;

		row_of(json_object_array_get_idx(aa, i), &y);
		for (k = 0; k < json_object_array_length(ba); k++) {
			row_of(json_object_array_get_idx(ba, k), &x);
			if (!strcmp(x.name, y.name))
				break;
		}
		if (k == json_object_array_length(ba))
			continue;
		fprintf(out, DIFF, "difference", y.name, "", "", y.frames - x.frames, y.done - x.done,
			y.fps - x.fps, y.p50 - x.p50, y.p99 - x.p99, y.late - x.late,
			(y.refused + y.dropped) - (x.refused + x.dropped), y.energy_j - x.energy_j);
	}
	if (json_object_object_get_ex(b, "board", &bb) &&
	    json_object_object_get_ex(a, "board", &ab)) {
		eb = num(bb, "energy_j");
		ea = num(ab, "energy_j");
		fprintf(out, "%-15s %-10s %-10s %8s %6s %6s %6s %8s %8s %6s %7s %+9.2f", "difference",
			"board", "", "", "", "", "", "", "", "", "", ea - eb);
		if (eb > 0)
			fprintf(out, " (%+.1f %%)", 100 * (ea - eb) / eb);
		fputc('\n', out);
	}
	fprintf(out, "(difference: %s minus %s; late: missed the deadline, done after it or"
		" cancelled once it passed (those: frames - done - dropped); dropped: frames"
		" never run (no free buffer, or refused by admission); energy: the stages' as the"
		" executor reports them, board: every cluster's stages plus the board's base power"
		" over the run)\n", la, lb);
	json_object_put(a);
	json_object_put(b);
	return 0;
}
