// SPDX-License-Identifier: GPL-2.0-only
/*
 * as-nobody: run a command as uid and gid 65534 with no capabilities, for
 * the VM tests (busybox has no setpriv).
 *
 *   as-nobody COMMAND [ARGS...]
 */
#include <stdio.h>
#include <unistd.h>

#include "../lib/child.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: as-nobody COMMAND [ARGS...]\n");
		return 2;
	}
	if (drop_to_nobody()) {
		perror("as-nobody");
		return 127;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
