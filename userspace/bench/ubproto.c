// SPDX-License-Identifier: GPL-2.0-only
/*
 * The user-space broker's wire protocol: checking, sending and receiving
 * messages with their descriptors.  See ubproto.h.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ubproto.h"

void ub_hdr_init(struct ub_hdr *hdr, enum ub_type type, size_t len,
		 unsigned int nr_fds)
{
	hdr->type = (uint16_t)type;
	hdr->nr_fds = (uint16_t)nr_fds;
	hdr->len = (uint32_t)len;
}

static int ub_check_graph(const struct ub_graph_msg *m, size_t len,
			  unsigned int nr_fds)
{
	if (len < offsetof(struct ub_graph_msg, stages) ||
	    !m->nr_stages || m->nr_stages > UB_MAX_STAGES ||
	    !m->nr_buffers || m->nr_buffers > UB_MAX_BUFFERS ||
	    len != ub_graph_len(m->nr_stages) || nr_fds > 1 ||
	    !memchr(m->name, 0, sizeof(m->name)))
		return -EBADMSG;
	return 0;
}

static int ub_check_done(const struct ub_done_msg *m, size_t len,
			 unsigned int nr_fds)
{
	if (len < offsetof(struct ub_done_msg, times) ||
	    m->nr_stages > UB_MAX_STAGES || len != ub_done_len(m->nr_stages) ||
	    nr_fds)
		return -EBADMSG;
	return 0;
}

static int ub_check_task(const struct ub_task_msg *m, size_t len,
			 unsigned int nr_fds)
{
	uint64_t used = m->in_mask | m->out_mask;

	if (len != sizeof(*m) || !m->nr_buffers ||
	    m->nr_buffers > UB_MAX_BUFFERS ||
	    (used >> m->nr_buffers) || m->has_model > 1 ||
	    nr_fds != ub_task_nr_fds(m->has_model, used))
		return -EBADMSG;
	return 0;
}

/**
 * ub_msg_check() - whether a received message is well formed
 * @buf: the message, aligned like &union ub_msg
 * @len: bytes received
 * @nr_fds: descriptors received with it
 *
 * Checks the framing only (lengths, counts, descriptors); whether a graph
 * or a job makes sense is for the broker to decide.
 *
 * Return: the message's &enum ub_type, or -EBADMSG.
 */
int ub_msg_check(const void *buf, size_t len, unsigned int nr_fds)
{
	const union ub_msg *m = buf;
	int ret = -EBADMSG;

	if (len < sizeof(m->hdr) || len > sizeof(*m) || m->hdr.len != len ||
	    m->hdr.nr_fds != nr_fds)
		return -EBADMSG;
	switch (m->hdr.type) {
	case UB_GRAPH:
		ret = ub_check_graph(&m->graph, len, nr_fds);
		break;
	case UB_ATTACH:
		ret = len == sizeof(m->attach) && !nr_fds ? 0 : -EBADMSG;
		break;
	case UB_REPLY:
		ret = len == sizeof(m->reply) && !nr_fds ? 0 : -EBADMSG;
		break;
	case UB_SUBMIT:
		ret = len == sizeof(m->submit) && m->submit.nr_buffers &&
		      m->submit.nr_buffers <= UB_MAX_BUFFERS &&
		      nr_fds == m->submit.nr_buffers ? 0 : -EBADMSG;
		break;
	case UB_REJECT:
		ret = len == sizeof(m->reject) && !nr_fds ? 0 : -EBADMSG;
		break;
	case UB_DONE:
		ret = ub_check_done(&m->done, len, nr_fds);
		break;
	case UB_TASK:
		ret = ub_check_task(&m->task, len, nr_fds);
		break;
	case UB_COMPLETE:
		ret = len == sizeof(m->complete) && !nr_fds ? 0 : -EBADMSG;
		break;
	}
	return ret ? ret : m->hdr.type;
}

/**
 * ub_send() - send one message with its descriptors
 * @sock: a SOCK_SEQPACKET socket
 * @msg: the message; its header gives its length and descriptor count
 * @fds: the descriptors (the sender keeps its own copies)
 *
 * Return: 0 or a negative errno (-EAGAIN on a full non-blocking socket).
 */
int ub_send(int sock, const void *msg, const int *fds)
{
	const struct ub_hdr *hdr = msg;
	union {
		char buf[UB_CMSG_SPACE];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = hdr->len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (hdr->nr_fds > UB_MAX_FDS)
		return -EINVAL;
	if (hdr->nr_fds) {
		struct cmsghdr *c;

		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(hdr->nr_fds * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(hdr->nr_fds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, hdr->nr_fds * sizeof(int));
	}
	do {
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

/**
 * ub_cmsg_fds() - the descriptors that came with a received message
 * @mh: the message header recvmsg() filled
 * @fds: room for %UB_MAX_FDS descriptors
 * @nr_fds: out: how many
 *
 * Return: 0, or -EBADMSG (then none is left open): truncated control
 * data, or more descriptors than any message carries.
 */
int ub_cmsg_fds(struct msghdr *mh, int *fds, unsigned int *nr_fds)
{
	struct cmsghdr *c;
	unsigned int n = 0, i, k;
	int bad = (mh->msg_flags & MSG_CTRUNC) != 0;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (unsigned int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (i = 0; i < k; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			if (n < UB_MAX_FDS)
				fds[n++] = fd;
			else {
				close(fd);
				bad = 1;
			}
		}
	}
	if (bad) {
		ub_close_fds(fds, n);
		*nr_fds = 0;
		return -EBADMSG;
	}
	*nr_fds = n;
	return 0;
}

/**
 * ub_recv() - receive and check one message (blocking unless @sock is not)
 * @sock: a SOCK_SEQPACKET socket
 * @msg: where the message goes
 * @fds: room for %UB_MAX_FDS descriptors, received O_CLOEXEC
 * @nr_fds: out: how many came
 *
 * Return: the message's &enum ub_type, 0 at end of stream, or a negative
 * errno (-EBADMSG for a malformed message, whose descriptors are closed).
 */
ssize_t ub_recv(int sock, union ub_msg *msg, int *fds, unsigned int *nr_fds)
{
	union {
		char buf[UB_CMSG_SPACE];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = msg, .iov_len = sizeof(*msg) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;
	int ret;

	*nr_fds = 0;
	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n < 0 ? -errno : 0;
	if (ub_cmsg_fds(&mh, fds, nr_fds) || (mh.msg_flags & MSG_TRUNC))
		goto bad;
	ret = ub_msg_check(msg, (size_t)n, *nr_fds);
	if (ret < 0)
		goto bad;
	return ret;
bad:
	ub_close_fds(fds, *nr_fds);
	*nr_fds = 0;
	return -EBADMSG;
}

void ub_close_fds(int *fds, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}
