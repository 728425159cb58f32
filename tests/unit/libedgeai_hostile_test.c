// SPDX-License-Identifier: GPL-2.0-only
/*
 * libedgeai against everything but a working /dev/edgeai, on the host:
 * no device, a device that is something else (/dev/null, a directory, a
 * regular file), odd arguments, values out of every range.  Each call
 * must fail with an errno and never crash or leak; the test is run under
 * AddressSanitizer/UBSan and under valgrind (tests/hardening/userspace.sh).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <edgeai.h>

#include "../lib/tap.h"

static void with_device(const char *path, int want_open)
{
	struct edgeai *h = NULL;
	struct edgeai_info info;
	struct edgeai_cluster_desc cd;
	struct edgeai_stage st = { .nr_layers = 1 };
	struct edgeai_graph_spec gs = { .name = "g", .model_fd = -1, .nr_stages = 1,
					.stages = &st, .nr_buffers = 1 };
	struct edgeai_job_spec js = { .nr_buffers = 0 };
	struct edgeai_result *res = malloc(sizeof(*res));
	struct edgeai_task *task = malloc(sizeof(*task));
	uint32_t gid = 7;
	uint64_t jid = 9;
	int ret;

	setenv("EDGEAI_DEVICE", path, 1);
	ret = edgeai_open(&h);
	ok(ret == want_open, "%s: edgeai_open gives %d (%s)", path, ret, edgeai_strerror(ret));
	if (ret) {
		free(res);
		free(task);
		return;
	}
	ok(edgeai_fd(h) >= 0, "%s: a descriptor", path);
	ok(edgeai_get_info(h, &info) < 0, "%s: get_info fails", path);
	ok(edgeai_cluster_get(h, 0, &cd) < 0, "%s: cluster_get fails", path);
	ok(edgeai_cluster_find(h, "big") < 0, "%s: cluster_find fails", path);
	ok(edgeai_graph_create(h, &gs, &gid) < 0 && gid == 7, "%s: graph_create fails, id untouched",
	   path);
	gs.name = NULL;
	ok(edgeai_graph_create(h, &gs, &gid) == -EINVAL, "%s: graph without a name: EINVAL", path);
	gs.name = "a name far longer than the thirty-one bytes a graph name may have";
	ok(edgeai_graph_create(h, &gs, &gid) == -EINVAL, "%s: graph name too long: EINVAL", path);
	ok(edgeai_graph_destroy(h, UINT32_MAX) < 0, "%s: graph_destroy fails", path);
	ok(edgeai_submit(h, &js, &jid) < 0 && jid == 9, "%s: submit fails, id untouched", path);
	ok(edgeai_submit(h, &js, NULL) < 0, "%s: submit without an id pointer fails", path);
	ok(edgeai_cancel(h, UINT64_MAX) < 0, "%s: cancel fails", path);
	ok(edgeai_wait(h, 0, EDGEAI_WAIT_NONBLOCK, 0, res) < 0, "%s: wait fails", path);
	ok(edgeai_exec_attach(h, UINT32_MAX) < 0, "%s: exec_attach fails", path);
	ok(edgeai_set_nonblocking(h, 1) == 0 && edgeai_exec_fetch(h, task) < 0,
	   "%s: exec_fetch fails", path);
	edgeai_task_close(task);
	ok(edgeai_exec_complete(h, task, INT_MIN, UINT64_MAX, UINT64_MAX) < 0,
	   "%s: exec_complete fails", path);
	edgeai_close(h);
	free(res);
	free(task);
}

int main(void)
{
	char tmpl[] = "/tmp/edgeai-hostileXXXXXX";
	int fd = mkstemp(tmpl), fds[4], i;
	static const uint64_t sizes[4] = { 1, 4096, UINT64_MAX, 8 };
	static const int errs[] = { 0, 1, -1, ENOENT, -ENOENT, ETIME, 4095, -4095, 100000,
				    INT_MAX, INT_MIN, INT_MIN + 1 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	with_device("/nonexistent/edgeai", -ENOENT);
	with_device("/dev/null", 0);
	with_device("/tmp", -EISDIR);
	if (fd >= 0) {
		with_device(tmpl, 0);
		close(fd);
		unlink(tmpl);
	}
	unsetenv("EDGEAI_DEVICE");

	for (i = 0; i < (int)(sizeof(errs) / sizeof(errs[0])); i++) {
		const char *s = edgeai_strerror(errs[i]);

		ok(s && *s, "edgeai_strerror(%d): \"%s\"", errs[i], s);
	}
	ok(!strcmp(edgeai_status_name(0), "unknown") &&
	   !strcmp(edgeai_status_name(UINT32_MAX), "unknown"), "status names out of range");
	ok(!strcmp(edgeai_prio_name(EDGEAI_NR_PRIO), "unknown") &&
	   !strcmp(edgeai_prio_name(UINT32_MAX), "unknown"), "priority names out of range");
	ok(!strcmp(edgeai_kind_name(0), "unknown") && !strcmp(edgeai_kind_name(99), "unknown"),
	   "kind names out of range");

	fd = edgeai_buffer_create("b", 0);
	ok(fd >= 0, "a buffer of 0 bytes");
	if (fd >= 0)
		close(fd);
	ok(edgeai_buffer_create("b", UINT64_MAX) < 0, "a buffer of 2^64-1 bytes fails (%d)",
	   edgeai_buffer_create("b", UINT64_MAX));
	ok(edgeai_buffers_create("b", 4, sizes, fds) < 0, "buffers with one impossible size fail");
	for (i = 0; i < 4; i++)
		fds[i] = -1;
	ok(edgeai_buffers_create("b", 0, sizes, fds) == 0, "no buffers at all");
	edgeai_buffers_close(4, fds);
	ok(edgeai_now_ns() > 0, "the clock runs");
	return tap_done();
}
