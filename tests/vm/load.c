// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-load: a small workload for the VM tests of edgeaictl.  A graph
 * "load" with a stage on each cluster given, a null executor per cluster
 * (a thread that sleeps the stage's time), and jobs submitted one after
 * the other.  With -q there are no executors: the jobs stay queued until
 * the program is killed or -t passes.
 *
 *   edgeai-load [-c 0,1] [-n JOBS] [-e EXEC_MS] [-l LATE] [-q] [-t SECONDS]
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <edgeai.h>

#define MS 1000000ULL

static volatile bool stop;
static uint64_t exec_ns = 5 * MS;

static void *executor(void *arg)
{
	uint32_t cluster = (uint32_t)(uintptr_t)arg;
	struct edgeai_task task;
	struct edgeai *h;

	if (edgeai_open(&h) || edgeai_exec_attach(h, cluster)) {
		fprintf(stderr, "edgeai-load: cannot attach to cluster %u\n", cluster);
		exit(1);
	}
	edgeai_set_nonblocking(h, 1);
	while (!stop) {
		struct pollfd p = { edgeai_fd(h), POLLIN, 0 };

		if (edgeai_exec_fetch(h, &task)) {
			poll(&p, 1, 20);
			continue;
		}
		usleep(exec_ns / 1000);
		edgeai_exec_complete(h, &task, 0, exec_ns, exec_ns / 1000);
		edgeai_task_close(&task);
	}
	edgeai_close(h);
	return NULL;
}

int main(int argc, char **argv)
{
	uint32_t clusters[8], nr = 0, i, graph, jobs = 20, late = 0;
	struct edgeai_stage st[8];
	const char *list = "0,1";
	pthread_t threads[8];
	unsigned int seconds = 0, done = 0, missed = 0;
	bool queue_only = false;
	struct edgeai *h;
	int bufs[2], opt, ret;

	while ((opt = getopt(argc, argv, "c:n:e:l:qt:")) != -1) {
		switch (opt) {
		case 'c': list = optarg; break;
		case 'n': jobs = (uint32_t)atoi(optarg); break;
		case 'e': exec_ns = (uint64_t)atoi(optarg) * MS; break;
		case 'l': late = (uint32_t)atoi(optarg); break;
		case 'q': queue_only = true; break;
		case 't': seconds = (unsigned int)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: edgeai-load [-c 0,1] [-n JOBS] [-e MS] [-l LATE] [-q] [-t S]\n");
			return 2;
		}
	}
	for (const char *p = list; *p && nr < 8; p += strcspn(p, ","), p += *p == ',')
		clusters[nr++] = (uint32_t)atoi(p);
	ret = edgeai_open(&h);
	if (ret) {
		fprintf(stderr, "edgeai-load: %s\n", edgeai_strerror(ret));
		return 1;
	}
	for (i = 0; i < nr; i++)
		st[i] = (struct edgeai_stage){ .cluster_id = clusters[i], .nr_layers = 1,
					       .cost_ns = exec_ns, .in_mask = 1, .out_mask = 2 };
	ret = edgeai_graph_create(h, &(struct edgeai_graph_spec){
		.name = "load", .model_fd = -1, .nr_stages = nr, .stages = st,
		.nr_buffers = 2 }, &graph);
	bufs[0] = edgeai_buffer_create("in", 4096);
	bufs[1] = edgeai_buffer_create("out", 4096);
	if (ret || bufs[0] < 0 || bufs[1] < 0) {
		fprintf(stderr, "edgeai-load: graph: %s\n", edgeai_strerror(ret));
		return 1;
	}
	for (i = 0; i < nr && !queue_only; i++)
		pthread_create(&threads[i], NULL, executor, (void *)(uintptr_t)clusters[i]);

	for (i = 0; i < jobs; i++) {
		struct edgeai_job_spec s = {
			.graph_id = graph, .priority = EDGEAI_PRIO_NORMAL, .cookie = i,
			.nr_buffers = 2, .buf_fds = bufs,
			.deadline_ns = i < late ? edgeai_now_ns() + 1 :
				edgeai_now_ns() + 60000 * MS,
		};
		struct edgeai_result r;
		uint64_t id;

		ret = edgeai_submit(h, &s, &id);
		if (ret) {
			fprintf(stderr, "edgeai-load: submit: %s\n", edgeai_strerror(ret));
			return 1;
		}
		if (queue_only)
			continue;
		ret = edgeai_wait(h, id, EDGEAI_WAIT_TIMEOUT, edgeai_now_ns() + 30000 * MS, &r);
		if (ret) {
			fprintf(stderr, "edgeai-load: wait: %s\n", edgeai_strerror(ret));
			return 1;
		}
		done++;
		missed += r.wait.status == EDGEAI_JOB_DEADLINE_MISSED;
	}
	if (queue_only) {
		printf("edgeai-load: %u jobs queued\n", jobs);
		fflush(stdout);
		sleep(seconds ? seconds : 3600);
	}
	stop = true;
	for (i = 0; i < nr && !queue_only; i++)
		pthread_join(threads[i], NULL);
	printf("edgeai-load: %u done, %u late\n", done, missed);
	edgeai_close(h);
	return 0;
}
