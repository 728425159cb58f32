/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeaictl timeline: an SVG picture of traces that `edgeaictl trace`
 * wrote, one panel per trace on a common time scale: per cluster, the
 * stages that ran (a colour per graph, the same in every panel; a lane per
 * executor where stages overlap) and the frequency over time as a line
 * (the share of the cluster's top step).  Host-tested.
 */
#ifndef EDGEAICTL_TIMELINE_H
#define EDGEAICTL_TIMELINE_H

#include <stdio.h>

#include <json-c/json.h>

struct timeline;

struct timeline *timeline_new(void);
void timeline_free(struct timeline *tl);
/* Adds a panel titled @label from a parsed trace: 0, -EINVAL when @trace
 * is not a trace edgeaictl wrote, -ENOSPC past the most panels, -ENOMEM. */
int timeline_add(struct timeline *tl, const char *label, json_object *trace);
/* Writes the picture: 0, or -EIO. */
int timeline_svg(const struct timeline *tl, FILE *out);

/* What the picture holds, for tests and the command's summary. */
unsigned int timeline_nr_panels(const struct timeline *tl);
unsigned int timeline_nr_stages(const struct timeline *tl, unsigned int panel);
unsigned int timeline_nr_graphs(const struct timeline *tl);

#endif /* EDGEAICTL_TIMELINE_H */
