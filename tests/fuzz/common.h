/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the hardening tests (edgeai-fuzz, edgeai-stress, perm_test) share:
 * a seeded random generator, the module's sysfs counters, and a few
 * wrappers.  Header-only: each test is one program.
 */
#ifndef EDGEAI_TESTS_FUZZ_COMMON_H
#define EDGEAI_TESTS_FUZZ_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#define DEV_PATH	"/dev/edgeai"
#define SYS_EDGEAI	"/sys/class/misc/edgeai/"
#define SYS_STATS	SYS_EDGEAI "stats/"
#define SYS_CLUSTERS	SYS_EDGEAI "clusters/"
#define MS		1000000ULL

/* ---------------------------------------------------------------- random */

/*
 * splitmix64 to derive seeds, xoshiro256** to draw: small, fast, and the
 * same sequence on every machine for a given seed.
 */
struct rng {
	uint64_t s[4];
};

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A generator for one actor: the run's seed and the actor's coordinates. */
static inline void rng_seed(struct rng *r, uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t x = seed ^ (a * 0x100000001b3ULL) ^ (b << 40);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rnd64(struct rng *r)
{
	uint64_t *s = r->s, res = rotl64(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return res;
}

/* Uniform in [0, n); 0 when n is 0. */
static inline uint32_t rnd(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(((rnd64(r) >> 32) * n) >> 32) : 0;
}

/* True with probability pct percent. */
static inline bool chance(struct rng *r, uint32_t pct)
{
	return rnd(r, 100) < pct;
}

/* A value at or near an edge more often than not. */
static inline uint64_t rnd_interesting(struct rng *r)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 65, 127, 128, 255,
		256, 4095, 4096, 4097, 65535, 65536, 0x7fffffff, 0x80000000,
		0xfffffffe, 0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL,
		0x8000000000000000ULL, ~0ULL, ~0ULL - 1,
	};

	if (chance(r, 70))
		return v[rnd(r, sizeof(v) / sizeof(v[0]))];
	return rnd64(r) >> rnd(r, 64);
}

/* ---------------------------------------------------------------- time */

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---------------------------------------------------------------- sysfs */

/* A number from a sysfs file, -1 when it cannot be read. */
static inline long long sysfs_num(const char *path)
{
	char buf[64] = "";
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtoll(buf, NULL, 10);
}

static inline long long stat_of(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), SYS_STATS "%s", name);
	return sysfs_num(path);
}

/* write(2) a string to a file: 0 or -errno. */
static inline int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* The module's counters at one moment. */
struct counters {
	long long submitted, completed, failed, cancelled, rejected, misses;
	long long live_jobs, live_graphs, live_ctx;
};

static inline void counters_read(struct counters *c)
{
	c->submitted = stat_of("submitted");
	c->completed = stat_of("completed");
	c->failed = stat_of("failed");
	c->cancelled = stat_of("cancelled");
	c->rejected = stat_of("rejected");
	c->misses = stat_of("deadline_misses");
	c->live_jobs = stat_of("live_jobs");
	c->live_graphs = stat_of("live_graphs");
	c->live_ctx = stat_of("live_ctx");
}

/* Wait up to ms milliseconds for every live_* counter to reach 0. */
static inline bool counters_settle(struct counters *c, int ms)
{
	for (;;) {
		counters_read(c);
		if (!c->live_jobs && !c->live_graphs && !c->live_ctx)
			return true;
		if (ms <= 0)
			return false;
		usleep(10000);
		ms -= 10;
	}
}

/* ---------------------------------------------------------------- module */

/* rmmod without the tool: 0 or -errno.  O_NONBLOCK: never wait. */
static inline int try_rmmod(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/* ---------------------------------------------------------------- netlink */

/* A bound generic netlink socket, raw. */
static inline int nl_socket(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

#define NLA_NEXT_(a, len) \
	((len) -= NLA_ALIGN((a)->nla_len), \
	 (a) = (const struct nlattr *)((const uint8_t *)(a) + NLA_ALIGN((a)->nla_len)))
#define NLA_OK_(a, len) \
	((len) >= NLA_HDRLEN && (a)->nla_len >= NLA_HDRLEN && (a)->nla_len <= (len))
#define NLA_DATA_(a)	((const uint8_t *)(a) + NLA_HDRLEN)

/*
 * The id of the generic netlink family name and of two of its multicast
 * groups (-1 for those it lacks), from the controller.  0 or -1.
 */
static inline int nl_family_of(const char *name, const char *g1, int *fam,
			       int *id1, const char *g2, int *id2)
{
	uint8_t buf[8192] __attribute__((aligned(4)));
	struct nlmsghdr *h = (void *)buf;
	struct genlmsghdr *g = NLMSG_DATA(h);
	struct nlattr *na = (void *)(buf + NLMSG_HDRLEN + GENL_HDRLEN);
	const struct nlattr *a;
	size_t nlen = strlen(name) + 1;
	int fd = nl_socket(), len;

	*fam = *id1 = *id2 = -1;
	if (fd < 0)
		return -1;
	memset(buf, 0, 256);
	h->nlmsg_type = GENL_ID_CTRL;
	h->nlmsg_flags = NLM_F_REQUEST;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	na->nla_type = CTRL_ATTR_FAMILY_NAME;
	na->nla_len = (uint16_t)(NLA_HDRLEN + nlen);
	memcpy((uint8_t *)na + NLA_HDRLEN, name, nlen);
	h->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(na->nla_len);
	if (send(fd, buf, h->nlmsg_len, 0) < 0)
		goto out;
	len = (int)recv(fd, buf, sizeof(buf), 0);
	if (len < (int)(NLMSG_HDRLEN + GENL_HDRLEN) || h->nlmsg_type == NLMSG_ERROR)
		goto out;
	len = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (a = (const void *)na; NLA_OK_(a, len); NLA_NEXT_(a, len)) {
		const struct nlattr *grp;
		int glen;

		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID) {
			uint16_t id;

			memcpy(&id, NLA_DATA_(a), 2);
			*fam = id;
		}
		if ((a->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		glen = a->nla_len - NLA_HDRLEN;
		for (grp = (const void *)NLA_DATA_(a); NLA_OK_(grp, glen); NLA_NEXT_(grp, glen)) {
			const struct nlattr *x = (const void *)NLA_DATA_(grp);
			const char *gname = NULL;
			int xlen = grp->nla_len - NLA_HDRLEN, id = -1;

			for (; NLA_OK_(x, xlen); NLA_NEXT_(x, xlen)) {
				if ((x->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_ID)
					memcpy(&id, NLA_DATA_(x), 4);
				if ((x->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_NAME)
					gname = (const char *)NLA_DATA_(x);
			}
			if (gname && g1 && !strcmp(gname, g1))
				*id1 = id;
			if (gname && g2 && !strcmp(gname, g2))
				*id2 = id;
		}
	}
out:
	close(fd);
	return *fam < 0 ? -1 : 0;
}

#endif /* EDGEAI_TESTS_FUZZ_COMMON_H */
