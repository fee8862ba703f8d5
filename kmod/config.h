/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched global tunables: one table of names, units, ranges and defaults,
 * validated in one place (KVM-free).
 */
#ifndef _KVMSCHED_CONFIG_H
#define _KVMSCHED_CONFIG_H

#include <linux/types.h>

#include "balloon.h"

/* Sampling/enforcement period, ms: how often VMs are sampled and reaped. */
#define KVMS_PERIOD_MS_MIN	10
#define KVMS_PERIOD_MS_MAX	1000
#define KVMS_PERIOD_MS_DEFAULT	100

/* Share of the host's CPU reservations may never take, percent. */
#define KVMS_HEADROOM_MAX	50
#define KVMS_HEADROOM_DEFAULT	10

/* Balloon policy tunables (struct kvms_mem_tun), with their ranges. */
#define KVMS_MEM_LOW_PCT_MIN		1
#define KVMS_MEM_LOW_PCT_MAX		90
#define KVMS_MEM_LOW_PCT_DEFAULT	20
#define KVMS_MEM_CRITICAL_PCT_MAX	89
#define KVMS_MEM_CRITICAL_PCT_DEFAULT	5
#define KVMS_MEM_HYST_PCT_MAX		50
#define KVMS_MEM_HYST_PCT_DEFAULT	5
#define KVMS_BALLOON_STEP_PCT_MIN	1
#define KVMS_BALLOON_STEP_PCT_MAX	100
#define KVMS_BALLOON_STEP_PCT_DEFAULT	5
#define KVMS_BALLOON_MIN_STEP_BP_MAX	10000
#define KVMS_BALLOON_MIN_STEP_BP_DEFAULT 25
#define KVMS_IDLE_TAX_PCT_MAX		99
#define KVMS_IDLE_TAX_PCT_DEFAULT	75
#define KVMS_BALLOON_MAX_PCT_MAX	90
#define KVMS_BALLOON_MAX_PCT_DEFAULT	65
#define KVMS_BALLOON_PERIOD_MS_MIN	100
#define KVMS_BALLOON_PERIOD_MS_MAX	600000
#define KVMS_BALLOON_PERIOD_MS_DEFAULT	10000
#define KVMS_PSI_RECLAIM_BP_MAX		10000
#define KVMS_PSI_RECLAIM_BP_DEFAULT	1000

/**
 * struct kvms_config - the module's global tunables
 * @period_ms: sampling and enforcement period, ms
 *	(KVMS_PERIOD_MS_MIN..KVMS_PERIOD_MS_MAX, default KVMS_PERIOD_MS_DEFAULT)
 * @reserve_headroom_pct: share of the host's CPU that reservations may never
 *	take, percent (0..KVMS_HEADROOM_MAX, default KVMS_HEADROOM_DEFAULT)
 * @balloon_period_ms: how often balloon targets are recomputed, ms
 *	(KVMS_BALLOON_PERIOD_MS_MIN..MAX, default KVMS_BALLOON_PERIOD_MS_DEFAULT)
 * @mem: the balloon policy's tunables; ranges and defaults above and in
 *	struct kvms_mem_tun
 *
 * Written only under kvms_reg.lock, after kvms_config_validate() accepted
 * the whole candidate; readers use READ_ONCE() on single fields, or hold
 * kvms_reg.lock for a consistent set.
 */
struct kvms_config {
	u32 period_ms;
	u32 reserve_headroom_pct;
	u32 balloon_period_ms;
	struct kvms_mem_tun mem;
};

extern struct kvms_config kvms_config;

int kvms_config_validate(const struct kvms_config *cfg, const char **why);

#endif /* _KVMSCHED_CONFIG_H */
