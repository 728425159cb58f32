// SPDX-License-Identifier: GPL-2.0-only
/*
 * Declared accuracies from data/accuracy/ (accuracy.h).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy.h"
#include "csv.h"

static int open_csv(const char *board_dir, const char *file, struct csv *c,
		    char *err, size_t errlen)
{
	char p[PATH_MAX];

	if (snprintf(p, sizeof(p), "%s/../../accuracy/%s", board_dir, file) >= (int)sizeof(p)) {
		snprintf(err, errlen, "%s: path too long", file);
		return -ENAMETOOLONG;
	}
	return csv_read(p, c, err, errlen);
}

static int number(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return end == s || *end ? -EINVAL : 0;
}

int acc_quant_read(const char *board_dir, const char *model, struct acc_quant *q,
		   char *err, size_t errlen)
{
	struct csv c;
	int cm, cn, cd, cf, ci, ret;

	ret = open_csv(board_dir, "quantization.csv", &c, err, errlen);
	if (ret)
		return ret;
	cm = csv_col(&c, "model");
	cn = csv_col(&c, "network");
	cd = csv_col(&c, "dataset");
	cf = csv_col(&c, "fp32_top1_pct");
	ci = csv_col(&c, "int8_top1_pct");
	ret = -ENOENT;
	snprintf(err, errlen, "quantization.csv: no declared int8 accuracy for %s", model);
	if (cm < 0 || cn < 0 || cd < 0 || cf < 0 || ci < 0) {
		snprintf(err, errlen, "quantization.csv: a column is missing");
		ret = -EINVAL;
	}
	for (size_t r = 1; ret == -ENOENT && r < c.nr_rows; r++) {
		if (csv_blank(&c, r) || c.nr_fields[r] < c.nr_fields[0] ||
		    strcmp(c.rows[r][cm], model))
			continue;
		if (number(c.rows[r][cf], &q->fp32_pct) || number(c.rows[r][ci], &q->int8_pct) ||
		    q->fp32_pct <= 0 || q->fp32_pct > 100 || q->int8_pct < 0 || q->int8_pct > 100) {
			snprintf(err, errlen, "quantization.csv: row %zu: bad accuracy", r + 1);
			ret = -EINVAL;
			break;
		}
		snprintf(q->network, sizeof(q->network), "%s", c.rows[r][cn]);
		snprintf(q->dataset, sizeof(q->dataset), "%s", c.rows[r][cd]);
		ret = 0;
	}
	csv_free(&c);
	return ret;
}

int acc_exits_read(const char *board_dir, const char *network, struct acc_exit *out,
		   int max, char *err, size_t errlen)
{
	struct csv c;
	int cn, cf, ct, n = 0, ret;

	ret = open_csv(board_dir, "exits.csv", &c, err, errlen);
	if (ret)
		return ret;
	cn = csv_col(&c, "network");
	cf = csv_col(&c, "flops_frac");
	ct = csv_col(&c, "top1_pct");
	if (cn < 0 || cf < 0 || ct < 0) {
		snprintf(err, errlen, "exits.csv: a column is missing");
		csv_free(&c);
		return -EINVAL;
	}
	for (size_t r = 1; r < c.nr_rows; r++) {
		struct acc_exit e;

		if (csv_blank(&c, r) || c.nr_fields[r] < c.nr_fields[0] ||
		    strcmp(c.rows[r][cn], network))
			continue;
		if (n == max || number(c.rows[r][cf], &e.flops_frac) ||
		    number(c.rows[r][ct], &e.top1_pct) || e.flops_frac <= 0 ||
		    e.flops_frac > 1 || e.top1_pct <= 0 || e.top1_pct > 100 ||
		    (n && (e.flops_frac <= out[n - 1].flops_frac ||
			   e.top1_pct < out[n - 1].top1_pct))) {
			snprintf(err, errlen, "exits.csv: row %zu: too many exits, a bad figure, or "
				 "not increasing", r + 1);
			csv_free(&c);
			return -EINVAL;
		}
		out[n++] = e;
	}
	csv_free(&c);
	if (!n || out[n - 1].flops_frac != 1) {
		snprintf(err, errlen, "exits.csv: %s: no exits ending with the full network",
			 network);
		return -ENOENT;
	}
	return n;
}
