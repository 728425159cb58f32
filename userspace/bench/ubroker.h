/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The user-space broker: the same job brokering as edgeai.ko, done by a
 * daemon over Unix sockets (protocol in ubproto.h).  It is the baseline
 * of edgeai-bench ctl, so it is written to be fast: one thread, an epoll
 * loop, batched receives, the kernel's queue order through the shared
 * policy code (ep_key_before()) in indexed heaps, O(1) job and graph
 * lookup, and SCM_RIGHTS to hand executors the very descriptors the
 * kernel would install.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_BENCH_UBROKER_H
#define EDGEAI_BENCH_UBROKER_H

#include <stdint.h>

/**
 * struct ub_config - what the broker enforces, as the module's parameters
 * @nr_clusters: clusters 0..nr_clusters-1
 * @max_jobs_per_uid: jobs a user may have submitted and not yet seen end
 *	(beyond: REJECT -EDQUOT)
 * @max_graphs: graphs per connection (beyond: -EMFILE)
 * @max_retries: requeues of a stage whose executor went away
 * @no_buffer_checks: trust submitters' buffers (the kernel checks each
 *	one's type, size and access mode; so does the broker unless this
 *	is set)
 */
struct ub_config {
	uint32_t nr_clusters;
	uint32_t max_jobs_per_uid;
	uint32_t max_graphs;
	uint32_t max_retries;
	int no_buffer_checks;
};

/* Most clusters and graphs per connection the broker handles. */
#define UB_MAX_CLUSTERS	16
#define UB_MAX_GRAPHS	64

/* A listening SOCK_SEQPACKET socket at @path ("@name": abstract). */
int ub_listen(const char *path);
int ub_connect(const char *path);
/* Serve until a fatal error (returned as a negative errno). */
int ub_serve(int listen_fd, const struct ub_config *cfg);

#endif /* EDGEAI_BENCH_UBROKER_H */
