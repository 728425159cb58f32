/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgeai-sim's engine state, shared by the engine (sim.c) and the
 * baselines that plug into it: Band's global-queue scheduler (band.c),
 * EAS-style placement (eas.c) and Linux's own governors (linux_gov.c).  Not a public header.
 *
 * Copyright (C) 2026 The edgeai authors
 */
#ifndef EDGEAI_SIM_INT_H
#define EDGEAI_SIM_INT_H

#include "../../kmod/policy/policy.h"
#include "sim.h"

#define NS_PER_MS	1000000ULL
#define NS_PER_S	1000000000ULL
#define GOV_WORK_MAX	64

/*
 * EV_TICK: the scheduler tick Linux's governors update on (tick_ms);
 * EV_GOV: a cluster's own re-decision timer (the kernel's gov_tick);
 * EV_POLL: a devfreq device's polling (simple_ondemand).
 */
enum ev_type { EV_ARRIVAL, EV_STAGE_END, EV_WAKE, EV_TICK, EV_GOV, EV_POLL };

struct ev {
	u64 t;
	u64 seq;	/* FIFO among equal times: deterministic */
	int type;
	int a;
	u64 ver;
};

struct heap {
	struct ev *v;
	size_t n, cap;
};

struct jstage {
	int elem, first, n;
	u64 cost_top;	/* estimate at the top steps, hand-off in */
	u64 deadline;	/* the stage's deadline in the run queue */
	const u32 *speed;	/* its own speed per step (ep_work.speed), or NULL */
};

struct job {
	int app;
	u64 arrival;	/* of the frame's request */
	u64 deadline;	/* the one the scheduler sees (split_requests) */
	u64 req_deadline;	/* of the request: met or not */
	u64 seq;	/* key seq on the cluster it is queued on */
	u64 queued_at;	/* when its stage was queued there (max_wait_ms) */
	int frames_left;
	int nst, cur;
	int end;	/* the last stage it means to run (anytime jobs) */
	struct jstage st[PLAN_MAX_STAGES];
	int prev_elem, prev_step, prev_host;
	int unit;	/* SIM_BAND: next layer to run */
	int rep;	/* SIM_STATIC: the app's plan it follows (replica) */
	u64 expected;	/* SIM_BAND: expected finish of what is left, from now */
};

struct cluster {
	struct ep_opp opp[BOARD_MAX_STEPS];
	struct ep_cluster_model model;
	int step;
	int *q;
	int nq, capq;
	int run;		/* job index, -1 idle */
	u64 idle_since;		/* when it last ran out of work */
	u64 seg_start, total, end, ver, stall_until;
	u64 started;		/* when the running stage was fetched */
	int start_step;		/* the step then (learn_costs) */
	double frac;		/* of the running stage, done at seg_start */
	double dyn_mw;
	u64 busy_ns, res_ns[BOARD_MAX_STEPS];
	u64 win_busy;		/* busy time since the last tick (util gov) */
	u64 seq;
	bool wake_pending;
	u64 gov_ver;		/* the pending EV_GOV that counts */
	bool dirty;		/* its work changed: its governor decides again */
	u32 floor;		/* SIM_GOV_SHARED: the deadline governor's */
	struct ep_margin margin;	/* the deadline governor's reserve */
	/* SIM_GOV_LINUX and SIM_GOV_SHARED (linux_gov.c) */
	double util;		/* PELT of the executor thread, 0..1024 */
	double util_ewma;	/* its util_est EWMA */
	double drv_util;	/* PELT of the driver threads of its guests */
	double drv_frac;	/* a running guest stage's share of host CPU time */
	double iowait_boost;	/* 0..1024 */
	u64 iowait_at;		/* last iowait wake-up */
	u64 sugov_at;		/* last frequency update (rate_limit_us) */
	u64 poll_busy, poll_drv;	/* devfreq: busy time in this polling window */
	u64 poll_start;
};

struct appstate {
	int rr;			/* round robin position */
	u64 nominal;		/* next arrival without jitter */
	double credit[PLAN_MAX_STAGES];	/* replicas: smooth weighted round robin */
	double *lat;
	long nlat, caplat;
	int units;
	int ubound[PLAN_MAX_STAGES + 1];
	struct ep_est *est;	/* learn_costs: per plan, per stage, per element */
	struct stage_alts *alts;	/* stage_by_finish: per plan, filled on use */
};

/* stage_by_finish: one plan's stage alternatives (plan_alternatives()). */
struct stage_alts {
	bool done;
	int n;
	struct plan_alt *v;
};

struct sim {
	const struct sim_config *c;
	const struct board *b;
	const struct sim_app *apps;
	int na, ne;
	struct heap h;
	u64 evseq;
	struct job *jobs;
	size_t nj, capj;
	struct cluster cl[BOARD_MAX_ELEMS];
	struct appstate as[SIM_MAX_APPS];
	u64 rng;
	u64 now, last;
	double energy_uj;
	u64 stop_arrivals, hard_end;
	struct sim_result *r;
	struct band *band;	/* SIM_BAND's state (band.c) */
};

/* sim.c */
int sim_push(struct sim *s, u64 t, int type, int a, u64 ver);
int sim_host_step(struct sim *s, int e);
int sim_stage_cost(struct sim *s, const struct job *j, const struct jstage *st,
		   int step, int hstep, bool at_top, struct board_cost *out);
int sim_enqueue(struct sim *s, int e, int jid);
void sim_set_step(struct sim *s, int e, u32 step);
void sim_job_dropped(struct sim *s, int jid);
u64 sim_avail(struct sim *s, int e);
bool sim_usable(struct sim *s, int m, int e);

/* band.c */
int band_init(struct sim *s);
void band_free(struct sim *s);
void band_ready(struct sim *s, int jid);
void band_schedule(struct sim *s);

/* eas.c */
int eas_place(struct sim *s, struct job *j);

/* linux_gov.c */
void linux_gov_init(struct sim *s);
void linux_gov_update(struct sim *s, int e, bool tick);
void linux_gov_poll(struct sim *s, int e);
void linux_gov_account(struct sim *s, u64 dt);
void linux_gov_stage_start(struct sim *s, int e);
void linux_gov_stage_end(struct sim *s, int e);

#endif /* EDGEAI_SIM_INT_H */
