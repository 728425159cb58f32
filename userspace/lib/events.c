// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libedgeai: the listener of the "edgeai" generic netlink family.
 *
 * One socket takes multicast: the family's groups and the controller's
 * "notify" group.  The family (and its group ids) may go and come back
 * with the module, so the listener follows CTRL_CMD_DELFAMILY and
 * CTRL_CMD_NEWFAMILY for "edgeai" on "notify" and joins the groups again
 * under their new ids; the kernel drops the old memberships itself when
 * the family goes.  A second socket, made on first use, carries requests
 * and their answers, so that an answer never has to be picked out of a
 * stream of events.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "nl-internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Events come in bursts (a job ends on every stage's completion); a large
 * receive buffer keeps a slow reader from losing them. */
#define LISTENER_RCVBUF	(1 << 20)
#define LISTENER_BUF	(64 * 1024)

/* Events the listener makes itself, queued before what the socket holds. */
#define PENDING_MAX	4

struct edgeai_listener {
	struct nl_sock *mc;	/* multicast: the family's groups, "notify" */
	struct nl_sock *req;	/* requests and answers, NULL until used */
	unsigned int flags;	/* enum edgeai_listen_flags asked for */
	unsigned int joined;	/* EDGEAI_LISTEN_EVENTS | _JOBS now */
	struct edgeai_nl_family family;	/* id 0 while absent */
	unsigned int grp_notify;
	int req_family;		/* the id requests use, 0: look it up */
	bool nonblocking;
	uint32_t pending[PENDING_MAX];
	int32_t pending_err[PENDING_MAX];
	unsigned int nr_pending;
	unsigned char *buf;	/* the datagram being read */
	size_t len, off;
};

static int sock_new(struct nl_sock **out)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk)
		return -ENOMEM;
	ret = genl_connect(sk);
	if (ret) {
		nl_socket_free(sk);
		return edgeai_nl_errno(ret);
	}
	fcntl(nl_socket_get_fd(sk), F_SETFD, FD_CLOEXEC);
	*out = sk;
	return 0;
}

static int req_sock(struct edgeai_listener *l)
{
	return l->req ? 0 : sock_new(&l->req);
}

static void req_reset(struct edgeai_listener *l)
{
	nl_socket_free(l->req);
	l->req = NULL;
}

/* The id of a family's multicast group, or 0 when it has none. */
static int resolve_grp(struct nl_sock *sk, const char *family,
		       const char *grp)
{
	int ret = genl_ctrl_resolve_grp(sk, family, grp);

	if (ret == -NLE_OBJ_NOTFOUND)
		return 0;
	return ret < 0 ? edgeai_nl_errno(ret) : ret;
}

/* Ask the controller where the family is now: 0 and family->id 0 when it
 * is absent. */
static int resolve_family(struct edgeai_listener *l,
			  struct edgeai_nl_family *family)
{
	int ret;

	memset(family, 0, sizeof(*family));
	ret = req_sock(l);
	if (ret)
		return ret;
	ret = genl_ctrl_resolve(l->req, EDGEAI_GENL_NAME);
	if (ret == -NLE_OBJ_NOTFOUND)
		return 0;
	if (ret < 0) {
		req_reset(l);
		return edgeai_nl_errno(ret);
	}
	family->id = ret;
	ret = resolve_grp(l->req, EDGEAI_GENL_NAME, EDGEAI_NL_MCGRP_EVENTS);
	if (ret < 0)
		goto fail;
	family->grp_events = ret;
	ret = resolve_grp(l->req, EDGEAI_GENL_NAME, EDGEAI_NL_MCGRP_JOBS);
	if (ret < 0)
		goto fail;
	family->grp_jobs = ret;
	strcpy(family->name, EDGEAI_GENL_NAME);
	return 0;
fail:
	memset(family, 0, sizeof(*family));
	req_reset(l);
	return ret;
}

static int join(struct edgeai_listener *l, unsigned int grp)
{
	int fd = nl_socket_get_fd(l->mc);

	if (!grp)
		return -ENOENT;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp)) < 0)
		return -errno;
	return 0;
}

/*
 * Join the groups asked for in the family @f.  Returns 0, or the error of
 * a group that had to be joined; *jobs_err says why "jobs" was left out
 * when that was allowed.
 */
static int join_groups(struct edgeai_listener *l,
		       const struct edgeai_nl_family *f, int *jobs_err)
{
	int ret;

	*jobs_err = 0;
	l->joined = 0;
	if (l->flags & EDGEAI_LISTEN_EVENTS) {
		ret = join(l, f->grp_events);
		if (ret)
			return ret;
		l->joined |= EDGEAI_LISTEN_EVENTS;
	}
	if (l->flags & (EDGEAI_LISTEN_JOBS | EDGEAI_LISTEN_JOBS_IF_PERMITTED)) {
		ret = join(l, f->grp_jobs);
		if (!ret)
			l->joined |= EDGEAI_LISTEN_JOBS;
		else if (l->flags & EDGEAI_LISTEN_JOBS)
			return ret;
		else
			*jobs_err = ret;
	}
	return 0;
}

static void push_pending(struct edgeai_listener *l, uint32_t type, int err)
{
	if (l->nr_pending < PENDING_MAX) {
		l->pending[l->nr_pending] = type;
		l->pending_err[l->nr_pending] = err;
		l->nr_pending++;
	}
}

/* The family is (back) at @f: join, and report it. */
static void family_appeared(struct edgeai_listener *l,
			    const struct edgeai_nl_family *f)
{
	int jobs_err = 0, ret;

	l->family = *f;
	l->req_family = f->id;
	ret = join_groups(l, f, &jobs_err);
	push_pending(l, EDGEAI_EVENT_MODULE_LOADED, ret ? ret : jobs_err);
}

static void family_vanished(struct edgeai_listener *l)
{
	memset(&l->family, 0, sizeof(l->family));
	l->req_family = 0;
	l->joined = 0;
	push_pending(l, EDGEAI_EVENT_MODULE_UNLOADED, 0);
}

int edgeai_listener_open(struct edgeai_listener **listener, unsigned int flags)
{
	struct edgeai_listener *l;
	struct edgeai_nl_family f;
	int ret, jobs_err;

	if (flags & ~(EDGEAI_LISTEN_EVENTS | EDGEAI_LISTEN_JOBS |
		      EDGEAI_LISTEN_JOBS_IF_PERMITTED | EDGEAI_LISTEN_WAIT))
		return -EINVAL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->flags = flags;
	l->buf = malloc(LISTENER_BUF);
	ret = l->buf ? sock_new(&l->mc) : -ENOMEM;
	if (ret)
		goto fail;
	nl_socket_disable_seq_check(l->mc);
	nl_socket_set_buffer_size(l->mc, LISTENER_RCVBUF, 0);

	/* "notify" first, so that a family appearing after the lookup below
	 * is still seen. */
	if (flags & (EDGEAI_LISTEN_EVENTS | EDGEAI_LISTEN_JOBS |
		     EDGEAI_LISTEN_JOBS_IF_PERMITTED)) {
		ret = req_sock(l);
		if (ret)
			goto fail;
		ret = resolve_grp(l->req, "nlctrl", "notify");
		if (ret <= 0) {
			ret = ret ? ret : -ENOENT;
			goto fail;
		}
		l->grp_notify = ret;
		ret = join(l, l->grp_notify);
		if (ret)
			goto fail;
	}

	ret = resolve_family(l, &f);
	if (ret)
		goto fail;
	if (!f.id) {
		if (!(flags & EDGEAI_LISTEN_WAIT)) {
			ret = -ENOENT;
			goto fail;
		}
	} else {
		l->family = f;
		l->req_family = f.id;
		ret = join_groups(l, &f, &jobs_err);
		if (ret)
			goto fail;
	}
	*listener = l;
	return 0;
fail:
	edgeai_listener_close(l);
	return ret;
}

void edgeai_listener_close(struct edgeai_listener *l)
{
	if (!l)
		return;
	nl_socket_free(l->mc);
	nl_socket_free(l->req);
	free(l->buf);
	free(l);
}

int edgeai_listener_fd(const struct edgeai_listener *l)
{
	return nl_socket_get_fd(l->mc);
}

int edgeai_listener_set_nonblocking(struct edgeai_listener *l, int nonblocking)
{
	int fd = nl_socket_get_fd(l->mc);
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = nonblocking ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	if (fcntl(fd, F_SETFL, fl) < 0)
		return -errno;
	l->nonblocking = nonblocking;
	return 0;
}

unsigned int edgeai_listener_groups(const struct edgeai_listener *l)
{
	return l->joined;
}

int edgeai_listener_present(const struct edgeai_listener *l)
{
	return l->family.id != 0;
}

/* After lost messages: find out where the family is and catch up. */
static void resync(struct edgeai_listener *l)
{
	struct edgeai_nl_family f;

	/* Without a definite answer, keep what we believe. */
	if (resolve_family(l, &f) || f.id == l->family.id)
		return;
	if (l->family.id)
		family_vanished(l);
	if (f.id)
		family_appeared(l, &f);
}

/* A message of the controller: is it about our family? */
static void ctrl_message(struct edgeai_listener *l, const struct nlmsghdr *nlh)
{
	struct edgeai_nl_family f;
	int cmd;

	if (edgeai_nl_decode_ctrl(nlh, &cmd, &f) ||
	    strcmp(f.name, EDGEAI_GENL_NAME))
		return;
	if (cmd == CTRL_CMD_DELFAMILY && l->family.id) {
		family_vanished(l);
	} else if (cmd == CTRL_CMD_NEWFAMILY && f.id != l->family.id) {
		if (l->family.id)
			family_vanished(l);
		/* The announcement lists the groups; ask if it did not. */
		if (!f.grp_events && resolve_family(l, &f))
			return;
		if (f.id)
			family_appeared(l, &f);
	}
}

static int pop_pending(struct edgeai_listener *l, struct edgeai_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = l->pending[0];
	ev->error = l->pending_err[0];
	l->nr_pending--;
	memmove(l->pending, l->pending + 1, l->nr_pending * sizeof(l->pending[0]));
	memmove(l->pending_err, l->pending_err + 1,
		l->nr_pending * sizeof(l->pending_err[0]));
	return 1;
}

/* Read one datagram into l->buf: 1, 0 (nothing, non-blocking) or -errno. */
static int receive(struct edgeai_listener *l)
{
	struct sockaddr_nl from;
	struct iovec iov = { l->buf, LISTENER_BUF };
	struct msghdr msg = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	l->len = l->off = 0;
	n = recvmsg(nl_socket_get_fd(l->mc), &msg, 0);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	/* Only the kernel sends to these groups; a datagram cut short by the
	 * buffer is dropped whole. */
	if (from.nl_pid != 0 || (msg.msg_flags & MSG_TRUNC))
		return 1;
	l->len = (size_t)n;
	return 1;
}

int edgeai_listener_next(struct edgeai_listener *l, struct edgeai_event *ev)
{
	int ret;

	for (;;) {
		struct nlmsghdr *nlh;
		size_t rest;

		if (l->nr_pending)
			return pop_pending(l, ev);
		if (l->off >= l->len) {
			ret = receive(l);
			if (ret == -ENOBUFS) {
				/* The kernel dropped messages for us. */
				push_pending(l, EDGEAI_EVENT_OVERRUN, 0);
				resync(l);
				continue;
			}
			if (ret <= 0)
				return ret;
			continue;
		}
		nlh = (struct nlmsghdr *)(l->buf + l->off);
		rest = l->len - l->off;
		if (!NLMSG_OK(nlh, rest)) {
			l->off = l->len;
			continue;
		}
		l->off += NLMSG_ALIGN(nlh->nlmsg_len);
		if (nlh->nlmsg_type == GENL_ID_CTRL) {
			ctrl_message(l, nlh);
			continue;
		}
		if (!l->family.id || nlh->nlmsg_type != l->family.id)
			continue;
		return edgeai_nl_decode(nlh, ev) ? -EBADMSG : 1;
	}
}

int edgeai_listener_dispatch(struct edgeai_listener *l, edgeai_event_cb cb,
			     void *arg)
{
	struct edgeai_event *ev;
	bool was_nonblocking = l->nonblocking;
	int n = 0, ret;

	ev = malloc(sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	if (!was_nonblocking) {
		ret = edgeai_listener_set_nonblocking(l, 1);
		if (ret)
			goto out;
	}
	for (;;) {
		ret = edgeai_listener_next(l, ev);
		if (ret == -EBADMSG)
			continue;
		if (ret <= 0)
			break;
		n++;
		ret = cb(ev, arg);
		if (ret)
			break;
	}
	if (!ret)
		ret = n;
	if (!was_nonblocking)
		edgeai_listener_set_nonblocking(l, 0);
out:
	free(ev);
	return ret;
}

/* ---------------------------------------------------------------- requests */

struct request {
	edgeai_event_cb cb;
	void *arg;
	struct edgeai_event *ev;
	int count;
	int error;	/* the kernel's errno, or the callback's value */
	bool done;	/* the ack, the end of the dump, or an error came */
	bool stopped;	/* answers were left unread */
};

static int request_valid(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;
	int ret;

	if (edgeai_nl_decode(nlmsg_hdr(msg), r->ev)) {
		r->error = -EBADMSG;
		r->stopped = r->done = true;
		return NL_STOP;
	}
	r->count++;
	if (!r->cb)
		return NL_OK;
	ret = r->cb(r->ev, r->arg);
	if (ret) {
		r->error = ret;
		r->stopped = r->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static int request_end(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;

	(void)msg;
	r->done = true;
	return NL_STOP;
}

static int request_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct request *r = arg;

	(void)who;
	r->error = e->error;
	r->done = true;
	return NL_STOP;
}

/*
 * One request and all its answers.  Every request asks for an ack, so
 * that each ends with a message of its own (ack, NLMSG_DONE or error):
 * reading until then leaves the socket clean and libnl's sequence numbers
 * in step for the next one.
 */
static int request_once(struct edgeai_listener *l, uint8_t cmd, int dump,
			const uint32_t *cluster_id, struct request *r)
{
	struct nl_msg *msg;
	struct nl_cb *cb;
	int ret;

	ret = req_sock(l);
	if (ret)
		return ret;
	msg = nlmsg_alloc();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!msg || !cb) {
		ret = -ENOMEM;
		goto out;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, l->req_family, 0,
			 NLM_F_ACK | (dump ? NLM_F_DUMP : 0), cmd,
			 EDGEAI_GENL_VERSION) ||
	    (cluster_id && nla_put_u32(msg, EDGEAI_NL_A_CLUSTER_ID, *cluster_id))) {
		ret = -ENOMEM;
		goto out;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, request_valid, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, request_end, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, request_end, r);
	nl_cb_err(cb, NL_CB_CUSTOM, request_error, r);
	ret = nl_send_auto(l->req, msg);
	if (ret < 0) {
		ret = edgeai_nl_errno(ret);
		req_reset(l);
		goto out;
	}
	ret = 0;
	while (!r->done && ret >= 0)
		ret = nl_recvmsgs(l->req, cb);
	/* Answers may be left on the socket: start afresh next time. */
	if (r->stopped || ret < 0)
		req_reset(l);
	if (r->error)
		ret = r->error;
	else if (ret < 0)
		ret = edgeai_nl_errno(ret);
	else
		ret = 0;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return ret;
}

/*
 * Send @cmd and collect its answers.  The family's id is looked up again
 * once when the module no longer knows it (it came back under another);
 * a command the module only offers as a dump (or only as a single answer)
 * is tried the other way once.
 */
static int request(struct edgeai_listener *l, uint8_t cmd, int dump,
		   const uint32_t *cluster_id, edgeai_event_cb cb, void *arg,
		   struct edgeai_event *ev)
{
	struct edgeai_event *tmp = NULL;
	bool looked_up = false, flipped = false;
	struct request r;
	int ret;

	if (!ev) {
		tmp = malloc(sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		ev = tmp;
	}
	for (;;) {
		if (!l->req_family) {
			struct edgeai_nl_family f;

			ret = resolve_family(l, &f);
			if (ret)
				break;
			ret = -ENOENT;
			if (!f.id)
				break;
			l->req_family = f.id;
			looked_up = true;
		}
		r = (struct request){ .cb = cb, .arg = arg, .ev = ev };
		ret = request_once(l, cmd, dump, cluster_id, &r);
		if (ret == -ENOENT && !r.count && !looked_up) {
			l->req_family = 0;
			continue;
		}
		if (ret == -EOPNOTSUPP && !r.count && !cluster_id && !flipped) {
			dump = !dump;
			flipped = true;
			continue;
		}
		if (!ret)
			ret = r.count;
		break;
	}
	free(tmp);
	return ret;
}

int edgeai_listener_get_cluster(struct edgeai_listener *l, uint32_t id,
				struct edgeai_event *ev)
{
	int ret = request(l, EDGEAI_NL_CMD_GET_CLUSTER, 0, &id, NULL, NULL, ev);

	return ret < 0 ? ret : ret ? 0 : -ENOENT;
}

int edgeai_listener_get_clusters(struct edgeai_listener *l, edgeai_event_cb cb,
				 void *arg)
{
	return request(l, EDGEAI_NL_CMD_GET_CLUSTER, 1, NULL, cb, arg, NULL);
}

int edgeai_listener_get_stats(struct edgeai_listener *l, struct edgeai_event *ev)
{
	int ret = request(l, EDGEAI_NL_CMD_GET_STATS, 0, NULL, NULL, NULL, ev);

	return ret < 0 ? ret : ret ? 0 : -ENOENT;
}

int edgeai_listener_get_jobs(struct edgeai_listener *l, edgeai_event_cb cb,
			     void *arg)
{
	return request(l, EDGEAI_NL_CMD_GET_JOB, 1, NULL, cb, arg, NULL);
}
