// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-bench ctl: what the basic operations cost on this machine, to
 * read the figures by (in a TCG guest a system call or a context switch
 * costs tens of times what it does on hardware, and both paths are made
 * of little else).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <edgeai.h>

#include "bench.h"

#define ROUNDS	5
#define ITERS	400

enum { OP_SYSCALL, OP_IOCTL, OP_CLOSE, OP_CLOCK, OP_PINGPONG, NR_OPS };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* ns of one operation, the median of ROUNDS rounds of ITERS. */
static double calib_op(int op, struct edgeai *dev, int *ping, int *pong)
{
	uint64_t t[ROUNDS], t0;
	struct edgeai_info info;
	char c = 0;
	int r, i;

	for (r = 0; r < ROUNDS; r++) {
		t0 = edgeai_now_ns();
		for (i = 0; i < ITERS; i++) {
			switch (op) {
			case OP_SYSCALL:
				syscall(SYS_getppid);
				break;
			case OP_IOCTL:
				edgeai_get_info(dev, &info);
				break;
			case OP_CLOSE:
				close(dup(0));
				break;
			case OP_CLOCK:
				edgeai_now_ns();
				break;
			case OP_PINGPONG:
				if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
					return -1;
				break;
			}
		}
		t[r] = edgeai_now_ns() - t0;
	}
	qsort(t, ROUNDS, sizeof(t[0]), cmp_u64);
	return (double)t[ROUNDS / 2] / ITERS;
}

void ctl_calibrate(void)
{
	struct edgeai *dev = NULL;
	int ping[2], pong[2];
	double ns[NR_OPS];
	pid_t pid;
	char c;
	int op;

	if (pipe2(ping, O_CLOEXEC) || pipe2(pong, O_CLOEXEC))
		return;
	/* The other end of the ping-pong: two context switches a round. */
	pid = fork();
	if (pid == 0) {
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	if (edgeai_open(&dev))
		dev = NULL;
	for (op = 0; op < NR_OPS; op++)
		ns[op] = (op == OP_IOCTL && !dev) ? 0 :
			 calib_op(op, dev, ping, pong);
	close(ping[1]);
	close(pong[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	edgeai_close(dev);
	printf("machine: system call %.2f us, ", ns[OP_SYSCALL] / 1e3);
	if (ns[OP_IOCTL] > 0)
		printf("ioctl GET_INFO %.2f us, ", ns[OP_IOCTL] / 1e3);
	printf("dup+close %.2f us, clock read %.2f us, pipe round trip between two processes %.1f us\n",
	       ns[OP_CLOSE] / 1e3, ns[OP_CLOCK] / 1e3, ns[OP_PINGPONG] / 1e3);
}
