// SPDX-License-Identifier: GPL-2.0-only
/*
 * The writable sysfs files of a cluster, governor and setspeed, against
 * docs/ABI/sysfs-class-misc-edgeai: a write of anything but one of
 * available_governors (or, under the userspace governor, a frequency in
 * the cluster's range) fails with EINVAL and changes nothing; a good one
 * takes effect (setspeed rounded down to a step); only root may write.
 *
 * Loaded with tests/vm/sysfs_write_test.modparams: virtual clusters little
 * (400, 800, 1400 MHz) and gpu (200, 800 MHz).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/child.h"
#include "../lib/tap.h"

#define CL "/sys/class/misc/edgeai/clusters/"

static char *rd(const char *cluster, const char *file)
{
	static char buf[4][256];
	static int slot;
	char path[256], *b = buf[slot++ % 4];
	FILE *f;

	snprintf(path, sizeof(path), CL "%s/%s", cluster, file);
	b[0] = 0;
	f = fopen(path, "r");
	if (f) {
		if (!fgets(b, 256, f))
			b[0] = 0;
		fclose(f);
	}
	b[strcspn(b, "\n")] = 0;
	return b;
}

/* One write(2) of exactly @len bytes: 0 or -errno. */
static int wr_len(const char *cluster, const char *file, const char *val, size_t len)
{
	char path[256];
	int fd, ret = 0;

	snprintf(path, sizeof(path), CL "%s/%s", cluster, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, len) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int wr(const char *cluster, const char *file, const char *val)
{
	return wr_len(cluster, file, val, strlen(val));
}

/* A bad write: EINVAL, and governor, setspeed and cur_freq unchanged. */
static void bad(const char *cluster, const char *file, const char *val, size_t len,
		const char *what)
{
	char gov[64], speed[64], cur[64];
	int ret;

	snprintf(gov, sizeof(gov), "%s", rd(cluster, "governor"));
	snprintf(speed, sizeof(speed), "%s", rd(cluster, "setspeed"));
	snprintf(cur, sizeof(cur), "%s", rd(cluster, "cur_freq"));
	ret = wr_len(cluster, file, val, len);
	ok(ret == -EINVAL && !strcmp(gov, rd(cluster, "governor")) &&
	   !strcmp(speed, rd(cluster, "setspeed")) && !strcmp(cur, rd(cluster, "cur_freq")),
	   "%s %s: %s -> %s, nothing changed", cluster, file, what,
	   ret ? strerror(-ret) : "accepted");
}

static void test_governor(const char *cl)
{
	static const char *const bads[] = {
		"\n", "bogus", "performance x", " performance", "PERFORMANCE",
		"perf", "performancex", "userspace 800000",
	};
	char avail[256], *g, *save;
	unsigned int i;

	snprintf(avail, sizeof(avail), "%s", rd(cl, "available_governors"));
	ok(!strcmp(avail, "performance powersave userspace deadline"),
	   "%s: available_governors lists the four (%s)", cl, avail);
	for (g = strtok_r(avail, " ", &save); g; g = strtok_r(NULL, " ", &save)) {
		char line[64];

		snprintf(line, sizeof(line), "%s\n", g);
		ok(wr(cl, "governor", line) == 0 && !strcmp(rd(cl, "governor"), g),
		   "%s: governor %s (with a newline) selected", cl, g);
		ok(wr(cl, "governor", g) == 0 && !strcmp(rd(cl, "governor"), g),
		   "%s: governor %s (without) selected", cl, g);
	}
	wr(cl, "governor", "powersave");
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "\"%s\"", bads[i]);
		for (char *p = what; *p; p++)
			if (*p == '\n')
				*p = '/';
		bad(cl, "governor", bads[i], strlen(bads[i]), what);
	}
	bad(cl, "governor", "perf\0ormance", 12, "an embedded NUL");
	/* sysfs hands a store nothing for an empty write: it must not matter. */
	ok(wr(cl, "governor", "") == 0 && !strcmp(rd(cl, "governor"), "powersave"),
	   "%s: an empty write changes nothing", cl);
	{
		char longname[300];

		memset(longname, 'a', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = 0;
		bad(cl, "governor", longname, strlen(longname), "300 bytes");
	}
}

static void test_setspeed(const char *cl, const char *lo, const char *mid,
			  const char *between, const char *between_step, const char *hi)
{
	static const char *const junk[] = {
		"abc", "-1", "0", "1e6", "800000 1", "0x1000", "4294967296",
		"99999999999999999999",
	};
	char below[32], above[32];
	unsigned int i;

	ok_errno(wr(cl, "governor", "performance"), 0, "%s: performance", cl);
	ok(!strcmp(rd(cl, "setspeed"), "<unsupported>"),
	   "%s: setspeed reads <unsupported> under performance (%s)", cl, rd(cl, "setspeed"));
	bad(cl, "setspeed", mid, strlen(mid), "a good frequency under performance");

	ok_errno(wr(cl, "governor", "userspace"), 0, "%s: userspace", cl);
	ok_errno(wr(cl, "setspeed", mid), 0, "%s: setspeed %s", cl, mid);
	ok(!strcmp(rd(cl, "setspeed"), mid) && !strcmp(rd(cl, "cur_freq"), mid),
	   "%s: setspeed and cur_freq read %s (%s, %s)", cl, mid, rd(cl, "setspeed"),
	   rd(cl, "cur_freq"));
	ok_errno(wr(cl, "setspeed", lo), 0, "%s: the lowest step %s", cl, lo);
	ok(!strcmp(rd(cl, "cur_freq"), lo), "%s: cur_freq %s", cl, rd(cl, "cur_freq"));
	ok_errno(wr(cl, "setspeed", hi), 0, "%s: the highest step %s", cl, hi);
	ok(!strcmp(rd(cl, "cur_freq"), hi), "%s: cur_freq %s", cl, rd(cl, "cur_freq"));

	ok_errno(wr(cl, "setspeed", between), 0, "%s: %s, between two steps", cl, between);
	ok(!strcmp(rd(cl, "cur_freq"), between_step),
	   "%s: cur_freq rounded down to %s (%s)", cl, between_step, rd(cl, "cur_freq"));
	ok(!strcmp(rd(cl, "setspeed"), between_step),
	   "%s: setspeed reads the step it holds, %s (%s)", cl, between_step,
	   rd(cl, "setspeed"));

	ok_errno(wr(cl, "setspeed", mid), 0, "%s: back to %s", cl, mid);
	snprintf(below, sizeof(below), "%lu", strtoul(lo, NULL, 10) - 1);
	snprintf(above, sizeof(above), "%lu", strtoul(hi, NULL, 10) + 1);
	bad(cl, "setspeed", below, strlen(below), "one kHz below the range");
	bad(cl, "setspeed", above, strlen(above), "one kHz above the range");
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "\"%s\"", junk[i]);
		bad(cl, "setspeed", junk[i], strlen(junk[i]), what);
	}
	ok_errno(wr(cl, "governor", "performance"), 0, "%s: performance again", cl);
}

/* As nobody: bit 0, governor was not EACCES; bit 1, setspeed was not. */
static int nobody_writes(void *arg)
{
	const char *cl = arg;
	int bits = 0;

	if (wr(cl, "governor", "powersave") != -EACCES)
		bits |= 1;
	if (wr(cl, "setspeed", "800000") != -EACCES)
		bits |= 2;
	return bits;
}

static void test_modes(const char *cl)
{
	struct stat st;
	char path[256];
	int status;

	snprintf(path, sizeof(path), CL "%s/governor", cl);
	ok(!stat(path, &st) && (st.st_mode & 0777) == 0644, "%s: governor is 0644 (%o)", cl,
	   st.st_mode & 0777);
	snprintf(path, sizeof(path), CL "%s/setspeed", cl);
	ok(!stat(path, &st) && (st.st_mode & 0777) == 0644, "%s: setspeed is 0644 (%o)", cl,
	   st.st_mode & 0777);
	snprintf(path, sizeof(path), CL "%s/cur_freq", cl);
	ok(!stat(path, &st) && (st.st_mode & 0777) == 0444, "%s: cur_freq is 0444", cl);

	status = as_nobody(nobody_writes, (void *)cl);
	ok(status == 0,
	   "%s: nobody may write neither governor nor setspeed (EACCES; status %d)", cl,
	   status);
	ok(!strcmp(rd(cl, "governor"), "performance"), "%s: and nothing changed", cl);
}

int main(void)
{
	test_governor("little");
	test_governor("gpu");
	test_setspeed("little", "400000", "800000", "1000000", "800000", "1400000");
	test_setspeed("gpu", "200000", "800000", "500000", "200000", "800000");
	test_modes("little");
	return tap_done();
}
