// SPDX-License-Identifier: GPL-2.0-only
/*
 * libedgeai's decoder of the "edgeai" generic netlink family, fed with
 * messages built here as the module builds them (libnl), including
 * malformed ones and ones from a newer module; and the controller's
 * announcements of the family.
 */
#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "../../userspace/lib/nl-internal.h"
#include "../lib/tap.h"

static struct nl_msg *msg_new(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 0x42, 0, 0, cmd, EDGEAI_GENL_VERSION);
	return m;
}

static void put_stage(struct nl_msg *m, uint32_t cluster, uint32_t freq,
		      uint64_t start, uint64_t end)
{
	struct nlattr *s = nla_nest_start(m, EDGEAI_NL_A_STAGE);

	nla_put_u32(m, EDGEAI_NL_A_CLUSTER_ID, cluster);
	nla_put_u32(m, EDGEAI_NL_A_FREQ_KHZ, freq);
	nla_put_u64(m, EDGEAI_NL_A_START_NS, start);
	nla_put_u64(m, EDGEAI_NL_A_END_NS, end);
	nla_nest_end(m, s);
}

static void test_job_done(void)
{
	struct nl_msg *m = msg_new(EDGEAI_NL_CMD_JOB_DONE);
	struct edgeai_event ev;
	struct nlattr *n;
	int ret;

	nla_put_u64(m, EDGEAI_NL_A_TIME_NS, 5000);
	nla_put_u64(m, EDGEAI_NL_A_JOB_ID, 77);
	nla_put_u32(m, EDGEAI_NL_A_PID, 1234);
	nla_put_u32(m, EDGEAI_NL_A_UID, 1000);
	nla_put_u32(m, EDGEAI_NL_A_GRAPH_ID, 3);
	nla_put_string(m, EDGEAI_NL_A_GRAPH_NAME, "mobilenet-v2");
	nla_put_u32(m, EDGEAI_NL_A_PRIO, EDGEAI_PRIO_HIGH);
	nla_put_u32(m, EDGEAI_NL_A_STATUS, EDGEAI_JOB_DONE);
	nla_put_u64(m, EDGEAI_NL_A_LATENCY_NS, 12000000);
	nla_put_u64(m, EDGEAI_NL_A_DEADLINE_NS, 99000000);
	nla_put_flag(m, EDGEAI_NL_A_DEADLINE_MET);
	nla_put_u64(m, EDGEAI_NL_A_ENERGY_UJ, 321);
	n = nla_nest_start(m, EDGEAI_NL_A_STAGES);
	put_stage(m, 0, 400000, 1000, 2000);
	put_stage(m, 2, 800000, 2100, 4000);
	nla_nest_end(m, n);
	/* From a newer module: an attribute this library does not know. */
	nla_put_u32(m, EDGEAI_NL_A_MAX + 7, 0xdead);

	ret = edgeai_nl_decode(nlmsg_hdr(m), &ev);
	ok(ret == 0, "job-done decodes (%d)", ret);
	ok(ev.type == EDGEAI_NL_CMD_JOB_DONE, "type is the command");
	ok(ev.time_ns == 5000 && ev.job_id == 77 && ev.pid == 1234 && ev.uid == 1000 &&
	   ev.graph_id == 3, "numbers");
	ok(!strcmp(ev.graph_name, "mobilenet-v2"), "graph name");
	ok(ev.prio == EDGEAI_PRIO_HIGH && ev.status == EDGEAI_JOB_DONE, "enums");
	ok(ev.latency_ns == 12000000 && ev.deadline_ns == 99000000 && ev.energy_uj == 321,
	   "64-bit values");
	ok(edgeai_event_has(&ev, EDGEAI_NL_A_DEADLINE_MET), "flag present");
	ok(!edgeai_event_has(&ev, EDGEAI_NL_A_EXEC_LOST), "absent flag absent");
	ok(!edgeai_event_has(&ev, EDGEAI_NL_A_CLUSTER_ID) && ev.cluster_id == 0,
	   "absent attribute: no bit, zero");
	ok(edgeai_event_has(&ev, EDGEAI_NL_A_STAGES) && ev.nr_stages == 2, "two stages");
	ok(ev.stages[1].cluster_id == 2 && ev.stages[1].freq_khz == 800000 &&
	   ev.stages[1].start_ns == 2100 && ev.stages[1].end_ns == 4000,
	   "second stage's fields");
	nlmsg_free(m);
}

/* A job that ended at an exit, and the stats answer's exits_taken. */
static void test_exit(void)
{
	struct nl_msg *m = msg_new(EDGEAI_NL_CMD_JOB_DONE);
	struct edgeai_event ev;

	nla_put_u64(m, EDGEAI_NL_A_JOB_ID, 78);
	nla_put_u32(m, EDGEAI_NL_A_STATUS, EDGEAI_JOB_DONE_EXIT);
	nla_put_u64(m, EDGEAI_NL_A_LATENCY_NS, 9000000);
	nla_put_u32(m, EDGEAI_NL_A_EXIT, 1);
	nla_put_u32(m, EDGEAI_NL_A_ACCURACY_PPM, 850000);
	ok(edgeai_nl_decode(nlmsg_hdr(m), &ev) == 0 &&
	   ev.status == EDGEAI_JOB_DONE_EXIT &&
	   edgeai_event_has(&ev, EDGEAI_NL_A_EXIT) && ev.exit_index == 1 &&
	   edgeai_event_has(&ev, EDGEAI_NL_A_ACCURACY_PPM) &&
	   ev.accuracy_ppm == 850000 && ev.latency_ns == 9000000 &&
	   !edgeai_event_has(&ev, EDGEAI_NL_A_STATE) &&
	   !edgeai_event_has(&ev, EDGEAI_NL_A_STAGE_INDEX),
	   "job-done at an exit: exit index, accuracy, latency");
	ok(!strcmp(edgeai_status_name(EDGEAI_JOB_DONE_EXIT), "done-exit"),
	   "status name done-exit");
	nlmsg_free(m);

	m = msg_new(EDGEAI_NL_CMD_GET_STATS);
	nla_put_u64(m, EDGEAI_NL_A_STAT_SUBMITTED, 10);
	nla_put_u64(m, EDGEAI_NL_A_STAT_EXITS_TAKEN, 4);
	ok(edgeai_nl_decode(nlmsg_hdr(m), &ev) == 0 && ev.stat_submitted == 10 &&
	   edgeai_event_has(&ev, EDGEAI_NL_A_STAT_EXITS_TAKEN) &&
	   ev.stat_exits_taken == 4, "stats: exits_taken");
	nlmsg_free(m);
}

static void test_cluster(void)
{
	struct nl_msg *m = msg_new(EDGEAI_NL_CMD_GET_CLUSTER);
	struct edgeai_event ev;
	struct nlattr *n;
	char longname[64];
	uint32_t p;

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	nla_put_u32(m, EDGEAI_NL_A_CLUSTER_ID, 1);
	nla_put_string(m, EDGEAI_NL_A_CLUSTER_NAME, longname);
	nla_put_u32(m, EDGEAI_NL_A_CLUSTER_KIND, EDGEAI_CLUSTER_GPU);
	nla_put_string(m, EDGEAI_NL_A_GOVERNOR, "deadline");
	n = nla_nest_start(m, EDGEAI_NL_A_FREQS);
	nla_put_u32(m, EDGEAI_NL_A_FREQ_KHZ, 200000);
	nla_put_u32(m, EDGEAI_NL_A_FREQ_KHZ, 800000);
	nla_nest_end(m, n);
	n = nla_nest_start(m, EDGEAI_NL_A_QUEUED_PRIO);
	for (p = 0; p < EDGEAI_NR_PRIO; p++)
		nla_put_u32(m, EDGEAI_NL_A_NR_QUEUED, p + 10);
	nla_nest_end(m, n);
	nla_put_u64(m, EDGEAI_NL_A_BUSY_NS, 1ull << 40);

	ok(edgeai_nl_decode(nlmsg_hdr(m), &ev) == 0, "cluster answer decodes");
	ok(strlen(ev.cluster_name) == sizeof(ev.cluster_name) - 1,
	   "a name too long is cut to the member's size");
	ok(ev.kind == EDGEAI_CLUSTER_GPU && !strcmp(ev.governor, "deadline"),
	   "kind and governor");
	ok(ev.nr_freqs == 2 && ev.freqs_khz[1] == 800000, "frequency steps");
	ok(ev.nr_queued_prio == EDGEAI_NR_PRIO && ev.queued_prio[3] == 13,
	   "queued per priority class");
	ok(ev.busy_ns == 1ull << 40, "busy_ns");
	nlmsg_free(m);
}

static void test_many_stages(void)
{
	struct nl_msg *m = msg_new(EDGEAI_NL_CMD_JOB_DONE);
	struct edgeai_event ev;
	struct nlattr *n;
	unsigned int i;

	n = nla_nest_start(m, EDGEAI_NL_A_STAGES);
	for (i = 0; i < EDGEAI_EVENT_STAGES + 5; i++)
		put_stage(m, i % 3, 1, i, i + 1);
	nla_nest_end(m, n);
	ok(edgeai_nl_decode(nlmsg_hdr(m), &ev) == 0 && ev.nr_stages == EDGEAI_EVENT_STAGES,
	   "stages beyond the struct's room are dropped, not overflowed");
	nlmsg_free(m);
}

static void test_malformed(void)
{
	struct edgeai_event ev;
	struct nl_msg *m;
	struct nlattr *n;
	uint16_t two = 2;
	char raw[4] = "abc";

	m = msg_new(EDGEAI_NL_CMD_FREQ_CHANGE);
	nla_put(m, EDGEAI_NL_A_FREQ_KHZ, sizeof(two), &two);
	ok(edgeai_nl_decode(nlmsg_hdr(m), &ev) == -EBADMSG, "a u32 of two bytes is refused");
	nlmsg_free(m);

	m = msg_new(EDGEAI_NL_CMD_GOVERNOR_CHANGE);
	nla_put(m, EDGEAI_NL_A_GOVERNOR, 3, raw);
	ok(edgeai_nl_decode(nlmsg_hdr(m), &ev) == -EBADMSG,
	   "a string without its NUL is refused");
	nlmsg_free(m);

	m = msg_new(EDGEAI_NL_CMD_JOB_DONE);
	n = nla_nest_start(m, EDGEAI_NL_A_STAGES);
	{
		struct nlattr *s = nla_nest_start(m, EDGEAI_NL_A_STAGE);

		nla_put(m, EDGEAI_NL_A_START_NS, sizeof(two), &two);
		nla_nest_end(m, s);
	}
	nla_nest_end(m, n);
	ok(edgeai_nl_decode(nlmsg_hdr(m), &ev) == -EBADMSG,
	   "a short attribute inside a stage is refused");
	nlmsg_free(m);

	m = nlmsg_alloc_simple(0x42, 0);
	ok(edgeai_nl_decode(nlmsg_hdr(m), &ev) == -EBADMSG,
	   "a message without a genl header is refused");
	nlmsg_free(m);
}

static void test_ctrl(void)
{
	struct edgeai_nl_family f;
	struct nl_msg *m;
	struct nlattr *grps, *g;
	int cmd = -1;

	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, GENL_ID_CTRL, 0, 0, CTRL_CMD_NEWFAMILY, 2);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, "edgeai");
	nla_put_u16(m, CTRL_ATTR_FAMILY_ID, 0x1c);
	grps = nla_nest_start(m, CTRL_ATTR_MCAST_GROUPS);
	g = nla_nest_start(m, 1);
	nla_put_string(m, CTRL_ATTR_MCAST_GRP_NAME, "events");
	nla_put_u32(m, CTRL_ATTR_MCAST_GRP_ID, 7);
	nla_nest_end(m, g);
	g = nla_nest_start(m, 2);
	nla_put_string(m, CTRL_ATTR_MCAST_GRP_NAME, "jobs");
	nla_put_u32(m, CTRL_ATTR_MCAST_GRP_ID, 8);
	nla_nest_end(m, g);
	nla_nest_end(m, grps);
	ok(edgeai_nl_decode_ctrl(nlmsg_hdr(m), &cmd, &f) == 0 &&
	   cmd == CTRL_CMD_NEWFAMILY, "NEWFAMILY decodes");
	ok(!strcmp(f.name, "edgeai") && f.id == 0x1c, "family name and id");
	ok(f.grp_events == 7 && f.grp_jobs == 8, "group ids by name");
	nlmsg_free(m);

	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, GENL_ID_CTRL, 0, 0, CTRL_CMD_DELFAMILY, 2);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, "edgeai");
	nla_put_u16(m, CTRL_ATTR_FAMILY_ID, 0x1c);
	ok(edgeai_nl_decode_ctrl(nlmsg_hdr(m), &cmd, &f) == 0 &&
	   cmd == CTRL_CMD_DELFAMILY && f.grp_events == 0, "DELFAMILY decodes, no groups");
	nlmsg_free(m);
}

static void test_names(void)
{
	ok(!strcmp(edgeai_event_name(EDGEAI_NL_CMD_FREQ_CHANGE), "freq-change") &&
	   !strcmp(edgeai_event_name(EDGEAI_EVENT_MODULE_LOADED), "module-loaded") &&
	   !strcmp(edgeai_event_name(999), "unknown"), "event names");
	ok(!strcmp(edgeai_freq_reason_name(EDGEAI_FREQ_REASON_RELEASE), "release") &&
	   !strcmp(edgeai_control_name(EDGEAI_CONTROL_DEVFREQ), "devfreq") &&
	   !strcmp(edgeai_job_state_name(2), "between-stages") &&
	   !strcmp(edgeai_job_state_name(9), "unknown"), "other names");
}

int main(void)
{
	test_job_done();
	test_exit();
	test_cluster();
	test_many_stages();
	test_malformed();
	test_ctrl();
	test_names();
	return tap_done();
}
