/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched global tunables: one table of names, units, ranges and defaults,
 * validated in one place (KVM-free).
 */
#ifndef _KVMSCHED_CONFIG_H
#define _KVMSCHED_CONFIG_H

#include <linux/types.h>

/* Sampling/enforcement period, ms: how often VMs are sampled and reaped. */
#define KVMS_PERIOD_MS_MIN	10
#define KVMS_PERIOD_MS_MAX	1000
#define KVMS_PERIOD_MS_DEFAULT	100

/**
 * struct kvms_config - the module's global tunables
 * @period_ms: sampling and enforcement period, ms
 *	(KVMS_PERIOD_MS_MIN..KVMS_PERIOD_MS_MAX, default KVMS_PERIOD_MS_DEFAULT)
 *
 * Written only through kvms_config_commit(); readers use READ_ONCE() on
 * single fields.
 */
struct kvms_config {
	u32 period_ms;
};

extern struct kvms_config kvms_config;

int kvms_config_validate(const struct kvms_config *cfg, const char **why);

#endif /* _KVMSCHED_CONFIG_H */
