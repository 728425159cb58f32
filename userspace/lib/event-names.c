// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libedgeai: the netlink ABI's numbers in words, as tools print them.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#include <edgeai.h>

const char *edgeai_event_name(uint32_t type)
{
	switch (type) {
	case EDGEAI_NL_CMD_GET_CLUSTER:
		return "cluster";
	case EDGEAI_NL_CMD_GET_STATS:
		return "stats";
	case EDGEAI_NL_CMD_GET_JOB:
		return "job";
	case EDGEAI_NL_CMD_JOB_DONE:
		return "job-done";
	case EDGEAI_NL_CMD_JOB_REJECTED:
		return "job-rejected";
	case EDGEAI_NL_CMD_FREQ_CHANGE:
		return "freq-change";
	case EDGEAI_NL_CMD_GOVERNOR_CHANGE:
		return "governor-change";
	case EDGEAI_NL_CMD_EXEC_ATTACH:
		return "exec-attach";
	case EDGEAI_NL_CMD_EXEC_DETACH:
		return "exec-detach";
	case EDGEAI_NL_CMD_OVERLOAD:
		return "overload";
	case EDGEAI_NL_CMD_FREQ_CAPPED:
		return "freq-capped";
	case EDGEAI_EVENT_MODULE_UNLOADED:
		return "module-unloaded";
	case EDGEAI_EVENT_MODULE_LOADED:
		return "module-loaded";
	case EDGEAI_EVENT_OVERRUN:
		return "overrun";
	}
	return "unknown";
}

const char *edgeai_freq_reason_name(uint32_t reason)
{
	switch (reason) {
	case EDGEAI_FREQ_REASON_GOVERNOR:
		return "governor";
	case EDGEAI_FREQ_REASON_USER:
		return "user";
	case EDGEAI_FREQ_REASON_GOVERNOR_SWITCH:
		return "governor-switch";
	case EDGEAI_FREQ_REASON_RELEASE:
		return "release";
	}
	return "unknown";
}

const char *edgeai_control_name(uint32_t control)
{
	switch (control) {
	case EDGEAI_CONTROL_VIRTUAL:
		return "virtual";
	case EDGEAI_CONTROL_CPUFREQ:
		return "cpufreq";
	case EDGEAI_CONTROL_DEVFREQ:
		return "devfreq";
	}
	return "unknown";
}

/* The states of EDGEAI_NL_A_STATE. */
const char *edgeai_job_state_name(uint32_t state)
{
	static const char *const names[] = {
		"queued", "running", "between-stages", "finished", "frozen",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}
