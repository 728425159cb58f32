/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeai-fuzz internals: the state a fuzzing thread works on and the
 * counters every process of a run adds to (in shared memory).
 */
#ifndef EDGEAI_TESTS_FUZZ_H
#define EDGEAI_TESTS_FUZZ_H

#include <pthread.h>
#include <stdint.h>

#include <linux/edgeai.h>

#include "common.h"

/* What a slot of a process's descriptor pool holds. */
enum fd_kind {
	FK_NONE,
	FK_DEV,		/* /dev/edgeai, maybe a submitter */
	FK_EXEC,	/* /dev/edgeai attached as an executor */
	FK_MEMFD,	/* a memfd, sealed or not */
	FK_MEMFD_RO,	/* a memfd reopened read-only */
	FK_PIPE,
	FK_DEVNULL,
	FK_PROC,	/* a procfs file */
	FK_NETLINK,
	FK_EVENTFD,
	FK_REG,		/* a regular file on tmpfs: a model */
	FK_DMABUF,	/* from /dev/dma_heap/system when there is one */
	FK_CLOSED,	/* the number of a descriptor that was closed */
	FK_NR
};

#define NSLOTS		28
#define SLOT_GRAPHS	8
#define SLOT_JOBS	32

struct slot {
	int fd;
	int kind;
	uint32_t cluster;
	uint32_t nr_graphs;
	uint32_t graphs[SLOT_GRAPHS];
	uint32_t graph_bufs[SLOT_GRAPHS];
	uint32_t nr_jobs;
	uint64_t jobs[SLOT_JOBS];
	uint64_t task_id;
	uint64_t size;
};

/* Result classes counted per command. */
enum {
	RES_OK, RES_EINVAL, RES_EFAULT, RES_ENOENT, RES_EBUSY, RES_EPERM, RES_ENOTTY,
	RES_EAGAIN, RES_EINTR, RES_EBADF, RES_E2BIG, RES_ENOMEM, RES_ETIME, RES_EDQUOT,
	RES_ENOBUFS, RES_EACCES, RES_ECHILD, RES_ENOSPC, RES_EALREADY, RES_EMFILE,
	RES_OTHER, RES_NR
};

#define NR_CMDS		14	/* EDGEAI_CMD_GET_INFO .. SESSION_DESTROY */
#define CMD_OTHER	NR_CMDS	/* any other ioctl number */

/* Every process of the run adds to these (a MAP_SHARED page). */
struct fuzz_stats {
	uint64_t calls;		/* syscalls aimed at the kernel */
	uint64_t ioctls;
	uint64_t ioctl_res[NR_CMDS + 1][RES_NR];
	uint64_t ioctl_wrong_fd;	/* edgeai commands on other files */
	uint64_t lifecycle;	/* well-formed job round trips attempted */
	uint64_t jobs_submitted;
	uint64_t stages_run;
	uint64_t nl_sent;
	uint64_t nl_recv;
	uint64_t nl_dumps_abandoned;
	uint64_t nl_joins;
	uint64_t forks;
	uint64_t children_killed;
	uint64_t workers_killed;
	uint64_t spawn_failed;		/* workers fork() could not start */
	uint64_t opens;
	uint64_t closes;
	uint64_t dup2s;
	uint64_t truncates;
	uint64_t sysfs_writes;
	uint64_t misc_fops;	/* read, write, mmap, lseek, poll on the device */
	uint64_t signals;	/* interruptions sent to blocked threads */
	uint64_t rmmod_tries;
	uint64_t rmmod_refused;
	uint64_t rmmod_succeeded;
	uint64_t fault_armed;	/* fail-nth armed before a call */
	uint64_t fault_fired;	/* ... and the kernel took the fault */
	uint64_t efault_args;	/* arguments placed to fault part way */
	uint64_t odd_returns;	/* ioctl returned > 0, or errno >= 512 */
	int64_t odd_last;	/* the last such value */
	uint64_t fuzzer_crashes;	/* fuzzer processes that died of a signal */
};

extern struct fuzz_stats *stats;

static inline void stat_add(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

/* What a process of the run knows. */
struct proc {
	pthread_mutex_t lock;	/* the slots' bookkeeping, never held in a call */
	struct slot slots[NSLOTS];
	struct edgeai_info info;
	uint32_t nr_clusters;
	uint32_t cluster_nsteps[16];
	uint32_t cluster_khz[16][4];	/* first, second, top step */
	bool root;
	bool has_dmabuf;
	bool fault_nth;		/* arm /proc/thread-self/fail-nth */
	int fault_pct;
	int nl_family;
	int nl_grp_events, nl_grp_jobs;
	char tmpdir[64];
	int cl_names_nr;
	char cl_names[16][32];
};

/* A fuzzing thread (or a forked child running one). */
struct thr {
	struct proc *p;
	struct rng r;
	uint8_t *arena;		/* RW pages, then a PROT_NONE page, then RO */
	uint8_t *guard;		/* the PROT_NONE page */
	uint8_t *ro;		/* a read-only page */
	int nl_fd;		/* this thread's netlink socket, -1 if none */
	int fail_fd;		/* /proc/thread-self/fail-nth, -1 if none */
	bool armed;		/* fail-nth armed for the call under way */
	pid_t children[8];
	uint64_t child_born[8];
	bool is_child;
};

#define ARENA_RW	(4 * 4096)

/* fuzz_ioctl.c */
void fuzz_ioctl_one(struct thr *t);
void fuzz_lifecycle(struct thr *t);
int pool_pick(struct thr *t, int kind_mask, struct slot *copy);
void pool_refill(struct thr *t, int idx);
void pool_init(struct thr *t);
int open_kind(struct thr *t, int kind, struct slot *s);
int classify(long ret, int err);
void count_ioctl(int cmd_idx, long ret, int err);
void fault_arm(struct thr *t);
void fault_disarm(struct thr *t);

/* fuzz_netlink.c */
int nl_resolve(struct proc *p);
void fuzz_netlink_one(struct thr *t);
int nl_open(void);

#define KIND(k)		(1 << (k))
#define ANY_DEV		(KIND(FK_DEV) | KIND(FK_EXEC))

#endif /* EDGEAI_TESTS_FUZZ_H */
