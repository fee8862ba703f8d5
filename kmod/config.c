// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched global tunables (KVM-free, see config.h).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "config.h"

struct kvms_config kvms_config = {
	.period_ms = KVMSCHED_PERIOD_MS_DEFAULT,
	.reserve_headroom_pct = KVMSCHED_RESERVE_HEADROOM_PCT_DEFAULT,
	.balloon_period_ms = KVMSCHED_BALLOON_PERIOD_MS_DEFAULT,
	.starve_ms = KVMSCHED_STARVE_MS_DEFAULT,
	.burst_threshold_us = KVMSCHED_BURST_THRESHOLD_US_DEFAULT,
	.mem = {
		.low_pct = KVMSCHED_MEM_LOW_PCT_DEFAULT,
		.critical_pct = KVMSCHED_MEM_CRITICAL_PCT_DEFAULT,
		.hysteresis_pct = KVMSCHED_MEM_HYSTERESIS_PCT_DEFAULT,
		.step_pct = KVMSCHED_BALLOON_STEP_PCT_DEFAULT,
		.min_step_bp = KVMSCHED_BALLOON_MIN_STEP_BP_DEFAULT,
		.idle_tax_pct = KVMSCHED_IDLE_TAX_PCT_DEFAULT,
		.max_pct = KVMSCHED_BALLOON_MAX_PCT_DEFAULT,
		.psi_reclaim_bp = KVMSCHED_MEM_PSI_RECLAIM_BP_DEFAULT,
	},
};

/*
 * Every tunable: where it is in struct kvms_config, its netlink attribute,
 * its name, and its range (the spec's, through the uapi header). The
 * message that names it and its range is built from the same numbers.
 */
static const struct kvms_tunable {
	size_t off;
	int attr;
	const char *name;
	u32 min;
	u32 max;
	bool zero_off;	/* 0 (off) is allowed too, under @min */
} kvms_tunables[] = {
#define T(field, attr, name, lo, hi) \
	{ offsetof(struct kvms_config, field), KVMSCHED_A_CONFIG_##attr, name, lo, hi }
#define T0(field, attr, name, lo, hi) \
	{ offsetof(struct kvms_config, field), KVMSCHED_A_CONFIG_##attr, name, lo, hi, true }
	T(period_ms, PERIOD_MS, "period_ms",
	  KVMSCHED_PERIOD_MS_MIN, KVMSCHED_PERIOD_MS_MAX),
	T(reserve_headroom_pct, RESERVE_HEADROOM_PCT, "reserve_headroom_pct",
	  0, KVMSCHED_RESERVE_HEADROOM_PCT_MAX),
	T(balloon_period_ms, BALLOON_PERIOD_MS, "balloon_period_ms",
	  KVMSCHED_BALLOON_PERIOD_MS_MIN, KVMSCHED_BALLOON_PERIOD_MS_MAX),
	T(mem.low_pct, MEM_LOW_PCT, "mem_low_pct",
	  KVMSCHED_MEM_LOW_PCT_MIN, KVMSCHED_MEM_LOW_PCT_MAX),
	T(mem.critical_pct, MEM_CRITICAL_PCT, "mem_critical_pct",
	  0, KVMSCHED_MEM_CRITICAL_PCT_MAX),
	T(mem.hysteresis_pct, MEM_HYSTERESIS_PCT, "mem_hysteresis_pct",
	  0, KVMSCHED_MEM_HYSTERESIS_PCT_MAX),
	T(mem.step_pct, BALLOON_STEP_PCT, "balloon_step_pct",
	  KVMSCHED_BALLOON_STEP_PCT_MIN, KVMSCHED_BALLOON_STEP_PCT_MAX),
	T(mem.min_step_bp, BALLOON_MIN_STEP_BP, "balloon_min_step_bp",
	  0, KVMSCHED_BALLOON_MIN_STEP_BP_MAX),
	T(mem.idle_tax_pct, IDLE_TAX_PCT, "idle_tax_pct",
	  0, KVMSCHED_IDLE_TAX_PCT_MAX),
	T(mem.max_pct, BALLOON_MAX_PCT, "balloon_max_pct",
	  0, KVMSCHED_BALLOON_MAX_PCT_MAX),
	T(mem.psi_reclaim_bp, MEM_PSI_RECLAIM_BP, "mem_psi_reclaim_bp",
	  0, KVMSCHED_MEM_PSI_RECLAIM_BP_MAX),
	T0(starve_ms, STARVE_MS, "starve_ms",
	   KVMSCHED_STARVE_MS_MIN, KVMSCHED_STARVE_MS_MAX),
	T(burst_boost, BURST_BOOST, "burst_boost", 0, 1),
	T(burst_threshold_us, BURST_THRESHOLD_US, "burst_threshold_us",
	  KVMSCHED_BURST_THRESHOLD_US_MIN, KVMSCHED_BURST_THRESHOLD_US_MAX),
#undef T0
#undef T
};

/**
 * kvms_config_validate() - check a whole candidate configuration
 * @cfg: the candidate
 * @why: on failure, a message naming the bad field and its range
 * @len: size of @why
 * @attr: on failure, the bad field's KVMSCHED_A_CONFIG_* attribute (0 when
 *	two fields disagree)
 *
 * Return: 0 if every field is in range and the fields agree, -ERANGE if a
 * field is out of range, -EINVAL if two fields disagree.
 */
int kvms_config_validate(const struct kvms_config *cfg, char *why, size_t len,
			 int *attr)
{
	const struct kvms_mem_tun *m = &cfg->mem;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kvms_tunables); i++) {
		const struct kvms_tunable *t = &kvms_tunables[i];
		u32 v = *(const u32 *)((const char *)cfg + t->off);

		if (t->zero_off && !v)
			continue;
		if (v < t->min || v > t->max) {
			snprintf(why, len, "%s must be %s%u-%u", t->name,
				 t->zero_off ? "0 (off) or " : "", t->min, t->max);
			*attr = t->attr;
			return -ERANGE;
		}
	}
	*attr = 0;
	if (m->critical_pct >= m->low_pct) {
		strscpy(why, "mem_critical_pct must be below mem_low_pct", len);
		return -EINVAL;
	}
	if (m->low_pct + m->hysteresis_pct > KVMSCHED_MEM_LOW_HYSTERESIS_PCT_MAX) {
		snprintf(why, len, "mem_low_pct + mem_hysteresis_pct must be at most %u",
			 KVMSCHED_MEM_LOW_HYSTERESIS_PCT_MAX);
		return -EINVAL;
	}
	return 0;
}
