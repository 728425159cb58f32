// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of edgeai-bench's user-space broker, the baseline of
 * `edgeai-bench ctl`: its run queue (the kernel's order through
 * ep_key_before()), its wire protocol (framing checks, descriptors over
 * SCM_RIGHTS) and the daemon end to end (queue order seen at fetch, the
 * descriptors an executor gets, completion, executor loss, a closing
 * submitter's jobs cancelled).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "../../userspace/bench/pqueue.h"
#include "../../userspace/bench/ubclient.h"
#include "../../userspace/bench/ubproto.h"
#include "../../userspace/bench/ubroker.h"
#include "../lib/tap.h"

#define MS	1000000ULL

/* ---------------------------------------------------------------- queue */

struct qitem {
	struct pq_item item;
	struct ep_key key;
	int removed;
};

static uint64_t rnd_state = 1;

static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)((rnd_state >> 33) % n);
}

static void test_queue_order(void)
{
	enum { N = 2000 };
	static struct qitem it[N];
	struct pqueue q;
	struct qitem *prev = NULL, *cur;
	uint32_t i, popped = 0, wrong = 0, pos_ok = 1;

	pq_init(&q);
	ok(pq_pop(&q) == NULL && pq_peek(&q) == NULL, "an empty queue pops nothing");
	for (i = 0; i < N; i++) {
		it[i].key.prio = rnd(EP_NR_PRIO);
		/* Few distinct deadlines, some none: many ties for FIFO. */
		it[i].key.deadline = rnd(5) ? 1000 + rnd(8) : EP_NO_DEADLINE;
		it[i].key.seq = i;
		pq_item_init(&it[i].item);
		pq_push(&q, &it[i].item, &it[i].key);
	}
	ok(pq_len(&q) == N, "%u items queued", pq_len(&q));
	for (i = 0; i < N; i++)
		if (q.slot[it[i].item.pos].item != &it[i].item)
			pos_ok = 0;
	ok(pos_ok, "every item knows its slot");
	while ((cur = (struct qitem *)pq_pop(&q)) != NULL) {
		if (prev && ep_key_before(&cur->key, &prev->key))
			wrong++;
		if (cur->item.pos != PQ_NONE)
			wrong++;
		prev = cur;
		popped++;
	}
	ok(popped == N && !wrong,
	   "pops come in ep_key_before order, FIFO among equals (%u popped, %u out of order)",
	   popped, wrong);
	pq_free(&q);
}

static void test_queue_remove(void)
{
	enum { N = 1000 };
	static struct qitem it[N];
	struct pqueue q;
	struct qitem *prev = NULL, *cur;
	uint32_t i, popped = 0, wrong = 0;

	pq_init(&q);
	for (i = 0; i < N; i++) {
		it[i].key.prio = rnd(2);
		it[i].key.deadline = rnd(100);
		it[i].key.seq = i;
		it[i].removed = 0;
		pq_item_init(&it[i].item);
		pq_push(&q, &it[i].item, &it[i].key);
	}
	/* Cancel a third of them, from anywhere in the heap. */
	for (i = 0; i < N; i += 3) {
		pq_remove(&q, &it[i].item);
		it[i].removed = 1;
		if (it[i].item.pos != PQ_NONE)
			wrong++;
	}
	ok(pq_len(&q) == N - (N + 2) / 3 && !wrong, "removal anywhere leaves %u queued",
	   pq_len(&q));
	while ((cur = (struct qitem *)pq_pop(&q)) != NULL) {
		if (cur->removed || (prev && ep_key_before(&cur->key, &prev->key)))
			wrong++;
		prev = cur;
		popped++;
	}
	ok(popped == N - (N + 2) / 3 && !wrong,
	   "the rest pop in order and no removed item comes back (%u wrong)", wrong);
	pq_free(&q);
}

static void test_queue_fifo(void)
{
	struct qitem it[4];
	struct pqueue q;
	uint32_t i;
	int order_ok = 1;

	pq_init(&q);
	/* Same class and deadline: arrival order, whatever the push order. */
	for (i = 0; i < 4; i++) {
		it[i].key = (struct ep_key){ .prio = EP_PRIO_NORMAL, .deadline = 5,
					     .seq = 3 - i };
		pq_item_init(&it[i].item);
		pq_push(&q, &it[i].item, &it[i].key);
	}
	for (i = 0; i < 4; i++)
		if (pq_pop(&q) != &it[3 - i].item)
			order_ok = 0;
	ok(order_ok, "equal keys leave by sequence number");
	pq_free(&q);
}

/* ---------------------------------------------------------------- protocol */

static ino_t ino_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

static void test_check(void)
{
	union ub_msg m;
	size_t len;

	memset(&m, 0, sizeof(m));
	ub_hdr_init(&m.hdr, UB_SUBMIT, sizeof(m.submit), 2);
	m.submit.nr_buffers = 2;
	ok(ub_msg_check(&m, sizeof(m.submit), 2) == UB_SUBMIT, "a submit with its 2 fds is good");
	ok(ub_msg_check(&m, sizeof(m.submit), 1) == -EBADMSG, "... with 1 fd it is not");
	ok(ub_msg_check(&m, sizeof(m.submit) - 8, 2) == -EBADMSG,
	   "... nor when fewer bytes came than the header says");
	m.submit.nr_buffers = 1;
	m.hdr.nr_fds = 1;
	ok(ub_msg_check(&m, sizeof(m.submit), 2) == -EBADMSG,
	   "fds beyond what the header announces are refused");
	m.submit.nr_buffers = UB_MAX_BUFFERS + 1;
	m.hdr.nr_fds = UB_MAX_BUFFERS + 1;
	ok(ub_msg_check(&m, sizeof(m.submit), UB_MAX_BUFFERS + 1) == -EBADMSG,
	   "more buffers than the protocol allows");
	ub_hdr_init(&m.hdr, 0, sizeof(m.submit), 0);
	ok(ub_msg_check(&m, sizeof(m.submit), 0) == -EBADMSG, "type 0 is unknown");
	ub_hdr_init(&m.hdr, UB_NR_TYPES, sizeof(m.submit), 0);
	ok(ub_msg_check(&m, sizeof(m.submit), 0) == -EBADMSG, "a type past the last is unknown");
	ok(ub_msg_check(&m, 4, 0) == -EBADMSG, "shorter than a header");

	memset(&m, 0, sizeof(m));
	len = ub_graph_len(3);
	ub_hdr_init(&m.hdr, UB_GRAPH, len, 1);
	m.graph.nr_stages = 3;
	m.graph.nr_buffers = 4;
	strcpy(m.graph.name, "g");
	ok(ub_msg_check(&m, len, 1) == UB_GRAPH, "a graph of 3 stages with a model");
	m.graph.nr_stages = 2;
	ok(ub_msg_check(&m, len, 1) == -EBADMSG, "a graph whose length is not its stage count's");
	m.graph.nr_stages = 0;
	ub_hdr_init(&m.hdr, UB_GRAPH, ub_graph_len(0), 0);
	ok(ub_msg_check(&m, ub_graph_len(0), 0) == -EBADMSG, "a graph of no stage");
	m.graph.nr_stages = 3;
	ub_hdr_init(&m.hdr, UB_GRAPH, len, 1);
	memset(m.graph.name, 'x', sizeof(m.graph.name));
	ok(ub_msg_check(&m, len, 1) == -EBADMSG, "a graph name without its NUL");

	memset(&m, 0, sizeof(m));
	ub_hdr_init(&m.hdr, UB_TASK, sizeof(m.task), 3);
	m.task.nr_buffers = 4;
	m.task.in_mask = 1;
	m.task.out_mask = 4;
	m.task.has_model = 1;
	ok(ub_msg_check(&m, sizeof(m.task), 3) == UB_TASK,
	   "a task carries the model and one fd per buffer it uses");
	m.task.out_mask = 16;
	ok(ub_msg_check(&m, sizeof(m.task), 3) == -EBADMSG, "a task using a buffer the job lacks");

	memset(&m, 0, sizeof(m));
	ub_hdr_init(&m.hdr, UB_DONE, ub_done_len(UB_MAX_STAGES), 0);
	m.done.nr_stages = UB_MAX_STAGES;
	ok(ub_msg_check(&m, ub_done_len(UB_MAX_STAGES), 0) == UB_DONE &&
	   ub_done_len(UB_MAX_STAGES) <= sizeof(m), "the largest DONE fits a message buffer");
}

static void test_wire(void)
{
	struct edgeai_job_spec spec = { .graph_id = 3, .priority = 1, .cookie = 77,
					.deadline_ns = 123, .nr_buffers = 3 };
	int sv[2], fds[3], got[UB_MAX_FDS], i, same = 1;
	unsigned int nr = 99;
	union ub_msg m;
	char big[sizeof(m) + 64];
	ssize_t type;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		skip("socketpair: %s", strerror(errno));
		return;
	}
	for (i = 0; i < 3; i++)
		fds[i] = edgeai_buffer_create("t", 64);
	spec.buf_fds = fds;
	ok(ubc_submit(sv[0], &spec, 5) == 0, "a submit goes out with its 3 buffers");
	type = ub_recv(sv[1], &m, got, &nr);
	ok(type == UB_SUBMIT && nr == 3 && m.submit.tag == 5 && m.submit.cookie == 77 &&
	   m.submit.graph_id == 3 && m.submit.deadline_ns == 123,
	   "... and arrives whole (type %zd, %u fds)", type, nr);
	for (i = 0; i < 3 && nr == 3; i++) {
		if (ino_of(got[i]) != ino_of(fds[i]) || got[i] == fds[i] ||
		    !(fcntl(got[i], F_GETFD) & FD_CLOEXEC))
			same = 0;
		close(got[i]);
	}
	ok(same, "the received fds are new close-on-exec fds of the same files, in order");

	/* A message larger than any the protocol has is refused whole. */
	memset(big, 0, sizeof(big));
	ub_hdr_init((struct ub_hdr *)big, UB_COMPLETE, sizeof(big), 0);
	send(sv[0], big, sizeof(big), 0);
	ok(ub_recv(sv[1], &m, got, &nr) == -EBADMSG && nr == 0, "a truncated message: EBADMSG");

	/* Framing that lies about its fds: their files are closed, not leaked. */
	{
		struct ub_complete_msg c;

		memset(&c, 0, sizeof(c));
		ub_hdr_init(&c.hdr, UB_COMPLETE, sizeof(c), 1);
		ok(ub_send(sv[0], &c, fds) == 0, "a COMPLETE sent with an fd");
		ok(ub_recv(sv[1], &m, got, &nr) == -EBADMSG && nr == 0,
		   "... is refused: COMPLETE carries none");
	}
	close(sv[0]);
	ok(ub_recv(sv[1], &m, got, &nr) == 0, "end of stream reads as 0");
	close(sv[1]);
	for (i = 0; i < 3; i++)
		close(fds[i]);
}

/* ---------------------------------------------------------------- broker */

static pid_t broker_start(const char *path)
{
	struct ub_config cfg = {
		.nr_clusters = 2, .max_jobs_per_uid = 64, .max_graphs = 4,
		.max_retries = 1,
	};
	int lfd = ub_listen(path);
	pid_t pid;

	if (lfd < 0)
		return -1;
	pid = fork();
	if (pid == 0)
		_exit(-ub_serve(lfd, &cfg));
	close(lfd);
	return pid;
}

static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

struct job_bufs {
	int fd[3];
};

static void make_bufs(struct job_bufs *b)
{
	int i;

	for (i = 0; i < 3; i++)
		b->fd[i] = edgeai_buffer_create("b", 4096);
}

static int submit_job(int s, uint32_t graph, struct job_bufs *b, uint32_t prio,
		      uint64_t deadline, uint64_t cookie)
{
	struct edgeai_job_spec spec = {
		.graph_id = graph, .priority = prio, .deadline_ns = deadline,
		.cookie = cookie, .nr_buffers = 3, .buf_fds = b->fd,
	};

	return ubc_submit(s, &spec, cookie);
}

static void test_broker(void)
{
	char path[64];
	/* Two stages: cluster 0 reads buffer 0 and writes 1, cluster 1 reads 1 and writes 2. */
	struct edgeai_stage st[2] = {
		{ .cluster_id = 0, .nr_layers = 1, .cost_ns = MS, .in_mask = 1, .out_mask = 2 },
		{ .cluster_id = 1, .nr_layers = 1, .cost_ns = MS, .in_mask = 2, .out_mask = 4 },
	};
	uint64_t sizes[3] = { 4096, 4096, 4096 };
	struct edgeai_graph_spec g = {
		.name = "t", .nr_stages = 2, .stages = st, .nr_buffers = 3,
		.buf_sizes = sizes,
	};
	/* Queued in this order; fetched as 2 (realtime), then by deadline 4, 1, 3, and 0 (none). */
	static const struct { uint32_t prio; uint64_t deadline; } jobs[5] = {
		{ EDGEAI_PRIO_NORMAL, 0 }, { EDGEAI_PRIO_NORMAL, 10 },
		{ EDGEAI_PRIO_REALTIME, 50 }, { EDGEAI_PRIO_NORMAL, 20 },
		{ EDGEAI_PRIO_NORMAL, 5 },
	};
	static const uint64_t want[5] = { 2, 4, 1, 3, 0 };
	struct job_bufs b[5], small;
	struct ubc_task task;
	union ub_msg m;
	uint32_t graph = 0, i;
	int sub, e0, e1, model, order_ok = 1, fds_ok = 1, done_ok = 1, ret;
	pid_t broker;

	if (geteuid() != 0) {
		skip("the broker lets only root attach executors, as the kernel needs CAP_SYS_ADMIN");
		return;
	}
	snprintf(path, sizeof(path), "@edgeai-bench-test-%d", (int)getpid());
	broker = broker_start(path);
	ok(broker > 0, "broker started");
	if (broker <= 0)
		return;

	sub = ub_connect(path);
	model = edgeai_buffer_create("model", 64);
	g.model_fd = model;
	ret = ubc_graph_create(sub, &g, &graph);
	ok(ret == 0 && graph == 1, "GRAPH: graph %u (%d)", graph, ret);
	st[1].cluster_id = 2;
	ok(ubc_graph_create(sub, &g, &graph) == -EINVAL, "a stage on a cluster that does not exist: EINVAL");
	st[1].cluster_id = 1;
	graph = 1;

	for (i = 0; i < 5; i++) {
		make_bufs(&b[i]);
		submit_job(sub, graph, &b[i], jobs[i].prio, jobs[i].deadline, i);
	}
	/* Refusals come back as REJECT with the job's tag. */
	submit_job(sub, 9, &b[0], EDGEAI_PRIO_NORMAL, 0, 100);
	ret = ubc_wait(sub, &m);
	ok(ret == UB_REJECT && m.reject.error == -ENOENT && m.reject.tag == 100,
	   "a job on an unknown graph: REJECT ENOENT");
	small.fd[0] = b[0].fd[0];
	small.fd[1] = edgeai_buffer_create("small", 16);
	small.fd[2] = b[0].fd[2];
	submit_job(sub, graph, &small, EDGEAI_PRIO_NORMAL, 0, 101);
	ret = ubc_wait(sub, &m);
	ok(ret == UB_REJECT && m.reject.error == -ENOSPC, "a buffer smaller than the graph says: ENOSPC");
	close(small.fd[1]);
	small.fd[1] = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	submit_job(sub, graph, &small, EDGEAI_PRIO_NORMAL, 0, 102);
	ret = ubc_wait(sub, &m);
	ok(ret == UB_REJECT && (m.reject.error == -EACCES || m.reject.error == -EINVAL),
	   "a read-only buffer that a stage writes: refused (%d)", m.reject.error);
	close(small.fd[1]);

	/* One executor on cluster 0 now sees the queue in the kernel's order. */
	e0 = ub_connect(path);
	ok(ubc_attach(e0, 0) == 0, "ATTACH cluster 0");
	for (i = 0; i < 5; i++) {
		ret = ubc_fetch(e0, &task);
		if (ret || task.msg.stage != 0 || task.buf_fds[0] < 0 ||
		    ino_of(task.buf_fds[0]) != ino_of(b[want[i]].fd[0])) {
			order_ok = 0;
			diag("fetch %u: ret %d, wanted job %llu", i, ret,
			     (unsigned long long)want[i]);
		}
		if (task.model_fd < 0 || ino_of(task.model_fd) != ino_of(model) ||
		    task.buf_fds[1] < 0 || ino_of(task.buf_fds[1]) != ino_of(b[want[i]].fd[1]) ||
		    task.buf_fds[2] != -1)
			fds_ok = 0;
		ubc_task_close(&task);
		if (i == 0) {
			/* Lose the executor mid-stage: the stage is requeued. */
			close(e0);
			e0 = ub_connect(path);
			ubc_attach(e0, 0);
			ret = ubc_fetch(e0, &task);
			ok(!ret && ino_of(task.buf_fds[0]) == ino_of(b[want[0]].fd[0]),
			   "a lost executor's stage goes to the next executor first");
			ubc_task_close(&task);
		}
		ubc_complete(e0, &task, 0, 1000, 0);
	}
	ok(order_ok, "cluster 0 hands stages out by class, then deadline, then arrival");
	ok(fds_ok, "each task brings the model and the buffers its stage uses, and only those");

	e1 = ub_connect(path);
	ok(ubc_attach(e1, 1) == 0, "ATTACH cluster 1");
	for (i = 0; i < 5; i++) {
		ret = ubc_fetch(e1, &task);
		if (ret || task.msg.stage != 1 || task.buf_fds[0] != -1 ||
		    task.buf_fds[2] < 0)
			done_ok = 0;
		ubc_task_close(&task);
		ubc_complete(e1, &task, 0, 1000, 0);
	}
	ok(done_ok, "the second stages run on cluster 1 with buffers 1 and 2");
	done_ok = 1;
	for (i = 0; i < 5; i++) {
		ret = ubc_wait(sub, &m);
		if (ret != UB_DONE || m.done.nr_stages != 2 ||
		    m.done.times[0].cluster_id != 0 || m.done.times[1].cluster_id != 1 ||
		    !m.done.times[1].end_ns || m.done.times[1].exec_ns != 1000 ||
		    (m.done.status != EDGEAI_JOB_DONE &&
		     m.done.status != EDGEAI_JOB_DEADLINE_MISSED)) {
			done_ok = 0;
			diag("done %u: ret %d status %u", i, ret, m.done.status);
		}
		if (m.done.cookie == want[0] &&
		    (m.done.retries != 1 || m.done.times[0].attempts != 2))
			done_ok = 0;
	}
	ok(done_ok, "every job ends once, with its stage records (the requeued one: 2 attempts)");

	/* A submitter that closes takes its queued jobs with it. */
	{
		int sub2 = ub_connect(path);
		uint32_t g2;

		g.model_fd = -1;
		ubc_graph_create(sub2, &g, &g2);
		for (i = 0; i < 3; i++)
			submit_job(sub2, g2, &b[i], EDGEAI_PRIO_NORMAL, 0, i);
		ret = ubc_fetch(e0, &task);	/* one of them runs... */
		ubc_task_close(&task);
		close(sub2);			/* ...and the others are cancelled */
		usleep(100000);
		ubc_complete(e0, &task, 0, 0, 0);
		ok(!ret && !readable(e0, 200), "jobs of a closed submitter do not reach executors");
		ok(!readable(e1, 200), "... nor the stage after the one that was running");
	}

	close(e0);
	close(e1);
	close(sub);
	close(model);
	for (i = 0; i < 5; i++)
		edgeai_buffers_close(3, b[i].fd);
	kill(broker, SIGKILL);
	waitpid(broker, NULL, 0);
}

int main(void)
{
	test_queue_order();
	test_queue_remove();
	test_queue_fifo();
	test_check();
	test_wire();
	test_broker();
	return tap_done();
}
