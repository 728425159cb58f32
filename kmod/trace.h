/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeai tracepoints: job submission, stage begin and end, job done,
 * token steps and session freezing, and frequency changes, for ftrace, trace-cmd and perfetto.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM edgeai

#if !defined(EDGEAI_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define EDGEAI_TRACE_H

#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "compat.h"
#include "edgeai.h"

TRACE_EVENT(edgeai_job_submit,
	    TP_PROTO(const struct edgeai_job *job),
	    TP_ARGS(job),
	    TP_STRUCT__entry(__field(u32, job)
			     __field(pid_t, pid)
			     __field(u32, graph)
			     __field(u32, prio)
			     __field(u32, stages)
			     __field(u64, deadline)
			     __string(name, job->graph->name)),
	    TP_fast_assign(__entry->job = job->id;
			   __entry->pid = task_tgid_nr(current);
			   __entry->graph = job->graph->id;
			   __entry->prio = job->prio;
			   __entry->stages = job->graph->nr_stages;
			   __entry->deadline = job->deadline;
			   edgeai_assign_str(name, job->graph->name);),
	    TP_printk("pid=%d job=%u graph=%u:%s prio=%u stages=%u deadline=%llu",
		      __entry->pid, __entry->job, __entry->graph, __get_str(name),
		      __entry->prio, __entry->stages, __entry->deadline));

DECLARE_EVENT_CLASS(edgeai_stage,
		    TP_PROTO(const struct edgeai_job *job, const struct edgeai_cluster *c),
		    TP_ARGS(job, c),
		    TP_STRUCT__entry(__field(u32, job)
				     __field(u32, stage)
				     __field(u32, cluster)
				     __field(u32, khz)
				     __field(pid_t, exec_pid)),
		    TP_fast_assign(__entry->job = job->id;
				   __entry->stage = job->stage;
				   __entry->cluster = c->id;
				   __entry->khz = edgeai_cluster_cur_khz(c);
				   __entry->exec_pid = task_tgid_nr(current);),
		    TP_printk("job=%u stage=%u cluster=%u khz=%u executor=%d",
			      __entry->job, __entry->stage, __entry->cluster, __entry->khz,
			      __entry->exec_pid));

DEFINE_EVENT(edgeai_stage, edgeai_stage_begin,
	     TP_PROTO(const struct edgeai_job *job, const struct edgeai_cluster *c),
	     TP_ARGS(job, c));

DEFINE_EVENT(edgeai_stage, edgeai_stage_end,
	     TP_PROTO(const struct edgeai_job *job, const struct edgeai_cluster *c),
	     TP_ARGS(job, c));

TRACE_EVENT(edgeai_job_done,
	    TP_PROTO(const struct edgeai_job *job),
	    TP_ARGS(job),
	    TP_STRUCT__entry(__field(u32, job)
			     __field(u32, status)
			     __field(u64, latency)
			     __field(bool, met)
			     __field(s32, exit)),
	    TP_fast_assign(__entry->job = job->id;
			   __entry->status = job->status;
			   __entry->latency = job->finish_ns - job->submit_ns;
			   __entry->met = job->finish_ns <= job->deadline;
			   __entry->exit = job->status == EDGEAI_JOB_DONE_EXIT ?
					   (s32)job->exit_index : -1;),
	    TP_printk("job=%u status=%u latency_ns=%llu deadline_met=%d exit=%d",
		      __entry->job, __entry->status, __entry->latency,
		      __entry->met, __entry->exit));

TRACE_EVENT(edgeai_token_step,
	    TP_PROTO(const struct edgeai_job *job, const struct edgeai_cluster *c,
		     u64 step_ns),
	    TP_ARGS(job, c, step_ns),
	    TP_STRUCT__entry(__field(u32, job)
			     __field(u32, session)
			     __field(u32, token)
			     __field(u32, cluster)
			     __field(u64, step_ns)
			     __field(u32, end)),
	    TP_fast_assign(__entry->job = job->id;
			   __entry->session = job->session->id;
			   __entry->token = job->nr_tokens;
			   __entry->cluster = c->id;
			   __entry->step_ns = step_ns;
			   __entry->end = job->session_end;),
	    TP_printk("job=%u session=%u tokens=%u cluster=%u step_ns=%llu end=%u",
		      __entry->job, __entry->session, __entry->token,
		      __entry->cluster, __entry->step_ns, __entry->end));

TRACE_EVENT(edgeai_session_freeze,
	    TP_PROTO(const struct edgeai_job *job, const struct edgeai_cluster *c,
		     bool frozen),
	    TP_ARGS(job, c, frozen),
	    TP_STRUCT__entry(__field(u32, job)
			     __field(u32, session)
			     __field(u32, cluster)
			     __field(u32, tokens)
			     __field(bool, frozen)),
	    TP_fast_assign(__entry->job = job->id;
			   __entry->session = job->session->id;
			   __entry->cluster = c->id;
			   __entry->tokens = job->nr_tokens;
			   __entry->frozen = frozen;),
	    TP_printk("job=%u session=%u cluster=%u tokens=%u frozen=%d",
		      __entry->job, __entry->session, __entry->cluster,
		      __entry->tokens, __entry->frozen));

TRACE_EVENT(edgeai_freq_change,
	    TP_PROTO(u32 cluster, const char *name, u32 old_khz, u32 new_khz,
		     u32 reason),
	    TP_ARGS(cluster, name, old_khz, new_khz, reason),
	    TP_STRUCT__entry(__field(u32, cluster)
			     __field(u32, old_khz)
			     __field(u32, new_khz)
			     __field(u32, reason)
			     __string(name, name)),
	    TP_fast_assign(__entry->cluster = cluster;
			   __entry->old_khz = old_khz;
			   __entry->new_khz = new_khz;
			   __entry->reason = reason;
			   edgeai_assign_str(name, name);),
	    TP_printk("cluster=%u:%s old_khz=%u new_khz=%u reason=%u",
		      __entry->cluster, __get_str(name), __entry->old_khz,
		      __entry->new_khz, __entry->reason));

#endif /* EDGEAI_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
