/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched global tunables: one table of names, units, ranges and defaults,
 * validated in one place (KVM-free).
 */
#ifndef _KVMSCHED_CONFIG_H
#define _KVMSCHED_CONFIG_H

#include <linux/types.h>

#include "../uapi/linux/kvmsched.h"
#include "balloon.h"

/*
 * Every tunable's range and default is the uapi header's KVMSCHED_<NAME>_MIN,
 * _MAX and _DEFAULT, generated from the netlink spec's definitions: the one
 * source of these numbers.
 */

/**
 * struct kvms_config - the module's global tunables
 * @period_ms: sampling and enforcement period, ms
 *	(KVMSCHED_PERIOD_MS_MIN..MAX, default KVMSCHED_PERIOD_MS_DEFAULT)
 * @reserve_headroom_pct: share of the host's CPU that reservations may never
 *	take, percent (0..KVMSCHED_RESERVE_HEADROOM_PCT_MAX, default _DEFAULT)
 * @balloon_period_ms: how often balloon targets are recomputed, ms
 *	(KVMSCHED_BALLOON_PERIOD_MS_MIN..MAX, default _DEFAULT)
 * @starve_ms: a shares vCPU waiting this long for a CPU is reported, ms
 *	(0 = off, or KVMSCHED_STARVE_MS_MIN..MAX; default _DEFAULT)
 * @burst_boost: shortest-burst boost, 0 off (default) or 1 on
 * @burst_threshold_us: bursts under this boost a shares VM, us
 *	(KVMSCHED_BURST_THRESHOLD_US_MIN..MAX, default _DEFAULT)
 * @mem: the balloon policy's tunables; ranges and defaults in the uapi
 *	header and struct kvms_mem_tun
 *
 * Written only under kvms_reg.lock, after kvms_config_validate() accepted
 * the whole candidate; readers use READ_ONCE() on single fields, or hold
 * kvms_reg.lock for a consistent set.
 */
struct kvms_config {
	u32 period_ms;
	u32 reserve_headroom_pct;
	u32 balloon_period_ms;
	u32 starve_ms;
	u32 burst_boost;
	u32 burst_threshold_us;
	struct kvms_mem_tun mem;
};

extern struct kvms_config kvms_config;

int kvms_config_validate(const struct kvms_config *cfg, char *why, size_t len,
			 int *attr);

#endif /* _KVMSCHED_CONFIG_H */
