// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel side of observability, in the VM: the "edgeai" generic
 * netlink family (events with the right fields, dumps, strict request
 * policies, who may join which group and see which jobs) and the edgeai:
 * tracepoints.  Talks raw libnl-genl, so that it checks the kernel, not
 * libedgeai's listener.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/child.h"
#include "../lib/tap.h"

#define MS		1000000ULL
#define TRACING		"/sys/kernel/debug/tracing/"

/* What one received message held. */
struct msg {
	int cmd;
	struct nlattr *a[EDGEAI_NL_A_MAX + 1];
	int nr_stages;
	uint32_t stage_cluster[8];
	uint64_t stage_start[8], stage_end[8];
};

#define MAX_MSGS	256
static struct msg msgs[MAX_MSGS];
static int nr_msgs;
static struct nl_msg *held[MAX_MSGS];

static int on_msg(struct nl_msg *m, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(m);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct msg *x;
	struct nlattr *st, *f;
	int rem, rem2;

	(void)arg;
	if (nr_msgs == MAX_MSGS)
		return NL_OK;
	x = &msgs[nr_msgs];
	memset(x, 0, sizeof(*x));
	x->cmd = gh->cmd;
	nlmsg_get(m);
	held[nr_msgs++] = m;
	if (genlmsg_parse(nlh, 0, x->a, EDGEAI_NL_A_MAX, NULL))
		return NL_OK;
	if (x->a[EDGEAI_NL_A_STAGES]) {
		nla_for_each_nested(st, x->a[EDGEAI_NL_A_STAGES], rem) {
			if (x->nr_stages == 8)
				break;
			nla_for_each_nested(f, st, rem2) {
				if (nla_type(f) == EDGEAI_NL_A_CLUSTER_ID)
					x->stage_cluster[x->nr_stages] = nla_get_u32(f);
				else if (nla_type(f) == EDGEAI_NL_A_START_NS)
					x->stage_start[x->nr_stages] = nla_get_u64(f);
				else if (nla_type(f) == EDGEAI_NL_A_END_NS)
					x->stage_end[x->nr_stages] = nla_get_u64(f);
			}
			x->nr_stages++;
		}
	}
	return NL_OK;
}

static void forget(void)
{
	int i;

	for (i = 0; i < nr_msgs; i++)
		nlmsg_free(held[i]);
	nr_msgs = 0;
}

static struct nl_sock *sock_open(int *family)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk || genl_connect(sk))
		return NULL;
	*family = genl_ctrl_resolve(sk, EDGEAI_GENL_NAME);
	nl_socket_disable_seq_check(sk);
	/* Every request here has a reply: no separate ack to read. */
	nl_socket_disable_auto_ack(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_msg, NULL);
	return sk;
}

static int join(struct nl_sock *sk, const char *group)
{
	int grp = genl_ctrl_resolve_grp(sk, EDGEAI_GENL_NAME, group);

	if (grp < 0)
		return grp;
	return nl_socket_add_membership(sk, grp);
}

/* Read whatever arrived within ms milliseconds. */
static void drain(struct nl_sock *sk, int ms)
{
	uint64_t end = edgeai_now_ns() + (uint64_t)ms * MS;

	nl_socket_set_nonblocking(sk);
	while (edgeai_now_ns() < end) {
		if (nl_recvmsgs_default(sk) < 0)
			usleep(5000);
	}
}

static struct msg *find(int cmd, int nth)
{
	int i;

	for (i = 0; i < nr_msgs; i++)
		if (msgs[i].cmd == cmd && nth-- == 0)
			return &msgs[i];
	return NULL;
}

static int count(int cmd)
{
	int i, n = 0;

	for (i = 0; i < nr_msgs; i++)
		n += msgs[i].cmd == cmd;
	return n;
}

static uint32_t u32_of(struct msg *m, int attr)
{
	return m && m->a[attr] ? nla_get_u32(m->a[attr]) : 0xffffffff;
}

static uint64_t u64_of(struct msg *m, int attr)
{
	return m && m->a[attr] ? nla_get_u64(m->a[attr]) : ~0ULL;
}

static const char *str_of(struct msg *m, int attr)
{
	return m && m->a[attr] ? nla_get_string(m->a[attr]) : "";
}

/* Send a request with optional u32 attribute; -errno, or 0 after replies. */
static int request(struct nl_sock *sk, int family, int cmd, int flags,
		   int attr, uint32_t val)
{
	struct nl_msg *m = nlmsg_alloc();
	int ret;

	genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
		    EDGEAI_GENL_VERSION);
	if (attr)
		nla_put_u32(m, attr, val);
	fcntl(nl_socket_get_fd(sk), F_SETFL,
	      fcntl(nl_socket_get_fd(sk), F_GETFL) & ~O_NONBLOCK);
	ret = nl_send_auto(sk, m);
	nlmsg_free(m);
	if (ret < 0)
		return ret;
	/* Replies go to on_msg(); a reply or an error ends a request, DONE a dump. */
	ret = nl_recvmsgs_default(sk);
	if (ret < 0)
		diag("request %d: %s", cmd, nl_geterror(ret));
	return ret < 0 ? ret : 0;
}

struct workload {
	struct edgeai *sub, *ex;
	uint32_t graph;
	int fds[3];
};

/* A two-stage graph on clusters 0 and 1, and an executor for cluster 0. */
static int workload_open(struct workload *w)
{
	struct edgeai_stage st[2] = {
		{ .cluster_id = 0, .nr_layers = 1, .cost_ns = MS, .in_mask = 1, .out_mask = 2 },
		{ .cluster_id = 1, .nr_layers = 1, .cost_ns = MS, .in_mask = 2, .out_mask = 4 },
	};
	struct edgeai_graph_spec spec = { .name = "nltest", .model_fd = -1, .nr_stages = 2,
					  .stages = st, .nr_buffers = 3 };
	uint64_t sizes[3] = { 64, 64, 64 };

	if (edgeai_open(&w->sub) || edgeai_graph_create(w->sub, &spec, &w->graph) ||
	    edgeai_buffers_create("nl", 3, sizes, w->fds))
		return -1;
	return 0;
}

static int submit(struct workload *w, uint64_t deadline, uint32_t flags, uint64_t *id)
{
	struct edgeai_job_spec js = { .graph_id = w->graph, .priority = EDGEAI_PRIO_NORMAL,
				      .deadline_ns = deadline, .flags = flags,
				      .nr_buffers = 3, .buf_fds = w->fds };

	return edgeai_submit(w->sub, &js, id);
}

static int run_stage(struct edgeai *ex)
{
	struct edgeai_task t;
	int ret = edgeai_exec_fetch(ex, &t);

	if (ret)
		return ret;
	edgeai_task_close(&t);
	return edgeai_exec_complete(ex, &t, 0, 1000, 11);
}

/* What nobody may do on a socket of its own: @out's 4 booleans. */
static void nobody_netlink(void *arg, void *out)
{
	struct nl_sock *u;
	char *res = out;
	int fam;

	(void)arg;
	child_drop_to_nobody();
	u = sock_open(&fam);
	res[0] = u && join(u, EDGEAI_NL_MCGRP_EVENTS) == 0;
	res[1] = u && join(u, EDGEAI_NL_MCGRP_JOBS) < 0;
	nr_msgs = 0;
	res[2] = u && request(u, fam, EDGEAI_NL_CMD_GET_JOB, NLM_F_DUMP, 0, 0) == 0 &&
		 count(EDGEAI_NL_CMD_GET_JOB) == 0;
	res[3] = u && request(u, fam, EDGEAI_NL_CMD_GET_CLUSTER, NLM_F_DUMP, 0, 0) == 0;
}

static void test_events(void)
{
	struct edgeai *ex0, *ex1;
	struct nl_sock *sk;
	struct workload w;
	struct edgeai_result r;
	struct msg *m;
	uint64_t id;
	int family;

	sk = sock_open(&family);
	ok(sk && family > 0, "family \"edgeai\" resolves (id %d)", family);
	if (!sk)
		return;
	ok(join(sk, EDGEAI_NL_MCGRP_EVENTS) == 0, "root joins \"events\"");
	ok(join(sk, EDGEAI_NL_MCGRP_JOBS) == 0, "root joins \"jobs\"");

	if (workload_open(&w) || edgeai_open(&ex0) || edgeai_open(&ex1)) {
		ok(0, "workload set up");
		return;
	}
	edgeai_exec_attach(ex0, 0);
	edgeai_exec_attach(ex1, 1);
	write_file("/sys/class/misc/edgeai/clusters/little/governor", "powersave");
	submit(&w, edgeai_now_ns() + 60000 * MS, 0, &id);
	run_stage(ex0);
	run_stage(ex1);
	edgeai_wait(w.sub, id, 0, 0, &r);
	/* Strict admission with an impossible deadline: a rejection event. */
	ok(submit(&w, edgeai_now_ns() + 1, EDGEAI_SUBMIT_STRICT, &id) == -ETIME, "strict refusal");
	edgeai_close(ex1);
	drain(sk, 300);

	m = find(EDGEAI_NL_CMD_EXEC_ATTACH, 0);
	ok(m && u32_of(m, EDGEAI_NL_A_CLUSTER_ID) == 0 &&
	   !strcmp(str_of(m, EDGEAI_NL_A_CLUSTER_NAME), "little") &&
	   u32_of(m, EDGEAI_NL_A_PID) == (uint32_t)getpid() &&
	   u32_of(m, EDGEAI_NL_A_NR_EXECUTORS) == 1,
	   "EXEC_ATTACH: cluster, name, executor pid, count");
	m = find(EDGEAI_NL_CMD_GOVERNOR_CHANGE, 0);
	ok(m && !strcmp(str_of(m, EDGEAI_NL_A_GOVERNOR_OLD), "performance") &&
	   !strcmp(str_of(m, EDGEAI_NL_A_GOVERNOR), "powersave"),
	   "GOVERNOR_CHANGE: performance -> powersave");
	m = find(EDGEAI_NL_CMD_FREQ_CHANGE, 0);
	ok(m && u32_of(m, EDGEAI_NL_A_FREQ_OLD_KHZ) == 1400000 &&
	   u32_of(m, EDGEAI_NL_A_FREQ_KHZ) == 400000 &&
	   u32_of(m, EDGEAI_NL_A_FREQ_REASON) == EDGEAI_FREQ_REASON_GOVERNOR_SWITCH &&
	   m->a[EDGEAI_NL_A_TIME_NS],
	   "FREQ_CHANGE: 1400000 -> 400000, reason governor switch, time");
	m = find(EDGEAI_NL_CMD_JOB_DONE, 0);
	ok(m && u32_of(m, EDGEAI_NL_A_STATUS) == EDGEAI_JOB_DONE &&
	   u32_of(m, EDGEAI_NL_A_PID) == (uint32_t)getpid() &&
	   u32_of(m, EDGEAI_NL_A_UID) == 0 &&
	   !strcmp(str_of(m, EDGEAI_NL_A_GRAPH_NAME), "nltest") &&
	   u32_of(m, EDGEAI_NL_A_GRAPH_ID) == w.graph &&
	   m->a[EDGEAI_NL_A_DEADLINE_MET] && m->a[EDGEAI_NL_A_DEADLINE_NS] &&
	   u64_of(m, EDGEAI_NL_A_ENERGY_UJ) == 22 &&
	   u64_of(m, EDGEAI_NL_A_LATENCY_NS) == r.wait.finish_ns - r.wait.submit_ns,
	   "JOB_DONE: status, pid, uid, graph, deadline met, energy 2x11, latency");
	ok(m && m->nr_stages == 2 && m->stage_cluster[0] == 0 && m->stage_cluster[1] == 1 &&
	   m->stage_start[1] >= m->stage_end[0] && m->stage_end[1] > m->stage_start[1],
	   "JOB_DONE: per-stage clusters and times");
	m = find(EDGEAI_NL_CMD_JOB_REJECTED, 0);
	ok(m && u32_of(m, EDGEAI_NL_A_GRAPH_ID) == w.graph && m->a[EDGEAI_NL_A_DEADLINE_NS],
	   "JOB_REJECTED: graph and deadline");
	m = find(EDGEAI_NL_CMD_EXEC_DETACH, 0);
	ok(m && u32_of(m, EDGEAI_NL_A_CLUSTER_ID) == 1 && !m->a[EDGEAI_NL_A_EXEC_LOST] &&
	   u32_of(m, EDGEAI_NL_A_NR_EXECUTORS) == 0,
	   "EXEC_DETACH of an idle executor: not lost");
	forget();

	/* An executor closed holding a stage: lost. */
	submit(&w, 0, 0, &id);
	{
		struct edgeai_task t;

		edgeai_exec_fetch(ex0, &t);
		edgeai_task_close(&t);
	}
	edgeai_close(ex0);
	drain(sk, 200);
	m = find(EDGEAI_NL_CMD_EXEC_DETACH, 0);
	ok(m && m->a[EDGEAI_NL_A_EXEC_LOST], "EXEC_DETACH holding a stage: lost");
	forget();

	/*
	 * Overload: 100 ms of work due in 50 ms on the deadline governor (a
	 * deadline already past no longer counts: it is late either way).
	 */
	write_file("/sys/class/misc/edgeai/clusters/little/governor", "deadline");
	{
		struct edgeai_stage st = { .cluster_id = 0, .nr_layers = 1, .cost_ns = 100 * MS,
					   .in_mask = 1, .out_mask = 2 };
		struct edgeai_graph_spec spec = { .name = "heavy", .model_fd = -1, .nr_stages = 1,
						  .stages = &st, .nr_buffers = 2 };
		struct edgeai_job_spec js = { .priority = EDGEAI_PRIO_NORMAL, .nr_buffers = 2,
					      .buf_fds = w.fds };
		uint32_t g;

		edgeai_graph_create(w.sub, &spec, &g);
		js.graph_id = g;
		js.deadline_ns = edgeai_now_ns() + 50 * MS;
		edgeai_submit(w.sub, &js, &id);
	}
	drain(sk, 200);
	m = find(EDGEAI_NL_CMD_OVERLOAD, 0);
	ok(m && u32_of(m, EDGEAI_NL_A_CLUSTER_ID) == 0 && u32_of(m, EDGEAI_NL_A_NR_QUEUED) >= 1,
	   "OVERLOAD on the cluster whose deadlines cannot be met");
	write_file("/sys/class/misc/edgeai/clusters/little/governor", "performance");
	forget();

	/* Requests go on a socket of their own, away from the events. */
	nl_socket_free(sk);
	sk = sock_open(&family);

	/* Dumps. */
	ok(request(sk, family, EDGEAI_NL_CMD_GET_CLUSTER, NLM_F_DUMP, 0, 0) == 0 &&
	   count(EDGEAI_NL_CMD_GET_CLUSTER) == 3, "GET_CLUSTER dump: 3 clusters");
	m = find(EDGEAI_NL_CMD_GET_CLUSTER, 2);
	ok(m && !strcmp(str_of(m, EDGEAI_NL_A_CLUSTER_NAME), "gpu") &&
	   u32_of(m, EDGEAI_NL_A_CLUSTER_KIND) == EDGEAI_CLUSTER_GPU &&
	   !strcmp(str_of(m, EDGEAI_NL_A_GOVERNOR), "performance") && m->a[EDGEAI_NL_A_FREQS],
	   "GET_CLUSTER: name, kind, governor, frequencies");
	forget();
	ok(request(sk, family, EDGEAI_NL_CMD_GET_CLUSTER, 0, EDGEAI_NL_A_CLUSTER_ID, 1) == 0 &&
	   count(EDGEAI_NL_CMD_GET_CLUSTER) == 1 &&
	   !strcmp(str_of(find(EDGEAI_NL_CMD_GET_CLUSTER, 0), EDGEAI_NL_A_CLUSTER_NAME), "big"),
	   "GET_CLUSTER of id 1: big");
	forget();
	ok(request(sk, family, EDGEAI_NL_CMD_GET_CLUSTER, 0, EDGEAI_NL_A_CLUSTER_ID, 9) ==
	   -NLE_OBJ_NOTFOUND, "GET_CLUSTER of an unknown id: ENOENT");
	ok(request(sk, family, EDGEAI_NL_CMD_GET_CLUSTER, 0, 0, 0) == -NLE_INVAL,
	   "GET_CLUSTER without an id: EINVAL");
	ok(request(sk, family, EDGEAI_NL_CMD_GET_CLUSTER, 0, EDGEAI_NL_A_JOB_ID, 1) == -NLE_INVAL,
	   "GET_CLUSTER with a foreign attribute: refused by the strict policy");
	ok(request(sk, family, EDGEAI_NL_CMD_GET_STATS, 0, EDGEAI_NL_A_CLUSTER_ID, 0) == -NLE_INVAL,
	   "GET_STATS with an attribute: refused");
	ok(request(sk, family, EDGEAI_NL_CMD_JOB_DONE, 0, 0, 0) == -NLE_OPNOTSUPP,
	   "an event command sent as a request: not supported");
	forget();
	ok(request(sk, family, EDGEAI_NL_CMD_GET_STATS, 0, 0, 0) == 0, "GET_STATS");
	m = find(EDGEAI_NL_CMD_GET_STATS, 0);
	{
		long long submitted = stat_of("submitted");

		ok(m && u64_of(m, EDGEAI_NL_A_STAT_SUBMITTED) == (uint64_t)submitted &&
		   m->a[EDGEAI_NL_A_QUEUED_PRIO],
		   "GET_STATS: submitted agrees with sysfs (%lld)", submitted);
	}
	forget();
	ok(request(sk, family, EDGEAI_NL_CMD_GET_JOB, NLM_F_DUMP, 0, 0) == 0 &&
	   count(EDGEAI_NL_CMD_GET_JOB) == 2, "GET_JOB dump: the 2 live jobs (%d)",
	   count(EDGEAI_NL_CMD_GET_JOB));
	m = find(EDGEAI_NL_CMD_GET_JOB, 0);
	ok(m && u32_of(m, EDGEAI_NL_A_PID) == (uint32_t)getpid() && m->a[EDGEAI_NL_A_STATE],
	   "GET_JOB: owner pid and state");
	forget();

	/* Unprivileged: events yes, jobs no, only own jobs in dumps. */
	{
		char res[4] = "";

		child_report(nobody_netlink, NULL, res, sizeof(res));
		ok(res[0], "an unprivileged user joins \"events\"");
		ok(res[1], "but not \"jobs\"");
		ok(res[2], "and its job dump shows none of root's jobs");
		ok(res[3], "cluster dumps are open to all");
	}
	edgeai_buffers_close(3, w.fds);
	edgeai_close(w.sub);
	nl_socket_free(sk);
}

static bool trace_has(const char *event)
{
	char line[512];
	bool found = false;
	FILE *f = fopen(TRACING "trace", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, event) != NULL;
	fclose(f);
	return found;
}

static void test_tracepoints(void)
{
	struct edgeai *ex;
	struct workload w;
	struct edgeai_result r;
	uint64_t id;

	if (access(TRACING "events/edgeai/enable", W_OK)) {
		skip("no tracefs in this VM");
		return;
	}
	write_file(TRACING "trace", "");
	write_file(TRACING "events/edgeai/enable", "1");
	if (workload_open(&w) || edgeai_open(&ex)) {
		ok(0, "workload set up");
		return;
	}
	edgeai_exec_attach(ex, 0);
	write_file("/sys/class/misc/edgeai/clusters/little/governor", "powersave");
	submit(&w, 0, 0, &id);
	run_stage(ex);
	edgeai_cancel(w.sub, id);
	edgeai_wait(w.sub, id, 0, 0, &r);
	write_file(TRACING "events/edgeai/enable", "0");
	ok(trace_has("edgeai_job_submit:"), "tracepoint edgeai_job_submit fired");
	ok(trace_has("edgeai_stage_begin:"), "tracepoint edgeai_stage_begin fired");
	ok(trace_has("edgeai_stage_end:"), "tracepoint edgeai_stage_end fired");
	ok(trace_has("edgeai_job_done:"), "tracepoint edgeai_job_done fired");
	ok(trace_has("edgeai_freq_change:"), "tracepoint edgeai_freq_change fired");
	write_file("/sys/class/misc/edgeai/clusters/little/governor", "performance");
	edgeai_close(ex);
	edgeai_buffers_close(3, w.fds);
	edgeai_close(w.sub);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_events();
	test_tracepoints();
	return tap_done();
}
