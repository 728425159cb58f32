// SPDX-License-Identifier: GPL-2.0-only
/*
 * OpenCL discovery; see opencl.h.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include "opencl.h"

#ifdef EDGEAID_OPENCL

#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>

#define MAX_PLATFORMS	8
#define MAX_DEVICES	16

static const char *device_type(cl_device_type t)
{
	if (t & CL_DEVICE_TYPE_GPU)
		return "gpu";
	if (t & CL_DEVICE_TYPE_ACCELERATOR)
		return "accelerator";
	if (t & CL_DEVICE_TYPE_CPU)
		return "cpu";
	return "other";
}

static cl_uint platforms(cl_platform_id *ids, cl_int *err)
{
	cl_uint n = 0;

	*err = clGetPlatformIDs(MAX_PLATFORMS, ids, &n);
	if (*err != CL_SUCCESS)
		return 0;
	return n < MAX_PLATFORMS ? n : MAX_PLATFORMS;
}

void opencl_list(FILE *out)
{
	cl_platform_id ids[MAX_PLATFORMS];
	cl_uint n, i, d;
	cl_int err;

	n = platforms(ids, &err);
	if (!n) {
		fprintf(out, "  no OpenCL platform (ICD loader: error %d; is an ICD in /etc/OpenCL/vendors?)\n",
			(int)err);
		return;
	}
	for (i = 0; i < n; i++) {
		cl_device_id dev[MAX_DEVICES];
		char name[128] = "", version[128] = "";
		cl_uint nd = 0;

		clGetPlatformInfo(ids[i], CL_PLATFORM_NAME, sizeof(name), name, NULL);
		clGetPlatformInfo(ids[i], CL_PLATFORM_VERSION, sizeof(version), version, NULL);
		fprintf(out, "  platform %u: %s (%s)\n", i, name, version);
		if (clGetDeviceIDs(ids[i], CL_DEVICE_TYPE_ALL, MAX_DEVICES, dev, &nd) != CL_SUCCESS)
			nd = 0;
		if (nd > MAX_DEVICES)
			nd = MAX_DEVICES;
		for (d = 0; d < nd; d++) {
			cl_device_type type = 0;
			cl_uint units = 0, mhz = 0;
			char dname[128] = "";

			clGetDeviceInfo(dev[d], CL_DEVICE_NAME, sizeof(dname), dname, NULL);
			clGetDeviceInfo(dev[d], CL_DEVICE_TYPE, sizeof(type), &type, NULL);
			clGetDeviceInfo(dev[d], CL_DEVICE_MAX_COMPUTE_UNITS, sizeof(units), &units, NULL);
			clGetDeviceInfo(dev[d], CL_DEVICE_MAX_CLOCK_FREQUENCY, sizeof(mhz), &mhz, NULL);
			fprintf(out, "    device %u: %s, %s, %u compute units, %u MHz\n", d,
				device_type(type), dname, units, mhz);
		}
		if (!nd)
			fprintf(out, "    no device\n");
	}
}

static int count_devices(cl_device_type type)
{
	cl_platform_id ids[MAX_PLATFORMS];
	cl_uint n, i, nd, total = 0;
	cl_int err;

	n = platforms(ids, &err);
	for (i = 0; i < n; i++)
		if (clGetDeviceIDs(ids[i], type, 0, NULL, &nd) == CL_SUCCESS)
			total += nd;
	return (int)total;
}

int opencl_gpu_devices(void)
{
	return count_devices(CL_DEVICE_TYPE_GPU);
}

int opencl_devices(void)
{
	return count_devices(CL_DEVICE_TYPE_ALL);
}

#else

void opencl_list(FILE *out)
{
	fprintf(out, "  not built in (no OpenCL headers at build time)\n");
}

int opencl_gpu_devices(void)
{
	return 0;
}

int opencl_devices(void)
{
	return 0;
}

#endif
