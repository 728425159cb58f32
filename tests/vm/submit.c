// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-submit: an application as a user writes one, for the VM test of
 * the installed packages (t-install.sh).  It is built against the
 * installed <edgeai.h> with `pkg-config --cflags --libs edgeai` and runs
 * on the installed libedgeai.so.1 (tests/vm/stage-root).
 *
 * One graph with a stage on each cluster named (by name), N jobs one
 * after the other, each waited for; a line per job.
 *
 *   edgeai-submit [-n JOBS] [-t TIMEOUT_S] CLUSTER...
 *
 * Exit status: 0 every job done, 1 a job failed or timed out, 2 usage,
 * 3 the device cannot be opened (the message says why: EACCES for a user
 * outside the group, ENOENT without the module).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <edgeai.h>

#define MS 1000000ULL

int main(int argc, char **argv)
{
	struct edgeai_stage stages[8];
	unsigned int jobs = 1, timeout_s = 30, i;
	uint64_t sizes[9];
	uint32_t graph, nr = 0;
	struct edgeai *h;
	int bufs[9], opt, ret;

	while ((opt = getopt(argc, argv, "n:t:")) != -1) {
		switch (opt) {
		case 'n':
			jobs = (unsigned int)atoi(optarg);
			break;
		case 't':
			timeout_s = (unsigned int)atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: edgeai-submit [-n JOBS] [-t TIMEOUT_S] CLUSTER...\n");
			return 2;
		}
	}
	if (optind == argc || argc - optind > 8) {
		fprintf(stderr, "usage: edgeai-submit [-n JOBS] [-t TIMEOUT_S] CLUSTER...\n");
		return 2;
	}

	ret = edgeai_open(&h);
	if (ret) {
		/* strerror: edgeai_strerror() explains errnos of the ioctls. */
		fprintf(stderr, "edgeai-submit: cannot open the device: %s\n", strerror(-ret));
		return 3;
	}
	for (; optind < argc; optind++, nr++) {
		ret = edgeai_cluster_find(h, argv[optind]);
		if (ret < 0) {
			fprintf(stderr, "edgeai-submit: no cluster %s\n", argv[optind]);
			return 1;
		}
		/* Stage k reads buffer k and writes buffer k + 1. */
		stages[nr] = (struct edgeai_stage){ .cluster_id = (uint32_t)ret, .first_layer = nr,
						    .nr_layers = 1, .cost_ns = 2 * MS,
						    .in_mask = 1ULL << nr, .out_mask = 2ULL << nr };
		sizes[nr] = 4096;
	}
	sizes[nr] = 4096;
	ret = edgeai_graph_create(h, &(struct edgeai_graph_spec){
		.name = "submit", .model_fd = -1, .nr_stages = nr, .stages = stages,
		.nr_buffers = nr + 1, .buf_sizes = sizes }, &graph);
	if (!ret)
		ret = edgeai_buffers_create("submit", nr + 1, sizes, bufs);
	if (ret) {
		fprintf(stderr, "edgeai-submit: graph: %s\n", edgeai_strerror(ret));
		return 1;
	}
	for (i = 0; i < jobs; i++) {
		struct edgeai_job_spec spec = {
			.graph_id = graph, .priority = EDGEAI_PRIO_NORMAL, .cookie = i,
			.deadline_ns = edgeai_now_ns() + 10000 * MS,
			.nr_buffers = nr + 1, .buf_fds = bufs,
		};
		struct edgeai_result r;
		uint64_t id;

		ret = edgeai_submit(h, &spec, &id);
		if (ret) {
			fprintf(stderr, "edgeai-submit: submit: %s\n", edgeai_strerror(ret));
			return 1;
		}
		ret = edgeai_wait(h, id, EDGEAI_WAIT_TIMEOUT,
				  edgeai_now_ns() + timeout_s * 1000 * MS, &r);
		if (ret) {
			fprintf(stderr, "edgeai-submit: job %llu: %s\n", (unsigned long long)id,
				edgeai_strerror(ret));
			return 1;
		}
		printf("job %llu: %s, %u stages, %.3f ms\n", (unsigned long long)id,
		       edgeai_status_name(r.wait.status), r.wait.nr_stages,
		       (double)(r.wait.finish_ns - r.wait.submit_ns) / 1e6);
		if (r.wait.status != EDGEAI_JOB_DONE && r.wait.status != EDGEAI_JOB_DEADLINE_MISSED)
			return 1;
	}
	edgeai_buffers_close(nr + 1, bufs);
	edgeai_close(h);
	return 0;
}
