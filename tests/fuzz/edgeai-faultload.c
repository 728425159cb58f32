// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeai-faultload: load edgeai.ko with the Nth allocation (or user copy)
 * of the load failing, for N = 1, 2, ... until a load sees no fault: every
 * error path of the module's init, one after the other.  Needs a kernel
 * with CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB and fail-nth (the debug
 * tier); says SKIP elsewhere.
 *
 *   edgeai-faultload MODULE.ko "PARAMS" [MAX]
 *
 * After each load: it either worked (then it must unload) or failed
 * cleanly: no device node, no sysfs directory left.  The harness then
 * checks the kernel log, and kmemleak what was not freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"
#include "../lib/tap.h"

static void *slurp(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st))
		return NULL;
	buf = malloc(st.st_size);
	if (buf && read(fd, buf, st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = st.st_size;
	return buf;
}

int main(int argc, char **argv)
{
	unsigned int n, max = argc > 3 ? (unsigned int)atoi(argv[3]) : 2000;
	unsigned int loaded = 0, refused = 0, unclean = 0, stuck = 0;
	const char *params = argc > 2 ? argv[2] : "";
	size_t len = 0;
	void *image;
	int fail_fd;
	bool covered = false;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fputs("usage: edgeai-faultload MODULE.ko \"PARAMS\" [MAX]\n", stderr);
		return 2;
	}
	fail_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fail_fd < 0 || access("/sys/kernel/debug/failslab", F_OK)) {
		skip("no fail-nth or failslab in this kernel (CONFIG_FAULT_INJECTION)");
		return tap_done();
	}
	write_file("/sys/kernel/debug/failslab/ignore-gfp-wait", "N");
	write_file("/sys/kernel/debug/failslab/verbose", "0");
	write_file("/sys/kernel/debug/fail_usercopy/verbose", "0");
	image = slurp(argv[1], &len);
	if (!ok(image != NULL, "read %s (%zu bytes)", argv[1], len))
		return tap_done();

	for (n = 1; n <= max; n++) {
		char buf[16];
		int ret, k;
		ssize_t r;

		snprintf(buf, sizeof(buf), "%u", n);
		if (pwrite(fail_fd, buf, strlen(buf), 0) < 0)
			break;
		ret = syscall(SYS_init_module, image, len, params) ? -errno : 0;
		r = pread(fail_fd, buf, sizeof(buf) - 1, 0);
		buf[r > 0 ? r : 0] = 0;
		/* Still armed: the load made fewer than n faultable calls. */
		if (r > 0 && atoi(buf) > 0) {
			for (k = 0; k < 4 && pwrite(fail_fd, "0", 1, 0) != 1; k++)
				;
			covered = true;
		}
		if (ret == 0) {
			loaded++;
			for (k = 0; k < 50 && try_rmmod("edgeai"); k++)
				usleep(100000);
			if (k == 50)
				stuck++;
		} else {
			refused++;
			if (!access(DEV_PATH, F_OK) || !access(SYS_EDGEAI, F_OK))
				unclean++;
		}
		if (covered)
			break;
	}
	diag("%u loads with the Nth faultable call failing: %u loaded anyway, %u refused",
	     n, loaded, refused);
	ok(covered, "every fault site of the load was reached (%u of them)", n - 1);
	ok(refused > 0, "some loads failed on the injected fault (%u)", refused);
	ok(!unclean, "a failed load leaves no device or sysfs directory behind (%u did)", unclean);
	ok(!stuck, "every load that worked unloads (%u did not)", stuck);
	ok(try_rmmod("edgeai") == -ENOENT, "the module is not loaded at the end");
	return tap_done();
}
