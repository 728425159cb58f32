/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tiny SVG charts for the benchmark reports: grouped bars and lines.
 * Plain text output, deterministic (fixed-precision numbers), no
 * dependencies.
 */
#ifndef EDGEAI_SVG_H
#define EDGEAI_SVG_H

/*
 * values[s * ncat + c]: series s, category c.  A value < 0 is not drawn.
 * ref > 0 draws a dashed horizontal line at that value (e.g. 1.0 = baseline).
 */
int svg_bars(const char *path, const char *title, const char *ylabel,
	     int ncat, const char *const *cats, int nser, const char *const *sers,
	     const double *values, double ref);

/* values[s * nx + i] at x = xs[i]. */
int svg_lines(const char *path, const char *title, const char *xlabel,
	      const char *ylabel, int nx, const double *xs, int nser,
	      const char *const *sers, const double *values);

/* A curve per series through (xs[s * n + i], values[s * n + i]), x from 0. */
int svg_xy(const char *path, const char *title, const char *xlabel, const char *ylabel,
	   int n, const double *xs, int nser, const char *const *sers, const double *values);

#endif
