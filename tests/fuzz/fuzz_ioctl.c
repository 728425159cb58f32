// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-fuzz: the descriptor pool and the ioctl calls.
 *
 * Every call starts as a well-formed argument for the command, built from
 * what the process knows (its graphs, jobs, executors' tasks, the
 * clusters), and then has 0 to 3 of its fields mutated the way each field
 * invites: sizes around the struct's versions, flags and reserved members
 * non-zero, pointers NULL, into the kernel, across a guard page or at a
 * read-only page, counts at their limits, ids and descriptors of other
 * objects.  The argument itself may straddle the guard page or sit in the
 * read-only page, so that the copy in or the copy out fails part way.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/dma-heap.h>
#include <linux/netlink.h>

#include "fuzz.h"

static const unsigned long cmd_nr[NR_CMDS] = {
	EDGEAI_IOCTL_GET_INFO, EDGEAI_IOCTL_CLUSTER_INFO,
	EDGEAI_IOCTL_GRAPH_CREATE, EDGEAI_IOCTL_GRAPH_DESTROY,
	EDGEAI_IOCTL_JOB_SUBMIT, EDGEAI_IOCTL_JOB_WAIT,
	EDGEAI_IOCTL_JOB_CANCEL, EDGEAI_IOCTL_EXEC_ATTACH,
	EDGEAI_IOCTL_EXEC_FETCH, EDGEAI_IOCTL_EXEC_COMPLETE,
	EDGEAI_IOCTL_GOVERNOR_SET, EDGEAI_IOCTL_CLUSTER_SET_MODEL,
	EDGEAI_IOCTL_SESSION_CREATE, EDGEAI_IOCTL_SESSION_DESTROY,
};

/* ---------------------------------------------------------------- results */

int classify(long ret, int err)
{
	if (ret >= 0)
		return RES_OK;
	switch (err) {
	case EINVAL: return RES_EINVAL;
	case EFAULT: return RES_EFAULT;
	case ENOENT: return RES_ENOENT;
	case EBUSY: return RES_EBUSY;
	case EPERM: return RES_EPERM;
	case ENOTTY: return RES_ENOTTY;
	case EAGAIN: return RES_EAGAIN;
	case EINTR: return RES_EINTR;
	case EBADF: return RES_EBADF;
	case E2BIG: return RES_E2BIG;
	case ENOMEM: return RES_ENOMEM;
	case ETIME: case ETIMEDOUT: return RES_ETIME;
	case EDQUOT: return RES_EDQUOT;
	case ENOBUFS: return RES_ENOBUFS;
	case EACCES: return RES_EACCES;
	case ECHILD: return RES_ECHILD;
	case ENOSPC: return RES_ENOSPC;
	case EALREADY: return RES_EALREADY;
	case EMFILE: return RES_EMFILE;
	default: return RES_OTHER;
	}
}

void count_ioctl(int cmd_idx, long ret, int err)
{
	stat_add(&stats->ioctls, 1);
	stat_add(&stats->calls, 1);
	stat_add(&stats->ioctl_res[cmd_idx][classify(ret, err)], 1);
	/*
	 * An ioctl of the module returns 0 or fails; an errno the kernel
	 * keeps for itself (ERESTARTSYS is 512) must never reach us.
	 */
	if (ret > 0 || (ret < 0 && err >= 512)) {
		stat_add(&stats->odd_returns, 1);
		__atomic_store_n(&stats->odd_last, ret > 0 ? ret : -err,
				 __ATOMIC_RELAXED);
	}
}

/* ---------------------------------------------------------------- faults */

/*
 * A signal delivered while armed would have its frame's copy to the
 * stack fail, and the kernel answers that with SIGSEGV: the interrupter's
 * signal waits until the call is disarmed.  So only calls that do not
 * block are armed.
 */
void fault_arm(struct thr *t)
{
	sigset_t usr1;
	char buf[16];
	int n;

	t->armed = false;
	if (!t->p->fault_nth || t->fail_fd < 0 || !chance(&t->r, t->p->fault_pct))
		return;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	t->armed = true;
	n = snprintf(buf, sizeof(buf), "%u", 1 + rnd(&t->r, 24));
	if (pwrite(t->fail_fd, buf, n, 0) == n)
		stat_add(&stats->fault_armed, 1);
}

/*
 * Whether the armed fault fired: /proc/thread-self/fail-nth reads 0 then.
 * Reading may itself take the fault (it copies out): then the call did
 * not.  Either way nothing stays armed.
 */
void fault_disarm(struct thr *t)
{
	sigset_t usr1;
	char buf[16];
	ssize_t n;
	int i;

	if (!t->armed)
		return;
	t->armed = false;
	n = pread(t->fail_fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = 0;
		if (atoi(buf) == 0)
			stat_add(&stats->fault_fired, 1);
		else
			for (i = 0; i < 4; i++)
				if (pwrite(t->fail_fd, "0", 1, 0) == 1)
					break;
	}
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
}

/* ---------------------------------------------------------------- pool */

static int memfd_of(uint64_t size, bool seal)
{
	int fd = memfd_create("fz", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)size) < 0) {
		close(fd);
		return -1;
	}
	if (seal)
		fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
	return fd;
}

static int dmabuf_of(uint64_t len)
{
	struct dma_heap_allocation_data a = {
		.len = len,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	int heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);

	if (heap < 0)
		return -1;
	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &a) < 0)
		a.fd = -1;
	close(heap);
	return (int)a.fd;
}

/* Open a descriptor of a kind into s; returns the kind actually made. */
int open_kind(struct thr *t, int kind, struct slot *s)
{
	struct proc *p = t->p;
	static const uint64_t sizes[] = { 0, 1, 64, 4096, 4096, 4096, 65536 };
	char path[96];
	int fd = -1, pfd[2];

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	stat_add(&stats->opens, 1);
	stat_add(&stats->calls, 1);
	switch (kind) {
	case FK_EXEC:
	case FK_DEV:
		fd = open(DEV_PATH, O_RDWR | O_CLOEXEC |
			  (chance(&t->r, 40) ? O_NONBLOCK : 0));
		if (fd >= 0 && kind == FK_EXEC) {
			struct edgeai_exec_attach a = {
				.size = sizeof(a),
				.cluster_id = rnd(&t->r, p->nr_clusters),
			};
			long ret = ioctl(fd, EDGEAI_IOCTL_EXEC_ATTACH, &a);

			count_ioctl(7, ret, errno);
			if (ret)
				kind = FK_DEV;
			s->cluster = a.cluster_id;
		}
		break;
	case FK_MEMFD:
		s->size = sizes[rnd(&t->r, sizeof(sizes) / sizeof(sizes[0]))];
		fd = memfd_of(s->size, chance(&t->r, 60));
		break;
	case FK_MEMFD_RO: {
		int w = memfd_of(4096, false);

		if (w >= 0) {
			snprintf(path, sizeof(path), "/proc/self/fd/%d", w);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			close(w);
		}
		s->size = 4096;
		break;
	}
	case FK_PIPE:
		if (pipe2(pfd, O_CLOEXEC) == 0) {
			int keep = rnd(&t->r, 2);

			close(pfd[!keep]);
			fd = pfd[keep];
		}
		break;
	case FK_DEVNULL:
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		break;
	case FK_PROC:
		fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
		break;
	case FK_NETLINK:
		fd = nl_open();
		break;
	case FK_EVENTFD:
		fd = eventfd(0, EFD_CLOEXEC);
		break;
	case FK_REG:
		snprintf(path, sizeof(path), "%s/m%u", p->tmpdir, rnd(&t->r, 1u << 30));
		fd = open(path, O_CREAT | O_CLOEXEC |
			  (chance(&t->r, 20) ? O_WRONLY : O_RDWR), 0600);
		if (fd >= 0) {
			if (write(fd, "edgeai model", 12) < 0)
				break;
			unlink(path);
		}
		break;
	case FK_DMABUF:
		if (p->has_dmabuf) {
			s->size = chance(&t->r, 50) ? 4096 : 65536;
			fd = dmabuf_of(s->size);
		}
		break;
	case FK_CLOSED:
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
		break;
	}
	s->fd = fd;
	s->kind = fd < 0 && kind != FK_CLOSED ? FK_NONE : kind;
	return s->kind;
}

static int kind_for_slot(struct thr *t, int i)
{
	static const int layout[NSLOTS] = {
		FK_DEV, FK_DEV, FK_DEV, FK_DEV, FK_DEV, FK_DEV,
		FK_EXEC, FK_EXEC, FK_EXEC, FK_EXEC,
		FK_MEMFD, FK_MEMFD, FK_MEMFD, FK_MEMFD, FK_MEMFD, FK_MEMFD,
		FK_MEMFD_RO, FK_PIPE, FK_DEVNULL, FK_PROC, FK_NETLINK,
		FK_EVENTFD, FK_REG, FK_DMABUF, FK_CLOSED,
	};
	int k = layout[i];

	if (!k)
		k = (int)(1 + rnd(&t->r, FK_NR - 1));
	if (k == FK_DMABUF && !t->p->has_dmabuf)
		k = FK_MEMFD;
	return k;
}

void pool_init(struct thr *t)
{
	struct proc *p = t->p;
	int i;

	for (i = 0; i < NSLOTS; i++)
		open_kind(t, kind_for_slot(t, i), &p->slots[i]);
}

/*
 * Replace a slot's descriptor with a new one of a random kind.  Another
 * thread may be using the old one right now: that is the point.
 */
void pool_refill(struct thr *t, int idx)
{
	struct proc *p = t->p;
	struct slot fresh;
	int old, kind;

	pthread_mutex_lock(&p->lock);
	old = p->slots[idx].fd;
	kind = p->slots[idx].kind;
	p->slots[idx].kind = FK_NONE;
	pthread_mutex_unlock(&p->lock);
	if (old > 2 && kind != FK_CLOSED && kind != FK_NONE) {
		close(old);
		stat_add(&stats->closes, 1);
		stat_add(&stats->calls, 1);
	}
	open_kind(t, chance(&t->r, 70) ? kind_for_slot(t, idx) :
		  (int)(1 + rnd(&t->r, FK_NR - 1)), &fresh);
	pthread_mutex_lock(&p->lock);
	p->slots[idx] = fresh;
	pthread_mutex_unlock(&p->lock);
}

/* A random slot of one of the kinds in mask, copied; -1 if none. */
int pool_pick(struct thr *t, int kind_mask, struct slot *copy)
{
	struct proc *p = t->p;
	int i, start = rnd(&t->r, NSLOTS), found = -1;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < NSLOTS; i++) {
		int j = (start + i) % NSLOTS;

		if (kind_mask & KIND(p->slots[j].kind)) {
			found = j;
			*copy = p->slots[j];
			break;
		}
	}
	pthread_mutex_unlock(&p->lock);
	return found;
}

/* Update the bookkeeping of the slot, if it still holds the same file. */
static void slot_note_graph(struct thr *t, int idx, int fd, uint32_t id,
			    uint32_t nbufs)
{
	struct slot *s = &t->p->slots[idx];

	pthread_mutex_lock(&t->p->lock);
	if (s->fd == fd && (s->kind == FK_DEV)) {
		uint32_t k = s->nr_graphs < SLOT_GRAPHS ? s->nr_graphs++ :
			     rnd(&t->r, SLOT_GRAPHS);

		s->graphs[k] = id;
		s->graph_bufs[k] = nbufs;
	}
	pthread_mutex_unlock(&t->p->lock);
}

static void slot_note_job(struct thr *t, int idx, int fd, uint64_t id)
{
	struct slot *s = &t->p->slots[idx];

	pthread_mutex_lock(&t->p->lock);
	if (s->fd == fd && s->kind == FK_DEV)
		s->jobs[s->nr_jobs++ % SLOT_JOBS] = id;
	pthread_mutex_unlock(&t->p->lock);
}

static void slot_note_task(struct thr *t, int idx, int fd, uint64_t task)
{
	struct slot *s = &t->p->slots[idx];

	pthread_mutex_lock(&t->p->lock);
	if (s->fd == fd && s->kind == FK_EXEC)
		s->task_id = task;
	pthread_mutex_unlock(&t->p->lock);
}

/* ---------------------------------------------------------------- fields */

enum fkind {
	F_SIZE, F_FLAGS, F_RSV, F_OUT, F_PTR, F_CNT, F_ID, F_FD, F_CLUSTER,
	F_PRIO, F_TIME, F_STATUS, F_KHZ, F_STR, F_ESIZE, F_VAL,
};

struct field {
	uint16_t off;
	uint8_t size;
	uint8_t kind;
};

#define FLD(type, member, kind) \
	{ offsetof(type, member), sizeof(((type *)0)->member), kind }

static const struct field f_info[] = {
	FLD(struct edgeai_info, flags, F_FLAGS),
	FLD(struct edgeai_info, abi_version, F_OUT),
	FLD(struct edgeai_info, features, F_OUT),
	FLD(struct edgeai_info, max_retries, F_OUT),
	FLD(struct edgeai_info, __reserved, F_RSV),
};

static const struct field f_cluster_info[] = {
	FLD(struct edgeai_cluster_info, flags, F_FLAGS),
	FLD(struct edgeai_cluster_info, cluster_id, F_CLUSTER),
	FLD(struct edgeai_cluster_info, kind, F_OUT),
	FLD(struct edgeai_cluster_info, freqs, F_PTR),
	FLD(struct edgeai_cluster_info, freqs_cap, F_CNT),
	FLD(struct edgeai_cluster_info, cpus, F_PTR),
	FLD(struct edgeai_cluster_info, cpus_words, F_CNT),
	FLD(struct edgeai_cluster_info, __reserved, F_RSV),
	FLD(struct edgeai_cluster_info, name, F_STR),
	FLD(struct edgeai_cluster_info, power_mw, F_PTR),
	FLD(struct edgeai_cluster_info, speed, F_PTR),
	FLD(struct edgeai_cluster_info, host_id, F_OUT),
	FLD(struct edgeai_cluster_info, __reserved2, F_RSV),
};

static const struct field f_graph_create[] = {
	FLD(struct edgeai_graph_create, flags, F_FLAGS),
	FLD(struct edgeai_graph_create, model_fd, F_FD),
	FLD(struct edgeai_graph_create, nr_stages, F_CNT),
	FLD(struct edgeai_graph_create, stages, F_PTR),
	FLD(struct edgeai_graph_create, stage_size, F_ESIZE),
	FLD(struct edgeai_graph_create, nr_buffers, F_CNT),
	FLD(struct edgeai_graph_create, buf_sizes, F_PTR),
	FLD(struct edgeai_graph_create, graph_id, F_OUT),
	FLD(struct edgeai_graph_create, __reserved, F_RSV),
	FLD(struct edgeai_graph_create, name, F_STR),
	FLD(struct edgeai_graph_create, exits, F_PTR),
	FLD(struct edgeai_graph_create, nr_exits, F_CNT),
	FLD(struct edgeai_graph_create, exit_size, F_ESIZE),
	FLD(struct edgeai_graph_create, alts, F_PTR),
	FLD(struct edgeai_graph_create, nr_alts, F_CNT),
	FLD(struct edgeai_graph_create, alt_size, F_ESIZE),
};

static const struct field f_graph_destroy[] = {
	FLD(struct edgeai_graph_destroy, graph_id, F_ID),
};

static const struct field f_job_submit[] = {
	FLD(struct edgeai_job_submit, flags, F_FLAGS),
	FLD(struct edgeai_job_submit, graph_id, F_ID),
	FLD(struct edgeai_job_submit, priority, F_PRIO),
	FLD(struct edgeai_job_submit, deadline_ns, F_TIME),
	FLD(struct edgeai_job_submit, cookie, F_VAL),
	FLD(struct edgeai_job_submit, buf_fds, F_PTR),
	FLD(struct edgeai_job_submit, nr_buffers, F_CNT),
	FLD(struct edgeai_job_submit, __reserved, F_RSV),
	FLD(struct edgeai_job_submit, job_id, F_OUT),
	FLD(struct edgeai_job_submit, est_finish_ns, F_OUT),
	FLD(struct edgeai_job_submit, min_accuracy_ppm, F_VAL),
	FLD(struct edgeai_job_submit, __reserved2, F_RSV),
	FLD(struct edgeai_job_submit, session_id, F_ID),
	FLD(struct edgeai_job_submit, max_tokens, F_VAL),
};

static const struct field f_job_wait[] = {
	FLD(struct edgeai_job_wait, flags, F_FLAGS),
	FLD(struct edgeai_job_wait, job_id, F_ID),
	FLD(struct edgeai_job_wait, timeout_ns, F_TIME),
	FLD(struct edgeai_job_wait, stage_times, F_PTR),
	FLD(struct edgeai_job_wait, stage_times_cap, F_CNT),
	FLD(struct edgeai_job_wait, stage_times_size, F_ESIZE),
	FLD(struct edgeai_job_wait, status, F_OUT),
	FLD(struct edgeai_job_wait, exit_index, F_RSV),
	FLD(struct edgeai_job_wait, step_times, F_PTR),
	FLD(struct edgeai_job_wait, step_times_cap, F_CNT),
	FLD(struct edgeai_job_wait, __reserved, F_RSV),
};

static const struct field f_job_cancel[] = {
	FLD(struct edgeai_job_cancel, flags, F_FLAGS),
	FLD(struct edgeai_job_cancel, job_id, F_ID),
};

static const struct field f_exec_attach[] = {
	FLD(struct edgeai_exec_attach, flags, F_FLAGS),
	FLD(struct edgeai_exec_attach, cluster_id, F_CLUSTER),
	FLD(struct edgeai_exec_attach, __reserved, F_RSV),
};

static const struct field f_exec_fetch[] = {
	FLD(struct edgeai_exec_fetch, flags, F_FLAGS),
	FLD(struct edgeai_exec_fetch, buf_fds, F_PTR),
	FLD(struct edgeai_exec_fetch, buf_fds_cap, F_CNT),
	FLD(struct edgeai_exec_fetch, __reserved, F_RSV),
	FLD(struct edgeai_exec_fetch, task_id, F_OUT),
	FLD(struct edgeai_exec_fetch, model_fd, F_OUT),
	FLD(struct edgeai_exec_fetch, graph_name, F_STR),
};

static const struct field f_exec_complete[] = {
	FLD(struct edgeai_exec_complete, flags, F_FLAGS),
	FLD(struct edgeai_exec_complete, task_id, F_ID),
	FLD(struct edgeai_exec_complete, status, F_STATUS),
	FLD(struct edgeai_exec_complete, __reserved, F_RSV),
	FLD(struct edgeai_exec_complete, exec_ns, F_VAL),
	FLD(struct edgeai_exec_complete, energy_uj, F_VAL),
};

static const struct field f_governor_set[] = {
	FLD(struct edgeai_governor_set, flags, F_FLAGS),
	FLD(struct edgeai_governor_set, cluster_id, F_CLUSTER),
	FLD(struct edgeai_governor_set, setspeed_khz, F_KHZ),
	FLD(struct edgeai_governor_set, governor, F_STR),
};

static const struct field f_set_model[] = {
	FLD(struct edgeai_cluster_set_model, flags, F_FLAGS),
	FLD(struct edgeai_cluster_set_model, cluster_id, F_CLUSTER),
	FLD(struct edgeai_cluster_set_model, nr_steps, F_CNT),
	FLD(struct edgeai_cluster_set_model, power_mw, F_PTR),
	FLD(struct edgeai_cluster_set_model, speed, F_PTR),
	FLD(struct edgeai_cluster_set_model, idle_mw, F_VAL),
	FLD(struct edgeai_cluster_set_model, switch_up_us, F_VAL),
	FLD(struct edgeai_cluster_set_model, switch_down_us, F_VAL),
	FLD(struct edgeai_cluster_set_model, __reserved, F_RSV),
};

static const struct field f_session_create[] = {
	FLD(struct edgeai_session_create, flags, F_FLAGS),
	FLD(struct edgeai_session_create, graph_id, F_ID),
	FLD(struct edgeai_session_create, nr_bufs, F_CNT),
	FLD(struct edgeai_session_create, bufs, F_PTR),
	FLD(struct edgeai_session_create, buf_size, F_ESIZE),
	FLD(struct edgeai_session_create, max_tokens, F_VAL),
	FLD(struct edgeai_session_create, session_id, F_OUT),
	FLD(struct edgeai_session_create, __reserved, F_RSV),
	FLD(struct edgeai_session_create, session_key, F_OUT),
};

static const struct field f_session_destroy[] = {
	FLD(struct edgeai_session_destroy, session_id, F_ID),
};

#define TAB(x)	{ x, sizeof(x) / sizeof(x[0]) }
static const struct {
	const struct field *f;
	unsigned int n;
} fields[NR_CMDS] = {
	TAB(f_info), TAB(f_cluster_info), TAB(f_graph_create),
	TAB(f_graph_destroy), TAB(f_job_submit), TAB(f_job_wait),
	TAB(f_job_cancel), TAB(f_exec_attach), TAB(f_exec_fetch),
	TAB(f_exec_complete), TAB(f_governor_set), TAB(f_set_model),
	TAB(f_session_create), TAB(f_session_destroy),
};

static const size_t cmd_size[NR_CMDS] = {
	sizeof(struct edgeai_info), sizeof(struct edgeai_cluster_info),
	sizeof(struct edgeai_graph_create), sizeof(struct edgeai_graph_destroy),
	sizeof(struct edgeai_job_submit), sizeof(struct edgeai_job_wait),
	sizeof(struct edgeai_job_cancel), sizeof(struct edgeai_exec_attach),
	sizeof(struct edgeai_exec_fetch), sizeof(struct edgeai_exec_complete),
	sizeof(struct edgeai_governor_set), sizeof(struct edgeai_cluster_set_model),
	sizeof(struct edgeai_session_create), sizeof(struct edgeai_session_destroy),
};

/* Places in the arena the generators put their arrays. */
#define A_STAGES	4096
#define A_IN		8192
#define A_ALT_SPEED	(A_IN + 1024)	/* after the buffer sizes */
#define A_ALTS		(A_IN + 1536)
#define A_OUT		12288

static uint64_t arena_ptr(struct thr *t, size_t off)
{
	return (uint64_t)(uintptr_t)(t->arena + off);
}

/* A pointer that is wrong in one of the ways that matter. */
static uint64_t bad_ptr(struct thr *t, uint64_t valid)
{
	switch (rnd(&t->r, 8)) {
	case 0: return 0;
	case 1: return 16;
	case 2: return 0xffffffff81000000ULL;		/* kernel text */
	case 3: return (uint64_t)(uintptr_t)t->guard;
	case 4: return (uint64_t)(uintptr_t)(t->guard - 1 - rnd(&t->r, 64));
	case 5: return (uint64_t)(uintptr_t)t->ro;
	case 6: return 0x8000000000000000ULL;		/* not canonical */
	default: return valid + 1 + rnd(&t->r, 7);	/* misaligned */
	}
}

static void put_field(uint8_t *buf, const struct field *f, uint64_t v)
{
	switch (f->size) {
	case 1: buf[f->off] = (uint8_t)v; break;
	case 2: { uint16_t x = (uint16_t)v; memcpy(buf + f->off, &x, 2); break; }
	case 4: { uint32_t x = (uint32_t)v; memcpy(buf + f->off, &x, 4); break; }
	case 8: memcpy(buf + f->off, &v, 8); break;
	}
}

static uint64_t get_field(const uint8_t *buf, const struct field *f)
{
	uint64_t v = 0;

	if (f->size <= 8)
		memcpy(&v, buf + f->off, f->size);
	return v;
}

static const char *const gov_names[] = {
	"performance", "powersave", "userspace", "deadline", "schedutil", "",
	"performance\n", "deadlin", "userspace ",
};

static void mutate_field(struct thr *t, uint8_t *buf, const struct field *f,
			 const struct slot *s)
{
	struct rng *r = &t->r;
	uint64_t v = f->size <= 8 ? get_field(buf, f) : 0;

	switch (f->kind) {
	case F_FLAGS:
		v ^= chance(r, 70) ? 1ULL << rnd(r, 32) : rnd64(r);
		break;
	case F_RSV:
	case F_OUT:
		v = chance(r, 50) ? 1 : rnd64(r) | 1;
		break;
	case F_PTR:
		v = bad_ptr(t, v);
		break;
	case F_CNT:
	case F_VAL:
		v = rnd_interesting(r);
		break;
	case F_ID:
		if (chance(r, 30) && s->nr_jobs)
			v = s->jobs[rnd(r, s->nr_jobs < SLOT_JOBS ? s->nr_jobs : SLOT_JOBS)];
		else if (chance(r, 30) && s->nr_graphs)
			v = s->graphs[rnd(r, s->nr_graphs)];
		else
			v = chance(r, 50) ? v + 1 + rnd(r, 3) : rnd_interesting(r);
		break;
	case F_FD: {
		struct slot o;

		if (chance(r, 60) && pool_pick(t, ~0, &o) >= 0)
			v = (uint32_t)o.fd;
		else
			v = (uint32_t)(int32_t)(chance(r, 50) ? -2 - (int)rnd(r, 3) :
						(int)rnd_interesting(r));
		break;
	}
	case F_CLUSTER:
		v = chance(r, 50) ? t->p->nr_clusters + rnd(r, 2) : rnd_interesting(r);
		break;
	case F_PRIO:
		v = chance(r, 70) ? rnd(r, EDGEAI_NR_PRIO + 2) : rnd_interesting(r);
		break;
	case F_TIME:
		switch (rnd(r, 4)) {
		case 0: v = 0; break;
		case 1: v = now_ns() - rnd(r, 1000) * MS; break;
		case 2: v = now_ns() + rnd(r, 50) * MS; break;
		default: v = rnd_interesting(r); break;
		}
		break;
	case F_STATUS:
		switch (rnd(r, 5)) {
		case 0: v = (uint32_t)-4095; break;
		case 1: v = (uint32_t)-4096; break;
		case 2: v = 1; break;
		case 3: v = 0x80000000u; break;
		default: v = (uint32_t)-(int)(1 + rnd(r, 140)); break;
		}
		break;
	case F_KHZ:
		v = chance(r, 50) ? t->p->cluster_khz[0][rnd(r, 3)] + rnd(r, 3) - 1 :
			rnd_interesting(r);
		break;
	case F_ESIZE:
		switch (rnd(r, 6)) {
		case 0: v = v ? v - 1 : 0; break;
		case 1: v = v + 8; break;	/* zero tail, or not: see below */
		case 2: v = 8; break;
		case 3: v = 4096; break;
		case 4: v = rnd_interesting(r); break;
		default: v = v * 2; break;
		}
		break;
	case F_STR: {
		uint8_t *p = buf + f->off;
		uint32_t i;

		switch (rnd(r, 4)) {
		case 0:		/* no NUL at all */
			memset(p, 'A' + rnd(r, 26), f->size);
			break;
		case 1:		/* not printable */
			p[rnd(r, f->size - 1)] = (uint8_t)(1 + rnd(r, 31));
			break;
		case 2:
			for (i = 0; i < f->size; i++)
				p[i] = (uint8_t)rnd(r, 256);
			break;
		default: {
			const char *g = gov_names[rnd(r, sizeof(gov_names) / sizeof(gov_names[0]))];

			memset(p, 0, f->size);
			memcpy(p, g, strlen(g) < f->size ? strlen(g) : f->size);
			break;
		}
		}
		return;
	}
	}
	if (f->size <= 8)
		put_field(buf, f, v);
}

/* ---------------------------------------------------------------- commands */

static void gen_stages(struct thr *t, struct edgeai_stage *st, uint32_t n,
		       uint32_t nbufs, bool mutate)
{
	struct rng *r = &t->r;
	uint64_t all = nbufs >= 64 ? ~0ULL : (1ULL << nbufs) - 1;
	uint32_t i;

	for (i = 0; i < n; i++) {
		memset(&st[i], 0, sizeof(st[i]));
		st[i].cluster_id = rnd(r, t->p->nr_clusters);
		st[i].first_layer = rnd(r, 100);
		st[i].nr_layers = 1 + rnd(r, 4);
		st[i].cost_ns = (1 + rnd(r, 3000)) * 1000ULL;
		st[i].in_mask = rnd64(r) & all;
		st[i].out_mask = rnd64(r) & all;
		if (chance(r, 30))
			st[i].freq_khz = t->p->cluster_khz[st[i].cluster_id % 16][rnd(r, 3)];
		if (mutate && chance(r, 20)) {
			switch (rnd(r, 7)) {
			case 0: st[i].cluster_id = rnd_interesting(r); break;
			case 1: st[i].flags = 1u << rnd(r, 32); break;
			case 2: st[i].__reserved = 1; break;
			case 3: st[i].nr_layers = 0; break;
			case 4: st[i].first_layer = 0xffffffff; break;
			case 5: st[i].cost_ns = rnd_interesting(r); break;
			default: st[i].out_mask = rnd64(r); break;
			}
		}
	}
}

/*
 * Up to 12 alternatives of random stages on random clusters, some with
 * per-step speeds; with @mutate, one sometimes breaks a rule.  Returns how
 * many were written.
 */
static uint32_t gen_alts(struct thr *t, struct edgeai_stage_alt *a,
			 uint32_t nr_stages, bool mutate)
{
	uint32_t *speed = (void *)(t->arena + A_ALT_SPEED);
	struct rng *r = &t->r;
	uint32_t i, n = 1 + rnd(r, 12);

	for (i = 0; i < 16; i++)
		speed[i] = 1 + rnd(r, 1024);
	for (i = 0; i < n; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].stage = rnd(r, nr_stages);
		a[i].cluster_id = rnd(r, t->p->nr_clusters);
		a[i].cost_ns = (1 + rnd(r, 3000)) * 1000ULL;
		if (chance(r, 30))
			a[i].freq_khz = t->p->cluster_khz[a[i].cluster_id % 16][rnd(r, 3)];
		if (chance(r, 20)) {
			a[i].speed = arena_ptr(t, A_ALT_SPEED);
			a[i].nr_steps = 1 + rnd(r, 4);
		}
		if (mutate && chance(r, 20)) {
			switch (rnd(r, 6)) {
			case 0: a[i].cluster_id = rnd_interesting(r); break;
			case 1: a[i].flags = 1u << rnd(r, 32); break;
			case 2: a[i].__reserved = 1; break;
			case 3: a[i].stage = rnd_interesting(r); break;
			case 4: a[i].cost_ns = rnd_interesting(r); break;
			default: a[i].speed = bad_ptr(t, a[i].speed); break;
			}
		}
	}
	return n;
}

/* A few buffer descriptors for a job: memfds mostly. */
static void gen_buf_fds(struct thr *t, int32_t *fds, uint32_t n)
{
	struct slot o;
	uint32_t i;

	for (i = 0; i < n && i < 64; i++) {
		int mask = chance(&t->r, 85) ? KIND(FK_MEMFD) | KIND(FK_DMABUF) : ~0;

		fds[i] = pool_pick(t, mask, &o) >= 0 ? o.fd : -1;
		if (chance(&t->r, 2))
			fds[i] = (int32_t)rnd_interesting(&t->r);
	}
}

static uint32_t pick_graph(struct thr *t, const struct slot *s, uint32_t *nbufs)
{
	uint32_t k;

	if (!s->nr_graphs || chance(&t->r, 5)) {
		*nbufs = 1 + rnd(&t->r, 4);
		return 1 + rnd(&t->r, 8);
	}
	k = rnd(&t->r, s->nr_graphs);
	*nbufs = s->graph_bufs[k];
	return s->graphs[k];
}

static uint64_t pick_job(struct thr *t, const struct slot *s)
{
	uint32_t n = s->nr_jobs < SLOT_JOBS ? s->nr_jobs : SLOT_JOBS;

	if (!n || chance(&t->r, 10))
		return chance(&t->r, 50) ? 0 : 1 + rnd(&t->r, 64);
	return s->jobs[rnd(&t->r, n)];
}

/* Fill a well-formed argument of command c into buf. */
static void gen_cmd(struct thr *t, int c, uint8_t *buf, const struct slot *s,
		    bool mutate)
{
	struct rng *r = &t->r;
	struct proc *p = t->p;

	memset(buf, 0, 512);
	*(uint32_t *)buf = (uint32_t)cmd_size[c];
	switch (c) {
	case 1: {
		struct edgeai_cluster_info *ci = (void *)buf;

		ci->cluster_id = rnd(r, p->nr_clusters);
		ci->freqs = arena_ptr(t, A_OUT);
		ci->freqs_cap = rnd(r, 40);
		if (chance(r, 50)) {
			ci->cpus = arena_ptr(t, A_OUT + 256);
			ci->cpus_words = rnd(r, 4);
		}
		if (chance(r, 50))
			ci->power_mw = arena_ptr(t, A_OUT + 512);
		if (chance(r, 50))
			ci->speed = arena_ptr(t, A_OUT + 768);
		break;
	}
	case 2: {
		struct edgeai_graph_create *g = (void *)buf;
		uint32_t max = p->info.max_stages ? p->info.max_stages : 4;
		struct slot o;

		g->nr_stages = 1 + rnd(r, max);
		g->nr_buffers = 1 + rnd(r, p->info.max_buffers ? p->info.max_buffers : 4);
		g->stages = arena_ptr(t, A_STAGES);
		g->stage_size = sizeof(struct edgeai_stage);
		gen_stages(t, (void *)(t->arena + A_STAGES), g->nr_stages,
			   g->nr_buffers, mutate);
		g->model_fd = -1;
		if (chance(r, 30) && pool_pick(t, KIND(FK_REG), &o) >= 0)
			g->model_fd = o.fd;
		if (chance(r, 50)) {
			uint64_t *sz = (void *)(t->arena + A_IN);
			uint32_t i;

			for (i = 0; i < g->nr_buffers; i++)
				sz[i] = chance(r, 80) ? rnd(r, 4097) : rnd_interesting(r);
			g->buf_sizes = arena_ptr(t, A_IN);
		}
		snprintf(g->name, sizeof(g->name), "fz%u", rnd(r, 1000));
		if (chance(r, 40)) {
			g->alts = arena_ptr(t, A_ALTS);
			g->nr_alts = gen_alts(t, (void *)(t->arena + A_ALTS),
					      g->nr_stages, mutate);
			g->alt_size = sizeof(struct edgeai_stage_alt);
		}
		break;
	}
	case 3: {
		struct edgeai_graph_destroy *d = (void *)buf;
		uint32_t nb;

		d->graph_id = pick_graph(t, s, &nb);
		break;
	}
	case 4: {
		struct edgeai_job_submit *js = (void *)buf;
		uint32_t nb;

		js->graph_id = pick_graph(t, s, &nb);
		js->priority = rnd(r, EDGEAI_NR_PRIO);
		if (chance(r, 40))
			js->deadline_ns = now_ns() + rnd(r, 200) * MS;
		if (chance(r, 20))
			js->flags = EDGEAI_SUBMIT_STRICT;
		js->cookie = rnd64(r);
		js->nr_buffers = nb;
		js->buf_fds = arena_ptr(t, A_IN);
		gen_buf_fds(t, (void *)(t->arena + A_IN), nb);
		if (chance(r, 25)) {
			int32_t *fds = (void *)(t->arena + A_IN);
			uint32_t i;

			/* A session job: -1 where the session's buffers go. */
			js->flags |= EDGEAI_SUBMIT_SESSION;
			js->session_id = 1 + rnd(r, 4);
			js->max_tokens = rnd(r, 6);
			for (i = 0; i < nb && i < 64; i++)
				if (chance(r, 50))
					fds[i] = -1;
		}
		break;
	}
	case 5: {
		struct edgeai_job_wait *w = (void *)buf;

		w->job_id = chance(r, 50) ? 0 : pick_job(t, s);
		switch (rnd(r, 20)) {
		case 0:
			break;	/* blocking: a signal or a finished job ends it */
		case 1: case 2: case 3: case 4: case 5:
			w->flags = EDGEAI_WAIT_TIMEOUT;
			w->timeout_ns = now_ns() + rnd(r, 5) * MS;
			break;
		default:
			w->flags = EDGEAI_WAIT_NONBLOCK;
			break;
		}
		if (chance(r, 60)) {
			w->stage_times = arena_ptr(t, A_OUT);
			w->stage_times_cap = rnd(r, 10);
			w->stage_times_size = sizeof(struct edgeai_stage_times);
		}
		break;
	}
	case 6: {
		struct edgeai_job_cancel *cn = (void *)buf;

		cn->job_id = pick_job(t, s);
		break;
	}
	case 7: {
		struct edgeai_exec_attach *a = (void *)buf;

		a->cluster_id = rnd(r, p->nr_clusters);
		break;
	}
	case 8: {
		struct edgeai_exec_fetch *f = (void *)buf;

		f->buf_fds = arena_ptr(t, A_OUT);
		f->buf_fds_cap = chance(r, 90) ? 64 : rnd(r, 5);
		break;
	}
	case 9: {
		struct edgeai_exec_complete *cp = (void *)buf;

		cp->task_id = s->task_id;
		cp->status = chance(r, 85) ? 0 : -(int)(1 + rnd(r, 133));
		if (chance(r, 10))
			cp->flags = EDGEAI_COMPLETE_EOS;
		cp->exec_ns = rnd(r, 10) * MS;
		cp->energy_uj = rnd(r, 1000);
		break;
	}
	case 10: {
		struct edgeai_governor_set *gs = (void *)buf;
		uint32_t cl = rnd(r, p->nr_clusters);
		const char *g = gov_names[rnd(r, 4)];

		gs->cluster_id = cl;
		strcpy(gs->governor, g);
		if (!strcmp(g, "userspace") && chance(r, 70))
			gs->setspeed_khz = p->cluster_khz[cl % 16][rnd(r, 3)];
		break;
	}
	case 11: {
		struct edgeai_cluster_set_model *m = (void *)buf;
		uint32_t cl = rnd(r, p->nr_clusters), i;
		uint32_t *pw = (void *)(t->arena + A_IN), *sp = pw + 64;

		m->cluster_id = cl;
		m->nr_steps = chance(r, 20) ? 0 : p->cluster_nsteps[cl % 16];
		for (i = 0; i < 64; i++) {
			pw[i] = chance(r, 90) ? rnd(r, 5000) : (uint32_t)rnd_interesting(r);
			sp[i] = chance(r, 90) ? rnd(r, 1025) : (uint32_t)rnd_interesting(r);
		}
		if (m->nr_steps && chance(r, 70))
			m->power_mw = arena_ptr(t, A_IN);
		if (m->nr_steps && chance(r, 50))
			m->speed = arena_ptr(t, A_IN + 256);
		m->idle_mw = rnd(r, 500);
		m->switch_up_us = rnd(r, 2000);
		m->switch_down_us = rnd(r, 2000);
		break;
	}
	case 12: {
		struct edgeai_session_create *sc = (void *)buf;
		struct edgeai_session_buf *b = (void *)(t->arena + A_IN);
		uint32_t nb, i;
		struct slot o;

		sc->graph_id = pick_graph(t, s, &nb);
		sc->nr_bufs = 1 + rnd(r, nb < 2 ? 1 : 2);
		sc->bufs = arena_ptr(t, A_IN);
		sc->buf_size = sizeof(*b);
		sc->max_tokens = 1 + rnd(r, 16);
		for (i = 0; i < sc->nr_bufs; i++) {
			memset(&b[i], 0, sizeof(b[i]));
			b[i].fd = pool_pick(t, KIND(FK_MEMFD), &o) >= 0 ? o.fd : -1;
			b[i].index = rnd(r, nb);
			if (chance(r, 70))
				b[i].flags = EDGEAI_SESSION_BUF_STATE;
		}
		break;
	}
	case 13: {
		struct edgeai_session_destroy *d = (void *)buf;

		d->session_id = 1 + rnd(r, 4);
		break;
	}
	}
}

/* After a call that worked, remember what it made and tidy up. */
static void after_cmd(struct thr *t, int c, const uint8_t *arg, int idx,
		      const struct slot *s)
{
	switch (c) {
	case 2: {
		const struct edgeai_graph_create *g = (const void *)arg;

		slot_note_graph(t, idx, s->fd, g->graph_id, g->nr_buffers);
		break;
	}
	case 4: {
		const struct edgeai_job_submit *js = (const void *)arg;

		slot_note_job(t, idx, s->fd, js->job_id);
		stat_add(&stats->jobs_submitted, 1);
		break;
	}
	case 7:
		pthread_mutex_lock(&t->p->lock);
		if (t->p->slots[idx].fd == s->fd && t->p->slots[idx].kind == FK_DEV)
			t->p->slots[idx].kind = FK_EXEC;
		pthread_mutex_unlock(&t->p->lock);
		break;
	case 8: {
		const struct edgeai_exec_fetch *f = (const void *)arg;
		const int32_t *fds = (const void *)(uintptr_t)f->buf_fds;
		uint32_t i;

		slot_note_task(t, idx, s->fd, f->task_id);
		/* The descriptors the fetch installed are ours to close. */
		if (f->buf_fds >= arena_ptr(t, 0) &&
		    f->buf_fds + 64 * 4 <= arena_ptr(t, ARENA_RW))
			for (i = 0; i < f->nr_buffers && i < 64; i++)
				if (fds[i] > 2)
					close(fds[i]);
		if (f->model_fd > 2)
			close(f->model_fd);
		break;
	}
	case 9:
		stat_add(&stats->stages_run, 1);
		break;
	}
}

/* An ioctl number that is not one of the module's commands, most often. */
static unsigned long odd_cmd(struct thr *t, bool on_dev)
{
	static const unsigned int types[] = { EDGEAI_TYPE, 0, EDGEAI_TYPE + 1, 'T' };
	struct rng *r = &t->r;
	unsigned int type = on_dev ? types[rnd(r, 4)] : EDGEAI_TYPE;

	if (chance(r, 40))	/* a command's number with other bits */
		return _IOC(1 + rnd(r, 3), EDGEAI_TYPE,
			    EDGEAI_CMD_BASE + rnd(r, NR_CMDS), rnd(r, 512));
	return _IOC(rnd(r, 4), type, rnd(r, 256), rnd(r, 1024));
}

void fuzz_ioctl_one(struct thr *t)
{
	struct rng *r = &t->r;
	uint8_t buf[512] __attribute__((aligned(8)));
	int c = chance(r, 92) ? (int)rnd(r, NR_CMDS) : CMD_OTHER;
	struct slot s;
	unsigned long nr;
	int idx, nmut, i, err;
	size_t size, place;
	void *argp;
	long ret;

	idx = pool_pick(t, chance(r, 88) ? ANY_DEV : ~0, &s);
	if (idx < 0)
		return;
	if (s.kind != FK_DEV && s.kind != FK_EXEC)
		stat_add(&stats->ioctl_wrong_fd, 1);
	nr = c == CMD_OTHER ? odd_cmd(t, s.kind == FK_DEV || s.kind == FK_EXEC) :
	     cmd_nr[c];

	nmut = rnd(r, 10);
	nmut = nmut < 4 ? 0 : nmut < 7 ? 1 : nmut < 9 ? 2 : 3;
	gen_cmd(t, c == CMD_OTHER ? 0 : c, buf, &s, nmut > 0);
	size = c == CMD_OTHER ? 64 : cmd_size[c];
	for (i = 0; c != CMD_OTHER && i < nmut; i++)
		mutate_field(t, buf, &fields[c].f[rnd(r, fields[c].n)], &s);
	/* Mutations of an element size want a tail behind the element. */
	if (chance(r, 50))
		memset(t->arena + A_STAGES + sizeof(struct edgeai_stage) * 8, 0, 512);
	else
		t->arena[A_STAGES + sizeof(struct edgeai_stage) + rnd(r, 8)] = 1;

	/* The size the caller claims. */
	if (chance(r, 12)) {
		uint32_t v;

		switch (rnd(r, 8)) {
		case 0: v = 0; break;
		case 1: v = 4; break;
		case 2: v = (uint32_t)size - 1; break;
		case 3: v = (uint32_t)size + 8; break;	/* zero tail */
		case 4: v = (uint32_t)size + 16; buf[size + 3] = 0x5a; break;
		case 5: v = 4096; break;
		case 6: v = 0xffffffff; break;
		default: v = rnd(r, 600); break;
		}
		*(uint32_t *)buf = v;
	}

	/* Where the argument sits. */
	place = rnd(r, 100);
	if (place < 80) {
		memcpy(t->arena, buf, sizeof(buf));
		argp = t->arena;
	} else if (place < 88) {	/* across the guard page */
		size_t k = 1 + rnd(r, size);

		memcpy(t->guard - size - 8, buf, size);	/* in bounds first */
		memmove(t->guard - k, t->guard - size - 8, k);
		argp = t->guard - k;
		stat_add(&stats->efault_args, 1);
	} else if (place < 95) {	/* read-only: the copy back fails */
		mprotect(t->ro, 4096, PROT_READ | PROT_WRITE);
		memcpy(t->ro, buf, sizeof(buf));
		mprotect(t->ro, 4096, PROT_READ);
		stat_add(&stats->calls, 2);
		argp = t->ro;
		stat_add(&stats->efault_args, 1);
	} else if (place < 98) {
		argp = (void *)(uintptr_t)bad_ptr(t, (uintptr_t)t->arena);
		stat_add(&stats->efault_args, 1);
	} else {
		memcpy(t->arena + 1, buf, sizeof(buf) - 1);
		argp = t->arena + 1;
	}

	/* JOB_WAIT and EXEC_FETCH may block: never armed (see fault_arm()). */
	if (c != 5 && c != 8)
		fault_arm(t);
	ret = ioctl(s.fd, nr, argp);
	err = errno;
	fault_disarm(t);
	count_ioctl(c, ret, err);
	/* A call that worked had a readable, writable argument. */
	if (ret == 0 && c != CMD_OTHER && (s.kind == FK_DEV || s.kind == FK_EXEC))
		after_cmd(t, c, argp, idx, &s);
}

/* ---------------------------------------------------------------- lifecycle */

/*
 * A well-formed round trip, so that jobs really move through queues,
 * executors and stages while the mutated calls fly: a graph on a
 * submitter, jobs with fresh sealed buffers, an executor's fetch and
 * complete, a wait.
 */
void fuzz_lifecycle(struct thr *t)
{
	struct rng *r = &t->r;
	uint8_t buf[512] __attribute__((aligned(8)));
	struct slot s, e;
	int idx, eidx, i, n;
	long ret;

	stat_add(&stats->lifecycle, 1);
	idx = pool_pick(t, KIND(FK_DEV), &s);
	if (idx < 0)
		return;
	if (!s.nr_graphs || chance(r, 20)) {
		gen_cmd(t, 2, buf, &s, false);
		memcpy(t->arena, buf, sizeof(buf));
		((struct edgeai_graph_create *)t->arena)->buf_sizes = 0;
		ret = ioctl(s.fd, EDGEAI_IOCTL_GRAPH_CREATE, t->arena);
		count_ioctl(2, ret, errno);
		if (ret)
			return;
		after_cmd(t, 2, t->arena, idx, &s);
		pool_pick(t, KIND(FK_DEV), &s);	/* refresh: harmless if another */
	}
	n = 1 + rnd(r, 3);
	for (i = 0; i < n && s.nr_graphs; i++) {
		struct edgeai_job_submit *js = (void *)t->arena;
		int32_t fds[16];
		uint32_t k = rnd(r, s.nr_graphs), b, nb = s.graph_bufs[k];

		if (nb > 16)
			break;
		for (b = 0; b < nb; b++)
			fds[b] = memfd_of(4096, true);
		memset(js, 0, sizeof(*js));
		js->size = sizeof(*js);
		js->graph_id = s.graphs[k];
		js->priority = t->p->root ? rnd(r, EDGEAI_NR_PRIO) : 2 + rnd(r, 2);
		js->nr_buffers = nb;
		js->buf_fds = (uintptr_t)fds;
		if (chance(r, 30))
			js->deadline_ns = now_ns() + rnd(r, 100) * MS;
		fault_arm(t);
		ret = ioctl(s.fd, EDGEAI_IOCTL_JOB_SUBMIT, js);
		errno = ret ? errno : 0;
		fault_disarm(t);
		count_ioctl(4, ret, errno);
		if (!ret)
			after_cmd(t, 4, t->arena, idx, &s);
		for (b = 0; b < nb; b++)
			if (fds[b] >= 0)
				close(fds[b]);
		stat_add(&stats->calls, 3 * nb);
	}
	/* An executor takes whatever its cluster has, now and then fails it. */
	eidx = pool_pick(t, KIND(FK_EXEC), &e);
	for (i = 0; eidx >= 0 && i < 4; i++) {
		struct edgeai_exec_fetch *f = (void *)t->arena;
		struct edgeai_exec_complete cp = { .size = sizeof(cp) };
		int32_t *fds = (void *)(t->arena + A_OUT);
		struct pollfd pfd = { .fd = e.fd, .events = POLLIN };
		uint32_t b;

		memset(f, 0, sizeof(*f));
		f->size = sizeof(*f);
		f->buf_fds = (uintptr_t)fds;
		f->buf_fds_cap = 64;
		/* Another thread may take it first: a signal ends the wait. */
		if (poll(&pfd, 1, 0) != 1)
			break;
		ret = ioctl(e.fd, EDGEAI_IOCTL_EXEC_FETCH, f);
		count_ioctl(8, ret, errno);
		if (ret)
			break;
		for (b = 0; b < f->nr_buffers && b < 64; b++)
			if (fds[b] > 2)
				close(fds[b]);
		if (f->model_fd > 2)
			close(f->model_fd);
		if (chance(r, 5))
			break;	/* hold it: a close or a kill hands it back */
		cp.task_id = f->task_id;
		cp.status = chance(r, 90) ? 0 : -EIO;
		cp.exec_ns = 1000;
		/* A token step ends its session job now and then. */
		cp.flags = (f->fetch_flags & EDGEAI_FETCH_TOKEN_STEP) &&
			   !cp.status && chance(r, 30) ? EDGEAI_COMPLETE_EOS : 0;
		fault_arm(t);
		ret = ioctl(e.fd, EDGEAI_IOCTL_EXEC_COMPLETE, &cp);
		errno = ret ? errno : 0;
		fault_disarm(t);
		count_ioctl(9, ret, errno);
		if (!ret)
			stat_add(&stats->stages_run, 1);
	}
	/* Collect what finished, any. */
	for (i = 0; i < 4; i++) {
		struct edgeai_job_wait w = {
			.size = sizeof(w),
			.flags = EDGEAI_WAIT_NONBLOCK,
		};

		ret = ioctl(s.fd, EDGEAI_IOCTL_JOB_WAIT, &w);
		count_ioctl(5, ret, errno);
		if (ret)
			break;
	}
}
