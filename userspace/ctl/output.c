// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgeaictl: printing JSON and messages.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "ctl.h"

void ctl_json_print(struct ctl *ctl, json_object *obj)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= ctl->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
		JSON_C_TO_STRING_PLAIN;
	fputs(json_object_to_json_string_ext(obj, flags), stdout);
	fputc('\n', stdout);
	fflush(stdout);
	json_object_put(obj);
}

json_object *ctl_json_u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static void vmsg(struct ctl *ctl, const char *what, const char *fmt,
		 va_list ap)
{
	fflush(stdout);
	fputs("edgeaictl: ", stderr);
	if (ctl->cmd)
		fprintf(stderr, "%s: ", ctl->cmd);
	if (what)
		fputs(what, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ctl_err(struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctl, NULL, fmt, ap);
	va_end(ap);
}

void ctl_warn(struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctl, "note: ", fmt, ap);
	va_end(ap);
}

int ctl_fail(struct ctl *ctl, int err, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ctl_err(ctl, "%s: %s", what, edgeai_strerror(err));
	return CTL_EXIT_ERROR;
}

const char *ctl_dev_strerror(int err)
{
	if (err == -ENOENT)
		return "no such device file";
	if (err == -EACCES)
		return "permission denied (the device is open to root and its group)";
	return edgeai_strerror(err);
}

bool ctl_has_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	return (data[cap / 32].effective >> (cap % 32)) & 1;
}
