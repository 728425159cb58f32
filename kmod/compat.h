/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeai: where the kernels edgeai builds for differ (Debian's 6.1 and
 * 6.12 LTS, and vendor kernels between and after them).  Each difference
 * is one definition here, named after the interface it stands for; the
 * code calls these and tests no kernel version of its own.
 *
 * Kbuild finds which interface the kernel has by looking for it in the
 * kernel's headers, not by version number (vendor kernels backport), and
 * defines EDGEAI_HAVE_<interface> for the newer one.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_COMPAT_H
#define EDGEAI_COMPAT_H

/*
 * edgeai_em_perf_states() - the energy model's performance states of @pd,
 * an array of pd->nr_perf_states.  Call it and read the array inside
 * rcu_read_lock(): since 6.9 the table can be replaced at run time and is
 * freed after a grace period (EDGEAI_HAVE_EM_PERF_TABLE); before, it was
 * fixed.
 */
#ifdef EDGEAI_HAVE_EM_PERF_TABLE
#define edgeai_em_perf_states(pd)	em_perf_state_from_pd(pd)
#else
#define edgeai_em_perf_states(pd)	((pd)->table)
#endif

/*
 * edgeai_assign_str() - copy @src into the trace event's __string() field
 * @dst.  Since 6.10 __assign_str() takes the field only and copies the
 * source named in __string() (EDGEAI_HAVE_ASSIGN_STR_DST).
 */
#ifdef EDGEAI_HAVE_ASSIGN_STR_DST
#define edgeai_assign_str(dst, src)	__assign_str(dst)
#else
#define edgeai_assign_str(dst, src)	__assign_str(dst, src)
#endif

/*
 * EDGEAI_NS_DMA_BUF - the dma-buf symbol namespace for MODULE_IMPORT_NS().
 * Since 6.13 a namespace is a string literal (EDGEAI_HAVE_NS_STRING);
 * before, a bare word that MODULE_IMPORT_NS() made a string of.
 */
#ifdef EDGEAI_HAVE_NS_STRING
#define EDGEAI_NS_DMA_BUF	"DMA_BUF"
#else
#define EDGEAI_NS_DMA_BUF	DMA_BUF
#endif

#endif /* EDGEAI_COMPAT_H */
