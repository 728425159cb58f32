// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-plan: the planner's command line.
 *
 *   edgeai-plan [-j] predict --board B --model M --order O --freqs F
 *   edgeai-plan [-j] plan --board B --model M --goal latency|throughput|energy
 *               [--target-ms X | --fps F] [--elements LBGN] [--top]
 *   edgeai-plan [-j] info --board B
 *   edgeai-plan [-j] crossval --board B [--evaluations FILE]
 *   edgeai-plan [-j] variants --board B --model M --floor PCT
 *               [--goal latency|energy] [--elements LBGN]
 *               [--search auto|exhaustive|genetic] [--seed N]
 *
 * -j (anywhere) prints one JSON object.  --board takes a board name
 * (looked up as board_resolve() says) or a directory.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "board.h"
#include "crossval.h"
#include "plan.h"
#include "variants.h"

static int json_out;

static void usage(FILE *f)
{
	fputs("usage: edgeai-plan [-j] predict --board B --model M --order ORDER --freqs FREQS\n"
	      "       edgeai-plan [-j] plan --board B --model M --goal latency|throughput|energy\n"
	      "                   [--target-ms MS | --fps FPS] [--elements CODES] [--top]\n"
	      "       edgeai-plan [-j] info --board B\n"
	      "       edgeai-plan [-j] crossval --board B [--evaluations FILE]\n"
	      "       edgeai-plan [-j] variants --board B --model M --floor PCT [--goal latency|energy]\n"
	      "                   [--elements CODES] [--search auto|exhaustive|genetic] [--seed N]\n", f);
}

static void print_json(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static struct board *open_board(const char *name)
{
	char dir[4096], err[512];
	struct board *b;

	if (!name) {
		fputs("edgeai-plan: --board is required\n", stderr);
		return NULL;
	}
	b = board_open(name, dir, sizeof(dir), err, sizeof(err));
	if (!b) {
		fprintf(stderr, "edgeai-plan: %s\n", err);
		return NULL;
	}
	/* Each line of what the loader assumed, as a warning. */
	for (const char *w = board_warnings(b), *nl; *w; w = nl + 1) {
		nl = strchr(w, '\n');
		if (!nl)
			break;
		fprintf(stderr, "edgeai-plan: warning: %.*s\n", (int)(nl - w), w);
	}
	return b;
}

static int find_model(const struct board *b, const char *name)
{
	int m;

	if (!name) {
		fputs("edgeai-plan: --model is required\n", stderr);
		return -1;
	}
	m = board_model_by_name(b, name);
	if (m < 0) {
		fprintf(stderr, "edgeai-plan: no model \"%s\" on %s; models:", name, board_name(b));
		for (int i = 0; i < board_nr_models(b); i++)
			fprintf(stderr, " %s", board_model_name(b, i));
		fputc('\n', stderr);
	}
	return m;
}

struct args {
	const char *board, *model, *order, *freqs, *goal, *elements, *evals;
	const char *search;
	double target_ms, fps, floor_pct;
	unsigned long long seed;
	bool top;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "model", required_argument, NULL, 'm' },
		{ "order", required_argument, NULL, 'o' },
		{ "freqs", required_argument, NULL, 'f' },
		{ "goal", required_argument, NULL, 'g' },
		{ "target-ms", required_argument, NULL, 't' },
		{ "fps", required_argument, NULL, 'F' },
		{ "elements", required_argument, NULL, 'e' },
		{ "top", no_argument, NULL, 'T' },
		{ "evaluations", required_argument, NULL, 'E' },
		{ "floor", required_argument, NULL, 'A' },
		{ "search", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	memset(a, 0, sizeof(*a));
	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'b': a->board = optarg; break;
		case 'm': a->model = optarg; break;
		case 'o': a->order = optarg; break;
		case 'f': a->freqs = optarg; break;
		case 'g': a->goal = optarg; break;
		case 'e': a->elements = optarg; break;
		case 'E': a->evals = optarg; break;
		case 'T': a->top = true; break;
		case 'S': a->search = optarg; break;
		case 'j': json_out = 1; break;
		case 'A':
			errno = 0;
			a->floor_pct = strtod(optarg, &end);
			if (errno || *end || a->floor_pct <= 0 || a->floor_pct > 100) {
				fputs("edgeai-plan: --floor wants a percentage in (0, 100]\n", stderr);
				return -1;
			}
			break;
		case 's':
			errno = 0;
			a->seed = strtoull(optarg, &end, 0);
			if (errno || *end || !*optarg) {
				fputs("edgeai-plan: --seed wants a number\n", stderr);
				return -1;
			}
			break;
		case 't':
		case 'F':
			errno = 0;
			*(c == 't' ? &a->target_ms : &a->fps) = strtod(optarg, &end);
			if (errno || *end || *(c == 't' ? &a->target_ms : &a->fps) <= 0) {
				fprintf(stderr, "edgeai-plan: --%s wants a positive number\n",
					c == 't' ? "target-ms" : "fps");
				return -1;
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "edgeai-plan: unexpected argument \"%s\"\n", argv[optind]);
		return -1;
	}
	return 0;
}

static int elem_mask(const struct board *b, const char *codes, unsigned int *mask)
{
	*mask = 0;
	for (const char *c = codes; c && *c; c++) {
		int e = board_element_by_code(b, *c);

		if (e < 0) {
			fprintf(stderr, "edgeai-plan: --elements: '%c' is not an element\n", *c);
			return -1;
		}
		*mask |= 1u << e;
	}
	return 0;
}

/*
 * The board of --board, with *m the model of --model and, when @elems is
 * not NULL, *elems the mask of --elements; NULL, said why, when one of
 * them is wrong.
 */
static struct board *open_model(const struct args *a, int *m, unsigned int *elems)
{
	struct board *b = open_board(a->board);

	if (!b)
		return NULL;
	*m = find_model(b, a->model);
	if (*m < 0 || (elems && elem_mask(b, a->elements, elems))) {
		board_free(b);
		return NULL;
	}
	return b;
}

static int cmd_predict(struct args *a)
{
	struct plan_layer ly[PLAN_MAX_LAYERS];
	struct plan_figures f;
	struct board *b;
	char err[512];
	int m, rc = 1;

	if (!a->order || !a->freqs) {
		fputs("edgeai-plan: predict needs --order and --freqs\n", stderr);
		return 2;
	}
	b = open_model(a, &m, NULL);
	if (!b)
		return 1;
	if (board_model_layers(b, m) > PLAN_MAX_LAYERS) {
		fputs("edgeai-plan: model too large\n", stderr);
		goto out;
	}
	if (plan_parse(b, m, a->order, a->freqs, ly, err, sizeof(err)) ||
	    plan_predict_ref(b, m, ly, &f, err, sizeof(err))) {
		fprintf(stderr, "edgeai-plan: %s\n", err);
		goto out;
	}
	if (json_out) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "latency_ms", json_object_new_double(f.latency_ms));
		json_object_object_add(o, "energy_mj", json_object_new_double(f.energy_mj));
		json_object_object_add(o, "power_w", json_object_new_double(f.power_w));
		print_json(o);
	} else {
		printf("latency %.3f ms\nenergy %.3f mJ\npower %.3f W\n",
		       f.latency_ms, f.energy_mj, f.power_w);
	}
	rc = 0;
out:
	board_free(b);
	return rc;
}

static int cmd_plan(struct args *a)
{
	struct plan_opts o = { 0 };
	struct board *b;
	struct plan p;
	char err[512];
	int m, rc = 1;

	if (!a->goal) {
		fputs("edgeai-plan: plan needs --goal latency|throughput|energy\n", stderr);
		return 2;
	}
	if (!strcmp(a->goal, "latency"))
		o.goal = PLAN_LATENCY;
	else if (!strcmp(a->goal, "throughput"))
		o.goal = PLAN_THROUGHPUT;
	else if (!strcmp(a->goal, "energy"))
		o.goal = PLAN_ENERGY;
	else {
		fprintf(stderr, "edgeai-plan: unknown goal \"%s\"\n", a->goal);
		return 2;
	}
	if (a->target_ms > 0 && a->fps > 0) {
		fputs("edgeai-plan: give --target-ms or --fps, not both\n", stderr);
		return 2;
	}
	if (o.goal != PLAN_ENERGY && (a->target_ms > 0 || a->fps > 0)) {
		fputs("edgeai-plan: --target-ms and --fps are for --goal energy\n", stderr);
		return 2;
	}
	o.target_ms = a->target_ms;
	o.fps = a->fps;
	o.top_only = a->top;
	b = open_model(a, &m, &o.elems);
	if (!b)
		return 1;
	if (plan_make(b, m, &o, &p, err, sizeof(err))) {
		fprintf(stderr, "edgeai-plan: %s\n", err);
		goto out;
	}
	if (json_out) {
		print_json(plan_to_json(b, &p));
	} else {
		printf("%s on %s, goal %s\n", board_model_name(b, m), board_name(b),
		       plan_goal_name(p.goal));
		printf("  %-3s %-8s %-9s %5s %5s %10s %10s %10s %10s\n", "el", "cluster",
		       "layers", "step", "host", "freq_khz", "cost_ms", "time_ms", "energy_mJ");
		for (int i = 0; i < p.nr_stages; i++) {
			const struct plan_stage *s = &p.stages[i];
			char range[32];

			snprintf(range, sizeof(range), "%d-%d", s->first_layer,
				 s->first_layer + s->nr_layers - 1);
			printf("  %-3c %-8s %-9s %5d %5d %10u %10.3f %10.3f %10.3f\n",
			       board_element(b, s->elem)->code, board_element(b, s->elem)->cluster,
			       range, s->step, s->host_step, s->freq_khz, s->cost_ns / 1e6,
			       s->time_ns / 1e6, s->energy_uj / 1000);
		}
		printf("predicted: latency %.3f ms, energy %.3f mJ, power %.3f W, throughput %.2f fps\n",
		       p.predicted.latency_ms, p.predicted.energy_mj, p.predicted.power_w,
		       p.predicted.throughput_fps);
	}
	rc = 0;
out:
	board_free(b);
	return rc;
}

static json_object *variants_json(const struct board *b, const struct acc_quant *q,
				  const struct var_opts *o, const struct var_result *r,
				  const struct plan *p)
{
	json_object *j = plan_to_json(b, p), *v = json_object_new_object();
	json_object *prec = json_object_new_array();

	for (int l = 0; l < r->nr_layers; l++)
		json_object_array_add(prec, json_object_new_string(
			board_element(b, r->layers[l].elem)->kind == BOARD_NPU ? "int8" : "fp32"));
	json_object_object_add(v, "floor_pct", json_object_new_double(o->floor_pct));
	json_object_object_add(v, "accuracy_pct", json_object_new_double(r->accuracy_pct));
	json_object_object_add(v, "fp32_pct", json_object_new_double(q->fp32_pct));
	json_object_object_add(v, "int8_pct", json_object_new_double(q->int8_pct));
	json_object_object_add(v, "network", json_object_new_string(q->network));
	json_object_object_add(v, "dataset", json_object_new_string(q->dataset));
	json_object_object_add(v, "declared", json_object_new_boolean(1));
	json_object_object_add(v, "int8_layers", json_object_new_int(r->int8_layers));
	json_object_object_add(v, "layer_precision", prec);
	json_object_object_add(v, "search", json_object_new_string(r->exhaustive ?
							"exhaustive" : "genetic"));
	json_object_object_add(v, "space", json_object_new_int64(r->space));
	json_object_object_add(v, "evaluated", json_object_new_int64(r->evaluated));
	json_object_object_add(j, "variants", v);
	return j;
}

/* Precision variants (variants.h): fp32 or int8 per layer under a floor. */
static int cmd_variants(struct args *a)
{
	struct var_opts o = { .goal = PLAN_LATENCY, .seed = a->seed };
	struct var_result *r = NULL;
	struct acc_quant q;
	char dir[4096], err[512];
	struct board *b;
	struct plan p;
	int m, rc = 1;

	if (a->floor_pct <= 0) {
		fputs("edgeai-plan: variants needs --floor PCT (the least declared top-1 accuracy)\n",
		      stderr);
		return 2;
	}
	if (a->goal && !strcmp(a->goal, "energy")) {
		o.goal = PLAN_ENERGY;
	} else if (a->goal && strcmp(a->goal, "latency")) {
		fputs("edgeai-plan: variants plans for --goal latency or energy\n", stderr);
		return 2;
	}
	if (!a->search || !strcmp(a->search, "auto")) {
		o.search = VAR_AUTO;
	} else if (!strcmp(a->search, "exhaustive")) {
		o.search = VAR_EXHAUSTIVE;
	} else if (!strcmp(a->search, "genetic")) {
		o.search = VAR_GENETIC;
	} else {
		fprintf(stderr, "edgeai-plan: unknown search \"%s\"\n", a->search);
		return 2;
	}
	o.floor_pct = a->floor_pct;
	b = open_model(a, &m, &o.elems);
	if (!b)
		return 1;
	r = malloc(sizeof(*r));
	if (!r || board_resolve(a->board, dir, sizeof(dir)))
		goto out;
	if (acc_quant_read(dir, board_model_name(b, m), &q, err, sizeof(err)) ||
	    var_plan(b, m, &q, &o, r, err, sizeof(err)) ||
	    var_to_plan(b, m, r, o.goal, &p)) {
		fprintf(stderr, "edgeai-plan: %s\n", err);
		goto out;
	}
	if (json_out) {
		print_json(variants_json(b, &q, &o, r, &p));
	} else {
		printf("%s on %s, goal %s, declared accuracy floor %.2f %% (%s, %s: fp32 %.2f %%, "
		       "int8 %.2f %%, declared, not measured here)\n", board_model_name(b, m),
		       board_name(b), plan_goal_name(o.goal), o.floor_pct, q.network, q.dataset,
		       q.fp32_pct, q.int8_pct);
		printf("  %-3s %-8s %-9s %-9s %10s %10s\n", "el", "cluster", "layers", "precision",
		       "time_ms", "energy_mJ");
		for (int i = 0; i < p.nr_stages; i++) {
			const struct plan_stage *s = &p.stages[i];
			const struct board_element *el = board_element(b, s->elem);
			char range[32];

			snprintf(range, sizeof(range), "%d-%d", s->first_layer,
				 s->first_layer + s->nr_layers - 1);
			printf("  %-3c %-8s %-9s %-9s %10.3f %10.3f\n", el->code, el->cluster, range,
			       el->kind == BOARD_NPU ? "int8" : "fp32", s->time_ns / 1e6,
			       s->energy_uj / 1000);
		}
		printf("chosen: %d of %d layers int8, declared accuracy %.3f %%; latency %.3f ms, "
		       "energy %.3f mJ\n", r->int8_layers, r->nr_layers, r->accuracy_pct,
		       r->fig.latency_ms, r->fig.energy_mj);
		printf("search: %s over %ld placements, %ld evaluated\n",
		       r->exhaustive ? "exhaustive (optimal)" : "genetic (PiQi-style; not proven optimal)",
		       r->space, r->evaluated);
	}
	rc = 0;
out:
	free(r);
	board_free(b);
	return rc;
}

static int cmd_info(struct args *a)
{
	struct board *b = open_board(a->board);
	const struct board_stats *st;
	json_object *o, *els, *ms;

	if (!b)
		return 1;
	st = board_stats(b);
	o = json_object_new_object();
	els = json_object_new_array();
	ms = json_object_new_array();
	json_object_object_add(o, "board", json_object_new_string(board_name(b)));
	for (int e = 0; e < board_nr_elements(b); e++) {
		const struct board_element *el = board_element(b, e);
		json_object *j = json_object_new_object(), *k = json_object_new_array();
		char code[2] = { el->code, 0 };
		static const char *const kinds[] = { "cpu", "gpu", "npu" };

		json_object_object_add(j, "code", json_object_new_string(code));
		json_object_object_add(j, "name", json_object_new_string(el->name));
		json_object_object_add(j, "kind", json_object_new_string(kinds[el->kind]));
		json_object_object_add(j, "cluster", json_object_new_string(el->cluster));
		if (el->host >= 0) {
			char h[2] = { board_element(b, el->host)->code, 0 };

			json_object_object_add(j, "host", json_object_new_string(h));
		}
		for (int s = 0; s < el->nr_steps; s++)
			json_object_array_add(k, json_object_new_int64(el->khz[s]));
		json_object_object_add(j, "freq_khz", k);
		json_object_object_add(j, "switch_up_ns",
				       json_object_new_int64((int64_t)board_switch_up_ns(b, e)));
		json_object_object_add(j, "switch_down_ns",
				       json_object_new_int64((int64_t)board_switch_down_ns(b, e)));
		if (board_one_call(b, e)) {
			/* The NPU segment model's fitted parameter and its reach. */
			json_object_object_add(j, "npu_fusion",
					       json_object_new_double(board_npu_fusion(b, e)));
			json_object_object_add(j, "npu_calibrated_layers",
					       json_object_new_int(board_npu_calibrated_layers(b, e)));
		}
		json_object_array_add(els, j);
	}
	json_object_object_add(o, "elements", els);
	for (int m = 0; m < board_nr_models(b); m++) {
		json_object *j = json_object_new_object(), *on = json_object_new_array();

		json_object_object_add(j, "name", json_object_new_string(board_model_name(b, m)));
		json_object_object_add(j, "layers", json_object_new_int(board_model_layers(b, m)));
		for (int e = 0; e < board_nr_elements(b); e++)
			if (board_has(b, m, e)) {
				char code[2] = { board_element(b, e)->code, 0 };

				json_object_array_add(on, json_object_new_string(code));
				/* The fusion factor this network's NPU runs take. */
				if (board_one_call(b, e)) {
					double phi = board_npu_model_fusion(b, m, e);

					json_object_object_add(j, "npu_fusion",
							       json_object_new_double(phi));
				}
			}
		json_object_object_add(j, "elements", on);
		json_object_array_add(ms, j);
	}
	json_object_object_add(o, "models", ms);
	json_object_object_add(o, "base_power_mw", json_object_new_double(board_base_power_mw(b)));
	{
		json_object *j = json_object_new_object();

		json_object_object_add(j, "blank_rows", json_object_new_int(st->blank_rows));
		json_object_object_add(j, "power_filled", json_object_new_int(st->power_filled));
		json_object_object_add(j, "dup_transfers", json_object_new_int(st->dup_transfers));
		json_object_object_add(j, "switch_clamped", json_object_new_int(st->switch_clamped));
		json_object_object_add(j, "repeated_rows", json_object_new_int(st->repeated_rows));
		json_object_object_add(o, "repairs", j);
	}
	if (json_out)
		print_json(o);
	else {
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
	board_free(b);
	return 0;
}

static int cmd_crossval(struct args *a)
{
	struct board *b = open_board(a->board);
	json_object *o;
	char err[512];

	if (!b)
		return 1;
	o = crossval_run(b, a->evals, err, sizeof(err));
	board_free(b);
	if (!o) {
		fprintf(stderr, "edgeai-plan: %s\n", err);
		return 1;
	}
	if (json_out)
		print_json(o);
	else {
		crossval_print(o, stdout);
		json_object_put(o);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct args *a);
	} cmds[] = {
		{ "predict", cmd_predict },
		{ "plan", cmd_plan },
		{ "info", cmd_info },
		{ "crossval", cmd_crossval },
		{ "variants", cmd_variants },
	};
	struct args a;
	int ci = 1;

	/* Leading -j before the command. */
	while (ci < argc && (!strcmp(argv[ci], "-j") || !strcmp(argv[ci], "--json"))) {
		json_out = 1;
		ci++;
	}
	if (ci >= argc || !strcmp(argv[ci], "-h") || !strcmp(argv[ci], "--help")) {
		usage(ci >= argc ? stderr : stdout);
		return ci >= argc ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[ci], cmds[i].name)) {
			if (parse_args(argc - ci, argv + ci, &a))
				return 2;
			return cmds[i].fn(&a);
		}
	fprintf(stderr, "edgeai-plan: unknown command \"%s\"\n", argv[ci]);
	usage(stderr);
	return 2;
}
