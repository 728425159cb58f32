// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-sim: run applications on a simulated board under the kernel's
 * policy (see sim.h).
 *
 *   edgeai-sim --board B [--duration S] [--seed N] [--tick-ms MS]
 *              [--gov performance|powersave|deadline|linux|userspace=L:KHZ,...]
 *              [--order policy|fifo|lst] [--dispatch static|rr|band|heft|eas]
 *              [--admit] [--stage-deadlines] [--cosched[=frames|apps]] [-j]
 *              --app MODEL[,goal=latency|throughput|energy][,fps=F][,target=MS]
 *                    [,elements=LBGN][,prio=realtime|high|normal|background]
 *                    [,rate=HZ][,slo=MS][,arrival=periodic|poisson|burst|sporadic]
 *                    [,burst=N] ...
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "../../kmod/policy/policy.h"
#include "sim.h"

static const char *const prio_names[] = { "realtime", "high", "normal", "background" };
static const char *const arrival_names[] = { "periodic", "poisson", "burst", "sporadic" };

static void usage(FILE *f)
{
	fputs("usage: edgeai-sim --board B [--duration S] [--seed N] [--tick-ms MS]\n"
	      "         [--gov performance|powersave|deadline|linux|userspace=CODE:KHZ,...]\n"
	      "         [--order policy|fifo|lst] [--dispatch static|rr|band|heft|eas]\n"
	      "         [--admit] [--stage-deadlines] [--cosched[=frames|apps]] [-j]\n"
	      "         --app MODEL[,goal=G][,fps=F][,target=MS][,elements=CODES][,prio=P]\n"
	      "               [,rate=HZ][,slo=MS][,arrival=A][,burst=N]   (repeat --app)\n", f);
}

static int pick(const char *v, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v, names[i]))
			return i;
	return -1;
}

/*
 * Figures the simulation can take: finite, at least lo, at most hi.  An
 * arrival rate whose period is below the clock's resolution would never
 * advance time; a duration past 10^6 s would overflow it.
 */
#define SIM_MAX_RATE_HZ		1e6
#define SIM_MAX_DURATION_S	1e6

static int in_range(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !isfinite(v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

struct appspec {
	struct plan_opts o;
};

static int parse_app(const struct board *b, char *spec, struct sim_app *a,
		     struct plan_opts *o)
{
	char *save, *tok = strtok_r(spec, ",", &save);

	memset(a, 0, sizeof(*a));
	memset(o, 0, sizeof(*o));
	a->prio = EP_PRIO_NORMAL;
	a->rate = 10;
	a->burst = 1;
	o->goal = PLAN_LATENCY;
	a->model = tok ? board_model_by_name(b, tok) : -1;
	if (a->model < 0) {
		fprintf(stderr, "edgeai-sim: --app: unknown model \"%s\"\n", tok ? tok : "");
		return -1;
	}
	snprintf(a->name, sizeof(a->name), "%s", tok);
	while ((tok = strtok_r(NULL, ",", &save))) {
		char *v = strchr(tok, '=');

		if (!v) {
			fprintf(stderr, "edgeai-sim: --app: \"%s\" is not key=value\n", tok);
			return -1;
		}
		*v++ = '\0';
		if (!strcmp(tok, "goal")) {
			if (!strcmp(v, "latency"))
				o->goal = PLAN_LATENCY;
			else if (!strcmp(v, "throughput"))
				o->goal = PLAN_THROUGHPUT;
			else if (!strcmp(v, "energy"))
				o->goal = PLAN_ENERGY;
			else
				goto bad;
		} else if (!strcmp(tok, "fps")) {
			if (in_range(v, 0, SIM_MAX_RATE_HZ, &o->fps))
				goto bad;
		} else if (!strcmp(tok, "target")) {
			if (in_range(v, 0, 1e9, &o->target_ms))
				goto bad;
		} else if (!strcmp(tok, "elements")) {
			for (char *c = v; *c; c++) {
				int e = board_element_by_code(b, *c);

				if (e < 0)
					goto bad;
				o->elems |= 1u << e;
			}
		} else if (!strcmp(tok, "prio")) {
			if ((a->prio = pick(v, prio_names, 4)) < 0)
				goto bad;
		} else if (!strcmp(tok, "rate")) {
			if (in_range(v, 1e-6, SIM_MAX_RATE_HZ, &a->rate))
				goto bad;
		} else if (!strcmp(tok, "slo")) {
			if (in_range(v, 0, 1e9, &a->slo_ms))
				goto bad;
		} else if (!strcmp(tok, "arrival")) {
			int x = pick(v, arrival_names, 4);

			if (x < 0)
				goto bad;
			a->arrival = (enum sim_arrival)x;
		} else if (!strcmp(tok, "burst")) {
			if ((a->burst = atoi(v)) < 1)
				goto bad;
		} else if (!strcmp(tok, "name")) {
			snprintf(a->name, sizeof(a->name), "%s", v);
		} else {
			fprintf(stderr, "edgeai-sim: --app: unknown key \"%s\"\n", tok);
			return -1;
		}
		continue;
bad:
		fprintf(stderr, "edgeai-sim: --app: bad value \"%s\" for %s\n", v, tok);
		return -1;
	}
	return 0;
}

static json_object *result_json(const struct board *b, const struct sim_app *apps,
				const struct sim_result *r, double host_s)
{
	json_object *o = json_object_new_object(), *ar = json_object_new_array();
	json_object *cl = json_object_new_array();

	for (int i = 0; i < r->nr_apps; i++) {
		const struct sim_app_result *x = &r->app[i];
		json_object *j = json_object_new_object();

		json_object_object_add(j, "name", json_object_new_string(apps[i].name));
		json_object_object_add(j, "arrived", json_object_new_int64(x->arrived));
		json_object_object_add(j, "completed", json_object_new_int64(x->completed));
		json_object_object_add(j, "met", json_object_new_int64(x->met));
		json_object_object_add(j, "rejected", json_object_new_int64(x->rejected));
		json_object_object_add(j, "throughput_fps", json_object_new_double(x->throughput_fps));
		json_object_object_add(j, "p50_ms", json_object_new_double(x->p50_ms));
		json_object_object_add(j, "p99_ms", json_object_new_double(x->p99_ms));
		json_object_object_add(j, "slo_pct", json_object_new_double(x->slo_pct));
		json_object_array_add(ar, j);
	}
	json_object_object_add(o, "apps", ar);
	for (int e = 0; e < board_nr_elements(b); e++) {
		const struct board_element *el = board_element(b, e);
		json_object *j = json_object_new_object(), *res = json_object_new_array();

		json_object_object_add(j, "cluster", json_object_new_string(el->cluster));
		json_object_object_add(j, "utilisation", json_object_new_double(r->util[e]));
		for (int k = 0; k < el->nr_steps; k++) {
			json_object *s = json_object_new_object();

			json_object_object_add(s, "freq_khz", json_object_new_int64(el->khz[k]));
			json_object_object_add(s, "residency", json_object_new_double(r->residency[e][k]));
			json_object_array_add(res, s);
		}
		json_object_object_add(j, "residency", res);
		json_object_array_add(cl, j);
	}
	json_object_object_add(o, "clusters", cl);
	json_object_object_add(o, "slo_pct", json_object_new_double(r->slo_pct));
	json_object_object_add(o, "energy_j", json_object_new_double(r->energy_j));
	json_object_object_add(o, "avg_power_w", json_object_new_double(r->avg_power_w));
	json_object_object_add(o, "simulated_s", json_object_new_double(r->end_s));
	json_object_object_add(o, "events", json_object_new_int64(r->events));
	json_object_object_add(o, "freq_changes", json_object_new_int64(r->freq_changes));
	json_object_object_add(o, "host_s", json_object_new_double(host_s));
	return o;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "duration", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "tick-ms", required_argument, NULL, 't' },
		{ "gov", required_argument, NULL, 'g' },
		{ "order", required_argument, NULL, 'o' },
		{ "dispatch", required_argument, NULL, 'D' },
		{ "admit", no_argument, NULL, 'a' },
		{ "stage-deadlines", no_argument, NULL, 'S' },
		{ "cosched", optional_argument, NULL, 'c' },
		{ "app", required_argument, NULL, 'A' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct sim_config cfg = { .seed = 1, .duration_s = 60, .tick_ms = 10,
				  .gov = SIM_GOV_DEADLINE, .order = SIM_ORDER_POLICY,
				  .dispatch = SIM_STATIC };
	static struct sim_app apps[SIM_MAX_APPS];
	struct plan_opts popt[SIM_MAX_APPS];
	char *specs[SIM_MAX_APPS], dir[4096], err[512];
	const char *board = NULL, *gov = "deadline";
	int na = 0, c, json = 0, cosched = 0, rc;
	struct sim_result r;
	struct timespec t0, t1;
	struct board *b;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'b': board = optarg; break;
		case 'd': cfg.duration_s = atof(optarg); break;
		case 's': cfg.seed = strtoull(optarg, NULL, 0); break;
		case 't': cfg.tick_ms = atof(optarg); break;
		case 'g': gov = optarg; break;
		case 'o':
			if (!strcmp(optarg, "policy"))
				cfg.order = SIM_ORDER_POLICY;
			else if (!strcmp(optarg, "fifo"))
				cfg.order = SIM_ORDER_FIFO;
			else if (!strcmp(optarg, "lst"))
				cfg.order = SIM_ORDER_LST;
			else
				goto bad;
			break;
		case 'D':
			if (!strcmp(optarg, "static"))
				cfg.dispatch = SIM_STATIC;
			else if (!strcmp(optarg, "rr"))
				cfg.dispatch = SIM_ROUND_ROBIN;
			else if (!strcmp(optarg, "band"))
				cfg.dispatch = SIM_BAND;
			else if (!strcmp(optarg, "heft"))
				cfg.dispatch = SIM_HEFT;
			else if (!strcmp(optarg, "eas"))
				cfg.dispatch = SIM_EAS;
			else
				goto bad;
			break;
		case 'a': cfg.admit = true; break;
		case 'S': cfg.stage_deadlines = true; break;
		case 'c':
			cosched = 1;
			if (!optarg || !strcmp(optarg, "frames"))
				cfg.cosched_by_app = false;
			else if (!strcmp(optarg, "apps"))
				cfg.cosched_by_app = true;
			else
				goto bad;
			break;
		case 'A':
			if (na == SIM_MAX_APPS) {
				fputs("edgeai-sim: too many --app\n", stderr);
				return 2;
			}
			specs[na++] = optarg;
			break;
		case 'j': json = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!board || !na || !(cfg.duration_s > 0 && cfg.duration_s <= SIM_MAX_DURATION_S) ||
	    !(cfg.tick_ms > 0 && cfg.tick_ms <= 1e6)) {
		usage(stderr);
		return 2;
	}
	b = board_open(board, dir, sizeof(dir), err, sizeof(err));
	if (!b) {
		fprintf(stderr, "edgeai-sim: %s\n", err);
		return 1;
	}
	cfg.b = b;
	if (!strcmp(gov, "performance"))
		cfg.gov = SIM_GOV_PERFORMANCE;
	else if (!strcmp(gov, "powersave"))
		cfg.gov = SIM_GOV_POWERSAVE;
	else if (!strcmp(gov, "deadline"))
		cfg.gov = SIM_GOV_DEADLINE;
	else if (!strcmp(gov, "linux"))
		cfg.gov = SIM_GOV_LINUX;
	else if (!strncmp(gov, "userspace=", 10)) {
		char *save, *g = strdup(gov + 10);

		cfg.gov = SIM_GOV_USERSPACE;
		for (int e = 0; e < board_nr_elements(b); e++)
			cfg.user_khz[e] = board_element(b, e)->khz[board_top_step(b, e)];
		for (char *t = strtok_r(g, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			int e = board_element_by_code(b, t[0]);

			if (e < 0 || t[1] != ':') {
				fprintf(stderr, "edgeai-sim: --gov userspace=CODE:KHZ,...\n");
				free(g);
				board_free(b);
				return 2;
			}
			cfg.user_khz[e] = (uint32_t)strtoul(t + 2, NULL, 10);
		}
		free(g);
	} else {
		fprintf(stderr, "edgeai-sim: unknown governor \"%s\"\n", gov);
		board_free(b);
		return 2;
	}
	for (int i = 0; i < na; i++)
		if (parse_app(b, specs[i], &apps[i], &popt[i])) {
			board_free(b);
			return 2;
		}
	if (cosched) {
		if (sim_cosched(&cfg, apps, na, 24, cfg.seed + 1000)) {
			fprintf(stderr, "edgeai-sim: co-scheduling found no plans\n");
			board_free(b);
			return 1;
		}
	} else if (cfg.dispatch == SIM_STATIC) {
		for (int i = 0; i < na; i++)
			if (plan_make(b, apps[i].model, &popt[i], &apps[i].plan, err, sizeof(err))) {
				fprintf(stderr, "edgeai-sim: %s: %s\n", apps[i].name, err);
				board_free(b);
				return 1;
			}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = sim_run(&cfg, apps, na, &r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc) {
		fprintf(stderr, "edgeai-sim: %s\n", strerror(-rc));
		board_free(b);
		return 1;
	}
	{
		double host = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		json_object *o = result_json(b, apps, &r, host);

		if (json)
			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		else {
			printf("%-12s %8s %8s %8s %8s %9s %9s %9s %7s\n", "app", "arrived", "done",
			       "met", "rejected", "fps", "p50_ms", "p99_ms", "slo%");
			for (int i = 0; i < na; i++) {
				const struct sim_app_result *x = &r.app[i];

				printf("%-12s %8ld %8ld %8ld %8ld %9.2f %9.1f %9.1f %7.1f\n",
				       apps[i].name, x->arrived, x->completed, x->met, x->rejected,
				       x->throughput_fps, x->p50_ms, x->p99_ms, x->slo_pct);
			}
			printf("SLO %.1f %%, energy %.2f J, average power %.3f W over %.2f s simulated (%.3f s host, %ld events, %ld frequency changes)\n",
			       r.slo_pct, r.energy_j, r.avg_power_w, r.end_s, host, r.events,
			       r.freq_changes);
			for (int e = 0; e < board_nr_elements(b); e++) {
				const struct board_element *el = board_element(b, e);

				printf("  %-7s util %5.1f %%  residency:", el->cluster, 100 * r.util[e]);
				for (int k = 0; k < el->nr_steps; k++)
					if (r.residency[e][k] > 0.0005)
						printf(" %u:%.1f%%", el->khz[k], 100 * r.residency[e][k]);
				putchar('\n');
			}
		}
		json_object_put(o);
	}
	board_free(b);
	return 0;
bad:
	fprintf(stderr, "edgeai-sim: bad value \"%s\"\n", optarg);
	return 2;
}
