// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-run: applications on edgeai, for the demo and for trying things.
 *
 *   edgeai-run modparams [--board B]
 *   edgeai-run setup [--board B]
 *   edgeai-run apps [--board B] [--duration S] [--json FILE] [--fcfs]
 *                   [--util-governor] [--admit] [--no-fallbacks] [--no-cancel-late]
 *                   [--no-alts] [--label L] APP...
 *   edgeai-run compare JSON JSON
 *
 * modparams prints the module parameters that make edgeai.ko's virtual
 * clusters those of a board profile; setup gives the kernel the profile's
 * power, speed and frequency-switch figures (CLUSTER_SET_MODEL); apps runs
 * applications side by side, one thread and one open file each, and
 * prints what each got; compare puts two runs' --json summaries in one
 * table (compare.c).
 *
 * --fcfs runs them as the board would without edgeai's arbitration: every
 * job in the normal class with no deadline given to the kernel, so each
 * cluster serves stages first come, first served (edgeai-run still counts
 * the deadlines itself); --util-governor drives every cluster as Linux's
 * default governors would (schedutil, simple_ondemand: utilgov.c);
 * --admit asks for strict admission (a job that cannot meet its deadline
 * is refused at submission, and counted).  With --admit, an application
 * of a board model with a deadline also registers its fallback graphs
 * (plan_fallbacks(): its other candidate plans whose latency alone fits
 * the deadline, as the simulator builds them), and a frame refused on its
 * plan's graph (-ETIME) goes to them in order of least expected finish
 * (plan_expected_finish(), from each cluster's wait_ns for the frame's
 * class, edgeai_cluster_wait_ns()), the first that admits it running it;
 * --no-fallbacks turns that off.  With --admit, a frame whose deadline has
 * passed before its job completed is also cancelled (edgeai_cancel(),
 * JOB_CANCEL), so its stages still queued never run, and counted as missed
 * and as cancelled late (the simulator's drop_expired); --no-cancel-late
 * leaves late frames to run.  On a module with EDGEAI_FEAT_STAGE_ALTS,
 * every graph of a board model (the plan's and its fallbacks) gives each
 * stage its alternatives (plan_alternatives(): the same layers on each
 * other element with data for the model, within elements=, declared as
 * the plan's own stages are), and the kernel queues each ready stage where
 * it would end soonest, as the simulator's stage_by_finish does; --no-alts
 * (and --fcfs) leaves each stage on its plan's cluster.
 *
 * An application is NAME:key=value,...:
 *
 *   model=M           a model of the board profile, planned with
 *   goal=G            latency | throughput | energy  (default latency)
 *   elements=CODES    elements the plan may use, e.g. LBG (default all)
 *   floor=PCT         or planned with precision variants (fp32 or int8 per
 *                     layer, variants.h) for goal latency or energy, at
 *                     least PCT % declared top-1 accuracy
 *   tflite=PATH       or a real .tflite model, whole, one stage on
 *   cluster=NAME      this cluster (run by edgeaid's armnn backend)
 *   cost=MS           its stage's estimate at the top frequency (20)
 *   prio=P            realtime | high | normal | background (normal)
 *   fps=F             a camera: one frame every 1/F s (frames that find
 *                     every buffer set busy are dropped, as a camera does)
 *   batch=W           or a batch: W jobs kept in flight
 *   deadline=MS       each frame's deadline after its arrival (none), or
 *   deadline=Fx       F times the plan's predicted latency (model= only)
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include <edgeai.h>

#include "board.h"
#include "plan.h"
#include "tflite.h"
#include "variants.h"
#include "compare.h"
#include "utilgov.h"

#define MS		1000000ULL
#define MAX_APPS	8
#define RING		16	/* buffer sets per application */
#define MAX_BUFS	(PLAN_MAX_STAGES + 1)
#define NOMINAL_NPU_KHZ	1000000	/* an NPU without DVFS: one nominal step */

static const char *const prio_names[] = { "realtime", "high", "normal", "background" };

struct app {
	/* what to run */
	char name[32];
	int model;			/* board model, -1 for a .tflite */
	struct plan_opts opts;
	char tflite[256];
	char cluster[EDGEAI_NAME_LEN];
	double cost_ms;
	uint32_t prio;
	double fps;
	unsigned int batch;
	double deadline_ms;
	double deadline_x;		/* deadline=Fx: F, resolved at setup */
	double floor_pct;		/* floor=PCT: precision variants, 0 for none */

	/* set up */
	struct plan plan;
	char plan_desc[128];
	uint32_t speed[PLAN_MAX_STAGES][EDGEAI_MAX_FREQS];
	struct edgeai *h;
	uint32_t graph;
	uint32_t nr_bufs;		/* per buffer set: the most any graph takes */
	uint32_t graph_bufs;		/* the plan's graph's */
	uint64_t buf_size[MAX_BUFS];
	int fds[RING][MAX_BUFS];
	bool busy[RING];
	uint64_t arrival[RING];
	uint64_t job_id[RING];
	bool cancel_sent[RING];		/* cancelled late, not yet collected */
	int model_fd;
	uint64_t out_bytes;

	/* fallback graphs (--admit): tried when the plan's refuses a frame */
	struct plan *alts;
	uint32_t alt_graph[PLAN_MAX_CANDIDATES];
	long alt_taken[PLAN_MAX_CANDIDATES];
	char alt_desc[PLAN_MAX_CANDIDATES][64];
	int nr_alts;
	int cluster_of[BOARD_MAX_ELEMS];	/* the kernel's id of each element used */
	int nr_stage_alts;		/* alternatives the plan's graph declared */

	/* results */
	long arrived, dropped, refused, submitted, done, met, missed, failed, other;
	long fallbacks;			/* frames a fallback graph admitted */
	long cancelled_late;		/* frames cancelled after their deadline */
	long outputs_ok, outputs_checked;
	double energy_mj;
	double *lat_ms;
	size_t nr_lat, cap_lat;
	int error;
};

static const struct board *board;
static const char *board_arg;	/* its name as given (floor=: its accuracy data) */
static struct app apps[MAX_APPS];
static int nr_apps;
static double duration_s = 30;
static volatile bool sampling;
static bool fcfs, admit, util_gov, no_fallbacks, no_cancel_late, no_alts;
static const char *run_label = "";

static uint64_t now_ns(void)
{
	return edgeai_now_ns();
}

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die(const char *fmt, ...)
{
	va_list ap;

	fputs("edgeai-run: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* ------------------------------------------------------------ board */

static const struct board *load_board(const char *name)
{
	char dir[4096], err[512];
	struct board *b;

	if (board_resolve(name, dir, sizeof(dir))) {
		die("no board profile %s", name);
		return NULL;
	}
	b = board_load(dir, err, sizeof(err));
	if (!b)
		die("board %s: %s", name, err);
	return b;
}

/* The virtual clusters of the board as module parameters. */
static int cmd_modparams(void)
{
	int e, s, nr = board_nr_elements(board);

	fputs("clusters=", stdout);
	for (e = 0; e < nr; e++) {
		const struct board_element *el = board_element(board, e);

		printf("%s%s:%s:", e ? ";" : "", el->cluster,
		       el->kind == BOARD_CPU ? "cpu" : el->kind == BOARD_GPU ? "gpu" : "npu");
		if (el->nr_steps == 1 && !el->khz[0]) {
			printf("%u", NOMINAL_NPU_KHZ);
		} else {
			for (s = 0; s < el->nr_steps; s++)
				printf("%s%u", s ? "," : "", el->khz[s]);
		}
		putchar(':');
		for (s = 0; s < el->nr_steps; s++)
			printf("%s%.0f", s ? "," : "", board_step_power_mw(board, e, s));
	}
	fputs(" hosts=", stdout);
	for (e = 0, s = 0; e < nr; e++) {
		const struct board_element *el = board_element(board, e);

		if (el->host < 0)
			continue;
		printf("%s%s:%s", s++ ? ";" : "", el->cluster,
		       board_element(board, el->host)->cluster);
	}
	putchar('\n');
	return 0;
}

/* The board's speed and switch figures into the kernel's cluster models. */
static int cmd_setup(void)
{
	struct edgeai *h;
	int e, s, ret, id;

	ret = edgeai_open(&h);
	if (ret)
		return die("/dev/edgeai: %s", edgeai_strerror(ret));
	for (e = 0; e < board_nr_elements(board); e++) {
		const struct board_element *el = board_element(board, e);
		uint32_t power[EDGEAI_MAX_FREQS], speed[EDGEAI_MAX_FREQS];
		struct edgeai_cluster_set_model m = { .size = sizeof(m) };
		struct edgeai_cluster_desc d;

		id = edgeai_cluster_find(h, el->cluster);
		if (id < 0 || edgeai_cluster_get(h, (uint32_t)id, &d)) {
			fprintf(stderr, "edgeai-run: no cluster %s, skipped\n", el->cluster);
			continue;
		}
		if (d.info.nr_freqs != (uint32_t)el->nr_steps || el->nr_steps > EDGEAI_MAX_FREQS) {
			fprintf(stderr, "edgeai-run: cluster %s has %u steps, the board %d: skipped\n",
				el->cluster, d.info.nr_freqs, el->nr_steps);
			continue;
		}
		for (s = 0; s < el->nr_steps; s++) {
			power[s] = (uint32_t)lround(board_step_power_mw(board, e, s));
			speed[s] = (uint32_t)lround(board_step_speed(board, e, s) * 1024);
		}
		m.cluster_id = (uint32_t)id;
		m.nr_steps = (uint32_t)el->nr_steps;
		m.power_mw = (uintptr_t)power;
		m.speed = (uintptr_t)speed;
		m.switch_up_us = (uint32_t)(board_switch_up_ns(board, e) / 1000);
		m.switch_down_us = (uint32_t)(board_switch_down_ns(board, e) / 1000);
		ret = ioctl(edgeai_fd(h), EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m) ? -errno : 0;
		if (ret) {
			edgeai_close(h);
			return die("CLUSTER_SET_MODEL %s: %s", el->cluster, edgeai_strerror(ret));
		}
		printf("%s: %d steps, switch up %u us down %u us\n", el->cluster, el->nr_steps,
		       m.switch_up_us, m.switch_down_us);
	}
	edgeai_close(h);
	return 0;
}

/* ------------------------------------------------------------ apps */

static int parse_app(const char *arg, struct app *a)
{
	char buf[512], *spec, *tok, *save;
	const char *colon = strchr(arg, ':');

	memset(a, 0, sizeof(*a));
	a->model = -1;
	a->prio = EDGEAI_PRIO_NORMAL;
	a->cost_ms = 20;
	a->opts.goal = PLAN_LATENCY;
	a->model_fd = -1;
	if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof(a->name))
		return die("%s: an application is NAME:key=value,...", arg);
	snprintf(a->name, sizeof(a->name), "%.*s", (int)(colon - arg), arg);
	snprintf(buf, sizeof(buf), "%s", colon + 1);
	spec = buf;
	for (tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *v = strchr(tok, '=');
		int i;

		if (!v)
			return die("%s: \"%s\" is not key=value", a->name, tok);
		*v++ = 0;
		if (!strcmp(tok, "model")) {
			a->model = board_model_by_name(board, v);
			if (a->model < 0)
				return die("%s: the board has no model %s", a->name, v);
		} else if (!strcmp(tok, "goal")) {
			if (!strcmp(v, "latency"))
				a->opts.goal = PLAN_LATENCY;
			else if (!strcmp(v, "throughput"))
				a->opts.goal = PLAN_THROUGHPUT;
			else if (!strcmp(v, "energy"))
				a->opts.goal = PLAN_ENERGY;
			else
				return die("%s: goal %s is not latency, throughput or energy", a->name, v);
		} else if (!strcmp(tok, "elements")) {
			for (; *v; v++) {
				int e = board_element_by_code(board, *v);

				if (e < 0)
					return die("%s: the board has no element %c", a->name, *v);
				a->opts.elems |= 1u << e;
			}
		} else if (!strcmp(tok, "floor")) {
			a->floor_pct = atof(v);
			if (a->floor_pct <= 0 || a->floor_pct > 100)
				return die("%s: floor %s is not a percentage in (0, 100]", a->name, v);
		} else if (!strcmp(tok, "tflite")) {
			snprintf(a->tflite, sizeof(a->tflite), "%s", v);
		} else if (!strcmp(tok, "cluster")) {
			snprintf(a->cluster, sizeof(a->cluster), "%s", v);
		} else if (!strcmp(tok, "cost")) {
			a->cost_ms = atof(v);
		} else if (!strcmp(tok, "prio")) {
			for (i = 0; i < EDGEAI_NR_PRIO && strcmp(v, prio_names[i]); i++)
				;
			if (i == EDGEAI_NR_PRIO)
				return die("%s: priority %s is not one of realtime, high, normal, background",
					   a->name, v);
			a->prio = (uint32_t)i;
		} else if (!strcmp(tok, "fps")) {
			a->fps = atof(v);
		} else if (!strcmp(tok, "batch")) {
			a->batch = (unsigned int)atoi(v);
		} else if (!strcmp(tok, "deadline")) {
			char *end;
			double d = strtod(v, &end);

			if (end == v || (*end && strcmp(end, "x")) || d <= 0)
				return die("%s: deadline=%s is neither MS nor a multiple Fx", a->name, v);
			if (*end)
				a->deadline_x = d;
			else
				a->deadline_ms = d;
		} else {
			return die("%s: unknown key %s", a->name, tok);
		}
	}
	if ((a->model < 0) == !a->tflite[0])
		return die("%s: give either model= or tflite=", a->name);
	if (a->tflite[0] && !a->cluster[0])
		return die("%s: tflite= needs cluster=", a->name);
	if ((a->fps > 0) == (a->batch > 0))
		return die("%s: give either fps= or batch=", a->name);
	if (a->batch > RING)
		return die("%s: batch is at most %d", a->name, RING);
	if (a->fps < 0 || a->deadline_ms < 0 || a->cost_ms <= 0)
		return die("%s: fps, deadline and cost must be positive", a->name);
	if (a->deadline_x > 0 && a->model < 0)
		return die("%s: deadline=Fx needs a plan (model=)", a->name);
	return 0;
}

/*
 * A stage's own speed at each step of element elem relative to the top, in
 * 1/1024, as the planner declares it (plan_stage.speed, from the board's
 * per-step costs of its layers, host at its top): the kernel scales the
 * stage's estimate with these rather than the cluster's average speeds.
 * Only when the kernel's cluster has the board element's steps; the
 * kernel's speed pointer and count are left 0 otherwise.
 */
static void speeds_for(struct app *a, int elem, uint32_t cluster_id, const uint32_t *from,
		       uint32_t *speed, __u64 *ptr, __u32 *nr_steps)
{
	const struct board_element *el = board_element(board, elem);
	struct edgeai_cluster_desc d;
	int s;

	if (edgeai_cluster_get(a->h, cluster_id, &d) ||
	    d.info.nr_freqs != (uint32_t)el->nr_steps || el->nr_steps > EDGEAI_MAX_FREQS ||
	    el->nr_steps > BOARD_MAX_STEPS)
		return;
	for (s = 0; s < el->nr_steps; s++)
		speed[s] = from[s];
	*ptr = (uintptr_t)speed;
	*nr_steps = (uint32_t)el->nr_steps;
}

/*
 * floor=: the planner picks a precision variant per layer (variants.h) and
 * the choice is an ordinary plan; the kernel never learns which is int8.
 */
static int variants_plan(struct app *a, char *err, size_t errlen)
{
	struct var_opts o = { .goal = a->opts.goal, .floor_pct = a->floor_pct,
			      .elems = a->opts.elems };
	struct var_result *r = malloc(sizeof(*r));
	struct acc_quant q;
	char dir[4096];
	int ret = -ENOMEM;

	if (!r)
		return snprintf(err, errlen, "out of memory"), ret;
	ret = board_resolve(board_arg, dir, sizeof(dir));
	if (ret)
		snprintf(err, errlen, "board %s not found", board_arg);
	if (!ret)
		ret = acc_quant_read(dir, board_model_name(board, a->model), &q, err, errlen);
	if (!ret)
		ret = var_plan(board, a->model, &q, &o, r, err, errlen);
	if (!ret)
		ret = var_to_plan(board, a->model, r, o.goal, &a->plan);
	free(r);
	return ret;
}

/*
 * A plan of the board profile as the kernel's stages (st[i].speed points
 * into speed[i]), described as "B0-13 N14-27" into desc.
 */
static int plan_stages(struct app *a, const struct plan *p, struct edgeai_stage *st,
		       uint32_t (*speed)[EDGEAI_MAX_FREQS], char *desc, size_t desclen)
{
	size_t len = 0;
	int i, id;

	desc[0] = 0;
	for (i = 0; i < p->nr_stages; i++) {
		const struct plan_stage *ps = &p->stages[i];
		const struct board_element *el = board_element(board, ps->elem);

		id = edgeai_cluster_find(a->h, el->cluster);
		if (id < 0)
			return die("%s: the kernel has no cluster %s (see edgeai-run modparams)",
				   a->name, el->cluster);
		a->cluster_of[ps->elem] = id;
		st[i] = (struct edgeai_stage){
			.cluster_id = (uint32_t)id,
			.first_layer = (uint32_t)ps->first_layer,
			.nr_layers = (uint32_t)ps->nr_layers,
			.cost_ns = ps->cost_ns,
			.in_mask = 1ULL << i,
			.out_mask = 1ULL << (i + 1),
			.freq_khz = ps->freq_khz,
		};
		speeds_for(a, ps->elem, st[i].cluster_id, ps->speed, speed[i], &st[i].speed,
			   &st[i].nr_steps);
		len += (size_t)snprintf(desc + len, desclen - len, "%s%c%d-%d",
					i ? " " : "", el->code, ps->first_layer,
					ps->first_layer + ps->nr_layers - 1);
		if (len >= desclen)
			len = desclen - 1;
	}
	return 0;
}

/* A plan of the board profile as the kernel's stages. */
static int graph_from_plan(struct app *a, struct edgeai_stage *st, uint32_t *nr)
{
	char err[256];
	int i;

	if (a->floor_pct > 0 ? variants_plan(a, err, sizeof(err)) :
	    plan_make(board, a->model, &a->opts, &a->plan, err, sizeof(err)))
		return die("%s: no plan: %s", a->name, err);
	if (plan_stages(a, &a->plan, st, a->speed, a->plan_desc, sizeof(a->plan_desc)))
		return 1;
	*nr = (uint32_t)a->plan.nr_stages;
	a->nr_bufs = *nr + 1;
	for (i = 0; i < (int)a->nr_bufs; i++)
		a->buf_size[i] = 64;	/* the sim backend touches no buffer */
	return 0;
}

/* A real model, whole, one stage: its buffers are its input and output. */
static int graph_from_tflite(struct app *a, struct edgeai_stage *st, uint32_t *nr)
{
	struct tfl_model m;
	struct stat sb;
	uint8_t *buf;
	char err[256];
	int id, ret;

	a->model_fd = open(a->tflite, O_RDONLY | O_CLOEXEC);
	if (a->model_fd < 0 || fstat(a->model_fd, &sb))
		return die("%s: %s: %s", a->name, a->tflite, strerror(errno));
	buf = malloc((size_t)sb.st_size);
	if (!buf || pread(a->model_fd, buf, (size_t)sb.st_size, 0) != sb.st_size) {
		free(buf);
		return die("%s: cannot read %s", a->name, a->tflite);
	}
	ret = tfl_parse(buf, (size_t)sb.st_size, &m, err, sizeof(err));
	if (ret || m.nr_inputs != 1 || m.nr_outputs != 1) {
		free(buf);
		return die("%s: %s: %s", a->name, a->tflite,
			   ret ? err : "one input and one output wanted");
	}
	a->buf_size[0] = tfl_tensor_bytes(&m.tensors[m.inputs[0]]);
	a->buf_size[1] = tfl_tensor_bytes(&m.tensors[m.outputs[0]]);
	a->out_bytes = a->buf_size[1];
	st[0] = (struct edgeai_stage){
		.first_layer = 0,
		.nr_layers = m.nr_ops,
		.cost_ns = (uint64_t)(a->cost_ms * 1e6),
		.in_mask = 1,
		.out_mask = 2,
	};
	snprintf(a->plan_desc, sizeof(a->plan_desc), "%u ops on %s (Arm NN)", m.nr_ops,
		 a->cluster);
	tfl_free(&m);
	free(buf);
	id = edgeai_cluster_find(a->h, a->cluster);
	if (id < 0)
		return die("%s: the kernel has no cluster %s", a->name, a->cluster);
	st[0].cluster_id = (uint32_t)id;
	*nr = 1;
	a->nr_bufs = 2;
	return 0;
}

/* A graph's stage alternatives as the kernel takes them (stage_alts()). */
struct graph_alts {
	struct plan_alt plan[PLAN_MAX_STAGES * PLAN_MAX_STAGE_ALTS];
	struct edgeai_stage_alt alt[PLAN_MAX_STAGES * PLAN_MAX_STAGE_ALTS];
	uint32_t speed[PLAN_MAX_STAGES * PLAN_MAX_STAGE_ALTS][EDGEAI_MAX_FREQS];
	uint32_t nr;
};

_Static_assert(PLAN_MAX_STAGE_ALTS == EDGEAI_MAX_STAGE_ALTS,
	       "the planner gives a stage as many alternatives as the kernel takes");

static bool stage_alts_on;	/* the module has EDGEAI_FEAT_STAGE_ALTS, no --no-alts */

/* Whether graphs declare stage alternatives: GET_INFO's features. */
static int stage_alts_init(struct edgeai *h)
{
	struct edgeai_info info;
	int ret = edgeai_get_info(h, &info);

	if (ret)
		return ret;
	stage_alts_on = !no_alts && !fcfs && (info.features & EDGEAI_FEAT_STAGE_ALTS);
	return 0;
}

/* Whether one of g's alternatives of stage names cluster id already. */
static bool alt_named(const struct graph_alts *g, uint32_t stage, uint32_t id)
{
	for (uint32_t i = 0; i < g->nr; i++)
		if (g->alt[i].stage == stage && g->alt[i].cluster_id == id)
			return true;
	return false;
}

/*
 * Plan p's stage alternatives (plan_alternatives(), within the app's
 * elements=), those on a cluster the kernel lacks, or on one the stage or
 * another of its alternatives already names, left out; none unless stage
 * alternatives are on.
 */
static void stage_alts(struct app *a, const struct plan *p, struct graph_alts *g)
{
	int n, k;

	g->nr = 0;
	if (!stage_alts_on || a->model < 0)
		return;
	n = plan_alternatives(board, p, a->opts.elems, g->plan,
			      PLAN_MAX_STAGES * PLAN_MAX_STAGE_ALTS);
	for (k = 0; k < n; k++) {
		const struct plan_stage *ps = &g->plan[k].st;
		const struct plan_stage *own = &p->stages[g->plan[k].stage];
		struct edgeai_stage_alt *x = &g->alt[g->nr];
		int id = edgeai_cluster_find(a->h, board_element(board, ps->elem)->cluster);
		int own_id = edgeai_cluster_find(a->h, board_element(board, own->elem)->cluster);

		if (id < 0 || id == own_id || alt_named(g, (uint32_t)g->plan[k].stage, (uint32_t)id))
			continue;
		*x = (struct edgeai_stage_alt){
			.stage = (uint32_t)g->plan[k].stage,
			.cluster_id = (uint32_t)id,
			.cost_ns = ps->cost_ns,
			.freq_khz = ps->freq_khz,
		};
		speeds_for(a, ps->elem, x->cluster_id, ps->speed, g->speed[g->nr], &x->speed,
			   &x->nr_steps);
		g->nr++;
	}
}

/* Whether the kernel has every cluster plan p's stages run on. */
static bool plan_clusters_present(struct app *a, const struct plan *p)
{
	for (int i = 0; i < p->nr_stages; i++)
		if (edgeai_cluster_find(a->h, board_element(board, p->stages[i].elem)->cluster) < 0)
			return false;
	return true;
}

/*
 * --admit: the application's fallback graphs, as the simulator builds
 * them (plan_fallbacks(): its other candidate plans whose latency alone
 * fits its deadline, fastest first), each registered beside its plan;
 * those on a cluster the kernel lacks are left out.
 */
static int fallbacks_setup(struct app *a, struct edgeai_graph_spec *spec,
			   struct graph_alts *g)
{
	struct edgeai_stage st[PLAN_MAX_STAGES];
	uint32_t speed[PLAN_MAX_STAGES][EDGEAI_MAX_FREQS];
	int k, n, m = 0, ret;

	if (!admit || fcfs || no_fallbacks || a->model < 0 || a->deadline_ms <= 0)
		return 0;
	a->alts = calloc(PLAN_MAX_CANDIDATES, sizeof(*a->alts));
	if (!a->alts)
		return die("%s: out of memory", a->name);
	n = plan_fallbacks(board, a->model, &a->plan, a->deadline_ms, a->alts,
			   PLAN_MAX_CANDIDATES);
	for (k = 0; k < n; k++) {
		const struct plan *p = &a->alts[m];

		if (k != m)
			a->alts[m] = a->alts[k];
		if (!plan_clusters_present(a, p))
			continue;
		if (plan_stages(a, p, st, speed, a->alt_desc[m], sizeof(a->alt_desc[m])))
			return 1;
		spec->stages = st;
		spec->nr_stages = (uint32_t)p->nr_stages;
		spec->nr_buffers = (uint32_t)p->nr_stages + 1;
		/* The sim backend touches no buffer: each set has the most any takes. */
		for (; a->nr_bufs < spec->nr_buffers; a->nr_bufs++)
			a->buf_size[a->nr_bufs] = 64;
		stage_alts(a, p, g);
		ret = edgeai_graph_create_alts(a->h, spec, g->alt, g->nr, &a->alt_graph[m]);
		if (ret)
			return die("%s: GRAPH_CREATE of a fallback graph: %s", a->name,
				   edgeai_strerror(ret));
		m++;
	}
	a->nr_alts = m;
	return 0;
}

static int app_setup(struct app *a)
{
	struct edgeai_stage st[PLAN_MAX_STAGES];
	struct edgeai_graph_spec spec = { .name = a->name, .stages = st };
	char gname[EDGEAI_NAME_LEN];
	struct graph_alts *g;
	uint32_t nr = 0;
	int r, ret;

	ret = edgeai_open(&a->h);
	if (ret)
		return die("%s: /dev/edgeai: %s", a->name, edgeai_strerror(ret));
	g = malloc(sizeof(*g));
	if (!g)
		return die("%s: out of memory", a->name);
	ret = a->model >= 0 ? graph_from_plan(a, st, &nr) : graph_from_tflite(a, st, &nr);
	if (ret)
		return ret;
	/* The sim backend costs a graph named after its model by the board. */
	snprintf(gname, sizeof(gname), "%.15s:%.15s",
		 a->model >= 0 ? board_model_name(board, a->model) : "tflite", a->name);
	spec.name = gname;
	spec.model_fd = a->model_fd;
	spec.nr_stages = nr;
	spec.nr_buffers = a->nr_bufs;
	spec.buf_sizes = a->buf_size;
	stage_alts(a, &a->plan, g);
	a->nr_stage_alts = (int)g->nr;
	ret = edgeai_graph_create_alts(a->h, &spec, g->alt, g->nr, &a->graph);
	if (ret) {
		free(g);
		return die("%s: GRAPH_CREATE: %s", a->name, edgeai_strerror(ret));
	}
	a->graph_bufs = a->nr_bufs;
	if (a->deadline_x > 0)
		a->deadline_ms = a->deadline_x * a->plan.predicted.latency_ms;
	ret = fallbacks_setup(a, &spec, g);
	free(g);
	if (ret)
		return ret;
	for (r = 0; r < RING; r++) {
		ret = edgeai_buffers_create(a->name, a->nr_bufs, a->buf_size, a->fds[r]);
		if (ret)
			return die("%s: buffers: %s", a->name, strerror(-ret));
	}
	return 0;
}

/* A deterministic input for a real model: a smooth pattern. */
static void fill_input(struct app *a, int r)
{
	size_t n = (size_t)(a->buf_size[0] / sizeof(float)), i;
	float *v = malloc(a->buf_size[0]);

	if (!v)
		return;
	for (i = 0; i < n; i++)
		v[i] = (float)sin((double)(i + (size_t)a->submitted) * 0.1);
	if (pwrite(a->fds[r][0], v, a->buf_size[0], 0) < 0)
		perror("pwrite");
	free(v);
}

/* A real model's output is a softmax: it sums to 1. */
static void check_output(struct app *a, int r)
{
	size_t n = (size_t)(a->out_bytes / sizeof(float)), i;
	float *v = malloc(a->out_bytes);
	double sum = 0;

	if (!v)
		return;
	if (pread(a->fds[r][1], v, a->out_bytes, 0) == (ssize_t)a->out_bytes) {
		for (i = 0; i < n; i++)
			sum += v[i];
		a->outputs_checked++;
		a->outputs_ok += fabs(sum - 1.0) < 1e-3;
	}
	free(v);
}

/*
 * A frame strict admission refused on the plan's graph: submitted to the
 * fallback graphs in order of least expected finish (plan_expected_finish()
 * and plan_finish_order(), what the simulator does), from each cluster's
 * wait for the frame's class (edgeai_cluster_wait_ns(); a cluster whose
 * wait cannot be read counts as idle).  0 when one admits it, -ETIME when
 * none does, or another error.
 */
static int submit_fallback(struct app *a, struct edgeai_job_spec *js, uint64_t *id)
{
	uint64_t wait[BOARD_MAX_ELEMS] = { 0 }, fin[PLAN_MAX_CANDIDATES] = { 0 }, w[EDGEAI_NR_PRIO];
	struct plan_finish_stage st[PLAN_MAX_STAGES];
	int order[PLAN_MAX_CANDIDATES], k, i, ret = -ETIME;
	bool seen[BOARD_MAX_ELEMS] = { false };
	uint64_t now = now_ns();

	for (k = 0; k < a->nr_alts; k++) {
		const struct plan *p = &a->alts[k];

		for (i = 0; i < p->nr_stages; i++) {
			int e = p->stages[i].elem;

			if (!seen[e]) {
				seen[e] = true;
				if (!edgeai_cluster_wait_ns(a->h, (uint32_t)a->cluster_of[e], w))
					wait[e] = w[js->priority];
			}
			st[i] = (struct plan_finish_stage){ e, p->stages[i].cost_ns };
		}
		fin[k] = plan_expected_finish(now, wait, st, p->nr_stages);
	}
	plan_finish_order(fin, a->nr_alts, order);
	for (k = 0; k < a->nr_alts && ret == -ETIME; k++) {
		js->graph_id = a->alt_graph[order[k]];
		js->nr_buffers = (uint32_t)a->alts[order[k]].nr_stages + 1;
		ret = edgeai_submit(a->h, js, id);
		if (!ret) {
			a->fallbacks++;
			a->alt_taken[order[k]]++;
		}
	}
	return ret;
}

static int app_submit(struct app *a, uint64_t arrival)
{
	struct edgeai_job_spec js = {
		.graph_id = a->graph, .nr_buffers = a->graph_bufs,
		.priority = fcfs ? EDGEAI_PRIO_NORMAL : a->prio,
	};
	int r, ret;

	for (r = 0; r < RING && a->busy[r]; r++)
		;
	if (r == RING) {
		a->dropped++;
		return 0;
	}
	if (a->tflite[0])
		fill_input(a, r);
	js.buf_fds = a->fds[r];
	js.cookie = (uint64_t)r;
	if (a->deadline_ms > 0 && !fcfs) {
		js.deadline_ns = arrival + (uint64_t)(a->deadline_ms * 1e6);
		js.flags = admit ? EDGEAI_SUBMIT_STRICT : 0;
	}
	ret = edgeai_submit(a->h, &js, &a->job_id[r]);
	if (ret == -ETIME && js.flags & EDGEAI_SUBMIT_STRICT && a->nr_alts)
		ret = submit_fallback(a, &js, &a->job_id[r]);
	if (ret == -ETIME && js.flags & EDGEAI_SUBMIT_STRICT) {
		a->refused++;
		return 0;
	}
	if (ret)
		return ret;
	a->busy[r] = true;
	a->cancel_sent[r] = false;
	a->arrival[r] = arrival;
	a->submitted++;
	return 0;
}

/* --admit: late frames are cancelled (app_cancel_late()) */
static bool cancel_late(void)
{
	return admit && !fcfs && !no_cancel_late;
}

/* The deadline of the frame in buffer set @r */
static uint64_t frame_deadline(const struct app *a, int r)
{
	return a->arrival[r] + (uint64_t)(a->deadline_ms * 1e6);
}

static void app_record(struct app *a, const struct edgeai_result *res)
{
	const struct edgeai_job_wait *w = &res->wait;
	int r = (int)w->cookie;

	if (r < 0 || r >= RING)
		return;
	a->busy[r] = false;
	switch (w->status) {
	case EDGEAI_JOB_DONE:
	case EDGEAI_JOB_DEADLINE_MISSED:
		a->done++;
		/* Counted here, not from the status: the kernel knows no
		 * deadline under --fcfs. */
		if (a->deadline_ms > 0) {
			if (w->finish_ns > frame_deadline(a, r))
				a->missed++;
			else
				a->met++;
		}
		if (a->nr_lat == a->cap_lat) {
			size_t cap = a->cap_lat ? a->cap_lat * 2 : 1024;
			double *l = realloc(a->lat_ms, cap * sizeof(*l));

			if (!l)
				return;
			a->lat_ms = l;
			a->cap_lat = cap;
		}
		a->lat_ms[a->nr_lat++] = (double)(w->finish_ns - a->arrival[r]) / 1e6;
		a->energy_mj += (double)w->energy_uj / 1e3;
		if (a->tflite[0])
			check_output(a, r);
		break;
	case EDGEAI_JOB_FAILED:
		a->failed++;
		break;
	case EDGEAI_JOB_CANCELLED:
		/* Ours when late: a miss.  A job that ended otherwise while
		 * it was being cancelled is counted above, by its status. */
		if (a->cancel_sent[r]) {
			a->cancelled_late++;
			a->missed++;
			break;
		}
		a->other++;
		break;
	default:
		a->other++;
		break;
	}
	a->cancel_sent[r] = false;
}

/*
 * Cancel every frame whose deadline has passed and whose job has not been
 * collected (edgeai_cancel(): its stages still queued never run, a running
 * one ends first).  The job is collected as any other, by app_record():
 * EDGEAI_JOB_CANCELLED is a late frame cancelled; one that ended before
 * the cancel took (-EALREADY) keeps its real status.  Returns the earliest
 * deadline still to watch, or @until.
 */
static uint64_t app_cancel_late(struct app *a, uint64_t until)
{
	uint64_t now = now_ns(), dl;
	int r, ret;

	if (!cancel_late() || a->deadline_ms <= 0)
		return until;
	for (r = 0; r < RING; r++) {
		if (!a->busy[r] || a->cancel_sent[r])
			continue;
		dl = frame_deadline(a, r);
		if (dl > now) {
			if (dl < until)
				until = dl;
			continue;
		}
		ret = edgeai_cancel(a->h, a->job_id[r]);
		if (!ret)
			a->cancel_sent[r] = true;
		else if (ret != -EALREADY && !a->error)
			a->error = ret;
	}
	return until;
}

/*
 * Collect every finished job, waiting at most until @until (or the next
 * late frame to cancel), then cancel the frames that are late.
 */
static void app_collect(struct app *a, uint64_t until)
{
	struct edgeai_result res;
	struct pollfd pfd = { .fd = edgeai_fd(a->h), .events = POLLIN };
	uint64_t now, wake = app_cancel_late(a, until);
	int ms;

	now = now_ns();
	ms = wake > now ? (int)((wake - now + MS - 1) / MS) : 0;
	if (poll(&pfd, 1, ms) > 0)
		while (edgeai_wait(a->h, 0, EDGEAI_WAIT_NONBLOCK, 0, &res) == 0)
			app_record(a, &res);
	app_cancel_late(a, until);
}

static void *app_run(void *arg)
{
	struct app *a = arg;
	uint64_t start = now_ns(), end = start + (uint64_t)(duration_s * 1e9);
	uint64_t period = a->fps > 0 ? (uint64_t)(1e9 / a->fps) : 0, next = start;
	int r, ret;

	while (now_ns() < end && !a->error) {
		if (period) {
			while (next <= now_ns() && next < end) {
				a->arrived++;
				ret = app_submit(a, next);
				if (ret)
					a->error = ret;
				next += period;
			}
			app_collect(a, next < end ? next : end);
		} else {
			while (a->submitted - a->done - a->failed - a->other - a->cancelled_late <
			       (long)a->batch) {
				a->arrived++;
				ret = app_submit(a, now_ns());
				if (ret) {
					a->error = ret;
					break;
				}
			}
			app_collect(a, end);
		}
	}
	/* Let what is in flight finish, then give up on it. */
	end = now_ns() + 10ULL * 1000 * MS;
	for (;;) {
		for (r = 0; r < RING && !a->busy[r]; r++)
			;
		if (r == RING || now_ns() >= end)
			break;
		app_collect(a, end);
	}
	return NULL;
}

/* ------------------------------------------------------------ residency */

struct residency {
	char name[EDGEAI_NAME_LEN];
	uint32_t nr;
	uint32_t khz[EDGEAI_MAX_FREQS];
	long samples[EDGEAI_MAX_FREQS];
	long total;
};

static struct residency res[16];
static uint32_t nr_res;

static void *sample_run(void *arg)
{
	struct edgeai *h = arg;
	struct edgeai_cluster_desc d;
	uint32_t i, s;

	while (sampling) {
		for (i = 0; i < nr_res; i++) {
			if (edgeai_cluster_get(h, i, &d))
				continue;
			for (s = 0; s < res[i].nr; s++)
				if (res[i].khz[s] == d.info.cur_freq_khz)
					res[i].samples[s]++;
			res[i].total++;
		}
		usleep(20000);
	}
	return NULL;
}

static int residency_init(struct edgeai *h)
{
	struct edgeai_cluster_desc d;
	struct edgeai_info info;
	uint32_t i;
	int ret = edgeai_get_info(h, &info);

	if (ret)
		return ret;
	nr_res = info.nr_clusters < 16 ? info.nr_clusters : 16;
	for (i = 0; i < nr_res; i++) {
		ret = edgeai_cluster_get(h, i, &d);
		if (ret)
			return ret;
		snprintf(res[i].name, sizeof(res[i].name), "%s", d.info.name);
		res[i].nr = d.info.nr_freqs < EDGEAI_MAX_FREQS ? d.info.nr_freqs : EDGEAI_MAX_FREQS;
		memcpy(res[i].khz, d.freqs_khz, sizeof(res[i].khz));
	}
	return 0;
}

/* ------------------------------------------------------------ summary */

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double pct(const struct app *a, double p)
{
	size_t i;

	if (!a->nr_lat)
		return 0;
	i = (size_t)ceil(p / 100.0 * (double)a->nr_lat);
	return a->lat_ms[i ? i - 1 : 0];
}

/* The whole board's figures over a run (see board_energy_read()). */
struct board_run {
	uint64_t start_ns, end_ns;
	uint64_t stage_uj_start, stage_uj_end;
	unsigned long freq_changes;	/* --util-governor's */
};

static struct board_run brun;

/* Energy the executors reported for every cluster's stages so far. */
static uint64_t board_energy_read(struct edgeai *h)
{
	struct edgeai_cluster_desc d;
	uint64_t uj = 0;
	uint32_t i;

	for (i = 0; i < nr_res; i++)
		if (!edgeai_cluster_get(h, i, &d))
			uj += d.info.energy_uj;
	return uj;
}

static void summary(FILE *out, json_object *j)
{
	double wall_s = (double)(brun.end_ns - brun.start_ns) / 1e9;
	double stage_j = (double)(brun.stage_uj_end - brun.stage_uj_start) / 1e6;
	double base_mw = board_base_power_mw(board);
	json_object *jb = json_object_new_object();
	json_object *ja = json_object_new_array(), *jc = json_object_new_array();
	int i;
	uint32_t c, s;

	fprintf(out, "\n%-10s %-10s %-24s %6s %6s %6s %6s %8s %8s %7s %9s\n", "app", "priority",
		"plan", "frames", "done", "drop", "fps", "p50 ms", "p99 ms", "missed", "energy J");
	if (fcfs)
		fprintf(out, "(--fcfs: every job ran in the normal class, first come first served)\n");
	for (i = 0; i < nr_apps; i++) {
		struct app *a = &apps[i];
		json_object *o = json_object_new_object();
		double fps = (double)a->done / duration_s;

		qsort(a->lat_ms, a->nr_lat, sizeof(double), cmp_double);
		fprintf(out, "%-10s %-10s %-24.24s %6ld %6ld %6ld %6.1f %8.1f %8.1f %7ld %9.2f\n",
			a->name, prio_names[a->prio], a->plan_desc, a->arrived, a->done,
			a->dropped + a->refused,
			fps, pct(a, 50), pct(a, 99), a->missed, a->energy_mj / 1e3);
		if (a->refused)
			fprintf(out, "%-10s   %ld refused by strict admission (counted in drop)\n", "",
				a->refused);
		if (a->nr_alts)
			fprintf(out, "%-10s   %ld taken by a fallback graph (of %d) after the plan's "
				"refused them\n", "", a->fallbacks, a->nr_alts);
		for (int k = 0; k < a->nr_alts; k++)
			if (a->alt_taken[k])
				fprintf(out, "%-10s     %ld on %s\n", "", a->alt_taken[k],
					a->alt_desc[k]);
		if (cancel_late() && a->deadline_ms > 0)
			fprintf(out, "%-10s   %ld cancelled late (deadline passed before they "
				"completed; counted in missed)\n", "", a->cancelled_late);
		if (a->failed || a->other || a->error)
			fprintf(out, "%-10s   %ld failed, %ld cancelled or lost%s%s\n", "", a->failed,
				a->other, a->error ? ", error: " : "",
				a->error ? edgeai_strerror(a->error) : "");
		if (a->outputs_checked)
			fprintf(out, "%-10s   real model: %ld of %ld outputs are a softmax (sum 1)\n",
				"", a->outputs_ok, a->outputs_checked);
		json_object_object_add(o, "name", json_object_new_string(a->name));
		json_object_object_add(o, "priority", json_object_new_string(prio_names[a->prio]));
		json_object_object_add(o, "plan", json_object_new_string(a->plan_desc));
		json_object_object_add(o, "frames", json_object_new_int64(a->arrived));
		json_object_object_add(o, "done", json_object_new_int64(a->done));
		json_object_object_add(o, "dropped", json_object_new_int64(a->dropped));
		json_object_object_add(o, "refused", json_object_new_int64(a->refused));
		json_object_object_add(o, "fallbacks", json_object_new_int64(a->fallbacks));
		json_object_object_add(o, "stage_alts", json_object_new_int64(a->nr_stage_alts));
		{
			json_object *jf = json_object_new_array();

			for (int k = 0; k < a->nr_alts; k++) {
				json_object *x = json_object_new_object();

				json_object_object_add(x, "plan",
						       json_object_new_string(a->alt_desc[k]));
				json_object_object_add(x, "latency_ms",
						       json_object_new_double(a->alts[k].predicted.latency_ms));
				json_object_object_add(x, "taken",
						       json_object_new_int64(a->alt_taken[k]));
				json_object_array_add(jf, x);
			}
			json_object_object_add(o, "fallback_graphs", jf);
		}
		json_object_object_add(o, "cancelled_late", json_object_new_int64(a->cancelled_late));
		json_object_object_add(o, "failed", json_object_new_int64(a->failed));
		json_object_object_add(o, "cancelled_or_lost", json_object_new_int64(a->other));
		json_object_object_add(o, "fps", json_object_new_double(fps));
		json_object_object_add(o, "p50_ms", json_object_new_double(pct(a, 50)));
		json_object_object_add(o, "p99_ms", json_object_new_double(pct(a, 99)));
		json_object_object_add(o, "deadline_ms", json_object_new_double(a->deadline_ms));
		json_object_object_add(o, "met", json_object_new_int64(a->met));
		json_object_object_add(o, "missed", json_object_new_int64(a->missed));
		json_object_object_add(o, "energy_j", json_object_new_double(a->energy_mj / 1e3));
		json_object_object_add(o, "outputs_checked", json_object_new_int64(a->outputs_checked));
		json_object_object_add(o, "outputs_ok", json_object_new_int64(a->outputs_ok));
		if (a->model >= 0)
			json_object_object_add(o, "predicted_latency_ms",
					       json_object_new_double(a->plan.predicted.latency_ms));
		json_object_array_add(ja, o);
	}
	fprintf(out, "(energy: what the stages cost above the board's idle floor, as the executor"
		" reports it)\n");
	fprintf(out, "whole board: %.2f J over %.1f s (%.2f J of stages on every cluster, %.0f mW"
		" of base power)\n", stage_j + base_mw * wall_s / 1e3, wall_s, stage_j, base_mw);
	if (util_gov)
		fprintf(out, "--util-governor: %lu frequency changes\n", brun.freq_changes);
	fprintf(out, "\nfrequency residency:\n");
	for (c = 0; c < nr_res; c++) {
		json_object *o = json_object_new_object(), *r = json_object_new_array();

		fprintf(out, "  %-8s", res[c].name);
		for (s = 0; s < res[c].nr; s++) {
			double f = res[c].total ? (double)res[c].samples[s] / (double)res[c].total : 0;
			json_object *x = json_object_new_object();

			if (f >= 0.005)
				fprintf(out, " %u MHz %.0f%%", res[c].khz[s] / 1000, 100 * f);
			json_object_object_add(x, "freq_khz", json_object_new_int64(res[c].khz[s]));
			json_object_object_add(x, "fraction", json_object_new_double(f));
			json_object_array_add(r, x);
		}
		fputc('\n', out);
		json_object_object_add(o, "cluster", json_object_new_string(res[c].name));
		json_object_object_add(o, "residency", r);
		json_object_array_add(jc, o);
	}
	json_object_object_add(jb, "start_ns", json_object_new_int64((int64_t)brun.start_ns));
	json_object_object_add(jb, "end_ns", json_object_new_int64((int64_t)brun.end_ns));
	json_object_object_add(jb, "wall_s", json_object_new_double(wall_s));
	json_object_object_add(jb, "stage_energy_j", json_object_new_double(stage_j));
	json_object_object_add(jb, "base_power_mw", json_object_new_double(base_mw));
	json_object_object_add(jb, "energy_j", json_object_new_double(stage_j + base_mw * wall_s / 1e3));
	json_object_object_add(j, "label", json_object_new_string(run_label));
	json_object_object_add(j, "fcfs", json_object_new_boolean(fcfs));
	json_object_object_add(j, "util_governor", json_object_new_boolean(util_gov));
	json_object_object_add(j, "admit", json_object_new_boolean(admit));
	json_object_object_add(j, "fallbacks_enabled",
			       json_object_new_boolean(admit && !no_fallbacks && !fcfs));
	json_object_object_add(j, "cancel_late", json_object_new_boolean(cancel_late()));
	json_object_object_add(j, "stage_alts_enabled", json_object_new_boolean(stage_alts_on));
	json_object_object_add(j, "board", jb);
	json_object_object_add(j, "duration_s", json_object_new_double(duration_s));
	json_object_object_add(j, "apps", ja);
	json_object_object_add(j, "clusters", jc);
}

static int cmd_apps(const char *json_path)
{
	pthread_t th[MAX_APPS], sampler;
	struct edgeai *h;
	json_object *j;
	int i, ret;

	ret = edgeai_open(&h);
	if (ret)
		return die("/dev/edgeai: %s", edgeai_strerror(ret));
	ret = residency_init(h);
	if (ret)
		return die("cluster info: %s", edgeai_strerror(ret));
	ret = stage_alts_init(h);
	if (ret)
		return die("GET_INFO: %s", edgeai_strerror(ret));
	for (i = 0; i < nr_apps; i++)
		if (app_setup(&apps[i]))
			return 1;
	for (i = 0; i < nr_apps; i++) {
		struct app *a = &apps[i];

		printf("%s: %s %s, %s%s", a->name, prio_names[a->prio], a->plan_desc,
		       a->fps > 0 ? "" : "batch of ", "");
		if (a->fps > 0)
			printf("%.0f FPS", a->fps);
		else
			printf("%u in flight", a->batch);
		if (a->deadline_x > 0)
			printf(", deadline %.0f ms (%gx the plan's latency)", a->deadline_ms,
			       a->deadline_x);
		else if (a->deadline_ms > 0)
			printf(", deadline %.0f ms", a->deadline_ms);
		if (a->model >= 0)
			printf(" (plan's latency %.1f ms, %.1f FPS at most)",
			       a->plan.predicted.latency_ms, a->plan.predicted.throughput_fps);
		if (a->nr_alts)
			printf(", %d fallback graphs", a->nr_alts);
		if (a->nr_stage_alts)
			printf(", %d stage alternatives", a->nr_stage_alts);
		putchar('\n');
	}
	fflush(stdout);
	if (util_gov) {
		ret = utilgov_start();
		if (ret)
			return die("--util-governor: %s", edgeai_strerror(ret));
	}
	brun.stage_uj_start = board_energy_read(h);
	brun.start_ns = now_ns();
	sampling = true;
	pthread_create(&sampler, NULL, sample_run, h);
	for (i = 0; i < nr_apps; i++)
		pthread_create(&th[i], NULL, app_run, &apps[i]);
	for (i = 0; i < nr_apps; i++)
		pthread_join(th[i], NULL);
	sampling = false;
	pthread_join(sampler, NULL);
	brun.end_ns = now_ns();
	brun.stage_uj_end = board_energy_read(h);
	if (util_gov)
		brun.freq_changes = utilgov_stop();

	j = json_object_new_object();
	summary(stdout, j);
	if (json_path) {
		FILE *f = fopen(json_path, "w");

		if (!f || fputs(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY), f) < 0) {
			json_object_put(j);
			return die("%s: %s", json_path, strerror(errno));
		}
		fclose(f);
	}
	json_object_put(j);
	for (i = 0; i < nr_apps; i++) {
		edgeai_buffers_close(apps[i].nr_bufs, apps[i].fds[0]);
		for (int r = 1; r < RING; r++)
			edgeai_buffers_close(apps[i].nr_bufs, apps[i].fds[r]);
		if (apps[i].model_fd >= 0)
			close(apps[i].model_fd);
		edgeai_close(apps[i].h);
		free(apps[i].lat_ms);
		free(apps[i].alts);
	}
	edgeai_close(h);
	for (i = 0; i < nr_apps; i++)
		if (apps[i].error || apps[i].failed)
			return 1;
	return 0;
}

static void usage(FILE *f)
{
	fputs("usage: edgeai-run modparams [--board B]\n"
	      "       edgeai-run setup [--board B]\n"
	      "       edgeai-run apps [--board B] [--duration S] [--json FILE] [--fcfs]\n"
	      "                       [--util-governor] [--admit] [--no-fallbacks]\n"
	      "                       [--no-cancel-late] [--no-alts] [--label L]\n"
	      "                       NAME:key=value,... ...\n"
	      "       edgeai-run compare WITHOUT.json WITH.json\n"
	      "\n"
	      "  modparams  print edgeai.ko's parameters for the board's clusters, virtual\n"
	      "  setup      load the board's power, speed and switch figures (CLUSTER_SET_MODEL)\n"
	      "  apps       run applications side by side and summarise what each got\n"
	      "  compare    one table of two runs' --json summaries, with the differences\n"
	      "\n"
	      "--fcfs: every job in the normal class, no deadline told to the kernel (first\n"
	      "come, first served on each cluster); --util-governor: Linux's schedutil (CPUs)\n"
	      "and simple_ondemand (GPU, NPU) driven through the userspace governor;\n"
	      "--admit: strict admission; a frame refused on the plan's graph goes to the\n"
	      "application's fallback graphs (its other plans that fit the deadline alone) by\n"
	      "least expected finish from each cluster's wait_ns, unless --no-fallbacks;\n"
	      "and a frame whose deadline passed before it completed is cancelled (its queued\n"
	      "stages never run; counted missed), unless --no-cancel-late.\n"
	      "On a module with stage alternatives (EDGEAI_FEAT_STAGE_ALTS), each stage of a\n"
	      "board model's graphs also names the other elements it may run on, and the\n"
	      "kernel queues it, when ready, where it would end soonest, unless --no-alts\n"
	      "(or --fcfs).\n"
	      "\n"
	      "An application: model=M (a model of the board, planned with goal=latency|\n"
	      "throughput|energy and elements=CODES; floor=PCT: fp32 or int8 per layer for at\n"
	      "least PCT % declared accuracy) or tflite=PATH,cluster=NAME[,cost=MS]\n"
	      "(a real model, whole, on one cluster); prio=realtime|high|normal|background;\n"
	      "fps=F (a camera) or batch=W (W jobs in flight); deadline=MS after arrival,\n"
	      "or deadline=Fx: F times the plan's predicted latency.\n"
	      "--board defaults to rk3399pro; --duration to 30 s.\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "duration", required_argument, NULL, 'd' },
		{ "json", required_argument, NULL, 'j' },
		{ "fcfs", no_argument, NULL, 'F' },
		{ "util-governor", no_argument, NULL, 'U' },
		{ "admit", no_argument, NULL, 'A' },
		{ "no-fallbacks", no_argument, NULL, 'N' },
		{ "no-cancel-late", no_argument, NULL, 'C' },
		{ "no-alts", no_argument, NULL, 'S' },
		{ "label", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *board_name_arg = "rk3399pro", *json_path = NULL, *cmd;
	int c, i, ret;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	cmd = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "b:d:j:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			board_name_arg = optarg;
			break;
		case 'd':
			duration_s = atof(optarg);
			if (duration_s <= 0)
				return die("--duration must be positive");
			break;
		case 'j':
			json_path = optarg;
			break;
		case 'F':
			fcfs = true;
			break;
		case 'U':
			util_gov = true;
			break;
		case 'A':
			admit = true;
			break;
		case 'N':
			no_fallbacks = true;
			break;
		case 'C':
			no_cancel_late = true;
			break;
		case 'S':
			no_alts = true;
			break;
		case 'l':
			run_label = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!strcmp(cmd, "compare")) {
		if (argc - optind != 2) {
			usage(stderr);
			return 2;
		}
		return run_compare(argv[optind], argv[optind + 1], stdout);
	}
	board_arg = board_name_arg;
	board = load_board(board_name_arg);
	if (!board)
		return 1;
	if (!strcmp(cmd, "modparams")) {
		ret = cmd_modparams();
	} else if (!strcmp(cmd, "setup")) {
		ret = cmd_setup();
	} else if (!strcmp(cmd, "apps")) {
		if (optind == argc || argc - optind > MAX_APPS) {
			board_free((struct board *)board);
			return die("apps: give 1 to %d applications", MAX_APPS);
		}
		for (i = optind; i < argc; i++)
			if (parse_app(argv[i], &apps[nr_apps++]))
				return 2;
		ret = cmd_apps(json_path);
	} else {
		usage(stderr);
		ret = 2;
	}
	board_free((struct board *)board);
	return ret;
}
