// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who may do what: the permissions matrix of /dev/edgeai and the "edgeai"
 * netlink family, in the VM.
 *
 * The device is given to a group (gid 100), as a udev rule would do on a
 * board, and each identity runs in a child of its own:
 *
 *   user     uid 1001 in the group, no capability
 *   nice     uid 1002 in the group, CAP_SYS_NICE only
 *   admin    uid 1003 in the group, CAP_SYS_ADMIN only
 *   netadmin uid 1004 in the group, CAP_NET_ADMIN only
 *   root     uid 0, every capability
 *   outsider uid 1005, not in the group
 *
 * For each: opening the device, submitting in each priority class,
 * attaching an executor, changing a governor through GOVERNOR_SET and
 * through sysfs (governor and setspeed), setting a cluster model, joining
 * the two multicast groups, the stats and cluster requests, and what the
 * job dump shows.  Then isolation: a victim (another uid of the group)
 * keeps jobs queued, and nobody else can wait on them, cancel them,
 * destroy its graph or, without CAP_NET_ADMIN, see them in a dump; its
 * jobs do not count against anyone else's quota.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/child.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define GROUP		100

struct ident {
	const char *name;
	uid_t uid;
	bool in_group;
	int cap;	/* the one capability kept, -1 for none; root keeps all */
};

static const struct ident idents[] = {
	{ "user", 1001, true, -1 },
	{ "nice", 1002, true, CAP_SYS_NICE },
	{ "admin", 1003, true, CAP_SYS_ADMIN },
	{ "netadmin", 1004, true, CAP_NET_ADMIN },
	{ "root", 0, true, -1 },
	{ "outsider", 1005, false, -1 },
};
enum { USER, NICE, ADMIN, NETADMIN, ROOT, OUTSIDER, NR_IDENTS };

/* What one identity got: 0 or -errno per action. */
struct res {
	int open;
	int prio[EDGEAI_NR_PRIO];
	int attach;
	int gov_ioctl;
	int model_ioctl;
	int gov_sysfs;
	int setspeed_sysfs;
	int join_events;
	int join_jobs;
	int get_stats;
	int get_cluster;
	int dump;		/* the GET_JOB dump worked */
	int dump_own;		/* jobs of its own uid it saw */
	int dump_victim;	/* jobs of the victim it saw */
	int wait_victim;
	int cancel_victim;
	int destroy_victim;
	int submit_victim_graph;
	int quota;		/* a job while the victim is at its quota */
	int caps_ok;		/* it holds exactly the capabilities meant */
};

/* The victim's objects, for the others to aim at. */
static struct {
	uint32_t graph;
	uint64_t job;
	uid_t uid;
} victim = { .uid = 1006 };


/* ---------------------------------------------------------------- capabilities */

static int capset_raw(uint64_t eff, uint64_t perm)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {
		{ .effective = (uint32_t)eff, .permitted = (uint32_t)perm },
		{ .effective = (uint32_t)(eff >> 32), .permitted = (uint32_t)(perm >> 32) },
	};

	return (int)syscall(SYS_capset, &h, d);
}

static int capget_raw(uint64_t *eff)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	*eff = d[0].effective | ((uint64_t)d[1].effective << 32);
	return 0;
}

/* Become an identity: groups, ids, and the one capability it keeps. */
static int become(const struct ident *id)
{
	gid_t grp = GROUP;
	uint64_t want, eff;

	if (!id->uid)
		return 0;
	want = id->cap >= 0 ? 1ULL << id->cap : 0;
	if (prctl(PR_SET_KEEPCAPS, 1) ||
	    setgroups(id->in_group ? 1 : 0, &grp) ||
	    setresgid(id->uid, id->uid, id->uid) ||
	    setresuid(id->uid, id->uid, id->uid) ||
	    capset_raw(want, want) ||
	    capget_raw(&eff) || eff != want)
		return -1;
	return 0;
}

/* ---------------------------------------------------------------- netlink */

static int nl_fam = -1, nl_events = -1, nl_jobs = -1;

static int nl_join(int grp)
{
	int fd = nl_socket(), ret;

	if (fd < 0)
		return -errno;
	ret = setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * Send a request; count the answers (and, for job dumps, those of two
 * uids).  0 or -errno from the kernel's reply.
 */
static int nl_ask(uint8_t cmd, bool dump, int attr, uint32_t val, uid_t u1, int *n1,
		  uid_t u2, int *n2)
{
	uint8_t buf[16384] __attribute__((aligned(4)));
	struct nlmsghdr *h = (void *)buf;
	struct genlmsghdr *g = NLMSG_DATA(h);
	int fd = nl_socket(), ret = 0, done = 0;

	if (n1)
		*n1 = 0;
	if (n2)
		*n2 = 0;
	if (fd < 0)
		return -errno;
	memset(buf, 0, 64);
	h->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	h->nlmsg_type = (uint16_t)nl_fam;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	g->cmd = cmd;
	g->version = EDGEAI_GENL_VERSION;
	if (attr) {
		struct nlattr *a = (void *)(buf + h->nlmsg_len);

		a->nla_type = (uint16_t)attr;
		a->nla_len = NLA_HDRLEN + 4;
		memcpy((uint8_t *)a + NLA_HDRLEN, &val, 4);
		h->nlmsg_len += NLA_ALIGN(a->nla_len);
	}
	if (send(fd, buf, h->nlmsg_len, 0) < 0) {
		ret = -errno;
		goto out;
	}
	while (!done) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 2000) != 1) {
			ret = -ETIMEDOUT;
			break;
		}
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			ret = -errno;
			break;
		}
		for (h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			const struct nlattr *a;
			int len;

			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				done = 1;
				break;
			}
			g = NLMSG_DATA(h);
			a = (const void *)((uint8_t *)g + GENL_HDRLEN);
			len = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			for (; NLA_OK_(a, len); NLA_NEXT_(a, len)) {
				uint32_t uid;

				if ((a->nla_type & NLA_TYPE_MASK) != EDGEAI_NL_A_UID)
					continue;
				memcpy(&uid, NLA_DATA_(a), 4);
				if (n1 && uid == u1)
					(*n1)++;
				if (n2 && uid == u2)
					(*n2)++;
			}
		}
	}
out:
	close(fd);
	return ret;
}

/* ---------------------------------------------------------------- actions */

static uint32_t graph_on(int fd, uint32_t cluster)
{
	struct edgeai_stage st = { .cluster_id = cluster, .nr_layers = 1, .cost_ns = MS,
				   .in_mask = 1, .out_mask = 1 };
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1, .nr_stages = 1,
		.stages = (uintptr_t)&st, .stage_size = sizeof(st), .nr_buffers = 1,
		.name = "perm" };

	return xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g) ? 0 : g.graph_id;
}

static long submit(int fd, uint32_t graph, uint32_t prio, int buf, uint64_t *id)
{
	struct edgeai_job_submit s = { .size = sizeof(s), .graph_id = graph, .priority = prio,
				       .buf_fds = (uintptr_t)&buf, .nr_buffers = 1 };
	long r = xioctl(fd, EDGEAI_IOCTL_JOB_SUBMIT, &s);

	if (!r && id)
		*id = s.job_id;
	return r;
}

static void act(const struct ident *id, struct res *r)
{
	int fd, efd, buf = memfd_create("perm", MFD_CLOEXEC);
	uint32_t graph, p;

	if (buf < 0 || ftruncate(buf, 64))
		exit(2);
	fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	r->open = fd < 0 ? -errno : 0;

	/* Netlink needs no device. */
	r->join_events = nl_join(nl_events);
	r->join_jobs = nl_join(nl_jobs);
	r->get_stats = nl_ask(EDGEAI_NL_CMD_GET_STATS, false, 0, 0, 0, NULL, 0, NULL);
	r->get_cluster = nl_ask(EDGEAI_NL_CMD_GET_CLUSTER, false, EDGEAI_NL_A_CLUSTER_ID, 0,
				0, NULL, 0, NULL);
	{
		char path[128];

		snprintf(path, sizeof(path), SYS_CLUSTERS "%s/governor", "little");
		r->gov_sysfs = write_file(path, "userspace");
		snprintf(path, sizeof(path), SYS_CLUSTERS "%s/setspeed", "little");
		r->setspeed_sysfs = write_file(path, "400000");
	}
	if (fd < 0) {
		r->dump = nl_ask(EDGEAI_NL_CMD_GET_JOB, true, 0, 0, id->uid, &r->dump_own,
				 victim.uid, &r->dump_victim);
		return;
	}

	/* Every class, on a cluster without executor: the jobs stay queued. */
	graph = graph_on(fd, 2);
	for (p = 0; p < EDGEAI_NR_PRIO; p++)
		r->prio[p] = (int)submit(fd, graph, p, buf, NULL);
	{
		struct edgeai_exec_attach a = { .size = sizeof(a), .cluster_id = 1 };

		efd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
		r->attach = (int)xioctl(efd, EDGEAI_IOCTL_EXEC_ATTACH, &a);
		close(efd);
	}
	{
		struct edgeai_governor_set g = { .size = sizeof(g), .cluster_id = 0,
						 .governor = "performance" };

		r->gov_ioctl = (int)xioctl(fd, EDGEAI_IOCTL_GOVERNOR_SET, &g);
	}
	{
		struct edgeai_cluster_set_model m = { .size = sizeof(m), .cluster_id = 0 };

		r->model_ioctl = (int)xioctl(fd, EDGEAI_IOCTL_CLUSTER_SET_MODEL, &m);
	}
	r->dump = nl_ask(EDGEAI_NL_CMD_GET_JOB, true, 0, 0, id->uid, &r->dump_own,
			 victim.uid, &r->dump_victim);

	/* The victim's objects, through this identity's own file. */
	{
		struct edgeai_job_wait w = { .size = sizeof(w), .job_id = victim.job,
					     .flags = EDGEAI_WAIT_NONBLOCK };
		struct edgeai_job_cancel c = { .size = sizeof(c), .job_id = victim.job };
		struct edgeai_graph_destroy d = { .size = sizeof(d), .graph_id = victim.graph };
		int other = open(DEV_PATH, O_RDWR | O_CLOEXEC);

		/* A fresh file: no id of its own could collide with the victim's. */
		r->wait_victim = (int)xioctl(other, EDGEAI_IOCTL_JOB_WAIT, &w);
		r->cancel_victim = (int)xioctl(other, EDGEAI_IOCTL_JOB_CANCEL, &c);
		r->destroy_victim = (int)xioctl(other, EDGEAI_IOCTL_GRAPH_DESTROY, &d);
		r->submit_victim_graph = (int)submit(other, victim.graph, EDGEAI_PRIO_NORMAL, buf,
						     NULL);
		close(other);
	}
	r->quota = (int)submit(fd, graph, EDGEAI_PRIO_NORMAL, buf, NULL);
	close(fd);
	close(buf);
}

/* In a child: become identity @arg, then what it may do into @out. */
static void become_and_act(void *arg, void *out)
{
	const struct ident *id = arg;
	struct res *r = out;

	memset(r, 0, sizeof(*r));
	r->caps_ok = become(id) == 0;
	if (r->caps_ok)
		act(id, r);
}

/* What identity @i may do, found in a child; all bytes 0x7f if it died. */
static void run_as(int i, struct res *out)
{
	memset(out, 0x7f, sizeof(*out));
	child_report(become_and_act, (void *)&idents[i], out, sizeof(*out));
}

/* The victim: fills its quota with queued jobs and holds on. */
static pid_t start_victim(int *release)
{
	int up[2], down[2];
	pid_t pid;

	if (pipe(up) || pipe(down))
		return -1;
	pid = fork();
	if (pid == 0) {
		const struct ident v = { "victim", victim.uid, true, -1 };
		int fd, buf = memfd_create("victim", MFD_CLOEXEC);
		uint32_t i, n = 0;
		uint64_t id = 0;
		char c;

		close(up[0]);
		close(down[1]);
		if (become(&v) || buf < 0 || ftruncate(buf, 64))
			_exit(2);
		fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
		victim.graph = graph_on(fd, 2);
		/* Its whole quota: nobody else may be short of theirs. */
		for (i = 0; i < 16; i++)
			if (submit(fd, victim.graph, EDGEAI_PRIO_NORMAL, buf, i ? NULL : &id) == 0)
				n++;
		victim.job = id;
		if (write(up[1], &victim, sizeof(victim)) != sizeof(victim) ||
		    write(up[1], &n, sizeof(n)) != sizeof(n))
			_exit(2);
		if (read(down[0], &c, 1) < 0)
			_exit(2);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	{
		uint32_t n = 0;

		if (read(up[0], &victim, sizeof(victim)) != sizeof(victim) ||
		    read(up[0], &n, sizeof(n)) != sizeof(n))
			return -1;
		ok(victim.graph && victim.job && n > 0,
		   "the victim (uid %u) has graph %u and %u jobs queued, up to its quota",
		   victim.uid, victim.graph, n);
	}
	close(up[0]);
	*release = down[1];
	return pid;
}

static const char *err(int e)
{
	static char b[NR_IDENTS][32];
	static int k;
	char *s = b[k++ % NR_IDENTS];

	snprintf(s, 32, "%s", e == 0 ? "ok" : e == 0x7f7f7f7f ? "?" : strerror(-e));
	return s;
}

/* One row of the matrix: what each identity must get for an action. */
#define ROW(what, field, ...) do {						\
		static const int want[NR_IDENTS] = { __VA_ARGS__ };		\
		int i_;								\
		for (i_ = 0; i_ < NR_IDENTS; i_++) {				\
			if (want[i_] == 1)					\
				continue;	/* not applicable */		\
			ok(res[i_].field == want[i_], "%-8s %s: %s",		\
			   idents[i_].name, what, err(res[i_].field));		\
		}								\
	} while (0)

int main(void)
{
	struct res res[NR_IDENTS];
	struct stat st;
	int i, release = -1, wst;
	pid_t vpid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (stat(DEV_PATH, &st) || nl_family_of(EDGEAI_GENL_NAME, EDGEAI_NL_MCGRP_EVENTS, &nl_fam,
						 &nl_events, EDGEAI_NL_MCGRP_JOBS, &nl_jobs)) {
		ok(0, "device and netlink family present");
		return tap_done();
	}
	/* As a udev rule on a board: the device belongs to a group. */
	ok(chown(DEV_PATH, 0, GROUP) == 0 && chmod(DEV_PATH, 0660) == 0,
	   "/dev/edgeai given to group %d, mode 0660", GROUP);

	vpid = start_victim(&release);
	for (i = 0; i < NR_IDENTS; i++) {
		run_as(i, &res[i]);
		ok(res[i].caps_ok == 1, "%s runs as uid %u with %s", idents[i].name, idents[i].uid,
		   idents[i].uid == 0 ? "every capability" :
		   idents[i].cap < 0 ? "no capability" : "one capability");
	}

	/*                                   user     nice     admin    netadm   root     outsider */
	ROW("opens the device", open,         0,       0,       0,       0,       0,       -EACCES);
	ROW("submits realtime", prio[0],      -EPERM,  0,       -EPERM,  -EPERM,  0,       1);
	ROW("submits high", prio[1],          -EPERM,  0,       -EPERM,  -EPERM,  0,       1);
	ROW("submits normal", prio[2],        0,       0,       0,       0,       0,       1);
	ROW("submits background", prio[3],    0,       0,       0,       0,       0,       1);
	ROW("attaches an executor", attach,   -EPERM,  -EPERM,  0,       -EPERM,  0,       1);
	ROW("GOVERNOR_SET", gov_ioctl,        -EPERM,  -EPERM,  0,       -EPERM,  0,       1);
	ROW("CLUSTER_SET_MODEL", model_ioctl, -EPERM,  -EPERM,  0,       -EPERM,  0,       1);
	ROW("writes governor in sysfs", gov_sysfs,
					      -EACCES, -EACCES, -EACCES, -EACCES, 0,       -EACCES);
	ROW("writes setspeed in sysfs", setspeed_sysfs,
					      -EACCES, -EACCES, -EACCES, -EACCES, 0,       -EACCES);
	ROW("joins \"events\"", join_events,  0,       0,       0,       0,       0,       0);
	ROW("joins \"jobs\"", join_jobs,      -EPERM,  -EPERM,  -EPERM,  0,       0,       -EPERM);
	ROW("asks GET_STATS", get_stats,      0,       0,       0,       0,       0,       0);
	ROW("asks GET_CLUSTER", get_cluster,  0,       0,       0,       0,       0,       0);
	ROW("dumps jobs", dump,               0,       0,       0,       0,       0,       0);
	for (i = 0; i < NR_IDENTS; i++) {
		bool all = i == NETADMIN || i == ROOT;

		if (i == OUTSIDER) {
			ok(res[i].dump_victim == 0, "%-8s sees none of the victim's jobs in a dump (%d)",
			   idents[i].name, res[i].dump_victim);
			continue;
		}
		/* Its own queued jobs: the classes it could submit in, plus one. */
		ok(res[i].dump_own >= 2, "%-8s sees its own jobs in a dump (%d)", idents[i].name,
		   res[i].dump_own);
		ok(all ? res[i].dump_victim > 0 : res[i].dump_victim == 0,
		   "%-8s %s the victim's jobs in a dump (%d)", idents[i].name,
		   all ? "sees" : "does not see", res[i].dump_victim);
	}
	ROW("waits on the victim's job", wait_victim,
					      -ENOENT, -ENOENT, -ENOENT, -ENOENT, -ENOENT, 1);
	ROW("cancels the victim's job", cancel_victim,
					      -ENOENT, -ENOENT, -ENOENT, -ENOENT, -ENOENT, 1);
	ROW("destroys the victim's graph", destroy_victim,
					      -ENOENT, -ENOENT, -ENOENT, -ENOENT, -ENOENT, 1);
	ROW("submits on the victim's graph", submit_victim_graph,
					      -ENOENT, -ENOENT, -ENOENT, -ENOENT, -ENOENT, 1);
	ROW("submits while the victim is at its quota", quota,
					      0,       0,       0,       0,       0,       1);

	if (release >= 0) {
		if (write(release, "x", 1) != 1)
			diag("victim release failed");
		close(release);
	}
	if (vpid > 0)
		waitpid(vpid, &wst, 0);
	{
		struct counters c;
		bool settled = counters_settle(&c, 5000);

		ok(settled && stat_of("queued_normal") == 0,
		   "every job and file freed after (live jobs %lld, files %lld)", c.live_jobs,
		   c.live_ctx);
	}
	write_file(SYS_CLUSTERS "little/governor", "performance");
	ok(chown(DEV_PATH, st.st_uid, st.st_gid) == 0 && chmod(DEV_PATH, st.st_mode & 07777) == 0,
	   "device ownership restored");
	return tap_done();
}
