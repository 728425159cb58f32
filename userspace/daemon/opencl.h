/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * OpenCL devices through the ICD loader (libOpenCL), for --list-devices
 * and to tell whether Arm NN's GpuAcc has a GPU to run on.  Built without
 * the OpenCL headers, it reports that it is not built in.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAID_OPENCL_H
#define EDGEAID_OPENCL_H

#include <stdio.h>

/* Print the platforms and their devices, indented, to @out. */
void opencl_list(FILE *out);
/* GPU devices the loader finds (0 when none, no ICD or no loader). */
int opencl_gpu_devices(void);
/* Devices of any type the loader finds. */
int opencl_devices(void);

#endif /* EDGEAID_OPENCL_H */
