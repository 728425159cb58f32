// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl timeline: reading traces back and drawing them (timeline.h).
 *
 * A trace is read as trace.c writes it: clusters from otherData.clusters
 * (or, failing that, the "cluster NAME (KIND)" process names), stages from
 * the "X" events of cluster tracks (their lane is the event's tid, their
 * graph args.graph), frequencies from the "frequency" counters.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "timeline.h"
#include "trace.h"

#define TL_MAX_PANELS	8
#define TL_MAX_GRAPHS	16

/* Geometry, in SVG user units (pixels). */
#define TL_WIDTH	1200
#define TL_LEFT		170	/* cluster names */
#define TL_RIGHT	20
#define TL_TITLE	28
#define TL_ROW		44	/* a cluster */
#define TL_ROW_GAP	8
#define TL_AXIS		26
#define TL_LEGEND	30

struct tl_stage {
	uint64_t start, end;	/* ns */
	unsigned int lane;
	int graph;		/* index in timeline.graphs, -1 unknown */
};

struct tl_freq {
	uint64_t ts;
	uint32_t khz;
};

struct tl_cluster {
	bool used;
	char name[EDGEAI_NAME_LEN];
	char kind[8];
	uint32_t max_khz;	/* the top step, or the most seen */
	unsigned int lanes;
	struct tl_stage *stages;
	unsigned int nr_stages, cap_stages;
	struct tl_freq *freqs;
	unsigned int nr_freqs, cap_freqs;
};

struct tl_panel {
	char label[96];
	uint64_t t0, t1;
	unsigned int nr_stages;
	struct tl_cluster clusters[CTL_MAX_CLUSTERS];
};

struct timeline {
	struct tl_panel panels[TL_MAX_PANELS];
	unsigned int nr_panels;
	char graphs[TL_MAX_GRAPHS][EDGEAI_NAME_LEN];
	unsigned int nr_graphs;
};

/* Colours that stay apart for the colour-blind (Okabe and Ito's). */
static const char *const tl_colours[] = {
	"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
	"#f0e442", "#000000",
};

struct timeline *timeline_new(void)
{
	return calloc(1, sizeof(struct timeline));
}

void timeline_free(struct timeline *tl)
{
	unsigned int p, c;

	if (!tl)
		return;
	for (p = 0; p < tl->nr_panels; p++)
		for (c = 0; c < CTL_MAX_CLUSTERS; c++) {
			free(tl->panels[p].clusters[c].stages);
			free(tl->panels[p].clusters[c].freqs);
		}
	free(tl);
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
		json_object_get_string(v) : NULL;
}

static bool jnum(json_object *o, const char *key, double *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return false;
	*out = json_object_get_double(v);
	return true;
}

/* The cluster of a track's pid, or NULL. */
static struct tl_cluster *tl_cluster_of(struct tl_panel *p, json_object *e)
{
	double pid;
	long id;

	if (!jnum(e, "pid", &pid))
		return NULL;
	id = (long)pid - TRACE_PID_CLUSTER(0);
	if (id < 0 || id >= CTL_MAX_CLUSTERS)
		return NULL;
	return &p->clusters[id];
}

static int tl_graph(struct timeline *tl, const char *name)
{
	unsigned int i;

	if (!name)
		return -1;
	for (i = 0; i < tl->nr_graphs; i++)
		if (!strcmp(tl->graphs[i], name))
			return (int)i;
	if (tl->nr_graphs == TL_MAX_GRAPHS)
		return -1;
	snprintf(tl->graphs[tl->nr_graphs], sizeof(tl->graphs[0]), "%s", name);
	return (int)tl->nr_graphs++;
}

/* Grows *@arr of @size-byte items to hold one more: 0 or -ENOMEM. */
static int tl_grow(void **arr, unsigned int nr, unsigned int *cap, size_t size)
{
	void *n;

	if (nr < *cap)
		return 0;
	n = realloc(*arr, (*cap ? *cap * 2 : 64) * size);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = *cap ? *cap * 2 : 64;
	return 0;
}

static void tl_span(struct tl_panel *p, uint64_t a, uint64_t b)
{
	if (!p->t0 || a < p->t0)
		p->t0 = a;
	if (b > p->t1)
		p->t1 = b;
}

static int tl_event(struct timeline *tl, struct tl_panel *p, json_object *e)
{
	const char *ph = jstr(e, "ph"), *name = jstr(e, "name");
	struct tl_cluster *c = tl_cluster_of(p, e);
	json_object *args = NULL;
	double ts, dur, v;

	if (!ph || !c)
		return 0;
	json_object_object_get_ex(e, "args", &args);
	if (!strcmp(ph, "M")) {
		const char *n = args ? jstr(args, "name") : NULL;
		char kind[8] = "";

		/* "cluster NAME (KIND)", for a trace without otherData. */
		if (!name || strcmp(name, "process_name") || !n || c->name[0] ||
		    strncmp(n, "cluster ", 8))
			return 0;
		c->used = true;
		if (sscanf(n + 8, "%31s (%7[^)])", c->name, kind) >= 1)
			snprintf(c->kind, sizeof(c->kind), "%s", kind);
		return 0;
	}
	if (!jnum(e, "ts", &ts) || ts < 0)
		return 0;
	if (!strcmp(ph, "C") && name && !strcmp(name, "frequency") && args &&
	    jnum(args, "kHz", &v) && v >= 0) {
		if (tl_grow((void **)&c->freqs, c->nr_freqs, &c->cap_freqs, sizeof(*c->freqs)))
			return -ENOMEM;
		c->freqs[c->nr_freqs].ts = (uint64_t)(ts * 1000);
		c->freqs[c->nr_freqs++].khz = (uint32_t)v;
		c->used = true;
		tl_span(p, (uint64_t)(ts * 1000), (uint64_t)(ts * 1000));
	} else if (!strcmp(ph, "X") && jnum(e, "dur", &dur) && dur >= 0) {
		struct tl_stage *s;
		double tid = 1;

		if (tl_grow((void **)&c->stages, c->nr_stages, &c->cap_stages,
			    sizeof(*c->stages)))
			return -ENOMEM;
		s = &c->stages[c->nr_stages++];
		s->start = (uint64_t)(ts * 1000);
		s->end = (uint64_t)((ts + dur) * 1000);
		jnum(e, "tid", &tid);
		s->lane = tid >= 1 && tid <= 32 ? (unsigned int)tid - 1 : 0;
		if (s->lane + 1 > c->lanes)
			c->lanes = s->lane + 1;
		s->graph = tl_graph(tl, args ? jstr(args, "graph") : NULL);
		c->used = true;
		p->nr_stages++;
		tl_span(p, s->start, s->end);
	}
	return 0;
}

static int by_ts(const void *a, const void *b)
{
	const struct tl_freq *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

int timeline_add(struct timeline *tl, const char *label, json_object *trace)
{
	json_object *events, *other, *clusters;
	struct tl_panel *p;
	size_t i, n;
	unsigned int c;
	int ret;

	if (!json_object_object_get_ex(trace, "traceEvents", &events) ||
	    !json_object_is_type(events, json_type_array))
		return -EINVAL;
	if (tl->nr_panels == TL_MAX_PANELS)
		return -ENOSPC;
	p = &tl->panels[tl->nr_panels];
	memset(p, 0, sizeof(*p));
	snprintf(p->label, sizeof(p->label), "%s", label);
	if (json_object_object_get_ex(trace, "otherData", &other) &&
	    json_object_object_get_ex(other, "clusters", &clusters) &&
	    json_object_is_type(clusters, json_type_array)) {
		for (i = 0; i < json_object_array_length(clusters); i++) {
			json_object *d = json_object_array_get_idx(clusters, i);
			const char *name = jstr(d, "name"), *kind = jstr(d, "kind");
			double id, max;

			if (!name || !jnum(d, "id", &id) || id < 0 || id >= CTL_MAX_CLUSTERS)
				continue;
			snprintf(p->clusters[(int)id].name, sizeof(p->clusters[0].name), "%s", name);
			snprintf(p->clusters[(int)id].kind, sizeof(p->clusters[0].kind), "%s",
				 kind ? kind : "");
			if (jnum(d, "max_khz", &max) && max > 0)
				p->clusters[(int)id].max_khz = (uint32_t)max;
			p->clusters[(int)id].used = true;
		}
	}
	n = json_object_array_length(events);
	for (i = 0; i < n; i++) {
		ret = tl_event(tl, p, json_object_array_get_idx(events, i));
		if (ret) {
			tl->nr_panels++;	/* freed with the rest */
			return ret;
		}
	}
	for (c = 0; c < CTL_MAX_CLUSTERS; c++) {
		struct tl_cluster *cl = &p->clusters[c];
		unsigned int k;

		if (cl->nr_freqs)
			qsort(cl->freqs, cl->nr_freqs, sizeof(*cl->freqs), by_ts);
		for (k = 0; k < cl->nr_freqs; k++)
			if (cl->freqs[k].khz > cl->max_khz)
				cl->max_khz = cl->freqs[k].khz;
		if (!cl->lanes)
			cl->lanes = 1;
	}
	tl->nr_panels++;
	return 0;
}

unsigned int timeline_nr_panels(const struct timeline *tl)
{
	return tl->nr_panels;
}

unsigned int timeline_nr_stages(const struct timeline *tl, unsigned int panel)
{
	return panel < tl->nr_panels ? tl->panels[panel].nr_stages : 0;
}

unsigned int timeline_nr_graphs(const struct timeline *tl)
{
	return tl->nr_graphs;
}

/* ---------------------------------------------------------------- SVG */

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			if ((unsigned char)*s >= 0x20)
				fputc(*s, f);
		}
	}
}

static unsigned int tl_rows(const struct tl_panel *p)
{
	unsigned int c, n = 0;

	for (c = 0; c < CTL_MAX_CLUSTERS; c++)
		n += p->clusters[c].used;
	return n;
}

/* A tick step of 1, 2 or 5 x 10^k seconds giving at most about 12 ticks. */
static double tl_tick_s(double span_s)
{
	double step = 0.001;

	while (span_s / step > 12) {
		if (span_s / (step * 2) <= 12)
			return step * 2;
		if (span_s / (step * 5) <= 12)
			return step * 5;
		step *= 10;
	}
	return step;
}

static void tl_row(FILE *f, const struct tl_cluster *c, double y, double x0, double scale,
		   uint64_t t0, uint64_t t1)
{
	double lane_h = (double)TL_ROW / c->lanes;
	unsigned int i;

	fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"#f4f4f4\"/>\n",
		TL_LEFT, y, TL_WIDTH - TL_LEFT - TL_RIGHT, TL_ROW);
	fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"name\">", TL_LEFT - 8, y + TL_ROW / 2.0);
	xml_text(f, c->name[0] ? c->name : "?");
	if (c->kind[0]) {
		fputs(" (", f);
		xml_text(f, c->kind);
		fputc(')', f);
	}
	fputs("</text>\n", f);
	if (c->max_khz)
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"small\">top %.0f MHz</text>\n",
			TL_LEFT - 8, y + TL_ROW / 2.0 + 13, c->max_khz / 1000.0);
	for (i = 0; i < c->nr_stages; i++) {
		const struct tl_stage *s = &c->stages[i];
		double x = x0 + (double)(s->start - t0) * scale;
		double w = (double)(s->end - s->start) * scale;

		fprintf(f, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\"/>\n",
			x, y + s->lane * lane_h + 1, w < 0.5 ? 0.5 : w, lane_h - 2,
			s->graph >= 0 ? tl_colours[s->graph % 8] : "#888888");
	}
	if (!c->nr_freqs || !c->max_khz)
		return;
	/* The frequency as a step line: the share of the top step. */
	fputs("<polyline class=\"freq\" points=\"", f);
	for (i = 0; i < c->nr_freqs; i++) {
		double x = x0 + (double)(c->freqs[i].ts - t0) * scale;
		double fy = y + TL_ROW - (double)c->freqs[i].khz / c->max_khz * (TL_ROW - 2);

		if (i)
			fprintf(f, "%.2f,%.1f ", x, y + TL_ROW - (double)c->freqs[i - 1].khz /
				c->max_khz * (TL_ROW - 2));
		fprintf(f, "%.2f,%.1f ", x, fy);
	}
	fprintf(f, "%.2f,%.1f\"/>\n", x0 + (double)(t1 - t0) * scale,
		y + TL_ROW - (double)c->freqs[c->nr_freqs - 1].khz / c->max_khz * (TL_ROW - 2));
}

int timeline_svg(const struct timeline *tl, FILE *f)
{
	double span = 0, scale, tick, x0 = TL_LEFT, y = 0;
	unsigned int p, c, i, h = TL_LEGEND + 10;

	for (p = 0; p < tl->nr_panels; p++) {
		const struct tl_panel *pa = &tl->panels[p];

		if (pa->t1 > pa->t0 && (double)(pa->t1 - pa->t0) > span)
			span = (double)(pa->t1 - pa->t0);
		h += TL_TITLE + tl_rows(pa) * (TL_ROW + TL_ROW_GAP) + TL_AXIS;
	}
	if (span <= 0)
		span = 1e9;
	scale = (TL_WIDTH - TL_LEFT - TL_RIGHT) / span;
	tick = tl_tick_s(span / 1e9);

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%u\" "
		"viewBox=\"0 0 %d %u\" font-family=\"sans-serif\" font-size=\"12\">\n",
		TL_WIDTH, h, TL_WIDTH, h);
	fputs("<style>.name{text-anchor:end;dominant-baseline:middle}"
	      ".small{text-anchor:end;font-size:10px;fill:#555}"
	      ".title{font-weight:bold;font-size:14px}"
	      ".tick{font-size:10px;fill:#555;text-anchor:middle}"
	      ".freq{fill:none;stroke:#c00000;stroke-width:1.2}</style>\n", f);
	fprintf(f, "<rect width=\"%d\" height=\"%u\" fill=\"white\"/>\n", TL_WIDTH, h);
	for (p = 0; p < tl->nr_panels; p++) {
		const struct tl_panel *pa = &tl->panels[p];
		uint64_t t1 = pa->t0 + (uint64_t)span;
		double top;

		fprintf(f, "<text x=\"10\" y=\"%.1f\" class=\"title\">", y + 18);
		xml_text(f, pa->label);
		fprintf(f, "</text>\n");
		y += TL_TITLE;
		top = y;
		for (c = 0; c < CTL_MAX_CLUSTERS; c++) {
			if (!pa->clusters[c].used)
				continue;
			tl_row(f, &pa->clusters[c], y, x0, scale, pa->t0,
			       pa->t1 < t1 ? pa->t1 : t1);
			y += TL_ROW + TL_ROW_GAP;
		}
		for (i = 0; i * tick <= span / 1e9 + 1e-9; i++) {
			double x = x0 + i * tick * 1e9 * scale;

			fprintf(f, "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" "
				"stroke=\"#bbbbbb\" stroke-width=\"0.5\"/>\n", x, top, x, y);
			fprintf(f, "<text x=\"%.2f\" y=\"%.1f\" class=\"tick\">%g s</text>\n", x,
				y + 10, i * tick);
		}
		y += TL_AXIS;
	}
	/* The legend: a swatch per graph, then the frequency line. */
	x0 = TL_LEFT;
	y += 10;
	for (i = 0; i < tl->nr_graphs; i++) {
		fprintf(f, "<rect x=\"%.0f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
			x0, y, tl_colours[i % 8]);
		fprintf(f, "<text x=\"%.0f\" y=\"%.1f\">", x0 + 16, y + 10);
		xml_text(f, tl->graphs[i]);
		fputs("</text>\n", f);
		x0 += 28 + 7 * strlen(tl->graphs[i]);
	}
	fprintf(f, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" class=\"freq\"/>\n",
		x0, y + 6, x0 + 20, y + 6);
	fprintf(f, "<text x=\"%.0f\" y=\"%.1f\">frequency (share of the top step)</text>\n",
		x0 + 24, y + 10);
	fputs("</svg>\n", f);
	return ferror(f) ? -EIO : 0;
}
