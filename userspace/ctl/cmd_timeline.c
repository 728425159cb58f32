// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl timeline: traces of `edgeaictl trace` drawn as one SVG picture
 * (timeline.h).  Needs no device: it reads files.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <string.h>

#include "ctl.h"
#include "timeline.h"

/* "LABEL=FILE" or "FILE" (the label is then the file's name). */
static int add_operand(struct ctl *ctl, struct timeline *tl, const char *op)
{
	const char *eq = strchr(op, '='), *path = eq ? eq + 1 : op;
	char label[96];
	json_object *o;
	int ret;

	snprintf(label, sizeof(label), "%.*s", eq ? (int)(eq - op) : (int)strlen(op), op);
	o = json_object_from_file(path);
	if (!o) {
		ctl_err(ctl, "%s: %s", path, json_util_get_last_err());
		return -1;
	}
	ret = timeline_add(tl, label, o);
	json_object_put(o);
	if (ret == -EINVAL)
		ctl_err(ctl, "%s: not a trace of edgeaictl trace (no traceEvents)", path);
	else if (ret == -ENOSPC)
		ctl_err(ctl, "%s: at most %u traces in one picture", path, timeline_nr_panels(tl));
	else if (ret)
		ctl_err(ctl, "%s: %s", path, strerror(-ret));
	return ret ? -1 : 0;
}

int ctl_cmd_timeline(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd *cmd = ctl_cmd_named("timeline");
	bool to_stdout;
	const char *path = "edgeai-timeline.svg", *arg;
	struct timeline *tl;
	struct ctl_args a;
	unsigned int p;
	FILE *f;
	int key, ret = 0;

	ctl_args_init(&a, cmd);
	while ((key = ctl_getopt(ctl, &a, argc, argv, &arg)) > 0) {
		if (key == 'h')
			return CTL_EXIT_OK;
		if (key == 'o' && ctl_arg_file(ctl, "output", arg, &path))
			return CTL_EXIT_USAGE;
	}
	if (key < 0)
		return CTL_EXIT_USAGE;
	if (optind == argc) {
		ctl_err(ctl, "which traces? (usage: edgeaictl timeline [OPTIONS] [LABEL=]TRACE...)");
		return CTL_EXIT_USAGE;
	}
	tl = timeline_new();
	if (!tl)
		return ctl_fail(ctl, -ENOMEM, "reading traces");
	for (; optind < argc; optind++)
		if (add_operand(ctl, tl, argv[optind])) {
			timeline_free(tl);
			return CTL_EXIT_ERROR;
		}
	to_stdout = !strcmp(path, "-");
	f = to_stdout ? stdout : fopen(path, "w");
	if (!f) {
		ret = -errno;
	} else {
		ret = timeline_svg(tl, f);
		if ((to_stdout ? fflush(f) : fclose(f)) && !ret)
			ret = -errno;
	}
	if (ret) {
		timeline_free(tl);
		return ctl_fail(ctl, ret, "writing %s", path);
	}
	if (ctl->json) {
		json_object *sum = json_object_new_object(), *st = json_object_new_array();

		for (p = 0; p < timeline_nr_panels(tl); p++)
			json_object_array_add(st, json_object_new_int64(timeline_nr_stages(tl, p)));
		json_object_object_add(sum, "output", json_object_new_string(path));
		json_object_object_add(sum, "stages", st);
		json_object_object_add(sum, "graphs", json_object_new_int64(timeline_nr_graphs(tl)));
		ctl_json_print(ctl, sum);
	} else if (!to_stdout) {
		printf("wrote %s: %u panel%s, %u graphs\n", path, timeline_nr_panels(tl),
		       timeline_nr_panels(tl) == 1 ? "" : "s", timeline_nr_graphs(tl));
	}
	timeline_free(tl);
	return CTL_EXIT_OK;
}
