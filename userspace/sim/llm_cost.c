// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-token cost model of the simulator's LLM sessions (llm_sim.h):
 * one published decode (data/llm/decode.csv, cited in data/llm/README.md)
 * read from the CSV, nothing about it compiled in.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llm_sim.h"

enum col { C_MODEL, C_PARAMS, C_LAYERS, C_KVDIM, C_QUANT, C_WBITS, C_KVBITS, C_SOFT,
	   C_CPU, C_CORES, C_MHZ, C_PROMPT, C_EVAL, NCOL };

static const char *const col_names[NCOL] = {
	"Model", "Params", "Layers", "KV_Dim", "Quant", "Weight_Bits", "KV_Bits",
	"Software", "CPU", "Cores", "MHz", "Prompt_Tok_s", "Eval_Tok_s",
};

/* Splits @line at commas in place; returns the fields. */
static int split(char *line, char **f, int max)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < max; p++) {
		f[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p = '\0';
	}
	return n;
}

static bool key_ok(const char *key, const char *v)
{
	return !key || !strcmp(key, v);
}

static int num(const char *s, double *v)
{
	char *end;

	if (!*s)
		return -EINVAL;
	*v = strtod(s, &end);
	return *end || *v <= 0 ? -EINVAL : 0;
}

int llm_cost_load(const char *csv, const char *model, const char *quant,
		  const char *software, const char *cpu, struct llm_cost *c,
		  char *err, size_t errlen)
{
	char line[1024], *f[64];
	int idx[NCOL], n, rc = -ENOENT;
	FILE *fp = fopen(csv, "r");

	snprintf(err, errlen, "%s: no row for %s %s %s %s", csv, model ? model : "*",
		 quant ? quant : "*", software ? software : "*", cpu ? cpu : "*");
	if (!fp)
		return -ENOENT;
	if (!fgets(line, sizeof(line), fp)) {
		fclose(fp);
		return -ENOENT;
	}
	n = split(line, f, 64);
	for (int k = 0; k < NCOL; k++) {
		idx[k] = -1;
		for (int i = 0; i < n; i++)
			if (!strcmp(f[i], col_names[k]))
				idx[k] = i;
		if (idx[k] < 0) {
			snprintf(err, errlen, "%s: no column %s", csv, col_names[k]);
			fclose(fp);
			return -EINVAL;
		}
	}
	while (fgets(line, sizeof(line), fp)) {
		double params, layers, kvdim, wbits, kvbits, cores;

		n = split(line, f, 64);
		if (n < 2)
			continue;
		for (int k = 0; k < NCOL; k++)
			if (idx[k] >= n)
				goto next;
		if (!key_ok(model, f[idx[C_MODEL]]) || !key_ok(quant, f[idx[C_QUANT]]) ||
		    !key_ok(software, f[idx[C_SOFT]]) || !key_ok(cpu, f[idx[C_CPU]]))
			continue;
		memset(c, 0, sizeof(*c));
		snprintf(c->model, sizeof(c->model), "%s", f[idx[C_MODEL]]);
		snprintf(c->quant, sizeof(c->quant), "%s", f[idx[C_QUANT]]);
		snprintf(c->software, sizeof(c->software), "%s", f[idx[C_SOFT]]);
		snprintf(c->cpu, sizeof(c->cpu), "%s", f[idx[C_CPU]]);
		if (num(f[idx[C_PARAMS]], &params) || num(f[idx[C_LAYERS]], &layers) ||
		    num(f[idx[C_KVDIM]], &kvdim) || num(f[idx[C_WBITS]], &wbits) ||
		    num(f[idx[C_KVBITS]], &kvbits) || num(f[idx[C_CORES]], &cores) ||
		    num(f[idx[C_MHZ]], &c->src_mhz) || num(f[idx[C_PROMPT]], &c->prompt_tok_s) ||
		    num(f[idx[C_EVAL]], &c->eval_tok_s)) {
			snprintf(err, errlen, "%s: the row for %s %s %s %s lacks a figure", csv,
				 c->model, c->quant, c->software, c->cpu);
			rc = -EINVAL;
			break;
		}
		c->src_cores = (int)cores;
		c->weight_bytes = params * wbits / 8;
		/* Keys and values, every layer. */
		c->kv_bytes_tok = 2 * layers * kvdim * kvbits / 8;
		err[0] = '\0';
		rc = 0;
		break;
next:;
	}
	fclose(fp);
	return rc;
}

int llm_target_load(const char *csv, const char *board, char code, char *cpu,
		    size_t cpulen, int *cores, char *err, size_t errlen)
{
	char path[4096], line[512], *f[16], *slash;
	int ib = -1, ie = -1, ic = -1, in = -1, n, rc = -ENOENT;
	FILE *fp;

	snprintf(path, sizeof(path), "%s", csv);
	slash = strrchr(path, '/');
	snprintf(slash ? slash + 1 : path, sizeof(path) - (slash ? slash + 1 - path : 0),
		 "targets.csv");
	snprintf(err, errlen, "%s: no row for %s %c", path, board, code);
	fp = fopen(path, "r");
	if (!fp)
		return -ENOENT;
	if (fgets(line, sizeof(line), fp)) {
		n = split(line, f, 16);
		for (int i = 0; i < n; i++) {
			ib = strcmp(f[i], "Board") ? ib : i;
			ie = strcmp(f[i], "Element") ? ie : i;
			ic = strcmp(f[i], "CPU") ? ic : i;
			in = strcmp(f[i], "Cores") ? in : i;
		}
	}
	if (ib < 0 || ie < 0 || ic < 0 || in < 0) {
		snprintf(err, errlen, "%s: needs Board, Element, CPU and Cores", path);
		fclose(fp);
		return -EINVAL;
	}
	while (rc == -ENOENT && fgets(line, sizeof(line), fp)) {
		double v;

		n = split(line, f, 16);
		if (n <= ib || n <= ie || n <= ic || n <= in || strcmp(f[ib], board) ||
		    f[ie][0] != code || f[ie][1])
			continue;
		if (num(f[in], &v)) {
			snprintf(err, errlen, "%s: bad Cores for %s %c", path, board, code);
			rc = -EINVAL;
			break;
		}
		snprintf(cpu, cpulen, "%s", f[ic]);
		*cores = (int)v;
		err[0] = '\0';
		rc = 0;
	}
	fclose(fp);
	return rc;
}

int llm_cost_resolve(const char *board_dir, char *out, size_t len)
{
	const char *env = getenv("EDGEAI_LLM_DATA");

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return access(out, R_OK) ? -ENOENT : 0;
	}
	/* BOARDS/<board> -> BOARDS/../llm */
	if ((size_t)snprintf(out, len, "%s/../../llm/decode.csv", board_dir) >= len)
		return -ENOENT;
	return access(out, R_OK) ? -ENOENT : 0;
}

double llm_cost_scale(const struct llm_cost *c, int cores, double mhz, double speed)
{
	if (c->src_cores <= 0 || c->src_mhz <= 0)
		return 0;
	return (double)cores / c->src_cores * mhz / c->src_mhz * speed;
}

double llm_cost_step_s(const struct llm_cost *c, uint32_t pos, double scale)
{
	double bytes0 = c->weight_bytes + c->kv_bytes_tok;

	if (scale <= 0 || bytes0 <= 0)
		return 0;
	return (c->weight_bytes + ((double)pos + 1) * c->kv_bytes_tok) / bytes0 /
	       (c->eval_tok_s * scale);
}

double llm_cost_prefill_s(const struct llm_cost *c, uint32_t n, double scale)
{
	return scale > 0 ? n / (c->prompt_tok_s * scale) : 0;
}

int llm_cost_derive(const struct llm_cost *from, const struct board *b, int from_elem,
		    int from_cores, int to, int to_cores, struct llm_cost *out)
{
	int ft = board_top_step(b, from_elem), tt = board_top_step(b, to), n = 0;
	const struct board_element *fe = board_element(b, from_elem), *te = board_element(b, to);
	double logsum = 0, ratio, from_scale;

	for (int m = 0; m < board_nr_models(b); m++) {
		struct board_cost cf, ct;
		int nl = board_model_layers(b, m);

		if (!board_has(b, m, from_elem) || !board_has(b, m, to) ||
		    board_stage_cost(b, m, 0, nl, from_elem, ft, -1, &cf) ||
		    board_stage_cost(b, m, 0, nl, to, tt, -1, &ct) || !cf.time_ns || !ct.time_ns)
			continue;
		logsum += log((double)cf.time_ns / ct.time_ns);
		n++;
	}
	if (!n)
		return -ENOENT;
	ratio = exp(logsum / n);
	from_scale = llm_cost_scale(from, from_cores, fe->khz[ft] / 1000.0,
				    board_step_speed(b, from_elem, ft));
	*out = *from;
	out->src_cores = to_cores;
	out->src_mhz = te->khz[tt] / 1000.0;
	out->eval_tok_s = from->eval_tok_s * from_scale * ratio;
	out->prompt_tok_s = from->prompt_tok_s * from_scale * ratio;
	out->derived = true;
	out->derived_ratio = ratio;
	return 0;
}

uint32_t llm_prefill_chunks(const struct llm_cost *c, uint32_t prompt, double scale)
{
	double step = llm_cost_step_s(c, prompt, scale);
	double n = step > 0 ? ceil(llm_cost_prefill_s(c, prompt, scale) / step) : 1;

	if (n < 1)
		return 1;
	return n > LLM_MAX_PREFILL_CHUNKS ? LLM_MAX_PREFILL_CHUNKS : (uint32_t)n;
}
