// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched global tunables (KVM-free, see config.h).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stddef.h>

#include "config.h"

struct kvms_config kvms_config = {
	.period_ms = KVMS_PERIOD_MS_DEFAULT,
	.reserve_headroom_pct = KVMS_HEADROOM_DEFAULT,
	.balloon_period_ms = KVMS_BALLOON_PERIOD_MS_DEFAULT,
	.mem = {
		.low_pct = KVMS_MEM_LOW_PCT_DEFAULT,
		.critical_pct = KVMS_MEM_CRITICAL_PCT_DEFAULT,
		.hysteresis_pct = KVMS_MEM_HYST_PCT_DEFAULT,
		.step_pct = KVMS_BALLOON_STEP_PCT_DEFAULT,
		.min_step_bp = KVMS_BALLOON_MIN_STEP_BP_DEFAULT,
		.idle_tax_pct = KVMS_IDLE_TAX_PCT_DEFAULT,
		.max_pct = KVMS_BALLOON_MAX_PCT_DEFAULT,
		.psi_reclaim_bp = KVMS_PSI_RECLAIM_BP_DEFAULT,
	},
};

/*
 * Every tunable: where it is in struct kvms_config, its range, and the
 * message that names it and its range when a value is outside.
 */
static const struct kvms_tunable {
	size_t off;
	u32 min;
	u32 max;
	const char *why;
} kvms_tunables[] = {
#define T(field, lo, hi, msg) { offsetof(struct kvms_config, field), lo, hi, msg }
	T(period_ms, KVMS_PERIOD_MS_MIN, KVMS_PERIOD_MS_MAX,
	  "period_ms must be 10-1000"),
	T(reserve_headroom_pct, 0, KVMS_HEADROOM_MAX,
	  "reserve_headroom_pct must be 0-50"),
	T(balloon_period_ms, KVMS_BALLOON_PERIOD_MS_MIN, KVMS_BALLOON_PERIOD_MS_MAX,
	  "balloon_period_ms must be 100-600000"),
	T(mem.low_pct, KVMS_MEM_LOW_PCT_MIN, KVMS_MEM_LOW_PCT_MAX,
	  "mem_low_pct must be 1-90"),
	T(mem.critical_pct, 0, KVMS_MEM_CRITICAL_PCT_MAX,
	  "mem_critical_pct must be 0-89"),
	T(mem.hysteresis_pct, 0, KVMS_MEM_HYST_PCT_MAX,
	  "mem_hysteresis_pct must be 0-50"),
	T(mem.step_pct, KVMS_BALLOON_STEP_PCT_MIN, KVMS_BALLOON_STEP_PCT_MAX,
	  "balloon_step_pct must be 1-100"),
	T(mem.min_step_bp, 0, KVMS_BALLOON_MIN_STEP_BP_MAX,
	  "balloon_min_step_bp must be 0-10000"),
	T(mem.idle_tax_pct, 0, KVMS_IDLE_TAX_PCT_MAX,
	  "idle_tax_pct must be 0-99"),
	T(mem.max_pct, 0, KVMS_BALLOON_MAX_PCT_MAX,
	  "balloon_max_pct must be 0-90"),
	T(mem.psi_reclaim_bp, 0, KVMS_PSI_RECLAIM_BP_MAX,
	  "mem_psi_reclaim_bp must be 0-10000"),
#undef T
};

/**
 * kvms_config_validate() - check a whole candidate configuration
 * @cfg: the candidate
 * @why: set to a message naming the bad field and its range on failure
 *
 * Return: 0 if every field is in range and the fields agree, -ERANGE if a
 * field is out of range, -EINVAL if two fields disagree.
 */
int kvms_config_validate(const struct kvms_config *cfg, const char **why)
{
	const struct kvms_mem_tun *m = &cfg->mem;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kvms_tunables); i++) {
		const struct kvms_tunable *t = &kvms_tunables[i];
		u32 v = *(const u32 *)((const char *)cfg + t->off);

		if (v < t->min || v > t->max) {
			*why = t->why;
			return -ERANGE;
		}
	}
	if (m->critical_pct >= m->low_pct) {
		*why = "mem_critical_pct must be below mem_low_pct";
		return -EINVAL;
	}
	if (m->low_pct + m->hysteresis_pct > 95) {
		*why = "mem_low_pct + mem_hysteresis_pct must be at most 95";
		return -EINVAL;
	}
	return 0;
}
