// SPDX-License-Identifier: GPL-2.0-only
/*
 * SESSION_CREATE's rule on state buffers, in the VM (brief k19): a new
 * session is refused (-EBUSY) when one of its state buffers is a buffer of
 * a live session, or one of its buffers is a live session's state; the
 * kernel answers it from an index of the inodes live sessions use, which
 * every case here must leave as it found it:
 *  - both directions: a new constant buffer on another's state (the inode
 *    sealed against writes after the first took it), a new state buffer
 *    on another's constant one (only by a race: a constant buffer's seal
 *    makes the inode no state buffer's, -EACCES, so the test stalls a
 *    create by userfaultfd between its state check and its link), state
 *    on state, and sessions that share constant buffers only (allowed);
 *  - one inode twice in one session (as state twice, as constant twice,
 *    as state and constant): allowed, and the others see it as in use
 *    until the session goes;
 *  - each clash gone once the other session is destroyed;
 *  - hundreds of sessions (max_graphs_per_fd a file, over several files)
 *    sharing one constant buffer, then a state clash among them, then
 *    every state free again once they are gone;
 *  - a create that fails after its buffers were linked (EMFILE at the
 *    file's session limit, EFAULT copying the result out), one refused by
 *    a clash of its second buffer, one that fails on a buffer before
 *    linking: none leaves a buffer in use;
 *  - on a kernel with fail-nth (make check-debug's): a create with its
 *    Nth faultable call failing, for every N it has; one that fails
 *    leaves no session and its buffers free, one that succeeds all the
 *    same holds them (Debian's kernels: SKIP);
 *  - processes racing for one state buffer: never two holders at once;
 *  - the kernel log stays clean, and nothing is left (stats/live_*);
 *  - a figure, not a check: a create's median time with one session live
 *    and with hundreds (the index keeps it flat).
 *
 * Loaded with tests/vm/sessions_clash_test.modparams.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "../fuzz/common.h"
#include "../lib/leaks.h"
#include "../lib/memfd.h"
#include "../lib/tap.h"
#include "../lib/util.h"

#define CL		0
#define PAGE		4096
/*
 * The graph's buffers: 0 the job's tokens; 1 and 2 constant (no stage
 * writes them); 3 and 4 written, so state buffers.
 */
#define NR_BUFS		5
#define B_IO		0
#define B_W		1
#define B_W2		2
#define B_KV		3
#define B_KV2		4
#define SIZE		4096
/* Files of hundreds of sessions: max_graphs_per_fd sessions each. */
#define NR_FILES	5
/* The most sessions a file may hold for this test (max_graphs_per_fd). */
#define MAX_PER_FD	256
/*
 * The race for one state buffer: each process holds it this many times,
 * trying at most RACE_TRIES times.
 */
#define RACE_WINS	50
/* Creates the figure times, with and without sessions live. */
#define BENCH_ROUNDS	200
#define RACE_TRIES	100000

static int dev, dev2;
static uint32_t graph, graph2;
static unsigned int per_fd;

/*
 * A graph of @nr buffers: 0 the job's tokens, the last two written (state
 * buffers), the others constant.
 */
static uint32_t graph_make(int fd, uint32_t nr)
{
	uint64_t sizes[64];
	uint64_t all = nr == 64 ? ~0ull : (1ull << nr) - 1;
	uint64_t states = 3ull << (nr - 2);
	struct edgeai_stage stages[2] = {
		{ .cluster_id = CL, .nr_layers = 1, .cost_ns = 1000000,
		  .in_mask = all & ~states, .out_mask = states },
		{ .cluster_id = CL, .nr_layers = 1, .first_layer = 1,
		  .cost_ns = 1000000, .in_mask = all,
		  .out_mask = 1ull << B_IO | states },
	};
	struct edgeai_graph_create g = { .size = sizeof(g), .model_fd = -1,
		.nr_stages = 2, .stages = (uintptr_t)stages,
		.stage_size = sizeof(stages[0]), .nr_buffers = nr,
		.buf_sizes = (uintptr_t)sizes };
	uint32_t i;

	for (i = 0; i < nr; i++)
		sizes[i] = i == B_IO ? 64 : SIZE;
	snprintf(g.name, sizeof(g.name), "clash");
	if (xioctl(fd, EDGEAI_IOCTL_GRAPH_CREATE, &g)) {
		perror("graph");
		exit(2);
	}
	return g.graph_id;
}

static uint32_t graph_create(int fd)
{
	return graph_make(fd, NR_BUFS);
}

/* A state buffer's memfd, and a constant buffer's. */
static int kv_new(void)
{
	return memfd_sealed(SIZE, F_SEAL_SHRINK | F_SEAL_GROW);
}

static int w_new(void)
{
	return memfd_sealed(SIZE, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
}

static struct edgeai_session_buf sbuf(int fd, uint32_t index, bool state)
{
	return (struct edgeai_session_buf){ .fd = fd, .index = index,
		.flags = state ? EDGEAI_SESSION_BUF_STATE : 0 };
}

static void create_init(struct edgeai_session_create *c, uint32_t g,
			const struct edgeai_session_buf *b, uint32_t n)
{
	*c = (struct edgeai_session_create){ .size = sizeof(*c),
		.graph_id = g, .nr_bufs = n, .bufs = (uintptr_t)b,
		.buf_size = sizeof(*b), .max_tokens = 4 };
}

/* SESSION_CREATE on @fd's graph @g: 0 and the id in *@id, or -errno. */
static long create(int fd, uint32_t g, const struct edgeai_session_buf *b,
		   uint32_t n, uint32_t *id)
{
	struct edgeai_session_create c;
	long r;

	create_init(&c, g, b, n);
	r = xioctl(fd, EDGEAI_IOCTL_SESSION_CREATE, &c);
	if (!r && id)
		*id = c.session_id;
	return r;
}

static void destroy(int fd, uint32_t id)
{
	struct edgeai_session_destroy d = { .size = sizeof(d),
					    .session_id = id };

	if (xioctl(fd, EDGEAI_IOCTL_SESSION_DESTROY, &d))
		diag("SESSION_DESTROY %u failed", id);
}

/* Whether a session on @fd2 may now take @fd as its state: then undone. */
static bool state_free(int fd)
{
	struct edgeai_session_buf b = sbuf(fd, B_KV, true);
	uint32_t id;

	if (create(dev2, graph2, &b, 1, &id))
		return false;
	destroy(dev2, id);
	return true;
}

/* Whether a session on dev2 may now take @fd as a constant buffer. */
static bool constant_free(int fd)
{
	struct edgeai_session_buf b = sbuf(fd, B_W, false);
	uint32_t id;

	if (create(dev2, graph2, &b, 1, &id))
		return false;
	destroy(dev2, id);
	return true;
}

static void test_directions(void)
{
	int w = w_new(), kv = kv_new(), kv2 = kv_new(), x = kv_new();
	struct edgeai_session_buf a[2] = { sbuf(w, B_W, false),
					   sbuf(kv, B_KV, true) };
	struct edgeai_session_buf b[2];
	uint32_t ida, idb;
	long r;

	ok_errno(create(dev, graph, a, 2, &ida), 0,
		 "session A: a constant buffer and a state buffer");

	b[0] = sbuf(w, B_W, false);
	b[1] = sbuf(kv2, B_KV, true);
	r = create(dev2, graph2, b, 2, &idb);
	ok_errno(r, 0, "B sharing only A's constant buffer: allowed");
	if (!r)
		destroy(dev2, idb);

	b[0] = sbuf(kv, B_KV, true);
	ok_errno(create(dev2, graph2, b, 1, NULL), -EBUSY,
		 "B's state buffer on A's state buffer: EBUSY");
	b[0] = sbuf(kv, B_KV2, true);
	ok_errno(create(dev2, graph2, b, 1, NULL), -EBUSY,
		 "... at another index of another graph: EBUSY");
	ok_errno(create(dev, graph, b, 1, NULL), -EBUSY,
		 "... from A's own file: EBUSY");

	/* A takes x as state; then x is sealed, fit to be a constant buffer. */
	a[0] = sbuf(x, B_KV2, true);
	ok_errno(create(dev, graph, a, 1, &idb), 0,
		 "session A2 with a state buffer x");
	ok(!fcntl(x, F_ADD_SEALS, F_SEAL_WRITE),
	   "x sealed against writes while A2 holds it as state");
	b[0] = sbuf(x, B_W, false);
	ok_errno(create(dev2, graph2, b, 1, NULL), -EBUSY,
		 "B's constant buffer on A2's state buffer: EBUSY");
	b[0] = sbuf(x, B_W2, false);
	b[1] = sbuf(kv2, B_KV, true);
	ok_errno(create(dev2, graph2, b, 2, NULL), -EBUSY,
		 "... with a free state buffer next to it: EBUSY");
	ok(state_free(kv2), "a refused create left its free state buffer free");

	ok(constant_free(w), "B on A's constant buffer alone: allowed");

	destroy(dev, idb);
	ok(constant_free(x),
	   "A2 destroyed: its former state x is free as a constant buffer");
	destroy(dev, ida);
	ok(state_free(kv), "A destroyed: its state buffer is free again");
	ok(constant_free(w), "... and its constant buffer");

	/*
	 * A state buffer on a live constant one: the constant one's seal
	 * makes it no state buffer at all, and that is what refuses it.
	 */
	a[0] = sbuf(w, B_W, false);
	ok_errno(create(dev, graph, a, 1, &ida), 0, "A with constant w again");
	b[0] = sbuf(w, B_KV, true);
	ok_errno(create(dev2, graph2, b, 1, NULL), -EACCES,
		 "B's state buffer on A's constant one (sealed): EACCES first");
	destroy(dev, ida);
	close(w);
	close(kv);
	close(kv2);
	close(x);
}

/*
 * A SESSION_CREATE in a thread whose buffer table's second entry lies on a
 * page userfaultfd holds back: the kernel has checked the first entry and
 * waits in copying the second, until the test provides it.
 */
struct stall {
	int uffd;
	uint8_t *area;
	int fd;
	uint32_t g;
	struct edgeai_session_buf second;
	pthread_t thread;
	long ret;
	uint32_t id;
};

static void *stall_run(void *arg)
{
	struct stall *st = arg;
	struct edgeai_session_buf *b = (struct edgeai_session_buf *)
		(st->area + PAGE - sizeof(*b));
	struct edgeai_session_create c;

	create_init(&c, st->g, b, 2);
	st->ret = xioctl(st->fd, EDGEAI_IOCTL_SESSION_CREATE, &c);
	st->id = c.session_id;
	return NULL;
}

/*
 * Start a create of @first then @second on @fd's graph @g, and wait until
 * it is held on the second: 0, or -1 when userfaultfd cannot do it.
 */
static int stall_start(struct stall *st, int fd, uint32_t g,
		       struct edgeai_session_buf first,
		       struct edgeai_session_buf second)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct pollfd p;
	struct uffd_msg m;

	memset(st, 0, sizeof(*st));
	st->fd = fd;
	st->g = g;
	st->second = second;
	st->area = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (st->area == MAP_FAILED)
		return -1;
	memcpy(st->area + PAGE - sizeof(first), &first, sizeof(first));
	st->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (st->uffd < 0 || ioctl(st->uffd, UFFDIO_API, &api))
		return -1;
	reg.range.start = (uintptr_t)st->area + PAGE;
	reg.range.len = PAGE;
	if (ioctl(st->uffd, UFFDIO_REGISTER, &reg))
		return -1;
	if (pthread_create(&st->thread, NULL, stall_run, st))
		return -1;
	p = (struct pollfd){ st->uffd, POLLIN, 0 };
	if (poll(&p, 1, 5000) != 1 || read(st->uffd, &m, sizeof(m)) != sizeof(m) ||
	    m.event != UFFD_EVENT_PAGEFAULT) {
		diag("the create did not stall on its second entry");
		return -1;
	}
	return 0;
}

/* Let the held create read its second entry and finish: its result. */
static long stall_finish(struct stall *st)
{
	static uint8_t src[PAGE] __attribute__((aligned(PAGE)));
	struct uffdio_copy cp = { .dst = (uintptr_t)st->area + PAGE,
		.src = (uintptr_t)src, .len = PAGE };

	memset(src, 0, sizeof(src));
	memcpy(src, &st->second, sizeof(st->second));
	if (ioctl(st->uffd, UFFDIO_COPY, &cp))
		diag("UFFDIO_COPY: %s", strerror(errno));
	pthread_join(st->thread, NULL);
	close(st->uffd);
	munmap(st->area, 2 * PAGE);
	return st->ret;
}

static void test_state_on_constant_race(void)
{
	int x = kv_new(), kv = kv_new();
	struct edgeai_session_buf a = sbuf(x, B_W, false);
	struct stall st;
	uint32_t ida;
	long r;

	/* B: state x (checked unsealed), then held on its second entry. */
	if (stall_start(&st, dev2, graph2, sbuf(x, B_KV, true),
			sbuf(kv, B_KV2, true))) {
		skip("no userfaultfd to stall a create: %s", strerror(errno));
		close(x);
		close(kv);
		return;
	}
	/* A, meanwhile: seals x and takes it as a constant buffer. */
	ok(!fcntl(x, F_ADD_SEALS, F_SEAL_WRITE) &&
	   !create(dev, graph, &a, 1, &ida),
	   "while B is held past its state check on x, A takes x as constant");
	r = stall_finish(&st);
	ok_errno(r, -EBUSY, "B's state buffer on A's constant one: EBUSY");
	if (!r)
		destroy(dev2, st.id);
	ok(constant_free(x) && state_free(kv),
	   "B refused: neither of its buffers was left in use as its state");
	destroy(dev, ida);

	/* One session, x as its state then as a constant buffer. */
	if (stall_start(&st, dev, graph, sbuf(kv, B_KV, true),
			sbuf(kv, B_W, false))) {
		skip("no userfaultfd to stall a create: %s", strerror(errno));
		close(x);
		close(kv);
		return;
	}
	ok(!fcntl(kv, F_ADD_SEALS, F_SEAL_WRITE),
	   "one session held between kv as state and kv as constant; kv sealed");
	r = stall_finish(&st);
	ok_errno(r, 0, "one inode as state and as constant in one session: allowed");
	if (!r) {
		ok(!constant_free(kv),
		   "... and another session cannot take it as constant (EBUSY)");
		destroy(dev, st.id);
		ok(constant_free(kv), "... until it is destroyed");
	} else {
		skip("no session to look at");
		skip("no session to look at");
	}
	close(x);
	close(kv);
}

static void test_twice_in_one(void)
{
	int kv = kv_new(), w = w_new();
	struct edgeai_session_buf b[2] = { sbuf(kv, B_KV, true),
					   sbuf(kv, B_KV2, true) };
	uint32_t id;
	long r;

	r = create(dev, graph, b, 2, &id);
	ok_errno(r, 0, "one inode as two state buffers of one session: allowed");
	if (!r) {
		ok(!state_free(kv),
		   "... another session cannot take it as state (EBUSY)");
		destroy(dev, id);
		ok(state_free(kv),
		   "... until it is destroyed: both uses left the index");
	} else {
		skip("no session to look at");
		skip("no session to look at");
	}

	b[0] = sbuf(w, B_W, false);
	b[1] = sbuf(w, B_W2, false);
	r = create(dev, graph, b, 2, &id);
	ok_errno(r, 0, "one inode as two constant buffers of one session: allowed");
	ok(constant_free(w), "... and another session may share it");
	if (!r)
		destroy(dev, id);
	close(kv);
	close(w);
}

/* Hundreds of sessions on one constant buffer, then a state clash. */
static void test_many(void)
{
	static uint32_t ids[NR_FILES][MAX_PER_FD];
	static int kvs[NR_FILES][MAX_PER_FD];
	int fds[NR_FILES], w = w_new();
	uint32_t graphs[NR_FILES], made = 0, f, i, n = per_fd;
	struct edgeai_session_buf b[2];
	bool created = true, clash, freed = true;

	for (f = 0; f < NR_FILES; f++) {
		fds[f] = dev_open();
		graphs[f] = graph_create(fds[f]);
		for (i = 0; i < n; i++) {
			kvs[f][i] = kv_new();
			b[0] = sbuf(w, B_W, false);
			b[1] = sbuf(kvs[f][i], B_KV, true);
			if (create(fds[f], graphs[f], b, 2, &ids[f][i])) {
				created = false;
				close(kvs[f][i]);
				kvs[f][i] = -1;
				continue;
			}
			made++;
		}
	}
	ok(created && made == NR_FILES * n,
	   "%u sessions over %u files share one constant buffer (%u made)",
	   NR_FILES * n, NR_FILES, made);

	b[0] = sbuf(w, B_W, false);
	b[1] = sbuf(kvs[NR_FILES / 2][n / 2], B_KV, true);
	clash = create(dev2, graph2, b, 2, NULL) == -EBUSY;
	b[0] = sbuf(kvs[NR_FILES - 1][n - 1], B_KV, true);
	clash &= create(dev2, graph2, b, 1, NULL) == -EBUSY;
	ok(clash, "among them, a new session on one's state buffer: EBUSY (middle and last)");
	ok(constant_free(w), "... and on the shared constant buffer: allowed");

	for (f = 0; f < NR_FILES; f++) {
		for (i = 0; i < n; i += 2)
			if (kvs[f][i] >= 0)
				destroy(fds[f], ids[f][i]);
	}
	for (f = 0; f < NR_FILES && freed; f++)
		for (i = 0; i < n && freed; i++)
			if (kvs[f][i] >= 0)
				freed = state_free(kvs[f][i]) == !(i & 1);
	ok(freed, "half of them destroyed: exactly their state buffers are free");
	for (f = 0; f < NR_FILES; f++)
		close(fds[f]);
	freed = true;
	for (f = 0; f < NR_FILES; f++)
		for (i = 0; i < n; i++)
			if (kvs[f][i] >= 0) {
				freed &= state_free(kvs[f][i]);
				close(kvs[f][i]);
			}
	ok(freed, "their files closed: every state buffer is free again");
	close(w);
}

/* Creates that fail after linking, or part way: nothing left in use. */
static void test_failures(void)
{
	struct edgeai_session_create c, *ro;
	struct edgeai_session_buf b[2];
	int kv = kv_new(), kv2 = kv_new(), fd = dev_open();
	uint32_t g = graph_create(fd), i, n = 0, ids[MAX_PER_FD];
	long r = 0;

	/* The file's max_graphs_per_fd sessions, then one more. */
	for (i = 0; i < per_fd; i++) {
		b[0] = sbuf(kv_new(), B_KV, true);
		r = create(fd, g, b, 1, &ids[n]);
		close(b[0].fd);
		if (r)
			break;
		n++;
	}
	b[0] = sbuf(kv, B_KV, true);
	r = create(fd, g, b, 1, NULL);
	ok_errno(r, -EMFILE, "a create past the file's %u sessions (after linking): EMFILE",
		 per_fd);
	ok(state_free(kv), "... left its state buffer free");
	for (i = 0; i < n; i++)
		destroy(fd, ids[i]);

	b[0] = sbuf(kv, B_KV, true);
	create_init(&c, graph, b, 1);
	ro = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED)
		exit(2);
	memcpy(ro, &c, sizeof(c));
	mprotect(ro, PAGE, PROT_READ);
	ok_errno(xioctl(dev, EDGEAI_IOCTL_SESSION_CREATE, ro), -EFAULT,
		 "a create whose result cannot be copied out (after linking): EFAULT");
	ok(state_free(kv), "... left its state buffer free");
	munmap(ro, PAGE);

	b[0] = sbuf(kv, B_KV, true);
	b[1] = sbuf(999, B_KV2, true);
	ok_errno(create(dev, graph, b, 2, NULL), -EBADF,
		 "a create failing on its second buffer (before linking): EBADF");
	ok(state_free(kv), "... left its first state buffer free");

	b[0] = sbuf(kv2, B_KV, true);
	r = create(dev2, graph2, b, 1, &i);
	b[0] = sbuf(kv, B_KV, true);
	b[1] = sbuf(kv2, B_KV2, true);
	ok_errno(create(dev, graph, b, 2, NULL), -EBUSY,
		 "a create whose second state buffer clashes: EBUSY");
	ok(state_free(kv), "... left its first state buffer free");
	if (!r)
		destroy(dev2, i);
	ok(state_free(kv2), "the other destroyed, the clashing one is free");
	close(fd);
	close(kv);
	close(kv2);
}

/*
 * Every fault site of a create (debug kernels: fail-nth with failslab and
 * fail_usercopy): its Nth faultable call fails, N = 1, 2, ... until a
 * create succeeds with the fault left unfired.  A create that fails leaves
 * no session and no entry in the buffer index: its state buffer is free
 * for another session at once.
 */
static void test_fault_sites(void)
{
	int kv = kv_new(), w = w_new(),
	    fail = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	struct edgeai_session_buf b[2] = { sbuf(w, B_W, false),
					   sbuf(kv, B_KV, true) };
	long long live = stat_of("live_sessions");
	unsigned int n, failed = 0, bad = 0, anyway = 0;
	bool covered = false;

	if (fail < 0 || access("/sys/kernel/debug/failslab", F_OK)) {
		skip("every fault site of SESSION_CREATE: no fail-nth or failslab in this kernel (CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB; make check-debug has them)");
		goto out;
	}
	write_file("/sys/kernel/debug/failslab/ignore-gfp-wait", "N");
	write_file("/sys/kernel/debug/failslab/verbose", "0");
	write_file("/sys/kernel/debug/fail_usercopy/verbose", "0");
	for (n = 1; n <= 1000 && !covered; n++) {
		char buf[16] = "";
		bool fired;
		uint32_t id;
		ssize_t k;
		long r;

		snprintf(buf, sizeof(buf), "%u", n);
		if (pwrite(fail, buf, strlen(buf), 0) < 0) {
			diag("fail-nth %u: %s", n, strerror(errno));
			break;
		}
		r = create(dev, graph, b, 2, &id);
		k = pread(fail, buf, sizeof(buf) - 1, 0);
		buf[k > 0 ? k : 0] = 0;
		fired = !atoi(buf);
		/* Disarmed, or the write's own copy was the Nth call. */
		if (pwrite(fail, "0", 1, 0) < 0 && errno != EFAULT) {
			diag("fail-nth 0: %s", strerror(errno));
			break;
		}
		if (!r) {
			/* Created all the same: its state buffer is its own. */
			if (fired && state_free(kv) && bad++ < 3)
				diag("fault %u: created, but its state buffer is free to others",
				     n);
			destroy(dev, id);
			covered = !fired;
			anyway += fired;
			continue;
		}
		failed++;
		if ((r != -ENOMEM && r != -EFAULT) || !fired || !state_free(kv) ||
		    stat_of("live_sessions") != live) {
			if (bad++ < 3)
				diag("fault %u: %ld (%s), fired %d", n, r,
				     strerror((int)-r), fired);
		}
	}
	ok(covered && failed && !bad,
	   "every fault site of SESSION_CREATE (%u): %u failed with ENOMEM or EFAULT leaving no session and its buffers free, %u created anyway holding them (%u bad)",
	   n - 1, failed, anyway, bad);
out:
	if (fail >= 0)
		close(fail);
	close(kv);
	close(w);
}

/*
 * Processes race for one state buffer with create and destroy: a holder
 * counts itself in shared memory while it holds it; two at once would be
 * a check and a link that were not one step.
 */
enum { R_HOLDERS, R_OVERLAPS, R_HELD, R_READY, R_REFUSED };

static void test_race(void)
{
	int *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int kv = kv_new(), w = w_new(), status, bad = 0, i;
	unsigned int wins = 0;
	pid_t pids[3];

	if (shared == MAP_FAILED)
		exit(2);
	memset(shared, 0, PAGE);
	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int fd = dev_open(), won = 0, n, h;
			uint32_t g = graph_create(fd), id;
			struct edgeai_session_buf b[2] = {
				sbuf(w, B_W, false), sbuf(kv, B_KV, true) };

			/* All start together, each on its own file. */
			__atomic_add_fetch(&shared[R_READY], 1, __ATOMIC_SEQ_CST);
			while (__atomic_load_n(&shared[R_READY], __ATOMIC_SEQ_CST) < 3)
				sched_yield();
			for (n = 0; n < RACE_TRIES && won < RACE_WINS; n++) {
				if (create(fd, g, b, 2, &id)) {
					__atomic_add_fetch(&shared[R_REFUSED], 1, __ATOMIC_SEQ_CST);
					continue;
				}
				h = __atomic_add_fetch(&shared[R_HOLDERS], 1, __ATOMIC_SEQ_CST);
				if (h != 1)
					__atomic_add_fetch(&shared[R_OVERLAPS], 1, __ATOMIC_SEQ_CST);
				__atomic_add_fetch(&shared[R_HELD], 1, __ATOMIC_SEQ_CST);
				won++;
				usleep(100);
				__atomic_sub_fetch(&shared[R_HOLDERS], 1, __ATOMIC_SEQ_CST);
				destroy(fd, id);
			}
			_exit(0);
		}
		/* No such process: let the others go all the same. */
		if (pids[i] < 0)
			__atomic_add_fetch(&shared[R_READY], 1, __ATOMIC_SEQ_CST);
	}
	for (i = 0; i < 3; i++)
		if (pids[i] < 0 || waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	wins = (unsigned int)shared[R_HELD];
	ok(!bad && !shared[R_OVERLAPS] && wins == 3 * RACE_WINS,
	   "3 processes each holding one state buffer %d times: never two holders (%u held, %d refused, %d overlaps)",
	   RACE_WINS, wins, shared[R_REFUSED], shared[R_OVERLAPS]);
	ok(state_free(kv), "... and it is free once they are done");
	munmap(shared, PAGE);
	close(kv);
	close(w);
}

/*
 * A figure, not a check: a create of a session of nearly max_buffers
 * buffers, with NR_FILES files of such sessions live against
 * with one.  The walk the index replaced compared every pair of buffers
 * of the new session and of each live one.
 */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median time of BENCH_ROUNDS creates, each destroyed again. */
static uint64_t create_cost(int fd, uint32_t g,
			    const struct edgeai_session_buf *b, uint32_t n)
{
	static uint64_t took[BENCH_ROUNDS];
	uint64_t t;
	uint32_t i, id;

	for (i = 0; i < BENCH_ROUNDS; i++) {
		t = now_ns();
		if (create(fd, g, b, n, &id)) {
			diag("create failed during the figure");
			return 0;
		}
		took[i] = now_ns() - t;
		destroy(fd, id);
	}
	qsort(took, BENCH_ROUNDS, sizeof(took[0]), cmp_u64);
	return took[BENCH_ROUNDS / 2];
}

static void bench_create(uint32_t max_buffers)
{
	struct edgeai_session_buf b[64];
	int fds[NR_FILES], fd = dev_open(), ws[64], kv = kv_new();
	uint32_t nr = max_buffers < 64 ? max_buffers : 64, n = nr - 2, f, i;
	uint32_t g = graph_make(fd, nr), gs[NR_FILES], live = 0, id;
	uint64_t one, many;

	/* Constants 1..nr-3, shared by all; each its own state nr-2. */
	for (i = 1; i < n; i++) {
		ws[i] = w_new();
		b[i - 1] = sbuf(ws[i], i, false);
	}
	/* One session holds the constants, as the many below will. */
	b[n - 1] = sbuf(kv_new(), nr - 2, true);
	live = !create(fd, g, b, n, &id);
	close(b[n - 1].fd);
	b[n - 1].fd = kv;
	/* Once unmeasured: the first rounds are slow in an emulated guest. */
	create_cost(fd, g, b, n);
	one = create_cost(fd, g, b, n);
	for (f = 0; f < NR_FILES; f++) {
		fds[f] = dev_open();
		gs[f] = graph_make(fds[f], nr);
		for (i = 0; i < per_fd; i++) {
			b[n - 1].fd = kv_new();
			live += !create(fds[f], gs[f], b, n, &id);
			close(b[n - 1].fd);
		}
	}
	b[n - 1].fd = kv;
	many = create_cost(fd, g, b, n);
	diag("figure: SESSION_CREATE of a %u-buffer session, median: %llu ns with 1 such live, %llu ns with %u (x%.2f)",
	     n, (unsigned long long)one, (unsigned long long)many, live,
	     one ? (double)many / (double)one : 0.0);
	for (f = 0; f < NR_FILES; f++)
		close(fds[f]);
	for (i = 1; i < n; i++)
		close(ws[i]);
	close(kv);
	close(fd);
}

int main(void)
{
	struct edgeai_info info = { .size = sizeof(info) };
	int kmsg = kmsg_open();

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = dev_open();
	dev2 = dev_open();
	if (xioctl(dev, EDGEAI_IOCTL_GET_INFO, &info) ||
	    !(info.features & EDGEAI_FEAT_SESSIONS)) {
		fprintf(stderr, "no sessions\n");
		return 2;
	}
	per_fd = info.max_graphs_per_fd;
	if (per_fd > MAX_PER_FD) {
		fprintf(stderr, "max_graphs_per_fd above %d\n", MAX_PER_FD);
		return 2;
	}
	graph = graph_create(dev);
	graph2 = graph_create(dev2);

	test_directions();
	test_state_on_constant_race();
	test_twice_in_one();
	test_many();
	test_failures();
	test_fault_sites();
	test_race();
	bench_create(info.max_buffers);

	close(dev);
	close(dev2);
	live_all_freed();
	kmsg_check(kmsg);
	return tap_done();
}
