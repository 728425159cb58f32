// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-fuzz: the "edgeai" generic netlink family, talked to raw.
 *
 * Requests with random commands (known and unknown), flags, versions and
 * attributes: random types (beyond the family's maximum too, with the
 * nested and byte-order bits), lengths that are short, odd, or run past
 * the message, nests of garbage; message lengths that lie.  Dumps are
 * started and abandoned half read, sockets closed with replies pending,
 * multicast groups joined and never read.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "fuzz.h"

int nl_open(void)
{
	return nl_socket();
}

static int nl_send(int fd, const void *msg, size_t len)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };

	stat_add(&stats->calls, 1);
	stat_add(&stats->nl_sent, 1);
	return sendto(fd, msg, len, MSG_DONTWAIT, (struct sockaddr *)&k, sizeof(k)) < 0 ?
		-errno : 0;
}

/* Append an attribute; returns the new length. */
static size_t put_attr(uint8_t *buf, size_t len, size_t cap, uint16_t type,
		       const void *data, size_t dlen)
{
	struct nlattr *a = (void *)(buf + len);
	size_t total = NLA_HDRLEN + dlen;

	if (len + NLA_ALIGN(total) > cap)
		return len;
	a->nla_type = type;
	a->nla_len = (uint16_t)total;
	memcpy(buf + len + NLA_HDRLEN, data, dlen);
	memset(buf + len + total, 0, NLA_ALIGN(total) - total);
	return len + NLA_ALIGN(total);
}

/* The family's id and multicast groups, from the controller. */
int nl_resolve(struct proc *p)
{
	return nl_family_of(EDGEAI_GENL_NAME, EDGEAI_NL_MCGRP_EVENTS, &p->nl_family,
			    &p->nl_grp_events, EDGEAI_NL_MCGRP_JOBS, &p->nl_grp_jobs);
}

/* ---------------------------------------------------------------- fuzz */

/* Random attributes, nested up to depth levels. */
static size_t gen_attrs(struct thr *t, uint8_t *buf, size_t len, size_t cap,
			int depth)
{
	struct rng *r = &t->r;
	uint8_t data[128];
	int i, n = rnd(r, 5);

	for (i = 0; i < n; i++) {
		uint16_t type = chance(r, 80) ? (uint16_t)rnd(r, EDGEAI_NL_A_MAX + 4) :
				(uint16_t)rnd(r, 65536);
		size_t dlen;

		if (chance(r, 10))
			type |= NLA_F_NESTED;
		if (chance(r, 5))
			type |= NLA_F_NET_BYTEORDER;
		if (depth > 0 && chance(r, 20)) {
			size_t start = len;

			len = put_attr(buf, len, cap, type | NLA_F_NESTED, NULL, 0);
			if (len == start)
				return len;
			len = gen_attrs(t, buf, len, cap, depth - 1);
			((struct nlattr *)(buf + start))->nla_len = (uint16_t)(len - start);
			continue;
		}
		switch (rnd(r, 6)) {
		case 0: dlen = 0; break;
		case 1: dlen = 1 + rnd(r, 3); break;
		case 2: dlen = 4; break;
		case 3: dlen = 8; break;
		case 4: dlen = rnd(r, sizeof(data)); break;
		default: dlen = 4 + rnd(r, 12); break;
		}
		if (dlen == 4 && chance(r, 60)) {
			uint32_t v = chance(r, 50) ? rnd(r, t->p->nr_clusters + 2) :
				     (uint32_t)rnd_interesting(r);

			memcpy(data, &v, 4);
		} else {
			for (size_t k = 0; k < dlen; k++)
				data[k] = (uint8_t)rnd(r, 256);
		}
		len = put_attr(buf, len, cap, type, data, dlen);
		/* A length that lies about the attribute. */
		if (chance(r, 5) && len >= NLA_HDRLEN) {
			struct nlattr *a = (void *)(buf + len - NLA_ALIGN(NLA_HDRLEN + dlen));

			a->nla_len = chance(r, 50) ? (uint16_t)rnd(r, NLA_HDRLEN) :
				     (uint16_t)(a->nla_len + 1 + rnd(r, 600));
		}
	}
	return len;
}

/* Read what is queued, now and then with a buffer too small for it. */
static void nl_drain(struct thr *t, int fd, int max)
{
	uint8_t buf[16384];
	int i;

	for (i = 0; i < max; i++) {
		size_t sz = chance(&t->r, 20) ? 16 + rnd(&t->r, 512) : sizeof(buf);
		ssize_t n = recv(fd, buf, sz, MSG_DONTWAIT);

		stat_add(&stats->calls, 1);
		if (n < 0 && errno != ENOBUFS)
			break;
		stat_add(&stats->nl_recv, 1);
	}
}

static void nl_request(struct thr *t, int fd, bool valid)
{
	struct rng *r = &t->r;
	uint8_t buf[2048] __attribute__((aligned(4)));
	struct nlmsghdr *h = (void *)buf;
	struct genlmsghdr *g = NLMSG_DATA(h);
	size_t len = NLMSG_HDRLEN + GENL_HDRLEN, send_len;

	memset(buf, 0, len);
	h->nlmsg_type = (uint16_t)t->p->nl_family;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_seq = (uint32_t)rnd64(r);
	g->version = EDGEAI_GENL_VERSION;
	if (valid) {
		g->cmd = 1 + rnd(r, 3);
		if (chance(r, 60) || g->cmd == EDGEAI_NL_CMD_GET_JOB)
			h->nlmsg_flags |= NLM_F_DUMP;
		if (g->cmd == EDGEAI_NL_CMD_GET_CLUSTER && !(h->nlmsg_flags & NLM_F_DUMP)) {
			uint32_t id = rnd(r, t->p->nr_clusters + 1);

			len = put_attr(buf, len, sizeof(buf), EDGEAI_NL_A_CLUSTER_ID, &id, 4);
		}
	} else {
		g->cmd = chance(r, 70) ? (uint8_t)rnd(r, EDGEAI_NL_CMD_MAX + 3) :
			 (uint8_t)rnd(r, 256);
		if (chance(r, 50))
			h->nlmsg_flags |= NLM_F_DUMP;
		if (chance(r, 30))
			h->nlmsg_flags |= NLM_F_ACK;
		if (chance(r, 10))
			h->nlmsg_flags = (uint16_t)rnd(r, 65536);
		if (chance(r, 10))
			g->version = (uint8_t)rnd(r, 256);
		if (chance(r, 5))
			g->reserved = (uint16_t)rnd(r, 65536);
		if (chance(r, 3))
			h->nlmsg_type = (uint16_t)rnd(r, 64);
		len = gen_attrs(t, buf, len, sizeof(buf), 3);
	}
	h->nlmsg_len = (uint32_t)len;
	send_len = len;
	if (!valid && chance(r, 8)) {
		switch (rnd(r, 3)) {
		case 0: h->nlmsg_len = (uint32_t)rnd(r, len); break;
		case 1: h->nlmsg_len = (uint32_t)(len + 1 + rnd(r, 64)); break;
		default: send_len = rnd(r, len); break;
		}
	}
	fault_arm(t);
	nl_send(fd, buf, send_len);
	fault_disarm(t);
}

void fuzz_netlink_one(struct thr *t)
{
	struct rng *r = &t->r;
	struct proc *p = t->p;
	int a = rnd(r, 100);

	if (p->nl_family < 0)
		return;
	if (t->nl_fd < 0) {
		t->nl_fd = nl_open();
		stat_add(&stats->calls, 2);
		if (t->nl_fd < 0)
			return;
	}
	if (a < 55) {
		nl_request(t, t->nl_fd, false);
		nl_drain(t, t->nl_fd, rnd(r, 4));
	} else if (a < 75) {
		nl_request(t, t->nl_fd, true);
		/* Read a part of the answer; the rest comes with later reads. */
		nl_drain(t, t->nl_fd, rnd(r, 3));
	} else if (a < 85) {
		/* Walk away from whatever is pending, dumps included. */
		close(t->nl_fd);
		t->nl_fd = -1;
		stat_add(&stats->nl_dumps_abandoned, 1);
		stat_add(&stats->calls, 1);
	} else if (a < 93) {
		int grp = chance(r, 50) ? p->nl_grp_events : p->nl_grp_jobs;
		int opt = chance(r, 70) ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP;

		if (chance(r, 10))
			grp = (int)rnd(r, 64);
		setsockopt(t->nl_fd, SOL_NETLINK, opt, &grp, sizeof(grp));
		stat_add(&stats->nl_joins, 1);
		stat_add(&stats->calls, 1);
	} else {
		nl_drain(t, t->nl_fd, 16);
	}
}
