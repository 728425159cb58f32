// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tiny SVG charts, see svg.h.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <math.h>
#include <stdio.h>

#include "svg.h"

#define W	900
#define H	420
#define ML	70	/* margins */
#define MR	200
#define MT	40
#define MB	70

static const char *const colours[] = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
	"#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac" };

static double nice_max(double v)
{
	double p, m;

	if (v <= 0)
		return 1;
	p = pow(10, floor(log10(v)));
	m = v / p;
	m = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
	return m * p;
}

static void header(FILE *f, const char *title, const char *ylabel, double ymax)
{
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n", W, H);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H);
	fprintf(f, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>\n",
		ML, title);
	fprintf(f, "<text transform=\"translate(16,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
		MT + (H - MT - MB) / 2, ylabel);
	for (int i = 0; i <= 5; i++) {
		double v = ymax * i / 5;
		int y = H - MB - (H - MT - MB) * i / 5;

		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n",
			ML, y, W - MR, y);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>\n", ML - 6,
			y + 4, v);
	}
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", ML,
		H - MB, W - MR, H - MB);
}

static void legend(FILE *f, int nser, const char *const *sers)
{
	for (int s = 0; s < nser; s++) {
		int y = MT + 10 + 20 * s;

		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
			W - MR + 15, y - 10, colours[s % 10]);
		fprintf(f, "<text x=\"%d\" y=\"%d\">%s</text>\n", W - MR + 32, y, sers[s]);
	}
}

int svg_bars(const char *path, const char *title, const char *ylabel, int ncat,
	     const char *const *cats, int nser, const char *const *sers,
	     const double *v, double ref)
{
	FILE *f = fopen(path, "w");
	double ymax = ref > 0 ? ref : 0, gw, bw;

	if (!f)
		return -1;
	for (int i = 0; i < ncat * nser; i++)
		if (v[i] > ymax && isfinite(v[i]))
			ymax = v[i];
	ymax = nice_max(ymax * 1.05);
	header(f, title, ylabel, ymax);
	gw = (double)(W - ML - MR) / ncat;
	bw = gw * 0.8 / nser;
	for (int c = 0; c < ncat; c++) {
		double x0 = ML + gw * c + gw * 0.1;

		for (int s = 0; s < nser; s++) {
			double val = v[s * ncat + c], h;

			if (!(val >= 0) || !isfinite(val))
				continue;
			h = (H - MT - MB) * val / ymax;
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %.4g</title></rect>\n",
				x0 + bw * s, H - MB - h, bw * 0.95, h, colours[s % 10], cats[c],
				sers[s], val);
		}
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
			ML + gw * c + gw / 2, H - MB + 18, cats[c]);
	}
	if (ref > 0) {
		double y = H - MB - (H - MT - MB) * ref / ymax;

		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\" stroke-dasharray=\"5,4\"/>\n",
			ML, y, W - MR, y);
	}
	legend(f, nser, sers);
	fputs("</svg>\n", f);
	return fclose(f);
}

int svg_lines(const char *path, const char *title, const char *xlabel,
	      const char *ylabel, int nx, const double *xs, int nser,
	      const char *const *sers, const double *v)
{
	FILE *f = fopen(path, "w");
	double ymax = 0, xmin = xs[0], xmax = xs[nx - 1];

	if (!f)
		return -1;
	for (int i = 0; i < nx * nser; i++)
		if (v[i] > ymax && isfinite(v[i]))
			ymax = v[i];
	ymax = nice_max(ymax * 1.05);
	if (xmax <= xmin)
		xmax = xmin + 1;
	header(f, title, ylabel, ymax);
	for (int i = 0; i < nx; i++) {
		double x = ML + (W - ML - MR) * (xs[i] - xmin) / (xmax - xmin);

		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.4g</text>\n", x,
			H - MB + 18, xs[i]);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
		ML + (W - ML - MR) / 2, H - MB + 42, xlabel);
	for (int s = 0; s < nser; s++) {
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
			colours[s % 10]);
		for (int i = 0; i < nx; i++)
			fprintf(f, "%.1f,%.1f ",
				ML + (W - ML - MR) * (xs[i] - xmin) / (xmax - xmin),
				H - MB - (H - MT - MB) * v[s * nx + i] / ymax);
		fputs("\"/>\n", f);
		for (int i = 0; i < nx; i++)
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s: %.4g</title></circle>\n",
				ML + (W - ML - MR) * (xs[i] - xmin) / (xmax - xmin),
				H - MB - (H - MT - MB) * v[s * nx + i] / ymax, colours[s % 10],
				sers[s], v[s * nx + i]);
	}
	legend(f, nser, sers);
	fputs("</svg>\n", f);
	return fclose(f);
}

int svg_xy(const char *path, const char *title, const char *xlabel, const char *ylabel,
	   int n, const double *xs, int nser, const char *const *sers, const double *v)
{
	FILE *f = fopen(path, "w");
	double ymax = 0, xmin = INFINITY, xmax = -INFINITY;

	if (!f)
		return -1;
	for (int i = 0; i < n * nser; i++) {
		if (v[i] > ymax && isfinite(v[i]))
			ymax = v[i];
		if (xs[i] < xmin)
			xmin = xs[i];
		if (xs[i] > xmax)
			xmax = xs[i];
	}
	ymax = nice_max(ymax * 1.05);
	xmax = nice_max(xmax * 1.05);
	xmin = 0;
	header(f, title, ylabel, ymax);
	for (int i = 0; i <= 5; i++)
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.4g</text>\n",
			ML + (W - ML - MR) * i / 5.0, H - MB + 18, xmin + (xmax - xmin) * i / 5);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
		ML + (W - ML - MR) / 2, H - MB + 42, xlabel);
	for (int s = 0; s < nser; s++) {
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
			colours[s % 10]);
		for (int i = 0; i < n; i++)
			fprintf(f, "%.1f,%.1f ", ML + (W - ML - MR) * (xs[s * n + i] - xmin) / (xmax - xmin),
				H - MB - (H - MT - MB) * v[s * n + i] / ymax);
		fputs("\"/>\n", f);
		for (int i = 0; i < n; i++)
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s: %.4g, %.4g</title></circle>\n",
				ML + (W - ML - MR) * (xs[s * n + i] - xmin) / (xmax - xmin),
				H - MB - (H - MT - MB) * v[s * n + i] / ymax, colours[s % 10],
				sers[s], xs[s * n + i], v[s * n + i]);
	}
	legend(f, nser, sers);
	fputs("</svg>\n", f);
	return fclose(f);
}
