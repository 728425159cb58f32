// SPDX-License-Identifier: GPL-2.0-only
/*
 * Board profile loader and cost queries, see board.h.
 *
 * The data is kept as read (ms, mW, per layer); costs are assembled at
 * query time so that every query is answered from the same figures.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "board.h"
#include "csv.h"
#include "errbuf.h"

#define NH	(BOARD_MAX_STEPS + 1)	/* host steps, plus "none" */

enum npu_overhead {
	NPU_OVH_NONE,		/* a run costs the sum of its layers */
	NPU_OVH_LOAD,		/* plus loading the first layer's graph */
	NPU_OVH_LOAD_UNLOAD,	/* plus the tear-down after the last one */
	NPU_OVH_SEGMENT,	/* one call per run, fused compute (below) */
};

/* The measured values of one layer and setting, in lset order. */
enum { LM_TASK, LM_TASK_MW, LM_IN, LM_IN_MW, LM_OUT, LM_LOAD, LM_RUNGET,
	LM_FILL, LM_N };

/* One (element, step, host step) setting of one model, per layer. */
struct lset {
	bool present;
	bool complete;
	double *task_ms, *task_mw, *in_ms, *in_mw, *out_ms;
	double *load_ms, *runget_ms, *fill_ms;
	int *nr;		/* [layer * LM_N + metric]: rows averaged */
};

struct model {
	char name[BOARD_NAME_LEN];
	int nr_layers;
	struct lset *set;	/* [elem][step][host + 1] */
	double *xfer_ms;	/* [layer][src][dst], NAN when unknown */
	int *xfer_n;
	double npu_phi[BOARD_MAX_ELEMS];	/* this network's, see npu_fit() */
};

/* How hand-offs between two elements scale with frequency. */
struct xscale {
	bool present;
	int vary;			/* the element whose step varies */
	double ratio[BOARD_MAX_STEPS];	/* time relative to the lowest */
	double power_mw[BOARD_MAX_STEPS];
	int n[BOARD_MAX_STEPS];
};

struct board {
	char name[BOARD_NAME_LEN];
	char dir[PATH_MAX];
	char cur[2 * PATH_MAX + 2];	/* the data file being read, for errors */
	int nr_elems;
	struct board_element el[BOARD_MAX_ELEMS];
	char switch_pe[BOARD_MAX_ELEMS][BOARD_NAME_LEN];
	int nr_models;
	struct model *models;
	struct xscale xs[BOARD_MAX_ELEMS][BOARD_MAX_ELEMS];
	double sw_ns[BOARD_MAX_ELEMS][BOARD_MAX_STEPS][BOARD_MAX_STEPS];
	double sw_up[BOARD_MAX_ELEMS], sw_down[BOARD_MAX_ELEMS];
	double base_mw;
	double step_mw[BOARD_MAX_ELEMS][BOARD_MAX_STEPS];
	enum npu_overhead npu_ovh;
	double npu_phi[BOARD_MAX_ELEMS];	/* over every network, see npu_fit() */
	int host_handoff[BOARD_MAX_ELEMS];	/* "host_handoff_as", -1 */
	int npu_cal_layers[BOARD_MAX_ELEMS];
	char warn[1024];
	bool no_transfers;	/* no transfers file: hand-offs cost 0 */
	struct board_stats stats;
	int nr_refs;
	struct board_ref *refs;
};

/* A warning about the data, kept for board_warnings(). */
static void warn(struct board *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn(struct board *b, const char *fmt, ...)
{
	size_t n = strlen(b->warn);
	va_list ap;

	if (n + 2 >= sizeof(b->warn))
		return;
	va_start(ap, fmt);
	vsnprintf(b->warn + n, sizeof(b->warn) - n - 1, fmt, ap);
	va_end(ap);
	strcat(b->warn, "\n");
}

static struct lset *lset_of(const struct model *m, int e, int s, int h)
{
	return &m->set[(e * BOARD_MAX_STEPS + s) * NH + h + 1];
}

/* ---------------------------------------------------------------- manifest */

/* A JSON value as text; a JSON null (NULL to json-c) is empty text. */
static const char *jstr(json_object *o)
{
	const char *s = json_object_get_string(o);

	return s ? s : "";
}

static int parse_manifest(struct board *b, json_object **files, char *err,
			  size_t len)
{
	char path[PATH_MAX + 32];
	json_object *root, *v, *els;
	size_t i, n;

	snprintf(path, sizeof(path), "%s/board.json", b->dir);
	root = json_object_from_file(path);
	if (!root) {
		const char *je = json_util_get_last_err();
		size_t n;

		errbuf_set(err, len, "%s: cannot read or parse (%s", path, je ? je : "?");
			   n = strlen(err);
			   while (n && (err[n - 1] == '\n' || err[n - 1] == ' '))
			   err[--n] = '\0';
			   if (n + 1 < len)
			   strcat(err, ")");
		return -EINVAL;
	}
	if (!json_object_object_get_ex(root, "name", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		errbuf_set(err, len, "%s: no \"name\" string", path);
		goto bad;
	}
	snprintf(b->name, sizeof(b->name), "%s", jstr(v));
	if (!json_object_object_get_ex(root, "elements", &els) ||
	    !json_object_is_type(els, json_type_array) ||
	    !(n = json_object_array_length(els)) || n > BOARD_MAX_ELEMS) {
		errbuf_set(err, len, "%s: \"elements\" must be an array of 1..%d",
			   path, BOARD_MAX_ELEMS);
		goto bad;
	}
	b->nr_elems = (int)n;
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(els, i), *x;
		struct board_element *el = &b->el[i];
		const char *s;
		size_t k, ns;

		el->host = -1;
		if (!json_object_object_get_ex(e, "code", &x) ||
		    strlen(s = jstr(x)) != 1) {
			errbuf_set(err, len, "%s: element %zu: \"code\" must be one letter", path, i);
			goto bad;
		}
		el->code = s[0];
		for (k = 0; k < i; k++)
			if (b->el[k].code == el->code) {
				errbuf_set(err, len, "%s: element code %c twice", path, el->code);
				goto bad;
			}
		if (json_object_object_get_ex(e, "name", &x))
			snprintf(el->name, sizeof(el->name), "%s", jstr(x));
		if (!json_object_object_get_ex(e, "cluster", &x)) {
			errbuf_set(err, len, "%s: element %c: no \"cluster\"", path, el->code);
			goto bad;
		}
		snprintf(el->cluster, sizeof(el->cluster), "%s", jstr(x));
		if (!json_object_object_get_ex(e, "kind", &x)) {
			errbuf_set(err, len, "%s: element %c: no \"kind\"", path, el->code);
			goto bad;
		}
		s = jstr(x);
		if (!strcmp(s, "cpu"))
			el->kind = BOARD_CPU;
		else if (!strcmp(s, "gpu"))
			el->kind = BOARD_GPU;
		else if (!strcmp(s, "npu"))
			el->kind = BOARD_NPU;
		else {
			errbuf_set(err, len, "%s: element %c: kind \"%s\" is not cpu, gpu or npu",
				   path, el->code, s);
			goto bad;
		}
		if (json_object_object_get_ex(e, "switch_pe", &x))
			snprintf(b->switch_pe[i], sizeof(b->switch_pe[i]), "%s",
				 jstr(x));
		/* Steps in MHz ("steps_mhz") or kHz ("steps_khz"). */
		{
			int mul = 1000;

			if (!json_object_object_get_ex(e, "steps_mhz", &x)) {
				mul = 1;
				if (!json_object_object_get_ex(e, "steps_khz", &x)) {
					errbuf_set(err, len, "%s: element %c: no \"steps_mhz\" or \"steps_khz\"",
						   path, el->code);
					goto bad;
				}
			}
			if (!json_object_is_type(x, json_type_array) ||
			    (ns = json_object_array_length(x)) > BOARD_MAX_STEPS) {
				errbuf_set(err, len, "%s: element %c: steps must be an array of at most %d",
					   path, el->code, BOARD_MAX_STEPS);
				goto bad;
			}
			el->nr_steps = ns ? (int)ns : 1;
			el->khz[0] = 0;
			for (k = 0; k < ns; k++) {
				json_object *f = json_object_array_get_idx(x, k);
				int64_t khz = 0;

				if (json_object_is_type(f, json_type_int)) {
					khz = json_object_get_int64(f);
					/* Bounded before scaling: a huge step must not wrap. */
					khz = khz > 0 && khz <= UINT32_MAX / mul ? khz * mul : 0;
				}
				if (!khz || (k && (uint32_t)khz <= el->khz[k - 1])) {
					errbuf_set(err, len, "%s: element %c: step %zu is not a positive integer above the one before",
						   path, el->code, k);
					goto bad;
				}
				el->khz[k] = (uint32_t)khz;
			}
		}
	}
	/* Hosts, now that every code is known. */
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(els, i), *x;
		const char *s;

		b->host_handoff[i] = -1;
		if (json_object_object_get_ex(e, "host_handoff_as", &x)) {
			s = jstr(x);
			for (size_t k = 0; k < n; k++)
				if (strlen(s) == 1 && b->el[k].code == s[0])
					b->host_handoff[i] = (int)k;
			if (b->host_handoff[i] < 0) {
				errbuf_set(err, len, "%s: element %c: host_handoff_as \"%s\" is not an element",
					   path, b->el[i].code, s);
				goto bad;
			}
		}

		if (!json_object_object_get_ex(e, "host", &x))
			continue;
		s = jstr(x);
		b->el[i].host = -1;
		for (size_t k = 0; k < n; k++)
			if (strlen(s) == 1 && b->el[k].code == s[0] && k != i)
				b->el[i].host = (int)k;
		if (b->el[i].host < 0 || b->el[b->el[i].host].host >= 0) {
			errbuf_set(err, len, "%s: element %c: host \"%s\" is not another, host-less element",
				   path, b->el[i].code, s);
			goto bad;
		}
	}
	b->npu_ovh = NPU_OVH_NONE;
	if (json_object_object_get_ex(root, "npu_overhead", &v)) {
		const char *s = jstr(v);

		if (!strcmp(s, "none"))
			b->npu_ovh = NPU_OVH_NONE;
		else if (!strcmp(s, "load"))
			b->npu_ovh = NPU_OVH_LOAD;
		else if (!strcmp(s, "load_unload"))
			b->npu_ovh = NPU_OVH_LOAD_UNLOAD;
		else if (!strcmp(s, "segment"))
			b->npu_ovh = NPU_OVH_SEGMENT;
		else {
			errbuf_set(err, len, "%s: npu_overhead \"%s\" is not none, load, load_unload or segment",
				   path, s);
			goto bad;
		}
	}
	/* Set *files only to an object of our own: the caller puts it. */
	if (!json_object_object_get_ex(root, "files", &v) ||
	    !json_object_is_type(v, json_type_object)) {
		errbuf_set(err, len, "%s: no \"files\" object", path);
		goto bad;
	}
	*files = json_object_get(v);
	json_object_put(root);
	return 0;
bad:
	json_object_put(root);
	return -EINVAL;
}

static const char *file_of(json_object *files, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(files, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int open_csv(struct board *b, json_object *files, const char *key,
		    bool required, struct csv *c, char *err, size_t len)
{
	const char *f = file_of(files, key);

	if (!f) {
		if (!required)
			return 1;
		errbuf_set(err, len, "%s/board.json: files.%s missing", b->dir, key);
		return -EINVAL;
	}
	if (snprintf(b->cur, sizeof(b->cur), "%s/%s", b->dir, f) >= (int)sizeof(b->cur))
		return -ENAMETOOLONG;
	return csv_read(b->cur, c, err, len);
}

/* Column indices by name; every name must be there. */
static int columns(const struct csv *c, const char *file, const char *const *names,
		   int *idx, int n, char *err, size_t len)
{
	for (int i = 0; i < n; i++) {
		idx[i] = csv_col(c, names[i]);
		if (idx[i] < 0) {
			errbuf_set(err, len, "%s: no column \"%s\"", file, names[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static const char *field(const struct csv *c, size_t r, int col)
{
	return (size_t)col < c->nr_fields[r] ? c->rows[r][col] : "";
}

static int num(const char *s, double *v)
{
	char *end;

	if (!*s)
		return -ENOENT;
	errno = 0;
	*v = strtod(s, &end);
	if (errno || *end || !isfinite(*v))
		return -EINVAL;
	return 0;
}

static int inum(const char *s, int *v)
{
	char *end;
	long l;

	errno = 0;
	l = strtol(s, &end, 10);
	if (!*s || errno || *end || l < INT_MIN || l > INT_MAX)
		return -EINVAL;
	*v = (int)l;
	return 0;
}

/*
 * A step of element e (-1: none, for Freq_Host of a host-less element):
 * an integer, or "max"/"min" for the element's top or lowest step.
 */
static int step_num(const struct board *b, int e, const char *s, int *v)
{
	if (!strcmp(s, "max") || !strcmp(s, "min")) {
		if (e < 0)
			return -EINVAL;
		*v = !strcmp(s, "max") ? b->el[e].nr_steps - 1 : 0;
		return 0;
	}
	return inum(s, v);
}

static int elem_of_code(const struct board *b, const char *s)
{
	if (strlen(s) != 1)
		return -1;
	return board_element_by_code(b, s[0]);
}

/* ---------------------------------------------------------------- layers */

enum { LC_GRAPH, LC_COMP, LC_FREQ, LC_HOST, LC_LAYER, LC_METRIC, LC_TIME,
	LC_POWER, LC_N };

static struct model *model_get(struct board *b, const char *name, bool add)
{
	struct model *m;

	for (int i = 0; i < b->nr_models; i++)
		if (!strcmp(b->models[i].name, name))
			return &b->models[i];
	if (!add)
		return NULL;
	m = realloc(b->models, (b->nr_models + 1) * sizeof(*m));
	if (!m)
		return NULL;
	b->models = m;
	m = &b->models[b->nr_models++];
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	return m;
}

static double *nan_array(int n)
{
	double *a = malloc(n * sizeof(*a));

	if (a)
		for (int i = 0; i < n; i++)
			a[i] = NAN;
	return a;
}

/* The array of metric k (LM_*) of a setting. */
static double *lset_metric(struct lset *s, int k)
{
	double *f[LM_N] = { s->task_ms, s->task_mw, s->in_ms, s->in_mw,
			    s->out_ms, s->load_ms, s->runget_ms, s->fill_ms };

	return f[k];
}

static int lset_alloc(struct lset *s, int n)
{
	double **f[LM_N] = { &s->task_ms, &s->task_mw, &s->in_ms, &s->in_mw,
			     &s->out_ms, &s->load_ms, &s->runget_ms, &s->fill_ms };

	for (size_t i = 0; i < LM_N; i++)
		if (!(*f[i] = nan_array(n)))
			return -ENOMEM;
	s->nr = calloc((size_t)n * LM_N, sizeof(*s->nr));
	if (!s->nr)
		return -ENOMEM;
	s->present = true;
	return 0;
}

/* Repeated rows of one layer, setting and metric are averaged. */
static void lset_put(struct lset *s, int l, int k, double v)
{
	double *a = lset_metric(s, k);
	int *n = &s->nr[l * LM_N + k];

	if (isnan(v))
		return;
	a[l] = *n ? a[l] + v : v;
	(*n)++;
}

static void lset_average(struct lset *s, int nl, int *repeated)
{
	for (int l = 0; l < nl; l++)
		for (int k = 0; k < LM_N; k++) {
			int n = s->nr[l * LM_N + k];

			if (n > 1) {
				lset_metric(s, k)[l] /= n;
				if (k == LM_TASK || k == LM_IN || k == LM_OUT || k >= LM_LOAD)
					*repeated += n - 1;
			}
		}
}

static void lset_free(struct lset *s)
{
	free(s->task_ms);
	free(s->task_mw);
	free(s->in_ms);
	free(s->in_mw);
	free(s->out_ms);
	free(s->load_ms);
	free(s->runget_ms);
	free(s->fill_ms);
	free(s->nr);
}

static int load_layers(struct board *b, json_object *files, char *err, size_t len)
{
	static const char *const names[LC_N] = { "Graph", "Component", "Freq",
		"Freq_Host", "Layer", "Metric", "Time", "Power" };
	const char *fname = b->cur;
	int col[LC_N], rc, pass;
	struct csv c;

	rc = open_csv(b, files, "layers", true, &c, err, len);
	if (rc)
		return rc;
	rc = columns(&c, fname, names, col, LC_N, err, len);
	if (rc)
		goto out;

	/* Pass 0 finds the models and their layer counts, pass 1 fills. */
	for (pass = 0; pass < 2; pass++) {
		for (size_t r = 1; r < c.nr_rows; r++) {
			const char *g = field(&c, r, col[LC_GRAPH]);
			const char *met = field(&c, r, col[LC_METRIC]);
			int e, s, h, l, st;
			double t, p = NAN;
			struct model *m;
			struct lset *ls;

			if (csv_blank(&c, r)) {
				if (pass)
					b->stats.blank_rows++;
				continue;
			}
#define BAD(...) do { errbuf_set(err, len, __VA_ARGS__); rc = -EINVAL; goto out; } while (0)
			if (!*g)
				BAD("%s:%zu: empty Graph", fname, r + 1);
			e = elem_of_code(b, field(&c, r, col[LC_COMP]));
			if (e < 0)
				BAD("%s:%zu: Component \"%s\" is not an element of board.json",
				    fname, r + 1, field(&c, r, col[LC_COMP]));
			if (step_num(b, e, field(&c, r, col[LC_FREQ]), &s) ||
			    step_num(b, b->el[e].host, field(&c, r, col[LC_HOST]), &h) ||
			    inum(field(&c, r, col[LC_LAYER]), &l) || l < 0 || l > 100000)
				BAD("%s:%zu: Freq and Freq_Host must be integers, max or min, Layer an integer",
				    fname, r + 1);
			if (b->el[e].host < 0) {
				if (h != -1)
					BAD("%s:%zu: Freq_Host %d for %c, which has no host",
					    fname, r + 1, h, b->el[e].code);
			} else if (h < 0 || h >= b->el[b->el[e].host].nr_steps) {
				BAD("%s:%zu: Freq_Host %d out of range", fname, r + 1, h);
			}
			/* An element without DVFS is indexed by its host's step. */
			st = b->el[e].khz[0] == 0 ? 0 : s;
			if (st < 0 || st >= b->el[e].nr_steps)
				BAD("%s:%zu: Freq %d out of range for %c", fname, r + 1, s,
				    b->el[e].code);
			rc = num(field(&c, r, col[LC_TIME]), &t);
			if (rc || t < 0)
				BAD("%s:%zu: Time \"%s\" is not a number >= 0", fname, r + 1,
				    field(&c, r, col[LC_TIME]));
			rc = num(field(&c, r, col[LC_POWER]), &p);
			if (rc == -EINVAL || (!rc && p < 0))
				BAD("%s:%zu: Power \"%s\" is not a number >= 0", fname, r + 1,
				    field(&c, r, col[LC_POWER]));
			rc = 0;
			m = model_get(b, g, pass == 0);
			if (!m) {
				rc = -ENOMEM;
				goto out;
			}
			if (pass == 0) {
				if (l + 1 > m->nr_layers)
					m->nr_layers = l + 1;
				if (!isnan(p) && (b->base_mw == 0 || p < b->base_mw))
					b->base_mw = p;
				continue;
			}
			ls = lset_of(m, e, st, h);
			if (!ls->present && lset_alloc(ls, m->nr_layers)) {
				rc = -ENOMEM;
				goto out;
			}
			if (!strcmp(met, "task")) {
				lset_put(ls, l, LM_TASK, t);
				lset_put(ls, l, LM_TASK_MW, p);
			} else if (!strcmp(met, "in")) {
				lset_put(ls, l, LM_IN, t);
				lset_put(ls, l, LM_IN_MW, p);
			} else if (!strcmp(met, "out")) {
				lset_put(ls, l, LM_OUT, t);
			} else if (!strcmp(met, "NPU_load")) {
				lset_put(ls, l, LM_LOAD, t);
			} else if (!strcmp(met, "NPU_run_get")) {
				lset_put(ls, l, LM_RUNGET, t);
			} else if (!strcmp(met, "NPU_fill_tensor")) {
				lset_put(ls, l, LM_FILL, t);
			} /* other metrics are not used */
#undef BAD
		}
		if (pass == 0) {
			for (int i = 0; i < b->nr_models; i++) {
				struct model *m = &b->models[i];
				size_t nl = (size_t)m->nr_layers;

				m->set = calloc((size_t)b->nr_elems * BOARD_MAX_STEPS * NH,
						sizeof(*m->set));
				m->xfer_ms = nan_array((int)(nl * b->nr_elems * b->nr_elems));
				m->xfer_n = calloc(nl * b->nr_elems * b->nr_elems, sizeof(int));
				if (!m->set || !m->xfer_ms || !m->xfer_n) {
					rc = -ENOMEM;
					goto out;
				}
			}
		}
	}
	if (!b->nr_models) {
		errbuf_set(err, len, "%s: no data rows", fname);
		rc = -EINVAL;
	}
	for (int i = 0; !rc && i < b->nr_models; i++)
		for (int k = 0; k < b->nr_elems * BOARD_MAX_STEPS * NH; k++)
			if (b->models[i].set[k].present)
				lset_average(&b->models[i].set[k], b->models[i].nr_layers,
					     &b->stats.repeated_rows);
	if (!rc && b->stats.repeated_rows)
		warn(b, "%s: %d repeated rows of the same layer and setting averaged", fname,
		     b->stats.repeated_rows);
out:
	csv_free(&c);
	return rc;
}

/*
 * Completeness, and power where a row lacks it: the same layer and metric
 * at the nearest host step that has it, else the setting's mean.
 */
static void fill_power(struct board *b)
{
	for (int i = 0; i < b->nr_models; i++) {
		struct model *m = &b->models[i];

		for (int e = 0; e < b->nr_elems; e++)
			for (int s = 0; s < b->el[e].nr_steps; s++)
				for (int h = -1; h < BOARD_MAX_STEPS; h++) {
					struct lset *ls = lset_of(m, e, s, h);
					double sum = 0;
					int n = 0;

					if (!ls->present)
						continue;
					ls->complete = !isnan(ls->in_ms[0]);
					for (int l = 0; l < m->nr_layers; l++) {
						if (isnan(ls->task_ms[l]))
							ls->complete = false;
						else if (!isnan(ls->task_mw[l]))
							sum += ls->task_mw[l], n++;
					}
					for (int l = 0; l < m->nr_layers; l++) {
						double best = NAN;
						int bd = INT_MAX;

						if (isnan(ls->task_ms[l]) || !isnan(ls->task_mw[l]))
							continue;
						for (int h2 = -1; h2 < BOARD_MAX_STEPS; h2++) {
							struct lset *o = lset_of(m, e, s, h2);

							if (h2 == h || !o->present || isnan(o->task_mw[l]))
								continue;
							if (abs(h2 - h) < bd) {
								bd = abs(h2 - h);
								best = o->task_mw[l];
							}
						}
						if (isnan(best))
							best = n ? sum / n : b->base_mw;
						ls->task_mw[l] = best;
						b->stats.power_filled++;
					}
					for (int l = 0; l < m->nr_layers; l++)
						if (!isnan(ls->in_ms[l]) && isnan(ls->in_mw[l]))
							ls->in_mw[l] = isnan(ls->task_mw[l]) ?
								b->base_mw : ls->task_mw[l];
				}
	}
}

/* ---------------------------------------------------------------- transfers */

static int load_transfers(struct board *b, json_object *files, char *err, size_t len)
{
	static const char *const names[] = { "Graph", "Layer", "Dest", "Src", "Time" };
	const char *fname = b->cur;
	int col[5], rc;
	struct csv c;

	rc = open_csv(b, files, "transfers", false, &c, err, len);
	if (rc > 0) {
		warn(b, "%s/board.json: no transfers file: hand-offs between elements cost 0 ms",
		     b->dir);
		b->no_transfers = true;
		return 0;
	}
	if (rc)
		return rc;
	rc = columns(&c, fname, names, col, 5, err, len);
	for (size_t r = 1; !rc && r < c.nr_rows; r++) {
		struct model *m;
		int l, d, s;
		double t;
		size_t k;

		if (csv_blank(&c, r)) {
			b->stats.blank_rows++;
			continue;
		}
		m = model_get(b, field(&c, r, col[0]), false);
		d = elem_of_code(b, field(&c, r, col[2]));
		s = elem_of_code(b, field(&c, r, col[3]));
		if (!m) {
			errbuf_set(err, len, "%s:%zu: Graph \"%s\" has no layer data", fname, r + 1,
				   field(&c, r, col[0]));
			rc = -EINVAL;
		} else if (d < 0 || s < 0) {
			errbuf_set(err, len, "%s:%zu: Dest/Src not elements of board.json", fname, r + 1);
			rc = -EINVAL;
		} else if (inum(field(&c, r, col[1]), &l) || l < 0 || l >= m->nr_layers) {
			errbuf_set(err, len, "%s:%zu: Layer out of range", fname, r + 1);
			rc = -EINVAL;
		} else if (num(field(&c, r, col[4]), &t) || t < 0) {
			errbuf_set(err, len, "%s:%zu: Time \"%s\" is not a number >= 0", fname, r + 1,
				   field(&c, r, col[4]));
			rc = -EINVAL;
		} else {
			k = ((size_t)l * b->nr_elems + s) * b->nr_elems + d;
			if (m->xfer_n[k]++) {
				b->stats.dup_transfers++;
				m->xfer_ms[k] += t;
			} else {
				m->xfer_ms[k] = t;
			}
		}
	}
	/* Duplicates are averaged (in this data they are identical). */
	for (int i = 0; !rc && i < b->nr_models; i++) {
		struct model *m = &b->models[i];
		size_t n = (size_t)m->nr_layers * b->nr_elems * b->nr_elems;

		for (size_t k = 0; k < n; k++)
			if (m->xfer_n[k] > 1)
				m->xfer_ms[k] /= m->xfer_n[k];
	}
	csv_free(&c);
	return rc;
}

/* "(4, 7)" -> {4, 7}; returns how many numbers. */
static int tuple(const char *s, int *v, int max)
{
	int n = 0;

	while (*s && n < max) {
		char *end;
		long x;

		while (*s && (*s < '0' || *s > '9') && *s != '-')
			s++;
		if (!*s)
			break;
		x = strtol(s, &end, 10);
		if (end == s)
			break;
		v[n++] = (int)x;
		s = end;
	}
	return n;
}

/*
 * The step that row @r of the transfer table gives element @e for the
 * order @s to @d (the sender's or receiver's own step, or its host's):
 * -2 when the row is about another order or blank, -1 when it says
 * nothing of @e.
 */
static int xfer_row_step(const struct board *b, const struct csv *c, size_t r,
			 const int *col, int s, int d, int e)
{
	const char *o = field(c, r, col[0]);
	int sv[2], rv[2], ns, nr;

	if (csv_blank(c, r) || strlen(o) != 2 ||
	    board_element_by_code(b, o[0]) != s || board_element_by_code(b, o[1]) != d)
		return -2;
	ns = tuple(field(c, r, col[1]), sv, 2);
	nr = tuple(field(c, r, col[2]), rv, 2);
	if (e == s)
		return sv[0];
	if (ns > 1 && e == b->el[s].host)
		return sv[1];
	if (e == d)
		return rv[0];
	if (nr > 1 && e == b->el[d].host)
		return rv[1];
	return -1;
}

static int load_transfer_freq(struct board *b, json_object *files, char *err,
			      size_t len)
{
	static const char *const names[] = { "order", "SenderFreq", "RecFreq",
		"time_ratio", "transfer_power" };
	const char *fname = b->cur;
	int col[5], rc;
	struct csv c;

	rc = open_csv(b, files, "transfer_freq", false, &c, err, len);
	if (rc > 0 && file_of(files, "transfers"))
		warn(b, "%s/board.json: no transfer_freq file: hand-offs do not scale with frequency",
		     b->dir);
	if (rc)
		return rc > 0 ? 0 : rc;
	rc = columns(&c, fname, names, col, 5, err, len);
	for (size_t r = 1; !rc && r < c.nr_rows; r++) {
		const char *o = field(&c, r, col[0]);
		int sv[2], rv[2], ns, nr, src, dst;
		double ratio, p;

		if (csv_blank(&c, r)) {
			b->stats.blank_rows++;
			continue;
		}
		if (strlen(o) != 2 || (src = board_element_by_code(b, o[0])) < 0 ||
		    (dst = board_element_by_code(b, o[1])) < 0) {
			errbuf_set(err, len, "%s:%zu: order \"%s\" is not two element codes",
				   fname, r + 1, o);
			rc = -EINVAL;
			break;
		}
		ns = tuple(field(&c, r, col[1]), sv, 2);
		nr = tuple(field(&c, r, col[2]), rv, 2);
		if (ns < 1 || nr < 1 || num(field(&c, r, col[3]), &ratio) || ratio <= 0 ||
		    num(field(&c, r, col[4]), &p) || p < 0) {
			errbuf_set(err, len, "%s:%zu: bad step tuple or number", fname, r + 1);
			rc = -EINVAL;
			break;
		}
		if (sv[0] < 0 || sv[0] >= b->el[src].nr_steps ||
		    rv[0] < 0 || rv[0] >= b->el[dst].nr_steps) {
			errbuf_set(err, len, "%s:%zu: step out of range", fname, r + 1);
			rc = -EINVAL;
			break;
		}
		b->xs[src][dst].present = true;
	}
	/*
	 * For each order, the element whose step varies over its rows (the
	 * sender, the receiver or one's host) is the one the ratio is about.
	 */
	for (int s = 0; !rc && s < b->nr_elems; s++)
		for (int d = 0; d < b->nr_elems; d++) {
			struct xscale *x = &b->xs[s][d];
			int best = -1, bestn = 0;

			if (!x->present)
				continue;
			for (int cnd = 0; cnd < b->nr_elems; cnd++) {
				bool seen[BOARD_MAX_STEPS] = { 0 };
				int distinct = 0;

				for (size_t r = 1; r < c.nr_rows; r++) {
					int st = xfer_row_step(b, &c, r, col, s, d, cnd);

					if (st >= 0 && st < BOARD_MAX_STEPS && !seen[st]) {
						seen[st] = true;
						distinct++;
					}
				}
				if (distinct > bestn) {
					bestn = distinct;
					best = cnd;
				}
			}
			x->vary = best;
			for (size_t r = 1; best >= 0 && r < c.nr_rows; r++) {
				int st = xfer_row_step(b, &c, r, col, s, d, best);
				double ratio, p;

				if (st == -2)
					continue;
				num(field(&c, r, col[3]), &ratio);
				num(field(&c, r, col[4]), &p);
				if (st < 0 || st >= b->el[best].nr_steps)
					continue;
				x->ratio[st] += ratio;
				x->power_mw[st] += p;
				x->n[st]++;
			}
			/* Means over tensor sizes; steps never measured: nearest. */
			for (int k = 0; best >= 0 && k < b->el[best].nr_steps; k++)
				if (x->n[k]) {
					x->ratio[k] /= x->n[k];
					x->power_mw[k] /= x->n[k];
				}
			for (int k = 0; best >= 0 && k < b->el[best].nr_steps; k++) {
				int dd;

				if (x->n[k])
					continue;
				for (dd = 1; dd < BOARD_MAX_STEPS; dd++) {
					int j = k - dd >= 0 && x->n[k - dd] ? k - dd :
						k + dd < b->el[best].nr_steps && x->n[k + dd] ? k + dd : -1;

					if (j >= 0) {
						x->ratio[k] = x->ratio[j];
						x->power_mw[k] = x->power_mw[j];
						break;
					}
				}
			}
			if (best < 0)
				x->present = false;
		}
	csv_free(&c);
	return rc;
}

/* ---------------------------------------------------------------- switches */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int load_switches(struct board *b, json_object *files, char *err, size_t len)
{
	static const char *const names[] = { "PE", "Freq", "NextFreq" };
	const char *fname = b->cur;
	/* All timings of a pair, for a median. */
	double *vals[BOARD_MAX_ELEMS][BOARD_MAX_STEPS][BOARD_MAX_STEPS] = { 0 };
	int nv[BOARD_MAX_ELEMS][BOARD_MAX_STEPS][BOARD_MAX_STEPS] = { 0 };
	int col[3], tcol[64], nt = 0, rc;
	struct csv c;

	rc = open_csv(b, files, "freq_switch", false, &c, err, len);
	if (rc > 0)
		warn(b, "%s/board.json: no freq_switch file: frequency switches cost 0 ms", b->dir);
	if (rc)
		return rc > 0 ? 0 : rc;
	rc = columns(&c, fname, names, col, 3, err, len);
	for (size_t i = 0; !rc && i < c.nr_fields[0] && nt < 64; i++) {
		const char *h = c.rows[0][i];

		if (h[0] == 'T' && h[1] >= '0' && h[1] <= '9')
			tcol[nt++] = (int)i;
	}
	if (!rc && !nt) {
		errbuf_set(err, len, "%s: no timing columns T1..Tn", fname);
		rc = -EINVAL;
	}
	for (size_t r = 1; !rc && r < c.nr_rows; r++) {
		const char *pe = field(&c, r, col[0]);
		int e = -1, f, g;

		if (csv_blank(&c, r)) {
			b->stats.blank_rows++;
			continue;
		}
		for (int i = 0; i < b->nr_elems; i++)
			if (b->switch_pe[i][0] && !strcmp(b->switch_pe[i], pe))
				e = i;
		if (e < 0)
			continue;	/* an element this board does not model */
		if (inum(field(&c, r, col[1]), &f) || inum(field(&c, r, col[2]), &g) ||
		    f < 0 || g < 0 || f >= b->el[e].nr_steps || g >= b->el[e].nr_steps) {
			errbuf_set(err, len, "%s:%zu: Freq/NextFreq out of range", fname, r + 1);
			rc = -EINVAL;
			break;
		}
		for (int k = 0; k < nt; k++) {
			double v, *nvv;

			if (num(field(&c, r, tcol[k]), &v)) {
				errbuf_set(err, len, "%s:%zu: timing \"%s\" is not a number", fname,
					   r + 1, field(&c, r, tcol[k]));
				rc = -EINVAL;
				break;
			}
			if (v < 0) {
				v = 0;
				b->stats.switch_clamped++;
			}
			nvv = realloc(vals[e][f][g], (nv[e][f][g] + 1) * sizeof(double));
			if (!nvv) {
				rc = -ENOMEM;
				break;
			}
			vals[e][f][g] = nvv;
			nvv[nv[e][f][g]++] = v;
		}
	}
	for (int e = 0; e < b->nr_elems; e++) {
		double up = 0, down = 0;
		int nu = 0, nd = 0;

		for (int f = 0; f < b->el[e].nr_steps; f++)
			for (int g = 0; g < b->el[e].nr_steps; g++) {
				int n = nv[e][f][g];
				double med;

				if (!n || f == g)
					continue;
				qsort(vals[e][f][g], n, sizeof(double), cmp_double);
				med = n % 2 ? vals[e][f][g][n / 2] :
					(vals[e][f][g][n / 2 - 1] + vals[e][f][g][n / 2]) / 2;
				b->sw_ns[e][f][g] = med;
				if (g > f)
					up += med, nu++;
				else
					down += med, nd++;
			}
		b->sw_up[e] = nu ? up / nu : 0;
		b->sw_down[e] = nd ? down / nd : 0;
		/* Pairs never measured cost the element's mean of their direction. */
		for (int f = 0; f < b->el[e].nr_steps; f++)
			for (int g = 0; g < b->el[e].nr_steps; g++)
				if (f != g && !nv[e][f][g])
					b->sw_ns[e][f][g] = g > f ? b->sw_up[e] : b->sw_down[e];
		for (int f = 0; f < BOARD_MAX_STEPS; f++)
			for (int g = 0; g < BOARD_MAX_STEPS; g++)
				free(vals[e][f][g]);
	}
	csv_free(&c);
	return rc;
}

/* ---------------------------------------------------------------- reference */

static int load_refs(struct board *b, json_object *files, char *err, size_t len)
{
	static const char *const names[] = { "Graph", "Component", "Freq", "Freq_Host",
		"Time" };
	const char *fname = b->cur;
	int col[5], rc;
	struct csv c;

	rc = open_csv(b, files, "reference", false, &c, err, len);
	if (rc)
		return rc > 0 ? 0 : rc;
	rc = columns(&c, fname, names, col, 5, err, len);
	b->refs = calloc(c.nr_rows, sizeof(*b->refs));
	if (!b->refs)
		rc = -ENOMEM;
	for (size_t r = 1; !rc && r < c.nr_rows; r++) {
		struct board_ref *x = &b->refs[b->nr_refs];

		if (csv_blank(&c, r))
			continue;
		x->model = board_model_by_name(b, field(&c, r, col[0]));
		x->elem = elem_of_code(b, field(&c, r, col[1]));
		if (x->model < 0 || x->elem < 0 || inum(field(&c, r, col[2]), &x->step) ||
		    inum(field(&c, r, col[3]), &x->host_step) ||
		    num(field(&c, r, col[4]), &x->time_ms)) {
			errbuf_set(err, len, "%s:%zu: unknown graph/element or bad number", fname, r + 1);
			rc = -EINVAL;
			break;
		}
		if (b->el[x->elem].khz[0] == 0)
			x->step = 0;
		b->nr_refs++;
	}
	csv_free(&c);
	return rc;
}

/* ---------------------------------------------------------------- derived */

static void step_powers(struct board *b)
{
	for (int e = 0; e < b->nr_elems; e++) {
		int h = b->el[e].host >= 0 ? board_top_step(b, b->el[e].host) : -1;

		for (int s = 0; s < b->el[e].nr_steps; s++) {
			double sum = 0;
			int n = 0;

			for (int i = 0; i < b->nr_models; i++) {
				const struct model *m = &b->models[i];
				const struct lset *ls = lset_of(m, e, s, h);

				if (!ls->present)
					continue;
				for (int l = 0; l < m->nr_layers; l++)
					if (!isnan(ls->task_mw[l]))
						sum += ls->task_mw[l] - b->base_mw, n++;
			}
			b->step_mw[e][s] = n ? sum / n : 0;
		}
	}
}

static void npu_calibrate(struct board *b);

struct board *board_load(const char *dir, char *err, size_t errlen)
{
	json_object *files = NULL;
	struct board *b = calloc(1, sizeof(*b));
	int rc;

	if (!b) {
		errbuf_set(err, errlen, "out of memory");
		return NULL;
	}
	if (!dir || strlen(dir) >= sizeof(b->dir)) {
		errbuf_set(err, errlen, "no board directory");
		free(b);
		return NULL;
	}
	snprintf(b->dir, sizeof(b->dir), "%s", dir);
	rc = parse_manifest(b, &files, err, errlen);
	if (!rc)
		rc = load_layers(b, files, err, errlen);
	if (!rc) {
		fill_power(b);
		rc = load_transfers(b, files, err, errlen);
	}
	if (!rc)
		rc = load_transfer_freq(b, files, err, errlen);
	if (!rc)
		rc = load_switches(b, files, err, errlen);
	if (!rc)
		rc = load_refs(b, files, err, errlen);
	json_object_put(files);
	if (rc) {
		board_free(b);
		return NULL;
	}
	npu_calibrate(b);
	step_powers(b);
	return b;
}

void board_free(struct board *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->nr_models; i++) {
		struct model *m = &b->models[i];

		if (m->set)
			for (int k = 0; k < b->nr_elems * BOARD_MAX_STEPS * NH; k++)
				lset_free(&m->set[k]);
		free(m->set);
		free(m->xfer_ms);
		free(m->xfer_n);
	}
	free(b->models);
	free(b->refs);
	free(b);
}

static bool has_manifest(const char *dir)
{
	char p[PATH_MAX + 16];
	struct stat st;

	if (snprintf(p, sizeof(p), "%s/board.json", dir) >= (int)sizeof(p))
		return false;
	return !stat(p, &st) && S_ISREG(st.st_mode);
}

int board_resolve(const char *name, char *out, size_t len)
{
	char exe[PATH_MAX], cand[PATH_MAX + 128];
	const char *env = getenv("EDGEAI_BOARDS");
	ssize_t n;

	if (!name || !*name)
		return -EINVAL;
	if (strchr(name, '/') || has_manifest(name)) {
		if (!has_manifest(name))
			return -ENOENT;
		snprintf(out, len, "%s", name);
		return 0;
	}
	if (env && *env) {
		snprintf(cand, sizeof(cand), "%s/%s", env, name);
		if (has_manifest(cand))
			goto found;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		static const char *const rel[] = { "../share/edgeai/boards",
			"../../data/boards", "../../../data/boards" };
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(cand, sizeof(cand), "%s/%s/%s", exe, rel[i], name);
			if (has_manifest(cand))
				goto found;
		}
	}
	snprintf(cand, sizeof(cand), "data/boards/%s", name);
	if (has_manifest(cand))
		goto found;
	return -ENOENT;
found:
	snprintf(out, len, "%s", cand);
	return 0;
}

struct board *board_open(const char *name_or_path, char *dir, size_t dirlen,
			 char *err, size_t errlen)
{
	if (board_resolve(name_or_path, dir, dirlen)) {
		snprintf(err, errlen,
			 "board \"%s\" not found (give a directory, or set EDGEAI_BOARDS)",
			 name_or_path);
		return NULL;
	}
	return board_load(dir, err, errlen);
}

/* ---------------------------------------------------------------- queries */

const char *board_name(const struct board *b)
{
	return b->name;
}

const struct board_stats *board_stats(const struct board *b)
{
	return &b->stats;
}

int board_nr_elements(const struct board *b)
{
	return b->nr_elems;
}

const struct board_element *board_element(const struct board *b, int e)
{
	return e >= 0 && e < b->nr_elems ? &b->el[e] : NULL;
}

int board_element_by_code(const struct board *b, char code)
{
	for (int i = 0; i < b->nr_elems; i++)
		if (b->el[i].code == code)
			return i;
	return -ENOENT;
}

int board_element_by_cluster(const struct board *b, const char *cluster)
{
	for (int i = 0; i < b->nr_elems; i++)
		if (!strcmp(b->el[i].cluster, cluster))
			return i;
	return -ENOENT;
}

int board_step_of_khz(const struct board *b, int e, uint32_t khz)
{
	if (e < 0 || e >= b->nr_elems)
		return -EINVAL;
	for (int i = b->el[e].nr_steps; i > 1; i--)
		if (b->el[e].khz[i - 1] <= khz)
			return i - 1;
	return 0;
}

int board_top_step(const struct board *b, int e)
{
	if (e < 0 || e >= b->nr_elems)
		return -EINVAL;
	return b->el[e].nr_steps - 1;
}

int board_nr_models(const struct board *b)
{
	return b->nr_models;
}

const char *board_model_name(const struct board *b, int m)
{
	return m >= 0 && m < b->nr_models ? b->models[m].name : NULL;
}

int board_model_by_name(const struct board *b, const char *name)
{
	for (int i = 0; i < b->nr_models; i++)
		if (!strcmp(b->models[i].name, name))
			return i;
	return -ENOENT;
}

int board_model_layers(const struct board *b, int m)
{
	return m >= 0 && m < b->nr_models ? b->models[m].nr_layers : -EINVAL;
}

/* The setting's data, or NULL; normalises the host step. */
static const struct lset *setting(const struct board *b, int m, int e, int s,
				  int *h)
{
	const struct lset *ls;

	if (m < 0 || m >= b->nr_models || e < 0 || e >= b->nr_elems ||
	    s < 0 || s >= b->el[e].nr_steps)
		return NULL;
	if (b->el[e].host < 0)
		*h = -1;
	else if (*h < 0 || *h >= b->el[b->el[e].host].nr_steps)
		*h = b->el[b->el[e].host].nr_steps - 1;
	ls = lset_of(&b->models[m], e, s, *h);
	return ls->present && ls->complete ? ls : NULL;
}

bool board_has(const struct board *b, int m, int e)
{
	int h = -1;

	return e >= 0 && e < b->nr_elems &&
	       setting(b, m, e, board_top_step(b, e), &h) != NULL;
}

static void add(struct board_cost *c, const struct board *b, double ms, double mw)
{
	c->time_ns += (uint64_t)llround(ms * 1e6);
	c->energy_uj += ms * mw;
	c->dyn_energy_uj += ms * (mw > b->base_mw ? mw - b->base_mw : 0);
}

static int check_range(const struct board *b, int m, int first, int n)
{
	if (m < 0 || m >= b->nr_models || first < 0 || n < 1 ||
	    first + n > b->models[m].nr_layers)
		return -EINVAL;
	return 0;
}

static double nz(double v)
{
	return isnan(v) ? 0 : v;
}

/* An NPU run in one call: its layers' compute fused (npu_fit()). */
static bool fused(const struct board *b, int e)
{
	return b->el[e].kind == BOARD_NPU && b->npu_ovh == NPU_OVH_SEGMENT;
}

/*
 * The pieces of a stage on setting ls, with fusion factor phi for an NPU
 * run: entry(first) + layer(l) for every layer + exit(last).
 */
static double layer_ms(const struct board *b, const struct lset *ls, int e, int l,
		       double phi)
{
	return fused(b, e) ? phi * ls->task_ms[l] : ls->task_ms[l];
}

static void entry_part(const struct board *b, const struct lset *ls, int e, int first,
		       double phi, struct board_cost *c)
{
	double mw = ls->task_mw[first];

	/* Input: the frame for layer 0; an NPU copies in at every run. */
	if (!isnan(ls->in_ms[first]))
		add(c, b, ls->in_ms[first], ls->in_mw[first]);
	if (b->el[e].kind != BOARD_NPU)
		return;
	/* NPU_load: the run's input into the NPU. */
	if (b->npu_ovh != NPU_OVH_NONE)
		add(c, b, nz(ls->load_ms[first]), mw);
	/* One call: the first layer's compute whole, the others' fused. */
	if (fused(b, e))
		add(c, b, (1 - phi) * ls->task_ms[first], mw);
}

static void exit_part(const struct board *b, const struct lset *ls, int e, int last,
		      struct board_cost *c)
{
	double mw = ls->task_mw[last], get = nz(ls->runget_ms[last]) - ls->task_ms[last];

	/* Output: the network's result; an NPU copies out at every run. */
	if (!isnan(ls->out_ms[last]))
		add(c, b, ls->out_ms[last], mw);
	if (get < 0)
		get = 0;
	/* The call's return (NPU_run_get - task), its output out (NPU_fill_tensor). */
	if (fused(b, e) || (b->el[e].kind == BOARD_NPU && b->npu_ovh == NPU_OVH_LOAD_UNLOAD))
		add(c, b, get + nz(ls->fill_ms[last]), mw);
}

static void stage_part(const struct board *b, const struct lset *ls, int e, int first,
		       int n, double phi, struct board_cost *c)
{
	memset(c, 0, sizeof(*c));
	entry_part(b, ls, e, first, phi, c);
	for (int l = first; l < first + n; l++)
		add(c, b, layer_ms(b, ls, e, l, phi), ls->task_mw[l]);
	exit_part(b, ls, e, first + n - 1, c);
}

int board_layer_cost(const struct board *b, int m, int layer, int e, int s,
		     int h, struct board_cost *c)
{
	const struct lset *ls;

	memset(c, 0, sizeof(*c));
	if (check_range(b, m, layer, 1) || e < 0 || e >= b->nr_elems ||
	    s < 0 || s >= b->el[e].nr_steps)
		return -EINVAL;
	ls = setting(b, m, e, s, &h);
	if (!ls)
		return -ENOENT;
	add(c, b, layer_ms(b, ls, e, layer, b->models[m].npu_phi[e]), ls->task_mw[layer]);
	return 0;
}

static const struct lset *stage_setting(const struct board *b, int m, int first,
					int n, int e, int s, int *h, int *rc)
{
	const struct lset *ls;

	*rc = -EINVAL;
	if (check_range(b, m, first, n) || e < 0 || e >= b->nr_elems ||
	    s < 0 || s >= b->el[e].nr_steps)
		return NULL;
	ls = setting(b, m, e, s, h);
	*rc = ls ? 0 : -ENOENT;
	return ls;
}

int board_entry_cost(const struct board *b, int m, int first, int e, int s,
		     int h, struct board_cost *c)
{
	const struct lset *ls;
	int rc;

	memset(c, 0, sizeof(*c));
	ls = stage_setting(b, m, first, 1, e, s, &h, &rc);
	if (ls)
		entry_part(b, ls, e, first, b->models[m].npu_phi[e], c);
	return rc;
}

int board_exit_cost(const struct board *b, int m, int last, int e, int s,
		    int h, struct board_cost *c)
{
	const struct lset *ls;
	int rc;

	memset(c, 0, sizeof(*c));
	ls = stage_setting(b, m, last, 1, e, s, &h, &rc);
	if (ls)
		exit_part(b, ls, e, last, c);
	return rc;
}

int board_stage_cost(const struct board *b, int m, int first, int n, int e,
		     int s, int h, struct board_cost *c)
{
	const struct lset *ls;
	int rc;

	memset(c, 0, sizeof(*c));
	ls = stage_setting(b, m, first, n, e, s, &h, &rc);
	if (ls)
		stage_part(b, ls, e, first, n, b->models[m].npu_phi[e], c);
	return rc;
}

/*
 * The fusion factor of NPU element e: inside one call, a layer after the
 * first costs phi x its measured task time (each layer was measured as a
 * call of its own, its task time holding the call's own overheads).  The
 * least-squares phi over the whole-network references on e that have
 * per-layer data, of network "model" only (-1: of every network), leaving
 * out reference "exclude" (-1: none); 1 (no saving) without any.  Returns
 * how many references it used; *layers is the longest of their networks.
 */
static int npu_fit(const struct board *b, int e, int model, int exclude, double *phi,
		   int *layers)
{
	double num = 0, den = 0;
	int used = 0;

	*phi = 1;
	*layers = 0;
	for (int i = 0; i < b->nr_refs; i++) {
		const struct board_ref *r = &b->refs[i];
		int h = r->host_step, nl = board_model_layers(b, r->model);
		const struct lset *ls;
		struct board_cost c;
		double rest = 0;

		if (i == exclude || r->elem != e || (model >= 0 && r->model != model))
			continue;
		ls = setting(b, r->model, e, r->step, &h);
		if (!ls)
			continue;
		stage_part(b, ls, e, 0, nl, 0, &c);
		for (int l = 1; l < nl; l++)
			rest += ls->task_ms[l];
		num += (r->time_ms - c.time_ns / 1e6) * rest;
		den += rest * rest;
		if (nl > *layers)
			*layers = nl;
		used++;
	}
	if (den > 0)
		*phi = fmin(1, fmax(0, num / den));
	return used;
}

/*
 * What one call saves is a property of a network's layers on the NPU, so
 * each network's runs take the factor fitted to its own references; a
 * network without one pays its layers' measured task times (phi 1).  The
 * factor over every network is what board_npu_fusion() reports, and the
 * longest calibrated network bounds every run.
 */
static void npu_calibrate(struct board *b)
{
	int layers;

	for (int e = 0; e < b->nr_elems; e++) {
		b->npu_phi[e] = 1;
		for (int m = 0; m < b->nr_models; m++)
			b->models[m].npu_phi[e] = 1;
		if (!fused(b, e))
			continue;
		if (!npu_fit(b, e, -1, -1, &b->npu_phi[e], &b->npu_cal_layers[e])) {
			warn(b, "element %c: no whole-network reference with per-layer data: "
			     "its layers inside a run cost their measured task time",
			     b->el[e].code);
			continue;
		}
		for (int m = 0; m < b->nr_models; m++)
			npu_fit(b, e, m, -1, &b->models[m].npu_phi[e], &layers);
	}
}

bool board_one_call(const struct board *b, int e)
{
	return e >= 0 && e < b->nr_elems && fused(b, e);
}

double board_npu_fusion(const struct board *b, int e)
{
	return e >= 0 && e < b->nr_elems ? b->npu_phi[e] : 0;
}

double board_npu_model_fusion(const struct board *b, int m, int e)
{
	if (m < 0 || m >= b->nr_models || e < 0 || e >= b->nr_elems)
		return 0;
	return b->models[m].npu_phi[e];
}

int board_npu_calibrated_layers(const struct board *b, int e)
{
	return e >= 0 && e < b->nr_elems ? b->npu_cal_layers[e] : 0;
}

int board_ref_find(const struct board *b, int m, int e, int s, int h)
{
	if (e < 0 || e >= b->nr_elems)
		return -EINVAL;
	if (b->el[e].host < 0)
		h = -1;
	else if (h < 0 || h >= b->el[b->el[e].host].nr_steps)
		h = b->el[b->el[e].host].nr_steps - 1;
	for (int i = 0; i < b->nr_refs; i++) {
		const struct board_ref *r = &b->refs[i];
		int rh = b->el[e].host < 0 ? -1 : r->host_step;

		if (r->model == m && r->elem == e && r->step == s && rh == h)
			return i;
	}
	return -ENOENT;
}

int board_ref_loo_ms(const struct board *b, int i, double *ms)
{
	const struct board_ref *r = board_ref(b, i);
	const struct lset *ls;
	struct board_cost c;
	double phi = 1;
	int h, layers;

	if (!r)
		return -EINVAL;
	h = r->host_step;
	ls = setting(b, r->model, r->elem, r->step, &h);
	if (!ls)
		return -ENOENT;
	if (fused(b, r->elem))
		npu_fit(b, r->elem, r->model, i, &phi, &layers);
	stage_part(b, ls, r->elem, 0, board_model_layers(b, r->model), phi, &c);
	*ms = c.time_ns / 1e6;
	return 0;
}

const char *board_warnings(const struct board *b)
{
	return b->warn;
}

/* The element whose hand-off rows stand for e (an NPU's: its host's). */
static int xfer_proxy(const struct board *b, const struct model *m, int e)
{
	for (int l = 0; l < m->nr_layers; l++)
		for (int o = 0; o < b->nr_elems; o++) {
			size_t k1 = ((size_t)l * b->nr_elems + e) * b->nr_elems + o;
			size_t k2 = ((size_t)l * b->nr_elems + o) * b->nr_elems + e;

			if (m->xfer_n[k1] || m->xfer_n[k2])
				return e;
		}
	return b->el[e].host >= 0 ? b->el[e].host : e;
}

int board_handoff_cost(const struct board *b, int mi, int after, int src,
		       int ss, int sh, int dst, int ds, int dh,
		       struct board_cost *c)
{
	const struct model *m;
	const struct xscale *x;
	int ps, pd, vs = -1;
	double t, sum = 0, scale = 1, mw;
	size_t k;
	int n = 0;

	memset(c, 0, sizeof(*c));
	if (mi < 0 || mi >= b->nr_models || src < 0 || src >= b->nr_elems ||
	    dst < 0 || dst >= b->nr_elems)
		return -EINVAL;
	m = &b->models[mi];
	if (after < 0 || after >= m->nr_layers - 1)
		return -EINVAL;
	if (src == dst || b->no_transfers)
		return 0;
	ps = xfer_proxy(b, m, src);
	pd = xfer_proxy(b, m, dst);
	if (ps == pd) {
		/*
		 * An element and its host share the host's rows.  The manifest
		 * may name an element whose rows from the host stand for that
		 * hand-off (both ways); else it is in the element's own copies.
		 */
		int acc = b->host_handoff[src] >= 0 ? src : dst;

		if (b->host_handoff[acc] < 0 || b->host_handoff[acc] == ps)
			return 0;
		pd = b->host_handoff[acc];
	}
	k = ((size_t)after * b->nr_elems + ps) * b->nr_elems + pd;
	t = m->xfer_ms[k];
	if (isnan(t)) {
		/* No row for this layer: the pair's mean over the network. */
		for (int l = 0; l < m->nr_layers; l++) {
			double v = m->xfer_ms[((size_t)l * b->nr_elems + ps) * b->nr_elems + pd];

			if (!isnan(v))
				sum += v, n++;
		}
		if (!n)
			return -ENOENT;
		t = sum / n;
	}
	/* Frequency scaling, measured for this order or the reverse one. */
	x = &b->xs[ps][pd];
	if (!x->present)
		x = &b->xs[pd][ps];
	mw = board_base_power_mw(b);
	if (x->present) {
		int v = x->vary, top = board_top_step(b, v);

		if (v == src)
			vs = ss;
		else if (v == dst)
			vs = ds;
		else if (v == b->el[src].host)
			vs = sh;
		else if (v == b->el[dst].host)
			vs = dh;
		if (vs < 0 || vs > top)
			vs = top;
		/* Transfers.csv was measured with everything at the top step. */
		scale = x->ratio[vs] / x->ratio[top];
		mw = x->power_mw[vs];
	}
	add(c, b, t * scale, mw);
	return 0;
}

uint64_t board_switch_ns(const struct board *b, int e, int from, int to)
{
	if (e < 0 || e >= b->nr_elems || from == to || from < 0 || to < 0 ||
	    from >= b->el[e].nr_steps || to >= b->el[e].nr_steps)
		return 0;
	return (uint64_t)llround(b->sw_ns[e][from][to]);
}

uint64_t board_switch_up_ns(const struct board *b, int e)
{
	return e >= 0 && e < b->nr_elems ? (uint64_t)llround(b->sw_up[e]) : 0;
}

uint64_t board_switch_down_ns(const struct board *b, int e)
{
	return e >= 0 && e < b->nr_elems ? (uint64_t)llround(b->sw_down[e]) : 0;
}

double board_base_power_mw(const struct board *b)
{
	return b->base_mw;
}

double board_step_speed(const struct board *b, int e, int s)
{
	double at_top = 0, at_step = 0;
	int h, top;

	if (e < 0 || e >= b->nr_elems || s < 0 || s >= b->el[e].nr_steps)
		return 0;
	h = b->el[e].host >= 0 ? board_top_step(b, b->el[e].host) : -1;
	top = board_top_step(b, e);
	for (int i = 0; i < b->nr_models; i++) {
		const struct model *m = &b->models[i];
		const struct lset *t = lset_of(m, e, top, h);
		const struct lset *x = lset_of(m, e, s, h);

		if (!t->present || !x->present)
			continue;
		for (int l = 0; l < m->nr_layers; l++) {
			if (isnan(t->task_ms[l]) || isnan(x->task_ms[l]))
				continue;
			at_top += t->task_ms[l];
			at_step += x->task_ms[l];
		}
	}
	return at_step > 0 ? at_top / at_step : 0;
}

double board_step_power_mw(const struct board *b, int e, int s)
{
	if (e < 0 || e >= b->nr_elems || s < 0 || s >= b->el[e].nr_steps)
		return 0;
	return b->step_mw[e][s];
}

int board_nr_refs(const struct board *b)
{
	return b->nr_refs;
}

const struct board_ref *board_ref(const struct board *b, int i)
{
	return i >= 0 && i < b->nr_refs ? &b->refs[i] : NULL;
}
