// SPDX-License-Identifier: GPL-2.0-only
/*
 * libedgeai's stage alternatives on the host: what edgeai_graph_create_alts()
 * puts into GRAPH_CREATE, and that the kernel's answer comes back as it
 * is.  The test defines ioctl() itself (it links the static libedgeai.a,
 * whose calls then reach this one) and answers GRAPH_CREATE as a module
 * without EDGEAI_FEAT_STAGE_ALTS does (kmod/graph.c: a table is -E2BIG)
 * or as one that takes the table; the rules of struct edgeai_stage_alt
 * are the kernel's to check (the VM tests), not this fake's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <edgeai.h>

#include "../lib/tap.h"

static struct edgeai_graph_create seen;
static int calls;
static bool has_feature;
static int answer;	/* errno the "kernel" gives a table it takes, or 0 */

int ioctl(int fd, unsigned long req, ...)
{
	struct edgeai_graph_create *cmd;
	va_list ap;

	(void)fd;
	if (req != EDGEAI_IOCTL_GRAPH_CREATE) {
		errno = ENOTTY;
		return -1;
	}
	va_start(ap, req);
	cmd = va_arg(ap, struct edgeai_graph_create *);
	va_end(ap);
	calls++;
	seen = *cmd;
	if ((cmd->alts || cmd->nr_alts || cmd->alt_size) && (!has_feature || answer)) {
		errno = has_feature ? answer : E2BIG;
		return -1;
	}
	cmd->graph_id = 5;
	return 0;
}

int main(void)
{
	struct edgeai_stage st[2] = { { .cluster_id = 0, .nr_layers = 3, .cost_ns = 1000 },
				      { .cluster_id = 1, .first_layer = 3, .nr_layers = 2,
					.cost_ns = 2000 } };
	struct edgeai_stage_alt alt[2] = {
		{ .stage = 0, .cluster_id = 2, .cost_ns = 1500, .freq_khz = 800000 },
		{ .stage = 1, .cluster_id = 0, .cost_ns = 2500 },
	};
	struct edgeai_graph_spec gs = { .name = "g", .model_fd = -1, .nr_stages = 2,
					.stages = st, .nr_buffers = 3 };
	struct edgeai *h;
	uint32_t gid = 7;
	int ret;

	setenv("EDGEAI_DEVICE", "/dev/null", 1);
	if (edgeai_open(&h)) {
		ok(0, "open /dev/null as the device");
		return tap_done();
	}

	has_feature = true;
	ret = edgeai_graph_create_alts(h, &gs, alt, 2, &gid);
	ok(!ret && gid == 5 && calls == 1, "a graph with 2 alternatives: created, id %u", gid);
	ok(seen.size == sizeof(seen) && seen.alts == (uintptr_t)alt && seen.nr_alts == 2 &&
	   seen.alt_size == sizeof(struct edgeai_stage_alt),
	   "GRAPH_CREATE carries the table, its count and its entry size (%u)", seen.alt_size);
	ok(!seen.exits && !seen.nr_exits && !seen.exit_size && seen.nr_stages == 2 &&
	   seen.stages == (uintptr_t)st && seen.stage_size == sizeof(struct edgeai_stage) &&
	   !strcmp(seen.name, "g"), "and the spec's stages, no exit table");

	gid = 7;
	ret = edgeai_graph_create_alts(h, &gs, alt, 0, &gid);
	ok(!ret && gid == 5 && !seen.alts && !seen.nr_alts && !seen.alt_size,
	   "no alternatives: pointer, count and size all 0");
	ret = edgeai_graph_create(h, &gs, &gid);
	ok(!ret && !seen.alts && !seen.nr_alts && !seen.alt_size,
	   "edgeai_graph_create() sends no table either");

	/* A module without EDGEAI_FEAT_STAGE_ALTS. */
	has_feature = false;
	gid = 7;
	ret = edgeai_graph_create_alts(h, &gs, alt, 2, &gid);
	ok(ret == -E2BIG && gid == 7, "a module without the feature: -E2BIG (%s), id untouched",
	   edgeai_strerror(ret));
	ret = edgeai_graph_create_alts(h, &gs, NULL, 0, &gid);
	ok(!ret && gid == 5, "and without a table it creates the graph");

	/* The kernel's errors come back as they are. */
	has_feature = true;
	answer = EINVAL;
	gid = 7;
	ok(edgeai_graph_create_alts(h, &gs, alt, 2, &gid) == -EINVAL && gid == 7,
	   "a table the kernel finds against the rules: -EINVAL");
	answer = EFAULT;
	ok(edgeai_graph_create_alts(h, &gs, NULL, 2, &gid) == -EFAULT &&
	   seen.alts == 0 && seen.nr_alts == 2,
	   "a count without a table goes to the kernel, whose -EFAULT comes back");

	calls = 0;
	gs.name = NULL;
	ok(edgeai_graph_create_alts(h, &gs, alt, 2, &gid) == -EINVAL && !calls,
	   "a graph without a name: -EINVAL before any ioctl");
	edgeai_close(h);
	return tap_done();
}
