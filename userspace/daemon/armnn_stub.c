// SPDX-License-Identifier: GPL-2.0-only
/*
 * armnn_shim.h without Arm NN (a cross build, or no libarmnn-dev): the
 * armnn backend then refuses to start and says why.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <errno.h>
#include <stdio.h>

#include "armnn_shim.h"

static void no_armnn(char *err, size_t errlen)
{
	if (err && errlen)
		snprintf(err, errlen, "edgeaid was built without Arm NN");
}

int armnn_shim_built(void)
{
	return 0;
}

const char *armnn_shim_version(void)
{
	return "none";
}

int armnn_shim_init(const char *backend_dir, int verbose, char *err, size_t errlen)
{
	(void)backend_dir;
	(void)verbose;
	no_armnn(err, errlen);
	return -ENOSYS;
}

void armnn_shim_exit(void)
{
}

const char *armnn_shim_backend_dir(void)
{
	return "";
}

int armnn_shim_backends(char (*names)[ARMNN_SHIM_NAME_LEN], int max)
{
	(void)names;
	(void)max;
	return 0;
}

int armnn_shim_has_backend(const char *backend)
{
	(void)backend;
	return 0;
}

int armnn_shim_backend_error(const char *backend, char *err, size_t errlen)
{
	(void)backend;
	no_armnn(err, errlen);
	return -ENOSYS;
}

int armnn_shim_try_backend(const char *backend, char *err, size_t errlen)
{
	(void)backend;
	no_armnn(err, errlen);
	return -ENOSYS;
}

int armnn_shim_load(const void *model, size_t len, const char *const *prefs,
		    unsigned int nr_prefs, struct armnn_shim_net **net,
		    char *err, size_t errlen)
{
	(void)model;
	(void)len;
	(void)prefs;
	(void)nr_prefs;
	(void)net;
	no_armnn(err, errlen);
	return -ENOSYS;
}

void armnn_shim_unload(struct armnn_shim_net *net)
{
	(void)net;
}

unsigned int armnn_shim_nr_inputs(const struct armnn_shim_net *net)
{
	(void)net;
	return 0;
}

unsigned int armnn_shim_nr_outputs(const struct armnn_shim_net *net)
{
	(void)net;
	return 0;
}

const struct armnn_shim_tensor *armnn_shim_input(const struct armnn_shim_net *net,
						 unsigned int i)
{
	(void)net;
	(void)i;
	return NULL;
}

const struct armnn_shim_tensor *armnn_shim_output(const struct armnn_shim_net *net,
						  unsigned int i)
{
	(void)net;
	(void)i;
	return NULL;
}

const char *armnn_shim_placement(const struct armnn_shim_net *net)
{
	(void)net;
	return "";
}

int armnn_shim_run(struct armnn_shim_net *net, const void *const *in,
		   void *const *out, char *err, size_t errlen)
{
	(void)net;
	(void)in;
	(void)out;
	no_armnn(err, errlen);
	return -ENOSYS;
}
