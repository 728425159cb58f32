/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A C interface to the few Arm NN calls edgeaid makes: one runtime per
 * process, networks loaded from .tflite bytes and run on plain memory.
 * Arm NN 20.08 is C++14; armnn_shim.cpp is the only C++ in edgeaid.
 * Without Arm NN at build time, armnn_stub.c gives the same functions,
 * all of them reporting that the backend is not built.
 *
 * Every function that can fail returns 0 or a negative errno and writes
 * what went wrong to @err (NUL-terminated, at most @errlen bytes).
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAID_ARMNN_SHIM_H
#define EDGEAID_ARMNN_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ARMNN_SHIM_NAME_LEN	64
#define ARMNN_SHIM_MAX_DIMS	6

/* Element types of the tensors a network reads and writes. */
enum armnn_shim_type {
	ARMNN_SHIM_FLOAT32,
	ARMNN_SHIM_FLOAT16,
	ARMNN_SHIM_INT32,
	ARMNN_SHIM_UINT8,
	ARMNN_SHIM_INT8,
	ARMNN_SHIM_OTHER,
};

/**
 * struct armnn_shim_tensor - an input or output of a loaded network
 * @name: its tensor name in the model
 * @type: enum armnn_shim_type
 * @bytes: size of its data, densely packed
 * @ndims: entries of @shape
 * @shape: its dimensions, outermost first
 */
struct armnn_shim_tensor {
	char name[ARMNN_SHIM_NAME_LEN];
	uint32_t type;
	uint64_t bytes;
	uint32_t ndims;
	uint32_t shape[ARMNN_SHIM_MAX_DIMS];
};

struct armnn_shim_net;

/* Whether Arm NN was built in (the stub says 0). */
int armnn_shim_built(void);
/* Arm NN's version, e.g. "22.0.0". */
const char *armnn_shim_version(void);

/*
 * Create the process's runtime, loading the dynamic backends found in
 * @backend_dir (NULL: next to libarmnn, in its armnn<soname> folder).
 * @verbose lets Arm NN log warnings (on standard output, its only sink).
 */
int armnn_shim_init(const char *backend_dir, int verbose, char *err, size_t errlen);
void armnn_shim_exit(void);
/* The folder the dynamic backends were looked for in. */
const char *armnn_shim_backend_dir(void);

/*
 * The backends the runtime can run (built in or loaded, with their
 * device present), written to @names; returns how many there are.
 */
int armnn_shim_backends(char (*names)[ARMNN_SHIM_NAME_LEN], int max);
/* Whether @backend is one of them. */
int armnn_shim_has_backend(const char *backend);
/*
 * Why @backend is not one of them: 0 when it is; -ENOENT when no such
 * backend is registered (not built in, its dynamic backend not found or
 * not loadable); -ENODEV with the backend's own error (e.g. GpuAcc
 * failing to set up OpenCL) when creating its context fails.
 */
int armnn_shim_backend_error(const char *backend, char *err, size_t errlen);
/*
 * Whether @backend runs: a one-layer network (ReLU on 16 floats) built,
 * optimised for @backend alone, loaded and run, its output checked; 0, or
 * a negative errno and Arm NN's own error in @err.  It compiles and runs
 * real kernels: GpuAcc builds OpenCL programs (seconds, under emulation
 * more).
 */
int armnn_shim_try_backend(const char *backend, char *err, size_t errlen);

/*
 * Parse a .tflite model from memory, optimise it for the backends in
 * @prefs (in order of preference; a layer the first cannot run goes to
 * the next) and load it into the runtime.
 */
int armnn_shim_load(const void *model, size_t len, const char *const *prefs,
		    unsigned int nr_prefs, struct armnn_shim_net **net,
		    char *err, size_t errlen);
void armnn_shim_unload(struct armnn_shim_net *net);

unsigned int armnn_shim_nr_inputs(const struct armnn_shim_net *net);
unsigned int armnn_shim_nr_outputs(const struct armnn_shim_net *net);
/* The model's inputs and outputs in the order of its subgraph's lists. */
const struct armnn_shim_tensor *armnn_shim_input(const struct armnn_shim_net *net,
						 unsigned int i);
const struct armnn_shim_tensor *armnn_shim_output(const struct armnn_shim_net *net,
						  unsigned int i);
/* The backends the optimiser placed layers on, comma-separated. */
const char *armnn_shim_placement(const struct armnn_shim_net *net);

/*
 * Run the network once: @in[i] holds input i, @out[i] receives output i,
 * each of the size armnn_shim_input()/output() gives.  One thread at a
 * time per network.
 */
int armnn_shim_run(struct armnn_shim_net *net, const void *const *in,
		   void *const *out, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* EDGEAID_ARMNN_SHIM_H */
